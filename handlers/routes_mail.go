package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// mailRoutes registers the outbox (plan admins; in demo mode the training mail for every
// signed-in user) and, in demo mode, the sign-in help's mail page for visitors.
func (h *Handler) mailRoutes(app *fiber.App) {
	app.Get("/outbox", h.Outbox)
	app.Post("/outbox/:id/resend", h.requireUser, h.requireRole(models.RoleAdmin), h.OutboxResend)
	app.Get("/login/demo-mail", h.DemoMail)
}

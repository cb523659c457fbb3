package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// claimRoutes registers the claims area (SPEC §6): signed-in office users with the
// claims permission only; every claim is one of the account's own TINs.
func (h *Handler) claimRoutes(app *fiber.App) {
	office := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireOffice, h.requirePerm(models.PermClaims), fn}
	}
	app.Get("/claims", office(h.ClaimsList)...)
	app.Post("/claims", office(h.ClaimsList)...)
	app.Post("/claims/csv", office(h.ClaimsCSV)...)
	app.Get("/claims/:claimNo", office(h.ClaimShow)...)
}

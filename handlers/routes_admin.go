package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// auditRoutes registers the privacy officer's view of the audit log (SPEC §10):
// filter by user, member, action and date, "who accessed this member" (accounting of
// access), and CSV export. Filters are POSTed so member IDs stay out of URLs.
func (h *Handler) auditRoutes(app *fiber.App) {
	g := app.Group("/audit", h.requireUser, h.requireRole(models.RolePrivacy))
	g.Get("/", h.AuditSearch)
	g.Post("/", h.AuditSearch)
	g.Post("/export", h.AuditExport)
}

// demoRoutes registers the trainers' demo controls: move the demo clock forward and
// reset the demo data. They exist only in demo mode, for plan admins.
func (h *Handler) demoRoutes(app *fiber.App) {
	if !h.opts.Demo {
		return
	}
	g := app.Group("/admin/demo", h.requireUser, h.requireRole(models.RoleAdmin))
	g.Get("/", h.DemoControls)
	g.Post("/clock", h.DemoClock)
	g.Post("/reset", h.DemoReset)
}

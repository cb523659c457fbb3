package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// pharmacyRoutes registers the drug lists (SPEC §7). The lists are public documents:
// searching, printing and downloading need no sign-in; importing a new version is the
// plan editor's.
func (h *Handler) pharmacyRoutes(app *fiber.App) {
	app.Get("/pharmacy", h.PharmacySearch)
	app.Get("/pharmacy/print", h.PharmacyPrint)
	app.Get("/pharmacy/csv", h.PharmacyCSV)
	app.Get("/pharmacy/versions", h.requireUser, h.requireRole(models.RoleEditor), h.PharmacyVersions)
	app.Post("/pharmacy/import", h.requireUser, h.requireRole(models.RoleEditor), h.PharmacyImport)
}

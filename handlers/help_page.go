package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// helpView is the data of the help page (pages/help/index).
type helpView struct {
	View
	Services []models.ServiceContact
}

// Help is the public instruction manual: how to use each area, Provider Services by line
// of business, the Medical Management Department's numbers, privacy and common questions.
func (h *Handler) Help(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "pages/help/index", "Help and instruction manual", &helpView{Services: models.ProviderServicesContacts})
}

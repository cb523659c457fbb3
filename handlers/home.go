package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// homeView is the data of the public home page (pages/home/index).
type homeView struct {
	View
	Notices []models.Notice
}

// Home is the public home page: sign in, register, the library and plan notices.
func (h *Handler) Home(c *fiber.Ctx) error {
	notices, err := h.st.Notices.Recent(c.UserContext(), "", 5)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/home/index", "Provider portal", &homeView{Notices: notices})
}

// Healthz answers 200 when the database answers a query, 503 otherwise.
func (h *Handler) Healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := h.db.Ping(c.UserContext()); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable\n")
	}
	return c.SendString("ok\n")
}

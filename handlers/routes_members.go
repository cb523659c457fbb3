package handlers

import "github.com/gofiber/fiber/v2"

// memberRoutes registers this area's routes.
func (h *Handler) memberRoutes(app *fiber.App) {}

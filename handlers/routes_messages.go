package handlers

import "github.com/gofiber/fiber/v2"

// messageRoutes registers this area's routes.
func (h *Handler) messageRoutes(app *fiber.App) {}

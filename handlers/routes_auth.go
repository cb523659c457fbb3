package handlers

import "github.com/gofiber/fiber/v2"

// authRoutes registers this area's routes.
func (h *Handler) authRoutes(app *fiber.App) {}

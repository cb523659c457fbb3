package handlers

import "github.com/gofiber/fiber/v2"

// libraryRoutes registers this area's routes.
func (h *Handler) libraryRoutes(app *fiber.App) {}

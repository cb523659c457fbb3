package handlers

import "github.com/gofiber/fiber/v2"

// claimRoutes registers the claims area (SPEC §6).
func (h *Handler) claimRoutes(app *fiber.App) {}

package handlers

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
)

// routes lists every route, grouped by area. Each area's routes live in its own
// routes_<area>.go so that areas can grow without touching each other.
func (h *Handler) routes(app *fiber.App) {
	app.Get("/static/*", h.assets.serve)
	app.Get("/healthz", h.Healthz)
	app.Get("/favicon.ico", func(c *fiber.Ctx) error {
		return c.Redirect(h.assets.url("img/logo.svg"), fiber.StatusMovedPermanently)
	})

	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	app.Use(h.loadSession)
	app.Use(h.checkCSRF)
	app.Use(h.limitFields)

	app.Get("/", h.Home)
	h.authRoutes(app)
	h.clinicalRoutes(app) // before memberRoutes: its clinical section routes are served here
	h.memberRoutes(app)
	h.messageRoutes(app)
	h.libraryRoutes(app)
	h.paymentRoutes(app)
	h.claimRoutes(app)
	h.authorizationRoutes(app)
	h.auditRoutes(app)
	h.demoRoutes(app)
	h.pharmacyRoutes(app)
	h.reportRoutes(app)
	h.privacyRoutes(app)
	h.mailRoutes(app)

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

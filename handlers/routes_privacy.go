package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// privacyRoutes registers the privacy officer's pages (SPEC §8): the confidential-
// communication request queue, the review queue of corrected categories, and the
// explanation of benefits addressed to a member, where the disclosure rule shows.
func (h *Handler) privacyRoutes(app *fiber.App) {
	po := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireRole(models.RolePrivacy), fn}
	}
	app.Get("/privacy", po(func(c *fiber.Ctx) error { return c.Redirect("/privacy/requests", fiber.StatusSeeOther) })...)
	app.Get("/privacy/requests", po(h.PrivacyRequests)...)
	app.Post("/privacy/requests", po(h.PrivacyRequestCreate)...)
	app.Get("/privacy/requests/:id<int>", po(h.PrivacyRequestShow)...)
	app.Post("/privacy/requests/:id<int>", po(h.PrivacyRequestAmend)...)
	app.Post("/privacy/requests/:id<int>/complete", po(h.PrivacyRequestComplete)...)
	app.Post("/privacy/requests/:id<int>/end", po(h.PrivacyRequestEnd)...)
	app.Get("/privacy/review", po(h.PrivacyReview)...)
	app.Post("/privacy/corrections", po(h.PrivacyCorrect)...)
	app.Post("/privacy/review/:id<int>", po(h.PrivacyReviewDone)...)
	app.Get("/privacy/members/:memberID/eob", po(h.PrivacyEOB)...)
	app.Post("/privacy/emergency/:id<int>", po(h.PrivacyEmergencyReviewed)...)
	app.Post("/privacy/settings", po(h.PrivacySettings)...)
	app.Post("/care/members/:memberID/emergency", h.requireUser, h.requireRole(models.RoleCaseManager), h.EmergencyStart)
}

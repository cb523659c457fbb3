package handlers

import "github.com/gofiber/fiber/v2"

// authRoutes registers sign-in, registration, account management, plan admin and
// outbox routes (SPEC §1–2, §11 stable URLs).
func (h *Handler) authRoutes(app *fiber.App) {
	// Sign-in: password, then the second factor (or enrolment at the first sign-in).
	app.Get("/login", h.Login)
	app.Post("/login", h.LoginPost)
	app.Get("/login/mfa", h.MFA)
	app.Post("/login/mfa", h.MFAPost)
	app.Get("/login/enrol", h.Enrol)
	app.Post("/login/enrol", h.EnrolPost)
	app.Get("/login/reset", h.ResetRequest)
	app.Post("/login/reset", h.ResetRequestPost)
	app.Get("/login/reset/:token", h.ResetForm)
	app.Post("/login/reset/:token", h.ResetFormPost)
	app.Post("/logout", h.Logout)
	app.Post("/logout/everywhere", h.requireUser, h.LogoutEverywhere)
	app.Post("/session/keep-alive", h.requireUser, h.KeepAlive)
}

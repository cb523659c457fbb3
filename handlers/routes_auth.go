package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// authRoutes registers sign-in, registration, account management, plan admin and
// outbox routes (SPEC §1–2, §11 stable URLs).
func (h *Handler) authRoutes(app *fiber.App) {
	// Sign-in and link pages carry CSRF tokens, link tokens and recovery codes: never cached.
	for _, prefix := range []string{"/login", "/register", "/invite", "/setup", "/security", "/outbox"} {
		app.Use(prefix, noStore)
	}
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
	app.Get("/session/status", h.requireUser, h.SessionStatus)
	app.Get("/security", h.requireUser, h.Security)
	app.Post("/security/password", h.requireUser, h.SecurityPassword)
	app.Post("/security/recovery-codes", h.requireUser, h.SecurityRecoveryCodes)

	// Registration, invitations and the first plan admin: e-mailed single-use links.
	app.Get("/register", h.Register)
	app.Post("/register", h.RegisterPost)
	app.Get("/register/verify/:token", h.RegisterVerify)
	app.Post("/register/verify/:token", h.RegisterVerifyPost)
	app.Get("/invite/:token", h.Invite)
	app.Post("/invite/:token", h.InvitePost)
	app.Get("/setup/:token", h.Setup)
	app.Post("/setup/:token", h.SetupPost)

	// Account Details and User Management: the office's account manager only.
	acct := app.Group("/account", h.requireUser, h.requireManager)
	acct.Get("/", h.AccountDetails)
	acct.Post("/", h.AccountUpdate)
	acct.Post("/tins", h.AccountAddTIN)
	acct.Post("/tins/:id/verify", h.AccountVerifyTIN)
	acct.Get("/users", h.AccountUsers)
	acct.Post("/users", h.AccountInvite)
	acct.Get("/users/:id", h.AccountUser)
	acct.Post("/users/:id/permissions", h.AccountUserPermissions)
	acct.Post("/users/:id/handover", h.AccountHandOver)
	acct.Post("/users/:id/:action", h.AccountUserStatus)

	// Plan admin.
	admin := app.Group("/admin", h.requireUser, h.requireRole(models.RoleAdmin))
	admin.Get("/", h.AdminHome)
	admin.Post("/search", h.AdminSearch)
	admin.Get("/accounts/:id", h.AdminAccount)
	admin.Get("/users/:id", h.AdminUser)
	admin.Post("/users/:id/roles", h.AdminUserRoles)
	admin.Post("/users/:id/:action", h.AdminUserAction)
	admin.Post("/tins/:id/:action", h.AdminTINDecision)
	admin.Get("/staff", h.AdminStaffNew)
	admin.Post("/staff", h.AdminStaffCreate)
}

// noStore keeps a response out of every cache, the browser's back-forward cache included.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

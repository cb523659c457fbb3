package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// messageRoutes registers secure messaging (SPEC §9): the message center for office
// users with `messaging` and for plan staff, and the registered-envelope pages of
// outside partners, who have no portal account.
func (h *Handler) messageRoutes(app *fiber.App) {
	m := app.Group("/messages", h.requireUser, h.requirePerm(models.PermMessaging))
	m.Get("/", h.MessagesIndex)
	m.Get("/unread", h.MessagesUnread)
	m.Get("/new", h.MessageNew)
	m.Post("/", h.MessageSend)
	m.Get("/envelopes/new", h.requirePlanStaff, h.EnvelopeNew)
	m.Post("/envelopes", h.requirePlanStaff, h.EnvelopeSend)
	m.Get("/attachments/:id<int>", h.MessageAttachment)
	m.Get("/:id<int>", h.MessageThread)
	m.Post("/:id<int>/reply", h.MessageReply)
	m.Post("/:id<int>/archive", h.MessageArchive)
	m.Post("/:id<int>/assign", h.requirePlanStaff, h.MessageAssign)
	m.Post("/:id<int>/resolve", h.requirePlanStaff, h.MessageResolve)
	m.Post("/:id<int>/envelope/unlock", h.requirePlanStaff, h.EnvelopeUnlock)
	m.Post("/:id<int>/envelope/reissue", h.requirePlanStaff, h.EnvelopeReissue)

	e := app.Group("/envelope")
	e.Get("/:token", h.EnvelopeView)
	e.Post("/:token/password", h.EnvelopeSetPassword)
	e.Post("/:token/login", h.EnvelopeLogin)
	e.Post("/:token/forgot", h.EnvelopeForgot)
	e.Post("/:token/reply", h.EnvelopeReply)
	e.Post("/:token/logout", h.EnvelopeLogout)
	e.Get("/:token/attachments/:id<int>", h.EnvelopeAttachment)
}

// requirePlanStaff lets only plan staff through.
func (h *Handler) requirePlanStaff(c *fiber.Ctx) error {
	if !currentUser(c).IsPlanStaff() {
		return models.ErrForbidden
	}
	return c.Next()
}

// messages is the message store with this server's settings.
func (h *Handler) messages() models.Messages { return h.st.Messages }

package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// OutboxLine is one line of an e-mail body; links to this portal become links.
type OutboxLine struct {
	Text string
	Href string
}

// OutboxMail is an e-mail as the outbox page shows it.
type OutboxMail struct {
	models.Mail
	Lines []OutboxLine
}

// outboxOpen tells whether the visitor may read the outbox: only when no mail server is
// configured, and then plan admins — or, in demo mode, everyone, so that trainees can
// follow their own verification and reset links.
func (h *Handler) outboxOpen(c *fiber.Ctx) error {
	if h.opts.SMTPURL != "" {
		return fiber.ErrNotFound
	}
	if h.opts.Demo {
		return c.Next()
	}
	u := currentUser(c)
	if u == nil {
		return h.requireUser(c)
	}
	if !u.HasRole(models.RoleAdmin) {
		return models.ErrForbidden
	}
	return c.Next()
}

// Outbox lists the newest e-mail waiting or sent (optionally to one address).
func (h *Handler) Outbox(c *fiber.Ctx) error {
	to := strings.TrimSpace(c.Query("to"))
	ob := models.Outbox{DB: h.db}
	var mails []models.Mail
	var err error
	if to != "" {
		mails, err = ob.ForRecipient(c.UserContext(), to, 50)
	} else {
		mails, err = ob.Recent(c.UserContext(), 50)
	}
	if err != nil {
		return err
	}
	out := make([]OutboxMail, 0, len(mails))
	for _, m := range mails {
		om := OutboxMail{Mail: m}
		for _, line := range strings.Split(m.Body, "\n") {
			l := OutboxLine{Text: line}
			trimmed := strings.TrimSpace(line)
			if base := h.opts.BaseURL + "/"; h.opts.BaseURL != "" && strings.HasPrefix(trimmed, base) && !strings.ContainsAny(trimmed, " \t\"'<>") {
				// Relative, so the link works whatever address the portal is reached by.
				l.Href = "/" + strings.TrimPrefix(trimmed, base)
			}
			om.Lines = append(om.Lines, l)
		}
		out = append(out, om)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, fiber.StatusOK, "pages/outbox/list", "Outbox", fiber.Map{"Mails": out, "To": to})
}

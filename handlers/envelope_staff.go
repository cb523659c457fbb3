package handlers

import (
	"net/mail"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// envelopeForm is what an associate writes to an outside partner.
type envelopeForm struct {
	Email   string
	Subject string
	Body    string
}

func (h *Handler) renderEnvelopeCompose(c *fiber.Ctx, status int, f envelopeForm, fe models.FieldErrors) error {
	u := currentUser(c)
	data, err := h.messageFrame(c, u, models.FolderInbox)
	if err != nil {
		return err
	}
	data["View"], data["Form"], data["Errors"] = "envelope", f, fe
	data["MaxFiles"], data["Types"], data["PlanDomain"] = models.MaxAttachments, models.AttachmentTypesText, h.opts.PlanDomain
	data["TTLDays"] = int(h.messages().EnvelopeTTLOrDefault().Hours() / 24)
	title := "New registered envelope"
	if len(fe) > 0 {
		title = "Error: " + title
	}
	return h.render(c, status, "pages/messages/index", title, data)
}

// EnvelopeNew shows the form an associate uses to start a registered envelope.
func (h *Handler) EnvelopeNew(c *fiber.Ctx) error {
	return h.renderEnvelopeCompose(c, fiber.StatusOK, envelopeForm{}, nil)
}

// EnvelopeSend starts a registered-envelope thread to an outside partner, who gets a
// notice with a link and sets a password for the thread's own user name.
func (h *Handler) EnvelopeSend(c *fiber.Ctx) error {
	u := currentUser(c)
	f := envelopeForm{Email: utils.CopyString(strings.TrimSpace(c.FormValue("email"))), Subject: utils.CopyString(strings.TrimSpace(c.FormValue("subject"))),
		Body: utils.CopyString(c.FormValue("body"))}
	fe := models.FieldErrors{}
	addr, err := mail.ParseAddress(f.Email)
	switch {
	case f.Email == "" || err != nil || addr.Name != "" || !strings.Contains(addr.Address, "."):
		fe["email"] = "Enter the partner's e-mail address, like name@example.com."
	case strings.HasSuffix(strings.ToLower(addr.Address), "@"+strings.ToLower(h.opts.PlanDomain)):
		fe["email"] = "This address is on the plan's own domain. Registered envelopes are for outside partners."
	}
	d := models.MessageDraft{Subject: f.Subject, Body: f.Body}
	for k, v := range d.Validate(true) {
		fe[k] = v
	}
	files, problem := readMessageUploads(c)
	if problem != "" {
		fe["attachments"] = problem
	}
	keepFilesNote(fe, files)
	if len(fe) > 0 {
		return h.renderEnvelopeCompose(c, fiber.StatusUnprocessableEntity, f, fe)
	}
	d.Files = files
	nt := models.NewThread{Kind: models.ThreadEnvelope, Department: u.Department, AssigneeID: u.ID, PartnerEmail: strings.ToLower(addr.Address)}
	res, err := h.messages().Start(c.UserContext(), nt, models.MessageAuthor{User: u}, d, h.actor(c).Stamp(models.AuditEntry{}))
	if err != nil {
		return err
	}
	h.flash(c, "success", "The registered envelope was sent. The partner's user name is "+res.EnvelopeUsername+"; a link is on its way to them by e-mail.")
	return c.Redirect("/messages/"+strconv.FormatInt(res.ThreadID, 10), fiber.StatusSeeOther)
}

// envelopeThreadParam is the envelope thread of :id that the associate may see.
func (h *Handler) envelopeThreadParam(c *fiber.Ctx) (*models.Thread, error) {
	t, err := h.threadParam(c)
	if err != nil {
		return nil, err
	}
	if !t.IsEnvelope() {
		return nil, models.ErrNotFound
	}
	return t, nil
}

// EnvelopeUnlock lifts the lock after 3 failed attempts.
func (h *Handler) EnvelopeUnlock(c *fiber.Ctx) error {
	t, err := h.envelopeThreadParam(c)
	if err != nil {
		return err
	}
	if err := h.messages().UnlockEnvelope(c.UserContext(), t.ID); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "envelope.unlock", ObjectType: "message_thread", ObjectID: strconv.FormatInt(t.ID, 10)})
	h.flash(c, "success", "The partner's credential is unlocked; they can sign in again with their password.")
	return c.Redirect("/messages/"+strconv.FormatInt(t.ID, 10), fiber.StatusSeeOther)
}

// EnvelopeReissue sends the partner a new link (the old one stops working); they
// choose a new password at the next visit.
func (h *Handler) EnvelopeReissue(c *fiber.Ctx) error {
	t, err := h.envelopeThreadParam(c)
	if err != nil {
		return err
	}
	if err := h.messages().ReissueEnvelope(c.UserContext(), t.ID, true); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "envelope.reissue", ObjectType: "message_thread", ObjectID: strconv.FormatInt(t.ID, 10)})
	h.flash(c, "success", "A new link was sent to the partner. Earlier links no longer work.")
	return c.Redirect("/messages/"+strconv.FormatInt(t.ID, 10), fiber.StatusSeeOther)
}

package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// envelopeForm is what an associate writes to an outside partner (multipart, for
// attachments, which readMessageUploads reads apart).
type envelopeForm struct {
	Email   string `form:"email" label:"the partner's e-mail address" validate:"maxrunes=254"`
	Subject string `form:"subject" label:"a subject"`
	Body    string `form:"body" label:"the message" trim:"no"`
	// PlanDomain is the plan's own domain, which partners' addresses may not be on.
	PlanDomain string `form:"-"`
	// Address is Email checked and in lower case, once Validate has passed it.
	Address string `form:"-"`
}

// Validate applies the partner-address and message rules.
func (f *envelopeForm) Validate() models.FieldErrors {
	fe := models.MessageDraft{Subject: f.Subject, Body: f.Body}.Validate(true)
	var problem string
	if f.Address, problem = models.PartnerAddress(f.Email, f.PlanDomain); problem != "" {
		fe["email"] = problem
	}
	return fe
}

func (h *Handler) renderEnvelopeCompose(c *fiber.Ctx, status int, f *envelopeForm, fe models.FieldErrors) error {
	v := &messagesView{Pane: "envelope", Folder: models.FolderInbox, Envelope: f, Errors: inputIDs("env-", fe), MaxFiles: models.MaxAttachments,
		Types: models.AttachmentTypesText, PlanDomain: h.opts.PlanDomain, TTLDays: int(h.messages().EnvelopeTTLOrDefault().Hours() / 24)}
	if err := h.messageFrame(c, currentUser(c), v); err != nil {
		return err
	}
	title := "New registered envelope"
	if len(fe) > 0 {
		title = "Error: " + title
	}
	return h.render(c, status, "pages/messages/index", title, v)
}

// EnvelopeNew shows the form an associate uses to start a registered envelope.
func (h *Handler) EnvelopeNew(c *fiber.Ctx) error {
	return h.renderEnvelopeCompose(c, fiber.StatusOK, &envelopeForm{}, nil)
}

// EnvelopeSend starts a registered-envelope thread to an outside partner, who gets a
// notice with a link and sets a password for the thread's own user name.
func (h *Handler) EnvelopeSend(c *fiber.Ctx) error {
	u := currentUser(c)
	f := &envelopeForm{PlanDomain: h.opts.PlanDomain}
	fe := h.bindForm(c, f)
	files, problem := readMessageUploads(c)
	if problem != "" {
		fe = withField(fe, "attachments", problem)
	}
	keepFilesNote(fe, files)
	if len(fe) > 0 {
		return h.renderEnvelopeCompose(c, fiber.StatusUnprocessableEntity, f, fe)
	}
	d := models.MessageDraft{Subject: f.Subject, Body: f.Body, Files: files}
	nt := models.NewThread{Kind: models.ThreadEnvelope, Department: u.Department, AssigneeID: u.ID, PartnerEmail: f.Address}
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

package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// replyForm is a reply's text (multipart, for attachments, which readMessageUploads
// reads apart). It serves the message center and the envelope partner's page alike.
type replyForm struct {
	Body string `form:"body" label:"your reply" trim:"no"`
}

// Validate applies the message rules to a reply (which has no subject of its own).
func (f replyForm) Validate() models.FieldErrors {
	return models.MessageDraft{Body: f.Body}.Validate(false)
}

// readReply binds a reply and its files; fe holds every problem (nil when none).
func (h *Handler) readReply(c *fiber.Ctx) (models.MessageDraft, models.FieldErrors) {
	var f replyForm
	fe := h.bindForm(c, &f)
	d := models.MessageDraft{Body: f.Body}
	files, problem := readMessageUploads(c)
	if problem != "" {
		fe = withField(fe, "attachments", problem)
	}
	keepFilesNote(fe, files)
	d.Files = files
	return d, fe
}

// MessageReply adds a reply to a thread the user may see. The 13th message of a thread
// starts a new thread linked to it, and the user is taken there.
func (h *Handler) MessageReply(c *fiber.Ctx) error {
	u := currentUser(c)
	t, err := h.threadParam(c)
	if err != nil {
		return err
	}
	d, fe := h.readReply(c)
	if len(fe) > 0 {
		v, err := h.threadView(c, u, t)
		if err != nil {
			return err
		}
		v.Errors, v.ReplyBody = inputIDs("reply-", fe), d.Body
		return h.showThread(c, u, v, fiber.StatusUnprocessableEntity)
	}
	res, err := h.messages().Reply(c.UserContext(), t, models.MessageAuthor{User: u}, d, h.actor(c).Stamp(models.AuditEntry{}))
	if err != nil {
		return err
	}
	if res.Continued {
		h.flash(c, "info", "This thread had reached 12 messages, so your reply started a new thread linked to it.")
	} else {
		h.flash(c, "success", "Your reply was sent securely.")
	}
	return c.Redirect("/messages/"+strconv.FormatInt(res.ThreadID, 10), fiber.StatusSeeOther)
}

// archiveForm is the Archive button's form: archive=0 moves a thread back to the inbox.
type archiveForm struct {
	Archive string `form:"archive" label:"the choice" validate:"omitempty,oneof=0 1"`
}

// MessageArchive archives a thread for the current user only (or brings it back).
func (h *Handler) MessageArchive(c *fiber.Ctx) error {
	u := currentUser(c)
	t, err := h.threadParam(c)
	if err != nil {
		return err
	}
	var f archiveForm
	if errs := h.bindForm(c, &f); errs != nil {
		return errs
	}
	archive := f.Archive != "0"
	if err := h.messages().SetArchived(c.UserContext(), u, t, archive); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "message.archive", ObjectType: "message_thread", ObjectID: strconv.FormatInt(t.ID, 10),
		Detail: map[bool]string{true: "archived for this user", false: "moved back to the inbox"}[archive]})
	if archive {
		h.flash(c, "success", "The thread was moved to Archived. It is kept by the plan and you can bring it back at any time.")
		return c.Redirect("/messages", fiber.StatusSeeOther)
	}
	h.flash(c, "success", "The thread is back in your inbox.")
	return c.Redirect("/messages/"+strconv.FormatInt(t.ID, 10), fiber.StatusSeeOther)
}

// assignForm names the associate a thread goes to; 0 is the department queue (nobody).
type assignForm struct {
	Assignee int64 `form:"assignee" label:"the associate"`
}

// MessageAssign gives a thread to a plan associate (plan staff who may see it).
func (h *Handler) MessageAssign(c *fiber.Ctx) error {
	t, err := h.threadParam(c)
	if err != nil {
		return err
	}
	var f assignForm
	if errs := h.bindForm(c, &f); errs != nil {
		return errs
	}
	id := f.Assignee
	if err := h.messages().Assign(c.UserContext(), t, id); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "message.assign", ObjectType: "message_thread", ObjectID: strconv.FormatInt(t.ID, 10),
		Detail: "assigned to user " + strconv.FormatInt(id, 10)})
	h.flash(c, "success", "The thread was assigned.")
	return c.Redirect("/messages/"+strconv.FormatInt(t.ID, 10), fiber.StatusSeeOther)
}

// resolveForm is the Mark resolved button's form: resolved=0 opens the thread again.
type resolveForm struct {
	Resolved string `form:"resolved" label:"the choice" validate:"omitempty,oneof=0 1"`
}

// MessageResolve marks a thread resolved, or open again.
func (h *Handler) MessageResolve(c *fiber.Ctx) error {
	t, err := h.threadParam(c)
	if err != nil {
		return err
	}
	var f resolveForm
	if errs := h.bindForm(c, &f); errs != nil {
		return errs
	}
	resolved := f.Resolved != "0"
	if err := h.messages().SetResolved(c.UserContext(), currentUser(c), t, resolved); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "message.resolve", ObjectType: "message_thread", ObjectID: strconv.FormatInt(t.ID, 10),
		Detail: map[bool]string{true: "resolved", false: "reopened"}[resolved]})
	h.flash(c, "success", map[bool]string{true: "The thread is marked resolved.", false: "The thread is open again."}[resolved])
	return c.Redirect("/messages/"+strconv.FormatInt(t.ID, 10), fiber.StatusSeeOther)
}

// MessageAttachment sends an attachment of a thread the user may see (404 otherwise),
// as a download with the type found by sniffing at upload, and audits it.
func (h *Handler) MessageAttachment(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return models.ErrNotFound
	}
	ctx := c.UserContext()
	tid, err := h.messages().AttachmentThread(ctx, int64(id))
	if err != nil {
		return err
	}
	t, err := h.messages().ThreadFor(ctx, currentUser(c), tid)
	if err != nil {
		return err
	}
	a, err := h.messages().AttachmentFor(ctx, int64(id))
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "attachment.download", ObjectType: "message_attachment", ObjectID: strconv.Itoa(id),
		MemberID: t.MemberID, Detail: "thread " + strconv.FormatInt(t.ID, 10)})
	return h.sendFile(c, a.Name, a.MIME, a.Data)
}

package handlers

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// Registered-envelope pages for outside partners. A partner has no portal account:
// the link /envelope/{token} names one thread's credential; its first visit sets a
// password for the thread's own user name; later visits need both. A partner session
// is a separate cookie bound to that one credential, so it opens no other thread and
// no portal page. CSRF protection uses an anonymous portal session, as sign-in does.

const envelopeCookie = "portico_envelope"

func (h *Handler) setEnvelopeCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{Name: envelopeCookie, Value: token, Path: "/envelope/", HTTPOnly: true, Secure: h.opts.TLS,
		SameSite: fiber.CookieSameSiteStrictMode, Expires: time.Now().Add(models.EnvelopeSessionLife)}) // the browser's own clock decides
}

func (h *Handler) clearEnvelopeCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: envelopeCookie, Value: "", Path: "/envelope/", HTTPOnly: true, Secure: h.opts.TLS,
		SameSite: fiber.CookieSameSiteStrictMode, MaxAge: -1, Expires: time.Unix(0, 0)})
}

// envelopeCred finds the credential of the link; an unknown or replaced link is 404.
func (h *Handler) envelopeCred(c *fiber.Ctx) (*models.EnvelopeCredential, string, error) {
	token := utils.CopyString(c.Params("token"))
	cred, err := h.messages().CredentialByToken(c.UserContext(), token)
	if errors.Is(err, models.ErrNotFound) {
		return nil, token, fiber.NewError(fiber.StatusNotFound, "This secure-message link is not valid. It may have been replaced by a newer link: use the newest e-mail, or contact the plan associate who wrote to you.")
	}
	if err != nil {
		return nil, token, err
	}
	if cred.Expired(h.db.NowText()) {
		return nil, token, fiber.NewError(fiber.StatusGone, "This secure envelope has expired. Contact the plan associate who wrote to you if you still need it.")
	}
	return cred, token, nil
}

// partnerSignedIn tells whether the request carries a live partner session of cred.
func (h *Handler) partnerSignedIn(c *fiber.Ctx, cred *models.EnvelopeCredential) (bool, error) {
	return h.messages().EnvelopeSessionValid(c.UserContext(), cred, utils.CopyString(c.Cookies(envelopeCookie)))
}

func (h *Handler) partnerAudit(c *fiber.Ctx, cred *models.EnvelopeCredential, e models.AuditEntry) models.AuditEntry {
	e.Actor, e.IP = "partner:"+cred.Username, c.IP()
	if e.ObjectType == "" {
		e.ObjectType, e.ObjectID = "message_thread", strconv.FormatInt(cred.ThreadID, 10)
	}
	return e
}

// envelopeView is the data of pages/envelope/view, the partner's page in one of its
// states: setup, login, locked, thread, sent (after "forgot password").
type envelopeView struct {
	View
	State string
	Cred  *models.EnvelopeCredential
	Token string
	// Errors are the problems of the form the state shows; Username and ReplyBody what
	// was typed into it.
	Errors      models.FieldErrors
	Username    string
	ReplyBody   string
	MinPassword int
	MaxFiles    int
	Types       string
	// The thread state.
	Thread   *models.Thread
	Messages []*models.Message
	Full     bool
}

// renderEnvelope renders the partner page v in state (v may be nil).
func (h *Handler) renderEnvelope(c *fiber.Ctx, status int, state string, cred *models.EnvelopeCredential, token string, v *envelopeView) error {
	if _, err := h.csrfToken(c); err != nil {
		return err
	}
	if v == nil {
		v = &envelopeView{}
	}
	v.State, v.Cred, v.Token = state, cred, token
	// The reply form's inputs are env-reply-…, the password forms' env-….
	if state == "thread" {
		v.Errors = inputIDs("env-reply-", v.Errors)
	} else {
		v.Errors = inputIDs("env-", v.Errors)
	}
	v.MinPassword, v.MaxFiles, v.Types = models.EnvelopeMinPassword, models.MaxAttachments, models.AttachmentTypesText
	if state == "thread" {
		t, err := h.messages().EnvelopePartnerThread(c.UserContext(), cred)
		if err != nil {
			return err
		}
		msgs, err := h.messages().ThreadMessages(c.UserContext(), t, false)
		if err != nil {
			return err
		}
		v.Thread, v.Messages, v.Full = t, msgs, t.MessageCount >= models.MaxThreadMessages
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	return h.render(c, status, "pages/envelope/view", "Secure message", v)
}

// EnvelopeView is the partner's page: set a password, sign in, or read the thread.
func (h *Handler) EnvelopeView(c *fiber.Ctx) error {
	cred, token, err := h.envelopeCred(c)
	if err != nil {
		return err
	}
	switch {
	case cred.Locked():
		return h.renderEnvelope(c, fiber.StatusForbidden, "locked", cred, token, nil)
	case cred.NeedsPassword():
		return h.renderEnvelope(c, fiber.StatusOK, "setup", cred, token, nil)
	}
	ok, err := h.partnerSignedIn(c, cred)
	if err != nil {
		return err
	}
	if !ok {
		return h.renderEnvelope(c, fiber.StatusOK, "login", cred, token, nil)
	}
	if err := h.messages().MarkPartnerRead(c.UserContext(), cred); err != nil {
		return err
	}
	if err := h.st.Audit.Record(c.UserContext(), h.partnerAudit(c, cred, models.AuditEntry{Action: "message.read", Detail: "envelope partner read the thread"})); err != nil {
		return err
	}
	return h.renderEnvelope(c, fiber.StatusOK, "thread", cred, token, nil)
}

// EnvelopeSetPassword sets the password at the first visit (or after a new link).
func (h *Handler) EnvelopeSetPassword(c *fiber.Ctx) error {
	cred, token, err := h.envelopeCred(c)
	if err != nil {
		return err
	}
	if cred.Locked() {
		return h.renderEnvelope(c, fiber.StatusForbidden, "locked", cred, token, nil)
	}
	if !cred.NeedsPassword() {
		return c.Redirect("/envelope/"+token, fiber.StatusSeeOther)
	}
	var p models.EnvelopePassword
	if fe := h.bindForm(c, &p); fe != nil {
		return h.renderEnvelope(c, fiber.StatusUnprocessableEntity, "setup", cred, token, &envelopeView{Errors: fe})
	}
	err = h.messages().SetEnvelopePassword(c.UserContext(), cred, p)
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return h.renderEnvelope(c, fiber.StatusUnprocessableEntity, "setup", cred, token, &envelopeView{Errors: fe})
	}
	if err != nil {
		return err
	}
	if err := h.st.Audit.Record(c.UserContext(), h.partnerAudit(c, cred, models.AuditEntry{Action: "envelope.password_set"})); err != nil {
		return err
	}
	cred.PasswordHash = "set"
	sess, err := h.messages().StartEnvelopeSession(c.UserContext(), cred)
	if err != nil {
		return err
	}
	h.setEnvelopeCookie(c, sess)
	h.flash(c, "success", "Your password is set. Keep your user name "+cred.Username+" and your password for later visits.")
	return c.Redirect("/envelope/"+token, fiber.StatusSeeOther)
}

// envelopeLoginForm is the partner's sign-in: the thread's user name and the password.
// Any pair is checked, so that every wrong one counts toward the lock.
type envelopeLoginForm struct {
	Username string `form:"username" label:"the user name"`
	Password string `form:"password" label:"the password" trim:"no"`
}

// EnvelopeLogin checks user name and password; the third failure locks the credential.
func (h *Handler) EnvelopeLogin(c *fiber.Ctx) error {
	cred, token, err := h.envelopeCred(c)
	if err != nil {
		return err
	}
	if cred.Locked() {
		return h.renderEnvelope(c, fiber.StatusForbidden, "locked", cred, token, nil)
	}
	if cred.NeedsPassword() {
		return c.Redirect("/envelope/"+token, fiber.StatusSeeOther)
	}
	ctx := c.UserContext()
	var f envelopeLoginForm
	if fe := h.bindForm(c, &f); fe != nil {
		return h.renderEnvelope(c, fiber.StatusUnprocessableEntity, "login", cred, token, &envelopeView{Errors: fe, Username: f.Username})
	}
	ok, err := h.messages().CheckEnvelopeLogin(ctx, cred, f.Username, f.Password)
	if err != nil {
		return err
	}
	if !ok {
		_ = h.st.Audit.Record(ctx, h.partnerAudit(c, cred, models.AuditEntry{Action: "envelope.login_failed",
			Detail: "failed attempt " + strconv.Itoa(cred.FailedAttempts)}))
		if cred.Locked() {
			_ = h.st.Audit.Record(ctx, h.partnerAudit(c, cred, models.AuditEntry{Action: "envelope.locked", Detail: "locked after 3 failed attempts"}))
			return h.renderEnvelope(c, fiber.StatusForbidden, "locked", cred, token, nil)
		}
		msg := "The user name or password is not right."
		if cred.FailedAttempts >= models.EnvelopeMaxFailures-1 {
			msg += " Please double check your spelling and the Caps Lock key: one more failed attempt locks this secure envelope."
		}
		return h.renderEnvelope(c, fiber.StatusUnauthorized, "login", cred, token, &envelopeView{Errors: models.FieldErrors{"password": msg}, Username: f.Username})
	}
	sess, err := h.messages().StartEnvelopeSession(ctx, cred)
	if err != nil {
		return err
	}
	h.setEnvelopeCookie(c, sess)
	_ = h.st.Audit.Record(ctx, h.partnerAudit(c, cred, models.AuditEntry{Action: "envelope.login"}))
	return c.Redirect("/envelope/"+token, fiber.StatusSeeOther)
}

// EnvelopeForgot sends a new link to the address the envelope was sent to. The answer
// is the same whatever the state, so it reveals nothing.
func (h *Handler) EnvelopeForgot(c *fiber.Ctx) error {
	token := utils.CopyString(c.Params("token"))
	cred, err := h.messages().CredentialByToken(c.UserContext(), token)
	if err == nil && !cred.Expired(h.db.NowText()) {
		if err := h.messages().ReissueEnvelope(c.UserContext(), cred.ThreadID, false); err != nil {
			return err
		}
		_ = h.st.Audit.Record(c.UserContext(), h.partnerAudit(c, cred, models.AuditEntry{Action: "envelope.forgot_password"}))
	} else if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	return h.renderEnvelope(c, fiber.StatusOK, "sent", nil, "", nil)
}

// EnvelopeReply adds the partner's reply to their thread (to plan staff only: the
// thread's other side is always the plan).
func (h *Handler) EnvelopeReply(c *fiber.Ctx) error {
	cred, token, err := h.envelopeCred(c)
	if err != nil {
		return err
	}
	ok, err := h.partnerSignedIn(c, cred)
	if err != nil {
		return err
	}
	if !ok {
		return fiber.NewError(fiber.StatusForbidden, "Please sign in to this secure envelope with its user name and password first.")
	}
	d, fe := h.readReply(c)
	if len(fe) > 0 {
		return h.renderEnvelope(c, fiber.StatusUnprocessableEntity, "thread", cred, token, &envelopeView{Errors: fe, ReplyBody: d.Body})
	}
	t, err := h.messages().EnvelopePartnerThread(c.UserContext(), cred)
	if err != nil {
		return err
	}
	if t.NextThreadID != 0 {
		return fiber.NewError(fiber.StatusConflict, "This conversation continues in a new secure envelope. Please reply there, with the link that was sent to your e-mail.")
	}
	res, err := h.messages().Reply(c.UserContext(), t, models.MessageAuthor{PartnerUsername: cred.Username}, d, h.partnerAudit(c, cred, models.AuditEntry{}))
	if err != nil {
		return err
	}
	if res.Continued {
		h.flash(c, "info", "This conversation had reached 12 messages, so your reply started a new secure envelope. A link to it has been sent to your e-mail.")
	} else {
		h.flash(c, "success", "Your reply was sent securely.")
	}
	return c.Redirect("/envelope/"+token, fiber.StatusSeeOther)
}

// EnvelopeLogout ends the partner session.
func (h *Handler) EnvelopeLogout(c *fiber.Ctx) error {
	token := utils.CopyString(c.Params("token"))
	if v := c.Cookies(envelopeCookie); v != "" {
		_ = h.messages().EndEnvelopeSession(c.UserContext(), utils.CopyString(v))
	}
	h.clearEnvelopeCookie(c)
	return c.Redirect("/envelope/"+token, fiber.StatusSeeOther)
}

// EnvelopeAttachment downloads an attachment of the partner's own thread only.
func (h *Handler) EnvelopeAttachment(c *fiber.Ctx) error {
	cred, _, err := h.envelopeCred(c)
	if err != nil {
		return err
	}
	ok, err := h.partnerSignedIn(c, cred)
	if err != nil {
		return err
	}
	if !ok {
		return fiber.NewError(fiber.StatusForbidden, "Please sign in to this secure envelope first.")
	}
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return models.ErrNotFound
	}
	tid, err := h.messages().AttachmentThread(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	if tid != cred.ThreadID {
		return models.ErrNotFound
	}
	a, err := h.messages().AttachmentFor(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	if err := h.st.Audit.Record(c.UserContext(), h.partnerAudit(c, cred, models.AuditEntry{Action: "attachment.download",
		ObjectType: "message_attachment", ObjectID: strconv.Itoa(id)})); err != nil {
		return err
	}
	return h.sendFile(c, a.Name, a.MIME, a.Data)
}

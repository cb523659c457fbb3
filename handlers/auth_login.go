package handlers

import (
	"errors"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// Rate limits (SPEC §2): attempts per window, per address and per account.
const (
	limitWindow     = 10 * time.Minute
	limitPerIP      = 30
	limitPerAccount = 10
)

// tooMany is the 429 answer when a sign-in rate limit is reached.
var tooMany = fiber.NewError(fiber.StatusTooManyRequests,
	"There were too many failed sign-in attempts from here or for this account. Please wait 10 minutes and try again. "+
		"If you cannot sign in, use “Trouble logging in?” or call Provider Services.")

// tooManyChecks is the 429 answer on a signed-in page that asks for the password or a
// code again (Sign-in and security): the user is signed in, so sign-in advice is wrong.
var tooManyChecks = fiber.NewError(fiber.StatusTooManyRequests,
	"Too many wrong passwords or codes were entered for your account in the last 10 minutes. "+
		"Please wait 10 minutes and try again. You stay signed in meanwhile.")

// blocked tells whether the per-address or per-account limit of one kind of attempt is
// reached. It records nothing: only failures count (SPEC §2: a training class shares
// the demo accounts, so successful sign-ins must never use the limit up).
func (h *Handler) blocked(c *fiber.Ctx, kind, account string) bool {
	if h.limiter.Blocked(kind+"-ip:"+c.IP(), limitPerIP, limitWindow) {
		return true
	}
	return account != "" && h.limiter.Blocked(kind+"-acct:"+strings.ToLower(account), limitPerAccount, limitWindow)
}

// failed counts a failed attempt of kind from this address and for account.
func (h *Handler) failed(c *fiber.Ctx, kind, account string) {
	h.limiter.Hit(kind + "-ip:" + c.IP())
	if account != "" {
		h.limiter.Hit(kind + "-acct:" + strings.ToLower(account))
	}
}

// safeNext keeps a post-sign-in destination only when it is a path on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") ||
		strings.HasPrefix(next, "/login") || strings.HasPrefix(next, "/logout") {
		return "/dashboard"
	}
	return next
}

// demoCode is the current TOTP code of the demo accounts, shown on the sign-in pages in
// demo mode only (SPEC §12).
func (h *Handler) demoCode() string {
	if !h.opts.Demo {
		return ""
	}
	return models.TOTPCode("JBSWY3DPEHPK3PXP", h.db.Clock.Wall())
}

// lockMessage tells a locked user why and how to unlock (the portal guide's "Is your
// account locked?").
func lockMessage(u *models.User) string {
	why := "Your account is locked."
	switch u.LockedReason {
	case models.LockFailedLogins:
		why = "Your account was locked after five failed sign-in attempts in a row."
	case models.LockInactive:
		why = "Your account is locked because nobody signed in to it for 90 days."
	case models.LockPasswordExpired:
		why = "Your account is locked because your password expired."
	case models.LockAdmin:
		why = "A plan admin locked your account."
	}
	how := " To unlock it, select “Trouble logging in?” below: we e-mail you a link to set a new password, which unlocks the account. " +
		"Your account manager can also unlock you in User Management, or call Provider Services."
	if u.IsPlanStaff() {
		how = " To unlock it, select “Trouble logging in?” below, or ask a plan admin."
	}
	return why + how
}

// loginView is the data of pages/auth/login: the form as typed and why it was refused.
type loginView struct {
	View
	Email, Next, DemoCode string
	// Locked and Problem explain a refused sign-in; BothWrong marks both fields wrong.
	Locked, Problem string
	BothWrong       bool
	Errors          models.FieldErrors
}

// loginQuery is what the sign-in page's address carries: where to go after signing in
// and, after a sign-out, which one.
type loginQuery struct {
	Next      string `query:"next"`
	SignedOut string `query:"signed_out"`
}

// Login shows the sign-in form.
func (h *Handler) Login(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect("/dashboard", fiber.StatusSeeOther)
	}
	if _, err := h.csrfToken(c); err != nil {
		return err
	}
	var q loginQuery
	_ = h.bindQuery(c, &q) // an unreadable address is a plain sign-in page
	if q.SignedOut != "" {
		// Sign-out cleared the browser's cookies (Clear-Site-Data), a flash cookie too.
		text := "You are signed out."
		if q.SignedOut == "everywhere" {
			text = "You are signed out on every browser and device."
		}
		c.Locals(localFlash, &Flash{Kind: "success", Text: text})
	}
	return h.renderLogin(c, fiber.StatusOK, &loginView{Next: q.Next})
}

func (h *Handler) renderLogin(c *fiber.Ctx, status int, data *loginView) error {
	data.DemoCode = h.demoCode()
	return h.render(c, status, "pages/auth/login", "Sign in", data)
}

// signInForm is the sign-in form as typed; the password keeps its spaces.
type signInForm struct {
	Email    string `form:"email"`
	Password string `form:"password" trim:"no"`
	Next     string `form:"next"`
}

// Validate asks for both fields. Nothing longer than an e-mail address or a password
// can be is looked at (an argon2id hash of megabytes, or megabytes of rate-limiter
// keys, would be a cheap attack): it counts as nothing typed, and is not shown again.
func (f *signInForm) Validate() models.FieldErrors {
	if len(f.Email) > 254 || len(f.Password) > 1024 {
		f.Email, f.Password = "", ""
	}
	errs := models.FieldErrors{}
	if f.Email == "" {
		errs["email"] = "Enter your e-mail address."
	}
	if f.Password == "" {
		errs["password"] = "Enter your password."
	}
	return errs
}

// LoginPost checks the e-mail and password. On success a new session that owes the
// second factor replaces the visitor's session; the next step is the code (or, for a
// user without one yet, enrolment).
func (h *Handler) LoginPost(c *fiber.Ctx) error {
	var f signInForm
	errs := h.bindForm(c, &f)
	email, password := f.Email, f.Password
	data := &loginView{Email: email, Next: f.Next}
	if h.blocked(c, "login", email) {
		return tooMany
	}
	// Every outcome but a right password counts toward the limits.
	ok := false
	defer func() {
		if !ok {
			h.failed(c, "login", email)
		}
	}()
	if len(errs) > 0 {
		data.Errors = errs
		return h.renderLogin(c, fiber.StatusUnprocessableEntity, data)
	}
	users := h.st.Users
	u, outcome, err := users.CheckSignIn(c.UserContext(), email, password, h.opts.PasswordExpiry, c.IP())
	if err != nil {
		return err
	}
	switch outcome {
	case models.SignInOK:
		ok = true
	case models.SignInLocked:
		data.Locked = lockMessage(u)
		return h.renderLogin(c, fiber.StatusForbidden, data)
	case models.SignInDisabled:
		data.Problem = "Your account is disabled. Ask your account manager (or, for plan staff, a plan admin) to enable it."
		return h.renderLogin(c, fiber.StatusForbidden, data)
	default:
		// The fifth failure locks the user, but the answer stays the same as for an
		// unknown e-mail; the lock is explained once the right password is given.
		// One message for both fields (which one is wrong is not said), in the error
		// summary that takes focus, and both fields marked invalid. It is keyed by the
		// first field, so the summary links there and the message stands under it.
		data.Errors = models.FieldErrors{"email": "The e-mail address or the password is not right. Check them and try again. " +
			"After five failed attempts in a row the account is locked: then use “Trouble logging in?” to unlock it."}
		data.BothWrong = true
		return h.renderLogin(c, fiber.StatusUnprocessableEntity, data)
	}
	to := "/login/mfa"
	if u.TOTPSecret == "" {
		to = "/login/enrol"
		if err := h.beginEnrolment(c, u); err != nil {
			return err
		}
	} else if _, err := h.startSession(c, u.ID, models.StageMFA); err != nil {
		return err
	}
	if n := safeNext(f.Next); n != "/dashboard" {
		to += "?next=" + url.QueryEscape(n)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// sessionAt returns the user of a session at stage, or nil.
func sessionAt(c *fiber.Ctx, stage string) *models.User {
	s := currentSession(c)
	if s == nil || s.Stage != stage {
		return nil
	}
	return pendingUser(c)
}

// mfaView is the data of pages/auth/mfa.
type mfaView struct {
	View
	DemoCode, Next string
	Errors         models.FieldErrors
}

// secondFactorForm is the code of the second-factor step: an authenticator code or a
// recovery code.
type secondFactorForm struct {
	Code string `form:"code" label:"the 6-digit code from your authenticator app, or a recovery code" validate:"required"`
}

// codeForm is an authenticator code that confirms a change (a new authenticator, new
// recovery codes). An empty code is simply a code that does not match.
type codeForm struct {
	Code string `form:"code"`
}

// nextQuery is where the second-factor step goes afterwards, carried in its address.
type nextQuery struct {
	Next string `query:"next"`
}

// nextParam is the page to go to after signing in, from the address; the dashboard
// unless it is a path on this site.
func (h *Handler) nextParam(c *fiber.Ctx) string {
	var q nextQuery
	_ = h.bindQuery(c, &q) // an unreadable address goes to the dashboard
	return safeNext(q.Next)
}

// MFA asks for the second factor.
func (h *Handler) MFA(c *fiber.Ctx) error {
	if sessionAt(c, models.StageMFA) == nil {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return h.renderMFA(c, fiber.StatusOK, nil)
}

func (h *Handler) renderMFA(c *fiber.Ctx, status int, errs models.FieldErrors) error {
	return h.render(c, status, "pages/auth/mfa", "Enter your code", &mfaView{DemoCode: h.demoCode(), Next: h.nextParam(c), Errors: errs})
}

// MFAPost checks a TOTP code (each accepted once) or a recovery code (each works once),
// then starts the signed-in session with a new ID.
func (h *Handler) MFAPost(c *fiber.Ctx) error {
	u := sessionAt(c, models.StageMFA)
	if u == nil {
		h.flash(c, "warning", "Your sign-in took too long. Please start again.")
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	if h.blocked(c, "mfa", u.Email) {
		return tooMany
	}
	var f secondFactorForm
	if errs := h.bindForm(c, &f); errs != nil {
		h.failed(c, "mfa", u.Email)
		return h.renderMFA(c, fiber.StatusUnprocessableEntity, errs)
	}
	users := h.st.Users
	method, err := users.VerifySecondFactor(c.UserContext(), u, f.Code)
	if err != nil {
		return err
	}
	if method == "" {
		h.failed(c, "mfa", u.Email)
		locked, err := users.RecordSecondFactorFailure(c.UserContext(), u, c.IP())
		if err != nil {
			return err
		}
		if locked {
			_ = h.endSession(c)
			if _, err := h.csrfToken(c); err != nil {
				return err
			}
			return h.renderLogin(c, fiber.StatusForbidden, &loginView{Locked: lockMessage(u), Email: u.Email})
		}
		return h.renderMFA(c, fiber.StatusUnprocessableEntity, models.FieldErrors{
			"code": "That code did not work. Codes change every 30 seconds and each one works once: wait for the next code and enter it."})
	}
	if err := h.finishSignIn(c, u, method); err != nil {
		return err
	}
	if method == "recovery" {
		left, err := users.RecoveryCodesLeft(c.UserContext(), u.ID)
		if err == nil {
			h.flash(c, "warning", "You signed in with a recovery code; it cannot be used again. Recovery codes left: "+itoa(left)+".")
		}
	}
	return c.Redirect(h.nextParam(c), fiber.StatusSeeOther)
}

// finishSignIn replaces the half-signed-in session with a full one and records the
// sign-in. Office users start on their first TIN and the Commercial plan type.
func (h *Handler) finishSignIn(c *fiber.Ctx, u *models.User, method string) error {
	ctx := c.UserContext()
	sess, err := h.startSession(c, u.ID, models.StageFull)
	if err != nil {
		return err
	}
	if err := h.st.Users.RecordSignIn(ctx, u, method, c.IP()); err != nil {
		return err
	}
	if !u.IsPlanStaff() {
		tins, err := h.st.Accounts.TINs(ctx, u.AccountID)
		if err != nil {
			return err
		}
		var tinID int64
		for _, t := range tins {
			if t.Status == "verified" {
				tinID = t.ID
				break
			}
		}
		if err := h.sessions().SetContext(ctx, sess, tinID, models.PlanCommercial); err != nil {
			return err
		}
	}
	return nil
}

// Enrol shows the QR code and the secret of a new TOTP second factor.
func (h *Handler) Enrol(c *fiber.Ctx) error {
	u := sessionAt(c, models.StageEnrol)
	if u == nil {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return h.renderEnrol(c, u, fiber.StatusOK, nil)
}

// beginEnrolment gives u a pending TOTP secret and a new session at the enrolment stage.
func (h *Handler) beginEnrolment(c *fiber.Ctx, u *models.User) error {
	if err := h.st.Users.PrepareEnrolment(c.UserContext(), u, "Portico "+h.opts.PlanName); err != nil {
		return err
	}
	_, err := h.startSession(c, u.ID, models.StageEnrol)
	return err
}

// enrolView is the data of pages/auth/enrol: the new secret, spaced for typing, and its
// QR code.
type enrolView struct {
	View
	Secret string
	QR     template.URL
	Errors models.FieldErrors
}

func (h *Handler) renderEnrol(c *fiber.Ctx, u *models.User, status int, errs models.FieldErrors) error {
	e, err := h.st.Users.Enrolment(c.UserContext(), u)
	if errors.Is(err, models.ErrNotFound) {
		h.flash(c, "warning", "Please sign in again to set up your authenticator app.")
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	// The image is our own PNG, base64-encoded: safe as a data: URL (the CSP allows img data:).
	return h.render(c, status, "pages/auth/enrol", "Set up your authenticator app",
		&enrolView{Secret: spaced(e.Secret), QR: template.URL(e.QR), Errors: errs})
}

// spaced groups a base32 secret in fours so that it is easier to type.
func spaced(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// EnrolPost confirms the first code, makes the secret the user's second factor, signs
// the user in and shows the 10 recovery codes once.
func (h *Handler) EnrolPost(c *fiber.Ctx) error {
	u := sessionAt(c, models.StageEnrol)
	if u == nil {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	if h.blocked(c, "mfa", u.Email) {
		return tooMany
	}
	var f codeForm
	if errs := h.bindForm(c, &f); errs != nil {
		h.failed(c, "mfa", u.Email)
		return h.renderEnrol(c, u, fiber.StatusUnprocessableEntity, errs)
	}
	codes, ok, err := h.st.Users.ConfirmEnrolment(c.UserContext(), u, f.Code)
	if err != nil {
		return err
	}
	if !ok {
		h.failed(c, "mfa", u.Email)
		return h.renderEnrol(c, u, fiber.StatusUnprocessableEntity, models.FieldErrors{
			"code": "That code did not match. Check that the app shows “Portico” for " + u.Email + " and enter its current 6-digit code."})
	}
	if err := h.finishSignIn(c, u, "totp enrolment"); err != nil {
		return err
	}
	c.Locals(localUser, u)
	return h.render(c, fiber.StatusOK, "pages/auth/recovery", "Your recovery codes", &recoveryView{Codes: codes})
}

// recoveryView is the data of pages/auth/recovery: new recovery codes, shown once, and
// where to continue ("" for the dashboard).
type recoveryView struct {
	View
	Codes []string
	Back  string
}

// clearSiteData is the Clear-Site-Data header of a sign-out.
const clearSiteData = `"cache", "cookies", "storage"`

// Logout ends this session.
func (h *Handler) Logout(c *fiber.Ctx) error {
	if u := pendingUser(c); u != nil {
		h.auditAs(c, u, models.AuditEntry{Action: "logout", ObjectType: "user", ObjectID: itoa64(u.ID)})
	}
	if err := h.endSession(c); err != nil {
		return err
	}
	// The browser drops everything it kept for the site: cached signed-in pages,
	// cookies, storage (a shared front-desk computer).
	c.Set("Clear-Site-Data", clearSiteData)
	return c.Redirect("/login?signed_out=1", fiber.StatusSeeOther)
}

// LogoutEverywhere ends every session of the user, on every browser.
func (h *Handler) LogoutEverywhere(c *fiber.Ctx) error {
	u := currentUser(c)
	if err := h.sessions().DeleteForUser(c.UserContext(), u.ID); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "logout_everywhere", ObjectType: "user", ObjectID: itoa64(u.ID)})
	if err := h.st.Outbox.SecurityNotice(c.UserContext(), u, models.NoticeSignedOutEverywhere); err != nil {
		h.log.Error("security notice", "err", err)
	}
	h.clearSessionCookie(c)
	c.Set("Clear-Site-Data", clearSiteData)
	return c.Redirect("/login?signed_out=everywhere", fiber.StatusSeeOther)
}

// KeepAlive restarts the idle clock ("Stay signed in" in the idle warning).
func (h *Handler) KeepAlive(c *fiber.Ctx) error {
	sess := currentSession(c)
	if err := h.sessions().KeepAlive(c.UserContext(), sess); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if c.Get("HX-Request") != "" {
		c.Set("X-Idle-Seconds", itoa(int(h.sessions().IdleRemaining(sess)/time.Second)))
		return c.SendStatus(fiber.StatusNoContent)
	}
	back := "/dashboard"
	if ref, err := url.Parse(c.Get(fiber.HeaderReferer)); err == nil && ref.Host == c.Hostname() {
		back = safeNext(ref.RequestURI())
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}

// SessionStatus tells the idle warning how long the session has left, in the
// X-Idle-Seconds header. The page's script sends it with X-Portico-Poll, so asking does
// not count as activity.
func (h *Handler) SessionStatus(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Idle-Seconds", itoa(int(h.sessions().IdleRemaining(currentSession(c))/time.Second)))
	return c.SendStatus(fiber.StatusNoContent)
}

// errLink is the page for a used, expired or unknown e-mailed link.
func errLink(what string) error {
	return fiber.NewError(fiber.StatusGone, "This "+what+" link has expired or was already used. Links work once and for a limited time: ask for a new one.")
}

func isLinkUsed(err error) bool { return errors.Is(err, models.ErrLinkUsed) }

package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var msgEnvelopeLink = regexp.MustCompile(`http://portico\.test/envelope/([A-Za-z0-9_-]+)`)

// msgNewestLink is the newest envelope link mailed to addr.
func (ta *testApp) msgNewestLink(t *testing.T, addr string) string {
	t.Helper()
	for _, m := range ta.msgOutboxTo(addr) {
		if l := msgEnvelopeLink.FindStringSubmatch(m.Body); l != nil {
			return "/envelope/" + l[1]
		}
	}
	t.Fatalf("no envelope link mailed to %s", addr)
	return ""
}

// msgStartEnvelope has the associate start a registered envelope and returns its thread ID and link.
func msgStartEnvelope(t *testing.T, ta *testApp, rep *client, partner, subject string, files ...msgFile) (int64, string) {
	t.Helper()
	r := rep.msgPostMultipart("/messages/envelopes", url.Values{"email": {partner}, "subject": {subject}, "body": {"Envelope body for " + subject}}, files...)
	id := msgSentThreadID(t, r)
	return id, ta.msgNewestLink(t, partner)
}

const msgPartnerPassword = "correct horse battery staple"

func TestRegisteredEnvelope(t *testing.T) {
	ta := newTestApp(t)
	rep := ta.as("rep@plan.example")

	// The plan's own domain is refused: envelopes are for outside partners.
	rep.post("/messages/envelopes", url.Values{"email": {"nurse@plan.example"}, "subject": {"x"}, "body": {"y"}}).mustStatus(t, 422).mustContain(t, "own domain")

	id, link := msgStartEnvelope(t, ta, rep, "partner@lawfirm.example", "Records request 77", msgFile{"records.csv", []byte("claim,amount\n1,20\n2,30\n")})
	mail := ta.msgOutboxTo("partner@lawfirm.example")[0]
	if strings.Contains(mail.Body+mail.Subject, "Records request 77") {
		t.Fatal("the notice holds message text")
	}
	partner := ta.anon()
	r := partner.get(link).mustStatus(t, 200).mustContain(t, "Choose your password", "envelope-"+strconv.FormatInt(id, 10)+"-")
	r.mustNotContain(t, "Records request 77")
	username := regexp.MustCompile(`envelope-\d+-[0-9a-f]+`).FindString(r.Body)

	partner.post(link+"/password", url.Values{"password": {"too short"}, "confirm": {"too short"}}).mustStatus(t, 422).mustContain(t, "at least 15 characters")
	partner.post(link+"/password", url.Values{"password": {msgPartnerPassword}, "confirm": {msgPartnerPassword + "x"}}).mustStatus(t, 422).mustContain(t, "do not match")
	partner.post(link+"/password", url.Values{"password": {msgPartnerPassword}, "confirm": {msgPartnerPassword}}).mustStatus(t, http.StatusSeeOther)
	partner.get(link).mustStatus(t, 200).mustContain(t, "Records request 77", "Envelope body for Records request 77", "records.csv")
	// The first visit's link cannot set a password again.
	partner.post(link+"/password", url.Values{"password": {"another long password here"}, "confirm": {"another long password here"}}).mustStatus(t, http.StatusSeeOther)

	// The partner replies (to plan staff: the thread's other side), with an attachment.
	repMails := len(ta.msgOutboxTo("rep@plan.example"))
	partner.msgPostMultipart(link+"/reply", url.Values{"body": {"Partner answer"}}, msgFile{"reply.txt", []byte("details\n")}).mustStatus(t, http.StatusSeeOther)
	if len(ta.msgOutboxTo("rep@plan.example")) != repMails+1 {
		t.Fatal("the associate got no notice of the partner's reply")
	}
	rep.get("/messages/"+strconv.FormatInt(id, 10)).mustStatus(t, 200).mustContain(t, "Partner answer", username+"</strong> (outside partner)", "Read by "+username)
	aid := ta.msgLastAttachmentID(id)
	partner.get(link+"/attachments/"+strconv.FormatInt(aid, 10)).mustStatus(t, 200).mustContain(t, "details")

	// A partner without the session sees only the sign-in form.
	stranger := ta.anon()
	stranger.get(link).mustStatus(t, 200).mustContain(t, "Sign in to open").mustNotContain(t, "Partner answer")
	stranger.post(link+"/reply", url.Values{"body": {"sneaky"}}).mustStatus(t, 403)
	stranger.get(link+"/attachments/"+strconv.FormatInt(aid, 10)).mustStatus(t, 403)

	// Three failures lock the credential, even against the right password afterwards.
	stranger.post(link+"/login", url.Values{"username": {username}, "password": {"wrong one"}}).mustStatus(t, 401)
	stranger.post(link+"/login", url.Values{"username": {username}, "password": {"wrong two"}}).mustStatus(t, 401).mustContain(t, "Caps Lock")
	stranger.post(link+"/login", url.Values{"username": {"someone-else"}, "password": {msgPartnerPassword}}).mustStatus(t, 403).mustContain(t, "locked")
	stranger.post(link+"/login", url.Values{"username": {username}, "password": {msgPartnerPassword}}).mustStatus(t, 403).mustContain(t, "locked")
	partner.get(link).mustStatus(t, 403).mustContain(t, "locked")
	if ta.auditCount("envelope.locked", "") != 1 {
		t.Fatal("the lock was not audited")
	}
	// "Forgot password" does not unlock; the answer is the same.
	stranger.post(link+"/forgot", nil).mustStatus(t, 200).mustContain(t, "If this secure envelope is still open")
	rep.get("/messages/"+strconv.FormatInt(id, 10)).mustContain(t, "Locked after 3 failed attempts")

	// The associate unlocks; the right pair works again.
	rep.post("/messages/"+strconv.FormatInt(id, 10)+"/envelope/unlock", nil).mustStatus(t, http.StatusSeeOther)
	stranger.post(link+"/login", url.Values{"username": {username}, "password": {msgPartnerPassword}}).mustStatus(t, http.StatusSeeOther)
	stranger.get(link).mustStatus(t, 200).mustContain(t, "Partner answer")

	// Forgot password: a new link by e-mail, the old one stops working, same answer for nonsense.
	before := len(ta.msgOutboxTo("partner@lawfirm.example"))
	stranger.post(link+"/forgot", nil).mustStatus(t, 200).mustContain(t, "If this secure envelope is still open")
	if len(ta.msgOutboxTo("partner@lawfirm.example")) != before+1 {
		t.Fatal("no new link was mailed")
	}
	ta.anon().get(link).mustStatus(t, 404)
	stranger.post("/envelope/not-a-real-token/forgot", nil).mustStatus(t, 200).mustContain(t, "If this secure envelope is still open")
	newLink := ta.msgNewestLink(t, "partner@lawfirm.example")
	if newLink == link {
		t.Fatal("the new link equals the old one")
	}
	ta.anon().get(newLink).mustStatus(t, 200).mustContain(t, "Choose your password", username)

	// The associate may also reissue: another new link, the previous one dead.
	rep.post("/messages/"+strconv.FormatInt(id, 10)+"/envelope/reissue", nil).mustStatus(t, http.StatusSeeOther)
	third := ta.msgNewestLink(t, "partner@lawfirm.example")
	if third == newLink {
		t.Fatal("reissue mailed no new link")
	}
	ta.anon().get(newLink).mustStatus(t, 404)
	ta.anon().get(third).mustStatus(t, 200).mustContain(t, "Choose your password")
	if ta.auditCount("envelope.reissue", "") != 1 || ta.auditCount("envelope.unlock", "") != 1 {
		t.Fatal("unlock and reissue are not audited")
	}
}

// TestEnvelopeCredentialIsPerThread: a partner's session on one thread opens no other.
func TestEnvelopeCredentialIsPerThread(t *testing.T) {
	ta := newTestApp(t)
	rep := ta.as("rep@plan.example")
	idA, linkA := msgStartEnvelope(t, ta, rep, "alpha@vendor.example", "Alpha matter", msgFile{"a.txt", []byte("alpha file\n")})
	_, linkB := msgStartEnvelope(t, ta, rep, "beta@agency.example", "Beta matter")
	partnerA := ta.anon()
	partnerA.get(linkA)
	partnerA.post(linkA+"/password", url.Values{"password": {msgPartnerPassword}, "confirm": {msgPartnerPassword}}).mustStatus(t, http.StatusSeeOther)
	partnerA.get(linkA).mustStatus(t, 200).mustContain(t, "Alpha matter")

	partnerA.get(linkB).mustStatus(t, 200).mustNotContain(t, "Beta matter", "Envelope body")
	partnerA.post(linkB+"/reply", url.Values{"body": {"cross"}}).mustStatus(t, 403)
	aid := ta.msgLastAttachmentID(idA)
	partnerA.get(linkB+"/attachments/"+strconv.FormatInt(aid, 10)).mustStatus(t, 403)
	// Even signed in to B, A's attachment stays A's.
	partnerB := ta.anon()
	partnerB.get(linkB)
	partnerB.post(linkB+"/password", url.Values{"password": {msgPartnerPassword}, "confirm": {msgPartnerPassword}}).mustStatus(t, http.StatusSeeOther)
	partnerB.get(linkB+"/attachments/"+strconv.FormatInt(aid, 10)).mustStatus(t, 404)
	// A partner session is no portal session.
	partnerA.get("/messages").mustStatus(t, http.StatusSeeOther)

	// Expired envelopes are closed.
	ta.db.W.Exec("UPDATE envelope_credentials SET expires_at = '2000-01-01T00:00:00Z' WHERE thread_id = ?", idA)
	partnerA.get(linkA).mustStatus(t, http.StatusGone)
	partnerA.post(linkA+"/reply", url.Values{"body": {"late"}}).mustStatus(t, http.StatusGone)
}

// TestEnvelopeExpirySetting: the lifetime of new envelopes is a setting (30 days unset).
func TestEnvelopeExpirySetting(t *testing.T) {
	ta := newTestApp(t)
	rep := ta.as("rep@plan.example")
	id30, _ := msgStartEnvelope(t, ta, rep, "one@vendor.example", "Thirty days")
	ta.db.W.Exec("INSERT OR REPLACE INTO settings(key, value) VALUES ('envelope_expiry_days', '7')")
	id7, _ := msgStartEnvelope(t, ta, rep, "two@vendor.example", "Seven days")
	var d30, d7 float64
	ta.db.R.QueryRow("SELECT julianday(expires_at) - julianday(created_at) FROM envelope_credentials WHERE thread_id = ?", id30).Scan(&d30)
	ta.db.R.QueryRow("SELECT julianday(expires_at) - julianday(created_at) FROM envelope_credentials WHERE thread_id = ?", id7).Scan(&d7)
	if int(d30+0.5) != 30 || int(d7+0.5) != 7 {
		t.Fatalf("envelope lifetimes %.1f and %.1f days, want 30 and 7", d30, d7)
	}
}

// TestEnvelopeThirteenthMessage: a full envelope thread continues in a new envelope
// with its own credential; the partner gets its link, and the old thread takes no
// more replies.
func TestEnvelopeThirteenthMessage(t *testing.T) {
	ta := newTestApp(t)
	rep := ta.as("rep@plan.example")
	id, link := msgStartEnvelope(t, ta, rep, "long@vendor.example", "Long envelope")
	partner := ta.anon()
	partner.get(link)
	partner.post(link+"/password", url.Values{"password": {msgPartnerPassword}, "confirm": {msgPartnerPassword}}).mustStatus(t, http.StatusSeeOther)
	path := "/messages/" + strconv.FormatInt(id, 10)
	for i := 2; i <= 12; i++ {
		if i%2 == 0 {
			partner.post(link+"/reply", url.Values{"body": {"partner " + strconv.Itoa(i)}}).mustStatus(t, http.StatusSeeOther)
		} else {
			rep.post(path+"/reply", url.Values{"body": {"plan " + strconv.Itoa(i)}}).mustStatus(t, http.StatusSeeOther)
		}
	}
	before := len(ta.msgOutboxTo("long@vendor.example"))
	partner.post(link+"/reply", url.Values{"body": {"thirteenth from the partner"}}).mustStatus(t, http.StatusSeeOther)
	if len(ta.msgOutboxTo("long@vendor.example")) != before+1 {
		t.Fatal("the partner got no link to the new envelope")
	}
	var next int64
	var creds int
	ta.db.R.QueryRow("SELECT COALESCE(next_thread_id,0) FROM message_threads WHERE id = ?", id).Scan(&next)
	ta.db.R.QueryRow("SELECT COUNT(*) FROM envelope_credentials WHERE thread_id IN (?, ?)", id, next).Scan(&creds)
	if next == 0 || creds != 2 {
		t.Fatalf("next thread %d, %d credentials", next, creds)
	}
	partner.get(link).mustStatus(t, 200).mustContain(t, "continues in a new secure envelope").mustNotContain(t, "env-reply-body")
	partner.post(link+"/reply", url.Values{"body": {"late"}}).mustStatus(t, http.StatusConflict)
	newLink := ta.msgNewestLink(t, "long@vendor.example")
	ta.anon().get(newLink).mustStatus(t, 200).mustContain(t, "Choose your password", "envelope-"+strconv.FormatInt(next, 10)+"-")
	rep.get("/messages/"+strconv.FormatInt(next, 10)).mustStatus(t, 200).mustContain(t, "thirteenth from the partner", "an earlier thread")
}

// TestEnvelopePageRenders runs the partner's page in every state (set up, refused
// password, thread, refused reply, sign-in, refused sign-in, new link sent, locked), and
// the message center's thread pane as htmx fetches it and as a refused reply shows it:
// states that need a live envelope token, which a static pageVisits row cannot carry.
// Every run must succeed with typed page data.
func TestEnvelopePageRenders(t *testing.T) {
	log := &renderLog{ran: map[string]int{}}
	ta := newTestApp(t, func(o *Options) { o.OnRender = log.hook })
	rep := ta.as("rep@plan.example")
	id, link := msgStartEnvelope(t, ta, rep, "render@vendor.example", "Render check")
	path := "/messages/" + strconv.FormatInt(id, 10)
	rep.htmx = true
	rep.get(path).mustStatus(t, 200).mustContain(t, "Render check", `data-hx-swap-oob="true"`).mustNotContain(t, "<html")
	rep.htmx = false
	rep.post(path+"/reply", url.Values{"body": {"  "}}).mustStatus(t, 422).mustContain(t, "Your reply was not sent", `href="#reply-body"`, "Write your message.", "Partner credential")

	partner := ta.anon()
	partner.get(link).mustStatus(t, 200).mustContain(t, "Choose your password")
	partner.post(link+"/password", url.Values{"password": {"short"}, "confirm": {"short"}}).mustStatus(t, 422).mustContain(t, "Your password was not set", `href="#env-password"`, `id="env-password-error"`)
	partner.post(link+"/password", url.Values{"password": {msgPartnerPassword}, "confirm": {msgPartnerPassword}}).mustStatus(t, http.StatusSeeOther)
	partner.get(link).mustStatus(t, 200).mustContain(t, "Render check", "Signed in as envelope-")
	long := strings.Repeat("w", 20001)
	partner.msgPostMultipart(link+"/reply", url.Values{"body": {long}}).mustStatus(t, 422).mustContain(t, "Keep the message to 20000 characters", `href="#env-reply-body"`, long)

	stranger := ta.anon()
	stranger.get(link).mustStatus(t, 200).mustContain(t, "Sign in to open your secure message")
	stranger.post(link+"/login", url.Values{"username": {"typed-name"}, "password": {"wrong"}}).mustStatus(t, 401).mustContain(t, "Not signed in", `href="#env-password"`, `value="typed-name"`)
	stranger.post(link+"/forgot", nil).mustStatus(t, 200).mustContain(t, "If this secure envelope is still open")
	link = ta.msgNewestLink(t, "render@vendor.example")
	ta.db.W.Exec("UPDATE envelope_credentials SET locked_at = '2026-01-01T00:00:00Z' WHERE thread_id = ?", id)
	stranger.get(link).mustStatus(t, 403).mustContain(t, "This secure envelope is locked")

	for _, e := range log.errs {
		t.Errorf("template run failed: %s", e)
	}
	if n := log.ran["pages/envelope/view"]; n < 8 {
		t.Errorf("pages/envelope/view ran %d times, want every state", n)
	}
}

// TestEnvelopePasswordRules: the partner's password keeps its spaces (they are part of
// it), a common one is refused next to the field, and a refused sign-in keeps the user
// name typed.
func TestEnvelopePasswordRules(t *testing.T) {
	ta := newTestApp(t)
	rep := ta.as("rep@plan.example")
	_, link := msgStartEnvelope(t, ta, rep, "spaces@vendor.example", "Spaces")
	partner := ta.anon()
	r := partner.get(link).mustStatus(t, 200)
	username := regexp.MustCompile(`envelope-\d+-[0-9a-f]+`).FindString(r.Body)
	partner.post(link+"/password", url.Values{"password": {"passwordpassword1"}, "confirm": {"passwordpassword1"}}).
		mustStatus(t, 422).mustContain(t, "too common", `href="#env-password"`)
	spaced := "  " + msgPartnerPassword + "  "
	partner.post(link+"/password", url.Values{"password": {spaced}, "confirm": {spaced}}).mustStatus(t, http.StatusSeeOther)
	other := ta.anon()
	other.get(link)
	other.post(link+"/login", url.Values{"username": {username}, "password": {msgPartnerPassword}}).mustStatus(t, 401).mustContain(t, `value="`+username+`"`)
	other.post(link+"/login", url.Values{"username": {" " + username + " "}, "password": {spaced}}).mustStatus(t, http.StatusSeeOther)
	other.get(link).mustStatus(t, 200).mustContain(t, "Signed in as "+username)
}

// TestEnvelopeComposeFields: each field of the associate's envelope form answers 422
// with its message next to it, keeps what was typed, and sends nothing.
func TestEnvelopeComposeFields(t *testing.T) {
	ta := newTestApp(t)
	rep := ta.as("rep@plan.example")
	good := url.Values{"email": {"partner@vendor.example"}, "subject": {"Typed subject"}, "body": {"Typed body"}}
	var before int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM message_threads").Scan(&before)
	post := func(f url.Values) *response {
		return rep.msgPostMultipart("/messages/envelopes", f).mustContain(t, "The envelope was not sent")
	}
	mustRefuseEachField(t, post, good, "env-", []string{"email", "subject", "body"}, []fieldCase{
		{"email", "not an address", "Enter the partner&#39;s e-mail address, like name@example.com."},
		{"email", "Bob Partner <bob@vendor.example>", "Enter the partner&#39;s e-mail address"},
		{"email", "someone@localhost", "Enter the partner&#39;s e-mail address"},
		{"email", "Nurse@PLAN.example", "on the plan&#39;s own domain"},
		{"subject", "", "Enter a subject."},
		{"subject", strings.Repeat("s", 201), "Keep the subject to 200 characters."},
		{"body", "   ", "Write your message."},
	})
	var after int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM message_threads").Scan(&after)
	if after != before {
		t.Fatalf("refused envelopes started %d threads", after-before)
	}
}

package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestMessageSendAndRead: an office user sends to Provider Services with an attachment;
// the associate sees it unread, reads it (receipt, audit, badge drops), downloads the
// attachment (audit); the notice mail carries no message text.
func TestMessageSendAndRead(t *testing.T) {
	ta := newTestApp(t)
	office := ta.as("manager@sunrise.example")
	rep := ta.as("rep@plan.example")
	before := rep.get("/messages/unread").mustStatus(t, 200).Body
	mailsBefore := len(ta.msgOutboxTo("rep@plan.example"))

	id := msgSendAs(t, office, "dept:provider_services", "Eligibility for twins Wombat", "Body about the Wombat twins", msgFile{"referral.pdf", msgPDF})
	if n := ta.auditCount("message.send", ""); n == 0 {
		t.Fatal("no message.send audit entry")
	}
	var detail string
	ta.db.R.QueryRow("SELECT detail FROM audit_log WHERE action = 'message.send' ORDER BY id DESC LIMIT 1").Scan(&detail)
	if strings.Contains(detail, "Wombat") {
		t.Fatal("audit detail holds message text")
	}
	mails := ta.msgOutboxTo("rep@plan.example")
	if len(mails) != mailsBefore+1 {
		t.Fatalf("rep has %d notices, want %d", len(mails), mailsBefore+1)
	}
	if m := mails[0]; strings.Contains(m.Subject+m.Body, "Wombat") || !strings.Contains(m.Body, "http://portico.test/messages") {
		t.Fatalf("notice: %q %q", m.Subject, m.Body)
	}

	// The office sees it in Sent; the associate in the inbox, bold (unread).
	office.get("/messages?folder=sent").mustStatus(t, 200).mustContain(t, "Eligibility for twins Wombat")
	rep.get("/messages").mustStatus(t, 200).mustContain(t, `msg-row unread" id="thread-row-`+strconv.FormatInt(id, 10))
	after := rep.get("/messages/unread").mustStatus(t, 200).Body
	if after == before {
		t.Fatalf("badge did not change after a new message: %s", after)
	}
	if !strings.HasPrefix(after, `<span class="badge" id="unread-badge" data-hx-get="/messages/unread" data-hx-trigger="every 30s" data-hx-swap="outerHTML" data-hx-headers='{"X-Portico-Poll":"1"}'>`) {
		t.Fatalf("badge fragment: %s", after)
	}

	// Reading via HTMX: the pane and an out-of-band badge.
	rep.htmx = true
	r := rep.get("/messages/"+strconv.FormatInt(id, 10)).mustStatus(t, 200)
	rep.htmx = false
	r.mustContain(t, "Body about the Wombat twins", "referral.pdf", "PDF", `id="unread-badge"`, `data-hx-swap-oob="true"`)
	if ta.auditCount("message.read", "") == 0 {
		t.Fatal("no message.read audit entry")
	}
	now := rep.get("/messages/unread").Body
	if now == after {
		t.Fatal("badge did not drop after reading")
	}
	// The thread's own answer already counts it as read (its request marked it read, so
	// it does not show the count kept from before).
	badgeCount := regexp.MustCompile(`id="unread-badge"[^>]*>(\d*)`)
	if oob, later := badgeCount.FindStringSubmatch(r.Body), badgeCount.FindStringSubmatch(now); oob == nil || later == nil || oob[1] != later[1] {
		t.Fatalf("the opened thread's badge %q differs from the badge after it (%q)", oob, later)
	}

	// Read receipt: the office does not see receipts; plan staff do.
	officeMails := len(ta.msgOutboxTo("manager@sunrise.example"))
	rep.post("/messages/"+strconv.FormatInt(id, 10)+"/reply", url.Values{"body": {"We will check."}}).mustStatus(t, http.StatusSeeOther)
	if len(ta.msgOutboxTo("manager@sunrise.example")) != officeMails+1 {
		t.Fatal("the office got no notice of the associate's reply")
	}
	office.get("/messages/"+strconv.FormatInt(id, 10)).mustStatus(t, 200).mustContain(t, "We will check.").mustNotContain(t, "Read by")
	rep.get("/messages/"+strconv.FormatInt(id, 10)).mustContain(t, "Read by Jane Doe (manager@sunrise.example)")

	// Download, audited, as an attachment with the sniffed type.
	aid := ta.msgLastAttachmentID(id)
	d := rep.get("/messages/attachments/"+strconv.FormatInt(aid, 10)).mustStatus(t, 200)
	if d.Body != string(msgPDF) || d.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(d.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("download: %q %v", d.Header.Get("Content-Type"), d.Header)
	}
	if ta.auditCount("attachment.download", "") != 1 {
		t.Fatal("download not audited")
	}
}

// TestComposeRefusesBadFilesKeepsDraft: an executable named .pdf and an oversized file
// are refused next to the field; everything typed is kept; nothing is stored.
func TestComposeRefusesBadFilesKeepsDraft(t *testing.T) {
	ta := newTestApp(t)
	office := ta.as("manager@sunrise.example")
	var before int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM messages").Scan(&before)
	form := url.Values{"to": {"dept:claims"}, "plan_type": {"medical"}, "member_id": {"A100000001"}, "subject": {"Keep this subject"}, "body": {"Keep this body"}}
	cases := []msgFile{
		{"invoice.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 100)...)},
		{"invoice.pdf", append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 100)...)},
		{"huge.txt", []byte(strings.Repeat("a", 10<<20+1))},
	}
	for _, f := range cases {
		r := office.msgPostMultipart("/messages", form, f).mustStatus(t, http.StatusUnprocessableEntity)
		r.mustContain(t, "error-summary", "Keep this subject", "Keep this body", `value="A100000001"`, `value="dept:claims" selected`, `value="medical" selected`, f.name)
	}
	six := []msgFile{}
	for i := 0; i < 6; i++ {
		six = append(six, msgFile{"n" + strconv.Itoa(i) + ".txt", []byte("note")})
	}
	// A good file in a draft refused for another reason must be chosen again, and the user is told.
	noSubject := url.Values{"to": {"dept:claims"}, "plan_type": {"medical"}, "body": {"Keep this body"}}
	office.msgPostMultipart("/messages", noSubject, msgFile{"fine.txt", []byte("fine\n")}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Enter a subject", "choose them again")
	office.msgPostMultipart("/messages", form, six...).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "at most 5 files")
	var after int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM messages").Scan(&after)
	if after != before {
		t.Fatalf("a refused draft stored %d messages", after-before)
	}
}

// TestComposeMemberReference: an office may reference only a member it has a care
// relationship with; plan-staff-only addresses are enforced.
func TestComposeMemberReference(t *testing.T) {
	ta := newTestApp(t)
	office := ta.as("manager@sunrise.example")
	office.get("/messages/new?to=dept:claims&member_id=A100000001").mustStatus(t, 200).mustContain(t, `value="dept:claims" selected`, `value="A100000001"`)
	form := url.Values{"to": {"dept:provider_services"}, "plan_type": {"medicare"}, "subject": {"About a member"}, "body": {"text"}}
	form.Set("member_id", "D300000001") // Valley's member: no care relationship for Sunrise
	office.post("/messages", form).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "care relationship")
	form.Set("member_id", "Z999999999")
	office.post("/messages", form).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "care relationship")
	form.Set("member_id", "a100000001")
	id := msgSentThreadID(t, office.post("/messages", form))
	var member string
	ta.db.R.QueryRow("SELECT member_id FROM message_threads WHERE id = ?", id).Scan(&member)
	if member != "A100000001" {
		t.Fatalf("member reference %q", member)
	}
	if ta.auditCount("message.send", "A100000001") == 0 {
		t.Fatal("the send is not in the member's accounting of access")
	}
}

// TestPlanDomainRule: an office user's message to anyone but plan staff is refused with
// a clear message and audited; the third attempt in 24 hours flags the user to admins.
func TestPlanDomainRule(t *testing.T) {
	ta := newTestApp(t)
	office := ta.as("manager@sunrise.example")
	admin := ta.as("admin@plan.example")
	for i, addr := range []string{"someone@gmail.example", "editor@plan.example.evil.example", "nobody@plan.example"} {
		r := office.post("/messages", url.Values{"to_email": {addr}, "plan_type": {"commercial"}, "subject": {"Hello"}, "body": {"text"}})
		r.mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "Secure messages go only to plan staff at @plan.example", "Hello")
		if n := ta.auditCount("message.recipient_refused", ""); n != i+1 {
			t.Fatalf("after %d refusals, %d audit entries", i+1, n)
		}
	}
	if ta.auditCount("message.recipient_flagged", "") != 1 {
		t.Fatal("three refusals were not flagged")
	}
	admin.get("/messages?folder=flags").mustStatus(t, 200).mustContain(t, "manager@sunrise.example", "3 addressees outside the plan")
	ta.as("rep@plan.example").get("/messages?folder=flags").mustStatus(t, 403)
	// A plan staff address is accepted and goes to that associate.
	id := msgSentThreadID(t, office.post("/messages", url.Values{"to_email": {"NURSE@plan.example"}, "plan_type": {"commercial"}, "subject": {"To the nurse"}, "body": {"text"}}))
	ta.as("nurse@plan.example").get("/messages/"+strconv.FormatInt(id, 10)).mustStatus(t, 200).mustContain(t, "To the nurse")
}

// TestThirteenthMessageHandler: replying to a full thread starts a linked one; both show the link.
func TestThirteenthMessageHandler(t *testing.T) {
	ta := newTestApp(t)
	office := ta.as("manager@sunrise.example")
	rep := ta.as("rep@plan.example")
	id := msgSendAs(t, office, "dept:provider_services", "Twelve and more", "1")
	path := "/messages/" + strconv.FormatInt(id, 10)
	for i := 2; i <= 12; i++ {
		c := office
		if i%2 == 0 {
			c = rep
		}
		if got := msgSentThreadID(t, c.post(path+"/reply", url.Values{"body": {"reply " + strconv.Itoa(i)}})); got != id {
			t.Fatalf("message %d went to thread %d", i, got)
		}
	}
	office.get(path).mustContain(t, "12 of at most 12", "This thread is full")
	r := office.post(path+"/reply", url.Values{"body": {"the thirteenth"}})
	nid := msgSentThreadID(t, r)
	if nid == id {
		t.Fatal("the 13th message stayed in the full thread")
	}
	office.get(path).mustStatus(t, 200).mustContain(t, `continues in <a href="/messages/`+strconv.FormatInt(nid, 10)+`"`)
	office.get("/messages/"+strconv.FormatInt(nid, 10)).mustStatus(t, 200).mustContain(t, "the thirteenth", `<a href="/messages/`+strconv.FormatInt(id, 10)+`">an earlier thread</a>`, "Re: Twelve and more")
}

// TestArchiveIsPerUser: archiving hides a thread for that user only and deletes nothing.
func TestArchiveIsPerUser(t *testing.T) {
	ta := newTestApp(t)
	office := ta.as("manager@sunrise.example")
	id := msgSendAs(t, office, "dept:provider_services", "Archive me", "text")
	office.post("/messages/"+strconv.FormatInt(id, 10)+"/archive", nil).mustStatus(t, http.StatusSeeOther)
	office.get("/messages").mustNotContain(t, "Archive me")
	office.get("/messages?folder=archived").mustContain(t, "Archive me")
	ta.as("rep@plan.example").get("/messages").mustContain(t, "Archive me")
	var n int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM messages WHERE thread_id = ?", id).Scan(&n)
	if n != 1 {
		t.Fatal("archiving removed messages")
	}
}

// TestStaffAssignAndResolve: an associate assigns a queue thread to the nurse (who then
// sees it) and marks it resolved.
func TestStaffAssignAndResolve(t *testing.T) {
	ta := newTestApp(t)
	office := ta.as("manager@sunrise.example")
	rep := ta.as("rep@plan.example")
	nurse := ta.as("nurse@plan.example")
	id := msgSendAs(t, office, "dept:provider_services", "Needs a nurse", "text")
	path := "/messages/" + strconv.FormatInt(id, 10)
	nurse.get(path).mustStatus(t, 404)
	rep.get("/messages?folder=queue").mustContain(t, "Needs a nurse", "Unassigned")
	nurseID := ta.msgUser("nurse@plan.example").ID
	rep.post(path+"/assign", url.Values{"assignee": {strconv.FormatInt(nurseID, 10)}}).mustStatus(t, http.StatusSeeOther)
	nurse.get("/messages?folder=assigned").mustContain(t, "Needs a nurse")
	nurse.get(path).mustStatus(t, 200)
	rep.post(path+"/assign", url.Values{"assignee": {strconv.FormatInt(ta.msgUser("manager@valley.example").ID, 10)}}).mustStatus(t, 422)
	rep.post(path+"/resolve", nil).mustStatus(t, http.StatusSeeOther)
	rep.get(path).mustContain(t, "Resolved")
	// A new message from the office reopens it.
	office.post(path+"/reply", url.Values{"body": {"One more thing"}}).mustStatus(t, http.StatusSeeOther)
	rep.get(path).mustContain(t, "status-info\">Open")
	office.post(path+"/resolve", nil).mustStatus(t, 403)
}

// TestComposeFields: each field of the compose form answers 422 with its message next
// to it and keeps everything typed; a refused reply keeps its text; the buttons'
// hidden choices accept only what the forms send.
func TestComposeFields(t *testing.T) {
	ta := newTestApp(t)
	office := ta.as("manager@sunrise.example")
	good := url.Values{"to": {"dept:claims"}, "plan_type": {"medical"}, "member_id": {"A100000001"}, "subject": {"Typed subject"}, "body": {"Typed body"}}
	var before int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM messages").Scan(&before)
	post := func(f url.Values) *response {
		r := office.msgPostMultipart("/messages", f).mustContain(t, "Your message was not sent")
		if f.Get("plan_type") == "medical" {
			r.mustContain(t, `value="medical" selected`)
		}
		return r
	}
	mustRefuseEachField(t, post, good, "compose-", []string{"subject", "body", "member_id"}, []fieldCase{
		{"to", "", "Choose who should receive the message: a department or an associate."},
		{"to", "dept:nowhere", "Choose a department or an associate from the list."},
		{"to", "user:999999", "Choose a department or an associate from the list."},
		{"plan_type", "gold", "Choose the plan type the message is about."},
		{"subject", "  ", "Enter a subject."},
		{"subject", strings.Repeat("s", 201), "Keep the subject to 200 characters."},
		{"body", "", "Write your message."},
	})
	var after int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM messages").Scan(&after)
	if after != before {
		t.Fatalf("refused drafts stored %d messages", after-before)
	}
	// A link may prefill the addressee and the member, nothing else; an overlong member
	// ID is left out rather than shown as an error.
	office.get("/messages/new?to=dept:claims&subject=Injected&body=Injected").mustStatus(t, 200).
		mustContain(t, `value="dept:claims" selected`).mustNotContain(t, `value="Injected"`, ">Injected</textarea>")
	office.get("/messages/new?member_id="+strings.Repeat("A", 21)).mustStatus(t, 200).mustNotContain(t, `value="`+strings.Repeat("A", 21), "error-summary")

	id := msgSendAs(t, office, "dept:provider_services", "Reply rules", "first")
	path := "/messages/" + strconv.FormatInt(id, 10)
	long := strings.Repeat("r", 20001)
	office.post(path+"/reply", url.Values{"body": {long}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Your reply was not sent", "Keep the message to 20000 characters", long)
	// A reply keeps its first indent (a quoted list, a table of codes).
	office.post(path+"/reply", url.Values{"body": {"    99213  office visit\n    99214  office visit"}}).mustStatus(t, http.StatusSeeOther)
	office.get(path).mustContain(t, "    99213  office visit")

	rep := ta.as("rep@plan.example")
	rep.post(path+"/assign", url.Values{"assignee": {"somebody"}}).mustStatus(t, http.StatusUnprocessableEntity)
	office.post(path+"/archive", url.Values{"archive": {"perhaps"}}).mustStatus(t, http.StatusUnprocessableEntity)
	rep.post(path+"/resolve", url.Values{"resolved": {"perhaps"}}).mustStatus(t, http.StatusUnprocessableEntity)
	rep.get(path).mustContain(t, "status-info\">Open")
	office.get("/messages?folder=archived").mustNotContain(t, "Reply rules")
}

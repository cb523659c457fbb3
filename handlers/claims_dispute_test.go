package handlers

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// undisputedClaim returns a Sunrise claim in status with no dispute.
func (ta *testApp) undisputedClaim(t testing.TB, status string) (no, planType string) {
	t.Helper()
	err := ta.db.R.QueryRow(`SELECT c.claim_no, c.plan_type`+accountClaimsFrom+` AND c.status = ?
		AND NOT EXISTS (SELECT 1 FROM claim_disputes d WHERE d.claim_id = c.id) ORDER BY c.id LIMIT 1`, "manager@sunrise.example", status).Scan(&no, &planType)
	if err != nil {
		t.Fatalf("no undisputed %s Sunrise claim: %v", status, err)
	}
	return no, planType
}

// TestDisputeFlow: a dispute of a line opens exactly one secure-message thread to the
// Claims department of the claim's line of business; its status follows the plan's
// answer, which the dashboard counts until the office opens the claim.
func TestDisputeFlow(t *testing.T) {
	ta := newTestApp(t)
	no, planType := ta.undisputedClaim(t, "paid")
	jane := ta.as("manager@sunrise.example")
	var threadsBefore, disputesBefore int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM message_threads").Scan(&threadsBefore)
	ta.db.R.QueryRow("SELECT COUNT(*) FROM claim_disputes").Scan(&disputesBefore)

	jane.get("/claims/"+no).mustStatus(t, 200).mustContain(t, "Dispute this claim", "/claims/"+no+"/dispute?line=1", "History", "Received")
	jane.get("/claims/"+no+"/dispute?line=1").mustStatus(t, 200).mustContain(t, "Dispute claim "+no, `<option value="1" selected>`)
	r := jane.msgPostMultipart("/claims/"+no+"/dispute", url.Values{"reason": {"underpaid"}, "line": {"1"}, "explanation": {"Paid below the contracted rate for this code."}},
		msgFile{"fee-schedule.txt", []byte("99213 contracted 120.00\n")})
	r.mustStatus(t, http.StatusSeeOther)

	var threads, disputes int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM message_threads").Scan(&threads)
	ta.db.R.QueryRow("SELECT COUNT(*) FROM claim_disputes").Scan(&disputes)
	if threads != threadsBefore+1 || disputes != disputesBefore+1 {
		t.Fatalf("threads %d→%d, disputes %d→%d: want exactly one more of each", threadsBefore, threads, disputesBefore, disputes)
	}
	var id, tid int64
	var status, dept, tplan, member string
	var line, msgs, atts int
	err := ta.db.R.QueryRow(`SELECT d.id, d.thread_id, d.status, d.line_no, t.department, t.plan_type, t.member_id, t.message_count,
		(SELECT COUNT(*) FROM message_attachments a JOIN messages m ON m.id = a.message_id WHERE m.thread_id = t.id)
		FROM claim_disputes d JOIN message_threads t ON t.id = d.thread_id JOIN claims c ON c.id = d.claim_id WHERE c.claim_no = ?`, no).
		Scan(&id, &tid, &status, &line, &dept, &tplan, &member, &msgs, &atts)
	if err != nil {
		t.Fatal(err)
	}
	if status != "received" || line != 1 || dept != "claims" || tplan != planType || msgs != 1 || atts != 1 || member == "" {
		t.Errorf("dispute %s line %d thread dept %s plan %s (claim %s) member %q messages %d attachments %d", status, line, dept, tplan, planType, member, msgs, atts)
	}
	if ta.auditCount("claim.dispute", member) != 1 {
		t.Error("the dispute is not audited")
	}
	// The thread is in the office's Messaging, and its subject names the claim.
	jane.get(fmt.Sprintf("/messages/%d", tid)).mustStatus(t, 200).mustContain(t, "Dispute of claim "+no+", line 1", "Paid below the contracted rate")
	jane.get("/claims/"+no).mustStatus(t, 200).mustContain(t, "Received", "(line 1)", fmt.Sprintf("/messages/%d", tid)).mustNotContain(t, "Dispute this claim")
	// A second dispute while one is open is refused, and opens no thread.
	jane.msgPostMultipart("/claims/"+no+"/dispute", url.Values{"reason": {"other"}, "line": {"0"}, "explanation": {"Again"}}).
		mustStatus(t, 422).mustContain(t, "already has a dispute")
	ta.db.R.QueryRow("SELECT COUNT(*) FROM message_threads").Scan(&threads)
	if threads != threadsBefore+1 {
		t.Errorf("a refused dispute opened a thread")
	}

	// Plan staff outside the Claims department cannot answer or list; the Claims associate can.
	for _, who := range []string{"rep@plan.example", "admin@plan.example", "nurse@plan.example"} {
		c := ta.as(who)
		c.get("/claims/disputes").mustStatus(t, 403)
		c.post(fmt.Sprintf("/claims/disputes/%d", id), url.Values{"status": {"upheld"}, "message": {"No"}}).mustStatus(t, 403)
	}
	jane.post(fmt.Sprintf("/claims/disputes/%d", id), url.Values{"status": {"overturned"}, "amount": {"5"}, "message": {"Mine"}}).mustStatus(t, 403)
	dana := ta.as("claims@plan.example")
	dana.get("/claims/disputes").mustStatus(t, 200).mustContain(t, "Dispute "+fmt.Sprint(id)+": claim "+no)
	dana.post(fmt.Sprintf("/claims/disputes/%d", id), url.Values{"status": {"overturned"}, "amount": {""}, "message": {"Reprocessed."}}).
		mustStatus(t, 422).mustContain(t, "new payment")
	dana.post(fmt.Sprintf("/claims/disputes/%d", id), url.Values{"status": {"in_review"}, "message": {"Looking at it."}}).mustStatus(t, http.StatusSeeOther)
	ta.db.R.QueryRow("SELECT status FROM claim_disputes WHERE id = ?", id).Scan(&status)
	if status != "in_review" {
		t.Errorf("status %s after in review", status)
	}
	before := answeredCount(t, jane)
	dana.post(fmt.Sprintf("/claims/disputes/%d", id), url.Values{"status": {"overturned"}, "amount": {"$1,234.50"}, "message": {"Reprocessed at the contracted rate."}}).mustStatus(t, http.StatusSeeOther)
	var newPaid int64
	ta.db.R.QueryRow("SELECT status, new_paid_cents FROM claim_disputes WHERE id = ?", id).Scan(&status, &newPaid)
	ta.db.R.QueryRow("SELECT message_count FROM message_threads WHERE id = ?", tid).Scan(&msgs)
	if status != "overturned" || newPaid != 123450 || msgs != 3 {
		t.Errorf("after overturn: %s %d, thread messages %d", status, newPaid, msgs)
	}
	// An answered dispute cannot be answered again.
	dana.post(fmt.Sprintf("/claims/disputes/%d", id), url.Values{"status": {"upheld"}, "message": {"Changed my mind"}}).mustStatus(t, 422).mustContain(t, "already answered")
	if got := answeredCount(t, jane); got != before+1 {
		t.Errorf("dashboard counts %d answered disputes, want %d", got, before+1)
	}
	jane.get("/claims/"+no).mustStatus(t, 200).mustContain(t, "Overturned", "$1,234.50", "Dispute overturned: new payment of $1234.50")
	if got := answeredCount(t, jane); got != before {
		t.Errorf("after opening the claim the dashboard counts %d, want %d", got, before)
	}
	jane.get(fmt.Sprintf("/messages/%d", tid)).mustStatus(t, 200).mustContain(t, "Reprocessed at the contracted rate.")
	if ta.auditCount("claim.dispute.decide", member) != 2 {
		t.Error("decisions are not audited")
	}
}

// answeredCount reads the dashboard's count of dispute answers (0 when not shown).
func answeredCount(t *testing.T, c *client) int {
	t.Helper()
	body := c.get("/dashboard").mustStatus(t, 200).Body
	i := strings.Index(body, "from the plan</a>")
	if i < 0 {
		return 0
	}
	j := strings.LastIndex(body[:i], "<strong>")
	var n int
	fmt.Sscanf(body[j+len("<strong>"):], "%d", &n)
	return n
}

// TestDisputeAccess: another account's claims and disputes, users without claims, and
// signed-out visitors get nothing; bad input is refused next to the field.
func TestDisputeAccess(t *testing.T) {
	ta := newTestApp(t)
	no, _ := ta.undisputedClaim(t, "paid")
	inProcess, _ := ta.undisputedClaim(t, "in_process")
	var demoDispute, demoThread int64
	ta.db.R.QueryRow("SELECT id, thread_id FROM claim_disputes ORDER BY id LIMIT 1").Scan(&demoDispute, &demoThread)
	if demoDispute == 0 {
		t.Fatal("the demo has no disputes")
	}
	if _, err := ta.db.W.Exec("UPDATE users SET permissions = 'eligibility' WHERE email = 'staff@sunrise.example'"); err != nil {
		t.Fatal(err)
	}
	// A fresh form each time: post adds the client's CSRF token to the map it is given.
	form := func() url.Values {
		return url.Values{"reason": {"denied_in_error"}, "line": {"0"}, "explanation": {"x"}}
	}
	runScenarios(t, ta, []scenario{
		{name: "valley opens the dispute form", as: "manager@valley.example", url: "/claims/" + no + "/dispute", wantStatus: 404},
		{name: "valley disputes a Sunrise claim", as: "manager@valley.example", method: "POST", url: "/claims/" + no + "/dispute", form: form(), wantStatus: 404},
		{name: "valley answers a Sunrise info request", as: "manager@valley.example", method: "POST", url: "/claims/" + no + "/info", form: url.Values{"text": {"x"}}, wantStatus: 404},
		{name: "valley lists disputes", as: "manager@valley.example", url: "/claims/disputes", wantStatus: 200, wantNotContains: []string{"Sunrise", fmt.Sprintf("/messages/%d", demoThread)}},
		{name: "valley reads a Sunrise dispute thread", as: "manager@valley.example", url: fmt.Sprintf("/messages/%d", demoThread), wantStatus: 404},
		{name: "no claims permission", as: "staff@sunrise.example", method: "POST", url: "/claims/" + no + "/dispute", form: form(), wantStatus: 403},
		{name: "no claims permission lists", as: "staff@sunrise.example", url: "/claims/disputes", wantStatus: 403},
		{name: "signed out form", url: "/claims/" + no + "/dispute", wantStatus: 303},
		{name: "signed out list", url: "/claims/disputes", wantStatus: 303},
		{name: "plan staff disputes", as: "claims@plan.example", method: "POST", url: "/claims/" + no + "/dispute", form: form(), wantStatus: 403},
		{name: "no reason", as: "manager@sunrise.example", method: "POST", url: "/claims/" + no + "/dispute", form: url.Values{"explanation": {"x"}}, wantStatus: 422, wantContains: []string{"Choose the reason"}},
		{name: "no explanation", as: "manager@sunrise.example", method: "POST", url: "/claims/" + no + "/dispute", form: url.Values{"reason": {"other"}}, wantStatus: 422, wantContains: []string{"Explain why"}},
		{name: "long explanation", as: "manager@sunrise.example", method: "POST", url: "/claims/" + no + "/dispute", form: url.Values{"reason": {"other"}, "explanation": {strings.Repeat("x", 5000)}}, wantStatus: 422, wantContains: []string{"4000 characters"}},
		{name: "unknown line", as: "manager@sunrise.example", method: "POST", url: "/claims/" + no + "/dispute", form: url.Values{"reason": {"other"}, "line": {"99"}, "explanation": {"x"}}, wantStatus: 422, wantContains: []string{"one of its service lines"}},
		{name: "claim not decided", as: "manager@sunrise.example", method: "POST", url: "/claims/" + inProcess + "/dispute", form: form(), wantStatus: 422, wantContains: []string{"Only a paid"}},
		{name: "staff decides a missing dispute", as: "claims@plan.example", method: "POST", url: "/claims/disputes/999999", form: url.Values{"status": {"upheld"}, "message": {"x"}}, wantStatus: 404},
	})
	// The typed explanation comes back escaped.
	ta.as("manager@sunrise.example").post("/claims/"+no+"/dispute", url.Values{"explanation": {"<b>why</b>"}}).mustStatus(t, 422).mustContain(t, "&lt;b&gt;why&lt;/b&gt;")
}

// TestDemoDisputes: Sunrise has one overturned dispute (answer not yet seen) and one in
// review, each tied to a Claims thread.
func TestDemoDisputes(t *testing.T) {
	ta := newTestApp(t)
	rows, err := ta.db.R.Query(`SELECT d.status, t.department, a.name FROM claim_disputes d JOIN message_threads t ON t.id = d.thread_id
		JOIN provider_accounts a ON a.id = d.account_id ORDER BY d.id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s, dept, acct string
		rows.Scan(&s, &dept, &acct)
		got = append(got, s+"/"+dept+"/"+acct)
	}
	rows.Close()
	if strings.Join(got, ",") != "overturned/claims/Sunrise Family Medicine,in_review/claims/Sunrise Family Medicine" {
		t.Errorf("demo disputes %v", got)
	}
	if n := answeredCount(t, ta.as("manager@sunrise.example")); n != 1 {
		t.Errorf("Sunrise dashboard counts %d dispute answers, want 1", n)
	}
	ta.as("manager@sunrise.example").get("/claims/disputes").mustStatus(t, 200).mustContain(t, "Overturned", "In review", "(new answer)")
	// The Claims associate's dashboard counts the one waiting for an answer; Provider Services' does not.
	ta.as("claims@plan.example").get("/dashboard").mustStatus(t, 200).mustContain(t, "claim disputes waiting for an answer", `href="/claims/disputes"`)
	ta.as("rep@plan.example").get("/dashboard").mustStatus(t, 200).mustNotContain(t, "claim disputes waiting")
}

// TestClaimInfoAnswer: the dashboard count opens the filtered list; the claim says what
// is needed and takes the answer, which goes to the Claims department as a secure
// message and puts the claim back in process.
func TestClaimInfoAnswer(t *testing.T) {
	ta := newTestApp(t)
	jane := ta.as("manager@sunrise.example")
	var no, need string
	err := ta.db.R.QueryRow(`SELECT c.claim_no, c.info_needed`+accountClaimsFrom+` AND c.status = 'pending_info' ORDER BY c.id LIMIT 1`, "manager@sunrise.example").Scan(&no, &need)
	if err != nil || need == "" {
		t.Fatalf("no pending_info claim with a need: %v", err)
	}
	jane.get("/dashboard").mustStatus(t, 200).mustContain(t, `href="/claims?status=pending_info"`, "claims need more information")
	jane.get("/claims?status=pending_info").mustStatus(t, 200).mustContain(t, no)
	need = html.EscapeString(need)
	jane.get("/claims/"+no).mustStatus(t, 200).mustContain(t, "More information needed", need, `action="/claims/`+no+`/info"`)
	jane.msgPostMultipart("/claims/"+no+"/info", url.Values{"text": {"   "}}).mustStatus(t, 422).mustContain(t, "Write what you are sending")
	jane.msgPostMultipart("/claims/"+no+"/info", url.Values{"text": {"Records attached."}}, msgFile{"evil.exe", []byte("MZ\x90\x00binary")}).
		mustStatus(t, 422).mustContain(t, "was refused", "Records attached.")
	jane.msgPostMultipart("/claims/"+no+"/info", url.Values{"text": {"Office notes attached."}}, msgFile{"notes.txt", []byte("Visit notes\n")}).
		mustStatus(t, http.StatusSeeOther)
	var status, dept string
	var msgs int
	ta.db.R.QueryRow(`SELECT c.status, t.department, t.message_count FROM claims c JOIN claim_info_answers a ON a.claim_id = c.id
		JOIN message_threads t ON t.id = a.thread_id WHERE c.claim_no = ?`, no).Scan(&status, &dept, &msgs)
	if status != "in_process" || dept != "claims" || msgs != 1 {
		t.Errorf("after the answer: status %q, thread department %q, messages %d", status, dept, msgs)
	}
	jane.get("/claims/"+no).mustStatus(t, 200).mustContain(t, "In process", "More information needed: "+need, "Information sent by the office").
		mustNotContain(t, `action="/claims/`+no+`/info"`)
	jane.msgPostMultipart("/claims/"+no+"/info", url.Values{"text": {"Again"}}).mustStatus(t, 422).mustContain(t, "not waiting for information")
	if ta.auditCount("claim.info.answer", "") != 1 {
		t.Error("the answer is not audited")
	}
}

package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"portico/models"
)

// claimFormFor is a valid claim form for Maria Lopez (IFP) as the Sunrise manager would
// type it, dated days before today.
func (ta *testApp) claimFormFor(t testing.TB, days int) url.Values {
	t.Helper()
	var tinID int64
	var npi string
	ta.db.R.QueryRow("SELECT t.id, n.npi FROM tins t JOIN npis n ON n.tin_id = t.id WHERE t.tin = '951234567' ORDER BY n.id LIMIT 1").Scan(&tinID, &npi)
	day := ta.h.planToday().AddDate(0, 0, -days).Format("01/02/2006")
	return url.Values{"tin_id": {fmt.Sprint(tinID)}, "billing_npi": {npi}, "rendering_npi": {"1234567893"}, "pos": {"11"},
		"dx1": {"e119"}, "dx2": {"I10"}, "l1_from": {day}, "l1_code": {"99214"}, "l1_mods": {"25"}, "l1_units": {"1"}, "l1_charge": {"220.00"}, "l1_ptr": {"A B"},
		"l2_from": {day}, "l2_code": {"83036"}, "l2_charge": {"45"}, "l2_ptr": {"A"}, "action": {"review"}}
}

// TestClaimOnlineFlow: the form from the member's Claims tab, a draft, review, submit →
// claim number, then the claim in the list as received; a second identical claim warns
// before it goes.
func TestClaimOnlineFlow(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	c.get("/members/A100000001/claims").mustStatus(t, 200).mustContain(t, `href="/members/A100000001/claims/new"`, "Create a New Claim")
	c.get("/members/A100000001/claims/new").mustStatus(t, 200).mustContain(t, "New professional claim", "Maria Lopez", `name="dx12"`, `name="l6_pa"`)
	// Save a draft with only part of the form: kept as typed, counted on the dashboard.
	form := ta.claimFormFor(t, 3)
	part := url.Values{"tin_id": form["tin_id"], "dx1": {"E11.9"}, "l1_code": {"99214"}, "action": {"save"}}
	r := c.post("/members/A100000001/claims/new", part).mustStatus(t, http.StatusSeeOther)
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, "/members/A100000001/claims/drafts/") {
		t.Fatalf("draft saved to %q", loc)
	}
	c.get(loc).mustStatus(t, 200).mustContain(t, `value="E11.9"`, `value="99214"`)
	c.get("/dashboard").mustStatus(t, 200).mustContain(t, "claim drafts not submitted") // the demo's draft and this one
	c.get("/claims/new").mustStatus(t, 200).mustContain(t, "Continue draft", loc)
	// Review the full form from the draft.
	r = c.post(loc, form).mustStatus(t, http.StatusSeeOther)
	if r.Header.Get("Location") != loc+"/review" {
		t.Fatalf("review went to %q", r.Header.Get("Location"))
	}
	c.get(loc+"/review").mustStatus(t, 200).mustContain(t, "Review the claim", "E11.9", "$265.00", "Submit the claim").mustNotContain(t, "Possible duplicate")
	r = c.post(loc+"/submit", nil).mustStatus(t, http.StatusSeeOther)
	claimPath := r.Header.Get("Location")
	no := strings.TrimPrefix(claimPath, "/claims/")
	var status, source, dx, pointers, mods string
	var billed int64
	var lines int
	err := ta.db.R.QueryRow(`SELECT c.status, c.source, c.diagnosis, c.billed_cents, (SELECT COUNT(*) FROM claim_lines WHERE claim_id = c.id),
		l.dx_pointers, l.modifier FROM claims c JOIN claim_lines l ON l.claim_id = c.id AND l.line_no = 1 WHERE c.claim_no = ?`, no).Scan(&status, &source, &dx, &billed, &lines, &pointers, &mods)
	if err != nil {
		t.Fatalf("claim %q: %v", no, err)
	}
	if status != "received" || source != "portal" || dx != "E11.9 I10" || billed != 26500 || lines != 2 || pointers != "A B" || mods != "25" {
		t.Errorf("claim %s: %s %s %q %d %d lines, pointers %q mods %q", no, status, source, dx, billed, lines, pointers, mods)
	}
	c.get(claimPath).mustStatus(t, 200).mustContain(t, "Claim "+no, "Received", "submitted online", "Submitted online by")
	c.get("/claims?status=received").mustStatus(t, 200).mustContain(t, no)
	if ta.auditCount("claim.submit", "A100000001") != 1 {
		t.Error("the submission is not audited")
	}
	// The submitted draft cannot be submitted again: it leads to its claim.
	if r := c.post(loc+"/submit", nil); r.Status != http.StatusSeeOther || r.Header.Get("Location") != claimPath {
		t.Errorf("resubmitting the draft: %d %q", r.Status, r.Header.Get("Location"))
	}
	// The same member, date, code and charge again: a warning before it goes.
	form.Set("action", "review")
	r = c.post("/members/A100000001/claims/new", form).mustStatus(t, http.StatusSeeOther)
	loc2 := strings.TrimSuffix(r.Header.Get("Location"), "/review")
	c.get(loc2+"/review").mustStatus(t, 200).mustContain(t, "Possible duplicate", "claim "+no, "confirm_duplicate")
	c.post(loc2+"/submit", nil).mustStatus(t, 422).
		mustMarkField(t, "cr-dup", "This looks like a duplicate. Tick the box to confirm that it is a separate service, or go back and change it.")
	var n int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM claims WHERE source = 'portal' AND submitted_by IS NOT NULL").Scan(&n)
	if n != 1 {
		t.Errorf("%d online claims after the refused duplicate, want 1", n)
	}
	c.post(loc2+"/submit", url.Values{"confirm_duplicate": {"yes"}}).mustStatus(t, http.StatusSeeOther)
	ta.db.R.QueryRow("SELECT COUNT(*) FROM claims WHERE source = 'portal' AND submitted_by IS NOT NULL").Scan(&n)
	if n != 2 {
		t.Errorf("%d online claims after the confirmed one, want 2", n)
	}
}

// TestClaimValidation: each rule gives its message next to its field (422), with what
// was typed kept.
func TestClaimValidation(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	var effective string
	ta.db.R.QueryRow("SELECT effective_date FROM members WHERE member_id = 'A100000001'").Scan(&effective)
	eff, _ := time.Parse(models.DateFormat, effective)
	future := ta.h.planToday().AddDate(0, 0, 2).Format("01/02/2006")
	cases := []struct {
		name, field, value, want string
	}{
		{"NPI check digit", "billing_npi", "1234567890", "not a valid NPI"},
		{"rendering NPI check digit", "rendering_npi", "1234567899", "not a valid NPI"},
		{"NPI not on file", "billing_npi", "1234567893", "not on file for TIN"},
		{"NPI letters", "rendering_npi", "12345abcde", "not a valid NPI"},
		{"diagnosis format", "dx1", "123.4", "Enter an ICD-10-CM code"},
		{"diagnosis not on the list", "dx1", "E11", "not a billable ICD-10-CM code"},
		{"procedure format", "l1_code", "9921", "Enter a CPT code"},
		{"HCPCS not on the list", "l1_code", "Z9999", "Enter a CPT code"},
		{"HCPCS unknown", "l1_code", "J0001", "not a HCPCS Level II code"},
		{"date in the future", "l1_from", future, "cannot be in the future"},
		{"date before coverage", "l1_from", eff.AddDate(0, 0, -1).Format("01/02/2006"), "coverage began on"},
		{"bad date", "l1_from", "02/30/2026", "as MM/DD/YYYY"},
		{"zero charge", "l1_charge", "0.00", "more than $0.00"},
		{"negative charge", "l1_charge", "-20", "more than $0.00"},
		{"charge text", "l1_charge", "lots", "dollars and cents"},
		{"zero units", "l1_units", "0", "whole number from 1 to 999"},
		{"too many units", "l1_units", "1000", "whole number from 1 to 999"},
		{"fractional units", "l1_units", "1.5", "whole number"},
		{"five modifiers", "l1_mods", "25 59 LT RT GT", "at most 4 modifiers"},
		{"bad modifier", "l1_mods", "2", "two letters or digits"},
		{"pointer to nothing", "l1_ptr", "C", "does not match a diagnosis"},
		{"no pointer", "l1_ptr", "", "Point the line"},
		{"prior auth needed", "l1_code", "73721", "needs a prior authorization"},
		{"long field", "dx1", strings.Repeat("A", 500), "too long"},
		{"unknown place of service", "pos", "99", "place of service"},
		{"another account's TIN", "tin_id", "999999", "verified TINs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := ta.claimFormFor(t, 3)
			form.Set(tc.field, tc.value)
			r := c.post("/members/A100000001/claims/new", form).mustStatus(t, 422).mustContain(t, tc.want, "There is a problem")
			if tc.field != "tin_id" && tc.field != "pos" && len(tc.value) < 40 {
				r.mustContain(t, `value="`+strings.ReplaceAll(tc.value, "$", "")+`"`)
			}
		})
	}
	// A prior authorization number makes the imaging line valid.
	form := ta.claimFormFor(t, 3)
	form.Set("l1_code", "73721")
	form.Set("l1_pa", "PA2026001234")
	c.post("/members/A100000001/claims/new", form).mustStatus(t, http.StatusSeeOther)
	// Pointers as numbers and as run-together letters are read.
	form = ta.claimFormFor(t, 3)
	form.Set("l1_ptr", "1,2")
	form.Set("l2_ptr", "AB")
	c.post("/members/A100000001/claims/new", form).mustStatus(t, http.StatusSeeOther)
}

// TestClaimNonIFP: members of every other plan type get the clearinghouse explanation
// with payer IDs (a page, so it works without JavaScript), never the form.
func TestClaimNonIFP(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	c.get("/members/M200000001/claims").mustStatus(t, 200).mustContain(t, `href="/claims/clearinghouse?plan=medical"`, "Create a New Claim").
		mustNotContain(t, "/members/M200000001/claims/new")
	for _, p := range []string{"/members/M200000001/claims/new", "/members/M200000002/claims/new"} {
		r := c.get(p)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/claims/clearinghouse") {
			t.Errorf("%s: %d %q", p, r.Status, r.Header.Get("Location"))
		}
	}
	c.post("/members/M200000001/claims/new", ta.claimFormFor(t, 3)).mustStatus(t, http.StatusSeeOther)
	var n int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM claim_drafts d JOIN members m ON m.id = d.member_pk WHERE m.member_id = 'M200000001'").Scan(&n)
	if n != 0 {
		t.Errorf("%d drafts for a Medi-Cal member", n)
	}
	c.get("/claims/clearinghouse?plan=medical").mustStatus(t, 200).mustContain(t, "Submit this claim through your clearinghouse", "Medi-Cal", "PCHP5", "PCHP4", "Payer ID")
	// From /claims/new: an IFP member goes to the form, any other to the explanation.
	r := c.post("/claims/new", url.Values{"member_id": {"A100000001"}, "dob": {"03/14/1985"}}).mustStatus(t, http.StatusSeeOther)
	if r.Header.Get("Location") != "/members/A100000001/claims/new" {
		t.Errorf("IFP member went to %q", r.Header.Get("Location"))
	}
	r = c.post("/claims/new", url.Values{"member_id": {"M200000002"}, "dob": {"1979-01-20"}}).mustStatus(t, http.StatusSeeOther)
	if r.Header.Get("Location") != "/claims/clearinghouse?plan=medical" {
		t.Errorf("Medi-Cal member went to %q", r.Header.Get("Location"))
	}
	c.post("/claims/new", url.Values{"member_id": {"A100000001"}, "dob": {"03/15/1985"}}).mustStatus(t, 422).mustContain(t, "No member with this ID and date of birth")
	c.post("/claims/new", url.Values{"member_id": {"D300000001"}, "dob": {"11/30/1948"}}).mustStatus(t, 422).mustContain(t, "care relationship")
	c.post("/claims/new", url.Values{"member_id": {strings.Repeat("A", 300)}, "dob": {"x"}}).mustStatus(t, 422).mustContain(t, "member ID", "MM/DD/YYYY")
}

// TestClaimOnlineAccess: another account's drafts, members without a care relationship,
// users without claims, plan staff and visitors.
func TestClaimOnlineAccess(t *testing.T) {
	ta := newTestApp(t)
	jane := ta.as("manager@sunrise.example")
	r := jane.post("/members/A100000001/claims/new", url.Values{"dx1": {"I10"}, "action": {"save"}}).mustStatus(t, http.StatusSeeOther)
	draft := r.Header.Get("Location")
	if _, err := ta.db.W.Exec("UPDATE users SET permissions = 'eligibility' WHERE email = 'staff@sunrise.example'"); err != nil {
		t.Fatal(err)
	}
	var cases []scenario
	for _, p := range []string{draft, draft + "/review", "/members/A100000001/claims/new", "/claims/new", "/claims/clearinghouse"} {
		cases = append(cases,
			scenario{name: "signed out " + p, url: p, wantStatus: 303},
			scenario{name: "plan staff " + p, as: "rep@plan.example", url: p, wantStatus: 403},
			scenario{name: "no claims permission " + p, as: "staff@sunrise.example", url: p, wantStatus: 403},
		)
	}
	cases = append(cases,
		scenario{name: "valley opens a Sunrise draft", as: "manager@valley.example", url: draft, wantStatus: 403, wantNotContains: []string{"I10"}},
		scenario{name: "valley posts to a Sunrise draft", as: "manager@valley.example", method: "POST", url: draft, form: url.Values{"dx1": {"Z23"}}, wantStatus: 403},
		scenario{name: "valley submits a Sunrise draft", as: "manager@valley.example", method: "POST", url: draft + "/submit", wantStatus: 403},
		scenario{name: "draft under another member", as: "manager@sunrise.example", url: strings.Replace(draft, "A100000001", "M200000001", 1), wantStatus: 303},
		scenario{name: "missing draft", as: "manager@sunrise.example", url: "/members/A100000001/claims/drafts/999999", wantStatus: 404},
		scenario{name: "bad draft id", as: "manager@sunrise.example", url: "/members/A100000001/claims/drafts/abc", wantStatus: 404},
	)
	runScenarios(t, ta, cases)
	var dx string
	ta.db.R.QueryRow("SELECT form FROM claim_drafts ORDER BY id DESC LIMIT 1").Scan(&dx)
	if strings.Contains(dx, "Z23") {
		t.Error("another account changed the draft")
	}
}

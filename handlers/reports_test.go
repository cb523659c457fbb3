package handlers

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"portico/models"
)

// valleyMonth is the newest month of Valley's capitation, read from the data (never
// from today's date), with its totals.
type valleyMonth struct {
	tinID, monthID                 int64
	month                          string
	members, gross, adj, net, adds int64
	checkNo                        string
}

func (ta *testApp) valleyLatest(t testing.TB) valleyMonth {
	t.Helper()
	var v valleyMonth
	err := ta.db.R.QueryRow(`SELECT c.tin_id, c.id, c.month, c.member_months, c.gross_cents, c.adjustment_cents, c.net_cents, c.adds, p.check_no
		FROM capitation_months c JOIN tins t ON t.id = c.tin_id JOIN payments p ON p.id = c.payment_id
		WHERE t.tin = '945550001' ORDER BY c.month DESC LIMIT 1`).Scan(&v.tinID, &v.monthID, &v.month, &v.members, &v.gross, &v.adj, &v.net, &v.adds, &v.checkNo)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// addValleyUser adds an active Valley user with perms, and the member-level grant if asked.
func (ta *testApp) addValleyUser(t testing.TB, email, perms string, grant bool) {
	t.Helper()
	_, err := ta.db.W.Exec(`INSERT INTO users(account_id, email, name, permissions, status, report_member_access, created_at)
		SELECT account_id, ?, 'Test User', ?, 'active', ?, '2026-01-01T00:00:00Z' FROM users WHERE email = 'manager@valley.example'`, email, perms, grant)
	if err != nil {
		t.Fatal(err)
	}
}

// TestReportsAccess is the access matrix of /reports: signed out, plan staff, a user
// without the reports permission, another account's TIN, member-level reports without
// the grant, a non-capitated account, and Valley's manager.
func TestReportsAccess(t *testing.T) {
	ta := newTestApp(t)
	v := ta.valleyLatest(t)
	ta.addValleyUser(t, "summary@valley.example", "eligibility reports", false)
	ta.addValleyUser(t, "granted@valley.example", "eligibility reports", true)
	ta.addValleyUser(t, "claimsonly@valley.example", "eligibility claims", true)
	valley := fmt.Sprintf("tin=%d&month=%s", v.tinID, v.month)
	sunriseTIN := ta.tinID(t, "951234567")
	otherPPG := ""
	if err := ta.db.R.QueryRow(`SELECT t.id FROM tins t JOIN provider_accounts a ON a.id = t.account_id
		WHERE a.capitated = 1 AND t.tin <> '945550001' LIMIT 1`).Scan(&otherPPG); err != nil {
		t.Fatal(err)
	}
	runScenarios(t, ta, []scenario{
		{name: "signed out goes to sign-in", url: "/reports", wantStatus: http.StatusSeeOther},
		{name: "signed out roster CSV", url: "/reports/roster.csv?" + valley, wantStatus: http.StatusSeeOther},
		{name: "plan staff", as: "rep@plan.example", url: "/reports", wantStatus: http.StatusForbidden},
		{name: "plan admin roster", as: "admin@plan.example", url: "/reports/roster?" + valley, wantStatus: http.StatusForbidden},
		{name: "staff without reports", as: "staff@sunrise.example", url: "/reports", wantStatus: http.StatusForbidden},
		{name: "Valley user without reports", as: "claimsonly@valley.example", url: "/reports/roster?" + valley, wantStatus: http.StatusForbidden},
		{name: "non-capitated account gets the clear page", as: "manager@sunrise.example", url: "/reports", wantStatus: http.StatusOK,
			wantContains: []string{"Provider reports apply to capitated PPGs and hospitals"}, wantNotContains: []string{"Capitation payment summary"}},
		{name: "Valley manager summary", as: "manager@valley.example", url: "/reports?" + valley, wantStatus: http.StatusOK,
			wantContains: []string{"Capitation payment summary", "94-5550001", formatMoney(v.net), v.checkNo, "Capitation roster",
				`href="/reports/roster?` + strings.ReplaceAll(valley, "&", "&amp;") + `"`, `href="/reports/summary.csv?` + strings.ReplaceAll(valley, "&", "&amp;") + `"`}},
		{name: "Valley manager, another account's TIN", as: "manager@valley.example", url: "/reports?tin=" + sunriseTIN, wantStatus: http.StatusNotFound,
			wantNotContains: []string{"Sunrise"}},
		{name: "Valley manager, another PPG's roster", as: "manager@valley.example", url: "/reports/roster.csv?tin=" + otherPPG, wantStatus: http.StatusNotFound},
		{name: "month outside the 18", as: "manager@valley.example", url: "/reports?month=2001-01", wantStatus: http.StatusNotFound},
		{name: "summary-only user sees the summary", as: "summary@valley.example", url: "/reports?" + valley, wantStatus: http.StatusOK,
			wantContains: []string{formatMoney(v.net)}, wantNotContains: []string{"/reports/roster?", `id="adj-h"`}},
		{name: "summary-only user, roster page", as: "summary@valley.example", url: "/reports/roster?" + valley, wantStatus: http.StatusForbidden,
			wantContains: []string{"account manager"}},
		{name: "summary-only user, roster CSV", as: "summary@valley.example", url: "/reports/roster.csv?" + valley, wantStatus: http.StatusForbidden},
		{name: "summary-only user, adds", as: "summary@valley.example", url: "/reports/adds?" + valley, wantStatus: http.StatusForbidden},
		{name: "granted user, roster", as: "granted@valley.example", url: "/reports/roster?" + valley, wantStatus: http.StatusOK,
			wantContains: []string{"Capitation roster", strconv.FormatInt(v.members, 10) + " members"}},
		{name: "granted user, terms", as: "granted@valley.example", url: "/reports/terms?" + valley, wantStatus: http.StatusOK},
	})
	if n := ta.auditCount("reports.view.denied", ""); n < 4 {
		t.Errorf("refusals audited %d times, want at least 4", n)
	}
	if n := ta.auditCount("reports.view", ""); n < 3 {
		t.Errorf("report views audited %d times, want at least 3", n)
	}
}

// TestReportsTotalsMatchPayments opens each of Valley's months as its manager and
// checks the page's net against the capitation check in payment history, and the
// summary CSV's lines against the totals.
func TestReportsTotalsMatchPayments(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@valley.example")
	rows, err := ta.db.R.Query(`SELECT c.tin_id, c.month, c.member_months, c.gross_cents, c.adjustment_cents, p.check_no, p.amount_cents, p.check_date
		FROM capitation_months c JOIN tins t ON t.id = c.tin_id JOIN payments p ON p.id = c.payment_id WHERE t.tin = '945550001' ORDER BY c.month`)
	if err != nil {
		t.Fatal(err)
	}
	type m struct {
		tin                  int64
		month, checkNo, date string
		members, gross, adj  int64
		check                int64
	}
	var months []m
	for rows.Next() {
		var x m
		if err := rows.Scan(&x.tin, &x.month, &x.members, &x.gross, &x.adj, &x.checkNo, &x.check, &x.date); err != nil {
			t.Fatal(err)
		}
		months = append(months, x)
	}
	rows.Close()
	if len(months) != models.ReportMonths {
		t.Fatalf("%d months of reports, want %d", len(months), models.ReportMonths)
	}
	for _, x := range months {
		q := fmt.Sprintf("tin=%d&month=%s", x.tin, x.month)
		r := c.get("/reports?"+q).mustStatus(t, http.StatusOK)
		if x.gross+x.adj != x.check {
			t.Errorf("%s: gross %d + adjustments %d != check %d", x.month, x.gross, x.adj, x.check)
		}
		r.mustContain(t, `<dd class="num" id="rep-net"><strong>`+formatMoney(x.check)+`</strong></dd>`, "No. "+x.checkNo, formatDate(x.date))
		sum := c.get("/reports/summary.csv?"+q).mustStatus(t, http.StatusOK)
		recs, err := csv.NewReader(strings.NewReader(sum.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var cells, members int64
		for _, rec := range recs[1:] {
			if rec[2] == "rate cell" {
				n, _ := strconv.ParseInt(rec[5], 10, 64)
				members += n
				cells += csvCents(t, rec[7])
			}
			if rec[2] == "net" && csvCents(t, rec[7]) != x.check {
				t.Errorf("%s: CSV net %s, check %d", x.month, rec[7], x.check)
			}
		}
		if cells != x.gross || members != x.members {
			t.Errorf("%s: CSV cells sum to %d for %d members; summary %d for %d", x.month, cells, members, x.gross, x.members)
		}
	}
	// Payment history can tell a capitation check from a check of claims.
	var payID, claimPay int64
	if err := ta.db.R.QueryRow(`SELECT payment_id FROM capitation_months ORDER BY month DESC LIMIT 1`).Scan(&payID); err != nil {
		t.Fatal(err)
	}
	if m, err := (models.Reports{DB: ta.db}).CapitationForPayment(context.Background(), payID); err != nil || m.Month != months[len(months)-1].month {
		t.Errorf("capitation for check %d: %v %+v", payID, err, m)
	}
	if err := ta.db.R.QueryRow(`SELECT payment_id FROM claims WHERE payment_id IS NOT NULL LIMIT 1`).Scan(&claimPay); err != nil {
		t.Fatal(err)
	}
	if _, err := (models.Reports{DB: ta.db}).CapitationForPayment(context.Background(), claimPay); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a check of claims is taken for capitation: %v", err)
	}
	if n := ta.auditCount("reports.download", ""); n != len(months) {
		t.Errorf("%d downloads audited, want %d", n, len(months))
	}
}

func csvCents(t testing.TB, s string) int64 {
	t.Helper()
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("amount %q", s)
	}
	if neg {
		return -(w*100 + f)
	}
	return w*100 + f
}

// TestReportsRosterCSV downloads Valley's roster: one row per member of the month,
// members with formula-looking names are made safe, and the download is audited.
func TestReportsRosterCSV(t *testing.T) {
	ta := newTestApp(t)
	v := ta.valleyLatest(t)
	// A member whose name a spreadsheet would run as a formula.
	if _, err := ta.db.W.Exec(`UPDATE members SET last_name = '=HYPERLINK("http://x.example","y")', first_name = '+SUM(1)'
		WHERE id = (SELECT member_pk FROM capitation_spans WHERE tin_id = ? AND first_month <= ?2 AND last_month >= ?2 ORDER BY member_id LIMIT 1)`, v.tinID, v.month); err != nil {
		t.Fatal(err)
	}
	c := ta.as("manager@valley.example")
	r := c.get(fmt.Sprintf("/reports/roster.csv?tin=%d&month=%s", v.tinID, v.month)).mustStatus(t, http.StatusOK)
	if !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers: %v", r.Header)
	}
	recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(recs)-1) != v.members {
		t.Fatalf("roster CSV has %d rows, the summary %d member months", len(recs)-1, v.members)
	}
	var pmpm int64
	for _, rec := range recs[1:] {
		pmpm += csvCents(t, rec[10])
		for _, cell := range rec {
			if cell != "" && strings.ContainsAny(cell[:1], "=+-@") && !strings.HasPrefix(rec[10], "-") {
				t.Errorf("unsafe cell %q", cell)
			}
		}
	}
	if pmpm != v.gross {
		t.Errorf("roster PMPMs sum to %d, gross %d", pmpm, v.gross)
	}
	if !strings.Contains(r.Body, `'=HYPERLINK`) || !strings.Contains(r.Body, `'+SUM(1)`) {
		t.Error("formula-looking names are not prefixed with '")
	}
	// Adds and terms: one row per member of the month's changes.
	var adds, terms int
	var busy string
	if err := ta.db.R.QueryRow(`SELECT month, adds, terms FROM capitation_months WHERE tin_id = ? AND adds > 0 AND terms > 0
		ORDER BY adds + terms DESC LIMIT 1`, v.tinID).Scan(&busy, &adds, &terms); err != nil {
		t.Fatalf("no month of the fixture has both adds and terms: %v", err)
	}
	for kind, want := range map[string]int{"adds": adds, "terms": terms} {
		r := c.get(fmt.Sprintf("/reports/%s.csv?tin=%d&month=%s", kind, v.tinID, busy)).mustStatus(t, http.StatusOK)
		recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if err != nil || len(recs)-1 != want {
			t.Errorf("%s CSV: %d rows, want %d (%v)", kind, len(recs)-1, want, err)
		}
		for _, rec := range recs[1:] {
			if rec[13] != strings.TrimSuffix(kind, "s") {
				t.Errorf("%s CSV row marked %q", kind, rec[13])
			}
		}
	}
	if n := ta.auditCount("reports.download", ""); n != 3 {
		t.Errorf("roster, adds and terms downloads audited %d times, want 3", n)
	}
}

// TestReportsGrant has Valley's manager grant and withdraw member-level reports in
// User Management; each change is audited and takes effect at once.
func TestReportsGrant(t *testing.T) {
	ta := newTestApp(t)
	v := ta.valleyLatest(t)
	ta.addValleyUser(t, "clerk@valley.example", "eligibility reports", false)
	var id int64
	if err := ta.db.R.QueryRow("SELECT id FROM users WHERE email = 'clerk@valley.example'").Scan(&id); err != nil {
		t.Fatal(err)
	}
	roster := fmt.Sprintf("/reports/roster?tin=%d&month=%s", v.tinID, v.month)
	clerk := ta.as("clerk@valley.example")
	clerk.get(roster).mustStatus(t, http.StatusForbidden)
	mgr := ta.as("manager@valley.example")
	mgr.get(fmt.Sprintf("/account/users/%d", id)).mustStatus(t, http.StatusOK).mustContain(t, "Grant member-level reports")
	mgr.post(fmt.Sprintf("/account/users/%d/report-access", id), url.Values{"grant": {"1"}}).mustStatus(t, http.StatusSeeOther)
	clerk.get(roster).mustStatus(t, http.StatusOK)
	if n := ta.auditCount("reports.member_access.granted", ""); n != 1 {
		t.Errorf("grant audited %d times", n)
	}
	mgr.post(fmt.Sprintf("/account/users/%d/report-access", id), url.Values{"grant": {"0"}}).mustStatus(t, http.StatusSeeOther)
	clerk.get(roster).mustStatus(t, http.StatusForbidden)
	if n := ta.auditCount("reports.member_access.revoked", ""); n != 1 {
		t.Errorf("withdrawal audited %d times", n)
	}
	// Another account's manager cannot grant a Valley user; a non-manager cannot grant.
	ta.as("manager@sunrise.example").post(fmt.Sprintf("/account/users/%d/report-access", id), url.Values{"grant": {"1"}}).mustStatus(t, http.StatusNotFound)
	clerk.post(fmt.Sprintf("/account/users/%d/report-access", id), url.Values{"grant": {"1"}}).mustStatus(t, http.StatusForbidden)
	clerk.get(roster).mustStatus(t, http.StatusForbidden)
}

// TestReportsNoGrantPageRenders: a Valley user with the reports permission but without
// the member-level grant (no demo account is one) asking for the roster gets the page
// that sends them to the summary and their account manager, rendered from typed data.
func TestReportsNoGrantPageRenders(t *testing.T) {
	log := &renderLog{ran: map[string]int{}}
	ta := newTestApp(t, func(o *Options) { o.OnRender = log.hook })
	v := ta.valleyLatest(t)
	ta.addValleyUser(t, "summary@valley.example", "eligibility reports", false)
	query := fmt.Sprintf("tin=%d&month=%s", v.tinID, v.month)
	ta.as("summary@valley.example").get("/reports/adds?"+query).mustStatus(t, http.StatusForbidden).
		mustContain(t, "Member-level reports", `href="/reports?`+strings.ReplaceAll(query, "&", "&amp;")+`"`, "Ask your account manager")
	if log.ran["pages/reports/no_grant"] == 0 || len(log.errs) > 0 {
		t.Errorf("no_grant ran %d times, errors %v", log.ran["pages/reports/no_grant"], log.errs)
	}
}

// TestReportsPageLinks: a member-level report's page comes from its links; a page that
// is not a number shows the first, and a later page is its own.
func TestReportsPageLinks(t *testing.T) {
	ta := newTestApp(t)
	v := ta.valleyLatest(t)
	p := ta.as("manager@valley.example")
	query := fmt.Sprintf("tin=%d&month=%s", v.tinID, v.month)
	first := p.get("/reports/roster?"+query+"&page=abc").mustStatus(t, http.StatusOK)
	first.mustContain(t, " · page 1 of ")
	p.get("/reports/roster?"+query+"&page=2").mustStatus(t, http.StatusOK).mustContain(t, " · page 2 of ")
}

package handlers

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portico/models"
)

// paymentNo returns the newest payment number of an account (via SQL), optionally of one method.
func (ta *testApp) paymentNo(t testing.TB, email, method string) (no, date string) {
	t.Helper()
	q := `SELECT p.check_no, p.check_date FROM payments p JOIN tins t ON t.id = p.tin_id
		WHERE t.account_id = (SELECT account_id FROM users WHERE email = ?) AND (? = '' OR p.method = ?)
		ORDER BY p.check_date DESC, p.id DESC LIMIT 1`
	if err := ta.db.R.QueryRow(q, email, method, method).Scan(&no, &date); err != nil {
		t.Fatalf("payment of %s: %v", email, err)
	}
	return no, date
}

// TestPaymentsAccess is the access matrix of payment history and EOPs: signed out,
// plan staff, a user without claims, and another account's check by number.
func TestPaymentsAccess(t *testing.T) {
	ta := newTestApp(t)
	sunrise, _ := ta.paymentNo(t, "manager@sunrise.example", "")
	valley, _ := ta.paymentNo(t, "manager@valley.example", "")
	if _, err := ta.db.W.Exec("UPDATE users SET permissions = 'eligibility' WHERE email = 'staff@sunrise.example'"); err != nil {
		t.Fatal(err)
	}
	routes := []string{"/claims/payments", "/claims/payments/csv", "/claims/payments/" + sunrise, "/claims/payments/" + sunrise + "/csv"}
	var cases []scenario
	for _, r := range routes {
		cases = append(cases,
			scenario{name: "signed out " + r, url: r, wantStatus: http.StatusSeeOther},
			scenario{name: "plan staff " + r, as: "rep@plan.example", url: r, wantStatus: http.StatusForbidden, wantNotContains: []string{sunrise}},
			scenario{name: "claims staff " + r, as: "claims@plan.example", url: r, wantStatus: http.StatusForbidden, wantNotContains: []string{sunrise}},
			scenario{name: "no claims permission " + r, as: "staff@sunrise.example", url: r, wantStatus: http.StatusForbidden, wantNotContains: []string{sunrise}},
		)
	}
	cases = append(cases,
		scenario{name: "valley opens a Sunrise EOP", as: "manager@valley.example", url: "/claims/payments/" + sunrise, wantStatus: http.StatusNotFound, wantNotContains: []string{sunrise}},
		scenario{name: "valley downloads a Sunrise EOP", as: "manager@valley.example", url: "/claims/payments/" + sunrise + "/csv", wantStatus: http.StatusNotFound},
		scenario{name: "valley opens a missing EOP", as: "manager@valley.example", url: "/claims/payments/99999999", wantStatus: http.StatusNotFound},
		scenario{name: "sunrise opens a Valley EOP", as: "manager@sunrise.example", url: "/claims/payments/" + valley, wantStatus: http.StatusNotFound, wantNotContains: []string{valley}},
		scenario{name: "sunrise opens its own EOP", as: "manager@sunrise.example", url: "/claims/payments/" + sunrise, wantStatus: http.StatusOK, wantContains: []string{"Explanation of payment", sunrise}},
		scenario{name: "staff with claims opens the EOP", as: "staff@sunrise.example", url: "/claims/payments/" + sunrise, wantStatus: http.StatusForbidden},
		scenario{name: "symbols as a number", as: "manager@sunrise.example", url: "/claims/payments/%27%3B--", wantStatus: http.StatusNotFound},
	)
	runScenarios(t, ta, cases)
	// Valley's history never lists Sunrise's payments, whatever TIN it asks for.
	var sunriseTIN int64
	ta.db.R.QueryRow("SELECT id FROM tins WHERE tin = '951234567'").Scan(&sunriseTIN)
	ta.as("manager@valley.example").get(fmt.Sprintf("/claims/payments?tin=%d", sunriseTIN)).mustStatus(t, 422).mustContain(t, "Choose one of your account").mustNotContain(t, sunrise)
	if n := ta.auditCount("eop.view.denied", ""); n < 2 {
		t.Errorf("%d eop.view.denied entries, want at least 2", n)
	}
	if n := ta.auditCount("eop.view", ""); n != 1 {
		t.Errorf("%d eop.view entries, want 1", n)
	}
}

// TestPaymentsList checks the default span, the TIN filter and the rows against SQL.
func TestPaymentsList(t *testing.T) {
	ta := newTestApp(t)
	const who = "manager@sunrise.example"
	c := ta.as(who)
	sp := models.DefaultPaymentSpan(ta.h.planToday())
	var n int
	var sum int64
	ta.db.R.QueryRow(`SELECT COUNT(*), COALESCE(SUM(amount_cents),0) FROM payments p JOIN tins t ON t.id = p.tin_id
		WHERE t.tin IN ('951234567','957654321') AND p.check_date BETWEEN ? AND ?`, sp.From, sp.To).Scan(&n, &sum)
	if n == 0 {
		t.Fatal("Sunrise has no payments in the last 30 days of the demo")
	}
	r := c.get("/claims/payments").mustStatus(t, 200).mustContain(t, "Payment history", "(the last 30 days)",
		fmt.Sprintf("%d payment", n), formatMoney(sum), "Download CSV")
	if got := strings.Count(r.Body, `<td><a href="/claims/payments/`); got != 2*n { // date and number link
		t.Errorf("%d rows, want %d", got, n)
	}
	// One TIN only: every row is that TIN's.
	var tinID int64
	ta.db.R.QueryRow("SELECT id FROM tins WHERE tin = '957654321'").Scan(&tinID)
	r = c.get(fmt.Sprintf("/claims/payments?tin=%d", tinID)).mustStatus(t, 200)
	if strings.Contains(r.Body, "<td class=\"claims-nowrap\">95-1234567") {
		t.Error("the TIN filter shows the other TIN's payments")
	}
	if !strings.Contains(r.Body, "95-7654321") {
		t.Error("the TIN filter shows none of its TIN's payments")
	}
	// The EFT TIN's payments show only a masked account.
	var last4 string
	ta.db.R.QueryRow("SELECT account_last4 FROM payments WHERE tin_id = ? AND method = 'eft' AND check_date BETWEEN ? AND ? LIMIT 1", tinID, sp.From, sp.To).Scan(&last4)
	if last4 != "" && !strings.Contains(r.Body, "••••"+last4) {
		t.Errorf("masked account ••••%s not shown", last4)
	}
}

// TestPaymentHistoryLinksKeepTheFilter: the payment history's links (next and previous
// page, earlier and later 30 days, the CSV download) lead to the span, TIN and page they
// name. They used to come out escaped whole ("?from%3d…%26to%3d…"), which the server
// read as no filter at all: every link went back to the last 30 days of all TINs.
func TestPaymentHistoryLinksKeepTheFilter(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	var tinID int64
	ta.db.R.QueryRow("SELECT id FROM tins WHERE tin = '951234567'").Scan(&tinID)
	today := ta.h.planToday()
	from, to := today.AddDate(0, 0, -60), today.AddDate(0, 0, -31)
	// More payments in the span than a page holds, so that it has two pages.
	for i := range models.PaymentsPerPage + 5 {
		if _, err := ta.db.W.Exec("INSERT INTO payments (tin_id, check_no, check_date, amount_cents, address) VALUES (?, ?, ?, 10000, '1 Main St')",
			tinID, fmt.Sprintf("LNK%06d", i), from.AddDate(0, 0, i%30).Format(models.DateFormat)); err != nil {
			t.Fatal(err)
		}
	}
	heading := func(a, b time.Time) string {
		return "<strong>" + a.Format("01/02/2006") + " – " + b.Format("01/02/2006") + "</strong>"
	}
	selected := fmt.Sprintf(`<option value="%d" selected>`, tinID)
	link := func(r *response, pattern string) string {
		t.Helper()
		m := regexp.MustCompile(pattern).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no link %s in the page", pattern)
		}
		return html.UnescapeString(m[1])
	}
	first := c.get(fmt.Sprintf("/claims/payments?from=%s&to=%s&tin=%d", from.Format(models.DateFormat), to.Format(models.DateFormat), tinID)).
		mustStatus(t, 200).mustContain(t, heading(from, to), "page 1 of 2", selected)

	next := link(first, `<a href="([^"]*)">Next page</a>`)
	second := c.get(next).mustStatus(t, 200).mustContain(t, heading(from, to), "page 2 of 2", selected)
	c.get(link(second, `<a href="([^"]*)">Previous page</a>`)).mustStatus(t, 200).mustContain(t, heading(from, to), "page 1 of 2", selected)

	c.get(link(first, `<a href="([^"]*)">Earlier 30 days</a>`)).mustStatus(t, 200).
		mustContain(t, heading(from.AddDate(0, 0, -30), to.AddDate(0, 0, -30)), selected)
	c.get(link(first, `<a href="([^"]*)">Later 30 days</a>`)).mustStatus(t, 200).
		mustContain(t, heading(from.AddDate(0, 0, 30), to.AddDate(0, 0, 30)), selected)

	csv := c.get(link(first, `<a class="button button-secondary no-print" href="([^"]*)">Download CSV</a>`)).mustStatus(t, 200)
	if name := "payments-" + from.Format(models.DateFormat) + "-to-" + to.Format(models.DateFormat) + ".csv"; !strings.Contains(csv.Header.Get("Content-Disposition"), name) {
		t.Errorf("the CSV link downloads %q, want %s", csv.Header.Get("Content-Disposition"), name)
	}
	if !strings.Contains(csv.Body, "LNK000054") || strings.Contains(csv.Body, "95-7654321") {
		t.Errorf("the CSV link's rows are not the chosen span and TIN:\n%.600s", csv.Body)
	}
}

// TestPaymentSpanRules checks the 30-day and 18-month rules at their edges, in the
// model with a fixed today and through the page.
func TestPaymentSpanRules(t *testing.T) {
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		from, to string
		ok       bool
	}{
		{"2026-10-29", "2026-11-27", true},  // 30 days ending today
		{"2026-10-28", "2026-11-27", false}, // 31 days
		{"2025-05-27", "2025-06-25", true},  // starts on the first allowed day
		{"2025-05-26", "2025-06-24", false}, // one day too old
		{"2026-11-20", "2026-11-28", false}, // ends tomorrow
		{"2026-11-20", "2026-11-19", false}, // backwards
		{"2026-11-27", "2026-11-27", true},  // one day
	}
	for _, tc := range cases {
		msg := models.CheckPaymentSpan(today, models.PaymentSpan{From: tc.from, To: tc.to})
		if (msg == "") != tc.ok {
			t.Errorf("%s..%s: %q, want ok=%v", tc.from, tc.to, msg, tc.ok)
		}
		if !tc.ok && !strings.Contains(msg, "between 05/27/2025 and 11/27/2026") {
			t.Errorf("%s..%s: message %q does not name the allowed range", tc.from, tc.to, msg)
		}
	}
	if sp := models.DefaultPaymentSpan(today); sp.From != "2026-10-29" || sp.To != "2026-11-27" {
		t.Errorf("default span %v", sp)
	}
	if sp := models.MonthPaymentSpan(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), today); sp.From != "2026-02-01" || sp.To != "2026-02-28" {
		t.Errorf("February %v", sp)
	}
	if sp := models.MonthPaymentSpan(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), today); sp.To != "2026-11-27" {
		t.Errorf("this month %v", sp)
	}

	// Through the page, relative to the app's today.
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	now := ta.h.planToday()
	earliest, latest := models.PaymentSpanLimits(now)
	d := func(days int) string { return now.AddDate(0, 0, days).Format(models.DateFormat) }
	allowed := "between " + formatDate(earliest) + " and " + formatDate(latest)
	c.get("/claims/payments?from="+d(-29)+"&to="+d(0)).mustStatus(t, 200)
	c.get("/claims/payments?from="+d(-30)+"&to="+d(0)).mustStatus(t, 422).mustContain(t, "That span is 31 days", allowed)
	old := mustParse(t, earliest)
	c.get("/claims/payments?from="+earliest+"&to="+old.AddDate(0, 0, 29).Format(models.DateFormat)).mustStatus(t, 200)
	c.get("/claims/payments?from="+old.AddDate(0, 0, -1).Format(models.DateFormat)+"&to="+old.AddDate(0, 0, 20).Format(models.DateFormat)).
		mustStatus(t, 422).mustContain(t, "goes back 18 months", allowed)
	c.get("/claims/payments?from="+d(-3)+"&to="+d(1)).mustStatus(t, 422).mustContain(t, "cannot end after today")
	c.get("/claims/payments?from="+url.QueryEscape(now.AddDate(0, 0, -10).Format("01/02/2006"))+"&to="+url.QueryEscape(now.Format("01/02/2006"))).mustStatus(t, 200)
	c.get("/claims/payments?from=31/31/2026&to=x").mustStatus(t, 422).mustContain(t, "as MM/DD/YYYY")
	c.get("/claims/payments?from="+strings.Repeat("9", 5000)).mustStatus(t, 422).mustContain(t, "too long")
	// The month picker: a month inside the range, one too old, one in the future.
	c.get("/claims/payments?month="+now.AddDate(0, -2, 0).Format("2006-01")).mustStatus(t, 200)
	c.get("/claims/payments?month="+now.AddDate(0, -20, 0).Format("2006-01")).mustStatus(t, 422).mustContain(t, "goes back 18 months")
	c.get("/claims/payments?month="+now.AddDate(0, 2, 0).Format("2006-01")).mustStatus(t, 422)
	c.get("/claims/payments?month=13/2026").mustStatus(t, 422).mustContain(t, "MM/YYYY")
	// The month in which the 18 months begin shows its part inside them.
	c.get("/claims/payments?month="+earliest[:7]).mustStatus(t, 200).mustContain(t, "<strong>"+formatDate(earliest)+" – ")
}

func mustParse(t testing.TB, iso string) time.Time {
	t.Helper()
	d, err := time.Parse(models.DateFormat, iso)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEOPTotalsEveryCheck proves, for every payment in the demo data, that its lines add
// up: each line's charge less its adjustments is what it paid, each claim's lines sum to
// the claim, and the claims sum to the payment. One EOP is also checked on the page.
func TestEOPTotalsEveryCheck(t *testing.T) {
	ta := newTestApp(t)
	ms := models.Members{DB: ta.db}
	rows, err := ta.db.R.Query("SELECT check_no FROM payments p WHERE NOT EXISTS (SELECT 1 FROM capitation_months cm WHERE cm.payment_id = p.id) ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	var nos []string
	for rows.Next() {
		var no string
		rows.Scan(&no)
		nos = append(nos, no)
	}
	rows.Close()
	if len(nos) < 50 {
		t.Fatalf("only %d payments in the demo", len(nos))
	}
	ctx := t.Context()
	codes := map[string]bool{}
	for _, no := range nos {
		p, err := ms.PaymentByNo(ctx, no)
		if err != nil {
			t.Fatal(err)
		}
		e, err := ms.EOP(ctx, p, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !e.Balanced() || e.Loaded.Paid != p.Amount || e.Loaded != p.Totals || len(e.Claims) != p.ClaimCount || len(e.Claims) == 0 {
			t.Errorf("payment %s: amount %d, lines paid %d, stored totals %+v, loaded %+v, claims %d of %d, balanced %v",
				no, p.Amount, e.Loaded.Paid, p.Totals, e.Loaded, len(e.Claims), p.ClaimCount, e.Balanced())
		}
		for _, c := range e.Claims {
			for _, l := range c.Lines {
				for _, a := range l.Adjustments() {
					codes[a.Group+"-"+a.CARC] = true
					if a.CARC != "" && !models.KnownCARC(a.CARC) || a.RARC != "" && !models.KnownRARC(a.RARC) {
						t.Errorf("payment %s: code %s has no plain words", no, a.Code())
					}
				}
			}
		}
	}
	for _, want := range []string{"CO-45", "PR-3", "PR-2"} {
		if !codes[want] {
			t.Errorf("no line of any payment carries %s", want)
		}
	}
	// Denied lines carry common CARCs too (on no check: nothing was paid).
	var denied int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM claim_lines WHERE adj_group = 'CO' AND adj_carc IN ('197','50','29','18','16','96') AND paid_cents = 0").Scan(&denied)
	if denied == 0 {
		t.Error("no denied lines with common CARCs")
	}
	// The page shows the total equal to the check.
	no, _ := ta.paymentNo(t, "manager@sunrise.example", "check")
	p, _ := ms.PaymentByNo(ctx, no)
	r := ta.as("manager@sunrise.example").get("/claims/payments/"+no).mustStatus(t, 200).
		mustContain(t, `<td class="num" id="eop-total-paid">`+formatMoney(p.Amount)+`</td>`, "add up to the check amount", "Mailed to", "CO-45", "contractual write-off")
	if !regexp.MustCompile(`href="/claims/C\d+"`).MatchString(r.Body) {
		t.Error("EOP does not link its claims")
	}
	eft, _ := ta.paymentNo(t, "manager@sunrise.example", "eft")
	ta.as("manager@sunrise.example").get("/claims/payments/"+eft).mustStatus(t, 200).mustContain(t, "EFT trace number", "Bank account ••••")
}

// TestPaymentsCSV checks both downloads: headers, rows, formula-safe cells, audit.
func TestPaymentsCSV(t *testing.T) {
	ta := newTestApp(t)
	const who = "manager@sunrise.example"
	no, date := ta.paymentNo(t, who, "check")
	// A payee address that a spreadsheet would run as a formula.
	if _, err := ta.db.W.Exec("UPDATE payments SET address = '=HYPERLINK(\"http://evil.example\",\"x\")' WHERE check_no = ?", no); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.db.W.Exec("UPDATE claim_lines SET description = '+SUM(A1:A9)', code = '@x' WHERE claim_id IN (SELECT id FROM claims WHERE payment_id = (SELECT id FROM payments WHERE check_no = ?))", no); err != nil {
		t.Fatal(err)
	}
	c := ta.as(who)
	d := mustParse(t, date)
	r := c.get("/claims/payments/csv?from="+d.AddDate(0, 0, -5).Format(models.DateFormat)+"&to="+date).mustStatus(t, 200)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("headers %v", r.Header)
	}
	if !strings.HasPrefix(r.Body, "date,number,method,amount") || !strings.Contains(r.Body, no) {
		t.Errorf("payments CSV:\n%s", r.Body)
	}
	if strings.Contains(r.Body, ",=HYPERLINK") || strings.Contains(r.Body, `"=HYPERLINK`) || !strings.Contains(r.Body, "'=HYPERLINK") {
		t.Errorf("formula not neutralised:\n%s", r.Body)
	}
	r = c.get("/claims/payments/"+no+"/csv").mustStatus(t, 200)
	if strings.Contains(r.Body, ",@x") || !strings.Contains(r.Body, "'@x") {
		t.Errorf("EOP CSV formula not neutralised:\n%s", r.Body)
	}
	if !strings.HasPrefix(r.Body, "payment_no,payment_date,claim_no") {
		t.Errorf("EOP CSV header:\n%.200s", r.Body)
	}
	if ta.auditCount("payments.export", "") != 1 || ta.auditCount("eop.export", "") != 1 {
		t.Error("downloads are not audited")
	}
}

// TestPaymentQueriesUseIndexes fails on a full scan in the payment pages' queries.
func TestPaymentQueriesUseIndexes(t *testing.T) {
	ta := newTestApp(t)
	for _, q := range models.PaymentQueries() {
		plan := queryPlan(t, ta, q.Name, q.SQL, q.Args)
		for _, detail := range plan {
			if fullScan(detail) || strings.HasPrefix(detail, "SCAN claim_lines") || strings.HasPrefix(detail, "SCAN payments") {
				t.Errorf("%s: full scan %q", q.Name, detail)
			}
		}
		t.Logf("%s: %s", q.Name, strings.Join(plan, " | "))
	}
}

// TestEOPPaging: a large check shows 20 claims a page (models.EOPClaimsPerPage) with the check's totals, and all
// of them for printing; the totals still equal the check.
func TestEOPPaging(t *testing.T) {
	ta := newTestApp(t)
	no, _ := ta.paymentNo(t, "manager@sunrise.example", "check")
	// Make the check pay every paid claim of the demo, and restate its totals from the lines.
	_, err := ta.db.W.Exec(`UPDATE claims SET payment_id = (SELECT id FROM payments WHERE check_no = ?1) WHERE payment_id IS NOT NULL;
		UPDATE payments SET claim_count = (SELECT COUNT(*) FROM claims WHERE payment_id = payments.id),
			amount_cents = (SELECT SUM(paid_cents) FROM claims WHERE payment_id = payments.id),
			line_count = (SELECT COUNT(*) FROM claim_lines WHERE claim_id IN (SELECT id FROM claims WHERE payment_id = payments.id)),
			billed_cents = (SELECT SUM(billed_cents) FROM claim_lines WHERE claim_id IN (SELECT id FROM claims WHERE payment_id = payments.id)),
			allowed_cents = (SELECT SUM(allowed_cents) FROM claim_lines WHERE claim_id IN (SELECT id FROM claims WHERE payment_id = payments.id)),
			deductible_cents = (SELECT SUM(deductible_cents) FROM claim_lines WHERE claim_id IN (SELECT id FROM claims WHERE payment_id = payments.id)),
			copay_cents = (SELECT SUM(copay_cents) FROM claim_lines WHERE claim_id IN (SELECT id FROM claims WHERE payment_id = payments.id)),
			coinsurance_cents = (SELECT SUM(coinsurance_cents) FROM claim_lines WHERE claim_id IN (SELECT id FROM claims WHERE payment_id = payments.id)),
			adjusted_cents = (SELECT SUM(adj_cents) FROM claim_lines WHERE claim_id IN (SELECT id FROM claims WHERE payment_id = payments.id))
		WHERE check_no = ?1`, no)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var amount int64
	ta.db.R.QueryRow("SELECT claim_count, amount_cents FROM payments WHERE check_no = ?", no).Scan(&n, &amount)
	per := models.EOPClaimsPerPage
	if per != 20 {
		t.Fatalf("EOPClaimsPerPage = %d; the README and Help say 20", per)
	}
	if n <= 2*per {
		t.Fatalf("only %d claims on the check", n)
	}
	c := ta.as("manager@sunrise.example")
	total := `<td class="num" id="eop-total-paid">` + formatMoney(amount) + `</td>`
	r := c.get("/claims/payments/"+no).mustStatus(t, 200).mustContain(t, fmt.Sprintf("Claims 1–%d of %d", per, n), "Next claims", total, "add up to the check amount")
	if got := strings.Count(r.Body, `class="eop-claim"`); got != per {
		t.Errorf("page 1 shows %d claims", got)
	}
	r = c.get("/claims/payments/"+no+"?page=2").mustStatus(t, 200).mustContain(t, fmt.Sprintf("Claims %d–%d of %d", per+1, 2*per, n), "Previous claims", total)
	if got := strings.Count(r.Body, `class="eop-claim"`); got != per {
		t.Errorf("page 2 shows %d claims", got)
	}
	r = c.get("/claims/payments/"+no+"?all=1").mustStatus(t, 200).mustContain(t, fmt.Sprintf("All %d claims", n), total, "add up to the check amount")
	if got := strings.Count(r.Body, `class="eop-claim"`); got != n {
		t.Errorf("all shows %d claims of %d", got, n)
	}
	c.get("/claims/payments/"+no+"?page=99999").mustStatus(t, 200)
	c.get("/claims/payments/"+no+"?page=-3").mustStatus(t, 200)
	// A stored total that no longer matches the lines is said on the page, never hidden.
	ta.db.W.Exec("UPDATE payments SET amount_cents = amount_cents + 1 WHERE check_no = ?", no)
	c.get("/claims/payments/"+no+"?all=1").mustStatus(t, 200).mustContain(t, "do not add up")
}

// TestCapitationCheckEOP: a capitated group's monthly capitation check is explained by
// its capitation payment summary, not by claims.
func TestCapitationCheckEOP(t *testing.T) {
	ta := newTestApp(t)
	var no, month string
	var tinID int64
	err := ta.db.R.QueryRow(`SELECT p.check_no, cm.month, p.tin_id FROM capitation_months cm JOIN payments p ON p.id = cm.payment_id
		JOIN tins t ON t.id = p.tin_id WHERE t.tin = '945550001' ORDER BY p.check_date DESC LIMIT 1`).Scan(&no, &month, &tinID)
	if err != nil {
		t.Skipf("no capitation checks in the demo: %v", err)
	}
	ta.as("manager@valley.example").get("/claims/payments/"+no).mustStatus(t, 200).
		mustContain(t, "Capitation payment", "Capitation "+month, fmt.Sprintf(`href="/reports?tin=%d&amp;month=%s"`, tinID, month)).
		mustNotContain(t, "do not add up", "Claims and service lines")
	ta.as("manager@sunrise.example").get("/claims/payments/"+no).mustStatus(t, 404)
}

package demo_test

import (
	"context"
	"os"
	"portico/db/dbtest"
	"strconv"
	"testing"
	"time"

	"portico/db/demo"
)

// TestDemoContract checks the accounts and members that SPEC §12 promises.
func TestDemoContract(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	f, err := demo.Run(ctx, d, demo.Options{Members: 600})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("timings: %v", f.Timings)
	users := []struct {
		email, account string
		manager        bool
		perms, roles   string
	}{
		{"manager@sunrise.example", "Sunrise Family Medicine", true, "", ""},
		{"staff@sunrise.example", "Sunrise Family Medicine", false, "eligibility claims", ""},
		{"manager@valley.example", "Valley Medical Group", true, "", ""},
		{"rep@plan.example", "", false, "", "associate"},
		{"nurse@plan.example", "", false, "", "reviewer case_manager"},
		{"editor@plan.example", "", false, "", "editor"},
		{"privacy@plan.example", "", false, "", "privacy"},
		{"admin@plan.example", "", false, "", "admin"},
	}
	for _, u := range users {
		var account, perms, roles, secret string
		var manager bool
		err := d.R.QueryRow(`SELECT COALESCE(a.name,''), u.is_manager, u.permissions, u.roles, u.totp_secret FROM users u
			LEFT JOIN provider_accounts a ON a.id = u.account_id WHERE u.email = ?`, u.email).Scan(&account, &manager, &perms, &roles, &secret)
		if err != nil {
			t.Fatalf("%s: %v", u.email, err)
		}
		if account != u.account || manager != u.manager || secret != demo.TOTPSecret {
			t.Errorf("%s: account %q manager %v secret %q", u.email, account, manager, secret)
		}
		if u.perms != "" && perms != u.perms {
			t.Errorf("%s: permissions %q, want %q", u.email, perms, u.perms)
		}
		if roles != u.roles {
			t.Errorf("%s: roles %q, want %q", u.email, roles, u.roles)
		}
	}
	tins := map[string]string{"951234567": "Sunrise Family Medicine", "957654321": "Sunrise Family Medicine", "945550001": "Valley Medical Group"}
	for tin, name := range tins {
		var got string
		if err := d.R.QueryRow(`SELECT a.name FROM tins t JOIN provider_accounts a ON a.id = t.account_id WHERE t.tin = ?`, tin).Scan(&got); err != nil || got != name {
			t.Errorf("TIN %s: %q %v", tin, got, err)
		}
	}
	members := []struct{ id, first, last, suffix, dob, planType, product, pcpTIN, subscriber string }{
		{"A100000001", "Maria", "Lopez", "", "1985-03-14", "commercial", "ifp", "951234567", ""},
		{"M200000001", "James", "Smith", "Jr.", "2010-07-02", "medical", "medi-cal", "951234567", "M200000002"},
		{"M200000002", "Linda", "Smith", "", "1979-01-20", "medical", "medi-cal", "957654321", ""},
		{"D300000001", "Robert", "Chen", "", "1948-11-30", "medicare", "dsnp", "945550001", ""},
	}
	for _, m := range members {
		var first, last, suffix, dob, planType, product, pcp, sub string
		err := d.R.QueryRow(`SELECT m.first_name, m.last_name, m.suffix, m.dob, m.plan_type, p.product, COALESCE(t.tin,''), COALESCE(s.member_id,'')
			FROM members m JOIN plans p ON p.id = m.plan_id LEFT JOIN tins t ON t.id = m.pcp_tin_id LEFT JOIN members s ON s.id = m.subscriber_id
			WHERE m.member_id = ?`, m.id).Scan(&first, &last, &suffix, &dob, &planType, &product, &pcp, &sub)
		if err != nil {
			t.Fatalf("%s: %v", m.id, err)
		}
		if first != m.first || last != m.last || suffix != m.suffix || dob != m.dob || planType != m.planType || product != m.product || pcp != m.pcpTIN || sub != m.subscriber {
			t.Errorf("%s: got %s %s %s %s %s %s pcp %s sub %s", m.id, first, last, suffix, dob, planType, product, pcp, sub)
		}
	}
	// D300000001 is attributed to Valley only: no Sunrise TIN has a claim for him.
	var sunriseClaims int
	d.R.QueryRow(`SELECT COUNT(*) FROM claims c JOIN members m ON m.id = c.member_pk JOIN tins t ON t.id = c.tin_id
		WHERE m.member_id = 'D300000001' AND t.account_id <> (SELECT account_id FROM tins WHERE tin='945550001')`).Scan(&sunriseClaims)
	if sunriseClaims != 0 {
		t.Errorf("D300000001 has %d claims from other accounts", sunriseClaims)
	}
	var sensitive int
	d.R.QueryRow(`SELECT COUNT(*) FROM claims c JOIN members m ON m.id = c.member_pk WHERE m.member_id = 'M200000001' AND c.sensitive_category <> ''`).Scan(&sensitive)
	if sensitive == 0 {
		t.Error("M200000001 has no sensitive-service claims")
	}
	var n int
	d.R.QueryRow(`SELECT COUNT(*) FROM members`).Scan(&n)
	if n != 600 {
		t.Errorf("members = %d, want 600", n)
	}
}

// TestDemoDeterministic proves two fills with the same anchor give the same data.
func TestDemoDeterministic(t *testing.T) {
	ctx := context.Background()
	sum := func() string {
		d := dbtest.Migrated(t)
		f, err := demo.Run(ctx, d, demo.Options{Members: 300, Anchor: mustTime("2026-11-01")})
		if err != nil {
			t.Fatal(err)
		}
		_ = f
		var s string
		d.R.QueryRow(`SELECT group_concat(member_id || first_name || last_name || dob, ',') FROM (SELECT * FROM members ORDER BY id)`).Scan(&s)
		var c string
		d.R.QueryRow(`SELECT group_concat(claim_no || status || paid_cents, ',') FROM (SELECT * FROM claims ORDER BY id)`).Scan(&c)
		return s + c
	}
	if a, b := sum(), sum(); a != b || a == "" {
		t.Error("two fills differ")
	}
}

// TestDemoForeignKeys proves every reference the fill writes points at a row: the fill
// does not have SQLite check them row by row, so this is where a generator that wrote a
// claim before its check, or a line for a claim that does not exist, is caught. It also
// proves the writer connection checks foreign keys again once the fill is done.
func TestDemoForeignKeys(t *testing.T) {
	d := filledDemo(t, 700)
	rows, err := d.R.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid, fk any
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%s row %v refers to a missing %s row", table, rowid, parent)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var on int
	if err := d.W.QueryRow("PRAGMA foreign_keys").Scan(&on); err != nil || on != 1 {
		t.Errorf("after the fill the writer has foreign_keys = %d (%v), want 1", on, err)
	}
	// A reference to a missing row is refused again.
	if _, err := d.W.Exec("INSERT INTO coverages(member_pk, plan_id, effective_date) VALUES (99999999, 1, '2026-01-01')"); err == nil {
		t.Error("a coverage for a missing member was accepted after the fill")
	}
}

// TestDemoSensitiveCategories proves the generated claims and authorization requests
// carry the sensitive-service categories (SPEC §8) their triggers give, though the fill
// loads them with the triggers suspended, and that the triggers are back afterwards.
func TestDemoSensitiveCategories(t *testing.T) {
	d := filledDemo(t, 700)
	var lines, wrongLines, wrongClaims int
	if err := d.R.QueryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE sensitive_category <> sensitive_category('', code))
		FROM claim_lines WHERE sensitive_category('', code) <> ''`).Scan(&lines, &wrongLines); err != nil {
		t.Fatal(err)
	}
	if lines == 0 || wrongLines != 0 {
		t.Errorf("%d lines with a sensitive code, %d of them without its category", lines, wrongLines)
	}
	if err := d.R.QueryRow(`SELECT COUNT(*) FROM claims c WHERE c.sensitive_category = ''
		AND (sensitive_category(c.diagnosis, '') <> '' OR EXISTS (SELECT 1 FROM claim_lines l WHERE l.claim_id = c.id AND l.sensitive_category <> ''))`).Scan(&wrongClaims); err != nil {
		t.Fatal(err)
	}
	if wrongClaims != 0 {
		t.Errorf("%d claims with a sensitive diagnosis or line have no category", wrongClaims)
	}
	var requests, wrongRequests int
	if err := d.R.QueryRow(`SELECT COUNT(*) FILTER (WHERE r.sensitive_category <> ''), COUNT(*) FILTER (WHERE r.sensitive_category = ''
		AND (EXISTS (SELECT 1 FROM authz_diagnoses x WHERE x.request_id = r.id AND sensitive_category(x.code, '') <> '')
		OR EXISTS (SELECT 1 FROM authz_lines x WHERE x.request_id = r.id AND sensitive_category('', x.code) <> '')))
		FROM authz_requests r`).Scan(&requests, &wrongRequests); err != nil {
		t.Fatal(err)
	}
	if requests == 0 || wrongRequests != 0 {
		t.Errorf("%d authorization requests with a sensitive category, %d more with a sensitive diagnosis or line but none", requests, wrongRequests)
	}
	// The triggers work again for claims written after the fill.
	if _, err := d.W.Exec(`INSERT INTO claims(id, claim_no, member_pk, tin_id, plan_type, status, received_date, service_from, service_to, diagnosis)
		SELECT 9000001, 'C2699999999', id, (SELECT MIN(id) FROM tins), plan_type, 'received', '2026-11-01', '2026-10-30', '2026-10-30', 'I10' FROM members LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec(`INSERT INTO claim_lines(claim_id, line_no, service_date, code) VALUES (9000001, 1, '2026-10-30', '90834')`); err != nil {
		t.Fatal(err)
	}
	var claim string
	if err := d.R.QueryRow("SELECT sensitive_category FROM claims WHERE id = 9000001").Scan(&claim); err != nil || claim != "mental_health" {
		t.Errorf("a psychotherapy line written after the fill left its claim with category %q (%v)", claim, err)
	}
}

// BenchmarkFill measures filling the demo data set; run with -benchtime=1x and
// PORTICO_FILL_MEMBERS=1000000 for the README figure.
func BenchmarkFill(b *testing.B) {
	n := 100000
	if v := os.Getenv("PORTICO_FILL_MEMBERS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	for i := 0; i < b.N; i++ {
		d := dbtest.Migrated(b)
		start := time.Now()
		f, err := demo.Run(context.Background(), d, demo.Options{Members: n})
		if err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		b.ReportMetric(el.Seconds(), "s/fill")
		b.Logf("%d members in %s: %v", n, el.Round(time.Millisecond), f.Timings)
	}
}

// TestReset proves a reset brings back the first state: a changed and an added row are
// gone afterwards, and the named members are back.
func TestReset(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	if _, err := demo.Run(ctx, d, demo.Options{Members: 300}); err != nil {
		t.Fatal(err)
	}
	var before int
	d.R.QueryRow("SELECT COUNT(*) FROM claims").Scan(&before)
	if _, err := d.W.Exec("UPDATE members SET first_name = 'Changed' WHERE member_id = 'A100000001'"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec("DELETE FROM claim_lines; DELETE FROM claims"); err != nil {
		t.Fatal(err)
	}
	if err := demo.Reset(ctx, d, nil, ""); err != nil {
		t.Fatal(err)
	}
	var first string
	var after int
	d.R.QueryRow("SELECT first_name FROM members WHERE member_id = 'A100000001'").Scan(&first)
	d.R.QueryRow("SELECT COUNT(*) FROM claims").Scan(&after)
	if first != "Maria" || after != before || after == 0 {
		t.Errorf("after reset: first name %q, claims %d (before %d)", first, after, before)
	}
}

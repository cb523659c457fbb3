package models_test

import (
	"context"
	"errors"
	"portico/db/dbtest"
	"sort"
	"strings"
	"testing"
	"time"

	"portico/db"
	"portico/db/demo"
	"portico/models"
)

// rxAnchor is the fixed "today" of the pharmacy tests.
var rxAnchor = time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)

func openDemoFormulary(t testing.TB) (*db.DB, models.Formulary) {
	t.Helper()
	d := dbtest.Migrated(t)
	if _, err := demo.Run(context.Background(), d, demo.Options{Members: 10, Anchor: rxAnchor}); err != nil {
		t.Fatal(err)
	}
	return d, models.Formulary{DB: d}
}

func currentVersion(t testing.TB, fs models.Formulary, list string) *models.FormularyVersion {
	t.Helper()
	v, err := fs.Current(context.Background(), list, rxAnchor)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func names(p *models.DrugPage) []string {
	var out []string
	for _, d := range p.Drugs {
		out = append(out, d.GenericName+"|"+d.BrandName)
	}
	return out
}

// TestDrugSearchTypoTolerant searches known drugs by generic and brand name, part of a
// name, misspellings, and text that would break a raw FTS5 MATCH.
func TestDrugSearchTypoTolerant(t *testing.T) {
	_, fs := openDemoFormulary(t)
	ctx := context.Background()
	v := currentVersion(t, fs, models.DrugListCommercial)
	if v.Drugs < 300 {
		t.Fatalf("the demo Commercial PDL has %d drugs; want a few hundred", v.Drugs)
	}
	cases := []struct {
		text, wantFirst string
		approx          bool
	}{
		{"atorvastatin", "atorvastatin|Lipitor", false},
		{"Lipitor", "atorvastatin|Lipitor", false},
		{"atorvastatn", "atorvastatin|Lipitor", true},
		{"atorvastatine", "atorvastatin|Lipitor", true},
		{"metfromin", "metformin", true},
		{"lisinoprill", "lisinopril|Zestril", true},
		{"ozempik", "semaglutide|Ozempic", true},
		{"sertaline", "sertraline|Zoloft", true},
		{"insulin glargine", "insulin glargine", false},
		{"Humira", "adalimumab|Humira Pen", false},
		{"amlo", "amlodipine|Norvasc", false},
	}
	for _, c := range cases {
		p, err := fs.Search(ctx, models.DrugQuery{VersionID: v.ID, List: v.List, Text: c.text, Page: 1, PerPage: 25, Today: "2026-11-02"})
		if err != nil {
			t.Fatalf("%q: %v", c.text, err)
		}
		got := names(p)
		if len(got) == 0 || !strings.HasPrefix(got[0], c.wantFirst) {
			t.Errorf("%q: first results %v, want %s first", c.text, got[:min(3, len(got))], c.wantFirst)
		}
		if p.Approximate != c.approx {
			t.Errorf("%q: approximate %v, want %v", c.text, p.Approximate, c.approx)
		}
	}
	// Every strength of atorvastatin is found, and nothing unrelated.
	p, _ := fs.Search(ctx, models.DrugQuery{VersionID: v.ID, List: v.List, Text: "atorvastatn", Today: "2026-11-02"})
	for _, d := range p.Drugs {
		if d.GenericName != "atorvastatin" {
			t.Errorf("atorvastatn also found %s", d.GenericName)
		}
	}
	if p.Total != 4 {
		t.Errorf("atorvastatn found %d entries, want the 4 strengths", p.Total)
	}
	// Text that is FTS5 syntax is searched as words, never an error.
	for _, text := range []string{`"`, `AND`, `a:b`, `*`, `NEAR(x y)`, `"lisinopril`, `-`, `^`, `OR OR`, strings.Repeat("x", 500)} {
		if _, err := fs.Search(ctx, models.DrugQuery{VersionID: v.ID, List: v.List, Text: text, PerPage: 25, Today: "2026-11-02"}); err != nil {
			t.Errorf("%q: %v", text, err)
		}
	}
	// Nonsense finds nothing.
	p, _ = fs.Search(ctx, models.DrugQuery{VersionID: v.ID, List: v.List, Text: "qqqzzzxxx", PerPage: 25, Today: "2026-11-02"})
	if p.Total != 0 {
		t.Errorf("nonsense found %v", names(p))
	}
}

// TestDrugSearchFilters checks the tier and flag filters and paging.
func TestDrugSearchFilters(t *testing.T) {
	_, fs := openDemoFormulary(t)
	ctx := context.Background()
	v := currentVersion(t, fs, models.DrugListMedicare)
	all, _ := fs.Search(ctx, models.DrugQuery{VersionID: v.ID, List: v.List, Today: "2026-11-02"})
	if all.Total != v.Drugs {
		t.Fatalf("listing finds %d of %d", all.Total, v.Drugs)
	}
	for _, f := range []struct {
		q  models.DrugQuery
		ok func(models.Drug) bool
	}{
		{models.DrugQuery{Tier: 5}, func(d models.Drug) bool { return d.Tier == 5 }},
		{models.DrugQuery{Flag: "pa"}, func(d models.Drug) bool { return d.PriorAuth }},
		{models.DrugQuery{Flag: "st"}, func(d models.Drug) bool { return d.StepTherapy }},
		{models.DrugQuery{Flag: "ql"}, func(d models.Drug) bool { return d.QuantityLimit != "" }},
		{models.DrugQuery{Flag: "specialty"}, func(d models.Drug) bool { return d.Specialty }},
		{models.DrugQuery{Flag: "changed"}, func(d models.Drug) bool { return d.Marked }},
		{models.DrugQuery{Text: "insulin", Tier: 3}, func(d models.Drug) bool { return d.Tier == 3 && strings.Contains(d.GenericName, "insulin") }},
	} {
		q := f.q
		q.VersionID, q.List, q.Today = v.ID, v.List, "2026-11-02"
		p, err := fs.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total == 0 {
			t.Errorf("%+v finds nothing", f.q)
		}
		want := 0
		for _, d := range all.Drugs {
			if f.ok(d) && (q.Text == "" || strings.Contains(d.GenericName, q.Text)) {
				want++
			}
		}
		if p.Total != want {
			t.Errorf("%+v finds %d, want %d", f.q, p.Total, want)
		}
		for _, d := range p.Drugs {
			if !f.ok(d) {
				t.Errorf("%+v let through %+v", f.q, d)
			}
		}
	}
	p, _ := fs.Search(ctx, models.DrugQuery{VersionID: v.ID, List: v.List, Page: 3, PerPage: 25, Today: "2026-11-02"})
	if len(p.Drugs) != 25 || p.Drugs[0].ID != all.Drugs[50].ID || p.Pages != (v.Drugs+24)/25 {
		t.Errorf("page 3: %d drugs of %d pages", len(p.Drugs), p.Pages)
	}
	// Markers last 90 days: the demo's current version changed drugs on the first of the
	// anchor's month; 91 days later nothing is marked.
	later, _ := fs.Search(ctx, models.DrugQuery{VersionID: v.ID, List: v.List, Flag: "changed", Today: "2027-02-01"})
	if later.Total != 0 {
		t.Errorf("%d drugs still marked after 90 days", later.Total)
	}
}

const goodCSV = "generic_name,brand_name,strength,form,drug_class,tier,prior_auth,step_therapy,quantity_limit,specialty\n" +
	"atorvastatin,Lipitor,10 mg,tablet,Cholesterol,1,no,no,,no\n" +
	"apixaban,Eliquis,5 mg,tablet,Anticoagulant,3,no,no,,no\n" +
	"newdrugumab,Newbrand,100 mg/mL,prefilled syringe,Immunology,5,yes,no,2 syringes / 28 days,yes\n"

// TestFormularyImport imports lists with bad rows (nothing written, every line
// named), runs a dry run (nothing written, the summary right), then publishes.
func TestFormularyImport(t *testing.T) {
	d, fs := openDemoFormulary(t)
	ctx := context.Background()
	count := func() (versions, drugs, audits int) {
		if err := d.R.QueryRow(`SELECT (SELECT COUNT(*) FROM formulary_versions), (SELECT COUNT(*) FROM formulary_drugs),
			(SELECT COUNT(*) FROM audit_log)`).Scan(&versions, &drugs, &audits); err != nil {
			t.Fatal(err)
		}
		return
	}
	v0, d0, a0 := count()
	by := models.Actor{UserID: 0, Email: "editor@plan.example"}
	bad := "generic_name,brand_name,strength,form,drug_class,tier,prior_auth,step_therapy,quantity_limit,specialty\n" +
		"atorvastatin,Lipitor,10 mg,tablet,Cholesterol,1,no,no,,no\n" +
		",NoName,5 mg,tablet,,1,no,no,,no\n" +
		"apixaban,Eliquis,5 mg,tablet,,9,no,no,,no\n" +
		"=cmd|'/c calc'!A1,x,1 mg,tablet,,1,no,no,,no\n" +
		"metformin,,500 mg,tablet,,1,maybe,no,,no\n" +
		"atorvastatin,Lipitor,10 mg,Tablet,Cholesterol,2,no,no,,no\n"
	res, err := fs.Import(ctx, by, models.ImportRequest{List: models.DrugListMedicare, Version: "2026.12", EffectiveOn: "2026-12-01", CSV: strings.NewReader(bad)}, rxAnchor)
	if err != nil {
		t.Fatal(err)
	}
	lines := map[int]string{}
	for _, p := range res.Problems {
		lines[p.Line] = p.Message
	}
	for line, want := range map[int]string{3: "generic_name is empty", 4: "tier must be a number from 1 to 5", 5: "formula",
		6: "prior_auth must be yes or no", 7: "already on line 2"} {
		if !strings.Contains(lines[line], want) {
			t.Errorf("line %d: %q, want %q", line, lines[line], want)
		}
	}
	if len(res.Problems) != 5 {
		t.Errorf("problems %+v", res.Problems)
	}
	if v, dr, a := count(); v != v0 || dr != d0 || a != a0 {
		t.Errorf("a file with bad rows changed the database: versions %d→%d drugs %d→%d audit %d→%d", v0, v, d0, dr, a0, a)
	}
	// Header problems.
	res, _ = fs.Import(ctx, by, models.ImportRequest{List: models.DrugListCommercial, Version: "x1", EffectiveOn: "2026-12-01", CSV: strings.NewReader("name,strength\nfoo,1 mg\n")}, rxAnchor)
	if len(res.Problems) == 0 || res.Problems[0].Line != 1 {
		t.Errorf("bad header: %+v", res.Problems)
	}
	// Field errors: a taken version name, an effective date before the current version.
	_, err = fs.Import(ctx, by, models.ImportRequest{List: models.DrugListMedicare, Version: currentVersion(t, fs, models.DrugListMedicare).Version,
		EffectiveOn: "2026-12-01", CSV: strings.NewReader(goodCSV)}, rxAnchor)
	var fe models.FieldErrors
	if !errors.As(err, &fe) || fe["version"] == "" {
		t.Errorf("a taken version name: %v", err)
	}
	_, err = fs.Import(ctx, by, models.ImportRequest{List: models.DrugListMedicare, Version: "old", EffectiveOn: "2020-01-01", CSV: strings.NewReader(goodCSV)}, rxAnchor)
	if !errors.As(err, &fe) || fe["effective_on"] == "" {
		t.Errorf("an effective date before the current version: %v", err)
	}
	// Dry run: the summary, and nothing written.
	cur := currentVersion(t, fs, models.DrugListMedicare)
	res, err = fs.Import(ctx, by, models.ImportRequest{List: models.DrugListMedicare, Version: "2026.12", EffectiveOn: "2026-12-01", DryRun: true, CSV: strings.NewReader(goodCSV)}, rxAnchor)
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("dry run: %v %+v", err, res.Problems)
	}
	if len(res.Added) != 1 || res.Added[0].GenericName != "newdrugumab" || len(res.Removed) != cur.Drugs-2 || res.Unchanged+len(res.Changed) != 2 {
		t.Errorf("dry run summary: %d added, %d removed (of %d), %d changed, %d unchanged", len(res.Added), len(res.Removed), cur.Drugs, len(res.Changed), res.Unchanged)
	}
	if v, dr, a := count(); v != v0 || dr != d0 || a != a0 {
		t.Errorf("a dry run changed the database")
	}
	// Publish: a version, its drugs, its removals, an audit entry; the search sees it
	// from its effective date on, with the new drug marked.
	res, err = fs.Import(ctx, by, models.ImportRequest{List: models.DrugListMedicare, Version: "2026.12", EffectiveOn: "2026-12-01", CSV: strings.NewReader(goodCSV)}, rxAnchor)
	if err != nil || res.Published == nil {
		t.Fatalf("publish: %v %+v", err, res)
	}
	if v, dr, a := count(); v != v0+1 || dr != d0+3 || a != a0+1 {
		t.Errorf("publish wrote versions %d→%d drugs %d→%d audit %d→%d", v0, v, d0, dr, a0, a)
	}
	if now := currentVersion(t, fs, models.DrugListMedicare); now.ID != cur.ID {
		t.Errorf("a version effective 12/01 is in force on 11/02")
	}
	dec, err := fs.Current(ctx, models.DrugListMedicare, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	if err != nil || dec.Version != "2026.12" {
		t.Fatalf("12/05: %v %+v", err, dec)
	}
	p, _ := fs.Search(ctx, models.DrugQuery{VersionID: dec.ID, List: dec.List, Flag: "changed", Today: "2026-12-05"})
	if got := names(p); len(got) == 0 || !strings.HasPrefix(strings.Join(got, ","), "") || !containsPrefix(got, "newdrugumab") {
		t.Errorf("changed since 12/01: %v", got)
	}
	removed, _ := fs.Removed(ctx, models.DrugListMedicare, "2026-12-05")
	if len(removed) != cur.Drugs-2+cur.Removed {
		t.Errorf("%d removals listed, want %d", len(removed), cur.Drugs-2+cur.Removed)
	}
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// BenchmarkDrugSearch measures drug search over the demo Commercial PDL (SPEC §13
// budget: p99 under 10 ms): names, brand names, partial names, misspellings (the
// near-miss path), filters and plain listing pages; it reports p50 and p99.
func BenchmarkDrugSearch(b *testing.B) {
	_, fs := openDemoFormulary(b)
	ctx := context.Background()
	v := currentVersion(b, fs, models.DrugListCommercial)
	queries := []models.DrugQuery{
		{Text: "atorvastatin"}, {Text: "atorvastatn"}, {Text: "Ozempic"}, {Text: "metfromin"}, {Text: "insulin"}, {Text: "amlo"},
		{Tier: 4}, {Flag: "pa"}, {Page: 5}, {Text: "sertaline", Flag: "ql"}, {Text: "hydrocodone acetaminophen"}, {Text: `a AND "b`},
	}
	durations := make([]time.Duration, 0, b.N)
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		q.VersionID, q.List, q.PerPage, q.Today = v.ID, v.List, 25, "2026-11-02"
		start := time.Now()
		if _, err := fs.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	pct := func(p float64) float64 {
		return float64(durations[int(float64(len(durations)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

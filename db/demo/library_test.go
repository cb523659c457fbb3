package demo_test

import (
	"context"
	"portico/db/dbtest"
	"testing"

	"portico/db/demo"
	"portico/models"
)

// TestLibraryFill checks the library and directory promises of SPEC §12: at least 100
// entries covering every section, 2018–2019 updates as PDF documents whose text search
// finds, and at least 1,000 providers of every type.
func TestLibraryFill(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	f, err := demo.Run(ctx, d, demo.Options{Members: 100})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("timings: %v", f.Timings)
	var entries, docs, providers, fts int
	d.R.QueryRow("SELECT COUNT(*) FROM library_entries WHERE status = 'published'").Scan(&entries)
	d.R.QueryRow("SELECT COUNT(*) FROM library_documents").Scan(&docs)
	d.R.QueryRow("SELECT COUNT(*) FROM providers").Scan(&providers)
	d.R.QueryRow("SELECT COUNT(*) FROM library_fts").Scan(&fts)
	if entries < 100 || fts != entries || docs < 20 || providers < 1000 {
		t.Fatalf("entries %d, indexed %d, documents %d, providers %d", entries, fts, docs, providers)
	}
	counts, err := models.Library{DB: d}.SectionCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range models.LibrarySections {
		if counts[s.Key] == 0 {
			t.Errorf("section %s is empty", s.Key)
		}
	}
	var pdfOld, pdfNew int
	d.R.QueryRow("SELECT COUNT(*) FROM library_documents d JOIN library_entries e ON e.id = d.entry_id WHERE e.published_on < '2020-01-01'").Scan(&pdfOld)
	d.R.QueryRow("SELECT COUNT(*) FROM library_documents d JOIN library_entries e ON e.id = d.entry_id WHERE e.published_on >= '2020-01-01'").Scan(&pdfNew)
	if pdfOld < 20 || pdfNew != 0 {
		t.Errorf("PDF documents: %d from 2018–2019, %d later", pdfOld, pdfNew)
	}
	var data []byte
	var text string
	if err := d.R.QueryRow("SELECT data, text FROM library_documents ORDER BY id LIMIT 1").Scan(&data, &text); err != nil {
		t.Fatal(err)
	}
	if got := models.ExtractPDFText(data); len(got) < 100 {
		t.Errorf("extracted text of a demo PDF is %q", got)
	}
	var revised int
	d.R.QueryRow("SELECT COUNT(*) FROM library_entries e WHERE e.revision = 2 AND (SELECT COUNT(*) FROM library_revisions r WHERE r.entry_id = e.id) = 2").Scan(&revised)
	if revised != 3 {
		t.Errorf("%d entries with an earlier revision, want 3", revised)
	}
	for _, typ := range []string{"physician", "ppg", "hospital", "ancillary"} {
		var n int
		d.R.QueryRow("SELECT COUNT(*) FROM providers WHERE type = ?", typ).Scan(&n)
		if n < 50 {
			t.Errorf("%d providers of type %s", n, typ)
		}
	}
}

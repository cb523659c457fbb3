package models_test

import (
	"context"
	"portico/db/dbtest"
	"strings"
	"testing"

	"portico/models"
)

func mustCreate(t *testing.T, lib models.Library, in models.EntryInput) int64 {
	t.Helper()
	if in.LOB == "" {
		in.LOB = "all"
	}
	if in.Section == "" {
		in.Section = "manual"
	}
	if in.ProviderTypes == nil {
		in.ProviderTypes = []string{"physician"}
	}
	id, err := lib.Create(context.Background(), in, "editor@plan.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.SetPublished(context.Background(), id, true, "editor@plan.example"); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestLibrarySearchRankingModel: a title match outranks a body match (bm25 with the title
// weighted), filters exclude other lines of business and provider types, and document
// text is searched.
func TestLibrarySearchRankingModel(t *testing.T) {
	ctx := context.Background()
	lib := models.Library{DB: dbtest.Migrated(t)}
	body := mustCreate(t, lib, models.EntryInput{Title: "Hospital notices", BodyMD: "Dialysis appears once here among many other words about hospitals and notices and admissions."})
	title := mustCreate(t, lib, models.EntryInput{Title: "Dialysis", BodyMD: "Outpatient treatment for kidney failure.", LOB: "medical", ProviderTypes: []string{"ancillary"}})
	mustCreate(t, lib, models.EntryInput{Title: "Unrelated", BodyMD: "Nothing to see."})
	res, err := lib.Search(ctx, models.LibrarySearch{Query: "dialysis"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 || res.Hits[0].Entry.ID != title || res.Hits[1].Entry.ID != body {
		t.Fatalf("ranking: total %d, hits %+v", res.Total, res.Hits)
	}
	if got := string(res.Hits[0].TitleHTML); got != "<mark>Dialysis</mark>" {
		t.Errorf("title highlight %q", got)
	}
	if !strings.Contains(string(res.Hits[1].SnippetHTML), "<mark>Dialysis</mark>") {
		t.Errorf("snippet %q", res.Hits[1].SnippetHTML)
	}
	for _, f := range []models.LibrarySearch{{Query: "dialysis", LOB: "commercial"}, {Query: "dialysis", ProviderType: "physician"}} {
		res, err := lib.Search(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 1 || res.Hits[0].Entry.ID != body {
			t.Errorf("filter %+v: total %d", f, res.Total)
		}
	}
	// A page past the end shows the last page.
	if res, _ := lib.Search(ctx, models.LibrarySearch{Query: "dialysis", Page: 50}); res.Page != 1 || len(res.Hits) != 2 {
		t.Errorf("page past the end: page %d, %d hits", res.Page, len(res.Hits))
	}
	// Accents are folded both ways.
	mustCreate(t, lib, models.EntryInput{Title: "Crème brûlée policy", BodyMD: "Dessert."})
	if res, _ := lib.Search(ctx, models.LibrarySearch{Query: "creme brulee"}); res.Total != 1 {
		t.Errorf("accent folding: %d hits", res.Total)
	}
	// Prefixes, phrases and the any-word fallback.
	if res, _ := lib.Search(ctx, models.LibrarySearch{Query: "dialy*"}); res.Total != 2 {
		t.Errorf("prefix: %d hits", res.Total)
	}
	if res, _ := lib.Search(ctx, models.LibrarySearch{Query: `"kidney failure"`}); res.Total != 1 {
		t.Errorf("phrase: %d hits", res.Total)
	}
	if res, _ := lib.Search(ctx, models.LibrarySearch{Query: "dialysis zzzqqq"}); res.Total != 2 || !res.AnyWord {
		t.Errorf("any-word fallback: %d hits, any %v", res.Total, res.AnyWord)
	}
	// Document text.
	pdf := models.WritePDF("Letter", []models.PDFPage{{Heading: "Letter", Lines: []string{"Hemofiltration (CRRT) \\ notice: résumé"}}})
	if got := models.ExtractPDFText(pdf); !strings.Contains(got, "Hemofiltration (CRRT) \\ notice: résumé") {
		t.Errorf("extracted %q", got)
	}
	if _, err := lib.AddDocument(ctx, title, "letter.pdf", pdf, "", "editor@plan.example"); err != nil {
		t.Fatal(err)
	}
	if res, _ := lib.Search(ctx, models.LibrarySearch{Query: "hemofiltration"}); res.Total != 1 || res.Hits[0].Entry.ID != title {
		t.Errorf("document text: %d hits", res.Total)
	}
	if _, err := lib.AddDocument(ctx, title, "x.pdf", []byte("GIF89a not a pdf"), "", ""); err == nil {
		t.Error("a GIF was accepted as a PDF")
	}
	// Unpublished entries leave the index.
	if err := lib.SetPublished(ctx, title, false, ""); err != nil {
		t.Fatal(err)
	}
	if res, _ := lib.Search(ctx, models.LibrarySearch{Query: "dialysis"}); res.Total != 1 {
		t.Errorf("after unpublish: %d hits", res.Total)
	}
}

// TestBuildMatch: reader text always becomes quoted FTS5 strings.
func TestBuildMatch(t *testing.T) {
	cases := map[string]string{
		`transplant`:              `"transplant"`,
		`a AND b`:                 `"a" AND "AND" AND "b"`,
		`title:x`:                 `"title:x"`,
		`"prior auth" NEAR`:       `"prior auth" AND "NEAR"`,
		`say "hi`:                 `"say" AND "hi"`,
		`dial*`:                   `"dial" *`,
		`*`:                       ``,
		`( ) " ' -- ;`:            ``,
		`o"brien`:                 `"o""brien"`,
		"a\x01b":                  `"ab"`,
		`ñandú`:                   `"ñandú"`,
		strings.Repeat("w ", 100): `"w"`,
	}
	for in, want := range cases {
		if got, _ := models.BuildMatch(in, false); got != want {
			t.Errorf("BuildMatch(%.30q) = %q, want %q", in, got, want)
		}
	}
	many := strings.Repeat("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu ", 50)
	if _, terms := models.BuildMatch(many, false); len(terms) != 10 {
		t.Errorf("%d terms kept, want 10", len(terms))
	}
}

// TestRenderMarkdownSanitizes: what an editor types never carries script.
func TestRenderMarkdownSanitizes(t *testing.T) {
	html, text, err := models.RenderMarkdown("Intro **bold**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n## Section <i>one</i>\nBody [ok](https://example.org)\n\n```\n## not a heading\n```")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "javascript:", "onerror", "<img"} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered HTML holds %q: %s", bad, html)
		}
	}
	for _, want := range []string{"<strong>bold</strong>", `<details class="accordion"`, "<summary>Section &lt;i&gt;one&lt;/i&gt;</summary>", `href="https://example.org"`, "## not a heading"} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered HTML lacks %q: %s", want, html)
		}
	}
	if strings.Contains(text, "<") || !strings.Contains(text, "Intro bold") {
		t.Errorf("text %q", text)
	}
}

// TestAZLetter: accented initials file under their letter, digits under "#".
func TestAZLetter(t *testing.T) {
	for in, want := range map[string]string{"Éxito": "E", "acupuncture": "A", "2026 updates": "#", "  Ñandú": "N", "": "#", "“Quoted”": "Q"} {
		if got := models.AZLetter(in); got != want {
			t.Errorf("AZLetter(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRenderMarkdownKeepsItemsApart: the plain text that search snippets show keeps list
// items and paragraphs apart (issue 16: snippets ran list items together).
func TestRenderMarkdownKeepsItemsApart(t *testing.T) {
	_, text, err := models.RenderMarkdown("Bring these:\n\n- the member ID card\n- a photo ID\n- the referral form.\n\nThen check in.\n\n| Code | Use |\n|---|---|\n| 99213 | visit |\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "Bring these: the member ID card; a photo ID; the referral form. Then check in. Code; Use; 99213; visit."
	if text != want {
		t.Errorf("plain text\n%q\nwant\n%q", text, want)
	}
}

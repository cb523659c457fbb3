package handlers

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portico/models"
)

// firstHit returns the title text of the first search result on a page.
func firstHit(body string) string {
	m := regexp.MustCompile(`(?s)class="library-hit-title"><a href="[^"]*">(.*?)</a>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "")
}

// TestLibraryPublic: every section is public, starts no session, and shows what SPEC §7
// promises (A–Z bars, accordions, provider types, the PDF archive and news feed).
func TestLibraryPublic(t *testing.T) {
	ta := newTestApp(t)
	c := ta.anon()
	for _, s := range models.LibrarySections {
		r := c.get("/library/"+s.Key).mustStatus(t, 200).mustContain(t, s.Label)
		if r.Header.Get("Set-Cookie") != "" {
			t.Errorf("/library/%s set a cookie: %s", s.Key, r.Header.Get("Set-Cookie"))
		}
		if s.AZ {
			r.mustContain(t, `class="az"`, `id="az-`)
		}
	}
	for _, p := range []string{"/library", "/library/search?q=transplant", "/library/manual/transplant-services", "/help"} {
		if r := c.get(p).mustStatus(t, 200); r.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s set a cookie", p)
		}
	}
	c.get("/library").mustStatus(t, 200).mustContain(t, "Provider library", "Operations manual", "Search the whole library")
	c.get("/library/manual").mustContain(t, `href="#az-T"`, "Transplant services")
	c.get("/library/contacts").mustContain(t, `href="#az-P"`, "Pharmacy help desk", "800-555-0132")
	c.get("/library/manual/transplant-services").mustStatus(t, 200).
		mustContain(t, "Applies to:", "Hospitals", `<details class="accordion"`, "<summary>Prior authorization</summary>")
	r := c.get("/library/updates").mustStatus(t, 200).mustContain(t, "News feed (2020 on)", "2019 updates and letters", "2018 updates and letters", "Download PDF")
	m := regexp.MustCompile(`href="(/library/documents/\d+/[^"]+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("no PDF link on the updates page")
	}
	pdf := c.get(m[1]).mustStatus(t, 200)
	if pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-1.4") {
		t.Errorf("document: %s, starts %q", pdf.Header.Get("Content-Type"), pdf.Body[:min(8, len(pdf.Body))])
	}
	feed := c.get("/library/updates/feed").mustStatus(t, 200).mustContain(t, "<feed xmlns=\"http://www.w3.org/2005/Atom\"", "Behavioral health follow-up after emergency visits", "http://portico.test/library/updates/")
	if !strings.HasPrefix(feed.Header.Get("Content-Type"), "application/atom+xml") || strings.Contains(feed.Body, "Influenza season") {
		t.Errorf("feed: %s; holds a 2019 update: %v", feed.Header.Get("Content-Type"), strings.Contains(feed.Body, "Influenza season"))
	}
	// Section filters: the Medi-Cal-only well-child page is not listed for Commercial; an
	// ECM-only page is not listed for hospitals; pages for all lines stay.
	c.get("/library/manual?lob=commercial").mustStatus(t, 200).mustContain(t, "Transplant services", "Acupuncture").mustNotContain(t, "Well-child visits")
	c.get("/library/manual?lob=medical&type=hospital").mustStatus(t, 200).mustContain(t, "Transplant services").mustNotContain(t, `href="/library/manual/enhanced-care-management"`, "Acupuncture")
	c.get("/library/manual?lob=bogus&type=%3Cscript%3E").mustStatus(t, 200).mustContain(t, "Well-child visits", "Acupuncture")
	c.get("/library/nonsense").mustStatus(t, 404)
	c.get("/library/manual/no-such-page").mustStatus(t, 404)
	c.get("/library/documents/999999/x.pdf").mustStatus(t, 404)
}

// TestLibrarySearchRanking: the best match comes first, document text is searched, and
// filters keep out entries of other lines of business and provider types.
func TestLibrarySearchRanking(t *testing.T) {
	ta := newTestApp(t)
	c := ta.anon()
	r := c.get("/library/search?q=transplant").mustStatus(t, 200)
	if got := firstHit(r.Body); got != "Transplant services" {
		t.Errorf("first hit for transplant = %q", got)
	}
	r.mustContain(t, "<mark>Transplant</mark>")
	// A word found only in a 2019 PDF document.
	r = c.get("/library/search?q=oseltamivir").mustStatus(t, 200)
	if got := firstHit(r.Body); got != "Influenza season: antivirals and testing" {
		t.Errorf("first hit for oseltamivir = %q", got)
	}
	// An update number.
	if got := firstHit(c.get("/library/search?q=19-390").Body); got != "Influenza season: antivirals and testing" {
		t.Errorf("first hit for 19-390 = %q", got)
	}
	r = c.get("/library/search?q="+url.QueryEscape("prior authorization requirements")+"&lob=medical").mustStatus(t, 200)
	r.mustContain(t, `href="/library/prior_auth/prior-authorization-requirements-medi-cal"`).
		mustNotContain(t, `href="/library/prior_auth/prior-authorization-requirements-commercial-hmo-ppo-and-epo"`, `href="/library/prior_auth/prior-authorization-requirements-medicare-advantage-and-dsnp"`)
	r = c.get("/library/search?q="+url.QueryEscape("prior authorization requirements")+"&lob=commercial").mustStatus(t, 200)
	r.mustContain(t, `href="/library/prior_auth/prior-authorization-requirements-commercial-hmo-ppo-and-epo"`).
		mustNotContain(t, `href="/library/prior_auth/prior-authorization-requirements-medi-cal"`)
	c.get("/library/search?q="+url.QueryEscape("enhanced care management")+"&type=cs_ecm").mustStatus(t, 200).
		mustContain(t, `href="/library/manual/enhanced-care-management"`)
	c.get("/library/search?q="+url.QueryEscape("enhanced care management")+"&type=hospital").mustStatus(t, 200).
		mustNotContain(t, `href="/library/manual/enhanced-care-management"`)
	// Paging: a common word has several pages; page 2 differs from page 1.
	p1 := c.get("/library/search?q=members").mustStatus(t, 200).mustContain(t, "Next page")
	p2 := c.get("/library/search?q=members&page=2").mustStatus(t, 200).mustContain(t, "Previous page")
	if firstHit(p1.Body) == firstHit(p2.Body) {
		t.Error("page 2 starts with the same hit as page 1")
	}
	// HTMX gets the results fragment alone.
	c.htmx = true
	c.get("/library/search?q=transplant").mustStatus(t, 200).mustContain(t, `id="library-results"`).mustNotContain(t, "<html")
	req := httptest.NewRequest(http.MethodGet, "/library/search?q=transplant", nil)
	req.Header.Set("HX-History-Restore-Request", "true")
	c.do(req).mustStatus(t, 200).mustContain(t, "<html")
}

// TestLibrarySearchHostile: whatever the query text, the answer is a page, never a 500.
func TestLibrarySearchHostile(t *testing.T) {
	ta := newTestApp(t)
	c := ta.anon()
	queries := []string{
		``, ` `, `"`, `""`, `"""`, `"unterminated`, `AND`, `OR`, `NOT`, `a AND`, `OR b`, `NOT NOT`, `NEAR(a b)`, `NEAR`, `a NEAR/2 b`,
		`title:transplant`, `a:b`, `body:`, `:`, `*`, `**`, `a*`, `*a`, `^a`, `+`, `-`, `-a`, `(`, `)`, `((a)`, `a)`, `{a b}`, `[a]`,
		`'; DROP TABLE library_entries; --`, `\`, `\"`, "\x00", "\x01mark\x02", "a\x00b", "\xff\xfe", `%`, `_`, `ñandú crème brûlée`,
		`日本語 テスト`, `مرحبا`, `🙂🙂🙂`, `<script>alert(1)</script>`, `"prior authorization`, `transplant"`, `a"b"c`,
		strings.Repeat("a ", 5000), strings.Repeat("x", 10<<10), strings.Repeat(`"(`, 1500), strings.Repeat("transplant OR ", 600),
	}
	for _, q := range queries {
		for _, extra := range []string{"", "&lob=medical&type=hospital", "&lob=bogus&type=%22&page=-5", "&page=99999999999999999999"} {
			r := c.get("/library/search?q=" + url.QueryEscape(q) + extra)
			if r.Status != 200 {
				t.Errorf("query %.40q%s: status %d", q, extra, r.Status)
			}
			if !strings.Contains(r.Body, `id="library-results"`) {
				t.Errorf("query %.40q: no results area", q)
			}
			if strings.Contains(r.Body, "<script>alert") {
				t.Errorf("query %.40q reflected unescaped", q)
			}
		}
	}
}

// editorEntry creates and publishes an entry through the editor's routes and returns its ID.
func editorEntry(t *testing.T, ed *client, title, body string) int64 {
	t.Helper()
	r := ed.post("/library/edit/new", url.Values{"section": {"education"}, "title": {title}, "summary": {"Summary of " + title},
		"body": {body}, "lob": {"all"}, "provider_types": {"physician", "hospital"}, "published_on": {"2026-11-01"}}).mustStatus(t, 303)
	var id int64
	if _, err := fmt.Sscanf(r.Header.Get("Location"), "/library/edit/%d", &id); err != nil {
		t.Fatalf("location %q", r.Header.Get("Location"))
	}
	ed.post(fmt.Sprintf("/library/edit/%d/publish", id), nil).mustStatus(t, 303)
	return id
}

// TestLibraryNoScript: script and event-handler markup in an entry never reaches a page,
// neither the entry nor search results nor the editor's preview.
func TestLibraryNoScript(t *testing.T) {
	ta := newTestApp(t)
	ed := ta.as("editor@plan.example")
	body := "Zebrafish notice.\n\n<script>alert('x')</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[click me](javascript:alert(3))\n\n" +
		"<a href=\"javascript:alert(4)\">raw link</a> <iframe src=\"https://evil.example\"></iframe> <svg onload=alert(5)>\n\n## Part <b onmouseover=alert(6)>two</b>\nMore zebrafish.\n\n[ok](https://example.org/page)"
	id := editorEntry(t, ed, `Zebrafish <script>alert("t")</script> guide`, body)
	anon := ta.anon()
	r := anon.get("/library/education/zebrafish-script-alert-t-script-guide").mustStatus(t, 200)
	r.mustContain(t, "Zebrafish notice", `href="https://example.org/page"`, "&lt;script&gt;")
	noActiveMarkup(t, r.Body)
	noActiveMarkup(t, anon.get("/library/search?q=zebrafish").mustStatus(t, 200).mustContain(t, "<mark>Zebrafish</mark>").Body)
	noActiveMarkup(t, anon.get("/library/search?q=script").mustStatus(t, 200).Body)
	noActiveMarkup(t, anon.get("/library/education").mustStatus(t, 200).Body)
	noActiveMarkup(t, ed.get(fmt.Sprintf("/library/edit/%d", id)).mustStatus(t, 200).Body)
	noActiveMarkup(t, ed.get(fmt.Sprintf("/library/edit/%d/revisions/1", id)).mustStatus(t, 200).Body)
}

var (
	activeScript  = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	ownScript     = regexp.MustCompile(`^<script src="/static/[0-9a-f]+/js/[a-z0-9.-]+\.js" defer>$`)
	eventHandler  = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)
	scriptURL     = regexp.MustCompile(`(?i)(href|src|action)\s*=\s*["']?\s*javascript:`)
	embeddedFrame = regexp.MustCompile(`(?i)<(iframe|svg|object|embed)\b`)
)

// noActiveMarkup fails when a page holds a script other than Portico's own, an element
// with an event handler, a javascript: URL or an embedded frame.
func noActiveMarkup(t *testing.T, body string) {
	t.Helper()
	for _, s := range activeScript.FindAllString(body, -1) {
		if !ownScript.MatchString(s) {
			t.Errorf("page holds a script tag %q", s)
		}
	}
	for _, re := range []*regexp.Regexp{eventHandler, scriptURL, embeddedFrame} {
		if m := re.FindString(body); m != "" {
			t.Errorf("page holds active markup %q", m)
		}
	}
}

// TestLibraryEditorAccess: nobody but an editor reaches any editor route, GET or POST.
func TestLibraryEditorAccess(t *testing.T) {
	ta := newTestApp(t)
	gets := []string{"/library/edit", "/library/edit/new", "/library/edit/1", "/library/edit/1/revisions", "/library/edit/1/revisions/1"}
	posts := []string{"/library/edit/new", "/library/edit/preview", "/library/edit/1", "/library/edit/1/publish", "/library/edit/1/unpublish",
		"/library/edit/1/revisions/1/restore", "/library/edit/1/documents", "/library/edit/1/documents/1/delete"}
	form := url.Values{"section": {"manual"}, "title": {"Hijack"}, "lob": {"all"}, "provider_types": {"physician"}}
	for _, who := range []string{"", "manager@sunrise.example", "staff@sunrise.example", "manager@valley.example", "rep@plan.example", "nurse@plan.example", "privacy@plan.example", "admin@plan.example"} {
		var c *client
		if who == "" {
			c = ta.anon()
		} else {
			c = ta.as(who)
		}
		for _, p := range gets {
			r := c.get(p)
			if who == "" {
				if r.Status != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
					t.Errorf("anonymous GET %s: %d to %q", p, r.Status, r.Header.Get("Location"))
				}
			} else if r.Status != 403 {
				t.Errorf("%s GET %s: %d, want 403", who, p, r.Status)
			}
		}
		for _, p := range posts {
			r := c.post(p, form)
			if r.Status != 403 && !(who == "" && r.Status == 401) {
				t.Errorf("%q POST %s: %d, want 403", who, p, r.Status)
			}
		}
	}
	var title string
	if err := ta.db.R.QueryRow("SELECT title FROM library_entries WHERE id = 1").Scan(&title); err != nil || title == "Hijack" {
		t.Errorf("entry 1 title %q (%v)", title, err)
	}
	if n := ta.auditCount("library.update", "") + ta.auditCount("library.create", "") + ta.auditCount("library.publish", ""); n != 0 {
		t.Errorf("%d editor actions audited for non-editors", n)
	}
	// The editor reaches them all.
	ed := ta.as("editor@plan.example")
	for _, p := range gets {
		ed.get(p).mustStatus(t, 200)
	}
}

// upload posts a multipart form with a file, as a browser would.
func (c *client) upload(path, filename string, data []byte, text string) *response {
	c.ta.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", c.csrf)
	_ = w.WriteField("text", text)
	fw, _ := w.CreateFormFile("document", filename)
	_, _ = fw.Write(data)
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// TestLibraryEditorFlow: create (with validation), publish, edit, restore an earlier
// revision, upload a PDF (only a PDF), unpublish — each audited and visible to readers
// only while published.
func TestLibraryEditorFlow(t *testing.T) {
	ta := newTestApp(t)
	ed := ta.as("editor@plan.example")
	anon := ta.anon()

	r := ed.post("/library/edit/new", url.Values{"section": {"manual"}, "title": {""}, "body": {"Kept text"}, "lob": {"nope"}}).mustStatus(t, 422)
	r.mustContain(t, "error-summary", "Enter a title.", "Choose a line of business.", "Choose at least one provider type", "Kept text",
		`href="#f-title"`, `id="f-title-error"`, `href="#f-provider_types"`)

	// Preview renders without saving, with or without HTMX, and never carries script.
	pv := url.Values{"section": {"manual"}, "title": {"Preview only"}, "body": {"## Part\nPreviewed *text* <script>alert(1)</script>"}, "lob": {"all"}}
	r = ed.post("/library/edit/preview", pv).mustStatus(t, 200).mustContain(t, "Preview (not saved)", "<em>text</em>", `<details class="accordion"`, "Previewed")
	noActiveMarkup(t, r.Body)
	ed.htmx = true
	r = ed.post("/library/edit/preview", pv).mustStatus(t, 200).mustContain(t, `id="library-preview"`, "<em>text</em>").mustNotContain(t, "<html")
	noActiveMarkup(t, r.Body)
	ed.htmx = false
	var previews int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM library_entries WHERE title = 'Preview only'").Scan(&previews)
	if previews != 0 {
		t.Error("preview saved an entry")
	}
	r = ed.post("/library/edit/new", url.Values{"section": {"manual"}, "title": {"Quokka therapy benefit"}, "summary": {"First summary"},
		"body": {"Original quokka text."}, "lob": {"commercial"}, "provider_types": {"ancillary"}, "published_on": {"2026-11-01"}}).mustStatus(t, 303)
	var id int64
	fmt.Sscanf(r.Header.Get("Location"), "/library/edit/%d", &id)
	if ta.auditCount("library.create", "") != 1 {
		t.Error("create not audited")
	}
	public := "/library/manual/quokka-therapy-benefit"
	anon.get(public).mustStatus(t, 404)
	anon.get("/library/search?q=quokka").mustStatus(t, 200).mustNotContain(t, public)

	ed.post(fmt.Sprintf("/library/edit/%d/publish", id), nil).mustStatus(t, 303)
	anon.get(public).mustStatus(t, 200).mustContain(t, "Original quokka text.", "Ancillary providers")
	anon.get("/library/search?q=quokka").mustContain(t, public)

	ed.post(fmt.Sprintf("/library/edit/%d", id), url.Values{"section": {"manual"}, "title": {"Quokka therapy benefit"}, "summary": {"Second"},
		"body": {"Revised wallaby text."}, "lob": {"commercial"}, "provider_types": {"ancillary"}, "published_on": {"2026-11-02"}}).mustStatus(t, 303)
	anon.get(public).mustContain(t, "Revised wallaby text.").mustNotContain(t, "Original quokka text.")
	anon.get("/library/search?q=wallaby").mustContain(t, public)
	ed.get(fmt.Sprintf("/library/edit/%d/revisions", id)).mustStatus(t, 200).mustContain(t, "Restore<span class=\"visually-hidden\"> revision 1</span>", "(current)")

	ed.post(fmt.Sprintf("/library/edit/%d/revisions/1/restore", id), nil).mustStatus(t, 303)
	anon.get(public).mustContain(t, "Original quokka text.")
	var rev int
	ta.db.R.QueryRow("SELECT revision FROM library_entries WHERE id = ?", id).Scan(&rev)
	if rev != 3 {
		t.Errorf("revision after restore = %d, want 3", rev)
	}

	pdf := models.WritePDF("Numbat", []models.PDFPage{{Heading: "Numbat letter", Lines: []string{"The numbat protocol applies from 2027."}}})
	ed.upload(fmt.Sprintf("/library/edit/%d/documents", id), "numbat letter.pdf", pdf, "").mustStatus(t, 303)
	anon.get("/library/search?q=numbat").mustStatus(t, 200).mustContain(t, public, "<mark>numbat</mark>")
	anon.get(public).mustContain(t, "numbat-letter.pdf")
	// Not a PDF, whatever the name says.
	ed.upload(fmt.Sprintf("/library/edit/%d/documents", id), "evil.pdf", []byte("<html><script>alert(1)</script></html>"), "").
		mustStatus(t, 422).mustContain(t, "Only PDF documents can be uploaded", `href="#f-document"`, `id="f-document-error"`)
	ed.upload(fmt.Sprintf("/library/edit/%d/documents", id), "empty.pdf", nil, "").mustStatus(t, 422)
	var docs int
	ta.db.R.QueryRow("SELECT COUNT(*) FROM library_documents WHERE entry_id = ?", id).Scan(&docs)
	if docs != 1 {
		t.Errorf("%d documents, want 1", docs)
	}

	var docID int64
	ta.db.R.QueryRow("SELECT id FROM library_documents WHERE entry_id = ?", id).Scan(&docID)
	docURL := fmt.Sprintf("/library/documents/%d/numbat-letter.pdf", docID)
	anon.get(docURL).mustStatus(t, 200)
	ed.post(fmt.Sprintf("/library/edit/%d/unpublish", id), nil).mustStatus(t, 303)
	anon.get(public).mustStatus(t, 404)
	anon.get(docURL).mustStatus(t, 404)
	ta.as("manager@sunrise.example").get(docURL).mustStatus(t, 404)
	ed.get(docURL).mustStatus(t, 200)
	anon.get("/library/search?q=numbat").mustNotContain(t, public)

	for action, want := range map[string]int{"library.create": 1, "library.update": 1, "library.publish": 1, "library.unpublish": 1, "library.restore": 1, "library.upload": 1} {
		if got := ta.auditCount(action, ""); got != want {
			t.Errorf("audit %s: %d, want %d", action, got, want)
		}
	}
	ed.post(fmt.Sprintf("/library/edit/%d/documents/%d/delete", id+1, docID), nil).mustStatus(t, 404) // another entry's document
	ed.post(fmt.Sprintf("/library/edit/%d/documents/%d/delete", id, docID), nil).mustStatus(t, 303)
	ed.get(docURL).mustStatus(t, 404)
	if ta.auditCount("library.remove_document", "") != 1 {
		t.Error("document removal not audited")
	}
	ed.get("/library/edit/999999").mustStatus(t, 404)
	ed.post("/library/edit/999999/publish", nil).mustStatus(t, 404)
	ed.post(fmt.Sprintf("/library/edit/%d/revisions/99/restore", id), nil).mustStatus(t, 404)
}

// TestProviderSearchPages: sign-in required; results filtered by distance, type,
// language and accepting; a print view; bad input is ignored, not a 500.
func TestProviderSearchPages(t *testing.T) {
	ta := newTestApp(t)
	r := ta.anon().get("/providers?location=Fresno")
	if r.Status != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("anonymous: %d %q", r.Status, r.Header.Get("Location"))
	}
	c := ta.as("manager@sunrise.example")
	c.get("/providers").mustStatus(t, 200).mustContain(t, "ProviderSearch", "Find providers", `<option value="commercial" selected>`)
	r = c.get("/providers?search=1&location=93721&radius=10&type=physician&language=Spanish&accepting=1").mustStatus(t, 200)
	r.mustContain(t, "within 10 miles of Fresno 93721", "openstreetmap.org/directions", "Physician · ")
	for _, m := range regexp.MustCompile(`\((\d+\.\d) mi\)`).FindAllStringSubmatch(r.Body, -1) {
		var d float64
		fmt.Sscanf(m[1], "%f", &d)
		if d > 10 {
			t.Errorf("distance %.1f beyond the radius", d)
		}
	}
	if strings.Contains(r.Body, "Not accepting") {
		t.Error("accepting filter let a provider that is not accepting through")
	}
	c.get("/providers?search=1&location=Fresno&radius=10&print=1").mustStatus(t, 200).mustContain(t, "ProviderSearch results", "printed", "data-print")
	c.get("/providers?search=1&location=Atlantis").mustStatus(t, 200).mustContain(t, "could not find that city")
	for _, q := range []string{"name=%25%25%25", "name=" + url.QueryEscape(strings.Repeat("ñ", 1500)), "radius=-1&location=Fresno", "type=zzz&plan_type=x&specialty=%27&language=Klingon", "page=-3", "page=99999&search=1", "location=00000"} {
		c.get("/providers?"+q).mustStatus(t, 200)
	}
	ta.as("rep@plan.example").get("/providers?search=1&name=medical").mustStatus(t, 200).mustContain(t, "Medical Group")
	c.htmx = true
	c.get("/providers?search=1&type=hospital").mustStatus(t, 200).mustContain(t, "Hospital", `class="provider-list"`).mustNotContain(t, "<html", `id="provider-results"`) // the inside of the live region, which stays
}

// TestHelpPage: public, with the anchors the footer links to and the contact tables.
func TestHelpPage(t *testing.T) {
	ta := newTestApp(t)
	r := ta.anon().get("/help").mustStatus(t, 200)
	r.mustContain(t, `id="provider-services"`, `id="privacy"`, `id="medical-management"`, "Transplant fax", "Medi-Cal", "Medicare and DSNP",
		"<details", "Common questions", "Instruction manual")
	if r.Header.Get("Set-Cookie") != "" {
		t.Error("/help started a session")
	}
}

// TestLibraryEditorFields: each field of the entry form answers 422 with its message
// next to it and keeps what was typed; the Markdown keeps its first indent.
func TestLibraryEditorFields(t *testing.T) {
	ta := newTestApp(t)
	ed := ta.as("editor@plan.example")
	good := url.Values{"section": {"manual"}, "title": {"Typed title"}, "summary": {"Typed summary"}, "body": {"Typed body"},
		"lob": {"all"}, "provider_types": {"physician"}, "code": {"26-101"}, "published_on": {"2026-11-01"}}
	post := func(f url.Values) *response { return ed.post("/library/edit/new", f).mustContain(t, "error-summary") }
	mustRefuseEachField(t, post, good, "f-", []string{"title", "summary", "body", "code"}, []fieldCase{
		{"section", "nowhere", "Choose the section the entry belongs to."},
		{"title", " ", "Enter a title."},
		{"title", strings.Repeat("t", 201), "Keep the title under 200 characters."},
		{"summary", strings.Repeat("s", 1001), "Keep the summary under 1000 characters."},
		{"code", strings.Repeat("9", 41), "Keep the number under 40 characters."},
		{"lob", "gold", "Choose a line of business."},
		{"provider_types", "wizard", "Choose at least one provider type the entry applies to."},
		{"published_on", "11/01/2026", "Enter the date as YYYY-MM-DD, for example 2026-11-22."},
	})
	good.Set("body", "    indented code\n\nText")
	r := ed.post("/library/edit/new", good).mustStatus(t, 303)
	ed.get(r.Header.Get("Location")).mustStatus(t, 200).mustContain(t, "<pre><code>indented code")
}

// TestLibraryEditorUnreadableBody: an entry whose body is not a form is refused on the
// page (422, never a 500), its message in the summary without a link to an input that
// does not exist.
func TestLibraryEditorUnreadableBody(t *testing.T) {
	ta := newTestApp(t)
	ed := ta.as("editor@plan.example")
	ed.get("/library/edit/new").mustStatus(t, 200)
	ed.postUnreadable("/library/edit/new", "title=x").mustStatus(t, 422).mustContain(t, `<li>The form could not be read. Check the values and try again.</li>`).
		mustNotContain(t, `href="#f-form"`, `href="#form"`)
}

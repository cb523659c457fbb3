package models

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"portico/db"
)

// Option is a stored value and the label readers see.
type Option struct{ Value, Label string }

// LibrarySection is one part of the provider library (SPEC §7).
type LibrarySection struct {
	Key   string
	Label string
	// Intro is the sentence under the section's heading.
	Intro string
	// AZ sections list their entries behind an A–Z bar.
	AZ bool
}

// LibrarySections lists the library's sections in the order the library page shows them.
var LibrarySections = []LibrarySection{
	{"alerts", "Provider alerts", "Time-sensitive notices about public health events, system changes and service disruptions.", false},
	{"manual", "Operations manual", "Plan benefits, limitations and administration processes for every line of business, with the provider types each page applies to.", true},
	{"prior_auth", "Prior authorization requirements", "Services that need approval before they are provided, by line of business, and how to ask for it.", false},
	{"updates", "Updates and letters", "Provider updates and letters: 2018 and 2019 as PDF documents, 2020 on as a news feed.", false},
	{"forms", "Forms and references", "Forms to download and quick references for your office.", true},
	{"contacts", "Contacts", "Departments and the phone and fax numbers that reach them.", true},
	{"education", "Education, training and other materials", "Flyers, tip sheets and guides for day-to-day work, from cancer screenings to diabetes care and cultural awareness.", false},
	{"newsletter", "Provider newsletter", "The quarterly newsletter for participating providers and their office staff.", false},
	{"health_equity", "Health equity, cultural and linguistic resources", "Interpreter services, translated materials and training for culturally responsive care.", false},
	{"glossary", "Glossary", "Words and abbreviations used in the portal and the library.", true},
	{"quality", "Quality management program and resources", "Quality measures, audits and improvement programs, and what they ask of your office.", false},
}

// SectionByKey finds a section by its key.
func SectionByKey(key string) (LibrarySection, bool) {
	for _, s := range LibrarySections {
		if s.Key == key {
			return s, true
		}
	}
	return LibrarySection{}, false
}

// LinesOfBusiness are the library's lines of business; "all" means every one.
var LinesOfBusiness = []Option{
	{"all", "All lines of business"},
	{PlanCommercial, "Commercial"},
	{PlanMedicare, "Medicare/DSNP"},
	{PlanMediCal, "Medi-Cal"},
}

// LibraryProviderTypes are the provider types a library entry may apply to.
var LibraryProviderTypes = []Option{
	{"physician", "Physicians"},
	{"ppg", "Participating physician groups (PPGs)"},
	{"hospital", "Hospitals"},
	{"ancillary", "Ancillary providers"},
	{"behavioral", "Behavioral health providers"},
	{"cs_ecm", "Community Supports (CS) and Enhanced Care Management (ECM) providers"},
}

func optionLabel(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return ""
}

// LOBLabel returns the label of a line of business value.
func LOBLabel(v string) string { return optionLabel(LinesOfBusiness, v) }

// LibraryProviderTypeLabel returns the label of a library provider type.
func LibraryProviderTypeLabel(v string) string { return optionLabel(LibraryProviderTypes, v) }

// LibraryEntry is one page of the provider library.
type LibraryEntry struct {
	ID            int64
	Slug          string
	Section       string
	Title         string
	Summary       string
	BodyMD        string
	BodyHTML      string
	BodyText      string
	LOB           string
	ProviderTypes []string
	Code          string
	PublishedOn   string
	Status        string
	Revision      int
	CreatedAt     string
	UpdatedAt     string
	UpdatedBy     string
	// DocumentCount is filled by lists that need it.
	DocumentCount int
}

// HTML is the entry's body, sanitized when it was saved (RenderMarkdown), so it is safe
// to place in a page as is.
func (e *LibraryEntry) HTML() template.HTML { return template.HTML(e.BodyHTML) } // #nosec G203 -- sanitized by bluemonday on save

// URL is the public address of the entry.
func (e *LibraryEntry) URL() string { return "/library/" + e.Section + "/" + e.Slug }

// SectionLabel is the label of the entry's section.
func (e *LibraryEntry) SectionLabel() string {
	s, _ := SectionByKey(e.Section)
	return s.Label
}

// LOBLabel is the label of the entry's line of business.
func (e *LibraryEntry) LOBLabel() string { return LOBLabel(e.LOB) }

// ProviderTypeLabels lists the labels of the provider types the entry applies to.
func (e *LibraryEntry) ProviderTypeLabels() []string {
	var out []string
	for _, o := range LibraryProviderTypes {
		if slices.Contains(e.ProviderTypes, o.Value) {
			out = append(out, o.Label)
		}
	}
	return out
}

// AppliesTo reports whether the entry lists provider type t.
func (e *LibraryEntry) AppliesTo(t string) bool { return slices.Contains(e.ProviderTypes, t) }

// Letter is the A–Z bar letter the entry files under ("#" for titles starting with a digit).
func (e *LibraryEntry) Letter() string { return AZLetter(e.Title) }

// Year is the year of the entry's publication date.
func (e *LibraryEntry) Year() string {
	if len(e.PublishedOn) >= 4 {
		return e.PublishedOn[:4]
	}
	return ""
}

// IsPublished reports whether readers can see the entry.
func (e *LibraryEntry) IsPublished() bool { return e.Status == "published" }

// AZLetter returns the upper-case first letter of s with accents removed, or "#".
func AZLetter(s string) string {
	for _, r := range FoldText(s) {
		if r >= 'a' && r <= 'z' {
			return string(unicode.ToUpper(r))
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return "#"
		}
	}
	return "#"
}

// AZLetters is the alphabet of the A–Z bar.
var AZLetters = strings.Split("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "")

// LibraryDocument is a PDF attached to an entry. Data is loaded only for downloads.
type LibraryDocument struct {
	ID          int64
	EntryID     int64
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
	Data        []byte
	Text        string
	UploadedAt  string
	UploadedBy  string
}

// SizeLabel shows the size as readers expect it (kB / MB).
func (d *LibraryDocument) SizeLabel() string {
	switch {
	case d.Size >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(d.Size)/(1<<20))
	case d.Size >= 1024:
		return fmt.Sprintf("%d kB", (d.Size+1023)/1024)
	}
	return fmt.Sprintf("%d bytes", d.Size)
}

// URL is the document's download address.
func (d *LibraryDocument) URL() string {
	return fmt.Sprintf("/library/documents/%d/%s", d.ID, d.Filename)
}

// LibraryRevision is one saved version of an entry.
type LibraryRevision struct {
	EntryID       int64
	Revision      int
	Section       string
	Title         string
	Summary       string
	BodyMD        string
	LOB           string
	ProviderTypes []string
	Code          string
	PublishedOn   string
	Note          string
	SavedAt       string
	SavedBy       string
}

// EntryInput is what an editor submits for an entry.
type EntryInput struct {
	Section       string
	Title         string
	Summary       string
	BodyMD        string
	LOB           string
	ProviderTypes []string
	Code          string
	PublishedOn   string
}

// Limits on what an editor may save.
const (
	maxTitle   = 200
	maxSummary = 1000
	maxBody    = 200_000
	maxCode    = 40
)

// Validate checks the input and tidies it (trimmed text, known values only).
func (in *EntryInput) Validate(today string) FieldErrors {
	fe := FieldErrors{}
	in.Title = strings.TrimSpace(stripMarkers(in.Title))
	in.Summary = strings.TrimSpace(stripMarkers(in.Summary))
	in.BodyMD = strings.ReplaceAll(stripMarkers(in.BodyMD), "\r\n", "\n")
	in.Code = strings.TrimSpace(stripMarkers(in.Code))
	in.PublishedOn = strings.TrimSpace(in.PublishedOn)
	if _, ok := SectionByKey(in.Section); !ok {
		fe["section"] = "Choose the section the entry belongs to."
	}
	switch {
	case in.Title == "":
		fe["title"] = "Enter a title."
	case utf8.RuneCountInString(in.Title) > maxTitle:
		fe["title"] = fmt.Sprintf("Keep the title under %d characters.", maxTitle)
	}
	if utf8.RuneCountInString(in.Summary) > maxSummary {
		fe["summary"] = fmt.Sprintf("Keep the summary under %d characters.", maxSummary)
	}
	if len(in.BodyMD) > maxBody {
		fe["body"] = "The text is too long: split it into several entries."
	}
	if utf8.RuneCountInString(in.Code) > maxCode {
		fe["code"] = fmt.Sprintf("Keep the number under %d characters.", maxCode)
	}
	if LOBLabel(in.LOB) == "" {
		fe["lob"] = "Choose a line of business."
	}
	var types []string
	for _, o := range LibraryProviderTypes {
		if slices.Contains(in.ProviderTypes, o.Value) {
			types = append(types, o.Value)
		}
	}
	in.ProviderTypes = types
	if len(types) == 0 {
		fe["provider_types"] = "Choose at least one provider type the entry applies to."
	}
	if in.PublishedOn == "" {
		in.PublishedOn = today
	} else if _, err := time.Parse(DateFormat, in.PublishedOn); err != nil {
		fe["published_on"] = "Enter the date as YYYY-MM-DD, for example 2026-11-22."
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// Search snippet markers: control characters that never survive into stored text, so the
// only <mark> a page shows is one Portico put there.
const (
	markOpen  = "\x01"
	markClose = "\x02"
)

func stripMarkers(s string) string {
	s = strings.ToValidUTF8(s, "")
	if !strings.ContainsAny(s, markOpen+markClose+"\x00") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == 0 || r == 1 || r == 2 {
			return -1
		}
		return r
	}, s)
}

var (
	markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))
	// ugc is bluemonday's policy for user-written HTML: no script, no event handlers,
	// no javascript: URLs. Links open as ordinary links with rel=nofollow.
	ugc       = bluemonday.UGCPolicy()
	stripTags = bluemonday.StrictPolicy()
	spaces    = regexp.MustCompile(`\s+`)
)

// RenderMarkdown turns an entry's Markdown into sanitized HTML and plain text. Each
// "## " heading starts an accordion (<details>), which opens and closes without
// JavaScript; text before the first such heading stays open above them.
func RenderMarkdown(md string) (htmlOut, text string, err error) {
	md = stripMarkers(md)
	var out, plain strings.Builder
	for i, part := range splitAccordions(md) {
		var buf bytes.Buffer
		if err := markdown.Convert([]byte(part.body), &buf); err != nil {
			return "", "", fmt.Errorf("render markdown: %w", err)
		}
		safe := ugc.Sanitize(buf.String())
		if part.heading == "" {
			out.WriteString(safe)
		} else {
			fmt.Fprintf(&out, "<details class=\"accordion\" id=\"part-%d\"><summary>%s</summary>\n%s</details>\n", i, html.EscapeString(part.heading), safe)
			plain.WriteString(html.UnescapeString(stripTags.Sanitize(part.heading)))
			plain.WriteString(". ")
		}
		plain.WriteString(plainText(safe))
		plain.WriteString(" ")
	}
	return out.String(), strings.TrimSpace(spaces.ReplaceAllString(plain.String(), " ")), nil
}

// blockEnds marks where an HTML block or list item ends, so that the plain text (what
// search snippets show) keeps them apart: "Bring the ID card; Bring a photo ID." rather
// than "Bring the ID card Bring a photo ID".
var blockEnds = regexp.MustCompile(`(?i)</(li|td|th|dd|dt)>|</(p|h[1-6]|tr|blockquote|pre)>`)

const (
	itemEnd  = " \u2063i\u2063 "
	blockEnd = " \u2063b\u2063 "
)

// plainText is sanitized HTML as text with its items and blocks still apart.
func plainText(safe string) string {
	marked := blockEnds.ReplaceAllStringFunc(safe, func(tag string) string {
		if t := strings.ToLower(tag); strings.HasPrefix(t, "</li") || strings.HasPrefix(t, "</t") || strings.HasPrefix(t, "</d") {
			return tag + itemEnd
		}
		return tag + blockEnd
	})
	text := html.UnescapeString(stripTags.Sanitize(strings.ReplaceAll(marked, "<", " <")))
	text = strings.TrimSpace(spaces.ReplaceAllString(text, " "))
	var b strings.Builder
	for _, f := range strings.Fields(text) {
		switch f {
		case strings.TrimSpace(itemEnd), strings.TrimSpace(blockEnd):
			s := strings.TrimRight(b.String(), " ")
			if s == "" || strings.ContainsAny(s[len(s)-1:], ".;:!?") {
				continue
			}
			b.Reset()
			b.WriteString(s)
			if f == strings.TrimSpace(itemEnd) {
				b.WriteString("; ")
			} else {
				b.WriteString(". ")
			}
		default:
			b.WriteString(f)
			b.WriteString(" ")
		}
	}
	out := strings.TrimSpace(b.String())
	if strings.HasSuffix(out, ";") {
		out = strings.TrimSuffix(out, ";") + "."
	}
	return out
}

type mdPart struct{ heading, body string }

// splitAccordions cuts Markdown at level-two headings outside code fences.
func splitAccordions(md string) []mdPart {
	var parts []mdPart
	cur := mdPart{}
	var body strings.Builder
	fence := false
	for _, line := range strings.Split(md, "\n") {
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~") {
			fence = !fence
		}
		if !fence && strings.HasPrefix(line, "## ") {
			cur.body = body.String()
			if cur.heading != "" || strings.TrimSpace(cur.body) != "" {
				parts = append(parts, cur)
			}
			cur = mdPart{heading: strings.TrimSpace(strings.Trim(strings.TrimSpace(line[3:]), "#"))}
			body.Reset()
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	cur.body = body.String()
	if cur.heading != "" || strings.TrimSpace(cur.body) != "" || len(parts) == 0 {
		parts = append(parts, cur)
	}
	return parts
}

// Slugify makes a URL-safe name from a title: lower-case ASCII letters, digits and dashes.
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range FoldText(title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = "entry"
	}
	return s
}

// Library reads and writes the provider library.
type Library struct{ DB *db.DB }

const entryColumns = `e.id, e.slug, e.section, e.title, e.summary, e.body_md, e.body_html, e.body_text, e.lob, e.provider_types,
	e.code, e.published_on, e.status, e.revision, e.created_at, e.updated_at, e.updated_by,
	(SELECT COUNT(*) FROM library_documents d WHERE d.entry_id = e.id)`

func scanEntry(row interface{ Scan(...any) error }) (*LibraryEntry, error) {
	var e LibraryEntry
	var types string
	err := row.Scan(&e.ID, &e.Slug, &e.Section, &e.Title, &e.Summary, &e.BodyMD, &e.BodyHTML, &e.BodyText, &e.LOB, &types,
		&e.Code, &e.PublishedOn, &e.Status, &e.Revision, &e.CreatedAt, &e.UpdatedAt, &e.UpdatedBy, &e.DocumentCount)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	e.ProviderTypes = strings.Fields(types)
	return &e, nil
}

func (l Library) list(ctx context.Context, op, query string, args ...any) ([]*LibraryEntry, error) {
	rows, err := l.DB.R.QueryContext(ctx, "SELECT "+entryColumns+" FROM library_entries e "+query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []*LibraryEntry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Section lists a section's published entries: newest first for dated sections
// (alerts, updates, newsletter), by title for the others.
func (l Library) Section(ctx context.Context, section string) ([]*LibraryEntry, error) {
	return l.SectionFiltered(ctx, section, "", "")
}

// SectionFiltered lists a section's published entries for one line of business (entries
// for all lines included) and one provider type; "" means any.
func (l Library) SectionFiltered(ctx context.Context, section, lob, providerType string) ([]*LibraryEntry, error) {
	order := "e.title COLLATE NOCASE"
	switch section {
	case "alerts", "updates", "newsletter":
		order = "e.published_on DESC, e.id DESC"
	}
	where, args := "WHERE e.section = ? AND e.status = 'published'", []any{section}
	if lob != "" && lob != "all" && LOBLabel(lob) != "" {
		where, args = where+" AND e.lob IN ('all', ?)", append(args, lob)
	}
	if LibraryProviderTypeLabel(providerType) != "" {
		where, args = where+" AND instr(' ' || e.provider_types || ' ', ?) > 0", append(args, " "+providerType+" ")
	}
	return l.list(ctx, "library section", where+" ORDER BY "+order, args...)
}

// Recent lists the newest published entries of a section.
func (l Library) Recent(ctx context.Context, section string, n int) ([]*LibraryEntry, error) {
	return l.list(ctx, "library recent", "WHERE e.section = ? AND e.status = 'published' ORDER BY e.published_on DESC, e.id DESC LIMIT ?", section, n)
}

// SectionCounts counts published entries per section.
func (l Library) SectionCounts(ctx context.Context) (map[string]int, error) {
	rows, err := l.DB.R.QueryContext(ctx, "SELECT section, COUNT(*) FROM library_entries WHERE status = 'published' GROUP BY section")
	if err != nil {
		return nil, fmt.Errorf("library counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("library counts: %w", err)
		}
		out[s] = n
	}
	return out, rows.Err()
}

// Published loads a published entry by section and slug; drafts are not found.
func (l Library) Published(ctx context.Context, section, slug string) (*LibraryEntry, error) {
	e, err := scanEntry(l.DB.R.QueryRowContext(ctx, "SELECT "+entryColumns+" FROM library_entries e WHERE e.slug = ? AND e.section = ? AND e.status = 'published'", slug, section))
	if err != nil {
		return nil, fmt.Errorf("library entry: %w", err)
	}
	return e, nil
}

// ByID loads an entry in any status (for editors).
func (l Library) ByID(ctx context.Context, id int64) (*LibraryEntry, error) {
	e, err := scanEntry(l.DB.R.QueryRowContext(ctx, "SELECT "+entryColumns+" FROM library_entries e WHERE e.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("library entry by id: %w", err)
	}
	return e, nil
}

// EditorList lists entries in every status for the editor, newest change first,
// optionally of one section, one page at a time.
func (l Library) EditorList(ctx context.Context, section string, page, perPage int) ([]*LibraryEntry, int, error) {
	where, args := "", []any{}
	if _, ok := SectionByKey(section); ok {
		where, args = "WHERE e.section = ?", append(args, section)
	}
	var total int
	if err := l.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM library_entries e "+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("library editor list: %w", err)
	}
	page = clampPage(page, total, perPage)
	list, err := l.list(ctx, "library editor list", where+" ORDER BY e.updated_at DESC, e.id DESC LIMIT ? OFFSET ?", append(args, perPage, (page-1)*perPage)...)
	return list, total, err
}

// clampPage keeps a page number between 1 and the last page.
func clampPage(page, total, perPage int) int {
	last := (total + perPage - 1) / perPage
	if page > last {
		page = last
	}
	if page < 1 {
		page = 1
	}
	return page
}

// Documents lists an entry's documents without their bytes.
func (l Library) Documents(ctx context.Context, entryID int64) ([]*LibraryDocument, error) {
	rows, err := l.DB.R.QueryContext(ctx, `SELECT id, entry_id, filename, content_type, size, sha256, uploaded_at, uploaded_by
		FROM library_documents WHERE entry_id = ? ORDER BY id`, entryID)
	if err != nil {
		return nil, fmt.Errorf("library documents: %w", err)
	}
	defer rows.Close()
	var out []*LibraryDocument
	for rows.Next() {
		var d LibraryDocument
		if err := rows.Scan(&d.ID, &d.EntryID, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.UploadedAt, &d.UploadedBy); err != nil {
			return nil, fmt.Errorf("library documents: %w", err)
		}
		out = append(out, &d)
	}
	return out, rows.Err()
}

// Document loads a document with its bytes. Unless includeDrafts, a document of an
// unpublished entry is not found.
func (l Library) Document(ctx context.Context, id int64, includeDrafts bool) (*LibraryDocument, error) {
	var d LibraryDocument
	var status string
	err := l.DB.R.QueryRowContext(ctx, `SELECT d.id, d.entry_id, d.filename, d.content_type, d.size, d.sha256, d.data, d.uploaded_at, d.uploaded_by, e.status
		FROM library_documents d JOIN library_entries e ON e.id = d.entry_id WHERE d.id = ?`, id).
		Scan(&d.ID, &d.EntryID, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.Data, &d.UploadedAt, &d.UploadedBy, &status)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && status != "published" && !includeDrafts) {
		return nil, fmt.Errorf("library document: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("library document: %w", err)
	}
	return &d, nil
}

// Create saves a new entry as a draft with its first revision and returns its ID.
func (l Library) Create(ctx context.Context, in EntryInput, by string) (int64, error) {
	if fe := in.Validate(l.DB.Today()); fe != nil {
		return 0, fe
	}
	htmlBody, text, err := RenderMarkdown(in.BodyMD)
	if err != nil {
		return 0, err
	}
	var id int64
	err = l.DB.Tx(ctx, func(tx *sql.Tx) error {
		slug, err := uniqueSlug(ctx, tx, Slugify(in.Title), 0)
		if err != nil {
			return err
		}
		now := l.DB.NowText()
		res, err := tx.ExecContext(ctx, `INSERT INTO library_entries(slug, section, title, summary, body_md, body_html, body_text, lob,
			provider_types, code, published_on, status, revision, created_at, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?, 'draft', 1, ?,?,?)`,
			slug, in.Section, in.Title, in.Summary, in.BodyMD, htmlBody, text, in.LOB, strings.Join(in.ProviderTypes, " "), in.Code, in.PublishedOn, now, now, by)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		return insertRevision(ctx, tx, id, 1, in, "Created", now, by)
	})
	if err != nil {
		return 0, fmt.Errorf("library create: %w", err)
	}
	return id, nil
}

func uniqueSlug(ctx context.Context, tx *sql.Tx, base string, selfID int64) (string, error) {
	slug := base
	for i := 2; ; i++ {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM library_entries WHERE slug = ? AND id <> ?", slug, selfID).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return slug, nil
		}
		slug = fmt.Sprintf("%s-%d", base, i)
	}
}

func insertRevision(ctx context.Context, tx *sql.Tx, id int64, rev int, in EntryInput, note, now, by string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO library_revisions(entry_id, revision, section, title, summary, body_md, lob, provider_types,
		code, published_on, note, saved_at, saved_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		id, rev, in.Section, in.Title, in.Summary, in.BodyMD, in.LOB, strings.Join(in.ProviderTypes, " "), in.Code, in.PublishedOn, note, now, by)
	return err
}

// Update saves a new version of an entry (a new revision); the slug stays, so links keep working.
func (l Library) Update(ctx context.Context, id int64, in EntryInput, by string) error {
	return l.save(ctx, id, in, "Edited", by)
}

func (l Library) save(ctx context.Context, id int64, in EntryInput, note, by string) error {
	if fe := in.Validate(l.DB.Today()); fe != nil {
		return fe
	}
	htmlBody, text, err := RenderMarkdown(in.BodyMD)
	if err != nil {
		return err
	}
	err = l.DB.Tx(ctx, func(tx *sql.Tx) error {
		var rev int
		err := tx.QueryRowContext(ctx, "SELECT revision FROM library_entries WHERE id = ?", id).Scan(&rev)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var maxRev int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(revision),0) FROM library_revisions WHERE entry_id = ?", id).Scan(&maxRev); err != nil {
			return err
		}
		rev = max(rev, maxRev) + 1
		now := l.DB.NowText()
		if _, err := tx.ExecContext(ctx, `UPDATE library_entries SET section=?, title=?, summary=?, body_md=?, body_html=?, body_text=?, lob=?,
			provider_types=?, code=?, published_on=?, revision=?, updated_at=?, updated_by=? WHERE id = ?`,
			in.Section, in.Title, in.Summary, in.BodyMD, htmlBody, text, in.LOB, strings.Join(in.ProviderTypes, " "), in.Code, in.PublishedOn,
			rev, now, by, id); err != nil {
			return err
		}
		if err := insertRevision(ctx, tx, id, rev, in, note, now, by); err != nil {
			return err
		}
		return ReindexLibraryTx(ctx, tx, id)
	})
	if err != nil {
		return fmt.Errorf("library save: %w", err)
	}
	return nil
}

// SetPublished publishes or unpublishes an entry. Only published entries are public
// and searchable.
func (l Library) SetPublished(ctx context.Context, id int64, published bool, by string) error {
	status := "draft"
	if published {
		status = "published"
	}
	err := l.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE library_entries SET status = ?, updated_at = ?, updated_by = ? WHERE id = ?", status, l.DB.NowText(), by, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return ReindexLibraryTx(ctx, tx, id)
	})
	if err != nil {
		return fmt.Errorf("library publish: %w", err)
	}
	return nil
}

// Revisions lists an entry's saved versions, newest first.
func (l Library) Revisions(ctx context.Context, id int64) ([]*LibraryRevision, error) {
	rows, err := l.DB.R.QueryContext(ctx, `SELECT entry_id, revision, section, title, summary, body_md, lob, provider_types, code, published_on,
		note, saved_at, saved_by FROM library_revisions WHERE entry_id = ? ORDER BY revision DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("library revisions: %w", err)
	}
	defer rows.Close()
	var out []*LibraryRevision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, fmt.Errorf("library revisions: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanRevision(row interface{ Scan(...any) error }) (*LibraryRevision, error) {
	var r LibraryRevision
	var types string
	err := row.Scan(&r.EntryID, &r.Revision, &r.Section, &r.Title, &r.Summary, &r.BodyMD, &r.LOB, &types, &r.Code, &r.PublishedOn,
		&r.Note, &r.SavedAt, &r.SavedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	r.ProviderTypes = strings.Fields(types)
	return &r, err
}

// Revision loads one saved version of an entry.
func (l Library) Revision(ctx context.Context, id int64, rev int) (*LibraryRevision, error) {
	r, err := scanRevision(l.DB.R.QueryRowContext(ctx, `SELECT entry_id, revision, section, title, summary, body_md, lob, provider_types, code,
		published_on, note, saved_at, saved_by FROM library_revisions WHERE entry_id = ? AND revision = ?`, id, rev))
	if err != nil {
		return nil, fmt.Errorf("library revision: %w", err)
	}
	return r, nil
}

// Restore makes an earlier version the current one, as a new revision (history is never
// rewritten).
func (l Library) Restore(ctx context.Context, id int64, rev int, by string) error {
	r, err := l.Revision(ctx, id, rev)
	if err != nil {
		return err
	}
	in := EntryInput{Section: r.Section, Title: r.Title, Summary: r.Summary, BodyMD: r.BodyMD, LOB: r.LOB, ProviderTypes: r.ProviderTypes,
		Code: r.Code, PublishedOn: r.PublishedOn}
	return l.save(ctx, id, in, fmt.Sprintf("Restored revision %d", rev), by)
}

// ReindexLibraryTx brings the search index of one entry (or of every entry, when id is 0)
// up to date: published entries are indexed with their documents' text, others removed.
func ReindexLibraryTx(ctx context.Context, tx *sql.Tx, id int64) error {
	where := "WHERE e.status = 'published'"
	args := []any{}
	if id != 0 {
		if _, err := tx.ExecContext(ctx, "DELETE FROM library_fts WHERE rowid = ?", id); err != nil {
			return fmt.Errorf("library reindex: %w", err)
		}
		where += " AND e.id = ?"
		args = append(args, id)
	} else if _, err := tx.ExecContext(ctx, "DELETE FROM library_fts"); err != nil {
		return fmt.Errorf("library reindex: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO library_fts(rowid, title, body)
		SELECT e.id, e.title, e.code || ' ' || e.summary || ' ' || e.body_text || ' ' ||
		  COALESCE((SELECT group_concat(d.text, ' ') FROM library_documents d WHERE d.entry_id = e.id), '')
		FROM library_entries e `+where, args...)
	if err != nil {
		return fmt.Errorf("library reindex: %w", err)
	}
	return nil
}

package models

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a library search reads from the query: anything longer is cut, so no
// query can make the index work hard.
const (
	maxQueryBytes = 512
	maxQueryTerms = 10
	maxTermRunes  = 64
	// LibraryPageSize is how many results a search page shows.
	LibraryPageSize = 10
)

// LibrarySearch is what a reader asks the library.
type LibrarySearch struct {
	Query        string
	LOB          string // "" or a line of business; entries for all lines always match
	ProviderType string // "" or a LibraryProviderTypes value
	Page         int
}

// LibraryHit is one search result.
type LibraryHit struct {
	Entry        LibraryEntry
	TitleHTML    template.HTML // the title with matched words in <mark>
	SnippetHTML  template.HTML // a passage of the body with matched words in <mark>
	HasDocuments bool
}

// LibraryResults is a page of search results.
type LibraryResults struct {
	Hits  []LibraryHit
	Total int
	Page  int
	Pages int
	// Terms are the words searched for, after cleaning.
	Terms []string
	// AnyWord is set when no entry held every word and results hold any of them.
	AnyWord bool
}

// queryTerm is one word, phrase or prefix the reader typed.
type queryTerm struct {
	text   string
	prefix bool
}

// parseQuery reads the reader's text as words and "quoted phrases" (a trailing * makes a
// word a prefix). Everything else — FTS5 operators, column filters, brackets, stray
// quotes — is just text. Terms without a letter or digit are dropped.
func parseQuery(q string) []queryTerm {
	q = strings.ToValidUTF8(q, " ")
	if len(q) > maxQueryBytes {
		cut := maxQueryBytes
		for cut > 0 && !utf8.RuneStart(q[cut]) {
			cut--
		}
		q = q[:cut]
	}
	var terms []queryTerm
	add := func(s string, prefix bool) {
		s = strings.TrimSpace(stripMarkers(s))
		if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			return
		}
		if utf8.RuneCountInString(s) > maxTermRunes {
			s = string([]rune(s)[:maxTermRunes])
		}
		for _, t := range terms {
			if t.text == s && t.prefix == prefix {
				return
			}
		}
		if len(terms) < maxQueryTerms {
			terms = append(terms, queryTerm{s, prefix})
		}
	}
	for len(q) > 0 && len(terms) < maxQueryTerms {
		q = strings.TrimLeftFunc(q, unicode.IsSpace)
		if q == "" {
			break
		}
		if q[0] == '"' {
			if end := strings.IndexByte(q[1:], '"'); end >= 0 {
				add(q[1:1+end], false)
				q = q[end+2:]
				continue
			}
			q = q[1:] // an unbalanced quote is ignored
			continue
		}
		end := strings.IndexFunc(q, unicode.IsSpace)
		if end < 0 {
			end = len(q)
		}
		word := q[:end]
		q = q[end:]
		prefix := strings.HasSuffix(word, "*")
		word = strings.Trim(word, "*\"")
		add(word, prefix && utf8.RuneCountInString(word) >= 2)
	}
	return terms
}

// ftsString quotes s as an FTS5 string: wrapped in double quotes, inner ones doubled.
func ftsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// BuildMatch turns reader text into a safe FTS5 MATCH expression: every term is a
// quoted string (so AND, OR, NOT, NEAR, column:filters, *, ^ and brackets are plain
// words), joined by AND or OR. It returns "" when nothing searchable remains.
func BuildMatch(q string, anyWord bool) (expr string, terms []string) {
	parsed := parseQuery(q)
	parts := make([]string, 0, len(parsed))
	for _, t := range parsed {
		p := ftsString(t.text)
		if t.prefix {
			p += " *"
		}
		parts = append(parts, p)
		terms = append(terms, t.text)
	}
	sep := " AND "
	if anyWord {
		sep = " OR "
	}
	return strings.Join(parts, sep), terms
}

// Search finds published entries matching the query, best first (bm25, the title
// weighing ten times the body), with highlighted title and snippet, filtered by line
// of business and provider type. When no entry holds every word it falls back to
// entries holding any of them.
func (l Library) Search(ctx context.Context, s LibrarySearch) (*LibraryResults, error) {
	res := &LibraryResults{Page: 1}
	expr, terms := BuildMatch(s.Query, false)
	res.Terms = terms
	if expr == "" {
		return res, nil
	}
	where := "e.status = 'published'"
	var filters []any
	if s.LOB != "" && s.LOB != "all" && LOBLabel(s.LOB) != "" {
		where += " AND e.lob IN ('all', ?)"
		filters = append(filters, s.LOB)
	}
	if s.ProviderType != "" && LibraryProviderTypeLabel(s.ProviderType) != "" {
		where += " AND instr(' ' || e.provider_types || ' ', ?) > 0"
		filters = append(filters, " "+s.ProviderType+" ")
	}
	// rank returns one page of entries, best first, and the number of matches (a window
	// count, so one query does both). Highlighting comes afterwards, for the page only:
	// highlight() and snippet() cost far more than bm25(), and a sorter would otherwise
	// compute them for every match.
	rank := func(expr string, page int) ([]LibraryHit, int, error) {
		args := append([]any{expr}, filters...)
		args = append(args, LibraryPageSize, (page-1)*LibraryPageSize)
		stmt, err := l.DB.Prepared(ctx, l.DB.R, `SELECT e.id, e.slug, e.section, e.title, e.summary, e.lob, e.provider_types, e.code, e.published_on,
			EXISTS (SELECT 1 FROM library_documents d WHERE d.entry_id = e.id), COUNT(*) OVER ()
			FROM (SELECT rowid AS id, bm25(library_fts, 10.0, 1.0) AS score FROM library_fts WHERE library_fts MATCH ?) f
			JOIN library_entries e ON e.id = f.id
			WHERE `+where+` ORDER BY f.score, e.id LIMIT ? OFFSET ?`)
		if err != nil {
			return nil, 0, fmt.Errorf("library search: %w", err)
		}
		rows, err := stmt.QueryContext(ctx, args...)
		if err != nil {
			return nil, 0, fmt.Errorf("library search: %w", err)
		}
		defer rows.Close()
		var hits []LibraryHit
		total := 0
		for rows.Next() {
			var h LibraryHit
			var types string
			e := &h.Entry
			if err := rows.Scan(&e.ID, &e.Slug, &e.Section, &e.Title, &e.Summary, &e.LOB, &types, &e.Code, &e.PublishedOn, &h.HasDocuments, &total); err != nil {
				return nil, 0, fmt.Errorf("library search: %w", err)
			}
			e.ProviderTypes = strings.Fields(types)
			e.Status = "published"
			h.TitleHTML = MarkedHTML(e.Title)
			h.SnippetHTML = MarkedHTML(e.Summary)
			hits = append(hits, h)
		}
		return hits, total, rows.Err()
	}
	// run finds the asked page, or the last page when the asked one is past the end.
	run := func(expr string) ([]LibraryHit, int, int, error) {
		page := min(max(s.Page, 1), 1_000_000)
		hits, total, err := rank(expr, page)
		if err != nil || len(hits) > 0 || page == 1 {
			return hits, total, page, err
		}
		if hits, total, err = rank(expr, 1); err != nil || total <= LibraryPageSize {
			return hits, total, 1, err
		}
		last := (total + LibraryPageSize - 1) / LibraryPageSize
		hits, total, err = rank(expr, last)
		return hits, total, last, err
	}
	hits, total, page, err := run(expr)
	if err != nil {
		return nil, err
	}
	if total == 0 && len(terms) > 1 {
		expr, _ = BuildMatch(s.Query, true)
		if hits, total, page, err = run(expr); err != nil {
			return nil, err
		}
		res.AnyWord = total > 0
	}
	res.Hits, res.Total, res.Page = hits, total, page
	res.Pages = (total + LibraryPageSize - 1) / LibraryPageSize
	byID := map[int64]int{}
	ids := make([]any, 0, LibraryPageSize+1)
	ids = append(ids, expr)
	for i, h := range res.Hits {
		byID[h.Entry.ID] = i
		ids = append(ids, h.Entry.ID)
	}
	if len(res.Hits) == 0 {
		return res, nil
	}
	for len(ids) < LibraryPageSize+1 {
		ids = append(ids, 0) // no entry has ID 0; a fixed shape lets the statement be reused
	}
	stmt, err := l.DB.Prepared(ctx, l.DB.R, `SELECT rowid, highlight(library_fts, 0, char(1), char(2)), snippet(library_fts, 1, char(1), char(2), '…', 28)
		FROM library_fts WHERE library_fts MATCH ? AND rowid IN (?`+strings.Repeat(",?", LibraryPageSize-1)+`)`)
	if err != nil {
		return nil, fmt.Errorf("library search highlight: %w", err)
	}
	marks, err := stmt.QueryContext(ctx, ids...)
	if err != nil {
		return nil, fmt.Errorf("library search highlight: %w", err)
	}
	defer marks.Close()
	for marks.Next() {
		var id int64
		var title, snip string
		if err := marks.Scan(&id, &title, &snip); err != nil {
			return nil, fmt.Errorf("library search highlight: %w", err)
		}
		i, ok := byID[id]
		if !ok {
			continue
		}
		res.Hits[i].TitleHTML = MarkedHTML(title)
		if strings.Contains(snip, markOpen) || res.Hits[i].Entry.Summary == "" {
			res.Hits[i].SnippetHTML = MarkedHTML(snip)
		}
	}
	return res, marks.Err()
}

// MarkedHTML makes a highlighted FTS5 string safe for a page: everything is escaped
// first, then only Portico's own markers become <mark> and </mark>. Unbalanced markers
// (a snippet cut inside a match) are closed.
func MarkedHTML(s string) template.HTML {
	esc := html.EscapeString(s)
	var b strings.Builder
	open := false
	for _, r := range esc {
		switch string(r) {
		case markOpen:
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case markClose:
			if open {
				b.WriteString("</mark>")
				open = false
			}
		default:
			b.WriteRune(r)
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String()) // #nosec G203 -- escaped above; only our own <mark> tags added
}

// Start is the number of the first hit on the page, for the ordered list.
func (r *LibraryResults) Start() int { return (r.Page-1)*LibraryPageSize + 1 }

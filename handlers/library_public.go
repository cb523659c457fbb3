package handlers

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// LibraryIndex is the library's front page: the search box, every section with its
// entry count, the latest alerts and the latest updates.
func (h *Handler) LibraryIndex(c *fiber.Ctx) error {
	ctx := c.UserContext()
	lib := h.st.Library
	counts, err := lib.SectionCounts(ctx)
	if err != nil {
		return err
	}
	alerts, err := lib.Recent(ctx, "alerts", 3)
	if err != nil {
		return err
	}
	news, err := lib.Recent(ctx, "updates", 5)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/library/index", "Provider library", &libraryIndexView{
		Sections: models.LibrarySections, Counts: counts, Alerts: alerts, News: news,
		LOBs: models.LinesOfBusiness[1:], Types: models.LibraryProviderTypes,
	})
}

// libraryIndexView is the data of pages/library/index.
type libraryIndexView struct {
	View
	Sections     []models.LibrarySection
	Counts       map[string]int
	Alerts, News []*models.LibraryEntry
	LOBs, Types  []models.Option
}

// azGroup is the entries filed under one letter of the A–Z bar.
type azGroup struct {
	Letter  string
	Entries []*models.LibraryEntry
}

// azLetter is one letter of the bar: a link when entries file under it.
type azLetter struct {
	Letter string
	Has    bool
}

// yearGroup is the entries of one year.
type yearGroup struct {
	Year    string
	Entries []*models.LibraryEntry
}

// librarySectionView is the data of pages/library/section: the entries of one section,
// filtered, behind an A–Z bar (Groups, AZ) or, for updates, as a feed and an archive.
type librarySectionView struct {
	View
	Section     models.LibrarySection
	Sections    []models.LibrarySection
	Entries     []*models.LibraryEntry
	LOB, Type   string
	LOBs, Types []models.Option
	Groups      []azGroup
	AZ          []azLetter
	News        []*models.LibraryEntry
	Archive     []yearGroup
	Docs        map[int64][]*models.LibraryDocument
}

// LibrarySection lists one section: behind an A–Z bar for the manual, forms, contacts
// and glossary; as a news feed and a PDF archive for updates and letters.
func (h *Handler) LibrarySection(c *fiber.Ctx) error {
	sec, ok := models.SectionByKey(c.Params("section"))
	if !ok {
		return models.ErrNotFound
	}
	q := h.readLibraryQuery(c)
	entries, err := h.st.Library.SectionFiltered(c.UserContext(), sec.Key, q.LOB, q.Type)
	if err != nil {
		return err
	}
	data := &librarySectionView{Section: sec, Sections: models.LibrarySections, Entries: entries,
		LOB: q.LOB, Type: q.Type, LOBs: models.LinesOfBusiness[1:], Types: models.LibraryProviderTypes}
	if sec.AZ {
		byLetter := map[string][]*models.LibraryEntry{}
		for _, e := range entries {
			byLetter[e.Letter()] = append(byLetter[e.Letter()], e)
		}
		var groups []azGroup
		var bar []azLetter
		for _, l := range append([]string{"#"}, models.AZLetters...) {
			if len(byLetter[l]) > 0 {
				groups = append(groups, azGroup{Letter: l, Entries: byLetter[l]})
			}
			if l != "#" {
				bar = append(bar, azLetter{l, len(byLetter[l]) > 0})
			}
		}
		data.Groups, data.AZ = groups, bar
	}
	if sec.Key == "updates" {
		var news []*models.LibraryEntry
		var archive []yearGroup
		for _, e := range entries {
			if e.Year() >= "2020" {
				news = append(news, e)
				continue
			}
			if len(archive) == 0 || archive[len(archive)-1].Year != e.Year() {
				archive = append(archive, yearGroup{Year: e.Year()})
			}
			archive[len(archive)-1].Entries = append(archive[len(archive)-1].Entries, e)
		}
		docs := map[int64][]*models.LibraryDocument{}
		for _, g := range archive {
			for _, e := range g.Entries {
				d, err := h.st.Library.Documents(c.UserContext(), e.ID)
				if err != nil {
					return err
				}
				docs[e.ID] = d
			}
		}
		data.News, data.Archive, data.Docs = news, archive, docs
	}
	return h.render(c, fiber.StatusOK, "pages/library/section", sec.Label, data)
}

// LibraryEntry shows one published entry with the provider types it applies to and its
// documents.
func (h *Handler) LibraryEntry(c *fiber.Ctx) error {
	sec, ok := models.SectionByKey(c.Params("section"))
	if !ok {
		return models.ErrNotFound
	}
	lib := h.st.Library
	e, err := lib.Published(c.UserContext(), sec.Key, c.Params("slug"))
	if err != nil {
		return err
	}
	docs, err := lib.Documents(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/library/entry", e.Title, &libraryEntryView{
		Section: sec, Sections: models.LibrarySections, Entry: e, Documents: docs,
	})
}

// libraryEntryView is the data of pages/library/entry.
type libraryEntryView struct {
	View
	Section   models.LibrarySection
	Sections  []models.LibrarySection
	Entry     *models.LibraryEntry
	Documents []*models.LibraryDocument
}

// documentQuery is a document link's query: ?download=1 asks for a download rather
// than the browser's PDF viewer.
type documentQuery struct {
	Download string `query:"download"`
}

// LibraryDocument sends a document of a published entry (editors may also fetch
// drafts' documents). It is served as a download with its sniffed type, never as HTML.
func (h *Handler) LibraryDocument(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	doc, err := h.st.Library.Document(c.UserContext(), id, currentUser(c).HasRole(models.RoleEditor))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	var q documentQuery
	disposition := "inline"
	if errs := h.bindForm(c, &q); errs == nil && q.Download != "" {
		disposition = "attachment"
	}
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`%s; filename="%s"`, disposition, models.SafeFilename(doc.Filename)))
	// The page CSP (object-src 'none') would stop the browser's PDF viewer; the bytes were
	// sniffed as PDF on upload and nosniff keeps browsers from reading them as anything else.
	c.Response().Header.Del("Content-Security-Policy")
	c.Set(fiber.HeaderCacheControl, "private, max-age=600")
	c.Set(fiber.HeaderETag, `"`+doc.SHA256[:16]+`"`)
	return c.Send(doc.Data)
}

// libraryQuery is the search form as the reader filled it (the section pages use its
// filters only). It comes from links and GET forms, so it is all in the URL.
type libraryQuery struct {
	Q    string `query:"q"`
	LOB  string `query:"lob"`
	Type string `query:"type"`
	Page string `query:"page"`
}

// readLibraryQuery binds the query and tidies it: an overlong text is cut, filters that
// name no line of business or provider type are dropped, and a query that cannot be
// read at all counts as none. Whatever a URL holds, the answer is a page, never an error.
func (h *Handler) readLibraryQuery(c *fiber.Ctx) libraryQuery {
	var q libraryQuery
	if errs := h.bindForm(c, &q); errs != nil {
		return libraryQuery{}
	}
	if len(q.Q) > 10<<10 {
		q.Q = q.Q[:10<<10]
	}
	if models.LOBLabel(q.LOB) == "" || q.LOB == "all" {
		q.LOB = ""
	}
	if models.LibraryProviderTypeLabel(q.Type) == "" {
		q.Type = ""
	}
	return q
}

// pageNumber reads a page number from a link, 1 when it is not a number.
func pageNumber(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 1
	}
	return n
}

// PageURL is the address of another page of the same search.
func (q libraryQuery) PageURL(page int) string {
	v := url.Values{"q": {q.Q}}
	if q.LOB != "" {
		v.Set("lob", q.LOB)
	}
	if q.Type != "" {
		v.Set("type", q.Type)
	}
	v.Set("page", strconv.Itoa(page))
	return "/library/search?" + v.Encode()
}

// librarySearchView is the data of pages/library/search and of its results alone
// (partials/library/results, for htmx).
type librarySearchView struct {
	View
	Query           libraryQuery
	Results         *models.LibraryResults
	LOBs, Types     []models.Option
	LibrarySections []models.LibrarySection
	Searched        bool
}

// LibrarySearch searches the whole library (every section, every line of business and
// the text of documents), ranked, with highlighted snippets, filters and paging.
// Whatever the query text, the answer is a page, never an error.
func (h *Handler) LibrarySearch(c *fiber.Ctx) error {
	q := h.readLibraryQuery(c)
	res, err := h.st.Library.Search(c.UserContext(), models.LibrarySearch{Query: q.Q, LOB: q.LOB, ProviderType: q.Type, Page: pageNumber(q.Page)})
	if err != nil {
		return err
	}
	data := &librarySearchView{Query: q, Results: res, LOBs: models.LinesOfBusiness[1:], Types: models.LibraryProviderTypes,
		LibrarySections: models.LibrarySections, Searched: q.Q != ""}
	title := "Search the library"
	if q.Q != "" {
		title = "Library search results"
	}
	return h.respond(c, fiber.StatusOK, "pages/library/search", "partials/library/results", title, data)
}

// historyRestore tells whether HTMX is asking for a whole page to restore the browser
// history (after a pushed URL fell out of its cache): it must get the full page.
func historyRestore(c *fiber.Ctx) bool { return c.Get("HX-History-Restore-Request") == "true" }

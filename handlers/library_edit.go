package handlers

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// entryForm is the editor's form: what was typed, kept when validation fails. The
// rules are the model's (models.EntryInput.Validate), which every save applies.
type entryForm struct {
	Section       string   `form:"section" label:"the section"`
	Title         string   `form:"title" label:"a title"`
	Summary       string   `form:"summary" label:"the summary"`
	Body          string   `form:"body" label:"the text" trim:"no"` // Markdown: a first indent means something
	LOB           string   `form:"lob" label:"the line of business"`
	Code          string   `form:"code" label:"the update number"`
	PublishedOn   string   `form:"published_on" label:"the date shown to readers"`
	ProviderTypes []string `form:"provider_types" label:"the provider types"`
	// ID is the entry being edited (the preview needs it to show the saved entry beside).
	ID string `form:"id"`
	// Types is ProviderTypes as a set, for the check boxes.
	Types map[string]bool `form:"-"`
}

func formFromEntry(e *models.LibraryEntry) *entryForm {
	f := &entryForm{Section: e.Section, Title: e.Title, Summary: e.Summary, Body: e.BodyMD, LOB: e.LOB, Code: e.Code,
		PublishedOn: e.PublishedOn, Types: map[string]bool{}}
	for _, t := range e.ProviderTypes {
		f.Types[t] = true
	}
	return f
}

// readEntryForm binds the posted form and gives it as the model's input.
func (h *Handler) readEntryForm(c *fiber.Ctx) (*entryForm, models.EntryInput, models.FieldErrors) {
	f := &entryForm{}
	errs := h.bindForm(c, f)
	f.Types = map[string]bool{}
	for _, t := range f.ProviderTypes {
		f.Types[t] = true
	}
	in := models.EntryInput{Section: f.Section, Title: f.Title, Summary: f.Summary, BodyMD: f.Body, LOB: f.LOB, Code: f.Code,
		PublishedOn: f.PublishedOn, ProviderTypes: f.ProviderTypes}
	return f, in, errs
}

func entryID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// editorQuery is what the editor's links name: a section (of the list, or of a new
// entry) and a page of the list.
type editorQuery struct {
	Section string `query:"section"`
	Page    string `query:"page"`
}

// libraryEditListView is the data of pages/library/edit_list.
type libraryEditListView struct {
	View
	Entries            []*models.LibraryEntry
	Total, Page, Pages int
	Section            string
	Sections           []models.LibrarySection
}

// LibraryEditList lists every entry, drafts included, newest change first.
func (h *Handler) LibraryEditList(c *fiber.Ctx) error {
	var q editorQuery
	if errs := h.bindForm(c, &q); errs != nil {
		q = editorQuery{}
	}
	page := pageNumber(q.Page)
	const per = 25
	list, total, err := h.st.Library.EditorList(c.UserContext(), q.Section, page, per)
	if err != nil {
		return err
	}
	pages := (total + per - 1) / per
	page = min(max(page, 1), max(pages, 1))
	return h.render(c, fiber.StatusOK, "pages/library/edit_list", "Library editor", &libraryEditListView{
		Entries: list, Total: total, Page: page, Pages: pages, Section: q.Section, Sections: models.LibrarySections,
	})
}

// entryFormView is the data of pages/library/edit_form, and of its preview panel alone
// (partials/library/preview, for htmx).
type entryFormView struct {
	View
	Entry *models.LibraryEntry
	Form  *entryForm
	// Errors are keyed by the inputs' ids (f-title, f-document…): the entry form's and
	// the document upload's, only one of which was sent.
	Errors      models.FieldErrors
	Documents   []*models.LibraryDocument
	Preview     *previewView
	Sections    []models.LibrarySection
	LOBs, Types []models.Option
}

// renderEntryForm shows the editor with errs, keyed by the model's field names.
func (h *Handler) renderEntryForm(c *fiber.Ctx, status int, e *models.LibraryEntry, f *entryForm, errs models.FieldErrors) error {
	return h.renderEntryFormPreview(c, status, e, f, errs, nil)
}

func (h *Handler) renderEntryFormPreview(c *fiber.Ctx, status int, e *models.LibraryEntry, f *entryForm, errs models.FieldErrors, preview *previewView) error {
	title := "New library entry"
	var docs []*models.LibraryDocument
	if e != nil {
		title = "Edit: " + e.Title
		var err error
		if docs, err = h.st.Library.Documents(c.UserContext(), e.ID); err != nil {
			return err
		}
	}
	return h.render(c, status, "pages/library/edit_form", title, &entryFormView{
		Entry: e, Form: f, Errors: inputIDs("f-", errs), Documents: docs, Preview: preview,
		Sections: models.LibrarySections, LOBs: models.LinesOfBusiness, Types: models.LibraryProviderTypes,
	})
}

// LibraryEditNew shows an empty entry form.
func (h *Handler) LibraryEditNew(c *fiber.Ctx) error {
	var q editorQuery
	if errs := h.bindForm(c, &q); errs != nil || q.Section == "" {
		q.Section = "manual"
	}
	f := &entryForm{Section: q.Section, LOB: "all", PublishedOn: h.today(), Types: map[string]bool{}}
	return h.renderEntryForm(c, fiber.StatusOK, nil, f, nil)
}

// LibraryEditCreate saves a new entry as a draft.
func (h *Handler) LibraryEditCreate(c *fiber.Ctx) error {
	f, in, errs := h.readEntryForm(c)
	if errs != nil {
		return h.renderEntryForm(c, fiber.StatusUnprocessableEntity, nil, f, errs)
	}
	u := currentUser(c)
	id, err := h.st.Library.Create(c.UserContext(), in, u.Email)
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return h.renderEntryForm(c, fiber.StatusUnprocessableEntity, nil, f, fe)
	}
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "library.create", ObjectType: "library_entry", ObjectID: strconv.FormatInt(id, 10)})
	h.flash(c, "success", "Draft saved. Publish it when it is ready for providers.")
	return c.Redirect(fmt.Sprintf("/library/edit/%d", id), fiber.StatusSeeOther)
}

// LibraryEditForm shows an entry's form, its documents and its rendered text.
func (h *Handler) LibraryEditForm(c *fiber.Ctx) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	e, err := h.st.Library.ByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	return h.renderEntryForm(c, fiber.StatusOK, e, formFromEntry(e), nil)
}

// LibraryEditSave saves a new revision of an entry.
func (h *Handler) LibraryEditSave(c *fiber.Ctx) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	lib := h.st.Library
	e, err := lib.ByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	f, in, errs := h.readEntryForm(c)
	if errs != nil {
		return h.renderEntryForm(c, fiber.StatusUnprocessableEntity, e, f, errs)
	}
	err = lib.Update(c.UserContext(), id, in, currentUser(c).Email)
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return h.renderEntryForm(c, fiber.StatusUnprocessableEntity, e, f, fe)
	}
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "library.update", ObjectType: "library_entry", ObjectID: strconv.FormatInt(id, 10)})
	h.flash(c, "success", "Saved as a new revision.")
	return c.Redirect(fmt.Sprintf("/library/edit/%d", id), fiber.StatusSeeOther)
}

func (h *Handler) setPublished(c *fiber.Ctx, published bool) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	if err := h.st.Library.SetPublished(c.UserContext(), id, published, currentUser(c).Email); err != nil {
		return err
	}
	action, msg := "library.unpublish", "Unpublished: providers no longer see this entry and search no longer finds it."
	if published {
		action, msg = "library.publish", "Published: providers can read this entry and search finds it."
	}
	h.audit(c, models.AuditEntry{Action: action, ObjectType: "library_entry", ObjectID: strconv.FormatInt(id, 10)})
	h.flash(c, "success", msg)
	return c.Redirect(fmt.Sprintf("/library/edit/%d", id), fiber.StatusSeeOther)
}

// LibraryEditPublish makes an entry public and searchable.
func (h *Handler) LibraryEditPublish(c *fiber.Ctx) error { return h.setPublished(c, true) }

// LibraryEditUnpublish takes an entry back to draft.
func (h *Handler) LibraryEditUnpublish(c *fiber.Ctx) error { return h.setPublished(c, false) }

// LibraryEditRevisions lists an entry's saved versions.
func (h *Handler) LibraryEditRevisions(c *fiber.Ctx) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	lib := h.st.Library
	e, err := lib.ByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	revs, err := lib.Revisions(c.UserContext(), id)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/library/revisions", "Revisions: "+e.Title, &libraryRevisionsView{Entry: e, Revisions: revs})
}

// libraryRevisionsView is the data of pages/library/revisions.
type libraryRevisionsView struct {
	View
	Entry     *models.LibraryEntry
	Revisions []*models.LibraryRevision
}

// libraryRevisionView is the data of pages/library/revision: one earlier version and,
// as Rendered, its text as readers saw it.
type libraryRevisionView struct {
	View
	Entry    *models.LibraryEntry
	Revision *models.LibraryRevision
	Rendered *models.LibraryEntry
}

// LibraryEditRevision shows one earlier version, rendered as readers would have seen it.
func (h *Handler) LibraryEditRevision(c *fiber.Ctx) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	rev, err := strconv.Atoi(c.Params("rev"))
	if err != nil {
		return models.ErrNotFound
	}
	lib := h.st.Library
	e, err := lib.ByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	r, err := lib.Revision(c.UserContext(), id, rev)
	if err != nil {
		return err
	}
	body, _, err := models.RenderMarkdown(r.BodyMD)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/library/revision", fmt.Sprintf("Revision %d: %s", r.Revision, r.Title), &libraryRevisionView{
		Entry: e, Revision: r, Rendered: &models.LibraryEntry{BodyHTML: body},
	})
}

// LibraryEditRestore makes an earlier version current again (as a new revision).
func (h *Handler) LibraryEditRestore(c *fiber.Ctx) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	rev, err := strconv.Atoi(c.Params("rev"))
	if err != nil {
		return models.ErrNotFound
	}
	if err := h.st.Library.Restore(c.UserContext(), id, rev, currentUser(c).Email); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "library.restore", ObjectType: "library_entry", ObjectID: strconv.FormatInt(id, 10),
		Detail: fmt.Sprintf("restored revision %d", rev)})
	h.flash(c, "success", fmt.Sprintf("Revision %d restored as the current version.", rev))
	return c.Redirect(fmt.Sprintf("/library/edit/%d", id), fiber.StatusSeeOther)
}

// uploadForm is the text fields of the document upload (multipart; the file itself is
// read with FormFile). Text is the document's text for search, when the editor gives it.
type uploadForm struct {
	Text string `form:"text" label:"the text of the document"`
}

// LibraryEditUpload attaches a PDF to an entry. The bytes must be a PDF whatever the
// file is called; anything else is refused with the form shown again.
func (h *Handler) LibraryEditUpload(c *fiber.Ctx) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	lib := h.st.Library
	e, err := lib.ByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	refuse := func(msg string) error {
		return h.renderEntryForm(c, fiber.StatusUnprocessableEntity, e, formFromEntry(e), models.FieldErrors{"document": msg})
	}
	var f uploadForm
	if errs := h.bindForm(c, &f); errs != nil {
		return refuse("Choose a PDF document to upload.")
	}
	fh, err := c.FormFile("document")
	if err != nil {
		return refuse("Choose a PDF document to upload.")
	}
	if fh.Size > models.MaxDocumentSize {
		return refuse("That file is larger than 10 MB. Upload a smaller PDF.")
	}
	file, err := fh.Open()
	if err != nil {
		return refuse("That file could not be read. Try again.")
	}
	data, err := io.ReadAll(io.LimitReader(file, models.MaxDocumentSize+1))
	file.Close()
	if err != nil {
		return refuse("That file could not be read. Try again.")
	}
	docID, err := lib.AddDocument(c.UserContext(), id, fh.Filename, data, f.Text, currentUser(c).Email)
	if errors.Is(err, models.ErrNotPDF) {
		return refuse("Only PDF documents can be uploaded, and that file is not a PDF.")
	}
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "library.upload", ObjectType: "library_document", ObjectID: strconv.FormatInt(docID, 10),
		Detail: fmt.Sprintf("entry %d, %d bytes", id, len(data))})
	h.flash(c, "success", "Document uploaded. Search now covers its text.")
	return c.Redirect(fmt.Sprintf("/library/edit/%d", id), fiber.StatusSeeOther)
}

// LibraryEditRemoveDocument removes a document from an entry.
func (h *Handler) LibraryEditRemoveDocument(c *fiber.Ctx) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	docID, err := strconv.ParseInt(c.Params("doc"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	doc, err := h.st.Library.Document(c.UserContext(), docID, true)
	if err != nil || doc.EntryID != id {
		return models.ErrNotFound
	}
	if _, err := h.st.Library.RemoveDocument(c.UserContext(), docID); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "library.remove_document", ObjectType: "library_document", ObjectID: strconv.FormatInt(docID, 10),
		Detail: fmt.Sprintf("entry %d", id)})
	h.flash(c, "success", "Document removed.")
	return c.Redirect(fmt.Sprintf("/library/edit/%d", id), fiber.StatusSeeOther)
}

// previewView is an unsaved entry rendered as readers would see it.
type previewView struct {
	Entry   *models.LibraryEntry
	TooLong bool
}

// LibraryEditPreview renders what the editor typed without saving it: with HTMX the
// preview panel alone, without JavaScript the form again (everything kept) beside it.
func (h *Handler) LibraryEditPreview(c *fiber.Ctx) error {
	// The preview shows whatever was typed; the rules apply when it is saved.
	f, in, _ := h.readEntryForm(c)
	var e *models.LibraryEntry
	if id, err := strconv.ParseInt(f.ID, 10, 64); err == nil && id > 0 {
		if e, err = h.st.Library.ByID(c.UserContext(), id); err != nil {
			return err
		}
	}
	pv := &previewView{Entry: &models.LibraryEntry{Title: in.Title, Summary: in.Summary, LOB: in.LOB, Code: in.Code, PublishedOn: in.PublishedOn, ProviderTypes: in.ProviderTypes}}
	if models.LOBLabel(pv.Entry.LOB) == "" {
		pv.Entry.LOB = "all"
	}
	if len(in.BodyMD) > 200_000 {
		pv.TooLong = true
	} else {
		body, _, err := models.RenderMarkdown(in.BodyMD)
		if err != nil {
			return err
		}
		pv.Entry.BodyHTML = body
	}
	if isHTMX(c) {
		return h.renderFragment(c, fiber.StatusOK, "partials/library/preview", &entryFormView{Preview: pv})
	}
	return h.renderEntryFormPreview(c, fiber.StatusOK, e, f, nil, pv)
}

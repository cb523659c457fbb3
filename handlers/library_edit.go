package handlers

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// entryForm is the editor's form: what was typed, kept when validation fails.
type entryForm struct {
	Section, Title, Summary, Body, LOB, Code, PublishedOn string
	Types                                                 map[string]bool
}

func formFromEntry(e *models.LibraryEntry) entryForm {
	f := entryForm{Section: e.Section, Title: e.Title, Summary: e.Summary, Body: e.BodyMD, LOB: e.LOB, Code: e.Code,
		PublishedOn: e.PublishedOn, Types: map[string]bool{}}
	for _, t := range e.ProviderTypes {
		f.Types[t] = true
	}
	return f
}

// readEntryForm reads the posted form (copying the strings, which outlive the request's buffers).
func readEntryForm(c *fiber.Ctx) (entryForm, models.EntryInput) {
	f := entryForm{
		Section: utils.CopyString(c.FormValue("section")), Title: utils.CopyString(c.FormValue("title")),
		Summary: utils.CopyString(c.FormValue("summary")), Body: utils.CopyString(c.FormValue("body")),
		LOB: utils.CopyString(c.FormValue("lob")), Code: utils.CopyString(c.FormValue("code")),
		PublishedOn: utils.CopyString(c.FormValue("published_on")), Types: map[string]bool{},
	}
	in := models.EntryInput{Section: f.Section, Title: f.Title, Summary: f.Summary, BodyMD: f.Body, LOB: f.LOB, Code: f.Code, PublishedOn: f.PublishedOn}
	if args := c.Request().PostArgs(); args != nil {
		for _, v := range args.PeekMulti("provider_types") {
			in.ProviderTypes = append(in.ProviderTypes, string(v))
			f.Types[string(v)] = true
		}
	}
	return f, in
}

func entryID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// LibraryEditList lists every entry, drafts included, newest change first.
func (h *Handler) LibraryEditList(c *fiber.Ctx) error {
	section := c.Query("section")
	page := c.QueryInt("page", 1)
	const per = 25
	list, total, err := h.st.Library.EditorList(c.UserContext(), section, page, per)
	if err != nil {
		return err
	}
	pages := (total + per - 1) / per
	page = min(max(page, 1), max(pages, 1))
	return h.render(c, fiber.StatusOK, "pages/library/edit_list", "Library editor", fiber.Map{
		"Entries": list, "Total": total, "Page": page, "Pages": pages, "Section": section, "Sections": models.LibrarySections,
	})
}

func (h *Handler) renderEntryForm(c *fiber.Ctx, status int, e *models.LibraryEntry, f entryForm, errs models.FieldErrors, uploadErr string) error {
	return h.renderEntryFormPreview(c, status, e, f, errs, uploadErr, nil)
}

func (h *Handler) renderEntryFormPreview(c *fiber.Ctx, status int, e *models.LibraryEntry, f entryForm, errs models.FieldErrors, uploadErr string, preview *previewView) error {
	title := "New library entry"
	var docs []*models.LibraryDocument
	if e != nil {
		title = "Edit: " + e.Title
		var err error
		if docs, err = h.st.Library.Documents(c.UserContext(), e.ID); err != nil {
			return err
		}
	}
	return h.render(c, status, "pages/library/edit_form", title, fiber.Map{
		"Entry": e, "Form": f, "Errors": errs, "UploadError": uploadErr, "Documents": docs, "Preview": preview,
		"Sections": models.LibrarySections, "LOBs": models.LinesOfBusiness, "Types": models.LibraryProviderTypes,
	})
}

// LibraryEditNew shows an empty entry form.
func (h *Handler) LibraryEditNew(c *fiber.Ctx) error {
	f := entryForm{Section: c.Query("section", "manual"), LOB: "all", PublishedOn: h.today(), Types: map[string]bool{}}
	return h.renderEntryForm(c, fiber.StatusOK, nil, f, nil, "")
}

// LibraryEditCreate saves a new entry as a draft.
func (h *Handler) LibraryEditCreate(c *fiber.Ctx) error {
	f, in := readEntryForm(c)
	u := currentUser(c)
	id, err := h.st.Library.Create(c.UserContext(), in, u.Email)
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return h.renderEntryForm(c, fiber.StatusUnprocessableEntity, nil, f, fe, "")
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
	return h.renderEntryForm(c, fiber.StatusOK, e, formFromEntry(e), nil, "")
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
	f, in := readEntryForm(c)
	err = lib.Update(c.UserContext(), id, in, currentUser(c).Email)
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return h.renderEntryForm(c, fiber.StatusUnprocessableEntity, e, f, fe, "")
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
	return h.render(c, fiber.StatusOK, "pages/library/revisions", "Revisions: "+e.Title, fiber.Map{"Entry": e, "Revisions": revs})
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
	view := &models.LibraryEntry{BodyHTML: body}
	return h.render(c, fiber.StatusOK, "pages/library/revision", fmt.Sprintf("Revision %d: %s", r.Revision, r.Title), fiber.Map{
		"Entry": e, "Revision": r, "View": view,
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
		return h.renderEntryForm(c, fiber.StatusUnprocessableEntity, e, formFromEntry(e), nil, msg)
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
	docID, err := lib.AddDocument(c.UserContext(), id, fh.Filename, data, utils.CopyString(c.FormValue("text")), currentUser(c).Email)
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
	f, in := readEntryForm(c)
	var e *models.LibraryEntry
	if id, err := strconv.ParseInt(c.FormValue("id"), 10, 64); err == nil && id > 0 {
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
		return h.renderFragment(c, fiber.StatusOK, "partials/library/preview", fiber.Map{"Preview": pv})
	}
	return h.renderEntryFormPreview(c, fiber.StatusOK, e, f, nil, "", pv)
}

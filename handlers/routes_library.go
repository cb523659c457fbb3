package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// libraryRoutes registers the provider library (public), its editor (role editor),
// ProviderSearch (signed-in users) and Help (public).
func (h *Handler) libraryRoutes(app *fiber.App) {
	app.Get("/library", h.LibraryIndex)
	app.Get("/library/search", h.LibrarySearch)
	app.Get("/library/documents/:id<int>/:name?", h.LibraryDocument)

	ed := app.Group("/library/edit", h.requireUser, h.requireRole(models.RoleEditor))
	ed.Get("/", h.LibraryEditList)
	ed.Get("/new", h.LibraryEditNew)
	ed.Post("/new", h.LibraryEditCreate)
	ed.Post("/preview", h.LibraryEditPreview)
	ed.Get("/:id<int>", h.LibraryEditForm)
	ed.Post("/:id<int>", h.LibraryEditSave)
	ed.Post("/:id<int>/publish", h.LibraryEditPublish)
	ed.Post("/:id<int>/unpublish", h.LibraryEditUnpublish)
	ed.Get("/:id<int>/revisions", h.LibraryEditRevisions)
	ed.Get("/:id<int>/revisions/:rev<int>", h.LibraryEditRevision)
	ed.Post("/:id<int>/revisions/:rev<int>/restore", h.LibraryEditRestore)
	ed.Post("/:id<int>/documents", h.LibraryEditUpload)
	ed.Post("/:id<int>/documents/:doc<int>/delete", h.LibraryEditRemoveDocument)

	app.Get("/library/updates/feed", h.LibraryUpdatesFeed)
	app.Get("/library/:section", h.LibrarySection)
	app.Get("/library/:section/:slug", h.LibraryEntry)

	app.Get("/providers", h.requireUser, h.ProviderSearch)
	app.Get("/help", h.Help)
}

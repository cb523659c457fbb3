package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// authorizationRoutes registers prior authorization (SPEC §5): the office's requests and
// drafts (medical_management), the reviewer's queue (plan role reviewer), the code
// look-ups, Smart Sheets, the "is an authorization required?" look-up with its public
// list and admin page, and the public metrics. Fixed paths come before /:no.
func (h *Handler) authorizationRoutes(app *fiber.App) {
	office := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireOffice, h.requirePerm(models.PermMedicalManagement), fn}
	}
	reviewer := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireRole(models.RoleReviewer), fn}
	}
	// Office users with medical_management or reviewers: shared tools.
	either := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireAuthzUser, fn}
	}

	// Public, no sign-in: the metrics CMS-0057-F requires, and the list of services that
	// need authorization.
	app.Get("/authorizations/metrics", h.AuthzMetrics)
	app.Get("/authorizations/metrics.csv", h.AuthzMetricsCSV)
	app.Get("/authorizations/requirements", h.AuthzRequirementsPublic)
	app.Get("/authorizations/requirements.csv", h.AuthzRequirementsCSV)

	// Codes and look-ups (no health information in these URLs: codes and words only).
	app.Get("/authorizations/codes", either(h.AuthzCodeSearch)...)
	app.Get("/authorizations/codes/suggest", either(h.AuthzCodeSuggest)...)
	app.Get("/authorizations/required", either(h.AuthzRequiredLookup)...)
	app.Get("/authorizations/smart-sheets", either(h.AuthzSheetCatalogue)...)
	app.Get("/authorizations/smart-sheets/:key", either(h.AuthzSheetPrint)...)

	// The reviewer's queue.
	app.Get("/authorizations/review", reviewer(h.AuthzQueue)...)
	app.Get("/authorizations/review/:no", reviewer(h.AuthzReviewShow)...)
	app.Post("/authorizations/review/:no/assign", reviewer(h.AuthzAssign)...)
	app.Post("/authorizations/review/:no/decide", reviewer(h.AuthzDecide)...)
	app.Post("/authorizations/review/:no/appeal", reviewer(h.AuthzAppeal)...)
	app.Get("/authorizations/review/:no/files/:att<int>", reviewer(h.AuthzReviewFile)...)
	app.Get("/authorizations/review/:no/letter", reviewer(h.AuthzReviewLetter)...)

	// Plan admin: the decision clocks, holidays, reasons and the requirements list.
	admin := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireRole(models.RoleAdmin), fn}
	}
	app.Get("/admin/authorizations", admin(h.AuthzAdmin)...)
	app.Post("/admin/authorizations/requirements", admin(h.AuthzAdminRequirement)...)
	app.Post("/admin/authorizations/requirements/import", admin(h.AuthzAdminImport)...)
	app.Post("/admin/authorizations/requirements/:id<int>/delete", admin(h.AuthzAdminRequirementDelete)...)
	app.Post("/admin/authorizations/clocks", admin(h.AuthzAdminClocks)...)
	app.Post("/admin/authorizations/holidays", admin(h.AuthzAdminHoliday)...)
	app.Post("/admin/authorizations/reasons", admin(h.AuthzAdminReason)...)

	// The office's requests and drafts.
	app.Get("/authorizations", office(h.AuthzList)...)
	app.Post("/authorizations", office(h.AuthzList)...)
	app.Post("/authorizations/csv", office(h.AuthzCSV)...)
	app.Get("/authorizations/drafts", office(h.AuthzDrafts)...)
	app.Get("/authorizations/new", office(h.AuthzNew)...)
	app.Post("/authorizations/new", office(h.AuthzNewLookup)...)
	app.Post("/members/:memberID/authorizations/new", office(h.AuthzCreateForMember)...)
	app.Get("/authorizations/drafts/:id<int>/:step", office(h.AuthzStep)...)
	app.Post("/authorizations/drafts/:id<int>/:step", office(h.AuthzStepSave)...)
	app.Post("/authorizations/drafts/:id<int>/sheets/:key", office(h.AuthzSheetSave)...)
	app.Get("/authorizations/drafts/:id<int>/sheets/:key", office(h.AuthzSheetFill)...)
	app.Post("/authorizations/drafts/:id<int>/files/:att<int>/delete", office(h.AuthzDraftFileDelete)...)
	app.Post("/authorizations/drafts/:id<int>/delete", office(h.AuthzDraftDelete)...)
	app.Get("/authorizations/:no", office(h.AuthzShow)...)
	app.Get("/authorizations/:no/letter", office(h.AuthzLetter)...)
	app.Get("/authorizations/:no/files/:att<int>", office(h.AuthzFile)...)
	app.Post("/authorizations/:no/answer", office(h.AuthzAnswer)...)
	app.Post("/authorizations/:no/withdraw", office(h.AuthzWithdraw)...)
}

// requireAuthzUser lets through office users with medical_management and plan staff with
// the reviewer or admin role.
func (h *Handler) requireAuthzUser(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.IsPlanStaff() {
		if u.HasRole(models.RoleReviewer) || u.HasRole(models.RoleAdmin) {
			return c.Next()
		}
		return models.ErrForbidden
	}
	if !u.Can(models.PermMedicalManagement) {
		return models.ErrForbidden
	}
	return c.Next()
}

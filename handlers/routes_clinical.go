package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// clinicalRoutes registers the clinical record (SPEC §5): the member record's
// Assessments, Care Plan, Health Records, Referrals and Care Coordination Documents for
// office users with medical_management (every route goes through memberAccess: the
// care-relationship rule and the section's own rule), and the case managers' pages
// under /care (plan role case_manager).
func (h *Handler) clinicalRoutes(app *fiber.App) {
	office := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireOffice, h.requirePerm(models.PermEligibility), fn}
	}
	app.Get("/assessments/due", h.requireUser, h.requireOffice, h.requirePerm(models.PermMedicalManagement), h.AssessmentsDue)
	m := "/members/:memberID/"
	app.Get(m+"assessments", office(h.AssessmentList)...)
	app.Post(m+"assessments", office(h.AssessmentStart)...)
	app.Get(m+"assessments/draft/:n", office(h.AssessmentSection)...)
	app.Post(m+"assessments/draft/:n", office(h.AssessmentSave)...)
	app.Post(m+"assessments/submit", office(h.AssessmentSubmit)...)
	app.Post(m+"assessments/discard", office(h.AssessmentDiscard)...)
	app.Get(m+"assessments/:aid", office(h.AssessmentShow)...)

	app.Get(m+"care-plan", office(h.CarePlanList)...)
	app.Get(m+"care-plan/:pid", office(h.CarePlanShow)...)

	app.Get(m+"health-records", office(h.HealthRecordTab)...)
	app.Get(m+"health-records/:tab.csv", office(h.HealthRecordCSV)...)
	app.Get(m+"health-records/:tab", office(h.HealthRecordTab)...)

	app.Get(m+"referrals", office(h.ReferralList)...)
	app.Post(m+"referrals", office(h.ReferralSubmit)...)
	app.Get(m+"referrals/:rid/attachments/:aid", office(h.ReferralAttachment)...)

	app.Get(m+"care-coordination", office(h.CareDocList)...)
	app.Get(m+"care-coordination/:did", office(h.CareDocDownload)...)

	cm := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireRole(models.RoleCaseManager), fn}
	}
	app.Get("/care", cm(h.CareQueue)...)
	app.Post("/care/lookup", cm(h.CareLookup)...)
	app.Get("/care/referrals/:rid", cm(h.CareReferral)...)
	app.Post("/care/referrals/:rid", cm(h.CareReferralDecide)...)
	app.Get("/care/referrals/:rid/attachments/:aid", cm(h.CareReferralAttachment)...)
	app.Get("/care/members/:memberID", cm(h.CareMember)...)
	app.Get("/care/members/:memberID/health-records/:tab", cm(h.CareMemberHealth)...)
	app.Get("/care/members/:memberID/assessments/:aid", cm(h.CareAssessment)...)
	app.Post("/care/members/:memberID/care-plans", cm(h.CarePlanCreate)...)
	app.Get("/care/members/:memberID/care-plans/:pid", cm(h.CarePlanEdit)...)
	app.Post("/care/members/:memberID/care-plans/:pid", cm(h.CarePlanUpdate)...)
	app.Post("/care/members/:memberID/care-plans/:pid/items", cm(h.CarePlanItemAdd)...)
	app.Post("/care/members/:memberID/care-plans/:pid/items/:iid", cm(h.CarePlanItemStatus)...)
	app.Post("/care/members/:memberID/documents", cm(h.CareDocUpload)...)
	app.Get("/care/members/:memberID/documents/:did", cm(h.CareDocStaffDownload)...)

	app.Get("/care/settings", h.requireUser, h.requireRole(models.RoleAdmin), h.AssessmentSettings)
	app.Post("/care/settings", h.requireUser, h.requireRole(models.RoleAdmin), h.AssessmentSettingsSave)
}

package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// memberRoutes registers the dashboard, eligibility, member record and patients routes
// (SPEC §3–4). Office routes need a signed-in office user with eligibility; every
// /members/{memberID} route goes through memberAccess (the care-relationship rule).
func (h *Handler) memberRoutes(app *fiber.App) {
	app.Get("/dashboard", h.requireUser, h.Dashboard)
	app.Post("/dashboard/context", h.requireUser, h.requireOffice, h.DashboardContext)
	app.Post("/dashboard/paperless", h.requireUser, h.requireManager, h.PaperlessSave)

	office := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireOffice, h.requirePerm(models.PermEligibility), fn}
	}
	app.Post("/eligibility/quick", office(h.EligibilityQuick)...)
	app.Get("/eligibility", office(h.EligibilityPage)...)
	app.Post("/eligibility", office(h.EligibilityCheck)...)
	app.Post("/eligibility/clear", office(h.EligibilityClear)...)
	app.Post("/eligibility/roster", office(h.EligibilityRoster)...)
	app.Get("/eligibility/roster/:token.csv", office(h.EligibilityRosterDownload)...)
	app.Get("/eligibility/roster/:token", office(h.EligibilityRosterShow)...)

	app.Get("/patients", office(h.Patients)...)
	app.Post("/patients", office(h.Patients)...)

	app.Get("/members/:memberID", office(h.MemberOverview)...)
	app.Get("/members/:memberID/card", office(h.MemberCard)...)
	app.Get("/members/:memberID/print", office(h.MemberPrint)...)
	app.Get("/members/:memberID/benefits", office(h.MemberBenefits)...)
	app.Get("/members/:memberID/cost-sharing", office(h.MemberCostSharing)...)
	app.Get("/members/:memberID/claims", office(h.MemberClaims)...)
	app.Get("/members/:memberID/pharmacy", office(h.MemberPharmacy)...)
	app.Get("/members/:memberID/pharmacy/cdl.csv", office(h.MemberPharmacyCDL)...)
	app.Get("/members/:memberID/authorizations", office(h.MemberAuthorizationsSection)...)
}

package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// reportRoutes registers the provider reports (SPEC §7): signed-in office users with
// the reports permission, for their own account's TINs; member-level reports also need
// the account manager's grant, which the manager gives in User Management.
func (h *Handler) reportRoutes(app *fiber.App) {
	office := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireOffice, h.requirePerm(models.PermReports), fn}
	}
	app.Get("/reports", office(h.ReportsSummary)...)
	app.Get("/reports/summary.csv", office(h.ReportsSummaryCSV)...)
	for _, kind := range []string{models.ReportRoster, models.ReportAdds, models.ReportTerms} {
		app.Get("/reports/"+kind, office(h.ReportsMembers(kind))...)
		app.Get("/reports/"+kind+".csv", office(h.ReportsMembersCSV(kind))...)
	}
	// The grant is POST /account/users/:id/report-access, dispatched by AccountUserStatus
	// behind the account manager's middleware.
}

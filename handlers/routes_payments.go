package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// paymentRoutes registers what follows the money (SPEC §6): payment history and
// explanations of payment, disputes, answers to requests for information, and claims
// submitted online. Office users need the claims permission; the account's own TINs only.
// They are registered before /claims/:claimNo so that their paths are not read as
// claim numbers.
func (h *Handler) paymentRoutes(app *fiber.App) {
	office := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireOffice, h.requirePerm(models.PermClaims), fn}
	}
	app.Get("/claims/payments", office(h.PaymentsList)...)
	app.Get("/claims/payments/csv", office(h.PaymentsCSV)...)
	app.Get("/claims/payments/:paymentNo", office(h.PaymentEOP)...)
	app.Get("/claims/payments/:paymentNo/csv", office(h.PaymentEOPCSV)...)

	// Disputes: offices see their own; the plan's Claims department answers them.
	app.Get("/claims/disputes", h.requireUser, h.ClaimDisputes)
	app.Post("/claims/disputes/:id", h.requireUser, h.ClaimDisputeDecide)
	app.Get("/claims/:claimNo/dispute", office(h.ClaimDisputeForm)...)
	app.Post("/claims/:claimNo/dispute", office(h.ClaimDisputeOpen)...)
	app.Post("/claims/:claimNo/info", office(h.ClaimInfoAnswer)...)

	// Claims online (IFP members), and the clearinghouse route for every other plan.
	app.Get("/claims/new", office(h.ClaimNewStart)...)
	app.Post("/claims/new", office(h.ClaimNewLookup)...)
	app.Get("/claims/clearinghouse", office(h.ClaimClearinghouse)...)
	member := func(fn fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireOffice, h.requirePerm(models.PermEligibility), h.requirePerm(models.PermClaims), fn}
	}
	app.Get("/members/:memberID/claims/new", member(h.MemberClaimNew)...)
	app.Post("/members/:memberID/claims/new", member(h.MemberClaimSave)...)
	app.Get("/members/:memberID/claims/drafts/:draftID", member(h.MemberClaimDraft)...)
	app.Post("/members/:memberID/claims/drafts/:draftID", member(h.MemberClaimSave)...)
	app.Get("/members/:memberID/claims/drafts/:draftID/review", member(h.MemberClaimReview)...)
	app.Post("/members/:memberID/claims/drafts/:draftID/submit", member(h.MemberClaimSubmit)...)
}

package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// paymentRoutes registers payment history and explanations of payment (SPEC §6):
// signed-in office users with the claims permission, the account's own TINs only.
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
}

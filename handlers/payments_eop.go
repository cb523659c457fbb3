package handlers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// paymentNoValid tells whether s looks like a check or EFT trace number.
func paymentNoValid(s string) bool { return models.ValidClaimNo(s) }

// accountPayment loads the payment named in the path if it went to one of the
// account's verified TINs. Another account's payment answers exactly like one that does
// not exist (404), and the refusal is audited.
func (h *Handler) accountPayment(c *fiber.Ctx) (*models.Payment, error) {
	u := currentUser(c)
	no := strings.ToUpper(strings.TrimSpace(utils.CopyString(c.Params("paymentNo"))))
	if !paymentNoValid(no) {
		return nil, models.ErrNotFound
	}
	p, err := h.st.Members.PaymentByNo(c.UserContext(), no)
	if isNotFound(err) {
		return nil, models.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if p.AccountID != u.AccountID || !p.TINVerified {
		h.audit(c, models.AuditEntry{Action: "eop.view.denied", ObjectType: "payment", ObjectID: p.No, Detail: "payment of another account"})
		return nil, models.ErrNotFound
	}
	return p, nil
}

// eopForm is the explanation of payment's paging as linked: a page of 20 claims, or
// all=1 for every claim (the print view).
type eopForm struct {
	Page string `query:"page"`
	All  string `query:"all"`
}

// page is the page asked for, 1 when it is not a page number, 0 for every claim.
func (f *eopForm) page() int {
	if f.All == "1" {
		return 0
	}
	page, _ := strconv.Atoi(f.Page)
	if page < 1 || page > 100000 {
		page = 1
	}
	return page
}

// eopView is the data of an explanation of payment (pages/claims/eop).
type eopView struct {
	View
	E *models.EOP
}

// PaymentEOP is the explanation of payment of one check or EFT: every claim and every
// service line it paid, with the member's share and the adjustment reasons in words,
// and totals that add up to the payment.
func (h *Handler) PaymentEOP(c *fiber.Ctx) error {
	p, err := h.accountPayment(c)
	if err != nil {
		return err
	}
	var f eopForm
	// Paging is never refused: a page that is not a number is the first.
	_ = h.bindForm(c, &f)
	page := f.page()
	e, err := h.st.Members.EOP(c.UserContext(), p, page)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "eop.view", ObjectType: "payment", ObjectID: p.No, Detail: fmt.Sprintf("claims=%d page=%d", len(e.Claims), page)})
	return h.render(c, fiber.StatusOK, "pages/claims/eop", "Explanation of payment "+p.No, &eopView{E: e})
}

// PaymentEOPCSV downloads the explanation of payment, one row per service line.
func (h *Handler) PaymentEOPCSV(c *fiber.Ctx) error {
	p, err := h.accountPayment(c)
	if err != nil {
		return err
	}
	e, err := h.st.Members.EOP(c.UserContext(), p, 0)
	if err != nil {
		return err
	}
	var rows [][]string
	for _, cl := range e.Claims {
		for _, l := range cl.Lines {
			var codes, words []string
			for _, a := range l.Adjustments() {
				if a.Code() != "" {
					codes = append(codes, a.Code()+" "+csvAmount(a.Amount))
				}
				words = append(words, a.Text())
			}
			rows = append(rows, []string{p.No, formatDate(p.Date), cl.ClaimNo, cl.MemberID, cl.MemberName, strconv.Itoa(l.LineNo),
				formatDate(l.ServiceDate), l.Code, l.Modifier, strconv.Itoa(l.Units), csvAmount(l.Billed), csvAmount(l.Allowed),
				csvAmount(l.Deductible), csvAmount(l.Copay), csvAmount(l.Coinsurance), csvAmount(l.Paid),
				strings.Join(codes, "; "), strings.Join(words, "; ")})
		}
	}
	h.audit(c, models.AuditEntry{Action: "eop.export", ObjectType: "payment", ObjectID: p.No, Detail: fmt.Sprintf("rows=%d", len(rows))})
	return h.sendCSV(c, "eop-"+p.No+".csv", []string{"payment_no", "payment_date", "claim_no", "member_id", "member_name", "line",
		"service_date", "code", "modifiers", "units", "billed", "allowed", "deductible", "copay", "coinsurance", "paid",
		"adjustment_codes", "adjustment_reasons"}, rows)
}

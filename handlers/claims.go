package handlers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// claimFilter is the claims list's filter form as typed, with its validated query.
type claimFilter struct {
	Status, From, To, ClaimNo, MemberID string // as typed (trimmed, shortened)
	Page                                int
	Errors                              models.FieldErrors
	Q                                   models.ClaimQuery
}

// Posted tells whether the filter holds fields that may only travel in a POST body
// (dates, claim number, member ID): then paging and CSV buttons carry them as forms.
func (f *claimFilter) Posted() bool {
	return f.From != "" || f.To != "" || f.ClaimNo != "" || f.MemberID != ""
}

// StatusLabel is the chosen status in words ("" for any status).
func (f *claimFilter) StatusLabel() string {
	if f.Q.Status == "" {
		return ""
	}
	return models.ClaimStatusLabel(f.Q.Status)
}

// claimFieldMax is the longest filter value kept; anything longer is refused.
const claimFieldMax = 40

// parseClaimDate reads a date typed as YYYY-MM-DD (what date inputs send) or MM/DD/YYYY.
func parseClaimDate(s string) (string, bool) {
	for _, layout := range []string{models.DateFormat, "01/02/2006", "1/2/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(models.DateFormat), true
		}
	}
	return "", false
}

// readClaimFilter reads the filter: status and page from the query string or the form,
// the member-identifying fields from a POSTed form only.
func readClaimFilter(c *fiber.Ctx, tins []int64) *claimFilter {
	post := c.Method() == fiber.MethodPost
	get := func(k string) string {
		var v string
		if post {
			v = c.FormValue(k)
		} else {
			v = c.Query(k)
		}
		return strings.TrimSpace(utils.CopyString(v))
	}
	f := &claimFilter{Errors: models.FieldErrors{}}
	cut := func(field, v string) string {
		if len(v) > claimFieldMax {
			f.Errors[field] = "That is too long to be a valid value."
			return v[:claimFieldMax]
		}
		return v
	}
	f.Status = cut("cl-status", get("status"))
	f.Page, _ = strconv.Atoi(get("page"))
	if f.Page < 1 || f.Page > 1_000_000 {
		f.Page = 1
	}
	if post {
		f.From = cut("cl-from", get("from"))
		f.To = cut("cl-to", get("to"))
		f.ClaimNo = cut("cl-no", get("claim_no"))
		f.MemberID = cut("cl-member", get("member_id"))
	}
	q := models.ClaimQuery{TINIDs: tins, Page: f.Page, PerPage: models.ClaimsPerPage}
	if f.Status != "" {
		if models.ValidClaimStatus(f.Status) {
			q.Status = f.Status
		} else if f.Errors["cl-status"] == "" {
			f.Errors["cl-status"] = "Choose a status from the list."
		}
	}
	if f.From != "" && f.Errors["cl-from"] == "" {
		if d, ok := parseClaimDate(f.From); ok {
			q.From = d
		} else {
			f.Errors["cl-from"] = "Enter the “received from” date as MM/DD/YYYY."
		}
	}
	if f.To != "" && f.Errors["cl-to"] == "" {
		if d, ok := parseClaimDate(f.To); ok {
			q.To = d
		} else {
			f.Errors["cl-to"] = "Enter the “received to” date as MM/DD/YYYY."
		}
	}
	if q.From != "" && q.To != "" && q.From > q.To {
		f.Errors["cl-to"] = "The “received to” date must be on or after the “received from” date."
	}
	if f.ClaimNo != "" && f.Errors["cl-no"] == "" {
		no := strings.ToUpper(f.ClaimNo)
		if !claimNoValid(no) {
			f.Errors["cl-no"] = "Enter a claim number of letters and digits, such as C2600000123."
		}
		q.ClaimNo = no
	}
	if f.MemberID != "" && f.Errors["cl-member"] == "" {
		q.MemberID = models.NormalizeMemberID(f.MemberID)
		if q.MemberID == "" {
			f.Errors["cl-member"] = "Enter the member ID as printed on the ID card, such as A100000001."
		}
	}
	f.Q = q
	return f
}

// claimNoValid tells whether s looks like a claim number (letters and digits only).
func claimNoValid(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z') && !(r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// claimStatusOption is one choice of the status filter.
type claimStatusOption struct{ Value, Label string }

func claimStatusOptions() []claimStatusOption {
	out := []claimStatusOption{{"", "Any status"}}
	for _, s := range models.ClaimStatuses {
		out = append(out, claimStatusOption{s, models.ClaimStatusLabel(s)})
	}
	return out
}

// ClaimsList lists the account's claims, newest received first, 30 to a page with the
// total. Status and page may come as GET links (the dashboard links pending_info); the
// filter form is POSTed so that member IDs, claim numbers and dates stay out of URLs.
func (h *Handler) ClaimsList(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	ms := models.Members{DB: h.db}
	tins, err := ms.AccountTINIDs(ctx, u.AccountID)
	if err != nil {
		return err
	}
	f := readClaimFilter(c, tins)
	data := fiber.Map{"F": f, "Statuses": claimStatusOptions(), "ExportLimit": models.ClaimExportLimit}
	if len(f.Errors) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/claims/index", "Claims", data)
	}
	page, err := ms.ClaimList(ctx, f.Q)
	if err != nil {
		return err
	}
	data["Page"], data["Prev"], data["Next"], data["HasNext"] = page, page.Page-1, page.Page+1, page.Page < page.Pages
	return h.render(c, fiber.StatusOK, "pages/claims/index", "Claims", data)
}

// ClaimsCSV downloads the filtered claims list (every page, up to the export limit).
// It is POSTed so that the filters stay out of the URL.
func (h *Handler) ClaimsCSV(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	ms := models.Members{DB: h.db}
	tins, err := ms.AccountTINIDs(ctx, u.AccountID)
	if err != nil {
		return err
	}
	f := readClaimFilter(c, tins)
	if len(f.Errors) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/claims/index", "Claims",
			fiber.Map{"F": f, "Statuses": claimStatusOptions(), "ExportLimit": models.ClaimExportLimit})
	}
	claims, err := ms.ClaimExport(ctx, f.Q)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(claims))
	for _, cl := range claims {
		rows = append(rows, []string{cl.ClaimNo, models.ClaimStatusLabel(cl.Status), formatDate(cl.ReceivedDate), formatDate(cl.ServiceFrom),
			cl.MemberID, cl.MemberName, models.FormatTIN(cl.TIN), csvAmount(cl.Billed), csvAmount(cl.Allowed), csvAmount(cl.Paid), csvAmount(cl.MemberResp)})
	}
	h.audit(c, models.AuditEntry{Action: "claims.export", ObjectType: "claim", Detail: fmt.Sprintf("rows=%d", len(claims))})
	return h.sendCSV(c, "claims-"+h.today()+".csv", []string{"claim_no", "status", "received_date", "service_date", "member_id", "member_name", "tin", "billed", "allowed", "paid", "member_responsibility"}, rows)
}

// csvAmount writes cents as a plain decimal (no currency sign or separators).
func csvAmount(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// ClaimShow is one claim with its service lines (and their adjustments in words), totals,
// member, TIN, the payment that paid it, its history, its disputes and, when the plan
// is waiting for information, what is needed. A claim of another account's TIN looks
// exactly like one that does not exist (404); views and refusals are audited. Opening
// the claim marks the plan's answers to its disputes as seen.
func (h *Handler) ClaimShow(c *fiber.Ctx) error {
	d, err := h.accountClaim(c)
	if err != nil {
		return err
	}
	data, err := h.claimPageData(c, d)
	if err != nil {
		return err
	}
	for _, x := range data["Disputes"].([]models.Dispute) {
		if !x.Open() && !x.Seen {
			if err := h.claimWork().MarkDisputesSeen(c.UserContext(), d.ID, currentUser(c).AccountID); err != nil {
				return err
			}
			break
		}
	}
	h.audit(c, models.AuditEntry{Action: "claim.view", ObjectType: "claim", ObjectID: d.ClaimNo, MemberID: d.MemberID})
	return h.render(c, fiber.StatusOK, "pages/claims/show", "Claim "+d.ClaimNo, data)
}

package handlers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// PayerID is the plan's electronic payer ID for one line of business (clearinghouse
// submission).
type PayerID struct{ LineOfBusiness, PayerID, Note string }

// payerIDs are the plan's payer IDs per line of business, for offices that submit
// through a clearinghouse (every plan type except Individual & Family Plans online).
var payerIDs = []PayerID{
	{"Individual & Family Plans (IFP)", "PCHP1", "Or submit online in the portal"},
	{"Commercial employer group HMO, POS, PPO and EPO", "PCHP2", ""},
	{"Medicare Supplement", "PCHP3", "After Medicare's payment; send Medicare's EOB"},
	{"Medicare Advantage and D-SNP", "PCHP4", "D-SNP: Medi-Cal crossover is automatic"},
	{"Medi-Cal", "PCHP5", ""},
}

// isIFP tells whether a member's plan is an Individual & Family Plan (the only plans
// whose claims may be submitted online).
func isIFP(m *models.Member) bool { return m.Product == "ifp" }

// ClaimClearinghouse explains how to submit claims for every plan type but IFP: through
// a clearinghouse, with the plan's payer IDs per line of business. The "Create a New
// Claim" button of such members opens it (a page, so it works without JavaScript).
func (h *Handler) ClaimClearinghouse(c *fiber.Ctx) error {
	plan := c.Query("plan")
	if !models.ValidPlanType(plan) {
		plan = ""
	}
	return h.render(c, fiber.StatusOK, "pages/claims/clearinghouse", "Submitting claims through a clearinghouse", fiber.Map{"PayerIDs": payerIDs, "Plan": plan})
}

// claimStartForm is the member look-up of /claims/new as typed.
type claimStartForm struct{ MemberID, DOB string }

// ClaimNewStart is "New claim" from the claims area: find the member (ID and date of
// birth, POSTed), and the account's drafts not yet submitted.
func (h *Handler) ClaimNewStart(c *fiber.Ctx) error {
	return h.renderClaimStart(c, fiber.StatusOK, &claimStartForm{}, nil)
}

func (h *Handler) renderClaimStart(c *fiber.Ctx, status int, f *claimStartForm, fe models.FieldErrors) error {
	drafts, err := h.st.Members.AccountClaimDrafts(c.UserContext(), currentUser(c).AccountID, 50)
	if err != nil {
		return err
	}
	return h.render(c, status, "pages/claims/new_start", "New claim", fiber.Map{"F": f, "Errors": fe, "Drafts": drafts})
}

// ClaimNewLookup finds the member for a new claim: an IFP member with a care
// relationship goes to the claim form in the member record; any other plan type gets
// the clearinghouse explanation.
func (h *Handler) ClaimNewLookup(c *fiber.Ctx) error {
	u := currentUser(c)
	f := &claimStartForm{MemberID: strings.TrimSpace(utils.CopyString(c.FormValue("member_id"))), DOB: strings.TrimSpace(utils.CopyString(c.FormValue("dob")))}
	fe := models.FieldErrors{}
	if len(f.MemberID) > 20 || models.NormalizeMemberID(f.MemberID) == "" {
		fe["cn-member"] = "Enter the member ID as printed on the ID card, such as A100000001."
		f.MemberID = ""
	}
	dob, ok := models.ParseUSDate(f.DOB)
	if len(f.DOB) > 20 || !ok {
		fe["cn-dob"] = "Enter the date of birth as MM/DD/YYYY."
		if len(f.DOB) > 20 {
			f.DOB = ""
		}
	}
	if len(fe) > 0 {
		return h.renderClaimStart(c, fiber.StatusUnprocessableEntity, f, fe)
	}
	ms := h.st.Members
	m, err := ms.ByMemberID(c.UserContext(), f.MemberID)
	if err != nil && !isNotFound(err) {
		return err
	}
	related := false
	if m != nil && m.DOB == dob {
		if related, err = ms.CareRelationship(c.UserContext(), u.AccountID, m); err != nil {
			return err
		}
	}
	if !related {
		h.audit(c, models.AuditEntry{Action: "claim.new.lookup", ObjectType: "member", Detail: "not found or no care relationship"})
		fe["cn-member"] = "No member with this ID and date of birth has a care relationship on file with your office. Check both, or check eligibility first."
		return h.renderClaimStart(c, fiber.StatusUnprocessableEntity, f, fe)
	}
	h.audit(c, models.AuditEntry{Action: "claim.new.lookup", ObjectType: "member", ObjectID: m.MemberID, MemberID: m.MemberID})
	if !isIFP(m) {
		return c.Redirect("/claims/clearinghouse?plan="+m.PlanType, fiber.StatusSeeOther)
	}
	return c.Redirect("/members/"+m.MemberID+"/claims/new", fiber.StatusSeeOther)
}

// claimFormView is what the claim form page needs.
type claimFormView struct {
	Form    models.ClaimForm
	DraftID int64
	TINs    []models.TINNPIs
}

// Action is where the form posts.
func (v *claimFormView) Action(memberID string) string {
	if v.DraftID == 0 {
		return "/members/" + memberID + "/claims/new"
	}
	return fmt.Sprintf("/members/%s/claims/drafts/%d", memberID, v.DraftID)
}

// claimMember is the gate of the online claim pages: the member record's access rule
// (care relationship, claims permission) and the IFP rule. For any other plan type it
// sends the office to the clearinghouse explanation.
func (h *Handler) claimMember(c *fiber.Ctx) (*memberView, bool, error) {
	v, done, err := h.memberAccess(c, "claims")
	if done || err != nil {
		return nil, true, err
	}
	if !isIFP(&v.M.Member) {
		return nil, true, c.Redirect("/claims/clearinghouse?plan="+v.M.PlanType, fiber.StatusSeeOther)
	}
	return v, false, nil
}

func (h *Handler) claimFormData(c *fiber.Ctx, v *memberView, f models.ClaimForm, draftID int64, fe models.FieldErrors) (fiber.Map, error) {
	tins, err := h.st.Members.AccountTINNPIs(c.UserContext(), currentUser(c).AccountID)
	if err != nil {
		return nil, err
	}
	view := &claimFormView{Form: f, DraftID: draftID}
	for _, t := range tins {
		view.TINs = append(view.TINs, t)
	}
	sortTINNPIs(view.TINs)
	view.Form.Pad()
	return fiber.Map{"V": v, "CF": view, "Errors": fe, "POS": models.PlacesOfService, "Letters": strings.Split("ABCDEFGHIJKL", "")}, nil
}

func sortTINNPIs(t []models.TINNPIs) {
	for i := 1; i < len(t); i++ {
		for j := i; j > 0 && t[j].TIN.ID < t[j-1].TIN.ID; j-- {
			t[j], t[j-1] = t[j-1], t[j]
		}
	}
}

func (h *Handler) renderClaimForm(c *fiber.Ctx, status int, v *memberView, f models.ClaimForm, draftID int64, fe models.FieldErrors) error {
	data, err := h.claimFormData(c, v, f, draftID, fe)
	if err != nil {
		return err
	}
	title := "New claim · " + v.M.FirstName + " " + v.M.LastName
	if len(fe) > 0 {
		title = "Error: " + title
	}
	return h.render(c, status, "pages/claims/new_form", title, data)
}

// MemberClaimNew shows an empty professional claim form for an IFP member, with the
// member's PCP TIN and its first NPI filled in when they are the account's.
func (h *Handler) MemberClaimNew(c *fiber.Ctx) error {
	v, done, err := h.claimMember(c)
	if done || err != nil {
		return err
	}
	tins, err := h.st.Members.AccountTINNPIs(c.UserContext(), currentUser(c).AccountID)
	if err != nil {
		return err
	}
	f := models.ClaimForm{PlaceOfService: "11"}
	t, ok := tins[v.M.PCPTINID]
	if !ok {
		for _, x := range tins {
			if !ok || x.TIN.ID < t.TIN.ID {
				t, ok = x, true
			}
		}
	}
	if ok {
		f.TINID = strconv.FormatInt(t.TIN.ID, 10)
		if len(t.NPIs) > 0 {
			f.BillingNPI = t.NPIs[0]
		}
	}
	return h.renderClaimForm(c, fiber.StatusOK, v, f, 0, nil)
}

// readClaimForm reads the posted claim form.
func readClaimForm(c *fiber.Ctx) models.ClaimForm {
	v := func(k string) string { return utils.CopyString(c.FormValue(k)) }
	f := models.ClaimForm{TINID: v("tin_id"), BillingNPI: v("billing_npi"), RenderingNPI: v("rendering_npi"), PlaceOfService: v("pos")}
	for i := 1; i <= models.MaxClaimDiagnoses; i++ {
		f.Diagnoses = append(f.Diagnoses, v(fmt.Sprintf("dx%d", i)))
	}
	for i := 1; i <= models.MaxClaimLines; i++ {
		p := fmt.Sprintf("l%d_", i)
		f.Lines = append(f.Lines, models.ClaimFormLine{From: v(p + "from"), To: v(p + "to"), Code: v(p + "code"), Modifiers: v(p + "mods"),
			Units: v(p + "units"), Charge: v(p + "charge"), Pointers: v(p + "ptr"), PriorAuth: v(p + "pa")})
	}
	return f
}

// claimContext is the validation context for member m and the signed-in account.
func (h *Handler) claimContext(c *fiber.Ctx, m *models.Member) (models.ClaimContext, error) {
	ctx := c.UserContext()
	tins, err := h.st.Members.AccountTINNPIs(ctx, currentUser(c).AccountID)
	// A line needs a prior authorization number when the plan's list (the one the
	// authorization area maintains and publishes) requires one for the member's plan type.
	needsAuth := func(code string) bool {
		a, err := h.authz().IsRequired(ctx, code, m.PlanType)
		return err == nil && a.Required
	}
	return models.ClaimContext{Member: m, Today: h.planToday(), TINs: tins, NeedsAuth: needsAuth}, err
}

// MemberClaimSave saves the form as a draft (new or existing) and, when the office
// asked to review it, checks it: errors come back next to each field (422) with
// everything typed kept; a clean claim goes to the review step.
func (h *Handler) MemberClaimSave(c *fiber.Ctx) error {
	v, done, err := h.claimMember(c)
	if done || err != nil {
		return err
	}
	u := currentUser(c)
	var draftID int64
	if p := c.Params("draftID"); p != "" {
		if draftID, err = strconv.ParseInt(p, 10, 64); err != nil {
			return models.ErrNotFound
		}
	}
	f := readClaimForm(c)
	ms := h.st.Members
	// Lengths are checked before anything is stored.
	cc, err := h.claimContext(c, &v.M.Member)
	if err != nil {
		return err
	}
	_, fe := f.Validate(cc)
	for k, msg := range fe {
		if !strings.Contains(msg, "too long") {
			delete(fe, k)
		}
	}
	if len(fe) > 0 {
		return h.renderClaimForm(c, fiber.StatusUnprocessableEntity, v, f, draftID, fe)
	}
	id, err := ms.SaveClaimDraft(c.UserContext(), u, v.M.PK, draftID, f)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "claim.draft.save", ObjectType: "claim_draft", ObjectID: strconv.FormatInt(id, 10), MemberID: v.M.MemberID})
	base := fmt.Sprintf("/members/%s/claims/drafts/%d", v.M.MemberID, id)
	if c.FormValue("action") != "review" {
		h.flash(c, "success", "Draft saved. You can come back to it from Claims → New claim.")
		return c.Redirect(base, fiber.StatusSeeOther)
	}
	if _, fe := f.Validate(cc); len(fe) > 0 {
		return h.renderClaimForm(c, fiber.StatusUnprocessableEntity, v, f, id, fe)
	}
	return c.Redirect(base+"/review", fiber.StatusSeeOther)
}

// claimDraft loads the draft named in the path for the member and account.
func (h *Handler) claimDraft(c *fiber.Ctx, v *memberView) (*models.ClaimDraft, error) {
	id, err := strconv.ParseInt(c.Params("draftID"), 10, 64)
	if err != nil {
		return nil, models.ErrNotFound
	}
	d, err := h.st.Members.ClaimDraftFor(c.UserContext(), currentUser(c).AccountID, v.M.PK, id)
	if isNotFound(err) {
		return nil, models.ErrNotFound
	}
	return d, err
}

// openClaimDraft is the prologue of every draft page: the member (care relationship and
// IFP checked by claimMember) and the account's draft; a draft already submitted sends
// the user to its claim (done).
func (h *Handler) openClaimDraft(c *fiber.Ctx) (*memberView, *models.ClaimDraft, bool, error) {
	v, done, err := h.claimMember(c)
	if done || err != nil {
		return nil, nil, true, err
	}
	d, err := h.claimDraft(c, v)
	if err != nil {
		return nil, nil, true, err
	}
	if d.Status == "submitted" {
		return nil, nil, true, c.Redirect("/claims/"+d.ClaimNo, fiber.StatusSeeOther)
	}
	return v, d, false, nil
}

// MemberClaimDraft shows a saved draft in the form; a submitted one goes to its claim.
func (h *Handler) MemberClaimDraft(c *fiber.Ctx) error {
	v, d, done, err := h.openClaimDraft(c)
	if done || err != nil {
		return err
	}
	return h.renderClaimForm(c, fiber.StatusOK, v, d.Form, d.ID, nil)
}

// MemberClaimReview shows the checked claim before it is submitted, with a warning
// when a claim of the same member, date, code and charge is already on file.
func (h *Handler) MemberClaimReview(c *fiber.Ctx) error {
	v, d, done, err := h.openClaimDraft(c)
	if done || err != nil {
		return err
	}
	return h.renderReview(c, fiber.StatusOK, v, d, "")
}

func (h *Handler) renderReview(c *fiber.Ctx, status int, v *memberView, d *models.ClaimDraft, problem string) error {
	cc, err := h.claimContext(c, &v.M.Member)
	if err != nil {
		return err
	}
	vc, fe := d.Form.Validate(cc)
	if len(fe) > 0 {
		return h.renderClaimForm(c, fiber.StatusUnprocessableEntity, v, d.Form, d.ID, fe)
	}
	dups, err := h.st.Members.ClaimDuplicates(c.UserContext(), currentUser(c).AccountID, v.M.PK, vc)
	if err != nil {
		return err
	}
	return h.render(c, status, "pages/claims/new_review", "Review the claim · "+v.M.FirstName+" "+v.M.LastName,
		fiber.Map{"V": v, "D": d, "VC": vc, "TIN": cc.TINs[vc.TINID].TIN, "Dups": dups, "Problem": problem,
			"Letters": strings.Split("ABCDEFGHIJKL", "")})
}

// MemberClaimSubmit submits a reviewed draft: it is checked again, a possible duplicate
// must be confirmed, and the claim is written as received with its claim number.
func (h *Handler) MemberClaimSubmit(c *fiber.Ctx) error {
	v, d, done, err := h.openClaimDraft(c)
	if done || err != nil {
		return err
	}
	cc, err := h.claimContext(c, &v.M.Member)
	if err != nil {
		return err
	}
	vc, fe := d.Form.Validate(cc)
	if len(fe) > 0 {
		return h.renderClaimForm(c, fiber.StatusUnprocessableEntity, v, d.Form, d.ID, fe)
	}
	ms := h.st.Members
	dups, err := ms.ClaimDuplicates(c.UserContext(), currentUser(c).AccountID, v.M.PK, vc)
	if err != nil {
		return err
	}
	if len(dups) > 0 && c.FormValue("confirm_duplicate") != "yes" {
		return h.renderReview(c, fiber.StatusUnprocessableEntity, v, d, "This looks like a duplicate. Tick the box to confirm that it is a separate service, or go back and change it.")
	}
	no, err := ms.SubmitClaim(c.UserContext(), currentUser(c), &v.M.Member, d, vc, h.planToday(), h.actor(c).Stamp(models.AuditEntry{}))
	if err != nil {
		return err
	}
	h.flash(c, "success", "Claim "+no+" was received. It is listed under Claims with the status Received.")
	return c.Redirect("/claims/"+no, fiber.StatusSeeOther)
}

func init() {
	// Recent Activity words for the claims and payments actions.
	for action, words := range map[string]string{
		"claim.submit":         "Submitted a claim online",
		"claim.draft.save":     "Saved a claim draft",
		"claim.view":           "Opened a claim",
		"claim.dispute":        "Disputed a claim",
		"claim.info.answer":    "Sent information the plan asked for on a claim",
		"claims.export":        "Downloaded claims (CSV)",
		"payments.view":        "Opened payment history",
		"payments.export":      "Downloaded payment history (CSV)",
		"eop.view":             "Opened an explanation of payment",
		"eop.export":           "Downloaded an explanation of payment (CSV)",
		"disputes.view":        "Opened the list of disputes",
		"claim.new.lookup":     "Looked up a member for a new claim",
		"claim.dispute.decide": "The plan answered a dispute",
	} {
		activityWords[action] = words
	}
	// The action-required bar counts online claims saved as drafts and not submitted.
	addActionCounter(func(h *Handler, c *fiber.Ctx, u *models.User) (ActionItem, error) {
		if u.IsPlanStaff() || !u.Can(models.PermClaims) {
			return ActionItem{}, nil
		}
		n, err := h.st.Members.ClaimDraftCount(c.UserContext(), u.AccountID)
		text := "claim drafts not submitted"
		if n == 1 {
			text = "claim draft not submitted"
		}
		return ActionItem{n, text, "/claims/new"}, err
	})
}

package handlers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

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
	var f clearinghouseForm
	// The plan type only chooses which line the page points to; anything else points
	// to none, so nothing is refused.
	_ = h.bindForm(c, &f)
	if !models.ValidPlanType(f.Plan) {
		f.Plan = ""
	}
	return h.render(c, fiber.StatusOK, "pages/claims/clearinghouse", "Submitting claims through a clearinghouse", &clearinghouseView{PayerIDs: payerIDs, Plan: f.Plan})
}

// clearinghouseForm is the link to the clearinghouse page: the member's plan type, when
// a member's "Create a New Claim" led there.
type clearinghouseForm struct {
	Plan string `query:"plan"`
}

// clearinghouseView is the data of pages/claims/clearinghouse: the payer IDs and the
// plan type of the member the office came from ("" when none).
type clearinghouseView struct {
	View
	PayerIDs []PayerID
	Plan     string
}

// claimStartView is the data of pages/claims/new_start: the member look-up as typed,
// its messages, and the account's drafts not yet submitted.
type claimStartView struct {
	View
	F      *models.ClaimStartForm
	Errors models.FieldErrors
	Drafts []*models.ClaimDraft
}

// ClaimNewStart is "New claim" from the claims area: find the member (ID and date of
// birth, POSTed), and the account's drafts not yet submitted.
func (h *Handler) ClaimNewStart(c *fiber.Ctx) error {
	return h.renderClaimStart(c, fiber.StatusOK, &models.ClaimStartForm{}, nil)
}

func (h *Handler) renderClaimStart(c *fiber.Ctx, status int, f *models.ClaimStartForm, fe models.FieldErrors) error {
	drafts, err := h.st.Members.AccountClaimDrafts(c.UserContext(), currentUser(c).AccountID, 50)
	if err != nil {
		return err
	}
	return h.render(c, status, "pages/claims/new_start", "New claim", &claimStartView{F: f, Errors: fe, Drafts: drafts})
}

// ClaimNewLookup finds the member for a new claim: an IFP member with a care
// relationship goes to the claim form in the member record; any other plan type gets
// the clearinghouse explanation.
func (h *Handler) ClaimNewLookup(c *fiber.Ctx) error {
	u := currentUser(c)
	f := &models.ClaimStartForm{}
	if fe := h.bindForm(c, f); fe != nil {
		f.Clip()
		return h.renderClaimStart(c, fiber.StatusUnprocessableEntity, f, fe)
	}
	dob := f.BirthDate()
	fe := models.FieldErrors{}
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

// claimFormPageView is the data of the claim form page (pages/claims/new_form): the
// member, the form as typed with its messages, and the choices it offers.
type claimFormPageView struct {
	View
	V       *memberView
	CF      *claimFormView
	Errors  models.FieldErrors
	POS     []struct{ Code, Label string }
	Letters []string
}

// claimLetters name the twelve diagnoses, as the CMS-1500 does.
var claimLetters = strings.Split("ABCDEFGHIJKL", "")

func (h *Handler) claimFormData(c *fiber.Ctx, v *memberView, f models.ClaimForm, draftID int64, fe models.FieldErrors) (*claimFormPageView, error) {
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
	return &claimFormPageView{V: v, CF: view, Errors: fe, POS: models.PlacesOfService, Letters: claimLetters}, nil
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

// claimFormInput is the professional claim form as posted. Like the CMS-1500 it has
// twelve diagnoses and six lines, each input named by its place (dx1…dx12,
// l1_from…l6_pa), so the struct lists them one by one; claimForm gathers them into the
// model's form. The rules are
// models.ClaimForm.Validate's, which need the member and the account (ClaimContext).
type claimFormInput struct {
	TINID          string `form:"tin_id"`
	BillingNPI     string `form:"billing_npi"`
	RenderingNPI   string `form:"rendering_npi"`
	PlaceOfService string `form:"pos"`
	// The diagnoses, A to L.
	DX1  string `form:"dx1"`
	DX2  string `form:"dx2"`
	DX3  string `form:"dx3"`
	DX4  string `form:"dx4"`
	DX5  string `form:"dx5"`
	DX6  string `form:"dx6"`
	DX7  string `form:"dx7"`
	DX8  string `form:"dx8"`
	DX9  string `form:"dx9"`
	DX10 string `form:"dx10"`
	DX11 string `form:"dx11"`
	DX12 string `form:"dx12"`
	// The service lines, 1 to 6: dates, procedure, modifiers, units, charge, diagnosis
	// pointers and prior authorization number.
	L1From   string `form:"l1_from"`
	L1To     string `form:"l1_to"`
	L1Code   string `form:"l1_code"`
	L1Mods   string `form:"l1_mods"`
	L1Units  string `form:"l1_units"`
	L1Charge string `form:"l1_charge"`
	L1Ptr    string `form:"l1_ptr"`
	L1PA     string `form:"l1_pa"`
	L2From   string `form:"l2_from"`
	L2To     string `form:"l2_to"`
	L2Code   string `form:"l2_code"`
	L2Mods   string `form:"l2_mods"`
	L2Units  string `form:"l2_units"`
	L2Charge string `form:"l2_charge"`
	L2Ptr    string `form:"l2_ptr"`
	L2PA     string `form:"l2_pa"`
	L3From   string `form:"l3_from"`
	L3To     string `form:"l3_to"`
	L3Code   string `form:"l3_code"`
	L3Mods   string `form:"l3_mods"`
	L3Units  string `form:"l3_units"`
	L3Charge string `form:"l3_charge"`
	L3Ptr    string `form:"l3_ptr"`
	L3PA     string `form:"l3_pa"`
	L4From   string `form:"l4_from"`
	L4To     string `form:"l4_to"`
	L4Code   string `form:"l4_code"`
	L4Mods   string `form:"l4_mods"`
	L4Units  string `form:"l4_units"`
	L4Charge string `form:"l4_charge"`
	L4Ptr    string `form:"l4_ptr"`
	L4PA     string `form:"l4_pa"`
	L5From   string `form:"l5_from"`
	L5To     string `form:"l5_to"`
	L5Code   string `form:"l5_code"`
	L5Mods   string `form:"l5_mods"`
	L5Units  string `form:"l5_units"`
	L5Charge string `form:"l5_charge"`
	L5Ptr    string `form:"l5_ptr"`
	L5PA     string `form:"l5_pa"`
	L6From   string `form:"l6_from"`
	L6To     string `form:"l6_to"`
	L6Code   string `form:"l6_code"`
	L6Mods   string `form:"l6_mods"`
	L6Units  string `form:"l6_units"`
	L6Charge string `form:"l6_charge"`
	L6Ptr    string `form:"l6_ptr"`
	L6PA     string `form:"l6_pa"`
	// Action is "review" when the office asks to check the claim, else a draft save.
	Action string `form:"action"`
}

// claimForm is the posted form as the model reads it.
func (in *claimFormInput) claimForm() models.ClaimForm {
	return models.ClaimForm{TINID: in.TINID, BillingNPI: in.BillingNPI, RenderingNPI: in.RenderingNPI, PlaceOfService: in.PlaceOfService,
		Diagnoses: []string{in.DX1, in.DX2, in.DX3, in.DX4, in.DX5, in.DX6, in.DX7, in.DX8, in.DX9, in.DX10, in.DX11, in.DX12},
		Lines: []models.ClaimFormLine{
			{From: in.L1From, To: in.L1To, Code: in.L1Code, Modifiers: in.L1Mods, Units: in.L1Units, Charge: in.L1Charge, Pointers: in.L1Ptr, PriorAuth: in.L1PA},
			{From: in.L2From, To: in.L2To, Code: in.L2Code, Modifiers: in.L2Mods, Units: in.L2Units, Charge: in.L2Charge, Pointers: in.L2Ptr, PriorAuth: in.L2PA},
			{From: in.L3From, To: in.L3To, Code: in.L3Code, Modifiers: in.L3Mods, Units: in.L3Units, Charge: in.L3Charge, Pointers: in.L3Ptr, PriorAuth: in.L3PA},
			{From: in.L4From, To: in.L4To, Code: in.L4Code, Modifiers: in.L4Mods, Units: in.L4Units, Charge: in.L4Charge, Pointers: in.L4Ptr, PriorAuth: in.L4PA},
			{From: in.L5From, To: in.L5To, Code: in.L5Code, Modifiers: in.L5Mods, Units: in.L5Units, Charge: in.L5Charge, Pointers: in.L5Ptr, PriorAuth: in.L5PA},
			{From: in.L6From, To: in.L6To, Code: in.L6Code, Modifiers: in.L6Mods, Units: in.L6Units, Charge: in.L6Charge, Pointers: in.L6Ptr, PriorAuth: in.L6PA},
		},
	}
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
	var in claimFormInput
	if fe := h.bindForm(c, &in); fe != nil {
		// Only a body that cannot be read at all comes here: nothing is saved.
		return h.renderClaimForm(c, fiber.StatusUnprocessableEntity, v, models.ClaimForm{}, draftID, models.FieldErrors{"tin_id": fe["form"]})
	}
	f := in.claimForm()
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
	if in.Action != "review" {
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
		&claimReviewView{V: v, D: d, VC: vc, TIN: cc.TINs[vc.TINID].TIN, Dups: dups, Problem: problem, Letters: claimLetters})
}

// claimReviewView is the data of the review step (pages/claims/new_review): the draft,
// the claim as checked, the billing TIN, possible duplicates, and what stopped the
// submission, if anything.
type claimReviewView struct {
	View
	V       *memberView
	D       *models.ClaimDraft
	VC      *models.ValidClaim
	TIN     models.TIN
	Dups    []models.Duplicate
	Problem string
	Letters []string
}

// claimSubmitForm is the review step's submission: the box that confirms a possible
// duplicate is a separate service.
type claimSubmitForm struct {
	ConfirmDuplicate string `form:"confirm_duplicate"`
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
	var sf claimSubmitForm
	// An unreadable body confirms nothing: the duplicate question is asked again.
	_ = h.bindForm(c, &sf)
	if len(dups) > 0 && sf.ConfirmDuplicate != "yes" {
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

package handlers

import (
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// memberView is what every member record page gets.
type memberView struct {
	M       *models.Eligibility
	Menu    []models.MemberSection
	Current string
	// Confidential is the member's confidential-communication request in force (the
	// banner above the content), nil when none.
	Confidential *models.ConfidentialRequest
	// MinorConsent lists the sensitive services a minor member may consent to alone.
	MinorConsent []string
}

// memberAccess is the one gate of every /members/{memberID} route: it loads the member
// and applies the care-relationship rule (models.Members.CareRelationship). Without a
// relationship — or for a member ID that does not exist, which looks the same — it
// renders the no-relationship page and reports handled. Every view and every refusal
// is audited.
func (h *Handler) memberAccess(c *fiber.Ctx, section string) (*memberView, bool, error) {
	u := currentUser(c)
	if _, err := h.ensureContext(c, u); err != nil {
		return nil, false, err
	}
	id := models.NormalizeMemberID(utils.CopyString(c.Params("memberID")))
	e, err := h.st.Members.OpenRecord(c.UserContext(), u, id, section)
	if errors.Is(err, models.ErrNoCareRelationship) {
		entry := models.AuditEntry{Action: "member.view.denied", ObjectType: "member", Detail: "no care relationship"}
		if e != nil {
			entry.MemberID, entry.ObjectID = e.MemberID, e.MemberID
		}
		h.audit(c, entry)
		return nil, true, h.renderNoRelationship(c)
	}
	if err != nil {
		return nil, false, err
	}
	h.audit(c, models.AuditEntry{Action: "member.view", ObjectType: "member", ObjectID: e.MemberID, MemberID: e.MemberID, Detail: "section=" + sectionName(section)})
	cc, err := h.st.Privacy.ActiveRequest(c.UserContext(), e.PK)
	if err != nil {
		return nil, false, err
	}
	return &memberView{M: e, Menu: models.Menu(u, e), Current: section, Confidential: cc,
		MinorConsent: models.MinorConsent(e.DOB, h.today())}, false, nil
}

func sectionName(s string) string {
	if s == "" {
		return "overview"
	}
	return s
}

// renderNoRelationship is the page every member route shows without a care relationship
// (or for a member ID that does not exist, which looks the same). It has no data.
func (h *Handler) renderNoRelationship(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusForbidden, "pages/members/norel", "No care relationship on file", &View{})
}

// memberPageView is the part of every member record page's data that the record's frame
// (partials/members/record_open) reads: .V, the member, the menu and the banners. Each
// section's data embeds it.
type memberPageView struct {
	View
	V *memberView
}

func (m *memberPageView) member() *memberPageView { return m }

// memberPage is a member record page's data: any struct embedding memberPageView.
type memberPage interface {
	viewData
	member() *memberPageView
}

// renderMember renders a member record page with its menu.
func (h *Handler) renderMember(c *fiber.Ctx, page, title string, v *memberView, data memberPage) error {
	data.member().V = v
	return h.render(c, fiber.StatusOK, "pages/members/"+page, title+" · "+memberName(v.M.FirstName, v.M.LastName, v.M.Suffix), data)
}

// MemberOverview is the member record's first page: status, plan, dates, PCP, PPG and
// the main copays.
func (h *Handler) MemberOverview(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "")
	if done || err != nil {
		return err
	}
	return h.renderMember(c, "overview", "Overview", v, &memberPageView{})
}

// memberBenefitsView is the data of the Schedule of Benefits (pages/members/benefits).
type memberBenefitsView struct {
	memberPageView
	Benefits []models.Benefit
}

// MemberBenefits is the Schedule of Benefits of the member's plan.
func (h *Handler) MemberBenefits(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "benefits")
	if done || err != nil {
		return err
	}
	b, err := h.st.Members.Benefits(c.UserContext(), v.M.PlanID)
	if err != nil {
		return err
	}
	return h.renderMember(c, "benefits", "Schedule of Benefits", v, &memberBenefitsView{Benefits: b})
}

// memberCostShareView is the data of Cost Sharing (pages/members/costshare): the plan
// year's figures and the two meters (deductible, out-of-pocket maximum), each
// individual and family.
type memberCostShareView struct {
	memberPageView
	CS     *models.CostShare
	Meters [][2]models.Accumulator
}

// MemberCostSharing shows the deductible and out-of-pocket maximum, met and remaining,
// individual and family, from the plan year's claims.
func (h *Handler) MemberCostSharing(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "cost-sharing")
	if done || err != nil {
		return err
	}
	cs, err := h.st.Members.CostShare(c.UserContext(), v.M)
	if err != nil {
		return err
	}
	return h.renderMember(c, "costshare", "Cost Sharing", v, &memberCostShareView{CS: cs,
		Meters: [][2]models.Accumulator{{cs.DeductibleInd, cs.DeductibleFam}, {cs.OOPInd, cs.OOPFam}}})
}

// memberClaimsView is the data of the record's Claims section (pages/members/claims):
// the account's claims for the member and which of them are sensitive services.
type memberClaimsView struct {
	memberPageView
	Claims    []models.ClaimSummary
	Sensitive map[string]string
}

// MemberClaims lists the member's claims from the account's own TINs only.
func (h *Handler) MemberClaims(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "claims")
	if done || err != nil {
		return err
	}
	claims, err := h.st.Members.MemberClaims(c.UserContext(), currentUser(c).AccountID, v.M.PK)
	if err != nil {
		return err
	}
	sensitive, err := h.st.Privacy.SensitiveClaims(c.UserContext(), v.M.PK)
	if err != nil {
		return err
	}
	return h.renderMember(c, "claims", "Claims", v, &memberClaimsView{Claims: claims, Sensitive: sensitive})
}

// memberPharmacyView is the data of the record's Pharmacy section
// (pages/members/pharmacy): the drug list of the member's plan type and its version in
// force (nil when none is published).
type memberPharmacyView struct {
	memberPageView
	MediCal   bool
	List      string
	ListLabel string
	Version   *models.FormularyVersion
}

// MemberPharmacy shows the drug list of the member's plan type: the plan's preferred
// drug list (Commercial, Medicare/DSNP) with a search preset to it, or, for Medi-Cal,
// the state's Medi-Cal Rx contract drug list as a download and a printable page.
func (h *Handler) MemberPharmacy(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "pharmacy")
	if done || err != nil {
		return err
	}
	list := models.DrugListFor(v.M.PlanType)
	ver, err := h.st.Formulary.Current(c.UserContext(), list, h.rxToday())
	if err != nil && !isNotFound(err) {
		return err
	}
	data := &memberPharmacyView{MediCal: list == models.DrugListMediCalCDL, List: list, ListLabel: models.DrugListLabel(list), Version: ver}
	return h.renderMember(c, "pharmacy", "Pharmacy", v, data)
}

// MemberPharmacyCDL downloads the Medi-Cal Rx contract drug list (Medi-Cal members).
func (h *Handler) MemberPharmacyCDL(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "pharmacy")
	if done || err != nil {
		return err
	}
	if v.M.PlanType != models.PlanMediCal {
		return models.ErrNotFound
	}
	fs := h.st.Formulary
	ver, err := fs.Current(c.UserContext(), models.DrugListMediCalCDL, h.rxToday())
	if err != nil {
		return err
	}
	page, err := fs.Search(c.UserContext(), models.DrugQuery{VersionID: ver.ID, List: models.DrugListMediCalCDL, Today: h.today()})
	if err != nil {
		return err
	}
	return h.sendDrugCSV(c, models.DrugListMediCalCDL, ver, page.Drugs)
}

// MemberAuthorizationsSection is the member record's Authorizations section: the
// member's requests and "Create a new authorization".
func (h *Handler) MemberAuthorizationsSection(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "authorizations")
	if done || err != nil {
		return err
	}
	return h.MemberAuthorizations(c, v)
}

// eligibilityAccess is the gate of the eligibility-level member pages (the printable
// result and the ID card): an exact look-up of the member in this session is enough,
// otherwise the care relationship is needed, as for the rest of the record. Refusals
// show the no-relationship page and are audited; views are audited.
func (h *Handler) eligibilityAccess(c *fiber.Ctx, what string) (*models.Eligibility, bool, error) {
	u := currentUser(c)
	ctx := c.UserContext()
	ms := h.st.Members
	e, err := ms.EligibilityByMemberID(ctx, utils.CopyString(c.Params("memberID")))
	if err != nil && !isNotFound(err) {
		return nil, false, err
	}
	ok := false
	if e != nil {
		if ok, err = ms.CheckedInSession(ctx, currentSession(c).TokenHash, e.PK); err != nil {
			return nil, false, err
		}
		if !ok {
			if ok, err = ms.CareRelationship(ctx, u.AccountID, &e.Member); err != nil {
				return nil, false, err
			}
		}
	}
	if !ok {
		entry := models.AuditEntry{Action: "member.view.denied", ObjectType: "member", Detail: what + "; no look-up or care relationship"}
		if e != nil {
			entry.MemberID, entry.ObjectID = e.MemberID, e.MemberID
		}
		h.audit(c, entry)
		return nil, true, h.renderNoRelationship(c)
	}
	h.audit(c, models.AuditEntry{Action: "member.view", ObjectType: "member", ObjectID: e.MemberID, MemberID: e.MemberID, Detail: "section=" + what})
	return e, false, nil
}

// memberCardView is the data of the printable ID card (pages/members/card): the member,
// the card's facts, where "Back" goes, and the date printed.
type memberCardView struct {
	View
	M     *models.Eligibility
	Card  *models.IDCard
	Back  string
	Today string
}

// MemberCard is the printable member ID card.
func (h *Handler) MemberCard(c *fiber.Ctx) error {
	e, done, err := h.eligibilityAccess(c, "card")
	if done || err != nil {
		return err
	}
	card, err := h.st.Members.CardFor(c.UserContext(), e, h.opts.PlanName)
	if err != nil {
		return err
	}
	// "Back" returns to the page the user came from (a page of this site), else the record.
	back := "/members/" + e.MemberID
	if ref, err := url.Parse(c.Get(fiber.HeaderReferer)); err == nil && (ref.Host == "" || ref.Host == c.Hostname()) {
		if b := localBack(ref.RequestURI()); b != "" && b != c.OriginalURL() {
			back = b
		}
	}
	return h.render(c, fiber.StatusOK, "pages/members/card", "Member ID card · "+memberName(e.FirstName, e.LastName, e.Suffix), &memberCardView{M: e, Card: card, Back: back, Today: h.today()})
}

// memberPrintView is the data of an eligibility result's print view
// (pages/members/print): the member and the date printed.
type memberPrintView struct {
	View
	M     *models.Eligibility
	Today string
}

// MemberPrint is the print view of an eligibility result: the plan, the member and the
// date at the top, the result alone below.
func (h *Handler) MemberPrint(c *fiber.Ctx) error {
	e, done, err := h.eligibilityAccess(c, "print")
	if done || err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/members/print", "Eligibility result", &memberPrintView{M: e, Today: h.today()})
}

// memberName is a member's name as the plan prints it, with the suffix (Jr., III).
func memberName(first, last, suffix string) string {
	n := first + " " + last
	if suffix != "" {
		n += " " + suffix
	}
	return n
}

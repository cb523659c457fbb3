package handlers

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// referralsView is the data of pages/clinical/referrals: the office's referrals for the
// member and the new-referral form as typed.
type referralsView struct {
	View
	V         *memberView
	List      []*models.Referral
	F         *models.ReferralInput
	Errors    models.FieldErrors
	Reasons   []models.Choice
	Urgencies []models.Choice
	MMLine    *models.MedicalManagementContact
	Types     string
	MaxNotes  int
}

// ReferralList is the Referrals section: the office's referrals for the member with
// status, case manager and answer, and the form for a new one.
func (h *Handler) ReferralList(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "referrals")
	if done || err != nil {
		return err
	}
	u := currentUser(c)
	return h.renderReferrals(c, fiber.StatusOK, v, &models.ReferralInput{Urgency: "routine", ContactName: u.Name, ContactPhone: u.Phone}, nil)
}

func (h *Handler) renderReferrals(c *fiber.Ctx, status int, v *memberView, f *models.ReferralInput, errs models.FieldErrors) error {
	list, err := h.st.Referrals.ForMember(c.UserContext(), v.M.PK, currentUser(c).AccountID)
	if err != nil {
		return err
	}
	return h.render(c, status, "pages/clinical/referrals", "Referrals · "+v.M.FirstName+" "+v.M.LastName, &referralsView{
		V: v, List: list, F: f, Errors: errs, Reasons: models.ReferralReasons, Urgencies: models.ReferralUrgencies,
		MMLine: models.MedicalContactFor(v.M.PlanType, v.M.Product), Types: models.AttachmentTypesText, MaxNotes: models.MaxNotes})
}

// ReferralSubmit files a care management referral (multipart, with attachments checked
// by messaging's upload rules). Bad input comes back with messages and everything typed;
// files refused must be chosen again, as in messaging.
func (h *Handler) ReferralSubmit(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "referrals")
	if done || err != nil {
		return err
	}
	var in models.ReferralInput
	errs := h.bindForm(c, &in)
	files, problem := readMessageUploads(c)
	in.Files = files
	if problem != "" {
		if errs == nil {
			errs = models.FieldErrors{}
		}
		errs["attachments"] = problem
	}
	if errs != nil {
		return h.renderReferrals(c, fiber.StatusUnprocessableEntity, v, &in, errs)
	}
	r, err := h.st.Referrals.Create(c.UserContext(), v.M.PK, currentUser(c), in, h.auditBase(c, memberAudit(v)))
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return h.renderReferrals(c, fiber.StatusUnprocessableEntity, v, &in, fe)
	}
	if err != nil {
		return err
	}
	h.flash(c, "success", "Referral "+r.RefNo+" was sent to the case managers.")
	return c.Redirect("/members/"+v.M.MemberID+"/referrals", fiber.StatusSeeOther)
}

// ReferralAttachment downloads an attachment of one of the office's own referrals.
func (h *Handler) ReferralAttachment(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "referrals")
	if done || err != nil {
		return err
	}
	rid, err := clinicalID(c, "rid")
	if err != nil {
		return err
	}
	r, err := h.st.Referrals.Get(c.UserContext(), rid)
	if err != nil {
		return err
	}
	if r.MemberPK != v.M.PK || r.AccountID != currentUser(c).AccountID {
		return models.ErrNotFound
	}
	return h.sendReferralAttachment(c, r)
}

// sendReferralAttachment sends attachment :aid of referral r (whose access the caller
// checked), audited.
func (h *Handler) sendReferralAttachment(c *fiber.Ctx, r *models.Referral) error {
	aid, err := clinicalID(c, "aid")
	if err != nil {
		return err
	}
	a, err := h.st.Referrals.Attachment(c.UserContext(), r.ID, aid)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "referral.attachment_download", ObjectType: "referral", ObjectID: r.RefNo, MemberID: r.MemberID, Detail: fmt.Sprint("attachment=", a.ID)})
	return h.sendFile(c, a.Name, a.MIME, a.Data)
}

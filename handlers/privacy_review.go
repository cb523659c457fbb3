package handlers

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// PrivacyReview is the privacy officer's review queue: corrected categories waiting for
// a second look, with the form that corrects a record's category.
func (h *Handler) PrivacyReview(c *fiber.Ctx) error {
	return h.renderPrivacyReview(c, fiber.StatusOK, &models.CorrectionInput{}, nil)
}

// privacyReviewView is the data of pages/privacy/review: emergency accesses and
// corrected categories to review, the correction form as typed and the access length.
type privacyReviewView struct {
	View
	Emergencies    []*models.EmergencyAccess
	EmergencyTotal int
	Minutes        int
	Corrections    []*models.Correction
	Total          int
	Form           *models.CorrectionInput
	Errors         models.FieldErrors
	Categories     []string
	Kinds          []string
}

func (h *Handler) renderPrivacyReview(c *fiber.Ctx, status int, form *models.CorrectionInput, errs models.FieldErrors) error {
	list, total, err := h.st.Privacy.OpenCorrections(c.UserContext())
	if err != nil {
		return err
	}
	eas, eaTotal, err := h.st.Privacy.OpenEmergencies(c.UserContext())
	if err != nil {
		return err
	}
	return h.render(c, status, "pages/privacy/review", "Privacy review queue", &privacyReviewView{
		Emergencies: eas, EmergencyTotal: eaTotal, Minutes: h.st.Privacy.EmergencyMinutes(c.UserContext()),
		Corrections: list, Total: total, Form: form, Errors: errs, Categories: models.SensitiveCategories, Kinds: []string{"claim", "visit", "authorization", "referral", "care_plan"},
	})
}

// PrivacyCorrect corrects the category of a claim, visit, authorization, referral or
// care plan (by its record number), with a reason; audited, and queued for review.
func (h *Handler) PrivacyCorrect(c *fiber.Ctx) error {
	var f models.CorrectionInput
	if errs := h.bindForm(c, &f); errs != nil {
		return h.renderPrivacyReview(c, fiber.StatusUnprocessableEntity, &f, errs)
	}
	_, err := h.st.Privacy.Correct(c.UserContext(), actorOf(c, currentUser(c)), &f)
	switch {
	case errors.Is(err, models.ErrNotFound), errors.Is(err, models.ErrInvalid):
		return h.renderPrivacyReview(c, fiber.StatusUnprocessableEntity, &f, models.FieldErrors{"co-id": "No record of this kind has this number."})
	case err != nil:
		return err
	}
	h.flash(c, "success", "The category is corrected.")
	return c.Redirect("/privacy/review", fiber.StatusSeeOther)
}

// PrivacyReviewDone marks a correction reviewed.
func (h *Handler) PrivacyReviewDone(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	err := h.st.Privacy.ReviewCorrection(c.UserContext(), actorOf(c, currentUser(c)), id)
	if errors.Is(err, models.ErrConflict) {
		return models.ErrNotFound
	}
	if err != nil {
		return err
	}
	h.flash(c, "success", "Marked as reviewed.")
	return c.Redirect("/privacy/review", fiber.StatusSeeOther)
}

// eobView is the data of pages/privacy/eob.
type eobView struct {
	View
	EOB *models.EOB
}

// PrivacyEOB is the explanation of benefits addressed to a member for the plan year to
// date, as the plan sends it: a subscriber's covers the household, with every item the
// disclosure rule (models.Withhold) withholds left out. Printable.
func (h *Handler) PrivacyEOB(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := h.st.Members.EligibilityByMemberID(ctx, utils.CopyString(c.Params("memberID")))
	if err != nil {
		return err
	}
	today := h.today()
	t, _ := time.Parse(models.DateFormat, today)
	from := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC).Format(models.DateFormat)
	eob, err := h.st.Privacy.ExplanationOfBenefits(ctx, e, from, today)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "privacy.eob", ObjectType: "member", ObjectID: e.MemberID, MemberID: e.MemberID})
	return h.render(c, fiber.StatusOK, "pages/privacy/eob", "Explanation of benefits", &eobView{EOB: eob})
}

package handlers

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// emergencyKey is the Locals key of the emergency access a request runs under; render
// shows the banner while it is set.
const emergencyKey = "privacy.emergency"

func init() {
	activityWords["privacy.emergency.start"] = "Started emergency access to a member record"
	activityWords["privacy.emergency.review"] = "Reviewed an emergency access"
	addStaffQueue(models.RolePrivacy, func(h *Handler, c *fiber.Ctx, u *models.User) ([]StaffQueue, error) {
		_, n, err := h.st.Privacy.OpenEmergencies(c.UserContext())
		return []StaffQueue{{Count: n, Text: "emergency accesses to review", Href: "/privacy/review", Alert: n > 0}}, err
	})
}

// errEmergencyNeeded ends a care-management request for a member outside the case
// manager's scope: careScope has already answered with the emergency-access form.
var errEmergencyNeeded = errors.New("emergency access needed")

// careScope is the case manager's scope rule (models.Privacy.InCareScope): a member
// in care management is open; anyone else only under an emergency access in force,
// which the banner then shows on every page. Without one it answers 403 with the form
// that states a reason.
func (h *Handler) careScope(c *fiber.Ctx, e *models.Eligibility) error {
	ps := h.st.Privacy
	ok, err := ps.InCareScope(c.UserContext(), e.PK)
	if err != nil || ok {
		return err
	}
	ea, err := ps.ActiveEmergency(c.UserContext(), currentUser(c).ID, e.PK)
	if err != nil {
		return err
	}
	if ea != nil {
		c.Locals(emergencyKey, ea)
		return nil
	}
	h.audit(c, models.AuditEntry{Action: "member.view.denied", ObjectType: "member", ObjectID: e.MemberID, MemberID: e.MemberID, Detail: "outside care scope"})
	if err := h.renderEmergencyForm(c, fiber.StatusForbidden, e, "", nil); err != nil {
		return err
	}
	return errEmergencyNeeded
}

// emergencyDetail marks the audit detail of a view made under emergency access.
func emergencyDetail(c *fiber.Ctx) string {
	if ea, ok := c.Locals(emergencyKey).(*models.EmergencyAccess); ok {
		return "; emergency access " + strconv.FormatInt(ea.ID, 10)
	}
	return ""
}

// emergencyView is the data of pages/privacy/emergency: the member outside the case
// manager's scope, the reason as typed and how long an access lasts.
type emergencyView struct {
	View
	M       *models.Eligibility
	Reason  string
	Errors  models.FieldErrors
	Minutes int
}

func (h *Handler) renderEmergencyForm(c *fiber.Ctx, status int, e *models.Eligibility, reason string, errs models.FieldErrors) error {
	return h.render(c, status, "pages/privacy/emergency", "Emergency access", &emergencyView{
		M: e, Reason: reason, Errors: errs, Minutes: h.st.Privacy.EmergencyMinutes(c.UserContext()),
	})
}

// emergencyForm is the reason a case manager states for emergency access; that one is
// given, and its length, are the model's rules (models.Privacy.StartEmergency).
type emergencyForm struct {
	Reason string `form:"reason" id:"ea-reason" label:"the reason"`
}

// EmergencyStart grants the case manager time-limited access to a member outside
// their scope, with the reason stated; the access is flagged for the privacy officer.
func (h *Handler) EmergencyStart(c *fiber.Ctx) error {
	e, err := h.st.Members.EligibilityByMemberID(c.UserContext(), utils.CopyString(c.Params("memberID")))
	if err != nil {
		return err
	}
	var f emergencyForm
	errs := h.bindForm(c, &f)
	if errs == nil {
		if _, errs, err = h.st.Privacy.StartEmergency(c.UserContext(), actorOf(c, currentUser(c)), e.PK, e.MemberID, f.Reason); err != nil {
			return err
		}
	}
	if errs != nil {
		return h.renderEmergencyForm(c, fiber.StatusUnprocessableEntity, e, f.Reason, errs)
	}
	return c.Redirect("/care/members/"+e.MemberID, fiber.StatusSeeOther)
}

// PrivacyEmergencyReviewed marks an emergency access reviewed.
func (h *Handler) PrivacyEmergencyReviewed(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	err := h.st.Privacy.ReviewEmergency(c.UserContext(), actorOf(c, currentUser(c)), id)
	if errors.Is(err, models.ErrConflict) {
		return models.ErrNotFound
	}
	if err != nil {
		return err
	}
	h.flash(c, "success", "Marked as reviewed.")
	return c.Redirect("/privacy/review", fiber.StatusSeeOther)
}

// emergencyMinutesMessage answers any length of emergency access the plan does not
// allow (models.Privacy.SetEmergencyMinutes: 5 to 1,440 minutes).
const emergencyMinutesMessage = "Enter a number of minutes from 5 to 1440."

// emergencyMinutesForm is the privacy officer's setting of how long an access lasts.
type emergencyMinutesForm struct {
	Minutes string `form:"emergency_minutes" id:"ea-minutes" label:"the minutes"`
}

// Validate asks for a whole number; its range is the model's rule.
func (f *emergencyMinutesForm) Validate() models.FieldErrors {
	if _, err := strconv.Atoi(f.Minutes); err != nil {
		return models.FieldErrors{"ea-minutes": emergencyMinutesMessage}
	}
	return nil
}

// PrivacySettings sets how long an emergency access lasts.
func (h *Handler) PrivacySettings(c *fiber.Ctx) error {
	var f emergencyMinutesForm
	if errs := h.bindForm(c, &f); errs != nil {
		return h.renderPrivacyReview(c, fiber.StatusUnprocessableEntity, &models.CorrectionInput{}, errs)
	}
	n, _ := strconv.Atoi(f.Minutes)
	err := h.st.Privacy.SetEmergencyMinutes(c.UserContext(), actorOf(c, currentUser(c)), n)
	if errors.Is(err, models.ErrInvalid) {
		return h.renderPrivacyReview(c, fiber.StatusUnprocessableEntity, &models.CorrectionInput{}, models.FieldErrors{"ea-minutes": emergencyMinutesMessage})
	}
	if err != nil {
		return err
	}
	h.flash(c, "success", "Emergency access now lasts "+strconv.Itoa(n)+" minutes.")
	return c.Redirect("/privacy/review", fiber.StatusSeeOther)
}

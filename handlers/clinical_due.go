package handlers

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// hraDueTTL is how long a due count is reused: the count walks every attributed member
// of the account's TINs under the plan type, and it changes only when an assessment is
// submitted (which clears the cache) or when one turns a year old.
const hraDueTTL = 5 * time.Minute

type hraDueKey struct {
	db       string
	account  int64
	planType string
	today    string // the plan's date: moving the demo clock makes members due at once
}

// invalidateHRADue forgets every cached due count (an assessment was submitted).
func (h *Handler) invalidateHRADue() {
	h.cache.hraDue.Lock()
	h.cache.hraDue.m = map[hraDueKey]pendingCount{}
	h.cache.hraDue.Unlock()
}

// hraDueCounter is the action-required count of members whose health risk assessment
// is due, for users with medical_management, under the plan type of the context bar.
func hraDueCounter(h *Handler, c *fiber.Ctx, u *models.User) (ActionItem, error) {
	if u.IsPlanStaff() || !u.Can(models.PermMedicalManagement) {
		return ActionItem{}, nil
	}
	sess := currentSession(c)
	if sess == nil {
		return ActionItem{}, nil
	}
	k := hraDueKey{h.db.Path, u.AccountID, sess.PlanType, h.db.Today()}
	h.cache.hraDue.Lock()
	pc, ok := h.cache.hraDue.m[k]
	h.cache.hraDue.Unlock()
	if !ok || h.db.Clock.Wall().Sub(pc.at) > hraDueTTL {
		ctx := c.UserContext()
		tins, err := h.st.Members.AccountTINIDs(ctx, u.AccountID)
		if err != nil {
			return ActionItem{}, err
		}
		n, err := h.st.Assessments.DueCount(ctx, tins, sess.PlanType)
		if err != nil {
			return ActionItem{}, err
		}
		pc = pendingCount{n: n, at: h.db.Clock.Wall()}
		h.cache.hraDue.Lock()
		for old, v := range h.cache.hraDue.m { // expired counts go, so the map stays small
			if h.db.Clock.Wall().Sub(v.at) > hraDueTTL {
				delete(h.cache.hraDue.m, old)
			}
		}
		h.cache.hraDue.m[k] = pc
		h.cache.hraDue.Unlock()
	}
	return ActionItem{Count: pc.n, Text: "members due for a health risk assessment", Href: "/assessments/due"}, nil
}

// hraDuePageSize is the rows per page of the due list.
const hraDuePageSize = 50

// AssessmentsDue lists the account's attributed members (under the context bar's plan
// type) who are due for a health risk assessment, by last name, paged.
func (h *Handler) AssessmentsDue(c *fiber.Ctx) error {
	u := currentUser(c)
	sess, err := h.ensureContext(c, u)
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(c.Query("page"))
	if page < 1 || page > 100000 {
		page = 1
	}
	ctx := c.UserContext()
	tins, err := h.st.Members.AccountTINIDs(ctx, u.AccountID)
	if err != nil {
		return err
	}
	as := h.st.Assessments
	required, err := as.Required(ctx, sess.PlanType)
	if err != nil {
		return err
	}
	total, err := as.DueCount(ctx, tins, sess.PlanType)
	if err != nil {
		return err
	}
	list, err := as.DueList(ctx, tins, sess.PlanType, hraDuePageSize, (page-1)*hraDuePageSize)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "assessment.due_list", ObjectType: "assessment", Detail: "plan_type=" + sess.PlanType})
	return h.render(c, fiber.StatusOK, "pages/clinical/due", "Health risk assessments due", fiber.Map{
		"List": list, "Total": total, "Page": page, "Prev": page - 1, "Next": page + 1,
		"HasNext": page*hraDuePageSize < total, "Required": required, "PlanLabel": models.PlanTypeLabel(sess.PlanType)})
}

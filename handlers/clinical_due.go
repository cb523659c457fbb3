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
		tins, err := h.verifiedTINIDs(c, u)
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

// pageForm is the ?page= of a paged list. A page that is missing, not a number or out
// of range shows the first page: a link edited by hand is not worth an error page.
type pageForm struct {
	Page string `query:"page" form:"-"`
}

// number is the page asked for, or 1 when it is not a page number from 1 to max.
func (f pageForm) number(max int) int {
	n, err := strconv.Atoi(f.Page)
	if err != nil || n < 1 || n > max {
		return 1
	}
	return n
}

// readPage takes the page of a list through the form pipeline (a POST has none: 1).
func (h *Handler) readPage(c *fiber.Ctx, max int) int {
	var f pageForm
	h.bindForm(c, &f)
	return f.number(max)
}

// dueView is the data of pages/clinical/due: one page of the members due.
type dueView struct {
	View
	List              []models.DueMember
	Total, Page       int
	Prev, Next        int
	HasNext, Required bool
	PlanLabel         string
}

// AssessmentsDue lists the account's attributed members (under the context bar's plan
// type) who are due for a health risk assessment, by last name, paged.
func (h *Handler) AssessmentsDue(c *fiber.Ctx) error {
	u := currentUser(c)
	sess, err := h.ensureContext(c, u)
	if err != nil {
		return err
	}
	page := h.readPage(c, 100000)
	ctx := c.UserContext()
	tins, err := h.verifiedTINIDs(c, u)
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
	return h.render(c, fiber.StatusOK, "pages/clinical/due", "Health risk assessments due", &dueView{
		List: list, Total: total, Page: page, Prev: page - 1, Next: page + 1,
		HasNext: page*hraDuePageSize < total, Required: required, PlanLabel: models.PlanTypeLabel(sess.PlanType)})
}

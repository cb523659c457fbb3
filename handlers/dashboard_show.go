package handlers

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// ensureContext gives an office session its TIN / plan-type context: a session starts
// empty after sign-in, so it takes the account's first TIN and Commercial, and a TIN
// that no longer belongs to the account is replaced. The choice is persisted.
func (h *Handler) ensureContext(c *fiber.Ctx, u *models.User) (*models.Session, error) {
	sess := currentSession(c)
	if sess == nil || u == nil || u.IsPlanStaff() {
		return sess, nil
	}
	tinID, plan := sess.TINID, sess.PlanType
	if tinID != 0 && models.ValidPlanType(plan) {
		// Set through DashboardContext, which checked that the TIN is the account's.
		return sess, nil
	}
	ctx := c.UserContext()
	tinID, err := h.st.Accounts.ContextTIN(ctx, u.AccountID, tinID)
	if err != nil {
		return nil, err
	}
	if !models.ValidPlanType(plan) {
		plan = models.PlanCommercial
	}
	if tinID != sess.TINID || plan != sess.PlanType {
		if err := h.sessions().SetContext(ctx, sess, tinID, plan); err != nil {
			return nil, err
		}
	}
	return sess, nil
}

// contextTINs is what the context bar selects: the chosen TIN, when it is one of the
// account's verified TINs (an unverified TIN has no claims to show), and the plan type.
// Recent Claims, the action-required counts and the claims list follow it.
func (h *Handler) contextTINs(c *fiber.Ctx, u *models.User) ([]int64, string, error) {
	sess, err := h.ensureContext(c, u)
	if err != nil {
		return nil, "", err
	}
	all, err := h.accountTINs(c, u)
	if err != nil {
		return nil, "", err
	}
	for _, t := range models.VerifiedTINIDs(all) {
		if t == sess.TINID {
			return []int64{t}, sess.PlanType, nil
		}
	}
	return nil, sess.PlanType, nil
}

// contextForm is the context bar as posted: one of the account's TINs (by row ID), a
// plan type, and the page the bar was on.
type contextForm struct {
	TIN      string `form:"tin_id"`
	PlanType string `form:"plan_type"`
	Back     string `form:"back"`
	tinID    int64
}

// Validate checks that a TIN and a plan type were chosen; whether the TIN is the
// account's is the model's rule (Accounts.OwnedTIN).
func (f *contextForm) Validate() models.FieldErrors {
	errs := models.FieldErrors{}
	id, err := strconv.ParseInt(f.TIN, 10, 64)
	if err != nil {
		errs["tin_id"] = "Choose one of your account's TINs."
	}
	f.tinID = id
	if !models.ValidPlanType(f.PlanType) {
		errs["plan_type"] = "Choose a plan type: Commercial, Medicare/DSNP or Medi-Cal."
	}
	return errs
}

// DashboardContext keeps the TIN and plan type chosen in the context bar for the
// session and goes back to the page the user came from.
func (h *Handler) DashboardContext(c *fiber.Ctx) error {
	u := currentUser(c)
	var f contextForm
	if errs := h.bindForm(c, &f); errs != nil {
		// The bar has no room for messages: the error page says what to choose.
		for _, k := range []string{"tin_id", "plan_type", "form"} {
			if msg := errs[k]; msg != "" {
				return fiber.NewError(fiber.StatusUnprocessableEntity, msg)
			}
		}
	}
	tin, err := h.st.Accounts.OwnedTIN(c.UserContext(), u.AccountID, f.tinID)
	if err != nil {
		return err
	}
	if err := h.sessions().SetContext(c.UserContext(), currentSession(c), f.tinID, f.PlanType); err != nil {
		return err
	}
	h.flash(c, "info", "Now viewing TIN "+tin.Display()+", plan type "+models.PlanTypeLabel(f.PlanType)+".")
	return c.Redirect(backPath(c, f.Back), fiber.StatusSeeOther)
}

// backPath is the page the context bar was on (its hidden "back" field, else the
// Referer's path), when that is a path on this site that is not the bar's own POST;
// otherwise /dashboard. Changing the bar on any page returns to that same page.
func backPath(c *fiber.Ctx, back string) string {
	if b := localBack(back); b != "" {
		return b
	}
	ref, err := url.Parse(c.Get(fiber.HeaderReferer))
	if err != nil || (ref.Host != "" && ref.Host != c.Hostname()) {
		return "/dashboard"
	}
	if b := localBack(ref.RequestURI()); b != "" {
		return b
	}
	return "/dashboard"
}

// localBack keeps back only when it is a path (and query) on this site.
func localBack(back string) string {
	if len(back) > 2000 || !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") {
		return ""
	}
	u, err := url.Parse(back)
	if err != nil || u.Host != "" || u.Scheme != "" || u.Path == "/" || u.Path == "/dashboard/context" || strings.HasPrefix(u.Path, "/login") || u.Path == "/logout" {
		return ""
	}
	return u.RequestURI()
}

// activityWords says what an audit action was, in words, without health information
// (models.ActivityActions are the actions Recent Activity shows).
var activityWords = map[string]string{
	"eligibility.check":          "Checked eligibility",
	"message.send":               "Sent a secure message",
	"paperless.update":           "Updated the Go Paperless enrolment",
	"claims.export":              "Downloaded the claims list",
	"authorization.submit":       "Submitted an authorization request",
	"authorization.answer":       "Answered a request for more information on an authorization",
	"authorization.withdraw":     "Withdrew an authorization request",
	"authorization.draft.create": "Started an authorization request",
	"referral.create":            "Started a referral to care management",
	"referral.submit":            "Sent a referral to care management",
	"assessment.submit":          "Submitted a health risk assessment",
	"user.invite":                "Invited a user",
	"tin.add":                    "Added a TIN",
	"account.update":             "Updated the account details",
}

// auditOnlyWords are actions the audit page tells in words but Recent Activity leaves
// out (page views would flood it).
var auditOnlyWords = map[string]string{
	"member.view":        "Opened a member record",
	"member.view.denied": "Tried to open a member record without a care relationship",
}

// activityActions are the actions Recent Activity shows: those it has words for (areas
// add theirs to activityWords from init), in a fixed order so the statement is reused.
func activityActions() []string {
	out := make([]string, 0, len(activityWords))
	for a := range activityWords {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// activityText is one Recent Activity line: "Checked eligibility for member
// A100000001", "Sent a secure message to Claims". The member is named by the ID on the
// card only (no name, no date of birth).
func activityText(e models.ActivityEntry) string {
	w, ok := activityWords[e.Action]
	if !ok {
		w, ok = auditOnlyWords[e.Action]
	}
	if !ok {
		w = strings.NewReplacer(".", " ", "_", " ").Replace(e.Action)
		if w == "" {
			return "Activity"
		}
		w = strings.ToUpper(w[:1]) + w[1:]
	}
	if e.Department != "" {
		for _, d := range models.MessageDepartments {
			if d.Value == e.Department {
				w += " to " + d.Label
			}
		}
	}
	if e.MemberID != "" {
		w += " for member " + e.MemberID
	}
	return w
}

// Activity is one Recent Activity row.
type Activity struct{ At, Text, Actor string }

// ActionItem is one count of the action-required bar.
type ActionItem struct {
	Count int
	Text  string
	Href  string
}

// actionCounters are the action-required counts of later areas (authorization
// requests needing more information, drafts not submitted ...). An area adds its own
// from init() in its own file, so the bar grows without editing the dashboard; a
// counter returns Count 0 when nothing waits. Counters must be cheap (an indexed count).
var actionCounters []func(h *Handler, c *fiber.Ctx, u *models.User) (ActionItem, error)

// addActionCounter registers an area's action-required count.
func addActionCounter(fn func(h *Handler, c *fiber.Ctx, u *models.User) (ActionItem, error)) {
	actionCounters = append(actionCounters, fn)
}

// pendingKey names a TIN's count of claims waiting for more information, kept a few
// seconds (h.cache.pending): the count walks an index range that grows with the TIN's
// claims, and a busy office reloads the dashboard far more often than it changes.
type pendingKey struct {
	db  string
	tin int64
}

type pendingCount struct {
	n  int
	at time.Time
}

const pendingTTL = 5 * time.Second

func (h *Handler) pendingInfoCount(c *fiber.Ctx, tins []int64, planType string) (int, error) {
	total := 0
	now := h.db.Clock.Wall()
	for _, tin := range tins {
		k := pendingKey{planType, tin}
		pendingCounts := &h.cache.pending
		pendingCounts.Lock()
		pc, ok := pendingCounts.m[k]
		pendingCounts.Unlock()
		if !ok || now.Sub(pc.at) > pendingTTL {
			n, err := h.st.Members.PendingInfoCount(c.UserContext(), []int64{tin}, planType)
			if err != nil {
				return 0, err
			}
			pc = pendingCount{n, now}
			pendingCounts.Lock()
			pendingCounts.m[k] = pc
			pendingCounts.Unlock()
		}
		total += pc.n
	}
	return total, nil
}

// cachedNotices are the plan notices of a plan type, kept a few seconds
// (h.cache.notices): every dashboard shows them and they change a few times a month.
type cachedNotices struct {
	list []models.Notice
	at   time.Time
}

func (h *Handler) dashboardNotices(c *fiber.Ctx, planType string) ([]models.Notice, error) {
	k := planType
	noticeCache := &h.cache.notices
	noticeCache.Lock()
	cn, ok := noticeCache.m[k]
	noticeCache.Unlock()
	if ok && h.db.Clock.Wall().Sub(cn.at) < pendingTTL {
		return cn.list, nil
	}
	list, err := h.st.Notices.Recent(c.UserContext(), planType, 4)
	if err != nil {
		return nil, err
	}
	noticeCache.Lock()
	noticeCache.m[k] = cachedNotices{list, h.db.Clock.Wall()}
	noticeCache.Unlock()
	return list, nil
}

// dashboardView is the data of the office dashboard (pages/dashboard/index) and of its
// Quick Eligibility Check card (partials/members/quick_check), which HTMX swaps alone.
type dashboardView struct {
	View
	PlanLabel     string
	Manager       bool
	Notices       []models.Notice
	Claims        []models.ClaimSummary
	ShowClaims    bool
	Actions       []ActionItem
	Activity      []Activity
	Paperless     *models.PaperlessEnrolment
	PaperlessForm *paperlessView
	Quick         *eligForm
}

// Dashboard is the signed-in home: for office users the quick check, recent claims,
// welcome links, recent activity, the action-required bar, plan notices and Go
// Paperless; plan staff get links to their own areas and no member data.
func (h *Handler) Dashboard(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.IsPlanStaff() {
		return h.StaffDashboard(c, u)
	}
	data, err := h.dashboardData(c, u)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/dashboard/index", "Dashboard", data)
}

// dashboardData gathers what the office dashboard shows, with an empty quick check.
// Every query is indexed and bounded: a handful of rows per TIN, never a scan.
func (h *Handler) dashboardData(c *fiber.Ctx, u *models.User) (*dashboardView, error) {
	sess, err := h.ensureContext(c, u)
	if err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	ms := h.st.Members
	data := &dashboardView{PlanLabel: models.PlanTypeLabel(sess.PlanType), Manager: u.IsManager, Quick: &eligForm{}}
	if data.Notices, err = h.dashboardNotices(c, sess.PlanType); err != nil {
		return nil, err
	}
	var actions []ActionItem
	if u.Can(models.PermMessaging) {
		if n := h.requestUnread(c, u); n > 0 {
			actions = append(actions, ActionItem{n, "unread secure messages", "/messages"})
		}
	}
	if u.Can(models.PermClaims) {
		tins, plan, err := h.contextTINs(c, u)
		if err != nil {
			return nil, err
		}
		if data.Claims, err = ms.RecentClaims(ctx, tins, plan, 8); err != nil {
			return nil, err
		}
		data.ShowClaims = true
		pending, err := h.pendingInfoCount(c, tins, plan)
		if err != nil {
			return nil, err
		}
		if pending > 0 {
			actions = append(actions, ActionItem{pending, "claims need more information", "/claims?status=pending_info"})
		}
	}
	for _, count := range actionCounters {
		item, err := count(h, c, u)
		if err != nil {
			return nil, err
		}
		if item.Count > 0 {
			actions = append(actions, item)
		}
	}
	data.Actions = actions
	entries, err := ms.RecentActivity(ctx, u.AccountID, activityActions(), 8)
	if err != nil {
		return nil, err
	}
	data.Activity = make([]Activity, 0, len(entries))
	for _, e := range entries {
		data.Activity = append(data.Activity, Activity{At: e.At, Text: activityText(e), Actor: e.Actor})
	}
	pl, err := h.paperless().Get(ctx, u.AccountID)
	if err != nil {
		return nil, err
	}
	data.Paperless = pl
	data.PaperlessForm = &paperlessView{EFT: pl.EFT, ERA: pl.ERA, Correspondence: pl.Correspondence, AccountType: pl.AccountType}
	return data, nil
}

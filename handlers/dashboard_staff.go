package handlers

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// StaffQueue is one count on a plan staff member's dashboard: what waits, how long the
// oldest item has waited, and the filtered list it opens.
type StaffQueue struct {
	Count int
	Text  string
	Href  string
	Age   string // "oldest 3 days", or ""
	Alert bool   // overdue or otherwise pressing: shown with a warning colour and a word
}

// StaffSection is the queues of one role.
type StaffSection struct {
	Role, Title string
	Queues      []StaffQueue
}

// staffQueueFns are the queues of each role, in the order the dashboard shows them.
// Areas add theirs with addStaffQueue from their own files.
var staffQueueFns = map[string][]func(h *Handler, c *fiber.Ctx, u *models.User) ([]StaffQueue, error){}

// addStaffQueue registers queues for plan staff with role (from an area's init).
func addStaffQueue(role string, fn func(h *Handler, c *fiber.Ctx, u *models.User) ([]StaffQueue, error)) {
	staffQueueFns[role] = append(staffQueueFns[role], fn)
}

// staffRoleTitles names each role's section, in dashboard order.
var staffRoleTitles = []struct{ Role, Title string }{
	{models.RoleAssociate, "Secure messages"},
	{models.RoleReviewer, "Authorization reviews"},
	{models.RoleCaseManager, "Care management"},
	{models.RolePrivacy, "Privacy"},
	{models.RoleEditor, "Provider library"},
	{models.RoleAdmin, "Administration"},
}

// staffDashboardView is the data of plan staff's dashboard (pages/dashboard/staff).
type staffDashboardView struct {
	View
	Sections []StaffSection
}

// StaffDashboard is plan staff's home: for each of their roles, the work waiting, each
// count linking to the list it counts (SPEC §3). No member data is shown here.
func (h *Handler) StaffDashboard(c *fiber.Ctx, u *models.User) error {
	var sections []StaffSection
	for _, rt := range staffRoleTitles {
		if !u.HasRole(rt.Role) {
			continue
		}
		sec := StaffSection{Role: rt.Role, Title: rt.Title}
		for _, fn := range staffQueueFns[rt.Role] {
			qs, err := fn(h, c, u)
			if err != nil {
				return err
			}
			sec.Queues = append(sec.Queues, qs...)
		}
		if len(sec.Queues) > 0 {
			sections = append(sections, sec)
		}
	}
	return h.render(c, fiber.StatusOK, "pages/dashboard/staff", "Dashboard", &staffDashboardView{Sections: sections})
}

// ageOf says how long the oldest item of a queue has waited, in the largest whole unit.
func (h *Handler) ageOf(qc models.QueueCount) string {
	if qc.N == 0 || qc.Oldest.IsZero() {
		return ""
	}
	d := h.db.Now().Sub(qc.Oldest)
	switch {
	case d < time.Hour:
		return "oldest under an hour"
	case d < 48*time.Hour:
		return fmt.Sprintf("oldest %d hours", int(d.Hours()))
	default:
		return fmt.Sprintf("oldest %d days", int(d.Hours()/24))
	}
}

// queue makes a StaffQueue from a count.
func (h *Handler) queue(qc models.QueueCount, text, href string, alert bool) StaffQueue {
	return StaffQueue{Count: qc.N, Text: text, Href: href, Age: h.ageOf(qc), Alert: alert && qc.N > 0}
}

func init() {
	addStaffQueue(models.RoleAssociate, func(h *Handler, c *fiber.Ctx, u *models.User) ([]StaffQueue, error) {
		ctx, st := c.UserContext(), h.st.Staff
		out := []StaffQueue{{Count: h.requestUnread(c, u), Text: "unread threads", Href: "/messages"}}
		mine, err := st.AssignedThreads(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, h.queue(mine, "open threads assigned to you", "/messages?folder="+models.FolderAssigned, false))
		if u.Department != "" {
			dq, err := st.DepartmentQueue(ctx, u.Department)
			if err != nil {
				return nil, err
			}
			out = append(out, h.queue(dq, "threads waiting in the "+models.MessageDepartmentLabel(u.Department)+" queue", "/messages?folder="+models.FolderQueue, dq.N > 0 && h.db.Now().Sub(dq.Oldest) > 48*time.Hour))
		}
		return out, nil
	})
	addStaffQueue(models.RoleReviewer, func(h *Handler, c *fiber.Ctx, u *models.User) ([]StaffQueue, error) {
		ctx, st := c.UserContext(), h.st.Staff
		today := h.local(h.db.Now())
		endOfDay := time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, h.opts.TimeZone)
		over, err := st.ReviewOverdue(ctx)
		if err != nil {
			return nil, err
		}
		due, err := st.ReviewDueToday(ctx, endOfDay)
		if err != nil {
			return nil, err
		}
		free, err := st.ReviewUnassigned(ctx)
		if err != nil {
			return nil, err
		}
		return []StaffQueue{
			h.queue(over, "requests overdue", "/authorizations/review", true),
			h.queue(due, "requests due by the end of today", "/authorizations/review", false),
			h.queue(free, "requests no reviewer has taken", "/authorizations/review", false),
		}, nil
	})
	addStaffQueue(models.RoleCaseManager, func(h *Handler, c *fiber.Ctx, u *models.User) ([]StaffQueue, error) {
		items, err := h.caseManagerQueues(c, u)
		out := make([]StaffQueue, 0, len(items))
		for _, it := range items {
			out = append(out, StaffQueue{Count: it.Count, Text: it.Text, Href: it.Href})
		}
		return out, err
	})
	addStaffQueue(models.RoleEditor, func(h *Handler, c *fiber.Ctx, u *models.User) ([]StaffQueue, error) {
		ctx, st := c.UserContext(), h.st.Staff
		drafts, err := st.LibraryDrafts(ctx)
		if err != nil {
			return nil, err
		}
		stale, err := st.LibraryStale(ctx)
		if err != nil {
			return nil, err
		}
		return []StaffQueue{
			h.queue(drafts, "library drafts not published", "/library/edit", false),
			h.queue(stale, "published entries not reviewed in a year", "/library/edit", false),
		}, nil
	})
	addStaffQueue(models.RoleAdmin, func(h *Handler, c *fiber.Ctx, u *models.User) ([]StaffQueue, error) {
		ctx, st := c.UserContext(), h.st.Staff
		tins, err := st.PendingTINs(ctx)
		if err != nil {
			return nil, err
		}
		regs, err := st.PendingRegistrations(ctx)
		if err != nil {
			return nil, err
		}
		locked, err := st.LockedUsers(ctx)
		if err != nil {
			return nil, err
		}
		failed, err := st.Outbox(ctx, "failed")
		if err != nil {
			return nil, err
		}
		queued, err := st.Outbox(ctx, "queued")
		if err != nil {
			return nil, err
		}
		return []StaffQueue{
			h.queue(tins, "TINs waiting for approval", "/admin#pending-title", false),
			h.queue(regs, "registrations waiting for e-mail verification", "/admin", false),
			h.queue(locked, "locked users", "/admin#locked-title", false),
			h.queue(failed, "e-mails that could not be delivered", "/outbox?status=failed", true),
			h.queue(queued, "e-mails waiting in the outbox", "/outbox?status=queued", false),
		}, nil
	})
}

package handlers

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// msgFolder is one folder of the message center's left pane.
type msgFolder struct {
	Key, Label string
	Current    bool
}

// foldersFor lists the folders a user has: everyone has inbox, sent and archived;
// plan staff also their department queue and what is assigned to them; plan admins
// the flags of repeated attempts to write outside the plan.
func foldersFor(u *models.User, current string) []msgFolder {
	fs := []msgFolder{{Key: models.FolderInbox, Label: "Inbox"}}
	if u.IsPlanStaff() {
		if u.Department != "" {
			fs = append(fs, msgFolder{Key: models.FolderQueue, Label: models.MessageDepartmentLabel(u.Department) + " queue"})
		}
		fs = append(fs, msgFolder{Key: models.FolderAssigned, Label: "Assigned to me"})
	}
	fs = append(fs, msgFolder{Key: models.FolderSent, Label: "Sent"}, msgFolder{Key: models.FolderArchived, Label: "Archived"})
	if u.HasRole(models.RoleAdmin) {
		fs = append(fs, msgFolder{Key: "flags", Label: "Flags"})
	}
	for i := range fs {
		fs[i].Current = fs[i].Key == current
	}
	return fs
}

// folderQuery is the folder a message-center link names (?folder=).
type folderQuery struct {
	Folder string `query:"folder"`
}

// folderOf reads ?folder= of a GET, falling back to the inbox for anything unknown (and
// for a POST, whose form names no folder). asked is the folder as the link named it.
func (h *Handler) folderOf(c *fiber.Ctx, u *models.User) (folder, asked string) {
	if c.Method() != fiber.MethodGet {
		return models.FolderInbox, ""
	}
	var q folderQuery
	if errs := h.bindForm(c, &q); errs != nil {
		return models.FolderInbox, ""
	}
	for _, k := range foldersFor(u, "") {
		if k.Key == q.Folder {
			return q.Folder, q.Folder
		}
	}
	return models.FolderInbox, q.Folder
}

// messagesView is the data of pages/messages/index, and of its reading pane alone
// (partials/messages/thread) when htmx asks for a thread: the folders, the thread list
// and one pane.
type messagesView struct {
	View
	// Pane is what the reading pane shows: empty, thread, compose or envelope.
	Pane      string
	Folder    string
	Folders   []msgFolder
	IsStaff   bool
	Retention string
	Flags     []models.RecipientFlag
	Threads   []*models.Thread

	// The thread pane.
	Thread      *models.Thread
	Messages    []*models.Message
	Full        bool
	Max         int
	RetainUntil string
	Associates  []models.MessageRecipient
	Credential  *models.EnvelopeCredential
	ReplyBody   string
	// OOBBadge and Count refresh the unread badge out of band when htmx fetches the pane.
	OOBBadge bool
	Count    int

	// The compose pane of an office user.
	Form        *composeForm
	Departments []models.MessageDepartment
	PlanTypes   []models.PlanType
	PlanDomain  string
	// The registered-envelope pane of an associate.
	Envelope *envelopeForm
	TTLDays  int

	// The panes with a form: its problems and the attachment rules.
	Errors   models.FieldErrors
	MaxFiles int
	Types    string
}

// messageFrame fills the three-pane layout of v: folders and the thread list.
func (h *Handler) messageFrame(c *fiber.Ctx, u *models.User, v *messagesView) error {
	v.Folders, v.IsStaff, v.Retention = foldersFor(u, v.Folder), u.IsPlanStaff(), retentionText(h.opts.Retention)
	var err error
	if v.Folder == "flags" {
		v.Flags, err = h.messages().Flags(c.UserContext(), 100)
		return err
	}
	v.Threads, err = h.messages().List(c.UserContext(), u, v.Folder, 100)
	return err
}

// retentionText says how long the plan keeps messages, in years when whole.
func retentionText(d time.Duration) string {
	days := int(d.Hours() / 24)
	if days >= 365 && days%365 < 5 {
		y := days / 365
		if y == 1 {
			return "1 year"
		}
		return strconv.Itoa(y) + " years"
	}
	return strconv.Itoa(days) + " days"
}

// MessagesIndex is the message center: folders, the thread list and an empty reading pane.
func (h *Handler) MessagesIndex(c *fiber.Ctx) error {
	u := currentUser(c)
	folder, asked := h.folderOf(c, u)
	if asked == "flags" && !u.HasRole(models.RoleAdmin) {
		return models.ErrForbidden
	}
	v := &messagesView{Pane: "empty", Folder: folder}
	if err := h.messageFrame(c, u, v); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/messages/index", "Secure Messaging Center", v)
}

// threadParam reads the :id of a thread the user may see; others' IDs are 404.
func (h *Handler) threadParam(c *fiber.Ctx) (*models.Thread, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, models.ErrNotFound
	}
	return h.messages().ThreadFor(c.UserContext(), currentUser(c), int64(id))
}

// threadView loads what the reading pane shows of thread t.
func (h *Handler) threadView(c *fiber.Ctx, u *models.User, t *models.Thread) (*messagesView, error) {
	ctx := c.UserContext()
	msgs, err := h.messages().ThreadMessages(ctx, t, u.IsPlanStaff())
	if err != nil {
		return nil, err
	}
	v := &messagesView{Pane: "thread", Thread: t, Messages: msgs, Full: t.MessageCount >= models.MaxThreadMessages,
		Max: models.MaxThreadMessages, MaxFiles: models.MaxAttachments, Types: models.AttachmentTypesText}
	if created, err := time.Parse(models.TimeFormat, t.CreatedAt); err == nil {
		v.RetainUntil = created.Add(h.opts.Retention).Format(models.DateFormat)
	}
	if u.IsPlanStaff() {
		if v.Associates, err = h.messages().Associates(ctx); err != nil {
			return nil, err
		}
		if t.IsEnvelope() {
			cred, err := h.messages().CredentialForThread(ctx, t.ID)
			if err != nil && !errors.Is(err, models.ErrNotFound) {
				return nil, err
			}
			v.Credential = cred
		}
	}
	return v, nil
}

// MessageThread shows a thread in the reading pane and marks it read; an HTMX request
// gets the pane alone, with the header's unread badge swapped out of band.
func (h *Handler) MessageThread(c *fiber.Ctx) error {
	u := currentUser(c)
	t, err := h.threadParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	ae := h.actor(c).Stamp(models.AuditEntry{})
	ae.Action, ae.ObjectType, ae.ObjectID, ae.MemberID = "message.read", "message_thread", strconv.FormatInt(t.ID, 10), t.MemberID
	ae.Detail = "read thread of " + strconv.Itoa(t.MessageCount) + " message(s)"
	if err := h.messages().MarkRead(ctx, u, t, ae); err != nil {
		return err
	}
	t.LastReadSeq = t.MessageCount
	v, err := h.threadView(c, u, t)
	if err != nil {
		return err
	}
	return h.showThread(c, u, v, fiber.StatusOK)
}

// showThread renders the thread page (or, for HTMX, the pane with an out-of-band badge).
func (h *Handler) showThread(c *fiber.Ctx, u *models.User, v *messagesView, status int) error {
	v.Folder, _ = h.folderOf(c, u)
	if isHTMX(c) {
		v.OOBBadge = true
		v.Count = h.unreadCount(c.UserContext(), u)
		return h.renderFragment(c, status, "partials/messages/thread", v)
	}
	if err := h.messageFrame(c, u, v); err != nil {
		return err
	}
	return h.render(c, status, "pages/messages/index", "Secure message", v)
}

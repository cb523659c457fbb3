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

// folderOf reads ?folder=, falling back to the inbox for anything unknown.
func folderOf(c *fiber.Ctx, u *models.User) string {
	f := c.Query("folder")
	for _, k := range foldersFor(u, "") {
		if k.Key == f {
			return f
		}
	}
	return models.FolderInbox
}

// messageFrame is the data of the three-pane layout: folders, the thread list.
func (h *Handler) messageFrame(c *fiber.Ctx, u *models.User, folder string) (fiber.Map, error) {
	data := fiber.Map{
		"Folder":    folder,
		"Folders":   foldersFor(u, folder),
		"IsStaff":   u.IsPlanStaff(),
		"Retention": retentionText(h.opts.Retention),
	}
	if folder == "flags" {
		flags, err := h.messages().Flags(c.UserContext(), 100)
		if err != nil {
			return nil, err
		}
		data["Flags"] = flags
		return data, nil
	}
	threads, err := h.messages().List(c.UserContext(), u, folder, 100)
	if err != nil {
		return nil, err
	}
	data["Threads"] = threads
	return data, nil
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
	folder := folderOf(c, u)
	if c.Query("folder") == "flags" && !u.HasRole(models.RoleAdmin) {
		return models.ErrForbidden
	}
	data, err := h.messageFrame(c, u, folder)
	if err != nil {
		return err
	}
	data["View"] = "empty"
	return h.render(c, fiber.StatusOK, "pages/messages/index", "Secure Messaging Center", data)
}

// threadParam reads the :id of a thread the user may see; others' IDs are 404.
func (h *Handler) threadParam(c *fiber.Ctx) (*models.Thread, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, models.ErrNotFound
	}
	return h.messages().ThreadFor(c.UserContext(), currentUser(c), int64(id))
}

// threadData loads what the reading pane shows of thread t.
func (h *Handler) threadData(c *fiber.Ctx, u *models.User, t *models.Thread) (fiber.Map, error) {
	ctx := c.UserContext()
	msgs, err := h.messages().ThreadMessages(ctx, t, u.IsPlanStaff())
	if err != nil {
		return nil, err
	}
	data := fiber.Map{"Thread": t, "Messages": msgs, "Full": t.MessageCount >= models.MaxThreadMessages,
		"Max": models.MaxThreadMessages, "MaxFiles": models.MaxAttachments, "Types": models.AttachmentTypesText,
		"Errors": models.FieldErrors(nil), "ReplyBody": ""}
	if created, err := time.Parse(models.TimeFormat, t.CreatedAt); err == nil {
		data["RetainUntil"] = created.Add(h.opts.Retention).Format(models.DateFormat)
	}
	if u.IsPlanStaff() {
		as, err := h.messages().Associates(ctx)
		if err != nil {
			return nil, err
		}
		data["Associates"] = as
		if t.IsEnvelope() {
			cred, err := h.messages().CredentialForThread(ctx, t.ID)
			if err != nil && !errors.Is(err, models.ErrNotFound) {
				return nil, err
			}
			data["Credential"] = cred
		}
	}
	return data, nil
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
	data, err := h.threadData(c, u, t)
	if err != nil {
		return err
	}
	return h.showThread(c, u, t, data, fiber.StatusOK)
}

// showThread renders the thread page (or, for HTMX, the pane with an out-of-band badge).
func (h *Handler) showThread(c *fiber.Ctx, u *models.User, t *models.Thread, data fiber.Map, status int) error {
	folder := folderOf(c, u)
	data["Folder"] = folder
	if isHTMX(c) {
		data["OOBBadge"] = true
		data["Count"] = h.unreadCount(c.UserContext(), u)
		return h.renderFragment(c, status, "partials/messages/thread", data)
	}
	frame, err := h.messageFrame(c, u, folder)
	if err != nil {
		return err
	}
	for k, v := range frame {
		if k != "Folder" {
			data[k] = v
		}
	}
	data["View"] = "thread"
	return h.render(c, status, "pages/messages/index", "Secure message", data)
}

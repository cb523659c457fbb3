package handlers

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// composeForm is what the compose form posts (multipart, for attachments).
type composeForm struct {
	To       string // "dept:provider_services" or "user:12"
	ToEmail  string // or an associate's e-mail address
	PlanType string
	MemberID string
	Subject  string
	Body     string
}

func readComposeForm(c *fiber.Ctx) composeForm {
	v := func(k string) string { return utils.CopyString(strings.TrimSpace(c.FormValue(k))) }
	return composeForm{To: v("to"), ToEmail: v("to_email"), PlanType: v("plan_type"), MemberID: v("member_id"),
		Subject: v("subject"), Body: utils.CopyString(c.FormValue("body"))}
}

// readMessageUploads reads and checks the files of field "attachments". A refused file is
// explained in the returned message; the caller keeps the rest of the draft.
func readMessageUploads(c *fiber.Ctx) ([]models.AttachmentUpload, string) {
	if !strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm) {
		return nil, ""
	}
	form, err := c.MultipartForm()
	if err != nil {
		return nil, "The attached files could not be read. Please choose them again."
	}
	var files []models.AttachmentUpload
	var problems []string
	parts := form.File["attachments"]
	chosen := 0
	for _, fh := range parts {
		if fh.Filename == "" && fh.Size == 0 {
			continue // the browser sends an empty part when no file was chosen
		}
		chosen++
		if fh.Size > models.MaxAttachmentSize {
			problems = append(problems, fmt.Sprintf("%s is %s; each file may be at most 10 MB.", models.CleanAttachmentName(fh.Filename), models.AttachmentSizeText(fh.Size)))
			continue
		}
		f, err := fh.Open()
		if err != nil {
			problems = append(problems, models.CleanAttachmentName(fh.Filename)+" could not be read.")
			continue
		}
		b, err := io.ReadAll(io.LimitReader(f, models.MaxAttachmentSize+1))
		f.Close()
		if err != nil {
			problems = append(problems, models.CleanAttachmentName(fh.Filename)+" could not be read.")
			continue
		}
		up, err := models.CheckAttachment(fh.Filename, b)
		if err != nil {
			problems = append(problems, err.Error()+".")
			continue
		}
		files = append(files, up)
	}
	if chosen > models.MaxAttachments {
		return nil, fmt.Sprintf("Attach at most %d files to one message; you chose %d.", models.MaxAttachments, chosen)
	}
	if len(problems) > 0 {
		return nil, strings.Join(problems, " ") + " Accepted: " + models.AttachmentTypesText + ", at most 10 MB each. Choose the files again; everything else you typed is kept."
	}
	return files, ""
}

// keepFilesNote tells the user to choose again the files of a draft refused for
// another reason: a browser cannot refill a file field.
func keepFilesNote(fe models.FieldErrors, files []models.AttachmentUpload) {
	if len(fe) > 0 && len(files) > 0 && fe["attachments"] == "" {
		fe["attachments"] = "Nothing was sent, so your files were not attached: choose them again when you send."
	}
}

// composeData is the data of the compose pane.
func (h *Handler) composeData(c *fiber.Ctx, f composeForm, fe models.FieldErrors) (fiber.Map, error) {
	as, err := h.messages().Associates(c.UserContext())
	if err != nil {
		return nil, err
	}
	return fiber.Map{"Form": f, "Errors": fe, "Departments": models.MessageDepartments, "Associates": as, "PlanTypes": models.PlanTypes,
		"PlanDomain": h.opts.PlanDomain, "MaxFiles": models.MaxAttachments, "Types": models.AttachmentTypesText}, nil
}

func (h *Handler) renderCompose(c *fiber.Ctx, status int, f composeForm, fe models.FieldErrors) error {
	u := currentUser(c)
	data, err := h.composeData(c, f, fe)
	if err != nil {
		return err
	}
	frame, err := h.messageFrame(c, u, models.FolderInbox)
	if err != nil {
		return err
	}
	for k, v := range frame {
		data[k] = v
	}
	data["View"] = "compose"
	title := "New secure message"
	if len(fe) > 0 {
		title = "Error: " + title
	}
	return h.render(c, status, "pages/messages/index", title, data)
}

// MessageNew shows the compose form. Plan staff start registered envelopes instead.
func (h *Handler) MessageNew(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.IsPlanStaff() {
		return c.Redirect("/messages/envelopes/new", fiber.StatusSeeOther)
	}
	f := composeForm{PlanType: models.PlanCommercial}
	if s := currentSession(c); s != nil && models.ValidPlanType(s.PlanType) {
		f.PlanType = s.PlanType
	}
	// Other pages link here prefilled: /messages/new?to=dept:claims&member_id=A100000001.
	if to := c.Query("to"); to != "" {
		f.To = utils.CopyString(to)
	}
	if m := c.Query("member_id"); m != "" && len(m) <= 20 {
		f.MemberID = utils.CopyString(m)
	}
	return h.renderCompose(c, fiber.StatusOK, f, nil)
}

// MessageSend sends an office user's new message to a plan department or associate.
// Any other addressee is refused, audited, and repeated attempts are flagged.
func (h *Handler) MessageSend(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.IsPlanStaff() {
		return models.ErrForbidden
	}
	ctx := c.UserContext()
	f := readComposeForm(c)
	fe := models.FieldErrors{}
	nt := models.NewThread{AccountID: u.AccountID, PlanType: f.PlanType}
	if !models.ValidPlanType(f.PlanType) {
		fe["plan_type"] = "Choose the plan type the message is about."
	}
	if err := h.messages().Address(ctx, h.actor(c), &nt, models.MessageAddress{To: f.To, ToEmail: f.ToEmail, MemberID: f.MemberID, PlanDomain: h.opts.PlanDomain}, fe); err != nil {
		return err
	}
	d := models.MessageDraft{Subject: f.Subject, Body: f.Body}
	for k, v := range d.Validate(true) {
		fe[k] = v
	}
	files, problem := readMessageUploads(c)
	if problem != "" {
		fe["attachments"] = problem
	}
	keepFilesNote(fe, files)
	if len(fe) > 0 {
		return h.renderCompose(c, fiber.StatusUnprocessableEntity, f, fe)
	}
	d.Files = files
	res, err := h.messages().Start(ctx, nt, models.MessageAuthor{User: u}, d, h.actor(c).Stamp(models.AuditEntry{}))
	if err != nil {
		return err
	}
	h.flash(c, "success", "Your message was sent securely.")
	return c.Redirect("/messages/"+strconv.FormatInt(res.ThreadID, 10)+"?folder=sent", fiber.StatusSeeOther)
}

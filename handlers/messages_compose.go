package handlers

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// composeForm is what an office user's compose form posts (multipart, for attachments,
// which readMessageUploads reads apart).
type composeForm struct {
	To       string `form:"to" label:"the addressee" validate:"maxrunes=40"` // "dept:provider_services" or "user:12"
	ToEmail  string `form:"to_email" label:"the e-mail address" validate:"maxrunes=254"`
	PlanType string `form:"plan_type" label:"the plan type"`
	MemberID string `form:"member_id" label:"the member ID"`
	Subject  string `form:"subject" label:"a subject"`
	Body     string `form:"body" label:"the message" trim:"no"`
}

// composePrefill is what a link to the compose form may fill in: the addressee and the
// member (/messages/new?to=dept:claims&member_id=A100000001), nothing else.
type composePrefill struct {
	To       string `query:"to"`
	MemberID string `query:"member_id" label:"the member ID" validate:"maxrunes=20"`
}

// Validate applies the message rules; the addressee and the member are checked by
// Messages.Address, which also records refused addressees.
func (f composeForm) Validate() models.FieldErrors {
	fe := f.draft().Validate(true)
	if !models.ValidPlanType(f.PlanType) {
		fe["plan_type"] = "Choose the plan type the message is about."
	}
	return fe
}

func (f composeForm) draft() models.MessageDraft {
	return models.MessageDraft{Subject: f.Subject, Body: f.Body}
}

// withField adds one message to fe, making the map when there was none.
func withField(fe models.FieldErrors, key, msg string) models.FieldErrors {
	if fe == nil {
		fe = models.FieldErrors{}
	}
	fe[key] = msg
	return fe
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

func (h *Handler) renderCompose(c *fiber.Ctx, status int, f *composeForm, fe models.FieldErrors) error {
	as, err := h.messages().Associates(c.UserContext())
	if err != nil {
		return err
	}
	v := &messagesView{Pane: "compose", Folder: models.FolderInbox, Form: f, Errors: inputIDs("compose-", fe), Departments: models.MessageDepartments,
		Associates: as, PlanTypes: models.PlanTypes, PlanDomain: h.opts.PlanDomain, MaxFiles: models.MaxAttachments, Types: models.AttachmentTypesText}
	if err := h.messageFrame(c, currentUser(c), v); err != nil {
		return err
	}
	title := "New secure message"
	if len(fe) > 0 {
		title = "Error: " + title
	}
	return h.render(c, status, "pages/messages/index", title, v)
}

// MessageNew shows the compose form. Plan staff start registered envelopes instead.
func (h *Handler) MessageNew(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.IsPlanStaff() {
		return c.Redirect("/messages/envelopes/new", fiber.StatusSeeOther)
	}
	var p composePrefill
	if errs := h.bindForm(c, &p); errs != nil {
		p.MemberID = "" // the form opens without it rather than in error
	}
	f := composeForm{To: p.To, MemberID: p.MemberID, PlanType: models.PlanCommercial}
	if s := currentSession(c); s != nil && models.ValidPlanType(s.PlanType) {
		f.PlanType = s.PlanType
	}
	return h.renderCompose(c, fiber.StatusOK, &f, nil)
}

// MessageSend sends an office user's new message to a plan department or associate.
// Any other addressee is refused, audited, and repeated attempts are flagged.
func (h *Handler) MessageSend(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.IsPlanStaff() {
		return models.ErrForbidden
	}
	ctx := c.UserContext()
	var f composeForm
	fe := h.bindForm(c, &f)
	if fe == nil {
		fe = models.FieldErrors{}
	}
	// The addressee is checked whatever else is wrong: a refused address is recorded.
	nt := models.NewThread{AccountID: u.AccountID, PlanType: f.PlanType}
	if err := h.messages().Address(ctx, h.actor(c), &nt, models.MessageAddress{To: f.To, ToEmail: f.ToEmail, MemberID: f.MemberID, PlanDomain: h.opts.PlanDomain}, fe); err != nil {
		return err
	}
	files, problem := readMessageUploads(c)
	if problem != "" {
		fe["attachments"] = problem
	}
	keepFilesNote(fe, files)
	if len(fe) > 0 {
		return h.renderCompose(c, fiber.StatusUnprocessableEntity, &f, fe)
	}
	d := f.draft()
	d.Files = files
	res, err := h.messages().Start(ctx, nt, models.MessageAuthor{User: u}, d, h.actor(c).Stamp(models.AuditEntry{}))
	if err != nil {
		return err
	}
	h.flash(c, "success", "Your message was sent securely.")
	return c.Redirect("/messages/"+strconv.FormatInt(res.ThreadID, 10)+"?folder=sent", fiber.StatusSeeOther)
}

package handlers

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// planZone is the plan's time zone (--time-zone): decision clocks count days there and
// every due time is shown in it.
func (h *Handler) planZone() *time.Location { return h.opts.TimeZone }

// now is the one clock of the authorization area.
func (h *Handler) now() time.Time { return h.db.Now() }

// authz is the authorization store with this server's settings.
func (h *Handler) authz() models.Authz { return h.st.Authz }

func init() {
	activityWords["authorization.submit"] = "Submitted an authorization request"
	activityWords["authorization.view"] = "Opened an authorization request"
	activityWords["authorization.notice"] = "An authorization request changed status"
	activityWords["authorization.answer"] = "Answered a request for more information"
	activityWords["authorization.withdraw"] = "Withdrew an authorization request"
	activityWords["authorization.draft.save"] = "Saved an authorization draft"
	activityWords["authorization.letter"] = "Opened an authorization decision letter"
	addActionCounter(func(h *Handler, c *fiber.Ctx, u *models.User) (ActionItem, error) {
		if !u.Can(models.PermMedicalManagement) {
			return ActionItem{}, nil
		}
		_, more, err := h.authz().OfficeCounts(c.UserContext(), u.AccountID)
		return ActionItem{Count: more, Text: "authorization requests need more information", Href: "/authorizations?status=more_info"}, err
	})
	addActionCounter(func(h *Handler, c *fiber.Ctx, u *models.User) (ActionItem, error) {
		if !u.Can(models.PermMedicalManagement) {
			return ActionItem{}, nil
		}
		drafts, _, err := h.authz().OfficeCounts(c.UserContext(), u.AccountID)
		return ActionItem{Count: drafts, Text: "authorization drafts not submitted", Href: "/authorizations/drafts"}, err
	})
}

// authzFilter is the office list's filter as typed, its problems and its query.
type authzFilter struct {
	models.AuthzFilter
	Errors models.FieldErrors
	Q      models.AuthzQuery
}

// readAuthzFilter takes the filter through the form pipeline: status, service type and
// page from a link or the form, the member-identifying fields from a POSTed form only.
// A member ID that matches nobody matches no request, and says nothing about the member.
func (h *Handler) readAuthzFilter(c *fiber.Ctx, u *models.User) (*authzFilter, error) {
	f := &authzFilter{}
	f.Errors = h.bindForm(c, &f.AuthzFilter)
	q, member, _ := f.AuthzFilter.Query(u.AccountID)
	if member != "" && len(f.Errors) == 0 {
		e, err := h.st.Members.EligibilityByMemberID(c.UserContext(), member)
		switch {
		case err == nil:
			q.MemberPK = e.PK
		case isNotFound(err):
			q.MemberPK = -1
		default:
			return nil, err
		}
	}
	f.Q = q
	return f, nil
}

type option struct{ Value, Label string }

func authzStatusOptions() optionList {
	out := optionList{{"", "Any status"}}
	for _, s := range models.AuthzStatuses {
		out = append(out, option{s, models.AuthzStatusLabel(s)})
	}
	return out
}

func serviceOptions(any string) optionList {
	out := optionList{{"", any}}
	for _, s := range models.ServiceTypes {
		out = append(out, option{s.Value, s.Label})
	}
	return out
}

// authzListView is the data of pages/authorizations/index: the filter as typed and, when
// it was valid, one page of the account's requests.
type authzListView struct {
	View
	F           *authzFilter
	Statuses    optionList
	Services    optionList
	ExportLimit int
	Page        *models.AuthzPage
	// RowsHTML is the page's rows of the table, written in Go (authzRows).
	RowsHTML template.HTML
	// Drafts and MoreInfo count the account's drafts and the requests waiting for it.
	Drafts, MoreInfo int
	Prev, Next       int
	HasNext          bool
}

func newAuthzListView(f *authzFilter) *authzListView {
	return &authzListView{F: f, Statuses: authzStatusOptions(), Services: serviceOptions("Any service type"), ExportLimit: models.AuthzExportLimit}
}

// AuthzList lists the account's requests, newest first, with filters and paging; the
// filter form is POSTed so member IDs and dates stay out of URLs.
func (h *Handler) AuthzList(c *fiber.Ctx) error {
	u := currentUser(c)
	f, err := h.readAuthzFilter(c, u)
	if err != nil {
		return err
	}
	data := newAuthzListView(f)
	if len(f.Errors) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/index", "Authorizations", data)
	}
	page, err := h.authz().List(c.UserContext(), f.Q, h.now())
	if err != nil {
		return err
	}
	drafts, more, err := h.authz().OfficeCounts(c.UserContext(), u.AccountID)
	if err != nil {
		return err
	}
	data.Page, data.RowsHTML, data.Drafts, data.MoreInfo = page, authzRows(page.Rows), drafts, more
	data.Prev, data.Next, data.HasNext = page.Page-1, page.Page+1, page.Page < page.Pages
	return h.render(c, fiber.StatusOK, "pages/authorizations/index", "Authorizations", data)
}

// AuthzCSV downloads the filtered list.
func (h *Handler) AuthzCSV(c *fiber.Ctx) error {
	u := currentUser(c)
	f, err := h.readAuthzFilter(c, u)
	if err != nil {
		return err
	}
	if len(f.Errors) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/index", "Authorizations", newAuthzListView(f))
	}
	rows, err := h.authz().Export(c.UserContext(), f.Q, h.now())
	if err != nil {
		return err
	}
	out := [][]string{{"tracking_no", "status", "urgency", "service_type", "member_id", "member_name", "first_procedure", "submitted", "due", "decided"}}
	for _, r := range rows {
		out = append(out, []string{r.TrackingNo, r.StatusLabel(), r.UrgencyLabel(), r.ServiceLabel(), r.MemberID, r.MemberName, r.FirstCode,
			models.LocalTime(r.CreatedAt, h.planZone()), r.DueLocal, r.DecidedLocal})
	}
	h.audit(c, models.AuditEntry{Action: "authorization.export", ObjectType: "authorization", Detail: fmt.Sprintf("rows=%d", len(rows))})
	return h.sendCSV(c, "authorizations-"+h.today()+".csv", out[0], out[1:])
}

// AuthzDrafts lists the account's drafts not yet submitted.
func (h *Handler) AuthzDrafts(c *fiber.Ctx) error {
	u := currentUser(c)
	page, err := h.authz().List(c.UserContext(), models.AuthzQuery{AccountID: u.AccountID, Drafts: true, PerPage: 100}, h.now())
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/authorizations/drafts", "Authorization drafts", &authzDraftsView{Page: page})
}

// authzDraftsView is the data of pages/authorizations/drafts.
type authzDraftsView struct {
	View
	Page *models.AuthzPage
}

// officeRequest loads the request named by :no for the signed-in office user; another
// account's request looks like one that does not exist.
func (h *Handler) officeRequest(c *fiber.Ctx) (*models.AuthzRequest, error) {
	u := currentUser(c)
	no := strings.ToUpper(strings.TrimSpace(utils.CopyString(c.Params("no"))))
	if !models.ValidTrackingNo(no) {
		return nil, models.ErrNotFound
	}
	r, err := h.authz().ByTracking(c.UserContext(), no)
	if err != nil {
		return nil, err
	}
	if r.AccountID != u.AccountID {
		h.audit(c, models.AuditEntry{Action: "authorization.view.denied", ObjectType: "authorization", ObjectID: no, MemberID: r.MemberID, Detail: "request of another account"})
		return nil, models.ErrNotFound
	}
	return r, nil
}

// AuthzShow is one request: status, due time, codes, history, attachments, Smart
// Sheets, the decision and its letter; the office answers or withdraws from here.
func (h *Handler) AuthzShow(c *fiber.Ctx) error {
	r, err := h.officeRequest(c)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.view", ObjectType: "authorization", ObjectID: r.TrackingNo, MemberID: r.MemberID})
	return h.render(c, fiber.StatusOK, "pages/authorizations/show", "Authorization "+r.TrackingNo, h.showData(r, nil, ""))
}

// authzShowView is the data of pages/authorizations/show: the request and, while the
// plan waits for the office, the question asked and the answer form as typed.
type authzShowView struct {
	View
	R       *models.AuthzRequest
	Errors  models.FieldErrors
	Answer  string
	Overdue bool
	Types   string
	Asked   *models.AuthzEvent
}

func (h *Handler) showData(r *models.AuthzRequest, errs models.FieldErrors, answer string) *authzShowView {
	d := &authzShowView{R: r, Errors: errs, Answer: answer, Overdue: r.Overdue(h.now()), Types: models.AttachmentTypesText}
	if r.Status == models.AuthzMoreInfo {
		d.Asked = r.LatestEvent("more_info")
	}
	return d
}

// AuthzFile downloads an attachment of one of the account's requests.
func (h *Handler) AuthzFile(c *fiber.Ctx) error {
	r, err := h.officeRequest(c)
	if err != nil {
		return err
	}
	return h.sendAuthzFile(c, r)
}

func (h *Handler) sendAuthzFile(c *fiber.Ctx, r *models.AuthzRequest) error {
	att, err := strconv.ParseInt(c.Params("att"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	a, err := h.authz().Attachment(c.UserContext(), r.ID, att)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.file.download", ObjectType: "authorization", ObjectID: r.TrackingNo, MemberID: r.MemberID, Detail: fmt.Sprintf("attachment %d", a.ID)})
	return h.sendFile(c, a.Name, a.MIME, a.Data)
}

// AuthzLetter is the printable decision letter (decided requests only).
func (h *Handler) AuthzLetter(c *fiber.Ctx) error {
	r, err := h.officeRequest(c)
	if err != nil {
		return err
	}
	return h.renderLetter(c, r)
}

func (h *Handler) renderLetter(c *fiber.Ctx, r *models.AuthzRequest) error {
	if !r.Decided() {
		return models.ErrNotFound
	}
	h.audit(c, models.AuditEntry{Action: "authorization.letter", ObjectType: "authorization", ObjectID: r.TrackingNo, MemberID: r.MemberID, Detail: "status=" + r.Status})
	decided, _ := time.Parse(models.TimeFormat, r.DecidedAt)
	appealBy := decided.In(h.planZone()).AddDate(0, 0, models.AppealDays).Format("01/02/2006")
	memberCopy, err := h.st.Privacy.MemberCopy(c.UserContext(), "authz_requests", r.ID, r.MemberPK, h.today())
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/authorizations/letter", "Decision letter "+r.TrackingNo, &authzLetterView{
		R: r, AppealBy: appealBy, AppealDays: models.AppealDays, PeerToPeer: models.PeerToPeer,
		LetterDate: decided.In(h.planZone()).Format("January 2, 2006"), MemberCopy: memberCopy,
	})
}

// authzLetterView is the data of pages/authorizations/letter, the printable decision.
type authzLetterView struct {
	View
	R          *models.AuthzRequest
	AppealBy   string
	AppealDays int
	PeerToPeer string
	LetterDate string
	// MemberCopy says where the member's copy goes when privacy rules redirect it.
	MemberCopy string
}

// answerForm is the office's answer to a request for more information (the files come
// through readUploads); the model holds its rules.
type answerForm struct {
	Answer string `form:"answer" label:"your answer"`
}

// AuthzAnswer is the office's answer to a request for more information (text and files,
// multipart); the request goes back to the reviewer's queue.
func (h *Handler) AuthzAnswer(c *fiber.Ctx) error {
	r, err := h.officeRequest(c)
	if err != nil {
		return err
	}
	var f answerForm
	if errs := h.bindForm(c, &f); errs != nil {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/show", "Authorization "+r.TrackingNo, h.showData(r, errs, f.Answer))
	}
	files, ferrs := readUploads(c, "files")
	if len(ferrs) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/show", "Authorization "+r.TrackingNo, h.showData(r, ferrs, f.Answer))
	}
	err = h.authz().Answer(c.UserContext(), currentUser(c), r.ID, f.Answer, files, h.now())
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/show", "Authorization "+r.TrackingNo, h.showData(r, fe, f.Answer))
	}
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.answer", ObjectType: "authorization", ObjectID: r.TrackingNo, MemberID: r.MemberID, Detail: fmt.Sprintf("%d file(s)", len(files))})
	h.flash(c, "success", "Your answer was sent. The request is back in the plan's review queue.")
	return c.Redirect("/authorizations/"+r.TrackingNo, fiber.StatusSeeOther)
}

// AuthzWithdraw withdraws a request that is not yet decided.
func (h *Handler) AuthzWithdraw(c *fiber.Ctx) error {
	r, err := h.officeRequest(c)
	if err != nil {
		return err
	}
	if err := h.authz().Withdraw(c.UserContext(), currentUser(c), r.ID, h.now()); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.withdraw", ObjectType: "authorization", ObjectID: r.TrackingNo, MemberID: r.MemberID})
	h.flash(c, "success", "The request "+r.TrackingNo+" was withdrawn.")
	return c.Redirect("/authorizations/"+r.TrackingNo, fiber.StatusSeeOther)
}

// readUploads reads the files of a multipart field, checked by content with the
// messaging upload rules; problems come back as field errors.
func readUploads(c *fiber.Ctx, field string) ([]models.AttachmentUpload, models.FieldErrors) {
	form, err := c.MultipartForm()
	if err != nil || form == nil {
		return nil, nil
	}
	var out []models.AttachmentUpload
	var problems []string
	for _, fh := range form.File[field] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		if fh.Size > models.MaxAttachmentSize {
			problems = append(problems, fmt.Sprintf("%s is %s; each file may be at most 10 MB", models.CleanAttachmentName(fh.Filename), models.AttachmentSizeText(fh.Size)))
			continue
		}
		f, err := fh.Open()
		if err != nil {
			problems = append(problems, "A file could not be read; please attach it again")
			continue
		}
		buf := make([]byte, fh.Size)
		_, err = readFull(f, buf)
		f.Close()
		if err != nil {
			problems = append(problems, "A file could not be read; please attach it again")
			continue
		}
		up, err := models.CheckAttachment(fh.Filename, buf)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		out = append(out, up)
	}
	if len(out) > models.MaxAttachments {
		problems = append(problems, fmt.Sprintf("Attach at most %d files at a time", models.MaxAttachments))
	}
	if len(problems) > 0 {
		return nil, models.FieldErrors{field: strings.Join(problems, ". ") + "."}
	}
	return out, nil
}

// memberAuthorizationsView is the data of the record's Authorizations section
// (pages/members/authorizations).
type memberAuthorizationsView struct {
	memberPageView
	Rows []models.AuthzRow
}

// MemberAuthorizations is the member record's Authorizations section: the account's
// requests and drafts for the member, and "Create a new authorization".
func (h *Handler) MemberAuthorizations(c *fiber.Ctx, v *memberView) error {
	rows, err := h.authz().MemberRequests(c.UserContext(), currentUser(c).AccountID, v.M.PK, h.now())
	if err != nil {
		return err
	}
	return h.renderMember(c, "authorizations", "Authorizations", v, &memberAuthorizationsView{Rows: rows})
}

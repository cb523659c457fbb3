package handlers

import (
	"fmt"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

func readFull(r io.Reader, buf []byte) (int, error) { return io.ReadFull(r, buf) }

// stepState is one step of a draft as the page shows it: the request, the steps with
// what is done, and the step's fields as typed (kept on errors) or as saved.
type stepState struct {
	R     *models.AuthzRequest
	Step  string
	Steps []stepItem
	Prev  string
	// Values are the step's single fields by input name.
	Values map[string]string
	Dx     []string
	Lines  []models.LineInput
	NPIs   []models.ProviderChoice
	// Required is the "is an authorization required?" answer per procedure line.
	Required []requiredAnswer
}

// stepView is the data of pages/authorizations/step (every step of a draft).
type stepView struct {
	View
	V        *stepState
	Services []models.ServiceType
	Sheets   []models.SmartSheet
	Types    string
	Errors   models.FieldErrors
}

type stepItem struct {
	Key, Label string
	Done, Cur  bool
	N          int
}

func (h *Handler) newStepState(r *models.AuthzRequest, step string) *stepState {
	v := &stepState{R: r, Step: step, Values: map[string]string{}}
	for i, s := range models.AuthzSteps {
		v.Steps = append(v.Steps, stepItem{Key: s.Key, Label: s.Label, Done: r.StepDone(s.Key), Cur: s.Key == step, N: i + 1})
		if s.Key == step && i > 0 {
			v.Prev = models.AuthzSteps[i-1].Key
		}
	}
	return v
}

// draftFor loads draft :id of the user's account.
func (h *Handler) draftFor(c *fiber.Ctx) (*models.AuthzRequest, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return nil, models.ErrNotFound
	}
	r, err := h.authz().OfficeRequest(c.UserContext(), currentUser(c), id)
	if err != nil {
		return nil, err
	}
	if r.Status != models.AuthzDraft {
		if r.TrackingNo != "" {
			return nil, fiber.NewError(fiber.StatusConflict, "This request was already submitted as "+r.TrackingNo+"; open it from Authorizations.")
		}
		return nil, models.ErrNotFound
	}
	return r, nil
}

func stepURL(id int64, step string) string {
	return fmt.Sprintf("/authorizations/drafts/%d/%s", id, step)
}

// newAuthzView is the data of pages/authorizations/new: the member ID and date of birth
// as typed, and their problems.
type newAuthzView struct {
	View
	models.AuthzMemberForm
	Errors models.FieldErrors
}

// AuthzNew asks which member the request is for (member ID and date of birth, POSTed).
func (h *Handler) AuthzNew(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "pages/authorizations/new", "New authorization request", &newAuthzView{})
}

// AuthzNewLookup finds the member by ID and date of birth, applies the care-relationship
// rule and starts a draft.
func (h *Handler) AuthzNewLookup(c *fiber.Ctx) error {
	data := &newAuthzView{}
	if data.Errors = h.bindForm(c, &data.AuthzMemberForm); data.Errors != nil {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/new", "New authorization request", data)
	}
	e, err := h.st.Members.EligibilityByMemberID(c.UserContext(), data.Member())
	if err != nil && !isNotFound(err) {
		return err
	}
	if e == nil || e.DOB != data.Birth() {
		data.Errors = models.FieldErrors{"an-member": "No member matches this member ID and date of birth. Check both, as printed on the ID card."}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/new", "New authorization request", data)
	}
	return h.createDraft(c, currentUser(c), e)
}

// AuthzCreateForMember starts a draft from the member record ("Create a new authorization").
func (h *Handler) AuthzCreateForMember(c *fiber.Ctx) error {
	e, err := h.st.Members.EligibilityByMemberID(c.UserContext(), utils.CopyString(c.Params("memberID")))
	if err != nil && !isNotFound(err) {
		return err
	}
	if e == nil {
		return h.renderNoRelationship(c)
	}
	return h.createDraft(c, currentUser(c), e)
}

func (h *Handler) createDraft(c *fiber.Ctx, u *models.User, e *models.Eligibility) error {
	ok, err := h.st.Members.CareRelationship(c.UserContext(), u.AccountID, &e.Member)
	if err != nil {
		return err
	}
	if !ok {
		h.audit(c, models.AuditEntry{Action: "authorization.create.denied", ObjectType: "member", ObjectID: e.MemberID, MemberID: e.MemberID, Detail: "no care relationship"})
		return h.renderNoRelationship(c)
	}
	id, err := h.authz().CreateDraft(c.UserContext(), u, &e.Member, h.now())
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.draft.create", ObjectType: "authorization", ObjectID: fmt.Sprintf("draft %d", id), MemberID: e.MemberID})
	return c.Redirect(stepURL(id, "providers"), fiber.StatusSeeOther)
}

// AuthzStep shows one step of a draft. Each step has its own URL, so Back and reload work.
func (h *Handler) AuthzStep(c *fiber.Ctx) error {
	step := utils.CopyString(c.Params("step"))
	if !models.ValidStep(step) {
		return models.ErrNotFound
	}
	r, err := h.draftFor(c)
	if err != nil {
		return err
	}
	v := h.newStepState(r, step)
	if err := h.fillStep(c, v); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.draft.view", ObjectType: "authorization", ObjectID: fmt.Sprintf("draft %d", r.ID), MemberID: r.MemberID, Detail: "step=" + step})
	return h.renderStep(c, fiber.StatusOK, v)
}

// fillStep fills the form values of a step from the saved draft.
func (h *Handler) fillStep(c *fiber.Ctx, v *stepState) error {
	r := v.R
	switch v.Step {
	case "providers":
		npis, err := h.authz().AccountNPIs(c.UserContext(), r.AccountID)
		if err != nil {
			return err
		}
		v.NPIs = npis
		if _, ok := v.Values["requesting"]; !ok {
			if r.RequestingNPI != "" {
				v.Values["requesting"] = strconv.FormatInt(r.RequestingTIN, 10) + ":" + r.RequestingNPI
			}
			v.Values["servicing_npi"], v.Values["servicing_name"] = r.ServicingNPI, r.ServicingName
		}
	case "service":
		if _, ok := v.Values["urgency"]; !ok {
			v.Values["urgency"], v.Values["service_type"] = r.Urgency, r.ServiceType
		}
	case "codes":
		if v.Dx == nil {
			for _, d := range r.Diagnoses {
				v.Dx = append(v.Dx, d.Code)
			}
			for _, l := range r.Lines {
				v.Lines = append(v.Lines, models.LineInput{Code: l.Code, Units: strconv.Itoa(l.Units), From: l.From, To: l.To})
			}
		}
		for len(v.Dx) < 4 || (len(v.Dx) < models.MaxAuthzDiagnoses && v.Dx[len(v.Dx)-1] != "") {
			v.Dx = append(v.Dx, "")
		}
		for len(v.Lines) < 3 || (len(v.Lines) < models.MaxAuthzLines && v.Lines[len(v.Lines)-1].Code != "") {
			v.Lines = append(v.Lines, models.LineInput{})
		}
	case "attachments":
		if _, ok := v.Values["clinical_note"]; !ok {
			v.Values["clinical_note"] = r.ClinicalNote
		}
	case "review":
		req, err := h.requiredAnswers(c, r)
		if err != nil {
			return err
		}
		v.Required = req
	}
	return nil
}

func (h *Handler) renderStep(c *fiber.Ctx, status int, v *stepState) error {
	if isHTMX(c) {
		c.Set("HX-Push-Url", stepURL(v.R.ID, v.Step))
	}
	return h.render(c, status, "pages/authorizations/step", "Authorization request · "+stepLabel(v.Step), newStepView(v, nil))
}

func newStepView(v *stepState, errs models.FieldErrors) *stepView {
	return &stepView{V: v, Services: models.ServiceTypes, Sheets: models.SmartSheets, Types: models.AttachmentTypesText, Errors: errs}
}

func stepLabel(key string) string {
	for _, s := range models.AuthzSteps {
		if s.Key == key {
			return s.Label
		}
	}
	return key
}

// stepButton is the button that sent a step: "draft" saves and goes to the drafts list;
// anything else saves and goes on.
type stepButton struct {
	Save string `form:"save"`
}

// The form of each step: the model's input and the button.
type (
	providersStep struct {
		models.ProvidersInput
		stepButton
	}
	serviceStep struct {
		models.ServiceInput
		stepButton
	}
	codesStep struct {
		models.CodesForm
		stepButton
	}
	// attachmentsStep is multipart: the files come through readUploads. Upload is the
	// "Attach files" button, which stays on the step.
	attachmentsStep struct {
		ClinicalNote string `form:"clinical_note" label:"the clinical summary"`
		Upload       string `form:"upload"`
		stepButton
	}
)

// AuthzStepSave saves a step (the draft is on the server after every step) and goes to
// the next one, or to the drafts list for "Save draft". Errors keep what was typed.
func (h *Handler) AuthzStepSave(c *fiber.Ctx) error {
	step := utils.CopyString(c.Params("step"))
	if !models.ValidStep(step) {
		return models.ErrNotFound
	}
	r, err := h.draftFor(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	ctx := c.UserContext()
	a := h.authz()
	now := h.now()
	v := h.newStepState(r, step)
	var button stepButton
	switch step {
	case "member":
		errs := h.bindForm(c, &button)
		err = errsOrNil(errs)
	case "providers":
		var f providersStep
		errs := h.bindForm(c, &f)
		button = f.stepButton
		v.Values["requesting"], v.Values["servicing_npi"], v.Values["servicing_name"] = f.Requesting, f.ServicingNPI, f.ServicingName
		if err = errsOrNil(errs); err == nil {
			err = a.SaveProviders(ctx, u, r.ID, f.ProvidersInput, now)
		}
	case "service":
		var f serviceStep
		errs := h.bindForm(c, &f)
		button = f.stepButton
		v.Values["urgency"], v.Values["service_type"] = f.Urgency, f.ServiceType
		if err = errsOrNil(errs); err == nil {
			err = a.SaveService(ctx, u, r.ID, f.ServiceInput, now)
		}
	case "codes":
		var f codesStep
		errs := h.bindForm(c, &f)
		button = f.stepButton
		in := f.Input()
		v.Dx, v.Lines = in.Diagnoses, in.Lines
		if len(v.Dx) > models.MaxAuthzDiagnoses || len(v.Lines) > models.MaxAuthzLines {
			// Show no more rows than a request holds; the message says why.
			v.Dx, v.Lines = v.Dx[:min(len(v.Dx), models.MaxAuthzDiagnoses)], v.Lines[:min(len(v.Lines), models.MaxAuthzLines)]
		}
		if err = errsOrNil(errs); err == nil {
			err = a.SaveCodes(ctx, u, r.ID, in, now)
		}
	case "attachments":
		var f attachmentsStep
		errs := h.bindForm(c, &f)
		button = f.stepButton
		v.Values["clinical_note"] = f.ClinicalNote
		if err = errsOrNil(errs); err != nil {
			break
		}
		files, ferrs := readUploads(c, "files")
		if len(ferrs) > 0 {
			err = ferrs
			break
		}
		for _, file := range files {
			if err = a.AddAttachment(ctx, u, r.ID, file, now); err != nil {
				break
			}
		}
		if err == nil {
			err = a.SaveNote(ctx, u, r.ID, f.ClinicalNote, now)
		}
		if err == nil && len(files) > 0 && f.Upload != "" {
			// "Attach" stays on the step so that more files or a Smart Sheet can follow.
			h.audit(c, models.AuditEntry{Action: "authorization.draft.save", ObjectType: "authorization", ObjectID: fmt.Sprintf("draft %d", r.ID), MemberID: r.MemberID, Detail: "step=attachments"})
			return c.Redirect(stepURL(r.ID, "attachments"), fiber.StatusSeeOther)
		}
	case "review":
		return h.submitDraft(c, r)
	}
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		if fresh, lerr := a.Request(ctx, r.ID); lerr == nil {
			v.R = fresh
		}
		if err := h.fillStep(c, v); err != nil {
			return err
		}
		return h.renderStepErrors(c, v, fe)
	}
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.draft.save", ObjectType: "authorization", ObjectID: fmt.Sprintf("draft %d", r.ID), MemberID: r.MemberID, Detail: "step=" + step})
	if button.Save == "draft" {
		h.flash(c, "success", "Draft saved. You can finish it at any time from Authorizations → Drafts.")
		return c.Redirect("/authorizations/drafts", fiber.StatusSeeOther)
	}
	next := "review"
	for i, s := range models.AuthzSteps {
		if s.Key == step && i+1 < len(models.AuthzSteps) {
			next = models.AuthzSteps[i+1].Key
		}
	}
	return c.Redirect(stepURL(r.ID, next), fiber.StatusSeeOther)
}

// errsOrNil is field problems as an error, nil when there are none (a nil map inside an
// error interface would not be nil).
func errsOrNil(errs models.FieldErrors) error {
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func (h *Handler) renderStepErrors(c *fiber.Ctx, v *stepState, fe models.FieldErrors) error {
	return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/step", "Authorization request · "+stepLabel(v.Step), newStepView(v, fe))
}

// submitDraft submits the draft and shows the request with its tracking number.
func (h *Handler) submitDraft(c *fiber.Ctx, r *models.AuthzRequest) error {
	res, err := h.authz().Submit(c.UserContext(), currentUser(c), r.ID, h.now())
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		v := h.newStepState(r, "review")
		if err := h.fillStep(c, v); err != nil {
			return err
		}
		return h.renderStepErrors(c, v, fe)
	}
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.submit", ObjectType: "authorization", ObjectID: res.TrackingNo, MemberID: res.MemberID,
		Detail: "urgency=" + res.Urgency + " service=" + res.ServiceType})
	h.flash(c, "success", "Submitted. Your tracking number is "+res.TrackingNo+"; the decision is due by "+res.DueLocal+".")
	return c.Redirect("/authorizations/"+res.TrackingNo, fiber.StatusSeeOther)
}

// AuthzDraftDelete deletes a draft of the account.
func (h *Handler) AuthzDraftDelete(c *fiber.Ctx) error {
	r, err := h.draftFor(c)
	if err != nil {
		return err
	}
	if err := h.authz().DeleteDraft(c.UserContext(), currentUser(c), r.ID); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.draft.delete", ObjectType: "authorization", ObjectID: fmt.Sprintf("draft %d", r.ID), MemberID: r.MemberID})
	h.flash(c, "success", "The draft was deleted.")
	return c.Redirect("/authorizations/drafts", fiber.StatusSeeOther)
}

// AuthzDraftFileDelete removes a file from a draft.
func (h *Handler) AuthzDraftFileDelete(c *fiber.Ctx) error {
	r, err := h.draftFor(c)
	if err != nil {
		return err
	}
	att, err := strconv.ParseInt(c.Params("att"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	if err := h.authz().RemoveAttachment(c.UserContext(), currentUser(c), r.ID, att); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.file.remove", ObjectType: "authorization", ObjectID: fmt.Sprintf("draft %d", r.ID), MemberID: r.MemberID})
	return c.Redirect(stepURL(r.ID, "attachments"), fiber.StatusSeeOther)
}

// sheetFillView is the data of pages/authorizations/sheet_fill: a Smart Sheet with the
// criteria checked (as saved, or as typed when refused).
type sheetFillView struct {
	View
	R      *models.AuthzRequest
	F      models.FilledSheet
	S      *models.SmartSheet
	Errors models.FieldErrors
}

// sheetForm is a Smart Sheet as posted: the criteria checked and the note, or Remove.
type sheetForm struct {
	Met    []string `form:"met"`
	Note   string   `form:"sheet_note" label:"the note"`
	Remove string   `form:"remove"`
}

// AuthzSheetFill shows a Smart Sheet as a checklist for a draft.
func (h *Handler) AuthzSheetFill(c *fiber.Ctx) error {
	r, err := h.draftFor(c)
	if err != nil {
		return err
	}
	sh := models.SheetByKey(utils.CopyString(c.Params("key")))
	if sh == nil {
		return models.ErrNotFound
	}
	return h.render(c, fiber.StatusOK, "pages/authorizations/sheet_fill", sh.Title+" · Smart Sheet", &sheetFillView{R: r, F: r.SheetFor(sh.Key), S: sh})
}

// AuthzSheetSave saves the checked criteria of a Smart Sheet on a draft (or removes it).
func (h *Handler) AuthzSheetSave(c *fiber.Ctx) error {
	r, err := h.draftFor(c)
	if err != nil {
		return err
	}
	sh := models.SheetByKey(utils.CopyString(c.Params("key")))
	if sh == nil {
		return models.ErrNotFound
	}
	u := currentUser(c)
	var f sheetForm
	errs := h.bindForm(c, &f)
	if errs == nil && f.Remove != "" {
		if err := h.authz().RemoveSheet(c.UserContext(), u, r.ID, sh.Key, h.now()); err != nil {
			return err
		}
		return c.Redirect(stepURL(r.ID, "attachments"), fiber.StatusSeeOther)
	}
	if err = errsOrNil(errs); err == nil {
		err = h.authz().SaveSheet(c.UserContext(), u, r.ID, sh.Key, f.Met, f.Note, h.now())
	}
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		typed := models.FilledSheet{Sheet: sh, Checked: map[string]bool{}, Note: f.Note}
		for _, k := range f.Met {
			typed.Checked[k] = true
		}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/sheet_fill", sh.Title+" · Smart Sheet", &sheetFillView{R: r, F: typed, S: sh, Errors: fe})
	}
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.sheet.save", ObjectType: "authorization", ObjectID: fmt.Sprintf("draft %d", r.ID), MemberID: r.MemberID, Detail: "sheet=" + sh.Key})
	h.flash(c, "success", "The "+sh.Title+" Smart Sheet is attached to the request.")
	return c.Redirect(stepURL(r.ID, "attachments"), fiber.StatusSeeOther)
}

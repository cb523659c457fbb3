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

func readFull(r io.Reader, buf []byte) (int, error) { return io.ReadFull(r, buf) }

// stepView is what every step page gets.
type stepView struct {
	R     *models.AuthzRequest
	Step  string
	Steps []stepItem
	Prev  string
	// Form values as typed (kept on errors).
	Values map[string]string
	Dx     []string
	Lines  []models.LineInput
	NPIs   []models.ProviderChoice
	// Required is the "is an authorization required?" answer per procedure line.
	Required []requiredAnswer
}

type stepItem struct {
	Key, Label string
	Done, Cur  bool
	N          int
}

func (h *Handler) stepView(r *models.AuthzRequest, step string) *stepView {
	v := &stepView{R: r, Step: step, Values: map[string]string{}}
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

// AuthzNew asks which member the request is for (member ID and date of birth, POSTed).
func (h *Handler) AuthzNew(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "pages/authorizations/new", "New authorization request", fiber.Map{"Errors": models.FieldErrors{}})
}

// AuthzNewLookup finds the member by ID and date of birth, applies the care-relationship
// rule and starts a draft.
func (h *Handler) AuthzNewLookup(c *fiber.Ctx) error {
	u := currentUser(c)
	id := strings.TrimSpace(utils.CopyString(c.FormValue("member_id")))
	dobIn := strings.TrimSpace(utils.CopyString(c.FormValue("dob")))
	errs := models.FieldErrors{}
	data := fiber.Map{"MemberID": id, "DOB": dobIn, "Errors": errs}
	mid := models.NormalizeMemberID(id)
	if mid == "" || len(id) > 20 {
		errs["an-member"] = "Enter the member ID as printed on the ID card, such as A100000001."
	}
	dob, ok := models.ParseUSDate(dobIn)
	if !ok || len(dobIn) > 12 {
		errs["an-dob"] = "Enter the member's date of birth as MM/DD/YYYY."
	}
	if len(errs) > 0 {
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/new", "New authorization request", data)
	}
	ms := h.st.Members
	e, err := ms.EligibilityByMemberID(c.UserContext(), mid)
	if err != nil && !isNotFound(err) {
		return err
	}
	if e == nil || e.DOB != dob {
		errs["an-member"] = "No member matches this member ID and date of birth. Check both, as printed on the ID card."
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/new", "New authorization request", data)
	}
	return h.createDraft(c, u, e)
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
	v := h.stepView(r, step)
	if err := h.fillStep(c, v); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.draft.view", ObjectType: "authorization", ObjectID: fmt.Sprintf("draft %d", r.ID), MemberID: r.MemberID, Detail: "step=" + step})
	return h.renderStep(c, fiber.StatusOK, v)
}

// fillStep fills the form values of a step from the saved draft.
func (h *Handler) fillStep(c *fiber.Ctx, v *stepView) error {
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

func (h *Handler) renderStep(c *fiber.Ctx, status int, v *stepView) error {
	data := fiber.Map{"V": v, "Services": models.ServiceTypes, "Sheets": models.SmartSheets, "Types": models.AttachmentTypesText,
		"Errors": models.FieldErrors(nil)}
	if isHTMX(c) {
		c.Set("HX-Push-Url", stepURL(v.R.ID, v.Step))
	}
	return h.render(c, status, "pages/authorizations/step", "Authorization request · "+stepLabel(v.Step), data)
}

func stepLabel(key string) string {
	for _, s := range models.AuthzSteps {
		if s.Key == key {
			return s.Label
		}
	}
	return key
}

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
	v := h.stepView(r, step)
	form := func(k string) string { return strings.TrimSpace(utils.CopyString(c.FormValue(k))) }
	switch step {
	case "member":
		err = nil
	case "providers":
		v.Values["requesting"], v.Values["servicing_npi"], v.Values["servicing_name"] = form("requesting"), form("servicing_npi"), form("servicing_name")
		err = a.SaveProviders(ctx, u, r.ID, models.ProvidersInput{Requesting: v.Values["requesting"], ServicingNPI: v.Values["servicing_npi"], ServicingName: v.Values["servicing_name"]}, now)
	case "service":
		v.Values["urgency"], v.Values["service_type"] = form("urgency"), form("service_type")
		err = a.SaveService(ctx, u, r.ID, v.Values["urgency"], v.Values["service_type"], now)
	case "codes":
		in := models.CodesInput{}
		args := c.Request().PostArgs()
		for _, b := range args.PeekMulti("dx") {
			in.Diagnoses = append(in.Diagnoses, strings.TrimSpace(string(b)))
		}
		codes, units, froms, tos := args.PeekMulti("code"), args.PeekMulti("units"), args.PeekMulti("from"), args.PeekMulti("to")
		for i := range codes {
			l := models.LineInput{Code: strings.TrimSpace(string(codes[i]))}
			if i < len(units) {
				l.Units = strings.TrimSpace(string(units[i]))
			}
			if i < len(froms) {
				l.From = strings.TrimSpace(string(froms[i]))
			}
			if i < len(tos) {
				l.To = strings.TrimSpace(string(tos[i]))
			}
			in.Lines = append(in.Lines, l)
		}
		if len(in.Diagnoses) > 40 || len(in.Lines) > 40 {
			return fiber.NewError(fiber.StatusUnprocessableEntity, "Too many fields.")
		}
		v.Dx, v.Lines = in.Diagnoses, in.Lines
		err = a.SaveCodes(ctx, u, r.ID, in, now)
	case "attachments":
		v.Values["clinical_note"] = utils.CopyString(c.FormValue("clinical_note"))
		files, ferrs := readUploads(c, "files")
		if len(ferrs) > 0 {
			err = ferrs
			break
		}
		for _, f := range files {
			if err = a.AddAttachment(ctx, u, r.ID, f, now); err != nil {
				break
			}
		}
		if err == nil {
			err = a.SaveNote(ctx, u, r.ID, v.Values["clinical_note"], now)
		}
		if err == nil && len(files) > 0 && form("upload") != "" {
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
	if form("save") == "draft" {
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

func (h *Handler) renderStepErrors(c *fiber.Ctx, v *stepView, fe models.FieldErrors) error {
	data := fiber.Map{"V": v, "Services": models.ServiceTypes, "Sheets": models.SmartSheets, "Types": models.AttachmentTypesText, "Errors": fe}
	return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/step", "Authorization request · "+stepLabel(v.Step), data)
}

// submitDraft submits the draft and shows the request with its tracking number.
func (h *Handler) submitDraft(c *fiber.Ctx, r *models.AuthzRequest) error {
	res, err := h.authz().Submit(c.UserContext(), currentUser(c), r.ID, h.now())
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		v := h.stepView(r, "review")
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
	return h.render(c, fiber.StatusOK, "pages/authorizations/sheet_fill", sh.Title+" · Smart Sheet", fiber.Map{"R": r, "F": r.SheetFor(sh.Key), "S": sh, "Errors": models.FieldErrors{}})
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
	if c.FormValue("remove") != "" {
		if err := h.authz().RemoveSheet(c.UserContext(), u, r.ID, sh.Key, h.now()); err != nil {
			return err
		}
		return c.Redirect(stepURL(r.ID, "attachments"), fiber.StatusSeeOther)
	}
	var checked []string
	for _, b := range c.Request().PostArgs().PeekMulti("met") {
		checked = append(checked, string(b))
	}
	note := utils.CopyString(c.FormValue("sheet_note"))
	err = h.authz().SaveSheet(c.UserContext(), u, r.ID, sh.Key, checked, note, h.now())
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		f := models.FilledSheet{Sheet: sh, Checked: map[string]bool{}, Note: note}
		for _, k := range checked {
			f.Checked[k] = true
		}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/authorizations/sheet_fill", sh.Title+" · Smart Sheet", fiber.Map{"R": r, "F": f, "S": sh, "Errors": fe})
	}
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "authorization.sheet.save", ObjectType: "authorization", ObjectID: fmt.Sprintf("draft %d", r.ID), MemberID: r.MemberID, Detail: "sheet=" + sh.Key})
	h.flash(c, "success", "The "+sh.Title+" Smart Sheet is attached to the request.")
	return c.Redirect(stepURL(r.ID, "attachments"), fiber.StatusSeeOther)
}

package handlers

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

func (h *Handler) claimWork() models.ClaimWork { return h.st.ClaimWork }

// claimsStaff tells whether u works the plan's Claims department (associates of the
// Claims department answer disputes).
func claimsStaff(u *models.User) bool {
	return u != nil && u.IsPlanStaff() && u.HasRole(models.RoleAssociate) && u.Department == models.DeptClaims
}

// accountClaim loads the claim named in the path if it is one of the account's verified
// TINs'. Another account's claim answers exactly like a missing one (404), audited.
func (h *Handler) accountClaim(c *fiber.Ctx) (*models.ClaimDetail, error) {
	u := currentUser(c)
	no := strings.ToUpper(strings.TrimSpace(utils.CopyString(c.Params("claimNo"))))
	if !models.ValidClaimNo(no) {
		return nil, models.ErrNotFound
	}
	d, err := h.st.Members.ClaimByNo(c.UserContext(), no)
	if isNotFound(err) {
		return nil, models.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if d.AccountID != u.AccountID || !d.TINVerified {
		h.audit(c, models.AuditEntry{Action: "claim.view.denied", ObjectType: "claim", ObjectID: d.ClaimNo, MemberID: d.MemberID, Detail: "claim of another account"})
		return nil, models.ErrNotFound
	}
	return d, nil
}

// claimView is the data of a claim's page (pages/claims/show): the claim, its history
// and disputes, whether a new dispute may be opened, the answer to a request for more
// information (kept as typed after an error, with its messages), and whether the claim
// is a sensitive service of a member with a confidential-communication request.
type claimView struct {
	View
	C            *models.ClaimDetail
	History      []models.ClaimEvent
	Disputes     []models.Dispute
	CanDispute   bool
	Info         *infoForm
	InfoErrors   models.FieldErrors
	Types        string
	Sensitive    string
	Confidential bool
}

// claimPageData gathers the claim page: history, disputes, whether a new dispute may be
// opened, the sensitive-service marker (on the page after an error too), and an empty
// answer form.
func (h *Handler) claimPageData(c *fiber.Ctx, d *models.ClaimDetail) (*claimView, error) {
	cw := h.claimWork()
	hist, err := cw.History(c.UserContext(), d)
	if err != nil {
		return nil, err
	}
	ds, err := cw.ClaimDisputes(c.UserContext(), d.ID)
	if err != nil {
		return nil, err
	}
	canDispute := d.Disputable()
	for _, x := range ds {
		if x.Open() {
			canDispute = false
		}
	}
	v := &claimView{C: d, History: hist, Disputes: ds, CanDispute: canDispute, Info: &infoForm{}, Types: models.AttachmentTypesText}
	if v.Sensitive, v.Confidential, err = h.st.Privacy.ClaimSensitivity(c.UserContext(), d.ClaimNo); err != nil {
		return nil, err
	}
	return v, nil
}

// infoForm is the answer to a request for more information, as typed (its files are
// read apart, by readMessageUploads). Its rules are the model's (InfoAnswer.Validate),
// which need the claim.
type infoForm struct {
	Text string `form:"text" id:"info-text"`
}

// ClaimInfoAnswer takes the office's answer to a request for more information (text and
// attachments): it goes to the Claims department as a secure message and the claim goes
// back in process.
func (h *Handler) ClaimInfoAnswer(c *fiber.Ctx) error {
	d, err := h.accountClaim(c)
	if err != nil {
		return err
	}
	f := &infoForm{}
	fe := h.bindForm(c, f)
	files, problem := readMessageUploads(c)
	a := models.InfoAnswer{Text: f.Text, Files: files}
	switch {
	case problem != "":
		fe = models.FieldErrors{"info-files": problem}
	case len(fe) > 0:
		fe = models.FieldErrors{"info-text": fe["form"]}
	default:
		_, err = h.claimWork().AnswerInfo(c.UserContext(), currentUser(c), d, a, h.actor(c).Stamp(models.AuditEntry{}))
		if !errors.As(err, &fe) && err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		filesNote(fe, files, "info-files")
		data, err := h.claimPageData(c, d)
		if err != nil {
			return err
		}
		data.Info, data.InfoErrors = f, fe
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/claims/show", "Error: Claim "+d.ClaimNo, data)
	}
	h.flash(c, "success", "Your answer was sent securely to the Claims department; the claim is back in process.")
	return c.Redirect("/claims/"+d.ClaimNo, fiber.StatusSeeOther)
}

// disputeForm is the dispute form as typed: the reason, the line disputed (0 for the
// whole claim) and the explanation; its files are read apart (readMessageUploads). The
// rules are the model's (DisputeRequest.Validate), which need the claim. The form is
// also read from the link that opens it (?line=N), which may carry only the line.
type disputeForm struct {
	Reason      string `form:"reason" query:"-" id:"dp-reason"`
	Explanation string `form:"explanation" query:"-" id:"dp-explanation"`
	LineText    string `form:"line" query:"line"`
	Line        int    `form:"-" query:"-"`
}

// readLine reads the line disputed: a line of claim d, else the whole claim (0).
func (f *disputeForm) readLine(d *models.ClaimDetail) {
	f.Line, _ = strconv.Atoi(f.LineText)
	if f.Line < 0 || f.Line > len(d.Lines) {
		f.Line = 0
	}
}

// ClaimDisputeForm shows the dispute form for a claim or one line (?line=N).
func (h *Handler) ClaimDisputeForm(c *fiber.Ctx) error {
	d, err := h.accountClaim(c)
	if err != nil {
		return err
	}
	f := &disputeForm{}
	// Nothing of the link is refused: a line that is not the claim's disputes the claim.
	_ = h.bindForm(c, f)
	f.readLine(d)
	data, err := h.claimPageData(c, d)
	if err != nil {
		return err
	}
	if !data.CanDispute {
		msg := "This claim already has a dispute the plan is working on; follow it on the claim and in Messaging."
		if !d.Disputable() {
			msg = "A claim can be disputed once the plan has paid, adjusted or denied it."
		}
		h.flash(c, "info", msg)
		return c.Redirect("/claims/"+d.ClaimNo, fiber.StatusSeeOther)
	}
	h.audit(c, models.AuditEntry{Action: "claim.dispute.form", ObjectType: "claim", ObjectID: d.ClaimNo, MemberID: d.MemberID})
	return h.renderDispute(c, fiber.StatusOK, d, f, nil)
}

func (h *Handler) renderDispute(c *fiber.Ctx, status int, d *models.ClaimDetail, f *disputeForm, fe models.FieldErrors) error {
	title := "Dispute claim " + d.ClaimNo
	if len(fe) > 0 {
		title = "Error: " + title
	}
	return h.render(c, status, "pages/claims/dispute", title, &disputeView{C: d, F: f, Errors: fe, Reasons: models.DisputeReasons,
		Types: models.AttachmentTypesText, MaxFiles: models.MaxAttachments, Max: models.MaxDisputeText})
}

// disputeView is the data of the dispute form (pages/claims/dispute): the claim, the
// form as typed with its messages, and the choices and limits the page states.
type disputeView struct {
	View
	C        *models.ClaimDetail
	F        *disputeForm
	Errors   models.FieldErrors
	Reasons  []models.DisputeReason
	Types    string
	MaxFiles int
	Max      int
}

// ClaimDisputeOpen files a dispute: one secure-message thread to the Claims department
// of the claim's line of business, and the dispute's status on the claim.
func (h *Handler) ClaimDisputeOpen(c *fiber.Ctx) error {
	d, err := h.accountClaim(c)
	if err != nil {
		return err
	}
	f := &disputeForm{}
	fe := h.bindForm(c, f)
	if len(f.Reason) > 40 {
		// Not a reason of the list: the model asks to choose one, and the page does not
		// echo the long value into the list.
		f.Reason = ""
	}
	f.Line, _ = strconv.Atoi(f.LineText)
	files, problem := readMessageUploads(c)
	req := models.DisputeRequest{Reason: f.Reason, LineNo: f.Line, Explanation: f.Explanation, Files: files}
	switch {
	case problem != "" || len(fe) > 0:
		msg := fe["form"]
		fe = req.Validate(d)
		if msg != "" {
			fe["dp-explanation"] = msg
		}
		if problem != "" {
			fe["dp-files"] = problem
		}
	default:
		_, err := h.claimWork().OpenDispute(c.UserContext(), currentUser(c), d, req, h.actor(c).Stamp(models.AuditEntry{}))
		if !errors.As(err, &fe) && err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		filesNote(fe, files, "dp-files")
		return h.renderDispute(c, fiber.StatusUnprocessableEntity, d, f, fe)
	}
	h.flash(c, "success", "Your dispute was sent securely to the Claims department. Follow it here and in Messaging.")
	return c.Redirect("/claims/"+d.ClaimNo+"#cl-disputes-h", fiber.StatusSeeOther)
}

// disputesView is the data of an office's list of disputes (pages/claims/disputes).
type disputesView struct {
	View
	Disputes []models.Dispute
}

// disputesStaffView is the data of the Claims department's queue
// (pages/claims/disputes_staff): the open disputes, and the answer form refused, as
// typed with its messages, under its dispute's ID.
type disputesStaffView struct {
	View
	Disputes []models.Dispute
	Forms    map[int64]*decisionForm
	Errors   map[int64]models.FieldErrors
	// Problem is said above the queue when the refused answer's dispute is closed or
	// its status was not one to choose.
	Problem string
}

// ClaimDisputes lists disputes: an office sees its account's disputes (and, by looking,
// clears the answered ones from the action-required bar only when it opens each
// claim); Claims department staff see the queue with a form to answer each.
func (h *Handler) ClaimDisputes(c *fiber.Ctx) error {
	u := currentUser(c)
	cw := h.claimWork()
	if u.IsPlanStaff() {
		if !claimsStaff(u) {
			return models.ErrForbidden
		}
		ds, err := cw.DisputeQueue(c.UserContext(), 200)
		if err != nil {
			return err
		}
		h.audit(c, models.AuditEntry{Action: "disputes.queue.view", ObjectType: "dispute", Detail: "rows=" + strconv.Itoa(len(ds))})
		return h.render(c, fiber.StatusOK, "pages/claims/disputes_staff", "Claim disputes", &disputesStaffView{Disputes: ds})
	}
	if !u.Can(models.PermClaims) {
		return models.ErrForbidden
	}
	ds, err := cw.AccountDisputes(c.UserContext(), u.AccountID, 200)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "disputes.view", ObjectType: "dispute", Detail: "rows=" + strconv.Itoa(len(ds))})
	return h.render(c, fiber.StatusOK, "pages/claims/disputes", "Disputes", &disputesView{Disputes: ds})
}

// decisionForm is a staff answer to a dispute as typed. Status and message are checked
// by the model (DisputeDecision.Validate, with the dispute); the new payment here.
type decisionForm struct {
	Status  string `form:"status" id:"dd-status"`
	Amount  string `form:"amount" id:"dd-amount"`
	Message string `form:"message" id:"dd-message"`
	newPaid int64
}

// Validate asks an overturned dispute for its new payment, in dollars and cents.
func (f *decisionForm) Validate() models.FieldErrors {
	if f.Status != models.DisputeOverturned {
		return nil
	}
	cents, ok := models.ParseDollars(f.Amount)
	if !ok || cents <= 0 {
		return models.FieldErrors{"dd-amount": "Enter the new payment in dollars and cents, such as 125.00."}
	}
	f.newPaid = cents
	return nil
}

// ClaimDisputeDecide records the Claims department's answer to a dispute: in review,
// upheld, or overturned with the new payment; the message goes into the dispute's thread.
func (h *Handler) ClaimDisputeDecide(c *fiber.Ctx) error {
	u := currentUser(c)
	if !claimsStaff(u) {
		return models.ErrForbidden
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	cw := h.claimWork()
	dp, err := cw.DisputeByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	f := &decisionForm{}
	fe := h.bindForm(c, f)
	if msg := fe["form"]; msg != "" {
		fe = models.FieldErrors{"dd-message": msg}
	}
	dd := models.DisputeDecision{Status: f.Status, Message: f.Message, NewPaid: f.newPaid}
	if len(fe) == 0 {
		err = cw.DecideDispute(c.UserContext(), u, dp, dd, h.actor(c).Stamp(models.AuditEntry{}))
		if !errors.As(err, &fe) && err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		ds, err := cw.DisputeQueue(c.UserContext(), 200)
		if err != nil {
			return err
		}
		data := &disputesStaffView{Disputes: ds, Forms: map[int64]*decisionForm{id: f}, Errors: map[int64]models.FieldErrors{id: fe}}
		if !dp.Open() || fe["dd-status"] != "" {
			data.Problem = fe["dd-status"]
		}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/claims/disputes_staff", "Error: Claim disputes", data)
	}
	h.flash(c, "success", "Dispute "+strconv.FormatInt(id, 10)+" is now: "+models.DisputeStatusLabel(dd.Status)+". The office was told in the thread.")
	return c.Redirect("/claims/disputes", fiber.StatusSeeOther)
}

// filesNote tells the user to choose again the files of a form refused for another
// reason (a browser cannot refill a file field).
func filesNote(fe models.FieldErrors, files []models.AttachmentUpload, field string) {
	if len(fe) > 0 && len(files) > 0 && fe[field] == "" {
		fe[field] = "Nothing was sent, so your files were not attached: choose them again when you send."
	}
}

func init() {
	// The Claims department's associates see the disputes waiting for an answer; one
	// older than 30 days is flagged.
	addStaffQueue(models.RoleAssociate, func(h *Handler, c *fiber.Ctx, u *models.User) ([]StaffQueue, error) {
		if !claimsStaff(u) {
			return nil, nil
		}
		q, err := h.claimWork().OpenDisputeCount(c.UserContext())
		if err != nil {
			return nil, err
		}
		return []StaffQueue{h.queue(q, "claim disputes waiting for an answer", "/claims/disputes", q.N > 0 && h.db.Now().Sub(q.Oldest) > 30*24*time.Hour)}, nil
	})
	// The action-required bar counts the plan's answers to disputes not yet seen.
	addActionCounter(func(h *Handler, c *fiber.Ctx, u *models.User) (ActionItem, error) {
		if u.IsPlanStaff() || !u.Can(models.PermClaims) {
			return ActionItem{}, nil
		}
		n, err := h.claimWork().AnsweredDisputeCount(c.UserContext(), u.AccountID)
		text := "dispute answers from the plan"
		if n == 1 {
			text = "dispute answer from the plan"
		}
		return ActionItem{n, text, "/claims/disputes"}, err
	})
}

package models

import (
	"fmt"
	"strconv"
	"strings"
)

// The forms of the authorization area as people type them. Each is decoded by the
// handlers' form pipeline (form and query tags), checked by its tags, then by its
// Validate method, which holds the area's rules in the words an office user or a
// reviewer understands. Field ids (the `id` tag and the keys Validate returns) are the
// inputs' ids, so a message sits next to its field and the error summary links to it.

// AuthzFilter is the office list's filter. Status, service type and page may come in a
// link; the member ID, dates and tracking number only in a POSTed form (query:"-"), so
// that they never reach a URL.
type AuthzFilter struct {
	Status     string `form:"status" query:"status" id:"az-status" label:"the status" validate:"maxrunes=40"`
	Service    string `form:"service_type" query:"service_type" id:"az-service" label:"the service type" validate:"maxrunes=40"`
	MemberID   string `form:"member_id" query:"-" id:"az-member" label:"the member ID" validate:"maxrunes=40"`
	From       string `form:"from" query:"-" id:"az-from" label:"the “from” date" validate:"maxrunes=40"`
	To         string `form:"to" query:"-" id:"az-to" label:"the “to” date" validate:"maxrunes=40"`
	TrackingNo string `form:"tracking_no" query:"-" id:"az-no" label:"the tracking number" validate:"maxrunes=40"`
	Page       string `form:"page" query:"page"`
}

// Posted tells whether the filter holds fields that travel only in a POST body: then
// paging and CSV carry them as forms.
func (f *AuthzFilter) Posted() bool {
	return f.MemberID != "" || f.From != "" || f.To != "" || f.TrackingNo != ""
}

// Validate applies the filter's rules: a status and a service type from the lists, real
// dates in order, a tracking number and a member ID as printed.
func (f *AuthzFilter) Validate() FieldErrors {
	_, _, errs := f.Query(0)
	return errs
}

// Query is the filter as a query over the account's requests, the member ID to look up
// (normalized, "" for none), and the problems of what was typed.
func (f *AuthzFilter) Query(accountID int64) (AuthzQuery, string, FieldErrors) {
	errs := FieldErrors{}
	q := AuthzQuery{AccountID: accountID, Page: PageNumber(f.Page, 100000)}
	if f.Status != "" {
		if validAuthzStatus(f.Status) {
			q.Status = f.Status
		} else {
			errs["az-status"] = "Choose a status from the list."
		}
	}
	if f.Service != "" {
		if ServiceTypeLabel(f.Service) == "" {
			errs["az-service"] = "Choose a service type from the list."
		} else {
			q.ServiceType = f.Service
		}
	}
	q.From, q.To = DateRange(f.From, f.To, "az-from", "az-to", "the “from” date", "the “to” date", errs)
	if f.TrackingNo != "" {
		q.TrackingNo = strings.ToUpper(f.TrackingNo)
		if !ValidTrackingNo(q.TrackingNo) {
			errs["az-no"] = "Enter a tracking number such as PA260000123."
		}
	}
	var member string
	if f.MemberID != "" {
		if member = NormalizeMemberID(f.MemberID); member == "" {
			errs["az-member"] = "Enter the member ID as printed on the ID card, such as A100000001."
		}
	}
	if len(errs) == 0 {
		errs = nil
	}
	return q, member, errs
}

func validAuthzStatus(s string) bool {
	for _, v := range AuthzStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// AuthzMemberForm finds the member a new request is for: member ID and date of birth,
// POSTed so that neither reaches a URL.
type AuthzMemberForm struct {
	MemberID string `form:"member_id" id:"an-member" label:"the member ID"`
	DOB      string `form:"dob" id:"an-dob" label:"the date of birth"`
}

// Validate checks that both look like what is printed on the ID card.
func (f *AuthzMemberForm) Validate() FieldErrors {
	errs := FieldErrors{}
	if f.Member() == "" || len(f.MemberID) > 20 {
		errs["an-member"] = "Enter the member ID as printed on the ID card, such as A100000001."
	}
	if _, ok := ParseUSDate(f.DOB); !ok || len(f.DOB) > 12 {
		errs["an-dob"] = "Enter the member's date of birth as MM/DD/YYYY."
	}
	return errs
}

// Member is the member ID as stored ("" when it cannot be one).
func (f *AuthzMemberForm) Member() string { return NormalizeMemberID(f.MemberID) }

// Birth is the date of birth as stored (YYYY-MM-DD).
func (f *AuthzMemberForm) Birth() string { d, _ := ParseUSDate(f.DOB); return d }

// ServiceInput is the service step: urgency and service type.
type ServiceInput struct {
	Urgency     string `form:"urgency" label:"the urgency"`
	ServiceType string `form:"service_type" label:"the service type"`
}

// Validate asks for urgent or standard and a service type from the list.
func (in *ServiceInput) Validate() FieldErrors {
	errs := FieldErrors{}
	if in.Urgency != UrgencyUrgent && in.Urgency != UrgencyStandard {
		errs["urgency"] = "Choose whether the request is urgent or standard."
	}
	if ServiceTypeLabel(in.ServiceType) == "" {
		errs["service_type"] = "Choose the type of service."
	}
	return errs
}

// maxCodeFields bounds how many code fields a codes step may post (the page shows at
// most MaxAuthzDiagnoses and MaxAuthzLines rows): more is not a person typing.
const maxCodeFields = 40

// CodesForm is the codes step as posted: the diagnosis fields, and the procedure lines'
// fields, each repeated once per row in the page's order (empty rows included).
type CodesForm struct {
	Dx    []string `form:"dx"`
	Code  []string `form:"code"`
	Units []string `form:"units"`
	From  []string `form:"from"`
	To    []string `form:"to"`
}

// Input puts the posted fields together row by row, trimmed.
func (f *CodesForm) Input() CodesInput {
	var in CodesInput
	for _, d := range f.Dx {
		in.Diagnoses = append(in.Diagnoses, strings.TrimSpace(d))
	}
	at := func(list []string, i int) string {
		if i < len(list) {
			return strings.TrimSpace(list[i])
		}
		return ""
	}
	for i := range f.Code {
		in.Lines = append(in.Lines, LineInput{Code: at(f.Code, i), Units: at(f.Units, i), From: at(f.From, i), To: at(f.To, i)})
	}
	return in
}

// Validate refuses more fields than the page has. The codes themselves are checked by
// SaveCodes (CheckCodes), all at once with the date rules that need the plan's today.
func (f *CodesForm) Validate() FieldErrors {
	if len(f.Dx) > maxCodeFields {
		return FieldErrors{"dx-0": fmt.Sprintf("A request holds at most %d diagnosis codes.", MaxAuthzDiagnoses)}
	}
	if len(f.Code) > maxCodeFields || len(f.Units) > maxCodeFields || len(f.From) > maxCodeFields || len(f.To) > maxCodeFields {
		return FieldErrors{"code-0": fmt.Sprintf("A request holds at most %d procedure lines.", MaxAuthzLines)}
	}
	return nil
}

// DecisionForm is the reviewer's decision as posted. The approved units of a partial
// approval come one field per procedure line, named approved-1 to approved-10 after the
// line numbers (MaxAuthzLines).
type DecisionForm struct {
	Action    string `form:"action" label:"the decision"`
	Reason    string `form:"reason" label:"the reason"`
	Note      string `form:"note" label:"the explanation"`
	Approved1 string `form:"approved-1"`
	Approved2 string `form:"approved-2"`
	Approved3 string `form:"approved-3"`
	Approved4 string `form:"approved-4"`
	Approved5 string `form:"approved-5"`
	Approved6 string `form:"approved-6"`
	Approved7 string `form:"approved-7"`
	Approved8 string `form:"approved-8"`
	Approved9 string `form:"approved-9"`
	// Approved10 is the last: a request holds MaxAuthzLines lines.
	Approved10 string `form:"approved-10"`
}

// A request holding more lines than DecisionForm has fields would not build.
var _ = [1]struct{}{}[MaxAuthzLines-10]

// Validate asks for one of the decisions (Decide checks the rest against the request).
func (f *DecisionForm) Validate() FieldErrors {
	switch f.Action {
	case ActApprove, ActPartial, ActDeny, ActMoreInfo, ActExtend:
		return nil
	}
	return FieldErrors{"action": "Choose a decision."}
}

// Decision is the form as Decide takes it. A units field that is not a number is kept
// as -1, which Decide refuses next to the line.
func (f *DecisionForm) Decision() Decision {
	d := Decision{Action: f.Action, Note: f.Note, ApprovedUnits: map[int]int{}}
	d.ReasonID, _ = strconv.ParseInt(f.Reason, 10, 64)
	for i, v := range []string{f.Approved1, f.Approved2, f.Approved3, f.Approved4, f.Approved5,
		f.Approved6, f.Approved7, f.Approved8, f.Approved9, f.Approved10} {
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		}
		d.ApprovedUnits[i+1] = n
	}
	return d
}

// AppealInput is the outcome of an appeal of a denial, as the reviewer records it.
type AppealInput struct {
	Outcome string `form:"outcome" label:"the outcome"`
	Note    string `form:"appeal_note" label:"the note"`
}

// Validate asks for overturned or upheld and a note of reasonable length.
func (in *AppealInput) Validate() FieldErrors {
	errs := FieldErrors{}
	if in.Outcome != "overturned" && in.Outcome != "upheld" {
		errs["outcome"] = "Choose whether the appeal overturned or upheld the denial."
	}
	if len(in.Note) > MaxDecisionNote {
		errs["appeal_note"] = fmt.Sprintf("Keep the note to %d characters.", MaxDecisionNote)
	}
	return errs
}

// QueueFilter is the reviewer queue's filter (plan type, service type, urgency, mine,
// waiting): none of it is health information, so it travels in the query string.
type QueueFilter struct {
	PlanType string `query:"plan_type" id:"q-plan" label:"the plan type" validate:"maxrunes=40"`
	Service  string `query:"service_type" id:"q-service" label:"the service type" validate:"maxrunes=40"`
	Urgency  string `query:"urgency" id:"q-urgency" label:"the urgency" validate:"maxrunes=40"`
	Mine     bool   `query:"mine"`
	Waiting  bool   `query:"waiting"`
	Page     string `query:"page"`
}

// Validate asks for a plan type, service type and urgency from the lists.
func (f *QueueFilter) Validate() FieldErrors {
	errs := FieldErrors{}
	if f.PlanType != "" && !ValidPlanType(f.PlanType) {
		errs["q-plan"] = "Choose a plan type from the list."
	}
	if f.Service != "" && ServiceTypeLabel(f.Service) == "" {
		errs["q-service"] = "Choose a service type from the list."
	}
	if f.Urgency != "" && f.Urgency != UrgencyUrgent && f.Urgency != UrgencyStandard {
		errs["q-urgency"] = "Choose urgent or standard."
	}
	return errs
}

// PageNo is the page asked for, 1 when none or nonsense.
func (f *QueueFilter) PageNo() int {
	n, _ := strconv.Atoi(f.Page)
	if n < 1 || n > 100000 {
		return 1
	}
	return n
}

// Filter is the queue query of the filter; mine is the reviewer's user ID.
func (f *QueueFilter) Filter(mine int64) QueueQuery {
	q := QueueQuery{PlanType: f.PlanType, ServiceType: f.Service, Urgency: f.Urgency, Waiting: f.Waiting, Page: f.PageNo()}
	if f.Mine {
		q.Mine = mine
	}
	return q
}

// Query is the filter as a query string, for the paging links and the audit entry.
func (f *QueueFilter) Query() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("plan_type", f.PlanType)
	add("service_type", f.Service)
	add("urgency", f.Urgency)
	if f.Mine {
		add("mine", "1")
	}
	if f.Waiting {
		add("waiting", "1")
	}
	return strings.Join(parts, "&")
}

// clockFields are the clock settings form's fields of one plan type and urgency.
type clockFields struct {
	PlanType, Urgency string
	Amount, Unit      string
}

// ClockForm is the admin's decision clocks: an amount and a unit for each plan type and
// urgency, named PLAN_URGENCY_amount and PLAN_URGENCY_unit.
type ClockForm struct {
	CommercialUrgentAmount   string `form:"commercial_urgent_amount"`
	CommercialUrgentUnit     string `form:"commercial_urgent_unit"`
	CommercialStandardAmount string `form:"commercial_standard_amount"`
	CommercialStandardUnit   string `form:"commercial_standard_unit"`
	MedicareUrgentAmount     string `form:"medicare_urgent_amount"`
	MedicareUrgentUnit       string `form:"medicare_urgent_unit"`
	MedicareStandardAmount   string `form:"medicare_standard_amount"`
	MedicareStandardUnit     string `form:"medicare_standard_unit"`
	MedicalUrgentAmount      string `form:"medical_urgent_amount"`
	MedicalUrgentUnit        string `form:"medical_urgent_unit"`
	MedicalStandardAmount    string `form:"medical_standard_amount"`
	MedicalStandardUnit      string `form:"medical_standard_unit"`
}

func (f *ClockForm) fields() []clockFields {
	return []clockFields{
		{PlanCommercial, UrgencyUrgent, f.CommercialUrgentAmount, f.CommercialUrgentUnit},
		{PlanCommercial, UrgencyStandard, f.CommercialStandardAmount, f.CommercialStandardUnit},
		{PlanMedicare, UrgencyUrgent, f.MedicareUrgentAmount, f.MedicareUrgentUnit},
		{PlanMedicare, UrgencyStandard, f.MedicareStandardAmount, f.MedicareStandardUnit},
		{PlanMediCal, UrgencyUrgent, f.MedicalUrgentAmount, f.MedicalUrgentUnit},
		{PlanMediCal, UrgencyStandard, f.MedicalStandardAmount, f.MedicalStandardUnit},
	}
}

// Rules are the clocks as typed, with the problems of each (keyed clk-PLAN_URGENCY).
func (f *ClockForm) Rules() ([]ClockRule, FieldErrors) {
	errs := FieldErrors{}
	var out []ClockRule
	for _, c := range f.fields() {
		key := "clk-" + c.PlanType + "_" + c.Urgency
		amount, err := strconv.Atoi(c.Amount)
		if err != nil {
			errs[key] = "Enter a whole number from 1 to 720."
			continue
		}
		r := ClockRule{PlanType: c.PlanType, Urgency: c.Urgency, Amount: amount, Unit: c.Unit}
		if !r.Valid() {
			errs[key] = "Enter a whole number from 1 to 720 and a unit."
			continue
		}
		out = append(out, r)
	}
	return out, errs
}

// Validate checks every clock, so that a bad one saves none.
func (f *ClockForm) Validate() FieldErrors {
	_, errs := f.Rules()
	return errs
}

// HolidayInput adds a holiday, or removes the one on Day.
type HolidayInput struct {
	Day    string `form:"day" id:"hol-day" label:"the date"`
	Name   string `form:"name" id:"hol-name" label:"the name"`
	Remove string `form:"remove"`
}

// Validate asks for a date and, to add one, a name of up to 80 characters.
func (in *HolidayInput) Validate() FieldErrors {
	errs := FieldErrors{}
	if _, ok := ParseUSDate(in.Day); !ok {
		errs["hol-day"] = "Enter the date as MM/DD/YYYY."
	}
	if in.Remove == "" && (in.Name == "" || len(in.Name) > 80) {
		errs["hol-name"] = "Name the holiday (up to 80 characters)."
	}
	return errs
}

// Date is the day as stored (YYYY-MM-DD).
func (in *HolidayInput) Date() string { d, _ := ParseUSDate(in.Day); return d }

// ReasonInput adds a decision reason (Kind and Text), or retires or restores reason ID
// (Active "1" restores).
type ReasonInput struct {
	ID     string `form:"id"`
	Active string `form:"active"`
	Kind   string `form:"kind" id:"rs-kind" label:"what the reason is for"`
	Text   string `form:"text" id:"rs-text" label:"the reason"`
}

// ReasonID is the reason to retire or restore, 0 when the form adds one.
func (in *ReasonInput) ReasonID() int64 {
	id, err := strconv.ParseInt(in.ID, 10, 64)
	if err != nil || id < 1 {
		return 0
	}
	return id
}

// Validate asks, for a new reason, what it is for and its words.
func (in *ReasonInput) Validate() FieldErrors {
	if in.ReasonID() != 0 {
		return nil
	}
	errs := FieldErrors{}
	switch in.Kind {
	case ActApprove, ActPartial, ActDeny, ActMoreInfo, ActExtend:
	default:
		errs["rs-kind"] = "Choose what the reason is for."
	}
	if text := strings.TrimSpace(in.Text); text == "" || len(text) > 300 {
		errs["rs-text"] = "Write the reason in 1 to 300 characters."
	}
	return errs
}

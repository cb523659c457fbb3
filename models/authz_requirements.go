package models

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Requirement is one row of the plan's list of procedures that need prior authorization.
type Requirement struct {
	ID          int64
	Code        string
	Title       string
	PlanType    string
	Required    bool
	ServiceType string
	Note        string
	UpdatedAt   string
}

// PlanLabel is the plan type in words.
func (r Requirement) PlanLabel() string { return PlanTypeLabel(r.PlanType) }

// ServiceLabel is the service type in words.
func (r Requirement) ServiceLabel() string { return ServiceTypeLabel(r.ServiceType) }

// RequirementAnswer answers "is an authorization required?" for a code and plan type.
type RequirementAnswer struct {
	Code     Code
	PlanType string
	// Listed is true when the plan's list has the code for the plan type.
	Listed   bool
	Required bool
	Note     string
}

// Text says the answer in words.
func (a RequirementAnswer) Text() string {
	switch {
	case a.Listed && a.Required:
		return "Prior authorization is required for " + PlanTypeLabel(a.PlanType) + " members."
	case a.Listed:
		return "No prior authorization is needed for " + PlanTypeLabel(a.PlanType) + " members."
	}
	return "This code is not on the plan's list for " + PlanTypeLabel(a.PlanType) + ": no prior authorization is needed when the service is a covered benefit from an in-network provider."
}

// IsRequired looks code up for planType.
func (s Authz) IsRequired(ctx context.Context, code, planType string) (RequirementAnswer, error) {
	c, ok := LookupProcedure(code)
	if !ok {
		return RequirementAnswer{}, FieldErrors{"code": ProcedureProblem(code)}
	}
	if !ValidPlanType(planType) {
		return RequirementAnswer{}, FieldErrors{"plan_type": "Choose a plan type."}
	}
	a := RequirementAnswer{Code: c, PlanType: planType}
	st, err := s.DB.Prepared(ctx, s.DB.R, `SELECT required, note FROM authz_requirements WHERE plan_type = ? AND code = ?`)
	if err != nil {
		return a, err
	}
	err = st.QueryRowContext(ctx, planType, c.Code).Scan(&a.Required, &a.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil
	}
	if err != nil {
		return a, err
	}
	a.Listed = true
	return a, nil
}

// Requirements lists the plan's list (every plan type when planType is "").
func (s Authz) Requirements(ctx context.Context, planType string) ([]Requirement, error) {
	q := `SELECT id, code, plan_type, required, service_type, note, updated_at FROM authz_requirements`
	var args []any
	if planType != "" {
		q += ` WHERE plan_type = ?`
		args = append(args, planType)
	}
	rows, err := s.DB.R.QueryContext(ctx, q+` ORDER BY plan_type, code LIMIT 5000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Requirement
	for rows.Next() {
		var r Requirement
		if err := rows.Scan(&r.ID, &r.Code, &r.PlanType, &r.Required, &r.ServiceType, &r.Note, &r.UpdatedAt); err != nil {
			return nil, err
		}
		if c, ok := LookupProcedure(r.Code); ok {
			r.Title = c.Title
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RequirementInput is one row as typed or imported.
type RequirementInput struct {
	Code        string `form:"code" id:"rq-code" label:"the code" validate:"maxrunes=20"`
	PlanType    string `form:"plan_type" id:"rq-plan_type" label:"the plan type"`
	Required    string `form:"required" id:"rq-required" label:"required"`
	ServiceType string `form:"service_type" id:"rq-service_type" label:"the service type"`
	Note        string `form:"note" id:"rq-note" label:"the note"`
}

// Validate applies the list's rules to a row typed on the settings page; the keys are
// the page's field ids (rq-code, rq-plan_type ...).
func (in RequirementInput) Validate() FieldErrors {
	_, errs := in.check()
	if errs == nil {
		return nil
	}
	out := FieldErrors{}
	for k, v := range errs {
		out["rq-"+k] = v
	}
	return out
}

func (in RequirementInput) check() (Requirement, FieldErrors) {
	errs := FieldErrors{}
	r := Requirement{PlanType: strings.TrimSpace(in.PlanType), ServiceType: strings.TrimSpace(in.ServiceType), Note: strings.TrimSpace(in.Note)}
	if c, ok := LookupProcedure(in.Code); ok {
		r.Code = c.Code
	} else {
		errs["code"] = ProcedureProblem(in.Code)
	}
	if !ValidPlanType(r.PlanType) {
		errs["plan_type"] = "Plan type must be commercial, medicare or medical."
	}
	switch strings.ToLower(strings.TrimSpace(in.Required)) {
	case "yes", "y", "1", "true", "required", "":
		r.Required = true
	case "no", "n", "0", "false":
		r.Required = false
	default:
		errs["required"] = "Required must be yes or no."
	}
	if r.ServiceType != "" && ServiceTypeLabel(r.ServiceType) == "" {
		errs["service_type"] = "Service type must be one of the plan's service types."
	}
	if len(r.Note) > 300 {
		errs["note"] = "Keep the note to 300 characters."
	}
	if len(errs) > 0 {
		return r, errs
	}
	return r, nil
}

func upsertRequirement(ctx context.Context, tx *sql.Tx, r Requirement, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO authz_requirements(code, plan_type, required, service_type, note, updated_at) VALUES (?,?,?,?,?,?)
		ON CONFLICT(code, plan_type) DO UPDATE SET required = excluded.required, service_type = excluded.service_type, note = excluded.note, updated_at = excluded.updated_at`,
		r.Code, r.PlanType, r.Required, r.ServiceType, r.Note, now.UTC().Format(TimeFormat))
	return err
}

// SaveRequirement adds or changes one row (plan admin).
func (s Authz) SaveRequirement(ctx context.Context, in RequirementInput, now time.Time) error {
	r, errs := in.check()
	if errs != nil {
		return errs
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error { return upsertRequirement(ctx, tx, r, now) })
}

// DeleteRequirement removes a row.
func (s Authz) DeleteRequirement(ctx context.Context, id int64) error {
	res, err := s.DB.W.ExecContext(ctx, `DELETE FROM authz_requirements WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// ImportRequirements reads a CSV (header: code, plan_type, required[, service_type, note])
// and applies it in one transaction: a file with any bad row changes nothing, and every
// problem is returned with its line number.
func (s Authz) ImportRequirements(ctx context.Context, r io.Reader, now time.Time) (int, []string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return 0, []string{"line 1: the file is empty or not CSV"}, nil
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"code", "plan_type"} {
		if _, ok := col[need]; !ok {
			return 0, []string{"line 1: the header needs the columns code, plan_type and required (optional: service_type, note)"}, nil
		}
	}
	get := func(rec []string, k string) string {
		if i, ok := col[k]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var rows []Requirement
	var problems []string
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", line, err))
			break
		}
		if line > 20001 {
			problems = append(problems, "the file has more than 20,000 rows")
			break
		}
		req, errs := RequirementInput{Code: get(rec, "code"), PlanType: get(rec, "plan_type"), Required: get(rec, "required"),
			ServiceType: get(rec, "service_type"), Note: get(rec, "note")}.check()
		for _, k := range []string{"code", "plan_type", "required", "service_type", "note"} {
			if m, ok := errs[k]; ok {
				problems = append(problems, fmt.Sprintf("line %d: %s", line, m))
			}
		}
		rows = append(rows, req)
	}
	if len(problems) > 0 {
		return 0, problems, nil
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			if err := upsertRequirement(ctx, tx, r, now); err != nil {
				return err
			}
		}
		return nil
	})
	return len(rows), nil, err
}

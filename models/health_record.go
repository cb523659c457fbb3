package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"portico/db"
)

// HealthTabs are the tabs of Health Records, in the guide's order.
var HealthTabs = []Choice{
	{"visits", "Visits"},
	{"medications", "Medications"},
	{"immunizations", "Immunizations"},
	{"labs", "Labs"},
	{"allergies", "Allergies"},
}

// HealthTabLabel names a tab ("" when there is no such tab).
func HealthTabLabel(tab string) string {
	for _, t := range HealthTabs {
		if t.Value == tab {
			return t.Label
		}
	}
	return ""
}

// HealthPageSize is the rows per page of a Health Records tab.
const HealthPageSize = 25

// Visit is an encounter with its note.
type Visit struct {
	Date, Setting, Provider, Reason, Diagnosis, Note, Source, ClaimNo string
	// Sensitive is the visit's sensitive-service category ("" for none), for the care
	// team's marker.
	Sensitive string
}

// SensitiveLabel is the visit's sensitive-service category in words ("" for none).
func (v Visit) SensitiveLabel() string { return SensitiveLabel(v.Sensitive) }

// SettingLabel is the visit's setting in words.
func (v Visit) SettingLabel() string {
	return choiceLabel([]Choice{{"office", "Office visit"}, {"telehealth", "Telehealth"}, {"urgent_care", "Urgent care"},
		{"emergency", "Emergency room"}, {"inpatient", "Hospital stay"}, {"behavioral_health", "Behavioral health"}}, v.Setting)
}

// Medication is a prescription on record.
type Medication struct{ Drug, Dose, Directions, Prescriber, StartedOn, EndedOn string }

// Immunization is a vaccine given.
type Immunization struct{ Vaccine, GivenOn, Dose, Provider string }

// Lab is a lab result with its reference range and abnormal flag.
type Lab struct{ CollectedOn, Test, Value, Unit, RefRange, Flag, OrderedBy string }

// FlagLabel is the abnormal flag in words ("Normal" when there is none).
func (l Lab) FlagLabel() string {
	switch l.Flag {
	case "high":
		return "High"
	case "low":
		return "Low"
	case "abnormal":
		return "Abnormal"
	}
	return "Normal"
}

// FlagClass is the flag's colour (always shown with its word).
func (l Lab) FlagClass() string {
	if l.Flag == "" {
		return "status-ok"
	}
	return "status-bad"
}

// Allergy is an allergy on record.
type Allergy struct{ Substance, Reaction, Severity, NotedOn string }

// SeverityClass is the severity's colour.
func (a Allergy) SeverityClass() string {
	switch a.Severity {
	case "severe":
		return "status-bad"
	case "moderate":
		return "status-warn"
	}
	return "status-info"
}

// HealthPage is one page of one tab.
type HealthPage struct {
	Tab           string
	Page, Total   int
	Visits        []Visit
	Medications   []Medication
	Immunizations []Immunization
	Labs          []Lab
	Allergies     []Allergy
}

// Pages is the number of pages.
func (p *HealthPage) Pages() int {
	if p.Total == 0 {
		return 1
	}
	return (p.Total + HealthPageSize - 1) / HealthPageSize
}

// HealthRecords reads a member's health records. A visit's reason and note are sealed
// (note_seal.go): they tell why the member was seen and what was found; so are a
// medication's directions.
type HealthRecords struct {
	DB *db.DB
	// Keys opens the visits' reasons and notes and the medications' directions (the
	// clinical notes key).
	Keys *Keyring
}

var healthQueries = map[string]struct{ table, cols, order string }{
	"visits":        {"health_visits", "id, visit_date, setting, provider, reason, diagnosis, note, source, claim_no, sensitive_category", "visit_date DESC, id DESC"},
	"medications":   {"health_medications", "id, drug, dose, directions, prescriber, started_on, ended_on", "started_on DESC, id DESC"},
	"immunizations": {"health_immunizations", "vaccine, given_on, dose, provider", "given_on DESC, id DESC"},
	"labs":          {"health_labs", "collected_on, test, value, unit, ref_range, flag, ordered_by", "collected_on DESC, id DESC"},
	"allergies":     {"health_allergies", "substance, reaction, severity, noted_on", "noted_on DESC, id DESC"},
}

// HealthExportMax bounds the rows of one tab's CSV download.
const HealthExportMax = 5000

// Tab reads page page (from 1) of tab for the member, through the tab's member index.
func (s HealthRecords) Tab(ctx context.Context, memberPK int64, tab string, page int) (*HealthPage, error) {
	if page < 1 {
		page = 1
	}
	return s.rows(ctx, memberPK, tab, page, HealthPageSize)
}

// All reads every row of tab for the member (at most HealthExportMax), for the CSV.
func (s HealthRecords) All(ctx context.Context, memberPK int64, tab string) (*HealthPage, error) {
	return s.rows(ctx, memberPK, tab, 1, HealthExportMax)
}

func (s HealthRecords) rows(ctx context.Context, memberPK int64, tab string, page, size int) (*HealthPage, error) {
	q, ok := healthQueries[tab]
	if !ok {
		return nil, ErrNotFound
	}
	hp := &HealthPage{Tab: tab, Page: page}
	if err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+q.table+" WHERE member_pk = ?", memberPK).Scan(&hp.Total); err != nil {
		return nil, fmt.Errorf("health %s: %w", tab, err)
	}
	rows, err := s.DB.R.QueryContext(ctx, "SELECT "+q.cols+" FROM "+q.table+" WHERE member_pk = ? ORDER BY "+q.order+" LIMIT ? OFFSET ?",
		memberPK, size, (page-1)*size)
	if err != nil {
		return nil, fmt.Errorf("health %s: %w", tab, err)
	}
	defer rows.Close()
	var ns *noteSealer
	if tab == "visits" || tab == "medications" {
		if ns, err = s.Keys.noteSealer(notePurposeClinical); err != nil {
			ns = nil // every stored text shows as UnreadableNote
		}
	}
	for rows.Next() {
		switch tab {
		case "visits":
			var v Visit
			var id int64
			err = rows.Scan(&id, &v.Date, &v.Setting, &v.Provider, &v.Reason, &v.Diagnosis, &v.Note, &v.Source, &v.ClaimNo, &v.Sensitive)
			v.Reason = ns.show("health_visits", "reason", noteRow(id), v.Reason)
			v.Note = ns.show("health_visits", "note", noteRow(id), v.Note)
			hp.Visits = append(hp.Visits, v)
		case "medications":
			var m Medication
			var id int64
			err = rows.Scan(&id, &m.Drug, &m.Dose, &m.Directions, &m.Prescriber, &m.StartedOn, &m.EndedOn)
			m.Directions = ns.show("health_medications", "directions", noteRow(id), m.Directions)
			hp.Medications = append(hp.Medications, m)
		case "immunizations":
			var i Immunization
			err = rows.Scan(&i.Vaccine, &i.GivenOn, &i.Dose, &i.Provider)
			hp.Immunizations = append(hp.Immunizations, i)
		case "labs":
			var l Lab
			err = rows.Scan(&l.CollectedOn, &l.Test, &l.Value, &l.Unit, &l.RefRange, &l.Flag, &l.OrderedBy)
			hp.Labs = append(hp.Labs, l)
		case "allergies":
			var a Allergy
			err = rows.Scan(&a.Substance, &a.Reaction, &a.Severity, &a.NotedOn)
			hp.Allergies = append(hp.Allergies, a)
		}
		if err != nil {
			return nil, fmt.Errorf("health %s: %w", tab, err)
		}
	}
	return hp, rows.Err()
}

// CareDocTypes are the kinds of care coordination document case managers add.
var CareDocTypes = []string{
	"Individualized Care Plan (ICP)",
	"Interdisciplinary Care Team (ICT) meeting summary",
	"Health risk assessment summary",
	"Transition of care notice",
	"Care coordination letter",
}

// CareDocument is a care coordination document of a D-SNP member.
type CareDocument struct {
	ID                       int64
	DocType, DocDate, Author string
	Name, MIME               string
	Size                     int64
	Data                     []byte
}

// TypeLabel is the file type in words.
func (d CareDocument) TypeLabel() string { return AttachmentTypeLabel(d.MIME) }

// SizeText is the size in B, KB or MB.
func (d CareDocument) SizeText() string { return AttachmentSizeText(d.Size) }

// CareDocuments stores care coordination documents.
type CareDocuments struct{ DB *db.DB }

// ForMember lists the member's documents, newest first (without contents).
func (s CareDocuments) ForMember(ctx context.Context, memberPK int64) ([]CareDocument, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, doc_type, doc_date, author, name, mime, size FROM care_coordination_documents
		WHERE member_pk = ? ORDER BY doc_date DESC, id DESC LIMIT 200`, memberPK)
	if err != nil {
		return nil, fmt.Errorf("care documents: %w", err)
	}
	defer rows.Close()
	var out []CareDocument
	for rows.Next() {
		var d CareDocument
		if err := rows.Scan(&d.ID, &d.DocType, &d.DocDate, &d.Author, &d.Name, &d.MIME, &d.Size); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Get loads document id of the member with its content.
func (s CareDocuments) Get(ctx context.Context, memberPK, id int64) (*CareDocument, error) {
	var d CareDocument
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, doc_type, doc_date, author, name, mime, size, data FROM care_coordination_documents
		WHERE id = ? AND member_pk = ?`, id, memberPK).Scan(&d.ID, &d.DocType, &d.DocDate, &d.Author, &d.Name, &d.MIME, &d.Size, &d.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("care document: %w", ErrNotFound)
	}
	return &d, err
}

// CareDocInput is a document a case manager adds.
type CareDocInput struct {
	DocType string            `form:"doc_type" label:"the document type"`
	DocDate string            `form:"doc_date" label:"the document date"`
	File    *AttachmentUpload `form:"-"`
}

// Add stores a document for a D-SNP member; only case managers add them, and only
// PDF or plain text (the formats offices can open anywhere), checked by content with
// messaging's upload rules.
func (s CareDocuments) Add(ctx context.Context, m *Member, cm *User, in CareDocInput, e AuditEntry) error {
	if !cm.HasRole(RoleCaseManager) {
		return ErrForbidden
	}
	if m.Product != "dsnp" {
		return ErrNotFound
	}
	errs := FieldErrors{}
	valid := false
	for _, t := range CareDocTypes {
		valid = valid || t == in.DocType
	}
	if !valid {
		errs["doc_type"] = "Choose the document type."
	}
	if _, err := time.Parse(DateFormat, in.DocDate); err != nil {
		errs["doc_date"] = "Enter the document's date as MM/DD/YYYY."
	}
	switch {
	case in.File == nil:
		errs["attachments"] = "Choose the document: a PDF or a plain-text file of at most 10 MB."
	case in.File.MIME != "application/pdf" && in.File.MIME != "text/plain":
		errs["attachments"] = in.File.Name + " is a " + AttachmentTypeLabel(in.File.MIME) + "; care coordination documents are PDF or plain text."
	}
	if len(errs) > 0 {
		return errs
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO care_coordination_documents(member_pk, doc_type, doc_date, author, name, mime, size, data, uploaded_by, created_at)
			VALUES (?,?,?,?,?,?,?,?,?,?)`, m.PK, in.DocType, in.DocDate, cm.Name, in.File.Name, in.File.MIME, len(in.File.Data), in.File.Data, cm.ID, s.DB.NowText())
		if err != nil {
			return fmt.Errorf("add care document: %w", err)
		}
		id, _ := res.LastInsertId()
		e.Action, e.ObjectType, e.ObjectID, e.MemberID = "care_document.upload", "care_document", fmt.Sprint(id), m.MemberID
		e.Detail = "type=" + strings.SplitN(in.DocType, " (", 2)[0]
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
	})
}

// CSV is the tab's rows as a CSV header and rows (dates as MM/DD/YYYY, as on screen).
func (p *HealthPage) CSV(date func(string) string) ([]string, [][]string) {
	var out [][]string
	switch p.Tab {
	case "visits":
		for _, v := range p.Visits {
			out = append(out, []string{date(v.Date), v.SettingLabel(), v.Provider, v.Reason, v.Diagnosis, v.Note, v.ClaimNo})
		}
		return []string{"date", "setting", "provider", "reason", "diagnosis", "visit_note", "claim_no"}, out
	case "medications":
		for _, m := range p.Medications {
			out = append(out, []string{m.Drug, m.Dose, m.Directions, m.Prescriber, date(m.StartedOn), date(m.EndedOn)})
		}
		return []string{"medication", "dose", "directions", "prescriber", "started", "ended"}, out
	case "immunizations":
		for _, i := range p.Immunizations {
			out = append(out, []string{i.Vaccine, date(i.GivenOn), i.Dose, i.Provider})
		}
		return []string{"vaccine", "given", "dose", "provider"}, out
	case "labs":
		for _, l := range p.Labs {
			out = append(out, []string{date(l.CollectedOn), l.Test, l.Value, l.Unit, l.RefRange, l.FlagLabel(), l.OrderedBy})
		}
		return []string{"collected", "test", "value", "unit", "reference_range", "flag", "ordered_by"}, out
	}
	for _, a := range p.Allergies {
		out = append(out, []string{a.Substance, a.Reaction, a.Severity, date(a.NotedOn)})
	}
	return []string{"substance", "reaction", "severity", "noted"}, out
}

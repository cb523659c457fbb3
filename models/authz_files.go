package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// authzKeyID binds an authorization attachment's ciphertexts and wrapped key to its row.
// Message IDs are positive; attachment keys use the negative range, so a ciphertext
// never opens as another table's row.
func authzKeyID(attID int64) int64 { return -attID }

// AddAttachment stores a checked file on draft (or more-information answer) id of u's account.
func (s Authz) AddAttachment(ctx context.Context, u *User, id int64, f AttachmentUpload, now time.Time) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var acct int64
		var status string
		var n int
		err := tx.QueryRowContext(ctx, `SELECT account_id, status, (SELECT COUNT(*) FROM authz_attachments WHERE request_id = r.id) FROM authz_requests r WHERE id = ?`, id).Scan(&acct, &status, &n)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && acct != u.AccountID) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if status != AuthzDraft {
			return ErrConflict
		}
		if n >= MaxAuthzAttachment {
			return FieldErrors{"files": fmt.Sprintf("A request holds at most %d files.", MaxAuthzAttachment)}
		}
		return s.addAttachmentTx(ctx, tx, id, 0, u, f, now)
	})
}

func (s Authz) addAttachmentTx(ctx context.Context, tx *sql.Tx, reqID, eventID int64, u *User, f AttachmentUpload, now time.Time) error {
	var attID int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id),0)+1 FROM authz_attachments`).Scan(&attID); err != nil {
		return err
	}
	dk := newDataKey()
	keyID, wrapped, err := s.Keys.wrap(dk, authzKeyID(attID))
	if err != nil {
		return err
	}
	sl, err := newSealer(dk, authzKeyID(attID))
	if err != nil {
		return err
	}
	var ev any
	if eventID > 0 {
		ev = eventID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO authz_attachments(id, request_id, event_id, key_id, wrapped_key, name, mime, size, data, created_by, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`, attID, reqID, ev, keyID, wrapped, sl.seal("name", []byte(f.Name)), f.MIME, len(f.Data),
		sl.seal("data", f.Data), u.ID, now.UTC().Format(TimeFormat))
	if err != nil {
		return fmt.Errorf("authorization attachment: %w", err)
	}
	return nil
}

// attachmentList lists a request's attachments with their names (decrypted), no content.
func (s Authz) attachmentList(ctx context.Context, q querier, reqID int64) ([]Attachment, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, wrapped_key, name, mime, size FROM authz_attachments WHERE request_id = ? ORDER BY id`, reqID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		var wrapped, name []byte
		if err := rows.Scan(&a.ID, &wrapped, &name, &a.MIME, &a.Size); err != nil {
			return nil, err
		}
		a.Name = "(cannot be opened with this key file)"
		if s.Keys != nil {
			if dk, err := s.Keys.unwrap(wrapped, authzKeyID(a.ID)); err == nil {
				if sl, err := newSealer(dk, authzKeyID(a.ID)); err == nil {
					if n, err := sl.open("name", name); err == nil {
						a.Name = string(n)
					}
				}
			}
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachment loads and decrypts attachment attID of request reqID.
func (s Authz) Attachment(ctx context.Context, reqID, attID int64) (*Attachment, error) {
	var a Attachment
	var wrapped, name, data []byte
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, wrapped_key, name, mime, size, data FROM authz_attachments WHERE id = ? AND request_id = ?`, attID, reqID).
		Scan(&a.ID, &wrapped, &name, &a.MIME, &a.Size, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	dk, err := s.Keys.unwrap(wrapped, authzKeyID(a.ID))
	if err != nil {
		return nil, err
	}
	sl, err := newSealer(dk, authzKeyID(a.ID))
	if err != nil {
		return nil, err
	}
	n, err := sl.open("name", name)
	if err != nil {
		return nil, err
	}
	a.Name = string(n)
	if a.Data, err = sl.open("data", data); err != nil {
		return nil, err
	}
	return &a, nil
}

// RemoveAttachment removes a file from a draft of u's account.
func (s Authz) RemoveAttachment(ctx context.Context, u *User, reqID, attID int64) error {
	res, err := s.DB.W.ExecContext(ctx, `DELETE FROM authz_attachments WHERE id = ? AND request_id = (SELECT id FROM authz_requests WHERE id = ? AND account_id = ? AND status = 'draft')`,
		attID, reqID, u.AccountID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// SmartSheet is a criteria worksheet for one service.
type SmartSheet struct {
	Key         string
	Title       string
	ServiceType string
	Codes       []string // the procedure codes it supports
	Intro       string
	Criteria    []Criterion
}

// Criterion is one line of a Smart Sheet.
type Criterion struct{ Key, Text string }

// SmartSheets is the catalogue. The criteria are the plan's own plain-language summary of
// what a reviewer looks for; they are not a licensed criteria set.
var SmartSheets = []SmartSheet{
	{"lumbar-mri", "MRI of the lumbar spine", "imaging", []string{"72148", "72149", "72158"},
		"For low back pain, with or without leg symptoms, when an MRI would change treatment.",
		[]Criterion{
			{"redflag", "A red flag is present: suspected cancer, infection, fracture, cauda equina syndrome, or a progressive neurological deficit"},
			{"conservative", "Six weeks or more of conservative treatment (physical therapy, medication, activity change) without enough improvement"},
			{"radic", "Radicular pain or a neurological finding on examination that matches a nerve root level"},
			{"surgery", "The member is a candidate for surgery or an injection, and the MRI would guide it"},
			{"xray", "Plain X-rays have been done, or are not needed for this indication"},
			{"noprior", "No MRI of the lumbar spine in the last 12 months, or a clear change since the last one"},
		}},
	{"ct-head", "CT of the head", "imaging", []string{"70450", "70460", "70470"},
		"For headache, head injury or neurological symptoms when a CT is the right first test.",
		[]Criterion{
			{"trauma", "Head injury with loss of consciousness, amnesia, vomiting or a GCS below 15"},
			{"thunderclap", "Sudden severe (thunderclap) headache, or a new headache after age 50"},
			{"focal", "A new focal neurological deficit on examination"},
			{"anticoag", "The member takes anticoagulants and has a new headache or head injury"},
			{"cancer", "Known cancer or immune suppression with new neurological symptoms"},
		}},
	{"knee-arthroscopy", "Knee arthroscopy", "outpatient_surgery", []string{"29880", "29881", "29882", "29888"},
		"For a meniscus tear or ligament injury of the knee.",
		[]Criterion{
			{"mechanical", "Mechanical symptoms: locking, catching or giving way"},
			{"imaging", "MRI shows a meniscus tear or ligament injury that matches the symptoms"},
			{"conservative", "Four weeks or more of physical therapy or home exercise without enough improvement (not needed for a locked knee)"},
			{"noadvancedoa", "X-rays show no advanced osteoarthritis (Kellgren-Lawrence grade 3 or 4)"},
			{"function", "Pain or instability limits daily activities or work"},
		}},
	{"cpap", "CPAP for obstructive sleep apnea", "sleep", []string{"E0601", "E0562", "A7030", "A7034", "A7035", "A7037"},
		"For a CPAP device and supplies in the first 90 days.",
		[]Criterion{
			{"study", "A sleep study (in lab or at home) shows an AHI or RDI of 15 or more, or 5 to 14 with symptoms"},
			{"symptoms", "Symptoms are documented: daytime sleepiness, impaired thinking, mood change, insomnia, high blood pressure, heart disease or stroke"},
			{"visit", "A face-to-face visit before the study evaluated the member for sleep apnea"},
			{"education", "The member was taught to use and care for the device"},
			{"followup", "A follow-up visit between day 31 and day 90 will check use (4 hours a night on 70 % of nights)"},
		}},
	{"home-health", "Home health services", "home_health", []string{"G0151", "G0152", "G0299", "G0300", "G0156"},
		"For skilled nursing or therapy visits at home.",
		[]Criterion{
			{"homebound", "The member is homebound: leaving home takes a considerable and taxing effort"},
			{"skilled", "The member needs skilled nursing on an intermittent basis, or physical, speech or occupational therapy"},
			{"plan", "A plan of care is set up and reviewed by the ordering physician"},
			{"f2f", "A face-to-face encounter took place within 90 days before or 30 days after the start of care"},
			{"goals", "Measurable goals and the number of visits are stated"},
		}},
	{"outpatient-pt", "Outpatient physical therapy", "therapy", []string{"97161", "97162", "97163", "97110", "97112", "97140", "97530"},
		"For physical therapy beyond the visits the plan allows without review.",
		[]Criterion{
			{"eval", "A physical therapy evaluation with objective measures is attached"},
			{"goals", "Functional goals are measurable and time-bound"},
			{"progress", "The member has improved with therapy so far, or a new injury or surgery starts a new episode"},
			{"skilled", "The care needs a therapist's skills; a home program alone would not do"},
			{"frequency", "Visit frequency and duration are stated (for example 2 visits a week for 6 weeks)"},
		}},
	{"power-wheelchair", "Power wheelchair", "dme", []string{"K0823", "K0822", "K0856", "K0861", "E1230"},
		"For a power wheelchair or power-operated vehicle used in the home.",
		[]Criterion{
			{"mobility", "A mobility limitation keeps the member from toileting, eating, dressing or bathing in the home"},
			{"cane", "A cane or walker cannot resolve the limitation safely"},
			{"manual", "The member cannot self-propel an optimally configured manual wheelchair"},
			{"operate", "The member (or a caregiver) can safely operate the power wheelchair"},
			{"home", "The home allows the chair's use: doorways, turning space, surfaces"},
			{"f2f", "A face-to-face mobility examination and a written order are attached"},
		}},
	{"bariatric", "Bariatric surgery", "bariatric", []string{"43644", "43775", "43770"},
		"For gastric bypass, sleeve gastrectomy or gastric band in adults.",
		[]Criterion{
			{"bmi", "BMI of 40 or more, or 35 or more with a serious obesity-related condition (diabetes, sleep apnea, hypertension)"},
			{"age", "The member is 18 or older (or has completed growth)"},
			{"program", "A supervised weight-loss program was tried and documented"},
			{"psych", "A psychological evaluation found no contraindication"},
			{"nutrition", "A nutrition evaluation and education were done"},
			{"commit", "The member agrees to lifelong follow-up and supplements"},
		}},
}

// SheetByKey finds a Smart Sheet.
func SheetByKey(key string) *SmartSheet {
	for i := range SmartSheets {
		if SmartSheets[i].Key == key {
			return &SmartSheets[i]
		}
	}
	return nil
}

// FilledSheet is a Smart Sheet filled for a request.
type FilledSheet struct {
	Sheet     *SmartSheet
	Checked   map[string]bool
	Note      string
	UpdatedAt string
}

// MetCount is how many criteria are checked.
func (f FilledSheet) MetCount() int {
	n := 0
	for _, c := range f.Sheet.Criteria {
		if f.Checked[c.Key] {
			n++
		}
	}
	return n
}

func (s Authz) sheets(ctx context.Context, q querier, reqID int64) ([]FilledSheet, error) {
	rows, err := q.QueryContext(ctx, `SELECT sheet, checked, note, updated_at FROM authz_sheets WHERE request_id = ? ORDER BY sheet`, reqID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ns := s.notes()
	var out []FilledSheet
	for rows.Next() {
		var key, checked string
		var f FilledSheet
		if err := rows.Scan(&key, &checked, &f.Note, &f.UpdatedAt); err != nil {
			return nil, err
		}
		if f.Sheet = SheetByKey(key); f.Sheet == nil {
			continue
		}
		f.Note = ns.show("authz_sheets", "note", sheetNoteRow(reqID, key), f.Note)
		f.Checked = map[string]bool{}
		for _, c := range strings.Fields(checked) {
			f.Checked[c] = true
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// sheetNoteRow is the row part of a Smart Sheet note's associated data (the table's key).
func sheetNoteRow(reqID int64, sheet string) string { return noteRow(reqID) + "/" + sheet }

// SheetFor is the request's filled sheet key (empty, not nil, when not filled yet).
func (r *AuthzRequest) SheetFor(key string) FilledSheet {
	for _, f := range r.Sheets {
		if f.Sheet.Key == key {
			return f
		}
	}
	return FilledSheet{Sheet: SheetByKey(key), Checked: map[string]bool{}}
}

// SaveSheet fills (or refills) Smart Sheet key on draft id with the checked criteria.
func (s Authz) SaveSheet(ctx context.Context, u *User, id int64, key string, checked []string, note string, now time.Time) error {
	sh := SheetByKey(key)
	if sh == nil {
		return ErrNotFound
	}
	if len(note) > MaxAuthzNoteLen {
		return FieldErrors{"sheet_note": fmt.Sprintf("Keep the note to %d characters.", MaxAuthzNoteLen)}
	}
	valid := map[string]bool{}
	for _, c := range sh.Criteria {
		valid[c.Key] = true
	}
	var keep []string
	for _, c := range checked {
		if valid[c] {
			keep = append(keep, c)
		}
	}
	ns, err := s.Keys.noteSealer(notePurposeAuthz)
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	return s.draftTx(ctx, u, id, "", now, func(tx *sql.Tx) error {
		if note == UnreadableNote {
			// The stand-in for a note that does not open came back unchanged: keep what is stored.
			_, err := tx.ExecContext(ctx, `UPDATE authz_sheets SET checked = ?, updated_by = ?, updated_at = ? WHERE request_id = ? AND sheet = ?`,
				strings.Join(keep, " "), u.ID, now.UTC().Format(TimeFormat), id, key)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO authz_sheets(request_id, sheet, checked, note, updated_by, updated_at) VALUES (?,?,?,?,?,?)
			ON CONFLICT(request_id, sheet) DO UPDATE SET checked = excluded.checked, note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			id, key, strings.Join(keep, " "), ns.seal("authz_sheets", "note", sheetNoteRow(id, key), note), u.ID, now.UTC().Format(TimeFormat))
		return err
	})
}

// RemoveSheet removes a filled sheet from a draft.
func (s Authz) RemoveSheet(ctx context.Context, u *User, id int64, key string, now time.Time) error {
	return s.draftTx(ctx, u, id, "", now, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM authz_sheets WHERE request_id = ? AND sheet = ?`, id, key)
		return err
	})
}

// ServiceLabel is the sheet's service type in words.
func (s SmartSheet) ServiceLabel() string { return ServiceTypeLabel(s.ServiceType) }

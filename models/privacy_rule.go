package models

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
)

// PrivacySubject is what the disclosure rule needs to know about the member an item is
// about: who they are, their date of birth and the confidential-communication request
// in force (nil when none).
type PrivacySubject struct {
	PK       int64
	MemberID string
	DOB      string
	Request  *ConfidentialRequest
}

// Withhold is THE disclosure rule of the portal (SPEC §8): every output addressed to a
// member — an explanation of benefits, a letter, a notice, a CSV or printout made for
// the subscriber or another enrollee — asks it for each item about a member and leaves
// the item out when it answers true. An item about subj, of sensitive-service category
// cat, on date on, is withheld from anything addressed to another member (addresseePK)
// when:
//   - subj has a confidential-communication request in force of scope "all"
//     (everything about subj goes to the designated contact only); or
//   - the item is a sensitive service and subj has a request in force; or
//   - the item is a sensitive service that subj could consent to alone on that date (an
//     adult, or a minor at or above the category's age of consent, ConsentAge): such a
//     member is a protected individual and needs nobody's authorization, so the
//     subscriber is never told.
//
// Items addressed to subj themself are never withheld: they go to subj's designated
// contact (Recipient).
func Withhold(subj *PrivacySubject, cat, on string, addresseePK int64) bool {
	if subj == nil || addresseePK == subj.PK {
		return false
	}
	if subj.Request != nil && subj.Request.Scope == ScopeAll {
		return true
	}
	if cat == SensitiveNone {
		return false
	}
	if subj.Request != nil {
		return true
	}
	return MayConsent(cat, subj.DOB, on)
}

// Recipient is where a communication to subj goes: the designated contact of the
// request in force (when the communication is about a sensitive service, or the
// request's scope is all), otherwise the address on file ("" — the caller's own).
func Recipient(subj *PrivacySubject, sensitive bool) *ConfidentialRequest {
	if subj == nil || subj.Request == nil {
		return nil
	}
	if sensitive || subj.Request.Scope == ScopeAll {
		return subj.Request
	}
	return nil
}

// Subject loads what the rule needs about a member.
func (s Privacy) Subject(ctx context.Context, memberPK int64) (*PrivacySubject, error) {
	subj := &PrivacySubject{PK: memberPK}
	err := s.DB.R.QueryRowContext(ctx, `SELECT member_id, dob FROM members WHERE id = ?`, memberPK).Scan(&subj.MemberID, &subj.DOB)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	subj.Request, err = s.ActiveRequest(ctx, memberPK)
	return subj, err
}

// EOBLine is one service line of an explanation of benefits.
type EOBLine struct {
	Date, Code, Description           string
	Billed, Allowed, Paid, MemberResp int64
	Sensitive                         string
}

// EOBClaim is one claim of an explanation of benefits.
type EOBClaim struct {
	ClaimNo, Patient, Provider, From, Status string
	Lines                                    []EOBLine
	Billed, Allowed, Paid, MemberResp        int64
}

// EOB is an explanation of benefits for one addressee: the claims of the addressee
// and, when the addressee is a subscriber, of the household's other members, with every
// item the disclosure rule withholds left out. Omitted says only that some services are
// reported separately — never how many, whose or what.
type EOB struct {
	To                                *Eligibility
	Designated                        *ConfidentialRequest // where it is sent, when a request is in force
	From, Through                     string
	Claims                            []*EOBClaim
	Billed, Allowed, Paid, MemberResp int64
	Omitted                           bool
}

// ExplanationOfBenefits builds the EOB addressed to member `to` for services from
// `from` through `through` (YYYY-MM-DD). A subscriber's EOB covers the household; a
// dependent's covers the dependent only. Each claim and line passes Withhold.
func (s Privacy) ExplanationOfBenefits(ctx context.Context, to *Eligibility, from, through string) (*EOB, error) {
	out := &EOB{To: to, From: from, Through: through}
	self, err := s.Subject(ctx, to.PK)
	if err != nil {
		return nil, err
	}
	out.Designated = Recipient(self, true)
	q := `SELECT c.id, c.claim_no, c.member_pk, m.first_name || ' ' || m.last_name || CASE WHEN m.suffix <> '' THEN ' ' || m.suffix ELSE '' END,
			t.name, c.service_from, c.status, c.sensitive_category
		FROM claims c JOIN members m ON m.id = c.member_pk JOIN tins t ON t.id = c.tin_id
		WHERE c.member_pk = ? AND c.service_from BETWEEN ? AND ?`
	args := []any{to.PK, from, through}
	if to.SubscriberPK == 0 || to.SubscriberPK == to.PK {
		q += ` UNION ALL SELECT c.id, c.claim_no, c.member_pk, m.first_name || ' ' || m.last_name || CASE WHEN m.suffix <> '' THEN ' ' || m.suffix ELSE '' END,
			t.name, c.service_from, c.status, c.sensitive_category
		FROM members m JOIN claims c ON c.member_pk = m.id JOIN tins t ON t.id = c.tin_id
		WHERE m.subscriber_id = ? AND c.service_from BETWEEN ? AND ?`
		args = append(args, to.PK, from, through)
	}
	rows, err := s.DB.R.QueryContext(ctx, q+` ORDER BY 6, 2`, args...)
	if err != nil {
		return nil, err
	}
	type raw struct {
		id, member int64
		cat        string
		c          *EOBClaim
	}
	var list []raw
	for rows.Next() {
		var r raw
		r.c = &EOBClaim{}
		if err := rows.Scan(&r.id, &r.c.ClaimNo, &r.member, &r.c.Patient, &r.c.Provider, &r.c.From, &r.c.Status, &r.cat); err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	subjects := map[int64]*PrivacySubject{to.PK: self}
	for _, r := range list {
		subj := subjects[r.member]
		if subj == nil {
			if subj, err = s.Subject(ctx, r.member); err != nil {
				return nil, err
			}
			subjects[r.member] = subj
		}
		if Withhold(subj, r.cat, r.c.From, to.PK) {
			out.Omitted = true
			continue
		}
		lines, err := s.DB.R.QueryContext(ctx, `SELECT service_date, code, description, billed_cents, allowed_cents, paid_cents, member_resp_cents, sensitive_category
			FROM claim_lines WHERE claim_id = ? ORDER BY line_no`, r.id)
		if err != nil {
			return nil, err
		}
		for lines.Next() {
			var l EOBLine
			if err := lines.Scan(&l.Date, &l.Code, &l.Description, &l.Billed, &l.Allowed, &l.Paid, &l.MemberResp, &l.Sensitive); err != nil {
				lines.Close()
				return nil, err
			}
			if Withhold(subj, l.Sensitive, l.Date, to.PK) {
				out.Omitted = true
				continue
			}
			r.c.Lines = append(r.c.Lines, l)
			r.c.Billed += l.Billed
			r.c.Allowed += l.Allowed
			r.c.Paid += l.Paid
			r.c.MemberResp += l.MemberResp
		}
		lines.Close()
		if err := lines.Err(); err != nil {
			return nil, err
		}
		if len(r.c.Lines) == 0 {
			continue
		}
		out.Claims = append(out.Claims, r.c)
		out.Billed += r.c.Billed
		out.Allowed += r.c.Allowed
		out.Paid += r.c.Paid
		out.MemberResp += r.c.MemberResp
	}
	return out, nil
}

// Correction is one change of a record's category by the privacy officer.
type Correction struct {
	ID                          int64
	ObjectType                  string
	ObjectID                    int64
	MemberID                    string
	Old, New, Reason, Actor, At string
	Reviewed                    bool
}

// correctable maps an object type to its table and the column of its public number
// (the row's own number for records that have none).
var correctable = map[string][2]string{
	"claim":         {"claims", "claim_no"},
	"visit":         {"health_visits", "id"},
	"authorization": {"authz_requests", "tracking_no"},
	"referral":      {"referrals", "ref_no"},
	"care_plan":     {"care_plans", "id"},
}

// CorrectionInput is the correction form.
type CorrectionInput struct {
	ObjectType string `form:"object_type" id:"co-type" label:"the kind of record" validate:"required,oneof=claim visit authorization referral care_plan"`
	ObjectID   string `form:"object_id" id:"co-id" label:"the record number" validate:"required,maxrunes=20"`
	Category   string `form:"category" id:"co-category" label:"the category" validate:"omitempty,oneof=mental_health reproductive sti substance_use gender_affirming ipv"`
	Reason     string `form:"reason" id:"co-reason" label:"the reason" validate:"required,maxrunes=500"`
}

// Correct sets a record's category as the privacy officer decided, with the reason; the
// change and its audit entry commit together, and the correction waits in the review
// queue. ErrNotFound for a record that does not exist.
func (s Privacy) Correct(ctx context.Context, a Actor, in *CorrectionInput) (*Correction, error) {
	ref, ok := correctable[in.ObjectType]
	if !ok || !ValidSensitiveCategory(in.Category) {
		return nil, ErrInvalid
	}
	table := ref[0]
	c := &Correction{ObjectType: in.ObjectType, New: in.Category, Reason: in.Reason, Actor: a.Email, At: s.DB.NowText()}
	var memberPK, id int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT t.id, t.member_pk, t.sensitive_category, m.member_id FROM `+table+` t JOIN members m ON m.id = t.member_pk WHERE t.`+ref[1]+` = ?`,
		strings.ToUpper(strings.TrimSpace(in.ObjectID))).Scan(&id, &memberPK, &c.Old, &c.MemberID)
	c.ObjectID = id
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET sensitive_category = ? WHERE id = ?`, in.Category, id); err != nil {
			return err
		}
		if in.ObjectType == "claim" && in.Category != "" {
			// a claim made sensitive carries its lines with it
			if _, err := tx.ExecContext(ctx, `UPDATE claim_lines SET sensitive_category = ? WHERE claim_id = ? AND sensitive_category = ''`, in.Category, id); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO sensitive_corrections(object_type, object_id, member_pk, old_category, new_category, reason, user_id, actor, at)
			VALUES (?,?,?,?,?,?,?,?,?)`, in.ObjectType, id, memberPK, c.Old, c.New, in.Reason, nullID(a.UserID), a.Email, c.At)
		if err != nil {
			return err
		}
		c.ID, _ = res.LastInsertId()
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, a.Stamp(AuditEntry{Action: "privacy.category.correct", ObjectType: in.ObjectType,
			ObjectID: strconv.FormatInt(id, 10), MemberID: c.MemberID, Detail: "from=" + orNone(c.Old) + " to=" + orNone(c.New)}))
	})
	return c, err
}

func orNone(cat string) string {
	if cat == "" {
		return "none"
	}
	return cat
}

// OldLabel and NewLabel are the categories in words.
func (c *Correction) OldLabel() string { return labelOrNone(c.Old) }

// NewLabel is the corrected category in words.
func (c *Correction) NewLabel() string { return labelOrNone(c.New) }

func labelOrNone(cat string) string {
	if cat == "" {
		return "Not sensitive"
	}
	return SensitiveLabel(cat)
}

// OpenCorrections lists the corrections not yet reviewed, oldest first (at most 200;
// Total is the full count).
func (s Privacy) OpenCorrections(ctx context.Context) ([]*Correction, int, error) {
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM sensitive_corrections WHERE reviewed_at IS NULL`).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT c.id, c.object_type, c.object_id, m.member_id, c.old_category, c.new_category, c.reason, c.actor, c.at
		FROM sensitive_corrections c JOIN members m ON m.id = c.member_pk WHERE c.reviewed_at IS NULL ORDER BY c.id LIMIT 200`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*Correction
	for rows.Next() {
		var c Correction
		if err := rows.Scan(&c.ID, &c.ObjectType, &c.ObjectID, &c.MemberID, &c.Old, &c.New, &c.Reason, &c.Actor, &c.At); err != nil {
			return nil, 0, err
		}
		out = append(out, &c)
	}
	return out, total, rows.Err()
}

// ReviewCorrection marks a correction reviewed; audited. ErrConflict when already done.
func (s Privacy) ReviewCorrection(ctx context.Context, a Actor, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sensitive_corrections SET reviewed_at = ?, reviewed_by = ? WHERE id = ? AND reviewed_at IS NULL`, s.DB.NowText(), nullID(a.UserID), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, a.Stamp(AuditEntry{Action: "privacy.review", ObjectType: "sensitive_correction", ObjectID: strconv.FormatInt(id, 10)}))
	})
}

// SensitiveClaims maps the member's sensitive claims (by claim number) to their category
// in words, for the marker the care team sees.
func (s Privacy) SensitiveClaims(ctx context.Context, memberPK int64) (map[string]string, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT claim_no, sensitive_category FROM claims WHERE member_pk = ? AND sensitive_category <> ''`, memberPK)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var no, cat string
		if err := rows.Scan(&no, &cat); err != nil {
			return nil, err
		}
		out[no] = SensitiveLabel(cat)
	}
	return out, rows.Err()
}

// MemberCopy says where the member's copy of a notice about a record goes (an
// authorization decision, a request for information): the designated contact when a
// request is in force and the notice is about a sensitive service (or the request covers
// everything); the member in their own name, never the subscriber, for a sensitive
// service the member may consent to alone; otherwise the address on file. The words go
// on the provider's letter; the contact itself does not.
func (s Privacy) MemberCopy(ctx context.Context, table string, id, memberPK int64, on string) (string, error) {
	if table != "authz_requests" && table != "claims" {
		return "", ErrInvalid
	}
	var cat string
	if err := s.DB.R.QueryRowContext(ctx, `SELECT sensitive_category FROM `+table+` WHERE id = ?`, id).Scan(&cat); err != nil {
		return "", err
	}
	subj, err := s.Subject(ctx, memberPK)
	if err != nil {
		return "", err
	}
	if r := Recipient(subj, cat != ""); r != nil {
		return "The member's copy goes only to the contact the member designated in a confidential communication request (" + r.ChannelLabel() + "). Do not send or discuss it with the subscriber or other family members.", nil
	}
	if cat != "" && MayConsent(cat, subj.DOB, on) {
		return "This is a sensitive service the member may consent to alone: the member's copy is addressed to the member in their own name, never to the subscriber.", nil
	}
	return "", nil
}

// ClaimSensitivity is a claim's sensitive-service category in words ("" for none) and
// whether its member has a confidential-communication request in force: the claim page's
// marker and banner for the care team.
func (s Privacy) ClaimSensitivity(ctx context.Context, claimNo string) (label string, request bool, err error) {
	var cat string
	var memberPK int64
	if err = s.DB.R.QueryRowContext(ctx, `SELECT sensitive_category, member_pk FROM claims WHERE claim_no = ?`, claimNo).Scan(&cat, &memberPK); err != nil {
		return "", false, err
	}
	r, err := s.ActiveRequest(ctx, memberPK)
	return SensitiveLabel(cat), r != nil, err
}

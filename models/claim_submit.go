package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Online claims (SPEC §6): a professional claim typed in the portal, for Individual &
// Family Plan members only; every other plan type submits through a clearinghouse.

// Limits of the online claim form.
const (
	MaxClaimDiagnoses = 12
	MaxClaimLines     = 6
	MaxClaimModifiers = 4
	MaxLineUnits      = 999
	MaxLineCharge     = 9_999_999 // cents: $99,999.99
	claimFieldLen     = 40
)

// ClaimFormLine is one service line as typed.
type ClaimFormLine struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Code      string `json:"code"`
	Modifiers string `json:"modifiers"`
	Units     string `json:"units"`
	Charge    string `json:"charge"`
	Pointers  string `json:"pointers"`
	PriorAuth string `json:"prior_auth"`
}

// Empty tells whether nothing was typed on the line.
func (l ClaimFormLine) Empty() bool {
	return strings.TrimSpace(l.From+l.To+l.Code+l.Modifiers+l.Units+l.Charge+l.Pointers+l.PriorAuth) == ""
}

// ClaimForm is the professional claim form as typed (a draft keeps it as JSON).
type ClaimForm struct {
	TINID          string          `json:"tin_id"`
	BillingNPI     string          `json:"billing_npi"`
	RenderingNPI   string          `json:"rendering_npi"`
	PlaceOfService string          `json:"pos"`
	Diagnoses      []string        `json:"dx"`
	Lines          []ClaimFormLine `json:"lines"`
}

// Pad fills the form up to the full number of diagnosis fields and service lines.
func (f *ClaimForm) Pad() {
	for len(f.Diagnoses) < MaxClaimDiagnoses {
		f.Diagnoses = append(f.Diagnoses, "")
	}
	f.Diagnoses = f.Diagnoses[:MaxClaimDiagnoses]
	for len(f.Lines) < MaxClaimLines {
		f.Lines = append(f.Lines, ClaimFormLine{})
	}
	f.Lines = f.Lines[:MaxClaimLines]
}

// Clip shortens every field to its maximum length, so nothing long reaches the
// database; Validate reports what was too long before it is clipped.
func (f *ClaimForm) Clip() {
	c := func(s string) string {
		s = strings.TrimSpace(s)
		if len(s) > claimFieldLen {
			return s[:claimFieldLen]
		}
		return s
	}
	f.TINID, f.BillingNPI, f.RenderingNPI, f.PlaceOfService = c(f.TINID), c(f.BillingNPI), c(f.RenderingNPI), c(f.PlaceOfService)
	for i := range f.Diagnoses {
		f.Diagnoses[i] = c(f.Diagnoses[i])
	}
	for i := range f.Lines {
		l := &f.Lines[i]
		l.From, l.To, l.Code, l.Modifiers, l.Units, l.Charge, l.Pointers, l.PriorAuth = c(l.From), c(l.To), c(l.Code), c(l.Modifiers), c(l.Units), c(l.Charge), c(l.Pointers), c(l.PriorAuth)
	}
}

// ClaimContext is what validation needs to know beyond the form.
type ClaimContext struct {
	Member *Member
	Today  time.Time
	// TINs are the account's verified TINs, with their NPIs.
	TINs map[int64]TINNPIs
	// NeedsAuth tells whether a procedure needs a prior authorization number on the
	// claim: the plan's list of procedures that need authorization (Authz.IsRequired).
	NeedsAuth func(code string) bool
}

// TINNPIs is a TIN and the NPIs on file for it.
type TINNPIs struct {
	TIN  TIN
	NPIs []string
}

// ValidClaim is a checked claim, ready to be written.
type ValidClaim struct {
	TINID          int64
	BillingNPI     string
	RenderingNPI   string
	PlaceOfService string
	Diagnoses      []string
	Lines          []ValidClaimLine
	From, To       string
	Billed         int64
}

// ValidClaimLine is a checked service line.
type ValidClaimLine struct {
	From, To    string
	Code        string
	Name        string
	Modifiers   []string
	Units       int
	Charge      int64
	Pointers    string // letters A–L, space-separated
	PriorAuth   string
	Description string
}

// Validate checks the form for claim submission: providers (the account's TIN, NPIs by
// check digit, the billing NPI on file for the TIN), place of service, diagnoses
// (ICD-10-CM, up to 12), and each service line (dates within coverage and not in the
// future, CPT/HCPCS code, up to 4 modifiers, units, charge, diagnosis pointers, prior
// authorization number where the code needs one). Field names are the form's ids.
func (f ClaimForm) Validate(cc ClaimContext) (*ValidClaim, FieldErrors) {
	fe := FieldErrors{}
	vc := &ValidClaim{}
	long := func(field, v string) bool {
		if len(strings.TrimSpace(v)) > claimFieldLen {
			fe[field] = "That is too long to be a valid value."
			return true
		}
		return false
	}
	id, _ := strconv.ParseInt(strings.TrimSpace(f.TINID), 10, 64)
	tin, ok := cc.TINs[id]
	if long("cf-tin", f.TINID) || !ok {
		fe["cf-tin"] = "Choose one of your account's verified TINs."
	}
	vc.TINID = id
	npi := func(field, v, who string) string {
		v = strings.ReplaceAll(strings.TrimSpace(v), " ", "")
		switch {
		case long(field, v):
		case v == "":
			fe[field] = "Enter the " + who + " NPI (10 digits)."
		case !ValidNPI(v):
			fe[field] = "This is not a valid NPI: check the 10 digits (the last is a check digit)."
		}
		return v
	}
	vc.BillingNPI = npi("cf-billing-npi", f.BillingNPI, "billing provider's")
	vc.RenderingNPI = npi("cf-rendering-npi", f.RenderingNPI, "rendering provider's")
	if ok && fe["cf-billing-npi"] == "" {
		onFile := false
		for _, n := range tin.NPIs {
			onFile = onFile || n == vc.BillingNPI
		}
		if !onFile {
			fe["cf-billing-npi"] = "This NPI is not on file for TIN " + tin.TIN.Display() + ". Use one of: " + strings.Join(tin.NPIs, ", ") + "."
		}
	}
	vc.PlaceOfService = strings.TrimSpace(f.PlaceOfService)
	if !validPOS(vc.PlaceOfService) {
		fe["cf-pos"] = "Choose the place of service."
	}
	// Diagnoses: kept in their letter positions (A–L), blanks allowed between.
	letters := "ABCDEFGHIJKL"
	have := map[byte]bool{}
	seen := map[string]bool{}
	for i, d := range f.Diagnoses {
		if i >= MaxClaimDiagnoses {
			break
		}
		field := fmt.Sprintf("cf-dx-%d", i+1)
		if long(field, d) || strings.TrimSpace(d) == "" {
			continue
		}
		code := NormalizeDiagnosis(d)
		if _, problem := CheckDiagnosis(code); problem != "" {
			fe[field] = problem
			continue
		}
		if seen[code] {
			fe[field] = code + " is already listed; list each diagnosis once."
			continue
		}
		seen[code] = true
		have[letters[i]] = true
		for len(vc.Diagnoses) < i {
			vc.Diagnoses = append(vc.Diagnoses, "")
		}
		vc.Diagnoses = append(vc.Diagnoses, code)
	}
	if len(seen) == 0 && !hasPrefixKey(fe, "cf-dx-") {
		fe["cf-dx-1"] = "Enter at least one diagnosis (ICD-10-CM)."
	}
	today := cc.Today.Format(DateFormat)
	lines := 0
	for i, l := range f.Lines {
		if i >= MaxClaimLines {
			break
		}
		if l.Empty() {
			continue
		}
		lines++
		p := fmt.Sprintf("cf-line-%d-", i+1)
		var vl ValidClaimLine
		for _, x := range []struct{ f, v string }{{"from", l.From}, {"to", l.To}, {"code", l.Code}, {"mods", l.Modifiers}, {"units", l.Units}, {"charge", l.Charge}, {"ptr", l.Pointers}, {"pa", l.PriorAuth}} {
			long(p+x.f, x.v)
		}
		// Dates.
		from, okFrom := parseFormDate(l.From)
		to, okTo := from, okFrom
		if strings.TrimSpace(l.To) != "" {
			to, okTo = parseFormDate(l.To)
		}
		switch {
		case fe[p+"from"] != "":
		case !okFrom:
			fe[p+"from"] = "Enter the date of service as MM/DD/YYYY."
		case from > today:
			fe[p+"from"] = "The date of service cannot be in the future."
		case from < cc.Member.EffectiveDate:
			fe[p+"from"] = "The member's coverage began on " + usDate(cc.Member.EffectiveDate) + "; this date is before it."
		case cc.Member.EndDate != "" && from > cc.Member.EndDate:
			fe[p+"from"] = "The member's coverage ended on " + usDate(cc.Member.EndDate) + "; this date is after it."
		}
		switch {
		case fe[p+"to"] != "":
		case !okTo:
			fe[p+"to"] = "Enter the last date of service as MM/DD/YYYY, or leave it empty for one day."
		case okFrom && to < from:
			fe[p+"to"] = "The last date must be on or after the first."
		case to > today:
			fe[p+"to"] = "The date of service cannot be in the future."
		case cc.Member.EndDate != "" && to > cc.Member.EndDate:
			fe[p+"to"] = "The member's coverage ended on " + usDate(cc.Member.EndDate) + "; this date is after it."
		}
		vl.From, vl.To = from, to
		// Code and modifiers.
		vl.Code = strings.ToUpper(strings.TrimSpace(l.Code))
		if fe[p+"code"] == "" {
			if vl.Code == "" {
				fe[p+"code"] = "Enter the CPT or HCPCS code."
			} else if name, problem := CheckProcedure(vl.Code); problem != "" {
				fe[p+"code"] = problem
			} else {
				vl.Name = name
			}
		}
		mods := strings.FieldsFunc(strings.ToUpper(l.Modifiers), func(r rune) bool { return r == ' ' || r == ',' || r == '-' })
		if fe[p+"mods"] == "" {
			switch {
			case len(mods) > MaxClaimModifiers:
				fe[p+"mods"] = "Enter at most 4 modifiers."
			default:
				for _, m := range mods {
					if !modFormat.MatchString(m) {
						fe[p+"mods"] = "Each modifier is two letters or digits, such as 25 or LT; separate them with spaces."
					}
				}
			}
		}
		vl.Modifiers = mods
		// Units and charge.
		u, err := strconv.Atoi(strings.TrimSpace(l.Units))
		if strings.TrimSpace(l.Units) == "" {
			u, err = 1, nil
		}
		if fe[p+"units"] == "" && (err != nil || u < 1 || u > MaxLineUnits) {
			fe[p+"units"] = fmt.Sprintf("Enter the units as a whole number from 1 to %d.", MaxLineUnits)
		}
		vl.Units = u
		cents, ok := ParseDollars(l.Charge)
		if fe[p+"charge"] == "" {
			switch {
			case strings.TrimSpace(l.Charge) == "":
				fe[p+"charge"] = "Enter the charge for the line."
			case !ok:
				fe[p+"charge"] = "Enter the charge in dollars and cents, such as 150.00."
			case cents <= 0:
				fe[p+"charge"] = "The charge must be more than $0.00."
			case cents > MaxLineCharge:
				fe[p+"charge"] = "The charge may be at most $99,999.99 per line."
			}
		}
		vl.Charge = cents
		// Diagnosis pointers: letters A–L (or numbers 1–12), at most 4, each pointing at a diagnosis.
		ptrs := strings.FieldsFunc(strings.ToUpper(l.Pointers), func(r rune) bool { return r == ' ' || r == ',' })
		if len(ptrs) == 1 && len(ptrs[0]) > 1 && len(ptrs[0]) <= 4 && !strings.ContainsAny(ptrs[0], "0123456789") {
			ptrs = strings.Split(ptrs[0], "") // "AB" means A and B
		}
		var norm []string
		if fe[p+"ptr"] == "" {
			switch {
			case len(ptrs) == 0:
				fe[p+"ptr"] = "Point the line at its diagnoses: letters A to L, such as A or A B."
			case len(ptrs) > 4:
				fe[p+"ptr"] = "A line points at most at 4 diagnoses."
			}
			for _, x := range ptrs {
				if n, err := strconv.Atoi(x); err == nil && n >= 1 && n <= 12 {
					x = string(letters[n-1])
				}
				if len(x) != 1 || !strings.Contains(letters, x) || !have[x[0]] {
					if fe[p+"ptr"] == "" {
						fe[p+"ptr"] = "Pointer " + x + " does not match a diagnosis above; use the letter beside one you entered."
					}
					continue
				}
				norm = append(norm, x)
			}
		}
		vl.Pointers = strings.Join(norm, " ")
		// Prior authorization.
		vl.PriorAuth = strings.ToUpper(strings.TrimSpace(l.PriorAuth))
		if fe[p+"pa"] == "" {
			switch {
			case vl.PriorAuth != "" && !claimNoLike(vl.PriorAuth):
				fe[p+"pa"] = "Enter the prior authorization number as issued: 6 to 20 letters and digits."
			case vl.PriorAuth == "" && cc.NeedsAuth != nil && cc.NeedsAuth(vl.Code):
				fe[p+"pa"] = vl.Code + " needs a prior authorization: enter its number."
			}
		}
		vl.Description = vl.Name
		vc.Lines = append(vc.Lines, vl)
		vc.Billed += vl.Charge
		if vc.From == "" || (vl.From != "" && vl.From < vc.From) {
			vc.From = vl.From
		}
		if vl.To > vc.To {
			vc.To = vl.To
		}
	}
	if lines == 0 {
		fe["cf-line-1-code"] = "Enter at least one service line."
	}
	if len(fe) > 0 {
		return nil, fe
	}
	return vc, nil
}

func hasPrefixKey(fe FieldErrors, prefix string) bool {
	for k := range fe {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// claimNoLike tells whether s is 6–20 letters and digits (authorization numbers).
func claimNoLike(s string) bool {
	if len(s) < 6 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z') && !(r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// ParseDollars reads an amount typed as 125, 125.5 or $1,250.00 into cents.
func ParseDollars(s string) (int64, bool) {
	s = strings.NewReplacer("$", "", ",", "", " ", "").Replace(strings.TrimSpace(s))
	if s == "" || len(s) > 15 || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		if strings.HasPrefix(s, "-") {
			if v, ok := ParseDollars(s[1:]); ok {
				return -v, true
			}
		}
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	w, err1 := strconv.ParseUint(whole, 10, 40)
	f, err2 := strconv.ParseUint(frac, 10, 8)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int64(w)*100 + int64(f), true
}

// ClaimDraft is a saved online claim that has not been submitted.
type ClaimDraft struct {
	ID         int64
	AccountID  int64
	MemberPK   int64
	MemberID   string
	MemberName string
	Form       ClaimForm
	Status     string
	ClaimNo    string
	UpdatedAt  string
}

// SaveClaimDraft creates (id 0) or updates an account's draft for member pk and returns
// its ID. Another account's draft, or one already submitted, is ErrNotFound.
func (s Members) SaveClaimDraft(ctx context.Context, u *User, memberPK, id int64, f ClaimForm) (int64, error) {
	f.Clip()
	b, err := json.Marshal(f)
	if err != nil {
		return 0, err
	}
	now := s.DB.NowText()
	if id == 0 {
		res, err := s.DB.W.ExecContext(ctx, `INSERT INTO claim_drafts(account_id, member_pk, created_by, form, status, created_at, updated_at)
			VALUES (?,?,?,?,'draft',?,?)`, u.AccountID, memberPK, u.ID, string(b), now, now)
		if err != nil {
			return 0, fmt.Errorf("save claim draft: %w", err)
		}
		return res.LastInsertId()
	}
	res, err := s.DB.W.ExecContext(ctx, `UPDATE claim_drafts SET form = ?, updated_at = ? WHERE id = ? AND account_id = ? AND member_pk = ? AND status = 'draft'`,
		string(b), now, id, u.AccountID, memberPK)
	if err != nil {
		return 0, fmt.Errorf("save claim draft: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, ErrNotFound
	}
	return id, nil
}

const claimDraftColumns = `d.id, d.account_id, d.member_pk, m.member_id, m.first_name || ' ' || m.last_name, d.form, d.status,
	COALESCE(c.claim_no,''), d.updated_at`

func scanClaimDraft(row interface{ Scan(...any) error }) (*ClaimDraft, error) {
	var d ClaimDraft
	var form string
	err := row.Scan(&d.ID, &d.AccountID, &d.MemberPK, &d.MemberID, &d.MemberName, &form, &d.Status, &d.ClaimNo, &d.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(form), &d.Form); err != nil {
		return nil, fmt.Errorf("claim draft form: %w", err)
	}
	d.Form.Pad()
	return &d, nil
}

// ClaimDraftFor loads draft id if it is the account's and for member pk; ErrNotFound
// otherwise.
func (s Members) ClaimDraftFor(ctx context.Context, accountID, memberPK, id int64) (*ClaimDraft, error) {
	d, err := scanClaimDraft(s.DB.R.QueryRowContext(ctx, "SELECT "+claimDraftColumns+` FROM claim_drafts d JOIN members m ON m.id = d.member_pk
		LEFT JOIN claims c ON c.id = d.claim_id WHERE d.id = ? AND d.account_id = ? AND d.member_pk = ?`, id, accountID, memberPK))
	if err != nil {
		return nil, fmt.Errorf("claim draft: %w", err)
	}
	return d, nil
}

// AccountClaimDrafts lists an account's drafts not yet submitted, newest first.
func (s Members) AccountClaimDrafts(ctx context.Context, accountID int64, limit int) ([]*ClaimDraft, error) {
	rows, err := s.DB.R.QueryContext(ctx, "SELECT "+claimDraftColumns+` FROM claim_drafts d JOIN members m ON m.id = d.member_pk
		LEFT JOIN claims c ON c.id = d.claim_id WHERE d.account_id = ? AND d.status = 'draft' ORDER BY d.updated_at DESC LIMIT ?`, accountID, limit)
	if err != nil {
		return nil, fmt.Errorf("claim drafts: %w", err)
	}
	defer rows.Close()
	var out []*ClaimDraft
	for rows.Next() {
		d, err := scanClaimDraft(rows)
		if err != nil {
			return nil, fmt.Errorf("claim drafts: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ClaimDraftCount counts an account's drafts not yet submitted (the action-required bar).
func (s Members) ClaimDraftCount(ctx context.Context, accountID int64) (int, error) {
	var n int
	// Every office dashboard runs it: prepared once, like AnsweredDisputeCount.
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM claim_drafts WHERE account_id = (SELECT ?) AND status = 'draft'", accountID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("claim draft count: %w", err)
	}
	return n, nil
}

// Duplicate is a claim on file with a line of the same member, date, code and charge.
type Duplicate struct {
	Line    int
	ClaimNo string // "" when the claim is another account's (not shown)
}

// ClaimDuplicates finds, for each line of vc, a claim of the member already on file
// with the same service date, code and charge.
func (s Members) ClaimDuplicates(ctx context.Context, accountID, memberPK int64, vc *ValidClaim) ([]Duplicate, error) {
	var out []Duplicate
	for i, l := range vc.Lines {
		var no string
		var acct int64
		err := s.DB.R.QueryRowContext(ctx, `SELECT c.claim_no, t.account_id FROM claims c JOIN claim_lines l ON l.claim_id = c.id JOIN tins t ON t.id = c.tin_id
			WHERE c.member_pk = ? AND c.service_from <= ? AND l.service_date = ? AND l.code = ? AND l.billed_cents = ?
			ORDER BY t.account_id = ? DESC LIMIT 1`, memberPK, l.From, l.From, l.Code, l.Charge, accountID).Scan(&no, &acct)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("duplicate check: %w", err)
		}
		if acct != accountID {
			no = ""
		}
		out = append(out, Duplicate{Line: i + 1, ClaimNo: no})
	}
	return out, nil
}

// SubmitClaim writes draft d's checked claim vc as a received claim with its lines,
// marks the draft submitted, records the history event and the audit entry, and
// returns the new claim number.
func (s Members) SubmitClaim(ctx context.Context, u *User, m *Member, d *ClaimDraft, vc *ValidClaim, today time.Time, ae AuditEntry) (string, error) {
	var no string
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var next int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id),0) + 1 FROM claims").Scan(&next); err != nil {
			return err
		}
		no = fmt.Sprintf("C%02d%08d", today.Year()%100, next)
		day := today.Format(DateFormat)
		var dx []string
		for _, x := range vc.Diagnoses {
			if x != "" {
				dx = append(dx, x)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO claims(id, claim_no, member_pk, tin_id, npi, plan_type, status, received_date, service_from, service_to,
			diagnosis, billed_cents, status_date, source, place_of_service, rendering_npi, submitted_by)
			SELECT ?, ?, ?, t.id, ?, ?, 'received', ?, ?, ?, ?, ?, ?, 'portal', ?, ?, ? FROM tins t WHERE t.id = ? AND t.account_id = ? AND t.status = 'verified'`,
			next, no, m.PK, vc.BillingNPI, m.PlanType, day, vc.From, vc.To, strings.Join(dx, " "), vc.Billed, day, vc.PlaceOfService, vc.RenderingNPI, u.ID,
			vc.TINID, u.AccountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrForbidden
		}
		for i, l := range vc.Lines {
			if _, err := tx.ExecContext(ctx, `INSERT INTO claim_lines(claim_id, line_no, service_date, service_to, code, modifier, description, units,
				billed_cents, dx_pointers, prior_auth) VALUES (?,?,?,?,?,?,?,?,?,?,?)`, next, i+1, l.From, l.To, l.Code, strings.Join(l.Modifiers, " "),
				l.Description, l.Units, l.Charge, l.Pointers, l.PriorAuth); err != nil {
				return err
			}
		}
		upd, err := tx.ExecContext(ctx, "UPDATE claim_drafts SET status = 'submitted', claim_id = ?, updated_at = ? WHERE id = ? AND account_id = ? AND status = 'draft'",
			next, s.DB.NowText(), d.ID, u.AccountID)
		if err != nil {
			return err
		}
		if n, _ := upd.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		if err := addClaimEvent(ctx, tx, next, s.DB.NowText(), "submitted", "Submitted online by "+u.Name, u.ID); err != nil {
			return err
		}
		ae.Action, ae.ObjectType, ae.ObjectID, ae.MemberID = "claim.submit", "claim", no, m.MemberID
		ae.Detail = fmt.Sprintf("draft %d, %d line(s)", d.ID, len(vc.Lines))
		return Audit{DB: s.DB}.RecordTx(ctx, tx, ae)
	})
	if err != nil {
		return "", fmt.Errorf("submit claim: %w", err)
	}
	return no, nil
}

// AccountTINNPIs lists the account's verified TINs with their NPIs, by TIN row ID.
func (s Members) AccountTINNPIs(ctx context.Context, accountID int64) (map[int64]TINNPIs, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT t.id, t.tin, t.name, COALESCE(n.npi,'') FROM tins t LEFT JOIN npis n ON n.tin_id = t.id
		WHERE t.account_id = ? AND t.status = 'verified' ORDER BY t.id, n.id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("account npis: %w", err)
	}
	defer rows.Close()
	out := map[int64]TINNPIs{}
	for rows.Next() {
		var t TIN
		var npi string
		if err := rows.Scan(&t.ID, &t.TIN, &t.Name, &npi); err != nil {
			return nil, fmt.Errorf("account npis: %w", err)
		}
		t.AccountID, t.Status = accountID, "verified"
		e := out[t.ID]
		e.TIN = t
		if npi != "" {
			e.NPIs = append(e.NPIs, npi)
		}
		out[t.ID] = e
	}
	return out, rows.Err()
}

// claimStartFieldMax is the longest member ID or date of birth the claim look-up shows
// again; nothing real is longer, and a longer value is not echoed into the page.
const claimStartFieldMax = 20

// ClaimStartForm is the member look-up that starts a new claim from the claims area
// (/claims/new): the member ID and date of birth, POSTed so neither reaches a URL.
type ClaimStartForm struct {
	MemberID string `form:"member_id" query:"-" id:"cn-member"`
	DOB      string `form:"dob" query:"-" id:"cn-dob"`
	// dob is the date of birth Validate read, ISO.
	dob string
}

// Validate asks for a member ID as printed on the ID card and a real date of birth,
// both told at once. Whether the member exists and is the office's to bill is the
// care-relationship rule's, told apart.
func (f *ClaimStartForm) Validate() FieldErrors {
	fe := FieldErrors{}
	if len(f.MemberID) > claimStartFieldMax || NormalizeMemberID(f.MemberID) == "" {
		fe["cn-member"] = "Enter the member ID as printed on the ID card, such as A100000001."
	}
	var ok bool
	if f.dob, ok = ParseUSDate(f.DOB); len(f.DOB) > claimStartFieldMax || !ok {
		fe["cn-dob"] = "Enter the date of birth as MM/DD/YYYY."
	}
	return fe
}

// BirthDate is the date of birth as stored (YYYY-MM-DD), once Validate accepted it.
func (f *ClaimStartForm) BirthDate() string { return f.dob }

// Clip empties what is too long to be a member ID or a date, so that the page shown
// again keeps what was typed but does not echo a long paste.
func (f *ClaimStartForm) Clip() {
	if len(f.MemberID) > claimStartFieldMax {
		f.MemberID = ""
	}
	if len(f.DOB) > claimStartFieldMax {
		f.DOB = ""
	}
}

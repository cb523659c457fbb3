package handlers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// Roster limits: up to 1,000 members per file; 512 KB is ample for that many rows.
const (
	rosterMaxRows  = 1000
	rosterMaxBytes = 512 << 10
	rosterKeep     = 15 * time.Minute
)

// rosterRow is one line of a roster and its result.
type rosterRow struct {
	Line    int
	Given   string
	Outcome string // found, not found, ambiguous, malformed
	Message string
	Member  *models.Eligibility
}

// rosterResult is a checked roster, kept briefly for its CSV download.
type rosterResult struct {
	Token     string
	Rows      []rosterRow
	Found     int
	NotFound  int
	Malformed int
	session   string
	expires   time.Time
}

// keepRoster keeps a checked roster in memory for a short while, bound to the session
// that made them; the download URL carries only a random token, never member data.
func (h *Handler) keepRoster(r *rosterResult) {
	rosterStore := &h.cache.rosters
	rosterStore.Lock()
	defer rosterStore.Unlock()
	now := h.db.Clock.Wall()
	for k, v := range rosterStore.m {
		if now.After(v.expires) {
			delete(rosterStore.m, k)
		}
	}
	rosterStore.m[r.Token] = r
}

func (h *Handler) findRoster(token, session string) *rosterResult {
	rosterStore := &h.cache.rosters
	rosterStore.Lock()
	defer rosterStore.Unlock()
	r := rosterStore.m[token]
	if r == nil || r.session != session || h.db.Clock.Wall().After(r.expires) {
		return nil
	}
	return r
}

// rosterError is a message about the whole file, shown above the upload field.
type rosterError string

func (e rosterError) Error() string { return string(e) }

// readRosterText checks that the upload is a non-empty UTF-8 text file and returns it
// without a byte-order mark.
func readRosterText(b []byte) (string, error) {
	switch {
	case len(bytes.TrimSpace(b)) == 0:
		return "", rosterError("The file is empty. Choose a CSV file with one member per line.")
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return "", rosterError("The file is saved as UTF-16 (\"Unicode text\"). Save it as \"CSV UTF-8\" and upload it again.")
	case bytes.IndexByte(b, 0) >= 0:
		return "", rosterError("The file is not a CSV text file (it holds binary data). Save the roster as \"CSV UTF-8\" and upload it again.")
	}
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(b) {
		return "", rosterError("The file is not UTF-8 text (it may be saved in another encoding such as Windows-1252). Save it as \"CSV UTF-8\" and upload it again.")
	}
	return string(b), nil
}

// rosterColumns maps header words to the fields a row needs.
func rosterColumn(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.NewReplacer("_", " ", "-", " ", ".", "").Replace(h)
	switch h {
	case "member id", "memberid", "member", "id", "subscriber id", "member number":
		return "member_id"
	case "last name", "lastname", "last", "surname":
		return "last_name"
	case "first name", "firstname", "first", "given name":
		return "first_name"
	case "dob", "date of birth", "birthdate", "birth date", "birthday":
		return "dob"
	}
	return ""
}

// parseRoster reads the roster: a header row naming the columns (member ID, last name,
// first name, date of birth, in any order), or no header and those four columns in that
// order. It returns the rows to check with their line numbers, and malformed rows.
func parseRoster(text string, today time.Time) ([]rosterRow, []models.EligibilityQuery, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.TrimLeadingSpace = true
	cols := map[string]int{"member_id": 0, "last_name": 1, "first_name": 2, "dob": 3}
	var rows []rosterRow
	var queries []models.EligibilityQuery
	first := true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			rows = append(rows, rosterRow{Line: line, Outcome: "malformed", Message: "This line could not be read as CSV (check its quotes)."})
			queries = append(queries, models.EligibilityQuery{})
			if len(rows) > rosterMaxRows {
				return nil, nil, rosterError("The file has more than 1,000 rows. Split the roster into files of up to 1,000 members.")
			}
			continue
		}
		blank := true
		for _, f := range rec {
			blank = blank && strings.TrimSpace(f) == ""
		}
		if blank {
			continue
		}
		if first {
			first = false
			hdr := map[string]int{}
			for i, f := range rec {
				if k := rosterColumn(f); k != "" {
					hdr[k] = i
				}
			}
			if _, ok := hdr["dob"]; ok {
				cols = hdr
				continue
			}
		}
		if len(rows) >= rosterMaxRows {
			return nil, nil, rosterError("The file has more than 1,000 rows. Split the roster into files of up to 1,000 members.")
		}
		get := func(k string) string {
			i, ok := cols[k]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		id, last, firstName, dobText := get("member_id"), get("last_name"), get("first_name"), get("dob")
		row := rosterRow{Line: line}
		q := models.EligibilityQuery{FirstName: firstName}
		switch {
		case id != "":
			row.Given = id
			q.MemberID = id
		case last != "":
			row.Given = last
			if firstName != "" {
				row.Given = last + ", " + firstName
			}
			q.LastName = last
		}
		row.Given = models.Truncate(row.Given, 80)
		dob, msg := models.ParseDOB(dobText, today)
		switch {
		case runeLen(id) > 80 || runeLen(last) > 80 || runeLen(firstName) > 80:
			row.Outcome, row.Message = "malformed", "A value on this line is too long."
		case id == "" && last == "":
			row.Outcome, row.Message = "malformed", "Give a member ID, or a last name and first name."
		case id != "" && models.NormalizeMemberID(id) == "":
			row.Outcome, row.Message = "malformed", "The member ID has no letters or numbers."
		case id == "" && models.LastNameKey(last) == "":
			row.Outcome, row.Message = "malformed", "The last name has no letters."
		case msg != "":
			row.Outcome, row.Message = "malformed", "Date of birth: "+msg
		}
		q.DOB = dob
		rows = append(rows, row)
		queries = append(queries, q)
	}
	if len(rows) == 0 {
		return nil, nil, rosterError("The file has no member rows. Put one member per line: member ID, last name, first name, date of birth.")
	}
	return rows, queries, nil
}

// EligibilityRoster checks every member of an uploaded CSV roster (up to 1,000) under
// the selected plan type and shows a result per row; malformed rows are reported by
// line number. Problems with the file as a whole are shown next to the upload field.
func (h *Handler) EligibilityRoster(c *fiber.Ctx) error {
	u := currentUser(c)
	sess, err := h.ensureContext(c, u)
	if err != nil {
		return err
	}
	fail := func(msg string) error {
		return h.renderEligibility(c, fiber.StatusUnprocessableEntity, &eligibilityView{Form: &eligForm{}, RosterErrors: models.FieldErrors{"roster": msg}})
	}
	fh, err := c.FormFile("roster")
	if err != nil {
		return fail("Choose a CSV file to upload.")
	}
	if fh.Size > rosterMaxBytes {
		return fail(fmt.Sprintf("The file is too large (%d KB). A roster may have up to 1,000 members and %d KB; split it into smaller files.",
			fh.Size>>10, rosterMaxBytes>>10))
	}
	file, err := fh.Open()
	if err != nil {
		return fail("The file could not be read. Choose it again and upload it.")
	}
	b, err := io.ReadAll(io.LimitReader(file, rosterMaxBytes+1))
	file.Close()
	if err != nil {
		return fail("The file could not be read. Choose it again and upload it.")
	}
	if len(b) > rosterMaxBytes {
		return fail(fmt.Sprintf("The file is too large. A roster may have up to 1,000 members and %d KB.", rosterMaxBytes>>10))
	}
	text, err := readRosterText(b)
	if err != nil {
		return fail(err.Error())
	}
	rows, queries, err := parseRoster(text, h.db.Now())
	if err != nil {
		var re rosterError
		if errors.As(err, &re) {
			return fail(re.Error())
		}
		return err
	}
	ms := h.st.Members
	res := &rosterResult{Token: models.RandomToken(18), session: sess.TokenHash, expires: h.db.Clock.Wall().Add(rosterKeep)}
	var checked []*models.EligibilityResult
	planLabel := models.PlanTypeLabel(sess.PlanType)
	lookups := 0
	for _, row := range rows {
		if row.Outcome != "malformed" {
			lookups++
		}
	}
	if err := h.takeLookups(c, u, lookups); err != nil {
		return err
	}
	for i := range rows {
		row := &rows[i]
		if row.Outcome == "malformed" {
			res.Malformed++
			continue
		}
		q := queries[i]
		q.PlanType = sess.PlanType
		r, err := ms.Check(c.UserContext(), q)
		if err != nil {
			return err
		}
		checked = append(checked, r)
		switch r.Outcome {
		case models.OutcomeFound:
			row.Outcome, row.Member = "found", r.Member
			res.Found++
		case models.OutcomeNeedFirstName:
			row.Outcome, row.Message = "not found", "Several members match; add the first name."
			res.NotFound++
		default:
			row.Outcome = "not found"
			row.Message = "No match under " + planLabel + "."
			if r.Outcome == models.OutcomeNotFoundID {
				row.Message += " Try last name and date of birth."
			}
			res.NotFound++
		}
	}
	res.Rows = rows
	e := actorOf(c, u).Stamp(models.AuditEntry{})
	if err := ms.RecordChecks(c.UserContext(), checked, e); err != nil {
		return err
	}
	h.keepRoster(res)
	// Post/Redirect/Get: the results have their own URL, so reload does not post again.
	return c.Redirect("/eligibility/roster/"+res.Token, fiber.StatusSeeOther)
}

// EligibilityRosterShow shows a checked roster's results right below the upload, to the
// session that uploaded it, for a short while.
func (h *Handler) EligibilityRosterShow(c *fiber.Ctx) error {
	r := h.findRoster(c.Params("token"), currentSession(c).TokenHash)
	if r == nil {
		return fiber.NewError(fiber.StatusNotFound, "These results are no longer available (they are kept for 15 minutes). Upload the roster again.")
	}
	return h.renderEligibility(c, fiber.StatusOK, &eligibilityView{Form: &eligForm{}, Roster: r})
}

// EligibilityRosterDownload sends a checked roster's results as CSV, to the session
// that uploaded it, for a short while.
func (h *Handler) EligibilityRosterDownload(c *fiber.Ctx) error {
	r := h.findRoster(c.Params("token"), currentSession(c).TokenHash)
	if r == nil {
		return fiber.NewError(fiber.StatusNotFound, "These results are no longer available (they are kept for 15 minutes). Upload the roster again.")
	}
	rows := make([][]string, 0, len(r.Rows))
	for _, row := range r.Rows {
		rec := []string{fmt.Sprint(row.Line), row.Given, row.Outcome, row.Message, "", "", "", "", "", "", "", "", "", ""}
		if m := row.Member; m != nil {
			rec[4], rec[5], rec[6], rec[7], rec[8], rec[9], rec[10], rec[11], rec[12], rec[13] = m.MemberID, m.FirstName,
				strings.TrimSpace(m.LastName+" "+m.Suffix), m.DOB, m.Status, m.PlanName, m.EffectiveDate, m.EndDate, m.PCPName, m.PPGName
		}
		rows = append(rows, rec)
	}
	return h.sendCSV(c, "eligibility-results.csv", []string{"line", "given", "result", "message", "member_id", "first_name", "last_name", "dob", "status", "plan", "effective_date", "end_date", "pcp", "ppg"}, rows)
}

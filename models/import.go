package models

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"portico/db"
)

// ImportResult tells what an import did: rows read, written, and the problems found,
// each naming its line. When there are problems nothing is written.
type ImportResult struct {
	Rows     int
	Written  int
	Problems []string
}

// Importer loads plan data from CSV files (portico import members|claims FILE.csv).
type Importer struct{ DB *db.DB }

// maxImportProblems caps the problems listed; an import with more is hopeless anyway.
const maxImportProblems = 50

// csvTable reads a CSV with a header row into maps keyed by column name. Required
// columns must be present in the header.
func csvTable(r io.Reader, required []string) (header map[string]int, rows [][]string, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	all, err := cr.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("the file is not valid CSV: %w", err)
	}
	if len(all) == 0 {
		return nil, nil, errors.New("the file is empty")
	}
	header = map[string]int{}
	for i, h := range all[0] {
		header[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := header[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("the header row lacks the columns %s", strings.Join(missing, ", "))
	}
	return header, all[1:], nil
}

func field(header map[string]int, row []string, name string) string {
	i, ok := header[name]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

func validDate(s string) bool {
	_, err := time.Parse(DateFormat, s)
	return err == nil
}

var memberImportColumns = []string{"member_id", "first_name", "last_name", "dob", "plan_code", "effective_date"}

// Members imports members: one row per member, matched on member_id (new IDs are added,
// known ones updated). Optional columns: suffix, sex, end_date, relationship,
// subscriber_id, pcp_tin, pcp_npi, pcp_name, ppg_tin, address, city, zip, phone.
func (im Importer) Members(ctx context.Context, r io.Reader) (*ImportResult, error) {
	header, rows, err := csvTable(r, memberImportColumns)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Rows: len(rows)}
	plans := map[string][2]any{} // code -> id, plan type
	prows, err := im.DB.R.QueryContext(ctx, "SELECT code, id, plan_type FROM plans")
	if err != nil {
		return nil, fmt.Errorf("import members: %w", err)
	}
	for prows.Next() {
		var code, planType string
		var id int64
		if err := prows.Scan(&code, &id, &planType); err != nil {
			prows.Close()
			return nil, err
		}
		plans[code] = [2]any{id, planType}
	}
	prows.Close()
	tinID := func(tx *sql.Tx, tin string) (any, error) {
		tin = strings.ReplaceAll(tin, "-", "")
		if tin == "" {
			return nil, nil
		}
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM tins WHERE tin = ?", tin).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("TIN %s is not on file", FormatTIN(tin))
		}
		return id, err
	}
	problem := func(line int, format string, a ...any) {
		if len(res.Problems) < maxImportProblems {
			res.Problems = append(res.Problems, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, a...)))
		}
	}
	return im.inTx(ctx, "members", res, func(tx *sql.Tx) error {
		for i, row := range rows {
			line := i + 2
			get := func(name string) string { return field(header, row, name) }
			id := NormalizeMemberID(get("member_id"))
			if len(id) < 2 || id[0] < 'A' || id[0] > 'Z' {
				problem(line, "member_id %q must start with its alpha prefix", get("member_id"))
				continue
			}
			plan, ok := plans[get("plan_code")]
			if !ok {
				problem(line, "plan_code %q is not a plan on file", get("plan_code"))
				continue
			}
			if get("first_name") == "" || get("last_name") == "" {
				problem(line, "first_name and last_name are required")
				continue
			}
			if !validDate(get("dob")) || !validDate(get("effective_date")) || (get("end_date") != "" && !validDate(get("end_date"))) {
				problem(line, "dates must be YYYY-MM-DD (dob, effective_date, end_date)")
				continue
			}
			pcp, err := tinID(tx, get("pcp_tin"))
			if err != nil {
				problem(line, "pcp_tin: %v", err)
				continue
			}
			ppg, err := tinID(tx, get("ppg_tin"))
			if err != nil {
				problem(line, "ppg_tin: %v", err)
				continue
			}
			var subscriber any
			if s := NormalizeMemberID(get("subscriber_id")); s != "" && s != id {
				var pk int64
				if err := tx.QueryRowContext(ctx, "SELECT id FROM members WHERE member_id = ?", s).Scan(&pk); err != nil {
					problem(line, "subscriber_id %s is not a member on file (list subscribers before dependents)", s)
					continue
				}
				subscriber = pk
			}
			relationship := strings.ToLower(get("relationship"))
			if relationship == "" {
				relationship = "self"
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO members(member_id, first_name, last_name, suffix, last_name_key, dob, sex, address, city, zip, phone,
				plan_id, plan_type, subscriber_id, relationship, effective_date, end_date, pcp_tin_id, pcp_npi, pcp_name, ppg_tin_id)
				VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
				ON CONFLICT(member_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, suffix = excluded.suffix,
				last_name_key = excluded.last_name_key, dob = excluded.dob, sex = excluded.sex, address = excluded.address, city = excluded.city,
				zip = excluded.zip, phone = excluded.phone, plan_id = excluded.plan_id, plan_type = excluded.plan_type,
				subscriber_id = excluded.subscriber_id, relationship = excluded.relationship, effective_date = excluded.effective_date,
				end_date = excluded.end_date, pcp_tin_id = excluded.pcp_tin_id, pcp_npi = excluded.pcp_npi, pcp_name = excluded.pcp_name,
				ppg_tin_id = excluded.ppg_tin_id`,
				id, get("first_name"), get("last_name"), get("suffix"), LastNameKey(get("last_name")), get("dob"), get("sex"), get("address"),
				get("city"), get("zip"), get("phone"), plan[0], plan[1], subscriber, relationship, get("effective_date"), get("end_date"),
				pcp, get("pcp_npi"), get("pcp_name"), ppg)
			if err != nil {
				return fmt.Errorf("line %d: %w", line, err)
			}
			res.Written++
		}
		return nil
	})
}

var errImportProblems = errors.New("import has problems")

// inTx runs an import's rows in one transaction. When the rows left problems the
// transaction is rolled back and the result tells them; otherwise the import is audited
// with the number of rows written.
func (im Importer) inTx(ctx context.Context, kind string, res *ImportResult, rows func(tx *sql.Tx) error) (*ImportResult, error) {
	err := im.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := rows(tx); err != nil {
			return err
		}
		if len(res.Problems) > 0 {
			res.Written = 0
			return errImportProblems
		}
		return (Audit{DB: im.DB}).RecordTx(ctx, tx, AuditEntry{Action: "import." + kind, Detail: strconv.Itoa(res.Written) + " written"})
	})
	if errors.Is(err, errImportProblems) {
		return res, nil
	}
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", kind, err)
	}
	return res, nil
}

var claimImportColumns = []string{"claim_no", "member_id", "tin", "status", "received_date", "service_date", "code", "billed", "allowed", "paid"}

// Claims imports claims, one row per service line; rows sharing a claim_no form one
// claim (a claim_no already on file is refused). Money is in dollars ("125.00").
// Optional columns: npi, diagnosis, description, units, member_resp, adjustment_reason.
func (im Importer) Claims(ctx context.Context, r io.Reader) (*ImportResult, error) {
	header, rows, err := csvTable(r, claimImportColumns)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Rows: len(rows)}
	problem := func(line int, format string, a ...any) {
		if len(res.Problems) < maxImportProblems {
			res.Problems = append(res.Problems, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, a...)))
		}
	}
	statuses := map[string]bool{"received": true, "in_process": true, "pending_info": true, "paid": true, "denied": true, "adjusted": true}
	return im.inTx(ctx, "claims", res, func(tx *sql.Tx) error {
		claimIDs := map[string]int64{}
		failed := map[string]bool{} // claims already reported: their other lines say nothing new
		for i, row := range rows {
			line := i + 2
			get := func(name string) string { return field(header, row, name) }
			var cents [4]int64
			bad := false
			for k, name := range []string{"billed", "allowed", "paid", "member_resp"} {
				v := strings.TrimPrefix(get(name), "$")
				if v == "" {
					continue
				}
				f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
				if err != nil || f < 0 || f > 10_000_000 {
					problem(line, "%s %q is not an amount in dollars", name, get(name))
					bad = true
					break
				}
				cents[k] = int64(f*100 + 0.5)
			}
			if bad {
				continue
			}
			if !statuses[get("status")] {
				problem(line, "status %q must be one of received, in_process, pending_info, paid, denied, adjusted", get("status"))
				continue
			}
			if !validDate(get("received_date")) || !validDate(get("service_date")) {
				problem(line, "dates must be YYYY-MM-DD (received_date, service_date)")
				continue
			}
			units := 1
			if u := get("units"); u != "" {
				if units, err = strconv.Atoi(u); err != nil || units < 1 || units > 9999 {
					problem(line, "units %q must be a whole number from 1 to 9999", u)
					continue
				}
			}
			no := get("claim_no")
			if failed[no] {
				continue
			}
			claimID, seen := claimIDs[no]
			if !seen {
				failed[no] = true // until the claim row is written
				var memberPK, tin int64
				var planType string
				if err := tx.QueryRowContext(ctx, "SELECT id, plan_type FROM members WHERE member_id = ?", NormalizeMemberID(get("member_id"))).Scan(&memberPK, &planType); err != nil {
					problem(line, "member_id %q is not a member on file", get("member_id"))
					continue
				}
				if err := tx.QueryRowContext(ctx, "SELECT id FROM tins WHERE tin = ?", strings.ReplaceAll(get("tin"), "-", "")).Scan(&tin); err != nil {
					problem(line, "TIN %q is not on file", get("tin"))
					continue
				}
				var exists bool
				tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM claims WHERE claim_no = ?)", no).Scan(&exists)
				if no == "" || exists {
					problem(line, "claim_no %q is empty or already on file", no)
					continue
				}
				r, err := tx.ExecContext(ctx, `INSERT INTO claims(claim_no, member_pk, tin_id, npi, plan_type, status, received_date, service_from, service_to, diagnosis)
					VALUES (?,?,?,?,?,?,?,?,?,?)`, no, memberPK, tin, get("npi"), planType, get("status"), get("received_date"), get("service_date"), get("service_date"), get("diagnosis"))
				if err != nil {
					return fmt.Errorf("line %d: %w", line, err)
				}
				claimID, _ = r.LastInsertId()
				claimIDs[no] = claimID
				delete(failed, no)
				res.Written++
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO claim_lines(claim_id, line_no, service_date, code, description, units, billed_cents, allowed_cents, paid_cents, member_resp_cents, adjustment_reason)
				VALUES (?, (SELECT COALESCE(MAX(line_no),0)+1 FROM claim_lines WHERE claim_id = ?), ?,?,?,?,?,?,?,?,?)`,
				claimID, claimID, get("service_date"), strings.ToUpper(get("code")), get("description"), units, cents[0], cents[1], cents[2], cents[3], get("adjustment_reason"))
			if err != nil {
				return fmt.Errorf("line %d: %w", line, err)
			}
		}
		if len(res.Problems) > 0 {
			return nil
		}
		// Claim totals are the sums of their lines; service dates span them.
		_, err := tx.ExecContext(ctx, `UPDATE claims SET
			billed_cents = (SELECT SUM(billed_cents) FROM claim_lines WHERE claim_id = claims.id),
			allowed_cents = (SELECT SUM(allowed_cents) FROM claim_lines WHERE claim_id = claims.id),
			paid_cents = (SELECT SUM(paid_cents) FROM claim_lines WHERE claim_id = claims.id),
			member_resp_cents = (SELECT SUM(member_resp_cents) FROM claim_lines WHERE claim_id = claims.id),
			service_from = (SELECT MIN(service_date) FROM claim_lines WHERE claim_id = claims.id),
			service_to = (SELECT MAX(service_date) FROM claim_lines WHERE claim_id = claims.id)
			WHERE id IN (SELECT value FROM json_each(?))`, idsJSON(slices.Collect(maps.Values(claimIDs))))
		if err != nil {
			return err
		}
		return nil
	})
}

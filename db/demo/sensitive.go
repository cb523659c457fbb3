package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The sensitive-service triggers of claims and claim lines (SPEC §8) cost about a
// quarter of the fill's core step (CPU, measured at 300,000 members): SQLite runs a
// trigger program for every row, though the generated claims use a handful of
// diagnoses and codes. The fill therefore learns what the triggers make of each of those values,
// loads the rows without the triggers, sets the same categories with one UPDATE per
// table, and puts the triggers back exactly as the migrations wrote them.

// sensitiveTriggers names the triggers suspended during the load.
var sensitiveTriggers = []string{"claims_sensitive", "claim_lines_sensitive"}

// suspendSensitiveTriggers asks the triggers what they make of each diagnosis and
// procedure code of the generated claims, drops them, and returns the function that,
// once the rows are in, applies the same categories and recreates the triggers.
func suspendSensitiveTriggers(ctx context.Context, tx *sql.Tx) (func() error, error) {
	byDx, byCode := map[string]string{}, map[string]string{}
	for _, sc := range serviceCodes {
		dx, code, err := probeSensitive(ctx, tx, sc.dx, sc.code)
		if err != nil {
			return nil, fmt.Errorf("sensitive probe %s/%s: %w", sc.dx, sc.code, err)
		}
		if dx != "" {
			byDx[sc.dx] = dx
		}
		if code != "" {
			byCode[sc.code] = code
		}
	}
	recreate, _, err := dropTriggers(ctx, tx, sensitiveTriggers...)
	if err != nil {
		return nil, err
	}
	return func() error {
		// In trigger order: a claim inserted without a category takes its diagnosis's;
		// then each line takes its code's, and a claim still without one takes its first
		// such line's.
		if err := setByValue(ctx, tx, "claims", "diagnosis", byDx); err != nil {
			return err
		}
		if err := setByValue(ctx, tx, "claim_lines", "code", byCode); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE claims SET sensitive_category = first.category
			FROM (SELECT claim_id, sensitive_category AS category, MIN(id) FROM claim_lines WHERE sensitive_category <> '' GROUP BY claim_id) AS first
			WHERE claims.id = first.claim_id AND claims.sensitive_category = ''`); err != nil {
			return fmt.Errorf("claims from lines: %w", err)
		}
		return recreate()
	}, nil
}

// dropTriggers drops the named triggers and returns their SQL, as the migrations
// stored it, and the function that recreates them from it.
func dropTriggers(ctx context.Context, tx *sql.Tx, names ...string) (func() error, map[string]string, error) {
	defs := map[string]string{}
	for _, name := range names {
		var d string
		if err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", name).Scan(&d); err != nil {
			return nil, nil, fmt.Errorf("trigger %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER "`+name+`"`); err != nil {
			return nil, nil, err
		}
		defs[name] = d
	}
	return func() error {
		for _, name := range names {
			if _, err := tx.ExecContext(ctx, defs[name]); err != nil {
				return err
			}
		}
		return nil
	}, defs, nil
}

// suspendAuthzSensitive drops the triggers that give a prior authorization request the
// category of its diagnoses and procedure lines, for the generated history, and
// returns the function that applies what they would have done and recreates them.
// The history has a handful of codes; each is put to the trigger once, on a request
// of the history, inside a savepoint that takes the probe back.
func suspendAuthzSensitive(ctx context.Context, tx *sql.Tx) (func() error, error) {
	recreate, defs, err := dropTriggers(ctx, tx, "authz_diagnoses_sensitive", "authz_lines_sensitive")
	if err != nil {
		return nil, err
	}
	return func() error {
		// Diagnoses were written before lines, so a request takes its first sensitive
		// diagnosis's category, or else its first sensitive line's.
		for _, part := range []struct{ table, order, insert string }{
			{"authz_diagnoses", "seq", "INSERT INTO authz_diagnoses(request_id, seq, code) VALUES (?, -1, ?)"},
			{"authz_lines", "line_no", "INSERT INTO authz_lines(request_id, line_no, code, units, from_date, to_date) VALUES (?, -1, ?, 1, '', '')"},
		} {
			cats, err := probeAuthzCodes(ctx, tx, part.table, part.insert, defs[part.table+"_sensitive"])
			if err != nil {
				return fmt.Errorf("%s probe: %w", part.table, err)
			}
			if len(cats) == 0 {
				continue
			}
			var when strings.Builder
			var args, in []any
			for code, c := range cats {
				when.WriteString(" WHEN ? THEN ?")
				args, in = append(args, code, c), append(in, code)
			}
			q := fmt.Sprintf(`UPDATE authz_requests SET sensitive_category = CASE first.code%s END
				FROM (SELECT request_id, code, MIN(%s) FROM %s WHERE code IN (%s) GROUP BY request_id) AS first
				WHERE authz_requests.id = first.request_id AND authz_requests.sensitive_category = ''`,
				when.String(), part.order, part.table, strings.TrimSuffix(strings.Repeat("?,", len(in)), ","))
			if _, err := tx.ExecContext(ctx, q, append(args, in...)...); err != nil {
				return fmt.Errorf("%s categories: %w", part.table, err)
			}
		}
		return recreate()
	}, nil
}

// probeAuthzCodes returns, for each code of table that its trigger marks sensitive, the
// category the trigger gives a request. Inside a savepoint the trigger is put back and
// sees one row per code (written by insert) on a request of the history without a
// category; the savepoint then takes everything back.
func probeAuthzCodes(ctx context.Context, tx *sql.Tx, table, insert, trigger string) (cats map[string]string, err error) {
	var codes []string
	rows, err := tx.QueryContext(ctx, "SELECT DISTINCT code FROM "+table)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, err
		}
		codes = append(codes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(codes) == 0 {
		return nil, err
	}
	var probe int64
	if err := tx.QueryRowContext(ctx, "SELECT MIN(id) FROM authz_requests").Scan(&probe); err != nil {
		return nil, err
	}
	cats = map[string]string{}
	for _, code := range codes {
		cat, err := probeAuthzCode(ctx, tx, insert, trigger, probe, code)
		if err != nil {
			return nil, err
		}
		if cat != "" {
			cats[code] = cat
		}
	}
	return cats, nil
}

func probeAuthzCode(ctx context.Context, tx *sql.Tx, insert, trigger string, request int64, code string) (cat string, err error) {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT sensitive_probe"); err != nil {
		return "", err
	}
	defer func() {
		_, rerr := tx.ExecContext(ctx, "ROLLBACK TO sensitive_probe; RELEASE sensitive_probe")
		if err == nil {
			err = rerr
		}
	}()
	if _, err = tx.ExecContext(ctx, "UPDATE authz_requests SET sensitive_category = '' WHERE id = ?", request); err != nil {
		return
	}
	if _, err = tx.ExecContext(ctx, trigger); err != nil {
		return
	}
	if _, err = tx.ExecContext(ctx, insert, request, code); err != nil {
		return
	}
	err = tx.QueryRowContext(ctx, "SELECT sensitive_category FROM authz_requests WHERE id = ?", request).Scan(&cat)
	return
}

// probeSensitive inserts one claim with diagnosis dx and one line with code, reads the
// categories the triggers gave them, and takes both rows back.
func probeSensitive(ctx context.Context, tx *sql.Tx, dx, code string) (claim, line string, err error) {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT sensitive_probe"); err != nil {
		return "", "", err
	}
	defer func() {
		_, rerr := tx.ExecContext(ctx, "ROLLBACK TO sensitive_probe; RELEASE sensitive_probe")
		if err == nil {
			err = rerr
		}
	}()
	if _, err = tx.ExecContext(ctx, `INSERT INTO claims(id, claim_no, member_pk, tin_id, plan_type, status, received_date, service_from, service_to, diagnosis)
		VALUES (-1, 'sensitive probe', 0, 0, '', 'received', '', '', '', ?)`, dx); err != nil {
		return
	}
	if err = tx.QueryRowContext(ctx, "SELECT sensitive_category FROM claims WHERE id = -1").Scan(&claim); err != nil {
		return
	}
	if _, err = tx.ExecContext(ctx, "UPDATE claims SET sensitive_category = '' WHERE id = -1"); err != nil {
		return
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO claim_lines(id, claim_id, line_no, service_date, code) VALUES (-1, -1, 1, '', ?)`, code); err != nil {
		return
	}
	err = tx.QueryRowContext(ctx, "SELECT sensitive_category FROM claim_lines WHERE id = -1").Scan(&line)
	return
}

// setByValue gives every row of table still without a category the one cats maps its
// column's value to, in one pass over the table.
func setByValue(ctx context.Context, tx *sql.Tx, table, column string, cats map[string]string) error {
	if len(cats) == 0 {
		return nil
	}
	var when strings.Builder
	var args []any
	for v, c := range cats {
		when.WriteString(" WHEN ? THEN ?")
		args = append(args, v, c)
	}
	q := fmt.Sprintf("UPDATE %s SET sensitive_category = CASE %s%s END WHERE sensitive_category = '' AND %s IN (%s)",
		table, column, when.String(), column, strings.TrimSuffix(strings.Repeat("?,", len(cats)), ","))
	for v := range cats {
		args = append(args, v)
	}
	_, err := tx.ExecContext(ctx, q, args...)
	return err
}

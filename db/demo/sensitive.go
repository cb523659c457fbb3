package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The sensitive-service triggers of claims and claim lines (SPEC §8) cost the
// 1,000,000-member fill more than a quarter of its core step: SQLite runs a trigger
// program for every row, though the generated claims use a handful of diagnoses and
// codes. The fill therefore learns what the triggers make of each of those values,
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
	defs := make([]string, len(sensitiveTriggers))
	for i, name := range sensitiveTriggers {
		if err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", name).Scan(&defs[i]); err != nil {
			return nil, fmt.Errorf("trigger %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER "`+name+`"`); err != nil {
			return nil, err
		}
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
		for _, d := range defs {
			if _, err := tx.ExecContext(ctx, d); err != nil {
				return err
			}
		}
		return nil
	}, nil
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

package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"portico/models"
)

func init() { register(90, "privacy", fillPrivacy) }

// The demo's confidential-communication stories (SPEC §12): James Smith Jr.'s request
// (electronic, designated e-mail, answered), one request overdue, one mailed request due
// in three days, and one answered request per 1,000 members among members with sensitive
// services. Categories themselves were derived as the other fillers wrote their rows
// (the triggers of migration 0020); care plans of the named members about behavioral
// health carry the category the privacy officer would give them.
func fillPrivacy(ctx context.Context, tx *sql.Tx, f *Fill) error {
	day := func(offset int) string { return f.Opts.Anchor.AddDate(0, 0, offset).Format(models.DateFormat) }
	now := f.DB.NowText()
	privacy := f.UserIDs["privacy@plan.example"]
	ins, err := tx.PrepareContext(ctx, `INSERT INTO confidential_requests(member_pk, channel, received_on, due_on, scope, address, email, phone, status, completed_on, created_by, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	add := func(pk int64, channel string, received int, scope, address, email, phone string, completed int) error {
		due, err := models.RequestDueOn(channel, day(received))
		if err != nil {
			return err
		}
		status, completedOn := models.RequestOpen, ""
		if completed != 0 {
			status, completedOn = models.RequestCompleted, day(completed)
		}
		_, err = ins.ExecContext(ctx, pk, channel, day(received), due, scope, address, email, phone, status, completedOn, privacy, now, now)
		return err
	}
	james := f.MemberPKs["M200000001"]
	if james == 0 {
		return fmt.Errorf("privacy: James Smith Jr. is missing")
	}
	if err := add(james, models.ChannelElectronic, -40, models.ScopeSensitive, "", "james.smith.jr@example.org", "", -36); err != nil {
		return err
	}
	// Two dependents of generated households: one request overdue (phone, received 12
	// days ago), one mailed request due in three days.
	var picks []int64
	rows, err := tx.QueryContext(ctx, `SELECT id FROM members WHERE subscriber_id IS NOT NULL AND member_id NOT IN ('M200000001') ORDER BY id LIMIT 2`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var pk int64
		if err := rows.Scan(&pk); err != nil {
			rows.Close()
			return err
		}
		picks = append(picks, pk)
	}
	rows.Close()
	if len(picks) == 2 {
		if err := add(picks[0], models.ChannelPhone, -12, models.ScopeSensitive, "", "", "(916) 555-0142", 0); err != nil {
			return err
		}
		if err := add(picks[1], models.ChannelMail, -11, models.ScopeAll, "PO Box 5521, Sacramento, CA 95817", "", "", 0); err != nil {
			return err
		}
	}
	// Answered requests among members with sensitive-service claims, one per 1,000.
	n := f.MemberCount / 1000
	rows, err = tx.QueryContext(ctx, `SELECT DISTINCT c.member_pk FROM claims c WHERE c.sensitive_category <> '' AND c.member_pk NOT IN (?,?,?) ORDER BY c.member_pk LIMIT ?`,
		james, pickOr(picks, 0), pickOr(picks, 1), n)
	if err != nil {
		return err
	}
	var others []int64
	for rows.Next() {
		var pk int64
		if err := rows.Scan(&pk); err != nil {
			rows.Close()
			return err
		}
		others = append(others, pk)
	}
	rows.Close()
	for i, pk := range others {
		received := -30 - f.Rand.Intn(300)
		if err := add(pk, models.ChannelElectronic, received, models.ScopeSensitive, "", fmt.Sprintf("member%d@example.org", i+1), "", received+2); err != nil {
			return err
		}
	}
	// James's care plans about behavioral health are sensitive. Their titles are sealed,
	// so they are opened and matched here rather than with LIKE.
	return markBehavioralPlans(ctx, tx, f.Opts.Keyring, james)
}

// markBehavioralPlans gives the care plans of member whose title speaks of behavioral
// health the category the privacy officer would give them.
func markBehavioralPlans(ctx context.Context, tx *sql.Tx, keys *models.Keyring, member int64) error {
	if keys == nil { // without a key file the fill left no titles
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, title FROM care_plans WHERE member_pk = ?`, member)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var stored string
		if err := rows.Scan(&id, &stored); err != nil {
			rows.Close()
			return err
		}
		title, err := models.OpenCarePlanTitle(keys, id, stored)
		if err != nil {
			rows.Close()
			return err
		}
		title = strings.ToLower(title)
		for _, w := range []string{"behavio", "mood", "depress", "anxiety"} {
			if strings.Contains(title, w) {
				ids = append(ids, id)
				break
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE care_plans SET sensitive_category = 'mental_health' WHERE id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

func pickOr(s []int64, i int) int64 {
	if i < len(s) {
		return s[i]
	}
	return 0
}

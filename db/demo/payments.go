package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"portico/models"
)

func init() { register(70, "payments", fillPayments) }

// fillPayments adds what follows the money beyond the core claims and checks: two
// disputes for Sunrise Family Medicine — one the plan overturned with a new payment
// (its answer not yet seen, so the dashboard counts it), one in review — each with its
// secure-message thread to the Claims department, and their history events — and an
// online claim for Maria Lopez saved as a draft, not submitted. The disputes need the
// keyring for their threads (without one, as in some tests, there are none).
func fillPayments(ctx context.Context, tx *sql.Tx, f *Fill) error {
	if err := fillClaimDraft(ctx, tx, f); err != nil {
		return err
	}
	if f.Opts.Keyring == nil {
		return nil
	}
	m := models.Messages{DB: f.DB, Keys: f.Opts.Keyring, BaseURL: f.Opts.BaseURL, PlanName: "Pacific Crest Health Plan"}
	user := func(email string) (*models.User, error) {
		var u models.User
		var acct sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT id, account_id, email, name, department FROM users WHERE email = ?", email).
			Scan(&u.ID, &acct, &u.Email, &u.Name, &u.Department)
		u.AccountID = acct.Int64
		return &u, err
	}
	jane, err := user("manager@sunrise.example")
	if err != nil {
		return err
	}
	dana, err := user("claims@" + f.Opts.PlanDomain)
	if err != nil {
		return err
	}
	audit := func(u *models.User) models.AuditEntry {
		return models.AuditEntry{UserID: u.ID, Actor: u.Email, AccountID: u.AccountID, IP: "demo"}
	}
	type claim struct {
		id               int64
		no, member, plan string
		line             int
		billed, allowed  int64
		statusDate       string
	}
	// The newest decided claim of a Sunrise TIN in one of statuses (in order of preference).
	pick := func(statuses ...string) (*claim, error) {
		for _, status := range statuses {
			var c claim
			err := tx.QueryRowContext(ctx, `SELECT c.id, c.claim_no, m.member_id, c.plan_type, l.line_no, l.billed_cents, l.billed_cents * 62 / 100, c.status_date
				FROM claims c JOIN members m ON m.id = c.member_pk JOIN claim_lines l ON l.claim_id = c.id
				WHERE c.tin_id IN (?, ?) AND c.status = ? AND c.status_date <= ? AND NOT EXISTS (SELECT 1 FROM claim_disputes d WHERE d.claim_id = c.id)
				ORDER BY c.received_date DESC, c.id DESC, l.line_no LIMIT 1`,
				f.TINIDs["951234567"], f.TINIDs["957654321"], status, f.Opts.Anchor.AddDate(0, 0, -14).Format(models.DateFormat)).Scan(&c.id, &c.no, &c.member, &c.plan, &c.line, &c.billed, &c.allowed, &c.statusDate)
			if err == sql.ErrNoRows {
				continue
			}
			return &c, err
		}
		return nil, nil
	}
	// stampMessage dates message seq of a thread (and the thread's times) in the past.
	stampMessage := func(thread int64, seq int, at string) error {
		if _, err := tx.ExecContext(ctx, "UPDATE messages SET created_at = ? WHERE thread_id = ? AND seq = ?", at, thread, seq); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE message_threads SET created_at = (SELECT MIN(created_at) FROM messages WHERE thread_id = ?1),
			last_message_at = (SELECT MAX(created_at) FROM messages WHERE thread_id = ?1) WHERE id = ?1`, thread)
		return err
	}
	open := func(c *claim, line int, reason, explanation string, daysAgo int) (int64, int64, error) {
		what := "claim " + c.no
		if line > 0 {
			what = fmt.Sprintf("claim %s, line %d", c.no, line)
		}
		r, err := m.StartTx(ctx, tx, models.NewThread{AccountID: jane.AccountID, Department: models.DeptClaims, PlanType: c.plan, MemberID: c.member},
			models.MessageAuthor{User: jane}, models.MessageDraft{Subject: "Dispute of " + what,
				Body: "Dispute (reconsideration request) of " + what + ".\nReason: " + models.DisputeReasonLabel(reason) + "\n\n" + explanation}, audit(jane))
		if err != nil {
			return 0, 0, err
		}
		at := f.Opts.Anchor.AddDate(0, 0, -daysAgo).Format(models.TimeFormat)
		res, err := tx.ExecContext(ctx, `INSERT INTO claim_disputes(claim_id, line_no, account_id, reason, status, thread_id, created_by, created_at)
			VALUES (?,?,?,?,'received',?,?,?)`, c.id, line, jane.AccountID, reason, r.ThreadID, jane.ID, at)
		if err != nil {
			return 0, 0, err
		}
		id, _ := res.LastInsertId()
		if err := stampMessage(r.ThreadID, 1, at); err != nil {
			return 0, 0, err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO claim_events(claim_id, at, kind, text, user_id) VALUES (?,?,?,?,?)", c.id, at, "disputed",
			fmt.Sprintf("Disputed (%s)%s", strings.ToLower(models.DisputeReasonLabel(reason)), lineSuffix(line)), jane.ID)
		return id, r.ThreadID, err
	}
	decide := func(c *claim, id, thread int64, status string, newPaid int64, answer string, daysAgo int) error {
		if _, err := m.ReplyTx(ctx, tx, thread, models.MessageAuthor{User: dana}, models.MessageDraft{Body: models.DisputeStatusLabel(status) + ".\n\n" + answer}, audit(dana)); err != nil {
			return err
		}
		at := f.Opts.Anchor.AddDate(0, 0, -daysAgo).Format(models.TimeFormat)
		if err := stampMessage(thread, 2, at); err != nil {
			return err
		}
		if status == models.DisputeInReview {
			_, err := tx.ExecContext(ctx, "UPDATE claim_disputes SET status = 'in_review' WHERE id = ?", id)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, "INSERT INTO claim_events(claim_id, at, kind, text, user_id) VALUES (?,?,?,?,?)", c.id, at, "dispute_in_review", "Dispute in review", dana.ID)
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE claim_disputes SET status = ?, new_paid_cents = ?, decided_by = ?, decided_at = ? WHERE id = ?",
			status, newPaid, dana.ID, at, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO claim_events(claim_id, at, kind, text, user_id) VALUES (?,?,?,?,?)", c.id, at, "dispute_"+status,
			fmt.Sprintf("Dispute overturned: new payment of $%d.%02d%s", newPaid/100, newPaid%100, lineSuffix(c.line)), dana.ID)
		return err
	}
	if c, err := pick("denied", "adjusted", "paid"); err != nil {
		return err
	} else if c != nil {
		id, thread, err := open(c, c.line, "denied_in_error", "The service was authorized before the visit; the authorization number is on the attached letter. Please reprocess the line.", 9)
		if err != nil {
			return err
		}
		if err := decide(c, id, thread, models.DisputeOverturned, c.allowed, "We found the authorization on file and reprocessed the line at the contracted rate. The new payment goes out on the next payment run.", 2); err != nil {
			return err
		}
	}
	if c, err := pick("paid"); err != nil {
		return err
	} else if c != nil {
		id, thread, err := open(c, 0, "underpaid", "The allowed amount is below our contracted rate for this code. Please review against the current fee schedule.", 4)
		if err != nil {
			return err
		}
		if err := decide(c, id, thread, models.DisputeInReview, 0, "Thank you. A claims analyst is comparing the payment with the contracted fee schedule; we will answer in this thread.", 3); err != nil {
			return err
		}
	}
	return nil
}

func lineSuffix(line int) string {
	if line > 0 {
		return fmt.Sprintf(", line %d", line)
	}
	return ""
}

// fillClaimDraft saves a half-typed IFP claim for Maria Lopez by Sunrise's manager.
func fillClaimDraft(ctx context.Context, tx *sql.Tx, f *Fill) error {
	var tinID int64
	var npi string
	if err := tx.QueryRowContext(ctx, "SELECT t.id, n.npi FROM tins t JOIN npis n ON n.tin_id = t.id WHERE t.tin = '951234567' ORDER BY n.id LIMIT 1").Scan(&tinID, &npi); err != nil {
		return err
	}
	day := f.Opts.Anchor.AddDate(0, 0, -2).Format(models.DateFormat)
	form := fmt.Sprintf(`{"tin_id":"%d","billing_npi":"%s","pos":"11","dx":["J02.9"],"lines":[{"from":"%s","code":"99213","units":"1","charge":"150.00","pointers":"A"},{"from":"%s","code":"87880","units":"1"}]}`,
		tinID, npi, day, day)
	at := f.Opts.Anchor.AddDate(0, 0, -1).Format(models.TimeFormat)
	_, err := tx.ExecContext(ctx, `INSERT INTO claim_drafts(account_id, member_pk, created_by, form, status, created_at, updated_at) VALUES (?,?,?,?,'draft',?,?)`,
		f.AccountIDs["sunrise"], f.MemberPKs["A100000001"], f.UserIDs["manager@sunrise.example"], form, at, at)
	return err
}

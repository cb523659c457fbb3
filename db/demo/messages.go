package demo

import (
	"context"
	"database/sql"

	"portico/models"
)

func init() { register(40, "messages", fillMessages) }

// fillMessages writes secure-message threads in several states for the demo accounts:
// unread replies, a department queue, an assigned and a resolved thread, an archived
// one, a full thread of 12 continued by a linked one, and a registered envelope to an
// outside partner. It needs the keyring (without one, as in some tests, it adds none).
func fillMessages(ctx context.Context, tx *sql.Tx, f *Fill) error {
	if f.Opts.Keyring == nil {
		return nil
	}
	domain := f.Opts.PlanDomain
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
	priya, err := user("manager@valley.example")
	if err != nil {
		return err
	}
	rep, err := user("rep@" + domain)
	if err != nil {
		return err
	}
	nurse, err := user("nurse@" + domain)
	if err != nil {
		return err
	}
	audit := func(u *models.User) models.AuditEntry {
		return models.AuditEntry{UserID: u.ID, Actor: u.Email, AccountID: u.AccountID, IP: "demo"}
	}
	start := func(nt models.NewThread, u *models.User, subject, body string, files ...models.AttachmentUpload) (int64, error) {
		r, err := m.StartTx(ctx, tx, nt, models.MessageAuthor{User: u}, models.MessageDraft{Subject: subject, Body: body, Files: files}, audit(u))
		if err != nil {
			return 0, err
		}
		return r.ThreadID, nil
	}
	reply := func(tid int64, u *models.User, body string) (int64, error) {
		r, err := m.ReplyTx(ctx, tx, tid, models.MessageAuthor{User: u}, models.MessageDraft{Body: body}, audit(u))
		if err != nil {
			return 0, err
		}
		return r.ThreadID, nil
	}
	read := func(tid int64, u *models.User) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO message_thread_users(thread_id, user_id, last_read_seq)
			SELECT id, ?, message_count FROM message_threads WHERE id = ?
			ON CONFLICT(thread_id, user_id) DO UPDATE SET last_read_seq = excluded.last_read_seq`, u.ID, tid)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO message_reads(message_id, reader, user_id, read_at)
			SELECT id, ?, ?, created_at FROM messages WHERE thread_id = ? AND COALESCE(sender_id,0) <> ? ON CONFLICT DO NOTHING`, u.Email, u.ID, tid, u.ID)
		return err
	}

	ages := map[int64]int{} // thread ID -> days before the anchor it started

	// 1. Sunrise asks Provider Services about a claim; the associate answered (unread by Jane).
	t1, err := start(models.NewThread{AccountID: jane.AccountID, Department: models.DeptProviderServices, PlanType: models.PlanCommercial,
		AssigneeID: rep.ID, MemberID: "A100000001"}, jane,
		"Claim status question for member A100000001",
		"Hello, we submitted a claim for an office visit last month and it still shows as in process. Could you tell us whether anything is missing?\n\nThank you,\nJane Doe, Sunrise Family Medicine")
	if err != nil {
		return err
	}
	ages[t1] = 6
	if err := read(t1, rep); err != nil {
		return err
	}
	if _, err := reply(t1, rep, "Hello Jane, the claim is pending an itemized bill. Please upload it through Claims or attach it here and we will finish processing within 10 business days.\n\nTom Baker, Provider Services"); err != nil {
		return err
	}

	// 2. Sunrise writes Medical Management with an attachment; waiting in the queue for the nurse.
	t2, err := start(models.NewThread{AccountID: jane.AccountID, Department: models.DeptMedicalManagement, PlanType: models.PlanCommercial,
		MemberID: "A100000001"}, jane,
		"Clinical notes for the pending authorization",
		"Attached are the clinical notes supporting the authorization request submitted this week. Please let us know if the reviewer needs anything else.",
		models.AttachmentUpload{Name: "clinical-notes.txt", MIME: "text/plain", Data: []byte("Clinical notes (demo)\nVisit date: see request\nPlan of care: physical therapy, 6 visits\n")})
	if err != nil {
		return err
	}
	ages[t2] = 1

	// 3. Sunrise to a named associate, resolved and archived by Jane.
	t3, err := start(models.NewThread{AccountID: jane.AccountID, Department: rep.Department, PlanType: models.PlanCommercial, AssigneeID: rep.ID}, jane,
		"Updated W-9 for TIN 95-7654321", "We moved offices; our updated W-9 is on file with your contracting team. Please update the payment address.")
	if err != nil {
		return err
	}
	ages[t3] = 20
	if _, err := reply(t3, rep, "Thank you, the payment address is updated."); err != nil {
		return err
	}
	if err := read(t3, jane); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE message_threads SET status = 'resolved', resolved_by = ?, resolved_at = last_message_at WHERE id = ?", rep.ID, t3); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE message_thread_users SET archived = 1 WHERE thread_id = ? AND user_id = ?", t3, jane.ID); err != nil {
		return err
	}

	// 4. Valley writes Provider Services (Medicare); the associate has not read it yet.
	t4, err := start(models.NewThread{AccountID: priya.AccountID, Department: models.DeptProviderServices, PlanType: models.PlanMedicare,
		MemberID: "D300000001"}, priya,
		"Care coordination documents for D-SNP member",
		"Please confirm you received the care coordination documents for our D-SNP member and tell us who the assigned case manager is.")
	if err != nil {
		return err
	}
	ages[t4] = 2

	// 5. A long exchange: 12 messages fill the thread; the 13th continues it in a new one.
	t5, err := start(models.NewThread{AccountID: jane.AccountID, Department: models.DeptProviderServices, PlanType: models.PlanMediCal, AssigneeID: rep.ID}, jane,
		"Credentialing for our new physician assistant", "We are adding a physician assistant to TIN 95-1234567. What do you need from us?")
	if err != nil {
		return err
	}
	ages[t5] = 12
	// A credentialing exchange as it really goes: one document after another.
	credentialing := []string{
		"Welcome aboard. To add a physician assistant we need the completed practitioner application, a copy of the California PA license, the DEA certificate and the supervising physician's name and NPI.\n\nTom Baker, Provider Services",
		"Thank you. The application and the PA license are attached to our file now. The supervising physician is Dr. Alan Reyes, NPI 1902345678. The DEA certificate is still being renewed.",
		"We received the application and license. We can start primary source verification now; the DEA certificate is needed before the credentialing committee meets.",
		"Understood. The renewed DEA certificate should arrive within two weeks. Does the PA need hospital privileges for the application?",
		"Hospital privileges are not required for office-based practice. We do need proof of professional liability insurance showing at least $1,000,000 per claim.",
		"Our insurance certificate lists the whole practice. Is a group certificate acceptable, or must the PA be named?",
		"A group certificate is acceptable if it names the PA as a covered provider. Please ask your broker for an updated certificate.",
		"The broker sent the updated certificate this morning; it names the PA. The DEA renewal also came through, so both are ready.",
		"Both documents are complete. The file goes to the credentialing committee at its next meeting on the second Tuesday of the month.",
		"Thank you. Can the PA see our Medi-Cal patients before the committee meets, if the supervising physician signs the notes?",
		"No. Claims for the PA's services are paid from the effective date the committee sets. Until then, please schedule the PA's patients with a credentialed provider.",
		"Understood, we will wait. Please send the effective date as soon as the committee decides.",
	}
	for i, text := range credentialing {
		u := rep
		if i%2 == 1 {
			u = jane
		}
		if t5, err = reply(t5, u, text); err != nil {
			return err
		}
	}
	ages[t5] = 5
	if err := read(t5, rep); err != nil {
		return err
	}

	// 6. A registered envelope from the associate to an outside partner (link in the outbox).
	t6, err := start(models.NewThread{Kind: models.ThreadEnvelope, Department: rep.Department, AssigneeID: rep.ID,
		PartnerEmail: "records@lawfirm.example"}, rep,
		"Records request 2026-114",
		"As discussed by phone, here is the status of your records request. Please reply in this secure thread; ordinary e-mail is not protected.")
	if err != nil {
		return err
	}
	ages[t6] = 3

	// 7. Sunrise writes the case manager by name; she answered and Jane has read it.
	t7, err := start(models.NewThread{AccountID: jane.AccountID, Department: nurse.Department, PlanType: models.PlanMediCal,
		AssigneeID: nurse.ID, MemberID: "M200000001"}, jane,
		"Care plan follow-up for member M200000001",
		"Grace, the family asked about the next care plan review. Could you tell us when it is scheduled and whether you need anything from our office?")
	if err != nil {
		return err
	}
	if err := read(t7, nurse); err != nil {
		return err
	}
	if _, err := reply(t7, nurse, "The review is scheduled for next month. Please send the latest visit notes through this thread before then.\n\nGrace Kim, RN, Case Management"); err != nil {
		return err
	}
	if err := read(t7, jane); err != nil {
		return err
	}
	ages[t7] = 4
	return spreadMessageTimes(ctx, tx, f, ages)
}

// spreadMessageTimes dates the demo threads over the days before the anchor (a few
// hours between messages), so the message center looks lived in.
func spreadMessageTimes(ctx context.Context, tx *sql.Tx, f *Fill, ages map[int64]int) error {
	for tid, days := range ages {
		base := f.Opts.Anchor.AddDate(0, 0, -days).Format(models.DateFormat) + "T08:30:00Z"
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?, '+' || (seq * 47) || ' minutes') WHERE thread_id = ?`, base, tid); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE message_threads SET created_at = (SELECT MIN(created_at) FROM messages WHERE thread_id = ?1),
			last_message_at = (SELECT MAX(created_at) FROM messages WHERE thread_id = ?1) WHERE id = ?1`, tid); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE message_reads SET read_at = strftime('%Y-%m-%dT%H:%M:%SZ', (SELECT created_at FROM messages m WHERE m.id = message_id), '+20 minutes')
			WHERE message_id IN (SELECT id FROM messages WHERE thread_id = ?)`, tid); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE message_threads SET resolved_at = last_message_at WHERE resolved_at IS NOT NULL`)
	return err
}

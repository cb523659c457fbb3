package demo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"portico/models"
)

func init() { register(50, "authorizations", fillAuthorizations) }

// demoRequirements is the demo plan's list of procedures that need prior authorization.
var demoRequirements = []struct {
	code, service, note string
	plans               string // c = commercial, m = medicare, d = medi-cal
}{
	{"70450", "imaging", "", "cmd"}, {"70460", "imaging", "", "cmd"}, {"70470", "imaging", "", "cmd"},
	{"70551", "imaging", "", "cmd"}, {"70553", "imaging", "", "cmd"}, {"71250", "imaging", "", "cm"},
	{"72141", "imaging", "", "cmd"}, {"72148", "imaging", "Use the lumbar spine MRI Smart Sheet.", "cmd"},
	{"72149", "imaging", "", "cmd"}, {"72158", "imaging", "", "cmd"}, {"73221", "imaging", "", "cmd"},
	{"73721", "imaging", "", "cmd"}, {"74177", "imaging", "", "cm"}, {"78452", "imaging", "", "cmd"},
	{"29880", "outpatient_surgery", "", "cmd"}, {"29881", "outpatient_surgery", "Use the knee arthroscopy Smart Sheet.", "cmd"},
	{"29882", "outpatient_surgery", "", "cmd"}, {"29888", "outpatient_surgery", "", "cmd"}, {"29827", "outpatient_surgery", "", "cmd"},
	{"63030", "outpatient_surgery", "", "cmd"}, {"22612", "inpatient", "", "cmd"}, {"27447", "inpatient", "", "cmd"}, {"27130", "inpatient", "", "cmd"},
	{"43644", "bariatric", "Use the bariatric surgery Smart Sheet.", "cmd"}, {"43775", "bariatric", "", "cmd"}, {"43770", "bariatric", "", "cd"},
	{"95810", "sleep", "", "cmd"}, {"95811", "sleep", "", "cmd"}, {"E0601", "sleep", "Use the CPAP Smart Sheet.", "cmd"},
	{"E0470", "dme", "", "cmd"}, {"E0471", "dme", "", "cmd"}, {"K0823", "dme", "Use the power wheelchair Smart Sheet.", "cmd"},
	{"K0822", "dme", "", "cmd"}, {"K0856", "dme", "", "cmd"}, {"K0861", "dme", "", "cmd"}, {"E1390", "dme", "", "cmd"},
	{"E0260", "dme", "", "md"}, {"E0935", "dme", "", "cmd"}, {"L5856", "dme", "", "cmd"},
	{"G0151", "home_health", "Use the home health Smart Sheet.", "cmd"}, {"G0152", "home_health", "", "cmd"}, {"G0299", "home_health", "", "cmd"},
	{"G0156", "home_health", "", "md"}, {"97110", "therapy", "After the first 12 visits in a calendar year.", "cd"},
	{"97140", "therapy", "After the first 12 visits in a calendar year.", "cd"}, {"97530", "therapy", "", "cd"},
	{"90837", "behavioral_health", "After the first 20 visits in a calendar year.", "d"}, {"97153", "behavioral_health", "", "cmd"},
	{"J0585", "other", "", "cmd"}, {"J2350", "other", "", "cmd"}, {"J9271", "other", "", "cmd"}, {"J1745", "other", "", "cmd"},
	{"99214", "other", "Office visits need no authorization.", ""},
}

// fillAuthorizations writes the requirements list, 18 months of decided requests (one
// request for every third member with a PCP or PPG TIN: about 0.33 per member), open
// ones in the reviewer queue (some overdue), and the named requests of the demo script.
// The history is generated in SQL (INSERT … SELECT) so the 1,000,000-member fill stays fast.
func fillAuthorizations(ctx context.Context, tx *sql.Tx, f *Fill) error {
	now := f.Opts.Anchor.UTC().Format(models.TimeFormat)
	planOf := map[byte]string{'c': models.PlanCommercial, 'm': models.PlanMedicare, 'd': models.PlanMediCal}
	for _, r := range demoRequirements {
		for _, p := range []byte("cmd") {
			required := false
			for i := 0; i < len(r.plans); i++ {
				required = required || r.plans[i] == p
			}
			if !required && r.plans != "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO authz_requirements(code, plan_type, required, service_type, note, updated_at) VALUES (?,?,?,?,?,?)`,
				r.code, planOf[p], required, r.service, r.note, now); err != nil {
				return err
			}
		}
	}
	nurse := f.UserIDs["nurse@"+f.Opts.PlanDomain]
	restore, err := dropIndexes(ctx, tx, "authz_requests", "authz_events")
	if err != nil {
		return err
	}
	// The anchor in whole minutes since the Unix epoch: every time below is a whole
	// number of minutes from it, written out by minute_text (db/sqlfuncs.go).
	anchor := f.Opts.Anchor.UTC().Truncate(time.Minute).Unix() / 60
	// h is a deterministic hash of the member row; every property is a slice of it.
	// age: minutes before the anchor (18 months); dm: minutes to decide; w: the window.
	_, err = tx.ExecContext(ctx, `INSERT INTO authz_requests(id, tracking_no, account_id, member_pk, plan_type, status, steps_done, urgency, service_type,
		requesting_tin_id, requesting_npi, requesting_name, servicing_npi, servicing_name, created_by, created_at, updated_at, submitted_at, due_at, paused_at,
		extended, assignee_id, decided_at, decided_by, reason_id, decision_minutes, decided_year, decided_quarter, appeal_status)
	WITH src AS (
		SELECT m.id AS id, m.plan_type AS plan_type, t.account_id AS account_id, t.id AS tin_id, m.pcp_npi AS npi, m.pcp_name AS pname,
			((m.id * 2654435761) % 4294967296) AS h
		FROM members m JOIN tins t ON t.id = COALESCE(m.pcp_tin_id, m.ppg_tin_id)
		WHERE m.id % 3 = 0 AND t.status = 'verified' AND m.member_id NOT IN ('A100000001','M200000001','M200000002','D300000001')
	), a AS (
		SELECT *, (h % 777600) AS age, ((h / 7) % 100 < 15) AS urgent, ((h / 13) % 10) AS svc, ((h / 101) % 100) AS outcome,
			((h / 10007) % 100 < 4) AS ext, ((h / 17) % 100 < 40) AS late, ((h / 19) % 10) AS mi
		FROM src
	), b AS MATERIALIZED (
		SELECT *, CASE WHEN urgent THEN 30 + (h / 1009) % 4200 ELSE 240 + (h / 1009) % 9600 END + CASE WHEN ext THEN 14 * 1440 ELSE 0 END AS dm,
			CASE WHEN urgent THEN 4320 ELSE 10080 END + CASE WHEN ext THEN 14 * 1440 ELSE 0 END AS w
		FROM a
	), c AS (
		SELECT *, (age < dm OR (late AND age < w + 2880)) AS open,
			minute_text(?1 - age) AS created,
			minute_text(?1 + (w - age)) AS due,
			minute_text(?1 + (dm - age)) AS decided
		FROM b
	), d AS MATERIALIZED (
		SELECT *, CASE
			WHEN open AND mi = 0 THEN 'more_info'
			WHEN open AND (h / 3) % 2 = 1 THEN 'in_review'
			WHEN open THEN 'submitted'
			WHEN outcome < 76 THEN 'approved' WHEN outcome < 82 THEN 'partial' WHEN outcome < 95 THEN 'denied' ELSE 'withdrawn' END AS status
		FROM c
	)
	SELECT id, printf('PA%s%07d', substr(created, 3, 2), id), account_id, id, plan_type, status, 'member providers service codes attachments review',
		CASE WHEN urgent THEN 'urgent' ELSE 'standard' END,
		CASE svc WHEN 0 THEN 'imaging' WHEN 1 THEN 'imaging' WHEN 2 THEN 'outpatient_surgery' WHEN 3 THEN 'dme' WHEN 4 THEN 'therapy'
			WHEN 5 THEN 'home_health' WHEN 6 THEN 'behavioral_health' WHEN 7 THEN 'sleep' WHEN 8 THEN 'inpatient' ELSE 'bariatric' END,
		tin_id, npi, pname, npi, pname, NULL, created, created, created, due,
		CASE WHEN status = 'more_info' THEN minute_text(?1 - age / 2) END,
		ext, CASE WHEN status <> 'submitted' AND status <> 'withdrawn' THEN ?2 END,
		CASE WHEN status IN ('approved','partial','denied') THEN decided END,
		CASE WHEN status IN ('approved','partial','denied') THEN ?2 END,
		CASE status WHEN 'approved' THEN 1 WHEN 'partial' THEN 2 WHEN 'denied' THEN 4 + (h % 5) END,
		CASE WHEN status IN ('approved','partial','denied') THEN dm END,
		CASE WHEN status IN ('approved','partial','denied') THEN CAST(substr(decided, 1, 4) AS INTEGER) END,
		CASE WHEN status IN ('approved','partial','denied') THEN (CAST(substr(decided, 6, 2) AS INTEGER) + 2) / 3 END,
		CASE WHEN status = 'denied' AND (h / 23) % 100 < 25 THEN 'overturned' WHEN status = 'denied' AND (h / 23) % 100 < 40 THEN 'upheld' ELSE '' END
	FROM d`, anchor, nurse)
	if err != nil {
		return fmt.Errorf("authorization history: %w", err)
	}
	restoreSensitive, err := suspendAuthzSensitive(ctx, tx)
	if err != nil {
		return err
	}
	// One diagnosis and one procedure line per request, by service type.
	if _, err := tx.ExecContext(ctx, `INSERT INTO authz_diagnoses(request_id, seq, code)
		SELECT id, 1, CASE service_type WHEN 'imaging' THEN 'M54.16' WHEN 'outpatient_surgery' THEN 'S83.241A' WHEN 'dme' THEN 'G82.20'
			WHEN 'therapy' THEN 'M54.50' WHEN 'home_health' THEN 'I50.22' WHEN 'behavioral_health' THEN 'F84.0' WHEN 'sleep' THEN 'G47.33'
			WHEN 'inpatient' THEN 'M17.11' ELSE 'E66.01' END FROM authz_requests`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO authz_lines(request_id, line_no, code, units, from_date, to_date, approved_units)
		SELECT id, 1, code, units, substr(submitted_at, 1, 10), date(substr(submitted_at, 1, 10), '+60 days'),
			CASE status WHEN 'approved' THEN units WHEN 'partial' THEN units / 2 WHEN 'denied' THEN CASE appeal_status WHEN 'overturned' THEN units ELSE 0 END END
		FROM (SELECT id, submitted_at, status, appeal_status,
			CASE service_type WHEN 'imaging' THEN CASE (id / 3) % 3 WHEN 0 THEN '72148' WHEN 1 THEN '70450' ELSE '73721' END
				WHEN 'outpatient_surgery' THEN '29881' WHEN 'dme' THEN 'K0823' WHEN 'therapy' THEN '97110' WHEN 'home_health' THEN 'G0151'
				WHEN 'behavioral_health' THEN '97153' WHEN 'sleep' THEN 'E0601' WHEN 'inpatient' THEN '27447' ELSE '43775' END AS code,
			CASE service_type WHEN 'therapy' THEN 12 WHEN 'home_health' THEN 8 WHEN 'behavioral_health' THEN 40 ELSE 1 END AS units
			FROM authz_requests)`); err != nil {
		return err
	}
	// No history rows for the generated requests: a request without events shows the
	// history its own columns record (models.Authz.loadParts), like one imported from an
	// earlier system. This keeps the 1,000,000-member fill fast.
	if err := restoreSensitive(); err != nil {
		return err
	}
	if err := restore(); err != nil {
		return err
	}
	if err := withSecureDelete(ctx, tx, func() error { return fillNamedAuthorizations(ctx, tx, f) }); err != nil {
		return err
	}
	// The notes above were written in plain text with SQL; they are sealed before the fill
	// commits, as the models seal what users write.
	if f.Opts.Keyring != nil {
		if _, err := models.SealAuthzNotesTx(ctx, tx, f.Opts.Keyring); err != nil {
			return fmt.Errorf("authorization notes: %w", err)
		}
	}
	return fillAuthzLibraryEntry(ctx, tx, f)
}

// fillAuthzLibraryEntry publishes, in the provider library's prior authorization section,
// where the public list and metrics are (no sign-in needed for either).
func fillAuthzLibraryEntry(ctx context.Context, tx *sql.Tx, f *Fill) error {
	md := "The plan publishes, without sign-in, the items and services that need prior authorization for each plan type, " +
		"and its prior authorization metrics for each year, as the CMS interoperability and prior authorization rule (CMS-0057-F) requires.\n\n" +
		"- [Services that need prior authorization](/authorizations/requirements) (also as CSV)\n" +
		"- [Prior authorization metrics](/authorizations/metrics): approvals, denials, appeals, extensions and decision times\n\n" +
		"Signed-in offices can also ask \"Is an authorization required?\" for a code, and use the Smart Sheets, from Authorizations."
	html, text, err := models.RenderMarkdown(md)
	if err != nil {
		return err
	}
	at := f.Opts.Anchor.UTC().Format(models.TimeFormat)
	res, err := tx.ExecContext(ctx, `INSERT INTO library_entries(slug, section, title, summary, body_md, body_html, body_text, lob, provider_types, code,
		published_on, status, revision, created_at, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,'all','',?,?,'published',1,?,?,?)`,
		"services-that-need-prior-authorization", "prior_auth", "Services that need prior authorization, and the plan's metrics",
		"The public list of services that need prior authorization per plan type, and the yearly prior authorization metrics.",
		md, html, text, "", f.Today, at, at, "editor@"+f.Opts.PlanDomain)
	if err != nil {
		return fmt.Errorf("authorization library entry: %w", err)
	}
	id, _ := res.LastInsertId()
	return models.ReindexLibraryTx(ctx, tx, id)
}

// fillNamedAuthorizations writes the requests the demo script shows.
func fillNamedAuthorizations(ctx context.Context, tx *sql.Tx, f *Fill) error {
	at := func(d time.Duration) time.Time { return f.Opts.Anchor.UTC().Add(d).Truncate(time.Minute) }
	ts := func(t time.Time) string { return t.UTC().Format(models.TimeFormat) }
	nurse := f.UserIDs["nurse@"+f.Opts.PlanDomain]
	npi := func(tin string) (int64, string, string, error) {
		var id int64
		var n, name string
		err := tx.QueryRowContext(ctx, `SELECT t.id, n.npi, n.name FROM npis n JOIN tins t ON t.id = n.tin_id WHERE t.tin = ? ORDER BY n.id LIMIT 1`, tin).Scan(&id, &n, &name)
		return id, n, name, err
	}
	type named struct {
		member, account, tin, user string
		plan, status, urgency, svc string
		created, decided, paused   time.Duration
		due                        time.Duration // after created
		dx                         []string
		code                       string
		units                      int
		reason                     int64
		note                       string
		sheet, checked             string
	}
	// Notes are sealed with the key file; without one (as in some tests) the requests
	// carry none, so no plain text is left in the file.
	note := func(text string) string {
		if f.Opts.Keyring == nil {
			return ""
		}
		return text
	}
	day := 24 * time.Hour
	list := []named{
		{"A100000001", "sunrise", "951234567", "manager@sunrise.example", models.PlanCommercial, models.AuthzApproved, models.UrgencyStandard, "imaging",
			-20 * day, -18 * day, 0, 7 * day, []string{"M54.16", "M51.16"}, "72148", 1, 1, "", "lumbar-mri", "conservative radic surgery xray noprior"},
		{"A100000001", "sunrise", "951234567", "manager@sunrise.example", models.PlanCommercial, models.AuthzMoreInfo, models.UrgencyStandard, "outpatient_surgery",
			-2 * day, 0, -1 * day, 7 * day, []string{"S83.241A", "M25.561"}, "29881", 1, 10,
			"Please send the office visit notes of the last 60 days and the knee MRI report.", "knee-arthroscopy", "mechanical function"},
		{"D300000001", "valley", "945550001", "manager@valley.example", models.PlanMedicare, models.AuthzSubmitted, models.UrgencyStandard, "sleep",
			-1 * day, 0, 0, 7 * day, []string{"G47.33", "I10"}, "E0601", 1, 0, "", "cpap", "study symptoms visit"},
		{"M200000002", "sunrise", "957654321", "manager@sunrise.example", models.PlanMediCal, models.AuthzSubmitted, models.UrgencyUrgent, "imaging",
			-4 * day, 0, 0, 72 * time.Hour, []string{"R51.9", "R29.898"}, "70450", 1, 0, "", "ct-head", "thunderclap focal"},
		{"A100000001", "sunrise", "951234567", "manager@sunrise.example", models.PlanCommercial, models.AuthzDraft, "", "therapy",
			-3 * time.Hour, 0, 0, 0, nil, "", 0, 0, "", "", ""},
	}
	for _, n := range list {
		tinID, reqNPI, reqName, err := npi(n.tin)
		if err != nil {
			return fmt.Errorf("named authorization npi %s: %w", n.tin, err)
		}
		created := at(n.created)
		var submitted, due, decided, paused, decidedBy, assignee, reason, year, quarter, mins any
		steps := "member providers service codes attachments review"
		if n.status == models.AuthzDraft {
			steps = "member providers service"
		} else {
			submitted, due = ts(created), ts(created.Add(n.due))
		}
		if n.status == models.AuthzApproved {
			d := at(n.decided)
			decided, decidedBy, assignee, reason = ts(d), nurse, nurse, n.reason
			l := d.In(time.UTC)
			year, quarter, mins = l.Year(), (int(l.Month())-1)/3+1, int(d.Sub(created)/time.Minute)
		}
		if n.status == models.AuthzMoreInfo {
			paused, assignee = ts(at(n.paused)), nurse
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO authz_requests(account_id, member_pk, plan_type, status, steps_done, urgency, service_type,
			requesting_tin_id, requesting_npi, requesting_name, servicing_npi, servicing_name, clinical_note, created_by, created_at, updated_at, submitted_at,
			due_at, paused_at, assignee_id, decided_at, decided_by, reason_id, decision_minutes, decided_year, decided_quarter)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			f.AccountIDs[n.account], f.MemberPKs[n.member], n.plan, n.status, steps, n.urgency, n.svc, tinID, reqNPI, reqName, reqNPI, reqName,
			note("Symptoms and findings as in the attached notes."), f.UserIDs[n.user], ts(created), ts(created), submitted, due, paused, assignee,
			decided, decidedBy, reason, mins, year, quarter)
		if err != nil {
			return fmt.Errorf("named authorization: %w", err)
		}
		id, _ := res.LastInsertId()
		if n.status != models.AuthzDraft {
			if _, err := tx.ExecContext(ctx, `UPDATE authz_requests SET tracking_no = ? WHERE id = ?`, models.TrackingNumber(created.Year(), id), id); err != nil {
				return err
			}
		}
		for i, d := range n.dx {
			if _, err := tx.ExecContext(ctx, `INSERT INTO authz_diagnoses(request_id, seq, code) VALUES (?,?,?)`, id, i+1, d); err != nil {
				return err
			}
		}
		if n.code != "" {
			var approved any
			if n.status == models.AuthzApproved {
				approved = n.units
			}
			from := created.Add(7 * day).Format(models.DateFormat)
			if _, err := tx.ExecContext(ctx, `INSERT INTO authz_lines(request_id, line_no, code, units, from_date, to_date, approved_units) VALUES (?,?,?,?,?,?,?)`,
				id, 1, n.code, n.units, from, created.Add(67*day).Format(models.DateFormat), approved); err != nil {
				return err
			}
		}
		if n.sheet != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO authz_sheets(request_id, sheet, checked, note, updated_by, updated_at) VALUES (?,?,?,?,?,?)`,
				id, n.sheet, n.checked, "", f.UserIDs[n.user], ts(created)); err != nil {
				return err
			}
		}
		ev := func(t time.Time, uid any, actor, kind, status string, reason any, note string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO authz_events(request_id, at, user_id, actor, kind, status, reason_id, note) VALUES (?,?,?,?,?,?,?,?)`,
				id, ts(t), uid, actor, kind, status, reason, note)
			return err
		}
		var userName string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = ?`, f.UserIDs[n.user]).Scan(&userName); err != nil {
			return err
		}
		if err := ev(created, f.UserIDs[n.user], userName, "created", models.AuthzDraft, nil, ""); err != nil {
			return err
		}
		if n.status == models.AuthzDraft {
			continue
		}
		if err := ev(created, f.UserIDs[n.user], userName, "submitted", models.AuthzSubmitted, nil, ""); err != nil {
			return err
		}
		switch n.status {
		case models.AuthzApproved:
			if err := ev(at(n.decided), nurse, "Grace Kim, RN", "approved", models.AuthzApproved, n.reason, ""); err != nil {
				return err
			}
		case models.AuthzMoreInfo:
			if err := ev(at(n.paused), nurse, "Grace Kim, RN", "more_info", models.AuthzMoreInfo, n.reason, note(n.note)); err != nil {
				return err
			}
		}
	}
	return nil
}

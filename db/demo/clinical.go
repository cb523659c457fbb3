package demo

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"portico/models"
)

func init() { register(60, "clinical", fillClinical) }

// hraAnswerSets are complete health risk assessments of three risk levels, used for
// the named members and, by member ID, for generated ones.
var hraAnswerSets = []map[string]string{
	{ // low
		"general_health": "very_good", "er_visits": "0", "hospital_stays": "0", "pain": "none",
		"diabetes": "no", "heart": "no", "lung": "no", "kidney": "no", "cancer": "no", "hypertension": "no",
		"med_count": "0_4", "med_trouble": "no", "adl_help": "no", "iadl_help": "no", "mobility_aid": "no",
		"falls": "0", "fall_injury": "no", "fear_falling": "no", "phq_interest": "0", "phq_down": "0", "substance": "no",
		"food": "never", "housing": "steady", "transport": "no", "support": "yes",
	},
	{ // moderate: diabetes, fair health, 5–9 medicines, one ER visit, food worry
		"general_health": "fair", "er_visits": "1", "hospital_stays": "0", "pain": "some",
		"diabetes": "yes", "heart": "no", "lung": "no", "kidney": "no", "cancer": "no", "hypertension": "yes",
		"med_count": "5_9", "med_trouble": "no", "adl_help": "no", "iadl_help": "no", "mobility_aid": "no",
		"falls": "0", "fall_injury": "no", "fear_falling": "no", "phq_interest": "1", "phq_down": "0", "substance": "no",
		"food": "sometimes", "housing": "steady", "transport": "no", "support": "yes",
	},
	{ // high: heart failure, two hospital stays, falls, positive PHQ-2
		"general_health": "poor", "er_visits": "2", "hospital_stays": "2", "pain": "a_lot",
		"diabetes": "yes", "heart": "yes", "lung": "no", "kidney": "yes", "cancer": "no", "hypertension": "yes",
		"med_count": "10", "med_trouble": "yes", "adl_help": "yes", "iadl_help": "yes", "mobility_aid": "yes",
		"falls": "2", "fall_injury": "yes", "fear_falling": "yes", "phq_interest": "2", "phq_down": "2", "substance": "no",
		"food": "never", "housing": "steady", "transport": "yes", "support": "no",
	},
}

// fillClinical writes the clinical record: assessments, care plans, health records,
// care management referrals (every status) and care coordination documents. The named
// members carry the stories of the demo; generated members get rows only when their
// row ID falls on a stride, with INSERT … SELECT, so the million-member fill stays fast.
func fillClinical(ctx context.Context, tx *sql.Tx, f *Fill) error {
	c := &clinicalFill{ctx: ctx, tx: tx, f: f, anchor: f.Opts.Anchor}
	steps := []struct {
		name string
		fn   func() error
	}{{"named", c.named}, {"assessments", c.generatedAssessments}, {"records", c.generatedRecords}, {"plans", c.generatedPlans},
		{"referrals", c.generatedReferrals}, {"notes", c.sealNotes}, {"documents", c.generatedDocuments}}
	// The steps that write notes in plain text (referral notes, care plan text, visit
	// reasons and notes, medication directions, assessment answers), sealed at "notes".
	writesNotes := map[string]bool{"named": true, "assessments": true, "records": true, "plans": true, "referrals": true}
	for _, s := range steps {
		t := startTimer()
		run := s.fn
		if writesNotes[s.name] {
			run = func() error { return withSecureDelete(ctx, tx, s.fn) }
		}
		if err := run(); err != nil {
			return err
		}
		f.Timings = append(f.Timings, t.stop("clinical "+s.name))
	}
	return nil
}

type clinicalFill struct {
	ctx    context.Context
	tx     *sql.Tx
	f      *Fill
	anchor time.Time
}

func (c *clinicalFill) exec(q string, args ...any) (int64, error) {
	res, err := c.tx.ExecContext(c.ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("%.60s: %w", strings.TrimSpace(q), err)
	}
	id, _ := res.LastInsertId()
	return id, nil
}

// at is an instant days before the anchor, at hour:00 UTC.
func (c *clinicalFill) at(days, hour int) string {
	d := c.anchor.AddDate(0, 0, -days)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, time.UTC).Format(models.TimeFormat)
}

// day is the date days before (negative: after) the anchor.
func (c *clinicalFill) day(days int) string {
	return c.anchor.AddDate(0, 0, -days).Format(models.DateFormat)
}

func (c *clinicalFill) assessment(memberPK int64, set int, days int, userEmail, who string, account any) error {
	b, _ := json.Marshal(hraAnswerSets[set])
	r := models.ScoreHRA(hraAnswerSets[set])
	at := c.at(days, 17)
	_, err := c.exec(`INSERT INTO assessments(member_pk, status, answers, section, score, risk, user_id, account_id, completed_by, started_at, updated_at, submitted_at)
		VALUES (?, 'submitted', ?, 8, ?, ?, ?, ?, ?, ?, ?, ?)`, memberPK, string(b), r.Score, r.Risk, c.f.UserIDs[userEmail], account, who, at, at, at)
	return err
}

type planItem struct{ kind, text, target, owner, status string }

func (c *clinicalFill) carePlan(memberPK int64, kind, title, narrative string, created int, items []planItem, history []string) error {
	nurse := c.f.UserIDs["nurse@"+c.f.Opts.PlanDomain]
	id, err := c.exec(`INSERT INTO care_plans(member_pk, kind, title, narrative, status, author_id, author_name, created_at, updated_at)
		VALUES (?,?,?,?, 'active', ?, 'Grace Kim, RN', ?, ?)`, memberPK, kind, title, narrative, nurse, c.at(created, 18), c.at(created/3, 18))
	if err != nil {
		return err
	}
	for _, it := range items {
		if _, err := c.exec(`INSERT INTO care_plan_items(plan_id, kind, text, target_date, owner, status, updated_at) VALUES (?,?,?,?,?,?,?)`,
			id, it.kind, it.text, it.target, it.owner, it.status, c.at(created/3, 18)); err != nil {
			return err
		}
	}
	for i, h := range history {
		if _, err := c.exec(`INSERT INTO care_plan_history(plan_id, at, user_id, actor, what) VALUES (?,?,?, 'Grace Kim, RN', ?)`,
			id, c.at(created-i*(created/(len(history)+1)), 18), nurse, h); err != nil {
			return err
		}
	}
	return nil
}

// named writes the stories of the four named members.
func (c *clinicalFill) named() error {
	f := c.f
	maria, james, linda, robert := f.MemberPKs["A100000001"], f.MemberPKs["M200000001"], f.MemberPKs["M200000002"], f.MemberPKs["D300000001"]
	sunrise, valley := f.AccountIDs["sunrise"], f.AccountIDs["valley"]
	jane, priya := "manager@sunrise.example", "manager@valley.example"
	nurseEmail := "nurse@" + f.Opts.PlanDomain
	// Assessments: Maria's is recent (moderate risk); Robert's last one is 13 months old
	// (high risk), so he is due again; Linda and James have none (Medi-Cal: due).
	if err := c.assessment(maria, 1, 62, jane, "Jane Doe, Sunrise Family Medicine", sunrise); err != nil {
		return err
	}
	if err := c.assessment(robert, 2, 400, priya, "Priya Shah, Valley Medical Group", valley); err != nil {
		return err
	}

	// Care plans of the three kinds.
	if err := c.carePlan(maria, "self_management", "My Diabetes Self-Management Plan",
		"This plan is about keeping your blood sugar in a healthy range so you feel well and avoid problems with your eyes, feet and kidneys. We will go over it at each visit.",
		55, []planItem{
			{"problem", "My blood sugar has been higher than it should be", "", "", "active"},
			{"problem", "I sometimes skip my evening metformin", "", "", "active"},
			{"goal", "Bring my A1c below 7%", c.day(-120), "", "in_progress"},
			{"goal", "Walk 30 minutes, 5 days a week", c.day(-30), "", "in_progress"},
			{"goal", "Check my feet every day", c.day(20), "", "met"},
			{"intervention", "Take metformin with dinner; set a phone reminder", "", "Maria (member)", "in_progress"},
			{"intervention", "Diabetes education class at the clinic", "", "Sunrise Family Medicine", "planned"},
			{"intervention", "Call Maria every month to check in", "", "Grace Kim, RN (case manager)", "in_progress"},
		}, []string{"Created the plan", "Added 3 goals and 3 steps", `Goal "Check my feet every day": In progress → Met`}); err != nil {
		return err
	}
	if err := c.carePlan(robert, "medical", "Heart failure and diabetes care plan",
		"HFrEF (EF 35%), T2DM with CKD stage 3a. Two admissions for CHF exacerbation in the last year. Goals: prevent readmission, optimize GDMT, glycemic control without hypoglycemia.",
		120, []planItem{
			{"problem", "Chronic systolic heart failure (I50.22), NYHA class III", "", "", "active"},
			{"problem", "Type 2 diabetes mellitus with diabetic CKD (E11.22)", "", "", "active"},
			{"problem", "Fall risk: two falls in 12 months", "", "", "active"},
			{"goal", "No CHF readmission within 90 days of discharge", c.day(-60), "", "in_progress"},
			{"goal", "Daily weights logged with < 2 lb/day gain", c.day(-30), "", "in_progress"},
			{"goal", "HbA1c 7.0–8.0% without hypoglycemia", c.day(-150), "", "not_started"},
			{"intervention", "Cardiology follow-up within 7 days of discharge", "", "Valley Medical Group", "done"},
			{"intervention", "Home health nursing for medication reconciliation", "", "HomeWell Home Health", "in_progress"},
			{"intervention", "Home safety evaluation and grab bars (PT/OT)", "", "Grace Kim, RN (case manager)", "planned"},
		}, []string{"Created the plan", "Added problems, goals and interventions after the ICT meeting", `Intervention "Cardiology follow-up within 7 days of discharge": In progress → Done`}); err != nil {
		return err
	}
	if err := c.carePlan(robert, "free_text", "Care coordination notes",
		"Lives alone; daughter visits on weekends and manages the pill organizer. Prefers morning calls. Medi-Cal share of cost handled by county. Transportation through the plan's ride benefit for all appointments. Discussed advance directive; member wants to complete it with his daughter.",
		90, nil, []string{"Created the plan", "Rewrote the plan text"}); err != nil {
		return err
	}

	// Health records.
	type visit struct {
		pk                                               int64
		days                                             int
		setting, provider, reason, dx, note, sensitivity string
	}
	visits := []visit{
		{maria, 62, "office", "Sunrise Family Medicine", "Diabetes follow-up", "E11.65", "A1c 7.9%, up from 7.2%. Reports missing evening metformin doses. Discussed reminders and diet; referred to diabetes education. Recheck A1c in 3 months.", ""},
		{maria, 180, "office", "Sunrise Family Medicine", "Annual physical", "Z00.00 E11.9", "Well adult exam. BP 128/80. Foot exam normal. Flu vaccine given.", ""},
		{maria, 300, "urgent_care", "Harbor Urgent Care", "Sore throat", "J02.9", "Rapid strep negative. Supportive care.", ""},
		{james, 45, "behavioral_health", "Sunrise Family Medicine — behavioral health", "Counseling session", "F32.9", "Follow-up psychotherapy, 45 minutes. Mood improving; sleep better. Continue weekly sessions; safety plan reviewed.", "mental_health"},
		{james, 200, "office", "Sunrise Family Medicine", "Well-child visit", "Z00.129", "Growth and development normal for age. Immunizations up to date.", ""},
		{linda, 90, "office", "Sunrise Family Medicine", "Hypertension follow-up", "I10", "BP 142/90. Adherent to lisinopril. Increase to 20 mg; recheck in 4 weeks.", ""},
		{robert, 30, "inpatient", "Community Regional Hospital", "CHF exacerbation", "I50.23", "3-day admission for volume overload; diuresed 4 kg. Discharged on furosemide 40 mg twice daily, home health ordered.", ""},
		{robert, 24, "office", "Valley Medical Group — cardiology", "Post-discharge follow-up", "I50.22", "Weight stable since discharge. Lungs clear. Continue current regimen; daily weights.", ""},
		{robert, 160, "emergency", "Community Regional Hospital", "Fall at home", "W19.XXXA S50.01XA", "Mechanical fall, left elbow contusion. No fracture on X-ray.", ""},
	}
	for _, v := range visits {
		if _, err := c.exec(`INSERT INTO health_visits(member_pk, visit_date, setting, provider, reason, diagnosis, note, source, sensitive_category)
			VALUES (?,?,?,?,?,?,?, 'record', ?)`, v.pk, c.day(v.days), v.setting, v.provider, v.reason, v.dx, v.note, v.sensitivity); err != nil {
			return err
		}
	}
	// Claims-derived encounters of the named members.
	if _, err := c.exec(`INSERT INTO health_visits(member_pk, visit_date, setting, provider, reason, diagnosis, note, source, claim_no, sensitive_category)
		SELECT c.member_pk, c.service_from, CASE WHEN c.sensitive_category IN ('mental_health','substance_use') THEN 'behavioral_health' ELSE 'office' END,
			t.name, COALESCE((SELECT description FROM claim_lines l WHERE l.claim_id = c.id AND l.line_no = 1), 'Visit'), c.diagnosis, '', 'claim', c.claim_no, c.sensitive_category
		FROM claims c JOIN tins t ON t.id = c.tin_id WHERE c.member_pk IN (?,?,?,?)`, maria, james, linda, robert); err != nil {
		return err
	}
	meds := []struct {
		pk                                 int64
		drug, dose, directions, prescriber string
		started                            int
		ended                              int
	}{
		{maria, "metformin", "1000 mg tablet", "1 tablet twice daily with meals", "Dr. Ana Ruiz", 700, -1},
		{maria, "atorvastatin", "20 mg tablet", "1 tablet at bedtime", "Dr. Ana Ruiz", 400, -1},
		{maria, "lisinopril", "10 mg tablet", "1 tablet daily", "Dr. Ana Ruiz", 400, -1},
		{maria, "amoxicillin", "500 mg capsule", "1 capsule three times daily for 10 days", "Harbor Urgent Care", 300, 290},
		{linda, "lisinopril", "20 mg tablet", "1 tablet daily", "Dr. Ana Ruiz", 90, -1},
		{robert, "furosemide", "40 mg tablet", "1 tablet twice daily", "Valley Medical Group", 30, -1},
		{robert, "carvedilol", "12.5 mg tablet", "1 tablet twice daily with food", "Valley Medical Group", 500, -1},
		{robert, "sacubitril/valsartan", "49/51 mg tablet", "1 tablet twice daily", "Valley Medical Group", 200, -1},
		{robert, "insulin glargine", "100 units/mL pen", "18 units at bedtime", "Valley Medical Group", 800, -1},
	}
	for _, m := range meds {
		ended := ""
		if m.ended >= 0 {
			ended = c.day(m.ended)
		}
		if _, err := c.exec(`INSERT INTO health_medications(member_pk, drug, dose, directions, prescriber, started_on, ended_on) VALUES (?,?,?,?,?,?,?)`,
			m.pk, m.drug, m.dose, m.directions, m.prescriber, c.day(m.started), ended); err != nil {
			return err
		}
	}
	labs := []struct {
		pk                                    int64
		days                                  int
		test, value, unit, rng, flag, ordered string
	}{
		{maria, 62, "Hemoglobin A1c", "7.9", "%", "4.0–5.6", "high", "Dr. Ana Ruiz"},
		{maria, 62, "Glucose, fasting", "168", "mg/dL", "70–99", "high", "Dr. Ana Ruiz"},
		{maria, 62, "Creatinine", "0.8", "mg/dL", "0.6–1.1", "", "Dr. Ana Ruiz"},
		{maria, 62, "LDL cholesterol", "96", "mg/dL", "< 100", "", "Dr. Ana Ruiz"},
		{maria, 62, "Urine albumin/creatinine ratio", "22", "mg/g", "< 30", "", "Dr. Ana Ruiz"},
		{maria, 250, "Hemoglobin A1c", "7.2", "%", "4.0–5.6", "high", "Dr. Ana Ruiz"},
		{maria, 250, "Potassium", "4.2", "mmol/L", "3.5–5.1", "", "Dr. Ana Ruiz"},
		{linda, 90, "Potassium", "3.3", "mmol/L", "3.5–5.1", "low", "Dr. Ana Ruiz"},
		{robert, 30, "BNP", "1,240", "pg/mL", "< 100", "high", "Community Regional Hospital"},
		{robert, 30, "Sodium", "134", "mmol/L", "136–145", "low", "Community Regional Hospital"},
		{robert, 30, "eGFR", "52", "mL/min/1.73m²", "> 60", "low", "Community Regional Hospital"},
		{robert, 120, "Hemoglobin A1c", "8.4", "%", "4.0–5.6", "high", "Valley Medical Group"},
	}
	for _, l := range labs {
		if _, err := c.exec(`INSERT INTO health_labs(member_pk, collected_on, test, value, unit, ref_range, flag, ordered_by) VALUES (?,?,?,?,?,?,?,?)`,
			l.pk, c.day(l.days), l.test, l.value, l.unit, l.rng, l.flag, l.ordered); err != nil {
			return err
		}
	}
	imms := []struct {
		pk                  int64
		vaccine, dose, prov string
		days                int
	}{
		{maria, "Influenza, seasonal (quadrivalent)", "0.5 mL IM", "Sunrise Family Medicine", 180},
		{maria, "Tdap", "0.5 mL IM", "Sunrise Family Medicine", 900},
		{maria, "COVID-19, 2025–2026 formula", "0.3 mL IM", "Sunrise Family Medicine", 60},
		{james, "HPV (dose 2 of 2)", "0.5 mL IM", "Sunrise Family Medicine", 200},
		{james, "Meningococcal conjugate (MenACWY)", "0.5 mL IM", "Sunrise Family Medicine", 600},
		{robert, "Pneumococcal conjugate (PCV20)", "0.5 mL IM", "Valley Medical Group", 700},
		{robert, "Influenza, high dose", "0.7 mL IM", "Valley Medical Group", 70},
		{robert, "Zoster, recombinant (dose 2 of 2)", "0.5 mL IM", "Valley Medical Group", 1000},
	}
	for _, i := range imms {
		if _, err := c.exec(`INSERT INTO health_immunizations(member_pk, vaccine, given_on, dose, provider) VALUES (?,?,?,?,?)`,
			i.pk, i.vaccine, c.day(i.days), i.dose, i.prov); err != nil {
			return err
		}
	}
	allergies := []struct {
		pk                            int64
		substance, reaction, severity string
		days                          int
	}{
		{maria, "Penicillin", "Hives", "moderate", 2000},
		{maria, "Shellfish", "Throat swelling", "severe", 3000},
		{robert, "Sulfa drugs", "Rash", "mild", 4000},
		{james, "Peanuts", "Anaphylaxis — carries epinephrine", "severe", 2500},
	}
	for _, a := range allergies {
		if _, err := c.exec(`INSERT INTO health_allergies(member_pk, substance, reaction, severity, noted_on) VALUES (?,?,?,?,?)`,
			a.pk, a.substance, a.reaction, a.severity, c.day(a.days)); err != nil {
			return err
		}
	}

	// Referrals in every status.
	nurse := f.UserIDs[nurseEmail]
	refs := []struct {
		pk                    int64
		account               int64
		by                    string
		reason, urgency       string
		notes, status, answer string
		days                  int
	}{
		{maria, sunrise, jane, "disease_management", "routine", "Type 2 diabetes, A1c rising (7.2 → 7.9). Would benefit from diabetes education and monthly check-ins.", "closed",
			"Enrolled in the diabetes program; Self-Management plan agreed with the member. Closing the referral — the plan stays active.", 58},
		{maria, sunrise, jane, "social_needs", "urgent", "Member reports she may lose her housing next month and has trouble paying for groceries.", "received", "", 1},
		{james, sunrise, jane, "behavioral_health", "routine", "Adolescent in weekly therapy; family asks for help coordinating a psychiatry evaluation.", "assigned", "", 6},
		{robert, valley, priya, "transitions_of_care", "urgent", "Discharged after CHF admission; lives alone, needs home health and medication reconciliation.", "accepted",
			"Accepted. Home health ordered and first home visit made; I will call the member weekly.", 29},
		{linda, sunrise, jane, "complex_case", "routine", "Uncontrolled hypertension; asks for help.", "declined",
			"Declined: hypertension alone does not meet complex case criteria. The disease management program can help — refer for disease management.", 80},
	}
	for _, r := range refs {
		prio := 1
		if r.urgency == "urgent" {
			prio = 0
		}
		var assignee any
		if r.status != "received" {
			assignee = nurse
		}
		id, err := c.exec(`INSERT INTO referrals(ref_no, member_pk, account_id, created_by, reason, urgency, priority, contact_name, contact_phone, notes,
			status, assignee_id, answer, received_at, updated_at) VALUES ('new-' || ?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			r.pk, r.pk, r.account, f.UserIDs[r.by], r.reason, r.urgency, prio, map[string]string{jane: "Jane Doe", priya: "Priya Shah"}[r.by],
			"(916) 555-0142", r.notes, r.status, assignee, r.answer, c.at(r.days, 16), c.at(r.days/2, 19))
		if err != nil {
			return err
		}
		if _, err := c.exec("UPDATE referrals SET ref_no = ? WHERE id = ?", models.ReferralNumber(id), id); err != nil {
			return err
		}
	}
	if _, err := c.exec(`INSERT INTO referral_attachments(referral_id, name, mime, size, data) SELECT id, 'discharge-summary.txt', 'text/plain', ?, ?
		FROM referrals WHERE member_pk = ? AND status = 'accepted'`, len(dischargeText), []byte(dischargeText), robert); err != nil {
		return err
	}

	// Robert's care coordination documents.
	docs := []struct {
		typ, name, mime string
		data            []byte
		days            int
	}{
		{"Individualized Care Plan (ICP)", "icp-2026.pdf", "application/pdf", simplePDF("Individualized Care Plan", "Member: Robert Chen (D300000001)",
			"Goals: no readmission in 90 days; daily weights; A1c 7-8%.", "Care team: Valley Medical Group; Grace Kim, RN; HomeWell Home Health."), 85},
		{"Interdisciplinary Care Team (ICT) meeting summary", "ict-summary.txt", "text/plain", []byte(ictText), 28},
		{"Transition of care notice", "transition-of-care.pdf", "application/pdf", simplePDF("Transition of Care Notice",
			"Member: Robert Chen (D300000001)", "Discharged from Community Regional Hospital to home with home health.", "Follow-up: cardiology within 7 days."), 30},
	}
	for _, d := range docs {
		if _, err := c.exec(`INSERT INTO care_coordination_documents(member_pk, doc_type, doc_date, author, name, mime, size, data, uploaded_by, created_at)
			VALUES (?,?,?, 'Grace Kim, RN', ?,?,?,?,?,?)`, robert, d.typ, c.day(d.days), d.name, d.mime, len(d.data), d.data, nurse, c.at(d.days, 20)); err != nil {
			return err
		}
	}
	return nil
}

const dischargeText = `Discharge summary (demo)
Admitted for acute on chronic systolic heart failure. Diuresed 4 kg.
Discharge medications: furosemide 40 mg twice daily, carvedilol 12.5 mg twice daily,
sacubitril/valsartan 49/51 mg twice daily, insulin glargine 18 units at bedtime.
Follow-up: cardiology within 7 days; home health for medication reconciliation.
`

const ictText = `Interdisciplinary Care Team meeting summary (demo)
Member: Robert Chen (D300000001), D-SNP
Attendees: PCP (Valley Medical Group), Grace Kim RN (case manager), home health RN, member's daughter.
Discussed: recent CHF admission, daily weights, fall at home, advance directive.
Actions: home safety evaluation; weekly case manager calls; review the ICP in 90 days.
`

// simplePDF makes a one-page PDF with lines of text (Helvetica), with a correct cross-
// reference table, so the demo's documents open in any PDF reader.
func simplePDF(lines ...string) []byte {
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 720 Td 16 TL\n")
	for _, l := range lines {
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		fmt.Fprintf(&content, "(%s) Tj T*\n", l)
	}
	content.WriteString("ET")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// firstGenerated is the row ID of the first generated member (after the named four).
func (c *clinicalFill) firstGenerated() int64 {
	var max int64
	for _, pk := range c.f.MemberPKs {
		if pk > max {
			max = pk
		}
	}
	return max + 1
}

// strided is a CTE "ids" of the generated member row IDs that are multiples of step:
// the INSERT … SELECTs below read only those rows by primary key instead of scanning
// the members table.
func (c *clinicalFill) strided(step int) string {
	first := (c.firstGenerated() + int64(step) - 1) / int64(step) * int64(step)
	return fmt.Sprintf("WITH RECURSIVE ids(id) AS (SELECT %d UNION ALL SELECT id + %d FROM ids WHERE id + %d <= (SELECT MAX(id) FROM members)) ", first, step, step)
}

// generatedAssessments: one Medi-Cal or Medicare member in 40 has a submitted
// assessment; a third of them are more than 12 months old (reassessment due).
func (c *clinicalFill) generatedAssessments() error {
	sets := make([]any, 0, 3)
	for i := range hraAnswerSets {
		b, _ := json.Marshal(hraAnswerSets[i])
		sets = append(sets, string(b))
	}
	_, err := c.exec(c.strided(40)+`INSERT INTO assessments(member_pk, status, answers, section, score, risk, user_id, account_id, completed_by, started_at, updated_at, submitted_at)
		SELECT id, 'submitted', CASE id % 3 WHEN 0 THEN ?1 WHEN 1 THEN ?2 ELSE ?3 END, 8,
			CASE id % 3 WHEN 0 THEN ?4 WHEN 1 THEN ?5 ELSE ?6 END, CASE id % 3 WHEN 0 THEN 'low' WHEN 1 THEN 'moderate' ELSE 'high' END,
			?7, NULL, 'Grace Kim, RN (telephone assessment)', t, t, t
		FROM (SELECT m.id, strftime('%Y-%m-%dT17:00:00Z', ?8, '-' || (m.id % 500) || ' days') AS t FROM ids JOIN members m ON m.id = ids.id
			WHERE m.id >= ?9 AND m.plan_type IN ('medical','medicare'))`,
		sets[0], sets[1], sets[2], models.ScoreHRA(hraAnswerSets[0]).Score, models.ScoreHRA(hraAnswerSets[1]).Score, models.ScoreHRA(hraAnswerSets[2]).Score,
		c.f.UserIDs["nurse@"+c.f.Opts.PlanDomain], c.f.Today, c.firstGenerated())
	return err
}

// generatedRecords: one member in 50 has health records: their claims as encounters,
// a medication, two labs (one in three flagged), an immunization; one in 100 an allergy.
func (c *clinicalFill) generatedRecords() error {
	first := c.firstGenerated()
	qs := []string{
		`INSERT INTO health_visits(member_pk, visit_date, setting, provider, reason, diagnosis, note, source, claim_no, sensitive_category)
		SELECT c.member_pk, c.service_from, CASE WHEN c.sensitive_category IN ('mental_health','substance_use') THEN 'behavioral_health' ELSE 'office' END,
			t.name, COALESCE((SELECT description FROM claim_lines l WHERE l.claim_id = c.id AND l.line_no = 1), 'Visit'), c.diagnosis, '', 'claim', c.claim_no, c.sensitive_category
		FROM ids JOIN claims c ON c.member_pk = ids.id JOIN tins t ON t.id = c.tin_id WHERE ids.id >= ?1`,
		`INSERT INTO health_medications(member_pk, drug, dose, directions, prescriber, started_on, ended_on)
		SELECT id, CASE id % 4 WHEN 0 THEN 'lisinopril' WHEN 1 THEN 'metformin' WHEN 2 THEN 'atorvastatin' ELSE 'albuterol inhaler' END,
			CASE id % 4 WHEN 0 THEN '10 mg tablet' WHEN 1 THEN '500 mg tablet' WHEN 2 THEN '20 mg tablet' ELSE '90 mcg/actuation' END,
			CASE id % 4 WHEN 3 THEN '2 puffs every 4–6 hours as needed' ELSE '1 tablet daily' END,
			pcp_name, date(?2, '-' || (id % 700) || ' days'), '' FROM ids JOIN members USING (id) WHERE id >= ?1 /*stride 50*/ AND pcp_name <> ''`,
		`INSERT INTO health_labs(member_pk, collected_on, test, value, unit, ref_range, flag, ordered_by)
		SELECT id, date(?2, '-' || (id % 300) || ' days'), 'Hemoglobin A1c', CASE id % 3 WHEN 0 THEN '6.8' ELSE '5.4' END, '%', '4.0–5.6',
			CASE id % 3 WHEN 0 THEN 'high' ELSE '' END, pcp_name FROM ids JOIN members USING (id) WHERE id >= ?1 /*stride 50*/`,
		`INSERT INTO health_labs(member_pk, collected_on, test, value, unit, ref_range, flag, ordered_by)
		SELECT id, date(?2, '-' || (id % 300) || ' days'), 'LDL cholesterol', CASE id % 4 WHEN 0 THEN '162' ELSE '88' END, 'mg/dL', '< 100',
			CASE id % 4 WHEN 0 THEN 'high' ELSE '' END, pcp_name FROM ids JOIN members USING (id) WHERE id >= ?1 /*stride 50*/`,
		`INSERT INTO health_immunizations(member_pk, vaccine, given_on, dose, provider)
		SELECT id, 'Influenza, seasonal', date(?2, '-' || (id % 365) || ' days'), '0.5 mL IM', pcp_name FROM ids JOIN members USING (id) WHERE id >= ?1 /*stride 50*/`,
		`INSERT INTO health_allergies(member_pk, substance, reaction, severity, noted_on)
		SELECT id, CASE id % 3 WHEN 0 THEN 'Penicillin' WHEN 1 THEN 'Latex' ELSE 'Codeine' END, CASE id % 3 WHEN 0 THEN 'Hives' WHEN 1 THEN 'Contact rash' ELSE 'Nausea' END,
			CASE id % 3 WHEN 0 THEN 'moderate' ELSE 'mild' END, date(?2, '-' || (id % 3000) || ' days') FROM ids JOIN members USING (id) WHERE id >= ?1 /*stride 100*/`,
	}
	for _, q := range qs {
		step := 50
		if strings.Contains(q, "/*stride 100*/") {
			step = 100
		}
		if _, err := c.exec(c.strided(step)+q, first, c.f.Today); err != nil {
			return err
		}
	}
	return nil
}

// generatedPlans: one Medi-Cal or Medicare member in 200 has a medical care plan with a
// problem, a goal and an intervention.
func (c *clinicalFill) generatedPlans() error {
	var before int64
	if err := c.tx.QueryRowContext(c.ctx, "SELECT COALESCE(MAX(id),0) FROM care_plans").Scan(&before); err != nil {
		return err
	}
	nurse := c.f.UserIDs["nurse@"+c.f.Opts.PlanDomain]
	at := c.at(100, 18)
	qs := []string{
		`INSERT INTO care_plans(member_pk, kind, title, narrative, status, author_id, author_name, created_at, updated_at)
		SELECT id, 'medical', CASE id % 2 WHEN 0 THEN 'Diabetes care plan' ELSE 'Hypertension care plan' END, '', 'active', ?2, 'Grace Kim, RN', ?3, ?3
		FROM ids JOIN members USING (id) WHERE id >= ?1 /*stride 200*/ AND plan_type IN ('medical','medicare')`,
		`INSERT INTO care_plan_items(plan_id, kind, text, target_date, owner, status, updated_at)
		SELECT id, 'problem', CASE WHEN title LIKE 'Diabetes%' THEN 'Type 2 diabetes mellitus without complications (E11.9)' ELSE 'Essential hypertension (I10)' END, '', '', 'active', ?3
		FROM care_plans WHERE id > ?4`,
		`INSERT INTO care_plan_items(plan_id, kind, text, target_date, owner, status, updated_at)
		SELECT id, 'goal', CASE WHEN title LIKE 'Diabetes%' THEN 'HbA1c below 8%' ELSE 'Blood pressure below 140/90' END, date(?3, '+120 days'), '', 'in_progress', ?3
		FROM care_plans WHERE id > ?4`,
		`INSERT INTO care_plan_items(plan_id, kind, text, target_date, owner, status, updated_at)
		SELECT id, 'intervention', 'Monthly telephone outreach by the case manager', '', 'Case manager', 'in_progress', ?3 FROM care_plans WHERE id > ?4`,
		`INSERT INTO care_plan_history(plan_id, at, user_id, actor, what) SELECT id, ?3, ?2, 'Grace Kim, RN', 'Created the plan' FROM care_plans WHERE id > ?4`,
	}
	for i, q := range qs {
		if i == 0 {
			q = c.strided(200) + q
		}
		if _, err := c.exec(q, c.firstGenerated(), nurse, at, before); err != nil {
			return err
		}
	}
	return nil
}

// generatedReferrals: Sunrise refers one in 97 of the generated members attributed to
// its TINs, in every status.
func (c *clinicalFill) generatedReferrals() error {
	f := c.f
	var before int64
	if err := c.tx.QueryRowContext(c.ctx, "SELECT COALESCE(MAX(id),0) FROM referrals").Scan(&before); err != nil {
		return err
	}
	_, err := c.exec(`INSERT INTO referrals(ref_no, member_pk, account_id, created_by, reason, urgency, priority, contact_name, contact_phone, notes,
			status, assignee_id, answer, received_at, updated_at)
		SELECT 'new-' || id, id, ?1, ?2,
			CASE id % 6 WHEN 0 THEN 'complex_case' WHEN 1 THEN 'disease_management' WHEN 2 THEN 'behavioral_health' WHEN 3 THEN 'maternity'
				WHEN 4 THEN 'transitions_of_care' ELSE 'social_needs' END,
			CASE id % 4 WHEN 0 THEN 'urgent' ELSE 'routine' END, CASE id % 4 WHEN 0 THEN 0 ELSE 1 END,
			'Jane Doe', '(916) 555-0142', 'Referred from the clinic after a recent visit.',
			CASE id % 5 WHEN 0 THEN 'received' WHEN 1 THEN 'assigned' WHEN 2 THEN 'accepted' WHEN 3 THEN 'declined' ELSE 'closed' END,
			CASE id % 5 WHEN 0 THEN NULL ELSE ?3 END,
			CASE id % 5 WHEN 2 THEN 'Accepted into care management.' WHEN 3 THEN 'Declined: the member already has an active case manager through the county.'
				WHEN 4 THEN 'Member enrolled and goals met; closing.' ELSE '' END,
			strftime('%Y-%m-%dT16:00:00Z', ?4, '-' || (id % 120) || ' days'), strftime('%Y-%m-%dT19:00:00Z', ?4, '-' || (id % 60) || ' days')
		FROM members WHERE pcp_tin_id IN (?6, ?7) AND +id >= ?5 AND id % 97 = 0`,
		f.AccountIDs["sunrise"], f.UserIDs["manager@sunrise.example"], f.UserIDs["nurse@"+f.Opts.PlanDomain], f.Today, c.firstGenerated(),
		f.TINIDs["951234567"], f.TINIDs["957654321"])
	if err != nil {
		return err
	}
	_, err = c.exec("UPDATE referrals SET ref_no = printf('CM-%06d', id) WHERE id > ?", before)
	return err
}

// sealNotes seals the clinical notes written above in plain text with SQL (referral
// notes and answers, care plan text, visit reasons and notes, medication directions,
// assessment answers) before the fill commits. Without a key file (as in some tests)
// they are emptied instead, so no plain text is left in the file (the assessments keep
// their score and risk level).
func (c *clinicalFill) sealNotes() error {
	if c.f.Opts.Keyring != nil {
		_, err := models.SealClinicalNotesTx(c.ctx, c.tx, c.f.Opts.Keyring)
		return err
	}
	for _, q := range []string{
		"UPDATE referrals SET notes = '', answer = ''",
		"UPDATE care_plans SET title = '', narrative = ''", "UPDATE care_plan_items SET text = ''", "UPDATE care_plan_history SET what = ''",
		"UPDATE health_visits SET reason = '', note = ''", "UPDATE health_medications SET directions = ''",
		"UPDATE assessments SET answers = '{}'",
	} {
		if _, err := c.exec(q); err != nil {
			return err
		}
	}
	return nil
}

// generatedDocuments: one D-SNP member in 20 has an individualized care plan document.
func (c *clinicalFill) generatedDocuments() error {
	text := []byte("Individualized Care Plan (demo)\nGoals, care team and services agreed at the last Interdisciplinary Care Team review.\n")
	_, err := c.exec(c.strided(20)+`INSERT INTO care_coordination_documents(member_pk, doc_type, doc_date, author, name, mime, size, data, uploaded_by, created_at)
		SELECT m.id, 'Individualized Care Plan (ICP)', date(?1, '-' || (m.id % 300) || ' days'), 'Grace Kim, RN', 'icp.txt', 'text/plain', ?2, ?3, ?4, ?5
		FROM ids JOIN members m ON m.id = ids.id JOIN plans p ON p.id = m.plan_id WHERE m.id >= ?6 AND m.plan_type = 'medicare' AND p.product = 'dsnp'`,
		c.f.Today, len(text), text, c.f.UserIDs["nurse@"+c.f.Opts.PlanDomain], c.at(10, 20), c.firstGenerated())
	return err
}

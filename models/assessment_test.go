package models

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"portico/db/dbtest"
)

// allAnswers is a complete assessment with every answer at its first (0-point) option,
// changed by over.
func allAnswers(over map[string]string) map[string]string {
	a := map[string]string{}
	for _, s := range HRASections {
		for _, q := range s.Questions {
			a[q.Key] = q.Options[0].Value
		}
	}
	for k, v := range over {
		a[k] = v
	}
	return a
}

// TestHRAQuestionnaire: about 25 questions in the sections the issue names, each with
// at least two answers and unique keys.
func TestHRAQuestionnaire(t *testing.T) {
	if n := HRAQuestionCount(); n != 25 {
		t.Errorf("%d questions, want 25", n)
	}
	seen := map[string]bool{}
	for _, s := range HRASections {
		for _, q := range s.Questions {
			if seen[q.Key] || len(q.Options) < 2 {
				t.Errorf("question %q: duplicate key or fewer than 2 options", q.Key)
			}
			seen[q.Key] = true
		}
	}
	for _, k := range []string{"phq_interest", "phq_down", "food", "housing", "transport", "falls", "adl_help", "med_count", "diabetes"} {
		if !seen[k] {
			t.Errorf("no question %q", k)
		}
	}
}

// TestScoreHRA checks the scoring written in the README on known answers.
func TestScoreHRA(t *testing.T) {
	cases := []struct {
		name       string
		over       map[string]string
		score      int
		risk       string
		phqPositve bool
	}{
		{"all zero", nil, 0, RiskLow, false},
		{"three points stays low", map[string]string{"general_health": "poor", "diabetes": "yes"}, 3, RiskLow, false},
		{"four points is moderate", map[string]string{"general_health": "poor", "diabetes": "yes", "transport": "yes"}, 4, RiskModerate, false},
		{"PHQ-2 of 2 adds its own points only", map[string]string{"phq_interest": "1", "phq_down": "1"}, 2, RiskLow, false},
		{"PHQ-2 of 3 is positive: +3 more", map[string]string{"phq_interest": "2", "phq_down": "1"}, 6, RiskModerate, true},
		{"two hospital stays is high whatever the score", map[string]string{"hospital_stays": "2"}, 3, RiskHigh, false},
		{"nine points is moderate", map[string]string{"heart": "yes", "cancer": "yes", "adl_help": "yes", "housing": "none", "falls": "1"}, 9, RiskModerate, false},
		{"ten points is high", map[string]string{"heart": "yes", "cancer": "yes", "adl_help": "yes", "housing": "none", "falls": "2"}, 10, RiskHigh, false},
	}
	for _, c := range cases {
		r := ScoreHRA(allAnswers(c.over))
		if r.Score != c.score || r.Risk != c.risk || r.PHQ2Positive != c.phqPositve {
			t.Errorf("%s: score %d risk %s phq+ %v; want %d %s %v", c.name, r.Score, r.Risk, r.PHQ2Positive, c.score, c.risk, c.phqPositve)
		}
	}
}

// TestCheckHRASection refuses answers that are not offered, and unanswered questions
// only at submission.
func TestCheckHRASection(t *testing.T) {
	if errs := CheckHRASection(1, map[string]string{"general_health": "good"}, false); errs != nil {
		t.Errorf("partial draft refused: %v", errs)
	}
	if errs := CheckHRASection(1, map[string]string{"general_health": "good"}, true); errs["er_visits"] == "" {
		t.Errorf("missing answer accepted at submission: %v", errs)
	}
	if errs := CheckHRASection(1, map[string]string{"general_health": "'; DROP TABLE x"}, false); errs["general_health"] == "" {
		t.Error("an answer that is not offered was accepted")
	}
	if errs := CheckHRASection(99, nil, false); errs == nil {
		t.Error("section 99 accepted")
	}
}

// TestAssessmentDraftAndSubmit: one draft per user and member, saved by section,
// refused at submission while incomplete, scored when complete.
func TestAssessmentDraftAndSubmit(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	if _, err := d.W.Exec(`INSERT INTO plans(id, code, name, plan_type, product) VALUES (1, 'MCAL', 'Medi-Cal', 'medical', 'medi-cal');
		INSERT INTO members(id, member_id, first_name, last_name, last_name_key, dob, plan_id, plan_type, effective_date) VALUES (1, 'M1', 'A', 'B', 'b', '1980-01-01', 1, 'medical', '2020-01-01');
		INSERT INTO users(id, email, name, created_at) VALUES (7, 'x@y.example', 'X', '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	keys, err := OpenKeyring(ctx, filepath.Join(t.TempDir(), "portico.key"), d)
	if err != nil {
		t.Fatal(err)
	}
	s := Assessments{DB: d, Keys: keys}
	who := Author{UserID: 7, Name: "X"}
	a, err := s.StartDraft(ctx, 1, who, AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.StartDraft(ctx, 1, who, AuditEntry{})
	if err != nil || again.ID != a.ID {
		t.Fatalf("second start made another draft: %v %v", again, err)
	}
	if err := s.SaveSection(ctx, a, 1, map[string]string{"general_health": "poor"}, 2, AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(ctx, a, AuditEntry{}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("incomplete draft submitted: %v", err)
	}
	full := allAnswers(map[string]string{"general_health": "poor", "hospital_stays": "2"})
	for _, sec := range HRASections {
		if err := s.SaveSection(ctx, a, sec.N, full, sec.N+1, AuditEntry{}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.Submit(ctx, a, AuditEntry{})
	if err != nil || r.Risk != RiskHigh {
		t.Fatalf("submit: %v %+v", err, r)
	}
	st, err := s.Status(ctx, 1, PlanMediCal)
	if err != nil || st.Due || !st.Required || st.LastSubmitted == "" {
		t.Errorf("status after submission: %+v %v", st, err)
	}
	var n int
	d.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'assessment.submit'").Scan(&n)
	if n != 1 {
		t.Errorf("%d submit audit entries", n)
	}
}

// TestAssessmentAnswersSealedAtRest: saved answers are ciphertext in the row while the
// assessment shows them; answers moved to another assessment read as UnreadableNote,
// and a draft whose answers do not open is neither saved over nor submitted.
func TestAssessmentAnswersSealedAtRest(t *testing.T) {
	ctx := context.Background()
	rs, _, _, _ := clinicalFixture(t)
	s := Assessments{DB: rs.DB, Keys: rs.Keys}
	a, err := s.StartDraft(ctx, 1, Author{UserID: 10, Name: "Office Manager"}, AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.StartDraft(ctx, 1, Author{UserID: 20, Name: "Case Manager"}, AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSection(ctx, a, 6, map[string]string{"phq_interest": "2", "phq_down": "2", "substance": "yes"}, 7, AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	raw := func(id int64) string {
		t.Helper()
		var v string
		if err := rs.DB.R.QueryRow(`SELECT answers FROM assessments WHERE id = ?`, id).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := raw(a.ID); !strings.HasPrefix(got, sealedNotePrefix) || strings.Contains(got, "phq") || strings.Contains(got, "substance") {
		t.Fatalf("answers stored as %q", got)
	}
	if got := raw(b.ID); got != emptyAnswers {
		t.Errorf("an unanswered draft stored %q", got)
	}
	got, err := s.Get(ctx, 1, a.ID)
	if err != nil || got.Unreadable || got.Answers["substance"] != "yes" || got.Answer("phq_down") == "" {
		t.Fatalf("draft reads %+v (%v)", got, err)
	}

	if _, err := rs.DB.W.Exec(`UPDATE assessments SET answers = ? WHERE id = ?`, raw(a.ID), b.ID); err != nil {
		t.Fatal(err)
	}
	moved, err := s.Get(ctx, 1, b.ID)
	if err != nil {
		t.Fatalf("moved answers fail the assessment: %v", err)
	}
	if !moved.Unreadable || len(moved.Answers) != 0 || moved.Answer("substance") != UnreadableNote {
		t.Errorf("moved answers read %+v, answer %q", moved.Answers, moved.Answer("substance"))
	}
	before := raw(b.ID)
	if err := s.SaveSection(ctx, moved, 1, map[string]string{"general_health": "good"}, 2, AuditEntry{}); !errors.Is(err, ErrConflict) {
		t.Errorf("saving over answers that do not open: %v", err)
	}
	if _, err := s.Submit(ctx, moved, AuditEntry{}); !errors.Is(err, ErrConflict) {
		t.Errorf("submitting answers that do not open: %v", err)
	}
	if raw(b.ID) != before {
		t.Error("the stored answers changed")
	}
}

package demo_test

import (
	"context"
	"portico/db/dbtest"
	"testing"
	"time"

	"portico/db/demo"
	"portico/models"
)

// TestPrivacyDemoStories: James Smith Jr.'s answered electronic request with a
// designated e-mail, one overdue request, one mailed request due in three days, and the
// categories derived as the data was written.
func TestPrivacyDemoStories(t *testing.T) {
	d := dbtest.Migrated(t)
	anchor := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	if _, err := demo.Run(context.Background(), d, demo.Options{Members: 600, Anchor: anchor}); err != nil {
		t.Fatal(err)
	}
	today := anchor.Format(models.DateFormat)
	var channel, email, status string
	if err := d.R.QueryRow(`SELECT r.channel, r.email, r.status FROM confidential_requests r JOIN members m ON m.id = r.member_pk WHERE m.member_id = 'M200000001'`).
		Scan(&channel, &email, &status); err != nil {
		t.Fatal(err)
	}
	if channel != models.ChannelElectronic || email == "" || status != models.RequestCompleted {
		t.Errorf("James's request: %s %q %s", channel, email, status)
	}
	var overdue, dueIn3 int
	d.R.QueryRow(`SELECT COUNT(*) FROM confidential_requests WHERE status = 'open' AND due_on < ?`, today).Scan(&overdue)
	d.R.QueryRow(`SELECT COUNT(*) FROM confidential_requests WHERE status = 'open' AND channel = 'mail' AND due_on = date(?, '+3 days')`, today).Scan(&dueIn3)
	if overdue != 1 || dueIn3 != 1 {
		t.Errorf("overdue %d, mailed and due in three days %d", overdue, dueIn3)
	}
	var lines, visits, refs int
	d.R.QueryRow(`SELECT COUNT(*) FROM claim_lines WHERE code IN ('90834','90837') AND sensitive_category <> 'mental_health'`).Scan(&lines)
	d.R.QueryRow(`SELECT COUNT(*) FROM health_visits v JOIN members m ON m.id = v.member_pk WHERE m.member_id = 'M200000001' AND v.setting = 'behavioral_health' AND v.sensitive_category = 'mental_health'`).Scan(&visits)
	d.R.QueryRow(`SELECT COUNT(*) FROM referrals WHERE reason = 'behavioral_health' AND sensitive_category <> 'mental_health'`).Scan(&refs)
	if lines != 0 || visits == 0 || refs != 0 {
		t.Errorf("derived categories: %d psychotherapy lines not mental health, %d behavioral-health visits of James, %d referrals not derived", lines, visits, refs)
	}
}

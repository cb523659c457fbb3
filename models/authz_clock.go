package models

import (
	"context"
	"fmt"
	"time"
)

// ClockRule is the decision clock of one plan type and urgency (SPEC §5): Medicare/DSNP
// and Medi-Cal 72 hours urgent and 7 calendar days standard, as CMS-0057-F sets;
// Commercial 72 hours urgent and 5 business days standard. Kept in authz_clock_rules.
type ClockRule struct {
	PlanType string
	Urgency  string
	Amount   int
	Unit     string // hours, calendar_days, business_days
}

// Clock units.
const (
	UnitHours        = "hours"
	UnitCalendarDays = "calendar_days"
	UnitBusinessDays = "business_days"
)

// Text says the rule in words ("72 hours", "5 business days").
func (r ClockRule) Text() string {
	switch r.Unit {
	case UnitHours:
		return fmt.Sprintf("%d hours", r.Amount)
	case UnitCalendarDays:
		return fmt.Sprintf("%d calendar days", r.Amount)
	case UnitBusinessDays:
		return fmt.Sprintf("%d business days", r.Amount)
	}
	return ""
}

// Valid tells whether the rule can be kept: a plan type and urgency, 1 to 720 of a unit.
func (r ClockRule) Valid() bool {
	if !ValidPlanType(r.PlanType) || (r.Urgency != UrgencyUrgent && r.Urgency != UrgencyStandard) || r.Amount < 1 || r.Amount > 720 {
		return false
	}
	switch r.Unit {
	case UnitHours, UnitCalendarDays, UnitBusinessDays:
		return true
	}
	return false
}

// Holidays is a set of ISO dates (in the plan's time zone) that are not business days.
type Holidays map[string]bool

// isBusinessDay tells whether the local date of t is a weekday and not a holiday.
func (h Holidays) isBusinessDay(t time.Time) bool {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !h[t.Format(DateFormat)]
}

// DueAt is when a request received at start must be decided under rule r, computed in the
// plan's time zone loc:
//   - hours: exactly that many elapsed hours (72 hours is 72 hours even across a
//     daylight-saving change; the local clock time shown may differ by an hour);
//   - calendar days: the same local clock time that many days later;
//   - business days: the same local clock time on the n-th business day after the day
//     of receipt, skipping Saturdays, Sundays and holidays.
func DueAt(start time.Time, r ClockRule, loc *time.Location, hol Holidays) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	switch r.Unit {
	case UnitHours:
		return start.Add(time.Duration(r.Amount) * time.Hour).UTC()
	case UnitCalendarDays:
		l := start.In(loc)
		return time.Date(l.Year(), l.Month(), l.Day()+r.Amount, l.Hour(), l.Minute(), l.Second(), 0, loc).UTC()
	case UnitBusinessDays:
		l := start.In(loc)
		day := time.Date(l.Year(), l.Month(), l.Day(), 12, 0, 0, 0, loc) // noon: safe from DST edges
		for n := 0; n < r.Amount; {
			day = day.AddDate(0, 0, 1)
			if hol.isBusinessDay(day) {
				n++
			}
		}
		return time.Date(day.Year(), day.Month(), day.Day(), l.Hour(), l.Minute(), l.Second(), 0, loc).UTC()
	}
	return start.UTC()
}

// ResumeDue moves a due time forward by the time the request waited for the office's
// answer (the clock pauses while more information is requested): the time left when it
// paused is the time left when it resumes.
func ResumeDue(due, pausedAt, resumedAt time.Time) time.Time {
	if resumedAt.Before(pausedAt) {
		return due
	}
	return due.Add(resumedAt.Sub(pausedAt)).UTC()
}

// ExtensionDays is how far "extend" moves the due time: up to 14 calendar days, once,
// when the extension is in the member's interest or information the plan needs is late.
const ExtensionDays = 14

// ClockRules reads the decision clock of every plan type and urgency.
func (s Authz) ClockRules(ctx context.Context) ([]ClockRule, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT plan_type, urgency, amount, unit FROM authz_clock_rules ORDER BY plan_type, urgency DESC`)
	if err != nil {
		return nil, fmt.Errorf("clock rules: %w", err)
	}
	defer rows.Close()
	var out []ClockRule
	for rows.Next() {
		var r ClockRule
		if err := rows.Scan(&r.PlanType, &r.Urgency, &r.Amount, &r.Unit); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ClockRule reads the rule of one plan type and urgency.
func (s Authz) ClockRule(ctx context.Context, q querier, planType, urgency string) (ClockRule, error) {
	r := ClockRule{PlanType: planType, Urgency: urgency}
	err := q.QueryRowContext(ctx, `SELECT amount, unit FROM authz_clock_rules WHERE plan_type = ? AND urgency = ?`, planType, urgency).Scan(&r.Amount, &r.Unit)
	if err != nil {
		return r, fmt.Errorf("clock rule %s/%s: %w", planType, urgency, err)
	}
	return r, nil
}

// SetClockRule changes a decision clock (plan admin).
func (s Authz) SetClockRule(ctx context.Context, r ClockRule) error {
	if !r.Valid() {
		return ErrInvalid
	}
	_, err := s.DB.W.ExecContext(ctx, `UPDATE authz_clock_rules SET amount = ?, unit = ? WHERE plan_type = ? AND urgency = ?`, r.Amount, r.Unit, r.PlanType, r.Urgency)
	return err
}

// Holidays reads the plan's holiday list.
func (s Authz) Holidays(ctx context.Context, q querier) (Holidays, error) {
	rows, err := q.QueryContext(ctx, `SELECT day FROM authz_holidays`)
	if err != nil {
		return nil, fmt.Errorf("holidays: %w", err)
	}
	defer rows.Close()
	h := Holidays{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		h[d] = true
	}
	return h, rows.Err()
}

// Holiday is one day of the plan's holiday list.
type Holiday struct{ Day, Name string }

// HolidayList lists the holidays in date order.
func (s Authz) HolidayList(ctx context.Context) ([]Holiday, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT day, name FROM authz_holidays ORDER BY day`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Holiday
	for rows.Next() {
		var h Holiday
		if err := rows.Scan(&h.Day, &h.Name); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// AddHoliday adds (or renames) a holiday.
func (s Authz) AddHoliday(ctx context.Context, day, name string) error {
	if _, err := time.Parse(DateFormat, day); err != nil || name == "" || len(name) > 80 {
		return ErrInvalid
	}
	_, err := s.DB.W.ExecContext(ctx, `INSERT INTO authz_holidays(day, name) VALUES (?,?) ON CONFLICT(day) DO UPDATE SET name = excluded.name`, day, name)
	return err
}

// RemoveHoliday removes a holiday.
func (s Authz) RemoveHoliday(ctx context.Context, day string) error {
	_, err := s.DB.W.ExecContext(ctx, `DELETE FROM authz_holidays WHERE day = ?`, day)
	return err
}

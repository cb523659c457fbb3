package models

import (
	"time"
	"unicode/utf8"
)

// eligibilityFieldMax is the longest "member ID or last name" or first name read: far
// above any real one, low enough that nothing long reaches the look-up.
const eligibilityFieldMax = 80

// EligibilityForm is the eligibility look-up as an office user typed it (the Quick
// Eligibility Check and the Eligibility Check page): member ID or last name, the first
// name when several members share a last name and date of birth, and the date of
// birth. Look-ups are POSTed only, so nothing of it reaches a URL. Every rule is in
// Validate rather than in validate tags: a tag that fails stops the others, and the
// page tells the problems of both fields at once, in its own words.
type EligibilityForm struct {
	Q     string `form:"q" query:"-"`
	First string `form:"first_name" query:"-"`
	DOB   string `form:"dob" query:"-"`
	// Today bounds the date of birth (none in the future); the handler sets it from the
	// plan's clock before the form is read.
	Today time.Time `form:"-" query:"-"`
	// query is what Validate read, kept so that the look-up does not parse it again.
	query EligibilityQuery
}

// Validate applies the look-up's rules (SPEC §4): something in "member ID or last
// name", a member ID with its letter and digits or a last name with letters, and a real
// date of birth, which is always required. The rules are checked together, so that
// every problem is shown at once. A valid date of birth is put back as ISO, the only
// form a date input shows.
func (f *EligibilityForm) Validate() FieldErrors {
	var errs FieldErrors
	fail := func(field, msg string) {
		if errs == nil {
			errs = FieldErrors{}
		}
		errs[field] = msg
	}
	f.query = EligibilityQuery{FirstName: f.First}
	switch {
	case f.Q == "":
		fail("q", "Enter the member ID or the last name.")
	case utf8.RuneCountInString(f.Q) > eligibilityFieldMax || utf8.RuneCountInString(f.First) > eligibilityFieldMax:
		fail("q", "That is too long for a member ID or last name.")
	case LooksLikeMemberID(f.Q):
		f.query.MemberID = f.Q
		if NormalizeMemberID(f.Q) == "" {
			fail("q", "Enter the member ID with its letter and numbers, as on the ID card.")
		}
	default:
		f.query.LastName = f.Q
		if LastNameKey(f.Q) == "" {
			fail("q", "Enter the last name with letters.")
		}
	}
	dob, msg := ParseDOB(f.DOB, f.Today)
	if msg != "" {
		fail("dob", msg)
	} else {
		f.DOB = dob
	}
	f.query.DOB = dob
	return errs
}

// Query is the look-up Validate read, under planType (the context bar's).
func (f *EligibilityForm) Query(planType string) EligibilityQuery {
	q := f.query
	q.PlanType = planType
	return q
}

package models

import "regexp"

// Code checks of the online claim form, against the shared code lists (codes.go):
// ICD-10-CM and HCPCS Level II codes must be on the shipped CMS lists, CPT codes are
// checked by format (their descriptors are AMA-licensed).

var (
	icd10Format = regexp.MustCompile(`^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$`)
	modFormat   = regexp.MustCompile(`^[0-9A-Z]{2}$`)
)

// CheckDiagnosis checks a normalised ICD-10-CM code: its format, then the list. The
// message is for the user.
func CheckDiagnosis(code string) (title, problem string) {
	if !icd10Format.MatchString(code) {
		return "", "Enter an ICD-10-CM code: a letter, two characters, then up to four after the dot, such as E11.9."
	}
	c, ok := Diagnosis(code)
	if !ok {
		return "", code + " is not a billable ICD-10-CM code on the plan's list; check the code and use its full specificity."
	}
	return c.Title, ""
}

// CheckProcedure checks a CPT or HCPCS Level II code. CPT codes are checked by format
// (five digits, or four digits and F or T); HCPCS codes by format and the list. The
// name is the plan's short name of a common CPT code or the HCPCS title ("" otherwise).
func CheckProcedure(code string) (name, problem string) {
	switch {
	case IsCPTFormat(code):
		c, ok := LookupProcedure(code)
		if !ok {
			return "", "Enter a real CPT code: 00000 is not one."
		}
		if c.Named {
			return c.Title, ""
		}
		return "", ""
	case isHCPCSFormat(code):
		c, ok := LookupProcedure(code)
		if !ok {
			return "", code + " is not a HCPCS Level II code on the plan's list."
		}
		return c.Title, ""
	}
	return "", "Enter a CPT code (five digits, such as 99213, or four digits and F or T) or a HCPCS code (a letter and four digits, such as G0008)."
}

// PlacesOfService are the CMS place-of-service codes the form offers.
var PlacesOfService = []struct{ Code, Label string }{
	{"11", "11 Office"}, {"02", "02 Telehealth (not in the patient's home)"}, {"10", "10 Telehealth in the patient's home"},
	{"12", "12 Home"}, {"20", "20 Urgent care facility"}, {"22", "22 Outpatient hospital"}, {"23", "23 Emergency room, hospital"},
	{"21", "21 Inpatient hospital"}, {"24", "24 Ambulatory surgical center"}, {"81", "81 Independent laboratory"},
}

func validPOS(code string) bool {
	for _, p := range PlacesOfService {
		if p.Code == code {
			return true
		}
	}
	return false
}

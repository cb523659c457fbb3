package models

import (
	"regexp"
	"strings"
)

// Code checks of the online claim form. Formats are checked here; whether a code
// exists is asked of the lookups below, which use the shared ICD-10-CM and HCPCS lists
// when they are present.

var (
	icd10Format = regexp.MustCompile(`^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$`)
	cptFormat   = regexp.MustCompile(`^[0-9]{4}[0-9FT]$`)
	hcpcsFormat = regexp.MustCompile(`^[A-V][0-9]{4}$`)
	modFormat   = regexp.MustCompile(`^[0-9A-Z]{2}$`)
)

// NormalizeDiagnosis writes an ICD-10-CM code in upper case with its dot after the
// third character ("e119" → "E11.9").
func NormalizeDiagnosis(s string) string {
	s = strings.ToUpper(strings.TrimSpace(strings.ReplaceAll(s, " ", "")))
	s = strings.ReplaceAll(s, ".", "")
	if len(s) > 3 {
		s = s[:3] + "." + s[3:]
	}
	return s
}

// claimDiagnosisTitle gives the title of a billable ICD-10-CM code, or false when the
// code is not on the list. Titles are CMS's (public domain).
var claimDiagnosisTitle = func(code string) (string, bool) {
	t, ok := claimDiagnoses[code]
	return t, ok
}

// claimHCPCSTitle gives the title of a HCPCS Level II code, or false when it is not on
// the list.
var claimHCPCSTitle = func(code string) (string, bool) {
	t, ok := claimHCPCS[code]
	return t, ok
}

// CheckDiagnosis checks a normalised ICD-10-CM code: its format, then the list. The
// message is for the user.
func CheckDiagnosis(code string) (title, problem string) {
	if !icd10Format.MatchString(code) {
		return "", "Enter an ICD-10-CM code: a letter, two characters, then up to four after the dot, such as E11.9."
	}
	t, ok := claimDiagnosisTitle(code)
	if !ok {
		return "", code + " is not a billable ICD-10-CM code on the plan's list; check the code and use its full specificity."
	}
	return t, ""
}

// CheckProcedure checks a CPT or HCPCS Level II code. CPT codes are checked by format
// (five digits, or four digits and F or T); HCPCS codes by format and the list.
func CheckProcedure(code string) (name, problem string) {
	switch {
	case cptFormat.MatchString(code):
		return cptNames[code], ""
	case hcpcsFormat.MatchString(code):
		t, ok := claimHCPCSTitle(code)
		if !ok {
			return "", code + " is not a HCPCS Level II code on the plan's list."
		}
		return t, ""
	}
	return "", "Enter a CPT code (five digits, such as 99213, or four digits and F or T) or a HCPCS code (a letter and four digits, such as G0008)."
}

// priorAuthCodes are the procedures that need a prior authorization number on the claim
// (advanced imaging, DME, arthroscopy: the plan's public list).
var priorAuthCodes = map[string]bool{
	"70551": true, "70553": true, "72148": true, "73721": true, "74177": true, "78815": true,
	"29881": true, "E0601": true, "E0260": true, "K0001": true,
}

// NeedsPriorAuth tells whether a procedure code needs a prior authorization number.
var NeedsPriorAuth = func(code string) bool { return priorAuthCodes[code] }

// cptNames are short plain-language names of common CPT codes, in the plan's own words.
var cptNames = map[string]string{
	"99202": "New patient office visit, straightforward", "99203": "New patient office visit, low complexity",
	"99204": "New patient office visit, moderate complexity", "99205": "New patient office visit, high complexity",
	"99211": "Established patient visit, minimal", "99212": "Established patient visit, straightforward",
	"99213": "Established patient visit, low complexity", "99214": "Established patient visit, moderate complexity",
	"99215": "Established patient visit, high complexity", "99395": "Preventive visit, age 18 to 39",
	"99396": "Preventive visit, age 40 to 64", "99385": "New patient preventive visit, age 18 to 39",
	"36415": "Blood draw from a vein", "80053": "Metabolic blood panel, comprehensive", "80061": "Cholesterol blood panel",
	"83036": "Hemoglobin A1c test", "85025": "Blood count with differential", "81002": "Urine test, dipstick",
	"87880": "Rapid strep test", "87491": "Chlamydia test, amplified", "71046": "Chest X-ray, two views",
	"93000": "Heart tracing (ECG) with report", "73721": "Knee MRI without contrast", "72148": "Lower back MRI without contrast",
	"70551": "Brain MRI without contrast", "97110": "Therapeutic exercise, 15 minutes", "90686": "Flu vaccine",
	"90471": "Vaccine administration, first", "90834": "Psychotherapy, 45 minutes", "90837": "Psychotherapy, 60 minutes",
	"20610": "Joint injection or aspiration, large joint", "11102": "Skin biopsy, tangential", "69210": "Ear wax removal",
	"29881": "Knee arthroscopy with meniscus repair", "99285": "Emergency visit, high severity",
}

// claimDiagnoses are billable ICD-10-CM codes with their CMS titles.
var claimDiagnoses = map[string]string{
	"I10":     "Essential (primary) hypertension",
	"E11.9":   "Type 2 diabetes mellitus without complications",
	"E11.65":  "Type 2 diabetes mellitus with hyperglycemia",
	"E78.5":   "Hyperlipidemia, unspecified",
	"E66.9":   "Obesity, unspecified",
	"E03.9":   "Hypothyroidism, unspecified",
	"J06.9":   "Acute upper respiratory infection, unspecified",
	"J02.9":   "Acute pharyngitis, unspecified",
	"J20.9":   "Acute bronchitis, unspecified",
	"J45.909": "Unspecified asthma, uncomplicated",
	"R05.9":   "Cough, unspecified",
	"R07.9":   "Chest pain, unspecified",
	"R10.9":   "Unspecified abdominal pain",
	"R51.9":   "Headache, unspecified",
	"R53.83":  "Other fatigue",
	"M17.11":  "Unilateral primary osteoarthritis, right knee",
	"M17.12":  "Unilateral primary osteoarthritis, left knee",
	"M25.561": "Pain in right knee",
	"M25.562": "Pain in left knee",
	"M54.50":  "Low back pain, unspecified",
	"K21.9":   "Gastro-esophageal reflux disease without esophagitis",
	"N39.0":   "Urinary tract infection, site not specified",
	"H10.9":   "Unspecified conjunctivitis",
	"L30.9":   "Dermatitis, unspecified",
	"F32.9":   "Major depressive disorder, single episode, unspecified",
	"F41.1":   "Generalized anxiety disorder",
	"F11.20":  "Opioid dependence, uncomplicated",
	"G47.33":  "Obstructive sleep apnea (adult) (pediatric)",
	"Z00.00":  "Encounter for general adult medical examination without abnormal findings",
	"Z00.01":  "Encounter for general adult medical examination with abnormal findings",
	"Z11.3":   "Encounter for screening for infections with a predominantly sexual mode of transmission",
	"Z23":     "Encounter for immunization",
	"Z79.4":   "Long term (current) use of insulin",
}

// claimHCPCS are HCPCS Level II codes with their CMS short titles.
var claimHCPCS = map[string]string{
	"G0008": "Administration of influenza virus vaccine",
	"G0438": "Annual wellness visit, initial",
	"G0439": "Annual wellness visit, subsequent",
	"G2211": "Visit complexity add-on",
	"J1100": "Injection, dexamethasone sodium phosphate, 1 mg",
	"J3301": "Injection, triamcinolone acetonide, 10 mg",
	"J0696": "Injection, ceftriaxone sodium, per 250 mg",
	"E0601": "Continuous positive airway pressure (CPAP) device",
	"E0260": "Hospital bed, semi-electric, with mattress",
	"K0001": "Standard wheelchair",
	"A4253": "Blood glucose test strips, per 50",
	"H0020": "Alcohol and/or drug services; methadone administration",
	"Q3014": "Telehealth originating site facility fee",
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

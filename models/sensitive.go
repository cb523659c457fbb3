package models

import (
	"strings"
	"time"

	"portico/db"
)

// Sensitive-service categories (SPEC §8, the plan's privacy bulletin). The empty string
// means "not a sensitive service".
const (
	SensitiveNone            = ""
	SensitiveMentalHealth    = "mental_health"
	SensitiveReproductive    = "reproductive"
	SensitiveSTI             = "sti"
	SensitiveSubstanceUse    = "substance_use"
	SensitiveGenderAffirming = "gender_affirming"
	SensitiveIPV             = "ipv"
)

// SensitiveCategories are the categories in the bulletin's order.
var SensitiveCategories = []string{SensitiveMentalHealth, SensitiveReproductive, SensitiveSTI,
	SensitiveSubstanceUse, SensitiveGenderAffirming, SensitiveIPV}

var sensitiveLabels = map[string]string{
	SensitiveMentalHealth:    "Mental or behavioral health",
	SensitiveReproductive:    "Sexual and reproductive health",
	SensitiveSTI:             "Sexually transmitted infection",
	SensitiveSubstanceUse:    "Substance use disorder",
	SensitiveGenderAffirming: "Gender-affirming care",
	SensitiveIPV:             "Intimate partner violence",
}

// SensitiveLabel is a category in words ("" for none).
func SensitiveLabel(cat string) string { return sensitiveLabels[cat] }

// ValidSensitiveCategory tells whether cat is a category or "" (none).
func ValidSensitiveCategory(cat string) bool {
	_, ok := sensitiveLabels[cat]
	return ok || cat == SensitiveNone
}

// SensitiveRange is one row of the shipped code-range table: codes From through To
// (inclusive, compared on the first len(From) characters of the code without its dot)
// of a code set imply Category.
type SensitiveRange struct {
	Diagnosis bool // ICD-10-CM when true, CPT/HCPCS procedure codes otherwise
	From, To  string
	Category  string
	Note      string // what the range is, in words
}

// SensitiveRanges is the code-range table the categories are derived from. Rows are
// read in order and the first match wins, so narrower ranges (F64 gender identity,
// F10–F19 substance use) come before the wide ones they sit in (F01–F99).
// ICD-10-CM chapter and block titles are public-domain CMS data; CPT codes are named in
// our own words.
var SensitiveRanges = []SensitiveRange{
	// Gender-affirming care.
	{true, "F64", "F64", SensitiveGenderAffirming, "Gender identity disorders / gender dysphoria"},
	{true, "Z87890", "Z87890", SensitiveGenderAffirming, "Personal history of sex reassignment"},
	{false, "55970", "55980", SensitiveGenderAffirming, "Gender-affirming genital surgery"},
	// Substance use disorder.
	{true, "F10", "F19", SensitiveSubstanceUse, "Mental and behavioral disorders due to psychoactive substance use"},
	{true, "Z714", "Z714", SensitiveSubstanceUse, "Alcohol abuse counseling and surveillance"},
	{true, "Z715", "Z715", SensitiveSubstanceUse, "Drug abuse counseling and surveillance"},
	{true, "T40", "T40", SensitiveSubstanceUse, "Poisoning by narcotics and psychodysleptics"},
	{false, "99408", "99409", SensitiveSubstanceUse, "Alcohol or drug screening and brief intervention"},
	{false, "H0001", "H0030", SensitiveSubstanceUse, "Alcohol and drug services (HCPCS)"},
	{false, "H0047", "H0050", SensitiveSubstanceUse, "Alcohol and drug services (HCPCS)"},
	{false, "G2067", "G2088", SensitiveSubstanceUse, "Opioid treatment program services (HCPCS)"},
	{false, "J0571", "J0575", SensitiveSubstanceUse, "Buprenorphine (HCPCS)"},
	// Intimate partner violence (abuse, neglect and maltreatment).
	{true, "T74", "T74", SensitiveIPV, "Adult and child abuse, neglect and other maltreatment, confirmed"},
	{true, "T76", "T76", SensitiveIPV, "Adult and child abuse, neglect and other maltreatment, suspected"},
	{true, "Y07", "Y07", SensitiveIPV, "Perpetrator of assault, maltreatment and neglect"},
	{true, "Z69", "Z69", SensitiveIPV, "Mental health services for victim and perpetrator of abuse"},
	{true, "Z9141", "Z9141", SensitiveIPV, "Personal history of adult abuse"},
	// Sexually transmitted infections, HIV.
	{true, "A50", "A64", SensitiveSTI, "Infections with a predominantly sexual mode of transmission"},
	{true, "B20", "B20", SensitiveSTI, "Human immunodeficiency virus (HIV) disease"},
	{true, "Z21", "Z21", SensitiveSTI, "Asymptomatic HIV infection status"},
	{true, "Z113", "Z114", SensitiveSTI, "Screening for sexually transmitted infections and HIV"},
	{true, "Z202", "Z202", SensitiveSTI, "Contact with and exposure to sexually transmitted infections"},
	{true, "Z206", "Z206", SensitiveSTI, "Contact with and exposure to HIV"},
	{false, "86592", "86593", SensitiveSTI, "Syphilis test"},
	{false, "86701", "86703", SensitiveSTI, "HIV antibody test"},
	{false, "87389", "87391", SensitiveSTI, "HIV antigen test"},
	{false, "87490", "87492", SensitiveSTI, "Chlamydia test"},
	{false, "87590", "87592", SensitiveSTI, "Gonorrhea test"},
	{false, "87623", "87625", SensitiveSTI, "HPV test"},
	{false, "87661", "87661", SensitiveSTI, "Trichomonas test"},
	// Sexual and reproductive health.
	{true, "O00", "O9A", SensitiveReproductive, "Pregnancy, childbirth and the puerperium"},
	{true, "Z30", "Z39", SensitiveReproductive, "Contraception, procreation, pregnancy and postpartum care"},
	{true, "N96", "N98", SensitiveReproductive, "Recurrent pregnancy loss, infertility, complications of artificial fertilization"},
	{true, "N46", "N46", SensitiveReproductive, "Male infertility"},
	{false, "11981", "11983", SensitiveReproductive, "Contraceptive implant"},
	{false, "58300", "58301", SensitiveReproductive, "IUD insertion or removal"},
	{false, "58600", "58615", SensitiveReproductive, "Tubal sterilization"},
	{false, "59000", "59899", SensitiveReproductive, "Maternity care and delivery"},
	{false, "81025", "81025", SensitiveReproductive, "Urine pregnancy test"},
	{false, "84702", "84703", SensitiveReproductive, "hCG (pregnancy) test"},
	{false, "J7296", "J7307", SensitiveReproductive, "Contraceptive devices and implants (HCPCS)"},
	// Mental and behavioral health (after the narrower F codes above).
	{true, "F01", "F99", SensitiveMentalHealth, "Mental, behavioral and neurodevelopmental disorders"},
	{true, "R45851", "R45851", SensitiveMentalHealth, "Suicidal ideations"},
	{true, "Z133", "Z133", SensitiveMentalHealth, "Screening for mental health and behavioral disorders"},
	{false, "90785", "90899", SensitiveMentalHealth, "Psychiatric services and psychotherapy"},
	{false, "96130", "96139", SensitiveMentalHealth, "Psychological and neuropsychological testing"},
	{false, "99492", "99494", SensitiveMentalHealth, "Psychiatric collaborative care"},
	{false, "H0031", "H0046", SensitiveMentalHealth, "Mental health services (HCPCS)"},
	{false, "H2000", "H2037", SensitiveMentalHealth, "Behavioral health services (HCPCS)"},
}

// normCode is a code as the table compares it: upper case, without dots or spaces.
func normCode(c string) string {
	return strings.ToUpper(strings.NewReplacer(".", "", " ", "").Replace(strings.TrimSpace(c)))
}

// SensitiveCategoryOf is the category one code implies ("" for none).
func SensitiveCategoryOf(code string, diagnosis bool) string {
	c := normCode(code)
	if c == "" {
		return ""
	}
	for _, r := range SensitiveRanges {
		if r.Diagnosis != diagnosis || len(c) < len(r.From) {
			continue
		}
		p := c[:len(r.From)]
		if p >= r.From && p <= r.To {
			return r.Category
		}
	}
	return ""
}

// DeriveSensitive is the category of a record from its diagnosis codes and procedure
// codes: the first sensitive code wins, diagnoses before procedures; "" when none is.
func DeriveSensitive(diagnoses, procedures []string) string {
	for _, d := range diagnoses {
		if cat := SensitiveCategoryOf(d, true); cat != "" {
			return cat
		}
	}
	for _, p := range procedures {
		if cat := SensitiveCategoryOf(p, false); cat != "" {
			return cat
		}
	}
	return ""
}

// ConsentAge is the age from which a minor may consent to a category of services alone,
// under California law: Family Code §6924 and Health and Safety Code §124260 (outpatient
// mental health, 12), Family Code §6926 and H&S §121020 (sexually transmitted
// infections, 12), Family Code §6929 (substance use disorder, 12), Family Code §6930
// (intimate partner violence, 12), Family Code §6925 (pregnancy-related care, any age:
// 0). Gender-affirming medical care has no minor-consent statute (18); its counseling is
// outpatient mental health.
var ConsentAge = map[string]int{
	SensitiveMentalHealth:    12,
	SensitiveSTI:             12,
	SensitiveSubstanceUse:    12,
	SensitiveIPV:             12,
	SensitiveReproductive:    0,
	SensitiveGenderAffirming: 18,
}

// AgeOn is the age in whole years on date (both YYYY-MM-DD); -1 when either is not a date.
func AgeOn(dob, date string) int {
	b, err1 := time.Parse(DateFormat, dob)
	d, err2 := time.Parse(DateFormat, date)
	if err1 != nil || err2 != nil {
		return -1
	}
	age := d.Year() - b.Year()
	if d.Month() < b.Month() || (d.Month() == b.Month() && d.Day() < b.Day()) {
		age--
	}
	return age
}

// MayConsent tells whether a member born on dob may, on date, consent alone to services
// of the category (and so never needs the subscriber's authorization to receive or claim
// them). Adults always may.
func MayConsent(cat, dob, date string) bool {
	age := AgeOn(dob, date)
	if age < 0 {
		return false
	}
	if age >= 18 {
		return true
	}
	min, ok := ConsentAge[cat]
	return ok && age >= min
}

// The SQL function sensitive_category (db/sqlfuncs.go) derives with this table.
func init() { db.SensitiveCategory = DeriveSensitive }

// MinorConsent lists, in words, the categories a minor born on dob may consent to alone
// on date (nil for adults and for a date that cannot be read): the care team's note
// that no parent's or subscriber's authorization is needed for them.
func MinorConsent(dob, date string) []string {
	age := AgeOn(dob, date)
	if age < 0 || age >= 18 {
		return nil
	}
	var out []string
	for _, cat := range SensitiveCategories {
		if MayConsent(cat, dob, date) {
			out = append(out, SensitiveLabel(cat))
		}
	}
	return out
}

package models

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestSensitiveDerivationOnKnownCodes(t *testing.T) {
	cases := []struct {
		dx, proc []string
		want     string
	}{
		{[]string{"F32.9"}, nil, SensitiveMentalHealth},
		{[]string{"F41.1"}, nil, SensitiveMentalHealth},
		{[]string{"F11.20"}, nil, SensitiveSubstanceUse},
		{[]string{"F64.0"}, nil, SensitiveGenderAffirming},
		{[]string{"Z11.3"}, nil, SensitiveSTI},
		{[]string{"A54.9"}, nil, SensitiveSTI},
		{[]string{"B20"}, nil, SensitiveSTI},
		{[]string{"O80"}, nil, SensitiveReproductive},
		{[]string{"Z30.011"}, nil, SensitiveReproductive},
		{[]string{"T74.11XA"}, nil, SensitiveIPV},
		{[]string{"I10", "E11.9"}, []string{"99213"}, SensitiveNone},
		{[]string{"Z00.129"}, nil, SensitiveNone},
		{nil, []string{"90834"}, SensitiveMentalHealth},
		{nil, []string{"87491"}, SensitiveSTI},
		{nil, []string{"H0020"}, SensitiveSubstanceUse},
		{nil, []string{"59400"}, SensitiveReproductive},
		{nil, []string{"j7300"}, SensitiveReproductive},
		{nil, []string{"97110"}, SensitiveNone},
		// diagnoses first: an office visit for depression is mental health
		{[]string{"I10", "F33.1"}, []string{"99213"}, SensitiveMentalHealth},
		// a procedure code never matches a diagnosis range (F-range vs CPT)
		{nil, []string{"F32"}, SensitiveNone},
	}
	for _, c := range cases {
		if got := DeriveSensitive(c.dx, c.proc); got != c.want {
			t.Errorf("DeriveSensitive(%v, %v) = %q, want %q", c.dx, c.proc, got, c.want)
		}
	}
}

func TestRequestDueDatesAtTheirEdges(t *testing.T) {
	cases := []struct{ channel, received, due string }{
		{ChannelElectronic, "2026-11-27", "2026-12-04"},
		{ChannelPhone, "2026-12-28", "2027-01-04"},      // over the year end
		{ChannelMail, "2026-11-27", "2026-12-11"},       // 14 calendar days
		{ChannelMail, "2028-02-20", "2028-03-05"},       // over a leap day
		{ChannelElectronic, "2026-03-03", "2026-03-10"}, // over the DST change: calendar days
	}
	for _, c := range cases {
		got, err := RequestDueOn(c.channel, c.received)
		if err != nil || got != c.due {
			t.Errorf("RequestDueOn(%s, %s) = %s, %v; want %s", c.channel, c.received, got, err, c.due)
		}
	}
	r := &ConfidentialRequest{Status: RequestOpen, DueOn: "2026-12-04"}
	if r.Overdue("2026-12-04") || r.StatusLabel("2026-12-04") != "Due" {
		t.Error("a request is not overdue on its due date")
	}
	if !r.Overdue("2026-12-05") || r.StatusLabel("2026-12-05") != "Overdue" {
		t.Error("a request is overdue the day after its due date")
	}
	r.Status = RequestCompleted
	if r.Overdue("2027-01-01") {
		t.Error("a completed request is never overdue")
	}
	if _, err := RequestDueOn(ChannelMail, "11/27/2026"); err == nil {
		t.Error("a date not in ISO form is refused")
	}
}

func TestWithholdRule(t *testing.T) {
	const subscriber = 2
	minor := &PrivacySubject{PK: 1, DOB: "2010-07-02"}
	child := &PrivacySubject{PK: 3, DOB: "2020-01-01"}
	withReq := &PrivacySubject{PK: 4, DOB: "2018-01-01", Request: &ConfidentialRequest{Scope: ScopeSensitive}}
	allReq := &PrivacySubject{PK: 5, DOB: "1990-01-01", Request: &ConfidentialRequest{Scope: ScopeAll}}
	on := "2026-11-02"
	cases := []struct {
		name string
		s    *PrivacySubject
		cat  string
		to   int64
		want bool
	}{
		{"15-year-old's therapy is withheld from the subscriber (minor consent)", minor, SensitiveMentalHealth, subscriber, true},
		{"15-year-old's well-child visit is shown", minor, SensitiveNone, subscriber, false},
		{"the member's own EOB shows everything", minor, SensitiveMentalHealth, minor.PK, false},
		{"6-year-old's therapy (below the age of consent, no request) is shown", child, SensitiveMentalHealth, subscriber, false},
		{"6-year-old's pregnancy-related care: any age consents", child, SensitiveReproductive, subscriber, true},
		{"with a request, sensitive items are withheld at any age", withReq, SensitiveMentalHealth, subscriber, true},
		{"with a sensitive-only request, other items are shown", withReq, SensitiveNone, subscriber, false},
		{"with an all-communications request, everything is withheld", allReq, SensitiveNone, subscriber, true},
	}
	for _, c := range cases {
		if got := Withhold(c.s, c.cat, on, c.to); got != c.want {
			t.Errorf("%s: Withhold = %v, want %v", c.name, got, c.want)
		}
	}
	if !MayConsent(SensitiveSTI, "2010-07-02", "2026-11-02") || MayConsent(SensitiveSTI, "2014-11-03", "2026-11-02") ||
		!MayConsent(SensitiveSTI, "2014-11-02", "2026-11-02") {
		t.Error("the age of consent (12) starts on the 12th birthday")
	}
}

func TestMinorConsentList(t *testing.T) {
	got := MinorConsent("2010-07-02", "2026-11-02") // James Smith Jr., 16
	want := []string{"Mental or behavioral health", "Sexual and reproductive health", "Sexually transmitted infection", "Substance use disorder", "Intimate partner violence"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("MinorConsent = %v", got)
	}
	if got := MinorConsent("2016-01-01", "2026-11-02"); len(got) != 1 || got[0] != "Sexual and reproductive health" {
		t.Errorf("a 10-year-old: %v", got)
	}
	if MinorConsent("1979-01-20", "2026-11-02") != nil {
		t.Error("adults get no minor-consent note")
	}
}

// TestSQLPrefilterCoversTheTable: the cheap pre-filter of migration 0020's triggers
// passes every code the range table can match, so the triggers never miss one.
func TestSQLPrefilterCoversTheTable(t *testing.T) {
	b, err := os.ReadFile("../db/migrations/0020_privacy.sql")
	if err != nil {
		t.Fatal(err)
	}
	sqlText := string(b)
	for _, r := range SensitiveRanges {
		if r.Diagnosis {
			// the diagnosis filter: the first letter, and the second character for A B T Y N Z R
			c := r.From
			first := c[:1]
			switch first {
			case "F", "O":
				if !strings.Contains(sqlText, "GLOB '* [FO]*'") {
					t.Errorf("%s not passed", c)
				}
			default:
				found := false
				for _, pat := range regexp.MustCompile(`GLOB '\* ([A-Z])(\[[0-9]+\]|[0-9])\*'`).FindAllStringSubmatch(sqlText, -1) {
					if pat[1] != first {
						continue
					}
					set := strings.Trim(pat[2], "[]")
					if strings.Contains(set, c[1:2]) && strings.Contains(set, r.To[1:2]) {
						found = true
					}
				}
				if !found {
					t.Errorf("diagnosis range %s–%s is not passed by the SQL pre-filter", r.From, r.To)
				}
			}
			continue
		}
		// procedures: every three-character prefix between From and To
		for p := r.From[:3]; p <= r.To[:3]; p = nextPrefix(p) {
			if !strings.Contains(sqlText, "'"+p+"'") {
				t.Errorf("procedure prefix %s (%s–%s) is not passed by the SQL pre-filter", p, r.From, r.To)
			}
			if p == r.To[:3] {
				break
			}
		}
	}
}

func nextPrefix(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return string(b) + "0"
}

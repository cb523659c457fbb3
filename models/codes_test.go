package models

import (
	"regexp"
	"strings"
	"testing"
)

func TestCodeListsShipped(t *testing.T) {
	icd, hcpcs, cpt := CodeCounts()
	if icd < 1500 {
		t.Errorf("ICD-10-CM codes shipped = %d, want at least 1,500", icd)
	}
	if hcpcs < 500 {
		t.Errorf("HCPCS codes shipped = %d, want at least 500", hcpcs)
	}
	if cpt < 40 {
		t.Errorf("CPT plain-language names = %d, want at least 40", cpt)
	}
	// Every chapter the brief names is present.
	for _, prefix := range []string{"A5", "A6", "C", "E11", "F3", "F4", "I", "J", "M5", "O", "R", "S8", "Z"} {
		if len(SearchCodes(SearchDiagnosis, prefix, 1)) == 0 {
			t.Errorf("no ICD-10-CM code starts with %s", prefix)
		}
	}
	for _, prefix := range []string{"A", "E", "G", "J", "K", "L"} {
		if len(SearchCodes(SearchProcedure, prefix, 1)) == 0 {
			t.Errorf("no HCPCS code starts with %s", prefix)
		}
	}
}

func TestCodeFileShape(t *testing.T) {
	icdRe := regexp.MustCompile(`^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$`)
	hcpcsRe := regexp.MustCompile(`^[A-V][0-9]{4}$`)
	check := func(name, data string, re *regexp.Regexp) {
		seen := map[string]bool{}
		for i, line := range strings.Split(strings.TrimSpace(data), "\n")[1:] {
			code, title, ok := strings.Cut(line, "\t")
			if !ok || title == "" || strings.Contains(title, "\t") {
				t.Errorf("%s line %d: want code<TAB>title, got %q", name, i+2, line)
				continue
			}
			if !re.MatchString(code) {
				t.Errorf("%s line %d: bad code %q", name, i+2, code)
			}
			if seen[code] {
				t.Errorf("%s line %d: duplicate code %s", name, i+2, code)
			}
			seen[code] = true
		}
	}
	check("icd10cm.tsv", icd10cmTSV, icdRe)
	check("hcpcs.tsv", hcpcsTSV, hcpcsRe)
}

func TestDiagnosisNormalised(t *testing.T) {
	for _, in := range []string{"E11.9", "e119", " E11.9 ", "E 11 9"} {
		c, ok := Diagnosis(in)
		if !ok || c.Code != "E11.9" || c.Title != "Type 2 diabetes mellitus without complications" {
			t.Errorf("Diagnosis(%q) = %+v, %v", in, c, ok)
		}
	}
	if c, ok := Diagnosis("I10"); !ok || c.Code != "I10" {
		t.Errorf("I10 (three characters, no dot) = %+v, %v", c, ok)
	}
	if c, ok := Diagnosis("m5416"); !ok || c.Code != "M54.16" || c.Title != "Radiculopathy, lumbar region" {
		t.Errorf("m5416 = %+v, %v", c, ok)
	}
	for _, bad := range []string{"", "E11", "ZZZ.9", "E11.9'; drop", "72148", "E0601", strings.Repeat("A", 40)} {
		if c, ok := Diagnosis(bad); ok {
			t.Errorf("Diagnosis(%q) accepted: %+v", bad, c)
		}
	}
	if NormalizeDiagnosis("f32a") != "F32.A" {
		t.Errorf("NormalizeDiagnosis(f32a) = %q", NormalizeDiagnosis("f32a"))
	}
}

func TestDiagnosisProblemMessages(t *testing.T) {
	if p := DiagnosisProblem("E11.9"); p != "" {
		t.Errorf("known code refused: %s", p)
	}
	if p := DiagnosisProblem(""); !strings.Contains(p, "Enter") {
		t.Errorf("empty: %q", p)
	}
	if p := DiagnosisProblem("99999"); !strings.Contains(p, "not an ICD-10-CM code") {
		t.Errorf("wrong shape: %q", p)
	}
	if p := DiagnosisProblem("E11.999"); !strings.Contains(p, "E11.999 is not on the plan's ICD-10-CM list") {
		t.Errorf("unknown: %q", p)
	}
}

func TestLookupProcedure(t *testing.T) {
	c, ok := LookupProcedure("e0601")
	if !ok || c.Kind != CodeHCPCS || c.Code != "E0601" || c.Title != "Cont airway pressure device" {
		t.Errorf("E0601 = %+v, %v", c, ok)
	}
	c, ok = LookupProcedure("72148")
	if !ok || c.Kind != CodeCPT || !c.Named || !strings.Contains(c.Title, "MRI of the lower back") {
		t.Errorf("72148 = %+v, %v", c, ok)
	}
	// Valid CPT by format, not in our short list: accepted, and says it has no name here.
	c, ok = LookupProcedure("12345")
	if !ok || c.Kind != CodeCPT || c.Named {
		t.Errorf("12345 = %+v, %v", c, ok)
	}
	for _, in := range []string{"0001F", "0042t"} {
		if _, ok := LookupProcedure(in); !ok {
			t.Errorf("%s (Category II/III) refused", in)
		}
	}
	for _, bad := range []string{"", "1234", "123456", "00000", "E9999", "W1234", "1234X", "ABCDE", "E11.9"} {
		if c, ok := LookupProcedure(bad); ok {
			t.Errorf("LookupProcedure(%q) accepted: %+v", bad, c)
		}
	}
	if p := ProcedureProblem("E9999"); !strings.Contains(p, "not on the plan's HCPCS Level II list") {
		t.Errorf("unknown HCPCS: %q", p)
	}
	if p := ProcedureProblem("12"); !strings.Contains(p, "not a CPT or HCPCS code") {
		t.Errorf("bad shape: %q", p)
	}
}

func TestSearchCodes(t *testing.T) {
	got := SearchCodes(SearchDiagnosis, "E11.6", 50)
	if len(got) < 5 {
		t.Fatalf("prefix E11.6 found %d", len(got))
	}
	for _, c := range got {
		if !strings.HasPrefix(c.Code, "E11.6") {
			t.Errorf("prefix search returned %s", c.Code)
		}
	}
	got = SearchCodes(SearchDiagnosis, "low back", 10)
	found := false
	for _, c := range got {
		if c.Code == "M54.50" {
			found = true
		}
	}
	if !found {
		t.Errorf("words 'low back' did not find M54.50: %+v", got)
	}
	if got := SearchCodes(SearchDiagnosis, "chlamyd", 3); len(got) != 3 {
		t.Errorf("limit not kept: %d", len(got))
	}
	got = SearchCodes(SearchProcedure, "wheelchair", 200)
	if len(got) < 20 {
		t.Errorf("wheelchair found %d", len(got))
	}
	got = SearchCodes(SearchProcedure, "mri lower back", 10)
	if len(got) == 0 || got[0].Code != "72148" {
		t.Errorf("plain-language CPT name search: %+v", got)
	}
	if got := SearchCodes("nonsense", "E11", 5); got != nil {
		t.Errorf("unknown scope answered %+v", got)
	}
	if got := SearchCodes(SearchDiagnosis, `"*():`, 5); len(got) != 0 {
		t.Errorf("punctuation found %+v", got)
	}
	// Search words are plain words, never operators: "AND" finds titles with "and".
	if got := SearchCodes(SearchDiagnosis, `gonococcal AND "anus"`, 5); len(got) != 1 || got[0].Code != "A54.6" {
		t.Errorf("operator-looking words: %+v", got)
	}
}

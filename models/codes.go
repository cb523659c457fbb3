package models

import (
	_ "embed"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// The code lists that requests and claims validate against. ICD-10-CM and HCPCS Level II
// titles are public-domain CMS data and ship in models/data as code<TAB>title files. CPT
// descriptors are licensed by the AMA and are never shipped: a CPT code is validated by its
// format, and the names shown for the common ones are short plain-language names written by
// the project (cptNames below).

//go:embed data/icd10cm.tsv
var icd10cmTSV string

//go:embed data/hcpcs.tsv
var hcpcsTSV string

// CodeKind names a code set.
type CodeKind string

// The code sets Portico knows.
const (
	CodeICD10CM CodeKind = "ICD-10-CM"
	CodeHCPCS   CodeKind = "HCPCS"
	CodeCPT     CodeKind = "CPT"
)

// Search scopes for SearchCodes.
const (
	SearchDiagnosis = "diagnosis" // ICD-10-CM
	SearchProcedure = "procedure" // HCPCS Level II and the CPT codes with a plain-language name
)

// Code is one diagnosis or procedure code with the title shown beside it.
type Code struct {
	Kind  CodeKind
	Code  string // display form: ICD-10-CM with its dot (E11.9), procedures as written (72148, E0601)
	Title string
	// Named is false for a CPT code that is valid by format but has no plain-language name
	// in the plan's short list; Title then says so.
	Named bool
}

// Label is "code — title" for lists and letters.
func (c Code) Label() string { return c.Code + " — " + c.Title }

// cptNames are short plain-language names written for Portico (not AMA descriptors) for
// the CPT codes offices request most often.
var cptNames = map[string]string{
	"20610": "Draining or injecting a large joint",
	"22612": "Lower back fusion from behind, one level",
	"27130": "Hip replacement",
	"27447": "Knee replacement",
	"29827": "Shoulder scope, rotator cuff repair",
	"29880": "Knee scope, meniscus trimmed on both sides",
	"29881": "Knee scope, meniscus trimmed on one side",
	"29882": "Knee scope, meniscus repaired on one side",
	"29888": "Knee scope, ACL rebuilt",
	"36415": "Blood draw from a vein",
	"43239": "Upper GI scope with biopsy",
	"43644": "Gastric bypass by laparoscope",
	"43770": "Adjustable gastric band by laparoscope",
	"43775": "Sleeve gastrectomy by laparoscope",
	"45378": "Colonoscopy, looking only",
	"45380": "Colonoscopy with biopsy",
	"58571": "Hysterectomy by laparoscope",
	"59400": "Pregnancy care and vaginal delivery, whole episode",
	"59510": "Pregnancy care and cesarean delivery, whole episode",
	"62323": "Lower back epidural injection with imaging",
	"63030": "Lower back disc surgery, one level",
	"64483": "Nerve root injection, lower back, with imaging",
	"66984": "Cataract surgery with lens implant",
	"70450": "CT of the head, no contrast",
	"70460": "CT of the head with contrast",
	"70470": "CT of the head without and then with contrast",
	"70551": "MRI of the brain, no contrast",
	"70553": "MRI of the brain without and then with contrast",
	"71250": "CT of the chest, no contrast",
	"72141": "MRI of the neck spine, no contrast",
	"72148": "MRI of the lower back, no contrast",
	"72149": "MRI of the lower back with contrast",
	"72158": "MRI of the lower back without and then with contrast",
	"73221": "MRI of a shoulder joint, no contrast",
	"73721": "MRI of a knee joint, no contrast",
	"74177": "CT of belly and pelvis with contrast",
	"76805": "Pregnancy ultrasound after the first trimester",
	"77067": "Screening mammogram, both sides",
	"78452": "Heart stress imaging, nuclear, several views",
	"80053": "Metabolic blood panel, full",
	"85025": "Blood count with differential",
	"90791": "Psychiatric diagnostic evaluation",
	"90832": "Psychotherapy, about 30 minutes",
	"90834": "Psychotherapy, about 45 minutes",
	"90837": "Psychotherapy, about 60 minutes",
	"93306": "Heart ultrasound, complete",
	"95800": "Sleep study at home, unattended",
	"95810": "Sleep study overnight in a lab",
	"95811": "Sleep study in a lab with CPAP set-up",
	"97110": "Therapeutic exercise, each 15 minutes",
	"97112": "Balance and coordination training, each 15 minutes",
	"97116": "Walking training, each 15 minutes",
	"97140": "Hands-on therapy, each 15 minutes",
	"97151": "Behavior assessment (ABA)",
	"97153": "Behavior treatment by a technician (ABA), each 15 minutes",
	"97161": "Physical therapy evaluation, low complexity",
	"97162": "Physical therapy evaluation, moderate complexity",
	"97163": "Physical therapy evaluation, high complexity",
	"97530": "Functional activities therapy, each 15 minutes",
	"99203": "New patient office visit, low complexity",
	"99204": "New patient office visit, moderate complexity",
	"99213": "Office visit, established patient, low complexity",
	"99214": "Office visit, established patient, moderate complexity",
}

type codeEntry struct {
	Code
	key   string   // normalised code (no dot, upper case)
	words []string // lower-case title words, for word-prefix search
}

type codeIndex struct {
	byKey     map[string]int
	entries   []codeEntry
	diagnosis []int // indexes of ICD-10-CM entries, sorted by key
	procedure []int // HCPCS and named CPT, sorted by key
}

var (
	codesOnce sync.Once
	codes     *codeIndex
)

func codeIdx() *codeIndex {
	codesOnce.Do(func() { codes = buildCodeIndex() })
	return codes
}

func buildCodeIndex() *codeIndex {
	ix := &codeIndex{byKey: map[string]int{}}
	add := func(kind CodeKind, code, title string, named bool) {
		key := codeKey(code)
		if key == "" || title == "" {
			return
		}
		// ICD-10-CM and procedure codes never collide (an ICD code has a letter then two
		// digits and at least three characters after; HCPCS is letter + 4 digits; CPT is
		// 5 characters starting with a digit), but the key carries the kind to be safe.
		mapKey := string(kind) + ":" + key
		if _, dup := ix.byKey[mapKey]; dup {
			return
		}
		e := codeEntry{Code: Code{Kind: kind, Code: code, Title: title, Named: named}, key: key, words: titleWords(title)}
		ix.byKey[mapKey] = len(ix.entries)
		ix.entries = append(ix.entries, e)
	}
	eachTSV(icd10cmTSV, func(code, title string) { add(CodeICD10CM, displayICD(codeKey(code)), title, true) })
	eachTSV(hcpcsTSV, func(code, title string) { add(CodeHCPCS, codeKey(code), title, true) })
	for code, name := range cptNames {
		add(CodeCPT, code, name, true)
	}
	for i, e := range ix.entries {
		if e.Kind == CodeICD10CM {
			ix.diagnosis = append(ix.diagnosis, i)
		} else {
			ix.procedure = append(ix.procedure, i)
		}
	}
	byKey := func(list []int) {
		sort.Slice(list, func(a, b int) bool { return ix.entries[list[a]].key < ix.entries[list[b]].key })
	}
	byKey(ix.diagnosis)
	byKey(ix.procedure)
	return ix
}

func eachTSV(data string, fn func(code, title string)) {
	for i, line := range strings.Split(data, "\n") {
		line = strings.TrimRight(line, "\r")
		if i == 0 || line == "" || strings.HasPrefix(line, "#") {
			continue // header row
		}
		code, title, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		fn(strings.TrimSpace(code), strings.TrimSpace(title))
	}
}

func titleWords(title string) []string {
	return strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// codeKey normalises a typed code: upper case, without dots, spaces or dashes
// ("e11.9" and "E119" both give "E119").
func codeKey(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == '.' || r == ' ' || r == '-' || r == '\t':
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToUpper(r))
		default:
			return "" // anything else is not a code
		}
	}
	if b.Len() > 8 {
		return ""
	}
	return b.String()
}

// displayICD puts the dot back after the category (E119 → E11.9).
func displayICD(key string) string {
	if len(key) <= 3 {
		return key
	}
	return key[:3] + "." + key[3:]
}

// NormalizeDiagnosis gives the display form of a typed ICD-10-CM code (with its dot,
// upper case), whether or not it is on the list; "" when it cannot be a code at all.
func NormalizeDiagnosis(s string) string {
	k := codeKey(s)
	if k == "" {
		return ""
	}
	return displayICD(k)
}

// NormalizeProcedure gives the canonical form of a typed CPT or HCPCS code.
func NormalizeProcedure(s string) string { return codeKey(s) }

// Diagnosis finds an ICD-10-CM code on the shipped list, with or without its dot.
func Diagnosis(code string) (Code, bool) {
	ix := codeIdx()
	i, ok := ix.byKey[string(CodeICD10CM)+":"+codeKey(code)]
	if !ok {
		return Code{}, false
	}
	return ix.entries[i].Code, true
}

// IsCPTFormat tells whether s has the shape of a CPT code: five digits (Category I), or
// four digits followed by F (Category II) or T (Category III).
func IsCPTFormat(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	last := s[4]
	return (last >= '0' && last <= '9') || last == 'F' || last == 'T'
}

// isHCPCSFormat: a letter A–V followed by four digits.
func isHCPCSFormat(s string) bool {
	if len(s) != 5 || s[0] < 'A' || s[0] > 'V' {
		return false
	}
	for i := 1; i < 5; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// LookupProcedure finds a procedure code: a HCPCS Level II code must be on the shipped
// list; a CPT code is accepted by format, named from the plan's short list when it is there.
func LookupProcedure(code string) (Code, bool) {
	k := codeKey(code)
	ix := codeIdx()
	if i, ok := ix.byKey[string(CodeHCPCS)+":"+k]; ok {
		return ix.entries[i].Code, true
	}
	if IsCPTFormat(k) {
		if k == "00000" {
			return Code{}, false
		}
		if i, ok := ix.byKey[string(CodeCPT)+":"+k]; ok {
			return ix.entries[i].Code, true
		}
		title := "CPT procedure"
		switch k[4] {
		case 'F':
			title = "CPT Category II performance measure"
		case 'T':
			title = "CPT Category III emerging technology"
		}
		return Code{Kind: CodeCPT, Code: k, Title: title, Named: false}, true
	}
	return Code{}, false
}

// DiagnosisProblem explains why a typed diagnosis code is refused ("" when it is fine).
func DiagnosisProblem(code string) string {
	if strings.TrimSpace(code) == "" {
		return "Enter an ICD-10-CM diagnosis code."
	}
	if _, ok := Diagnosis(code); ok {
		return ""
	}
	k := codeKey(code)
	if k == "" || len(k) < 3 || k[0] < 'A' || k[0] > 'Z' || k[1] < '0' || k[1] > '9' {
		return "This is not an ICD-10-CM code: it starts with a letter and a digit, like E11.9."
	}
	return "Code " + displayICD(k) + " is not on the plan's ICD-10-CM list. Check the code, or search by words."
}

// ProcedureProblem explains why a typed procedure code is refused ("" when it is fine).
func ProcedureProblem(code string) string {
	if strings.TrimSpace(code) == "" {
		return "Enter a CPT or HCPCS procedure code."
	}
	if _, ok := LookupProcedure(code); ok {
		return ""
	}
	k := codeKey(code)
	if isHCPCSFormat(k) {
		return "Code " + k + " is not on the plan's HCPCS Level II list. Check the code, or search by words."
	}
	return "This is not a CPT or HCPCS code: CPT is five digits (or four digits and F or T), HCPCS is a letter and four digits."
}

// SearchCodes finds codes of one scope (SearchDiagnosis or SearchProcedure) whose code
// starts with q, or whose title has a word starting with each word of q; at most limit,
// code matches first, then in code order.
func SearchCodes(scope, q string, limit int) []Code {
	ix := codeIdx()
	var list []int
	switch scope {
	case SearchDiagnosis:
		list = ix.diagnosis
	case SearchProcedure:
		list = ix.procedure
	default:
		return nil
	}
	q = strings.TrimSpace(q)
	if q == "" || limit <= 0 {
		return nil
	}
	if len(q) > 100 {
		q = q[:100]
	}
	var out []Code
	// 1. code prefix (binary search on the sorted keys)
	if k := codeKey(q); k != "" {
		start := sort.Search(len(list), func(i int) bool { return ix.entries[list[i]].key >= k })
		for i := start; i < len(list) && len(out) < limit; i++ {
			e := ix.entries[list[i]]
			if !strings.HasPrefix(e.key, k) {
				break
			}
			out = append(out, e.Code)
		}
		if len(out) > 0 {
			return out
		}
	}
	// 2. every query word is the start of a title word
	words := titleWords(q)
	if len(words) == 0 {
		return out
	}
	for _, i := range list {
		e := ix.entries[i]
		if matchesWords(e.words, words) {
			out = append(out, e.Code)
			if len(out) >= limit {
				break
			}
		}
	}
	return out
}

func matchesWords(title, query []string) bool {
	for _, q := range query {
		found := false
		for _, w := range title {
			if strings.HasPrefix(w, q) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// CodeCounts tells how many ICD-10-CM, HCPCS and named CPT codes are shipped.
func CodeCounts() (icd, hcpcs, cpt int) {
	for _, e := range codeIdx().entries {
		switch e.Kind {
		case CodeICD10CM:
			icd++
		case CodeHCPCS:
			hcpcs++
		case CodeCPT:
			cpt++
		}
	}
	return
}

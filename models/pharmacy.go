package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"portico/db"
)

// Drug lists: the plan's preferred drug lists (PDL) for Commercial and Medicare/DSNP,
// and the state's Medi-Cal Rx contract drug list (CDL) for Medi-Cal.
const (
	DrugListCommercial = "commercial"
	DrugListMedicare   = "medicare"
	DrugListMediCalCDL = "medi-cal-cdl"
)

// DrugLists lists every drug list in the order screens show them.
var DrugLists = []string{DrugListCommercial, DrugListMedicare, DrugListMediCalCDL}

// ValidDrugList tells whether list names a drug list.
func ValidDrugList(list string) bool {
	return list == DrugListCommercial || list == DrugListMedicare || list == DrugListMediCalCDL
}

// DrugListFor names the list that applies to a plan type: the plan's PDL for
// Commercial and Medicare/DSNP, the state's Medi-Cal Rx CDL for Medi-Cal.
func DrugListFor(planType string) string {
	switch planType {
	case PlanCommercial:
		return DrugListCommercial
	case PlanMedicare:
		return DrugListMedicare
	}
	return DrugListMediCalCDL
}

// DrugListLabel names a list in words.
func DrugListLabel(list string) string {
	switch list {
	case DrugListCommercial:
		return "Commercial preferred drug list"
	case DrugListMedicare:
		return "Medicare/DSNP preferred drug list"
	case DrugListMediCalCDL:
		return "Medi-Cal Rx Contract Drug List"
	}
	return list
}

// TierLabel names a tier of a list's PDL. The Medi-Cal Rx CDL has no tiers.
func TierLabel(list string, tier int) string {
	if list == DrugListMedicare {
		switch tier {
		case 1:
			return "1 · Preferred generic"
		case 2:
			return "2 · Generic"
		case 3:
			return "3 · Preferred brand"
		case 4:
			return "4 · Non-preferred drug"
		case 5:
			return "5 · Specialty"
		}
	}
	if list == DrugListCommercial {
		switch tier {
		case 1:
			return "1 · Preferred generic"
		case 2:
			return "2 · Preferred brand"
		case 3:
			return "3 · Non-preferred"
		case 4:
			return "4 · Specialty"
		}
	}
	return ""
}

// MaxTier is the highest tier of a list (0 for the CDL, which has none).
func MaxTier(list string) int {
	switch list {
	case DrugListCommercial:
		return 4
	case DrugListMedicare:
		return 5
	}
	return 0
}

// ChangeMarkerDays is how long offices see a drug marked as added or changed.
const ChangeMarkerDays = 90

// Drug is one entry (name, strength and form) of a drug list version.
type Drug struct {
	ID            int64
	Key           string
	GenericName   string
	BrandName     string
	Strength      string
	Form          string
	Class         string
	Tier          int
	PriorAuth     bool
	StepTherapy   bool
	QuantityLimit string
	Specialty     bool
	Change        string // "", "added", "changed"
	ChangeDetail  string
	ChangedOn     string // ISO date of the version that added or changed it
	// Marked is set when the change is recent enough (90 days) to show.
	Marked bool
}

// DrugKey identifies the same drug across versions: generic name, strength and form,
// folded to lower case with single spaces.
func DrugKey(generic, strength, form string) string {
	f := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
	return f(generic) + "|" + f(strength) + "|" + f(form)
}

// FormularyVersion is one published version of a drug list.
type FormularyVersion struct {
	ID          int64
	List        string
	Version     string
	EffectiveOn string
	PublishedAt string
	Drugs       int
	Added       int
	Removed     int
	Changed     int
}

// RemovedDrug is a drug that a recent version took off the list.
type RemovedDrug struct {
	GenericName, BrandName, Strength, Form string
	RemovedOn                              string
}

// Formulary reads and writes the drug lists.
type Formulary struct{ DB *db.DB }

// Current is the version of list in force on day (the latest effective on or before
// it); ErrNotFound when the list has none yet.
func (s Formulary) Current(ctx context.Context, list string, day time.Time) (*FormularyVersion, error) {
	st, err := s.DB.Prepared(ctx, s.DB.R, `SELECT id, list, version, effective_on, published_at, drugs, added, removed, changed
		FROM formulary_versions WHERE list = ? AND effective_on <= ? ORDER BY effective_on DESC, id DESC LIMIT 1`)
	if err != nil {
		return nil, fmt.Errorf("formulary current: %w", err)
	}
	v, err := scanVersion(st.QueryRowContext(ctx, list, day.Format(DateFormat)))
	if err != nil {
		return nil, fmt.Errorf("formulary current: %w", err)
	}
	return v, nil
}

// Upcoming is the next version of list published to take effect after day, or
// ErrNotFound: offices are told of a change before it applies.
func (s Formulary) Upcoming(ctx context.Context, list string, day time.Time) (*FormularyVersion, error) {
	st, err := s.DB.Prepared(ctx, s.DB.R, `SELECT id, list, version, effective_on, published_at, drugs, added, removed, changed
		FROM formulary_versions WHERE list = ? AND effective_on > ? ORDER BY effective_on, id LIMIT 1`)
	if err != nil {
		return nil, fmt.Errorf("formulary upcoming: %w", err)
	}
	v, err := scanVersion(st.QueryRowContext(ctx, list, day.Format(DateFormat)))
	if err != nil {
		return nil, fmt.Errorf("formulary upcoming: %w", err)
	}
	return v, nil
}

func scanVersion(row interface{ Scan(...any) error }) (*FormularyVersion, error) {
	var v FormularyVersion
	err := row.Scan(&v.ID, &v.List, &v.Version, &v.EffectiveOn, &v.PublishedAt, &v.Drugs, &v.Added, &v.Removed, &v.Changed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &v, err
}

// Versions lists every version of every list, newest first (the editor's page).
func (s Formulary) Versions(ctx context.Context) ([]FormularyVersion, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, list, version, effective_on, published_at, drugs, added, removed, changed
		FROM formulary_versions ORDER BY effective_on DESC, id DESC LIMIT 200`)
	if err != nil {
		return nil, fmt.Errorf("formulary versions: %w", err)
	}
	defer rows.Close()
	var out []FormularyVersion
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("formulary versions: %w", err)
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// DrugQuery is a search of one version: name words, tier and flag filters, a page.
type DrugQuery struct {
	VersionID int64
	List      string
	Text      string // what the user typed; empty lists the whole version
	Tier      int    // 0 = any
	Flag      string // "", "pa", "st", "ql", "specialty", "changed"
	Page      int
	PerPage   int    // 0 = every row (CSV, print)
	Today     string // ISO date, for the 90-day change markers
}

// DrugFlags are the filter choices by flag.
var DrugFlags = []struct{ Value, Label string }{
	{"", "Any"}, {"pa", "Prior authorization"}, {"st", "Step therapy"}, {"ql", "Quantity limit"},
	{"specialty", "Specialty"}, {"changed", "Changed in the last 90 days"},
}

// ValidDrugFlag tells whether f is one of DrugFlags.
func ValidDrugFlag(f string) bool {
	for _, x := range DrugFlags {
		if x.Value == f {
			return true
		}
	}
	return false
}

// DrugPage is one page of a drug search.
type DrugPage struct {
	Drugs        []Drug
	Total        int
	Page, Pages  int
	PerPage      int
	Approximate  bool // the text matched no name exactly; these are the nearest names
	MarkersSince string
}

// DrugSearchMaxLen is the longest search text accepted.
const DrugSearchMaxLen = 100

// DrugSearch is a search of a drug list as typed: the list, a brand or generic name, a
// tier and a flag. It comes from the URL (the lists are public documents, and a search
// is worth a bookmark); Validate checks it and DrugQuery turns it into the store's query.
type DrugSearch struct {
	List string `query:"list" form:"-" id:"rx-list" label:"the drug list"`
	Text string `query:"q" form:"-" id:"rx-q" label:"the drug name"`
	Tier string `query:"tier" form:"-" id:"rx-tier" label:"the tier"`
	Flag string `query:"flag" form:"-" id:"rx-flag" label:"the flag"`
	// DefaultList is searched when the URL names no list (an office user's plan type);
	// set before decoding.
	DefaultList string `query:"-" form:"-"`
}

// ListOrDefault is the list the search names, or DefaultList.
func (s *DrugSearch) ListOrDefault() string {
	if s.List == "" {
		return s.DefaultList
	}
	return s.List
}

// Validate checks the search against the lists, their tiers and the flags, with a
// message for each field that is wrong.
func (s *DrugSearch) Validate() FieldErrors {
	errs := FieldErrors{}
	list := s.ListOrDefault()
	if !ValidDrugList(list) {
		errs["rx-list"] = "Choose a drug list."
		list = DrugListCommercial
	}
	if utf8.RuneCountInString(s.Text) > DrugSearchMaxLen {
		errs["rx-q"] = fmt.Sprintf("Enter at most %d characters: a drug's brand or generic name.", DrugSearchMaxLen)
	}
	if s.Tier != "" {
		if t, err := strconv.Atoi(s.Tier); err != nil || t < 1 || t > MaxTier(list) {
			errs["rx-tier"] = "Choose a tier from the list."
		}
	}
	if !ValidDrugFlag(s.Flag) {
		errs["rx-flag"] = "Choose a flag from the list."
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// DrugQuery is the valid search as the store runs it: page of perPage rows (0: every
// row), with the change markers of today.
func (s *DrugSearch) DrugQuery(page, perPage int, today string) DrugQuery {
	tier, _ := strconv.Atoi(s.Tier)
	return DrugQuery{List: s.ListOrDefault(), Text: s.Text, Tier: tier, Flag: s.Flag, Page: page, PerPage: perPage, Today: today}
}

const drugCols = `d.id, d.drug_key, d.generic_name, d.brand_name, d.strength, d.form, d.drug_class, d.tier, d.prior_auth,
	d.step_therapy, d.quantity_limit, d.specialty, d.change, d.change_detail, d.changed_on`

func scanDrug(row interface{ Scan(...any) error }) (Drug, error) {
	var d Drug
	err := row.Scan(&d.ID, &d.Key, &d.GenericName, &d.BrandName, &d.Strength, &d.Form, &d.Class, &d.Tier, &d.PriorAuth,
		&d.StepTherapy, &d.QuantityLimit, &d.Specialty, &d.Change, &d.ChangeDetail, &d.ChangedOn)
	return d, err
}

// filterSQL is the WHERE clause of the tier and flag filters.
func (q DrugQuery) filterSQL(since string) (string, []any) {
	w := " AND d.version_id = ?"
	args := []any{q.VersionID}
	if q.Tier > 0 {
		w += " AND d.tier = ?"
		args = append(args, q.Tier)
	}
	switch q.Flag {
	case "pa":
		w += " AND d.prior_auth = 1"
	case "st":
		w += " AND d.step_therapy = 1"
	case "ql":
		w += " AND d.quantity_limit <> ''"
	case "specialty":
		w += " AND d.specialty = 1"
	case "changed":
		w += " AND d.change <> '' AND d.changed_on >= ?"
		args = append(args, since)
	}
	return w, args
}

// markersSince is the first day whose changes still carry a marker.
func markersSince(today string) string {
	t, err := time.Parse(DateFormat, today)
	if err != nil {
		return today
	}
	return t.AddDate(0, 0, -ChangeMarkerDays).Format(DateFormat)
}

// Search finds drugs of one version. Without text it lists the version by name. With
// text, names that contain every word come first, ranked by bm25; when none do, the
// names sharing most three-letter pieces with the text are offered instead, so that a
// misspelling ("atorvastatn") still finds the drug.
func (s Formulary) Search(ctx context.Context, q DrugQuery) (*DrugPage, error) {
	since := markersSince(q.Today)
	p := &DrugPage{Page: max(q.Page, 1), PerPage: q.PerPage, MarkersSince: since}
	words := searchWords(q.Text)
	where, args := q.filterSQL(since)
	var drugs []Drug
	var err error
	if len(words) == 0 {
		return s.list(ctx, q, p, where, args)
	} else {
		drugs, p.Approximate, err = s.searchText(ctx, words, where, args)
	}
	if err != nil {
		return nil, fmt.Errorf("drug search: %w", err)
	}
	for i := range drugs {
		drugs[i].Marked = drugs[i].Change != "" && drugs[i].ChangedOn >= since
	}
	p.Total = len(drugs)
	if q.PerPage <= 0 {
		p.Drugs, p.Pages = drugs, 1
		return p, nil
	}
	p.Pages = (p.Total + q.PerPage - 1) / q.PerPage
	from := (p.Page - 1) * q.PerPage
	if from < len(drugs) {
		p.Drugs = drugs[from:min(from+q.PerPage, len(drugs))]
	}
	return p, nil
}

// list pages through a version (or its filtered part) in name order, in SQL.
func (s Formulary) list(ctx context.Context, q DrugQuery, p *DrugPage, where string, args []any) (*DrugPage, error) {
	st, err := s.DB.Prepared(ctx, s.DB.R, "SELECT COUNT(*) FROM formulary_drugs d WHERE 1=1"+where)
	if err != nil {
		return nil, fmt.Errorf("drug list: %w", err)
	}
	if err := st.QueryRowContext(ctx, args...).Scan(&p.Total); err != nil {
		return nil, fmt.Errorf("drug list: %w", err)
	}
	query := "SELECT " + drugCols + " FROM formulary_drugs d WHERE 1=1" + where + " ORDER BY d.generic_name, d.strength, d.id"
	p.Pages = 1
	if q.PerPage > 0 {
		p.Pages = (p.Total + q.PerPage - 1) / q.PerPage
		query += " LIMIT ? OFFSET ?"
		args = append(args, q.PerPage, (p.Page-1)*q.PerPage)
	}
	drugs, err := s.queryDrugs(ctx, query, args)
	if err != nil {
		return nil, fmt.Errorf("drug list: %w", err)
	}
	for i := range drugs {
		drugs[i].Marked = drugs[i].Change != "" && drugs[i].ChangedOn >= p.MarkersSince
	}
	p.Drugs = drugs
	return p, nil
}

// queryDrugs runs a drug query on a statement prepared once per query text (the texts
// are a few dozen combinations of filters; parsing and planning them at every search
// cost more than running them).
func (s Formulary) queryDrugs(ctx context.Context, query string, args []any) ([]Drug, error) {
	st, err := s.DB.Prepared(ctx, s.DB.R, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Drug
	for rows.Next() {
		d, err := scanDrug(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// searchWords splits typed text into lower-case words of letters and digits.
func searchWords(text string) []string {
	if len(text) > DrugSearchMaxLen {
		text = text[:DrugSearchMaxLen]
	}
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// editSimilarity is 1 minus the optimal-string-alignment distance of a and b (edits,
// and swaps of two neighbouring letters) over the longer length.
func editSimilarity(a, b []rune) float64 {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return 0
	}
	prev2, prev, cur := make([]int, m+1), make([]int, m+1), make([]int, m+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		for j := 1; j <= m; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return 1 - float64(prev[m])/float64(max(n, m))
}

// nameWords is the words of a "generic brand" name pair, as runes (a few hundred names
// at most are compared, only when a search found nothing as typed).
func nameWords(generic, brand string) [][]rune {
	ws := searchWords(generic + " " + brand)
	out := make([][]rune, len(ws))
	for i, w := range ws {
		out[i] = []rune(w)
	}
	return out
}

// nameSimilarity is how well the typed words match the drug's names: for each word the
// best similarity with a word of the generic or brand name (a word that starts a name
// word counts fully), averaged over the typed words.
func nameSimilarity(words [][]rune, generic, brand string) float64 {
	names := nameWords(generic, brand)
	total := 0.0
	for _, w := range words {
		best := 0.0
		for _, nw := range names {
			if len(nw) >= len(w) && string(nw[:len(w)]) == string(w) {
				best = 1
				break
			}
			best = max(best, editSimilarity(w, nw))
		}
		total += best
	}
	return total / float64(len(words))
}

// fuzzyThreshold is how similar a near miss must be to the typed words.
const fuzzyThreshold = 0.75

// ftsQuery ranks the full-text matches first (a materialized CTE, so the MATCH runs
// once rather than once per drug of the version) and then applies the version and
// filters by primary key.
func ftsQuery(where, limit string) string {
	return "WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(formulary_fts, 10.0, 8.0, 1.0) AS score FROM formulary_fts WHERE formulary_fts MATCH ?) " +
		"SELECT " + drugCols + " FROM m JOIN formulary_drugs d ON d.id = m.id WHERE 1=1" + where +
		" ORDER BY m.score, d.generic_name, d.strength, d.id" + limit
}

func (s Formulary) searchText(ctx context.Context, words []string, where string, args []any) ([]Drug, bool, error) {
	// Exact: every word is a substring of a name (trigram MATCH for words of three or
	// more letters; shorter words are checked with instr below).
	var long, short []string
	for _, w := range words {
		if len([]rune(w)) >= 3 {
			long = append(long, ftsString(w))
		} else {
			short = append(short, w)
		}
	}
	var exact []Drug
	var err error
	if len(long) > 0 {
		exact, err = s.queryDrugs(ctx, ftsQuery(where, ""), append([]any{strings.Join(long, " ")}, args...))
	} else {
		exact, err = s.queryDrugs(ctx, "SELECT "+drugCols+" FROM formulary_drugs d WHERE 1=1"+where+" ORDER BY d.generic_name, d.strength, d.id", args)
	}
	if err != nil {
		return nil, false, err
	}
	if len(short) > 0 {
		kept := exact[:0]
		for _, d := range exact {
			name := strings.ToLower(d.GenericName + " " + d.BrandName + " " + d.Strength)
			ok := true
			for _, w := range short {
				ok = ok && strings.Contains(name, w)
			}
			if ok {
				kept = append(kept, d)
			}
		}
		exact = kept
	}
	if len(exact) > 0 || len(long) == 0 {
		return exact, false, nil
	}
	// Near misses: every drug of the version (after the filters) is a candidate, scored
	// on its names in Go; a version holds hundreds of drugs, so this stays well under a
	// millisecond, and the full rows are read only for the kept ones.
	st, err := s.DB.Prepared(ctx, s.DB.R, "SELECT d.id, d.generic_name, d.brand_name, d.strength FROM formulary_drugs d WHERE 1=1"+where)
	if err != nil {
		return nil, false, err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, false, err
	}
	type scored struct {
		id                       int64
		generic, brand, strength string
		s                        float64
	}
	var keep []scored
	memo := map[string]float64{}
	typed := make([][]rune, len(words))
	for i, w := range words {
		typed[i] = []rune(w)
	}
	for rows.Next() {
		var c scored
		if err := rows.Scan(&c.id, &c.generic, &c.brand, &c.strength); err != nil {
			rows.Close()
			return nil, false, err
		}
		k := c.generic + "|" + c.brand
		sc, ok := memo[k]
		if !ok {
			sc = nameSimilarity(typed, c.generic, c.brand)
			memo[k] = sc
		}
		if sc >= fuzzyThreshold {
			c.s = sc
			keep = append(keep, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(keep) == 0 {
		return nil, true, nil
	}
	sort.SliceStable(keep, func(i, j int) bool {
		if keep[i].s != keep[j].s {
			return keep[i].s > keep[j].s
		}
		if keep[i].generic != keep[j].generic {
			return keep[i].generic < keep[j].generic
		}
		return keep[i].strength < keep[j].strength
	})
	ids := make([]string, len(keep))
	for i, k := range keep {
		ids[i] = strconv.FormatInt(k.id, 10)
	}
	full, err := s.queryDrugs(ctx, "SELECT "+drugCols+" FROM formulary_drugs d WHERE d.id IN (SELECT value FROM json_each(?))", []any{"[" + strings.Join(ids, ",") + "]"})
	if err != nil {
		return nil, false, err
	}
	byID := make(map[int64]Drug, len(full))
	for _, d := range full {
		byID[d.ID] = d
	}
	out := make([]Drug, 0, len(keep))
	for _, k := range keep {
		out = append(out, byID[k.id])
	}
	return out, true, nil
}

// Removed lists the drugs taken off list by versions effective within the last 90
// days up to today.
func (s Formulary) Removed(ctx context.Context, list, today string) ([]RemovedDrug, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT r.generic_name, r.brand_name, r.strength, r.form, v.effective_on
		FROM formulary_versions v JOIN formulary_removals r ON r.version_id = v.id
		WHERE v.list = ? AND v.effective_on > ? AND v.effective_on <= ? ORDER BY v.effective_on DESC, r.generic_name`,
		list, markersSince(today), today)
	if err != nil {
		return nil, fmt.Errorf("formulary removed: %w", err)
	}
	defer rows.Close()
	var out []RemovedDrug
	for rows.Next() {
		var r RemovedDrug
		if err := rows.Scan(&r.GenericName, &r.BrandName, &r.Strength, &r.Form, &r.RemovedOn); err != nil {
			return nil, fmt.Errorf("formulary removed: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ListLabel names the version's list in words.
func (v FormularyVersion) ListLabel() string { return DrugListLabel(v.List) }

// ListLabel names the import's list in words.
func (r *FormularyImport) ListLabel() string { return DrugListLabel(r.List) }

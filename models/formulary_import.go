package models

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// FormularyImportMaxRows is the most drugs one imported version may hold.
const FormularyImportMaxRows = 20000

// FormularyColumns are the CSV columns of a drug list version, in the order the
// download writes them; generic_name, strength and form are required, and tier on a
// PDL (never on the Medi-Cal Rx CDL).
var FormularyColumns = []string{"generic_name", "brand_name", "strength", "form", "drug_class", "tier",
	"prior_auth", "step_therapy", "quantity_limit", "specialty"}

// RowProblem is one bad line of an imported file.
type RowProblem struct {
	Line    int
	Message string
}

// DrugChange is one difference between a new version and the one it replaces.
type DrugChange struct {
	Drug   Drug
	Detail string
}

// FormularyImport is what an import found: the summary of its differences with the
// version it replaces, and the bad rows. Nothing is written when Problems is not
// empty or DryRun is set.
type FormularyImport struct {
	List, Version, EffectiveOn string
	DryRun                     bool
	Rows                       int
	Previous                   *FormularyVersion
	Added                      []Drug
	Removed                    []Drug
	Changed                    []DrugChange
	Unchanged                  int
	Problems                   []RowProblem
	Published                  *FormularyVersion
}

// ImportRequest is an editor's import: which list, the version's name and effective
// date, the CSV, and whether it is a dry run.
type ImportRequest struct {
	List, Version, EffectiveOn string
	CSV                        io.Reader
	DryRun                     bool
}

// ValidateImportRequest checks the form fields of an import (not the file).
func ValidateImportRequest(r ImportRequest) FieldErrors {
	errs := FieldErrors{}
	if !ValidDrugList(r.List) {
		errs["list"] = "Choose the drug list this file replaces."
	}
	if r.Version == "" || len(r.Version) > 20 || strings.IndexFunc(r.Version, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_')
	}) >= 0 {
		errs["version"] = "Enter a version name of up to 20 letters, digits, dots or dashes, such as 2026.12."
	}
	if _, err := time.Parse(DateFormat, r.EffectiveOn); err != nil {
		errs["effective_on"] = "Enter the date the list takes effect as MM/DD/YYYY."
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// parseFlag reads a yes/no cell.
func parseFlag(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "n", "no", "0", "false":
		return false, true
	case "y", "yes", "1", "true", "x":
		return true, true
	}
	return false, false
}

// ParseFormularyCSV reads a drug list file, reporting every bad line with its number.
func ParseFormularyCSV(list string, r io.Reader) ([]Drug, []RowProblem) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var problems []RowProblem
	head, err := cr.Read()
	if err != nil {
		return nil, []RowProblem{{1, "The file is empty or is not a CSV file."}}
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, c := range FormularyColumns {
			known = known || c == h
		}
		if !known {
			problems = append(problems, RowProblem{1, fmt.Sprintf("Unknown column %q; the columns are %s.", h, strings.Join(FormularyColumns, ", "))})
			continue
		}
		col[h] = i
	}
	for _, req := range []string{"generic_name", "strength", "form"} {
		if _, ok := col[req]; !ok {
			problems = append(problems, RowProblem{1, "The header has no " + req + " column."})
		}
	}
	if _, ok := col["tier"]; !ok && list != DrugListMediCalCDL {
		problems = append(problems, RowProblem{1, "The header has no tier column (a preferred drug list needs tiers)."})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	seen := map[string]int{}
	var drugs []Drug
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			problems = append(problems, RowProblem{line, "This line is not valid CSV (check the quotes)."})
			if len(problems) > 200 {
				break
			}
			continue
		}
		if len(drugs)+len(problems) >= FormularyImportMaxRows {
			problems = append(problems, RowProblem{line, fmt.Sprintf("The file has more than %d drugs.", FormularyImportMaxRows)})
			break
		}
		get := func(name string) string {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		blank := true
		for _, v := range rec {
			blank = blank && strings.TrimSpace(v) == ""
		}
		if blank {
			continue
		}
		var msgs []string
		d := Drug{GenericName: get("generic_name"), BrandName: get("brand_name"), Strength: get("strength"), Form: get("form"),
			Class: get("drug_class"), QuantityLimit: get("quantity_limit")}
		for _, f := range []struct {
			name, v string
			max     int
			req     bool
		}{{"generic_name", d.GenericName, 120, true}, {"brand_name", d.BrandName, 120, false}, {"strength", d.Strength, 60, true},
			{"form", d.Form, 60, true}, {"drug_class", d.Class, 80, false}, {"quantity_limit", d.QuantityLimit, 80, false}} {
			switch {
			case f.req && f.v == "":
				msgs = append(msgs, f.name+" is empty")
			case utf8.RuneCountInString(f.v) > f.max || !utf8.ValidString(f.v):
				msgs = append(msgs, fmt.Sprintf("%s is longer than %d characters", f.name, f.max))
			case f.v != "" && strings.ContainsAny(f.v[:1], "=+-@\t\r"):
				msgs = append(msgs, f.name+" starts with "+strconv.Quote(f.v[:1])+", which spreadsheets read as a formula")
			}
		}
		tier := get("tier")
		if list == DrugListMediCalCDL {
			if tier != "" && tier != "0" {
				msgs = append(msgs, "the Medi-Cal Rx Contract Drug List has no tiers; leave tier empty")
			}
		} else if t, err := strconv.Atoi(tier); err != nil || t < 1 || t > MaxTier(list) {
			msgs = append(msgs, fmt.Sprintf("tier must be a number from 1 to %d", MaxTier(list)))
		} else {
			d.Tier = t
		}
		for _, fl := range []struct {
			name string
			dst  *bool
		}{{"prior_auth", &d.PriorAuth}, {"step_therapy", &d.StepTherapy}, {"specialty", &d.Specialty}} {
			v, ok := parseFlag(get(fl.name))
			if !ok {
				msgs = append(msgs, fl.name+" must be yes or no")
			}
			*fl.dst = v
		}
		if len(msgs) == 0 {
			d.Key = DrugKey(d.GenericName, d.Strength, d.Form)
			if first, dup := seen[d.Key]; dup {
				msgs = append(msgs, fmt.Sprintf("the same drug, strength and form is already on line %d", first))
			} else {
				seen[d.Key] = line
			}
		}
		if len(msgs) > 0 {
			problems = append(problems, RowProblem{line, strings.Join(msgs, "; ") + "."})
			continue
		}
		drugs = append(drugs, d)
	}
	if len(drugs) == 0 && len(problems) == 0 {
		problems = append(problems, RowProblem{2, "The file has a header but no drugs."})
	}
	return drugs, problems
}

// describeChange says what differs between an old and a new entry of the same drug,
// or "" when they are the same.
func describeChange(list string, old, new Drug) string {
	var parts []string
	if old.Tier != new.Tier {
		parts = append(parts, fmt.Sprintf("tier %d → %d", old.Tier, new.Tier))
	}
	flag := func(name string, a, b bool) {
		if a != b {
			if b {
				parts = append(parts, name+" added")
			} else {
				parts = append(parts, name+" removed")
			}
		}
	}
	flag("prior authorization", old.PriorAuth, new.PriorAuth)
	flag("step therapy", old.StepTherapy, new.StepTherapy)
	flag("specialty", old.Specialty, new.Specialty)
	if old.QuantityLimit != new.QuantityLimit {
		switch {
		case new.QuantityLimit == "":
			parts = append(parts, "quantity limit removed")
		case old.QuantityLimit == "":
			parts = append(parts, "quantity limit "+new.QuantityLimit)
		default:
			parts = append(parts, "quantity limit now "+new.QuantityLimit)
		}
	}
	if old.BrandName != new.BrandName {
		parts = append(parts, "brand name now "+strings.TrimSpace(new.BrandName))
	}
	_ = list
	return strings.Join(parts, "; ")
}

// latestTx is the newest version of a list (by effective date), or nil.
func latestTx(ctx context.Context, tx *sql.Tx, list string) (*FormularyVersion, error) {
	v, err := scanVersion(tx.QueryRowContext(ctx, `SELECT id, list, version, effective_on, published_at, drugs, added, removed, changed
		FROM formulary_versions WHERE list = ? ORDER BY effective_on DESC, id DESC LIMIT 1`, list))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return v, err
}

func drugsOfTx(ctx context.Context, tx *sql.Tx, versionID int64) (map[string]Drug, []string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+drugCols+" FROM formulary_drugs d WHERE d.version_id = ? ORDER BY d.generic_name, d.strength", versionID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := map[string]Drug{}
	var order []string
	for rows.Next() {
		d, err := scanDrug(rows)
		if err != nil {
			return nil, nil, err
		}
		out[d.Key] = d
		order = append(order, d.Key)
	}
	return out, order, rows.Err()
}

// PublishTx compares drugs with the list's newest version and, unless dryRun, writes
// them as a new version effective on effectiveOn. It is the one path that writes a
// version: the editor's import and the demo data both use it.
func PublishTx(ctx context.Context, tx *sql.Tx, list, version, effectiveOn, publishedAt string, by int64, drugs []Drug, dryRun bool) (*FormularyImport, error) {
	res := &FormularyImport{List: list, Version: version, EffectiveOn: effectiveOn, DryRun: dryRun, Rows: len(drugs)}
	prev, err := latestTx(ctx, tx, list)
	if err != nil {
		return nil, err
	}
	res.Previous = prev
	var taken bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM formulary_versions WHERE list = ? AND version = ?)", list, version).Scan(&taken); err != nil {
		return nil, err
	}
	if taken {
		return nil, FieldErrors{"version": "This list already has a version " + version + "; choose another name."}
	}
	if prev != nil && effectiveOn < prev.EffectiveOn {
		return nil, FieldErrors{"effective_on": "The current version takes effect on " + prev.EffectiveOn + "; a new version must take effect on or after it."}
	}
	old := map[string]Drug{}
	var oldOrder []string
	if prev != nil {
		if old, oldOrder, err = drugsOfTx(ctx, tx, prev.ID); err != nil {
			return nil, err
		}
	}
	newKeys := map[string]bool{}
	out := make([]Drug, len(drugs))
	for i, d := range drugs {
		if d.Key == "" {
			d.Key = DrugKey(d.GenericName, d.Strength, d.Form)
		}
		newKeys[d.Key] = true
		o, existed := old[d.Key]
		switch {
		case prev == nil:
			d.Change, d.ChangeDetail, d.ChangedOn = "", "", ""
		case !existed:
			d.Change, d.ChangeDetail, d.ChangedOn = "added", "added to the list", effectiveOn
			res.Added = append(res.Added, d)
		default:
			if detail := describeChange(list, o, d); detail != "" {
				d.Change, d.ChangeDetail, d.ChangedOn = "changed", detail, effectiveOn
				res.Changed = append(res.Changed, DrugChange{d, detail})
			} else {
				d.Change, d.ChangeDetail, d.ChangedOn = o.Change, o.ChangeDetail, o.ChangedOn
				res.Unchanged++
			}
		}
		out[i] = d
	}
	for _, k := range oldOrder {
		if !newKeys[k] {
			res.Removed = append(res.Removed, old[k])
		}
	}
	if dryRun {
		return res, nil
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO formulary_versions(list, version, effective_on, published_at, published_by, drugs, added, removed, changed)
		VALUES (?,?,?,?,?,?,?,?,?)`, list, version, effectiveOn, publishedAt, nullID(by), len(out), len(res.Added), len(res.Removed), len(res.Changed))
	if err != nil {
		return nil, err
	}
	vid, _ := r.LastInsertId()
	st, err := tx.PrepareContext(ctx, `INSERT INTO formulary_drugs(version_id, drug_key, generic_name, brand_name, strength, form, drug_class, tier,
		prior_auth, step_therapy, quantity_limit, specialty, change, change_detail, changed_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	for _, d := range out {
		if _, err := st.ExecContext(ctx, vid, d.Key, d.GenericName, d.BrandName, d.Strength, d.Form, d.Class, d.Tier, d.PriorAuth,
			d.StepTherapy, d.QuantityLimit, d.Specialty, d.Change, d.ChangeDetail, d.ChangedOn); err != nil {
			return nil, err
		}
	}
	for _, d := range res.Removed {
		if _, err := tx.ExecContext(ctx, `INSERT INTO formulary_removals(version_id, generic_name, brand_name, strength, form) VALUES (?,?,?,?,?)`,
			vid, d.GenericName, d.BrandName, d.Strength, d.Form); err != nil {
			return nil, err
		}
	}
	// Merge the search index into one segment: queries on a freshly written trigram
	// index are several times slower than on an optimized one.
	if _, err := tx.ExecContext(ctx, "INSERT INTO formulary_fts(formulary_fts) VALUES ('optimize')"); err != nil {
		return nil, err
	}
	res.Published = &FormularyVersion{ID: vid, List: list, Version: version, EffectiveOn: effectiveOn, PublishedAt: publishedAt,
		Drugs: len(out), Added: len(res.Added), Removed: len(res.Removed), Changed: len(res.Changed)}
	return res, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Import validates an editor's file and compares it with the list's current version.
// A dry run, or a file with any bad row, writes nothing (the transaction is rolled
// back); otherwise the version is published and the import audited in the same
// transaction.
func (s Formulary) Import(ctx context.Context, by Actor, req ImportRequest, now time.Time) (*FormularyImport, error) {
	if errs := ValidateImportRequest(req); errs != nil {
		return nil, errs
	}
	drugs, problems := ParseFormularyCSV(req.List, req.CSV)
	if len(problems) > 0 {
		return &FormularyImport{List: req.List, Version: req.Version, EffectiveOn: req.EffectiveOn, DryRun: req.DryRun, Problems: problems}, nil
	}
	var res *FormularyImport
	errDry := errors.New("dry run")
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = PublishTx(ctx, tx, req.List, req.Version, req.EffectiveOn, now.UTC().Format(TimeFormat), by.UserID, drugs, req.DryRun)
		if err != nil {
			return err
		}
		if req.DryRun {
			return errDry
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, AuditEntry{UserID: by.UserID, Actor: by.Email, AccountID: by.AccountID, IP: by.IP,
			Action: "formulary.import", ObjectType: "formulary_version", ObjectID: req.List + " " + req.Version,
			Detail: fmt.Sprintf("effective %s; %d drugs; %d added, %d removed, %d changed", req.EffectiveOn, len(drugs), len(res.Added), len(res.Removed), len(res.Changed))})
	})
	if errors.Is(err, errDry) {
		return res, nil
	}
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) {
			return nil, fe
		}
		return nil, fmt.Errorf("formulary import: %w", err)
	}
	return res, nil
}

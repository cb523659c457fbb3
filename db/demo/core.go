package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"time"

	"portico/models"
)

type planSpec struct {
	code, name, planType, product, network string
	dedInd, dedFam, oopInd, oopFam         int64 // dollars
	pcp, spec, urgent, er, rx, coins       int64
}

var planSpecs = []planSpec{
	{"IFP-S70", "Portico Silver 70 HMO", "commercial", "ifp", "HMO", 2500, 5000, 8700, 17400, 35, 70, 35, 350, 15, 20},
	{"IFP-G80", "Portico Gold 80 PPO", "commercial", "ifp", "PPO", 1000, 2000, 7500, 15000, 30, 55, 30, 300, 10, 20},
	{"GRP-HMO20", "Portico Group HMO 20", "commercial", "group", "HMO", 0, 0, 3000, 6000, 20, 40, 20, 150, 10, 0},
	{"MSUP-G", "Portico Medicare Supplement Plan G", "commercial", "medsupp", "Any Medicare provider", 257, 257, 0, 0, 0, 0, 0, 0, 0, 0},
	{"MA-HMO", "Portico Seniority Plus HMO", "medicare", "medicare", "HMO", 0, 0, 4900, 4900, 0, 15, 20, 95, 5, 0},
	{"DSNP", "Portico Dual Advantage D-SNP", "medicare", "dsnp", "HMO D-SNP", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	{"MCAL", "Portico Medi-Cal", "medical", "medi-cal", "Medi-Cal managed care", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
}

type benefitSpec struct {
	category, service string
	auth              bool
}

var benefitSpecs = []benefitSpec{
	{"Professional services", "Primary care office visit", false},
	{"Professional services", "Specialist office visit", false},
	{"Preventive care", "Annual wellness exam and screenings", false},
	{"Preventive care", "Immunizations", false},
	{"Emergency and urgent care", "Emergency room", false},
	{"Emergency and urgent care", "Urgent care center", false},
	{"Hospital", "Inpatient stay", true},
	{"Hospital", "Outpatient surgery", true},
	{"Diagnostics", "Laboratory tests", false},
	{"Diagnostics", "Advanced imaging (CT, MRI, PET)", true},
	{"Therapy", "Physical, occupational and speech therapy", true},
	{"Behavioral health", "Outpatient mental health visit", false},
	{"Equipment", "Durable medical equipment", true},
	{"Home health", "Home health visits", true},
	{"Pharmacy", "Generic drugs (30-day supply)", false},
}

func money(cents int64) string {
	if cents%100 == 0 {
		return fmt.Sprintf("$%d", cents/100)
	}
	return fmt.Sprintf("$%d.%02d", cents/100, cents%100)
}

func benefitText(p planSpec, b benefitSpec) (in, out string) {
	out = "Not covered except emergencies"
	if p.network == "PPO" {
		out = "50% coinsurance after deductible"
	}
	switch p.product {
	case "medi-cal", "dsnp":
		return "No cost", "Not covered except emergencies"
	case "medsupp":
		return "No cost after the Part B deductible", "No cost after the Part B deductible"
	}
	switch b.service {
	case "Primary care office visit":
		in = money(p.pcp*100) + " copay"
	case "Specialist office visit", "Outpatient mental health visit":
		in = money(p.spec*100) + " copay"
	case "Annual wellness exam and screenings", "Immunizations":
		in = "No cost"
	case "Emergency room":
		in, out = money(p.er*100)+" copay", money(p.er*100)+" copay"
	case "Urgent care center":
		in = money(p.urgent*100) + " copay"
	case "Generic drugs (30-day supply)":
		in = money(p.rx*100) + " copay"
	default:
		if p.coins > 0 {
			in = fmt.Sprintf("%d%% coinsurance after deductible", p.coins)
		} else {
			in = "No cost"
		}
	}
	return in, out
}

// Service codes used for generated claims, with typical charges and the sensitive-service
// category (SPEC §8) their use implies.
type serviceCode struct {
	code, desc, dx, sensitive string
	charge                    int64 // dollars
}

var serviceCodes = []serviceCode{
	{"99213", "Office visit, established patient, low complexity", "I10", "", 150},
	{"99214", "Office visit, established patient, moderate complexity", "E11.9", "", 220},
	{"99203", "Office visit, new patient, low complexity", "J06.9", "", 200},
	{"99395", "Preventive visit, 18-39 years", "Z00.00", "", 250},
	{"36415", "Routine venipuncture", "E78.5", "", 25},
	{"80053", "Comprehensive metabolic panel", "E11.9", "", 60},
	{"85025", "Complete blood count with differential", "R53.83", "", 40},
	{"71046", "Chest X-ray, 2 views", "R05.9", "", 120},
	{"93000", "Electrocardiogram, complete", "I10", "", 80},
	{"73721", "MRI knee without contrast", "M17.11", "", 1400},
	{"97110", "Therapeutic exercise, each 15 minutes", "M54.50", "", 95},
	{"90686", "Influenza vaccine, quadrivalent", "Z23", "", 40},
	{"99285", "Emergency department visit, high severity", "R07.9", "", 1200},
	{"90834", "Psychotherapy, 45 minutes", "F32.9", "mental_health", 180},
	{"90837", "Psychotherapy, 60 minutes", "F41.1", "mental_health", 240},
	{"87491", "Chlamydia trachomatis, amplified probe", "Z11.3", "sti", 90},
	{"H0020", "Alcohol and drug services, methadone", "F11.20", "substance_use", 100},
}

func fillCore(ctx context.Context, tx *sql.Tx, f *Fill) error {
	now := f.Opts.Anchor.Format(models.TimeFormat)
	if err := fillSettings(ctx, tx, f); err != nil {
		return err
	}
	if err := fillPlans(ctx, tx, f); err != nil {
		return err
	}
	if err := fillAccounts(ctx, tx, f, now); err != nil {
		return err
	}
	if err := fillUsers(ctx, tx, f, now); err != nil {
		return err
	}
	if err := fillMembers(ctx, tx, f); err != nil {
		return err
	}
	return fillNotices(ctx, tx, f)
}

// fillSettings records what the fill was made from, so a reset can make it again.
func fillSettings(ctx context.Context, tx *sql.Tx, f *Fill) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO settings(key, value) VALUES ('demo', '1'), ('demo_anchor', ?), ('demo_members', ?)`,
		f.Opts.Anchor.Format(models.TimeFormat), fmt.Sprint(f.Opts.Members))
	return err
}

func fillPlans(ctx context.Context, tx *sql.Tx, f *Fill) error {
	for _, p := range planSpecs {
		res, err := tx.ExecContext(ctx, `INSERT INTO plans(code, name, plan_type, product, network, deductible_ind, deductible_fam,
			oop_ind, oop_fam, copay_pcp, copay_spec, copay_urgent, copay_er, copay_rx, coinsurance_pct)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, p.code, p.name, p.planType, p.product, p.network,
			p.dedInd*100, p.dedFam*100, p.oopInd*100, p.oopFam*100, p.pcp*100, p.spec*100, p.urgent*100, p.er*100, p.rx*100, p.coins)
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		f.PlanIDs[p.code] = id
		for i, b := range benefitSpecs {
			in, out := benefitText(p, b)
			auth := b.auth && p.product != "medsupp"
			if _, err := tx.ExecContext(ctx, `INSERT INTO benefits(plan_id, category, service, in_network, out_network, auth_required, sort)
				VALUES (?,?,?,?,?,?,?)`, id, b.category, b.service, in, out, auth, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// NPI returns a valid ten-digit NPI (Luhn check over the 80840 prefix) for a nine-digit base.
func NPI(base int) string {
	s := fmt.Sprintf("%09d", base%1000000000)
	digits := "80840" + s
	sum := 0
	double := true // the check digit is appended, so the rightmost payload digit is doubled
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return s + fmt.Sprint((10-sum%10)%10)
}

type accountSpec struct {
	key, name, typ string
	capitated      bool
	tins           []string
}

var namedAccounts = []accountSpec{
	{"sunrise", "Sunrise Family Medicine", "clinic", false, []string{"951234567", "957654321"}},
	{"valley", "Valley Medical Group", "ppg", true, []string{"945550001"}},
}

var clinicWords = []string{"Harbor", "Mission", "Cedar", "Oakwood", "Riverside", "Lakeside", "Golden State", "Sierra", "Coastal",
	"Bayview", "Redwood", "Canyon", "Pacific", "Central Valley", "Foothill", "Desert Springs", "Vista", "Northgate", "Westside",
	"Hillcrest", "Meadowbrook", "Parkside", "Summit", "Willow"}

func fillAccounts(ctx context.Context, tx *sql.Tx, f *Fill, now string) error {
	specs := append([]accountSpec{}, namedAccounts...)
	r := f.Rand
	for i, w := range clinicWords {
		specs = append(specs, accountSpec{name: w + " Family Practice", typ: "clinic", tins: []string{fmt.Sprintf("95%07d", 2000000+i*7919)}})
	}
	for i, w := range clinicWords[:8] {
		specs = append(specs, accountSpec{name: w + " Medical Group", typ: "ppg", capitated: true, tins: []string{fmt.Sprintf("94%07d", 6000000+i*104729)}})
	}
	for i, w := range []string{"St. Vincent", "Mercy General", "Valley Children's", "Community Regional", "Good Samaritan", "Kaweah"} {
		specs = append(specs, accountSpec{name: w + " Hospital", typ: "hospital", tins: []string{fmt.Sprintf("93%07d", 3000000+i*15485)}})
	}
	for i, w := range []string{"Coastline Imaging", "ClearPath Labs", "HomeWell Home Health", "Stride Physical Therapy", "Apex DME Supply", "BrightSmile Dental"} {
		specs = append(specs, accountSpec{name: w, typ: "ancillary", tins: []string{fmt.Sprintf("92%07d", 4000000+i*32452)}})
	}
	npiBase := 123450000
	for _, a := range specs {
		city := Pick(r, Cities)
		res, err := tx.ExecContext(ctx, `INSERT INTO provider_accounts(name, type, capitated, phone, address, status, created_at) VALUES (?,?,?,?,?,?,?)`,
			a.name, a.typ, a.capitated, fmt.Sprintf("(%03d) 555-%04d", 200+r.Intn(700), r.Intn(10000)),
			fmt.Sprintf("%d %s, %s, CA %s", 100+r.Intn(9800), Pick(r, streets), city.Name, city.ZIP), "active", now)
		if err != nil {
			return err
		}
		accID, _ := res.LastInsertId()
		if a.key != "" {
			f.AccountIDs[a.key] = accID
		}
		for _, tin := range a.tins {
			res, err := tx.ExecContext(ctx, `INSERT INTO tins(account_id, tin, name, status, created_at) VALUES (?,?,?,?,?)`, accID, tin, a.name, "verified", now)
			if err != nil {
				return err
			}
			tinID, _ := res.LastInsertId()
			f.TINIDs[tin] = tinID
			switch a.typ {
			case "clinic":
				f.ClinicTINs = append(f.ClinicTINs, tinID)
			case "ppg":
				f.PPGTINs = append(f.PPGTINs, tinID)
			case "hospital":
				f.HospitalTINs = append(f.HospitalTINs, tinID)
			default:
				f.AncillaryTINs = append(f.AncillaryTINs, tinID)
			}
			for k := 0; k < 3; k++ {
				npiBase += 7
				name := "Dr. " + Pick(r, append(firstNamesF, firstNamesM...)) + " " + Pick(r, lastNames)
				if k == 0 {
					name = a.name
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO npis(tin_id, npi, name) VALUES (?,?,?)`, tinID, NPI(npiBase), name); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

type userSpec struct {
	email, name, account string
	manager              bool
	perms, roles, dept   string
}

func demoUsers(domain string) []userSpec {
	return []userSpec{
		{"manager@sunrise.example", "Jane Doe", "sunrise", true, "eligibility medical_management claims reports messaging", "", ""},
		{"staff@sunrise.example", "Carlos Rivera", "sunrise", false, "eligibility claims", "", ""},
		{"manager@valley.example", "Priya Shah", "valley", true, "eligibility medical_management claims reports messaging", "", ""},
		{"rep@" + domain, "Tom Baker", "", false, "", "associate", "provider_services"},
		{"claims@" + domain, "Dana Ortiz", "", false, "", "associate", "claims"},
		{"nurse@" + domain, "Grace Kim, RN", "", false, "", "reviewer case_manager", "medical_management"},
		{"editor@" + domain, "Ellen Park", "", false, "", "editor", ""},
		{"privacy@" + domain, "Paul Nguyen", "", false, "", "privacy", ""},
		{"admin@" + domain, "Alex Morgan", "", false, "", "admin", ""},
	}
}

func fillUsers(ctx context.Context, tx *sql.Tx, f *Fill, now string) error {
	// One hash for all demo users: they share the password, and argon2id is slow on purpose.
	hash, err := models.HashPassword(Password)
	if err != nil {
		return err
	}
	for _, u := range demoUsers(f.Opts.PlanDomain) {
		var account any
		if u.account != "" {
			account = f.AccountIDs[u.account]
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users(account_id, email, name, password_hash, totp_secret, is_manager, permissions,
			roles, department, status, email_verified_at, last_login_at, password_changed_at, created_at)
			VALUES (?,?,?,?,?,?,?,?,?,'active',?,?,?,?)`, account, u.email, u.name, hash, TOTPSecret, u.manager, u.perms, u.roles, u.dept,
			now, now, now, now)
		if err != nil {
			return err
		}
		f.UserIDs[u.email], _ = res.LastInsertId()
	}
	return nil
}

type memberRow struct {
	memberID, first, last, suffix, dob, sex string
	plan                                    string
	subscriber                              int64
	relationship                            string
	effective, end                          string
	pcpTIN, ppgTIN                          int64
}

func (f *Fill) planTypeOf(code string) string {
	for _, p := range planSpecs {
		if p.code == code {
			return p.planType
		}
	}
	return ""
}

// fillMembers writes the four named members and then generated households, each
// member with their coverage span and claims.
func fillMembers(ctx context.Context, tx *sql.Tx, f *Fill) (err error) {
	// Building an index once over the finished table is much faster than keeping it up
	// to date row by row; the indexes are recreated from their own stored definitions.
	restore, err := dropIndexes(ctx, tx, "members", "coverages", "claims", "claim_lines")
	if err != nil {
		return err
	}
	g := &claimGen{f: f, payments: map[[2]int64]*payment{}, checkNo: 10000001,
		paymentRows: newBatcher(ctx, tx, "payments", "id, tin_id, check_no, check_date, amount_cents, address, method, account_last4"),
		claims: newBatcher(ctx, tx, "claims", `id, claim_no, member_pk, tin_id, npi, plan_type, status, received_date, service_from,
			service_to, diagnosis, billed_cents, allowed_cents, paid_cents, member_resp_cents, deductible_cents, payment_id, sensitive_category,
			status_date, info_needed, source, place_of_service`),
		lines: newBatcher(ctx, tx, "claim_lines", `claim_id, line_no, service_date, code, description, units, billed_cents,
			allowed_cents, paid_cents, member_resp_cents, adjustment_reason, deductible_cents, copay_cents, coinsurance_cents,
			adj_group, adj_carc, adj_rarc, adj_cents`)}
	members := newBatcher(ctx, tx, "members", `id, member_id, first_name, last_name, suffix, last_name_key, dob, sex, address,
		city, zip, phone, plan_id, plan_type, subscriber_id, relationship, effective_date, end_date, pcp_tin_id, pcp_npi, pcp_name, ppg_tin_id`)
	coverages := newBatcher(ctx, tx, "coverages", "member_pk, plan_id, effective_date, end_date")
	coverages.parents = []*batcher{members}
	g.claims.parents = []*batcher{members, g.paymentRows}
	g.lines.parents = []*batcher{g.claims}
	restoreSensitive, err := suspendSensitiveTriggers(ctx, tx)
	if err != nil {
		return err
	}
	// Rows are generated here and written on the inserter's goroutine.
	in := newInserter()
	defer func() {
		// A failed batch stops the generation with errInsertFailed: report its cause.
		if werr := in.wait(); errors.Is(err, errInsertFailed) {
			err = werr
		}
	}()
	for _, b := range []*batcher{members, coverages, g.paymentRows, g.claims, g.lines} {
		b.through(in)
	}
	r := f.Rand
	year := f.Opts.Anchor.Year()
	jan1 := fmt.Sprintf("%d-01-01", year)
	var nextPK int64
	keys := map[string]string{} // last name -> matching key, computed once per name
	put := func(m memberRow, named string) (int64, error) {
		nextPK++
		pk := nextPK
		city := Pick(r, Cities)
		var sub, pcp, ppg any
		if m.subscriber != 0 {
			sub = m.subscriber
		}
		pcpName := ""
		if m.pcpTIN != 0 {
			pcp = m.pcpTIN
			pcpName = "Dr. " + Pick(r, firstNamesF) + " " + Pick(r, lastNames)
		}
		if m.ppgTIN != 0 {
			ppg = m.ppgTIN
		}
		key, ok := keys[m.last]
		if !ok {
			key = models.LastNameKey(m.last)
			keys[m.last] = key
		}
		planType := f.planTypeOf(m.plan)
		err := members.add(pk, m.memberID, m.first, m.last, m.suffix, key, m.dob, m.sex,
			fmt.Sprintf("%d %s", 100+r.Intn(9800), Pick(r, streets)), city.Name, city.ZIP,
			fmt.Sprintf("(%03d) 555-%04d", 200+r.Intn(700), r.Intn(10000)), f.PlanIDs[m.plan], planType, sub,
			m.relationship, m.effective, m.end, pcp, NPI(200000000+r.Intn(99999999)), pcpName, ppg)
		if err != nil {
			return 0, err
		}
		if err := coverages.add(pk, f.PlanIDs[m.plan], m.effective, m.end); err != nil {
			return 0, err
		}
		if m.effective <= f.Today {
			if err := g.forMember(pk, m, planType, named); err != nil {
				return 0, err
			}
		}
		return pk, nil
	}
	sunrise, valley := f.TINIDs["951234567"], f.TINIDs["945550001"]
	named := []memberRow{
		{memberID: "A100000001", first: "Maria", last: "Lopez", dob: "1985-03-14", sex: "F", plan: "IFP-S70", relationship: "self", effective: jan1, pcpTIN: sunrise},
		{memberID: "M200000002", first: "Linda", last: "Smith", dob: "1979-01-20", sex: "F", plan: "MCAL", relationship: "self", effective: "2019-07-01", pcpTIN: f.TINIDs["957654321"], ppgTIN: f.PPGTINs[2]},
		{memberID: "M200000001", first: "James", last: "Smith", suffix: "Jr.", dob: "2010-07-02", sex: "M", plan: "MCAL", relationship: "child", effective: "2019-07-01", pcpTIN: sunrise, ppgTIN: f.PPGTINs[2]},
		{memberID: "D300000001", first: "Robert", last: "Chen", dob: "1948-11-30", sex: "M", plan: "DSNP", relationship: "self", effective: "2021-01-01", pcpTIN: valley, ppgTIN: valley},
	}
	for _, m := range named {
		if m.memberID == "M200000001" {
			m.subscriber = f.MemberPKs["M200000002"]
		}
		pk, err := put(m, m.memberID)
		if err != nil {
			return err
		}
		f.MemberPKs[m.memberID] = pk
	}
	// Generated households. Prefixes: A (Commercial), M (Medi-Cal), D (Medicare/DSNP).
	seq := map[byte]int{'A': 100000002, 'M': 200000003, 'D': 300000002}
	commercial := []string{"IFP-S70", "IFP-S70", "IFP-G80", "GRP-HMO20", "GRP-HMO20", "MSUP-G"}
	count := len(named)
	for count < f.Opts.Members {
		var plan string
		var prefix byte
		switch x := r.Intn(100); {
		case x < 45:
			plan, prefix = "MCAL", 'M'
		case x < 80:
			plan, prefix = Pick(r, commercial), 'A'
		case x < 92:
			plan, prefix = "MA-HMO", 'D'
		default:
			plan, prefix = "DSNP", 'D'
		}
		last := Pick(r, lastNames)
		size := 1
		if prefix != 'D' && plan != "MSUP-G" {
			size = 1 + r.Intn(4)
		}
		pcp := Pick(r, f.ClinicTINs)
		var ppg int64
		if plan != "IFP-G80" && plan != "MSUP-G" {
			ppg = Pick(r, f.PPGTINs)
		}
		effective := fmt.Sprintf("%d-%02d-01", 2015+r.Intn(year-2015+1), 1+r.Intn(12))
		if effective > f.Today {
			effective = jan1
		}
		end := ""
		switch x := r.Intn(100); {
		case x < 7:
			end = f.Opts.Anchor.AddDate(0, -1-r.Intn(10), 0).Format("2006-01") + "-01"
			end = mustDate(end).AddDate(0, 0, -1).Format(models.DateFormat)
			if end < effective {
				end = ""
			}
		case x < 9:
			effective = f.Opts.Anchor.AddDate(0, 1, 0).Format("2006-01") + "-01"
		}
		var subscriber int64
		for i := 0; i < size && count < f.Opts.Members; i++ {
			m := memberRow{last: last, plan: plan, effective: effective, end: end, pcpTIN: pcp, ppgTIN: ppg, relationship: "self"}
			switch {
			case prefix == 'D':
				m.dob = randDate(r, 1935, 1960)
			case i == 0:
				m.dob = randDate(r, 1960, 2004)
			case i == 1:
				m.dob, m.relationship = randDate(r, 1960, 2004), "spouse"
			default:
				m.dob, m.relationship = randDate(r, 2006, year-1), "child"
			}
			if r.Chance(50) {
				m.first, m.sex = Pick(r, firstNamesF), "F"
			} else {
				m.first, m.sex = Pick(r, firstNamesM), "M"
				if m.relationship == "child" && r.Chance(8) {
					m.suffix = Pick(r, []string{"Jr.", "II", "III"})
				}
			}
			if i > 0 {
				m.subscriber = subscriber
			}
			m.memberID = fmt.Sprintf("%c%d", prefix, seq[prefix])
			seq[prefix]++
			pk, err := put(m, "")
			if err != nil {
				return err
			}
			if i == 0 {
				subscriber = pk
			}
			count++
		}
	}
	f.MemberCount = count
	if err := in.finish(members, coverages, g.paymentRows, g.claims, g.lines); err != nil {
		return err
	}
	if err := g.paymentTotals(ctx, tx); err != nil {
		return err
	}
	if err := restoreSensitive(); err != nil {
		return err
	}
	return restore()
}

// dropIndexes drops the named tables' explicit indexes and their tally triggers (names
// ending in _tally, migration 0030) and returns a function that recreates them with
// exactly the SQL the migrations used, after recounting the tallies from the tables.
// Keeping a tally row by row cost about as much as an index would.
func dropIndexes(ctx context.Context, tx *sql.Tx, tables ...string) (func() error, error) {
	var names, defs, triggers, triggerDefs []string
	for _, t := range tables {
		rows, err := tx.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_master
			WHERE tbl_name = ? AND sql IS NOT NULL AND (type = 'index' OR (type = 'trigger' AND name LIKE '%\_tally' ESCAPE '\'))`, t)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var typ, n, d string
			if err := rows.Scan(&typ, &n, &d); err != nil {
				rows.Close()
				return nil, err
			}
			if typ == "trigger" {
				triggers, triggerDefs = append(triggers, n), append(triggerDefs, d)
			} else {
				names, defs = append(names, n), append(defs, d)
			}
		}
		rows.Close()
	}
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+n+`"`); err != nil {
			return nil, err
		}
	}
	for _, n := range triggers {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER "`+n+`"`); err != nil {
			return nil, err
		}
	}
	return func() error {
		// A sorter keeps up to the page cache's size in memory and sorts that alone; with
		// a smaller share it hands each full share to a helper thread (PRAGMA threads)
		// and goes on reading the table, so the two cores build an index together.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", sortShareKiB)); err != nil {
			return err
		}
		defer tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", fillCacheKiB))
		for _, d := range defs {
			if _, err := tx.ExecContext(ctx, d); err != nil {
				return err
			}
		}
		if len(triggers) > 0 {
			if err := recountTallies(ctx, tx, tables...); err != nil {
				return err
			}
		}
		for _, d := range triggerDefs {
			if _, err := tx.ExecContext(ctx, d); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// sortShareKiB is how much of an index build's keys a sorter sorts at a time (KiB).
const sortShareKiB = 8 << 10

func mustDate(s string) time.Time {
	t, err := time.Parse(models.DateFormat, s)
	if err != nil {
		panic(err)
	}
	return t
}

func randDate(r *Rand, fromYear, toYear int) string {
	if toYear < fromYear {
		toYear = fromYear
	}
	return fmt.Sprintf("%d-%02d-%02d", fromYear+r.Intn(toYear-fromYear+1), 1+r.Intn(12), 1+r.Intn(28))
}

// Denial reasons of the demo: group code, CARC, RARC and the short text kept in the
// line's adjustment_reason (the EOP reads the codes and words them from models).
var demoDenials = []struct{ carc, rarc, text string }{
	{"197", "N54", "CO-197 Precertification or authorization absent"},
	{"50", "", "CO-50 Not medically necessary"},
	{"29", "", "CO-29 Time limit for filing has expired"},
	{"18", "", "CO-18 Exact duplicate claim or service"},
	{"16", "M51", "CO-16 Claim lacks information needed for adjudication"},
	{"96", "N130", "CO-96 Non-covered charge"},
}

// demoInfoNeeded is what the plan asks for on claims pending more information.
var demoInfoNeeded = []string{
	"Medical records for the date of service (office notes and any test results).",
	"An itemized bill listing each service with its charge.",
	"Other insurance information: the member may have other coverage (coordination of benefits). Send the other payer's explanation of benefits or confirm there is none.",
	"The referring provider's name and NPI.",
	"A corrected diagnosis pointer for each service line.",
}

// payment is a check or EFT to one TIN on one day; its amount is the sum of its claims.
type payment struct {
	id, tin int64
	checkNo int
	day     string
	amount  int64
	claims  int
	// The remittance totals of the payment's lines.
	lines                                        int
	billed, allowed, ded, copay, coins, adjusted int64
}

// claimGen makes 18 months of claims with service lines, and the checks that paid them.
type claimGen struct {
	f             *Fill
	claims, lines *batcher
	// paymentRows is flushed before claims, so a claim's check always exists first.
	paymentRows *batcher
	payments    map[[2]int64]*payment
	order       []*payment
	checkNo     int
	claimID     int64
}

// eftTIN tells whether the plan pays a TIN by EFT (the rest get paper checks): Sunrise's
// second TIN and every third generated TIN.
func (g *claimGen) eftTIN(tin int64) bool {
	return tin == g.f.TINIDs["957654321"] || (tin != g.f.TINIDs["951234567"] && tin%3 == 0)
}

func (g *claimGen) paymentFor(tin int64, day time.Time) (*payment, error) {
	key := [2]int64{tin, day.Unix() / 86400}
	if p, ok := g.payments[key]; ok {
		return p, nil
	}
	p := &payment{id: int64(len(g.order) + 1), tin: tin, checkNo: g.checkNo, day: day.Format(models.DateFormat)}
	g.checkNo++
	g.payments[key] = p
	g.order = append(g.order, p)
	city := Pick(g.f.Rand, Cities)
	method, last4, no := "check", "", fmt.Sprint(p.checkNo)
	if g.eftTIN(tin) {
		// An EFT trace number (the ACH trace of the payment) instead of a check number.
		method, last4, no = "eft", fmt.Sprintf("%04d", (tin*7919+31)%10000), fmt.Sprintf("EFT%09d", p.checkNo)
	}
	err := g.paymentRows.add(p.id, p.tin, no, p.day, 0,
		fmt.Sprintf("PO Box %d, %s, CA %s", 1000+g.f.Rand.Intn(9000), city.Name, city.ZIP), method, last4)
	return p, err
}

// paymentTotals sets each check's amount to the sum of the claims it paid.
func (g *claimGen) paymentTotals(ctx context.Context, tx *sql.Tx) error {
	st, err := tx.PrepareContext(ctx, `UPDATE payments SET amount_cents = ?, claim_count = ?, line_count = ?, billed_cents = ?, allowed_cents = ?,
		deductible_cents = ?, copay_cents = ?, coinsurance_cents = ?, adjusted_cents = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, p := range g.order {
		if _, err := st.ExecContext(ctx, p.amount, p.claims, p.lines, p.billed, p.allowed, p.ded, p.copay, p.coins, p.adjusted, p.id); err != nil {
			return err
		}
	}
	return nil
}

// claimLine is one generated service line: allowed = paid + deductible + copay +
// coinsurance, and billed = allowed + adj (or adj alone for a denied line).
type claimLine struct {
	sc                            serviceCode
	billed, allowed, paid         int64
	ded, copay, coins             int64
	group, carc, rarc, reasonText string
	adj                           int64
}

func (l claimLine) resp() int64 { return l.ded + l.copay + l.coins }

// forMember writes a member's claims: none to two for most, six spread over the plan
// year for the named demo members.
func (g *claimGen) forMember(pk int64, m memberRow, planType, named string) error {
	f, r := g.f, g.f.Rand
	anchor := f.Opts.Anchor
	p := planByCode(m.plan)
	n := r.Intn(3)
	if named != "" {
		n = 6
	}
	for k := 0; k < n; k++ {
		sc := serviceCodes[r.Intn(13)] // general services
		tin := m.pcpTIN
		switch x := r.Intn(100); {
		case named == "M200000001" && k < 3:
			sc = serviceCodes[13+k%4] // sensitive services for the demo's confidential-communication case
		case named == "D300000001":
			tin = f.TINIDs["945550001"]
		case named != "":
		case x < 15:
			tin = Pick(r, f.HospitalTINs)
			sc = serviceCodes[12]
		case x < 25:
			tin = Pick(r, f.AncillaryTINs)
		case x < 28:
			sc = serviceCodes[13+r.Intn(4)]
		}
		if tin == 0 {
			tin = Pick(r, f.ClinicTINs)
		}
		daysAgo := r.Intn(540)
		if named != "" {
			daysAgo = 5 + k*((anchor.YearDay()-6)/n+1) // spread over the plan year
			if daysAgo >= anchor.YearDay() {
				daysAgo = anchor.YearDay() - 1
			}
		}
		svc := anchor.AddDate(0, 0, -daysAgo)
		if s := svc.Format(models.DateFormat); s < m.effective {
			continue // no claims before coverage began
		}
		received := svc.AddDate(0, 0, 2+r.Intn(10))
		if received.After(anchor) {
			received = anchor
		}
		status := "paid"
		switch x := r.Intn(100); {
		case anchor.Sub(received) < 10*24*time.Hour:
			status = Pick(r, []string{"received", "in_process"})
		case x < 8:
			status = "denied"
		case x < 12:
			status = "pending_info"
		case x < 17:
			status = "adjusted"
		}
		if named != "" && k == 1 && status != "received" && status != "in_process" {
			// Every named member has one claim waiting for the office's answer, whatever
			// the anchor date, so the dashboard's "claims need more information" always
			// has something to show in a demo (except early in January, when the plan
			// year's claims are all new).
			status = "pending_info"
		}
		copay, coins := p.pcp*100, p.coins
		commercial := planType == "commercial" && p.product != "medsupp"
		// Early in the plan year the member's share goes to the deductible first.
		dedSeason := p.dedInd > 0 && svc.Month() <= 3
		denial := demoDenials[r.Intn(len(demoDenials))]
		ls := make([]claimLine, 1+r.Intn(2))
		var billed, allowed, paid, resp, ded int64
		for i := range ls {
			lsc := sc
			if i > 0 {
				lsc = serviceCodes[4+r.Intn(3)] // lab work rides along
			}
			l := claimLine{sc: lsc, billed: lsc.charge * 100}
			switch status {
			case "received", "in_process", "pending_info":
				// Not adjudicated yet: nothing allowed, paid or owed.
			case "denied":
				l.group, l.carc, l.rarc, l.reasonText, l.adj = "CO", denial.carc, denial.rarc, denial.text, l.billed
			default:
				l.allowed = l.billed * 62 / 100
				if status == "adjusted" && i == len(ls)-1 {
					if i > 0 {
						// The lab line is bundled into the visit.
						l.allowed = 0
						l.group, l.carc, l.rarc, l.reasonText = "CO", "97", "M15", "CO-97 Payment included in another service"
					} else {
						// A lower allowance under the multiple-procedure rules.
						l.allowed = l.billed * 45 / 100
						l.group, l.carc, l.reasonText = "CO", "59", "CO-59 Multiple or concurrent procedure rules"
					}
				} else {
					l.group, l.carc, l.reasonText = "CO", "45", "CO-45 Charge exceeds fee schedule"
				}
				l.adj = l.billed - l.allowed
				if commercial && l.allowed > 0 {
					switch {
					case i == 0 && copay > 0 && !dedSeason:
						l.copay = min(l.allowed, copay)
					case dedSeason:
						l.ded = l.allowed * 80 / 100
						l.coins = (l.allowed - l.ded) * coins / 100
					default:
						l.coins = l.allowed * coins / 100
					}
				}
				l.paid = l.allowed - l.resp()
			}
			ls[i] = l
			billed += l.billed
			allowed += l.allowed
			paid += l.paid
			resp += l.resp()
			ded += l.ded
		}
		var paymentID any
		statusDate := received
		info := ""
		switch status {
		case "in_process":
			statusDate = received.AddDate(0, 0, 1)
		case "denied":
			statusDate = received.AddDate(0, 0, 7)
		case "pending_info":
			statusDate = received.AddDate(0, 0, 5)
			info = demoInfoNeeded[r.Intn(len(demoInfoNeeded))]
		case "paid", "adjusted":
			day := received.AddDate(0, 0, 10)
			for day.Weekday() != time.Friday {
				day = day.AddDate(0, 0, 1)
			}
			if day.After(anchor) {
				// Adjudicated but not on a check run yet: still in process.
				status, paid, allowed, resp, ded = "in_process", 0, 0, 0, 0
				for i := range ls {
					ls[i] = claimLine{sc: ls[i].sc, billed: ls[i].billed}
				}
				statusDate = received.AddDate(0, 0, 1)
			} else {
				pay, err := g.paymentFor(tin, day)
				if err != nil {
					return err
				}
				pay.amount += paid
				pay.claims++
				for _, l := range ls {
					pay.lines++
					pay.billed += l.billed
					pay.allowed += l.allowed
					pay.ded += l.ded
					pay.copay += l.copay
					pay.coins += l.coins
					pay.adjusted += l.adj
				}
				paymentID = pay.id
				statusDate = day
			}
		}
		if statusDate.After(anchor) {
			statusDate = anchor
		}
		source, pos := "edi", "11"
		if named == "A100000001" && k%2 == 0 {
			source = "portal" // Maria Lopez's IFP claims typed in the portal
		}
		if sc.code == "99285" {
			pos = "23"
		}
		g.claimID++
		svcDate := svc.Format(models.DateFormat)
		if err := g.claims.add(g.claimID, fmt.Sprintf("C%02d%08d", received.Year()%100, g.claimID), pk, tin, NPI(300000000+int(tin)),
			planType, status, received.Format(models.DateFormat), svcDate, svcDate, sc.dx, billed, allowed, paid, resp, ded, paymentID, sc.sensitive,
			statusDate.Format(models.DateFormat), info, source, pos); err != nil {
			return err
		}
		for i, l := range ls {
			reason := l.reasonText
			if status == "paid" && l.resp() > 0 && l.copay > 0 {
				reason = "PR-3 Copayment amount"
			}
			if err := g.lines.add(g.claimID, i+1, svcDate, l.sc.code, l.sc.desc, 1, l.billed, l.allowed, l.paid, l.resp(), reason,
				l.ded, l.copay, l.coins, l.group, l.carc, l.rarc, l.adj); err != nil {
				return err
			}
		}
	}
	return nil
}

func planByCode(code string) planSpec {
	for _, p := range planSpecs {
		if p.code == code {
			return p
		}
	}
	return planSpec{}
}

var demoNotices = []struct{ title, body, planType string }{
	{"Secure messaging moves to the Messaging center", "Send protected health information only through Messaging in the portal. E-mail notices tell you a secure message is waiting; they never carry the message itself.", ""},
	{"Prior authorization decision times", "Standard requests for Medicare/DSNP and Medi-Cal members are decided within 7 calendar days, urgent requests within 72 hours.", ""},
	{"Medi-Cal Rx contract drug list updated", "The Medi-Cal Rx contract drug list was updated on the first of the month. Download it from the member's Pharmacy page.", "medical"},
	{"Annual wellness visits for Medicare members", "Schedule annual wellness visits early; the visit has no cost share for Medicare/DSNP members.", "medicare"},
	{"Individual & Family Plan claims online", "Claims for Individual & Family Plan members can be submitted online: open the member's Claims tab (or Claims → New claim) and choose Create a New Claim. Other plans' claims go through your clearinghouse.", "commercial"},
	{"Payment history and explanation of payment", "Claims → Payment history lists checks and EFTs for any 30-day span of the last 18 months; select a check to see every claim and line it paid, with the adjustment reasons.", ""},
}

func fillNotices(ctx context.Context, tx *sql.Tx, f *Fill) error {
	for i, n := range demoNotices {
		day := f.Opts.Anchor.AddDate(0, 0, -7*i).Format(models.DateFormat)
		if _, err := tx.ExecContext(ctx, `INSERT INTO notices(title, body, plan_type, posted_on, public) VALUES (?,?,?,?,1)`,
			n.title, n.body, n.planType, day); err != nil {
			return err
		}
	}
	return nil
}

package demo

import (
	"context"
	"database/sql"
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
	if err := fillSettings(ctx, tx); err != nil {
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
	if err := fillClaims(ctx, tx, f); err != nil {
		return err
	}
	return fillNotices(ctx, tx, f)
}

func fillSettings(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO settings(key, value) VALUES ('demo', '1')`)
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

// fillMembers writes the four named members and then generated households.
func fillMembers(ctx context.Context, tx *sql.Tx, f *Fill) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO members(member_id, first_name, last_name, suffix, last_name_key, dob, sex, address,
		city, zip, phone, plan_id, plan_type, subscriber_id, relationship, effective_date, end_date, pcp_tin_id, pcp_npi, pcp_name, ppg_tin_id)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	cov, err := tx.PrepareContext(ctx, `INSERT INTO coverages(member_pk, plan_id, effective_date, end_date) VALUES (?,?,?,?)`)
	if err != nil {
		return err
	}
	defer cov.Close()
	r := f.Rand
	year := f.Opts.Anchor.Year()
	jan1 := fmt.Sprintf("%d-01-01", year)
	put := func(m memberRow) (int64, error) {
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
		res, err := ins.ExecContext(ctx, m.memberID, m.first, m.last, m.suffix, models.LastNameKey(m.last), m.dob, m.sex,
			fmt.Sprintf("%d %s", 100+r.Intn(9800), Pick(r, streets)), city.Name, city.ZIP,
			fmt.Sprintf("(%03d) 555-%04d", 200+r.Intn(700), r.Intn(10000)), f.PlanIDs[m.plan], f.planTypeOf(m.plan), sub,
			m.relationship, m.effective, m.end, pcp, NPI(200000000+r.Intn(99999999)), pcpName, ppg)
		if err != nil {
			return 0, err
		}
		pk, _ := res.LastInsertId()
		if _, err := cov.ExecContext(ctx, pk, f.PlanIDs[m.plan], m.effective, m.end); err != nil {
			return 0, err
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
		pk, err := put(m)
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
			pk, err := put(m)
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
	return nil
}

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

var adjustmentReasons = map[string]string{
	"denied":   "CO-197 Precertification or authorization absent",
	"adjusted": "CO-45 Charge exceeds fee schedule",
}

// fillClaims writes 18 months of claims with service lines, and the checks that paid them.
func fillClaims(ctx context.Context, tx *sql.Tx, f *Fill) error {
	claimIns, err := tx.PrepareContext(ctx, `INSERT INTO claims(claim_no, member_pk, tin_id, npi, plan_type, status, received_date,
		service_from, service_to, diagnosis, billed_cents, allowed_cents, paid_cents, member_resp_cents, deductible_cents, payment_id, sensitive_category)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer claimIns.Close()
	lineIns, err := tx.PrepareContext(ctx, `INSERT INTO claim_lines(claim_id, line_no, service_date, code, description, units, billed_cents,
		allowed_cents, paid_cents, member_resp_cents, adjustment_reason) VALUES (?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer lineIns.Close()
	payIns, err := tx.PrepareContext(ctx, `INSERT INTO payments(tin_id, check_no, check_date, amount_cents, address) VALUES (?,?,?,0,?)`)
	if err != nil {
		return err
	}
	defer payIns.Close()

	r := f.Rand
	anchor := f.Opts.Anchor
	payments := map[[2]int64]int64{} // (tin, check day) -> payment id
	checkNo := 10000001
	claimNo := 1
	paymentFor := func(tin int64, day time.Time) (int64, error) {
		key := [2]int64{tin, day.Unix() / 86400}
		if id, ok := payments[key]; ok {
			return id, nil
		}
		city := Pick(r, Cities)
		res, err := payIns.ExecContext(ctx, tin, fmt.Sprintf("%d", checkNo), day.Format(models.DateFormat),
			fmt.Sprintf("PO Box %d, %s, CA %s", 1000+r.Intn(9000), city.Name, city.ZIP))
		if err != nil {
			return 0, err
		}
		checkNo++
		id, _ := res.LastInsertId()
		payments[key] = id
		return id, nil
	}
	type memberInfo struct {
		pk                int64
		planType, product string
		pcp               int64
		copay, coins      int64
		named             string
	}
	// Walk members in primary-key order, reading the few columns claims need.
	rows, err := tx.QueryContext(ctx, `SELECT m.id, m.member_id, m.plan_type, p.product, COALESCE(m.pcp_tin_id, 0), p.copay_pcp, p.coinsurance_pct
		FROM members m JOIN plans p ON p.id = m.plan_id WHERE m.effective_date <= ? ORDER BY m.id`, f.Today)
	if err != nil {
		return err
	}
	var members []memberInfo
	for rows.Next() {
		var mi memberInfo
		var mid string
		if err := rows.Scan(&mi.pk, &mid, &mi.planType, &mi.product, &mi.pcp, &mi.copay, &mi.coins); err != nil {
			rows.Close()
			return err
		}
		if _, ok := f.MemberPKs[mid]; ok {
			mi.named = mid
		}
		members = append(members, mi)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range members {
		n := r.Intn(3)
		if m.named != "" {
			n = 6
		}
		for k := 0; k < n; k++ {
			sc := serviceCodes[r.Intn(13)] // general services
			tin := m.pcp
			switch x := r.Intn(100); {
			case m.named == "M200000001" && k < 3:
				sc = serviceCodes[13+k%4] // sensitive services for the demo's confidential-communication case
			case m.named == "D300000001":
				tin = f.TINIDs["945550001"]
			case m.named != "":
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
			if m.named != "" {
				daysAgo = 5 + k*((anchor.YearDay()-6)/n+1) // spread over the plan year
				if daysAgo >= anchor.YearDay() {
					daysAgo = anchor.YearDay() - 1
				}
			}
			svc := anchor.AddDate(0, 0, -daysAgo)
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
			lines := 1 + r.Intn(2)
			var billed, allowed, paid, resp, ded int64
			type line struct {
				sc                          serviceCode
				billed, allowed, paid, resp int64
			}
			ls := make([]line, lines)
			for i := range ls {
				lsc := sc
				if i > 0 {
					lsc = serviceCodes[4+r.Intn(3)] // lab work rides along
				}
				b := lsc.charge * 100
				a := b * 62 / 100
				var mr int64
				if m.planType == "commercial" && m.product != "medsupp" {
					if i == 0 && m.copay > 0 {
						mr = min(a, m.copay)
					} else {
						mr = a * m.coins / 100
					}
				}
				p := a - mr
				if status == "denied" {
					a, p, mr = 0, 0, 0
				}
				if status == "received" || status == "in_process" || status == "pending_info" {
					p = 0
				}
				ls[i] = line{lsc, b, a, p, mr}
				billed += b
				allowed += a
				paid += p
				resp += mr
			}
			if m.planType == "commercial" && m.coins > 0 {
				ded = resp / 2
			}
			var payment any
			if status == "paid" || status == "adjusted" {
				day := received.AddDate(0, 0, 10)
				for day.Weekday() != time.Friday {
					day = day.AddDate(0, 0, 1)
				}
				if day.After(anchor) {
					status, paid = "in_process", 0
				} else {
					id, err := paymentFor(tin, day)
					if err != nil {
						return err
					}
					payment = id
				}
			}
			svcDate := svc.Format(models.DateFormat)
			res, err := claimIns.ExecContext(ctx, fmt.Sprintf("C%02d%08d", received.Year()%100, claimNo), m.pk, tin, NPI(300000000+int(tin)),
				m.planType, status, received.Format(models.DateFormat), svcDate, svcDate, sc.dx, billed, allowed, paid, resp, ded, payment, sc.sensitive)
			if err != nil {
				return err
			}
			claimNo++
			claimID, _ := res.LastInsertId()
			for i, l := range ls {
				reason := adjustmentReasons[status]
				if status == "paid" && l.resp > 0 {
					reason = "PR-3 Copayment amount"
				}
				if _, err := lineIns.ExecContext(ctx, claimID, i+1, svcDate, l.sc.code, l.sc.desc, 1, l.billed, l.allowed, l.paid, l.resp, reason); err != nil {
					return err
				}
			}
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE payments SET amount_cents = (SELECT COALESCE(SUM(paid_cents),0) FROM claims WHERE payment_id = payments.id)`)
	return err
}

var demoNotices = []struct{ title, body, planType string }{
	{"Secure messaging moves to the Messaging center", "Send protected health information only through Messaging in the portal. E-mail notices tell you a secure message is waiting; they never carry the message itself.", ""},
	{"Prior authorization decision times", "Standard requests for Medicare/DSNP and Medi-Cal members are decided within 7 calendar days, urgent requests within 72 hours.", ""},
	{"Medi-Cal Rx contract drug list updated", "The Medi-Cal Rx contract drug list was updated on the first of the month. Download it from the member's Pharmacy page.", "medical"},
	{"Annual wellness visits for Medicare members", "Schedule annual wellness visits early; the visit has no cost share for Medicare/DSNP members.", "medicare"},
	{"Individual & Family Plan claims online", "Claims for Individual & Family Plan members can be submitted online from the Claims page.", "commercial"},
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


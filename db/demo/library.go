package demo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"strings"

	"portico/models"
)

func init() { register(30, "library", fillLibrary) }

// fillLibrary adds the provider library (entries in every section, 2018–2019 updates as
// PDF documents, the search index) and the ProviderSearch directory. Its work does not
// depend on the member count.
func fillLibrary(ctx context.Context, tx *sql.Tx, f *Fill) error {
	if err := fillLibraryEntries(ctx, tx, f); err != nil {
		return err
	}
	if err := models.ReindexLibraryTx(ctx, tx, 0); err != nil {
		return err
	}
	return fillProviders(ctx, tx, f)
}

func demoLibraryEntries() []libEntry {
	var all []libEntry
	all = append(all, alertEntries...)
	for _, m := range manualPages {
		body := m.what + "\n\n## Limitations and exclusions\n" + m.limits + "\n\n## Prior authorization\n" + m.auth +
			"\n\n## Billing and coding\n" + m.billing + "\n\n## Questions\nCall the Provider Services Center for your line of business, listed in [Help](/help#provider-services)."
		summary := "What is covered, limits, prior authorization and billing: " + strings.ToLower(m.title[:1]) + m.title[1:] + "."
		all = append(all, libEntry{"manual", m.title, summary, body, m.lob, m.types, "", "2026-01-01"})
	}
	all = append(all, priorAuthEntries...)
	all = append(all, newsEntries...)
	all = append(all, formEntries...)
	all = append(all, contactEntries...)
	all = append(all, educationEntries...)
	for _, n := range newsletterIssues {
		body := "In this issue:\n\n## " + n.lead + "\nWhat changes for your office, and the resources in the library that help.\n\n## " + n.second +
			"\nA short guide with the steps and the contacts to call.\n\n## Provider Services reminders\nCheck eligibility at every visit: coverage can change from month to month."
		all = append(all, libEntry{"newsletter", "Provider newsletter, " + n.season, n.lead + "; " + strings.ToLower(n.second[:1]) + n.second[1:] + ".", body, "all", allTypes, "", n.date})
	}
	all = append(all, healthEquityEntries...)
	all = append(all, glossaryEntries...)
	all = append(all, qualityEntries...)
	return all
}

func fillLibraryEntries(ctx context.Context, tx *sql.Tx, f *Fill) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO library_entries(slug, section, title, summary, body_md, body_html, body_text, lob,
		provider_types, code, published_on, status, revision, created_at, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?, 'published', 1, ?,?,?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	rev, err := tx.PrepareContext(ctx, `INSERT INTO library_revisions(entry_id, revision, section, title, summary, body_md, lob, provider_types,
		code, published_on, note, saved_at, saved_by) VALUES (?, 1, ?,?,?,?,?,?,?,?, 'Created', ?, ?)`)
	if err != nil {
		return err
	}
	defer rev.Close()
	editor := "editor@" + f.Opts.PlanDomain
	now := f.Opts.Anchor.UTC().Format(models.TimeFormat)
	slugs := map[string]bool{}
	add := func(e libEntry) (int64, error) {
		slug := models.Slugify(e.title)
		for i := 2; slugs[slug]; i++ {
			slug = fmt.Sprintf("%s-%d", models.Slugify(e.title), i)
		}
		slugs[slug] = true
		htmlBody, text, err := models.RenderMarkdown(e.body)
		if err != nil {
			return 0, err
		}
		at := e.date + "T16:00:00Z"
		if at > now {
			at = now
		}
		types := strings.Join(e.types, " ")
		res, err := ins.ExecContext(ctx, slug, e.section, e.title, e.summary, e.body, htmlBody, text, e.lob, types, e.code, e.date, at, at, editor)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", e.title, err)
		}
		id, _ := res.LastInsertId()
		if _, err := rev.ExecContext(ctx, id, e.section, e.title, e.summary, e.body, e.lob, types, e.code, e.date, at, editor); err != nil {
			return 0, err
		}
		return id, nil
	}
	for _, e := range demoLibraryEntries() {
		if _, err := add(e); err != nil {
			return err
		}
	}
	// The prior authorization lists were revised for 2026: their 2025 versions stay in the
	// history, so editors can compare and restore them.
	if _, err := tx.ExecContext(ctx, `INSERT INTO library_revisions(entry_id, revision, section, title, summary, body_md, lob, provider_types,
		code, published_on, note, saved_at, saved_by)
		SELECT entry_id, 2, section, title, summary, body_md, lob, provider_types, code, published_on, 'Edited: 2026 list', saved_at, saved_by
		FROM library_revisions WHERE revision = 1 AND title LIKE 'Prior authorization requirements:%'`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE library_revisions SET body_md = replace(body_md, 'Advanced imaging', 'Advanced imaging (CT, MRI and PET only)'),
		published_on = '2025-01-01', saved_at = '2024-12-16T17:00:00Z'
		WHERE revision = 1 AND title LIKE 'Prior authorization requirements:%'`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE library_entries SET revision = 2 WHERE title LIKE 'Prior authorization requirements:%'`); err != nil {
		return err
	}
	// 2018–2019 updates and letters: each a short entry with its PDF document.
	for _, u := range updateTopics {
		summary := u.summary + " The full update is attached as a PDF document."
		id, err := add(libEntry{"updates", u.title, summary, u.summary + "\n\nRead the attached PDF for the details.", u.lob, u.types, u.code, u.date})
		if err != nil {
			return err
		}
		lines := []string{"Provider Update " + u.code + " · " + u.date, ""}
		for _, p := range u.paras {
			lines = append(lines, p, "")
		}
		var applies []string
		for _, t := range u.types {
			applies = append(applies, models.LibraryProviderTypeLabel(t))
		}
		lines = append(lines, "This information applies to: "+strings.Join(applies, ", ")+".",
			"Line of business: "+models.LOBLabel(u.lob)+".", "",
			"Questions? Contact the Provider Services Center for your line of business, listed in Help on the provider portal.")
		pdf := models.WritePDF(u.title, []models.PDFPage{{Heading: u.title, Lines: lines}})
		sum := sha256.Sum256(pdf)
		text := u.title + " " + strings.Join(lines, " ")
		if _, err := models.InsertDocumentTx(ctx, tx, id, "provider-update-"+u.code+".pdf", pdf, hex.EncodeToString(sum[:]), text, u.date+"T16:00:00Z", editor); err != nil {
			return err
		}
	}
	return nil
}

// cityWeights gives bigger cities more providers.
var cityWeights = map[string]int{"Los Angeles": 6, "San Diego": 3, "San Jose": 3, "Sacramento": 3, "Fresno": 3, "Oakland": 2, "Long Beach": 2, "Santa Ana": 2, "Riverside": 2, "Bakersfield": 2}

var areaCodes = map[string]string{"Los Angeles": "213", "Sacramento": "916", "Fresno": "559", "San Diego": "619", "Oakland": "510", "San Jose": "408",
	"Bakersfield": "661", "Riverside": "951", "Stockton": "209", "Modesto": "209", "Santa Ana": "714", "Long Beach": "562", "Visalia": "559",
	"Merced": "209", "San Bernardino": "909", "Pasadena": "626", "Santa Rosa": "707", "Redding": "530", "Salinas": "831", "Chico": "530"}

var physicianSpecialties = []string{"Family Medicine", "Family Medicine", "Internal Medicine", "Internal Medicine", "Pediatrics", "Pediatrics",
	"Obstetrics and Gynecology", "Cardiology", "Dermatology", "Endocrinology", "Gastroenterology", "General Surgery", "Nephrology", "Neurology",
	"Oncology", "Ophthalmology", "Orthopedic Surgery", "Otolaryngology", "Psychiatry", "Pulmonology", "Rheumatology", "Urology", "Podiatry"}

var ancillaryKinds = []struct{ specialty, suffix string }{
	{"Laboratory", "Clinical Laboratory"}, {"Radiology and Imaging", "Imaging Center"}, {"Durable Medical Equipment", "Medical Supply"},
	{"Home Health", "Home Health Agency"}, {"Physical Therapy", "Physical Therapy"}, {"Dialysis", "Dialysis Center"},
	{"Skilled Nursing Facility", "Post-Acute Care Center"}, {"Urgent Care", "Urgent Care"}, {"Ambulatory Surgery Center", "Surgery Center"},
}

var ppgWords = []string{"Medical Group", "Physicians Medical Group", "Independent Physician Association", "Family Medical Group", "Multispecialty Group"}
var hospitalWords = []string{"Community Hospital", "Regional Medical Center", "Memorial Hospital", "General Hospital", "Medical Center"}
var placeWords = []string{"Harbor", "Mission", "Cedar", "Oakwood", "Lakeside", "Sierra", "Coastal", "Bayview", "Redwood", "Canyon", "Pacific",
	"Foothill", "Vista", "Northgate", "Westside", "Hillcrest", "Parkside", "Summit", "Willow", "Sequoia", "Golden Poppy", "Buena Vista"}

const providerCount = 1200

// fillProviders adds the places a distance search starts from and the provider directory.
func fillProviders(ctx context.Context, tx *sql.Tx, f *Fill) error {
	place, err := tx.PrepareContext(ctx, "INSERT INTO places(city, zip, lat, lon) VALUES (?,?,?,?)")
	if err != nil {
		return err
	}
	defer place.Close()
	var weighted []City
	for _, c := range Cities {
		if _, err := place.ExecContext(ctx, c.Name, c.ZIP, c.Lat, c.Lon); err != nil {
			return err
		}
		for i := 0; i < max(1, cityWeights[c.Name]); i++ {
			weighted = append(weighted, c)
		}
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO providers(npi, type, name, name_key, specialty, group_name, address, city, zip, phone, lat, lon,
		languages, accepting, plan_types, gender) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	r := f.Rand
	var groups []string
	for i := 0; i < providerCount; i++ {
		c := Pick(r, weighted)
		var typ, name, specialty, group, gender string
		switch n := i % 20; {
		case n < 12:
			typ = "physician"
			first := Pick(r, firstNamesF)
			gender = "female"
			if r.Chance(50) {
				first, gender = Pick(r, firstNamesM), "male"
			}
			cred := "MD"
			if r.Chance(20) {
				cred = "DO"
			}
			name = fmt.Sprintf("%s %s, %s", first, Pick(r, lastNames), cred)
			specialty = Pick(r, physicianSpecialties)
			if len(groups) > 0 && r.Chance(70) {
				group = Pick(r, groups)
			}
		case n < 15:
			typ = "ppg"
			name = fmt.Sprintf("%s %s", Pick(r, placeWords), Pick(r, ppgWords))
			if r.Chance(40) {
				name = c.Name + " " + Pick(r, ppgWords)
			}
			specialty = Pick(r, []string{"Primary care medical group", "Multispecialty medical group", "Independent physician association"})
			groups = append(groups, name)
		case n < 16:
			typ = "hospital"
			name = fmt.Sprintf("%s %s", Pick(r, append([]string{c.Name}, placeWords...)), Pick(r, hospitalWords))
			specialty = "Acute care hospital"
			if r.Chance(10) {
				specialty = "Children's hospital"
			}
		default:
			typ = "ancillary"
			k := Pick(r, ancillaryKinds)
			name = Pick(r, placeWords) + " " + k.suffix
			specialty = k.specialty
		}
		langs := []string{"English"}
		for _, l := range models.ProviderLanguages[1:] {
			chance := 4
			if l == "Spanish" {
				chance = 45
			}
			if r.Chance(chance) {
				langs = append(langs, l)
			}
		}
		var plans []string
		for _, p := range models.PlanTypes {
			if r.Chance(70) {
				plans = append(plans, p.Value)
			}
		}
		if len(plans) == 0 {
			plans = []string{models.PlanMediCal}
		}
		// Spread around the city centre, up to about 8 miles each way.
		lat := round5(c.Lat + (float64(r.Intn(2401))-1200)/10000)
		lon := round5(c.Lon + (float64(r.Intn(2401))-1200)/10000)
		suite := ""
		if typ == "physician" && r.Chance(60) {
			suite = fmt.Sprintf(", Suite %d", 100+r.Intn(400))
		}
		addr := fmt.Sprintf("%d %s%s", 100+r.Intn(9800), Pick(r, streets), suite)
		phone := fmt.Sprintf("(%s) 555-%04d", areaCodes[c.Name], 100+r.Intn(100))
		if _, err := ins.ExecContext(ctx, NPI(700000000+i*13), typ, name, models.ProviderNameKey(name), specialty, group, addr, c.Name, c.ZIP, phone,
			lat, lon, "|"+strings.Join(langs, "|")+"|", r.Chance(75), strings.Join(plans, " "), gender); err != nil {
			return err
		}
	}
	return nil
}

func round5(v float64) float64 { return math.Round(v*1e5) / 1e5 }

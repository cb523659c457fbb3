package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"portico/models"
)

func init() { register(80, "pharmacy", fillPharmacy) }

// demoTier places a drug kind on a list's tiers.
func demoTier(list string, kind byte) int {
	switch list {
	case models.DrugListCommercial:
		return map[byte]int{'G': 1, 'g': 2, 'B': 2, 'N': 3, 'S': 4}[kind]
	case models.DrugListMedicare:
		return map[byte]int{'G': 1, 'g': 2, 'B': 3, 'N': 4, 'S': 5}[kind]
	}
	return 0
}

// parseDemoDrugs expands the compact lines into one entry per strength.
func parseDemoDrugs(list string, lines []string) []models.Drug {
	var out []models.Drug
	for _, line := range lines {
		p := strings.Split(line, "|")
		if len(p) != 7 {
			panic("demo drug line: " + line)
		}
		kind := p[5][0]
		d := models.Drug{Class: p[0], GenericName: p[1], BrandName: p[2], Form: p[3], Tier: demoTier(list, kind), Specialty: kind == 'S'}
		for _, fl := range strings.Split(p[6], ",") {
			switch {
			case fl == "PA":
				d.PriorAuth = true
			case fl == "ST":
				d.StepTherapy = list != models.DrugListMediCalCDL
			case strings.HasPrefix(fl, "QL="):
				d.QuantityLimit = strings.TrimPrefix(fl, "QL=")
			}
		}
		if list == models.DrugListMediCalCDL {
			d.Specialty = false
		}
		for _, s := range strings.Split(p[4], ",") {
			e := d
			e.Strength = strings.TrimSpace(s)
			e.Key = models.DrugKey(e.GenericName, e.Strength, e.Form)
			out = append(out, e)
		}
	}
	return out
}

// fillPharmacy publishes two versions of each drug list: the previous one, six months
// before the anchor, and the current one from the first of the anchor's month, which
// adds a few drugs, removes three that left the market and changes some tiers and
// flags, so that "changed since" markers show.
func fillPharmacy(ctx context.Context, tx *sql.Tx, f *Fill) error {
	a := f.Opts.Anchor
	cur := a.AddDate(0, 0, 1-a.Day())
	prev := cur.AddDate(0, -6, 0)
	published := a.AddDate(0, 0, -1-a.Day()).Format(models.TimeFormat)
	editor := f.UserIDs["editor@"+f.Opts.PlanDomain]
	for _, list := range models.DrugLists {
		current := parseDemoDrugs(list, demoDrugs)
		var older []models.Drug
		for i, d := range current {
			switch {
			case i%37 == 5:
				continue // added by the current version
			case i%41 == 3 && d.Tier > 1:
				d.Tier--
			case i%43 == 8 && list != models.DrugListMediCalCDL:
				d.PriorAuth = !d.PriorAuth
			case i%47 == 10 && d.QuantityLimit == "":
				d.QuantityLimit = "30 per 30 days"
			}
			older = append(older, d)
		}
		older = append(older, parseDemoDrugs(list, demoRetiredDrugs)...)
		for _, v := range []struct {
			day   string
			drugs []models.Drug
		}{{prev.Format(models.DateFormat), older}, {cur.Format(models.DateFormat), current}} {
			name := v.day[:7]
			name = strings.Replace(name, "-", ".", 1)
			if _, err := models.PublishTx(ctx, tx, list, name, v.day, published, editor, v.drugs, false); err != nil {
				return fmt.Errorf("publish %s %s: %w", list, name, err)
			}
		}
	}
	return nil
}

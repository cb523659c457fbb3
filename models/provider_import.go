package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

var providerImportColumns = []string{"npi", "type", "name", "address", "city", "zip", "phone"}

// providerTypeAliases reads the provider types a directory file may use.
var providerTypeAliases = map[string]string{"physician": "physician", "doctor": "physician", "ppg": "ppg", "medical group": "ppg",
	"ipa": "ppg", "hospital": "hospital", "ancillary": "ancillary"}

// Providers imports the ProviderSearch directory: one row per provider location, matched
// on NPI, ZIP and address (a known location is updated, a new one added). Optional
// columns: specialty, group_name, lat, lon, languages (separated by ; or |), accepting
// (yes/no), plan_types (commercial, medicare, medical, separated by spaces or ;), gender.
// Without lat and lon a row takes the coordinates of its ZIP code or city on file; with
// them, an unknown ZIP code is added to the places a distance search can start from.
func (im Importer) Providers(ctx context.Context, r io.Reader) (*ImportResult, error) {
	header, rows, err := csvTable(r, providerImportColumns)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Rows: len(rows)}
	problem := func(line int, format string, a ...any) {
		if len(res.Problems) < maxImportProblems {
			res.Problems = append(res.Problems, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, a...)))
		}
	}
	return im.inTx(ctx, "providers", res, func(tx *sql.Tx) error {
		for i, row := range rows {
			line := i + 2
			get := func(name string) string { return field(header, row, name) }
			npi := strings.ReplaceAll(get("npi"), " ", "")
			if !ValidNPI(npi) {
				problem(line, "npi %q is not a valid ten-digit NPI", get("npi"))
				continue
			}
			typ, ok := providerTypeAliases[strings.ToLower(get("type"))]
			if !ok {
				problem(line, "type %q must be physician, ppg, hospital or ancillary", get("type"))
				continue
			}
			name, addr, city, zip, phone := get("name"), get("address"), get("city"), get("zip"), get("phone")
			if name == "" || addr == "" || city == "" || phone == "" {
				problem(line, "name, address, city and phone are required")
				continue
			}
			if leadingZIP(zip) == "" {
				problem(line, "zip %q must be a five-digit ZIP code", zip)
				continue
			}
			zip = zip[:5]
			lat, lon, err := importCoordinates(ctx, tx, get("lat"), get("lon"), city, zip)
			if err != nil {
				problem(line, "%v", err)
				continue
			}
			var langs []string
			for _, l := range strings.FieldsFunc(get("languages"), func(r rune) bool { return r == ';' || r == '|' || r == ',' }) {
				if l = strings.TrimSpace(l); l != "" && !slices.Contains(langs, l) {
					langs = append(langs, l)
				}
			}
			if len(langs) == 0 {
				langs = []string{"English"}
			}
			var plans []string
			badPlan := ""
			for _, p := range strings.FieldsFunc(strings.ToLower(get("plan_types")), func(r rune) bool { return r == ';' || r == ' ' || r == ',' }) {
				switch p {
				case "medi-cal", "medical":
					p = PlanMediCal
				case "dsnp", "medicare/dsnp":
					p = PlanMedicare
				}
				if !ValidPlanType(p) {
					badPlan = p
				} else if !slices.Contains(plans, p) {
					plans = append(plans, p)
				}
			}
			if badPlan != "" {
				problem(line, "plan_types: %q is not commercial, medicare or medical", badPlan)
				continue
			}
			accepting := true
			switch strings.ToLower(get("accepting")) {
			case "", "yes", "y", "true", "1":
			case "no", "n", "false", "0":
				accepting = false
			default:
				problem(line, "accepting %q must be yes or no", get("accepting"))
				continue
			}
			var id int64
			err = tx.QueryRowContext(ctx, "SELECT id FROM providers WHERE npi = ? AND zip = ? AND address = ? LIMIT 1", npi, zip, addr).Scan(&id)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("line %d: %w", line, err)
			}
			args := []any{npi, typ, name, ProviderNameKey(name), get("specialty"), get("group_name"), addr, city, zip, phone, lat, lon,
				"|" + strings.Join(langs, "|") + "|", accepting, strings.Join(plans, " "), get("gender")}
			if id == 0 {
				_, err = tx.ExecContext(ctx, `INSERT INTO providers(npi, type, name, name_key, specialty, group_name, address, city, zip, phone,
					lat, lon, languages, accepting, plan_types, gender) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, args...)
			} else {
				_, err = tx.ExecContext(ctx, `UPDATE providers SET npi=?, type=?, name=?, name_key=?, specialty=?, group_name=?, address=?, city=?,
					zip=?, phone=?, lat=?, lon=?, languages=?, accepting=?, plan_types=?, gender=? WHERE id = ?`, append(args, id)...)
			}
			if err != nil {
				return fmt.Errorf("line %d: %w", line, err)
			}
			res.Written++
		}
		return nil
	})
}

// importCoordinates reads a row's lat and lon, or finds them from its ZIP code or city.
// Given coordinates for a ZIP code not on file add it to the places.
func importCoordinates(ctx context.Context, tx *sql.Tx, latText, lonText, city, zip string) (float64, float64, error) {
	if latText == "" && lonText == "" {
		var lat, lon float64
		err := tx.QueryRowContext(ctx, "SELECT lat, lon FROM places WHERE zip = ? LIMIT 1", zip).Scan(&lat, &lon)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.QueryRowContext(ctx, "SELECT lat, lon FROM places WHERE city = ? COLLATE NOCASE LIMIT 1", city).Scan(&lat, &lon)
		}
		if errors.Is(err, sql.ErrNoRows) {
			return 0, 0, fmt.Errorf("no coordinates on file for ZIP %s or %s: add lat and lon columns", zip, city)
		}
		return lat, lon, err
	}
	lat, err1 := strconv.ParseFloat(latText, 64)
	lon, err2 := strconv.ParseFloat(lonText, 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0, 0, fmt.Errorf("lat %q and lon %q must be decimal degrees", latText, lonText)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM places WHERE zip = ?", zip).Scan(&n); err != nil {
		return 0, 0, err
	}
	if n == 0 {
		if _, err := tx.ExecContext(ctx, "INSERT INTO places(city, zip, lat, lon) VALUES (?,?,?,?)", city, zip, lat, lon); err != nil {
			return 0, 0, err
		}
	}
	return lat, lon, nil
}

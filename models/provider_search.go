package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"portico/db"
)

// FoldText lowers s and removes accents ("Núñez" → "nunez"), for matching names.
func FoldText(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return strings.ToLower(folded)
}

// ProviderNameKey folds a provider's name for matching: lower case, no accents, words of
// letters and digits separated by one space.
func ProviderNameKey(s string) string {
	f := strings.FieldsFunc(FoldText(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.Join(f, " ")
}

// ProviderKinds are the types ProviderSearch finds.
var ProviderKinds = []Option{
	{"physician", "Physicians"},
	{"ppg", "Participating physician groups (PPGs)"},
	{"hospital", "Hospitals"},
	{"ancillary", "Ancillary providers"},
}

// ProviderKindLabel returns the label of a provider type.
func ProviderKindLabel(v string) string { return optionLabel(ProviderKinds, v) }

// ProviderLanguages are the languages offices report speaking, in the order the form lists them.
var ProviderLanguages = []string{"English", "Spanish", "Chinese (Cantonese)", "Chinese (Mandarin)", "Vietnamese", "Tagalog", "Korean",
	"Armenian", "Farsi", "Russian", "Arabic", "Hindi", "Punjabi", "Hmong", "Japanese", "Khmer"}

// Radii are the distance choices, in miles.
var Radii = []int{5, 10, 25, 50, 100}

// Provider is one row of the provider directory.
type Provider struct {
	ID         int64
	NPI        string
	Type       string
	Name       string
	Specialty  string
	GroupName  string
	Address    string
	City       string
	ZIP        string
	Phone      string
	Lat, Lon   float64
	Languages  []string
	Accepting  bool
	PlanTypes  []string
	Gender     string
	Distance   float64 // miles from the searched place, when there is one
	HasPlace   bool
	placeLabel string
}

// providerKindSingular names one provider of each type.
var providerKindSingular = map[string]string{"physician": "Physician", "ppg": "Participating physician group (PPG)", "hospital": "Hospital", "ancillary": "Ancillary provider"}

// TypeLabel names the provider's type in the singular ("Physician").
func (p *Provider) TypeLabel() string { return providerKindSingular[p.Type] }

// DistanceLabel shows the distance with one decimal.
func (p *Provider) DistanceLabel() string { return strconv.FormatFloat(p.Distance, 'f', 1, 64) + " mi" }

// PlanTypeLabels lists the labels of the plan types the provider takes.
func (p *Provider) PlanTypeLabels() []string {
	var out []string
	for _, t := range p.PlanTypes {
		if l := PlanTypeLabel(t); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// DirectionsURL links to directions to the provider on OpenStreetMap.
func (p *Provider) DirectionsURL() string {
	to := strconv.FormatFloat(p.Lat, 'f', 5, 64) + "," + strconv.FormatFloat(p.Lon, 'f', 5, 64)
	v := url.Values{"to": {to}}
	if p.placeLabel != "" {
		v.Set("from", p.placeLabel)
	}
	return "https://www.openstreetmap.org/directions?" + v.Encode()
}

// MapURL links to the provider's location on OpenStreetMap.
func (p *Provider) MapURL() string {
	lat := strconv.FormatFloat(p.Lat, 'f', 5, 64)
	lon := strconv.FormatFloat(p.Lon, 'f', 5, 64)
	return "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=16/" + lat + "/" + lon
}

// Place is a city or ZIP code with the coordinates a distance search starts from.
type Place struct {
	City     string
	ZIP      string
	Lat, Lon float64
}

// Label shows the place as "City ZIP".
func (p *Place) Label() string { return p.City + " " + p.ZIP }

// ProviderQuery is what a ProviderSearch user asks.
type ProviderQuery struct {
	Name        string
	Specialty   string
	Type        string
	PlanType    string
	Location    string // a city or a five-digit ZIP code
	RadiusMiles int
	Accepting   bool
	Language    string
	Page        int
	PerPage     int
}

// ProviderResults is one page of ProviderSearch results.
type ProviderResults struct {
	Providers []*Provider
	Total     int
	Page      int
	Pages     int
	Place     *Place
	// UnknownPlace is set when the location matched no city or ZIP code.
	UnknownPlace bool
}

// earthRadiusMiles is the mean radius of the Earth.
const earthRadiusMiles = 3958.8

// Haversine is the great-circle distance in miles between two points given in degrees.
func Haversine(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusMiles * math.Asin(math.Min(1, math.Sqrt(a)))
}

// BoundingBox is the latitude/longitude box around a point that holds every point within
// miles of it (a little larger, never smaller), for an index prefilter.
func BoundingBox(lat, lon, miles float64) (minLat, maxLat, minLon, maxLon float64) {
	dLat := miles / earthRadiusMiles * 180 / math.Pi
	c := math.Cos(math.Min(89, math.Abs(lat)+dLat) * math.Pi / 180)
	dLon := dLat / math.Max(c, 0.01)
	pad := 1.001
	return lat - dLat*pad, lat + dLat*pad, lon - dLon*pad, lon + dLon*pad
}

// ProviderDirectory reads the provider directory.
type ProviderDirectory struct{ DB *db.DB }

// Specialties lists the specialties in the directory, alphabetically.
func (s ProviderDirectory) Specialties(ctx context.Context) ([]string, error) {
	rows, err := s.DB.R.QueryContext(ctx, "SELECT DISTINCT specialty FROM providers WHERE specialty <> '' ORDER BY specialty")
	if err != nil {
		return nil, fmt.Errorf("provider specialties: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sp string
		if err := rows.Scan(&sp); err != nil {
			return nil, fmt.Errorf("provider specialties: %w", err)
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// FindPlace looks up a five-digit ZIP code or a city name ("Fresno", "fresno, ca").
func (s ProviderDirectory) FindPlace(ctx context.Context, text string) (*Place, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, ErrNotFound
	}
	var p Place
	var err error
	if zip := leadingZIP(text); zip != "" {
		err = s.DB.R.QueryRowContext(ctx, "SELECT city, zip, lat, lon FROM places WHERE zip = ? LIMIT 1", zip).Scan(&p.City, &p.ZIP, &p.Lat, &p.Lon)
		if errors.Is(err, sql.ErrNoRows) {
			// A ZIP code we hold no coordinates for: take the nearest known one in the same
			// three-digit area (ZIP codes that share it lie close together).
			err = s.DB.R.QueryRowContext(ctx, `SELECT city, zip, lat, lon FROM places WHERE zip BETWEEN ? AND ?
				ORDER BY abs(CAST(zip AS INTEGER) - ?), zip LIMIT 1`, zip[:3]+"00", zip[:3]+"99", zip).Scan(&p.City, &p.ZIP, &p.Lat, &p.Lon)
		}
	} else {
		city := strings.TrimSpace(text)
		if i := strings.IndexByte(city, ','); i >= 0 {
			city = strings.TrimSpace(city[:i])
		}
		if len(city) > 80 {
			return nil, ErrNotFound
		}
		err = s.DB.R.QueryRowContext(ctx, "SELECT city, zip, lat, lon FROM places WHERE city = ? COLLATE NOCASE ORDER BY zip LIMIT 1", city).
			Scan(&p.City, &p.ZIP, &p.Lat, &p.Lon)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find place: %w", err)
	}
	return &p, nil
}

// leadingZIP returns the five digits of a ZIP code (or ZIP+4), or "".
func leadingZIP(s string) string {
	if len(s) < 5 {
		return ""
	}
	for i := 0; i < 5; i++ {
		if s[i] < '0' || s[i] > '9' {
			return ""
		}
	}
	if len(s) > 5 && s[5] != '-' && s[5] != ' ' {
		return ""
	}
	return s[:5]
}

// Search finds providers. With a location it keeps those within the radius
// (prefiltered on the lat/lon index by a bounding box, then by exact great-circle
// distance) nearest first; without one, by name.
func (s ProviderDirectory) Search(ctx context.Context, q ProviderQuery) (*ProviderResults, error) {
	if q.PerPage <= 0 {
		q.PerPage = 20
	}
	res := &ProviderResults{Page: 1}
	var where []string
	var args []any
	name := ProviderNameKey(q.Name)
	for _, title := range []string{"dr ", "doctor "} {
		name = strings.TrimPrefix(name, title) // directory names carry no title
	}
	if name != "" {
		name = Truncate(name, 100)
		where = append(where, "(' ' || name_key) LIKE ? ESCAPE '\\'")
		args = append(args, "% "+escapeLike(name)+"%")
	}
	if q.Specialty != "" {
		where = append(where, "specialty = ?")
		args = append(args, q.Specialty)
	}
	if ProviderKindLabel(q.Type) != "" {
		where = append(where, "type = ?")
		args = append(args, q.Type)
	}
	if ValidPlanType(q.PlanType) {
		where = append(where, "instr(' ' || plan_types || ' ', ?) > 0")
		args = append(args, " "+q.PlanType+" ")
	}
	if q.Accepting {
		where = append(where, "accepting = 1")
	}
	if q.Language != "" {
		where = append(where, "instr(languages, ?) > 0")
		args = append(args, "|"+q.Language+"|")
	}
	if strings.TrimSpace(q.Location) != "" {
		place, err := s.FindPlace(ctx, q.Location)
		if errors.Is(err, ErrNotFound) {
			res.UnknownPlace = true
			return res, nil
		}
		if err != nil {
			return nil, err
		}
		res.Place = place
		radius := q.RadiusMiles
		if radius <= 0 {
			radius = 25
		}
		minLat, maxLat, minLon, maxLon := BoundingBox(place.Lat, place.Lon, float64(radius))
		where = append(where, "lat BETWEEN ? AND ?", "lon BETWEEN ? AND ?")
		args = append(args, minLat, maxLat, minLon, maxLon)
		all, err := s.query(ctx, where, args, "name_key, id", 20000, 0)
		if err != nil {
			return nil, err
		}
		var near []*Provider
		for _, p := range all {
			p.Distance = Haversine(place.Lat, place.Lon, p.Lat, p.Lon)
			if p.Distance <= float64(radius) {
				p.HasPlace = true
				p.placeLabel = place.Label()
				near = append(near, p)
			}
		}
		sort.SliceStable(near, func(i, j int) bool { return near[i].Distance < near[j].Distance })
		res.Total = len(near)
		res.Pages = (res.Total + q.PerPage - 1) / q.PerPage
		res.Page = clampPage(q.Page, res.Total, q.PerPage)
		from := (res.Page - 1) * q.PerPage
		res.Providers = near[from:min(from+q.PerPage, len(near))]
		return res, nil
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	if err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM providers"+cond, args...).Scan(&res.Total); err != nil {
		return nil, fmt.Errorf("provider search count: %w", err)
	}
	res.Pages = (res.Total + q.PerPage - 1) / q.PerPage
	res.Page = clampPage(q.Page, res.Total, q.PerPage)
	list, err := s.query(ctx, where, args, "name_key, id", q.PerPage, (res.Page-1)*q.PerPage)
	if err != nil {
		return nil, err
	}
	res.Providers = list
	return res, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s ProviderDirectory) query(ctx context.Context, where []string, args []any, order string, limit, offset int) ([]*Provider, error) {
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, npi, type, name, specialty, group_name, address, city, zip, phone, lat, lon, languages,
		accepting, plan_types, gender FROM providers`+cond+" ORDER BY "+order+" LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("provider search: %w", err)
	}
	defer rows.Close()
	var out []*Provider
	for rows.Next() {
		var p Provider
		var langs, plans string
		if err := rows.Scan(&p.ID, &p.NPI, &p.Type, &p.Name, &p.Specialty, &p.GroupName, &p.Address, &p.City, &p.ZIP, &p.Phone,
			&p.Lat, &p.Lon, &langs, &p.Accepting, &plans, &p.Gender); err != nil {
			return nil, fmt.Errorf("provider search: %w", err)
		}
		p.Languages = strings.FieldsFunc(langs, func(r rune) bool { return r == '|' })
		p.PlanTypes = strings.Fields(plans)
		out = append(out, &p)
	}
	return out, rows.Err()
}

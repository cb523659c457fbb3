package models_test

import (
	"context"
	"math"
	"portico/db/dbtest"
	"testing"

	"portico/models"
)

// TestHaversine checks a known distance: Los Angeles City Hall to San Francisco City
// Hall is about 347 miles.
func TestHaversine(t *testing.T) {
	if d := models.Haversine(34.0537, -118.2428, 37.7793, -122.4193); math.Abs(d-347.4) > 2 {
		t.Errorf("LA–SF %.1f miles", d)
	}
	if d := models.Haversine(36.7, -119.8, 36.7, -119.8); d != 0 {
		t.Errorf("same point %.3f", d)
	}
}

// TestProviderDistance: a provider just inside the radius is found and one just outside
// is not, in every direction (the bounding box never cuts off a point within the radius).
func TestProviderDistance(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	const lat, lon = 36.7323, -119.7849 // Fresno 93721
	if _, err := d.W.Exec("INSERT INTO places(city, zip, lat, lon) VALUES ('Fresno', '93721', ?, ?)", lat, lon); err != nil {
		t.Fatal(err)
	}
	milesPerDegLat := 3958.8 * math.Pi / 180
	add := func(name string, dLat, dLon float64, typ string) {
		if _, err := d.W.Exec(`INSERT INTO providers(npi, type, name, name_key, specialty, address, city, zip, phone, lat, lon, languages, accepting, plan_types)
			VALUES ('1234567893', ?, ?, ?, 'Cardiology', '1 Main St', 'Fresno', '93721', '(559) 555-0100', ?, ?, '|English|Spanish|', 1, 'commercial medical')`,
			typ, name, models.ProviderNameKey(name), lat+dLat, lon+dLon); err != nil {
			t.Fatal(err)
		}
	}
	in, out := 9.9/milesPerDegLat, 10.1/milesPerDegLat
	cosLat := math.Cos(lat * math.Pi / 180)
	add("North Inside", in, 0, "physician")
	add("North Outside", out, 0, "physician")
	add("East Inside", 0, in/cosLat, "physician")
	add("West Outside", 0, -out/cosLat, "physician")
	add("South Inside", -in, 0, "hospital")
	dir := models.ProviderDirectory{DB: d}
	res, err := dir.Search(ctx, models.ProviderQuery{Location: "93721", RadiusMiles: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, p := range res.Providers {
		got[p.Name] = p.Distance
	}
	for _, name := range []string{"North Inside", "East Inside", "South Inside"} {
		if d, ok := got[name]; !ok || d > 10 || d < 9.8 {
			t.Errorf("%s: distance %.3f, found %v", name, d, ok)
		}
	}
	for _, name := range []string{"North Outside", "West Outside"} {
		if _, ok := got[name]; ok {
			t.Errorf("%s found within 10 miles", name)
		}
	}
	if res.Total != 3 {
		t.Errorf("total %d, want 3", res.Total)
	}
	// 25 miles takes them all, nearest first.
	res, _ = dir.Search(ctx, models.ProviderQuery{Location: "fresno, ca", RadiusMiles: 25})
	if res.Total != 5 || res.Providers[0].Distance > res.Providers[4].Distance {
		t.Errorf("25 miles: %d providers", res.Total)
	}
	// Other filters combine with distance.
	res, _ = dir.Search(ctx, models.ProviderQuery{Location: "93721", RadiusMiles: 10, Type: "hospital", Language: "Spanish", PlanType: "medical", Accepting: true})
	if res.Total != 1 || res.Providers[0].Name != "South Inside" {
		t.Errorf("type filter within radius: %d", res.Total)
	}
	res, _ = dir.Search(ctx, models.ProviderQuery{Name: "insid", PlanType: "medicare"})
	if res.Total != 0 {
		t.Errorf("plan type filter: %d", res.Total)
	}
	res, _ = dir.Search(ctx, models.ProviderQuery{Name: "Dr. south"})
	if res.Total != 1 {
		t.Errorf("name with a title: %d", res.Total)
	}
	res, _ = dir.Search(ctx, models.ProviderQuery{Name: "INSIDE"})
	if res.Total != 3 {
		t.Errorf("name search: %d", res.Total)
	}
	// A ZIP code without coordinates of its own starts from the nearest known one nearby.
	res, _ = dir.Search(ctx, models.ProviderQuery{Location: "93727", RadiusMiles: 10})
	if res.Place == nil || res.Place.ZIP != "93721" || res.Total != 3 {
		t.Errorf("nearby ZIP: place %+v, %d providers", res.Place, res.Total)
	}
	for _, far := range []string{"94110", "00000", "9372"} {
		if res, _ := dir.Search(ctx, models.ProviderQuery{Location: far}); !res.UnknownPlace {
			t.Errorf("%s was placed at %+v", far, res.Place)
		}
	}
	res, _ = dir.Search(ctx, models.ProviderQuery{Location: "Nowhere"})
	if !res.UnknownPlace {
		t.Error("unknown place not reported")
	}
}

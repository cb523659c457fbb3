package models_test

import (
	"context"
	"portico/db/dbtest"
	"strings"
	"testing"

	"portico/db/demo"
	"portico/models"
)

// TestImportProviders: good rows land in the directory (coordinates from the file or from
// the ZIP code on file), a known location is updated, and a file with a bad row changes
// nothing and names every bad line.
func TestImportProviders(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	if _, err := d.W.Exec("INSERT INTO places(city, zip, lat, lon) VALUES ('Fresno', '93721', 36.7323, -119.7849)"); err != nil {
		t.Fatal(err)
	}
	im := models.Importer{DB: d}
	npi1, npi2 := demo.NPI(111111111), demo.NPI(222222222)
	good := "npi,type,name,specialty,address,city,zip,phone,lat,lon,languages,accepting,plan_types\n" +
		npi1 + ",physician,Ana Núñez MD,Cardiology,1 Main St,Fresno,93721,(559) 555-0101,,,English;Spanish,yes,commercial medi-cal\n" +
		npi2 + ",PPG,Clovis Medical Group,,9 Oak Ave,Clovis,93612,(559) 555-0102,36.8252,-119.7029,,no,\n"
	res, err := im.Providers(ctx, strings.NewReader(good))
	if err != nil || len(res.Problems) > 0 || res.Written != 2 {
		t.Fatalf("import: %+v %v", res, err)
	}
	dir := models.ProviderDirectory{DB: d}
	found, _ := dir.Search(ctx, models.ProviderQuery{Location: "93612", RadiusMiles: 10})
	if found.Total != 2 {
		t.Errorf("within 10 miles of the new ZIP 93612: %d providers", found.Total)
	}
	found, _ = dir.Search(ctx, models.ProviderQuery{Name: "nunez", Language: "Spanish", PlanType: "medical", Accepting: true})
	if found.Total != 1 || found.Providers[0].Lat != 36.7323 {
		t.Errorf("imported physician: %+v", found.Providers)
	}
	// The same location again updates it.
	res, _ = im.Providers(ctx, strings.NewReader("npi,type,name,address,city,zip,phone\n"+npi1+",physician,Ana Núñez-Ruiz MD,1 Main St,Fresno,93721,(559) 555-0101\n"))
	var n int
	d.R.QueryRow("SELECT COUNT(*) FROM providers").Scan(&n)
	if res.Written != 1 || n != 2 {
		t.Errorf("update: written %d, %d providers", res.Written, n)
	}
	bad := "npi,type,name,address,city,zip,phone,lat,lon,accepting\n" +
		npi1 + ",physician,Fine Row,2 Main St,Fresno,93721,(559) 555-0103,,,\n" +
		"1234567890,physician,Bad NPI,1 Main St,Fresno,93721,x,,,\n" +
		npi2 + ",dentist,Bad Type,1 Main St,Fresno,93721,x,,,\n" +
		npi2 + ",hospital,No Place,1 Main St,Nowhere,99999,x,,,\n" +
		npi2 + ",hospital,Bad Coordinates,1 Main St,Fresno,93721,x,95,0,\n" +
		npi2 + ",hospital,Bad Accepting,1 Main St,Fresno,93721,x,,,maybe\n"
	res, err = im.Providers(ctx, strings.NewReader(bad))
	if err != nil || res.Written != 0 || len(res.Problems) != 5 {
		t.Fatalf("bad file: %+v %v", res, err)
	}
	for i, want := range []string{"line 3: npi", "line 4: type", "line 5: no coordinates", "line 6: lat", "line 7: accepting"} {
		if !strings.HasPrefix(res.Problems[i], want) {
			t.Errorf("problem %d = %q, want %q…", i, res.Problems[i], want)
		}
	}
	d.R.QueryRow("SELECT COUNT(*) FROM providers").Scan(&n)
	if n != 2 {
		t.Errorf("a file with bad rows changed the directory: %d providers", n)
	}
	if _, err := im.Providers(ctx, strings.NewReader("npi,name\n1,x\n")); err == nil {
		t.Error("a file without the required columns was read")
	}
}

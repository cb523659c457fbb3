package models_test

import (
	"context"
	"portico/db/dbtest"
	"strings"
	"testing"

	"portico/db"
	"portico/db/demo"
	"portico/models"
)

func demoDB(t *testing.T) *db.DB {
	t.Helper()
	d := dbtest.Migrated(t)
	if _, err := demo.Run(context.Background(), d, demo.Options{Members: 50}); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestImportMembers(t *testing.T) {
	ctx := context.Background()
	d := demoDB(t)
	im := models.Importer{DB: d}
	good := "member_id,first_name,last_name,suffix,dob,plan_code,effective_date,relationship,subscriber_id,pcp_tin\n" +
		"a9-0000001,Ana,Núñez,,1990-02-03,IFP-S70,2026-01-01,self,,95-1234567\n" +
		"A90000002,Luis,Núñez,Jr.,2015-06-07,IFP-S70,2026-01-01,child,A90000001,95-1234567\n" +
		"A100000001,Maria,Lopez-Garcia,,1985-03-14,IFP-S70,2026-01-01,self,,95-1234567\n"
	res, err := im.Members(ctx, strings.NewReader(good))
	if err != nil || len(res.Problems) > 0 || res.Written != 3 {
		t.Fatalf("good file: %+v %v", res, err)
	}
	m, err := models.Members{DB: d}.ByMemberID(ctx, "A90000002")
	if err != nil || m.Suffix != "Jr." || m.PlanType != "commercial" {
		t.Fatalf("imported dependent: %+v %v", m, err)
	}
	var key, last string
	d.R.QueryRow("SELECT last_name_key FROM members WHERE member_id = 'A90000001'").Scan(&key)
	d.R.QueryRow("SELECT last_name FROM members WHERE member_id = 'A100000001'").Scan(&last)
	if key != "nunez" || last != "Lopez-Garcia" {
		t.Errorf("key %q, updated last name %q", key, last)
	}
	// One bad row: nothing is written, and the problem names its line.
	bad := "member_id,first_name,last_name,dob,plan_code,effective_date\n" +
		"A90000003,Eva,Stone,1970-01-01,IFP-S70,2026-01-01\n" +
		"A90000004,Tom,Stone,01/02/1970,IFP-S70,2026-01-01\n" +
		"A90000005,Kim,Stone,1970-01-01,NOPE,2026-01-01\n"
	res, err = im.Members(ctx, strings.NewReader(bad))
	if err != nil || len(res.Problems) != 2 || !strings.HasPrefix(res.Problems[0], "line 3:") || !strings.HasPrefix(res.Problems[1], "line 4:") {
		t.Fatalf("bad file: %+v %v", res, err)
	}
	if _, err := (models.Members{DB: d}).ByMemberID(ctx, "A90000003"); err == nil {
		t.Error("a file with bad rows still wrote its good rows")
	}
	for name, body := range map[string]string{"empty": "", "no header columns": "a,b\n1,2\n", "not csv": "x,\"y\n"} {
		if _, err := im.Members(ctx, strings.NewReader(body)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestImportClaims(t *testing.T) {
	ctx := context.Background()
	d := demoDB(t)
	im := models.Importer{DB: d}
	file := "claim_no,member_id,tin,status,received_date,service_date,code,billed,allowed,paid,member_resp\n" +
		"X1,A100000001,95-1234567,paid,2026-10-05,2026-10-01,99213,150.00,93.00,58.00,35.00\n" +
		"X1,A100000001,95-1234567,paid,2026-10-05,2026-10-02,36415,$25,15.50,15.50,0\n"
	res, err := im.Claims(ctx, strings.NewReader(file))
	if err != nil || len(res.Problems) > 0 || res.Written != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	var billed, paid int64
	var from, to string
	var lines int
	d.R.QueryRow("SELECT billed_cents, paid_cents, service_from, service_to, (SELECT COUNT(*) FROM claim_lines WHERE claim_id = claims.id) FROM claims WHERE claim_no = 'X1'").
		Scan(&billed, &paid, &from, &to, &lines)
	if billed != 17500 || paid != 7350 || from != "2026-10-01" || to != "2026-10-02" || lines != 2 {
		t.Errorf("claim X1: billed %d paid %d %s..%s lines %d", billed, paid, from, to, lines)
	}
	// The same claim again, and a line with a bad amount: refused, nothing written.
	res, err = im.Claims(ctx, strings.NewReader(file+"X2,A100000001,95-1234567,paid,2026-10-05,2026-10-01,99213,lots,1,1,0\n"))
	if err != nil || len(res.Problems) != 2 {
		t.Fatalf("%+v %v", res, err)
	}
}

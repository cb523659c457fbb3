package demo_test

import (
	"context"
	"testing"
	"time"

	"portico/db"
	"portico/db/dbtest"
	"portico/db/demo"
)

func mustTime(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// filledDemo is a migrated database with the demo data set of the given size, at a
// fixed anchor date.
func filledDemo(t *testing.T, members int) *db.DB {
	t.Helper()
	d := dbtest.Migrated(t)
	if _, err := demo.Run(context.Background(), d, demo.Options{Members: members, Anchor: mustTime("2026-11-01")}); err != nil {
		t.Fatal(err)
	}
	return d
}

package models_test

import (
	"context"
	"slices"
	"testing"

	"portico/models"
)

// TestVerifiedTINIDsMatchAccountTINIDs: the payment history takes the TINs its query may
// use from the account's TINs it has loaded (VerifiedTINIDs) instead of asking again
// (AccountTINIDs); for every account, with pending, rejected and verified TINs added
// (numbered before the rest, so that number order is not ID order), both give the
// same IDs in the same order.
func TestVerifiedTINIDsMatchAccountTINIDs(t *testing.T) {
	ctx := context.Background()
	d := demoDB(t)
	for _, x := range []struct{ tin, status string }{{"000000001", "pending"}, {"000000002", "rejected"}, {"000000003", "verified"}} {
		if _, err := d.W.ExecContext(ctx, `INSERT INTO tins (account_id, tin, name, status, created_at)
			VALUES ((SELECT account_id FROM users WHERE email = 'manager@sunrise.example'), ?, 'Added', ?, '2026-01-01T00:00:00Z')`, x.tin, x.status); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := d.R.QueryContext(ctx, "SELECT id FROM provider_accounts ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	var accounts []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		accounts = append(accounts, id)
	}
	rows.Close()
	if len(accounts) < 2 {
		t.Fatalf("the demo has %d accounts", len(accounts))
	}
	excluded := 0
	for _, account := range accounts {
		tins, err := models.Accounts{DB: d}.TINs(ctx, account)
		if err != nil {
			t.Fatal(err)
		}
		want, err := models.Members{DB: d}.AccountTINIDs(ctx, account)
		if err != nil {
			t.Fatal(err)
		}
		got := models.VerifiedTINIDs(tins)
		if !slices.Equal(got, want) {
			t.Errorf("account %d: VerifiedTINIDs %v, AccountTINIDs %v", account, got, want)
		}
		excluded += len(tins) - len(got)
	}
	if excluded != 2 {
		t.Errorf("%d unverified TINs left out, want the 2 added", excluded)
	}
}

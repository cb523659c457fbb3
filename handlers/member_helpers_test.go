package handlers

import (
	"fmt"
	"testing"
)

// tinID is the row ID of a nine-digit TIN, as the context bar posts it.
func (ta *testApp) tinID(t testing.TB, tin string) string {
	t.Helper()
	var id int64
	if err := ta.db.R.QueryRow("SELECT id FROM tins WHERE tin = ?", tin).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(id)
}

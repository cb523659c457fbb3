package models

import (
	"testing"
	"time"
)

func TestParseDOB(t *testing.T) {
	today := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	ok := map[string]string{"1985-03-14": "1985-03-14", "03/14/1985": "1985-03-14", "3/4/1985": "1985-03-04", " 03-14-1985 ": "1985-03-14", "2026-11-22": "2026-11-22"}
	for in, want := range ok {
		if got, msg := ParseDOB(in, today); got != want || msg != "" {
			t.Errorf("ParseDOB(%q) = %q, %q", in, got, msg)
		}
	}
	for _, in := range []string{"", "14/03/1985", "1985-02-30", "2026-11-23", "1899-12-31", "yesterday", "1985/03/14"} {
		if got, msg := ParseDOB(in, today); got != "" || msg == "" {
			t.Errorf("ParseDOB(%q) = %q, accepted", in, got)
		}
	}
}

func TestCoverageStatus(t *testing.T) {
	for _, c := range []struct{ eff, end, want string }{
		{"2026-01-01", "", StatusActive},
		{"2026-01-01", "2026-11-22", StatusActive},
		{"2026-01-01", "2026-11-21", StatusTerminated},
		{"2026-12-01", "", StatusFuture},
	} {
		if got := CoverageStatus(c.eff, c.end, "2026-11-22"); got != c.want {
			t.Errorf("%v: %s", c, got)
		}
	}
}

func TestLooksLikeMemberID(t *testing.T) {
	for s, want := range map[string]bool{"A100000001": true, "a-10 0": true, "Smith": false, "O'Brien Jr.": false, "Smith III": false} {
		if LooksLikeMemberID(s) != want {
			t.Errorf("%q", s)
		}
	}
}

func TestAccumulator(t *testing.T) {
	a := Accumulator{Limit: 250000, Met: 50000}
	if a.Remaining() != 200000 || a.Percent() != 20 {
		t.Errorf("%+v: remaining %d percent %d", a, a.Remaining(), a.Percent())
	}
	if (Accumulator{Limit: 100, Met: 100}).Remaining() != 0 || (Accumulator{}).Percent() != 0 {
		t.Error("limits")
	}
}

func TestPaperlessSealBindsAccount(t *testing.T) {
	p := Paperless{Key: make([]byte, 32)}
	sealed, err := p.seal(7, "account", "123456789")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.open(7, "account", sealed); err != nil || got != "123456789" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := p.open(8, "account", sealed); err == nil {
		t.Error("ciphertext of account 7 opened as account 8")
	}
	if _, err := p.open(7, "routing", sealed); err == nil {
		t.Error("account number opened as routing number")
	}
}

func TestPaperlessKeyFile(t *testing.T) {
	path := t.TempDir() + "/paperless.key"
	k1, err := PaperlessKey(path)
	if err != nil || len(k1) != 32 {
		t.Fatalf("%v %d", err, len(k1))
	}
	k2, err := PaperlessKey(path)
	if err != nil || string(k1) != string(k2) {
		t.Fatal("key changed between loads")
	}
}

func TestDollars(t *testing.T) {
	for c, want := range map[int64]string{0: "$0.00", 5: "$0.05", 3500: "$35.00", 123456789: "$1,234,567.89", -1050: "-$10.50"} {
		if got := Dollars(c); got != want {
			t.Errorf("Dollars(%d) = %q, want %q", c, got, want)
		}
	}
}

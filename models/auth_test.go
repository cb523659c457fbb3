package models

import (
	"context"
	"database/sql"
	"portico/db/dbtest"
	"strings"
	"testing"
	"time"

	"portico/db"
)

func TestCommonPasswordListShipped(t *testing.T) {
	if n := CommonPasswordCount(); n < 10000 {
		t.Fatalf("only %d common passwords shipped", n)
	}
	for _, pw := range []string{"password", "123456", "qwerty", "iloveyou", "PASSWORD"} {
		if !IsCommonPassword(pw) {
			t.Errorf("%q not on the list", pw)
		}
	}
}

func TestPasswordProblem(t *testing.T) {
	cases := []struct {
		pw, email, name string
		want            string // substring of the reason; "" = allowed
	}{
		{"correct horse battery staple", "jane@clinic.example", "Jane Doe", ""},
		{"日本語のパスワードです十二文字", "a@b.example", "", ""}, // any Unicode, counted in characters
		{"🔒🔑🏥🩺💊🧾📋🖊️📎📁🗂️🔐", "a@b.example", "", ""},
		{"short pass", "a@b.example", "", "at least 12"},
		{"ñññññ", "a@b.example", "", "at least 12"},
		{"passwordpassword", "a@b.example", "", "common or breached"},
		{"Password1234", "a@b.example", "", "common or breached"}, // a listed word plus digits
		{"qwertyuiop123", "a@b.example", "", "common or breached"},
		{"aaaaaaaaaaaaaaaa", "a@b.example", "", "repeats one character"},
		{"my name is jane.doe here", "jane.doe@clinic.example", "", "e-mail"},
		{"sunrise-family-medicine-1", "x@y.example", "Sunrise Family Medicine", "account's name"},
		{strings.Repeat("long passphrase ", 7) + "x", "a@b.example", "", ""},
		{strings.Repeat("x1", 65), "a@b.example", "", "at most 128"},
	}
	for _, c := range cases {
		got := PasswordProblem(c.pw, c.email, c.name)
		if (c.want == "") != (got == "") || (c.want != "" && !strings.Contains(got, c.want)) {
			t.Errorf("PasswordProblem(%q) = %q, want %q", c.pw, got, c.want)
		}
	}
}

func TestNPIAndTIN(t *testing.T) {
	if !ValidNPI("1234567893") || ValidNPI("1234567894") {
		t.Error("NPI Luhn check with the 80840 prefix")
	}
	for in, want := range map[string]string{"95-1234567": "951234567", " 951234567 ": "951234567", "95 123 4567": "951234567"} {
		if got, ok := NormalizeTIN(in); !ok || got != want {
			t.Errorf("NormalizeTIN(%q) = %q %v", in, got, ok)
		}
	}
	for _, bad := range []string{"95-123456", "95-12345678", "9a-1234567", ""} {
		if _, ok := NormalizeTIN(bad); ok {
			t.Errorf("NormalizeTIN(%q) accepted", bad)
		}
	}
	if FormatTIN("951234567") != "95-1234567" {
		t.Error("FormatTIN")
	}
}

func TestRateLimiterSlidingWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := NewRateLimiter(func() time.Time { return now })
	for i := 0; i < 3; i++ {
		if !r.Allow("k", 3, time.Minute) {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if r.Allow("k", 3, time.Minute) || !r.Allow("other", 3, time.Minute) {
		t.Fatal("limit not per key")
	}
	now = now.Add(61 * time.Second)
	if !r.Allow("k", 3, time.Minute) {
		t.Fatal("the window did not slide")
	}
}

func TestSingleUseTokens(t *testing.T) {
	d := dbtest.Migrated(t)
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d.Clock = db.NewClock(func() time.Time { return now })
	tokens := Tokens{DB: d}
	var tok, expiring string
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if tok, err = tokens.CreateTokenTx(ctx, tx, TokenReset, 0, 30*time.Minute); err != nil {
			return err
		}
		expiring, err = tokens.CreateTokenTx(ctx, tx, TokenReset, 0, 30*time.Minute)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var stored int
	d.R.QueryRow("SELECT COUNT(*) FROM auth_tokens WHERE token_hash IN (?, ?)", tok, expiring).Scan(&stored)
	if stored != 0 {
		t.Fatal("a plain token was stored")
	}
	use := func(token, kind string) error {
		return d.Tx(ctx, func(tx *sql.Tx) error { _, err := tokens.UseTokenTx(ctx, tx, kind, token); return err })
	}
	if err := use(tok, TokenInvite); err != ErrLinkUsed {
		t.Fatalf("a reset token worked as an invitation: %v", err)
	}
	if err := use(tok, TokenReset); err != nil {
		t.Fatal(err)
	}
	if err := use(tok, TokenReset); err != ErrLinkUsed {
		t.Fatalf("second use: %v", err)
	}
	now = now.Add(31 * time.Minute)
	if err := use(expiring, TokenReset); err != ErrLinkUsed {
		t.Fatalf("expired use: %v", err)
	}
}

package models

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTruncateKeepsUTF8(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"Zoë", 3, "Zoë"},
		{"Zoë Núñez", 4, "Zoë…"},
		{"ééé", 2, "é…"},
		{"abc\xffdef", 10, "abc\uFFFDdef"},
	} {
		if got := Truncate(c.in, c.n); got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
	long := "X" + strings.Repeat("ñ", 100)
	for n := 0; n < 60; n++ {
		if s := CutRunes(long, n); !utf8.ValidString(s) || utf8.RuneCountInString(s) != n {
			t.Fatalf("CutRunes(%d) = %q", n, s)
		}
		if s := Truncate(long, n); !utf8.ValidString(s) || utf8.RuneCountInString(s) > n {
			t.Fatalf("Truncate(%d) = %q", n, s)
		}
	}
}

func TestAdminSearchRefusesLongInputBeforeSQL(t *testing.T) {
	// No database is needed: the length is checked before any query.
	_, err := Accounts{}.Search(t.Context(), strings.Repeat("a", 100<<10))
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
}

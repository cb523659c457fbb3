package models

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Password length limits (SPEC §2, NIST SP 800-63B): counted in Unicode characters.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 128
)

// commonPasswordsText is the common-password list of the npm package
// @zxcvbn-ts/language-common 4.1.3 (MIT licence), dictionary "passwords-common":
// 49,233 passwords seen most often in breaches, lower-cased, one per line.
//
//go:embed data/common_passwords.txt
var commonPasswordsText string

var (
	commonOnce      sync.Once
	commonPasswords map[string]struct{}
)

func loadCommonPasswords() {
	commonPasswords = make(map[string]struct{}, 50000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			commonPasswords[w] = struct{}{}
		}
	}
}

// CommonPasswordCount is how many passwords the shipped list holds.
func CommonPasswordCount() int {
	commonOnce.Do(loadCommonPasswords)
	return len(commonPasswords)
}

// IsCommonPassword reports whether pw (ignoring case) is on the shipped list.
func IsCommonPassword(pw string) bool {
	commonOnce.Do(loadCommonPasswords)
	_, ok := commonPasswords[strings.ToLower(pw)]
	return ok
}

// PasswordProblem returns why pw may not be used, in words for the user, or "" when it
// may. There are no composition rules: length, the common-password list, and nothing
// taken from the user's own e-mail or name or account name (SPEC §2).
func PasswordProblem(pw, email string, names ...string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return "The password could not be read. Please type it again."
	case n < MinPasswordLen:
		return "Use at least 12 characters. A few unrelated words make a long password that is easy to remember."
	case n > MaxPasswordLen:
		return "Use at most 128 characters."
	}
	lower := strings.ToLower(pw)
	if IsCommonPassword(lower) || IsCommonPassword(strings.TrimRight(lower, "0123456789!.?")) {
		return "This password is on a list of common or breached passwords that attackers try first. Choose another."
	}
	if first, _ := utf8.DecodeRuneInString(pw); strings.Count(pw, string(first)) == n {
		return "This password repeats one character. Choose something harder to guess."
	}
	local, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	if len(local) >= 3 && strings.Contains(lower, local) {
		return "The password must not contain your e-mail address or name."
	}
	squashed := squash(lower)
	for _, name := range names {
		if w := squash(strings.ToLower(name)); utf8.RuneCountInString(w) >= 4 && strings.Contains(squashed, w) {
			return "The password must not contain your e-mail address, your name or your account's name."
		}
	}
	if strings.Contains(lower, "portico") && utf8.RuneCountInString(strings.ReplaceAll(lower, "portico", "")) < 8 {
		return "The password is too close to the portal's name. Choose something harder to guess."
	}
	return ""
}

// squash keeps only letters and digits, so "Sunrise Family" matches "sunrise-family".
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// NewPassword is a new password typed twice, as a form sends it. Its spaces are kept
// (trim:"no"): they are part of the password. For tells whose password it is, before
// the form is checked, so that it may not contain their e-mail or names.
type NewPassword struct {
	Password string `form:"password" trim:"no"`
	Confirm  string `form:"password_confirm" trim:"no"`
	email    string
	names    []string
}

// For sets whose password this is: their e-mail and the names it must not contain.
func (p *NewPassword) For(email string, names ...string) {
	p.email, p.names = email, names
}

// Validate applies the password policy, then asks for the same password twice.
func (p *NewPassword) Validate() FieldErrors {
	errs := FieldErrors{}
	if msg := PasswordProblem(p.Password, p.email, p.names...); msg != "" {
		errs["password"] = msg
	} else if p.Password != p.Confirm {
		errs["password_confirm"] = "The two passwords are not the same. Type the new password again."
	}
	return errs
}

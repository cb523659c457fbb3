package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMailSettings: the SMTP password comes from the environment or a private file,
// never needs the command line; the CA file is read; start-up warns about a password in
// the URL and about a loopback base URL, and logs no secret.
func TestMailSettings(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	parse := func(args ...string) *config {
		t.Helper()
		var out bytes.Buffer
		c, _, err := parseConfig("portico", args, getenv, &out)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	env["PORTICO_SMTP_URL"] = "smtp://portico@mail.plan.test:587"
	env["PORTICO_SMTP_PASSWORD"] = "from-the-environment"
	env["PORTICO_BASE_URL"] = "https://portal.plan.test"
	c := parse()
	if c.MailFrom != "portico@plan.example" {
		t.Fatalf("default sender %q", c.MailFrom)
	}
	mc, warnings, err := c.mailSettings()
	if err != nil || mc.password != "from-the-environment" || mc.passwordSource != "environment" || len(warnings) != 0 {
		t.Fatalf("env password: %+v %v %v", mc, warnings, err)
	}
	if attrs := fmt.Sprint(c.logAttrs()...); strings.Contains(attrs, "from-the-environment") || !strings.Contains(attrs, "PORTICO_SMTP_PASSWORD") {
		t.Fatalf("settings log: %s", attrs)
	}

	// A password file readable by others is refused; a private one is used.
	delete(env, "PORTICO_SMTP_PASSWORD")
	pw := filepath.Join(dir, "smtp-password")
	os.WriteFile(pw, []byte("from-a-file\n"), 0o640)
	c = parse("--smtp-password-file", pw, "--mail-from", "notices@plan.test")
	if _, _, err := c.mailSettings(); err == nil || !strings.Contains(err.Error(), "0640") {
		t.Fatalf("a group-readable password file was accepted (%v)", err)
	}
	os.Chmod(pw, 0o600)
	mc, _, err = c.mailSettings()
	if err != nil || mc.password != "from-a-file" || c.MailFrom != "notices@plan.test" {
		t.Fatalf("file password: %+v %v", mc, err)
	}
	env["PORTICO_SMTP_PASSWORD"] = "both"
	if _, _, err := parse("--smtp-password-file", pw).mailSettings(); err == nil {
		t.Fatal("a password given twice was accepted")
	}
	delete(env, "PORTICO_SMTP_PASSWORD")

	// The CA file must hold a certificate.
	bad := filepath.Join(dir, "ca.pem")
	os.WriteFile(bad, []byte("not a certificate"), 0o644)
	if _, _, err := parse("--smtp-ca", bad).mailSettings(); err == nil {
		t.Fatal("a CA file without a certificate was accepted")
	}

	// Warnings: password in the URL, loopback base URL; the log shows neither secret.
	c = parse("--smtp-url", "smtps://portico:hunter2@mail.plan.test:465", "--base-url", "http://127.0.0.1:8080")
	_, warnings, err = c.mailSettings()
	if err != nil || len(warnings) != 2 || !strings.Contains(warnings[0], "ps") || !strings.Contains(warnings[1], "loopback") {
		t.Fatalf("warnings %q, err %v", warnings, err)
	}
	if attrs := fmt.Sprint(c.logAttrs()...); strings.Contains(attrs, "hunter2") || !strings.Contains(attrs, "portico@mail.plan.test:465") {
		t.Fatalf("settings log: %s", attrs)
	}
	for _, u := range []string{"http://localhost:8080", "http://[::1]:8080", "http://0.0.0.0:8080"} {
		if !loopbackURL(u) {
			t.Errorf("%s is loopback", u)
		}
	}
	if loopbackURL("https://portal.plan.test") || loopbackURL("http://10.0.0.5:8080") {
		t.Error("a LAN or public base URL counted as loopback")
	}
	if _, _, err := parse("--smtp-url", "http://mail.plan.test").mailSettings(); err == nil {
		t.Fatal("an http:// SMTP URL was accepted")
	}
	if _, _, err := parse("--mail-from", "Plan <x@plan.test>").mailSettings(); err == nil {
		t.Fatal("a --mail-from with a display name was accepted")
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/db"
	"portico/db/demo"
	"portico/internal/smtptest"
	"portico/models"
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

// TestServeDeliversWithSMTPCA runs the server as an operator would, against a mail server
// whose certificate is signed by the plan's own CA: without --smtp-ca the mail is refused
// and stays queued with the reason; with it (and the password from the environment) the
// mail is delivered with the plan's name, the base URL's domain and Auto-Submitted.
func TestServeDeliversWithSMTPCA(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "portico.db")
	d, err := db.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	keys, err := models.OpenKeyring(ctx, filepath.Join(dir, "portico.key"), d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Run(ctx, d, demo.Options{Members: 40, Keyring: keys}); err != nil {
		t.Fatal(err)
	}
	if err := (models.Outbox{DB: d}).Enqueue(ctx, "manager@sunrise.example", models.NoticeSubject, "A secure message is waiting.\n"); err != nil {
		t.Fatal(err)
	}
	ca := smtptest.NewCA(t)
	caFile := filepath.Join(dir, "plan-ca.pem")
	os.WriteFile(caFile, ca.PEM, 0o644)
	sink := smtptest.Start(t, "starttls", ca.Server, "env-secret")
	env := map[string]string{"PORTICO_SMTP_PASSWORD": "env-secret"}
	getenv := func(k string) string { return env[k] }

	// serveUntil runs the server until the queued mail's row satisfies done.
	serveUntil := func(extra []string, done string) (status, reason string) {
		t.Helper()
		sctx, cancel := context.WithCancel(ctx)
		errc := make(chan error, 1)
		var out safeBuffer
		args := append([]string{"portico", "--db", path, "--addr", "127.0.0.1:0", "--base-url", "https://portal.plan.test",
			"--smtp-url", "smtp://portico@" + sink.Addr}, extra...)
		go func() { errc <- run(sctx, args, getenv, &out) }()
		deadline := time.Now().Add(20 * time.Second)
		for {
			var ok bool
			d.R.QueryRow("SELECT status, last_error, "+done+" FROM outbox WHERE to_addr = 'manager@sunrise.example' AND status <> 'held' ORDER BY id DESC LIMIT 1").
				Scan(&status, &reason, &ok)
			if ok || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		cancel()
		if err := <-errc; err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
		return status, reason
	}

	status, reason := serveUntil(nil, "attempts >= 1")
	if status != "queued" || !strings.Contains(reason, "certificate") || len(sink.Mails()) != 0 {
		t.Fatalf("without --smtp-ca: status %s, reason %q, %d mails delivered", status, reason, len(sink.Mails()))
	}
	d.W.Exec("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE status = 'queued'")
	status, reason = serveUntil([]string{"--smtp-ca", caFile}, "status = 'sent'")
	mails := sink.Mails()
	if status != "sent" || len(mails) != 1 {
		t.Fatalf("with --smtp-ca: status %s (%s), %d mails", status, reason, len(mails))
	}
	for _, want := range []string{`From: "Pacific Crest Health Plan" <portico@plan.example>`, "Auto-Submitted: auto-generated", "@portal.plan.test>"} {
		if !strings.Contains(mails[0], want) {
			t.Errorf("the delivered mail lacks %q:\n%s", want, mails[0])
		}
	}
	// The demo data set's seeded notices stayed held: the one mail delivered is ours.
	var held, other int
	d.R.QueryRow("SELECT SUM(status = 'held'), SUM(status NOT IN ('held', 'sent')) FROM outbox").Scan(&held, &other)
	if held == 0 || other != 0 {
		t.Errorf("seeded mail: %d held, %d neither held nor sent", held, other)
	}
	if h := sink.Helos(); h[len(h)-1] != "portal.plan.test" {
		t.Errorf("EHLO %v", h)
	}
}

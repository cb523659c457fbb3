package models_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/internal/smtptest"
	"portico/models"
)

// opsQueue empties the demo outbox's queue and queues one mail to each address.
func opsQueue(t *testing.T, e *msgEnv, to ...string) {
	t.Helper()
	if _, err := e.d.W.Exec("UPDATE outbox SET status = 'sent' WHERE status IN ('queued','held')"); err != nil {
		t.Fatal(err)
	}
	for _, addr := range to {
		if err := (models.Outbox{DB: e.d}).Enqueue(context.Background(), addr, models.NoticeSubject, "A secure message is waiting.\n"); err != nil {
			t.Fatal(err)
		}
	}
}

func opsRow(t *testing.T, e *msgEnv, to string) (status string, attempts int, reason string) {
	t.Helper()
	if err := e.d.R.QueryRow("SELECT status, attempts, last_error FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1", to).
		Scan(&status, &attempts, &reason); err != nil {
		t.Fatal(err)
	}
	return
}

// TestMailPrivateCA: a mail server whose certificate is signed by the plan's own CA is
// refused with the system roots alone (the mail stays queued with the reason and the
// connection is closed), and delivered once the CA file is given (--smtp-ca), over
// STARTTLS and implicit TLS, with the password from the settings rather than the URL.
func TestMailPrivateCA(t *testing.T) {
	ca := smtptest.NewCA(t)
	caFile := filepath.Join(t.TempDir(), "plan-ca.pem")
	if err := os.WriteFile(caFile, ca.PEM, 0o644); err != nil {
		t.Fatal(err)
	}
	pool, err := models.LoadCAFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ mode, scheme string }{{"starttls", "smtp"}, {"implicit", "smtps"}} {
		t.Run(tc.mode, func(t *testing.T) {
			e := newMsgEnv(t)
			ctx := context.Background()
			sink := smtptest.Start(t, tc.mode, ca.Server, "s3cret-from-file")
			addr := sink.Addr
			opsQueue(t, e, "manager@sunrise.example")
			m := models.Mailer{URL: tc.scheme + "://portico@" + addr, Password: "s3cret-from-file", From: "portal@plan.test",
				FromName: "Test Plan", BaseURL: "https://portal.plan.test", Timeout: 5 * time.Second}

			sent, failed, err := models.DeliverDue(ctx, models.Outbox{DB: e.d}, m, 10)
			if err != nil || sent != 0 || failed != 1 {
				t.Fatalf("without the CA: sent %d failed %d err %v", sent, failed, err)
			}
			status, attempts, reason := opsRow(t, e, "manager@sunrise.example")
			if status != "queued" || attempts != 1 || !strings.Contains(reason, "certificate") {
				t.Fatalf("without the CA: status %s attempts %d reason %q", status, attempts, reason)
			}
			sink.WaitClosed(t)

			e.d.W.Exec("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE status = 'queued'")
			m.RootCAs = pool
			sent, failed, err = models.DeliverDue(ctx, models.Outbox{DB: e.d}, m, 10)
			if err != nil || sent != 1 || failed != 0 {
				_, _, reason := opsRow(t, e, "manager@sunrise.example")
				t.Fatalf("with the CA: sent %d failed %d err %v (%s)", sent, failed, err, reason)
			}
			if status, _, _ := opsRow(t, e, "manager@sunrise.example"); status != "sent" {
				t.Fatalf("status %s after delivery", status)
			}
			if n := len(sink.Mails()); n != 1 {
				t.Fatalf("the server got %d mails", n)
			}
		})
	}
}

// TestMailHeaders: a delivered mail has the plan's name as the From display name, a
// Message-ID in the base URL's domain, Auto-Submitted, one mailer header, and the
// server was greeted with the base URL's host, not the machine's name.
func TestMailHeaders(t *testing.T) {
	ca := smtptest.NewCA(t)
	pool := ca.Pool()
	e := newMsgEnv(t)
	sink := smtptest.Start(t, "starttls", ca.Server, "s3cret-from-file")
	addr := sink.Addr
	opsQueue(t, e, "manager@sunrise.example")
	m := models.Mailer{URL: "smtp://portico@" + addr, Password: "s3cret-from-file", From: "notices@plan.test",
		FromName: "Pacific Crest Health Plan", BaseURL: "https://portal.plan.test:8443", RootCAs: pool, Timeout: 5 * time.Second}
	if sent, _, err := models.DeliverDue(context.Background(), models.Outbox{DB: e.d}, m, 10); err != nil || sent != 1 {
		t.Fatalf("sent %d, err %v", sent, err)
	}
	mails := sink.Mails()
	if len(mails) != 1 {
		t.Fatalf("%d mails", len(mails))
	}
	head, _, _ := strings.Cut(strings.ReplaceAll(mails[0], "\r\n", "\n"), "\n\n")
	for _, want := range []string{`From: "Pacific Crest Health Plan" <notices@plan.test>`, "Auto-Submitted: auto-generated", "To: <manager@sunrise.example>"} {
		if !strings.Contains(head, want) {
			t.Errorf("header lacks %q:\n%s", want, head)
		}
	}
	var msgID string
	mailers := 0
	for _, line := range strings.Split(head, "\n") {
		k, v, _ := strings.Cut(line, ":")
		switch strings.ToLower(k) {
		case "message-id":
			msgID = strings.TrimSpace(v)
		case "x-mailer", "user-agent":
			mailers++
		}
	}
	if !strings.HasSuffix(msgID, "@portal.plan.test>") {
		t.Errorf("Message-ID %q is not in the portal's domain", msgID)
	}
	if mailers != 1 {
		t.Errorf("%d mailer headers (X-Mailer, User-Agent), want one:\n%s", mailers, head)
	}
	if helos := sink.Helos(); len(helos) == 0 || helos[0] != "portal.plan.test" {
		t.Errorf("EHLO names %v, want portal.plan.test", helos)
	}
}

// TestMailPermanentAndTemporaryRejection: a 5xx reply to the recipient marks the mail
// failed at once with its reason (no address in full); a 4xx reply keeps it queued for
// a later attempt.
func TestMailPermanentAndTemporaryRejection(t *testing.T) {
	ca := smtptest.NewCA(t)
	pool := ca.Pool()
	e := newMsgEnv(t)
	sink := smtptest.Start(t, "implicit", ca.Server, "s3cret-from-file")
	addr := sink.Addr
	opsQueue(t, e, "perm@clinic.example", "temp@clinic.example", "ok@clinic.example")
	var logged bytes.Buffer
	m := models.Mailer{URL: "smtps://portico@" + addr, Password: "s3cret-from-file", From: "notices@plan.test",
		BaseURL: "https://portal.plan.test", RootCAs: pool, Timeout: 5 * time.Second, Logger: slog.New(slog.NewTextHandler(&logged, nil))}
	sent, failed, err := models.DeliverDue(context.Background(), models.Outbox{DB: e.d}, m, 10)
	if err != nil || sent != 1 || failed != 2 {
		t.Fatalf("sent %d failed %d err %v", sent, failed, err)
	}
	status, attempts, reason := opsRow(t, e, "perm@clinic.example")
	if status != "failed" || attempts != 1 || !strings.Contains(reason, "550") || strings.Contains(reason, "perm@clinic.example") {
		t.Fatalf("5xx: status %s attempts %d reason %q", status, attempts, reason)
	}
	status, attempts, reason = opsRow(t, e, "temp@clinic.example")
	if status != "queued" || attempts != 1 || !strings.Contains(reason, "451") {
		t.Fatalf("4xx: status %s attempts %d reason %q", status, attempts, reason)
	}
	// The log names each failed mail by ID with its reason, never the address in full.
	var permID int64
	e.d.R.QueryRow("SELECT id FROM outbox WHERE to_addr = 'perm@clinic.example'").Scan(&permID)
	log := logged.String()
	if !strings.Contains(log, fmt.Sprintf("mail_id=%d ", permID)) || !strings.Contains(log, "550") || strings.Contains(log, "perm@clinic.example") ||
		strings.Contains(log, "temp@clinic.example") || strings.Count(log, "mail delivery failed") != 2 {
		t.Fatalf("log:\n%s", log)
	}
	var next string
	e.d.R.QueryRow("SELECT next_attempt_at FROM outbox WHERE to_addr = 'temp@clinic.example'").Scan(&next)
	if next <= e.d.NowText() {
		t.Fatalf("4xx: next attempt %s is not later", next)
	}
	sink.WaitClosed(t)
}

// TestMailExpiredResetNotSent: a reset link that waited in the queue longer than its
// lifetime is not delivered; the user gets a mail without a link token telling them to
// ask again.
func TestMailExpiredResetNotSent(t *testing.T) {
	ca := smtptest.NewCA(t)
	pool := ca.Pool()
	e := newMsgEnv(t)
	ctx := context.Background()
	sink := smtptest.Start(t, "starttls", ca.Server, "s3cret-from-file")
	addr := sink.Addr
	opsQueue(t, e)
	if err := (models.Users{DB: e.d}).RequestPasswordReset(ctx, "manager@sunrise.example", "https://portal.plan.test", "Test Plan", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	var id int64
	var kind, expires string
	e.d.R.QueryRow("SELECT id, kind, COALESCE(expires_at,'') FROM outbox WHERE status = 'queued'").Scan(&id, &kind, &expires)
	if kind != models.MailReset || expires == "" {
		t.Fatalf("the reset mail has kind %q, expiry %q", kind, expires)
	}
	// The mail server was down for 31 minutes.
	e.d.W.Exec("UPDATE outbox SET expires_at = ? WHERE id = ?", e.d.Now().Add(-time.Minute).Format(models.TimeFormat), id)
	m := models.Mailer{URL: "smtp://portico@" + addr, Password: "s3cret-from-file", From: "notices@plan.test", FromName: "Test Plan",
		BaseURL: "https://portal.plan.test", RootCAs: pool, Timeout: 5 * time.Second}
	o := models.Outbox{DB: e.d}
	for range 2 { // the first round expires the link and queues the notice, the second sends it
		if _, _, err := models.DeliverDue(ctx, o, m, 10); err != nil {
			t.Fatal(err)
		}
	}
	var status string
	e.d.R.QueryRow("SELECT status FROM outbox WHERE id = ?", id).Scan(&status)
	if status != models.MailExpired {
		t.Fatalf("the expired reset mail has status %s", status)
	}
	mails := sink.Mails()
	if len(mails) != 1 {
		t.Fatalf("the server got %d mails, want only the ask-again notice", len(mails))
	}
	got := mails[0]
	if strings.Contains(got, "/login/reset/") || !strings.Contains(got, "https://portal.plan.test/login/reset") ||
		!strings.Contains(got, "could not be sent in time") {
		t.Fatalf("the ask-again mail:\n%s", got)
	}
}

// TestDemoSeedMailNeverDelivered: the demo data set's seeded notices are held: pointed at
// a working mail server, delivery sends none of them.
func TestDemoSeedMailNeverDelivered(t *testing.T) {
	ca := smtptest.NewCA(t)
	pool := ca.Pool()
	e := newMsgEnv(t)
	var held, queued int
	e.d.R.QueryRow("SELECT SUM(status = 'held'), SUM(status = 'queued') FROM outbox").Scan(&held, &queued)
	if held == 0 || queued != 0 {
		t.Fatalf("after seeding: %d held, %d queued", held, queued)
	}
	sink := smtptest.Start(t, "starttls", ca.Server, "s3cret-from-file")
	addr := sink.Addr
	m := models.Mailer{URL: "smtp://portico@" + addr, Password: "s3cret-from-file", From: "notices@plan.test",
		BaseURL: "https://portal.plan.test", RootCAs: pool, Timeout: 5 * time.Second}
	sent, failed, err := models.DeliverDue(context.Background(), models.Outbox{DB: e.d}, m, 100)
	if err != nil || sent != 0 || failed != 0 {
		t.Fatalf("sent %d failed %d err %v", sent, failed, err)
	}
	if len(sink.Mails()) != 0 || sink.Opened.Load() != 0 {
		t.Fatalf("seeded mail reached the server: %d mails, %d connections", len(sink.Mails()), sink.Opened.Load())
	}
}

// TestMailSecretsAndNames: the password file must be private; URLs are logged without
// their password; addresses in reasons are masked.
func TestMailSecretsAndNames(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "smtp-password")
	os.WriteFile(f, []byte("s3cret\n"), 0o644)
	if _, err := models.ReadSecretFile(f); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a world-readable password file was accepted (%v)", err)
	}
	os.Chmod(f, 0o600)
	if s, err := models.ReadSecretFile(f); err != nil || s != "s3cret" {
		t.Fatalf("password %q, err %v", s, err)
	}
	if got := models.RedactURL("smtp://portico:hunter2@mail.plan.test:587"); strings.Contains(got, "hunter2") || !strings.Contains(got, "portico@mail.plan.test:587") {
		t.Fatalf("redacted URL %q", got)
	}
	if got := models.MailReason(io.ErrUnexpectedEOF); got != "unexpected EOF" {
		t.Fatalf("reason %q", got)
	}
	if got := models.MaskAddress("maria.lopez@clinic.example"); got != "m…@clinic.example" {
		t.Fatalf("masked %q", got)
	}
	if (models.Mailer{BaseURL: "http://127.0.0.1:8080"}).Host() != "[127.0.0.1]" {
		t.Fatal("an IP base URL must greet with an address literal")
	}
}

// TestMailRefusedTLSClosesConnection: a server that offers no STARTTLS gets nothing, and
// the connection is closed at once rather than left to the garbage collector.
func TestMailRefusedTLSClosesConnection(t *testing.T) {
	ca := smtptest.NewCA(t)
	e := newMsgEnv(t)
	sink := smtptest.Start(t, "plain", ca.Server, "s3cret-from-file")
	addr := sink.Addr
	opsQueue(t, e, "manager@sunrise.example")
	m := models.Mailer{URL: "smtp://portico@" + addr, Password: "s3cret-from-file", From: "notices@plan.test",
		BaseURL: "https://portal.plan.test", Timeout: 5 * time.Second}
	sent, failed, err := models.DeliverDue(context.Background(), models.Outbox{DB: e.d}, m, 10)
	if err != nil || sent != 0 || failed != 1 {
		t.Fatalf("sent %d failed %d err %v", sent, failed, err)
	}
	if _, _, reason := opsRow(t, e, "manager@sunrise.example"); !strings.Contains(reason, "STARTTLS") {
		t.Fatalf("reason %q", reason)
	}
	sink.WaitClosed(t)
	if len(sink.Mails()) != 0 {
		t.Fatal("mail went out without TLS")
	}
}

// TestNoticeNamesWriter: a new-message notice says who wrote (the office by its name,
// or the plan), and holds nothing from the message.
func TestNoticeNamesWriter(t *testing.T) {
	e := newMsgEnv(t)
	ctx := context.Background()
	opsQueue(t, e)
	u := e.user(t, "manager@sunrise.example")
	rep := e.user(t, "rep@plan.example")
	res, err := e.m.Start(ctx, models.NewThread{AccountID: u.AccountID, Department: models.DeptProviderServices, PlanType: models.PlanCommercial},
		models.MessageAuthor{User: u}, models.MessageDraft{Subject: "Wombat-subject-3391", Body: "Wombat body 5512"}, models.AuditEntry{UserID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	var toPlan string
	e.d.R.QueryRow("SELECT body FROM outbox WHERE status = 'queued' AND to_addr = 'rep@plan.example'").Scan(&toPlan)
	if !strings.Contains(toPlan, "from the provider office Sunrise Family Medicine") {
		t.Fatalf("notice to the plan:\n%s", toPlan)
	}
	th, _ := e.m.ThreadFor(ctx, u, res.ThreadID)
	if _, err := e.m.Reply(ctx, th, models.MessageAuthor{User: rep}, models.MessageDraft{Body: "Wombat reply 7781"}, models.AuditEntry{UserID: rep.ID}); err != nil {
		t.Fatal(err)
	}
	var toOffice string
	e.d.R.QueryRow("SELECT body FROM outbox WHERE status = 'queued' AND to_addr = 'manager@sunrise.example'").Scan(&toOffice)
	if !strings.Contains(toOffice, "A new secure message from Test Plan is waiting") {
		t.Fatalf("notice to the office:\n%s", toOffice)
	}
	for _, b := range []string{toPlan, toOffice} {
		if strings.Contains(b, "Wombat") {
			t.Fatalf("a notice holds message text:\n%s", b)
		}
	}
}

// TestMailServerUnreachableStopsRound: with the mail server down, one mail records the
// attempt and the reason; the rest wait for the next round untouched, instead of each
// waiting out its own connection attempt.
func TestMailServerUnreachableStopsRound(t *testing.T) {
	e := newMsgEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	opsQueue(t, e, "a@clinic.example", "b@clinic.example", "c@clinic.example")
	m := models.Mailer{URL: "smtp://portico@" + addr, Password: "x", From: "notices@plan.test", BaseURL: "https://portal.plan.test", Timeout: 5 * time.Second}
	sent, failed, err := models.DeliverDue(context.Background(), models.Outbox{DB: e.d}, m, 10)
	if err != nil || sent != 0 || failed != 1 {
		t.Fatalf("sent %d failed %d err %v", sent, failed, err)
	}
	var tried, waiting int
	e.d.R.QueryRow("SELECT SUM(attempts = 1 AND last_error LIKE '%refused%'), SUM(attempts = 0 AND status = 'queued') FROM outbox WHERE to_addr LIKE '_@clinic.example'").
		Scan(&tried, &waiting)
	if tried != 1 || waiting != 2 {
		t.Fatalf("%d mails tried, %d waiting untouched", tried, waiting)
	}
}

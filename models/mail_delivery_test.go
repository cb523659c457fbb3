package models_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"portico/models"
)

// opsCA is a private certificate authority, as a plan runs for its own mail server, and
// a server certificate for 127.0.0.1 signed by it.
type opsCA struct {
	caPEM  []byte
	server tls.Certificate
}

func newOpsCA(t *testing.T) opsCA {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	anchor := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(10), Subject: pkix.Name{CommonName: "Test Plan Mail CA"},
		NotBefore: anchor.Add(-time.Hour), NotAfter: anchor.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(11), Subject: pkix.Name{CommonName: "mail.plan.test"},
		NotBefore: anchor.Add(-time.Hour), NotAfter: anchor.Add(24 * time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return opsCA{caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		server: tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key}}
}

// opsSink is a go-smtp server that records what it received, refuses recipients whose
// local part is "perm" (550) or "temp" (451), and counts connections opened and closed.
type opsSink struct {
	mu       sync.Mutex
	mails    []string
	helos    []string
	opened   atomic.Int32
	closed   atomic.Int32
	password string
}

type opsSession struct{ s *opsSink }

func (b *opsSink) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.mu.Lock()
	b.helos = append(b.helos, c.Hostname())
	b.mu.Unlock()
	return &opsSession{b}, nil
}
func (s *opsSession) Reset()                               {}
func (s *opsSession) Logout() error                        { return nil }
func (s *opsSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *opsSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch {
	case strings.HasPrefix(to, "perm@"):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unknown: " + to}
	case strings.HasPrefix(to, "temp@"):
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	return nil
}
func (s *opsSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.s.mu.Lock()
	s.s.mails = append(s.s.mails, string(b))
	s.s.mu.Unlock()
	return err
}
func (s *opsSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *opsSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "portico" || pass != s.s.password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		return nil
	}), nil
}

type countingListener struct {
	net.Listener
	s *opsSink
}

type countedConn struct {
	net.Conn
	once sync.Once
	s    *opsSink
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.s.closed.Add(1) })
	return c.Conn.Close()
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.s.opened.Add(1)
	return &countedConn{Conn: c, s: l.s}, nil
}

// startOpsSMTP serves STARTTLS ("starttls"), implicit TLS ("implicit") or no TLS at all
// ("plain") on loopback.
func startOpsSMTP(t *testing.T, mode string, cert tls.Certificate) (*opsSink, string) {
	t.Helper()
	sink := &opsSink{password: "s3cret-from-file"}
	srv := smtp.NewServer(sink)
	srv.Domain = "mail.plan.test"
	srv.ReadTimeout, srv.WriteTimeout = 20*time.Second, 20*time.Second
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	if mode == "plain" {
		srv.TLSConfig, srv.AllowInsecureAuth = nil, true
	}
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var ln net.Listener = countingListener{raw, sink}
	if mode == "implicit" {
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return sink, raw.Addr().String()
}

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

// waitClosed waits until the server saw every connection closed.
func waitClosed(t *testing.T, s *opsSink) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if s.opened.Load() > 0 && s.closed.Load() == s.opened.Load() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%d connections opened, only %d closed", s.opened.Load(), s.closed.Load())
}

// TestMailPrivateCA: a mail server whose certificate is signed by the plan's own CA is
// refused with the system roots alone (the mail stays queued with the reason and the
// connection is closed), and delivered once the CA file is given (--smtp-ca), over
// STARTTLS and implicit TLS, with the password from the settings rather than the URL.
func TestMailPrivateCA(t *testing.T) {
	ca := newOpsCA(t)
	caFile := filepath.Join(t.TempDir(), "plan-ca.pem")
	if err := os.WriteFile(caFile, ca.caPEM, 0o644); err != nil {
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
			sink, addr := startOpsSMTP(t, tc.mode, ca.server)
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
			waitClosed(t, sink)

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
			sink.mu.Lock()
			defer sink.mu.Unlock()
			if len(sink.mails) != 1 {
				t.Fatalf("the server got %d mails", len(sink.mails))
			}
		})
	}
}

// TestMailHeaders: a delivered mail has the plan's name as the From display name, a
// Message-ID in the base URL's domain, Auto-Submitted, one mailer header, and the
// server was greeted with the base URL's host, not the machine's name.
func TestMailHeaders(t *testing.T) {
	ca := newOpsCA(t)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca.caPEM)
	e := newMsgEnv(t)
	sink, addr := startOpsSMTP(t, "starttls", ca.server)
	opsQueue(t, e, "manager@sunrise.example")
	m := models.Mailer{URL: "smtp://portico@" + addr, Password: "s3cret-from-file", From: "notices@plan.test",
		FromName: "Pacific Crest Health Plan", BaseURL: "https://portal.plan.test:8443", RootCAs: pool, Timeout: 5 * time.Second}
	if sent, _, err := models.DeliverDue(context.Background(), models.Outbox{DB: e.d}, m, 10); err != nil || sent != 1 {
		t.Fatalf("sent %d, err %v", sent, err)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.mails) != 1 {
		t.Fatalf("%d mails", len(sink.mails))
	}
	head, _, _ := strings.Cut(strings.ReplaceAll(sink.mails[0], "\r\n", "\n"), "\n\n")
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
	if len(sink.helos) == 0 || sink.helos[0] != "portal.plan.test" {
		t.Errorf("EHLO names %v, want portal.plan.test", sink.helos)
	}
}

// TestMailPermanentAndTemporaryRejection: a 5xx reply to the recipient marks the mail
// failed at once with its reason (no address in full); a 4xx reply keeps it queued for
// a later attempt.
func TestMailPermanentAndTemporaryRejection(t *testing.T) {
	ca := newOpsCA(t)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca.caPEM)
	e := newMsgEnv(t)
	sink, addr := startOpsSMTP(t, "implicit", ca.server)
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
	waitClosed(t, sink)
}

// TestMailExpiredResetNotSent: a reset link that waited in the queue longer than its
// lifetime is not delivered; the user gets a mail without a link token telling them to
// ask again.
func TestMailExpiredResetNotSent(t *testing.T) {
	ca := newOpsCA(t)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca.caPEM)
	e := newMsgEnv(t)
	ctx := context.Background()
	sink, addr := startOpsSMTP(t, "starttls", ca.server)
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
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.mails) != 1 {
		t.Fatalf("the server got %d mails, want only the ask-again notice", len(sink.mails))
	}
	got := sink.mails[0]
	if strings.Contains(got, "/login/reset/") || !strings.Contains(got, "https://portal.plan.test/login/reset") ||
		!strings.Contains(got, "could not be sent in time") {
		t.Fatalf("the ask-again mail:\n%s", got)
	}
}

// TestDemoSeedMailNeverDelivered: the demo data set's seeded notices are held: pointed at
// a working mail server, delivery sends none of them.
func TestDemoSeedMailNeverDelivered(t *testing.T) {
	ca := newOpsCA(t)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca.caPEM)
	e := newMsgEnv(t)
	var held, queued int
	e.d.R.QueryRow("SELECT SUM(status = 'held'), SUM(status = 'queued') FROM outbox").Scan(&held, &queued)
	if held == 0 || queued != 0 {
		t.Fatalf("after seeding: %d held, %d queued", held, queued)
	}
	sink, addr := startOpsSMTP(t, "starttls", ca.server)
	m := models.Mailer{URL: "smtp://portico@" + addr, Password: "s3cret-from-file", From: "notices@plan.test",
		BaseURL: "https://portal.plan.test", RootCAs: pool, Timeout: 5 * time.Second}
	sent, failed, err := models.DeliverDue(context.Background(), models.Outbox{DB: e.d}, m, 100)
	if err != nil || sent != 0 || failed != 0 {
		t.Fatalf("sent %d failed %d err %v", sent, failed, err)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.mails) != 0 || sink.opened.Load() != 0 {
		t.Fatalf("seeded mail reached the server: %d mails, %d connections", len(sink.mails), sink.opened.Load())
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
	ca := newOpsCA(t)
	e := newMsgEnv(t)
	sink, addr := startOpsSMTP(t, "plain", ca.server)
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
	waitClosed(t, sink)
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.mails) != 0 {
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

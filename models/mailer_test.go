package models_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"portico/models"
)

// msgSMTPSink is a real SMTP server (emersion/go-smtp) on loopback that records mail.
type msgSMTPSink struct {
	mu    sync.Mutex
	mails []string
	auth  []string
}

type msgSinkSession struct{ s *msgSMTPSink }

func (b *msgSMTPSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &msgSinkSession{b}, nil }
func (s *msgSinkSession) Reset()                                   {}
func (s *msgSinkSession) Logout() error                            { return nil }
func (s *msgSinkSession) Mail(string, *smtp.MailOptions) error     { return nil }
func (s *msgSinkSession) Rcpt(string, *smtp.RcptOptions) error     { return nil }
func (s *msgSinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.s.mu.Lock()
	s.s.mails = append(s.s.mails, string(b))
	s.s.mu.Unlock()
	return err
}
func (s *msgSinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *msgSinkSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "portico" || pass != "s3cret" {
			return errors.New("bad credentials")
		}
		s.s.mu.Lock()
		s.s.auth = append(s.s.auth, user)
		s.s.mu.Unlock()
		return nil
	}), nil
}

// msgTestCert makes a self-signed certificate for 127.0.0.1 and a pool that trusts it.
func msgTestCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtp test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// startMsgSMTP serves on loopback: mode "starttls", "plain" (no TLS offered) or "implicit".
func startMsgSMTP(t *testing.T, mode string, cert tls.Certificate) (*msgSMTPSink, string) {
	t.Helper()
	sink := &msgSMTPSink{}
	srv := smtp.NewServer(sink)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case "starttls":
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	case "implicit":
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		ln = tls.NewListener(ln, srv.TLSConfig)
	case "plain":
		srv.TLSConfig = nil
		srv.AllowInsecureAuth = true
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return sink, ln.Addr().String()
}

func TestMailDeliveryOverTLS(t *testing.T) {
	cert, pool := msgTestCert(t)
	for _, tc := range []struct{ mode, scheme string }{{"starttls", "smtp"}, {"implicit", "smtps"}} {
		t.Run(tc.mode, func(t *testing.T) {
			e := newMsgEnv(t)
			ctx := context.Background()
			sink, addr := startMsgSMTP(t, tc.mode, cert)
			o := models.Outbox{DB: e.d}
			if err := o.Enqueue(ctx, "manager@sunrise.example", models.NoticeSubject, "A secure message is waiting.\n"); err != nil {
				t.Fatal(err)
			}
			var queued int
			e.d.R.QueryRow("SELECT COUNT(*) FROM outbox WHERE status = 'queued'").Scan(&queued)
			m := models.Mailer{URL: tc.scheme + "://portico:s3cret@" + addr, From: "portico@plan.example",
				TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}, Timeout: 10 * time.Second}
			sent, failed, err := models.DeliverDue(ctx, o, m, 100)
			if err != nil || failed != 0 || sent != queued {
				var reason string
				e.d.R.QueryRow("SELECT last_error FROM outbox WHERE last_error <> '' LIMIT 1").Scan(&reason)
				t.Fatalf("sent %d of %d, failed %d, err %v (%s)", sent, queued, failed, err, reason)
			}
			sink.mu.Lock()
			defer sink.mu.Unlock()
			if len(sink.mails) != queued || len(sink.auth) == 0 {
				t.Fatalf("server got %d mails (want %d), auth %v", len(sink.mails), queued, sink.auth)
			}
			var got bool
			for _, s := range sink.mails {
				got = got || strings.Contains(s, "A secure message is waiting")
			}
			if !got {
				t.Fatal("the notice did not arrive")
			}
			var left int
			e.d.R.QueryRow("SELECT COUNT(*) FROM outbox WHERE status = 'queued'").Scan(&left)
			if left != 0 {
				t.Fatalf("%d mails not marked sent", left)
			}
		})
	}
}

// TestMailRefusesServerWithoutTLS: a server that offers no STARTTLS gets nothing; the
// mail stays queued with the reason and a later attempt time.
func TestMailRefusesServerWithoutTLS(t *testing.T) {
	e := newMsgEnv(t)
	ctx := context.Background()
	cert, pool := msgTestCert(t)
	sink, addr := startMsgSMTP(t, "plain", cert)
	o := models.Outbox{DB: e.d}
	e.d.W.Exec("UPDATE outbox SET status = 'sent'")
	if err := o.Enqueue(ctx, "manager@sunrise.example", models.NoticeSubject, "waiting\n"); err != nil {
		t.Fatal(err)
	}
	m := models.Mailer{URL: "smtp://portico:s3cret@" + addr, From: "portico@plan.example",
		TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}, Timeout: 10 * time.Second}
	sent, failed, err := models.DeliverDue(ctx, o, m, 10)
	if err != nil || sent != 0 || failed != 1 {
		t.Fatalf("sent %d failed %d err %v", sent, failed, err)
	}
	var status, reason, next string
	var attempts int
	e.d.R.QueryRow("SELECT status, attempts, last_error, next_attempt_at FROM outbox ORDER BY id DESC LIMIT 1").Scan(&status, &attempts, &reason, &next)
	if status != "queued" || attempts != 1 || !strings.Contains(strings.ToLower(reason), "starttls") || next <= e.d.NowText() {
		t.Fatalf("status %s attempts %d reason %q next %s", status, attempts, reason, next)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.mails) != 0 || len(sink.auth) != 0 {
		t.Fatal("the server without TLS received mail or credentials")
	}
}

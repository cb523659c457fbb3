// Package smtptest runs a real SMTP server (emersion/go-smtp) on loopback for tests,
// with a private certificate authority as a plan runs for its own mail server. It
// records what it received, refuses recipients whose local part is "perm" (550) or
// "temp" (451), and counts the connections it saw opened and closed.
package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// CA is a private certificate authority and a server certificate for 127.0.0.1 that it
// signed.
type CA struct {
	// PEM is the authority's certificate, as an operator gives it with --smtp-ca.
	PEM []byte
	// Server is the mail server's certificate chain and key.
	Server tls.Certificate
}

// Pool is a certificate pool holding only the authority.
func (ca CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AppendCertsFromPEM(ca.PEM)
	return p
}

// NewCA makes a CA and a server certificate valid for a day around now (TLS checks
// certificates against the wall clock).
func NewCA(t testing.TB) CA {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(10), Subject: pkix.Name{CommonName: "Test Plan Mail CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
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
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return CA{PEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		Server: tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key}}
}

// Server is a running test SMTP server.
type Server struct {
	// Addr is host:port on loopback.
	Addr string
	// User and Password are the only credentials AUTH PLAIN accepts.
	User, Password string
	// Opened and Closed count connections.
	Opened, Closed atomic.Int32

	mu    sync.Mutex
	mails []string
	helos []string
}

// Mails returns the raw messages received so far.
func (s *Server) Mails() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.mails...)
}

// Helos returns the EHLO names clients gave.
func (s *Server) Helos() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.helos...)
}

// WaitClosed waits up to three seconds until every connection was closed, and fails
// the test otherwise.
func (s *Server) WaitClosed(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if s.Opened.Load() > 0 && s.Closed.Load() == s.Opened.Load() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%d connections opened, only %d closed", s.Opened.Load(), s.Closed.Load())
}

// Start serves on loopback until the test ends: mode "starttls", "implicit" (TLS from
// the first byte) or "plain" (no TLS offered). The credentials are portico / password.
func Start(t testing.TB, mode string, cert tls.Certificate, password string) *Server {
	t.Helper()
	s := &Server{User: "portico", Password: password}
	srv := smtp.NewServer(backend{s})
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
	var ln net.Listener = countingListener{raw, s}
	if mode == "implicit" {
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	s.Addr = raw.Addr().String()
	return s
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.s.mu.Lock()
	b.s.helos = append(b.s.helos, c.Hostname())
	b.s.mu.Unlock()
	return &session{b.s}, nil
}

type session struct{ s *Server }

func (s *session) Reset()                               {}
func (s *session) Logout() error                        { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch {
	case strings.HasPrefix(to, "perm@"):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unknown: " + to}
	case strings.HasPrefix(to, "temp@"):
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.s.mu.Lock()
	s.s.mails = append(s.s.mails, string(b))
	s.s.mu.Unlock()
	return err
}
func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.s.User || pass != s.s.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		return nil
	}), nil
}

type countingListener struct {
	net.Listener
	s *Server
}

type countedConn struct {
	net.Conn
	once sync.Once
	s    *Server
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.s.Closed.Add(1) })
	return c.Conn.Close()
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.s.Opened.Add(1)
	return &countedConn{Conn: c, s: l.s}, nil
}

package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/db"
	"portico/handlers"
)

// Finding 9c and 9d: TLS offers AEAD suites only, and a failed handshake is logged at
// debug level as a handshake failure, not as a failed request.
func TestTLSOffersNoCBCSuiteAndLogsHandshakeFailures(t *testing.T) {
	cert, err := loadCertificate(&config{TLSSelfSigned: true, Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := tlsConfig(cert)
	insecure := map[uint16]bool{}
	for _, s := range tls.InsecureCipherSuites() {
		insecure[s.ID] = true
	}
	for _, id := range cfg.CipherSuites {
		name := tls.CipherSuiteName(id)
		if insecure[id] || strings.Contains(name, "CBC") || !strings.Contains(name, "ECDHE") ||
			!(strings.Contains(name, "GCM") || strings.Contains(name, "CHACHA20")) {
			t.Errorf("suite %s offered", name)
		}
	}
	if cfg.MinVersion != tls.VersionTLS12 {
		t.Errorf("MinVersion %x", cfg.MinVersion)
	}

	ctx := context.Background()
	d, err := db.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var logs safeBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app, _, err := handlers.New(handlers.Options{DB: d, TLS: true, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := inner.Addr().String()
	go func() { _ = app.Listener(newTLSListener(inner, cfg, logger)) }()
	defer app.Shutdown()

	dial := func(c *tls.Config) error {
		c.InsecureSkipVerify = true
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, c)
		if err == nil {
			conn.Close()
		}
		return err
	}
	cbc := []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, tls.TLS_RSA_WITH_AES_128_CBC_SHA}
	if err := dial(&tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: cbc}); err == nil {
		t.Error("a TLS 1.2 client offering only CBC suites got a connection")
	}
	for _, suite := range []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256} {
		if err := dial(&tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{suite}}); err != nil {
			t.Errorf("TLS 1.2 with %s: %v", tls.CipherSuiteName(suite), err)
		}
	}
	// Plain HTTP on the HTTPS port: the connection just closes.
	if conn, err := net.Dial("tcp", addr); err == nil {
		_, _ = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		line, _ := bufio.NewReader(conn).ReadString('\n')
		conn.Close()
		if strings.Contains(line, "502") {
			t.Errorf("plain HTTP got %q", line)
		}
	}
	// A handshake that succeeds, then a corrupt record: the connection breaks before a
	// request is read (what scanners do); that is not a failed request either.
	if raw, err := net.Dial("tcp", addr); err == nil {
		tc := tls.Client(raw, &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12})
		if err := tc.Handshake(); err != nil {
			t.Fatalf("handshake: %v", err)
		}
		_, _ = raw.Write([]byte{23, 3, 3, 0, 40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
			21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40})
		_ = raw.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _ = io.ReadAll(raw)
		raw.Close()
	}
	// TLS 1.3 serves pages.
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS13}}}
	res, err := client.Get("https://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.TLS.Version != tls.VersionTLS13 {
		t.Errorf("TLS 1.3: %d %x", res.StatusCode, res.TLS.Version)
	}
	time.Sleep(50 * time.Millisecond) // the server logs after the client sees the failure
	out := logs.String()
	if !strings.Contains(out, "level=DEBUG") || !strings.Contains(out, "TLS handshake failed") ||
		!strings.Contains(out, "connection failed before a request was read") {
		t.Errorf("handshake failures not logged at debug level:\n%s", out)
	}
	if strings.Contains(out, "request failed") || strings.Contains(out, "Bad Gateway") || strings.Contains(out, "level=ERROR") {
		t.Errorf("handshake failures logged as failed requests:\n%s", out)
	}
}

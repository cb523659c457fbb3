package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"portico/db"
	"portico/models"
)

func noEnv(string) string { return "" }

func TestConfigFlagsAndEnvironment(t *testing.T) {
	env := map[string]string{"PORTICO_ADDR": "0.0.0.0:9000", "PORTICO_DEMO": "true", "PORTICO_DEMO_MEMBERS": "1234", "PORTICO_IDLE_TIMEOUT": "20m"}
	cfg, _, err := parseConfig("portico", []string{"--db", "/tmp/x/p.db", "--plan-domain", "hp.example"}, func(k string) string { return env[k] }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "0.0.0.0:9000" || !cfg.Demo || cfg.DemoMembers != 1234 || cfg.IdleTimeout != 20*time.Minute {
		t.Errorf("environment not applied: %+v", cfg)
	}
	if cfg.DBPath != "/tmp/x/p.db" || cfg.KeyPath != "/tmp/x/portico.key" || cfg.PlanDomain != "hp.example" {
		t.Errorf("flags not applied: %+v", cfg)
	}
	if cfg.BaseURL != "http://0.0.0.0:9000" {
		t.Errorf("base URL %q", cfg.BaseURL)
	}
	// A flag beats its environment variable.
	cfg, _, _ = parseConfig("portico", []string{"--addr", "127.0.0.1:1"}, func(k string) string { return env[k] }, &bytes.Buffer{})
	if cfg.Addr != "127.0.0.1:1" {
		t.Errorf("flag lost to environment: %s", cfg.Addr)
	}
	if _, _, err := parseConfig("portico", []string{"--no-such-flag"}, noEnv, &bytes.Buffer{}); err == nil {
		t.Error("unknown flag accepted")
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "portico.db")
	d, err := db.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := (models.Audit{DB: d}).Record(ctx, models.AuditEntry{Action: "auth.login"}); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()
	var out bytes.Buffer
	if err := run(ctx, []string{"portico", "audit", "verify", "--db", path}, noEnv, &out); err != nil {
		t.Fatalf("verify of an intact log: %v", err)
	}
	if !strings.Contains(out.String(), "3 entries verified") {
		t.Errorf("output %q", out.String())
	}
	d, _ = db.Open(path)
	if _, err := d.W.Exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'nothing' WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	err = run(ctx, []string{"portico", "audit", "verify", "--db", path}, noEnv, &out)
	if err == nil || !strings.Contains(err.Error(), "entry 2") {
		t.Fatalf("tampered log: err = %v, want one naming entry 2", err)
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
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
	d.W.Exec("INSERT INTO settings(key, value) VALUES ('marker', 'before')")
	d.Close()
	var out bytes.Buffer
	backup := filepath.Join(dir, "backup.db")
	if err := run(ctx, []string{"portico", "backup", backup, "--db", path}, noEnv, &out); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"portico", "backup", backup, "--db", path}, noEnv, &out); err == nil {
		t.Error("backup overwrote an existing file")
	}
	d, _ = db.Open(path)
	d.W.Exec("UPDATE settings SET value = 'after' WHERE key = 'marker'")
	d.Close()
	if err := run(ctx, []string{"portico", "restore", backup, "--db", path}, noEnv, &out); err != nil {
		t.Fatal(err)
	}
	d, _ = db.Open(path)
	defer d.Close()
	var v string
	d.R.QueryRow("SELECT value FROM settings WHERE key = 'marker'").Scan(&v)
	if v != "before" {
		t.Errorf("after restore marker = %q, want before", v)
	}
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("not a database"), 0o600)
	if err := run(ctx, []string{"portico", "restore", notDB, "--db", path}, noEnv, &out); err == nil {
		t.Error("restore accepted a file that is not a database")
	}
}

func TestUnknownCommand(t *testing.T) {
	if err := run(context.Background(), []string{"portico", "explode"}, noEnv, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Errorf("err = %v", err)
	}
}

// TestServeSelfSignedTLSAndShutdown starts the server in process with
// --tls-self-signed, checks HTTPS answers with HSTS and the __Host- cookie, then cancels
// the context and expects a clean return (the graceful shutdown path).
func TestServeSelfSignedTLSAndShutdown(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out safeBuffer
	go func() {
		done <- run(ctx, []string{"portico", "--demo", "--demo-members", "200", "--tls-self-signed", "--addr", addr, "--db", filepath.Join(dir, "p.db")}, noEnv, &out)
	}()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	var res *http.Response
	for i := 0; i < 100; i++ {
		if res, err = client.Get("https://" + addr + "/login"); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatalf("HTTPS never answered: %v\n%s", err, out.String())
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("status %d, HSTS %q", res.StatusCode, res.Header.Get("Strict-Transport-Security"))
	}
	if ck := res.Header.Get("Set-Cookie"); !strings.HasPrefix(ck, "__Host-portico-csrf=") || !strings.Contains(ck, "secure") {
		t.Errorf("cookie %q", ck)
	}
	if !strings.Contains(out.String(), "https://"+addr) {
		t.Errorf("the printed URL is not the HTTPS one:\n%s", out.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not stop within 20 s")
	}
	if !strings.Contains(out.String(), "Stopped.") {
		t.Errorf("no shutdown message:\n%s", out.String())
	}
}

// safeBuffer is a bytes.Buffer that run's goroutine and the test may use at once.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *safeBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

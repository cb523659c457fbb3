package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// unitBlock finds each "<!-- unit: NAME -->" marker of OPERATIONS.md and the ```ini block
// after it.
var unitBlock = regexp.MustCompile("(?s)<!-- unit: ([a-z.-]+) -->\\s*```ini\\n(.*?)```")

// TestOperationsSystemdUnits checks the systemd units of OPERATIONS.md with
// `systemd-analyze verify` (Debian's systemd package), and that the service keeps the
// hardening the guide promises. Without the tool it skips with a message.
func TestOperationsSystemdUnits(t *testing.T) {
	b, err := os.ReadFile("OPERATIONS.md")
	if err != nil {
		t.Fatal(err)
	}
	if readme, err := os.ReadFile("README.md"); err != nil || !strings.Contains(string(readme), "(OPERATIONS.md)") {
		t.Error("the README does not link OPERATIONS.md")
	}
	units := unitBlock.FindAllStringSubmatch(string(b), -1)
	if len(units) < 3 {
		t.Fatalf("OPERATIONS.md holds %d unit blocks, want the service, the backup service and its timer", len(units))
	}
	var service string
	for _, u := range units {
		if u[1] == "portico.service" {
			service = u[2]
		}
	}
	for _, want := range []string{"User=portico", "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/portico",
		"LoadCredential=smtp-password:", "--smtp-password-file %d/smtp-password"} {
		if !strings.Contains(service, want) {
			t.Errorf("portico.service lacks %q", want)
		}
	}
	if strings.Contains(service, "PORTICO_SMTP_PASSWORD=") || regexp.MustCompile(`smtps?://[^@\s]*:[^@\s]*@`).MatchString(string(b)) {
		t.Error("the guide puts the SMTP password where others can read it")
	}

	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (Debian package systemd): the units were not verified")
	}
	dir := t.TempDir()
	// verify checks that ExecStart's program exists and is executable: stand-ins take
	// the place of the installed binary and backup script.
	stand := filepath.Join(dir, "stand-in")
	if err := os.WriteFile(stand, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, u := range units {
		text := strings.NewReplacer("/usr/local/bin/portico", stand, "/usr/local/sbin/portico-backup", stand).Replace(u[2])
		p := filepath.Join(dir, u[1])
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command(tool, append([]string{"verify"}, paths...)...).CombinedOutput()
	// verify exits 0 on unknown keys; any line about our files is a finding.
	var findings []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, dir) || strings.Contains(line, "portico") {
			findings = append(findings, line)
		}
	}
	if err != nil || len(findings) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestReadmeDocumentsSettings: every flag of main.go and every PORTICO_* variable the code
// reads is in the README's settings.
func TestReadmeDocumentsSettings(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	flags := regexp.MustCompile(`fs\.(?:\w+Var\(&c\.\w+,|String\(|Bool\(|Int\(|Duration\()\s*"([a-z-]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(flags) < 15 {
		t.Fatalf("found only %d flags in main.go", len(flags))
	}
	for _, f := range flags {
		env := "PORTICO_" + strings.ToUpper(strings.ReplaceAll(f[1], "-", "_"))
		for _, want := range []string{"`--" + f[1] + "`", env} {
			if !strings.Contains(string(readme), want) {
				t.Errorf("the README does not document %s", want)
			}
		}
	}
	vars := map[string]bool{}
	err = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		for _, v := range regexp.MustCompile(`PORTICO_[A-Z][A-Z0-9_]*[A-Z0-9]`).FindAllString(string(b), -1) {
			vars[v] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for v := range vars {
		if !strings.Contains(string(readme), v) {
			t.Errorf("the README does not document %s", v)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/db"
	"portico/db/demo"
	"portico/models"
)

// TestRunRefusesWithoutKeyFile: with encrypted messages in the database and portico.key
// gone, the server refuses to start with a clear message, creates no new key and leaves
// the database as it was; rotate-key refuses the same way. With the key back, rotate-key
// works.
func TestRunRefusesWithoutKeyFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "portico.db")
	keyPath := filepath.Join(dir, "portico.key")
	d, err := db.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	keys, err := models.OpenKeyring(ctx, keyPath, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Run(ctx, d, demo.Options{Members: 50, Keyring: keys}); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if err := os.Rename(keyPath, keyPath+".saved"); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(dbPath)
	getenv := func(string) string { return "" }
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for _, args := range [][]string{
		{"portico", "--db", dbPath, "--addr", "127.0.0.1:0"},
		{"portico", "rotate-key", "--db", dbPath},
	} {
		err := run(rctx, args, getenv, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "portico.key") || !strings.Contains(err.Error(), "nothing was changed") {
			t.Fatalf("%v: err = %v, want a refusal naming portico.key", args, err)
		}
		if _, err := os.Stat(keyPath); !os.IsNotExist(err) {
			t.Fatalf("%v created a new key file", args)
		}
	}
	after, _ := os.ReadFile(dbPath)
	if !bytes.Equal(before, after) {
		t.Fatal("the refused start changed the database file")
	}
	if err := os.Rename(keyPath+".saved", keyPath); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(rctx, []string{"portico", "rotate-key", "--db", dbPath}, getenv, &out); err != nil {
		t.Fatalf("rotate-key with the key file: %v", err)
	}
	if !strings.Contains(out.String(), "re-wrapped") {
		t.Fatalf("rotate-key said %q", out.String())
	}
}

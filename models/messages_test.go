package models_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/db"
	"portico/db/demo"
	"portico/models"
)

type msgEnv struct {
	d       *db.DB
	dir     string
	keyPath string
	keys    *models.Keyring
	m       models.Messages
}

func newMsgEnv(t testing.TB) *msgEnv {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	d, err := db.Open(filepath.Join(dir, "portico.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(dir, "portico.key")
	keys, err := models.OpenKeyring(ctx, keyPath, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Run(ctx, d, demo.Options{Members: 50, Keyring: keys}); err != nil {
		t.Fatal(err)
	}
	return &msgEnv{d: d, dir: dir, keyPath: keyPath, keys: keys,
		m: models.Messages{DB: d, Keys: keys, BaseURL: "http://portico.test", PlanName: "Test Plan"}}
}

func (e *msgEnv) user(t testing.TB, email string) *models.User {
	t.Helper()
	u, err := models.Users{DB: e.d}.ByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestKeyFileCreatedPrivate(t *testing.T) {
	e := newMsgEnv(t)
	st, err := os.Stat(e.keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %o, want 600", st.Mode().Perm())
	}
}

// TestRefuseWithoutKeyFile: with encrypted messages in the database and the key file
// gone, OpenKeyring refuses with a clear message and creates nothing.
func TestRefuseWithoutKeyFile(t *testing.T) {
	e := newMsgEnv(t)
	ctx := context.Background()
	var n int
	e.d.R.QueryRow("SELECT COUNT(*) FROM messages").Scan(&n)
	if n == 0 {
		t.Fatal("the demo fill made no messages")
	}
	if err := os.Rename(e.keyPath, e.keyPath+".away"); err != nil {
		t.Fatal(err)
	}
	_, err := models.OpenKeyring(ctx, e.keyPath, e.d)
	if !errors.Is(err, models.ErrKeyFileMissing) || !strings.Contains(err.Error(), "Restore portico.key") {
		t.Fatalf("err = %v, want a refusal naming the key file", err)
	}
	if _, err := os.Stat(e.keyPath); !os.IsNotExist(err) {
		t.Fatal("a new key file was created")
	}
	// A key file of another installation is refused too.
	other := filepath.Join(t.TempDir(), "portico.key")
	if _, err := models.OpenKeyring(ctx, other, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := models.OpenKeyring(ctx, other, e.d); !errors.Is(err, models.ErrKeyFileWrong) || errors.Is(err, models.ErrKeyFileMissing) ||
		!strings.Contains(err.Error(), "another installation") || strings.Contains(err.Error(), "missing") {
		t.Fatalf("a key file of another installation: err = %v", err)
	}
}

func TestSendEncryptsAtRest(t *testing.T) {
	e := newMsgEnv(t)
	ctx := context.Background()
	u := e.user(t, "manager@sunrise.example")
	subject, body, file := "Zebra-subject-7741", "Quokka body text 99812", "Narwhal attachment line 55120\n"
	res, err := e.m.Start(ctx, models.NewThread{AccountID: u.AccountID, Department: models.DeptClaims, PlanType: models.PlanCommercial},
		models.MessageAuthor{User: u}, models.MessageDraft{Subject: subject, Body: body, Files: []models.AttachmentUpload{{Name: "note.txt", MIME: "text/plain", Data: []byte(file)}}},
		models.AuditEntry{UserID: u.ID, Actor: u.Email, AccountID: u.AccountID})
	if err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(e.d.Path + suffix)
		if err != nil {
			continue
		}
		for _, secret := range []string{subject, body, strings.TrimSpace(file), "note.txt"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("portico.db%s holds %q in clear", suffix, secret)
			}
		}
	}
	th, err := e.m.ThreadFor(ctx, u, res.ThreadID)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := e.m.ThreadMessages(ctx, th, true)
	if err != nil {
		t.Fatal(err)
	}
	if th.Subject != subject || msgs[0].Body != body || len(msgs[0].Attachments) != 1 {
		t.Fatalf("decrypted %q %q %v", th.Subject, msgs[0].Body, msgs[0].Attachments)
	}
	a, err := e.m.AttachmentFor(ctx, msgs[0].Attachments[0].ID)
	if err != nil || string(a.Data) != file || a.Name != "note.txt" {
		t.Fatalf("attachment %v %v", a, err)
	}
	// A ciphertext moved to another message does not open: the message ID is associated data.
	var other int64
	e.d.R.QueryRow("SELECT MIN(id) FROM messages").Scan(&other)
	if _, err := e.d.W.Exec("UPDATE messages SET body = (SELECT body FROM messages WHERE id = ?) WHERE id = ?", msgs[0].ID, other); err != nil {
		t.Fatal(err)
	}
	var otherThread int64
	e.d.R.QueryRow("SELECT thread_id FROM messages WHERE id = ?", other).Scan(&otherThread)
	ot, err := e.m.ThreadFor(ctx, e.user(t, "rep@plan.example"), otherThread)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.ThreadMessages(ctx, ot, false); !errors.Is(err, models.ErrDecrypt) {
		t.Fatalf("a moved ciphertext opened: %v", err)
	}
}

func TestRotateKeyRewraps(t *testing.T) {
	e := newMsgEnv(t)
	ctx := context.Background()
	u := e.user(t, "manager@sunrise.example")
	res, err := e.m.Start(ctx, models.NewThread{AccountID: u.AccountID, Department: models.DeptProviderServices},
		models.MessageAuthor{User: u}, models.MessageDraft{Subject: "Before rotation", Body: "body"}, models.AuditEntry{UserID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := models.RotateKey(ctx, e.keyPath, e.d); err != nil {
		t.Fatal(err)
	}
	var distinct, keyID int
	e.d.R.QueryRow("SELECT COUNT(DISTINCT key_id), MAX(key_id) FROM messages").Scan(&distinct, &keyID)
	if distinct != 1 || keyID != 2 {
		t.Fatalf("after rotation key IDs: %d distinct, max %d; want all 2", distinct, keyID)
	}
	keys, err := models.OpenKeyring(ctx, e.keyPath, e.d)
	if err != nil {
		t.Fatal(err)
	}
	m := e.m
	m.Keys = keys
	th, err := m.ThreadFor(ctx, u, res.ThreadID)
	if err != nil || th.Subject != "Before rotation" {
		t.Fatalf("after rotation: %v %v", th, err)
	}
	if keys.CurrentID() != 2 {
		t.Fatalf("current key %d", keys.CurrentID())
	}
	// A server that started before the rotation picks the new key up from the file.
	if th, err := e.m.ThreadFor(ctx, u, res.ThreadID); err != nil || th.Subject != "Before rotation" {
		t.Fatalf("the running keyring after rotation: %v %v", th, err)
	}
	if e.keys.CurrentID() != 2 {
		t.Fatalf("the running keyring still wraps with key %d", e.keys.CurrentID())
	}
}

// TestThirteenthMessage: a thread holds 12 messages; the 13th starts a new thread
// linked both ways.
func TestThirteenthMessage(t *testing.T) {
	e := newMsgEnv(t)
	ctx := context.Background()
	u := e.user(t, "manager@sunrise.example")
	rep := e.user(t, "rep@plan.example")
	res, err := e.m.Start(ctx, models.NewThread{AccountID: u.AccountID, Department: models.DeptProviderServices},
		models.MessageAuthor{User: u}, models.MessageDraft{Subject: "Long talk", Body: "1"}, models.AuditEntry{UserID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	th, _ := e.m.ThreadFor(ctx, u, res.ThreadID)
	for i := 2; i <= 12; i++ {
		a := models.MessageAuthor{User: u}
		if i%2 == 0 {
			a = models.MessageAuthor{User: rep}
		}
		r, err := e.m.Reply(ctx, th, a, models.MessageDraft{Body: "reply"}, models.AuditEntry{})
		if err != nil || r.Continued {
			t.Fatalf("message %d: %v %v", i, r, err)
		}
	}
	r, err := e.m.Reply(ctx, th, models.MessageAuthor{User: u}, models.MessageDraft{Body: "thirteenth"}, models.AuditEntry{})
	if err != nil || !r.Continued || r.ThreadID == th.ID {
		t.Fatalf("13th: %+v %v", r, err)
	}
	old, _ := e.m.ThreadFor(ctx, u, th.ID)
	nw, _ := e.m.ThreadFor(ctx, u, r.ThreadID)
	if old.MessageCount != 12 || old.NextThreadID != nw.ID || nw.PrevThreadID != old.ID || nw.MessageCount != 1 || nw.Subject != "Re: Long talk" {
		t.Fatalf("old %+v new %+v", old, nw)
	}
}

func TestCheckUploadSniffs(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"report.pdf", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"), true},
		{"notes.txt", []byte("plain words\n"), true},
		{"list.csv", []byte("a,b,c\n1,2,3\n4,5,6\n"), true},
		{"scan.png", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 20)...), true},
		{"invoice.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 60)...), false},
		{"invoice.pdf", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 60)...), false},
		{"page.txt", []byte("<html><body><script>alert(1)</script></body></html>"), false},
		{"empty.txt", nil, false},
		{"big.txt", bytes.Repeat([]byte("a"), models.MaxAttachmentSize+1), false},
	}
	for _, c := range cases {
		_, err := models.CheckAttachment(c.name, c.data)
		if (err == nil) != c.ok {
			t.Errorf("%s (%d bytes): err %v, want ok=%v", c.name, len(c.data), err, c.ok)
		}
	}
}

func BenchmarkMessageSend(b *testing.B) {
	e := newMsgEnv(b)
	ctx := context.Background()
	u := e.user(b, "manager@sunrise.example")
	d := models.MessageDraft{Subject: "Claim 2026-000123 question", Body: strings.Repeat("Please review the attached claim for the member. ", 10)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, err := e.m.Start(ctx, models.NewThread{AccountID: u.AccountID, Department: models.DeptProviderServices, PlanType: models.PlanCommercial},
			models.MessageAuthor{User: u}, d, models.AuditEntry{UserID: u.ID, Actor: u.Email, AccountID: u.AccountID, IP: "127.0.0.1"})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "messages/s")
}

// TestRetentionPurge: threads past the retention period go, with their messages,
// attachments and receipts; younger ones stay; the purge is audited without text.
func TestRetentionPurge(t *testing.T) {
	e := newMsgEnv(t)
	ctx := context.Background()
	var threads, old int
	e.d.R.QueryRow("SELECT COUNT(*) FROM message_threads").Scan(&threads)
	// Age the continued series (12 + 1 messages) and the first thread past 10 years.
	e.d.W.Exec("UPDATE message_threads SET last_message_at = '2010-01-01T00:00:00Z' WHERE id IN (SELECT MIN(id) FROM message_threads UNION SELECT id FROM message_threads WHERE next_thread_id IS NOT NULL)")
	e.d.R.QueryRow("SELECT COUNT(*) FROM message_threads WHERE last_message_at < '2011-01-01'").Scan(&old)
	n, err := e.m.PurgeExpired(ctx, 10*365*24*time.Hour)
	if err != nil || n != old || old != 2 {
		t.Fatalf("purged %d of %d old threads: %v", n, old, err)
	}
	var left, orphans int
	e.d.R.QueryRow("SELECT COUNT(*) FROM message_threads").Scan(&left)
	e.d.R.QueryRow("SELECT COUNT(*) FROM messages WHERE thread_id NOT IN (SELECT id FROM message_threads)").Scan(&orphans)
	if left != threads-old || orphans != 0 {
		t.Fatalf("%d threads left (want %d), %d orphan messages", left, threads-old, orphans)
	}
	var audits int
	e.d.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'message.retention_purge'").Scan(&audits)
	if audits != 1 {
		t.Fatal("purge not audited")
	}
	if n, _ := e.m.PurgeExpired(ctx, 10*365*24*time.Hour); n != 0 {
		t.Fatal("a second purge found more")
	}
}

package handlers

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// TestMessageTextNotInDatabaseFiles sends through the HTTP layer and then reads the
// raw bytes of portico.db, -wal and -shm: subject, body, attachment name and content
// appear nowhere.
func TestMessageTextNotInDatabaseFiles(t *testing.T) {
	ta := newTestApp(t)
	office := ta.as("manager@sunrise.example")
	secrets := []string{"Aardvark-subject-30517", "Pangolin body 88213 about the member", "Okapi-file-71902.txt", "Capybara attachment text 44021"}
	msgSendAs(t, office, "dept:provider_services", secrets[0], secrets[1], msgFile{secrets[2], []byte(secrets[3] + "\n")})
	found := 0
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(ta.db.Path + suffix)
		if err != nil {
			continue
		}
		found++
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("portico.db%s holds %q in clear", suffix, s)
			}
		}
	}
	if found == 0 {
		t.Fatal("no database files read")
	}
	// And yet the recipient reads it.
	ta.as("rep@plan.example").get("/messages").mustContain(t, secrets[0])
}

type msgRefuseSession struct{}

func (msgRefuseSession) Reset()                               {}
func (msgRefuseSession) Logout() error                        { return nil }
func (msgRefuseSession) Mail(string, *smtp.MailOptions) error { return nil }
func (msgRefuseSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (msgRefuseSession) Data(r io.Reader) error               { _, err := io.ReadAll(r); return err }
func (b *msgPlainBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	b.sessions++
	return msgRefuseSession{}, nil
}

type msgPlainBackend struct{ sessions int }

// TestOutboxWorkerNeedsTLS: the delivery worker of the server, pointed at an SMTP
// server without STARTTLS, leaves the notice queued with the reason; with no SMTP URL
// it does nothing and mail stays in the outbox.
func TestOutboxWorkerNeedsTLS(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(&msgPlainBackend{})
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	go srv.Serve(ln)
	defer srv.Close()

	ta := newTestApp(t, func(o *Options) { o.SMTPURL = "smtp://" + ln.Addr().String() })
	office := ta.as("manager@sunrise.example")
	msgSendAs(t, office, "dept:provider_services", "Worker test", "text")
	ctx := context.Background()
	ta.h.deliverOnce(ctx)
	var queued, withReason int
	ta.db.R.QueryRow("SELECT COUNT(*), SUM(last_error LIKE '%STARTTLS%') FROM outbox WHERE status = 'queued' AND to_addr = 'rep@plan.example'").Scan(&queued, &withReason)
	if queued == 0 || withReason != queued {
		t.Fatalf("%d queued notices, %d with the STARTTLS reason", queued, withReason)
	}

	idle := newTestApp(t)
	c, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() { idle.h.deliverMail(c); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("deliverMail without an SMTP URL did not return at once")
	}
	var n int
	idle.db.R.QueryRow("SELECT COUNT(*) FROM outbox WHERE status IN ('queued', 'held')").Scan(&n)
	if n == 0 {
		t.Fatal("the demo outbox is empty")
	}
}

package models

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/textproto"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Mailer delivers outbox mail to an SMTP server that must protect the connection:
// smtp://user@host:587 requires STARTTLS, smtps://user@host:465 uses TLS from the first
// byte. A server without TLS, or whose certificate is not trusted, is refused and the
// mail stays queued with the reason.
type Mailer struct {
	// URL is the --smtp-url setting.
	URL string
	// Password, if set, is the SMTP password (--smtp-password-file or
	// PORTICO_SMTP_PASSWORD); it wins over a password inside URL.
	Password string
	// From is the sender address of notices (--mail-from).
	From string
	// FromName is the display name of the sender: the plan's name.
	FromName string
	// BaseURL is the portal's public URL: its host names this server in EHLO and in
	// Message-IDs, and links in generated mail point at it.
	BaseURL string
	// RootCAs, if set, are the certificate authorities trusted for the SMTP server
	// (the system roots plus --smtp-ca; see LoadCAFile).
	RootCAs *x509.CertPool
	// TLSConfig, if set, replaces the default TLS settings entirely.
	TLSConfig *tls.Config
	// Timeout bounds one delivery (default 30 s).
	Timeout time.Duration
	// Logger gets one line per failed delivery (mail ID and reason, no address in full).
	Logger *slog.Logger
}

// LoadCAFile returns the system's trusted roots plus the PEM certificates in path, for a
// plan that runs its own certificate authority for its mail server.
func LoadCAFile(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("SMTP CA file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("SMTP CA file %s holds no PEM certificate", path)
	}
	return pool, nil
}

// ReadSecretFile reads a secret (the SMTP password) from a file that only its owner may
// read: a file others can read is refused, since the secret would not be one.
func ReadSecretFile(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("secret file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("secret file %s has mode %04o: others can read it; run chmod 600 %s", path, st.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("secret file: %w", err)
	}
	s := strings.TrimRight(string(b), "\r\n")
	if s == "" {
		return "", fmt.Errorf("secret file %s is empty", path)
	}
	return s, nil
}

// RedactURL shows an SMTP URL without its password, for logs.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(not a valid URL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

// Host is the host name of the portal's base URL: this server's name in EHLO and in
// Message-IDs (an address literal when the base URL is an IP address).
func (m Mailer) Host() string {
	u, err := url.Parse(m.BaseURL)
	host := ""
	if err == nil {
		host = u.Hostname()
	}
	if host == "" {
		return "localhost"
	}
	if ip := net.ParseIP(host); ip != nil {
		return "[" + ip.String() + "]"
	}
	return strings.ToLower(host)
}

// connTracker remembers every connection a delivery opened, so that all are closed when
// the delivery ends, also when the server's TLS was refused half-way through a session.
type connTracker struct {
	mu    sync.Mutex
	conns []net.Conn
}

func (t *connTracker) add(c net.Conn) {
	t.mu.Lock()
	t.conns = append(t.conns, c)
	t.mu.Unlock()
}

func (t *connTracker) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.conns {
		_ = c.Close()
	}
	t.conns = nil
}

// client builds a go-mail client from the URL.
func (m Mailer) client(tr *connTracker) (*mail.Client, error) {
	u, err := url.Parse(m.URL)
	if err != nil || u.Hostname() == "" {
		return nil, errors.New("the SMTP URL is not valid (expected smtp://user@host:587 or smtps://user@host:465)")
	}
	host := u.Hostname()
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	tc := m.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, RootCAs: m.RootCAs}
	}
	nd := &net.Dialer{Timeout: timeout}
	implicit := false
	opts := []mail.Option{mail.WithTimeout(timeout), mail.WithTLSConfig(tc), mail.WithHELO(m.Host())}
	switch u.Scheme {
	case "smtp":
		port := 587
		if p := u.Port(); p != "" {
			port, _ = strconv.Atoi(p)
		}
		opts = append(opts, mail.WithPort(port), mail.WithTLSPolicy(mail.TLSMandatory))
	case "smtps":
		port := 465
		if p := u.Port(); p != "" {
			port, _ = strconv.Atoi(p)
		}
		implicit = true
		opts = append(opts, mail.WithPort(port), mail.WithSSL())
	default:
		return nil, fmt.Errorf("the SMTP URL scheme %q is not supported (use smtp:// with STARTTLS or smtps://)", u.Scheme)
	}
	// Our own dialer records each connection (go-mail leaves one open when STARTTLS or
	// authentication fails after connecting).
	opts = append(opts, mail.WithDialContextFunc(func(ctx context.Context, network, addr string) (net.Conn, error) {
		var c net.Conn
		var err error
		if implicit {
			c, err = (&tls.Dialer{NetDialer: nd, Config: tc}).DialContext(ctx, network, addr)
		} else {
			c, err = nd.DialContext(ctx, network, addr)
		}
		if err == nil {
			tr.add(c)
		}
		return c, err
	}))
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		if m.Password != "" {
			pass = m.Password
		}
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	return mail.NewClient(host, opts...)
}

// Message builds the e-mail for one outbox mail: From with the plan's name, one mailer
// header, Auto-Submitted (so that auto-responders stay quiet) and a Message-ID in the
// portal's own domain.
func (m Mailer) Message(ml Mail) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	name := m.FromName
	if name == "" {
		name = "Portico"
	}
	if err := msg.FromFormat(name, m.From); err != nil {
		return nil, fmt.Errorf("sender address: %w", err)
	}
	if err := msg.To(ml.To); err != nil {
		return nil, fmt.Errorf("recipient address: %w", err)
	}
	msg.Subject(ml.Subject)
	msg.SetDate()
	msg.SetMessageIDWithValue(fmt.Sprintf("portico.%d.%s@%s", ml.ID, RandomToken(9), strings.Trim(m.Host(), "[]")))
	msg.SetGenHeader(mail.HeaderXMailer, "Portico")
	msg.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(mail.TypeTextPlain, ml.Body)
	return msg, nil
}

// Send delivers one mail. Every connection it opened is closed when it returns.
func (m Mailer) Send(ctx context.Context, ml Mail) error {
	tr := &connTracker{}
	defer tr.closeAll()
	c, err := m.client(tr)
	if err != nil {
		return err
	}
	msg, err := m.Message(ml)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}

// PermanentFailure tells whether a delivery error is the server's permanent rejection
// of this mail (a 5xx reply to its sender, recipient or content): trying again cannot
// help. Connection, TLS and authentication problems are the operator's to fix and are
// retried.
func PermanentFailure(err error) bool {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Reason {
	case mail.ErrSMTPMailFrom, mail.ErrSMTPRcptTo, mail.ErrSMTPData, mail.ErrSMTPDataClose:
	default:
		return false
	}
	if code := se.ErrorCode(); code != 0 {
		return code >= 500 && code < 600
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 500 && te.Code < 600
	}
	return !se.IsTemp()
}

// Unreachable tells whether a delivery error means the mail server could not be reached
// at all (connection refused or timed out), as opposed to a problem with one mail.
func Unreachable(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// DeliverDue sends the outbox mail that is due. Sent mail is marked sent; a permanent
// rejection (5xx) is marked failed at once; any other failure stays queued with its
// reason and is retried later with backoff (Outbox.MarkRetry); when the server cannot be
// reached at all the round stops at the first mail. A reset link that waited
// longer than its lifetime is not sent: the user gets a mail telling them to ask again.
func DeliverDue(ctx context.Context, o Outbox, m Mailer, limit int) (sent, failed int, err error) {
	due, err := o.Due(ctx, limit)
	if err != nil {
		return 0, 0, err
	}
	log := m.Logger
	if log == nil {
		log = slog.Default()
	}
	now := o.DB.NowText()
	for _, ml := range due {
		if ctx.Err() != nil {
			break
		}
		if ml.ExpiresAt != "" && ml.ExpiresAt <= now {
			if err := o.Expire(ctx, ml, m.FromName, strings.TrimRight(m.BaseURL, "/")+"/login/reset"); err != nil {
				return sent, failed, err
			}
			log.Warn("mail not sent: its link expired while it waited", "mail_id", ml.ID, "kind", ml.Kind)
			continue
		}
		serr := m.Send(ctx, ml)
		if serr == nil {
			sent++
			if err := o.MarkSent(ctx, ml.ID); err != nil {
				return sent, failed, err
			}
			continue
		}
		failed++
		reason := MailReason(serr)
		status := MailFailed
		if PermanentFailure(serr) {
			err = o.MarkFailed(ctx, ml, reason)
		} else {
			status, err = o.MarkRetry(ctx, ml, reason)
		}
		if err != nil {
			return sent, failed, err
		}
		log.Warn("mail delivery failed", "mail_id", ml.ID, "to", MaskAddress(ml.To), "attempt", ml.Attempts+1,
			"status", status, "reason", reason)
		if Unreachable(serr) {
			// The server cannot be reached: the rest wait for the next round rather than
			// each spending a connection timeout and an attempt on the same outage.
			break
		}
	}
	return sent, failed, nil
}

var emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+\.)*[A-Za-z0-9\-]+`)

// MaskAddress shows an e-mail address as its first letter and domain (m…@sunrise.example).
func MaskAddress(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 {
		return "…"
	}
	r := []rune(addr[:at])
	return string(r[0]) + "…" + addr[at:]
}

// MailReason keeps a delivery error short, on one line, free of credentials and of
// addresses in full (servers quote the recipient in their replies).
func MailReason(err error) string {
	s := err.Error()
	s = emailPattern.ReplaceAllStringFunc(s, MaskAddress)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300])
	}
	return s
}

package models

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Mailer delivers outbox mail to an SMTP server that must protect the connection:
// smtp://user:pass@host:587 requires STARTTLS, smtps://host:465 uses TLS from the first
// byte. A server without TLS is refused and the mail stays queued with the reason.
type Mailer struct {
	// URL is the --smtp-url setting.
	URL string
	// From is the sender address of notices.
	From string
	// TLSConfig, if set, replaces the default (tests trust their own certificate).
	TLSConfig *tls.Config
	// Timeout bounds one delivery (default 30 s).
	Timeout time.Duration
}

// client builds a go-mail client from the URL.
func (m Mailer) client() (*mail.Client, error) {
	u, err := url.Parse(m.URL)
	if err != nil || u.Hostname() == "" {
		return nil, errors.New("the SMTP URL is not valid (expected smtp://user:pass@host:587 or smtps://host:465)")
	}
	host := u.Hostname()
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	tc := m.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	opts := []mail.Option{mail.WithTimeout(timeout), mail.WithTLSConfig(tc)}
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
		opts = append(opts, mail.WithPort(port), mail.WithSSL())
	default:
		return nil, fmt.Errorf("the SMTP URL scheme %q is not supported (use smtp:// with STARTTLS or smtps://)", u.Scheme)
	}
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	return mail.NewClient(host, opts...)
}

// Send delivers one mail.
func (m Mailer) Send(ctx context.Context, ml Mail) error {
	c, err := m.client()
	if err != nil {
		return err
	}
	msg := mail.NewMsg()
	if err := msg.From(m.From); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := msg.To(ml.To); err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	msg.Subject(ml.Subject)
	msg.SetBodyString(mail.TypeTextPlain, ml.Body)
	return c.DialAndSendWithContext(ctx, msg)
}

// DeliverDue sends the outbox mail that is due: sent mail is marked sent, a failure is
// kept queued with its reason and retried later with backoff (Outbox.MarkRetry).
func DeliverDue(ctx context.Context, o Outbox, m Mailer, limit int) (sent, failed int, err error) {
	due, err := o.Due(ctx, limit)
	if err != nil {
		return 0, 0, err
	}
	for _, ml := range due {
		if ctx.Err() != nil {
			break
		}
		if serr := m.Send(ctx, ml); serr != nil {
			failed++
			if err := o.MarkRetry(ctx, ml, mailReason(serr)); err != nil {
				return sent, failed, err
			}
			continue
		}
		sent++
		if err := o.MarkSent(ctx, ml.ID); err != nil {
			return sent, failed, err
		}
	}
	return sent, failed, nil
}

// mailReason keeps a delivery error short and free of credentials.
func mailReason(err error) string {
	s := err.Error()
	if len(s) > 300 {
		s = s[:300]
	}
	return strings.TrimSpace(s)
}

package main

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"

	"portico/models"
)

// mailConfig is what delivery needs beyond the flags: the SMTP password and the trusted
// certificate authorities.
type mailConfig struct {
	password       string
	passwordSource string // "environment", "file", "URL" or "none"
	roots          *x509.CertPool
}

// mailSettings checks the mail settings and reads the password file and the CA file. It
// returns warnings an operator should see at start-up.
func (c *config) mailSettings() (mailConfig, []string, error) {
	mc := mailConfig{passwordSource: "none"}
	var warnings []string
	if _, err := mail.ParseAddress(c.MailFrom); err != nil || strings.ContainsAny(c.MailFrom, "<> ") {
		return mc, nil, fmt.Errorf("--mail-from %q is not an e-mail address", c.MailFrom)
	}
	if c.SMTPPasswordFile != "" && c.SMTPPassword != "" {
		return mc, nil, errors.New("the SMTP password is set twice (PORTICO_SMTP_PASSWORD and --smtp-password-file): keep one")
	}
	if c.SMTPPasswordFile != "" {
		p, err := models.ReadSecretFile(c.SMTPPasswordFile)
		if err != nil {
			return mc, nil, err
		}
		mc.password, mc.passwordSource = p, "file"
	} else if c.SMTPPassword != "" {
		mc.password, mc.passwordSource = c.SMTPPassword, "environment"
	}
	if c.SMTPCA != "" {
		pool, err := models.LoadCAFile(c.SMTPCA)
		if err != nil {
			return mc, nil, err
		}
		mc.roots = pool
	}
	if c.SMTPURL == "" {
		if mc.password != "" || c.SMTPCA != "" {
			warnings = append(warnings, "an SMTP password or CA is set but --smtp-url is not: mail stays in the outbox page")
		}
		return mc, warnings, nil
	}
	u, err := url.Parse(c.SMTPURL)
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return mc, nil, errors.New("--smtp-url is not valid: use smtp://user@host:587 (STARTTLS) or smtps://user@host:465 (TLS)")
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			if mc.password == "" {
				mc.passwordSource = "URL"
			}
			warnings = append(warnings, "the SMTP password is part of --smtp-url, where every local user can read it (ps, /proc): "+
				"put it in PORTICO_SMTP_PASSWORD or --smtp-password-file instead")
		}
	}
	if loopbackURL(c.BaseURL) {
		warnings = append(warnings, "mail is configured but the base URL "+c.BaseURL+" is a loopback address: links in e-mail "+
			"will not work for anyone else; set --base-url to the address people reach the portal by")
	}
	return mc, warnings, nil
}

// loopbackURL tells whether the URL's host is this machine only.
func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

// logAttrs are the settings the server logs at start-up: no password, no key.
func (c *config) logAttrs() []any {
	tlsMode := "off"
	switch {
	case c.TLSSelfSigned:
		tlsMode = "self-signed"
	case c.tls():
		tlsMode = "certificate " + c.TLSCert
	}
	smtp := "none (mail stays in the outbox page)"
	if c.SMTPURL != "" {
		smtp = models.RedactURL(c.SMTPURL)
	}
	pw := "none"
	switch {
	case c.SMTPPasswordFile != "":
		pw = "file " + c.SMTPPasswordFile
	case c.SMTPPassword != "":
		pw = "PORTICO_SMTP_PASSWORD"
	}
	ca := "system roots"
	if c.SMTPCA != "" {
		ca = "system roots + " + c.SMTPCA
	}
	return []any{"addr", c.Addr, "base_url", c.BaseURL, "db", c.DBPath, "key", c.KeyPath, "demo", c.Demo, "tls", tlsMode,
		"plan_name", c.PlanName, "plan_domain", c.PlanDomain, "smtp", smtp, "smtp_password", pw, "smtp_ca", ca,
		"mail_from", c.MailFrom, "idle_timeout", c.IdleTimeout.String(), "password_expiry", c.PasswordExpiry.String(),
		"retention", c.Retention.String()}
}

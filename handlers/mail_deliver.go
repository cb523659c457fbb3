package handlers

import (
	"context"
	"time"

	"portico/models"
)

// mailFrom is the sender address of the portal's mail (--mail-from).
func (h *Handler) mailFrom() string {
	if h.opts.MailFrom != "" {
		return h.opts.MailFrom
	}
	return "portico@" + h.opts.PlanDomain
}

// mailer is the SMTP client of this server (--smtp-url and the mail settings).
func (h *Handler) mailer() models.Mailer {
	return models.Mailer{URL: h.opts.SMTPURL, Password: h.opts.SMTPPassword, From: h.mailFrom(), FromName: h.opts.PlanName,
		BaseURL: h.opts.BaseURL, RootCAs: h.opts.SMTPRootCAs, TLSConfig: h.opts.SMTPTLS, Logger: h.log}
}

// messagingJobs runs secure messaging's background work until ctx ends: outbox
// delivery, and once an hour the retention purge (threads older than the retention
// setting) and expired partner sessions.
func (h *Handler) messagingJobs(ctx context.Context) {
	go h.deliverMail(ctx)
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := h.messages().PurgeExpired(ctx, h.opts.Retention); err != nil && ctx.Err() == nil {
			h.log.Error("message retention purge", "err", err)
		} else if n > 0 {
			h.log.Info("message retention purge", "threads", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// deliverMail delivers the outbox until ctx ends. Without an SMTP server configured it
// does nothing: mail stays readable in the outbox page.
func (h *Handler) deliverMail(ctx context.Context) {
	if h.opts.SMTPURL == "" {
		return
	}
	every := h.opts.MailEvery
	if every <= 0 {
		every = 15 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		h.deliverOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// deliverOnce sends what is due. Each failure is logged by DeliverDue with the mail's
// ID and the reason; a permanent rejection is failed at once, the rest retried.
func (h *Handler) deliverOnce(ctx context.Context) {
	sent, failed, err := models.DeliverDue(ctx, h.st.Outbox, h.mailer(), 50)
	if err != nil && ctx.Err() == nil {
		h.log.Error("mail delivery", "err", err)
	}
	if sent > 0 || failed > 0 {
		h.log.Info("mail delivery round", "sent", sent, "failed", failed)
	}
}

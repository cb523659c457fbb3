package handlers

import (
	"context"
	"time"

	"portico/models"
)

// mailer is the SMTP client of this server (--smtp-url).
func (h *Handler) mailer() models.Mailer {
	return models.Mailer{URL: h.opts.SMTPURL, From: "portico@" + h.opts.PlanDomain, TLSConfig: h.opts.SMTPTLS}
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

// deliverOnce sends what is due; failures stay queued with their reason.
func (h *Handler) deliverOnce(ctx context.Context) {
	sent, failed, err := models.DeliverDue(ctx, models.Outbox{DB: h.db}, h.mailer(), 50)
	if err != nil && ctx.Err() == nil {
		h.log.Error("mail delivery", "err", err)
	}
	if failed > 0 {
		h.log.Warn("mail delivery failed; kept queued for retry", "sent", sent, "failed", failed)
	}
}

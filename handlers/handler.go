// Package handlers is Portico's HTTP layer: routes, middleware, rendering and errors.
// Handlers parse and validate input, call one model method and render; rules and SQL
// live in models.
package handlers

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"time"
	_ "time/tzdata" // the plan's time zone works on machines without zoneinfo

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/template/html/v2"

	"portico/db"
	"portico/models"
	"portico/views"
)

// Options are the settings the HTTP layer needs (SPEC §11).
type Options struct {
	DB             *db.DB
	Keyring        *models.Keyring
	Demo           bool
	BaseURL        string // e.g. http://127.0.0.1:8080, used in e-mailed links
	PlanDomain     string // plan staff e-mail domain
	PlanName       string
	SMTPURL        string
	TLS            bool          // served over HTTPS: Secure, __Host- cookies and HSTS
	IdleTimeout    time.Duration // idle sign-out
	PasswordExpiry time.Duration // 0 = passwords do not expire
	Retention      time.Duration // how long the plan keeps messages
	Logger         *slog.Logger
	// EnvelopeTTL is how long a registered envelope stays open (default 30 days).
	EnvelopeTTL time.Duration
	// SMTPTLS, if set, replaces the TLS settings of mail delivery (tests trust their own server).
	SMTPTLS *tls.Config
	// MailEvery is how often the outbox is delivered (default 15 s).
	MailEvery time.Duration
	// SMTPPassword, if set, is the SMTP password (from PORTICO_SMTP_PASSWORD or
	// --smtp-password-file), so that it is not visible on the command line.
	SMTPPassword string
	// SMTPRootCAs are the authorities trusted for the SMTP server (system roots plus
	// --smtp-ca); nil means the system roots.
	SMTPRootCAs *x509.CertPool
	// MailFrom is the sender address of the portal's mail (default portico@PlanDomain).
	MailFrom string
	// LookupCeilings, if not nil, replaces models.DefaultLookupCeilings (--lookup-ceiling);
	// an empty slice turns the ceiling off (load tests).
	LookupCeilings []models.LookupCeiling
	// AuditSealer, if set, seals the audit log's head anew after a demo reset, which
	// replaces the log on purpose.
	AuditSealer *models.AuditSealer
	// TimeZone is the plan's time zone (SPEC §11 --time-zone): every date and time shown,
	// every "today" and every due time; stored times stay UTC. Default America/Los_Angeles.
	TimeZone *time.Location
	// OnRender, if set, hears of every template run with its data and error (the page
	// tests use it to prove every page template runs with realistic data).
	OnRender func(name string, data any, err error)
}

// DefaultTimeZone is the plan's time zone when --time-zone is not given: the seeds' plan
// is in California.
const DefaultTimeZone = "America/Los_Angeles"

// Handler carries what every handler needs.
type Handler struct {
	opts   Options
	db     *db.DB
	log    *slog.Logger
	assets *assets
	// frame is the page head's asset links, built once (render_frame.go).
	frame frameAssets
	// limiter counts sign-in, second-factor and reset attempts per address and account.
	limiter *models.RateLimiter
	// lookups counts each user's eligibility look-ups against lookupCeilings.
	lookups        *models.LookupMeter
	lookupCeilings []models.LookupCeiling
	// csrfKey signs the CSRF tokens of visitors who are not signed in (csrf.go).
	csrfKey []byte
	// forms decodes and validates every form (form.go).
	forms *forms
	// cache holds the in-memory caches (caches.go).
	cache *caches
	// st are the domain's stores, built once (stores.go).
	st stores
}

// New builds the Fiber app with every route and middleware.
func New(opts Options) (*fiber.App, *Handler, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.PlanDomain == "" {
		opts.PlanDomain = "plan.example"
	}
	if opts.PlanName == "" {
		opts.PlanName = "Pacific Crest Health Plan"
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = models.DefaultIdleTimeout
	}
	if opts.TimeZone == nil {
		loc, err := time.LoadLocation(DefaultTimeZone)
		if err != nil {
			return nil, nil, fmt.Errorf("time zone %s: %w", DefaultTimeZone, err)
		}
		opts.TimeZone = loc
	}
	opts.DB.Clock.SetZone(opts.TimeZone)
	if opts.Retention <= 0 {
		opts.Retention = 10 * 365 * 24 * time.Hour
	}
	a, err := loadAssets()
	if err != nil {
		return nil, nil, err
	}
	h := &Handler{opts: opts, db: opts.DB, log: opts.Logger, assets: a, limiter: models.NewRateLimiter(opts.DB.Now), forms: newForms(), cache: newCaches(), st: newStores(opts.DB, opts)}
	h.frame = newFrameAssets(a)
	h.lookups, h.lookupCeilings = models.NewLookupMeter(), opts.LookupCeilings
	if h.lookupCeilings == nil {
		h.lookupCeilings = models.DefaultLookupCeilings
	}
	if h.csrfKey, err = opts.Keyring.DeriveKey("csrf"); err != nil {
		// Without a key file (some tools and tests) a per-process key does: visitors'
		// forms then expire at a restart, which only asks them to reload.
		h.csrfKey = make([]byte, 32)
		if _, err := rand.Read(h.csrfKey); err != nil {
			return nil, nil, err
		}
	}
	if opts.Demo {
		if err := h.loadDemoClock(context.Background()); err != nil {
			return nil, nil, err
		}
	}

	engine := html.NewFileSystem(http.FS(views.FS), ".html")
	engine.AddFuncMap(h.templateFuncs())
	if err := engine.Load(); err != nil {
		return nil, nil, err
	}
	app := fiber.New(fiber.Config{
		Views:                 engine,
		ErrorHandler:          h.errorHandler,
		DisableStartupMessage: true,
		BodyLimit:             60 << 20, // five 10 MB attachments and the form around them
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		ReadBufferSize:        16 << 10,
	})
	app.Use(recover.New())
	app.Use(h.requestLog)
	app.Use(h.securityHeaders)
	h.routes(app)
	return app, h, nil
}

// Sessions returns the session store with the configured idle timeout.
func (h *Handler) sessions() models.Sessions { return h.st.Sessions }

// audit records an entry for the current request's user and address.
func (h *Handler) audit(c *fiber.Ctx, e models.AuditEntry) { h.auditAs(c, currentUser(c), e) }

// auditAs records an entry for u (who may not be fully signed in) and the address.
func (h *Handler) auditAs(c *fiber.Ctx, u *models.User, e models.AuditEntry) {
	e = actorOf(c, u).Stamp(e)
	if err := h.st.Audit.Record(c.UserContext(), e); err != nil {
		h.log.Error("audit write failed", "action", e.Action, "err", err)
	}
}

// Background runs the server's periodic work until ctx ends: expired sessions are
// removed; areas add their own jobs in backgroundJobs.
func (h *Handler) Background(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	go h.messagingJobs(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := h.sessions().DeleteExpired(ctx); err != nil && ctx.Err() == nil {
				h.log.Error("session cleanup", "err", err)
			}
		}
	}
}

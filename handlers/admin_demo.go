package handlers

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"portico/db/demo"
	"portico/models"
)

// loadDemoClock restores the demo clock offset saved in settings.
func (h *Handler) loadDemoClock(ctx context.Context) error {
	var v string
	err := h.db.R.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = 'demo_clock_offset'").Scan(&v)
	if err != nil {
		return nil // not set: real time
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("demo clock offset %q: %w", v, err)
	}
	h.db.Clock.SetOffset(d)
	return nil
}

// saveDemoClock stores a new offset. Live sessions move with the clock, so that a jump
// forward does not sign everyone out for inactivity.
func (h *Handler) saveDemoClock(ctx context.Context, d time.Duration) error {
	shift := fmt.Sprintf("%+d seconds", int64((d - h.db.Clock.Offset()).Seconds()))
	err := h.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO settings(key, value) VALUES ('demo_clock_offset', ?)", d.String()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET
			created_at = strftime('%Y-%m-%dT%H:%M:%SZ', created_at, ?1),
			last_seen_at = strftime('%Y-%m-%dT%H:%M:%SZ', last_seen_at, ?1),
			expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', expires_at, ?1)`, shift)
		return err
	})
	if err != nil {
		return fmt.Errorf("save demo clock: %w", err)
	}
	h.db.Clock.SetOffset(d)
	return nil
}

// demoControlsView is the data of pages/demo/controls: the demo clock, and the days or
// the confirmation as typed with what was wrong (keyed by the input's id: days, confirm).
type demoControlsView struct {
	View
	Today      string
	OffsetDays int
	Days       string
	Errors     models.FieldErrors
}

// newDemoControlsView is the page as the demo clock reads now.
func (h *Handler) newDemoControlsView() *demoControlsView {
	return &demoControlsView{Today: h.today(), OffsetDays: int(h.db.Clock.Offset().Hours() / 24)}
}

// demoClockForm is a move of the demo clock: forward by days, or back to real time.
type demoClockForm struct {
	Action string `form:"action"`
	Days   string `form:"days"`
	days   int
}

// Validate asks for whole days from 1 to 365, unless the clock goes back to real time.
func (f *demoClockForm) Validate() models.FieldErrors {
	if f.Action == "real" {
		return nil
	}
	days, err := strconv.Atoi(f.Days)
	if err != nil || days < 1 || days > 365 {
		return models.FieldErrors{"days": "Enter a whole number of days from 1 to 365."}
	}
	f.days = days
	return nil
}

// demoResetForm is the reset's confirmation box.
type demoResetForm struct {
	Confirm string `form:"confirm"`
}

// Validate asks for the box to be ticked.
func (f *demoResetForm) Validate() models.FieldErrors {
	if f.Confirm != "reset" {
		return models.FieldErrors{"confirm": "Tick the box to confirm that all demo changes will be lost."}
	}
	return nil
}

// DemoControls shows the demo clock and the reset button.
func (h *Handler) DemoControls(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "pages/demo/controls", "Demo controls", h.newDemoControlsView())
}

// DemoClock moves the demo clock forward by whole days, or back to real time.
func (h *Handler) DemoClock(c *fiber.Ctx) error {
	var f demoClockForm
	if errs := h.bindForm(c, &f); errs != nil {
		data := h.newDemoControlsView()
		data.Days, data.Errors = f.Days, models.FieldErrors{"days": errs["days"] + errs["form"]}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/demo/controls", "Demo controls", data)
	}
	offset := h.db.Clock.Offset() + time.Duration(f.days)*24*time.Hour
	if f.Action == "real" {
		offset = 0
	}
	if err := h.saveDemoClock(c.UserContext(), offset); err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "demo.clock", Detail: "offset " + offset.String()})
	h.flash(c, "success", "The demo clock now reads "+h.formatDate(h.db.NowText())+".")
	return c.Redirect("/admin/demo", fiber.StatusSeeOther)
}

// DemoReset puts the demo data back to its first state. Every session ends, so the
// trainer signs in again.
func (h *Handler) DemoReset(c *fiber.Ctx) error {
	var f demoResetForm
	if errs := h.bindForm(c, &f); errs != nil {
		data := h.newDemoControlsView()
		data.Errors = models.FieldErrors{"confirm": errs["confirm"] + errs["form"]}
		return h.render(c, fiber.StatusUnprocessableEntity, "pages/demo/controls", "Demo controls", data)
	}
	ctx := c.UserContext()
	reset := func() error {
		if err := demo.ResetWith(ctx, h.db, demo.Options{Keyring: h.opts.Keyring, PlanDomain: h.opts.PlanDomain, BaseURL: h.opts.BaseURL}); err != nil {
			return err
		}
		if err := h.saveDemoClock(ctx, 0); err != nil {
			return err
		}
		h.audit(c, models.AuditEntry{Action: "demo.reset"})
		return nil
	}
	// The reset replaces the audit log on purpose: its seal is renewed with it.
	var err error
	if h.opts.AuditSealer != nil {
		err = h.opts.AuditSealer.Replace(ctx, reset)
	} else {
		err = reset()
	}
	if err != nil {
		return err
	}
	h.clearSessionCookie(c)
	h.flash(c, "success", "The demo data is back to its first state. Please sign in again.")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

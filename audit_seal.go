package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"portico/db"
	"portico/models"
)

// sealEvery is how often the server seals the audit chain head (at least every minute).
const sealEvery = 30 * time.Second

// sealLoop seals the audit log's head every sealEvery until ctx ends. A log that no
// longer matches its last seal is reported (once per distinct finding) and the seal is
// left as it is, so that the cut stays visible to `portico audit verify`.
func sealLoop(ctx context.Context, s *models.AuditSealer, log *slog.Logger) {
	t := time.NewTicker(sealEvery)
	defer t.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			err := s.Seal(ctx, false)
			switch {
			case err == nil:
				last = ""
			case ctx.Err() != nil:
				return
			case err.Error() != last:
				last = err.Error()
				log.Error("audit seal", "err", err)
			}
		}
	}
}

// sealAtStart checks the log against its seal and seals the head. A mismatch does not
// stop the portal (offices keep working) but is printed and logged as an error.
func sealAtStart(ctx context.Context, s *models.AuditSealer, log *slog.Logger, stdout io.Writer) error {
	err := s.Seal(ctx, false)
	if errors.Is(err, models.ErrAuditSeal) {
		fmt.Fprintf(stdout, "WARNING: %v. Run \"portico audit verify\" and tell your privacy officer.\n", err)
		log.Error("audit seal", "err", err)
		return nil
	}
	return err
}

// checkSeal is the seal half of `portico audit verify`.
func checkSeal(ctx context.Context, d *db.DB, keyPath string, stdout io.Writer) error {
	sealPath := models.AuditSealPath(d.Path)
	if _, err := os.Stat(sealPath); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stdout, "No sealed checkpoint beside the database yet (%s); the server writes one every %s and at shutdown.\n", sealPath, sealEvery)
		return nil
	}
	keys, err := models.ReadKeyring(keyPath)
	if err != nil {
		return fmt.Errorf("the audit checkpoint %s cannot be checked without the key file: %w", sealPath, err)
	}
	s, err := models.NewAuditSealer(d, keys)
	if err != nil {
		return err
	}
	seal, err := s.Read()
	if err != nil {
		return err
	}
	if err := s.Check(ctx, seal); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The log reaches its sealed checkpoint (entry %d, sealed %s).\n", seal.ID, seal.At)
	return nil
}

// resealAfterRestore seals a restored log's head: the restore replaced the log on
// purpose, so the old seal (of a longer log) no longer applies.
func resealAfterRestore(ctx context.Context, cfg *config, stdout io.Writer) error {
	keys, err := models.ReadKeyring(cfg.KeyPath)
	if err != nil {
		fmt.Fprintf(stdout, "The audit checkpoint was not renewed (%v); the server renews it at start.\n", err)
		_ = os.Remove(models.AuditSealPath(cfg.DBPath))
		return nil
	}
	d, err := db.Open(cfg.DBPath)
	if err != nil {
		return err
	}
	defer d.Close()
	s, err := models.NewAuditSealer(d, keys)
	if err != nil {
		return err
	}
	if err := s.Seal(ctx, true); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "The audit checkpoint now seals the restored log.")
	return nil
}

package models

import (
	"context"
	"errors"

	"portico/db"
)

// Keyring holds the master keys that wrap each message's data key (SPEC §9).
// The secure messaging area fills this in.
type Keyring struct{}

// OpenKeyring loads the key file at path, creating it (mode 0600) on first start.
func OpenKeyring(ctx context.Context, path string, d *db.DB) (*Keyring, error) {
	return &Keyring{}, nil
}

// RotateKey adds a new master key to the key file and re-wraps every data key with it.
func RotateKey(ctx context.Context, path string, d *db.DB) error {
	return errors.New("rotate-key: not available yet")
}

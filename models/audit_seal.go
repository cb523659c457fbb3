package models

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"portico/db"
)

// The audit log's hash chain shows an entry changed or removed in the middle, but not
// the newest entries cut off the end: the shorter chain is still a valid chain. The
// seal closes that gap. At least every minute, and at shutdown, the server writes the
// chain head (last entry ID and hash) into a file beside the database, with an
// HMAC-SHA256 under a key derived from the master key file (portico.key), which is
// outside the database. `portico audit verify` then reports a chain that ends before
// its last seal, or whose sealed entry was rewritten, and a seal that was forged.

// AuditSeal is one sealed checkpoint of the chain head.
type AuditSeal struct {
	ID   int64  // last entry sealed (0 for an empty log)
	Hash string // its hash
	At   string // when the seal was written (wall clock, UTC)
	MAC  string // HMAC-SHA256 of the fields above, hex
}

// ErrAuditSeal is wrapped by every finding of CheckSeal: entries cut after the seal,
// a rewritten sealed entry, or a seal file that does not check out.
var ErrAuditSeal = errors.New("audit log does not match its sealed checkpoint")

// AuditSealPath is the seal file of the database at dbPath.
func AuditSealPath(dbPath string) string { return dbPath + ".audit-seal" }

// AuditSealer reads and writes the seal file of one database.
type AuditSealer struct {
	mu   sync.Mutex // one seal at a time; held across Replace
	DB   *db.DB
	Key  []byte // from Keyring.DeriveKey("audit-seal")
	Path string // AuditSealPath(DB.Path)
}

// NewAuditSealer returns the sealer of d under the key file's derived seal key.
func NewAuditSealer(d *db.DB, keys *Keyring) (*AuditSealer, error) {
	key, err := keys.DeriveKey("audit-seal")
	if err != nil {
		return nil, err
	}
	return &AuditSealer{DB: d, Key: key, Path: AuditSealPath(d.Path)}, nil
}

const sealMagic = "portico-audit-seal v1"

func (s *AuditSealer) mac(id int64, hash, at string) string {
	m := hmac.New(sha256.New, s.Key)
	fmt.Fprintf(m, "%s|%d|%s|%s", sealMagic, id, hash, at)
	return hex.EncodeToString(m.Sum(nil))
}

// Read returns the current seal, nil if there is none yet. A seal whose MAC does not
// check out (edited, or made under another key) is an ErrAuditSeal.
func (s *AuditSealer) Read() (*AuditSeal, error) {
	b, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit seal: %w", err)
	}
	f := strings.Fields(string(b))
	if len(f) != 6 || f[0]+" "+f[1] != sealMagic {
		return nil, fmt.Errorf("%w: the seal file %s is damaged", ErrAuditSeal, s.Path)
	}
	id, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: the seal file %s is damaged", ErrAuditSeal, s.Path)
	}
	seal := &AuditSeal{ID: id, Hash: f[3], At: f[4], MAC: f[5]}
	if !hmac.Equal([]byte(seal.MAC), []byte(s.mac(seal.ID, seal.Hash, seal.At))) {
		return nil, fmt.Errorf("%w: the seal file %s was altered or was not made with this installation's key file", ErrAuditSeal, s.Path)
	}
	return seal, nil
}

// head returns the last entry's ID and hash (0 and the genesis hash for an empty log).
func (s *AuditSealer) head(ctx context.Context) (int64, string, error) {
	var id int64
	hash := GenesisHash
	err := s.DB.R.QueryRowContext(ctx, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&id, &hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("audit seal: %w", err)
	}
	return id, hash, nil
}

// Check compares the log with seal: the sealed entry must still be there with the
// sealed hash. It returns an ErrAuditSeal naming what is wrong, or nil.
func (s *AuditSealer) Check(ctx context.Context, seal *AuditSeal) error {
	if seal == nil || seal.ID == 0 {
		return nil
	}
	var hash string
	err := s.DB.R.QueryRowContext(ctx, "SELECT hash FROM audit_log WHERE id = ?", seal.ID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		last, _, herr := s.head(ctx)
		if herr != nil {
			return herr
		}
		return fmt.Errorf("%w: the log ends at entry %d, before its last sealed checkpoint at entry %d (sealed %s): the newest %d entries were removed",
			ErrAuditSeal, last, seal.ID, seal.At, seal.ID-last)
	}
	if err != nil {
		return fmt.Errorf("audit seal: %w", err)
	}
	if hash != seal.Hash {
		return fmt.Errorf("%w: entry %d no longer has the hash sealed at %s: the log was rewritten", ErrAuditSeal, seal.ID, seal.At)
	}
	return nil
}

// Seal writes the current chain head to the seal file (mode 0600, replaced atomically).
// Unless force is set it first checks the log against the previous seal and refuses
// (ErrAuditSeal) to replace a seal the log no longer matches, so that a cut log stays
// detectable; it writes nothing when the head has not moved. force is for a restore
// or a demo reset, which replace the log on purpose.
func (s *AuditSealer) Seal(ctx context.Context, force bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seal(ctx, force)
}

// Replace runs fn, which replaces the log on purpose (a demo reset), and seals the new
// head; no periodic seal runs in between, so the replaced log is never reported as cut.
func (s *AuditSealer) Replace(ctx context.Context, fn func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := fn(); err != nil {
		return err
	}
	return s.seal(ctx, true)
}

func (s *AuditSealer) seal(ctx context.Context, force bool) error {
	id, hash, err := s.head(ctx)
	if err != nil {
		return err
	}
	if !force {
		old, err := s.Read()
		if err != nil {
			return err
		}
		if err := s.Check(ctx, old); err != nil {
			return err
		}
		if old != nil && old.ID == id {
			return nil
		}
	}
	at := time.Now().UTC().Format(TimeFormat) // operational wall-clock time of the seal, not domain time
	line := fmt.Sprintf("%s %d %s %s %s\n", sealMagic, id, hash, at, s.mac(id, hash, at))
	tmp, err := os.CreateTemp(filepath.Dir(s.Path), ".audit-seal-*")
	if err != nil {
		return fmt.Errorf("audit seal: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("audit seal: %w", err)
	}
	if _, err := tmp.WriteString(line); err != nil {
		tmp.Close()
		return fmt.Errorf("audit seal: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("audit seal: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("audit seal: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.Path); err != nil {
		return fmt.Errorf("audit seal: %w", err)
	}
	return nil
}

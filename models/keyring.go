package models

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"portico/db"
)

// Keyring holds the master keys that wrap each message's data key (SPEC §9). They live
// in a key file outside the database (portico.key, mode 0600), so a copy of the
// database alone reveals no message text. The newest key wraps new data keys; older
// keys stay to open what they wrapped until `portico rotate-key` re-wraps it.
type Keyring struct {
	mu      sync.RWMutex
	path    string
	keys    map[uint32][]byte
	created map[uint32]string
	current uint32
}

// ErrKeyFileMissing is returned when the key file is gone but the database holds
// encrypted messages: starting would make them unreadable, so Portico refuses.
var ErrKeyFileMissing = errors.New("the master key file is missing")

// ErrKeyFileWrong is returned when the key file is there but does not belong to the
// database: it lacks a key the database refers to, or a key does not open what it
// wrapped (a key file of another installation). Portico refuses and changes nothing.
var ErrKeyFileWrong = errors.New("the master key file does not belong to this database")

const keyFileHeader = "# Portico master keys for secure messages. Keep this file secret, back it up apart from\n# the database, and never edit it by hand. Lines: portico-key v1 ID CREATED KEY\n"

// OpenKeyring loads the key file at path. On first start (no file, no encrypted data)
// it creates the file with one new master key, mode 0600. If the file is missing while
// the database holds encrypted messages, or lacks a key the database refers to, it
// refuses with a clear error and changes nothing.
func OpenKeyring(ctx context.Context, path string, d *db.DB) (*Keyring, error) {
	k, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		n, cerr := countEncrypted(ctx, d)
		if cerr != nil {
			return nil, cerr
		}
		notes, cerr := countSealedNotes(ctx, d)
		if cerr != nil {
			return nil, cerr
		}
		if n == 0 && notes > 0 {
			return nil, fmt.Errorf("%w: %s does not exist, but the database holds %d encrypted notes that only its keys can open. "+
				"Restore portico.key from your backup (or pass --key with its location) and start again; nothing was changed", ErrKeyFileMissing, path, notes)
		}
		if n > 0 {
			return nil, fmt.Errorf("%w: %s does not exist, but the database holds %d encrypted secure messages that only its keys can open. "+
				"Restore portico.key from your backup (or pass --key with its location) and start again; nothing was changed", ErrKeyFileMissing, path, n)
		}
		k = &Keyring{path: path, keys: map[uint32][]byte{}, created: map[uint32]string{}}
		k.add(1, keyStamp(d))
		if err := k.write(true); err != nil {
			return nil, err
		}
		return k, nil
	}
	if err != nil {
		return nil, err
	}
	// Every master key the database refers to must be in the file.
	ids, err := usedKeyIDs(ctx, d)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, ok := k.keys[id]; !ok {
			return nil, fmt.Errorf("%w: %s lacks master key %d, which wraps messages in the database (an older copy of the key file, or another installation's?). Restore the key file that belongs to this database, or pass --key with its location; nothing was changed", ErrKeyFileWrong, path, id)
		}
		// The key must also be the right one: it opens a data key it wrapped.
		var msgID int64
		var w []byte
		if err := d.R.QueryRowContext(ctx, "SELECT id, wrapped_key FROM messages WHERE key_id = ? ORDER BY id DESC LIMIT 1", id).Scan(&msgID, &w); err != nil {
			return nil, fmt.Errorf("keyring: %w", err)
		}
		if _, err := k.unwrap(w, msgID); err != nil {
			return nil, fmt.Errorf("%w: master key %d in %s does not open the messages of this database (the key file belongs to another installation?). Restore the key file that belongs to this database, or pass --key with its location; nothing was changed", ErrKeyFileWrong, id, path)
		}
	}
	return k, nil
}

// messagesTableExists tells whether the messaging migration has run.
func messagesTableExists(ctx context.Context, d *db.DB) (bool, error) {
	var n int
	err := d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'messages'").Scan(&n)
	return n > 0, err
}

func countEncrypted(ctx context.Context, d *db.DB) (int, error) {
	if d == nil {
		return 0, nil
	}
	if ok, err := messagesTableExists(ctx, d); err != nil || !ok {
		return 0, err
	}
	var n int
	if err := d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM messages").Scan(&n); err != nil {
		return 0, fmt.Errorf("keyring: %w", err)
	}
	return n, nil
}

func usedKeyIDs(ctx context.Context, d *db.DB) ([]uint32, error) {
	if d == nil {
		return nil, nil
	}
	if ok, err := messagesTableExists(ctx, d); err != nil || !ok {
		return nil, err
	}
	rows, err := d.R.QueryContext(ctx, "SELECT DISTINCT key_id FROM messages")
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	defer rows.Close()
	var out []uint32
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, uint32(id))
	}
	return out, rows.Err()
}

func readKeyFile(path string) (*Keyring, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("keyring: %s may be read by other users (mode %o); make it private with: chmod 600 %s", path, st.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	k := &Keyring{path: path, keys: map[uint32][]byte{}, created: map[uint32]string{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Fields(s)
		if len(f) != 5 || f[0] != "portico-key" || f[1] != "v1" {
			return nil, fmt.Errorf("keyring: %s line %d is not a Portico key line", path, line)
		}
		id, err := strconv.ParseUint(f[2], 10, 32)
		key, kerr := base64.StdEncoding.DecodeString(f[4])
		if err != nil || kerr != nil || len(key) != 32 || id == 0 {
			return nil, fmt.Errorf("keyring: %s line %d holds a damaged key", path, line)
		}
		k.keys[uint32(id)] = key
		k.created[uint32(id)] = f[3]
		if uint32(id) > k.current {
			k.current = uint32(id)
		}
	}
	if k.current == 0 {
		return nil, fmt.Errorf("keyring: %s holds no keys", path)
	}
	return k, nil
}

// keyStamp is the creation time written beside a new master key: the database's clock,
// or the wall clock when the key file is made before any database is open.
func keyStamp(d *db.DB) string {
	if d == nil || d.Clock == nil {
		return time.Now().UTC().Format(TimeFormat) // no database clock yet: the key file is made first
	}
	return d.NowText()
}

func (k *Keyring) add(id uint32, created string) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	k.keys[id] = key
	k.created[id] = created
	k.current = id
}

// write saves the key file with mode 0600 (atomically: a temporary file renamed over it).
func (k *Keyring) write(create bool) error {
	var b strings.Builder
	b.WriteString(keyFileHeader)
	ids := make([]int, 0, len(k.keys))
	for id := range k.keys {
		ids = append(ids, int(id))
	}
	sort.Ints(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, "portico-key v1 %d %s %s\n", id, k.created[uint32(id)], base64.StdEncoding.EncodeToString(k.keys[uint32(id)]))
	}
	if create {
		f, err := os.OpenFile(k.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("keyring: create %s: %w", k.path, err)
		}
		if _, err := f.WriteString(b.String()); err != nil {
			f.Close()
			return fmt.Errorf("keyring: write %s: %w", k.path, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	tmp, err := os.CreateTemp(filepath.Dir(k.path), ".portico.key.*")
	if err != nil {
		return fmt.Errorf("keyring: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.WriteString(b.String()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), k.path)
}

// CurrentID is the ID of the master key that wraps new data keys.
func (k *Keyring) CurrentID() uint32 {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.current
}

// wrap wraps a new data key for message msgID with the current master key.
func (k *Keyring) wrap(dataKey []byte, msgID int64) (uint32, []byte, error) {
	if k == nil {
		return 0, nil, errors.New("keyring: no key file loaded")
	}
	k.mu.RLock()
	id, master := k.current, k.keys[k.current]
	k.mu.RUnlock()
	w, err := wrapKey(id, master, dataKey, msgID)
	return id, w, err
}

// unwrap opens a wrapped data key of message msgID.
func (k *Keyring) unwrap(w []byte, msgID int64) ([]byte, error) {
	if k == nil {
		return nil, errors.New("keyring: no key file loaded")
	}
	id, err := wrappedKeyID(w)
	if err != nil {
		return nil, err
	}
	master, ok := k.key(id)
	if !ok {
		return nil, fmt.Errorf("%w: master key %d is not in the key file", ErrDecrypt, id)
	}
	return unwrapKey(master, w, msgID)
}

// key returns master key id. A key this process does not hold yet (`portico rotate-key`
// ran while the server was up) is picked up by reading the key file again; the newest
// key then also wraps new data keys.
func (k *Keyring) key(id uint32) ([]byte, bool) {
	k.mu.RLock()
	master, ok := k.keys[id]
	k.mu.RUnlock()
	if ok || k.path == "" {
		return master, ok
	}
	fresh, err := readKeyFile(k.path)
	if err != nil {
		return nil, false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for fid, fk := range fresh.keys {
		if _, have := k.keys[fid]; !have {
			k.keys[fid], k.created[fid] = fk, fresh.created[fid]
		}
	}
	if fresh.current > k.current {
		k.current = fresh.current
	}
	master, ok = k.keys[id]
	return master, ok
}

// RotateKey adds a new master key to the key file and re-wraps every data key with it,
// in one transaction. Old keys stay in the file (backups of the database still need
// them); a later rotation leaves them unused.
func RotateKey(ctx context.Context, path string, d *db.DB) error {
	k, err := OpenKeyring(ctx, path, d)
	if err != nil {
		return err
	}
	k.mu.Lock()
	k.add(k.current+1, keyStamp(d))
	k.mu.Unlock()
	// The new key is saved before any data key uses it.
	if err := k.write(false); err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id, wrapped_key FROM messages")
		if err != nil {
			return fmt.Errorf("rotate-key: %w", err)
		}
		type row struct {
			id int64
			w  []byte
		}
		var all []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.w); err != nil {
				rows.Close()
				return err
			}
			all = append(all, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		upd, err := tx.PrepareContext(ctx, "UPDATE messages SET key_id = ?, wrapped_key = ? WHERE id = ?")
		if err != nil {
			return err
		}
		defer upd.Close()
		for _, r := range all {
			dk, err := k.unwrap(r.w, r.id)
			if err != nil {
				return fmt.Errorf("rotate-key: message %d: %w", r.id, err)
			}
			id, w, err := k.wrap(dk, r.id)
			if err != nil {
				return err
			}
			if _, err := upd.ExecContext(ctx, id, w, r.id); err != nil {
				return fmt.Errorf("rotate-key: %w", err)
			}
		}
		return nil
	})
}

// linkToken derives the secret token of a registered-envelope link from a salt under
// master key keyID, so the database alone never holds a working link.
func (k *Keyring) linkToken(keyID uint32, salt string) (string, error) {
	if k == nil {
		return "", errors.New("keyring: no key file loaded")
	}
	master, ok := k.key(keyID)
	if !ok {
		return "", fmt.Errorf("%w: master key %d is not in the key file", ErrDecrypt, keyID)
	}
	m := hmac.New(sha256.New, master)
	m.Write([]byte("portico-envelope-link|" + salt))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

// ReadKeyring loads the key file at path without creating one (for tools that must
// change nothing, such as `portico audit verify`).
func ReadKeyring(path string) (*Keyring, error) { return readKeyFile(path) }

// DeriveKey returns a 32-byte key for purpose (for example "csrf" or "audit-seal"),
// derived by HMAC-SHA256 from the oldest master key in the key file. The oldest key
// stays in the file after a rotation, so a derived key does not change when keys rotate;
// like the master keys it lives outside the database.
func (k *Keyring) DeriveKey(purpose string) ([]byte, error) {
	if k == nil {
		return nil, errors.New("keyring: no key file loaded")
	}
	k.mu.RLock()
	var first uint32
	for id := range k.keys {
		if first == 0 || id < first {
			first = id
		}
	}
	master := k.keys[first]
	k.mu.RUnlock()
	if master == nil {
		return nil, errors.New("keyring: the key file holds no keys")
	}
	m := hmac.New(sha256.New, master)
	m.Write([]byte("portico-derived-key|" + purpose))
	return m.Sum(nil), nil
}

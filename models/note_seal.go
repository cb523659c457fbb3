package models

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"portico/db"
)

// Free-text notes (the clinical summary of an authorization request, the reviewer's
// explanation, the lines of its history, a Smart Sheet's note) are sealed with
// AES-256-GCM under a key derived from the key file for their purpose
// (Keyring.DeriveKey), so a copy of the database alone does not reveal them. A sealed
// note is stored as text, so the columns keep their type:
//
//	enc:v1:<base64 of [12 bytes nonce][ciphertext and tag]>
//
// The associated data names the purpose, the table, the column and the row, so a
// ciphertext copied to another row or column does not open. An empty note stays empty
// (nothing to hide, and "has a note" stays a cheap test).
const sealedNotePrefix = "enc:v1:"

// UnreadableNote is what a page shows instead of a note that does not open: altered in
// the database, copied from another row, or sealed under another installation's key file.
// Showing it (rather than failing the page) keeps the rest of the request usable.
const UnreadableNote = "(This note cannot be shown: it does not match its record, or the key file does not belong to this database. Please tell the plan administrator.)"

// Purposes of the derived note keys: one per area, so a key serves one kind of data.
const (
	notePurposeAuthz    = "authz-notes"
	notePurposeClinical = "clinical-notes"
)

// noteSealer seals the notes of one area under its derived key.
type noteSealer struct {
	purpose string
	aead    interface {
		Seal(dst, nonce, plaintext, additionalData []byte) []byte
		Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
		Overhead() int
	}
}

// noteSealer returns the sealer of purpose, or an error when no key file is loaded.
func (k *Keyring) noteSealer(purpose string) (*noteSealer, error) {
	key, err := k.DeriveKey(purpose)
	if err != nil {
		return nil, err
	}
	a, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	return &noteSealer{purpose: purpose, aead: a}, nil
}

// noteAAD binds a sealed note to its purpose, table, column and row.
func (n *noteSealer) noteAAD(table, column, row string) []byte {
	return []byte("portico-note|v1|" + n.purpose + "|" + table + "|" + column + "|" + row)
}

// seal returns text sealed for (table, column, row); "" stays "".
func (n *noteSealer) seal(table, column, row, text string) string {
	if text == "" {
		return ""
	}
	buf := make([]byte, nonceLen, nonceLen+len(text)+n.aead.Overhead())
	if _, err := rand.Read(buf); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	buf = n.aead.Seal(buf, buf[:nonceLen], []byte(text), n.noteAAD(table, column, row))
	return sealedNotePrefix + base64.RawStdEncoding.EncodeToString(buf)
}

// open returns the text of a note sealed for (table, column, row). A stored value that is
// not a sealed note, or that does not open here, is ErrDecrypt.
func (n *noteSealer) open(table, column, row, stored string) (string, error) {
	if stored == "" {
		return "", nil
	}
	b64, ok := strings.CutPrefix(stored, sealedNotePrefix)
	if !ok {
		return "", fmt.Errorf("%w: %s.%s of row %s is not a sealed note", ErrDecrypt, table, column, row)
	}
	raw, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(raw) < nonceLen+n.aead.Overhead() {
		return "", fmt.Errorf("%w: %s.%s of row %s is damaged", ErrDecrypt, table, column, row)
	}
	pt, err := n.aead.Open(nil, raw[:nonceLen], raw[nonceLen:], n.noteAAD(table, column, row))
	if err != nil {
		return "", fmt.Errorf("%w: %s.%s of row %s does not open", ErrDecrypt, table, column, row)
	}
	return string(pt), nil
}

// show is open for a page: a note that does not open reads as UnreadableNote.
func (n *noteSealer) show(table, column, row, stored string) string {
	if n == nil {
		if stored == "" {
			return ""
		}
		return UnreadableNote
	}
	t, err := n.open(table, column, row, stored)
	if err != nil {
		return UnreadableNote
	}
	return t
}

// sealedColumn is one free-text column sealed in place: the table, the column, and the
// key columns that name a row (their values, joined with "/", are the row of the
// associated data, as the model binds them when it writes).
type sealedColumn struct {
	table, column string
	keyCols       []string
	purpose       string
}

// sealedColumns lists every sealed note column, for the conversion of rows written before
// sealing and for the key-file check at start.
var sealedColumns = []sealedColumn{
	{"authz_requests", "clinical_note", []string{"id"}, notePurposeAuthz},
	{"authz_requests", "decision_note", []string{"id"}, notePurposeAuthz},
	{"authz_events", "note", []string{"id"}, notePurposeAuthz},
	{"authz_sheets", "note", []string{"request_id", "sheet"}, notePurposeAuthz},
	{"referrals", "notes", []string{"id"}, notePurposeClinical},
	{"referrals", "answer", []string{"id"}, notePurposeClinical},
	{"care_plans", "title", []string{"id"}, notePurposeClinical},
	{"care_plans", "narrative", []string{"id"}, notePurposeClinical},
	{"care_plan_items", "text", []string{"id"}, notePurposeClinical},
	{"care_plan_history", "what", []string{"id"}, notePurposeClinical},
	{"health_visits", "reason", []string{"id"}, notePurposeClinical},
	{"health_visits", "note", []string{"id"}, notePurposeClinical},
	{"health_medications", "directions", []string{"id"}, notePurposeClinical},
	{"assessments", "answers", []string{"id"}, notePurposeClinical},
}

// sealPlainTx seals, in place, every non-empty value of the sealed columns of table that
// is not sealed yet, and returns how many it sealed. Values already sealed are left alone,
// so running it again changes nothing.
func sealPlainTx(ctx context.Context, tx *sql.Tx, keys *Keyring, table string) (n int, err error) {
	// The plain text a row held must not stay behind in the page's free space:
	// secure_delete overwrites the space SQLite frees while the rows are rewritten.
	var wasSecure int
	if err := tx.QueryRowContext(ctx, `PRAGMA secure_delete`).Scan(&wasSecure); err != nil {
		return 0, fmt.Errorf("seal notes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return 0, fmt.Errorf("seal notes: %w", err)
	}
	defer func() {
		if _, rerr := tx.ExecContext(ctx, `PRAGMA secure_delete = `+strconv.Itoa(wasSecure)); rerr != nil && err == nil {
			err = fmt.Errorf("seal notes: %w", rerr)
		}
	}()
	for _, c := range sealedColumns {
		if c.table != table {
			continue
		}
		ns, err := keys.noteSealer(c.purpose)
		if err != nil {
			return n, err
		}
		keyList := strings.Join(c.keyCols, ", ")
		rows, err := tx.QueryContext(ctx, `SELECT `+keyList+`, `+c.column+` FROM `+c.table+
			` WHERE `+c.column+` <> '' AND substr(`+c.column+`, 1, ?) <> ?`, len(sealedNotePrefix), sealedNotePrefix)
		if err != nil {
			return n, fmt.Errorf("seal %s.%s: %w", c.table, c.column, err)
		}
		// Keys and values are read first and written after: SQLite does not promise
		// what a query sees of rows updated while it runs.
		var todo [][]any
		for rows.Next() {
			vals := make([]any, len(c.keyCols)+1)
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return n, err
			}
			todo = append(todo, vals)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
		upd, err := tx.PrepareContext(ctx, `UPDATE `+c.table+` SET `+c.column+` = ? WHERE `+strings.Join(c.keyCols, " = ? AND ")+` = ?`)
		if err != nil {
			return n, fmt.Errorf("seal %s.%s: %w", c.table, c.column, err)
		}
		for _, vals := range todo {
			keyVals := vals[:len(c.keyCols)]
			parts := make([]string, len(keyVals))
			for i, v := range keyVals {
				parts[i] = fmt.Sprint(v)
			}
			text, _ := vals[len(c.keyCols)].(string)
			args := append([]any{ns.seal(c.table, c.column, strings.Join(parts, "/"), text)}, keyVals...)
			if _, err := upd.ExecContext(ctx, args...); err != nil {
				upd.Close()
				return n, fmt.Errorf("seal %s.%s: %w", c.table, c.column, err)
			}
			n++
		}
		upd.Close()
	}
	return n, nil
}

// sealTablesTx seals, inside tx, the plain-text values of the sealed columns of each
// table, and returns how many it sealed.
func sealTablesTx(ctx context.Context, tx *sql.Tx, keys *Keyring, tables []string) (int, error) {
	total := 0
	for _, t := range tables {
		n, err := sealPlainTx(ctx, tx, keys, t)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// SealAuthzNotesTx seals every authorization note written in plain text inside tx (the
// demo fill writes its rows with SQL and seals them here before it commits).
func SealAuthzNotesTx(ctx context.Context, tx *sql.Tx, keys *Keyring) (int, error) {
	return sealTablesTx(ctx, tx, keys, []string{"authz_requests", "authz_events", "authz_sheets"})
}

// SealClinicalNotesTx seals every clinical note written in plain text inside tx: the
// referrals' notes and answers, the care plans' text, the visits' reasons and notes, the
// medications' directions and the assessments' answers (the demo fill writes them with
// SQL and seals them here before it commits).
func SealClinicalNotesTx(ctx context.Context, tx *sql.Tx, keys *Keyring) (int, error) {
	var tables []string
	for _, c := range sealedColumns {
		if c.purpose == notePurposeClinical && !slices.Contains(tables, c.table) {
			tables = append(tables, c.table)
		}
	}
	return sealTablesTx(ctx, tx, keys, tables)
}

// SealPendingNotes converts the rows that a migration listed in notes_to_seal (tables
// whose notes were plain text before this version): it seals each table's notes and
// removes its line in one transaction, so the conversion runs once and is never half
// done. It needs the key file, so it runs at start after OpenKeyring, not in the SQL
// migration. It returns how many values it sealed.
func SealPendingNotes(ctx context.Context, d *db.DB, keys *Keyring) (int, error) {
	if keys == nil {
		return 0, errors.New("seal notes: no key file loaded")
	}
	rows, err := d.R.QueryContext(ctx, `SELECT tbl FROM notes_to_seal ORDER BY tbl`)
	if err != nil {
		return 0, fmt.Errorf("seal notes: %w", err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return 0, err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	total := 0
	for _, t := range tables {
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			n, err := sealPlainTx(ctx, tx, keys, t)
			if err != nil {
				return err
			}
			total += n
			_, err = tx.ExecContext(ctx, `DELETE FROM notes_to_seal WHERE tbl = ?`, t)
			return err
		})
		if err != nil {
			return total, err
		}
	}
	if total > 0 {
		// Copy the rewritten pages into the file and empty the write-ahead log, whose
		// older frames still hold the plain text.
		if _, err := d.W.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return total, fmt.Errorf("seal notes: %w", err)
		}
	}
	return total, nil
}

// countSealedNotes counts the sealed notes of the database (0 before the tables exist),
// so that a missing key file is refused when only notes, and no messages, need it.
func countSealedNotes(ctx context.Context, d *db.DB) (int, error) {
	if d == nil { // the key file is made before any database is open
		return 0, nil
	}
	total := 0
	for _, c := range sealedColumns {
		var exists int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, c.table).Scan(&exists); err != nil {
			return 0, err
		}
		if exists == 0 {
			continue
		}
		var n int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+c.table+` WHERE substr(`+c.column+`, 1, ?) = ?`,
			len(sealedNotePrefix), sealedNotePrefix).Scan(&n); err != nil {
			return 0, fmt.Errorf("keyring: %w", err)
		}
		total += n
	}
	return total, nil
}

// noteRow is the row part of a note's associated data for a table keyed by one ID.
func noteRow(id int64) string { return strconv.FormatInt(id, 10) }

// notes is the sealer that opens authorization notes for a page; nil when no key file is
// loaded, which shows every stored note as UnreadableNote.
func (s Authz) notes() *noteSealer {
	ns, err := s.Keys.noteSealer(notePurposeAuthz)
	if err != nil {
		return nil
	}
	return ns
}

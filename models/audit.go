package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"portico/db"
)

// AuditEntry is one line of the audit log. Detail is free text for operators and must
// never hold health information: no names with dates of birth, diagnoses or message text.
type AuditEntry struct {
	ID         int64
	At         string
	UserID     int64 // 0 for the system or an anonymous visitor
	Actor      string
	AccountID  int64
	Action     string
	ObjectType string
	ObjectID   string
	MemberID   string
	IP         string
	Detail     string
	PrevHash   string
	Hash       string
}

// GenesisHash is the prev_hash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// hashOf computes the chained hash: SHA-256 over the previous hash and every field,
// each length-prefixed so that no two different entries serialise alike.
func (e *AuditEntry) hashOf() string {
	// The bytes are "len:field|" for each field, as fmt's "%d:%s|" wrote them (the
	// chains already stored depend on it); appended by hand, which every check's entry
	// does at a fraction of fmt's cost.
	buf := make([]byte, 0, 512)
	for _, f := range []string{e.PrevHash, strconv.FormatInt(e.ID, 10), e.At, strconv.FormatInt(e.UserID, 10), e.Actor,
		strconv.FormatInt(e.AccountID, 10), e.Action, e.ObjectType, e.ObjectID, e.MemberID, e.IP, e.Detail} {
		buf = strconv.AppendInt(buf, int64(len(f)), 10)
		buf = append(buf, ':')
		buf = append(buf, f...)
		buf = append(buf, '|')
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// Audit writes and reads the append-only audit log.
type Audit struct{ DB *db.DB }

// Record appends e to the log and returns once it is committed. Entries recorded at the
// same moment share one transaction (the group commit of audit_writer.go).
func (a Audit) Record(ctx context.Context, e AuditEntry) error {
	if err := submitAudit(ctx, a.DB, &auditJob{entries: []AuditEntry{e}}); err != nil {
		return fmt.Errorf("audit record: %w", err)
	}
	return nil
}

// RecordTx appends e inside tx, so that an action and its audit entry commit together.
func (a Audit) RecordTx(ctx context.Context, tx *sql.Tx, e AuditEntry) error {
	return appendAudit(ctx, tx, a.DB.NowText(), nil, e)
}

// qAuditLast and qAuditInsert are the audit log's two statements: the chain's head and
// the append.
const (
	qAuditLast   = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
	qAuditInsert = `INSERT INTO audit_log(id, at, user_id, actor, account_id, action, object_type, object_id, member_id, ip, detail, prev_hash, hash)
		VALUES (?, ?, NULLIF(?,0), ?, NULLIF(?,0), ?, ?, ?, ?, ?, ?, ?, ?)`
)

// auditStmts are qAuditLast and qAuditInsert prepared once (the group commit of
// eligibility checks uses them); nil means plain statements.
type auditStmts struct{ last, insert *sql.Stmt }

// appendAudit is the one way entries join the hash chain, for a single action and for a
// group commit alike: it reads the chain's head once, then links and inserts each entry
// in order, stamping those without a time with now. The writer pool has one connection,
// so reading the head and inserting cannot race.
func appendAudit(ctx context.Context, tx *sql.Tx, now string, stmts *auditStmts, entries ...AuditEntry) error {
	var lastID int64
	prev := GenesisHash
	var head *sql.Row
	if stmts != nil {
		head = tx.StmtContext(ctx, stmts.last).QueryRowContext(ctx)
	} else {
		head = tx.QueryRowContext(ctx, qAuditLast)
	}
	if err := head.Scan(&lastID, &prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit append: %w", err)
	}
	exec := func(args ...any) (sql.Result, error) { return tx.ExecContext(ctx, qAuditInsert, args...) }
	if stmts != nil {
		st := tx.StmtContext(ctx, stmts.insert)
		exec = func(args ...any) (sql.Result, error) { return st.ExecContext(ctx, args...) }
	}
	for _, e := range entries {
		e.ID = lastID + 1
		if e.At == "" {
			e.At = now
		}
		if e.Actor == "" {
			e.Actor = "system"
		}
		e.PrevHash = prev
		e.Hash = e.hashOf()
		if _, err := exec(e.ID, e.At, e.UserID, e.Actor, e.AccountID, e.Action, e.ObjectType, e.ObjectID, e.MemberID, e.IP, e.Detail, e.PrevHash, e.Hash); err != nil {
			return fmt.Errorf("audit append: %w", err)
		}
		lastID, prev = e.ID, e.Hash
	}
	return nil
}

const auditColumns = "id, at, COALESCE(user_id,0), actor, COALESCE(account_id,0), action, object_type, object_id, member_id, ip, detail, prev_hash, hash"

func scanAudit(rows rowScanner) (AuditEntry, error) {
	var e AuditEntry
	err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Actor, &e.AccountID, &e.Action, &e.ObjectType, &e.ObjectID, &e.MemberID, &e.IP, &e.Detail, &e.PrevHash, &e.Hash)
	return e, err
}

// Verify walks the whole chain. It returns the number of entries checked and, when the
// chain is broken, the ID of the first bad entry with the reason.
func (a Audit) Verify(ctx context.Context) (checked int, badID int64, reason string, err error) {
	rows, err := a.DB.R.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY id")
	if err != nil {
		return 0, 0, "", fmt.Errorf("audit verify: %w", err)
	}
	defer rows.Close()
	prev, wantID := GenesisHash, int64(1)
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return checked, 0, "", fmt.Errorf("audit verify: %w", err)
		}
		switch {
		case e.ID != wantID:
			return checked, e.ID, fmt.Sprintf("entry %d is missing before it", wantID), nil
		case e.PrevHash != prev:
			return checked, e.ID, "its previous-hash does not match the entry before it", nil
		case e.hashOf() != e.Hash:
			return checked, e.ID, "its contents do not match its hash", nil
		}
		prev, wantID = e.Hash, e.ID+1
		checked++
	}
	return checked, 0, "", rows.Err()
}

// Recent returns the latest entries of one account (the dashboard's Recent Activity).
func (a Audit) RecentForAccount(ctx context.Context, accountID int64, limit int) ([]AuditEntry, error) {
	rows, err := a.DB.R.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE account_id = ? ORDER BY id DESC LIMIT ?", accountID, limit)
	if err != nil {
		return nil, fmt.Errorf("audit recent: %w", err)
	}
	return collectRows(rows, scanAudit, "audit recent")
}

// Filter selects audit entries for the privacy officer's views; empty fields match all.
type AuditFilter struct {
	UserID   int64
	MemberID string
	Action   string
	From, To string // dates, inclusive
	Limit    int
	Offset   int // entries skipped (paging), newest first
}

// auditWhere is the WHERE clause of a filter, with its arguments.
func auditWhere(f AuditFilter) (string, []any) {
	var where []string
	var args []any
	if f.UserID != 0 {
		where, args = append(where, "user_id = ?"), append(args, f.UserID)
	}
	if f.MemberID != "" {
		where, args = append(where, "member_id = ?"), append(args, f.MemberID)
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if f.From != "" {
		where, args = append(where, "at >= ?"), append(args, f.From)
	}
	if f.To != "" {
		where, args = append(where, "at < date(?, '+1 day')"), append(args, f.To)
	}
	if len(where) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// Count is the number of entries matching f (Limit and Offset aside).
func (a Audit) Count(ctx context.Context, f AuditFilter) (int, error) {
	where, args := auditWhere(f)
	var n int
	err := a.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log"+where, args...).Scan(&n)
	return n, err
}

// Find returns entries matching f, newest first: Limit of them (500 when unset) after
// skipping Offset.
func (a Audit) Find(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	where, args := auditWhere(f)
	if f.Limit <= 0 {
		f.Limit = 500
	}
	q := "SELECT " + auditColumns + " FROM audit_log" + where + " ORDER BY id DESC LIMIT ? OFFSET ?"
	rows, err := a.DB.R.QueryContext(ctx, q, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, fmt.Errorf("audit find: %w", err)
	}
	return collectRows(rows, scanAudit, "audit find")
}

package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode"

	"github.com/gabriel-vasile/mimetype"
)

// Attachment limits (SPEC §9).
const (
	MaxAttachmentSize = 10 << 20
	MaxAttachments    = 5
)

// allowedTypes are the attachment types accepted, decided by the content (sniffed),
// never by the file name or the type the browser claims.
var allowedTypes = []struct{ mime, label string }{
	{"application/pdf", "PDF"},
	{"image/png", "PNG image"},
	{"image/jpeg", "JPEG image"},
	{"image/tiff", "TIFF image"},
	{"text/csv", "CSV"},
	{"text/plain", "plain text"},
}

// AttachmentTypesText lists the accepted types for hints and messages.
const AttachmentTypesText = "PDF, PNG, JPEG, TIFF, plain text or CSV"

// AttachmentUpload is a file attached to a draft, already checked.
type AttachmentUpload struct {
	Name string
	MIME string
	Data []byte
}

// Attachment is a stored attachment; Data is filled only for downloads.
type Attachment struct {
	ID        int64
	MessageID int64
	ThreadID  int64
	Name      string
	MIME      string
	Size      int64
	Data      []byte
}

// TypeLabel is the attachment's type in words ("PDF", "PNG image").
func (a Attachment) TypeLabel() string { return AttachmentTypeLabel(a.MIME) }

// SizeText is the size in B, KB or MB.
func (a Attachment) SizeText() string { return AttachmentSizeText(a.Size) }

// AttachmentTypeLabel names a stored MIME type in words.
func AttachmentTypeLabel(m string) string {
	for _, t := range allowedTypes {
		if t.mime == m {
			return t.label
		}
	}
	return m
}

// AttachmentSizeText shows a byte count the way people read it.
func AttachmentSizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}

// CleanAttachmentName keeps a file name safe to show and to send back in a download: the
// base name only, printable characters, at most 120 characters.
func CleanAttachmentName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 120 {
		name = string(r[len(r)-120:])
	}
	if name == "" || name == "." || name == ".." {
		name = "attachment"
	}
	return name
}

// CheckAttachment accepts a file by its content. The returned error is a sentence for
// the user, naming the file (a refused file is explained next to the field).
func CheckAttachment(name string, data []byte) (AttachmentUpload, error) {
	name = CleanAttachmentName(name)
	if len(data) == 0 {
		return AttachmentUpload{}, fmt.Errorf("%s is empty", name)
	}
	if len(data) > MaxAttachmentSize {
		return AttachmentUpload{}, fmt.Errorf("%s is %s; each file may be at most 10 MB", name, AttachmentSizeText(int64(len(data))))
	}
	mt := mimetype.Detect(data)
	for _, t := range allowedTypes {
		if mt.Is(t.mime) {
			return AttachmentUpload{Name: name, MIME: t.mime, Data: data}, nil
		}
	}
	return AttachmentUpload{}, fmt.Errorf("%s was refused: its content is not a %s file, whatever its name says", name, AttachmentTypesText)
}

// AttachmentFor loads and decrypts attachment id; the caller checks that the reader may
// see its thread (AttachmentThread), so other offices' IDs answer 404.
func (s Messages) AttachmentFor(ctx context.Context, id int64) (*Attachment, error) {
	var a Attachment
	var wrapped, name, data []byte
	err := s.DB.R.QueryRowContext(ctx, `SELECT at.id, at.message_id, m.thread_id, at.mime, at.size, m.wrapped_key, at.name, at.data
		FROM message_attachments at JOIN messages m ON m.id = at.message_id WHERE at.id = ?`, id).
		Scan(&a.ID, &a.MessageID, &a.ThreadID, &a.MIME, &a.Size, &wrapped, &name, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("attachment: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("attachment: %w", err)
	}
	sl, err := s.opener(wrapped, a.MessageID)
	if err != nil {
		return nil, err
	}
	n, err := sl.open(fmt.Sprintf("att:%d:name", a.ID), name)
	if err != nil {
		return nil, err
	}
	a.Name = string(n)
	if a.Data, err = sl.open(fmt.Sprintf("att:%d:data", a.ID), data); err != nil {
		return nil, err
	}
	return &a, nil
}

// AttachmentThread is the thread an attachment belongs to (0 when there is none).
func (s Messages) AttachmentThread(ctx context.Context, id int64) (int64, error) {
	var tid int64
	err := s.DB.R.QueryRowContext(ctx, "SELECT m.thread_id FROM message_attachments at JOIN messages m ON m.id = at.message_id WHERE at.id = ?", id).Scan(&tid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("attachment: %w", ErrNotFound)
	}
	return tid, err
}

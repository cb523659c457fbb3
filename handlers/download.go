package handlers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"mime"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// csvSafe neutralises a cell that a spreadsheet would run as a formula (CWE-1236): a
// value starting with = + - @ tab or CR gets a leading apostrophe. A plain number such
// as a negative amount ("-12.50") stays a number.
func csvSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '+', '-':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
		return "'" + s
	case '=', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// attachmentHeaders marks a response as a download of filename that no cache keeps.
func attachmentHeaders(c *fiber.Ctx, filename, contentType string) {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Content-Type-Options", "nosniff")
}

// sendCSV answers with a CSV download of header and rows, every cell formula-safe.
func (h *Handler) sendCSV(c *fiber.Ctx, filename string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true // RFC 4180, as spreadsheets expect
	for _, rec := range append([][]string{header}, rows...) {
		safe := make([]string, len(rec))
		for i, v := range rec {
			safe[i] = csvSafe(v)
		}
		if err := w.Write(safe); err != nil {
			return err
		}
	}
	w.Flush()
	attachmentHeaders(c, filename, "text/csv; charset=utf-8")
	return c.Send(buf.Bytes())
}

// streamCSV answers with a CSV download whose rows fill writes one at a time, straight
// to the connection, so a long report is never held in memory whole. fill runs after the
// handler returns (fasthttp's body stream), so it must not touch c; it gets its own
// context from the caller's closure.
func (h *Handler) streamCSV(c *fiber.Ctx, filename string, header []string, fill func(write func([]string) error) error) error {
	attachmentHeaders(c, filename, "text/csv; charset=utf-8")
	c.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
		w := csv.NewWriter(bw)
		w.UseCRLF = true
		var safe []string // reused: a long report makes no garbage per row here
		write := func(rec []string) error {
			safe = safe[:0]
			for _, v := range rec {
				safe = append(safe, csvSafe(v))
			}
			return w.Write(safe)
		}
		if err := write(header); err != nil {
			return
		}
		if err := fill(write); err != nil {
			h.log.Error("csv download stopped", "file", filename, "err", err)
			_ = w.Write([]string{"The download stopped early; try again."})
		}
		w.Flush()
	})
	return nil
}

// sendFile answers with a stored file (an attachment, a document) as a download that
// browsers never render inline, no-store; the name is cleaned and, when it is not
// plain ASCII, sent as RFC 2231 UTF-8.
func (h *Handler) sendFile(c *fiber.Ctx, filename, contentType string, data []byte) error {
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	attachmentHeaders(c, models.CleanAttachmentName(filename), contentType)
	return c.Send(data)
}

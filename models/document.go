package models

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
)

// MaxDocumentSize is the largest PDF an editor may upload.
const MaxDocumentSize = 10 << 20

// ErrNotPDF is returned for an upload whose bytes are not a PDF, whatever its name says.
var ErrNotPDF = errors.New("not a PDF document")

// SafeFilename keeps a download name to letters, digits, dot, dash and underscore and
// makes it end in .pdf.
func SafeFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range FoldText(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
		if b.Len() >= 100 {
			break
		}
	}
	s := strings.Trim(b.String(), ".-_")
	s = strings.TrimSuffix(s, ".pdf")
	if s == "" {
		s = "document"
	}
	return s + ".pdf"
}

// AddDocument attaches a PDF to an entry. The type is sniffed from the bytes (only
// application/pdf is accepted); text, when empty, is extracted from the PDF so that
// search finds what the document says.
func (l Library) AddDocument(ctx context.Context, entryID int64, filename string, data []byte, text, by string) (int64, error) {
	if len(data) == 0 || len(data) > MaxDocumentSize {
		return 0, fmt.Errorf("library add document: %w", ErrNotPDF)
	}
	if !mimetype.Detect(data).Is("application/pdf") {
		return 0, fmt.Errorf("library add document: %w", ErrNotPDF)
	}
	text = strings.TrimSpace(stripMarkers(text))
	if text == "" {
		text = ExtractPDFText(data)
	}
	sum := sha256.Sum256(data)
	var id int64
	err := l.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM library_entries WHERE id = ?", entryID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		var err error
		id, err = InsertDocumentTx(ctx, tx, entryID, SafeFilename(filename), data, hex.EncodeToString(sum[:]), text, l.DB.NowText(), by)
		if err != nil {
			return err
		}
		return ReindexLibraryTx(ctx, tx, entryID)
	})
	if err != nil {
		return 0, fmt.Errorf("library add document: %w", err)
	}
	return id, nil
}

// InsertDocumentTx stores a document row (the demo fill uses it too).
func InsertDocumentTx(ctx context.Context, tx *sql.Tx, entryID int64, filename string, data []byte, sha, text, at, by string) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO library_documents(entry_id, filename, content_type, size, sha256, data, text, uploaded_at, uploaded_by)
		VALUES (?, ?, 'application/pdf', ?, ?, ?, ?, ?, ?)`, entryID, filename, len(data), sha, data, stripMarkers(text), at, by)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// RemoveDocument deletes a document from an entry and returns its entry's ID.
func (l Library) RemoveDocument(ctx context.Context, docID int64) (int64, error) {
	var entryID int64
	err := l.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, "SELECT entry_id FROM library_documents WHERE id = ?", docID).Scan(&entryID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM library_documents WHERE id = ?", docID); err != nil {
			return err
		}
		return ReindexLibraryTx(ctx, tx, entryID)
	})
	if err != nil {
		return 0, fmt.Errorf("library remove document: %w", err)
	}
	return entryID, nil
}

// PDFPage is one page of a generated PDF: a heading and lines of body text.
type PDFPage struct {
	Heading string
	Lines   []string
}

// WritePDF builds a small, valid PDF 1.4 document (Helvetica, letter size, uncompressed
// text so that it can be searched and extracted). Lines longer than the page are wrapped;
// pages overflow onto new ones.
func WritePDF(title string, pages []PDFPage) []byte {
	const perPage = 46
	var streams []string
	for _, p := range pages {
		var lines []string
		for _, l := range p.Lines {
			lines = append(lines, wrapText(l, 88)...)
		}
		first := true
		for first || len(lines) > 0 {
			n := min(len(lines), perPage)
			var s strings.Builder
			s.WriteString("BT\n")
			y := 740
			if first && p.Heading != "" {
				fmt.Fprintf(&s, "/F2 15 Tf 1 0 0 1 60 %d Tm (%s) Tj\n", y, pdfString(p.Heading))
				y -= 28
			}
			s.WriteString("/F1 10.5 Tf\n")
			for _, l := range lines[:n] {
				fmt.Fprintf(&s, "1 0 0 1 60 %d Tm (%s) Tj\n", y, pdfString(l))
				y -= 14
			}
			s.WriteString("ET\n")
			streams = append(streams, s.String())
			lines = lines[n:]
			first = false
		}
	}
	if len(streams) == 0 {
		streams = append(streams, "BT ET\n")
	}
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// 1 catalog, 2 pages, 3 info, 4 F1, 5 F2, then each page and its content.
	kids := make([]string, len(streams))
	for i := range streams {
		kids[i] = fmt.Sprintf("%d 0 R", 6+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(streams)))
	obj(fmt.Sprintf("<< /Title (%s) /Producer (Portico) >>", pdfString(title)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	for i, s := range streams {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents %d 0 R >>", 7+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(s), s))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// wrapText breaks a line into lines of at most width characters at spaces.
func wrapText(s string, width int) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{""}
	}
	var out []string
	cur := ""
	for _, w := range words {
		if cur != "" && utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) > width {
			out = append(out, cur)
			cur = w
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	return append(out, cur)
}

// pdfString escapes text for a PDF literal string in WinAnsi (Latin-1 range); other
// characters become '?'.
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '–' || r == '—':
			b.WriteByte('-')
		case r == '’' || r == '‘':
			b.WriteByte('\'')
		case r == '“' || r == '”':
			b.WriteByte('"')
		case r >= 32 && r < 127:
			b.WriteRune(r)
		case r >= 160 && r < 256:
			fmt.Fprintf(&b, "\\%03o", r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

var (
	pdfStreamRe = regexp.MustCompile(`(?s)<<(.{0,400}?)>>\s*stream\r?\n`)
	pdfTextOpRe = regexp.MustCompile(`(?s)\((?:\\.|[^\\)])*\)\s*Tj|\[(?:[^\]]*)\]\s*TJ|T\*|Td|TD|Tm`)
	pdfLitRe    = regexp.MustCompile(`(?s)\((?:\\.|[^\\)])*\)`)
)

// ExtractPDFText pulls the text shown by a PDF's Tj and TJ operators out of its content
// streams (plain or Flate-compressed). It is a best effort for simple documents; editors
// can type the text themselves when it finds nothing. It is bounded: at most 2 MB of
// decompressed content and 200,000 characters of text.
func ExtractPDFText(pdf []byte) string {
	var out strings.Builder
	budget := 2 << 20
	for _, loc := range pdfStreamRe.FindAllSubmatchIndex(pdf, -1) {
		if budget <= 0 || out.Len() > 200_000 {
			break
		}
		dict := string(pdf[loc[2]:loc[3]])
		start := loc[1]
		end := bytes.Index(pdf[start:], []byte("endstream"))
		if end < 0 {
			break
		}
		data := pdf[start : start+end]
		if strings.Contains(dict, "/FlateDecode") {
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				continue
			}
			inflated, _ := io.ReadAll(io.LimitReader(zr, int64(budget)))
			zr.Close()
			data = inflated
		} else if strings.Contains(dict, "/Filter") {
			continue
		}
		budget -= len(data)
		for _, op := range pdfTextOpRe.FindAll(data, -1) {
			s := string(op)
			switch {
			case strings.HasSuffix(s, "Tj") || strings.HasSuffix(s, "TJ"):
				for _, lit := range pdfLitRe.FindAllString(s, -1) {
					out.WriteString(unescapePDF(lit[1 : len(lit)-1]))
				}
			default:
				out.WriteByte(' ')
			}
		}
		out.WriteByte(' ')
	}
	return strings.TrimSpace(spaces.ReplaceAllString(stripMarkers(out.String()), " "))
}

// unescapePDF decodes a PDF literal string's escapes, reading bytes as Latin-1.
func unescapePDF(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteRune(rune(c))
			continue
		}
		i++
		switch e := s[i]; e {
		case 'n', 'r', 't':
			b.WriteByte(' ')
		case 'b', 'f':
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := 0
			j := 0
			for ; j < 3 && i+j < len(s) && s[i+j] >= '0' && s[i+j] <= '7'; j++ {
				v = v*8 + int(s[i+j]-'0')
			}
			i += j - 1
			b.WriteRune(rune(v & 0xff))
		default:
			b.WriteByte(e)
		}
	}
	return b.String()
}

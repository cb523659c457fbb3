package models_test

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"portico/models"
)

// TestWritePDFStructure: the generated PDF's cross-reference table points at each object
// and every stream's /Length is exact, so readers open it without repairing it; long text
// flows onto further pages.
func TestWritePDFStructure(t *testing.T) {
	var lines []string
	for i := 0; i < 120; i++ {
		lines = append(lines, fmt.Sprintf("Line %d of a long provider update (with brackets) and a backslash \\ here.", i))
	}
	b := models.WritePDF("Test (update)", []models.PDFPage{{Heading: "Heading", Lines: lines}, {Heading: "Second", Lines: []string{"Café – “quoted”"}}})
	if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Fatal("missing header or trailer")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[xref:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	rows := strings.Split(string(b[xref:]), "\n")
	var first, count int
	fmt.Sscanf(rows[1], "%d %d", &first, &count)
	for i := 1; i < count; i++ {
		off, _ := strconv.Atoi(rows[2+i][:10])
		if !bytes.HasPrefix(b[off:], []byte(fmt.Sprintf("%d 0 obj", i))) {
			t.Errorf("object %d not at offset %d", i, off)
		}
	}
	for _, s := range regexp.MustCompile(`/Length (\d+) >>\nstream\n`).FindAllSubmatchIndex(b, -1) {
		n, _ := strconv.Atoi(string(b[s[2]:s[3]]))
		if !bytes.HasPrefix(b[s[1]+n:], []byte("endstream")) {
			t.Errorf("stream at %d: /Length %d is wrong", s[0], n)
		}
	}
	if pages := bytes.Count(b, []byte("/Type /Page ")); pages < 4 {
		t.Errorf("%d pages, want the long text to flow onto at least 3 pages plus the second", pages)
	}
	text := models.ExtractPDFText(b)
	for _, want := range []string{"Line 0 of a long provider update (with brackets) and a backslash \\ here.", "Line 119", "Café - \"quoted\""} {
		if !strings.Contains(text, want) {
			t.Errorf("extracted text lacks %q", want)
		}
	}
}

// TestExtractPDFTextFlate: text in Flate-compressed content streams (what most PDF tools
// write) is found too, TJ arrays included; other filters are skipped, not misread.
func TestExtractPDFTextFlate(t *testing.T) {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	io.WriteString(w, "BT /F1 12 Tf 72 700 Td (Compressed capybara notice) Tj T* [(Kern) -120 (ed words)] TJ ET")
	w.Close()
	pdf := fmt.Sprintf("%%PDF-1.5\n1 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n2 0 obj\n<< /Length 5 /Filter /DCTDecode >>\nstream\n(xyz)\nendstream\nendobj\n%%%%EOF\n", z.Len(), z.String())
	got := models.ExtractPDFText([]byte(pdf))
	if !strings.Contains(got, "Compressed capybara notice") || !strings.Contains(got, "Kerned words") || strings.Contains(got, "xyz") {
		t.Errorf("extracted %q", got)
	}
	if got := models.ExtractPDFText([]byte("%PDF-1.4 garbage stream\nnot zlib\nendstream")); got != "" {
		t.Errorf("garbage gave %q", got)
	}
}

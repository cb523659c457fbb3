package handlers

import (
	"os"
	"strings"
	"testing"
)

// TestStylesheetBlocksClosed reads portico.css and fails when a block is left open: an
// unclosed "@media print {" (easy to leave behind when areas append their rules) turns
// every rule after it into a print-only rule, so the pharmacy and reports pages, whose
// rules come last, would lose their layout on screen.
func TestStylesheetBlocksClosed(t *testing.T) {
	b, err := os.ReadFile("../static/css/portico.css")
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for i, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "@media") && depth != 0 {
			t.Errorf("line %d: %q opens inside another block (depth %d)", i+1, line, depth)
		}
		depth += strings.Count(line, "{") - strings.Count(line, "}")
		if depth < 0 {
			t.Fatalf("line %d closes a block that was not open", i+1)
		}
	}
	if depth != 0 {
		t.Errorf("%d block(s) left open at the end of portico.css", depth)
	}
	if !strings.Contains(string(b), ".reports-tabs") {
		t.Error("the reports rules are missing")
	}
}

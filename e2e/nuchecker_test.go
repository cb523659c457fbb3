package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// vnuJar finds the Nu HTML checker (npm's vnu-jar): $PORTICO_VNU_JAR, or node_modules
// in the repository or /tmp/vnu.
func vnuJar() string {
	for _, p := range []string{os.Getenv("PORTICO_VNU_JAR"), "../node_modules/vnu-jar/build/dist/vnu.jar", "/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// TestPagesValidateInNuChecker saves the main pages of an office manager and a plan
// admin as the server sends them (fetched in the signed-in browser) and runs the Nu HTML
// checker over them: no errors. It skips, saying why, when Java or vnu.jar is missing
// (CI installs default-jre-headless and `npm install vnu-jar`).
func TestPagesValidateInNuChecker(t *testing.T) {
	java, err := exec.LookPath("java")
	jar := vnuJar()
	if err != nil || jar == "" {
		t.Skip("Nu HTML checker not available: needs java (Debian's default-jre-headless) and vnu.jar (npm install vnu-jar, or PORTICO_VNU_JAR)")
	}
	dir := t.TempDir()
	var files []string
	for _, who := range []struct {
		email string
		extra []string
	}{
		{"manager@sunrise.example", []string{"/members/A100000001", "/members/A100000001/card", "/account/users"}},
		{"admin@plan.example", nil},
	} {
		ctx := newTab(t)
		signIn(t, ctx, who.email)
		for _, p := range mainPages(t, ctx, who.extra) {
			src, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+jsQuote(p)+`, {credentials: "same-origin"}).then(r => r.text())`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("fetch %s: %v", p, err)
			}
			name := filepath.Join(dir, strings.NewReplacer("/", "_", "?", "_").Replace(who.email+p)+".html")
			if err := os.WriteFile(name, []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			files = append(files, name)
		}
	}
	out, _ := exec.Command(java, append([]string{"-jar", jar, "--errors-only", "--format", "json"}, files...)...).CombinedOutput()
	var res struct {
		Messages []struct {
			URL, Type, Message, Extract string
			LastLine                    int
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("vnu output: %v\n%s", err, out)
	}
	for _, m := range res.Messages {
		if m.Type == "error" {
			t.Errorf("%s:%d: %s (%q)", filepath.Base(m.URL), m.LastLine, m.Message, m.Extract)
		}
	}
}

// jsQuote is s as a JavaScript string literal.
func jsQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

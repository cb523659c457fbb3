package handlers

import (
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestMembersSmoke(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	r := c.get("/dashboard")
	t.Log(r.Status)
	if r.Status != 200 {
		t.Fatal(r.Body)
	}
	os.WriteFile("/tmp/dump_dashboard.html", []byte(r.Body), 0o644)
	r = c.post("/eligibility/quick", url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}})
	t.Log(r.Status)
	if r.Status != 200 {
		t.Fatal(r.Body)
	}
	for _, p := range []string{"/members/A100000001", "/members/A100000001/cost-sharing", "/members/A100000001/benefits", "/members/A100000001/claims", "/members/A100000001/pharmacy", "/members/A100000001/card", "/eligibility", "/patients", "/members/A100000001/authorizations"} {
		r = c.get(p)
		if r.Status != 200 {
			t.Fatal(p, r.Status, r.Body)
		}
		if os.Getenv("DUMP") != "" {
			os.WriteFile("/tmp/dump"+strings.ReplaceAll(p, "/", "_")+".html", []byte(r.Body), 0o644)
		}
	}
}

package handlers

import (
	"os"
	"strings"
	"testing"
)

func TestClinicalSmoke(t *testing.T) {
	ta := newTestApp(t)
	jane := ta.as("manager@sunrise.example")
	for _, p := range []string{"/members/A100000001/assessments", "/members/A100000001/care-plan", "/members/A100000001/health-records/labs",
		"/members/A100000001/referrals", "/members/M200000001/health-records/visits", "/assessments/due", "/help", "/dashboard"} {
		r := jane.get(p)
		t.Logf("%s %d", p, r.Status); dump(t, p, r.Body)
	}
	priya := ta.as("manager@valley.example")
	for _, p := range []string{"/members/D300000001/care-coordination", "/members/D300000001/care-plan", "/members/D300000001/assessments"} {
		r := priya.get(p)
		t.Logf("%s %d", p, r.Status); dump(t, p, r.Body)
	}
	nurse := ta.as("nurse@plan.example")
	for _, p := range []string{"/care", "/care/members/D300000001", "/care/referrals/1", "/care/members/A100000001/care-plans/1", "/care/members/D300000001/health-records/labs"} {
		r := nurse.get(p)
		t.Logf("%s %d", p, r.Status); dump(t, p, r.Body)
	}
}

func dump(t *testing.T, p, b string) {
	_ = os.WriteFile("/tmp/clin/"+strings.NewReplacer("/", "_").Replace(p)+".html", []byte(b), 0o644)
}

func snippet(b string) string {
	if i := indexOf(b, "error"); i >= 0 && len(b) > i+300 {
		return b[i : i+300]
	}
	return ""
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

package handlers

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"portico/models"
)

// benchRequest runs one request through the whole app (middleware, session, handler,
// template) and fails on a non-200 answer.
func benchRequest(b *testing.B, ta *testApp, c *client, method, path string, form url.Values) {
	var body io.Reader
	if form != nil {
		form.Set("_csrf", c.csrf)
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
	}
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	res, err := ta.app.Test(req, -1)
	if err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("%s %s: %v %v", method, path, err, res)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
}

// cpuPerOp reports the process's CPU time (user + system) per iteration as "cpu-µs/op"
// when the returned function runs after the loop: on a machine shared with other work
// the wall time per request says little, the CPU time it took much more.
func cpuPerOp(b *testing.B) func() {
	start := processCPU()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((processCPU()-start).Microseconds())/float64(b.N), "cpu-µs/op")
		}
	}
}

// processCPU is the CPU time this process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// noLookupCeiling turns the per-user ceiling of look-ups off: a benchmark is one user
// making as many look-ups as it can.
func noLookupCeiling(o *Options) { o.LookupCeilings = []models.LookupCeiling{} }

// BenchmarkQuickCheckByID is the CPU cost of one signed-in eligibility check by member
// ID + DOB, audit entry included (the load run in e2e/loadgen measures it under load).
func BenchmarkQuickCheckByID(b *testing.B) {
	ta := newTestApp(b, noLookupCeiling)
	c := ta.as("manager@sunrise.example")
	defer cpuPerOp(b)()
	for b.Loop() {
		benchRequest(b, ta, c, http.MethodPost, "/eligibility/quick", url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}})
	}
}

// BenchmarkQuickCheckByName is the same by last name + DOB.
func BenchmarkQuickCheckByName(b *testing.B) {
	ta := newTestApp(b, noLookupCeiling)
	c := ta.as("manager@sunrise.example")
	defer cpuPerOp(b)()
	for b.Loop() {
		benchRequest(b, ta, c, http.MethodPost, "/eligibility/quick", url.Values{"q": {"Lopez"}, "dob": {"1985-03-14"}})
	}
}

// BenchmarkDashboard is the CPU cost of the signed-in office dashboard.
func BenchmarkDashboard(b *testing.B) {
	ta := newTestApp(b)
	c := ta.as("manager@sunrise.example")
	defer cpuPerOp(b)()
	for b.Loop() {
		benchRequest(b, ta, c, http.MethodGet, "/dashboard", nil)
	}
}

// BenchmarkClaimsList is the CPU cost of the first page of the signed-in claims list.
func BenchmarkClaimsList(b *testing.B) {
	ta := newTestApp(b)
	c := ta.as("manager@sunrise.example")
	for b.Loop() {
		benchRequest(b, ta, c, http.MethodGet, "/claims", nil)
	}
}

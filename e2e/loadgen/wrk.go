package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"portico/db"
)

// The wrk scripts: a signed-in GET and the signed-in eligibility POST.
//
//go:embed lua/*.lua
var luaFS embed.FS

// wrkScenario is one of Portico's measured pages and the anchor endpoint it is judged
// against (SPEC §13).
type wrkScenario struct {
	key, label string
	user       string // who signs in for it
	path       string // GET path; empty for the eligibility POST
	by         string // "id" or "name" for the eligibility POST
	anchor     string // "member" (primary-key look-up) or "page" (50-row page)
	share      float64
	p99        float64 // the p99 may be at most this multiple of the anchor's; 0 = no p99 budget
	discover   func(cl *session) (string, error)
}

// session is one signed-in user: the cookie wrk sends and the CSRF token for POSTs.
type session struct {
	base   string
	cookie *http.Cookie
	csrf   string
}

// get fetches path with the session and returns the status and the body.
func (s *session) get(path string) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		return 0, "", err
	}
	req.AddCookie(s.cookie)
	cl := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := cl.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), nil
}

var eopRe = regexp.MustCompile(`href="(/claims/payments/[A-Za-z0-9-]+)"`)

// wrkScenarios lists every scenario; a GET page that the running build does not serve
// (404, or a page of an area not merged yet) is reported as skipped, not measured.
func wrkScenarios() []wrkScenario {
	const office, reviewer, capitated = "manager@sunrise.example", "nurse@plan.example", "manager@valley.example"
	return []wrkScenario{
		{key: "id", label: "eligibility, member ID + DOB", user: office, by: "id", anchor: "member", share: .60, p99: 1.2},
		{key: "name", label: "eligibility, last name + DOB", user: office, by: "name", anchor: "member", share: .60, p99: 1.2},
		{key: "dashboard", label: "dashboard", user: office, path: "/dashboard", anchor: "page", share: .80, p99: 1.2},
		{key: "claims", label: "claims list", user: office, path: "/claims", anchor: "page", share: .50},
		{key: "payments", label: "payment history", user: office, path: "/claims/payments", anchor: "page", share: .50},
		{key: "eop", label: "an EOP (explanation of payment)", user: office, anchor: "page", share: .50, discover: func(s *session) (string, error) {
			st, body, err := s.get("/claims/payments")
			if err != nil || st != http.StatusOK {
				return "", fmt.Errorf("payment history answered %d %v", st, err)
			}
			for _, m := range eopRe.FindAllStringSubmatch(body, -1) {
				if !strings.HasSuffix(m[1], "/csv") {
					return m[1], nil
				}
			}
			return "", errors.New("no payment on the payment history page")
		}},
		{key: "authorizations", label: "authorizations list", user: office, path: "/authorizations", anchor: "page", share: .50},
		{key: "review", label: "reviewer queue", user: reviewer, path: "/authorizations/review", anchor: "page", share: .50},
		{key: "report", label: "report month (capitation roster)", user: capitated, path: "/reports/roster", anchor: "page", share: .50},
		{key: "inbox", label: "message inbox", user: office, path: "/messages", anchor: "page", share: .50},
		{key: "patients", label: "Patients", user: office, path: "/patients", anchor: "page", share: .50},
	}
}

// wrkResult is what one wrk run printed.
type wrkResult struct {
	rps, p50, p99 float64 // req/s, ms, ms
	requests      int
	bad           int // non-2xx/3xx responses and socket errors
}

var (
	rpsRe  = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	reqRe  = regexp.MustCompile(`(\d+) requests in`)
	pctRe  = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	non2Re = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	sockRe = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

// parseWrk reads wrk --latency output.
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	m := rpsRe.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no Requests/sec in wrk output:\n%s", out)
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	if m = reqRe.FindStringSubmatch(out); m != nil {
		r.requests, _ = strconv.Atoi(m[1])
	}
	for _, m := range pctRe.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		switch m[3] {
		case "us":
			v /= 1000
		case "s":
			v *= 1000
		}
		if m[1] == "50" {
			r.p50 = v
		} else {
			r.p99 = v
		}
	}
	if m = non2Re.FindStringSubmatch(out); m != nil {
		r.bad, _ = strconv.Atoi(m[1])
	}
	if m = sockRe.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.bad += n
		}
	}
	return r, nil
}

// runWrk warms up for a second, then measures: wrk -t2 -c64 --latency, as SPEC §13 and
// the anchor's script.
func runWrk(cfg config, url, script string, env []string, measuring func()) (wrkResult, error) {
	args := func(d time.Duration) []string {
		a := []string{"-t2", "-c" + strconv.Itoa(cfg.conns), "-d" + strconv.Itoa(int(d.Seconds())) + "s", "--latency"}
		if script != "" {
			a = append(a, "-s", script)
		}
		return append(a, url)
	}
	warm := exec.Command("wrk", args(time.Second)...)
	warm.Env = append(os.Environ(), env...)
	if out, err := warm.CombinedOutput(); err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	if measuring != nil {
		measuring()
	}
	cmd := exec.Command("wrk", args(cfg.dur)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	return parseWrk(string(out))
}

// anchorServer builds and starts the bare-framework anchor of ../shared/bench exactly as
// its anchor.sh does (same binary, database and reader count), and returns its base URL
// and a stop function.
func anchorServer(benchDir string) (string, func(), error) {
	work := os.Getenv("ANCHOR_DIR")
	if work == "" {
		work = "/tmp/portico-anchor"
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return "", nil, err
	}
	build := exec.Command("go", "build", "-o", filepath.Join(work, "anchor"), ".")
	build.Dir = filepath.Join(benchDir, "anchor")
	if out, err := build.CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("building the anchor: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	logf, err := os.Create(filepath.Join(work, "anchor.log"))
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(filepath.Join(work, "anchor"), "-addr", addr, "-db", filepath.Join(work, "anchor.db"), "-readers", "4")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return "", nil, err
	}
	stop := func() { cmd.Process.Kill(); cmd.Wait(); logf.Close() }
	base := "http://" + addr
	for i := 0; i < 600; i++ { // the first start seeds a million rows
		if res, err := http.Get(base + "/plain"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return base, stop, nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	stop()
	return "", nil, errors.New("the anchor did not start; see " + logf.Name())
}

// findBench finds ../shared/bench (beside the repository) or the -bench directory.
func findBench(dir string) (string, error) {
	for _, d := range []string{dir, "../shared/bench", "../../shared/bench", "/work/shared/bench"} {
		if d == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "anchor", "main.go")); err == nil {
			return filepath.Abs(d)
		}
	}
	return "", errors.New("the anchor (../shared/bench/anchor) was not found; pass -bench DIR")
}

// anchorRun measures Portico's scenarios with wrk, each right after the anchor's matching
// endpoint (so that both figures come from the same minute on a shared machine), and
// prints both, the share and the p99 ratio against SPEC §13's budget.
func anchorRun(ctx context.Context, cfg config, d *db.DB, samples []member) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is missing: apt-get install -y wrk")
	}
	bench, err := findBench(cfg.bench)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "portico-loadrun")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	scripts := map[string]string{}
	for _, n := range []string{"get", "eligibility"} {
		b, _ := luaFS.ReadFile("lua/" + n + ".lua")
		scripts[n] = filepath.Join(tmp, n+".lua")
		if err := os.WriteFile(scripts[n], b, 0o644); err != nil {
			return err
		}
	}
	members := filepath.Join(tmp, "members.tsv")
	var sb strings.Builder
	for _, m := range samples {
		fmt.Fprintf(&sb, "%s\t%s\t%s\n", url.QueryEscape(m.id), url.QueryEscape(m.last), url.QueryEscape(m.dob))
	}
	if err := os.WriteFile(members, []byte(sb.String()), 0o644); err != nil {
		return err
	}

	want := map[string]bool{}
	for _, s := range strings.Split(cfg.scenarios, ",") {
		want[strings.TrimSpace(s)] = true
	}
	sessions := map[string]*session{}
	var todo []wrkScenario
	for _, s := range wrkScenarios() {
		if !want["all"] && !want[s.key] {
			continue
		}
		se := sessions[s.user]
		if se == nil {
			c := cfg
			c.email = s.user
			cookie, csrf, how, err := signIn(ctx, c, d)
			if err != nil {
				return fmt.Errorf("signing in %s: %w", s.user, err)
			}
			fmt.Printf("signed in as %s (%s)\n", s.user, how)
			se = &session{base: cfg.base, cookie: cookie, csrf: csrf}
			sessions[s.user] = se
		}
		if s.discover != nil {
			p, err := s.discover(se)
			if err != nil {
				fmt.Printf("skipped %-34s %v\n", s.label+":", err)
				continue
			}
			s.path = p
		}
		if s.path != "" {
			if st, _, err := se.get(s.path); err != nil || st != http.StatusOK {
				why := "not on this build"
				if st != http.StatusNotFound {
					why = "the page does not answer 200: not measured"
				}
				fmt.Printf("skipped %-34s GET %s answered %d %v (%s)\n", s.label+":", s.path, st, err, why)
				continue
			}
		}
		todo = append(todo, s)
	}

	anchor, stop, err := anchorServer(bench)
	if err != nil {
		return err
	}
	defer stop()
	// Interrupted or terminated, the anchor is stopped too, never left behind.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		if _, ok := <-sigs; ok {
			stop()
			os.Exit(1)
		}
	}()
	fmt.Printf("load run: wrk -t2 -c%d, %s per run after 1 s of warm-up; each Portico scenario right after the anchor's matching endpoint (%s/anchor)\n", cfg.conns, cfg.dur, bench)
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("machine: %d CPUs, load average at start %s\n", runtime.NumCPU(), strings.Join(strings.Fields(string(load))[:3], " "))
	head := "%-34s %9s %7s %7s | %-18s %9s %7s %7s | %6s %6s %-12s %s\n"
	row := "%-34s %9.0f %7.2f %7.2f | %-18s %9.0f %7.2f %7.2f | %5.0f%% %6.2f %-12s %s\n"
	fmt.Printf(head, "scenario", "req/s", "p50 ms", "p99 ms", "anchor", "req/s", "p50 ms", "p99 ms", "share", "p99 ×", "budget", "verdict")
	failed := 0
	for _, s := range todo {
		anchorPath, anchorScript, anchorLabel := "/page-nolayout", "", "50-row page"
		if s.anchor == "member" {
			anchorPath, anchorScript, anchorLabel = "/member", filepath.Join(bench, "anchor", "member.lua"), "primary-key look-up"
		}
		a, err := runWrk(cfg, anchor+anchorPath, anchorScript, nil, nil)
		if err != nil {
			return err
		}
		env := []string{"LOADRUN_COOKIE=" + sessions[s.user].cookie.Name + "=" + sessions[s.user].cookie.Value}
		target, script := cfg.base+s.path, scripts["get"]
		if s.by != "" {
			target, script = cfg.base+"/eligibility/quick", scripts["eligibility"]
			env = append(env, "LOADRUN_MEMBERS="+members, "LOADRUN_BY="+s.by, "LOADRUN_CSRF="+url.QueryEscape(sessions[s.user].csrf))
		}
		var cpu0 int64
		p, err := runWrk(cfg, target, script, env, func() { cpu0 = cpuTicks(cfg.pid) })
		if err != nil {
			return err
		}
		cpu := "-"
		if cfg.pid > 0 && p.requests > 0 {
			// clock ticks are 10 ms (USER_HZ 100)
			cpu = fmt.Sprintf("%.0f µs CPU/req", float64(cpuTicks(cfg.pid)-cpu0)*10000/float64(p.requests))
		}
		share, p99x := p.rps/a.rps, p.p99/a.p99
		budget := fmt.Sprintf("≥%.0f%%", s.share*100)
		ok := share >= s.share
		if s.p99 > 0 {
			budget += fmt.Sprintf(", ≤%.1f×", s.p99)
			ok = ok && p99x <= s.p99
		}
		verdict := "met"
		if !ok {
			verdict = "NOT MET"
			failed++
		}
		if p.requests == 0 {
			verdict += " (no answer within wrk's 2 s timeout)"
		} else if p.bad > 0 {
			verdict += fmt.Sprintf(" (%d errors!)", p.bad)
			failed++
		}
		fmt.Printf(row, s.label, p.rps, p.p50, p.p99, anchorLabel, a.rps, a.p50, a.p99, share*100, p99x, budget, verdict+"; "+cpu)
	}
	if cfg.pid > 0 {
		fmt.Printf("server resident memory now: %.1f MB\n", float64(vmRSS(cfg.pid))/1024)
	}
	if failed > 0 {
		fmt.Printf("%d scenario(s) outside the budget\n", failed)
	}
	return nil
}

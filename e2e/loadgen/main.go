// Command loadgen drives Portico's eligibility checks and dashboard with many
// connections and prints requests per second, p50 and p99 latency and the server's
// resident memory (SPEC §13). Run it against a server started on the 1,000,000-member
// demo database, from a second process on loopback:
//
//	go build -o /tmp/portico . && /tmp/portico --demo --demo-members 1000000 --db /tmp/big/portico.db --addr 127.0.0.1:18090
//	go run ./e2e/loadgen -base http://127.0.0.1:18090 -db /tmp/big/portico.db -pid $(pgrep -f 'portico --demo') -c 64 -d 10s
//
// It signs in through /login (password and TOTP) when the server offers it, and
// otherwise creates a signed-in session directly in the database file (models.Sessions),
// which the server reads like any other.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pquerna/otp/totp"

	"portico/db"
	"portico/models"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

type config struct {
	base, dbPath, email, password, secret, scenarios string
	conns                                            int
	dur                                              time.Duration
	pid                                              int
	explain, anchor, cookie                          bool
	bench                                            string
}

func run() error {
	var cfg config
	flag.StringVar(&cfg.base, "base", "http://127.0.0.1:18090", "server base URL")
	flag.StringVar(&cfg.dbPath, "db", "", "the server's database file (for sample members, and sessions when /login is absent)")
	flag.StringVar(&cfg.email, "email", "manager@sunrise.example", "user to sign in as")
	flag.StringVar(&cfg.password, "password", "Portico-Demo-2026", "password")
	flag.StringVar(&cfg.secret, "totp", "JBSWY3DPEHPK3PXP", "TOTP secret of the demo accounts")
	flag.StringVar(&cfg.scenarios, "s", "id,name,dashboard", "scenarios: id (eligibility by ID + DOB), name (last name + DOB), dashboard")
	flag.IntVar(&cfg.conns, "c", 64, "connections")
	flag.DurationVar(&cfg.dur, "d", 10*time.Second, "duration of each scenario")
	flag.IntVar(&cfg.pid, "pid", 0, "server process ID, to read its resident memory (VmRSS)")
	flag.BoolVar(&cfg.anchor, "anchor", false, "measure with wrk against the bare-framework anchor (../shared/bench) in the same run and print the ratios of SPEC §13; -s all runs every scenario")
	flag.StringVar(&cfg.bench, "bench", "", "the anchor's directory (default ../shared/bench beside the repository)")
	flag.BoolVar(&cfg.cookie, "cookie", false, "sign in as -email, print the session's Cookie header value and exit (for wrk -H and profiling one page by hand)")
	flag.BoolVar(&cfg.explain, "explain", false, "print EXPLAIN QUERY PLAN of the pages' queries on -db and exit")
	flag.Parse()
	if cfg.dbPath == "" {
		return errors.New("-db is required")
	}
	d, err := db.Open(cfg.dbPath)
	if err != nil {
		return err
	}
	defer d.R.Close()
	ctx := context.Background()
	if cfg.explain {
		return explain(ctx, d)
	}
	if cfg.cookie {
		cookie, _, _, err := signIn(ctx, cfg, d)
		if err != nil {
			return err
		}
		fmt.Println(cookie.String())
		return nil
	}
	samples, err := sampleMembers(ctx, d, 2000)
	if err != nil {
		return err
	}
	if cfg.anchor {
		if cfg.scenarios == "id,name,dashboard" {
			cfg.scenarios = "all"
		}
		return anchorRun(ctx, cfg, d, samples)
	}
	cookie, csrf, how, err := signIn(ctx, cfg, d)
	if err != nil {
		return err
	}
	fmt.Printf("signed in as %s (%s); %d sample members; %d connections, %s per scenario\n", cfg.email, how, len(samples), cfg.conns, cfg.dur)
	fmt.Printf("%-22s %9s %9s %8s %8s %8s %7s %9s %12s\n", "scenario", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "RSS MB", "server CPU/req")
	for _, s := range strings.Split(cfg.scenarios, ",") {
		if err := scenario(cfg, strings.TrimSpace(s), cookie, csrf, samples); err != nil {
			return err
		}
	}
	return nil
}

type member struct{ id, last, dob string }

// sampleMembers picks Commercial members spread over the table (the plan type the
// session uses), by primary key, without scanning.
func sampleMembers(ctx context.Context, d *db.DB, n int) ([]member, error) {
	var maxID int64
	if err := d.R.QueryRowContext(ctx, "SELECT MAX(id) FROM members").Scan(&maxID); err != nil {
		return nil, err
	}
	var out []member
	step := max(maxID/int64(n*3), 1)
	for id := int64(1); id <= maxID && len(out) < n; id += step {
		var m member
		var plan string
		err := d.R.QueryRowContext(ctx, "SELECT member_id, last_name, dob, plan_type FROM members WHERE id = ?", id).Scan(&m.id, &m.last, &m.dob, &plan)
		if err == nil && plan == models.PlanCommercial {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no Commercial members in the database")
	}
	return out, nil
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// signIn signs in through the pages when /login exists, else makes a session in the
// database. It returns the session cookie and the CSRF token.
func signIn(ctx context.Context, cfg config, d *db.DB) (*http.Cookie, string, string, error) {
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if c, csrf, err := signInPages(cl, cfg); err == nil {
		return c, csrf, "through /login", nil
	}
	u, err := models.Users{DB: d}.ByEmail(ctx, cfg.email)
	if err != nil {
		return nil, "", "", err
	}
	token, sess, err := models.Sessions{DB: d}.Create(ctx, u.ID, models.StageFull)
	if err != nil {
		return nil, "", "", err
	}
	tins, err := models.Accounts{DB: d}.TINs(ctx, u.AccountID)
	if err != nil || len(tins) == 0 {
		return nil, "", "", fmt.Errorf("no TINs for %s: %v", cfg.email, err)
	}
	if err := (models.Sessions{DB: d}).SetContext(ctx, sess, tins[0].ID, models.PlanCommercial); err != nil {
		return nil, "", "", err
	}
	return &http.Cookie{Name: "portico", Value: token}, sess.CSRF, "session made in the database: /login not available", nil
}

func signInPages(cl *http.Client, cfg config) (*http.Cookie, string, error) {
	get := func(path string) (string, error) {
		res, err := cl.Get(cfg.base + path)
		if err != nil {
			return "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			return "", fmt.Errorf("GET %s: %d", path, res.StatusCode)
		}
		return string(b), nil
	}
	post := func(path string, form url.Values) (*http.Response, error) {
		res, err := cl.PostForm(cfg.base+path, form)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res, nil
	}
	page, err := get("/login")
	if err != nil {
		return nil, "", err
	}
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		return nil, "", errors.New("no CSRF token on /login")
	}
	res, err := post("/login", url.Values{"_csrf": {m[1]}, "email": {cfg.email}, "password": {cfg.password}})
	if err != nil {
		return nil, "", err
	}
	if !strings.Contains(res.Request.URL.Path, "mfa") {
		return nil, "", fmt.Errorf("sign-in went to %s", res.Request.URL.Path)
	}
	page, err = get(res.Request.URL.Path)
	if err != nil {
		return nil, "", err
	}
	if m = csrfRe.FindStringSubmatch(page); m == nil {
		return nil, "", errors.New("no CSRF token on the second-factor page")
	}
	code, err := totp.GenerateCode(cfg.secret, time.Now())
	if err != nil {
		return nil, "", err
	}
	res, err = post(res.Request.URL.Path, url.Values{"_csrf": {m[1]}, "code": {code}})
	if err != nil {
		return nil, "", err
	}
	if res.Request.URL.Path != "/dashboard" {
		return nil, "", fmt.Errorf("second factor went to %s", res.Request.URL.Path)
	}
	page, err = get("/dashboard")
	if err != nil {
		return nil, "", err
	}
	if m = csrfRe.FindStringSubmatch(page); m == nil {
		return nil, "", errors.New("no CSRF token on the dashboard")
	}
	u, _ := url.Parse(cfg.base)
	for _, c := range cl.Jar.Cookies(u) {
		if c.Name == "portico" || c.Name == "__Host-portico" { // the session, not the visitor's CSRF or flash cookies
			return c, m[1], nil
		}
	}
	return nil, "", errors.New("no session cookie")
}

// scenario runs one workload with cfg.conns workers for cfg.dur.
func scenario(cfg config, name string, cookie *http.Cookie, csrf string, samples []member) error {
	// No Accept-Encoding, like wrk and the anchor's runs: the server's gzip would otherwise
	// dominate its profile under this generator and not under the load run.
	tr := &http.Transport{MaxIdleConns: cfg.conns * 2, MaxIdleConnsPerHost: cfg.conns * 2, MaxConnsPerHost: cfg.conns, IdleConnTimeout: time.Minute, DisableCompression: true}
	cl := &http.Client{Transport: tr, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	build := func(i int) (*http.Request, error) {
		m := samples[i%len(samples)]
		var req *http.Request
		var err error
		switch name {
		case "id", "name":
			q := m.id
			if name == "name" {
				q = m.last
			}
			form := url.Values{"q": {q}, "dob": {m.dob}, "_csrf": {csrf}}
			req, err = http.NewRequest(http.MethodPost, cfg.base+"/eligibility/quick", strings.NewReader(form.Encode()))
			if err == nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("HX-Request", "true")
			}
		case "dashboard":
			req, err = http.NewRequest(http.MethodGet, cfg.base+"/dashboard", nil)
		default:
			return nil, fmt.Errorf("unknown scenario %q", name)
		}
		if err == nil {
			req.AddCookie(cookie)
		}
		return req, err
	}
	if _, err := build(0); err != nil {
		return err
	}
	// Warm up connections and caches briefly.
	warm := time.Now().Add(time.Second)
	var wg sync.WaitGroup
	for w := 0; w < cfg.conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; time.Now().Before(warm); i += cfg.conns {
				req, _ := build(i)
				if res, err := cl.Do(req); err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			}
		}(w)
	}
	wg.Wait()

	var rssMax atomic.Int64
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if kb := vmRSS(cfg.pid); kb > rssMax.Load() {
					rssMax.Store(kb)
				}
			}
		}
	}()
	cpu0 := cpuTicks(cfg.pid)
	lat := make([][]time.Duration, cfg.conns)
	var errs atomic.Int64
	start := time.Now()
	end := start.Add(cfg.dur)
	for w := 0; w < cfg.conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w * 7919; time.Now().Before(end); i++ {
				req, _ := build(i)
				t0 := time.Now()
				res, err := cl.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				lat[w] = append(lat[w], time.Since(t0))
				if res.StatusCode != http.StatusOK {
					errs.Add(1)
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1 := cpuTicks(cfg.pid)
	close(stop)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(len(all)-1, int(float64(len(all))*p))]) / 1e6
	}
	rss := "-"
	if cfg.pid > 0 {
		rss = fmt.Sprintf("%.1f", float64(rssMax.Load())/1024)
	}
	perReq := "-"
	if cfg.pid > 0 && len(all) > 0 {
		// Clock ticks are 10 ms (USER_HZ 100).
		perReq = fmt.Sprintf("%.0f µs", float64(cpu1-cpu0)*10000/float64(len(all)))
	}
	label := map[string]string{"id": "eligibility ID+DOB", "name": "eligibility name+DOB", "dashboard": "dashboard"}[name]
	fmt.Printf("%-22s %9d %9.0f %8.2f %8.2f %8.2f %7d %9s %12s\n", label, len(all), float64(len(all))/elapsed.Seconds(), pct(.50), pct(.99), pct(1), errs.Load(), rss, perReq)
	return nil
}

// cpuTicks reads the user and system CPU time of pid, in clock ticks, so that the
// server's cost per request can be told apart from the load other processes put on a
// shared machine.
func cpuTicks(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	f := strings.Fields(s)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st
}

// vmRSS reads the resident memory of pid in kB.
func vmRSS(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// explain prints the plan of every page query and flags full scans.
func explain(ctx context.Context, d *db.DB) error {
	bad := 0
	for _, q := range models.PageQueries() {
		rows, err := d.R.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.SQL, q.Args...)
		if err != nil {
			return fmt.Errorf("%s: %w", q.Name, err)
		}
		var steps []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				rows.Close()
				return err
			}
			steps = append(steps, detail)
			if strings.HasPrefix(detail, "SCAN ") && !strings.Contains(detail, "INDEX") && !strings.Contains(detail, "CONSTANT") {
				bad++
			}
		}
		rows.Close()
		fmt.Printf("%-24s %s\n", q.Name, strings.Join(steps, " | "))
	}
	if bad > 0 {
		return fmt.Errorf("%d full scans", bad)
	}
	return nil
}

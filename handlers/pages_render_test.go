package handlers

import (
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"portico/views"
)

// pageVisit is one request the page test makes besides following links: pages that only a
// POST reaches (a result, a form returned with its errors) are listed here by their area.
type pageVisit struct {
	as     string // e-mail; "" for a visitor
	method string // GET by default
	url    string
	form   url.Values
	hx     bool
	// fill, when set, completes the visit from the fixture (a claim number, a TIN row
	// ID), for pages whose identifiers only the data knows.
	fill func(ta *testApp, v *pageVisit)
	// follow opens the page a POST redirects to, as a browser does.
	follow bool
}

// pageVisits are the requests that reach pages no link leads to. Each area adds its own.
var pageVisits = []pageVisit{
	{as: "manager@sunrise.example", method: "POST", url: "/claims", form: url.Values{"from": {"13/45/2026"}}},
	{as: "manager@sunrise.example", url: "/claims?page=2"},
	{url: "/no-such-page"},
	// office
	{as: "manager@sunrise.example", url: "/members/D300000001"}, // Robert Chen: Valley's member, no relationship
	{as: "manager@sunrise.example", url: "/members/A100000001/print"},
	{as: "manager@sunrise.example", url: "/providers?search=1&print=1"},
	{as: "manager@sunrise.example", url: "/providers?search=1&name=a", hx: true},
	{as: "manager@sunrise.example", fill: func(ta *testApp, v *pageVisit) {
		no, _ := ta.undisputedClaim(ta.t, "paid")
		v.url = "/claims/" + no + "/dispute?line=1"
	}},
	{as: "manager@sunrise.example", method: "POST", url: "/members/A100000001/claims/new", follow: true, fill: func(ta *testApp, v *pageVisit) {
		v.form = ta.claimFormFor(ta.t, 2) // action=review: saved, then the review step
	}},
	{as: "manager@sunrise.example", method: "POST", url: "/members/A100000001/claims/new", form: url.Values{"dx1": {"123.4"}, "action": {"review"}}},
	{as: "manager@sunrise.example", method: "POST", url: "/claims/new", form: url.Values{"member_id": {"A1-"}, "dob": {"x"}}},
	{as: "manager@sunrise.example", url: "/claims/payments?from=13/45/2026"},
	{as: "manager@sunrise.example", method: "POST", url: "/eligibility", form: url.Values{"q": {""}, "dob": {"x"}}},
	{as: "manager@sunrise.example", method: "POST", url: "/eligibility", form: url.Values{"q": {"Lopez"}, "dob": {"02/30/1985"}}, hx: true},
	{as: "manager@sunrise.example", method: "POST", url: "/eligibility", form: url.Values{"q": {"A100000001"}, "dob": {"03/14/1985"}}, hx: true},
	{as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", form: url.Values{"q": {"A100000001"}, "dob": {"03/14/1985"}}, hx: true},
	{as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", form: url.Values{"q": {""}}},
	{as: "manager@sunrise.example", method: "POST", url: "/patients", form: url.Values{"q": {"Lo"}, "sort": {"dob"}, "dir": {"desc"}}},
	// accounts
	{method: "POST", url: "/login", form: url.Values{"email": {""}, "password": {""}}},
	{url: "/login/reset"},
	{method: "POST", url: "/login/reset", form: url.Values{"email": {"not an address"}}},
	{method: "POST", url: "/login/reset", form: url.Values{"email": {"nobody@nowhere.example"}}},
	{url: "/register"},
	{method: "POST", url: "/register", form: url.Values{"provider_name": {"Bright Oak Pediatrics"}}},
	{method: "POST", url: "/register", form: registration("rosa@brightoak.example", "96-1234500")},
	{url: "/login/demo-mail?to=someone@gmail.com"},
	{url: "/login/demo-mail?to=rosa@brightoak.example"},
	{as: "manager@sunrise.example", method: "POST", url: "/account", form: url.Values{"contact_name": {""}, "phone": {"12"}}},
	{as: "manager@sunrise.example", method: "POST", url: "/account/tins", form: url.Values{"tin": {"12-34"}, "tin_name": {""}}},
	{as: "manager@sunrise.example", method: "POST", url: "/account/users", form: url.Values{"email": {"not an address"}, "perm": {"claims"}}},
	{as: "manager@sunrise.example", method: "POST", url: "/security/password", form: url.Values{"current_password": {"not the password"}}},
	{as: "admin@plan.example", method: "POST", url: "/admin/search", form: url.Values{"q": {"x"}}},
	{as: "admin@plan.example", method: "POST", url: "/admin/search", form: url.Values{"q": {"Sunrise"}}},
	{as: "admin@plan.example", method: "POST", url: "/admin/staff", form: url.Values{"email": {"someone@gmail.com"}, "department": {"claims"}}},
	{as: "admin@plan.example", method: "POST", url: "/admin/demo/clock", form: url.Values{"days": {"0"}}},
	{as: "admin@plan.example", method: "POST", url: "/admin/demo/reset"},
	{as: "privacy@plan.example", method: "POST", url: "/audit", form: url.Values{"from": {"03/14/2026"}, "member_id": {"A100000001"}}},
	{as: "privacy@plan.example", method: "POST", url: "/audit", form: url.Values{"member_id": {"A100000001"}}},
	// clinical, pharmacy, reports, privacy
	{as: "manager@sunrise.example", url: "/assessments/due"},
	{as: "manager@sunrise.example", method: "POST", url: "/members/M200000002/assessments"}, // starts Jane's draft
	{as: "manager@sunrise.example", url: "/members/M200000002/assessments/draft/1"},
	{as: "manager@sunrise.example", url: "/members/M200000002/assessments/draft/8"}, // the review page
	{as: "manager@sunrise.example", method: "POST", url: "/members/M200000002/assessments/draft/2", form: url.Values{"kidney": {"maybe"}, "go": {"next"}}},
	{as: "manager@sunrise.example", url: "/members/A100000001/care-plan/1"}, // Maria's plan is the demo's first (db/demo/clinical.go)
	{as: "manager@valley.example", url: "/members/D300000001/care-coordination"},
	{as: "nurse@plan.example", url: "/care/members/A100000002"}, // outside care management: the emergency-access form
	{as: "nurse@plan.example", method: "POST", url: "/care/members/A100000002/emergency", form: url.Values{"reason": {""}}},
	{as: "nurse@plan.example", method: "POST", url: "/care/lookup", form: url.Values{"member_id": {""}, "dob": {"soon"}}},
	{as: "privacy@plan.example", method: "POST", url: "/privacy/settings", form: url.Values{"emergency_minutes": {"2"}}},
	{as: "privacy@plan.example", method: "POST", url: "/privacy/requests", form: url.Values{"channel": {"fax"}}},
	{url: "/pharmacy?list=commercial&q=insulin&tier=9&flag=zzz"},
	// authorizations: the settings page (linked from no page), decision letters (the crawl
	// opens only a few requests, undecided ones first; PA260000297 is a demo denial of
	// Sunrise), and each form sent back with its messages.
	{as: "admin@plan.example", url: "/admin/authorizations"},
	{as: "admin@plan.example", method: "POST", url: "/admin/authorizations/holidays", form: url.Values{"day": {"13/45/2026"}}},
	{as: "manager@sunrise.example", url: "/authorizations/PA260000297/letter"},
	{as: "nurse@plan.example", url: "/authorizations/review/PA260000297/letter"},
	{as: "nurse@plan.example", method: "POST", url: "/authorizations/review/PA260000297/appeal", form: url.Values{"outcome": {"maybe"}}},
	{as: "nurse@plan.example", url: "/authorizations/review?urgency=soon"},
	{as: "manager@sunrise.example", method: "POST", url: "/authorizations", form: url.Values{"from": {"13/45/2026"}}},
	{as: "manager@sunrise.example", method: "POST", url: "/authorizations/new", form: url.Values{"member_id": {"A100000001"}, "dob": {"13/45/1985"}}},
	{as: "manager@sunrise.example", method: "POST", url: "/members/A999999999/authorizations/new"},
	{as: "manager@sunrise.example", url: "/authorizations/required?code=ZZZZZ"},
	{as: "manager@sunrise.example", url: "/authorizations/codes?q=" + strings.Repeat("x", 101)},
	{as: "manager@sunrise.example", url: "/authorizations/codes/suggest?kind=diagnosis&list=dx-0-list&dx=E11", hx: true},
	// Messaging and the library: forms returned with their errors, prefilled links and
	// the fragments htmx fetches.
	{as: "manager@sunrise.example", url: "/messages/new?to=dept:claims&member_id=A100000001"},
	{as: "manager@sunrise.example", method: "POST", url: "/messages", form: url.Values{"to": {"dept:claims"}, "plan_type": {"commercial"}, "subject": {""}, "body": {""}}},
	{as: "manager@sunrise.example", url: "/messages/unread"},
	{as: "rep@plan.example", method: "POST", url: "/messages/envelopes", form: url.Values{"email": {"nurse@plan.example"}, "subject": {"x"}, "body": {"y"}}},
	{url: "/library/search?q=referral"},
	{url: "/library/search?q=referral", hx: true},
	{url: "/library/manual?lob=commercial&type=physician"},
	{as: "editor@plan.example", method: "POST", url: "/library/edit/new", form: url.Values{"section": {"manual"}, "title": {""}}},
	{as: "editor@plan.example", method: "POST", url: "/library/edit/preview", form: url.Values{"title": {"Preview"}, "body": {"## Part\ntext"}}},
	{as: "editor@plan.example", method: "POST", url: "/library/edit/preview", form: url.Values{"title": {"Preview"}, "body": {"text"}}, hx: true},
}

// notCrawled are page templates the test may not reach, each with why.
var notCrawled = map[string]string{
	// accounts: pages of a half-signed-in session or of an e-mailed link
	"pages/auth/enrol":       "TestAccountPagesInTheirStates",
	"pages/auth/mfa":         "TestAccountPagesInTheirStates",
	"pages/auth/recovery":    "TestAccountPagesInTheirStates",
	"pages/auth/reset_form":  "TestAccountPagesInTheirStates",
	"pages/register/invite":  "TestAccountPagesInTheirStates",
	"pages/register/verify":  "TestAccountPagesInTheirStates",
	"pages/setup/admin":      "TestFirstPlanAdminSetup",
	"pages/reports/no_grant": "TestReportsNoGrantPageRenders (no demo account has reports without the member-level grant)",
	"pages/envelope/view":    "needs a live envelope token; TestEnvelopePageRenders runs every state",
}

// renderLog collects every template run of an app.
type renderLog struct {
	mu   sync.Mutex
	ran  map[string]int
	errs []string
}

func (l *renderLog) hook(name string, data any, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ran[name]++
	if err != nil {
		l.errs = append(l.errs, name+": "+err.Error())
	}
}

var (
	hrefAttr = regexp.MustCompile(`href="(/[^"#]*)"`)
	idLike   = regexp.MustCompile(`[^/]*[0-9][^/]*`)
)

// crawlShape is a URL with its identifiers and query values blanked, so that the crawl
// opens a few members, claims or pages of a kind and not every one.
func crawlShape(u string) string {
	path, q, _ := strings.Cut(u, "?")
	shape := idLike.ReplaceAllString(path, ":id")
	if q != "" {
		vals, _ := url.ParseQuery(q)
		keys := make([]string, 0, len(vals))
		for k := range vals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		shape += "?" + strings.Join(keys, "&")
	}
	return shape
}

// crawlParent is the shape of the page's parent: /library/manual for every manual entry.
func crawlParent(u string) string {
	path, _, _ := strings.Cut(u, "?")
	if i := strings.LastIndexByte(path, '/'); i > 0 {
		path = path[:i]
	}
	return idLike.ReplaceAllString(path, ":id")
}

// skipCrawl are links the crawl does not follow: signing out ends the session, downloads
// are not pages, and assets are files.
func skipCrawl(u string) bool {
	path, _, _ := strings.Cut(u, "?")
	return strings.HasPrefix(path, "/static/") || path == "/logout" || strings.HasSuffix(path, ".csv") ||
		strings.HasSuffix(path, ".pdf") || strings.Contains(path, "/download") || strings.Contains(path, "/attachments/") ||
		strings.HasPrefix(path, "/debug/")
}

// TestEveryPageRenders opens every page a user can reach, as every demo account: it
// follows the links of each page it opens (a few of each kind) and makes the requests of
// pageVisits. Every template run must succeed (a page whose template names a field its
// handler's data lacks fails here), no request may answer 500, and every page template
// under views/pages must have run with real data.
func TestEveryPageRenders(t *testing.T) {
	log := &renderLog{ran: map[string]int{}}
	ta := newTestApp(t, func(o *Options) { o.OnRender = log.hook })
	accounts := []string{"", "manager@sunrise.example", "staff@sunrise.example", "manager@valley.example",
		"rep@plan.example", "nurse@plan.example", "editor@plan.example", "privacy@plan.example",
		"admin@plan.example", "claims@plan.example"}
	clients := map[string]*client{}
	clientFor := func(as string) *client {
		if c, ok := clients[as]; ok {
			return c
		}
		c := ta.anon()
		if as != "" {
			c = ta.as(as)
		}
		clients[as] = c
		return c
	}
	fail := func(as, method, u string, r *response) {
		if r.Status >= 500 {
			t.Errorf("%s %s as %q: status %d", method, u, as, r.Status)
		}
	}
	for _, v := range pageVisits {
		if v.fill != nil {
			v.fill(ta, &v)
		}
		c := clientFor(v.as)
		c.htmx = v.hx
		var r *response
		if v.method == "POST" {
			r = c.post(v.url, v.form)
		} else {
			r = c.get(v.url)
		}
		c.htmx = false
		fail(v.as, v.method, v.url, r)
		if loc := r.Header.Get("Location"); v.follow && r.Status == http.StatusSeeOther {
			fail(v.as, "GET", loc, c.get(loc))
		}
	}
	// A few pages of each shape, and a bounded number of pages under one parent, so that
	// named pages (library entries have no digits in their slugs) are sampled too.
	const perShape, perParent = 2, 25
	for _, as := range accounts {
		c := clientFor(as)
		seen := map[string]bool{}
		shapes, parents := map[string]int{}, map[string]int{}
		queue := []string{"/", "/dashboard"}
		for len(queue) > 0 && len(seen) < 400 {
			u := queue[0]
			queue = queue[1:]
			shape, parent := crawlShape(u), crawlParent(u)
			if seen[u] || skipCrawl(u) || shapes[shape] >= perShape || (shapes[shape] == 0 && parents[parent] >= perParent) {
				continue
			}
			seen[u] = true
			shapes[shape]++
			parents[parent]++
			r := c.get(u)
			fail(as, "GET", u, r)
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				continue
			}
			for _, m := range hrefAttr.FindAllStringSubmatch(r.Body, -1) {
				queue = append(queue, strings.ReplaceAll(m[1], "&amp;", "&"))
			}
		}
	}
	for _, e := range log.errs {
		t.Errorf("template run failed: %s", e)
	}
	var missing []string
	err := fs.WalkDir(views.FS, "pages", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		name := strings.TrimSuffix(path, ".html")
		if log.ran[name] == 0 && notCrawled[name] == "" {
			missing = append(missing, name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Errorf("page template %s never ran: add a link to it, a pageVisit, or a reason in notCrawled", m)
	}
}

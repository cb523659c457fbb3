package handlers

import ("strings"; "testing")

func TestLibrarySmoke(t *testing.T) {
	ta := newTestApp(t)
	c := ta.anon()
	for _, p := range []string{"/library", "/library/manual", "/library/updates", "/library/contacts", "/library/manual/transplant-services", "/library/search?q=transplant", "/library/search?q=oseltamivir", "/help"} {
		r := c.get(p)
		if r.Status != 200 {
			t.Errorf("%s: %d %s", p, r.Status, r.Body[:min(len(r.Body), 3000)])
		}
	}
	e := ta.as("editor@plan.example")
	for _, p := range []string{"/library/edit", "/library/edit/new", "/library/edit/1", "/library/edit/1/revisions", "/library/edit/1/revisions/1", "/providers", "/providers?location=Fresno&radius=10", "/providers?location=Fresno&radius=10&print=1"} {
		r := e.get(p)
		if r.Status != 200 {
			t.Errorf("%s: %d %s", p, r.Status, r.Body[:min(len(r.Body), 3000)])
		}
	}
	r := c.get("/library/search?q=oseltamivir")
	i := strings.Index(r.Body, "<div id=\"library-results"); t.Log(r.Body[i:])
}

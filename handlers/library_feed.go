package handlers

import (
	"encoding/xml"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// atomFeed is the Atom document of the updates news feed.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Link    []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// LibraryUpdatesFeed serves the updates and letters from 2020 on as an Atom feed, so an
// office can follow them in a feed reader.
func (h *Handler) LibraryUpdatesFeed(c *fiber.Ctx) error {
	entries, err := h.st.Library.Section(c.UserContext(), "updates")
	if err != nil {
		return err
	}
	base := strings.TrimRight(h.opts.BaseURL, "/")
	if base == "" {
		base = c.BaseURL()
	}
	f := atomFeed{Title: h.opts.PlanName + " provider updates", ID: base + "/library/updates", Updated: "2020-01-01T00:00:00Z",
		Link: []atomLink{{Href: base + "/library/updates"}, {Href: base + "/library/updates/feed", Rel: "self"}}}
	for _, e := range entries {
		if e.Year() < "2020" || len(f.Entries) >= 50 {
			continue
		}
		updated := e.PublishedOn + "T00:00:00Z"
		if updated > f.Updated {
			f.Updated = updated
		}
		f.Entries = append(f.Entries, atomEntry{Title: e.Title, ID: base + e.URL(), Updated: updated, Link: atomLink{Href: base + e.URL()}, Summary: e.Summary})
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	return c.Send(append([]byte(xml.Header), out...))
}

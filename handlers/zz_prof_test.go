package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"portico/db"
	"portico/models"
)

func TestZZProf(t *testing.T) {
	path := os.Getenv("BIGDB")
	if path == "" {
		t.Skip()
	}
	d, err := db.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	app, h, err := New(Options{DB: d, Demo: false, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u, _ := models.Users{DB: d}.ByEmail(ctx, "manager@sunrise.example")
	token, sess, _ := h.sessions().Create(ctx, u.ID, models.StageFull)
	tins, _ := models.Accounts{DB: d}.TINs(ctx, u.AccountID)
	h.sessions().SetContext(ctx, sess, tins[0].ID, "commercial")
	mode := os.Getenv("MODE")
	for i := 0; i < 3000; i++ {
		var req *http.Request
		if mode == "id" || mode == "name" {
			q := "A100000001"
			if mode == "name" {
				q = "Lopez"
			}
			req = httptest.NewRequest("POST", "/eligibility/quick", strings.NewReader(url.Values{"q": {q}, "dob": {"1985-03-14"}, "_csrf": {sess.CSRF}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
		} else {
			req = httptest.NewRequest("GET", "/dashboard", nil)
		}
		req.AddCookie(&http.Cookie{Name: "portico", Value: token})
		res, err := app.Test(req, -1)
		if err != nil || res.StatusCode != 200 {
			t.Fatal(err, res.StatusCode)
		}
		io.Copy(io.Discard, res.Body)
	}
}

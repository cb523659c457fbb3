package handlers

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"portico/models"
)

// msgFile is a file part of a multipart form.
type msgFile struct {
	name string
	data []byte
}

// msgPostMultipart submits a multipart form with files in field "attachments", adding the
// CSRF token as the _csrf field.
func (c *client) msgPostMultipart(path string, form url.Values, files ...msgFile) *response {
	c.ta.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok && c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	for k, vs := range form {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile("attachments", f.name)
		if err != nil {
			c.ta.t.Fatal(err)
		}
		fw.Write(f.data)
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

var msgThreadLocation = regexp.MustCompile(`^/messages/(\d+)`)

// msgSentThreadID reads the thread ID from a send's redirect.
func msgSentThreadID(t *testing.T, r *response) int64 {
	t.Helper()
	r.mustStatus(t, http.StatusSeeOther)
	m := msgThreadLocation.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil {
		t.Fatalf("redirect to %q, not a thread", r.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// msgSendAs sends a message from an office user to a department and returns the thread ID.
func msgSendAs(t *testing.T, c *client, to, subject, body string, files ...msgFile) int64 {
	t.Helper()
	return msgSentThreadID(t, c.msgPostMultipart("/messages", url.Values{"to": {to}, "plan_type": {"commercial"}, "subject": {subject}, "body": {body}}, files...))
}

// msgLastAttachmentID is the newest attachment of a thread.
func (ta *testApp) msgLastAttachmentID(threadID int64) int64 {
	ta.t.Helper()
	var id int64
	if err := ta.db.R.QueryRow(`SELECT MAX(a.id) FROM message_attachments a JOIN messages m ON m.id = a.message_id WHERE m.thread_id = ?`, threadID).Scan(&id); err != nil {
		ta.t.Fatal(err)
	}
	return id
}

// user loads a demo user.
func (ta *testApp) msgUser(email string) *models.User {
	ta.t.Helper()
	u, err := models.Users{DB: ta.db}.ByEmail(context.Background(), email)
	if err != nil {
		ta.t.Fatal(err)
	}
	return u
}

// msgOutboxTo lists the mail queued to addr.
func (ta *testApp) msgOutboxTo(addr string) []models.Mail {
	ta.t.Helper()
	ms, err := models.Outbox{DB: ta.db}.ForRecipient(context.Background(), addr, 50)
	if err != nil {
		ta.t.Fatal(err)
	}
	return ms
}

var msgPDF = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n")

// fieldCase is one refused value of a form field and the message it must get.
type fieldCase struct{ field, value, want string }

// mustRefuseEachField posts good with each case's field changed and checks the 422:
// the error summary links to the field (#anchor + field), the message is there, and
// the fields of kept that the case did not change are shown as typed.
func mustRefuseEachField(t *testing.T, post func(url.Values) *response, good url.Values, anchor string, kept []string, cases []fieldCase) {
	t.Helper()
	for _, tc := range cases {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(tc.field, tc.value)
		r := post(form).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, `href="#`+anchor+tc.field+`"`, tc.want)
		for _, k := range kept {
			if k != tc.field {
				r.mustContain(t, form.Get(k))
			}
		}
	}
}

package handlers

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// Length limits (SPEC §2: every free-text field has a maximum length, checked before
// SQL). Each form's handler checks its own fields against their real limits and shows
// the message next to the field, keeping what was typed. limitFields is the net under
// all of them: before any handler runs, no form field longer than its ceiling gets
// through, so that no input can reach SQL (a LIKE pattern, a full-text query) or a slow
// path (argon2id over megabytes) at any size. The answer is a 422 that names the field
// and its limit. The ceilings lie well above the fields' own limits, so that a value
// somewhat too long still gets the form's own message next to the field.
//
// Query strings (the GET search forms) are bounded by the server's 16 KB request-header
// buffer, and each search handler cuts its terms itself (library search, ProviderSearch),
// so that a hostile query still gets a page of results rather than an error.

// defaultFieldLimit is the ceiling of every field not listed in longFields.
const defaultFieldLimit = 10_000

// longFields are the fields that legitimately hold long text, with their ceilings:
// message bodies (20,000 characters, checked by the message rules) and library bodies
// (200,000) share "body".
var longFields = map[string]int{
	"body": 200_000,
}

// documentTextLimit is the ceiling of a library document's searchable text (the "text"
// field of the editor's upload form, and only there).
const documentTextLimit = 500_000

// fieldLabels names fields in the 422 message as the forms label them.
var fieldLabels = map[string]string{
	"q": "Search", "body": "Message", "subject": "Subject", "email": "E-mail address", "password": "Password",
	"name": "Name", "last_name": "Last name", "first_name": "First name", "member_id": "Member ID", "dob": "Date of birth",
	"contact_name": "Contact name", "phone": "Phone", "address": "Address", "tin_name": "Name on the TIN", "title": "Title",
	"summary": "Summary", "text": "Text of the document", "check_no": "Check number", "code": "Code", "location": "Location",
}

// fieldLimit is the ceiling of a field posted to path, in characters.
func fieldLimit(path, name string) int {
	if name == "text" && strings.HasPrefix(path, "/library/edit/") && strings.HasSuffix(path, "/documents") {
		return documentTextLimit
	}
	if n, ok := longFields[name]; ok {
		return n
	}
	return defaultFieldLimit
}

// tooLong answers 422 for a field over its ceiling.
func tooLong(name string, n, limit int) error {
	label := fieldLabels[name]
	if label == "" {
		label = strings.ReplaceAll(name, "_", " ")
	}
	return fiber.NewError(fiber.StatusUnprocessableEntity,
		"“"+label+"” is too long: it holds "+itoa(n)+" characters and may hold at most "+itoa(limit)+
			". Nothing was saved or searched. Go back (your browser keeps what you typed), shorten it and try again.")
}

// limitFields refuses a request with a form field (files aside) over its ceiling.
func (h *Handler) limitFields(c *fiber.Ctx) error {
	var err error
	path := c.Path()
	check := func(k, v []byte) {
		if err != nil || len(v) <= defaultFieldLimit {
			return
		}
		name := string(k)
		if n, limit := utf8.RuneCount(v), fieldLimit(path, name); n > limit {
			err = tooLong(name, n, limit)
		}
	}
	if c.Method() == fiber.MethodPost {
		if strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm) {
			if f, ferr := c.MultipartForm(); ferr == nil {
				for k, vs := range f.Value {
					for _, v := range vs {
						check([]byte(k), []byte(v))
					}
				}
			}
		} else {
			c.Request().PostArgs().VisitAll(check)
		}
	}
	if err != nil {
		return err
	}
	return c.Next()
}

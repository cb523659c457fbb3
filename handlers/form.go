package handlers

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// forms is the one form pipeline: a request body is decoded into a form struct by its
// `form` tags, checked by its `validate` tags (go-playground/validator), then by the
// struct's own domain rules (a Validate method), and every problem comes back as a
// message per field, in words an office user understands. Handlers answer 422 with the
// form as typed and these messages; templates show them with partials/error_summary and
// partials/field_error.
type forms struct {
	v     *validator.Validate
	order fieldOrders
}

// domainValidator is a form whose domain rules live in a model (or the form itself).
type domainValidator interface {
	Validate() models.FieldErrors
}

func newForms() *forms {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Messages are keyed by the input's id (an `id` tag, else the form key), so the
	// error summary links to the field.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if id := f.Tag.Get("id"); id != "" {
			return id
		}
		name, _, _ := strings.Cut(f.Tag.Get("form"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	// maxrunes counts characters, not bytes, so accented names are not cut short.
	_ = v.RegisterValidation("maxrunes", func(fl validator.FieldLevel) bool {
		var n int
		if _, err := fmt.Sscan(fl.Param(), &n); err != nil {
			return false
		}
		return utf8.RuneCountInString(fl.Field().String()) <= n
	})
	return &forms{v: v}
}

// bindForm decodes the request into dst (a pointer to a form struct): the body of a
// POST by `form` tags, the query of a GET by `query` tags (a field tagged query:"-" can
// never come from a URL). It trims strings and returns the field messages (nil when the
// input is acceptable). Input that cannot be decoded at all is reported against the
// form, not as a 500.
func (h *Handler) bindForm(c *fiber.Ctx, dst any) models.FieldErrors {
	var err error
	if c.Method() == fiber.MethodGet {
		err = c.QueryParser(dst)
	} else {
		err = c.BodyParser(dst)
	}
	return h.decoded(dst, err)
}

// bindQuery decodes the URL query into dst by its `query` tags whatever the method: a
// POST whose form action carries where to go afterwards (the second factor's ?next=)
// reads it here, and its body with bindForm.
func (h *Handler) bindQuery(c *fiber.Ctx, dst any) models.FieldErrors {
	return h.decoded(dst, c.QueryParser(dst))
}

// decoded trims and checks a form that was decoded with err.
func (h *Handler) decoded(dst any, err error) models.FieldErrors {
	if err != nil {
		return models.FieldErrors{"form": "The form could not be read. Check the values and try again."}
	}
	trimStrings(reflect.ValueOf(dst))
	return h.forms.check(dst)
}

// check runs the tag rules, then the domain rules, of a decoded form.
func (f *forms) check(dst any) models.FieldErrors {
	f.order.learn(reflect.TypeOf(dst))
	errs := models.FieldErrors{}
	if err := f.v.Struct(dst); err != nil {
		var ves validator.ValidationErrors
		if !errors.As(err, &ves) {
			errs["form"] = "The form could not be checked. Try again."
			return errs
		}
		for _, fe := range ves {
			key := fe.Field()
			if _, seen := errs[key]; !seen {
				errs[key] = message(fe, labelOf(dst, fe.StructField()))
			}
		}
	}
	if dv, ok := dst.(domainValidator); ok && len(errs) == 0 {
		for k, v := range dv.Validate() {
			errs[k] = v
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// labelOf is the words a message uses for a field: its `label` tag, else its form key.
func labelOf(dst any, field string) string {
	t := reflect.TypeOf(dst)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if sf, ok := t.FieldByName(field); ok {
		if l := sf.Tag.Get("label"); l != "" {
			return l
		}
		name, _, _ := strings.Cut(sf.Tag.Get("form"), ",")
		return strings.ReplaceAll(name, "_", " ")
	}
	return "this field"
}

// message turns one failed rule into a sentence next to the field.
func message(fe validator.FieldError, label string) string {
	switch fe.Tag() {
	case "required", "required_if", "required_with", "required_without":
		return "Enter " + label + "."
	case "max", "maxrunes":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("Keep %s to %s characters or fewer.", label, fe.Param())
		}
		return fmt.Sprintf("Enter %s of %s or less.", label, fe.Param())
	case "min":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("Enter at least %s characters for %s.", fe.Param(), label)
		}
		return fmt.Sprintf("Enter %s of at least %s.", label, fe.Param())
	case "len":
		return fmt.Sprintf("Enter %s with exactly %s characters.", label, fe.Param())
	case "oneof":
		return "Choose " + label + " from the list."
	case "email":
		return "Enter " + label + " as an e-mail address, like name@example.com."
	case "numeric", "number":
		return "Enter " + label + " as digits only."
	case "datetime":
		return "Enter " + label + " as a date, like 03/14/2026."
	case "gt", "gte":
		return fmt.Sprintf("Enter %s greater than %s.", label, fe.Param())
	case "lt", "lte":
		return fmt.Sprintf("Enter %s less than %s.", label, fe.Param())
	case "dive":
		return "Check " + label + "."
	}
	return "Check " + label + "."
}

// trimStrings removes surrounding spaces from every string field of a form struct
// (what people paste often carries them), except fields tagged trim:"no": a password's
// spaces are part of it.
func trimStrings(v reflect.Value) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if !f.CanSet() || v.Type().Field(i).Tag.Get("trim") == "no" {
			continue
		}
		switch f.Kind() {
		case reflect.String:
			f.SetString(strings.TrimSpace(f.String()))
		case reflect.Struct:
			trimStrings(f.Addr())
		}
	}
}

// asFieldErrors tells whether err carries field messages (a model's Validate refused
// the input), and gives them.
func asFieldErrors(err error, fe *models.FieldErrors) bool {
	return err != nil && errors.As(err, fe)
}

// inputIDs keys field messages by the ids of a form's inputs: the model's field names
// with the form's prefix (compose-, reply-, env-, f-). The error summary links to them,
// and the forms of one page never share an id.
func inputIDs(prefix string, fe models.FieldErrors) models.FieldErrors {
	if len(fe) == 0 {
		return nil
	}
	ids := make(models.FieldErrors, len(fe))
	for k, v := range fe {
		if k == "form" { // the whole form's problem, which names no input
			ids[k] = v
			continue
		}
		ids[prefix+k] = v
	}
	return ids
}

// fieldOrders remembers, for every form struct the pipeline has decoded, the order of its
// inputs (their ids: the `id` tag, else the form key), so that the error summary lists the
// problems in the order the form shows its fields, not in the alphabetical order of a map.
type fieldOrders struct {
	mu     sync.RWMutex
	seen   map[reflect.Type]bool
	orders [][]string
}

// learn records the input order of the form struct type t, once.
func (o *fieldOrders) learn(t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	o.mu.RLock()
	known := o.seen[t]
	o.mu.RUnlock()
	if known || t.Kind() != reflect.Struct {
		return
	}
	var ids []string
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
				walk(sf.Type)
				continue
			}
			id := sf.Tag.Get("id")
			if id == "" {
				id, _, _ = strings.Cut(sf.Tag.Get("form"), ",")
			}
			if id != "" && id != "-" {
				ids = append(ids, id)
			}
		}
	}
	walk(t)
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.seen == nil {
		o.seen = map[reflect.Type]bool{}
	}
	if !o.seen[t] {
		o.seen[t] = true
		o.orders = append(o.orders, ids)
	}
}

// rank gives each key its place in the first known form holding all of them. A key of a
// prefixed form (elig-dob, env-reply-body: see inputIDs) matches the form's name after
// any of its dashes. Nil when no form holds them all.
func (o *fieldOrders) rank(keys []string) map[string]int {
	o.mu.RLock()
	defer o.mu.RUnlock()
next:
	for _, order := range o.orders {
		pos := make(map[string]int, len(order))
		for i, id := range order {
			pos[id] = i
		}
		r := make(map[string]int, len(keys))
		for _, k := range keys {
			i, ok := pos[k]
			for rest := k; !ok; {
				var cut bool
				if _, rest, cut = strings.Cut(rest, "-"); !cut {
					continue next
				}
				i, ok = pos[rest]
			}
			r[k] = i
		}
		return r
	}
	return nil
}

// summaryItem is one line of the error summary: a message and the input it links to.
type summaryItem struct {
	ID, Message string
	// Link is false for the whole form's problem ("form"), which has no input to go to.
	Link bool
}

// summaryItems lists field messages for the error summary: the whole form's problem
// first, then the fields in the order their form shows them (alphabetical for keys no
// decoded form names).
func (f *forms) summaryItems(errs models.FieldErrors) []summaryItem {
	keys := make([]string, 0, len(errs))
	for k := range errs {
		if k != "form" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if r := f.order.rank(keys); r != nil {
		sort.SliceStable(keys, func(i, j int) bool { return r[keys[i]] < r[keys[j]] })
	}
	items := make([]summaryItem, 0, len(errs))
	if msg, ok := errs["form"]; ok {
		items = append(items, summaryItem{ID: "form", Message: msg})
	}
	for _, k := range keys {
		items = append(items, summaryItem{ID: k, Message: errs[k], Link: true})
	}
	return items
}

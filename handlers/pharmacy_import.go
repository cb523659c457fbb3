package handlers

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// formularyMaxBytes is the largest drug list file accepted.
const formularyMaxBytes = 5 << 20

// importForm is the editor's import form as typed.
type importForm struct {
	List, Version, EffectiveOn string
	Publish                    bool
}

// PharmacyVersions is the editor's page: every published version of every list and the
// form that imports a new one.
func (h *Handler) PharmacyVersions(c *fiber.Ctx) error {
	return h.renderPharmacyVersions(c, fiber.StatusOK, fiber.Map{"Form": importForm{List: models.DrugListCommercial}})
}

func (h *Handler) renderPharmacyVersions(c *fiber.Ctx, status int, data fiber.Map) error {
	versions, err := models.Formulary{DB: h.db}.Versions(c.UserContext())
	if err != nil {
		return err
	}
	if _, ok := data["Errors"]; !ok {
		data["Errors"] = models.FieldErrors{}
	}
	form, _ := data["Form"].(importForm)
	data["Versions"], data["Lists"], data["Columns"] = versions, drugListChoices(form.List), strings.Join(models.FormularyColumns, ", ")
	return h.render(c, status, "pages/pharmacy/versions", "Drug list versions", data)
}

// PharmacyImport checks an uploaded drug list against the list's current version. A dry
// run (the default) shows what would change and changes nothing; a publish writes the
// version. Bad rows are listed with their line numbers and nothing is written.
func (h *Handler) PharmacyImport(c *fiber.Ctx) error {
	f := importForm{
		List:        strings.TrimSpace(utils.CopyString(c.FormValue("list"))),
		Version:     strings.TrimSpace(utils.CopyString(c.FormValue("version"))),
		EffectiveOn: strings.TrimSpace(utils.CopyString(c.FormValue("effective_on"))),
		Publish:     c.FormValue("mode") == "publish",
	}
	for _, p := range []*string{&f.List, &f.Version, &f.EffectiveOn} {
		if len(*p) > 40 {
			*p = (*p)[:40]
		}
	}
	fail := func(errs models.FieldErrors) error {
		return h.renderPharmacyVersions(c, fiber.StatusUnprocessableEntity, fiber.Map{"Form": f, "Errors": errs})
	}
	req := models.ImportRequest{List: f.List, Version: f.Version, EffectiveOn: f.EffectiveOn, DryRun: !f.Publish}
	if d, ok := models.ParseUSDate(f.EffectiveOn); ok {
		req.EffectiveOn = d
	}
	errs := models.ValidateImportRequest(req)
	if errs == nil {
		errs = models.FieldErrors{}
	}
	var body []byte
	fh, err := c.FormFile("file")
	switch {
	case err != nil:
		errs["file"] = "Choose the CSV file of the new list."
	case fh.Size > formularyMaxBytes:
		errs["file"] = fmt.Sprintf("The file is too large (%d KB); a drug list may have up to %d KB.", fh.Size>>10, formularyMaxBytes>>10)
	default:
		file, err := fh.Open()
		if err == nil {
			body, err = io.ReadAll(io.LimitReader(file, formularyMaxBytes+1))
			file.Close()
		}
		if err != nil || len(body) > formularyMaxBytes {
			errs["file"] = "The file could not be read. Choose it again."
		} else if !utf8.Valid(body) {
			errs["file"] = "The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8”."
		}
	}
	if len(errs) > 0 {
		return fail(errs)
	}
	req.CSV = bytes.NewReader(body)
	res, err := models.Formulary{DB: h.db}.Import(c.UserContext(), h.actor(c), req, h.rxToday())
	var fe models.FieldErrors
	if asFieldErrors(err, &fe) {
		return fail(fe)
	}
	if err != nil {
		return err
	}
	if len(res.Problems) > 0 {
		h.audit(c, models.AuditEntry{Action: "formulary.import.rejected", ObjectType: "formulary_version", ObjectID: f.List + " " + f.Version,
			Detail: fmt.Sprintf("%d bad rows", len(res.Problems))})
		return h.renderPharmacyVersions(c, fiber.StatusUnprocessableEntity, fiber.Map{"Form": f, "Result": res,
			"Errors": models.FieldErrors{"file": fmt.Sprintf("%d line(s) of the file need correcting; nothing was imported.", len(res.Problems))}})
	}
	if res.DryRun {
		h.audit(c, models.AuditEntry{Action: "formulary.import.dry_run", ObjectType: "formulary_version", ObjectID: f.List + " " + f.Version,
			Detail: fmt.Sprintf("%d drugs; %d added, %d removed, %d changed", res.Rows, len(res.Added), len(res.Removed), len(res.Changed))})
	}
	return h.renderPharmacyVersions(c, fiber.StatusOK, fiber.Map{"Form": f, "Result": res, "Today": h.rxToday().Format(models.DateFormat),
		"Upcoming": res.Published != nil && res.Published.EffectiveOn > h.rxToday().Format(models.DateFormat)})
}

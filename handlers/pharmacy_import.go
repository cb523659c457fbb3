package handlers

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// formularyMaxBytes is the largest drug list file accepted.
const formularyMaxBytes = 5 << 20

// importForm is the editor's import form as typed (the file travels beside it).
type importForm struct {
	List        string `form:"list" id:"list" label:"the drug list" validate:"required,oneof=commercial medicare medi-cal-cdl"`
	Version     string `form:"version" id:"version" label:"the version name" validate:"required,max=20"`
	EffectiveOn string `form:"effective_on" id:"effective_on" label:"the effective date" validate:"required,max=10"`
	Mode        string `form:"mode" validate:"omitempty,oneof=dry publish"`
}

// Publish tells whether the editor chose to publish rather than to try a dry run.
func (f importForm) Publish() bool { return f.Mode == "publish" }

// request is the model's import request for the form (the date as stored).
func (f importForm) request() models.ImportRequest {
	r := models.ImportRequest{List: f.List, Version: f.Version, EffectiveOn: f.EffectiveOn, DryRun: !f.Publish()}
	if d, ok := models.ParseUSDate(f.EffectiveOn); ok {
		r.EffectiveOn = d
	}
	return r
}

// Validate applies the import's domain rules (version name characters, a real date).
func (f importForm) Validate() models.FieldErrors { return models.ValidateImportRequest(f.request()) }

// pharmacyVersionsView is the data of pages/pharmacy/versions: the published versions,
// the import form as typed and, after an import, its result.
type pharmacyVersionsView struct {
	View
	Form     importForm
	Errors   models.FieldErrors
	Versions []models.FormularyVersion
	Lists    []rxChoice
	Columns  string
	Result   *models.FormularyImport
	Upcoming bool
}

// PharmacyVersions is the editor's page: every published version of every list and the
// form that imports a new one.
func (h *Handler) PharmacyVersions(c *fiber.Ctx) error {
	return h.renderPharmacyVersions(c, fiber.StatusOK, &pharmacyVersionsView{Form: importForm{List: models.DrugListCommercial, Mode: "dry"}})
}

func (h *Handler) renderPharmacyVersions(c *fiber.Ctx, status int, data *pharmacyVersionsView) error {
	versions, err := h.st.Formulary.Versions(c.UserContext())
	if err != nil {
		return err
	}
	data.Versions, data.Lists, data.Columns = versions, drugListChoices(data.Form.List), strings.Join(models.FormularyColumns, ", ")
	return h.render(c, status, "pages/pharmacy/versions", "Drug list versions", data)
}

// PharmacyImport checks an uploaded drug list against the list's current version. A dry
// run (the default) shows what would change and changes nothing; a publish writes the
// version. Bad rows are listed with their line numbers and nothing is written.
func (h *Handler) PharmacyImport(c *fiber.Ctx) error {
	var f importForm
	errs := h.bindForm(c, &f)
	if len(f.Version) > 40 || len(f.EffectiveOn) > 40 || len(f.List) > 40 {
		f = importForm{List: f.List[:min(len(f.List), 40)], Version: f.Version[:min(len(f.Version), 40)], EffectiveOn: f.EffectiveOn[:min(len(f.EffectiveOn), 40)], Mode: f.Mode}
	}
	fail := func(errs models.FieldErrors) error {
		return h.renderPharmacyVersions(c, fiber.StatusUnprocessableEntity, &pharmacyVersionsView{Form: f, Errors: errs})
	}
	req := f.request()
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
	res, err := h.st.Formulary.Import(c.UserContext(), h.actor(c), req, h.rxToday())
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
		return h.renderPharmacyVersions(c, fiber.StatusUnprocessableEntity, &pharmacyVersionsView{Form: f, Result: res,
			Errors: models.FieldErrors{"file": fmt.Sprintf("%d line(s) of the file need correcting; nothing was imported.", len(res.Problems))}})
	}
	if res.DryRun {
		h.audit(c, models.AuditEntry{Action: "formulary.import.dry_run", ObjectType: "formulary_version", ObjectID: f.List + " " + f.Version,
			Detail: fmt.Sprintf("%d drugs; %d added, %d removed, %d changed", res.Rows, len(res.Added), len(res.Removed), len(res.Changed))})
	}
	return h.renderPharmacyVersions(c, fiber.StatusOK, &pharmacyVersionsView{Form: f, Result: res,
		Upcoming: res.Published != nil && res.Published.EffectiveOn > h.rxToday().Format(models.DateFormat)})
}

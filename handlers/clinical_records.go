package handlers

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"portico/models"
)

// carePlansView is the data of pages/clinical/care_plans.
type carePlansView struct {
	View
	V     *memberView
	Plans []*models.CarePlan
}

// carePlanView is the data of pages/clinical/care_plan: one plan, read-only.
type carePlanView struct {
	View
	V    *memberView
	Plan *models.CarePlan
	Back string
}

// healthRecordsView is the data of pages/clinical/health_records, for an office (V, the
// member record) or a case manager (Staff, the member).
type healthRecordsView struct {
	View
	V        *memberView
	Staff    *models.Eligibility
	HP       *models.HealthPage
	Tabs     []models.Choice
	Base     string
	TabLabel string
}

// careDocsView is the data of pages/clinical/care_docs.
type careDocsView struct {
	View
	V    *memberView
	Docs []models.CareDocument
	Base string
}

// CarePlanList is the Care Plan section: the member's plans of the three kinds, active
// first, each opening to its problems, goals, interventions and history.
func (h *Handler) CarePlanList(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "care-plan")
	if done || err != nil {
		return err
	}
	plans, err := h.st.CarePlans.ForMember(c.UserContext(), v.M.PK)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/clinical/care_plans", "Care Plan · "+v.M.FirstName+" "+v.M.LastName,
		&carePlansView{V: v, Plans: plans})
}

// CarePlanShow is one care plan, read-only and printable for the office (a
// Self-Management plan prints in plain words for the member).
func (h *Handler) CarePlanShow(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "care-plan")
	if done || err != nil {
		return err
	}
	id, err := clinicalID(c, "pid")
	if err != nil {
		return err
	}
	p, err := h.st.CarePlans.Get(c.UserContext(), v.M.PK, id)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "care_plan.view", ObjectType: "care_plan", ObjectID: fmt.Sprint(p.ID), MemberID: v.M.MemberID})
	return h.render(c, fiber.StatusOK, "pages/clinical/care_plan", p.Title+" · "+v.M.FirstName+" "+v.M.LastName,
		&carePlanView{V: v, Plan: p, Back: "/members/" + v.M.MemberID + "/care-plan"})
}

// healthTab reads the tab and page of a Health Records request.
func (h *Handler) healthTab(c *fiber.Ctx, pk int64) (*models.HealthPage, error) {
	tab := c.Params("tab", "visits")
	if models.HealthTabLabel(tab) == "" {
		return nil, models.ErrNotFound
	}
	return h.st.HealthRecords.Tab(c.UserContext(), pk, tab, h.readPage(c, 100000))
}

// HealthRecordTab is Health Records: tabs Visits (with the visit note), Medications,
// Immunizations, Labs and Allergies, each paged and printable.
func (h *Handler) HealthRecordTab(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "health-records")
	if done || err != nil {
		return err
	}
	hp, err := h.healthTab(c, v.M.PK)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "health_record.view", ObjectType: "member", ObjectID: v.M.MemberID, MemberID: v.M.MemberID,
		Detail: fmt.Sprintf("tab=%s page=%d", hp.Tab, hp.Page)})
	base := "/members/" + v.M.MemberID + "/health-records"
	return h.render(c, fiber.StatusOK, "pages/clinical/health_records", "Health Records · "+v.M.FirstName+" "+v.M.LastName,
		&healthRecordsView{V: v, HP: hp, Tabs: models.HealthTabs, Base: base, TabLabel: models.HealthTabLabel(hp.Tab)})
}

// HealthRecordCSV downloads every row of one Health Records tab (audited).
func (h *Handler) HealthRecordCSV(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "health-records")
	if done || err != nil {
		return err
	}
	tab := utils.CopyString(c.Params("tab"))
	hp, err := h.st.HealthRecords.All(c.UserContext(), v.M.PK, tab)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "health_record.download", ObjectType: "member", ObjectID: v.M.MemberID, MemberID: v.M.MemberID, Detail: "tab=" + tab})
	header, rows := hp.CSV(h.formatDate)
	return h.sendCSV(c, strings.ToLower(v.M.MemberID)+"-"+tab+".csv", header, rows)
}

// CareDocList lists a D-SNP member's care coordination documents.
func (h *Handler) CareDocList(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "care-coordination")
	if done || err != nil {
		return err
	}
	docs, err := h.st.CareDocuments.ForMember(c.UserContext(), v.M.PK)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "pages/clinical/care_docs", "Care Coordination Documents · "+v.M.FirstName+" "+v.M.LastName,
		&careDocsView{V: v, Docs: docs, Base: "/members/" + v.M.MemberID + "/care-coordination"})
}

// CareDocDownload sends one care coordination document (audited).
func (h *Handler) CareDocDownload(c *fiber.Ctx) error {
	v, done, err := h.memberAccess(c, "care-coordination")
	if done || err != nil {
		return err
	}
	return h.sendCareDoc(c, v.M)
}

func (h *Handler) sendCareDoc(c *fiber.Ctx, m *models.Eligibility) error {
	id, err := clinicalID(c, "did")
	if err != nil {
		return err
	}
	d, err := h.st.CareDocuments.Get(c.UserContext(), m.PK, id)
	if err != nil {
		return err
	}
	h.audit(c, models.AuditEntry{Action: "care_document.download", ObjectType: "care_document", ObjectID: fmt.Sprint(d.ID), MemberID: m.MemberID})
	return h.sendFile(c, models.CleanAttachmentName(d.Name), d.MIME, d.Data)
}

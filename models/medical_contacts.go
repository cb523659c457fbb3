package models

// MedicalManagementContact is the Medical Management Department's numbers for one line
// of business, as in the portal guide's table (phone, fax, transplant fax). The numbers
// are the demo plan's own, in the 555-01xx range reserved for fiction (see help.go).
type MedicalManagementContact struct {
	LineOfBusiness string
	Includes       string
	PlanType       string // the plan type the line belongs to
	Product        string // the plan product it covers ("" for every product of PlanType)
	Phone          string
	Fax            string
	TransplantFax  string
}

// MedicalManagementContacts is the Medical Management Department's table, one row per
// line of business.
var MedicalManagementContacts = []MedicalManagementContact{
	{"Individual & Family Plans (IFP)", "IFP PPO and IFP HMO", PlanCommercial, "ifp", "800-555-0120", "800-555-0121", "800-555-0129"},
	{"Employer group", "HMO, POS, HSP, PPO and EPO", PlanCommercial, "group", "800-555-0120", "800-555-0122", "800-555-0129"},
	{"Medi-Cal", "Medi-Cal managed care", PlanMediCal, "", "800-555-0123", "800-555-0124", "800-555-0128"},
	{"DSNP", "Medicare dual special needs plans", PlanMedicare, "dsnp", "800-555-0120", "800-555-0122", "800-555-0129"},
}

// MedicalContactFor is the line of business of a member's plan (nil when the table has
// no line for it, e.g. Medicare Supplement, whose members call Provider Services).
func MedicalContactFor(planType, product string) *MedicalManagementContact {
	for i, c := range MedicalManagementContacts {
		if c.PlanType == planType && (c.Product == "" || c.Product == product) {
			return &MedicalManagementContacts[i]
		}
	}
	return nil
}

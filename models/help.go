package models

// The phone and fax numbers below are the demo plan's own, in the 555-01xx range that
// is reserved for fiction: a trainee who dials one reaches nobody. A plan running
// Portico for real edits them here.

// ServiceContact is a Provider Services line for one line of business.
type ServiceContact struct {
	LineOfBusiness string
	PlanType       string // the plan type the line belongs to
	Phone          string
	Hours          string
}

// ProviderServicesContacts are the Provider Services Center's lines by line of business.
var ProviderServicesContacts = []ServiceContact{
	{"Individual & Family Plans (IFP) PPO", PlanCommercial, "800-555-0110", "Monday–Friday, 8 a.m.–6 p.m."},
	{"Individual & Family Plans (IFP) HMO", PlanCommercial, "800-555-0111", "Monday–Friday, 8 a.m.–6 p.m."},
	{"Employer group HMO, POS, HSP, PPO and EPO", PlanCommercial, "800-555-0112", "Monday–Friday, 8 a.m.–6 p.m."},
	{"Medicare and DSNP", PlanMedicare, "800-555-0113", "Monday–Friday, 8 a.m.–8 p.m."},
	{"Medi-Cal (including CS and ECM providers)", PlanMediCal, "800-555-0114", "Monday–Friday, 8 a.m.–5 p.m."},
	{"Behavioral health providers (all lines)", "", "800-555-0115", "24 hours a day, 7 days a week"},
}

// MedicalManagementContact is the Medical Management Department's numbers for one line
// of business.
type MedicalManagementContact struct {
	LineOfBusiness string
	Includes       string
	Phone          string
	Fax            string
	TransplantFax  string
}

// MedicalManagementContacts is the Medical Management Department's table.
var MedicalManagementContacts = []MedicalManagementContact{
	{"Individual & Family Plans (IFP)", "IFP PPO and IFP HMO", "800-555-0120", "800-555-0121", "800-555-0129"},
	{"Employer group", "HMO, POS, HSP, PPO and EPO", "800-555-0120", "800-555-0122", "800-555-0129"},
	{"Medi-Cal", "Medi-Cal managed care", "800-555-0123", "800-555-0124", "800-555-0128"},
	{"DSNP", "Medicare dual special needs plans", "800-555-0120", "800-555-0122", "800-555-0129"},
}

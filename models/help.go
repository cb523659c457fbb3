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

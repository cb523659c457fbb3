package models

// Plan types (SPEC §3): the dashboard's selector scopes every member look-up to one.
const (
	PlanCommercial = "commercial"
	PlanMedicare   = "medicare"
	PlanMediCal    = "medical"
)

// PlanType is a plan type's stored value and the label users read.
type PlanType struct{ Value, Label string }

// PlanTypes lists the plan types in the order the selector shows them.
var PlanTypes = []PlanType{
	{PlanCommercial, "Commercial"},
	{PlanMedicare, "Medicare/DSNP"},
	{PlanMediCal, "Medi-Cal"},
}

// PlanTypeLabel returns the label of a plan type value, or "" when unknown.
func PlanTypeLabel(v string) string {
	for _, p := range PlanTypes {
		if p.Value == v {
			return p.Label
		}
	}
	return ""
}

// ValidPlanType reports whether v is a known plan type.
func ValidPlanType(v string) bool { return PlanTypeLabel(v) != "" }

package models

import (
	"context"
	"fmt"
)

// Drug is one entry of a preferred drug list (PDL) or the Medi-Cal Rx contract drug list.
type Drug struct {
	Drug          string
	Form          string
	Tier          string
	PriorAuth     bool
	StepTherapy   bool
	QuantityLimit string
	EffectiveOn   string
}

// Drug lists.
const (
	DrugListCommercial = "commercial"
	DrugListMedicare   = "medicare"
	DrugListMediCalCDL = "medi-cal-cdl"
)

// DrugListFor names the list that applies to a plan type: the plan's PDL for
// Commercial and Medicare/DSNP, the state's Medi-Cal Rx CDL for Medi-Cal.
func DrugListFor(planType string) string {
	switch planType {
	case PlanCommercial:
		return DrugListCommercial
	case PlanMedicare:
		return DrugListMedicare
	}
	return DrugListMediCalCDL
}

// DrugList returns one list in drug-name order.
func (s Members) DrugList(ctx context.Context, list string) ([]Drug, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT drug, form, tier, prior_auth, step_therapy, quantity_limit, effective_on
		FROM drug_lists WHERE list = ? ORDER BY drug COLLATE NOCASE, id`, list)
	if err != nil {
		return nil, fmt.Errorf("drug list: %w", err)
	}
	defer rows.Close()
	var out []Drug
	for rows.Next() {
		var d Drug
		if err := rows.Scan(&d.Drug, &d.Form, &d.Tier, &d.PriorAuth, &d.StepTherapy, &d.QuantityLimit, &d.EffectiveOn); err != nil {
			return nil, fmt.Errorf("drug list: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

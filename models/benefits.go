package models

import (
	"context"
	"fmt"
)

// Benefit is one row of a plan's Schedule of Benefits.
type Benefit struct {
	Category     string
	Service      string
	InNetwork    string
	OutNetwork   string
	AuthRequired bool
}

// Benefits lists a plan's Schedule of Benefits in its printed order.
func (s Members) Benefits(ctx context.Context, planID int64) ([]Benefit, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT category, service, in_network, out_network, auth_required FROM benefits
		WHERE plan_id = ? ORDER BY sort, id`, planID)
	if err != nil {
		return nil, fmt.Errorf("benefits: %w", err)
	}
	defer rows.Close()
	var out []Benefit
	for rows.Next() {
		var b Benefit
		if err := rows.Scan(&b.Category, &b.Service, &b.InNetwork, &b.OutNetwork, &b.AuthRequired); err != nil {
			return nil, fmt.Errorf("benefits: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

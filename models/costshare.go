package models

import (
	"context"
	"fmt"
	"strconv"
)

// Accumulator is one cost-share meter: how much of a limit has been met this plan year.
type Accumulator struct {
	Label string
	Limit int64 // cents; 0 = the plan has none
	Met   int64 // cents, capped at Limit when a limit exists
}

// Remaining is what is left before the limit is reached.
func (a Accumulator) Remaining() int64 {
	if a.Limit <= a.Met {
		return 0
	}
	return a.Limit - a.Met
}

// Percent is the share met, 0–100, for the meter.
func (a Accumulator) Percent() int {
	if a.Limit <= 0 {
		return 0
	}
	return int(a.Met * 100 / a.Limit)
}

// CostShare holds a member's deductible and out-of-pocket maximum for the plan year,
// individual and family (SPEC §4), computed from the plan year's claims.
type CostShare struct {
	PlanYear      int
	From, To      string
	DeductibleInd Accumulator
	DeductibleFam Accumulator
	OOPInd        Accumulator
	OOPFam        Accumulator
	FamilyMembers int
	CopayPCP      int64
	CopaySpec     int64
	CopayUrgent   int64
	CopayER       int64
	CopayRx       int64
	Coinsurance   int64
}

// qCostShare sums the plan year's claims of the member (?1) and of the family
// (members sharing subscriber ?2) between ?3 and ?4.
const qCostShare = `SELECT
		COALESCE(SUM(CASE WHEN c.member_pk = ?1 THEN c.deductible_cents END),0),
		COALESCE(SUM(CASE WHEN c.member_pk = ?1 THEN c.member_resp_cents END),0),
		COALESCE(SUM(c.deductible_cents),0), COALESCE(SUM(c.member_resp_cents),0),
		(SELECT COUNT(*) FROM members f WHERE f.id = ?2 OR f.subscriber_id = ?2)
		FROM claims c
		WHERE c.member_pk IN (SELECT f.id FROM members f WHERE f.id = ?2 OR f.subscriber_id = ?2)
		  AND c.service_from BETWEEN ?3 AND ?4 AND c.status <> 'denied'`

// CostShare computes the accumulators of member e: the member's own claims and those of
// the family (every member sharing the subscriber) with service in the plan year (the
// calendar year of a.DB.Now()); denied claims do not count.
func (s Members) CostShare(ctx context.Context, e *Eligibility) (*CostShare, error) {
	today := s.DB.Today()
	year, _ := strconv.Atoi(today[:4])
	from, to := fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year)
	var dedInd, respInd, dedFam, respFam int64
	var family int
	err := s.queryRow(ctx, qCostShare,
		e.PK, e.SubscriberPK, from, to).Scan(&dedInd, &respInd, &dedFam, &respFam, &family)
	if err != nil {
		return nil, fmt.Errorf("cost share: %w", err)
	}
	capAt := func(met, limit int64) int64 {
		if limit > 0 && met > limit {
			return limit
		}
		return met
	}
	return &CostShare{
		PlanYear: year, From: from, To: to, FamilyMembers: family,
		DeductibleInd: Accumulator{"Individual deductible", e.DeductibleInd, capAt(dedInd, e.DeductibleInd)},
		DeductibleFam: Accumulator{"Family deductible", e.DeductibleFam, capAt(dedFam, e.DeductibleFam)},
		OOPInd:        Accumulator{"Individual out-of-pocket maximum", e.OOPInd, capAt(respInd, e.OOPInd)},
		OOPFam:        Accumulator{"Family out-of-pocket maximum", e.OOPFam, capAt(respFam, e.OOPFam)},
		CopayPCP:      e.CopayPCP, CopaySpec: e.CopaySpec, CopayUrgent: e.CopayUrgent, CopayER: e.CopayER, CopayRx: e.CopayRx,
		Coinsurance: e.Coinsurance,
	}, nil
}

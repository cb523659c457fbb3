package models

import (
	"context"
	"fmt"
	"math"
)

// MetricGroup is the CMS-0057-F prior authorization metrics of one plan type (or one
// service type, or one quarter) for one year: decided requests, standard and expedited.
type MetricGroup struct {
	Key, Label string

	StdTotal, StdApproved, StdDenied, StdAppealApproved, StdExtendedApproved int
	ExpTotal, ExpApproved, ExpDenied                                         int
	StdAvgMinutes, ExpAvgMinutes                                             float64
	StdMedianMinutes, ExpMedianMinutes                                       float64
	stdSum, expSum                                                           int64
}

func pct(n, d int) string {
	if d == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f %%", float64(n)*100/float64(d))
}

// StdApprovedPct and the other Pct methods give a percentage of the group's standard or
// expedited decisions ("—" when there were none).
func (g MetricGroup) StdApprovedPct() string { return pct(g.StdApproved, g.StdTotal) }

// StdDeniedPct is the percentage of standard requests denied.
func (g MetricGroup) StdDeniedPct() string { return pct(g.StdDenied, g.StdTotal) }

// StdAppealPct is the percentage of standard requests approved after appeal.
func (g MetricGroup) StdAppealPct() string { return pct(g.StdAppealApproved, g.StdTotal) }

// StdExtendedPct is the percentage of standard requests approved after the review time
// was extended.
func (g MetricGroup) StdExtendedPct() string { return pct(g.StdExtendedApproved, g.StdTotal) }

// ExpApprovedPct is the percentage of expedited requests approved.
func (g MetricGroup) ExpApprovedPct() string { return pct(g.ExpApproved, g.ExpTotal) }

// ExpDeniedPct is the percentage of expedited requests denied.
func (g MetricGroup) ExpDeniedPct() string { return pct(g.ExpDenied, g.ExpTotal) }

// Hours shows minutes as hours with one decimal ("—" when there is nothing).
func Hours(min float64, n int) string {
	if n == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f hours", min/60)
}

// StdAvg is the average time from submission to decision of standard requests.
func (g MetricGroup) StdAvg() string { return Hours(g.StdAvgMinutes, g.StdTotal) }

// StdMedian is the median time of standard requests.
func (g MetricGroup) StdMedian() string { return Hours(g.StdMedianMinutes, g.StdTotal) }

// ExpAvg is the average time of expedited requests.
func (g MetricGroup) ExpAvg() string { return Hours(g.ExpAvgMinutes, g.ExpTotal) }

// ExpMedian is the median time of expedited requests.
func (g MetricGroup) ExpMedian() string { return Hours(g.ExpMedianMinutes, g.ExpTotal) }

func (g *MetricGroup) add(urgency, status string, extended bool, appeal string, n int, sum int64) {
	approved := status == AuthzApproved || status == AuthzPartial
	if urgency == UrgencyUrgent {
		g.ExpTotal += n
		g.expSum += sum
		if approved {
			g.ExpApproved += n
		}
		if status == AuthzDenied {
			g.ExpDenied += n
		}
		return
	}
	g.StdTotal += n
	g.stdSum += sum
	if approved {
		g.StdApproved += n
		if extended {
			g.StdExtendedApproved += n
		}
	}
	if status == AuthzDenied {
		g.StdDenied += n
		if appeal == "overturned" {
			g.StdAppealApproved += n
		}
	}
}

func (g *MetricGroup) finish() {
	if g.StdTotal > 0 {
		g.StdAvgMinutes = float64(g.stdSum) / float64(g.StdTotal)
	}
	if g.ExpTotal > 0 {
		g.ExpAvgMinutes = float64(g.expSum) / float64(g.ExpTotal)
	}
}

// Metrics is one year's published metrics.
type Metrics struct {
	Year      int
	Years     []int
	ByPlan    []MetricGroup
	ByService map[string][]MetricGroup // plan type → per service type
	ByQuarter map[string][]MetricGroup // plan type → per quarter
	Required  map[string]int           // plan type → codes on the list that need authorization
}

// MetricYears lists the years with decided requests, newest first.
func (s Authz) MetricYears(ctx context.Context) ([]int, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT DISTINCT decided_year FROM authz_requests WHERE decided_year IS NOT NULL ORDER BY decided_year DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// ComputeMetrics computes the metrics of year from the covering index of decided
// requests (authz_requests_metrics): grouped counts and sums, and the median by
// an ordered look-up per plan type and urgency.
func (s Authz) ComputeMetrics(ctx context.Context, year int) (*Metrics, error) {
	m := &Metrics{Year: year, ByService: map[string][]MetricGroup{}, ByQuarter: map[string][]MetricGroup{}, Required: map[string]int{}}
	var err error
	if m.Years, err = s.MetricYears(ctx); err != nil {
		return nil, err
	}
	plans := map[string]*MetricGroup{}
	for _, p := range PlanTypes {
		plans[p.Value] = &MetricGroup{Key: p.Value, Label: p.Label}
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT plan_type, urgency, status, extended, appeal_status, COUNT(*), SUM(decision_minutes)
		FROM authz_requests INDEXED BY authz_requests_metrics WHERE decided_year = ? GROUP BY plan_type, urgency, status, extended, appeal_status`, year)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	for rows.Next() {
		var plan, urg, status, appeal string
		var ext bool
		var n int
		var sum int64
		if err := rows.Scan(&plan, &urg, &status, &ext, &appeal, &n, &sum); err != nil {
			rows.Close()
			return nil, err
		}
		if g, ok := plans[plan]; ok {
			g.add(urg, status, ext, appeal, n, sum)
		}
	}
	rows.Close()
	for _, p := range PlanTypes {
		g := plans[p.Value]
		g.finish()
		if g.StdMedianMinutes, err = s.median(ctx, year, p.Value, UrgencyStandard, g.StdTotal); err != nil {
			return nil, err
		}
		if g.ExpMedianMinutes, err = s.median(ctx, year, p.Value, UrgencyUrgent, g.ExpTotal); err != nil {
			return nil, err
		}
		m.ByPlan = append(m.ByPlan, *g)
	}
	// Per service type and per quarter, for the plan's own use.
	type key struct{ plan, svc string }
	svc := map[key]*MetricGroup{}
	qtr := map[key]*MetricGroup{}
	rows, err = s.DB.R.QueryContext(ctx, `SELECT plan_type, service_type, decided_quarter, urgency, status, COUNT(*), SUM(decision_minutes)
		FROM authz_requests INDEXED BY authz_requests_metrics WHERE decided_year = ? GROUP BY plan_type, service_type, decided_quarter, urgency, status`, year)
	if err != nil {
		return nil, fmt.Errorf("metrics by service: %w", err)
	}
	for rows.Next() {
		var plan, service, urg, status string
		var q, n int
		var sum int64
		if err := rows.Scan(&plan, &service, &q, &urg, &status, &n, &sum); err != nil {
			rows.Close()
			return nil, err
		}
		k := key{plan, service}
		if svc[k] == nil {
			svc[k] = &MetricGroup{Key: service, Label: ServiceTypeLabel(service)}
		}
		svc[k].add(urg, status, false, "", n, sum)
		qk := key{plan, fmt.Sprint(q)}
		if qtr[qk] == nil {
			qtr[qk] = &MetricGroup{Key: fmt.Sprint(q), Label: fmt.Sprintf("Q%d %d", q, year)}
		}
		qtr[qk].add(urg, status, false, "", n, sum)
	}
	rows.Close()
	for _, p := range PlanTypes {
		for _, st := range ServiceTypes {
			if g := svc[key{p.Value, st.Value}]; g != nil {
				g.finish()
				m.ByService[p.Value] = append(m.ByService[p.Value], *g)
			}
		}
		for q := 1; q <= 4; q++ {
			if g := qtr[key{p.Value, fmt.Sprint(q)}]; g != nil {
				g.finish()
				m.ByQuarter[p.Value] = append(m.ByQuarter[p.Value], *g)
			}
		}
	}
	rows, err = s.DB.R.QueryContext(ctx, `SELECT plan_type, COUNT(*) FROM authz_requirements WHERE required = 1 GROUP BY plan_type`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			return nil, err
		}
		m.Required[p] = n
	}
	return m, rows.Err()
}

// median is the median decision time (minutes) of n decided requests of one plan type
// and urgency in year.
func (s Authz) median(ctx context.Context, year int, plan, urgency string, n int) (float64, error) {
	if n == 0 {
		return 0, nil
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT decision_minutes FROM authz_requests INDEXED BY authz_requests_metrics
		WHERE decided_year = ? AND plan_type = ? AND urgency = ? ORDER BY decision_minutes LIMIT ? OFFSET ?`, year, plan, urgency, 2-n%2, (n-1)/2)
	if err != nil {
		return 0, fmt.Errorf("metrics median: %w", err)
	}
	defer rows.Close()
	var vals []float64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return 0, err
		}
		vals = append(vals, float64(v))
	}
	if len(vals) == 0 {
		return 0, rows.Err()
	}
	sum := 0.0
	for _, v := range vals {
		sum += v
	}
	return math.Round(sum/float64(len(vals))*10) / 10, rows.Err()
}

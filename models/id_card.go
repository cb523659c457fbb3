package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// The ID card's plan facts below are the demo plan's own: phone numbers in the 555-01xx
// range reserved for fiction, pharmacy routing numbers that no claims processor uses,
// and a post office box. A plan running Portico for real edits them here.

// IDCard is what a member ID card shows, front and back: the plan and product, the
// member, the group, the effective date, the PCP with phone, copays, the pharmacy
// routing (Rx BIN / PCN / group), the phone numbers and the claims address.
type IDCard struct {
	*Eligibility
	ProductLabel      string
	GroupNumber       string
	PCPPhone          string
	RxBIN, RxPCN      string
	RxGroup           string
	MemberServices    string
	ProviderServices  string
	BehavioralHealth  string
	ClaimsAddress     []string
	PharmacyHelpPhone string
}

// productLabels names the plan products as a card prints them.
var productLabels = map[string]string{
	"ifp": "Individual & Family Plan", "group": "Employer Group", "medsupp": "Medicare Supplement",
	"medicare": "Medicare Advantage", "dsnp": "Medicare Advantage D-SNP", "medi-cal": "Medi-Cal",
}

// memberServices are the member services lines printed on the back, by plan type.
var memberServices = map[string]string{PlanCommercial: "800-555-0130", PlanMedicare: "800-555-0131", PlanMediCal: "800-555-0132"}

// CardFor builds the ID card of an eligibility record; planName heads the claims address.
// The PCP's phone is the office's phone on file for the PCP's TIN.
func (s Members) CardFor(ctx context.Context, e *Eligibility, planName string) (*IDCard, error) {
	c := &IDCard{Eligibility: e, ProductLabel: productLabels[e.Product]}
	if c.ProductLabel == "" {
		c.ProductLabel = PlanTypeLabel(e.PlanType)
	}
	code := strings.ToUpper(strings.ReplaceAll(e.Product, "-", ""))
	c.GroupNumber = fmt.Sprintf("%s-%05d", code, 10000+e.PlanID)
	c.RxBIN = "999100"
	c.RxPCN = "PCH" + strings.ToUpper(e.PlanType[:3])
	c.RxGroup = fmt.Sprintf("RX%s%03d", code, e.PlanID%1000)
	c.MemberServices = memberServices[e.PlanType]
	c.PharmacyHelpPhone = "800-555-0135"
	for _, p := range ProviderServicesContacts {
		switch {
		case p.PlanType == "" && c.BehavioralHealth == "":
			c.BehavioralHealth = p.Phone
		case p.PlanType == e.PlanType && c.ProviderServices == "":
			c.ProviderServices = p.Phone
		}
	}
	c.ClaimsAddress = []string{planName + " Claims", "P.O. Box 55010", "Fresno, CA 93755-5010"}
	if e.PCPTINID != 0 {
		err := s.queryRow(ctx, qPCPPhone, e.PCPTINID).Scan(&c.PCPPhone)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("pcp phone: %w", err)
		}
	}
	return c, nil
}

// qPCPPhone is the phone of the office that owns a PCP's TIN.
const qPCPPhone = `SELECT a.phone FROM tins t JOIN provider_accounts a ON a.id = t.account_id WHERE t.id = (SELECT ?)`

package models

import (
	"context"
	"errors"
	"fmt"
)

// MemberSection is one item of the member record's left-hand menu (SPEC §4).
type MemberSection struct {
	Key, Label string
	// Perm is the permission the section needs ("" for any office user).
	Perm string
	// Applies tells whether the section exists for the member's plan; nil means always.
	Applies func(e *Eligibility) bool
}

// ErrNoCareRelationship refuses the member record beyond eligibility: none of the
// account's TINs cares for the member (or the member does not exist, which must look the
// same). It is a kind of ErrForbidden.
var ErrNoCareRelationship = fmt.Errorf("%w: no care relationship on file", ErrForbidden)

// hraOffered: the plan type requires health risk assessments (the setting), or the
// member already has one on file (OpenRecord fills e.HRA).
func hraOffered(e *Eligibility) bool { return e.HRA.Required || e.HRA.OnFile }

func dsnp(e *Eligibility) bool { return e.Product == "dsnp" }

// MemberSections are the member record's sections in the seed's order, each with the
// permission it needs and the plans it applies to: the one table the menu, the routes
// and the access rule read.
var MemberSections = []MemberSection{
	{Key: "", Label: "Overview"},
	{Key: "benefits", Label: "Schedule of Benefits"},
	{Key: "cost-sharing", Label: "Cost Sharing"},
	{Key: "authorizations", Label: "Authorizations", Perm: PermMedicalManagement},
	{Key: "assessments", Label: "Assessments", Perm: PermMedicalManagement, Applies: hraOffered},
	{Key: "care-plan", Label: "Care Plan", Perm: PermMedicalManagement},
	{Key: "health-records", Label: "Health Records", Perm: PermMedicalManagement},
	{Key: "referrals", Label: "Referrals", Perm: PermMedicalManagement},
	{Key: "claims", Label: "Claims", Perm: PermClaims},
	{Key: "pharmacy", Label: "Pharmacy PDL"},
	{Key: "care-coordination", Label: "Care Coordination Documents", Perm: PermMedicalManagement, Applies: dsnp},
}

// SectionAccess is the rule for one section of a member's record, for u: nil when it
// is open, ErrForbidden when u lacks the section's permission, ErrNotFound when the
// section does not exist (an unknown key, or not for this member's plan).
func SectionAccess(u *User, e *Eligibility, key string) error {
	for _, s := range MemberSections {
		if s.Key != key {
			continue
		}
		if s.Perm != "" && !u.Can(s.Perm) {
			return ErrForbidden
		}
		if s.Applies != nil && !s.Applies(e) {
			return ErrNotFound
		}
		return nil
	}
	return ErrNotFound
}

// Menu is the member record's left-hand menu for u: only the sections that apply to the
// member's plan and that u may open, labelled for the plan (Medi-Cal members have the
// Medi-Cal Rx contract drug list, not a PDL).
func Menu(u *User, e *Eligibility) []MemberSection {
	var out []MemberSection
	for _, s := range MemberSections {
		if SectionAccess(u, e, s.Key) != nil {
			continue
		}
		if s.Key == "pharmacy" && e.PlanType == PlanMediCal {
			s.Label = "Medi-Cal Rx CDL"
		}
		out = append(out, s)
	}
	return out
}

// OpenRecord is the one gate of the member record: it loads the member by ID and
// applies the care-relationship rule and the section's rule for u. A member who does not
// exist and one without a relationship both give ErrNoCareRelationship (the caller cannot
// tell them apart); the member, when known, comes back with the error for the audit.
func (s Members) OpenRecord(ctx context.Context, u *User, memberID, section string) (*Eligibility, error) {
	e, err := s.EligibilityByMemberID(ctx, memberID)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNoCareRelationship
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.CareRelationship(ctx, u.AccountID, &e.Member)
	if err != nil {
		return nil, err
	}
	if !ok {
		return e, ErrNoCareRelationship
	}
	if u.Can(PermMedicalManagement) {
		if e.HRA, err = (Assessments{DB: s.DB}).Status(ctx, e.PK, e.PlanType); err != nil {
			return nil, err
		}
	}
	return e, SectionAccess(u, e, section)
}

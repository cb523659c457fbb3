package models

import "strings"

// Adjustment is one adjustment of a service line on an explanation of payment: a group
// code (who bears it), a claim adjustment reason code (CARC), an optional remittance
// advice remark code (RARC) and the amount taken off the charge.
type Adjustment struct {
	Group  string
	CARC   string
	RARC   string
	Amount int64
	// Note is the stored reason text of a line imported without codes.
	Note string
}

// Code is the adjustment as printed on a remittance: "CO-45" or "CO-197 / N54".
func (a Adjustment) Code() string {
	if a.CARC == "" {
		return ""
	}
	s := a.Group + "-" + a.CARC
	if a.RARC != "" {
		s += " / " + a.RARC
	}
	return s
}

// Text is the adjustment in plain words: who bears it, why, and the remark if any.
func (a Adjustment) Text() string {
	if a.CARC == "" {
		return a.Note
	}
	s := CARCText(a.CARC)
	if g := AdjustmentGroupText(a.Group); g != "" {
		s += " (" + g + ")"
	}
	if a.RARC != "" {
		s += ". " + RARCText(a.RARC)
	}
	return s
}

// adjustmentGroups words the claim adjustment group codes.
var adjustmentGroups = map[string]string{
	"CO": "contractual write-off; not billed to the member",
	"PR": "the member's share; may be billed to the member",
	"OA": "other adjustment",
	"PI": "payer-initiated reduction",
	"CR": "correction or reversal of an earlier payment",
}

// AdjustmentGroupText is a group code in plain words ("" when unknown).
func AdjustmentGroupText(group string) string { return adjustmentGroups[strings.ToUpper(group)] }

// carcText words the claim adjustment reason codes the plan uses most. The wording is
// the plan's own short explanation, not the code list's official text.
var carcText = map[string]string{
	"1":   "Applied to the member's deductible",
	"2":   "The member's coinsurance share",
	"3":   "The member's copay",
	"4":   "The procedure code does not fit the modifier used, or a required modifier is missing",
	"5":   "The procedure code or bill type does not fit the place of service",
	"6":   "The procedure does not fit the patient's age",
	"11":  "The diagnosis does not support the procedure billed",
	"16":  "The claim is missing information or has a billing error; see the remark for what to correct",
	"18":  "An exact duplicate of a claim or service already processed",
	"22":  "Another payer may cover this service first (coordination of benefits)",
	"23":  "Reduced by what a prior payer already paid or allowed",
	"26":  "The service was before the member's coverage began",
	"27":  "The service was after the member's coverage ended",
	"29":  "The time limit for filing the claim has passed",
	"31":  "The patient could not be identified as a member of this plan",
	"45":  "The charge is above the contracted fee schedule; the difference is written off",
	"50":  "Not covered because the plan did not find it medically necessary",
	"59":  "Reduced under the rules for multiple or same-day procedures",
	"96":  "A charge the member's plan does not cover",
	"97":  "Paid as part of another service on the same claim or date (bundled)",
	"109": "Not covered by this plan; send the claim to the correct payer",
	"119": "The benefit maximum for this period has been reached",
	"151": "The information sent does not support this many services or units",
	"167": "The diagnosis is not covered",
	"197": "A required prior authorization was not on file",
	"204": "Not covered under the member's current benefit plan",
	"242": "The service was not provided by a network or primary care provider",
	"253": "Federal sequestration reduction",
}

// CARCText is a claim adjustment reason code in plain words.
func CARCText(code string) string {
	if t, ok := carcText[code]; ok {
		return t
	}
	return "Adjustment reason code " + code
}

// rarcText words the remittance advice remark codes the plan uses most.
var rarcText = map[string]string{
	"M15":   "Separately billed tests or services were bundled into the main service",
	"M51":   "The procedure code is missing, incomplete or invalid",
	"M76":   "The diagnosis is missing, incomplete or invalid",
	"M80":   "Not covered when performed during the same session as another service",
	"MA130": "The claim has incomplete or invalid information; send a new, corrected claim",
	"N20":   "Not paid with another service billed on the same date",
	"N54":   "The claim does not match the services that were authorized",
	"N130":  "See the member's plan benefit documents for the coverage rules",
	"N290":  "The rendering provider's NPI is missing or invalid",
	"N362":  "The days or units billed are more than the plan allows",
}

// RARCText is a remittance advice remark code in plain words.
func RARCText(code string) string {
	if t, ok := rarcText[code]; ok {
		return t
	}
	return "Remark code " + code
}

// KnownCARC tells whether the table words code (the tests check that every code the
// demo uses is worded).
func KnownCARC(code string) bool { _, ok := carcText[code]; return ok }

// KnownRARC tells whether the table words a remark code.
func KnownRARC(code string) bool { _, ok := rarcText[code]; return ok }

package main

import (
	"fmt"
	"io"
	"time"

	"portico/models"
)

// lookupCeilings turns --lookup-ceiling into the per-user ceilings of eligibility
// look-ups: N an hour and 2N in 24 hours; 0 turns them off (and says so).
func lookupCeilings(perHour int, stdout io.Writer) []models.LookupCeiling {
	if perHour <= 0 {
		fmt.Fprintln(stdout, "WARNING: --lookup-ceiling 0: eligibility look-ups have no per-user ceiling (for load tests only).")
		return []models.LookupCeiling{}
	}
	return []models.LookupCeiling{
		{Window: time.Hour, Max: perHour, Label: "in one hour"},
		{Window: 24 * time.Hour, Max: 2 * perHour, Label: "in 24 hours"},
	}
}

//go:build !unix

package demo

import "time"

// processCPU is not measured on this system: steps report a CPU time of zero.
func processCPU() time.Duration { return 0 }

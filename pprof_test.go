package main

import (
	"strings"
	"testing"
)

// TestPprofLoopbackOnly: the profiler address must be loopback; anything reachable from
// the network is refused when the flags are read.
func TestPprofLoopbackOnly(t *testing.T) {
	env := func(string) string { return "" }
	for _, ok := range []string{"127.0.0.1:6060", "[::1]:6060", "localhost:6060"} {
		if _, _, err := parseConfig("portico", []string{"--pprof", ok}, env, &strings.Builder{}); err != nil {
			t.Errorf("--pprof %s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"0.0.0.0:6060", ":6060", "10.0.0.5:6060", "example.com:6060", "6060"} {
		if _, _, err := parseConfig("portico", []string{"--pprof", bad}, env, &strings.Builder{}); err == nil || !strings.Contains(err.Error(), "pprof") {
			t.Errorf("--pprof %s accepted (err %v)", bad, err)
		}
	}
}

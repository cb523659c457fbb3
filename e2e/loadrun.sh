#!/usr/bin/env bash
# The load run of SPEC §13 in one command: builds Portico, starts it on a demo database
# (filled on first use and then reused), and runs e2e/loadgen -anchor, which measures the
# bare-framework anchor (../shared/bench) and every Portico scenario with wrk -t2 -c64,
# each scenario right after the anchor's matching endpoint, and prints req/s, p50, p99,
# the anchor's figures, the share and the p99 ratio.
#
#   e2e/loadrun.sh                      # 1,000,000 members, every scenario, 10 s each
#   SECS=5 SCENARIOS=id,dashboard e2e/loadrun.sh
#   e2e/loadrun.sh scale                # eligibility, dashboard, claims at 10k, 100k, 1M members
#
# Databases live in $WORK (default /tmp/portico-loadrun/m<members>/portico.db); building the
# 1,000,000-member one takes about a minute of CPU. The server runs with --lookup-ceiling 0
# (one user makes tens of thousands of look-ups) and --pprof on loopback, so that a CPU
# profile can be taken while it is under load:
#   go tool pprof -top http://127.0.0.1:$PPROF_PORT/debug/pprof/profile?seconds=10
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/portico-loadrun}
secs=${SECS:-10}
port=${PORT:-18090}
pprof_port=${PPROF_PORT:-16060}
mkdir -p "$work"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
(cd "$repo" && go build -o "$work/portico" . && go build -o "$work/loadgen" ./e2e/loadgen)

pid=
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=; }
trap stop EXIT

# serve MEMBERS: start Portico on that demo database (filling it the first time).
serve() {
  local db="$work/m$1/portico.db"
  mkdir -p "$(dirname "$db")"
  [ -f "$db" ] || echo "filling the $1-member demo database (first use; about a minute of CPU per million members)..."
  "$work/portico" --demo --demo-members "$1" --db "$db" --addr "127.0.0.1:$port" \
    --lookup-ceiling 0 --pprof "127.0.0.1:$pprof_port" >"$work/server-$1.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/server-$1.log" >&2; exit 1; }
    sleep 0.5
  done
  grep -h 'Demo data ready\|started in' "$work/server-$1.log" || true
}

measure() { # members, scenarios
  "$work/loadgen" -anchor -bench "${BENCH:-$repo/../shared/bench}" -base "http://127.0.0.1:$port" \
    -db "$work/m$1/portico.db" -pid "$pid" -d "${secs}s" -s "$2"
}

if [ "${1:-}" = scale ]; then
  out=$work/scale.txt
  : >"$out"
  for n in 10000 100000 1000000; do
    serve "$n"
    measure "$n" id,dashboard,claims | tee "$work/scale-$n.txt"
    stop
    grep -E '^(eligibility|dashboard|claims)' "$work/scale-$n.txt" | sed "s/^/$(printf '%9d' "$n") members  /" >>"$out"
  done
  echo
  echo "scale curve (each row: Portico req/s p50 p99 | anchor req/s p50 p99 | share, p99 ratio):"
  cat "$out"
  exit 0
fi

members=${MEMBERS:-1000000}
serve "$members"
measure "$members" "${SCENARIOS:-all}"

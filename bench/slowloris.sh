#!/usr/bin/env bash
# bench/slowloris.sh: normal clients' latency while N slow clients hold
# connections (bench/slowloris.mjs: one header byte a second, reopened whenever
# the server closes them). For each N, wrk measures GET / (a guest page from the
# cache) with 8 connections for BENCH_DURATION seconds and prints p50/p99.
# Loopback only. See docs/PERFORMANCE.md ("Slow clients").
#
#   bench/slowloris.sh                   N = 0 250 500 1000 2000 3000 4000
#   SLOW_COUNTS="0 1000" bench/slowloris.sh
#
# Environment: LOULAN_BIN (default ./loulan), BENCH_DURATION (default 5),
# SLOW_COUNTS, SLOW_SETTLE (seconds before wrk starts, default 8: the run then spans the moment the
# guard closes the first slow heads and they reconnect).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
DUR=${BENCH_DURATION:-5}
COUNTS=${SLOW_COUNTS:-0 250 500 1000 2000 3000 4000}
SETTLE=${SLOW_SETTLE:-8}
for t in wrk node; do command -v $t >/dev/null || { echo "slowloris: $t is missing (scripts/deps.sh bench)" >&2; exit 1; }; done
[ -x "$BIN" ] || { echo "slowloris: $BIN not built (make loulan)" >&2; exit 1; }
ulimit -n 20000 2>/dev/null || true

T=$(mktemp -d /tmp/loulan-slow.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT

"$BIN" init --data "$T/d" --demo >/dev/null
"$BIN" serve --data "$T/d" --listen 127.0.0.1:0 --quiet 2>"$T/serve.err" &
PIDS+=($!)
PORT=
for _ in $(seq 100); do
	PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/serve.err")
	[ -n "$PORT" ] && break
	sleep 0.1
done
[ -n "$PORT" ] || { cat "$T/serve.err" >&2; exit 1; }
URL=http://127.0.0.1:$PORT/

# field $1 of the holder's last "open N reopened M" line, or empty
slowfield() { if [ -s "$T/slow.out" ]; then tail -n1 "$T/slow.out" | awk -v f="$1" '{print $f}'; fi; }
slowlines() { if [ -s "$T/slow.out" ]; then wc -l <"$T/slow.out"; else echo 0; fi; }

printf '| slow connections (target) | held during the run (min-max) | reopened during the run | requests/s | p50 | p99 | errors |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|\n'
for n in $COUNTS; do
	hp=
	if [ "$n" -gt 0 ]; then
		node bench/slowloris.mjs "$PORT" "$n" >"$T/slow.out" &
		hp=$!
		sleep "$SETTLE"
	fi
	before=$(slowfield 4)
	l0=$(slowlines)
	wrk -t1 -c8 -d"${DUR}s" --timeout 5s --latency "$URL" >"$T/wrk.out" 2>&1 || true
	held=0
	if [ -s "$T/slow.out" ]; then
		held=$(tail -n +"$((l0 + 1))" "$T/slow.out" | awk 'NR == 1 || $2 < lo {lo = $2} $2 > hi {hi = $2} END {printf "%d-%d", lo, hi}')
	fi
	after=$(slowfield 4)
	if [ -n "$hp" ]; then kill "$hp"; wait "$hp" 2>/dev/null || true; rm -f "$T/slow.out"; sleep 1; fi
	rps=$(awk '/^Requests\/sec/ {print $2}' "$T/wrk.out")
	p50=$(awk '$1 == "50%" {print $2}' "$T/wrk.out")
	p99=$(awk '$1 == "99%" {print $2}' "$T/wrk.out")
	errs=$(awk '/Socket errors|Non-2xx/ {sub(/^ +/, ""); printf "%s; ", $0}' "$T/wrk.out")
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$n" "${held:-0}" "$(( ${after:-0} - ${before:-0} ))" "${rps:-0}" "${p50:--}" "${p99:--}" "${errs:-none}"
done

#!/usr/bin/env bash
# bench/hot.sh: the 95/5 hot-thread row of issue 16 (`make bench` runs it after bench/run.sh).
# One thread of BENCH_HOT_FLOORS floors (default 30: 3 pages of FORUM_FLOORS_PER_PAGE 10) on a small SQLite forum; wrk reads its
# pages as a guest with gzip, once reads only and once with every 20th request a reply (95/5).
# Prints both rows and the ratios the issue asks for: reads ≥ 0.7× reads-only, p99 ≤ 2× reads-only.
# The 95/5 p99 is of all requests, the replies' fsync included (wrk keeps one histogram).
# Runs BENCH_ROUNDS alternated pairs (default 3) and prints the median of each ratio.
# Environment: LOULAN_BIN (default ./loulan), BENCH_DURATION (default 5), BENCH_ROUNDS, BENCH_HOT_FLOORS.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
DUR=${BENCH_DURATION:-5}
ROUNDS=${BENCH_ROUNDS:-3}
FLOORS=${BENCH_HOT_FLOORS:-30}
HERE=$PWD/bench
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/deps.sh bench)" >&2; exit 1; }
T=$(mktemp -d /tmp/loulan-hot.XXXXXX)
LPID=
cleanup() { [ -n "$LPID" ] && kill "$LPID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
"$BIN" init --data "$T/d" >/dev/null
"$BIN" gen --data "$T/d" --boards 2 --threads 50 --posts 1000 --big "$FLOORS" --no-index >"$T/gen.out" 2>/dev/null
TID=$(sed -n 's|^big thread: /t/\([0-9]*\).*|\1|p' "$T/gen.out")
printf 'hotpass-%s\n' "$$" | "$BIN" user add --data "$T/d" --name bench >/dev/null
"$BIN" config set --data "$T/d" post.flood_seconds 0 >/dev/null
"$BIN" serve --data "$T/d" --listen 127.0.0.1:0 --quiet 2>"$T/serve.err" &
LPID=$!
for _ in $(seq 100); do
	PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/serve.err")
	[ -n "$PORT" ] && break
	sleep 0.1
done
L=http://127.0.0.1:$PORT
TOKEN=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"bench\",\"password\":\"hotpass-$$\"}" \
	"$L/api/v1/session" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
PAGES=$(((FLOORS + 9) / 10))
BODY='{"body":"压测回复 hot thread reply"}'
cat "$HERE/hot.lua" "$HERE/report.lua" >"$T/hot-run.lua"
run() {   # run EVERY LABEL: prints "LABEL reads/s p50_us p99_us errors"
	for p in $(seq "$PAGES"); do curl -sf -o /dev/null -H 'Accept-Encoding: gzip' "$L/t/$TID?page=$p"; done
	BENCH_HOT_TID=$TID BENCH_HOT_PAGES=$PAGES BENCH_HOT_EVERY=$1 BENCH_TOKEN=$TOKEN BENCH_BODY=$BODY \
		wrk -t2 -c64 -d"${DUR}s" --timeout 5s -s "$T/hot-run.lua" "$L/" >"$T/wrk-$2.out" 2>&1 || true
	local line
	line=$(grep '^RESULT' "$T/wrk-$2.out") || { cat "$T/wrk-$2.out" >&2; exit 1; }
	eval "local ${line#RESULT }"
	local reads=$requests
	[ "$1" -gt 0 ] && reads=$((requests - requests / $1))
	echo "$2 $(echo "scale=1; $reads * 1000000 / $duration_us" | bc) $p50_us $p99_us $((errors + status_errors))"
}
# alternated rounds (the machine is shared: one pair of runs swings by ±20%); the median ratio counts
echo "| round | run | reads/s | p50 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|"
ratios= p99s=
for i in $(seq "$ROUNDS"); do
	A=$(run 0 reads-only)
	B=$(run 20 95-5)
	for r in "$A" "$B"; do
		set -- $r
		echo "| $i | $1 | $2 | $(echo "scale=2; $3 / 1000" | bc) | $(echo "scale=2; $4 / 1000" | bc) | $5 |"
	done
	set -- $A; ra=$2 pa=$4
	set -- $B
	ratios="$ratios $(echo "scale=2; $2 / $ra" | bc)"
	p99s="$p99s $(echo "scale=2; $4 / $pa" | bc)"
done
echo   # the table ends here (markdown: bench/record.sh appends this output to docs/PERFORMANCE.md)
median() { printf '%s\n' $1 | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "reads 95/5 ÷ reads-only, per round:$ratios; median $(median "$ratios") × (target ≥ 0.7)"
echo "p99 95/5 ÷ reads-only, per round:$p99s; median $(median "$p99s") × (target ≤ 2)"
hits() { curl -sf "$L/metrics" | sed -n "s/^loulan_page_cache_$1_total \([0-9.e+]*\)/\1/p"; }
echo "guest page cache after both runs: $(hits hits) hits, $(hits misses) misses"
echo "reply count of the thread after the runs: $(curl -sf "$L/t/$TID" | sed -n 's|.*回复: <em>\([0-9]*\)</em>.*|\1|p' | head -1); each run ${DUR} s, $ROUNDS rounds"

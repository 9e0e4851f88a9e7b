#!/usr/bin/env bash
# bench/copy.sh: bulk writes to PostgreSQL (issue 16). `make bench` runs it.
#   - `loulan copy` of a SQLite forum of POSTS posts into an empty PostgreSQL database: posts/s of the
#     post table (target >= 50,000) and of the whole command (every table, the search index built on
#     the target, the verification), from the command's "copy times:" line;
#   - `loulan gen --no-index` of the same size straight into PostgreSQL: posts/s of the command.
#
#   bench/copy.sh [POSTS]        default 1,000,000; BENCH_SMALL=1: 100,000
# Environment: LOULAN_BIN (default ./loulan), BENCH_DOC=0|1 (append to docs/PERFORMANCE.md; default 1,
# 0 with BENCH_SMALL), BENCH_REV (the revision named). Starts its own throwaway PostgreSQL
# (scripts/pg.sh with a private state file) and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
if [ "${BENCH_SMALL:-0}" = 1 ]; then POSTS=${1:-100000} DOC=${BENCH_DOC:-0}; else POSTS=${1:-1000000} DOC=${BENCH_DOC:-1}; fi
THREADS=$((POSTS / 50 > 0 ? POSTS / 50 : 1))
[ -x "$BIN" ] || { echo "bench: $BIN not built (make loulan)" >&2; exit 1; }
command -v psql >/dev/null || { echo "bench: psql is missing (scripts/deps.sh test)" >&2; exit 1; }
T=$(mktemp -d /tmp/loulan-bench-copy.XXXXXX)
export LOULAN_PG_STATE=$T/pg.state
cleanup() {
	scripts/pg.sh stop || true
	rm -rf "$T"
}
trap cleanup EXIT
log() { printf 'bench: %s\n' "$*" >&2; }
now_s() { date +%s.%N; }

scripts/pg.sh start
ADMIN=$(scripts/pg.sh url)
PGDIR=$(sed -n 's/^dir=//p' "$LOULAN_PG_STATE")
CLK=$(getconf CLK_TCK)
# CPU seconds used so far by the PostgreSQL cluster: the postmaster, its live children and the
# children it has reaped (the backends of finished connections count in its cutime/cstime)
pg_cpu() {
	local pm t=0 p
	pm=$(head -1 "$PGDIR/data/postmaster.pid")
	for p in $pm $(pgrep -P "$pm"); do
		t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 + $14 + $15 }')))
	done
	echo "scale=2; $t / $CLK" | bc
}
# cpu_run NAME CMD...: runs CMD, leaves its user+system seconds in $T/NAME.cpu and PostgreSQL's in $T/NAME.pgcpu
cpu_run() {
	local name=$1 p0 rc=0
	shift
	p0=$(pg_cpu)
	/usr/bin/time -f '%U %S' -o "$T/$name.time" "$@" || rc=$?
	sleep 0.5   # the backend exits after the client
	echo "$(pg_cpu) - $p0" | bc | sed 's/^\./0./' >"$T/$name.pgcpu"
	awk '{ print $1 + $2 }' "$T/$name.time" >"$T/$name.cpu"
	return $rc
}
BASE=${ADMIN%/postgres}
psql -q "$ADMIN" -c "CREATE DATABASE copy_to" -c "CREATE DATABASE gen_to"

log "gen --posts $POSTS into SQLite"
"$BIN" init --data "$T/f" >/dev/null
"$BIN" gen --data "$T/f" --boards 20 --threads $THREADS --posts "$POSTS" --no-index >/dev/null 2>&1

log "copy to PostgreSQL"
# the post table's share of the CPU: both sides' counters when its first and last progress lines
# appear (the table before it is thread; polled every 20 ms)
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
cpu_run copy "$BIN" copy --from "$T/f" --to "$BASE/copy_to" 2>"$T/copy.err" >/dev/null &
RUNPID=$!
CPID="" POST0="" POST1=""
while kill -0 $RUNPID 2>/dev/null; do
	# the copy process by its command line, the newest match (time(1) before it has the same words;
	# cpu_run's own children come and go: its $(pg_cpu) ran pgrep, sed and awk, and one of them was
	# taken for loulan once)
	if [ -z "$CPID" ]; then
		c=$(pgrep -n -f -- " copy --from $T/f --to " || true)
		[ -n "$c" ] && [ "$(cat "/proc/$c/comm" 2>/dev/null)" != time ] && CPID=$c
	fi
	if [ -n "$CPID" ] && [ -z "$POST0" ] && grep -q '^  thread ' "$T/copy.err"; then POST0="$(pg_cpu) $(ticks "$CPID")"; fi
	if [ -n "$CPID" ] && [ -z "$POST1" ] && grep -q '^  post ' "$T/copy.err"; then POST1="$(pg_cpu) $(ticks "$CPID")"; fi
	sleep 0.02
done
wait $RUNPID || { tail -5 "$T/copy.err" >&2; echo "bench: copy failed" >&2; exit 1; }
[ -n "$CPID" ] && [ -n "$POST0" ] && [ -n "$POST1" ] || { echo "bench: did not see the copy process through its post table" >&2; exit 1; }
read -r P0 L0 <<<"${POST0:-0 0}"
read -r P1 L1 <<<"${POST1:-0 0}"
POST_PGCPU=$(echo "$P1 - $P0" | bc | sed 's/^\./0./')
POST_LCPU=$(echo "scale=2; ($L1 - $L0) / $CLK" | bc | sed 's/^\./0./')
line=$(grep '^copy times:' "$T/copy.err")
# copy times: R rows in X s, of which P posts in Y s (N posts/s); search index Z s; in all A s (M posts/s)
COPY_POST_RATE=$(echo "$line" | sed -n 's/.*s (\([0-9]*\) posts\/s); search.*/\1/p')
COPY_POST_S=$(echo "$line" | sed -n 's/.*posts in \([0-9.]*\) s.*/\1/p')
COPY_INDEX_S=$(echo "$line" | sed -n 's/.*search index \([0-9.]*\) s.*/\1/p')
COPY_ALL_S=$(echo "$line" | sed -n 's/.*in all \([0-9.]*\) s.*/\1/p')
COPY_ALL_RATE=$(echo "$line" | sed -n 's/.*in all [0-9.]* s (\([0-9]*\) posts\/s).*/\1/p')
log "$line"

log "gen --posts $POSTS into PostgreSQL"
"$BIN" init --db "$BASE/gen_to" >/dev/null
t0=$(now_s)
cpu_run gen "$BIN" gen --db "$BASE/gen_to" --boards 20 --threads $THREADS --posts "$POSTS" --no-index >/dev/null 2>&1
GEN_S=$(echo "$(now_s) - $t0" | bc)
GEN_RATE=$(echo "$POSTS / $GEN_S" | bc)
log "gen on PostgreSQL: $GEN_S s, $GEN_RATE posts/s"

per_cpu() { # posts per second of the busier side's CPU
	local a b
	a=$(cat "$T/$1.cpu") b=$(cat "$T/$1.pgcpu")
	if [ "$(echo "$a > $b" | bc)" = 1 ]; then echo "$POSTS / $a" | bc; else echo "$POSTS / $b" | bc; fi
}
rev=${BENCH_REV:-$(git rev-parse --short HEAD 2>/dev/null || echo "?")}
out=$T/report.md
{
	echo
	echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — $rev: bulk writes to PostgreSQL ($POSTS posts, $THREADS threads; bench/copy.sh)"
	echo
	echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end (a shared machine: figures are noisy);"
	echo "PostgreSQL 15 from scripts/pg.sh (fsync off), on the same machine."
	echo
	echo "CPU seconds: of the loulan process and of the PostgreSQL cluster during the command (the two run at"
	echo "once on the two cores, so on an idle machine the command takes about the larger of the two)."
	echo
	echo "| bulk write | seconds | posts/s | loulan CPU s | PostgreSQL CPU s | posts ÷ the larger CPU s | target | met? |"
	echo "|---|---:|---:|---:|---:|---:|---:|---|"
	echo "| \`loulan copy\`: the post table | $COPY_POST_S | $COPY_POST_RATE | $POST_LCPU | $POST_PGCPU | $(echo "$POSTS / ($(echo "$POST_LCPU > $POST_PGCPU" | bc) * $POST_LCPU + $(echo "$POST_LCPU <= $POST_PGCPU" | bc) * $POST_PGCPU)" | bc) | ≥ 50,000 | $([ "${COPY_POST_RATE:-0}" -ge 50000 ] && echo met || echo '**missed**') |"
	echo "| \`loulan copy\`: every table + search index ($COPY_INDEX_S s) + verification | $COPY_ALL_S | $COPY_ALL_RATE | $(cat "$T/copy.cpu") | $(cat "$T/copy.pgcpu") | $(per_cpu copy) | | |"
	echo "| \`loulan gen --no-index\` on PostgreSQL (whole command) | ${GEN_S%??????} | $GEN_RATE | $(cat "$T/gen.cpu") | $(cat "$T/gen.pgcpu") | $(per_cpu gen) | ≥ 50,000 | $([ "$GEN_RATE" -ge 50000 ] && echo met || echo '**missed**') |"
} >"$out"
cat "$out"
if [ "$DOC" = 1 ]; then
	cat "$out" >>docs/PERFORMANCE.md
	log "appended to docs/PERFORMANCE.md"
fi

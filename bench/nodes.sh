#!/usr/bin/env bash
# bench/nodes.sh: what a request costs the servers on the crawler mix (issue 16, docs/SCALING.md):
# requests per server CPU-second (loulan processes + the PostgreSQL cluster) for one SQLite node,
# one PostgreSQL node and two PostgreSQL nodes on one database. This machine has 2 cores, so
# throughput cannot show scaling; CPU per request can. The mix is bench/crawl.lua (random thread
# and board pages, guests), once each page once (all misses) and once with revisits; every
# configuration starts with cold page caches.
#
#   bench/nodes.sh [POSTS]       default 200,000 posts (POSTS / 50 threads, 10 boards)
# Environment: LOULAN_BIN (default ./loulan), BENCH_DURATION (wrk seconds, default 10),
# BENCH_DOC=0|1 (append to docs/PERFORMANCE.md; default 0), LOULAN_PG_STATS=1 (log each PostgreSQL
# crawl's statements from pg_stat_statements: calls, plannings, mean µs). Starts its own throwaway PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
POSTS=${1:-200000}
THREADS=$((POSTS / 50))
BOARDS=10
DUR=${BENCH_DURATION:-10}
DOC=${BENCH_DOC:-0}
HERE=$PWD/bench
for t in wrk psql sqlite3; do command -v $t >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }; done
[ -x "$BIN" ] || { echo "bench: $BIN not built (make loulan)" >&2; exit 1; }
T=$(mktemp -d /tmp/loulan-bench-nodes.XXXXXX)
export LOULAN_PG_STATE=$T/pg.state
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	scripts/pg.sh stop || true
	rm -rf "$T"
}
trap cleanup EXIT
log() { printf 'bench: %s\n' "$*" >&2; }
CLK=$(getconf CLK_TCK)
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 + $14 + $15 }'; }   # utime stime cutime cstime
pg_ticks() { # the postmaster, its live children and the ones it reaped
	local pm t=0 p
	pm=$(head -1 "$PGDIR/data/postmaster.pid")
	for p in $pm $(pgrep -P "$pm"); do t=$((t + $(ticks "$p"))); done
	echo $t
}

scripts/pg.sh start
ADMIN=$(scripts/pg.sh url)
PGDIR=$(sed -n 's/^dir=//p' "$LOULAN_PG_STATE")
psql -q "$ADMIN" -c "CREATE DATABASE nodes"
PGURL=${ADMIN%/postgres}/nodes
STATS=${LOULAN_PG_STATS:-0}
[ "$STATS" = 1 ] && psql -q "$PGURL" -c "CREATE EXTENSION pg_stat_statements"
"$BIN" init --data "$T/f" >/dev/null
"$BIN" gen --data "$T/f" --boards $BOARDS --threads $THREADS --posts "$POSTS" --no-index >/dev/null 2>&1
"$BIN" copy --from "$T/f" --to "$PGURL" >/dev/null 2>&1
Q() { sqlite3 "$T/f/loulan.db" "$1"; }
# every page of every thread (10 floors a page) and of every board (20 threads a page), shuffled
Q "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
   SELECT '/t/' || t.tid || CASE WHEN n.i > 1 THEN '?page=' || n.i ELSE '' END FROM thread t JOIN n
     ON n.i <= (t.maxposition + 9) / 10 WHERE t.hidden = 0
   UNION ALL SELECT '/f/' || b.fid || CASE WHEN n.i > 1 THEN '?page=' || n.i ELSE '' END FROM board b JOIN n
     ON n.i <= (b.threads + 19) / 20 WHERE b.hidden = 0" | shuf --random-source=<(yes) >"$T/urls"
NURLS=$(wc -l <"$T/urls")
export BENCH_CRAWL_URLS=$T/urls

# start_node NAME ARGS...: a server on a free port; appends its pid to NODE_PIDS and URL to NODE_URLS
start_node() {
	local name=$1 port
	shift
	"$BIN" serve "$@" --listen 127.0.0.1:0 --quiet 2>"$T/$name.err" &
	PIDS+=($!)
	NODE_PIDS+=($!)
	for _ in $(seq 100); do
		port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/$name.err")
		[ -n "$port" ] && { NODE_URLS+=("http://127.0.0.1:$port"); return 0; }
		sleep 0.1
	done
	cat "$T/$name.err" >&2
	exit 1
}
stop_nodes() {
	for p in "${NODE_PIDS[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done
}
# crawl LABEL USES_PG MODE [AFFINITY]: one wrk per node at once (64 connections in all), CPU of the nodes
# (+ PostgreSQL); AFFINITY=1: each node is asked only for its share of the pages (a URL-hashing balancer)
R=$T/results
: >"$R"
crawl() {
	local label=$1 pg=$2 mode=$3 aff=${4:-0} n=${#NODE_URLS[@]} c0=0 c1=0 p0=0 p1=0 req=0 i line
	cat "$HERE/crawl.lua" "$HERE/report.lua" >"$T/crawl-run.lua"
	for p in "${NODE_PIDS[@]}"; do c0=$((c0 + $(ticks "$p"))); done
	[ "$pg" = 1 ] && [ "$STATS" = 1 ] && psql -qAt "$PGURL" -c "SELECT pg_stat_statements_reset()" >/dev/null
	[ "$pg" = 1 ] && p0=$(pg_ticks)
	local wrks=()
	for i in $(seq 0 $((n - 1))); do
		BENCH_CRAWL_MODE=$mode BENCH_CRAWL_AFFINITY=$aff BENCH_CRAWL_PART=$i BENCH_CRAWL_PARTS=$n BENCH_CRAWL_WRK_THREADS=$((2 / n > 0 ? 2 / n : 1)) \
		wrk -t$((2 / n > 0 ? 2 / n : 1)) -c$((64 / n)) -d"${DUR}s" --timeout 5s \
			-s "$T/crawl-run.lua" "${NODE_URLS[$i]}/" >"$T/wrk-$label-$i.out" 2>&1 &
		wrks+=($!)
	done
	for p in "${wrks[@]}"; do wait "$p" || true; done
	for p in "${NODE_PIDS[@]}"; do c1=$((c1 + $(ticks "$p"))); done
	[ "$pg" = 1 ] && p1=$(pg_ticks)
	local errs=0
	for i in $(seq 0 $((n - 1))); do
		line=$(grep '^RESULT' "$T/wrk-$label-$i.out") || { cat "$T/wrk-$label-$i.out" >&2; exit 1; }
		eval "${line#RESULT }"
		req=$((req + requests))
		errs=$((errs + errors + status_errors))
	done
	local lcpu pcpu
	lcpu=$(echo "scale=2; ($c1 - $c0) / $CLK" | bc | sed 's/^\./0./')
	pcpu=$(echo "scale=2; ($p1 - $p0) / $CLK" | bc | sed 's/^\./0./')
	echo "$label $req $lcpu $pcpu $errs" >>"$R"
	[ "$pg" = 1 ] && [ "$STATS" = 1 ] && psql -q "$PGURL" -c "SELECT calls, plans, round(((total_plan_time + total_exec_time) / calls * 1000)::numeric) AS mean_us, left(regexp_replace(query, '\s+', ' ', 'g'), 70) AS statement FROM pg_stat_statements WHERE calls > 0 AND query NOT LIKE '%pg_stat_statements%' ORDER BY total_plan_time + total_exec_time DESC LIMIT 8" >&2
	log "$label: $req requests, loulan $lcpu CPU s, PostgreSQL $pcpu CPU s, errors $errs"
}

for mode in once random; do
	NODE_PIDS=() NODE_URLS=()
	start_node sqlite --data "$T/f" --workers 2
	crawl sqlite-$mode 0 $mode
	stop_nodes
	NODE_PIDS=() NODE_URLS=()
	start_node pg1 --db "$PGURL" --workers 2
	crawl pg1-$mode 1 $mode
	stop_nodes
	NODE_PIDS=() NODE_URLS=()
	start_node pg2a --db "$PGURL" --workers 2
	start_node pg2b --db "$PGURL" --workers 2
	crawl pg2-$mode 1 $mode
	stop_nodes
done
# two nodes behind a balancer that hashes the URL: each node caches its own half of the pages
NODE_PIDS=() NODE_URLS=()
start_node pg2a --db "$PGURL" --workers 2
start_node pg2b --db "$PGURL" --workers 2
crawl pg2-hash 1 random 1
stop_nodes

get() { awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$R"; }
per_cpu() { echo "scale=0; $(get "$1" 2) / ($(get "$1" 3) + $(get "$1" 4))" | bc; }
out=$T/report.md
{
	echo
	echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — $(git rev-parse --short HEAD 2>/dev/null || echo '?'): crawler mix per server CPU-second (bench/nodes.sh)"
	echo
	echo "$POSTS posts, $NURLS pages (every page of every thread and board); guests; wrk ${DUR} s, 64 connections in all"
	echo "(split over the nodes), each node \`--workers 2\`, cold page caches at the start; $(nproc) cores, load average"
	echo "$(cut -d' ' -f1-3 /proc/loadavg) (shared machine). Server CPU = the loulan processes + the whole PostgreSQL"
	echo "cluster (backends included), from /proc. *each page once*: every request a cache miss (the pages are split"
	echo "between the nodes); *random revisits*: pages drawn with replacement, so most requests hit a node's cache."
	echo
	echo "| crawl | configuration | requests | loulan CPU s | PostgreSQL CPU s | requests per server CPU-second | ÷ SQLite | errors |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|"
	for mode in once random; do
		for k in sqlite pg1 pg2; do
			case $k in sqlite) name="one node, SQLite" ;; pg1) name="one node, PostgreSQL" ;; pg2) name="two nodes, one PostgreSQL" ;; esac
			case $mode in once) mname="each page once" ;; random) mname="random revisits" ;; esac
			echo "| $mname | $name | $(get $k-$mode 2) | $(get $k-$mode 3) | $(get $k-$mode 4) | $(per_cpu $k-$mode) | $(echo "scale=2; $(per_cpu $k-$mode) / $(per_cpu sqlite-$mode)" | bc | sed 's/^\./0./') | $(get $k-$mode 5) |"
		done
	done
	echo "| random revisits, each URL always to the same node (nginx \`hash \$request_uri consistent\`) | two nodes, one PostgreSQL | $(get pg2-hash 2) | $(get pg2-hash 3) | $(get pg2-hash 4) | $(per_cpu pg2-hash) | $(echo "scale=2; $(per_cpu pg2-hash) / $(per_cpu sqlite-random)" | bc | sed 's/^\./0./') | $(get pg2-hash 5) |"
	echo
	for mode in once random; do
		echo "- $mode: two nodes ÷ one node on PostgreSQL $(echo "scale=2; $(per_cpu pg2-$mode) / $(per_cpu pg1-$mode)" | bc | sed 's/^\./0./') (target ≥ 0.95); one PostgreSQL node ÷ SQLite $(echo "scale=2; $(per_cpu pg1-$mode) / $(per_cpu sqlite-$mode)" | bc | sed 's/^\./0./') (target ≥ 0.8)."
	done
	echo "- random, URL-hash balancer: two nodes ÷ one node on PostgreSQL $(echo "scale=2; $(per_cpu pg2-hash) / $(per_cpu pg1-random)" | bc | sed 's/^\./0./') (target ≥ 0.95)."
} >"$out"
cat "$out"
[ "$DOC" = 1 ] && cat "$out" >>docs/PERFORMANCE.md
exit 0

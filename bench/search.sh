#!/usr/bin/env bash
# bench/search.sh: search figures (issue 14) on a forum from `loulan gen`. `make bench` runs it on
# its 1,000,000-post forum (bench/run.sh, BENCH_SEARCH=0 skips); by hand:
#
#   bench/search.sh                 a new forum of SEARCH_POSTS posts (default 1,000,000)
#   bench/search.sh DIR             an existing forum (DIR/loulan.db): reindexed, then measured
#   bench/search.sh postgres://...  the same on PostgreSQL (index size: search_doc with its GIN index)
#
# Measures: `loulan reindex` (time, and per post: what one reply's index write costs, batched),
# the index's size on disk (the search_fts tables, dbstat) per million posts, the server time
# (the access log's microseconds) of SEARCH_REQUESTS searches for two-character Chinese words and
# as many for English words (p50, p99), and of as many replies with the index kept (p50, p99).
# Environment: LOULAN_BIN (default ./loulan), SEARCH_POSTS, SEARCH_REQUESTS (default 300),
# SEARCH_REINDEX=0 measures the index as it is (the reindex row then means nothing),
# SEARCH_DOC=1 appends the table to docs/PERFORMANCE.md. Listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
POSTS=${SEARCH_POSTS:-1000000}
N=${SEARCH_REQUESTS:-300}
DOC=${SEARCH_DOC:-0}
for t in curl sqlite3 psql bc; do command -v $t >/dev/null || { echo "search bench: $t is missing" >&2; exit 1; }; done
[ -x "$BIN" ] || { echo "search bench: $BIN not built (make loulan)" >&2; exit 1; }
T=$(mktemp -d /tmp/loulan-search.XXXXXX)
SPID=
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
log() { printf 'search bench: %s\n' "$*" >&2; }
now_s() { date +%s.%N; }

PG=0
if [ -n "${1:-}" ]; then
	D=$1
	case $D in postgres://*|postgresql://*) PG=1 ;; esac
else
	D=$T/d
	"$BIN" init --data "$D" >/dev/null
	log "gen --posts $POSTS --no-index"
	t0=$(now_s)
	"$BIN" gen --data "$D" --boards 20 --threads $((POSTS / 50)) --posts "$POSTS" --no-index >/dev/null 2>&1
	log "gen: $(echo "$(now_s) - $t0" | bc) s"
fi
if [ $PG = 1 ]; then
	STORE=(--db "$D")
	sql() { psql -X -tA "$D" -c "$1"; }
	BACKEND=PostgreSQL
else
	STORE=(--data "$D")
	sql() { sqlite3 "$D/loulan.db" "$1"; }
	BACKEND=SQLite
fi
NPOSTS=$(sql "SELECT COUNT(*) FROM post")
log "reindex of $NPOSTS posts"
t0=$(now_s)
[ "${SEARCH_REINDEX:-1}" = 0 ] || "$BIN" reindex "${STORE[@]}" >/dev/null 2>"$T/reindex.err"   # 0: keep the index
REINDEX_S=$(echo "$(now_s) - $t0" | bc)
if [ $PG = 1 ]; then
	IDX_BYTES=$(sql "SELECT pg_total_relation_size('search_doc')")
	DB_MB=$(( $(sql "SELECT pg_database_size(current_database())") / 1048576 ))
else
	IDX_BYTES=$(sql "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_fts%'")
	DB_MB=$(du -m "$D/loulan.db" | cut -f1)
fi
"$BIN" config set "${STORE[@]}" search.max_per_minute_ip 100000000 >/dev/null
"$BIN" config set "${STORE[@]}" search.max_per_minute 100000000 >/dev/null
"$BIN" config set "${STORE[@]}" post.flood_seconds 0 >/dev/null
printf 'searchpass-%s\n' "$$" | "$BIN" user add "${STORE[@]}" --name "sb$$" >/dev/null 2>&1 || true

"$BIN" serve "${STORE[@]}" --listen 127.0.0.1:0 2>"$T/serve.err" &
SPID=$!
for _ in $(seq 100); do
	PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/serve.err")
	[ -n "$PORT" ] && break
	sleep 0.1
done
[ -n "${PORT:-}" ] || { cat "$T/serve.err" >&2; exit 1; }
URL=http://127.0.0.1:$PORT
enc() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g'; }

# KIND N URLS...: N GETs cycling through the URLs, their server times (µs) into $T/KIND.us
measure() {
	local kind=$1 n=$2; shift 2
	local urls=("$@") before
	before=$(wc -l <"$T/serve.err")
	for i in $(seq 0 $((n - 1))); do curl -s -o /dev/null "$URL${urls[$((i % ${#urls[@]}))]}"; done
	sleep 0.3
	tail -n +$((before + 1)) "$T/serve.err" | sed -n 's|^GET /api/v1/search 200 [0-9]* \([0-9]*\)us$|\1|p' >"$T/$kind.us"
}
pct() { sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int(NR*p/100+0.999); if (i<1) i=1; printf "%.1f", a[i]/1000}'; }

ZH=(房价 咖啡 考研 装修 跑步 育儿 减肥 摄影 路由 求职 面试 高铁 夜市 职场 宠物 养花 基金 开源 沟通 停车)
EN=(database latency postgresql nginx throughput docker memory release keyboards raspberry)
zh_urls=() en_urls=()
for w in "${ZH[@]}"; do zh_urls+=("/api/v1/search?q=$(enc "$w")"); done
for w in "${EN[@]}"; do en_urls+=("/api/v1/search?q=$w"); done
measure warm 40 "${zh_urls[@]}" "${en_urls[@]}"
log "$N two-character searches"
measure zh "$N" "${zh_urls[@]}"
log "$N English searches"
measure en "$N" "${en_urls[@]}"
TOTAL_ZH=$(curl -s "$URL/api/v1/search?q=$(enc 房价)" | sed -n 's|.*"total":\([0-9]*\).*|\1|p')

# replies with the index kept (the hook runs in each reply's transaction)
TOKEN=$(curl -s -H 'content-type: application/json' -d "{\"username\":\"sb$$\",\"password\":\"searchpass-$$\"}" \
	"$URL/api/v1/session" | sed -n 's|.*"token":"\([0-9a-f]*\)".*|\1|p')
before=$(wc -l <"$T/serve.err")
for i in $(seq 1 "$N"); do
	curl -s -o /dev/null -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
		-d "{\"body\":\"搜索压测回复 $i：济宁 小松 reply benchmark with some English words\"}" "$URL/api/v1/threads/2/posts"
done
sleep 0.3
tail -n +$((before + 1)) "$T/serve.err" | sed -n 's|^POST /api/v1/threads/2/posts 20[01] [0-9]* \([0-9]*\)us$|\1|p' >"$T/reply.us"

PER_POST_US=$(echo "scale=1; $REINDEX_S * 1000000 / $NPOSTS" | bc)
IDX_MB=$(echo "scale=1; $IDX_BYTES / 1048576" | bc)
PER_M=$(echo "scale=0; $IDX_BYTES * 1000000 / $NPOSTS / 1048576" | bc)
out=$T/report.md
{
	echo
	echo "### Search on $NPOSTS posts ($(date -u +%Y-%m-%d), $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $BACKEND)"
	echo
	echo "bench/search.sh; server time from the access log, $N sequential requests per row; a shared 2-core"
	echo "machine (other builds and tests ran at the same time), so read the figures as upper bounds."
	echo
	echo "| measure | value |"
	echo "|---|---|"
	echo "| two-character word (20 words, e.g. 房价: $TOTAL_ZH matches, the newest ≤ 1,000 ranked) p50 / p99 | $(pct "$T/zh.us" 50) ms / $(pct "$T/zh.us" 99) ms |"
	echo "| English word (10 words) p50 / p99 | $(pct "$T/en.us" 50) ms / $(pct "$T/en.us" 99) ms |"
	echo "| \`loulan reindex\` of $NPOSTS posts | $(printf '%.1f' "$REINDEX_S") s ($PER_POST_US µs per post) |"
	echo "| index on disk ($([ $PG = 1 ] && echo 'search_doc, GIN included' || echo 'search_fts tables')) | $IDX_MB MB, $PER_M MB per million posts (database $DB_MB MB) |"
	echo "| reply with the index kept, p50 / p99 (API, server time) | $(pct "$T/reply.us" 50) ms / $(pct "$T/reply.us" 99) ms |"
} >"$out"
cat "$out"
if [ "$DOC" = 1 ]; then
	cat "$out" >>docs/PERFORMANCE.md
	log "appended to docs/PERFORMANCE.md"
fi

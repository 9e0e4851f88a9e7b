#!/usr/bin/env bash
# bench/live.sh: live replies over Server-Sent Events (issue #15). `make bench` runs it after
# bench/attach.sh. Two figures (bench/live.mjs is the client):
#   1. LIVE_STREAMS (default 10,000) event streams open on one node (SQLite): the server's memory
#      (VmRSS) before and after and per stream, a page fetched while they are open, and the time
#      from posting one reply until every stream has its event (the fan-out).
#   2. Two nodes on one PostgreSQL (scripts/pg.sh, as the tests use it; skipped when it cannot
#      start): one stream on node B, LIVE_REPLIES (default 200) replies posted on node A one after
#      another; per reply the time from sending the POST to A's answer and to the event on B (the
#      commit happens before A answers, so "to the event" bounds commit-to-event from above).
# Raises the open-file limit to its hard limit (each stream is a socket on both sides; the client
# runs in its own process). Environment: LOULAN_BIN (default ./loulan), LIVE_STREAMS, LIVE_REPLIES,
# BENCH_DOC=0|1 (append to docs/PERFORMANCE.md, default 1). Listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
N=${LIVE_STREAMS:-10000}
K=${LIVE_REPLIES:-200}
DOC=${BENCH_DOC:-1}
PW='bench live password'
for t in node curl; do command -v $t >/dev/null || { echo "live bench: $t is missing" >&2; exit 1; }; done
[ -x "$BIN" ] || { echo "live bench: $BIN not built (make loulan)" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((N + 200)) ]; then
	echo "live bench: open-file limit $(ulimit -n) is below $((N + 200)); raise the hard limit (ulimit -Hn)" >&2
	exit 1
fi
T=$(mktemp -d /tmp/loulan-live.XXXXXX)
PIDS=()
PGUP=0
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	[ "$PGUP" = 1 ] && LOULAN_PG_STATE=$T/pg.state scripts/pg.sh stop >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
log() { printf 'live bench: %s\n' "$*" >&2; }

# serve STORAGE... : starts a node; its URL in SURL, its pid the last of PIDS
serve() {
	local err=$T/serve.$RANDOM.err
	"$BIN" serve "$@" --listen 127.0.0.1:0 --quiet --max-connections $((N + 100)) --max-per-ip $((N + 100)) 2>"$err" &
	PIDS+=($!)
	for _ in $(seq 200); do
		local port
		port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$err")
		[ -n "$port" ] && { SURL="http://127.0.0.1:$port"; return; }
		sleep 0.1
	done
	cat "$err" >&2
	exit 1
}
token() {
	curl -sf -H 'content-type: application/json' -d "{\"username\":\"bench\",\"password\":\"$PW\"}" "$1/api/v1/session" |
		sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}
setup() {   # STORAGE...: a demo forum with the member bench and the caps raised
	"$BIN" init --demo "$@" >/dev/null
	printf '%s\n' "$PW" | "$BIN" user add --name bench "$@" >/dev/null
	"$BIN" config set live.max_streams "$N" "$@" >/dev/null
	"$BIN" config set live.max_per_ip "$N" "$@" >/dev/null
	"$BIN" config set post.flood_seconds 0 "$@" >/dev/null
}

out=$T/out.md
rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
{
	printf '\n## %s — %s: live replies (Server-Sent Events, bench/live.sh)\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$rev"
	printf '%s cores, %s, %s.\n\n' "$(nproc)" "$(uname -sr)" "$("$BIN" --version 2>/dev/null | head -1 || echo loulan)"
} >"$out"

log "$N streams on one node (SQLite)"
setup --data "$T/d"
serve --data "$T/d"
URL=$SURL
SPID=${PIDS[-1]}
TOK=$(token "$URL")
node bench/live.mjs streams "$URL" "$SPID" "$N" "$TOK" >"$T/streams.json"
cat "$T/streams.json" >&2
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log("| open streams | opened in | server RSS before | after | per stream | GET /t/1 while open | one reply reaches all streams in |");
console.log("|---:|---:|---:|---:|---:|---:|---:|");
console.log(`| ${r.streams} | ${r.open_s} s | ${(r.rss_before_kib / 1024).toFixed(1)} MiB | ${(r.rss_after_kib / 1024).toFixed(1)} MiB | ${(r.per_stream_b / 1024).toFixed(1)} KiB | ${r.page_ms} ms (${r.page_status}) | ${r.fanout_ms} ms |`);
' "$T/streams.json" >>"$out"
kill "$SPID"; wait "$SPID" 2>/dev/null || true

log "commit-to-event across two nodes (PostgreSQL)"
export LOULAN_PG_STATE=$T/pg.state
if scripts/pg.sh start >/dev/null 2>&1; then
	PGUP=1
	DB=$(scripts/pg.sh url)
	setup --db "$DB"
	serve --db "$DB"
	A=$SURL
	serve --db "$DB"
	B=$SURL
	TOK=$(token "$A")
	node bench/live.mjs latency "$A" "$B" "$TOK" "$K" >"$T/lat.json"
	cat "$T/lat.json" >&2
	node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log("\n| replies posted on node A | POST to A'"'"'s answer p50 / p99 / max | POST to the event on node B p50 / p99 / max |");
console.log("|---:|---:|---:|");
const f = (s) => `${s.p50} / ${s.p99} / ${s.max} ms`;
console.log(`| ${r.replies} | ${f(r.answer_on_a_ms)} | ${f(r.event_on_b_ms)} |`);
' "$T/lat.json" >>"$out"
else
	log "PostgreSQL did not start (scripts/pg.sh): the two-node figure is skipped"
	printf '\n(two-node latency not measured: PostgreSQL did not start)\n' >>"$out"
fi
cat "$out"
if [ "$DOC" = 1 ]; then cat "$out" >>docs/PERFORMANCE.md; log "appended to docs/PERFORMANCE.md"; fi

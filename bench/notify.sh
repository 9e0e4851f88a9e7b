#!/usr/bin/env bash
# bench/notify.sh: the reply stream of bench/run.sh on its own, to see what 提醒 costs a reply (issue #15).
# A fresh SQLite forum of 10,000 posts (`loulan gen`); wrk posts `POST /api/v1/threads/2/posts` (bearer,
# 201 each, synchronous=FULL) for BENCH_DURATION seconds (default 10) with 2 threads and 64 connections:
#   before    LOULAN_BIN_BEFORE (optional): a build without notifications, the same body
#   plain     LOULAN_BIN (default ./loulan): the same body; each reply tells the thread's author (2 statements)
#   heavy     LOULAN_BIN: a body that @mentions a member (one name lookup before the transaction) while the
#             thread has 50 followers (one INSERT ... SELECT and one counter statement for all of them)
# Prints one table row per run (the rows of docs/PERFORMANCE.md's notification section).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
BEFORE=${LOULAN_BIN_BEFORE:-}
DUR=${BENCH_DURATION:-10}
HERE=$PWD/bench
BODY='{"body":"压测回复 bench reply: [b]楼兰[/b] 这是一条由 wrk 发出的回复，用来测量持续写入。"}'
for t in wrk curl sqlite3; do command -v $t >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }; done
T=$(mktemp -d /tmp/loulan-bench-notify.XXXXXX)
PID=
cleanup() { [ -z "$PID" ] || { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; }; rm -rf "$T"; }
trap cleanup EXIT

# run LABEL BIN BODY [FOLLOWERS]: a fresh forum, a server, the stream; prints the row
run() {
	local label=$1 bin=$2 body=$3 followers=${4:-0} d=$T/$1
	"$bin" init --data "$d" >/dev/null
	"$bin" gen --data "$d" --boards 5 --threads 200 --posts 10000 --big 1000 >/dev/null 2>&1
	printf 'benchpass-%s\n' "$$" | "$bin" user add --data "$d" --name bench >/dev/null
	"$bin" config set --data "$d" post.flood_seconds 0 >/dev/null
	if [ "$followers" -gt 0 ]; then
		sqlite3 "$d/loulan.db" "INSERT INTO thread_follow(tid, uid, created) SELECT 2, uid, 0 FROM member \
			WHERE username <> 'bench' ORDER BY uid LIMIT $followers"
	fi
	"$bin" serve --data "$d" --listen 127.0.0.1:0 --quiet 2>"$T/$label.err" &
	PID=$!
	local port=
	for _ in $(seq 100); do
		port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/$label.err")
		[ -n "$port" ] && break
		sleep 0.1
	done
	local url=http://127.0.0.1:$port
	local token
	token=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"bench\",\"password\":\"benchpass-$$\"}" \
		"$url/api/v1/session" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
	cat "$HERE/reply.lua" "$HERE/report.lua" >"$T/reply-run.lua"
	BENCH_TOKEN=$token BENCH_BODY=$body wrk -t2 -c64 -d"${DUR}s" --timeout 5s -s "$T/reply-run.lua" \
		"$url/api/v1/threads/2/posts" >"$T/$label.out" 2>&1 || true
	local line
	line=$(grep '^RESULT' "$T/$label.out")
	eval "local ${line#RESULT }"
	local rows
	rows=$(sqlite3 "$d/loulan.db" "SELECT COUNT(*) FROM notification" 2>/dev/null || echo -)
	printf '| %s | %s | %.2f | %.2f | %s | %s |\n' "$label" \
		"$(echo "scale=1; ($requests - $status_errors) * 1000000 / $duration_us" | bc)" \
		"$(echo "scale=3; $p50_us / 1000" | bc)" "$(echo "scale=3; $p99_us / 1000" | bc)" "$((errors + status_errors))" "$rows"
	kill "$PID"
	wait "$PID" 2>/dev/null || true
	PID=
}

echo "| run | durable replies/s | p50 ms | p99 ms | errors | notification rows |"
echo "|---|---|---|---|---|---|"
[ -z "$BEFORE" ] || run before "$BEFORE" "$BODY"
run plain "$BIN" "$BODY"
name=$(sqlite3 "$T/plain/loulan.db" "SELECT username FROM member WHERE uid = (SELECT authorid FROM post WHERE tid = 5 LIMIT 1)")
run heavy "$BIN" "{\"body\":\"@$name 压测回复 bench reply: [b]楼兰[/b] 这是一条由 wrk 发出的回复，用来测量持续写入。\"}" 50

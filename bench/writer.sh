#!/usr/bin/env bash
# bench/writer.sh: the reply stream of bench/run.sh (`POST /api/v1/threads/2/posts`, bearer, 201 each,
# synchronous=FULL) on a fresh SQLite forum of 10,000 posts, and what the group commit writer thread
# spends on each (issue 16). LOULAN_BIN (default ./loulan) and, optionally, LOULAN_BIN_BEFORE
# alternate for BENCH_ROUNDS rounds (default 3), BENCH_DURATION seconds each (default 8).
# Prints one table row per run: replies/s, p50, p99, replies per COMMIT, KiB the server wrote to storage per
# reply (/proc/PID/io write_bytes: the WAL, checkpoints); then, for each binary, the
# writer thread's instructions per reply counted by callgrind (--separate-threads; the server under
# valgrind, BENCH_CG_DURATION seconds of the same stream at 16 connections; the writer's total
# divided by the jobs it ran) and its top functions, inclusive (BENCH_CALLGRIND=0 skips this).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
BEFORE=${LOULAN_BIN_BEFORE:-}
DUR=${BENCH_DURATION:-8}
ROUNDS=${BENCH_ROUNDS:-3}
HERE=$PWD/bench
BODY=${BENCH_BODY:-'{"body":"压测回复 bench reply: [b]楼兰[/b] 这是一条由 wrk 发出的回复，用来测量持续写入。"}'}
for t in wrk curl sqlite3 valgrind callgrind_annotate; do command -v $t >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }; done
T=$(mktemp -d /tmp/loulan-bench-writer.XXXXXX)
PID=
cleanup() {
	[ -z "$PID" ] || { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; }
	[ "${BENCH_KEEP:-0}" = 1 ] && echo "writer: kept $T" >&2 || rm -rf "$T"
}
trap cleanup EXIT

# serve LABEL BIN [WRAPPER...]: a fresh forum and its server ($PID), $url and $token set
serve() {
	local label=$1 bin=$2 d=$T/$1
	shift 2
	rm -rf "$d"
	"$bin" init --data "$d" >/dev/null
	"$bin" gen --data "$d" --boards 5 --threads 200 --posts 10000 --big 1000 >/dev/null 2>&1
	printf 'benchpass-%s\n' "$$" | "$bin" user add --data "$d" --name bench >/dev/null
	"$bin" config set --data "$d" post.flood_seconds 0 >/dev/null
	"$@" "$bin" serve --data "$d" --listen 127.0.0.1:0 --quiet 2>"$T/$label.err" &
	PID=$!
	local port=
	for _ in $(seq 600); do
		port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/$label.err")
		[ -n "$port" ] && break
		sleep 0.1
	done
	url=http://127.0.0.1:$port
	token=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"bench\",\"password\":\"benchpass-$$\"}" \
		"$url/api/v1/session" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
	cat "$HERE/reply.lua" "$HERE/report.lua" >"$T/reply-run.lua"
}
metric() { curl -sf "$url/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
written() { awk '$1 == "write_bytes:" {print $2}' "/proc/$PID/io"; }   # bytes the server had written to storage
stream() {   # stream LABEL CONNECTIONS SECONDS
	BENCH_TOKEN=$token BENCH_BODY=$BODY wrk -t2 -c"$2" -d"$3s" --timeout 30s -s "$T/reply-run.lua" \
		"$url/api/v1/threads/2/posts" >"$T/$1.out" 2>&1 || true
}
stop() {
	kill "$PID"
	wait "$PID" 2>/dev/null || true
	PID=
}

run() {
	local label=$1 line
	serve "$label" "$2"
	local j0 b0 w0
	j0=$(metric loulan_write_jobs_total)
	b0=$(metric loulan_write_batches_total)
	w0=$(written)
	stream "$label" 64 "$DUR"
	local jobs=$(($(metric loulan_write_jobs_total) - j0)) batches=$(($(metric loulan_write_batches_total) - b0))
	local wrote=$(($(written) - w0))
	line=$(grep '^RESULT' "$T/$label.out")
	eval "local ${line#RESULT }"
	printf '| %s | %s | %.2f | %.2f | %s | %.1f | %.1f |\n' "$label" \
		"$(echo "scale=1; ($requests - $status_errors) * 1000000 / $duration_us" | bc)" \
		"$(echo "scale=3; $p50_us / 1000" | bc)" "$(echo "scale=3; $p99_us / 1000" | bc)" "$((errors + status_errors))" \
		"$(echo "scale=1; $jobs / $batches" | bc)" "$(echo "scale=1; $wrote / 1024 / $jobs" | bc)"
	stop
}

# callgrind LABEL BIN: the writer thread's instructions per reply and its top functions
callgrind() {
	local label=cg-$1
	serve "$label" "$2" valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$T/$label.cg.%p"
	stream "$label" "${BENCH_CG_CONNECTIONS:-48}" "${BENCH_CG_DURATION:-20}"
	local jobs batches
	jobs=$(metric loulan_write_jobs_total)
	batches=$(metric loulan_write_batches_total)
	stop
	local f
	f=$(grep -l 'fn=.*batch_writer\|fn=.*http_resume\|fn=.*db_savepoint' "$T/$label".cg.*-* | head -1)
	local ir
	ir=$(sed -n 's/^summary: //p' "$f")
	callgrind_annotate --inclusive=yes "$f" 2>/dev/null >"$T/$label.top"
	# the batch's own work (BEGIN, the search index of its posts: PostgreSQL's per batch, SQLite's drain every
	# SEARCH_DRAIN_MS, COMMIT): few batches under valgrind
	# (its threads take turns), so it is shown per batch; the rest is each reply's
	local per_batch
	per_batch=$(awk '/src\/db\/db.c:db_commit$|src\/db\/db.c:db_begin$|src\/forum\/search.c:search_index_deferred$|src\/forum\/search.c:search_drain$/ \
		{gsub(",", "", $1); s += $1} END {print s + 0}' "$T/$label.top")
	echo "$1: writer thread $ir instructions, $jobs replies in $batches batches: $((ir / jobs)) per reply;" \
		"$(((ir - per_batch) / jobs)) per reply without the batch's BEGIN, search index and COMMIT ($((per_batch / batches)) per batch)"
	sed -n '/file:function/,$p' "$T/$label.top" | grep -v '^[0-9, ]*([0-9. ]*%)  /' | head -"${BENCH_CG_TOP:-45}"
}

echo "| run | durable replies/s | p50 ms | p99 ms | errors | replies / COMMIT | KiB written / reply |"
echo "|---|---|---|---|---|---|---|"
for r in $(seq "$ROUNDS"); do
	[ -z "$BEFORE" ] || run "before-$r" "$BEFORE"
	run "after-$r" "$BIN"
done
[ "${BENCH_CALLGRIND:-1}" = 1 ] || exit 0
[ -z "$BEFORE" ] || callgrind before "$BEFORE"
callgrind after "$BIN"

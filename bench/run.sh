#!/usr/bin/env bash
# bench/run.sh: loulan against nginx serving the very same bytes, on loopback.
# `make bench` runs it; it is not part of `make test`. See docs/PERFORMANCE.md.
#
#   bench/run.sh                 1,000,000 posts + one 100,000-floor thread (about 5 minutes)
#   BENCH_SMALL=1 bench/run.sh   100,000 posts + the same big thread, 3 s per wrk run
#
# Environment: LOULAN_BIN (default ./loulan), LOULAN_GEN_BIN (default LOULAN_BIN), BENCH_DURATION (wrk seconds, default 10),
# BENCH_DOC=0|1 (append the figures to docs/PERFORMANCE.md; default 1, 0 with BENCH_SMALL),
# BENCH_KEEP=1 keeps the temporary directory, BENCH_REPLY_BODY (JSON of one reply),
# BENCH_REV (the revision named in the report; default the checkout's HEAD).
# Everything listens on 127.0.0.1 only; nginx runs in the foreground under this script.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
GENBIN=${LOULAN_GEN_BIN:-$BIN}   # another build for `gen` while it is on a branch
HERE=$PWD/bench
SMALL=${BENCH_SMALL:-0}
if [ "$SMALL" = 1 ]; then
	BOARDS=5 THREADS=2000 POSTS=100000 BIG=100000 DUR=${BENCH_DURATION:-3} DOC=${BENCH_DOC:-0}
else
	BOARDS=20 THREADS=20000 POSTS=1000000 BIG=100000 DUR=${BENCH_DURATION:-10} DOC=${BENCH_DOC:-1}
fi
BIGPAGE=5000
WRK="wrk -t2 -c64 -d${DUR}s --timeout 5s"
REPLY_BODY=${BENCH_REPLY_BODY:-'{"body":"压测回复 bench reply: [b]楼兰[/b] 这是一条由 wrk 发出的回复，用来测量持续写入。"}'}
REPLY_TID=2   # the reply stream goes to this thread, after the page measurements

for t in wrk nginx curl gzip; do
	command -v $t >/dev/null || { echo "bench: $t is missing (scripts/deps.sh bench)" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "bench: $BIN not built (make loulan)" >&2; exit 1; }
NGINX=$(command -v nginx)

T=$(mktemp -d /tmp/loulan-bench.XXXXXX)
chmod 755 "$T"   # nginx workers (www-data when run as root) read www/
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
log() { printf 'bench: %s\n' "$*" >&2; }

# ---- data ------------------------------------------------------------------
now_s() { date +%s.%N; }
"$BIN" init --data "$T/big" >/dev/null
log "gen --boards $BOARDS --threads $THREADS --posts $POSTS --big $BIG"
t0=$(now_s)
"$GENBIN" gen --data "$T/big" --boards $BOARDS --threads $THREADS --posts $POSTS --big $BIG --no-index >"$T/gen.out" 2>"$T/gen.err"
GEN_S=$(echo "$(now_s) - $t0" | bc)
BIGTID=$(sed -n 's|^big thread: /t/\([0-9]*\).*|\1|p' "$T/gen.out")
[ -n "$BIGTID" ] || { cat "$T/gen.out" "$T/gen.err" >&2; echo "bench: gen printed no big thread" >&2; exit 1; }
DBSIZE=$(du -m "$T/big/loulan.db" | cut -f1)
"$BIN" init --data "$T/small" >/dev/null
"$GENBIN" gen --data "$T/small" --boards 5 --threads 200 --posts 10000 --big 1000 --no-index >"$T/gen-small.out" 2>/dev/null
SMALLTID=$(sed -n 's|^big thread: /t/\([0-9]*\).*|\1|p' "$T/gen-small.out")
printf 'benchpass-%s\n' "$$" | "$BIN" user add --data "$T/big" --name bench >/dev/null
"$BIN" config set --data "$T/big" post.flood_seconds 0 >/dev/null   # one member posts the whole stream
printf 'benchpass-%s\n' "$$" | "$BIN" user add --data "$T/big" --name benchadmin --admin >/dev/null   # sticks threads below

# ---- servers ---------------------------------------------------------------
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		(exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }
	done
}
# start_loulan DATA NAME: sets LPID and LPORT
start_loulan() {
	"$BIN" serve --data "$1" --listen 127.0.0.1:0 --quiet 2>"$T/$2.err" &
	LPID=$!
	PIDS+=("$LPID")
	for _ in $(seq 100); do
		LPORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/$2.err")
		[ -n "$LPORT" ] && return 0
		sleep 0.1
	done
	cat "$T/$2.err" >&2
	echo "bench: loulan did not start" >&2
	exit 1
}
start_loulan "$T/big" loulan
L=http://127.0.0.1:$LPORT

# the pages: name|path
BOARD=$(curl -sf "$L/" | grep -o 'href="/f/[0-9]*"' | head -1 | sed 's/href="\(.*\)"/\1/')
# a board page with stickies of levels 1-3 (moderation, issue #12): a thread of the second board stuck
# at level 1, threads of the third at levels 2 (category) and 3 (global), all through the API
BOARDS_F=$(curl -sf "$L/" | grep -o 'href="/f/[0-9]*"' | sed 's/href="\/f\/\(.*\)"/\1/' | awk '!s[$0]++')
SB=$(echo "$BOARDS_F" | sed -n 2p) SB3=$(echo "$BOARDS_F" | sed -n 3p)
ATOKEN=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"benchadmin\",\"password\":\"benchpass-$$\"}" \
	"$L/api/v1/session" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p' || true)
stick() { # stick FID LEVEL N: the board's Nth listed thread
	local tid
	tid=$(curl -sf "$L/api/v1/boards/$1/threads" | grep -o '"tid":[0-9]*' | sed -n "$3p" | cut -d: -f2)
	curl -sf -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $ATOKEN" \
		-d "{\"action\":\"stick\",\"level\":$2}" "$L/api/v1/threads/$tid/moderate" || log "warning: stick $1 level $2 failed"
}
stick "$SB" 1 1; stick "$SB3" 2 1; stick "$SB3" 3 2
PAGES="index|/
board|$BOARD
boardsticky|/f/$SB
thread|/t/1
big1|/t/$BIGTID
big5000|/t/$BIGTID?page=$BIGPAGE"

# log in through the web form: csrf cookie and token, then the session cookie
J=$T/cookies
curl -sf -c "$J" "$L/login" >"$T/login.html"
CSRF=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/login.html" | sed 's/.*value="\(.*\)"/\1/')
curl -s -o /dev/null -b "$J" -c "$J" --data-urlencode "username=bench" --data-urlencode "password=benchpass-$$" \
	--data-urlencode "csrf=$CSRF" "$L/login"
SID=$(awk '$6 == "loulan_sid" { print $7 }' "$J")
[ -n "$SID" ] || { echo "bench: web login failed" >&2; exit 1; }
COOKIE="loulan_sid=$SID"

# fetch the bytes loulan sends; nginx will serve exactly these
W=$T/www
mkdir -p "$W/s" "$W/z"
fetch() { # fetch NAME PATH DIR [cookie]
	local h=()
	[ -n "${4:-}" ] && h=(-H "Cookie: $4")
	curl -sf -H 'Accept-Encoding: gzip' "${h[@]}" -D "$3/$1.headers" -o "$3/$1.html.gz" "$L$2"
	gzip -dc "$3/$1.html.gz" >"$3/$1.html"
	touch -r "$3/$1.html" "$3/$1.html.gz"
}
# guest pages are measured as cache hits (steady state): the first fetch fills
# the cache, the second must be a hit; nginx serves the hit's bytes
while IFS='|' read -r name path; do
	fetch "$name" "$path" "$W/s"
	fetch "$name" "$path" "$W/s"
	grep -qi '^X-Loulan-Cache: hit' "$W/s/$name.headers" && grep -q 'Cache On' "$W/s/$name.html" ||
		{ echo "bench: $path is not a cache hit for a guest (X-Loulan-Cache / footer)" >&2; exit 1; }
done <<<"$PAGES"
fetch big5000-member "/t/$BIGTID?page=$BIGPAGE" "$W/z" "$COOKIE"
cp "$W/s/big1.html" "$W/z/big1.html"
grep -q '退出\|logout' "$W/z/big5000-member.html" || log "warning: the member page does not look logged in"

NPORT=$(free_port)
CSP="default-src 'self'; img-src 'self' http: https: data:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
mkdir -p "$T/nginx"
cat >"$T/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nodelay on;
	keepalive_requests 1000000;
	client_body_temp_path $T/nginx/body;
	proxy_temp_path $T/nginx/proxy;
	fastcgi_temp_path $T/nginx/fastcgi;
	uwsgi_temp_path $T/nginx/uwsgi;
	scgi_temp_path $T/nginx/scgi;
	types { text/html html; }
	charset utf-8;
	server {
		listen 127.0.0.1:$NPORT;
		root $W;
		# the headers loulan sends with a page, so that both answer with the same bytes
		add_header Content-Security-Policy "$CSP";
		add_header Cache-Control no-cache;
		add_header Referrer-Policy same-origin;
		add_header X-Content-Type-Options nosniff;
		add_header Vary Accept-Encoding;
		location /s/ { gzip_static on; }
		location /z/ { gzip on; gzip_comp_level 1; gzip_min_length 256; }
	}
}
EOF
"$NGINX" -c "$T/nginx/nginx.conf" -p "$T/nginx" -e "$T/nginx/error.log" &
PIDS+=($!)
N=http://127.0.0.1:$NPORT
for _ in $(seq 50); do curl -sf -o /dev/null "$N/s/index.html" && break; sleep 0.1; done
curl -sf -o /dev/null "$N/s/index.html" || { cat "$T/nginx/error.log" >&2; echo "bench: nginx did not start" >&2; exit 1; }
[ "$(curl -sf -H 'Accept-Encoding: gzip' "$N/s/thread.html" | cmp - "$W/s/thread.html.gz" && echo same)" = same ] ||
	{ echo "bench: nginx does not serve the precompressed bytes" >&2; exit 1; }

# ---- measurements ----------------------------------------------------------
# run_wrk LABEL URL [header...]: appends "LABEL rps p50_us p99_us bytes_per_response" to $R
R=$T/results
: >"$R"
run_wrk() {
	local label=$1 url=$2
	shift 2
	local hs=()
	for h in "$@"; do hs+=(-H "$h"); done
	$WRK -s "$HERE/report.lua" "${hs[@]}" "$url" >"$T/wrk-$label.out" 2>&1 || true
	local line
	line=$(grep '^RESULT' "$T/wrk-$label.out" || true)
	if [ -z "$line" ]; then
		cat "$T/wrk-$label.out" >&2
		echo "$label 0 0 0 0 fail" >>"$R"
		return
	fi
	eval "local ${line#RESULT }"
	local rps bpr
	rps=$(echo "scale=1; $requests * 1000000 / $duration_us" | bc)
	bpr=$((requests > 0 ? bytes / requests : 0))
	echo "$label $rps $p50_us $p99_us $bpr $((errors + status_errors))" >>"$R"
	log "$label: $rps req/s, p50 ${p50_us}us, p99 ${p99_us}us, $bpr B/response, errors $((errors + status_errors))"
}
GZ='Accept-Encoding: gzip'
while IFS='|' read -r name path; do
	curl -sf -o /dev/null -H "$GZ" "$L$path"   # entries live 60 s: refill before the run
	run_wrk "loulan-$name" "$L$path" "$GZ"
	run_wrk "nginx-$name" "$N/s/$name.html" "$GZ"
done <<<"$PAGES"
curl -sf -o /dev/null "$L/t/1"
run_wrk loulan-thread-plain "$L/t/1"
run_wrk nginx-thread-plain "$N/s/thread.html"
run_wrk loulan-big5000-member "$L/t/$BIGTID?page=$BIGPAGE" "$GZ" "Cookie: $COOKIE"
run_wrk nginx-big5000-member "$N/z/big5000-member.html" "$GZ"
RSS_KB=$(awk '/^VmRSS/ { print $2 }' "/proc/$LPID/status")   # before the misses fill the page cache
# guest misses (issue 16): every request a page nobody read yet (bench/miss.lua), against nginx
# compressing a saved thread page on the fly (gzip level 1): what a crawler costs each
cp "$W/s/thread.html" "$W/z/thread.html"
cat "$HERE/miss.lua" "$HERE/report.lua" >"$T/miss-run.lua"
BENCH_MISS_THREADS=$THREADS BENCH_MISS_BIGTID=$BIGTID $WRK -s "$T/miss-run.lua" -H "$GZ" "$L/" >"$T/wrk-loulan-miss.out" 2>&1 || true
line=$(grep '^RESULT' "$T/wrk-loulan-miss.out" || true)
if [ -n "$line" ]; then
	eval "${line#RESULT }"
	# only answered pages count: past the big thread's last page bench/miss.lua gets cheap 404s
	echo "loulan-miss $(echo "scale=1; ($requests - $status_errors) * 1000000 / $duration_us" | bc) $p50_us $p99_us $((bytes / (requests > 0 ? requests : 1))) $((errors + status_errors))" >>"$R"
	MISS_N=$((requests - status_errors))
fi
run_wrk nginx-miss "$N/z/thread.html" "$GZ"

# the reply stream: only when the posting API exists
TOKEN=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"bench\",\"password\":\"benchpass-$$\"}" \
	"$L/api/v1/session" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p' || true)
REPLY_NOTE=""
if [ -z "$TOKEN" ]; then
	REPLY_NOTE="skipped: no bearer token from POST /api/v1/session"
else
	code=$(curl -s -o "$T/reply.json" -w '%{http_code}' -H 'Content-Type: application/json' \
		-H "Authorization: Bearer $TOKEN" -d "$REPLY_BODY" "$L/api/v1/threads/$REPLY_TID/posts")
	if [ "$code" = 200 ] || [ "$code" = 201 ]; then
		cat "$HERE/reply.lua" "$HERE/report.lua" >"$T/reply-run.lua"
		BENCH_TOKEN=$TOKEN BENCH_BODY=$REPLY_BODY $WRK -s "$T/reply-run.lua" "$L/api/v1/threads/$REPLY_TID/posts" \
			>"$T/wrk-reply.out" 2>&1 || true
		line=$(grep '^RESULT' "$T/wrk-reply.out" || true)
		if [ -n "$line" ]; then
			eval "${line#RESULT }"
			echo "loulan-reply $(echo "scale=1; ($requests - $status_errors) * 1000000 / $duration_us" | bc) $p50_us $p99_us $((bytes / (requests > 0 ? requests : 1))) $((errors + status_errors))" >>"$R"
			[ $((errors + status_errors)) = 0 ] || REPLY_NOTE="$((errors + status_errors)) replies failed (rate limit or errors); only 2xx count as durable"
		else
			REPLY_NOTE="wrk failed"
		fi
	else
		REPLY_NOTE="skipped: POST /api/v1/threads/{tid}/posts answered $code (the posting API is not on main yet)"
	fi
fi

RSS_MISS_KB=$(awk '/^VmRSS/ { print $2 }' "/proc/$LPID/status")
# --cache-mb: the page cache's bound plus SQLite's share (older binaries: the page cache's alone)
BUDGET_B=$(curl -sf "$L/metrics" | awk '$1 == "loulan_memory_budget_bytes" { t = $2 } $1 == "loulan_page_cache_budget_bytes" { p = $2 }
	END { if (t != "") print t; else if (p != "") print p }' || true)
kill "$LPID"; wait "$LPID" 2>/dev/null || true

# the same thread page on a 10,000-post forum
start_loulan "$T/small" loulan-small
curl -sf -o /dev/null -H "$GZ" "http://127.0.0.1:$LPORT/t/$SMALLTID"
run_wrk loulan-small-big1 "http://127.0.0.1:$LPORT/t/$SMALLTID" "$GZ"
kill "$LPID"; wait "$LPID" 2>/dev/null || true

# ---- report ----------------------------------------------------------------
get() { awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$R"; }
ratio() { [ "$(echo "$2 > 0" | bc)" = 1 ] && echo "scale=2; $1 / $2" | bc | sed 's/^\./0./' || echo "-"; }
queries() { grep -o '[0-9]* queries' "$1" | head -1 | cut -d' ' -f1; }
bodygz() { stat -c %s "$1"; }
ms() { echo "scale=2; $1 / 1000" | bc | sed 's/^\./0./'; }
hostinfo="$(nproc) cores, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
rev=${BENCH_REV:-$(git rev-parse --short HEAD 2>/dev/null || echo "?")}
out=$T/report.md
{
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — $rev$([ "$SMALL" = 1 ] && echo ', BENCH_SMALL')"
	echo
	echo "Data: $BOARDS boards, $THREADS threads, $POSTS posts + one $BIG-floor thread (/t/$BIGTID), ${DBSIZE} MB;"
	echo "\`loulan gen\` took ${GEN_S%??????} s. wrk -t2 -c64 -d${DUR}s on 127.0.0.1; $hostinfo;"
	echo "loulan and nginx with 2 workers each, on a machine shared with other work (figures are noisy)."
	echo
	echo "Guest pages are measured as page-cache hits (warmed first; \`X-Loulan-Cache: hit\`, footer \`Cache On\`): a hit runs"
	echo "0 queries; the queries column is the footer's \`N queries\`, i.e. the render that filled the entry."
	echo
	echo "| page | loulan req/s | p50 ms | p99 ms | nginx req/s | p50 ms | p99 ms | loulan ÷ nginx | body gz B | B/response | queries |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	row() { # row LABEL LOULANKEY NGINXKEY FILE
		echo "| $1 | $(get "$2" 2) | $(ms "$(get "$2" 3)") | $(ms "$(get "$2" 4)") | $(get "$3" 2) | $(ms "$(get "$3" 3)") | $(ms "$(get "$3" 4)") | $(ratio "$(get "$2" 2)" "$(get "$3" 2)") | $(bodygz "$4.gz") | $(get "$2" 5) | $(queries "$4") |"
	}
	row "index \`/\` (guest, gzip)" loulan-index nginx-index "$W/s/index.html"
	row "board \`$BOARD\` (guest, gzip)" loulan-board nginx-board "$W/s/board.html"
	row "board \`/f/$SB\` with stickies of levels 1-3 (guest, gzip)" loulan-boardsticky nginx-boardsticky "$W/s/boardsticky.html"
	row "thread \`/t/1\` (guest, gzip)" loulan-thread nginx-thread "$W/s/thread.html"
	row "thread \`/t/1\` (guest, no gzip)" loulan-thread-plain nginx-thread-plain "$W/s/thread.html"
	row "big thread page 1 (guest, gzip)" loulan-big1 nginx-big1 "$W/s/big1.html"
	row "big thread page $BIGPAGE (guest, gzip)" loulan-big5000 nginx-big5000 "$W/s/big5000.html"
	row "big thread page $BIGPAGE (member, gzip; nginx gzip level 1 on the fly)" loulan-big5000-member nginx-big5000-member "$W/z/big5000-member.html"
	row "guest misses: ${MISS_N:-?} distinct thread pages, each once (gzip; nginx gzip level 1 on the fly of \`/t/1\`)" loulan-miss nginx-miss "$W/s/thread.html"
	echo "| big thread page 1 on a 10,000-post forum (guest, gzip) | $(get loulan-small-big1 2) | $(ms "$(get loulan-small-big1 3)") | $(ms "$(get loulan-small-big1 4)") | | | | | | $(get loulan-small-big1 5) | |"
	if [ -n "$(get loulan-reply 2)" ]; then
		echo "| reply stream \`POST /api/v1/threads/$REPLY_TID/posts\` (bearer, 201 each) | $(get loulan-reply 2) | $(ms "$(get loulan-reply 3)") | $(ms "$(get loulan-reply 4)") | | | | | | $(get loulan-reply 5) | |"
	fi
	echo
	echo "Server RSS after the page runs: $((RSS_KB / 1024)) MB (VmRSS $RSS_KB kB); after the guest misses filled the page"
	echo "cache (budget ${BUDGET_B:-?} B) and the reply stream: $((RSS_MISS_KB / 1024)) MB (VmRSS $RSS_MISS_KB kB)."
	[ -n "$REPLY_NOTE" ] && echo "Reply stream: $REPLY_NOTE."
	echo
	echo "| target | figure | met? |"
	echo "|---|---|---|"
	target() { # target TEXT FIGURE OK(1/0) MARGIN
		echo "| $1 | $2 | $([ "$3" = 1 ] && echo met || echo "**missed** $4") |"
	}
	r=$(ratio "$(get loulan-thread 2)" "$(get nginx-thread 2)")
	target "guest thread page ≥ 0.70 × nginx precompressed" "$r ×" "$(echo "$r >= 0.70" | bc)" "(by $(echo "scale=0; (0.70 - $r) * 100 / 0.70" | bc)%)"
	r=$(ratio "$(get loulan-big5000-member 2)" "$(get nginx-big5000-member 2)")
	target "member thread page ≥ 2 × nginx gzip level 1 on the fly" "$r ×" "$(echo "$r >= 2" | bc)" "(by $(echo "scale=0; (2 - $r) * 100 / 2" | bc)%)"
	r=$(ratio "$(get loulan-miss 2)" "$(get nginx-miss 2)")
	target "a guest miss ≥ 1.0 × nginx gzip level 1 on the fly (issue 16)" "$r ×" "$(echo "${r/-/0} >= 1" | bc)" "(by $(echo "scale=0; (1 - ${r/-/0}) * 100" | bc)%)"
	qmax=0
	for f in "$W"/s/*.html "$W"/z/big5000-member.html; do q=$(queries "$f"); [ "${q:-99}" -gt $qmax ] && qmax=${q:-99}; done
	target "≤ 3 queries on every page" "at most $qmax" "$([ $qmax -le 3 ] && echo 1 || echo 0)" "($qmax queries)"
	r=$(ratio "$(get loulan-big1 2)" "$(get loulan-big5000 2)")
	target "page $BIGPAGE of the $BIG-floor thread within 1.2 × page 1 (req/s ratio page 1 ÷ page $BIGPAGE)" "$r ×" "$(echo "$r <= 1.2" | bc)" "(by $(echo "scale=0; ($r - 1.2) * 100 / 1.2" | bc)%)"
	r=$(ratio "$(get loulan-small-big1 2)" "$(get loulan-big1 2)")
	target "thread page at $POSTS posts within 1.2 × the same page at 10,000 posts (req/s ratio)" "$r ×" "$(echo "$r <= 1.2" | bc)" "(by $(echo "scale=0; ($r - 1.2) * 100 / 1.2" | bc)%)"
	if [ -n "${BUDGET_B:-}" ]; then
		lim=$((BUDGET_B / 1024 + 24 * 1024))
		target "RSS ≤ --cache-mb budget + 24 MB after the guest misses (issue 16)" "$((RSS_MISS_KB / 1024)) MB (budget $((BUDGET_B >> 20)) MiB)" "$([ "$RSS_MISS_KB" -le $lim ] && echo 1 || echo 0)" "(by $(((RSS_MISS_KB - lim) / 1024)) MB)"
	fi
	target "RSS ≤ 64 MB after the page runs (on $POSTS posts)" "$((RSS_KB / 1024)) MB" "$([ "$RSS_KB" -le 65536 ] && echo 1 || echo 0)" "(by $(((RSS_KB - 65536) / 1024)) MB)"
	if [ -n "$(get loulan-reply 2)" ] && [ -z "$REPLY_NOTE" ]; then
		r=$(get loulan-reply 2)
		target "≥ 1,000 durable replies/s on SQLite" "$r /s" "$(echo "$r >= 1000" | bc)" "(by $(echo "scale=0; (1000 - $r) * 100 / 1000" | bc)%)"
		target "≥ 10,000 durable replies/s on SQLite, group commit (issue 16)" "$r /s" "$(echo "$r >= 10000" | bc)" "(by $(echo "scale=0; (10000 - $r) * 100 / 10000" | bc)%)"
	else
		echo "| ≥ 1,000 durable replies/s on SQLite | not measured | — |"
	fi
	target "\`loulan gen\` of $POSTS posts + $BIG floors under 60 s" "${GEN_S%??????} s" "$(echo "$GEN_S < 60" | bc)" "(by $(echo "scale=1; $GEN_S - 60" | bc) s)"
} >"$out"
cat "$out"
if [ "$DOC" = 1 ]; then
	cat "$out" >>docs/PERFORMANCE.md
	log "appended to docs/PERFORMANCE.md"
fi
# search (bench/search.sh): indexes the big forum (timed) and measures queries; BENCH_SEARCH=0 skips
if [ "${BENCH_SEARCH:-1}" = 1 ]; then
	LOULAN_BIN=$BIN SEARCH_DOC=$DOC bench/search.sh "$T/big"
fi

#!/usr/bin/env bash
# bench/callgrind.sh: instructions per request, counted by callgrind; repeatable
# on a noisy machine where req/s is not.
#
#   bench/callgrind.sh [DATA_DIR]     (default: a fresh forum, BENCH_POSTS posts + a 100,000-floor thread)
#
# loulan runs under valgrind with one worker. Collection is on only inside
# on_request (the whole request: routing, queries, template, gzip, queueing);
# after WARM warm-up requests the counters are zeroed, then N requests per page
# are made one after another with curl. Prints Ir/request per page and the top
# functions (inclusive) of the guest thread page. Environment: LOULAN_BIN,
# LOULAN_GEN_BIN, BENCH_N (default 200), BENCH_POSTS (default 100000).
# BENCH_MISS_ONLY=1 (issue 16): only misses, each page once: guest thread pages, a member's
# thread pages, guest board pages (BENCH_BOARD_PAGES per board of boards 1-5, default 20), each
# with its top functions, and nginx at gzip level 1 over the guest misses' very bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
GENBIN=${LOULAN_GEN_BIN:-$BIN}
NREQ=${BENCH_N:-200}
WARM=20
for t in valgrind callgrind_annotate callgrind_control curl; do
	command -v $t >/dev/null || { echo "callgrind: $t is missing (scripts/deps.sh bench)" >&2; exit 1; }
done
T=$(mktemp -d /tmp/loulan-callgrind.XXXXXX)
VPID=""
cleanup() {
	[ -n "$VPID" ] && kill "$VPID" 2>/dev/null && wait "$VPID" 2>/dev/null
	[ "${BENCH_KEEP:-0}" = 1 ] && echo "callgrind: kept $T" >&2 || rm -rf "$T"
}
trap cleanup EXIT

DATA=${1:-}
if [ -z "$DATA" ]; then
	DATA=$T/data
	"$BIN" init --data "$DATA" >/dev/null
	"$GENBIN" gen --data "$DATA" --boards 5 --threads 2000 --posts "${BENCH_POSTS:-100000}" --big 100000 \
		>"$T/gen.out" 2>/dev/null
fi
# the member for the logged-in page (already there when DATA_DIR was measured before)
printf 'callgrind-pass\n' | "$BIN" user add --data "$DATA" --name cgbench >/dev/null 2>&1 || true
BIGTID=${BENCH_BIGTID:-$(sed -n 's|^big thread: /t/\([0-9]*\).*|\1|p' "$T/gen.out" 2>/dev/null || true)}

valgrind --tool=callgrind --collect-atstart=no --toggle-collect=on_request --dump-instr=no \
	--callgrind-out-file="$T/cg.out.%p" "$BIN" serve --data "$DATA" --listen 127.0.0.1:0 --workers 1 --quiet \
	2>"$T/serve.err" &
VPID=$!
for _ in $(seq 300); do
	PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/serve.err")
	[ -n "$PORT" ] && break
	sleep 0.1
done
[ -n "${PORT:-}" ] || { cat "$T/serve.err" >&2; exit 1; }
L=http://127.0.0.1:$PORT

COOKIE=""
if :; then
	J=$T/cookies
	curl -sf -c "$J" "$L/login" >"$T/login.html"
	CSRF=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/login.html" | sed 's/.*value="\(.*\)"/\1/')
	curl -s -o /dev/null -b "$J" -c "$J" --data-urlencode username=cgbench --data-urlencode password=callgrind-pass \
		--data-urlencode "csrf=$CSRF" "$L/login"
	SID=$(awk '$6 == "loulan_sid" { print $7 }' "$J")
	[ -n "$SID" ] && COOKIE="loulan_sid=$SID"
fi

# dump NAME COUNT: the counters since the last zeroing as $T/NAME.cg; prints Ir per request
dump() {
	callgrind_control -d "$1" "$VPID" >/dev/null 2>&1
	local f ir
	f=$(ls -t "$T"/cg.out.*.* 2>/dev/null | head -1)
	mv "$f" "$T/$1.cg"
	ir=$(callgrind_annotate "$T/$1.cg" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
	printf '%-28s %12s Ir/request\n' "$1" "$((ir / $2))"
}

# measure NAME PATH [cookie]: Ir per request for N gzip'd requests of PATH
measure() {
	local name=$1 path=$2 h=(-H 'Accept-Encoding: gzip')
	[ -n "${3:-}" ] && h+=(-H "Cookie: $3")
	local urls=()
	for _ in $(seq $WARM); do urls+=("$L$path" -o /dev/null); done
	curl -s "${h[@]}" "${urls[@]}"
	callgrind_control -z "$VPID" >/dev/null 2>&1
	urls=()
	for _ in $(seq "$NREQ"); do urls+=("$L$path" -o /dev/null); done
	curl -s "${h[@]}" "${urls[@]}"
	dump "$name" "$NREQ"
}
# measure_miss NAME FIRST COUNT PATTERN: Ir per request over COUNT distinct pages (PATTERN's %d from
# FIRST on), each fetched once, so each is a guest cache miss (render, compress, store); the warm-up
# uses the WARM pages before FIRST. Only the pages' own parameters vary (unknown ones are no key).
measure_miss() {
	local name=$1 first=$2 cnt=$3 pat=$4 h=(-H 'Accept-Encoding: gzip') urls=() i
	for ((i = first - WARM; i < first; i++)); do urls+=("$L$(printf "$pat" "$i")" -o /dev/null); done
	curl -s "${h[@]}" "${urls[@]}"
	callgrind_control -z "$VPID" >/dev/null 2>&1
	urls=()
	for ((i = first; i < first + cnt; i++)); do urls+=("$L$(printf "$pat" "$i")" -o /dev/null); done
	curl -s "${h[@]}" "${urls[@]}"
	dump "$name" "$cnt"
}
# measure_list NAME COOKIE PATH...: the first WARM paths warm up, the rest are measured, each once
# (distinct pages: each a cache miss). COOKIE may be empty (a guest).
measure_list() {
	local name=$1 cookie=$2 h=(-H 'Accept-Encoding: gzip') urls=() i=0 p
	shift 2
	[ -n "$cookie" ] && h+=(-H "Cookie: $cookie")
	for p in "${@:1:$WARM}"; do urls+=("$L$p" -o /dev/null); done
	curl -s "${h[@]}" "${urls[@]}"
	callgrind_control -z "$VPID" >/dev/null 2>&1
	urls=()
	for p in "${@:$((WARM + 1))}"; do urls+=("$L$p" -o /dev/null); i=$((i + 1)); done
	curl -s "${h[@]}" "${urls[@]}"
	dump "$name" "$i"
}
# BENCH_MISS_ONLY=1: only the misses of the three page kinds (issue 16), each with its top functions
if [ "${BENCH_MISS_ONLY:-0}" = 1 ]; then
	echo "callgrind: misses, each page once after $WARM warm-up, 1 worker, Accept-Encoding: gzip"
	paths=()
	for ((i = 100 - WARM; i < 100 + NREQ; i++)); do paths+=("/t/$i"); done
	measure_list thread-miss "" "${paths[@]}"
	paths=()
	for ((i = 300 - WARM; i < 300 + NREQ; i++)); do paths+=("/t/$i"); done
	[ -n "$COOKIE" ] && measure_list thread-miss-member "$COOKIE" "${paths[@]}"
	paths=()
	for b in 5 4 3 2 1; do for ((i = 1; i <= ${BENCH_BOARD_PAGES:-20}; i++)); do paths+=("/f/$b?page=$i"); done; done
	measure_list board-miss "" "${paths[@]}"
	# nginx compressing the same bytes at gzip level 1 (the target's yardstick), counted the same way:
	# one worker under callgrind, counters zeroed after the warm-up; the pages are the guest thread
	# misses' very bytes (fetched again, plain, now from the cache), each compressed once
	if command -v nginx >/dev/null; then
		mkdir -p "$T/ngx/www" "$T/ngx/tmp"
		urls=()
		for ((i = 100 - WARM; i < 100 + NREQ; i++)); do urls+=("$L/t/$i" -o "$T/ngx/www/t$i.html"); done
		curl -s "${urls[@]}"
		cat >"$T/ngx/nginx.conf" <<-EOF
			daemon off; master_process off; worker_processes 1;
			pid $T/ngx/nginx.pid; error_log $T/ngx/error.log warn;
			events { worker_connections 64; }
			http {
				access_log off; sendfile on; tcp_nodelay on; types { text/html html; } charset utf-8;
				client_body_temp_path $T/ngx/tmp; proxy_temp_path $T/ngx/tmp; fastcgi_temp_path $T/ngx/tmp;
				uwsgi_temp_path $T/ngx/tmp; scgi_temp_path $T/ngx/tmp;
				server { listen 127.0.0.1:${BENCH_NGINX_PORT:-18916}; root $T/ngx/www;
					gzip on; gzip_comp_level 1; gzip_min_length 256; }
			}
		EOF
		valgrind --tool=callgrind --callgrind-out-file="$T/ngx.%p" nginx -c "$T/ngx/nginx.conf" -p "$T/ngx" \
			-e "$T/ngx/error.log" 2>"$T/ngx/valgrind.err" &
		NPID=$!
		NU=http://127.0.0.1:${BENCH_NGINX_PORT:-18916}
		for _ in $(seq 100); do curl -sf -o /dev/null "$NU/t100.html" && break; sleep 0.2; done
		urls=()
		for ((i = 100 - WARM; i < 100; i++)); do urls+=("$NU/t$i.html" -o /dev/null); done
		curl -s -H 'Accept-Encoding: gzip' "${urls[@]}"
		callgrind_control -z "$NPID" >/dev/null 2>&1
		urls=()
		for ((i = 100; i < 100 + NREQ; i++)); do urls+=("$NU/t$i.html" -o /dev/null); done
		curl -s -H 'Accept-Encoding: gzip' "${urls[@]}"
		callgrind_control -d nginx "$NPID" >/dev/null 2>&1
		f=$(ls -t "$T"/ngx.*.* 2>/dev/null | head -1)
		ir=$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
		kill "$NPID" 2>/dev/null; wait "$NPID" 2>/dev/null || true
		local_b=0
		for ((i = 100; i < 100 + NREQ; i++)); do local_b=$((local_b + $(wc -c <"$T/ngx/www/t$i.html"))); done
		printf '%-28s %12s Ir/request (the thread-miss pages, %s B plain on average)\n' nginx-gzip1-same-pages \
			"$((ir / NREQ))" "$((local_b / NREQ))"
	fi
	for n in thread-miss thread-miss-member board-miss; do
		[ -f "$T/$n.cg" ] || continue
		echo
		echo "top functions, $n, inclusive Ir per request:"
		callgrind_annotate --threshold=100 --auto=no --inclusive=yes "$T/$n.cg" 2>/dev/null | head -70 | tail -58
	done
	exit 0
fi
echo "callgrind: $NREQ requests per page after $WARM warm-up, 1 worker, Accept-Encoding: gzip"
measure_miss thread-miss 100 "$NREQ" /t/%d
[ -n "$BIGTID" ] && measure_miss big-miss 100 "$NREQ" "/t/$BIGTID?page=%d"
measure index /
measure thread /t/1
[ -n "$BIGTID" ] && measure big1 "/t/$BIGTID"
[ -n "$BIGTID" ] && measure big5000 "/t/$BIGTID?page=5000"
[ -n "$COOKIE" ] && [ -n "$BIGTID" ] && measure big5000-member "/t/$BIGTID?page=5000" "$COOKIE"
# a board's page 1 and a numbered jump deep into it, as a member (rendered every time: no cache);
# BENCH_BOARD_PAGE (default 20) must exist: 20 threads a page
[ -n "$COOKIE" ] && measure board1-member /f/1 "$COOKIE"
[ -n "$COOKIE" ] && measure "board${BENCH_BOARD_PAGE:-20}-member" "/f/1?page=${BENCH_BOARD_PAGE:-20}" "$COOKIE"
# top N functions of a profile, per request; $2 = yes for inclusive cost
top() {
	callgrind_annotate --threshold=100 --auto=no --inclusive="$2" "$T/thread.cg" 2>/dev/null | awk -v n="$NREQ" -v max="$3" '
		/file:function/ { on = 1; next }
		on && $1 ~ /^[0-9,]+$/ && !/clone.S|start_thread|PROGRAM TOTALS|libmicrohttpd/ && shown < max {
			ir = $1; gsub(",", "", ir); fn = $0; sub(/^ *[0-9,]+ *(\([^)]*\))? */, "", fn)
			sub(/ \[.*\]$/, "", fn); sub(/^.*\//, "", fn)
			printf "  %10d  %s\n", ir / n, fn; shown++ }' | awk '!seen[$2]++'
}
echo
echo "top functions, guest thread page /t/1, inclusive Ir per request:"
top thread yes 30
echo
echo "top functions, guest thread page /t/1, self Ir per request:"
top thread no 20
cp "$T/thread-miss.cg" "$T/thread.cg"
echo
echo "top functions, guest thread page miss (/t/N, each once), inclusive Ir per request:"
top thread yes 30
if [ -f "$T/big5000-member.cg" ]; then
	cp "$T/big5000-member.cg" "$T/thread.cg"
	echo
	echo "top functions, member big thread page 5000, inclusive Ir per request:"
	top thread yes 40
fi

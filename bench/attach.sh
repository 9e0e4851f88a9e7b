#!/usr/bin/env bash
# bench/attach.sh: attachments (issue #13). A hot inline image served by loulan
# (/a/N/display: the blob from the in-memory LRU, ETag and immutable caching) against
# nginx serving the very same bytes from a file with the same headers; and upload
# throughput through POST /api/v1/attachments (JPEGs decoded, stripped and resized
# by libvips; text files streamed to the database's chunks). `make bench` runs it
# after bench/run.sh. Environment: LOULAN_BIN (default ./loulan), BENCH_DURATION
# (wrk seconds, default 10), BENCH_DOC=0|1 (append to docs/PERFORMANCE.md, default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
DUR=${BENCH_DURATION:-10}
DOC=${BENCH_DOC:-1}
HERE=$PWD/bench
WRK="wrk -t2 -c64 -d${DUR}s --timeout 5s"
for t in wrk nginx curl vips; do
	command -v $t >/dev/null || { echo "bench: $t is missing (scripts/deps.sh bench; vips: libvips-tools)" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "bench: $BIN not built (make loulan)" >&2; exit 1; }
T=$(mktemp -d /tmp/loulan-bench-att.XXXXXX)
chmod 755 "$T"
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT
log() { printf 'bench: %s\n' "$*" >&2; }
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		(exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }
	done
}

"$BIN" init --data "$T/f" --demo >/dev/null
printf 'benchpass-%s\n' "$$" | "$BIN" user add --data "$T/f" --name bench >/dev/null
"$BIN" config set --data "$T/f" attach.daily_bytes '*=0' >/dev/null
LPORT=$(free_port)
"$BIN" serve --data "$T/f" --listen 127.0.0.1:$LPORT --workers 2 --quiet 2>"$T/serve.err" &
PIDS+=($!)
L=http://127.0.0.1:$LPORT
for _ in $(seq 100); do curl -sf -o /dev/null "$L/" && break; sleep 0.1; done
TOKEN=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"bench\",\"password\":\"benchpass-$$\"}" "$L/api/v1/session" |
	sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "bench: no API token" >&2; exit 1; }

# the demo's first picture, display size (a 1600 px JPEG)
AID=$( (for t in $(seq 1 30); do curl -sf "$L/t/$t" | grep -o '/a/[0-9]*/display' | head -1; done) 2>/dev/null | head -1 | cut -d/ -f3 || true)
[ -n "$AID" ] || { echo "bench: no demo picture found" >&2; exit 1; }
mkdir -p "$T/www/a"
curl -sf -D "$T/img.h" -o "$T/www/a/img.jpg" "$L/a/$AID/display"
IMGB=$(stat -c %s "$T/www/a/img.jpg")
ETAG=$(sed -n 's/^ETag: //Ip' "$T/img.h" | tr -d '\r')

NPORT=$(free_port)
mkdir -p "$T/nginx"
cat >"$T/nginx/nginx.conf" <<EOF2
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
	types { image/jpeg jpg; }
	server {
		listen 127.0.0.1:$NPORT;
		root $T/www;
		etag off;
		add_header ETag '$ETAG';
		add_header Cache-Control "public, max-age=31536000, immutable";
		add_header X-Content-Type-Options nosniff;
		add_header Accept-Ranges bytes;
		add_header Vary Accept;
	}
}
EOF2
nginx -c "$T/nginx/nginx.conf" -p "$T/nginx" -e "$T/nginx/error.log" &
PIDS+=($!)
N=http://127.0.0.1:$NPORT
for _ in $(seq 50); do curl -sf -o /dev/null "$N/a/img.jpg" && break; sleep 0.1; done
curl -sf "$N/a/img.jpg" | cmp - "$T/www/a/img.jpg" || { echo "bench: nginx does not serve the same bytes" >&2; exit 1; }

R=$T/results
: >"$R"
run_wrk() {
	local label=$1 url=$2
	$WRK -s "$HERE/report.lua" "$url" >"$T/wrk-$label.out" 2>&1 || true
	local line
	line=$(grep '^RESULT' "$T/wrk-$label.out" || true)
	[ -n "$line" ] || { cat "$T/wrk-$label.out" >&2; echo "$label 0 0 0 0" >>"$R"; return; }
	eval "local ${line#RESULT }"
	local rps
	rps=$(echo "scale=1; $requests * 1000000 / $duration_us" | bc)
	echo "$label $rps $p50_us $p99_us $((errors + status_errors))" >>"$R"
	log "$label: $rps req/s, p50 ${p50_us}us, p99 ${p99_us}us, errors $((errors + status_errors))"
}
run_wrk loulan-img "$L/a/$AID/display"
run_wrk nginx-img "$N/a/img.jpg"

# uploads: 40 JPEGs of 2400x1600 (decoded, stripped, 4 derivatives each), then 40 text files of 4 MiB
vips xyz "$T/xyz.v" 2400 1600 && vips bandjoin_const "$T/xyz.v" "$T/rgb.v" 90 && vips cast "$T/rgb.v" "$T/u8.v" uchar
upload_run() { # label n make-file-cmd
	local label=$1 n=$2 ext=$3 bytes=0
	for i in $(seq "$n"); do
		if [ "$ext" = jpg ]; then vips linear "$T/u8.v" "$T/up-$i.jpg" 1 "$i" >/dev/null; else
			head -c 4194304 /dev/zero | tr '\0' "$(printf '\\%03o' $((97 + i % 26)))" >"$T/up-$i.txt"; fi
		bytes=$((bytes + $(stat -c %s "$T/up-$i.$ext")))
	done
	local t0 t1 ok
	t0=$(date +%s.%N)
	ok=$(seq "$n" | xargs -P 2 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $TOKEN" \
		-F "file=@$T/up-{}.$ext" "$L/api/v1/attachments" | grep -c '^201$' || true)
	t1=$(date +%s.%N)
	local s
	s=$(echo "$t1 - $t0" | bc)
	echo "$label $n $ok $bytes $s" >>"$T/uploads"
	log "$label: $ok/$n in ${s}s"
}
: >"$T/uploads"
upload_run upload-jpeg 40 jpg
upload_run upload-text 40 txt

get() { awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$R"; }
out=$T/report.md
{
	echo
	echo "## Attachments $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
	echo
	echo "wrk -t2 -c64 -d${DUR}s on 127.0.0.1; $(nproc) cores shared with wrk, nginx and other engineers' builds (noisy)."
	echo "The image: the demo's first picture at display size, $IMGB bytes of JPEG; loulan serves it from its hot LRU"
	echo "(one SQLite query per request: the attachment's row and board), nginx the same bytes from a file (sendfile)"
	echo "with the same headers. Uploads: JPEGs of 2400x1600 (a gradient, so small files; each decoded, stripped and"
	echo "re-encoded, with display and thumbnail in JPEG and WebP) and text files of 4 MiB (streamed to a temp file,"
	echo "checked as UTF-8, stored as 16 chunks of 256 KiB); curl, 2 at a time, loulan serve --workers 2, release build."
	echo
	echo "| what | loulan req/s | p50 ms | p99 ms | nginx req/s | p50 ms | p99 ms | loulan ÷ nginx |"
	echo "|---|---|---|---|---|---|---|---|"
	ms() { awk -v x="$1" 'BEGIN { printf "%.2f", x / 1000 }'; }
	div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
	echo "| hot inline image \`/a/$AID/display\` | $(get loulan-img 2) | $(ms "$(get loulan-img 3)") | $(ms "$(get loulan-img 4)") |" \
		"$(get nginx-img 2) | $(ms "$(get nginx-img 3)") | $(ms "$(get nginx-img 4)") |" \
		"$(div "$(get loulan-img 2)" "$(get nginx-img 2)") |"
	echo
	echo "| upload (2 at a time, curl) | files | accepted | MiB | seconds | files/s | MiB/s |"
	echo "|---|---|---|---|---|---|---|"
	while read -r label n ok bytes s; do
		echo "| $label | $n | $ok | $(div "$bytes" 1048576) | $(div "$s" 1) | $(div "$ok" "$s") | $(div "$bytes" "$(echo "$s * 1048576" | bc)") |"
	done <"$T/uploads"
} >"$out"
cat "$out"
if [ "$DOC" = 1 ]; then cat "$out" >>docs/PERFORMANCE.md; log "appended to docs/PERFORMANCE.md"; fi

#!/usr/bin/env bash
# bench/idleflood.sh: a connection table full of idle keep-alive connections (issue 16). For each
# N in IDLE_COUNTS, bench/idleflood.mjs holds N idle connections from IDLE_ADDRS source addresses
# against `loulan serve` (release build, demo forum, default --max-connections 4096, --max-per-ip
# raised so that a few addresses can fill the table) and reports the server's memory per connection
# and how long a new client waits for its answer. See docs/PERFORMANCE.md.
#
#   bench/idleflood.sh            IDLE_COUNTS="1000 4000 10000", IDLE_ADDRS=10
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
COUNTS=${IDLE_COUNTS:-1000 4000 10000}
ADDRS=${IDLE_ADDRS:-10}
command -v node >/dev/null || { echo "idleflood: node is missing" >&2; exit 1; }
[ -x "$BIN" ] || { echo "idleflood: $BIN not built (make loulan)" >&2; exit 1; }
ulimit -n 20000 2>/dev/null || true
T=$(mktemp -d /tmp/loulan-idle.XXXXXX)
SPID=""
cleanup() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
"$BIN" init --data "$T/d" --demo >/dev/null
for n in $COUNTS; do
	"$BIN" serve --data "$T/d" --listen 127.0.0.1:0 --quiet --max-per-ip 4096 2>"$T/serve.err" &
	SPID=$!
	PORT=
	for _ in $(seq 100); do
		PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/serve.err")
		[ -n "$PORT" ] && break
		sleep 0.1
	done
	[ -n "$PORT" ] || { cat "$T/serve.err" >&2; exit 1; }
	printf 'idle %6d from %d addresses: ' "$n" "$ADDRS"
	node bench/idleflood.mjs "http://127.0.0.1:$PORT" "$SPID" "$n" "$ADDRS"
	kill "$SPID"
	wait "$SPID" 2>/dev/null || true
	SPID=""
done

#!/bin/sh
# Throwaway PostgreSQL 15 cluster for the end-to-end tests.
# Usage: scripts/pg.sh start|stop|url|status
#   start   initdb into a fresh /tmp/loulan-pg.XXXXXX (owned by the postgres OS
#           user: root cannot run postgres), listen on 127.0.0.1 only, on a free
#           port, unix socket inside that dir, trust auth; waits until it accepts.
#   url     prints postgres://postgres@127.0.0.1:PORT/postgres
#   stop    stops the cluster and removes its dir (no-op when none is running)
#   status  says whether it runs; exit 1 if not
# LOULAN_PG_PORT forces the port (default: a random free one). LOULAN_PG_STATS=1 loads
# pg_stat_statements (CREATE EXTENSION pg_stat_statements in a database to read it).
# The running cluster is remembered in $LOULAN_PG_STATE (default build/pg.state),
# so concurrent test runs must each set their own state file.
# Idempotent (start on a running cluster does nothing); quiet on success.
set -eu
cd "$(dirname "$0")/.."
state=${LOULAN_PG_STATE:-$PWD/build/pg.state}
bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}

die() { echo "pg.sh: $*" >&2; exit 1; }

# as_pg CMD...: run a command as the postgres OS user (directly if we are not root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# read_state: sets dir and port (empty until the server is up) from the state
# file; returns 1 if there is none.
read_state() {
  [ -f "$state" ] || return 1
  dir=$(sed -n 's/^dir=//p' "$state")
  port=$(sed -n 's/^port=//p' "$state")
  [ -n "$dir" ]
}

running() {
  read_state && [ -d "$dir/data" ] && as_pg "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

# port_free PORT: nobody listens on 127.0.0.1:PORT (TCP).
port_free() {
  ! ss -Htln 2>/dev/null | awk '{print $4}' | grep -Eq "(^|[:\]])$1\$"
}

pick_port() {
  if [ -n "${LOULAN_PG_PORT:-}" ]; then echo "$LOULAN_PG_PORT"; return 0; fi
  i=0
  while [ $i -lt 50 ]; do
    p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
    if port_free "$p"; then echo "$p"; return 0; fi
    i=$((i + 1))
  done
  die "no free port found"
}

start() {
  if running; then return 0; fi
  [ -x "$bindir/initdb" ] || die "PostgreSQL binaries not found in $bindir (scripts/deps.sh test)"
  stop  # a stale state file from a crashed run: clean up its dir first
  mkdir -p "$(dirname "$state")"
  dir=$(mktemp -d /tmp/loulan-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  chmod 700 "$dir"
  # Remember the dir at once, so that stop cleans up after a failed start.
  printf 'dir=%s\nport=\n' "$dir" >"$state"
  if ! as_pg "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=trust >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    stop
    die "initdb failed"
  fi
  # Loopback only; trust is acceptable for a cluster that lives for one test run.
  as_pg sh -c "cat > '$dir/data/pg_hba.conf'" <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF
  tries=0
  while :; do
    port=$(pick_port)
    as_pg sh -c "cat >> '$dir/data/postgresql.conf'" <<EOF
# loulan test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
# small OLTP statements: JIT compiling a plan costs more than it saves (docs/SCALING.md)
jit = off
EOF
    # LOULAN_PG_STATS=1: per-statement counts and times in pg_stat_statements (bench/nodes.sh prints them)
    if [ "${LOULAN_PG_STATS:-0}" = 1 ] && [ $tries = 0 ]; then
      as_pg sh -c "cat >> '$dir/data/postgresql.conf'" <<EOF
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track_planning = on
EOF
    fi
    if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null 2>&1; then
      break
    fi
    tries=$((tries + 1))
    if [ $tries -ge 5 ]; then
      tail -n 20 "$dir/server.log" >&2 2>/dev/null || true
      stop
      die "could not start postgres"
    fi
  done
  printf 'dir=%s\nport=%s\n' "$dir" "$port" >"$state"
}

stop() {
  read_state || { rm -f "$state"; return 0; }
  if [ -d "$dir/data" ]; then
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  case "$dir" in /tmp/loulan-pg.*) rm -rf "$dir" ;; esac
  rm -f "$state"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) read_state && [ -n "$port" ] || die "not running (scripts/pg.sh start)"
       echo "postgres://postgres@127.0.0.1:$port/postgres" ;;
  status) if running; then echo "running on port $port ($dir)"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: scripts/pg.sh start|stop|url|status" >&2; exit 2 ;;
esac

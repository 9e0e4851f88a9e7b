#!/bin/sh
# Throwaway MariaDB server for the Discuz! importer tests (issue #18).
# Usage: scripts/mariadb.sh start|stop|url|status
#   start   mariadb-install-db into a fresh /tmp/loulan-mysql.XXXXXX, mariadbd on
#           127.0.0.1 only, on a free port, unix socket inside that dir, no
#           binary log, no fsync; creates the user loulan (password loulan) with
#           every privilege; waits until it accepts connections.
#   url     prints mysql://loulan:loulan@127.0.0.1:PORT (no database: each test
#           creates its own, tests/e2e/lib.mjs startDiscuz)
#   stop    stops the server and removes its dir (no-op when none is running)
#   status  says whether it runs; exit 1 if not
# Runs as root (mariadbd then gets --user=root: the files are root's) and as a
# normal user. LOULAN_MYSQL_PORT forces the port (default: a random free one).
# The running server is remembered in $LOULAN_MYSQL_STATE (default
# build/mysql.state), so concurrent test runs must each set their own state file.
# Idempotent (start on a running server does nothing); quiet on success.
set -eu
cd "$(dirname "$0")/.."
state=${LOULAN_MYSQL_STATE:-$PWD/build/mysql.state}

die() { echo "mariadb.sh: $*" >&2; exit 1; }

# read_state: sets dir, port and pid (empty until the server is up) from the
# state file; returns 1 if there is none.
read_state() {
  [ -f "$state" ] || return 1
  dir=$(sed -n 's/^dir=//p' "$state")
  port=$(sed -n 's/^port=//p' "$state")
  pid=$(sed -n 's/^pid=//p' "$state")
  [ -n "$dir" ]
}

alive() { [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; }

running() { read_state && alive; }

# client ARGS...: the mariadb client as the server's root, over its unix socket.
client() { mariadb --no-defaults --socket="$dir/sock" -uroot "$@"; }

port_free() {
  ! ss -Htln 2>/dev/null | awk '{print $4}' | grep -Eq "(^|[:\]])$1\$"
}

pick_port() {
  if [ -n "${LOULAN_MYSQL_PORT:-}" ]; then echo "$LOULAN_MYSQL_PORT"; return 0; fi
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
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] ||
    die "mariadbd not found (scripts/deps.sh test installs mariadb-server)"
  PATH=$PATH:/usr/sbin
  stop  # a stale state file from a crashed run: clean up its dir first
  mkdir -p "$(dirname "$state")"
  dir=$(mktemp -d /tmp/loulan-mysql.XXXXXX)
  chmod 700 "$dir"
  printf 'dir=%s\nport=\npid=\n' "$dir" >"$state"
  userarg=""
  if [ "$(id -u)" = 0 ]; then userarg=--user=root; fi
  if ! mariadb-install-db --no-defaults $userarg --datadir="$dir/data" \
      --auth-root-authentication-method=normal --skip-test-db \
      --skip-name-resolve >"$dir/install.log" 2>&1; then
    cat "$dir/install.log" >&2
    stop
    die "mariadb-install-db failed"
  fi
  tries=0
  while :; do
    port=$(pick_port)
    # Durability off: the server lives for one test run.
    mariadbd --no-defaults $userarg --datadir="$dir/data" --socket="$dir/sock" \
      --pid-file="$dir/mariadbd.pid" --port="$port" --bind-address=127.0.0.1 \
      --skip-name-resolve --skip-log-bin --log-error="$dir/server.log" \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
      --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
      --innodb-buffer-pool-size=128M --innodb-log-file-size=64M \
      --max-connections=200 --max-allowed-packet=64M \
      </dev/null >/dev/null 2>&1 &
    pid=$!
    printf 'dir=%s\nport=\npid=%s\n' "$dir" "$pid" >"$state"
    i=0
    while [ $i -lt 300 ] && alive && ! client -e 'SELECT 1' >/dev/null 2>&1; do
      sleep 0.1
      i=$((i + 1))
    done
    if alive && client -e 'SELECT 1' >/dev/null 2>&1; then break; fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    tries=$((tries + 1))
    if [ $tries -ge 5 ]; then
      tail -n 20 "$dir/server.log" >&2 2>/dev/null || true
      stop
      die "could not start mariadbd"
    fi
  done
  client <<'EOF'
CREATE USER 'loulan'@'127.0.0.1' IDENTIFIED BY 'loulan';
CREATE USER 'loulan'@'localhost' IDENTIFIED BY 'loulan';
GRANT ALL PRIVILEGES ON *.* TO 'loulan'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'loulan'@'localhost' WITH GRANT OPTION;
EOF
  printf 'dir=%s\nport=%s\npid=%s\n' "$dir" "$port" "$pid" >"$state"
}

stop() {
  read_state || { rm -f "$state"; return 0; }
  if alive; then
    kill "$pid" 2>/dev/null || true
    i=0
    while [ $i -lt 300 ] && alive; do sleep 0.1; i=$((i + 1)); done
    if alive; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  case "$dir" in /tmp/loulan-mysql.*) rm -rf "$dir" ;; esac
  rm -f "$state"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) read_state && [ -n "$port" ] || die "not running (scripts/mariadb.sh start)"
       echo "mysql://loulan:loulan@127.0.0.1:$port" ;;
  status) if running; then echo "running on port $port ($dir)"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: scripts/mariadb.sh start|stop|url|status" >&2; exit 2 ;;
esac

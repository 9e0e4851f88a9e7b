#!/bin/sh
# Installs the Debian 12 packages loulan needs, only when something is missing.
# Usage: scripts/deps.sh [build|test|bench]   (default: build)
# Idempotent; quiet when everything is present; runs apt-get update only when needed.
set -eu
what=${1:-build}
pkgs="gcc make pkg-config libmicrohttpd-dev libsqlite3-dev libpq-dev libsodium-dev \
libdeflate-dev zlib1g-dev libmd4c-dev libjansson-dev libinih-dev libicu-dev libvips-dev libcurl4-openssl-dev libqrencode-dev \
libmariadb-dev libcrypt-dev nettle-dev tzdata"
case "$what" in
  build) ;;
  test)  pkgs="$pkgs clang libclang-rt-14-dev llvm libcmocka-dev postgresql postgresql-contrib \
chromium fonts-noto-cjk ca-certificates procps tzdata sqlite3 iproute2 libvips-tools python3-aiosmtpd mariadb-server" ;;
  # mariadb-server: the throwaway MariaDB holding the Discuz! fixture of the importer tests (scripts/mariadb.sh)
  # python3-aiosmtpd: the local SMTP server of the mail tests (tests/smtp/server.py)
  # sqlite3: the e2e fixtures' sql() on SQLite (tests/e2e/lib.mjs); iproute2: ss in scripts/pg.sh
  bench) pkgs="$pkgs wrk nginx-light valgrind curl libvips-tools mariadb-server" ;;   # mariadb-server: bench/import.sh
  *) echo "usage: scripts/deps.sh [build|test|bench]" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# The test suites use node:test (--test-concurrency, --test-reporter-destination) and fetch:
# Node.js 18.19 or later, so Debian 12's own nodejs (18.20) does. Headers#getSetCookie, which
# Debian's node-undici lacks, is not relied on (tests/e2e/lib.mjs setCookies).
node_check() {
  v=$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)
  major=${v%%.*}
  minor=${v#*.}
  minor=${minor%%.*}
  if [ "$major" -lt 18 ] || { [ "$major" -eq 18 ] && [ "$minor" -lt 19 ]; }; then
    echo "deps: the tests need Node.js >= 18.19 (found $(node --version 2>/dev/null || echo none))" >&2
    return 1
  fi
}
# Node.js: any install with npm will do (Debian's nodejs+npm, or a newer one already installed).
if [ "$what" = test ] && ! command -v npm >/dev/null 2>&1; then
  missing="$missing nodejs npm"
fi
[ -z "$missing" ] && { [ "$what" != test ] || node_check; exit $?; }
if [ "$(id -u)" != 0 ]; then
  echo "deps: missing packages:$missing (run as root, or install them)" >&2
  exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends $missing >/dev/null
[ "$what" != test ] || node_check

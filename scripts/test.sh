#!/usr/bin/env bash
# Every test, in order; run by `make test` after build/asan/loulan and ./loulan are built.
#   1. unit      make unit           (cmocka, ASan; scripts/run-unit.sh)
#   2. fuzz      make fuzz           (libFuzzer, FUZZ_SECONDS per target; scripts/run-fuzz.sh)
#   3. e2e       node --test tests/e2e/   on SQLite, LOULAN_BIN=build/asan/loulan
#   4. e2e-pg    the same suite on a throwaway PostgreSQL (scripts/pg.sh), LOULAN_TEST_PG=url
#   (both e2e steps get a throwaway MariaDB for the Discuz! importer tests: scripts/mariadb.sh,
#   LOULAN_TEST_MYSQL=url)
#   5. browser   node --test tests/browser/   (Chromium via playwright-core)
# Every step runs even if an earlier one failed. The last line of output is
# "N passed, N failed" (unit binaries, fuzz targets and node tests); the exit
# status is 1 if anything failed.
# Environment: FUZZ_SECONDS (default 20), LOULAN_BIN (default build/asan/loulan),
# TEST_STEPS (default "unit fuzz e2e e2e-pg browser") to run a subset.
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LOULAN_BIN=${LOULAN_BIN:-$root/build/asan/loulan}
unset LOULAN_TEST_PG LOULAN_TEST_MYSQL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/loulan-test.XXXXXX")
export LOULAN_PG_STATE=$tmp/pg.state
export LOULAN_MYSQL_STATE=$tmp/mysql.state
cleanup() {
  local j
  for j in $(jobs -p); do kill "$j" 2>/dev/null; done   # a suite still running in the background
  [ -f "$LOULAN_PG_STATE" ] && scripts/pg.sh stop || true
  [ -f "$LOULAN_MYSQL_STATE" ] && scripts/mariadb.sh stop || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0
failed=0
failed_steps=""

step() { printf '\n== %s\n' "$1"; }
fail_step() { failed_steps="$failed_steps $1"; }

# count_lines STEP LOG RC: counts "PASS x" / "FAIL x" lines (run-unit.sh, run-fuzz.sh).
count_lines() {
  local p f
  p=$(grep -c '^PASS ' "$2")
  f=$(grep -c '^FAIL ' "$2")
  if [ "$3" != 0 ] && [ "$f" = 0 ]; then f=1; fi  # build error, or the runner died
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$3" = 0 ] && [ "$f" = 0 ] || fail_step "$1"
}

# node_tests STEP DIR: node --test, spec output on the terminal, counted from TAP.
node_tests() {
  node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tmp/$1.tap" "$2"
  node_count "$1" $?
}

# node_tests_bg STEP DIR: the same in the background, spec output into $tmp/STEP.out;
# node_wait STEP prints that output and counts it. The SQLite and PostgreSQL suites
# run side by side this way: each test uses its own data directory, database and
# port 0, and a suite keeps about half a core busy, so together they take the time
# of the longer one instead of the sum.
declare -A bg_pid
node_tests_bg() {
  node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination="$tmp/$1.out" \
    --test-reporter=tap --test-reporter-destination="$tmp/$1.tap" "$2" >"$tmp/$1.err" 2>&1 &
  bg_pid[$1]=$!
}
node_wait() {
  local rc
  wait "${bg_pid[$1]}"
  rc=$?
  cat "$tmp/$1.out" "$tmp/$1.err" 2>/dev/null
  node_count "$1" "$rc"
}

# node_count STEP RC: adds the counts of $tmp/STEP.tap to the totals.
node_count() {
  local name=$1 rc=$2 tap=$tmp/$1.tap p f c
  p=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n 1)
  f=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n 1)
  c=$(sed -n 's/^# cancelled \([0-9][0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n 1)
  p=${p:-0}
  f=$(( ${f:-0} + ${c:-0} ))
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$rc" = 0 ] && [ "$f" = 0 ] || fail_step "$name"
}

has_tests() { compgen -G "$1/*.test.mjs" >/dev/null; }

steps=" ${TEST_STEPS:-unit fuzz e2e e2e-pg browser} "

# One throwaway PostgreSQL for the whole run: the unit tests of the db layer
# and the end-to-end suite both use it.
pg_url=""
if [[ $steps == *" unit "* || $steps == *" e2e-pg "* ]]; then
  if scripts/pg.sh start; then
    pg_url=$(scripts/pg.sh url)
  else
    echo "could not start PostgreSQL" >&2
    failed=$((failed + 1))
    fail_step pg-start
  fi
fi

if [[ $steps == *" unit "* ]]; then
  step unit
  LOULAN_TEST_PG=$pg_url make -j"${JOBS:-$(nproc)}" --no-print-directory unit 2>&1 | tee "$tmp/unit.log"
  count_lines unit "$tmp/unit.log" "${PIPESTATUS[0]}"
fi

if [[ $steps == *" fuzz "* ]]; then
  step fuzz
  make -j"${JOBS:-$(nproc)}" --no-print-directory fuzz 2>&1 | tee "$tmp/fuzz.log"
  count_lines fuzz "$tmp/fuzz.log" "${PIPESTATUS[0]}"
fi

# npm ci into DIR/node_modules when its package-lock.json changed (a stamp holds its hash);
# a failure counts as the failed step NAME
npm_deps() {
  local dir=$1 name=$2 stamp=$1/node_modules/.loulan-lock.sha256 sum
  sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && return 0
  if npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >"$tmp/$name.log" 2>&1; then
    echo "$sum" >"$stamp"
  else
    cat "$tmp/$name.log" >&2
    failed=$((failed + 1))
    fail_step "$name"
  fi
}

# The e2e suite's npm packages (ajv: every API answer is checked against the
# API's description, tests/e2e/lib.mjs); the browser tests import that module too.
if [[ $steps == *" e2e "* || $steps == *" e2e-pg "* || $steps == *" browser "* ]]; then
  npm_deps tests/e2e e2e-npm
fi
# The local S3-compatible server of the blob.store = s3 tests (tests/e2e/t0810-s3).
if [[ $steps == *" e2e "* || $steps == *" e2e-pg "* ]]; then
  npm_deps tests/s3 s3-npm
fi

# One throwaway MariaDB holding the Discuz! databases of the importer tests (issue #18),
# shared by both e2e steps: each test creates its own database (tests/e2e/lib.mjs startDiscuz).
if [[ $steps == *" e2e "* || $steps == *" e2e-pg "* ]]; then
  if scripts/mariadb.sh start; then
    export LOULAN_TEST_MYSQL=$(scripts/mariadb.sh url)
  else
    echo "could not start MariaDB" >&2
    failed=$((failed + 1))
    fail_step mariadb-start
  fi
fi

# The two e2e steps run at the same time (node_tests_bg); their output is printed in turn.
e2e_sqlite=0
e2e_pg=0
if [[ $steps == *" e2e "* ]] && has_tests tests/e2e; then
  node_tests_bg e2e tests/e2e/
  e2e_sqlite=1
fi
if [[ $steps == *" e2e-pg "* ]] && has_tests tests/e2e && [ -n "$pg_url" ]; then
  LOULAN_TEST_PG=$pg_url node_tests_bg e2e-pg tests/e2e/
  e2e_pg=1
fi
if [[ $steps == *" e2e "* ]]; then
  step "e2e (SQLite)"
  if [ $e2e_sqlite = 1 ]; then node_wait e2e; else echo "no e2e tests"; fi
fi
if [[ $steps == *" e2e-pg "* ]]; then
  step "e2e (PostgreSQL)"
  if [ $e2e_pg = 1 ]; then
    node_wait e2e-pg
  elif ! has_tests tests/e2e; then
    echo "no e2e tests"
  else
    echo "PostgreSQL is not running: e2e-pg not run" >&2
    failed=$((failed + 1))
    fail_step e2e-pg
  fi
fi
if [ -n "$pg_url" ]; then scripts/pg.sh stop || fail_step pg-stop; fi
if [ -n "${LOULAN_TEST_MYSQL:-}" ]; then scripts/mariadb.sh stop || fail_step mariadb-stop; unset LOULAN_TEST_MYSQL; fi

if [[ $steps == *" browser "* ]]; then
  step browser
  lock=tests/browser/package-lock.json
  stamp=tests/browser/node_modules/.loulan-lock.sha256
  sum=$(sha256sum "$lock" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    if npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >"$tmp/npm.log" 2>&1; then
      echo "$sum" >"$stamp"
    else
      cat "$tmp/npm.log" >&2
    fi
  fi
  if [ ! -f "$stamp" ]; then
    echo "npm ci in tests/browser failed" >&2
    failed=$((failed + 1))
    fail_step browser-npm
  elif has_tests tests/browser; then
    node_tests browser tests/browser/
  else
    echo "no browser tests"
  fi
fi

# what failed, again at the very end: a CI log is often read from its tail only, and the spec
# output of a failed node test is hundreds of lines up. From each failed step's TAP: the test's
# name, where it is, its error and the test-file lines of its stack; 300 characters a line, 40 lines a step.
for s in $failed_steps; do
  [ -f "$tmp/$s.tap" ] || continue
  echo
  echo "failures in $s:"
  awk '/^ *not ok /{p=1; k=""; print; next}
       /^ *[.][.][.]$/{p=0; next}
       !p{next}
       /^ *(duration_ms|type|location|failureType|error|code|name|expected|actual|operator|stack):/{
         k=$1; sub(/:$/, "", k); n=0; if (k=="location" || k=="error") print; next }
       k=="error" && n++ < 12 {print; next}
       k=="stack" && /[.]test[.]mjs/ {print}' "$tmp/$s.tap" | cut -c1-300 | head -n 40
done
echo
[ -n "$failed_steps" ] && echo "failed steps:$failed_steps"
echo "$passed passed, $failed failed"
[ -z "$failed_steps" ] && [ "$failed" = 0 ]

#!/usr/bin/env bash
# bench/import.sh: `loulan import-discuz` of a generated Discuz! X3.5 database (issue #18).
# `make bench` runs it; it is not part of `make test`. See docs/PERFORMANCE.md.
#
#   bench/import.sh                   100,000 members, 1,000,000 posts, 500 image attachments, into SQLite
#   BENCH_SMALL=1 bench/import.sh     10,000 members, 100,000 posts, 200 attachments
#   BENCH_IMPORT_PG=1 bench/import.sh the same into a throwaway PostgreSQL (scripts/pg.sh) as well
#
# The source: a throwaway MariaDB (scripts/mariadb.sh) with tests/discuz/schema.sql, the fixture and
# tests/discuz/gen.sql (MariaDB's SEQUENCE engine makes the rows; nothing to download). The
# attachment files: BENCH_IMPORT_FILES different 1600x1200 photo-like JPEGs made by vips, each used by several
# attachments (each goes through the media pipeline: decode, strip, two derivatives).
# Figures: members/s and posts/s of their stages, attachment MB/s (the importer's own lines), the
# whole run; appended to docs/PERFORMANCE.md unless BENCH_DOC=0 (default 0 with BENCH_SMALL).
# Environment: LOULAN_BIN (default ./loulan), BENCH_KEEP=1 keeps the temporary directory,
# BENCH_IMPORT_MEMBERS / _POSTS / _ATTACHMENTS / _FILES override the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LOULAN_BIN:-$PWD/loulan}
SMALL=${BENCH_SMALL:-0}
if [ "$SMALL" = 1 ]; then
	MEMBERS=10000 POSTS=100000 ATT=200 FILES=20 DOC=${BENCH_DOC:-0}
else
	MEMBERS=100000 POSTS=1000000 ATT=500 FILES=100 DOC=${BENCH_DOC:-1}
fi
MEMBERS=${BENCH_IMPORT_MEMBERS:-$MEMBERS}
POSTS=${BENCH_IMPORT_POSTS:-$POSTS}
ATT=${BENCH_IMPORT_ATTACHMENTS:-$ATT}
FILES=${BENCH_IMPORT_FILES:-$FILES}

for t in mariadb mariadbd vips bc; do
	command -v $t >/dev/null || [ -x /usr/sbin/$t ] || { echo "bench: $t is missing (scripts/deps.sh test)" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "bench: $BIN not built (make loulan)" >&2; exit 1; }

T=$(mktemp -d /tmp/loulan-bench-import.XXXXXX)
export LOULAN_MYSQL_STATE=$T/mysql.state LOULAN_PG_STATE=$T/pg.state
cleanup() {
	scripts/mariadb.sh stop || true
	[ -f "$LOULAN_PG_STATE" ] && scripts/pg.sh stop || true
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
log() { printf 'bench: %s\n' "$*" >&2; }
now_s() { date +%s.%N; }

# ---- the source database ----------------------------------------------------
scripts/mariadb.sh start
URL=$(scripts/mariadb.sh url)
PORT=${URL##*:}
my() { MYSQL_PWD=loulan mariadb --no-defaults -h 127.0.0.1 -P "$PORT" -u loulan "$@"; }
my -e "CREATE DATABASE dz CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
log "generating $MEMBERS members, $POSTS posts, $ATT attachments in MariaDB"
t0=$(now_s)
cat tests/discuz/schema.sql tests/discuz/fixture.sql | my dz
{ echo "SET @members = $MEMBERS, @posts = $POSTS, @per_thread = 50, @attachments = $ATT, @files = $FILES;"
  cat tests/discuz/gen.sql; } | my dz
GEN_S=$(echo "$(now_s) - $t0" | bc)
SRC_MB=$(my -N -e "SELECT ROUND(SUM(data_length + index_length) / 1048576) FROM information_schema.tables WHERE table_schema = 'dz'")

# ---- the attachment files -------------------------------------------------------
mkdir -p "$T/att"
cp -r tests/discuz/files/data/attachment/. "$T/att/"
mkdir -p "$T/att/forum/bench"
log "making $FILES images"
for i in $(seq 0 $((FILES - 1))); do
	f=$(printf '%s/att/forum/bench/%04d.jpg' "$T" "$i")
	# a photo-like picture: smooth bands (sines) with a little grain, not incompressible noise
	vips sines "$T/s.v" 1600 1200 --hfreq $((1 + i % 5)) --vfreq $((1 + i % 3))
	vips linear "$T/s.v" "$T/b.v" 90 $((100 + i % 60))
	vips gaussnoise "$T/n.v" 1600 1200 --mean 0 --sigma 6
	vips add "$T/b.v" "$T/n.v" "$T/p.v"
	vips cast "$T/p.v" "$T/u.v" uchar
	vips colourspace "$T/u.v" "$T/c.v" srgb
	vips copy "$T/c.v" "$f[Q=85]"
done
rm -f "$T"/*.v
FILE_MB=$(du -sm "$T/att/forum/bench" | cut -f1)

# ---- the import ----------------------------------------------------------------------
# run_import NAME STORAGE...: times one import, keeps its report in $T/NAME.report
run_import() {
	local name=$1
	shift
	"$BIN" init "$@" >/dev/null
	local t0 s
	t0=$(now_s)
	"$BIN" import-discuz --from "$URL/dz" --attachments "$T/att" "$@" >"$T/$name.report" 2>"$T/$name.err" || {
		tail -n 40 "$T/$name.err" "$T/$name.report" >&2
		echo "bench: import-discuz into $name failed" >&2
		exit 1
	}
	s=$(echo "$(now_s) - $t0" | bc)
	echo "$s"
}

# stage_rate LOG LABEL ROWS: ROWS / the seconds of the stage whose progress line starts with LABEL
# ("loulan: posts forum_post (+ _N): done (N rows, 3.5s)"), or "?"
stage_rate() {
	local secs
	secs=$(tr '\r' '\n' <"$1" | grep -F "$2" | sed -nE 's/.*: done \([0-9]+ rows, ([0-9.]+)s\).*/\1/p' | tail -n 1)
	if [ -n "$secs" ] && [ "$(echo "$secs > 0" | bc)" = 1 ]; then printf '%.0f' "$(echo "$3 / $secs" | bc -l)"; else echo "?"; fi
}
att_rate() { sed -nE 's/.*attachments: [0-9]+ files read in this run, ([0-9.]+) MB, ([0-9.]+) MB\/s.*/\2/p' "$1" | tail -n 1; }

log "import into SQLite"
S_SQLITE=$(run_import sqlite --data "$T/sqlite")
cat "$T/sqlite.err" "$T/sqlite.report" >"$T/sqlite.all"
LINES="| SQLite | $(printf '%.1f' "$S_SQLITE") s | $(stage_rate "$T/sqlite.all" "members common_member" "$MEMBERS") | $(stage_rate "$T/sqlite.all" "posts forum_post" "$POSTS") | $(att_rate "$T/sqlite.all") | $(printf '%.0f' "$(echo "$POSTS / $S_SQLITE" | bc -l)") |"
DBMB=$(du -m "$T/sqlite/loulan.db" | cut -f1)
if [ "${BENCH_IMPORT_PG:-0}" = 1 ]; then
	scripts/pg.sh start
	log "import into PostgreSQL"
	S_PG=$(run_import pg --data "$T/pg" --db "$(scripts/pg.sh url)")
	cat "$T/pg.err" "$T/pg.report" >"$T/pg.all"
	LINES="$LINES
| PostgreSQL | $(printf '%.1f' "$S_PG") s | $(stage_rate "$T/pg.all" "members common_member" "$MEMBERS") | $(stage_rate "$T/pg.all" "posts forum_post" "$POSTS") | $(att_rate "$T/pg.all") | $(printf '%.0f' "$(echo "$POSTS / $S_PG" | bc -l)") |"
fi

REV=${BENCH_REV:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
OUT="## $(date -u '+%Y-%m-%d %H:%M UTC') — import-discuz, $REV (\`bench/import.sh\`)

Source: MariaDB $(mariadbd --version 2>/dev/null | sed -n 's/.*Ver \([^ ]*\).*/\1/p'), generated by tests/discuz/gen.sql in $(printf '%.0f' "$GEN_S") s:
$MEMBERS members (a tenth in the _archive tables), $POSTS posts in forum_post and forum_post_1 (50 per thread,
a tenth of the threads in forum_thread_1), $ATT image attachments over $FILES different 1600x1200 photo-like JPEGs
($FILE_MB MB), ${SRC_MB} MB of tables. Machine: $(nproc) cores. SQLite result: $DBMB MB.

| target | whole run | members/s | posts/s | attachments MB/s | posts / whole run |
|---|---|---|---|---|---|
$LINES
"
echo "$OUT"
if [ "$DOC" = 1 ]; then printf '\n%s' "$OUT" >>docs/PERFORMANCE.md; log "appended to docs/PERFORMANCE.md"; fi

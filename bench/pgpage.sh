#!/usr/bin/env bash
# bench/pgpage.sh: what one guest thread page's reads cost on PostgreSQL when sent as the server does
# (two prepared statements, two round trips), as one pipeline (libpq pipeline mode: one round trip, one
# implicit transaction) and as the floors alone (issue 16, docs/SCALING.md). pgbench -M prepared runs
# the thread page's two statements (src/forum/read.c forum_thread and forum_floors, guest viewer) on
# random threads of a loulan database on a scripts/pg.sh cluster; server CPU from /proc (the postmaster
# and its children), client CPU (pgbench, standing in for libpq in loulan) from time(1).
#   LOULAN_PG_STATE=... bench/pgpage.sh URL [THREADS] [ROUNDS]   URL: a database `loulan copy` filled
set -euo pipefail
URL=$1
THREADS=${2:-4000}
ROUNDS=${3:-3}
PGBENCH=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
state=${LOULAN_PG_STATE:-$(dirname "$0")/../build/pg.state}
PM=$(head -1 "$(sed -n 's/^dir=//p' "$state")/data/postmaster.pid")
T=$(mktemp -d /tmp/loulan-pgpage.XXXXXX)
trap 'rm -rf "$T"' EXIT
TQ="SELECT t.tid, t.fid, t.typeid, t.subject, t.authorid, t.author, t.created, t.lastpost, t.lastposter, t.replies, t.views, t.sticky, t.digest, t.closed, t.highlight, t.moved, t.modnote, t.anonymous, t.maxposition, t.forbidreprint, b.name, b.types, b.cid, b.requiretype, b.parent, c.name, pb.name FROM thread t JOIN board b ON b.fid = t.fid JOIN category c ON c.cid = b.cid LEFT JOIN board pb ON pb.fid = b.parent AND pb.hidden = 0 WHERE t.tid = :tid AND t.hidden = 0 AND b.hidden = 0;"
FQ="SELECT p.pid, p.position, p.authorid, p.author, p.created, p.edited, p.editor, p.deleted, p.html, p.format, m.uid, m.groupid, m.posts, m.threads, m.credits, m.regdate, p.likes, p.support, p.oppose, p.likers, p.rates, m.ext1, m.ext2, m.ext3, p.banned, p.warned, f.sig_html, CASE WHEN p.html LIKE '%<div class=\"locked\">%' THEN p.source ELSE NULL END, CASE WHEN EXISTS(SELECT 1 FROM post r WHERE r.tid = :tid AND r.authorid = :v AND r.deleted = 0) THEN 1 ELSE 0 END, COALESCE((SELECT c.credits FROM member c WHERE c.uid = :v), 0), p.anonymous FROM post p LEFT JOIN member m ON m.uid = p.authorid LEFT JOIN profile f ON f.uid = p.authorid WHERE p.tid = :tid AND p.position BETWEEN 1 AND 10 ORDER BY p.position;"
head="\\set tid random(1, $THREADS)
\\set v -1"
printf '%s\n%s\n%s\n' "$head" "$TQ" "$FQ" >"$T/two.sql"
printf '%s\n\\startpipeline\n%s\n%s\n\\endpipeline\n' "$head" "$TQ" "$FQ" >"$T/pipeline.sql"
printf '%s\n%s\n' "$head" "$FQ" >"$T/floors.sql"
ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }'; }
server() { local t=0 v p; for p in $PM $(pgrep -P "$PM"); do v=$(ticks "$p"); t=$((t + ${v:-0})); done; echo $t; }
echo "| round | sent as | pages | server µs / page | client µs / page |"
echo "|---|---|---:|---:|---:|"
for r in $(seq "$ROUNDS"); do
	for s in two pipeline floors; do
		b0=$(server)
		out=$({ /usr/bin/time -f "%U %S" "$PGBENCH" -n -M prepared -c 2 -j 1 -T 5 -f "$T/$s.sql" "$URL" 2>&1; } 2>&1)
		sleep 0.3   # the backends exit and are reaped into the postmaster's children's time
		b1=$(server)
		tx=$(echo "$out" | sed -n 's/number of transactions actually processed: \([0-9]*\).*/\1/p')
		cl=$(echo "$out" | tail -1 | awk '{ printf "%d", ($1 + $2) * 100 }')
		echo "| $r | $s | $tx | $(( (b1 - b0) * 10000 / tx )) | $(( cl * 10000 / tx )) |"
	done
done

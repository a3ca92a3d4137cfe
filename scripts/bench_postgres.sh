#!/usr/bin/env bash
# Two PostgreSQL ingest workers against one: articles per second.
#
#   scripts/bench_postgres.sh [ARTICLES]     (default 2000)
#
# Starts a throwaway PostgreSQL cluster on loopback (scripts/pg_throwaway.sh; needs Debian's
# `postgresql` package or PostgreSQL's server binaries), generates ARTICLES articles with
# `newsgraph bench generate`, then times, each into an empty database:
#   one worker:   newsgraph ingest all.jsonl --threads 1
#   two workers:  newsgraph ingest first-half.jsonl --threads 1  and, at the same time,
#                 newsgraph ingest second-half.jsonl --threads 1
# Wall time from start until every worker has finished (stories included), so articles/s is
# end to end. The cluster runs with the server's default settings; PG_OPTS adds more.
#
# Each worker runs in a session of its own (setsid), as it would on a machine of its own: where
# the kernel groups CPU time by session (autogroup), two workers started from one shell would
# otherwise share one session's share of a busy machine and could never be faster than one.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-2000}
bin=target/release/newsgraph
if [[ ! -x $bin ]]; then
  cargo build --release --quiet
fi
work=$(mktemp -d /tmp/newsgraph-bench-pg.XXXXXX)
# the cluster may run as another user (initdb refuses root), who must reach its folder
chmod 755 "$work"
cleanup() {
  scripts/pg_throwaway.sh stop "$work/pg" || true
  rm -rf "$work"
}
trap cleanup EXIT

url=$(scripts/pg_throwaway.sh start "$work/pg")
one=$(scripts/pg_throwaway.sh createdb "$work/pg" one_worker)
two=$(scripts/pg_throwaway.sh createdb "$work/pg" two_workers)

$bin bench generate --articles "$n" --seed 7 --out "$work/all.jsonl"
half=$((n / 2))
head -n "$half" "$work/all.jsonl" >"$work/a.jsonl"
tail -n +"$((half + 1))" "$work/all.jsonl" >"$work/b.jsonl"
# Make the schema first in both, so neither timing includes it.
$bin stories --db "$one" >/dev/null 2>&1 || true
$bin stories --db "$two" >/dev/null 2>&1 || true

now() { date +%s.%N; }
load0=$(cut -d' ' -f1-3 /proc/loadavg)

t0=$(now)
setsid -w $bin ingest "$work/all.jsonl" --db "$one" --threads 1 2>"$work/one.log"
t1=$(now)

t2=$(now)
setsid -w $bin ingest "$work/a.jsonl" --db "$two" --threads 1 2>"$work/two-a.log" &
pa=$!
setsid -w $bin ingest "$work/b.jsonl" --db "$two" --threads 1 2>"$work/two-b.log" &
pb=$!
wait "$pa"
wait "$pb"
t3=$(now)

count() { psql_cmd=$(command -v psql || true); if [[ -n $psql_cmd ]]; then "$psql_cmd" "$1" -tAc "$2"; else echo "?"; fi; }
python3 - "$n" "$t0" "$t1" "$t2" "$t3" <<PY
import sys
n = int(sys.argv[1]); t0, t1, t2, t3 = map(float, sys.argv[2:])
one, two = n / (t1 - t0), n / (t3 - t2)
print(f"articles: {n}")
print(f"one worker  (--threads 1):          {t1 - t0:7.2f} s  {one:8.1f} articles/s")
print(f"two workers (--threads 1 each):     {t3 - t2:7.2f} s  {two:8.1f} articles/s")
print(f"two workers / one worker:           {two / one:7.2f}x")
PY
echo "load average before and after: $load0 / $(cut -d' ' -f1-3 /proc/loadavg)"
echo "stored: one worker $(count "$one" 'SELECT count(*) FROM articles') articles, $(count "$one" 'SELECT count(*) FROM stories') stories;" \
  "two workers $(count "$two" 'SELECT count(*) FROM articles') articles, $(count "$two" 'SELECT count(*) FROM stories') stories"
cat "$work/one.log" "$work/two-a.log" "$work/two-b.log" | grep -v "^\s*$" | sed 's/^/  /'

#!/usr/bin/env bash
# Two PostgreSQL ingest workers against one: articles per second.
#
#   scripts/bench_postgres.sh [ARTICLES]     (default 2000; ROUNDS=3 runs of each)
#
# BIN=path/to/newsgraph times another build (to compare two builds, run both a few times over,
# alternating, and compare the medians).
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
bin=${BIN:-target/release/newsgraph}
if [[ -z ${BIN:-} && ! -x $bin ]]; then
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

$bin bench generate --articles "$n" --seed 7 --out "$work/all.jsonl"
half=$((n / 2))
head -n "$half" "$work/all.jsonl" >"$work/a.jsonl"
tail -n +"$((half + 1))" "$work/all.jsonl" >"$work/b.jsonl"

load0=$(cut -d' ' -f1-3 /proc/loadavg)
# Alternate one-worker and two-worker runs (ROUNDS of each, fresh databases), so that a change in
# the machine's other load falls on both; report each run and the medians, with each worker's
# CPU time (user + system) next to the wall time.
python3 - "$bin" "$work" "${ROUNDS:-3}" <<'PY'
import os, statistics, subprocess, sys, time
bin, work, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = sum(1 for _ in open(f"{work}/all.jsonl"))

def createdb(name):
    return subprocess.run(["scripts/pg_throwaway.sh", "createdb", f"{work}/pg", name],
                          check=True, capture_output=True, text=True).stdout.strip()

postmaster = int(open(f"{work}/pg/data/postmaster.pid").readline())
tick = os.sysconf("SC_CLK_TCK")

def server_cpu():
    # CPU seconds of the whole cluster: the postmaster with the children it has reaped (ended
    # sessions, autovacuum) and its children still running.
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{pid}/stat").read()
        except OSError:
            continue
        f = stat[stat.rindex(")") + 2:].split()
        if int(pid) == postmaster:
            total += sum(int(x) for x in f[11:15])
        elif int(f[1]) == postmaster:
            total += int(f[11]) + int(f[12])
    return total / tick

def run(inputs, url, tag):
    # Each worker in a session of its own (setsid), as on a machine of its own.
    subprocess.run([bin, "stories", "--db", url], capture_output=True)  # make the schema first
    time.sleep(0.3)
    s0 = server_cpu()
    t0 = time.monotonic()
    procs = []
    for i, inp in enumerate(inputs):
        log = open(f"{work}/{tag}-{i}.log", "w")
        procs.append(subprocess.Popen([bin, "ingest", inp, "--db", url, "--threads", "1"],
                                      stderr=log, stdout=subprocess.DEVNULL, start_new_session=True))
    cpu = []
    for p in procs:
        _, status, ru = os.wait4(p.pid, 0)
        if status != 0:
            sys.exit(f"ingest failed: see {work}/{tag}-*.log")
        cpu.append(ru.ru_utime + ru.ru_stime)
    wall = time.monotonic() - t0
    time.sleep(0.3)  # the sessions' ends
    return wall, cpu, server_cpu() - s0

ones, twos, one_cpu, two_cpu, one_srv, two_srv = [], [], [], [], [], []
for r in range(rounds):
    wall, cpu, srv = run([f"{work}/all.jsonl"], createdb(f"one_{r}"), f"one{r}")
    ones.append(wall)
    one_cpu.append(cpu[0])
    one_srv.append(srv)
    print(f"round {r + 1}: one worker  {wall:6.2f} s  {n / wall:7.1f} articles/s  (CPU {cpu[0]:.2f} s, server {srv:.2f} s)")
    wall, cpu, srv = run([f"{work}/a.jsonl", f"{work}/b.jsonl"], createdb(f"two_{r}"), f"two{r}")
    twos.append(wall)
    two_cpu.append(max(cpu))
    two_srv.append(srv)
    print(f"round {r + 1}: two workers {wall:6.2f} s  {n / wall:7.1f} articles/s  (CPU {cpu[0]:.2f} s + {cpu[1]:.2f} s,"
          f" server {srv:.2f} s)  ratio {ones[-1] / wall:.2f}x")
one, two = statistics.median(ones), statistics.median(twos)
print(f"articles: {n}")
print(f"median one worker  (--threads 1):       {one:6.2f} s  {n / one:7.1f} articles/s")
print(f"median two workers (--threads 1 each):  {two:6.2f} s  {n / two:7.1f} articles/s")
print(f"two workers / one worker (medians):     {one / two:6.2f}x")
# Where each worker has a core of its own (its own machine), its wall time follows its CPU time:
# one worker's CPU time over the busier of the two is the speed-up the work itself allows.
print(f"one worker's CPU time / the busier of two: {statistics.median(one_cpu) / statistics.median(two_cpu):6.2f}x"
      f"  ({statistics.median(one_cpu):.2f} s / {statistics.median(two_cpu):.2f} s)")
# The server's CPU time shares the machine's cores with the workers where they run on one.
print(f"server CPU time (medians):              {statistics.median(one_srv):6.2f} s one worker,"
      f" {statistics.median(two_srv):.2f} s two workers")
PY
echo "load average before and after: $load0 / $(cut -d' ' -f1-3 /proc/loadavg)"
count() { if command -v psql >/dev/null; then psql "$1" -tAc "$2"; else echo "?"; fi; }
base=${url%/*}
echo "stored (last round): one worker $(count "$base/one_$((${ROUNDS:-3} - 1))" 'SELECT count(*) FROM articles') articles," \
  "$(count "$base/one_$((${ROUNDS:-3} - 1))" 'SELECT count(*) FROM stories') stories;" \
  "two workers $(count "$base/two_$((${ROUNDS:-3} - 1))" 'SELECT count(*) FROM articles') articles," \
  "$(count "$base/two_$((${ROUNDS:-3} - 1))" 'SELECT count(*) FROM stories') stories"

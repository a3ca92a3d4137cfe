#!/usr/bin/env bash
# Store and API benchmark: generates N articles (default 100,000; deterministic), times
# `analyze` and `ingest` on them, measures the store file against the input, then serves the
# store on loopback and runs the load generator (64 concurrent keep-alive clients, bounded in
# requests and time) against search pages and story pages, with the response cache off (every
# request computed) and on. Prints the figures and writes them into the "Store and API" section
# of BENCHMARKS.md.
#
# usage: scripts/bench_store.sh [--articles N] [--clients C] [--requests R] [--seconds S] [--no-write]
#
# Needs the Rust toolchain and python3 (to write BENCHMARKS.md). Everything runs on this machine;
# the server listens on 127.0.0.1 only. Takes about 15 minutes for 100,000 articles on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

ARTICLES=100000
CLIENTS=64
REQUESTS=20000
SECONDS_MAX=60
WRITE=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --articles) ARTICLES="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --requests) REQUESTS="$2"; shift 2 ;;
    --seconds) SECONDS_MAX="$2"; shift 2 ;;
    --no-write) WRITE=0; shift ;;
    *) echo "bench_store: unknown argument $1" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d /tmp/newsgraph-bench-store.XXXXXX)
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== build" >&2
cargo build --release --quiet
B="$ROOT/target/release/newsgraph"

echo "== generate $ARTICLES articles" >&2
"$B" bench generate --articles "$ARTICLES" --seed 1 --out "$WORK/articles.jsonl"
INPUT_BYTES=$(stat -c %s "$WORK/articles.jsonl")

# Wall-clock seconds of a command, its standard error kept in a file.
timed() {
  local out="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" 2>"$out"
  t1=$(date +%s.%N)
  python3 -c "print(f'{$t1 - $t0:.3f}')"
}

echo "== analyze" >&2
ANALYZE_S=$(timed "$WORK/analyze.err" "$B" analyze "$WORK/articles.jsonl" --format jsonl --out "$WORK/analyze.jsonl")
ANALYZED=$(tail -n 1 "$WORK/analyze.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])')
TEXT_BYTES=$(python3 - "$WORK/analyze.jsonl" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r.get("kind") == "article":
        n += len(r["text"].encode()) + len((r.get("title") or "").encode())
print(n)
PY
)
rm -f "$WORK/analyze.jsonl"

echo "== ingest" >&2
INGEST_S=$(timed "$WORK/ingest.err" "$B" ingest "$WORK/articles.jsonl" --db "$WORK/store.db")
cat "$WORK/ingest.err" >&2
STORE_BYTES=$(( $(stat -c %s "$WORK/store.db") + $( [[ -f "$WORK/store.db-wal" ]] && stat -c %s "$WORK/store.db-wal" || echo 0) ))

echo "== again: ingest of the same input (nothing new)" >&2
REINGEST_S=$(timed "$WORK/reingest.err" "$B" ingest "$WORK/articles.jsonl" --db "$WORK/store.db")

"$B" bench urls --db "$WORK/store.db" --kind search --count 500 >"$WORK/search.txt"
"$B" bench urls --db "$WORK/store.db" --kind story --count 1000 >"$WORK/story.txt"
"$B" bench urls --db "$WORK/store.db" --kind api-search --count 500 >"$WORK/api-search.txt"
"$B" bench urls --db "$WORK/store.db" --kind api-story --count 1000 >"$WORK/api-story.txt"

serve() {
  "$B" serve --db "$WORK/store.db" --addr 127.0.0.1:0 --cache "$1" >"$WORK/serve.out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do grep -q 'http://' "$WORK/serve.out" && break; sleep 0.1; done
  ADDR=$(grep -o 'http://[0-9.:]*' "$WORK/serve.out" | sed 's#http://##')
  [[ -n "$ADDR" ]] || { echo "bench_store: the server did not start" >&2; cat "$WORK/serve.out" >&2; exit 1; }
}
stop() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

: >"$WORK/load.jsonl"
for cache in 0 2048; do
  serve "$cache"
  for kind in search story api-search api-story; do
    if [[ "$cache" != 0 ]]; then
      # warm-up: every target once, so the measured run sees the cache as a running server has it
      "$B" bench load --addr "$ADDR" --urls "$WORK/$kind.txt" --clients 8 --requests "$(wc -l <"$WORK/$kind.txt")" \
        --seconds "$SECONDS_MAX" --label warm-up >/dev/null
    fi
    echo "== load: $kind, cache $cache, $CLIENTS clients" >&2
    "$B" bench load --addr "$ADDR" --urls "$WORK/$kind.txt" --clients "$CLIENTS" --requests "$REQUESTS" \
      --seconds "$SECONDS_MAX" --label "$kind cache=$cache" | tee -a "$WORK/load.jsonl"
  done
  stop
done

python3 - "$WORK" "$ROOT/BENCHMARKS.md" "$WRITE" "$ARTICLES" "$ANALYZED" "$INPUT_BYTES" "$TEXT_BYTES" \
  "$ANALYZE_S" "$INGEST_S" "$REINGEST_S" "$STORE_BYTES" "$CLIENTS" "$REQUESTS" "$SECONDS_MAX" <<'PY'
import datetime, json, os, platform, re, subprocess, sys

(work, bench_md, write, n, analyzed, input_bytes, text_bytes, analyze_s, ingest_s, reingest_s,
 store_bytes, clients, requests, seconds) = sys.argv[1:]
write = write == "1"
n, analyzed, input_bytes, text_bytes, store_bytes = map(int, (n, analyzed, input_bytes, text_bytes, store_bytes))
analyze_s, ingest_s, reingest_s = map(float, (analyze_s, ingest_s, reingest_s))
loads = [json.loads(l) for l in open(f"{work}/load.jsonl", encoding="utf-8") if l.strip()]
added = 0
for line in open(f"{work}/ingest.err", encoding="utf-8"):
    m = re.search(r"(\d+) article\(s\) added", line)
    if m:
        added = int(m.group(1))

cpu = "unknown"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or str(os.cpu_count())
mem = "?"
try:
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
except OSError:
    pass
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
today = datetime.date.today().isoformat()
try:
    load = " ".join(open("/proc/loadavg").read().split()[:3])
except OSError:
    load = "?"

a_rate = analyzed / analyze_s
i_rate = analyzed / ingest_s
ratio = i_rate / a_rate
size_ratio = store_bytes / input_bytes
mb = lambda b: f"{b / 1e6:.0f} MB"

rows = [("requests", "cache", "clients", "done", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms")]
names = {"search": "search page", "story": "story page", "api-search": "/api/search", "api-story": "/api/stories/{id}"}
for l in loads:
    kind, cache = l["label"].split(" cache=")
    rows.append((names.get(kind, kind), "off" if cache == "0" else "on", str(l["clients"]), str(l["requests"]),
                 str(l["errors"]), f"{l['throughput']:.0f}", f"{l['p50_ms']:.1f}", f"{l['p90_ms']:.1f}",
                 f"{l['p99_ms']:.1f}", f"{l['max_ms']:.1f}"))
table = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])] + ["| " + " | ".join(r) + " |" for r in rows[1:]]
def verdict(ms):
    return "met" if ms < 50 else "not met"

def p99(kind, cache):
    for l in loads:
        if l["label"] == f"{kind} cache={cache}":
            return l["p99_ms"]
    return float("nan")

for line in table:
    print(line)
print(f"\nanalyze {a_rate:.0f} articles/s, ingest {i_rate:.0f} articles/s ({ratio:.0%}); "
      f"store {mb(store_bytes)} for {mb(input_bytes)} of input ({size_ratio:.2f}x)")

section = f"""## Store and API

`scripts/bench_store.sh` on {n:,} generated articles (`newsgraph bench generate --articles {n} --seed 1`:
deterministic, varied articles from templates about invented people and organisations in real
countries, one to forty reports per story, some of them syndicated copies; {mb(input_bytes)} of JSON Lines,
{mb(text_bytes)} of title and text).

Run of {today} on {nproc} CPUs ({cpu}), {mem} of memory, {platform.system()} {platform.release()}, {rustc}.
Load average at the end of the run: {load} (other programs were sharing the machine when above
about 2); rerun to compare.

| measure | figure | target |
|---|---|---|
| `analyze` (all cores, JSON Lines to a file) | {a_rate:.0f} articles/s ({analyze_s:.0f} s) | |
| `ingest` into a new store (all cores) | {i_rate:.0f} articles/s ({ingest_s:.0f} s), {added:,} articles added | |
| ingest / analyze speed | **{ratio:.0%}** | ≥ 80% |
| store file | {mb(store_bytes)}, **{size_ratio:.2f}×** the input file ({store_bytes / max(text_bytes, 1):.2f}× its title and text) | ≤ 3× |
| `ingest` again, nothing new | {reingest_s:.0f} s | |

Load on `newsgraph serve` over loopback: {clients} concurrent keep-alive clients (`newsgraph bench
load`, on the same machine, so client and server share its cores), each run stopped at
{int(requests):,} requests or {seconds} s. Search pages ask for 500 queries (entity names from the most to
the least frequent, a quarter with a topic word added); story pages for 1,000 stories spread over
the store. "cache off" computes every answer (`serve --cache 0`); "cache on" is the default, where an
answer is kept until the store changes: each target is requested once before the measured run
(a server that has been running a while), so the run measures answers from memory.

{chr(10).join(table)}

- Targets: p99 under 50 ms for search and story pages at {clients} clients, cache off. Story page:
  {p99('story', 0):.1f} ms ({verdict(p99('story', 0))}); search page: {p99('search', 0):.1f} ms
  ({verdict(p99('search', 0))}). With the cache: {p99('story', 2048):.1f} ms and {p99('search', 2048):.1f} ms.
- Story pages and `/api/stories/{{id}}` are computed (and the page rendered) when an ingest
  updates the stories, and kept in the store (`story_pages`), so answering one is one indexed
  read. A search by words ranks with bm25 (`newsgraph_rank`, which takes the article counts
  of frequent words kept by the ingest instead of counting every match of each word), among
  the latest articles that hold about 1,000 matches of its rarest word, and leaves out words
  found in more than half of the articles (bm25 gives them no weight). What remains is mostly
  the snippets (each hit's text inflated and scanned) and the 1,000 scores of a frequent name,
  under a millisecond of CPU per search. Requests get a store connection in the order they
  asked for one.
- Ingest against analyze: what ingest does on top of the analysis is the writing thread's
  inserts (rows of articles and annotations, about two fifths of a core while the analysis
  runs on both) and the stories step. In that step the full-text index and, for a new store,
  the secondary indexes are built on one core while the corpus layer computes the stories on
  the other; then the stories are written and their pages computed on both cores.
- Apache Parquet export is not offered: the `parquet` and `arrow` crates would more than double
  the build time of the whole workspace. JSON Lines, CSV, GraphML and GDELT are.
"""

if write:
    text = open(bench_md, encoding="utf-8").read() if os.path.exists(bench_md) else "# Benchmarks\n"
    pattern = re.compile(r"^## Store and API\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    text = text.rstrip("\n") + "\n"
    with open(bench_md, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"\nwritten to {bench_md}")
PY

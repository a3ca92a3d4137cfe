#!/usr/bin/env bash
# Main-text extraction benchmark: trafilatura and newsgraph side by side on the same pages, each
# single-threaded and timed in-process on pages already in memory, both scored with the same
# scorer. Prints the figures and writes them into the "Extraction" section of BENCHMARKS.md.
#
# usage: scripts/bench_extraction.sh [--no-write]
#
# Needs python3 with venv and PyPI (trafilatura goes into a throwaway venv in /tmp, removed on
# exit; set BENCH_VENV=/path to keep and reuse one), and ../shared (the pages, their ground
# truth, the scorer). Override with AEB_PAGES, AEB_GOLD, SCORER. REPEAT passes (default 5) are
# timed for each tool and the best is kept. Both wall-clock time and the thread's CPU time are
# measured: on a shared machine CPU time is the steadier figure, and the speed ratio uses it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

WRITE=1
[[ "${1:-}" == "--no-write" ]] && WRITE=0

SHARED="${SHARED:-$ROOT/../shared}"
PAGES="${AEB_PAGES:-$SHARED/data/extraction/aeb}"
GOLD="${AEB_GOLD:-$SHARED/data/extraction/aeb-gold/ground-truth.json}"
SCORER="${SCORER:-$SHARED/eval/score_extraction.py}"
REPEAT="${REPEAT:-5}"
TRAFILATURA_VERSION=2.3.1

for f in "$PAGES" "$GOLD" "$SCORER"; do
  [[ -e "$f" ]] || { echo "bench_extraction: $f is missing" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/newsgraph-bench-extraction.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
VENV="${BENCH_VENV:-$WORK/venv}"

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "== venv with trafilatura $TRAFILATURA_VERSION in $VENV" >&2
  python3 -m venv "$VENV"
  # justext (a trafilatura dependency) imports lxml.html.clean, a separate package since lxml 5.2.
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "trafilatura==$TRAFILATURA_VERSION" lxml_html_clean
fi

# Run one core's worth of work on one core when the machine allows it.
PIN=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
  PIN=(taskset -c 0)
fi

echo "== trafilatura $TRAFILATURA_VERSION" >&2
# One process, one thread; pages decompressed into memory first, so only extract() is timed.
"${PIN[@]}" "$VENV/bin/python" - "$PAGES" "$WORK/trafilatura.jsonl" "$REPEAT" >"$WORK/trafilatura.txt" <<'PY'
import gzip, json, os, resource, sys, time
import trafilatura

pages_dir, out_path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
pages = []
for name in sorted(os.listdir(pages_dir)):
    low = name.lower()
    stem = low[:-3] if low.endswith(".gz") else low
    if not (stem.endswith(".html") or stem.endswith(".htm")):
        continue
    with open(os.path.join(pages_dir, name), "rb") as f:
        raw = f.read()
    pages.append((name[:-3] if low.endswith(".gz") else name, gzip.decompress(raw) if low.endswith(".gz") else raw))
trafilatura.extract(pages[0][1], include_comments=False)  # first call loads trafilatura's lazy modules: not extraction
best, best_cpu, texts = float("inf"), float("inf"), None
for _ in range(repeat):
    out = []
    cpu, start = time.thread_time(), time.perf_counter()
    for name, data in pages:
        out.append((name, trafilatura.extract(data, include_comments=False)))
    best = min(best, time.perf_counter() - start)
    best_cpu = min(best_cpu, time.thread_time() - cpu)
    texts = texts or out
with open(out_path, "w", encoding="utf-8") as f:
    for name, text in texts:
        f.write(json.dumps({"kind": "article", "source": name, "text": text or ""}, ensure_ascii=False) + "\n")
total = sum(len(d) for _, d in pages)
print(f"pages: {len(pages)}")
print(f"bytes: {total}")
print(f"seconds: {best:.4f}")
print(f"pages_per_s: {len(pages) / best:.1f}")
print(f"mb_per_s: {total / 1e6 / best:.2f}")
print(f"cpu_seconds: {best_cpu:.4f}")
print(f"cpu_pages_per_s: {len(pages) / best_cpu:.1f}")
print(f"cpu_mb_per_s: {total / 1e6 / best_cpu:.2f}")
print(f"peak_rss_kb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
PY

echo "== newsgraph" >&2
cargo build --quiet --release -p newsgraph-input --example bench_extraction
BIN="$ROOT/target/release/examples/bench_extraction"
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
  "${PIN[@]}" /usr/bin/time -v -o "$WORK/time.txt" "$BIN" "$PAGES" "$WORK/newsgraph.jsonl" --repeat "$REPEAT" \
    >"$WORK/newsgraph.txt" 2>"$WORK/newsgraph.err"
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
  echo "peak_rss_kb: $rss" >>"$WORK/newsgraph.txt"
else
  "${PIN[@]}" "$BIN" "$PAGES" "$WORK/newsgraph.jsonl" --repeat "$REPEAT" >"$WORK/newsgraph.txt" 2>"$WORK/newsgraph.err"
  awk -F': ' '/^vmhwm_kb/ {print "peak_rss_kb: " $2}' "$WORK/newsgraph.txt" >>"$WORK/newsgraph.txt"
fi

# Worst case for memory and time: a page just under the 20 MB limit made of tiny elements.
mkdir -p "$WORK/big"
python3 - "$WORK/big/tiny-elements.html" <<'PY'
import sys
para = "The council voted on Tuesday to approve the new budget, which raises spending on schools."
unit = (f'<div class="item"><p>{para}</p><ul><li><a href="/x">A link to another story</a></li></ul>'
        '<div class="share">Share</div><script>var x = "<div>";</script></div>')
with open(sys.argv[1], "w") as f:
    f.write("<html><head><title>T</title></head><body><article><h1>T</h1>")
    f.write(unit * (19 * 1024 * 1024 // len(unit)))
    f.write("</article></body></html>")
PY
"${PIN[@]}" "$BIN" "$WORK/big" "$WORK/big.jsonl" >"$WORK/big.txt" 2>/dev/null || true

echo "== scoring" >&2
python3 "$SCORER" aeb "$GOLD" "$WORK/trafilatura.jsonl" >"$WORK/trafilatura.score"
python3 "$SCORER" aeb "$GOLD" "$WORK/newsgraph.jsonl" >"$WORK/newsgraph.score"

# The whole pipeline (extraction, then newsgraph's cleaning) on the same pages, for its F1 only;
# skipped when the binary does not build.
if cargo build --quiet --release --bin newsgraph 2>/dev/null; then
  echo "== newsgraph analyze (quality only)" >&2
  "$ROOT/target/release/newsgraph" analyze "$PAGES" --format jsonl >"$WORK/analyze.jsonl" 2>/dev/null || true
  python3 "$SCORER" aeb "$GOLD" "$WORK/analyze.jsonl" >"$WORK/analyze.score" || true
fi

python3 - "$WORK" "$ROOT/BENCHMARKS.md" "$WRITE" "$TRAFILATURA_VERSION" "$REPEAT" "${PIN[*]:-none}" <<'PY'
import datetime, os, platform, re, subprocess, sys

work, bench_md, write, tv, repeat, pin = sys.argv[1:7]
write = write == "1"

def kv(path):
    out = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if ": " in line:
                k, v = line.rstrip("\n").split(": ", 1)
                out.setdefault(k.strip(), v.strip())
    return out

# The tools' own counts win over the scorer's "pages: N  found: N" line.
t = {**kv(f"{work}/trafilatura.score"), **kv(f"{work}/trafilatura.txt")}
n = {**kv(f"{work}/newsgraph.score"), **kv(f"{work}/newsgraph.txt")}
big = kv(f"{work}/big.txt")
full = kv(f"{work}/analyze.score")
cpu = "unknown"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or str(os.cpu_count())
load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
ratio_cpu = float(n["cpu_pages_per_s"]) / float(t["cpu_pages_per_s"])
ratio_wall = float(n["pages_per_s"]) / float(t["pages_per_s"])
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
today = datetime.date.today().isoformat()
mb = int(n["bytes"]) / 1e6

rows = [
    ("tool", "pages/CPU-s", "pages/s (wall)", "MB/CPU-s", "F1", "precision", "recall", "exact", "peak RSS"),
    (f"trafilatura {tv}", t["cpu_pages_per_s"], t["pages_per_s"], t["cpu_mb_per_s"], t["f1"], t["precision"],
     t["recall"], t["exact"], f"{int(t['peak_rss_kb']) // 1024} MB"),
    ("newsgraph", n["cpu_pages_per_s"], n["pages_per_s"], n["cpu_mb_per_s"], n["f1"], n["precision"], n["recall"],
     n["exact"], f"{int(n['peak_rss_kb']) // 1024} MB"),
]
table = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
table += ["| " + " | ".join(r) + " |" for r in rows[1:]]
full_line = (f"- The whole pipeline (`newsgraph analyze` on the same pages: extraction, then newsgraph's\n"
             f"  cleaning): F1 {full['f1']}, precision {full['precision']}, recall {full['recall']}.\n"
             if "f1" in full else "")
big_line = (f"- Worst case: a {int(big['bytes']) / 1048576:.1f} MiB page of tiny elements (just under the 20 MiB limit; larger\n"
            f"  pages are refused before parsing) took {float(big['cpu_seconds']):.2f} CPU-s and "
            f"{int(big['peak_page_kb']) / 1024:.0f} MB of heap at its peak.\n"
            if "peak_page_kb" in big and "cpu_seconds" in big else "")

print()
for line in table:
    print(line)
print(f"\nspeed ratio (newsgraph / trafilatura): {ratio_cpu:.1f}x in pages per CPU-second, "
      f"{ratio_wall:.1f}x in pages per wall-clock second")
print(f"newsgraph: {n['articles']} articles, {n['rejected']} rejected; "
      f"most heap for one page: {int(n['peak_page_kb']) / 1024:.1f} MB ({n['peak_page']})")
if full:
    print(f"newsgraph analyze (extraction + cleaning): f1 {full.get('f1')}")
if big_line:
    print(big_line.replace("\n  ", " ").strip())

section = f"""## Extraction

Main text from HTML on the article-extraction-benchmark pages (`../shared/data/extraction/aeb`,
{n['pages']} pages, {mb:.1f} MB of HTML), scored with `score_extraction.py aeb` (4-word shingles, precision
and recall averaged over pages). Rerun with `scripts/bench_extraction.sh`.

Run of {today} on {nproc} CPUs ({cpu}), {platform.system()} {platform.release()}, {rustc},
Python {platform.python_version()}; load average {load:.1f} when the run ended; pinned with: {pin}.

{chr(10).join(table)}

- Speed ratio: newsgraph extracts **{ratio_cpu:.1f}x** as many pages per CPU-second as trafilatura
  ({ratio_wall:.1f}x per wall-clock second).
- Both single-threaded in one process, pages decompressed into memory before the clock starts; the
  best of {repeat} passes for each. pages/CPU-s counts the thread's CPU time (steady on a shared
  machine); pages/s (wall) counts elapsed time. trafilatura: `trafilatura.extract(bytes,
  include_comments=False)` (comments are not article text; the setting of the issue's 0.960).
  newsgraph: `newsgraph_input::read_bytes` (decoding, parsing, main text and metadata) in the release
  build of `crates/newsgraph-input/examples/bench_extraction.rs`.
- Peak RSS is the whole process, with every page of the set held in memory (newsgraph:
  `/usr/bin/time -v`; trafilatura: `ru_maxrss`). The most heap newsgraph needed for one page at once:
  {int(n['peak_page_kb']) / 1024:.1f} MB, for {n['peak_page']}.
{big_line}- newsgraph rejected {n['rejected']} page(s) as holding no article text.
{full_line}"""

if write:
    text = open(bench_md, encoding="utf-8").read() if os.path.exists(bench_md) else "# Benchmarks\n"
    pattern = re.compile(r"^## Extraction\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    text = text.rstrip("\n") + "\n"
    with open(bench_md, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"\nwritten to {bench_md}")
PY

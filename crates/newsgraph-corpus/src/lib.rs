//! The corpus layer: which articles are copies of one another, which report the same story,
//! and how the sources of a story compare.
//!
//! [`Corpus::add`] takes articles one at a time and keeps only compact features of each (a
//! MinHash signature; the 64 strongest terms, 32 strongest entities, 16 numbers, amounts and
//! event roles as `u32` ids with small counts; the days its text names; its people's surnames;
//! at most 14 claims and 4 dated items as hashes with a shared short label ([`claims`]); the
//! date, title, site and id): about 3.5 KB an article at the peak of [`Corpus::finish`], story
//! vectors and indexes included (measured in BENCHMARKS.md), so a million articles need about
//! 3.5 GB. [`Corpus::finish`] then puts the articles in processing order, finds copies
//! ([`copies`]), clusters stories online ([`stories`]) and compares each story's sources
//! ([`compare`]); [`Corpus::finish_streaming`] makes the story records one at a time.
//!
//! Rarity (IDF) is measured over every article added before `finish`, the corpus seen so far.
//! Which 64 terms an article keeps is decided when it is added, from the frequencies up to
//! then; the weights they get come from the whole corpus, so that the first articles of a run
//! are not weighed against a handful of others.
//!
//! [`Corpus::save_state`] writes those features, and [`Corpus::load_state`] reads them back,
//! so that a store can add new articles to the corpus it had without analysing the old ones
//! again.
//!
//! Processing order is by publication date, then by the order articles were added. Undated
//! articles come after all dated ones, in the order added: placing them among dated articles
//! would be a guess, while after them they can still join any story, with the whole index built.
//! Adding more (later) input therefore leaves the decisions for earlier dated articles as they
//! were, up to the small shift of corpus-wide IDF weights.

mod claims;
pub mod compare;
pub mod copies;
mod hash;
pub mod stories;
mod text;
mod time;

use copies::CopyFeatures;
use hash::FastMap;
use newsgraph_doc::record::StoryRecord;
use newsgraph_doc::{Document, EntityType};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use xxhash_rust::xxh3::xxh3_64;

/// Parameters of copy detection and story clustering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Words per shingle for copy detection. Three words keep a light rewrite (a tenth of the
    /// words changed here and there) above half of the shared shingles, where five would lose
    /// most of them; the entity check in [`copies`] keeps look-alike templates apart.
    pub shingle_words: usize,
    /// LSH bands and rows per band over the 128 MinHash values. 42 × 3 makes a pair with
    /// Jaccard 0.4 a candidate with probability 0.94, and one with 0.5 with 0.996.
    pub copy_bands: usize,
    pub copy_band_rows: usize,
    /// A candidate pair is a copy when its estimated Jaccard similarity reaches this …
    pub copy_jaccard: f32,
    /// … or when this share of the smaller article's shingles is in the other.
    pub copy_containment: f32,
    /// Terms kept per article (strongest by TF-IDF at the time it was added).
    pub max_terms: usize,
    /// Entities kept per article.
    pub max_entities: usize,
    /// Numbers kept per article (and amounts, and events).
    pub max_numbers: usize,
    /// Days named in the text kept per article.
    pub max_days: usize,
    /// How often a title word (or an entity's mention in the title) counts, relative to one in
    /// the body.
    pub title_weight: u8,
    /// Weight of entities carrying a country code (countries, capitals, demonyms) relative to
    /// their IDF: many unrelated stories share them.
    pub country_weight: f32,
    /// An article's score with a story (see [`stories`] for what is compared) is
    ///
    /// ```text
    /// text_weight · cos(terms) + entity_weight · cos(entities) + number_weight · cos(numbers)
    ///   + amount_weight · cos(amounts) + event_weight · cos(events)
    ///   − time_weight · T + same_day_weight · D + follow_up_weight · D · T − day_gap_weight · G
    ///   + both_covered_weight · Ca · Cs − lead_conflict_weight · L
    ///   − figures_conflict_weight · ln(1 + F)
    /// ```
    ///
    /// where T = ln(1 + days between the article and the story's nearest article /
    /// time_scale_days), 0 when either is undated (an undated article is placed by the day its
    /// text names most); D = 1 when a day the article names (or was published on) is within a
    /// day of one the story's articles name or were published on; G = ln(1 + fewest days between
    /// those / time_scale_days); Ca and Cs the shares of the article's entity weight that the
    /// story has and of the story's that the article has; L = 1 when the person the article
    /// names most is named nowhere in the story and the story's most named person is not in
    /// the article (only for articles published within lead_conflict_days of the story, or
    /// undated: a follow-up weeks later rightly names new people, a suspect, a judge); F the
    /// number of the article's exact amounts for which the story gives only other values for
    /// the same unit and context word.
    ///
    /// Numbers (terms with digits: ages, counts, scores, years, house numbers) are also terms,
    /// but get a cosine of their own: they pin a report to one event, while the words, which
    /// outnumber them, describe the kind of event that look-alike events share. D rewards a
    /// follow-up that names the day of the incident, and D · T rewards it more the later it
    /// comes, since only a report of the same incident names that day weeks later.
    ///
    /// The weights were set by coordinate search on the development halves of ECB+ and GVA
    /// (see BENCHMARKS.md), rounded; each kept feature improves one set without hurting the other.
    pub text_weight: f32,
    pub entity_weight: f32,
    pub number_weight: f32,
    pub amount_weight: f32,
    pub event_weight: f32,
    pub time_weight: f32,
    pub time_scale_days: f32,
    pub same_day_weight: f32,
    pub follow_up_weight: f32,
    pub day_gap_weight: f32,
    pub both_covered_weight: f32,
    pub lead_conflict_weight: f32,
    pub lead_conflict_days: f32,
    pub figures_conflict_weight: f32,
    /// An article joins its best story when the score reaches this; else it starts a story.
    pub join_threshold: f32,
    /// An article scoring at least this with two stories merges them.
    pub merge_threshold: f32,
    /// A site's template (see [`stories`]) is judged once it has this many articles …
    pub site_min_articles: usize,
    /// … as the terms in at least this share of them …
    pub site_template_share: f32,
    /// … and at least this many times as often as in the whole corpus.
    pub site_template_lift: f32,
    /// Terms and entities of an article used to look up candidate stories, and under which a
    /// story is indexed.
    pub query_terms: usize,
    pub query_entities: usize,
    /// Most recent entries read from one postings list, so frequent terms cost bounded time.
    pub max_postings: usize,
    /// Candidate stories scored in full per article.
    pub max_candidates: usize,
    /// Terms and entities kept in a story's centroid.
    pub story_terms: usize,
    pub story_entities: usize,
    /// Days kept in a story's date profile.
    pub story_days: usize,
    /// A finished story splits into groups of at least `split_min_part` articles when the
    /// average score between them stays under `split_threshold` (see [`stories`]); 0 turns
    /// splitting off. Stories of more than `split_max_articles` are not examined. Chosen on
    /// the development halves of ECB+ and GVA: thresholds from 0.35 to 0.5 all score within
    /// 0.02 of the best on ECB+; parts of 4 leave GVA's small stories of follow-ups whole.
    pub split_threshold: f32,
    /// An article alone in its story joins another it scores this with once every article is
    /// placed (see [`stories`]); 0 turns this off. The join threshold: on the halves of ECB+
    /// and GVA, 0.3 to 0.4 all gain.
    pub reattach_threshold: f32,
    pub split_min_part: usize,
    pub split_max_articles: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            shingle_words: 3,
            copy_bands: 42,
            copy_band_rows: 3,
            copy_jaccard: 0.5,
            copy_containment: 0.6,
            max_terms: 64,
            max_entities: 32,
            max_numbers: 16,
            max_days: 8,
            title_weight: 2,
            country_weight: 0.3,
            text_weight: 1.0,
            entity_weight: 0.5,
            number_weight: 0.3,
            amount_weight: 0.1,
            event_weight: 0.1,
            time_weight: 0.1,
            time_scale_days: 5.0,
            same_day_weight: 0.1,
            follow_up_weight: 0.1,
            day_gap_weight: 0.1,
            both_covered_weight: 0.2,
            lead_conflict_weight: 0.2,
            lead_conflict_days: 0.0,
            figures_conflict_weight: 0.05,
            join_threshold: 0.35,
            merge_threshold: 0.7,
            site_min_articles: 10,
            site_template_share: 0.5,
            site_template_lift: 4.0,
            query_terms: 16,
            query_entities: 16,
            max_postings: 64,
            max_candidates: 32,
            story_terms: 192,
            story_entities: 96,
            story_days: 24,
            split_threshold: 0.4,
            reattach_threshold: 0.35,
            split_min_part: 4,
            split_max_articles: 256,
        }
    }
}

/// Where one article ended up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The document's id.
    pub id: String,
    pub story: String,
    /// The id of the earliest article of its copy group, when it is a copy.
    pub duplicate_of: Option<String>,
}

/// What [`Corpus::finish`] found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CorpusResult {
    /// One per article, in the order they were added.
    pub articles: Vec<Assignment>,
    /// In order of each story's first article.
    pub stories: Vec<StoryRecord>,
}

impl CorpusResult {
    /// The assignment of the first article added with this id (a linear search; see
    /// [`Self::by_id`] for many lookups).
    pub fn get(&self, id: &str) -> Option<&Assignment> {
        self.articles.iter().find(|a| a.id == id)
    }

    /// Assignments by article id (the first article added with each id).
    pub fn by_id(&self) -> HashMap<&str, &Assignment> {
        let mut out = HashMap::with_capacity(self.articles.len());
        for a in &self.articles {
            out.entry(a.id.as_str()).or_insert(a);
        }
        out
    }
}

/// Interned strings with the number of articles each occurred in. Saved as the strings in id
/// order and their counts; the map is rebuilt on loading.
#[derive(Debug, Default)]
struct Vocab {
    ids: FastMap<Box<str>, u32>,
    df: Vec<u32>,
}

impl Vocab {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.df.len() as u32;
        self.ids.insert(s.into(), id);
        self.df.push(0);
        id
    }
}

impl Serialize for Vocab {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut names: Vec<&str> = vec![""; self.df.len()];
        for (name, &id) in &self.ids {
            names[id as usize] = name;
        }
        (names, &self.df).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Vocab {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (names, df): (Vec<Box<str>>, Vec<u32>) = Deserialize::deserialize(d)?;
        if names.len() != df.len() {
            return Err(serde::de::Error::custom("vocabulary names and counts differ in number"));
        }
        let ids: FastMap<Box<str>, u32> = names.into_iter().enumerate().map(|(i, n)| (n, i as u32)).collect();
        if ids.len() != df.len() {
            return Err(serde::de::Error::custom("vocabulary names repeat"));
        }
        Ok(Vocab { ids, df })
    }
}

/// Sparse counts with `u32` ids, sorted by id; counts saturate at 255.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Bag {
    pub ids: Box<[u32]>,
    pub counts: Box<[u8]>,
}

/// What the corpus keeps of one article.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Article {
    pub id: Box<str>,
    pub title: Option<Box<str>>,
    pub site: Option<u32>,
    pub published: Option<Box<str>>,
    /// Seconds since the epoch.
    pub time: Option<i64>,
    /// For an undated article, the day its text names most often (seconds since the epoch):
    /// a look-alike event in another year can then be told by its date.
    pub text_time: Option<i64>,
    /// Days (since the epoch) that the text names to the day, distinct, sorted.
    pub days: Box<[i32]>,
    pub terms: Bag,
    /// The terms with digits again (see [`Config::number_weight`]).
    pub numbers: Bag,
    pub entities: Bag,
    /// Amounts as `unit=value` and events as `TYPE`, `TYPE actor→target`.
    pub amounts: Bag,
    pub events: Bag,
    /// The people it names, as hashes of their surnames (so "Fred LaRue" and "LaRue" agree),
    /// sorted, and the one it names most (at least twice), if any.
    pub people: Box<[u32]>,
    pub lead: Option<u32>,
    pub copy: CopyFeatures,
    /// What it reports, for its story's comparison of sources (see [`claims`]).
    pub claims: Box<[claims::Claim]>,
    pub dated: Box<[claims::Dated]>,
}

/// Starts a saved corpus state; the last bytes are the format's version, to be raised whenever
/// what [`Corpus`] keeps changes.
const STATE_MAGIC: &[u8; 8] = b"NGCORP\x00\x01";

/// Smoothed inverse document frequency; never below 1, so a word in every article still
/// counts a little.
pub(crate) fn idf(n: usize, df: u32) -> f32 {
    ((n as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0
}

/// Articles seen so far, as compact features.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Corpus {
    config: Config,
    terms: Vocab,
    term_numeric: Vec<bool>,
    entities: Vocab,
    entity_names: Vec<Box<str>>,
    entity_country: Vec<bool>,
    sites: Vocab,
    amounts: Vocab,
    events: Vocab,
    labels: claims::Labels,
    articles: Vec<Article>,
}

impl Corpus {
    pub fn new(config: Config) -> Self {
        Corpus { config, ..Default::default() }
    }

    /// The configuration the corpus was made with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// Writes what the corpus has taken so far (its configuration, vocabularies with their
    /// counts and every article's features: about 1.3 KB an article, saved or loaded at about
    /// 100,000 articles a second; see BENCHMARKS.md),
    /// so that a later run can [`load`](Self::load_state) it and add only new articles
    /// instead of analysing the old ones again. Adding articles to a loaded state gives the
    /// same result as adding them all in one run. Save before [`finish`](Self::finish), which
    /// consumes the corpus.
    pub fn save_state(&self, mut out: impl std::io::Write) -> std::io::Result<()> {
        out.write_all(STATE_MAGIC)?;
        postcard::to_io(self, out).map_err(std::io::Error::other)?;
        Ok(())
    }

    /// Reads a state [`save_state`](Self::save_state) wrote, with the configuration it was
    /// saved with (see [`config`](Self::config): a caller whose configuration has changed
    /// since should rebuild). A state of another format version is refused (`InvalidData`):
    /// the caller then rebuilds the corpus from its articles.
    pub fn load_state(mut input: impl std::io::Read) -> std::io::Result<Corpus> {
        let invalid = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes)?;
        let body =
            bytes.strip_prefix(STATE_MAGIC).ok_or_else(|| invalid("not a corpus state of this version".into()))?;
        let corpus: Corpus = postcard::from_bytes(body).map_err(|e| invalid(format!("corpus state: {e}")))?;
        corpus.check().map_err(|e| invalid(format!("corpus state: {e}")))?;
        Ok(corpus)
    }

    /// Whether every id an article holds is in its vocabulary, so that a damaged state fails
    /// on loading instead of panicking later.
    fn check(&self) -> Result<(), &'static str> {
        let (nt, ne) = (self.terms.df.len(), self.entities.df.len());
        if self.term_numeric.len() != nt || self.entity_names.len() != ne || self.entity_country.len() != ne {
            return Err("vocabulary tables differ in length");
        }
        let within =
            |bag: &Bag, n: usize| bag.ids.len() == bag.counts.len() && bag.ids.iter().all(|&i| (i as usize) < n);
        for a in &self.articles {
            let ok = within(&a.terms, nt)
                && within(&a.numbers, nt)
                && within(&a.entities, ne)
                && within(&a.amounts, self.amounts.df.len())
                && within(&a.events, self.events.df.len())
                && a.site.is_none_or(|s| (s as usize) < self.sites.df.len())
                && (a.claims.iter().map(|c| c.label).chain(a.dated.iter().map(|d| d.label)))
                    .all(|l| self.labels.contains(l));
            if !ok {
                return Err("an article refers to an unknown id");
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Takes the features of one article; the document itself is not kept.
    pub fn add(&mut self, doc: &Document) {
        let cfg = &self.config;
        let mut counts: FastMap<u32, u32> = FastMap::default();
        let title = doc.meta.title.as_deref().unwrap_or("");
        let mut t = String::new();
        for (text, weight) in [(title, cfg.title_weight as u32), (doc.text.as_str(), 1)] {
            text::for_each_word(text, |w| {
                if text::term(w, &mut t) {
                    let id = self.terms.intern(&t);
                    if id as usize == self.term_numeric.len() {
                        self.term_numeric.push(t.bytes().any(|b| b.is_ascii_digit()));
                    }
                    *counts.entry(id).or_default() += weight;
                }
            });
        }
        let n = self.articles.len() + 1;
        for &t in counts.keys() {
            self.terms.df[t as usize] += 1;
        }
        let numeric = &self.term_numeric;
        let number_counts: FastMap<u32, u32> =
            counts.iter().filter(|(&t, _)| numeric[t as usize]).map(|(&t, &c)| (t, c)).collect();
        let numbers = strongest(number_counts, cfg.max_numbers, |t| idf(n, self.terms.df[t as usize]));
        let terms = strongest(counts, cfg.max_terms, |t| idf(n, self.terms.df[t as usize]));

        let mut counts: FastMap<u32, u32> = FastMap::default();
        for e in &doc.entities {
            let id = self.entities.intern(&e.id);
            if id as usize == self.entity_names.len() {
                self.entity_names.push(e.name.as_str().into());
                self.entity_country.push(e.kind == EntityType::Place && e.code.is_some());
            }
            let n = e.mentions.len() + cfg.title_weight as usize * e.title_mentions.len();
            *counts.entry(id).or_default() += n.max(1) as u32;
        }
        for &e in counts.keys() {
            self.entities.df[e as usize] += 1;
        }
        let entities = strongest(counts, cfg.max_entities, |e| {
            let w = idf(n, self.entities.df[e as usize]);
            if self.entity_country[e as usize] {
                w * cfg.country_weight
            } else {
                w
            }
        });

        let mut counts: FastMap<u32, u32> = FastMap::default();
        let mut key = String::new();
        for a in &doc.amounts {
            use std::fmt::Write;
            key.clear();
            let _ = write!(key, "{}={}", a.unit.as_deref().unwrap_or(""), a.value);
            *counts.entry(self.amounts.intern(&key)).or_default() += 1;
        }
        for &a in counts.keys() {
            self.amounts.df[a as usize] += 1;
        }
        let amounts = strongest(counts, cfg.max_numbers, |a| idf(n, self.amounts.df[a as usize]));

        let mut counts: FastMap<u32, u32> = FastMap::default();
        let who = |i: Option<usize>| i.and_then(|i| doc.entities.get(i)).map_or("", |e| e.id.as_str());
        for e in &doc.events {
            *counts.entry(self.events.intern(&e.kind)).or_default() += 1;
            if e.actor.is_some() || e.target.is_some() {
                key.clear();
                key.push_str(&e.kind);
                key.push(' ');
                key.push_str(who(e.actor));
                key.push('>');
                key.push_str(who(e.target));
                *counts.entry(self.events.intern(&key)).or_default() += 1;
            }
        }
        for &e in counts.keys() {
            self.events.df[e as usize] += 1;
        }
        let events = strongest(counts, cfg.max_numbers, |e| idf(n, self.events.df[e as usize]));

        let (days, text_time) = day_profile(doc, cfg.max_days);
        let (people, lead) = people(doc, cfg.max_entities);

        let site = doc.meta.site.as_deref().filter(|s| !s.trim().is_empty());
        let site = site.map(|s| self.sites.intern(s.trim()));
        let published = doc.meta.published.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let copy = copies::features(&doc.text, cfg);
        let (claims, dated) = claims::extract(doc, &mut self.labels);
        self.articles.push(Article {
            id: doc.id.as_str().into(),
            title: doc.meta.title.as_deref().map(|t| t.trim().into()),
            site,
            time: published.and_then(time::parse_published),
            text_time,
            days,
            published: published.map(Into::into),
            terms,
            numbers,
            entities,
            amounts,
            events,
            people,
            lead,
            copy,
            claims,
            dated,
        });
    }

    /// Finds copies and stories among all articles added.
    pub fn finish(self) -> CorpusResult {
        let (articles, stories) = self.finish_streaming();
        CorpusResult { articles, stories: stories.collect() }
    }

    /// Like [`Self::finish`], but makes the story records one at a time as they are read, so
    /// that their comparisons (a few kilobytes a story) are never all in memory at once.
    pub fn finish_streaming(mut self) -> (Vec<Assignment>, Stories) {
        let n = self.articles.len();
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&i| {
            let t = self.articles[i as usize].time;
            (t.is_none(), t.unwrap_or(0), i)
        });
        let mut rank = vec![0u32; n];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = r as u32;
        }

        // Signatures are a third of what an article keeps and are not needed after this.
        let originals = {
            let owned: Vec<CopyFeatures> = self.articles.iter_mut().map(|a| std::mem::take(&mut a.copy)).collect();
            let feats: Vec<&CopyFeatures> = owned.iter().collect();
            let entities: Vec<&Bag> = self.articles.iter().map(|a| &a.entities).collect();
            copies::detect(&feats, &entities, &rank, &self.config)
        };

        let term_idf: Vec<f32> = self.terms.df.iter().map(|&df| idf(n, df)).collect();
        let entity_idf: Vec<f32> = (self.entities.df.iter().zip(&self.entity_country))
            .map(|(&df, &country)| {
                let w = idf(n, df);
                if country {
                    w * self.config.country_weight
                } else {
                    w
                }
            })
            .collect();
        let amount_idf: Vec<f32> = self.amounts.df.iter().map(|&df| idf(n, df)).collect();
        let event_idf: Vec<f32> = self.events.df.iter().map(|&df| idf(n, df)).collect();
        let input = stories::Input {
            articles: &self.articles,
            order: &order,
            originals: &originals,
            term_idf: &term_idf,
            entity_idf: &entity_idf,
            term_df: &self.terms.df,
            entity_df: &self.entities.df,
            amount_idf: &amount_idf,
            event_idf: &event_idf,
        };
        let story_of = stories::cluster(&input, &self.config);

        // Members of each story, in processing order.
        let mut members: FastMap<u32, Vec<u32>> = FastMap::default();
        let mut story_order: Vec<u32> = Vec::new();
        for &i in &order {
            let s = story_of[i as usize];
            members
                .entry(s)
                .or_insert_with(|| {
                    story_order.push(s);
                    Vec::new()
                })
                .push(i);
        }
        let members: Vec<Vec<u32>> = story_order.iter().map(|s| members.remove(s).unwrap_or_default()).collect();
        drop((order, rank, story_of, term_idf, entity_idf, amount_idf, event_idf));

        // A story is named after the first of its articles to be added, not the first in
        // processing order: an earlier-dated article added in a later run then joins the
        // story without renaming it, and of two merged stories the id of the one known first
        // is kept. Ids thus need no story record.
        let mut story_ids = vec![String::new(); n];
        for list in &members {
            let id = story_id(&self.articles, list);
            for &i in list {
                story_ids[i as usize] = id.clone();
            }
        }
        let articles = (self.articles.iter().enumerate())
            .map(|(i, a)| Assignment {
                id: a.id.to_string(),
                story: std::mem::take(&mut story_ids[i]),
                duplicate_of: originals[i].map(|o| self.articles[o as usize].id.to_string()),
            })
            .collect();

        // What story records do not read goes before they are made.
        self.terms = Vocab::default();
        self.term_numeric = Vec::new();
        self.amounts = Vocab::default();
        self.events = Vocab::default();
        for a in &mut self.articles {
            a.terms = Bag::default();
            a.numbers = Bag::default();
            a.amounts = Bag::default();
            a.events = Bag::default();
            a.people = Box::default();
            a.days = Box::default();
        }
        let mut site_names: Vec<Box<str>> = vec![Box::from(""); self.sites.df.len()];
        for (name, &id) in &self.sites.ids {
            site_names[id as usize] = name.clone();
        }
        self.sites = Vocab::default();
        (articles, Stories { corpus: self, originals, members, site_names, next: 0 })
    }

    fn story_record(&self, list: &[u32], originals: &[Option<u32>], site_names: &[Box<str>]) -> StoryRecord {
        let arts = || list.iter().map(|&i| &self.articles[i as usize]);
        let first = &self.articles[list[0] as usize];
        let title = first
            .title
            .iter()
            .chain(arts().filter_map(|a| a.title.as_ref()))
            .find(|t| !t.is_empty())
            .map(|t| t.to_string())
            .unwrap_or_default();
        let mut sites: Vec<u32> = Vec::new();
        for s in arts().filter_map(|a| a.site) {
            if !sites.contains(&s) {
                sites.push(s);
            }
        }

        // Entities in more than half of the articles, most frequent first, then by first
        // appearance.
        let mut seen: Vec<(u32, u32, usize)> = Vec::new();
        let mut at: FastMap<u32, usize> = FastMap::default();
        for a in arts() {
            for &e in a.entities.ids.iter() {
                let k = *at.entry(e).or_insert_with(|| {
                    seen.push((e, 0, seen.len()));
                    seen.len() - 1
                });
                seen[k].1 += 1;
            }
        }
        let mut shared: Vec<_> = seen.into_iter().filter(|&(_, c, _)| 2 * c as usize > list.len()).collect();
        shared.sort_by_key(|&(_, c, pos)| (std::cmp::Reverse(c), pos));
        const MAX_ENTITIES: usize = 12;
        let entities =
            shared.iter().take(MAX_ENTITIES).map(|&(e, _, _)| self.entity_names[e as usize].to_string()).collect();

        let cmp = compare::compare(list, &self.articles, originals, site_names, &self.labels);
        StoryRecord {
            kind: "story".into(),
            id: story_id(&self.articles, list),
            title,
            articles: arts().map(|a| a.id.to_string()).collect(),
            sites: sites.iter().map(|&s| site_names[s as usize].to_string()).collect(),
            entities,
            first_published: arts().find_map(|a| a.published.as_ref()).map(|p| p.to_string()),
            independent_articles: list.iter().filter(|&&i| originals[i as usize].is_none()).count(),
            sources: cmp.sources.iter().map(json).collect(),
            first_reported: cmp.first_reported,
            independent_sources: cmp.independent_sources,
            timeline: cmp.timeline.iter().map(json).collect(),
            claims: cmp.claims.iter().map(json).collect(),
            shared_claims: cmp.shared_claims,
            unique_claims: cmp.unique_claims,
            disagreements: cmp.disagreements.iter().map(json).collect(),
        }
    }
}

/// The id of a story with these members: named after the member added first (articles are
/// kept in the order added).
fn story_id(articles: &[Article], members: &[u32]) -> String {
    let first = members.iter().min().expect("a story has an article");
    format!("story-{}", articles[*first as usize].id)
}

/// The surnames of the people an article names, as hashes (the `max` most named, sorted), and
/// the one it names most when named at least twice (a title mention counts double).
fn people(doc: &Document, max: usize) -> (Box<[u32]>, Option<u32>) {
    let mut seen: Vec<(u32, usize)> = Vec::new();
    for e in doc.entities.iter().filter(|e| e.kind == EntityType::Person) {
        let mut last = None;
        text::for_each_word(&e.name, |w| {
            if w.chars().count() > 1 {
                last = Some(xxh3_64(w.as_bytes()) as u32);
            }
        });
        let Some(key) = last else { continue };
        let n = e.mentions.len() + 2 * e.title_mentions.len();
        match seen.iter_mut().find(|(k, _)| *k == key) {
            Some((_, c)) => *c += n,
            None => seen.push((key, n)),
        }
    }
    seen.sort_by_key(|&(_, c)| std::cmp::Reverse(c));
    let lead = seen.first().filter(|&&(_, c)| c >= 2).map(|&(k, _)| k);
    seen.truncate(max);
    let mut keys: Vec<u32> = seen.into_iter().map(|(k, _)| k).collect();
    keys.sort_unstable();
    (keys.into(), lead)
}

/// The days the text names to the day (at most `max`, the most often named), and the one it
/// names most often (the first of those, on a tie) as seconds since the epoch.
fn day_profile(doc: &Document, max: usize) -> (Box<[i32]>, Option<i64>) {
    let mut seen: Vec<(i32, u32)> = Vec::new();
    for d in &doc.dates {
        let Some(v) = d.value.as_deref().filter(|v| v.len() >= 10) else { continue };
        let Some(t) = time::parse_published(v) else { continue };
        let day = t.div_euclid(86_400) as i32;
        match seen.iter_mut().find(|(d, _)| *d == day) {
            Some((_, c)) => *c += 1,
            None => seen.push((day, 1)),
        }
    }
    // Stable: among equally frequent days, the first named comes first.
    seen.sort_by_key(|&(_, c)| std::cmp::Reverse(c));
    let text_time = seen.first().map(|&(d, _)| d as i64 * 86_400);
    seen.truncate(max);
    let mut days: Vec<i32> = seen.into_iter().map(|(d, _)| d).collect();
    days.sort_unstable();
    (days.into(), text_time)
}

/// The story records of a finished corpus, in order of each story's first article, made as
/// they are read.
pub struct Stories {
    corpus: Corpus,
    originals: Vec<Option<u32>>,
    /// Article indexes of each story, in processing order.
    members: Vec<Vec<u32>>,
    site_names: Vec<Box<str>>,
    next: usize,
}

impl Iterator for Stories {
    type Item = StoryRecord;

    fn next(&mut self) -> Option<StoryRecord> {
        let list = self.members.get_mut(self.next)?;
        let list = std::mem::take(list);
        self.next += 1;
        Some(self.corpus.story_record(&list, &self.originals, &self.site_names))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.members.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Stories {}

/// A record's part as JSON: the story record holds the comparison as JSON values, since its
/// types live in this crate (see [`compare`] for their fields).
fn json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).expect("comparison types serialise")
}

/// The `max` entries with the highest `(1 + ln count) · weight(id)`, as a bag sorted by id.
fn strongest(counts: FastMap<u32, u32>, max: usize, weight: impl Fn(u32) -> f32) -> Bag {
    let mut v: Vec<(u32, u32)> = counts.into_iter().collect();
    if v.len() > max {
        let mut keyed: Vec<(f32, u32, u32)> =
            v.iter().map(|&(id, c)| ((1.0 + (c as f32).ln()) * weight(id), id, c)).collect();
        // Ties go to the lower id (the term seen first in the corpus) so the choice does not
        // depend on hash order.
        keyed.select_nth_unstable_by(max, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        v = keyed[..max].iter().map(|&(_, id, c)| (id, c)).collect();
    }
    v.sort_unstable();
    Bag { ids: v.iter().map(|&(id, _)| id).collect(), counts: v.iter().map(|&(_, c)| c.min(255) as u8).collect() }
}

/// Runs copy detection and story clustering over documents in memory, with the default
/// configuration, and fills in each document's `story` and `duplicate_of`.
pub fn assign(docs: &mut [Document]) -> Vec<StoryRecord> {
    let mut corpus = Corpus::new(Config::default());
    for d in docs.iter() {
        corpus.add(d);
    }
    let result = corpus.finish();
    for (d, a) in docs.iter_mut().zip(result.articles) {
        d.story = Some(a.story);
        d.duplicate_of = a.duplicate_of;
    }
    result.stories
}

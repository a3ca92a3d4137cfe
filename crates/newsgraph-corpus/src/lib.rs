//! The corpus layer: which articles are copies of one another, which report the same story,
//! and how the sources of a story compare.
//!
//! [`Corpus::add`] takes articles one at a time and keeps only compact features of each (a
//! MinHash signature; the 64 strongest terms, 32 strongest entities, 16 numbers, amounts and
//! event roles as `u32` ids with small counts; the days its text names; its people's surnames;
//! at most 14 claims and 4 dated items as hashes with a short label ([`claims`]); the
//! date, title, site and id). What story clustering reads is packed in memory (postcard, ids
//! as differences: about 400 bytes an article, with a 24-byte slot and the id); signatures,
//! titles, publication strings and claims, read only to find copies and to make story records,
//! go to temporary files ([`spill`]). With the story vectors and indexes of
//! [`Corpus::finish`], the corpus layer's peak is about 0.7 KB an article on generated
//! articles and 2 KB on GVA's (many one-article stories, each with its vectors; measured in
//! BENCHMARKS.md). [`Corpus::finish`] then puts the articles in processing order, finds copies
//! ([`copies`]), clusters stories online ([`stories`]) and compares each story's sources
//! ([`compare`]); [`Corpus::finish_streaming`] makes the story records one at a time and gives
//! the assignments as two numbers an article ([`Assignments`]).
//!
//! Rarity (IDF) is measured over every article added before `finish`, the corpus seen so far.
//! Which 64 terms an article keeps is decided when it is added, from the frequencies up to
//! then; the weights they get come from the whole corpus, so that the first articles of a run
//! are not weighed against a handful of others.
//!
//! [`Corpus::save_state`] writes those features, and [`Corpus::load_state`] reads them back,
//! so that a store can add new articles to the corpus it had without analysing the old ones
//! again.
//! [`Features`] are what [`Corpus::add`] takes of one article before the corpus weighs it;
//! made where the document is and kept as bytes, they let a store add an article later
//! without reading its text and annotations back.
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
mod spill;
pub mod stories;
mod text;
mod time;

use copies::Signatures;
use hash::FastMap;
use newsgraph_doc::record::StoryRecord;
use newsgraph_doc::{Document, EntityType};
use serde::{Deserialize, Serialize};
use spill::Spill;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Arc;
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

/// Article ids, in the order added, in one string.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Ids {
    text: String,
    ends: Vec<u64>,
}

impl Ids {
    fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
}

/// Where each article ended up, in the order added, kept as two numbers an article (the
/// article its story is named after, and its original when it is a copy); the ids are made
/// when asked for.
#[derive(Debug)]
pub struct Assignments {
    ids: Arc<Ids>,
    namer: Vec<u32>,
    originals: Vec<Option<u32>>,
}

impl Assignments {
    pub fn len(&self) -> usize {
        self.namer.len()
    }

    pub fn is_empty(&self) -> bool {
        self.namer.is_empty()
    }

    /// The `i`th article added.
    pub fn get(&self, i: usize) -> Option<Assignment> {
        let namer = *self.namer.get(i)?;
        Some(Assignment {
            id: self.ids.get(i as u32).to_string(),
            story: format!("story-{}", self.ids.get(namer)),
            duplicate_of: self.originals[i].map(|o| self.ids.get(o).to_string()),
        })
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Assignment> + '_ {
        (0..self.len()).map(|i| self.get(i).expect("within range"))
    }

    /// How many articles are copies of another.
    pub fn duplicates(&self) -> usize {
        self.originals.iter().filter(|o| o.is_some()).count()
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

/// Sparse counts with `u32` ids, sorted by id; counts saturate at 255. Saved with each id
/// as its difference from the one before, which is most often a one- or two-byte varint.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bag {
    pub ids: Box<[u32]>,
    pub counts: Box<[u8]>,
}

impl Serialize for Bag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (Deltas(&self.ids), &self.counts).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Bag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (gaps, counts): (Vec<u32>, Box<[u8]>) = Deserialize::deserialize(d)?;
        if gaps.len() != counts.len() {
            return Err(serde::de::Error::custom("bag ids and counts differ in number"));
        }
        Ok(Bag { ids: undelta(gaps).map_err(serde::de::Error::custom)?.into(), counts })
    }
}

/// Sorted ids as their differences.
struct Deltas<'a>(&'a [u32]);

impl Serialize for Deltas<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // An iterator of known length: postcard writes the length first.
        let ids = self.0;
        s.collect_seq((0..ids.len()).map(|k| if k == 0 { ids[0] } else { ids[k].wrapping_sub(ids[k - 1]) }))
    }
}

fn undelta(mut v: Vec<u32>) -> Result<Vec<u32>, &'static str> {
    let mut prev = 0u32;
    for (k, x) in v.iter_mut().enumerate() {
        prev = prev.checked_add(*x).ok_or("ids out of range")?;
        if k > 0 && *x == 0 {
            return Err("ids repeat");
        }
        *x = prev;
    }
    Ok(v)
}

fn deltas<S: serde::Serializer>(v: &[u32], s: S) -> Result<S::Ok, S::Error> {
    Deltas(v).serialize(s)
}

fn from_deltas<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
    undelta(Deserialize::deserialize(d)?).map_err(serde::de::Error::custom)
}

/// What story clustering reads of an article, packed (postcard, ids as differences) one
/// article after the other in the corpus's `packed` arena; about 400 bytes a typical article.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Article {
    /// Seconds since the epoch (kept in [`Slot`] too, for ordering).
    #[serde(skip)]
    pub time: Option<i64>,
    pub site: Option<u32>,
    /// For an undated article, the day its text names most often (seconds since the epoch):
    /// a look-alike event in another year can then be told by its date.
    pub text_time: Option<i64>,
    /// Days (since the epoch) that the text names to the day, distinct, sorted.
    pub days: Vec<i32>,
    pub terms: Bag,
    /// The terms with digits again (see [`Config::number_weight`]).
    pub numbers: Bag,
    pub entities: Bag,
    /// Amounts as `unit=value` and events as `TYPE`, `TYPE actor→target`.
    pub amounts: Bag,
    pub events: Bag,
    /// The people it names, as hashes of their surnames (so "Fred LaRue" and "LaRue" agree),
    /// sorted, and the one it names most (at least twice), if any.
    #[serde(serialize_with = "deltas", deserialize_with = "from_deltas")]
    pub people: Vec<u32>,
    pub lead: Option<u32>,
    /// Its exact amounts (context key, other context key, value; see [`claims`]), which a
    /// story's other values for the same thing contradict.
    pub figures: Vec<(u32, u32, u64)>,
    /// Where its [`Details`] start in the details spill file.
    pub details: u64,
}

/// What only its story's record reads of an article, kept in a spill file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Details {
    pub title: Option<String>,
    pub published: Option<String>,
    /// What it reports, for its story's comparison of sources (see [`claims`]).
    pub claims: Vec<claims::Claim>,
    pub dated: Vec<claims::Dated>,
    /// The labels its claims and dated items name: most are its own (a quotation's words, a
    /// date's sentence), so they are kept with it rather than in one table in memory.
    pub labels: claims::Labels,
}

/// An article's fixed-size part: where its packed features start, and its time (for the
/// processing order, without unpacking every article).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
struct Slot {
    at: u64,
    time: Option<i64>,
}

/// Starts a saved corpus state; the last bytes are the format's version, to be raised whenever
/// what [`Corpus`] keeps changes.
const STATE_MAGIC: &[u8; 8] = b"NGCORP\x00\x02";

/// Smoothed inverse document frequency; never below 1, so a word in every article still
/// counts a little.
pub(crate) fn idf(n: usize, df: u32) -> f32 {
    ((n as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0
}

/// Articles seen so far, as compact features: a fixed 24 bytes an article and its packed
/// features in memory, and what only story records need in two spill files (see [`spill`]).
#[derive(Debug, Default)]
pub struct Corpus {
    state: State,
    /// Signatures for copy detection ([`copies::RECORD`] bytes each, articles with one only).
    sigs: Option<Spill>,
    /// [`Details`], each as a 4-byte length and postcard.
    details: Option<Spill>,
}

/// What a corpus keeps in memory; saved as it is, followed by the spill files.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    config: Config,
    terms: Vocab,
    term_numeric: Vec<bool>,
    entities: Vocab,
    entity_names: Vec<Box<str>>,
    entity_country: Vec<bool>,
    sites: Vocab,
    amounts: Vocab,
    events: Vocab,
    #[serde(serialize_with = "shared_ids", deserialize_with = "owned_ids")]
    ids: Arc<Ids>,
    articles: Vec<Slot>,
    packed: Vec<u8>,
}

fn shared_ids<S: serde::Serializer>(ids: &Arc<Ids>, s: S) -> Result<S::Ok, S::Error> {
    ids.as_ref().serialize(s)
}

fn owned_ids<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Arc<Ids>, D::Error> {
    Ids::deserialize(d).map(Arc::new)
}

/// A spill file, made on first use; the corpus cannot go on without it.
fn spill(s: &mut Option<Spill>) -> &mut Spill {
    s.get_or_insert_with(|| Spill::new().expect("cannot create the corpus's temporary file"))
}

fn spill_len(s: &Option<Spill>) -> u64 {
    s.as_ref().map_or(0, Spill::len)
}

/// Copy detection reads the signatures from memory up to this many bytes of them (about
/// 240,000 articles), from the spill file beyond, so memory stays bounded on any corpus.
const SIGNATURES_IN_MEMORY: u64 = 64 << 20;

/// Signatures in a spill file.
struct SpilledSigs<'a>(Option<&'a Spill>);

impl copies::Signatures for SpilledSigs<'_> {
    fn scan(&self, f: &mut dyn FnMut(u32, &copies::Signed)) -> std::io::Result<()> {
        let Some(s) = self.0 else { return Ok(()) };
        const BATCH: usize = 256;
        let mut buf = vec![0u8; BATCH * copies::RECORD];
        let mut at = 0;
        while at < s.len() {
            let n = ((s.len() - at) as usize).min(buf.len());
            s.read(at, &mut buf[..n])?;
            for rec in buf[..n].chunks_exact(copies::RECORD) {
                let (i, sig) = copies::decode(rec);
                f(i, &sig);
            }
            at += n as u64;
        }
        Ok(())
    }
    fn get(&self, k: u32) -> std::io::Result<copies::Signed> {
        let mut buf = [0u8; copies::RECORD];
        self.0.expect("signatures").read(k as u64 * copies::RECORD as u64, &mut buf)?;
        Ok(copies::decode(&buf).1)
    }
}

impl Corpus {
    pub fn new(config: Config) -> Self {
        Corpus { state: State { config, ..Default::default() }, sigs: None, details: None }
    }

    /// The configuration the corpus was made with.
    pub fn config(&self) -> &Config {
        &self.state.config
    }

    pub fn len(&self) -> usize {
        self.state.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.state.articles.is_empty()
    }

    /// Writes what the corpus has taken so far (its configuration, vocabularies with their
    /// counts and every article's features, with the temporary files' content: about 1.2 KB
    /// an article; see BENCHMARKS.md),
    /// so that a later run can [`load`](Self::load_state) it and add only new articles
    /// instead of analysing the old ones again. Adding articles to a loaded state gives the
    /// same result as adding them all in one run. Save before [`finish`](Self::finish), which
    /// consumes the corpus.
    pub fn save_state(&self, mut out: impl Write) -> std::io::Result<()> {
        out.write_all(STATE_MAGIC)?;
        let head = postcard::to_stdvec(&self.state).map_err(std::io::Error::other)?;
        out.write_all(&(head.len() as u64).to_le_bytes())?;
        out.write_all(&head)?;
        for s in [&self.sigs, &self.details] {
            out.write_all(&spill_len(s).to_le_bytes())?;
            if let Some(s) = s {
                s.copy_to(&mut out)?;
            }
        }
        Ok(())
    }

    /// Reads a state [`save_state`](Self::save_state) wrote, with the configuration it was
    /// saved with (see [`config`](Self::config): a caller whose configuration has changed
    /// since should rebuild). A state of another format version is refused (`InvalidData`):
    /// the caller then rebuilds the corpus from its articles.
    pub fn load_state(mut input: impl Read) -> std::io::Result<Corpus> {
        let invalid = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
        let mut magic = [0u8; 8];
        input.read_exact(&mut magic).map_err(|_| invalid("not a corpus state of this version".into()))?;
        if &magic != STATE_MAGIC {
            return Err(invalid("not a corpus state of this version".into()));
        }
        // A state cut short is damaged data, not a failure to read.
        let cut = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => invalid("corpus state cut short".into()),
            _ => e,
        };
        let mut len = [0u8; 8];
        input.read_exact(&mut len).map_err(cut)?;
        let mut head = Vec::new();
        (&mut input).take(u64::from_le_bytes(len)).read_to_end(&mut head)?;
        let state: State = postcard::from_bytes(&head).map_err(|e| invalid(format!("corpus state: {e}")))?;
        drop(head);
        let mut corpus = Corpus { state, sigs: None, details: None };
        for which in 0..2 {
            input.read_exact(&mut len).map_err(cut)?;
            let len = u64::from_le_bytes(len);
            if len > 0 {
                let s = spill(if which == 0 { &mut corpus.sigs } else { &mut corpus.details });
                s.append_from(&mut input, len).map_err(cut)?;
            }
        }
        corpus.check().map_err(|e| invalid(format!("corpus state: {e}")))?;
        Ok(corpus)
    }

    /// The packed features of article `i`.
    fn article(&self, i: u32) -> Article {
        unpack(&self.state, i).expect("packed by this corpus")
    }

    /// The details of an article, from the spill file.
    fn details(&self, a: &Article) -> std::io::Result<Details> {
        let Some(s) = &self.details else { return Ok(Details::default()) };
        let mut len = [0u8; 4];
        s.read(a.details, &mut len)?;
        let mut buf = vec![0u8; u32::from_le_bytes(len) as usize];
        s.read(a.details + 4, &mut buf)?;
        postcard::from_bytes(&buf).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }

    /// Whether every id an article holds is in its vocabulary, so that a damaged state fails
    /// on loading instead of panicking later.
    fn check(&self) -> Result<(), String> {
        let st = &self.state;
        let (nt, ne) = (st.terms.df.len(), st.entities.df.len());
        if st.term_numeric.len() != nt || st.entity_names.len() != ne || st.entity_country.len() != ne {
            return Err("vocabulary tables differ in length".into());
        }
        let ids = &st.ids;
        if ids.ends.len() != st.articles.len()
            || ids.ends.iter().any(|&e| e as usize > ids.text.len() || !ids.text.is_char_boundary(e as usize))
            || ids.ends.windows(2).any(|w| w[0] > w[1])
        {
            return Err("article ids do not match the articles".into());
        }
        if st.articles.iter().any(|s| s.at as usize > st.packed.len())
            || st.articles.windows(2).any(|w| w[0].at > w[1].at)
        {
            return Err("article features out of place".into());
        }
        if !spill_len(&self.sigs).is_multiple_of(copies::RECORD as u64) {
            return Err("signatures cut short".into());
        }
        let within = |bag: &Bag, n: usize| bag.ids.iter().all(|&i| (i as usize) < n);
        for i in 0..st.articles.len() as u32 {
            let a = unpack(st, i).map_err(|e| format!("article features: {e}"))?;
            let ok = within(&a.terms, nt)
                && within(&a.numbers, nt)
                && within(&a.entities, ne)
                && within(&a.amounts, st.amounts.df.len())
                && within(&a.events, st.events.df.len())
                && a.site.is_none_or(|s| (s as usize) < st.sites.df.len());
            if !ok {
                return Err("an article refers to an unknown id".into());
            }
            let d = self.details(&a).map_err(|e| format!("article details: {e}"))?;
            let mut labels = d.claims.iter().map(|c| c.label).chain(d.dated.iter().map(|d| d.label));
            if !labels.all(|l| d.labels.contains(l)) {
                return Err("an article refers to an unknown label".into());
            }
        }
        let n = st.articles.len() as u32;
        let mut bad = false;
        SpilledSigs(self.sigs.as_ref()).scan(&mut |i, _| bad |= i >= n).map_err(|e| format!("signatures: {e}"))?;
        if bad {
            return Err("a signature of an unknown article".into());
        }
        Ok(())
    }

    /// Takes the features of one article; the document itself is not kept.
    ///
    /// Panics when the corpus's temporary files cannot be written (a full disk).
    pub fn add(&mut self, doc: &Document) {
        let features = Features::of(doc, &self.state.config);
        self.add_features(features);
    }

    /// [`Corpus::add`] for an article's [`Features`], made from it with this corpus's
    /// configuration: the same result as adding the document.
    ///
    /// Panics when the corpus's temporary files cannot be written (a full disk).
    pub fn add_features(&mut self, f: Features) {
        let st = &mut self.state;
        let cfg = &st.config;
        // Ids are given in the order the article first names each term (entity, amount, event
        // key), as when the document itself was read; `strongest` breaks ties by id.
        let mut counts: FastMap<u32, u32> = FastMap::default();
        for (t, c) in f.terms.iter() {
            let id = st.terms.intern(t);
            if id as usize == st.term_numeric.len() {
                st.term_numeric.push(t.bytes().any(|b| b.is_ascii_digit()));
            }
            *counts.entry(id).or_default() += c;
        }
        let n = st.articles.len() + 1;
        for &t in counts.keys() {
            st.terms.df[t as usize] += 1;
        }
        let numeric = &st.term_numeric;
        let number_counts: FastMap<u32, u32> =
            counts.iter().filter(|(&t, _)| numeric[t as usize]).map(|(&t, &c)| (t, c)).collect();
        let numbers = strongest(number_counts, cfg.max_numbers, |t| idf(n, st.terms.df[t as usize]));
        let terms = strongest(counts, cfg.max_terms, |t| idf(n, st.terms.df[t as usize]));

        let mut counts: FastMap<u32, u32> = FastMap::default();
        for (e, name, country, c) in f.entities.iter() {
            let id = st.entities.intern(e);
            if id as usize == st.entity_names.len() {
                st.entity_names.push(name.clone());
                st.entity_country.push(*country);
            }
            *counts.entry(id).or_default() += c;
        }
        for &e in counts.keys() {
            st.entities.df[e as usize] += 1;
        }
        let entities = strongest(counts, cfg.max_entities, |e| {
            let w = idf(n, st.entities.df[e as usize]);
            if st.entity_country[e as usize] {
                w * cfg.country_weight
            } else {
                w
            }
        });

        let mut counts: FastMap<u32, u32> = FastMap::default();
        for (a, c) in f.amounts.iter() {
            *counts.entry(st.amounts.intern(a)).or_default() += c;
        }
        for &a in counts.keys() {
            st.amounts.df[a as usize] += 1;
        }
        let amounts = strongest(counts, cfg.max_numbers, |a| idf(n, st.amounts.df[a as usize]));

        let mut counts: FastMap<u32, u32> = FastMap::default();
        for (e, c) in f.events.iter() {
            *counts.entry(st.events.intern(e)).or_default() += c;
        }
        for &e in counts.keys() {
            st.events.df[e as usize] += 1;
        }
        let events = strongest(counts, cfg.max_numbers, |e| idf(n, st.events.df[e as usize]));

        let site = f.site.as_deref().map(|s| st.sites.intern(s));
        let figures = (f.details.claims.iter())
            .filter(|c| c.kind == claims::Kind::Amount && !c.approx)
            .map(|c| (c.key, c.alt, c.value))
            .collect();
        let time = f.details.published.as_deref().and_then(time::parse_published);
        let bytes = postcard::to_stdvec(&f.details).expect("details serialise");
        let spilled = spill(&mut self.details);
        let at = spilled.len();
        let written = spilled.append(&(bytes.len() as u32).to_le_bytes()).and_then(|_| spilled.append(&bytes));
        written.expect("cannot write the corpus's temporary file");
        let i = st.articles.len() as u32;
        if let Some(signed) = &f.signed {
            let written = spill(&mut self.sigs).append(&copies::encode(i, &copies::decode(signed).1));
            written.expect("cannot write the corpus's temporary file");
        }
        let article = Article {
            time,
            site,
            text_time: f.text_time,
            days: f.days,
            terms,
            numbers,
            entities,
            amounts,
            events,
            people: f.people,
            lead: f.lead,
            figures,
            details: at,
        };
        let start = st.packed.len() as u64;
        st.packed = postcard::to_extend(&article, std::mem::take(&mut st.packed)).expect("features serialise");
        st.articles.push(Slot { at: start, time });
        let ids = Arc::get_mut(&mut st.ids).expect("ids are shared only once finished");
        ids.text.push_str(&f.id);
        ids.ends.push(ids.text.len() as u64);
    }

    /// Finds copies and stories among all articles added.
    pub fn finish(self) -> CorpusResult {
        let (articles, stories) = self.finish_streaming();
        CorpusResult { articles: articles.iter().collect(), stories: stories.collect() }
    }

    /// Like [`Self::finish`], but makes the story records one at a time as they are read, so
    /// that their comparisons (a few kilobytes a story) are never all in memory at once, and
    /// gives the assignments in compact form.
    ///
    /// Panics when the corpus's temporary files cannot be read back.
    pub fn finish_streaming(mut self) -> (Assignments, Stories) {
        let st = &mut self.state;
        st.packed.shrink_to_fit();
        st.articles.shrink_to_fit();
        let n = st.articles.len();
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&i| {
            let t = st.articles[i as usize].time;
            (t.is_none(), t.unwrap_or(0), i)
        });
        let mut rank = vec![0u32; n];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = r as u32;
        }

        let originals = {
            let st = &self.state;
            let entities = |i| unpack(st, i).expect("packed by this corpus").entities;
            let in_file = spill_len(&self.sigs);
            let detected = if in_file <= SIGNATURES_IN_MEMORY {
                let mut bytes = vec![0u8; in_file as usize];
                if let Some(s) = &self.sigs {
                    s.read(0, &mut bytes).expect("cannot read the corpus's temporary file");
                }
                copies::detect(n, &copies::Records(&bytes), entities, &rank, &st.config)
            } else {
                copies::detect(n, &SpilledSigs(self.sigs.as_ref()), entities, &rank, &st.config)
            };
            detected.expect("cannot read the corpus's temporary file")
        };
        drop(rank);
        self.sigs = None;

        let st = &self.state;
        let term_idf: Vec<f32> = st.terms.df.iter().map(|&df| idf(n, df)).collect();
        let entity_idf: Vec<f32> = (st.entities.df.iter().zip(&st.entity_country))
            .map(|(&df, &country)| {
                let w = idf(n, df);
                if country {
                    w * st.config.country_weight
                } else {
                    w
                }
            })
            .collect();
        let amount_idf: Vec<f32> = st.amounts.df.iter().map(|&df| idf(n, df)).collect();
        let event_idf: Vec<f32> = st.events.df.iter().map(|&df| idf(n, df)).collect();
        let get = |i: u32| unpack(st, i).expect("packed by this corpus");
        let input = stories::Input {
            len: n,
            article: &get,
            order: &order,
            originals: &originals,
            term_idf: &term_idf,
            entity_idf: &entity_idf,
            term_df: &st.terms.df,
            entity_df: &st.entities.df,
            amount_idf: &amount_idf,
            event_idf: &event_idf,
        };
        let story_of = stories::cluster(&input, &st.config);
        drop((term_idf, entity_idf, amount_idf, event_idf));

        // Members of each story, in processing order, one list after the other; stories are
        // numbered in the order of their first article in processing order.
        let mut number: FastMap<u32, u32> = FastMap::default();
        let mut story_rank = vec![0u32; n];
        let mut sizes: Vec<u32> = Vec::new();
        for &i in &order {
            let s = story_of[i as usize];
            let k = *number.entry(s).or_insert_with(|| {
                sizes.push(0);
                sizes.len() as u32 - 1
            });
            story_rank[i as usize] = k;
            sizes[k as usize] += 1;
        }
        drop((number, story_of));
        let mut starts: Vec<u32> = Vec::with_capacity(sizes.len() + 1);
        let mut total = 0u32;
        for &c in &sizes {
            starts.push(total);
            total += c;
        }
        starts.push(total);
        drop(sizes);
        let mut fill = starts.clone();
        let mut members = vec![0u32; n];
        for &i in &order {
            let k = story_rank[i as usize] as usize;
            members[fill[k] as usize] = i;
            fill[k] += 1;
        }
        drop((fill, story_rank, order));

        // A story is named after the first of its articles to be added, not the first in
        // processing order: an earlier-dated article added in a later run then joins the
        // story without renaming it, and of two merged stories the id of the one known first
        // is kept. Ids thus need no story record.
        let mut namer = vec![0u32; n];
        for w in starts.windows(2) {
            let list = &members[w[0] as usize..w[1] as usize];
            let first = *list.iter().min().expect("a story has an article");
            list.iter().for_each(|&i| namer[i as usize] = first);
        }
        // What story records do not read goes before they are made.
        self.state.terms = Vocab::default();
        self.state.term_numeric = Vec::new();
        self.state.amounts = Vocab::default();
        self.state.events = Vocab::default();
        let mut site_names: Vec<Box<str>> = vec![Box::from(""); self.state.sites.df.len()];
        for (name, &id) in &self.state.sites.ids {
            site_names[id as usize] = name.clone();
        }
        self.state.sites = Vocab::default();
        let assignments = Assignments { ids: self.state.ids.clone(), namer, originals: originals.clone() };
        (assignments, Stories { corpus: self, originals, members, starts, site_names, next: 0 })
    }

    fn story_record(&self, list: &[u32], originals: &[Option<u32>], site_names: &[Box<str>]) -> StoryRecord {
        let ids = &self.state.ids;
        let arts: Vec<Article> = list.iter().map(|&i| self.article(i)).collect();
        let details: Vec<Details> =
            arts.iter().map(|a| self.details(a).expect("cannot read the corpus's temporary file")).collect();
        let title =
            (details.iter().filter_map(|d| d.title.as_ref())).find(|t| !t.is_empty()).cloned().unwrap_or_default();
        let mut sites: Vec<u32> = Vec::new();
        for s in arts.iter().filter_map(|a| a.site) {
            if !sites.contains(&s) {
                sites.push(s);
            }
        }

        // Entities in more than half of the articles, most frequent first, then by first
        // appearance.
        let mut seen: Vec<(u32, u32, usize)> = Vec::new();
        let mut at: FastMap<u32, usize> = FastMap::default();
        for a in &arts {
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
        let entities = (shared.iter().take(MAX_ENTITIES))
            .map(|&(e, _, _)| self.state.entity_names[e as usize].to_string())
            .collect();

        let members: Vec<compare::Member> = (list.iter().zip(&arts).zip(&details))
            .map(|((&i, a), d)| compare::Member { index: i, time: a.time, site: a.site, details: d })
            .collect();
        let id_of = |i: u32| ids.get(i);
        let cmp = compare::compare(&members, originals, &id_of, site_names);
        let first = *list.iter().min().expect("a story has an article");
        StoryRecord {
            kind: "story".into(),
            id: format!("story-{}", ids.get(first)),
            title,
            articles: list.iter().map(|&i| ids.get(i).to_string()).collect(),
            sites: sites.iter().map(|&s| site_names[s as usize].to_string()).collect(),
            entities,
            first_published: details.iter().find_map(|d| d.published.clone()),
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

/// Article `i`'s packed features.
fn unpack(st: &State, i: u32) -> Result<Article, postcard::Error> {
    let slot = st.articles[i as usize];
    let end = st.articles.get(i as usize + 1).map_or(st.packed.len(), |s| s.at as usize);
    let mut a: Article = postcard::from_bytes(&st.packed[slot.at as usize..end])?;
    a.time = slot.time;
    Ok(a)
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
    /// Article indexes of each story, in processing order, one story after the other from
    /// `starts[k]` to `starts[k + 1]`.
    members: Vec<u32>,
    starts: Vec<u32>,
    site_names: Vec<Box<str>>,
    next: usize,
}

impl Iterator for Stories {
    type Item = StoryRecord;

    fn next(&mut self) -> Option<StoryRecord> {
        let (from, to) = (*self.starts.get(self.next)?, *self.starts.get(self.next + 1)?);
        self.next += 1;
        let list = &self.members[from as usize..to as usize];
        Some(self.corpus.story_record(list, &self.originals, &self.site_names))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.starts.len().saturating_sub(1) - self.next;
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

/// What an article brings to a corpus, before the corpus weighs it: its terms, entities,
/// amounts and event roles by name with their counts (in the order the article first names
/// each), and the rest of its features as [`Corpus::add`] keeps them. None of it depends on the
/// other articles, so it can be made wherever the document is (on the thread that analysed it,
/// say) and added later, elsewhere, from [`Features::to_bytes`]: newsgraph's PostgreSQL store
/// keeps it with each article, so that computing the stories reads these instead of every
/// article's text and annotations.
#[derive(Debug, Serialize, Deserialize)]
pub struct Features {
    id: String,
    /// Title words count [`Config::title_weight`] times.
    terms: Vec<(Box<str>, u32)>,
    /// (id, name, whether it has a country code, weight).
    entities: Vec<(Box<str>, Box<str>, bool, u32)>,
    amounts: Vec<(Box<str>, u32)>,
    events: Vec<(Box<str>, u32)>,
    site: Option<Box<str>>,
    text_time: Option<i64>,
    days: Vec<i32>,
    people: Vec<u32>,
    lead: Option<u32>,
    /// Its copy signature as [`copies::encode`] writes it (article 0), when it has one.
    signed: Option<Box<[u8]>>,
    details: Details,
}

/// Starts [`Features::to_bytes`]; the last byte is the format's version, to be raised whenever
/// what [`Features`] holds or how it is made changes.
const FEATURES_MAGIC: &[u8; 4] = b"NGF\x01";

/// The tally of names in the order first met.
fn tally(out: &mut Vec<(Box<str>, u32)>, at: &mut HashMap<Box<str>, usize>, name: &str, count: u32) {
    match at.get(name) {
        Some(&i) => out[i].1 += count,
        None => {
            at.insert(name.into(), out.len());
            out.push((name.into(), count));
        }
    }
}

impl Features {
    /// The features of `doc` for a corpus with `config` (which sets the title's weight, the
    /// shingles and how many days and people are kept).
    pub fn of(doc: &Document, config: &Config) -> Features {
        let cfg = config;
        let mut at: HashMap<Box<str>, usize> = HashMap::new();
        let mut terms = Vec::new();
        let title = doc.meta.title.as_deref().unwrap_or("");
        let mut t = String::new();
        for (text, weight) in [(title, cfg.title_weight as u32), (doc.text.as_str(), 1)] {
            text::for_each_word(text, |w| {
                if text::term(w, &mut t) {
                    tally(&mut terms, &mut at, &t, weight);
                }
            });
        }

        let mut entities: Vec<(Box<str>, Box<str>, bool, u32)> = Vec::new();
        let mut entity_at: HashMap<&str, usize> = HashMap::new();
        for e in &doc.entities {
            let n = (e.mentions.len() + cfg.title_weight as usize * e.title_mentions.len()).max(1) as u32;
            match entity_at.get(e.id.as_str()) {
                Some(&i) => entities[i].3 += n,
                None => {
                    entity_at.insert(&e.id, entities.len());
                    let country = e.kind == EntityType::Place && e.code.is_some();
                    entities.push((e.id.as_str().into(), e.name.as_str().into(), country, n));
                }
            }
        }

        at.clear();
        let mut amounts = Vec::new();
        let mut key = String::new();
        for a in &doc.amounts {
            use std::fmt::Write;
            key.clear();
            let _ = write!(key, "{}={}", a.unit.as_deref().unwrap_or(""), a.value);
            tally(&mut amounts, &mut at, &key, 1);
        }

        at.clear();
        let mut events = Vec::new();
        let who = |i: Option<usize>| i.and_then(|i| doc.entities.get(i)).map_or("", |e| e.id.as_str());
        for e in &doc.events {
            tally(&mut events, &mut at, &e.kind, 1);
            if e.actor.is_some() || e.target.is_some() {
                key.clear();
                key.push_str(&e.kind);
                key.push(' ');
                key.push_str(who(e.actor));
                key.push('>');
                key.push_str(who(e.target));
                tally(&mut events, &mut at, &key, 1);
            }
        }

        let (days, text_time) = day_profile(doc, cfg.max_days);
        let (people, lead) = people(doc, cfg.max_entities);
        let site = doc.meta.site.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let published = doc.meta.published.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let signed = copies::Signed::of(&copies::features(&doc.text, cfg)).map(|s| copies::encode(0, &s).into());
        let mut labels = claims::Labels::default();
        let (claims, dated) = claims::extract(doc, &mut labels);
        Features {
            id: doc.id.clone(),
            terms,
            entities,
            amounts,
            events,
            site: site.map(Into::into),
            text_time,
            days: days.into_vec(),
            people: people.into_vec(),
            lead,
            signed,
            details: Details {
                title: doc.meta.title.as_deref().map(|t| t.trim().to_string()),
                published: published.map(Into::into),
                claims: claims.into_vec(),
                dated: dated.into_vec(),
                labels,
            },
        }
    }

    /// The article's content id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The features as bytes, marked with the format and with `config` (the one they were made
    /// with), which [`Features::from_bytes`] checks.
    pub fn to_bytes(&self, config: &Config) -> Vec<u8> {
        let mut out = FEATURES_MAGIC.to_vec();
        out.extend_from_slice(&config_mark(config).to_le_bytes());
        postcard::to_extend(self, out).expect("features serialise")
    }

    /// Features [`Features::to_bytes`] wrote with `config`; None for bytes of another format
    /// version or configuration, or damaged (the caller then makes them from the document).
    pub fn from_bytes(bytes: &[u8], config: &Config) -> Option<Features> {
        let rest = bytes.strip_prefix(FEATURES_MAGIC)?;
        let (mark, rest) = rest.split_first_chunk::<8>()?;
        if u64::from_le_bytes(*mark) != config_mark(config) {
            return None;
        }
        let f: Features = postcard::from_bytes(rest).ok()?;
        if f.signed.as_ref().is_some_and(|s| s.len() != copies::RECORD) {
            return None;
        }
        let labelled = f.details.claims.iter().map(|c| c.label).chain(f.details.dated.iter().map(|d| d.label));
        labelled.into_iter().all(|l| f.details.labels.contains(l)).then_some(f)
    }
}

/// A fingerprint of a configuration, to tell features made with another apart.
fn config_mark(config: &Config) -> u64 {
    xxh3_64(&postcard::to_stdvec(config).expect("configurations serialise"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_features_round_trip_with_ids_as_differences() {
        let bag = |ids: &[u32]| Bag { ids: ids.into(), counts: ids.iter().map(|&i| (i % 7) as u8).collect() };
        let a = Article {
            time: None,
            site: Some(3),
            text_time: Some(-86_400),
            days: vec![-3, 16_000, 16_002],
            terms: bag(&[0, 1, 5, 70_000, u32::MAX]),
            numbers: bag(&[]),
            entities: bag(&[9]),
            amounts: Bag::default(),
            events: bag(&[2, 4]),
            people: vec![7, 4_000_000_000],
            lead: Some(7),
            figures: vec![(1, 0, 2.5f64.to_bits())],
            details: 1 << 40,
        };
        let bytes = postcard::to_stdvec(&a).unwrap();
        // Small gaps take a byte each.
        assert!(bytes.len() < 80, "{} bytes", bytes.len());
        let b: Article = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(format!("{a:?}"), format!("{b:?}"));

        // Ids that do not increase are refused, not misread.
        let bad = postcard::to_stdvec(&(vec![5u32, 0], vec![1u8, 1])).unwrap();
        assert!(postcard::from_bytes::<Bag>(&bad).is_err());
    }

    /// Large corpora read signatures from the spill file, small ones from memory: both must find
    /// the same copies.
    #[test]
    fn copies_found_alike_from_memory_and_from_the_spill_file() {
        let cfg = Config::default();
        let base = "The harbour authority said on Tuesday that the northern pier would close for \
                    repairs after storms damaged its supports, and that ferries would use the \
                    southern quay until the work ends in the spring, according to a statement.";
        let texts = [
            base.to_string(),
            "Farmers in the valley began the harvest early this year because of the dry summer, \
             the cooperative said, and prices for grain fell at the regional market."
                .to_string(),
            base.replace("Tuesday", "Wednesday"),
            format!("{base} Subscribe to our newsletter."),
            "A new library opened in the old town hall, with a reading room for children and \
             a collection of local newspapers going back a century."
                .to_string(),
        ];
        let mut spill = Spill::new().unwrap();
        let mut bytes = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let signed = copies::Signed::of(&copies::features(t, &cfg)).unwrap();
            let rec = copies::encode(i as u32, &signed);
            spill.append(&rec).unwrap();
            bytes.extend_from_slice(&rec);
        }
        let rank: Vec<u32> = (0..texts.len() as u32).collect();
        let none = |_| Bag::default();
        let from_file = copies::detect(texts.len(), &SpilledSigs(Some(&spill)), none, &rank, &cfg).unwrap();
        let from_memory = copies::detect(texts.len(), &copies::Records(&bytes), none, &rank, &cfg).unwrap();
        assert_eq!(from_file, vec![None, None, Some(0), Some(0), None]);
        assert_eq!(from_memory, from_file);
    }
}

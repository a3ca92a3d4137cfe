//! The corpus layer: which articles are copies of one another, and which report the same story.
//!
//! [`Corpus::add`] takes articles one at a time and keeps only compact features of each (a
//! MinHash signature, the 64 strongest terms and 32 strongest entities as `u32` ids with small
//! counts, the date, title, site and id): about 2 KB an article at the peak of
//! [`Corpus::finish`], story vectors and indexes included, so a million articles need about
//! 2 GB. [`Corpus::finish`] then puts the articles in processing order, finds copies
//! ([`copies`]) and clusters stories online ([`stories`]).
//!
//! Rarity (IDF) is measured over every article added before `finish`, the corpus seen so far.
//! Which 64 terms an article keeps is decided when it is added, from the frequencies up to
//! then; the weights they get come from the whole corpus, so that the first articles of a run
//! are not weighed against a handful of others.
//!
//! Processing order is by publication date, then by the order articles were added. Undated
//! articles come after all dated ones, in the order added: placing them among dated articles
//! would be a guess, while after them they can still join any story, with the whole index built.
//! Adding more (later) input therefore leaves the decisions for earlier dated articles as they
//! were, up to the small shift of corpus-wide IDF weights.

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
    /// Numbers kept per article.
    pub max_numbers: usize,
    /// How often a title word (or an entity's mention in the title) counts, relative to one in
    /// the body.
    pub title_weight: u8,
    /// Weight of entities carrying a country code (countries, capitals, demonyms) relative to
    /// their IDF: many unrelated stories share them.
    pub country_weight: f32,
    /// Score = text_weight · cos(terms) + entity_weight · cos(entities)
    /// + number_weight · cos(numbers) − time penalty.
    ///
    /// Numbers (terms with digits: ages, counts, scores, years, house numbers) are also terms,
    /// but get a cosine of their own: they pin a report to one event, while the words, which
    /// outnumber them, describe the kind of event that look-alike events share.
    pub text_weight: f32,
    pub entity_weight: f32,
    pub number_weight: f32,
    /// Time penalty = time_weight · ln(1 + days apart / time_scale_days).
    pub time_weight: f32,
    pub time_scale_days: f32,
    /// Days apart assumed when the article or the story is undated: nothing says they are
    /// close in time, so they need somewhat more evidence than a same-day pair.
    pub undated_days: f32,
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
            title_weight: 2,
            country_weight: 0.3,
            text_weight: 1.0,
            entity_weight: 0.5,
            number_weight: 0.3,
            time_weight: 0.1,
            time_scale_days: 5.0,
            undated_days: 0.0,
            join_threshold: 0.3,
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

/// Interned strings with the number of articles each occurred in.
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

/// Sparse counts with `u32` ids, sorted by id; counts saturate at 255.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bag {
    pub ids: Box<[u32]>,
    pub counts: Box<[u8]>,
}

/// What the corpus keeps of one article.
#[derive(Debug)]
pub(crate) struct Article {
    pub id: Box<str>,
    pub title: Option<Box<str>>,
    pub site: Option<u32>,
    pub published: Option<Box<str>>,
    /// Seconds since the epoch.
    pub time: Option<i64>,
    pub terms: Bag,
    /// The terms with digits again (see [`Config::number_weight`]).
    pub numbers: Bag,
    pub entities: Bag,
    pub copy: CopyFeatures,
}

/// Smoothed inverse document frequency; never below 1, so a word in every article still
/// counts a little.
pub(crate) fn idf(n: usize, df: u32) -> f32 {
    ((n as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0
}

/// Articles seen so far, as compact features.
#[derive(Debug, Default)]
pub struct Corpus {
    config: Config,
    terms: Vocab,
    term_numeric: Vec<bool>,
    entities: Vocab,
    entity_names: Vec<Box<str>>,
    entity_country: Vec<bool>,
    sites: Vocab,
    articles: Vec<Article>,
}

impl Corpus {
    pub fn new(config: Config) -> Self {
        Corpus { config, ..Default::default() }
    }

    pub fn len(&self) -> usize {
        self.articles.len()
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

        let site = doc.meta.site.as_deref().filter(|s| !s.trim().is_empty());
        let site = site.map(|s| self.sites.intern(s.trim()));
        let published = doc.meta.published.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let copy = copies::features(&doc.text, cfg);
        self.articles.push(Article {
            id: doc.id.as_str().into(),
            title: doc.meta.title.as_deref().map(|t| t.trim().into()),
            site,
            time: published.and_then(time::parse_published),
            published: published.map(Into::into),
            terms,
            numbers,
            entities,
            copy,
        });
    }

    /// Finds copies and stories among all articles added.
    pub fn finish(mut self) -> CorpusResult {
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
        let input = stories::Input {
            articles: &self.articles,
            order: &order,
            originals: &originals,
            term_idf: &term_idf,
            entity_idf: &entity_idf,
            term_df: &self.terms.df,
            entity_df: &self.entities.df,
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

        let mut site_names: Vec<&str> = vec![""; self.sites.df.len()];
        for (name, &id) in &self.sites.ids {
            site_names[id as usize] = name;
        }
        let mut story_ids = vec![String::new(); n];
        let mut records = Vec::with_capacity(story_order.len());
        for s in story_order {
            let list = &members[&s];
            let record = self.story_record(list, &originals, &site_names);
            for &i in list {
                story_ids[i as usize] = record.id.clone();
            }
            records.push(record);
        }

        let articles = self
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| Assignment {
                id: a.id.to_string(),
                story: std::mem::take(&mut story_ids[i]),
                duplicate_of: originals[i].map(|o| self.articles[o as usize].id.to_string()),
            })
            .collect();
        CorpusResult { articles, stories: records }
    }

    fn story_record(&self, list: &[u32], originals: &[Option<u32>], site_names: &[&str]) -> StoryRecord {
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

        StoryRecord {
            kind: "story".into(),
            id: format!("story-{}", first.id),
            title,
            articles: arts().map(|a| a.id.to_string()).collect(),
            sites: sites.iter().map(|&s| site_names[s as usize].to_string()).collect(),
            entities,
            first_published: arts().find_map(|a| a.published.as_ref()).map(|p| p.to_string()),
            independent_articles: list.iter().filter(|&&i| originals[i as usize].is_none()).count(),
        }
    }
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

//! Reads: search, stories, entities, events, and the aggregates a story page shows.
//!
//! Every list is bounded (`limit`, at most [`MAX_LIMIT`]), and a story's aggregates read at most
//! [`STORY_ARTICLES`] of its articles, so no request costs time in proportion to the store.

use crate::db::{args, Col, Conn, Row, Value};
use crate::records::{enum_str, load_article};
use crate::{Chars, Error, Result, Store};
use newsgraph_doc::record::ArticleRecord;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The most items one list request returns.
pub const MAX_LIMIT: usize = 500;
/// A search by plain words alone ranks the matches among the latest articles in which its
/// rarest word is found about this many times: the score costs a microsecond or two per match,
/// and a frequent name matches tens of thousands. A search whose rarest word is in fewer
/// articles ranks every match. One with phrases, prefixes or operators ranks its latest this
/// many matches.
pub const RANKED: usize = 1000;
/// A story's quotes, events, amounts, claims and graph are computed over its first this many
/// articles (in story order); its article list goes up to [`MAX_LIMIT`].
pub const STORY_ARTICLES: usize = 60;

/// An article without its text and annotations.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArticleSummary {
    pub id: String,
    pub title: Option<String>,
    pub source: String,
    pub url: Option<String>,
    pub site: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub story: Option<String>,
    pub duplicate_of: Option<String>,
}

const SUMMARY_COLUMNS: &str =
    "a.id, a.title, a.source, a.url, a.site, a.published, a.language, a.story, a.duplicate_of";

fn summary_at(r: &Row<'_>, i: usize) -> Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: r.get(i)?,
        title: r.get(i + 1)?,
        source: r.get(i + 2)?,
        url: r.get(i + 3)?,
        site: r.get(i + 4)?,
        published: r.get(i + 5)?,
        language: r.get(i + 6)?,
        story: r.get(i + 7)?,
        duplicate_of: r.get(i + 8)?,
    })
}

impl ArticleSummary {
    /// The name of where it came from: its site, else its file name.
    pub fn outlet(&self) -> String {
        match &self.site {
            Some(s) if !s.trim().is_empty() => s.clone(),
            _ => {
                let s = self.source.rsplit(['/', '\\']).next().unwrap_or(&self.source);
                s.to_string()
            }
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SearchQuery {
    /// Words (all must match), "quoted phrases", `word*` prefixes, OR between alternatives.
    /// Empty: every article passing the filters, newest first.
    pub text: String,
    /// An entity id, or a name (case-insensitive).
    pub entity: Option<String>,
    pub site: Option<String>,
    /// ISO 8601 dates (`2025`, `2025-03`, `2025-03-06`), inclusive.
    pub since: Option<String>,
    pub until: Option<String>,
    pub lang: Option<String>,
    /// A PLOVER event type: articles with such an event.
    pub event: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SearchHit {
    #[serde(flatten)]
    pub article: ArticleSummary,
    /// A passage around the best match, plain text.
    pub snippet: String,
    /// Matched words in `snippet`, as [start, end) character offsets.
    pub highlights: Vec<[usize; 2]>,
    /// bm25 relevance, higher is better (0 when the query has no words).
    pub score: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StorySummary {
    pub id: String,
    pub title: String,
    pub articles: usize,
    pub independent_articles: usize,
    pub sites: Vec<String>,
    pub entities: Vec<String>,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorySort {
    /// Latest publication first, then the larger.
    #[default]
    Recent,
    /// Most articles first, then the latest.
    Size,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EntitySummary {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub code: Option<String>,
    /// Articles naming it.
    pub articles: usize,
    pub mentions: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EventRow {
    pub article: String,
    pub story: Option<String>,
    pub site: Option<String>,
    pub published: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
    pub actor: Option<String>,
    pub actor_entity: Option<String>,
    pub actor_code: Option<String>,
    pub target: Option<String>,
    pub target_entity: Option<String>,
    pub target_code: Option<String>,
    pub modality: String,
    pub date: Option<String>,
    pub trigger: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct EventQuery {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Events with this entity (id or name) as actor or target.
    pub entity: Option<String>,
    pub story: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// A quotation as a story or an entity page lists it: once, with every article carrying it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuoteItem {
    pub text: String,
    pub kind: String,
    pub cue: Option<String>,
    pub articles: Vec<String>,
    pub sites: Vec<String>,
    pub first_published: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SpeakerQuotes {
    /// Null for quotations whose speaker could not be told.
    pub speaker: Option<String>,
    pub speaker_entity: Option<String>,
    pub quotes: Vec<QuoteItem>,
}

/// One event of a story, merged over the articles that report it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoryEvent {
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
    pub actor: Option<String>,
    pub actor_entity: Option<String>,
    pub actor_code: Option<String>,
    pub target: Option<String>,
    pub target_entity: Option<String>,
    pub target_code: Option<String>,
    pub modality: String,
    pub date: Option<String>,
    /// The text of its first report.
    pub text: String,
    pub articles: Vec<String>,
    pub sites: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoryAmount {
    pub text: String,
    pub value: f64,
    pub unit: Option<String>,
    pub articles: Vec<String>,
    pub sites: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoryEntity {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub code: Option<String>,
    /// Articles of the story naming it.
    pub articles: usize,
}

/// Which source reports which claim: `cells[i]` is for `sources[i]`: 2 when an original
/// article of that source reports it, 1 when only a copy does, 0 when none.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ClaimsMatrix {
    pub sources: Vec<String>,
    pub claims: Vec<Claim>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claim {
    /// "event", "quote" or "amount".
    pub kind: String,
    pub label: String,
    pub cells: Vec<u8>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TimelineDay {
    /// YYYY-MM-DD.
    pub date: String,
    /// Articles published that day.
    pub articles: usize,
    /// Events said to have happened that day.
    pub events: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ActorGraph {
    pub nodes: Vec<StoryEntity>,
    pub edges: Vec<GraphEdge>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GraphEdge {
    /// Entity ids, from actor to target for events.
    pub source: String,
    pub target: String,
    /// "event" (with its type as label) or "cooccurrence".
    pub kind: String,
    pub label: Option<String>,
    /// Articles that report the event, or that name both.
    pub weight: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoryDetail {
    pub story: StorySummary,
    /// The story record as `analyze` writes it (how its sources compare: `sources`,
    /// `first_reported`, `timeline`, `claims`, `shared_claims`, `unique_claims`,
    /// `disagreements`), without its article list.
    pub record: serde_json::Value,
    /// In story order (by date), at most [`MAX_LIMIT`].
    pub articles: Vec<ArticleSummary>,
    pub entities: Vec<StoryEntity>,
    pub quotes: Vec<SpeakerQuotes>,
    pub events: Vec<StoryEvent>,
    pub amounts: Vec<StoryAmount>,
    pub claims: ClaimsMatrix,
    pub timeline: Vec<TimelineDay>,
    pub graph: ActorGraph,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EntityQuote {
    pub text: String,
    pub kind: String,
    pub article: String,
    pub story: Option<String>,
    pub site: Option<String>,
    pub published: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RelatedEntity {
    #[serde(flatten)]
    pub entity: EntitySummary,
    /// Of the entity's latest articles, how many also name this one.
    pub together: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EntityDetail {
    pub entity: EntitySummary,
    pub roles: Vec<String>,
    /// Stories of its latest articles, newest first.
    pub stories: Vec<StorySummary>,
    /// Its latest articles (by time added).
    pub articles: Vec<ArticleSummary>,
    pub quotes: Vec<EntityQuote>,
    /// Latest events with it as actor or target.
    pub events: Vec<EventRow>,
    pub related: Vec<RelatedEntity>,
}

/// A date filter bound, checked: `2025`, `2025-03` or `2025-03-06`.
pub fn check_date(s: &str) -> Result<&str> {
    let s = s.trim();
    let ok = match s.len() {
        4 => s.bytes().all(|b| b.is_ascii_digit()),
        7 => s.as_bytes()[4] == b'-' && s[..4].bytes().chain(s[5..].bytes()).all(|b| b.is_ascii_digit()),
        10 => {
            let b = s.as_bytes();
            b[4] == b'-' && b[7] == b'-' && s.bytes().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        }
        _ => false,
    };
    if ok {
        Ok(s)
    } else {
        Err(Error(format!("bad date {s:?}: expected YYYY, YYYY-MM or YYYY-MM-DD")))
    }
}

/// Turns what a user typed into an FTS5 query: each word a quoted term (so punctuation and
/// FTS5 keywords in the text cannot break the syntax), "phrases" kept, `word*` as a prefix, OR
/// and NOT between terms kept as operators. None when nothing searchable is left.
pub fn fts_query(text: &str) -> Option<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut pending_op: Option<&str> = None;
    let push = |t: String, op: &mut Option<&str>, terms: &mut Vec<String>| {
        if let Some(o) = op.take() {
            if !terms.is_empty() {
                terms.push(o.to_string());
            }
        }
        terms.push(t);
    };
    let mut rest = text;
    while !rest.is_empty() {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix('"') {
            let (phrase, next) = match after.find('"') {
                Some(i) => (&after[..i], &after[i + 1..]),
                None => (after, ""),
            };
            let words = words(phrase);
            if !words.is_empty() {
                push(format!("\"{}\"", words.join(" ")), &mut pending_op, &mut terms);
            }
            rest = next;
            continue;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(rest.len());
        let token = &rest[..end];
        rest = &rest[end..];
        if token == "OR" || token == "NOT" {
            pending_op = Some(if token == "OR" { "OR" } else { "NOT" });
            continue;
        }
        let prefix = token.ends_with('*');
        for (i, w) in words(token).iter().enumerate() {
            let last = i + 1 == words(token).len();
            let t = if prefix && last { format!("\"{w}\"*") } else { format!("\"{w}\"") };
            push(t, &mut pending_op, &mut terms);
        }
    }
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" "))
    }
}

/// Rewrites `search_common` (SQLite): the words of the full-text index found in more than half
/// of the articles or in [`COUNTED`] articles or more, with their article counts, and the
/// number of articles (meta `search_articles`). Reads the whole index (about a second for
/// 100,000 articles). The caller holds the transaction.
pub(crate) fn refresh_common_words(db: &Conn) -> Result<()> {
    db.batch(&format!(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.articles_vocab USING fts5vocab(main, articles_fts, row);
         DELETE FROM search_common;
         INSERT INTO search_common (term, articles)
           SELECT term, doc FROM temp.articles_vocab WHERE doc >= {COUNTED} OR doc * 2 > (SELECT count(*) FROM articles);
         DROP TABLE temp.articles_vocab;
         INSERT INTO meta (key, value) VALUES ('search_articles', (SELECT count(*) FROM articles))
           ON CONFLICT(key) DO UPDATE SET value = excluded.value;"
    ))
}

/// Words found in this many articles or more have their article count kept for the ranking
/// ([`crate::rank`]); the matches of rarer ones are few enough to count when searched.
const COUNTED: i64 = 50;

/// How a search by words alone runs on SQLite.
struct WordSearch {
    /// The FTS5 query: for plain words, those in more than half of the articles are left out
    /// when others remain, as bm25 gives them no weight (their idf is clamped to zero) and
    /// matching them costs the most: "University of Linz" is searched as `"University" "Linz"`.
    query: String,
    /// The article count of each phrase of `query`, in order, as `newsgraph_rank` reads them
    /// (an empty place when unknown).
    counts: String,
    /// The first row worth ranking: the latest rows in which the rarest word is found about
    /// [`RANKED`] times (0: every row).
    from_row: i64,
    /// Whether the search is of plain words, whose article counts are known or cheap to count.
    plain: bool,
}

fn word_search(db: &Conn, text: &str, fts: &str) -> Result<WordSearch> {
    let plain = !text.contains(['"', '*']) && !text.split_whitespace().any(|t| t == "OR" || t == "NOT");
    if !plain {
        return Ok(WordSearch { query: fts.to_string(), counts: String::new(), from_row: 0, plain });
    }
    let total: i64 = db
        .query_opt("SELECT value FROM meta WHERE key = 'search_articles'", &[], |r| r.get::<String>(0))?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut found: Vec<(String, Option<i64>)> = Vec::new();
    for w in words(text) {
        let n = db.query_opt("SELECT articles FROM search_common WHERE term = ?1", args![fold(&w)], |r| r.get(0))?;
        found.push((w, n));
    }
    let common = |n: &Option<i64>| n.is_some_and(|n| total > 0 && n * 2 > total);
    if found.len() >= 2 && found.iter().any(|(_, n)| !common(n)) {
        found.retain(|(_, n)| !common(n));
    }
    let query = found.iter().map(|(w, _)| format!("\"{w}\"")).collect::<Vec<_>>().join(" ");
    let counts = found.iter().map(|(_, n)| n.map(|n| n.to_string()).unwrap_or_default()).collect::<Vec<_>>().join(",");
    // Every phrase must match, so the rows to rank are at most those of the rarest word; when
    // all are frequent, only the latest rows that hold about RANKED of its matches.
    let rarest = found.iter().map(|(_, n)| n.unwrap_or(0)).min().unwrap_or(0);
    let mut from_row = 0;
    if rarest > RANKED as i64 {
        let last: i64 = db.query_one("SELECT coalesce(max(n), 0) FROM articles", &[], |r| r.get(0))?;
        from_row = last - last * RANKED as i64 / rarest;
    }
    Ok(WordSearch { query, counts, from_row, plain })
}

/// Letters and digits runs, as FTS5's unicode61 tokenizer splits them.
pub(crate) fn words(s: &str) -> Vec<String> {
    split_words(s).map(str::to_string).collect()
}

/// The words of `s` as searches and the search index split them: runs of letters and digits.
pub(crate) fn split_words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

fn limit(n: usize, default: usize) -> usize {
    if n == 0 {
        default
    } else {
        n.min(MAX_LIMIT)
    }
}

/// A word as the full-text index sees it: lower case, without diacritics (as FTS5's
/// unicode61 tokenizer with remove_diacritics folds it).
pub(crate) fn fold(word: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    word.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// The words of a search to mark in snippets, folded, with whether each is a prefix.
fn query_terms(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for token in text.split_whitespace() {
        if token == "OR" || token == "NOT" {
            continue;
        }
        let prefix = token.ends_with('*');
        let ws = words(token);
        let last = ws.len().saturating_sub(1);
        for (i, w) in ws.iter().enumerate() {
            out.push((fold(w), prefix && i == last));
        }
    }
    out
}

/// A passage of about thirty words around the most matches of `terms`, with the matched words
/// as [start, end) character offsets into it. The text's start when nothing matches.
fn snippet(text: &str, terms: &[(String, bool)]) -> (String, Vec<[usize; 2]>) {
    const WINDOW: usize = 30;
    // word spans: [start, end) in characters, then in bytes, and whether the word matches
    let mut spans: Vec<(usize, usize, usize, usize, bool)> = Vec::with_capacity(text.len() / 5);
    let mut start: Option<(usize, usize)> = None;
    let hit = |w: &str| {
        if w.is_ascii() {
            // an ASCII word folds to its lower case: compare in place, without allocating
            return terms.iter().any(|(t, prefix)| {
                let t = t.as_bytes();
                if *prefix {
                    w.len() >= t.len() && w.as_bytes()[..t.len()].eq_ignore_ascii_case(t)
                } else {
                    w.as_bytes().eq_ignore_ascii_case(t)
                }
            });
        }
        let f = fold(w);
        terms.iter().any(|(t, prefix)| if *prefix { f.starts_with(t.as_str()) } else { f == *t })
    };
    let mut n = 0;
    for (b, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert((n, b));
        } else if let Some((cs, bs)) = start.take() {
            spans.push((cs, n, bs, b, hit(&text[bs..b])));
        }
        n += 1;
    }
    if let Some((cs, bs)) = start {
        spans.push((cs, n, bs, text.len(), hit(&text[bs..])));
    }
    if spans.is_empty() {
        return (String::new(), Vec::new());
    }
    let mut best = (0usize, 0usize);
    let mut count = spans.iter().take(WINDOW).filter(|s| s.4).count();
    best.1 = count;
    for i in 1..spans.len().saturating_sub(WINDOW - 1) {
        count = count + usize::from(spans[i + WINDOW - 1].4) - usize::from(spans[i - 1].4);
        if count > best.1 {
            best = (i, count);
        }
    }
    // start a few words before the first match of the window, for context
    let first_hit = spans[best.0..].iter().position(|s| s.4).map_or(best.0, |p| best.0 + p);
    let from = if best.1 > 0 { first_hit.saturating_sub(4).max(best.0.saturating_sub(4)) } else { 0 };
    let to = (from + WINDOW).min(spans.len()) - 1;
    let (cs, bs, be) = (spans[from].0, spans[from].2, spans[to].3);
    let lead = from > 0;
    let mut out = String::with_capacity(be - bs + 8);
    if lead {
        out.push('…');
    }
    out.extend(text[bs..be].chars().map(|c| if c.is_whitespace() { ' ' } else { c }));
    if to + 1 < spans.len() {
        out.push('…');
    }
    let shift = usize::from(lead);
    let marks = spans[from..=to].iter().filter(|s| s.4).map(|s| [s.0 - cs + shift, s.1 - cs + shift]).collect();
    (out, marks)
}

fn story_summary(r: &Row<'_>) -> Result<StorySummary> {
    let sites: String = r.get(5)?;
    let entities: String = r.get(6)?;
    Ok(StorySummary {
        id: r.get(0)?,
        title: r.get(1)?,
        articles: r.get::<i64>(2)? as usize,
        independent_articles: r.get::<i64>(3)? as usize,
        sites: serde_json::from_str(&sites).unwrap_or_default(),
        entities: serde_json::from_str(&entities).unwrap_or_default(),
        first_published: r.get(4)?,
        last_published: r.get(7)?,
    })
}

const STORY_COLUMNS: &str = "id, title, articles, independent, first_published, sites, entities, last_published";

fn entity_summary(r: &Row<'_>, i: usize) -> Result<EntitySummary> {
    Ok(EntitySummary {
        id: r.get(i)?,
        name: r.get(i + 1)?,
        kind: r.get(i + 2)?,
        code: r.get(i + 3)?,
        articles: r.get::<i64>(i + 4)? as usize,
        mentions: r.get::<i64>(i + 5)? as usize,
    })
}

const ENTITY_COLUMNS: &str = "e.id, e.name, e.type, e.code, e.articles, e.mentions";

/// A quote's text reduced to its words, for telling the same quotation in two articles.
fn quote_key(text: &str) -> String {
    let mut out = String::new();
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(12) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

impl Store {
    fn article_n(&self, id: &str) -> Result<Option<i64>> {
        self.db.query_opt("SELECT n FROM articles WHERE id = ?1", args![id], |r| r.get(0))
    }

    /// The full record of an article, as `analyze` writes it.
    pub fn article(&self, id: &str) -> Result<Option<ArticleRecord>> {
        match self.article_n(id)? {
            Some(n) => load_article(&self.db, n),
            None => Ok(None),
        }
    }

    /// Every article's record, in the order added.
    pub fn for_each_article(&self, f: &mut dyn FnMut(ArticleRecord) -> Result<()>) -> Result<()> {
        let mut last = 0i64;
        loop {
            // Pages of row numbers, so no statement stays open while `f` runs its own queries.
            let ns: Vec<i64> =
                self.db.query_map("SELECT n FROM articles WHERE n > ?1 ORDER BY n LIMIT 1000", args![last], |r| {
                    r.get(0)
                })?;
            if ns.is_empty() {
                return Ok(());
            }
            for &n in &ns {
                if let Some(rec) = load_article(&self.db, n)? {
                    f(rec)?;
                }
            }
            last = *ns.last().expect("not empty");
        }
    }

    /// An entity's row number, from its id or else its name (case-insensitive; the one in most
    /// articles when several share the name).
    pub(crate) fn entity_n(&self, key: &str) -> Result<Option<i64>> {
        if let Some(n) = self.db.query_opt("SELECT n FROM entities WHERE id = ?1", args![key], |r| r.get(0))? {
            return Ok(Some(n));
        }
        self.db.query_opt(
            "SELECT n FROM entities WHERE key = ?1 ORDER BY articles DESC, n LIMIT 1",
            args![key.trim().to_lowercase()],
            |r| r.get(0),
        )
    }

    /// Full-text search with filters: bm25 ranking (title words count twice), or newest first
    /// when there are no words. Words without filters on SQLite rank the latest [`RANKED`]
    /// matches; with filters, every match that passes them.
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>> {
        let fts = fts_query(&q.text);
        let mut sql = String::new();
        let mut args: Vec<Value> = Vec::new();
        let pg = self.db.is_postgres();
        let given = |o: &Option<String>| o.as_deref().is_some_and(|s| !s.trim().is_empty());
        let filtered = [&q.entity, &q.site, &q.since, &q.until, &q.lang, &q.event].into_iter().any(given);
        let tsquery = if pg { crate::pg::tsquery(&q.text) } else { None };
        if let (true, Some(t)) = (pg, &tsquery) {
            // Title words weigh 1.0 (A), body words 0.4 (B), as bm25 weighs them 2:1 below.
            sql.push_str(&format!(
                "SELECT {SUMMARY_COLUMNS}, a.n, ts_rank('{{0, 0, 0.4, 1.0}}', t.search, to_tsquery('simple', ?)) AS score
                 FROM article_texts t JOIN articles a ON a.n = t.n WHERE t.search @@ to_tsquery('simple', ?)"
            ));
            args.push(Value::Text(t.clone()));
            args.push(Value::Text(t.clone()));
        } else if let (false, Some(f), false) = (pg, &fts, filtered) {
            // Words alone: rank in the full-text index only, the latest rows that hold about
            // RANKED matches of the rarest word, then read the rows of the page's hits alone.
            let w = word_search(&self.db, &q.text, f)?;
            let ranked = if w.plain {
                "SELECT rowid, newsgraph_rank(articles_fts, 2.0, 1.0, ?) AS score FROM articles_fts
                 WHERE articles_fts MATCH ? AND rowid >= ?"
            } else {
                // phrases, prefixes and operators: the latest RANKED matches
                "SELECT rowid, score FROM (
                   SELECT rowid, newsgraph_rank(articles_fts, 2.0, 1.0, ?) AS score FROM articles_fts
                   WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?)"
            };
            sql.push_str(&format!(
                "SELECT {SUMMARY_COLUMNS}, a.n, f.score FROM ({ranked} ORDER BY score DESC, rowid LIMIT ? OFFSET ?) f
                 JOIN articles a ON a.n = f.rowid ORDER BY f.score DESC, a.n"
            ));
            args.push(Value::Text(w.counts));
            args.push(Value::Text(w.query));
            args.push(Value::Int(if w.plain { w.from_row } else { RANKED as i64 }));
            args.push(Value::Int(limit(q.limit, 20) as i64));
            args.push(Value::Int(q.offset as i64));
            return self.search_hits(&sql, &args, &q.text);
        } else if let (false, Some(f)) = (pg, &fts) {
            let w = word_search(&self.db, &q.text, f)?;
            sql.push_str(&format!(
                "SELECT {SUMMARY_COLUMNS}, a.n, newsgraph_rank(articles_fts, 2.0, 1.0, ?) AS score
                 FROM articles_fts JOIN articles a ON a.n = articles_fts.rowid WHERE articles_fts MATCH ?"
            ));
            args.push(Value::Text(w.counts));
            args.push(Value::Text(w.query));
        } else {
            sql.push_str(&format!(
                "SELECT {SUMMARY_COLUMNS}, a.n, CAST(0 AS DOUBLE PRECISION) FROM articles a WHERE TRUE"
            ));
        }
        let ranked = if pg { tsquery.is_some() } else { fts.is_some() };
        if let Some(e) = q.entity.as_deref().filter(|s| !s.trim().is_empty()) {
            let Some(en) = self.entity_n(e)? else { return Ok(Vec::new()) };
            sql.push_str(" AND EXISTS (SELECT 1 FROM article_entities ae WHERE ae.entity = ? AND ae.article = a.n)");
            args.push(Value::Int(en));
        }
        if let Some(s) = q.site.as_deref().filter(|s| !s.trim().is_empty()) {
            sql.push_str(" AND lower(a.site) = lower(?)");
            args.push(Value::Text(s.trim().to_string()));
        }
        if let Some(s) = q.since.as_deref().filter(|s| !s.trim().is_empty()) {
            sql.push_str(" AND a.published >= ?");
            args.push(Value::Text(check_date(s)?.to_string()));
        }
        if let Some(s) = q.until.as_deref().filter(|s| !s.trim().is_empty()) {
            let s = check_date(s)?;
            sql.push_str(" AND substr(a.published, 1, ?) <= ?");
            args.push(Value::Int(s.len() as i64));
            args.push(Value::Text(s.to_string()));
        }
        if let Some(s) = q.lang.as_deref().filter(|s| !s.trim().is_empty()) {
            sql.push_str(" AND lower(a.language) = lower(?)");
            args.push(Value::Text(s.trim().to_string()));
        }
        if let Some(s) = q.event.as_deref().filter(|s| !s.trim().is_empty()) {
            sql.push_str(" AND EXISTS (SELECT 1 FROM events ev WHERE ev.type = ? AND ev.article = a.n)");
            args.push(Value::Text(s.trim().to_ascii_uppercase()));
        }
        if ranked {
            sql.push_str(" ORDER BY score DESC, a.n");
        } else {
            sql.push_str(if pg {
                " ORDER BY a.published DESC NULLS LAST, a.n DESC"
            } else {
                " ORDER BY a.published DESC, a.n DESC"
            });
        }
        sql.push_str(" LIMIT ? OFFSET ?");
        args.push(Value::Int(limit(q.limit, 20) as i64));
        args.push(Value::Int(q.offset as i64));
        self.search_hits(&sql, &args, &q.text)
    }

    /// The hits of a search statement whose columns are the summary, the row number and the
    /// score, each with its snippet.
    fn search_hits(&self, sql: &str, args: &[Value], text: &str) -> Result<Vec<SearchHit>> {
        let found: Vec<(ArticleSummary, i64, f64)> =
            self.db.query_map(sql, args, |r| Ok((summary_at(r, 0)?, r.get::<i64>(9)?, r.get::<f64>(10)?)))?;
        let terms = query_terms(text);
        let mut out = Vec::with_capacity(found.len());
        for (article, n, score) in found {
            let text = self.text(n)?;
            let (snippet, highlights) = snippet(&text, &terms);
            out.push(SearchHit { article, snippet, highlights, score });
        }
        Ok(out)
    }

    /// An article's text by row number, inflated here rather than by SQL's `unzip`, which
    /// copies it twice more on the way out.
    fn text(&self, n: i64) -> Result<String> {
        self.db.query_one("SELECT text FROM article_texts WHERE n = ?1", args![n], |r| match r.get_col(0)? {
            Col::Blob(b) => crate::unzip(b).map_err(|e| Error(format!("article {n}: {e}"))),
            Col::Text(t) => Ok(t.to_string()),
            _ => Ok(String::new()),
        })
    }

    pub fn stories(&self, sort: StorySort, limit_n: usize, offset: usize) -> Result<Vec<StorySummary>> {
        // PostgreSQL puts NULLs first when descending, SQLite last; say it for PostgreSQL only,
        // so that SQLite keeps reading the order straight from its index.
        let order = match (sort, self.db.is_postgres()) {
            (StorySort::Recent, false) => "last_published DESC, articles DESC",
            (StorySort::Recent, true) => "last_published DESC NULLS LAST, articles DESC",
            (StorySort::Size, false) => "articles DESC, last_published DESC",
            (StorySort::Size, true) => "articles DESC, last_published DESC NULLS LAST",
        };
        let sql = format!("SELECT {STORY_COLUMNS} FROM stories ORDER BY {order}, n LIMIT ?1 OFFSET ?2");
        self.db.query_map(&sql, args![limit(limit_n, 50), offset], story_summary)
    }

    pub fn story_summary(&self, id: &str) -> Result<Option<StorySummary>> {
        let sql = format!("SELECT {STORY_COLUMNS} FROM stories WHERE id = ?1");
        self.db.query_opt(&sql, args![id], story_summary)
    }

    /// The article ids of a story in story order (all of them).
    pub fn story_article_ids(&self, id: &str) -> Result<Vec<String>> {
        self.db.query_map("SELECT id FROM articles WHERE story = ?1 ORDER BY story_pos", args![id], |r| r.get(0))
    }

    /// A story with what its articles say: sources, who, quotations by speaker, events,
    /// amounts, the claims matrix, the timeline and the actor graph. Read from the page data
    /// stored when the story was last updated ([`crate::story_pages`]); computed from its
    /// articles when there is none (a page written by another version of newsgraph).
    pub fn story(&self, id: &str) -> Result<Option<StoryDetail>> {
        if let Some(json) = crate::story_pages::stored(&self.db, id)? {
            if let Ok(d) = serde_json::from_str(&json) {
                return Ok(Some(d));
            }
        }
        self.compute_story(id)
    }

    /// [`Store::story`] as the JSON the API sends: the stored page data as it is, with no
    /// parsing on the way.
    pub fn story_json(&self, id: &str) -> Result<Option<String>> {
        if let Some(json) = crate::story_pages::stored(&self.db, id)? {
            return Ok(Some(json));
        }
        Ok(self.compute_story(id)?.map(|d| serde_json::to_string(&d).expect("stories serialise")))
    }

    /// A story's web page as the renderer of that `version` made it when the story was last
    /// updated; None when there is none (render it from [`Store::story`]).
    pub fn story_html(&self, id: &str, version: i64) -> Result<Option<String>> {
        crate::story_pages::stored_html(&self.db, id, version)
    }

    pub(crate) fn compute_story(&self, id: &str) -> Result<Option<StoryDetail>> {
        compute_story(&self.db, id)
    }
}

/// A story's page data computed from its articles and their annotations.
pub(crate) fn compute_story(db: &Conn, id: &str) -> Result<Option<StoryDetail>> {
    let sql = format!("SELECT {STORY_COLUMNS} FROM stories WHERE id = ?1");
    let Some(story) = db.query_opt(&sql, args![id], story_summary)? else { return Ok(None) };
    let sql =
        format!("SELECT a.n, {SUMMARY_COLUMNS} FROM articles a WHERE a.story = ?1 ORDER BY a.story_pos, a.n LIMIT ?2");
    let rows = db.query_map(&sql, args![id, MAX_LIMIT], |r| Ok((r.get::<i64>(0)?, summary_at(r, 1)?)))?;
    let (ns, articles): (Vec<i64>, Vec<ArticleSummary>) = rows.into_iter().unzip();
    // only the texts of the articles the aggregates read
    let mut texts: HashMap<i64, String> = HashMap::new();
    db.query_each(
        &format!("SELECT t.n, unzip(t.text) FROM article_texts t WHERE t.n IN ({AGGREGATED})"),
        args![id, STORY_ARTICLES],
        &mut |r| {
            texts.insert(r.get(0)?, r.get(1)?);
            Ok(())
        },
    )?;
    let texts: Vec<(i64, String)> =
        ns.iter().take(STORY_ARTICLES).filter_map(|n| Some((*n, texts.remove(n)?))).collect();
    let agg = aggregate(db, id, &articles, &texts)?;
    let record: String = db.query_one("SELECT unzip(record) FROM stories WHERE id = ?1", args![id], |r| r.get(0))?;
    Ok(Some(StoryDetail {
        story,
        record: {
            let mut r: serde_json::Value = serde_json::from_str(&record).unwrap_or_default();
            // the article list is `articles` of the detail
            if let Some(o) = r.as_object_mut() {
                o.remove("articles");
            }
            r
        },
        articles,
        entities: agg.entities,
        quotes: agg.quotes,
        events: agg.events,
        amounts: agg.amounts,
        claims: agg.claims,
        timeline: agg.timeline,
        graph: agg.graph,
    }))
}

/// The articles a story's aggregates read, by row number: its first [`STORY_ARTICLES`] (`?1` the
/// story id, `?2` that count). Each table is read once per story with it, not once per article.
const AGGREGATED: &str = "SELECT n FROM articles WHERE story = ?1 ORDER BY story_pos, n LIMIT ?2";

/// Rows of one table for a story's aggregated articles, grouped by article row number.
fn rows_by_article<T>(
    db: &Conn,
    sql: &str,
    story: &str,
    mut f: impl FnMut(&Row<'_>) -> Result<T>,
) -> Result<HashMap<i64, Vec<T>>> {
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    db.query_each(sql, args![story, STORY_ARTICLES], &mut |r| {
        let v = f(r)?;
        out.entry(r.get(0)?).or_default().push(v);
        Ok(())
    })?;
    Ok(out)
}

fn aggregate(db: &Conn, story: &str, articles: &[ArticleSummary], texts: &[(i64, String)]) -> Result<Aggregate> {
    struct Ent {
        id: String,
        name: String,
        kind: String,
        code: Option<String>,
        articles: usize,
    }
    let mut ents: Vec<Ent> = Vec::new();
    let mut ent_at: HashMap<i64, usize> = HashMap::new();
    let mut per_article: Vec<Vec<usize>> = Vec::new();
    let mut quotes: Vec<(Option<usize>, String, QuoteItem)> = Vec::new();
    let mut quote_at: HashMap<(Option<usize>, String), usize> = HashMap::new();
    // (type, actor, target) as indexes into `ents`
    type EventKey = (String, Option<usize>, Option<usize>);
    let mut events: Vec<(EventKey, StoryEvent)> = Vec::new();
    let mut event_at: HashMap<EventKey, usize> = HashMap::new();
    let mut amounts: Vec<StoryAmount> = Vec::new();
    let mut amount_at: HashMap<(u64, Option<String>), usize> = HashMap::new();
    // (claim kind, index) → per source: 2 original, 1 copy
    let mut source_names: Vec<String> = Vec::new();
    let mut source_articles: Vec<usize> = Vec::new();
    let mut claim_cells: HashMap<(u8, usize), HashMap<usize, u8>> = HashMap::new();
    let mut days: HashMap<String, (usize, usize)> = HashMap::new();

    for a in articles {
        if let Some(p) = a.published.as_deref().filter(|p| p.len() >= 10) {
            days.entry(p[..10].to_string()).or_default().0 += 1;
        }
    }

    let mut ent_rows = rows_by_article(
        db,
        &format!(
            "SELECT ae.article, e.n, e.id, e.name, e.type, e.code FROM article_entities ae JOIN entities e ON e.n = ae.entity
             WHERE ae.article IN ({AGGREGATED}) ORDER BY ae.article, ae.ord"
        ),
        story,
        |r| Ok((r.get::<i64>(1)?, r.get::<String>(2)?, r.get::<String>(3)?, r.get::<String>(4)?, r.get(5)?)),
    )?;
    let mut quote_rows = rows_by_article(
        db,
        &format!(
            "SELECT article, start, \"end\", kind, speaker, cue FROM quotes WHERE article IN ({AGGREGATED}) ORDER BY article, ord"
        ),
        story,
        |r| Ok((r.get::<i64>(1)?, r.get::<i64>(2)?, r.get::<String>(3)?, r.get::<Option<i64>>(4)?, r.get(5)?)),
    )?;
    let mut event_rows = rows_by_article(
        db,
        &format!(
            "SELECT article, type, mode, actor, target, modality, date, start, \"end\" FROM events
             WHERE article IN ({AGGREGATED}) ORDER BY article, ord"
        ),
        story,
        |r| {
            Ok((
                r.get::<String>(1)?,
                r.get::<Option<String>>(2)?,
                r.get::<Option<i64>>(3)?,
                r.get::<Option<i64>>(4)?,
                r.get::<String>(5)?,
                r.get::<Option<String>>(6)?,
                r.get::<i64>(7)?,
                r.get::<i64>(8)?,
            ))
        },
    )?;
    let mut amount_rows = rows_by_article(
        db,
        &format!(
            "SELECT article, start, \"end\", value, unit FROM amounts WHERE article IN ({AGGREGATED}) ORDER BY article, ord"
        ),
        story,
        |r| Ok((r.get::<i64>(1)?, r.get::<i64>(2)?, r.get::<f64>(3)?, r.get::<Option<String>>(4)?)),
    )?;
    for ((n, text), a) in texts.iter().zip(articles) {
        let chars = Chars::new(text);
        let outlet = a.outlet();
        let src = match source_names.iter().position(|s| *s == outlet) {
            Some(i) => i,
            None => {
                source_names.push(outlet.clone());
                source_articles.push(0);
                source_names.len() - 1
            }
        };
        source_articles[src] += 1;
        let cell = if a.duplicate_of.is_some() { 1u8 } else { 2u8 };
        let mut mark = |kind: u8, i: usize| {
            let c = claim_cells.entry((kind, i)).or_default().entry(src).or_insert(0);
            *c = (*c).max(cell);
        };

        let mut mine = Vec::new();
        for row in ent_rows.remove(n).unwrap_or_default() {
            let (en, id, name, kind, code) = row;
            let i = *ent_at.entry(en).or_insert_with(|| {
                ents.push(Ent { id, name, kind, code, articles: 0 });
                ents.len() - 1
            });
            if !mine.contains(&i) {
                ents[i].articles += 1;
                mine.push(i);
            }
        }
        per_article.push(mine);
        let local = |en: Option<i64>| en.and_then(|en| ent_at.get(&en).copied());

        for row in quote_rows.remove(n).unwrap_or_default() {
            let (start, end, kind, speaker, cue) = row;
            let qtext = chars.slice(text, start as usize, end as usize);
            let speaker = local(speaker);
            let key = (speaker, quote_key(qtext));
            let i = *quote_at.entry(key.clone()).or_insert_with(|| {
                quotes.push((
                    speaker,
                    key.1.clone(),
                    QuoteItem {
                        text: qtext.to_string(),
                        kind,
                        cue,
                        articles: Vec::new(),
                        sites: Vec::new(),
                        first_published: a.published.clone(),
                    },
                ));
                quotes.len() - 1
            });
            push_unique(&mut quotes[i].2.articles, &a.id);
            push_unique(&mut quotes[i].2.sites, &outlet);
            mark(1, i);
        }

        for row in event_rows.remove(n).unwrap_or_default() {
            let (kind, mode, actor, target, modality, date, start, end) = row;
            let (ai, ti) = (local(actor), local(target));
            let key = (kind.clone(), ai, ti);
            let i = *event_at.entry(key.clone()).or_insert_with(|| {
                let who = |i: Option<usize>| i.map(|i| &ents[i]);
                let (ae, te) = (who(ai), who(ti));
                events.push((
                    key,
                    StoryEvent {
                        kind,
                        mode,
                        actor: ae.map(|e| e.name.clone()),
                        actor_entity: ae.map(|e| e.id.clone()),
                        actor_code: ae.and_then(|e| e.code.clone()),
                        target: te.map(|e| e.name.clone()),
                        target_entity: te.map(|e| e.id.clone()),
                        target_code: te.and_then(|e| e.code.clone()),
                        modality,
                        date: None,
                        text: chars.slice(text, start as usize, end as usize).to_string(),
                        articles: Vec::new(),
                        sites: Vec::new(),
                    },
                ));
                events.len() - 1
            });
            let ev = &mut events[i].1;
            if ev.date.is_none() {
                ev.date = date.clone();
            }
            if !ev.articles.contains(&a.id) {
                if let Some(d) = date.as_deref().filter(|d| d.len() == 10) {
                    days.entry(d.to_string()).or_default().1 += 1;
                }
            }
            push_unique(&mut ev.articles, &a.id);
            push_unique(&mut ev.sites, &outlet);
            mark(0, i);
        }

        for row in amount_rows.remove(n).unwrap_or_default() {
            let (start, end, value, unit) = row;
            let key = (value.to_bits(), unit.clone());
            let i = *amount_at.entry(key).or_insert_with(|| {
                amounts.push(StoryAmount {
                    text: chars.slice(text, start as usize, end as usize).to_string(),
                    value,
                    unit,
                    articles: Vec::new(),
                    sites: Vec::new(),
                });
                amounts.len() - 1
            });
            push_unique(&mut amounts[i].articles, &a.id);
            push_unique(&mut amounts[i].sites, &outlet);
            mark(2, i);
        }
    }

    let story_entity = |e: &Ent| StoryEntity {
        id: e.id.clone(),
        name: e.name.clone(),
        kind: e.kind.clone(),
        code: e.code.clone(),
        articles: e.articles,
    };

    // Sources with the most articles first, at most 24 columns.
    let mut src_order: Vec<usize> = (0..source_names.len()).collect();
    src_order.sort_by_key(|&i| (std::cmp::Reverse(source_articles[i]), i));
    src_order.truncate(24);
    let mut claims = Vec::new();
    let mut add_claims = |kind: u8, label: &dyn Fn(usize) -> String, count: usize, max: usize| {
        let mut rows: Vec<(usize, usize)> =
            (0..count).map(|i| (i, claim_cells.get(&(kind, i)).map_or(0, |c| c.len()))).collect();
        rows.sort_by_key(|&(i, n)| (std::cmp::Reverse(n), i));
        for &(i, _) in rows.iter().take(max) {
            let cells = claim_cells.get(&(kind, i));
            claims.push(Claim {
                kind: ["event", "quote", "amount"][kind as usize].into(),
                label: label(i),
                cells: src_order.iter().map(|s| cells.and_then(|c| c.get(s).copied()).unwrap_or(0)).collect(),
            });
        }
    };
    add_claims(
        0,
        &|i| {
            let e = &events[i].1;
            let mut s = format!("{} {}", e.actor.as_deref().unwrap_or("?"), e.kind);
            if let Some(m) = &e.mode {
                s.push_str(&format!(" ({m})"));
            }
            if let Some(t) = &e.target {
                s.push_str(&format!(" → {t}"));
            }
            s
        },
        events.len(),
        15,
    );
    add_claims(
        1,
        &|i| {
            let (sp, _, q) = &quotes[i];
            let who = sp.map_or("unattributed", |s| ents[s].name.as_str());
            let words: Vec<&str> = q.text.split_whitespace().collect();
            let mut t = words.iter().take(10).copied().collect::<Vec<_>>().join(" ");
            if words.len() > 10 {
                t.push('…');
            }
            format!("{who}: “{t}”")
        },
        quotes.len(),
        15,
    );
    add_claims(
        2,
        &|i| {
            let a = &amounts[i];
            match &a.unit {
                Some(u) => format!("{} ({} {u})", a.text, a.value),
                None => a.text.clone(),
            }
        },
        amounts.len(),
        10,
    );
    let claims = ClaimsMatrix { sources: src_order.iter().map(|&i| source_names[i].clone()).collect(), claims };

    // Quotations grouped by speaker, the most quoted first; unattributed last.
    let mut by_speaker: Vec<SpeakerQuotes> = Vec::new();
    let mut speaker_at: HashMap<Option<usize>, usize> = HashMap::new();
    for (sp, _, q) in quotes {
        let i = *speaker_at.entry(sp).or_insert_with(|| {
            by_speaker.push(SpeakerQuotes {
                speaker: sp.map(|s| ents[s].name.clone()),
                speaker_entity: sp.map(|s| ents[s].id.clone()),
                quotes: Vec::new(),
            });
            by_speaker.len() - 1
        });
        by_speaker[i].quotes.push(q);
    }
    by_speaker.sort_by_key(|s| (s.speaker.is_none(), std::cmp::Reverse(s.quotes.len())));

    // The actor graph: the entities most articles name, plus every event's actor and target.
    let mut order: Vec<usize> = (0..ents.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(ents[i].articles), i));
    let mut in_graph: Vec<usize> = order.iter().copied().take(16).collect();
    for ((_, a, t), _) in &events {
        for x in [a, t].into_iter().flatten() {
            if !in_graph.contains(x) && in_graph.len() < 24 {
                in_graph.push(*x);
            }
        }
    }
    let mut edges = Vec::new();
    for ((kind, a, t), e) in &events {
        if let (Some(a), Some(t)) = (a, t) {
            if in_graph.contains(a) && in_graph.contains(t) && a != t {
                edges.push(GraphEdge {
                    source: ents[*a].id.clone(),
                    target: ents[*t].id.clone(),
                    kind: "event".into(),
                    label: Some(kind.clone()),
                    weight: e.articles.len(),
                });
            }
        }
    }
    let mut pairs: HashMap<(usize, usize), usize> = HashMap::new();
    for mine in &per_article {
        let inside: Vec<usize> = mine.iter().copied().filter(|i| in_graph.contains(i)).collect();
        for (k, &x) in inside.iter().enumerate() {
            for &y in &inside[k + 1..] {
                *pairs.entry((x.min(y), x.max(y))).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<((usize, usize), usize)> = pairs.into_iter().collect();
    pairs.sort_by_key(|&((x, y), w)| (std::cmp::Reverse(w), x, y));
    // The 40 strongest pairs, and each node's strongest pair, so that no node floats alone.
    let mut keep = vec![false; pairs.len()];
    let mut linked: Vec<usize> = Vec::new();
    for (i, &((x, y), _)) in pairs.iter().enumerate() {
        if i < 40 || !linked.contains(&x) || !linked.contains(&y) {
            keep[i] = true;
            linked.push(x);
            linked.push(y);
        }
    }
    let pairs = pairs.into_iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| p);
    for ((x, y), w) in pairs {
        edges.push(GraphEdge {
            source: ents[x].id.clone(),
            target: ents[y].id.clone(),
            kind: "cooccurrence".into(),
            label: None,
            weight: w,
        });
    }
    let graph = ActorGraph { nodes: in_graph.iter().map(|&i| story_entity(&ents[i])).collect(), edges };

    let entities: Vec<StoryEntity> = order.iter().map(|&i| story_entity(&ents[i])).collect();
    let mut events: Vec<StoryEvent> = events.into_iter().map(|(_, e)| e).collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.articles.len()));
    amounts.sort_by_key(|a| std::cmp::Reverse(a.articles.len()));
    let mut timeline: Vec<TimelineDay> =
        days.into_iter().map(|(date, (articles, events))| TimelineDay { date, articles, events }).collect();
    timeline.sort_by(|a, b| a.date.cmp(&b.date));
    Ok(Aggregate { entities, quotes: by_speaker, events, amounts, claims, timeline, graph })
}

impl Store {
    pub fn entities(
        &self,
        query: Option<&str>,
        kind: Option<&str>,
        limit_n: usize,
        offset: usize,
    ) -> Result<Vec<EntitySummary>> {
        let mut sql = format!("SELECT {ENTITY_COLUMNS} FROM entities e WHERE TRUE");
        let mut args: Vec<Value> = Vec::new();
        if let Some(q) = query.map(str::trim).filter(|q| !q.is_empty()) {
            sql.push_str(" AND e.key LIKE ? ESCAPE '\\'");
            let escaped = q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            args.push(Value::Text(format!("%{escaped}%")));
        }
        if let Some(k) = kind.map(str::trim).filter(|k| !k.is_empty()) {
            sql.push_str(" AND e.type = ?");
            args.push(Value::Text(k.to_ascii_uppercase()));
        }
        sql.push_str(" ORDER BY e.articles DESC, e.n LIMIT ? OFFSET ?");
        args.push(Value::Int(limit(limit_n, 50) as i64));
        args.push(Value::Int(offset as i64));
        self.db.query_map(&sql, &args, |r| entity_summary(r, 0))
    }

    /// An entity with its latest articles and stories, its quotations, its events and the
    /// entities named with it most often.
    pub fn entity(&self, key: &str) -> Result<Option<EntityDetail>> {
        let Some(en) = self.entity_n(key)? else { return Ok(None) };
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entities e WHERE e.n = ?1");
        let entity = self.db.query_one(&sql, args![en], |r| entity_summary(r, 0))?;

        // Its latest 200 articles carry everything else the page shows.
        let sql = format!(
            "SELECT a.n, ae.roles, {SUMMARY_COLUMNS} FROM article_entities ae JOIN articles a ON a.n = ae.article
             WHERE ae.entity = ?1 ORDER BY ae.article DESC LIMIT 200"
        );
        let rows = self
            .db
            .query_map(&sql, args![en], |r| Ok((r.get::<i64>(0)?, r.get::<Option<String>>(1)?, summary_at(r, 2)?)))?;
        let mut latest = Vec::new();
        let mut roles: Vec<String> = Vec::new();
        for row in rows {
            let (n, r, summary) = row;
            for role in r.and_then(|r| serde_json::from_str::<Vec<String>>(&r).ok()).unwrap_or_default() {
                push_unique(&mut roles, &role);
            }
            latest.push((n, summary));
        }

        let mut story_ids: Vec<String> = Vec::new();
        for (_, a) in &latest {
            if let Some(s) = &a.story {
                if story_ids.len() < 20 {
                    push_unique(&mut story_ids, s);
                }
            }
        }
        let mut stories = Vec::new();
        for s in &story_ids {
            if let Some(st) = self.story_summary(s)? {
                stories.push(st);
            }
        }

        let mut related: HashMap<i64, usize> = HashMap::new();
        for (n, _) in &latest {
            for other in self
                .db
                .query_map("SELECT entity FROM article_entities WHERE article = ?1", args![n], |r| r.get::<i64>(0))?
            {
                if other != en {
                    *related.entry(other).or_default() += 1;
                }
            }
        }
        let mut related: Vec<(i64, usize)> = related.into_iter().collect();
        related.sort_by_key(|&(n, c)| (std::cmp::Reverse(c), n));
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entities e WHERE e.n = ?1");
        let mut rel = Vec::new();
        for (n, together) in related.into_iter().take(20) {
            rel.push(RelatedEntity { entity: self.db.query_one(&sql, args![n], |r| entity_summary(r, 0))?, together });
        }

        let sql = format!(
            "SELECT q.start, q.\"end\", q.kind, unzip(t.text), {SUMMARY_COLUMNS} FROM quotes q JOIN articles a ON a.n = q.article
             JOIN article_texts t ON t.n = a.n WHERE q.speaker = ?1 ORDER BY q.article DESC, q.ord LIMIT 30"
        );
        let rows = self.db.query_map(&sql, args![en], |r| {
            Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<String>(2)?, r.get::<String>(3)?, summary_at(r, 4)?))
        })?;
        let mut quotes = Vec::new();
        for row in rows {
            let (start, end, kind, text, a) = row;
            let chars = Chars::new(&text);
            quotes.push(EntityQuote {
                text: chars.slice(&text, start as usize, end as usize).to_string(),
                kind,
                article: a.id,
                story: a.story,
                site: a.site,
                published: a.published,
            });
        }
        let events = self.events(&EventQuery { entity: Some(entity.id.clone()), limit: 30, ..Default::default() })?;
        let articles = latest.into_iter().take(20).map(|(_, a)| a).collect();
        Ok(Some(EntityDetail { entity, roles, stories, articles, quotes, events, related: rel }))
    }

    /// Events, latest added first.
    pub fn events(&self, q: &EventQuery) -> Result<Vec<EventRow>> {
        let mut sql = String::from(
            "SELECT a.id, a.story, a.site, a.published, ev.type, ev.mode, ea.name, ea.id, ea.code, et.name, et.id, et.code,
                    ev.modality, ev.date, ev.trigger, ev.start, ev.\"end\", unzip(t.text)
             FROM events ev JOIN articles a ON a.n = ev.article JOIN article_texts t ON t.n = a.n
             LEFT JOIN entities ea ON ea.n = ev.actor LEFT JOIN entities et ON et.n = ev.target WHERE TRUE",
        );
        let mut args: Vec<Value> = Vec::new();
        if let Some(k) = q.kind.as_deref().filter(|s| !s.trim().is_empty()) {
            sql.push_str(" AND ev.type = ?");
            args.push(Value::Text(k.trim().to_ascii_uppercase()));
        }
        if let Some(e) = q.entity.as_deref().filter(|s| !s.trim().is_empty()) {
            let Some(en) = self.entity_n(e)? else { return Ok(Vec::new()) };
            sql.push_str(" AND (ev.actor = ? OR ev.target = ?)");
            args.push(Value::Int(en));
            args.push(Value::Int(en));
        }
        if let Some(s) = q.story.as_deref().filter(|s| !s.trim().is_empty()) {
            sql.push_str(" AND a.story = ?");
            args.push(Value::Text(s.trim().to_string()));
        }
        if let Some(s) = q.since.as_deref().filter(|s| !s.trim().is_empty()) {
            sql.push_str(" AND coalesce(ev.date, a.published) >= ?");
            args.push(Value::Text(check_date(s)?.to_string()));
        }
        if let Some(s) = q.until.as_deref().filter(|s| !s.trim().is_empty()) {
            let s = check_date(s)?;
            sql.push_str(" AND substr(coalesce(ev.date, a.published), 1, ?) <= ?");
            args.push(Value::Int(s.len() as i64));
            args.push(Value::Text(s.to_string()));
        }
        sql.push_str(" ORDER BY ev.article DESC, ev.ord LIMIT ? OFFSET ?");
        args.push(Value::Int(limit(q.limit, 50) as i64));
        args.push(Value::Int(q.offset as i64));
        self.db.query_map(&sql, &args, |r| {
            let text: String = r.get(17)?;
            let (start, end): (i64, i64) = (r.get(15)?, r.get(16)?);
            let chars = Chars::new(&text);
            Ok(EventRow {
                article: r.get(0)?,
                story: r.get(1)?,
                site: r.get(2)?,
                published: r.get(3)?,
                kind: r.get(4)?,
                mode: r.get(5)?,
                actor: r.get(6)?,
                actor_entity: r.get(7)?,
                actor_code: r.get(8)?,
                target: r.get(9)?,
                target_entity: r.get(10)?,
                target_code: r.get(11)?,
                modality: r.get(12)?,
                date: r.get(13)?,
                trigger: r.get(14)?,
                text: chars.slice(&text, start as usize, end as usize).to_string(),
            })
        })
    }

    /// Every entity name, the most frequent first (for tools that sample queries).
    pub fn entity_names_by_frequency(&self) -> Result<Vec<String>> {
        self.db.query_map("SELECT name FROM entities ORDER BY articles DESC, n", &[], |r| r.get(0))
    }

    /// Every story id, in the order stories were written.
    pub fn story_ids(&self) -> Result<Vec<String>> {
        self.db.query_map("SELECT id FROM stories ORDER BY n", &[], |r| r.get(0))
    }

    /// What an id names: "article", "entity" or "story" (ids of the three kinds never collide:
    /// articles are 16 hex digits, entities start with their type, stories with "story-").
    pub fn kind_of(&self, id: &str) -> Result<Option<&'static str>> {
        if id.starts_with("story-") {
            return Ok(self.story_summary(id)?.map(|_| "story"));
        }
        if self.article_n(id)?.is_some() {
            return Ok(Some("article"));
        }
        Ok(self.entity_n(id)?.map(|_| "entity"))
    }
}

struct Aggregate {
    entities: Vec<StoryEntity>,
    quotes: Vec<SpeakerQuotes>,
    events: Vec<StoryEvent>,
    amounts: Vec<StoryAmount>,
    claims: ClaimsMatrix,
    timeline: Vec<TimelineDay>,
    graph: ActorGraph,
}

/// `Modality::Asserted` → "asserted", for callers building rows by hand.
pub fn modality_name(m: newsgraph_doc::Modality) -> String {
    enum_str(&m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_queries_are_quoted() {
        assert_eq!(fts_query("Tisza water").as_deref(), Some("\"Tisza\" \"water\""));
        assert_eq!(fts_query("\"water deal\" OR treaty").as_deref(), Some("\"water deal\" OR \"treaty\""));
        assert_eq!(fts_query("Đurović's visit*").as_deref(), Some("\"Đurović\" \"s\" \"visit\"*"));
        assert_eq!(fts_query("NEAR( AND \"").as_deref(), Some("\"NEAR\" \"AND\""));
        assert_eq!(fts_query("OR"), None);
        assert_eq!(fts_query("  ,; "), None);
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_date("2025").is_ok());
        assert!(check_date("2025-03").is_ok());
        assert!(check_date("2025-03-06").is_ok());
        assert!(check_date("2025-3-6").is_err());
        assert!(check_date("yesterday").is_err());
    }

    #[test]
    fn snippets_mark_matches() {
        let terms = query_terms("tisza DEAL* OR water");
        assert_eq!(terms, vec![("tisza".into(), false), ("deal".into(), true), ("water".into(), false)]);
        let (t, m) = snippet("The Tisza dealings,\nand Kővári.", &terms);
        assert_eq!(t, "The Tisza dealings, and Kővári");
        assert_eq!(m, vec![[4, 9], [10, 18]]);
        let (_, m) = snippet("Kővári spoke.", &query_terms("KOVARI"));
        assert_eq!(m, vec![[0, 6]], "diacritics are folded as the index folds them");
        let long: String = (0..100).map(|i| format!("w{i} ")).collect::<String>() + "Tisza end";
        let (t, m) = snippet(&long, &query_terms("tisza"));
        assert!(t.starts_with('…') && t.contains("Tisza"));
        let [a, b] = m[0];
        assert_eq!(t.chars().skip(a).take(b - a).collect::<String>(), "Tisza");
    }
}

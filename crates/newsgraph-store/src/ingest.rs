//! Adding analysed articles to a store and keeping its stories up to date.
//!
//! Articles go in by content id: one already stored is skipped. They are written in batches,
//! one transaction each, and every batch also marks the stories as stale. Stories are then
//! computed by `newsgraph_corpus` over all stored articles (in the order they were first added,
//! so the result is the one `analyze` gives on the same inputs in that order) and written in one
//! more transaction that clears the mark. A kill therefore loses at most the batch being
//! written; the next ingest skips what is stored, adds the rest, and redoes the stories when the
//! mark is still set. On SQLite the full-text index is filled in that last step too, for every
//! article added since it was last filled.
//!
//! The corpus layer keeps compact features in memory only, so an ingest first rebuilds it from
//! the stored articles: each document is put back together from the store (everything the
//! pipeline produced but its sentences and tokens) and added again, in the original order.
//!
//! That is the SQLite ingest. On PostgreSQL ([`crate::pg`]) articles wait for their batch in
//! memory and the corpus layer is built once, at the end, by the last of the running ingests.

use crate::db::{args, Conn, Value};
use crate::records::{insert_article, load_documents};
use crate::{Result, Store};
use newsgraph_corpus::{Config, Corpus, CorpusResult};
use newsgraph_doc::record::ArticleRecord;
use newsgraph_doc::Document;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestStats {
    /// Articles written by this ingest.
    pub added: usize,
    /// Articles skipped because their content id was already stored (or seen earlier in this run).
    pub skipped: usize,
    /// Articles in the store afterwards.
    pub articles: usize,
    pub stories: usize,
    /// Whether stories were recomputed.
    pub stories_updated: bool,
    /// PostgreSQL: other ingests were still running, and the last of them updates the stories.
    pub stories_left_to_others: bool,
    /// SQLite: the corpus layer was loaded from the state saved by the last story update, not
    /// rebuilt from every stored article.
    pub corpus_loaded: bool,
}

/// Where a corpus entry's article is and where it was last placed.
pub(crate) struct Entry {
    pub n: i64,
    pub story: Option<String>,
    pub story_pos: Option<i64>,
    pub duplicate_of: Option<String>,
    pub published: Option<String>,
}

/// An analysed article made ready for the store on the thread that analysed it: its record
/// built and, for SQLite, its text deflated. An ingest has one writing thread, which would
/// otherwise do this work for every article while the analysing threads wait on it.
pub struct PreparedArticle {
    pub(crate) doc: Box<Document>,
    /// None for an article the store holds already ([`Preparer::pass`]).
    rows: Option<Rows>,
}

pub(crate) struct Rows {
    pub rec: ArticleRecord,
    /// The text as SQLite stores it ([`crate::zip`]); None for PostgreSQL, which compresses
    /// values itself.
    pub packed_text: Option<Vec<u8>>,
    /// For PostgreSQL, the article's corpus features as stored ([`crate::pg`]).
    pub features: Option<Vec<u8>>,
}

/// Makes [`PreparedArticle`]s for one ingest's store, on any thread.
#[derive(Clone)]
pub struct Preparer {
    packs_texts: bool,
    /// The corpus configuration, for stores that keep each article's features (PostgreSQL).
    features: Option<Config>,
}

impl Preparer {
    pub fn prepare(&self, doc: Box<Document>) -> PreparedArticle {
        let rows = self.rows(&doc);
        PreparedArticle { doc, rows: Some(rows) }
    }

    /// For an article the store holds already: nothing is made, as the ingest will skip it.
    pub fn pass(&self, doc: Box<Document>) -> PreparedArticle {
        PreparedArticle { doc, rows: None }
    }

    fn rows(&self, doc: &Document) -> Rows {
        let rec = ArticleRecord::from_document(doc);
        let packed_text = self.packs_texts.then(|| crate::zip(&rec.text));
        let features = self.features.as_ref().map(|c| newsgraph_corpus::Features::of(doc, c).to_bytes(c));
        Rows { rec, packed_text, features }
    }
}

/// An ingest in progress. Dropping it without [`Ingest::finish`] rolls back the open batch only;
/// committed batches stay, with the stories marked stale.
pub struct Ingest<'s> {
    inner: Inner<'s>,
}

enum Inner<'s> {
    Lite(Box<LiteIngest<'s>>),
    Pg(Box<crate::pg::PgIngest<'s>>),
}

impl Store {
    /// Starts an ingest: on SQLite, reads what is stored into the corpus layer.
    pub fn begin_ingest(&mut self, config: Config) -> Result<Ingest<'_>> {
        let inner = if self.db.is_postgres() {
            Inner::Pg(Box::new(crate::pg::PgIngest::begin(self, config)?))
        } else {
            Inner::Lite(Box::new(LiteIngest::begin(self, config)?))
        };
        Ok(Ingest { inner })
    }
}

impl Ingest<'_> {
    /// Commits a batch after this many articles …
    pub fn set_batch_articles(&mut self, n: usize) {
        match &mut self.inner {
            Inner::Lite(i) => i.batch_articles = n.max(1),
            Inner::Pg(i) => i.batch_articles = n.max(1),
        }
    }

    /// … or once it has been open this long, whichever comes first.
    pub fn set_batch_time(&mut self, t: Duration) {
        match &mut self.inner {
            Inner::Lite(i) => i.batch_time = t,
            Inner::Pg(i) => i.batch_time = t,
        }
    }

    /// Articles in the store before this ingest plus those added so far (on PostgreSQL, not
    /// those other ingests add meanwhile).
    pub fn len(&self) -> usize {
        match &self.inner {
            Inner::Lite(i) => i.entries.len(),
            Inner::Pg(i) => i.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contains(&self, id: &str) -> bool {
        match &self.inner {
            Inner::Lite(i) => i.known.contains(id),
            Inner::Pg(i) => i.contains(id),
        }
    }

    /// The content ids stored when this ingest began (and those added since), so that readers on
    /// other threads can pass over articles already stored without analysing them.
    pub fn stored_ids(&self) -> HashSet<String> {
        match &self.inner {
            Inner::Lite(i) => i.known.clone(),
            Inner::Pg(i) => i.known_ids(),
        }
    }

    /// Adds one analysed document unless its content id is stored already; returns whether it
    /// was added (on PostgreSQL: accepted for the next batch, which skips it should another
    /// ingest store it first).
    pub fn add(&mut self, doc: &Document) -> Result<bool> {
        match &mut self.inner {
            Inner::Lite(i) => i.add(doc, None),
            Inner::Pg(i) => i.add(doc),
        }
    }

    /// What makes articles ready for [`Ingest::add_prepared`] on other threads.
    pub fn preparer(&self) -> Preparer {
        match &self.inner {
            Inner::Lite(_) => Preparer { packs_texts: true, features: None },
            Inner::Pg(i) => Preparer { packs_texts: false, features: Some(i.config().clone()) },
        }
    }

    /// [`Ingest::add`] for an article made ready by this ingest's [`Preparer`].
    pub fn add_prepared(&mut self, article: PreparedArticle) -> Result<bool> {
        let PreparedArticle { doc, rows } = article;
        match &mut self.inner {
            Inner::Lite(i) => i.add(&doc, rows),
            Inner::Pg(i) => i.add_with(&doc, rows.map(|r| (r.rec, r.features))),
        }
    }

    /// Commits the open batch, if any.
    pub fn commit(&mut self) -> Result<()> {
        match &mut self.inner {
            Inner::Lite(i) => i.commit(),
            Inner::Pg(i) => i.commit(),
        }
    }

    /// Commits what is open, then computes the stories over every stored article and writes
    /// where each article now belongs.
    pub fn finish(self) -> Result<IngestStats> {
        match self.inner {
            Inner::Lite(i) => i.finish(),
            Inner::Pg(i) => i.finish(),
        }
    }
}

/// The SQLite ingest: one writer, which keeps the corpus layer in memory as it goes.
struct LiteIngest<'s> {
    store: &'s mut Store,
    corpus: Corpus,
    entries: Vec<Entry>,
    known: HashSet<String>,
    in_batch: usize,
    batch_started: Instant,
    batch_articles: usize,
    batch_time: Duration,
    stats: IngestStats,
    stale: bool,
    added_at: i64,
    /// Entity id → (row number, stored name), filled as entities are met.
    entity_rows: HashMap<String, (i64, String)>,
    /// Row number → (articles, mentions) to add to the entity's counts at the next commit.
    entity_counts: HashMap<i64, (i64, i64)>,
    /// Whether the corpus layer came from the saved state rather than from the stored articles.
    state_loaded: bool,
    /// The last article row in the full-text index.
    indexed_through: i64,
}

/// Reads every stored article into a corpus layer, in the order `order_by` gives (an `ORDER BY`
/// over `articles`); returns where each was placed, in that order, and the content ids.
pub(crate) fn load_corpus(db: &Conn, corpus: &mut Corpus, order_by: &str) -> Result<(Vec<Entry>, HashSet<String>)> {
    let ns: Vec<(i64, Option<i64>)> =
        db.query_map(&format!("SELECT n, story_pos FROM articles ORDER BY {order_by}"), &[], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    // A thousand at a time: a few queries each. The corpus layer takes each chunk on a thread
    // of its own while the next is read, so the rebuild waits on the database and on the corpus
    // layer at the same time rather than in turn.
    type Chunk = Vec<((i64, Option<i64>), Option<Document>)>;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(1);
    std::thread::scope(|scope| {
        let adder = scope.spawn(move || {
            let mut entries = Vec::new();
            let mut known = HashSet::new();
            // a reader that stopped (an error) ends the channel
            for chunk in rx {
                for ((n, story_pos), doc) in chunk {
                    let Some(mut doc) = doc else { continue };
                    corpus.add(&doc);
                    entries.push(Entry {
                        n,
                        story: doc.story.take(),
                        story_pos,
                        duplicate_of: doc.duplicate_of.take(),
                        published: doc.meta.published.take(),
                    });
                    known.insert(doc.id);
                }
            }
            (entries, known)
        });
        let read = || -> Result<()> {
            for chunk in ns.chunks(1000) {
                let ids: Vec<i64> = chunk.iter().map(|c| c.0).collect();
                let docs = load_documents(db, &ids)?;
                if tx.send(chunk.iter().copied().zip(docs).collect()).is_err() {
                    break;
                }
            }
            Ok(())
        };
        let read = read();
        drop(tx);
        let loaded = adder.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        read.map(|()| loaded)
    })
}

/// The corpus layer's state, deflated (it is mostly small integers).
fn packed_state(corpus: &Corpus) -> Result<Vec<u8>> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    corpus.save_state(&mut enc).map_err(|e| crate::Error(format!("cannot save the corpus state: {e}")))?;
    enc.finish().map_err(|e| crate::Error(format!("cannot save the corpus state: {e}")))
}

fn save_state(db: &Conn, articles: usize, state: Vec<u8>) -> Result<()> {
    db.execute(
        "INSERT INTO corpus_state (k, articles, state) VALUES (1, ?1, ?2)
           ON CONFLICT(k) DO UPDATE SET articles = excluded.articles, state = excluded.state",
        args![articles as i64, state],
    )?;
    Ok(())
}

/// A corpus layer with where each stored article is placed, and the stored content ids.
type LoadedCorpus = (Corpus, Vec<Entry>, HashSet<String>);

/// The corpus layer as the last story update left it, with where each article is, when that
/// state holds every stored article and was made with `config`; `None` when it must be rebuilt
/// (no state yet, articles added since by an ingest that was stopped, other settings, or a
/// state this build cannot read).
fn saved_corpus(db: &Conn, config: &Config) -> Result<Option<LoadedCorpus>> {
    let Some((articles, state)): Option<(i64, Vec<u8>)> =
        db.query_opt("SELECT articles, state FROM corpus_state WHERE k = 1", &[], |r| Ok((r.get(0)?, r.get(1)?)))?
    else {
        return Ok(None);
    };
    let stored: i64 = db.query_one("SELECT count(*) FROM articles", &[], |r| r.get(0))?;
    if stored != articles {
        return Ok(None);
    }
    let Ok(corpus) = Corpus::load_state(flate2::read::DeflateDecoder::new(&state[..])) else { return Ok(None) };
    if corpus.config() != config {
        return Ok(None);
    }
    let mut entries = Vec::with_capacity(articles as usize);
    let mut known = HashSet::with_capacity(articles as usize);
    db.query_each("SELECT n, id, story, story_pos, duplicate_of, published FROM articles ORDER BY n", &[], &mut |r| {
        entries.push(Entry {
            n: r.get(0)?,
            story: r.get(2)?,
            story_pos: r.get(3)?,
            duplicate_of: r.get(4)?,
            published: r.get(5)?,
        });
        known.insert(r.get::<String>(1)?);
        Ok(())
    })?;
    Ok(Some((corpus, entries, known)))
}

/// Where each article now belongs (only rows that changed): (row, story, position, copy of).
pub(crate) type Placement = (i64, String, Option<i64>, Option<String>);

/// A story row: the record as stored, and its last publication date.
pub(crate) struct StoryRow {
    pub record: newsgraph_doc::record::StoryRecord,
    pub articles: i64,
    pub last_published: Option<String>,
    pub sites: String,
    pub entities: String,
    /// The record less its article list (in the articles' rows already), as JSON.
    pub json: String,
}

/// What the stories step writes: placements that changed and every story's row.
/// `entries[i]` is `result.articles[i]`.
pub(crate) fn story_rows(entries: &[Entry], result: &CorpusResult) -> (Vec<Placement>, Vec<StoryRow>) {
    let mut pos: HashMap<&str, i64> = HashMap::new();
    for s in &result.stories {
        for (i, a) in s.articles.iter().enumerate() {
            pos.entry(a.as_str()).or_insert(i as i64);
        }
    }
    let mut last: HashMap<&str, &str> = HashMap::new();
    let mut placements = Vec::new();
    for (entry, a) in entries.iter().zip(&result.articles) {
        let p = pos.get(a.id.as_str()).copied();
        if entry.story.as_deref() != Some(a.story.as_str())
            || entry.story_pos != p
            || entry.duplicate_of != a.duplicate_of
        {
            placements.push((entry.n, a.story.clone(), p, a.duplicate_of.clone()));
        }
        if let Some(p) = entry.published.as_deref() {
            let l = last.entry(a.story.as_str()).or_insert(p);
            if p > *l {
                *l = p;
            }
        }
    }
    // serialised on every core: the stories step is otherwise on one thread throughout
    let stories = crate::parallel_map(&result.stories, |s| {
        let record = newsgraph_doc::record::StoryRecord { articles: Vec::new(), ..s.clone() };
        StoryRow {
            json: serde_json::to_string(&record).expect("records serialise"),
            record,
            articles: s.articles.len() as i64,
            last_published: last.get(s.id.as_str()).map(|s| s.to_string()),
            sites: serde_json::to_string(&s.sites).expect("lists serialise"),
            entities: serde_json::to_string(&s.entities).expect("lists serialise"),
        }
    });
    (placements, stories)
}

/// Writes where each article now belongs and replaces the stories; their pages are the
/// caller's. The caller holds the transaction.
pub(crate) fn write_stories(db: &Conn, entries: &[Entry], result: &CorpusResult) -> Result<()> {
    let (placements, stories) = story_rows(entries, result);
    for (n, story, pos, dup) in &placements {
        db.execute(
            "UPDATE articles SET story = ?2, story_pos = ?3, duplicate_of = ?4 WHERE n = ?1",
            args![n, story, pos, dup],
        )?;
    }
    db.execute("DELETE FROM stories", &[])?;
    // deflated on every core (a connection cannot be shared between threads)
    let records = crate::parallel_map(&stories, |s| Value::Blob(crate::zip(&s.json)));
    for (s, record) in stories.iter().zip(records) {
        let r = &s.record;
        db.execute(
            "INSERT INTO stories (id, title, articles, independent, first_published, last_published, sites, entities, record)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            args![
                r.id,
                r.title,
                s.articles,
                r.independent_articles,
                r.first_published,
                s.last_published,
                s.sites,
                s.entities,
                record
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

impl<'s> LiteIngest<'s> {
    fn begin(store: &'s mut Store, config: Config) -> Result<LiteIngest<'s>> {
        let (corpus, entries, known, state_loaded) = match saved_corpus(&store.db, &config)? {
            Some((corpus, entries, known)) => (corpus, entries, known, true),
            None => {
                let mut corpus = Corpus::new(config);
                let (entries, known) = load_corpus(&store.db, &mut corpus, "n")?;
                (corpus, entries, known, false)
            }
        };
        let stale = store.meta("stories_dirty")?.as_deref() == Some("1");
        // Checkpoints (copying the log into the file, with a sync) are the slow part of a
        // commit; let the log grow to 32 MiB between them while ingesting.
        store.db.batch("PRAGMA wal_autocheckpoint = 8192")?;
        // Each batch adds a segment to the full-text index. FTS5 would merge segments as they
        // pile up, but the stories step merges the whole index into one at the end of every
        // ingest, so merges along the way are work done twice: about a sixth of the writing
        // thread's time. Only a pile of 128 segments on one level (an ingest of more than a
        // hundred batches) is merged early. Kept in the index's settings, so set every time.
        store.db.batch(
            "INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 0);
             INSERT INTO articles_fts(articles_fts, rank) VALUES ('crisismerge', 128);",
        )?;
        if entries.is_empty() {
            // a bulk load: see `DEFERRED_INDEXES`; `finish_indexes` builds them again
            store.db.transaction("BEGIN IMMEDIATE", || {
                for (name, _) in crate::schema::DEFERRED_INDEXES {
                    store.db.batch(&format!("DROP INDEX IF EXISTS {name}"))?;
                }
                Ok(())
            })?;
        }
        let added_at = unix_now();
        let indexed_through = store.meta(INDEXED_THROUGH)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok(LiteIngest {
            store,
            corpus,
            entries,
            known,
            in_batch: 0,
            batch_started: Instant::now(),
            batch_articles: 500,
            batch_time: Duration::from_secs(1),
            stats: IngestStats::default(),
            stale,
            added_at,
            entity_rows: HashMap::new(),
            entity_counts: HashMap::new(),
            state_loaded,
            indexed_through,
        })
    }
}

impl LiteIngest<'_> {
    /// Adds `doc`, with its rows when they were made already.
    fn add(&mut self, doc: &Document, rows: Option<Rows>) -> Result<bool> {
        if self.known.contains(&doc.id) {
            self.stats.skipped += 1;
            return Ok(false);
        }
        if self.in_batch == 0 {
            self.store.db.batch("BEGIN IMMEDIATE")?;
            self.batch_started = Instant::now();
        }
        let rows = rows.unwrap_or_else(|| Preparer { packs_texts: true, features: None }.rows(doc));
        let n = match self.insert(doc, &rows) {
            Ok(n) => n,
            Err(e) => {
                let _ = self.store.db.batch("ROLLBACK");
                self.in_batch = 0;
                // rows made in the batch are gone: forget them
                self.entity_rows.clear();
                self.entity_counts.clear();
                return Err(e);
            }
        };
        self.in_batch += 1;
        self.corpus.add(doc);
        self.known.insert(doc.id.clone());
        self.entries.push(Entry {
            n,
            story: None,
            story_pos: None,
            duplicate_of: None,
            published: doc.meta.published.clone(),
        });
        self.stats.added += 1;
        if self.in_batch >= self.batch_articles || self.batch_started.elapsed() >= self.batch_time {
            self.commit()?;
        }
        Ok(true)
    }

    fn insert(&mut self, doc: &Document, article: &Rows) -> Result<i64> {
        let rec = &article.rec;
        let mut rows = Vec::with_capacity(rec.entities.len());
        let db = &self.store.db;
        for e in &rec.entities {
            let (n, name) = match self.entity_rows.get(&e.id) {
                Some((n, name)) => (*n, name.as_str()),
                None => {
                    let found: Option<(i64, String)> =
                        db.query_opt("SELECT n, name FROM entities WHERE id = ?1", args![e.id], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })?;
                    let (n, name) = match found {
                        Some(f) => f,
                        None => (
                            db.insert_returning_n(
                                "INSERT INTO entities (id, name, key, type, code, articles, mentions)
                                 VALUES (?1, ?2, ?3, ?4, ?5, 0, 0)",
                                args![e.id, e.name, e.name.to_lowercase(), e.kind, e.code],
                            )?,
                            e.name.clone(),
                        ),
                    };
                    let entry = self.entity_rows.entry(e.id.clone()).or_insert((n, name));
                    (entry.0, entry.1.as_str())
                }
            };
            rows.push((n, name == e.name));
            let c = self.entity_counts.entry(n).or_default();
            c.0 += 1;
            c.1 += e.mentions.len() as i64;
        }
        insert_article(db, doc, article, &rows, self.added_at)
    }

    fn commit(&mut self) -> Result<()> {
        if self.in_batch == 0 {
            return Ok(());
        }
        let db = &self.store.db;
        for (n, (articles, mentions)) in self.entity_counts.drain() {
            db.execute(
                "UPDATE entities SET articles = articles + ?2, mentions = mentions + ?3 WHERE n = ?1",
                args![n, articles, mentions],
            )?;
        }
        db.batch(
            "INSERT INTO meta (key, value) VALUES ('stories_dirty', '1')
               ON CONFLICT(key) DO UPDATE SET value = excluded.value;
             INSERT INTO meta (key, value) VALUES ('generation', '1')
               ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
             COMMIT",
        )?;
        self.in_batch = 0;
        self.stale = true;
        Ok(())
    }

    fn finish(mut self) -> Result<IngestStats> {
        self.commit()?;
        let mut stats = std::mem::take(&mut self.stats);
        stats.articles = self.entries.len();
        stats.corpus_loaded = self.state_loaded;
        if !self.stale {
            if self.entries.is_empty() {
                // nothing stored, nothing to index: what a bulk load dropped comes back
                let db = &self.store.db;
                db.transaction("BEGIN IMMEDIATE", || build_deferred_indexes(db))?;
            }
            if !self.state_loaded {
                // a store from before the saved state, or whose state was out of date
                let state = packed_state(&self.corpus)?;
                let db = &self.store.db;
                db.transaction("BEGIN IMMEDIATE", || save_state(db, self.entries.len(), state))?;
            }
            if self.store.meta(PAGES_PENDING)?.as_deref() == Some("1") {
                // an ingest stopped before it had made the pages of the stories it changed
                let db = &self.store.db;
                let pages = db.transaction("BEGIN IMMEDIATE", || crate::story_pages::drop_changed(db))?;
                self.make_pages(&pages)?;
            }
            if let Some(r) = self.store.renderer {
                // pages left unrendered (a store migrated since) or rendered by another version
                let db = &self.store.db;
                db.transaction("BEGIN IMMEDIATE", || crate::story_pages::render_missing(db, r))?;
            }
            stats.stories = self.store.story_count()? as usize;
            return Ok(stats);
        }
        let mut pages = Vec::new();
        // The corpus layer computes the stories on a thread of its own (one core) while this
        // one fills the full-text index with the articles added, builds the indexes left to the
        // end and saves the corpus layer's state, on the other.
        let corpus = std::mem::take(&mut self.corpus);
        let result = std::thread::scope(|scope| {
            let (state_tx, state) = std::sync::mpsc::sync_channel(1);
            let stories = scope.spawn(move || {
                // a receiver gone (an error on the other side) is that side's to report
                let _ = state_tx.send(packed_state(&corpus));
                corpus.finish()
            });
            let indexed = self.finish_indexes(&state);
            let stories = stories.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            indexed.map(|()| stories)
        })?;
        let db = &self.store.db;
        db.transaction("BEGIN IMMEDIATE", || {
            write_stories(db, &self.entries, &result)?;
            pages = crate::story_pages::drop_changed(db)?;
            set_meta(db, PAGES_PENDING, "1")?;
            db.batch(
                "INSERT INTO meta (key, value) VALUES ('stories_dirty', '0')
                   ON CONFLICT(key) DO UPDATE SET value = excluded.value;
                 INSERT INTO meta (key, value) VALUES ('generation', '1')
                   ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;",
            )
        })?;
        self.make_pages(&pages)?;
        // Shrink the log again; a reader holding it (a server) only makes this a no-op.
        let _ = db.query_opt("PRAGMA wal_checkpoint(TRUNCATE)", &[], |_| Ok(()));
        stats.stories = result.stories.len();
        stats.stories_updated = true;
        Ok(stats)
    }
}

/// Meta key: the last article row in the full-text index. Articles go into the index at the end
/// of an ingest ([`LiteIngest::index_pending`]), so that the writing thread does less while the
/// analysis runs on every core, and the indexing runs while the corpus layer computes the
/// stories, which takes one core only. Articles are found by a search once their ingest is done,
/// as their stories are.
const INDEXED_THROUGH: &str = "search_indexed_through";

impl LiteIngest<'_> {
    /// Adds the articles stored since [`INDEXED_THROUGH`] to the full-text index, then merges the
    /// index into one segment (a search reads every segment of each of its words), notes the
    /// words a search passes over, builds the indexes a bulk load left to the end
    /// ([`crate::schema::DEFERRED_INDEXES`]; also those of a bulk load that was stopped), and
    /// saves the corpus layer's `state` once it comes, all in one transaction. The state is that
    /// of every stored article, so saving it before the stories are written is right: an ingest
    /// stopped in between loads it and computes the stories again.
    fn finish_indexes(&mut self, state: &std::sync::mpsc::Receiver<Result<Vec<u8>>>) -> Result<()> {
        let db = &self.store.db;
        let from = self.indexed_through;
        let through = db.transaction("BEGIN IMMEDIATE", || {
            build_deferred_indexes(db)?;
            let mut through = from;
            db.query_each(
                "SELECT a.n, a.title, unzip(t.text) FROM articles a JOIN article_texts t ON t.n = a.n
                 WHERE a.n > ?1 ORDER BY a.n",
                args![from],
                &mut |r| {
                    let n: i64 = r.get(0)?;
                    let title: Option<String> = r.get(1)?;
                    let text: String = r.get(2)?;
                    db.execute(
                        "INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
                        args![n, title, text],
                    )?;
                    through = n;
                    Ok(())
                },
            )?;
            set_meta(db, INDEXED_THROUGH, &through.to_string())?;
            db.batch("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")?;
            crate::query::refresh_common_words(db)?;
            let state = state.recv().map_err(|_| crate::Error("the corpus layer stopped".into()))??;
            save_state(db, self.entries.len(), state)?;
            Ok(through)
        })?;
        self.indexed_through = through;
        Ok(())
    }
}

fn build_deferred_indexes(db: &Conn) -> Result<()> {
    for (name, on) in crate::schema::DEFERRED_INDEXES {
        db.batch(&format!("CREATE INDEX IF NOT EXISTS {name} {on}"))?;
    }
    Ok(())
}

/// Set while the pages of changed stories are still to be made: the stories step commits the
/// stories first, then makes their pages on every core, each thread reading the committed
/// stories through a connection of its own.
const PAGES_PENDING: &str = "pages_pending";

fn set_meta(db: &Conn, key: &str, value: &str) -> Result<()> {
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        args![key, value],
    )?;
    Ok(())
}

impl LiteIngest<'_> {
    /// Computes and writes the pages of `ids` (see [`crate::story_pages::drop_changed`]) in
    /// one transaction, and clears the pending mark.
    fn make_pages(&self, ids: &[(String, i64)]) -> Result<()> {
        let db = &self.store.db;
        let crate::Location::Sqlite(path) = self.store.location() else {
            unreachable!("a SQLite ingest on a PostgreSQL store")
        };
        crate::story_pages::compute_in_parallel(path, db, ids, self.store.renderer, &|| {
            set_meta(db, PAGES_PENDING, "0")
        })
    }
}

impl Drop for LiteIngest<'_> {
    fn drop(&mut self) {
        if self.in_batch > 0 {
            if let Conn::Lite(c) = &self.store.db {
                if !c.is_autocommit() {
                    let _ = c.execute_batch("ROLLBACK");
                }
            }
        }
    }
}

impl Store {
    /// Whether the stories are stale (an ingest stopped between its articles and its stories).
    pub fn stories_stale(&self) -> Result<bool> {
        if self.db.is_postgres() {
            return crate::pg::stories_stale(&self.db);
        }
        Ok(self.meta("stories_dirty")?.as_deref() == Some("1"))
    }
}

//! The store's schema, as a list of migrations applied in order.
//!
//! `PRAGMA user_version` holds the number of migrations applied. A store made by an older
//! newsgraph is brought forward when it is opened; one made by a newer newsgraph is refused
//! rather than misread. A migration is only ever appended, never edited, once released.

use crate::db::Conn;
use crate::{Error, Result};
use rusqlite::Connection;

/// Each entry takes the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5];

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

// Offsets are character offsets, as in the public records. Texts of mentions, quotes, events,
// amounts and dates are not stored: they are slices of the article text (or title), which keeps
// the store small. Entity, speaker and actor references are entity row numbers (`entities.n`).
const V1: &str = r#"
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE articles (
    n INTEGER PRIMARY KEY,          -- ingest order
    id TEXT NOT NULL UNIQUE,        -- content id
    input_id TEXT,
    source TEXT NOT NULL,
    url TEXT,
    site TEXT,
    title TEXT,
    byline TEXT,                    -- JSON array, NULL when empty
    published TEXT,
    language TEXT,
    removed TEXT,                   -- JSON array of {text, reason}, NULL when empty
    notes TEXT,                     -- JSON array, NULL when empty
    story TEXT,                     -- NULL until stories are computed
    story_pos INTEGER,
    duplicate_of TEXT,
    added INTEGER NOT NULL          -- Unix seconds
);
CREATE INDEX articles_story ON articles(story, story_pos);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_duplicate ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;

-- The text, deflated (read it with the SQL function unzip(text)): written once and never
-- updated (the row in `articles` is, when stories change), so the big rows stay packed.
CREATE TABLE article_texts (
    n INTEGER PRIMARY KEY,          -- articles.n
    text BLOB NOT NULL
);

CREATE TABLE entities (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,             -- as first seen
    key TEXT NOT NULL,              -- the name in lower case (Unicode), for look-ups by name
    type TEXT NOT NULL,
    code TEXT,
    articles INTEGER NOT NULL,
    mentions INTEGER NOT NULL
);
CREATE INDEX entities_key ON entities(key);
CREATE INDEX entities_articles ON entities(articles DESC);

CREATE TABLE article_entities (
    article INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    entity INTEGER NOT NULL,
    name TEXT,                      -- NULL when the same as entities.name
    code TEXT,
    roles TEXT,                     -- JSON array, NULL when empty
    country TEXT,
    mentions TEXT NOT NULL,         -- "start-end" in the text, "tstart-end" in the title, space-separated
    PRIMARY KEY (article, ord)
) WITHOUT ROWID;
CREATE INDEX article_entities_entity ON article_entities(entity, article);

CREATE TABLE quotes (
    article INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL,
    speaker INTEGER,
    cue TEXT,
    PRIMARY KEY (article, ord)
) WITHOUT ROWID;
CREATE INDEX quotes_speaker ON quotes(speaker) WHERE speaker IS NOT NULL;

CREATE TABLE events (
    article INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    type TEXT NOT NULL,
    mode TEXT,
    actor INTEGER,
    target INTEGER,
    modality TEXT NOT NULL,
    reported_by INTEGER,
    date TEXT,
    trigger TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (article, ord)
) WITHOUT ROWID;
CREATE INDEX events_type ON events(type, article);
CREATE INDEX events_actor ON events(actor) WHERE actor IS NOT NULL;
CREATE INDEX events_target ON events(target) WHERE target IS NOT NULL;

CREATE TABLE amounts (
    article INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    value REAL NOT NULL,
    unit TEXT,
    approx TEXT,
    PRIMARY KEY (article, ord)
) WITHOUT ROWID;

CREATE TABLE dates (
    article INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    value TEXT,
    PRIMARY KEY (article, ord)
) WITHOUT ROWID;

CREATE TABLE stories (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    articles INTEGER NOT NULL,
    independent INTEGER NOT NULL,
    first_published TEXT,
    last_published TEXT,
    sites TEXT NOT NULL,            -- JSON array
    entities TEXT NOT NULL,         -- JSON array of names
    record BLOB NOT NULL            -- the story record as `analyze` writes it, less its article
                                    -- list, as deflated JSON (unzip(record))
);
CREATE INDEX stories_recent ON stories(last_published DESC, articles DESC);
CREATE INDEX stories_size ON stories(articles DESC, last_published DESC);

-- Full-text index over title and text, keyed by articles.n. It keeps no copy of the text
-- (contentless): snippets are cut from article_texts.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2'
);
"#;

// The corpus layer's state after the last story update, deflated, with the number of articles
// it holds: an ingest whose store still has that many articles loads it instead of reading
// every stored article back into the corpus layer.
const V2: &str = r#"
CREATE TABLE corpus_state (
    k INTEGER PRIMARY KEY CHECK (k = 1),
    articles INTEGER NOT NULL,
    state BLOB NOT NULL
);
"#;

// Each story's page data, computed when the story changes (see `story_pages`): `page` is the
// JSON of the page deflated (unzip(page)), `digest` says what it was computed from. Filled for
// the stories already stored by the migration itself.
//
// `search_common`: the words in more than half of the articles, which a search by words leaves
// out of its match when it has other words (see `query::common_words`).
const V3: &str = r#"
CREATE TABLE search_common (
    term TEXT PRIMARY KEY,          -- as the full-text index folds it
    articles INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE story_pages (
    id TEXT PRIMARY KEY,            -- stories.id
    digest INTEGER NOT NULL,
    format INTEGER NOT NULL,
    page BLOB NOT NULL,
    html BLOB,                      -- the rendered page, deflated, when the ingest had a renderer
    html_version INTEGER
);
"#;

// `search_common` also keeps the article counts of the words in 50 articles or more, and meta
// `search_articles` the number of articles, for the search ranking (`rank`): filled by the
// migration, no table changes.
const V4: &str = "";

// An ingest fills the full-text index at its end rather than article by article (see
// `ingest::index_pending`); meta `search_indexed_through` is the last article row in the index.
// Every article a store holds was indexed by the versions before.
const V5: &str =
    "INSERT OR REPLACE INTO meta (key, value) SELECT 'search_indexed_through', coalesce(max(n), 0) FROM articles;";

/// The version whose migration adds `story_pages` and `search_common`, which are filled in the
/// same transaction.
const STORY_PAGES: usize = 3;
/// The version whose migration fills `search_common` with the counts of frequent words.
const SEARCH_COUNTS: usize = 4;

/// Secondary indexes that the first ingest into an empty store builds when it has written its
/// articles, not row by row as it writes them: built at the end from sorted keys, they cost a
/// fraction of what keeping them up to date costs the writing thread of a bulk load (about a
/// third of its time). As created by the migrations.
pub(crate) const DEFERRED_INDEXES: &[(&str, &str)] = &[
    ("articles_published", "ON articles(published)"),
    ("entities_key", "ON entities(key)"),
    ("entities_articles", "ON entities(articles DESC)"),
    ("article_entities_entity", "ON article_entities(entity, article)"),
    ("quotes_speaker", "ON quotes(speaker) WHERE speaker IS NOT NULL"),
    ("events_type", "ON events(type, article)"),
    ("events_actor", "ON events(actor) WHERE actor IS NOT NULL"),
    ("events_target", "ON events(target) WHERE target IS NOT NULL"),
];

pub(crate) fn user_version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as u32)
}

/// Brings the schema up to [`SCHEMA_VERSION`], one migration per transaction, so an interrupted
/// upgrade resumes where it stopped.
pub(crate) fn migrate(db: &Conn) -> Result<()> {
    let from = db.query_one("PRAGMA user_version", &[], |r| r.get::<i64>(0))? as u32;
    if from > SCHEMA_VERSION {
        return Err(Error(format!(
            "the store has schema version {from}, made by a newer newsgraph; this one reads up to version {SCHEMA_VERSION}"
        )));
    }
    if from == 0 {
        let tables: i64 = db.query_one("SELECT count(*) FROM sqlite_master", &[], |r| r.get(0))?;
        if tables > 0 {
            return Err(Error("the file is an SQLite database but not a newsgraph store".into()));
        }
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        db.transaction("BEGIN IMMEDIATE", || {
            db.batch(sql).map_err(|e| Error(format!("migration to schema version {}: {e}", i + 1)))?;
            if i + 1 == STORY_PAGES {
                crate::story_pages::refresh(db, None)?;
            }
            if i + 1 == STORY_PAGES || i + 1 == SEARCH_COUNTS {
                crate::query::refresh_common_words(db)?;
            }
            // the version is in the file's header, written with the rest of the transaction
            db.batch(&format!("PRAGMA user_version = {}", i + 1))
        })?;
    }
    Ok(())
}

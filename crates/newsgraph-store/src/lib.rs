//! newsgraph's store: articles, their annotations, copy groups and stories, in one SQLite file
//! (the default) or in a PostgreSQL database shared by several machines.
//!
//! - [`Store::connect`] opens a store at a [`Location`] (a file path, or a `postgres://` URL)
//!   for writing and migrates its schema forward ([`schema`]); [`Store::connect_read_only`]
//!   opens one for queries (a server, the query commands), refusing any write on that
//!   connection. Everything else is the same whichever the backend.
//! - [`ingest::Ingest`] adds analysed documents in batched transactions and recomputes stories
//!   with `newsgraph_corpus` over everything stored, so a kill at any point keeps every
//!   committed batch and a rerun completes the rest. On PostgreSQL several ingests may run at
//!   once ([`pg`] says how they stay consistent).
//! - [`query`] answers searches (SQLite: FTS5 with bm25 ranking; PostgreSQL: tsvector with a
//!   GIN index) plus filters and the reads behind the API and pages; [`export`] writes JSON
//!   Lines, CSV, GraphML and GDELT 2.0 layouts.
//!
//! An SQLite file is in WAL mode: readers (a running server) never block the writer (an
//! ingest) and see each committed batch as a whole. PostgreSQL gives the same by its MVCC.

pub mod cameo;
mod db;
pub mod export;
pub mod ingest;
pub mod pg;
pub mod query;
mod rank;
mod records;
pub mod schema;
mod sqlite;
mod story_pages;
#[cfg(test)]
mod tests;

pub use ingest::{Ingest, IngestStats, PreparedArticle, Preparer};
pub use query::*;
pub use schema::SCHEMA_VERSION;

use db::{args, Conn};
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error(format!("database: {e}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Where a store is: an SQLite file, or a PostgreSQL database given by its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL (libpq's URL form: user, password, host, port,
    /// database, `?options`).
    Postgres(String),
}

impl Location {
    /// `postgres://…` and `postgresql://…` are PostgreSQL; anything else is a file path.
    pub fn parse(s: &str) -> Location {
        let t = s.trim();
        if t.starts_with("postgres://") || t.starts_with("postgresql://") {
            Location::Postgres(t.to_string())
        } else {
            Location::Sqlite(PathBuf::from(s))
        }
    }
}

impl std::str::FromStr for Location {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Ok(Location::parse(s))
    }
}

impl From<&Path> for Location {
    fn from(p: &Path) -> Self {
        Location::Sqlite(p.to_path_buf())
    }
}

impl fmt::Display for Location {
    /// The path, or the URL without its password (it ends up in messages and logs).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "{}", p.display()),
            Location::Postgres(url) => f.write_str(&pg::redact(url)),
        }
    }
}

/// An open store.
pub struct Store {
    pub(crate) db: Conn,
    location: Location,
    pub(crate) renderer: Option<StoryRenderer>,
}

/// Renders a story's web page from its page data, with the version of that rendering: set on
/// a store ([`Store::set_story_renderer`]), it makes the stories step of an ingest keep each
/// story's rendered page next to its page data, so a server sends it as it is.
#[derive(Clone, Copy)]
pub struct StoryRenderer {
    pub render: fn(&StoryDetail) -> String,
    /// Changes whenever the rendering does: pages rendered by another version are not served,
    /// and the next ingest renders them again.
    pub version: i64,
}

impl Store {
    /// Opens the store at `location` for writing, creating it when missing, and migrates it.
    pub fn connect(location: &Location) -> Result<Store> {
        let db = match location {
            Location::Sqlite(p) => sqlite::open(p)?,
            Location::Postgres(url) => pg::open(url, false)?,
        };
        Ok(Store { db, location: location.clone(), renderer: None })
    }

    /// Opens an existing store for queries only: this connection refuses writes. An older schema
    /// is migrated first (the one write a read-only command makes).
    pub fn connect_read_only(location: &Location) -> Result<Store> {
        let db = match location {
            Location::Sqlite(p) => sqlite::open_read_only(p)?,
            Location::Postgres(url) => pg::open(url, true)?,
        };
        Ok(Store { db, location: location.clone(), renderer: None })
    }

    /// [`Store::connect`] for an SQLite file.
    pub fn open(path: &Path) -> Result<Store> {
        Store::connect(&Location::Sqlite(path.to_path_buf()))
    }

    /// [`Store::connect_read_only`] for an SQLite file.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Store::connect_read_only(&Location::Sqlite(path.to_path_buf()))
    }

    pub fn set_story_renderer(&mut self, r: StoryRenderer) {
        self.renderer = Some(r);
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn is_postgres(&self) -> bool {
        self.db.is_postgres()
    }

    pub fn schema_version(&self) -> Result<u32> {
        match &self.db {
            Conn::Lite(c) => schema::user_version(c),
            Conn::Pg(_) => pg::schema_version(&self.db),
        }
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        self.db.query_opt("SELECT value FROM meta WHERE key = ?1", args![key], |r| r.get(0))
    }

    /// A number that changes with every committed write: a reader's cache of query results is
    /// valid while it stays the same.
    pub fn generation(&self) -> Result<u64> {
        if self.db.is_postgres() {
            return pg::generation(&self.db);
        }
        Ok(self.meta("generation")?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    pub fn article_count(&self) -> Result<u64> {
        Ok(self.db.query_one("SELECT count(*) FROM articles", &[], |r| r.get::<i64>(0))? as u64)
    }

    pub fn story_count(&self) -> Result<u64> {
        Ok(self.db.query_one("SELECT count(*) FROM stories", &[], |r| r.get::<i64>(0))? as u64)
    }

    pub fn entity_count(&self) -> Result<u64> {
        Ok(self.db.query_one("SELECT count(*) FROM entities", &[], |r| r.get::<i64>(0))? as u64)
    }
}

/// Deflates text for storage: article texts and story records take a third of the room.
/// Level 2: on news text it makes output 2% larger than the default level 6 in two thirds of
/// the time, while level 1 (a fixed code table) makes it 40% larger.
pub(crate) fn zip(text: &str) -> Vec<u8> {
    zip_at(text, flate2::Compression::new(2))
}

pub(crate) fn zip_at(text: &str, level: flate2::Compression) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::DeflateEncoder::new(Vec::with_capacity(text.len() / 2), level);
    z.write_all(text.as_bytes()).expect("writing to memory");
    z.finish().expect("writing to memory")
}

/// Inflates what [`zip`] made. One inflater per thread, reset for each text: a server inflates
/// a text for every search hit, and setting up a fresh inflater cost as much as inflating.
pub(crate) fn unzip(blob: &[u8]) -> std::io::Result<String> {
    use flate2::{Decompress, FlushDecompress, Status};
    use std::io::{Error, ErrorKind};
    thread_local!(static INFLATER: std::cell::RefCell<Decompress> = std::cell::RefCell::new(Decompress::new(false)));
    INFLATER.with(|d| {
        let mut d = d.borrow_mut();
        d.reset(false);
        let mut out: Vec<u8> = Vec::with_capacity(blob.len() * 3 + 64);
        loop {
            let (read, written) = (d.total_in(), d.total_out());
            let input = blob.get(read as usize..).unwrap_or_default();
            let status = d
                .decompress_vec(input, &mut out, FlushDecompress::Finish)
                .map_err(|e| Error::new(ErrorKind::InvalidData, e))?;
            if status == Status::StreamEnd {
                break;
            }
            if out.len() == out.capacity() {
                out.reserve(out.capacity().max(1024));
            } else if d.total_in() == read && d.total_out() == written {
                return Err(Error::new(ErrorKind::UnexpectedEof, "deflated text cut short"));
            }
        }
        String::from_utf8(out).map_err(|e| Error::new(ErrorKind::InvalidData, e))
    })
}

/// Character offsets to byte offsets in one text, for slicing stored spans.
pub(crate) struct Chars {
    bytes: Vec<u32>,
    ascii: bool,
    len: usize,
}

impl Chars {
    pub fn new(text: &str) -> Chars {
        if text.is_ascii() {
            return Chars { bytes: Vec::new(), ascii: true, len: text.len() };
        }
        let mut bytes: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
        bytes.push(text.len() as u32);
        Chars { bytes, ascii: false, len: text.len() }
    }

    pub fn byte(&self, ch: usize) -> usize {
        if self.ascii {
            ch.min(self.len)
        } else {
            self.bytes.get(ch).map_or(self.len, |&b| b as usize)
        }
    }

    pub fn slice<'t>(&self, text: &'t str, start: usize, end: usize) -> &'t str {
        let (s, e) = (self.byte(start), self.byte(end));
        text.get(s..e.max(s)).unwrap_or("")
    }
}

/// `f` over `items` on every core, in order.
pub(crate) fn parallel_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let threads = threads().min(items.len()).max(1);
    let per = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> =
            items.chunks(per.max(1)).map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<U>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
}

/// Threads for the store's own parallel work (story pages, story rows); 0: one per core.
static THREADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Sets how many threads the store's parallel steps use in this process, as `--threads` does
/// for the analysis (0: one per core, the default).
pub fn set_threads(n: usize) {
    THREADS.store(n, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn threads() -> usize {
    match THREADS.load(std::sync::atomic::Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

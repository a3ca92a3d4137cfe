//! newsgraph's store: articles, their annotations, copy groups and stories in one SQLite file.
//!
//! - [`Store::open`] creates or opens a store for writing and migrates its schema forward
//!   ([`schema`]); [`Store::open_read_only`] opens one for queries (a server, the query
//!   commands), refusing any write on that connection.
//! - [`ingest::Ingest`] adds analysed documents in batched transactions and recomputes stories
//!   with `newsgraph_corpus` over everything stored, so a kill at any point keeps every
//!   committed batch and a rerun completes the rest.
//! - [`query`] answers searches (FTS5 with bm25 ranking plus filters) and the reads behind the
//!   API and pages; [`export`] writes JSON Lines, CSV, GraphML and GDELT 2.0 layouts.
//!
//! The file is in WAL mode: readers (a running server) never block the writer (an ingest) and
//! see each committed batch as a whole.

pub mod cameo;
pub mod export;
pub mod ingest;
pub mod query;
mod records;
pub mod schema;
#[cfg(test)]
mod tests;

pub use ingest::{Ingest, IngestStats};
pub use query::*;
pub use schema::SCHEMA_VERSION;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
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

/// An open store.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the store at `path` for writing, creating it when missing, and migrates it.
    pub fn open(path: &Path) -> Result<Store> {
        let mut conn = Connection::open(path).map_err(|e| Error(format!("cannot open {}: {e}", path.display())))?;
        configure(&conn)?;
        // WAL: a server reading the file never waits for an ingest, and a commit is one append.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error(format!("cannot put {} in WAL mode (got {mode})", path.display())));
        }
        // In WAL mode NORMAL loses no committed transaction when the process is killed; only a
        // power cut can take the last ones, never the file's consistency.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        schema::migrate(&mut conn)?;
        Ok(Store { conn, path: path.to_path_buf() })
    }

    /// Opens an existing store for queries only: this connection refuses writes. An older schema
    /// is migrated first (the one write a read-only command makes).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error(format!(
                "no store at {} (make one with `newsgraph ingest PATH... --db {}`)",
                path.display(),
                path.display()
            )));
        }
        {
            let conn =
                Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                    .map_err(|e| Error(format!("cannot open {}: {e}", path.display())))?;
            conn.busy_timeout(std::time::Duration::from_secs(10))?;
            if schema::user_version(&conn)? != SCHEMA_VERSION {
                drop(conn);
                Store::open(path)?;
            }
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| Error(format!("cannot open {}: {e}", path.display())))?;
        configure(&conn)?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(Store { conn, path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The raw connection, for tools and tests that need a query the API does not offer.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn schema_version(&self) -> Result<u32> {
        schema::user_version(&self.conn)
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// A number that changes with every committed write: a reader's cache of query results is
    /// valid while it stays the same.
    pub fn generation(&self) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = 'generation'")?
            .query_row([], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    pub fn article_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM articles", [], |r| r.get::<_, i64>(0))? as u64)
    }

    pub fn story_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM stories", [], |r| r.get::<_, i64>(0))? as u64)
    }

    pub fn entity_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM entities", [], |r| r.get::<_, i64>(0))? as u64)
    }
}

fn configure(conn: &Connection) -> Result<()> {
    // Another process (an ingest next to a server) may hold the write lock for one batch.
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    // Memory-mapped reads spare a copy per page; 1 GiB of address space, not of memory.
    conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
    conn.pragma_update(None, "cache_size", -32_000i64)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.set_prepared_statement_cache_capacity(64);
    conn.create_scalar_function(
        "unzip",
        1,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8 | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let blob = ctx.get_raw(0);
            match blob {
                rusqlite::types::ValueRef::Blob(b) => {
                    unzip(b).map_err(|e| rusqlite::Error::UserFunctionError(Box::new(Error(e.to_string()))))
                }
                rusqlite::types::ValueRef::Text(t) => Ok(String::from_utf8_lossy(t).into_owned()),
                _ => Ok(String::new()),
            }
        },
    )?;
    Ok(())
}

/// Deflates text for storage: article texts and story records take a third of the room.
pub(crate) fn zip(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::DeflateEncoder::new(Vec::with_capacity(text.len() / 2), flate2::Compression::default());
    z.write_all(text.as_bytes()).expect("writing to memory");
    z.finish().expect("writing to memory")
}

pub(crate) fn unzip(blob: &[u8]) -> std::io::Result<String> {
    use std::io::Read;
    let mut out = String::with_capacity(blob.len() * 3);
    flate2::read::DeflateDecoder::new(blob).read_to_string(&mut out)?;
    Ok(out)
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

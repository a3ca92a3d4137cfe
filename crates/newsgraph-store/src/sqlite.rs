//! The SQLite backend: one file, opened for writing or read-only, configured for a single
//! writer next to any number of readers.

use crate::db::Conn;
use crate::{schema, Error, Result, SCHEMA_VERSION};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// Opens the file for writing, creating it when missing, and migrates it.
pub(crate) fn open(path: &Path) -> Result<Conn> {
    let conn = Connection::open(path).map_err(|e| Error(format!("cannot open {}: {e}", path.display())))?;
    configure(&conn)?;
    // WAL: a server reading the file never waits for an ingest, and a commit is one append.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error(format!("cannot put {} in WAL mode (got {mode})", path.display())));
    }
    // In WAL mode NORMAL loses no committed transaction when the process is killed; only a
    // power cut can take the last ones, never the file's consistency.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let db = Conn::Lite(conn);
    schema::migrate(&db)?;
    Ok(db)
}

/// Opens an existing file for queries only: the connection refuses writes. An older schema is
/// migrated first (the one write a read-only command makes).
pub(crate) fn open_read_only(path: &Path) -> Result<Conn> {
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
            open(path)?;
        }
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| Error(format!("cannot open {}: {e}", path.display())))?;
    configure(&conn)?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(Conn::Lite(conn))
}

/// A connection for one thread of a writer's own work (its story pages) to read the file with,
/// without the checks of [`open_read_only`]: the writer has opened and migrated it.
pub(crate) fn open_reader(path: &Path) -> Result<Conn> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| Error(format!("cannot open {}: {e}", path.display())))?;
    configure(&conn)?;
    Ok(Conn::Lite(conn))
}

fn configure(conn: &Connection) -> Result<()> {
    // Another process (an ingest next to a server) may hold the write lock for one batch.
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    // Memory-mapped reads spare a copy per page; 1 GiB of address space, not of memory.
    conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
    conn.pragma_update(None, "cache_size", -32_000i64)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.set_prepared_statement_cache_capacity(64);
    // SQLite otherwise prepares a statement again whenever a value bound to it could change its
    // plan (a bound LIMIT, a value compared with a partial index), which made a fresh parse of
    // every query a story page and a search run. The plans made without the values are the
    // ones wanted here.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    crate::rank::register(conn)?;
    conn.create_scalar_function(
        "unzip",
        1,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8 | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let blob = ctx.get_raw(0);
            match blob {
                rusqlite::types::ValueRef::Blob(b) => {
                    crate::unzip(b).map_err(|e| rusqlite::Error::UserFunctionError(Box::new(Error(e.to_string()))))
                }
                rusqlite::types::ValueRef::Text(t) => Ok(String::from_utf8_lossy(t).into_owned()),
                _ => Ok(String::new()),
            }
        },
    )?;
    Ok(())
}

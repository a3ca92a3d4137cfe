//! Story pages computed when the stories change, so that serving one is a single indexed read.
//!
//! A story page (and `/api/stories/{id}`) aggregates the quotations, events, amounts, claims,
//! timeline and actor graph of up to [`crate::STORY_ARTICLES`] articles: hundreds of reads and
//! a few milliseconds of work, too much to do on every request. The ingest that rewrites the
//! stories therefore also writes each story's [`crate::StoryDetail`] as JSON in
//! `story_pages`, in the same transaction. A page is recomputed only when its story changed:
//! each row keeps a digest of what the page is made from (the story record, and its articles
//! with their order and copy links; an article's own fields and annotations never change, as
//! articles are stored by content id), so an ingest that adds a few articles to a large store
//! redoes the pages of the stories they joined and no others.
//!
//! When the store has a [`StoryRenderer`] (the `newsgraph` command sets the web page's), the
//! page is also kept rendered, so that a server sends it without parsing or rendering.

use crate::db::{args, Conn, Value};
use crate::query::{compute_story, StoryDetail};
use crate::{parallel_map, Result, StoryRenderer};
use std::collections::HashMap;

/// The layout of the stored JSON. Raise it whenever [`StoryDetail`] or the way it is computed
/// changes: pages of another format are not read, and the next ingest or migration redoes them.
pub(crate) const FORMAT: i64 = 1;

/// The stored page data of a story, as JSON, when there is one in this format.
pub(crate) fn stored(db: &Conn, id: &str) -> Result<Option<String>> {
    db.query_opt("SELECT unzip(page) FROM story_pages WHERE id = ?1 AND format = ?2", args![id, FORMAT], |r| r.get(0))
}

/// FNV-1a over 64 bits. Written here because digests are stored and compared across runs and
/// builds, which std's hasher does not promise to keep stable; no collision resistance is
/// needed (a collision only leaves one page as it was, for stories that share an id).
struct Digest(u64);

impl Digest {
    fn new() -> Digest {
        let mut d = Digest(0xcbf2_9ce4_8422_2325);
        d.write(&FORMAT.to_le_bytes());
        d
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // a separator, so that ("ab", "c") and ("a", "bc") differ
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
}

/// Brings `story_pages` in line with `stories`: computes the pages of new and changed stories
/// and drops those of stories that are gone. Returns how many pages were computed. The caller
/// holds the transaction.
pub(crate) fn refresh(db: &Conn, renderer: Option<StoryRenderer>) -> Result<usize> {
    let ids = changed(db)?;
    // in id order, so that the rows are written the same way every time
    let mut ids: Vec<(&String, i64)> = ids.iter().map(|(id, d)| (id, *d)).collect();
    ids.sort();
    compute(db, &ids, renderer)?;
    if let Some(r) = renderer {
        render_missing(db, r)?;
    }
    Ok(ids.len())
}

/// Drops the pages of stories that changed or are gone and returns the stories whose pages are
/// to be made (with their digests), in id order, for [`compute_in_parallel`]. Until they are,
/// a reader computes those pages when asked. The caller holds the transaction.
pub(crate) fn drop_changed(db: &Conn) -> Result<Vec<(String, i64)>> {
    let mut ids = changed(db)?;
    ids.sort();
    for (id, _) in &ids {
        db.execute("DELETE FROM story_pages WHERE id = ?1", args![id])?;
    }
    Ok(ids)
}

/// Computes the pages of `ids` (story id, digest) on every core, each thread reading the SQLite
/// file at `path` through a connection of its own, and writes them through `db` in one
/// transaction, in the order of `ids`, after `first` (other writing, done while the threads
/// compute). Computing a page takes a few dozen reads and most of a
/// millisecond; on one connection that was the longest part of an ingest's stories step.
pub(crate) fn compute_in_parallel(
    path: &std::path::Path,
    db: &Conn,
    ids: &[(String, i64)],
    renderer: Option<StoryRenderer>,
    first: &dyn Fn() -> Result<()>,
) -> Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc::sync_channel;
    const CHUNK: usize = 16;
    let threads = crate::threads().min(ids.len().div_ceil(CHUNK)).max(1);
    let next = AtomicUsize::new(0);
    type Page = (usize, Result<Option<(Value, Option<Value>)>>);
    let (tx, rx) = sync_channel::<Page>(threads * CHUNK * 2);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (tx, next) = (tx.clone(), &next);
            scope.spawn(move || {
                let reader = match crate::sqlite::open_reader(path) {
                    Ok(c) => c,
                    Err(e) => {
                        let _ = tx.send((usize::MAX, Err(e)));
                        return;
                    }
                };
                loop {
                    let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                    if start >= ids.len() {
                        return;
                    }
                    for (i, (id, _)) in ids.iter().enumerate().skip(start).take(CHUNK) {
                        let page = compute_story(&reader, id).map(|d| d.map(|d| packed_page(&d, renderer, false)));
                        if tx.send((i, page)).is_err() {
                            return;
                        }
                    }
                }
            });
        }
        drop(tx);
        db.transaction("BEGIN IMMEDIATE", || {
            first()?;
            // written in the order of `ids`, as they come in
            let mut waiting: HashMap<usize, Option<(Value, Option<Value>)>> = HashMap::new();
            let mut written = 0;
            for (i, page) in rx.iter() {
                waiting.insert(i, page?);
                while let Some(page) = waiting.remove(&written) {
                    let (id, digest) = &ids[written];
                    if let Some((page, html)) = page {
                        write_page(db, id, *digest, page, html, renderer)?;
                    }
                    written += 1;
                }
            }
            Ok(())
        })
    })
}

/// Drops the pages of stories that changed or are gone, and computes none: their pages are then
/// computed when asked for. For PostgreSQL, where the story step is run by the last of the
/// concurrent ingests alone while the others wait for it, and each page takes a few round trips
/// to the server (a second or two per 400 stories), which would make two workers little faster
/// than one. Returns how many pages were dropped or are missing. The caller holds the
/// transaction.
pub(crate) fn forget_changed(db: &Conn) -> Result<usize> {
    // nothing to drop (the usual case: only a migration fills pages here), and telling which
    // stories changed reads every story and article row
    if db.query_opt("SELECT 1 FROM story_pages LIMIT 1", &[], |_| Ok(()))?.is_none() {
        return Ok(0);
    }
    let ids = changed(db)?;
    let kept: std::collections::HashSet<String> =
        db.query_map("SELECT id FROM story_pages", &[], |r| r.get(0))?.into_iter().collect();
    for (id, _) in ids.iter().filter(|(id, _)| kept.contains(id)) {
        db.execute("DELETE FROM story_pages WHERE id = ?1", args![id])?;
    }
    Ok(ids.len())
}

/// Drops the pages of stories that are gone, and returns the stories whose page is missing or
/// no longer matches them, with the digest of what the page would now be made from.
fn changed(db: &Conn) -> Result<Vec<(String, i64)>> {
    let mut digests: HashMap<String, Digest> = HashMap::new();
    db.query_each("SELECT id, record FROM stories", &[], &mut |r| {
        let mut d = Digest::new();
        d.write(&r.get::<Vec<u8>>(1)?);
        digests.insert(r.get(0)?, d);
        Ok(())
    })?;
    db.query_each(
        "SELECT story, id, duplicate_of FROM articles WHERE story IS NOT NULL ORDER BY story, story_pos, n",
        &[],
        &mut |r| {
            let story: String = r.get(0)?;
            if let Some(d) = digests.get_mut(&story) {
                d.write(r.get::<String>(1)?.as_bytes());
                d.write(r.get::<Option<String>>(2)?.unwrap_or_default().as_bytes());
            }
            Ok(())
        },
    )?;
    let mut old: HashMap<String, i64> = HashMap::new();
    db.query_each("SELECT id, digest FROM story_pages", &[], &mut |r| {
        old.insert(r.get(0)?, r.get(1)?);
        Ok(())
    })?;
    for id in old.keys().filter(|id| !digests.contains_key(*id)) {
        db.execute("DELETE FROM story_pages WHERE id = ?1", args![id])?;
    }
    let mut ids: Vec<(String, i64)> = digests.into_iter().map(|(id, d)| (id, d.0 as i64)).collect();
    ids.retain(|(id, d)| old.get(id) != Some(d));
    Ok(ids)
}

/// Computes and writes the pages of `ids` (story id, digest).
fn compute(db: &Conn, ids: &[(&String, i64)], renderer: Option<StoryRenderer>) -> Result<()> {
    // Reading a story's articles takes the connection; serialising, rendering and deflating its
    // page take longer and need none: they run on every core, a chunk of stories at a time.
    let pg = db.is_postgres();
    for chunk in ids.chunks(64) {
        let mut details = Vec::with_capacity(chunk.len());
        for (id, digest) in chunk {
            if let Some(d) = compute_story(db, id)? {
                details.push((*id, *digest, d));
            }
        }
        let packed = parallel_map(&details, |(_, _, d)| packed_page(d, renderer, pg));
        for ((id, digest, _), (page, html)) in details.iter().zip(packed) {
            write_page(db, id, *digest, page, html, renderer)?;
        }
    }
    Ok(())
}

/// A page's data as JSON and, with a renderer, its rendering, both as stored.
fn packed_page(d: &StoryDetail, renderer: Option<StoryRenderer>, pg: bool) -> (Value, Option<Value>) {
    let json = serde_json::to_string::<StoryDetail>(d).expect("stories serialise");
    (pack(pg, &json), renderer.map(|r| pack(pg, &(r.render)(d))))
}

fn write_page(
    db: &Conn,
    id: &str,
    digest: i64,
    page: Value,
    html: Option<Value>,
    renderer: Option<StoryRenderer>,
) -> Result<()> {
    db.execute(
        "INSERT INTO story_pages (id, digest, format, page, html, html_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
           ON CONFLICT (id) DO UPDATE SET digest = excluded.digest, format = excluded.format, page = excluded.page,
             html = excluded.html, html_version = excluded.html_version",
        &[
            Value::Text(id.to_string()),
            Value::Int(digest),
            Value::Int(FORMAT),
            page,
            html.unwrap_or(Value::Null),
            renderer.map_or(Value::Null, |r| Value::Int(r.version)),
        ],
    )?;
    Ok(())
}

/// Renders the pages that have page data but no rendering by `r`'s version. The caller holds
/// the transaction.
pub(crate) fn render_missing(db: &Conn, r: StoryRenderer) -> Result<usize> {
    let ids: Vec<String> = db.query_map(
        "SELECT id FROM story_pages WHERE format = ?1 AND (html IS NULL OR html_version <> ?2)",
        args![FORMAT, r.version],
        |row| row.get(0),
    )?;
    let pg = db.is_postgres();
    for chunk in ids.chunks(64) {
        let mut pages = Vec::with_capacity(chunk.len());
        for id in chunk {
            if let Some(json) = stored(db, id)? {
                pages.push((id, json));
            }
        }
        let html = parallel_map(&pages, |(_, json)| {
            serde_json::from_str::<StoryDetail>(json).ok().map(|d| pack(pg, &(r.render)(&d)))
        });
        for ((id, _), html) in pages.iter().zip(html) {
            let Some(html) = html else { continue };
            db.execute(
                "UPDATE story_pages SET html = ?2, html_version = ?3 WHERE id = ?1",
                args![id, html, r.version],
            )?;
        }
    }
    Ok(ids.len())
}

/// The rendered page of a story, when it was rendered by that version.
pub(crate) fn stored_html(db: &Conn, id: &str, version: i64) -> Result<Option<String>> {
    db.query_opt(
        "SELECT unzip(html) FROM story_pages WHERE id = ?1 AND format = ?2 AND html_version = ?3",
        args![id, FORMAT, version],
        |r| r.get(0),
    )
}

/// A long text as `Conn::pack` stores it, without the connection (for other threads), and
/// deflated at the fastest level: pages are repetitive enough to shrink well anyway, and every
/// changed story's page and rendering are packed at each ingest.
fn pack(pg: bool, text: &str) -> Value {
    if pg {
        Value::Text(text.to_string())
    } else {
        Value::Blob(crate::zip_at(text, flate2::Compression::fast()))
    }
}

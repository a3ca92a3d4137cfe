//! `newsgraph_rank`, the search ranking of the SQLite store: FTS5's bm25, with each phrase's
//! document count given by the caller when the store knows it.
//!
//! FTS5's own `bm25()` counts the articles that hold each phrase of a search by reading every
//! one of its matches before it scores the first row: for a name found in a tenth of 100,000
//! articles that took more than half of a search's time. The store keeps the article count of
//! every frequent word (`search_common`, rewritten by each ingest), so a search passes those
//! counts in and only rare words, whose matches are few, are counted here. The score is the one
//! `-bm25()` gives, term for term (k1 = 1.2, b = 0.75, column weights as arguments).
//!
//! Written against FTS5's C extension API, as no crate registers FTS5 auxiliary functions:
//! `newsgraph_rank(articles_fts, title_weight, text_weight, counts)`, `counts` being the
//! phrases' article counts in query order, comma-separated, an empty place for a phrase to count.

use rusqlite::ffi;
use std::ffi::{c_int, c_void, CStr};
use std::ptr;

const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Registers `newsgraph_rank` on a connection.
pub(crate) fn register(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    // SAFETY: the handle is valid for the connection's life; the statement is finalized before
    // returning; `api` is written by FTS5 during the step and lives as long as the connection.
    unsafe {
        let db = conn.handle();
        let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
        let rc = ffi::sqlite3_prepare_v2(db, c"SELECT fts5(?1)".as_ptr(), -1, &mut stmt, ptr::null_mut());
        if rc != ffi::SQLITE_OK {
            return Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), Some("no FTS5 in this SQLite".into())));
        }
        let mut api: *mut ffi::fts5_api = ptr::null_mut();
        ffi::sqlite3_bind_pointer(
            stmt,
            1,
            (&mut api as *mut *mut ffi::fts5_api).cast(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(stmt);
        ffi::sqlite3_finalize(stmt);
        let Some(create) = api.as_ref().and_then(|a| a.xCreateFunction) else {
            return Err(rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_ERROR), Some("no FTS5 API".into())));
        };
        let rc = create(api, c"newsgraph_rank".as_ptr(), ptr::null_mut(), Some(rank), None);
        if rc != ffi::SQLITE_OK {
            return Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), None));
        }
    }
    Ok(())
}

/// What one search computes once: each phrase's weight and the mean article length.
struct QueryData {
    idf: Vec<f64>,
    avgdl: f64,
    freq: Vec<f64>,
}

unsafe extern "C" fn free_query_data(p: *mut c_void) {
    drop(Box::from_raw(p.cast::<QueryData>()));
}

unsafe extern "C" fn count_row(_: *const ffi::Fts5ExtensionApi, _: *mut ffi::Fts5Context, n: *mut c_void) -> c_int {
    *n.cast::<i64>() += 1;
    ffi::SQLITE_OK
}

/// The article counts given as the last argument: one place per phrase, empty when unknown.
unsafe fn given_counts(v: *mut ffi::sqlite3_value, phrases: usize) -> Vec<Option<i64>> {
    let text = ffi::sqlite3_value_text(v);
    let given = if text.is_null() { "" } else { CStr::from_ptr(text.cast()).to_str().unwrap_or("") };
    let mut out: Vec<Option<i64>> = given.split(',').map(|s| s.trim().parse().ok()).collect();
    out.resize(phrases, None);
    out
}

unsafe fn query_data(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    counts: *mut ffi::sqlite3_value,
) -> Result<*mut QueryData, c_int> {
    let existing = api.xGetAuxdata.map_or(ptr::null_mut(), |f| f(fts, 0));
    if !existing.is_null() {
        return Ok(existing.cast());
    }
    let call = |rc: c_int| if rc == ffi::SQLITE_OK { Ok(()) } else { Err(rc) };
    let phrases = api.xPhraseCount.map_or(0, |f| f(fts)).max(0) as usize;
    let (mut rows, mut tokens) = (0i64, 0i64);
    call(api.xRowCount.ok_or(ffi::SQLITE_ERROR)?(fts, &mut rows))?;
    call(api.xColumnTotalSize.ok_or(ffi::SQLITE_ERROR)?(fts, -1, &mut tokens))?;
    let given = if counts.is_null() { vec![None; phrases] } else { given_counts(counts, phrases) };
    let mut idf = Vec::with_capacity(phrases);
    for (i, known) in given.into_iter().enumerate() {
        let hits = match known {
            Some(n) => n,
            None => {
                let mut n = 0i64;
                call(api.xQueryPhrase.ok_or(ffi::SQLITE_ERROR)?(
                    fts,
                    i as c_int,
                    (&mut n as *mut i64).cast(),
                    Some(count_row),
                ))?;
                n
            }
        };
        let w = (((rows - hits) as f64 + 0.5) / (hits as f64 + 0.5)).ln();
        idf.push(if w <= 0.0 { 1e-6 } else { w });
    }
    let data =
        Box::into_raw(Box::new(QueryData { idf, avgdl: tokens as f64 / rows.max(1) as f64, freq: vec![0.0; phrases] }));
    call(api.xSetAuxdata.ok_or(ffi::SQLITE_ERROR)?(fts, data.cast(), Some(free_query_data)))?;
    Ok(data)
}

unsafe extern "C" fn rank(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n_val: c_int,
    vals: *mut *mut ffi::sqlite3_value,
) {
    let api = &*api;
    let n_val = n_val.max(0) as usize;
    let arg = |i: usize| if i < n_val { *vals.add(i) } else { ptr::null_mut() };
    let result = (|| -> Result<f64, c_int> {
        let data = &mut *query_data(api, fts, arg(2))?;
        data.freq.iter_mut().for_each(|f| *f = 0.0);
        let mut inst = 0;
        let call = |rc: c_int| if rc == ffi::SQLITE_OK { Ok(()) } else { Err(rc) };
        call(api.xInstCount.ok_or(ffi::SQLITE_ERROR)?(fts, &mut inst))?;
        let x_inst = api.xInst.ok_or(ffi::SQLITE_ERROR)?;
        for i in 0..inst {
            let (mut phrase, mut col, mut off) = (0, 0, 0);
            call(x_inst(fts, i, &mut phrase, &mut col, &mut off))?;
            let w = if (col as usize) < 2 && !arg(col as usize).is_null() {
                ffi::sqlite3_value_double(arg(col as usize))
            } else {
                1.0
            };
            if let Some(f) = data.freq.get_mut(phrase as usize) {
                *f += w;
            }
        }
        let mut tokens = 0;
        call(api.xColumnSize.ok_or(ffi::SQLITE_ERROR)?(fts, -1, &mut tokens))?;
        let d = tokens as f64;
        let mut score = 0.0;
        for (idf, f) in data.idf.iter().zip(&data.freq) {
            score += idf * ((f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * d / data.avgdl)));
        }
        Ok(score)
    })();
    match result {
        Ok(s) => ffi::sqlite3_result_double(ctx, s),
        Err(rc) => ffi::sqlite3_result_error_code(ctx, rc),
    }
}

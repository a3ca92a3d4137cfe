//! Analysis on all cores with the output in input order.
//!
//! One thread reads the inputs (reading is cheap and must stay sequential so that sources are
//! numbered the same way every run), worker threads clean and annotate articles, and the
//! caller's thread receives the results back in input order, so a run's output does not depend
//! on the number of threads. Channels are bounded: memory holds a few articles per worker.

use crate::analyze::analyze_one;
use newsgraph_doc::record::Rejection;
use newsgraph_doc::Document;
use newsgraph_input::{read_paths_tracked, Item, RawArticle, ReadProgress};
use newsgraph_nlp::clean::Cleaner;
use newsgraph_nlp::Pipeline;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};

/// Bytes of input read so far, out of all: the progress display's estimate of the time left.
/// One per process, as a process runs one analysis at a time.
pub static INPUT_READ: ReadProgress = ReadProgress { done: AtomicU64::new(0), total: AtomicU64::new(0) };

pub enum Outcome<T = Box<Document>> {
    Article(T),
    Rejected(Rejection),
}

/// Which articles not to annotate, by content id (an ingest's stored articles): they come out
/// cleaned, with their id, and no annotations.
pub type Skip<'a> = &'a (dyn Fn(&str) -> bool + Sync);

/// Analyses one raw article; a panic in any stage becomes a rejection of that article only.
fn analyze_guarded(cleaner: &Cleaner, pipeline: &Pipeline, skip: Skip<'_>, raw: RawArticle) -> Outcome {
    let source = raw.meta.source.clone();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyze_one(cleaner, pipeline, skip, raw))) {
        Ok(doc) => Outcome::Article(Box::new(doc)),
        Err(e) => {
            let what = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
            Outcome::Rejected(Rejection {
                source,
                reason: format!("internal error while analysing: {}", what.unwrap_or_default()),
            })
        }
    }
}

/// What a worker does with each analysed article before handing it back (an ingest builds
/// its store rows there, off the thread that writes them).
pub type Then<'a, T> = &'a (dyn Fn(Box<Document>) -> T + Sync);

fn outcome<T>(cleaner: &Cleaner, pipeline: &Pipeline, skip: Skip<'_>, then: Then<'_, T>, item: Item) -> Outcome<T> {
    match item {
        Item::Article(raw) => match analyze_guarded(cleaner, pipeline, skip, raw) {
            Outcome::Article(doc) => Outcome::Article(then(doc)),
            Outcome::Rejected(r) => Outcome::Rejected(r),
        },
        Item::Rejected(r) => Outcome::Rejected(r),
    }
}

/// Reads `paths`, analyses every article with `threads` workers and hands each outcome to
/// `sink` in input order.
pub fn analyze_in_order(paths: &[PathBuf], threads: usize, sink: &mut dyn FnMut(Outcome)) {
    analyze_in_order_skipping(paths, threads, &|_| false, &|doc| doc, sink);
}

/// [`analyze_in_order`], passing over the annotation of the articles `skip` names, and with
/// `then` applied to each article by the worker that analysed it.
pub fn analyze_in_order_skipping<T: Send>(
    paths: &[PathBuf],
    threads: usize,
    skip: Skip<'_>,
    then: Then<'_, T>,
    sink: &mut dyn FnMut(Outcome<T>),
) {
    let cleaner = Cleaner::standard();
    let pipeline = Pipeline::standard();
    if threads <= 1 {
        read_paths_tracked(paths, Some(&INPUT_READ), &mut |item| sink(outcome(&cleaner, &pipeline, skip, then, item)));
        return;
    }
    let (job_tx, job_rx) = sync_channel::<(u64, Item)>(threads * 4);
    let (res_tx, res_rx) = sync_channel::<(u64, Outcome<T>)>(threads * 4);
    let job_rx = Arc::new(Mutex::new(job_rx));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let job_rx = Arc::clone(&job_rx);
            let res_tx = res_tx.clone();
            let (cleaner, pipeline) = (&cleaner, &pipeline);
            scope.spawn(move || loop {
                let job = job_rx.lock().map(|rx| rx.recv());
                let Ok(Ok((seq, item))) = job else { break };
                if res_tx.send((seq, outcome(cleaner, pipeline, skip, then, item))).is_err() {
                    break;
                }
            });
        }
        drop(res_tx);
        scope.spawn(move || {
            let mut seq = 0u64;
            read_paths_tracked(paths, Some(&INPUT_READ), &mut |item| {
                // a closed channel means the receiver is gone; the run is over either way
                let _ = job_tx.send((seq, item));
                seq += 1;
            });
        });
        let mut pending: BTreeMap<u64, Outcome<T>> = BTreeMap::new();
        let mut next = 0u64;
        for (seq, out) in res_rx {
            pending.insert(seq, out);
            while let Some(out) = pending.remove(&next) {
                sink(out);
                next += 1;
            }
        }
    });
}

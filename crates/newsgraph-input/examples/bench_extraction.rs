//! Times newsgraph's HTML extraction on a folder of pages, single-threaded, and writes one JSON
//! record per page for `score_extraction.py aeb`.
//!
//! usage: bench_extraction PAGES_DIR OUT.jsonl [--repeat N]
//!
//! Every page (`*.html`, `*.htm`, optionally `.gz`) is read and decompressed into memory before
//! the clock starts, so the figure is extraction alone — decoding, parsing, main text and
//! metadata — not disk or gzip. With `--repeat N` the whole set is extracted N times and the best
//! pass is reported, which steadies the figure on a shared machine. A last, untimed pass measures
//! the most heap each page needs at once (a counting allocator, switched on only for that pass),
//! which is the bound that matters when pages are handled one after another; the process's own
//! peak (`VmHWM`) also holds every page of the set in memory.
//!
//! Prints `key: value` lines on standard output for the benchmark script to read.

use newsgraph_input::{read_bytes, Item};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// The system allocator, counting live and peak bytes while `COUNTING` is on; the timed passes
/// run with it off, so they pay one relaxed load per allocation.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() && COUNTING.load(Relaxed) {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        if COUNTING.load(Relaxed) {
            // Blocks allocated before counting began may be freed during it: never go below zero.
            let _ = LIVE.fetch_update(Relaxed, Relaxed, |v| Some(v.saturating_sub(layout.size())));
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() && COUNTING.load(Relaxed) {
            if new_size >= layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                let _ = LIVE.fetch_update(Relaxed, Relaxed, |v| Some(v.saturating_sub(layout.size() - new_size)));
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

struct Page {
    name: String,
    bytes: Vec<u8>,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let mut repeat = 1usize;
    while let Some(a) = args.next() {
        if a == "--repeat" {
            repeat = args.next().and_then(|n| n.parse::<usize>().ok()).expect("--repeat N").max(1);
        } else {
            positional.push(a);
        }
    }
    let [dir, out_path] = positional.as_slice() else {
        eprintln!("usage: bench_extraction PAGES_DIR OUT.jsonl [--repeat N]");
        std::process::exit(2);
    };
    let pages = load(&PathBuf::from(dir));
    let total_bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();

    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    let mut records = Vec::new();
    for pass in 0..repeat {
        let mut out = Vec::with_capacity(pages.len());
        let cpu_start = cpu_seconds();
        let start = Instant::now();
        for p in &pages {
            read_bytes(&p.name, &p.name, &p.bytes, &mut |item| out.push(item));
        }
        best = best.min(start.elapsed().as_secs_f64());
        if let (Some(a), Some(z)) = (cpu_start, cpu_seconds()) {
            best_cpu = best_cpu.min(z - a);
        }
        if pass == 0 {
            records = out;
        }
    }

    let mut w = std::io::BufWriter::new(std::fs::File::create(out_path).expect("cannot create the output file"));
    let (mut articles, mut rejected) = (0, 0);
    for item in &records {
        match item {
            Item::Article(a) => {
                articles += 1;
                let m = &a.meta;
                let rec = serde_json::json!({
                    "kind": "article", "source": m.source, "url": m.url, "site": m.site, "title": m.title,
                    "byline": m.byline, "published": m.published, "language": m.language, "text": a.body,
                    "notes": m.notes,
                });
                writeln!(w, "{rec}").expect("write");
            }
            Item::Rejected(r) => {
                rejected += 1;
                eprintln!("rejected {}: {}", r.source, r.reason);
            }
        }
    }
    w.flush().expect("write");

    let per_page_peak = peak_per_page(&pages);
    println!("pages: {}", pages.len());
    println!("articles: {articles}");
    println!("rejected: {rejected}");
    println!("bytes: {total_bytes}");
    println!("seconds: {best:.4}");
    println!("pages_per_s: {:.1}", pages.len() as f64 / best);
    println!("mb_per_s: {:.2}", total_bytes as f64 / 1e6 / best);
    if best_cpu.is_finite() {
        println!("cpu_seconds: {best_cpu:.4}");
        println!("cpu_pages_per_s: {:.1}", pages.len() as f64 / best_cpu);
        println!("cpu_mb_per_s: {:.2}", total_bytes as f64 / 1e6 / best_cpu);
    }
    let (peak, name, size) = per_page_peak;
    println!("peak_page_kb: {}", peak.div_ceil(1024));
    println!("peak_page: {name} ({} kB of HTML)", size.div_ceil(1024));
    if let Some(kb) = status_kb("VmHWM:") {
        println!("vmhwm_kb: {kb}");
    }
}

fn load(dir: &PathBuf) -> Vec<Page> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("cannot list the pages folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
            let n = n.strip_suffix(".gz").unwrap_or(&n);
            n.ends_with(".html") || n.ends_with(".htm")
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let raw = std::fs::read(&p).expect("cannot read a page");
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            match name.strip_suffix(".gz") {
                Some(stem) => {
                    let mut bytes = Vec::new();
                    flate2::read::GzDecoder::new(raw.as_slice()).read_to_end(&mut bytes).expect("bad gzip");
                    Page { name: stem.to_string(), bytes }
                }
                None => Page { name, bytes: raw },
            }
        })
        .collect()
}

/// CPU time this thread has run, from the scheduler's own accounting (nanoseconds, Linux): on a
/// shared machine it counts only the time the extraction really ran.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn status_kb(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// The most heap any one page needed at once over what was live before it, which page, and its
/// size.
fn peak_per_page(pages: &[Page]) -> (usize, String, usize) {
    let mut worst = (0, String::new(), 0);
    for p in pages {
        let mut items = Vec::with_capacity(1);
        LIVE.store(0, Relaxed);
        PEAK.store(0, Relaxed);
        COUNTING.store(true, Relaxed);
        read_bytes(&p.name, &p.name, &p.bytes, &mut |item| items.push(item));
        COUNTING.store(false, Relaxed);
        let peak = PEAK.load(Relaxed);
        drop(items);
        if peak > worst.0 {
            worst = (peak, p.name.clone(), p.bytes.len());
        }
    }
    worst
}

//! Time spent in each pipeline stage over a JSON Lines file of articles (`text` or `body`, and
//! `title`), single-threaded: how much each layer adds to analysis time.
//!
//! usage: cargo run --release -p newsgraph-nlp --example stage_times -- FILE.jsonl [ROUNDS]

use newsgraph_doc::{Document, Meta};
use newsgraph_nlp::clean::Cleaner;
use newsgraph_nlp::Pipeline;
use std::time::{Duration, Instant};

fn field(line: &str, name: &str) -> Option<String> {
    // a minimal reader for the two string fields needed, so the example needs no JSON crate
    let key = format!("\"{name}\"");
    let at = line.find(&key)? + key.len();
    let rest = line[at..].trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or('\u{fffd}'));
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("usage: stage_times FILE.jsonl [ROUNDS]");
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let articles: Vec<(String, String)> = std::fs::read_to_string(path)
        .expect("readable file")
        .lines()
        .filter_map(|l| Some((field(l, "title").unwrap_or_default(), field(l, "text").or_else(|| field(l, "body"))?)))
        .collect();
    let cleaner = Cleaner::standard();
    let pipeline = Pipeline::standard();
    let names = pipeline.stage_names();
    let mut times = vec![Duration::ZERO; names.len()];
    let mut clean_time = Duration::ZERO;
    let mut words = 0usize;
    for _ in 0..rounds {
        for (title, text) in &articles {
            let t0 = Instant::now();
            let cleaned = cleaner.clean(Some(title), text);
            clean_time += t0.elapsed();
            words += cleaned.text.split_whitespace().count();
            let meta = Meta { title: Some(title.clone()), ..Meta::default() };
            let mut doc = Document::new(meta, cleaned.text, cleaned.removed);
            pipeline.run_timed(&mut doc, &mut times);
        }
    }
    let total: Duration = times.iter().sum::<Duration>() + clean_time;
    let n = articles.len() * rounds;
    println!(
        "articles: {n}  words: {words}  total: {:.3} s  ({:.0} articles/s, {:.0} words/s on one core)",
        total.as_secs_f64(),
        n as f64 / total.as_secs_f64(),
        words as f64 / total.as_secs_f64()
    );
    println!("{:<12} {:>10} {:>7}", "stage", "seconds", "share");
    println!(
        "{:<12} {:>10.3} {:>6.1}%",
        "clean",
        clean_time.as_secs_f64(),
        100.0 * clean_time.as_secs_f64() / total.as_secs_f64()
    );
    for (name, t) in names.iter().zip(&times) {
        println!("{:<12} {:>10.3} {:>6.1}%", name, t.as_secs_f64(), 100.0 * t.as_secs_f64() / total.as_secs_f64());
    }
}

//! Main-text extraction measured on the article-extraction-benchmark pages in `../shared`, when
//! present. Ignored by default (it is a measurement, not a check); run with
//! `cargo test -p newsgraph-input --test extraction_benchmark -- --ignored --nocapture`, then score
//! the JSON Lines it writes with `shared/eval/score_extraction.py aeb`.

use newsgraph_input::{read_paths, Item};
use std::io::Write;
use std::path::PathBuf;

#[test]
#[ignore]
fn aeb_pages_to_jsonl() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/extraction/aeb");
    if !root.exists() {
        eprintln!("skipped: {} is absent", root.display());
        return;
    }
    let out_path = std::env::var("AEB_OUT").unwrap_or_else(|_| "/tmp/aeb-newsgraph.jsonl".into());
    let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path).unwrap());
    let (mut articles, mut rejected) = (0, 0);
    let start = std::time::Instant::now();
    read_paths(&[root], &mut |item| match item {
        Item::Article(a) => {
            articles += 1;
            let rec =
                serde_json::json!({"kind": "article", "source": a.meta.source, "title": a.meta.title, "text": a.body});
            writeln!(out, "{rec}").unwrap();
        }
        Item::Rejected(r) => {
            rejected += 1;
            eprintln!("rejected {}: {}", r.source, r.reason);
        }
    });
    eprintln!("{articles} articles, {rejected} rejected in {:.2}s -> {out_path}", start.elapsed().as_secs_f64());
}

//! Inputs the fuzzers (`fuzz/`, run with `cargo fuzz`) once found troublesome, kept as tests: each
//! must be read, or cleaned and annotated, without a panic. Files in `fuzz/regressions/readers/`
//! start with one byte choosing the file name the reader is told (as in the fuzz target).

use newsgraph_doc::{Document, Meta};
use std::path::Path;

const NAMES: &[&str] = &[
    "a.txt",
    "a.html",
    "a.json",
    "a.jsonl",
    "a.rss",
    "a.atom",
    "a.warc",
    "a.txt.gz",
    "a.html.gz",
    "a.jsonl.gz",
    "a.warc.gz",
    "a",
    "-",
];

fn files(dir: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<_> = std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    out.sort();
    out.into_iter().filter(|p| p.is_file() && !p.ends_with(".gitkeep")).map(|p| std::fs::read(p).unwrap()).collect()
}

#[test]
fn reader_regressions() {
    for data in files("fuzz/regressions/readers") {
        let Some((&pick, rest)) = data.split_first() else { continue };
        let name = NAMES[pick as usize % NAMES.len()];
        newsgraph_input::read_bytes(name, name, rest, &mut |_| {});
    }
}

#[test]
fn pipeline_regressions() {
    let cleaner = newsgraph_nlp::clean::Cleaner::standard();
    let pipeline = newsgraph_nlp::Pipeline::standard();
    for data in files("fuzz/regressions/pipeline") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        let (title, body) = text.split_once('\n').unwrap_or(("", text));
        let cleaned = cleaner.clean(Some(title), body);
        let meta = Meta { title: Some(title.to_string()), ..Meta::default() };
        let mut doc = Document::new(meta, cleaned.text, cleaned.removed);
        pipeline.run(&mut doc);
        let _ = newsgraph_doc::record::ArticleRecord::from_document(&doc);
    }
}

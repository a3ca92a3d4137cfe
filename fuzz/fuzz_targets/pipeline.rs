//! The cleaning and annotation pipeline on arbitrary text: it must never panic, and every span it
//! writes must lie inside the text on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsgraph_doc::{Document, Meta};
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static PIPE: OnceLock<(newsgraph_nlp::clean::Cleaner, newsgraph_nlp::Pipeline)> = OnceLock::new();
    let (cleaner, pipeline) = PIPE.get_or_init(|| (newsgraph_nlp::clean::Cleaner::standard(), newsgraph_nlp::Pipeline::standard()));
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (title, body) = text.split_once('\n').unwrap_or(("", text));
    let cleaned = cleaner.clean(Some(title), body);
    let meta = Meta { title: Some(title.to_string()), ..Meta::default() };
    let mut doc = Document::new(meta, cleaned.text, cleaned.removed);
    pipeline.run(&mut doc);
    let _ = newsgraph_doc::record::ArticleRecord::from_document(&doc);
});

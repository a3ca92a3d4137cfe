//! The pipeline must never panic, whatever text it is given: articles are built here from
//! fragments full of multi-byte marks, dashes, stray quotes and odd punctuation, combined by a
//! fixed pseudo-random sequence so that every run checks the same thousands of texts.

use newsgraph_doc::{Document, Meta};
use newsgraph_nlp::clean::Cleaner;
use newsgraph_nlp::Pipeline;

const FRAGMENTS: &[&str] = &[
    "“This store is great!!",
    "”",
    "„Nein“",
    "«",
    "»",
    "‘",
    "’s",
    "'",
    "\"",
    " – ",
    "—",
    "-",
    "...",
    "….",
    "?!",
    ":",
    "Putin said: – We",
    "Kim Jong Un",
    "Andonović",
    "Moscow said",
    "North Korea's",
    "U.S.",
    "Dr.",
    "Mr. ",
    "(FFI)",
    "\n",
    "\n\n",
    "  ",
    "\t",
    "According to NTB,",
    ", he said.",
    "said that",
    "on June 6",
    "in February 2022",
    "$750",
    "€2 million",
    "more than 400 tourists",
    "two and a half years",
    "four- or five-day",
    "12%",
    "Ω",
    "😀",
    "日本語のテキスト",
    "Привет, мир",
    "مرحبا",
    "e\u{301}",
    "\u{200b}",
    "A",
    "a",
    "1",
    "2000",
    "said",
    "By Jane Doe",
    "Article continues below ad",
    "Photo: X",
    "Dear reader,",
    "VIDEO |",
    "NATO Secretary General",
    "sanctions against",
];

/// A small linear congruential generator: deterministic and dependency-free.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn the_pipeline_survives_odd_text() {
    let cleaner = Cleaner::standard();
    let pipeline = Pipeline::standard();
    let mut rng = Lcg(42);
    for _ in 0..3000 {
        let n = 1 + rng.next() % 40;
        let mut body = String::new();
        for _ in 0..n {
            body.push_str(FRAGMENTS[rng.next() % FRAGMENTS.len()]);
            if rng.next().is_multiple_of(3) {
                body.push(' ');
            }
        }
        let title = FRAGMENTS[rng.next() % FRAGMENTS.len()].to_string();
        let cleaned = cleaner.clean(Some(&title), &body);
        let meta = Meta { title: Some(title), ..Meta::default() };
        let mut doc = Document::new(meta, cleaned.text, cleaned.removed);
        pipeline.run(&mut doc);
        let rec = newsgraph_doc::record::ArticleRecord::from_document(&doc);
        for q in &rec.quotes {
            assert!(q.start <= q.end && q.end <= rec.text.chars().count());
        }
    }
}

//! The speech verbs of `data/vocab/speech_verbs.tsv`.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

const VERBS: &str = include_str!("../../../../data/vocab/speech_verbs.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Introduces a reported clause (indirect quotation).
    Report,
    /// Only attributes a quotation in marks within its sentence.
    Attribute,
}

/// Forms by their first word: (all words, use).
type Table = HashMap<String, Vec<(Vec<String>, Use)>>;

pub fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut t: Table = HashMap::default();
        for line in VERBS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let (form, use_) = line.split_once('\t').unwrap_or((line, "report"));
            let words: Vec<String> = form.split_whitespace().map(str::to_lowercase).collect();
            let u = if use_.trim() == "attribute" { Use::Attribute } else { Use::Report };
            t.entry(words[0].clone()).or_default().push((words, u));
        }
        for v in t.values_mut() {
            v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        t
    })
}

/// Matches a speech verb at the start of `words` (lower case): (words used, use).
pub fn verb_at(words: &[&str]) -> Option<(usize, Use)> {
    let forms = table().get(*words.first()?)?;
    forms
        .iter()
        .find(|(w, _)| w.len() <= words.len() && w.iter().zip(words).all(|(a, b)| a == b))
        .map(|(w, u)| (w.len(), *u))
}

//! The date vocabulary from `data/vocab/dates.tsv`, read once.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

const DATA: &str = include_str!("../../../../data/vocab/dates.tsv");

#[derive(Default)]
pub(crate) struct Vocab {
    /// Month name → (number, is an abbreviation).
    pub months: HashMap<String, (u32, bool)>,
    pub weekdays: HashMap<String, u32>,
    pub dayparts: HashSet<String>,
    /// Words that make a weekday part of a name ("Black Friday").
    pub day_names: HashSet<String>,
    pub seasons: HashMap<String, u32>,
    pub year_cues: HashSet<String>,
    pub month_cues: HashSet<String>,
    /// Word sequences; "-" stands for a hyphen glued to its neighbours.
    pub modifiers: Vec<Vec<String>>,
    pub future: HashSet<String>,
    pub past: HashSet<String>,
    pub future_taking: HashSet<String>,
    pub present: HashSet<String>,
}

pub(crate) fn vocab() -> &'static Vocab {
    static V: OnceLock<Vocab> = OnceLock::new();
    V.get_or_init(|| parse(DATA))
}

fn parse(data: &str) -> Vocab {
    let mut v = Vocab::default();
    for line in data.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(kind), Some(word)) = (cols.next(), cols.next()) else { continue };
        let word = word.trim().to_lowercase();
        let num = cols.next().and_then(|n| n.trim().parse::<u32>().ok());
        match (kind, num) {
            ("month", Some(n)) => {
                v.months.insert(word, (n, false));
            }
            ("month_abbr", Some(n)) => {
                v.months.insert(word, (n, true));
            }
            ("weekday", Some(n)) => {
                v.weekdays.insert(word, n);
            }
            ("season", Some(n)) => {
                v.seasons.insert(word, n);
            }
            ("daypart", _) => {
                v.dayparts.insert(word);
            }
            ("day_name", _) => {
                v.day_names.insert(word);
            }
            ("year_cue", _) => {
                v.year_cues.insert(word);
            }
            ("month_cue", _) => {
                v.month_cues.insert(word);
            }
            ("modifier", _) => v.modifiers.push(word.split_whitespace().map(str::to_string).collect()),
            ("future", _) => {
                v.future.insert(word);
            }
            ("past", _) => {
                v.past.insert(word);
            }
            ("future_taking", _) => {
                v.future_taking.insert(word);
            }
            ("present", _) => {
                v.present.insert(word);
            }
            _ => {}
        }
    }
    // longest first, so that "the end of" wins over "end of"
    v.modifiers.sort_by_key(|m| std::cmp::Reverse(m.len()));
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn vocabulary_loads() {
        let v = super::vocab();
        assert_eq!(v.months.get("may"), Some(&(5, false)));
        assert_eq!(v.months.get("sept"), Some(&(9, true)));
        assert_eq!(v.weekdays.get("sunday"), Some(&6));
        assert!(v.year_cues.contains("since"));
        assert!(v.modifiers.iter().any(|m| m == &["the", "end", "of"]));
    }
}

//! The amount vocabulary from `data/vocab/amounts.tsv`, read once.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

const DATA: &str = include_str!("../../../../data/vocab/amounts.tsv");

#[derive(Default)]
pub(crate) struct Vocab {
    pub numbers: HashMap<String, u32>,
    /// Scale word → power of ten.
    pub scales: HashMap<String, i32>,
    pub scale_abbrs: HashMap<String, i32>,
    /// Word sequences, longest first; "." stands for a full stop token ("approx .").
    pub approx: Vec<Vec<String>>,
    pub approx_after: Vec<Vec<String>>,
    /// Currency sign as written → code.
    pub signs: HashMap<String, String>,
    /// Upper-case ISO codes.
    pub codes: HashMap<String, String>,
    /// Currency word sequences after a number, longest first.
    pub currencies: Vec<(Vec<String>, String)>,
    pub time: HashMap<String, String>,
    pub measures: HashMap<String, String>,
    /// Per-cent words as sequences, longest first.
    pub percent: Vec<(Vec<String>, String)>,
    pub plurals: HashMap<String, String>,
    pub invariant: HashSet<String>,
    pub not_plural: HashSet<String>,
    pub stops: HashSet<String>,
    pub fractions: HashSet<String>,
    pub name_before: HashSet<String>,
    pub duration_cues: HashSet<String>,
    pub change_cues: HashSet<String>,
}

pub(crate) fn vocab() -> &'static Vocab {
    static V: OnceLock<Vocab> = OnceLock::new();
    V.get_or_init(|| parse(DATA))
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn parse(data: &str) -> Vocab {
    let mut v = Vocab::default();
    for line in data.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(kind), Some(raw)) = (cols.next(), cols.next()) else { continue };
        let key = raw.trim().to_lowercase();
        let val = cols.next().map(str::trim).unwrap_or("").to_string();
        match kind {
            "number" => {
                if let Ok(n) = val.parse() {
                    v.numbers.insert(key, n);
                }
            }
            "scale" => {
                if let Ok(n) = val.parse() {
                    v.scales.insert(key, n);
                }
            }
            "scale_abbr" => {
                if let Ok(n) = val.parse() {
                    v.scale_abbrs.insert(key, n);
                }
            }
            "approx" => v.approx.push(words(&key)),
            "approx_after" => v.approx_after.push(words(&key)),
            "sign" => {
                v.signs.insert(raw.trim().to_string(), val);
            }
            "code" => {
                v.codes.insert(raw.trim().to_string(), val);
            }
            "currency" => v.currencies.push((words(&key), val)),
            "time" => {
                v.time.insert(key, val);
            }
            "measure" => {
                v.measures.insert(key, val);
            }
            "percent" => v.percent.push((words(&key), val)),
            "plural" => {
                v.plurals.insert(key, val);
            }
            "invariant" => {
                v.invariant.insert(key);
            }
            "not_plural" => {
                v.not_plural.insert(key);
            }
            "stop" => {
                v.stops.insert(key);
            }
            "fraction" => {
                v.fractions.insert(key);
            }
            "name_before" => {
                v.name_before.insert(key);
            }
            "duration_cue" => {
                v.duration_cues.insert(key);
            }
            "change_cue" => {
                v.change_cues.insert(key);
            }
            _ => {}
        }
    }
    v.approx.sort_by_key(|a| std::cmp::Reverse(a.len()));
    v.approx_after.sort_by_key(|a| std::cmp::Reverse(a.len()));
    v.currencies.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
    v.percent.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn vocabulary_loads() {
        let v = super::vocab();
        assert_eq!(v.numbers.get("seventeen"), Some(&17));
        assert_eq!(v.scales.get("million"), Some(&6));
        assert_eq!(v.signs.get("€").map(String::as_str), Some("EUR"));
        assert_eq!(v.codes.get("NOK").map(String::as_str), Some("NOK"));
        assert!(v.currencies.iter().any(|(w, c)| w == &["won"] && c == "KRW"));
        assert_eq!(v.time.get("years").map(String::as_str), Some("year"));
        assert!(v.approx.iter().any(|a| a == &["more", "than"]));
        // longest first, so "no more than" is tried before "more than"
        let i = v.approx.iter().position(|a| a == &["no", "more", "than"]).unwrap();
        let j = v.approx.iter().position(|a| a == &["more", "than"]).unwrap();
        assert!(i < j);
    }
}

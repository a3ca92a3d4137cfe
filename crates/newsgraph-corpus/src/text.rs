//! Words as the corpus layer sees them: lowercased runs of letters and digits.

use crate::hash::FastSet;
use std::sync::OnceLock;

/// Calls `f` with each word of `text`, lowercased, punctuation dropped.
///
/// Apostrophes and hyphens split words, so "DeGeneres’s" and "DeGeneres's" both give
/// "degeneres" (plus a lone "s" that later filters drop); the two quote styles of different
/// outlets then agree.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
        } else if !buf.is_empty() {
            f(&buf);
            buf.clear();
        }
    }
    if !buf.is_empty() {
        f(&buf);
    }
}

/// Writes into `out` the term a word counts as for similarity; false for words that say
/// nothing about the event (stopwords, single characters).
///
/// Plurals are folded with a minimal S-stemmer (Harman 1991) so "shootings" meets "shooting"
/// and "suspects" meets "suspect"; heavier stemming merges too much in names.
pub fn term(word: &str, out: &mut String) -> bool {
    out.clear();
    if word.chars().nth(1).is_none() || is_stopword(word) {
        return false;
    }
    let n = word.len();
    let ends = |s: &str| word.ends_with(s);
    if n > 4 && ends("ies") && !ends("eies") && !ends("aies") {
        out.push_str(&word[..n - 3]);
        out.push('y');
    } else if (n > 3 && ends("es") && !ends("aes") && !ends("ees") && !ends("oes"))
        || (n > 3 && ends("s") && !ends("us") && !ends("ss") && !ends("is"))
    {
        out.push_str(&word[..n - 1]);
    } else {
        out.push_str(word);
    }
    true
}

/// Function words of English, plus reporting verbs and calendar words that every news article
/// uses whatever it reports. Other languages rely on IDF alone, which already gives such words
/// little weight.
pub fn is_stopword(w: &str) -> bool {
    static SET: OnceLock<FastSet<&'static str>> = OnceLock::new();
    w.len() <= MAX_STOPWORD && SET.get_or_init(|| STOPWORDS.iter().copied().collect()).contains(w)
}

const MAX_STOPWORD: usize = 10;

// Sorted, to keep the list easy to maintain; a unit test checks it.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "after",
    "again",
    "against",
    "ago",
    "all",
    "also",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "as",
    "at",
    "be",
    "became",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "down",
    "during",
    "each",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "friday",
    "from",
    "further",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "last",
    "like",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "monday",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "new",
    "news",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "said",
    "saturday",
    "say",
    "says",
    "see",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "such",
    "sunday",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thursday",
    "to",
    "told",
    "too",
    "tuesday",
    "two",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "wednesday",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "year",
    "yesterday",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_short_and_unique() {
        assert!(STOPWORDS.iter().all(|w| w.len() <= MAX_STOPWORD));
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_and_terms() {
        let mut ws = Vec::new();
        for_each_word("DeGeneres’s SHOOTINGS, in Ålesund!", |w| ws.push(w.to_string()));
        assert_eq!(ws, ["degeneres", "s", "shootings", "in", "ålesund"]);
        let t = |w: &str| {
            let mut out = String::new();
            term(w, &mut out).then_some(out)
        };
        let ts: Vec<_> = ws.iter().filter_map(|w| t(w)).collect();
        assert_eq!(ts, ["degenere", "shooting", "ålesund"]);
        assert_eq!(t("injuries").as_deref(), Some("injury"));
        assert_eq!(t("police").as_deref(), Some("police"));
        assert_eq!(t("status").as_deref(), Some("status"));
        assert_eq!(t("the"), None);
    }
}

//! Rule-based tokens and sentences. News prose is regular enough that a handful of rules
//! (abbreviations, initials, quotation marks after the stop) split it well, and fast.

use crate::pipeline::Annotator;
use newsgraph_doc::{Document, Span};

/// Fills `tokens` and `sentences`; sentences never cross a paragraph boundary.
pub struct Sentences;

impl Annotator for Sentences {
    fn name(&self) -> &'static str {
        "sentences"
    }
    fn annotate(&self, doc: &mut Document) {
        let mut sentences = Vec::new();
        for p in &doc.paragraphs {
            for s in split_sentences(&doc.text[p.start..p.end]) {
                sentences.push(Span::new(p.start + s.start, p.start + s.end));
            }
        }
        doc.sentences = sentences;
        doc.tokens = tokenize(&doc.text);
    }
}

/// Words that end in a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cpt", "maj", "adm", "gov", "sen", "rep", "st",
    "mt", "jr", "sr", "rev", "fr", "vs", "etc", "inc", "ltd", "corp", "co", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "approx", "est", "pres", "sec",
    "dept", "univ", "ave", "blvd", "a.m", "p.m",
];

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    // single initials ("J. K. Rowling") and dotted acronyms ("U.S.")
    if w.chars().count() == 1 && w.chars().all(|c| c.is_alphabetic()) {
        return true;
    }
    ABBREVIATIONS.contains(&w.as_str())
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{201d}' | '\u{2019}' | '\u{00bb}' | ')' | ']')
}

/// Longer than any sentence of news prose (about 500 words).
const MAX_SENTENCE_BYTES: usize = 3000;

/// Splits one paragraph into sentence spans (byte offsets into `text`).
pub fn split_sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut start = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        if b < start {
            // inside a run of stops already ended ("escaped....")
            i += 1;
            continue;
        }
        let mut boundary = None;
        if c == '\n' {
            // a line break inside a paragraph ends a sentence when the line looks finished
            let prev = text[start..b].trim_end();
            if prev.ends_with(['.', '!', '?', ':', '"', '\u{201d}']) || prev.is_empty() {
                boundary = Some(b);
            }
        } else if matches!(c, '.' | '!' | '?' | '\u{2026}') {
            let mut j = i + 1;
            while j < chars.len() && (matches!(chars[j].1, '.' | '!' | '?') || is_closer(chars[j].1)) {
                j += 1;
            }
            let next_is_space = j < chars.len() && chars[j].1.is_whitespace();
            if next_is_space {
                let mut k = j;
                while k < chars.len() && chars[k].1.is_whitespace() {
                    k += 1;
                }
                let next = chars.get(k).map(|x| x.1);
                let opens = next.is_some_and(|n| {
                    n.is_uppercase()
                        || n.is_numeric()
                        || matches!(n, '"' | '\u{201c}' | '\u{201e}' | '\u{00ab}' | '\'' | '(')
                        || crate::text::is_dash(n)
                });
                let word_start = text[..b].rfind(|ch: char| ch.is_whitespace()).map_or(0, |p| p + 1);
                let word = &text[word_start.max(start)..b];
                if opens && !(c == '.' && is_abbreviation(word)) {
                    boundary = Some(chars.get(j).map_or(text.len(), |x| x.0));
                }
            }
        }
        if boundary.is_none() && c.is_whitespace() && b - start >= MAX_SENTENCE_BYTES {
            // text with no stops (a scraped list, a table, junk) is cut at a space, so that the
            // layers that look across a sentence stay bounded by the sentence's size
            boundary = Some(b);
        }
        if let Some(end) = boundary {
            let s = newsgraph_doc::trim_span(text, Span::new(start, end));
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
        i += 1;
    }
    let s = newsgraph_doc::trim_span(text, Span::new(start, text.len()));
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// Word and punctuation tokens. Words keep inner apostrophes, hyphens and dots ("don't",
/// "Covid-19", "U.S."); a possessive "'s" is its own token.
pub fn tokenize(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((b, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = b + c.len_utf8();
            while let Some(&(nb, nc)) = it.peek() {
                if nc.is_alphanumeric() {
                    end = nb + nc.len_utf8();
                    it.next();
                    continue;
                }
                if matches!(nc, '\'' | '\u{2019}' | '-' | '.' | '&') {
                    // joiner only when a letter or digit follows
                    let rest = &text[nb + nc.len_utf8()..];
                    let follow = rest.chars().next();
                    if follow.is_some_and(|f| f.is_alphanumeric()) {
                        if matches!(nc, '\'' | '\u{2019}')
                            && (rest.starts_with('s') || rest.starts_with('S'))
                            && !rest[1..].chars().next().is_some_and(|f| f.is_alphanumeric())
                        {
                            break; // possessive: split it off
                        }
                        end = nb + nc.len_utf8();
                        it.next();
                        continue;
                    }
                    if nc == '.' && text[b..end].chars().filter(|&x| x == '.').count() > 0 {
                        // closing dot of a dotted acronym: "U.S."
                        end = nb + 1;
                        it.next();
                    }
                }
                break;
            }
            out.push(Span::new(b, end));
        } else if matches!(c, '\'' | '\u{2019}')
            && text[b + c.len_utf8()..].starts_with(['s', 'S'])
            && !text[b + c.len_utf8() + 1..].chars().next().is_some_and(|f| f.is_alphanumeric())
            && b > 0
            && text[..b].chars().next_back().is_some_and(|p| p.is_alphanumeric())
        {
            let end = b + c.len_utf8() + 1;
            it.next();
            out.push(Span::new(b, end));
        } else {
            out.push(Span::new(b, b + c.len_utf8()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        split_sentences(t).into_iter().map(|s| &t[s.start..s.end]).collect()
    }

    fn toks(t: &str) -> Vec<&str> {
        tokenize(t).into_iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn splits_at_stops_not_abbreviations() {
        assert_eq!(
            sents("Dr. Nam predicts it. The U.S. said no. \"Really?\" he asked."),
            vec!["Dr. Nam predicts it.", "The U.S. said no.", "\"Really?\" he asked."]
        );
    }

    #[test]
    fn text_without_stops_is_cut_into_bounded_sentences() {
        let text = "word ".repeat(2000);
        let spans = split_sentences(&text);
        assert!(spans.len() >= 3, "{}", spans.len());
        assert!(spans.iter().all(|s| s.end - s.start <= MAX_SENTENCE_BYTES + 8));
        // nothing is lost: the sentences cover every word
        let words: usize = spans.iter().map(|s| text[s.start..s.end].split_whitespace().count()).sum();
        assert_eq!(words, 2000);
    }

    #[test]
    fn runs_of_stops() {
        assert_eq!(
            sents("My hamster escaped.... NEED HELP NOW!? Thanks."),
            vec!["My hamster escaped....", "NEED HELP NOW!?", "Thanks."]
        );
    }

    #[test]
    fn quote_after_stop_stays_with_its_sentence() {
        assert_eq!(sents("He said \"go.\" Then left."), vec!["He said \"go.\"", "Then left."]);
    }

    #[test]
    fn tokens_keep_inner_joiners_and_split_possessives() {
        assert_eq!(toks("Russia's Covid-19 U.S. don't."), vec!["Russia", "'s", "Covid-19", "U.S.", "don't", "."]);
    }
}

//! Indirect quotations: "X said (that) …", "…, X said", "according to X, …", "X points out
//! that …". The reported clause is the quotation's text.

use super::speaker::{subject_before, word_count, words, Mentions};
use super::verbs::{verb_at, Use};
use super::{make_quote, Voices};
use newsgraph_doc::{Document, Quote, QuoteKind, Span};

/// Words after which a clause cannot start ("said on", "told to").
const NOT_CLAUSE_START: &[&str] = &[
    "to", "on", "in", "at", "during", "with", "for", "about", "by", "from", "of", "after", "before", "goodbye",
    "hello", "so", "yes", "no", "nothing", "thank", "thanks", "as", "and", "or", "but", "again", "earlier", "later",
    "last",
];
const COGNITION: &[&str] =
    &["believed", "believes", "thought", "thinks", "felt", "feels", "hoped", "hopes", "expected", "expects"];
const PRONOUN_SUBJECTS: &[&str] = &["he", "she", "they", "it", "we", "i"];

pub fn indirect_quotes(
    doc: &Document,
    p: Span,
    mentions: &Mentions,
    voices: &mut Voices,
    direct: &[Quote],
) -> Vec<Quote> {
    let mut out = Vec::new();
    let sentences: Vec<Span> = doc.sentences.iter().copied().filter(|s| p.contains(*s)).collect();
    for s in sentences {
        // a sentence that is mostly a direct quotation is reported by the direct layer
        let quoted: usize = direct
            .iter()
            .filter(|q| q.span.overlaps(s))
            .map(|q| q.span.end.min(s.end) - q.span.start.max(s.start))
            .sum();
        if quoted * 2 > s.len() {
            continue;
        }
        if let Some(q) = according_to(doc, s, mentions, voices) {
            voices.heard(doc, q.speaker);
            out.push(q);
            continue;
        }
        if let Some(q) = reported_clause(doc, s, mentions, voices, direct) {
            voices.heard(doc, q.speaker);
            out.push(q);
        }
    }
    out
}

/// The end of a reported clause: the sentence's end, or an earlier point where a new clause
/// joins ("…, and several agencies are offering …").
fn clause_end(doc: &Document, start: usize, end: usize) -> usize {
    let s = &doc.text[start..end];
    let mut cut = s.trim_end_matches(['.', '!', ' ', '"', '\u{201d}']).len();
    for sep in [", and ", "; ", ", but ", ", while ", ", according to ", ", whereas "] {
        if let Some(k) = s.find(sep) {
            if word_count(&s[..k]) >= 4 {
                cut = cut.min(k);
            }
        }
    }
    start + cut
}

fn reported_clause(doc: &Document, s: Span, mentions: &Mentions, voices: &Voices, direct: &[Quote]) -> Option<Quote> {
    let text = doc.slice(s);
    let ws = words(text);
    let wstr: Vec<&str> = ws.iter().map(|(_, w)| w.as_str()).collect();
    for k in 0..ws.len() {
        let Some((n, Use::Report)) = verb_at(&wstr[k..]) else { continue };
        let verb_pos = s.start + ws[k].0;
        if direct.iter().any(|q| q.span.start <= verb_pos && verb_pos < q.span.end) {
            continue;
        }
        let verb_end = s.start + ws.get(k + n - 1).map_or(0, |w| w.0 + w.1.len());
        let after = &doc.text[verb_end..s.end];
        // "said: – …" and "said: "…"" are direct quotations
        if after.trim_start().starts_with([':', '"', '\u{201c}', '\u{00ab}', '\u{201e}']) {
            continue;
        }
        let Some(speaker) = subject_before(doc, mentions, verb_pos, s.start, voices) else { continue };
        let cue = wstr[k..k + n].join(" ");
        let rest: Vec<&str> = wstr[k + n..].to_vec();
        // "…, Dr. Nam predicts." — the clause comes before
        if rest.len() <= 3 && !rest.contains(&"that") {
            let before = &doc.text[s.start..verb_pos];
            let subject_start = mentions.last_before(verb_pos, s.start).map_or(verb_pos, |(m, _)| m.start);
            let comma = before[..subject_start - s.start].rfind(',')?;
            let mut start = s.start;
            // a leading adverbial ("Especially after the failed launch in May, …") is not reported
            if let Some(first_comma) = before[..comma].find(", ") {
                let lead = wstr.first().copied().unwrap_or("");
                if [
                    "especially",
                    "after",
                    "when",
                    "since",
                    "while",
                    "if",
                    "although",
                    "as",
                    "in",
                    "on",
                    "despite",
                    "following",
                    "with",
                    "before",
                ]
                .contains(&lead)
                {
                    start = s.start + first_comma + 2;
                }
            }
            return make_quote(doc, Span::new(start, s.start + comma), QuoteKind::Indirect, Some(speaker), Some(cue));
        }
        // "said on Tuesday that …", "stressed during the meeting with Kim that …"
        let mut clause_word = None;
        if let Some(t) = rest.iter().take(10).position(|w| *w == "that") {
            clause_word = Some(k + n + t + 1);
        } else if rest.len() >= 2 && PRONOUN_SUBJECTS.contains(&rest[0]) && COGNITION.contains(&rest[1]) {
            // "said he believed the reason …"
            let skip = if rest.get(2) == Some(&"that") { 3 } else { 2 };
            clause_word = Some(k + n + skip);
        } else if !rest.is_empty() && !NOT_CLAUSE_START.contains(&rest[0]) && !after.trim_start().starts_with(',') {
            clause_word = Some(k + n);
        }
        let cw = clause_word?;
        if cw < ws.len()
            && PRONOUN_SUBJECTS.contains(&wstr[cw])
            && wstr.get(cw + 1).is_some_and(|w| COGNITION.contains(w))
        {
            // "said that he believed …"
            let start = s.start + ws.get(cw + 2)?.0;
            return make_quote(
                doc,
                Span::new(start, clause_end(doc, start, s.end)),
                QuoteKind::Indirect,
                Some(speaker),
                Some(cue),
            );
        }
        let start = s.start + ws.get(cw)?.0;
        let end = clause_end(doc, start, s.end);
        if word_count(&doc.text[start..end]) < 3 {
            return None;
        }
        return make_quote(doc, Span::new(start, end), QuoteKind::Indirect, Some(speaker), Some(cue));
    }
    None
}

/// "According to X, …" and "…, according to X."
fn according_to(doc: &Document, s: Span, mentions: &Mentions, voices: &Voices) -> Option<Quote> {
    let text = doc.slice(s);
    let lower = text.to_lowercase();
    let k = lower.find("according to ")?;
    let src_start = s.start + k + "according to ".len();
    let (m, e) = mentions.first_after(src_start, s.end)?;
    if word_count(&doc.text[src_start..m.start]) > 5 || doc.text[src_start..m.start].contains(',') {
        return None;
    }
    if k == 0 || text[..k].trim().is_empty() {
        // "According to NTB, Russia and North Korea are expected to …"; an appositive after the
        // source ("According to Jane Doe, head of the council, which …, the talks …") is skipped:
        // the clause starts after the first comma that a clause can follow
        let mut start = None;
        let mut from = m.end;
        while let Some(k) = doc.text[from..s.end].find(',') {
            let at = from + k + 1;
            let next = words(&doc.text[at..s.end]).into_iter().next().map(|(_, w)| w).unwrap_or_default();
            let rest = doc.text[at..s.end].trim_start();
            let opens_clause = rest.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric())
                || [
                    "the", "a", "an", "he", "she", "it", "they", "we", "this", "these", "those", "there", "its",
                    "their", "his", "her",
                ]
                .contains(&next.as_str());
            if opens_clause {
                start = Some(at);
                break;
            }
            from = at;
        }
        let start = start?;
        // a reporting chain ("According to RIA, Putin stressed that …") is the inner speaker's
        let inner = words(&doc.text[start..s.end]);
        let istr: Vec<&str> = inner.iter().map(|(_, w)| w.as_str()).collect();
        for i in 0..istr.len() {
            if let Some((_, Use::Report)) = verb_at(&istr[i..]) {
                if subject_before(doc, mentions, start + inner[i].0, start, voices).is_some() {
                    return None;
                }
            }
        }
        return make_quote(
            doc,
            Span::new(start, clause_end(doc, start, s.end)),
            QuoteKind::Indirect,
            Some(e),
            Some("according to".into()),
        );
    }
    // "…, according to X."
    let before = text[..k].trim_end().trim_end_matches(',');
    if word_count(&doc.text[m.end..s.end]) > 3 {
        return None;
    }
    make_quote(
        doc,
        Span::new(s.start, s.start + before.len()),
        QuoteKind::Indirect,
        Some(e),
        Some("according to".into()),
    )
}

//! Finding the speaker of a quotation: the entity named by the cue, a pronoun resolved to the
//! last person quoted, or a role ("the researcher") resolved to the entity that holds it.

use super::verbs::{verb_at, Use};
use super::Voices;
use crate::text::fold;
use newsgraph_doc::{Document, EntityType, Span};

/// Every body mention with its entity, in text order.
pub struct Mentions {
    list: Vec<(Span, usize)>,
}

impl Mentions {
    pub fn new(doc: &Document) -> Self {
        let mut list: Vec<(Span, usize)> =
            doc.entities.iter().enumerate().flat_map(|(i, e)| e.mentions.iter().map(move |&m| (m, i))).collect();
        list.sort();
        Mentions { list }
    }

    /// The last mention ending at or before `at` and starting at or after `floor`.
    pub fn last_before(&self, at: usize, floor: usize) -> Option<(Span, usize)> {
        let i = self.list.partition_point(|(m, _)| m.start < at);
        self.list[..i].iter().rev().find(|(m, _)| m.end <= at).copied().filter(|(m, _)| m.start >= floor)
    }

    /// The first mention starting at or after `at` and ending before `ceil`.
    pub fn first_after(&self, at: usize, ceil: usize) -> Option<(Span, usize)> {
        let i = self.list.partition_point(|(m, _)| m.start < at);
        self.list.get(i).copied().filter(|(m, _)| m.end <= ceil)
    }
}

/// Lower-case words of `s` with their byte offsets (relative to `s`).
pub fn words(s: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for_each_word(s, |st, w| out.push((st, w.to_lowercase())));
    out
}

/// How many words [`words`] finds in `s`, without making them.
pub fn word_count(s: &str) -> usize {
    let mut n = 0;
    for_each_word(s, |_, _| n += 1);
    n
}

/// Calls `f` with each word of `s` and its byte offset: letters and digits, with apostrophes
/// and hyphens inside a word.
fn for_each_word<'a>(s: &'a str, mut f: impl FnMut(usize, &'a str)) {
    let mut start = None;
    for (i, c) in s.char_indices() {
        let inner = c.is_alphanumeric() || ((c == '\'' || c == '\u{2019}' || c == '-') && start.is_some());
        match (inner, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                f(st, &s[st..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        f(st, &s[st..]);
    }
}

const PRONOUNS: &[&str] = &["he", "she"];
const CLAUSE_BREAKS: &[&str] =
    &["that", "which", "who", "whom", "whose", "when", "while", "because", "if", "but", "and", "after", "before"];

/// The entity that is the subject of a speech verb starting at byte `verb_at` in the sentence
/// starting at `floor`: the name right before it ("Tor Bokvoll, said"), a pronoun ("he said"),
/// or a role ("the researcher said").
pub fn subject_before(
    doc: &Document,
    mentions: &Mentions,
    verb_at: usize,
    floor: usize,
    voices: &Voices,
) -> Option<usize> {
    let before = &doc.text[floor..verb_at];
    let ws = words(before);
    // a pronoun or a role noun right before the verb, with at most one adverb between
    for (k, (_, w)) in ws.iter().rev().take(2).enumerate() {
        if k == 1
            && !ws[ws.len() - 1].1.ends_with("ly")
            && !matches!(ws[ws.len() - 1].1.as_str(), "also" | "then" | "later" | "previously" | "has" | "had" | "have")
        {
            break;
        }
        if PRONOUNS.contains(&w.as_str()) {
            return voices.last_person;
        }
        if matches!(w.as_str(), "who" | "which" | "it" | "they" | "i" | "we" | "you") {
            return None;
        }
    }
    if let Some((m, e)) = mentions.last_before(verb_at, floor) {
        let gap = &doc.text[m.end..verb_at];
        let gw = words(gap);
        let possessive = gap.trim_start().starts_with("'s") || gap.trim_start().starts_with("\u{2019}s");
        let ok = !possessive
            && gw.len() <= 4
            && !gap.contains(['.', ';', ':', '"', '\u{201c}', '\u{201d}'])
            && !gw.iter().any(|(_, w)| CLAUSE_BREAKS.contains(&w.as_str()) || verb_at_word(w));
        if ok {
            return Some(apposed_person(doc, mentions, m, e, floor).unwrap_or(e));
        }
    }
    // "the researcher said": a role the article gave someone
    let last = ws.last()?;
    role_holder(doc, &last.1)
}

fn verb_at_word(w: &str) -> bool {
    verb_at(&[w]).is_some_and(|(_, u)| u == Use::Report)
}

/// "Tor Bokvoll, senior researcher at FFI, said": the person before an appositive, not the
/// organisation at its end.
fn apposed_person(doc: &Document, mentions: &Mentions, m: Span, e: usize, floor: usize) -> Option<usize> {
    if doc.entities[e].kind == EntityType::Person {
        return None;
    }
    let mut at = m.start;
    while let Some((pm, pe)) = mentions.last_before(at, floor) {
        let between = &doc.text[pm.end..m.start];
        if doc.entities[pe].kind == EntityType::Person {
            return (between.trim_start().starts_with(',') && word_count(between) <= 8).then_some(pe);
        }
        at = pm.start;
    }
    None
}

/// The entity whose recorded role ends with this word ("researcher" → the senior researcher).
pub fn role_holder(doc: &Document, word: &str) -> Option<usize> {
    if word.len() < 4 {
        return None;
    }
    let holders: Vec<usize> = (0..doc.entities.len())
        .filter(|&i| doc.entities[i].roles.iter().any(|r| fold(r).rsplit(' ').next() == Some(word)))
        .collect();
    (holders.len() == 1).then(|| holders[0])
}

/// The speaker named after a quotation: `"…," said X`, `"…," X said`, `"…" he added`.
pub fn speaker_after(
    doc: &Document,
    mentions: &Mentions,
    from: usize,
    to: usize,
    voices: &Voices,
) -> Option<(usize, String)> {
    let rest = &doc.text[from..to];
    let ws = words(rest);
    if ws.is_empty() || rest[..ws[0].0].contains(['.', '?', '!']) && !rest[..ws[0].0].contains(',') {
        return None;
    }
    let wstr: Vec<&str> = ws.iter().map(|(_, w)| w.as_str()).collect();
    // verb first: "said Putin", "said the minister"
    if let Some((n, _)) = verb_at(&wstr) {
        let after = from + ws.get(n).map_or(rest.len(), |w| w.0);
        if let Some((m, e)) = mentions.first_after(after, to) {
            if word_count(&doc.text[after..m.start]) <= 3 {
                return Some((e, wstr[..n].join(" ")));
            }
        }
        if let Some((_, w)) = ws.get(n) {
            if PRONOUNS.contains(&w.as_str()) {
                return voices.last_person.map(|p| (p, wstr[..n].join(" ")));
            }
        }
        return None;
    }
    // subject first, right after the quotation: "Putin said", "he added", "the researcher says"
    if PRONOUNS.contains(&wstr[0]) {
        return verb_at(&wstr[1..]).and_then(|(n, _)| voices.last_person.map(|p| (p, wstr[1..1 + n].join(" "))));
    }
    if let Some((m, e)) = mentions.first_after(from, to) {
        // only the subject's own words (a title, "the") may stand between the mark and the name
        if word_count(&doc.text[from..m.start]) <= 2 && !doc.text[from..m.start].contains(['.', '?', '!']) {
            let after = words(&doc.text[m.end..to]);
            let astr: Vec<&str> = after.iter().map(|(_, w)| w.as_str()).collect();
            for k in 0..astr.len().min(2) {
                if let Some((n, _)) = verb_at(&astr[k..]) {
                    return Some((e, astr[k..k + n].join(" ")));
                }
            }
        }
        return None;
    }
    // "…," the researcher said
    for k in 1..ws.len().min(4) {
        if let Some((n, _)) = verb_at(&wstr[k..]) {
            return role_holder(doc, wstr[k - 1]).map(|e| (e, wstr[k..k + n].join(" ")));
        }
    }
    None
}

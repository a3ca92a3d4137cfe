//! A sentence as the coder sees it: its words (lower case, with the punctuation before each),
//! and the actors named in it.

use newsgraph_doc::{Document, Span};

/// The strongest punctuation between a word and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Break {
    None,
    /// Quotation marks, brackets, dashes.
    Soft,
    Comma,
    /// A dash between words, which sets off a dateline or an aside like a comma ("HOUSTON - A
    /// shooting …").
    Dash,
    /// Semicolon or colon.
    Hard,
}

#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub span: Span,
    pub lower: String,
    pub cap: bool,
    pub brk: Break,
    /// Comes right after a possessive "'s" ("Russia's invasion").
    pub after_possessive: bool,
}

pub(crate) fn words(doc: &Document, s: Span) -> Vec<Word> {
    let lo = doc.tokens.partition_point(|t| t.start < s.start);
    let hi = doc.tokens.partition_point(|t| t.start < s.end);
    let mut out: Vec<Word> = Vec::new();
    let mut brk = Break::None;
    let mut possessive = false;
    let mut pending_comma: Option<usize> = None;
    for t in &doc.tokens[lo..hi] {
        let text = &doc.text[t.start..t.end];
        let Some(c) = text.chars().next() else { continue };
        // "4,000" is one number, not two words and a comma
        if let (Some(at), Some(prev)) = (pending_comma.take(), out.last_mut()) {
            let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
            if at == prev.span.end
                && t.start == at + 1
                && digits(&prev.lower.replace(',', ""))
                && text.len() == 3
                && digits(text)
            {
                prev.span.end = t.end;
                prev.lower.push(',');
                prev.lower.push_str(text);
                brk = Break::None;
                continue;
            }
        }
        if c.is_alphanumeric() {
            out.push(Word {
                span: *t,
                lower: text.to_lowercase(),
                cap: c.is_uppercase(),
                brk,
                after_possessive: possessive,
            });
            brk = Break::None;
            possessive = false;
            continue;
        }
        // the possessive "'s" is part of the noun phrase, not punctuation
        if text.len() > 1 && text[c.len_utf8()..].eq_ignore_ascii_case("s") {
            possessive = true;
            continue;
        }
        possessive = false;
        let b = match c {
            ';' | ':' => Break::Hard,
            c if crate::text::is_dash(c) => Break::Dash,
            ',' => {
                pending_comma = Some(t.start);
                Break::Comma
            }
            _ => Break::Soft,
        };
        brk = brk.max(b);
    }
    out
}

/// Who a candidate names: an entity of the document, or a country the entity layer did not
/// tag (a demonym such as "Vietnamese-led"), by ISO 3166-1 alpha-3 code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Who {
    Entity(usize),
    Country(String),
}

/// A name in the sentence that can be an actor or a target, by word index (inclusive).
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    pub first: usize,
    pub last: usize,
    pub span: Span,
    pub who: Who,
}

/// The sentence's entity mentions, and country names or demonyms left untagged, in order.
pub(crate) fn candidates(doc: &Document, s: Span, words: &[Word]) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    for (i, e) in doc.entities.iter().enumerate() {
        for &m in &e.mentions {
            if !s.contains(m) {
                continue;
            }
            let first = words.partition_point(|w| w.span.end <= m.start);
            let end = words.partition_point(|w| w.span.start < m.end);
            if first < end {
                out.push(Cand { first, last: end - 1, span: m, who: Who::Entity(i) });
            }
        }
    }
    let kb = crate::knowledge::Knowledge::get();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if !w.cap || out.iter().any(|c| c.first <= i && i <= c.last) {
            i += 1;
            continue;
        }
        // the longest run of capitalised words that names a country ("South Sudanese" is not
        // "Sudanese"); "Vietnamese-led forces", "US-led war"
        let run = (i..words.len().min(i + 3))
            .take_while(|&j| words[j].cap && (j == i || words[j].brk == Break::None))
            .take_while(|&j| !out.iter().any(|c| c.first <= j && j <= c.last))
            .count();
        let hit = (1..=run).rev().find_map(|n| {
            let span = Span::new(w.span.start, words[i + n - 1].span.end);
            let text = &doc.text[span.start..span.end];
            let name = text.strip_suffix("-led").unwrap_or(text);
            let hits = kb.lookup(&crate::text::fold(name));
            let usable = |h: &&crate::knowledge::Hit| {
                h.relation != crate::knowledge::Relation::Capital
                    && (!h.case_sensitive || crate::text::is_all_caps(name))
            };
            if let Some(h) = hits.iter().filter(usable).find(|h| h.entry.is_country()) {
                return Some((n, span, h.entry.code.clone()));
            }
            // a longer name of some other place ("West Bank") is no country, nor is a word of it
            (n > 1 && hits.iter().filter(usable).any(|h| h.entry.kind == newsgraph_doc::EntityType::Place))
                .then_some((n, span, None))
        });
        match hit {
            Some((n, span, Some(code))) => {
                out.push(Cand { first: i, last: i + n - 1, span, who: Who::Country(code) });
                i += n;
            }
            Some((n, _, None)) => i += n,
            None => i += 1,
        }
    }
    out.sort_by_key(|c| (c.first, std::cmp::Reverse(c.last)));
    // a mention inside a longer one ("Russia" in "Russia's Foreign Ministry" tagged twice) is
    // kept only as the longer one
    let mut kept: Vec<Cand> = Vec::new();
    for c in out {
        if kept.last().is_some_and(|k| c.first >= k.first && c.last <= k.last) {
            continue;
        }
        kept.push(c);
    }
    kept
}

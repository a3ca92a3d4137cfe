//! What each article claims, kept small enough for a million articles: the events it reports,
//! the quotations it carries and the amounts it gives, each as a few hashes and a short label,
//! and the dated items of its timeline.
//!
//! Two sources make the same claim when the hashes agree:
//! - an event: the same PLOVER type, actor and target (entity ids, the same in every article);
//!   its date, when the sentence gives one, is the claim's value;
//! - a quotation: the same speaker, and the same content word of least hash among the quoted
//!   words (a MinHash of one), which two quotations of mostly the same words share with a
//!   probability equal to their word overlap, however each source trimmed the ends;
//! - an amount: the same unit and the same value. Two amounts are about the same thing when
//!   they share the unit and a context word (the nearest content word before or after each in
//!   its sentence, crudely stemmed: "killing 10 people", "10 people were killed"); the same
//!   thing with another value is a different number for it: a disagreement.

use crate::hash::FastMap;
use crate::text::{for_each_word, is_stopword};
use newsgraph_doc::{Document, Entity, Modality, Span};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// Claims kept per article, by kind; the first in the text are kept.
pub(crate) const MAX_EVENTS: usize = 4;
pub(crate) const MAX_QUOTES: usize = 4;
pub(crate) const MAX_AMOUNTS: usize = 6;
/// Dated items (mentioned dates, dated events) kept per article for its story's timeline.
pub(crate) const MAX_DATED: usize = 4;
/// Longest label, in characters.
const MAX_LABEL: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Kind {
    Event,
    Quote,
    Amount,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Event => "event",
            Kind::Quote => "quote",
            Kind::Amount => "amount",
        }
    }
}

/// One claim of one article: 32 bytes and a shared label.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct Claim {
    pub kind: Kind,
    /// An amount given as approximate ("about 40") disagrees with nothing.
    pub approx: bool,
    /// What the claim is about (see the module comment).
    pub key: u32,
    /// For an amount, its other context word (0 when none); two amounts are about the same
    /// thing when they share the unit and one context word.
    pub alt: u32,
    /// For an amount, its unit: two sources report the same amount when unit and value agree,
    /// whatever words surround it.
    pub unit: u32,
    /// An event's date ([`pack_date`], 0 when none); an amount's value as `f64` bits.
    pub value: u64,
    /// What to show: the event, the quotation's speaker and first words, the amount's unit and
    /// context ([`Labels`]).
    pub label: u32,
}

/// A date named in the article (or the date of an event it reports), for the timeline.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct Dated {
    pub date: u32,
    /// True for a dated event, false for a date the text names.
    pub event: bool,
    pub label: u32,
}

/// Labels, stored once however many articles share them, in one string. Saved as the string
/// and the ends; the index is rebuilt on loading.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(from = "LabelsState")]
pub(crate) struct Labels {
    text: String,
    ends: Vec<u32>,
    #[serde(skip)]
    index: FastMap<u64, u32>,
}

#[derive(Deserialize)]
struct LabelsState {
    text: String,
    ends: Vec<u32>,
}

impl From<LabelsState> for Labels {
    fn from(state: LabelsState) -> Self {
        let mut labels =
            Labels { text: state.text, ends: Vec::with_capacity(state.ends.len()), index: FastMap::default() };
        let mut start = 0usize;
        for end in state.ends {
            // A state not written by save_state may hold any numbers; such a label is empty.
            let mut end = (end as usize).clamp(start, labels.text.len());
            if !labels.text.is_char_boundary(end) {
                end = start;
            }
            let label = labels.text.get(start..end).unwrap_or("");
            labels.index.entry(xxh3_64(label.as_bytes())).or_insert(labels.ends.len() as u32);
            labels.ends.push(end as u32);
            start = end;
        }
        labels
    }
}

impl Labels {
    pub fn intern(&mut self, s: &str) -> u32 {
        let h = xxh3_64(s.as_bytes());
        if let Some(&id) = self.index.get(&h) {
            return id;
        }
        let id = self.ends.len() as u32;
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        self.index.insert(h, id);
        id
    }

    pub fn contains(&self, id: u32) -> bool {
        (id as usize) < self.ends.len()
    }

    pub fn get(&self, id: u32) -> &str {
        let end = self.ends[id as usize] as usize;
        let start = if id == 0 { 0 } else { self.ends[id as usize - 1] as usize };
        &self.text[start..end]
    }
}

/// `2014-06-21` as 20140621, `2014-06` as 20140600, `2014` as 20140000; 0 when not a date.
pub(crate) fn pack_date(iso: &str) -> u32 {
    let b = iso.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = b.get(from..from + len)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, d| n * 10 + (d - b'0') as u32))
    };
    let Some(y) = num(0, 4) else { return 0 };
    let m = if b.get(4) == Some(&b'-') { num(5, 2).unwrap_or(0) } else { 0 };
    let d = if m > 0 && b.get(7) == Some(&b'-') { num(8, 2).unwrap_or(0) } else { 0 };
    y * 10_000 + m.min(12) * 100 + d.min(31)
}

/// The ISO 8601 prefix of a packed date.
pub(crate) fn unpack_date(p: u32) -> String {
    let (y, m, d) = (p / 10_000, p / 100 % 100, p % 100);
    match (m, d) {
        (0, _) => format!("{y:04}"),
        (_, 0) => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    }
}

fn clip(s: &str, n: usize) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        let cut: String = s.chars().take(n - 1).collect();
        // End on a word boundary when there is one reasonably close.
        let cut = match cut.rfind(' ') {
            Some(k) if k > n / 2 => cut[..k].to_string(),
            _ => cut,
        };
        format!("{cut}…")
    }
}

/// A stem good enough to let "killed", "killing" and "kills" meet.
fn stem(w: &str) -> &str {
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(s) = w.strip_suffix(suffix) {
            if s.chars().count() >= 3 {
                return s;
            }
        }
    }
    w
}

/// Words that qualify an amount rather than say what it counts.
fn is_qualifier(w: &str) -> bool {
    matches!(w, "least" | "most" | "nearly" | "almost" | "around" | "approximately" | "roughly" | "some" | "than")
}

/// Content words of `text` as (byte start, byte end, lowercased word).
fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, i, text[s..i].to_lowercase()));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), text[s..].to_lowercase()));
    }
    out
}

/// The sentence around `span`: the document's own sentences when it has them, else up to the
/// nearest sentence end or line break on each side.
fn sentence(doc: &Document, span: Span) -> Span {
    if let Some(s) = doc.sentence_at(span.start) {
        return Span::new(s.start, s.end.max(span.end).min(doc.text.len()));
    }
    let t = &doc.text;
    let start = t[..span.start].rfind(['\n', '.', '!', '?']).map_or(0, |k| k + 1);
    let end = t[span.end..].find(['\n', '.', '!', '?']).map_or(t.len(), |k| span.end + k);
    Span::new(start, end)
}

/// What an article claims, and its dated items, with their labels interned in `labels`.
pub(crate) fn extract(doc: &Document, labels: &mut Labels) -> (Box<[Claim]>, Box<[Dated]>) {
    let mut claims: Vec<Claim> = Vec::new();
    let mut dated: Vec<Dated> = Vec::new();
    let name = |i: Option<usize>| i.and_then(|i| doc.entities.get(i));

    let mut events = 0;
    for e in &doc.events {
        if events == MAX_EVENTS {
            break;
        }
        // A claim is what a source says happened, not what it says might or did not.
        if e.modality != Modality::Asserted || (e.actor.is_none() && e.target.is_none()) {
            continue;
        }
        let (actor, target) = (name(e.actor), name(e.target));
        let id = |x: Option<&Entity>| x.map_or(String::new(), |x| x.id.clone());
        let key = xxh3_64(format!("{}|{}|{}", e.kind, id(actor), id(target)).as_bytes()) as u32;
        let who = |x: Option<&Entity>| x.map_or("?".to_string(), |x| x.name.clone());
        let label = labels.intern(&clip(&format!("{} {} → {}", e.kind, who(actor), who(target)), MAX_LABEL));
        let date = e.date.as_deref().map_or(0, pack_date);
        if claims.iter().any(|c| c.kind == Kind::Event && c.key == key && c.value == date as u64) {
            continue;
        }
        claims.push(Claim { kind: Kind::Event, approx: false, key, alt: 0, unit: 0, value: date as u64, label });
        events += 1;
        if date != 0 && dated.len() < MAX_DATED && !dated.iter().any(|d| d.date == date) {
            dated.push(Dated { date, event: true, label });
        }
    }

    let mut quotes = 0;
    for q in &doc.quotes {
        if quotes == MAX_QUOTES {
            break;
        }
        let said = doc.slice(q.span);
        let mut gist: Option<(u64, String)> = None;
        for_each_word(said, |w| {
            if w.chars().count() >= 3 && !is_stopword(w) {
                let h = xxh3_64(w.as_bytes());
                if gist.as_ref().is_none_or(|(g, _)| h < *g) {
                    gist = Some((h, w.to_string()));
                }
            }
        });
        let Some((gist, _)) = gist else { continue };
        let speaker = name(q.speaker);
        let key = xxh3_64(format!("{}|{gist:x}", speaker.map_or("", |s| s.id.as_str())).as_bytes()) as u32;
        if claims.iter().any(|c| c.kind == Kind::Quote && c.key == key) {
            continue;
        }
        let who = speaker.map_or("unattributed", |s| s.name.as_str());
        let label = labels.intern(&clip(&format!("{who}: “{}”", said.trim()), MAX_LABEL));
        claims.push(Claim { kind: Kind::Quote, approx: false, key, alt: 0, unit: 0, value: 0, label });
        quotes += 1;
    }

    let mut amounts = 0;
    for a in &doc.amounts {
        if amounts == MAX_AMOUNTS {
            break;
        }
        let unit = a.unit.as_deref().unwrap_or("");
        let sent = sentence(doc, a.span);
        let ws = words(&doc.text[sent.start..sent.end]);
        let unit_words: Vec<String> = words(unit).into_iter().map(|w| w.2).collect();
        let usable = |w: &str| {
            w.chars().count() >= 3
                && w.chars().all(char::is_alphabetic)
                && !is_stopword(w)
                && !is_qualifier(w)
                && !unit_words.iter().any(|u| stem(u) == stem(w))
        };
        let (from, to) = (a.span.start - sent.start, a.span.end - sent.start);
        let before = ws.iter().rev().filter(|w| w.1 <= from).take(4).find(|w| usable(&w.2));
        let after = ws.iter().filter(|w| w.0 >= to).take(4).find(|w| usable(&w.2));
        let words: Vec<&str> = [after, before].into_iter().flatten().map(|w| w.2.as_str()).collect();
        let context: Vec<&str> = words.iter().map(|w| stem(w)).collect();
        let key_of = |c: &str| xxh3_64(format!("{unit}|{c}").as_bytes()) as u32;
        let (key, alt) = match context.as_slice() {
            [] => (key_of(""), 0),
            [one] => (key_of(one), 0),
            [one, two, ..] => (key_of(one), key_of(two)),
        };
        let value = a.value;
        if claims.iter().any(|c| c.kind == Kind::Amount && c.key == key && c.value == value.to_bits()) {
            continue;
        }
        let what = match words.as_slice() {
            [] => unit.to_string(),
            [w] => format!("{unit} ({w})"),
            [w, v, ..] => format!("{unit} ({v} … {w})"),
        };
        let label = labels.intern(&clip(what.trim(), MAX_LABEL));
        let unit = xxh3_64(unit.as_bytes()) as u32;
        let approx = a.approx.is_some();
        claims.push(Claim { kind: Kind::Amount, approx, key, alt, unit, value: value.to_bits(), label });
        amounts += 1;
    }

    for d in &doc.dates {
        if dated.len() == MAX_DATED {
            break;
        }
        let Some(date) = d.value.as_deref().map(pack_date).filter(|&p| p % 10_000 != 0) else { continue };
        if dated.iter().any(|x| x.date == date) {
            continue;
        }
        let sent = sentence(doc, d.span);
        let label = labels.intern(&around(&doc.text[sent.start..sent.end], d.span.start - sent.start));
        dated.push(Dated { date, event: false, label });
    }
    (claims.into(), dated.into())
}

/// A window of the sentence around byte offset `at`, on word boundaries.
fn around(sentence: &str, at: usize) -> String {
    let s = sentence.trim();
    if s.chars().count() <= MAX_LABEL {
        return clip(s, MAX_LABEL);
    }
    let lead = sentence.len() - sentence.trim_start().len();
    let at = at.saturating_sub(lead).min(s.len());
    let mut start = at.saturating_sub(MAX_LABEL / 3 * 2);
    while !s.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = s[start..].find(' ').map_or(start, |k| start + k + 1);
    }
    let text = clip(&s[start.min(at)..], MAX_LABEL);
    if start > 0 {
        format!("…{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_pack_and_unpack() {
        assert_eq!(pack_date("2014-06-21"), 20_140_621);
        assert_eq!(pack_date("2014-06"), 20_140_600);
        assert_eq!(pack_date("2014"), 20_140_000);
        assert_eq!(pack_date("June"), 0);
        for d in ["2014-06-21", "2014-06", "2014"] {
            assert_eq!(unpack_date(pack_date(d)), d);
        }
    }

    #[test]
    fn labels_are_stored_once() {
        let mut l = Labels::default();
        let a = l.intern("ASSAULT gunman → police");
        let b = l.intern("Paul Henshaw: “crews fought the flames”");
        assert_eq!(l.intern("ASSAULT gunman → police"), a);
        assert_eq!(l.get(a), "ASSAULT gunman → police");
        assert_eq!(l.get(b), "Paul Henshaw: “crews fought the flames”");
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("killed"), stem("killing"));
        assert_eq!(stem("kills"), "kill");
        assert_eq!(stem("dead"), "dead");
    }
}

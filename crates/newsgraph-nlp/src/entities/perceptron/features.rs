//! Observation features of a sentence's tokens, as 64-bit hashes.
//!
//! The same function serves training and tagging, so the model sees at run time exactly the
//! features it was trained on. Feature strings are never built: each feature is a template id
//! and its parts fed through a small hash, which keeps extraction cheap (it runs on every token
//! of every article).

use super::super::cues::Cues;
use super::super::Candidate;
use crate::knowledge::{Knowledge, Relation};
use crate::text::fold;
use newsgraph_doc::{EntityType, Span};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

/// A feature under construction: FNV-1a over a template id and its parts, with a separator
/// between parts so that ("ab", "c") and ("a", "bc") differ.
#[derive(Clone, Copy)]
struct H(u64);

impl H {
    fn new(template: u8) -> H {
        H((0xcbf2_9ce4_8422_2325u64 ^ template as u64).wrapping_mul(0x0100_0000_01b3))
    }
    fn bytes(mut self, s: &[u8]) -> H {
        for &b in s {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = (self.0 ^ 0xff).wrapping_mul(0x0100_0000_01b3);
        self
    }
    fn s(self, s: &str) -> H {
        self.bytes(s.as_bytes())
    }
    fn b(self, b: u8) -> H {
        self.bytes(&[b])
    }
    /// FNV alone mixes the last bytes poorly into the high bits; the table probes use the low
    /// bits and the file stores all 64, so finish with a full avalanche (splitmix64).
    fn done(self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        // 0 marks an empty slot in the model's table
        z.max(1)
    }
}

// Template ids. Changing one changes every hash: retrain after any change here.
const BIAS: u8 = 1;
const WORD: u8 = 2;
const LOWER: u8 = 3;
const SHAPE: u8 = 4;
const PREFIX: u8 = 5;
const SUFFIX: u8 = 6;
const LOWER_AT: u8 = 7;
const SHAPE_AT: u8 = 8;
const BIGRAM_PREV: u8 = 9;
const BIGRAM_NEXT: u8 = 10;
const SHAPE_TRI: u8 = 11;
const FIRST: u8 = 12;
const CASING: u8 = 13;
const COMMON: u8 = 14;
const GIVEN: u8 = 15;
const CUE: u8 = 16;
const CUE_AT: u8 = 17;
const GAZ: u8 = 18;
const GAZ_AT: u8 = 19;
const GAZ_SHAPE: u8 = 20;
const LENGTH: u8 = 21;
const NEWLINE: u8 = 22;
const SHAPE_WORD_PREV: u8 = 23;
const RUN: u8 = 24;
const RUN_EDGE: u8 = 25;
const RULE: u8 = 26;
const RULE_AT: u8 = 27;
const UNKNOWN: u8 = 28;

/// The key under which a word's own features are stored: the model knows a word when it holds
/// this key.
pub fn word_key(lower: &str) -> u64 {
    H::new(LOWER).s(lower).done()
}

/// The lower-case form of a token, as the features see it.
pub fn lower_form(token: &str) -> String {
    lower(token)
}

/// Longest name, in words, looked up in the knowledge tables: longer ones are rare and each
/// extra word is one more lookup per token.
const MAX_GAZ_WORDS: usize = 4;

/// What the sentence's capitals say: a lower-case web post, a shouted line or a title-case
/// headline give capital letters a different meaning than ordinary prose does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Casing {
    Normal,
    Lower,
    Caps,
    Title,
}

struct Tok<'a> {
    text: &'a str,
    lower: String,
    shape: String,
    cap: bool,
    word: bool,
    nl_before: bool,
    /// Gazetteer categories covering this token, with B (first word) or I.
    gaz: Vec<(u8, &'static str)>,
    cue: u8,
}

/// Cue words of `entity_cues.tsv` as bit flags, single words only.
const CUE_TITLE: u8 = 1;
const CUE_ORG_HEAD: u8 = 2;
const CUE_PLACE_FIRST: u8 = 4;
const CUE_PLACE_LAST: u8 = 8;
const CUE_NOT_NAME: u8 = 16;

struct CueWords {
    title: HashSet<String>,
}

fn cue_words() -> &'static CueWords {
    static C: OnceLock<CueWords> = OnceLock::new();
    C.get_or_init(|| {
        let cues = Cues::get();
        // every word of a title: "secretary", "general", "prime", "minister" ...
        // ("of" in "secretary of state" is no title word)
        let title = cues
            .titles
            .iter()
            .flatten()
            .filter(|w| w.len() > 2 && !matches!(w.as_str(), "the" | "and" | "for"))
            .cloned()
            .collect();
        CueWords { title }
    })
}

/// A word of a title of `entity_cues.tsv` ("minister", "general"), without its full stop.
pub fn is_title_word(bare: &str) -> bool {
    cue_words().title.contains(bare)
}

fn cue_flags(lower: &str) -> u8 {
    let cues = Cues::get();
    let mut f = 0;
    let bare = lower.trim_end_matches('.');
    if cue_words().title.contains(bare) {
        f |= CUE_TITLE;
    }
    if cues.org_heads.contains(lower) {
        f |= CUE_ORG_HEAD;
    }
    if cues.place_first.contains(bare) {
        f |= CUE_PLACE_FIRST;
    }
    if cues.place_last.contains(lower) {
        f |= CUE_PLACE_LAST;
    }
    if cues.not_name.contains(lower) {
        f |= CUE_NOT_NAME;
    }
    f
}

/// Word shape with runs collapsed: "Putin" → "Xx", "NATO" → "X", "U.S." → "X.X.", "2022" → "d",
/// "Covid-19" → "Xx-d". Long shapes are cut: their tail says nothing more.
fn shape(s: &str) -> String {
    let mut out = String::with_capacity(8);
    let mut last = '\0';
    for c in s.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c.is_alphabetic() {
            // letters without case (CJK, Arabic)
            'a'
        } else {
            c
        };
        if k != last {
            out.push(k);
            last = k;
            if out.len() >= 8 {
                break;
            }
        }
    }
    out
}

fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// [`fold`] for one token, with a fast path for plain ASCII, where Unicode decomposition
/// changes nothing.
fn fold_word<'a>(s: &str, lower: &'a str) -> Cow<'a, str> {
    if !s.is_ascii() || s.contains(['-', '`']) {
        return Cow::Owned(fold(s));
    }
    Cow::Borrowed(lower)
}

/// The knowledge tables' category of a hit, as the model sees it.
fn category(h: &crate::knowledge::Hit) -> &'static str {
    match h.relation {
        Relation::Demonym => return "demonym",
        Relation::Capital => return "capital",
        _ => {}
    }
    match h.entry.kind {
        EntityType::Person => "person",
        EntityType::Org => "org",
        EntityType::Place => match h.entry.subtype.as_str() {
            "country" => "country",
            "city" => "city",
            "region" => "region",
            _ => "landmark",
        },
    }
}

fn casing(toks: &[Tok]) -> Casing {
    let words: Vec<&Tok> = toks.iter().filter(|t| t.word).collect();
    if words.len() < 3 {
        return Casing::Normal;
    }
    let caps = words.iter().filter(|t| t.text.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase())).count();
    if caps * 10 >= words.len() * 8 {
        return Casing::Caps;
    }
    // capitals after the first word
    let rest = &words[1..];
    let capped = rest.iter().filter(|t| t.cap).count();
    if capped == 0 {
        return Casing::Lower;
    }
    let long: Vec<&&Tok> = words.iter().filter(|t| t.text.chars().count() > 3).collect();
    if long.len() >= 3 && long.iter().filter(|t| t.cap).count() * 10 >= long.len() * 8 {
        return Casing::Title;
    }
    Casing::Normal
}

/// Marks every token covered by a name the knowledge tables hold (the longest match from each
/// word; overlapping matches all count).
fn gazetteer(toks: &mut [Tok]) {
    let kb = Knowledge::get();
    let folded: Vec<Cow<str>> =
        toks.iter().map(|t| if t.word { fold_word(t.text, &t.lower) } else { Cow::Borrowed("") }).collect();
    let max = kb.max_words().min(MAX_GAZ_WORDS);
    let mut key = String::with_capacity(64);
    let mut matches: Vec<(usize, usize, Vec<&'static str>)> = Vec::new();
    for i in 0..toks.len() {
        if !toks[i].word {
            continue;
        }
        key.clear();
        let mut best: Option<(usize, String)> = None;
        let mut words = 0;
        for j in i..toks.len() {
            let t = &toks[j];
            if j > i && t.nl_before {
                break;
            }
            if t.text == "'s" || t.text == "\u{2019}s" {
                key.push_str("'s");
            } else if t.word {
                if !key.is_empty() {
                    key.push(' ');
                }
                key.push_str(&folded[j]);
                words += 1;
            } else {
                break;
            }
            if t.word && kb.contains(&key) {
                best = Some((j + 1, key.clone()));
            }
            if words >= max {
                break;
            }
        }
        let Some((end, key)) = best else { continue };
        let all_caps = toks[i..end].iter().filter(|t| t.word).all(|t| t.text.chars().all(|c| !c.is_lowercase()));
        let mut cats: Vec<&'static str> = Vec::new();
        for h in kb.lookup(&key) {
            // "WHO", "US": only in capitals
            if h.case_sensitive && !all_caps {
                continue;
            }
            let c = category(&h);
            if !cats.contains(&c) {
                cats.push(c);
            }
        }
        matches.push((i, end, cats));
    }
    drop(folded);
    for (i, end, cats) in matches {
        for (k, t) in toks[i..end].iter_mut().enumerate() {
            for &c in &cats {
                let pos = if k == 0 { b'B' } else { b'I' };
                if !t.gaz.contains(&(pos, c)) {
                    t.gaz.push((pos, c));
                }
            }
        }
    }
}

/// Appends the features of every token of one sentence to `out`; `offsets` gets one entry per
/// token plus one, the features of token `i` being `out[offsets[i]..offsets[i + 1]]`.
/// `tokens` are the sentence's tokens (byte spans into `text`).
/// What the rule recogniser said about each token, as one byte: 0 for nothing, else the
/// candidate's type (untyped, person, organisation, place) and position (first word or not),
/// with flags for a name the knowledge tables know, a demonym, and a role before it.
pub fn rule_codes(cands: &[Candidate], tokens: &[Span]) -> Vec<u8> {
    let mut out = vec![0u8; tokens.len()];
    for c in cands {
        let kind = match c.kind {
            None => 0,
            Some(EntityType::Person) => 1,
            Some(EntityType::Org) => 2,
            Some(EntityType::Place) => 3,
        };
        let flags = (c.known.is_some() as u8) << 4 | (c.demonym as u8) << 5 | (c.role.is_some() as u8) << 6;
        let a = tokens.partition_point(|t| t.start < c.span.start);
        let b = tokens.partition_point(|t| t.start < c.span.end);
        for (k, o) in out.iter_mut().enumerate().take(b).skip(a) {
            *o = (1 + kind * 2 + (k > a) as u8) | flags;
        }
    }
    out
}

/// `known` tells whether the model knows a word (by its [`word_key`]): an unknown word has no
/// features of its own but stands for every unknown word, which is how the model learns to
/// tag a name it has never seen. In training, words seen once are unknown.
pub fn extract(
    text: &str,
    tokens: &[Span],
    headline: bool,
    rules: &[u8],
    known: &mut dyn FnMut(u64) -> bool,
    out: &mut Vec<u64>,
    offsets: &mut Vec<u32>,
) {
    let mut prev_end = tokens.first().map_or(0, |t| t.start);
    let mut toks: Vec<Tok> = tokens
        .iter()
        .map(|s| {
            let t = &text[s.start..s.end];
            let nl_before = text[prev_end.min(s.start)..s.start].contains('\n');
            prev_end = s.end;
            let word = t.chars().next().is_some_and(|c| c.is_alphanumeric());
            let cap = t.chars().next().is_some_and(|c| c.is_uppercase());
            let lower = lower(t);
            let cue = if word { cue_flags(&lower) } else { 0 };
            Tok { text: t, shape: shape(t), lower, cap, word, nl_before, gaz: Vec::new(), cue }
        })
        .collect();
    gazetteer(&mut toks);
    let mut casing = casing(&toks);
    if headline && casing == Casing::Normal {
        casing = Casing::Title;
    }
    let cues = Cues::get();
    let given = &cues.given;
    let n = toks.len();
    let empty = Tok {
        text: "",
        lower: String::new(),
        shape: String::new(),
        cap: false,
        word: false,
        nl_before: false,
        gaz: Vec::new(),
        cue: 0,
    };
    let unknown: Vec<bool> = toks.iter().map(|t| t.word && !known(word_key(&t.lower))).collect();
    let at = |i: isize| -> &Tok {
        if i < 0 || i >= n as isize {
            &empty
        } else {
            &toks[i as usize]
        }
    };
    // the boundaries of the sentence are words of their own for the context features
    let word_at = |i: isize| -> &str {
        if i < 0 {
            "<s>"
        } else if i >= n as isize {
            "</s>"
        } else if unknown[i as usize] {
            "<unk>"
        } else {
            &toks[i as usize].lower
        }
    };
    let case_b = casing as u8;
    // runs of capitalised words (with joiners inside): a name's extent and its head word are
    // properties of the run, not of one token
    let runs = cap_runs(&toks);
    if offsets.is_empty() {
        offsets.push(out.len() as u32);
    }
    for i in 0..n {
        let t = &toks[i];
        let ii = i as isize;
        out.push(H::new(BIAS).done());
        if unknown[i] {
            out.push(H::new(UNKNOWN).s(&t.shape).b(case_b).done());
            out.push(H::new(UNKNOWN).s(&t.shape).s(word_at(ii - 1)).done());
            out.push(H::new(UNKNOWN).s(&t.shape).b(1).s(word_at(ii + 1)).done());
        } else {
            out.push(H::new(WORD).s(t.text).done());
            out.push(H::new(LOWER).s(&t.lower).done());
        }
        out.push(H::new(SHAPE).s(&t.shape).done());
        let len = t.lower.chars().count();
        for (p, c) in t.lower.char_indices().take(4) {
            out.push(H::new(PREFIX).s(&t.lower[..p + c.len_utf8()]).done());
        }
        for (s, _) in t.lower.char_indices().rev().take(4) {
            out.push(H::new(SUFFIX).s(&t.lower[s..]).done());
        }
        out.push(H::new(LENGTH).b(len.min(12) as u8).b(t.cap as u8).done());
        for d in [-2isize, -1, 1, 2] {
            out.push(H::new(LOWER_AT).b(d as u8).s(word_at(ii + d)).done());
            out.push(H::new(SHAPE_AT).b(d as u8).s(&at(ii + d).shape).done());
        }
        out.push(H::new(BIGRAM_PREV).s(word_at(ii - 1)).s(word_at(ii)).done());
        out.push(H::new(BIGRAM_NEXT).s(word_at(ii)).s(word_at(ii + 1)).done());
        out.push(H::new(SHAPE_TRI).s(&at(ii - 1).shape).s(&t.shape).s(&at(ii + 1).shape).done());
        out.push(H::new(SHAPE_WORD_PREV).s(word_at(ii - 1)).s(&t.shape).done());
        let first = i == 0
            || (!at(ii - 1).word
                && matches!(at(ii - 1).text, "\"" | "\u{201c}" | ":" | "(" | "-" | "\u{2013}" | "\u{2014}"));
        out.push(H::new(FIRST).b(first as u8).s(&t.shape).done());
        out.push(H::new(CASING).b(case_b).s(&t.shape).b(first as u8).done());
        if t.word {
            let common = cues.is_common(&t.lower);
            out.push(H::new(COMMON).b(common as u8).b(t.cap as u8).b(first as u8).b(case_b).done());
            if given.contains(&t.lower) {
                out.push(H::new(GIVEN).b(t.cap as u8).done());
            }
        }
        if t.nl_before {
            out.push(H::new(NEWLINE).done());
        }
        if t.cue != 0 {
            out.push(H::new(CUE).b(t.cue).b(t.cap as u8).done());
        }
        for d in [-1isize, 1] {
            let c = at(ii + d).cue;
            if c != 0 {
                out.push(H::new(CUE_AT).b(d as u8).b(c).b(t.cap as u8).done());
            }
        }
        let rule = |k: isize| if k < 0 { 0 } else { rules.get(k as usize).copied().unwrap_or(0) };
        if rule(ii) != 0 {
            out.push(H::new(RULE).b(rule(ii)).done());
            out.push(H::new(RULE).b(rule(ii)).s(&t.shape).b(case_b).done());
        }
        for d in [-1isize, 1] {
            if rule(ii + d) != 0 {
                out.push(H::new(RULE_AT).b(d as u8).b(rule(ii + d)).b(rule(ii)).done());
            }
        }
        if let Some((a, b)) = runs[i] {
            let len = (b - a).min(6) as u8;
            let pos = if i == a {
                b'B'
            } else if i + 1 == b {
                b'L'
            } else {
                b'I'
            };
            out.push(H::new(RUN).b(len).b(pos).done());
            // the run's last and first words: "… Institute" is an organisation wherever one stands
            out.push(H::new(RUN_EDGE).b(b'L').s(&toks[b - 1].lower).done());
            out.push(H::new(RUN_EDGE).b(b'F').s(&toks[a].lower).b(pos).done());
            out.push(H::new(RUN_EDGE).b(b'C').b(toks[b - 1].cue).b(toks[a].cue).b(pos).done());
        }
        for &(pos, cat) in &t.gaz {
            out.push(H::new(GAZ).b(pos).s(cat).done());
            out.push(H::new(GAZ_SHAPE).b(pos).s(cat).s(&t.shape).b(case_b).done());
        }
        for d in [-1isize, 1] {
            for &(pos, cat) in &at(ii + d).gaz {
                out.push(H::new(GAZ_AT).b(d as u8).b(pos).s(cat).done());
            }
        }
        offsets.push(out.len() as u32);
    }
}

/// Words that may stand inside a run of capitalised words ("Bank of England").
const RUN_JOINERS: &[&str] = &["of", "and", "for", "the", "de", "von", "van", "der", "al", "&", "'s", "\u{2019}s"];

/// For each token, the run of capitalised words it belongs to (token range), if any.
fn cap_runs(toks: &[Tok]) -> Vec<Option<(usize, usize)>> {
    let mut out = vec![None; toks.len()];
    let mut i = 0;
    while i < toks.len() {
        if !(toks[i].word && toks[i].cap) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        loop {
            if j < toks.len() && toks[j].word && toks[j].cap && !toks[j].nl_before {
                j += 1;
            } else if j + 1 < toks.len()
                && RUN_JOINERS.contains(&toks[j].lower.as_str())
                && toks[j + 1].word
                && toks[j + 1].cap
                && !toks[j + 1].nl_before
            {
                j += 2;
            } else {
                break;
            }
        }
        for o in out.iter_mut().take(j).skip(i) {
            *o = Some((i, j));
        }
        i = j;
    }
    out
}

/// Is there a line break between the two tokens? A name never runs over one.
pub fn line_break_between(text: &str, a: Span, b: Span) -> bool {
    a.end <= b.start && text[a.end..b.start].contains('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape("Putin"), "Xx");
        assert_eq!(shape("NATO"), "X");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("Covid-19"), "Xx-d");
        assert_eq!(shape("Andonović"), "Xx");
    }

    #[test]
    fn features_are_deterministic_and_per_token() {
        let text = "President Vladimir Putin visited North Korea's capital.";
        let toks = crate::segment::tokenize(text);
        let (mut a, mut oa, mut b, mut ob) = (vec![], vec![], vec![], vec![]);
        extract(text, &toks, false, &[], &mut |_| true, &mut a, &mut oa);
        extract(text, &toks, false, &[], &mut |_| true, &mut b, &mut ob);
        assert_eq!(a, b);
        assert_eq!(oa.len(), toks.len() + 1);
        assert!(a.iter().all(|&h| h != 0));
    }
}

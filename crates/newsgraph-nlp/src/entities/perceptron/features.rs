//! Observation features of a sentence's tokens, as 64-bit hashes.
//!
//! The same function serves training and tagging, so the model sees at run time exactly the
//! features it was trained on. Feature strings are never built: each feature is a template id
//! and its parts fed through a small hash, which keeps extraction cheap (it runs on every token
//! of every article).

use super::super::cues::{self, Cues};
use super::super::Candidate;
use crate::knowledge::{Knowledge, Relation};
use crate::text::fold;
use newsgraph_doc::{EntityType, Span};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{LazyLock, OnceLock};

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
    /// A part already hashed ([`part`]), or any number.
    fn u(mut self, x: u64) -> H {
        self.0 = (self.0 ^ x).wrapping_mul(0x0100_0000_01b3);
        self
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
const CENSUS_GIVEN: u8 = 29;
const SURNAME: u8 = 30;
const NAME_AT: u8 = 31;
const TOWN: u8 = 32;
const TOWN_AT: u8 = 33;
const COMPANY: u8 = 34;
const COMPANY_AT: u8 = 35;
const WORLD_NAME: u8 = 36;
const WORLD_NAME_AT: u8 = 37;

/// The key under which a word's own features are stored: the model knows a word when it holds
/// this key.
pub fn word_key(lower: &str) -> u64 {
    H::new(LOWER).s(lower).done()
}

/// The lower-case form of a token, as the features see it.
pub fn lower_form(token: &str) -> String {
    lower(token)
}

/// Longest town name, in words, looked up in the town list.
const MAX_TOWN_WORDS: usize = 3;

/// Longest run of capitalised words looked up in `companies.tsv` (the build script keeps no
/// longer name).
const MAX_COMPANY_WORDS: usize = 4;

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

/// What the features read of one word form: a pure function of its text, so the tagger works
/// it out once per distinct form and keeps it (see `cache.rs`).
#[derive(Debug, Clone)]
pub struct WordInfo {
    pub lower: String,
    /// [`fold`]ed for the knowledge tables; empty for punctuation.
    folded: String,
    cap: bool,
    word: bool,
    cue: u8,
    common: bool,
    given: bool,
    /// Frequency bands as a census given name and surname (0: not one).
    given_band: u8,
    surname_band: u8,
    /// Bits of a given name and surname in the name lists of many countries.
    world_name: u8,
    /// A town name may start with this word.
    town_start: bool,
    /// A company or brand name may start with this word.
    company_start: bool,
    /// `'s`: glued into a name the knowledge tables hold ("People's Liberation Army").
    possessive: bool,
    /// Punctuation after which a capital means no more than at a sentence's start.
    opener: bool,
    /// Inside a run of capitalised words ("Bank of England").
    joiner: bool,
    /// No lower-case letter ("WHO", "U.S.", "2022").
    no_lower: bool,
    /// Every letter a capital (and no letter at all counts).
    all_caps: bool,
    /// More than three characters.
    long: bool,
    /// A name the knowledge tables hold may start with this word.
    gaz_start: bool,
    text_h: u64,
    lower_h: u64,
    shape_h: u64,
    /// The key of the form's own features in the model ([`word_key`]).
    pub key: u64,
}

impl WordInfo {
    pub fn new(t: &str) -> WordInfo {
        let word = t.chars().next().is_some_and(|c| c.is_alphanumeric());
        let cap = t.chars().next().is_some_and(|c| c.is_uppercase());
        let lower = lower(t);
        let cue = if word { cue_flags(&lower) } else { 0 };
        let cues = Cues::get();
        let folded = if word { fold_word(t, &lower).into_owned() } else { String::new() };
        let gaz_start = word && cues::may_start_known_name(folded.split(' ').next().unwrap_or(""));
        let lists = cues::NameLists::get();
        WordInfo {
            given_band: if word { lists.given_band(&lower) } else { 0 },
            surname_band: if word { lists.surname_band(&lower) } else { 0 },
            world_name: if word { lists.world_name(&lower) } else { 0 },
            town_start: word && lists.may_start_town(folded.split(' ').next().unwrap_or("")),
            company_start: word && lists.may_start_company(folded.split(' ').next().unwrap_or("")),
            gaz_start,
            folded,
            cap,
            word,
            cue,
            common: word && cues.is_common(&lower),
            given: word && cues.given.contains(&lower),
            possessive: t == "'s" || t == "\u{2019}s",
            opener: !word && matches!(t, "\"" | "\u{201c}" | ":" | "(" | "-" | "\u{2013}" | "\u{2014}"),
            joiner: RUN_JOINERS.contains(&lower.as_str()),
            no_lower: t.chars().all(|c| !c.is_lowercase()),
            all_caps: t.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()),
            long: t.chars().count() > 3,
            text_h: part(t),
            lower_h: part(&lower),
            shape_h: part(&shape(t)),
            key: word_key(&lower),
            lower,
        }
    }

    /// A word, not punctuation.
    pub fn is_word(&self) -> bool {
        self.word
    }

    /// The form as the context features see it: itself, or the stand-in of every unknown word.
    fn word_part(&self, unknown: bool) -> u64 {
        if unknown {
            *UNK
        } else {
            self.lower_h
        }
    }
}

/// A string as one part of a feature: hashed once, mixed in as a number.
fn part(s: &str) -> u64 {
    H::new(0).s(s).0
}

static BOS: LazyLock<u64> = LazyLock::new(|| part("<s>"));
static EOS: LazyLock<u64> = LazyLock::new(|| part("</s>"));
static UNK: LazyLock<u64> = LazyLock::new(|| part("<unk>"));
static NO_SHAPE: LazyLock<u64> = LazyLock::new(|| part(""));

/// The offsets of the neighbour features, in the order of [`neighbour_features`]' callers.
pub const NEIGHBOURS: [isize; 4] = [-2, -1, 1, 2];

/// The features of a word on its own (its form, shape, affixes, cue words): the same wherever
/// it stands.
pub fn word_features(w: &WordInfo, unknown: bool, out: &mut Vec<u64>) {
    out.push(H::new(BIAS).done());
    if !unknown {
        out.push(H::new(WORD).u(w.text_h).done());
        out.push(w.key);
    }
    out.push(H::new(SHAPE).u(w.shape_h).done());
    let lower = w.lower.as_str();
    let len = lower.chars().count();
    for (p, c) in lower.char_indices().take(4) {
        out.push(H::new(PREFIX).s(&lower[..p + c.len_utf8()]).done());
    }
    for (s, _) in lower.char_indices().rev().take(4) {
        out.push(H::new(SUFFIX).s(&lower[s..]).done());
    }
    out.push(H::new(LENGTH).b(len.min(12) as u8).b(w.cap as u8).done());
    if w.given {
        out.push(H::new(GIVEN).b(w.cap as u8).done());
    }
    if w.cue != 0 {
        out.push(H::new(CUE).b(w.cue).b(w.cap as u8).done());
    }
    if w.given_band != 0 {
        out.push(H::new(CENSUS_GIVEN).b(w.given_band).b(w.cap as u8).done());
    }
    if w.surname_band != 0 {
        out.push(H::new(SURNAME).b(w.surname_band).b(w.cap as u8).done());
    }
    if w.world_name != 0 {
        // whether the census knows it too: the lists of other countries add the names it lacks
        let census = w.given_band != 0 || w.surname_band != 0;
        out.push(H::new(WORLD_NAME).b(w.world_name).b(w.cap as u8).b(census as u8).b(w.common as u8).done());
    }
    if w.given_band != 0 && w.surname_band != 0 {
        // "Brown", "Young", "James": either, and a common word too often
        out.push(H::new(SURNAME).b(w.given_band).b(w.surname_band).b(w.cap as u8).b(w.common as u8).done());
    }
}

/// The features a word gives the token `d` places from it (`w` None: the sentence's start or
/// end lies there).
pub fn neighbour_features(w: Option<(&WordInfo, bool)>, d: isize) -> [u64; 2] {
    let (word, shape) = match w {
        Some((w, unknown)) => (w.word_part(unknown), w.shape_h),
        None if d < 0 => (*BOS, *NO_SHAPE),
        None => (*EOS, *NO_SHAPE),
    };
    [H::new(LOWER_AT).b(d as u8).u(word).done(), H::new(SHAPE_AT).b(d as u8).u(shape).done()]
}

/// The casings of a sentence ([`Sentence::position`]).
pub const CASINGS: u8 = 4;

/// The features of a form at the start of a sentence or not (`first`), in a sentence of the
/// given casing: few combinations, so the tagger keeps all of them per form.
pub fn position_features(w: &WordInfo, first: bool, casing: u8, out: &mut Vec<u64>) {
    out.push(H::new(FIRST).b(first as u8).u(w.shape_h).done());
    out.push(H::new(CASING).b(casing).u(w.shape_h).b(first as u8).done());
    if w.word {
        out.push(H::new(COMMON).b(w.common as u8).b(w.cap as u8).b(first as u8).b(casing).done());
    }
}

/// One sentence's tokens as the context features see them.
pub struct Sentence<'w> {
    words: Vec<&'w WordInfo>,
    unknown: Vec<bool>,
    nl_before: Vec<bool>,
    /// Gazetteer categories covering each token, with B (first word) or I.
    gaz: Vec<Vec<(u8, &'static str)>>,
    /// Covered by a town name: 0 no, b'B' its first word, b'I' a later one.
    town: Vec<u8>,
    /// Covered by a company or brand name: 0 no, else [`company_mark`].
    company: Vec<u8>,
    rules: Vec<u8>,
    runs: Vec<Option<(usize, usize)>>,
    casing: u8,
}

impl<'w> Sentence<'w> {
    /// `tokens` are the sentence's tokens (byte spans into `text`), `words` their forms and
    /// `unknown` whether the model knows each; `rules` what the rule recogniser said of each
    /// token ([`rule_codes`]; empty for nothing).
    pub fn new(
        text: &str,
        tokens: &[Span],
        words: Vec<&'w WordInfo>,
        unknown: Vec<bool>,
        headline: bool,
        rules: &[u8],
    ) -> Sentence<'w> {
        let n = tokens.len();
        let mut nl_before = Vec::with_capacity(n);
        let mut prev_end = tokens.first().map_or(0, |t| t.start);
        for s in tokens {
            nl_before.push(text.as_bytes()[prev_end.min(s.start)..s.start].contains(&b'\n'));
            prev_end = s.end;
        }
        let mut casing = casing(&words);
        if headline && casing == Casing::Normal {
            casing = Casing::Title;
        }
        let mut rule = rules.to_vec();
        rule.resize(n, 0);
        let mut s = Sentence {
            runs: cap_runs(&words, &nl_before),
            words,
            unknown,
            nl_before,
            gaz: vec![Vec::new(); n],
            town: vec![0; n],
            company: vec![0; n],
            rules: rule,
            casing: casing as u8,
        };
        s.gazetteer();
        s.towns();
        s.companies();
        s
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    fn word_part(&self, i: isize) -> u64 {
        if i < 0 {
            *BOS
        } else if i as usize >= self.words.len() {
            *EOS
        } else {
            self.words[i as usize].word_part(self.unknown[i as usize])
        }
    }

    fn shape_part(&self, i: isize) -> u64 {
        self.words.get(i as usize).filter(|_| i >= 0).map_or(*NO_SHAPE, |w| w.shape_h)
    }

    /// Marks every token covered by a name the knowledge tables hold (the longest match from
    /// each word; overlapping matches all count).
    fn gazetteer(&mut self) {
        let kb = Knowledge::get();
        let max = kb.max_words().min(MAX_GAZ_WORDS);
        let toks = &self.words;
        let mut key = String::with_capacity(64);
        let mut matches: Vec<(usize, usize, Vec<&'static str>)> = Vec::new();
        for i in 0..toks.len() {
            if !toks[i].gaz_start {
                continue;
            }
            key.clear();
            let mut best: Option<(usize, usize)> = None;
            let mut words = 0;
            for (j, &t) in toks.iter().enumerate().skip(i) {
                if j > i && self.nl_before[j] {
                    break;
                }
                if t.possessive {
                    key.push_str("'s");
                } else if t.word {
                    if !key.is_empty() {
                        key.push(' ');
                    }
                    key.push_str(&t.folded);
                    words += 1;
                } else {
                    break;
                }
                if t.word && kb.contains(&key) {
                    best = Some((j + 1, key.len()));
                }
                if words >= max {
                    break;
                }
            }
            let Some((end, key_len)) = best else { continue };
            let all_caps = toks[i..end].iter().filter(|t| t.word).all(|t| t.no_lower);
            let mut cats: Vec<&'static str> = Vec::new();
            for h in kb.lookup(&key[..key_len]) {
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
        for (i, end, cats) in matches {
            for (k, g) in self.gaz[i..end].iter_mut().enumerate() {
                for &c in &cats {
                    let pos = if k == 0 { b'B' } else { b'I' };
                    if !g.contains(&(pos, c)) {
                        g.push((pos, c));
                    }
                }
            }
        }
    }

    /// Marks the tokens covered by a town name (the longest from each word that may start one).
    fn towns(&mut self) {
        let lists = cues::NameLists::get();
        let toks = &self.words;
        // a town's name is written with a capital, unless the whole sentence is in lower case
        // (and then a common word starts none): else "to", "of" and "man" would be towns
        let lower_case = self.casing == Casing::Lower as u8;
        let mut key = String::with_capacity(48);
        for i in 0..toks.len() {
            if !toks[i].town_start || !(toks[i].cap || lower_case && !toks[i].common) {
                continue;
            }
            key.clear();
            let mut end = None;
            for (j, &t) in toks.iter().enumerate().skip(i).take(MAX_TOWN_WORDS) {
                if !t.word || (j > i && self.nl_before[j]) {
                    break;
                }
                if !key.is_empty() {
                    key.push(' ');
                }
                key.push_str(&t.folded);
                if lists.is_town(&key) {
                    end = Some(j + 1);
                }
            }
            if let Some(end) = end {
                for (k, m) in self.town[i..end].iter_mut().enumerate() {
                    if *m == 0 {
                        *m = if k == 0 { b'B' } else { b'I' };
                    }
                }
            }
        }
    }

    /// Marks the tokens of every run of capitalised words that is, as a whole, a company or brand
    /// name ("Cracker Barrel", "Firefox"). A name inside a longer run ("Apple" in "Apple Valley
    /// High School") or in lower case is not marked: the list holds many common words ("First",
    /// "United", "Target"), and such partial matches cost more than they gave (dev F1, mean of
    /// four seeds: 0.733 with them, 0.740 without).
    fn companies(&mut self) {
        let lists = cues::NameLists::get();
        let mut key = String::with_capacity(48);
        let mut i = 0;
        while i < self.words.len() {
            let Some((a, b)) = self.runs[i] else {
                i += 1;
                continue;
            };
            i = b;
            if b - a > MAX_COMPANY_WORDS || !self.words[a].company_start {
                continue;
            }
            key.clear();
            for t in &self.words[a..b] {
                if !t.word {
                    // "&", "'s": the list's names hold none
                    key.clear();
                    break;
                }
                if !key.is_empty() {
                    key.push(' ');
                }
                key.push_str(&t.folded);
            }
            if let Some(kind) = lists.company(&key) {
                for (k, m) in self.company[a..b].iter_mut().enumerate() {
                    *m = company_mark(k == 0, kind);
                }
            }
        }
    }

    /// Whether token `i` opens its sentence (or a quotation, a segment after a colon), and the
    /// casing of the sentence: with its form, they make [`position_features`].
    pub fn position(&self, i: usize) -> (bool, u8) {
        (i == 0 || self.words[i - 1].opener, self.casing)
    }

    /// The features of token `i` that depend on its neighbours (bigrams, the shape of the
    /// sentence, the run of capitals it stands in, rules and gazetteer hits).
    pub fn context_features(&self, i: usize, out: &mut Vec<u64>) {
        let t = self.words[i];
        let ii = i as isize;
        let case_b = self.casing;
        let (prev, here, next) = (self.word_part(ii - 1), self.word_part(ii), self.word_part(ii + 1));
        if self.unknown[i] {
            out.push(H::new(UNKNOWN).u(t.shape_h).b(case_b).done());
            out.push(H::new(UNKNOWN).u(t.shape_h).u(prev).done());
            out.push(H::new(UNKNOWN).u(t.shape_h).b(1).u(next).done());
        }
        out.push(H::new(BIGRAM_PREV).u(prev).u(here).done());
        out.push(H::new(BIGRAM_NEXT).u(here).u(next).done());
        out.push(H::new(SHAPE_TRI).u(self.shape_part(ii - 1)).u(t.shape_h).u(self.shape_part(ii + 1)).done());
        out.push(H::new(SHAPE_WORD_PREV).u(prev).u(t.shape_h).done());
        if self.nl_before[i] {
            out.push(H::new(NEWLINE).done());
        }
        for d in [-1isize, 1] {
            let c = self.words.get((ii + d) as usize).filter(|_| ii + d >= 0).map_or(0, |w| w.cue);
            if c != 0 {
                out.push(H::new(CUE_AT).b(d as u8).b(c).b(t.cap as u8).done());
            }
        }
        let rule = |k: isize| if k < 0 { 0 } else { self.rules.get(k as usize).copied().unwrap_or(0) };
        if rule(ii) != 0 {
            out.push(H::new(RULE).b(rule(ii)).done());
            out.push(H::new(RULE).b(rule(ii)).u(t.shape_h).b(case_b).done());
        }
        for d in [-1isize, 1] {
            if rule(ii + d) != 0 {
                out.push(H::new(RULE_AT).b(d as u8).b(rule(ii + d)).b(rule(ii)).done());
            }
        }
        if let Some((a, b)) = self.runs[i] {
            let len = (b - a).min(6) as u8;
            let pos = if i == a {
                b'B'
            } else if i + 1 == b {
                b'L'
            } else {
                b'I'
            };
            let (fw, lw) = (self.words[a], self.words[b - 1]);
            out.push(H::new(RUN).b(len).b(pos).done());
            // the run's last and first words: "… Institute" is an organisation wherever one stands
            out.push(H::new(RUN_EDGE).b(b'L').u(lw.lower_h).done());
            out.push(H::new(RUN_EDGE).b(b'F').u(fw.lower_h).b(pos).done());
            out.push(H::new(RUN_EDGE).b(b'C').b(lw.cue).b(fw.cue).b(pos).done());
        }
        for &(pos, cat) in &self.gaz[i] {
            out.push(H::new(GAZ).b(pos).s(cat).done());
            out.push(H::new(GAZ_SHAPE).b(pos).s(cat).u(t.shape_h).b(case_b).done());
        }
        for d in [-1isize, 1] {
            if ii + d < 0 {
                continue;
            }
            for &(pos, cat) in self.gaz.get((ii + d) as usize).map_or(&[][..], |g| &g[..]) {
                out.push(H::new(GAZ_AT).b(d as u8).b(pos).s(cat).done());
            }
        }
        if self.town[i] != 0 {
            out.push(H::new(TOWN).b(self.town[i]).b(t.cap as u8).done());
            out.push(H::new(TOWN).b(self.town[i]).u(t.shape_h).b(case_b).b(t.common as u8).done());
        }
        if self.company[i] != 0 {
            let c = self.company[i];
            out.push(H::new(COMPANY).b(c).b(t.cap as u8).b(t.common as u8).done());
            out.push(H::new(COMPANY).b(c).u(t.shape_h).b(case_b).done());
        }
        for d in [-1isize, 1] {
            let Some(n) = self.words.get((ii + d) as usize).filter(|_| ii + d >= 0) else { continue };
            // "Fred Bryant": a given name before a capitalised word, a surname after one
            if n.given_band != 0 || n.surname_band != 0 {
                out.push(
                    H::new(NAME_AT).b(d as u8).b(n.given_band).b(n.surname_band).b(n.cap as u8).b(t.cap as u8).done(),
                );
            }
            if n.world_name != 0 {
                out.push(H::new(WORLD_NAME_AT).b(d as u8).b(n.world_name).b(n.cap as u8).b(t.cap as u8).done());
            }
            let town = self.town[(ii + d) as usize];
            if town != 0 {
                out.push(H::new(TOWN_AT).b(d as u8).b(town).b(t.cap as u8).done());
            }
            let company = self.company[(ii + d) as usize];
            if company != 0 {
                out.push(H::new(COMPANY_AT).b(d as u8).b(company).b(t.cap as u8).done());
            }
        }
    }
}

/// A token's mark in a company or brand name: its first word or a later one, and the kind of
/// name.
fn company_mark(first: bool, kind: cues::Company) -> u8 {
    (1 + !first as u8) | (kind as u8) << 2
}

fn casing(words: &[&WordInfo]) -> Casing {
    let ws: Vec<&WordInfo> = words.iter().copied().filter(|t| t.word).collect();
    if ws.len() < 3 {
        return Casing::Normal;
    }
    let caps = ws.iter().filter(|t| t.all_caps).count();
    if caps * 10 >= ws.len() * 8 {
        return Casing::Caps;
    }
    // capitals after the first word
    let capped = ws[1..].iter().filter(|t| t.cap).count();
    if capped == 0 {
        return Casing::Lower;
    }
    let long: Vec<&&WordInfo> = ws.iter().filter(|t| t.long).collect();
    if long.len() >= 3 && long.iter().filter(|t| t.cap).count() * 10 >= long.len() * 8 {
        return Casing::Title;
    }
    Casing::Normal
}

/// Appends the features of every token of one sentence to `out`; `offsets` gets one entry per
/// token plus one, the features of token `i` being `out[offsets[i]..offsets[i + 1]]`.
/// `tokens` are the sentence's tokens (byte spans into `text`).
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
    let infos: Vec<WordInfo> = tokens.iter().map(|s| WordInfo::new(&text[s.start..s.end])).collect();
    let unknown: Vec<bool> = infos.iter().map(|w| w.word && !known(w.key)).collect();
    let s = Sentence::new(text, tokens, infos.iter().collect(), unknown, headline, rules);
    if offsets.is_empty() {
        offsets.push(out.len() as u32);
    }
    for i in 0..s.len() {
        word_features(s.words[i], s.unknown[i], out);
        for d in NEIGHBOURS {
            let j = i as isize + d;
            let w = (j >= 0 && (j as usize) < s.len()).then(|| (s.words[j as usize], s.unknown[j as usize]));
            out.extend(neighbour_features(w, d));
        }
        let (first, casing) = s.position(i);
        position_features(s.words[i], first, casing, out);
        s.context_features(i, out);
        offsets.push(out.len() as u32);
    }
}

/// Words that may stand inside a run of capitalised words ("Bank of England").
const RUN_JOINERS: &[&str] = &["of", "and", "for", "the", "de", "von", "van", "der", "al", "&", "'s", "\u{2019}s"];

/// For each token, the run of capitalised words it belongs to (token range), if any.
fn cap_runs(toks: &[&WordInfo], nl_before: &[bool]) -> Vec<Option<(usize, usize)>> {
    let mut out = vec![None; toks.len()];
    let mut i = 0;
    while i < toks.len() {
        if !(toks[i].word && toks[i].cap) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        loop {
            if j < toks.len() && toks[j].word && toks[j].cap && !nl_before[j] {
                j += 1;
            } else if j + 1 < toks.len() && toks[j].joiner && toks[j + 1].word && toks[j + 1].cap && !nl_before[j + 1] {
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
    fn census_names_come_in_frequency_bands() {
        let james = WordInfo::new("James");
        assert_eq!(james.given_band, 1);
        assert!(james.surname_band != 0, "James is a surname too");
        let brown = WordInfo::new("Brown");
        assert_eq!((brown.given_band, brown.surname_band), (0, 1));
        // the lists are read in lower case: a shouted name is the same name
        assert_eq!(WordInfo::new("BRYAN").given_band, WordInfo::new("Bryan").given_band);
        assert!(WordInfo::new("Bryan").given_band > 1, "a rarer name than James");
        let none = WordInfo::new("Qwxzt");
        assert_eq!((none.given_band, none.surname_band), (0, 0));
        assert_eq!(WordInfo::new(",").given_band, 0);
    }

    #[test]
    fn a_given_name_gives_a_feature_to_itself_and_its_neighbour() {
        let text = "Then Fred Qwxzt left.";
        let toks = crate::segment::tokenize(text);
        let (mut f, mut off) = (vec![], vec![]);
        extract(text, &toks, false, &[], &mut |_| true, &mut f, &mut off);
        let of = |i: usize| &f[off[i] as usize..off[i + 1] as usize];
        let band = WordInfo::new("Fred").given_band;
        assert!(of(1).contains(&H::new(CENSUS_GIVEN).b(band).b(1).done()));
        // "Qwxzt" is in no list, but stands after a given name
        assert!(of(2)
            .contains(&H::new(NAME_AT).b(-1i8 as u8).b(band).b(WordInfo::new("Fred").surname_band).b(1).b(1).done()));
        assert!(!of(2).iter().any(|&h| h == H::new(CENSUS_GIVEN).b(band).b(1).done()));
    }

    #[test]
    fn names_the_census_lacks_come_from_the_lists_of_other_countries() {
        use cues::{WORLD_GIVEN_NAME, WORLD_SURNAME};
        let caoimhe = WordInfo::new("Caoimhe");
        assert_eq!((caoimhe.given_band, caoimhe.surname_band), (0, 0), "no US census name");
        assert_eq!(caoimhe.world_name, WORLD_GIVEN_NAME);
        assert_eq!(WordInfo::new("Schmidinger").world_name, WORLD_SURNAME);
        assert_eq!(WordInfo::new("CAOIMHE").world_name, WORLD_GIVEN_NAME, "read in lower case");
        assert_eq!(WordInfo::new("Qwxzt").world_name, 0);
        let text = "Then Caoimhe Qwxzt left.";
        let toks = crate::segment::tokenize(text);
        let (mut f, mut off) = (vec![], vec![]);
        extract(text, &toks, false, &[], &mut |_| true, &mut f, &mut off);
        let of = |i: usize| &f[off[i] as usize..off[i + 1] as usize];
        assert!(of(1).contains(&H::new(WORLD_NAME).b(WORLD_GIVEN_NAME).b(1).b(0).b(0).done()));
        // "Qwxzt" stands after a given name
        assert!(of(2).contains(&H::new(WORLD_NAME_AT).b(-1i8 as u8).b(WORLD_GIVEN_NAME).b(1).b(1).done()));
        assert!(!of(2).iter().any(|&h| h == H::new(WORLD_NAME).b(WORLD_GIVEN_NAME).b(1).b(0).b(0).done()));
    }

    #[test]
    fn town_names_mark_every_word_they_cover() {
        // ("To" is a town: not "to")
        let text = "She moved from Palo Alto to Kirkland in May.";
        let toks = crate::segment::tokenize(text);
        let infos: Vec<WordInfo> = toks.iter().map(|s| WordInfo::new(&text[s.start..s.end])).collect();
        let s = Sentence::new(text, &toks, infos.iter().collect(), vec![false; toks.len()], false, &[]);
        let marks: Vec<(&str, u8)> =
            toks.iter().zip(&s.town).filter(|(_, &m)| m != 0).map(|(t, &m)| (&text[t.start..t.end], m)).collect();
        assert_eq!(marks, [("Palo", b'B'), ("Alto", b'I'), ("Kirkland", b'B')]);
        // a web post in lower case still names its towns
        let text = "we drove to palo alto and back";
        let toks = crate::segment::tokenize(text);
        let infos: Vec<WordInfo> = toks.iter().map(|s| WordInfo::new(&text[s.start..s.end])).collect();
        let s = Sentence::new(text, &toks, infos.iter().collect(), vec![false; toks.len()], false, &[]);
        assert_eq!(s.town, [0, 0, 0, b'B', b'I', 0, 0]);
    }

    #[test]
    fn company_names_mark_only_whole_runs_of_capitals() {
        let text = "She left Walmart to work at Firefox, then at Apple Valley High School, now at Coca-Cola.";
        let toks = crate::segment::tokenize(text);
        let infos: Vec<WordInfo> = toks.iter().map(|s| WordInfo::new(&text[s.start..s.end])).collect();
        let s = Sentence::new(text, &toks, infos.iter().collect(), vec![false; toks.len()], false, &[]);
        let marks: Vec<(&str, u8)> =
            toks.iter().zip(&s.company).filter(|(_, &m)| m != 0).map(|(t, &m)| (&text[t.start..t.end], m)).collect();
        use cues::Company::{Brand, Company};
        // "Apple" is a company, but "Apple Valley High School" is none
        assert_eq!(
            marks,
            [
                ("Walmart", company_mark(true, Company)),
                ("Firefox", company_mark(true, Brand)),
                ("Coca-Cola", company_mark(true, Company)),
            ]
        );
        // a word of the list in lower case is no name
        let text = "we shop at walmart and eat an apple";
        let toks = crate::segment::tokenize(text);
        let infos: Vec<WordInfo> = toks.iter().map(|s| WordInfo::new(&text[s.start..s.end])).collect();
        let s = Sentence::new(text, &toks, infos.iter().collect(), vec![false; toks.len()], false, &[]);
        assert!(s.company.iter().all(|&m| m == 0));
    }

    #[test]
    fn a_company_name_gives_features_to_its_words_and_neighbours() {
        let text = "Prices at Accenture rose.";
        let toks = crate::segment::tokenize(text);
        let (mut f, mut off) = (vec![], vec![]);
        extract(text, &toks, false, &[], &mut |_| true, &mut f, &mut off);
        let of = |i: usize| &f[off[i] as usize..off[i + 1] as usize];
        let mark = company_mark(true, cues::Company::Company);
        let own = H::new(COMPANY).b(mark).b(1).b(0).done();
        assert!(of(2).contains(&own));
        assert!(of(1).contains(&H::new(COMPANY_AT).b(1).b(mark).b(0).done()));
        assert!(of(3).contains(&H::new(COMPANY_AT).b(-1i8 as u8).b(mark).b(0).done()));
        assert!(!of(0).contains(&own) && !of(1).contains(&own));
    }

    #[test]
    fn company_names_are_read_as_the_tokenizer_splits_text() {
        let lists = cues::NameLists::get();
        // the possessive is split off in text, and the matcher stops at it
        assert_eq!(lists.company("mcdonald"), Some(cues::Company::Company));
        // a hyphen folds to a space, in the list as in text
        assert_eq!(lists.company("coca cola"), Some(cues::Company::Company));
        assert_eq!(lists.company("firefox"), Some(cues::Company::Brand));
        assert!(lists.may_start_company("coca") && !lists.may_start_company("qwxzt"));
        assert_eq!(lists.company("qwxzt"), None);
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

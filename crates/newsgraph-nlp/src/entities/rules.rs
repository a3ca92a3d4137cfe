//! A recogniser built from capitalisation, titles, cue words and the knowledge tables.
//!
//! It reads a sentence's tokens left to right: a known name (the longest the knowledge tables
//! hold) wins; a title ("President", "Secretary of State") announces a person; any other run of
//! capitalised words is typed by its head word ("… Institute" is an organisation, "Mount …" a
//! place) and otherwise, when it has two or more words, taken for a person. A lone capitalised
//! word that nothing types is passed on as `kind: None`, for the linker to tie to a name the
//! article gives in full ("Stoltenberg" after "Jens Stoltenberg").

use super::cues::{self, Cues};
use super::{Candidate, Known, Recognizer};
use crate::knowledge::{Knowledge, Relation};
use crate::text::{fold, is_all_caps};
use newsgraph_doc::{EntityType, Span};
use std::borrow::Cow;

pub struct RuleRecognizer;

/// Joiners inside personal names ("Charles de Gaulle", "Ursula von der Leyen").
const NAME_JOINERS: &[&str] =
    &["de", "van", "von", "der", "den", "bin", "al", "el", "la", "le", "du", "da", "del", "dos", "ibn"];

/// Endings that make a name an adjective: "Vienna-based", "Kremlin-backed".
pub(super) const COMPOUND_ADJECTIVES: &[&str] = &[
    "-based",
    "-led",
    "-backed",
    "-born",
    "-owned",
    "-run",
    "-style",
    "-made",
    "-funded",
    "-linked",
    "-allied",
    "-controlled",
];

struct Tok<'a> {
    span: Span,
    text: &'a str,
    /// Most words are in lower case already: no copy of them.
    lower: Cow<'a, str>,
    /// [`fold`]ed, when that differs from `lower` (non-ASCII letters, hyphens).
    folded: Option<String>,
    /// First word of its sentence (or of a quotation, a headline segment).
    initial: bool,
    /// A line break stands between this token and the one before.
    nl_before: bool,
    word: bool,
    cap: bool,
    acronym: bool,
}

impl<'a> Tok<'a> {
    fn new(span: Span, text: &'a str, nl_before: bool) -> Tok<'a> {
        let lower = if text.is_ascii() && !text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(text.to_lowercase())
        };
        let folded = (!text.is_ascii() || text.contains(|c: char| c == '-' || c == '`' || c.is_whitespace()))
            .then(|| fold(text));
        let word = text.chars().next().is_some_and(|c| c.is_alphabetic());
        let cap = word
            && text.chars().next().is_some_and(|c| c.is_uppercase())
            && !text.chars().any(|c| c.is_ascii_digit())
            // "Vienna-based", "Kremlin-backed": an adjective, not part of the name that follows
            && !COMPOUND_ADJECTIVES.iter().any(|s| lower.ends_with(s));
        let acronym = cap && is_all_caps(text) && text.chars().filter(|c| c.is_alphabetic()).count() >= 2;
        Tok { span, text, lower, folded, initial: false, nl_before, word, cap, acronym }
    }
    fn is_word(&self) -> bool {
        self.word
    }
    fn is_cap(&self) -> bool {
        self.cap
    }
    fn is_acronym(&self) -> bool {
        self.acronym
    }
    fn folded(&self) -> &str {
        self.folded.as_deref().unwrap_or(&self.lower)
    }
}

fn opens_segment(t: &str) -> bool {
    matches!(t, "\"" | "\u{201c}" | "\u{201e}" | "\u{00ab}" | "\u{00bb}" | "'" | "\u{2018}" | ":" | "|" | "(" | "[")
        || t.chars().all(crate::text::is_dash)
}

impl Recognizer for RuleRecognizer {
    fn recognize(&self, text: &str, tokens: &[Span], sentences: &[Span], headline: bool) -> Vec<Candidate> {
        let mut out = Vec::new();
        for s in sentences {
            let lo = tokens.partition_point(|t| t.start < s.start);
            let hi = tokens.partition_point(|t| t.start < s.end);
            let mut prev_end = s.start;
            let mut toks: Vec<Tok> = tokens[lo..hi]
                .iter()
                .map(|&span| {
                    let t = &text[span.start..span.end];
                    let nl_before = text[prev_end.min(span.start)..span.start].contains('\n');
                    prev_end = span.end;
                    Tok::new(span, t, nl_before)
                })
                .collect();
            let mut prev_opens = true;
            for t in toks.iter_mut() {
                t.initial = prev_opens && t.is_word();
                prev_opens = opens_segment(t.text) || (prev_opens && !t.is_word());
            }
            let title_case = headline && is_title_case(&toks);
            sentence(text, &toks, title_case, &mut out);
        }
        out
    }
}

/// A headline written In Title Case gives no signal from capitals: only known names count there.
fn is_title_case(toks: &[Tok]) -> bool {
    let words: Vec<&Tok> = toks.iter().filter(|t| t.is_word() && t.text.chars().count() > 3).collect();
    words.len() >= 3 && words.iter().filter(|t| t.is_cap()).count() * 10 >= words.len() * 8
}

/// The longest known name starting at token `i`: (tokens used, hits).
fn known_at<'k>(kb: &'k Knowledge, toks: &[Tok], i: usize) -> Option<(usize, Vec<crate::knowledge::Hit<'k>>)> {
    if !toks[i].is_cap() || !cues::may_start_known_name(toks[i].folded().split(' ').next().unwrap_or("")) {
        return None;
    }
    let max = kb.max_words().min(toks.len() - i);
    let mut key = String::new();
    let mut best = None;
    let mut words = 0;
    for j in i..i + max.max(1) + 2 {
        if j >= toks.len() || words >= max.max(1) {
            break;
        }
        let t = &toks[j];
        if j > i && t.nl_before {
            break;
        }
        if t.text == "'s" || t.text == "\u{2019}s" {
            key.push_str("'s");
        } else {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(t.folded());
            words += 1;
        }
        // a name never ends on a joiner or a possessive
        if !t.is_cap() && !t.is_acronym() {
            continue;
        }
        let hits: Vec<_> = kb
            .lookup(&key)
            .into_iter()
            .filter(|h| !h.case_sensitive || toks[i..=j].iter().all(|t| !t.is_word() || is_all_caps(t.text)))
            .collect();
        if !hits.is_empty() {
            best = Some((j + 1 - i, hits));
        }
    }
    best
}

/// Courtesy titles: any word after them is a name.
const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "miss", "mister", "dr", "sir", "dame", "lady", "lord", "madam"];

fn title_at(cues: &Cues, toks: &[Tok], i: usize) -> Option<usize> {
    // titles are matched on words; an abbreviation's full stop is a token of its own
    let first = toks[i..].iter().find(|t| t.text != ".")?;
    if !first.is_word() || !cues.starts_title(first.lower.trim_end_matches('.')) {
        return None;
    }
    let mut words = Vec::new();
    let mut idx = Vec::new();
    for (k, t) in toks.iter().enumerate().skip(i).take(6) {
        if t.text == "." {
            continue;
        }
        if !t.is_word() {
            break;
        }
        words.push(t.lower.trim_end_matches('.').to_string());
        idx.push(k);
    }
    let norm: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    let n = cues.title_len_loose(&norm)?;
    let mut end = idx[n - 1] + 1;
    if toks.get(end).is_some_and(|t| t.text == ".") {
        end += 1;
    }
    Some(end - i)
}

fn sentence(text: &str, toks: &[Tok], title_case: bool, out: &mut Vec<Candidate>) {
    let kb = Knowledge::get();
    let cues = Cues::get();
    let mut i = 0;
    // a role and the country named before it wait here for the person they introduce
    let mut pending_role: Option<(String, Option<String>, usize)> = None;
    while i < toks.len() {
        let t = &toks[i];
        if !t.is_cap() {
            // lower-case titles ("North Korean president Kim Jong Un") introduce a person too
            if t.is_word() && !title_case {
                if let Some(n) = title_at(cues, toks, i) {
                    if toks.get(i + n).is_some_and(|x| x.is_cap()) {
                        let role = text[toks[i].span.start..toks[i + n - 1].span.end].to_string();
                        let aff = country_before(out, &toks[i].span, text);
                        pending_role = Some((role, aff, i + n));
                        i += n;
                        continue;
                    }
                }
            }
            i += 1;
            continue;
        }
        if let Some((n, hits)) = known_at(kb, toks, i) {
            let prev = (i > 0).then(|| toks[i - 1].lower.as_ref());
            let next = toks.get(i + n).map(|x| x.lower.as_ref());
            // "ABC Nyheter": a known acronym leading a longer organisation name is that name's start
            let mut extend = i + n;
            if hits.iter().all(|h| h.entry.kind == EntityType::Org) {
                while extend < toks.len()
                    && toks[extend].is_cap()
                    && !toks[extend].nl_before
                    && title_at(cues, toks, extend).is_none()
                    && known_at(kb, toks, extend).is_none()
                {
                    extend += 1;
                }
            }
            if extend > i + n {
                let span = Span::new(t.span.start, toks[extend - 1].span.end);
                out.push(Candidate {
                    span,
                    kind: Some(EntityType::Org),
                    known: None,
                    role: None,
                    affiliation: None,
                    demonym: false,
                    in_title: false,
                });
                pending_role = None;
                i = extend;
                continue;
            }
            if let Some(mut c) =
                choose_known(cues, &hits, prev, next, Span::new(t.span.start, toks[i + n - 1].span.end))
            {
                if let Some((role, aff, at)) = pending_role.take() {
                    if at == i && c.kind == Some(EntityType::Person) {
                        c.role = Some(role);
                        c.affiliation = aff.or(c.affiliation);
                    }
                }
                out.push(c);
            }
            pending_role = None;
            i += n;
            continue;
        }
        // a sentence-initial or shouted common word is not a name ("Passenger trains", "VIDEO")
        if cues.not_name.contains(t.lower.as_ref())
            || (t.initial || t.is_acronym() || title_case)
                && cues.is_common(&t.lower)
                && title_at(cues, toks, i).is_none()
        {
            i += 1;
            continue;
        }
        if !title_case {
            if let Some(n) = title_at(cues, toks, i) {
                // after a job title a word usually written in lower case is no surname ("Analyst
                // Team", "Scientist Space"); after a courtesy title it is ("Mr Brown")
                let courtesy = HONORIFICS.contains(&t.lower.trim_end_matches('.'));
                let name_like =
                    |x: &Tok| courtesy || !cues.is_common(&x.lower) || cues.given.contains(x.lower.as_ref());
                if toks.get(i + n).is_some_and(|x| x.is_cap() && name_like(x)) {
                    let role = text[t.span.start..toks[i + n - 1].span.end].to_string();
                    let aff = country_before(out, &t.span, text);
                    pending_role = Some((role, aff, i + n));
                    i += n;
                    continue;
                }
            }
        }
        // a plain run of capitalised words and name joiners
        let start = i;
        let mut end = i + 1;
        while end < toks.len() {
            let x = &toks[end];
            // a name never runs over a line break
            if x.nl_before {
                break;
            }
            if x.is_cap() && !(x.is_acronym() && cues.is_common(&x.lower) && !toks[end - 1].is_acronym()) {
                if known_at(kb, toks, end).is_some_and(|(_, h)| h.iter().any(|h| h.entry.subtype == "country"))
                    && !ends_org(cues, toks, end)
                {
                    break;
                }
                end += 1;
            } else if matches!(x.text, "'" | "\u{2019}")
                && toks[end - 1].lower.ends_with('s')
                && toks.get(end + 1).is_some_and(|y| y.is_cap() && !y.nl_before)
            {
                // a plural possessive inside a name: "the Alföld Growers' Union"
                end += 1;
            } else if NAME_JOINERS.contains(&x.lower.as_ref()) && toks.get(end + 1).is_some_and(|y| y.is_cap()) {
                end += 1;
            } else if x.lower == "of"
                && is_head(cues, &toks[end - 1].lower)
                && toks.get(end + 1).is_some_and(|y| y.is_cap() || y.lower == "the")
            {
                // "University of Oslo", "Gulf of Mexico"
                end += 1;
                if toks[end].lower == "the" {
                    end += 1;
                }
            } else {
                break;
            }
        }
        while end > start + 1 && !toks[end - 1].is_cap() {
            end -= 1;
        }
        let run = &toks[start..end];
        let span = Span::new(run[0].span.start, run[run.len() - 1].span.end);
        let role = pending_role.take().filter(|(_, _, at)| *at == start);
        let mut c = classify(cues, kb, run, title_case, span, role.is_some());
        if let Some(c) = c.as_mut() {
            if c.kind == Some(EntityType::Person) {
                if let Some((r, aff, _)) = role {
                    c.role = Some(r);
                    c.affiliation = aff;
                }
            }
            // "Norwegian Defense Research Institute": a demonym or country glued to an organisation's name
            if c.kind == Some(EntityType::Org) {
                if let Some(prev) = out.last() {
                    let adjacent = prev.span.end < span.start && text[prev.span.end..span.start].trim().is_empty();
                    if adjacent && prev.known.as_ref().is_some_and(|k| k.subtype == "country") {
                        let prev = out.pop().expect("checked");
                        c.span.start = prev.span.start;
                        c.affiliation = prev.known.and_then(|k| k.code);
                    }
                }
            }
        }
        // "Andonovic: Three reasons …" — a headline led by a name and a colon quotes that person
        if c.as_ref().is_some_and(|c| c.kind.is_none())
            && run.len() == 1
            && start <= 2
            && toks.get(end).is_some_and(|x| x.text == ":")
            && out.is_empty()
        {
            if let Some(c) = c.as_mut() {
                c.kind = Some(EntityType::Person);
            }
        }
        out.extend(c);
        i = end;
    }
}

fn is_head(cues: &Cues, lower: &str) -> bool {
    cues.org_heads.contains(lower) || cues.place_first.contains(lower) || cues.place_last.contains(lower)
}

/// Does the run of capitals from `i` end in an organisation's head word?
fn ends_org(cues: &Cues, toks: &[Tok], i: usize) -> bool {
    let mut j = i;
    while j < toks.len() && toks[j].is_cap() {
        j += 1;
    }
    j > i + 1 && cues.org_heads.contains(toks[j - 1].lower.as_ref())
}

/// The country named right before a role ("Russian President …", "US Secretary of State …").
fn country_before(out: &[Candidate], role_start: &Span, text: &str) -> Option<String> {
    let prev = out.last()?;
    let between = &text[prev.span.end.min(role_start.start)..role_start.start];
    if prev.span.end <= role_start.start && between.trim().is_empty() {
        return prev
            .known
            .as_ref()
            .filter(|k| k.subtype == "country" || k.kind == EntityType::Org)
            .and_then(|k| k.code.clone());
    }
    None
}

fn choose_known(
    cues: &Cues,
    hits: &[crate::knowledge::Hit],
    prev: Option<&str>,
    next: Option<&str>,
    span: Span,
) -> Option<Candidate> {
    let capital = hits.iter().find(|h| matches!(h.relation, Relation::Capital));
    let city = hits.iter().find(|h| !matches!(h.relation, Relation::Capital | Relation::Demonym));
    // "Moscow said", "Pyongyang's efforts": a capital acting stands for its government
    let acting = next.is_some_and(|n| n == "'s" || n == "\u{2019}s" || cues.speech_subject.contains(n))
        && !prev.is_some_and(|p| cues.locative.contains(p));
    let hit = match (capital, city) {
        (Some(c), _) if acting => c,
        (_, Some(c)) => c,
        (Some(c), None) => c,
        (None, None) => hits.first()?,
    };
    let person = hit.entry.kind == EntityType::Person;
    Some(Candidate {
        span,
        kind: Some(hit.entry.kind),
        known: Some(Known {
            name: hit.entry.name.clone(),
            code: hit.entry.code.clone(),
            subtype: hit.entry.subtype.clone(),
            kind: hit.entry.kind,
        }),
        role: None,
        // a person the tables know acts for their country
        affiliation: if person { hit.entry.code.clone() } else { None },
        demonym: matches!(hit.relation, Relation::Demonym),
        in_title: false,
    })
}

fn classify(
    cues: &Cues,
    kb: &Knowledge,
    run: &[Tok],
    title_case: bool,
    span: Span,
    after_title: bool,
) -> Option<Candidate> {
    let mk = |kind: Option<EntityType>| Candidate {
        span,
        kind,
        known: None,
        role: None,
        affiliation: None,
        demonym: false,
        in_title: false,
    };
    let words: Vec<&Tok> = run.iter().filter(|t| t.is_cap()).collect();
    let last: &str = &run[run.len() - 1].lower;
    let first: &str = &run[0].lower;
    if title_case {
        // in a title-case headline only a lone name before a colon or a name the body gives is trusted
        return (words.len() == 1).then(|| mk(None));
    }
    if after_title {
        return Some(mk(Some(EntityType::Person)));
    }
    let last2 = (run.len() >= 2).then(|| format!("{} {}", run[run.len() - 2].lower, last));
    // a head word alone ("the Gazette", "the Union") is left to the linker, which ties it to a
    // full name the article gives
    if words.len() >= 2
        && (cues.org_heads.contains(last)
            || last2.as_ref().is_some_and(|l| cues.org_heads.contains(l))
            || run.iter().any(|t| t.lower == "of" && run.len() > 2 && cues.org_heads.contains(run[0].lower.as_ref())))
    {
        return Some(mk(Some(EntityType::Org)));
    }
    if cues.place_first.contains(first.trim_end_matches('.')) && run.len() >= 2
        || (run.len() >= 2 && cues.place_last.contains(last))
        || (run.len() >= 2
            && kb
                .lookup(&fold(run[run.len() - 1].text))
                .iter()
                .any(|h| h.entry.kind == EntityType::Place && matches!(h.relation, Relation::Name | Relation::Alias)))
    {
        return Some(mk(Some(EntityType::Place)));
    }
    if words.len() >= 2 && words.iter().any(|t| t.is_acronym() && !cues.is_common(&t.lower)) {
        return Some(mk(Some(EntityType::Org)));
    }
    if words.len() == 1 {
        let t = words[0];
        if t.is_acronym() && t.text.chars().count() <= 6 && !cues.is_common(&t.lower) {
            return Some(mk(Some(EntityType::Org)));
        }
        return Some(mk(None));
    }
    let all_common = words.iter().all(|t| cues.is_common(&t.lower));
    let last_common = cues.is_common(last);
    let given = cues.given.contains(first);
    if words.len() <= 5 && !all_common && (!last_common || given) && words.iter().all(|t| !t.is_acronym()) {
        // "Water Management Milena Đurović": the end of a long title run into the name; the name
        // starts after the last capitalised common word
        let k = run
            .iter()
            .rposition(|t| cues.is_common(&t.lower) && !cues.given.contains(t.lower.as_ref()))
            .map_or(0, |k| k + 1);
        if k > 0 && k < run.len() && (run.len() - k >= 2 || cues.given.contains(run[k].lower.as_ref())) {
            let mut c = mk(Some(EntityType::Person));
            c.span = Span::new(run[k].span.start, span.end);
            return Some(c);
        }
        return Some(mk(Some(EntityType::Person)));
    }
    None
}

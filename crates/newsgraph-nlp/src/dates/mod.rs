//! Date expressions and their calendar values.
//!
//! Two passes. The first reads the text and records each expression with what it says on its own
//! ("June 6": month 6, day 6, year unknown; "last week": one week back). The second picks a
//! reference date — the publication date, else the latest full date in the text, else the latest
//! year written next to a month — and resolves every expression against it into an ISO 8601
//! prefix. Years left open inherit from the other end of a range first ("between February and
//! May 2024"), then from the reference, forward or backward as the verbs around the date say.

mod calendar;
pub(crate) mod lex;
mod tense;
#[cfg(test)]
mod tests;
mod vocab;

use crate::pipeline::Annotator;
use calendar::{common_prefix, days_from_civil, days_in_month, valid, weekday, ym, ymd};
use lex::{is_dash, lex, Tok};
use newsgraph_doc::{DateMention, Document, Span};
use tense::{tense_at, Tense};
use vocab::{vocab, Vocab};

/// Fills `doc.dates`.
pub struct DateTagger;

impl Annotator for DateTagger {
    fn name(&self) -> &'static str {
        "dates"
    }
    fn annotate(&self, doc: &mut Document) {
        doc.dates = find_dates(&doc.text, &doc.sentences, doc.meta.published.as_deref());
    }
}

/// How a relative word shifts a day, month or season: "last May", "next Friday", "this week".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rel {
    Plain,
    Last,
    Next,
    This,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// What an expression says before the reference date is known.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    /// A calendar date to the precision written; `y` is None when the year must be inferred.
    Cal {
        y: Option<i32>,
        m: Option<u32>,
        d: Option<u32>,
        rel: Rel,
    },
    /// "the 1990s": the first three digits of the years.
    Decade(i32),
    Weekday {
        wd: u32,
        rel: Rel,
    },
    /// A whole day, week, month or year counted from the reference ("yesterday", "last year").
    Offset {
        unit: Unit,
        n: i64,
    },
    Weekend(Rel),
    /// A season without a year ("last summer"), by the month it starts in.
    Season {
        start: u32,
        rel: Rel,
    },
    /// A day and month written with slashes whose order only the rest of the article can tell.
    Slashed {
        a: u32,
        b: u32,
        y: i32,
    },
}

#[derive(Debug, Clone)]
struct Cand {
    /// Token range (end exclusive).
    t0: usize,
    t1: usize,
    val: Val,
}

/// Finds the date expressions in `text` and resolves them. `sentences` (byte spans, in order) bound
/// the search for tense cues; `published` is the article's ISO publication date, if known.
pub fn find_dates(text: &str, sentences: &[Span], published: Option<&str>) -> Vec<DateMention> {
    let toks = lex(text);
    let p = Parser { text, toks: &toks, v: vocab() };
    let mut cands = p.scan();
    p.extend_modifiers(&mut cands);
    p.inherit_years(&mut cands);
    settle_slashes(&mut cands);
    let reference = Reference::choose(published, &cands);
    let bounds = sentence_bounds(&toks, sentences);
    cands
        .iter()
        .map(|c| {
            let tense = if needs_tense(&c.val) {
                let (lo, hi) = bounds(c.t0);
                tense_at(&toks, text, lo, hi, c.t0, c.t1)
            } else {
                Tense::Unknown
            };
            let last = &toks[c.t1 - 1];
            // a glued suffix belongs to the date only when it is an ordinal or a decade ("6th",
            // "1990s"), not the "T" of an ISO timestamp
            let end = if last.is_num() && !matches!(last.suffix(), "st" | "nd" | "rd" | "th" | "s") {
                last.digits_end
            } else {
                last.end
            };
            DateMention { span: Span::new(toks[c.t0].start, end), value: reference.resolve(&c.val, tense) }
        })
        .collect()
}

fn needs_tense(v: &Val) -> bool {
    matches!(v, Val::Cal { y: None, rel: Rel::Plain, .. } | Val::Weekday { .. } | Val::Weekend(_))
}

/// A function giving, for a token index, the token range of its sentence.
fn sentence_bounds<'a>(toks: &'a [Tok], sentences: &'a [Span]) -> impl Fn(usize) -> (usize, usize) + 'a {
    move |i| {
        let at = toks[i].start;
        let k = sentences.partition_point(|s| s.end <= at);
        let Some(s) = sentences.get(k).filter(|s| s.start <= at) else {
            return (0, toks.len());
        };
        let mut lo = toks.partition_point(|t| t.start < s.start);
        let hi = toks.partition_point(|t| t.start < s.end);
        // "… will be held from 5 to 8 p.m. Tuesday": a sentence cut after "p.m." goes on
        if k > 0 && lo > 0 && matches!(toks[lo - 1].lower.as_str(), "a.m." | "p.m.") {
            lo = toks.partition_point(|t| t.start < sentences[k - 1].start);
        }
        (lo, hi)
    }
}

/// Words after which a four-digit number followed by a plural noun is still a year.
pub(crate) const YEAR_BEFORE_NOUN: &[&str] = &[
    "the", "this", "that", "its", "their", "his", "her", "our", "'s", "in", "since", "during", "until", "till",
    "before", "after", "year", "fiscal",
];

const RANGE_WORDS: &[&str] = &["to", "and", "until", "till", "through", "or", "thru"];

/// A word that may be the name of a person or place rather than a month ("Theresa May",
/// "August Strindberg", "to march"): such months need a cue before them when alone.
const AMBIGUOUS_MONTHS: &[u32] = &[3, 4, 5, 6, 8];

const CURRENCY_SIGNS: &str = "$€£¥₽₹₩₺₴₪₦₱₫฿#+";

struct Parser<'a> {
    text: &'a str,
    toks: &'a [Tok],
    v: &'static Vocab,
}

impl<'a> Parser<'a> {
    fn tok(&self, i: usize) -> Option<&'a Tok> {
        self.toks.get(i)
    }

    /// The lower-cased word at `i`, if it is a word.
    fn word(&self, i: usize) -> Option<&'a str> {
        self.tok(i).filter(|t| t.is_word()).map(|t| t.lower.as_str())
    }

    fn is(&self, i: usize, w: &str) -> bool {
        self.tok(i).is_some_and(|t| t.lower == w)
    }

    fn glued(&self, i: usize, j: usize) -> bool {
        match (self.tok(i), self.tok(j)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    /// A dash, or a range word ("to", "and" …).
    fn is_connector(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| is_dash(t) || (t.is_word() && RANGE_WORDS.contains(&t.lower.as_str())))
    }

    /// A capitalised month name at `i`: its number, the index after it (past the dot of "Sept."),
    /// and whether it was abbreviated.
    fn month(&self, i: usize) -> Option<(u32, usize, bool)> {
        let t = self.tok(i).filter(|t| t.is_word() && t.is_capitalised(self.text))?;
        let &(m, abbr) = self.v.months.get(t.lower.as_str())?;
        if abbr && self.is(i + 1, ".") && self.glued(i, i + 1) {
            return Some((m, i + 2, true));
        }
        Some((m, i + 1, abbr))
    }

    /// A day of the month at `i` ("6", "06", "6th"), and the index after it.
    fn day(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.tok(i).filter(|t| t.is_num())?;
        let digits = t.digits(self.text);
        if digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !matches!(t.suffix(), "" | "st" | "nd" | "rd" | "th") {
            return None;
        }
        let d: u32 = digits.parse().ok()?;
        (1..=31).contains(&d).then_some((d, i + 1))
    }

    /// A four-digit year at `i` that may stand next to a month or day.
    fn year(&self, i: usize) -> Option<i32> {
        let t = self.tok(i).filter(|t| t.is_plain_int(self.text) && t.end - t.start == 4)?;
        let y: i32 = t.digits(self.text).parse().ok()?;
        if !(1000..=2999).contains(&y) || self.glued(i, i + 1) && self.is(i + 1, "%") {
            return None;
        }
        Some(y)
    }

    /// Reads the whole token stream, left to right, taking the longest expression at each point.
    fn scan(&self) -> Vec<Cand> {
        let mut out: Vec<Cand> = Vec::new();
        let mut i = 0;
        while i < self.toks.len() {
            let before = out.len();
            match self.at(i, &mut out) {
                Some(next) if out.len() > before => i = next.max(i + 1),
                _ => i += 1,
            }
        }
        out
    }

    /// Tries every pattern that may start at token `i`, pushing what it finds; returns the index
    /// after the last token used.
    fn at(&self, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let t = self.tok(i)?;
        match t.kind {
            lex::Kind::Word => self
                .relative(i, out)
                .or_else(|| self.weekday_at(i, Rel::Plain, i, out))
                .or_else(|| self.month_first(i, out))
                .or_else(|| self.ago(i, out)),
            lex::Kind::Num => self
                .numeric(i, out)
                .or_else(|| self.day_first(i, out))
                .or_else(|| self.ago(i, out))
                .or_else(|| self.decade(i, out))
                .or_else(|| self.bare_year(i, out)),
            lex::Kind::Punct => self.decade_apostrophe(i, out),
        }
    }

    fn push(out: &mut Vec<Cand>, t0: usize, t1: usize, val: Val) -> Option<usize> {
        out.push(Cand { t0, t1, val });
        Some(t1)
    }

    /// "yesterday", "today", "last week", "next month", "this year", "last night", "last May",
    /// "next Friday", "this summer", "the weekend".
    fn relative(&self, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let w = self.word(i)?;
        // "USA Today", "Good Morning Today": a capitalised word inside a name
        let t = &self.toks[i];
        if t.is_capitalised(self.text)
            && !self.sentence_start(i)
            && i.checked_sub(1).is_some_and(|p| self.toks[p].is_word() && self.toks[p].is_capitalised(self.text))
        {
            return None;
        }
        let with_daypart = |j: usize| if self.word(j).is_some_and(|d| self.v.dayparts.contains(d)) { j + 1 } else { j };
        match w {
            "yesterday" | "today" | "tomorrow" | "tonight" => {
                let n = match w {
                    "yesterday" => -1,
                    "tomorrow" => 1,
                    _ => 0,
                };
                return Self::push(out, i, with_daypart(i + 1), Val::Offset { unit: Unit::Day, n });
            }
            "the" if self.is(i + 1, "day") && matches!(self.word(i + 2), Some("before" | "after")) => {
                let n = match (self.word(i + 2), self.word(i + 3)) {
                    (Some("before"), Some("yesterday")) => -2,
                    (Some("after"), Some("tomorrow")) => 2,
                    _ => return None,
                };
                return Self::push(out, i, i + 4, Val::Offset { unit: Unit::Day, n });
            }
            "the" if self.is(i + 1, "weekend") => {
                let prev = i.checked_sub(1).and_then(|p| self.word(p));
                if matches!(prev, Some("at" | "over" | "during" | "on" | "this")) {
                    return Self::push(out, i, i + 2, Val::Weekend(Rel::Plain));
                }
                return None;
            }
            _ => {}
        }
        let rel = match w {
            "last" => Rel::Last,
            "next" => Rel::Next,
            "this" => Rel::This,
            "coming" => Rel::Next,
            _ => return None,
        };
        // "over the last year", "the next month" measure a stretch of time, not a date
        let prev = i.checked_sub(1).and_then(|p| self.word(p));
        let stretch = matches!(prev, Some("the" | "past" | "over" | "within"));
        let mut j = i + 1;
        let mut rel = rel;
        if rel == Rel::This && self.is(j, "coming") {
            rel = Rel::Next;
            j += 1;
        }
        if let Some(end) = self.weekday_at(j, rel, i, out) {
            return Some(end);
        }
        let next = self.word(j)?;
        let n = match rel {
            Rel::Last => -1,
            Rel::Next => 1,
            _ => 0,
        };
        match next {
            "week" | "month" | "year" if !stretch || w == "coming" => {
                let unit = match next {
                    "week" => Unit::Week,
                    "month" => Unit::Month,
                    _ => Unit::Year,
                };
                Self::push(out, i, j + 1, Val::Offset { unit, n })
            }
            "weekend" if !stretch => Self::push(out, i, j + 1, Val::Weekend(rel)),
            "morning" | "afternoon" | "evening" | "night" if w == "this" || (w == "last" && next == "night") => {
                Self::push(out, i, j + 1, Val::Offset { unit: Unit::Day, n: if w == "last" { -1 } else { 0 } })
            }
            "night" | "evening" if w == "last" => Self::push(out, i, j + 1, Val::Offset { unit: Unit::Day, n: -1 }),
            _ => {
                if let Some(&start) = self.v.seasons.get(next) {
                    if !stretch {
                        return Self::push(out, i, j + 1, Val::Season { start, rel });
                    }
                    return None;
                }
                let (m, k, abbr) = self.month(j)?;
                if abbr || self.day(k).is_some() || self.year(k).is_some() {
                    return None;
                }
                Self::push(out, i, k, Val::Cal { y: None, m: Some(m), d: None, rel })
            }
        }
    }

    /// A weekday at `i`, alone ("Tuesday evening") or naming a date ("Thursday 6 March",
    /// "Thursday, March 6, 2025"); `from` is where the expression started (a "last" before it).
    fn weekday_at(&self, i: usize, rel: Rel, from: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let t = self.tok(i).filter(|t| t.is_word() && t.is_capitalised(self.text))?;
        let &wd = self.v.weekdays.get(t.lower.as_str())?;
        // "Black Friday", "Super Tuesday", "Good Friday": named days, not dates
        if from == i && i.checked_sub(1).and_then(|p| self.word(p)).is_some_and(|w| self.v.day_names.contains(w)) {
            return None;
        }
        let mut j = i + 1;
        if self.is(j, ",") || self.is(j, "(") {
            j += 1;
        }
        if self.is(j, "the") {
            j += 1;
        }
        let before = out.len();
        let dated = if self.tok(j).is_some_and(|t| t.is_num()) {
            self.numeric(j, out).or_else(|| self.day_first(j, out))
        } else {
            self.month_first_dated(j, out)
        };
        if let Some(end) = dated {
            // the weekday belongs to the first date found
            out[before].t0 = from;
            if out.len() == before + 1 {
                out[before].t1 = end;
            }
            return Some(end);
        }
        out.truncate(before);
        let end = if self.word(i + 1).is_some_and(|d| self.v.dayparts.contains(d)) { i + 2 } else { i + 1 };
        Self::push(out, from, end, Val::Weekday { wd, rel })
    }

    /// Month-first dates with a day or a year, then a lone month where the context allows.
    fn month_first(&self, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        if let Some(end) = self.month_first_dated(i, out) {
            return Some(end);
        }
        let (m, k, abbr) = self.month(i)?;
        if abbr {
            return None;
        }
        let prev = i.checked_sub(1).and_then(|p| self.tok(p));
        let prev_word = prev.filter(|t| t.is_word()).map(|t| t.lower.as_str());
        let cued = prev_word.is_some_and(|w| self.v.month_cues.contains(w)) || prev.is_some_and(is_dash);
        if !cued {
            if AMBIGUOUS_MONTHS.contains(&m) {
                return None;
            }
            // "January Jones", "Ms February": names, not months
            let next_cap = self.tok(k).is_some_and(|t| t.is_word() && t.is_capitalised(self.text) && t.lower != "'s");
            let prev_cap = prev.is_some_and(|t| t.is_word() && t.is_capitalised(self.text) && !self.sentence_start(i));
            if next_cap || prev_cap {
                return None;
            }
        }
        Self::push(out, i, k, Val::Cal { y: None, m: Some(m), d: None, rel: Rel::Plain })
    }

    fn sentence_start(&self, i: usize) -> bool {
        match i.checked_sub(1).and_then(|p| self.tok(p)) {
            None => true,
            Some(t) => {
                t.is_punct() && matches!(t.lower.as_str(), "." | "!" | "?" | "\"" | "\u{201c}" | ":" | "(")
                    || self.text[t.end..self.toks[i].start].contains('\n')
            }
        }
    }

    /// "June 6", "June 6th, 2024", "March 3–6, 2025", "Jan. 5", "May 2024", "May of 2024".
    fn month_first_dated(&self, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (m, k, _) = self.month(i)?;
        if let Some((d, k2)) = self.day(k) {
            if self.blocks_day(k2) {
                return None;
            }
            // a second day after a dash or "to": "March 3–6, 2025"
            if self.is_connector(k2) && self.month(k2 + 2).is_none() {
                if let Some((d2, k3)) = self.day(k2 + 1) {
                    if !self.blocks_day(k3) {
                        let (y, end) = self.year_after(k3);
                        if !fits(y, m, d) || !fits(y, m, d2) {
                            return None;
                        }
                        out.push(Cand { t0: i, t1: k2, val: Val::Cal { y, m: Some(m), d: Some(d), rel: Rel::Plain } });
                        return Self::push(out, k2 + 1, end, Val::Cal { y, m: Some(m), d: Some(d2), rel: Rel::Plain });
                    }
                }
            }
            let (y, end) = self.year_after(k2);
            if !fits(y, m, d) {
                return None;
            }
            return Self::push(out, i, end, Val::Cal { y, m: Some(m), d: Some(d), rel: Rel::Plain });
        }
        let k = if self.is(k, "of") { k + 1 } else { k };
        let y = self.year(k)?;
        if self.blocks_year(k + 1) {
            return None;
        }
        Self::push(out, i, k + 1, Val::Cal { y: Some(y), m: Some(m), d: None, rel: Rel::Plain })
    }

    /// A year after a day, optionally after a comma; the year and the index after the date.
    /// Right after "September 11," a four-digit number is a year even before a noun ("the
    /// September 11, 2001 attacks").
    fn year_after(&self, k: usize) -> (Option<i32>, usize) {
        let j = if self.is(k, ",") { k + 1 } else { k };
        let scaled = self
            .tok(j + 1)
            .is_some_and(|t| matches!(t.lower.as_str(), "%" | "million" | "billion" | "thousand" | "percent" | "per"));
        match self.year(j) {
            Some(y) if !scaled => (Some(y), j + 1),
            _ => (None, k),
        }
    }

    /// Does the token at `k` make the number before it a count rather than a day ("May 5
    /// million", "June 6%")?
    fn blocks_day(&self, k: usize) -> bool {
        self.tok(k).is_some_and(|t| {
            matches!(t.lower.as_str(), "%" | "million" | "billion" | "thousand" | "percent" | "per" | "hundred")
                || (t.lower == ":" && self.tok(k + 1).is_some_and(|n| n.is_num()) && self.glued(k, k + 1))
                || (t.lower == "." && self.glued(k - 1, k) && self.tok(k + 1).is_some_and(|n| n.is_num()))
        })
    }

    /// Does the token at `k` make a four-digit number before it a count ("2000 people")?
    fn blocks_year(&self, k: usize) -> bool {
        self.tok(k).is_some_and(|t| {
            matches!(t.lower.as_str(), "%" | "million" | "billion" | "thousand" | "percent" | "per")
                || (t.is_word() && !t.is_capitalised(self.text) && is_plural_count(&t.lower))
        })
    }

    /// "6 June", "6th of June 2024", "the 6th of June", "3–6 March 2025", "3 and 4 June".
    fn day_first(&self, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let (d, k) = self.day(i)?;
        let month_after = |k: usize| {
            let k = if self.is(k, "of") { k + 1 } else { k };
            self.month(k)
        };
        if let Some((m, k2, _)) = month_after(k) {
            let (y, end) = self.year_after(k2);
            if !fits(y, m, d) {
                return None;
            }
            return Self::push(out, i, end, Val::Cal { y, m: Some(m), d: Some(d), rel: Rel::Plain });
        }
        if self.is_connector(k) {
            let (d2, k2) = self.day(k + 1)?;
            let (m, k3, _) = month_after(k2)?;
            let (y, end) = self.year_after(k3);
            if !fits(y, m, d) || !fits(y, m, d2) {
                return None;
            }
            out.push(Cand { t0: i, t1: k, val: Val::Cal { y, m: Some(m), d: Some(d), rel: Rel::Plain } });
            return Self::push(out, k + 1, end, Val::Cal { y, m: Some(m), d: Some(d2), rel: Rel::Plain });
        }
        None
    }

    /// All-digit dates: "2024-06-06", "2024/06/06", "6.6.2024", "06/06/2024".
    fn numeric(&self, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let t = self.tok(i)?;
        let digits = t.digits(self.text);
        // "6.6.2024": one token
        if digits.contains('.') && (t.suffix().is_empty()) {
            let parts: Vec<&str> = digits.split('.').collect();
            if parts.len() == 3 && parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
                let (d, m, y) = (parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?);
                if valid(y, m, d) {
                    return Self::push(out, i, i + 1, Val::Cal { y: Some(y), m: Some(m), d: Some(d), rel: Rel::Plain });
                }
            }
            return None;
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let sep = self.tok(i + 1).filter(|s| s.is_punct() && matches!(s.lower.as_str(), "-" | "/"))?;
        let chain = self.glued(i, i + 1)
            && self.glued(i + 1, i + 2)
            && self.glued(i + 2, i + 3)
            && self.glued(i + 3, i + 4)
            && self.tok(i + 3).is_some_and(|s| s.lower == sep.lower);
        if !chain {
            return None;
        }
        let (b_tok, c_tok) = (self.tok(i + 2)?, self.tok(i + 4)?);
        if !b_tok.is_num() || !c_tok.is_num() {
            return None;
        }
        let (b, c) = (b_tok.digits(self.text), c_tok.digits(self.text));
        if digits.len() == 4 && b.len() <= 2 && c.len() <= 2 {
            let (y, m, d) = (digits.parse().ok()?, b.parse().ok()?, c.parse().ok()?);
            if valid(y, m, d) {
                return Self::push(out, i, i + 5, Val::Cal { y: Some(y), m: Some(m), d: Some(d), rel: Rel::Plain });
            }
        } else if sep.lower == "/" && digits.len() <= 2 && b.len() <= 2 && c.len() == 4 && c_tok.suffix().is_empty() {
            let (a, b, y): (u32, u32, i32) = (digits.parse().ok()?, b.parse().ok()?, c.parse().ok()?);
            if valid(y, b, a) || valid(y, a, b) {
                return Self::push(out, i, i + 5, Val::Slashed { a, b, y });
            }
        }
        None
    }

    /// "three years ago", "2 weeks ago", "a month ago".
    fn ago(&self, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let t = self.tok(i)?;
        let n: i64 = if t.is_plain_int(self.text) {
            t.lower.parse().ok().filter(|&n| n <= 10_000)?
        } else {
            small_number(&t.lower)?
        };
        let unit_word = self.word(i + 1)?;
        if !self.is(i + 2, "ago") {
            return None;
        }
        let (unit, n) = match unit_word.trim_end_matches('s') {
            "day" => (Unit::Day, n),
            "week" => (Unit::Week, n),
            "month" => (Unit::Month, n),
            "year" => (Unit::Year, n),
            "decade" => (Unit::Year, 10 * n),
            _ => return None,
        };
        Self::push(out, i, i + 3, Val::Offset { unit, n: -n })
    }

    /// "the 1990s", "1980s"; "the 90s" only after "the", since "in her 90s" is an age.
    fn decade(&self, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let t = self.tok(i)?;
        if t.suffix() != "s" {
            return None;
        }
        let digits = t.digits(self.text);
        if !digits.ends_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: i32 = digits.parse().ok()?;
        let decade = match digits.len() {
            4 if (1000..3000).contains(&n) => n / 10,
            2 => {
                let prev = i.checked_sub(1).and_then(|p| self.word(p));
                let prev2 = i.checked_sub(2).and_then(|p| self.word(p));
                let after_the =
                    prev == Some("the") || (matches!(prev, Some("early" | "mid" | "late")) && prev2 == Some("the"));
                if !after_the {
                    return None;
                }
                two_digit_decade(n)
            }
            _ => return None,
        };
        Self::push(out, i, i + 1, Val::Decade(decade))
    }

    /// "the '90s".
    fn decade_apostrophe(&self, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let t = self.tok(i)?;
        if !matches!(t.lower.as_str(), "'" | "\u{2019}" | "\u{2018}") || !self.glued(i, i + 1) {
            return None;
        }
        let n = self.tok(i + 1).filter(|n| n.is_num() && n.suffix() == "s")?;
        let digits = n.digits(self.text);
        if digits.len() != 2 || !digits.ends_with('0') {
            return None;
        }
        Self::push(out, i, i + 2, Val::Decade(two_digit_decade(digits.parse().ok()?)))
    }

    /// A four-digit year standing alone: after a cue ("in 2000", "the 2022 elections"), at the
    /// start of a clause ("2022 was …"), or as the far end of a range ("2019–2023"). Numbers
    /// that count ("2000 troops", "about 2000") and numbers in names ("Euro 2024") are left.
    fn bare_year(&self, i: usize, out: &mut Vec<Cand>) -> Option<usize> {
        let t = self.tok(i)?;
        if !t.is_plain_int(self.text) || t.end - t.start != 4 {
            return None;
        }
        let y: i32 = t.lower.parse().ok()?;
        if !(1900..=2099).contains(&y) {
            return None;
        }
        let prev = i.checked_sub(1).and_then(|p| self.tok(p));
        if self.blocks_year(i + 1) {
            // "the 2022 elections" and "in 2011 talks" are years; "2000 troops" and "of 2000
            // people" are counts
            let determiner = prev.is_some_and(|p| YEAR_BEFORE_NOUN.contains(&p.lower.as_str()));
            let counted = self.tok(i + 1).is_some_and(|n| n.is_word() && is_plural_count(&n.lower));
            if !(determiner && counted) {
                return None;
            }
        }
        let range_end = prev.is_some_and(|_| self.is_connector(i - 1))
            && out.last().is_some_and(|c| c.t1 + 1 == i && matches!(c.val, Val::Cal { y: Some(_), .. }));
        // "2019–2023": the first year of a span of years
        let range_start = self.tok(i + 1).is_some_and(is_dash)
            && self.tok(i + 2).is_some_and(|n| {
                n.is_plain_int(self.text)
                    && n.end - n.start == 4
                    && (1900..=2099).contains(&n.lower.parse().unwrap_or(0))
            });
        let ok = match prev {
            _ if range_end || range_start => true,
            None => true,
            Some(p) if p.is_punct() => {
                let glued = self.glued(i - 1, i);
                if glued && CURRENCY_SIGNS.contains(p.lower.as_str()) {
                    false
                } else if glued && is_dash(p) {
                    // "Covid-2019"-like names are glued to a word; "mid-2023" is a date
                    match i.checked_sub(2).and_then(|q| self.tok(q)) {
                        Some(w) if w.is_word() && self.glued(i - 2, i - 1) => {
                            self.v.modifiers.iter().any(|m| m[0] == w.lower)
                                || matches!(w.lower.as_str(), "pre" | "post")
                        }
                        Some(w) if w.is_num() => false,
                        _ => true,
                    }
                } else {
                    !(glued && matches!(p.lower.as_str(), "." | "," | ":" | "/"))
                }
            }
            Some(p) if p.is_word() && self.v.year_cues.contains(p.lower.as_str()) => true,
            Some(_) => false,
        };
        if !ok {
            return None;
        }
        Self::push(out, i, i + 1, Val::Cal { y: Some(y), m: None, d: None, rel: Rel::Plain })
    }

    /// Widens each date over a modifier written before it ("mid-2023", "late March", "the end of
    /// 2024", "earlier this year"), never into the previous date.
    fn extend_modifiers(&self, cands: &mut [Cand]) {
        let mut floor = 0;
        for c in cands.iter_mut() {
            'mods: for m in &self.v.modifiers {
                if m.len() > c.t0 - floor {
                    continue;
                }
                let start = c.t0 - m.len();
                for (k, w) in m.iter().enumerate() {
                    let t = &self.toks[start + k];
                    let ok = if w == "-" { is_dash(t) && self.glued(start + k, start + k + 1) } else { &t.lower == w };
                    if !ok {
                        continue 'mods;
                    }
                }
                c.t0 = start;
                break;
            }
            floor = c.t1;
        }
    }

    /// Gives a month without a year the year of its neighbour across a range word or a comma:
    /// "between February and May 2024", "January, February and March 2023", "from May 2023 to
    /// February".
    fn inherit_years(&self, cands: &mut [Cand]) {
        let link = |a: &Cand, b: &Cand, commas: bool| {
            b.t0 == a.t1 + 1 && (self.is_connector(a.t1) || (commas && self.is(a.t1, ",")))
        };
        for k in (0..cands.len().saturating_sub(1)).rev() {
            if !link(&cands[k], &cands[k + 1], true) {
                continue;
            }
            let right = match cands[k + 1].val {
                Val::Cal { y: Some(by), m: Some(bm), .. } => (by, bm),
                _ => continue,
            };
            if let Val::Cal { y: y @ None, m: Some(am), rel: Rel::Plain, .. } = &mut cands[k].val {
                *y = Some(if *am > right.1 { right.0 - 1 } else { right.0 });
            }
        }
        for k in 1..cands.len() {
            if !link(&cands[k - 1], &cands[k], false) {
                continue;
            }
            let left = match cands[k - 1].val {
                Val::Cal { y: Some(ay), m: Some(am), .. } => (ay, am),
                _ => continue,
            };
            if let Val::Cal { y: y @ None, m: Some(bm), rel: Rel::Plain, .. } = &mut cands[k].val {
                *y = Some(if *bm < left.1 { left.0 + 1 } else { left.0 });
            }
        }
    }
}

/// Could day `d` of month `m` exist (in year `y` when known)?
fn fits(y: Option<i32>, m: u32, d: u32) -> bool {
    match y {
        Some(y) => valid(y, m, d),
        None => d <= days_in_month(2000, m),
    }
}

fn two_digit_decade(n: i32) -> i32 {
    if n >= 30 {
        190 + n / 10
    } else {
        200 + n / 10
    }
}

/// A plural noun that counts things ("troops", "people") — after a four-digit number it makes the
/// number a count, not a year.
pub(crate) fn is_plural_count(w: &str) -> bool {
    if matches!(w, "people" | "children" | "men" | "women" | "police" | "personnel" | "staff" | "cattle" | "sheep") {
        return true;
    }
    w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && w.chars().all(|c| c.is_alphabetic())
}

fn small_number(w: &str) -> Option<i64> {
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        _ => return None,
    })
}

/// Settles slashed dates by the order the article's unambiguous ones use ("25/12/2024" is day
/// first); with nothing to tell, day first, as most of the world writes it.
fn settle_slashes(cands: &mut [Cand]) {
    let mut day_first = None;
    for c in cands.iter() {
        if let Val::Slashed { a, b, .. } = c.val {
            if a > 12 {
                day_first = Some(true);
                break;
            }
            if b > 12 {
                day_first = Some(false);
                break;
            }
        }
    }
    let day_first = day_first.unwrap_or(true);
    for c in cands.iter_mut() {
        if let Val::Slashed { a, b, y } = c.val {
            let (m, d) = if (day_first && valid(y, b, a)) || !valid(y, a, b) { (b, a) } else { (a, b) };
            c.val = Val::Cal { y: Some(y), m: Some(m), d: Some(d), rel: Rel::Plain };
        }
    }
}

/// What relative dates are counted from: a full date, or only a year (and perhaps a month).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Reference {
    y: Option<i32>,
    m: Option<u32>,
    d: Option<u32>,
}

impl Reference {
    fn choose(published: Option<&str>, cands: &[Cand]) -> Reference {
        let pubd = published.map(parse_iso).unwrap_or_default();
        if pubd.d.is_some() {
            return pubd;
        }
        let full = cands
            .iter()
            .filter_map(|c| match c.val {
                Val::Cal { y: Some(y), m: Some(m), d: Some(d), .. } => Some((y, m, d)),
                _ => None,
            })
            .max();
        if let Some((y, m, d)) = full {
            return Reference { y: Some(y), m: Some(m), d: Some(d) };
        }
        if pubd.y.is_some() {
            return pubd;
        }
        let year = cands
            .iter()
            .filter_map(|c| match c.val {
                Val::Cal { y: Some(y), m: Some(_), .. } => Some(y),
                _ => None,
            })
            .max();
        Reference { y: year, m: None, d: None }
    }

    fn days(&self) -> Option<i64> {
        Some(days_from_civil(self.y?, self.m?, self.d?))
    }

    fn resolve(&self, v: &Val, tense: Tense) -> Option<String> {
        match *v {
            Val::Cal { y: Some(y), m, d, .. } => Some(match (m, d) {
                (Some(m), Some(d)) => ymd(y, m, d),
                (Some(m), None) => ym(y, m),
                _ => format!("{y:04}"),
            }),
            Val::Cal { y: None, m: Some(m), d, rel } => {
                let y = self.year_for(m, d, rel, tense)?;
                match d {
                    Some(d) if valid(y, m, d) => Some(ymd(y, m, d)),
                    Some(_) => None,
                    None => Some(ym(y, m)),
                }
            }
            Val::Cal { .. } | Val::Slashed { .. } => None,
            Val::Decade(n) => Some(n.to_string()),
            Val::Weekday { wd, rel } => {
                let r = self.days()?;
                let rw = weekday(r) as i64;
                let back = (rw - wd as i64).rem_euclid(7);
                let fwd = (wd as i64 - rw).rem_euclid(7);
                let day = match (rel, tense) {
                    (Rel::Last, _) => r - if back == 0 { 7 } else { back },
                    (Rel::Next, _) => r + if fwd == 0 { 7 } else { fwd },
                    (_, Tense::Future) => r + fwd,
                    _ => r - back,
                };
                common_prefix(day, day)
            }
            Val::Offset { unit, n } => match unit {
                Unit::Day => self.days().and_then(|r| common_prefix(r + n, r + n)),
                Unit::Week => {
                    let r = self.days()?;
                    let monday = r - weekday(r) as i64 + 7 * n;
                    common_prefix(monday, monday + 6)
                }
                Unit::Month => {
                    let total = self.y? as i64 * 12 + self.m? as i64 - 1 + n;
                    Some(ym(total.div_euclid(12) as i32, total.rem_euclid(12) as u32 + 1))
                }
                Unit::Year => Some(format!("{:04}", self.y? as i64 + n)),
            },
            Val::Weekend(rel) => {
                let r = self.days()?;
                let rw = weekday(r) as i64;
                let sat = r - (rw - 5).rem_euclid(7); // the latest Saturday not after r
                let in_weekend = rw >= 5;
                let day = match (rel, tense) {
                    (Rel::Last, _) => {
                        if in_weekend {
                            sat - 7
                        } else {
                            sat
                        }
                    }
                    (Rel::Next, _) => sat + 7,
                    (_, Tense::Past) => sat,
                    _ if in_weekend => sat,
                    _ => sat + 7,
                };
                common_prefix(day, day + 1)
            }
            Val::Season { start, rel } => {
                if start == 12 {
                    // a winter spans two years: "last winter" has no single year
                    return None;
                }
                let y = self.y?;
                match (rel, self.m) {
                    (Rel::This | Rel::Plain, _) => Some(y),
                    (Rel::Last, Some(m)) => Some(if m > start + 2 { y } else { y - 1 }),
                    (Rel::Next, Some(m)) => Some(if m < start { y } else { y + 1 }),
                    _ => None,
                }
                .map(|y| format!("{y:04}"))
            }
        }
    }

    /// The year of a month (and day) written without one.
    fn year_for(&self, m: u32, d: Option<u32>, rel: Rel, tense: Tense) -> Option<i32> {
        let ry = self.y?;
        let Some(rm) = self.m else {
            return Some(match rel {
                Rel::Last => ry - 1,
                Rel::Next => ry + 1,
                _ => ry,
            });
        };
        Some(match rel {
            Rel::Last => {
                if m < rm {
                    ry
                } else {
                    ry - 1
                }
            }
            Rel::Next => {
                if m > rm {
                    ry
                } else {
                    ry + 1
                }
            }
            Rel::This => ry,
            Rel::Plain => match (d, self.d) {
                (Some(d), Some(rd)) => {
                    // a week's grace either way: publication times and time zones blur the edge
                    let here = days_from_civil(ry, m, d.min(days_in_month(ry, m)));
                    let r = days_from_civil(ry, rm, rd);
                    match tense {
                        Tense::Past if here > r + 7 => ry - 1,
                        Tense::Future if here < r - 7 => ry + 1,
                        _ => ry,
                    }
                }
                _ => match tense {
                    Tense::Past if m > rm => ry - 1,
                    Tense::Future if m < rm => ry + 1,
                    _ => ry,
                },
            },
        })
    }
}

/// Reads an ISO date prefix ("2024", "2024-06", "2024-06-06T10:00:00Z").
fn parse_iso(s: &str) -> Reference {
    let s = s.trim();
    let mut parts = s.get(..s.len().min(10)).unwrap_or("").split('-');
    let y = parts.next().and_then(|p| p.parse::<i32>().ok()).filter(|y| (1000..3000).contains(y));
    let m = parts.next().and_then(|p| p.parse::<u32>().ok()).filter(|m| (1..=12).contains(m));
    let d = parts.next().and_then(|p| p.get(..2)).and_then(|p| p.parse::<u32>().ok());
    match (y, m, d) {
        (Some(y), Some(m), Some(d)) if valid(y, m, d) => Reference { y: Some(y), m: Some(m), d: Some(d) },
        (Some(y), Some(m), _) => Reference { y: Some(y), m: Some(m), d: None },
        (Some(y), _, _) => Reference { y: Some(y), m: None, d: None },
        _ => Reference::default(),
    }
}

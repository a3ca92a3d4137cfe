//! Amounts: numbers with what they count ("more than 400 Russian tourists", "€2 million",
//! "846 days", "12%").
//!
//! Read left to right over the shared token stream: an optional approximation ("more than"), an
//! optional currency sign, a number in digits or words with its scale ("2.4 million", "half a
//! million"), an optional second number making a range ("10 to 15", "four- or five-day"), and
//! then the unit — a currency, per cent, a unit of time or measure, or the counted noun, found as
//! the first plural noun within a few words. The value is the first number of a range. Dates run
//! first, and nothing inside one is read again, so "in 2000" and "June 6" never become amounts.
//!
//! What is left out is as deliberate as what is kept: numbers in labels ("Article 5",
//! "Covid-19"), clock times, ordinals, vague plurals ("hundreds of"), and small number words that
//! count nothing measurable ("the two countries", "one of the …").

mod numbers;
#[cfg(test)]
mod tests;
mod units;
mod vocab;

use crate::dates::lex::{is_dash, lex, Tok};
use crate::pipeline::Annotator;
use newsgraph_doc::{Amount, Document, Span};
use numbers::{parse_digits, parse_words};
use units::{is_plural, singular};
use vocab::{vocab, Vocab};

/// Fills `doc.amounts`; run after the date tagger.
pub struct AmountTagger;

impl Annotator for AmountTagger {
    fn name(&self) -> &'static str {
        "amounts"
    }
    fn annotate(&self, doc: &mut Document) {
        let dates: Vec<Span> = doc.dates.iter().map(|d| d.span).collect();
        doc.amounts = find_amounts(&doc.text, &dates);
    }
}

/// Finds the amounts in `text`, leaving alone anything that overlaps one of `dates`.
pub fn find_amounts(text: &str, dates: &[Span]) -> Vec<Amount> {
    let toks = lex(text);
    let mut dates: Vec<Span> = dates.to_vec();
    dates.sort();
    let in_date: Vec<bool> = toks
        .iter()
        .map(|t| {
            let span = Span::new(t.start, t.end);
            let k = dates.partition_point(|d| d.end <= t.start);
            dates.get(k).is_some_and(|d| d.overlaps(span))
        })
        .collect();
    let r = Reader { text, toks: &toks, v: vocab(), in_date: &in_date };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match r.amount_at(i) {
            Some((a, next)) => {
                if !dates.iter().any(|d| d.overlaps(a.span)) {
                    out.push(a);
                }
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// What kind of thing a unit is; small number words only count time, money and measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Money,
    Percent,
    Time,
    Measure,
    Count,
    None,
}

/// A number as read: its value and the tokens it took.
#[derive(Debug, Clone, Copy)]
struct Number {
    value: f64,
    /// The power of ten of the scale written with it ("million" 6), so that the first number
    /// of "$5–10 million" can take the scale of the second.
    pow: i32,
    end: usize,
    words: bool,
    /// Digits only, no separators, decimals or scale: could be a year or a label.
    plain: bool,
    /// A unit glued to the digits ("10km").
    glued_unit: Option<(&'static str, Class)>,
}

struct Reader<'a> {
    text: &'a str,
    toks: &'a [Tok],
    v: &'static Vocab,
    in_date: &'a [bool],
}

impl<'a> Reader<'a> {
    fn tok(&self, i: usize) -> Option<&'a Tok> {
        self.toks.get(i)
    }

    fn word(&self, i: usize) -> Option<&'a str> {
        self.tok(i).filter(|t| t.is_word()).map(|t| t.lower.as_str())
    }

    fn is(&self, i: usize, s: &str) -> bool {
        self.tok(i).is_some_and(|t| t.lower == s)
    }

    fn raw(&self, i: usize) -> &'a str {
        let t = &self.toks[i];
        &self.text[t.start..t.end]
    }

    fn glued(&self, a: usize, b: usize) -> bool {
        match (self.tok(a), self.tok(b)) {
            (Some(x), Some(y)) => x.end == y.start,
            _ => false,
        }
    }

    fn dated(&self, i: usize) -> bool {
        self.in_date.get(i).copied().unwrap_or(false)
    }

    /// Is there a line break between tokens `a` and `b`?
    fn broken(&self, a: usize, b: usize) -> bool {
        match (self.tok(a), self.tok(b)) {
            (Some(x), Some(y)) => self.text[x.end..y.start].contains('\n'),
            _ => true,
        }
    }

    fn sentence_start(&self, i: usize) -> bool {
        match i.checked_sub(1).and_then(|p| self.tok(p)) {
            None => true,
            Some(t) => {
                (t.is_punct()
                    && matches!(
                        t.lower.as_str(),
                        "." | "!" | "?" | ":" | "\"" | "\u{201c}" | "(" | "\u{2013}" | "\u{2014}" | "-"
                    ))
                    || self.broken(i - 1, i)
            }
        }
    }

    /// Does the phrase `words` end just before token `end`? Returns where it starts.
    fn phrase_before(&self, words: &[String], end: usize) -> Option<usize> {
        let start = end.checked_sub(words.len())?;
        for (k, w) in words.iter().enumerate() {
            let t = self.tok(start + k)?;
            if &t.lower != w || self.dated(start + k) {
                return None;
            }
        }
        // "approx ." must be glued; so must every dot in a phrase
        Some(start)
    }

    /// Does the phrase `words` start at token `i`? Returns the index after it.
    fn phrase_at(&self, words: &[String], i: usize) -> Option<usize> {
        for (k, w) in words.iter().enumerate() {
            if self.tok(i + k)?.lower != *w || self.dated(i + k) {
                return None;
            }
        }
        Some(i + words.len())
    }

    /// A currency written before the number: "$", "US$", "€", "NOK", "Rs.". Returns the code
    /// and the index of the number.
    fn currency_prefix(&self, i: usize) -> Option<(String, usize)> {
        let t = self.tok(i)?;
        let num_at = |k: usize| self.tok(k).is_some_and(|n| n.is_num() || n.is_word()).then_some(k);
        if t.is_punct() {
            let code = self.v.signs.get(self.raw(i))?;
            return Some((code.clone(), num_at(i + 1)?));
        }
        if !t.is_word() {
            return None;
        }
        let raw = self.raw(i);
        if let Some(next) = self.tok(i + 1).filter(|n| n.is_punct() && self.glued(i, i + 1)) {
            let key = format!("{raw}{}", &self.text[next.start..next.end]);
            if let Some(code) = self.v.signs.get(&key) {
                return Some((code.clone(), num_at(i + 2)?));
            }
        }
        let code = self.v.codes.get(raw).or_else(|| self.v.signs.get(raw))?;
        self.tok(i + 1).filter(|n| n.is_num())?;
        Some((code.clone(), i + 1))
    }

    /// Is the number at `i` part of a label, a clock time, a fraction or a list marker rather
    /// than an amount?
    fn is_label(&self, i: usize) -> bool {
        let t = &self.toks[i];
        let prev = i.checked_sub(1).and_then(|p| self.tok(p));
        let glued_prev = i > 0 && self.glued(i - 1, i);
        let glued_next = self.glued(i, i + 1);
        // "Covid-19", "F-16"
        if glued_prev && prev.is_some_and(is_dash) && i >= 2 && self.glued(i - 2, i - 1) && self.toks[i - 2].is_word() {
            return true;
        }
        // scores: "won 3-1", "a 2-0 win" (a range climbs: "10-15")
        let int =
            |k: usize| self.tok(k).filter(|n| n.is_plain_int(self.text)).and_then(|n| n.lower.parse::<u64>().ok());
        let score = |a: usize, b: usize| {
            self.tok(a + 1).is_some_and(is_dash)
                && self.glued(a, a + 1)
                && self.glued(a + 1, b)
                && matches!((int(a), int(b)), (Some(x), Some(y)) if y <= x)
        };
        if (i >= 2 && score(i - 2, i)) || score(i, i + 2) {
            return true;
        }
        // clock times, fractions, ratios, version numbers: "18:42", "1/3", "24/7"
        let joins =
            |k: usize| self.tok(k).is_some_and(|s| matches!(s.lower.as_str(), ":" | "/" | "." | "," | "#" | "+" | "×"));
        if glued_next && joins(i + 1) && self.glued(i + 1, i + 2) && self.tok(i + 2).is_some_and(|n| n.is_num()) {
            return true;
        }
        if glued_prev
            && joins(i - 1)
            && i >= 2
            && (self.toks[i - 2].is_num() || matches!(self.toks[i - 1].lower.as_str(), "#" | "+"))
        {
            return true;
        }
        // times of day: "10 a.m.", "10pm", "at 9 o'clock"
        if matches!(t.suffix(), "am" | "pm" | "h" | "hrs" | "gmt" | "utc") {
            return true;
        }
        if matches!(
            self.word(i + 1),
            Some("a.m." | "p.m." | "am" | "pm" | "o'clock" | "gmt" | "utc" | "cet" | "cest" | "bst")
        ) {
            return true;
        }
        // a list marker at the start of a line: "1. …", "2) …"
        let line_start = prev.is_none() || self.broken(i - 1, i);
        if line_start && glued_next && matches!(self.tok(i + 1).map(|n| n.lower.as_str()), Some("." | ")")) {
            return true;
        }
        false
    }

    /// A number at `i`, in digits or words, with its scale.
    fn number(&self, i: usize, money: bool) -> Option<Number> {
        let t = self.tok(i)?;
        if self.dated(i) {
            return None;
        }
        if t.is_word() {
            let (value, end) = parse_words(self.toks, i)?;
            // the scale inside the words, for ranges: "two or three million"
            let pow = self.word(end - 1).and_then(|w| self.v.scales.get(w)).copied().filter(|&p| p >= 3).unwrap_or(0);
            return Some(Number { value, pow, end, words: true, plain: false, glued_unit: None });
        }
        if !t.is_num() || self.is_label(i) {
            return None;
        }
        let digits = t.digits(self.text);
        let suffix = t.suffix();
        let mut pow = 0;
        let mut glued_unit = None;
        if !suffix.is_empty() {
            if let Some(&p) = self.v.scale_abbrs.get(suffix).filter(|_| suffix.len() > 1 || money) {
                pow = p;
            } else if let Some(u) = self.v.time.get(suffix) {
                glued_unit = Some((u.as_str(), Class::Time));
            } else if let Some(u) = self.v.measures.get(suffix).filter(|u| {
                // "10km", "512GB"; but "5500M" is a model name
                let written = &self.text[t.digits_end..t.end];
                written == written.to_lowercase() || written == u.as_str()
            }) {
                glued_unit = Some((u.as_str(), Class::Measure));
            } else {
                // ordinals ("6th"), decades and ages ("1990s", "50s"), labels ("5G", "3D")
                return None;
            }
        }
        let mut end = i + 1;
        // "a 13.8-billion-year period"
        if pow == 0
            && glued_unit.is_none()
            && self.tok(end).is_some_and(is_dash)
            && self.glued(i, end)
            && self.glued(end, end + 1)
        {
            if let Some(&p) = self.word(end + 1).and_then(|w| self.v.scales.get(w)).filter(|&&p| p >= 3) {
                pow = p;
                end += 2;
            }
        }
        if pow == 0 && glued_unit.is_none() {
            if let Some(w) = self.word(end) {
                if let Some(&p) = self.v.scales.get(w) {
                    pow = p;
                    end += 1;
                } else if let Some(&p) = self.v.scale_abbrs.get(w).filter(|_| w.len() > 1 || money) {
                    pow = p;
                    end += 1;
                }
            }
        }
        // a dot before three digits is a thousands separator in translated text ("2.400
        // people", "€1.500"), but a decimal point before "%" or a unit ("2.252%", "1.250 km")
        let counted = money
            || self
                .word(end)
                .is_some_and(|w| is_plural(w) && !self.v.measures.contains_key(w) && !self.v.time.contains_key(w))
            || self.v.currencies.iter().any(|(c, _)| self.phrase_at(c, end).is_some());
        let dec = parse_digits(digits, pow > 0 || !counted)?;
        if digits.len() > 9 && dec.decimals == 0 && !digits.contains([',', '.']) {
            // ids and phone numbers
            return None;
        }
        let plain = pow == 0 && digits.bytes().all(|b| b.is_ascii_digit());
        Some(Number { value: dec.scaled(pow), pow, end, words: false, plain, glued_unit })
    }

    /// A second number after `first` that makes a range: "10 to 15", "10–15", "four- or five-",
    /// "between 10 and 15". Returns it and where it starts.
    fn range_end(&self, first: &Number, start: usize, money: bool) -> Option<(Number, usize)> {
        let k = first.end;
        if first.glued_unit.is_some() {
            return None;
        }
        let prev = start.checked_sub(1).and_then(|p| self.word(p));
        let conn = if self.tok(k).is_some_and(is_dash) {
            if self.glued(k - 1, k) && matches!(self.word(k + 1), Some("or" | "to" | "and")) {
                k + 2
            } else {
                k + 1
            }
        } else {
            match self.word(k) {
                // "from 5% to 7%" is a change, two amounts
                Some("to") if prev != Some("from") => k + 1,
                Some("or") => k + 1,
                Some("and") if prev == Some("between") => k + 1,
                _ => return None,
            }
        };
        let second = self.number(conn, money)?;
        if second.words != first.words {
            return None;
        }
        let mut low = first.value;
        if first.pow == 0 && second.pow > 0 {
            low *= 10f64.powi(second.pow);
        }
        (second.value > low).then_some((Number { value: low, ..second }, conn))
    }

    /// The unit after a number ending at `k`: its text, class and the index after it. `Err` when
    /// the number turns out not to be an amount at all ("two-thirds").
    fn unit_at(&self, k: usize, value: f64) -> Result<(Option<String>, Class, usize), ()> {
        let v = self.v;
        let Some(t) = self.tok(k) else { return Ok((None, Class::None, k)) };
        if self.dated(k) {
            return Ok((None, Class::None, k));
        }
        if t.lower == "%" {
            return Ok((Some("percent".into()), Class::Percent, k + 1));
        }
        for (words, unit) in &v.percent {
            if let Some(end) = self.phrase_at(words, k) {
                return Ok((Some(unit.clone()), Class::Percent, end));
            }
        }
        if t.is_punct() {
            if let Some(code) = v.signs.get(self.raw(k)) {
                return Ok((Some(code.clone()), Class::Money, k + 1));
            }
            // "five-day", "47-year-old": a unit glued on with a hyphen
            if is_dash(t) && self.glued(k - 1, k) && self.glued(k, k + 1) {
                if let Some(w) = self.word(k + 1) {
                    return self.compound(k + 1, w);
                }
            }
            return Ok((None, Class::None, k));
        }
        if t.is_num() {
            return Ok((None, Class::None, k));
        }
        let raw = self.raw(k);
        if let Some(code) = v.codes.get(raw).or_else(|| if raw == "kr" { v.signs.get(raw) } else { None }) {
            return Ok((Some(code.clone()), Class::Money, k + 1));
        }
        for (words, code) in &v.currencies {
            if let Some(end) = self.phrase_at(words, k) {
                if words.last().is_some_and(|w| w.starts_with("pound")) && self.is(end, "of") {
                    return Ok((Some("pound".into()), Class::Measure, end));
                }
                return Ok((Some(code.clone()), Class::Money, end));
            }
        }
        let w = t.lower.as_str();
        if matches!(w, "cubic" | "square" | "sq") {
            if let Some(u) = self.word(k + 1).and_then(|n| v.measures.get(n)) {
                let adj = if w == "sq" { "square" } else { w };
                return Ok(self.per(format!("{adj} {u}"), Class::Measure, k + 2));
            }
        }
        if let Some(u) = v.time.get(w) {
            return Ok(self.per(u.clone(), Class::Time, k + 1));
        }
        if let Some(u) = v.measures.get(w).filter(|_| !t.is_capitalised(self.text) || w.len() <= 3) {
            return Ok(self.per(u.clone(), Class::Measure, k + 1));
        }
        Ok(self.counted(k, value))
    }

    /// "120 cubic metres per second", "5 km/h": a rate after a unit of measure.
    fn per(&self, unit: String, class: Class, k: usize) -> (Option<String>, Class, usize) {
        if class == Class::Measure && self.is(k, "per") {
            if let Some(w) = self.word(k + 1) {
                if let Some(u) = self.v.time.get(w).or_else(|| self.v.measures.get(w)) {
                    return (Some(format!("{unit} per {u}")), class, k + 2);
                }
            }
        }
        (Some(unit), class, k)
    }

    /// A unit hyphenated to the number at word `w` (index `k`): "five-day tours", "47-year-old",
    /// "a 10-member board".
    fn compound(&self, k: usize, w: &str) -> Result<(Option<String>, Class, usize), ()> {
        let v = self.v;
        // "two-thirds", "20-of", "one-off", "44-hundred block" (an address)
        if v.fractions.contains(w)
            || v.stops.contains(w)
            || v.scales.contains_key(w)
            || matches!(w, "fold" | "way" | "sided" | "time" | "times")
        {
            return Err(());
        }
        let (unit, class) = if let Some(u) = v.time.get(w) {
            (u.clone(), Class::Time)
        } else if let Some(u) = v.measures.get(w) {
            (u.clone(), Class::Measure)
        } else if w.chars().all(|c| c.is_alphabetic()) {
            (singular(w), Class::Count)
        } else {
            return Err(());
        };
        let mut end = k + 1;
        // "47-year-old", "year-long"
        while self.tok(end).is_some_and(is_dash)
            && self.glued(end - 1, end)
            && self.glued(end, end + 1)
            && self.word(end + 1).is_some()
        {
            end += 2;
        }
        // and the noun it describes: "five-day tours", "a 10-year sentence"
        if let Some(n) = self.word(end) {
            let t = &self.toks[end];
            if !v.stops.contains(n) && !t.is_capitalised(self.text) && !self.dated(end) && !self.broken(end - 1, end) {
                end += 1;
            }
        }
        Ok((Some(unit), class, end))
    }

    /// The counted noun: the first plural noun within a few words ("400 Russian tourists", "42
    /// new gauging stations"), or for one thing the noun right after ("1 person").
    fn counted(&self, k: usize, value: f64) -> (Option<String>, Class, usize) {
        let v = self.v;
        let mut j = k;
        let mut seen = 0;
        let mut single = None;
        while seen < 4 {
            let Some(t) = self.tok(j) else { break };
            if self.dated(j) || j == 0 || self.broken(j - 1, j) {
                break;
            }
            if t.is_punct() {
                // "war-damaged buildings": a hyphen inside a modifier
                if is_dash(t) && self.glued(j - 1, j) && self.glued(j, j + 1) && j > k {
                    j += 1;
                    continue;
                }
                break;
            }
            if t.is_num() {
                break;
            }
            let w = t.lower.as_str();
            let cap = t.is_capitalised(self.text);
            // capitalised, "US" and "IT" are names, not the pronoun and the determiner
            if (v.stops.contains(w) && !cap) || v.fractions.contains(w) || v.numbers.contains_key(w) {
                break;
            }
            if cap && seen > 0 && !self.toks[j - 1].is_capitalised(self.text) {
                // a name begins: "3 years Putin …"
                break;
            }
            if let Some(u) = v.time.get(w).filter(|_| seen > 0 && !cap) {
                return (Some(u.clone()), Class::Time, j + 1);
            }
            // demonyms in -is count too: "600,000 Israelis"
            if (is_plural(w) && (!cap || seen == 0)) || (cap && seen == 0 && w.len() > 5 && w.ends_with("is")) {
                return (Some(singular(w)), Class::Count, j + 1);
            }
            if value == 1.0 && w.ends_with("ly") {
                // an adverb ends the noun phrase: "1 medium apple daily"
                break;
            }
            if value == 1.0 && !cap && w.chars().all(|c| c.is_alphabetic()) {
                // one thing: the last of the words after it ("1 medium apple")
                single = Some((w.to_string(), j + 1));
            }
            seen += 1;
            j += 1;
        }
        match single {
            Some((w, end)) => (Some(w), Class::Count, end),
            None => (None, Class::None, k),
        }
    }

    /// An approximation ending just before token `i`: "more than", "nearly", "about".
    fn approx_before(&self, i: usize) -> Option<(String, usize)> {
        for words in &self.v.approx {
            if let Some(start) = self.phrase_before(words, i) {
                // "approx." needs its dot glued
                if words.iter().any(|w| w == ".") && !self.glued(start, start + 1) {
                    continue;
                }
                return Some((words.join(" ").replace(" .", "."), start));
            }
        }
        None
    }

    /// Reads an amount starting at token `i`; returns it and the index after it.
    fn amount_at(&self, i: usize) -> Option<(Amount, usize)> {
        if self.dated(i) {
            return None;
        }
        let (currency, num_at) = match self.currency_prefix(i) {
            Some((c, j)) => (Some(c), j),
            None => (None, i),
        };
        let money = currency.is_some();
        let first = self.number(num_at, money)?;
        let mut num = first;
        let mut range = false;
        if let Some((second, _)) = self.range_end(&first, i, money) {
            num = second;
            range = true;
        }
        let mut approx = self.approx_before(i);
        let mut end = num.end;
        // "300-plus", "40-odd"
        if !range
            && self.tok(end).is_some_and(is_dash)
            && self.glued(end - 1, end)
            && matches!(self.word(end + 1), Some("plus" | "odd"))
        {
            approx = Some((self.word(end + 1).unwrap_or_default().to_string(), approx.map_or(i, |a| a.1)));
            end += 2;
        }
        let (unit, class, unit_end) = match (&currency, num.glued_unit) {
            (Some(code), _) => (Some(code.clone()), Class::Money, end),
            (None, Some((u, c))) => self.per(u.to_string(), c, end),
            (None, None) => self.unit_at(end, num.value).ok()?,
        };
        end = unit_end;
        if approx.is_none() {
            for words in &self.v.approx_after {
                if words.len() < 2 {
                    continue;
                }
                if let Some(e) = self.phrase_at(words, end) {
                    approx = Some((words.join(" "), i));
                    end = e;
                    break;
                }
            }
        }
        let value = num.value;
        if !self.keep(i, num_at, &first, unit.as_deref(), class, approx.is_some()) {
            return None;
        }
        let mut start = approx.as_ref().map_or(i, |a| a.1.min(i));
        if range && start == i && i > 0 && self.word(i - 1) == Some("between") {
            start = i - 1;
        }
        let span = Span::new(self.toks[start].start, self.toks[end - 1].end);
        Some((Amount { span, value, unit, approx: approx.map(|a| a.0) }, end))
    }

    /// Whether a number read with its unit is worth keeping as an amount.
    fn keep(&self, i: usize, num_at: usize, first: &Number, unit: Option<&str>, class: Class, approx: bool) -> bool {
        let v = self.v;
        let prev_tok = i.checked_sub(1).and_then(|p| self.tok(p));
        let prev = prev_tok.filter(|t| t.is_word()).map(|t| t.lower.as_str());
        if class == Class::Money {
            return true;
        }
        if first.words {
            let n = first.value;
            // "at one point"
            if n == 1.0 && unit == Some("point") {
                return false;
            }
            if n < 3.0 {
                // "the two countries", "one of the …": small words count only what is measured
                if !matches!(class, Class::Time | Class::Percent | Class::Measure) {
                    return false;
                }
                // "One day, …" and "one year later" are manners of speaking, "for one year" is not
                if n == 1.0 && class == Class::Time && !approx && !prev.is_some_and(|w| v.duration_cues.contains(w)) {
                    return false;
                }
            }
            return class != Class::None;
        }
        if prev.is_some_and(|w| v.name_before.contains(w)) {
            return false;
        }
        let year_like = first.plain && (1900.0..=2099.0).contains(&first.value);
        // "raising the 2016 elections": a year the date tagger let pass, not a count
        if year_like && prev.is_some_and(|w| crate::dates::YEAR_BEFORE_NOUN.contains(&w)) {
            return false;
        }
        if class == Class::None || class == Class::Count {
            // "Article 5", "Boeing 737", "Euro 2024": a number after a capitalised word labels it
            let named = prev_tok
                .is_some_and(|t| t.is_word() && t.is_capitalised(self.text) && !self.sentence_start(num_at - 1))
                && num_at == i;
            if named && (class == Class::None || year_like) {
                return false;
            }
        }
        if class == Class::None {
            if year_like {
                return false;
            }
            // a bare number is an amount only when the words around it say it is a quantity
            // "rose to 45": "to" and "from" only after a verb of change
            let before = i.checked_sub(2).and_then(|p| self.word(p));
            return approx
                || match prev {
                    Some("to" | "from") => before.is_some_and(|w| v.change_cues.contains(w)),
                    Some(w) => v.change_cues.contains(w),
                    None => false,
                };
        }
        true
    }
}

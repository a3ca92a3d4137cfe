//! Pattern-based event coding.
//!
//! In each sentence the coder finds the word patterns of `data/vocab/events.tsv` (the longest at
//! each word), drops the ones that are only the content of another ("threatened to impose
//! sanctions" is a threat, not sanctions), reads the modality from the words before each, and
//! finds the actor (the subject before the pattern, or the agent after "by" in the passive)
//! and the target (the first name after it) among the sentence's entities and untagged country
//! names. An action said to lie in the future is coded as PLOVER does: a cooperative one as a
//! promise (AGREE), a hostile one the actor says it will take as a threat (THREATEN), a
//! cooperative one it says it will not take as a refusal (REJECT).
//!
//! A pattern gives one event for each actor and target the text names together ("Jordan and
//! Britain agreed", "embargoes on Iran, Libya and Cuba"). An assault or protest whose doer is
//! not named is coded to the country where it took place (`@venue`).

use super::actors::{Head, Places};
use super::grammar::*;
use super::sentence::{candidates, words, Break, Cand, Word};
use super::vocab::{Cue, Part, Pattern, Vocab};
use newsgraph_doc::{DateMention, Document, EntityType, Event, Modality, Span};

pub struct PatternCoder {
    pub(super) vocab: Vocab,
}

/// One pattern found in a sentence: word indexes `start..end`.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub(super) pat: usize,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Set when a promise or vow before it says the actor will do it.
    pub(super) promised: bool,
    /// Set by a governing pattern whose content this is.
    pub(super) absorbed: bool,
    /// For a governing THREATEN: the mode of the threatened action.
    pub(super) threat_mode: Option<String>,
    /// Where the pattern before it starts.
    pub(super) prev: Option<usize>,
    /// For a governing pattern: the first pattern of its content ("agreed to [lift embargoes
    /// on …]"), whose object is its target when it names none of its own.
    pub(super) content: Option<(usize, usize, usize)>,
}

impl Default for PatternCoder {
    fn default() -> Self {
        Self::standard()
    }
}

impl PatternCoder {
    pub fn standard() -> Self {
        PatternCoder { vocab: Vocab::standard() }
    }

    /// Lines of the vocabulary files that could not be read.
    pub fn problems(&self) -> &[String] {
        &self.vocab.problems
    }

    pub(super) fn pattern(&self, f: &Found) -> &Pattern {
        &self.vocab.patterns[f.pat]
    }

    /// Tries a pattern at word `i`; returns the index after the match. A match never crosses a
    /// comma, and never takes a capitalised word inside a sentence (a name, "March").
    fn match_at(&self, p: &Pattern, words: &[Word], i: usize) -> Option<usize> {
        if i > 0 && words[i].cap && !words[i].lower.contains('-') {
            return None;
        }
        // a verb after "the" or "its" is a noun ("a ban by …", "the occupied West Bank", "the
        // biggest cyber attack"); past forms and participles are verbs ("the army attacked")
        if !p.flags.noun && i > 0 {
            let prev = words[i - 1].lower.as_str();
            let joined = words[i].brk == Break::None;
            if joined && (DETERMINERS.contains(&prev) || words[i].after_possessive) {
                return None;
            }
            // "55 wounded", "on injured reserve", "in occupied territory": no verb
            if joined && (prev.chars().all(|c| c.is_ascii_digit() || c == ',') || NUMBERS.contains(&prev)) {
                return None;
            }
            if joined && words[i].lower.ends_with("ed") && PREPOSITIONS.contains(&prev) && prev != "to" && prev != "by"
            {
                return None;
            }
            // "its goal of stopping attacks": a gerund after "of" names an action, no event
            if joined && prev == "of" && words[i].lower.ends_with("ing") {
                return None;
            }
            // (an -ing after a noun is a participle: "a declaration demanding …"; after an
            // adjective a noun: "an accidental shooting")
            let w = words[i].lower.as_str();
            if !w.ends_with("ed") && !self.vocab.is_past_form(w) {
                let mut j = i;
                while j > 0 && i - j < 4 && words[j].brk == Break::None {
                    let prev = &words[j - 1];
                    if DETERMINERS.contains(&prev.lower.as_str()) {
                        return None;
                    }
                    let noun =
                        ["tion", "sion", "ment", "ance", "ence", "ity", "er", "or", "ist", "ness", "ure", "ship"]
                            .iter()
                            .any(|s| prev.lower.ends_with(s));
                    if prev.cap
                        || AUXILIARIES.contains(&prev.lower.as_str())
                        || MODALS.contains(&prev.lower.as_str())
                        || (w.ends_with("ing") && noun)
                    {
                        break;
                    }
                    j -= 1;
                }
            }
        }
        let usable = |j: usize| j < words.len();
        fn go(
            c: &PatternCoder,
            parts: &[Part],
            words: &[Word],
            i: usize,
            first: bool,
            usable: &dyn Fn(usize) -> bool,
        ) -> Option<usize> {
            match parts.split_first() {
                None => Some(i),
                Some((Part::Words(alts), rest)) => {
                    if !usable(i) || (!first && words[i].brk >= Break::Comma) {
                        return None;
                    }
                    if alts.iter().any(|a| c.vocab.alt_matches(a, &words[i].lower)) {
                        go(c, rest, words, i + 1, false, usable)
                    } else {
                        None
                    }
                }
                Some((Part::Not(alts), rest)) => {
                    if i < words.len()
                        && words[i].brk < Break::Comma
                        && alts.iter().any(|a| c.vocab.alt_matches(a, &words[i].lower))
                    {
                        None
                    } else {
                        go(c, rest, words, i, first, usable)
                    }
                }
                Some((Part::Skip, rest)) => (0..=3).find_map(|k| {
                    let j = i + k;
                    if j > words.len() || (i..j).any(|x| words[x].brk >= Break::Comma) {
                        return None;
                    }
                    go(c, rest, words, j, false, usable)
                }),
            }
        }
        go(self, &p.parts, words, i, true, &usable)
    }

    /// Every pattern in the sentence, left to right, the longest at each word.
    fn find(&self, words: &[Word]) -> Vec<Found> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut best: Option<(usize, usize)> = None;
            for p in self.vocab.candidates(&words[i].lower) {
                if let Some(end) = self.match_at(&self.vocab.patterns[p], words, i) {
                    if best.is_none_or(|(_, e)| end > e) {
                        best = Some((p, end));
                    }
                }
            }
            match best {
                Some((pat, end)) => {
                    let prev = out.last().map(|f: &Found| f.start);
                    out.push(Found {
                        pat,
                        start: i,
                        end,
                        promised: false,
                        absorbed: false,
                        threat_mode: None,
                        prev,
                        content: None,
                    });
                    i = end;
                }
                None => i += 1,
            }
        }
        out
    }

    /// Where the content of a verb that starts at `from` ends: at a semicolon or colon, at a
    /// comma that opens another clause, at "and"/"but" starting a second predicate.
    pub(super) fn scope_end(&self, words: &[Word], from: usize) -> usize {
        let limit = (from + 25).min(words.len());
        for j in from..limit {
            let w = &words[j];
            if w.brk == Break::Hard {
                return j;
            }
            if w.brk >= Break::Comma && (CLAUSE_OPENERS.contains(&w.lower.as_str()) || self.reporting_tail(words, j)) {
                return j;
            }
            if (w.lower == "and" || w.lower == "but")
                && words.get(j + 1).is_some_and(|n| AUXILIARIES.contains(&n.lower.as_str()))
            {
                return j;
            }
            if w.lower == "but" {
                return j;
            }
        }
        limit
    }

    /// Does the clause starting at word `j` (after a comma) attribute the sentence ("…, the
    /// agency said", "…, said a spokesman")?
    fn reporting_tail(&self, words: &[Word], j: usize) -> bool {
        words[j..]
            .iter()
            .take(8)
            .take_while(|w| w.brk < Break::Comma || std::ptr::eq(*w, &words[j]))
            .any(|w| self.vocab.is_reporting(&w.lower))
    }

    /// The modality cues among the words just before word `at` (same clause, at most six).
    fn cues(&self, words: &[Word], at: usize) -> (bool, bool, bool, bool) {
        let mut from = at.saturating_sub(6);
        for j in (from + 1..=at.min(words.len().saturating_sub(1))).rev() {
            if words[j].brk == Break::Hard {
                from = j;
                break;
            }
        }
        let window: Vec<&str> = words[from..at].iter().map(|w| w.lower.as_str()).collect();
        let (mut neg, mut exp, mut intent, mut hyp) = (false, false, false, false);
        for (cue, seq) in &self.vocab.modality {
            let hit = if seq.len() == 1 && (seq[0].starts_with('\'') || seq[0].starts_with("n'")) {
                window.iter().any(|w| w.ends_with(seq[0].as_str()))
            } else {
                window.windows(seq.len()).any(|w| w.iter().zip(seq).all(|(a, b)| *a == b))
            };
            if hit {
                match cue {
                    Cue::Negated => neg = true,
                    Cue::Expected => exp = true,
                    Cue::Intent => intent = true,
                    Cue::Hypothetical => hyp = true,
                }
            }
        }
        (neg, exp, intent, hyp)
    }

    pub fn code(&self, doc: &mut Document) {
        // organisations the entity layer gave no code: international bodies and those named
        // after a country, so that their events carry a code
        for e in doc.entities.iter_mut().filter(|e| e.kind == EntityType::Org && e.code.is_none()) {
            e.code = super::actors::organisation_code(&e.name);
        }
        // each sentence's words and actor candidates, read once for both passes below
        let read: Vec<(Span, Vec<Word>, Vec<Cand>)> = (doc.sentences.iter())
            .map(|&s| {
                let words = words(doc, s);
                let cands = candidates(doc, s, &words);
                (s, words, cands)
            })
            .collect();
        let untagged: Vec<(String, Span)> = (read.iter().flat_map(|(_, _, cands)| cands))
            .filter_map(|c| match &c.who {
                super::sentence::Who::Country(code) => Some((code.clone(), c.span)),
                super::sentence::Who::Entity(_) => None,
            })
            .collect();
        let mut places = Places::of(doc, &untagged);
        let mut events = Vec::new();
        for (s, words, cands) in &read {
            let (s, words, cands) = (*s, words.as_slice(), cands.as_slice());
            // a question reports no event ("Will North Korea demand something in return?")
            if doc.slice(s).trim_end_matches(['"', '\u{201d}', ' ']).ends_with('?') {
                continue;
            }
            if words.is_empty() {
                continue;
            }
            let found = self.relate(words, self.find(words));
            let mut seen: Vec<(String, usize, Option<usize>)> = Vec::new();
            for f in found.iter().filter(|f| !f.absorbed) {
                for ev in self.event(doc, words, cands, f, s, &mut places) {
                    let key = (ev.kind.clone(), ev.actor.unwrap_or(usize::MAX), ev.target);
                    if seen.contains(&key) {
                        continue;
                    }
                    seen.push(key);
                    events.push(ev);
                }
            }
        }
        doc.events = events;
    }

    /// Marks the patterns that are the content of a governing or promising one before them.
    fn relate(&self, words: &[Word], mut found: Vec<Found>) -> Vec<Found> {
        // "demonstrated …, calling for independence", "staged rallies to demand reforms",
        // "attacked the town, killing 20": a participle or a purpose clause after an event
        // tells how or why, it is no event of its own
        for i in 1..found.len() {
            let f = &found[i];
            if self.vocab.patterns[f.pat].flags.noun || f.start == 0 {
                continue;
            }
            let w = &words[f.start];
            let before = words[f.start - 1].lower.as_str();
            let participle = w.lower.ends_with("ing") && !BE.contains(&before) && !AUXILIARIES.contains(&before);
            let purpose = before == "to" && w.brk == Break::None;
            // (the content of "offered to …", "demanded that …" is handled below)
            let after_event = found[..i].iter().any(|g| {
                let gf = self.vocab.patterns[g.pat].flags;
                g.end <= f.start
                    && self.vocab.patterns[g.pat].kind != "NONE"
                    && !(gf.governs || gf.intent || gf.obligation)
                    && !words[g.end..=f.start].iter().any(|x| x.brk == Break::Hard)
            });
            if (participle || purpose) && after_event {
                found[i].absorbed = true;
            }
        }
        for i in 0..found.len() {
            if found[i].absorbed {
                continue;
            }
            let flags = self.vocab.patterns[found[i].pat].flags;
            if !flags.governs && !flags.intent && !flags.obligation {
                continue;
            }
            let stop = self.scope_end(words, found[i].end);
            let inner: Vec<usize> = (i + 1..found.len()).filter(|&k| found[k].start < stop).collect();
            if inner.is_empty() {
                continue;
            }
            if flags.governs || flags.obligation {
                let first = &found[inner[0]];
                let p = &self.vocab.patterns[first.pat];
                let mode = match self.vocab.threat.applies(&p.kind) {
                    Some(Some(m)) => Some(m.to_string()),
                    Some(None) => p.mode.clone(),
                    None => None,
                };
                let content = Some((first.pat, first.start, first.end));
                found[i].threat_mode = mode;
                found[i].content = content;
                for k in inner {
                    found[k].absorbed = true;
                }
            } else {
                // a promise: the first action after it is what is promised
                found[i].absorbed = true;
                found[inner[0]].promised = true;
            }
        }
        found
    }

    /// When the event happened: of the sentence's dates, one in the trigger's clause after it
    /// ("expelled the envoy on 3 March"), else one just before it in the same clause, else the
    /// nearest ("On Tuesday, Putin was in …").
    fn date(&self, doc: &Document, words: &[Word], f: &Found, s: Span) -> Option<String> {
        let dates: Vec<(usize, &DateMention)> = doc
            .dates
            .iter()
            .filter(|d| s.contains(d.span) && d.value.is_some())
            .map(|d| (words.partition_point(|w| w.span.end <= d.span.start), d))
            .collect();
        let stop = self.scope_end(words, f.end);
        let clause = (0..f.start).rev().find(|&j| words[j + 1].brk >= Break::Comma).map_or(0, |j| j + 1);
        let after = dates.iter().filter(|(i, _)| *i >= f.end && *i < stop).min_by_key(|(i, _)| *i);
        let before = dates.iter().filter(|(i, _)| *i >= clause && *i < f.start).max_by_key(|(i, _)| *i);
        let nearest = dates.iter().min_by_key(|(i, _)| if *i < f.start { f.start - i } else { i - f.start });
        after.or(before).or(nearest).and_then(|(_, d)| d.value.clone())
    }

    fn event(
        &self,
        doc: &mut Document,
        words: &[Word],
        cands: &[Cand],
        f: &Found,
        s: Span,
        places: &mut Places,
    ) -> Vec<Event> {
        self.event_pairs(doc, words, cands, f, s, places).unwrap_or_default()
    }

    /// The events of one pattern: one for each actor and target the text names ("Jordan and
    /// Britain agreed": each agreed with the other; "lift embargoes on Iran, Libya and Cuba":
    /// one event for each country).
    fn event_pairs(
        &self,
        doc: &mut Document,
        words: &[Word],
        cands: &[Cand],
        f: &Found,
        s: Span,
        places: &mut Places,
    ) -> Option<Vec<Event>> {
        let p = self.pattern(f);
        if p.kind == "NONE" || (p.flags.noun && self.backdrop(words, f.start)) {
            return None;
        }
        let mut kind = p.kind.clone();
        let mut mode = p.mode.clone();
        if kind == "THREATEN" && mode.is_none() {
            mode = f.threat_mode.clone();
        }

        // actor and target, as candidates
        let mut partner = None;
        let (actor, target) = if p.flags.obligation {
            self.obligation(doc, words, cands, f)?
        } else if self.passive(words, f) {
            let actor = self.agent(words, cands, f).or_else(|| self.venue(doc, words, cands, &p.kind))?;
            let target = self
                .subject(doc, words, cands, f.start, 8, Head::Verb { prev: None })
                .map(|(t, _)| t)
                .or_else(|| (0..cands.len()).rev().find(|&k| cands[k].last < f.start && f.start - cands[k].last <= 8));
            (actor, target)
        } else if let Some((actor, made)) = self.controlled(doc, words, cands, f) {
            (actor, self.object(words, cands, f, Some(actor)).or(Some(made)))
        } else if let Some(owner) = p.flags.noun.then(|| self.owner(words, cands, f.start)).flatten() {
            (owner, self.object(words, cands, f, Some(owner)))
        } else {
            if p.flags.noun && self.background(words, f.start) {
                return None;
            }
            let (actor, with) = self
                .subject(
                    doc,
                    words,
                    cands,
                    f.start,
                    12,
                    if p.flags.noun { Head::Noun } else { Head::Verb { prev: f.prev } },
                )
                .or_else(|| Some((self.venue(doc, words, cands, &p.kind)?, None)))?;
            partner = with;
            // "X and Y … dependent on each other for …" makes any event mutual
            let reciprocal = words[..f.start]
                .windows(2)
                .any(|w| matches!((w[0].lower.as_str(), w[1].lower.as_str()), ("each", "other") | ("one", "another")));
            let mutual = self.vocab.is_mutual(&p.kind) || reciprocal;
            let target = self
                .object(words, cands, f, Some(actor))
                .or_else(|| self.content_object(words, cands, f, actor))
                .or(with.filter(|_| mutual));
            (actor, target)
        };

        // modality, and the future read as PLOVER reads it
        let (mut neg, exp, mut intent, hyp) = self.cues(words, f.start);
        intent |= f.promised;
        // "vowed not to return …": a promise not to, a refusal
        if p.flags.intent && words.get(f.end).is_some_and(|w| w.lower == "not" || w.lower == "never") {
            neg = true;
            intent = true;
        }
        let mut modality = if neg {
            Modality::Negated
        } else if hyp {
            Modality::Hypothetical
        } else if exp || intent {
            Modality::Expected
        } else {
            Modality::Asserted
        };
        if !hyp {
            if neg && intent && self.vocab.refusal.applies(&kind).is_some() {
                kind = self.vocab.refusal.to.clone();
                mode = None;
                modality = Modality::Asserted;
            } else if !neg && (exp || intent) && self.vocab.promise.applies(&kind).is_some() {
                kind = self.vocab.promise.to.clone();
                mode = None;
            } else if !neg && intent {
                if let Some(m) = self.vocab.threat.applies(&kind) {
                    mode = m.map(str::to_string).or(mode);
                    kind = self.vocab.threat.to.clone();
                }
            }
        }

        if partner.is_some() {
            if let Some(m) = self.vocab.joint.applies(&kind) {
                kind = self.vocab.joint.to.clone();
                mode = m.map(str::to_string);
            }
        }

        // who acted on whom: the names listed with the target ("Iran, Libya and Cuba"), and for
        // "X and Y" both actors, each with the other as target when the act is mutual
        let mut targets = vec![target];
        if let Some(t) = target {
            targets.extend(self.listed_after(words, cands, t).into_iter().map(Some));
        }
        let mut pairs: Vec<(usize, Option<usize>)> = targets.iter().map(|&t| (actor, t)).collect();
        if let Some(with) = partner {
            if target != Some(with) {
                pairs.extend(targets.iter().map(|&t| (with, t)));
            } else if self.vocab.is_mutual(&p.kind) {
                // agreeing, meeting, signing: each does it with the other. A one-way act the
                // text calls reciprocal ("dependent on each other for arms") tells a
                // relationship, not two acts, and keeps the first name's act only.
                pairs.push((with, Some(actor)));
            }
        }
        let trig = Span::new(words[f.start].span.start, words[f.end - 1].span.end);
        let mut out = Vec::new();
        for (n, (actor, target)) in pairs.into_iter().enumerate() {
            let actor_e = self.resolve(doc, words, cands, actor, places);
            let mut target_e = target.map(|t| self.resolve(doc, words, cands, t, places));
            // a name listed with another that stands for the same country adds nothing
            if n > 0 && target_e == Some(actor_e) {
                continue;
            }
            // the same entity on both sides is a domestic event when two names say so ("Chilean
            // judge … Chilean officials"); a name is no target of itself
            if target == Some(actor) {
                target_e = None;
            }
            if target_e.is_none() && p.flags.target {
                continue;
            }
            // a visit is to a country, a city, a person or an organisation, not to "Europe"
            if p.flags.place || p.flags.country {
                let Some(t) = target_e.map(|t| &doc.entities[t]) else { continue };
                let placed = t.kind == EntityType::Place && t.code.is_some();
                if !placed && (p.flags.country || t.kind == EntityType::Place) {
                    continue;
                }
            }
            self.named_home(doc, words, cands, actor, actor_e);
            if let (Some(t), Some(te)) = (target, target_e) {
                self.named_home(doc, words, cands, t, te);
            }
            out.push(Event {
                span: s,
                kind: kind.clone(),
                mode: mode.clone(),
                actor: Some(actor_e),
                target: target_e,
                modality,
                reported_by: self.reported_by(doc, words, cands, actor_e),
                date: self.date(doc, words, f, s),
                trigger: doc.text[trig.start..trig.end].to_string(),
            });
        }
        Some(out)
    }

    /// "X ordered Y to <act>": X acts (on the act's own object, else on Y). Returns X and Y.
    fn controlled(&self, doc: &Document, words: &[Word], cands: &[Cand], f: &Found) -> Option<(usize, usize)> {
        if self.pattern(f).flags.noun || f.start < 3 || words[f.start - 1].lower != "to" {
            return None;
        }
        let made = (0..cands.len()).rev().find(|&k| cands[k].last + 2 == f.start)?;
        // the words between the verb and Y: "ordered the opposition newspaper La Prensa"
        let mut j = cands[made].first;
        while j > 0 && cands[made].first - j < 4 && words[j].brk == Break::None {
            let w = words[j - 1].lower.as_str();
            if self.vocab.is_control(w) {
                let (actor, _) = self.subject(doc, words, cands, j - 1, 12, Head::Verb { prev: None })?;
                return (actor != made).then_some((actor, made));
            }
            if words[j - 1].cap
                || !(DETERMINERS.contains(&w) || MODIFIERS.contains(&w) || w.chars().all(char::is_alphabetic))
            {
                return None;
            }
            j -= 1;
        }
        None
    }

    /// The target of what a governing pattern governs ("agreed to lift embargoes on
    /// pharmaceutical sales in late February to Iran"), within the governing clause.
    fn content_object(&self, words: &[Word], cands: &[Cand], f: &Found, actor: usize) -> Option<usize> {
        let (pat, start, end) = f.content?;
        let inner = Found { pat, start, end, content: None, prev: None, threat_mode: None, ..f.clone() };
        let stop = self.scope_end(words, f.end);
        self.object(words, cands, &inner, Some(actor)).filter(|&t| cands[t].first < stop)
    }

    /// The names listed after candidate `t`: "and British forces", ", Libya, North Korea and
    /// Cuba" (names after commas only when an "and" or "or" closes the list: in "visit to North
    /// Korea, Russia expects …" the comma ends the phrase).
    fn listed_after(&self, words: &[Word], cands: &[Cand], t: usize) -> Vec<usize> {
        let conj = |w: &Word| matches!(w.lower.as_str(), "and" | "or");
        let mut out = Vec::new();
        let mut commas = Vec::new();
        let mut last = t;
        for k in t + 1..cands.len() {
            let gap = &words[cands[last].last + 1..cands[k].first];
            let unbroken = words[cands[last].last + 1..=cands[k].first].iter().all(|w| w.brk <= Break::Comma);
            // (a name followed by its own verb starts a clause: "beat Seattle and Philadelphia
            // beats Green Bay")
            let verb = words.get(cands[k].last + 1).is_some_and(|w| {
                w.brk == Break::None
                    && !w.cap
                    && !self.vocab.is_group(&w.lower)
                    && (AUXILIARIES.contains(&w.lower.as_str())
                        || MODALS.contains(&w.lower.as_str())
                        || self.vocab.is_reporting(&w.lower)
                        || !self.vocab.candidates(&w.lower).is_empty())
            });
            if !unbroken || verb || cands[k].who == cands[t].who {
                break;
            }
            if !gap.is_empty() && gap.len() <= 2 && conj(&gap[0]) && gap.iter().all(|w| conj(w) || w.lower == "the") {
                out.append(&mut commas);
                out.push(k);
            } else if gap.is_empty() && words[cands[k].first].brk == Break::Comma {
                commas.push(k);
            } else {
                break;
            }
            last = k;
        }
        // "Iran, Libya, Sudan, and with strings attached, Cuba": the "and" closes the list
        if words.get(cands[last].last + 1).is_some_and(conj) {
            out.append(&mut commas);
        }
        out
    }
}

//! Pattern-based event coding: word patterns per PLOVER type, the nearest entity before the
//! pattern as actor and the first after it as target, modality from the words before it.

use newsgraph_doc::{Document, EntityType, Event, Modality, Span};
use std::collections::HashMap;

const EVENTS: &str = include_str!("../../../../data/vocab/events.tsv");
const MODALITY: &str = include_str!("../../../../data/vocab/modality.tsv");

enum Part {
    /// Any of these words; an entry ending in `*` matches by prefix.
    Words(Vec<String>),
    /// Up to three words of anything.
    Skip,
}

struct Pattern {
    kind: String,
    mode: Option<String>,
    parts: Vec<Part>,
}

pub struct PatternCoder {
    patterns: Vec<Pattern>,
    modality: Vec<(Modality, Vec<String>)>,
}

fn word_matches(alts: &[String], w: &str) -> bool {
    alts.iter().any(|a| match a.strip_suffix('*') {
        Some(prefix) => w.starts_with(prefix),
        None => a == w,
    })
}

impl PatternCoder {
    pub fn standard() -> Self {
        let patterns = EVENTS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let kind = cols.next()?.trim().to_string();
                let mode = cols.next()?.trim();
                let pat = cols.next()?;
                let parts = pat
                    .split_whitespace()
                    .map(|p| if p == "~" { Part::Skip } else { Part::Words(p.split('|').map(str::to_string).collect()) })
                    .collect();
                Some(Pattern { kind, mode: (mode != "-").then(|| mode.to_string()), parts })
            })
            .collect();
        let modality = MODALITY
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let (m, cue) = l.split_once('\t')?;
                let m = match m.trim() {
                    "negated" => Modality::Negated,
                    "expected" => Modality::Expected,
                    "hypothetical" => Modality::Hypothetical,
                    _ => return None,
                };
                Some((m, cue.split_whitespace().map(str::to_string).collect()))
            })
            .collect();
        PatternCoder { patterns, modality }
    }

    /// Tries a pattern at word `i`; returns the index after the match.
    fn match_at(&self, p: &Pattern, words: &[String], i: usize) -> Option<usize> {
        fn go(parts: &[Part], words: &[String], i: usize) -> Option<usize> {
            match parts.split_first() {
                None => Some(i),
                Some((Part::Words(alts), rest)) => {
                    if i < words.len() && word_matches(alts, &words[i]) {
                        go(rest, words, i + 1)
                    } else {
                        None
                    }
                }
                Some((Part::Skip, rest)) => (0..=3).find_map(|k| if i + k <= words.len() { go(rest, words, i + k) } else { None }),
            }
        }
        go(&p.parts, words, i)
    }

    fn modality(&self, before: &[String], trigger: &[String]) -> Modality {
        // the words just before the trigger, and the trigger itself ("denied", "failed to")
        let window: Vec<&String> = before.iter().rev().take(5).collect::<Vec<_>>().into_iter().rev().chain(trigger.iter().take(1)).collect();
        let mut found = Modality::Asserted;
        for (m, cue) in &self.modality {
            let hit = window.windows(cue.len()).any(|w| w.iter().zip(cue).all(|(a, b)| *a == b));
            if hit {
                // negation outranks the others; expectation outranks hypothesis
                found = match (found, m) {
                    (Modality::Negated, _) | (_, Modality::Negated) => Modality::Negated,
                    (Modality::Expected, _) => Modality::Expected,
                    (_, m) => *m,
                };
            }
        }
        found
    }

    pub fn code(&self, doc: &Document) -> Vec<Event> {
        let mut mentions: Vec<(Span, usize)> =
            doc.entities.iter().enumerate().flat_map(|(i, e)| e.mentions.iter().map(move |&m| (m, i))).collect();
        mentions.sort();
        let country_of: HashMap<&str, usize> = doc
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EntityType::Place && e.code.is_some())
            .filter(|(_, e)| e.code.as_ref().is_some_and(|c| e.id == newsgraph_doc::Entity::country_id(c)))
            .map(|(i, e)| (e.code.as_deref().unwrap_or(""), i))
            .collect();
        let mut out = Vec::new();
        for &s in &doc.sentences {
            // a question reports no event ("Will North Korea demand something in return?")
            if doc.slice(s).trim_end_matches(['"', '\u{201d}', ' ']).ends_with('?') {
                continue;
            }
            let lo = doc.tokens.partition_point(|t| t.start < s.start);
            let hi = doc.tokens.partition_point(|t| t.start < s.end);
            let toks: Vec<Span> = doc.tokens[lo..hi]
                .iter()
                .copied()
                .filter(|t| doc.text[t.start..t.end].chars().next().is_some_and(char::is_alphanumeric))
                .collect();
            let words: Vec<String> = toks.iter().map(|t| doc.text[t.start..t.end].to_lowercase()).collect();
            let in_sentence: Vec<(Span, usize)> = mentions.iter().copied().filter(|(m, _)| s.contains(*m)).collect();
            let word_before = |at: usize| -> Option<&str> {
                let k = toks.partition_point(|t| t.end <= at);
                k.checked_sub(1).map(|k| words[k].as_str())
            };
            let prepositional = |m: Span| word_before(m.start).is_some_and(|w| PREPOSITIONS.contains(&w));
            let mut seen: Vec<(String, usize, Option<usize>)> = Vec::new();
            let mut i = 0;
            while i < words.len() {
                let Some((p, end)) = self.patterns.iter().find_map(|p| self.match_at(p, &words, i).map(|e| (p, e))) else {
                    i += 1;
                    continue;
                };
                let start_i = i;
                i = end;
                let trig = Span::new(toks[start_i].start, toks[end - 1].end);
                let actor_mention = actor_before(doc, &in_sentence, &words[..start_i], trig.start, &prepositional);
                let Some((actor, co_actor)) = actor_mention else { continue };
                // the target: the first entity after the trigger's first word ("ask Russia for …"),
                // unless it is the sentence's speaker (", Dr. Nam predicts")
                let first_word_end = toks[start_i].end;
                let target = in_sentence
                    .iter()
                    .find(|(m, e)| {
                        m.start >= first_word_end
                            && Some(*e) != Some(actor)
                            && doc.text[trig.end.min(m.start)..m.start].split_whitespace().count() <= 8
                            && !followed_by_speech(doc, *m, s)
                    })
                    .map(|&(_, e)| e)
                    .or(co_actor);
                let actor = self.acting_for(doc, actor, &country_of);
                let target = target.map(|t| self.acting_for(doc, t, &country_of));
                if target == Some(actor) || target.is_some_and(|t| code_of(doc, t).is_some() && code_of(doc, t) == code_of(doc, actor)) {
                    continue;
                }
                if target.is_none() && !TARGET_OPTIONAL.contains(&p.kind.as_str()) {
                    continue;
                }
                // a visit or a meeting is with someone, or in a country or city
                if p.kind == "CONSULT" && target.is_some_and(|t| doc.entities[t].kind == EntityType::Place && doc.entities[t].code.is_none()) {
                    continue;
                }
                let key = (p.kind.clone(), actor, target);
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                out.push(Event {
                    span: s,
                    kind: p.kind.clone(),
                    mode: p.mode.clone(),
                    actor: Some(actor),
                    target,
                    modality: self.modality(&words[..start_i], &words[start_i..end]),
                    reported_by: reported_by(doc, &mentions, s),
                    date: doc.dates.iter().find(|d| s.contains(d.span)).and_then(|d| d.value.clone()),
                    trigger: doc.text[trig.start..trig.end].to_string(),
                });
            }
        }
        out
    }

    /// A person acting for a country, or a city or region, is coded as its country when the
    /// article names that country.
    fn acting_for(&self, doc: &Document, i: usize, country_of: &HashMap<&str, usize>) -> usize {
        let e = &doc.entities[i];
        let code = match e.kind {
            EntityType::Person => e.affiliation.as_deref(),
            EntityType::Place => e.code.as_deref(),
            EntityType::Org => None,
        };
        code.and_then(|c| country_of.get(c).copied()).unwrap_or(i)
    }
}

/// Event types that need no target ("Russia threatened the use of nuclear weapons").
const TARGET_OPTIONAL: &[&str] = &["THREATEN", "PROTEST", "MOBILIZE", "RETREAT", "ASSAULT"];

/// Words after which an entity is an object, not the actor ("Putin was in North Korea").
const PREPOSITIONS: &[&str] = &[
    "in", "to", "from", "at", "with", "for", "of", "by", "against", "into", "on", "about", "between", "toward", "towards",
    "among", "across", "via", "over", "under", "after", "before", "during", "near", "like", "than", "entering", "regarding",
];

/// Verbs that join a second predicate to the sentence's subject ("… and has threatened …").
const AUXILIARIES: &[&str] = &["has", "have", "had", "will", "would", "was", "were", "is", "are", "also", "then", "later"];

fn code_of(doc: &Document, i: usize) -> Option<String> {
    let e = &doc.entities[i];
    e.code.clone().or_else(|| e.affiliation.clone())
}

/// The actor: the nearest entity before the trigger that is not the object of a preposition,
/// and its partner when two are joined by "and". After "… and has", the sentence's subject.
fn actor_before(
    doc: &Document,
    in_sentence: &[(Span, usize)],
    words_before: &[String],
    trigger_start: usize,
    prepositional: &dyn Fn(Span) -> bool,
) -> Option<(usize, Option<usize>)> {
    let before: Vec<(Span, usize)> = in_sentence.iter().copied().filter(|(m, _)| m.end <= trigger_start).collect();
    let mut k = words_before.len();
    while k > 0 && AUXILIARIES.contains(&words_before[k - 1].as_str()) {
        k -= 1;
    }
    if k > 0 && words_before[k - 1] == "and" {
        // a second predicate of the same subject: the first entity that is not an object
        let subject = before.iter().find(|(m, _)| !prepositional(*m))?;
        return Some((subject.1, None));
    }
    let idx = before.iter().rposition(|(m, _)| !prepositional(*m))?;
    let (m, e) = before[idx];
    let gap = &doc.text[m.end..trigger_start];
    if gap.contains([';', ':']) || gap.split_whitespace().count() > 12 {
        return None;
    }
    if idx > 0 {
        let (pm, pe) = before[idx - 1];
        if doc.text[pm.end..m.start].trim() == "and" && pe != e {
            return Some((pe, Some(e)));
        }
    }
    Some((e, None))
}

/// Is this mention the subject of a speech verb right after it ("…, Dr. Nam predicts")?
fn followed_by_speech(doc: &Document, m: Span, s: Span) -> bool {
    let next = doc.text[m.end..s.end].split_whitespace().next().unwrap_or("").trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    matches!(next.as_str(), "said" | "says" | "predicts" | "predicted" | "told" | "stressed" | "added" | "believes" | "noted" | "warned" | "argues" | "argued")
}

/// "According to NTB, …": the source a sentence's claims are attributed to.
fn reported_by(doc: &Document, mentions: &[(Span, usize)], s: Span) -> Option<usize> {
    let lower = doc.slice(s).to_lowercase();
    let k = lower.find("according to ")?;
    let from = s.start + k + "according to ".len();
    mentions.iter().find(|(m, _)| m.start >= from && m.end <= s.end && doc.text[from..m.start].split_whitespace().count() <= 5).map(|&(_, e)| e)
}

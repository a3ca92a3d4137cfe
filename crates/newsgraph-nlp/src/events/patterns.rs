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
            .filter(|(_, e)| e.id.starts_with("place-"))
            .map(|(i, e)| (e.code.as_deref().unwrap_or(""), i))
            .collect();
        // a person acting for a country is coded as that country
        let acting_for = |i: usize| -> usize {
            let e = &doc.entities[i];
            match (&e.kind, &e.affiliation) {
                (EntityType::Person, Some(code)) => country_of.get(code.as_str()).copied().unwrap_or(i),
                _ => i,
            }
        };
        let code_of = |i: usize| -> Option<String> {
            let e = &doc.entities[i];
            e.code.clone().or_else(|| e.affiliation.clone())
        };
        let mut out = Vec::new();
        for &s in &doc.sentences {
            let lo = doc.tokens.partition_point(|t| t.start < s.start);
            let hi = doc.tokens.partition_point(|t| t.start < s.end);
            let toks: Vec<Span> = doc.tokens[lo..hi].iter().copied().filter(|t| doc.text[t.start..t.end].chars().next().is_some_and(char::is_alphanumeric)).collect();
            let words: Vec<String> = toks.iter().map(|t| doc.text[t.start..t.end].to_lowercase()).collect();
            let mut seen: Vec<(String, Option<usize>, Option<usize>)> = Vec::new();
            let mut i = 0;
            while i < words.len() {
                let Some((p, end)) = self.patterns.iter().find_map(|p| self.match_at(p, &words, i).map(|e| (p, e))) else {
                    i += 1;
                    continue;
                };
                let start_i = i;
                let trig = Span::new(toks[i].start, toks[end - 1].end);
                // actor: the nearest entity before the trigger in the sentence ("Russia and North Korea" → both)
                let before: Vec<&(Span, usize)> = mentions.iter().filter(|(m, _)| m.start >= s.start && m.end <= trig.start).collect();
                let mut actor = None;
                let mut co_actor = None;
                if let Some(&&(m, e)) = before.last() {
                    let gap = &doc.text[m.end..trig.start];
                    // a clause boundary between actor and trigger breaks the link
                    if !gap.contains([';', ':']) && gap.split_whitespace().count() <= 12 {
                        actor = Some(e);
                        if before.len() >= 2 {
                            let (pm, pe) = *before[before.len() - 2];
                            if doc.text[pm.end..m.start].trim() == "and" {
                                actor = Some(pe);
                                co_actor = Some(e);
                            }
                        }
                    }
                }
                let target = mentions
                    .iter()
                    .find(|(m, e)| m.start >= trig.end && m.end <= s.end && Some(*e) != actor && doc.text[trig.end..m.start].split_whitespace().count() <= 8)
                    .map(|&(_, e)| e)
                    .or(co_actor);
                i = end;
                let Some(actor) = actor.map(acting_for) else { continue };
                let target = target.map(acting_for);
                if target == Some(actor) || target.is_some_and(|t| code_of(t).is_some() && code_of(t) == code_of(actor)) {
                    continue;
                }
                // a visit or a meeting needs someone or somewhere to visit
                if p.kind == "CONSULT" && target.is_none() {
                    continue;
                }
                let key = (p.kind.clone(), Some(actor), target);
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                let modality = self.modality(&words[..start_i], &words[start_i..end]);
                out.push(Event {
                    span: s,
                    kind: p.kind.clone(),
                    mode: p.mode.clone(),
                    actor: Some(actor),
                    target,
                    modality,
                    reported_by: reported_by(doc, &mentions, s),
                    date: doc.dates.iter().find(|d| s.contains(d.span)).and_then(|d| d.value.clone()),
                    trigger: doc.text[trig.start..trig.end].to_string(),
                });
            }
        }
        out
    }
}

/// "According to NTB, …": the source a sentence's claims are attributed to.
fn reported_by(doc: &Document, mentions: &[(Span, usize)], s: Span) -> Option<usize> {
    let lower = doc.slice(s).to_lowercase();
    let k = lower.find("according to ")?;
    let from = s.start + k + "according to ".len();
    mentions.iter().find(|(m, _)| m.start >= from && m.end <= s.end && doc.text[from..m.start].split_whitespace().count() <= 5).map(|&(_, e)| e)
}

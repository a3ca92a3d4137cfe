//! The rules and the model together.
//!
//! What the rules know for sure stays theirs: a name the knowledge tables hold (with its
//! canonical form, country code, a capital standing for its government, a demonym for its
//! country), a person introduced by a title (with the role and the country before it), an
//! organisation glued to the country before it. Everywhere else the model decides where names
//! are and what they are. Where the model finds a longer name around a known one ("Chicago
//! Symphony Orchestra" around "Chicago", "Florida Keys" around "Florida"), the longer name wins.
//! A lone capitalised word that neither types is still handed to the linker untyped: it is kept
//! only as the surname or short form of a name the article gives in full.

use super::cues::Cues;
use super::perceptron::{Model, PerceptronRecognizer};
use super::{Candidate, Recognizer, RuleRecognizer};
use newsgraph_doc::{EntityType, Span};

pub struct HybridRecognizer {
    model: PerceptronRecognizer,
}

impl HybridRecognizer {
    pub fn new(model: &'static Model) -> Self {
        HybridRecognizer { model: PerceptronRecognizer::new(model) }
    }
}

/// Nouns that make a demonym stand for its state: "the Russian government", "Israeli forces".
/// Elsewhere a demonym describes people or things ("Italian food", "Palestinians") and names no
/// place; the events layer still reads it as a country where it acts ("Vietnamese-led").
const STATE_NOUNS: &[&str] = &[
    "government",
    "governments",
    "authorities",
    "authority",
    "state",
    "states",
    "regime",
    "forces",
    "force",
    "troops",
    "army",
    "armies",
    "military",
    "navy",
    "officials",
    "official",
    "leader",
    "leaders",
    "leadership",
    "ministry",
    "ministries",
    "embassy",
    "embassies",
    "diplomats",
    "diplomat",
    "delegation",
    "parliament",
    "police",
    "side",
    "defense",
    "defence",
    "security",
    "intelligence",
    "administration",
    "counterpart",
    "counterparts",
];

/// Does the demonym at `span` stand for its state? Coordinated demonyms share the noun ("the
/// Russian and Ukrainian governments"); a title after it counts ("Russian President").
fn names_state(text: &str, tokens: &[Span], span: Span) -> bool {
    let i = tokens.partition_point(|t| t.start < span.end);
    for t in tokens.iter().skip(i).take(6) {
        let w = &text[t.start..t.end];
        let lower = w.to_lowercase();
        if matches!(lower.as_str(), "and" | "or" | "," | "-") {
            continue;
        }
        if STATE_NOUNS.contains(&lower.as_str()) || super::perceptron::is_title_word(lower.trim_end_matches('.')) {
            return true;
        }
        // another demonym in the coordination
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
    }
    false
}

/// Rule candidates that carry what only the rules can tell.
fn authoritative(c: &Candidate) -> bool {
    c.known.is_some() || c.role.is_some() || c.affiliation.is_some()
}

/// A headline In Title Case: capitals say nothing there, and the model learnt from prose.
fn title_case(text: &str, tokens: &[Span]) -> bool {
    let words: Vec<&str> = tokens
        .iter()
        .map(|t| &text[t.start..t.end])
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic) && w.chars().count() > 3)
        .collect();
    let capped = words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    words.len() >= 3 && capped * 10 >= words.len() * 8
}

/// A model span, or, when it is only a head word ("the Union", "Council"), that word untyped:
/// a description, not a name, which the linker ties to the full name the article gives.
fn model_candidate(text: &str, tokens: &[Span], span: Span, kind: EntityType) -> Candidate {
    let mut c = Candidate {
        span,
        kind: Some(kind),
        known: None,
        role: None,
        affiliation: None,
        demonym: false,
        in_title: false,
    };
    let head = match tokens_in(tokens, span) {
        [w] => *w,
        [the, w] if text[the.start..the.end].eq_ignore_ascii_case("the") => *w,
        _ => return c,
    };
    let cues = Cues::get();
    let lower = text[head.start..head.end].to_lowercase();
    if cues.org_heads.contains(&lower) || cues.place_first.contains(&lower) || cues.place_last.contains(&lower) {
        c.span = head;
        c.kind = None;
    }
    c
}

impl Recognizer for HybridRecognizer {
    fn recognize(&self, text: &str, tokens: &[Span], sentences: &[Span], headline: bool) -> Vec<Candidate> {
        let rules = RuleRecognizer.recognize(text, tokens, sentences, headline);
        if headline && title_case(text, tokens) {
            return rules;
        }
        let found = self.model.mentions(text, tokens, sentences, headline, Some(&rules));
        let (mut sure, mut rest): (Vec<Candidate>, Vec<Candidate>) = rules.into_iter().partition(authoritative);
        rest.sort_by_key(|c| (c.span.start, c.span.end));
        let rest_max = rest.iter().map(|c| c.span.end - c.span.start).max().unwrap_or(0);
        // demonyms that describe people or things ("North Korean tourism"): no place, whoever
        // reads them as one, the model included
        let mut loose_demonyms: Vec<Span> = Vec::new();
        sure.retain(|c| {
            let keep = !c.demonym || names_state(text, tokens, c.span);
            if !keep {
                loose_demonyms.push(c.span);
            }
            keep
        });
        // sorted by start, with the longest span known, the names a span can overlap are found by
        // binary search: a long document costs no more per name than a short one
        sure.sort_by_key(|c| (c.span.start, c.span.end));
        let sure_max = sure.iter().map(|c| c.span.end - c.span.start).max().unwrap_or(0);
        let mut out = Vec::with_capacity(sure.len() + found.len());
        // the end of the model's spans so far (they come in text order): no span may be grown
        // over one of them
        let mut model_end = 0;
        for (span, kind) in found {
            let before = model_end;
            model_end = model_end.max(span.end);
            let Some(mut span) = without_adjectives(text, tokens, span) else { continue };
            if kind == EntityType::Place && loose_demonyms.contains(&span) {
                continue;
            }
            // "The Baltic Fisheries Council": an article before a known place is no part of the
            // name (the tables hold the names that keep theirs, "The Hague")
            let first_inside = sure.partition_point(|c| c.span.start <= span.start);
            let last_inside = sure.partition_point(|c| c.span.start < span.end);
            if let Some(k) = sure[first_inside..last_inside.max(first_inside)].iter().find(|c| c.span.end <= span.end) {
                let lead: Vec<&str> = tokens_in(tokens, Span::new(span.start, k.span.start))
                    .iter()
                    .map(|t| &text[t.start..t.end])
                    .collect();
                if matches!(lead.as_slice(), ["The" | "the"])
                    && k.known.as_ref().is_some_and(|x| x.kind == EntityType::Place)
                {
                    span.start = k.span.start;
                }
            }
            // "International Lowland Rivers Council": an organisation's name, typed by its head
            // word, that runs further left over capitalised words than the model's reading, but not
            // over a name the model found before it ("Robert E. Lee" + "High School")
            if kind == EntityType::Org {
                let from = rest.partition_point(|c| c.span.start + rest_max < span.end);
                let to = rest.partition_point(|c| c.span.start < span.start);
                if let Some(c) = rest[from..to.max(from)]
                    .iter()
                    .find(|c| c.kind == Some(EntityType::Org) && c.span.end == span.end && c.span.start >= before)
                {
                    span.start = c.span.start;
                }
            }
            let lo = sure.partition_point(|c| c.span.start + sure_max <= span.start);
            let hi = sure.partition_point(|c| c.span.start < span.end);
            let inside: Vec<usize> = (lo..hi.max(lo)).filter(|&i| sure[i].span.overlaps(span)).collect();
            if inside.is_empty() {
                out.push(model_candidate(text, tokens, span, kind));
                continue;
            }
            // a longer name around known ones, none of them a person with a role, and no title in
            // it: "US Secretary" is a country and the start of a role, not an organisation
            let around = kind != EntityType::Person
                && inside
                    .iter()
                    .all(|&i| span.contains(sure[i].span) && sure[i].span != span && sure[i].role.is_none())
                && !has_title_word(text, tokens, span);
            if around {
                for i in inside.into_iter().rev() {
                    sure.remove(i);
                }
                out.push(model_candidate(text, tokens, span, kind));
            }
        }
        let mut taken: Vec<Span> = out.iter().chain(&sure).map(|c| c.span).collect();
        taken.sort_by_key(|t| (t.start, t.end));
        let taken_max = taken.iter().map(|t| t.end - t.start).max().unwrap_or(0);
        let is_taken = |span: Span| {
            let lo = taken.partition_point(|t| t.start + taken_max <= span.start);
            let hi = taken.partition_point(|t| t.start < span.end);
            taken[lo..hi.max(lo)].iter().any(|t| t.overlaps(span))
        };
        out.extend(sure);
        for mut c in rest.into_iter().filter(|c| !is_taken(c.span)) {
            if headline {
                // a headline is not the prose the model learnt from: the rules' reading of it
                // ("Andonovic: Three reasons …") stands where the model sees nothing
                out.push(c);
            } else if tokens_in(tokens, c.span).len() == 1 {
                // a lone word the model passed over ("(FFI)", a surname) may still be the
                // short form of a name the article gives in full: the linker decides
                c.kind = None;
                out.push(c);
            }
        }
        out.sort_by_key(|c| (c.span.start, c.span.end));
        glue_places(text, tokens, out)
    }
}

/// The tokens inside `span`, found by binary search in the sorted tokens, so that long documents
/// cost no more per candidate than short ones.
fn tokens_in(tokens: &[Span], span: Span) -> &[Span] {
    let from = tokens.partition_point(|t| t.start < span.start);
    let to = from + tokens[from..].partition_point(|t| t.end <= span.end);
    &tokens[from..to]
}

/// The span without the compound adjectives at its ends ("Vienna-based", "Kremlin-backed"):
/// they describe the name that follows, and are none themselves. None when nothing is left.
fn without_adjectives(text: &str, tokens: &[Span], span: Span) -> Option<Span> {
    let adjective = |t: &Span| {
        let w = text[t.start..t.end].to_lowercase();
        super::rules::COMPOUND_ADJECTIVES.iter().any(|s| w.ends_with(s))
    };
    let words = tokens_in(tokens, span);
    let a = words.iter().position(|t| !adjective(t))?;
    let b = words.iter().rposition(|t| !adjective(t))?;
    Some(Span::new(words[a].start, words[b].end))
}

/// A word of a title ("Secretary", "President") in the span: such a span is a role, not a name.
fn has_title_word(text: &str, tokens: &[Span], span: Span) -> bool {
    tokens_in(tokens, span)
        .iter()
        .any(|t| super::perceptron::is_title_word(text[t.start..t.end].to_lowercase().trim_end_matches('.')))
}

/// "Baltic Fisheries Council", "Moscow Metro": a known place right before an organisation's
/// name is part of that name (the rules glue countries the same way).
fn glue_places(text: &str, tokens: &[Span], cands: Vec<Candidate>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::with_capacity(cands.len());
    for c in cands {
        if let Some(prev) = out.last() {
            let place = prev.known.as_ref().is_some_and(|k| k.kind == EntityType::Place) && !prev.demonym;
            let org = c.known.is_none() && c.kind == Some(EntityType::Org) && !has_title_word(text, tokens, c.span);
            if place && org && prev.span.end < c.span.start && text[prev.span.end..c.span.start].trim().is_empty() {
                let prev = out.pop().expect("checked");
                let mut c = c;
                c.span.start = prev.span.start;
                c.affiliation = prev.known.filter(|k| k.subtype == "country").and_then(|k| k.code);
                out.push(c);
                continue;
            }
        }
        out.push(c);
    }
    out
}

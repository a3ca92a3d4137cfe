//! Whether a date without a year ("on Friday", "in May", "June 6") points back or ahead from the
//! publication date. The nearest verb usually tells: "who arrived in Budapest on Monday, is due to
//! return on Friday" has a past Monday and a future Friday in one sentence, so the search goes
//! outwards from the date, backwards first (English puts the verb before its time adverbial).

use super::lex::Tok;
use super::vocab::vocab;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tense {
    Past,
    Future,
    Unknown,
}

/// How far from the date a cue may stand, in tokens.
const REACH: usize = 14;

/// How many words may stand before a date in its clause for a past verb after it to count: "On
/// Tuesday, Putin was …" takes its tense from "was"; in "Maize futures for delivery in September
/// were unchanged", "were" is about the futures, not September.
const FRONTED: usize = 3;

/// Does this token end the stretch a tense cue may come from? Quotation marks and colons switch
/// from the reporter's voice to the speaker's ("Horváth told the crowd: “If they sign on
/// Thursday …”").
fn is_barrier(t: &Tok) -> bool {
    t.is_punct()
        && matches!(t.lower.as_str(), "\"" | "\u{201c}" | "\u{201d}" | "\u{201e}" | "\u{ab}" | "\u{bb}" | ":" | ";")
}

/// The tense around tokens `ms..me` within the sentence tokens `lo..hi`.
pub(crate) fn tense_at(toks: &[Tok], text: &str, lo: usize, hi: usize, ms: usize, me: usize) -> Tense {
    let v = vocab();
    // the word just before says most: "for Wednesday" and "until Friday" look ahead, "since
    // Monday" back
    match ms.checked_sub(1).filter(|&p| p >= lo).map(|p| toks[p].lower.as_str()) {
        Some("for" | "until" | "till") => return Tense::Future,
        Some("since") => return Tense::Past,
        _ => {}
    }
    let mut weak_future = false;
    let mut to_verb = false;
    let mut words_before = 0;
    let from = ms.saturating_sub(REACH).max(lo);
    for j in (from..ms).rev() {
        let t = &toks[j];
        if is_barrier(t) {
            break;
        }
        if !t.is_word() {
            continue;
        }
        words_before += 1;
        let w = t.lower.as_str();
        let next = toks.get(j + 1).filter(|n| n.is_word() && j + 1 < ms);
        if v.future.contains(w) {
            return Tense::Future;
        }
        if w == "to" {
            if next.is_some_and(|n| is_bare_verb_like(n, text)) {
                to_verb = true;
            }
            continue;
        }
        if v.future_taking.contains(w) && (to_verb || next.is_some_and(|n| n.lower == "to")) {
            return Tense::Future;
        }
        if is_past_token(t, text) {
            // a participle after "be" belongs to a passive whose tense is told further back
            let prev = j.checked_sub(1).map(|p| toks[p].lower.as_str());
            if matches!(prev, Some("be" | "being")) {
                continue;
            }
            return Tense::Past;
        }
        if matches!(w, "has" | "have") {
            return Tense::Past;
        }
        if v.present.contains(w) {
            weak_future = true;
        }
    }
    let to = (me + REACH).min(hi);
    for t in toks.iter().take(to).skip(me) {
        if is_barrier(t) {
            break;
        }
        if !t.is_word() {
            continue;
        }
        let w = t.lower.as_str();
        if v.future.contains(w) {
            return Tense::Future;
        }
        if (is_past_token(t, text) || matches!(w, "has" | "have")) && words_before <= FRONTED {
            return Tense::Past;
        }
        if v.present.contains(w) {
            weak_future = true;
        }
    }
    if weak_future {
        Tense::Future
    } else {
        Tense::Unknown
    }
}

/// A past-tense verb: a listed form in any case, or a lower-case "-ed" word ("Szeged" is a
/// city).
fn is_past_token(t: &Tok, text: &str) -> bool {
    vocab().past.contains(t.lower.as_str()) || (!t.is_capitalised(text) && is_past(&t.lower))
}

/// A past-tense verb form: listed irregulars, or a regular "-ed" form.
fn is_past(w: &str) -> bool {
    if vocab().past.contains(w) {
        return true;
    }
    w.len() >= 5
        && w.ends_with("ed")
        && !w.ends_with("eed")
        && w.bytes().all(|b| b.is_ascii_lowercase())
        && !matches!(w, "hundred" | "kindred" | "sacred" | "naked" | "wicked" | "rugged" | "beloved" | "wretched")
}

/// Could this word after "to" be a verb ("to meet", "to return") rather than a place or a noun
/// phrase ("to Belgrade", "to the border", "to walking out")?
fn is_bare_verb_like(t: &Tok, text: &str) -> bool {
    !t.is_capitalised(text)
        && !t.lower.ends_with("ing")
        && !matches!(
            t.lower.as_str(),
            "the"
                | "a"
                | "an"
                | "his"
                | "her"
                | "its"
                | "their"
                | "our"
                | "my"
                | "your"
                | "this"
                | "that"
                | "these"
                | "those"
                | "some"
                | "all"
                | "each"
                | "every"
                | "power"
                | "death"
                | "prison"
                | "court"
                | "work"
                | "school"
                | "office"
                | "date"
                | "time"
                | "war"
                | "them"
                | "him"
                | "us"
                | "me"
                | "it"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::lex::lex;

    /// The tense around the first occurrence of `target` in `s`.
    fn tense_of(s: &str, target: &str) -> Tense {
        let toks = lex(s);
        let i = toks.iter().position(|t| &s[t.start..t.end] == target).unwrap();
        tense_at(&toks, s, 0, toks.len(), i, i + 1)
    }

    #[test]
    fn nearest_verb_decides() {
        let s = "Đurović, who arrived in Budapest on Monday, is due to return to Belgrade on Friday.";
        assert_eq!(tense_of(s, "Monday"), Tense::Past);
        assert_eq!(tense_of(s, "Friday"), Tense::Future);
    }

    #[test]
    fn verb_after_the_date() {
        assert_eq!(tense_of("On Tuesday evening, Putin was in North Korea.", "Tuesday"), Tense::Past);
        assert_eq!(tense_of("On Friday the ministers will meet again.", "Friday"), Tense::Future);
    }

    #[test]
    fn infinitives_and_passives() {
        assert_eq!(tense_of("The two sides agreed to meet again on Friday.", "Friday"), Tense::Future);
        assert_eq!(tense_of("The treaty is expected to be signed on Friday.", "Friday"), Tense::Future);
        assert_eq!(tense_of("The treaty will be signed on Friday.", "Friday"), Tense::Future);
        assert_eq!(tense_of("The treaty was signed on Friday.", "Friday"), Tense::Past);
        assert_eq!(tense_of("They came close to walking out on Tuesday night.", "Tuesday"), Tense::Past);
        assert_eq!(tense_of("She returned to work on Monday.", "Monday"), Tense::Past);
    }

    #[test]
    fn present_points_ahead_and_nothing_is_unknown() {
        assert_eq!(tense_of("The summit is on Friday.", "Friday"), Tense::Future);
        assert_eq!(tense_of("Friday.", "Friday"), Tense::Unknown);
        assert_eq!(tense_of("Solheim expects to travel to Szeged in April to begin.", "April"), Tense::Future);
        assert_eq!(
            tense_of("Horváth told the crowd: “If the ministers sign on Thursday, we will be back.”", "Thursday"),
            Tense::Future
        );
        assert_eq!(tense_of("Maize futures for delivery in September were unchanged.", "September"), Tense::Unknown);
        assert_eq!(tense_of("Farmers called a protest for Wednesday.", "Wednesday"), Tense::Future);
        assert_eq!(tense_of("He has been here since Monday.", "Monday"), Tense::Past);
        assert_eq!(
            tense_of("Especially after the failed launch of a satellite in May, they may ask.", "May"),
            Tense::Past
        );
    }
}

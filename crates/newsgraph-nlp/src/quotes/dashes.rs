//! Dash-led quotations ("– We will not give in.") as Nordic, Slavic and other newsrooms write
//! them, "X said: – …" within a paragraph, and the layout of interviews: questions in their own
//! paragraphs, answers (dash-led or not) after them.

use super::speaker::{speaker_after, subject_before, word_count, words, Mentions};
use super::verbs::verb_at;
use super::{make_quote, Voices};
use crate::text::is_dash;
use newsgraph_doc::{Document, Quote, QuoteKind, Span};

/// The byte length of a leading quotation dash and the spaces after it, if the paragraph has one.
fn leading_dash(text: &str) -> Option<usize> {
    let c = text.chars().next()?;
    if !is_dash(c) {
        return None;
    }
    let rest = &text[c.len_utf8()..];
    let trimmed = rest.trim_start();
    // a list item or a minus sign is not a quotation: a letter or a quote mark must follow
    let next = trimmed.chars().next()?;
    if !(next.is_alphabetic() || matches!(next, '"' | '\u{201c}' | '\u{00ab}' | '\u{201e}')) {
        return None;
    }
    Some(text.len() - trimmed.len())
}

pub fn is_question(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\u{201d}' | '\u{00bb}'));
    t.ends_with('?')
}

/// A question-and-answer layout: dash-led paragraphs, or several questions standing alone.
pub fn is_interview(doc: &Document) -> bool {
    let mut dashes = 0;
    let mut questions = 0;
    for p in &doc.paragraphs {
        let t = doc.slice(*p);
        if leading_dash(t).is_some() {
            dashes += 1;
        } else if is_question(t) && !t.contains(['"', '\u{201c}', '\u{00ab}']) {
            questions += 1;
        }
    }
    dashes >= 1 || questions >= 2
}

/// A paragraph led by a dash: a quotation of its own speaker, of the interviewee, or (when it
/// asks a question) the interviewer's, which is nobody's quotation. `None` when not dash-led.
pub fn dash_led(doc: &Document, p: Span, mentions: &Mentions, voices: &mut Voices) -> Option<Vec<Quote>> {
    let text = doc.slice(p);
    let skip = leading_dash(text)?;
    if is_question(text) {
        return Some(vec![]);
    }
    let body = Span::new(p.start + skip, p.end);
    // "– We stay, says Bokvoll." — the speaker named at the end
    let mut quote_span = body;
    let mut speaker = None;
    let mut cue = None;
    let s = doc.slice(body);
    if let Some(k) = s.rfind(", ") {
        let tail_from = body.start + k + 1;
        if word_count(&doc.text[tail_from..p.end]) <= 8 {
            if let Some((e, c)) = speaker_after(doc, mentions, tail_from, p.end, voices) {
                speaker = Some(e);
                cue = Some(c);
                quote_span = Span::new(body.start, body.start + k);
            }
        }
    }
    if speaker.is_none() {
        speaker = voices.interviewee.or(voices.last_person);
        cue = Some("dash".into());
    }
    if speaker.is_some() && voices.interviewee.is_none() {
        voices.interviewee = speaker;
    }
    voices.heard(doc, speaker);
    Some(make_quote(doc, quote_span, QuoteKind::Direct, speaker, cue).into_iter().collect())
}

/// "Putin said: – We really appreciate …": a colon, then a dash opening the quotation.
pub fn colon_dash(doc: &Document, p: Span, mentions: &Mentions, voices: &Voices) -> Option<Quote> {
    let text = doc.slice(p);
    let mut search = 0;
    while let Some(k) = text[search..].find(':') {
        let colon = search + k;
        let after = &text[colon + 1..];
        let lead = after.len() - after.trim_start().len();
        if after[lead..].chars().next().is_some_and(is_dash) {
            let start = p.start + colon + 1 + lead;
            let dash_len = after[lead..].chars().next().map_or(1, char::len_utf8);
            let sentence = doc.sentence_at(p.start + colon).unwrap_or(p);
            let ws = words(&doc.text[sentence.start..p.start + colon]);
            let wstr: Vec<&str> = ws.iter().map(|(_, w)| w.as_str()).collect();
            let mut speaker = None;
            let mut cue = None;
            for i in (0..ws.len()).rev() {
                if let Some((n, _)) = verb_at(&wstr[i..]) {
                    speaker = subject_before(doc, mentions, sentence.start + ws[i].0, sentence.start, voices);
                    cue = Some(wstr[i..i + n].join(" "));
                    break;
                }
            }
            return make_quote(doc, Span::new(start + dash_len, p.end), QuoteKind::Direct, speaker, cue);
        }
        search = colon + 1;
    }
    None
}

/// In an interview, the paragraph after a question is the interviewee's answer.
pub fn answer(doc: &Document, p: Span, mentions: &Mentions, voices: &Voices) -> Option<Quote> {
    let speaker = voices.interviewee?;
    let text = doc.slice(p);
    // an answer does not name its own speaker; a paragraph that does is narration
    let ws = words(text);
    let wstr: Vec<&str> = ws.iter().map(|(_, w)| w.as_str()).collect();
    for i in 0..ws.len() {
        if verb_at(&wstr[i..]).is_some() && subject_before(doc, mentions, p.start + ws[i].0, p.start, voices).is_some()
        {
            return None;
        }
    }
    make_quote(doc, p, QuoteKind::Direct, Some(speaker), Some("answer".into()))
}

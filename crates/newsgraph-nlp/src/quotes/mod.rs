//! Who said what: direct quotations (in marks or led by a dash), interview answers, and indirect
//! quotations, each attributed to a speaker entity where the text allows it.
//!
//! The article is read paragraph by paragraph, keeping track of who spoke last: a dash-led
//! paragraph with no speaker of its own continues the voice of the article's interviewee, and
//! in an interview layout the interviewer's questions are never anyone's quotation. No speaker
//! is better than a wrong one, so a quotation whose speaker cannot be told keeps `speaker: None`.

mod dashes;
mod marks;
mod reported;
mod speaker;
mod verbs;

use crate::pipeline::Annotator;
use newsgraph_doc::{Document, EntityType, Quote, QuoteKind, Span};
use speaker::Mentions;

pub struct QuoteTagger;

/// Who has been speaking, as the article is read in order.
#[derive(Default)]
struct Voices {
    /// The last person a quotation was attributed to (for "he said", "– …").
    last_person: Option<usize>,
    /// The interviewee: the person the article's dash-led answers belong to.
    interviewee: Option<usize>,
    /// The previous paragraph was an interviewer's question.
    after_question: bool,
}

impl Voices {
    fn heard(&mut self, doc: &Document, speaker: Option<usize>) {
        if let Some(s) = speaker {
            if doc.entities[s].kind == EntityType::Person {
                self.last_person = Some(s);
            }
        }
    }
}

impl Annotator for QuoteTagger {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn annotate(&self, doc: &mut Document) {
        let mentions = Mentions::new(doc);
        let interview = dashes::is_interview(doc);
        let mut voices = Voices::default();
        let mut quotes: Vec<Quote> = Vec::new();
        for pi in 0..doc.paragraphs.len() {
            let p = doc.paragraphs[pi];
            let text = doc.slice(p);
            let question = dashes::is_question(text);
            if let Some(q) = dashes::dash_led(doc, p, &mentions, &mut voices) {
                quotes.extend(q);
                voices.after_question = question;
                continue;
            }
            let mut direct = marks::direct_quotes(doc, p, &mentions, &voices);
            if let Some(q) = dashes::colon_dash(doc, p, &mentions, &voices) {
                direct.push(q);
            }
            if direct.is_empty() && interview && voices.after_question && !question {
                if let Some(q) = dashes::answer(doc, p, &mentions, &voices) {
                    direct.push(q);
                }
            }
            for q in &direct {
                voices.heard(doc, q.speaker);
            }
            let indirect = reported::indirect_quotes(doc, p, &mentions, &mut voices, &direct);
            quotes.extend(direct);
            quotes.extend(indirect);
            voices.after_question = question && !text.contains(['"', '\u{201c}', '\u{201d}', '\u{00ab}']);
        }
        quotes.sort_by_key(|q| (q.span.start, q.span.end));
        quotes.dedup_by(|a, b| a.span == b.span);
        doc.quotes = quotes;
    }
}

/// Builds a quotation over `span` with its ends trimmed of spaces and stray marks.
fn make_quote(
    doc: &Document,
    span: Span,
    kind: QuoteKind,
    speaker: Option<usize>,
    cue: Option<String>,
) -> Option<Quote> {
    let s = doc.slice(span);
    let lead = s.len() - s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';')).len();
    let body = &s[lead..];
    let kept = body.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';'));
    let span = Span::new(span.start + lead, span.start + lead + kept.len());
    if kept.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return None;
    }
    Some(Quote { span, kind, speaker, cue })
}

#[cfg(test)]
mod tests;

//! Quotations in quotation marks: straight and curly double quotes, single quotes, guillemets in
//! both directions and German „…“. An opening mark without its closing mark runs to the end of
//! its paragraph at most, so one stray mark never swallows the rest of the article.

use super::speaker::{speaker_after, subject_before, words, Mentions};
use super::verbs::verb_at;
use super::{make_quote, Voices};
use newsgraph_doc::{Document, Quote, QuoteKind, Span};

/// The closing marks an opening mark may pair with.
fn closers(open: char) -> &'static [char] {
    match open {
        '"' => &['"', '\u{201d}'],
        '\u{201c}' => &['\u{201d}', '"'],
        '\u{201e}' => &['\u{201c}', '\u{201d}'],
        '\u{00ab}' => &['\u{00bb}'],
        '\u{00bb}' => &['\u{00ab}'],
        '\u{2018}' => &['\u{2019}'],
        '\'' => &['\''],
        _ => &[],
    }
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric())
}

/// Finds the quoted spans of a paragraph: (inner span, balanced).
pub fn quoted_spans(text: &str, base: usize) -> Vec<(Span, bool)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        let prev = i.checked_sub(1).map(|k| chars[k].1);
        let next = chars.get(i + 1).map(|x| x.1);
        let at_word_start =
            prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | ':' | '\u{2013}' | '\u{2014}' | '-'));
        let opener = match c {
            '\u{201c}' | '\u{201e}' | '\u{00ab}' | '\u{2018}' => at_word_start || c != '\u{2018}',
            '"' | '\u{00bb}' => at_word_start && next.is_some_and(|n| !n.is_whitespace()),
            '\'' => at_word_start && is_word_char(next),
            _ => false,
        };
        if !opener || !(c != '\u{2018}' || is_word_char(next)) {
            i += 1;
            continue;
        }
        let want = closers(c);
        let mut j = i + 1;
        let mut close = None;
        while j < chars.len() {
            let (_, d) = chars[j];
            let after = chars.get(j + 1).map(|x| x.1);
            let before = chars[j - 1].1;
            // an apostrophe inside a word ("don't", "Russia's") is not a closing single quote
            let single = matches!(d, '\'' | '\u{2019}');
            if want.contains(&d) && !(single && (is_word_char(after) || before.is_whitespace())) {
                close = Some(j);
                break;
            }
            j += 1;
        }
        match close {
            Some(j) => {
                let inner = Span::new(base + b + c.len_utf8(), base + chars[j].0);
                out.push((inner, true));
                i = j + 1;
            }
            None => {
                // unbalanced: trusted only when it opens the paragraph (a quotation that the
                // writer forgot to close, or one that continues in the next paragraph)
                if text[..b].trim().is_empty() {
                    out.push((Span::new(base + b + c.len_utf8(), base + text.len()), false));
                    break;
                }
                i += 1;
            }
        }
    }
    out
}

/// Cuts a trailing attribution off an unclosed quotation: "… achieved, world analysts believe."
fn cut_tail(doc: &Document, span: Span) -> Span {
    let s = doc.slice(span);
    if let Some(k) = s.rfind(", ") {
        let tail = &s[k + 2..];
        let ws = words(tail);
        let wstr: Vec<&str> = ws.iter().map(|(_, w)| w.as_str()).collect();
        if ws.len() <= 6 && (0..wstr.len()).any(|i| verb_at(&wstr[i..]).is_some()) {
            return Span::new(span.start, span.start + k);
        }
    }
    span
}

pub fn direct_quotes(doc: &Document, p: Span, mentions: &Mentions, voices: &Voices) -> Vec<Quote> {
    let text = doc.slice(p);
    let mut out = Vec::new();
    for (inner, balanced) in quoted_spans(text, p.start) {
        let inner = if balanced { inner } else { cut_tail(doc, inner) };
        let sentence = doc.sentence_at(inner.start).unwrap_or(p);
        let close_end = (inner.end + 1).min(p.end);
        let close_end = (close_end..=p.end).find(|&k| doc.text.is_char_boundary(k)).unwrap_or(p.end);
        let end_sentence =
            doc.sentence_at(inner.end.saturating_sub(1).max(inner.start)).map_or(p.end, |s| s.end.max(close_end));
        let mut speaker = None;
        let mut cue = None;
        if balanced {
            if let Some((e, c)) = speaker_after(doc, mentions, close_end, end_sentence, voices) {
                speaker = Some(e);
                cue = Some(c);
            }
        } else {
            let tail = &doc.text[inner.end..p.end];
            if let Some((e, c)) = speaker_after(doc, mentions, inner.end, inner.end + tail.len(), voices) {
                speaker = Some(e);
                cue = Some(c);
            }
        }
        if speaker.is_none() {
            // a verb before the quotation in its sentence: "Putin thanked North Korea for its "firm support""
            // the opening mark's own offset (marks may be several bytes long)
            let open = doc.text[..inner.start].char_indices().next_back().map_or(0, |(k, _)| k);
            let before = &doc.text[sentence.start.min(open)..open];
            let ws = words(before);
            let wstr: Vec<&str> = ws.iter().map(|(_, w)| w.as_str()).collect();
            for k in (0..ws.len()).rev() {
                if let Some((n, _)) = verb_at(&wstr[k..]) {
                    let verb_pos = sentence.start.min(open) + ws[k].0;
                    if let Some(e) = subject_before(doc, mentions, verb_pos, sentence.start.min(open), voices) {
                        speaker = Some(e);
                        cue = Some(wstr[k..k + n].join(" "));
                    }
                    break;
                }
            }
        }
        out.extend(make_quote(doc, inner, QuoteKind::Direct, speaker, cue));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(t: &str) -> Vec<(&str, bool)> {
        quoted_spans(t, 0).into_iter().map(|(s, b)| (&t[s.start..s.end], b)).collect()
    }

    #[test]
    fn quotation_styles() {
        assert_eq!(spans("He said \"yes\" and 'no way' today."), vec![("yes", true), ("no way", true)]);
        assert_eq!(spans("Sie sagte „Nein“ dazu."), vec![("Nein", true)]);
        assert_eq!(spans("Il a dit «non» et »ja« ."), vec![("non", true), ("ja", true)]);
        assert_eq!(spans("“Curly,” she said."), vec![("Curly,", true)]);
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert!(spans("Russia's leader didn't come.").is_empty());
        assert_eq!(spans("the 'firm support' of Russia's ally"), vec![("firm support", true)]);
    }

    #[test]
    fn stray_marks_do_not_swallow_text() {
        assert_eq!(spans("He called it \"under fierce\" pressure, threats\"."), vec![("under fierce", true)]);
        assert_eq!(spans("Officials said 5\" of rain fell."), vec![]);
        assert_eq!(
            spans("\"If this holds, all is well, analysts believe."),
            vec![("If this holds, all is well, analysts believe.", false)]
        );
    }
}

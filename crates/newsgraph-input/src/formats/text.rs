//! Plain text: the title on the first non-empty line, the article after it.

use super::{paragraphs, read_all, Format, Input, ReadAllError};
use crate::{decode, io_reason, Item, RawArticle};
use newsgraph_doc::Meta;

pub(crate) struct Text;

/// A first line longer than this is a paragraph, not a headline: the file has no title line.
const MAX_TITLE_CHARS: usize = 300;

impl Format for Text {
    fn read(&self, mut input: Input<'_>, sink: &mut dyn FnMut(Item)) {
        let source = input.source;
        let max = input.limits.text_max;
        let bytes = match read_all(&mut input, max) {
            Ok(b) => b,
            Err(ReadAllError::TooLarge) => return sink(Item::reject(source, "file too large")),
            Err(ReadAllError::Io(e)) => return sink(Item::reject(source, io_reason(&e))),
        };
        let decoded = match decode::decode(&bytes, None) {
            Ok(d) => d,
            Err(reason) => return sink(Item::reject(source, reason)),
        };
        drop(bytes);
        let meta = Meta { source: source.to_string(), notes: decoded.notes, ..Meta::default() };
        sink(article_from_text(meta, &decoded.text));
    }
}

pub(crate) fn article_from_text(mut meta: Meta, text: &str) -> Item {
    let text = text.trim_start_matches('\u{feff}');
    let Some(start) = text.find(|c: char| !c.is_whitespace()) else {
        return Item::reject(meta.source, "empty file");
    };
    let rest = &text[start..];
    let (first, after) = rest.split_once('\n').unwrap_or((rest, ""));
    let first = first.trim();
    let body = if first.chars().count() > MAX_TITLE_CHARS {
        meta.notes.push("no title line (the first line is a paragraph)".into());
        paragraphs(rest, false)
    } else {
        meta.title = Some(first.to_string());
        paragraphs(after, false)
    };
    if body.is_empty() {
        return Item::reject(meta.source, "no article text (only a title line)");
    }
    Item::Article(RawArticle { meta, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> RawArticle {
        match article_from_text(Meta { source: "s.txt".into(), ..Meta::default() }, text) {
            Item::Article(a) => a,
            Item::Rejected(r) => panic!("rejected: {}", r.reason),
        }
    }

    #[test]
    fn title_line_then_paragraphs() {
        let a = article("\n\n  Headline here  \n\nFirst para\nstill first.\n\n\n\nSecond.\n");
        assert_eq!(a.meta.title.as_deref(), Some("Headline here"));
        assert_eq!(a.body, "First para\nstill first.\n\nSecond.");
    }

    #[test]
    fn repeated_title_stays_in_body() {
        let a = article("Putin in Korea\n\nPutin in Korea\n\nOn Tuesday evening he arrived.");
        assert_eq!(a.meta.title.as_deref(), Some("Putin in Korea"));
        assert_eq!(a.body, "Putin in Korea\n\nOn Tuesday evening he arrived.");
    }

    #[test]
    fn a_long_first_line_is_not_a_title() {
        let long = "word ".repeat(80);
        let a = article(&format!("{long}\n\nMore."));
        assert_eq!(a.meta.title, None);
        assert!(a.body.ends_with("\n\nMore."));
        assert_eq!(a.meta.notes.len(), 1);
    }

    #[test]
    fn only_a_title_or_nothing() {
        let m = || Meta { source: "s.txt".into(), ..Meta::default() };
        match article_from_text(m(), "Just a title\n\n") {
            Item::Rejected(r) => assert_eq!(r.reason, "no article text (only a title line)"),
            _ => panic!(),
        }
        match article_from_text(m(), " \n\t\n") {
            Item::Rejected(r) => assert_eq!(r.reason, "empty file"),
            _ => panic!(),
        }
    }
}

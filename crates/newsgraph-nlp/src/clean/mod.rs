//! Cleaning: turns a raw article body into clean text, removing web clutter paragraph by
//! paragraph and recording each removal with its reason.
//!
//! Each rule is one file implementing [`CleaningRule`]. Rules only ever remove whole paragraphs
//! (or a known marker glued onto one), and each is written to keep a paragraph when unsure: losing
//! a content line is worse than leaving clutter in.

mod appeals;
mod byline;
mod credits;
mod patterns;
mod repeated_title;

use newsgraph_doc::Removal;

/// One paragraph of the raw body, and whether a rule removed it.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub text: String,
    pub removed: Option<&'static str>,
}

/// What the rules work on: the paragraphs, with the title and byline they may consult or fill.
#[derive(Debug, Default)]
pub struct CleanContext {
    pub title: Option<String>,
    pub paragraphs: Vec<Paragraph>,
    /// Authors found in the body ("By …" lines).
    pub byline: Vec<String>,
    /// Parts cut out of kept paragraphs (glued ad markers), with their reason.
    pub cut: Vec<Removal>,
}

impl CleanContext {
    /// Indexes of the paragraphs still kept.
    pub fn kept(&self) -> Vec<usize> {
        (0..self.paragraphs.len()).filter(|&i| self.paragraphs[i].removed.is_none()).collect()
    }
}

pub trait CleaningRule: Send + Sync {
    fn apply(&self, ctx: &mut CleanContext);
}

/// The cleaner's result: the text to annotate, what was removed, and any byline found.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    pub text: String,
    pub removed: Vec<Removal>,
    pub byline: Vec<String>,
}

pub struct Cleaner {
    rules: Vec<Box<dyn CleaningRule>>,
}

impl Default for Cleaner {
    fn default() -> Self {
        Cleaner::standard()
    }
}

impl Cleaner {
    pub fn standard() -> Self {
        Cleaner {
            rules: vec![
                Box::new(repeated_title::RepeatedTitle),
                Box::new(patterns::Patterns::standard()),
                Box::new(credits::Credits),
                // a byline first, so that an appeal block before it does not swallow it
                Box::new(byline::Byline),
                Box::new(appeals::Appeals::standard()),
            ],
        }
    }

    /// Cleans a body whose paragraphs are separated by blank lines.
    pub fn clean(&self, title: Option<&str>, body: &str) -> Cleaned {
        let mut ctx = CleanContext {
            title: title.map(str::to_string),
            paragraphs: split_paragraphs(body).into_iter().map(|text| Paragraph { text, removed: None }).collect(),
            ..Default::default()
        };
        for r in &self.rules {
            r.apply(&mut ctx);
        }
        let mut removed = ctx.cut;
        let mut kept = Vec::new();
        for p in ctx.paragraphs {
            match p.removed {
                Some(reason) => removed.push(Removal { text: p.text, reason: reason.to_string() }),
                None => kept.push(p.text),
            }
        }
        Cleaned { text: kept.join("\n\n"), removed, byline: ctx.byline }
    }
}

/// Splits at blank lines, trims each paragraph and drops empty ones.
fn split_paragraphs(body: &str) -> Vec<String> {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in body.split('\n') {
        let t = line.trim();
        if t.is_empty() {
            if !cur.is_empty() {
                out.push(cur.join("\n"));
                cur.clear();
            }
        } else {
            cur.push(t);
        }
    }
    if !cur.is_empty() {
        out.push(cur.join("\n"));
    }
    out
}

/// Collapses white space (including no-break spaces) to single spaces, for matching.
/// Most paragraphs already are, and are only borrowed.
pub(crate) fn squash(s: &str) -> std::borrow::Cow<'_, str> {
    let mut after_space = true;
    let plain = s.chars().all(|c| {
        let ok = if c.is_whitespace() { c == ' ' && !after_space } else { true };
        after_space = c.is_whitespace();
        ok
    });
    if plain && !after_space {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    std::borrow::Cow::Owned(out)
}

pub(crate) fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(title: &str, body: &str) -> Cleaned {
        Cleaner::standard().clean(Some(title), body)
    }

    #[test]
    fn squash_collapses_white_space_and_borrows_what_needs_none() {
        for (text, flat) in [
            ("one two", "one two"),
            ("", ""),
            ("one  two", "one two"),
            (" one two", "one two"),
            ("one two ", "one two"),
            ("one\u{a0}two\nthree\t four", "one two three four"),
            ("   ", ""),
        ] {
            assert_eq!(squash(text), flat, "{text:?}");
        }
        assert!(matches!(squash("one two three"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn keeps_plain_content() {
        let c = clean("T", "First paragraph of news.\n\nSecond one, with a quote: \"Yes.\"");
        assert_eq!(c.text, "First paragraph of news.\n\nSecond one, with a quote: \"Yes.\"");
        assert!(c.removed.is_empty());
    }

    #[test]
    fn every_removal_has_a_reason() {
        let body = "Big news today.\n\nArticle continues below adArticle continues below ad\n\nMore news.\n\nRead more: Other things happen\n\nVideo of the day";
        let c = clean("T", body);
        assert_eq!(c.text, "Big news today.\n\nMore news.");
        let reasons: Vec<&str> = c.removed.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(reasons, vec!["ad marker", "link bait", "section label"]);
    }
}

//! Clutter recognised by its wording alone: ad markers, link bait, section labels, subscription
//! and cookie notices. The patterns live in `data/vocab/clutter.tsv` so users can extend them.

use super::{squash, CleanContext, CleaningRule};
use newsgraph_doc::Removal;
use regex::{Regex, RegexBuilder};

const CLUTTER: &str = include_str!("../../../../data/vocab/clutter.tsv");

pub struct Patterns {
    rules: Vec<(&'static str, Regex)>,
    /// Ad markers glued to the end of a content paragraph ("… said. Advertisement").
    glued_ad: Regex,
}

impl Patterns {
    pub fn standard() -> Self {
        let rules = CLUTTER
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let (reason, pat) = l.split_once('\t')?;
                let re = RegexBuilder::new(pat.trim()).case_insensitive(true).build().ok()?;
                Some((leak(reason.trim()), re))
            })
            .collect();
        let glued_ad = RegexBuilder::new(
            r"(?:\s*(?:article|story) continues (?:below|after)(?: the)? (?:ad|advert|advertisement))+\s*$",
        )
        .case_insensitive(true)
        .build()
        .expect("valid regex");
        Patterns { rules, glued_ad }
    }
}

/// Reasons come from a file embedded in the binary and read once; leaking them lets paragraphs
/// carry a `&'static str` reason like the other rules.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

impl CleaningRule for Patterns {
    fn apply(&self, ctx: &mut CleanContext) {
        for p in ctx.paragraphs.iter_mut().filter(|p| p.removed.is_none()) {
            let flat = squash(&p.text);
            if let Some((reason, _)) = self.rules.iter().find(|(_, re)| re.is_match(&flat)) {
                p.removed = Some(reason);
                continue;
            }
            // a cheap look for the marker's one fixed word before the unanchored regex
            if !contains_ascii_ci(&p.text, "continues") {
                continue;
            }
            if let Some(m) = self.glued_ad.find(&p.text) {
                if m.start() > 0 {
                    ctx.cut.push(Removal { text: m.as_str().trim().to_string(), reason: "ad marker".into() });
                    p.text.truncate(m.start());
                }
            }
        }
    }
}

fn contains_ascii_ci(haystack: &str, lower_needle: &str) -> bool {
    let n = lower_needle.as_bytes();
    haystack.as_bytes().windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::super::Cleaner;

    fn removed(body: &str) -> Vec<(String, String)> {
        Cleaner::standard().clean(None, body).removed.into_iter().map(|r| (r.text, r.reason)).collect()
    }

    #[test]
    fn ad_markers_even_glued_twice() {
        assert_eq!(removed("Article continues below adArticle continues below ad")[0].1, "ad marker");
        assert_eq!(removed("ADVERTISEMENT")[0].1, "ad marker");
        let c = Cleaner::standard().clean(None, "He left early. Article continues below ad");
        assert_eq!(c.text, "He left early.");
        assert_eq!(c.removed[0].reason, "ad marker");
    }

    #[test]
    fn link_bait() {
        for s in [
            "See also\u{a0} Those who cannot escape",
            "Here you can read more about Russia!",
            "Watch the video: Allegations of shooting down several warplanes",
            "Read more: Minister resigns",
        ] {
            assert_eq!(removed(s).first().map(|r| r.1.as_str()), Some("link bait"), "{s}");
        }
    }

    #[test]
    fn content_that_mentions_clutter_words_stays() {
        for s in [
            "Watchdogs said the advertisement broke the rules of the election campaign.",
            "Read more carefully, the report shows a rise in prices across the region, officials said, and the rise has lasted for a long time now, beyond the usual season, according to the ministry, which published figures for every month of the year.",
        ] {
            assert!(removed(s).is_empty(), "{s}");
        }
    }
}

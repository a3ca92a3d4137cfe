//! A byline inside the body ("By Jane Doe"), moved to the article's byline, and the short
//! author bio that often follows it at the end of an article.

use super::{word_count, CleanContext, CleaningRule};
use regex::Regex;
use std::sync::OnceLock;

pub struct Byline;

fn byline_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let name = r"\p{Lu}[\p{L}'’.-]+(?:\s+(?:\p{Lu}[\p{L}'’.-]*|van|von|de|da|der|al|bin|el|la|le))*";
        Regex::new(&format!(
            r"^(?:By|Written by|Text|Reporting by|Words by|Av|Von|Par|Por|Di|Door)\s*:?\s+({name}(?:\s*(?:,|and|&|og|und|et|y)\s*{name})*)\s*(?:[|,/–-]\s*[\p{{L}} .]{{1,40}})?$"
        ))
        .expect("valid regex")
    })
}

/// Splits "Jane Doe and John Roe" into names.
fn names(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in list.split([',', '&']) {
        for n in part.split(" and ").flat_map(|p| p.split(" og ")).flat_map(|p| p.split(" und ")) {
            let n = n.trim();
            if !n.is_empty() {
                out.push(n.to_string());
            }
        }
    }
    out
}

impl CleaningRule for Byline {
    fn apply(&self, ctx: &mut CleanContext) {
        let kept = ctx.kept();
        let n = kept.len();
        for (k, &i) in kept.iter().enumerate() {
            let text = ctx.paragraphs[i].text.trim().to_string();
            if word_count(&text) > 12 {
                continue;
            }
            let Some(c) = byline_re().captures(&text) else { continue };
            let authors = names(&c[1]);
            if authors.is_empty() || authors.iter().any(|a| word_count(a) > 4) {
                continue;
            }
            ctx.byline.extend(authors);
            ctx.paragraphs[i].removed = Some("byline");
            // a bio follows a byline only at the end of the article, in at most two short paragraphs
            let rest = &kept[k + 1..];
            if k > 0 && (k + 1) * 2 > n && rest.len() <= 2 {
                for &j in rest {
                    if word_count(&ctx.paragraphs[j].text) <= 60 {
                        ctx.paragraphs[j].removed = Some("author bio");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Cleaner;

    #[test]
    fn byline_and_bio_at_the_end() {
        let body = "News happened.\n\nBy Jane Doe\n\n\"Writer. Coffee lover. Amateur astronomer.\"";
        let c = Cleaner::standard().clean(None, body);
        assert_eq!(c.text, "News happened.");
        assert_eq!(c.byline, vec!["Jane Doe"]);
        let reasons: Vec<&str> = c.removed.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(reasons, vec!["byline", "author bio"]);
    }

    #[test]
    fn byline_at_the_top_keeps_the_article() {
        let c = Cleaner::standard().clean(None, "By Jane Doe and John Roe\n\nNews happened.\n\nMore news.");
        assert_eq!(c.text, "News happened.\n\nMore news.");
        assert_eq!(c.byline, vec!["Jane Doe", "John Roe"]);
    }

    #[test]
    fn sentences_starting_with_by_stay() {
        let c = Cleaner::standard().clean(None, "By Tuesday the water had receded.");
        assert!(c.removed.is_empty());
    }
}

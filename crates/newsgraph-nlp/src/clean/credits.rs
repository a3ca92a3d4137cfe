//! Photo credits and the captions they end: "… Photo: Agency", "Analysis with X / Photo Y".

use super::{squash, word_count, CleanContext, CleaningRule};
use regex::Regex;
use std::sync::OnceLock;

pub struct Credits;

fn credit_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // a credit word, then a short name-like tail at the very end of the paragraph
        Regex::new(
            r"(?i)(?:^|[\s/|(.,])(?:photo|foto|photograph|image|picture|illustration|credit|video|graphic|kilde|source)s?(?:\s*(?:by|:|/|©)\s*|\s+)(?:©\s*)?[\p{L}\p{N}][^.!?]{0,70}\)?$",
        )
        .expect("valid regex")
    })
}

const CREDIT_WORDS: [&str; 11] = [
    "photo",
    "foto",
    "photograph",
    "image",
    "picture",
    "illustration",
    "credit",
    "video",
    "graphic",
    "kilde",
    "source",
];

/// A credit's tail is at most about 75 characters after its credit word, so a paragraph whose last
/// 110 bytes hold no credit word cannot match; this spares the unanchored regex, whose lazy DFA
/// keeps rebuilding states on long text full of "source" and "video".
fn credit_word_near_end(flat: &str) -> bool {
    let mut start = flat.len().saturating_sub(110);
    while !flat.is_char_boundary(start) {
        start -= 1;
    }
    let tail = flat[start..].to_ascii_lowercase();
    CREDIT_WORDS.iter().any(|w| tail.contains(w))
}

impl CleaningRule for Credits {
    fn apply(&self, ctx: &mut CleanContext) {
        for p in ctx.paragraphs.iter_mut().filter(|p| p.removed.is_none()) {
            let flat = squash(&p.text);
            // only a caption can lose its paragraph; checking that first keeps the unanchored
            // regex (costly on long text) off the body paragraphs
            let words = word_count(&flat);
            if words > 60 {
                continue;
            }
            if !credit_word_near_end(&flat) {
                continue;
            }
            let Some(m) = credit_re().find(&flat) else { continue };
            let tail = &flat[m.start()..];
            let credit_words = word_count(tail);
            // the credit's tail must read like a name or agency, not a sentence
            let tail_lower_words =
                tail.split_whitespace().skip(1).filter(|w| w.chars().next().is_some_and(|c| c.is_lowercase())).count();
            if credit_words > 8 || tail_lower_words > 2 {
                continue;
            }
            let has_marker = tail.contains(':')
                || tail.contains('/')
                || tail.contains('©')
                || m.start() > 0 && flat[..m.start() + 1].ends_with(['/', '|', '(']);
            if has_marker || words <= 12 {
                p.removed = Some("photo credit");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Cleaner;

    fn reasons(body: &str) -> Vec<String> {
        Cleaner::standard().clean(None, body).removed.into_iter().map(|r| r.reason).collect()
    }

    #[test]
    fn captions_with_credits() {
        assert_eq!(
            reasons("Tor Bokvoll has published studies on defence policy. Photo: Research Institute"),
            vec!["photo credit"]
        );
        assert_eq!(reasons("Analysis with Andonović / Photo Sloboden pechat"), vec!["photo credit"]);
        assert_eq!(reasons("Protesters outside parliament. (Photo: AP / Jane Doe)"), vec!["photo credit"]);
    }

    #[test]
    fn sentences_about_photos_stay() {
        assert!(
            reasons("The agency released a photo showing the damage to the building in the city centre.").is_empty()
        );
        assert!(reasons("He said the video was recorded in March by soldiers who were stationed near the border.")
            .is_empty());
    }
}

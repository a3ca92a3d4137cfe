//! Donation, membership and subscription appeals, usually a block near the end:
//! "Dear reader, … we ask for the support of our community … Become a member …".

use super::{word_count, CleanContext, CleaningRule};

const CUES: &str = include_str!("../../../../data/vocab/appeals.txt");

pub struct Appeals {
    cues: Vec<&'static str>,
}

impl Appeals {
    pub fn standard() -> Self {
        Appeals { cues: CUES.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect() }
    }

    fn cue_count(&self, text: &str) -> usize {
        let lower = text.to_lowercase();
        self.cues.iter().filter(|c| lower.contains(*c)).count()
    }
}

fn is_salutation(text: &str) -> bool {
    let t = text.trim().trim_end_matches([',', '!', ':', '.']).to_lowercase();
    matches!(t.as_str(), "dear reader" | "dear readers" | "dear reader and viewer" | "dear friends" | "dear visitor")
}

impl CleaningRule for Appeals {
    fn apply(&self, ctx: &mut CleanContext) {
        let kept = ctx.kept();
        let mut in_block = false;
        for i in kept {
            let text = ctx.paragraphs[i].text.clone();
            if is_salutation(&text) {
                ctx.paragraphs[i].removed = Some("donation appeal");
                in_block = true;
                continue;
            }
            let cues = self.cue_count(&text);
            // "Dear reader, … please support us with a donation" in one paragraph
            let opens_with_salutation = text.trim_start().to_lowercase().starts_with("dear reader");
            if opens_with_salutation && cues >= 1 {
                ctx.paragraphs[i].removed = Some("donation appeal");
                in_block = true;
                continue;
            }
            // inside an appeal one cue is enough; elsewhere two, so that news about
            // subscriptions or donations is kept
            if cues >= 2 || (in_block && cues >= 1) {
                ctx.paragraphs[i].removed = Some("donation appeal");
                in_block = true;
            } else if in_block && word_count(&text) <= 4 {
                // a sign-off line inside the block ("Thank you!")
                ctx.paragraphs[i].removed = Some("donation appeal");
            } else {
                in_block = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Cleaner;

    #[test]
    fn appeal_block_removed() {
        let body = "The minister resigned.\n\nDear reader,\n\nOur access to web content is free, because we believe in equality in information. Therefore we ask for the support of our readers. Become a member of the Daily Pine.\n\nThank you!";
        let c = Cleaner::standard().clean(None, body);
        assert_eq!(c.text, "The minister resigned.");
        assert_eq!(c.removed.len(), 3);
        assert!(c.removed.iter().all(|r| r.reason == "donation appeal"));
    }

    #[test]
    fn appeal_in_one_paragraph() {
        let body = "The minister resigned.\n\nDear reader, the Pine Daily is free to read. If you value our journalism, please support it with a donation.";
        let c = Cleaner::standard().clean(None, body);
        assert_eq!(c.text, "The minister resigned.");
    }

    #[test]
    fn news_about_subscriptions_stays() {
        let body = "The streaming company said its subscription numbers rose by a tenth in the spring.";
        assert!(Cleaner::standard().clean(None, body).removed.is_empty());
    }
}

//! A title printed again as the first paragraph of the body.

use super::{CleanContext, CleaningRule};
use crate::text::fold;

pub struct RepeatedTitle;

impl CleaningRule for RepeatedTitle {
    fn apply(&self, ctx: &mut CleanContext) {
        let Some(title) = ctx.title.as_deref().map(fold) else { return };
        if title.is_empty() {
            return;
        }
        // only near the top: a headline repeated further down is usually a quote of it
        for p in ctx.paragraphs.iter_mut().take(3) {
            if p.removed.is_none() && fold(&p.text) == title {
                p.removed = Some("title repeated");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Cleaner;

    #[test]
    fn title_twice() {
        let c = Cleaner::standard().clean(Some("Putin in Oslo: – Hello"), "Putin in Oslo: \u{2013} Hello\n\nBody.");
        assert_eq!(c.text, "Body.");
        assert_eq!(c.removed[0].reason, "title repeated");
    }
}

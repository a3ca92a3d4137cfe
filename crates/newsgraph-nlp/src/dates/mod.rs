//! (being written)
use crate::pipeline::Annotator;
use newsgraph_doc::Document;

pub struct DateTagger;

impl Annotator for DateTagger {
    fn name(&self) -> &'static str {
        "dates"
    }
    fn annotate(&self, _doc: &mut Document) {}
}

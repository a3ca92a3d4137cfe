//! (being written)
use crate::pipeline::Annotator;
use newsgraph_doc::Document;

pub struct AmountTagger;

impl Annotator for AmountTagger {
    fn name(&self) -> &'static str {
        "amounts"
    }
    fn annotate(&self, _doc: &mut Document) {}
}

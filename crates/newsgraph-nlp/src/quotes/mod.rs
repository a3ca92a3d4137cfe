//! (being written)
use crate::pipeline::Annotator;
use newsgraph_doc::Document;

pub struct QuoteTagger;

impl Annotator for QuoteTagger {
    fn name(&self) -> &'static str {
        "quotes"
    }
    fn annotate(&self, _doc: &mut Document) {}
}

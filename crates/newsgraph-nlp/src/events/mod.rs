//! (being written)
use crate::pipeline::Annotator;
use newsgraph_doc::Document;

pub struct EventCoder;
impl EventCoder {
    pub fn standard() -> Self {
        EventCoder
    }
}
impl Annotator for EventCoder {
    fn name(&self) -> &'static str {
        "events"
    }
    fn annotate(&self, _doc: &mut Document) {}
}

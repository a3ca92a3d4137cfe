//! (being written)
use crate::pipeline::Annotator;
use newsgraph_doc::Document;

pub struct EntityTagger;
impl EntityTagger {
    pub fn standard() -> Self {
        EntityTagger
    }
}
impl Annotator for EntityTagger {
    fn name(&self) -> &'static str {
        "entities"
    }
    fn annotate(&self, _doc: &mut Document) {}
}

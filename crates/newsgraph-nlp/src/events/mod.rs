//! Events: who did what to whom, coded with the PLOVER ontology.
//!
//! The [`EventCoder`] trait takes a document whose entities are known and adds events. The
//! standard coder ([`patterns::PatternCoder`]) matches the word patterns of
//! `data/vocab/events.tsv` and finds actor and target among the entities around the match.

mod patterns;

pub use patterns::PatternCoder;

use crate::pipeline::Annotator;
use newsgraph_doc::Document;

pub struct EventCoder {
    coder: PatternCoder,
}

impl EventCoder {
    pub fn standard() -> Self {
        EventCoder { coder: PatternCoder::standard() }
    }
}

impl Annotator for EventCoder {
    fn name(&self) -> &'static str {
        "events"
    }
    fn annotate(&self, doc: &mut Document) {
        doc.events = self.coder.code(doc);
    }
}

//! Events: who did what to whom, coded with the PLOVER ontology.
//!
//! The [`EventCoder`] takes a document whose entities are known and adds events. The standard
//! coder ([`PatternCoder`]) matches the word patterns of `data/vocab/events.tsv` and finds actor
//! and target among the names around the match; its modality cues are in
//! `data/vocab/modality.tsv`.

mod actors;
mod grammar;
mod patterns;
mod sentence;
mod vocab;

#[cfg(test)]
mod tests;

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
        self.coder.code(doc);
    }
}

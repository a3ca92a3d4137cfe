//! The annotator trait and the standard pipeline that chains the stages in order.

use newsgraph_doc::Document;

/// One pipeline stage: adds its annotations to a document.
pub trait Annotator: Send + Sync {
    /// A short name used in timings and reports ("entities", "quotes", …).
    fn name(&self) -> &'static str;
    fn annotate(&self, doc: &mut Document);
}

/// The stages in the order they must run: each may read what the earlier ones added.
pub struct Pipeline {
    stages: Vec<Box<dyn Annotator>>,
}

impl Pipeline {
    pub fn new(stages: Vec<Box<dyn Annotator>>) -> Self {
        Pipeline { stages }
    }

    /// newsgraph's standard stages.
    pub fn standard() -> Self {
        Pipeline::new(vec![
            Box::new(crate::segment::Sentences),
            Box::new(crate::segment::Language),
            Box::new(crate::dates::DateTagger),
            Box::new(crate::amounts::AmountTagger),
            Box::new(crate::entities::EntityTagger::standard()),
            Box::new(crate::quotes::QuoteTagger),
            Box::new(crate::events::EventCoder::standard()),
        ])
    }

    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    pub fn run(&self, doc: &mut Document) {
        for s in &self.stages {
            s.annotate(doc);
        }
    }

    /// Runs every stage, adding the time each took to `timings` (same order as `stage_names`).
    pub fn run_timed(&self, doc: &mut Document, timings: &mut [std::time::Duration]) {
        for (s, t) in self.stages.iter().zip(timings.iter_mut()) {
            let t0 = std::time::Instant::now();
            s.annotate(doc);
            *t += t0.elapsed();
        }
    }
}

//! Entities: the people, organisations and places an article names.
//!
//! A [`Recognizer`] proposes typed mentions ([`Candidate`]s) sentence by sentence; the linker
//! then merges them into entities: known names to their canonical form (the knowledge tables),
//! surnames and acronyms to the full name the article gives, and every entity gets an id that is
//! the same in every article. Two recognisers work together ([`HybridRecognizer`]): the rules
//! (`rules.rs`: the knowledge tables, titles, cue words) and a statistical tagger
//! (`perceptron/`, trained by `newsgraph train ner`); a new recogniser is one new file here.

mod cues;
mod hybrid;
mod linker;
pub mod perceptron;
mod rules;

pub use hybrid::HybridRecognizer;
pub use perceptron::PerceptronRecognizer;
pub use rules::RuleRecognizer;

use crate::pipeline::Annotator;
use crate::segment::{split_sentences, tokenize};
use newsgraph_doc::{Document, EntityType, Span};

/// What the knowledge tables say about a mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub name: String,
    pub kind: EntityType,
    pub code: Option<String>,
    pub subtype: String,
}

/// A mention proposed by a recogniser.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub span: Span,
    /// None: a lone capitalised word that is only kept if it names an entity found elsewhere.
    pub kind: Option<EntityType>,
    pub known: Option<Known>,
    /// The title before a person's name ("President").
    pub role: Option<String>,
    /// ISO3 code of the country named before the role ("Russian President …").
    pub affiliation: Option<String>,
    /// The mention is an adjective of nationality ("Russian").
    pub demonym: bool,
    /// The mention is in the title, its span an offset into the title.
    pub in_title: bool,
}

pub trait Recognizer: Send + Sync {
    /// Proposes mentions in `text`, given its tokens and sentences. `headline` is set for titles.
    fn recognize(&self, text: &str, tokens: &[Span], sentences: &[Span], headline: bool) -> Vec<Candidate>;
}

pub struct EntityTagger {
    recognizer: Box<dyn Recognizer>,
}

impl EntityTagger {
    /// The rules and the shipped model together (the rules alone if no model is shipped).
    pub fn standard() -> Self {
        let recognizer: Box<dyn Recognizer> = match perceptron::shipped() {
            Some(model) => Box::new(HybridRecognizer::new(model)),
            None => Box::new(RuleRecognizer),
        };
        EntityTagger { recognizer }
    }

    /// A tagger with another recogniser (to compare recognisers, or to try a model in training).
    pub fn new(recognizer: Box<dyn Recognizer>) -> Self {
        EntityTagger { recognizer }
    }
}

impl Annotator for EntityTagger {
    fn name(&self) -> &'static str {
        "entities"
    }
    fn annotate(&self, doc: &mut Document) {
        let mut cands = Vec::new();
        if let Some(title) = doc.meta.title.as_deref() {
            let tokens = tokenize(title);
            let sentences = split_sentences(title);
            for mut c in self.recognizer.recognize(title, &tokens, &sentences, true) {
                c.in_title = true;
                cands.push(c);
            }
        }
        cands.extend(self.recognizer.recognize(&doc.text, &doc.tokens, &doc.sentences, false));
        doc.entities = linker::link(doc, cands);
    }
}

#[cfg(test)]
mod tests;

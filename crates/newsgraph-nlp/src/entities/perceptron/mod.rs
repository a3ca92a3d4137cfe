//! A statistical recogniser: a linear model over rich token features (shape, affixes, a ±2
//! window, cue words, the knowledge tables' names), decoded with Viterbi over BIO labels, as
//! trained by an averaged structured perceptron (`newsgraph train ner`).
//!
//! The shipped model (`data/models/ner.model`, described in `data/models/README.md`) is compiled
//! into the binary and decoded once, on first use: tagging needs no file and no network.

mod features;
mod model;
pub mod train;

pub use features::is_title_word;
pub use model::Model;

use super::{Candidate, Recognizer, RuleRecognizer};
use newsgraph_doc::{EntityType, Span};
use std::sync::OnceLock;

const SHIPPED: &[u8] = include_bytes!("../../../../../data/models/ner.model");

/// The shipped model, decoded on first use; `None` when the repository holds no model (an
/// empty file, while one is being trained).
pub fn shipped() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            if SHIPPED.is_empty() {
                return None;
            }
            // a model that does not load is a build mistake the tests catch; tagging goes on
            // with the rules alone
            Model::from_bytes(SHIPPED).ok()
        })
        .as_ref()
}

/// Tags with a model: each sentence's tokens get their labels, and every labelled span becomes a
/// typed candidate.
pub struct PerceptronRecognizer {
    model: &'static Model,
}

impl PerceptronRecognizer {
    pub fn new(model: &'static Model) -> Self {
        PerceptronRecognizer { model }
    }

    /// The shipped model's recogniser, if a model is shipped.
    pub fn shipped() -> Option<Self> {
        shipped().map(PerceptronRecognizer::new)
    }

    /// Typed mentions in one stretch of text (byte spans), sentence by sentence. The model reads
    /// the rule recogniser's candidates among its features: pass them when they are at hand.
    pub fn mentions(
        &self,
        text: &str,
        tokens: &[Span],
        sentences: &[Span],
        headline: bool,
        rules: Option<&[Candidate]>,
    ) -> Vec<(Span, EntityType)> {
        let own;
        let rules = match rules {
            Some(r) => r,
            None => {
                own = RuleRecognizer.recognize(text, tokens, sentences, headline);
                &own
            }
        };
        let codes = features::rule_codes(rules, tokens);
        let mut out = Vec::new();
        let (mut feats, mut offsets, mut breaks) = (Vec::new(), Vec::new(), Vec::new());
        for s in sentences {
            let lo = tokens.partition_point(|t| t.start < s.start);
            let hi = tokens.partition_point(|t| t.start < s.end);
            let toks = &tokens[lo..hi];
            if toks.is_empty() {
                continue;
            }
            feats.clear();
            offsets.clear();
            breaks.clear();
            features::extract(
                text,
                toks,
                headline,
                &codes[lo..hi],
                &mut |k| self.model.knows(k),
                &mut feats,
                &mut offsets,
            );
            breaks.push(false);
            breaks.extend(toks.windows(2).map(|w| features::line_break_between(text, w[0], w[1])));
            let tags = self.model.decode(&feats, &offsets, &breaks);
            for (a, b, kind) in model::spans(&self.model.labels, &tags) {
                out.push((Span::new(toks[a].start, toks[b - 1].end), kind));
            }
        }
        out
    }
}

impl Recognizer for PerceptronRecognizer {
    fn recognize(&self, text: &str, tokens: &[Span], sentences: &[Span], headline: bool) -> Vec<Candidate> {
        self.mentions(text, tokens, sentences, headline, None)
            .into_iter()
            .map(|(span, kind)| Candidate {
                span,
                kind: Some(kind),
                known: None,
                role: None,
                affiliation: None,
                demonym: false,
                in_title: false,
            })
            .collect()
    }
}

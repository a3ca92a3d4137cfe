//! A statistical recogniser: a linear model over rich token features (shape, affixes, a ±2
//! window, cue words, the knowledge tables' names), decoded with Viterbi over BIO labels, as
//! trained by an averaged structured perceptron (`newsgraph train ner`).
//!
//! The shipped model (`data/models/ner.model`, described in `data/models/README.md`) is compiled
//! into the binary and decoded once, on first use: tagging needs no file and no network.

mod cache;
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
        let model = self.model;
        let l = model.labels.len();
        cache::with_forms(model, |forms| {
            let ids: Vec<u32> = tokens.iter().map(|t| forms.id(model, &text[t.start..t.end])).collect();
            let mut out = Vec::new();
            let (mut emit, mut feats, mut breaks) = (Vec::new(), Vec::new(), Vec::new());
            for s in sentences {
                let lo = tokens.partition_point(|t| t.start < s.start);
                let hi = tokens.partition_point(|t| t.start < s.end);
                let toks = &tokens[lo..hi];
                if toks.is_empty() {
                    continue;
                }
                let ids = &ids[lo..hi];
                let words = ids.iter().map(|&i| &forms.infos[i as usize]).collect();
                let unknown = ids.iter().map(|&i| forms.unknown[i as usize]).collect();
                let sent = features::Sentence::new(text, toks, words, unknown, headline, &codes[lo..hi]);
                let n = toks.len();
                emit.clear();
                emit.resize(n * l, 0i32);
                for (i, e) in emit.chunks_exact_mut(l).enumerate() {
                    let (first, casing) = sent.position(i);
                    add(e, forms.row(ids[i], cache::position_row(first, casing)));
                    for (k, &d) in features::NEIGHBOURS.iter().enumerate() {
                        let j = i as isize + d;
                        if j >= 0 && (j as usize) < n {
                            add(e, forms.row(ids[j as usize], cache::neighbour_row(k)));
                        } else {
                            add(e, &forms.ends[k * l..(k + 1) * l]);
                        }
                    }
                    feats.clear();
                    sent.context_features(i, &mut feats);
                    for &h in &feats {
                        model.accumulate(h, e);
                    }
                }
                breaks.clear();
                breaks.push(false);
                breaks.extend(toks.windows(2).map(|w| features::line_break_between(text, w[0], w[1])));
                let tags = model.best(&emit, &breaks);
                for (a, b, kind) in model::spans(&model.labels, &tags) {
                    out.push((Span::new(toks[a].start, toks[b - 1].end), kind));
                }
            }
            out
        })
    }
}

fn add(acc: &mut [i32], row: &[i32]) {
    for (a, r) in acc.iter_mut().zip(row) {
        *a += r;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::{split_sentences, tokenize};

    /// The tagger's sums from its memory of forms must be those of scoring every feature, as
    /// in training: the same labels for every sentence.
    #[test]
    fn memory_of_forms_changes_no_label() {
        let model = shipped().expect("the shipped model loads");
        let texts = [
            "Vladimir Putin met Olaf Scholz in Berlin on Tuesday, the Kremlin said.",
            "the vienna-based agency said its inspectors had left iran .",
            "BREAKING: FIRE AT THE NATIONAL GALLERY IN LONDON",
            "Ms. Andonović told the Alföld Growers' Union meeting that Kim Jong Un's visit was off.\nReuters",
            "I bought it at Walmart and it broke ... never again!!! Love, Jenny",
        ];
        let r = PerceptronRecognizer::new(model);
        for text in texts {
            let tokens = tokenize(text);
            let sentences = split_sentences(text);
            let rules = RuleRecognizer.recognize(text, &tokens, &sentences, false);
            let codes = features::rule_codes(&rules, &tokens);
            let mut expected = Vec::new();
            for s in &sentences {
                let lo = tokens.partition_point(|t| t.start < s.start);
                let hi = tokens.partition_point(|t| t.start < s.end);
                let toks = &tokens[lo..hi];
                let (mut f, mut o) = (Vec::new(), Vec::new());
                features::extract(text, toks, false, &codes[lo..hi], &mut |k| model.knows(k), &mut f, &mut o);
                let mut breaks = vec![false];
                breaks.extend(toks.windows(2).map(|w| features::line_break_between(text, w[0], w[1])));
                for (a, b, kind) in model::spans(&model.labels, &model.decode(&f, &o, &breaks)) {
                    expected.push((Span::new(toks[a].start, toks[b - 1].end), kind));
                }
            }
            // twice: the second time every form comes from memory
            for _ in 0..2 {
                assert_eq!(r.mentions(text, &tokens, &sentences, false, Some(&rules)), expected, "{text}");
            }
        }
    }
}

//! Segmentation: tokens and sentences, and the article's language.

mod language;
mod sentences;

pub use language::Language;
pub use sentences::{split_sentences, tokenize, Sentences};

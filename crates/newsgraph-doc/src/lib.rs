//! The document at the centre of newsgraph's pipeline.
//!
//! A [`Document`] holds one article's cleaned text and metadata. Pipeline stages add stand-off
//! annotations (spans with byte offsets into `text`) to it; no stage re-parses another stage's
//! output. [`record::ArticleRecord`] turns a finished document into the public JSON record, where
//! offsets become character (Unicode scalar) offsets.

pub mod record;

use serde::{Deserialize, Serialize};

/// A half-open byte range into [`Document::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// What an article says about itself: where it came from and who published it when.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Meta {
    /// The input's own id, when it had one (a JSON `id` field).
    pub input_id: Option<String>,
    /// The file the article came from, with `:N` for the line or record within it.
    pub source: String,
    pub url: Option<String>,
    pub site: Option<String>,
    pub title: Option<String>,
    pub byline: Vec<String>,
    /// Publication date as an ISO 8601 prefix, when known.
    pub published: Option<String>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// Notes about how the input was read (an encoding guessed, a field missing).
    pub notes: Vec<String>,
}

/// A piece of the input that the cleaner dropped, with the rule that dropped it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removal {
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    #[serde(rename = "PERSON")]
    Person,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "PLACE")]
    Place,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Place => "PLACE",
        }
    }
}

/// One person, organisation or place, with every place the article names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Stable across articles: derived from the type and the normalised canonical name (or code).
    pub id: String,
    pub name: String,
    pub kind: EntityType,
    /// ISO 3166-1 alpha-3 for countries (and the country of a capital or demonym).
    pub code: Option<String>,
    /// Roles seen before the name ("President", "senior researcher").
    pub roles: Vec<String>,
    /// For a person: the ISO 3166-1 alpha-3 code of the country they act for, when the text says
    /// ("Russian President Vladimir Putin").
    pub affiliation: Option<String>,
    pub mentions: Vec<Span>,
    /// Mentions in the title (byte offsets into `meta.title`), which is not part of `text`.
    pub title_mentions: Vec<Span>,
}

impl Entity {
    /// Builds the stable id for an entity of this type and canonical name.
    pub fn make_id(kind: EntityType, key: &str) -> String {
        let h = xxhash_rust::xxh3::xxh3_64(key.as_bytes());
        format!("{}-{:012x}", kind.as_str().to_ascii_lowercase(), h & 0xffff_ffff_ffff)
    }

    /// The id of the country with this ISO 3166-1 alpha-3 code, the same in every article.
    pub fn country_id(iso3: &str) -> String {
        Entity::make_id(EntityType::Place, &format!("country:{iso3}"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Indirect,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// The quoted words, without the quotation marks or dash.
    pub span: Span,
    pub kind: QuoteKind,
    /// Index into [`Document::entities`] of the speaker, when one could be told.
    pub speaker: Option<usize>,
    /// The word that introduced the quotation ("said", "according to", a colon, an interview answer).
    pub cue: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub span: Span,
    pub value: f64,
    /// What is counted, singular ("tourist", "year") or an ISO 4217 code for money.
    pub unit: Option<String>,
    /// "more than", "nearly", "about" …
    pub approx: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    pub span: Span,
    /// ISO 8601 prefix, or None when the calendar date cannot be known.
    pub value: Option<String>,
}

/// The 16 event types of the PLOVER ontology, in its order.
pub const PLOVER_TYPES: &[&str] = &[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    Asserted,
    Expected,
    Hypothetical,
    Negated,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The words that carry the event (the sentence, or the clause within it).
    pub span: Span,
    /// PLOVER type: AGREE, CONSULT, … ASSAULT.
    pub kind: String,
    /// PLOVER mode where the text says it (e.g. "visit" for CONSULT).
    pub mode: Option<String>,
    /// Indexes into [`Document::entities`].
    pub actor: Option<usize>,
    pub target: Option<usize>,
    pub modality: Modality,
    /// Who the claim is attributed to ("according to NTB").
    pub reported_by: Option<usize>,
    /// When it happened, an ISO 8601 prefix, if the sentence says.
    pub date: Option<String>,
    /// The cue word that triggered the event.
    pub trigger: String,
}

/// One article and everything the pipeline found in it.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Stable content id: a hash of title and cleaned text.
    pub id: String,
    pub meta: Meta,
    /// Cleaned body text; paragraphs are separated by a blank line.
    pub text: String,
    pub removed: Vec<Removal>,
    /// Paragraph and sentence boundaries within `text`.
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Span>,
    /// Word and punctuation tokens, in order.
    pub tokens: Vec<Span>,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
    pub amounts: Vec<Amount>,
    pub dates: Vec<DateMention>,
    pub events: Vec<Event>,
    /// Filled in by the corpus layer.
    pub story: Option<String>,
    pub duplicate_of: Option<String>,
}

impl Document {
    /// Makes a document from cleaned text; computes paragraphs and the content id.
    pub fn new(meta: Meta, text: String, removed: Vec<Removal>) -> Self {
        let id = content_id(meta.title.as_deref().unwrap_or(""), &text);
        let paragraphs = paragraph_spans(&text);
        Document { id, meta, text, removed, paragraphs, ..Default::default() }
    }

    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    /// The sentence that holds byte offset `at`, if any.
    pub fn sentence_at(&self, at: usize) -> Option<Span> {
        let i = self.sentences.partition_point(|s| s.end <= at);
        self.sentences.get(i).copied().filter(|s| s.start <= at)
    }

    /// The entity whose mention covers exactly or contains `span`.
    pub fn entity_at(&self, span: Span) -> Option<usize> {
        self.entities.iter().position(|e| e.mentions.iter().any(|m| m.contains(span)))
    }
}

/// The content id: stable for the same title and text, whatever file they came from.
pub fn content_id(title: &str, text: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(title.trim().as_bytes());
    h.update(b"\n\n");
    h.update(text.trim().as_bytes());
    format!("{:016x}", h.digest())
}

/// Splits text into paragraphs at blank lines.
pub fn paragraph_spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(trim_span(text, Span::new(s, pos)));
            }
        } else if start.is_none() {
            start = Some(pos);
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(trim_span(text, Span::new(s, text.len())));
    }
    out
}

/// Shrinks a span so that it neither starts nor ends with white space.
pub fn trim_span(text: &str, span: Span) -> Span {
    let s = &text[span.start..span.end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead == s.len() {
        return Span::new(span.start, span.start);
    }
    Span::new(span.start + lead, span.end - trail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_at_blank_lines() {
        let t = "One.\n\n  Two a.\nTwo b.\n\n\nThree.";
        let p: Vec<&str> = paragraph_spans(t).iter().map(|s| &t[s.start..s.end]).collect();
        assert_eq!(p, vec!["One.", "Two a.\nTwo b.", "Three."]);
    }

    #[test]
    fn content_id_ignores_surrounding_space() {
        assert_eq!(content_id("T", "body\n"), content_id(" T", "body"));
        assert_ne!(content_id("T", "body"), content_id("T", "body."));
    }

    #[test]
    fn sentence_lookup() {
        let mut d = Document::new(Meta::default(), "Aa. Bb.".into(), vec![]);
        d.sentences = vec![Span::new(0, 3), Span::new(4, 7)];
        assert_eq!(d.sentence_at(5), Some(Span::new(4, 7)));
        assert_eq!(d.sentence_at(3), None);
    }
}

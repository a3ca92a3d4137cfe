//! The public JSON records: the contract that scripts, tests and other tools rely on.
//! Offsets here are character (Unicode scalar) offsets into `text`.

use crate::{Document, Modality, QuoteKind, Removal, Span};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MentionRecord {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// "title" for a mention in the title (offsets into `title`); absent for mentions in `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EntityRecord {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// For a person, the country they act for (ISO 3166-1 alpha-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub mentions: Vec<MentionRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuoteRecord {
    pub text: String,
    pub kind: QuoteKind,
    pub speaker: Option<String>,
    pub speaker_entity: Option<String>,
    pub cue: Option<String>,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AmountRecord {
    pub text: String,
    pub value: f64,
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approx: Option<String>,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DateRecord {
    pub text: String,
    pub value: Option<String>,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EventRecord {
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
    pub actor: Option<String>,
    pub actor_code: Option<String>,
    pub target: Option<String>,
    pub target_code: Option<String>,
    pub modality: Modality,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub trigger: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One article as newsgraph writes it (`"kind": "article"`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArticleRecord {
    pub kind: String,
    pub id: String,
    pub input_id: Option<String>,
    pub source: String,
    pub url: Option<String>,
    pub site: Option<String>,
    pub title: Option<String>,
    pub byline: Vec<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub text: String,
    pub removed: Vec<Removal>,
    pub entities: Vec<EntityRecord>,
    pub quotes: Vec<QuoteRecord>,
    pub amounts: Vec<AmountRecord>,
    pub dates: Vec<DateRecord>,
    pub events: Vec<EventRecord>,
    pub story: Option<String>,
    pub duplicate_of: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Maps byte offsets of a text to character offsets.
struct CharIndex {
    /// For each char boundary, its byte offset; binary-searched.
    bytes: Vec<usize>,
}

impl CharIndex {
    fn new(text: &str) -> Self {
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        CharIndex { bytes }
    }
    fn chars(&self, byte: usize) -> usize {
        self.bytes.partition_point(|&b| b < byte)
    }
}

impl ArticleRecord {
    pub fn from_document(d: &Document) -> Self {
        let ix = CharIndex::new(&d.text);
        let off = |s: Span| (ix.chars(s.start), ix.chars(s.end));
        let entity_name = |i: Option<usize>| i.map(|i| d.entities[i].name.clone());
        // a person acting for a country is coded with the country's code
        let entity_code =
            |i: Option<usize>| i.and_then(|i| d.entities[i].code.clone().or_else(|| d.entities[i].affiliation.clone()));
        ArticleRecord {
            kind: "article".into(),
            id: d.id.clone(),
            input_id: d.meta.input_id.clone(),
            source: d.meta.source.clone(),
            url: d.meta.url.clone(),
            site: d.meta.site.clone(),
            title: d.meta.title.clone(),
            byline: d.meta.byline.clone(),
            published: d.meta.published.clone(),
            language: d.meta.language.clone(),
            text: d.text.clone(),
            removed: d.removed.clone(),
            entities: d
                .entities
                .iter()
                .map(|e| EntityRecord {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    kind: e.kind.as_str().into(),
                    code: e.code.clone(),
                    roles: e.roles.clone(),
                    country: e.affiliation.clone(),
                    mentions: e
                        .mentions
                        .iter()
                        .map(|&m| {
                            let (start, end) = off(m);
                            MentionRecord { start, end, text: d.slice(m).to_string(), field: None }
                        })
                        .chain(e.title_mentions.iter().map(|&m| {
                            let title = d.meta.title.as_deref().unwrap_or("");
                            let chars = |b: usize| title[..b].chars().count();
                            MentionRecord {
                                start: chars(m.start),
                                end: chars(m.end),
                                text: title[m.start..m.end].to_string(),
                                field: Some("title".into()),
                            }
                        }))
                        .collect(),
                })
                .collect(),
            quotes: d
                .quotes
                .iter()
                .map(|q| {
                    let (start, end) = off(q.span);
                    QuoteRecord {
                        text: d.slice(q.span).to_string(),
                        kind: q.kind,
                        speaker: entity_name(q.speaker),
                        speaker_entity: q.speaker.map(|i| d.entities[i].id.clone()),
                        cue: q.cue.clone(),
                        start,
                        end,
                    }
                })
                .collect(),
            amounts: d
                .amounts
                .iter()
                .map(|a| {
                    let (start, end) = off(a.span);
                    AmountRecord {
                        text: d.slice(a.span).to_string(),
                        value: a.value,
                        unit: a.unit.clone(),
                        approx: a.approx.clone(),
                        start,
                        end,
                    }
                })
                .collect(),
            dates: d
                .dates
                .iter()
                .map(|m| {
                    let (start, end) = off(m.span);
                    DateRecord { text: d.slice(m.span).to_string(), value: m.value.clone(), start, end }
                })
                .collect(),
            events: d
                .events
                .iter()
                .map(|e| {
                    let (start, end) = off(e.span);
                    EventRecord {
                        kind: e.kind.clone(),
                        mode: e.mode.clone(),
                        actor: entity_name(e.actor),
                        actor_code: entity_code(e.actor),
                        target: entity_name(e.target),
                        target_code: entity_code(e.target),
                        modality: e.modality,
                        reported_by: entity_name(e.reported_by),
                        date: e.date.clone(),
                        trigger: e.trigger.clone(),
                        text: d.slice(e.span).to_string(),
                        start,
                        end,
                    }
                })
                .collect(),
            story: d.story.clone(),
            duplicate_of: d.duplicate_of.clone(),
            notes: d.meta.notes.clone(),
        }
    }
}

/// A story: the articles that report one event (`"kind": "story"`), and how its sources compare.
///
/// The comparison fields hold JSON objects whose shapes are documented here and typed in
/// `newsgraph_corpus::compare`; sources are named by their index in `sources`, claims by their
/// index in `claims`. Every list is capped (caps below), so a story of thousands of articles
/// keeps a record of a few kilobytes; counts are over all of its articles.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct StoryRecord {
    pub kind: String,
    pub id: String,
    pub title: String,
    pub articles: Vec<String>,
    pub sites: Vec<String>,
    /// Names of the entities most of its articles share, most frequent first.
    pub entities: Vec<String>,
    /// Earliest publication date among its articles, when known.
    pub first_published: Option<String>,
    /// Articles that are not copies of another article in the story.
    pub independent_articles: usize,
    /// Its articles in processing order (publication date, then input order), each
    /// `{"article", "site", "published", "copy_of"}` (`copy_of`: the article it copies, for a
    /// copy); at most 50.
    #[serde(default)]
    pub sources: Vec<serde_json::Value>,
    /// The article that reported it first: the earliest published; null when none is dated.
    #[serde(default)]
    pub first_reported: Option<String>,
    /// Indexes into `sources` of its independent sources: articles that copy no other.
    #[serde(default)]
    pub independent_sources: Vec<usize>,
    /// Dated items, oldest first, each `{"date", "kind", "text", "sources"}`: `kind` is
    /// `published` (articles published that day; `text` the first one's title), `mentioned` (a
    /// date the articles name; `text` the words around it) or `event` (the date of an event
    /// they report); at most 40, those most sources share.
    #[serde(default)]
    pub timeline: Vec<serde_json::Value>,
    /// The claims matrix: each event (`text` "TYPE actor → target", `value` its date when the
    /// sources agree on one), quotation (`text` "speaker: “first words…”") and amount (`text`
    /// "unit (context word…)", `value` the number) that its independent sources report, each
    /// `{"kind", "text", "value", "sources", "count"}` with the sources reporting it and how
    /// many do; most reported first, at most 40. At most 4 events, 4 quotations and 6 amounts
    /// are read per article.
    #[serde(default)]
    pub claims: Vec<serde_json::Value>,
    /// Indexes into `claims` of those every independent source reports (two sources or more).
    #[serde(default)]
    pub shared_claims: Vec<usize>,
    /// Indexes into `claims` of those only one independent source reports (two sources or more).
    #[serde(default)]
    pub unique_claims: Vec<usize>,
    /// Where independent sources disagree, each `{"kind", "about", "values": [{"value",
    /// "sources"}]}`: `amount` for different numbers for the same thing (same unit and context
    /// word; approximate amounts excepted), `date` for different dates for the same event; at
    /// most 20.
    #[serde(default)]
    pub disagreements: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rejection {
    pub source: String,
    pub reason: String,
}

/// The last record of a run (`"kind": "summary"`): every input accounted for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SummaryRecord {
    pub kind: String,
    /// Inputs seen: files, plus records within JSON Lines files.
    pub inputs: usize,
    pub articles: usize,
    pub rejected: Vec<Rejection>,
    pub stories: usize,
    pub duplicates: usize,
    pub seconds: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Entity, EntityType, Meta};

    #[test]
    fn offsets_are_characters() {
        let mut d = Document::new(Meta::default(), "Andonović met Putin.".into(), vec![]);
        let s = d.text.find("Putin").unwrap();
        d.entities.push(Entity {
            id: "p".into(),
            name: "Vladimir Putin".into(),
            kind: EntityType::Person,
            code: None,
            roles: vec![],
            affiliation: None,
            mentions: vec![Span::new(s, s + 5)],
            title_mentions: vec![],
        });
        let r = ArticleRecord::from_document(&d);
        let m = &r.entities[0].mentions[0];
        assert_eq!((m.start, m.end), (14, 19));
        let chars: String = r.text.chars().skip(m.start).take(m.end - m.start).collect();
        assert_eq!(chars, "Putin");
        assert_eq!(m.text, "Putin");
    }
}

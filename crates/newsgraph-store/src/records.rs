//! Article rows in and out: a document's record split over the tables, and the same record
//! put back together, texts of spans sliced from the article text.

use crate::db::{args, Conn, Value};
use crate::{Chars, Error, Result};
use newsgraph_doc::record::{
    AmountRecord, ArticleRecord, DateRecord, EntityRecord, EventRecord, MentionRecord, QuoteRecord,
};
use newsgraph_doc::{Document, Removal};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// `"direct"` for `QuoteKind::Direct`: the serde name, which is the public one.
pub(crate) fn enum_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

pub(crate) fn enum_parse<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|e| Error(format!("stored value {s:?}: {e}")))
}

pub(crate) fn json_list<T: Serialize>(v: &[T]) -> Option<String> {
    if v.is_empty() {
        None
    } else {
        Some(serde_json::to_string(v).expect("lists serialise"))
    }
}

fn parse_list<T: DeserializeOwned>(s: Option<String>) -> Vec<T> {
    s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

/// Mentions as `start-end` (text) and `tstart-end` (title), space-separated.
pub(crate) fn encode_mentions(ms: &[MentionRecord]) -> String {
    let mut out = String::with_capacity(ms.len() * 10);
    for m in ms {
        if !out.is_empty() {
            out.push(' ');
        }
        if m.field.as_deref() == Some("title") {
            out.push('t');
        }
        out.push_str(&format!("{}-{}", m.start, m.end));
    }
    out
}

/// (in title, start, end) for each mention.
pub(crate) fn decode_mentions(s: &str) -> impl Iterator<Item = (bool, usize, usize)> + '_ {
    s.split(' ').filter_map(|m| {
        let (title, m) = match m.strip_prefix('t') {
            Some(rest) => (true, rest),
            None => (false, m),
        };
        let (a, b) = m.split_once('-')?;
        Some((title, a.parse().ok()?, b.parse().ok()?))
    })
}

/// Writes one analysed article (`rec` is its record) and returns its row number.
/// `entities[i]` is the row number of the record's i-th entity and whether its name is the one
/// stored with it. The caller holds the transaction.
pub(crate) fn insert_article(
    conn: &Conn,
    doc: &Document,
    article: &crate::ingest::Rows,
    entities: &[(i64, bool)],
    added: i64,
) -> Result<i64> {
    let rec = &article.rec;
    let n = conn.insert_returning_n(
        "INSERT INTO articles (id, input_id, source, url, site, title, byline, published, language, removed, notes, added)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        args![
            rec.id,
            rec.input_id,
            rec.source,
            rec.url,
            rec.site,
            rec.title,
            json_list(&rec.byline),
            rec.published,
            rec.language,
            json_list::<Removal>(&rec.removed),
            json_list(&rec.notes),
            added
        ],
    )?;
    insert_children(conn, n, doc, rec, article.packed_text.as_deref(), entities)?;
    Ok(n)
}

/// The rows of article `n` besides its own: text, search index, entities, quotes, events,
/// amounts and dates.
pub(crate) fn insert_children(
    conn: &Conn,
    n: i64,
    doc: &Document,
    rec: &ArticleRecord,
    packed_text: Option<&[u8]>,
    entities: &[(i64, bool)],
) -> Result<()> {
    if conn.is_postgres() {
        conn.execute(
            &format!("INSERT INTO article_texts (n, text, search) VALUES (?1, ?2, {})", crate::pg::SEARCH_VECTOR),
            args![n, rec.text, crate::query::fold(rec.title.as_deref().unwrap_or("")), crate::query::fold(&rec.text)],
        )?;
    } else {
        let text = match packed_text {
            Some(b) => Value::Blob(b.to_vec()),
            None => conn.pack(&rec.text),
        };
        // the full-text index is filled at the end of the ingest (`ingest::index_pending`)
        conn.execute("INSERT INTO article_texts (n, text) VALUES (?1, ?2)", &[Value::Int(n), text])?;
    }

    let mut entity_n = Vec::with_capacity(rec.entities.len());
    for (ord, (e, &(en, same_name))) in rec.entities.iter().zip(entities).enumerate() {
        let name = (!same_name).then_some(e.name.as_str());
        conn.execute(
            "INSERT INTO article_entities (article, ord, entity, name, code, roles, country, mentions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            args![n, ord, en, name, e.code, json_list(&e.roles), e.country, encode_mentions(&e.mentions)],
        )?;
        entity_n.push(en);
    }
    let en = |i: Option<usize>| i.and_then(|i| entity_n.get(i).copied());
    for (ord, (qr, qd)) in rec.quotes.iter().zip(&doc.quotes).enumerate() {
        conn.execute(
            "INSERT INTO quotes (article, ord, start, \"end\", kind, speaker, cue) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            args![n, ord, qr.start, qr.end, enum_str(&qr.kind), en(qd.speaker), qr.cue],
        )?;
    }
    for (ord, (er, ed)) in rec.events.iter().zip(&doc.events).enumerate() {
        conn.execute(
            "INSERT INTO events (article, ord, type, mode, actor, target, modality, reported_by, date, trigger, start, \"end\")
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            args![
                n,
                ord,
                er.kind,
                er.mode,
                en(ed.actor),
                en(ed.target),
                enum_str(&er.modality),
                en(ed.reported_by),
                er.date,
                er.trigger,
                er.start,
                er.end
            ],
        )?;
    }
    for (ord, a) in rec.amounts.iter().enumerate() {
        conn.execute(
            "INSERT INTO amounts (article, ord, start, \"end\", value, unit, approx) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            args![n, ord, a.start, a.end, a.value, a.unit, a.approx],
        )?;
    }
    for (ord, d) in rec.dates.iter().enumerate() {
        conn.execute(
            "INSERT INTO dates (article, ord, start, \"end\", value) VALUES (?1, ?2, ?3, ?4, ?5)",
            args![n, ord, d.start, d.end, d.value],
        )?;
    }
    Ok(())
}

/// One entity of an article as stored, with its row number.
pub(crate) struct ArticleEntity {
    pub n: i64,
    pub record: EntityRecord,
}

/// The entities of article `n` in their order, mentions sliced from `title` and `text`.
pub(crate) fn load_entities(conn: &Conn, n: i64, title: &str, text: &str, chars: &Chars) -> Result<Vec<ArticleEntity>> {
    let title_chars = Chars::new(title);
    let rows = conn.query_map(
        "SELECT e.n, e.id, coalesce(ae.name, e.name), e.type, ae.code, ae.roles, ae.country, ae.mentions
         FROM article_entities ae JOIN entities e ON e.n = ae.entity WHERE ae.article = ?1 ORDER BY ae.ord",
        args![n],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<Option<String>>(4)?,
                r.get::<Option<String>>(5)?,
                r.get::<Option<String>>(6)?,
                r.get::<String>(7)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (en, id, name, kind, code, roles, country, mentions) = row;
        let mentions = decode_mentions(&mentions)
            .map(|(in_title, start, end)| {
                if in_title {
                    MentionRecord {
                        start,
                        end,
                        text: title_chars.slice(title, start, end).to_string(),
                        field: Some("title".into()),
                    }
                } else {
                    MentionRecord { start, end, text: chars.slice(text, start, end).to_string(), field: None }
                }
            })
            .collect();
        out.push(ArticleEntity {
            n: en,
            record: EntityRecord { id, name, kind, code, roles: parse_list(roles), country, mentions },
        });
    }
    Ok(out)
}

/// The full public record of the article with row number `n`.
pub(crate) fn load_article(conn: &Conn, n: i64) -> Result<Option<ArticleRecord>> {
    let row = conn.query_opt("SELECT a.id, a.input_id, a.source, a.url, a.site, a.title, a.byline, a.published, a.language, unzip(t.text), a.removed,
                    a.notes, a.story, a.duplicate_of
             FROM articles a JOIN article_texts t ON t.n = a.n WHERE a.n = ?1", args![n], |r| {
            Ok(ArticleRecord {
                kind: "article".into(),
                id: r.get(0)?,
                input_id: r.get(1)?,
                source: r.get(2)?,
                url: r.get(3)?,
                site: r.get(4)?,
                title: r.get(5)?,
                byline: parse_list(r.get(6)?),
                published: r.get(7)?,
                language: r.get(8)?,
                text: r.get(9)?,
                removed: parse_list(r.get(10)?),
                notes: parse_list(r.get(11)?),
                story: r.get(12)?,
                duplicate_of: r.get(13)?,
                entities: Vec::new(),
                quotes: Vec::new(),
                amounts: Vec::new(),
                dates: Vec::new(),
                events: Vec::new(),
            })
        })?;
    let Some(mut rec) = row else { return Ok(None) };
    let chars = Chars::new(&rec.text);
    let text = rec.text.as_str();
    let ents = load_entities(conn, n, rec.title.as_deref().unwrap_or(""), text, &chars)?;
    let by_n = |en: Option<i64>| en.and_then(|en| ents.iter().find(|e| e.n == en)).map(|e| &e.record);

    let rows = conn.query_map(
        "SELECT start, \"end\", kind, speaker, cue FROM quotes WHERE article = ?1 ORDER BY ord",
        args![n],
        |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<String>(2)?, r.get::<Option<i64>>(3)?, r.get(4)?)),
    )?;
    for row in rows {
        let (start, end, kind, speaker, cue) = row;
        let (start, end) = (start as usize, end as usize);
        let sp = by_n(speaker);
        rec.quotes.push(QuoteRecord {
            text: chars.slice(text, start, end).to_string(),
            kind: enum_parse(&kind)?,
            speaker: sp.map(|e| e.name.clone()),
            speaker_entity: sp.map(|e| e.id.clone()),
            cue,
            start,
            end,
        });
    }

    let rows = conn.query_map("SELECT type, mode, actor, target, modality, reported_by, date, trigger, start, \"end\" FROM events WHERE article = ?1 ORDER BY ord", args![n], |r| {
        Ok((
            r.get::<String>(0)?,
            r.get::<Option<String>>(1)?,
            r.get::<Option<i64>>(2)?,
            r.get::<Option<i64>>(3)?,
            r.get::<String>(4)?,
            r.get::<Option<i64>>(5)?,
            r.get::<Option<String>>(6)?,
            r.get::<String>(7)?,
            r.get::<i64>(8)?,
            r.get::<i64>(9)?,
        ))
    })?;
    for row in rows {
        let (kind, mode, actor, target, modality, reported_by, date, trigger, start, end) = row;
        let (start, end) = (start as usize, end as usize);
        let (a, t) = (by_n(actor), by_n(target));
        rec.events.push(EventRecord {
            kind,
            mode,
            actor: a.map(|e| e.name.clone()),
            actor_code: a.and_then(|e| e.code.clone()),
            target: t.map(|e| e.name.clone()),
            target_code: t.and_then(|e| e.code.clone()),
            modality: enum_parse(&modality)?,
            reported_by: by_n(reported_by).map(|e| e.name.clone()),
            date,
            trigger,
            text: chars.slice(text, start, end).to_string(),
            start,
            end,
        });
    }

    let rows = conn.query_map(
        "SELECT start, \"end\", value, unit, approx FROM amounts WHERE article = ?1 ORDER BY ord",
        args![n],
        |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<f64>(2)?, r.get(3)?, r.get(4)?)),
    )?;
    for row in rows {
        let (start, end, value, unit, approx) = row;
        let (start, end) = (start as usize, end as usize);
        rec.amounts.push(AmountRecord {
            text: chars.slice(text, start, end).to_string(),
            value,
            unit,
            approx,
            start,
            end,
        });
    }

    let rows =
        conn.query_map("SELECT start, \"end\", value FROM dates WHERE article = ?1 ORDER BY ord", args![n], |r| {
            Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<Option<String>>(2)?))
        })?;
    for row in rows {
        let (start, end, value) = row;
        let (start, end) = (start as usize, end as usize);
        rec.dates.push(DateRecord { text: chars.slice(text, start, end).to_string(), value, start, end });
    }
    rec.entities = ents.into_iter().map(|e| e.record).collect();
    Ok(Some(rec))
}

/// The document of article `n` as the pipeline left it, from what is stored: metadata, text,
/// removals, entities with their mention spans, quotations, amounts, dates and events, with
/// byte spans again. Sentences and tokens are not stored and come back empty.
#[cfg(test)]
pub(crate) fn load_document(conn: &Conn, n: i64) -> Result<Option<Document>> {
    Ok(load_documents(conn, &[n])?.pop().flatten())
}

/// A document being put back together, with what its spans are measured against.
struct Loading {
    doc: Document,
    chars: Chars,
    title_chars: Chars,
    /// Entity row number of each of its entities, in order.
    index_of: Vec<i64>,
}

impl Loading {
    fn span(&self, s: i64, e: i64) -> newsgraph_doc::Span {
        let (s, e) = (self.chars.byte(s as usize), self.chars.byte(e as usize));
        newsgraph_doc::Span::new(s, e.max(s))
    }

    fn local(&self, en: Option<i64>) -> Option<usize> {
        en.and_then(|en| self.index_of.iter().position(|&x| x == en))
    }
}

/// [`load_document`] for many articles with one query per table: `out[i]` is article `ns[i]`
/// (None when there is no such article).
pub(crate) fn load_documents(conn: &Conn, ns: &[i64]) -> Result<Vec<Option<Document>>> {
    use newsgraph_doc::{Amount, DateMention, Entity, EntityType, Event, Meta, Quote, Span};
    use std::collections::HashMap;
    if ns.is_empty() {
        return Ok(Vec::new());
    }
    // Row numbers are integers: written into the statement, they cannot change its meaning.
    let list = ns.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let mut docs: HashMap<i64, Loading> = HashMap::with_capacity(ns.len());
    conn.query_each(
        &format!(
            "SELECT a.n, a.input_id, a.source, a.url, a.site, a.title, a.byline, a.published, a.language, a.notes, unzip(t.text),
                    a.removed, a.story, a.duplicate_of, a.id
             FROM articles a JOIN article_texts t ON t.n = a.n WHERE a.n IN ({list})"
        ),
        &[],
        &mut |r| {
            let meta = Meta {
                input_id: r.get(1)?,
                source: r.get(2)?,
                url: r.get(3)?,
                site: r.get(4)?,
                title: r.get(5)?,
                byline: parse_list(r.get(6)?),
                published: r.get(7)?,
                language: r.get(8)?,
                notes: parse_list(r.get(9)?),
            };
            let mut doc = Document::new(meta, r.get(10)?, parse_list::<Removal>(r.get(11)?));
            // the id is the one stored, whatever Document::new would derive
            doc.id = r.get(14)?;
            doc.story = r.get(12)?;
            doc.duplicate_of = r.get(13)?;
            let chars = Chars::new(&doc.text);
            let title = doc.meta.title.clone().unwrap_or_default();
            let title_chars = Chars::new(&title);
            docs.insert(r.get(0)?, Loading { doc, chars, title_chars, index_of: Vec::new() });
            Ok(())
        },
    )?;

    conn.query_each(
        &format!(
            "SELECT ae.article, ae.entity, e.id, coalesce(ae.name, e.name), e.type, ae.code, ae.roles, ae.country, ae.mentions
             FROM article_entities ae JOIN entities e ON e.n = ae.entity WHERE ae.article IN ({list})
             ORDER BY ae.article, ae.ord"
        ),
        &[],
        &mut |r| {
            let Some(l) = docs.get_mut(&r.get(0)?) else { return Ok(()) };
            let kind: String = r.get(4)?;
            let mentions: String = r.get(8)?;
            let (mut text_spans, mut title_spans) = (Vec::new(), Vec::new());
            for (in_title, s, e) in decode_mentions(&mentions) {
                if in_title {
                    let (s, e) = (l.title_chars.byte(s), l.title_chars.byte(e));
                    title_spans.push(Span::new(s, e.max(s)));
                } else {
                    text_spans.push(l.span(s as i64, e as i64));
                }
            }
            l.index_of.push(r.get(1)?);
            l.doc.entities.push(Entity {
                id: r.get(2)?,
                name: r.get(3)?,
                kind: match kind.as_str() {
                    "PERSON" => EntityType::Person,
                    "ORG" => EntityType::Org,
                    _ => EntityType::Place,
                },
                code: r.get(5)?,
                roles: parse_list(r.get(6)?),
                affiliation: r.get(7)?,
                mentions: text_spans,
                title_mentions: title_spans,
            });
            Ok(())
        },
    )?;

    conn.query_each(
        &format!(
            "SELECT article, start, \"end\", kind, speaker, cue FROM quotes WHERE article IN ({list}) ORDER BY article, ord"
        ),
        &[],
        &mut |r| {
            let Some(l) = docs.get_mut(&r.get(0)?) else { return Ok(()) };
            let kind: String = r.get(3)?;
            let q = Quote {
                span: l.span(r.get(1)?, r.get(2)?),
                kind: enum_parse(&kind)?,
                speaker: l.local(r.get(4)?),
                cue: r.get(5)?,
            };
            l.doc.quotes.push(q);
            Ok(())
        },
    )?;
    conn.query_each(
        &format!(
            "SELECT article, type, mode, actor, target, modality, reported_by, date, trigger, start, \"end\"
             FROM events WHERE article IN ({list}) ORDER BY article, ord"
        ),
        &[],
        &mut |r| {
            let Some(l) = docs.get_mut(&r.get(0)?) else { return Ok(()) };
            let modality: String = r.get(5)?;
            let e = Event {
                span: l.span(r.get(9)?, r.get(10)?),
                kind: r.get(1)?,
                mode: r.get(2)?,
                actor: l.local(r.get(3)?),
                target: l.local(r.get(4)?),
                modality: enum_parse(&modality)?,
                reported_by: l.local(r.get(6)?),
                date: r.get(7)?,
                trigger: r.get(8)?,
            };
            l.doc.events.push(e);
            Ok(())
        },
    )?;
    conn.query_each(
        &format!(
            "SELECT article, start, \"end\", value, unit, approx FROM amounts WHERE article IN ({list}) ORDER BY article, ord"
        ),
        &[],
        &mut |r| {
            let Some(l) = docs.get_mut(&r.get(0)?) else { return Ok(()) };
            let a = Amount { span: l.span(r.get(1)?, r.get(2)?), value: r.get(3)?, unit: r.get(4)?, approx: r.get(5)? };
            l.doc.amounts.push(a);
            Ok(())
        },
    )?;
    conn.query_each(
        &format!("SELECT article, start, \"end\", value FROM dates WHERE article IN ({list}) ORDER BY article, ord"),
        &[],
        &mut |r| {
            let Some(l) = docs.get_mut(&r.get(0)?) else { return Ok(()) };
            let d = DateMention { span: l.span(r.get(1)?, r.get(2)?), value: r.get(3)? };
            l.doc.dates.push(d);
            Ok(())
        },
    )?;
    Ok(ns.iter().map(|n| docs.remove(n).map(|l| l.doc)).collect())
}

//! Article rows in and out: a document's record split over the tables, and the same record
//! put back together, texts of spans sliced from the article text.

use crate::db::{args, Conn};
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
    rec: &ArticleRecord,
    entities: &[(i64, bool)],
    added: i64,
) -> Result<i64> {
    let n: i64 = conn.query_one(
        "INSERT INTO articles (id, input_id, source, url, site, title, byline, published, language, removed, notes, added)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING n",
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
        |r| r.get(0),
    )?;
    insert_children(conn, n, doc, rec, entities)?;
    Ok(n)
}

/// The rows of article `n` besides its own: text, search index, entities, quotes, events,
/// amounts and dates.
pub(crate) fn insert_children(
    conn: &Conn,
    n: i64,
    doc: &Document,
    rec: &ArticleRecord,
    entities: &[(i64, bool)],
) -> Result<()> {
    if conn.is_postgres() {
        conn.execute(
            &format!("INSERT INTO article_texts (n, text, search) VALUES (?1, ?2, {})", crate::pg::SEARCH_VECTOR),
            args![n, rec.text, crate::query::fold(rec.title.as_deref().unwrap_or("")), crate::query::fold(&rec.text)],
        )?;
    } else {
        conn.execute("INSERT INTO article_texts (n, text) VALUES (?1, ?2)", args![n, conn.pack(&rec.text)])?;
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
            args![n, rec.title, rec.text],
        )?;
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
pub(crate) fn load_document(conn: &Conn, n: i64) -> Result<Option<Document>> {
    use newsgraph_doc::{Amount, DateMention, Entity, EntityType, Event, Meta, Quote, Span};
    let row = conn.query_opt("SELECT a.input_id, a.source, a.url, a.site, a.title, a.byline, a.published, a.language, a.notes, unzip(t.text),
                    a.removed, a.story, a.duplicate_of, a.id
             FROM articles a JOIN article_texts t ON t.n = a.n WHERE a.n = ?1", args![n], |r| {
            let meta = Meta {
                input_id: r.get(0)?,
                source: r.get(1)?,
                url: r.get(2)?,
                site: r.get(3)?,
                title: r.get(4)?,
                byline: parse_list(r.get(5)?),
                published: r.get(6)?,
                language: r.get(7)?,
                notes: parse_list(r.get(8)?),
            };
            Ok((
                meta,
                r.get::<String>(9)?,
                parse_list::<Removal>(r.get(10)?),
                r.get(11)?,
                r.get(12)?,
                r.get::<String>(13)?,
            ))
        })?;
    let Some((meta, text, removed, story, duplicate_of, id)) = row else { return Ok(None) };
    let mut doc = Document::new(meta, text, removed);
    // the id is the one stored, whatever Document::new would derive
    doc.id = id;
    doc.story = story;
    doc.duplicate_of = duplicate_of;
    let chars = Chars::new(&doc.text);
    let title = doc.meta.title.clone().unwrap_or_default();
    let title_chars = Chars::new(&title);
    let span = |s: i64, e: i64| Span::new(chars.byte(s as usize), chars.byte(e as usize).max(chars.byte(s as usize)));

    let mut index_of: Vec<i64> = Vec::new();
    conn.query_each(
        "SELECT ae.entity, e.id, coalesce(ae.name, e.name), e.type, ae.code, ae.roles, ae.country, ae.mentions
         FROM article_entities ae JOIN entities e ON e.n = ae.entity WHERE ae.article = ?1 ORDER BY ae.ord",
        args![n],
        &mut |r| {
            let kind: String = r.get(3)?;
            let mentions: String = r.get(7)?;
            let (mut text_spans, mut title_spans) = (Vec::new(), Vec::new());
            for (in_title, s, e) in decode_mentions(&mentions) {
                if in_title {
                    title_spans.push(Span::new(title_chars.byte(s), title_chars.byte(e).max(title_chars.byte(s))));
                } else {
                    text_spans.push(span(s as i64, e as i64));
                }
            }
            index_of.push(r.get(0)?);
            doc.entities.push(Entity {
                id: r.get(1)?,
                name: r.get(2)?,
                kind: match kind.as_str() {
                    "PERSON" => EntityType::Person,
                    "ORG" => EntityType::Org,
                    _ => EntityType::Place,
                },
                code: r.get(4)?,
                roles: parse_list(r.get(5)?),
                affiliation: r.get(6)?,
                mentions: text_spans,
                title_mentions: title_spans,
            });
            Ok(())
        },
    )?;
    let local = |en: Option<i64>| en.and_then(|en| index_of.iter().position(|&x| x == en));

    conn.query_each(
        "SELECT start, \"end\", kind, speaker, cue FROM quotes WHERE article = ?1 ORDER BY ord",
        args![n],
        &mut |r| {
            let kind: String = r.get(2)?;
            doc.quotes.push(Quote {
                span: span(r.get(0)?, r.get(1)?),
                kind: enum_parse(&kind)?,
                speaker: local(r.get(3)?),
                cue: r.get(4)?,
            });
            Ok(())
        },
    )?;
    conn.query_each("SELECT type, mode, actor, target, modality, reported_by, date, trigger, start, \"end\" FROM events WHERE article = ?1 ORDER BY ord", args![n], &mut |r| {
        let modality: String = r.get(4)?;
        doc.events.push(Event {
            span: span(r.get(8)?, r.get(9)?),
            kind: r.get(0)?,
            mode: r.get(1)?,
            actor: local(r.get(2)?),
            target: local(r.get(3)?),
            modality: enum_parse(&modality)?,
            reported_by: local(r.get(5)?),
            date: r.get(6)?,
            trigger: r.get(7)?,
        });
        Ok(())
    })?;
    conn.query_each(
        "SELECT start, \"end\", value, unit, approx FROM amounts WHERE article = ?1 ORDER BY ord",
        args![n],
        &mut |r| {
            doc.amounts.push(Amount {
                span: span(r.get(0)?, r.get(1)?),
                value: r.get(2)?,
                unit: r.get(3)?,
                approx: r.get(4)?,
            });
            Ok(())
        },
    )?;
    conn.query_each("SELECT start, \"end\", value FROM dates WHERE article = ?1 ORDER BY ord", args![n], &mut |r| {
        doc.dates.push(DateMention { span: span(r.get(0)?, r.get(1)?), value: r.get(2)? });
        Ok(())
    })?;
    Ok(Some(doc))
}

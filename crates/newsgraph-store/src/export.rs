//! Exports: JSON Lines and CSV (articles and annotations), GraphML (the actor network) and
//! GDELT 2.0's tab-separated layouts (the event table and the knowledge graph).
//!
//! GDELT notes: events are coded from PLOVER to CAMEO ([`crate::cameo`]); one GDELT event is
//! one (story, CAMEO code, actor, target), with NumMentions the event mentions, NumArticles
//! and NumSources the distinct articles and sites reporting it. newsgraph measures no tone, so
//! AvgTone and the tone fields are 0. It has no coordinates or FIPS codes, so geographic fields
//! are empty except the location name, its type (1 country, 4 city or other place) and its
//! country as ISO 3166-1 alpha-3 (GDELT's own files use FIPS 10-4 there). Actor codes are the
//! entity's country code (CAMEO country codes are ISO alpha-3).

use crate::cameo;
use crate::{Error, Result, Store};
use newsgraph_doc::record::ArticleRecord;
use newsgraph_doc::Entity;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// What an export wrote.
#[derive(Debug, Clone, Default)]
pub struct ExportStats {
    pub articles: usize,
    pub stories: usize,
    pub rows: usize,
    pub files: Vec<PathBuf>,
}

fn io(e: std::io::Error) -> Error {
    Error(format!("cannot write the export: {e}"))
}

fn create(dir: &Path, name: &str, stats: &mut ExportStats) -> Result<BufWriter<File>> {
    let path = dir.join(name);
    let f = File::create(&path).map_err(|e| Error(format!("cannot create {}: {e}", path.display())))?;
    stats.files.push(path);
    Ok(BufWriter::with_capacity(1 << 16, f))
}

/// Every article record (as `analyze --format jsonl` writes them), then every story record.
pub fn jsonl(store: &Store, w: &mut dyn Write) -> Result<ExportStats> {
    let mut stats = ExportStats::default();
    store.for_each_article(&mut |rec| {
        serde_json::to_writer(&mut *w, &rec).map_err(|e| Error(e.to_string()))?;
        w.write_all(b"\n").map_err(io)?;
        stats.articles += 1;
        Ok(())
    })?;
    for s in story_records(store)? {
        serde_json::to_writer(&mut *w, &s).map_err(|e| Error(e.to_string()))?;
        w.write_all(b"\n").map_err(io)?;
        stats.stories += 1;
    }
    w.flush().map_err(io)?;
    Ok(stats)
}

/// The stories as `analyze` writes them, in its order (that of their first articles by date).
pub fn story_records(store: &Store) -> Result<Vec<newsgraph_doc::record::StoryRecord>> {
    let mut out = Vec::new();
    let rows = store.db.query_map("SELECT id, unzip(record) FROM stories ORDER BY n", &[], |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?))
    })?;
    for (id, record) in rows {
        let mut rec: newsgraph_doc::record::StoryRecord =
            serde_json::from_str(&record).map_err(|e| Error(format!("stored story {id}: {e}")))?;
        rec.articles = store.story_article_ids(&id)?;
        out.push(rec);
    }
    Ok(out)
}

/// One CSV field, quoted when it must be (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn row(w: &mut dyn Write, fields: &[&str]) -> Result<()> {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    w.write_all(line.join(",").as_bytes()).map_err(io)?;
    w.write_all(b"\r\n").map_err(io)
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

/// CSV tables in `dir`: articles, entities, mentions, quotes, events, amounts, dates, stories.
/// Each annotation row names its article by id and keeps the record's character offsets.
pub fn csv(store: &Store, dir: &Path) -> Result<ExportStats> {
    std::fs::create_dir_all(dir).map_err(|e| Error(format!("cannot create {}: {e}", dir.display())))?;
    let mut stats = ExportStats::default();
    let mut articles = create(dir, "articles.csv", &mut stats)?;
    let mut mentions = create(dir, "mentions.csv", &mut stats)?;
    let mut quotes = create(dir, "quotes.csv", &mut stats)?;
    let mut events = create(dir, "events.csv", &mut stats)?;
    let mut amounts = create(dir, "amounts.csv", &mut stats)?;
    let mut dates = create(dir, "dates.csv", &mut stats)?;
    row(
        &mut articles,
        &[
            "id",
            "input_id",
            "source",
            "url",
            "site",
            "title",
            "byline",
            "published",
            "language",
            "story",
            "duplicate_of",
            "text",
        ],
    )?;
    row(&mut mentions, &["article", "entity", "name", "type", "code", "field", "start", "end", "text"])?;
    row(&mut quotes, &["article", "ord", "kind", "speaker", "speaker_entity", "cue", "start", "end", "text"])?;
    row(
        &mut events,
        &[
            "article",
            "ord",
            "type",
            "mode",
            "actor",
            "actor_code",
            "target",
            "target_code",
            "modality",
            "reported_by",
            "date",
            "trigger",
            "start",
            "end",
            "text",
        ],
    )?;
    row(&mut amounts, &["article", "ord", "value", "unit", "approx", "start", "end", "text"])?;
    row(&mut dates, &["article", "ord", "value", "start", "end", "text"])?;
    store.for_each_article(&mut |a| {
        stats.articles += 1;
        let byline = a.byline.join("; ");
        row(
            &mut articles,
            &[
                &a.id,
                opt(&a.input_id),
                &a.source,
                opt(&a.url),
                opt(&a.site),
                opt(&a.title),
                &byline,
                opt(&a.published),
                opt(&a.language),
                opt(&a.story),
                opt(&a.duplicate_of),
                &a.text,
            ],
        )?;
        for e in &a.entities {
            for m in &e.mentions {
                let field = m.field.as_deref().unwrap_or("text");
                row(
                    &mut mentions,
                    &[
                        &a.id,
                        &e.id,
                        &e.name,
                        &e.kind,
                        opt(&e.code),
                        field,
                        &m.start.to_string(),
                        &m.end.to_string(),
                        &m.text,
                    ],
                )?;
                stats.rows += 1;
            }
        }
        for (i, q) in a.quotes.iter().enumerate() {
            let kind = crate::records::enum_str(&q.kind);
            row(
                &mut quotes,
                &[
                    &a.id,
                    &i.to_string(),
                    &kind,
                    opt(&q.speaker),
                    opt(&q.speaker_entity),
                    opt(&q.cue),
                    &q.start.to_string(),
                    &q.end.to_string(),
                    &q.text,
                ],
            )?;
            stats.rows += 1;
        }
        for (i, e) in a.events.iter().enumerate() {
            let modality = crate::records::enum_str(&e.modality);
            row(
                &mut events,
                &[
                    &a.id,
                    &i.to_string(),
                    &e.kind,
                    opt(&e.mode),
                    opt(&e.actor),
                    opt(&e.actor_code),
                    opt(&e.target),
                    opt(&e.target_code),
                    &modality,
                    opt(&e.reported_by),
                    opt(&e.date),
                    &e.trigger,
                    &e.start.to_string(),
                    &e.end.to_string(),
                    &e.text,
                ],
            )?;
            stats.rows += 1;
        }
        for (i, x) in a.amounts.iter().enumerate() {
            row(
                &mut amounts,
                &[
                    &a.id,
                    &i.to_string(),
                    &x.value.to_string(),
                    opt(&x.unit),
                    opt(&x.approx),
                    &x.start.to_string(),
                    &x.end.to_string(),
                    &x.text,
                ],
            )?;
            stats.rows += 1;
        }
        for (i, d) in a.dates.iter().enumerate() {
            row(
                &mut dates,
                &[&a.id, &i.to_string(), opt(&d.value), &d.start.to_string(), &d.end.to_string(), &d.text],
            )?;
            stats.rows += 1;
        }
        Ok(())
    })?;

    let mut entities = create(dir, "entities.csv", &mut stats)?;
    row(&mut entities, &["id", "name", "type", "code", "articles", "mentions"])?;
    store.db.query_each("SELECT id, name, type, code, articles, mentions FROM entities ORDER BY n", &[], &mut |r| {
        let code: Option<String> = r.get(3)?;
        row(
            &mut entities,
            &[
                &r.get::<String>(0)?,
                &r.get::<String>(1)?,
                &r.get::<String>(2)?,
                opt(&code),
                &r.get::<i64>(4)?.to_string(),
                &r.get::<i64>(5)?.to_string(),
            ],
        )?;
        Ok(())
    })?;
    let mut stories = create(dir, "stories.csv", &mut stats)?;
    row(
        &mut stories,
        &["id", "title", "articles", "independent_articles", "first_published", "last_published", "sites", "entities"],
    )?;
    store.db.query_each("SELECT id, title, articles, independent, first_published, last_published, sites, entities FROM stories ORDER BY n", &[], &mut |r| {
        let list = |s: String| serde_json::from_str::<Vec<String>>(&s).unwrap_or_default().join("; ");
        let (first, last): (Option<String>, Option<String>) = (r.get(4)?, r.get(5)?);
        row(
            &mut stories,
            &[
                &r.get::<String>(0)?,
                &r.get::<String>(1)?,
                &r.get::<i64>(2)?.to_string(),
                &r.get::<i64>(3)?.to_string(),
                opt(&first),
                opt(&last),
                &list(r.get(6)?),
                &list(r.get(7)?),
            ],
        )?;
        stats.stories += 1;
        Ok(())
    })?;
    for mut w in [articles, mentions, quotes, events, amounts, dates, entities, stories] {
        w.flush().map_err(io)?;
    }
    Ok(stats)
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 has no way to write other control characters
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The actor network as GraphML: entities as nodes (label, type, country code, articles);
/// directed edges for events (actor → target, one per event type, weighted by the articles
/// reporting it) and undirected co-occurrence edges (weighted by the articles naming both),
/// those below `min_cooccurrence` left out.
pub fn graphml(store: &Store, w: &mut dyn Write, min_cooccurrence: usize) -> Result<ExportStats> {
    let mut stats = ExportStats::default();
    let mut out = String::new();
    out.push_str(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="type" for="node" attr.name="type" attr.type="string"/>
  <key id="code" for="node" attr.name="code" attr.type="string"/>
  <key id="articles" for="node" attr.name="articles" attr.type="int"/>
  <key id="kind" for="edge" attr.name="kind" attr.type="string"/>
  <key id="event" for="edge" attr.name="event" attr.type="string"/>
  <key id="cameo" for="edge" attr.name="cameo" attr.type="string"/>
  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>
  <graph id="newsgraph" edgedefault="undirected">
"#,
    );
    let mut ids: HashMap<i64, String> = HashMap::new();
    store.db.query_each("SELECT n, id, name, type, code, articles FROM entities ORDER BY n", &[], &mut |r| {
        let (n, id, name, kind, code, articles): (i64, String, String, String, Option<String>, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
        out.push_str(&format!(
            "    <node id=\"{}\"><data key=\"label\">{}</data><data key=\"type\">{}</data>",
            xml(&id),
            xml(&name),
            xml(&kind)
        ));
        if let Some(c) = code {
            out.push_str(&format!("<data key=\"code\">{}</data>", xml(&c)));
        }
        out.push_str(&format!("<data key=\"articles\">{articles}</data></node>\n"));
        ids.insert(n, id);
        stats.rows += 1;
        if out.len() > 1 << 16 {
            w.write_all(out.as_bytes()).map_err(io)?;
            out.clear();
        }
        Ok(())
    })?;
    let mut edge = 0usize;
    // one edge per (actor, target, type): modes only refine the CAMEO code
    let mut grouped: BTreeMap<(i64, i64, String), (usize, &'static str)> = BTreeMap::new();
    store.db.query_each(
        "SELECT actor, target, type, mode, count(DISTINCT article) FROM events
         WHERE actor IS NOT NULL AND target IS NOT NULL AND actor != target
         GROUP BY actor, target, type, mode ORDER BY actor, target, type, mode",
        &[],
        &mut |r| {
            let (a, t, kind, mode, articles): (i64, i64, String, Option<String>, i64) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            let code = cameo::from_plover(&kind, mode.as_deref()).map_or("", |c| c.code);
            let e = grouped.entry((a, t, kind)).or_insert((0, code));
            e.0 += articles as usize;
            Ok(())
        },
    )?;
    for ((a, t, kind), (weight, code)) in grouped {
        let (Some(s), Some(d)) = (ids.get(&a), ids.get(&t)) else { continue };
        edge += 1;
        out.push_str(&format!(
            "    <edge id=\"e{edge}\" source=\"{}\" target=\"{}\" directed=\"true\"><data key=\"kind\">event</data><data key=\"event\">{}</data><data key=\"cameo\">{code}</data><data key=\"weight\">{weight}</data></edge>\n",
            xml(s),
            xml(d),
            xml(&kind)
        ));
        stats.rows += 1;
    }
    let mut pairs: HashMap<(i64, i64), u32> = HashMap::new();
    let mut current = -1i64;
    let mut mine: Vec<i64> = Vec::new();
    let flush = |mine: &mut Vec<i64>, pairs: &mut HashMap<(i64, i64), u32>| {
        mine.sort_unstable();
        mine.dedup();
        for (i, &x) in mine.iter().enumerate() {
            for &y in &mine[i + 1..] {
                *pairs.entry((x, y)).or_default() += 1;
            }
        }
        mine.clear();
    };
    store.db.query_each("SELECT article, entity FROM article_entities ORDER BY article, ord", &[], &mut |r| {
        let (article, entity): (i64, i64) = (r.get(0)?, r.get(1)?);
        if article != current {
            flush(&mut mine, &mut pairs);
            current = article;
        }
        mine.push(entity);
        Ok(())
    })?;
    flush(&mut mine, &mut pairs);
    let mut pairs: Vec<((i64, i64), u32)> =
        pairs.into_iter().filter(|&(_, w)| w as usize >= min_cooccurrence.max(1)).collect();
    pairs.sort_unstable();
    for ((x, y), weight) in pairs {
        let (Some(s), Some(d)) = (ids.get(&x), ids.get(&y)) else { continue };
        edge += 1;
        out.push_str(&format!(
            "    <edge id=\"e{edge}\" source=\"{}\" target=\"{}\"><data key=\"kind\">cooccurrence</data><data key=\"weight\">{weight}</data></edge>\n",
            xml(s),
            xml(d)
        ));
        stats.rows += 1;
        if out.len() > 1 << 16 {
            w.write_all(out.as_bytes()).map_err(io)?;
            out.clear();
        }
    }
    out.push_str("  </graph>\n</graphml>\n");
    w.write_all(out.as_bytes()).map_err(io)?;
    w.flush().map_err(io)?;
    Ok(stats)
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Unix seconds as GDELT's YYYYMMDDHHMMSS.
fn timestamp(secs: i64) -> String {
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{y:04}{m:02}{d:02}{:02}{:02}{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// A full ISO date prefix (YYYY-MM-DD…) as (year, month, day).
fn ymd(s: &str) -> Option<(i64, u32, u32)> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (s[..4].parse().ok()?, s[5..7].parse().ok()?, s[8..10].parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

fn day_of_year(y: i64, m: u32, d: u32) -> u32 {
    const CUM: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    CUM[(m - 1) as usize] + d + u32::from(leap && m > 2)
}

/// A text field of GDELT's layout: no tabs or line breaks, none of the given delimiters.
fn clean(s: &str, delimiters: &[char]) -> String {
    s.chars()
        .map(|c| if c.is_control() || delimiters.contains(&c) { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

struct GdeltEvent {
    cameo: Option<cameo::Cameo>,
    actor: Option<i64>,
    target: Option<i64>,
    date: Option<(i64, u32, u32)>,
    root: bool,
    mentions: usize,
    articles: HashSet<String>,
    sites: HashSet<String>,
    url: String,
    added: i64,
}

/// GDELT 2.0 files in `dir`: `newsgraph.export.CSV` (the event table, 61 tab-separated columns,
/// no header, as GDELT publishes it) and `newsgraph.gkg.csv` (the knowledge graph, GKG 2.1's
/// 27 columns, one row per article).
pub fn gdelt(store: &Store, dir: &Path) -> Result<ExportStats> {
    std::fs::create_dir_all(dir).map_err(|e| Error(format!("cannot create {}: {e}", dir.display())))?;
    let mut stats = ExportStats::default();

    struct Actor {
        name: String,
        code: Option<String>,
    }
    let mut actors: HashMap<i64, Actor> = HashMap::new();
    {
        store.db.query_each(
            "SELECT DISTINCT e.n, e.name, e.code FROM entities e JOIN events ev ON ev.actor = e.n OR ev.target = e.n",
            &[],
            &mut |r| {
                actors.insert(r.get(0)?, Actor { name: r.get(1)?, code: r.get(2)? });
                Ok(())
            },
        )?;
    }

    let mut groups: Vec<GdeltEvent> = Vec::new();
    let mut at: HashMap<(String, String, Option<i64>, Option<i64>), usize> = HashMap::new();
    // Where the first paragraph ends (1-based, in characters; 0 when it does not).
    let first_break =
        if store.db.is_postgres() { "strpos(t.text, E'\\n\\n')" } else { "instr(unzip(t.text), char(10, 10))" };
    let sql = format!(
        "SELECT a.id, coalesce(a.story, a.id), a.site, coalesce(a.url, a.source), a.published, a.added,
                ev.type, ev.mode, ev.actor, ev.target, ev.date, ev.start, {first_break}
         FROM events ev JOIN articles a ON a.n = ev.article JOIN article_texts t ON t.n = a.n ORDER BY a.n, ev.ord"
    );
    store.db.query_each(&sql, &[], &mut |r| {
        let article: String = r.get(0)?;
        let story: String = r.get(1)?;
        let site: Option<String> = r.get(2)?;
        let url: String = r.get(3)?;
        let published: Option<String> = r.get(4)?;
        let added: i64 = r.get(5)?;
        let kind: String = r.get(6)?;
        let mode: Option<String> = r.get(7)?;
        let actor: Option<i64> = r.get(8)?;
        let target: Option<i64> = r.get(9)?;
        let date: Option<String> = r.get(10)?;
        let start: i64 = r.get(11)?;
        let first_break: i64 = r.get(12)?;
        let code = cameo::from_plover(&kind, mode.as_deref());
        let key = (story, code.map_or(kind, |c| c.code.to_string()), actor, target);
        let i = *at.entry(key).or_insert_with(|| {
            groups.push(GdeltEvent {
                cameo: code,
                actor,
                target,
                date: None,
                root: false,
                mentions: 0,
                articles: HashSet::new(),
                sites: HashSet::new(),
                url,
                added,
            });
            groups.len() - 1
        });
        let g = &mut groups[i];
        g.mentions += 1;
        g.articles.insert(article);
        if let Some(s) = site {
            g.sites.insert(s);
        }
        // the event's own date, else the publication date of its first report
        if g.date.is_none() {
            g.date = date.as_deref().and_then(ymd).or_else(|| published.as_deref().and_then(ymd));
        }
        // GDELT's root events are those in the lead paragraph
        g.root |= first_break == 0 || start < first_break - 1;
        Ok(())
    })?;

    let mut w = create(dir, "newsgraph.export.CSV", &mut stats)?;
    for (i, g) in groups.iter().enumerate() {
        let (y, m, d) = g.date.unwrap_or_else(|| civil(g.added.div_euclid(86_400)));
        let mut cols: Vec<String> = Vec::with_capacity(61);
        cols.push((i + 1).to_string());
        cols.push(format!("{y:04}{m:02}{d:02}"));
        cols.push(format!("{y:04}{m:02}"));
        cols.push(format!("{y:04}"));
        cols.push(format!("{:.4}", y as f64 + f64::from(day_of_year(y, m, d)) / 365.0));
        for who in [g.actor, g.target] {
            let a = who.and_then(|n| actors.get(&n));
            let code = a.and_then(|a| a.code.clone()).unwrap_or_default();
            cols.push(code.clone()); // ActorCode
            cols.push(a.map(|a| clean(&a.name, &[]).to_uppercase()).unwrap_or_default()); // ActorName
            cols.push(code); // ActorCountryCode
            cols.extend(vec![String::new(); 7]); // group, ethnic, religion ×2, type ×3
        }
        cols.push(u8::from(g.root).to_string());
        match g.cameo {
            Some(c) => {
                cols.push(c.code.to_string());
                cols.push(c.base().to_string());
                cols.push(c.root().to_string());
                cols.push(c.quad_class().to_string());
                cols.push(format!("{:.1}", c.goldstein));
            }
            None => cols.extend([String::new(), String::new(), String::new(), String::new(), String::new()]),
        }
        cols.push(g.mentions.to_string());
        cols.push(g.sites.len().max(1).to_string());
        cols.push(g.articles.len().to_string());
        cols.push("0".into()); // AvgTone: not measured
        cols.extend(vec![String::new(); 24]); // Actor1Geo, Actor2Geo, ActionGeo: 8 each
        cols.push(timestamp(g.added));
        cols.push(clean(&g.url, &[]));
        debug_assert_eq!(cols.len(), 61);
        w.write_all(cols.join("\t").as_bytes()).map_err(io)?;
        w.write_all(b"\n").map_err(io)?;
        stats.rows += 1;
    }
    w.flush().map_err(io)?;

    let mut w = create(dir, "newsgraph.gkg.csv", &mut stats)?;
    let mut seq = 0usize;
    let mut added_of: HashMap<String, i64> = HashMap::new();
    {
        store.db.query_each("SELECT id, added FROM articles", &[], &mut |r| {
            added_of.insert(r.get(0)?, r.get(1)?);
            Ok(())
        })?;
    }
    store.for_each_article(&mut |a| {
        seq += 1;
        stats.articles += 1;
        let added = added_of.get(&a.id).copied().unwrap_or(0);
        let line = gkg_row(&a, seq, added);
        w.write_all(line.as_bytes()).map_err(io)?;
        w.write_all(b"\n").map_err(io)
    })?;
    w.flush().map_err(io)?;
    Ok(stats)
}

/// One GKG 2.1 row (27 tab-separated columns) for an article.
fn gkg_row(a: &ArticleRecord, seq: usize, added: i64) -> String {
    let added_ts = timestamp(added);
    let date = a
        .published
        .as_deref()
        .and_then(ymd)
        .map(|(y, m, d)| format!("{y:04}{m:02}{d:02}000000"))
        .unwrap_or_else(|| added_ts.clone());
    let name = |s: &str| clean(s, &[';', ',', '#', '|']);
    let (mut persons, mut persons2, mut orgs, mut orgs2) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut locs, mut locs2, mut all_names) = (Vec::new(), Vec::new(), Vec::new());
    for e in &a.entities {
        let first = e.mentions.iter().filter(|m| m.field.is_none()).map(|m| m.start).min();
        let n = name(&e.name);
        match e.kind.as_str() {
            "PERSON" => {
                persons.push(n.clone());
                for m in e.mentions.iter().filter(|m| m.field.is_none()) {
                    persons2.push(format!("{n},{}", m.start));
                }
            }
            "ORG" => {
                orgs.push(n.clone());
                for m in e.mentions.iter().filter(|m| m.field.is_none()) {
                    orgs2.push(format!("{n},{}", m.start));
                }
            }
            _ => {
                let code = e.code.clone().unwrap_or_default();
                let country = e.code.as_deref().is_some_and(|c| e.id == Entity::country_id(c));
                let ty = if country { 1 } else { 4 };
                locs.push(format!("{ty}#{n}#{code}####"));
                if let Some(off) = first {
                    locs2.push(format!("{ty}#{n}#{code}######{off}"));
                } else {
                    locs2.push(format!("{ty}#{n}#{code}######"));
                }
            }
        }
        if let Some(off) = first {
            all_names.push(format!("{n},{off}"));
        }
    }
    let words = a.text.split_whitespace().count();
    let dates: Vec<String> = a
        .dates
        .iter()
        .filter_map(|d| {
            let v = d.value.as_deref()?;
            let parts: Vec<&str> = v.split('-').collect();
            let num = |i: usize| parts.get(i).and_then(|p| p.get(..2.min(p.len()))).and_then(|p| p.parse::<u32>().ok());
            let year: i64 = parts.first()?.get(..4)?.parse().ok()?;
            let (res, m, day) =
                match (num(1), parts.get(2).and_then(|p| p.get(..2)).and_then(|p| p.parse::<u32>().ok())) {
                    (Some(m), Some(d)) => (4, m, d),
                    (Some(m), None) => (2, m, 0),
                    _ => (1, 0, 0),
                };
            Some(format!("{res}#{m}#{day}#{year}#{}", d.start))
        })
        .collect();
    let quotes: Vec<String> = a
        .quotes
        .iter()
        .map(|q| {
            let verb = clean(q.cue.as_deref().unwrap_or(""), &['|', '#']);
            format!("{}|{}|{verb}|{}", q.start, q.end - q.start, clean(&q.text, &['|', '#']))
        })
        .collect();
    let amounts: Vec<String> = a
        .amounts
        .iter()
        .map(|x| format!("{},{},{}", x.value, clean(x.unit.as_deref().unwrap_or(""), &[',', ';']), x.start))
        .collect();
    let mut extras = String::new();
    if let Some(t) = &a.title {
        extras.push_str(&format!("<PAGE_TITLE>{}</PAGE_TITLE>", xml(&clean(t, &[]))));
    }
    if !a.byline.is_empty() {
        extras.push_str(&format!("<PAGE_AUTHORS>{}</PAGE_AUTHORS>", xml(&clean(&a.byline.join(";"), &[]))));
    }
    let cols: Vec<String> = vec![
        format!("{added_ts}-{seq}"),
        date,
        "1".into(),
        clean(a.site.as_deref().unwrap_or(""), &[]),
        clean(a.url.as_deref().unwrap_or(&a.source), &[]),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        locs.join(";"),
        locs2.join(";"),
        persons.join(";"),
        persons2.join(";"),
        orgs.join(";"),
        orgs2.join(";"),
        format!("0,0,0,0,0,0,{words}"),
        dates.join(";"),
        format!("wc:{words}"),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        quotes.join("#"),
        all_names.join(";"),
        amounts.join(";"),
        String::new(),
        extras,
    ];
    debug_assert_eq!(cols.len(), 27);
    cols.join("\t")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_153), (2025, 3, 6));
        assert_eq!(timestamp(1_741_262_400), "20250306120000");
        assert_eq!(day_of_year(2024, 3, 1), 61);
        assert_eq!(ymd("2025-03-06T10:00:00Z"), Some((2025, 3, 6)));
        assert_eq!(ymd("2025-03"), None);
    }

    #[test]
    fn csv_fields_are_quoted() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\"\n"), "\"say \"\"hi\"\"\n\"");
    }
}

//! Re-runs the corpus layer over article records that `newsgraph analyze --format jsonl` wrote,
//! so that copy detection and story clustering can be tuned without annotating the articles
//! again.
//!
//! usage: cluster_records IN.jsonl [OUT.jsonl] [--set key=value]… [--replicate N] [--state FILE]
//!
//! `--set` overrides a field of `newsgraph_corpus::Config` (a JSON value). The output has one
//! line per article (`kind`, `id`, `input_id`, `story`, `duplicate_of`), then the story records.
//!
//! `--replicate N` reads the input N times, each time as different articles (every third word
//! altered, dates moved by 400 days a round), to measure time and memory at N times the size:
//! the output is then left out, and the peak resident memory is printed.
//!
//! `--state FILE` saves the corpus state once every article is added, loads it back and goes
//! on with the loaded corpus, printing the state's size and the time to save and to load it.

use newsgraph_corpus::{Config, Corpus};
use newsgraph_doc::record::ArticleRecord;
use newsgraph_doc::{Amount, DateMention, Document, Entity, EntityType, Event, Meta, Quote, Span};
use std::io::{BufRead, BufWriter, Write};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    let mut rounds = 1;
    let mut state: Option<String> = None;
    let mut config = serde_json::to_value(Config::default()).unwrap();
    while let Some(a) = args.next() {
        if a == "--set" {
            let kv = args.next().expect("--set key=value");
            let (k, v) = kv.split_once('=').expect("--set key=value");
            let v: serde_json::Value = serde_json::from_str(v).expect("value must be JSON");
            assert!(config.get(k).is_some(), "no such setting: {k}");
            config[k] = v;
        } else if a == "--state" {
            state = Some(args.next().expect("--state FILE"));
        } else if a == "--replicate" {
            rounds = args.next().and_then(|n| n.parse().ok()).expect("--replicate N");
        } else {
            paths.push(a);
        }
    }
    let config: Config = serde_json::from_value(config).expect("settings");
    let input = paths.first().expect("usage: cluster_records IN.jsonl [OUT.jsonl] [--set k=v]…");
    let started = std::time::Instant::now();
    let mut corpus = Corpus::new(config);
    let mut input_ids = Vec::new();
    for round in 0..rounds {
        let reader = std::io::BufReader::new(std::fs::File::open(input).expect("open input"));
        for line in reader.lines() {
            let line = line.expect("read input");
            let v: serde_json::Value = match serde_json::from_str(&line) {
                Ok(v) => v,
                Err(_) => continue,
            };
            if v.get("kind").and_then(|k| k.as_str()) != Some("article") {
                continue;
            }
            let mut rec: ArticleRecord = serde_json::from_value(v).expect("article record");
            if round > 0 {
                disguise(&mut rec, round);
            }
            if rounds == 1 {
                input_ids.push(rec.input_id.clone());
            }
            corpus.add(&document(&rec));
        }
    }
    let n = corpus.len();
    let added = started.elapsed().as_secs_f64();
    let rss_added = memory("VmRSS:");
    if let Some(path) = &state {
        let t = std::time::Instant::now();
        let file = std::io::BufWriter::new(std::fs::File::create(path).expect("create state"));
        corpus.save_state(file).expect("save state");
        let saved = t.elapsed().as_secs_f64();
        drop(corpus);
        let t = std::time::Instant::now();
        corpus = Corpus::load_state(std::fs::File::open(path).expect("open state")).expect("load state");
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        eprintln!(
            "state: {bytes} bytes ({} a article), {saved:.2}s to save, {:.2}s to load",
            bytes / n.max(1) as u64,
            t.elapsed().as_secs_f64()
        );
    }
    let (articles, stories) = corpus.finish_streaming();
    let out: Box<dyn Write> = match paths.get(1).filter(|_| rounds == 1) {
        Some(p) => Box::new(std::fs::File::create(p).expect("create output")),
        None if rounds == 1 => Box::new(std::io::stdout().lock()),
        None => Box::new(std::io::sink()),
    };
    let mut out = BufWriter::new(out);
    for (a, input_id) in articles.iter().zip(input_ids.iter().chain(std::iter::repeat(&None))).take(if rounds == 1 {
        usize::MAX
    } else {
        0
    }) {
        let r = serde_json::json!({
            "kind": "article",
            "id": a.id,
            "input_id": input_id,
            "story": a.story,
            "duplicate_of": a.duplicate_of,
        });
        writeln!(out, "{r}").unwrap();
    }
    let count = stories.len();
    for s in stories {
        writeln!(out, "{}", serde_json::to_string(&s).unwrap()).unwrap();
    }
    out.flush().unwrap();
    eprintln!(
        "{n} articles, {count} stories, {} copies, {added:.2}s to add, {:.2}s in all, peak {}, {rss_added} once added",
        articles.duplicates(),
        started.elapsed().as_secs_f64(),
        memory("VmHWM:"),
    );
}

/// Resident memory (`VmRSS:`) or its peak (`VmHWM:`), from Linux's /proc (empty elsewhere).
fn memory(field: &str) -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap_or("");
    line.split_whitespace().skip(1).collect::<Vec<_>>().join(" ")
}

/// Makes round `round` of a replicated input a different set of articles: every third word
/// gets a suffix (so no article copies its original, and the vocabulary grows as a real
/// corpus's does) and every date moves by 400 days a round (so stories stay apart). Lengths
/// change, so offsets are moved with the text.
fn disguise(r: &mut ArticleRecord, round: usize) {
    let suffix: Vec<char> = format!("q{round}").chars().collect();
    let mut text = String::with_capacity(r.text.len() + r.text.len() / 8);
    // Character offset in the old text -> in the new one.
    let mut map: Vec<usize> = Vec::with_capacity(r.text.len() + 1);
    let mut word = 0usize;
    let chars: Vec<char> = r.text.chars().collect();
    let mut out_len = 0usize;
    for (k, &c) in chars.iter().enumerate() {
        map.push(out_len);
        text.push(c);
        out_len += 1;
        let ends_word = c.is_alphanumeric() && chars.get(k + 1).is_none_or(|n| !n.is_alphanumeric());
        if ends_word {
            word += 1;
            if word == 3 {
                word = 0;
                text.extend(&suffix);
                out_len += suffix.len();
            }
        }
    }
    map.push(out_len);
    let at = |c: usize| map[c.min(map.len() - 1)];
    r.text = text;
    r.id = format!("{}-{round}", r.id);
    r.input_id = r.input_id.as_ref().map(|i| format!("{i}-{round}"));
    let shift = |d: &mut Option<String>| {
        if let Some(v) = d.as_deref().filter(|v| v.len() >= 10) {
            if let Some(t) = parse_day(v) {
                *d = Some(day_string(t + 400 * round as i64));
            }
        }
    };
    shift(&mut r.published);
    for d in &mut r.dates {
        shift(&mut d.value);
        (d.start, d.end) = (at(d.start), at(d.end));
    }
    for e in &mut r.entities {
        for m in e.mentions.iter_mut().filter(|m| m.field.is_none()) {
            (m.start, m.end) = (at(m.start), at(m.end));
        }
    }
    for q in &mut r.quotes {
        (q.start, q.end) = (at(q.start), at(q.end));
    }
    for a in &mut r.amounts {
        (a.start, a.end) = (at(a.start), at(a.end));
    }
    for e in &mut r.events {
        shift(&mut e.date);
        (e.start, e.end) = (at(e.start), at(e.end));
    }
}

/// Days since 1970-01-01 of "YYYY-MM-DD…".
fn parse_day(s: &str) -> Option<i64> {
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: i64 = s.get(5..7)?.parse().ok()?;
    let d: i64 = s.get(8..10)?.parse().ok()?;
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    Some(era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468)
}

/// "YYYY-MM-DD" of days since 1970-01-01.
fn day_string(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + (m <= 2) as i64;
    format!("{y:04}-{m:02}-{d:02}")
}

/// The document a record was made from, as far as the corpus layer reads it: records carry
/// character offsets, documents byte offsets.
fn document(r: &ArticleRecord) -> Document {
    let meta = Meta {
        input_id: r.input_id.clone(),
        source: r.source.clone(),
        url: r.url.clone(),
        site: r.site.clone(),
        title: r.title.clone(),
        byline: r.byline.clone(),
        published: r.published.clone(),
        language: r.language.clone(),
        notes: vec![],
    };
    let mut d = Document::new(meta, r.text.clone(), r.removed.clone());
    let bytes: Vec<usize> = r.text.char_indices().map(|(b, _)| b).chain([r.text.len()]).collect();
    let title = r.title.clone().unwrap_or_default();
    let title_bytes: Vec<usize> = title.char_indices().map(|(b, _)| b).chain([title.len()]).collect();
    let at = |table: &[usize], c: usize| table[c.min(table.len() - 1)];
    let span = |s: usize, e: usize| Span::new(at(&bytes, s), at(&bytes, e.max(s)));
    for e in &r.entities {
        let kind = match e.kind.as_str() {
            "PERSON" => EntityType::Person,
            "ORG" => EntityType::Org,
            _ => EntityType::Place,
        };
        let (mut mentions, mut title_mentions) = (vec![], vec![]);
        for m in &e.mentions {
            if m.field.as_deref() == Some("title") {
                title_mentions.push(Span::new(at(&title_bytes, m.start), at(&title_bytes, m.end.max(m.start))));
            } else {
                mentions.push(span(m.start, m.end));
            }
        }
        d.entities.push(Entity {
            id: e.id.clone(),
            name: e.name.clone(),
            kind,
            code: e.code.clone(),
            roles: e.roles.clone(),
            affiliation: e.country.clone(),
            mentions,
            title_mentions,
        });
    }
    let entity = |name: &Option<String>| name.as_ref().and_then(|n| r.entities.iter().position(|e| &e.name == n));
    let entity_id = |id: &Option<String>| id.as_ref().and_then(|i| r.entities.iter().position(|e| &e.id == i));
    d.quotes = (r.quotes.iter())
        .map(|q| Quote {
            span: span(q.start, q.end),
            kind: q.kind,
            speaker: entity_id(&q.speaker_entity),
            cue: q.cue.clone(),
        })
        .collect();
    d.amounts = (r.amounts.iter())
        .map(|a| Amount { span: span(a.start, a.end), value: a.value, unit: a.unit.clone(), approx: a.approx.clone() })
        .collect();
    d.dates = r.dates.iter().map(|m| DateMention { span: span(m.start, m.end), value: m.value.clone() }).collect();
    d.events = (r.events.iter())
        .map(|e| Event {
            span: span(e.start, e.end),
            kind: e.kind.clone(),
            mode: e.mode.clone(),
            actor: entity(&e.actor),
            target: entity(&e.target),
            modality: e.modality,
            reported_by: entity(&e.reported_by),
            date: e.date.clone(),
            trigger: e.trigger.clone(),
        })
        .collect();
    d
}

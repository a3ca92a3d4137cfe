//! Clusters a JSON Lines file of articles (`{id, date, source, title, text, …}` a line) into
//! copies and stories, and writes newsgraph-style article and story records.
//!
//! usage: cluster_jsonl IN.jsonl [OUT.jsonl] [--set key=value]…
//!
//! `--set` overrides a field of `newsgraph_corpus::Config` (a JSON value), for tuning.
//!
//! STAND-IN: newsgraph's entity layer is not ready, so this example finds crude "entities" itself:
//! runs of capitalised words, with a surname linked to the full name seen before it and a short
//! list of country names. The real pipeline fills `Document::entities` instead, and this code
//! goes away.

use newsgraph_corpus::{Config, Corpus};
use newsgraph_doc::{Document, Entity, EntityType, Meta, Span};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufWriter, Write};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    let mut config = serde_json::to_value(Config::default()).unwrap();
    while let Some(a) = args.next() {
        if a == "--set" {
            let kv = args.next().expect("--set key=value");
            let (k, v) = kv.split_once('=').expect("--set key=value");
            let v: serde_json::Value = serde_json::from_str(v).expect("value must be JSON");
            assert!(config.get(k).is_some(), "no such setting: {k}");
            config[k] = v;
        } else {
            paths.push(a);
        }
    }
    let config: Config = serde_json::from_value(config).expect("settings");
    let input = paths.first().expect("usage: cluster_jsonl IN.jsonl [OUT.jsonl] [--set k=v]…");
    let reader = std::io::BufReader::new(std::fs::File::open(input).expect("open input"));

    let started = std::time::Instant::now();
    let mut corpus = Corpus::new(config);
    let mut input_ids = Vec::new();
    for line in reader.lines() {
        let line = line.expect("read input");
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).expect("JSON line");
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let id = match v.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(x) => x.to_string(),
            None => String::new(),
        };
        let meta = Meta {
            input_id: Some(id.clone()),
            published: s("date"),
            title: s("title"),
            site: s("source"),
            language: s("lang"),
            ..Default::default()
        };
        let mut doc = Document::new(meta, s("text").unwrap_or_default(), vec![]);
        doc.entities = crude_entities(&doc.text, doc.meta.title.as_deref().unwrap_or(""));
        corpus.add(&doc);
        input_ids.push(id);
    }
    let n = corpus.len();
    eprintln!("added in {:.2}s, {}", started.elapsed().as_secs_f64(), memory());
    let result = corpus.finish();
    eprintln!(
        "{n} articles, {} stories, {} copies, {:.2}s, {}",
        result.stories.len(),
        result.articles.iter().filter(|a| a.duplicate_of.is_some()).count(),
        started.elapsed().as_secs_f64(),
        memory()
    );

    let out: Box<dyn Write> = match paths.get(1) {
        Some(p) => Box::new(std::fs::File::create(p).expect("create output")),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    for (a, input_id) in result.articles.iter().zip(&input_ids) {
        let r = serde_json::json!({
            "kind": "article",
            "id": a.id,
            "input_id": input_id,
            "story": a.story,
            "duplicate_of": a.duplicate_of,
        });
        writeln!(out, "{r}").unwrap();
    }
    for s in &result.stories {
        writeln!(out, "{}", serde_json::to_string(s).unwrap()).unwrap();
    }
}

/// Resident memory, from Linux's /proc (empty elsewhere).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap_or("");
    line.split_whitespace().skip(1).collect::<Vec<_>>().join(" ")
}

/// STAND-IN for the entity layer (see the module comment).
///
/// Title and body are read as one text, so a surname in the body links to the full name in the
/// title. A headline in title case ("Ellen DeGeneres To Host Oscars") has no capitalisation to
/// go by; there, only the names the body has are looked for.
fn crude_entities(text: &str, title: &str) -> Vec<Entity> {
    let title_words: Vec<&str> = title.split_whitespace().collect();
    let capitals = title_words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    let headline_case = title_words.len() >= 3 && 2 * capitals > title_words.len();
    let offset = title.len() + 2;
    let joined =
        if headline_case { format!("{}\n\n{text}", " ".repeat(title.len())) } else { format!("{title}\n\n{text}") };
    let mut entities = crude_mentions(&joined);
    for e in &mut entities {
        let (in_title, in_body): (Vec<Span>, Vec<Span>) = e.mentions.iter().partition(|m| m.start < offset);
        e.title_mentions = in_title;
        e.mentions = in_body.iter().map(|m| Span::new(m.start - offset, m.end - offset)).collect();
    }
    if headline_case {
        let lower = title.to_lowercase();
        for e in &mut entities {
            let full = e.name.to_lowercase();
            let last = full.rsplit(' ').next().unwrap_or("").to_string();
            for key in [full, last] {
                if key.len() < 3 {
                    continue;
                }
                if let Some(at) = find_word(&lower, &key) {
                    // Lowercasing can change byte lengths; only keep spans that still fit.
                    if title.is_char_boundary(at) && title.is_char_boundary(at + key.len()) {
                        e.title_mentions.push(Span::new(at, at + key.len()));
                    }
                    break;
                }
            }
        }
    }
    entities.retain(|e| !e.mentions.is_empty() || !e.title_mentions.is_empty());
    entities
}

/// Byte offset of `word` in `hay` where it is not part of a longer word.
fn find_word(hay: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = hay[from..].find(word) {
        let at = from + i;
        let before = hay[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = hay[at + word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

fn crude_mentions(text: &str) -> Vec<Entity> {
    const SKIP: &[&str] = &[
        "a",
        "after",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "it",
        "its",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "we",
        "when",
        "while",
        "with",
        "you",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "mr",
        "mrs",
        "ms",
        "dr",
        "police",
        "officers",
        "authorities",
        "according",
        "posted",
        "updated",
        "copyright",
    ];
    const COUNTRIES: &[(&str, &str)] = &[
        ("u.s", "USA"),
        ("us", "USA"),
        ("usa", "USA"),
        ("united states", "USA"),
        ("america", "USA"),
        ("american", "USA"),
        ("americans", "USA"),
        ("uk", "GBR"),
        ("u.k", "GBR"),
        ("britain", "GBR"),
        ("british", "GBR"),
        ("england", "GBR"),
        ("united kingdom", "GBR"),
        ("canada", "CAN"),
        ("canadian", "CAN"),
        ("mexico", "MEX"),
        ("china", "CHN"),
        ("chinese", "CHN"),
        ("india", "IND"),
        ("indian", "IND"),
        ("russia", "RUS"),
        ("russian", "RUS"),
        ("france", "FRA"),
        ("french", "FRA"),
        ("germany", "DEU"),
        ("german", "DEU"),
        ("iraq", "IRQ"),
        ("iran", "IRN"),
        ("israel", "ISR"),
        ("pakistan", "PAK"),
        ("afghanistan", "AFG"),
        ("australia", "AUS"),
        ("australian", "AUS"),
        ("japan", "JPN"),
        ("indonesia", "IDN"),
        ("italy", "ITA"),
        ("spain", "ESP"),
        ("norway", "NOR"),
        ("sweden", "SWE"),
    ];
    // Words with their byte spans; a word is a run of letters and digits, with inner
    // apostrophes, hyphens and dots ("O'Neil", "U.S").
    let mut words: Vec<Span> = Vec::new();
    let mut start = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(b, c)) in chars.iter().enumerate() {
        let inner = matches!(c, '\'' | '’' | '-' | '.')
            && start.is_some()
            && chars.get(k + 1).is_some_and(|&(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            start.get_or_insert(b);
        } else if let Some(s) = start.take() {
            words.push(Span::new(s, b));
        }
    }
    if let Some(s) = start {
        words.push(Span::new(s, text.len()));
    }

    let lowercase: HashSet<&str> = words
        .iter()
        .map(|w| &text[w.start..w.end])
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .collect();
    let capitalised = |w: Span| text[w.start..w.end].chars().next().is_some_and(char::is_uppercase);
    let sentence_start = |w: Span| {
        text[..w.start]
            .trim_end_matches([' ', '"', '“', '‘', '\'', '('])
            .chars()
            .last()
            .is_none_or(|c| matches!(c, '.' | '!' | '?' | '\n' | ':' | '|'))
    };

    let mut found: Vec<(String, Span)> = Vec::new();
    let mut k = 0;
    while k < words.len() {
        if !capitalised(words[k]) {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        while end < words.len()
            && end - k < 4
            && capitalised(words[end])
            && text[words[end - 1].end..words[end].start] == *" "
        {
            end += 1;
        }
        let mut from = k;
        while from < end {
            let lw = text[words[from].start..words[from].end].to_lowercase();
            // A sentence's first word is capitalised anyway: it is a name only when the text
            // never writes it in lower case, and a lone one is too often a plain word.
            let initial = from == k && sentence_start(words[k]);
            let common = initial && (lowercase.contains(lw.as_str()) || end - k == 1);
            if SKIP.contains(&lw.as_str()) || common {
                from += 1;
            } else {
                break;
            }
        }
        if from < end {
            let span = Span::new(words[from].start, words[end - 1].end);
            found.push((text[span.start..span.end].to_string(), span));
        }
        k = end;
    }

    let mut entities: Vec<Entity> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (name, span) in found {
        let key = name.to_lowercase().replace('’', "'");
        let key = key.trim_end_matches("'s").to_string();
        let country = COUNTRIES.iter().find(|(n, _)| *n == key).map(|(_, c)| *c);
        // A lone surname after the full name refers to the same person.
        let linked = if key.contains(' ') {
            None
        } else {
            entities.iter().position(|e| {
                e.kind == EntityType::Person
                    && e.name.contains(' ')
                    && e.name.to_lowercase().rsplit(' ').next() == Some(key.as_str())
            })
        };
        let idx = match linked.or_else(|| by_key.get(&key).copied()) {
            Some(i) => i,
            None => {
                let (kind, id_key) = match country {
                    Some(code) => (EntityType::Place, code.to_string()),
                    None => (EntityType::Person, key.clone()),
                };
                entities.push(Entity {
                    id: Entity::make_id(kind, &id_key),
                    name: name.clone(),
                    kind,
                    code: country.map(str::to_string),
                    roles: vec![],
                    affiliation: None,
                    mentions: vec![],
                    title_mentions: vec![],
                });
                by_key.insert(key, entities.len() - 1);
                entities.len() - 1
            }
        };
        entities[idx].mentions.push(span);
    }
    entities
}

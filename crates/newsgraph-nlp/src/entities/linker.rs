//! Merges mentions into entities within one article, and gives each entity its stable id.

use super::Candidate;
use crate::text::fold;
use newsgraph_doc::{Document, Entity, EntityType, Span};
use std::collections::HashMap;

struct Building {
    key: String,
    kind: EntityType,
    known: bool,
    name: String,
    code: Option<String>,
    roles: Vec<String>,
    affiliation: Option<String>,
    mentions: Vec<Span>,
    title_mentions: Vec<Span>,
    /// Folded words of every full (multi-word) name form, for surname lookups.
    words: Vec<String>,
    first_pos: usize,
}

fn surface<'a>(doc: &'a Document, c: &Candidate) -> &'a str {
    if c.in_title {
        &doc.meta.title.as_deref().unwrap_or("")[c.span.start..c.span.end]
    } else {
        &doc.text[c.span.start..c.span.end]
    }
}

/// Position used to find the nearest earlier full name: title mentions come first.
fn pos(c: &Candidate) -> usize {
    if c.in_title {
        0
    } else {
        c.span.start + 1
    }
}

pub fn link(doc: &Document, cands: Vec<Candidate>) -> Vec<Entity> {
    let mut ents: Vec<Building> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut add = |ents: &mut Vec<Building>,
                   key: String,
                   c: &Candidate,
                   kind: EntityType,
                   name: String,
                   code: Option<String>,
                   known: bool| {
        let i = *by_key.entry(key.clone()).or_insert_with(|| {
            ents.push(Building {
                key,
                kind,
                known,
                name: name.clone(),
                code: code.clone(),
                roles: vec![],
                affiliation: None,
                mentions: vec![],
                title_mentions: vec![],
                words: vec![],
                first_pos: pos(c),
            });
            ents.len() - 1
        });
        let e = &mut ents[i];
        if c.in_title {
            e.title_mentions.push(c.span);
        } else {
            e.mentions.push(c.span);
        }
        if let Some(r) = &c.role {
            if !e.roles.contains(r) {
                e.roles.push(r.clone());
            }
        }
        if e.affiliation.is_none() {
            e.affiliation = c.affiliation.clone();
        }
        // prefer the spelling with its diacritics ("Andonović" over "Andonovic")
        if !known
            && fold(&name) == fold(&e.name)
            && name.chars().filter(|c| !c.is_ascii()).count() > e.name.chars().filter(|c| !c.is_ascii()).count()
        {
            e.name = name;
        }
        e.first_pos = e.first_pos.min(pos(c));
        i
    };

    // 1. known names and full (multi-word) names
    let mut singles = Vec::new();
    // entities by the words of their full names, so that a lone word finds its full names without
    // a scan of every entity (long documents have thousands)
    let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
    for c in &cands {
        let text = surface(doc, c);
        if let Some(k) = &c.known {
            let key = match (&k.code, k.subtype.as_str()) {
                (Some(code), "country") => format!("country:{code}"),
                _ => format!("{}:{}", k.kind.as_str(), fold(&k.name)),
            };
            // a person's country is an affiliation, not a code of their own
            let code = if k.kind == EntityType::Person { None } else { k.code.clone() };
            let i = add(&mut ents, key, c, k.kind, k.name.clone(), code, true);
            if k.kind == EntityType::Person {
                for w in fold(&k.name).split(' ') {
                    add_word(&mut ents, &mut by_word, i, w.to_string());
                }
            }
            continue;
        }
        let words: Vec<String> = fold(text).split(' ').map(str::to_string).collect();
        match c.kind {
            Some(kind) if words.len() >= 2 => {
                let i =
                    add(&mut ents, format!("{}:{}", kind.as_str(), fold(text)), c, kind, text.to_string(), None, false);
                for w in words {
                    add_word(&mut ents, &mut by_word, i, w);
                }
            }
            _ => singles.push(c),
        }
    }

    // 2. lone words: a surname, given name or acronym of a full name in this article
    // acronyms and other short forms already tied to an entity, for their later mentions
    let mut aliases: HashMap<String, usize> = HashMap::new();
    for c in singles {
        let text = surface(doc, c);
        let w = fold(text);
        if let Some(&i) = aliases.get(&w) {
            let (kind, name, key) = (ents[i].kind, ents[i].name.clone(), ents[i].key.clone());
            add(&mut ents, key, c, kind, name, None, false);
            continue;
        }
        let mut matches: Vec<usize> = by_word
            .get(&w)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                (!ents[i].known || ents[i].kind == EntityType::Person) && c.kind.is_none_or(|k| k == ents[i].kind)
            })
            .collect();
        if matches.is_empty() && text.chars().all(|ch| ch.is_uppercase()) {
            matches = (0..ents.len())
                .filter(|&i| ents[i].kind == EntityType::Org && acronym(&ents[i].name) == text)
                .collect();
            // "Norwegian Defense Research Institute (FFI)": an acronym in brackets right after a name
            if matches.is_empty() && !c.in_title && doc.text[..c.span.start].ends_with('(') {
                let before = doc.text[..c.span.start - 1].trim_end().len();
                matches = (0..ents.len()).filter(|&i| ents[i].mentions.iter().any(|m| m.end == before)).collect();
            }
        }
        let target = match matches.len() {
            0 => None,
            1 => Some(matches[0]),
            // "Kim" after both Kim Jong Il and Kim Jong Un: the nearest full name before it
            _ => matches
                .iter()
                .copied()
                .filter(|&i| ents[i].first_pos <= pos(c))
                .max_by_key(|&i| nearest_before(&ents[i], c)),
        };
        match (target, c.kind) {
            (Some(i), _) => {
                if text.chars().all(|ch| ch.is_uppercase()) {
                    aliases.insert(w.clone(), i);
                }
                let kind = ents[i].kind;
                let name = ents[i].name.clone();
                let key = ents[i].key.clone();
                add(&mut ents, key, c, kind, name, None, false);
            }
            (None, Some(kind)) => {
                add(&mut ents, format!("{}:{}", kind.as_str(), w), c, kind, text.to_string(), None, false);
            }
            // a lone capitalised word that nothing explains is not taken for a name
            (None, None) => {}
        }
    }

    let mut out: Vec<Entity> = ents
        .into_iter()
        .map(|mut b| {
            b.mentions.sort();
            b.mentions.dedup();
            let id_key = b.key.split_once(':').map_or(b.key.as_str(), |(_, k)| k).to_string();
            let id = match b.key.strip_prefix("country:") {
                Some(code) => Entity::country_id(code),
                None => Entity::make_id(b.kind, &id_key),
            };
            Entity {
                id,
                name: b.name,
                kind: b.kind,
                code: b.code,
                roles: b.roles,
                affiliation: b.affiliation,
                mentions: b.mentions,
                title_mentions: b.title_mentions,
            }
        })
        .collect();
    // a full name seen with a role elsewhere keeps it; order entities by first mention
    out.sort_by_key(|e| e.mentions.first().map_or(usize::MAX, |m| m.start));
    out
}

fn add_word(ents: &mut [Building], by_word: &mut HashMap<String, Vec<usize>>, i: usize, w: String) {
    if !ents[i].words.contains(&w) {
        by_word.entry(w.clone()).or_default().push(i);
        ents[i].words.push(w);
    }
}

fn nearest_before(e: &Building, c: &Candidate) -> usize {
    let p = pos(c);
    e.mentions.iter().map(|m| m.start + 1).filter(|&s| s <= p).max().unwrap_or(e.first_pos)
}

/// The initials of a name's capitalised words: "Norwegian Defense Research Institute" → "NDRI".
fn acronym(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).filter(|c| c.is_uppercase()).collect()
}

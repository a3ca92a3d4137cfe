//! How the sources of one story compare: who reported it and when, its timeline, and the claims
//! matrix (which source reports which event, quotation and amount; which claims all share,
//! which only one makes, and where they disagree).
//!
//! Copies are collapsed into the article they copy: a syndicated story repeated by twenty sites
//! is one independent source, so it neither makes a claim "shared" nor outvotes the others.
//!
//! Lists are capped so that a story of ten thousand articles still has a record of a few
//! kilobytes; the counts are over all of the story's articles.

use crate::claims::{unpack_date, Kind};
use crate::hash::FastMap;
use crate::Details;
use serde::{Deserialize, Serialize};

/// Sources listed per story (the first in processing order).
pub const MAX_SOURCES: usize = 50;
pub const MAX_TIMELINE: usize = 40;
pub const MAX_CLAIMS: usize = 40;
pub const MAX_DISAGREEMENTS: usize = 20;

/// One article of a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub article: String,
    pub site: Option<String>,
    pub published: Option<String>,
    /// The article it copies, for a copy.
    pub copy_of: Option<String>,
}

/// A dated item of a story's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineItem {
    /// ISO 8601 prefix.
    pub date: String,
    /// `published` (articles published that day), `mentioned` (a date the articles name) or
    /// `event` (the date of an event they report).
    pub kind: String,
    /// The first article's title, the words around the date, or the event.
    pub text: String,
    /// Indexes into the story's sources (those listed).
    pub sources: Vec<usize>,
}

/// One row of the claims matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRecord {
    /// `event`, `quote` or `amount`.
    pub kind: String,
    /// The event (type, actor → target), the speaker and the first words of the quotation, or
    /// the amount's unit and context word.
    pub text: String,
    /// The amount, or the event's date when the sources give one.
    pub value: Option<String>,
    /// Indexes into the story's sources (independent ones, among those listed) that report it.
    pub sources: Vec<usize>,
    /// Independent sources reporting it, listed or not.
    pub count: usize,
}

/// Different numbers for the same thing, or different dates for the same event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    /// `amount` or `date`.
    pub kind: String,
    /// What the values are of.
    pub about: String,
    pub values: Vec<DisagreeingValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisagreeingValue {
    pub value: String,
    pub sources: Vec<usize>,
}

/// The comparison of one story's sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub sources: Vec<Source>,
    pub first_reported: Option<String>,
    pub independent_sources: Vec<usize>,
    pub timeline: Vec<TimelineItem>,
    pub claims: Vec<ClaimRecord>,
    pub shared_claims: Vec<usize>,
    pub unique_claims: Vec<usize>,
    pub disagreements: Vec<Disagreement>,
}

/// An amount as people write it: no trailing ".0".
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Union-find over amount context keys.
fn root(parent: &mut FastMap<u32, u32>, mut k: u32) -> u32 {
    while let Some(&p) = parent.get(&k) {
        if p == k {
            break;
        }
        k = p;
    }
    k
}

/// What is gathered about one claim across sources: the articles (as indexes into `arts`)
/// that report it.
struct Row {
    kind: Kind,
    key: u32,
    label: u32,
    value: Option<String>,
    articles: Vec<u32>,
    first: usize,
}

/// Whether two sources report disjoint sets of values: one says 10, the other 12.
fn disagree(values: &[(String, Vec<u32>)]) -> bool {
    let mut by_source: FastMap<u32, Vec<usize>> = FastMap::default();
    for (k, (_, srcs)) in values.iter().enumerate() {
        for &s in srcs {
            by_source.entry(s).or_default().push(k);
        }
    }
    let sets: Vec<&Vec<usize>> = by_source.values().collect();
    sets.iter().enumerate().any(|(i, a)| sets[i + 1..].iter().any(|b| !a.iter().any(|x| b.contains(x))))
}

/// What a story's comparison reads of one of its articles.
pub(crate) struct Member<'a> {
    /// The article's index in the corpus.
    pub index: u32,
    pub time: Option<i64>,
    pub site: Option<u32>,
    pub details: &'a Details,
}

/// Compares the sources of the story made of `members` (in processing order); `id` gives an
/// article's id by its index.
pub(crate) fn compare<'a>(
    members: &[Member],
    originals: &[Option<u32>],
    id: &dyn Fn(u32) -> &'a str,
    site_names: &[Box<str>],
) -> Comparison {
    let mut out = Comparison::default();
    let mut listed: FastMap<u32, usize> = FastMap::default();
    let at: FastMap<u32, usize> = members.iter().enumerate().map(|(k, m)| (m.index, k)).collect();
    let details = |i: u32| members[at[&i]].details;
    // Labels are kept with each article.
    let label = |i: u32, l: u32| details(i).labels.get(l);
    for m in members.iter().take(MAX_SOURCES) {
        let i = m.index;
        listed.insert(i, out.sources.len());
        out.sources.push(Source {
            article: id(i).to_string(),
            site: m.site.map(|s| site_names[s as usize].to_string()),
            published: m.details.published.clone(),
            copy_of: originals[i as usize].map(|o| id(o).to_string()),
        });
    }
    // Processing order puts dated articles first, earliest first.
    out.first_reported = members.iter().find(|m| m.time.is_some()).map(|m| id(m.index).to_string());
    let independent: Vec<u32> = members.iter().map(|m| m.index).filter(|&i| originals[i as usize].is_none()).collect();
    out.independent_sources = independent.iter().filter_map(|i| listed.get(i).copied()).collect();
    let idx = |arts: &[u32]| -> Vec<usize> { arts.iter().filter_map(|i| listed.get(i).copied()).collect() };

    // Events and quotations: one row per key; amounts: one row per thing counted and value.
    let mut rows: Vec<Row> = Vec::new();
    let mut row_of: FastMap<(Kind, u32, u64), usize> = FastMap::default();
    // Dates each source gives an event, and values each gives an amount, for disagreements.
    let mut event_dates: FastMap<u32, Vec<(u32, u32)>> = FastMap::default();
    let mut parent: FastMap<u32, u32> = FastMap::default();
    let mut amounts: Vec<(u32, u32, f64, bool, u32)> = Vec::new();
    for &i in &independent {
        for c in details(i).claims.iter() {
            // An amount is one claim per unit and value; events and quotations one per key.
            let (key, value) = match c.kind {
                Kind::Amount => (c.unit, c.value),
                _ => (c.key, 0),
            };
            let k = *row_of.entry((c.kind, key, value)).or_insert_with(|| {
                rows.push(Row {
                    kind: c.kind,
                    key: c.key,
                    label: c.label,
                    value: (c.kind == Kind::Amount).then(|| number(f64::from_bits(c.value))),
                    articles: Vec::new(),
                    first: rows.len(),
                });
                rows.len() - 1
            });
            if rows[k].articles.last() != Some(&i) {
                rows[k].articles.push(i);
            }
            match c.kind {
                Kind::Event if c.value != 0 => event_dates.entry(c.key).or_default().push((i, c.value as u32)),
                Kind::Amount => {
                    parent.entry(c.key).or_insert(c.key);
                    if c.alt != 0 {
                        parent.entry(c.alt).or_insert(c.alt);
                        let (a, b) = (root(&mut parent, c.key), root(&mut parent, c.alt));
                        if a != b {
                            parent.insert(a.max(b), a.min(b));
                        }
                    }
                    amounts.push((i, c.key, f64::from_bits(c.value), c.approx, c.label));
                }
                _ => {}
            }
        }
    }
    // An event's date, when its sources agree on one.
    for row in rows.iter_mut().filter(|r| r.kind == Kind::Event) {
        if let Some(dates) = event_dates.get(&row.key) {
            let mut ds: Vec<u32> = dates.iter().map(|d| d.1).collect();
            ds.sort_unstable();
            ds.dedup();
            if ds.len() == 1 {
                row.value = Some(unpack_date(ds[0]));
            }
        }
    }

    let n = independent.len();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(rows[k].articles.len()), rows[k].first));
    for &k in order.iter().take(MAX_CLAIMS) {
        let r = &rows[k];
        let pos = out.claims.len();
        if n >= 2 && r.articles.len() == n {
            out.shared_claims.push(pos);
        }
        if n >= 2 && r.articles.len() == 1 {
            out.unique_claims.push(pos);
        }
        out.claims.push(ClaimRecord {
            kind: r.kind.as_str().into(),
            text: label(r.articles[0], r.label).to_string(),
            value: r.value.clone(),
            sources: idx(&r.articles),
            count: r.articles.len(),
        });
    }

    // Amounts about the same thing (same unit, a context word in common) with different values.
    let mut groups: FastMap<u32, Vec<(u32, f64, u32)>> = FastMap::default();
    let mut group_order: Vec<u32> = Vec::new();
    for &(i, key, value, approx, label) in &amounts {
        if approx {
            continue;
        }
        let g = root(&mut parent, key);
        groups
            .entry(g)
            .or_insert_with(|| {
                group_order.push(g);
                Vec::new()
            })
            .push((i, value, label));
    }
    for g in group_order {
        let list = &groups[&g];
        let mut values: Vec<(String, Vec<u32>)> = Vec::new();
        for &(i, v, _) in list {
            let v = number(v);
            match values.iter_mut().find(|x| x.0 == v) {
                Some(x) if !x.1.contains(&i) => x.1.push(i),
                Some(_) => {}
                None => values.push((v, vec![i])),
            }
        }
        if values.len() >= 2 && disagree(&values) {
            out.disagreements.push(Disagreement {
                kind: "amount".into(),
                about: label(list[0].0, list[0].2).to_string(),
                values: values.iter().map(|(v, s)| DisagreeingValue { value: v.clone(), sources: idx(s) }).collect(),
            });
        }
    }
    // Events whose sources give different dates.
    let mut keyed: Vec<(&u32, &Vec<(u32, u32)>)> = event_dates.iter().collect();
    keyed.sort_by_key(|(_, d)| d[0].0);
    for (key, dates) in keyed {
        let mut values: Vec<(String, Vec<u32>)> = Vec::new();
        for &(i, d) in dates {
            let v = unpack_date(d);
            match values.iter_mut().find(|x| x.0 == v) {
                Some(x) if !x.1.contains(&i) => x.1.push(i),
                Some(_) => {}
                None => values.push((v, vec![i])),
            }
        }
        if values.len() >= 2 && disagree(&values) {
            let about = row_of.get(&(Kind::Event, *key, 0)).map_or("", |&k| label(rows[k].articles[0], rows[k].label));
            out.disagreements.push(Disagreement {
                kind: "date".into(),
                about: about.to_string(),
                values: values.iter().map(|(v, s)| DisagreeingValue { value: v.clone(), sources: idx(s) }).collect(),
            });
        }
    }
    out.disagreements.truncate(MAX_DISAGREEMENTS);

    out.timeline = timeline(members, originals, &listed);
    out
}

/// Publication days and the dates the articles name, oldest first.
fn timeline(members: &[Member], originals: &[Option<u32>], listed: &FastMap<u32, usize>) -> Vec<TimelineItem> {
    // (date, kind) -> (text, articles, first seen)
    let mut items: Vec<(String, &'static str, String, Vec<u32>)> = Vec::new();
    let mut at: FastMap<(String, &'static str), usize> = FastMap::default();
    let mut add = |date: String, kind: &'static str, text: &dyn Fn() -> String, i: u32| {
        let k = *at.entry((date.clone(), kind)).or_insert_with(|| {
            items.push((date, kind, text(), Vec::new()));
            items.len() - 1
        });
        if !items[k].3.contains(&i) {
            items[k].3.push(i);
        }
    };
    for m in members {
        let (i, a) = (m.index, m.details);
        if let Some(p) = &a.published {
            let day: String = p.chars().take(10).collect();
            add(day, "published", &|| a.title.as_deref().unwrap_or("").chars().take(80).collect(), i);
        }
        if originals[i as usize].is_some() {
            continue;
        }
        for d in a.dated.iter() {
            let kind = if d.event { "event" } else { "mentioned" };
            add(unpack_date(d.date), kind, &|| a.labels.get(d.label).to_string(), i);
        }
    }
    if items.len() > MAX_TIMELINE {
        // The items most sources share, then the earliest found.
        let mut keep: Vec<usize> = (0..items.len()).collect();
        keep.sort_by_key(|&k| (std::cmp::Reverse(items[k].3.len()), k));
        keep.truncate(MAX_TIMELINE);
        keep.sort_unstable();
        items = keep.into_iter().map(|k| std::mem::take(&mut items[k])).collect();
    }
    items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    items
        .into_iter()
        .map(|(date, kind, text, arts)| TimelineItem {
            date,
            kind: kind.into(),
            text,
            sources: arts.iter().filter_map(|i| listed.get(i).copied()).collect(),
        })
        .collect()
}

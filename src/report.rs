//! The readable report of `newsgraph analyze --format text`: story by story, its articles, who is
//! in it, who said what, what happened, with what amounts and dates.

use newsgraph_corpus::compare::{ClaimRecord, Disagreement, Source, TimelineItem};
use newsgraph_doc::record::{ArticleRecord, StoryRecord, SummaryRecord};
use std::collections::HashMap;
use std::io::{self, Write};

fn clip(s: &str, n: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

fn parse<T: serde::de::DeserializeOwned>(values: &[serde_json::Value]) -> Vec<T> {
    values.iter().filter_map(|v| serde_json::from_value(v.clone()).ok()).collect()
}

/// Sources as the report numbers them: "#1, #3".
fn numbers(sources: &[usize]) -> String {
    sources.iter().map(|i| format!("#{}", i + 1)).collect::<Vec<_>>().join(", ")
}

/// Matrices wider than this list source numbers instead of one column per source.
const MATRIX_COLUMNS: usize = 12;

/// How the story's sources compare: who reported it and when, the timeline, the claims matrix
/// and the disagreements (see `newsgraph_corpus::compare`).
fn write_comparison(w: &mut dyn Write, s: &StoryRecord) -> io::Result<()> {
    let sources: Vec<Source> = parse(&s.sources);
    if sources.len() < 2 {
        return Ok(());
    }
    writeln!(w, "   Sources ({} listed, {} independent):", sources.len(), s.independent_sources.len())?;
    for (k, src) in sources.iter().enumerate() {
        let copy = match &src.copy_of {
            Some(o) => match sources.iter().position(|x| &x.article == o) {
                Some(j) => format!(" — copy of #{}", j + 1),
                None => format!(" — copy of {o}"),
            },
            None => String::new(),
        };
        let first = if s.first_reported.as_deref() == Some(src.article.as_str()) { " — first to report" } else { "" };
        writeln!(
            w,
            "     #{:<3} {} · {} · {}{copy}{first}",
            k + 1,
            src.site.as_deref().unwrap_or("(no site)"),
            src.published.as_deref().unwrap_or("undated"),
            src.article
        )?;
    }
    let timeline: Vec<TimelineItem> = parse(&s.timeline);
    if !timeline.is_empty() {
        writeln!(w, "   Timeline:")?;
        for t in &timeline {
            writeln!(w, "     {:<10}  {:<9} {} [{}]", t.date, t.kind, clip(&t.text, 90), numbers(&t.sources))?;
        }
    }
    let claims: Vec<ClaimRecord> = parse(&s.claims);
    if !claims.is_empty() {
        let columns: Vec<usize> = s.independent_sources.clone();
        let matrix = columns.len() >= 2 && columns.len() <= MATRIX_COLUMNS;
        writeln!(w, "   Claims{}:", if matrix { " (one column per independent source, ● = reports it)" } else { "" })?;
        if matrix {
            let head: String = columns.iter().map(|c| format!("{:<3}", format!("#{}", c + 1))).collect();
            writeln!(w, "     {head} ")?;
        }
        for (k, c) in claims.iter().enumerate() {
            let tag = if s.shared_claims.contains(&k) {
                "shared"
            } else if s.unique_claims.contains(&k) {
                "unique"
            } else {
                ""
            };
            let what = match &c.value {
                Some(v) if c.kind == "amount" => format!("{v} {}", c.text),
                Some(v) => format!("{} ({v})", c.text),
                None => c.text.clone(),
            };
            if matrix {
                let row: String =
                    columns.iter().map(|col| if c.sources.contains(col) { "●  " } else { "·  " }).collect();
                writeln!(w, "     {row} {:<6} {:<6} {}", c.kind, tag, clip(&what, 90))?;
            } else {
                writeln!(
                    w,
                    "     {:<6} {:<6} {} [{}; {} source(s)]",
                    c.kind,
                    tag,
                    clip(&what, 90),
                    numbers(&c.sources),
                    c.count
                )?;
            }
        }
    }
    let disagreements: Vec<Disagreement> = parse(&s.disagreements);
    if !disagreements.is_empty() {
        writeln!(w, "   Disagreements:")?;
        for d in &disagreements {
            let values: Vec<String> =
                d.values.iter().map(|v| format!("{} [{}]", v.value, numbers(&v.sources))).collect();
            writeln!(w, "     {} {}: {}", d.kind, clip(&d.about, 70), values.join(" vs "))?;
        }
    }
    Ok(())
}

pub fn write(
    w: &mut dyn Write,
    articles: &[ArticleRecord],
    stories: &[StoryRecord],
    summary: &SummaryRecord,
) -> io::Result<()> {
    let by_id: HashMap<&str, &ArticleRecord> = articles.iter().map(|a| (a.id.as_str(), a)).collect();
    for (n, s) in stories.iter().enumerate() {
        writeln!(w, "━━ Story {} of {}: {}", n + 1, stories.len(), s.title)?;
        writeln!(
            w,
            "   {} article(s), {} independent; sites: {}; first published: {}",
            s.articles.len(),
            s.independent_articles,
            if s.sites.is_empty() { "-".to_string() } else { s.sites.join(", ") },
            s.first_published.as_deref().unwrap_or("unknown")
        )?;
        if !s.entities.is_empty() {
            writeln!(w, "   Who: {}", s.entities.join(", "))?;
        }
        write_comparison(w, s)?;
        for id in &s.articles {
            let Some(a) = by_id.get(id.as_str()) else { continue };
            writeln!(w)?;
            writeln!(w, "   ▸ {}", a.title.as_deref().unwrap_or("(untitled)"))?;
            let mut facts = vec![format!("source {}", a.source)];
            if let Some(site) = &a.site {
                facts.push(format!("site {site}"));
            }
            if !a.byline.is_empty() {
                facts.push(format!("by {}", a.byline.join(", ")));
            }
            if let Some(p) = &a.published {
                facts.push(format!("published {p}"));
            }
            if let Some(l) = &a.language {
                facts.push(format!("language {l}"));
            }
            if let Some(d) = &a.duplicate_of {
                facts.push(format!("copy of {d}"));
            }
            writeln!(w, "     {}", facts.join(" · "))?;
            if !a.removed.is_empty() {
                writeln!(w, "     Removed {} piece(s) of clutter: {}", a.removed.len(), {
                    let mut reasons: Vec<&str> = a.removed.iter().map(|r| r.reason.as_str()).collect();
                    reasons.dedup();
                    reasons.join(", ")
                })?;
            }
            let mut ents: Vec<String> = a
                .entities
                .iter()
                .map(|e| match &e.code {
                    Some(c) => format!("{} ({}, {c})", e.name, e.kind),
                    None => format!("{} ({})", e.name, e.kind),
                })
                .collect();
            ents.truncate(25);
            if !ents.is_empty() {
                writeln!(w, "     Who: {}", ents.join("; "))?;
            }
            for q in &a.quotes {
                writeln!(
                    w,
                    "     “{}” — {} ({})",
                    clip(&q.text, 140),
                    q.speaker.as_deref().unwrap_or("unattributed"),
                    serde_json::to_string(&q.kind).unwrap_or_default().trim_matches('"')
                )?;
            }
            for e in &a.events {
                let modality = serde_json::to_string(&e.modality).unwrap_or_default();
                writeln!(
                    w,
                    "     ⚑ {} {}{} → {} [{}]{}: {}",
                    e.actor.as_deref().unwrap_or("?"),
                    e.kind,
                    e.mode.as_ref().map(|m| format!("/{m}")).unwrap_or_default(),
                    e.target.as_deref().unwrap_or("-"),
                    modality.trim_matches('"'),
                    e.date.as_ref().map(|d| format!(" on {d}")).unwrap_or_default(),
                    clip(&e.text, 100)
                )?;
            }
            if !a.amounts.is_empty() {
                let list: Vec<String> = a
                    .amounts
                    .iter()
                    .map(|x| format!("{} = {} {}", x.text, x.value, x.unit.as_deref().unwrap_or("")))
                    .collect();
                writeln!(w, "     Amounts: {}", list.join("; "))?;
            }
            if !a.dates.is_empty() {
                let list: Vec<String> =
                    a.dates.iter().map(|d| format!("{} = {}", d.text, d.value.as_deref().unwrap_or("?"))).collect();
                writeln!(w, "     Dates: {}", list.join("; "))?;
            }
        }
        writeln!(w)?;
    }
    writeln!(
        w,
        "Summary: {} input(s), {} article(s), {} rejected, {} stor{}, {} cop{}, {:.2} s",
        summary.inputs,
        summary.articles,
        summary.rejected.len(),
        summary.stories,
        if summary.stories == 1 { "y" } else { "ies" },
        summary.duplicates,
        if summary.duplicates == 1 { "y" } else { "ies" },
        summary.seconds
    )?;
    for r in &summary.rejected {
        writeln!(w, "  rejected {}: {}", r.source, r.reason)?;
    }
    Ok(())
}

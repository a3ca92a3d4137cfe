//! The readable report of `newsgraph analyze --format text`: story by story, its articles, who is
//! in it, who said what, what happened, with what amounts and dates.

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

pub fn write(w: &mut dyn Write, articles: &[ArticleRecord], stories: &[StoryRecord], summary: &SummaryRecord) -> io::Result<()> {
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
                writeln!(w, "     “{}” — {} ({})", clip(&q.text, 140), q.speaker.as_deref().unwrap_or("unattributed"), serde_json::to_string(&q.kind).unwrap_or_default().trim_matches('"'))?;
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
                let list: Vec<String> = a.amounts.iter().map(|x| format!("{} = {} {}", x.text, x.value, x.unit.as_deref().unwrap_or(""))).collect();
                writeln!(w, "     Amounts: {}", list.join("; "))?;
            }
            if !a.dates.is_empty() {
                let list: Vec<String> = a.dates.iter().map(|d| format!("{} = {}", d.text, d.value.as_deref().unwrap_or("?"))).collect();
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

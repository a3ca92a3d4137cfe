//! The HTML pages: stories, a story, entities, an entity, an article, search.

use crate::html::{enc, esc, page};
use crate::svg;
use newsgraph_doc::record::ArticleRecord;
use newsgraph_store::{ArticleSummary, EntityDetail, EntitySummary, SearchHit, StoryDetail, StorySort, StorySummary};
use std::fmt::Write;

pub use newsgraph_doc::PLOVER_TYPES;

fn dates(first: Option<&str>, last: Option<&str>) -> String {
    let day = |s: &str| s.get(..10).unwrap_or(s).to_string();
    match (first, last) {
        (Some(f), Some(l)) if day(f) != day(l) => format!("{} – {}", day(f), day(l)),
        (Some(f), _) => day(f),
        (None, Some(l)) => day(l),
        _ => "undated".into(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn story_card(s: &StorySummary) -> String {
    let mut sites = s.sites.iter().take(4).map(|x| esc(x)).collect::<Vec<_>>().join(", ");
    if s.sites.len() > 4 {
        sites.push_str(&format!(" and {} more", s.sites.len() - 4));
    }
    let who = s.entities.iter().take(6).map(|x| esc(x)).collect::<Vec<_>>().join(" · ");
    format!(
        "<li class=\"card\"><a class=\"story-link\" href=\"/stories/{}\">{}</a>\
         <div class=\"meta\"><span class=\"size\">{}</span> · {} independent · {}{}</div>{}</li>",
        enc(&s.id),
        esc(if s.title.is_empty() { "(untitled)" } else { &s.title }),
        plural(s.articles, "article", "articles"),
        s.independent_articles,
        esc(&dates(s.first_published.as_deref(), s.last_published.as_deref())),
        if sites.is_empty() { String::new() } else { format!(" · {sites}") },
        if who.is_empty() { String::new() } else { format!("<div class=\"who\">{who}</div>") }
    )
}

pub fn stories(list: &[StorySummary], sort: StorySort, offset: usize, limit: usize, total: u64) -> String {
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>Stories</h1><p class=\"muted\">{} in the store.</p>",
        plural(total as usize, "story", "stories")
    );
    let tab = |s: StorySort, label: &str, key: &str| {
        if s == sort {
            format!("<a aria-current=\"true\" href=\"/?sort={key}\">{label}</a>")
        } else {
            format!("<a href=\"/?sort={key}\">{label}</a>")
        }
    };
    let key = if sort == StorySort::Size { "size" } else { "recent" };
    let _ = write!(
        b,
        "<div class=\"tabs\">Sort: {} {}</div>",
        tab(StorySort::Recent, "Most recent", "recent"),
        tab(StorySort::Size, "Largest", "size")
    );
    if list.is_empty() {
        b.push_str("<p>No story yet. Add articles with <code>newsgraph ingest PATH --db FILE</code>.</p>");
    }
    b.push_str("<ol class=\"cards\">");
    for s in list {
        b.push_str(&story_card(s));
    }
    b.push_str("</ol>");
    b.push_str(&pager("/", &format!("sort={key}"), offset, limit, list.len()));
    page("Stories", "stories", &b)
}

fn pager(path: &str, params: &str, offset: usize, limit: usize, got: usize) -> String {
    let mut p = String::from("<nav class=\"pager\">");
    let sep = if params.is_empty() { "" } else { "&amp;" };
    if offset > 0 {
        let _ = write!(
            p,
            "<a rel=\"prev\" href=\"{path}?{params}{sep}offset={}\">← Previous</a>",
            offset.saturating_sub(limit)
        );
    }
    if got == limit {
        let _ = write!(p, "<a rel=\"next\" href=\"{path}?{params}{sep}offset={}\">Next →</a>", offset + limit);
    }
    p.push_str("</nav>");
    p
}

/// A source of the story record (`{"article", "site", "published", "copy_of"}`) as a short label.
fn source_label(src: &serde_json::Value) -> String {
    let site = src["site"].as_str().filter(|s| !s.is_empty());
    let article = src["article"].as_str().unwrap_or("?");
    let day = src["published"].as_str().map(|p| p.get(..10).unwrap_or(p));
    match (site, day) {
        (Some(s), Some(d)) => format!("{s} {d}"),
        (Some(s), None) => s.to_string(),
        (None, Some(d)) => format!("{} {d}", &article[..article.len().min(8)]),
        (None, None) => article[..article.len().min(8)].to_string(),
    }
}

/// The claims matrix as the story record has it: claims of independent sources, columns the
/// sources that make any claim. None when the record has no claims.
fn record_claims(record: &serde_json::Value) -> Option<String> {
    let claims = record["claims"].as_array().filter(|c| !c.is_empty())?;
    let sources = record["sources"].as_array()?;
    let idx = |v: &serde_json::Value| v.as_u64().map(|i| i as usize);
    let mut cols: Vec<usize> =
        claims.iter().flat_map(|c| c["sources"].as_array().into_iter().flatten().filter_map(idx)).collect();
    cols.sort_unstable();
    cols.dedup();
    cols.retain(|&i| i < sources.len());
    let shared: Vec<usize> = record["shared_claims"].as_array().into_iter().flatten().filter_map(idx).collect();
    let unique: Vec<usize> = record["unique_claims"].as_array().into_iter().flatten().filter_map(idx).collect();
    let mut b = String::from(
        "<p class=\"muted\">Which independent source reports which event, quotation and amount (copies count with the article they copy).</p>\
         <div class=\"scroll\"><table class=\"claims\"><thead><tr><th>Claim</th><th class=\"num\">Sources</th>",
    );
    // a label per column, escaped once: the table has a cell per claim and column
    let labels: Vec<String> = cols.iter().map(|&c| esc(&source_label(&sources[c]))).collect();
    for label in &labels {
        let _ = write!(b, "<th class=\"src\" title=\"{label}\"><span>{label}</span></th>");
    }
    b.push_str("</tr></thead><tbody>");
    for (i, c) in claims.iter().enumerate() {
        let kind = c["kind"].as_str().unwrap_or("");
        let mut label = esc(c["text"].as_str().unwrap_or(""));
        if let Some(v) = c["value"].as_str().filter(|v| !v.is_empty()) {
            let _ = write!(label, " <span class=\"muted\">= {}</span>", esc(v));
        }
        if shared.contains(&i) {
            label.push_str(" <span class=\"tag shared\">all sources</span>");
        } else if unique.contains(&i) {
            label.push_str(" <span class=\"tag unique\">one source</span>");
        }
        let mine: Vec<usize> = c["sources"].as_array().into_iter().flatten().filter_map(idx).collect();
        let _ = write!(
            b,
            "<tr><th class=\"claim\"><span class=\"tag {0}\">{0}</span> {label}</th><td class=\"num\">{1}</td>",
            esc(kind),
            c["count"].as_u64().unwrap_or(mine.len() as u64)
        );
        for (&col, label) in cols.iter().zip(&labels) {
            let (what, mark) = if mine.contains(&col) { ("reported", "●") } else { ("not reported", "") };
            b.push_str("<td title=\"");
            b.push_str(label);
            b.push_str(": ");
            b.push_str(what);
            b.push_str("\">");
            b.push_str(mark);
            b.push_str("</td>");
        }
        b.push_str("</tr>");
    }
    b.push_str("</tbody></table></div>");
    Some(b)
}

/// Where the record says independent sources disagree (amounts, dates).
fn disagreements(record: &serde_json::Value) -> String {
    let Some(list) = record["disagreements"].as_array().filter(|d| !d.is_empty()) else { return String::new() };
    let sources = record["sources"].as_array().cloned().unwrap_or_default();
    let mut b = String::from("<h3>Where sources disagree</h3><ul class=\"disagreements\">");
    for d in list {
        let values: Vec<String> = d["values"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| {
                let who: Vec<String> = v["sources"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|i| sources.get(i.as_u64()? as usize))
                    .map(|s| esc(&source_label(s)))
                    .collect();
                format!(
                    "<strong>{}</strong> <span class=\"muted\">({})</span>",
                    esc(v["value"].as_str().unwrap_or("")),
                    who.join(", ")
                )
            })
            .collect();
        let _ = write!(
            b,
            "<li><span class=\"tag\">{}</span> {}: {}</li>",
            esc(d["kind"].as_str().unwrap_or("")),
            esc(d["about"].as_str().unwrap_or("")),
            values.join(" vs ")
        );
    }
    b.push_str("</ul>");
    b
}

/// The claims matrix computed from the articles read, by site, when the record has none.
fn computed_claims(d: &StoryDetail) -> String {
    let mut b = String::new();
    if d.claims.claims.is_empty() {
        b.push_str("<p class=\"muted\">No event, quotation or amount to compare.</p>");
        return b;
    }
    b.push_str("<p class=\"muted\">Which source reports which event, quotation and amount: ● in an original article, ○ only in a copy.</p>");
    b.push_str("<div class=\"scroll\"><table class=\"claims\"><thead><tr><th>Claim</th>");
    for src in &d.claims.sources {
        let _ = write!(b, "<th class=\"src\" title=\"{0}\"><span>{0}</span></th>", esc(src));
    }
    b.push_str("</tr></thead><tbody>");
    let labels: Vec<String> = d.claims.sources.iter().map(|s| esc(s)).collect();
    for c in &d.claims.claims {
        let _ = write!(
            b,
            "<tr><th class=\"claim\"><span class=\"tag {0}\">{0}</span> {1}</th>",
            esc(&c.kind),
            esc(&c.label)
        );
        for (i, cell) in c.cells.iter().enumerate() {
            let src = labels.get(i).map(String::as_str).unwrap_or("");
            let (mark, what) = match cell {
                2 => ("●", "reported"),
                1 => ("○", "reported in a copy"),
                _ => ("", "not reported"),
            };
            let _ = write!(b, "<td title=\"{src}: {what}\">{mark}</td>");
        }
        b.push_str("</tr>");
    }
    b.push_str("</tbody></table></div>");
    b
}

fn article_link(a: &ArticleSummary) -> String {
    format!(
        "<a href=\"/articles/{}\">{}</a>",
        enc(&a.id),
        esc(a.title.as_deref().filter(|t| !t.is_empty()).unwrap_or("(untitled)"))
    )
}

fn entity_link(id: Option<&str>, name: Option<&str>) -> String {
    match (id, name) {
        (Some(id), Some(name)) => format!("<a class=\"entity-link\" href=\"/entities/{}\">{}</a>", enc(id), esc(name)),
        (None, Some(name)) => esc(name),
        _ => "<span class=\"muted\">?</span>".into(),
    }
}

fn sites_list(sites: &[String]) -> String {
    let mut s = sites.iter().take(5).map(|x| esc(x)).collect::<Vec<_>>().join(", ");
    if sites.len() > 5 {
        s.push_str(&format!(" +{}", sites.len() - 5));
    }
    s
}

pub fn story(d: &StoryDetail) -> String {
    let s = &d.story;
    // large stories make pages of a few hundred kilobytes: fewer reallocations
    let mut b = String::with_capacity(64 * 1024);
    let _ = write!(
        b,
        "<h1>{}</h1><p class=\"meta\">{} ({} independent) · {} · {}</p>",
        esc(if s.title.is_empty() { "(untitled)" } else { &s.title }),
        plural(s.articles, "article", "articles"),
        s.independent_articles,
        plural(d.claims.sources.len().max(s.sites.len()), "source", "sources"),
        esc(&dates(s.first_published.as_deref(), s.last_published.as_deref()))
    );
    if let Some(first) = d.record["first_reported"].as_str() {
        if let Some(a) = d.articles.iter().find(|a| a.id == first) {
            let _ = write!(
                b,
                "<p class=\"meta\">First reported by {} on {}: {}</p>",
                esc(&a.outlet()),
                esc(a.published.as_deref().unwrap_or("?")),
                article_link(a)
            );
        }
    }
    b.push_str(
        "<nav class=\"toc\"><a href=\"#actors\">Actors</a><a href=\"#timeline\">Timeline</a><a href=\"#sources\">Sources</a>\
         <a href=\"#quotes\">Who said what</a><a href=\"#claims\">Claims</a><a href=\"#events\">Events</a></nav>",
    );
    if !d.entities.is_empty() {
        b.push_str("<p class=\"chips\">");
        for e in d.entities.iter().take(14) {
            let _ = write!(
                b,
                "<a class=\"chip {} entity-link\" href=\"/entities/{}\">{}</a>",
                e.kind.to_ascii_lowercase(),
                enc(&e.id),
                esc(&e.name)
            );
        }
        b.push_str("</p>");
    }

    let _ = write!(b, "<section id=\"actors\"><h2>Actors</h2>{}", svg::actor_graph(&d.graph));
    b.push_str("<p class=\"legend\"><span class=\"key person\"></span> person <span class=\"key org\"></span> organisation <span class=\"key place\"></span> place · arrows: events (actor → target) · grey: named in the same articles</p></section>");

    let _ = write!(b, "<section id=\"timeline\"><h2>Timeline</h2>{}", svg::timeline(&d.timeline));
    b.push_str("<p class=\"legend\"><span class=\"key bar\"></span> articles published <span class=\"key event-mark\"></span> day an event is dated to</p></section>");

    b.push_str("<section id=\"sources\"><h2>Sources</h2><div class=\"scroll\"><table class=\"sources\"><thead><tr><th>Published</th><th>Source</th><th>Article</th><th></th></tr></thead><tbody>");
    for a in &d.articles {
        let copy = match &a.duplicate_of {
            Some(o) => format!("<span class=\"tag copy\" title=\"copy of {}\">copy</span>", esc(o)),
            None => String::new(),
        };
        let _ = write!(
            b,
            "<tr><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{copy}</td></tr>",
            esc(a.published.as_deref().map(|p| p.get(..10).unwrap_or(p)).unwrap_or("undated")),
            esc(&a.outlet()),
            article_link(a)
        );
    }
    b.push_str("</tbody></table></div>");
    if s.articles > d.articles.len() {
        let _ = write!(b, "<p class=\"muted\">Showing the first {} of {} articles.</p>", d.articles.len(), s.articles);
    }
    b.push_str("</section>");

    b.push_str("<section id=\"quotes\"><h2>Who said what</h2>");
    if d.quotes.is_empty() {
        b.push_str("<p class=\"muted\">No quotation.</p>");
    }
    for sp in &d.quotes {
        let _ = write!(
            b,
            "<div class=\"speaker\"><h3>{}</h3><ul class=\"quotes\">",
            match (&sp.speaker_entity, &sp.speaker) {
                (Some(id), Some(n)) => entity_link(Some(id), Some(n)),
                _ => "<span class=\"muted\">Unattributed</span>".into(),
            }
        );
        for q in &sp.quotes {
            let _ = write!(
                b,
                "<li><blockquote class=\"{}\">{}</blockquote><div class=\"meta\">{}{} · {}</div></li>",
                esc(&q.kind),
                esc(&q.text),
                esc(&q.kind),
                q.cue.as_ref().map(|c| format!(" ({})", esc(c))).unwrap_or_default(),
                sites_list(&q.sites)
            );
        }
        b.push_str("</ul></div>");
    }
    b.push_str("</section>");

    b.push_str("<section id=\"claims\"><h2>Claims matrix</h2>");
    match record_claims(&d.record) {
        Some(html) => b.push_str(&html),
        None => b.push_str(&computed_claims(d)),
    }
    b.push_str(&disagreements(&d.record));
    b.push_str("</section>");

    b.push_str("<section id=\"events\"><h2>Events</h2>");
    if d.events.is_empty() {
        b.push_str("<p class=\"muted\">No event.</p>");
    } else {
        b.push_str("<ul class=\"events\">");
        for e in &d.events {
            let _ = write!(
                b,
                "<li><span class=\"tag ev\">{}</span>{} {} → {} <span class=\"muted\">[{}{}] · {}</span><div class=\"excerpt\">{}</div></li>",
                esc(&e.kind),
                e.mode.as_ref().map(|m| format!(" <span class=\"muted\">{}</span>", esc(m))).unwrap_or_default(),
                entity_link(e.actor_entity.as_deref(), e.actor.as_deref()),
                entity_link(e.target_entity.as_deref(), e.target.as_deref()),
                esc(&e.modality),
                e.date.as_ref().map(|d| format!(", {}", esc(d))).unwrap_or_default(),
                sites_list(&e.sites),
                esc(&e.text)
            );
        }
        b.push_str("</ul>");
    }
    if !d.amounts.is_empty() {
        b.push_str("<h3>Amounts</h3><ul class=\"amounts\">");
        for a in d.amounts.iter().take(30) {
            let _ = write!(
                b,
                "<li><strong>{}</strong> <span class=\"muted\">= {}{} · {}</span></li>",
                esc(&a.text),
                a.value,
                a.unit.as_ref().map(|u| format!(" {}", esc(u))).unwrap_or_default(),
                sites_list(&a.sites)
            );
        }
        b.push_str("</ul>");
    }
    b.push_str("</section>");
    page(if s.title.is_empty() { "Story" } else { &s.title }, "stories", &b)
}

pub fn entities(list: &[EntitySummary], query: &str, kind: &str, offset: usize, limit: usize) -> String {
    let mut b = String::from("<h1>Entities</h1>");
    let _ = write!(
        b,
        "<form class=\"filters\" action=\"/entities\"><input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"Name contains\" aria-label=\"Name contains\">\
         <select name=\"type\" aria-label=\"Type\"><option value=\"\">any type</option>{}</select><button type=\"submit\">Filter</button></form>",
        esc(query),
        ["PERSON", "ORG", "PLACE"]
            .iter()
            .map(|t| format!("<option{}>{t}</option>", if kind.eq_ignore_ascii_case(t) { " selected" } else { "" }))
            .collect::<String>()
    );
    b.push_str("<div class=\"scroll\"><table><thead><tr><th>Name</th><th>Type</th><th>Code</th><th class=\"num\">Articles</th></tr></thead><tbody>");
    for e in list {
        let _ = write!(
            b,
            "<tr><td>{}</td><td><span class=\"chip {}\">{}</span></td><td>{}</td><td class=\"num\">{}</td></tr>",
            entity_link(Some(&e.id), Some(&e.name)),
            e.kind.to_ascii_lowercase(),
            esc(&e.kind),
            esc(e.code.as_deref().unwrap_or("")),
            e.articles
        );
    }
    b.push_str("</tbody></table></div>");
    b.push_str(&pager("/entities", &format!("q={}&amp;type={}", enc(query), enc(kind)), offset, limit, list.len()));
    page("Entities", "entities", &b)
}

pub fn entity(d: &EntityDetail) -> String {
    let e = &d.entity;
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>{}</h1><p class=\"meta\"><span class=\"chip {}\">{}</span>{} · {} · {}</p>",
        esc(&e.name),
        e.kind.to_ascii_lowercase(),
        esc(&e.kind),
        e.code.as_ref().map(|c| format!(" <span class=\"chip\">{}</span>", esc(c))).unwrap_or_default(),
        plural(e.articles, "article", "articles"),
        plural(e.mentions, "mention", "mentions")
    );
    if !d.roles.is_empty() {
        let _ = write!(b, "<p>Roles: {}</p>", d.roles.iter().map(|r| esc(r)).collect::<Vec<_>>().join(", "));
    }
    let _ =
        write!(b, "<p><a href=\"/search?q=&amp;entity={}\">All articles naming {} →</a></p>", enc(&e.id), esc(&e.name));
    b.push_str("<section><h2>Stories</h2><ol class=\"cards\">");
    for s in &d.stories {
        b.push_str(&story_card(s));
    }
    b.push_str("</ol></section>");
    if !d.quotes.is_empty() {
        b.push_str("<section><h2>Said</h2><ul class=\"quotes\">");
        for q in &d.quotes {
            let _ = write!(
                b,
                "<li><blockquote class=\"{}\">{}</blockquote><div class=\"meta\">{} · {}{}</div></li>",
                esc(&q.kind),
                esc(&q.text),
                esc(&q.kind),
                esc(q.site.as_deref().unwrap_or(&q.article)),
                q.story.as_ref().map(|s| format!(" · <a href=\"/stories/{}\">story</a>", enc(s))).unwrap_or_default()
            );
        }
        b.push_str("</ul></section>");
    }
    if !d.events.is_empty() {
        b.push_str("<section><h2>Events</h2><ul class=\"events\">");
        for ev in &d.events {
            let _ = write!(
                b,
                "<li><span class=\"tag ev\">{}</span> {} → {} <span class=\"muted\">[{}] · {}</span>{}</li>",
                esc(&ev.kind),
                entity_link(ev.actor_entity.as_deref(), ev.actor.as_deref()),
                entity_link(ev.target_entity.as_deref(), ev.target.as_deref()),
                esc(&ev.modality),
                esc(ev.site.as_deref().unwrap_or(&ev.article)),
                ev.story.as_ref().map(|s| format!(" · <a href=\"/stories/{}\">story</a>", enc(s))).unwrap_or_default()
            );
        }
        b.push_str("</ul></section>");
    }
    if !d.related.is_empty() {
        b.push_str("<section><h2>Named with</h2><p class=\"chips\">");
        for r in &d.related {
            let _ = write!(
                b,
                "<a class=\"chip {} entity-link\" href=\"/entities/{}\">{} <small>{}</small></a>",
                r.entity.kind.to_ascii_lowercase(),
                enc(&r.entity.id),
                esc(&r.entity.name),
                r.together
            );
        }
        b.push_str("</p></section>");
    }
    b.push_str("<section><h2>Latest articles</h2><ul class=\"plain\">");
    for a in &d.articles {
        let _ = write!(
            b,
            "<li>{} <span class=\"muted\">{} · {}</span></li>",
            article_link(a),
            esc(&a.outlet()),
            esc(a.published.as_deref().unwrap_or("undated"))
        );
    }
    b.push_str("</ul></section>");
    page(&e.name, "entities", &b)
}

pub fn article(a: &ArticleRecord) -> String {
    let mut b = String::new();
    let _ = write!(b, "<h1>{}</h1>", esc(a.title.as_deref().filter(|t| !t.is_empty()).unwrap_or("(untitled)")));
    let mut facts = Vec::new();
    if let Some(s) = &a.site {
        facts.push(esc(s));
    }
    if let Some(p) = &a.published {
        facts.push(esc(p));
    }
    if !a.byline.is_empty() {
        facts.push(format!("by {}", esc(&a.byline.join(", "))));
    }
    if let Some(l) = &a.language {
        facts.push(esc(l));
    }
    if let Some(u) = &a.url {
        facts.push(format!("<a href=\"{0}\" rel=\"noreferrer nofollow\">{0}</a>", esc(u)));
    }
    let _ = write!(b, "<p class=\"meta\">{}</p>", facts.join(" · "));
    if let Some(s) = &a.story {
        let _ = write!(b, "<p><a class=\"story-link\" href=\"/stories/{}\">The whole story →</a></p>", enc(s));
    }
    if let Some(d) = &a.duplicate_of {
        let _ = write!(b, "<p class=\"muted\">A copy of <a href=\"/articles/{}\">{}</a>.</p>", enc(d), esc(d));
    }
    b.push_str("<p class=\"chips\">");
    for e in &a.entities {
        let _ = write!(
            b,
            "<a class=\"chip {} entity-link\" href=\"/entities/{}\">{}</a>",
            e.kind.to_ascii_lowercase(),
            enc(&e.id),
            esc(&e.name)
        );
    }
    b.push_str("</p><article class=\"text\">");
    for p in a.text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = write!(b, "<p>{}</p>", esc(p.trim()));
    }
    b.push_str("</article>");
    if !a.quotes.is_empty() {
        b.push_str("<section><h2>Quotations</h2><ul class=\"quotes\">");
        for q in &a.quotes {
            let _ = write!(
                b,
                "<li><blockquote>{}</blockquote><div class=\"meta\">{}</div></li>",
                esc(&q.text),
                entity_link(q.speaker_entity.as_deref(), q.speaker.as_deref().or(Some("unattributed")))
            );
        }
        b.push_str("</ul></section>");
    }
    if !a.events.is_empty() {
        b.push_str("<section><h2>Events</h2><ul class=\"events\">");
        for e in &a.events {
            let _ = write!(
                b,
                "<li><span class=\"tag ev\">{}</span> {} → {} <div class=\"excerpt\">{}</div></li>",
                esc(&e.kind),
                esc(e.actor.as_deref().unwrap_or("?")),
                esc(e.target.as_deref().unwrap_or("-")),
                esc(&e.text)
            );
        }
        b.push_str("</ul></section>");
    }
    let _ = write!(b, "<p class=\"muted\">Record: <a href=\"/api/articles/{}\">JSON</a></p>", enc(&a.id));
    page(a.title.as_deref().unwrap_or("Article"), "search", &b)
}

/// The search form, filled with the query's values, and its results.
pub fn search(
    params: &[(String, String)],
    hits: Option<&[SearchHit]>,
    error: Option<&str>,
    offset: usize,
    limit: usize,
) -> String {
    let get = |k: &str| params.iter().rev().find(|(key, _)| key == k).map(|(_, v)| v.as_str()).unwrap_or("");
    let mut b = String::from("<h1>Search</h1>");
    let input = |name: &str, label: &str, kind: &str, placeholder: &str| {
        format!(
            "<label>{label}<input type=\"{kind}\" name=\"{name}\" value=\"{}\" placeholder=\"{placeholder}\"></label>",
            esc(get(name))
        )
    };
    let _ = write!(
        b,
        "<form class=\"search\" action=\"/search\" role=\"search\">\
         <div class=\"main-q\"><input type=\"search\" name=\"q\" id=\"q\" value=\"{}\" placeholder=\"Words, &quot;a phrase&quot;, prefix*\" aria-label=\"Search words\" autofocus>\
         <button type=\"submit\" id=\"search-button\">Search</button></div>\
         <details{}><summary>Filters</summary><div class=\"grid\">{}{}{}{}{}<label>Event<select name=\"event\"><option value=\"\">any</option>{}</select></label></div></details></form>",
        esc(get("q")),
        if ["entity", "site", "since", "until", "lang", "event"].iter().any(|k| !get(k).is_empty()) { " open" } else { "" },
        input("entity", "Entity", "text", "name or id"),
        input("site", "Site", "text", "example.com"),
        input("since", "Since", "text", "YYYY-MM-DD"),
        input("until", "Until", "text", "YYYY-MM-DD"),
        input("lang", "Language", "text", "en"),
        PLOVER_TYPES
            .iter()
            .map(|t| format!("<option{}>{t}</option>", if get("event").eq_ignore_ascii_case(t) { " selected" } else { "" }))
            .collect::<String>()
    );
    if let Some(e) = error {
        let _ = write!(b, "<p class=\"error\">{}</p>", esc(e));
    }
    if let Some(hits) = hits {
        if hits.is_empty() {
            b.push_str("<p class=\"muted\">No article matches.</p>");
        }
        b.push_str("<ol class=\"results\">");
        for h in hits {
            let a = &h.article;
            let mut snippet = String::new();
            let chars: Vec<char> = h.snippet.chars().collect();
            let mut at = 0;
            for &[s, e] in &h.highlights {
                if s < at || e > chars.len() {
                    continue;
                }
                snippet.push_str(&esc(&chars[at..s].iter().collect::<String>()));
                let _ = write!(snippet, "<mark>{}</mark>", esc(&chars[s..e].iter().collect::<String>()));
                at = e;
            }
            snippet.push_str(&esc(&chars[at..].iter().collect::<String>()));
            let _ = write!(
                b,
                "<li class=\"result\"><div class=\"title\">{}</div><div class=\"meta\">{} · {}{}</div><p class=\"snippet\">{}</p>{}</li>",
                article_link(a),
                esc(&a.outlet()),
                esc(a.published.as_deref().unwrap_or("undated")),
                if a.duplicate_of.is_some() { " · <span class=\"tag copy\">copy</span>" } else { "" },
                snippet,
                a.story
                    .as_ref()
                    .map(|s| format!("<a class=\"story-link\" href=\"/stories/{}\">Story →</a>", enc(s)))
                    .unwrap_or_default()
            );
        }
        b.push_str("</ol>");
        let kept: Vec<String> = params
            .iter()
            .filter(|(k, v)| k != "offset" && !v.is_empty())
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        b.push_str(&pager("/search", &kept.join("&amp;"), offset, limit, hits.len()));
    }
    let title = if get("q").is_empty() { "Search".to_string() } else { format!("{} – Search", get("q")) };
    page(&title, "search", &b)
}

pub fn not_found(what: &str) -> String {
    page("Not found", "", &format!("<h1>Not found</h1><p>{}</p><p><a href=\"/\">All stories</a></p>", esc(what)))
}

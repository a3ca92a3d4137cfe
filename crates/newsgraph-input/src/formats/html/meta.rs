//! The article's metadata, each field from the best source the page offers, with a note saying
//! which: Open Graph and other `<meta>` tags, JSON-LD, microdata, `<time>` elements, the URL,
//! headings and bylines in the page.

use super::walk::{squash, Walk};
use crate::date::normalise_date;
use crate::formats::{language_code, push_byline, shorten, site_from_url};
use newsgraph_doc::Meta;
use serde_json::{Map, Value};

/// The article object of the page's JSON-LD, reduced to the fields newsgraph reads.
#[derive(Default)]
pub(crate) struct LdArticle {
    pub headline: Option<String>,
    pub date: Option<String>,
    pub authors: Vec<String>,
    pub publisher: Option<String>,
    pub body: Option<String>,
    pub lang: Option<String>,
    pub url: Option<String>,
}

pub(crate) fn parse_ld(raw: &str) -> Option<Value> {
    let t = raw.trim();
    let t = t.strip_prefix("<!--").unwrap_or(t);
    let t = t.strip_suffix("-->").unwrap_or(t).trim();
    let t = t.strip_prefix("//<![CDATA[").or_else(|| t.strip_prefix("<![CDATA[")).unwrap_or(t);
    let t = t.strip_suffix("//]]>").or_else(|| t.strip_suffix("]]>")).unwrap_or(t).trim();
    let t = t.strip_suffix(';').unwrap_or(t);
    serde_json::from_str(t).ok()
}

impl LdArticle {
    pub fn from_values(values: &[Value]) -> LdArticle {
        // Find the article object among graphs, lists and nesting, without recursion and with a
        // bound on how much of a (possibly huge) structure is looked at.
        let mut stack: Vec<&Value> = values.iter().rev().collect();
        let mut best: Option<&Map<String, Value>> = None;
        let mut fallback = None;
        let mut seen = 0;
        while let Some(v) = stack.pop() {
            seen += 1;
            if seen > 20_000 {
                break;
            }
            match v {
                Value::Array(a) => stack.extend(a.iter().rev()),
                Value::Object(m) => {
                    if is_article_type(m.get("@type")) {
                        best = Some(m);
                        break;
                    }
                    if fallback.is_none() && m.contains_key("headline") {
                        fallback = Some(m);
                    }
                    stack.extend(
                        m.values().filter(|c| c.is_array() || c.is_object()).collect::<Vec<_>>().into_iter().rev(),
                    );
                }
                _ => {}
            }
        }
        let Some(m) = best.or(fallback) else { return LdArticle::default() };
        let s = |k: &str| m.get(k).and_then(Value::as_str).map(|s| unescape(s.trim())).filter(|s| !s.is_empty());
        let name_of = |v: &Value| match v {
            Value::String(s) => Some(unescape(s)),
            Value::Object(o) => o.get("name").and_then(Value::as_str).map(unescape),
            _ => None,
        };
        let mut authors = Vec::new();
        match m.get("author").or_else(|| m.get("creator")) {
            Some(Value::Array(list)) => authors.extend(list.iter().filter_map(name_of)),
            Some(v) => authors.extend(name_of(v)),
            None => {}
        }
        let url = s("url").or_else(|| match m.get("mainEntityOfPage") {
            Some(Value::String(u)) => Some(u.clone()),
            Some(Value::Object(o)) => o.get("@id").and_then(Value::as_str).map(str::to_string),
            _ => None,
        });
        LdArticle {
            headline: s("headline").or_else(|| s("name")),
            date: s("datePublished").or_else(|| s("dateCreated")),
            authors,
            publisher: m.get("publisher").and_then(name_of),
            body: s("articleBody"),
            lang: s("inLanguage"),
            url: url.filter(|u| u.contains("://")),
        }
    }
}

fn is_article_type(t: Option<&Value>) -> bool {
    let one = |s: &str| s.contains("Article") || s.contains("BlogPosting") || s == "Report";
    match t {
        Some(Value::String(s)) => one(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(one),
        _ => false,
    }
}

/// Undoes the HTML escaping that some sites leave inside JSON-LD strings.
pub(crate) fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // Byte search: a name is short ASCII, and a multi-byte character may sit at the limit.
        let end = rest.as_bytes()[..rest.len().min(12)].iter().position(|&b| b == b';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The article text held in Next.js's embedded app state, when there is any: the longest prose
/// under a body-like key, or the longest run of paragraph objects in a list.
pub(crate) fn next_data_body(raw: &str) -> Option<String> {
    let v: Value = serde_json::from_str(raw.trim()).ok()?;
    let mut best: Option<(String, usize)> = None;
    let mut consider = |text: String| {
        let units = super::text_units(&text);
        if units > best.as_ref().map_or(0, |(_, u)| *u) {
            best = Some((text, units));
        }
    };
    let mut stack: Vec<&Value> = vec![&v];
    let mut seen = 0;
    while let Some(v) = stack.pop() {
        seen += 1;
        if seen > 200_000 {
            break;
        }
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    match child {
                        Value::String(s) if is_body_key(k) && s.len() > 200 => {
                            consider(crate::formats::json::body_from_field(s));
                        }
                        Value::Array(_) | Value::Object(_) => stack.push(child),
                        _ => {}
                    }
                }
            }
            Value::Array(items) => {
                let paras: Vec<&str> = items.iter().filter_map(paragraph_of).collect();
                if paras.len() >= 3 && paras.len() * 2 >= items.len() {
                    consider(paras.iter().map(|p| super::squash_html(p)).collect::<Vec<_>>().join("\n\n"));
                }
                stack.extend(items.iter().filter(|c| c.is_array() || c.is_object()));
            }
            _ => {}
        }
    }
    best.map(|(text, _)| text)
}

fn is_body_key(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    matches!(
        k.as_str(),
        "articlebody"
            | "body"
            | "bodyhtml"
            | "body_html"
            | "content"
            | "contenthtml"
            | "content_html"
            | "html"
            | "text"
            | "fulltext"
            | "full_text"
            | "storytext"
            | "article_body"
    )
}

/// The text of a paragraph object in a list of content blocks (`{"type":"paragraph","text":…}`).
fn paragraph_of(v: &Value) -> Option<&str> {
    let m = v.as_object()?;
    let kind = ["type", "__typename", "_type", "kind"]
        .iter()
        .find_map(|k| m.get(*k).and_then(Value::as_str))
        .unwrap_or("")
        .to_ascii_lowercase();
    if !(kind.is_empty() || kind.contains("paragraph") || kind.contains("text") || kind == "p") {
        return None;
    }
    ["text", "content", "html", "value"].iter().find_map(|k| m.get(*k).and_then(Value::as_str)).filter(|t| {
        let t = t.trim();
        !t.is_empty()
    })
}

/// Drops a " | Site" or " - Site" tail from a page title.
pub(crate) fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let squash = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » "] {
        let Some(i) = title.rfind(sep) else { continue };
        let (head, tail) = (&title[..i], &title[i + sep.len()..]);
        if head.trim().is_empty() {
            continue;
        }
        let tail_key = squash(tail);
        let names_site = site.is_some_and(|s| {
            let s = squash(s.split('.').next().unwrap_or(s));
            !s.is_empty() && (tail_key.starts_with(&s) || s.starts_with(&tail_key))
        });
        // A pipe almost always separates the site name; dashes also join parts of a headline.
        let short_tail = tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 2;
        if names_site || (sep == " | " && short_tail) {
            return strip_site_suffix(head, site);
        }
    }
    title
}

/// Keys of `<meta>` tags that give the publication date, best first.
const DATE_METAS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "published_time",
    "article:published",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "originalpublicationdate",
    "datecreated",
];

const AUTHOR_METAS: &[&str] =
    &["author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "byl"];

/// Fills `meta` from what the page says about itself, noting each field's source. `h1` is the
/// headline element's text and position when the page has one.
pub(crate) fn fill(meta: &mut Meta, w: &Walk, ld: &LdArticle, h1: Option<(u32, &str)>) {
    // URL first: the title, site and date can lean on it.
    let og_url = w.meta("og:url").or_else(|| w.meta("twitter:url")).filter(|u| u.contains("://"));
    let canonical = w.canonical.as_deref().and_then(|c| absolute(c, og_url.or(ld.url.as_deref())));
    let (url, how) = match (canonical, og_url, &ld.url) {
        (Some(c), _, _) => (Some(c), "canonical link"),
        (None, Some(u), _) => (Some(u.to_string()), "og:url"),
        (None, None, Some(u)) => (Some(u.clone()), "JSON-LD url"),
        _ => (None, ""),
    };
    if let Some(u) = url {
        meta.notes.push(format!("url from {how}"));
        meta.url = Some(u);
    }

    let site = [("og:site_name", "og:site_name"), ("application-name", "application-name")]
        .iter()
        .find_map(|(k, how)| w.meta(k).map(|v| (v.to_string(), *how)))
        .or_else(|| ld.publisher.clone().map(|p| (p, "JSON-LD publisher")))
        .or_else(|| w.meta("twitter:site").map(|s| (s.trim_start_matches('@').to_string(), "twitter:site")))
        .or_else(|| meta.url.as_deref().and_then(site_from_url).map(|s| (s, "the URL")));
    if let Some((s, how)) = site {
        let s = squash(&unescape(&s));
        if !s.is_empty() {
            meta.notes.push(format!("site from {how}"));
            meta.site = Some(s);
        }
    }

    let site = meta.site.clone();
    let site = site.as_deref();
    let title = w
        .meta("og:title")
        .map(|t| (strip_site_suffix(t, site), "og:title"))
        .or_else(|| w.meta("twitter:title").map(|t| (strip_site_suffix(t, site), "twitter:title")))
        .or_else(|| ld.headline.clone().map(|t| (t, "JSON-LD headline")))
        .or_else(|| h1.map(|(_, t)| (t.to_string(), "<h1>")))
        .or_else(|| w.title.as_deref().map(|t| (strip_site_suffix(t, site), "<title>")));
    if let Some((t, how)) = title {
        let t = squash(&unescape(&t));
        if !t.is_empty() {
            meta.notes.push(format!("title from {how}"));
            meta.title = Some(shorten(&t, 500));
        }
    }

    let lang = w
        .lang
        .as_deref()
        .filter(|l| !l.is_empty())
        .map(|l| (l, "<html lang>"))
        .or_else(|| w.meta("content-language").map(|l| (l, "meta content-language")))
        .or_else(|| w.meta("language").map(|l| (l, "meta language")))
        .or_else(|| w.meta("dc.language").map(|l| (l, "meta dc.language")))
        .or_else(|| w.meta("og:locale").map(|l| (l, "og:locale")))
        .or_else(|| ld.lang.as_deref().map(|l| (l, "JSON-LD inLanguage")));
    if let Some((raw, how)) = lang {
        // "en-US,en" in content-language: the first is the document's.
        let raw = raw.split(',').next().unwrap_or(raw).trim();
        match language_code(raw) {
            Some(code) => {
                meta.notes.push(format!("language from {how}"));
                meta.language = Some(code);
            }
            None => meta.notes.push(format!("language not understood: {}", shorten(raw, 40))),
        }
    }

    fill_authors(meta, w, ld);
    fill_date(meta, w, ld, h1.map(|(at, _)| at), day_first(w, meta.language.as_deref()));
}

/// Makes a possibly relative link absolute against the page's own absolute URL.
fn absolute(link: &str, base: Option<&str>) -> Option<String> {
    if link.contains("://") {
        return Some(link.to_string());
    }
    let base = base?;
    let (scheme, rest) = base.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    if let Some(r) = link.strip_prefix("//") {
        return Some(format!("{scheme}://{r}"));
    }
    link.starts_with('/').then(|| format!("{scheme}://{host}{link}"))
}

fn fill_authors(meta: &mut Meta, w: &Walk, ld: &LdArticle) {
    let before = meta.byline.len();
    for a in &ld.authors {
        push_byline(meta, &squash(a));
    }
    if meta.byline.len() > before {
        meta.notes.push("byline from JSON-LD author".into());
        return;
    }
    for key in AUTHOR_METAS {
        if let Some(a) = w.meta(key).filter(|a| !a.contains("://")) {
            a.split([';', '|']).for_each(|a| push_byline(meta, &squash(a)));
            if meta.byline.len() > before {
                meta.notes.push(format!("byline from meta {key}"));
                return;
            }
        }
    }
    for mark in w.bylines.iter().filter(|m| !m.foreign) {
        for name in names_in_byline(&mark.text) {
            push_byline(meta, &name);
        }
        if meta.byline.len() > before {
            meta.notes.push(format!("byline from {}", mark.how));
            return;
        }
    }
}

/// Words that end a byline's names: what follows is a place, an affiliation or a date.
const BYLINE_STOPS: &[&str] =
    &[" in ", " for ", " | ", " - ", " – ", " — ", ",", " on ", " at ", "\u{b7}", " updated", " published"];

/// Person names in a byline as pages write it ("By Jane Doe and John Roe in Szeged").
pub(crate) fn names_in_byline(text: &str) -> Vec<String> {
    let mut t = squash(text);
    for prefix in
        ["by ", "von ", "par ", "por ", "di ", "av ", "door ", "af ", "від ", "автор: ", "author: ", "written by "]
    {
        if t.len() > prefix.len() && t.get(..prefix.len()).is_some_and(|p| p.to_lowercase() == *prefix) {
            t = t[prefix.len()..].to_string();
            break;
        }
    }
    let mut out = Vec::new();
    for part in
        t.split(" and ").flat_map(|p| p.split(" & ")).flat_map(|p| p.split(" und ")).flat_map(|p| p.split(" et "))
    {
        let mut name = part;
        for stop in BYLINE_STOPS {
            if let Some(i) = name.to_lowercase().find(stop) {
                // `find` on the lower-cased text gives a byte index that is valid only when case
                // folding kept lengths; check before cutting.
                if name.is_char_boundary(i) {
                    name = &name[..i];
                }
            }
        }
        let name = name.trim().trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
        if looks_like_name(name) {
            out.push(name.to_string());
        }
        if out.len() >= 5 {
            break;
        }
    }
    out
}

fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 5
        && s.chars().count() <= 60
        && !s.chars().any(|c| c.is_ascii_digit() || matches!(c, '@' | '/' | ':' | '#'))
        && words.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic()))
}

/// Whether a date like 05/10/2018 on this page puts the day first: everywhere but in American
/// English (and pages that do not say their language).
fn day_first(w: &Walk, language: Option<&str>) -> bool {
    let declared = w.lang.as_deref().unwrap_or("").to_ascii_lowercase();
    match language {
        None => false,
        Some("en") => !(declared.is_empty() || declared == "en" || declared.starts_with("en-us")),
        Some(_) => true,
    }
}

/// The date a short text shows, reading an ambiguous numeric date day first when `day_first`.
fn text_date(text: &str, day_first: bool) -> Option<String> {
    normalise_date(text).or_else(|| {
        if !day_first {
            return None;
        }
        static NUMERIC: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let re = NUMERIC.get_or_init(|| {
            regex::Regex::new(r"(?:^|[^\d])(\d{1,2})[./](\d{1,2})[./](\d{4})(?:$|[^\d])").expect("valid regex")
        });
        let c = re.captures(text)?;
        normalise_date(&format!("{}-{:0>2}-{:0>2}", &c[3], &c[2], &c[1]))
    })
}

fn fill_date(meta: &mut Meta, w: &Walk, ld: &LdArticle, h1_at: Option<u32>, day_first: bool) {
    let mut tried: Vec<String> = Vec::new();
    let mut take = |meta: &mut Meta, raw: &str, how: &str| -> bool {
        match normalise_date(raw) {
            Some(d) => {
                meta.published = Some(d);
                meta.notes.push(format!("published from {how}"));
                true
            }
            None => {
                tried.push(raw.trim().to_string());
                false
            }
        }
    };
    if let Some(d) = &ld.date {
        if take(meta, d, "JSON-LD datePublished") {
            return;
        }
    }
    for key in DATE_METAS {
        if let Some(d) = w.meta(key) {
            if take(meta, d, &format!("meta {key}")) {
                return;
            }
        }
    }
    // Dates shown in the page: not in comments, related links or footers, not a modification
    // date; marked publication dates first, then the first one from the headline on.
    let own: Vec<_> = w.dates.iter().filter(|d| !d.foreign && !d.modified).collect();
    let h1_at = h1_at.unwrap_or(0);
    let mut ranked: Vec<_> = own.iter().filter(|d| d.how != "the text near the title").collect();
    ranked.sort_by_key(|d| (!d.published, d.at < h1_at, d.at.abs_diff(h1_at)));
    for d in ranked {
        if take(meta, &d.value, d.how) {
            return;
        }
    }
    if let Some((d, how)) = meta.url.as_deref().and_then(date_in_url) {
        meta.published = Some(d);
        meta.notes.push(format!("published from {how}"));
        return;
    }
    let mut near: Vec<_> =
        own.iter().filter(|d| d.how == "the text near the title" && d.value.chars().count() <= 120).collect();
    near.sort_by_key(|d| (d.at < h1_at, d.at.abs_diff(h1_at)));
    for d in near {
        if !has_day_and_year(&d.value) || says_updated(&d.value) {
            continue;
        }
        if let Some(date) = text_date(&d.value, day_first) {
            meta.published = Some(date);
            meta.notes.push(format!("published from {}", d.how));
            return;
        }
    }
    // A short dated line just under the headline ("Published 18 June 2024"); without an <h1>,
    // the headline is the first text that reads as the title.
    let headline_at = if w.h1s.is_empty() {
        let title = meta.title.as_deref().map(str::to_lowercase);
        title.and_then(|t| w.pieces.iter().position(|p| w.piece_text(p).trim().to_lowercase() == t)).map(|i| i as u32)
    } else {
        Some(h1_at)
    };
    if let Some(h1_at) = headline_at {
        let foreign = |f: u32| f != super::walk::NONE && w.els[f as usize].furniture.is_some_and(|k| k.is_foreign());
        let window = w.pieces.iter().skip(h1_at as usize).take(8);
        for p in window.filter(|p| !foreign(p.furniture)) {
            let text = w.piece_text(p);
            if text.chars().count() <= 120 && has_day_and_year(text) && !says_updated(text) {
                if let Some(d) = text_date(text, day_first) {
                    meta.published = Some(d);
                    meta.notes.push("published from the text near the title".into());
                    return;
                }
            }
        }
    }
    if let Some(raw) = tried.first() {
        meta.notes.push(format!("date not understood: {}", shorten(raw, 60)));
    }
}

/// Words that mark a date as a later update, not the publication.
fn says_updated(s: &str) -> bool {
    let s = s.to_lowercase();
    [
        "updated",
        "update",
        "modified",
        "edited",
        "aktualisiert",
        "mis à jour",
        "actualizado",
        "aggiornato",
        "atualizado",
        "bijgewerkt",
        "oppdatert",
        "uppdaterad",
        "opdateret",
        "zaktualizowano",
        "обновлено",
        "päivitetty",
    ]
    .iter()
    .any(|w| s.contains(w))
}

/// A text date with a day and a four-digit year, not a lone year or a time.
fn has_day_and_year(s: &str) -> bool {
    let digits: Vec<&str> = s.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty()).collect();
    digits.iter().any(|t| t.len() == 4) && digits.iter().any(|t| t.len() <= 2)
}

/// The date in a URL path: `/2024/06/18/`, `/2024-06-18`, `/20240618/`, or a month `/2024/06/`.
pub(crate) fn date_in_url(url: &str) -> Option<(String, &'static str)> {
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    let num = |s: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten()
    };
    for (i, p) in parts.iter().enumerate() {
        if let Some(y) = num(p, 4..=4).filter(|y| (1990..=2100).contains(y)) {
            let m = parts.get(i + 1).and_then(|m| num(m, 1..=2)).filter(|m| (1..=12).contains(m));
            let d = parts.get(i + 2).and_then(|d| {
                // "/2024/06/18-story-slug" counts, "/2024/06/1234567/" does not.
                let lead: String = d.chars().take_while(char::is_ascii_digit).collect();
                let rest = &d[lead.len()..];
                (rest.is_empty() || rest.starts_with(['-', '_', '.'])).then(|| num(&lead, 1..=2)).flatten()
            });
            match (m, d) {
                (Some(m), Some(d)) => {
                    if let Some(iso) = normalise_date(&format!("{y:04}-{m:02}-{d:02}")) {
                        return Some((iso, "the URL"));
                    }
                }
                (Some(m), None) => return Some((format!("{y:04}-{m:02}"), "the URL (month only)")),
                _ => {}
            }
        }
        // "2024-06-18" or "20240618" as a whole segment or at the start of a slug.
        let lead: String = p.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
        let compact = lead.trim_end_matches('-');
        let iso = match compact.len() {
            10 if compact.as_bytes()[4] == b'-' && compact.as_bytes()[7] == b'-' => normalise_date(compact),
            8 if compact.bytes().all(|b| b.is_ascii_digit()) && compact.starts_with(['1', '2']) => {
                let y: u32 = compact[..4].parse().ok()?;
                if (1990..=2100).contains(&y) {
                    normalise_date(compact)
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some(iso) = iso {
            return Some((iso, "the URL"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_the_site_name() {
        assert_eq!(strip_site_suffix("Budget approved | The Gazette", None), "Budget approved");
        assert_eq!(strip_site_suffix("Budget approved - The Gazette", Some("The Gazette")), "Budget approved");
        assert_eq!(
            strip_site_suffix("Putin in Korea – It doesn't seem good", Some("ABC Nyheter")),
            "Putin in Korea – It doesn't seem good"
        );
        assert_eq!(strip_site_suffix("Story - BBC News", Some("bbc.co.uk")), "Story");
    }

    #[test]
    fn dates_in_urls() {
        let d = |u: &str| date_in_url(u).map(|(d, _)| d);
        assert_eq!(d("https://x.com/2024/06/18/story").as_deref(), Some("2024-06-18"));
        assert_eq!(d("https://x.com/news/2024/6/8/story.html").as_deref(), Some("2024-06-08"));
        assert_eq!(d("https://x.com/2019/11/18/20970600/slug").as_deref(), Some("2019-11-18"));
        assert_eq!(d("https://x.com/2024/06/story").as_deref(), Some("2024-06"));
        assert_eq!(d("https://x.com/a/2024-06-18-story").as_deref(), Some("2024-06-18"));
        assert_eq!(d("https://x.com/a/20240618/story").as_deref(), Some("2024-06-18"));
        assert_eq!(d("https://x.com/a/12345678/story"), None);
        assert_eq!(d("https://x.com/p/2024"), None);
        assert_eq!(d("https://x.com/a/2024/13/01/story"), None);
        assert_eq!(d("https://2024.x.com/a/story?d=2024/06/18"), None);
    }

    #[test]
    fn entities_in_json_strings() {
        assert_eq!(unescape("Tom &amp; Jerry &#8217;s &#x41; &bogus; &"), "Tom & Jerry ’s A &bogus; &");
        assert_eq!(unescape("&quot;https»//x"), "\"https»//x");
        assert_eq!(unescape("&a»»»»»»"), "&a»»»»»»");
    }

    #[test]
    fn numeric_dates_in_text() {
        assert_eq!(text_date("05/10/2018 - Publicado por: Clarissa", true).as_deref(), Some("2018-10-05"));
        assert_eq!(text_date("05/10/2018 - Posted by Clarissa", false), None, "American order cannot be ruled out");
        assert_eq!(text_date("18.06.2024", false).as_deref(), Some("2024-06-18"));
        assert_eq!(text_date("Published 18 June 2024", false).as_deref(), Some("2024-06-18"));
    }

    #[test]
    fn bylines_as_pages_write_them() {
        assert_eq!(names_in_byline("By Jane Doe and John Roe in Szeged"), vec!["Jane Doe", "John Roe"]);
        assert_eq!(names_in_byline("Oliver Brandt, Europe correspondent"), vec!["Oliver Brandt"]);
        assert_eq!(names_in_byline("Von Hans Müller | 18.06.2024"), vec!["Hans Müller"]);
        assert!(names_in_byline("Share this article on social media").is_empty());
    }

    #[test]
    fn next_data_paragraph_lists() {
        let raw = r#"{"props":{"pageProps":{"story":{"title":"T","blocks":[
            {"type":"paragraph","text":"First paragraph of the story."},
            {"type":"image","url":"x.jpg"},
            {"type":"paragraph","text":"Second <b>paragraph</b> of it."},
            {"type":"paragraph","text":"Third one."}]}}}}"#;
        assert_eq!(
            next_data_body(raw).as_deref(),
            Some("First paragraph of the story.\n\nSecond paragraph of it.\n\nThird one.")
        );
    }
}

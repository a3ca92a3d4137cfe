//! HTML pages: metadata from the head (Open Graph, JSON-LD, `<title>`), and the article's main
//! text found by text density — the container whose paragraphs hold the most unlinked text —
//! with navigation, sharing, related-links and other page furniture left out.
//!
//! Every walk over the DOM is iterative (ego-tree's `traverse`, parent links), so a page nested
//! a hundred thousand levels deep cannot overflow the stack.

use super::{
    paragraphs, push_byline, read_all, set_language, set_published, shorten, site_from_url, word_count, Format, Input,
    ReadAllError,
};
use crate::{decode, io_reason, Item, RawArticle, MB};
use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use newsgraph_doc::Meta;
use scraper::node::Element;
use scraper::{Html as Doc, Node};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

pub(crate) struct Html;

/// Fewer words than this is a teaser, an index page or an error page, not an article.
const MIN_WORDS: usize = 30;

const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

impl Format for Html {
    fn read(&self, mut input: Input<'_>, sink: &mut dyn FnMut(Item)) {
        let source = input.source;
        let (max, size) = (input.limits.html_max, input.size);
        let bytes = match read_all(&mut input, max) {
            Ok(b) => b,
            Err(ReadAllError::TooLarge) => {
                let reason = match size {
                    Some(s) => format!("file too large for HTML: {} MB", s.div_ceil(MB)),
                    None => format!("file too large for HTML: over {} MB", max / MB),
                };
                return sink(Item::reject(source, reason));
            }
            Err(ReadAllError::Io(e)) => return sink(Item::reject(source, io_reason(&e))),
        };
        let decoded = match decode::decode(&bytes, decode::declared_charset(&bytes)) {
            Ok(d) => d,
            Err(reason) => return sink(Item::reject(source, reason)),
        };
        drop(bytes);
        let meta = Meta { source: source.to_string(), notes: decoded.notes, ..Meta::default() };
        sink(article_from_html(meta, &decoded.text));
    }
}

pub(crate) fn article_from_html(mut meta: Meta, html: &str) -> Item {
    let flattened = limit_nesting(html, MAX_NESTING);
    if flattened.is_some() {
        meta.notes.push(format!("HTML nested over {MAX_NESTING} levels deep: deeper tags ignored"));
    }
    let doc = Doc::parse_document(flattened.as_deref().unwrap_or(html));
    let page = PageMeta::collect(&doc);
    page.fill(&mut meta);
    let title_h1 = page.title_h1(meta.title.as_deref());
    let mut protected = HashSet::new();
    for id in title_h1.iter().chain(&page.article_bodies) {
        let mut n = doc.tree.get(*id);
        while let Some(node) = n {
            protected.insert(node.id());
            n = node.parent();
        }
    }
    // Names are weak evidence: a container holding much of the page's prose is content whatever
    // it is called (WordPress marks articles "tag-…", ASP.NET wraps whole pages in a <form>).
    let unfiltered = collect_blocks(doc.tree.root(), &HashSet::new(), Filter::None);
    let prefix = prefix_sums(&unfiltered.list, text_weight);
    let prose = |(a, z): (usize, usize)| prefix[z] - prefix[a];
    let total = prose((0, unfiltered.list.len()));
    for (id, range) in &unfiltered.ranges {
        if total > 0.0 && prose(*range) >= 0.4 * total {
            protected.insert(*id);
        }
    }
    drop(unfiltered);
    let blocks = collect_blocks(doc.tree.root(), &protected, Filter::All);
    let mut body = main_text(&doc, &blocks, &page.article_bodies);
    let words = word_count(&body);
    if let Some(ld_body) = page.ld.body.as_deref().map(super::json::body_from_field) {
        let ld_words = word_count(&ld_body);
        // Pages behind a paywall often show a teaser but carry the whole text in JSON-LD.
        if ld_words >= MIN_WORDS && (words < MIN_WORDS || (words < 150 && ld_words > 2 * words)) {
            meta.notes.push("body taken from JSON-LD articleBody".into());
            body = ld_body;
        }
    }
    if word_count(&body) < MIN_WORDS {
        return Item::reject(meta.source, "no article text found");
    }
    Item::Article(RawArticle { meta, body })
}

/// Containers nested deeper than this are flattened before parsing: real pages stay far below it,
/// and the HTML tree builder's scope checks make each deeper level cost more than the last.
const MAX_NESTING: usize = 2000;

/// Block containers whose start tags make the tree builder scan the stack of open elements, and
/// that pages close reliably (unlike `p` or `li`), so counting them tracks the real depth.
fn is_counted_container(name: &[u8]) -> bool {
    matches!(
        name,
        b"div"
            | b"section"
            | b"article"
            | b"aside"
            | b"nav"
            | b"header"
            | b"footer"
            | b"main"
            | b"blockquote"
            | b"ul"
            | b"ol"
            | b"dl"
            | b"form"
            | b"fieldset"
            | b"figure"
            | b"details"
            | b"center"
            | b"address"
            | b"hgroup"
            | b"menu"
            | b"dir"
    )
}

/// Elements whose content is raw text: a "<div>" inside a script is not a tag.
fn is_raw_text(name: &[u8]) -> bool {
    matches!(
        name,
        b"script" | b"style" | b"textarea" | b"title" | b"xmp" | b"iframe" | b"noembed" | b"noframes" | b"plaintext"
    )
}

/// Drops the start and end tags of containers nested deeper than `max`, keeping their content;
/// `None` when the page is within the bound (the usual case, at the cost of one scan).
fn limit_nesting(html: &str, max: usize) -> Option<String> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut stack: Vec<(Vec<u8>, bool)> = Vec::new();
    let mut i = 0;
    // Case-insensitive search for an ASCII pattern that starts with '<' or '-'.
    let find = |from: usize, pat: &[u8]| {
        let mut at = from.min(b.len());
        while let Some(off) = b[at..].iter().position(|&c| c == pat[0]) {
            let p = at + off;
            if b.len() - p >= pat.len() && b[p..p + pat.len()].eq_ignore_ascii_case(pat) {
                return Some(p);
            }
            at = p + 1;
        }
        None
    };
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let j = i + off;
        if b[j..].starts_with(b"<!--") {
            i = find(j + 4, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let closing = b.get(j + 1) == Some(&b'/');
        let name_start = j + 1 + usize::from(closing);
        let name_len = b[name_start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        if name_len == 0 {
            i = j + 1;
            continue;
        }
        let name = b[name_start..name_start + name_len].to_ascii_lowercase();
        // The tag ends at the first '>' outside a quoted attribute value.
        let mut k = name_start + name_len;
        let mut quote = None;
        while k < b.len() {
            match (quote, b[k]) {
                (None, b'>') => break,
                (None, q @ (b'"' | b'\'')) => quote = Some(q),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            k += 1;
        }
        let end = (k + 1).min(b.len());
        let mut drop_tag = false;
        if closing {
            if is_counted_container(&name) {
                // Pop to the matching start tag if it is near the top; otherwise the end tag is
                // stray and changes nothing.
                if let Some(pos) = stack.iter().rev().take(8).position(|(n, _)| *n == name) {
                    let at = stack.len() - 1 - pos;
                    drop_tag = stack[at].1;
                    stack.truncate(at);
                }
            }
            i = end;
        } else if is_raw_text(&name) {
            let mut close = b"</".to_vec();
            close.extend_from_slice(&name);
            i = find(end, &close).unwrap_or(b.len());
        } else {
            if is_counted_container(&name) {
                drop_tag = stack.len() >= max;
                stack.push((name, drop_tag));
            }
            i = end;
        }
        if drop_tag {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..j]);
            copied = end;
        }
    }
    out.map(|mut o| {
        o.push_str(&html[copied..]);
        o
    })
}

/// What the page says about itself, gathered in one pass.
#[derive(Default)]
struct PageMeta {
    /// `<meta>` content by lower-cased property, name or itemprop; the first one wins.
    metas: HashMap<String, String>,
    title: Option<String>,
    h1s: Vec<(NodeId, String)>,
    lang: Option<String>,
    canonical: Option<String>,
    time: Option<String>,
    /// Elements marked `itemprop="articleBody"`: the page pointing at its own text.
    article_bodies: Vec<NodeId>,
    ld: LdArticle,
}

#[derive(Default)]
struct LdArticle {
    headline: Option<String>,
    date: Option<String>,
    authors: Vec<String>,
    publisher: Option<String>,
    body: Option<String>,
    lang: Option<String>,
    url: Option<String>,
}

impl PageMeta {
    fn collect(doc: &Doc) -> PageMeta {
        let mut p = PageMeta::default();
        let mut lds = Vec::new();
        for node in doc.tree.root().descendants() {
            let Node::Element(el) = node.value() else { continue };
            if &*el.name.ns != HTML_NS {
                continue;
            }
            match el.name() {
                "html" if p.lang.is_none() => {
                    p.lang = el.attr("lang").or_else(|| el.attr("xml:lang")).map(str::to_string);
                }
                "meta" => {
                    let content = el.attr("content").map(str::trim).filter(|c| !c.is_empty());
                    if let Some(content) = content {
                        for key in ["property", "name", "itemprop", "http-equiv"].iter().filter_map(|k| el.attr(k)) {
                            p.metas.entry(key.trim().to_ascii_lowercase()).or_insert_with(|| content.to_string());
                        }
                    }
                }
                "title" if p.title.is_none() => p.title = Some(text_of(node)).filter(|t| !t.is_empty()),
                "h1" => {
                    let t = text_of(node);
                    if !t.is_empty() {
                        p.h1s.push((node.id(), t));
                    }
                }
                "link" if p.canonical.is_none() => {
                    let rel = el.attr("rel").unwrap_or("").to_ascii_lowercase();
                    if rel.split_whitespace().any(|r| r == "canonical") {
                        p.canonical = el.attr("href").map(str::trim).filter(|h| h.contains("://")).map(str::to_string);
                    }
                }
                "script" if el.attr("type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) => {
                    let raw: String = node.children().filter_map(|c| c.value().as_text().map(|t| &**t)).collect();
                    if let Some(v) = parse_ld(&raw) {
                        lds.push(v);
                    }
                }
                "time" if p.time.is_none() => p.time = el.attr("datetime").map(str::to_string),
                _ => {}
            }
            match el.attr("itemprop") {
                Some("articleBody") => p.article_bodies.push(node.id()),
                Some("datePublished") => {
                    if let Some(d) = el.attr("datetime").or_else(|| el.attr("content")) {
                        p.metas.entry("datepublished".into()).or_insert_with(|| d.to_string());
                    }
                }
                _ => {}
            }
        }
        p.ld = LdArticle::from_values(&lds);
        p
    }

    fn meta(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| self.metas.get(*k)).map(String::as_str)
    }

    fn fill(&self, meta: &mut Meta) {
        meta.url = self
            .canonical
            .clone()
            .or_else(|| self.meta(&["og:url", "twitter:url"]).filter(|u| u.contains("://")).map(str::to_string))
            .or_else(|| self.ld.url.clone());
        meta.site = self
            .meta(&["og:site_name", "application-name", "twitter:site"])
            .map(|s| s.trim_start_matches('@').to_string())
            .or_else(|| self.ld.publisher.clone())
            .or_else(|| meta.url.as_deref().and_then(site_from_url));
        let site = meta.site.as_deref();
        meta.title = self
            .ld
            .headline
            .clone()
            .or_else(|| self.meta(&["og:title", "twitter:title"]).map(|t| strip_site_suffix(t, site)))
            .or_else(|| self.h1s.first().map(|(_, t)| t.clone()))
            .or_else(|| self.title.as_deref().map(|t| strip_site_suffix(t, site)))
            .map(|t| shorten(&t, 500));
        let date = self
            .meta(&["article:published_time", "og:published_time", "published_time"])
            .map(str::to_string)
            .or_else(|| self.ld.date.clone())
            .or_else(|| {
                self.meta(&[
                    "datepublished",
                    "date",
                    "pubdate",
                    "publishdate",
                    "publish-date",
                    "publish_date",
                    "article.published",
                    "parsely-pub-date",
                    "sailthru.date",
                    "dc.date",
                    "dc.date.issued",
                    "dcterms.date",
                    "citation_publication_date",
                ])
                .map(str::to_string)
            })
            .or_else(|| self.time.clone());
        if let Some(d) = date {
            set_published(meta, &d);
        }
        for a in &self.ld.authors {
            push_byline(meta, a);
        }
        if meta.byline.is_empty() {
            if let Some(a) = self.meta(&["author", "article:author", "parsely-author", "sailthru.author", "dc.creator"])
            {
                a.split([';', '|']).for_each(|a| push_byline(meta, a));
            }
        }
        let lang = self
            .lang
            .clone()
            .or_else(|| self.meta(&["content-language", "og:locale", "language"]).map(str::to_string))
            .or_else(|| self.ld.lang.clone());
        if let Some(l) = lang {
            set_language(meta, &l);
        }
    }

    /// The `<h1>` that is the article's headline (not a logo), when there is one.
    fn title_h1(&self, title: Option<&str>) -> Option<NodeId> {
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        if let Some(t) = title.map(norm) {
            if let Some((id, _)) = self.h1s.iter().find(|(_, h)| {
                let h = norm(h);
                h == t || (h.len() > 10 && t.contains(&h)) || (t.len() > 10 && h.contains(&t))
            }) {
                return Some(*id);
            }
        }
        self.h1s.first().map(|(id, _)| *id)
    }
}

fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        if let Some(t) = d.value().as_text() {
            s.push_str(t);
            s.push(' ');
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parse_ld(raw: &str) -> Option<Value> {
    let t = raw.trim();
    let t = t.strip_prefix("<!--").unwrap_or(t);
    let t = t.strip_suffix("-->").unwrap_or(t).trim();
    let t = t.strip_prefix("//<![CDATA[").or_else(|| t.strip_prefix("<![CDATA[")).unwrap_or(t);
    let t = t.strip_suffix("//]]>").or_else(|| t.strip_suffix("]]>")).unwrap_or(t).trim();
    let t = t.strip_suffix(';').unwrap_or(t);
    serde_json::from_str(t).ok()
}

impl LdArticle {
    fn from_values(values: &[Value]) -> LdArticle {
        // Find the article object among graphs, lists and nesting, without recursion and with a
        // bound on how much of a (possibly huge) structure is looked at.
        let mut stack: Vec<&Value> = values.iter().rev().collect();
        let mut best: Option<&serde_json::Map<String, Value>> = None;
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
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[..rest.len().min(12)].find(';');
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

/// Drops a " | Site" or " - Site" tail from a page title.
fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let squash = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " • "] {
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

/// One run of text that the page lays out as a block: a paragraph, a heading, a list item, or
/// loose text directly inside a container.
struct Block {
    /// The element that holds the text.
    owner: NodeId,
    tag: String,
    text: String,
    chars: usize,
    link_chars: usize,
    /// Text directly in a container (`div`, `section` …) rather than in a paragraph element.
    loose: bool,
}

impl Block {
    fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }
}

struct Blocks {
    list: Vec<Block>,
    /// For each element, the range of `list` its content produced.
    ranges: HashMap<NodeId, (usize, usize)>,
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "caption"
    )
}

/// Elements whose content is never article text.
fn is_skipped_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "header"
            | "footer"
            | "aside"
            | "form"
            | "figure"
            | "figcaption"
            | "iframe"
            | "svg"
            | "math"
            | "button"
            | "select"
            | "textarea"
            | "input"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "picture"
            | "map"
            | "dialog"
            | "head"
            | "title"
    )
}

/// Class and id words that mark page furniture, matched anywhere in the attribute.
const CLUTTER_PARTS: &[&str] = &[
    "share",
    "social",
    "related",
    "comment",
    "newsletter",
    "promo",
    "advert",
    "cookie",
    "subscribe",
    "footer",
    "breadcrumb",
    "caption",
    "credit",
    "sidebar",
    "sponsor",
    "outbrain",
    "taboola",
    "popup",
    "recommend",
    "signup",
    "sign-up",
    "read-more",
    "readmore",
    "more-stories",
    "most-popular",
    "mostpopular",
    "trending",
    "adsbygoogle",
    "sr-only",
    "visually-hidden",
    "screen-reader",
    "toolbar",
    "masthead",
    "byline",
    "author-bio",
    "paywall",
    "pagination",
    "consent",
    "gdpr",
];

/// Short class and id words that mark furniture only as whole words ("ad", not "head").
const CLUTTER_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "advertisement",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "print",
    "meta",
    "hidden",
    "hide",
    "skip",
    "widget",
    "banner",
    "login",
    "search",
    "rating",
    "pager",
    "tags",
    "tag",
    "dfp",
    "gpt",
    "modal",
];

fn is_clutter(el: &Element) -> bool {
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if let Some(role) = el.attr("role") {
        if matches!(
            role.trim(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "dialog"
                | "search"
                | "menu"
                | "menubar"
                | "toolbar"
        ) {
            return true;
        }
    }
    let mut names = String::new();
    for a in [el.attr("class"), el.attr("id")].into_iter().flatten() {
        names.push_str(&a.to_ascii_lowercase());
        names.push(' ');
    }
    if names.trim().is_empty() {
        return false;
    }
    CLUTTER_PARTS.iter().any(|p| names.contains(p))
        || names.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| CLUTTER_WORDS.contains(&w))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Filter {
    /// Leave out only what is never text (scripts, styles).
    None,
    /// Also leave out page furniture, known by its tag (nav, aside, figure …), class, id, role
    /// or hiding.
    All,
}

/// Splits a (sub)tree into text blocks in document order. `protected` elements are never dropped
/// as furniture.
fn collect_blocks(root: NodeRef<'_, Node>, protected: &HashSet<NodeId>, filter: Filter) -> Blocks {
    let mut out = Blocks { list: Vec::new(), ranges: HashMap::new() };
    let mut skip: Option<NodeId> = None;
    let mut open: Vec<(NodeId, usize)> = Vec::new();
    let mut owners: Vec<(NodeId, String)> = Vec::new();
    let mut buf = String::new();
    let mut links = 0usize;
    let (mut link_depth, mut pre_depth) = (0usize, 0usize);

    fn flush(
        buf: &mut String,
        links: &mut usize,
        owner: Option<&(NodeId, String)>,
        own_close: bool,
        list: &mut Vec<Block>,
    ) {
        let text = buf.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
        if let (false, Some((id, tag))) = (text.is_empty(), owner) {
            let chars = text.chars().filter(|c| !c.is_whitespace()).count();
            let loose = !matches!(
                tag.as_str(),
                "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "pre" | "blockquote" | "td" | "th" | "dd" | "dt"
            ) || !own_close;
            list.push(Block { owner: *id, tag: tag.clone(), text, chars, link_chars: (*links).min(chars), loose });
        }
        buf.clear();
        *links = 0;
    }

    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(el) => {
                        let tag = el.name();
                        let exempt = matches!(tag, "html" | "body" | "main") || protected.contains(&node.id());
                        let drop = filter == Filter::All && !exempt && (is_skipped_tag(tag) || is_clutter(el));
                        if drop || matches!(tag, "script" | "style" | "template" | "head" | "noscript" | "svg" | "math")
                        {
                            skip = Some(node.id());
                            continue;
                        }
                        open.push((node.id(), out.list.len()));
                        if is_block(tag) {
                            flush(&mut buf, &mut links, owners.last(), false, &mut out.list);
                            owners.push((node.id(), tag.to_string()));
                        } else if tag == "br" {
                            if buf.trim_end_matches(' ').ends_with('\n') {
                                flush(&mut buf, &mut links, owners.last(), false, &mut out.list);
                            } else {
                                buf.push('\n');
                            }
                        }
                        match tag {
                            "a" => link_depth += 1,
                            "pre" => pre_depth += 1,
                            _ => {}
                        }
                    }
                    Node::Text(t) => {
                        let added = append_text(&mut buf, t, pre_depth > 0);
                        if link_depth > 0 {
                            links += added;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(s) = skip {
                    if s == node.id() {
                        skip = None;
                    }
                    continue;
                }
                let Node::Element(el) = node.value() else { continue };
                let tag = el.name();
                if is_block(tag) {
                    flush(&mut buf, &mut links, owners.last(), true, &mut out.list);
                    owners.pop();
                }
                match tag {
                    "a" => link_depth = link_depth.saturating_sub(1),
                    "pre" => pre_depth = pre_depth.saturating_sub(1),
                    _ => {}
                }
                if let Some((id, start)) = open.pop() {
                    out.ranges.insert(id, (start, out.list.len()));
                }
            }
        }
    }
    flush(&mut buf, &mut links, owners.last(), false, &mut out.list);
    out
}

/// Appends text with white space collapsed (kept inside `<pre>`); returns the visible characters
/// added.
fn append_text(buf: &mut String, text: &str, pre: bool) -> usize {
    let mut added = 0;
    for c in text.chars() {
        if c == '\r' {
            continue;
        }
        if pre && c == '\n' {
            buf.push('\n');
        } else if c.is_whitespace() {
            if !buf.is_empty() && !buf.ends_with([' ', '\n']) {
                buf.push(' ');
            }
        } else {
            buf.push(c);
            added += 1;
        }
    }
    added
}

/// What a block is worth as evidence of article text: its unlinked characters, if it is long
/// enough to be prose.
fn block_score(b: &Block) -> f64 {
    let prose = b.tag == "p" || b.tag == "pre" || b.loose;
    if !prose || b.chars < 25 {
        return 0.0;
    }
    b.chars as f64 * (1.0 - b.link_density()).max(0.0)
}

/// `out[i]` is the sum of `f` over the first `i` blocks, so any range's sum costs two lookups.
fn prefix_sums(list: &[Block], f: impl Fn(&Block) -> f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(list.len() + 1);
    let mut acc = 0.0;
    out.push(acc);
    for b in list {
        acc += f(b);
        out.push(acc);
    }
    out
}

/// Any block's unlinked text, tables and lists included: what a container holds, for deciding
/// that it cannot be furniture.
fn text_weight(b: &Block) -> f64 {
    if b.chars < 25 {
        return 0.0;
    }
    b.chars as f64 * (1.0 - b.link_density()).max(0.0)
}

fn main_text(doc: &Doc, blocks: &Blocks, article_bodies: &[NodeId]) -> String {
    let tree = &doc.tree;
    // Each prose block credits its container fully and the container's parent by half.
    let mut order: Vec<NodeId> = Vec::new();
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    for b in &blocks.list {
        let s = block_score(b);
        if s == 0.0 {
            continue;
        }
        let Some(owner) = tree.get(b.owner) else { continue };
        let first = if b.loose { Some(owner) } else { owner.parent() };
        let second = first.and_then(|n| n.parent());
        for (node, share) in [(first, 1.0), (second, 0.5)] {
            let Some(node) = node.filter(|n| n.value().is_element()) else { continue };
            let e = scores.entry(node.id()).or_insert_with(|| {
                order.push(node.id());
                0.0
            });
            *e += s * share;
        }
    }
    let chars = prefix_sums(&blocks.list, |b| b.chars as f64);
    let links = prefix_sums(&blocks.list, |b| b.link_chars as f64);
    let range_density = |id: NodeId| {
        let (a, z) = blocks.ranges.get(&id).copied().unwrap_or((0, 0));
        let c = chars[z] - chars[a];
        if c == 0.0 {
            0.0
        } else {
            (links[z] - links[a]) / c
        }
    };
    let mut top: Option<(NodeId, f64)> = None;
    for id in &order {
        let s = scores[id] * (1.0 - range_density(*id));
        if top.is_none() || top.is_some_and(|(_, best)| s > best) {
            top = Some((*id, s));
        }
    }

    let mut selected: Vec<NodeId> = Vec::new();
    // A page that marks its article body is believed, if the mark holds real text — and if there
    // is only one: forums mark every post so.
    let marked: Vec<NodeId> = article_bodies
        .iter()
        .copied()
        .filter(|id| {
            let (a, z) = blocks.ranges.get(id).copied().unwrap_or((0, 0));
            chars[z] - chars[a] >= 200.0
        })
        .collect();
    if marked.len() == 1 {
        selected.extend(marked);
    }
    if selected.is_empty() {
        let Some((top_id, top_score)) = top else { return String::new() };
        selected.push(top_id);
        let top_node = tree.get(top_id).expect("scored node exists");
        if let Some(parent) = top_node.parent() {
            for sib in parent.children().filter(|c| c.id() != top_id) {
                let sib_score = scores.get(&sib.id()).copied().unwrap_or(0.0) * (1.0 - range_density(sib.id()));
                let good_p = blocks.ranges.get(&sib.id()).is_some_and(|&(a, z)| {
                    blocks.list[a..z]
                        .iter()
                        .any(|b| b.owner == sib.id() && b.tag == "p" && b.chars >= 80 && b.link_density() < 0.25)
                });
                if sib_score >= (top_score * 0.2).max(10.0) || good_p {
                    selected.push(sib.id());
                }
            }
        }
    }
    let mut ranges: Vec<(usize, usize)> = selected.iter().filter_map(|id| blocks.ranges.get(id).copied()).collect();
    ranges.sort_unstable();
    let mut parts: Vec<&str> = Vec::new();
    let mut done = 0;
    for (a, z) in ranges {
        for b in &blocks.list[a.max(done)..z] {
            if b.tag == "h1" && !b.loose {
                continue;
            }
            if b.link_density() > 0.5 {
                continue;
            }
            parts.push(&b.text);
        }
        done = done.max(z);
    }
    parts.join("\n\n")
}

/// Paragraphs of an HTML fragment whose every part is content (a JSON record's HTML body).
pub(crate) fn html_fragment_paragraphs(html: &str) -> String {
    let doc = Doc::parse_fragment(html);
    let blocks = collect_blocks(doc.tree.root(), &HashSet::new(), Filter::None);
    let text = blocks.list.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n\n");
    paragraphs(&text, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extract(html: &str) -> RawArticle {
        match article_from_html(Meta { source: "t.html".into(), ..Meta::default() }, html) {
            Item::Article(a) => a,
            Item::Rejected(r) => panic!("rejected: {}", r.reason),
        }
    }

    const PARA: &str = "The council voted on Tuesday to approve the new budget, which raises spending on \
                        schools and roads by four percent over the next two years.";

    #[test]
    fn picks_the_article_and_leaves_the_furniture() {
        let html = format!(
            r#"<html lang="en-GB"><head><title>Budget approved | The Gazette</title>
            <meta property="og:site_name" content="The Gazette">
            <meta property="article:published_time" content="2024-06-18T10:00:00Z">
            <meta name="author" content="Jane Doe"></head>
            <body><nav><ul><li><a href="/">Home</a></li><li><a href="/n">News</a></li></ul></nav>
            <div class="layout"><article><h1>Budget approved</h1>
              <div class="share-buttons">Share on Facebook</div>
              <p>{PARA}</p><h2>Reaction</h2><p>{PARA}</p>
              <figure><img src="x.jpg"><figcaption>The council chamber.</figcaption></figure>
              <blockquote><p>{PARA}</p></blockquote>
              <ul><li>First point of the plan.</li><li>Second point.</li></ul>
              <div class="related-links"><a href="/a">Other story with a long title here</a></div>
            </article>
            <aside><p>{PARA} (sidebar)</p></aside></div>
            <footer><p>Copyright The Gazette, all rights reserved, and other text long enough.</p></footer>
            </body></html>"#
        );
        let a = extract(&html);
        assert_eq!(a.meta.title.as_deref(), Some("Budget approved"));
        assert_eq!(a.meta.site.as_deref(), Some("The Gazette"));
        assert_eq!(a.meta.published.as_deref(), Some("2024-06-18"));
        assert_eq!(a.meta.byline, vec!["Jane Doe"]);
        assert_eq!(a.meta.language.as_deref(), Some("en"));
        let want = format!("{PARA}\n\nReaction\n\n{PARA}\n\n{PARA}\n\nFirst point of the plan.\n\nSecond point.");
        assert_eq!(a.body, want);
    }

    #[test]
    fn json_ld_metadata_and_body_fallback() {
        let html = r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},
             {"@type":"NewsArticle","headline":"Quake hits &amp; shakes","datePublished":"2024-06-18",
              "author":[{"@type":"Person","name":"A. Reporter"}],"publisher":{"name":"Daily X"},
              "inLanguage":"nb-NO",
              "articleBody":"An earthquake struck the region early on Tuesday morning. Residents reported strong shaking for nearly a minute, and officials said several older buildings were damaged but no one was hurt.\nSchools were closed for the day."}]}
            </script></head><body><p>Subscribe to read.</p></body></html>"#;
        let a = extract(html);
        assert_eq!(a.meta.title.as_deref(), Some("Quake hits & shakes"));
        assert_eq!(a.meta.byline, vec!["A. Reporter"]);
        assert_eq!(a.meta.site.as_deref(), Some("Daily X"));
        assert_eq!(a.meta.language.as_deref(), Some("nb"));
        assert!(a.body.ends_with("\n\nSchools were closed for the day."), "{}", a.body);
        assert!(a.meta.notes.iter().any(|n| n.contains("JSON-LD")));
    }

    #[test]
    fn density_without_article_element() {
        let html = format!(
            r#"<body><div id="menu"><a href="/">Home</a> <a href="/x">Sections and more</a></div>
            <div class="wrap"><div class="content"><p>{PARA}</p><p>{PARA}</p><p>Short one.</p></div>
            <div class="links"><p><a href="/a">{PARA}</a></p></div></div></body>"#
        );
        let a = extract(&html);
        assert_eq!(a.body, format!("{PARA}\n\n{PARA}\n\nShort one."));
        assert_eq!(a.meta.title, None);
    }

    #[test]
    fn line_breaks_and_loose_text() {
        let html = format!(r#"<body><div class="story">{PARA}<br>Second line.<br><br>{PARA}</div></body>"#);
        let a = extract(&html);
        assert_eq!(a.body, format!("{PARA}\nSecond line.\n\n{PARA}"));
    }

    #[test]
    fn no_text_is_rejected() {
        let r = article_from_html(
            Meta { source: "t.html".into(), ..Meta::default() },
            "<html><body><p>Hi.</p></body></html>",
        );
        assert!(matches!(r, Item::Rejected(r) if r.reason == "no article text found"));
    }

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
    fn deep_nesting_is_flattened() {
        let html = format!("<body>{}<p>{PARA}</p>{}</body>", "<div class='a>b'>".repeat(5), "</div>".repeat(5));
        let flat = limit_nesting(&html, 3).unwrap();
        assert_eq!(flat.matches("<div").count(), 3);
        assert_eq!(flat.matches("</div>").count(), 3);
        assert!(flat.contains(PARA));
        assert!(limit_nesting(&html, 5).is_none());
        let script = "<script>if (a < b) { x = '<div><div><div><div>'; }</script><div></div>";
        assert!(limit_nesting(script, 1).is_none());
    }

    #[test]
    fn fragments_keep_every_block() {
        assert_eq!(html_fragment_paragraphs("<p>A</p><div class=\"share\">B</div>"), "A\n\nB");
    }
}

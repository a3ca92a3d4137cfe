//! HTML pages: the article's main text and its metadata.
//!
//! The page goes through four steps, each in its own module:
//! - [`prescan`]: a byte-level pass cuts scripts, styles, SVG and comments (most of a page's
//!   bytes, never text), keeps JSON-LD and `__NEXT_DATA__` aside, and bounds nesting;
//! - the parser: html5ever through `scraper`, spec-compliant, so broken markup is repaired the
//!   way browsers repair it;
//! - [`walk`]: one iterative pass over the tree cuts the text into pieces, marks what looks like
//!   page furniture (navigation, related links, share bars, comments, notices, captions …) and
//!   gathers what the page says about itself;
//! - [`select`]: finds the container that holds the article's prose by text density, decides
//!   which furniture-looking elements really are furniture, and keeps the article's paragraphs;
//!   [`meta`] picks each metadata field from the best source and notes which; [`lang`] checks
//!   the declared language against the text.
//!
//! When the markup holds no article, the page's structured data may: JSON-LD `articleBody`, or
//! the article in Next.js's embedded app state. A page with no article text at all is rejected
//! with that reason, never returned as an empty article.

mod lang;
mod meta;
mod prescan;
mod select;
mod walk;

use super::{paragraphs, read_all, Format, Input, ReadAllError};
use crate::{decode, io_reason, Item, RawArticle, MB};
use newsgraph_doc::Meta;
use scraper::Html as Doc;

pub(crate) struct Html;

/// Fewer words than this is a teaser, an index page or an error page, not an article.
const MIN_WORDS: usize = 30;

/// Elements nested deeper than this are flattened before parsing: real pages stay far below it,
/// and the tree builder's scope checks walk the open elements for many start tags, so the depth
/// multiplies the time a page takes.
const MAX_NESTING: usize = 512;

const NO_ARTICLE: &str = "no article text found";

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
        // Most pages are valid UTF-8 without a byte-order mark: they are used as they are (the
        // reader has already checked the first bytes for binary data, the parser normalises line
        // ends, and the walk drops control characters), which spares a copy and two scans.
        let no_bom = !bytes.starts_with(&[0xef, 0xbb, 0xbf])
            && !bytes.starts_with(&[0xff, 0xfe])
            && !bytes.starts_with(&[0xfe, 0xff]);
        let decoded = match String::from_utf8(bytes) {
            Ok(text) if no_bom => Ok((text, Vec::new())),
            Ok(text) => decode_page(&text.into_bytes()),
            Err(e) => decode_page(e.as_bytes()),
        };
        let (text, notes) = match decoded {
            Ok(d) => d,
            Err(reason) => return sink(Item::reject(source, reason)),
        };
        let meta = Meta { source: source.to_string(), notes, ..Meta::default() };
        sink(article_from_html(meta, &text));
    }
}

/// Decodes a page that is not plain UTF-8 (a byte-order mark, a legacy charset, damage).
fn decode_page(bytes: &[u8]) -> Result<(String, Vec<String>), String> {
    decode::decode(bytes, decode::declared_charset(bytes)).map(|d| (d.text, d.notes))
}

pub(crate) fn article_from_html(mut meta: Meta, html: &str) -> Item {
    let prescan::Prescanned { html: slim, json_ld, next_data, flattened } = prescan::prescan(html, MAX_NESTING);
    if flattened {
        meta.notes.push(format!(
            "HTML nested over {MAX_NESTING} levels deep (or with too many open formatting tags): deeper tags ignored"
        ));
    }
    // Each stage's input is dropped as soon as the next holds what it needs: the tree is the
    // largest thing a page makes.
    let doc = Doc::parse_document(&slim);
    drop(slim);
    let mut w = walk::walk(doc.tree.root(), true);
    drop(doc);
    let ld_values: Vec<serde_json::Value> = json_ld.iter().filter_map(|raw| meta::parse_ld(raw)).collect();
    let ld = meta::LdArticle::from_values(&ld_values);
    drop(ld_values);

    let headline = title_h1(&w, &ld);
    meta::fill(&mut meta, &w, &ld, headline.map(|i| (w.h1s[i].1, w.h1s[i].2.as_str())));
    let headline_el = headline.map(|i| w.h1s[i].0);
    select::protect(&mut w, headline_el);
    let blocks = select::visible_blocks(&w);
    let chosen = select::main_blocks(&w, &blocks);
    // A home or section page has text, but it is other articles' teasers. (A page that says it
    // is an article may be a list of linked items — a round-up of deals — and is believed.)
    let says_article = w.meta("og:type").is_some_and(|t| t.eq_ignore_ascii_case("article"))
        || w.meta("article:published_time").is_some()
        || ld.date.is_some()
        || ld.body.is_some();
    let index_page = (chosen.teasers && !says_article) || is_front_page(&w, meta.url.as_deref());
    let mut body = String::new();
    let visible = |k: u32| select::is_visible(&w, k);
    for b in chosen.blocks.iter().filter(|_| !index_page) {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        select::block_text(&w, b, visible, &mut body);
    }
    drop(chosen);
    drop(blocks);

    let mut words = text_units(&body);
    // Pages behind a paywall, or rendered by scripts, often show a teaser (or nothing) but carry
    // the whole text in their structured data.
    if words < 150 {
        let fallbacks = [
            (ld.body.as_deref().map(crate::formats::json::body_from_field), "JSON-LD articleBody"),
            (next_data.and_then(meta::next_data_body), "__NEXT_DATA__ app state"),
        ];
        for (alt, how) in fallbacks {
            let Some(alt) = alt else { continue };
            let alt_words = text_units(&alt);
            if alt_words >= MIN_WORDS && (words < MIN_WORDS || (words < 150 && alt_words > 2 * words)) {
                meta.notes.push(format!("body taken from {how}"));
                body = alt;
                words = alt_words;
            }
        }
    }
    if words < MIN_WORDS || (words < 150 && is_error_page(&w)) {
        return Item::reject(meta.source, NO_ARTICLE);
    }
    check_language(&mut meta, &body);
    Item::Article(RawArticle { meta, body })
}

/// A site's front page: its URL is the site's root, and it says it is a website, not an article.
fn is_front_page(w: &walk::Walk, url: Option<&str>) -> bool {
    let root = url.and_then(|u| u.split_once("://")).is_some_and(|(_, rest)| {
        let path = rest.split(['?', '#']).next().unwrap_or("");
        path.split_once('/').is_none_or(|(_, p)| p.is_empty() || p == "index.html" || p == "index.php")
    });
    root && w.meta("og:type").is_none_or(|t| t.eq_ignore_ascii_case("website"))
}

/// Phrases of error pages' titles, lower-cased.
const ERROR_TITLES: &[&str] = &[
    "404",
    "error 404",
    "page not found",
    "file not found",
    "page cannot be found",
    "page could not be found",
    "seite nicht gefunden",
    "page introuvable",
    "página no encontrada",
    "pagina non trovata",
    "página não encontrada",
    "pagina niet gevonden",
    "страница не найдена",
    "sidan hittades inte",
    "siden blev ikke fundet",
    "fant ikke siden",
    "sivua ei löytynyt",
    "nie znaleziono strony",
];

/// An error page ("404 – Page not found"), told by its title or headline; only short pages are
/// asked, so an article about such errors is not mistaken for one.
fn is_error_page(w: &walk::Walk) -> bool {
    let says_error = |t: &str| {
        let t = t.to_lowercase();
        let t = t.split(" | ").next().unwrap_or(&t);
        ERROR_TITLES.iter().any(|e| {
            t.match_indices(e).any(|(i, _)| {
                let before = t[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                let after = t[i + e.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
                before && after
            })
        })
    };
    w.title.as_deref().is_some_and(says_error) || w.h1s.first().is_some_and(|(_, _, h)| says_error(h))
}

/// The `<h1>` that is the article's headline (not a logo): the one matching the title the page
/// declares, else the first.
fn title_h1(w: &walk::Walk, ld: &meta::LdArticle) -> Option<usize> {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let declared: Vec<String> =
        [w.meta("og:title"), w.meta("twitter:title"), ld.headline.as_deref(), w.title.as_deref()]
            .into_iter()
            .flatten()
            .map(norm)
            .filter(|t| !t.is_empty())
            .collect();
    let matching = w.h1s.iter().position(|(_, _, h)| {
        let h = norm(h);
        declared.iter().any(|t| *t == h || (h.len() > 10 && t.contains(&h)) || (t.len() > 10 && h.contains(t)))
    });
    matching.or(if w.h1s.is_empty() { None } else { Some(0) })
}

fn check_language(meta: &mut Meta, body: &str) {
    let Some(declared) = meta.language.clone() else { return };
    match lang::check(&declared, body) {
        lang::Verdict::Agrees => {}
        lang::Verdict::Is(found) => {
            meta.notes.push(format!("language declared {declared}, but the text reads as {found}: {found} used"));
            meta.language = Some(found.to_string());
        }
        lang::Verdict::Script(script) => {
            meta.notes
                .push(format!("language declared {declared}, but the text is in {script} script: left to detection"));
            meta.language = None;
        }
    }
}

/// Characters of scripts written without spaces between words.
fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F
        | 0x0E00..=0x0E7F | 0x0E80..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF)
}

/// How many words a text holds: white-space separated words, and for scripts written without
/// spaces (Chinese, Japanese, Thai …) one more word per two characters.
pub(crate) fn text_units(s: &str) -> usize {
    super::word_count(s) + s.chars().filter(|&c| is_unspaced(c)).count() / 2
}

/// Plain text of a small piece of inline HTML (a paragraph in a JSON structure): tags dropped,
/// entities decoded, white space collapsed.
fn squash_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    walk::squash(&meta::unescape(&out))
}

/// Paragraphs of an HTML fragment whose every part is content (a JSON record's HTML body).
pub(crate) fn html_fragment_paragraphs(html: &str) -> String {
    // The same bound on nesting as for pages: a record's body can be as hostile as a page.
    let slim = prescan::prescan(html, MAX_NESTING).html;
    let doc = Doc::parse_fragment(&slim);
    drop(slim);
    let w = walk::walk(doc.tree.root(), false);
    let mut text = String::new();
    for b in &select::visible_blocks(&w) {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        select::block_text(&w, b, |_| true, &mut text);
    }
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
    fn inline_furniture_leaves_the_paragraph_whole() {
        let html = format!(
            r#"<body><article><p>{PARA} Before the ad <span class="ad-slot">Advertisement</span> and after it.</p>
            <p>{PARA}</p></article></body>"#
        );
        let a = extract(&html);
        assert_eq!(a.body, format!("{PARA} Before the ad and after it.\n\n{PARA}"));
    }

    #[test]
    fn table_rows_read_as_lines() {
        let html = format!(
            r#"<body><article><p>{PARA}</p><table><tr><th>Pos</th><th>Player</th></tr>
            <tr><td>DL</td><td>Larry Ogunjobi</td></tr></table><p>{PARA}</p></article></body>"#
        );
        let a = extract(&html);
        assert_eq!(a.body, format!("{PARA}\n\nPos Player\n\nDL Larry Ogunjobi\n\n{PARA}"));
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
    fn words_in_unspaced_scripts() {
        assert_eq!(text_units("one two, three"), 3);
        assert_eq!(text_units("商標法違反の疑い"), 5);
        assert_eq!(text_units("iPhoneを販売"), 2);
    }

    #[test]
    fn fragments_keep_every_block() {
        assert_eq!(html_fragment_paragraphs("<p>A</p><div class=\"share\">B</div>"), "A\n\nB");
    }
}

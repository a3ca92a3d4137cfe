//! HTML pages: what the main-text extraction keeps and drops, metadata with the source of each
//! field, structured-data fallbacks, encodings and bad input. The pages are in `fixtures/html/`.

mod common;

use common::*;
use newsgraph_input::RawArticle;
use std::time::{Duration, Instant};

fn html(name: &str) -> RawArticle {
    article(read_one(&fixture(&format!("html/{name}"))))
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("html/{name}"))).unwrap()
}

fn notes_about<'a>(a: &'a RawArticle, field: &str) -> Vec<&'a str> {
    a.meta.notes.iter().map(String::as_str).filter(|n| n.starts_with(field)).collect()
}

// ---- main text: what is dropped, what is kept ----

const CLUTTER_BODY: &str = "The Harbour Bridge reopened to traffic on Tuesday morning, two years after engineers \
closed it when cracks were found in two of its steel supports.

The first vehicles crossed shortly after six o'clock, and by mid-morning the council said traffic in the town centre \
had already fallen by a third compared with the same day last week.

The repairs cost 42 million pounds, nearly twice the original estimate, which the council blames on the price of \
steel and on a year of delays during the pandemic.

What changed

Engineers replaced both damaged supports and strengthened the deck, which can now carry lorries of up to 44 \
tonnes, up from the 32 tonnes allowed before the closure.

Two new steel supports

A wider footpath on the seaward side

A separate cycle lane in each direction

It is a relief for everyone who has spent two years in traffic queues, and a good day for the town's shops.

Year Vehicles a day

2021 31,000

2024 (forecast) 34,500

The council said it would review the weight limits again next spring, once it has a full year of traffic data from \
the new sensors fitted under the deck.";

#[test]
fn the_article_and_nothing_else() {
    assert_eq!(html("clutter.html").body, CLUTTER_BODY);
}

#[test]
fn each_kind_of_furniture_is_dropped() {
    let body = html("clutter.html").body;
    for (kind, text) in [
        ("navigation", "Business"),
        ("breadcrumb", "Transport"),
        ("share bar", "Share on Facebook"),
        ("inline ad", "Advertisement"),
        ("caption", "Cars cross the bridge"),
        ("photo credit", "Photo: Ann Smith"),
        ("newsletter block", "morning briefing"),
        ("newsletter block", "Sign up for our free newsletter"),
        ("read-more block", "Read more"),
        ("paywall notice", "free articles this month"),
        ("related list", "Related stories"),
        ("related list", "survey finds"),
        ("comments", "3 comments"),
        ("comments", "cost overrun is a scandal"),
        ("cookie notice", "We use cookies"),
        ("footer", "All rights reserved"),
        ("headline (it is the title)", "Harbour bridge reopens after"),
        ("script", "dataLayer"),
        ("style", "min-height"),
    ] {
        assert!(!body.contains(text), "{kind} left in: {text:?}");
    }
}

#[test]
fn what_belongs_to_the_article_is_kept_in_order() {
    let body = html("clutter.html").body;
    let paragraphs: Vec<&str> = body.split("\n\n").collect();
    let at = |needle: &str| paragraphs.iter().position(|p| p.contains(needle)).unwrap_or_else(|| panic!("{needle}"));
    let order = [
        at("The Harbour Bridge reopened"),          // the lead
        at("The first vehicles crossed"),           // before an inline ad
        at("The repairs cost 42 million pounds"),   // after the ad
        at("What changed"),                         // a subheading
        at("A wider footpath on the seaward side"), // a list item
        at("It is a relief for everyone"),          // a block quote
        at("2021 31,000"),                          // a table row, cells on one line
        at("The council said it would review"),     // after the newsletter box
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn paragraph_breaks_survive() {
    let para = "The council voted on Tuesday to approve the new budget, which raises spending on schools and \
                roads by four percent over the next two years.";
    let page = format!(
        "<html><body><div class=\"story\"><p>{para}</p><p>{para}<br>A second line.</p>\
         <div>{para}<br><br>Loose text after a blank line.</div><pre>line one\nline two</pre></div></body></html>"
    );
    let a = article(bytes("p.html", "p.html", page.as_bytes()));
    assert_eq!(
        a.body,
        format!("{para}\n\n{para}\nA second line.\n\n{para}\n\nLoose text after a blank line.\n\nline one\nline two")
    );
}

#[test]
fn an_ad_inside_a_paragraph_leaves_the_paragraph_whole() {
    let page = format!(
        "<html><body><article><p>{PARA}</p><p>Before the ad <span class=\"ad\">Advertisement</span> and after \
         it, the sentence goes on to its end.</p><p>{PARA}</p></article></body></html>"
    );
    let a = article(bytes("p.html", "p.html", page.as_bytes()));
    assert_eq!(a.body, format!("{PARA}\n\nBefore the ad and after it, the sentence goes on to its end.\n\n{PARA}"));
}

// ---- structured data when the markup holds no article ----

#[test]
fn json_ld_article_body_behind_a_paywall() {
    let a = html("jsonld_body.html");
    assert!(a
        .body
        .starts_with("The state planning board approved the expansion of the copper mine on Monday, despite"));
    assert!(a.body.ends_with("\n\nThe towns said they would appeal the decision in court."), "{}", a.body);
    assert!(!a.body.contains("Subscribe"));
    assert_eq!(notes_about(&a, "body"), vec!["body taken from JSON-LD articleBody"]);
}

#[test]
fn next_js_app_state() {
    let a = html("next_data.html");
    assert_eq!(
        a.body,
        "The extension of the number 4 tram line opened on Monday, linking the university campus with the main \
         station for the first time.\n\nTrams will run every six minutes at peak times, and the city expects about \
         20,000 passengers a day on the new section within a year.\n\nThe project cost 180 million euros and was \
         finished three months ahead of schedule, the transport authority said."
    );
    assert_eq!(notes_about(&a, "body"), vec!["body taken from __NEXT_DATA__ app state"]);
}

// ---- metadata, each with its source ----

#[test]
fn metadata_from_open_graph_and_meta_tags() {
    let a = html("meta_og.html");
    assert_eq!(a.meta.title.as_deref(), Some("Stadtrat beschließt neuen Haushalt"), "site name dropped");
    assert_eq!(a.meta.site.as_deref(), Some("Rheinische Rundschau"));
    assert_eq!(a.meta.url.as_deref(), Some("https://rundschau.example/lokales/stadtrat-haushalt-2024"));
    assert_eq!(a.meta.byline, vec!["Anna Becker"]);
    assert_eq!(a.meta.published.as_deref(), Some("2024-03-05"), "published, not modified");
    assert_eq!(a.meta.language.as_deref(), Some("de"));
    assert_eq!(
        a.meta.notes,
        vec![
            "url from og:url",
            "site from og:site_name",
            "title from og:title",
            "language from <html lang>",
            "byline from meta author",
            "published from meta article:published_time",
        ]
    );
}

#[test]
fn metadata_from_json_ld() {
    let a = html("meta_jsonld.html");
    assert_eq!(a.meta.title.as_deref(), Some("Le festival de jazz attire un public record"));
    assert_eq!(a.meta.byline, vec!["Claire Martin", "Luc Bernard"]);
    assert_eq!(a.meta.published.as_deref(), Some("2024-07-14"));
    assert_eq!(a.meta.site.as_deref(), Some("Le Courrier du Lac"));
    assert_eq!(a.meta.url.as_deref(), Some("https://courrierdulac.example/culture/festival-jazz-record"));
    assert_eq!(a.meta.language.as_deref(), Some("fr"));
    assert_eq!(
        a.meta.notes,
        vec![
            "url from JSON-LD url",
            "site from JSON-LD publisher",
            "title from JSON-LD headline",
            "language from JSON-LD inLanguage",
            "byline from JSON-LD author",
            "published from JSON-LD datePublished",
        ]
    );
}

#[test]
fn metadata_from_the_page_itself() {
    let a = html("meta_page.html");
    assert_eq!(a.meta.title.as_deref(), Some("Flood warning issued for the river valley"));
    assert_eq!(a.meta.byline, vec!["Jane Doe", "John Roe"]);
    // Not the related story's date before it, nor the comment's after it.
    assert_eq!(a.meta.published.as_deref(), Some("2024-06-18"));
    assert_eq!(notes_about(&a, "title"), vec!["title from <h1>"]);
    assert_eq!(notes_about(&a, "byline"), vec!["byline from byline in the page"]);
    assert_eq!(notes_about(&a, "published"), vec!["published from <time datetime>"]);
    assert!(!a.body.contains("By Jane Doe"));
    assert!(!a.body.contains("Stay safe"));
}

#[test]
fn title_from_the_title_element_without_the_site_name() {
    let a = html("meta_title.html");
    assert_eq!(a.meta.title.as_deref(), Some("Library opens on Sundays from next month"));
    assert_eq!(notes_about(&a, "title"), vec!["title from <title>"]);
}

#[test]
fn date_from_the_url_and_a_relative_canonical_link() {
    let a = html("meta_url_date.html");
    assert_eq!(a.meta.url.as_deref(), Some("https://islandpost.example/news/2023/11/07/ferry-fares-rise"));
    assert_eq!(a.meta.published.as_deref(), Some("2023-11-07"));
    assert_eq!(a.meta.site.as_deref(), Some("islandpost.example"));
    assert_eq!(notes_about(&a, "url"), vec!["url from canonical link"]);
    assert_eq!(notes_about(&a, "published"), vec!["published from the URL"]);
    assert_eq!(notes_about(&a, "site"), vec!["site from the URL"]);
}

#[test]
fn date_from_the_text_under_the_headline_not_the_update() {
    let a = html("meta_text_date.html");
    assert_eq!(a.meta.published.as_deref(), Some("2024-06-18"));
    assert_eq!(notes_about(&a, "published"), vec!["published from the text near the title"]);
}

#[test]
fn declared_language_is_checked_against_the_text() {
    let a = html("lang_mismatch.html");
    assert_eq!(a.meta.language.as_deref(), Some("de"));
    assert_eq!(
        notes_about(&a, "language"),
        vec!["language from <html lang>", "language declared en, but the text reads as de: de used"]
    );
    let agrees = html("meta_og.html");
    assert!(!agrees.meta.notes.iter().any(|n| n.contains("reads as")));
}

// ---- encodings ----

#[test]
fn declared_legacy_charsets() {
    let ja = html("shift_jis.html");
    assert_eq!(ja.meta.title.as_deref(), Some("東京都が新しい防災計画を発表"));
    assert!(ja.body.starts_with("東京都は火曜日、新しい防災計画を発表し"), "{}", ja.body);
    let fr = html("windows1252_http_equiv.html");
    assert!(fr.body.contains("« Chez Élise »") && fr.body.contains("80 000 €") && fr.body.contains("l’année"));
    for a in [&ja, &fr] {
        assert!(!a.meta.notes.iter().any(|n| n.contains("encoding") || n.contains("invalid")), "{:?}", a.meta.notes);
        assert!(!a.body.contains('\u{fffd}'));
    }
}

#[test]
fn byte_order_marks_outrank_declarations() {
    let utf8 = html("utf8_bom_wrong_meta.html");
    let utf16 = html("utf16le_bom.html");
    for a in [&utf8, &utf16] {
        assert_eq!(a.meta.title.as_deref(), Some("Wohngeld jetzt online beantragen"));
        assert!(a.body.starts_with("Die Bürgerinnen und Bürger können ab Montag"), "{}", a.body);
        assert!(!a.body.contains('\u{feff}'));
    }
}

#[test]
fn undeclared_legacy_charset_is_detected_and_noted() {
    let a = html("koi8r_undeclared.html");
    assert_eq!(a.meta.title.as_deref(), Some("Совет утвердил бюджет"));
    assert!(a.body.starts_with("Городской совет во вторник утвердил новый бюджет"), "{}", a.body);
    assert!(a.meta.notes.iter().any(|n| n.starts_with("encoding guessed: KOI8")), "{:?}", a.meta.notes);
}

// ---- bad input ----

#[test]
fn truncated_html_keeps_what_arrived() {
    let page = fixture_text("clutter.html");
    let cut = page.find("It is a relief").unwrap() + "It is a relief for everyone".len();
    let a = article(bytes("cut.html", "cut.html", &page.as_bytes()[..cut]));
    assert!(a.body.starts_with("The Harbour Bridge reopened to traffic"));
    assert!(a.body.ends_with("It is a relief for everyone"), "{}", a.body);
    // Cut inside a tag.
    let cut = page.find("<h2>What").unwrap() + 3;
    let a = article(bytes("cut.html", "cut.html", &page.as_bytes()[..cut]));
    assert!(a.body.ends_with("during the pandemic."), "{}", a.body);
}

#[test]
fn a_50_mb_page_is_refused_at_once() {
    let mut page = page(&format!("<p>{PARA}</p>").repeat(10)).into_bytes();
    page.resize(50 * 1024 * 1024, b' ');
    let start = Instant::now();
    let r = rejection(bytes("big.html", "big.html", &page));
    assert_eq!(r.reason, "file too large for HTML: 50 MB");
    let r = rejection(bytes("big.html.gz", "big.html.gz", &gz(&page)));
    assert_eq!(r.reason, "file too large for HTML: over 20 MB");
    assert!(start.elapsed() < Duration::from_secs(20), "{:?}", start.elapsed());
}

#[test]
fn a_large_page_within_the_limit_takes_time_in_proportion() {
    // About 5 MB of paragraphs, links and furniture (under 4 MB of it text, an article's limit).
    let unit = format!(
        "<div class=\"item\"><p>{PARA}</p><ul><li><a href=\"/x\">A link to another story</a></li></ul>\
         <div class=\"share\">Share</div><script>var x = '<div>';</script></div>"
    );
    let page = page(&unit.repeat(5 * 1024 * 1024 / unit.len()));
    let start = Instant::now();
    let a = article(bytes("large.html", "large.html", page.as_bytes()));
    assert!(a.body.starts_with(PARA));
    assert!(start.elapsed() < Duration::from_secs(60), "{:?}", start.elapsed());
}

#[test]
fn nesting_100000_deep_does_not_overflow() {
    let depth = 100_000;
    for (open, close) in [
        ("<div>", "</div>"),
        ("<span>", "</span>"),
        ("<b>", "</b>"),
        ("<a href=x>", "</a>"),
        ("<blockquote>", "</blockquote>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<ul><li>", "</li></ul>"),
        ("<font>", ""),
        ("<p>", ""),
    ] {
        let body = format!("{}<p>{PARA}</p><p>{PARA}</p>{}", open.repeat(depth), close.repeat(depth));
        let start = Instant::now();
        let items = bytes("deep.html", "deep.html", page(&body).as_bytes());
        assert!(start.elapsed() < Duration::from_secs(60), "{open}: {:?}", start.elapsed());
        // Whatever the parser makes of it, there is a record: an article or an honest rejection.
        assert_eq!(items.len(), 1, "{open}");
    }
}

#[test]
fn binary_data_named_html() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4000u32).map(|i| (i * 7919 % 251) as u8));
    assert_eq!(rejection(bytes("photo.html", "photo.html", &png)).reason, "binary data, not text");
}

#[test]
fn pages_without_an_article_say_so() {
    for name in ["home_page.html", "error_page.html"] {
        let r = rejection(read_one(&fixture(&format!("html/{name}"))));
        assert_eq!(r.reason, "no article text found", "{name}");
    }
    // A section page of teasers, even without the home page's URL.
    let section =
        fixture_text("home_page.html").replace("https://valleytimes.example/", "https://valleytimes.example/news/");
    assert_eq!(rejection(bytes("s.html", "s.html", section.as_bytes())).reason, "no article text found");
    for empty in ["<html><body></body></html>", "<html><head><script>var a = 1;</script></head></html>", "<p>Hi.</p>"] {
        assert_eq!(rejection(bytes("e.html", "e.html", empty.as_bytes())).reason, "no article text found");
    }
}

#[test]
fn a_round_up_of_linked_items_that_says_it_is_an_article_is_kept() {
    let items: String = (1..=4)
        .map(|i| format!("<h2><a href=\"/deal{i}\">Deal number {i} of the week</a></h2><p>{PARA}</p>"))
        .collect();
    let html = format!(
        "<html><head><meta property=\"og:type\" content=\"article\"></head><body><article>{items}</article></body></html>"
    );
    let a = article(bytes("deals.html", "deals.html", html.as_bytes()));
    assert_eq!(a.body.matches(PARA).count(), 4);
    let teasers = html.replace("content=\"article\"", "content=\"website\"");
    assert_eq!(rejection(bytes("list.html", "list.html", teasers.as_bytes())).reason, "no article text found");
}

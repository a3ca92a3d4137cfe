//! RSS and Atom feeds, and WARC archives (plain and gzip, one member per record as crawlers write).

mod common;
use common::*;

const PAGE: &str = "<html lang=\"en\"><head><title>Dam opens | River Times</title></head><body><article><h1>Dam opens</h1>\
<p>The new dam on the river opened on Monday after six years of building, officials said at a ceremony.</p>\
<p>Engineers expect it to supply power to two hundred thousand homes in the region by next spring.</p></article></body></html>";

fn warc_record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-06-18T10:00:00Z\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut h = format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n", body.len())
        .into_bytes();
    h.extend_from_slice(body);
    h
}

fn archive() -> Vec<Vec<u8>> {
    vec![
        b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 9\r\n\r\nsoftware\n\r\n\r\n".to_vec(),
        warc_record("request", "https://news.example/dam", b"GET /dam HTTP/1.1\r\n\r\n"),
        warc_record(
            "response",
            "https://news.example/dam",
            &http("200 OK", "text/html; charset=utf-8", PAGE.as_bytes()),
        ),
        warc_record(
            "response",
            "https://news.example/logo.png",
            &http("200 OK", "image/png", &[0x89, b'P', b'N', b'G', 0, 0, 1, 2]),
        ),
        warc_record("response", "https://news.example/gone", &http("404 Not Found", "text/html", b"<html>gone</html>")),
    ]
}

#[test]
fn warc_responses_become_articles() {
    let data: Vec<u8> = archive().concat();
    let (articles, rejected) = split(bytes("crawl.warc", "crawl.warc", &data));
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].meta.url.as_deref(), Some("https://news.example/dam"));
    assert_eq!(articles[0].meta.source, "crawl.warc:3");
    assert!(articles[0].body.contains("six years of building"));
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert_eq!(rejected[0].reason, "HTTP status 404");
}

#[test]
fn warc_gz_with_one_member_per_record() {
    let data: Vec<u8> = archive().iter().flat_map(|r| gz(r)).collect();
    let (articles, _) = split(bytes("crawl.warc.gz", "crawl.warc.gz", &data));
    assert_eq!(articles.len(), 1);
}

#[test]
fn truncated_warc_keeps_what_was_read() {
    let mut data: Vec<u8> = archive()[..3].concat();
    data.extend_from_slice(
        &warc_record("response", "https://news.example/b", &http("200 OK", "text/html", PAGE.as_bytes()))[..200],
    );
    let (articles, rejected) = split(bytes("cut.warc", "cut.warc", &data));
    assert_eq!(articles.len(), 1);
    assert_eq!(rejected.last().map(|r| r.reason.as_str()), Some("truncated WARC record"));
}

#[test]
fn rss_items_with_full_content_or_summary() {
    let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>River Times</title><link>https://news.example/</link>
<item><title>Dam opens</title><link>https://news.example/dam</link><guid>dam-1</guid>
<pubDate>Tue, 18 Jun 2024 10:00:00 GMT</pubDate><dc:creator>Ann Author</dc:creator>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>The new dam opened on Monday &amp; power flows.</p><p>Second paragraph here.</p>]]></content:encoded></item>
<item><title>Bridge closes &amp; traffic slows</title><link>https://news.example/bridge</link>
<description>&lt;p&gt;The old bridge closed for repairs on Tuesday.&lt;/p&gt;</description></item>
</channel></rss>"#;
    let (articles, rejected) = split(bytes("feed.rss", "feed.rss", rss.as_bytes()));
    assert!(rejected.is_empty(), "{rejected:?}");
    assert_eq!(articles.len(), 2);
    let a = &articles[0];
    assert_eq!(a.meta.title.as_deref(), Some("Dam opens"));
    assert_eq!(a.meta.url.as_deref(), Some("https://news.example/dam"));
    assert_eq!(a.meta.input_id.as_deref(), Some("dam-1"));
    assert_eq!(a.meta.published.as_deref(), Some("2024-06-18"));
    assert_eq!(a.meta.byline, vec!["Ann Author"]);
    assert_eq!(a.meta.site.as_deref(), Some("River Times"));
    assert!(a.body.contains("The new dam opened on Monday & power flows.\n\nSecond paragraph here."), "{}", a.body);
    let b = &articles[1];
    assert_eq!(b.meta.title.as_deref(), Some("Bridge closes & traffic slows"));
    assert!(b.body.contains("The old bridge closed for repairs on Tuesday."), "{}", b.body);
    assert_eq!(b.meta.source, "feed.rss:2");
}

#[test]
fn atom_entries() {
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lake Post</title>
<entry><title>Ferry resumes</title><link rel="alternate" href="https://lake.example/ferry"/><id>urn:ferry</id>
<published>2024-05-02T08:00:00Z</published><author><name>Bo Writer</name></author>
<content type="html">&lt;p&gt;The ferry across the lake resumed service on Thursday morning.&lt;/p&gt;</content></entry>
</feed>"#;
    let a = article(bytes("lake.atom", "lake.atom", atom.as_bytes()));
    assert_eq!(a.meta.url.as_deref(), Some("https://lake.example/ferry"));
    assert_eq!(a.meta.published.as_deref(), Some("2024-05-02"));
    assert_eq!(a.meta.byline, vec!["Bo Writer"]);
    assert!(a.body.contains("The ferry across the lake resumed service"), "{}", a.body);
}

#[test]
fn a_feed_is_recognised_whatever_its_name() {
    let rss = "<rss version=\"2.0\"><channel><title>T</title><item><title>A</title><description>Body text of the item here.</description></item></channel></rss>";
    let (articles, _) = split(bytes("feed", "feed", rss.as_bytes()));
    assert_eq!(articles.len(), 1);
}

#[test]
fn broken_feed_keeps_earlier_items() {
    let rss = "<rss><channel><item><title>A</title><description>First item text.</description></item><item><title>B</title><description>unclosed";
    let (articles, rejected) = split(bytes("broken.rss", "broken.rss", rss.as_bytes()));
    assert_eq!(articles.len(), 1);
    assert!(!rejected.is_empty());
}

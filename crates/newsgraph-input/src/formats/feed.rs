//! RSS 2.0, RSS 1.0 (RDF) and Atom feeds: each item or entry becomes an article, its text the
//! full content when the feed carries it, else the summary. XML is parsed with `quick-xml`
//! as a stream of events, so a feed is read item by item.

use super::{html_fragment_paragraphs, read_all, Format, Input, ReadAllError};
use crate::{date, decode, Item};
use newsgraph_doc::Meta;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::BufRead;

pub(crate) struct Feed;

#[derive(Default)]
struct Entry {
    title: String,
    link: String,
    id: String,
    date: String,
    authors: Vec<String>,
    summary: String,
    content: String,
}

/// The local name of an element, without its namespace prefix ("content:encoded" → "encoded").
fn local(s: &str) -> String {
    match s.rsplit_once(':') {
        Some((prefix, l)) if prefix == "content" && l == "encoded" => "content".into(),
        Some((prefix, l)) if prefix == "dc" && l == "creator" => "author".into(),
        Some((prefix, l)) if prefix == "dc" && l == "date" => "pubdate".into(),
        Some((_, l)) => l.to_ascii_lowercase(),
        None => s.to_ascii_lowercase(),
    }
}

impl Format for Feed {
    fn read(&self, mut input: Input<'_>, sink: &mut dyn FnMut(Item)) {
        let source = input.source.to_string();
        let head = match input.reader.fill_buf() {
            Ok(h) => h[..h.len().min(4096)].to_vec(),
            Err(e) => return sink(Item::reject(source, format!("cannot read: {e}"))),
        };
        // A feed that says (or, without a byte-order mark, defaults to) UTF-8 and is large, or of
        // unknown size, is parsed straight from the stream so memory holds one item at a time;
        // other feeds are read whole, so that a legacy or wrong charset can be detected and decoded.
        let utf8 = match decode::declared_charset(&head) {
            Some(enc) => enc == encoding_rs::UTF_8,
            None => !head.starts_with(&[0xFF, 0xFE]) && !head.starts_with(&[0xFE, 0xFF]),
        };
        let small = input.size.is_some_and(|n| n <= input.limits.feed_whole_max);
        if utf8 && !small {
            let max_item = input.limits.record_max;
            return parse(Reader::from_reader(input.reader), &source, max_item, sink);
        }
        let max = input.limits.json_object_max;
        let bytes = match read_all(&mut input, max) {
            Ok(b) => b,
            Err(ReadAllError::TooLarge) => return sink(Item::reject(source, "file too large for a feed")),
            Err(ReadAllError::Io(e)) => return sink(Item::reject(source, format!("cannot read: {e}"))),
        };
        let text = match decode::decode(&bytes, decode::declared_charset(&bytes)) {
            Ok(d) => d.text,
            Err(reason) => return sink(Item::reject(source, reason)),
        };
        parse(Reader::from_reader(text.as_bytes()), &source, input.limits.record_max, sink);
    }
}

/// Turns the XML events of a feed into articles, one item at a time; an item whose text passes
/// `max_item` bytes is rejected rather than held.
fn parse<R: BufRead>(mut reader: Reader<R>, source: &str, max_item: u64, sink: &mut dyn FnMut(Item)) {
    let mut buf = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut entry: Option<Entry> = None;
    let mut oversized = false;
    let mut count = 0usize;
    let mut feed_site = String::new();
    loop {
        buf.clear();
        let mut text = None;
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                let name = local(e.name().as_ref());
                if name == "item" || name == "entry" {
                    entry = Some(Entry::default());
                    oversized = false;
                }
                path.push(name);
            }
            // Atom links: <link rel="alternate" href="…"/>
            Ok(Event::Empty(e)) if local(e.name().as_ref()) == "link" => {
                if let Some(entry) = entry.as_mut() {
                    let mut href = String::new();
                    let mut rel = String::from("alternate");
                    for a in e.attributes().flatten() {
                        let v = a.value.to_string();
                        match a.key.as_ref() {
                            "href" => href = v,
                            "rel" => rel = v,
                            _ => {}
                        }
                    }
                    if rel == "alternate" && entry.link.is_empty() {
                        entry.link = href;
                    }
                }
            }
            Ok(Event::Text(t)) => text = Some(t.xml10_content().into_owned()),
            Ok(Event::CData(c)) => text = Some(c.xml10_content().into_owned()),
            Ok(Event::GeneralRef(r)) => {
                // an entity reference between text pieces ("&amp;")
                text = Some(match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match r.xml10_content().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        _ => String::new(),
                    },
                });
            }
            Ok(Event::End(_)) => {
                let name = path.pop().unwrap_or_default();
                if name == "item" || name == "entry" {
                    if let Some(e) = entry.take() {
                        count += 1;
                        if oversized {
                            sink(Item::reject(format!("{source}:{count}"), "feed item too large"));
                        } else {
                            sink(article(source, count, e, &feed_site));
                        }
                    }
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                sink(Item::reject(
                    format!("{source}:{}", count + 1),
                    format!("feed XML broken at byte {}: {e}", reader.buffer_position()),
                ));
                // an item read in part is not kept
                entry = None;
                break;
            }
            _ => {}
        }
        if let Some(value) = text {
            if !oversized {
                take_text(&path, entry.as_mut(), &mut feed_site, &value);
                if entry.as_ref().is_some_and(|e| e.size() as u64 > max_item) {
                    // drop what was gathered; the item is rejected when it ends
                    oversized = true;
                    entry = Some(Entry::default());
                }
            }
        }
    }
    if entry.is_some() {
        sink(Item::reject(format!("{source}:{}", count + 1), "feed ends inside an item (truncated?)"));
    } else if count == 0 {
        sink(Item::reject(source, "no items in the feed"));
    }
}

impl Entry {
    fn size(&self) -> usize {
        self.title.len() + self.summary.len() + self.content.len() + self.link.len() + self.id.len()
    }
}

fn take_text(path: &[String], entry: Option<&mut Entry>, feed_site: &mut String, value: &str) {
    let Some(field) = path.last() else { return };
    let Some(e) = entry else {
        // the channel's own title names the site
        if field == "title" && feed_site.is_empty() && path.len() <= 3 {
            *feed_site = value.trim().to_string();
        }
        return;
    };
    let push = |s: &mut String| s.push_str(value);
    match field.as_str() {
        "title" => push(&mut e.title),
        "link" => push(&mut e.link),
        "guid" | "id" => push(&mut e.id),
        // the first date an entry gives is its publication date
        "pubdate" | "published" | "updated" | "date" if e.date.is_empty() => push(&mut e.date),
        "description" | "summary" => push(&mut e.summary),
        "content" => push(&mut e.content),
        "author" | "creator" | "name" => {
            let v = value.trim();
            if !v.is_empty() && !e.authors.iter().any(|a| a == v) {
                e.authors.push(v.to_string());
            }
        }
        _ => {}
    }
}

fn article(source: &str, n: usize, e: Entry, site: &str) -> Item {
    let here = format!("{source}:{n}");
    let html = if e.content.trim().is_empty() { &e.summary } else { &e.content };
    let body = html_fragment_paragraphs(html);
    let mut meta = Meta { source: here.clone(), ..Meta::default() };
    meta.title = Some(e.title.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty());
    meta.url = Some(e.link.trim().to_string()).filter(|l| !l.is_empty());
    meta.input_id = Some(e.id.trim().to_string()).filter(|l| !l.is_empty());
    meta.byline = e.authors;
    meta.site = Some(site.to_string()).filter(|s| !s.is_empty());
    if !e.date.trim().is_empty() {
        meta.published = date::normalise_date(e.date.trim());
        if meta.published.is_none() {
            meta.notes.push(format!("date not understood: {}", e.date.trim()));
        }
    }
    if e.content.trim().is_empty() {
        meta.notes.push("feed item without full content: the summary is the text".into());
    }
    if body.trim().is_empty() {
        match meta.title.clone() {
            Some(t) => {
                meta.notes.push("no body text: the title stands in for it".into());
                return Item::Article(crate::RawArticle { meta, body: t });
            }
            None => return Item::reject(here, "feed item with neither title nor text"),
        }
    }
    Item::Article(crate::RawArticle { meta, body })
}

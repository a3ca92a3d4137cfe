//! JSON and JSON Lines as news scrapers write them (news-please, newspaper, Trafilatura, NewsAPI,
//! CommonCrawl dumps): one article per object, under the field names those tools use.
//!
//! Memory stays bounded however large the file: JSON Lines is read a line at a time, a top-level
//! array an element at a time (split by a small scanner, each element parsed on its own), and only
//! a lone top-level object is held whole, up to a cap.

use super::{
    html_fragment_paragraphs, paragraphs, push_byline, set_language, set_published, set_published_unix, site_from_url,
    Format, Input,
};
use crate::{decode, io_reason, Item, RawArticle, MB};
use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE};
use newsgraph_doc::Meta;
use serde_json::{Map, Value};
use std::io::{self, BufRead, BufReader, Read};

pub(crate) struct Json {
    /// JSON Lines: every line is its own record, and a broken line never affects another.
    pub lines: bool,
}

const TEXT_FIELDS: &[&str] = &["text", "maintext", "body", "content", "article", "articleBody", "full_text"];
const NO_TEXT: &str = "no text field (looked for text, maintext, body, content)";
const TITLE_FIELDS: &[&str] = &["title", "headline"];
const ID_FIELDS: &[&str] = &["id", "_id"];
const URL_FIELDS: &[&str] = &["url", "link", "sourceUrl", "source_url", "canonical_url"];
const DATE_FIELDS: &[&str] = &[
    "date",
    "date_publish",
    "published",
    "publish_date",
    "pubDate",
    "publishedAt",
    "published_at",
    "datePublished",
    "date_published",
    "pub_date",
];
const AUTHOR_FIELDS: &[&str] = &["authors", "author", "byline", "creator"];
const SITE_FIELDS: &[&str] = &["source", "source_domain", "site", "site_name", "sourceName", "publisher", "domain"];
const LANG_FIELDS: &[&str] = &["lang", "language", "inLanguage", "locale"];
/// Fields under which API responses and dumps wrap a list of articles in one object.
const LIST_FIELDS: &[&str] =
    &["articles", "items", "data", "results", "documents", "docs", "records", "entries", "posts"];

impl Format for Json {
    fn read(&self, input: Input<'_>, sink: &mut dyn FnMut(Item)) {
        let source = input.source;
        let limits = input.limits;
        let mut file_notes = Vec::new();
        let mut reader: Box<dyn BufRead + '_> = Box::new(input.reader);
        match utf16(&mut reader) {
            Ok(Some((enc, bom))) => {
                if !bom {
                    file_notes.push(format!("encoding guessed: {}", enc.name()));
                }
                let decoder =
                    if bom { enc.new_decoder_with_bom_removal() } else { enc.new_decoder_without_bom_handling() };
                reader = Box::new(BufReader::with_capacity(64 * 1024, Transcode::new(reader, decoder)));
            }
            Ok(None) => {}
            Err(e) => return sink(Item::reject(source, io_reason(&e))),
        }
        let mut st = Stream { source, reader, notes: file_notes, max_record: limits.record_max as usize };
        if let Err(e) = st.skip_utf8_bom() {
            return sink(Item::reject(source, io_reason(&e)));
        }
        if self.lines {
            return st.lines(1, sink);
        }
        match st.peek_non_ws() {
            Err(e) => sink(Item::reject(source, io_reason(&e))),
            Ok(None) => sink(Item::reject(source, "empty file")),
            Ok(Some(b'[')) => st.array(sink),
            Ok(Some(b'{')) => st.object_or_lines(limits.json_object_max as usize, sink),
            Ok(Some(_)) => sink(Item::reject(source, "not JSON: expected an object or an array")),
        }
    }
}

/// Whether the stream is UTF-16, by byte order mark or by its NUL pattern.
fn utf16(r: &mut Box<dyn BufRead + '_>) -> io::Result<Option<(&'static Encoding, bool)>> {
    let head = r.fill_buf()?;
    if head.starts_with(&[0xff, 0xfe]) {
        return Ok(Some((UTF_16LE, true)));
    }
    if head.starts_with(&[0xfe, 0xff]) {
        return Ok(Some((UTF_16BE, true)));
    }
    // JSON starts with ASCII, so UTF-16 without a mark has a NUL first or second.
    if head.len() >= 4 && head[1] == 0 && head[3] == 0 && head[0] != 0 {
        return Ok(Some((UTF_16LE, false)));
    }
    if head.len() >= 4 && head[0] == 0 && head[2] == 0 && head[1] != 0 {
        return Ok(Some((UTF_16BE, false)));
    }
    Ok(None)
}

/// Decodes a UTF-16 stream to UTF-8 on the fly, so that the byte scanners below work unchanged.
struct Transcode<R> {
    inner: R,
    decoder: Decoder,
    out: Vec<u8>,
    pos: usize,
    len: usize,
    finished: bool,
}

impl<R: BufRead> Transcode<R> {
    fn new(inner: R, decoder: Decoder) -> Self {
        Transcode { inner, decoder, out: vec![0; 64 * 1024], pos: 0, len: 0, finished: false }
    }
}

impl<R: BufRead> Read for Transcode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.len {
            if self.finished {
                return Ok(0);
            }
            let src = self.inner.fill_buf()?;
            let last = src.is_empty();
            let (_, read, written, _) = self.decoder.decode_to_utf8(src, &mut self.out, last);
            self.inner.consume(read);
            self.pos = 0;
            self.len = written;
            self.finished = last;
        }
        let n = buf.len().min(self.len - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

enum Captured {
    Value(Vec<u8>),
    TooLarge,
    /// The input ended inside the value.
    Unfinished,
}

struct Stream<'a, 'r> {
    source: &'a str,
    reader: Box<dyn BufRead + 'r>,
    notes: Vec<String>,
    max_record: usize,
}

/// A record parsed and waiting: whether it is the file's only one decides how it is named.
struct Pending {
    value: Value,
    number: usize,
    notes: Vec<String>,
}

impl Stream<'_, '_> {
    fn skip_utf8_bom(&mut self) -> io::Result<()> {
        if self.reader.fill_buf()?.starts_with(&[0xef, 0xbb, 0xbf]) {
            self.reader.consume(3);
        }
        Ok(())
    }

    fn peek_non_ws(&mut self) -> io::Result<Option<u8>> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            match buf.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(i) => {
                    let b = buf[i];
                    self.reader.consume(i);
                    return Ok(Some(b));
                }
                None => {
                    let n = buf.len();
                    self.reader.consume(n);
                }
            }
        }
    }

    fn at(&self, n: usize) -> String {
        format!("{}:{n}", self.source)
    }

    /// JSON Lines from line `first` on; rejections name `PATH:LINE`.
    fn lines(&mut self, first: usize, sink: &mut dyn FnMut(Item)) {
        let mut n = first - 1;
        let mut buf = Vec::new();
        loop {
            n += 1;
            match next_line(&mut *self.reader, self.max_record, &mut buf) {
                Err(e) => {
                    return sink(Item::reject(self.at(n), format!("{}; lines from {n} on not read", io_reason(&e))));
                }
                Ok(None) => return,
                Ok(Some(false)) => sink(Item::reject(
                    self.at(n),
                    format!("line {n}: line too long (over {})", size_label(self.max_record)),
                )),
                Ok(Some(true)) if is_blank(&buf) => {}
                Ok(Some(true)) => {
                    let label = format!("line {n}");
                    let item = match parse(&buf, &label, &self.notes) {
                        Ok((value, notes)) => article_from_value(self.at(n), &value, notes),
                        Err(reason) => Item::reject(self.at(n), reason),
                    };
                    sink(item);
                }
            }
        }
    }

    /// A top-level array: each element is a record, named `PATH:N` (1-based).
    fn array(&mut self, sink: &mut dyn FnMut(Item)) {
        self.reader.consume(1);
        let mut n = 0;
        let mut expect_value = true;
        loop {
            let next = match self.peek_non_ws() {
                Ok(b) => b,
                Err(e) => {
                    return sink(Item::reject(
                        self.at(n + 1),
                        format!("{}; records from {} on not read", io_reason(&e), n + 1),
                    ))
                }
            };
            match next {
                None => {
                    return sink(Item::reject(
                        self.source,
                        format!("not JSON: the array is not closed (the file ends after record {n})"),
                    ))
                }
                Some(b']') => return,
                Some(b',') if !expect_value => {
                    self.reader.consume(1);
                    expect_value = true;
                    continue;
                }
                Some(_) if !expect_value => {
                    return sink(Item::reject(
                        self.at(n + 1),
                        format!("record {}: not JSON: expected ',' or ']' after record {n}; the rest not read", n + 1),
                    ))
                }
                Some(_) => {}
            }
            n += 1;
            expect_value = false;
            let label = format!("record {n}");
            match capture_value(&mut *self.reader, self.max_record) {
                Err(e) => {
                    return sink(Item::reject(self.at(n), format!("{}; records from {n} on not read", io_reason(&e))))
                }
                Ok(Captured::TooLarge) => {
                    sink(Item::reject(self.at(n), format!("{label}: too large (over {})", size_label(self.max_record))))
                }
                Ok(Captured::Unfinished) => {
                    return sink(Item::reject(self.at(n), format!("{label}: not JSON: the file ends inside it")))
                }
                Ok(Captured::Value(bytes)) => sink(match parse(&bytes, &label, &self.notes) {
                    Ok((value, notes)) => article_from_value(self.at(n), &value, notes),
                    Err(reason) => Item::reject(self.at(n), reason),
                }),
            }
        }
    }

    /// A `.json` file or standard input that starts with '{': one object (maybe pretty-printed,
    /// maybe wrapping a list of articles), or really JSON Lines under another name.
    fn object_or_lines(&mut self, max_object: usize, sink: &mut dyn FnMut(Item)) {
        let mut buf = Vec::new();
        let fits = match next_line(&mut *self.reader, max_object, &mut buf) {
            Err(e) => return sink(Item::reject(self.source, io_reason(&e))),
            Ok(None) => return sink(Item::reject(self.source, "empty file")),
            Ok(Some(fits)) => fits,
        };
        if !fits {
            return sink(Item::reject(self.source, too_large_object(max_object)));
        }
        let first = match serde_json::from_slice::<Value>(&buf) {
            Ok(v) => Some(v),
            Err(e) if e.classify() == serde_json::error::Category::Eof => None,
            Err(_) => {
                // A broken first line of what may be JSON Lines: report it, read on line by line.
                sink(match parse(&buf, "line 1", &self.notes) {
                    Ok((value, notes)) => article_from_value(self.at(1), &value, notes),
                    Err(reason) => Item::reject(self.at(1), reason),
                });
                return self.lines(2, sink);
            }
        };
        if let Some(value) = first {
            let pending = Pending { value, number: 1, notes: self.notes.clone() };
            return self.lines_after_first(pending, sink);
        }
        // The first line is the start of a larger value: read whole values, one after another.
        buf.push(b'\n');
        let rest = std::mem::replace(&mut self.reader, Box::new(io::empty()));
        self.reader = Box::new(BufReader::with_capacity(64 * 1024, io::Cursor::new(buf).chain(rest)));
        self.values(max_object, sink);
    }

    fn lines_after_first(&mut self, first: Pending, sink: &mut dyn FnMut(Item)) {
        let mut buf = Vec::new();
        let mut n = 1;
        loop {
            n += 1;
            match next_line(&mut *self.reader, self.max_record, &mut buf) {
                Ok(Some(true)) if is_blank(&buf) => continue,
                Ok(None) => return self.whole(first, sink),
                Err(e) => {
                    // Not knowing whether more was coming, name the first record as a line.
                    sink(article_from_value(self.at(1), &first.value, first.notes));
                    return sink(Item::reject(self.at(n), format!("{}; lines from {n} on not read", io_reason(&e))));
                }
                Ok(Some(fits)) => {
                    sink(article_from_value(self.at(1), &first.value, first.notes));
                    if !fits {
                        sink(Item::reject(
                            self.at(n),
                            format!("line {n}: line too long (over {})", size_label(self.max_record)),
                        ));
                    } else {
                        let label = format!("line {n}");
                        sink(match parse(&buf, &label, &self.notes) {
                            Ok((value, notes)) => article_from_value(self.at(n), &value, notes),
                            Err(reason) => Item::reject(self.at(n), reason),
                        });
                    }
                    return self.lines(n + 1, sink);
                }
            }
        }
    }

    /// Whole JSON values one after another (pretty-printed objects); named `PATH:N` unless there
    /// is only one.
    fn values(&mut self, max_object: usize, sink: &mut dyn FnMut(Item)) {
        let mut pending: Option<Pending> = None;
        let mut n = 0;
        loop {
            let next = match self.peek_non_ws() {
                Ok(b) => b,
                Err(e) => {
                    flush(self.source, &mut pending, sink);
                    return sink(Item::reject(self.at(n + 1), io_reason(&e)));
                }
            };
            if next.is_none() {
                return match pending.take() {
                    Some(p) if p.number == 1 => self.whole(p, sink),
                    p => {
                        pending = p;
                        flush(self.source, &mut pending, sink)
                    }
                };
            }
            n += 1;
            flush(self.source, &mut pending, sink);
            let label = format!("record {n}");
            match capture_value(&mut *self.reader, max_object) {
                Err(e) => return sink(Item::reject(self.at(n), io_reason(&e))),
                Ok(Captured::TooLarge) if n == 1 => {
                    return sink(Item::reject(self.source, too_large_object(max_object)))
                }
                Ok(Captured::TooLarge) => {
                    sink(Item::reject(self.at(n), format!("{label}: too large (over {})", size_label(max_object))))
                }
                Ok(Captured::Unfinished) if n == 1 => {
                    return sink(Item::reject(self.source, "not JSON: the file ends inside the object"))
                }
                Ok(Captured::Unfinished) => {
                    return sink(Item::reject(self.at(n), format!("{label}: not JSON: the file ends inside it")))
                }
                Ok(Captured::Value(bytes)) => match parse(&bytes, &label, &self.notes) {
                    Ok((value, notes)) => pending = Some(Pending { value, number: n, notes }),
                    Err(reason) if n == 1 => {
                        let reason = reason.strip_prefix("record 1: ").unwrap_or(&reason);
                        return sink(Item::reject(self.source, reason));
                    }
                    Err(reason) => sink(Item::reject(self.at(n), reason)),
                },
            }
        }
    }

    /// The file's one and only value: an article, or an object wrapping a list of them.
    fn whole(&mut self, p: Pending, sink: &mut dyn FnMut(Item)) {
        if let Value::Object(map) = &p.value {
            if find_text(map).is_none() {
                let list = LIST_FIELDS.iter().find_map(|f| map.get(*f).and_then(Value::as_array));
                if let Some(list) = list {
                    if list.is_empty() {
                        return sink(Item::reject(self.source, "no articles (the list is empty)"));
                    }
                    for (i, v) in list.iter().enumerate() {
                        sink(article_from_value(self.at(i + 1), v, p.notes.clone()));
                    }
                    return;
                }
            }
        }
        sink(article_from_value(self.source.to_string(), &p.value, p.notes));
    }
}

fn flush(source: &str, pending: &mut Option<Pending>, sink: &mut dyn FnMut(Item)) {
    if let Some(p) = pending.take() {
        sink(article_from_value(format!("{source}:{}", p.number), &p.value, p.notes));
    }
}

fn too_large_object(max: usize) -> String {
    format!("file too large for a single JSON object (over {}); use JSON Lines or an array", size_label(max))
}

fn size_label(bytes: usize) -> String {
    let bytes = bytes as u64;
    if bytes >= MB {
        format!("{} MB", bytes / MB)
    } else {
        format!("{bytes} bytes")
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Reads one line into `buf` without its line end. `Ok(None)` at the end of input;
/// `Ok(Some(false))` when the line was longer than `max`: it is then read to its end and dropped,
/// never held.
fn next_line(r: &mut dyn BufRead, max: usize, buf: &mut Vec<u8>) -> io::Result<Option<bool>> {
    buf.clear();
    let mut any = false;
    let mut too_long = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(any.then_some(!too_long));
        }
        any = true;
        let (take, newline) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if buf.len() + take > max {
                too_long = true;
                *buf = Vec::new();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(take + usize::from(newline));
        if newline {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(!too_long));
        }
    }
}

/// Reads one JSON value's bytes, starting at its first byte, by tracking strings and nesting (no
/// parsing); past `max` bytes the rest of the value is skipped, not held.
fn capture_value(r: &mut dyn BufRead, max: usize) -> io::Result<Captured> {
    let mut out = Vec::new();
    let mut too_large = false;
    let (mut depth, mut in_str, mut esc, mut started, mut scalar) = (0usize, false, false, false, false);
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            // A number or literal may end with the input.
            return Ok(if scalar && !too_large { Captured::Value(out) } else { Captured::Unfinished });
        }
        let mut end = None;
        for (i, &b) in chunk.iter().enumerate() {
            if !started {
                started = true;
                match b {
                    b'{' | b'[' => depth = 1,
                    b'"' => in_str = true,
                    _ => scalar = true,
                }
                continue;
            }
            if in_str {
                if esc {
                    esc = false;
                } else if b == b'\\' {
                    esc = true;
                } else if b == b'"' {
                    in_str = false;
                    if depth == 0 {
                        end = Some(i + 1);
                        break;
                    }
                }
                continue;
            }
            if scalar {
                if b.is_ascii_whitespace() || matches!(b, b',' | b']' | b'}') {
                    end = Some(i);
                    break;
                }
                continue;
            }
            match b {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        let take = end.unwrap_or(chunk.len());
        if !too_large {
            if out.len() + take > max {
                too_large = true;
                out = Vec::new();
            } else {
                out.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(take);
        if end.is_some() {
            return Ok(if too_large { Captured::TooLarge } else { Captured::Value(out) });
        }
    }
}

/// Parses one record's bytes, decoding them first if they are not UTF-8.
fn parse(bytes: &[u8], label: &str, file_notes: &[String]) -> Result<(Value, Vec<String>), String> {
    let mut notes = file_notes.to_vec();
    let decoded;
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(_) => {
            let d = decode::decode(bytes, None).map_err(|r| format!("{label}: {r}"))?;
            notes.extend(d.notes);
            decoded = d.text;
            &decoded
        }
    };
    match serde_json::from_str::<Value>(text) {
        Ok(v) => Ok((v, notes)),
        Err(e) => Err(format!("{label}: not JSON: {}", describe(&e, text))),
    }
}

/// serde_json's message without "at line 1 column N" when the record is one line.
fn describe(e: &serde_json::Error, text: &str) -> String {
    let msg = e.to_string();
    if !text.contains('\n') {
        if let Some(i) = msg.rfind(" at line 1 column ") {
            return format!("{} at column {}", &msg[..i], e.column());
        }
    }
    msg
}

fn str_of(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s.as_str()),
        // WordPress REST: {"title": {"rendered": "…"}}.
        Value::Object(m) => m.get("rendered").or_else(|| m.get("name")).and_then(Value::as_str),
        _ => None,
    }
}

fn first_str<'v>(map: &'v Map<String, Value>, fields: &[&str]) -> Option<&'v str> {
    fields.iter().filter_map(|f| map.get(*f)).filter_map(str_of).map(str::trim).find(|s| !s.is_empty())
}

/// The body text and the field it came from.
fn find_text(map: &Map<String, Value>) -> Option<String> {
    for f in TEXT_FIELDS {
        let text = match map.get(*f) {
            Some(Value::Array(parts)) => parts
                .iter()
                .filter_map(str_of)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("\n\n"),
            Some(v) => str_of(v).unwrap_or("").to_string(),
            None => continue,
        };
        if !text.trim().is_empty() {
            return Some(text);
        }
    }
    None
}

/// Shapes a scraper's text field into paragraphs separated by a blank line.
pub(crate) fn body_from_field(text: &str) -> String {
    let lower_has = |needle: &str| text.len() < 64 * MB as usize && text.to_ascii_lowercase().contains(needle);
    if text.trim_start().starts_with('<') || lower_has("</p>") || lower_has("<br") {
        let body = html_fragment_paragraphs(text);
        if !body.is_empty() {
            return body;
        }
    }
    let mut notes = Vec::new();
    let text = decode::tidy(text.to_string(), &mut notes);
    // Scrapers that write one paragraph per line never leave a blank line between content lines.
    let mut seen_content = false;
    let mut blank_between = false;
    let mut blank_run = false;
    for line in text.split('\n') {
        if line.trim().is_empty() {
            blank_run = seen_content;
        } else {
            if blank_run {
                blank_between = true;
                break;
            }
            seen_content = true;
        }
    }
    paragraphs(&text, !blank_between)
}

fn article_from_value(source: String, value: &Value, mut notes: Vec<String>) -> Item {
    let Some(map) = value.as_object() else {
        let what = match value {
            Value::Array(_) => "an array",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
            Value::Object(_) => "an object",
        };
        return Item::reject(source, format!("not a JSON object ({what})"));
    };
    let mut body = find_text(map).map(|t| body_from_field(&t)).unwrap_or_default();
    if body.is_empty() {
        // a headline alone is still a report of the event (wire alerts, feeds): keep it, with a
        // note, rather than lose it from its story
        match first_str(map, TITLE_FIELDS).map(str::trim).filter(|t| !t.is_empty()) {
            Some(title) => {
                body = title.to_string();
                notes.push("no body text: the title stands in for it".to_string());
            }
            None => return Item::reject(source, NO_TEXT),
        }
    }
    let mut meta = Meta { source, ..Meta::default() };
    meta.notes.append(&mut notes);
    meta.input_id = ID_FIELDS.iter().filter_map(|f| map.get(*f)).find_map(|v| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    meta.title = first_str(map, TITLE_FIELDS).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
    meta.url = first_str(map, URL_FIELDS).map(str::to_string);
    for v in DATE_FIELDS.iter().filter_map(|f| map.get(*f)) {
        match v {
            Value::String(s) if !s.trim().is_empty() => set_published(&mut meta, s),
            Value::Number(n) => {
                if let Some(t) = n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)) {
                    // Milliseconds since 1970 pass 10^11 in 1973 as seconds never will.
                    set_published_unix(&mut meta, if t.abs() > 100_000_000_000 { t / 1000 } else { t });
                }
            }
            _ => continue,
        }
        break;
    }
    for v in AUTHOR_FIELDS.iter().filter_map(|f| map.get(*f)) {
        match v {
            Value::Array(list) => list.iter().filter_map(str_of).for_each(|a| push_byline(&mut meta, a)),
            v => {
                if let Some(s) = str_of(v) {
                    s.split([';', '|']).for_each(|a| push_byline(&mut meta, a));
                }
            }
        }
        if !meta.byline.is_empty() {
            break;
        }
    }
    meta.site = first_str(map, SITE_FIELDS).map(str::to_string).or_else(|| meta.url.as_deref().and_then(site_from_url));
    if let Some(lang) = first_str(map, LANG_FIELDS) {
        set_language(&mut meta, lang);
    }
    Item::Article(RawArticle { meta, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(s: &str, max: usize) -> Vec<Option<(bool, String)>> {
        let mut r = io::BufReader::with_capacity(4, s.as_bytes());
        let mut out = vec![];
        let mut buf = vec![];
        loop {
            match next_line(&mut r, max, &mut buf).unwrap() {
                None => return out,
                Some(fits) => out.push(Some((fits, String::from_utf8(buf.clone()).unwrap()))),
            }
        }
    }

    #[test]
    fn lines_are_bounded() {
        let got = lines_of("ab\r\nlonger line\nc", 5);
        assert_eq!(got, vec![Some((true, "ab".into())), Some((false, String::new())), Some((true, "c".into()))]);
    }

    #[test]
    fn values_are_captured_across_buffers() {
        let src = r#"{"a": "x}\"]", "b": [1, {"c": 2}]} , 42]"#;
        let mut r = io::BufReader::with_capacity(3, src.as_bytes());
        match capture_value(&mut r, 1000).unwrap() {
            Captured::Value(v) => assert_eq!(String::from_utf8(v).unwrap(), r#"{"a": "x}\"]", "b": [1, {"c": 2}]}"#),
            _ => panic!(),
        }
        let mut r = io::BufReader::new(&b"12345]"[..]);
        assert!(matches!(capture_value(&mut r, 3).unwrap(), Captured::TooLarge));
        let mut r = io::BufReader::new(&br#"{"a": ["#[..]);
        assert!(matches!(capture_value(&mut r, 100).unwrap(), Captured::Unfinished));
    }

    #[test]
    fn text_fields_become_paragraphs() {
        assert_eq!(body_from_field("One.\nTwo.\r\nThree."), "One.\n\nTwo.\n\nThree.");
        assert_eq!(body_from_field("One\nstill one.\n\nTwo."), "One\nstill one.\n\nTwo.");
        assert_eq!(body_from_field("<p>One &amp; only.</p><p>Two<br>lines.</p>"), "One & only.\n\nTwo\nlines.");
    }

    #[test]
    fn fields_of_common_scrapers() {
        let v: Value = serde_json::from_str(
            r#"{"id": 17, "url": "https://www.example.org/a", "title": {"rendered": "T"},
                "maintext": "Body.", "date_publish": "2024-06-18 10:00:00",
                "authors": ["A. Writer", {"name": "B. Writer"}], "language": "en-GB"}"#,
        )
        .unwrap();
        let Item::Article(a) = article_from_value("f.json".into(), &v, vec![]) else { panic!() };
        assert_eq!(a.meta.input_id.as_deref(), Some("17"));
        assert_eq!(a.meta.title.as_deref(), Some("T"));
        assert_eq!(a.meta.published.as_deref(), Some("2024-06-18"));
        assert_eq!(a.meta.byline, vec!["A. Writer", "B. Writer"]);
        assert_eq!(a.meta.site.as_deref(), Some("example.org"));
        assert_eq!(a.meta.language.as_deref(), Some("en"));
        assert_eq!(a.body, "Body.");
    }

    #[test]
    fn unix_dates_and_unknown_dates() {
        let v: Value = serde_json::from_str(r#"{"text": "x", "date": 1718704800000}"#).unwrap();
        let Item::Article(a) = article_from_value("f".into(), &v, vec![]) else { panic!() };
        assert_eq!(a.meta.published.as_deref(), Some("2024-06-18"));
        let v: Value = serde_json::from_str(r#"{"text": "x", "date": "last week"}"#).unwrap();
        let Item::Article(a) = article_from_value("f".into(), &v, vec![]) else { panic!() };
        assert_eq!(a.meta.published, None);
        assert_eq!(a.meta.notes, vec!["date not understood: last week"]);
    }
}

//! WARC archives (web crawls, news crawls such as CC-NEWS): one record at a time, each HTML
//! response becoming an article. Memory holds one record, never the archive.

use super::html::article_from_html;
use super::Format;
use super::Input;
use crate::{decode, Item};
use newsgraph_doc::Meta;
use std::collections::HashMap;
use std::io::{self, BufRead, Read};

pub(crate) struct Warc;

/// The longest header block accepted for one record.
const MAX_HEADER: usize = 64 * 1024;

/// Reads one header block (lines up to an empty line); None at the end of the input.
fn read_headers(r: &mut dyn BufRead) -> io::Result<Option<(String, HashMap<String, String>)>> {
    let mut first;
    // records are separated by blank lines
    loop {
        let mut buf = Vec::new();
        if r.take(MAX_HEADER as u64).read_until(b'\n', &mut buf)? == 0 {
            return Ok(None);
        }
        first = String::from_utf8_lossy(&buf).trim().to_string();
        if !first.is_empty() {
            break;
        }
    }
    let mut headers = HashMap::new();
    let mut total = first.len();
    loop {
        let mut buf = Vec::new();
        let n = r.take(MAX_HEADER as u64).read_until(b'\n', &mut buf)?;
        total += n;
        if n == 0 || total > MAX_HEADER {
            break;
        }
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    Ok(Some((first, headers)))
}

/// Splits an HTTP response into its status, headers and body.
fn parse_http(block: &[u8]) -> Option<(u16, HashMap<String, String>, &[u8])> {
    let end = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4))
        .or_else(|| block.windows(2).position(|w| w == b"\n\n").map(|p| (p, p + 2)))?;
    let head = String::from_utf8_lossy(&block[..end.0]);
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some((status, headers, &block[end.1..]))
}

/// Undoes HTTP chunked transfer encoding, which some crawlers store as received.
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(p) = rest.windows(2).position(|w| w == b"\r\n") {
        let size_line = String::from_utf8_lossy(&rest[..p]);
        let Ok(size) = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16) else { break };
        rest = &rest[p + 2..];
        if size == 0 || size > rest.len() {
            break;
        }
        out.extend_from_slice(&rest[..size]);
        rest = rest.get(size + 2..).unwrap_or(&[]);
    }
    out
}

fn charset_of(content_type: &str) -> Option<&'static encoding_rs::Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let cs = lower.split(';').find_map(|p| p.trim().strip_prefix("charset="))?;
    encoding_rs::Encoding::for_label(cs.trim_matches(['"', '\'']).as_bytes())
}

impl Format for Warc {
    fn read(&self, mut input: Input<'_>, sink: &mut dyn FnMut(Item)) {
        let source = input.source.to_string();
        let mut record = 0usize;
        loop {
            let (first, headers) = match read_headers(&mut input.reader) {
                Ok(Some(h)) => h,
                Ok(None) => break,
                Err(e) => {
                    sink(Item::reject(format!("{source}:{}", record + 1), format!("cannot read: {e}")));
                    break;
                }
            };
            record += 1;
            let here = format!("{source}:{record}");
            if !first.starts_with("WARC/") {
                sink(Item::reject(
                    here,
                    "not a WARC record (no WARC/ version line); the rest of the archive is not read",
                ));
                break;
            }
            let Some(length) = headers.get("content-length").and_then(|l| l.parse::<u64>().ok()) else {
                sink(Item::reject(here, "WARC record without Content-Length; the rest of the archive is not read"));
                break;
            };
            let is_response = headers.get("warc-type").is_some_and(|t| t == "response");
            let is_http = headers.get("content-type").is_none_or(|t| t.starts_with("application/http"));
            if !(is_response && is_http) || length > input.limits.html_max {
                // requests, metadata, and oversized records are skipped unread
                match io::copy(&mut (&mut input.reader).take(length), &mut io::sink()) {
                    Ok(n) if n == length => continue,
                    _ => {
                        sink(Item::reject(here, "truncated WARC record"));
                        break;
                    }
                }
            }
            let mut block = Vec::with_capacity(length as usize);
            match (&mut input.reader).take(length).read_to_end(&mut block) {
                Ok(n) if n as u64 == length => {}
                Ok(_) => {
                    sink(Item::reject(here, "truncated WARC record"));
                    break;
                }
                Err(e) => {
                    sink(Item::reject(here, format!("cannot read: {e}")));
                    break;
                }
            }
            let Some((status, http, body)) = parse_http(&block) else {
                sink(Item::reject(here, "WARC response without a readable HTTP header"));
                continue;
            };
            let content_type = http.get("content-type").map(String::as_str).unwrap_or("");
            if !content_type.is_empty() && !content_type.to_ascii_lowercase().contains("html") {
                // images, scripts, feeds: not pages
                continue;
            }
            if status != 200 {
                sink(Item::reject(here, format!("HTTP status {status}")));
                continue;
            }
            let mut body = if http.get("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
                dechunk(body)
            } else {
                body.to_vec()
            };
            if http.get("content-encoding").is_some_and(|e| e.eq_ignore_ascii_case("gzip")) {
                let mut out = Vec::new();
                let limit = input.limits.html_max;
                if flate2::read::MultiGzDecoder::new(&body[..]).take(limit + 1).read_to_end(&mut out).is_err()
                    || out.len() as u64 > limit
                {
                    sink(Item::reject(here, "compressed HTTP body could not be read or is too large"));
                    continue;
                }
                body = out;
            }
            let declared = charset_of(content_type).or_else(|| decode::declared_charset(&body));
            let decoded = match decode::decode(&body, declared) {
                Ok(d) => d,
                Err(reason) => {
                    sink(Item::reject(here, reason));
                    continue;
                }
            };
            let mut meta = Meta { source: here, ..Meta::default() };
            let uri = headers.get("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string());
            meta.url = uri.clone();
            meta.notes = decoded.notes;
            match article_from_html(meta, &decoded.text) {
                // the page's own canonical address wins; the crawled one is the fallback
                Item::Article(mut a) => {
                    if a.meta.url.is_none() {
                        a.meta.url = uri;
                    }
                    sink(Item::Article(a));
                }
                other => sink(other),
            }
        }
        if record == 0 {
            sink(Item::reject(source, "empty WARC archive"));
        }
    }
}

//! newsgraph's front door: turns the paths a user names (files, folders, `-` for standard input)
//! into raw articles — metadata plus body text with paragraphs separated by a blank line — for the
//! cleaning and analysis stages.
//!
//! Every input is accounted for: each file, line or record either becomes a [`RawArticle`] or a
//! [`Rejection`](newsgraph_doc::record::Rejection) that names it and says why, so the run summary
//! can add up to what the user pointed at. Nothing here panics on bad input, and large inputs are
//! streamed (JSON Lines line by line, JSON arrays element by element, gzip on the fly) with a bound
//! on everything that has to be held whole.
//!
//! Formats: plain text (title on the first line), HTML (main-text extraction), JSON, JSON Lines,
//! and any of those gzip-compressed. Text in any encoding `encoding_rs` knows is read; guesses are
//! noted in [`Meta::notes`](newsgraph_doc::Meta::notes).

mod date;
mod decode;
mod formats;
mod gzip;

use newsgraph_doc::record::Rejection;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// One article as read from the input, before any cleaning.
#[derive(Debug, Clone, Default)]
pub struct RawArticle {
    pub meta: newsgraph_doc::Meta,
    /// The article text as read, paragraphs separated by a blank line ("\n\n"). For plain text
    /// the title line is not in the body, but everything after it is.
    pub body: String,
}

/// What reading produces for each input: an article, or the reason it could not be one.
#[derive(Debug, Clone)]
pub enum Item {
    Article(RawArticle),
    Rejected(Rejection),
}

impl Item {
    pub(crate) fn reject(source: impl Into<String>, reason: impl Into<String>) -> Item {
        Item::Rejected(Rejection { source: source.into(), reason: reason.into() })
    }
}

/// Bounds on the work one input may cause; the defaults are the documented ones, tests shrink them.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub text_max: u64,
    pub html_max: u64,
    pub json_object_max: u64,
    pub record_max: u64,
    /// Text (title and body) of one article.
    pub article_max: u64,
    /// Feeds up to this size are read whole (to detect their charset); larger ones are streamed.
    pub feed_whole_max: u64,
    pub gz_max_out: u64,
    pub gz_ratio: u64,
    pub gz_ratio_min_out: u64,
}

pub(crate) const MB: u64 = 1024 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            text_max: 2048 * MB,
            html_max: 20 * MB,
            json_object_max: 200 * MB,
            record_max: 64 * MB,
            article_max: 4 * MB,
            feed_whole_max: 16 * MB,
            gz_max_out: 1024 * MB,
            gz_ratio: 1000,
            gz_ratio_min_out: 100 * MB,
        }
    }
}

/// How a file is to be read, decided from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Html,
    Json,
    JsonLines,
    /// RSS or Atom.
    Feed,
    /// A WARC archive of crawled responses.
    Warc,
    /// No telling name: look at the first character.
    Sniff,
}

#[derive(Debug, PartialEq, Eq)]
enum Route {
    Read { kind: Kind, gz: bool },
    Unsupported(String),
}

/// Extensions that are certainly not articles; rejected by name even when named directly, because
/// "unsupported file type: .pdf" tells the user more than "binary data".
const BINARY_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "bmp", "ico", "tif", "tiff", "svgz", "heic", "avif", "pdf", "zip", "tar",
    "tgz", "bz2", "xz", "zst", "7z", "rar", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "epub", "mp3",
    "mp4", "m4a", "wav", "ogg", "webm", "mkv", "avi", "mov", "flac", "exe", "dll", "so", "dylib", "bin", "o", "a",
    "class", "jar", "pyc", "wasm", "woff", "woff2", "ttf", "otf", "sqlite", "db", "parquet", "arrow", "npy", "pkl",
];

fn route(name: &str, in_folder: bool) -> Route {
    let lower = name.to_ascii_lowercase();
    let (stem, gz) = match lower.strip_suffix(".gz") {
        Some(s) => (s, true),
        None => (lower.as_str(), false),
    };
    let ext = match stem.rsplit_once('.') {
        Some((base, ext)) if !base.is_empty() => ext,
        _ => "",
    };
    let kind = match ext {
        "txt" | "text" | "md" | "markdown" => Kind::Text,
        "html" | "htm" | "xhtml" | "shtml" | "xht" => Kind::Html,
        "json" => Kind::Json,
        "jsonl" | "ndjson" | "jsonlines" | "ldjson" => Kind::JsonLines,
        "rss" | "atom" | "xml" => Kind::Feed,
        "warc" | "arc" => Kind::Warc,
        "" => Kind::Sniff,
        other if BINARY_EXTENSIONS.contains(&other) || in_folder => {
            let shown = if gz { format!(".{other}.gz") } else { format!(".{other}") };
            return Route::Unsupported(shown);
        }
        _ => Kind::Sniff,
    };
    Route::Read { kind, gz }
}

/// Reads every path (files; folders recursively in sorted order; "-" = standard input, treated as
/// text unless it starts with '{' or '[' or '<'), calling `sink` for each article or rejection, in
/// a deterministic order.
pub fn read_paths(paths: &[PathBuf], sink: &mut dyn FnMut(Item)) {
    read_paths_tracked(paths, None, sink);
}

/// How much of the input has been read, for a progress display: bytes of files (as stored, so
/// compressed bytes for `.gz`) read so far, out of the total size of the inputs.
#[derive(Debug, Default)]
pub struct ReadProgress {
    pub done: AtomicU64,
    /// 0 until known; stays 0 when an input has no size (standard input).
    pub total: AtomicU64,
}

/// [`read_paths`], counting the bytes read into `progress`; the total is measured first (one
/// `stat` per file) so that a display can estimate the time left.
pub fn read_paths_tracked(paths: &[PathBuf], progress: Option<&ReadProgress>, sink: &mut dyn FnMut(Item)) {
    let limits = Limits::default();
    if let Some(p) = progress {
        if paths.iter().all(|p| p.as_os_str() != "-") {
            p.total.store(paths.iter().map(|p| stored_size(p)).sum(), Ordering::Relaxed);
        }
    }
    let counter = progress.map(|p| &p.done);
    for path in paths {
        if path.as_os_str() == "-" {
            let stdin = io::stdin();
            let lock = stdin.lock();
            read_stream("-", Kind::Sniff, false, Box::new(lock), None, &limits, sink);
        } else {
            read_path(path, &limits, counter, sink);
        }
    }
}

/// Bytes of a file, or of every file under a folder (without following a folder twice).
fn stored_size(path: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![path.to_path_buf()];
    let mut seen = std::collections::HashSet::new();
    while let Some(p) = stack.pop() {
        match fs::metadata(&p) {
            Ok(m) if m.is_dir() => {
                if fs::canonicalize(&p).is_ok_and(|real| seen.insert(real)) {
                    if let Ok(rd) = fs::read_dir(&p) {
                        stack.extend(rd.filter_map(Result::ok).map(|e| e.path()));
                    }
                }
            }
            Ok(m) => total += m.len(),
            Err(_) => {}
        }
    }
    total
}

/// Counts the bytes read from a file into a shared counter.
struct Counted<'c, R> {
    inner: R,
    counter: &'c AtomicU64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads one file (or folder, recursively), calling `sink` for each article or rejection.
pub fn read_file(path: &Path, sink: &mut dyn FnMut(Item)) {
    read_path(path, &Limits::default(), None, sink);
}

/// Reads input held in memory (standard input, tests): `source` names it in the output, `name_hint`
/// decides the format by its extension as a file name would (".jsonl.gz", ".html"); without a
/// telling extension the first character decides.
pub fn read_bytes(source: &str, name_hint: &str, bytes: &[u8], sink: &mut dyn FnMut(Item)) {
    read_bytes_with(source, name_hint, bytes, &Limits::default(), sink);
}

pub(crate) fn read_bytes_with(
    source: &str,
    name_hint: &str,
    bytes: &[u8],
    limits: &Limits,
    sink: &mut dyn FnMut(Item),
) {
    match route(base_name(name_hint), false) {
        Route::Unsupported(ext) => sink(Item::reject(source, format!("unsupported file type: {ext}"))),
        Route::Read { kind, gz } => {
            let size = (!gz).then_some(bytes.len() as u64);
            read_stream(source, kind, gz, Box::new(bytes), size, limits, sink)
        }
    }
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

pub(crate) fn read_path(path: &Path, limits: &Limits, counter: Option<&AtomicU64>, sink: &mut dyn FnMut(Item)) {
    let source = path.to_string_lossy().into_owned();
    match fs::metadata(path) {
        Err(e) => sink(Item::reject(source, cannot_read(&e))),
        Ok(m) if m.is_dir() => read_folder(path, limits, counter, sink),
        Ok(m) => {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            read_one_file(path, &source, &name, m.is_file().then_some(m.len()), false, (limits, counter), sink);
        }
    }
}

fn read_one_file(
    path: &Path,
    source: &str,
    name: &str,
    size: Option<u64>,
    in_folder: bool,
    (limits, counter): (&Limits, Option<&AtomicU64>),
    sink: &mut dyn FnMut(Item),
) -> bool {
    match route(name, in_folder) {
        Route::Unsupported(ext) => {
            sink(Item::reject(source, format!("unsupported file type: {ext}")));
            false
        }
        Route::Read { kind, gz } => {
            match fs::File::open(path) {
                Err(e) => sink(Item::reject(source, cannot_read(&e))),
                Ok(f) => {
                    let size = if gz { None } else { size };
                    let reader: Box<dyn Read + '_> = match counter {
                        Some(counter) => Box::new(Counted { inner: f, counter }),
                        None => Box::new(f),
                    };
                    read_stream(source, kind, gz, reader, size, limits, sink);
                }
            }
            true
        }
    }
}

/// Walks a folder depth-first in sorted name order with an explicit stack, so neither deep trees
/// nor symbolic-link loops can exhaust anything.
fn read_folder(root: &Path, limits: &Limits, counter: Option<&AtomicU64>, sink: &mut dyn FnMut(Item)) {
    let mut seen = std::collections::HashSet::new();
    let mut readable = 0usize;
    // Each entry: a folder still to list, or a file to read, in the order they must be visited.
    enum Step {
        Folder(PathBuf),
        File(PathBuf, String, fs::Metadata),
        Reject(String, String),
    }
    let mut stack = vec![Step::Folder(root.to_path_buf())];
    while let Some(step) = stack.pop() {
        match step {
            Step::Reject(source, reason) => sink(Item::reject(source, reason)),
            Step::File(path, name, meta) => {
                let source = path.to_string_lossy().into_owned();
                if read_one_file(&path, &source, &name, Some(meta.len()), true, (limits, counter), sink) {
                    readable += 1;
                }
            }
            Step::Folder(dir) => {
                let source = dir.to_string_lossy().into_owned();
                if let Ok(real) = fs::canonicalize(&dir) {
                    if !seen.insert(real) {
                        sink(Item::reject(source, "folder already read (a symbolic link loops back)"));
                        continue;
                    }
                }
                let entries = match fs::read_dir(&dir) {
                    Ok(rd) => rd,
                    Err(e) => {
                        sink(Item::reject(source, cannot_read(&e)));
                        continue;
                    }
                };
                let mut names: Vec<(std::ffi::OsString, PathBuf)> = Vec::new();
                for entry in entries {
                    match entry {
                        Ok(e) => names.push((e.file_name(), e.path())),
                        Err(e) => sink(Item::reject(source.clone(), cannot_read(&e))),
                    }
                }
                names.sort();
                let mut steps = Vec::with_capacity(names.len());
                for (name, path) in names {
                    let name = name.to_string_lossy().into_owned();
                    if name.starts_with('.') {
                        continue;
                    }
                    match fs::metadata(&path) {
                        Err(e) => steps.push(Step::Reject(path.to_string_lossy().into_owned(), cannot_read(&e))),
                        Ok(m) if m.is_dir() => steps.push(Step::Folder(path)),
                        Ok(m) if m.is_file() => steps.push(Step::File(path, name, m)),
                        Ok(_) => {
                            steps.push(Step::Reject(path.to_string_lossy().into_owned(), "not a regular file".into()))
                        }
                    }
                }
                stack.extend(steps.into_iter().rev());
            }
        }
    }
    if readable == 0 {
        sink(Item::reject(root.to_string_lossy(), "no readable files in folder"));
    }
}

/// "cannot read: No such file or directory", without the OS error number.
pub(crate) fn cannot_read(e: &io::Error) -> String {
    format!("cannot read: {}", plain_io_message(e))
}

fn plain_io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The reason to give for a read error: our own errors (gzip, limits) speak for themselves.
pub(crate) fn io_reason(e: &io::Error) -> String {
    match e.get_ref().and_then(|inner| inner.downcast_ref::<gzip::InputError>()) {
        Some(own) => own.to_string(),
        None => cannot_read(e),
    }
}

/// How many bytes to look at before choosing how to read: enough for a charset declaration, a
/// binary check and the first character.
const HEAD: usize = 64 * 1024;

/// Reads the first bytes without losing them: returns them and a reader that replays them.
fn peek<'a>(mut r: Box<dyn Read + 'a>, n: usize) -> (io::Result<Vec<u8>>, Box<dyn Read + 'a>) {
    let mut head = Vec::with_capacity(n.min(HEAD));
    match (&mut r).take(n as u64).read_to_end(&mut head) {
        // what came before a read error (a cut archive's first records) is still input: it is
        // handed on, and the error after it, for the format to keep what it can
        Err(e) if !head.is_empty() => {
            let replay: Box<dyn Read + 'a> = Box::new(io::Cursor::new(head.clone()).chain(FailWith(Some(e))));
            (Ok(head), replay)
        }
        res => {
            let replay: Box<dyn Read + 'a> = Box::new(io::Cursor::new(head.clone()).chain(r));
            (res.map(|_| head), replay)
        }
    }
}

/// A reader that fails with a given error, once.
struct FailWith(Option<io::Error>);

impl Read for FailWith {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

pub(crate) fn read_stream<'a>(
    source: &str,
    mut kind: Kind,
    gz: bool,
    reader: Box<dyn Read + 'a>,
    size: Option<u64>,
    limits: &Limits,
    sink: &mut dyn FnMut(Item),
) {
    // An article's text is bounded whatever its format: no news article comes near the limit,
    // and the layers' time and memory grow with an article's size.
    let article_max = limits.article_max;
    let sink = &mut |item: Item| match item {
        Item::Article(a) if (a.body.len() + a.meta.title.as_ref().map_or(0, String::len)) as u64 > article_max => {
            let size = a.body.len() + a.meta.title.as_ref().map_or(0, String::len);
            sink(Item::reject(
                a.meta.source,
                format!(
                    "article text too long ({:.1} MB; an article may have up to {} MB)",
                    size as f64 / MB as f64,
                    article_max / MB
                ),
            ))
        }
        other => sink(other),
    };
    let mut reader = reader;
    let mut size = size;
    if gz {
        // An empty file is empty, not broken gzip.
        let (raw, r) = peek(reader, 1);
        match raw {
            Ok(raw) if raw.is_empty() => return sink(Item::reject(source, "empty file")),
            Ok(_) => {}
            Err(e) => return sink(Item::reject(source, cannot_read(&e))),
        }
        // a crawl archive is gigabytes by nature; its records are bounded one by one instead
        let warc_limits;
        let gz_limits = if kind == Kind::Warc {
            warc_limits = Limits { gz_max_out: u64::MAX, ..limits.clone() };
            &warc_limits
        } else {
            limits
        };
        reader = Box::new(gzip::GzReader::new(r, gz_limits));
    }
    let (head, mut reader) = peek(reader, HEAD);
    let mut head = match head {
        Ok(h) => h,
        Err(e) => return sink(Item::reject(source, io_reason(&e))),
    };
    // Compressed content under a plain name (a saved HTTP response, a renamed file).
    if !gz && head.starts_with(&[0x1f, 0x8b]) {
        let (h, r) = peek(Box::new(gzip::GzReader::new(reader, limits)), HEAD);
        reader = r;
        size = None;
        head = match h {
            Ok(h) => h,
            Err(e) => return sink(Item::reject(source, io_reason(&e))),
        };
    }
    if head.is_empty() {
        return sink(Item::reject(source, "empty file"));
    }
    // an archive holds binary records (images) among its pages: it is checked record by record
    if head.starts_with(b"WARC/") {
        kind = Kind::Warc;
    }
    if kind != Kind::Warc && decode::looks_binary(&head) {
        return sink(Item::reject(source, "binary data, not text"));
    }
    if kind == Kind::Sniff || kind == Kind::Html {
        let start = String::from_utf8_lossy(&head[..head.len().min(1024)]).to_ascii_lowercase();
        // a feed saved under a page's name, or with no telling name at all
        if start.contains("<rss") || start.contains("<feed") || start.contains("<rdf:rdf") {
            kind = Kind::Feed;
        }
    }
    if kind == Kind::Sniff {
        kind = match decode::first_char(&head) {
            Some('{' | '[') => Kind::Json,
            Some('<') => Kind::Html,
            _ => Kind::Text,
        };
    }
    let input = formats::Input { source, reader: io::BufReader::with_capacity(HEAD, reader), size, limits };
    formats::format_for(kind).read(input, sink);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_by_extension() {
        assert_eq!(route("a.txt", true), Route::Read { kind: Kind::Text, gz: false });
        assert_eq!(route("A.HTML", true), Route::Read { kind: Kind::Html, gz: false });
        assert_eq!(route("x.jsonl.gz", true), Route::Read { kind: Kind::JsonLines, gz: true });
        assert_eq!(route("x.json", false), Route::Read { kind: Kind::Json, gz: false });
        assert_eq!(route("README", true), Route::Read { kind: Kind::Sniff, gz: false });
        assert_eq!(route("x.png", false), Route::Unsupported(".png".into()));
        assert_eq!(route("x.tar.gz", false), Route::Unsupported(".tar.gz".into()));
        assert_eq!(route("notes.csv", true), Route::Unsupported(".csv".into()));
        assert_eq!(route("notes.csv", false), Route::Read { kind: Kind::Sniff, gz: false });
        assert_eq!(route("-", false), Route::Read { kind: Kind::Sniff, gz: false });
    }

    fn collect(name: &str, data: &[u8], limits: &Limits) -> Vec<Item> {
        let mut out = Vec::new();
        read_bytes_with(name, name, data, limits, &mut |i| out.push(i));
        out
    }

    fn reasons(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                Item::Article(a) => format!("article {}", a.meta.source),
                Item::Rejected(r) => format!("{}: {}", r.source, r.reason),
            })
            .collect()
    }

    #[test]
    fn text_over_the_limit() {
        let small = Limits { text_max: 10, ..Limits::default() };
        assert_eq!(reasons(&collect("t.txt", b"Title\n\nA longer body.", &small)), vec!["t.txt: file too large"]);
        assert_eq!(reasons(&collect("t.txt", b"Title\n\nOk", &small)), vec!["article t.txt"]);
    }

    #[test]
    fn long_lines_and_records_are_skipped_not_held() {
        let small = Limits { record_max: 40, ..Limits::default() };
        let long = format!("{{\"text\": \"{}\"}}", "x".repeat(100));
        let jsonl = format!("{{\"text\": \"a\"}}\n{long}\n{{\"text\": \"c\"}}\n");
        assert_eq!(
            reasons(&collect("l.jsonl", jsonl.as_bytes(), &small)),
            vec!["article l.jsonl:1", "l.jsonl:2: line 2: line too long (over 40 bytes)", "article l.jsonl:3"]
        );
        let array = format!("[{{\"text\": \"a\"}}, {long}, {{\"text\": \"c\"}}]");
        assert_eq!(
            reasons(&collect("a.json", array.as_bytes(), &small)),
            vec!["article a.json:1", "a.json:2: record 2: too large (over 40 bytes)", "article a.json:3"]
        );
    }

    #[test]
    fn a_single_object_over_the_limit() {
        let small = Limits { json_object_max: 30, ..Limits::default() };
        let pretty = format!("{{\n  \"text\": \"{}\"\n}}", "x".repeat(100));
        assert_eq!(
            reasons(&collect("o.json", pretty.as_bytes(), &small)),
            vec!["o.json: file too large for a single JSON object (over 30 bytes); use JSON Lines or an array"]
        );
    }

    fn feed(items: &[(&str, &str)]) -> String {
        let mut x =
            String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Desk</title>");
        for (t, d) in items {
            x.push_str(&format!("<item><title>{t}</title><description>{d}</description></item>"));
        }
        x + "</channel></rss>"
    }

    #[test]
    fn large_feeds_are_streamed_with_the_same_articles() {
        let xml = feed(&[("Talks resume", "Delegates met &amp; talked."), ("Floods", "Rivers rose overnight.")]);
        let whole = collect("f.rss", xml.as_bytes(), &Limits::default());
        let streamed = collect("f.rss", xml.as_bytes(), &Limits { feed_whole_max: 0, ..Limits::default() });
        assert_eq!(reasons(&whole), vec!["article f.rss:1", "article f.rss:2"]);
        let bodies = |items: &[Item]| -> Vec<String> {
            items.iter().filter_map(|i| if let Item::Article(a) = i { Some(a.body.clone()) } else { None }).collect()
        };
        assert_eq!(bodies(&whole), bodies(&streamed));
        assert_eq!(bodies(&streamed)[0], "Delegates met & talked.");
    }

    #[test]
    fn an_oversized_feed_item_is_rejected_and_the_rest_kept() {
        let long = "word ".repeat(40);
        let xml = feed(&[("One", "Short text."), ("Two", &long), ("Three", "Also short.")]);
        let small = Limits { feed_whole_max: 0, record_max: 100, ..Limits::default() };
        assert_eq!(
            reasons(&collect("f.rss", xml.as_bytes(), &small)),
            vec!["article f.rss:1", "f.rss:2: feed item too large", "article f.rss:3"]
        );
    }

    #[test]
    fn invalid_utf8_in_a_streamed_feed_is_a_clear_rejection() {
        let mut xml = feed(&[("One", "Fine."), ("Two", "Bad \u{1} here.")]).into_bytes();
        let at = xml.windows(3).position(|w| w == b"Bad").unwrap();
        xml[at + 4] = 0xFF;
        let items = collect("f.rss", &xml, &Limits { feed_whole_max: 0, ..Limits::default() });
        let r = reasons(&items);
        assert_eq!(r[0], "article f.rss:1");
        assert!(r[1].starts_with("f.rss:2: feed XML broken at byte"), "{r:?}");
        assert_eq!(r.len(), 2, "{r:?}");
    }

    #[test]
    fn an_article_over_the_limit_is_rejected_in_any_format() {
        let small = Limits { article_max: MB, ..Limits::default() };
        let long = "word ".repeat(300_000);
        let jsonl = format!("{{\"text\": \"short\"}}\n{{\"text\": \"{long}\"}}\n");
        assert_eq!(
            reasons(&collect("l.jsonl", jsonl.as_bytes(), &small)),
            vec!["article l.jsonl:1", "l.jsonl:2: article text too long (1.4 MB; an article may have up to 1 MB)"]
        );
        let text = format!("Title\n\n{long}");
        assert_eq!(
            reasons(&collect("t.txt", text.as_bytes(), &small)),
            vec!["t.txt: article text too long (1.4 MB; an article may have up to 1 MB)"]
        );
    }

    #[test]
    fn html_over_the_limit() {
        let small = Limits { html_max: 3 * MB, ..Limits::default() };
        let html = vec![b' '; 4 * MB as usize];
        assert_eq!(reasons(&collect("p.html", &html, &small)), vec!["p.html: file too large for HTML: 4 MB"]);
    }

    #[test]
    fn io_messages_drop_the_os_number() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(cannot_read(&e), "cannot read: No such file or directory");
    }
}

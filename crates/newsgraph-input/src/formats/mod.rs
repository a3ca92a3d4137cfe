//! One reader per input format, behind a common trait, plus the metadata helpers they share.

mod feed;
mod html;
mod json;
mod text;
mod warc;

use crate::{date, Item, Kind, Limits};
use newsgraph_doc::Meta;
use std::io::{self, BufReader, Read};

pub(crate) use html::html_fragment_paragraphs;

/// One input stream, already decompressed, with the first bytes still unread.
pub(crate) struct Input<'a> {
    /// What rejections and articles name as their origin (the path as given, or "-").
    pub source: &'a str,
    pub reader: BufReader<Box<dyn Read + 'a>>,
    /// The byte length, when known before reading (a plain file).
    pub size: Option<u64>,
    pub limits: &'a Limits,
}

/// A way of turning one input stream into articles and rejections.
pub(crate) trait Format {
    fn read(&self, input: Input<'_>, sink: &mut dyn FnMut(Item));
}

pub(crate) fn format_for(kind: Kind) -> &'static dyn Format {
    match kind {
        Kind::Html => &html::Html,
        Kind::Json => &json::Json { lines: false },
        Kind::JsonLines => &json::Json { lines: true },
        Kind::Feed => &feed::Feed,
        Kind::Warc => &warc::Warc,
        Kind::Text | Kind::Sniff => &text::Text,
    }
}

pub(crate) enum ReadAllError {
    TooLarge,
    Io(io::Error),
}

/// Reads the whole stream for formats that need it whole, refusing past `max` bytes without
/// holding more than that.
pub(crate) fn read_all(input: &mut Input<'_>, max: u64) -> Result<Vec<u8>, ReadAllError> {
    if input.size.is_some_and(|s| s > max) {
        return Err(ReadAllError::TooLarge);
    }
    let mut out = Vec::with_capacity(input.size.unwrap_or(0).min(max) as usize);
    (&mut input.reader).take(max + 1).read_to_end(&mut out).map_err(ReadAllError::Io)?;
    if out.len() as u64 > max {
        return Err(ReadAllError::TooLarge);
    }
    Ok(out)
}

/// Reflows text into newsgraph's body shape: lines trimmed, paragraphs separated by exactly one
/// blank line. With `line_is_paragraph`, every line break ends a paragraph (scrapers that write
/// one paragraph per line).
pub(crate) fn paragraphs(text: &str, line_is_paragraph: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_para = false;
    let mut pending_break = false;
    for line in text.split('\n') {
        let line = line.trim();
        if line.is_empty() {
            pending_break = in_para;
            continue;
        }
        if in_para {
            out.push_str(if pending_break || line_is_paragraph { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        in_para = true;
        pending_break = false;
    }
    out
}

pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

/// Sets the publication date from whatever the input wrote, or notes why it could not.
pub(crate) fn set_published(meta: &mut Meta, raw: &str) {
    if meta.published.is_some() || raw.trim().is_empty() {
        return;
    }
    match date::normalise_date(raw) {
        Some(d) => meta.published = Some(d),
        None => meta.notes.push(format!("date not understood: {}", shorten(raw.trim(), 60))),
    }
}

pub(crate) fn set_published_unix(meta: &mut Meta, secs: i64) {
    if meta.published.is_none() {
        match date::from_unix_seconds(secs) {
            Some(d) => meta.published = Some(d),
            None => meta.notes.push(format!("date not understood: {secs}")),
        }
    }
}

/// Sets the language from a code or a name ("en-US", "en_GB", "eng", "English").
pub(crate) fn set_language(meta: &mut Meta, raw: &str) {
    if meta.language.is_some() || raw.trim().is_empty() {
        return;
    }
    match language_code(raw) {
        Some(l) => meta.language = Some(l),
        None => meta.notes.push(format!("language not understood: {}", shorten(raw.trim(), 40))),
    }
}

pub(crate) fn language_code(raw: &str) -> Option<String> {
    let lower = raw.trim().to_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or("");
    if primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return Some(primary.to_string());
    }
    let code = match primary {
        "eng" | "english" => "en",
        "deu" | "ger" | "german" | "deutsch" => "de",
        "fra" | "fre" | "french" | "français" => "fr",
        "spa" | "spanish" | "español" => "es",
        "ita" | "italian" | "italiano" => "it",
        "por" | "portuguese" | "português" => "pt",
        "rus" | "russian" | "русский" => "ru",
        "ukr" | "ukrainian" => "uk",
        "nld" | "dut" | "dutch" | "nederlands" => "nl",
        "swe" | "swedish" | "svenska" => "sv",
        "dan" | "danish" | "dansk" => "da",
        "nor" | "norwegian" | "norsk" => "no",
        "nob" | "bokmål" => "nb",
        "nno" | "nynorsk" => "nn",
        "fin" | "finnish" | "suomi" => "fi",
        "pol" | "polish" | "polski" => "pl",
        "ara" | "arabic" => "ar",
        "zho" | "chi" | "chinese" => "zh",
        "jpn" | "japanese" => "ja",
        "kor" | "korean" => "ko",
        "tur" | "turkish" => "tr",
        _ => return None,
    };
    Some(code.to_string())
}

/// The host of a URL without "www.", as a fallback name for the site.
pub(crate) fn site_from_url(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://").map(|(_, r)| r)?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (host.contains('.') && !host.is_empty()).then(|| host.to_string())
}

pub(crate) fn push_byline(meta: &mut Meta, name: &str) {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = name.strip_prefix("By ").or_else(|| name.strip_prefix("by ")).unwrap_or(&name).trim();
    // Profile links stand in for names in some metadata; they name nobody.
    if name.is_empty() || name.contains("://") || name.chars().count() > 120 {
        return;
    }
    if !meta.byline.iter().any(|b| b.eq_ignore_ascii_case(name)) {
        meta.byline.push(name.to_string());
    }
}

pub(crate) fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_reflowed() {
        assert_eq!(paragraphs("\n a \nb\n\n\n  \nc\n", false), "a\nb\n\nc");
        assert_eq!(paragraphs("a\nb\n\nc", true), "a\n\nb\n\nc");
    }

    #[test]
    fn languages() {
        for (raw, want) in [("en-US", "en"), ("nb_NO", "nb"), ("eng", "en"), ("English", "en"), ("DE", "de")] {
            assert_eq!(language_code(raw).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(language_code("klingon"), None);
    }

    #[test]
    fn sites() {
        assert_eq!(site_from_url("https://www.abcnyheter.no/a/b?c").as_deref(), Some("abcnyheter.no"));
        assert_eq!(site_from_url("http://user@Example.COM:8080").as_deref(), Some("example.com"));
        assert_eq!(site_from_url("not a url"), None);
    }

    #[test]
    fn bylines() {
        let mut m = Meta::default();
        push_byline(&mut m, "By  Jane Doe");
        push_byline(&mut m, "jane doe");
        push_byline(&mut m, "https://example.com/staff/jane");
        assert_eq!(m.byline, vec!["Jane Doe"]);
    }
}

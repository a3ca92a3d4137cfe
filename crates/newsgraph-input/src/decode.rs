//! Bytes to text. News files arrive in every encoding: UTF-8 (sometimes with a stray bad byte),
//! UTF-16 from Windows tools, legacy code pages from older sites. The order of trust is: a byte
//! order mark, valid UTF-8, a declared charset, nearly-valid UTF-8, then statistical detection —
//! and whenever the result rests on a guess, the article says so in a note.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use regex::bytes::Regex;
use std::sync::OnceLock;

pub(crate) struct Decoded {
    pub text: String,
    pub notes: Vec<String>,
}

/// How much of the input the binary and UTF-16 checks look at.
const SAMPLE: usize = 64 * 1024;

/// How much the detector is fed: enough for a confident guess without scanning gigabytes.
const DETECT_SAMPLE: usize = 1024 * 1024;

/// True for data that is not text in any encoding: NUL bytes (unless it is UTF-16) or many
/// control characters.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if sample.is_empty() || Encoding::for_bom(sample).is_some() || utf16_without_bom(sample).is_some() {
        return false;
    }
    let nul = sample.iter().filter(|&&b| b == 0).count();
    // Tab, newline, form feed, carriage return and escape (ISO-2022-JP) occur in text.
    let control = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | 0x1b)) || b == 0x7f)
        .count();
    // A stray NUL in a long text is damage, not a sign of binary data.
    nul * 1000 > sample.len() || control * 20 > sample.len()
}

/// UTF-16 without a byte order mark shows as a NUL in every other byte of mostly-ASCII text.
fn utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_nul * 10 >= pairs * 4 && even_nul * 20 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 4 && odd_nul * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The first non-space character, looking through a byte order mark.
pub(crate) fn first_char(head: &[u8]) -> Option<char> {
    let enc = Encoding::for_bom(head)
        .map(|(e, _)| e)
        .or_else(|| utf16_without_bom(&head[..head.len().min(SAMPLE)]))
        .unwrap_or(UTF_8);
    let cut = &head[..head.len().min(4096)];
    let (text, _) = enc.decode_with_bom_removal(cut);
    text.chars().find(|c| !c.is_whitespace() && *c != '\u{feff}')
}

/// Decodes a whole input. `declared` is a charset the document states about itself (HTML).
pub(crate) fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> Result<Decoded, String> {
    if looks_binary(bytes) {
        return Err("binary data, not text".into());
    }
    let mut notes = Vec::new();
    let text = decode_inner(bytes, declared, &mut notes);
    Ok(Decoded { text: tidy(text, &mut notes), notes })
}

fn decode_inner(bytes: &[u8], declared: Option<&'static Encoding>, notes: &mut Vec<String>) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc == UTF_8 {
            return decode_utf8ish(body, declared, notes);
        }
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            notes.push(format!("invalid {} replaced", enc.name()));
        }
        return text.into_owned();
    }
    if let Some(enc) = utf16_without_bom(&bytes[..bytes.len().min(SAMPLE)]) {
        notes.push(format!("encoding guessed: {}", enc.name()));
        return enc.decode_without_bom_handling(bytes).0.into_owned();
    }
    decode_utf8ish(bytes, declared, notes)
}

fn decode_utf8ish(bytes: &[u8], declared: Option<&'static Encoding>, notes: &mut Vec<String>) -> String {
    // Valid UTF-8 with non-ASCII in it is almost never anything else, whatever a page declares.
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    // A declaration of UTF-16 in a byte-oriented document means UTF-8 (WHATWG).
    let declared = declared.map(|e| e.output_encoding());
    if let Some(enc) = declared.filter(|&e| e != UTF_8) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if had_errors {
            notes.push(format!("invalid {} replaced", enc.name()));
        }
        return text.into_owned();
    }
    let (invalid, multibyte) = utf8_damage(bytes);
    // A few bad bytes in clearly-UTF-8 text are damage; many, or no UTF-8 at all, mean another
    // encoding (legacy code pages almost never form valid multi-byte sequences by chance).
    if multibyte > 0 && invalid * 4 <= multibyte && invalid * 100 <= bytes.len() {
        let unit = if invalid == 1 { "byte" } else { "bytes" };
        notes.push(format!("invalid UTF-8 replaced ({invalid} {unit})"));
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    let sample = &bytes[..bytes.len().min(DETECT_SAMPLE)];
    det.feed(sample, sample.len() == bytes.len());
    let enc = det.guess(None, Utf8Detection::Deny);
    notes.push(format!("encoding guessed: {}", enc.name()));
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// Counts invalid bytes and valid multi-byte characters.
fn utf8_damage(bytes: &[u8]) -> (usize, usize) {
    let (mut invalid, mut multibyte) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    (invalid, multibyte)
}

/// Normalises line ends and drops control characters that no later stage wants.
pub(crate) fn tidy(text: String, notes: &mut Vec<String>) -> String {
    let needs = text.bytes().any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f) || text.contains('\u{feff}');
    if !needs {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut dropped = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\x0c' => out.push('\n'),
            '\n' | '\t' => out.push(c),
            '\u{feff}' => {}
            c if c.is_control() && (c as u32) < 0x80 => dropped += 1,
            c => out.push(c),
        }
    }
    if dropped > 0 {
        notes.push(format!("removed {dropped} control characters"));
    }
    out
}

/// The charset an HTML document declares in its first bytes (`<meta charset>`, `http-equiv`, or
/// an XML declaration).
pub(crate) fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    static META: OnceLock<Regex> = OnceLock::new();
    let re = META.get_or_init(|| {
        Regex::new(
            r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)|<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_:.\-]+)"#,
        )
        .expect("valid regex")
    });
    let head = &head[..head.len().min(16 * 1024)];
    let caps = re.captures(head)?;
    let label = caps.get(1).or_else(|| caps.get(2))?.as_bytes();
    Encoding::for_label(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_untouched() {
        let d = decode("Grüße, Мир".as_bytes(), None).unwrap();
        assert_eq!(d.text, "Grüße, Мир");
        assert!(d.notes.is_empty());
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xff, 0xfe];
        let mut be = vec![0xfe, 0xff];
        for u in "Zürich news".encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&le, None).unwrap().text, "Zürich news");
        assert_eq!(decode(&be, None).unwrap().text, "Zürich news");
        assert!(!looks_binary(&le));
    }

    #[test]
    fn utf16_without_bom_is_guessed() {
        let mut le = Vec::new();
        for u in "Plain ASCII words in UTF-16".encode_utf16() {
            le.extend(u.to_le_bytes());
        }
        let d = decode(&le, None).unwrap();
        assert_eq!(d.text, "Plain ASCII words in UTF-16");
        assert_eq!(d.notes, vec!["encoding guessed: UTF-16LE"]);
    }

    #[test]
    fn cyrillic_code_page_is_detected() {
        let text = "Президент России Владимир Путин прибыл в Пхеньян, где встретился с лидером страны. \
                    Визит продлится два дня, сообщает агентство.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, text);
        assert_eq!(d.notes, vec!["encoding guessed: windows-1251"]);
    }

    #[test]
    fn declared_charset_wins_over_detection() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("café crème");
        let d = decode(&bytes, Some(encoding_rs::WINDOWS_1252)).unwrap();
        assert_eq!(d.text, "café crème");
        assert!(d.notes.is_empty());
    }

    #[test]
    fn a_stray_bad_byte_in_utf8_is_replaced() {
        let mut bytes = "Ärzte in Köln und München: ".repeat(20).into_bytes();
        bytes.push(0xff);
        bytes.extend_from_slice(" Ende.".as_bytes());
        let d = decode(&bytes, None).unwrap();
        assert!(d.text.ends_with("\u{fffd} Ende."));
        assert_eq!(d.notes, vec!["invalid UTF-8 replaced (1 byte)"]);
    }

    #[test]
    fn binary_is_refused() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend([0u8; 100]);
        assert!(looks_binary(&png));
        assert_eq!(decode(&png, None).err().unwrap(), "binary data, not text");
        let controls: Vec<u8> = (0..200).map(|i| if i % 3 == 0 { 0x01 } else { b'a' }).collect();
        assert!(looks_binary(&controls));
    }

    #[test]
    fn line_ends_and_controls_are_tidied() {
        let mut notes = vec![];
        assert_eq!(tidy("a\r\nb\rc\u{1}d\u{feff}".into(), &mut notes), "a\nb\ncd");
        assert_eq!(notes, vec!["removed 1 control characters"]);
    }

    #[test]
    fn finds_declared_charsets() {
        assert_eq!(declared_charset(b"<head><meta charset=\"ISO-8859-1\">"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(
            declared_charset(b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">"),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(declared_charset(b"<?xml version=\"1.0\" encoding=\"koi8-r\"?>"), Some(encoding_rs::KOI8_R));
        assert_eq!(declared_charset(b"<p>no declaration</p>"), None);
    }
}

//! Text in encodings other than UTF-8, and what the reader notes about them.

mod common;

use common::*;

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if le { [0xff, 0xfe] } else { [0xfe, 0xff] });
    }
    for u in text.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn utf16_with_bom_from_disk() {
    let a = article(read_one(&fixture("utf16le.txt")));
    assert_eq!(a.meta.title.as_deref(), Some("Zürich hosts talks"));
    assert_eq!(a.body, "Delegates from twelve countries met in Zürich on Monday.");
    assert!(a.meta.notes.is_empty());
}

#[test]
fn utf16_big_endian_and_without_bom() {
    let text = "Bern hosts talks\r\n\r\nDelegates met in Bern.";
    let be = article(bytes("be.txt", "be.txt", &utf16(text, false, true)));
    assert_eq!(be.body, "Delegates met in Bern.");
    let bare = article(bytes("le.txt", "le.txt", &utf16(text, true, false)));
    assert_eq!(bare.body, "Delegates met in Bern.");
    assert_eq!(bare.meta.notes, vec!["encoding guessed: UTF-16LE"]);
}

#[test]
fn windows_1251_cyrillic_is_guessed_and_noted() {
    let a = article(read_one(&fixture("cp1251.txt")));
    assert_eq!(a.meta.title.as_deref(), Some("Путин прибыл в Пхеньян"));
    assert!(a.body.starts_with("Президент России Владимир Путин"));
    assert_eq!(a.meta.notes, vec!["encoding guessed: windows-1251"]);
}

#[test]
fn latin1_html_with_declared_charset_needs_no_guess() {
    let a = article(read_one(&fixture("latin1.html")));
    assert!(a.body.contains("définitivement"));
    // HTML records also note where each metadata field came from; none of the notes is a guess.
    assert!(a.meta.notes.iter().all(|n| !n.contains("encoding") && !n.contains("invalid")), "{:?}", a.meta.notes);
}

#[test]
fn meta_charset_attribute_form() {
    let html = format!("<html><head><meta charset=\"windows-1252\"><title>Crème brûlée</title></head><body><p>{PARA} Café.</p><p>{PARA}</p></body></html>");
    let (bytes_1252, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
    let a = article(bytes("p.html", "p.html", &bytes_1252));
    assert_eq!(a.meta.title.as_deref(), Some("Crème brûlée"));
    assert!(a.body.contains("Café."));
}

#[test]
fn undeclared_legacy_html_is_detected() {
    let html = format!("<html><head><title>Новости</title></head><body><p>{0}</p><p>{0}</p></body></html>", "Президент России Владимир Путин прибыл в Пхеньян, где встретился с лидером страны. Визит продлится два дня, сообщает агентство.");
    let (b, _, _) = encoding_rs::WINDOWS_1251.encode(&html);
    let a = article(bytes("ru.html", "ru.html", &b));
    assert_eq!(a.meta.title.as_deref(), Some("Новости"));
    assert_eq!(a.meta.notes, vec!["encoding guessed: windows-1251", "title from <title>"]);
}

#[test]
fn utf8_bom_is_dropped() {
    let a = article(bytes("b.txt", "b.txt", "\u{feff}Title\n\nBody.".as_bytes()));
    assert_eq!(a.meta.title.as_deref(), Some("Title"));
}

#[test]
fn a_stray_invalid_byte_is_replaced_and_noted() {
    let mut data = "Überschrift\n\nÄrzte in Köln und München berichten über Fortschritte. ".repeat(3).into_bytes();
    data.push(0xff);
    let a = article(bytes("de.txt", "de.txt", &data));
    assert!(a.body.ends_with('\u{fffd}'));
    assert_eq!(a.meta.notes, vec!["invalid UTF-8 replaced (1 byte)"]);
}

#[test]
fn json_lines_in_utf16_and_in_a_legacy_code_page() {
    let jsonl = "{\"title\": \"Zürich\", \"text\": \"Grüezi.\"}\n{\"text\": \"Zwei.\"}\n";
    let (a, r) = split(bytes("u.jsonl", "u.jsonl", &utf16(jsonl, true, true)));
    assert!(r.is_empty(), "{r:?}");
    assert_eq!(a[0].meta.title.as_deref(), Some("Zürich"));
    assert_eq!(a[1].meta.source, "u.jsonl:2");
    let line = "{\"text\": \"Президент России Владимир Путин прибыл в Пхеньян, где встретился с лидером страны.\"}\n";
    let (b, _, _) = encoding_rs::WINDOWS_1251.encode(line);
    let a = article(bytes("ru.jsonl", "ru.jsonl", &b));
    assert!(a.body.starts_with("Президент"));
    assert_eq!(a.meta.notes, vec!["encoding guessed: windows-1251"]);
}

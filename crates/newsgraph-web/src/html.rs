//! HTML helpers: escaping, URL encoding, the page frame.

use std::fmt::Write;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    esc_into(&mut out, s);
    out
}

/// [`esc`] appended to `out`: the runs between special characters go in whole, as pages are
/// mostly such runs.
pub fn esc_into(out: &mut String, s: &str) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // the special characters are ASCII, so `i` is a character boundary
        out.push_str(&s[from..i]);
        out.push_str(with);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

/// Percent-encodes a query-string or path component.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes a percent-encoded component (`+` as space, as forms send it).
pub fn dec(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a request target into its decoded path and query parameters.
pub fn parse_target(target: &str) -> (String, Vec<(String, String)>) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = dec(&path.replace('+', "%2B"));
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (dec(k), dec(v))
        })
        .collect();
    (path, params)
}

const FAVICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='4' cy='4' r='3' fill='%232563eb'/%3E%3Ccircle cx='12' cy='6' r='3' fill='%23ea580c'/%3E%3Ccircle cx='7' cy='12' r='3' fill='%2316a34a'/%3E%3C/svg%3E";

/// A whole page: header with navigation and quick search, `body` as the main content.
pub fn page(title: &str, current: &str, body: &str) -> String {
    let nav = |href: &str, label: &str, key: &str| {
        if key == current {
            format!("<a href=\"{href}\" aria-current=\"page\">{label}</a>")
        } else {
            format!("<a href=\"{href}\">{label}</a>")
        }
    };
    let mut out = String::with_capacity(body.len() + 1024);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{} · newsgraph</title><link rel=\"stylesheet\" href=\"/static/style.css\"><link rel=\"icon\" href=\"{FAVICON}\"></head>\
<body><header class=\"top\"><a class=\"brand\" href=\"/\">newsgraph</a><nav>{}{}{}</nav>\
<form class=\"quick\" action=\"/search\" role=\"search\"><input type=\"search\" name=\"q\" placeholder=\"Search articles\" aria-label=\"Search articles\"></form></header>\
<main>{body}</main><footer>newsgraph · read-only view of the store · <a href=\"/api/openapi.json\">API</a></footer></body></html>\n",
        esc(title),
        nav("/", "Stories", "stories"),
        nav("/entities", "Entities", "entities"),
        nav("/search", "Search", "search"),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_encoding() {
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(esc("Đurović <b>"), "Đurović &lt;b&gt;");
        assert_eq!(esc("plain"), "plain");
        assert_eq!(enc("Đurović & co"), "%C4%90urovi%C4%87%20%26%20co");
        assert_eq!(dec(&enc("Đurović & co")), "Đurović & co");
        assert_eq!(dec("a+b%2"), "a b%2");
        assert_eq!(dec("%zz%41"), "%zzA");
    }

    #[test]
    fn targets() {
        let (p, q) = parse_target("/search?q=Tisza+water&site=&entity=%C4%90");
        assert_eq!(p, "/search");
        assert_eq!(
            q,
            vec![("q".into(), "Tisza water".into()), ("site".into(), "".into()), ("entity".into(), "Đ".into())]
        );
    }
}

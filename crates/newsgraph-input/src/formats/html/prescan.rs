//! A byte-level pass over the page before the HTML parser sees it.
//!
//! Scripts, style sheets, inline SVG and comments are more than half of a modern news page's
//! bytes and never article text, so they are cut out here, where skipping them costs a search
//! for their end, instead of being tokenised, built into the tree and skipped again. So are
//! images, attributes nothing later reads (links, sources, data blobs) and white space between
//! blocks. The scripts that carry the article's structured data (JSON-LD, Next.js's
//! `__NEXT_DATA__`) are kept aside for the metadata.
//!
//! The same pass keeps a model of the parser's stack of open elements and drops the tags that
//! would take it past a bound: the tree builder scans that stack for many start tags, so a page
//! nested a hundred thousand levels deep would otherwise cost time in the square of its size.
//! Everything here is linear in the page: each search starts where the last one ended.

use std::ops::Range;

/// What the pass keeps from a page.
pub(crate) struct Prescanned<'a> {
    /// The page without scripts, styles, SVG and comments; borrowed when nothing was cut.
    pub html: std::borrow::Cow<'a, str>,
    /// Raw contents of `<script type="application/ld+json">` elements, in page order.
    pub json_ld: Vec<&'a str>,
    /// Raw contents of the `__NEXT_DATA__` script (Next.js embedded app state), if any.
    pub next_data: Option<&'a str>,
    /// Start and end tags dropped because they were nested deeper than the bound, or opened
    /// more formatting elements than `MAX_FORMATTING`.
    pub flattened: bool,
}

/// Elements that never have content (and so never stay open).
fn is_void(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"keygen"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"frame"
            | b"basefont"
            | b"bgsound"
    )
}

/// Formatting elements: the parser keeps a list of the open ones and re-opens them in every new
/// block, so thousands of unclosed ones cost time in proportion to their number for each block.
fn is_formatting(name: &[u8]) -> bool {
    matches!(
        name,
        b"a" | b"b"
            | b"big"
            | b"code"
            | b"em"
            | b"font"
            | b"i"
            | b"nobr"
            | b"s"
            | b"small"
            | b"strike"
            | b"strong"
            | b"tt"
            | b"u"
    )
}

/// The group of elements that a new start tag of `name` closes when one is the current element
/// (a new `<li>` ends the open `<li>`, a `<td>` the open `<th>` …), so the model's depth follows
/// the parser's.
fn closes_same(name: &[u8]) -> Option<u8> {
    Some(match name {
        b"li" => 1,
        b"dd" | b"dt" => 2,
        b"p" => 3,
        b"option" | b"optgroup" => 4,
        b"td" | b"th" => 5,
        b"tr" => 6,
        b"thead" | b"tbody" | b"tfoot" => 7,
        b"rt" | b"rp" => 8,
        b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => 9,
        _ => return None,
    })
}

/// Start tags that close an open `<p>` (it cannot hold blocks).
fn closes_p(name: &[u8]) -> bool {
    matches!(
        name,
        b"address"
            | b"article"
            | b"aside"
            | b"blockquote"
            | b"center"
            | b"details"
            | b"dialog"
            | b"dir"
            | b"div"
            | b"dl"
            | b"fieldset"
            | b"figcaption"
            | b"figure"
            | b"footer"
            | b"form"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"header"
            | b"hgroup"
            | b"hr"
            | b"main"
            | b"menu"
            | b"nav"
            | b"ol"
            | b"p"
            | b"pre"
            | b"section"
            | b"summary"
            | b"table"
            | b"ul"
            | b"li"
            | b"dd"
            | b"dt"
    )
}

/// HTML start tags that end foreign content (SVG) in the parser.
fn breaks_out_of_svg(name: &[u8]) -> bool {
    matches!(
        name,
        b"b" | b"big"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"center"
            | b"code"
            | b"dd"
            | b"div"
            | b"dl"
            | b"dt"
            | b"em"
            | b"embed"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"hr"
            | b"i"
            | b"img"
            | b"li"
            | b"listing"
            | b"menu"
            | b"meta"
            | b"nobr"
            | b"ol"
            | b"p"
            | b"pre"
            | b"ruby"
            | b"s"
            | b"small"
            | b"span"
            | b"strike"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"table"
            | b"tt"
            | b"u"
            | b"ul"
            | b"var"
    )
}

/// A name kept in the stack model, without its padding.
fn name_of(n: &[u8; 12]) -> &[u8] {
    &n[..n.iter().position(|&c| c == 0).unwrap_or(n.len())]
}

/// Tags around which white space is not text: blocks, and what never holds text of its own.
fn is_layout(name: &[u8]) -> bool {
    closes_p(name)
        || matches!(
            name,
            b"li"
                | b"dd"
                | b"dt"
                | b"tr"
                | b"td"
                | b"th"
                | b"tbody"
                | b"thead"
                | b"tfoot"
                | b"caption"
                | b"colgroup"
                | b"col"
                | b"html"
                | b"head"
                | b"body"
                | b"title"
                | b"meta"
                | b"link"
                | b"base"
                | b"br"
                | b"select"
                | b"option"
        )
}

/// Most open formatting elements the parser is given; real pages have a handful.
const MAX_FORMATTING: usize = 64;

/// Elements whose content the tokenizer reads as raw text: a "<div>" inside them is not a tag.
/// Scripts are handled on their own (their escape rules differ).
fn is_raw_text(name: &[u8]) -> bool {
    matches!(name, b"style" | b"textarea" | b"title" | b"xmp" | b"iframe" | b"noembed" | b"noframes" | b"noscript")
}

/// Raw-text elements whose content is never article text and is cut out with the element.
fn is_cut_raw_text(name: &[u8]) -> bool {
    matches!(name, b"style" | b"noscript" | b"iframe" | b"noembed" | b"noframes")
}

/// The first `c` in `hay`, eight bytes at a time: pages are mostly skipped by this search.
fn find_byte(hay: &[u8], c: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let rep = LO.wrapping_mul(u64::from(c));
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ rep;
        // The lowest flagged byte is always a real match; borrows only flag bytes above one.
        let t = w.wrapping_sub(LO) & !w & HI;
        if t != 0 {
            return Some(base + (t.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks.remainder().iter().position(|&x| x == c).map(|p| base + p)
}

/// Case-insensitive search for an ASCII pattern that starts with a non-letter, from `from`.
fn find_pat(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    let mut at = from.min(b.len());
    while let Some(off) = find_byte(&b[at..], pat[0]) {
        let p = at + off;
        if b.len() - p >= pat.len() && b[p..p + pat.len()].eq_ignore_ascii_case(pat) {
            return Some(p);
        }
        at = p + 1;
    }
    None
}

/// True when an end tag named `name` starts at `at` (`</name` followed by a space, `/` or `>`).
fn end_tag_at(b: &[u8], at: usize, name: &[u8]) -> bool {
    let n = at + 2 + name.len();
    b.len() > n
        && b[at..at + 2] == *b"</"
        && b[at + 2..n].eq_ignore_ascii_case(name)
        && matches!(b[n], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Where a script's content ends (the start of its `</script` end tag, or the end of the page),
/// following the tokenizer's script-data states: inside `<!--`, a `<script>` opens a nested
/// "double-escaped" script whose `</script>` does not end the real one.
fn script_end(b: &[u8], from: usize) -> usize {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    let mut i = from;
    while i < b.len() {
        // Outside the escaped states only '<' can matter; inside them "-->" does too.
        let found = if state == State::Data {
            find_byte(&b[i..], b'<')
        } else {
            b[i..].iter().position(|&c| c == b'<' || c == b'-')
        };
        let Some(off) = found else { return b.len() };
        let p = i + off;
        if b[p] == b'-' {
            if state != State::Data && b[p..].starts_with(b"-->") {
                state = State::Data;
                i = p + 3;
            } else {
                i = p + 1;
            }
            continue;
        }
        if b[p..].starts_with(b"<!--") {
            if state == State::Data {
                state = State::Escaped;
            }
            i = p + 4;
        } else if end_tag_at(b, p, b"script") {
            match state {
                State::DoubleEscaped => {
                    state = State::Escaped;
                    i = p + 8;
                }
                _ => return p,
            }
        } else if state == State::Escaped
            && b.len() > p + 7
            && b[p + 1..p + 7].eq_ignore_ascii_case(b"script")
            && matches!(b[p + 7], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
        {
            state = State::DoubleEscaped;
            i = p + 7;
        } else {
            i = p + 1;
        }
    }
    b.len()
}

/// The value of attribute `name` in the start tag `tag` (the bytes between `<` and `>`).
fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let b = tag.as_bytes();
    let mut i = 0;
    // Skip the tag name.
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'/' {
        i += 1;
    }
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'/' | b'>') {
            i += 1;
        }
        let key = &tag[start..i];
        if key.is_empty() {
            i += 1;
            continue;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                let ve = b[vs..].iter().position(|&c| c == q).map_or(b.len(), |o| vs + o);
                value = &tag[vs..ve];
                i = ve + 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = &tag[vs..i];
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
    None
}

/// A tag's text between `<` (at `j`) and its `>` (before `end`), or to `end` when the page ends
/// first.
fn tag_inner(html: &str, j: usize, end: usize) -> &str {
    let z = if html.as_bytes()[end - 1] == b'>' { end - 1 } else { end };
    // a tag cut short inside a multi-byte character must still slice on character boundaries
    let mut z = z.max(j + 1).min(html.len());
    while z > j + 1 && !html.is_char_boundary(z) {
        z -= 1;
    }
    html.get(j + 1..z).unwrap_or("")
}

/// The end of a tag whose name ends at `from`: one past the first `>` that is not inside a quoted
/// attribute value (a quote opens a value only right after `=`).
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut k = from;
    let mut after_eq = false;
    while k < b.len() {
        match b[k] {
            b'>' => return k + 1,
            b'=' => after_eq = true,
            q @ (b'"' | b'\'') if after_eq => match b[k + 1..].iter().position(|&c| c == q) {
                Some(o) => {
                    k += o + 1;
                    after_eq = false;
                }
                None => return b.len(),
            },
            c if c.is_ascii_whitespace() => {}
            _ => after_eq = false,
        }
        k += 1;
    }
    b.len()
}

/// Attributes the later steps read; the others (links, image sources, data blobs, event
/// handlers) are a good share of what is left of a page and are dropped before parsing.
fn is_kept_attr(name: &[u8]) -> bool {
    let mut buf = [0u8; 12];
    if name.len() > buf.len() {
        return false;
    }
    let lower = &mut buf[..name.len()];
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"class"
            | b"id"
            | b"role"
            | b"style"
            | b"hidden"
            | b"aria-hidden"
            | b"itemprop"
            | b"rel"
            | b"datetime"
            | b"content"
            | b"pubdate"
            | b"property"
            | b"name"
            | b"http-equiv"
            | b"lang"
            | b"xml:lang"
            | b"href"
            | b"type"
            | b"charset"
    )
}

/// Void elements that carry nothing the later steps read (images, media sources, form inputs).
fn is_dropped_void(name: &[u8]) -> bool {
    matches!(name, b"img" | b"source" | b"input" | b"track" | b"wbr" | b"col" | b"param" | b"area" | b"embed")
}

/// Rewrites a start tag `<name …>` (bytes `j..end`, name ending at `name_end`) keeping only the
/// attributes in `is_kept_attr` (and `href` only on `<link>`); `None` when it keeps them all.
fn slim_tag<'t>(
    html: &str,
    j: usize,
    name_end: usize,
    end: usize,
    keep_href: bool,
    tag: &'t mut String,
) -> Option<&'t str> {
    let b = html.as_bytes();
    // Tags carry a few attributes worth keeping; the rest of this array is never needed.
    let mut kept = [(0usize, 0usize); 16];
    let mut n_kept = 0;
    let mut dropped = false;
    let mut i = name_end;
    let stop = if b[end - 1] == b'>' { end - 1 } else { end };
    while i < stop {
        while i < stop && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let key_start = i;
        while i < stop && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'/') {
            i += 1;
        }
        if i == key_start {
            i += 1;
            continue;
        }
        let key_end = i;
        let mut k = i;
        while k < stop && b[k].is_ascii_whitespace() {
            k += 1;
        }
        let mut value_end = key_end;
        if k < stop && b[k] == b'=' {
            k += 1;
            while k < stop && b[k].is_ascii_whitespace() {
                k += 1;
            }
            if k < stop && (b[k] == b'"' || b[k] == b'\'') {
                let q = b[k];
                value_end = b[k + 1..stop].iter().position(|&c| c == q).map_or(stop, |o| k + 1 + o + 1);
            } else {
                value_end = k;
                while value_end < stop && !b[value_end].is_ascii_whitespace() {
                    value_end += 1;
                }
            }
            i = value_end;
        }
        let key = &b[key_start..key_end];
        if is_kept_attr(key) && (keep_href || !key.eq_ignore_ascii_case(b"href")) && n_kept < kept.len() {
            kept[n_kept] = (key_start, value_end);
            n_kept += 1;
        } else {
            dropped = true;
        }
    }
    if !dropped {
        return None;
    }
    tag.clear();
    tag.push_str(&html[j..name_end]);
    for &(a, z) in &kept[..n_kept] {
        tag.push(' ');
        tag.push_str(&html[a..z]);
    }
    if b[end - 1] == b'>' {
        if end >= 2 && b[end - 2] == b'/' {
            tag.push('/');
        }
        tag.push('>');
    }
    Some(tag.as_str())
}

/// Runs the pass. `max_depth` bounds how deeply counted containers nest; deeper start and end
/// tags are dropped (their content stays).
pub(crate) fn prescan(html: &str, max_depth: usize) -> Prescanned<'_> {
    let b = html.as_bytes();
    let mut out = String::new();
    // Bytes before `copied` are already in `out` or deliberately left out of it.
    let mut copied = 0;
    let cut = |out: &mut String, copied: &mut usize, range: Range<usize>, with: &str| {
        if out.capacity() == 0 {
            out.reserve(html.len() / 2);
        }
        out.push_str(&html[*copied..range.start]);
        out.push_str(with);
        *copied = range.end;
    };
    let mut res = Prescanned { html: "".into(), json_ld: Vec::new(), next_data: None, flattened: false };
    // A model of the parser's stack of open elements: name, and whether its tags were dropped.
    let mut stack: Vec<([u8; 12], bool)> = Vec::new();
    // Positions in `stack` of the entries whose tags reach the parser (the parser's own stack),
    // and how many of those are formatting elements.
    let mut live: Vec<usize> = Vec::new();
    let mut formatting = 0usize;
    let mut tag_buf = String::new();
    // The end of the last tag seen, whether it was a block's, and how many <pre> are open.
    let (mut prev_end, mut prev_layout, mut pre) = (0usize, false, 0usize);
    let mut svg_depth = 0usize;
    let mut svg_start = 0usize;
    let mut i = 0;
    while let Some(off) = find_byte(&b[i..], b'<') {
        let j = i + off;
        if b[j..].starts_with(b"<!--") {
            // A comment ends at the first "-->" (or "--!>"); "<!-->" and "<!--->" end at once.
            let end = if b[j + 4..].starts_with(b">") {
                j + 5
            } else if b[j + 4..].starts_with(b"->") {
                j + 6
            } else {
                comment_end(b, j + 4)
            };
            if svg_depth == 0 {
                cut(&mut out, &mut copied, j..end, "");
            }
            i = end;
            continue;
        }
        let closing = b.get(j + 1) == Some(&b'/');
        let name_start = j + 1 + usize::from(closing);
        let name_len = b[name_start..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'-').count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            i = j + 1;
            continue;
        }
        let name_end = name_start + name_len;
        // Names that matter are short; a longer one is kept lower-cased only in part, which
        // matches none of them.
        let mut lower = [0u8; 12];
        let n = name_len.min(lower.len());
        lower[..n].copy_from_slice(&b[name_start..name_start + n]);
        lower.make_ascii_lowercase();
        let name: &[u8] = if name_len <= lower.len() { &lower[..n] } else { b"-" };
        let end = tag_end(b, name_end);
        let self_closing = end >= 2 && b[end - 2] == b'/';
        // White space alone between two tags, one of them a block's, is never text (the parser
        // would make a node of it, a third of all nodes on a typical page); inside <pre> it is.
        let layout = is_layout(name);
        if (layout || prev_layout)
            && pre == 0
            && svg_depth == 0
            && prev_end >= copied
            && prev_end < j
            && b[prev_end..j].iter().all(u8::is_ascii_whitespace)
        {
            cut(&mut out, &mut copied, prev_end..j, "");
        }
        prev_end = end;
        prev_layout = layout;
        if name == b"pre" || name == b"listing" {
            pre = if closing { pre.saturating_sub(1) } else { pre + 1 };
        }

        if name == b"svg" {
            if closing {
                if svg_depth > 0 {
                    svg_depth -= 1;
                    if svg_depth == 0 {
                        cut(&mut out, &mut copied, svg_start..end, "");
                    }
                }
            } else if !self_closing {
                if svg_depth == 0 {
                    svg_start = j;
                }
                svg_depth += 1;
            } else if svg_depth == 0 {
                cut(&mut out, &mut copied, j..end, "");
            }
            i = end;
            continue;
        }
        if svg_depth > 0 {
            if closing || !breaks_out_of_svg(name) {
                i = end;
                continue;
            }
            // An HTML tag ends an unclosed <svg>, as it does in the parser.
            cut(&mut out, &mut copied, svg_start..j, "");
            svg_depth = 0;
        }

        if closing {
            // Pop to the matching start tag if it is near the top (only the top is searched, so
            // stray end tags cost no more than the start tags); otherwise the end tag is stray
            // and the parser ignores it too.
            let window = stack.len().saturating_sub(64);
            if let Some(pos) = stack[window..].iter().rposition(|(n, _)| n[..] == lower[..]).map(|p| window + p) {
                while live.last().is_some_and(|&l| l >= pos) {
                    let l = live.pop().expect("just seen");
                    formatting -= usize::from(is_formatting(name_of(&stack[l].0)));
                }
                let dropped = stack[pos].1;
                stack.truncate(pos);
                if dropped {
                    cut(&mut out, &mut copied, j..end, "");
                }
            }
            i = end;
            continue;
        }

        if name == b"script" {
            let content_end = script_end(b, end);
            let close_end = if content_end < b.len() { tag_end(b, content_end + 8) } else { b.len() };
            let tag = tag_inner(html, j, end);
            let content = &html[end.min(content_end)..content_end];
            let ty = attr(tag, "type").unwrap_or("").trim().to_ascii_lowercase();
            if ty.contains("ld+json") {
                res.json_ld.push(content);
            } else if attr(tag, "id").is_some_and(|id| id.trim() == "__NEXT_DATA__") {
                res.next_data = Some(content);
            }
            cut(&mut out, &mut copied, j..close_end, "");
            i = close_end;
            continue;
        }
        if is_raw_text(name) && !self_closing {
            let content_end = find_end_tag(b, end, name);
            let close_end = if content_end < b.len() { tag_end(b, content_end + 2 + name.len()) } else { b.len() };
            if is_cut_raw_text(name) {
                cut(&mut out, &mut copied, j..close_end, "");
            } else if let Some(tag) = slim_tag(html, j, name_end, end, false, &mut tag_buf) {
                cut(&mut out, &mut copied, j..end, tag);
            }
            i = close_end;
            continue;
        }
        if name == b"plaintext" {
            break;
        }
        if is_dropped_void(name)
            || (name == b"link" && !attr(tag_inner(html, j, end), "rel").is_some_and(|r| r.contains("canonical")))
        {
            cut(&mut out, &mut copied, j..end, "");
            i = end;
            continue;
        }
        let mut dropped = false;
        if !is_void(name) {
            let group = closes_same(name);
            let closes_top = |t: &[u8]| (group.is_some() && closes_same(t) == group) || (closes_p(name) && t == b"p");
            // The parser's current element is the last live one; when the new tag closes it, it
            // leaves the parser's stack (its entry stays, marked, for its end tag to find).
            if let Some(&l) = live.last() {
                if closes_top(name_of(&stack[l].0)) {
                    live.pop();
                    stack[l].1 = true;
                    formatting -= usize::from(is_formatting(name_of(&stack[l].0)));
                }
            }
            let fmt = is_formatting(name);
            // Paragraphs, headings, items and cells structure the text and never nest deeply
            // themselves: they get room above the bound for containers.
            let limit = if group.is_some() { max_depth + 64 } else { max_depth };
            dropped = live.len() >= limit || (fmt && formatting >= MAX_FORMATTING);
            if dropped {
                res.flattened = true;
                cut(&mut out, &mut copied, j..end, "");
            } else {
                live.push(stack.len());
                formatting += usize::from(fmt);
            }
            stack.push((lower, dropped));
        }
        if !dropped && end - name_end > 1 {
            if let Some(tag) = slim_tag(html, j, name_end, end, name == b"link", &mut tag_buf) {
                cut(&mut out, &mut copied, j..end, tag);
            }
        }
        i = end;
    }
    if svg_depth > 0 {
        cut(&mut out, &mut copied, svg_start..b.len(), "");
    }
    res.html = if out.capacity() == 0 {
        html.into()
    } else {
        out.push_str(&html[copied.min(html.len())..]);
        out.into()
    };
    res
}

/// One past the "-->" or "--!>" that ends a comment whose text starts at `from`.
fn comment_end(b: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(p) = find_pat(b, at, b"--") {
        if b[p + 2..].starts_with(b">") {
            return p + 3;
        }
        if b[p + 2..].starts_with(b"!>") {
            return p + 4;
        }
        at = p + 1;
    }
    b.len()
}

/// Where the end tag `</name` of a raw-text element starts, or the end of the page.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut at = from;
    while let Some(p) = find_pat(b, at, b"</") {
        if end_tag_at(b, p, name) {
            return p;
        }
        at = p + 2;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_scripts_styles_svg_and_comments() {
        let html = "<head><title>a<b</title><style>p{}</style><script type=\"application/ld+json\">{\"a\":1}</script>\
                    </head><body><!-- c --><p>x<svg><svg></svg><path/></svg>y</p>\
                    <script id=\"__NEXT_DATA__\" type=\"application/json\">{\"b\":2}</script>\
                    <noscript><img></noscript><p>z</p></body>";
        let p = prescan(html, 100);
        assert_eq!(p.html, "<head><title>a<b</title></head><body><p>xy</p><p>z</p></body>");
        let slim =
            prescan("<p class=x data-a='1 2' onclick=\"f()\" id=y><a href=/x rel=author>a</a><img src=x></p>", 9);
        assert_eq!(slim.html, "<p class=x id=y><a rel=author>a</a></p>");
        let links = prescan("<link rel=stylesheet href=a.css><link rel=\"canonical\" href=\"https://x/a\"/>", 9);
        assert_eq!(links.html, "<link rel=\"canonical\" href=\"https://x/a\"/>");
        assert_eq!(p.json_ld, vec!["{\"a\":1}"]);
        assert_eq!(p.next_data, Some("{\"b\":2}"));
        assert!(!p.flattened);
    }

    #[test]
    fn script_end_follows_the_escape_states() {
        let html = "<script><!-- document.write('<script>x</script>'); --></script><p>after</p>";
        assert_eq!(prescan(html, 100).html, "<p>after</p>");
        let html = "<script>if (a<b && c-->d) {}</script><p>after</p>";
        assert_eq!(prescan(html, 100).html, "<p>after</p>");
        let html = "<script>var s = '</scripts>';</script ><p>after</p>";
        assert_eq!(prescan(html, 100).html, "<p>after</p>");
        let html = "<p>before</p><script>never closed <p>not text</p>";
        assert_eq!(prescan(html, 100).html, "<p>before</p>");
    }

    #[test]
    fn white_space_between_blocks_goes() {
        let html = "<div>\n  <p>a <b>b</b> <i>c</i></p>\n  <p>d</p>\n</div><pre>\n<b>x</b>\n  <p>y</pre>";
        assert_eq!(
            prescan(html, 99).html,
            "<div><p>a <b>b</b> <i>c</i></p><p>d</p></div><pre>\n<b>x</b>\n  <p>y</pre>"
        );
        // Scripts are not blocks: the space they stood between stays.
        assert_eq!(prescan("<b>x</b> <script>s</script> <b>y</b>", 99).html, "<b>x</b>  <b>y</b>");
    }

    #[test]
    fn a_page_cut_inside_a_tag() {
        assert_eq!(prescan("<p>a</p><script type=\"é", 9).html, "<p>a</p>");
        assert_eq!(prescan("<p>a</p><link rel=\"canonicalé", 9).html, "<p>a</p><link rel=\"canonicalé");
        assert_eq!(prescan("<p>a</p><div class=\"é", 9).html, "<p>a</p><div class=\"é");
    }

    #[test]
    fn an_unclosed_svg_ends_at_html() {
        assert_eq!(prescan("<svg><path d=x><p>text</p>", 9).html, "<p>text</p>");
        assert_eq!(prescan("<svg><g></g><p>more", 9).html, "<p>more");
    }

    #[test]
    fn deep_containers_are_flattened() {
        let html = format!("{}<p>x</p>{}", "<div class='a>b'>".repeat(5), "</div>".repeat(5));
        let p = prescan(&html, 3);
        assert!(p.flattened);
        assert_eq!(p.html.matches("<div").count(), 3);
        assert_eq!(p.html.matches("</div>").count(), 3);
        assert!(!prescan(&html, 5).flattened);
    }

    #[test]
    fn nothing_to_cut_borrows() {
        let html = "<p>plain <b>page</b></p>";
        assert!(matches!(prescan(html, 10).html, std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn attributes() {
        assert_eq!(attr("script type='a' id=__NEXT_DATA__", "id"), Some("__NEXT_DATA__"));
        assert_eq!(attr("script async type=\"application/ld+json\"", "TYPE"), Some("application/ld+json"));
        assert_eq!(attr("script data-x=\"id=1\"", "id"), None);
    }
}

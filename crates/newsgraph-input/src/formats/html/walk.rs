//! One walk over the parsed page that gathers everything later stages need: the text, cut into
//! pieces that remember which element holds them and which piece of page furniture (if any)
//! they sit in, and what the page says about itself (meta tags, title, headings, dates, bylines).
//!
//! Furniture is only marked here, not dropped: whether a marked element really is furniture
//! depends on how much of the page's prose it holds, which is known only after the walk. So text
//! is cut at every furniture boundary, and a paragraph interrupted by, say, an inline ad is
//! several pieces that later join up again without it.
//!
//! The walk is iterative (ego-tree's `traverse`), so no nesting depth can overflow the stack.

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::node::Element;
use scraper::Node;
use std::collections::HashMap;

pub(crate) const NONE: u32 = u32::MAX;

/// What kind of furniture an element looks like, from its tag, class, id, role or hiding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Furniture {
    Navigation,
    Related,
    Comments,
    Share,
    Newsletter,
    Ad,
    Notice,
    Cookies,
    Footer,
    Caption,
    Byline,
    Hidden,
    Other,
}

impl Furniture {
    /// Furniture that no amount of prose makes article text: comment threads and cookie or
    /// consent notices can outweigh a short article. (Weaker names like "modal" or "share" also
    /// turn up on article containers: "modal-enabled", "share-tools-parent".)
    pub fn is_strong(self) -> bool {
        matches!(self, Furniture::Comments | Furniture::Cookies)
    }

    /// Furniture whose dates and names belong to other articles or to readers, not this one.
    pub fn is_foreign(self) -> bool {
        matches!(self, Furniture::Related | Furniture::Comments | Furniture::Navigation | Furniture::Footer)
    }
}

/// An element of the page, in document order.
pub(crate) struct El {
    pub parent: u32,
    pub tag: Tag,
    /// The pieces its content produced: `pieces[start..end]`.
    pub start: u32,
    pub end: u32,
    pub furniture: Option<Furniture>,
    /// Set after the walk: never furniture, whatever it looks like.
    pub protected: bool,
    /// Set after the walk: furniture, or inside furniture, left out of the text.
    pub dropped: bool,
}

/// Tags the extraction tells apart; blocks start a new run of text, everything else is `Inline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tag {
    P,
    H1,
    Heading,
    Li,
    Pre,
    Blockquote,
    Cell,
    Row,
    Dd,
    Block,
    Inline,
    A,
    Br,
}

impl Tag {
    /// Owners whose text is a paragraph of its own; text directly in any other block is "loose".
    fn is_paragraph_like(self) -> bool {
        matches!(self, Tag::P | Tag::H1 | Tag::Heading | Tag::Li | Tag::Pre | Tag::Blockquote | Tag::Dd | Tag::Row)
    }
}

fn classify(name: &str) -> Tag {
    match name {
        "p" => Tag::P,
        "h1" => Tag::H1,
        "h2" | "h3" | "h4" | "h5" | "h6" => Tag::Heading,
        "li" => Tag::Li,
        "pre" => Tag::Pre,
        "blockquote" => Tag::Blockquote,
        "td" | "th" => Tag::Cell,
        "tr" => Tag::Row,
        "dd" | "dt" => Tag::Dd,
        "a" => Tag::A,
        "br" => Tag::Br,
        "address" | "article" | "aside" | "body" | "center" | "details" | "dialog" | "div" | "dl" | "fieldset"
        | "figcaption" | "figure" | "footer" | "form" | "header" | "hgroup" | "hr" | "html" | "main" | "nav" | "ol"
        | "section" | "summary" | "table" | "tbody" | "tfoot" | "thead" | "ul" | "caption" | "menu" | "legend"
        | "option" | "frameset" => Tag::Block,
        // Unknown and custom elements too: their text runs on with what surrounds it.
        _ => Tag::Inline,
    }
}

fn is_block(t: Tag) -> bool {
    matches!(
        t,
        Tag::P | Tag::H1 | Tag::Heading | Tag::Li | Tag::Pre | Tag::Blockquote | Tag::Row | Tag::Dd | Tag::Block
    )
}

/// Elements whose content is never article text, known by their tag.
fn furniture_by_tag(name: &str) -> Option<Furniture> {
    Some(match name {
        "nav" => Furniture::Navigation,
        "header" | "aside" | "form" | "iframe" | "button" | "select" | "textarea" | "input" | "object" | "embed"
        | "canvas" | "video" | "audio" | "picture" | "map" | "dialog" | "menu" => Furniture::Other,
        "footer" => Furniture::Footer,
        "figure" | "figcaption" => Furniture::Caption,
        _ => return None,
    })
}

/// Elements skipped with everything in them, furniture or not.
fn is_never_text(name: &str) -> bool {
    matches!(name, "script" | "style" | "template" | "noscript" | "svg" | "math")
}

/// Class and id words that mark page furniture, matched anywhere in the attribute, with the kind
/// they mark. The order matters: the first match names the kind.
const FURNITURE_PARTS: &[(&str, Furniture)] = &[
    ("disqus", Furniture::Comments),
    ("related", Furniture::Related),
    ("recommend", Furniture::Related),
    ("read-more", Furniture::Related),
    ("readmore", Furniture::Related),
    ("read-next", Furniture::Related),
    ("more-stories", Furniture::Related),
    ("more-posts", Furniture::Related),
    ("more-from", Furniture::Related),
    ("most-popular", Furniture::Related),
    ("mostpopular", Furniture::Related),
    ("most-read", Furniture::Related),
    ("trending", Furniture::Related),
    ("outbrain", Furniture::Related),
    ("taboola", Furniture::Related),
    ("also-like", Furniture::Related),
    ("see-also", Furniture::Related),
    ("breadcrumb", Furniture::Navigation),
    ("pagination", Furniture::Navigation),
    ("share", Furniture::Share),
    ("social", Furniture::Share),
    ("newsletter", Furniture::Newsletter),
    ("subscribe", Furniture::Newsletter),
    ("signup", Furniture::Newsletter),
    ("sign-up", Furniture::Newsletter),
    ("promo", Furniture::Ad),
    ("advert", Furniture::Ad),
    ("sponsor", Furniture::Ad),
    ("adsbygoogle", Furniture::Ad),
    ("cookie", Furniture::Cookies),
    ("consent", Furniture::Cookies),
    ("gdpr", Furniture::Cookies),
    ("paywall", Furniture::Notice),
    ("popup", Furniture::Notice),
    ("footer", Furniture::Footer),
    ("caption", Furniture::Caption),
    ("credit", Furniture::Caption),
    ("byline", Furniture::Byline),
    ("author-bio", Furniture::Byline),
    ("sidebar", Furniture::Other),
    ("sr-only", Furniture::Hidden),
    ("visually-hidden", Furniture::Hidden),
    ("screen-reader", Furniture::Hidden),
    ("toolbar", Furniture::Other),
    ("masthead", Furniture::Other),
];

/// Short class and id words that mark furniture only as whole words ("ad", not "head").
fn furniture_word(w: &str) -> Option<Furniture> {
    Some(match w {
        "ad" | "ads" | "adv" | "advertisement" | "dfp" | "gpt" => Furniture::Ad,
        "nav" | "navbar" | "navigation" | "menu" | "pager" | "skip" | "tags" | "tag" => Furniture::Navigation,
        "hidden" | "hide" => Furniture::Hidden,
        "modal" => Furniture::Notice,
        "print" | "meta" | "widget" | "banner" | "login" | "search" | "rating" => Furniture::Other,
        _ => return None,
    })
}

/// All of `FURNITURE_PARTS` in one automaton: class names are matched on every element.
fn parts_regex() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        let alts: Vec<String> = FURNITURE_PARTS.iter().map(|(p, _)| regex::escape(p)).collect();
        regex::Regex::new(&alts.join("|")).expect("valid regex")
    })
}

/// The attributes the walk reads, found in one pass over the element's attribute list.
#[derive(Default)]
struct Attrs<'a> {
    class: Option<&'a str>,
    id: Option<&'a str>,
    role: Option<&'a str>,
    style: Option<&'a str>,
    hidden: bool,
    aria_hidden: bool,
    itemprop: Option<&'a str>,
    rel: Option<&'a str>,
    datetime: Option<&'a str>,
    content: Option<&'a str>,
    pubdate: bool,
}

impl<'a> Attrs<'a> {
    fn of(el: &'a Element) -> Attrs<'a> {
        let mut a = Attrs::default();
        for (k, v) in el.attrs() {
            match k {
                "class" => a.class = Some(v),
                "id" => a.id = Some(v),
                "role" => a.role = Some(v),
                "style" => a.style = Some(v),
                "hidden" => a.hidden = true,
                "aria-hidden" => a.aria_hidden = v.trim().eq_ignore_ascii_case("true"),
                "itemprop" => a.itemprop = Some(v),
                "rel" => a.rel = Some(v),
                "datetime" => a.datetime = Some(v),
                "content" => a.content = Some(v),
                "pubdate" => a.pubdate = true,
                _ => {}
            }
        }
        a
    }

    /// Class and id, lower-cased, for matching words in them.
    fn names_into(&self, names: &mut String) {
        names.clear();
        for a in [self.class, self.id].into_iter().flatten() {
            let from = names.len();
            names.push_str(a);
            names[from..].make_ascii_lowercase();
            names.push(' ');
        }
    }
}

fn furniture_by_attrs(a: &Attrs<'_>) -> Option<Furniture> {
    if a.hidden || a.aria_hidden {
        return Some(Furniture::Hidden);
    }
    if let Some(style) = a.style.filter(|s| s.contains("none") || s.contains("idden")) {
        let s: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return Some(Furniture::Hidden);
        }
    }
    if let Some(role) = a.role {
        match role.trim() {
            "navigation" | "menu" | "menubar" => return Some(Furniture::Navigation),
            "banner" | "complementary" | "search" | "toolbar" => return Some(Furniture::Other),
            "contentinfo" => return Some(Furniture::Footer),
            "dialog" | "alertdialog" => return Some(Furniture::Notice),
            _ => {}
        }
    }
    None
}

/// What an element's class and id say, worked out once per distinct value on a page (pages
/// repeat the same few dozen class lists thousands of times).
#[derive(Clone, Copy, Default)]
struct NameSays {
    furniture: Option<Furniture>,
    published: bool,
    modified: bool,
    date: bool,
    author: bool,
}

impl NameSays {
    fn of(names: &str) -> NameSays {
        if names.is_empty() {
            return NameSays::default();
        }
        let mut furniture = furniture_by_names(names);
        if furniture.is_some_and(Furniture::is_strong) {
            // WordPress puts a post's categories and tags on the post's own container
            // ("hentry category-cookies tag-comments"): they make it look like furniture, never
            // like furniture strong enough to outweigh its prose.
            let own: Vec<&str> =
                names.split_whitespace().filter(|t| !t.starts_with("category-") && !t.starts_with("tag-")).collect();
            if furniture_by_names(&own.join(" ")) != furniture {
                furniture = Some(Furniture::Other);
            }
        }
        NameSays {
            furniture,
            published: names_say_published(names),
            modified: names_say_modified(names),
            date: names_say_date(names),
            author: names_say_author(names),
        }
    }
}

fn furniture_by_names(names: &str) -> Option<Furniture> {
    // Comment threads by word, not by part: "commentary" is an opinion piece, "responsive" a
    // layout, but "comments-area", "commentlist" and WordPress's "respond" are threads.
    let thread = names.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        (w.starts_with("comment") && !w.starts_with("commentar") && !w.starts_with("commentat")) || w == "respond"
    });
    if thread {
        return Some(Furniture::Comments);
    }
    // The earliest entry of the list among the parts found decides the kind.
    let part = parts_regex()
        .find_iter(names)
        .filter_map(|m| FURNITURE_PARTS.iter().position(|(p, _)| *p == m.as_str()))
        .min()
        .map(|i| FURNITURE_PARTS[i].1);
    part.or_else(|| names.split(|c: char| !c.is_ascii_alphanumeric()).find_map(furniture_word))
}

/// A run of text the page lays out as one unit, or part of one when furniture interrupts it.
pub(crate) struct Piece {
    /// The innermost block element holding the text.
    pub owner: u32,
    pub owner_tag: Tag,
    /// Byte range in `Walk::text`.
    pub start: u32,
    pub end: u32,
    /// Visible characters (not white space), and how many of them are link text.
    pub chars: u32,
    pub link_chars: u32,
    /// The innermost furniture-looking element around the piece.
    pub furniture: u32,
    /// Continues the previous piece's paragraph (they were split only by a furniture boundary).
    pub joins: bool,
    /// White space separated it from what came before.
    pub space_before: bool,
    /// Text directly in a container rather than in a paragraph element (or cut short by one).
    pub loose: bool,
}

/// A date the page shows in an element: a `<time>`, microdata, or a short dated text.
pub(crate) struct DateMark {
    pub value: String,
    /// Where in the text it stands: the number of pieces before it.
    pub at: u32,
    /// In comments, related links, navigation or a footer.
    pub foreign: bool,
    /// Marked as the publication date (`itemprop=datePublished`, `pubdate`, a "published" class).
    pub published: bool,
    /// Marked as a modification date.
    pub modified: bool,
    pub how: &'static str,
}

/// An author name found in the page's markup.
pub(crate) struct BylineMark {
    pub text: String,
    pub how: &'static str,
    pub foreign: bool,
}

/// What the walk found.
#[derive(Default)]
pub(crate) struct Walk {
    pub els: Vec<El>,
    pub pieces: Vec<Piece>,
    pub text: String,
    /// `<meta>` content by lower-cased property, name, itemprop or http-equiv, in page order.
    pub metas: HashMap<String, String>,
    pub title: Option<String>,
    /// `<h1>` elements: element index, position (pieces before it) and text.
    pub h1s: Vec<(u32, u32, String)>,
    pub lang: Option<String>,
    pub canonical: Option<String>,
    pub dates: Vec<DateMark>,
    pub bylines: Vec<BylineMark>,
    /// Elements marked `itemprop="articleBody"`: the page pointing at its own text.
    pub article_bodies: Vec<u32>,
}

impl Walk {
    pub fn piece_text(&self, p: &Piece) -> &str {
        &self.text[p.start as usize..p.end as usize]
    }

    pub fn meta(&self, key: &str) -> Option<&str> {
        self.metas.get(key).map(String::as_str)
    }
}

/// Text gathered for one element (a title, heading, time, byline) while the walk is inside it.
struct Capture {
    el: u32,
    what: CaptureKind,
    text: String,
    at: u32,
    foreign: bool,
    published: bool,
    modified: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CaptureKind {
    Title,
    H1,
    Time,
    DateText,
    Byline(&'static str),
}

/// Longest text kept for one capture: titles and bylines are short, and a capture must not grow
/// with a page that forgot to close its `<title>`.
const CAPTURE_MAX: usize = 1000;

/// Most captures open at once (besides the title).
const MAX_CAPTURES: usize = 8;

struct State {
    w: Walk,
    /// Open elements: index into `els`.
    open: Vec<u32>,
    /// Open block elements: index into `els`, and how many cells a row has seen.
    owners: Vec<(u32, u32)>,
    /// Open furniture-looking elements.
    furniture: Vec<u32>,
    foreign_depth: u32,
    link_depth: u32,
    pre_depth: u32,
    head_depth: u32,
    /// The current piece: where its text starts, its counts, and how it began.
    piece_start: usize,
    chars: u32,
    link_chars: u32,
    pending_space: bool,
    space_before: bool,
    next_joins: bool,
    caps: Vec<Capture>,
    /// Reused for each element's lower-cased class and id.
    names: String,
    said: HashMap<String, NameSays>,
}

impl State {
    /// Ends the current piece. `furniture_boundary`: the paragraph goes on after the boundary.
    fn flush(&mut self, own_close: bool, furniture_boundary: bool) {
        let mut emitted = false;
        let end = self.w.text.len();
        if end > self.piece_start {
            // A piece never ends in a line break.
            while self.w.text.ends_with('\n') {
                self.w.text.pop();
            }
            let end = self.w.text.len();
            let (owner, owner_tag) = match self.owners.last() {
                Some(&(o, _)) => (o, self.w.els[o as usize].tag),
                None => (NONE, Tag::Block),
            };
            if owner != NONE && end > self.piece_start {
                let loose = !owner_tag.is_paragraph_like() || !own_close || self.single_cell_row(owner_tag);
                self.w.pieces.push(Piece {
                    owner,
                    owner_tag,
                    start: self.piece_start as u32,
                    end: end as u32,
                    chars: self.chars,
                    link_chars: self.link_chars.min(self.chars),
                    furniture: self.furniture.last().copied().unwrap_or(NONE),
                    joins: self.next_joins,
                    space_before: self.space_before,
                    loose,
                });
                emitted = true;
            } else {
                self.w.text.truncate(self.piece_start);
            }
        }
        self.piece_start = self.w.text.len();
        self.chars = 0;
        self.link_chars = 0;
        self.space_before = false;
        if furniture_boundary {
            // Consecutive boundaries keep whatever the last piece left.
            self.next_joins |= emitted;
        } else {
            self.next_joins = false;
            self.pending_space = false;
        }
    }

    /// A table row with one cell is layout, and its text is prose like any container's.
    fn single_cell_row(&self, owner_tag: Tag) -> bool {
        owner_tag == Tag::Row && self.owners.last().is_some_and(|&(_, cells)| cells <= 1)
    }

    fn push_text(&mut self, t: &str) {
        if self.head_depth == 0 {
            if self.pre_depth > 0 {
                // Line breaks inside <pre> are kept; other white space still collapses.
                for (n, line) in t.split('\n').enumerate() {
                    if n > 0 {
                        self.pending_space = false;
                        if self.w.text.len() > self.piece_start && !self.w.text.ends_with('\n') {
                            self.w.text.push('\n');
                        }
                    }
                    self.push_words(line);
                }
            } else {
                self.push_words(t);
            }
        }
        for cap in &mut self.caps {
            if cap.text.len() < CAPTURE_MAX {
                cap.text.push_str(t);
                cap.text.push(' ');
            }
        }
    }

    /// Appends text with white space collapsed to single spaces, a word at a time.
    fn push_words(&mut self, t: &str) {
        let mut added = 0u32;
        // Printable ASCII with ASCII white space (most text) splits on bytes and needs no filter.
        let plain = t.bytes().all(|b| (0x20..0x7f).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r' | 0x0c));
        if plain {
            for (n, word) in t.split(|c: char| c.is_ascii_whitespace()).enumerate() {
                self.pending_space |= n > 0;
                added += self.push_word(word, word.len());
            }
        } else {
            for (n, word) in t.split(char::is_whitespace).enumerate() {
                self.pending_space |= n > 0;
                if word.chars().any(is_invisible) {
                    let clean: String = word.chars().filter(|&c| !is_invisible(c)).collect();
                    added += self.push_word(&clean, clean.chars().count());
                } else {
                    added += self.push_word(word, word.chars().count());
                }
            }
        }
        self.chars += added;
        if self.link_depth > 0 {
            self.link_chars += added;
        }
    }

    /// Appends one word (`chars` characters long) after any pending space; returns `chars`.
    fn push_word(&mut self, word: &str, chars: usize) -> u32 {
        if word.is_empty() {
            return 0;
        }
        if self.pending_space {
            if self.w.text.len() > self.piece_start {
                if !self.w.text.ends_with('\n') {
                    self.w.text.push(' ');
                }
            } else {
                self.space_before = true;
            }
            self.pending_space = false;
        }
        self.w.text.push_str(word);
        chars as u32
    }

    fn line_break(&mut self) {
        if self.w.text.len() == self.piece_start {
            return;
        }
        if self.w.text.ends_with('\n') {
            // Two breaks in a row end the paragraph.
            self.w.text.pop();
            self.flush(false, false);
        } else {
            self.w.text.push('\n');
            self.pending_space = false;
        }
    }
}

/// Control characters, byte-order marks, soft hyphens and zero-width spaces: never wanted in text
/// (valid UTF-8 pages reach the walk without the decoder's clean-up).
fn is_invisible(c: char) -> bool {
    (c.is_control() && !c.is_whitespace()) || matches!(c, '\u{feff}' | '\u{ad}' | '\u{200b}' | '\u{2060}')
}

/// Collapses white space in captured text.
pub(crate) fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().filter(|&c| !is_invisible(c)));
    }
    out
}

/// Walks the tree below `root`. `furniture` says whether furniture is marked at all (an HTML
/// fragment from a JSON record is all content).
pub(crate) fn walk(root: NodeRef<'_, Node>, furniture: bool) -> Walk {
    let mut s = State {
        w: Walk::default(),
        open: Vec::new(),
        owners: Vec::new(),
        furniture: Vec::new(),
        foreign_depth: 0,
        link_depth: 0,
        pre_depth: 0,
        head_depth: 0,
        piece_start: 0,
        chars: 0,
        link_chars: 0,
        pending_space: false,
        space_before: false,
        next_joins: false,
        caps: Vec::new(),
        names: String::new(),
        said: HashMap::default(),
    };
    let mut skip: Option<ego_tree::NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(el) => {
                        let name = el.name();
                        if is_never_text(name) {
                            skip = Some(node.id());
                            continue;
                        }
                        open_element(&mut s, el, name, furniture);
                    }
                    Node::Text(t) => s.push_text(t),
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skip {
                    if id == node.id() {
                        skip = None;
                    }
                    continue;
                }
                if let Node::Element(el) = node.value() {
                    close_element(&mut s, el.name());
                }
            }
        }
    }
    s.flush(false, false);
    s.w
}

fn open_element(s: &mut State, el: &Element, name: &str, mark_furniture: bool) {
    let idx = s.w.els.len() as u32;
    let tag = classify(name);
    let a = Attrs::of(el);
    let mut names = std::mem::take(&mut s.names);
    a.names_into(&mut names);
    let says = match s.said.get(names.as_str()) {
        Some(says) => *says,
        None => {
            let says = NameSays::of(&names);
            s.said.insert(names.clone(), says);
            says
        }
    };
    let exempt = matches!(name, "html" | "body" | "main");
    let furniture = if !mark_furniture || exempt {
        None
    } else {
        furniture_by_tag(name).or_else(|| furniture_by_attrs(&a)).or(says.furniture)
    };
    let parent = s.open.last().copied().unwrap_or(NONE);
    // Furniture boundaries cut pieces; inline furniture inside a paragraph joins it up again.
    if furniture.is_some() && !is_block(tag) {
        s.flush(false, true);
    }
    if is_block(tag) {
        s.flush(false, false);
    }
    s.w.els.push(El {
        parent,
        tag,
        start: s.w.pieces.len() as u32,
        end: s.w.pieces.len() as u32,
        furniture,
        protected: false,
        dropped: false,
    });
    s.open.push(idx);
    if let Some(f) = furniture {
        s.furniture.push(idx);
        if f.is_foreign() {
            s.foreign_depth += 1;
        }
    }
    if is_block(tag) {
        s.owners.push((idx, 0));
    }
    match tag {
        Tag::A => s.link_depth += 1,
        Tag::Pre => s.pre_depth += 1,
        Tag::Br => s.line_break(),
        Tag::Cell => {
            // Cells of a row read as one line, separated by spaces.
            s.pending_space = true;
            if let Some(o) = s.owners.last_mut() {
                o.1 += 1;
            }
        }
        _ => {}
    }
    if name == "head" {
        s.head_depth += 1;
    }
    let foreign = s.foreign_depth > 0;
    let at = s.w.pieces.len() as u32;
    let mut caps: Vec<(CaptureKind, bool, bool)> = Vec::new();
    let mut capture = |what: CaptureKind, published: bool, modified: bool| caps.push((what, published, modified));
    match name {
        "html" if s.w.lang.is_none() => {
            s.w.lang = el.attr("lang").or_else(|| el.attr("xml:lang")).map(|l| l.trim().to_string());
        }
        "meta" => {
            if let Some(content) = a.content.map(str::trim).filter(|c| !c.is_empty()) {
                for (k, v) in el.attrs() {
                    if matches!(k, "property" | "name" | "itemprop" | "http-equiv") {
                        let key = v.trim().to_ascii_lowercase();
                        s.w.metas.entry(key).or_insert_with(|| content.to_string());
                    }
                }
            }
        }
        "title" if s.w.title.is_none() => capture(CaptureKind::Title, false, false),
        "h1" => capture(CaptureKind::H1, false, false),
        "link"
            if s.w.canonical.is_none()
                && a.rel.is_some_and(|r| r.split_whitespace().any(|r| r.eq_ignore_ascii_case("canonical"))) =>
        {
            s.w.canonical = el.attr("href").map(|h| h.trim().to_string()).filter(|h| !h.is_empty());
        }
        "time" => {
            let published = a.pubdate || says.published || a.itemprop == Some("datePublished");
            let modified = says.modified || a.itemprop == Some("dateModified");
            match a.datetime.or(a.content).map(str::trim).filter(|d| !d.is_empty()) {
                Some(d) => s.w.dates.push(DateMark {
                    value: d.to_string(),
                    at,
                    foreign,
                    published,
                    modified,
                    how: "<time datetime>",
                }),
                None => capture(CaptureKind::Time, published, modified),
            }
        }
        _ => {}
    }
    if let Some(prop) = a.itemprop {
        for prop in prop.split_whitespace() {
            match prop {
                "articleBody" => s.w.article_bodies.push(idx),
                "datePublished" | "dateCreated" if name != "time" => {
                    if let Some(d) = a.datetime.or(a.content).map(str::trim).filter(|d| !d.is_empty()) {
                        s.w.dates.push(DateMark {
                            value: d.to_string(),
                            at,
                            foreign,
                            published: true,
                            modified: false,
                            how: "microdata datePublished",
                        });
                    }
                }
                "author" | "creator" => {
                    capture(CaptureKind::Byline("microdata author"), false, false);
                }
                _ => {}
            }
        }
    }
    if name == "a" && a.rel.is_some_and(|r| r.split_whitespace().any(|r| r.eq_ignore_ascii_case("author"))) {
        capture(CaptureKind::Byline("rel=author link"), false, false);
    } else if furniture == Some(Furniture::Byline) || says.author {
        capture(CaptureKind::Byline("byline in the page"), false, false);
    }
    if name != "time" && says.date {
        capture(CaptureKind::DateText, says.published, says.modified);
    }
    for (what, published, modified) in caps {
        // The title always (there is one); others only a few at a time, so nested headings, date
        // or author boxes cannot make every text node be copied many times over.
        if what == CaptureKind::Title || s.caps.len() < MAX_CAPTURES {
            s.caps.push(Capture { el: idx, what, text: String::new(), at, foreign, published, modified });
        }
    }
    s.names = names;
}

fn close_element(s: &mut State, name: &str) {
    let Some(idx) = s.open.pop() else { return };
    let (tag, furniture) = {
        let e = &s.w.els[idx as usize];
        (e.tag, e.furniture)
    };
    if is_block(tag) {
        s.flush(true, false);
        s.owners.pop();
    } else if furniture.is_some() {
        s.flush(false, true);
    }
    match tag {
        Tag::A => s.link_depth = s.link_depth.saturating_sub(1),
        Tag::Pre => s.pre_depth = s.pre_depth.saturating_sub(1),
        _ => {}
    }
    if name == "head" {
        s.head_depth = s.head_depth.saturating_sub(1);
    }
    if let Some(f) = furniture {
        s.furniture.pop();
        if f.is_foreign() {
            s.foreign_depth = s.foreign_depth.saturating_sub(1);
        }
    }
    s.w.els[idx as usize].end = s.w.pieces.len() as u32;
    while s.caps.last().is_some_and(|c| c.el == idx) {
        let cap = s.caps.pop().expect("just seen");
        let text = squash(&cap.text);
        if text.is_empty() {
            continue;
        }
        match cap.what {
            CaptureKind::Title => s.w.title = Some(text),
            CaptureKind::H1 => s.w.h1s.push((idx, cap.at, text)),
            CaptureKind::Time | CaptureKind::DateText => s.w.dates.push(DateMark {
                value: text,
                at: cap.at,
                foreign: cap.foreign,
                published: cap.published,
                modified: cap.modified,
                how: if cap.what == CaptureKind::Time { "<time> text" } else { "the text near the title" },
            }),
            CaptureKind::Byline(how) => s.w.bylines.push(BylineMark { text, how, foreign: cap.foreign }),
        }
    }
}

fn names_say_published(names: &str) -> bool {
    ["publish", "posted", "pubdate", "created", "dateline"].iter().any(|w| names.contains(w))
}

fn names_say_modified(names: &str) -> bool {
    ["modif", "updated", "update-"].iter().any(|w| names.contains(w))
}

fn names_say_date(names: &str) -> bool {
    ["date", "time", "publish", "posted"].iter().any(|w| names.contains(w))
        && !["timeline", "update", "runtime", "timer", "timezone"].iter().any(|w| names.contains(w))
}

fn names_say_author(names: &str) -> bool {
    names.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| matches!(w, "author" | "authors" | "byline" | "writer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(class: &str) -> Option<Furniture> {
        NameSays::of(&format!("{class} ")).furniture
    }

    #[test]
    fn class_names() {
        assert_eq!(kind("comments-area"), Some(Furniture::Comments));
        assert_eq!(kind("commentlist"), Some(Furniture::Comments));
        assert_eq!(kind("respond"), Some(Furniture::Comments));
        assert_eq!(kind("commentary-body"), None, "an opinion piece");
        assert_eq!(kind("img-responsive"), None);
        assert_eq!(kind("header-ad"), Some(Furniture::Ad));
        assert_eq!(kind("masthead-logo"), Some(Furniture::Other));
        assert_eq!(kind("head"), None, "a word, not a part");
        assert_eq!(kind("cookie-banner"), Some(Furniture::Cookies));
        assert_eq!(kind("read-more-link"), Some(Furniture::Related));
        // A post's own taxonomy labels never make it strong furniture.
        assert_eq!(kind("post hentry category-cookies tag-comments"), Some(Furniture::Other));
        assert!(NameSays::of("entry-date published ").published);
        assert!(NameSays::of("updated-date ").modified);
        assert!(NameSays::of("post-author ").author);
        assert!(!NameSays::of("timeline ").date);
    }

    #[test]
    fn pieces_and_paragraph_joins() {
        let doc = scraper::Html::parse_document(
            "<body><p>One <span class=\"ad\">Ad</span> two</p><p>Three</p><nav><a>Home</a></nav></body>",
        );
        let w = walk(doc.tree.root(), true);
        let texts: Vec<(&str, bool, bool)> =
            w.pieces.iter().map(|p| (w.piece_text(p), p.joins, p.furniture != NONE)).collect();
        assert_eq!(
            texts,
            vec![
                ("One", false, false),
                ("Ad", true, true),
                ("two", true, false),
                ("Three", false, false),
                ("Home", false, true)
            ]
        );
        assert!(w.pieces[2].space_before);
    }
}

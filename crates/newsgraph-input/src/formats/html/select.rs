//! Finding the article in the walked page: which furniture-looking elements really are
//! furniture, which container holds the article's prose, and the article's paragraphs.

use super::walk::{Furniture, Tag, Walk, NONE};

/// A paragraph as one view of the page shows it: the visible pieces of one run of text.
pub(crate) struct Block {
    pub owner: u32,
    pub owner_tag: Tag,
    /// Index of its first piece, which places it in the page.
    pub first: u32,
    pub chars: u32,
    pub link_chars: u32,
    pub loose: bool,
    /// Its pieces, `pieces[a..b]`, of which this view shows only some.
    pub span: (u32, u32),
}

impl Block {
    pub fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            f64::from(self.link_chars) / f64::from(self.chars)
        }
    }
}

/// Groups pieces into paragraphs, keeping the pieces `visible` accepts.
fn blocks(w: &Walk, visible: impl Fn(u32) -> bool) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut i = 0usize;
    let n = w.pieces.len();
    while i < n {
        let owner = w.pieces[i].owner;
        let mut j = i + 1;
        while j < n && w.pieces[j].joins && w.pieces[j].owner == owner {
            j += 1;
        }
        let mut b = Block {
            owner,
            owner_tag: w.pieces[i].owner_tag,
            first: NONE,
            chars: 0,
            link_chars: 0,
            loose: w.pieces[j - 1].loose,
            span: (i as u32, j as u32),
        };
        for k in i..j {
            if visible(k as u32) {
                let p = &w.pieces[k];
                if b.first == NONE {
                    b.first = k as u32;
                }
                b.chars += p.chars;
                b.link_chars += p.link_chars;
            }
        }
        if b.first != NONE {
            out.push(b);
        }
        i = j;
    }
    out
}

/// A block's unlinked text, if it is long enough to count: what a container holds.
fn text_weight(b: &Block) -> f64 {
    if b.chars < 25 {
        return 0.0;
    }
    f64::from(b.chars) * (1.0 - b.link_density()).max(0.0)
}

/// What a block is worth as evidence of article text: its unlinked characters, if it is prose.
fn block_score(b: &Block) -> f64 {
    // Some articles are written as lists of long items; menus have short ones, and lists of
    // teasers (headline link and excerpt) are link-heavy. Half weight: a paragraph is surer.
    if b.owner_tag == Tag::Li && !b.loose {
        return if b.chars >= 80 && b.link_density() < 0.2 { 0.5 * text_weight(b) } else { 0.0 };
    }
    let prose = b.owner_tag == Tag::P || b.owner_tag == Tag::Pre || b.loose;
    if !prose {
        return 0.0;
    }
    text_weight(b)
}

/// Per-piece-position prefix sums of `f` over blocks, so any element's sum costs two lookups.
struct Prefix(Vec<f64>);

impl Prefix {
    fn new(w: &Walk, blocks: &[Block], f: impl Fn(&Block) -> f64) -> Prefix {
        let mut v = vec![0.0; w.pieces.len() + 1];
        for b in blocks {
            v[b.first as usize + 1] += f(b);
        }
        for i in 1..v.len() {
            v[i] += v[i - 1];
        }
        Prefix(v)
    }

    fn over(&self, w: &Walk, el: u32) -> f64 {
        let e = &w.els[el as usize];
        self.0[e.end as usize] - self.0[e.start as usize]
    }
}

/// Marks the elements that cannot be furniture: the headline's and the marked article body's
/// ancestors, and any container holding much of the page's prose — names are weak evidence
/// (WordPress marks articles "tag-…", ASP.NET wraps whole pages in a `<form>`).
///
/// Comment threads and cookie notices are never protected by their prose: either can outweigh a
/// short article.
pub(crate) fn protect(w: &mut Walk, title_h1: Option<u32>) {
    let all = blocks(w, |_| true);
    let prose = Prefix::new(w, &all, text_weight);
    let total = prose.0[w.pieces.len()];
    if total > 0.0 {
        for i in 0..w.els.len() {
            let strong = w.els[i].furniture.is_some_and(Furniture::is_strong);
            if !strong && prose.over(w, i as u32) >= 0.4 * total {
                w.els[i].protected = true;
            }
        }
    }
    let starts: Vec<u32> = title_h1.into_iter().chain(w.article_bodies.iter().copied()).collect();
    for mut e in starts {
        while e != NONE && !w.els[e as usize].protected {
            w.els[e as usize].protected = true;
            e = w.els[e as usize].parent;
        }
    }
    // Furniture inside dropped furniture is dropped too, protected or not (elements come in
    // document order, so a parent is settled before its children).
    for i in 0..w.els.len() {
        let parent = w.els[i].parent;
        let inherited = parent != NONE && w.els[parent as usize].dropped;
        let own = w.els[i].furniture.is_some() && !w.els[i].protected;
        w.els[i].dropped = inherited || own;
    }
}

/// Whether piece `k` is article material: not inside dropped furniture.
pub(crate) fn is_visible(w: &Walk, k: u32) -> bool {
    let f = w.pieces[k as usize].furniture;
    f == NONE || !w.els[f as usize].dropped
}

/// The page's paragraphs with furniture left out.
pub(crate) fn visible_blocks(w: &Walk) -> Vec<Block> {
    blocks(w, |k| is_visible(w, k))
}

/// The main text, and whether the chosen part of the page reads as a list of teasers (a home or
/// section page: headlines that are links, each over a short paragraph) rather than an article.
pub(crate) struct MainText<'b> {
    pub blocks: Vec<&'b Block>,
    pub teasers: bool,
}

/// Link density of any element's content, from prefix sums.
struct Density {
    chars: Prefix,
    links: Prefix,
}

impl Density {
    fn of(&self, w: &Walk, e: u32) -> f64 {
        let c = self.chars.over(w, e);
        if c == 0.0 {
            0.0
        } else {
            self.links.over(w, e) / c
        }
    }
}

/// Each prose block credits its container fully and the container's parent by half; returns
/// the scores by element and the elements in the order they were first credited.
fn container_scores(w: &Walk, blocks: &[Block]) -> (Vec<f64>, Vec<u32>) {
    let mut scores = vec![0.0f64; w.els.len()];
    let mut order: Vec<u32> = Vec::new();
    let up = |e: u32| if e == NONE { NONE } else { w.els[e as usize].parent };
    for b in blocks {
        let s = block_score(b);
        if s == 0.0 || b.owner == NONE {
            continue;
        }
        // A list item's container is the element holding the list, not the list.
        let first = match (b.loose, b.owner_tag) {
            (true, _) => b.owner,
            (false, Tag::Li) => up(up(b.owner)),
            _ => up(b.owner),
        };
        for (node, share) in [(first, 1.0), (up(first), 0.5)] {
            if node == NONE {
                continue;
            }
            if scores[node as usize] == 0.0 {
                order.push(node);
            }
            scores[node as usize] += s * share;
        }
    }
    (scores, order)
}

/// The main text: the best container by text density and the parts of the article beside it.
pub(crate) fn main_blocks<'b>(w: &Walk, blocks: &'b [Block]) -> MainText<'b> {
    let (scores, order) = container_scores(w, blocks);
    let density = Density {
        chars: Prefix::new(w, blocks, |b| f64::from(b.chars)),
        links: Prefix::new(w, blocks, |b| f64::from(b.link_chars)),
    };
    let range = |e: u32| {
        let el = &w.els[e as usize];
        (block_index(blocks, el.start), block_index(blocks, el.end))
    };
    // A page that marks its article body is believed, if the mark holds real text — and if there
    // is only one: forums mark every post so.
    let marked: Vec<u32> = w.article_bodies.iter().copied().filter(|&e| density.chars.over(w, e) >= 200.0).collect();
    let ranges = if let [only] = marked[..] {
        vec![range(only)]
    } else {
        let mut top: Option<(u32, f64)> = None;
        for &e in &order {
            let s = scores[e as usize] * (1.0 - density.of(w, e));
            if top.is_none_or(|(_, best)| s > best) {
                top = Some((e, s));
            }
        }
        match top {
            Some(top) => article_parts(w, blocks, &scores, &density, top),
            None => Vec::new(),
        }
    };
    let mut keep = vec![false; blocks.len()];
    for (a, z) in ranges {
        keep[a..z].iter_mut().for_each(|k| *k = true);
    }
    assemble(blocks, &keep)
}

/// Block ranges of the article around the best container `top` (with its score): articles
/// split into sections, or with each paragraph in its own wrappers, make one part the best
/// container, so climb to where the other parts are — as long as the climb adds no other prose,
/// and a few levels at most (wrappers with one child do not count): higher up, siblings are the
/// page's regions, not the article's parts — and take the siblings there that hold prose, what
/// lies between them, and a heading right before the first.
fn article_parts(
    w: &Walk,
    blocks: &[Block],
    scores: &[f64],
    density: &Density,
    top: (u32, f64),
) -> Vec<(usize, usize)> {
    let (top_id, top_score) = top;
    let n_els = w.els.len() as u32;
    let range = |e: u32| {
        let el = &w.els[e as usize];
        (block_index(blocks, el.start), block_index(blocks, el.end))
    };
    let prose = Prefix::new(w, blocks, block_score);
    let mut children = vec![0u32; w.els.len()];
    for e in &w.els {
        if e.parent != NONE {
            children[e.parent as usize] += 1;
        }
    }
    let mut anchor = top_id;
    let mut levels = 0;
    while levels < 3 {
        let up = w.els[anchor as usize].parent;
        if up == NONE || prose.over(w, up) > prose.over(w, anchor) + 0.5 {
            break;
        }
        levels += usize::from(children[up as usize] > 1);
        anchor = up;
    }
    let top_prose = prose.over(w, anchor);
    let parent = w.els[anchor as usize].parent;
    let siblings: Vec<u32> = if parent == NONE {
        vec![anchor]
    } else {
        // Elements are in document order, so the parent's children come after it, in order.
        (parent + 1..n_els).filter(|&e| w.els[e as usize].parent == parent).collect()
    };
    let qualifies: Vec<bool> = siblings
        .iter()
        .map(|&sib| {
            if sib == anchor {
                return true;
            }
            // What looks like furniture and was kept for its prose is not the article's.
            if w.els[sib as usize].furniture.is_some() {
                return false;
            }
            let clean = 1.0 - density.of(w, sib);
            let (a, z) = range(sib);
            let good_p = blocks[a..z]
                .iter()
                .any(|b| b.owner == sib && b.owner_tag == Tag::P && b.chars >= 80 && b.link_density() < 0.25);
            scores[sib as usize] * clean >= (top_score * 0.2).max(10.0)
                || prose.over(w, sib) * clean >= (top_prose * 0.2).max(10.0)
                || good_p
        })
        .collect();
    let first = qualifies.iter().position(|&q| q).unwrap_or(0);
    let last = qualifies.iter().rposition(|&q| q).unwrap_or(0);
    let mut ranges = Vec::new();
    for (i, &sib) in siblings.iter().enumerate() {
        let (a, z) = range(sib);
        let between = i > first && i < last && density.of(w, sib) < 0.5;
        let heading = i + 1 == first && z > a && blocks[a..z].iter().all(|b| b.owner_tag == Tag::Heading);
        if sib == anchor {
            ranges.push(range(top_id));
        } else if qualifies[i] || between || heading {
            ranges.push((a, z));
        }
    }
    ranges
}

/// The kept blocks as text: without the headline (it is the title) and link lists, and with a
/// verdict on whether they are teasers.
fn assemble<'b>(blocks: &'b [Block], keep: &[bool]) -> MainText<'b> {
    let mut out: Vec<&Block> = Vec::new();
    let (mut linked_heads, mut prose_blocks) = (0, 0);
    for (b, _) in blocks.iter().zip(keep).filter(|(_, k)| **k) {
        let heading = matches!(b.owner_tag, Tag::Heading | Tag::H1) && !b.loose;
        if heading && b.link_density() >= 0.8 {
            linked_heads += 1;
        }
        if block_score(b) > 0.0 {
            prose_blocks += 1;
        }
        if (b.owner_tag == Tag::H1 && !b.loose) || b.link_density() > 0.5 {
            continue;
        }
        out.push(b);
    }
    // A heading with nothing after it introduces what follows the article (comments, related
    // stories), not a part of it.
    while out.last().is_some_and(|b| matches!(b.owner_tag, Tag::Heading | Tag::H1) && !b.loose) {
        out.pop();
    }
    // Articles hardly ever link their subheadings; teaser lists link every headline.
    let teasers = linked_heads >= 3 && linked_heads * 2 >= prose_blocks;
    MainText { blocks: out, teasers }
}

/// The index of the first block at or after piece position `piece`.
fn block_index(blocks: &[Block], piece: u32) -> usize {
    blocks.partition_point(|b| b.first < piece)
}

/// The text of a block: its visible pieces, joined as the page spaced them.
pub(crate) fn block_text(w: &Walk, b: &Block, visible: impl Fn(u32) -> bool, out: &mut String) {
    let mut first = true;
    for k in b.span.0..b.span.1 {
        if !visible(k) {
            continue;
        }
        let p = &w.pieces[k as usize];
        if !first && p.space_before {
            out.push(' ');
        }
        out.push_str(w.piece_text(p));
        first = false;
    }
}

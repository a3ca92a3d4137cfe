//! The tagger's weights, their file format, and Viterbi decoding.
//!
//! File format (all numbers little-endian):
//!
//! ```text
//! magic    8 bytes  "NGNER\0v1"
//! labels   u8 count, then per label: u8 prefix (O B I L U), u8 type (0 none, 1 PER, 2 ORG, 3 LOC)
//! scale    f32      a weight is its i16 times scale
//! start    i16 × L  score of each label at the start of a sentence
//! trans    i16 × L × L  score of label b after label a, at a*L + b
//! end      i16 × L  score of each label at the end of a sentence
//! count    u32      number of features
//! keys     u64 × count, strictly increasing (feature hashes, see features.rs)
//! weights  per feature: a mask of the labels with a non-zero weight (one bit per label, in
//!          ceil(L / 8) bytes), then one i16 per set bit
//! ```
//!
//! Most features carry a weight for only one or two labels, so the mask keeps the file small.

use newsgraph_doc::EntityType;

const MAGIC: &[u8; 8] = b"NGNER\0v1";

pub const MAX_LABELS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// b'O', b'B', b'I', b'L' or b'U'.
    pub prefix: u8,
    pub kind: Option<EntityType>,
}

impl Label {
    pub fn name(&self) -> String {
        match self.kind {
            None => "O".to_string(),
            Some(k) => format!("{}-{}", self.prefix as char, kind_code(k)),
        }
    }
    /// Continues the span the label before it opened.
    fn continues(&self) -> bool {
        matches!(self.prefix, b'I' | b'L')
    }
    /// Leaves a span open that the next label must continue (BILOU only).
    fn open(&self) -> bool {
        matches!(self.prefix, b'B' | b'I')
    }
}

fn kind_code(k: EntityType) -> &'static str {
    match k {
        EntityType::Person => "PER",
        EntityType::Org => "ORG",
        EntityType::Place => "LOC",
    }
}

fn kind_byte(k: Option<EntityType>) -> u8 {
    match k {
        None => 0,
        Some(EntityType::Person) => 1,
        Some(EntityType::Org) => 2,
        Some(EntityType::Place) => 3,
    }
}

fn byte_kind(b: u8) -> Result<Option<EntityType>, String> {
    Ok(match b {
        0 => None,
        1 => Some(EntityType::Person),
        2 => Some(EntityType::Org),
        3 => Some(EntityType::Place),
        _ => return Err(format!("unknown entity type {b}")),
    })
}

/// The labels of a tagging scheme: BIO (7 labels) or BILOU (13).
pub fn scheme_labels(bilou: bool) -> Vec<Label> {
    let mut out = vec![Label { prefix: b'O', kind: None }];
    let prefixes: &[u8] = if bilou { b"BILU" } else { b"BI" };
    for k in [EntityType::Person, EntityType::Org, EntityType::Place] {
        for &p in prefixes {
            out.push(Label { prefix: p, kind: Some(k) });
        }
    }
    out
}

/// Which label may follow which: a span is only continued by its own type, and under BILOU an
/// open span must be continued. `allowed[a * L + b]`; `first` and `last` for the sentence ends.
pub struct Grammar {
    pub allowed: Vec<bool>,
    pub first: Vec<bool>,
    pub last: Vec<bool>,
    /// Across a line break: nothing continues.
    pub allowed_break: Vec<bool>,
}

impl Grammar {
    pub fn new(labels: &[Label]) -> Grammar {
        let n = labels.len();
        let bilou = labels.iter().any(|l| l.prefix == b'L');
        let mut allowed = vec![false; n * n];
        let mut allowed_break = vec![false; n * n];
        for (a, la) in labels.iter().enumerate() {
            for (b, lb) in labels.iter().enumerate() {
                let ok = if lb.continues() {
                    la.kind == lb.kind && matches!(la.prefix, b'B' | b'I')
                } else {
                    !(bilou && la.open())
                };
                allowed[a * n + b] = ok;
                allowed_break[a * n + b] = ok && !lb.continues();
            }
        }
        let first = labels.iter().map(|l| !l.continues()).collect();
        let last = labels.iter().map(|l| !(bilou && l.open())).collect();
        Grammar { allowed, first, last, allowed_break }
    }
}

/// Everything the file holds, in the trainer's terms (weights already scaled to i16).
pub struct Parts {
    pub labels: Vec<Label>,
    pub scale: f32,
    pub start: Vec<i16>,
    pub trans: Vec<i16>,
    pub end: Vec<i16>,
    /// (feature hash, one weight per label), any order.
    pub features: Vec<(u64, Vec<i16>)>,
}

impl Parts {
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.labels.len();
        assert!(n <= MAX_LABELS, "the file format holds at most {MAX_LABELS} labels");
        let mut feats: Vec<&(u64, Vec<i16>)> = self.features.iter().collect();
        feats.sort_by_key(|f| f.0);
        feats.dedup_by_key(|f| f.0);
        let mut out = Vec::with_capacity(16 + feats.len() * 12);
        out.extend_from_slice(MAGIC);
        out.push(n as u8);
        for l in &self.labels {
            out.push(l.prefix);
            out.push(kind_byte(l.kind));
        }
        out.extend_from_slice(&self.scale.to_le_bytes());
        for v in self.start.iter().chain(&self.trans).chain(&self.end) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(feats.len() as u32).to_le_bytes());
        for (k, _) in &feats {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, w) in &feats {
            let mask = w.iter().enumerate().filter(|(_, &x)| x != 0).fold(0u16, |m, (i, _)| m | 1 << i);
            out.extend_from_slice(&mask.to_le_bytes()[..n.div_ceil(8)]);
            for &x in w.iter().filter(|&&x| x != 0) {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out
    }
}

/// The score of a forbidden label or step: far below any path's, far above overflow.
const NEVER: i64 = i64::MIN / 4;

/// Start, transition and end scores with the grammar folded in (forbidden: [`NEVER`]).
struct Fast {
    start: Vec<i64>,
    trans: Vec<i64>,
    trans_break: Vec<i64>,
    end: Vec<i64>,
    /// For each label, the labels that may stand before it (most may not: under BILOU an
    /// I- or L- label follows only two of the thirteen).
    before: Vec<Vec<u8>>,
}

impl Fast {
    fn new(g: &Grammar, start: &[i32], trans: &[i32], end: &[i32]) -> Fast {
        let pick =
            |ok: &[bool], v: &[i32]| ok.iter().zip(v).map(|(&ok, &v)| if ok { v as i64 } else { NEVER }).collect();
        Fast {
            start: pick(&g.first, start),
            trans: pick(&g.allowed, trans),
            trans_break: pick(&g.allowed_break, trans),
            end: pick(&g.last, end),
            before: (0..g.first.len())
                .map(|b| (0..g.first.len()).filter(|&a| g.allowed[a * g.first.len() + b]).map(|a| a as u8).collect())
                .collect(),
        }
    }
}

/// A loaded model: an open-addressing table from feature hash to its row of weights.
pub struct Model {
    fast: Fast,
    pub labels: Vec<Label>,
    mask: usize,
    /// The feature hash of each slot (0 marks an empty slot; hashes are never 0). Apart from
    /// the weights, so that the probes, most of which find nothing (a pair of words the model
    /// never saw), stay in a table small enough for the processor's caches.
    keys: Vec<u64>,
    /// The weights of each slot's feature, one i16 per label.
    weights: Vec<i16>,
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let s = self.b.get(self.at..self.at + n).ok_or("the model file is truncated")?;
        self.at += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn i16(&mut self) -> Result<i16, String> {
        Ok(i16::from_le_bytes(self.take(2)?.try_into().expect("2 bytes")))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
}

impl Model {
    pub fn from_bytes(b: &[u8]) -> Result<Model, String> {
        let mut r = Reader { b, at: 0 };
        if r.take(8)? != MAGIC {
            return Err("not a newsgraph NER model (bad magic)".into());
        }
        let n = r.u8()? as usize;
        if n == 0 || n > MAX_LABELS {
            return Err(format!("{n} labels"));
        }
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let prefix = r.u8()?;
            let kind = byte_kind(r.u8()?)?;
            if !b"OBILU".contains(&prefix) || (prefix == b'O') != kind.is_none() {
                return Err(format!("bad label {}", prefix as char));
            }
            labels.push(Label { prefix, kind });
        }
        // the weights are kept as i16 and summed as i32: the scale only matters for training
        let _scale = f32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes"));
        let mut read = |k: usize| (0..k).map(|_| r.i16().map(i32::from)).collect::<Result<Vec<i32>, String>>();
        let start = read(n)?;
        let trans = read(n * n)?;
        let end = read(n)?;
        let count = r.u32()? as usize;
        let mut hashes = Vec::with_capacity(count);
        for _ in 0..count {
            hashes.push(r.u64()?);
        }
        let cap = (count * 2).next_power_of_two().max(16);
        let mask = cap - 1;
        let mut keys = vec![0u64; cap];
        let mut weights = vec![0i16; cap * n];
        for &h in &hashes {
            let mut m = 0u16;
            for (k, &byte) in r.take(n.div_ceil(8))?.iter().enumerate() {
                m |= (byte as u16) << (8 * k);
            }
            if h == 0 || (m as usize) >> n != 0 {
                return Err("bad feature entry".into());
            }
            let mut slot = h as usize & mask;
            while keys[slot] != 0 {
                if keys[slot] == h {
                    return Err("duplicate feature".into());
                }
                slot = (slot + 1) & mask;
            }
            keys[slot] = h;
            for l in 0..n {
                if m & (1 << l) != 0 {
                    weights[slot * n + l] = r.i16()?;
                }
            }
        }
        if r.at != b.len() {
            return Err("trailing bytes after the model".into());
        }
        let grammar = Grammar::new(&labels);
        let fast = Fast::new(&grammar, &start, &trans, &end);
        Ok(Model { fast, labels, mask, keys, weights })
    }

    fn slot(&self, h: u64) -> Option<usize> {
        let mut slot = h as usize & self.mask;
        loop {
            let k = self.keys[slot];
            if k == h {
                return Some(slot);
            }
            if k == 0 {
                return None;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// Does the model hold this feature (with weights or without: a known word's key)?
    pub fn knows(&self, h: u64) -> bool {
        self.slot(h).is_some()
    }

    /// The feature's weights, one per label.
    #[cfg(test)]
    fn row(&self, h: u64) -> Option<Vec<i16>> {
        let at = self.slot(h)?;
        let n = self.labels.len();
        Some(self.weights[at * n..(at + 1) * n].to_vec())
    }

    /// Adds the feature's weights (one per label) to `acc`.
    #[inline]
    pub fn accumulate(&self, h: u64, acc: &mut [i32]) {
        if let Some(at) = self.slot(h) {
            let n = self.labels.len();
            debug_assert_eq!(acc.len(), n);
            for (a, &w) in acc.iter_mut().zip(&self.weights[at * n..(at + 1) * n]) {
                *a += w as i32;
            }
        }
    }

    /// The best label sequence for one sentence. `feats[offsets[i]..offsets[i + 1]]` are token
    /// `i`'s features; `breaks[i]` says a line break stands before token `i`.
    pub fn decode(&self, feats: &[u64], offsets: &[u32], breaks: &[bool]) -> Vec<u8> {
        let n = self.labels.len();
        let len = offsets.len().saturating_sub(1);
        if len == 0 {
            return Vec::new();
        }
        let mut emit = vec![0i32; len * n];
        for t in 0..len {
            let e = &mut emit[t * n..(t + 1) * n];
            for &h in &feats[offsets[t] as usize..offsets[t + 1] as usize] {
                self.accumulate(h, e);
            }
        }
        self.best(&emit, breaks)
    }

    /// The best label sequence given each token's label scores (`emit[t * L + l]`).
    pub fn best(&self, emit: &[i32], breaks: &[bool]) -> Vec<u8> {
        let n = self.labels.len();
        let len = emit.len() / n;
        if len == 0 {
            return Vec::new();
        }
        // [`viterbi`] without its branches: a forbidden step costs so much that no path takes
        // it while another is open, and sums are 64-bit so that nothing overflows
        let mut score = vec![NEVER; n];
        let mut next = vec![NEVER; n];
        let mut back = vec![0u8; len * n];
        for b in 0..n {
            score[b] = self.fast.start[b] + emit[b] as i64;
        }
        for t in 1..len {
            let trans = if breaks.get(t).copied().unwrap_or(false) { &self.fast.trans_break } else { &self.fast.trans };
            for b in 0..n {
                let (mut best, mut arg) = (i64::MIN / 2, 0u8);
                // the labels that may never stand before `b` would only add NEVER; across a line
                // break `trans` forbids more of them still
                for &a in &self.fast.before[b] {
                    let a = a as usize;
                    let v = score[a] + trans[a * n + b];
                    if v > best {
                        best = v;
                        arg = a as u8;
                    }
                }
                next[b] = best + emit[t * n + b] as i64;
                back[t * n + b] = arg;
            }
            std::mem::swap(&mut score, &mut next);
        }
        let (mut best, mut b) = (i64::MIN, 0u8);
        for (l, &s) in score.iter().enumerate() {
            let v = s + self.fast.end[l];
            if v > best {
                best = v;
                b = l as u8;
            }
        }
        let mut out = vec![0u8; len];
        for t in (0..len).rev() {
            out[t] = b;
            b = back[t * n + b as usize];
        }
        out
    }
}

/// Viterbi over label scores (any numeric type the trainer and the tagger use).
pub fn viterbi<T>(g: &Grammar, start: &[T], trans: &[T], end: &[T], emit: &[T], n: usize, breaks: &[bool]) -> Vec<u8>
where
    T: Copy + PartialOrd + std::ops::Add<Output = T> + Default,
{
    let len = emit.len() / n;
    let mut score: Vec<Option<T>> = vec![None; len * n];
    let mut back = vec![0u8; len * n];
    for b in 0..n {
        if g.first[b] {
            score[b] = Some(start[b] + emit[b]);
        }
    }
    for t in 1..len {
        let allowed = if breaks.get(t).copied().unwrap_or(false) { &g.allowed_break } else { &g.allowed };
        for b in 0..n {
            let mut best: Option<(T, u8)> = None;
            for a in 0..n {
                if !allowed[a * n + b] {
                    continue;
                }
                if let Some(s) = score[(t - 1) * n + a] {
                    let v = s + trans[a * n + b];
                    if best.is_none_or(|(bv, _)| v > bv) {
                        best = Some((v, a as u8));
                    }
                }
            }
            if let Some((v, a)) = best {
                score[t * n + b] = Some(v + emit[t * n + b]);
                back[t * n + b] = a;
            }
        }
    }
    let mut best: Option<(T, u8)> = None;
    for b in 0..n {
        if !g.last[b] {
            continue;
        }
        if let Some(s) = score[(len - 1) * n + b] {
            let v = s + end[b];
            if best.is_none_or(|(bv, _)| v > bv) {
                best = Some((v, b as u8));
            }
        }
    }
    let mut out = vec![0u8; len];
    let Some((_, mut b)) = best else { return out };
    for t in (0..len).rev() {
        out[t] = b;
        b = back[t * n + b as usize];
    }
    out
}

/// Spans (token ranges) and types of a label sequence.
pub fn spans(labels: &[Label], tags: &[u8]) -> Vec<(usize, usize, EntityType)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let l = labels[t as usize];
        let continues = l.continues() && open.is_some_and(|(_, k)| Some(k) == l.kind);
        if !continues {
            if let Some((s, k)) = open.take() {
                out.push((s, i, k));
            }
            if let Some(k) = l.kind {
                open = Some((i, k));
            }
        }
        if matches!(l.prefix, b'L' | b'U') {
            if let Some((s, k)) = open.take() {
                out.push((s, i + 1, k));
            }
        }
    }
    if let Some((s, k)) = open {
        out.push((s, tags.len(), k));
    }
    out
}

/// The label sequence of gold spans (token ranges), the inverse of [`spans`].
pub fn tags_of(labels: &[Label], len: usize, gold: &[(usize, usize, EntityType)]) -> Vec<u8> {
    let bilou = labels.iter().any(|l| l.prefix == b'L');
    let find = |prefix: u8, kind: EntityType| {
        labels.iter().position(|l| l.prefix == prefix && l.kind == Some(kind)).expect("scheme has the label") as u8
    };
    let mut out = vec![0u8; len];
    for &(s, e, k) in gold {
        for (i, t) in out.iter_mut().enumerate().take(e).skip(s) {
            let p = match (bilou, i == s, i + 1 == e) {
                (true, true, true) => b'U',
                (true, false, true) => b'L',
                (_, true, _) => b'B',
                _ => b'I',
            };
            *t = find(p, k);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_spans_round_trip() {
        for bilou in [false, true] {
            let labels = scheme_labels(bilou);
            let gold = vec![(0, 2, EntityType::Person), (2, 3, EntityType::Place), (5, 8, EntityType::Org)];
            let tags = tags_of(&labels, 9, &gold);
            assert_eq!(spans(&labels, &tags), gold);
        }
    }

    #[test]
    fn file_round_trip() {
        let labels = scheme_labels(false);
        let n = labels.len();
        let parts = Parts {
            labels: labels.clone(),
            scale: 0.5,
            start: vec![1; n],
            trans: vec![-1; n * n],
            end: vec![0; n],
            features: vec![(42, vec![0, 3, 0, 0, 0, 0, -2]), (7, vec![0; 7]), (9, vec![1, 0, 0, 0, 0, 0, 0])],
        };
        let m = Model::from_bytes(&parts.to_bytes()).expect("loads");
        assert_eq!(m.labels, labels);
        assert_eq!(m.row(42), Some(vec![0, 3, 0, 0, 0, 0, -2]));
        assert_eq!(m.row(7), Some(vec![0; 7]), "a feature without weights is still known");
        assert_eq!(m.row(5), None);
    }

    #[test]
    fn fast_decoding_is_viterbi() {
        for bilou in [false, true] {
            let labels = scheme_labels(bilou);
            let n = labels.len();
            let mut x = 0x9e37_79b9_7f4a_7c15u64;
            let mut rnd = move || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % 2001) as i16 - 1000
            };
            let parts = Parts {
                labels: labels.clone(),
                scale: 1.0,
                start: (0..n).map(|_| rnd()).collect(),
                trans: (0..n * n).map(|_| rnd()).collect(),
                end: (0..n).map(|_| rnd()).collect(),
                features: vec![],
            };
            let m = Model::from_bytes(&parts.to_bytes()).expect("loads");
            let g = Grammar::new(&labels);
            let wide = |v: &[i16]| v.iter().map(|&x| x as i32).collect::<Vec<i32>>();
            for len in [1, 2, 7, 30] {
                let emit: Vec<i32> = (0..len * n).map(|_| rnd() as i32 * 3).collect();
                let breaks: Vec<bool> = (0..len).map(|i| i % 5 == 3).collect();
                let slow = viterbi(&g, &wide(&parts.start), &wide(&parts.trans), &wide(&parts.end), &emit, n, &breaks);
                assert_eq!(m.best(&emit, &breaks), slow, "bilou {bilou}, {len} tokens");
            }
        }
    }

    #[test]
    fn line_breaks_end_spans() {
        let labels = scheme_labels(false);
        let g = Grammar::new(&labels);
        let n = labels.len();
        // two tokens that both want to be one person: B-PER then I-PER
        let mut emit = vec![0i32; 2 * n];
        emit[1] = 10;
        emit[n + 2] = 10;
        let z = vec![0i32; n * n];
        let zs = vec![0i32; n];
        assert_eq!(viterbi(&g, &zs, &z, &zs, &emit, n, &[false, false]), vec![1, 2]);
        let across = viterbi(&g, &zs, &z, &zs, &emit, n, &[false, true]);
        assert_ne!(across[1], 2, "no I- after a line break");
    }
}

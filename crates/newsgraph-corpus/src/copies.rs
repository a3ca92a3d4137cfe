//! Copy detection: articles whose text is the same as, or a light rewrite of, another's.
//!
//! Exact copies share a hash of the normalised body (lowercased words, punctuation and spacing
//! dropped). Near copies are found with MinHash over word shingles and LSH banding: two
//! articles become candidates when all rows of one band agree, and a candidate pair is a copy
//! when the signatures' agreement (an estimate of the shingle sets' Jaccard similarity) is high
//! enough, or when much of one set is contained in the other (a syndicated story with an
//! outlet's own paragraphs added), and the two name mostly the same entities. Only articles
//! sharing a bucket are compared, so the work is linear in the number of articles (plus a sort
//! per band).
//!
//! Each copy points to the first article of its copy group in processing order (publication
//! date, then input order), so a copy found before its original in the input still points to
//! the original.

use crate::text::for_each_word;
use crate::{Bag, Config};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// Hashes per signature.
pub const NUM_HASHES: usize = 128;

/// Bodies with fewer words than this are not compared: a caption or a teaser says too little to
/// call another article its copy.
const MIN_WORDS: usize = 8;

/// What copy detection keeps per article: 8 bytes of exact hash and 256 of signature.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct CopyFeatures {
    pub exact: Option<u64>,
    /// 16 bits of each bin's minimum (see [`features`]). Two different minima agree in them by
    /// chance once in 65,536, which biases the Jaccard estimate negligibly and halves the
    /// memory of `u32`s.
    #[serde(with = "signature")]
    pub sig: Option<Box<[u16; NUM_HASHES]>>,
    /// Distinct shingles, to turn the Jaccard estimate into a containment estimate.
    pub shingles: u32,
}

/// Signatures as sequences: serde's derives stop at arrays of 32.
mod signature {
    use super::NUM_HASHES;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(sig: &Option<Box<[u16; NUM_HASHES]>>, s: S) -> Result<S::Ok, S::Error> {
        sig.as_ref().map(|b| &b[..]).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Box<[u16; NUM_HASHES]>>, D::Error> {
        let v: Option<Vec<u16>> = Deserialize::deserialize(d)?;
        v.map(|v| {
            let n = v.len();
            v.into_boxed_slice().try_into().map_err(|_| D::Error::invalid_length(n, &"128 MinHash values"))
        })
        .transpose()
    }
}

const fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The signature is a one-permutation MinHash (Li, Owen and Zhang 2012) with optimal
/// densification (Shrivastava 2017): each shingle's hash goes to one of the 128 bins by its top
/// seven bits and the bin keeps the least of the rest. Two texts agree on a bin with probability
/// their Jaccard similarity, as with 128 separate permutations, at the cost of one hash per
/// shingle instead of 128. A bin no shingle fell into (short texts) takes the value of the first
/// non-empty bin along a probe sequence that depends only on the bin, so two texts still agree
/// on it with that same probability.
pub(crate) fn features(text: &str, cfg: &Config) -> CopyFeatures {
    // Each word is hashed once; a shingle's hash is the xxh3 of its words' hashes.
    let mut words: Vec<u64> = Vec::new();
    for_each_word(text, |w| words.push(xxh3_64(w.as_bytes())));
    if words.len() < MIN_WORDS {
        return CopyFeatures::default();
    }
    let bytes: Vec<u8> = words.iter().flat_map(|h| h.to_le_bytes()).collect();
    let exact = Some(xxh3_64(&bytes));

    let n = cfg.shingle_words.clamp(1, words.len());
    let mut hashes: Vec<u64> = (0..=words.len() - n).map(|k| xxh3_64(&bytes[8 * k..8 * (k + n)])).collect();
    hashes.sort_unstable();
    hashes.dedup();
    const EMPTY: u64 = u64::MAX;
    let mut bins = [EMPTY; NUM_HASHES];
    for &h in &hashes {
        let bin = (h >> 57) as usize;
        // The low bits order shingles within a bin; the top bits named the bin.
        let rest = h & ((1 << 57) - 1);
        if rest < bins[bin] {
            bins[bin] = rest;
        }
    }
    let filled = bins;
    for (i, b) in bins.iter_mut().enumerate() {
        let mut probe = 0u64;
        while *b == EMPTY {
            probe += 1;
            let j = (splitmix((i as u64) << 32 | probe) >> 57) as usize;
            *b = filled[j];
        }
    }
    let mut sig = Box::new([0u16; NUM_HASHES]);
    for (s, m) in sig.iter_mut().zip(bins) {
        // Mixed before truncation: the least values of a bin share their high zero bits.
        *s = splitmix(m) as u16;
    }
    CopyFeatures { exact, sig: Some(sig), shingles: hashes.len() as u32 }
}

/// Estimated Jaccard similarity of two shingle sets from their signatures.
pub(crate) fn jaccard(a: &[u16; NUM_HASHES], b: &[u16; NUM_HASHES]) -> f32 {
    a.iter().zip(b.iter()).filter(|(x, y)| x == y).count() as f32 / NUM_HASHES as f32
}

/// Whether two texts share enough shingles to be copies of each other (the names they give are
/// checked apart, by [`same_names`], only for the pairs that pass this cheaper test).
fn alike(a: &Signed, b: &Signed, cfg: &Config) -> bool {
    let j = jaccard(&a.sig, &b.sig);
    // |A ∩ B| = J (|A| + |B|) / (1 + J); divided by the smaller set it says how much of the
    // shorter article the longer one repeats.
    let (na, nb) = (a.shingles as f32, b.shingles as f32);
    let inter = j * (na + nb) / (1.0 + j);
    let smaller = na.min(nb);
    j >= cfg.copy_jaccard || (smaller >= 20.0 && inter / smaller >= cfg.copy_containment)
}

/// Whether two near copies name mostly the same entities. A copy keeps the names of the
/// original; what differs is wording. Pages whose text is mostly a site's template (a sign-up
/// box, an author's newsletter blurb) look alike too, but name different people.
fn same_names(a: &Bag, b: &Bag) -> bool {
    if a.ids.is_empty() || b.ids.is_empty() {
        return true;
    }
    let shared = a.ids.iter().filter(|id| b.ids.binary_search(id).is_ok()).count();
    2 * shared >= a.ids.len().min(b.ids.len())
}

/// Union-find whose root is always the member that comes first in processing order.
struct Groups {
    parent: Vec<u32>,
}

impl Groups {
    fn find(&mut self, mut x: u32) -> u32 {
        let mut root = x;
        while self.parent[root as usize] != root {
            root = self.parent[root as usize];
        }
        while self.parent[x as usize] != root {
            let next = self.parent[x as usize];
            self.parent[x as usize] = root;
            x = next;
        }
        root
    }
    /// `rank` maps an article to its position in processing order.
    fn union(&mut self, a: u32, b: u32, rank: &[u32]) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        if rank[ra as usize] < rank[rb as usize] {
            self.parent[rb as usize] = ra;
        } else {
            self.parent[ra as usize] = rb;
        }
    }
}

/// The copy features of an article that has a signature.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    pub exact: u64,
    pub shingles: u32,
    pub sig: [u16; NUM_HASHES],
}

impl Signed {
    pub fn of(f: &CopyFeatures) -> Option<Signed> {
        Some(Signed { exact: f.exact?, shingles: f.shingles, sig: **f.sig.as_ref()? })
    }
}

/// Where [`detect`] reads signatures from: memory, or the corpus's spill file.
pub(crate) trait Signatures {
    /// Calls `f` with each article that has a signature, in the order of articles.
    fn scan(&self, f: &mut dyn FnMut(u32, &Signed)) -> std::io::Result<()>;
    /// The signature of the `k`th article that has one.
    fn get(&self, k: u32) -> std::io::Result<Signed>;
}

/// Bytes of one signature record in a spill file: article, shingles, exact hash, signature.
pub(crate) const RECORD: usize = 4 + 4 + 8 + 2 * NUM_HASHES;

pub(crate) fn encode(article: u32, s: &Signed) -> [u8; RECORD] {
    let mut out = [0u8; RECORD];
    out[0..4].copy_from_slice(&article.to_le_bytes());
    out[4..8].copy_from_slice(&s.shingles.to_le_bytes());
    out[8..16].copy_from_slice(&s.exact.to_le_bytes());
    for (k, v) in s.sig.iter().enumerate() {
        out[16 + 2 * k..18 + 2 * k].copy_from_slice(&v.to_le_bytes());
    }
    out
}

pub(crate) fn decode(b: &[u8]) -> (u32, Signed) {
    let u32_at = |k: usize| u32::from_le_bytes(b[k..k + 4].try_into().expect("4 bytes"));
    let mut sig = [0u16; NUM_HASHES];
    for (k, v) in sig.iter_mut().enumerate() {
        *v = u16::from_le_bytes([b[16 + 2 * k], b[17 + 2 * k]]);
    }
    let exact = u64::from_le_bytes(b[8..16].try_into().expect("8 bytes"));
    (u32_at(0), Signed { exact, shingles: u32_at(4), sig })
}

/// Signature records (as [`encode`] writes them) read into memory from a spill file: the bands
/// scan them dozens of times and compared pairs read them at random, which from the file
/// would cost a system call or two each.
pub(crate) struct Records<'a>(pub &'a [u8]);

impl Signatures for Records<'_> {
    fn scan(&self, f: &mut dyn FnMut(u32, &Signed)) -> std::io::Result<()> {
        for rec in self.0.chunks_exact(RECORD) {
            let (i, sig) = decode(rec);
            f(i, &sig);
        }
        Ok(())
    }
    fn get(&self, k: u32) -> std::io::Result<Signed> {
        let at = k as usize * RECORD;
        let rec = self
            .0
            .get(at..at + RECORD)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "signature record past the end"))?;
        Ok(decode(rec).1)
    }
}

/// For each of `n` articles, the index of the original of its copy group (the group's first
/// article in processing order), or None for originals and articles without copies.
/// `entities` gives an article's entity bag, sorted by id. Signatures are read once per band
/// in order, and again only for the pairs compared, so they need not be in memory.
pub(crate) fn detect(
    n: usize,
    sigs: &(impl Signatures + ?Sized),
    mut entities: impl FnMut(u32) -> Bag,
    rank: &[u32],
    cfg: &Config,
) -> std::io::Result<Vec<Option<u32>>> {
    let mut groups = Groups { parent: (0..n as u32).collect() };

    // (key, rank, article, record)
    let mut keys: Vec<(u64, u32, u32, u32)> = Vec::new();
    sigs.scan(&mut |i, s| keys.push((s.exact, rank[i as usize], i, keys.len() as u32)))?;
    keys.sort_unstable();
    for w in keys.windows(2) {
        if w[0].0 == w[1].0 {
            groups.union(w[0].2, w[1].2, rank);
        }
    }

    let rows = cfg.copy_band_rows.clamp(1, NUM_HASHES);
    let bands = cfg.copy_bands.clamp(1, NUM_HASHES / rows);
    // A bucket can be large when many articles share boilerplate; comparing each member with a
    // few before it (in processing order) keeps the work linear, and chains still join them.
    const WINDOW: usize = 4;
    for band in 0..bands {
        let range = band * rows..(band + 1) * rows;
        keys.clear();
        sigs.scan(&mut |i, s| {
            let mut bytes = [0u8; 2 * NUM_HASHES];
            for (k, v) in s.sig[range.clone()].iter().enumerate() {
                bytes[2 * k..2 * k + 2].copy_from_slice(&v.to_le_bytes());
            }
            keys.push((xxh3_64(&bytes[..2 * rows]), rank[i as usize], i, keys.len() as u32));
        })?;
        keys.sort_unstable();
        let mut start = 0;
        while start < keys.len() {
            let mut end = start + 1;
            while end < keys.len() && keys[end].0 == keys[start].0 {
                end += 1;
            }
            for j in start + 1..end {
                for k in j.saturating_sub(WINDOW).max(start)..j {
                    let (a, b) = (keys[k].2, keys[j].2);
                    if groups.find(a) != groups.find(b) {
                        let (fa, fb) = (sigs.get(keys[k].3)?, sigs.get(keys[j].3)?);
                        if alike(&fa, &fb, cfg) && same_names(&entities(a), &entities(b)) {
                            groups.union(a, b, rank);
                        }
                    }
                }
            }
            start = end;
        }
    }

    Ok((0..n as u32)
        .map(|i| {
            let r = groups.find(i);
            (r != i).then_some(r)
        })
        .collect())
}

/// Copy detection alone over plain texts, in input order: for each text the index of the first
/// text of its copy group, or None. Without entities, the check that near copies name the same
/// people is skipped; [`crate::Corpus`] makes it.
pub fn find_copies<'a>(texts: impl IntoIterator<Item = &'a str>, cfg: &Config) -> Vec<Option<u32>> {
    let feats: Vec<Option<Signed>> = texts.into_iter().map(|t| Signed::of(&features(t, cfg))).collect();
    // Records are numbered among the articles that have one.
    let dense: Vec<Signed> = feats.iter().flatten().cloned().collect();
    let rank: Vec<u32> = (0..feats.len() as u32).collect();
    let sigs = Indexed { all: &feats, dense: &dense };
    detect(feats.len(), &sigs, |_| Bag::default(), &rank, cfg).expect("signatures in memory")
}

/// Signatures in memory, by article for scanning and among those present for [`Signatures::get`].
struct Indexed<'a> {
    all: &'a [Option<Signed>],
    dense: &'a [Signed],
}

impl Signatures for Indexed<'_> {
    fn scan(&self, f: &mut dyn FnMut(u32, &Signed)) -> std::io::Result<()> {
        for (i, s) in self.all.iter().enumerate() {
            if let Some(s) = s {
                f(i as u32, s);
            }
        }
        Ok(())
    }
    fn get(&self, k: u32) -> std::io::Result<Signed> {
        Ok(self.dense[k as usize].clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, salt: &str) -> Vec<String> {
        (0..n).map(|i| format!("w{i}{salt}")).collect()
    }

    #[test]
    fn signatures_estimate_jaccard() {
        let cfg = Config { shingle_words: 1, ..Config::default() };
        // 300 shared words, 100 of each text's own: Jaccard 300 / 500.
        let shared = words(300, "");
        let a = [shared.clone(), words(100, "a")].concat().join(" ");
        let b = [shared, words(100, "b")].concat().join(" ");
        let (fa, fb) = (features(&a, &cfg), features(&b, &cfg));
        let j = jaccard(fa.sig.as_ref().unwrap(), fb.sig.as_ref().unwrap());
        assert!((j - 0.6).abs() < 0.12, "estimated {j}");
        assert_eq!(fa.shingles, 400);
        assert_ne!(fa.exact, fb.exact);
    }

    #[test]
    fn exact_hash_ignores_case_and_punctuation() {
        let cfg = Config::default();
        let a = features("The mayor said: “We will rebuild.” Work starts on Monday, 4 May.", &cfg);
        let b = features("the mayor said we will rebuild -- work starts on monday 4 may", &cfg);
        assert_eq!(a.exact, b.exact);
        assert!(features("Too short to judge.", &cfg).exact.is_none());
    }
}

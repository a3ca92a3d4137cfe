//! Training: an averaged structured perceptron over the tagger's own tokens and features.
//!
//! Examples are sentences with gold spans as byte offsets. They are tokenised with the same
//! tokenizer the pipeline uses and their spans projected onto those tokens, so the model learns
//! the token boundaries it will see at run time (a treebank's "Russia 's" and newsgraph's
//! "Russia" "'s" differ). Everything is deterministic: the epochs visit the examples in an order
//! drawn from a fixed seed, and the result depends on nothing else.

use super::super::{Recognizer, RuleRecognizer};
use super::features;
use super::model::{self, Grammar, Label, Parts};
use crate::segment::{split_sentences, tokenize};
use newsgraph_doc::EntityType;
use std::collections::HashMap;

/// One training sentence: its text and its gold mentions (byte ranges into `text`).
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    pub spans: Vec<(usize, usize, EntityType)>,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub epochs: usize,
    pub seed: u64,
    /// BILOU labels instead of BIO.
    pub bilou: bool,
    /// Every n-th sentence is also given in lower case (0: none), and every m-th in Title Case:
    /// web posts drop capitals, headlines capitalise every word, and the model must not rely on
    /// capitals alone.
    pub lower_every: usize,
    pub title_every: usize,
    /// A word seen c times (c ≥ 2) is taken for unknown with probability d / (d + c).
    pub word_dropout: f64,
    /// Models trained, each visiting the examples in its own order, whose weights are then
    /// averaged: one perceptron's weights depend on the order it saw the examples in.
    pub rounds: usize,
    /// Features seen in fewer sentences than this take no part: a feature that fires in one
    /// sentence only (a rare word pair, a rare word's shape in one context) can only learn that
    /// sentence, and the weight it takes is missing from the features that would generalise.
    pub min_feature_count: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            epochs: 12,
            seed: 20_240_611,
            bilou: true,
            lower_every: 8,
            title_every: 8,
            word_dropout: 0.25,
            // one perceptron's dev F1 moves by ±0.01 with the order alone; four averaged move
            // by ±0.003 and score higher (see data/models/README.md)
            rounds: 4,
            min_feature_count: 2,
        }
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub sentences: usize,
    pub tokens: usize,
    pub mentions: usize,
    /// Gold mentions whose ends fall inside a token of ours (kept, widened to whole tokens).
    pub misaligned: usize,
    /// Gold mentions dropped because they overlap an earlier one.
    pub overlapping: usize,
    pub features_seen: usize,
    /// Features seen in at least [`Options::min_feature_count`] sentences.
    pub features_trained: usize,
    pub features_kept: usize,
    /// Sentences tagged wrongly in each epoch (before its updates).
    pub epoch_errors: Vec<usize>,
}

/// What a gold mention of a corpus turns out to be once trimmed to the name it contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mention {
    /// A name: this byte range of the text.
    Named(usize, usize),
    /// No name in it ("he", "the rebels", "the prime minister"): the tokens are simply not a name.
    NotNamed,
    /// Capitalised words that do not form a clean name ("U.S. service members"): the sentence
    /// says nothing reliable about them and is better left out.
    Unsure,
}

/// Words that may stand inside a name between capitalised words ("Bank of England", "Ursula von
/// der Leyen", "Bosnia and Herzegovina").
const JOINERS: &[&str] = &[
    "of",
    "and",
    "for",
    "the",
    "on",
    "de",
    "del",
    "della",
    "der",
    "den",
    "van",
    "von",
    "bin",
    "ibn",
    "al",
    "el",
    "la",
    "le",
    "du",
    "da",
    "dos",
    "y",
    "&",
    "-",
    ".",
    "'s",
    "\u{2019}s",
];

/// Abbreviated ranks and courtesy titles, as tokens without their full stop.
const TITLE_ABBREVIATIONS: &[&str] =
    &["mr", "mrs", "ms", "dr", "prof", "gen", "maj", "col", "lt", "sgt", "capt", "adm", "gov", "sen", "rep", "rev"];

fn is_title_word(lower: &str) -> bool {
    let bare = lower.trim_end_matches('.');
    TITLE_ABBREVIATIONS.contains(&bare) || super::features::is_title_word(bare)
}

/// Trims a corpus's mention to the name it holds, in the conventions of Universal NER: no
/// article, no title ("President Hollande" → "Hollande"), no possessive ending. Corpora differ
/// in what they annotate (re3d marks "the Prime Minister-designate, Haider al-Abadi" and "our
/// forces"); trained on their raw spans, the model would learn a mix of conventions.
pub fn clean_mention(text: &str, start: usize, end: usize, kind: EntityType) -> Mention {
    let sub = &text[start..end];
    let toks: Vec<(usize, usize, &str)> =
        tokenize(sub).into_iter().map(|t| (start + t.start, start + t.end, &sub[t.start..t.end])).collect();
    let is_word = |t: &str| t.chars().next().is_some_and(|c| c.is_alphanumeric());
    let capital = |t: &str| t.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric());
    let lower = |t: &str| t.to_lowercase();
    if !toks.iter().any(|t| capital(t.2)) {
        return Mention::NotNamed;
    }
    let mut a = 0;
    let mut b = toks.len();
    if kind == EntityType::Person {
        // "the Prime Minister-designate, Haider al-Abadi": the name follows the last comma
        if let Some(k) = toks.iter().rposition(|t| t.2 == ",") {
            a = k + 1;
        }
        // everything up to the last title word is the title ("Iraqi Prime Minister …"), unless
        // the word ends the name ("Martin Luther King")
        let named_after = |k: usize| toks[k + 1..b].iter().any(|t| is_word(t.2) && capital(t.2));
        if let Some(k) = (a..b).rev().find(|&k| is_title_word(&lower(toks[k].2)) && named_after(k)) {
            a = k + 1;
        }
    }
    while a < b && !(is_word(toks[a].2) && capital(toks[a].2)) {
        a += 1;
    }
    while b > a && !(is_word(toks[b - 1].2) && capital(toks[b - 1].2)) {
        b -= 1;
    }
    if a >= b {
        return Mention::NotNamed;
    }
    let ok =
        toks[a..b].iter().all(|t| capital(t.2) || JOINERS.contains(&lower(t.2).as_str()) || t.2 == "." || t.2 == "-");
    if !ok {
        return Mention::Unsure;
    }
    Mention::Named(toks[a].0, toks[b - 1].1)
}

/// Small words a headline leaves in lower case.
const HEADLINE_SMALL: &[&str] =
    &["a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "by", "with", "from", "as"];

/// The example with its text recased by `f` word by word; characters whose other case takes
/// another number of bytes are left alone, so the spans stay valid.
fn recase(ex: &Example, f: impl Fn(usize, &str) -> String) -> Example {
    let mut text = String::with_capacity(ex.text.len());
    for (k, w) in ex.text.split(' ').enumerate() {
        if k > 0 {
            text.push(' ');
        }
        let r = f(k, w);
        if r.len() == w.len() && r.chars().count() == w.chars().count() {
            text.push_str(&r);
        } else {
            text.push_str(w);
        }
    }
    Example { text, spans: ex.spans.clone() }
}

/// The training set with the recased copies of [`Options::lower_every`] and
/// [`Options::title_every`].
pub fn augment(examples: &[Example], opts: &Options) -> Vec<Example> {
    let mut out = examples.to_vec();
    for (i, ex) in examples.iter().enumerate() {
        if opts.lower_every > 0 && i % opts.lower_every == 0 {
            out.push(recase(ex, |_, w| w.to_lowercase()));
        }
        if opts.title_every > 0 && i % opts.title_every == opts.title_every / 2 {
            out.push(recase(ex, |k, w| {
                let lower = w.to_lowercase();
                if k > 0 && HEADLINE_SMALL.contains(&lower.as_str()) {
                    return w.to_string();
                }
                let mut c = w.chars();
                match c.next() {
                    Some(first) => first.to_uppercase().chain(c).collect(),
                    None => String::new(),
                }
            }));
        }
    }
    out
}

/// xorshift64*: a fixed, portable random sequence for the epoch order.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

struct Prepared {
    /// Dense feature ids, token after token.
    feats: Vec<u32>,
    offsets: Vec<u32>,
    gold: Vec<u8>,
}

/// Weights with the running sums that averaging needs: the average of `w` over every step is
/// `w - u / steps` (each update at step c adds c·delta to `u`).
struct Averaged {
    w: Vec<i32>,
    u: Vec<i64>,
}

impl Averaged {
    fn new(n: usize) -> Averaged {
        Averaged { w: vec![0; n], u: vec![0; n] }
    }
    fn add(&mut self, i: usize, delta: i32, step: i64) {
        self.w[i] += delta;
        self.u[i] += step * delta as i64;
    }
    fn average(&self, i: usize, steps: i64) -> f64 {
        self.w[i] as f64 - self.u[i] as f64 / steps as f64
    }
}

/// Token ranges of the gold spans, against the tokens' byte spans.
fn project(ex: &Example, toks: &[newsgraph_doc::Span], report: &mut Report) -> Vec<(usize, usize, EntityType)> {
    let mut spans = ex.spans.clone();
    spans.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1)));
    let mut out: Vec<(usize, usize, EntityType)> = Vec::new();
    for (s, e, k) in spans {
        let a = toks.partition_point(|t| t.end <= s);
        let b = toks.partition_point(|t| t.start < e);
        if a >= b {
            continue;
        }
        if toks[a].start != s || toks[b - 1].end != e {
            report.misaligned += 1;
        }
        if out.last().is_some_and(|&(_, pe, _)| pe > a) {
            report.overlapping += 1;
            continue;
        }
        report.mentions += 1;
        out.push((a, b, k));
    }
    out
}

/// Trains a model; returns the model file's bytes and what happened. `log` hears about each
/// epoch.
pub fn train(examples: &[Example], opts: &Options, log: &mut dyn FnMut(&str)) -> (Vec<u8>, Report) {
    let labels: Vec<Label> = model::scheme_labels(opts.bilou);
    let n = labels.len();
    let grammar = Grammar::new(&labels);
    let mut report = Report::default();
    let mut ids: HashMap<u64, u32> = HashMap::new();
    let mut hashes_by_id: Vec<u64> = Vec::new();
    let mut data: Vec<Prepared> = Vec::with_capacity(examples.len());
    let (mut hashes, mut offsets) = (Vec::new(), Vec::new());
    let examples = augment(examples, opts);
    // words seen once stand for the unknown words of the text to come; a share of the others
    // is dropped too (more for rarer words), so that the unknown-word features see enough cases
    let mut counts: HashMap<u64, u32> = HashMap::new();
    for ex in &examples {
        for t in tokenize(&ex.text) {
            *counts.entry(features::word_key(&features::lower_form(&ex.text[t.start..t.end]))).or_default() += 1;
        }
    }
    let vocabulary: Vec<u64> = counts.iter().filter(|(_, &c)| c >= 2).map(|(&k, _)| k).collect();
    let mut drop_rng = Rng(opts.seed.max(1) ^ 0x5eed);
    let mut known = |k: u64| {
        let c = counts.get(&k).copied().unwrap_or(0) as f64;
        let r = (drop_rng.next() >> 11) as f64 / (1u64 << 53) as f64;
        c >= 2.0 && r >= opts.word_dropout / (opts.word_dropout + c)
    };
    for ex in &examples {
        let toks = tokenize(&ex.text);
        if toks.is_empty() {
            continue;
        }
        let gold_spans = project(ex, &toks, &mut report);
        let gold = model::tags_of(&labels, toks.len(), &gold_spans);
        hashes.clear();
        offsets.clear();
        let rules = RuleRecognizer.recognize(&ex.text, &toks, &split_sentences(&ex.text), false);
        let codes = features::rule_codes(&rules, &toks);
        features::extract(&ex.text, &toks, false, &codes, &mut known, &mut hashes, &mut offsets);
        let feats = hashes
            .iter()
            .map(|&h| {
                *ids.entry(h).or_insert_with(|| {
                    hashes_by_id.push(h);
                    (hashes_by_id.len() - 1) as u32
                })
            })
            .collect();
        report.sentences += 1;
        report.tokens += toks.len();
        data.push(Prepared { feats, offsets: offsets.clone(), gold });
    }
    let nf = hashes_by_id.len();
    report.features_seen = nf;
    report.features_trained = prune(&mut data, nf, opts.min_feature_count);
    log(&format!(
        "{} sentences, {} tokens, {} mentions ({} misaligned, {} overlapping dropped), {} features",
        report.sentences, report.tokens, report.mentions, report.misaligned, report.overlapping, nf
    ));

    let mut avg = vec![0f64; nf * n];
    let mut tavg = vec![0f64; n + n * n + n];
    for round in 0..opts.rounds.max(1) {
        let rng = Rng(opts.seed.max(1).wrapping_add(round as u64 * 0x9e37_79b9));
        let (w, tw, steps) = perceptron(&data, &grammar, n, nf, opts.epochs, rng, &mut report, log);
        for (i, a) in avg.iter_mut().enumerate() {
            *a += w.average(i, steps);
        }
        for (i, a) in tavg.iter_mut().enumerate() {
            *a += tw.average(i, steps);
        }
    }
    // average, then scale to i16: the largest weight maps to 32000
    let max = avg.iter().chain(&tavg).fold(0f64, |m, &x| m.max(x.abs())).max(1e-9);
    let scale = max / 32000.0;
    let q = |x: f64| (x / scale).round().clamp(-32767.0, 32767.0) as i16;
    let mut feats = Vec::new();
    let vocabulary: std::collections::HashSet<u64> = vocabulary.into_iter().collect();
    for (id, &h) in hashes_by_id.iter().enumerate() {
        let row = &avg[id * n..(id + 1) * n];
        let qrow: Vec<i16> = row.iter().map(|&x| q(x)).collect();
        // a known word keeps its key even without weights: it is not an unknown word
        if qrow.iter().any(|&x| x != 0) || vocabulary.contains(&h) {
            feats.push((h, qrow));
        }
    }
    report.features_kept = feats.len();
    let parts = Parts {
        labels,
        scale: scale as f32,
        start: tavg[..n].iter().map(|&x| q(x)).collect(),
        trans: tavg[n..n + n * n].iter().map(|&x| q(x)).collect(),
        end: tavg[n + n * n..].iter().map(|&x| q(x)).collect(),
        features: feats,
    };
    (parts.to_bytes(), report)
}

/// Drops from every token the features seen in fewer than `min` sentences; returns how many
/// features are left.
fn prune(data: &mut [Prepared], nf: usize, min: u32) -> usize {
    let mut seen = vec![0u32; nf];
    let mut last = vec![usize::MAX; nf];
    for (k, d) in data.iter().enumerate() {
        for &f in &d.feats {
            if last[f as usize] != k {
                last[f as usize] = k;
                seen[f as usize] += 1;
            }
        }
    }
    if min > 1 {
        for d in data.iter_mut() {
            let mut feats = Vec::with_capacity(d.feats.len());
            let mut offsets = Vec::with_capacity(d.offsets.len());
            offsets.push(0);
            for t in 0..d.offsets.len() - 1 {
                let fs = &d.feats[d.offsets[t] as usize..d.offsets[t + 1] as usize];
                feats.extend(fs.iter().filter(|&&f| seen[f as usize] >= min));
                offsets.push(feats.len() as u32);
            }
            d.feats = feats;
            d.offsets = offsets;
        }
    }
    seen.iter().filter(|&&c| c >= min.max(1)).count()
}

/// One averaged perceptron over the prepared sentences: the weights, the transition weights
/// and the number of steps.
#[allow(clippy::too_many_arguments)]
fn perceptron(
    data: &[Prepared],
    grammar: &Grammar,
    n: usize,
    nf: usize,
    epochs: usize,
    mut rng: Rng,
    report: &mut Report,
    log: &mut dyn FnMut(&str),
) -> (Averaged, Averaged, i64) {
    let mut w = Averaged::new(nf * n);
    // transitions: start (n), trans (n × n), end (n)
    let mut tw = Averaged::new(n + n * n + n);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut step: i64 = 1;
    let mut emit: Vec<i32> = Vec::new();
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let mut errors = 0;
        for &k in &order {
            let d = &data[k];
            let len = d.gold.len();
            emit.clear();
            emit.resize(len * n, 0);
            for t in 0..len {
                for &f in &d.feats[d.offsets[t] as usize..d.offsets[t + 1] as usize] {
                    let row = &w.w[f as usize * n..(f as usize + 1) * n];
                    for (e, &x) in emit[t * n..(t + 1) * n].iter_mut().zip(row) {
                        *e += x;
                    }
                }
            }
            let (start, rest) = tw.w.split_at(n);
            let (trans, end) = rest.split_at(n * n);
            let pred = model::viterbi(grammar, start, trans, end, &emit, n, &[]);
            if pred != d.gold {
                errors += 1;
                for t in 0..len {
                    let (g, p) = (d.gold[t] as usize, pred[t] as usize);
                    if g != p {
                        for &f in &d.feats[d.offsets[t] as usize..d.offsets[t + 1] as usize] {
                            w.add(f as usize * n + g, 1, step);
                            w.add(f as usize * n + p, -1, step);
                        }
                    }
                    let (gp, pp) = if t == 0 {
                        (g, p)
                    } else {
                        (n + d.gold[t - 1] as usize * n + g, n + pred[t - 1] as usize * n + p)
                    };
                    if gp != pp {
                        tw.add(gp, 1, step);
                        tw.add(pp, -1, step);
                    }
                }
                let (g, p) = (d.gold[len - 1] as usize, pred[len - 1] as usize);
                if g != p {
                    tw.add(n + n * n + g, 1, step);
                    tw.add(n + n * n + p, -1, step);
                }
            }
            step += 1;
        }
        log(&format!("epoch {}: {} of {} sentences wrong", epoch + 1, errors, data.len()));
        report.epoch_errors.push(errors);
    }

    (w, tw, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(text: &str, spans: &[(&str, EntityType)]) -> Example {
        let spans = spans
            .iter()
            .map(|(s, k)| {
                let a = text.find(s).expect("span in text");
                (a, a + s.len(), *k)
            })
            .collect();
        Example { text: text.to_string(), spans }
    }

    #[test]
    fn learns_a_toy_set_deterministically() {
        // twice over: a word seen once stands for the unknown words, and this test wants them known
        let once = [
            ex("Maria Lind lives in Oslo .", &[("Maria Lind", EntityType::Person), ("Oslo", EntityType::Place)]),
            ex(
                "Jonas Berg works for Acme Corp in Bergen .",
                &[("Jonas Berg", EntityType::Person), ("Acme Corp", EntityType::Org), ("Bergen", EntityType::Place)],
            ),
            ex("the weather was fine .", &[]),
        ];
        let data: Vec<Example> = once.iter().chain(&once).cloned().collect();
        let opts = Options { epochs: 8, word_dropout: 0.0, lower_every: 0, title_every: 0, ..Options::default() };
        let (a, report) = train(&data, &opts, &mut |_| {});
        let (b, _) = train(&data, &opts, &mut |_| {});
        assert_eq!(a, b, "same data, same model");
        assert_eq!(report.mentions, 10);
        assert_eq!(*report.epoch_errors.last().unwrap(), 0);
        let m = model::Model::from_bytes(&a).expect("loads");
        let text = "Maria Lind lives in Oslo .";
        let toks = tokenize(text);
        let (mut f, mut o) = (vec![], vec![]);
        features::extract(text, &toks, false, &[], &mut |k| m.knows(k), &mut f, &mut o);
        let tags = m.decode(&f, &o, &[]);
        assert_eq!(model::spans(&m.labels, &tags), vec![(0, 2, EntityType::Person), (4, 5, EntityType::Place)]);
    }

    #[test]
    fn features_of_one_sentence_take_no_part() {
        let mut data = vec![
            Prepared { feats: vec![0, 1, 2, 1], offsets: vec![0, 2, 4], gold: vec![0, 0] },
            Prepared { feats: vec![1, 3, 3], offsets: vec![0, 1, 3], gold: vec![0, 0] },
        ];
        // feature 1 is in both sentences; 0 and 2 in the first only, 3 twice in the second only
        assert_eq!(prune(&mut data, 4, 1), 4, "nothing dropped");
        assert_eq!(data[0].feats, vec![0, 1, 2, 1]);
        assert_eq!(prune(&mut data, 4, 2), 1);
        assert_eq!((data[0].feats.clone(), data[0].offsets.clone()), (vec![1, 1], vec![0, 1, 2]));
        assert_eq!((data[1].feats.clone(), data[1].offsets.clone()), (vec![1], vec![0, 1, 1]));
    }

    #[test]
    fn rounds_average_into_one_deterministic_model() {
        let data = vec![
            ex("Maria Lind lives in Oslo .", &[("Maria Lind", EntityType::Person), ("Oslo", EntityType::Place)]),
            ex("Jonas Berg visited Bergen .", &[("Jonas Berg", EntityType::Person), ("Bergen", EntityType::Place)]),
            ex("the weather was fine .", &[]),
        ];
        let one = Options { epochs: 3, rounds: 1, ..Options::default() };
        let three = Options { rounds: 3, ..one.clone() };
        let (a, ra) = train(&data, &three, &mut |_| {});
        let (b, _) = train(&data, &three, &mut |_| {});
        assert_eq!(a, b, "same data, same rounds, same model");
        assert_eq!(ra.epoch_errors.len(), 9, "three rounds of three epochs");
        assert_ne!(a, train(&data, &one, &mut |_| {}).0, "the rounds are averaged in");
        model::Model::from_bytes(&a).expect("loads");
    }
}

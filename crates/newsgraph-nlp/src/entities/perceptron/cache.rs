//! The tagger's memory of word forms.
//!
//! Most of a token's score comes from features of its form alone (the form, its shape and
//! affixes, cue words) and from what it gives its neighbours two places either side (its form
//! and shape there). Those scores are the same wherever the form stands, and news repeats its
//! words: each thread keeps them per distinct form, across articles, and a token then costs
//! one lookup of its form plus the few features of its context. The sums are integers, so the
//! scores are exactly those of looking up every feature.

use super::features::{neighbour_features, position_features, word_features, WordInfo, CASINGS, NEIGHBOURS};
use super::Model;
use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// Forms kept before the memory starts afresh: a million words of local news use some 30,000;
/// at about 800 bytes a form (the scores of 12 rows of 13 labels, the form's features), 40 MB
/// at most per thread.
const MAX_FORMS: usize = 50_000;

/// Score rows per form: one per position (first in its sentence or not, and the sentence's
/// casing), each with the form's own features, then one per neighbour offset.
pub const ROWS: usize = 2 * CASINGS as usize + NEIGHBOURS.len();

/// The row of the form's own features at a position.
pub fn position_row(first: bool, casing: u8) -> usize {
    2 * casing as usize + first as usize
}

/// The row of what the form gives the token `NEIGHBOURS[k]` places before it.
pub fn neighbour_row(k: usize) -> usize {
    2 * CASINGS as usize + k
}

#[derive(Default)]
pub struct Forms {
    /// The model the scores are of (its address: models live as long as the program).
    model: usize,
    labels: usize,
    ids: FxHashMap<Box<str>, u32>,
    pub infos: Vec<WordInfo>,
    pub unknown: Vec<bool>,
    /// `ROWS × labels` scores per form, form after form.
    pub scores: Vec<i32>,
    /// The sentence's ends as neighbours: one row per neighbour offset.
    pub ends: Vec<i32>,
}

impl Forms {
    fn reset(&mut self, model: &Model) {
        let l = model.labels.len();
        self.model = model as *const Model as usize;
        self.labels = l;
        self.ids.clear();
        self.infos.clear();
        self.unknown.clear();
        self.scores.clear();
        self.ends = vec![0; NEIGHBOURS.len() * l];
        for (k, &d) in NEIGHBOURS.iter().enumerate() {
            for h in neighbour_features(None, d) {
                model.accumulate(h, &mut self.ends[k * l..(k + 1) * l]);
            }
        }
    }

    /// The id of a form, working out its scores the first time it is seen.
    pub fn id(&mut self, model: &Model, form: &str) -> u32 {
        if let Some(&id) = self.ids.get(form) {
            return id;
        }
        let w = WordInfo::new(form);
        let unknown = w.is_word() && !model.knows(w.key);
        let l = self.labels;
        let at = self.scores.len();
        self.scores.resize(at + ROWS * l, 0);
        let mut own = vec![0i32; l];
        let mut feats = Vec::with_capacity(24);
        word_features(&w, unknown, &mut feats);
        for &h in &feats {
            model.accumulate(h, &mut own);
        }
        for casing in 0..CASINGS {
            for first in [false, true] {
                let r = at + position_row(first, casing) * l;
                self.scores[r..r + l].copy_from_slice(&own);
                feats.clear();
                position_features(&w, first, casing, &mut feats);
                for &h in &feats {
                    model.accumulate(h, &mut self.scores[r..r + l]);
                }
            }
        }
        for (k, &d) in NEIGHBOURS.iter().enumerate() {
            let r = at + neighbour_row(k) * l;
            for h in neighbour_features(Some((&w, unknown)), d) {
                model.accumulate(h, &mut self.scores[r..r + l]);
            }
        }
        let id = self.infos.len() as u32;
        self.infos.push(w);
        self.unknown.push(unknown);
        self.ids.insert(form.into(), id);
        id
    }

    /// Row `r` of form `id`'s scores ([`position_row`], [`neighbour_row`]).
    pub fn row(&self, id: u32, r: usize) -> &[i32] {
        let at = (id as usize * ROWS + r) * self.labels;
        &self.scores[at..at + self.labels]
    }
}

thread_local! {
    static FORMS: RefCell<Forms> = RefCell::new(Forms::default());
}

/// Runs `f` with this thread's memory of forms for `model`.
pub fn with_forms<R>(model: &Model, f: impl FnOnce(&mut Forms) -> R) -> R {
    FORMS.with(|cell| {
        let mut forms = cell.borrow_mut();
        if forms.model != model as *const Model as usize || forms.infos.len() > MAX_FORMS || forms.ends.is_empty() {
            forms.reset(model);
        }
        f(&mut forms)
    })
}

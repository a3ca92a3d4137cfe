//! Online story clustering: each article, in processing order, joins the story it is most like
//! or starts a new one, and is never moved afterwards except when two stories merge.
//!
//! An article and a story are compared on (see [`Config::text_weight`] for the score):
//! - the cosine of their TF-IDF vectors over title and body terms (the story's vector is the sum
//!   of its articles' unit vectors, so every article counts the same whatever its length);
//! - the cosine of their entity vectors weighted by IDF, which carries names: two shootings in
//!   one city share the vocabulary and the city, but not the victims and the streets; and how
//!   much of each side's entity weight the other has;
//! - the cosines of the numbers, amounts (unit and value) and event types and roles they give;
//! - a time penalty growing with the logarithm of the days between the article and the story's
//!   nearest article, so a follow-up weeks later needs more evidence but can still join; an
//!   undated article is placed by the day its text names most;
//! - the days they name: a report naming a day the story's articles name (the day of the
//!   shooting, months later in a court report) is drawn in, one naming only days far from them
//!   (the other earthquake, five years earlier) is pushed away;
//! - who they are about: the person an article names most, absent from a story whose own most
//!   named person it does not name, marks a look-alike event;
//! - amounts of the same thing with other values ("26 pirates" against a story of 23).
//!
//! A site's template (its name in every headline, a sign-up box under every article) is left
//! out of its articles' vectors, or it would make all of that site's articles one story.
//!
//! Copies (see [`crate::copies`]) join their original's story and add nothing to its vectors:
//! they are not more evidence of what the story is about.
//!
//! When an article scores `merge_threshold` or more with two stories, they are one event
//! reported from two sides, and merge; the merged story keeps the older one's id.
//!
//! Once every article is placed, an article still alone in its story joins the story it now
//! scores the join threshold with, if any (see [`reattach`]): it may have come before the
//! reports it belongs with. Then a story whose articles fall into two groups that are not
//! alike is split (see [`split`]): a first report too short to tell two look-alike events
//! apart can otherwise join the first report of both.
//!
//! Candidate stories come from inverted indexes from terms and from entities to stories: only
//! stories sharing one of the article's strongest terms or entities are scored, and only the
//! most recent entries of a long postings list are read, so the work per article is bounded.

use crate::hash::{FastMap, FastSet};
use crate::{Article, Bag, Config};

pub(crate) struct Input<'a> {
    /// Number of articles, and article `i`'s features (unpacked on each call).
    pub len: usize,
    pub article: &'a dyn Fn(u32) -> Article,
    /// Article indexes in processing order.
    pub order: &'a [u32],
    /// The original of each copy.
    pub originals: &'a [Option<u32>],
    pub term_idf: &'a [f32],
    pub entity_idf: &'a [f32],
    /// Global document frequencies, to tell a site's template from what the site reports.
    pub term_df: &'a [u32],
    pub entity_df: &'a [u32],
    pub amount_idf: &'a [f32],
    pub event_idf: &'a [f32],
}

/// `(site, id)` pairs of terms (or entities) that are part of a site's template rather than of
/// its stories: its name and slogan in every title, a newsletter box under every article. They
/// make all of a site's articles look alike, so they get no weight in that site's articles.
///
/// A term is template for a site with enough articles when it is in a large share of them and
/// far more often than in the corpus at large (so "shooting" in a crime desk's articles stays).
fn site_template(input: &Input, cfg: &Config, entities: bool) -> FastSet<(u32, u32)> {
    let mut by_site: Vec<(u32, u32)> =
        (0..input.len as u32).filter_map(|i| (input.article)(i).site.map(|s| (s, i))).collect();
    by_site.sort_unstable();
    let n = input.len as f32;
    let df = if entities { input.entity_df } else { input.term_df };
    let mut out = FastSet::default();
    let mut counts: FastMap<u32, u32> = FastMap::default();
    for group in by_site.chunk_by(|a, b| a.0 == b.0) {
        if group.len() < cfg.site_min_articles {
            continue;
        }
        counts.clear();
        for &(_, i) in group {
            let a = (input.article)(i);
            let bag = if entities { &a.entities } else { &a.terms };
            for &t in bag.ids.iter() {
                *counts.entry(t).or_default() += 1;
            }
        }
        let m = group.len() as f32;
        for (&t, &c) in &counts {
            let share = c as f32 / m;
            let global = df[t as usize] as f32 / n;
            if share >= cfg.site_template_share && share >= cfg.site_template_lift * global {
                out.insert((group[0].0, t));
            }
        }
    }
    out
}

/// Sorted by id.
type Sparse = Vec<(u32, f32)>;

#[derive(Debug, Default)]
struct Story {
    terms: Sparse,
    term_norm: f32,
    entities: Sparse,
    entity_norm: f32,
    numbers: Sparse,
    number_norm: f32,
    amounts: Sparse,
    amount_norm: f32,
    events: Sparse,
    event_norm: f32,
    /// Days its articles name or were published on, with how many articles did, sorted by day.
    days: Vec<(i32, f32)>,
    /// Surname hashes of the people its articles name, and of the people its articles name
    /// most, with how many articles did; sorted by hash.
    people: Vec<(u32, f32)>,
    leads: Vec<(u32, f32)>,
    /// Context keys and values of the exact amounts its articles give (see [`crate::claims`]).
    figures: Vec<(u32, u64)>,
    first_time: Option<i64>,
    last_time: Option<i64>,
    size: u32,
}

impl Story {
    fn add_time(&mut self, t: Option<i64>) {
        if let Some(t) = t {
            self.first_time = Some(self.first_time.map_or(t, |f| f.min(t)));
            self.last_time = Some(self.last_time.map_or(t, |l| l.max(t)));
        }
    }

    /// Days between `t` and the nearest end of the story's span, or None when either is
    /// undated.
    fn days_apart(&self, t: Option<i64>) -> Option<f32> {
        match (t, self.first_time, self.last_time) {
            (Some(t), Some(f), Some(l)) => {
                let secs = if t < f { f - t } else { (t - l).max(0) };
                Some(secs as f32 / 86_400.0)
            }
            _ => None,
        }
    }

    /// Adds one article's days, keeping the `cap` most supported.
    fn add_days(&mut self, days: &[i32], weight: f32, cap: usize) {
        add_counts(&mut self.days, days.iter().map(|&d| (d, weight)), cap);
    }

    /// Whether the article is about someone else: the person it names most is not named in the
    /// story, and the person the story's articles name most is not named in the article.
    fn lead_conflict(&self, people: &[u32], lead: Option<u32>) -> bool {
        let Some(lead) = lead else { return false };
        let Some(&(top, _)) = self.leads.iter().max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0))) else {
            return false;
        };
        self.people.binary_search_by_key(&lead, |x| x.0).is_err() && people.binary_search(&top).is_err()
    }

    /// How many of the article's exact amounts the story gives only other values for, for the
    /// same unit and context word: "26 pirates" against a story of 23.
    fn figures_conflict(&self, figures: &[(u32, u32, u64)]) -> u32 {
        let mut conflict = 0;
        for &(key, alt, value) in figures {
            let (mut known, mut same) = (false, false);
            for k in [key, alt].into_iter().filter(|&k| k != 0) {
                let from = self.figures.partition_point(|x| x.0 < k);
                for &(_, v) in self.figures[from..].iter().take_while(|x| x.0 == k) {
                    known = true;
                    same |= v == value;
                }
            }
            conflict += (known && !same) as u32;
        }
        conflict
    }

    fn add_figures(&mut self, figures: &[(u32, u32, u64)], cap: usize) {
        for &(key, alt, value) in figures {
            for k in [key, alt] {
                if k != 0 {
                    if let Err(i) = self.figures.binary_search(&(k, value)) {
                        if self.figures.len() < cap {
                            self.figures.insert(i, (k, value));
                        }
                    }
                }
            }
        }
    }

    fn add(&mut self, a: &Features, cfg: &Config) {
        let st = self;
        st.terms = add_capped(&st.terms, &a.terms, cfg.story_terms);
        st.term_norm = norm(&st.terms);
        st.entities = add_capped(&st.entities, &a.entities, cfg.story_entities);
        st.entity_norm = norm(&st.entities);
        st.numbers = add_capped(&st.numbers, &a.numbers, cfg.story_entities);
        st.number_norm = norm(&st.numbers);
        st.amounts = add_capped(&st.amounts, &a.amounts, cfg.story_entities);
        st.amount_norm = norm(&st.amounts);
        st.events = add_capped(&st.events, &a.events, cfg.story_entities);
        st.event_norm = norm(&st.events);
        st.add_days(&a.days, 1.0, cfg.story_days);
        add_counts(&mut st.people, a.people.iter().map(|&p| (p, 1.0)), cfg.story_entities);
        add_counts(&mut st.leads, a.lead.map(|l| (l, 1.0)), cfg.story_days);
        st.add_figures(&a.figures, cfg.story_entities);
        st.add_time(a.time);
        st.size += 1;
    }

    /// Fewest days between one of `days` and one of the story's, if both have any.
    fn day_gap(&self, days: &[i32]) -> Option<i32> {
        let mut best: Option<i32> = None;
        for &d in days {
            let k = self.days.partition_point(|x| x.0 < d);
            for s in [k.checked_sub(1), Some(k)].into_iter().flatten() {
                if let Some(&(sd, _)) = self.days.get(s) {
                    let gap = (sd - d).abs();
                    best = Some(best.map_or(gap, |b| b.min(gap)));
                }
            }
        }
        best
    }
}

/// Adds counts to a list sorted by key, keeping the `cap` largest.
fn add_counts<K: Ord + Copy>(list: &mut Vec<(K, f32)>, add: impl IntoIterator<Item = (K, f32)>, cap: usize) {
    for (k, w) in add {
        match list.binary_search_by(|x| x.0.cmp(&k)) {
            Ok(i) => list[i].1 += w,
            Err(i) => list.insert(i, (k, w)),
        }
    }
    if list.len() > cap {
        list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(cap);
        list.sort_by_key(|a| a.0);
    }
    list.shrink_to_fit();
}

/// An article's unit vector: `(1 + ln count) · idf`, normalised, without its site's template.
fn weigh(bag: &Bag, idf: &[f32], site: Option<u32>, template: &FastSet<(u32, u32)>) -> Sparse {
    let mut v: Sparse = (bag.ids.iter().zip(bag.counts.iter()))
        .filter(|(&id, _)| site.is_none_or(|s| !template.contains(&(s, id))))
        .map(|(&id, &c)| (id, (1.0 + (c as f32).ln()) * idf[id as usize]))
        .collect();
    let norm = norm(&v);
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    v
}

fn norm(v: &Sparse) -> f32 {
    v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt()
}

/// An article's vector spread over an array indexed by id, so that each candidate story's
/// vector is multiplied with it in one pass, without merging two sorted lists.
struct Dense(Vec<f32>);

impl Dense {
    fn load(&mut self, v: &Sparse) {
        v.iter().for_each(|&(id, w)| self.0[id as usize] = w);
    }
    fn unload(&mut self, v: &Sparse) {
        v.iter().for_each(|&(id, _)| self.0[id as usize] = 0.0);
    }
    /// The cosine with a story vector of norm `norm`.
    fn cos(&self, v: &Sparse, norm: f32) -> f32 {
        if norm > 0.0 {
            v.iter().map(|&(id, w)| self.0[id as usize] * w).sum::<f32>() / norm
        } else {
            0.0
        }
    }
    /// How much of the loaded (unit) vector's weight, and how much of the story vector's, lies
    /// on what both have: an article whose main names the story lacks, or a story whose main
    /// names the article lacks, is about someone else.
    fn coverage(&self, v: &Sparse, norm: f32) -> (f32, f32) {
        if norm <= 0.0 {
            return (0.0, 0.0);
        }
        let (mut mine, mut theirs) = (0.0, 0.0);
        for &(id, w) in v {
            let a = self.0[id as usize];
            if a > 0.0 {
                mine += a * a;
                theirs += w * w;
            }
        }
        (mine, theirs / (norm * norm))
    }
}

/// `a + b`, keeping the `cap` heaviest entries; a story's vector thus stays bounded however
/// many articles it has, at the cost of its rarest terms.
fn add_capped(a: &Sparse, b: &Sparse, cap: usize) -> Sparse {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    if out.len() > cap {
        out.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        out.truncate(cap);
        out.sort_unstable_by_key(|x| x.0);
    }
    // Every story keeps its vectors to the end: no room to spare.
    out.shrink_to_fit();
    out
}

/// The `k` heaviest entries.
fn top(v: &Sparse, k: usize) -> Sparse {
    let mut v = v.clone();
    if v.len() > k {
        v.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        v.truncate(k);
    }
    v
}

/// An article's weighted unit vectors.
struct Features {
    terms: Sparse,
    entities: Sparse,
    numbers: Sparse,
    amounts: Sparse,
    events: Sparse,
    /// Publication time, or for an undated article the day its text names most.
    time: Option<i64>,
    /// The days it names, and its publication day.
    days: Vec<i32>,
    people: Vec<u32>,
    lead: Option<u32>,
    /// Exact amounts: context key, other context key, value.
    figures: Vec<(u32, u32, u64)>,
}

/// What an article and a story are compared on; [`Config`] weighs them into a score.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Evidence {
    pub text: f32,
    pub entities: f32,
    pub numbers: f32,
    pub amounts: f32,
    pub events: f32,
    /// ln(1 + days apart / time scale), 0 when either side is undated.
    pub time: f32,
    /// Whether a day the article names or was published on is within a day of one of the
    /// story's.
    pub same_day: f32,
    /// ln(1 + fewest days between the article's days and the story's / time scale), when both
    /// have days.
    pub day_gap: f32,
    /// Share of the article's entity weight the story has, and of the story's the article has.
    pub article_coverage: f32,
    pub story_coverage: f32,
    /// 1 when the person the article names most is not in the story and the story's main
    /// person is not in the article.
    pub lead_conflict: f32,
    /// ln(1 + the article's exact amounts the story gives only other values for).
    pub figures_conflict: f32,
}

impl Evidence {
    pub fn score(&self, cfg: &Config) -> f32 {
        cfg.text_weight * self.text
            + cfg.entity_weight * self.entities
            + cfg.number_weight * self.numbers
            + cfg.amount_weight * self.amounts
            + cfg.event_weight * self.events
            - cfg.time_weight * self.time
            + cfg.same_day_weight * self.same_day
            + cfg.follow_up_weight * self.same_day * self.time
            - cfg.day_gap_weight * self.day_gap
            + cfg.both_covered_weight * self.article_coverage * self.story_coverage
            - cfg.lead_conflict_weight * self.lead_conflict
            - cfg.figures_conflict_weight * self.figures_conflict
    }
}

struct Clusterer<'a> {
    cfg: &'a Config,
    stories: Vec<Story>,
    /// Union-find over stories; a merged story points to the one it was merged into. Stories
    /// are numbered in order of creation, which is the order of their first articles, so the
    /// lower number is the older story.
    parent: Vec<u32>,
    term_postings: Vec<Vec<u32>>,
    entity_postings: Vec<Vec<u32>>,
    /// Scratch space for [`Self::candidates`] and [`Self::score`].
    shared: FastMap<u32, f32>,
    dense_terms: Dense,
    dense_entities: Dense,
    dense_numbers: Dense,
    dense_amounts: Dense,
    dense_events: Dense,
}

/// The story `s` was merged into, if it was, with path compression.
fn find(parent: &mut [u32], mut s: u32) -> u32 {
    let mut root = s;
    while parent[root as usize] != root {
        root = parent[root as usize];
    }
    while parent[s as usize] != root {
        let next = parent[s as usize];
        parent[s as usize] = root;
        s = next;
    }
    root
}

impl Clusterer<'_> {
    fn find(&mut self, s: u32) -> u32 {
        find(&mut self.parent, s)
    }

    fn load(&mut self, f: &Features) {
        self.dense_terms.load(&f.terms);
        self.dense_entities.load(&f.entities);
        self.dense_numbers.load(&f.numbers);
        self.dense_amounts.load(&f.amounts);
        self.dense_events.load(&f.events);
    }

    fn unload(&mut self, f: &Features) {
        self.dense_terms.unload(&f.terms);
        self.dense_entities.unload(&f.entities);
        self.dense_numbers.unload(&f.numbers);
        self.dense_amounts.unload(&f.amounts);
        self.dense_events.unload(&f.events);
    }

    /// The evidence that the article belongs to story `s`; the article must be loaded.
    fn evidence(&self, st: &Story, f: &Features) -> Evidence {
        let cfg = self.cfg;
        let scale = |days: f32| (1.0 + days / cfg.time_scale_days).ln();
        let gap = st.day_gap(&f.days);
        let (article_coverage, story_coverage) = self.dense_entities.coverage(&st.entities, st.entity_norm);
        let conflicts = st.figures_conflict(&f.figures);
        Evidence {
            text: self.dense_terms.cos(&st.terms, st.term_norm),
            entities: self.dense_entities.cos(&st.entities, st.entity_norm),
            numbers: self.dense_numbers.cos(&st.numbers, st.number_norm),
            amounts: self.dense_amounts.cos(&st.amounts, st.amount_norm),
            events: self.dense_events.cos(&st.events, st.event_norm),
            time: st.days_apart(f.time).map_or(0.0, scale),
            same_day: gap.is_some_and(|g| g <= 1) as u8 as f32,
            day_gap: gap.map_or(0.0, |g| scale(g as f32)),
            article_coverage,
            story_coverage,
            figures_conflict: (1.0 + conflicts as f32).ln(),
            lead_conflict: (st.days_apart(f.time).is_none_or(|d| d <= cfg.lead_conflict_days)
                && st.lead_conflict(&f.people, f.lead)) as u8 as f32,
        }
    }

    /// Stories sharing one of the article's strongest terms or entities, best first by the
    /// weight they share, at most `max_candidates`.
    fn candidates(&mut self, qt: &Sparse, qe: &Sparse) -> Vec<u32> {
        let cfg = self.cfg;
        self.shared.clear();
        for (postings, q, w) in
            [(&self.term_postings, qt, cfg.text_weight), (&self.entity_postings, qe, cfg.entity_weight)]
        {
            for &(id, weight) in q {
                for &s in postings[id as usize].iter().rev().take(cfg.max_postings) {
                    *self.shared.entry(find(&mut self.parent, s)).or_default() += w * weight;
                }
            }
        }
        let mut c: Vec<(u32, f32)> = self.shared.iter().map(|(&s, &w)| (s, w)).collect();
        let order = |x: &(u32, f32), y: &(u32, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        if c.len() > cfg.max_candidates {
            c.select_nth_unstable_by(cfg.max_candidates, order);
            c.truncate(cfg.max_candidates);
        }
        c.sort_unstable_by(order);
        c.into_iter().map(|(s, _)| s).collect()
    }

    fn absorb(&mut self, into: u32, from: u32) {
        let f = std::mem::take(&mut self.stories[from as usize]);
        self.parent[from as usize] = into;
        let cfg = self.cfg;
        let st = &mut self.stories[into as usize];
        st.terms = add_capped(&st.terms, &f.terms, cfg.story_terms);
        st.term_norm = norm(&st.terms);
        st.entities = add_capped(&st.entities, &f.entities, cfg.story_entities);
        st.entity_norm = norm(&st.entities);
        st.numbers = add_capped(&st.numbers, &f.numbers, cfg.story_entities);
        st.number_norm = norm(&st.numbers);
        st.amounts = add_capped(&st.amounts, &f.amounts, cfg.story_entities);
        st.amount_norm = norm(&st.amounts);
        st.events = add_capped(&st.events, &f.events, cfg.story_entities);
        st.event_norm = norm(&st.events);
        add_counts(&mut st.days, f.days, cfg.story_days);
        add_counts(&mut st.people, f.people, cfg.story_entities);
        add_counts(&mut st.leads, f.leads, cfg.story_days);
        for (k, v) in f.figures {
            if let Err(i) = st.figures.binary_search(&(k, v)) {
                if st.figures.len() < cfg.story_entities {
                    st.figures.insert(i, (k, v));
                }
            }
        }
        st.add_time(f.first_time);
        st.add_time(f.last_time);
        st.size += f.size;
    }

    fn add_article(&mut self, s: u32, a: &Features) {
        self.stories[s as usize].add(a, self.cfg);
    }

    fn index(&mut self, s: u32, qt: &Sparse, qe: &Sparse) {
        // Only the most recent `max_postings` entries of a list are read, so older ones are
        // dropped (in batches, to keep it amortised) and long lists stay bounded.
        let keep = self.cfg.max_postings.max(1);
        let push = |list: &mut Vec<u32>| {
            if list.last() != Some(&s) {
                if list.len() >= 2 * keep {
                    list.drain(..list.len() - keep);
                }
                list.push(s);
            }
        };
        qt.iter().for_each(|&(t, _)| push(&mut self.term_postings[t as usize]));
        qe.iter().for_each(|&(e, _)| push(&mut self.entity_postings[e as usize]));
    }
}

/// Terms and entities of each site's template (see [`site_template`]).
type Templates = (FastSet<(u32, u32)>, FastSet<(u32, u32)>);

/// An article's features, as [`cluster`] compares them with stories.
fn features(input: &Input, i: usize, templates: &Templates) -> Features {
    let a = (input.article)(i as u32);
    let time = a.time.or(a.text_time);
    let mut days = a.days;
    if let Some(t) = a.time {
        let d = t.div_euclid(86_400) as i32;
        if let Err(k) = days.binary_search(&d) {
            days.insert(k, d);
        }
    }
    Features {
        terms: weigh(&a.terms, input.term_idf, a.site, &templates.0),
        entities: weigh(&a.entities, input.entity_idf, a.site, &templates.1),
        numbers: weigh(&a.numbers, input.term_idf, a.site, &templates.0),
        amounts: weigh(&a.amounts, input.amount_idf, None, &templates.0),
        events: weigh(&a.events, input.event_idf, None, &templates.0),
        time,
        days,
        people: a.people,
        lead: a.lead,
        figures: a.figures,
    }
}

/// The story of every article, as an index in which a lower number is an older story.
pub(crate) fn cluster(input: &Input, cfg: &Config) -> Vec<u32> {
    let mut c = Clusterer {
        cfg,
        stories: Vec::new(),
        parent: Vec::new(),
        term_postings: vec![Vec::new(); input.term_idf.len()],
        entity_postings: vec![Vec::new(); input.entity_idf.len()],
        shared: FastMap::default(),
        dense_terms: Dense(vec![0.0; input.term_idf.len()]),
        dense_entities: Dense(vec![0.0; input.entity_idf.len()]),
        dense_numbers: Dense(vec![0.0; input.term_idf.len()]),
        dense_amounts: Dense(vec![0.0; input.amount_idf.len()]),
        dense_events: Dense(vec![0.0; input.event_idf.len()]),
    };
    let templates = (site_template(input, cfg, false), site_template(input, cfg, true));
    let mut assigned = vec![u32::MAX; input.len];
    for &i in input.order {
        if let Some(o) = input.originals[i as usize] {
            // The original comes earlier in processing order, so it already has a story.
            let s = c.find(assigned[o as usize]);
            assigned[i as usize] = s;
            c.stories[s as usize].add_time((input.article)(i).time);
            continue;
        }
        let f = features(input, i as usize, &templates);
        let qt = top(&f.terms, cfg.query_terms);
        let qe = top(&f.entities, cfg.query_entities);

        c.load(&f);
        let candidates = c.candidates(&qt, &qe);
        let mut scored: Vec<(u32, f32, Evidence)> = candidates
            .into_iter()
            .map(|s| {
                let ev = c.evidence(&c.stories[s as usize], &f);
                (s, ev.score(cfg), ev)
            })
            .collect();
        c.unload(&f);
        scored.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        let s = match scored.first() {
            Some(&(best, score, _)) if score >= cfg.join_threshold => {
                let mut s = best;
                if score >= cfg.merge_threshold {
                    // The article ties these stories together strongly: they report one event.
                    for &(other, sc, _) in &scored[1..] {
                        if sc < cfg.merge_threshold {
                            break;
                        }
                        let (into, from) = (s.min(other), s.max(other));
                        c.absorb(into, from);
                        s = into;
                    }
                }
                s
            }
            _ => {
                let s = c.stories.len() as u32;
                c.stories.push(Story::default());
                c.parent.push(s);
                s
            }
        };
        c.add_article(s, &f);
        c.index(s, &qt, &qe);
        assigned[i as usize] = s;
    }
    reattach(&mut c, input, &templates, &assigned);
    let mut story_of: Vec<u32> = (0..assigned.len()).map(|i| c.find(assigned[i])).collect();
    split(&mut c, input, &templates, &mut story_of);
    story_of
}

/// Articles left alone in a story of their own get a second look once every article is placed:
/// one that came before the reports it belongs with (a short early bulletin, an article dated
/// by a day its text names) joins the story it now scores `reattach_threshold` or more with.
fn reattach(c: &mut Clusterer, input: &Input, templates: &Templates, assigned: &[u32]) {
    let cfg = c.cfg;
    if cfg.reattach_threshold <= 0.0 {
        return;
    }
    for &i in input.order {
        if input.originals[i as usize].is_some() {
            continue;
        }
        let s = c.find(assigned[i as usize]);
        if c.stories[s as usize].size != 1 {
            continue;
        }
        let f = features(input, i as usize, templates);
        let qt = top(&f.terms, cfg.query_terms);
        let qe = top(&f.entities, cfg.query_entities);
        c.load(&f);
        let best = (c.candidates(&qt, &qe).into_iter())
            .filter(|&t| t != s)
            .map(|t| (t, c.evidence(&c.stories[t as usize], &f).score(cfg)))
            .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)));
        c.unload(&f);
        if let Some((t, score)) = best {
            if score >= cfg.reattach_threshold {
                c.absorb(t, s);
            }
        }
    }
}

/// Splits stories that turn out to hold two events.
///
/// Online, a short first report ("the navy captured pirates in the Gulf of Aden") can hold
/// nothing that tells its event from a look-alike one, and the first report of the other event
/// then joins it; from there on the story's vectors hold both and draw in the reports of both.
/// Once every article has been placed, the story's articles are compared with one another
/// (with the same score as an article with a story of one article), and grouped by average
/// linkage while the groups' average score reaches `split_threshold`. Groups of at least
/// `split_min_part` articles become stories of their own; smaller ones join the group they are
/// most like, so that a lone follow-up is never cut off its story. Groups published one after
/// the other stay together: that is a story developing, with new names as it goes.
///
/// The comparison is quadratic in a story's size, so stories of more than `split_max_articles`
/// are left as they are.
fn split(c: &mut Clusterer, input: &Input, templates: &Templates, story_of: &mut [u32]) {
    let cfg = c.cfg;
    if cfg.split_min_part == 0 {
        return;
    }
    let mut members: FastMap<u32, Vec<u32>> = FastMap::default();
    let mut roots: Vec<u32> = Vec::new();
    for &i in input.order {
        if input.originals[i as usize].is_none() {
            let s = story_of[i as usize];
            members
                .entry(s)
                .or_insert_with(|| {
                    roots.push(s);
                    Vec::new()
                })
                .push(i);
        }
    }
    let mut next = c.stories.len() as u32;
    for root in roots {
        let list = &members[&root];
        let m = list.len();
        if m < 2 * cfg.split_min_part || m > cfg.split_max_articles {
            continue;
        }
        let feats: Vec<Features> = list.iter().map(|&i| features(input, i as usize, templates)).collect();
        let singles: Vec<Story> = (feats.iter())
            .map(|f| {
                let mut st = Story::default();
                st.add(f, cfg);
                st
            })
            .collect();
        // The mean of the scores of a with b's story and of b with a's.
        let mut pair = vec![0.0f32; m * m];
        for (a, f) in feats.iter().enumerate() {
            c.load(f);
            for (b, st) in singles.iter().enumerate() {
                if a != b {
                    let x = c.evidence(st, f).score(cfg) / 2.0;
                    pair[a * m + b] += x;
                    pair[b * m + a] += x;
                }
            }
            c.unload(f);
        }
        let groups = average_linkage(&pair, m, cfg.split_threshold);
        let (big, small): (Vec<&Vec<usize>>, Vec<&Vec<usize>>) =
            groups.iter().partition(|g| g.len() >= cfg.split_min_part);
        if big.len() < 2 {
            continue;
        }
        // Each small group joins the big group with the highest average score.
        let mut part = vec![0usize; m];
        for (k, g) in big.iter().enumerate() {
            g.iter().for_each(|&a| part[a] = k);
        }
        for g in small {
            let best = (0..big.len())
                .max_by(|&x, &y| link(&pair, m, g, big[x]).total_cmp(&link(&pair, m, g, big[y])).then(y.cmp(&x)))
                .unwrap_or(0);
            g.iter().for_each(|&a| part[a] = best);
        }
        // Groups published one after the other are a story as it develops (the suspect named,
        // the trial), not two events reported over the same days: they stay together. Only
        // groups whose publication spans overlap, or that are undated, split.
        let spans: Vec<Option<(i64, i64)>> = (big.iter())
            .map(|g| {
                let times = || g.iter().filter_map(|&a| (input.article)(list[a]).time);
                times().min().zip(times().max())
            })
            .collect();
        let mut joined: Vec<usize> = (0..big.len()).collect();
        for x in 0..big.len() {
            for y in 0..x {
                if let (Some(a), Some(b)) = (spans[x], spans[y]) {
                    if a.0 > b.1 + 86_400 || b.0 > a.1 + 86_400 {
                        let (rx, ry) = (find_group(&joined, x), find_group(&joined, y));
                        joined[rx.max(ry)] = rx.min(ry);
                    }
                }
            }
        }
        part.iter_mut().for_each(|k| *k = find_group(&joined, *k));
        if part.iter().all(|&k| k == part[0]) {
            continue;
        }
        // The part holding the story's first article keeps its index; the others get new ones.
        let keep = part[0];
        let mut index = vec![u32::MAX; big.len()];
        index[keep] = root;
        for (a, &i) in list.iter().enumerate() {
            let k = part[a];
            if index[k] == u32::MAX {
                index[k] = next;
                next += 1;
            }
            story_of[i as usize] = index[k];
        }
    }
    // Copies follow their originals, which come earlier in processing order.
    for &i in input.order {
        if let Some(o) = input.originals[i as usize] {
            story_of[i as usize] = story_of[o as usize];
        }
    }
}

/// The group `k` was joined into.
fn find_group(joined: &[usize], mut k: usize) -> usize {
    while joined[k] != k {
        k = joined[k];
    }
    k
}

/// Average-linkage clustering of `m` items with pairwise scores `pair` (row-major), merging
/// while the best average score between two groups reaches `threshold`. Cubic in `m`.
fn average_linkage(pair: &[f32], m: usize, threshold: f32) -> Vec<Vec<usize>> {
    // Summed scores between groups, kept at the index of each group's first item.
    let mut sum = pair.to_vec();
    let mut groups: Vec<Option<Vec<usize>>> = (0..m).map(|a| Some(vec![a])).collect();
    loop {
        let mut best: Option<(f32, usize, usize)> = None;
        for a in 0..m {
            let Some(ga) = &groups[a] else { continue };
            for b in a + 1..m {
                let Some(gb) = &groups[b] else { continue };
                let avg = sum[a * m + b] / (ga.len() * gb.len()) as f32;
                if best.is_none_or(|(x, _, _)| avg > x) {
                    best = Some((avg, a, b));
                }
            }
        }
        let Some((_, a, b)) = best.filter(|&(avg, _, _)| avg >= threshold) else { break };
        let gb = groups[b].take().unwrap_or_default();
        if let Some(ga) = groups[a].as_mut() {
            ga.extend(gb);
        }
        for k in 0..m {
            if k != a {
                let v = sum[b * m + k];
                sum[a * m + k] += v;
                sum[k * m + a] += v;
            }
        }
    }
    groups.into_iter().flatten().collect()
}

/// The average score between the items of two groups.
fn link(pair: &[f32], m: usize, g: &[usize], h: &[usize]) -> f32 {
    let total: f32 = g.iter().flat_map(|&a| h.iter().map(move |&b| pair[a * m + b])).sum();
    total / (g.len() * h.len()).max(1) as f32
}

//! The coder's vocabulary, read from `data/vocab/events.tsv` and `data/vocab/modality.tsv`
//! (their headers document the formats) and compiled once into an index by surface word.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub(crate) const EVENTS: &str = include_str!("../../../../data/vocab/events.tsv");
pub(crate) const MODALITY: &str = include_str!("../../../../data/vocab/modality.tsv");

/// One alternative of a pattern word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Alt {
    /// The word and its inflections.
    Lemma(String),
    /// This exact word.
    Exact(String),
    /// Any word starting with this.
    Prefix(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Words(Vec<Alt>),
    /// Up to three words of anything, within the clause.
    Skip,
    /// The next word is none of these; takes no word.
    Not(Vec<Alt>),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    pub governs: bool,
    pub intent: bool,
    pub noun: bool,
    pub target: bool,
    pub place: bool,
    pub country: bool,
    pub obligation: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub kind: String,
    pub mode: Option<String>,
    pub parts: Vec<Part>,
    pub flags: Flags,
}

/// What a modality cue says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    Negated,
    Expected,
    Intent,
    Hypothetical,
}

/// A rule that recodes an action said to lie in the future: the types it applies to, and the
/// type (with a mode per source type, for threats) it becomes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Recode {
    pub to: String,
    pub from: Vec<(String, Option<String>)>,
}

impl Recode {
    /// The mode the recoded event takes, or None when this rule does not apply to `kind`.
    pub fn applies(&self, kind: &str) -> Option<Option<&str>> {
        self.from.iter().find(|(k, _)| k == kind).map(|(_, m)| m.as_deref())
    }
}

pub(crate) struct Vocab {
    pub patterns: Vec<Pattern>,
    /// Surface form -> the lemmas it is an inflection of.
    forms: HashMap<String, Vec<String>>,
    /// Surface form of a pattern's first word -> the patterns that may start there.
    first: HashMap<String, Vec<usize>>,
    /// Patterns whose first word is matched by prefix: tried everywhere.
    prefixed: Vec<usize>,
    pub promise: Recode,
    pub threat: Recode,
    pub refusal: Recode,
    pub joint: Recode,
    /// Every form of the verbs of saying.
    reporting: HashSet<String>,
    mutual: Vec<String>,
    /// Types whose unnamed doer is coded by where the act took place.
    venue: Vec<String>,
    /// Every form of the group nouns.
    groups: HashSet<String>,
    /// Verbs of an event going on ("drags on", "continues"): a noun event as their subject in
    /// a clause that sets the scene is no news of its own.
    ongoing: HashSet<String>,
    /// Verbs that make someone do something ("ordered La Prensa to suspend publication"): the
    /// one who orders acts, on the one ordered.
    control: HashSet<String>,
    /// Every word of a modality cue.
    cue_words: HashSet<String>,
    pub modality: Vec<(Cue, Vec<String>)>,
    /// Lines that could not be read (reported by the tests, skipped at run time).
    pub problems: Vec<String>,
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// The regular inflections of an English verb or noun: -s/-es/-ies, -ed/-d/-ied, -ing, and the
/// doubled final consonant ("ban": "banned"; "travel": "travelled"). Over-generation is
/// harmless: a form that is no English word never occurs in text.
pub(crate) fn inflect(lemma: &str) -> Vec<String> {
    let mut out = vec![lemma.to_string()];
    let chars: Vec<char> = lemma.chars().collect();
    let n = chars.len();
    if n < 2 || !chars.iter().all(|c| c.is_alphabetic() || *c == '-') {
        return out;
    }
    let last = chars[n - 1];
    let before = chars[n - 2];
    let stem_y = &lemma[..lemma.len() - 1];
    let consonant_y = last == 'y' && !is_vowel(before);
    if lemma.ends_with(['s', 'x', 'z']) || lemma.ends_with("ch") || lemma.ends_with("sh") {
        out.push(format!("{lemma}es"));
    } else if consonant_y {
        out.push(format!("{stem_y}ies"));
    } else if last == 'o' {
        out.push(format!("{lemma}es"));
        out.push(format!("{lemma}s"));
    } else {
        out.push(format!("{lemma}s"));
    }
    if last == 'e' {
        out.push(format!("{lemma}d"));
    } else if consonant_y {
        out.push(format!("{stem_y}ied"));
    } else {
        out.push(format!("{lemma}ed"));
    }
    if let Some(stem) = lemma.strip_suffix("ie") {
        out.push(format!("{stem}ying"));
    } else if let (Some(stem), false) = (lemma.strip_suffix('e'), matches!(before, 'e' | 'y' | 'o')) {
        out.push(format!("{stem}ing"));
    } else {
        out.push(format!("{lemma}ing"));
    }
    let cvc =
        n >= 3 && !is_vowel(last) && !matches!(last, 'w' | 'x' | 'y') && is_vowel(before) && !is_vowel(chars[n - 3]);
    if cvc {
        out.push(format!("{lemma}{last}ed"));
        out.push(format!("{lemma}{last}ing"));
    }
    out
}

fn parse_alt(a: &str) -> Alt {
    if let Some(e) = a.strip_prefix('=') {
        Alt::Exact(e.to_string())
    } else if let Some(p) = a.strip_suffix('*') {
        Alt::Prefix(p.to_string())
    } else {
        Alt::Lemma(a.to_string())
    }
}

fn parse_flags(s: &str, line: usize, problems: &mut Vec<String>) -> Flags {
    let mut f = Flags::default();
    for w in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        match w {
            "governs" => f.governs = true,
            "intent" => f.intent = true,
            "noun" => f.noun = true,
            "target" => f.target = true,
            "place" => f.place = true,
            "country" => f.country = true,
            "obligation" => f.obligation = true,
            _ => problems.push(format!("events.tsv:{line}: unknown flag {w:?}")),
        }
    }
    f
}

/// A known type: a PLOVER type, or NONE for phrases that are no event.
fn known_type(t: &str) -> bool {
    t == "NONE" || newsgraph_doc::PLOVER_TYPES.contains(&t)
}

impl Vocab {
    pub fn standard() -> Vocab {
        Vocab::parse(EVENTS, MODALITY)
    }

    pub fn parse(events: &str, modality: &str) -> Vocab {
        let mut problems = Vec::new();
        let mut patterns = Vec::new();
        let mut irregular: Vec<(String, String)> = Vec::new();
        let mut promise = Recode::default();
        let mut threat = Recode::default();
        let mut refusal = Recode::default();
        let mut joint = Recode::default();
        let mut reporting = Vec::new();
        let mut groups = Vec::new();
        let mut ongoing = Vec::new();
        let mut control = Vec::new();
        let mut mutual = Vec::new();
        let mut venue = Vec::new();
        let recode = |cols: &[&str]| Recode {
            to: cols.get(1).map(|s| s.trim().to_string()).unwrap_or_default(),
            from: cols
                .get(2)
                .map(|s| {
                    s.split_whitespace()
                        .map(|t| match t.split_once(':') {
                            Some((k, m)) => (k.to_string(), (m != "-").then(|| m.to_string())),
                            None => (t.to_string(), None),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        };
        for (n, l) in events.lines().enumerate() {
            let line = n + 1;
            if l.starts_with('#') || l.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = l.split('\t').collect();
            match cols[0].trim() {
                "@form" => {
                    let (Some(lemma), Some(forms)) = (cols.get(1), cols.get(2)) else {
                        problems.push(format!("events.tsv:{line}: @form needs a lemma and its forms"));
                        continue;
                    };
                    irregular.extend(forms.split_whitespace().map(|f| (f.to_string(), lemma.trim().to_string())));
                }
                "@promise" => promise = recode(&cols),
                "@threat" => threat = recode(&cols),
                "@refusal" => refusal = recode(&cols),
                "@joint" => joint = recode(&cols),
                "@reporting" => reporting.extend(cols.get(1).unwrap_or(&"").split_whitespace().map(str::to_string)),
                "@mutual" => mutual.extend(cols.get(1).unwrap_or(&"").split_whitespace().map(str::to_string)),
                "@venue" => venue.extend(cols.get(1).unwrap_or(&"").split_whitespace().map(str::to_string)),
                "@group" => groups.extend(cols.get(1).unwrap_or(&"").split_whitespace().map(str::to_string)),
                "@ongoing" => ongoing.extend(cols.get(1).unwrap_or(&"").split_whitespace().map(str::to_string)),
                "@control" => control.extend(cols.get(1).unwrap_or(&"").split_whitespace().map(str::to_string)),
                d if d.starts_with('@') => problems.push(format!("events.tsv:{line}: unknown directive {d}")),
                kind => {
                    if !known_type(kind) {
                        problems.push(format!("events.tsv:{line}: unknown PLOVER type {kind:?}"));
                        continue;
                    }
                    let (Some(mode), Some(pat)) = (cols.get(1), cols.get(2)) else {
                        problems.push(format!("events.tsv:{line}: a pattern line needs type, mode and pattern"));
                        continue;
                    };
                    let parts: Vec<Part> = pat
                        .split_whitespace()
                        .map(|p| match p.strip_prefix('!') {
                            _ if p == "~" => Part::Skip,
                            Some(not) => Part::Not(not.split('|').map(parse_alt).collect()),
                            None => Part::Words(p.split('|').map(parse_alt).collect()),
                        })
                        .collect();
                    if !matches!(parts.first(), Some(Part::Words(_))) || matches!(parts.last(), Some(Part::Skip)) {
                        problems.push(format!("events.tsv:{line}: a pattern must start and end with a word"));
                        continue;
                    }
                    let mode = mode.trim();
                    patterns.push(Pattern {
                        kind: kind.to_string(),
                        mode: (mode != "-" && !mode.is_empty()).then(|| mode.to_string()),
                        parts,
                        flags: parse_flags(cols.get(3).unwrap_or(&""), line, &mut problems),
                    });
                }
            }
        }
        for r in [&promise, &threat, &refusal, &joint].into_iter().filter(|r| !r.to.is_empty()) {
            for t in std::iter::once(&r.to).chain(r.from.iter().map(|(k, _)| k)) {
                if !known_type(t) {
                    problems.push(format!("events.tsv: unknown PLOVER type {t:?} in a recoding rule"));
                }
            }
        }

        // every lemma of every pattern (and of the reporting verbs), with its inflections
        let mut forms: HashMap<String, Vec<String>> = HashMap::default();
        let mut add = |surface: String, lemma: &str| {
            let v = forms.entry(surface).or_default();
            if !v.iter().any(|l| l == lemma) {
                v.push(lemma.to_string());
            }
        };
        let lemmas: Vec<String> = patterns
            .iter()
            .flat_map(|p| p.parts.iter())
            .filter_map(|p| match p {
                Part::Words(alts) | Part::Not(alts) => Some(alts),
                Part::Skip => None,
            })
            .flatten()
            .filter_map(|a| match a {
                Alt::Lemma(l) => Some(l.clone()),
                _ => None,
            })
            .chain(reporting.iter().cloned())
            .chain(groups.iter().cloned())
            .chain(ongoing.iter().cloned())
            .chain(control.iter().cloned())
            .collect();
        for l in &lemmas {
            for f in inflect(l) {
                add(f, l);
            }
        }
        for (f, l) in &irregular {
            add(f.clone(), l);
        }

        for t in &venue {
            if !known_type(t) {
                problems.push(format!("events.tsv: unknown PLOVER type {t:?} in @venue"));
            }
        }
        for t in &mutual {
            if !known_type(t) {
                problems.push(format!("events.tsv: unknown PLOVER type {t:?} in @mutual"));
            }
        }
        let mut by_lemma: HashMap<&str, Vec<&str>> = HashMap::default();
        for (f, ls) in &forms {
            for l in ls {
                by_lemma.entry(l.as_str()).or_default().push(f.as_str());
            }
        }
        let mut first: HashMap<String, Vec<usize>> = HashMap::default();
        let mut prefixed = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let Part::Words(alts) = &p.parts[0] else { continue };
            let mut keys: Vec<String> = Vec::new();
            for a in alts {
                match a {
                    Alt::Exact(e) => keys.push(e.clone()),
                    Alt::Lemma(l) => {
                        keys.extend(by_lemma.get(l.as_str()).into_iter().flatten().map(|f| f.to_string()));
                        keys.push(l.clone());
                    }
                    Alt::Prefix(_) => {
                        if prefixed.last() != Some(&i) {
                            prefixed.push(i);
                        }
                    }
                }
            }
            keys.sort();
            keys.dedup();
            for k in keys {
                first.entry(k).or_default().push(i);
            }
        }

        let modality: Vec<(Cue, Vec<String>)> = modality
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|(n, l)| {
                let (m, cue) = l.split_once('\t').unwrap_or((l, ""));
                let m = match m.trim() {
                    "negated" => Cue::Negated,
                    "expected" => Cue::Expected,
                    "intent" => Cue::Intent,
                    "hypothetical" => Cue::Hypothetical,
                    other => {
                        problems.push(format!("modality.tsv:{}: unknown modality {other:?}", n + 1));
                        return None;
                    }
                };
                let words: Vec<String> = cue.split_whitespace().map(str::to_lowercase).collect();
                if words.is_empty() {
                    problems.push(format!("modality.tsv:{}: empty cue", n + 1));
                    return None;
                }
                Some((m, words))
            })
            .collect();

        let all_forms = |lemmas: &[String]| -> HashSet<String> {
            lemmas.iter().flat_map(|l| by_lemma.get(l.as_str()).into_iter().flatten().map(|f| f.to_string())).collect()
        };
        let reporting = all_forms(&reporting);
        let groups = all_forms(&groups);
        let ongoing = all_forms(&ongoing);
        let control = all_forms(&control);
        let cue_words = modality.iter().flat_map(|(_, seq)| seq.iter().cloned()).collect();
        Vocab {
            patterns,
            forms,
            first,
            prefixed,
            promise,
            threat,
            refusal,
            joint,
            reporting,
            mutual,
            venue,
            groups,
            ongoing,
            control,
            cue_words,
            modality,
            problems,
        }
    }

    /// Is `w` (lower case) this lemma or one of its inflections?
    pub fn is_form(&self, w: &str, lemma: &str) -> bool {
        w == lemma || self.forms.get(w).is_some_and(|ls| ls.iter().any(|l| l == lemma))
    }

    pub fn alt_matches(&self, a: &Alt, w: &str) -> bool {
        match a {
            Alt::Lemma(l) => self.is_form(w, l),
            Alt::Exact(e) => w == e,
            Alt::Prefix(p) => w.starts_with(p.as_str()),
        }
    }

    /// The patterns that may start at this word, in file order.
    pub fn candidates(&self, w: &str) -> Vec<usize> {
        let mut v: Vec<usize> = self.first.get(w).cloned().unwrap_or_default();
        v.extend(self.prefixed.iter().copied());
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Is this a verb of saying ("said", "reported")?
    pub fn is_reporting(&self, w: &str) -> bool {
        self.reporting.contains(w)
    }

    /// Is an action of this type done with each other by two actors joined by "and"?
    pub fn by_venue(&self, kind: &str) -> bool {
        self.venue.iter().any(|k| k == kind)
    }

    pub fn is_mutual(&self, kind: &str) -> bool {
        self.mutual.iter().any(|k| k == kind)
    }

    /// Is this word part of a modality cue ("prepared" in "is prepared to")?
    pub fn is_cue_word(&self, w: &str) -> bool {
        self.cue_words.contains(w)
    }

    /// Is this a noun for people acting together or for an office ("rebels", "president")?
    pub fn is_control(&self, w: &str) -> bool {
        self.control.contains(w)
    }

    pub fn is_ongoing(&self, w: &str) -> bool {
        self.ongoing.contains(w)
    }

    pub fn is_group(&self, w: &str) -> bool {
        self.groups.contains(w)
    }

    /// Was this word inflected away from its lemma as a past form ("attacked", "struck")?
    pub fn is_past_form(&self, w: &str) -> bool {
        if w.ends_with("ed") || w.ends_with("en") {
            return true;
        }
        self.forms.get(w).is_some_and(|ls| ls.iter().all(|l| l != w)) && !w.ends_with("ing") && !w.ends_with('s')
    }
}

//! Actor and target: who did it and to whom, among the names of the sentence.

use super::grammar::*;
use super::patterns::{Found, PatternCoder};
use super::sentence::{Break, Cand, Who, Word};
use newsgraph_doc::{Document, Entity, EntityType, Span};
use rustc_hash::FxHashMap as HashMap;

/// The places of the article: the entity of each country it names, and the one country (or
/// place of it) when it names places in one country only.
pub(super) struct Places {
    pub(super) country_of: HashMap<String, usize>,
    pub(super) sole: Option<usize>,
    /// The one country when the article names it only by an untagged name or demonym
    /// ("Ugandan opposition"): its code and first mention, made an entity when needed.
    pub(super) sole_untagged: Option<(String, Span)>,
}

impl Places {
    /// The article's countries, and its one country when it names places of one only;
    /// `untagged` are the country names and demonyms the entity layer left untagged.
    pub(super) fn of(doc: &Document, untagged: &[(String, Span)]) -> Places {
        let country_of: HashMap<String, usize> = doc
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.kind == EntityType::Place && e.code.as_ref().is_some_and(|c| e.id == Entity::country_id(c))
            })
            .filter_map(|(i, e)| Some((e.code.clone()?, i)))
            .collect();
        let mut codes: Vec<(&str, Option<usize>)> = doc
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EntityType::Place)
            .filter_map(|(i, e)| Some((e.code.as_deref()?, Some(i))))
            .chain(untagged.iter().map(|(c, _)| (c.as_str(), None)))
            .collect();
        // (an entity sorts before an untagged mention of the same country)
        codes.sort_by_key(|&(c, i)| (c, i.is_none(), i));
        codes.dedup_by(|a, b| a.0 == b.0);
        let (sole, sole_untagged) = match codes.as_slice() {
            [(code, Some(i))] => (Some(country_of.get(*code).copied().unwrap_or(*i)), None),
            [(code, None)] => (None, untagged.iter().find(|(c, _)| c == code).cloned()),
            _ => (None, None),
        };
        Places { country_of, sole, sole_untagged }
    }
}

/// The country a name is no more than: "The United States", "Syrian", "US-led".
fn country_named(name: &str) -> Option<String> {
    let name = name.strip_prefix("The ").or_else(|| name.strip_prefix("the ")).unwrap_or(name);
    // "US-led", "Saudi-led": the country that leads
    let name = name.strip_suffix("-led").unwrap_or(name);
    crate::knowledge::Knowledge::get()
        .lookup(&crate::text::fold(name))
        .into_iter()
        .find(|h| {
            h.entry.is_country()
                && h.relation != crate::knowledge::Relation::Capital
                && (!h.case_sensitive || crate::text::is_all_caps(name))
        })
        .and_then(|h| h.entry.code.clone())
}

/// The code an organisation's name gives it when the entity layer gave none: `IGO` for an
/// intergovernmental body or an international court, `NGO` for an international
/// non-governmental one, or the country (or the country of the city or region) its name starts
/// with ("Montenegro Assembly", "Nigerian Union of Teachers"). A longer known name wins over a
/// shorter one ("UN refugee agency" is a name of its own; "U.N. war crimes court" is the UN's).
pub(super) fn organisation_code(name: &str) -> Option<String> {
    let kb = crate::knowledge::Knowledge::get();
    let name = name.strip_prefix("The ").or_else(|| name.strip_prefix("the ")).unwrap_or(name);
    let words: Vec<&str> = name.split_whitespace().collect();
    for n in (1..=words.len().min(kb.max_words())).rev() {
        let prefix = words[..n].join(" ");
        let bare = prefix.strip_suffix("'s").or_else(|| prefix.strip_suffix("\u{2019}s")).unwrap_or(&prefix);
        let hits = kb.lookup(&crate::text::fold(bare));
        let Some(hit) = hits.iter().find(|h| {
            h.relation != crate::knowledge::Relation::Capital && (!h.case_sensitive || crate::text::is_all_caps(bare))
        }) else {
            continue;
        };
        let e = hit.entry;
        return match (e.kind, e.code.as_deref(), e.subtype.as_str()) {
            (_, Some(code), _) => Some(code.to_string()),
            (EntityType::Org, None, "igo" | "court") => Some("IGO".to_string()),
            (EntityType::Org, None, "ngo") => Some("NGO".to_string()),
            // a region of no one country ("European …", "Arab …") says nothing
            _ => None,
        };
    }
    None
}

/// What a subject is sought for: a verb (with where the pattern before it starts, for a second
/// predicate), or a noun.
#[derive(Debug, Clone, Copy)]
pub(super) enum Head {
    Verb { prev: Option<usize> },
    Noun,
}

impl PatternCoder {
    /// Is this name the object of a preposition? Not when the preposition follows a noun for a
    /// group or an office ("the rebels in Darfur", "the president of Armenia"): that name tells
    /// who the group is.
    pub(super) fn prepositional(&self, words: &[Word], c: &Cand) -> bool {
        let mut j = c.first;
        let mut skipped = 0;
        while j > 0 {
            if words[j].brk != Break::None {
                return false;
            }
            let w = words[j - 1].lower.as_str();
            if PREPOSITIONS.contains(&w) {
                let of_group = j >= 2
                    && ((matches!(w, "of" | "in" | "from" | "throughout" | "across" | "at")
                        && self.vocab.is_group(&words[j - 2].lower))
                        || (w == "of" && words[j - 2].cap));
                return !of_group;
            }
            if skipped < 2 && (MODIFIERS.contains(&w) || w.chars().all(|ch| ch.is_ascii_digit() || ch == ',')) {
                skipped += 1;
                j -= 1;
                continue;
            }
            return false;
        }
        false
    }

    /// Where an act with no named doer took place, for the types coded so (`@venue`): "a
    /// roadside bomb near Samarra killed …" is coded to Iraq. The place is named after "in",
    /// "near", "at", "outside" (or "of" after one of them: "outside of the city of Basra"), and
    /// every such place of the sentence lies in one country.
    pub(super) fn venue(&self, doc: &Document, words: &[Word], cands: &[Cand], kind: &str) -> Option<usize> {
        if !self.vocab.by_venue(kind) {
            return None;
        }
        let country = |c: &Cand| match &c.who {
            Who::Country(code) => Some(code.clone()),
            Who::Entity(i) => {
                let e = &doc.entities[*i];
                (e.kind == EntityType::Place).then(|| e.code.clone()).flatten()
            }
        };
        let locative = |c: &Cand| {
            let from = c.first.saturating_sub(5);
            (from..c.first).rev().take_while(|&j| words[j + 1].brk < Break::Comma).any(|j| {
                matches!(words[j].lower.as_str(), "in" | "near" | "at" | "outside" | "inside")
                        // "in protest of the Russian government" is no place
                        && !matches!(
                            words[j + 1].lower.as_str(),
                            "protest" | "response" | "support" | "solidarity" | "retaliation" | "defiance"
                        )
            })
        };
        let placed: Vec<usize> =
            (0..cands.len()).filter(|&k| locative(&cands[k]) && country(&cands[k]).is_some()).collect();
        let first = *placed.first()?;
        let code = country(&cands[first]);
        placed.iter().all(|&k| country(&cands[k]) == code).then_some(first)
    }

    /// Is this name followed by a verb of saying (", Dr. Nam predicts")?
    pub(super) fn speaker(&self, words: &[Word], c: &Cand) -> bool {
        words.get(c.last + 1).is_some_and(|w| w.brk == Break::None && self.vocab.is_reporting(&w.lower))
    }

    /// The actor of a verb (or noun) whose first word is `at`: the nearest name before it in
    /// its clause that is not the object of a preposition, with its partner in "X and Y"; for a
    /// second predicate ("… and has urged"), the subject of the first.
    pub(super) fn subject(
        &self,
        doc: &Document,
        words: &[Word],
        cands: &[Cand],
        at: usize,
        max_gap: usize,
        head: Head,
    ) -> Option<(usize, Option<usize>)> {
        let (prev, verb) = match head {
            Head::Verb { prev } => (prev, true),
            Head::Noun => (None, false),
        };
        let before: Vec<usize> = (0..cands.len()).filter(|&k| cands[k].last < at).collect();
        let mut k = at;
        while k > 0
            && (AUXILIARIES.contains(&words[k - 1].lower.as_str()) || words[k - 1].lower.ends_with("ly"))
            && words[k].brk < Break::Comma
        {
            k -= 1;
        }
        // (a noun after "and" is one of a list: "artillery, mortar, and rocket fire")
        if verb
            && (k > 0 && k < at && words[k - 1].lower == "and"
                || (k > 0 && k == at && words[k - 1].lower == "and" && words[k].brk == Break::None))
        {
            // a second predicate: the subject of the first ("Pakistan … has refused … and has
            // urged"; "police said LaCalamita loaded a shell … and fired")
            if let Some(p) = prev.filter(|&p| p < k - 1) {
                return self.subject(doc, words, cands, p, max_gap, Head::Verb { prev: None });
            }
            let verbish = |c: usize| {
                words.get(cands[c].last + 1).is_some_and(|w| {
                    w.brk == Break::None
                        && !w.cap
                        && (w.lower.ends_with("ed")
                            || self.vocab.is_past_form(&w.lower)
                            || AUXILIARIES.contains(&w.lower.as_str())
                            || self.vocab.is_reporting(&w.lower))
                })
            };
            let open: Vec<usize> = before
                .iter()
                .copied()
                .filter(|&c| cands[c].last < k - 1 && !self.prepositional(words, &cands[c]))
                .collect();
            let s = open.iter().rev().copied().find(|&c| verbish(c))?;
            return Some((s, None));
        }
        let mut pool = before;
        // where an apposition or relative clause between subject and verb starts
        let mut aside = None;
        if words[k].brk >= Break::Comma {
            if let Some(open) = (0..k).rev().find(|&j| words[j].brk >= Break::Comma) {
                let appositive = DETERMINERS.contains(&words[open].lower.as_str())
                    || matches!(words[open].lower.as_str(), "who" | "which");
                let (outside, inside): (Vec<usize>, Vec<usize>) = pool.iter().partition(|&&c| cands[c].last < open);
                let head = outside.iter().rev().copied().find(|&c| !self.prepositional(words, &cands[c]));
                if appositive {
                    if let Some(h) = head {
                        // "Pakistan, a key U.S. ally, has refused": the subject is before the
                        // apposition; but "Kenzo Oshima, the UN relief coordinator, demanded":
                        // a person the text ties to no country acts for the office it names
                        let unaffiliated = match &cands[h].who {
                            Who::Entity(i) => {
                                let e = &doc.entities[*i];
                                e.kind == EntityType::Person && e.affiliation.is_none()
                            }
                            Who::Country(_) => false,
                        };
                        pool = if unaffiliated && inside.iter().any(|&c| !self.prepositional(words, &cands[c])) {
                            inside
                        } else {
                            aside = Some(open);
                            outside
                        };
                    }
                }
            }
        }
        // a dateline ("HOUSTON - …", "(Reuters) - …") names no actor
        let dateline =
            |c: usize| cands[c].last < 5 && words[cands[c].last + 1..=at].iter().any(|w| w.brk == Break::Dash);
        let idx = pool.iter().rposition(|&c| !self.prepositional(words, &cands[c]) && !dateline(c))?;
        let gap = &words[cands[pool[idx]].last + 1..aside.unwrap_or(at).max(cands[pool[idx]].last + 1)];
        let hard = words[cands[pool[idx]].last + 1..=at].iter().any(|w| w.brk == Break::Hard);
        if hard || gap.len() > max_gap || !self.same_clause(gap) {
            return None;
        }
        // adjacent names are one actor; of two places ("Bosnian Serbs", "Iraqi Kurds") the
        // first says where the group lives
        let mut first = idx;
        // (so are a name and the person after their title: "Bulgarian President Todor Zhivkov")
        let titled = |a: usize, b: usize| {
            // candidates from different layers may overlap; overlapping ones are not in sequence
            if cands[a].last >= cands[b].first {
                return false;
            }
            let gap = &words[cands[a].last + 1..cands[b].first];
            gap.len() <= 3
                && gap.iter().all(|w| w.cap || self.vocab.is_group(&w.lower))
                && words[cands[a].last + 1..=cands[b].first].iter().all(|w| w.brk == Break::None)
                && matches!(&cands[b].who, Who::Entity(i) if doc.entities[*i].kind == EntityType::Person)
        };
        while first > 0
            && (cands[pool[first - 1]].last + 1 == cands[pool[first]].first
                && words[cands[pool[first]].first].brk == Break::None
                || titled(pool[first - 1], pool[first]))
        {
            first -= 1;
        }
        let is_place = |c: usize| match &cands[c].who {
            Who::Country(_) => true,
            Who::Entity(i) => doc.entities[*i].kind == EntityType::Place,
        };
        let chosen = if first < idx && (first..=idx).all(|j| is_place(pool[j])) { pool[first] } else { pool[idx] };
        // "X and Y", "Libyan leader Gaddafi and Bulgarian President Zhivkov"
        if first > 0 && cands[pool[first - 1]].last < cands[pool[first]].first {
            let p = pool[first - 1];
            let gap = &words[cands[p].last + 1..cands[pool[first]].first];
            let joined = gap.iter().filter(|w| w.lower == "and").count() == 1
                && gap.len() <= 4
                && words[cands[p].last + 1..=cands[pool[first]].first].iter().all(|w| w.brk < Break::Comma)
                && gap.iter().all(|w| w.lower == "and" || w.cap || self.vocab.is_group(&w.lower));
            if joined && cands[p].who != cands[chosen].who && !self.prepositional(words, &cands[p]) {
                return Some((p, Some(chosen)));
            }
        }
        Some((chosen, None))
    }

    /// Can a name before these words be the subject of the verb after them? Not when a
    /// relative or subordinate clause with a subject of its own starts in between ("refugees,
    /// whom authorities blame", "Alaska lost …, when a blaze demolished"); but "the US, which
    /// attacked", "Hungary said it will", "Russia, after months of talks, agreed" keep theirs.
    pub(super) fn same_clause(&self, gap: &[Word]) -> bool {
        let opener = gap.iter().rposition(|w| {
            matches!(w.lower.as_str(), "whom" | "which" | "who" | "that")
                || SUBORDINATORS.contains(&w.lower.as_str())
                || (w.brk >= Break::Comma && matches!(w.lower.as_str(), "and" | "but" | "or"))
        });
        let Some(o) = opener else { return true };
        if gap[o].lower == "whom" {
            return false;
        }
        // a phrase closed by a comma before the verb ("after months of talks,") is no clause
        if gap[o + 1..].iter().any(|w| w.brk >= Break::Comma) {
            return true;
        }
        gap[o + 1..].iter().all(|w| {
            let l = w.lower.as_str();
            AUXILIARIES.contains(&l)
                || TRANSPARENT.contains(&l)
                || MODALS.contains(&l)
                || l.ends_with("ly")
                || self.vocab.is_reporting(l)
                || self.vocab.is_cue_word(l)
        })
    }

    /// The target: the first name after the trigger's first word, within the clause and eight
    /// words, that is not the actor, a speaker, or a source ("according to").
    pub(super) fn object(&self, words: &[Word], cands: &[Cand], f: &Found, actor: Option<usize>) -> Option<usize> {
        let stop = self.scope_end(words, f.start + 1);
        (0..cands.len()).find(|&k| {
            let c = &cands[k];
            c.first > f.start
                && c.first < stop
                && c.first <= f.end + if self.pattern(f).flags.noun { 3 } else { 8 }
                && Some(k) != actor
                && !self.speaker(words, c)
                && !(c.first >= 2 && words[c.first - 2].lower == "according" && words[c.first - 1].lower == "to")
        })
    }

    /// The name that a noun belongs to: "Russia's invasion", "possible Russian support",
    /// "Security Council sanctions".
    pub(super) fn owner(&self, words: &[Word], cands: &[Cand], at: usize) -> Option<usize> {
        let k = (0..cands.len()).rev().find(|&k| cands[k].last < at)?;
        let gap = &words[cands[k].last + 1..at];
        let joined = words[cands[k].last + 1..=at].iter().all(|w| w.brk == Break::None);
        let free = |w: &Word| ![PREPOSITIONS, BACKGROUND, BE].iter().any(|l| l.contains(&w.lower.as_str()));
        (joined && gap.len() <= 2 && gap.iter().all(free)).then_some(k)
    }

    /// Is the noun at `at` the subject of a clause that sets the scene ("As Russia's invasion
    /// of Ukraine drags on, …", "while the siege continues")? Such an event is the backdrop of
    /// the news, not news of its own.
    pub(super) fn backdrop(&self, words: &[Word], at: usize) -> bool {
        let mut j = at;
        for _ in 0..5 {
            if j == 0 || words[j].brk != Break::None {
                return false;
            }
            let w = &words[j - 1];
            if SCENE_SETTERS.contains(&w.lower.as_str()) {
                let opens = j == 1 || w.brk >= Break::Comma;
                // the clause's verb: the first word after the noun phrase that says it goes on
                let verb = words[at + 1..]
                    .iter()
                    .take_while(|w| w.brk < Break::Comma)
                    .take(8)
                    .any(|w| self.vocab.is_ongoing(&w.lower));
                return opens && verb;
            }
            let modifier = DETERMINERS.contains(&w.lower.as_str()) || w.cap || words[j].after_possessive;
            if !modifier && !MODIFIERS.contains(&w.lower.as_str()) {
                return false;
            }
            j -= 1;
        }
        false
    }

    /// Is the noun at `at` the object of a preposition that sets it in the background
    /// ("in the war against …", "since the invasion")?
    pub(super) fn background(&self, words: &[Word], at: usize) -> bool {
        let mut j = at;
        for _ in 0..4 {
            if j == 0 || words[j].brk != Break::None {
                return false;
            }
            let w = words[j - 1].lower.as_str();
            if BACKGROUND.contains(&w) {
                return true;
            }
            if PREPOSITIONS.contains(&w) || BE.contains(&w) {
                return false;
            }
            j -= 1;
        }
        false
    }

    /// Passive voice: a past participle after a form of "be" ("was attacked by …").
    pub(super) fn passive(&self, words: &[Word], f: &Found) -> bool {
        if self.pattern(f).flags.noun || !self.vocab.is_past_form(&words[f.start].lower) {
            return false;
        }
        // "assisted by the DA's office", "soldiers killed by friendly fire"
        if words.get(f.end).is_some_and(|w| w.lower == "by" && w.brk == Break::None) {
            return true;
        }
        if f.start > 0 {
            let before = words[f.start - 1].lower.as_str();
            // "was slashed in the face and shot in the foot": the second participle is passive too
            if before == "and" {
                let from = f.start.saturating_sub(10);
                if let Some(b) = (from..f.start - 1)
                    .rev()
                    .take_while(|&j| words[j + 1].brk < Break::Comma)
                    .find(|&j| BE.contains(&words[j].lower.as_str()))
                {
                    if words.get(b + 1).is_some_and(|w| self.vocab.is_past_form(&w.lower)) {
                        return true;
                    }
                }
            }
            // "the 20 people killed Wednesday": a participle after a counted noun, and no object
            let counted = |w: &Word| {
                NUMBERS.contains(&w.lower.as_str()) || w.lower.chars().all(|c| c.is_ascii_digit() || c == ',')
            };
            let flags = self.pattern(f).flags;
            let verbal = flags.governs || flags.intent;
            let after_word = !words[f.start - 1].cap && !AUXILIARIES.contains(&before) && !MODALS.contains(&before);
            let noun_before =
                !verbal && after_word && words[f.start.saturating_sub(4)..f.start - 1].iter().any(counted);
            let no_object = words.get(f.end).is_none_or(|w| {
                w.brk >= Break::Comma
                    || TIME_WORDS.contains(&w.lower.as_str())
                    || PREPOSITIONS.contains(&w.lower.as_str())
            });
            if noun_before && no_object && words[f.start].brk == Break::None {
                return true;
            }
        }
        let mut j = f.start;
        for _ in 0..3 {
            if j == 0 {
                return false;
            }
            let w = words[j - 1].lower.as_str();
            if BE.contains(&w) {
                return true;
            }
            if !(w.ends_with("ly") || matches!(w, "also" | "not" | "been" | "being" | "reportedly" | "allegedly")) {
                return false;
            }
            j -= 1;
        }
        false
    }

    /// The agent of a passive verb: a name just after "by".
    pub(super) fn agent(&self, words: &[Word], cands: &[Cand], f: &Found) -> Option<usize> {
        let by = (f.end..(f.end + 4).min(words.len()))
            .take_while(|&j| words[j].brk < Break::Comma)
            .find(|&j| words[j].lower == "by")?;
        // the head of the phrase after "by" ("by the Burundian militia"), not a name further on
        (0..cands.len()).find(|&k| {
            cands[k].first > by
                && words[by + 1..cands[k].first].iter().all(|w| MODIFIERS.contains(&w.lower.as_str()) || w.cap)
                && cands[k].first <= by + 3
                && words[by + 1..=cands[k].first].iter().all(|w| w.brk < Break::Comma)
        })
    }

    /// "X said Y must …": X demands, of Y.
    pub(super) fn obligation(
        &self,
        doc: &Document,
        words: &[Word],
        cands: &[Cand],
        f: &Found,
    ) -> Option<(usize, Option<usize>)> {
        let say = (0..f.start).rev().take(15).find(|&j| self.vocab.is_reporting(&words[j].lower))?;
        let target = (0..cands.len()).find(|&k| cands[k].first > say && cands[k].last < f.start)?;
        let (actor, _) = self.subject(doc, words, cands, say, 12, Head::Verb { prev: None })?;
        Some((actor, Some(target)))
    }

    /// The entity a candidate stands for: a person acting for a country, or a city or region,
    /// is coded as the country when the article names it; an untagged country name becomes the
    /// country's entity (added to the document when the article had none).
    pub(super) fn resolve(
        &self,
        doc: &mut Document,
        words: &[Word],
        cands: &[Cand],
        k: usize,
        places: &mut Places,
    ) -> usize {
        let c = &cands[k];
        if let Who::Entity(i) = &c.who {
            let e = &doc.entities[*i];
            if e.kind == EntityType::Person && e.affiliation.is_none() {
                if let Some(body) = self.acts_for(doc, words, cands, k) {
                    return self.resolve(doc, words, cands, body, places);
                }
            }
            // an organisation or person entity that is only a country's name or demonym ("The
            // United States" tagged as an organisation, "Syrian" as a name) is that country
            if e.code.is_none() && e.affiliation.is_none() {
                if let Some(code) = country_named(&e.name) {
                    let as_country = Cand { who: Who::Country(code), ..c.clone() };
                    return self.resolve_country(doc, &as_country, places);
                }
            }
        }
        self.resolve_country(doc, c, places)
    }

    /// An organisation or place the tables do not know whose full name goes on past what the
    /// entity layer took to name a place ("National Union for the Total Independence of
    /// Angola", "United Bus Company of Tehran") is of that place's country.
    pub(super) fn named_home(&self, doc: &mut Document, words: &[Word], cands: &[Cand], k: usize, i: usize) {
        let e = &doc.entities[i];
        if e.code.is_some() || !matches!(e.kind, EntityType::Org | EntityType::Place) {
            return;
        }
        let c = &cands[k];
        let mut j = c.last + 1;
        let mut home = None;
        while j < words.len() && j <= c.last + 8 && words[j].brk == Break::None {
            let w = &words[j];
            if let Some(n) = cands.iter().position(|n| n.first == j) {
                home = match &cands[n].who {
                    Who::Country(code) => Some(code.clone()),
                    Who::Entity(x) => {
                        let h = &doc.entities[*x];
                        (h.kind == EntityType::Place).then(|| h.code.clone()).flatten()
                    }
                };
                break;
            }
            if !(w.cap || matches!(w.lower.as_str(), "of" | "for" | "the" | "and")) {
                break;
            }
            j += 1;
        }
        // (the name runs on through "of"/"for": "… Company of Tehran", not "… in Tehran")
        let through = words[c.last + 1..j].iter().any(|w| matches!(w.lower.as_str(), "of" | "for"));
        if through && home.is_some() {
            doc.entities[i].code = home;
        }
    }

    /// The body a person with no country of their own acts for, when the sentence ties them to
    /// one: a name before their title ("U.N. Secretary-General Kofi Annan", "Arab League
    /// Secretary-General Chedli Klibi") or an apposition after their name ("Kofi Annan, UN
    /// secretary-general,", "Kenzo Oshima, the United Nations relief coordinator,", "Salaheddine
    /// Sidhoum, Algeria's leading activist,").
    fn acts_for(&self, doc: &Document, words: &[Word], cands: &[Cand], k: usize) -> Option<usize> {
        let coded = |j: usize| match &cands[j].who {
            Who::Country(_) => true,
            Who::Entity(i) => {
                let e = &doc.entities[*i];
                e.kind != EntityType::Person && e.code.is_some()
            }
        };
        let c = &cands[k];
        // before: only title words between the body and the name, all in one phrase
        if k > 0 && coded(k - 1) {
            let gap = &words[cands[k - 1].last + 1..c.first];
            let joined = words[cands[k - 1].last + 1..=c.first].iter().all(|w| w.brk == Break::None);
            let title = |w: &Word| {
                w.cap && !w.after_possessive
                    || self.vocab.is_group(&w.lower)
                    || w.lower.split('-').any(|p| self.vocab.is_group(p))
            };
            if joined && gap.len() <= 3 && gap.iter().all(title) {
                return Some(k - 1);
            }
        }
        // after: ", [the] BODY …" with an office word in the apposition
        let next = k + 1;
        if next < cands.len() && coded(next) {
            let open = c.last + 1;
            let n = &cands[next];
            let starts = open < words.len()
                && words[open].brk == Break::Comma
                && n.first >= open
                && n.first <= open + 1
                && words[open..n.first].iter().all(|w| DETERMINERS.contains(&w.lower.as_str()))
                && words[open + 1..=n.first].iter().all(|w| w.brk == Break::None);
            if starts {
                let end = (n.last + 1..words.len()).find(|&j| words[j].brk >= Break::Comma).unwrap_or(words.len());
                let office = (n.first..end.min(n.last + 8)).any(|j| {
                    self.vocab.is_group(&words[j].lower) || words[j].lower.split('-').any(|p| self.vocab.is_group(p))
                });
                let body_is_office = match &cands[next].who {
                    Who::Entity(i) => doc.entities[*i].kind == EntityType::Org,
                    Who::Country(_) => false,
                };
                if office || body_is_office {
                    return Some(next);
                }
            }
        }
        None
    }

    fn resolve_country(&self, doc: &mut Document, c: &Cand, places: &mut Places) -> usize {
        match &c.who {
            Who::Entity(i) => {
                let e = &doc.entities[*i];
                // an official the text ties to no country, in an article about one country
                // ("President Museveni … Ugandan opposition"), acts for that country
                // (the office may be in the roles or in the name the text gives: "Ousted President
                // Askar Akayev"; "Lt. Gen." is abbreviated)
                let office = e.roles.iter().chain(std::iter::once(&e.name)).any(|r| {
                    r.split_whitespace().any(|w| self.vocab.is_group(w.trim_end_matches('.').to_lowercase().as_str()))
                });
                if e.kind == EntityType::Person && e.affiliation.is_none() && office {
                    if let Some(sole) = places.sole {
                        return sole;
                    }
                    if let Some((code, span)) = places.sole_untagged.take() {
                        let c = Cand { first: c.first, last: c.last, span, who: Who::Country(code) };
                        let i = self.resolve_country(doc, &c, places);
                        places.sole = Some(i);
                        return i;
                    }
                }
                let code = match e.kind {
                    EntityType::Person => e.affiliation.as_deref(),
                    EntityType::Place => e.code.as_deref(),
                    EntityType::Org => None,
                };
                code.and_then(|c| places.country_of.get(c).copied()).unwrap_or(*i)
            }
            Who::Country(code) => {
                if let Some(&i) = places.country_of.get(code) {
                    return i;
                }
                let kb = crate::knowledge::Knowledge::get();
                let name = kb.country(code).map_or_else(|| code.clone(), |e| e.name.clone());
                // "Iraqi", "Palestinians" name the country's people, not the place: the country
                // acts in the event, but the word is no mention of a place
                let said = doc.text.get(c.span.start..c.span.end).unwrap_or("");
                let demonym = kb.lookup(&crate::text::fold(said)).iter().any(|h| {
                    h.relation == crate::knowledge::Relation::Demonym && h.entry.code.as_deref() == Some(code.as_str())
                });
                doc.entities.push(Entity {
                    id: Entity::country_id(code),
                    name,
                    kind: EntityType::Place,
                    code: Some(code.clone()),
                    roles: Vec::new(),
                    affiliation: None,
                    mentions: if demonym { Vec::new() } else { vec![c.span] },
                    title_mentions: Vec::new(),
                });
                let i = doc.entities.len() - 1;
                places.country_of.insert(code.clone(), i);
                i
            }
        }
    }

    /// The source a sentence's claims are attributed to: "according to NTB, …", or a closing
    /// "…, the BTA reported".
    pub(super) fn reported_by(&self, doc: &Document, words: &[Word], cands: &[Cand], actor: usize) -> Option<usize> {
        let entity = |c: &Cand| match c.who {
            Who::Entity(i) => Some(i),
            Who::Country(_) => None,
        };
        if let Some(k) = words.windows(2).position(|w| w[0].lower == "according" && w[1].lower == "to") {
            // the source is the last name of the phrase: "according to the Russian agency RIA"
            let end = (k + 2..words.len())
                .find(|&j| j > k + 2 && words[j].brk >= Break::Comma)
                .unwrap_or(words.len())
                .min(k + 10);
            if let Some(c) = cands.iter().rev().find(|c| c.first >= k + 2 && c.last < end) {
                return entity(c);
            }
        }
        // a closing clause of attribution: "…, Reuters reported", "…, said the BTA"
        let tail = words.iter().rposition(|w| w.brk >= Break::Comma)?;
        if words.len() - tail > 8 {
            return None;
        }
        let c = cands.iter().find(|c| {
            c.first >= tail
                && (words.get(c.last + 1).is_some_and(|w| self.vocab.is_reporting(&w.lower))
                    || (c.first > tail && self.vocab.is_reporting(&words[c.first - 1].lower)))
        })?;
        let e = entity(c)?;
        (e != actor && doc.entities[e].kind != EntityType::Place).then_some(e)
    }
}

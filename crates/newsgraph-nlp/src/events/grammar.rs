//! Closed-class English words the coder reads a sentence's structure by (prepositions,
//! determiners, auxiliaries, subordinators). The coder's vocabulary proper, which a user may
//! want to extend, is in `data/vocab/events.tsv` and `modality.tsv`.

/// Words after which a name is an object, not the actor ("Putin was in North Korea").
pub(super) const PREPOSITIONS: &[&str] = &[
    "in",
    "to",
    "from",
    "at",
    "with",
    "for",
    "of",
    "by",
    "against",
    "into",
    "on",
    "about",
    "between",
    "toward",
    "towards",
    "among",
    "across",
    "via",
    "over",
    "under",
    "after",
    "before",
    "during",
    "near",
    "like",
    "than",
    "entering",
    "regarding",
    "upon",
    "onto",
    "within",
    "without",
    "through",
    "throughout",
    "inside",
    "outside",
    "despite",
    "including",
    "amid",
    "behind",
    "beyond",
];

/// Words before a noun: a verb pattern after one of them is a noun.
pub(super) const DETERMINERS: &[&str] = &[
    "a", "an", "the", "its", "their", "his", "her", "our", "my", "your", "this", "these", "those", "whose", "any",
    "no", "every",
];

/// Number words: a verb form after one is an adjective ("two wounded").
pub(super) const NUMBERS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "dozen",
    "dozens",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "several",
    "many",
    "more",
    "most",
];

/// Words that leave the subject of the clause unchanged ("Hungary said it will …").
pub(super) const TRANSPARENT: &[&str] = &["it", "he", "she", "they", "we", "its", "their", "his", "her", "that"];

/// Words that open a subordinate clause, which has its own subject ("…, when a blaze
/// demolished …").
pub(super) const SUBORDINATORS: &[&str] = &[
    "when", "while", "because", "although", "though", "whereas", "if", "unless", "after", "before", "since", "as",
    "until",
];

/// Words of time that may follow a verb with no object ("the children killed Wednesday").
pub(super) const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "overnight",
    "earlier",
    "last",
    "this",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Words before a verb in its base form ("will attack", "to attack", "they attack").
pub(super) const MODALS: &[&str] = &[
    "to", "will", "would", "can", "could", "may", "might", "must", "should", "shall", "not", "they", "we", "i", "you",
    "did", "do", "does",
];

/// Prepositions that set a noun in the background ("during the war", "since the invasion"):
/// such a noun is no event of the sentence's subject.
/// Conjunctions that open a clause setting the scene: a noun event as its subject is the
/// backdrop ("As the war drags on, …").
pub(super) const SCENE_SETTERS: &[&str] = &["as", "while"];

pub(super) const BACKGROUND: &[&str] = &[
    "in",
    "during",
    "after",
    "since",
    "amid",
    "before",
    "despite",
    "following",
    "over",
    "throughout",
    "of",
    "against",
    "about",
];

/// Words that may stand between a preposition and its object ("against neighbouring Serbia").
pub(super) const MODIFIERS: &[&str] = &[
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "our",
    "this",
    "that",
    "these",
    "those",
    "most",
    "some",
    "many",
    "all",
    "several",
    "both",
    "other",
    "neighboring",
    "neighbouring",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "occupied",
    "besieged",
    "rebel-held",
    "breakaway",
    "two",
    "three",
    "four",
    "five",
    "new",
    "former",
    "ousted",
];

/// Verbs that join a second predicate to the sentence's subject ("… and has threatened …").
pub(super) const AUXILIARIES: &[&str] = &[
    "has", "have", "had", "will", "would", "was", "were", "is", "are", "also", "then", "later", "been", "be", "not",
    "may", "might",
];

/// Forms of "be" that make a past participle passive ("was attacked").
pub(super) const BE: &[&str] =
    &["was", "were", "is", "are", "been", "being", "be", "get", "got", "gets", "found", "left"];

/// Words that open a new clause after a comma: the content of "demanded" ends there.
pub(super) const CLAUSE_OPENERS: &[&str] = &[
    "and", "but", "while", "which", "who", "whom", "whose", "as", "although", "though", "whereas", "saying", "when",
    "where", "after", "before", "because", "since", "despite", "amid", "adding",
];

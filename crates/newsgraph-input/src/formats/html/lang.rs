//! Checking a page's declared language against its text. Templates declare `lang="en"` on pages
//! in every language, so a declaration is a claim to test, not a fact. The test is deliberately
//! modest — the script the letters are written in, then the share of each language's commonest
//! function words — and answers only when the evidence is clear; identifying languages in
//! general is the analysis stage's job.

/// What the text says about its language, when it says it clearly.
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The text agrees with the declaration, or cannot tell.
    Agrees,
    /// The text is in this other language.
    Is(&'static str),
    /// The text is written in a script the declared language does not use.
    Script(&'static str),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Han,
    Kana,
    Hangul,
    Thai,
    Devanagari,
    Georgian,
    Armenian,
    Other,
}

fn script_of(c: char) -> Option<Script> {
    if !c.is_alphabetic() {
        return None;
    }
    let u = c as u32;
    Some(match u {
        0x41..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F => Script::Cyrillic,
        0x530..=0x58F => Script::Armenian,
        0x590..=0x5FF => Script::Hebrew,
        0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Arabic,
        0x900..=0x97F => Script::Devanagari,
        0xE00..=0xE7F => Script::Thai,
        0x10A0..=0x10FF => Script::Georgian,
        0x3040..=0x30FF => Script::Kana,
        0x1100..=0x11FF | 0xAC00..=0xD7AF => Script::Hangul,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF => Script::Han,
        _ => Script::Other,
    })
}

fn script_name(s: Script) -> &'static str {
    match s {
        Script::Latin => "Latin",
        Script::Cyrillic => "Cyrillic",
        Script::Greek => "Greek",
        Script::Arabic => "Arabic",
        Script::Hebrew => "Hebrew",
        Script::Han => "Chinese",
        Script::Kana => "Japanese",
        Script::Hangul => "Korean",
        Script::Thai => "Thai",
        Script::Devanagari => "Devanagari",
        Script::Georgian => "Georgian",
        Script::Armenian => "Armenian",
        Script::Other => "another",
    }
}

/// The scripts a language is written in; `None` for languages the check does not know.
fn scripts_of(lang: &str) -> Option<&'static [Script]> {
    use Script::*;
    Some(match lang {
        "en" | "de" | "fr" | "es" | "it" | "pt" | "nl" | "sv" | "da" | "no" | "nb" | "nn" | "fi" | "pl" | "cs"
        | "sk" | "ro" | "hu" | "tr" | "id" | "ms" | "hr" | "bs" | "sl" | "et" | "lv" | "lt" | "is" | "ga" | "ca"
        | "eu" | "gl" | "sq" | "vi" | "tl" | "sw" | "af" | "cy" | "mt" | "lb" | "eo" | "la" | "uz" | "az" => &[Latin],
        "sr" | "sh" => &[Cyrillic, Latin],
        "ru" | "uk" | "bg" | "mk" | "be" | "kk" | "ky" | "mn" | "tg" => &[Cyrillic],
        "el" => &[Greek],
        "ar" | "fa" | "ur" | "ps" => &[Arabic],
        "he" | "yi" | "iw" => &[Hebrew],
        "zh" => &[Han],
        "ja" => &[Han, Kana],
        "ko" => &[Hangul, Han],
        "th" => &[Thai],
        "hi" | "mr" | "ne" => &[Devanagari],
        "ka" => &[Georgian],
        "hy" => &[Armenian],
        _ => return None,
    })
}

/// The commonest short function words of the languages the check tells apart.
const STOPWORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "is", "that", "for", "was", "with", "on", "are", "this", "have", "from", "said",
            "has", "not", "but", "were", "which", "it", "be", "by",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "sich", "auf", "für", "ein", "eine",
            "dem", "des", "auch", "wird", "im", "zu", "es", "sie", "wurde", "dass",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "des", "et", "est", "une", "du", "pour", "que", "qui", "dans", "pas", "sur", "au",
            "par", "avec", "il", "ce", "sont", "été", "à",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "del", "las", "por", "una", "con", "para", "es", "se", "no", "al", "como", "más", "fue", "su",
            "lo", "que", "y", "en",
        ],
    ),
    (
        "it",
        &[
            "il", "di", "che", "della", "per", "non", "una", "sono", "del", "con", "è", "gli", "le", "da", "al", "si",
            "ha", "nel", "anche", "alla",
        ],
    ),
    (
        "pt",
        &[
            "do", "da", "em", "um", "uma", "para", "com", "não", "os", "é", "no", "na", "se", "por", "mais", "as",
            "dos", "foi", "ao", "que", "o",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "van", "en", "is", "dat", "niet", "op", "te", "met", "voor", "zijn", "er", "die",
            "ook", "aan", "wordt", "werd", "naar", "bij",
        ],
    ),
    (
        "sv",
        &[
            "och", "att", "det", "är", "som", "på", "för", "med", "av", "har", "inte", "till", "den", "om", "var",
            "ett", "men", "kan", "också",
        ],
    ),
    (
        "da",
        &[
            "og", "at", "det", "er", "til", "på", "for", "med", "af", "har", "ikke", "som", "den", "et", "var", "der",
            "fra", "blev", "også",
        ],
    ),
    (
        "no",
        &[
            "og", "er", "det", "som", "på", "til", "for", "med", "av", "har", "ikke", "at", "den", "et", "var", "fra",
            "om", "blir", "skal", "også",
        ],
    ),
    (
        "fi",
        &[
            "ja", "on", "ei", "se", "että", "oli", "hän", "mutta", "kun", "myös", "ovat", "tai", "sen", "joka", "jo",
            "kuin", "mukaan",
        ],
    ),
    (
        "pl",
        &[
            "w", "na", "z", "nie", "się", "do", "to", "że", "jest", "jak", "po", "ale", "co", "tak", "od", "przez",
            "dla", "są",
        ],
    ),
    (
        "cs",
        &[
            "se", "na", "je", "že", "to", "do", "jako", "by", "ale", "pro", "jsou", "které", "jak", "také", "bylo",
            "jeho",
        ],
    ),
    (
        "ro",
        &[
            "și", "de", "în", "la", "cu", "pe", "că", "nu", "un", "din", "este", "pentru", "care", "mai", "sunt", "au",
            "fost",
        ],
    ),
    ("hu", &["a", "az", "és", "hogy", "nem", "is", "egy", "meg", "van", "volt", "már", "csak", "ez", "mint", "még"]),
    (
        "tr",
        &[
            "ve", "bir", "bu", "için", "ile", "çok", "olarak", "daha", "gibi", "ne", "var", "olan", "ama", "sonra",
            "kadar",
        ],
    ),
    (
        "id",
        &[
            "yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan", "pada", "ke",
            "juga", "ada", "oleh",
        ],
    ),
    ("hr", &["je", "da", "se", "na", "su", "za", "od", "koji", "kao", "će", "iz", "ali", "bio", "što", "ili"]),
    (
        "ru",
        &[
            "и",
            "в",
            "не",
            "на",
            "что",
            "с",
            "по",
            "как",
            "это",
            "он",
            "из",
            "к",
            "для",
            "его",
            "но",
            "за",
            "от",
            "было",
            "также",
            "который",
        ],
    ),
    (
        "uk",
        &[
            "і",
            "в",
            "на",
            "що",
            "не",
            "з",
            "до",
            "у",
            "та",
            "як",
            "це",
            "за",
            "від",
            "його",
            "але",
            "для",
            "про",
            "також",
        ],
    ),
    (
        "bg",
        &[
            "и",
            "на",
            "в",
            "да",
            "се",
            "е",
            "за",
            "от",
            "с",
            "че",
            "не",
            "по",
            "са",
            "като",
            "той",
            "но",
            "това",
            "който",
        ],
    ),
];

/// Languages close enough that function words cannot tell them apart reliably.
fn same_family(a: &str, b: &str) -> bool {
    let group = |l: &str| match l {
        "no" | "nb" | "nn" | "da" => "nordic-west",
        "hr" | "sr" | "bs" | "sh" | "sl" => "bcs",
        "cs" | "sk" => "czechoslovak",
        "id" | "ms" => "malay",
        "es" | "gl" | "ca" => "iberian",
        "pt" => "iberian-pt",
        _ => "",
    };
    a == b || (!group(a).is_empty() && group(a) == group(b))
}

/// Checks `declared` (an ISO 639-1 code) against `text`.
pub(crate) fn check(declared: &str, text: &str) -> Verdict {
    // A few thousand characters are plenty, and keep long articles cheap.
    let mut end = text.len().min(4000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let mut counts = [0usize; 13];
    let mut letters = 0usize;
    for c in sample.chars() {
        if let Some(s) = script_of(c) {
            counts[s as usize] += 1;
            letters += 1;
        }
    }
    if letters < 200 {
        return Verdict::Agrees;
    }
    let all = [
        Script::Latin,
        Script::Cyrillic,
        Script::Greek,
        Script::Arabic,
        Script::Hebrew,
        Script::Han,
        Script::Kana,
        Script::Hangul,
        Script::Thai,
        Script::Devanagari,
        Script::Georgian,
        Script::Armenian,
        Script::Other,
    ];
    let (dominant, n) = all.iter().map(|&s| (s, counts[s as usize])).max_by_key(|&(_, n)| n).expect("scripts");
    // Japanese mixes kana into Chinese characters; a good share of kana means Japanese.
    let dominant =
        if dominant == Script::Han && counts[Script::Kana as usize] * 10 >= letters { Script::Kana } else { dominant };
    let Some(expected) = scripts_of(declared) else { return Verdict::Agrees };
    if n * 10 >= letters * 6 && !expected.contains(&dominant) && dominant != Script::Other {
        return match dominant {
            Script::Kana => Verdict::Is("ja"),
            Script::Hangul => Verdict::Is("ko"),
            Script::Greek => Verdict::Is("el"),
            Script::Thai => Verdict::Is("th"),
            Script::Georgian => Verdict::Is("ka"),
            Script::Armenian => Verdict::Is("hy"),
            Script::Hebrew => Verdict::Is("he"),
            Script::Han => Verdict::Is("zh"),
            Script::Latin | Script::Cyrillic => match by_words(sample) {
                Some(l) => Verdict::Is(l),
                None => Verdict::Script(script_name(dominant)),
            },
            other => Verdict::Script(script_name(other)),
        };
    }
    if !matches!(dominant, Script::Latin | Script::Cyrillic) || !STOPWORDS.iter().any(|(l, _)| same_family(l, declared))
    {
        return Verdict::Agrees;
    }
    match by_words(sample) {
        Some(l) if !same_family(l, declared) => Verdict::Is(l),
        _ => Verdict::Agrees,
    }
}

/// Each function word with the languages (bits, by index in `STOPWORDS`) it belongs to.
fn stopword_index() -> &'static HashMap<&'static str, u32> {
    static INDEX: OnceLock<HashMap<&'static str, u32>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m: HashMap<&'static str, u32> = HashMap::new();
        for (i, (_, words)) in STOPWORDS.iter().enumerate() {
            for w in *words {
                *m.entry(w).or_default() |= 1 << i;
            }
        }
        m
    })
}

/// The language whose function words clearly dominate the sample, if one does.
fn by_words(sample: &str) -> Option<&'static str> {
    let index = stopword_index();
    let mut hits = [0usize; STOPWORDS.len()];
    let mut words = 0usize;
    let mut lower = String::new();
    for w in sample.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(600) {
        words += 1;
        // Function words are short: longer words cannot match, and need no lower-casing.
        if w.len() > 12 {
            continue;
        }
        lower.clear();
        lower.extend(w.chars().flat_map(char::to_lowercase));
        if let Some(&bits) = index.get(lower.as_str()) {
            for (i, h) in hits.iter_mut().enumerate() {
                if bits & (1 << i) != 0 {
                    *h += 1;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..STOPWORDS.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(hits[i]));
    let best = order[0];
    let best_lang = STOPWORDS[best].0;
    let runner_up = order[1..].iter().find(|&&i| !same_family(STOPWORDS[i].0, best_lang)).map_or(0, |&i| hits[i]);
    // Function words are a fifth to a half of running text in these languages; a clear winner
    // has many of them and well over any unrelated rival.
    (hits[best] >= 10 && hits[best] * 100 >= words * 8 && hits[best] * 2 >= runner_up * 3).then_some(best_lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "The council voted on Tuesday to approve the new budget, which raises spending on schools and \
        roads by four percent over the next two years. The mayor said that the plan was the result of long talks with \
        the unions and that it would be reviewed in the spring. Critics of the plan have said it is not enough.";
    const DE: &str = "Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen, der die Ausgaben für Schulen und \
        Straßen in den nächsten zwei Jahren um vier Prozent erhöht. Die Bürgermeisterin sagte, dass der Plan das \
        Ergebnis langer Gespräche mit den Gewerkschaften sei und im Frühjahr überprüft werde. Kritiker sagen, es sei \
        nicht genug, und auch die Opposition ist mit dem Ergebnis nicht zufrieden.";
    const RU: &str = "Городской совет во вторник утвердил новый бюджет, который увеличивает расходы на школы и \
        дороги на четыре процента в течение следующих двух лет. Мэр сказал, что план стал результатом долгих \
        переговоров с профсоюзами и что он будет пересмотрен весной. Критики говорят, что этого недостаточно, и \
        оппозиция также не довольна результатом, как и многие жители города.";

    #[test]
    fn agreement_and_disagreement() {
        assert_eq!(check("en", EN), Verdict::Agrees);
        assert_eq!(check("de", DE), Verdict::Agrees);
        assert_eq!(check("en", DE), Verdict::Is("de"));
        assert_eq!(check("de", EN), Verdict::Is("en"));
        assert_eq!(check("en", RU), Verdict::Is("ru"));
        assert_eq!(check("ru", RU), Verdict::Agrees);
        // Unknown to the check, or too little text: no verdict.
        assert_eq!(check("xx", DE), Verdict::Agrees);
        assert_eq!(check("en", "Kurz und gut."), Verdict::Agrees);
    }
}

//! Language identification with the `whatlang` crate (trigram profiles, no model files), used
//! when the input did not declare its language or to check a declaration.

use crate::pipeline::Annotator;
use newsgraph_doc::Document;

pub struct Language;

impl Annotator for Language {
    fn name(&self) -> &'static str {
        "language"
    }
    fn annotate(&self, doc: &mut Document) {
        if doc.meta.language.is_some() {
            return;
        }
        // trigram profiles settle within a thousand or so characters; more only costs time
        let mut end = doc.text.len().min(1000);
        while !doc.text.is_char_boundary(end) {
            end -= 1;
        }
        if clearly_english(&doc.text[..end]) {
            doc.meta.language = Some("en".to_string());
            return;
        }
        if let Some(info) = whatlang::detect(&doc.text[..end]) {
            if info.is_reliable() || end > 200 {
                doc.meta.language = Some(iso639_1(info.lang()).to_string());
            }
        }
    }
}

/// Function words of English that other languages written in Latin script hardly use as words.
const ENGLISH_MARKERS: [&str; 26] = [
    "the", "of", "and", "to", "that", "for", "with", "was", "by", "from", "said", "his", "has", "have", "are", "were",
    "this", "which", "will", "would", "who", "their", "they", "been", "after", "about",
];

/// Whether a sample is English beyond doubt: at least 40 words, one in ten of them an English
/// function word, almost all in plain ASCII letters. In English news one word in five is such a
/// word, in French, German, Dutch, Spanish or Swedish prose hardly one in forty. Most of our
/// users' articles are English, and whatlang compares every sample with each language profile
/// of its script, about 150 microseconds an article whatever its length; this check takes a
/// few. Anything else goes to whatlang.
fn clearly_english(sample: &str) -> bool {
    let (mut words, mut markers, mut foreign) = (0usize, 0usize, 0usize);
    for w in sample.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if w.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        words += 1;
        if !w.is_ascii() {
            foreign += 1;
        } else if w.len() <= 5 && ENGLISH_MARKERS.iter().any(|m| m.eq_ignore_ascii_case(w)) {
            markers += 1;
        }
    }
    words >= 40 && markers * 10 >= words && foreign * 20 <= words
}

/// whatlang speaks ISO 639-3; the record uses the two-letter codes most tools expect.
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Epo => "eo",
        #[allow(unreachable_patterns)]
        _ => "und",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(text: &str) -> Option<String> {
        let meta = newsgraph_doc::Meta::default();
        let mut doc = Document::new(meta, text.to_string(), Vec::new());
        Language.annotate(&mut doc);
        doc.meta.language
    }

    #[test]
    fn english_is_told_by_its_function_words_and_other_languages_go_to_whatlang() {
        let english = "The minister said on Tuesday that the government would send more aid to the \
            region after the floods, which have forced thousands of families from their homes. \
            Officials from the agency were expected to visit the worst-hit towns this week, and \
            they have promised that the first convoys will arrive by Friday.";
        assert!(clearly_english(english));
        assert_eq!(detected(english).as_deref(), Some("en"));
        // Too short to be sure: whatlang decides.
        assert!(!clearly_english("The minister said that the aid was on its way."));

        let others = [
            (
                "fr",
                "Le président de la République a annoncé mardi une réforme des retraites qui doit \
                entrer en vigueur l'année prochaine, selon un communiqué publié par l'Élysée. Les \
                syndicats ont appelé à une grève générale pour protester contre le projet, qu'ils \
                jugent injuste pour les travailleurs les plus modestes du pays.",
            ),
            (
                "de",
                "Die Bundesregierung hat am Dienstag ein neues Gesetz zur Förderung erneuerbarer \
                Energien beschlossen, wie ein Sprecher in Berlin mitteilte. Die Opposition kritisierte \
                den Entwurf als unzureichend und kündigte an, im Bundestag dagegen zu stimmen. Was die \
                Länder davon halten, ist noch unklar, sagte der Sprecher.",
            ),
            (
                "nl",
                "De regering heeft dinsdag een nieuw plan gepresenteerd om de woningnood aan te \
                pakken, zo meldde de minister in Den Haag. Volgens de oppositie was het plan te laat \
                en te weinig ambitieus, en de gemeenten hebben al laten weten dat zij meer geld willen \
                voor de bouw van nieuwe woningen in de steden.",
            ),
            (
                "es",
                "El gobierno anunció el martes un nuevo plan para reducir la inflación, según informó \
                el ministro de Economía en Madrid. La oposición criticó la medida y dijo que no será \
                suficiente para proteger a las familias con menos ingresos, que sufren desde hace meses \
                la subida de los precios de la energía y de los alimentos.",
            ),
        ];
        for (code, text) in others {
            assert!(!clearly_english(text), "{code}");
            assert_eq!(detected(text).as_deref(), Some(code));
        }
    }
}

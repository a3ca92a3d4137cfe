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
        if let Some(info) = whatlang::detect(&doc.text[..end]) {
            if info.is_reliable() || end > 200 {
                doc.meta.language = Some(iso639_1(info.lang()).to_string());
            }
        }
    }
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

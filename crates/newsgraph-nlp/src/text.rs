//! Small text helpers shared by the stages.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds a name for comparison: diacritics dropped, lower case, curly quotes straightened,
/// white space collapsed ("Andonović" and "Andonovic" fold alike).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            '\u{2019}' | '\u{2018}' | '`' => '\'',
            c if c.is_whitespace() || c == '-' || c == '\u{2010}' || c == '\u{2011}' => ' ',
            c => c,
        };
        if c == ' ' {
            if !out.is_empty() {
                space = true;
            }
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

pub fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_uppercase())
}

pub fn is_all_caps(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters > 0
}

/// Is this a dash that can open a quotation or a list item (en dash, em dash, hyphen, minus)?
pub fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2013}' | '\u{2014}' | '\u{2012}' | '\u{2212}' | '\u{2015}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Andonović"), "andonovic");
        assert_eq!(fold("  Kim   Jong-Un "), "kim jong un");
        assert_eq!(fold("Russia\u{2019}s"), "russia's");
    }
}

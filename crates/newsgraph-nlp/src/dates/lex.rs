//! The token stream the date and amount taggers read. The segmenter's tokens keep "2,000",
//! "6.6.2024" and "five-day" in shapes that suit sentence splitting; here numbers keep their
//! separators ("2,000", "6.6.2024" are one number), letters glued to digits become a suffix
//! ("5bn", "6th", "1990s"), and hyphens and dashes are tokens of their own so that "five-day",
//! "mid-2023" and "2019–2023" can be read piece by piece.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Num,
    Punct,
}

#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// For numbers, where the digits and their separators end; what follows up to `end` is a
    /// letter suffix. For other tokens it equals `end`.
    pub digits_end: usize,
    /// Lower-cased text (for punctuation, the character itself).
    pub lower: String,
}

impl Tok {
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
    pub fn is_num(&self) -> bool {
        self.kind == Kind::Num
    }
    pub fn is_punct(&self) -> bool {
        self.kind == Kind::Punct
    }
    /// The number's digits and separators, without its suffix.
    pub fn digits<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.digits_end]
    }
    /// The letters glued after a number ("bn" in "5bn"), lower-cased.
    pub fn suffix(&self) -> &str {
        &self.lower[self.digits_end - self.start..]
    }
    /// A plain run of digits, without separators or suffix.
    pub fn is_plain_int(&self, text: &str) -> bool {
        self.is_num() && self.digits_end == self.end && self.digits(text).bytes().all(|b| b.is_ascii_digit())
    }
    /// Written with an upper-case first letter.
    pub fn is_capitalised(&self, text: &str) -> bool {
        text[self.start..self.end].chars().next().is_some_and(|c| c.is_uppercase())
    }
}

/// Splits `text` into words, numbers and single punctuation characters.
pub(crate) fn lex(text: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let bytes = text.as_bytes();
    let mut it = text.char_indices().peekable();
    let next_char = |at: usize| text[at..].chars().next();
    while let Some((b, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii_digit() {
            let mut end = b + 1;
            // digits with inner separators: "2,000", "2.5", "6.6.2024"
            while end < bytes.len() {
                let ch = bytes[end];
                if ch.is_ascii_digit() {
                    end += 1;
                } else if (ch == b',' || ch == b'.') && bytes.get(end + 1).is_some_and(|d| d.is_ascii_digit()) {
                    end += 2;
                } else {
                    break;
                }
            }
            let digits_end = end;
            while let Some(ch) = next_char(end) {
                if ch.is_alphabetic() {
                    end += ch.len_utf8();
                } else {
                    break;
                }
            }
            while it.peek().is_some_and(|&(nb, _)| nb < end) {
                it.next();
            }
            out.push(Tok { start: b, end, kind: Kind::Num, digits_end, lower: text[b..end].to_lowercase() });
        } else if c.is_alphanumeric() {
            let mut end = b + c.len_utf8();
            let mut dotted = false;
            while let Some(ch) = next_char(end) {
                if ch.is_alphanumeric() {
                    end += ch.len_utf8();
                    continue;
                }
                let rest = &text[end + ch.len_utf8()..];
                let follow = rest.chars().next();
                if matches!(ch, '\'' | '\u{2019}') && follow.is_some_and(|f| f.is_alphabetic()) {
                    // a possessive "'s" becomes its own token; "o'clock", "don't" stay whole
                    let possessive = (rest.starts_with('s') || rest.starts_with('S'))
                        && !rest[1..].chars().next().is_some_and(|f| f.is_alphanumeric());
                    if possessive {
                        break;
                    }
                    end += ch.len_utf8();
                    continue;
                }
                if ch == '.' {
                    // dotted abbreviations such as "a.m." and "U.S."
                    let word = &text[b..end];
                    let last_part = word.rsplit('.').next().unwrap_or(word);
                    if last_part.chars().count() == 1 && follow.is_some_and(|f| f.is_alphabetic()) {
                        let after = &rest[follow.map_or(0, |f| f.len_utf8())..];
                        if after.starts_with('.') {
                            end += 1;
                            dotted = true;
                            continue;
                        }
                    }
                    if dotted && last_part.chars().count() == 1 {
                        end += 1;
                    }
                }
                break;
            }
            while it.peek().is_some_and(|&(nb, _)| nb < end) {
                it.next();
            }
            out.push(Tok { start: b, end, kind: Kind::Word, digits_end: end, lower: text[b..end].to_lowercase() });
        } else if matches!(c, '\'' | '\u{2019}')
            && text[b + c.len_utf8()..].starts_with(['s', 'S'])
            && !text[b + c.len_utf8() + 1..].chars().next().is_some_and(|f| f.is_alphanumeric())
            && out.last().is_some_and(|t: &Tok| t.end == b && !t.is_punct())
        {
            let end = b + c.len_utf8() + 1;
            it.next();
            out.push(Tok { start: b, end, kind: Kind::Word, digits_end: end, lower: "'s".to_string() });
        } else {
            let end = b + c.len_utf8();
            out.push(Tok { start: b, end, kind: Kind::Punct, digits_end: end, lower: c.to_string() });
        }
    }
    out
}

/// Is this token a hyphen or a dash (the joiners of ranges and compounds)?
pub(crate) fn is_dash(t: &Tok) -> bool {
    t.is_punct() && crate::text::is_dash(t.lower.chars().next().unwrap_or(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        lex(s).iter().map(|t| s[t.start..t.end].to_string()).collect()
    }

    #[test]
    fn numbers_keep_separators_and_suffixes() {
        assert_eq!(texts("2,000 people, 6.6.2024 and 5bn."), ["2,000", "people", ",", "6.6.2024", "and", "5bn", "."]);
        let t = lex("the 1990s");
        assert_eq!(t[1].suffix(), "s");
        assert_eq!(t[1].digits("the 1990s"), "1990");
    }

    #[test]
    fn hyphens_are_tokens() {
        assert_eq!(texts("four- or five-day"), ["four", "-", "or", "five", "-", "day"]);
        assert_eq!(texts("Covid-19 mid-2023"), ["Covid", "-", "19", "mid", "-", "2023"]);
    }

    #[test]
    fn possessives_and_abbreviations() {
        assert_eq!(texts("Russia's war"), ["Russia", "'s", "war"]);
        assert_eq!(texts("at 10 a.m. in the U.S. today"), ["at", "10", "a.m.", "in", "the", "U.S.", "today"]);
        assert_eq!(texts("don't o'clock"), ["don't", "o'clock"]);
        assert_eq!(texts("$750, €2"), ["$", "750", ",", "€", "2"]);
    }
}

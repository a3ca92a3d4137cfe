//! Numbers as news writes them: digits with thousands separators ("2,000", translated text's
//! "2.400" and "2,5"), and number words ("twenty-five", "two and a half", "half a million").

use super::vocab::vocab;
use crate::dates::lex::{is_dash, Tok};

/// A decimal read exactly: `mantissa` × 10^-`decimals`. Kept apart from `f64` until the scale
/// is known, so that "2.4 million" comes out as exactly 2400000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dec {
    pub mantissa: u64,
    pub decimals: u32,
}

impl Dec {
    /// The value times 10^`pow`, rounded once.
    pub fn scaled(self, pow: i32) -> f64 {
        let e = pow - self.decimals as i32;
        let m = self.mantissa as f64;
        if e >= 0 {
            m * 10f64.powi(e)
        } else {
            m / 10f64.powi(-e)
        }
    }
}

/// Reads digits with separators. `decimal_dot` says a single dot before three digits is a
/// decimal point ("1.500 million", "2.252%") rather than translated text's thousands separator
/// ("1.500 people").
pub(crate) fn parse_digits(s: &str, decimal_dot: bool) -> Option<Dec> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.') {
        return None;
    }
    let last_comma = s.rfind(',');
    let last_dot = s.rfind('.');
    let (thousands, decimal) = match (last_comma, last_dot) {
        (None, None) => (None, None),
        (Some(c), Some(d)) if d > c => (Some(','), Some('.')),
        (Some(_), Some(_)) => (Some('.'), Some(',')),
        (Some(_), None) => {
            let groups: Vec<&str> = s.split(',').collect();
            if grouped(&groups) {
                (Some(','), None)
            } else if groups.len() == 2 && (1..=2).contains(&groups[1].len()) {
                (None, Some(','))
            } else {
                return None;
            }
        }
        (None, Some(_)) => {
            let groups: Vec<&str> = s.split('.').collect();
            if groups.len() > 2 {
                if !grouped(&groups) {
                    return None;
                }
                (Some('.'), None)
            } else if grouped(&groups) && groups[0] != "0" && !decimal_dot {
                (Some('.'), None)
            } else {
                (None, Some('.'))
            }
        }
    };
    let (int_part, frac) = match decimal {
        Some(d) => {
            let i = s.rfind(d)?;
            (&s[..i], &s[i + 1..])
        }
        None => (s, ""),
    };
    if frac.contains([',', '.']) {
        return None;
    }
    let int_digits: String = match thousands {
        Some(t) => {
            let groups: Vec<&str> = int_part.split(t).collect();
            if !grouped(&groups) {
                return None;
            }
            groups.concat()
        }
        None => int_part.to_string(),
    };
    if int_digits.contains([',', '.']) || int_digits.len() + frac.len() > 18 {
        return None;
    }
    let mantissa: u64 = format!("{int_digits}{frac}").parse().ok()?;
    Some(Dec { mantissa, decimals: frac.len() as u32 })
}

/// Thousands groups: one to three digits, then groups of exactly three.
fn grouped(groups: &[&str]) -> bool {
    groups.len() >= 2
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| !g.is_empty())
}

/// A number written in words starting at token `i`: its value (before any "million" that
/// follows as a scale of its own is applied) and the index after it. Accepts "seventeen",
/// "twenty-five", "three hundred and ten", "two thousand", "a dozen", "a hundred", "two and a
/// half", "half a million". Vague plurals ("hundreds", "dozens") are not numbers.
pub(crate) fn parse_words(toks: &[Tok], i: usize) -> Option<(f64, usize)> {
    let v = vocab();
    let word = |k: usize| toks.get(k).filter(|t| t.is_word()).map(|t| t.lower.as_str());
    let glued = |a: usize, b: usize| toks.get(a).zip(toks.get(b)).is_some_and(|(x, y)| x.end == y.start);
    let first = word(i)?;
    if first == "half" && matches!(word(i + 1), Some("a" | "an")) {
        let pow = *v.scales.get(word(i + 2)?)?;
        if pow < 3 {
            return None;
        }
        return Some((0.5 * 10f64.powi(pow), i + 3));
    }
    let mut total = 0.0;
    let mut current: f64 = 0.0;
    let mut k = i;
    let mut any = false;
    if matches!(first, "a" | "an") {
        match word(i + 1) {
            Some(w) if w == "dozen" || v.scales.contains_key(w) => {
                current = 1.0;
                k = i + 1;
            }
            _ => return None,
        }
    }
    // the last thing read, to refuse "five six" and "twenty thirty"
    let mut last_small = false;
    loop {
        // "five-and-a-half": the words joined by hyphens
        let hyphens = [k, k + 2, k + 4]
            .iter()
            .all(|&d| toks.get(d).is_some_and(is_dash) && glued(d, d + 1) && d > 0 && glued(d - 1, d));
        if current > 0.0 && hyphens && [word(k + 1), word(k + 3), word(k + 5)] == [Some("and"), Some("a"), Some("half")]
        {
            current += 0.5;
            k += 6;
            last_small = true;
            continue;
        }
        let Some(w) = word(k) else { break };
        if let Some(&n) = v.numbers.get(w) {
            if last_small {
                break;
            }
            current += n as f64;
            k += 1;
            any = true;
            last_small = true;
            // "twenty-five", "twenty five"
            if n >= 20 && n % 10 == 0 {
                let (next, gap) = if toks.get(k).is_some_and(is_dash) && glued(k - 1, k) && glued(k, k + 1) {
                    (word(k + 1), 2)
                } else {
                    (word(k), 1)
                };
                if let Some(&u) = next.and_then(|w| v.numbers.get(w)) {
                    if (1..10).contains(&u) {
                        current += u as f64;
                        k += gap;
                    }
                }
            }
            continue;
        }
        if w == "dozen" {
            if current == 0.0 {
                break;
            }
            current *= 12.0;
            k += 1;
            any = true;
            last_small = false;
            continue;
        }
        if let Some(&pow) = v.scales.get(w) {
            if current == 0.0 {
                break;
            }
            if pow == 2 {
                current *= 100.0;
            } else {
                total += current * 10f64.powi(pow);
                current = 0.0;
            }
            k += 1;
            any = true;
            last_small = false;
            continue;
        }
        if w == "and" {
            // "two and a half", "three hundred and ten"
            if word(k + 1).is_some_and(|a| a == "a" || a == "an") && word(k + 2) == Some("half") && current > 0.0 {
                current += 0.5;
                k += 3;
                last_small = true;
                continue;
            }
            if !last_small
                && word(k + 1).is_some_and(|n| v.numbers.contains_key(n))
                && (total > 0.0 || current >= 100.0)
            {
                k += 1;
                continue;
            }
        }
        break;
    }
    if !any {
        return None;
    }
    Some((total + current, k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::lex::lex;

    fn dec(s: &str) -> Option<f64> {
        parse_digits(s, false).map(|d| d.scaled(0))
    }

    fn words(s: &str) -> Option<(f64, usize)> {
        parse_words(&lex(s), 0)
    }

    #[test]
    fn digits() {
        assert_eq!(dec("750"), Some(750.0));
        assert_eq!(dec("2,000"), Some(2000.0));
        assert_eq!(dec("12,500,000"), Some(12_500_000.0));
        assert_eq!(dec("2.5"), Some(2.5));
        assert_eq!(dec("0.125"), Some(0.125));
        assert_eq!(dec("2,5"), Some(2.5));
        assert_eq!(dec("2.400"), Some(2400.0));
        assert_eq!(dec("1.000.000"), Some(1_000_000.0));
        assert_eq!(dec("1.234,56"), Some(1234.56));
        assert_eq!(dec("1,234.56"), Some(1234.56));
        assert_eq!(dec("1,23,4"), None);
        assert_eq!(parse_digits("1.500", true).map(|d| d.scaled(6)), Some(1_500_000.0));
    }

    #[test]
    fn exact_scaling() {
        assert_eq!(parse_digits("2.4", true).unwrap().scaled(6), 2_400_000.0);
        assert_eq!(parse_digits("1.5", true).unwrap().scaled(9), 1.5e9);
        assert_eq!(parse_digits("0.3", true).unwrap().scaled(0), 0.3);
    }

    #[test]
    fn number_words() {
        assert_eq!(words("seventeen days"), Some((17.0, 1)));
        assert_eq!(words("twenty-five years"), Some((25.0, 3)));
        assert_eq!(words("twenty five years"), Some((25.0, 2)));
        assert_eq!(words("three hundred and ten"), Some((310.0, 4)));
        assert_eq!(words("two thousand five hundred"), Some((2500.0, 4)));
        assert_eq!(words("two and a half years"), Some((2.5, 4)));
        assert_eq!(words("five-and-a-half years"), Some((5.5, 7)));
        assert_eq!(words("half a million"), Some((500_000.0, 3)));
        assert_eq!(words("a dozen eggs"), Some((12.0, 2)));
        assert_eq!(words("two dozen eggs"), Some((24.0, 2)));
        assert_eq!(words("a hundred people"), Some((100.0, 2)));
        assert_eq!(words("two million"), Some((2_000_000.0, 2)));
        assert_eq!(words("hundreds of people"), None);
        assert_eq!(words("a few dozen"), None);
        assert_eq!(words("dozen"), None);
        assert_eq!(words("five six"), Some((5.0, 1)));
        assert_eq!(words("one and the other"), Some((1.0, 1)));
    }
}

//! Publication dates as inputs give them — ISO timestamps, RFC 2822 (RSS), "June 18, 2024",
//! "18. juni 2024", Unix time — reduced to the ISO 8601 prefix `YYYY-MM-DD` that newsgraph
//! compares and sorts. The calendar date is the one written: a time zone never moves it.

use regex::Regex;
use std::sync::OnceLock;

/// The ISO date (`YYYY-MM-DD`, or `YYYY-MM` when only a month is given) that `s` names, if any.
pub(crate) fn normalise_date(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return digits_only(s);
    }
    static ISO: OnceLock<Regex> = OnceLock::new();
    static DMY: OnceLock<Regex> = OnceLock::new();
    let iso = ISO.get_or_init(|| Regex::new(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:$|[^\d])").unwrap());
    if let Some(c) = iso.captures(s) {
        let y: i32 = c[1].parse().ok()?;
        let m: u32 = c[2].parse().ok()?;
        return match c.get(3) {
            Some(d) => ymd(y, m, d.as_str().parse().ok()?),
            None if (1..=12).contains(&m) && plausible_year(y) => Some(format!("{y:04}-{m:02}")),
            None => None,
        };
    }
    let dmy = DMY.get_or_init(|| Regex::new(r"^(\d{1,2})([./])(\d{1,2})[./](\d{4})(?:$|[^\d])").unwrap());
    if let Some(c) = dmy.captures(s) {
        let a: u32 = c[1].parse().ok()?;
        let b: u32 = c[3].parse().ok()?;
        let y: i32 = c[4].parse().ok()?;
        // Dots are day-first everywhere they are used; with slashes only an impossible month tells.
        return if &c[2] == "." || a > 12 {
            ymd(y, b, a)
        } else if b > 12 {
            ymd(y, a, b)
        } else {
            None
        };
    }
    with_month_name(s)
}

fn digits_only(s: &str) -> Option<String> {
    match s.len() {
        8 => ymd(s[..4].parse().ok()?, s[4..6].parse().ok()?, s[6..].parse().ok()?),
        // Unix time in seconds or milliseconds.
        9 | 10 => from_unix_days(s.parse::<i64>().ok()?.div_euclid(86_400)),
        12 | 13 => from_unix_days(s.parse::<i64>().ok()?.div_euclid(86_400_000)),
        _ => None,
    }
}

/// The date of a Unix timestamp in seconds, when it falls in a plausible range.
pub(crate) fn from_unix_seconds(secs: i64) -> Option<String> {
    from_unix_days(secs.div_euclid(86_400))
}

fn from_unix_days(days: i64) -> Option<String> {
    // Civil-from-days (H. Hinnant), proleptic Gregorian.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    ymd(y, m, d)
}

fn plausible_year(y: i32) -> bool {
    (1800..=2200).contains(&y)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<String> {
    if !plausible_year(y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Month names in the languages newsgraph's users read, full and abbreviated.
fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    let m = match w.as_str() {
        "jan" | "january" | "januar" | "janvier" | "enero" | "januari" | "janeiro" | "gennaio" => 1,
        "feb" | "february" | "februar" | "février" | "fevrier" | "febrero" | "februari" | "fevereiro" | "febbraio" => {
            2
        }
        "mar" | "march" | "mars" | "märz" | "marz" | "marzo" | "maart" | "março" | "marco" => 3,
        "apr" | "april" | "avril" | "abril" | "aprile" => 4,
        "may" | "mai" | "mayo" | "maj" | "mei" | "maio" | "maggio" => 5,
        "jun" | "june" | "juni" | "juin" | "junio" | "junho" | "giugno" => 6,
        "jul" | "july" | "juli" | "juillet" | "julio" | "julho" | "luglio" => 7,
        "aug" | "august" | "août" | "aout" | "agosto" | "augusti" | "augustus" => 8,
        "sep" | "sept" | "september" | "septembre" | "septiembre" | "setembro" | "settembre" => 9,
        "oct" | "okt" | "october" | "oktober" | "octobre" | "octubre" | "outubro" | "ottobre" => 10,
        "nov" | "november" | "novembre" | "noviembre" | "novembro" => 11,
        "dec" | "des" | "dez" | "december" | "desember" | "dezember" | "décembre" | "decembre" | "diciembre"
        | "dezembro" | "dicembre" => 12,
        _ => return None,
    };
    Some(m)
}

/// "Tue, 18 Jun 2024 10:00:00 GMT", "June 18, 2024", "18. juni 2024", "18th June 2024".
fn with_month_name(s: &str) -> Option<String> {
    let mut month = None;
    let mut year = None;
    let mut day = None;
    // Split at anything but letters and digits; keep ':' so times ("10:00") stay one token and
    // are not taken for a day.
    for tok in s.split(|c: char| !(c.is_alphanumeric() || c == ':')) {
        if tok.is_empty() || tok.contains(':') {
            continue;
        }
        if let Some(m) = month_number(tok) {
            month.get_or_insert(m);
            continue;
        }
        let digits = tok.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &tok[digits.len()..];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if !matches!(suffix.to_ascii_lowercase().as_str(), "" | "st" | "nd" | "rd" | "th") {
            continue;
        }
        match digits.len() {
            4 if year.is_none() => year = digits.parse::<i32>().ok(),
            1 | 2 if day.is_none() => day = digits.parse::<u32>().ok(),
            _ => {}
        }
    }
    ymd(year?, month?, day?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Option<String> {
        normalise_date(s)
    }

    #[test]
    fn common_forms() {
        for s in [
            "2024-06-18T10:00:00Z",
            "2024-06-18",
            "2024-06-18 10:00:00",
            "2024-06-18T23:30:00-05:00",
            "2024/6/18",
            "20240618",
            "Tue, 18 Jun 2024 10:00:00 GMT",
            "June 18, 2024",
            "18 June 2024",
            "Jun 18 2024 10:00",
            "18th June 2024",
            "18. juni 2024",
            "18.06.2024",
            "18/06/2024",
            "06/18/2024",
            "1718704800",
            "1718704800000",
            "Published: Tuesday June 18, 2024, 10:00 a.m.",
        ] {
            assert_eq!(n(s).as_deref(), Some("2024-06-18"), "{s}");
        }
    }

    #[test]
    fn partial_and_bad() {
        assert_eq!(n("2024-06").as_deref(), Some("2024-06"));
        assert_eq!(n("2024-02-30"), None);
        assert_eq!(n("2024-13-01"), None);
        assert_eq!(n("05/06/2024"), None, "ambiguous day and month");
        assert_eq!(n("yesterday"), None);
        assert_eq!(n(""), None);
        assert_eq!(n("June 2024 10:00"), None);
        assert_eq!(n("2024-02-29").as_deref(), Some("2024-02-29"));
    }

    #[test]
    fn unix_days() {
        assert_eq!(from_unix_seconds(0).as_deref(), Some("1970-01-01"));
        assert_eq!(from_unix_seconds(951_782_400).as_deref(), Some("2000-02-29"));
        assert_eq!(from_unix_seconds(-86_400).as_deref(), Some("1969-12-31"));
    }
}

//! Publication dates as numbers, for ordering articles and measuring days apart.

/// Seconds since 1970-01-01 UTC of an ISO 8601 prefix ("2014", "2014-01", "2014-01-31",
/// "2014-01-31T10:21", "2014-01-31T10:21:05+02:00", "…Z"); missing parts count as their
/// start. None when the string does not start with a plausible year.
pub fn parse_published(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let year = num(0, 4)?;
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    let month = if sep(4, b'-') { num(5, 2) } else { None };
    let day = if month.is_some() && sep(7, b'-') { num(8, 2) } else { None };
    let (month, day) = (month.unwrap_or(1), day.unwrap_or(1));
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) * 86_400;
    if b.len() > 10 && (b[10] == b'T' || b[10] == b' ') {
        let (h, m) = (num(11, 2), if sep(13, b':') { num(14, 2) } else { None });
        if let (Some(h), Some(m)) = (h, m) {
            secs += h * 3600 + m * 60;
            let mut rest = 16;
            if sep(16, b':') {
                secs += num(17, 2).unwrap_or(0);
                rest = 19;
                // Fractions of a second change nothing here.
                while b.get(rest).is_some_and(|c| *c == b'.' || c.is_ascii_digit()) {
                    rest += 1;
                }
            }
            if let Some(&sign) = b.get(rest) {
                if sign == b'+' || sign == b'-' {
                    let oh = num(rest + 1, 2).unwrap_or(0);
                    let om = if sep(rest + 3, b':') { num(rest + 4, 2) } else { num(rest + 3, 2) };
                    let off = oh * 3600 + om.unwrap_or(0) * 60;
                    secs += if sign == b'+' { -off } else { off };
                }
            }
        }
    }
    Some(secs)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prefixes() {
        assert_eq!(parse_published("1970-01-01"), Some(0));
        assert_eq!(parse_published("1970-01-02T00:00:01Z"), Some(86_401));
        assert_eq!(parse_published("2014-01-31"), Some(16_101 * 86_400));
        assert_eq!(parse_published("2014"), parse_published("2014-01-01"));
        assert_eq!(parse_published("2014-02"), parse_published("2014-02-01"));
        assert_eq!(parse_published("2014-01-31T12:00:00+02:00"), parse_published("2014-01-31T10:00Z"));
        assert_eq!(parse_published("yesterday"), None);
        assert_eq!(parse_published("2014-13-01"), None);
    }
}

//! Proleptic Gregorian day arithmetic, enough to step days and weeks from a reference date.

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y as i64 - 1 } else { y as i64 };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date of a day number from [`days_from_civil`].
pub(crate) fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// Monday = 0 … Sunday = 6.
pub(crate) fn weekday(days: i64) -> u32 {
    // 1970-01-01 was a Thursday
    (days + 3).rem_euclid(7) as u32
}

pub(crate) fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

pub(crate) fn valid(y: i32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

pub(crate) fn ymd(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

pub(crate) fn ym(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

/// The ISO prefix that every day from `a` to `b` (day numbers) shares: the month when both lie
/// in one month, the year when in one year, else nothing.
pub(crate) fn common_prefix(a: i64, b: i64) -> Option<String> {
    let (ya, ma, da) = civil_from_days(a);
    let (yb, mb, _) = civil_from_days(b);
    if a == b {
        Some(ymd(ya, ma, da))
    } else if ya == yb && ma == mb {
        Some(ym(ya, ma))
    } else if ya == yb {
        Some(format!("{ya:04}"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_weekday() {
        for &(y, m, d) in &[(1970, 1, 1), (2000, 2, 29), (2024, 6, 6), (2025, 3, 6), (1999, 12, 31)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        assert_eq!(weekday(days_from_civil(2025, 3, 6)), 3); // a Thursday
        assert_eq!(weekday(days_from_civil(2024, 6, 18)), 1); // a Tuesday
    }

    #[test]
    fn month_lengths() {
        assert!(valid(2024, 2, 29));
        assert!(!valid(2023, 2, 29));
        assert!(!valid(2024, 4, 31));
        assert!(!valid(2024, 13, 1));
    }

    #[test]
    fn prefixes() {
        let a = days_from_civil(2024, 6, 3);
        assert_eq!(common_prefix(a, a + 6).as_deref(), Some("2024-06"));
        assert_eq!(common_prefix(a - 7, a - 1).as_deref(), Some("2024"));
        assert_eq!(common_prefix(a, a).as_deref(), Some("2024-06-03"));
    }
}

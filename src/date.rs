//! Calendar dates as day numbers, so date arithmetic is integer arithmetic.

use std::fmt;

/// A proleptic Gregorian date, stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year: i32 = text.get(0..4)?.parse().ok()?;
        let month: u32 = text.get(5..7)?.parse().ok()?;
        let day: u32 = text.get(8..10)?.parse().ok()?;
        Date::from_ymd(year, month, day)
    }

    /// The date of a year, month and day; `None` when the day does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Days from `self` to the nearest anniversary of `reference` (0 on the day itself).
    /// A 29 February reference falls on 28 February in common years.
    pub fn anniversary_gap(self, reference: Date) -> i32 {
        let (year, _, _) = self.ymd();
        let (_, month, day) = reference.ymd();
        (year - 1..=year + 1)
            .filter_map(|y| Date::from_ymd(y, month, day.min(days_in_month(y, month))))
            .map(|anniversary| (anniversary.0 - self.0).abs())
            .min()
            .unwrap_or(i32::MAX)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_bad_days() {
        let d = Date::parse("2013-03-21").unwrap();
        assert_eq!(d.to_string(), "2013-03-21");
        assert_eq!(Date::parse("1970-01-01"), Some(Date(0)));
        assert!(Date::parse("2013-02-29").is_none());
        assert!(Date::parse("2012-02-29").is_some());
        assert!(Date::parse("2013-13-01").is_none());
        assert!(Date::parse("21 March 2013").is_none());
    }

    #[test]
    fn anniversary_gap_counts_days_to_nearest_anniversary() {
        let war = Date::parse("1950-06-25").unwrap();
        assert_eq!(Date::parse("2013-06-25").unwrap().anniversary_gap(war), 0);
        assert_eq!(Date::parse("2013-06-28").unwrap().anniversary_gap(war), 3);
        assert_eq!(Date::parse("2013-01-01").unwrap().anniversary_gap(war), 175);
        let new_year = Date::parse("2000-01-01").unwrap();
        assert_eq!(Date::parse("2013-12-30").unwrap().anniversary_gap(new_year), 2);
    }
}

//! Dates and times as the console shows them, in UTC. Written out by hand rather than
//! with chrono's `format`, whose pattern interpreter would ship in the browser's WASM
//! (docs/benchmarks.md, "Build settings and their measured effect").
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] =
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

fn month(d: NaiveDate) -> &'static str {
    MONTHS[d.month0() as usize]
}

fn weekday(d: NaiveDate) -> &'static str {
    WEEKDAYS[d.weekday().num_days_from_monday() as usize]
}

/// `2026-12-07`
pub fn date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `2026-12-07 09:05`
pub fn minute(t: DateTime<Utc>) -> String {
    format!("{} {}", date(t.date_naive()), clock(t))
}

/// `2026-12-07 09:05 UTC`
pub fn minute_utc(t: DateTime<Utc>) -> String {
    format!("{} UTC", minute(t))
}

/// `2026-12-07 09:05:30 UTC`
pub fn second_utc(t: DateTime<Utc>) -> String {
    format!("{} {} UTC", date(t.date_naive()), clock_seconds(t))
}

/// `09:05`
pub fn clock(t: DateTime<Utc>) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// `09:05:30`
pub fn clock_seconds(t: DateTime<Utc>) -> String {
    format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
}

/// `2026-12-07T09:05`, the value of a `datetime-local` input.
pub fn input_value(t: DateTime<Utc>) -> String {
    format!("{}T{}", date(t.date_naive()), clock(t))
}

/// `Monday 7 December 2026`
pub fn day_long(d: NaiveDate) -> String {
    format!("{} {}", weekday(d), written(d))
}

/// `7 December 2026`
pub fn written(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month(d), d.year())
}

/// `Mon 7 Dec`
pub fn day_short(d: NaiveDate) -> String {
    format!("{} {}", &weekday(d)[..3], day_month(d))
}

/// `7 Dec`
pub fn day_month(d: NaiveDate) -> String {
    format!("{} {}", d.day(), &month(d)[..3])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each form against chrono's own formatting of the same instant.
    #[test]
    fn agrees_with_chrono() {
        for (y, mo, d, h, mi, s) in
            [(2026, 12, 7, 9, 5, 30), (1999, 1, 31, 23, 59, 59), (2024, 2, 29, 0, 0, 0)]
        {
            let t =
                NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, s).unwrap().and_utc();
            let day = t.date_naive();
            assert_eq!(date(day), t.format("%Y-%m-%d").to_string());
            assert_eq!(minute(t), t.format("%Y-%m-%d %H:%M").to_string());
            assert_eq!(minute_utc(t), t.format("%Y-%m-%d %H:%M UTC").to_string());
            assert_eq!(second_utc(t), t.format("%Y-%m-%d %H:%M:%S UTC").to_string());
            assert_eq!(clock(t), t.format("%H:%M").to_string());
            assert_eq!(clock_seconds(t), t.format("%H:%M:%S").to_string());
            assert_eq!(input_value(t), t.format("%Y-%m-%dT%H:%M").to_string());
            assert_eq!(day_long(day), day.format("%A %-d %B %Y").to_string());
            assert_eq!(written(day), day.format("%-d %B %Y").to_string());
            assert_eq!(day_short(day), day.format("%a %-d %b").to_string());
            assert_eq!(day_month(day), day.format("%-d %b").to_string());
        }
    }
}

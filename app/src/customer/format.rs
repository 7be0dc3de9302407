use chrono::NaiveDate;

/// Integer cents as money text: `USD 1,234.50`.
pub fn money(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{currency} {sign}{grouped}.{:02}", cents % 100)
}

/// Days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(123_456_789, "USD"), "USD 1,234,567.89");
        assert_eq!(money(5, "EUR"), "EUR 0.05");
        assert_eq!(money(-100_000, "GBP"), "GBP -1,000.00");
    }
}

//! The arithmetic of a line, in integer minor units. Prices include tax. A line's total is
//! `quantity × unit price × (1 − discount)`, rounded once to the minor unit, half away from
//! zero; its taxable base is `total ÷ (1 + rate)`, rounded the same way; its tax is what is
//! left (`total − base`), so base + tax = total on every line and an invoice's total is the
//! sum of its lines — for an automatic invoice, exactly the amount charged. The tax summary
//! per rate adds up the lines' bases and taxes (rounding per line, never again per rate).

/// Quantities are in thousandths (`1.5` → 1500); rates and discounts in basis points
/// (21 % → 2100).
pub const MILLI: i128 = 1000;
pub const BP: i128 = 10_000;

/// `n / d` rounded to the nearest integer, halves away from zero (`d > 0`).
pub fn div_round(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d {
        q + n.signum()
    } else {
        q
    }
}

/// A line's (base, tax, total), or `None` when it overflows.
pub fn line(quantity_milli: i64, unit_price: i64, discount_bp: i64, rate_bp: i64) -> Option<(i64, i64, i64)> {
    let gross = (quantity_milli as i128).checked_mul(unit_price as i128)?.checked_mul(BP - discount_bp as i128)?;
    let total = div_round(gross, MILLI * BP);
    let base = div_round(total.checked_mul(BP)?, BP + rate_bp as i128);
    let total = i64::try_from(total).ok()?;
    let base = i64::try_from(base).ok()?;
    Some((base, total - base, total))
}

/// A quantity typed as a decimal (`2`, `1.5`, `0,25`, `-1`) in thousandths.
pub fn parse_quantity(s: &str) -> Option<i64> {
    let s = s.trim().replace(',', ".");
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, s),
    };
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if int.is_empty() && frac.is_empty()
        || frac.len() > 3
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let int: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac: i64 = format!("{frac:0<3}").parse().ok()?;
    let v = int.checked_mul(1000)?.checked_add(frac)?;
    Some(if neg { -v } else { v })
}

/// A quantity in thousandths as people write it (`1.5`, `2`).
pub fn quantity_text(q: i64) -> String {
    let sign = if q < 0 { "-" } else { "" };
    let (i, f) = (q.abs() / 1000, q.abs() % 1000);
    if f == 0 {
        format!("{sign}{i}")
    } else {
        format!("{sign}{i}.{}", format!("{f:03}").trim_end_matches('0'))
    }
}

/// A percentage typed as a decimal (`21`, `10.5`, `4`) in basis points.
pub fn parse_percent(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if int.is_empty() || frac.len() > 2 || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let v = int.parse::<i64>().ok()?.checked_mul(100)?.checked_add(format!("{frac:0<2}").parse::<i64>().ok()?)?;
    (v <= 10_000).then_some(v)
}

/// Basis points as a percentage (`2100` → `21`, `1050` → `10.5`).
pub fn percent_text(bp: i64) -> String {
    let (i, f) = (bp / 100, bp % 100);
    if f == 0 {
        format!("{i}")
    } else {
        format!("{i}.{}", format!("{f:02}").trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(div_round(15, 10), 2);
        assert_eq!(div_round(-15, 10), -2);
    }

    #[test]
    fn a_line_splits_its_tax_included_total_into_base_and_tax() {
        // 25.00 at 21 %: base 20.66, tax 4.34.
        assert_eq!(line(1000, 2500, 0, 2100), Some((2066, 434, 2500)));
        // 3 × 12.10 with 10 % off at 21 %: 32.67 → base 27.00, tax 5.67.
        assert_eq!(line(3000, 1210, 1000, 2100), Some((2700, 567, 3267)));
        // Half an hour at 45.00 an hour, 0 %: 22.50.
        assert_eq!(line(500, 4500, 0, 0), Some((2250, 0, 2250)));
        // A credit line is the same line negated.
        assert_eq!(line(-1000, 2500, 0, 2100), Some((-2066, -434, -2500)));
        assert_eq!(line(i64::MAX, i64::MAX, 0, 2100), None);
    }

    #[test]
    fn quantities_and_percentages_parse_as_people_type_them() {
        assert_eq!(parse_quantity("1.5"), Some(1500));
        assert_eq!(parse_quantity("0,25"), Some(250));
        assert_eq!(parse_quantity("-2"), Some(-2000));
        assert_eq!(parse_quantity("1.2345"), None);
        assert_eq!(parse_quantity("abc"), None);
        assert_eq!(parse_quantity(""), None);
        assert_eq!(quantity_text(1500), "1.5");
        assert_eq!(quantity_text(-2000), "-2");
        assert_eq!(parse_percent("21"), Some(2100));
        assert_eq!(parse_percent("10,5 %"), Some(1050));
        assert_eq!(parse_percent("101"), None);
        assert_eq!(percent_text(1050), "10.5");
        assert_eq!(percent_text(2100), "21");
    }
}

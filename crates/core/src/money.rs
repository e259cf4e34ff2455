//! Money: an integer amount of a currency's minor units (cents, yen) with its ISO 4217 code.
//! No floats anywhere; arithmetic is checked and refuses to mix currencies.

use std::fmt;

/// An ISO 4217 currency the product knows, with its exponent (digits after the decimal point).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    exponent: u8,
    name: &'static str,
}

/// The currencies offered in the business profile: those of the markets Frontdesk serves
/// first, with their ISO 4217 exponents.
const CURRENCIES: &[Currency] = &[
    Currency { code: "EUR", exponent: 2, name: "Euro" },
    Currency { code: "USD", exponent: 2, name: "US dollar" },
    Currency { code: "GBP", exponent: 2, name: "Pound sterling" },
    Currency { code: "CHF", exponent: 2, name: "Swiss franc" },
    Currency { code: "SEK", exponent: 2, name: "Swedish krona" },
    Currency { code: "NOK", exponent: 2, name: "Norwegian krone" },
    Currency { code: "DKK", exponent: 2, name: "Danish krone" },
    Currency { code: "PLN", exponent: 2, name: "Polish złoty" },
    Currency { code: "CZK", exponent: 2, name: "Czech koruna" },
    Currency { code: "HUF", exponent: 2, name: "Hungarian forint" },
    Currency { code: "RON", exponent: 2, name: "Romanian leu" },
    Currency { code: "TRY", exponent: 2, name: "Turkish lira" },
    Currency { code: "MXN", exponent: 2, name: "Mexican peso" },
    Currency { code: "ARS", exponent: 2, name: "Argentine peso" },
    Currency { code: "BRL", exponent: 2, name: "Brazilian real" },
    Currency { code: "CLP", exponent: 0, name: "Chilean peso" },
    Currency { code: "COP", exponent: 2, name: "Colombian peso" },
    Currency { code: "PEN", exponent: 2, name: "Peruvian sol" },
    Currency { code: "UYU", exponent: 2, name: "Uruguayan peso" },
    Currency { code: "CAD", exponent: 2, name: "Canadian dollar" },
    Currency { code: "AUD", exponent: 2, name: "Australian dollar" },
    Currency { code: "NZD", exponent: 2, name: "New Zealand dollar" },
    Currency { code: "JPY", exponent: 0, name: "Japanese yen" },
    Currency { code: "KRW", exponent: 0, name: "South Korean won" },
    Currency { code: "INR", exponent: 2, name: "Indian rupee" },
    Currency { code: "AED", exponent: 2, name: "UAE dirham" },
    Currency { code: "MAD", exponent: 2, name: "Moroccan dirham" },
    Currency { code: "ZAR", exponent: 2, name: "South African rand" },
    Currency { code: "BHD", exponent: 3, name: "Bahraini dinar" },
    Currency { code: "KWD", exponent: 3, name: "Kuwaiti dinar" },
];

impl Currency {
    /// The currency of an ISO 4217 code (any case), if it is one the product offers.
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        CURRENCIES.iter().copied().find(|c| c.code.eq_ignore_ascii_case(code))
    }
    pub fn all() -> &'static [Currency] {
        CURRENCIES
    }
    pub fn code(self) -> &'static str {
        self.code
    }
    pub fn exponent(self) -> u8 {
        self.exponent
    }
    pub fn name(self) -> &'static str {
        self.name
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

/// Why a money operation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("the amounts are in different currencies")]
    CurrencyMismatch,
    #[error("the amount is too large")]
    Overflow,
    #[error("not an amount of money")]
    Invalid,
}

/// An amount in minor units of one currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }
    pub fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }
    pub fn minor(self) -> i64 {
        self.minor
    }
    pub fn currency(self) -> Currency {
        self.currency
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same(other)?;
        self.minor.checked_add(other.minor).map(|m| Money::new(m, self.currency)).ok_or(MoneyError::Overflow)
    }
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same(other)?;
        self.minor.checked_sub(other.minor).map(|m| Money::new(m, self.currency)).ok_or(MoneyError::Overflow)
    }
    /// This amount `n` times (a quantity).
    pub fn checked_mul(self, n: i64) -> Result<Money, MoneyError> {
        self.minor.checked_mul(n).map(|m| Money::new(m, self.currency)).ok_or(MoneyError::Overflow)
    }
    fn same(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch)
        }
    }

    /// Parses a decimal amount as people type it ("12", "12.5", "12,50", "-3.05") in a currency;
    /// more decimals than the currency has are refused, never rounded.
    pub fn parse(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        Ok(Money::new(scaled(text, currency.exponent as u32)?, currency))
    }

    /// The amount as a plain decimal with the currency's digits (`12.50`), no symbol.
    pub fn decimal(self) -> String {
        let e = self.currency.exponent as u32;
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if e == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10u64.pow(e);
        format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = e as usize)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.decimal(), self.currency.code)
    }
}

/// A decimal as people type it ("12", "12.5", "12,50", "-3.05") in units of 10^-`digits`;
/// more decimals than that are refused, never rounded.
fn scaled(text: &str, digits: u32) -> Result<i64, MoneyError> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (whole, frac) = match t.find(['.', ',']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t, ""),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || (!frac.is_empty() && !all_digits(frac)) || frac.len() > digits as usize {
        return Err(MoneyError::Invalid);
    }
    if t.len() > whole.len() && frac.is_empty() {
        return Err(MoneyError::Invalid);
    }
    let w: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = digits as usize).parse().map_err(|_| MoneyError::Invalid)?
    };
    let v = w.checked_mul(10i64.pow(digits)).and_then(|x| x.checked_add(f)).ok_or(MoneyError::Overflow)?;
    Ok(if negative { -v } else { v })
}

/// An amount in millionths of a currency's major unit (scale 6), for prices below a cent:
/// €0.007 a device minute is `Micros(7_000)`; per-token AI prices add up exactly. Always with a
/// currency beside it (the wallet's). Converted to [`Money`]'s minor units by one rule, half
/// away from zero ([`Micros::to_minor`]), used for every Stripe charge and invoice item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Micros(pub i64);

impl Micros {
    pub const PER_UNIT: i64 = 1_000_000;

    /// A whole amount of minor units (a top-up of 1000 cents is 10 000 000 micros).
    pub fn from_minor(minor: i64, currency: Currency) -> Option<Micros> {
        let per_minor = Self::PER_UNIT / 10i64.pow(currency.exponent as u32);
        minor.checked_mul(per_minor).map(Micros)
    }

    /// In the currency's minor units, rounded half away from zero (`0.005 €` is one cent,
    /// `0.0049 €` is none, `-0.005 €` is minus one cent).
    pub fn to_minor(self, currency: Currency) -> i64 {
        let per_minor = Self::PER_UNIT / 10i64.pow(currency.exponent as u32);
        let q = self.0 / per_minor;
        let r = self.0 % per_minor;
        if r.abs() * 2 >= per_minor {
            q + self.0.signum()
        } else {
            q
        }
    }

    /// Parses a decimal price with up to six digits after the point (`0.007`, `12`, `1,5`).
    pub fn parse(text: &str) -> Result<Micros, MoneyError> {
        scaled(text, 6).map(Micros)
    }

    pub fn checked_add(self, o: Micros) -> Option<Micros> {
        self.0.checked_add(o.0).map(Micros)
    }

    pub fn checked_mul(self, n: i64) -> Option<Micros> {
        self.0.checked_mul(n).map(Micros)
    }

    /// `0.007000` → `0.007` (trailing zeros dropped, at least two decimals).
    pub fn decimal(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let frac = format!("{:06}", abs % Self::PER_UNIT as u64);
        let frac = frac.trim_end_matches('0');
        let frac = if frac.len() < 2 { format!("{frac:0<2}") } else { frac.to_string() };
        format!("{sign}{}.{frac}", abs / Self::PER_UNIT as u64)
    }
}

#[cfg(test)]
mod micros_tests {
    use super::*;

    #[test]
    fn micros_add_up_exactly_and_round_half_away_from_zero_to_minor_units() {
        let eur = Currency::parse("EUR").unwrap();
        let minute = Micros::parse("0.007").unwrap();
        assert_eq!(minute, Micros(7_000));
        // 1 000 minutes at 0.007 € are exactly 7 €.
        assert_eq!(minute.checked_mul(1000).unwrap().to_minor(eur), 700);
        assert_eq!(Micros(5_000).to_minor(eur), 1, "0.005 € is a cent");
        assert_eq!(Micros(4_999).to_minor(eur), 0);
        assert_eq!(Micros(-5_000).to_minor(eur), -1);
        assert_eq!(Micros::from_minor(1000, eur), Some(Micros(10_000_000)));
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(Micros(1_500_000).to_minor(jpy), 2);
        assert_eq!(Micros::parse("12").unwrap().decimal(), "12.00");
        assert_eq!(Micros(7_000).decimal(), "0.007");
        assert_eq!(Micros::parse("1,5").unwrap(), Micros(1_500_000));
        for bad in ["", "1.0000001", "abc", "1.", "--1"] {
            assert!(Micros::parse(bad).is_err(), "{bad}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::parse("eur").unwrap()
    }

    #[test]
    fn amounts_parse_in_minor_units_without_rounding() {
        assert_eq!(Money::parse("12", eur()).unwrap().minor(), 1200);
        assert_eq!(Money::parse("12.5", eur()).unwrap().minor(), 1250);
        assert_eq!(Money::parse("12,05", eur()).unwrap().minor(), 1205);
        assert_eq!(Money::parse("-3.05", eur()).unwrap().minor(), -305);
        assert_eq!(Money::parse("12.345", eur()), Err(MoneyError::Invalid));
        assert_eq!(Money::parse("12.", eur()), Err(MoneyError::Invalid));
        assert_eq!(Money::parse("1e3", eur()), Err(MoneyError::Invalid));
        assert_eq!(Money::parse("", eur()), Err(MoneyError::Invalid));
        let yen = Currency::parse("JPY").unwrap();
        assert_eq!(Money::parse("1500", yen).unwrap().minor(), 1500);
        assert_eq!(Money::parse("1500.5", yen), Err(MoneyError::Invalid));
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(Money::parse("1.234", kwd).unwrap().decimal(), "1.234");
        assert_eq!(Money::parse("99999999999999999999", eur()), Err(MoneyError::Overflow));
    }

    #[test]
    fn arithmetic_is_checked_and_keeps_currencies_apart() {
        let a = Money::new(1050, eur());
        let usd = Money::new(1, Currency::parse("USD").unwrap());
        assert_eq!(a.checked_add(a).unwrap().to_string(), "21.00 EUR");
        assert_eq!(a.checked_sub(Money::new(2000, eur())).unwrap().decimal(), "-9.50");
        assert_eq!(a.checked_add(usd), Err(MoneyError::CurrencyMismatch));
        assert_eq!(Money::new(i64::MAX, eur()).checked_add(Money::new(1, eur())), Err(MoneyError::Overflow));
        assert_eq!(a.checked_mul(3).unwrap().minor(), 3150);
        assert_eq!(Money::new(7, Currency::parse("CLP").unwrap()).to_string(), "7 CLP");
    }

    #[test]
    fn only_known_codes_are_currencies() {
        assert!(Currency::parse("XYZ").is_none());
        assert_eq!(Currency::parse(" gbp ").unwrap().code(), "GBP");
        assert!(Currency::all().iter().all(|c| c.code().len() == 3 && c.exponent() <= 3));
    }
}

//! The languages Frontdesk speaks, choosing a person's, and the locale rules of each: numbers,
//! money, weekday and month names. The words themselves are Fluent catalogues in `frontdesk-i18n`.

use crate::money::Money;

/// A language Frontdesk speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// `en` / `es`, or a tag that starts with one (`es-ES`, `en_GB`), in any case.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The best language of an `Accept-Language` header (by its `q` weights, ties in order);
    /// `None` when it names none we speak.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut bits = part.split(';');
            let Some(lang) = bits.next().and_then(Lang::parse) else { continue };
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q=").and_then(|v| v.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i, lang));
            }
        }
        best.map(|(_, _, l)| l)
    }

    /// The language of a person: their own choice, else their browser's, else English.
    pub fn of_person(setting: Option<&str>, accept_language: Option<&str>) -> Lang {
        setting
            .and_then(Lang::parse)
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or_default()
    }
}

impl Lang {
    /// The language's own name, as a picker shows it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// An integer with the locale's grouping: `12,345` in English; `12.345` in Spanish, which
    /// leaves four digits ungrouped (`1234`), as CLDR says.
    pub fn number(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let (sep, min) = match self {
            Lang::En => (',', 4),
            Lang::Es => ('.', 5),
        };
        let mut out = String::new();
        if digits.len() >= min {
            for (i, ch) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    out.push(sep);
                }
                out.push(ch);
            }
        } else {
            out = digits;
        }
        if n < 0 {
            out.insert(0, '-');
        }
        out
    }

    /// An amount as the locale writes it: `€1,234.50` in English, `1234,50 €` in Spanish; the
    /// currency's own digits (none for JPY), its symbol when it has a common one, else its code.
    pub fn money(self, m: Money) -> String {
        let c = m.currency();
        let e = c.exponent() as u32;
        let abs = m.minor().unsigned_abs();
        let scale = 10u64.pow(e);
        let whole = self.number((abs / scale) as i64);
        let frac = if e == 0 {
            String::new()
        } else {
            let dec = if self == Lang::En { '.' } else { ',' };
            format!("{dec}{:0width$}", abs % scale, width = e as usize)
        };
        let sign = if m.minor() < 0 { "-" } else { "" };
        let symbol = match c.code() {
            "EUR" => Some("€"),
            "USD" => Some("$"),
            "GBP" => Some("£"),
            "JPY" => Some("¥"),
            _ => None,
        };
        match (self, symbol) {
            (Lang::En, Some(s)) => format!("{sign}{s}{whole}{frac}"),
            (Lang::En, None) => format!("{sign}{} {whole}{frac}", c.code()),
            (Lang::Es, s) => format!("{sign}{whole}{frac}\u{a0}{}", s.unwrap_or(c.code())),
        }
    }

    /// Short weekday names, Monday first.
    pub fn weekdays(self) -> [&'static str; 7] {
        match self {
            Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            Lang::Es => ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
        }
    }

    /// Full weekday names, Monday first.
    pub fn weekday_names(self) -> [&'static str; 7] {
        match self {
            Lang::En => ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
            Lang::Es => ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
        }
    }

    /// Short month names, January first.
    pub fn months(self) -> [&'static str; 12] {
        match self {
            Lang::En => ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
            Lang::Es => ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    #[test]
    fn a_persons_language_is_their_setting_then_their_browsers() {
        assert_eq!(Lang::from_accept_language("es-ES,es;q=0.9,en;q=0.8"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("fr-FR, en;q=0.5, es;q=0.7"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language("es;q=0, en"), Some(Lang::En));
        assert_eq!(Lang::of_person(Some("en"), Some("es")), Lang::En);
        assert_eq!(Lang::of_person(None, Some("es-MX")), Lang::Es);
        assert_eq!(Lang::of_person(Some("xx"), None), Lang::En);
        assert_eq!(Lang::parse("ES_es"), Some(Lang::Es));
    }

    #[test]
    fn numbers_and_money_follow_the_locale() {
        assert_eq!(Lang::En.number(1234567), "1,234,567");
        assert_eq!(Lang::Es.number(1234567), "1.234.567");
        assert_eq!(Lang::En.number(1234), "1,234");
        assert_eq!(Lang::Es.number(1234), "1234");
        assert_eq!(Lang::Es.number(-12345), "-12.345");
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(Lang::En.money(Money::new(123450, eur)), "€1,234.50");
        assert_eq!(Lang::Es.money(Money::new(123450, eur)), "1234,50\u{a0}€");
        assert_eq!(Lang::Es.money(Money::new(-5, eur)), "-0,05\u{a0}€");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(Lang::En.money(Money::new(1500, jpy)), "¥1,500");
        let mxn = Currency::parse("MXN").unwrap();
        assert_eq!(Lang::En.money(Money::new(1000, mxn)), "MXN 10.00");
        assert_eq!(Lang::Es.money(Money::new(1000, mxn)), "10,00\u{a0}MXN");
    }
}

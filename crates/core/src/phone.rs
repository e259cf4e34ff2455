//! Phone numbers: parsed once, here, to E.164 (`+34600112233`), using the workspace's country
//! for numbers written the national way. Two contacts have the same phone exactly when their
//! E.164 forms are equal.

use crate::values::Invalid;

/// Country calling codes of the countries the business profile offers (ISO 3166-1 alpha-2).
const CALLING: &[(&str, &str)] = &[
    ("AD", "376"),
    ("AE", "971"),
    ("AF", "93"),
    ("AG", "1"),
    ("AL", "355"),
    ("AM", "374"),
    ("AO", "244"),
    ("AR", "54"),
    ("AT", "43"),
    ("AU", "61"),
    ("AZ", "994"),
    ("BA", "387"),
    ("BB", "1"),
    ("BD", "880"),
    ("BE", "32"),
    ("BG", "359"),
    ("BH", "973"),
    ("BO", "591"),
    ("BR", "55"),
    ("BS", "1"),
    ("BY", "375"),
    ("BZ", "501"),
    ("CA", "1"),
    ("CH", "41"),
    ("CI", "225"),
    ("CL", "56"),
    ("CM", "237"),
    ("CN", "86"),
    ("CO", "57"),
    ("CR", "506"),
    ("CU", "53"),
    ("CV", "238"),
    ("CY", "357"),
    ("CZ", "420"),
    ("DE", "49"),
    ("DK", "45"),
    ("DO", "1"),
    ("DZ", "213"),
    ("EC", "593"),
    ("EE", "372"),
    ("EG", "20"),
    ("ES", "34"),
    ("ET", "251"),
    ("FI", "358"),
    ("FR", "33"),
    ("GB", "44"),
    ("GE", "995"),
    ("GH", "233"),
    ("GQ", "240"),
    ("GR", "30"),
    ("GT", "502"),
    ("HK", "852"),
    ("HN", "504"),
    ("HR", "385"),
    ("HU", "36"),
    ("ID", "62"),
    ("IE", "353"),
    ("IL", "972"),
    ("IN", "91"),
    ("IS", "354"),
    ("IT", "39"),
    ("JM", "1"),
    ("JO", "962"),
    ("JP", "81"),
    ("KE", "254"),
    ("KR", "82"),
    ("KW", "965"),
    ("KZ", "7"),
    ("LB", "961"),
    ("LI", "423"),
    ("LT", "370"),
    ("LU", "352"),
    ("LV", "371"),
    ("MA", "212"),
    ("MC", "377"),
    ("MD", "373"),
    ("ME", "382"),
    ("MK", "389"),
    ("MT", "356"),
    ("MU", "230"),
    ("MX", "52"),
    ("MY", "60"),
    ("NG", "234"),
    ("NI", "505"),
    ("NL", "31"),
    ("NO", "47"),
    ("NZ", "64"),
    ("OM", "968"),
    ("PA", "507"),
    ("PE", "51"),
    ("PH", "63"),
    ("PK", "92"),
    ("PL", "48"),
    ("PR", "1"),
    ("PT", "351"),
    ("PY", "595"),
    ("QA", "974"),
    ("RO", "40"),
    ("RS", "381"),
    ("SA", "966"),
    ("SE", "46"),
    ("SG", "65"),
    ("SI", "386"),
    ("SK", "421"),
    ("SM", "378"),
    ("SN", "221"),
    ("SV", "503"),
    ("TH", "66"),
    ("TN", "216"),
    ("TR", "90"),
    ("TT", "1"),
    ("TW", "886"),
    ("TZ", "255"),
    ("UA", "380"),
    ("US", "1"),
    ("UY", "598"),
    ("VE", "58"),
    ("VN", "84"),
    ("ZA", "27"),
];

/// Countries whose national numbers keep their leading 0 (no trunk prefix to drop).
const KEEPS_ZERO: &[&str] = &["IT", "SM", "CI"];

fn invalid() -> Invalid {
    Invalid::new("phone", "invalid_phone", "Use a phone number with its country code, like +34 600 11 22 33.")
}

/// The calling code of a country, if the product knows it.
pub fn calling_code(country: &str) -> Option<&'static str> {
    CALLING.iter().find(|(c, _)| c.eq_ignore_ascii_case(country)).map(|(_, code)| *code)
}

/// A phone number as E.164. `+…` and `00…` are international; anything else is national and
/// needs `country` (the workspace's): its trunk 0 (or a North American leading 1) is dropped and
/// the country's calling code put before it. Spaces, dots, dashes and brackets are ignored.
pub fn e164(input: &str, country: Option<&str>) -> Result<String, Invalid> {
    let t = input.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || " -.()+/".contains(c)) {
        return Err(invalid());
    }
    let plus = t.starts_with('+');
    if t.chars().skip(1).any(|c| c == '+') {
        return Err(invalid());
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let international = if plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else {
        let country = country.ok_or_else(|| {
            Invalid::new("phone", "phone_needs_country", "Add the country code (+…), or set your business's country.")
        })?;
        let code = calling_code(country).ok_or_else(invalid)?;
        let national = if code == "1" {
            digits.strip_prefix('1').filter(|d| d.len() == 10).unwrap_or(&digits).to_string()
        } else if KEEPS_ZERO.iter().any(|c| c.eq_ignore_ascii_case(country)) {
            digits
        } else {
            digits.trim_start_matches('0').to_string()
        };
        format!("{code}{national}")
    };
    if !(8..=15).contains(&international.len()) || international.starts_with('0') {
        return Err(invalid());
    }
    Ok(format!("+{international}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_e164_with_the_workspaces_country() {
        for (input, country, want) in [
            ("+34 600 11 22 33", None, "+34600112233"),
            ("600 11 22 33", Some("ES"), "+34600112233"),
            ("0034 600112233", Some("FR"), "+34600112233"),
            ("07700 900123", Some("GB"), "+447700900123"),
            ("0151 2345 6789", Some("DE"), "+4915123456789"),
            ("06 12 34 56 78", Some("fr"), "+33612345678"),
            ("06 1234 5678", Some("IT"), "+390612345678"),
            ("(650) 555-1234", Some("US"), "+16505551234"),
            ("1 650 555 1234", Some("US"), "+16505551234"),
            ("16505551234", Some("US"), "+16505551234"),
        ] {
            assert_eq!(e164(input, country).unwrap(), want, "{input} in {country:?}");
        }
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        assert_eq!(e164("600 11 22 33", None).unwrap_err().code, "phone_needs_country");
        for bad in ["", "abc", "+34 600+1", "+0123456789", "12", "+1234567890123456", "600-11-22 ext 3"] {
            assert_eq!(e164(bad, Some("ES")).unwrap_err().code, "invalid_phone", "{bad}");
        }
        assert!(crate::profile::COUNTRIES.iter().all(|(c, _)| calling_code(c).is_some()), "every offered country");
    }
}

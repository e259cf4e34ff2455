//! The business profile's values: the workspace's slug, time zone, country, languages and brand
//! colour, each parsed once here so every area reads the same rules.

use crate::values::Invalid;

/// Words a slug may not be: they name (or will name) the product's own pages.
const RESERVED: &[&str] = &[
    "admin",
    "api",
    "app",
    "assets",
    "account",
    "auth",
    "billing",
    "book",
    "booking",
    "bookings",
    "chat",
    "contact",
    "files",
    "frontdesk",
    "healthz",
    "help",
    "home",
    "inbox",
    "invitations",
    "login",
    "logout",
    "manage",
    "metrics",
    "operator",
    "privacy",
    "readyz",
    "reset-password",
    "settings",
    "signup",
    "static",
    "support",
    "terms",
    "verify-email",
    "webhooks",
    "widget",
    "www",
];

/// A workspace's public name in links: `[a-z0-9-]{3,40}`, not starting or ending with `-`, no
/// `--`, and not a reserved word.
pub fn slug(input: &str) -> Result<String, Invalid> {
    let s = input.trim().to_ascii_lowercase();
    let bad = || Invalid::new("slug", "invalid_slug", "Use 3 to 40 lowercase letters, digits and dashes.");
    if !(3..=40).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(bad());
    }
    if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
        return Err(Invalid::new("slug", "invalid_slug", "A dash goes between letters or digits, one at a time."));
    }
    if RESERVED.contains(&s.as_str()) {
        return Err(Invalid::new("slug", "reserved_slug", "That name is reserved; choose another."));
    }
    Ok(s)
}

/// A slug made from a workspace's name ("Salón Lucía" → "salon-lucia"), padded to 3 characters.
pub fn slug_from_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let mut out = out.trim_matches('-').to_string();
    while out.len() < 3 {
        out.push_str(if out.is_empty() { "biz" } else { "-1" });
        out = out.trim_start_matches('-').to_string();
    }
    if RESERVED.contains(&out.as_str()) {
        out.push_str("-biz");
    }
    out
}

fn fold_accent(c: char) -> Vec<char> {
    let base = match c {
        'á' | 'à' | 'ä' | 'â' | 'ã' | 'å' | 'Á' | 'À' | 'Ä' | 'Â' | 'Ã' | 'Å' => 'a',
        'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' | 'õ' | 'Ó' | 'Ò' | 'Ö' | 'Ô' | 'Õ' | 'ø' | 'Ø' => 'o',
        'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        'ß' => return vec!['s', 's'],
        other => other,
    };
    vec![base]
}

/// An IANA time zone name the compiled-in database knows, as the database spells it.
pub fn time_zone(input: &str) -> Result<String, Invalid> {
    let name = input.trim();
    match jiff::tz::TimeZone::get(name) {
        Ok(tz) if !name.is_empty() => Ok(tz.iana_name().unwrap_or(name).to_string()),
        _ => Err(Invalid::new("time_zone", "unknown_time_zone", "Choose a time zone from the list.")),
    }
}

/// Every time zone a person can pick: the canonical `Area/City` names (and `UTC`), sorted.
pub fn time_zones() -> Vec<String> {
    let mut v: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .filter(|n| {
            n == "UTC"
                || [
                    "Africa/",
                    "America/",
                    "Antarctica/",
                    "Asia/",
                    "Atlantic/",
                    "Australia/",
                    "Europe/",
                    "Indian/",
                    "Pacific/",
                ]
                .iter()
                .any(|p| n.starts_with(p))
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// A colour as `#rrggbb` (lowercase).
pub fn brand_colour(input: &str) -> Result<String, Invalid> {
    let s = input.trim().to_ascii_lowercase();
    if s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(s)
    } else {
        Err(Invalid::new("brand_colour", "invalid_colour", "Use a colour like #1f6feb."))
    }
}

/// A website: an `https://` or `http://` address with a host.
pub fn website(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') && !s.contains(char::is_whitespace) && s.len() <= 300 => {
            Ok(s.to_string())
        }
        _ => Err(Invalid::new("website", "invalid_website", "Use the full address, like https://example.com.")),
    }
}

/// A phone number as people write it: digits with an optional leading `+`, spaces, dashes,
/// dots and brackets; 6 to 20 digits.
pub fn phone(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let ok_chars = s.char_indices().all(|(i, c)| c.is_ascii_digit() || " -.()".contains(c) || (c == '+' && i == 0));
    if ok_chars && (6..=20).contains(&digits) {
        Ok(s.to_string())
    } else {
        Err(Invalid::new("phone", "invalid_phone", "Use digits, with + and the country code if you like."))
    }
}

/// The languages a business can answer in (ISO 639-1), with their own names.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("es", "Español"),
    ("ca", "Català"),
    ("eu", "Euskara"),
    ("gl", "Galego"),
    ("pt", "Português"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("de", "Deutsch"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("sv", "Svenska"),
    ("da", "Dansk"),
    ("no", "Norsk"),
    ("fi", "Suomi"),
    ("el", "Ελληνικά"),
    ("tr", "Türkçe"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("ar", "العربية"),
    ("zh", "中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("hi", "हिन्दी"),
];

/// Language codes, known ones only, each once, in the order given.
pub fn languages(codes: &[String]) -> Result<Vec<String>, Invalid> {
    let mut out: Vec<String> = Vec::new();
    for c in codes.iter().map(|c| c.trim().to_ascii_lowercase()).filter(|c| !c.is_empty()) {
        if !LANGUAGES.iter().any(|(k, _)| *k == c) {
            return Err(Invalid::new("languages", "unknown_language", "Choose languages from the list."));
        }
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

/// ISO 3166-1 alpha-2 codes with English names.
pub const COUNTRIES: &[(&str, &str)] = &[
    ("AD", "Andorra"),
    ("AE", "United Arab Emirates"),
    ("AF", "Afghanistan"),
    ("AG", "Antigua and Barbuda"),
    ("AL", "Albania"),
    ("AM", "Armenia"),
    ("AO", "Angola"),
    ("AR", "Argentina"),
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("AZ", "Azerbaijan"),
    ("BA", "Bosnia and Herzegovina"),
    ("BB", "Barbados"),
    ("BD", "Bangladesh"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("BH", "Bahrain"),
    ("BO", "Bolivia"),
    ("BR", "Brazil"),
    ("BS", "Bahamas"),
    ("BY", "Belarus"),
    ("BZ", "Belize"),
    ("CA", "Canada"),
    ("CH", "Switzerland"),
    ("CI", "Côte d'Ivoire"),
    ("CL", "Chile"),
    ("CM", "Cameroon"),
    ("CN", "China"),
    ("CO", "Colombia"),
    ("CR", "Costa Rica"),
    ("CU", "Cuba"),
    ("CV", "Cabo Verde"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("DO", "Dominican Republic"),
    ("DZ", "Algeria"),
    ("EC", "Ecuador"),
    ("EE", "Estonia"),
    ("EG", "Egypt"),
    ("ES", "Spain"),
    ("ET", "Ethiopia"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("GB", "United Kingdom"),
    ("GE", "Georgia"),
    ("GH", "Ghana"),
    ("GQ", "Equatorial Guinea"),
    ("GR", "Greece"),
    ("GT", "Guatemala"),
    ("HK", "Hong Kong"),
    ("HN", "Honduras"),
    ("HR", "Croatia"),
    ("HU", "Hungary"),
    ("ID", "Indonesia"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IN", "India"),
    ("IS", "Iceland"),
    ("IT", "Italy"),
    ("JM", "Jamaica"),
    ("JO", "Jordan"),
    ("JP", "Japan"),
    ("KE", "Kenya"),
    ("KR", "South Korea"),
    ("KW", "Kuwait"),
    ("KZ", "Kazakhstan"),
    ("LB", "Lebanon"),
    ("LI", "Liechtenstein"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("LV", "Latvia"),
    ("MA", "Morocco"),
    ("MC", "Monaco"),
    ("MD", "Moldova"),
    ("ME", "Montenegro"),
    ("MK", "North Macedonia"),
    ("MT", "Malta"),
    ("MU", "Mauritius"),
    ("MX", "Mexico"),
    ("MY", "Malaysia"),
    ("NG", "Nigeria"),
    ("NI", "Nicaragua"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("NZ", "New Zealand"),
    ("OM", "Oman"),
    ("PA", "Panama"),
    ("PE", "Peru"),
    ("PH", "Philippines"),
    ("PK", "Pakistan"),
    ("PL", "Poland"),
    ("PR", "Puerto Rico"),
    ("PT", "Portugal"),
    ("PY", "Paraguay"),
    ("QA", "Qatar"),
    ("RO", "Romania"),
    ("RS", "Serbia"),
    ("SA", "Saudi Arabia"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("SI", "Slovenia"),
    ("SK", "Slovakia"),
    ("SM", "San Marino"),
    ("SN", "Senegal"),
    ("SV", "El Salvador"),
    ("TH", "Thailand"),
    ("TN", "Tunisia"),
    ("TR", "Türkiye"),
    ("TT", "Trinidad and Tobago"),
    ("TW", "Taiwan"),
    ("TZ", "Tanzania"),
    ("UA", "Ukraine"),
    ("US", "United States"),
    ("UY", "Uruguay"),
    ("VE", "Venezuela"),
    ("VN", "Viet Nam"),
    ("ZA", "South Africa"),
];

/// A country code from the list (any case).
pub fn country(input: &str) -> Result<String, Invalid> {
    let c = input.trim().to_ascii_uppercase();
    if COUNTRIES.iter().any(|(k, _)| *k == c) {
        Ok(c)
    } else {
        Err(Invalid::new("country", "unknown_country", "Choose a country from the list."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_rules() {
        assert_eq!(slug(" Salon-Lucia ").unwrap(), "salon-lucia");
        assert_eq!(slug("ab").unwrap_err().code, "invalid_slug");
        assert_eq!(slug(&"a".repeat(41)).unwrap_err().code, "invalid_slug");
        assert_eq!(slug("salón").unwrap_err().code, "invalid_slug");
        assert_eq!(slug("-abc").unwrap_err().code, "invalid_slug");
        assert_eq!(slug("a--b").unwrap_err().code, "invalid_slug");
        assert_eq!(slug("admin").unwrap_err().code, "reserved_slug");
        assert_eq!(slug("abc").unwrap(), "abc");
    }

    #[test]
    fn a_name_becomes_a_valid_slug() {
        for (name, want) in [
            ("Salón Lucía", "salon-lucia"),
            ("  Café & Co.  ", "cafe-co"),
            ("X", "x-1"),
            ("Admin", "admin-biz"),
            ("日本", "biz"),
            ("Straße 12", "strasse-12"),
        ] {
            let s = slug_from_name(name);
            assert_eq!(s, want, "{name}");
            assert!(slug(&s).is_ok(), "{s}");
        }
        assert!(slug_from_name(&"long name ".repeat(10)).len() <= 40);
    }

    #[test]
    fn values_are_checked() {
        assert_eq!(time_zone(" Europe/Madrid ").unwrap(), "Europe/Madrid");
        assert_eq!(time_zone("Mars/Olympus").unwrap_err().code, "unknown_time_zone");
        assert_eq!(time_zone("").unwrap_err().code, "unknown_time_zone");
        let zones = time_zones();
        assert!(zones.contains(&"Europe/Madrid".to_string()) && zones.contains(&"UTC".to_string()));
        assert!(zones.len() > 300 && zones.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(brand_colour("#1F6FEB").unwrap(), "#1f6feb");
        assert!(brand_colour("blue").is_err());
        assert!(website("https://salon.example").is_ok());
        assert!(website("salon.example").is_err() && website("https:///x").is_err());
        assert!(phone("+34 600 11 22 33").is_ok() && phone("12").is_err() && phone("34+600").is_err());
        assert_eq!(languages(&["ES".into(), "en".into(), "es".into()]).unwrap(), ["es", "en"]);
        assert!(languages(&["xx".into()]).is_err());
        assert_eq!(country("es").unwrap(), "ES");
        assert!(country("XX").is_err());
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
    }
}

//! Parsed values: once built, an `Email` or `Password` is known to be acceptable, so the
//! layers above never re-check them.

use std::fmt;

/// Why an input was refused: the field it concerns, a stable machine code and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        Self { field, code, message: message.into() }
    }
}

/// A syntactically valid email address, trimmed and lower-cased.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim().to_lowercase();
        let bad = |msg: &str| Err(Invalid::new("email", "invalid_email", msg));
        if s.is_empty() {
            return bad("Enter an email address.");
        }
        if s.len() > Self::MAX_LEN {
            return Err(Invalid::new("email", "too_long", "That email address is too long."));
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return bad("That does not look like an email address (missing @).");
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !local_ok || !domain_ok {
            return bad("That does not look like an email address.");
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // An email is personal data: logs get the domain only.
        let domain = self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
        write!(f, "Email(***@{domain})")
    }
}

/// A password that meets the policy. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    /// Long enough for any passphrase, short enough that hashing cannot be used to burn CPU.
    pub const MAX_BYTES: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        if raw.len() > Self::MAX_BYTES {
            return Err(Invalid::new(
                "password",
                "password_too_long",
                format!("Use at most {} characters.", Self::MAX_BYTES),
            ));
        }
        if raw.chars().count() < Self::MIN_CHARS {
            return Err(Invalid::new(
                "password",
                "password_too_short",
                format!("Use at least {} characters.", Self::MIN_CHARS),
            ));
        }
        let lower = raw.to_lowercase();
        let distinct = {
            let mut cs: Vec<char> = lower.chars().collect();
            cs.sort_unstable();
            cs.dedup();
            cs.len()
        };
        // A common word dressed up with digits and symbols ("Password1234!") is still weak.
        let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
        if distinct < 4 || letters.is_empty() || COMMON_PASSWORDS.contains(&letters.as_str()) {
            return Err(Invalid::new(
                "password",
                "password_too_weak",
                "That password is too easy to guess; try a few unrelated words.",
            ));
        }
        Ok(Self(raw.to_string()))
    }

    /// Accepts whatever was typed at sign-in; only the length cap applies there.
    pub fn for_verification(raw: &str) -> Option<Self> {
        (raw.len() <= Self::MAX_BYTES).then(|| Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "passwort",
    "contrasena",
    "motdepasse",
    "qwerty",
    "qwertyuiop",
    "asdfghjkl",
    "letmein",
    "welcome",
    "iloveyou",
    "admin",
    "administrator",
    "abc",
    "abcdef",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "passw",
    "master",
    "frontdesk",
];

/// A workspace's display name: 1 to 100 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceName(String);

impl WorkspaceName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Invalid::new("name", "required", "Give the workspace a name."));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new("name", "too_long", format!("Use at most {} characters.", Self::MAX_CHARS)));
        }
        if s.chars().any(char::is_control) {
            return Err(Invalid::new("name", "invalid", "The name cannot contain control characters."));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short label typed by a person (a token name, a display name): 1 to 80 characters.
pub fn parse_label(field: &'static str, raw: &str) -> Result<String, Invalid> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Invalid::new(field, "required", "This field is required."));
    }
    if s.chars().count() > 80 {
        return Err(Invalid::new(field, "too_long", "Use at most 80 characters."));
    }
    if s.chars().any(char::is_control) {
        return Err(Invalid::new(field, "invalid", "Control characters are not allowed."));
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(Email::parse("  Ana@Example.COM ").unwrap().as_str(), "ana@example.com");
        for bad in ["", "ana", "ana@", "@x.com", "ana@x", "a..b@x.com", "ana@-x.com", "a b@x.com"] {
            assert_eq!(Email::parse(bad).unwrap_err().field, "email", "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long).unwrap_err().code, "too_long");
    }

    #[test]
    fn email_debug_hides_the_local_part() {
        let e = Email::parse("ana@example.com").unwrap();
        assert!(!format!("{e:?}").contains("ana"));
    }

    #[test]
    fn password_policy() {
        assert_eq!(Password::parse("short").unwrap_err().code, "password_too_short");
        assert_eq!(Password::parse(&"x".repeat(300)).unwrap_err().code, "password_too_long");
        assert_eq!(Password::parse("password123").unwrap_err().code, "password_too_weak");
        assert_eq!(Password::parse("aaaaaaaaaaaa").unwrap_err().code, "password_too_weak");
        assert_eq!(Password::parse("Password1234!").unwrap_err().code, "password_too_weak");
        assert_eq!(Password::parse("8392017465").unwrap_err().code, "password_too_weak");
        assert!(Password::parse("correct horse battery").is_ok());
        assert!(!format!("{:?}", Password::parse("correct horse battery").unwrap()).contains("horse"));
    }

    #[test]
    fn workspace_name_rules() {
        assert!(WorkspaceName::parse("  ").is_err());
        assert!(WorkspaceName::parse(&"n".repeat(101)).is_err());
        assert_eq!(WorkspaceName::parse(" Salon Ana ").unwrap().as_str(), "Salon Ana");
    }
}

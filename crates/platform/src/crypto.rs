//! Random tokens, their hashes, and password hashing (Argon2id, off the async threads).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use frontdesk_core::Password;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes, URL-safe base64: sessions, reset links, invitations, API tokens.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// What we store in place of a token: its SHA-256, hex. Tokens carry 256 bits of entropy, so
/// a fast hash is enough; a leaked database lets nobody sign in.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A secret from the configuration that callers present as a bearer token (e.g. for
/// `/metrics`). Compared through its hash in constant time; Debug never shows it.
#[derive(Clone, serde::Deserialize)]
#[serde(transparent)]
pub struct BearerSecret(String);

impl BearerSecret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Equal-length digests, so neither the content nor the length is timed.
    pub fn matches(&self, presented: &str) -> bool {
        use subtle::ConstantTimeEq;
        let (want, got) = (Sha256::digest(self.0.as_bytes()), Sha256::digest(presented.as_bytes()));
        !self.0.is_empty() && bool::from(want.as_slice().ct_eq(got.as_slice()))
    }
}

impl std::fmt::Debug for BearerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

fn argon(m_kib: u32, t: u32) -> Argon2<'static> {
    let params = Params::new(m_kib, t, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (PHC string) on the blocking pool.
pub async fn hash_password(p: &Password, m_kib: u32, t: u32) -> String {
    let pw = p.expose().to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        argon(m_kib, t).hash_password(pw.as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
    })
    .await
    .unwrap_or_default()
}

/// Verifies a password against a stored hash; with no hash (unknown account) it still does
/// the work against a dummy hash so timing does not reveal which emails exist.
pub async fn verify_password(p: &Password, stored: Option<String>, m_kib: u32, t: u32) -> bool {
    let pw = p.expose().to_string();
    tokio::task::spawn_blocking(move || {
        let dummy;
        let (hash, real) = match stored {
            Some(h) => (h, true),
            None => {
                dummy = argon(m_kib, t)
                    .hash_password(b"not a real password", &SaltString::generate(&mut rand::rngs::OsRng))
                    .map(|h| h.to_string())
                    .unwrap_or_default();
                (dummy, false)
            }
        };
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        Argon2::default().verify_password(pw.as_bytes(), &parsed).is_ok() && real
    })
    .await
    .unwrap_or(false)
}

/// Ten human-typable one-time recovery codes (`xxxx-xxxx-xxxx`).
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..10)
        .map(|_| {
            let mut b = [0u8; 12];
            rand::rngs::OsRng.fill_bytes(&mut b);
            let s: String = b.iter().map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char).collect();
            format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..12])
        })
        .collect()
}

/// Normalises a typed recovery code (case, spaces) before hashing.
pub fn recovery_code_hash(code: &str) -> String {
    let norm: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    token_hash(&norm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_secret_matches_only_itself_and_never_shows() {
        let s = BearerSecret::new("scrape-me-please");
        assert!(s.matches("scrape-me-please"));
        assert!(!s.matches("scrape-me-pleasE") && !s.matches("") && !s.matches("scrape-me-please "));
        assert!(!BearerSecret::new("").matches(""), "an empty secret opens nothing");
        assert_eq!(format!("{s:?}"), "<redacted>");
    }

    #[tokio::test]
    async fn password_round_trip_and_unknown_user() {
        let p = Password::parse("correct horse battery").unwrap();
        let h = hash_password(&p, 1024, 1).await;
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&p, Some(h.clone()), 1024, 1).await);
        let wrong = Password::parse("another long phrase").unwrap();
        assert!(!verify_password(&wrong, Some(h), 1024, 1).await);
        assert!(!verify_password(&p, None, 1024, 1).await);
    }

    #[test]
    fn recovery_codes_normalise() {
        let c = recovery_codes();
        assert_eq!(c.len(), 10);
        assert_eq!(recovery_code_hash(&c[0].to_uppercase().replace('-', " ")), recovery_code_hash(&c[0]));
    }
}

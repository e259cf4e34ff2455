//! Webhook authenticity, on the raw bytes, in constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Meta's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`.
pub fn meta_signature(app_secret: &[u8], header: Option<&str>, body: &[u8]) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Ok(given) = hex::decode(hex_sig) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret) else {
        return false;
    };
    mac.update(body);
    let expected = mac.finalize().into_bytes();
    given.len() == expected.len() && bool::from(expected.as_slice().ct_eq(&given))
}

/// The header value a sender computes (for tests and the load generator).
pub fn meta_signature_header(app_secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret).expect("HMAC takes any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Telegram's `X-Telegram-Bot-Api-Secret-Token`, compared in constant time.
pub fn telegram_secret(expected: &str, header: Option<&str>) -> bool {
    same_secret(expected, header)
}

/// A shared secret (Telegram secret token, Meta verify token) compared in constant time; an
/// empty expected secret never matches.
pub fn same_secret(expected: &str, header: Option<&str>) -> bool {
    match header {
        Some(h) => {
            !expected.is_empty() && h.len() == expected.len() && bool::from(h.as_bytes().ct_eq(expected.as_bytes()))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_signature_checks_the_exact_bytes() {
        let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
        let h = meta_signature_header(b"secret", body);
        assert!(meta_signature(b"secret", Some(&h), body));
        assert!(!meta_signature(b"other", Some(&h), body));
        assert!(!meta_signature(b"secret", Some(&h), br#"{"object":"whatsapp_business_account","entry":[] }"#));
        assert!(!meta_signature(b"secret", None, body));
        assert!(!meta_signature(b"secret", Some("sha256=zz"), body));
        assert!(!meta_signature(b"secret", Some(&h[7..]), body));
        assert!(!meta_signature(b"secret", Some(&h[..20]), body));
    }

    #[test]
    fn telegram_secret_must_match() {
        assert!(telegram_secret("abc", Some("abc")));
        assert!(!telegram_secret("abc", Some("abd")));
        assert!(!telegram_secret("abc", Some("ab")));
        assert!(!telegram_secret("abc", None));
        assert!(!telegram_secret("", Some("")));
    }
}

//! Signed links: a token that names a thing (its scope — a workspace id, or `platform` for
//! account links — its id, and a stamp: an expiry or a stored version) and carries an
//! HMAC-SHA256 over (purpose, scope, id, stamp) under a key derived from the vault's. The
//! purpose is not in the token, so a link made for one purpose never opens another; a link
//! that must stop working checks its stamp against what is stored (a version bumped on
//! revocation) or the clock (an expiry).
//!
//! Format: `<scope>.<id>.<stamp>.<mac>` with the MAC in URL-safe base64, so a token fits in
//! a URL path as it is.

use crate::vault::Vault;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;

/// What a valid token names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub scope: String,
    pub id: String,
    pub stamp: i64,
}

fn plain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A token for `purpose` naming `id` in `scope`, with `stamp` (an expiry in ms, or a version).
/// Scopes and ids are letters, digits, `-` and `_` (our ids are).
pub fn sign(vault: &Vault, purpose: &str, scope: &str, id: &str, stamp: i64) -> String {
    debug_assert!(plain(scope) && plain(id), "a signed link's scope and id are plain");
    let mac = vault.sign_parts(&[purpose, scope, id, &stamp.to_string()]);
    format!("{scope}.{id}.{stamp}.{}", B64.encode(mac))
}

/// What `token` names when it was signed for `purpose` (compared in constant time); `None` for
/// anything else: another purpose, a changed part, a malformed token. The caller still checks
/// the stamp (the stored version, or the expiry against the clock).
pub fn verify(vault: &Vault, purpose: &str, token: &str) -> Option<Link> {
    use subtle::ConstantTimeEq;
    if token.len() > 256 {
        return None;
    }
    let mut parts = token.split('.');
    let (Some(scope), Some(id), Some(stamp), Some(mac), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if !plain(scope) || !plain(id) {
        return None;
    }
    // The stamp as written must be the number's own form ("007" is not 7), so one link has one
    // spelling.
    let n: i64 = stamp.parse().ok().filter(|n: &i64| n.to_string() == stamp)?;
    let given = B64.decode(mac).ok()?;
    let want = vault.sign_parts(&[purpose, scope, id, stamp]);
    if given.len() != want.len() || !bool::from(want.as_slice().ct_eq(&given)) {
        return None;
    }
    Some(Link { scope: scope.to_string(), id: id.to_string(), stamp: n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_only_for_its_purpose_scope_id_and_stamp() {
        let v = Vault::new([3; 32], &[]);
        let t = sign(&v, "booking.manage", "ws-1", "b-1", 1);
        assert_eq!(verify(&v, "booking.manage", &t), Some(Link { scope: "ws-1".into(), id: "b-1".into(), stamp: 1 }));
        assert_eq!(verify(&v, "file.download", &t), None, "another purpose");
        let mac = t.rsplit('.').next().unwrap();
        for forged in [
            format!("ws-2.b-1.1.{mac}"),
            format!("ws-1.b-2.1.{mac}"),
            format!("ws-1.b-1.2.{mac}"),
            format!("ws-1.b-1.01.{mac}"),
            format!("ws-1.b-1.1.{}", &mac[1..]),
            format!("{t}.x"),
            "ws-1.b-1.1".to_string(),
            String::new(),
        ] {
            assert_eq!(verify(&v, "booking.manage", &forged), None, "{forged}");
        }
        assert_eq!(verify(&Vault::new([4; 32], &[]), "booking.manage", &t), None, "another server's key");
        // Parts that run together differently sign differently.
        assert_ne!(v.sign_parts(&["ab", "c"]), v.sign_parts(&["a", "bc"]));
    }
}

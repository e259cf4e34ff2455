//! The encrypted-secrets store: every secret kept in the database (TOTP seeds, provider
//! tokens, queued mail) is sealed with XChaCha20-Poly1305. The associated data binds a sealed
//! value to its place (workspace, table, column, row), so a value copied to another row does
//! not open. Format: `v1:<key id>:<nonce b64>:<ciphertext b64>`.

use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// Where a sealed value lives; it becomes the AEAD associated data.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    pub workspace: &'a str,
    pub table: &'a str,
    pub column: &'a str,
    pub row: &'a str,
}

impl Place<'_> {
    fn aad(&self) -> Vec<u8> {
        let mut v = Vec::new();
        for p in [self.workspace, self.table, self.column, self.row] {
            v.extend_from_slice(&(p.len() as u32).to_be_bytes());
            v.extend_from_slice(p.as_bytes());
        }
        v
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the sealed value is malformed")]
    Malformed,
    #[error("no key with id {0} is configured")]
    UnknownKey(String),
    #[error("the sealed value does not open with this key and place")]
    Tampered,
    #[error("cannot read or create the key file: {0}")]
    KeyFile(String),
}

pub struct Vault {
    current: String,
    keys: HashMap<String, XChaCha20Poly1305>,
    /// Signs short-lived links (media URLs a provider or a visitor's browser fetches): a key
    /// derived from the current key, never the key itself.
    link_key: [u8; 32],
    /// Signs scoped links ([`crate::signed_link`]): another key derived from the current key.
    scoped_key: [u8; 32],
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vault(key {}, <redacted>)", self.current)
    }
}

impl Vault {
    /// A vault from a 32-byte key. The key id is derived from the key, so rotating keys never
    /// needs a registry: old ids stay readable when their keys are passed as `old`.
    pub fn new(key: [u8; 32], old: &[[u8; 32]]) -> Self {
        let mut keys = HashMap::new();
        let current = key_id(&key);
        keys.insert(current.clone(), XChaCha20Poly1305::new(&key.into()));
        for k in old {
            keys.insert(key_id(k), XChaCha20Poly1305::new(&(*k).into()));
        }
        let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(&key).expect("any key length");
        hmac::Mac::update(&mut mac, b"frontdesk link signing v1");
        let link_key: [u8; 32] = hmac::Mac::finalize(mac).into_bytes().into();
        let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(&key).expect("any key length");
        hmac::Mac::update(&mut mac, b"frontdesk scoped link signing v1");
        let scoped_key: [u8; 32] = hmac::Mac::finalize(mac).into_bytes().into();
        Self { current, keys, link_key, scoped_key }
    }

    /// A signature for a link's data (hex HMAC-SHA256 with the link key).
    pub fn sign_link(&self, data: &str) -> String {
        let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(&self.link_key).expect("any key length");
        hmac::Mac::update(&mut mac, data.as_bytes());
        hex::encode(hmac::Mac::finalize(mac).into_bytes())
    }

    /// Checks a link's signature in constant time.
    pub fn check_link(&self, data: &str, sig: &str) -> bool {
        use subtle::ConstantTimeEq;
        let want = self.sign_link(data);
        want.len() == sig.len() && bool::from(want.as_bytes().ct_eq(sig.as_bytes()))
    }

    /// The HMAC-SHA256 of length-prefixed parts under the scoped-link key (see
    /// [`crate::signed_link`]): no two different lists of parts give the same input.
    pub fn sign_parts(&self, parts: &[&str]) -> [u8; 32] {
        let mut mac =
            <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(&self.scoped_key).expect("any key length");
        for p in parts {
            hmac::Mac::update(&mut mac, &(p.len() as u32).to_be_bytes());
            hmac::Mac::update(&mut mac, p.as_bytes());
        }
        hmac::Mac::finalize(mac).into_bytes().into()
    }

    /// Parses a base64 key from config.
    pub fn key_from_base64(s: &str) -> Result<[u8; 32], VaultError> {
        let b = base64::engine::general_purpose::STANDARD
            .decode(s.trim())
            .map_err(|_| VaultError::KeyFile("the key is not base64".into()))?;
        b.try_into().map_err(|_| VaultError::KeyFile("the key must be 32 bytes".into()))
    }

    /// Reads the key file, creating it (mode 0600) with a fresh key on first start.
    pub fn key_from_file(path: &Path) -> Result<([u8; 32], bool), VaultError> {
        let err = |e: std::io::Error| VaultError::KeyFile(format!("{}: {e}", path.display()));
        match std::fs::read_to_string(path) {
            Ok(s) => Ok((Self::key_from_base64(&s)?, false)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(err)?;
                }
                let mut key = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                let text = base64::engine::general_purpose::STANDARD.encode(key);
                write_private(path, text.as_bytes()).map_err(err)?;
                Ok((key, true))
            }
            Err(e) => Err(err(e)),
        }
    }

    pub fn seal(&self, place: Place<'_>, plaintext: &[u8]) -> String {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let cipher = &self.keys[&self.current];
        let aad = place.aad();
        // Encryption with a valid key and nonce cannot fail.
        let ct = cipher.encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: &aad }).unwrap_or_default();
        format!("v1:{}:{}:{}", self.current, B64.encode(nonce), B64.encode(ct))
    }

    pub fn open(&self, place: Place<'_>, sealed: &str) -> Result<Vec<u8>, VaultError> {
        let mut parts = sealed.split(':');
        let (Some("v1"), Some(kid), Some(n), Some(ct), None) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VaultError::Malformed);
        };
        let cipher = self.keys.get(kid).ok_or_else(|| VaultError::UnknownKey(kid.to_string()))?;
        let nonce = B64.decode(n).map_err(|_| VaultError::Malformed)?;
        let ct = B64.decode(ct).map_err(|_| VaultError::Malformed)?;
        if nonce.len() != 24 {
            return Err(VaultError::Malformed);
        }
        let aad = place.aad();
        cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &ct, aad: &aad }).map_err(|_| VaultError::Tampered)
    }
}

fn key_id(key: &[u8; 32]) -> String {
    hex::encode(&Sha256::digest(key)[..4])
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(row: &str) -> Place<'_> {
        Place { workspace: "w", table: "users", column: "totp_secret", row }
    }

    #[test]
    fn seals_opens_and_binds_to_its_row() {
        let v = Vault::new([7; 32], &[]);
        let s = v.seal(place("r1"), b"secret");
        assert!(!s.contains("secret"));
        assert_eq!(v.open(place("r1"), &s).unwrap(), b"secret");
        assert!(matches!(v.open(place("r2"), &s), Err(VaultError::Tampered)));
        assert!(matches!(v.open(place("r1"), "v1:x"), Err(VaultError::Malformed)));
    }

    #[test]
    fn old_keys_still_open_after_rotation() {
        let old = Vault::new([1; 32], &[]);
        let s = old.seal(place("r"), b"x");
        let new = Vault::new([2; 32], &[[1; 32]]);
        assert_eq!(new.open(place("r"), &s).unwrap(), b"x");
        assert!(matches!(Vault::new([2; 32], &[]).open(place("r"), &s), Err(VaultError::UnknownKey(_))));
    }
}

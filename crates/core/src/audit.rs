//! The audit log's hash chain: each entry's hash covers the previous hash and the entry's
//! ids (never personal data), so erasing a person later leaves every chain verifiable.

use sha2::{Digest, Sha256};

/// The chain of platform-level events (sign-in, operator actions); workspaces use their id.
pub const PLATFORM_CHAIN: &str = "platform";
/// The hash a chain starts from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hashed part of an audit entry. Every field is an id, a code or a time.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChainFields<'a> {
    pub chain: &'a str,
    pub seq: i64,
    pub at: i64,
    pub actor_kind: &'a str,
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub target_kind: Option<&'a str>,
    pub target_id: Option<&'a str>,
    pub outcome: &'a str,
}

/// `sha256(prev ‖ fields)` in hex, with each field length-prefixed so no two entries encode
/// to the same bytes.
pub fn entry_hash(prev_hash: &str, f: &ChainFields<'_>) -> String {
    let mut h = Sha256::new();
    let seq = f.seq.to_string();
    let at = f.at.to_string();
    let parts: [&str; 10] = [
        prev_hash,
        f.chain,
        &seq,
        &at,
        f.actor_kind,
        f.actor_id.unwrap_or("-"),
        f.action,
        f.target_kind.unwrap_or("-"),
        f.target_id.unwrap_or("-"),
        f.outcome,
    ];
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The first entry (by sequence) whose link or hash does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub chain: String,
    pub seq: i64,
    pub reason: &'static str,
}

/// Checks one chain given its stored entries in sequence order as (fields, prev, hash).
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = (ChainFields<'a>, &'a str, &'a str)>,
) -> Result<usize, Break> {
    let mut prev = GENESIS.to_string();
    let mut n = 0;
    for (expected_seq, (fields, stored_prev, stored_hash)) in (1..).zip(entries) {
        let brk = |reason| Break { chain: fields.chain.to_string(), seq: fields.seq, reason };
        if fields.seq != expected_seq {
            return Err(brk("sequence gap"));
        }
        if stored_prev != prev {
            return Err(brk("previous hash does not match"));
        }
        if entry_hash(&prev, &fields) != stored_hash {
            return Err(brk("entry hash does not match its contents"));
        }
        prev = stored_hash.to_string();
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(seq: i64, action: &str) -> ChainFields<'_> {
        ChainFields {
            chain: "w",
            seq,
            at: 1,
            actor_kind: "user",
            actor_id: Some("u1"),
            action,
            target_kind: None,
            target_id: None,
            outcome: "ok",
        }
    }

    #[test]
    fn a_changed_entry_breaks_the_chain_at_that_entry() {
        let h1 = entry_hash(GENESIS, &fields(1, "a"));
        let h2 = entry_hash(&h1, &fields(2, "b"));
        let good = vec![(fields(1, "a"), GENESIS, h1.as_str()), (fields(2, "b"), h1.as_str(), h2.as_str())];
        assert_eq!(verify_chain(good), Ok(2));
        let bad = vec![(fields(1, "a"), GENESIS, h1.as_str()), (fields(2, "X"), h1.as_str(), h2.as_str())];
        assert_eq!(verify_chain(bad).unwrap_err().seq, 2);
    }
}

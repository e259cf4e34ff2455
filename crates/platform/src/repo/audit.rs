//! The append-only audit log: one hash chain per workspace plus the platform chain.

use frontdesk_core::audit::{entry_hash, ChainFields, GENESIS};
use frontdesk_core::{AuditId, Timestamp};
use frontdesk_store::row::{self, Table};
use frontdesk_store::Backend;
use sqlx::{AnyConnection, Row};

/// What is being recorded. Ids only: no names, emails or message text.
#[derive(Clone, Debug)]
pub struct NewEntry<'a> {
    pub chain: &'a str,
    pub actor_kind: &'a str,
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub target_kind: Option<&'a str>,
    pub target_id: Option<&'a str>,
    pub outcome: &'a str,
    /// Security metadata kept outside the hash so it can be anonymised after 90 days.
    pub ip: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub chain: String,
    pub seq: i64,
    pub at: i64,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    pub outcome: String,
    pub ip: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    pub fn fields(&self) -> ChainFields<'_> {
        ChainFields {
            chain: &self.chain,
            seq: self.seq,
            at: self.at,
            actor_kind: &self.actor_kind,
            actor_id: self.actor_id.as_deref(),
            action: &self.action,
            target_kind: self.target_kind.as_deref(),
            target_id: self.target_id.as_deref(),
            outcome: &self.outcome,
        }
    }
}

row::table!(Entry in "audit_log" {
    id, chain, seq, at, actor_kind, actor_id, action, target_kind, target_id, outcome, ip, prev_hash, hash
});

/// Appends to a chain inside the caller's transaction, so the entry commits with the change
/// it records.
pub async fn append(c: &mut AnyConnection, backend: Backend, e: NewEntry<'_>, now: Timestamp) -> sqlx::Result<i64> {
    let mut head = None;
    append_with_head(c, backend, e, now, &mut head).await
}

/// Appends, reusing the chain head a previous append of this transaction left in `head`
/// (the lock is held until commit, so nobody else can have appended since). Saves the lock
/// and the head lookup on every entry after the first of a batch.
pub async fn append_with_head(
    c: &mut AnyConnection,
    backend: Backend,
    e: NewEntry<'_>,
    now: Timestamp,
    head: &mut Option<(i64, String)>,
) -> sqlx::Result<i64> {
    let (seq, prev) = match head.take() {
        Some((seq, hash)) => (seq + 1, hash),
        None => {
            if backend == Backend::Postgres {
                row::execute(&mut *c, "SELECT pg_advisory_xact_lock(hashtextextended($1, 1))", e.chain).await?;
            }
            let sql = "SELECT seq, hash FROM audit_log WHERE chain = $1 ORDER BY seq DESC LIMIT 1";
            let last = row::optional_with(&mut *c, sql, e.chain, |r| Ok((r.get::<i64, _>(0), r.get::<String, _>(1))));
            match last.await? {
                Some((seq, hash)) => (seq + 1, hash),
                None => (1, GENESIS.to_string()),
            }
        }
    };
    let fields = ChainFields {
        chain: e.chain,
        seq,
        at: now.0,
        actor_kind: e.actor_kind,
        actor_id: e.actor_id,
        action: e.action,
        target_kind: e.target_kind,
        target_id: e.target_id,
        outcome: e.outcome,
    };
    let hash = entry_hash(&prev, &fields);
    let sql = format!(
        "INSERT INTO audit_log ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        Entry::COLUMNS
    );
    let values = (
        &AuditId::new(),
        e.chain,
        seq,
        now,
        e.actor_kind,
        e.actor_id,
        e.action,
        e.target_kind,
        e.target_id,
        e.outcome,
        e.ip,
        &prev,
        &hash,
    );
    row::execute(c, &sql, values).await?;
    *head = Some((seq, hash));
    Ok(seq)
}

/// The newest entries of a chain first.
pub async fn recent(c: &mut AnyConnection, chain: &str, limit: i64) -> sqlx::Result<Vec<Entry>> {
    row::find_all(c, "WHERE chain = $1 ORDER BY seq DESC LIMIT $2", (chain, limit)).await
}

/// A whole chain in order.
pub async fn chain(c: &mut AnyConnection, chain: &str) -> sqlx::Result<Vec<Entry>> {
    row::find_all(c, "WHERE chain = $1 ORDER BY seq", chain).await
}

pub async fn chains(c: &mut AnyConnection) -> sqlx::Result<Vec<String>> {
    row::scalars(c, "SELECT DISTINCT chain FROM audit_log ORDER BY chain", ()).await
}

/// Drops the IP address of entries older than `before` (the hash does not cover it).
pub async fn anonymise_before(c: &mut AnyConnection, before: Timestamp) -> sqlx::Result<u64> {
    row::changed(c, "UPDATE audit_log SET ip = NULL WHERE at < $1 AND ip IS NOT NULL", before).await
}

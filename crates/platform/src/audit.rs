//! Recording and checking the audit log. Services call [`record`] inside the transaction of the
//! change they make, so the change and its record commit or vanish together.

pub use crate::repo::audit::Entry;
use crate::repo::audit::{self as q, NewEntry};
use crate::{AppResult, Platform};
use frontdesk_core::audit::{verify_chain, Break, PLATFORM_CHAIN};
use frontdesk_store::Conn;

/// Who did something: a signed-in user, an API token, an operator, the CLI or the system.
#[derive(Clone, Debug)]
pub struct Actor {
    pub kind: &'static str,
    pub id: Option<String>,
    pub ip: Option<String>,
}

impl Actor {
    pub fn user(id: &frontdesk_core::UserId, ip: Option<&str>) -> Self {
        Self { kind: "user", id: Some(id.to_string()), ip: ip.map(str::to_string) }
    }
    pub fn token(id: &frontdesk_core::ApiTokenId, ip: Option<&str>) -> Self {
        Self { kind: "api_token", id: Some(id.to_string()), ip: ip.map(str::to_string) }
    }
    pub fn cli() -> Self {
        Self { kind: "cli", id: None, ip: None }
    }
    pub fn anonymous(ip: Option<&str>) -> Self {
        Self { kind: "anonymous", id: None, ip: ip.map(str::to_string) }
    }
}

/// What an audit entry is about.
pub type Target<'a> = Option<(&'a str, &'a str)>;

pub async fn record(
    app: &Platform,
    c: &mut Conn,
    chain: &str,
    actor: &Actor,
    action: &str,
    target: Target<'_>,
    outcome: &str,
) -> AppResult<()> {
    record_batched(app, c, &mut Heads::new(), chain, actor, action, target, outcome).await
}

/// Chain heads of the current transaction, for many appends in one batch.
pub type Heads = std::collections::HashMap<String, Option<(i64, String)>>;

/// Like [`record`], for a transaction that appends many entries (the intake batch): the chain
/// head is looked up (and, on PostgreSQL, locked) once per chain, not once per entry.
#[allow(clippy::too_many_arguments)]
pub async fn record_batched(
    app: &Platform,
    c: &mut Conn,
    heads: &mut Heads,
    chain: &str,
    actor: &Actor,
    action: &str,
    target: Target<'_>,
    outcome: &str,
) -> AppResult<()> {
    let head = heads.entry(chain.to_string()).or_default();
    q::append_with_head(
        c,
        app.db.backend(),
        NewEntry {
            chain,
            actor_kind: actor.kind,
            actor_id: actor.id.as_deref(),
            action,
            target_kind: target.map(|t| t.0),
            target_id: target.map(|t| t.1),
            outcome,
            ip: actor.ip.as_deref(),
        },
        app.now(),
        head,
    )
    .await?;
    Ok(())
}

/// Records on the platform chain in its own transaction (e.g. a failed sign-in, which has no
/// other write to ride along with).
pub async fn record_platform(
    app: &Platform,
    actor: &Actor,
    action: &str,
    target: Target<'_>,
    outcome: &str,
) -> AppResult<()> {
    let mut tx = app.db.begin().await?;
    record(app, &mut tx, PLATFORM_CHAIN, actor, action, target, outcome).await?;
    tx.commit().await?;
    Ok(())
}

/// Records on any chain in its own transaction.
pub async fn record_alone(
    app: &Platform,
    chain: &str,
    actor: &Actor,
    action: &str,
    target: Target<'_>,
    outcome: &str,
) -> AppResult<()> {
    let mut tx = app.db.begin().await?;
    record(app, &mut tx, chain, actor, action, target, outcome).await?;
    tx.commit().await?;
    Ok(())
}

/// Checks every chain; returns the number of entries checked per chain, or the first break.
pub async fn verify_all(app: &Platform) -> AppResult<Result<Vec<(String, usize)>, Break>> {
    let mut c = app.db.conn().await?;
    let mut out = Vec::new();
    for name in q::chains(&mut c).await? {
        let entries = q::chain(&mut c, &name).await?;
        match verify_chain(entries.iter().map(|e| (e.fields(), e.prev_hash.as_str(), e.hash.as_str()))) {
            Ok(n) => out.push((name, n)),
            Err(b) => return Ok(Err(b)),
        }
    }
    Ok(Ok(out))
}

pub async fn recent(app: &Platform, chain: &str, limit: i64) -> AppResult<Vec<Entry>> {
    let mut c = app.db.conn().await?;
    Ok(q::recent(&mut c, chain, limit.clamp(1, 1000)).await?)
}

pub async fn export(app: &Platform, chain: &str) -> AppResult<Vec<Entry>> {
    let mut c = app.db.conn().await?;
    Ok(q::chain(&mut c, chain).await?)
}

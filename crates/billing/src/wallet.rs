//! The workspace's prepaid wallet: a ledger in micro-units of the operator's currency and its
//! balance, changed together in the caller's transaction. Every entry has a key and is written
//! once per key (a retried job, a redelivered event never post twice); a debit only goes through
//! `WHERE balance + amount >= 0` (usage never makes a balance negative; the only way below zero
//! is a refunded top-up or a lost dispute, a debt); the sum of the entries is the balance.

use frontdesk_core::money::Micros;
use frontdesk_core::WorkspaceId;
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_store::{row, Conn};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub workspace_id: WorkspaceId,
    /// `topup`, `debit`, `reserve`, `settle`, `release`, `refund`, `adjust`.
    pub kind: String,
    pub amount_micros: i64,
    pub balance_after: i64,
    pub entry_key: String,
    pub reason: Option<String>,
    pub actor: String,
    pub created_at: i64,
}

row::table!(Entry in "wallet_entries" {
    id, workspace_id, kind, amount_micros, balance_after, entry_key, reason, actor, created_at
});

/// What became of a posting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Posted {
    /// Written; the balance after it.
    Done(Micros),
    /// This key was posted before: nothing changed.
    Repeated,
    /// A debit the balance does not cover: nothing changed.
    Refused,
}

/// One posting.
pub struct Posting<'a> {
    pub kind: &'a str,
    pub amount: Micros,
    pub key: &'a str,
    pub reason: Option<&'a str>,
    pub actor: &'a str,
    /// May take the balance below zero (a refunded top-up, a lost dispute: a debt).
    pub may_owe: bool,
}

pub fn no_credit() -> AppError {
    AppError::new(
        ErrorKind::Conflict,
        "insufficient_credit",
        "The workspace's credit does not cover this; top up the wallet first.",
    )
}

/// Posts an entry and moves the balance, inside the caller's transaction.
pub async fn post(c: &mut Conn, ws: &WorkspaceId, p: &Posting<'_>, now: i64) -> AppResult<Posted> {
    row::execute(
        c,
        "INSERT INTO wallet_balances (workspace_id, balance_micros, updated_at) VALUES ($1, 0, $2) \
         ON CONFLICT (workspace_id) DO NOTHING",
        (ws, now),
    )
    .await?;
    // The key first: a second posting under it (even a concurrent one) does nothing.
    let id = frontdesk_core::JobId::new().to_string();
    let n = row::changed(
        c,
        "INSERT INTO wallet_entries (id, workspace_id, kind, amount_micros, balance_after, entry_key, reason, actor, \
         created_at) VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8) ON CONFLICT (workspace_id, entry_key) DO NOTHING",
        (id.as_str(), ws, p.kind, p.amount.0, p.key, p.reason, p.actor, now),
    )
    .await?;
    if n == 0 {
        return Ok(Posted::Repeated);
    }
    let moved = if p.amount.0 < 0 && !p.may_owe {
        row::one_changed(
            c,
            "UPDATE wallet_balances SET balance_micros = balance_micros + $1, updated_at = $2 \
             WHERE workspace_id = $3 AND balance_micros + $1 >= 0",
            (p.amount.0, now, ws),
        )
        .await?
    } else {
        row::one_changed(
            c,
            "UPDATE wallet_balances SET balance_micros = balance_micros + $1, updated_at = $2 WHERE workspace_id = $3",
            (p.amount.0, now, ws),
        )
        .await?
    };
    if !moved {
        row::execute(c, "DELETE FROM wallet_entries WHERE id = $1", id.as_str()).await?;
        return Ok(Posted::Refused);
    }
    let balance = balance_in(c, ws).await?;
    row::execute(c, "UPDATE wallet_entries SET balance_after = $1 WHERE id = $2", (balance.0, id.as_str())).await?;
    Ok(Posted::Done(balance))
}

pub async fn balance_in(c: &mut Conn, ws: &WorkspaceId) -> AppResult<Micros> {
    let b: Option<i64> =
        row::opt_scalar(c, "SELECT balance_micros FROM wallet_balances WHERE workspace_id = $1", ws).await?;
    Ok(Micros(b.unwrap_or(0)))
}

/// The sum of the ledger's entries (equal to the balance, always).
pub async fn replay(c: &mut Conn, ws: &WorkspaceId) -> AppResult<Micros> {
    let s: i64 = row::scalar(
        c,
        "SELECT CAST(COALESCE(SUM(amount_micros), 0) AS BIGINT) FROM wallet_entries WHERE workspace_id = $1",
        ws,
    )
    .await?;
    Ok(Micros(s))
}

/// The newest entries that moved money (a charge within the quota is counted, not shown).
pub async fn history(c: &mut Conn, ws: &WorkspaceId, limit: i64) -> AppResult<Vec<Entry>> {
    Ok(row::find_all(
        c,
        "WHERE workspace_id = $1 AND amount_micros <> 0 ORDER BY created_at DESC, id DESC LIMIT $2",
        (ws, limit),
    )
    .await?)
}

async fn entry(c: &mut Conn, ws: &WorkspaceId, key: &str) -> AppResult<Option<Entry>> {
    Ok(row::find(c, "WHERE workspace_id = $1 AND entry_key = $2", (ws, key)).await?)
}

/// Reserves the most work can cost before it starts (refused when the wallet cannot pay).
pub async fn reserve(c: &mut Conn, ws: &WorkspaceId, key: &str, amount: Micros, now: i64) -> AppResult<()> {
    let p = Posting {
        kind: "reserve",
        amount: Micros(-amount.0.abs()),
        key,
        reason: None,
        actor: "system",
        may_owe: false,
    };
    match post(c, ws, &p, now).await? {
        Posted::Done(_) | Posted::Repeated => Ok(()),
        Posted::Refused => Err(no_credit()),
    }
}

/// Settles a reservation at what the work really cost (at most what was reserved): the rest
/// goes back. Once per key. What was kept (zero when there was nothing to settle).
pub async fn settle(c: &mut Conn, ws: &WorkspaceId, key: &str, actual: Micros, now: i64) -> AppResult<Micros> {
    let Some(r) = entry(c, ws, key).await?.filter(|e| e.kind == "reserve") else { return Ok(Micros(0)) };
    if entry(c, ws, &format!("{key}:release")).await?.is_some() {
        return Ok(Micros(0));
    }
    let reserved = -r.amount_micros;
    let back = reserved - actual.0.clamp(0, reserved);
    let k = format!("{key}:settle");
    let p = Posting { kind: "settle", amount: Micros(back), key: &k, reason: None, actor: "system", may_owe: false };
    match post(c, ws, &p, now).await? {
        Posted::Done(_) => Ok(Micros(reserved - back)),
        _ => Ok(Micros(0)),
    }
}

/// Gives a reservation back in full (the work did not happen). Once per key.
pub async fn release(c: &mut Conn, ws: &WorkspaceId, key: &str, now: i64) -> AppResult<()> {
    let Some(r) = entry(c, ws, key).await?.filter(|e| e.kind == "reserve") else { return Ok(()) };
    if entry(c, ws, &format!("{key}:settle")).await?.is_some() {
        return Ok(());
    }
    let k = format!("{key}:release");
    let p = Posting {
        kind: "release",
        amount: Micros(-r.amount_micros),
        key: &k,
        reason: None,
        actor: "system",
        may_owe: false,
    };
    post(c, ws, &p, now).await?;
    Ok(())
}

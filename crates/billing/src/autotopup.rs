//! Automatic top-ups (platform billing): when a workspace's balance falls below its threshold,
//! the card it kept at a top-up is charged off-session for the amount it chose. A burst of
//! debits starts one charge (`pending`, set in the debit's own transaction); each charge has
//! its number (`seq`) and Stripe's `Idempotency-Key` is `autotopup:<ws>:<seq>`, so a retried
//! job never charges twice and the wallet is credited once under the same key. A declined card
//! turns automatic top-ups off and tells the owners; nothing else stops.

use crate::gateway::GatewayError;
use crate::plans::{self, settings};
use crate::wallet::{self, Posted, Posting};
use crate::Billing;
use frontdesk_core::money::Micros;
use frontdesk_core::{Action, JobId, Timestamp, WorkspaceId};
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::jobs::JobError;
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::Platform;
use frontdesk_store::{row, Conn};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const JOB: &str = "billing.autotopup";

/// A charge still marked pending after this long is taken as lost (its job gave up): the next
/// debit below the threshold starts a new one.
const STALE_MS: i64 = Timestamp::DAY;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoTopup {
    pub workspace_id: WorkspaceId,
    pub enabled: bool,
    pub threshold_micros: i64,
    pub amount_minor: i64,
    pub payment_method: Option<String>,
    pub card: Option<String>,
    pub seq: i64,
    pub pending: bool,
    pub last_error: Option<String>,
    pub updated_at: i64,
}

row::table!(AutoTopup in "wallet_autotopups" {
    workspace_id, enabled, threshold_micros, amount_minor, payment_method, card, seq, pending, last_error, updated_at
});

/// The owner's choice.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoTopupInput {
    pub enabled: bool,
    /// Below this balance (a decimal in the operator's currency, `5.00`) the card is charged.
    pub threshold: String,
    /// What is charged each time, in minor units (within the top-up limits).
    pub amount_minor: i64,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct AutoTopupOut {
    pub enabled: bool,
    pub threshold: String,
    pub amount_minor: i64,
    /// The card kept for it (`visa ·4242`), none until a top-up keeps one.
    pub card: Option<String>,
    /// Why the last automatic top-up failed (Stripe's code, `card_declined`), if it did.
    pub last_error: Option<String>,
}

pub fn out(a: Option<&AutoTopup>) -> AutoTopupOut {
    match a {
        Some(a) => AutoTopupOut {
            enabled: a.enabled,
            threshold: Micros(a.threshold_micros).decimal(),
            amount_minor: a.amount_minor,
            card: a.card.clone(),
            last_error: a.last_error.clone(),
        },
        None => AutoTopupOut {
            enabled: false,
            threshold: Micros(0).decimal(),
            amount_minor: 0,
            card: None,
            last_error: None,
        },
    }
}

pub async fn of(c: &mut Conn, ws: &WorkspaceId) -> AppResult<Option<AutoTopup>> {
    Ok(row::find(c, "WHERE workspace_id = $1", ws).await?)
}

/// The owner turns automatic top-ups on or off, or changes the threshold or the amount.
pub async fn set(b: &Billing, access: &Access, i: &AutoTopupInput) -> AppResult<AutoTopupOut> {
    let s = settings(b)?;
    if !frontdesk_core::role::allows(access.role, Action::ManagePayments) {
        return Err(AppError::forbidden("Only owners and admins set automatic top-ups."));
    }
    let threshold = Micros::parse(i.threshold.trim()).ok().filter(|m| m.0 >= 0).ok_or_else(|| {
        AppError::invalid("threshold", "invalid_threshold", "Give the balance to top up below, like 5.00.")
    })?;
    plans::in_topup_range(s, i.amount_minor)?;
    let ws = &access.workspace.id;
    let now = b.now().0;
    let mut tx = b.db.begin().await?;
    let current = of(&mut tx, ws).await?;
    if i.enabled && current.as_ref().and_then(|a| a.payment_method.as_ref()).is_none() {
        return Err(AppError::new(
            ErrorKind::Conflict,
            "no_saved_card",
            "Top up once by card and keep the card for automatic top-ups first.",
        ));
    }
    row::execute(
        &mut tx,
        "INSERT INTO wallet_autotopups (workspace_id, enabled, threshold_micros, amount_minor, seq, pending, updated_at) \
         VALUES ($1, $2, $3, $4, 0, 0, $5) ON CONFLICT (workspace_id) DO UPDATE SET enabled = excluded.enabled, \
         threshold_micros = excluded.threshold_micros, amount_minor = excluded.amount_minor, \
         last_error = CASE WHEN excluded.enabled = 1 THEN NULL ELSE wallet_autotopups.last_error END, \
         updated_at = excluded.updated_at",
        (ws, i.enabled, threshold.0, i.amount_minor, now),
    )
    .await?;
    let what = if i.enabled { format!("on below {} by {}", threshold.decimal(), i.amount_minor) } else { "off".into() };
    audit::record(b, &mut tx, ws.as_str(), &access.actor, "wallet.autotopup", Some(("workspace", ws.as_str())), &what)
        .await?;
    // Already below the threshold: the first charge starts now.
    check(b, &mut tx, ws).await?;
    let a = of(&mut tx, ws).await?;
    tx.commit().await?;
    Ok(out(a.as_ref()))
}

/// Keeps the card of a paid top-up (a Stripe payment method of the workspace's customer).
pub async fn keep_card(b: &Billing, ws: &WorkspaceId, payment_method: &str, card: Option<&str>) -> AppResult<()> {
    let s = settings(b)?;
    let now = b.now().0;
    let low = Micros::parse(&s.low_balance).unwrap_or_default();
    let mut c = b.db.conn().await?;
    row::execute(
        &mut c,
        "INSERT INTO wallet_autotopups (workspace_id, enabled, threshold_micros, amount_minor, payment_method, card, seq, \
         pending, updated_at) VALUES ($1, 0, $2, $3, $4, $5, 0, 0, $6) ON CONFLICT (workspace_id) DO UPDATE SET \
         payment_method = excluded.payment_method, card = excluded.card, last_error = NULL, updated_at = excluded.updated_at",
        (ws, low.0, s.topup_min_minor.max(1000).min(s.topup_max_minor), payment_method, card, now),
    )
    .await?;
    Ok(())
}

/// Inside a transaction that lowered the balance: when it is now below the threshold and no
/// charge is under way, the next charge is numbered and queued (once for a burst of debits).
pub async fn check(b: &Billing, c: &mut Conn, ws: &WorkspaceId) -> AppResult<()> {
    let now = b.now().0;
    let started = row::one_changed(
        c,
        "UPDATE wallet_autotopups SET seq = seq + 1, pending = 1, updated_at = $1 WHERE workspace_id = $2 \
         AND enabled = 1 AND payment_method IS NOT NULL AND (pending = 0 OR updated_at < $3) \
         AND threshold_micros > COALESCE((SELECT balance_micros FROM wallet_balances WHERE workspace_id = $2), 0)",
        (now, ws, now - STALE_MS),
    )
    .await?;
    if !started {
        return Ok(());
    }
    let seq: i64 = row::scalar(c, "SELECT seq FROM wallet_autotopups WHERE workspace_id = $1", ws).await?;
    let p: &Platform = b.as_ref();
    let payload = serde_json::json!({ "workspace_id": ws, "seq": seq }).to_string();
    let key = format!("autotopup:{ws}:{seq}");
    frontdesk_platform::jobs::enqueue_with_id(p, c, &JobId::new(), JOB, &payload, Some(&key), 8).await?;
    Ok(())
}

/// The job: charges the kept card for charge number `seq`.
pub async fn job(b: Billing, job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    let v: serde_json::Value =
        serde_json::from_str(&job.payload).map_err(|e| JobError::Permanent(format!("bad auto top-up job: {e}")))?;
    let ws = v["workspace_id"].as_str().and_then(WorkspaceId::parse);
    let (Some(ws), Some(seq)) = (ws, v["seq"].as_i64()) else {
        return Err(JobError::Permanent("bad auto top-up job".into()));
    };
    run(&b, &ws, seq).await.map_err(|e| JobError::Transient(e.to_string()))?.map_err(JobError::Transient)
}

fn system() -> Actor {
    Actor { kind: "system", id: Some("billing".into()), ip: None }
}

/// `Ok(Err(_))`: the provider could not be asked; the job tries again with the same key.
async fn run(b: &Billing, ws: &WorkspaceId, seq: i64) -> AppResult<Result<(), String>> {
    let s = settings(b)?;
    let (a, customer) = {
        let mut c = b.db.conn().await?;
        let a = of(&mut c, ws).await?;
        let customer = plans::subscription(&mut c, ws).await?.and_then(|x| x.stripe_customer_id);
        (a, customer)
    };
    let Some(a) = a.filter(|a| a.enabled && a.pending && a.seq == seq) else { return Ok(Ok(())) };
    let (Some(pm), Some(customer)) = (a.payment_method.clone(), customer) else { return Ok(Ok(())) };
    let key = format!("autotopup:{ws}:{seq}");
    let cur = s.currency();
    let name = {
        let mut c = b.db.conn().await?;
        frontdesk_platform::repo::workspaces::by_id(&mut c, ws).await?.map(|w| w.name).unwrap_or_default()
    };
    let charged = b
        .stripe_client()
        .charge_off_session(
            &s.stripe_secret_key,
            crate::stripe::OffSession {
                customer: &customer,
                payment_method: &pm,
                amount_minor: a.amount_minor,
                currency: cur.code(),
                description: &format!("{name} · automatic top-up"),
                reference: &key,
                idempotency_key: &key,
            },
        )
        .await;
    let now = b.now().0;
    let declined = match charged {
        Ok(v) if v["status"].as_str() == Some("succeeded") => {
            let intent = v["id"].as_str().unwrap_or_default().to_string();
            let amount = v["amount"].as_i64().unwrap_or(a.amount_minor);
            let micros = Micros::from_minor(amount, cur).ok_or_else(AppError::internal)?;
            let mut tx = b.db.begin().await?;
            let p = Posting {
                kind: "topup",
                amount: micros,
                key: &key,
                reason: Some("automatic"),
                actor: "stripe",
                may_owe: false,
            };
            if let Posted::Done(after) = wallet::post(&mut tx, ws, &p, now).await? {
                row::execute(
                    &mut tx,
                    "INSERT INTO wallet_topups (id, workspace_id, amount_minor, currency, status, created_by, created_at, \
                     updated_at, intent_id, auto) VALUES ($1, $2, $3, $4, 'paid', 'system', $5, $5, $6, 1)",
                    (JobId::new().to_string(), ws, amount, cur.code(), now, intent.as_str()),
                )
                .await?;
                row::execute(&mut tx, "UPDATE wallet_balances SET low_notified_at = NULL WHERE workspace_id = $1", ws)
                    .await?;
                audit::record(
                    b,
                    &mut tx,
                    ws.as_str(),
                    &system(),
                    "wallet.autotopup_paid",
                    Some(("workspace", ws.as_str())),
                    &micros.decimal(),
                )
                .await?;
                plans::receipt(b, &mut tx, ws, amount, after, &intent).await?;
            }
            row::execute(
                &mut tx,
                "UPDATE wallet_autotopups SET pending = 0, last_error = NULL, updated_at = $1 WHERE workspace_id = $2 AND seq = $3",
                (now, ws, seq),
            )
            .await?;
            tx.commit().await?;
            return Ok(Ok(()));
        }
        // Confirmed but not paid (the bank asks the holder to authenticate): as declined.
        Ok(v) => v["status"].as_str().unwrap_or("requires_action").to_string(),
        Err(GatewayError::Rejected { code, .. }) => code,
        Err(GatewayError::Unavailable(e)) => return Ok(Err(e)),
    };
    let code: String = declined.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(60).collect();
    let mut tx = b.db.begin().await?;
    row::execute(
        &mut tx,
        "UPDATE wallet_autotopups SET enabled = 0, pending = 0, last_error = $1, updated_at = $2 WHERE workspace_id = $3",
        (code.as_str(), now, ws),
    )
    .await?;
    audit::record(
        b,
        &mut tx,
        ws.as_str(),
        &system(),
        "wallet.autotopup_failed",
        Some(("workspace", ws.as_str())),
        &code,
    )
    .await?;
    let p: &Platform = b.as_ref();
    let link = format!("{}/w/{ws}/billing", p.settings.base_url);
    let amount = frontdesk_core::money::Money::new(a.amount_minor, cur);
    crate::accounts::mail_owners(b, &mut tx, ws, |lang| {
        let amount = lang.money(amount);
        (
            frontdesk_i18n::tl!(lang, "plan-auto-failed-subject", workspace = name.as_str()),
            frontdesk_i18n::tl!(
                lang,
                "plan-auto-failed-body",
                workspace = name.as_str(),
                amount = amount,
                reason = code.as_str(),
                link = link.as_str()
            ),
        )
    })
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

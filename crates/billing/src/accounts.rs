//! A workspace's payment accounts: one per provider, its secret key sealed in the vault. On
//! connecting, Frontdesk creates the provider's webhook endpoint itself (pinned API version) at
//! `/webhooks/{provider}/{account id}` and keeps its signing secret, sealed too. Owners and
//! admins only; every change is audited and emailed to every owner.

use crate::gateway::GatewayError;
use crate::repo::{self as q, Account};
use crate::Billing;
use frontdesk_core::{Action, PaymentAccountId};
use frontdesk_i18n::tl;
use frontdesk_platform::audit;
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::mail;
use frontdesk_platform::vault::Place;
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::Platform;
use frontdesk_store::Conn;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Connecting (or replacing) an account.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct AccountInput {
    /// The provider's secret key (Stripe: `sk_live_…`, `sk_test_…` or a restricted `rk_…` key).
    pub secret_key: String,
}

/// An account as shown: never its secrets.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct AccountOut {
    pub id: String,
    pub provider: String,
    /// The key's last four characters.
    pub key_hint: String,
    pub livemode: bool,
    /// Where the provider sends its events.
    pub webhook_url: String,
    pub created_at: String,
    pub updated_at: String,
}

pub fn out(b: &Billing, a: &Account) -> AccountOut {
    AccountOut {
        id: a.id.to_string(),
        provider: a.provider.clone(),
        key_hint: a.key_hint.clone(),
        livemode: a.livemode,
        webhook_url: webhook_url(b, &a.provider, &a.id),
        created_at: frontdesk_core::Timestamp(a.created_at).to_rfc3339(),
        updated_at: frontdesk_core::Timestamp(a.updated_at).to_rfc3339(),
    }
}

pub fn webhook_url(b: &Billing, provider: &str, id: &PaymentAccountId) -> String {
    let p: &Platform = b.as_ref();
    format!("{}/webhooks/{provider}/{id}", p.settings.base_url.trim_end_matches('/'))
}

fn place<'a>(a: &'a Account, column: &'a str) -> Place<'a> {
    Place { workspace: a.workspace_id.as_str(), table: "payment_accounts", column, row: a.id.as_str() }
}

/// The account's secret key and webhook secret, opened.
pub fn secrets(b: &Billing, a: &Account) -> AppResult<(String, String)> {
    let p: &Platform = b.as_ref();
    let open = |col: &str, v: &str| {
        p.vault.open(place(a, col), v).map_err(|e| {
            tracing::error!(account = %a.id, error = %e, "payment account secrets do not open");
            AppError::internal()
        })
    };
    let key = String::from_utf8(open("secret_key", &a.secret_key)?).map_err(|_| AppError::internal())?;
    let hook = String::from_utf8(open("webhook_secret", &a.webhook_secret)?).map_err(|_| AppError::internal())?;
    Ok((key, hook))
}

fn check(access: &Access) -> AppResult<()> {
    if !frontdesk_core::role::allows(access.role, Action::ManagePayments) {
        return Err(AppError::forbidden("Only owners and admins manage payment accounts."));
    }
    Ok(())
}

fn provider_of(b: &Billing, provider: &str) -> AppResult<&'static str> {
    match b.gateway(provider) {
        Some(g) => Ok(g.provider()),
        None => Err(AppError::not_found("The payment provider")),
    }
}

pub fn refused(e: GatewayError) -> AppError {
    match e {
        GatewayError::Rejected { message, .. } => AppError::new(
            ErrorKind::Invalid,
            "provider_refused",
            format!(
                "The payment provider refused this: {}",
                if message.is_empty() { "no reason given" } else { &message }
            ),
        ),
        GatewayError::Unavailable(e) => {
            tracing::warn!(error = %e, "payment provider unavailable");
            AppError::new(
                ErrorKind::Unavailable,
                "payments_unavailable",
                "The payment provider cannot be reached right now; try again in a moment.",
            )
        }
    }
}

pub async fn list(b: &Billing, access: &Access) -> AppResult<Vec<Account>> {
    check(access)?;
    let mut c = b.db.conn().await?;
    Ok(q::accounts(&mut c, &access.workspace.id).await?)
}

/// Connects the workspace to the provider with `secret_key`, or replaces the key of the one
/// connected (its webhook URL stays; a new endpoint is made and the old one removed).
pub async fn connect(b: &Billing, access: &Access, provider: &str, input: &AccountInput) -> AppResult<Account> {
    check(access)?;
    let provider = provider_of(b, provider)?;
    let g = b.gateway(provider).ok_or_else(AppError::internal)?;
    let key = input.secret_key.trim();
    if !g.key_looks_valid(key) {
        return Err(AppError::invalid(
            "secret_key",
            "invalid_secret_key",
            "This is not a secret key of this provider (Stripe's start with sk_ or rk_).",
        ));
    }
    let ws = &access.workspace.id;
    let existing = {
        let mut c = b.db.conn().await?;
        q::account(&mut c, ws, provider).await?
    };
    let id = existing.as_ref().map(|a| a.id.clone()).unwrap_or_default();
    let endpoint = g.create_endpoint(key, &webhook_url(b, provider, &id)).await.map_err(refused)?;
    let now = b.now().0;
    let mut a = Account {
        id: id.clone(),
        workspace_id: ws.clone(),
        provider: provider.to_string(),
        secret_key: String::new(),
        webhook_secret: String::new(),
        webhook_endpoint_id: endpoint.id.clone(),
        key_hint: key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect(),
        livemode: key.contains("_live_"),
        created_by: Some(actor_label(&access.actor)),
        created_at: existing.as_ref().map(|e| e.created_at).unwrap_or(now),
        updated_at: now,
    };
    let p: &Platform = b.as_ref();
    a.secret_key = p.vault.seal(place(&a, "secret_key"), key.as_bytes());
    a.webhook_secret = p.vault.seal(place(&a, "webhook_secret"), endpoint.secret.as_bytes());
    let mut tx = b.db.begin().await?;
    if let Some(old) = &existing {
        q::delete_account(&mut tx, ws, &old.id).await?;
    }
    q::insert_account(&mut tx, &a).await?;
    let what = if existing.is_some() { "payment_account.replace" } else { "payment_account.connect" };
    audit::record(b, &mut tx, ws.as_str(), &access.actor, what, Some(("payment_account", a.id.as_str())), provider)
        .await?;
    tell_owners(b, &mut tx, access, provider, if existing.is_some() { "changed" } else { "connected" }).await?;
    tx.commit().await?;
    if let Some(old) = existing {
        // The old endpoint stops receiving: best effort, with the old key.
        if let Ok((old_key, _)) = secrets(b, &old) {
            if let Err(e) = g.delete_endpoint(&old_key, &old.webhook_endpoint_id).await {
                tracing::warn!(error = %e, "the old webhook endpoint could not be removed");
            }
        }
    }
    Ok(a)
}

/// Disconnects the provider: its endpoint is removed there, the secrets here. Payments made
/// through it stay (financial records).
pub async fn disconnect(b: &Billing, access: &Access, provider: &str) -> AppResult<()> {
    check(access)?;
    let provider = provider_of(b, provider)?;
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    let a = q::account(&mut tx, ws, provider).await?.ok_or_else(|| AppError::not_found("The payment account"))?;
    q::delete_account(&mut tx, ws, &a.id).await?;
    audit::record(
        b,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "payment_account.disconnect",
        Some(("payment_account", a.id.as_str())),
        provider,
    )
    .await?;
    tell_owners(b, &mut tx, access, provider, "disconnected").await?;
    tx.commit().await?;
    if let (Some(g), Ok((key, _))) = (b.gateway(provider), secrets(b, &a)) {
        if let Err(e) = g.delete_endpoint(&key, &a.webhook_endpoint_id).await {
            tracing::warn!(error = %e, "the webhook endpoint could not be removed");
        }
    }
    Ok(())
}

pub fn actor_label(a: &audit::Actor) -> String {
    match &a.id {
        Some(id) => format!("{}:{id}", a.kind),
        None => a.kind.to_string(),
    }
}

/// Every owner hears of a change to where the money goes, in their own language.
async fn tell_owners(b: &Billing, c: &mut Conn, access: &Access, provider: &str, what: &str) -> AppResult<()> {
    let p: &Platform = b.as_ref();
    let ws = &access.workspace;
    let members = frontdesk_platform::repo::workspaces::members(c, &ws.id).await?;
    let who = match access.actor.id.as_deref().and_then(frontdesk_core::UserId::parse) {
        Some(u) => members.iter().find(|m| m.user_id == u).map(|m| format!("{} <{}>", m.name, m.email)),
        None => None,
    }
    .unwrap_or_else(|| "an API token".into());
    let name = match provider {
        "stripe" => "Stripe",
        other => other,
    };
    let link = format!("{}/w/{}/settings/payments", p.settings.base_url, ws.id);
    mail_owners(b, c, &ws.id, |lang| {
        (
            tl!(lang, "pay-account-mail-subject", provider = name, workspace = ws.name.as_str()),
            tl!(
                lang,
                "pay-account-mail-body",
                provider = name,
                workspace = ws.name.as_str(),
                what = what,
                who = who.as_str(),
                link = link.as_str()
            ),
        )
    })
    .await
}

/// A mail to every owner of the workspace, in each one's own language: `words` gives the
/// subject and the text in a language.
pub async fn mail_owners(
    b: &Billing,
    c: &mut Conn,
    ws: &frontdesk_core::WorkspaceId,
    words: impl Fn(frontdesk_core::lang::Lang) -> (String, String),
) -> AppResult<()> {
    mail::to_owners(b.as_ref(), c, ws, words).await
}

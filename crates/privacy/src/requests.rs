//! Data-subject requests: `received → verified → in_progress → done | refused` (or `expired`
//! when nobody proved who they are), due 30 days after receipt (P41).
//!
//! - **The door.** A business's customer asks at `/privacy/{slug}`; a slug that names nobody
//!   gets the same answer as one that does, and nothing is stored or sent for it. The request
//!   goes to the workspace's owners by email and on their Privacy page (P10); staff may also
//!   record one for a contact they know.
//! - **Identity first.** When the email typed is one on file for a contact, a 6-digit code
//!   (15 minutes, 5 tries, kept as a hash) goes to it; the requester types it on the request's
//!   own page (a signed link). Otherwise an owner verifies by hand and says how (audited).
//!   Nothing is released, erased or changed before the request is verified and linked to a
//!   contact.
//! - **Fulfilment** is the owners' decision and runs every area's part through the `Subject`
//!   port in one transaction: an export is a ZIP of each area's JSON and the person's
//!   attachments (kept 7 days); an erasure follows the registry column by column, deletes the
//!   blobs after the commit, clears the person from the job queue, and on SQLite (with
//!   `secure_delete` on) truncates the write-ahead log so no copy of the old pages stays.

use crate::Privacy;
use frontdesk_core::lang::Lang;
use frontdesk_core::{Action, ContactId, JobId, Timestamp, WorkspaceId};
use frontdesk_i18n::tl;
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::mail::{self, Mail};
use frontdesk_platform::ports::Person;
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::{signed_link, Platform};
use frontdesk_store::{row, Conn};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const LINK: &str = "privacy.request";
pub const KINDS: &[&str] = &["access", "export", "rectify", "erase", "restrict", "object", "withdraw_consent"];
const DUE_DAYS: i64 = 30;
const CODE_MINUTES: i64 = 15;
const CODE_TRIES: i64 = 5;
const CODES_PER_REQUEST: i64 = 5;
/// An unverified request expires after this long.
const UNVERIFIED_DAYS: i64 = 14;
const EXPORT_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Request {
    pub id: String,
    pub workspace_id: WorkspaceId,
    pub contact_id: Option<String>,
    /// An account holder's own request (the workspace is `platform`).
    pub user_id: Option<String>,
    pub kind: String,
    pub status: String,
    pub email: Option<String>,
    pub details: Option<String>,
    pub lang: String,
    /// `public` (the privacy page) or `staff`.
    pub source: String,
    pub code_hash: Option<String>,
    pub code_expires_at: Option<i64>,
    pub code_tries: i64,
    pub codes_sent: i64,
    pub verified_at: Option<i64>,
    pub verified_how: Option<String>,
    pub due_at: i64,
    pub outcome: Option<String>,
    pub export_key: Option<String>,
    pub export_expires_at: Option<i64>,
    /// The last reminder sent to the owners: 0 none, 7 or 2 days before the due date.
    pub reminded: i64,
    pub done_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Request in "privacy_requests" {
    id, workspace_id, contact_id, user_id, kind, status, email, details, lang, source, code_hash, code_expires_at, code_tries,
    codes_sent, verified_at, verified_how, due_at, outcome, export_key, export_expires_at, reminded, done_at,
    created_at, updated_at
});

/// What the privacy page sends.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicInput {
    /// `access`, `export`, `rectify`, `erase`, `restrict`, `object` or `withdraw_consent`.
    pub kind: String,
    /// Where the code and the request's link go (a code only when it is on file).
    pub email: String,
    /// What they ask, in their words (what to correct, what they object to).
    #[serde(default)]
    pub details: Option<String>,
}

/// A request staff record for a contact they know.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffInput {
    pub kind: String,
    pub contact_id: String,
    #[serde(default)]
    pub details: Option<String>,
    /// How staff checked who the person is (`in person, with ID`): the request is verified.
    #[serde(default)]
    pub verified_how: Option<String>,
    /// Or: the conversation in which the person asked. A code and their request's link are
    /// sent there as a reply (through the gate), and they confirm it on their page.
    #[serde(default)]
    pub thread_id: Option<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct RequestOut {
    pub id: String,
    pub kind: String,
    /// `received`, `verified`, `in_progress`, `done`, `refused` or `expired`.
    pub status: String,
    pub contact_id: Option<String>,
    pub email: Option<String>,
    pub details: Option<String>,
    pub source: String,
    pub verified_how: Option<String>,
    pub outcome: Option<String>,
    pub received_at: String,
    pub due_at: String,
    pub overdue: bool,
    pub done_at: Option<String>,
    /// An export ready to download (until it is deleted, 7 days after it was made).
    pub export_ready: bool,
}

pub fn out(x: &Privacy, r: &Request) -> RequestOut {
    let now = x.now().0;
    RequestOut {
        id: r.id.clone(),
        kind: r.kind.clone(),
        status: r.status.clone(),
        contact_id: r.contact_id.clone(),
        email: r.email.clone(),
        details: r.details.clone(),
        source: r.source.clone(),
        verified_how: r.verified_how.clone(),
        outcome: r.outcome.clone(),
        received_at: Timestamp(r.created_at).to_rfc3339(),
        due_at: Timestamp(r.due_at).to_rfc3339(),
        overdue: open(r) && r.due_at < now,
        done_at: r.done_at.map(|t| Timestamp(t).to_rfc3339()),
        export_ready: export_ready(r, now),
    }
}

fn open(r: &Request) -> bool {
    matches!(r.status.as_str(), "received" | "verified" | "in_progress")
}

pub fn export_ready(r: &Request, now: i64) -> bool {
    r.export_key.is_some() && r.export_expires_at.is_some_and(|t| t > now)
}

/// The requester's link to their request (a signed link: purpose, workspace, id, version 1).
pub fn token(p: &Platform, r: &Request) -> String {
    signed_link::sign(&p.vault, LINK, r.workspace_id.as_str(), &r.id, 1)
}

pub fn link(p: &Platform, r: &Request) -> String {
    format!("{}/privacy/requests/{}", p.settings.base_url, token(p, r))
}

fn bad(field: &'static str, code: &'static str, message: &str) -> AppError {
    AppError::invalid(field, code, message)
}

fn not_found() -> AppError {
    AppError::not_found("The request")
}

fn conflict(code: &'static str, message: &str) -> AppError {
    AppError::new(ErrorKind::Conflict, code, message)
}

fn kind_of(k: &str) -> AppResult<String> {
    let k = k.trim();
    if KINDS.contains(&k) {
        Ok(k.to_string())
    } else {
        Err(bad(
            "kind",
            "invalid_request_kind",
            "Choose access, export, rectify, erase, restrict, object or withdraw_consent.",
        ))
    }
}

fn details_of(d: Option<&str>) -> AppResult<Option<String>> {
    let d = d.map(|s| frontdesk_core::text::scrub_nul(s.trim()).into_owned()).filter(|s| !s.is_empty());
    if d.as_ref().is_some_and(|s| s.chars().count() > 2000) {
        return Err(bad("details", "details_too_long", "Write at most 2000 characters."));
    }
    Ok(d)
}

fn email_of(e: &str) -> AppResult<String> {
    let e = e.trim().to_lowercase();
    let ok = e.len() <= 254
        && e.split_once('@').is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.starts_with('.'))
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(e)
    } else {
        Err(bad("email", "invalid_email", "Enter a valid email address."))
    }
}

fn code_hash(id: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{id}:{code}").as_bytes()))
}

fn new_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}

fn requester(ip: Option<&str>) -> Actor {
    Actor { kind: "requester", id: None, ip: ip.map(str::to_string) }
}

async fn business_name(c: &mut Conn, ws: &WorkspaceId) -> AppResult<String> {
    Ok(frontdesk_platform::repo::workspaces::by_id(c, ws).await?.map(|w| w.name).unwrap_or_default())
}

fn kind_words(lang: Lang, kind: &str) -> String {
    tl!(lang, "privacy-kind", kind = kind)
}

/// Tells the owners about a request (new, verified, due soon), in each one's language.
async fn tell_owners(x: &Privacy, c: &mut Conn, r: &Request, what: &str) -> AppResult<()> {
    let p: &Platform = x.as_ref();
    let name = business_name(c, &r.workspace_id).await?;
    let page = format!("{}/w/{}/privacy", p.settings.base_url, r.workspace_id);
    let due = Timestamp(r.due_at).to_rfc3339().get(..10).unwrap_or("").to_string();
    mail::to_owners(p, c, &r.workspace_id, |lang| {
        let kind = kind_words(lang, &r.kind);
        (
            tl!(lang, "privacy-owner-subject", what = what, business = name.as_str(), kind = kind.as_str()),
            tl!(
                lang,
                "privacy-owner-body",
                what = what,
                business = name.as_str(),
                kind = kind.as_str(),
                due = due.as_str(),
                link = page.as_str()
            ),
        )
    })
    .await
}

/// Mails the requester their request's link, with a code when one was made.
async fn tell_requester(x: &Privacy, c: &mut Conn, r: &Request, to: &str, code: Option<&str>) -> AppResult<()> {
    let p: &Platform = x.as_ref();
    let lang = Lang::parse(&r.lang).unwrap_or(Lang::En);
    let name = business_name(c, &r.workspace_id).await?;
    let kind = kind_words(lang, &r.kind);
    let text = match code {
        Some(code) => tl!(
            lang,
            "privacy-code-body",
            business = name.as_str(),
            kind = kind.as_str(),
            code = code,
            minutes = CODE_MINUTES,
            link = link(p, r)
        ),
        None => tl!(lang, "privacy-received-body", business = name.as_str(), kind = kind.as_str(), link = link(p, r)),
    };
    let subject = match code {
        Some(code) => tl!(lang, "privacy-code-subject", business = name.as_str(), code = code),
        None => tl!(lang, "privacy-received-subject", business = name.as_str()),
    };
    let from = tl!(lang, "privacy-from", business = name.as_str());
    mail::enqueue(p, c, &Mail { to: to.to_string(), subject, text, from_name: Some(from), ..Default::default() }).await
}

/// A customer's request at the business's privacy page. The answer is the same whether or not
/// the slug names a business (nothing is stored or sent when it does not).
pub async fn submit(x: &Privacy, slug: &str, i: &PublicInput, lang: Lang, ip: &str) -> AppResult<()> {
    let kind = kind_of(&i.kind)?;
    let email = email_of(&i.email)?;
    let details = details_of(i.details.as_deref())?;
    let p: &Platform = x.as_ref();
    p.limits.check(p.clock.as_ref(), "privacy", ip, Some(&email))?;
    let ws = match frontdesk_platform::profile::resolve_slug(p, slug).await? {
        Some(frontdesk_platform::profile::SlugTarget::Current(ws)) => ws,
        Some(frontdesk_platform::profile::SlugTarget::Moved { workspace, .. }) => workspace,
        None => return Ok(()),
    };
    let now = x.now().0;
    let mut tx = x.db.begin().await?;
    // The person on file: a contact whose email is the one typed.
    let mut contact = None;
    for s in x.subjects.iter() {
        if let Some(k) = s.find(&mut tx, &ws, &email).await?.into_iter().next() {
            contact = Some(k);
            break;
        }
    }
    let id = JobId::new().to_string();
    let code = contact.as_ref().map(|_| new_code());
    let r = Request {
        id: id.clone(),
        workspace_id: ws.clone(),
        contact_id: contact.map(|k| k.to_string()),
        kind,
        status: "received".into(),
        email: Some(email.clone()),
        details,
        lang: lang.code().into(),
        source: "public".into(),
        code_hash: code.as_deref().map(|c| code_hash(&id, c)),
        code_expires_at: code.as_ref().map(|_| now + CODE_MINUTES * Timestamp::MINUTE),
        codes_sent: i64::from(code.is_some()),
        due_at: now + DUE_DAYS * Timestamp::DAY,
        created_at: now,
        updated_at: now,
        ..Default::default()
    };
    row::insert(&mut tx, &r).await?;
    audit::record(
        p,
        &mut tx,
        ws.as_str(),
        &requester(Some(ip)),
        "privacy.request",
        Some(("privacy_request", &id)),
        &r.kind,
    )
    .await?;
    tell_requester(x, &mut tx, &r, &email, code.as_deref()).await?;
    tell_owners(x, &mut tx, &r, "new").await?;
    tx.commit().await?;
    Ok(())
}

/// The request a requester's link names.
pub async fn opened(x: &Privacy, token: &str) -> AppResult<Request> {
    let p: &Platform = x.as_ref();
    let l = signed_link::verify(&p.vault, LINK, token).filter(|l| l.stamp == 1).ok_or_else(not_found)?;
    let ws = WorkspaceId::parse(&l.scope).ok_or_else(not_found)?;
    let mut c = x.db.conn().await?;
    row::find(&mut c, "WHERE workspace_id = $1 AND id = $2", (&ws, l.id.as_str())).await?.ok_or_else(not_found)
}

/// The requester types their code.
pub async fn verify_code(x: &Privacy, token: &str, code: &str, ip: &str) -> AppResult<Request> {
    let r = opened(x, token).await?;
    let p: &Platform = x.as_ref();
    p.limits.check(p.clock.as_ref(), "privacy_code", ip, Some(&r.id))?;
    if r.status != "received" {
        return Err(conflict("already_verified", "This request does not wait for a code."));
    }
    let Some(hash) = r.code_hash.clone() else {
        return Err(conflict("no_code", "No code was sent for this request; the business will check who you are."));
    };
    if r.code_tries >= CODE_TRIES {
        return Err(AppError::new(
            ErrorKind::RateLimited { retry_after_secs: 900 },
            "too_many_tries",
            "Too many wrong codes; ask for a new one.",
        ));
    }
    let now = x.now().0;
    if r.code_expires_at.is_none_or(|t| t <= now) {
        return Err(bad("code", "code_expired", "The code has expired; ask for a new one."));
    }
    let given = code.trim();
    let mut tx = x.db.begin().await?;
    if given.len() != 6 || code_hash(&r.id, given) != hash {
        row::execute(
            &mut tx,
            "UPDATE privacy_requests SET code_tries = code_tries + 1, updated_at = $1 WHERE id = $2",
            (now, r.id.as_str()),
        )
        .await?;
        tx.commit().await?;
        return Err(bad("code", "wrong_code", "That is not the code we sent."));
    }
    let changed = row::one_changed(
        &mut tx,
        "UPDATE privacy_requests SET status = 'verified', verified_at = $1, verified_how = 'email_code', \
         code_hash = NULL, updated_at = $1 WHERE id = $2 AND status = 'received'",
        (now, r.id.as_str()),
    )
    .await?;
    if changed {
        audit::record(
            p,
            &mut tx,
            r.workspace_id.as_str(),
            &requester(Some(ip)),
            "privacy.verify",
            Some(("privacy_request", &r.id)),
            "email_code",
        )
        .await?;
        tell_owners(x, &mut tx, &r, "verified").await?;
    }
    let r: Request = row::find(&mut tx, "WHERE id = $1", r.id.as_str()).await?.ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(r)
}

/// The requester asks for a new code (to the email on file).
pub async fn resend_code(x: &Privacy, token: &str, ip: &str) -> AppResult<()> {
    let r = opened(x, token).await?;
    let p: &Platform = x.as_ref();
    p.limits.check(p.clock.as_ref(), "privacy", ip, Some(&r.id))?;
    if r.status != "received" || r.code_hash.is_none() && r.codes_sent == 0 {
        return Err(conflict("no_code", "No code was sent for this request; the business will check who you are."));
    }
    if r.codes_sent >= CODES_PER_REQUEST {
        return Err(AppError::new(
            ErrorKind::RateLimited { retry_after_secs: 3600 },
            "too_many_codes",
            "Enough codes were sent for this request; the business will check who you are.",
        ));
    }
    let Some(email) = r.email.clone() else { return Err(not_found()) };
    let now = x.now().0;
    let code = new_code();
    let mut tx = x.db.begin().await?;
    row::execute(
        &mut tx,
        "UPDATE privacy_requests SET code_hash = $1, code_expires_at = $2, code_tries = 0, codes_sent = codes_sent + 1, \
         updated_at = $3 WHERE id = $4",
        (code_hash(&r.id, &code), now + CODE_MINUTES * Timestamp::MINUTE, now, r.id.as_str()),
    )
    .await?;
    tell_requester(x, &mut tx, &r, &email, Some(&code)).await?;
    audit::record(
        p,
        &mut tx,
        r.workspace_id.as_str(),
        &requester(Some(ip)),
        "privacy.code",
        Some(("privacy_request", &r.id)),
        "sent",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// The owners' side.

fn may(access: &Access) -> AppResult<()> {
    if frontdesk_core::role::allows(access.role, Action::HandlePrivacy) {
        Ok(())
    } else {
        Err(AppError::forbidden("Only owners and admins handle privacy requests."))
    }
}

pub async fn list(x: &Privacy, access: &Access) -> AppResult<Vec<Request>> {
    may(access)?;
    let mut c = x.db.conn().await?;
    Ok(row::find_all(&mut c, "WHERE workspace_id = $1 ORDER BY created_at DESC LIMIT 500", &access.workspace.id)
        .await?)
}

pub async fn get(x: &Privacy, access: &Access, id: &str) -> AppResult<Request> {
    may(access)?;
    let mut c = x.db.conn().await?;
    row::find(&mut c, "WHERE workspace_id = $1 AND id = $2", (&access.workspace.id, id)).await?.ok_or_else(not_found)
}

async fn contact_in(x: &Privacy, c: &mut Conn, ws: &WorkspaceId, id: &str) -> AppResult<ContactId> {
    let nf = || AppError::not_found("The contact");
    let cid = ContactId::parse(id.trim()).ok_or_else(nf)?;
    frontdesk_inbox::repo::inbox::contact(c, ws, &cid).await?.ok_or_else(nf)?;
    let _ = x;
    Ok(cid)
}

fn how_of(how: &str) -> AppResult<String> {
    let h = frontdesk_core::text::scrub_nul(how.trim()).into_owned();
    if h.is_empty() || h.chars().count() > 300 {
        return Err(bad(
            "verified_how",
            "how_required",
            "Say how you checked who they are, in at most 300 characters.",
        ));
    }
    Ok(h)
}

/// Staff record a request for a contact they know, having checked who the person is.
pub async fn create(x: &Privacy, access: &Access, i: &StaffInput) -> AppResult<Request> {
    may(access)?;
    let kind = kind_of(&i.kind)?;
    let details = details_of(i.details.as_deref())?;
    let how = match (&i.verified_how, &i.thread_id) {
        (Some(h), _) => Some(how_of(h)?),
        (None, Some(_)) => None,
        (None, None) => return Err(how_of("").unwrap_err()),
    };
    let ws = &access.workspace.id;
    let now = x.now().0;
    let mut tx = x.db.begin().await?;
    let contact = contact_in(x, &mut tx, ws, &i.contact_id).await?;
    let k = frontdesk_inbox::repo::inbox::contact(&mut tx, ws, &contact).await?;
    let email = k.as_ref().and_then(|k| k.email.clone());
    // The conversation the code goes to: the contact's own.
    let thread = match (&how, &i.thread_id) {
        (None, Some(t)) => {
            let nf = || AppError::not_found("The thread");
            let id = frontdesk_core::ThreadId::parse(t.trim()).ok_or_else(nf)?;
            let th = frontdesk_inbox::repo::inbox::thread(&mut tx, ws, &id).await?.ok_or_else(nf)?;
            if th.contact_id != contact {
                return Err(bad("thread_id", "not_their_thread", "That conversation is not this contact's."));
            }
            Some(id)
        }
        _ => None,
    };
    let lang = match &thread {
        Some(_) => {
            frontdesk_inbox::customer_lang_in(&mut tx, ws, k.as_ref().and_then(|k| k.language.as_deref())).await?
        }
        None => access_lang(),
    };
    let id = JobId::new().to_string();
    let code = thread.as_ref().map(|_| new_code());
    let r = Request {
        id: id.clone(),
        workspace_id: ws.clone(),
        contact_id: Some(contact.to_string()),
        kind,
        status: if how.is_some() { "verified" } else { "received" }.into(),
        email,
        details,
        lang: lang.code().into(),
        source: "staff".into(),
        verified_at: how.as_ref().map(|_| now),
        verified_how: how,
        code_hash: code.as_deref().map(|c| code_hash(&id, c)),
        code_expires_at: code.as_ref().map(|_| now + CODE_MINUTES * Timestamp::MINUTE),
        codes_sent: i64::from(code.is_some()),
        due_at: now + DUE_DAYS * Timestamp::DAY,
        created_at: now,
        updated_at: now,
        ..Default::default()
    };
    row::insert(&mut tx, &r).await?;
    audit::record(
        x.as_ref(),
        &mut tx,
        ws.as_str(),
        &access.actor,
        "privacy.request",
        Some(("privacy_request", &r.id)),
        &r.kind,
    )
    .await?;
    if let (Some(thread), Some(code)) = (&thread, &code) {
        let p: &Platform = x.as_ref();
        let name = business_name(&mut tx, ws).await?;
        let text = tl!(
            lang,
            "privacy-chat-code",
            business = name.as_str(),
            code = code.as_str(),
            minutes = CODE_MINUTES,
            link = link(p, &r)
        );
        let key = format!("privacy-code:{id}");
        let sent =
            frontdesk_inbox::outbox::queue_system(&x.inbox, &mut tx, (ws, thread), text, &key, "privacy_code").await?;
        if let Some(d) = sent {
            return Err(conflict(
                "conversation_closed",
                &format!(
                    "The code cannot be sent in that conversation now ({}); verify the person another way.",
                    d.code()
                ),
            ));
        }
    }
    tx.commit().await?;
    Ok(r)
}

fn access_lang() -> Lang {
    frontdesk_i18n::current()
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyInput {
    /// How the person was checked (`called back on the number on file`).
    pub how: String,
    /// The contact the request is about, when the email did not find one.
    #[serde(default)]
    pub contact_id: Option<String>,
}

/// An owner verifies the person by hand (and links the contact, when the email found none).
pub async fn verify(x: &Privacy, access: &Access, id: &str, i: &VerifyInput) -> AppResult<Request> {
    let r = get(x, access, id).await?;
    if r.status != "received" {
        return Err(conflict("already_verified", "This request is not waiting to be verified."));
    }
    let how = how_of(&i.how)?;
    let ws = &access.workspace.id;
    let mut tx = x.db.begin().await?;
    let contact = match (&i.contact_id, &r.contact_id) {
        (Some(c), _) => Some(contact_in(x, &mut tx, ws, c).await?.to_string()),
        (None, Some(c)) => Some(c.clone()),
        (None, None) => None,
    };
    let Some(contact) = contact else {
        return Err(bad("contact_id", "contact_required", "Name the contact the request is about."));
    };
    let now = x.now().0;
    row::execute(
        &mut tx,
        "UPDATE privacy_requests SET status = 'verified', contact_id = $1, verified_at = $2, verified_how = $3, \
         code_hash = NULL, updated_at = $2 WHERE workspace_id = $4 AND id = $5",
        (contact.as_str(), now, how.as_str(), ws, r.id.as_str()),
    )
    .await?;
    audited(x, tx, &access.actor, &r, "privacy.verify", &how).await
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideInput {
    /// A note for the record (what was corrected); a refusal's reason.
    #[serde(default)]
    pub note: Option<String>,
}

/// An owner refuses the request, with a reason the requester sees.
pub async fn refuse(x: &Privacy, access: &Access, id: &str, i: &DecideInput) -> AppResult<Request> {
    let r = get(x, access, id).await?;
    refuse_request(x, &access.actor, &r, i.note.as_deref()).await
}

/// Refuses an open request (a workspace's or an account's: its audit chain is its
/// `workspace_id`) with the reason the requester sees.
pub(crate) async fn refuse_request(x: &Privacy, actor: &Actor, r: &Request, note: Option<&str>) -> AppResult<Request> {
    if !open(r) {
        return Err(conflict("request_closed", "This request is already answered."));
    }
    let reason =
        details_of(note)?.ok_or_else(|| bad("note", "refusal_reason_required", "Say why the request is refused."))?;
    let now = x.now().0;
    let mut tx = x.db.begin().await?;
    row::execute(
        &mut tx,
        "UPDATE privacy_requests SET status = 'refused', outcome = $1, done_at = $2, updated_at = $2 WHERE id = $3",
        (reason.as_str(), now, r.id.as_str()),
    )
    .await?;
    audited(x, tx, actor, r, "privacy.refuse", "refused").await
}

/// Audits `action` on the request in its chain, reads the request back and commits.
pub(crate) async fn audited(
    x: &Privacy,
    mut tx: frontdesk_store::Tx,
    actor: &Actor,
    r: &Request,
    action: &str,
    outcome: &str,
) -> AppResult<Request> {
    audit::record(
        x.as_ref(),
        &mut tx,
        r.workspace_id.as_str(),
        actor,
        action,
        Some(("privacy_request", &r.id)),
        outcome,
    )
    .await?;
    let r: Request = row::find(&mut tx, "WHERE id = $1", r.id.as_str()).await?.ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(r)
}

/// An owner fulfils a verified request: its kind's effect over every area, then `done`.
/// Access and export make the ZIP; erase erases; restrict (and an accepted objection)
/// restricts; withdraw consent opts the contact out everywhere; rectify records that the
/// values were corrected (the owner edits them on the contact's page).
pub async fn fulfil(x: &Privacy, access: &Access, id: &str, i: &DecideInput) -> AppResult<Request> {
    let r = get(x, access, id).await?;
    if !matches!(r.status.as_str(), "verified" | "in_progress") {
        return Err(conflict(
            if open(&r) { "not_verified" } else { "request_closed" },
            "Only a verified request can be fulfilled.",
        ));
    }
    let Some(contact) = r.contact_id.as_deref().and_then(ContactId::parse) else {
        return Err(bad("contact_id", "contact_required", "Name the contact the request is about."));
    };
    let note = details_of(i.note.as_deref())?;
    let who = Person { workspace: r.workspace_id.clone(), contact };
    let p: &Platform = x.as_ref();
    let now = x.now().0;
    {
        let mut c = x.db.conn().await?;
        row::execute(
            &mut c,
            "UPDATE privacy_requests SET status = 'in_progress', updated_at = $1 WHERE id = $2",
            (now, r.id.as_str()),
        )
        .await?;
    }
    let mut export: Option<String> = None;
    let mut blobs = vec![];
    let mut tx = x.db.begin().await?;
    match r.kind.as_str() {
        "access" | "export" => {
            let bytes = build_export(x, &mut tx, &who, &r).await?;
            let key = format!("privacy/{}/{}-export", r.workspace_id, r.id);
            p.blobs.put(&key, &bytes).await.map_err(|e| {
                tracing::error!(error = %e, "the export could not be stored");
                AppError::internal()
            })?;
            export = Some(key);
        }
        "erase" => {
            blobs = erase_in(x, &mut tx, &who).await?;
            // Exports made for them before go too.
            blobs.extend(
                row::scalars::<String>(
                    &mut tx,
                    "SELECT export_key FROM privacy_requests WHERE workspace_id = $1 AND contact_id = $2 AND export_key IS NOT NULL",
                    (&r.workspace_id, who.contact.as_str()),
                )
                .await?,
            );
            row::execute(
                &mut tx,
                "UPDATE privacy_requests SET export_key = NULL, export_expires_at = NULL WHERE workspace_id = $1 AND contact_id = $2",
                (&r.workspace_id, who.contact.as_str()),
            )
            .await?;
            // The person's requests keep no email or words of theirs.
            row::execute(
                &mut tx,
                "UPDATE privacy_requests SET email = NULL, details = NULL WHERE workspace_id = $1 AND (contact_id = $2 OR id = $3)",
                (&r.workspace_id, who.contact.as_str(), r.id.as_str()),
            )
            .await?;
        }
        "restrict" | "object" => {
            for s in x.subjects.iter() {
                s.restrict(&mut tx, &who, true).await?;
            }
        }
        "withdraw_consent" => {
            for s in x.subjects.iter() {
                s.withdraw_consent(&mut tx, &who).await?;
            }
        }
        _ => {}
    }
    row::execute(
        &mut tx,
        "UPDATE privacy_requests SET status = 'done', outcome = COALESCE($1, outcome), export_key = $2, \
         export_expires_at = $3, done_at = $4, updated_at = $4 WHERE id = $5",
        (
            note.as_deref(),
            export.as_deref(),
            export.as_ref().map(|_| now + EXPORT_DAYS * Timestamp::DAY),
            now,
            r.id.as_str(),
        ),
    )
    .await?;
    audit::record(
        p,
        &mut tx,
        r.workspace_id.as_str(),
        &access.actor,
        "privacy.fulfil",
        Some(("privacy_request", &r.id)),
        &r.kind,
    )
    .await?;
    // The requester hears it is done (not after an erasure: their address is gone with the
    // rest; the request's page says so).
    if r.kind != "erase" {
        if let Some(to) = r.email.as_deref() {
            let lang = Lang::parse(&r.lang).unwrap_or(Lang::En);
            let name = business_name(&mut tx, &r.workspace_id).await?;
            let kind = kind_words(lang, &r.kind);
            let mail = Mail {
                to: to.to_string(),
                subject: tl!(lang, "privacy-done-subject", business = name.as_str()),
                text: tl!(
                    lang,
                    "privacy-done-body",
                    business = name.as_str(),
                    kind = kind.as_str(),
                    link = link(p, &r)
                ),
                from_name: Some(tl!(lang, "privacy-from", business = name.as_str())),
                ..Default::default()
            };
            mail::enqueue(p, &mut tx, &mail).await?;
        }
    }
    let done: Request = row::find(&mut tx, "WHERE id = $1", r.id.as_str()).await?.ok_or_else(not_found)?;
    tx.commit().await?;
    if r.kind == "erase" {
        for b in blobs {
            if let Err(e) = p.blobs.delete(&b).await {
                tracing::warn!(error = %e, "an erased blob could not be deleted");
            }
        }
        checkpoint(x).await;
    }
    Ok(done)
}

/// An owner lifts a restriction (audited): processing starts again.
pub async fn lift(x: &Privacy, access: &Access, id: &str) -> AppResult<Request> {
    let r = get(x, access, id).await?;
    if !(matches!(r.kind.as_str(), "restrict" | "object") && r.status == "done") {
        return Err(conflict("not_restricted", "Only a fulfilled restriction can be lifted."));
    }
    let Some(contact) = r.contact_id.as_deref().and_then(ContactId::parse) else { return Err(not_found()) };
    let who = Person { workspace: r.workspace_id.clone(), contact };
    let mut tx = x.db.begin().await?;
    for s in x.subjects.iter() {
        s.restrict(&mut tx, &who, false).await?;
    }
    let now = x.now().0;
    row::execute(
        &mut tx,
        "UPDATE privacy_requests SET outcome = 'lifted', updated_at = $1 WHERE id = $2",
        (now, r.id.as_str()),
    )
    .await?;
    audited(x, tx, &access.actor, &r, "privacy.lift", "lifted").await
}

async fn build_export(x: &Privacy, c: &mut Conn, who: &Person, r: &Request) -> AppResult<Vec<u8>> {
    let p: &Platform = x.as_ref();
    let mut entries: Vec<(String, Vec<u8>)> = vec![];
    let about = serde_json::json!({
        "request": r.id, "kind": r.kind, "workspace": r.workspace_id, "made_at": Timestamp(x.now().0).to_rfc3339(),
    });
    entries.push(("request.json".into(), serde_json::to_vec_pretty(&about).unwrap_or_default()));
    for s in x.subjects.iter() {
        let held = s.export(c, who).await?;
        for (name, v) in held.files {
            entries.push((format!("{}/{name}", s.area()), serde_json::to_vec_pretty(&v).unwrap_or_default()));
        }
        for (name, key) in held.blobs {
            match p.blobs.get(&key).await {
                Ok(bytes) => entries.push((format!("{}/{name}", s.area()), bytes)),
                Err(e) => tracing::warn!(error = %e, "an attachment could not be read for an export"),
            }
        }
    }
    Ok(frontdesk_platform::zip::build(&entries))
}

/// Erases the person in every area, inside `c`'s transaction, and clears them from the job
/// queue (a queued mail to them, a finished job's payload); the blobs to delete after commit.
async fn erase_in(x: &Privacy, c: &mut Conn, who: &Person) -> AppResult<Vec<String>> {
    let mut names = vec![];
    for s in x.subjects.iter() {
        names.extend(s.names(c, who).await?);
    }
    let mut blobs = vec![];
    for s in x.subjects.iter() {
        blobs.extend(s.erase(c, who).await?.blobs);
    }
    clear_queue(x, c, names).await?;
    Ok(blobs)
}

/// Drops from the job queue every job whose payload names the person (a queued mail to them,
/// a finished job's payload); mails are opened from their seal to be read.
pub(crate) async fn clear_queue(x: &Privacy, c: &mut Conn, mut names: Vec<String>) -> AppResult<()> {
    names.retain(|n| n.chars().count() >= 4);
    if !names.is_empty() {
        let p: &Platform = x.as_ref();
        let jobs: Vec<(String, String, String)> = row::all_with(
            c,
            "SELECT id, kind, payload FROM jobs WHERE status <> 'running' AND payload <> ''",
            (),
            |r| {
                Ok((
                    row::FromColumn::from_column(r, "id")?,
                    row::FromColumn::from_column(r, "kind")?,
                    row::FromColumn::from_column(r, "payload")?,
                ))
            },
        )
        .await?;
        for (id, kind, payload) in jobs {
            let plain = if kind == mail::KIND {
                mail::open_queued(p, &id, &payload).map(|b| String::from_utf8_lossy(&b).into_owned())
            } else {
                Some(payload)
            };
            if plain.is_some_and(|t| names.iter().any(|n| t.contains(n.as_str()))) {
                row::execute(c, "DELETE FROM jobs WHERE id = $1 AND status <> 'running'", id.as_str()).await?;
            }
        }
    }
    Ok(())
}

/// SQLite: the erased pages are zeroed (`secure_delete`), and the write-ahead log, which still
/// holds the old pages until a checkpoint, is checkpointed and truncated.
pub(crate) async fn checkpoint(x: &Privacy) {
    if x.db.backend() != frontdesk_store::Backend::Sqlite {
        return;
    }
    match x.db.conn().await {
        Ok(mut c) => {
            if let Err(e) = row::raw_execute(&mut c, "PRAGMA wal_checkpoint(TRUNCATE)").await {
                tracing::warn!(error = %e, "the write-ahead log could not be truncated after an erasure");
            }
        }
        Err(e) => tracing::warn!(error = %e, "no connection to truncate the write-ahead log"),
    }
}

/// The export's bytes, for the requester's link or the owner's page.
pub async fn export_bytes(x: &Privacy, r: &Request) -> AppResult<Vec<u8>> {
    if r.status != "done" || !export_ready(r, x.now().0) {
        return Err(AppError::not_found("The export"));
    }
    let p: &Platform = x.as_ref();
    let key = r.export_key.clone().ok_or_else(|| AppError::not_found("The export"))?;
    p.blobs.get(&key).await.map_err(|_| AppError::not_found("The export"))
}

// Settings.

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// The platform's role for the workspace's customer data (`workspaces.data_role`, P09):
    /// `processor` (the default: the business is the controller and decides; Frontdesk
    /// processes the data for it) or `controller` (the operator's own workspace).
    pub data_role: String,
}

pub async fn settings(x: &Privacy, ws: &WorkspaceId) -> AppResult<SettingsBody> {
    let mut c = x.db.conn().await?;
    let role: Option<String> = row::opt_scalar(&mut c, "SELECT data_role FROM workspaces WHERE id = $1", ws).await?;
    Ok(SettingsBody { data_role: role.unwrap_or_else(|| "processor".into()) })
}

pub async fn set_settings(x: &Privacy, access: &Access, i: &SettingsBody) -> AppResult<SettingsBody> {
    may(access)?;
    let role = i.data_role.trim();
    if !matches!(role, "controller" | "processor") {
        return Err(bad("data_role", "invalid_data_role", "Choose controller or processor."));
    }
    let ws = &access.workspace.id;
    let mut tx = x.db.begin().await?;
    row::execute(&mut tx, "UPDATE workspaces SET data_role = $1 WHERE id = $2", (role, ws)).await?;
    audit::record(
        x.as_ref(),
        &mut tx,
        ws.as_str(),
        &access.actor,
        "privacy.settings",
        Some(("workspace", ws.as_str())),
        role,
    )
    .await?;
    tx.commit().await?;
    Ok(SettingsBody { data_role: role.into() })
}

/// Requests past their due date and still open, across workspaces (the operator's list).
pub async fn overdue(x: &Privacy) -> AppResult<Vec<(Request, String)>> {
    let mut c = x.db.conn().await?;
    let list: Vec<Request> = row::find_all(
        &mut c,
        "WHERE status IN ('received', 'verified', 'in_progress') AND due_at < $1 ORDER BY due_at",
        x.now().0,
    )
    .await?;
    let mut out = vec![];
    for r in list {
        let name = business_name(&mut c, &r.workspace_id).await?;
        out.push((r, name));
    }
    Ok(out)
}

/// The hourly sweep: unverified requests expire, owners are reminded at 7 and 2 days before
/// the due date, and exports past their 7 days are deleted. What it did: (expired, reminded,
/// exports deleted).
pub async fn sweep(x: &Privacy) -> AppResult<(u64, u64, u64)> {
    let now = x.now().0;
    let p: &Platform = x.as_ref();
    let mut c = x.db.conn().await?;
    // Unverified past their days: expired, each in its chain's audit.
    let stale: Vec<Request> =
        row::find_all(&mut c, "WHERE status = 'received' AND created_at < $1", now - UNVERIFIED_DAYS * Timestamp::DAY)
            .await?;
    let mut expired = 0;
    for r in stale {
        let mut tx = x.db.begin().await?;
        if row::one_changed(
            &mut tx,
            "UPDATE privacy_requests SET status = 'expired', code_hash = NULL, updated_at = $1 WHERE id = $2 AND status = 'received'",
            (now, r.id.as_str()),
        )
        .await?
        {
            let system = Actor { kind: "system", id: Some("privacy".into()), ip: None };
            audit::record(p, &mut tx, r.workspace_id.as_str(), &system, "privacy.expire", Some(("privacy_request", &r.id)), "unverified")
                .await?;
            expired += 1;
        }
        tx.commit().await?;
    }
    let mut reminded = 0;
    for (days, mark) in [(2i64, 2i64), (7, 7)] {
        let due: Vec<Request> = row::find_all(
            &mut c,
            "WHERE status IN ('received', 'verified', 'in_progress') AND due_at <= $1 AND due_at > $2 \
             AND (reminded = 0 OR reminded > $3)",
            (now + days * Timestamp::DAY, now, mark),
        )
        .await?;
        for r in due {
            let mut tx = x.db.begin().await?;
            if row::one_changed(
                &mut tx,
                "UPDATE privacy_requests SET reminded = $1 WHERE id = $2 AND (reminded = 0 OR reminded > $1)",
                (mark, r.id.as_str()),
            )
            .await?
            {
                let what = if mark == 2 { "due_2" } else { "due_7" };
                tell_owners(x, &mut tx, &r, what).await?;
                reminded += 1;
            }
            tx.commit().await?;
        }
    }
    let old: Vec<Request> =
        row::find_all(&mut c, "WHERE export_key IS NOT NULL AND export_expires_at <= $1", now).await?;
    let mut deleted = 0;
    for r in old {
        if let Some(k) = &r.export_key {
            if let Err(e) = p.blobs.delete(k).await {
                tracing::warn!(error = %e, "an old export could not be deleted");
                continue;
            }
        }
        row::execute(&mut c, "UPDATE privacy_requests SET export_key = NULL WHERE id = $1", r.id.as_str()).await?;
        deleted += 1;
    }
    if expired + reminded + deleted > 0 {
        tracing::info!(expired, reminded, exports_deleted = deleted, "privacy sweep");
    }
    Ok((expired, reminded, deleted))
}

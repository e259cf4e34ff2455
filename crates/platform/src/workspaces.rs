//! Workspaces and who may do what in them: creation, members and roles, invitations, API
//! tokens, switching, and the audit view. Every use case starts with [`authorize`], which asks
//! the permission matrix in `core`.

use crate::audit::{self, Actor};
use crate::crypto::{random_token, token_hash};
use crate::error::ErrorKind;
use crate::mail::{self, Mail};
use crate::repo::workspaces::{self as q, NewApiToken, NewInvitation};
pub use crate::repo::workspaces::{ApiToken, Invitation, Member, Workspace};
use crate::tl;
use crate::{AppError, AppResult, Platform};
use frontdesk_core::lang::Lang;
use frontdesk_core::role::{allows, check_membership_change, may_invite, MembershipRefusal};
use frontdesk_core::values::parse_label;
use frontdesk_core::{Action, ApiTokenId, Email, InvitationId, Role, UserId, WorkspaceId, WorkspaceName};
use frontdesk_store::Conn;

/// A role as people read it, in `lang` ("owner", "propietario").
fn role_name(app: &Platform, lang: Lang, role: Role) -> String {
    let w = app.speak(lang);
    match role {
        Role::Owner => tl!(w, "role-owner"),
        Role::Admin => tl!(w, "role-admin"),
        Role::Agent => tl!(w, "role-agent"),
        Role::Viewer => tl!(w, "role-viewer"),
    }
}

/// The language of a mail to `user`: their own setting, else the request's that sent it.
pub(crate) fn mail_lang(app: &Platform, user: Option<&crate::repo::users::User>) -> Lang {
    user.and_then(|u| u.lang.as_deref()).and_then(Lang::parse).unwrap_or_else(|| app.words.current())
}

/// Who is calling: a signed-in user or a workspace API token.
#[derive(Clone, Debug)]
pub enum Principal {
    User { id: UserId, ip: Option<String> },
    Token { token: ApiToken, ip: Option<String> },
}

impl Principal {
    pub fn actor(&self) -> Actor {
        match self {
            Self::User { id, ip } => Actor::user(id, ip.as_deref()),
            Self::Token { token, ip } => Actor::token(&token.id, ip.as_deref()),
        }
    }
    pub fn user_id(&self) -> Option<&UserId> {
        match self {
            Self::User { id, .. } => Some(id),
            Self::Token { .. } => None,
        }
    }
}

/// Proof that the principal may act in a workspace, with the role it acts with.
#[derive(Clone, Debug)]
pub struct Access {
    pub workspace: Workspace,
    pub role: Role,
    pub actor: Actor,
}

fn not_found() -> AppError {
    AppError::not_found("The workspace")
}

/// Resolves the principal's role in `workspace` and checks `action` against the matrix. A
/// workspace the principal does not belong to is "not found", so ids cannot be probed.
pub async fn authorize(app: &Platform, p: &Principal, workspace: &str, action: Action) -> AppResult<Access> {
    let ws_id = WorkspaceId::parse(workspace).ok_or_else(not_found)?;
    let mut c = app.db.conn().await?;
    let role = match p {
        Principal::Token { token, .. } => (token.workspace_id == ws_id).then_some(token.role),
        Principal::User { id, .. } => q::role_of_member(&mut c, &ws_id, id).await?,
    }
    .ok_or_else(not_found)?;
    let ws = q::by_id(&mut c, &ws_id).await?.ok_or_else(not_found)?;
    if ws.suspended_at.is_some() {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "workspace_suspended",
            "This workspace is suspended by the server's operator.",
        ));
    }
    if !allows(role, action) {
        return Err(AppError::forbidden(format!("Your role ({role}) does not allow this.")));
    }
    Ok(Access { workspace: ws, role, actor: p.actor() })
}

pub async fn create(app: &Platform, owner: &UserId, name: &str, actor: &Actor) -> AppResult<Workspace> {
    let name = WorkspaceName::parse(name)?;
    let id = WorkspaceId::new();
    let now = app.now();
    let mut tx = app.db.begin().await?;
    q::insert(&mut tx, &id, name.as_str(), now).await?;
    q::add_member(&mut tx, &id, owner, Role::Owner, now).await?;
    crate::profile::create_for(&mut tx, &id, name.as_str(), now).await?;
    audit::record(app, &mut tx, id.as_str(), actor, "workspace.create", Some(("workspace", id.as_str())), "ok").await?;
    audit::record(app, &mut tx, id.as_str(), actor, "member.add", Some(("user", owner.as_str())), "owner").await?;
    let ws = q::by_id(&mut tx, &id).await?.ok_or_else(AppError::internal)?;
    tx.commit().await?;
    Ok(ws)
}

pub async fn rename(app: &Platform, access: &Access, name: &str) -> AppResult<Workspace> {
    let name = WorkspaceName::parse(name)?;
    let id = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    q::rename(&mut tx, id, name.as_str(), app.now()).await?;
    audit::record(app, &mut tx, id.as_str(), &access.actor, "workspace.rename", Some(("workspace", id.as_str())), "ok")
        .await?;
    let ws = q::by_id(&mut tx, id).await?.ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(ws)
}

pub async fn list_for(app: &Platform, user: &UserId) -> AppResult<Vec<(Workspace, Role)>> {
    let mut c = app.db.conn().await?;
    Ok(q::workspaces_of(&mut c, user).await?)
}

/// Makes `workspace` the session's current one (the user must belong to it).
pub async fn switch(app: &Platform, signed: &crate::context::SignedIn, workspace: &str) -> AppResult<()> {
    let p = Principal::User { id: signed.user.id.clone(), ip: None };
    let access = authorize(app, &p, workspace, Action::ViewWorkspace).await?;
    let mut c = app.db.conn().await?;
    crate::repo::users::set_session_workspace(&mut c, &signed.session.id, &access.workspace.id).await?;
    Ok(())
}

pub async fn members(app: &Platform, access: &Access) -> AppResult<Vec<Member>> {
    let mut c = app.db.conn().await?;
    Ok(q::members(&mut c, &access.workspace.id).await?)
}

fn refusal(r: MembershipRefusal) -> AppError {
    match r {
        MembershipRefusal::Forbidden => AppError::forbidden("Your role does not allow changing members."),
        MembershipRefusal::OwnerOnly => AppError::forbidden("Only an owner can grant or remove the owner role."),
        MembershipRefusal::LastOwner => AppError::new(
            ErrorKind::Conflict,
            "last_owner",
            "A workspace needs at least one owner; make someone else owner first.",
        ),
    }
}

/// Changes a member's role (`Some`) or removes them (`None`). Members may always leave,
/// except the last owner.
pub async fn change_member(
    app: &Platform,
    p: &Principal,
    workspace: &str,
    member: &str,
    new: Option<Role>,
) -> AppResult<()> {
    let leaving_self = new.is_none() && p.user_id().map(|u| u.as_str()) == Some(member);
    let action = if leaving_self {
        Action::ViewWorkspace
    } else if new.is_some() {
        Action::ChangeRoles
    } else {
        Action::RemoveMembers
    };
    let access = authorize(app, p, workspace, action).await?;
    let member = UserId::parse(member).ok_or_else(|| AppError::not_found("The member"))?;
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    let current = q::role_of_member(&mut tx, ws, &member).await?.ok_or_else(|| AppError::not_found("The member"))?;
    let owners = q::count_owners(&mut tx, ws).await? as usize;
    // Someone leaving acts with the rights they have over themselves.
    let acting = if leaving_self { Role::Owner } else { access.role };
    check_membership_change(acting, current, new, owners).map_err(refusal)?;
    match new {
        Some(role) => {
            q::set_role(&mut tx, ws, &member, role).await?;
            audit::record(
                app,
                &mut tx,
                ws.as_str(),
                &access.actor,
                "member.role_change",
                Some(("user", member.as_str())),
                role.as_str(),
            )
            .await?;
        }
        None => {
            q::remove_member(&mut tx, ws, &member).await?;
            audit::record(
                app,
                &mut tx,
                ws.as_str(),
                &access.actor,
                "member.remove",
                Some(("user", member.as_str())),
                "ok",
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

// ---- invitations ----

pub async fn invite(app: &Platform, access: &Access, email: &str, role: Role) -> AppResult<Invitation> {
    let email = Email::parse(email)?;
    if !may_invite(access.role, role) {
        return Err(AppError::forbidden(format!("Your role ({}) cannot invite someone as {role}.", access.role)));
    }
    let ws = &access.workspace;
    // Tokens invite too (they act with their role); the audit entry names the token.
    let inviter = (access.actor.kind == "user").then(|| access.actor.id.clone().map(UserId::from_db)).flatten();
    let id = InvitationId::new();
    let token = random_token();
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let members = q::members(&mut tx, &ws.id).await?;
    if members.iter().any(|m| m.email == email.as_str()) {
        return Err(AppError::invalid("email", "already_member", "This person is already a member."));
    }
    app.entitlements().allow(&mut tx, &ws.id, crate::ports::Use::Seat).await?;
    q::insert_invitation(
        &mut tx,
        NewInvitation {
            id: &id,
            workspace_id: &ws.id,
            email: email.as_str(),
            role,
            token_hash: &token_hash(&token),
            invited_by: inviter.as_ref(),
            now,
            expires_at: now.plus_millis(app.settings.invite_ttl_ms),
        },
    )
    .await?;
    let days = app.settings.invite_ttl_ms / frontdesk_core::Timestamp::DAY;
    // In the invitee's language if they have an account with one, else the inviter's request's.
    let lang = mail_lang(app, crate::repo::users::by_email(&mut tx, email.as_str()).await?.as_ref());
    let inviter_name = match &inviter {
        Some(id) => crate::repo::users::by_id(&mut tx, id).await?.map(|u| format!("{} ({})", u.name, u.email)),
        None => None,
    };
    let invited = match &inviter_name {
        Some(who) => tl!(
            app.speak(lang),
            "mail-invite-text-by",
            inviter = who.as_str(),
            workspace = &ws.name,
            product = &app.settings.product_name,
            role = role_name(app, lang, role)
        ),
        None => tl!(
            app.speak(lang),
            "mail-invite-text",
            workspace = &ws.name,
            product = &app.settings.product_name,
            role = role_name(app, lang, role)
        ),
    };
    let text = format!(
        "{invited}\n\n{}\n{}/invitations/{token}\n\n{}\n",
        tl!(app.speak(lang), "mail-invite-accept"),
        app.settings.base_url,
        tl!(app.speak(lang), "mail-invite-expiry", days = days),
    );
    let subject = match &inviter_name {
        Some(_) => tl!(
            app.speak(lang),
            "mail-invite-subject-by",
            inviter = inviter_name.as_deref().and_then(|n| n.split(" (").next()).unwrap_or(""),
            workspace = &ws.name
        ),
        None => tl!(app.speak(lang), "mail-invite-subject", workspace = &ws.name),
    };
    mail::enqueue(app, &mut tx, &Mail { to: email.to_string(), subject, text, ..Default::default() }).await?;
    audit::record(
        app,
        &mut tx,
        ws.id.as_str(),
        &access.actor,
        "invitation.create",
        Some(("invitation", id.as_str())),
        role.as_str(),
    )
    .await?;
    let inv = q::invitations(&mut tx, &ws.id).await?.into_iter().find(|i| i.id == id).ok_or_else(AppError::internal)?;
    tx.commit().await?;
    Ok(inv)
}

pub async fn invitations(app: &Platform, access: &Access) -> AppResult<Vec<Invitation>> {
    let mut c = app.db.conn().await?;
    Ok(q::invitations(&mut c, &access.workspace.id).await?)
}

pub async fn revoke_invitation(app: &Platform, access: &Access, id: &str) -> AppResult<()> {
    let id = InvitationId::parse(id).ok_or_else(|| AppError::not_found("The invitation"))?;
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    if !q::revoke_invitation(&mut tx, ws, &id, app.now()).await? {
        return Err(AppError::not_found("The invitation"));
    }
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "invitation.revoke",
        Some(("invitation", id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A usable invitation behind a token, or why it is not.
pub async fn pending_invitation(app: &Platform, token: &str) -> AppResult<Invitation> {
    let mut c = app.db.conn().await?;
    let inv = q::invitation_by_hash(&mut c, &token_hash(token)).await?.ok_or_else(|| {
        AppError::new(ErrorKind::NotFound, "invitation_invalid", "This invitation link is not valid.")
    })?;
    let gone = |code, msg: &str| Err(AppError::new(ErrorKind::Gone, code, msg));
    if inv.accepted_at.is_some() {
        return gone("invitation_used", "This invitation was already accepted.");
    }
    if inv.revoked_at.is_some() {
        return gone("invitation_revoked", "This invitation was withdrawn.");
    }
    if inv.expires_at <= app.now().0 {
        return gone("invitation_expired", "This invitation has expired; ask for a new one.");
    }
    Ok(inv)
}

pub async fn workspace_name(app: &Platform, id: &WorkspaceId) -> AppResult<String> {
    let mut c = app.db.conn().await?;
    Ok(q::by_id(&mut c, id).await?.map(|w| w.name).unwrap_or_default())
}

/// Accepts an invitation for a signed-in user whose email it was sent to.
pub async fn accept(app: &Platform, token: &str, user: &crate::repo::users::User, ip: &str) -> AppResult<WorkspaceId> {
    app.limits.check(app.clock.as_ref(), "invite_accept", ip, Some(user.id.as_str()))?;
    let inv = pending_invitation(app, token).await?;
    if inv.email != user.email {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "invitation_email_mismatch",
            "This invitation was sent to another email address; sign in with that one.",
        ));
    }
    let mut tx = app.db.begin().await?;
    accept_in_tx(app, &mut tx, &inv, &user.id, &Actor::user(&user.id, Some(ip))).await?;
    tx.commit().await?;
    Ok(inv.workspace_id)
}

pub(crate) async fn accept_in_tx(
    app: &Platform,
    c: &mut Conn,
    inv: &Invitation,
    user: &UserId,
    actor: &Actor,
) -> AppResult<()> {
    let now = app.now();
    if !q::accept_invitation(c, &inv.id, user, now).await? {
        return Err(AppError::new(ErrorKind::Gone, "invitation_used", "This invitation was already accepted."));
    }
    q::add_member(c, &inv.workspace_id, user, inv.role, now).await?;
    let ws = inv.workspace_id.as_str();
    audit::record(app, c, ws, actor, "invitation.accept", Some(("invitation", inv.id.as_str())), "ok").await?;
    audit::record(app, c, ws, actor, "member.add", Some(("user", user.as_str())), inv.role.as_str()).await?;
    Ok(())
}

// ---- API tokens ----

/// A freshly created token: the secret is shown once and never stored.
pub struct NewToken {
    pub token: ApiToken,
    pub secret: String,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken").field("token", &self.token).field("secret", &"<redacted>").finish()
    }
}

pub const TOKEN_PREFIX: &str = "fdt_";

pub async fn create_token(app: &Platform, access: &Access, name: &str, role: Role) -> AppResult<NewToken> {
    let name = parse_label("name", name)?;
    if !role.allowed_for_token() {
        return Err(AppError::invalid("role", "invalid_role", "An API token can be admin, agent or viewer."));
    }
    if role > access.role {
        return Err(AppError::forbidden("A token cannot have more rights than its creator."));
    }
    create_token_unchecked(app, &access.workspace.id, &name, role, &access.actor).await
}

/// Creates a token without a member's rights check (operator CLI).
pub async fn create_token_unchecked(
    app: &Platform,
    ws: &WorkspaceId,
    name: &str,
    role: Role,
    actor: &Actor,
) -> AppResult<NewToken> {
    let id = ApiTokenId::new();
    let secret = format!("{TOKEN_PREFIX}{}", random_token());
    let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
    let created_by = (actor.kind == "user").then(|| actor.id.clone().map(UserId::from_db)).flatten();
    let mut tx = app.db.begin().await?;
    q::insert_api_token(
        &mut tx,
        NewApiToken {
            id: &id,
            workspace_id: ws,
            name,
            role,
            token_hash: &token_hash(&secret),
            prefix: &prefix,
            created_by: created_by.as_ref(),
            now: app.now(),
        },
    )
    .await?;
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        actor,
        "api_token.create",
        Some(("api_token", id.as_str())),
        role.as_str(),
    )
    .await?;
    let token = q::api_tokens(&mut tx, ws).await?.into_iter().find(|t| t.id == id).ok_or_else(AppError::internal)?;
    // Every owner hears of a new key to the workspace (P52).
    let workspace = q::by_id(&mut tx, ws).await?.map(|w| w.name).unwrap_or_default();
    for m in q::members(&mut tx, ws).await?.into_iter().filter(|m| m.role == Role::Owner) {
        if let Some(u) = crate::repo::users::by_id(&mut tx, &m.user_id).await? {
            let a = crate::account::Alert::ApiToken { name, workspace: &workspace };
            crate::account::alert(app, &mut tx, &u, None, a).await?;
        }
    }
    tx.commit().await?;
    Ok(NewToken { token, secret })
}

pub async fn tokens(app: &Platform, access: &Access) -> AppResult<Vec<ApiToken>> {
    let mut c = app.db.conn().await?;
    Ok(q::api_tokens(&mut c, &access.workspace.id).await?)
}

pub async fn revoke_token(app: &Platform, access: &Access, id: &str) -> AppResult<()> {
    let id = ApiTokenId::parse(id).ok_or_else(|| AppError::not_found("The API token"))?;
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    if !q::revoke_api_token(&mut tx, ws, &id, app.now()).await? {
        return Err(AppError::not_found("The API token"));
    }
    audit::record(app, &mut tx, ws.as_str(), &access.actor, "api_token.revoke", Some(("api_token", id.as_str())), "ok")
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The token behind an `Authorization: Bearer` value, if it is live.
pub async fn authenticate_token(app: &Platform, secret: &str) -> AppResult<Option<ApiToken>> {
    if !secret.starts_with(TOKEN_PREFIX) || secret.len() > 200 {
        return Ok(None);
    }
    let mut c = app.db.conn().await?;
    let Some(t) = q::api_token_by_hash(&mut c, &token_hash(secret)).await? else {
        return Ok(None);
    };
    let now = app.now();
    if t.last_used_at.is_none_or(|l| now.0 - l > frontdesk_core::Timestamp::MINUTE) {
        q::touch_api_token(&mut c, &t.id, now).await?;
    }
    Ok(Some(t))
}

//! `frontdesk serve --demo`: a demo workspace a newcomer can open at once. An account
//! (`demo@example.com`, a fresh password printed at every demo start), a workspace with a web-chat
//! channel for the server's own site, and a few customers' conversations that came in through
//! the real web-chat intake (so they are threads, contacts and audit rows like any other).

use crate::{channels, webchat, AppResult, Inbox};
use frontdesk_core::Action;
use frontdesk_platform::audit::Actor;
use frontdesk_platform::repo::users as q;
use frontdesk_platform::workspaces::Principal;
use frontdesk_platform::{operator, workspaces};

pub const EMAIL: &str = "demo@example.com";
pub const WORKSPACE: &str = "Demo Salon";

/// What to tell the newcomer.
pub struct DemoLogin {
    pub email: &'static str,
    pub password: String,
    pub workspace_id: String,
    /// `false` when the demo already existed (only the password is new).
    pub created: bool,
}

const CONVERSATIONS: &[(&str, &[&str])] = &[
    ("Maria Lopez", &["Hi! Do you have time for a haircut on Saturday morning?", "Around 10 would be perfect."]),
    ("Tom Becker", &["How much is a beard trim?"]),
    ("Aiko Tanaka", &["Are you open on public holidays?", "Thanks!"]),
];

/// Creates the demo (once) and sets a new password for its account (every time).
pub async fn seed(app: &Inbox) -> AppResult<DemoLogin> {
    let password = format!("demo-{}", &frontdesk_platform::crypto::random_token()[..16]);
    let hash = frontdesk_platform::crypto::hash_password(
        &frontdesk_core::values::Password::parse(&password)?,
        app.settings.argon2_m_kib,
        app.settings.argon2_t,
    )
    .await;
    if let Ok(u) = operator::user_by_email(app, EMAIL).await {
        let mut c = app.db.conn().await?;
        q::set_password(&mut c, &u.id, &hash, app.now()).await?;
        let ws = workspaces::list_for(app, &u.id).await?;
        let workspace_id = ws.first().map(|(w, _)| w.id.to_string()).unwrap_or_default();
        return Ok(DemoLogin { email: EMAIL, password, workspace_id, created: false });
    }
    let user = operator::create_user(app, EMAIL, Some("Demo Owner"), &password, false).await?;
    let ws = workspaces::create(app, &user, WORKSPACE, &Actor::cli()).await?;
    let access = workspaces::authorize(
        app,
        &Principal::User { id: user.clone(), ip: None },
        ws.id.as_str(),
        Action::ManageChannels,
    )
    .await?;
    // The salon's business profile: its time zone, contact details and languages.
    frontdesk_platform::profile::update(
        app,
        &access,
        &frontdesk_platform::profile::ProfileInput {
            time_zone: "Europe/Madrid".into(),
            country: "ES".into(),
            currency: "EUR".into(),
            address: "Calle de la Luna 12, 28004 Madrid".into(),
            phone: "+34 910 000 000".into(),
            email: "hola@salon.example".into(),
            website: "https://salon.example".into(),
            languages: vec!["es".into(), "en".into()],
            brand_colour: "#a1306b".into(),
        },
    )
    .await
    .map_err(|mut e| e.remove(0))?;
    // The assistant knows the demo salon before the first customer writes, so every demo
    // conversation comes with a draft.
    let mut knowledge = frontdesk_assistant::Knowledge::demo();
    knowledge.profile.name = WORKSPACE.to_string();
    crate::assistant::set_knowledge(app, &access, knowledge).await?;
    let site = app.settings.base_url.trim_end_matches('/').to_string();
    let ch = channels::create(
        app,
        &access,
        channels::Input {
            kind: Some("webchat".into()),
            name: Some("Website chat".into()),
            allowed_origins: Some(vec![site.clone()]),
            ..Default::default()
        },
    )
    .await?;
    for (name, lines) in CONVERSATIONS {
        let started = webchat::start(
            app,
            ch.id.as_str(),
            Some(&site),
            "127.0.0.1",
            webchat::Who { name: Some(name), ..Default::default() },
        )
        .await?;
        for (i, text) in lines.iter().enumerate() {
            let client_id = format!("demo{i}");
            webchat::send(app, ch.id.as_str(), Some(&started.token), Some(&site), Some(&client_id), text, "127.0.0.1")
                .await?;
        }
    }
    Ok(DemoLogin { email: EMAIL, password, workspace_id: ws.id.to_string(), created: true })
}

//! Business hours and the away reply.
//!
//! A workspace may set weekly opening hours in its time zone (with closed dates). When the
//! away reply is on, a customer who writes while the business is closed gets it once per
//! closed period and thread: intake queues an `away.reply` job (dedupe key: thread and the
//! instant the business closed) in the same transaction as the message, and the job sends the
//! reply through the outbox like any other message: it passes the policy gate (as automated
//! text: no Instagram human-agent window) and every decision is audited.

use crate::outbox::{self, Draft, Queue};
use crate::repo::inbox as iq;
use crate::repo::workspace_settings::{self as wq, HoursRow};
use crate::saved_replies;
use crate::Inbox;
use frontdesk_core::hours::{Hours, OpenState, Schedule};
use frontdesk_core::policy::Sender;
use frontdesk_core::{JobId, ThreadId, Timestamp, WorkspaceId};
use frontdesk_platform::audit;
use frontdesk_platform::error::{AppError, AppResult};
use frontdesk_platform::jobs::{self, JobError};
use frontdesk_platform::workspaces::Access;
use frontdesk_store::Conn;

pub const AWAY: &str = "away.reply";
pub const MAX_AWAY_TEXT: usize = 1000;
/// The English default away reply (the catalogue's `customer-away-default`).
pub const DEFAULT_AWAY_TEXT: &str =
    "Hi {{first_name}}, thanks for your message! We are closed right now and will answer as soon as we open.";

/// The default away reply in `lang`, with its `{{first_name}}` variable.
pub fn default_away_text(lang: frontdesk_i18n::Lang) -> String {
    frontdesk_i18n::tl!(lang, "customer-away-default", first_name = "{{first_name}}")
}

/// Whether `text` is the default away reply in one of the languages: the business kept it, so
/// each customer gets it in their own language.
pub fn is_default_away(text: &str) -> bool {
    frontdesk_i18n::Lang::ALL.iter().any(|l| default_away_text(*l).trim() == text.trim())
}

/// The away reply a customer gets: the business's own text as written, else the default in
/// `lang` (the contact's language, see [`crate::customer_lang`]).
pub fn away_text_for(stored: Option<&str>, lang: frontdesk_i18n::Lang) -> String {
    match stored.filter(|t| !t.trim().is_empty() && !is_default_away(t)) {
        Some(t) => t.to_string(),
        None => default_away_text(lang),
    }
}

/// The workspace's hours and away reply, as shown and edited.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub schedule: Option<Schedule>,
    pub away_enabled: bool,
    pub away_text: String,
}

impl Settings {
    /// Open or closed now (`None`: no hours set).
    pub fn state(&self, now: Timestamp) -> Option<OpenState> {
        let h = self.schedule.as_ref()?.check().ok()?.1;
        Some(h.state(now.0))
    }
}

/// The stored schedule, in the business profile's time zone (the one source of it).
pub(crate) fn schedule_of(row: &HoursRow) -> Option<Schedule> {
    let mut s: Schedule = serde_json::from_str(row.schedule.as_deref()?).ok()?;
    if let Some(tz) = &row.time_zone {
        s.time_zone = tz.clone();
    }
    Some(s)
}

fn settings_of(row: HoursRow) -> Settings {
    Settings {
        schedule: schedule_of(&row),
        away_enabled: row.away_enabled,
        // The default in the reader's language (the person's, on the settings page).
        away_text: away_text_for(row.away_text.as_deref(), frontdesk_i18n::current()),
    }
}

pub async fn get(app: &Inbox, access: &Access) -> AppResult<Settings> {
    let mut c = app.db.conn().await?;
    Ok(settings_of(wq::hours(&mut c, &access.workspace.id).await?))
}

/// Replaces the settings. The away reply needs hours to know when the business is closed.
pub async fn update(app: &Inbox, access: &Access, input: Settings) -> AppResult<Settings> {
    let schedule = match &input.schedule {
        Some(s) => Some(s.check().map_err(AppError::from)?.0),
        None => None,
    };
    let text = input.away_text.trim().to_string();
    if input.away_enabled {
        if schedule.is_none() {
            return Err(AppError::invalid(
                "away_enabled",
                "hours_required",
                "Set business hours before turning on the away reply.",
            ));
        }
        if text.is_empty() {
            return Err(AppError::invalid("away_text", "required", "Write the away reply."));
        }
    }
    if text.chars().count() > MAX_AWAY_TEXT {
        return Err(AppError::invalid("away_text", "too_long", format!("At most {MAX_AWAY_TEXT} characters.")));
    }
    saved_replies::check_variables("away_text", &text)?;
    let row = HoursRow {
        schedule: schedule.as_ref().map(|s| serde_json::to_string(s).unwrap_or_default()),
        away_enabled: input.away_enabled,
        // The default, kept as it was shown, stays the default: in each customer's language.
        away_text: (!text.is_empty() && !is_default_away(&text)).then_some(text),
        time_zone: schedule.as_ref().map(|s| s.time_zone.clone()),
    };
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    wq::set_hours(&mut tx, ws, &row, app.now()).await?;
    // Hours given in a time zone set the business's time zone: there is one.
    if let Some(tz) = &row.time_zone {
        frontdesk_platform::profile::set_time_zone(&mut tx, ws, tz).await?;
    }
    let detail = format!(
        "hours:{} away:{}",
        if row.schedule.is_some() { "set" } else { "none" },
        if row.away_enabled { "on" } else { "off" }
    );
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "workspace.hours",
        Some(("workspace", ws.as_str())),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(settings_of(row))
}

/// Whether a workspace is open now, and when it next opens (its weekday code and local time),
/// for the web chat's notice; `None` without business hours.
pub async fn open_now(app: &Inbox, ws: &WorkspaceId) -> AppResult<Option<(bool, Option<(&'static str, String)>)>> {
    let mut c = app.db.conn().await?;
    let s = settings_of(wq::hours(&mut c, ws).await?);
    let Some((_, hours)) = s.schedule.as_ref().and_then(|x| x.check().ok()) else { return Ok(None) };
    Ok(Some(match hours.state(app.now().0) {
        OpenState::Open { .. } => (true, None),
        OpenState::Closed { opens_at, .. } => (false, opens_at.and_then(|at| hours.local(at))),
    }))
}

/// The away reply of a workspace, when it is on.
#[derive(Clone, Debug)]
pub(crate) struct AwayRule {
    hours: Hours,
}

pub(crate) async fn away_rule(c: &mut Conn, ws: &WorkspaceId) -> AppResult<Option<AwayRule>> {
    let s = settings_of(wq::hours(c, ws).await?);
    if !s.away_enabled {
        return Ok(None);
    }
    Ok(s.schedule.and_then(|s| s.check().ok()).map(|(_, hours)| AwayRule { hours }))
}

/// A customer wrote at `at`: outside hours, queue the away reply for the thread (once per
/// closed period), inside intake's transaction.
pub(crate) async fn after_inbound(
    app: &Inbox,
    c: &mut Conn,
    rule: &AwayRule,
    ws: &WorkspaceId,
    thread: &ThreadId,
    at: i64,
) -> AppResult<()> {
    let OpenState::Closed { since, .. } = rule.hours.state(at) else { return Ok(()) };
    let key = format!("away:{thread}:{}", since.unwrap_or(0));
    jobs::enqueue_with_id(app, c, &JobId::new(), AWAY, &format!("{ws} {thread}"), Some(&key), 5).await?;
    Ok(())
}

fn db(e: impl std::fmt::Display) -> JobError {
    JobError::Transient(e.to_string())
}

/// The `away.reply` job: still closed and still on? Then the reply goes through the outbox.
pub async fn reply(app: Inbox, job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    let bad = || JobError::Permanent("bad away payload".into());
    let (ws, thread) = job.payload.split_once(' ').ok_or_else(bad)?;
    let ws = WorkspaceId::parse(ws).ok_or_else(bad)?;
    let thread = ThreadId::parse(thread).ok_or_else(bad)?;
    let mut tx = app.db.begin().await.map_err(db)?;
    let row = wq::hours(&mut tx, &ws).await.map_err(db)?;
    let stored = row.away_text.clone();
    let s = settings_of(row);
    let closed = matches!(s.state(app.now()), Some(OpenState::Closed { .. }));
    let Some(t) = iq::thread(&mut tx, &ws, &thread).await.map_err(db)? else { return Ok(()) };
    if !s.away_enabled || !closed {
        return Ok(());
    }
    // No automatic replies to a contact whose processing is restricted.
    if crate::assistant::restricted(&mut tx, &ws, &t.contact_id).await.map_err(db)? {
        return Ok(());
    }
    // An assistant that answers on its own at any hour replaces the away reply (one automatic
    // answer per message, not two).
    let ai = crate::assistant::rule(&mut tx, &ws).await.map_err(db)?;
    if ai.is_some_and(|a| a.mode_for(t.channel_id.as_str()) == crate::assistant::Mode::Auto && !a.auto_in_hours_only) {
        return Ok(());
    }
    let business = frontdesk_platform::repo::workspaces::by_id(&mut tx, &ws)
        .await
        .map_err(db)?
        .map(|w| w.name)
        .unwrap_or_default();
    let contact = iq::contact(&mut tx, &ws, &t.contact_id).await.map_err(db)?;
    let language = contact.as_ref().and_then(|c| c.language.as_deref());
    let lang = crate::customer_lang_in(&mut tx, &ws, language).await.map_err(|e| db(e.message))?;
    let name = contact.and_then(|c| c.name);
    let text = saved_replies::render(&away_text_for(stored.as_deref(), lang), name.as_deref(), &business);
    // Automatic, and marked as the away reply (the conversation says who sent what).
    let actor = frontdesk_platform::audit::Actor { kind: "system", id: Some("away_reply".into()), ip: None };
    let draft = Draft {
        text,
        reply_to: None,
        key: None,
        actor: &actor,
        sender: Sender::Automated,
        may_send: true,
        purpose: Some("away_reply"),
        file: None,
    };
    match outbox::queue(&app, &mut tx, &t, draft).await.map_err(db)? {
        Queue::Queued(q) => {
            let (m, ch) = *q;
            tx.commit().await.map_err(db)?;
            app.live.publish(crate::live::live("message.created", &ch, &t.id, &t.contact_id, Some(&m.id)));
        }
        Queue::Denied(_) | Queue::KeyTaken => tx.commit().await.map_err(db)?,
    }
    Ok(())
}

/// The workspace's business hours, if set (bookings limit appointments to them).
pub async fn schedule(c: &mut frontdesk_store::Conn, ws: &frontdesk_core::WorkspaceId) -> AppResult<Option<Schedule>> {
    Ok(schedule_of(&wq::hours(c, ws).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_i18n::Lang;

    #[test]
    fn the_default_away_reply_speaks_the_customers_language_and_a_written_one_stays() {
        let ws = |l: &[&str]| l.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        // The contact's language, else the workspace's first that we speak, else English.
        assert_eq!(crate::customer_lang(Some("es"), &ws(&["en"])), Lang::Es);
        assert_eq!(crate::customer_lang(Some("es-419"), &[]), Lang::Es);
        assert_eq!(crate::customer_lang(Some("pt-BR"), &ws(&["fr", "es", "en"])), Lang::Es);
        assert_eq!(crate::customer_lang(None, &ws(&["de"])), Lang::En);
        let es = crate::customer_lang(Some("es"), &[]);
        let text = saved_replies::render(&away_text_for(None, es), Some("Lucía García"), "Salón");
        assert_eq!(
            text,
            "Hola Lucía, ¡gracias por tu mensaje! Ahora mismo estamos cerrados y te responderemos en cuanto abramos."
        );
        assert_eq!(
            saved_replies::render(&away_text_for(Some(DEFAULT_AWAY_TEXT), es), None, "Salón"),
            "Hola, ¡gracias por tu mensaje! Ahora mismo estamos cerrados y te responderemos en cuanto abramos.",
            "the English default kept as shown is still the default"
        );
        assert_eq!(away_text_for(None, Lang::En), DEFAULT_AWAY_TEXT);
        assert_eq!(away_text_for(Some("Cerrado, {{first_name}}."), Lang::En), "Cerrado, {{first_name}}.");
        assert!(is_default_away(&default_away_text(Lang::Es)) && !is_default_away("We are closed."));
    }
}

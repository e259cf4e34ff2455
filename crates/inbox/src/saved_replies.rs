//! Saved replies (canned responses): a team's reusable answers. Agents insert one in the
//! composer by typing `/` and its shortcut; variables are filled for the thread's contact when
//! it is inserted, and the result is an ordinary reply (it passes the policy gate when sent).

use crate::repo::inbox as inbox_q;
use crate::repo::saved_replies as q;
use crate::Inbox;
use frontdesk_core::{SavedReplyId, ThreadId};
use frontdesk_platform::audit;
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::workspaces::Access;
pub use q::SavedReply;

const MAX_BODY: usize = 4096;
/// The variables a body may use.
pub const VARIABLES: &[(&str, &str)] = &[
    ("first_name", "the contact's first name"),
    ("name", "the contact's full name"),
    ("business", "the workspace's name"),
];

fn not_found() -> AppError {
    AppError::not_found("The saved reply")
}

fn parse_shortcut(raw: &str) -> AppResult<String> {
    let s = raw.trim().trim_start_matches('/').to_lowercase();
    if s.is_empty() {
        return Err(AppError::invalid("shortcut", "required", "Choose a shortcut, such as hours."));
    }
    if s.len() > 32 || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(AppError::invalid("shortcut", "invalid_value", "Use up to 32 letters, digits, - or _."));
    }
    Ok(s)
}

fn parse_body(raw: &str) -> AppResult<String> {
    let b = raw.trim();
    if b.is_empty() {
        return Err(AppError::invalid("body", "required", "Write the reply."));
    }
    if b.chars().count() > MAX_BODY {
        return Err(AppError::invalid("body", "too_long", format!("At most {MAX_BODY} characters.")));
    }
    check_variables("body", b)?;
    Ok(b.to_string())
}

/// Refuses `{{…}}` names other than [`VARIABLES`].
pub(crate) fn check_variables(field: &'static str, b: &str) -> AppResult<()> {
    let mut rest = b;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim();
        if !VARIABLES.iter().any(|(v, _)| *v == name) {
            let known = VARIABLES.iter().map(|(v, _)| format!("{{{{{v}}}}}")).collect::<Vec<_>>().join(", ");
            return Err(AppError::invalid(
                field,
                "unknown_variable",
                format!("{{{{{name}}}}} is not a variable; use {known}."),
            ));
        }
        rest = &after[end + 2..];
    }
    Ok(())
}

/// Fills the variables. A missing value leaves no gap ("Hi {{first_name}}," → "Hi,").
pub fn render(body: &str, contact_name: Option<&str>, business: &str) -> String {
    let name = contact_name.map(str::trim).unwrap_or("");
    let first = name.split_whitespace().next().unwrap_or("");
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let value = match after[..end].trim() {
            "first_name" => first,
            "name" => name,
            "business" => business,
            _ => "",
        };
        if value.is_empty() && out.ends_with(' ') {
            out.pop();
        }
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

pub async fn list(app: &Inbox, access: &Access) -> AppResult<Vec<SavedReply>> {
    let mut c = app.db.conn().await?;
    Ok(q::list(&mut c, &access.workspace.id).await?)
}

/// The saved replies filled in for a thread's contact.
pub async fn for_thread(app: &Inbox, access: &Access, thread: &str) -> AppResult<Vec<(SavedReply, String)>> {
    let id = ThreadId::parse(thread).ok_or_else(|| AppError::not_found("The thread"))?;
    let ws = &access.workspace.id;
    let mut c = app.db.conn().await?;
    let t = inbox_q::thread(&mut c, ws, &id).await?.ok_or_else(|| AppError::not_found("The thread"))?;
    let contact = inbox_q::contact(&mut c, ws, &t.contact_id).await?;
    let name = contact.and_then(|c| c.name);
    let replies = q::list(&mut c, ws).await?;
    Ok(replies
        .into_iter()
        .map(|r| {
            let text = render(&r.body, name.as_deref(), &access.workspace.name);
            (r, text)
        })
        .collect())
}

fn taken(e: frontdesk_store::SqlError) -> AppError {
    if frontdesk_store::is_unique_violation(&e) {
        AppError {
            kind: ErrorKind::Conflict,
            ..AppError::invalid("shortcut", "shortcut_taken", "Another saved reply has this shortcut.")
        }
    } else {
        e.into()
    }
}

pub async fn create(app: &Inbox, access: &Access, shortcut: &str, body: &str) -> AppResult<SavedReply> {
    let now = app.now().0;
    let r = SavedReply {
        id: SavedReplyId::new(),
        shortcut: parse_shortcut(shortcut)?,
        body: parse_body(body)?,
        created_by: access.actor.id.clone(),
        created_at: now,
        updated_at: now,
    };
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    q::insert(&mut tx, ws, &r).await.map_err(taken)?;
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "saved_reply.create",
        Some(("saved_reply", r.id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn update(
    app: &Inbox,
    access: &Access,
    id: &str,
    shortcut: Option<&str>,
    body: Option<&str>,
) -> AppResult<SavedReply> {
    let id = SavedReplyId::parse(id).ok_or_else(not_found)?;
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    let mut r = q::get(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    if let Some(s) = shortcut {
        r.shortcut = parse_shortcut(s)?;
    }
    if let Some(b) = body {
        r.body = parse_body(b)?;
    }
    r.updated_at = app.now().0;
    q::update(&mut tx, ws, &r).await.map_err(taken)?;
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "saved_reply.update",
        Some(("saved_reply", r.id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn delete(app: &Inbox, access: &Access, id: &str) -> AppResult<()> {
    let id = SavedReplyId::parse(id).ok_or_else(not_found)?;
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    if !q::delete(&mut tx, ws, &id).await? {
        return Err(not_found());
    }
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "saved_reply.delete",
        Some(("saved_reply", id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_filled_and_missing_ones_leave_no_gap() {
        let b = "Hi {{first_name}}, thanks for writing to {{business}}. {{ name }} is on file.";
        assert_eq!(
            render(b, Some("Maria  Lopez"), "Salon Ana"),
            "Hi Maria, thanks for writing to Salon Ana. Maria  Lopez is on file."
        );
        assert_eq!(render("Hi {{first_name}}, welcome", None, "X"), "Hi, welcome");
        assert_eq!(render("Unclosed {{first_name", Some("A"), "X"), "Unclosed {{first_name");
    }

    #[test]
    fn shortcuts_and_bodies_are_checked() {
        assert_eq!(parse_shortcut(" /Hours ").unwrap(), "hours");
        assert_eq!(parse_shortcut("price-list_2").unwrap(), "price-list_2");
        assert_eq!(parse_shortcut("two words").unwrap_err().code, "invalid_value");
        assert_eq!(parse_shortcut("/").unwrap_err().code, "required");
        assert_eq!(parse_body("Hi {{first_name}}").unwrap(), "Hi {{first_name}}");
        let e = parse_body("Hi {{surname}}").unwrap_err();
        assert_eq!(e.code, "unknown_variable");
        assert!(e.message.contains("{{first_name}}"), "{}", e.message);
        assert_eq!(parse_body("  ").unwrap_err().code, "required");
    }
}

//! The CRM: the contact list with its filters, a contact's labels and notes, possible matches,
//! merging two contacts, and CSV import and export.
//!
//! Identities a channel proved (a message from that WhatsApp number, that Instagram account)
//! live in `contact_identities`; a phone or email someone typed (an import, an edit) is only a
//! field of the contact. Typed values never join two contacts by themselves: equal ones (phones
//! compared as E.164 with the workspace's country, emails case-insensitively) are shown to staff
//! as a possible match, and staff merge by hand.

use crate::repo::contacts::{self as cq, ContactNote, Filter, Listed, Sort};
use crate::repo::inbox::{self as q, ConsentEvent, Contact};
use crate::{AppError, AppResult, Inbox};
use frontdesk_core::inbox::{consent_state, ConsentChange};
use frontdesk_core::{ChannelId, ConsentEventId, ContactId, NoteId};
use frontdesk_platform::audit;
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::workspaces::Access;
use frontdesk_store::Conn;

pub use crate::repo::contacts::{Filter as ListFilter, Sort as ListSort};

/// Contacts on a page of the list.
pub const PAGE: i64 = 50;
/// The largest CSV import, in bytes and in rows.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_IMPORT_ROWS: usize = 20_000;
const MAX_LABEL: usize = 40;

fn not_found() -> AppError {
    AppError::not_found("The contact")
}

fn parse_id(id: &str) -> AppResult<ContactId> {
    ContactId::parse(id).ok_or_else(not_found)
}

/// One page of the list, with its labels, and how many contacts the filter finds.
pub struct Page {
    pub rows: Vec<(Listed, Vec<String>)>,
    pub total: i64,
    pub page: i64,
}

pub async fn list(app: &Inbox, access: &Access, f: &Filter, sort: Sort, page: i64) -> AppResult<Page> {
    let ws = &access.workspace.id;
    let page = page.max(1);
    let mut c = app.db.conn().await?;
    let total = cq::count(&mut c, ws, f).await?;
    let list = cq::search(&mut c, ws, f, sort, PAGE, (page - 1) * PAGE).await?;
    let ids: Vec<ContactId> = list.iter().map(|l| l.contact.id.clone()).collect();
    let mut labels = cq::labels_of(&mut c, ws, &ids).await?;
    let rows = list.into_iter().map(|l| {
        let ls = labels.remove(&l.contact.id).unwrap_or_default();
        (l, ls)
    });
    Ok(Page { rows: rows.collect(), total, page })
}

/// Every label on the workspace's contacts.
pub async fn labels_in_use(app: &Inbox, access: &Access) -> AppResult<Vec<String>> {
    let mut c = app.db.conn().await?;
    Ok(cq::all_labels(&mut c, &access.workspace.id).await?)
}

fn clean_label(l: &str) -> AppResult<Option<String>> {
    let l = l.trim();
    if l.is_empty() {
        return Ok(None);
    }
    if l.chars().count() > MAX_LABEL || l.chars().any(char::is_control) {
        return Err(AppError::invalid("labels", "invalid_label", format!("A label is 1 to {MAX_LABEL} characters.")));
    }
    Ok(Some(l.to_lowercase()))
}

/// Replaces a contact's labels.
pub async fn set_labels(app: &Inbox, access: &Access, id: &str, labels: &[String]) -> AppResult<Vec<String>> {
    let id = parse_id(id)?;
    let ws = &access.workspace.id;
    let clean: Vec<String> =
        labels.iter().map(|l| clean_label(l)).collect::<AppResult<Vec<_>>>()?.into_iter().flatten().collect();
    let mut tx = app.db.begin().await?;
    q::contact(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    cq::clear_labels(&mut tx, ws, &id).await?;
    for l in &clean {
        cq::add_label(&mut tx, ws, &id, l).await?;
    }
    audit::record(app, &mut tx, ws.as_str(), &access.actor, "contact.labels", Some(("contact", id.as_str())), "ok")
        .await?;
    let now = cq::labels(&mut tx, ws, &id).await?;
    tx.commit().await?;
    Ok(now)
}

/// Adds one label to many contacts (the list's bulk action); unknown ids are skipped.
pub async fn bulk_label(app: &Inbox, access: &Access, ids: &[String], label: &str) -> AppResult<usize> {
    let label = clean_label(label)?.ok_or_else(|| AppError::invalid("label", "required", "Name the label."))?;
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    let mut n = 0;
    for id in ids.iter().filter_map(|i| ContactId::parse(i)) {
        if q::contact(&mut tx, ws, &id).await?.is_some() {
            cq::add_label(&mut tx, ws, &id, &label).await?;
            n += 1;
        }
    }
    audit::record(app, &mut tx, ws.as_str(), &access.actor, "contact.labels", None, &format!("bulk:{n}")).await?;
    tx.commit().await?;
    Ok(n)
}

pub async fn notes(app: &Inbox, access: &Access, id: &str) -> AppResult<Vec<ContactNote>> {
    let id = parse_id(id)?;
    let mut c = app.db.conn().await?;
    Ok(cq::notes(&mut c, &access.workspace.id, &id).await?)
}

pub async fn labels(app: &Inbox, access: &Access, id: &str) -> AppResult<Vec<String>> {
    let id = parse_id(id)?;
    let mut c = app.db.conn().await?;
    Ok(cq::labels(&mut c, &access.workspace.id, &id).await?)
}

pub async fn add_note(app: &Inbox, access: &Access, id: &str, body: &str) -> AppResult<ContactNote> {
    let id = parse_id(id)?;
    let ws = &access.workspace.id;
    let body = frontdesk_core::text::scrub_nul(body.trim()).to_string();
    if body.is_empty() || body.chars().count() > 10_000 {
        return Err(AppError::invalid("body", "invalid_note", "Write a note of up to 10,000 characters."));
    }
    let note = ContactNote {
        id: NoteId::new(),
        author_kind: access.actor.kind.to_string(),
        author_id: access.actor.id.clone(),
        body,
        created_at: app.now().0,
    };
    let mut tx = app.db.begin().await?;
    q::contact(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    cq::add_note(&mut tx, ws, &id, &note).await?;
    audit::record(app, &mut tx, ws.as_str(), &access.actor, "contact.note", Some(("contact", id.as_str())), "ok")
        .await?;
    tx.commit().await?;
    Ok(note)
}

/// The workspace's country, for phones written the national way.
async fn country(c: &mut Conn, access: &Access) -> AppResult<Option<String>> {
    Ok(frontdesk_platform::profile::of(c, &access.workspace.id).await?.country)
}

/// The spellings a phone may be stored under: E.164 (`+34600112233`) and its digits alone (as
/// WhatsApp gives them).
fn phone_keys(phone: &str, country: Option<&str>) -> Vec<String> {
    match frontdesk_core::phone::e164(phone, country) {
        Ok(e) => vec![e.trim_start_matches('+').to_string(), e],
        Err(_) => vec![],
    }
}

/// Other contacts with the same phone (any channel's or typed) or email: possibly the same
/// person, for staff to merge by hand.
pub async fn possible_matches(app: &Inbox, access: &Access, id: &str) -> AppResult<Vec<Contact>> {
    let id = parse_id(id)?;
    let ws = &access.workspace.id;
    let mut c = app.db.conn().await?;
    let k = q::contact(&mut c, ws, &id).await?.ok_or_else(not_found)?;
    let country = country(&mut c, access).await?;
    let mut phones: Vec<String> = Vec::new();
    for p in k
        .phone
        .iter()
        .cloned()
        .chain(q::identities(&mut c, ws, &id).await?.into_iter().filter(|i| i.kind == "phone").map(|i| i.value))
    {
        let spelled = if p.starts_with('+') || country.is_some() { p.clone() } else { format!("+{p}") };
        for key in phone_keys(&spelled, country.as_deref()).into_iter().chain(phone_keys(&format!("+{p}"), None)) {
            if !phones.contains(&key) {
                phones.push(key);
            }
        }
    }
    Ok(cq::with_phone_or_email(&mut c, ws, &id, &phones, k.email.as_deref()).await?)
}

/// Merges `other` into `keep`: identities, channels, conversations, messages, consent history,
/// web-chat visitors, labels and notes move to `keep`, and `other` is gone. Where both have an
/// open conversation on one channel, the newer is resolved (one open conversation per channel
/// and contact). An opt-out is never lost: on any channel where either was opted out, the
/// merged contact is too. Empty fields of `keep` take `other`'s.
pub async fn merge(app: &Inbox, access: &Access, keep: &str, other: &str) -> AppResult<Contact> {
    let keep = parse_id(keep)?;
    let other = parse_id(other)?;
    if keep == other {
        return Err(AppError::invalid("other", "merge_with_itself", "A contact cannot be merged with itself."));
    }
    let ws = &access.workspace.id;
    let now = app.now().0;
    let mut tx = app.db.begin().await?;
    let mut k = q::contact(&mut tx, ws, &keep).await?.ok_or_else(not_found)?;
    let o = q::contact(&mut tx, ws, &other).await?.ok_or_else(not_found)?;

    // Opted out anywhere before: opted out after.
    let opted_out = |events: &[ConsentEvent]| -> Vec<ChannelId> {
        let mut chans: Vec<ChannelId> = events.iter().map(|e| e.channel_id.clone()).collect();
        chans.sort();
        chans.dedup();
        chans
            .into_iter()
            .filter(|ch| {
                let evs: Vec<(i64, ConsentChange)> = events
                    .iter()
                    .filter(|e| &e.channel_id == ch)
                    .filter_map(|e| ConsentChange::parse(&e.change).map(|c| (e.at, c)))
                    .collect();
                consent_state(&evs) == ConsentChange::OptOut
            })
            .collect()
    };
    let mut stricter = opted_out(&q::consent_events(&mut tx, ws, &keep).await?);
    stricter.extend(opted_out(&q::consent_events(&mut tx, ws, &other).await?));

    // One open conversation per channel: the newer of two is resolved.
    let kept_open = cq::open_threads(&mut tx, ws, &keep).await?;
    for (thread, channel, created) in cq::open_threads(&mut tx, ws, &other).await? {
        if let Some((kt, _, kcreated)) = kept_open.iter().find(|(_, ch, _)| *ch == channel) {
            let newer = if created >= *kcreated { &thread } else { kt };
            cq::resolve_thread(&mut tx, ws, newer, now).await?;
        }
    }
    cq::move_all(&mut tx, ws, &other, &keep).await?;
    // The areas above the inbox move what they hold of the other contact, in this transaction.
    for port in &app.contact_ports.merged {
        port.merged(&mut tx, ws, &keep, &other).await?;
    }

    for ch in stricter {
        let events = q::consent_events(&mut tx, ws, &keep).await?;
        let evs: Vec<(i64, ConsentChange)> = events
            .iter()
            .filter(|e| e.channel_id == ch)
            .filter_map(|e| ConsentChange::parse(&e.change).map(|c| (e.at, c)))
            .collect();
        if consent_state(&evs) != ConsentChange::OptOut {
            let at = evs.iter().map(|(at, _)| *at).max().unwrap_or(now).max(now);
            let e = ConsentEvent {
                id: ConsentEventId::new(),
                contact_id: keep.clone(),
                channel_id: ch.clone(),
                change: ConsentChange::OptOut.as_str().into(),
                source: "merge".into(),
                evidence: format!("merge:{other}"),
                at,
                created_at: now,
            };
            q::insert_consent(&mut tx, ws, &e).await?;
        }
    }
    for (mine, theirs) in [
        (&mut k.name, &o.name),
        (&mut k.phone, &o.phone),
        (&mut k.email, &o.email),
        (&mut k.username, &o.username),
        (&mut k.language, &o.language),
    ] {
        if mine.is_none() {
            mine.clone_from(theirs);
        }
    }
    if k.blocked_at.is_none() {
        k.blocked_at = o.blocked_at;
    }
    k.updated_at = now;
    q::update_contact(&mut tx, &k).await?;
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "contact.merge",
        Some(("contact", keep.as_str())),
        other.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(k)
}

/// The other areas' sections of a contact's page (bookings, payments, invoices as they land).
pub async fn sections(
    app: &Inbox,
    access: &Access,
    id: &str,
) -> AppResult<Vec<frontdesk_platform::ports::ContactSection>> {
    let id = parse_id(id)?;
    let mut c = app.db.conn().await?;
    let mut out = Vec::new();
    for port in &app.contact_ports.facts {
        if let Some(s) = port.section(&mut c, &access.workspace.id, &id).await? {
            out.push(s);
        }
    }
    Ok(out)
}

// ---- CSV ----

/// Reads CSV (RFC 4180: commas, double quotes, `""` inside quotes, CRLF or LF) into rows.
pub fn read_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut at_start = true;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    let mut line = 1;
    while let Some(ch) = chars.next() {
        if quoted {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match ch {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            '"' => return Err(format!("line {line}: a quote inside an unquoted field")),
            ',' => {
                row.push(std::mem::take(&mut field));
                at_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                at_start = true;
                line += 1;
            }
            c => {
                field.push(c);
                at_start = false;
            }
        }
    }
    if quoted {
        return Err(format!("line {line}: a quoted field is not closed"));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows.retain(|r| !(r.len() == 1 && r[0].trim().is_empty()));
    Ok(rows)
}

/// One CSV cell, quoted when it must be, and defused when a spreadsheet would read it as a
/// formula (`=`, `+`, `-`, `@`, or a tab or carriage return first).
pub fn csv_cell(value: &str) -> String {
    let v = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// The contacts the filter finds, as CSV (audited).
pub async fn export_csv(app: &Inbox, access: &Access, f: &Filter, sort: Sort) -> AppResult<String> {
    let ws = &access.workspace.id;
    let mut c = app.db.conn().await?;
    let list = cq::all(&mut c, ws, f, sort).await?;
    let mut labels = cq::all_labels_by_contact(&mut c, ws).await?;
    let mut out = String::from("name,phone,email,username,language,labels,last_contacted,created\r\n");
    for l in &list {
        let k = &l.contact;
        let labels = labels.remove(&k.id).unwrap_or_default().join(" ");
        let cells = [
            k.name.clone().unwrap_or_default(),
            k.phone.clone().unwrap_or_default(),
            k.email.clone().unwrap_or_default(),
            k.username.clone().unwrap_or_default(),
            k.language.clone().unwrap_or_default(),
            labels,
            l.last_contacted_at.map(|t| frontdesk_core::Timestamp(t).to_rfc3339()).unwrap_or_default(),
            frontdesk_core::Timestamp(k.created_at).to_rfc3339(),
        ];
        out.push_str(&cells.iter().map(|v| csv_cell(v)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    drop(c);
    let mut tx = app.db.begin().await?;
    audit::record(app, &mut tx, ws.as_str(), &access.actor, "contact.export", None, &format!("rows:{}", list.len()))
        .await?;
    tx.commit().await?;
    Ok(out)
}

/// A row of an import as it will be written, or why it will not.
#[derive(Clone, Debug, Default)]
pub struct ImportRow {
    /// The line of the file (the header is line 1).
    pub line: usize,
    pub name: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub labels: Vec<String>,
    pub notes: Option<String>,
    /// What is wrong with the row (then nothing is imported).
    pub errors: Vec<String>,
    /// The row repeats an earlier line of the file, or an existing contact: it is skipped.
    pub duplicate_of: Option<String>,
}

/// What an import would do.
#[derive(Clone, Debug, Default)]
pub struct ImportPlan {
    pub rows: Vec<ImportRow>,
}

impl ImportPlan {
    pub fn errors(&self) -> usize {
        self.rows.iter().filter(|r| !r.errors.is_empty()).count()
    }
    pub fn duplicates(&self) -> usize {
        self.rows.iter().filter(|r| r.errors.is_empty() && r.duplicate_of.is_some()).count()
    }
    pub fn new_contacts(&self) -> usize {
        self.rows.iter().filter(|r| r.errors.is_empty() && r.duplicate_of.is_none()).count()
    }
}

fn refused(code: &'static str, message: impl Into<String>) -> AppError {
    AppError { field: Some("file"), ..AppError::new(ErrorKind::Invalid, code, message) }
}

/// Reads an import and says, row by row, what it would do. Nothing is written.
pub async fn plan_import(app: &Inbox, access: &Access, bytes: &[u8]) -> AppResult<ImportPlan> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(AppError {
            field: Some("file"),
            ..AppError::new(ErrorKind::TooLarge, "import_too_large", "An import may be up to 5 MB; split the file.")
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| refused("not_utf8", "Save the file as CSV in UTF-8."))?;
    if text.contains('\0') {
        return Err(refused("not_csv", "This is not a CSV file."));
    }
    let rows = read_csv(text).map_err(|e| refused("not_csv", format!("This is not a valid CSV file ({e}).")))?;
    let Some((header, body)) = rows.split_first() else {
        return Err(refused("empty_import", "The file has no rows."));
    };
    if body.len() > MAX_IMPORT_ROWS {
        return Err(refused(
            "import_too_large",
            format!("An import may have up to {MAX_IMPORT_ROWS} rows; split the file."),
        ));
    }
    let col = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let (c_name, c_phone, c_email, c_labels, c_notes) =
        (col("name"), col("phone"), col("email"), col("labels"), col("notes"));
    if c_name.is_none() && c_phone.is_none() && c_email.is_none() {
        return Err(refused(
            "missing_columns",
            "The first line must name the columns: name, phone, email, labels, notes.",
        ));
    }
    let ws = &access.workspace.id;
    let mut c = app.db.conn().await?;
    let country = country(&mut c, access).await?;
    // Everyone the workspace already knows by a phone or an email, read once.
    let (known, proved) = cq::reachable(&mut c, ws).await?;
    let mut by_phone: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut by_email: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for k in &known {
        let label = crate::threads::contact_label(k);
        if let Some(p) = &k.phone {
            for key in phone_keys(if p.starts_with('+') { p.clone() } else { format!("+{p}") }.as_str(), None) {
                by_phone.entry(key).or_insert_with(|| label.clone());
            }
        }
        if let Some(e) = &k.email {
            by_email.entry(e.to_lowercase()).or_insert_with(|| label.clone());
        }
    }
    let label_of: std::collections::HashMap<&ContactId, String> =
        known.iter().map(|k| (&k.id, crate::threads::contact_label(k))).collect();
    for (value, id) in &proved {
        if let Some(label) = label_of.get(id) {
            by_phone.entry(value.trim_start_matches('+').to_string()).or_insert_with(|| label.clone());
        }
    }
    let mut plan = ImportPlan::default();
    let mut seen_phone: Vec<(String, usize)> = Vec::new();
    let mut seen_email: Vec<(String, usize)> = Vec::new();
    for (i, r) in body.iter().enumerate() {
        let line = i + 2;
        let get = |c: Option<usize>| c.and_then(|c| r.get(c)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let mut row = ImportRow { line, name: get(c_name), notes: get(c_notes), ..Default::default() };
        if row.name.as_ref().is_some_and(|n| n.chars().count() > 200 || n.chars().any(char::is_control)) {
            row.errors.push("The name is too long or has control characters.".into());
        }
        if let Some(p) = get(c_phone) {
            match frontdesk_core::phone::e164(&p, country.as_deref()) {
                Ok(e) => row.phone = Some(e),
                Err(e) => row.errors.push(format!("Phone {p:?}: {}", e.message)),
            }
        }
        if let Some(e) = get(c_email) {
            match frontdesk_core::Email::parse(&e) {
                Ok(e) => row.email = Some(e.as_str().to_string()),
                Err(_) => row.errors.push(format!("Email {e:?} is not an email address.")),
            }
        }
        for l in get(c_labels).unwrap_or_default().split([';', '|']) {
            match clean_label(l) {
                Ok(Some(l)) if !row.labels.contains(&l) => row.labels.push(l),
                Ok(_) => {}
                Err(e) => row.errors.push(e.message),
            }
        }
        if row.name.is_none() && row.phone.is_none() && row.email.is_none() && row.errors.is_empty() {
            row.errors.push("The row has no name, phone or email.".into());
        }
        if row.notes.as_ref().is_some_and(|n| n.chars().count() > 10_000) {
            row.errors.push("The note is longer than 10,000 characters.".into());
        }
        // Duplicates: an earlier line of the file, then an existing contact.
        if let Some((_, l)) = row.phone.as_ref().and_then(|p| seen_phone.iter().find(|(x, _)| x == p)) {
            row.duplicate_of = Some(format!("line {l}"));
        } else if let Some((_, l)) = row.email.as_ref().and_then(|e| seen_email.iter().find(|(x, _)| x == e)) {
            row.duplicate_of = Some(format!("line {l}"));
        }
        if row.duplicate_of.is_none() && row.errors.is_empty() {
            let found = row
                .phone
                .as_deref()
                .and_then(|p| by_phone.get(p.trim_start_matches('+')))
                .or_else(|| row.email.as_deref().and_then(|e| by_email.get(&e.to_lowercase())));
            row.duplicate_of = found.cloned();
        }
        if let Some(p) = &row.phone {
            seen_phone.push((p.clone(), line));
        }
        if let Some(e) = &row.email {
            seen_email.push((e.clone(), line));
        }
        plan.rows.push(row);
    }
    Ok(plan)
}

/// Imports a file: all its new contacts in one transaction, or nothing when any row has an
/// error. Duplicates are skipped. Imported contacts get no consent events: a list is not consent.
pub async fn import(app: &Inbox, access: &Access, bytes: &[u8]) -> AppResult<ImportPlan> {
    let plan = plan_import(app, access, bytes).await?;
    if plan.errors() > 0 {
        return Err(refused(
            "import_has_errors",
            format!("{} rows have errors; correct them and import again. Nothing was imported.", plan.errors()),
        ));
    }
    let ws = &access.workspace.id;
    let now = app.now().0;
    let mut tx = app.db.begin().await?;
    for r in plan.rows.iter().filter(|r| r.duplicate_of.is_none()) {
        let k = Contact {
            id: ContactId::new(),
            workspace_id: ws.clone(),
            name: r.name.clone(),
            phone: r.phone.clone(),
            email: r.email.clone(),
            username: None,
            language: None,
            created_at: now,
            updated_at: now,
            blocked_at: None,
            erased_at: None,
            restricted_at: None,
        };
        q::insert_contact(&mut tx, &k).await?;
        for l in &r.labels {
            cq::add_label(&mut tx, ws, &k.id, l).await?;
        }
        if let Some(n) = &r.notes {
            let note = ContactNote {
                id: NoteId::new(),
                author_kind: access.actor.kind.to_string(),
                author_id: access.actor.id.clone(),
                body: n.clone(),
                created_at: now,
            };
            cq::add_note(&mut tx, ws, &k.id, &note).await?;
        }
    }
    let detail = format!("new:{} duplicates:{}", plan.new_contacts(), plan.duplicates());
    audit::record(app, &mut tx, ws.as_str(), &access.actor, "contact.import", None, &detail).await?;
    tx.commit().await?;
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reads_quotes_and_line_ends() {
        let rows = read_csv("\u{feff}name,phone\r\n\"Pérez, Ana\",\"+34 600\"\n\"say \"\"hi\"\"\",\nlast,1").unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["name".to_string(), "phone".into()],
                vec!["Pérez, Ana".into(), "+34 600".into()],
                vec!["say \"hi\"".into(), "".into()],
                vec!["last".into(), "1".into()],
            ]
        );
        assert!(read_csv("a,\"b\n").is_err());
        assert!(read_csv("a,b\"c\n").is_err());
    }

    #[test]
    fn exported_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+34 600"), "'+34 600");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@home"), "'@home");
        assert_eq!(csv_cell("Ana, Pérez"), "\"Ana, Pérez\"");
        assert_eq!(csv_cell("plain"), "plain");
    }
}

//! The assistant's pages: drafts on a thread (send, edit, discard, ask for one), its settings,
//! the knowledge-base editor and the disclosure ledger. Plain forms; no script needed.

use super::inbox::access;
use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::{ClientInfo, PageUser};
use crate::kit::shell::{compose, slot, Nav, Shell};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_assistant::{Document, Faq, Knowledge, Service};
use frontdesk_core::Action;
use frontdesk_i18n::t;
use frontdesk_inbox::assistant::{self as ai, Draft, Mode, Settings, SettingsInput};
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::workspaces::Access;
use maud::{html, Markup};
use std::collections::{BTreeMap, HashMap};

/// Why an automatic reply stayed a draft, for people.
fn held(reason: &str) -> String {
    match reason {
        "not_grounded" => t!("assistant-held-not-grounded"),
        "topic_not_allowed" => t!("assistant-held-topic"),
        "outside_hours" => t!("assistant-held-closed"),
        "no_answer" => t!("assistant-held-no-answer"),
        "human_requested" => t!("assistant-held-human"),
        "assistant_paused" => t!("assistant-held-paused"),
        _ => t!("assistant-held-refused"),
    }
}

/// The drafts panel of a thread page.
pub(crate) fn drafts_panel(
    w: &str,
    thread: &str,
    drafts: &[Draft],
    mode: Mode,
    paused: bool,
    can_send: bool,
) -> Markup {
    let pending: Vec<&Draft> = drafts.iter().filter(|d| d.status == "draft").collect();
    html! {
        section #drafts aria-label=(t!("nav-assistant")) {
            @if paused {
                p.hint #ai-paused { (t!("assistant-paused")) " "
                    form.inline method="post" action={ "/w/" (w) "/inbox/" (thread) "/assistant/resume" } { button type="submit" { (t!("assistant-resume")) } } }
            }
            @for d in &pending {
                article.draft data-draft=(d.id) data-outcome=(d.outcome) {
                    p.meta { (t!("assistant-suggested", provider = &d.provider))
                        @if d.outcome == "handover" { " · " (t!("assistant-no-answer-found")) }
                        @if !d.grounded && d.outcome == "answer" { " · " (t!("assistant-not-checked")) } }
                    @if let Some(r) = &d.held_because { p.hint { (held(r)) } }
                    @if can_send {
                        form method="post" action={ "/w/" (w) "/drafts/" (d.id) "/send" } {
                            label for={ "draft-" (d.id) } { (t!("assistant-draft-label")) }
                            textarea id={ "draft-" (d.id) } name="text" rows="3" maxlength="4096" { (d.text) }
                            button type="submit" { (t!("assistant-send-draft")) }
                        }
                        form method="post" action={ "/w/" (w) "/drafts/" (d.id) "/discard" } data-confirm=(t!("assistant-discard-confirm")) data-confirm-label=(t!("assistant-discard")) { button.danger type="submit" { (t!("assistant-discard")) } }
                    } @else {
                        p.body { (d.text) }
                    }
                }
            }
            @if can_send && mode != Mode::Off {
                form method="post" action={ "/w/" (w) "/inbox/" (thread) "/drafts" } { button #suggest type="submit" { (t!("assistant-suggest")) } }
            }
        }
    }
}

pub async fn ask(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::SendMessages).await?;
    let made = ai::draft_now(&s.app, &a, &id).await;
    super::thread_outcome(&s, &u, &a, &w, &id, String::new(), made).await
}

#[derive(serde::Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    text: String,
}

pub async fn send(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<DraftForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewInbox).await?;
    let thread = draft_thread(&s, &a, &id).await?;
    let sent = ai::send_draft(&s.app, &a, &id, Some(f.text.clone())).await;
    super::thread_outcome(&s, &u, &a, &w, &thread, String::new(), sent).await
}

async fn draft_thread(s: &AppState, a: &Access, id: &str) -> Result<String, WebError> {
    let did = frontdesk_core::DraftId::parse(id)
        .ok_or_else(|| WebError::page(frontdesk_platform::AppError::not_found("The draft")))?;
    let d = ai::draft(&s.app, a, &did).await.map_err(WebError::page)?;
    Ok(d.thread_id.to_string())
}

pub async fn discard(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::SendMessages).await?;
    let thread = draft_thread(&s, &a, &id).await?;
    ai::discard_draft(&s.app, &a, &id).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/inbox/{thread}")).into_response())
}

pub async fn resume(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::TriageThreads).await?;
    ai::resume(&s.app, &a, &id).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/inbox/{id}")).into_response())
}

// ---- settings ----

pub async fn settings_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let st = ai::settings(&s.app, &a).await.map_err(WebError::page)?;
    render_settings(&s, &u, &a, &w, &st, None).await
}

async fn render_settings(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    w: &str,
    st: &Settings,
    error: Option<String>,
) -> Result<Markup, WebError> {
    let chans = frontdesk_inbox::channels::list(&s.app, a).await.map_err(WebError::page)?;
    let modes =
        [("off", t!("assistant-mode-off")), ("draft", t!("assistant-mode-draft")), ("auto", t!("assistant-mode-auto"))];
    let providers = [
        ("local", t!("assistant-provider-local")),
        ("openai", t!("assistant-provider-openai")),
        ("anthropic", "Anthropic".to_string()),
    ];
    // The default disclosure is shown (and sent) in each one's language; a text of the
    // business's own stays as written.
    let disclosure = if ai::is_default_disclosure(&st.disclosure_text) {
        t!("customer-ai-disclosure")
    } else {
        st.disclosure_text.clone()
    };
    let sh = Shell::load(s, u, Some(a)).await?;
    Ok(sh.page(
        &t!("nav-assistant"),
        Nav::Assistant,
        html! {
            h2 { (t!("nav-assistant")) }
            p { a href={ "/w/" (w) "/settings/knowledge" } { (t!("assistant-knowledge")) } " · " a href={ "/w/" (w) "/settings/assistant/ledger" } { (t!("assistant-ledger")) } }
            form method="post" action={ "/w/" (w) "/settings/assistant" } {
                @if let Some(e) = &error { p.alert role="alert" { (e) } }
                fieldset { legend { (t!("assistant-mode")) }
                    @for (v, l) in &modes { label { input type="radio" name="mode" value=(v) checked[st.mode.as_str() == *v]; " " (l) } }
                }
                @if !chans.is_empty() {
                    fieldset { legend { (t!("assistant-per-channel")) }
                        @for c in &chans {
                            @let current = st.channel_modes.get(c.id.as_str()).map(|m| m.as_str()).unwrap_or("");
                            label for={ "cm-" (c.id) } { (c.name) }
                            select id={ "cm-" (c.id) } name={ "channel_mode:" (c.id) } {
                                option value="" selected[current.is_empty()] { (t!("assistant-as-above")) }
                                @for (v, _) in &modes { option value=(v) selected[current == *v] { (t!("assistant-mode-name", mode = *v)) } }
                            }
                        }
                    }
                }
                fieldset { legend { (t!("assistant-provider")) }
                    @for (v, l) in &providers {
                        label { input type="radio" name="provider" value=(v) checked[st.provider == *v]; " " (l) }
                    }
                    label for="base-url" { (t!("assistant-base-url")) }
                    input #base-url name="base_url" type="url" maxlength="2000" value=(st.base_url.clone().unwrap_or_default());
                    label for="model" { (t!("assistant-model")) }
                    input #model name="model" maxlength="200" value=(st.model.clone().unwrap_or_default());
                    label for="api-key" { (t!("assistant-api-key")) @if st.has_api_key { " " (t!("assistant-api-key-set")) } }
                    input #api-key name="api_key" type="password" autocomplete="off" maxlength="500";
                    label { input type="checkbox" name="remove_key" value="1"; " " (t!("assistant-remove-key")) }
                    label { input type="checkbox" name="mask_personal_data" value="1" checked[st.mask_personal_data]; " " (t!("assistant-mask")) }
                }
                fieldset { legend { (t!("assistant-auto-replies")) }
                    p.hint { (t!("assistant-auto-hint")) }
                    @for (n, _) in ai::TOPICS { label { input type="checkbox" name={ "topic:" (n) } value="1" checked[st.allow_topics.iter().any(|x| x == n)]; " " (t!("assistant-topic", topic = *n)) } }
                    label { input type="checkbox" name="auto_in_hours_only" value="1" checked[st.auto_in_hours_only]; " " (t!("assistant-in-hours-only")) }
                    label { input type="checkbox" name="disclosure_enabled" value="1" checked[st.disclosure_enabled]; " " (t!("assistant-disclose")) }
                    label for="disclosure" { (t!("assistant-disclosure-text")) }
                    input #disclosure name="disclosure_text" maxlength="200" value=(disclosure);
                }
                label for="retention" { (t!("assistant-retention")) }
                input #retention name="retention_days" type="number" min="1" max="365" value=(st.retention_days);
                button type="submit" { (t!("assistant-save")) }
            }
        },
    ))
}

fn checked(f: &HashMap<String, String>, k: &str) -> bool {
    f.get(k).is_some_and(|v| !v.is_empty())
}

pub async fn save_settings(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let text = |k: &str| f.get(k).map(|v| v.trim().to_string());
    let channel_modes: BTreeMap<String, String> = f
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("channel_mode:").filter(|_| !v.is_empty()).map(|c| (c.to_string(), v.clone()))
        })
        .collect();
    let key = text("api_key").filter(|k| !k.is_empty());
    let input = SettingsInput {
        mode: text("mode"),
        channel_modes: Some(channel_modes),
        provider: text("provider"),
        base_url: Some(text("base_url").filter(|x| !x.is_empty())),
        model: Some(text("model").filter(|x| !x.is_empty())),
        api_key: if checked(&f, "remove_key") { Some(None) } else { key.map(Some) },
        allow_topics: Some(
            ai::TOPICS.iter().filter(|(n, _)| checked(&f, &format!("topic:{n}"))).map(|(n, _)| n.to_string()).collect(),
        ),
        auto_in_hours_only: Some(checked(&f, "auto_in_hours_only")),
        disclosure_enabled: Some(checked(&f, "disclosure_enabled")),
        disclosure_text: text("disclosure_text"),
        mask_personal_data: Some(checked(&f, "mask_personal_data")),
        retention_days: text("retention_days").and_then(|d| d.parse().ok()),
    };
    match ai::update_settings(&s.app, &a, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/settings/assistant?saved=1")).into_response()),
        Err(e) => {
            let (status, msg) = crate::kit::error::refusal(e)?;
            let st = ai::settings(&s.app, &a).await.map_err(WebError::page)?;
            Ok((status, render_settings(&s, &u, &a, &w, &st, Some(msg)).await?).into_response())
        }
    }
}

// ---- knowledge base ----

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// One service per line: `Name | price | minutes | description`.
fn services_text(list: &[Service]) -> String {
    list.iter()
        .map(|x| {
            format!(
                "{} | {} | {} | {}",
                x.name,
                x.price_cents.map(money).unwrap_or_default(),
                x.duration_min.map(|m| m.to_string()).unwrap_or_default(),
                x.description.clone().unwrap_or_default()
            )
            .trim_end_matches([' ', '|'])
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn faq_text(list: &[Faq]) -> String {
    list.iter().map(|x| format!("Q: {}\nA: {}", x.question, x.answer)).collect::<Vec<_>>().join("\n\n")
}

fn documents_text(list: &[Document]) -> String {
    list.iter().map(|x| format!("# {}\n{}", x.title, x.body)).collect::<Vec<_>>().join("\n\n")
}

fn parse_price(s: &str) -> Result<Option<i64>, String> {
    let s = s.trim().trim_start_matches(['€', '$', '£']).trim_end_matches(['€', '$', '£']).trim();
    if s.is_empty() {
        return Ok(None);
    }
    let s = s.replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let bad = || t!("assistant-kb-bad-price", value = &s);
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
        2 => frac.parse().map_err(|_| bad())?,
        _ => return Err(bad()),
    };
    whole.checked_mul(100).and_then(|c| c.checked_add(frac)).map(Some).ok_or_else(bad)
}

fn parse_knowledge(f: &HashMap<String, String>, base: Knowledge) -> Result<Knowledge, String> {
    let get = |k: &str| f.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let mut k = base;
    // The name and contact details come from the business profile; a form (or an older client)
    // that still sends them sets the knowledge base's own copy, which the profile overrides.
    if f.contains_key("name") {
        k.profile.name = get("name").unwrap_or_default();
    }
    for (key, field) in [
        ("address", &mut k.profile.address),
        ("phone", &mut k.profile.phone),
        ("email", &mut k.profile.email),
        ("website", &mut k.profile.website),
    ] {
        if f.contains_key(key) {
            *field = get(key);
        }
    }
    if f.contains_key("languages") {
        k.profile.languages = get("languages")
            .map(|l| l.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect())
            .unwrap_or_default();
    }
    let currency = get("currency").unwrap_or_else(|| "EUR".into()).to_uppercase();
    let mut services = vec![];
    for (n, line) in
        f.get("services").map(|s| s.lines().collect::<Vec<_>>()).unwrap_or_default().into_iter().enumerate()
    {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let price = parse_price(parts.get(1).copied().unwrap_or(""))
            .map_err(|e| t!("assistant-kb-services-line", line = n + 1, error = e))?;
        let minutes = match parts.get(2).copied().unwrap_or("") {
            "" => None,
            m => Some(m.parse::<u32>().map_err(|_| {
                t!("assistant-kb-services-line", line = n + 1, error = t!("assistant-kb-bad-minutes", value = m))
            })?),
        };
        let previous = k.services.iter().find(|x| x.name == parts[0]);
        services.push(Service {
            name: parts[0].to_string(),
            aliases: previous.map(|p| p.aliases.clone()).unwrap_or_default(),
            description: parts.get(3).filter(|d| !d.is_empty()).map(|d| d.to_string()),
            price_cents: price,
            currency: currency.clone(),
            duration_min: minutes,
        });
    }
    k.services = services;
    let mut faq = vec![];
    for block in f.get("faq").map(String::as_str).unwrap_or("").replace("\r\n", "\n").split("\n\n") {
        let block = block.trim();
        if block.is_empty() {
            continue;
        }
        let q = block.lines().find_map(|l| l.trim().strip_prefix("Q:")).map(str::trim);
        let a = block.split_once("A:").map(|x| x.1.trim());
        match (q, a) {
            (Some(q), Some(a)) if !q.is_empty() && !a.is_empty() => {
                faq.push(Faq { question: q.into(), answer: a.into() })
            }
            _ => return Err(t!("assistant-kb-bad-faq", near = block.chars().take(40).collect::<String>())),
        }
    }
    k.faq = faq;
    let mut docs = vec![];
    let text = f.get("documents").map(String::as_str).unwrap_or("").replace("\r\n", "\n");
    let mut current: Option<Document> = None;
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("# ") {
            docs.extend(current.take());
            current = Some(Document { title: title.trim().into(), body: String::new() });
        } else if let Some(d) = current.as_mut() {
            d.body.push_str(line);
            d.body.push('\n');
        } else if !line.trim().is_empty() {
            return Err(t!("assistant-kb-bad-documents"));
        }
    }
    docs.extend(current);
    for d in &mut docs {
        d.body = d.body.trim().to_string();
    }
    k.documents = docs;
    Ok(k)
}

pub async fn knowledge_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let st = ai::settings(&s.app, &a).await.map_err(WebError::page)?;
    let k = &st.knowledge();
    let form: HashMap<String, String> = HashMap::from([
        ("name".into(), k.profile.name.clone()),
        ("address".into(), k.profile.address.clone().unwrap_or_default()),
        ("phone".into(), k.profile.phone.clone().unwrap_or_default()),
        ("email".into(), k.profile.email.clone().unwrap_or_default()),
        ("website".into(), k.profile.website.clone().unwrap_or_default()),
        ("languages".into(), k.profile.languages.join(", ")),
        ("currency".into(), k.services.first().map(|x| x.currency.clone()).unwrap_or_else(|| "EUR".into())),
        ("services".into(), services_text(&k.services)),
        ("faq".into(), faq_text(&k.faq)),
        ("documents".into(), documents_text(&k.documents)),
    ]);
    render_knowledge(&s, &u, &a, &form, None).await
}

async fn render_knowledge(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    f: &HashMap<String, String>,
    error: Option<String>,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let p = frontdesk_platform::profile::get(&s.app, a).await.map_err(WebError::page)?;
    let v = |k: &str| f.get(k).cloned().unwrap_or_default();
    Ok(sh.page(
        &t!("assistant-knowledge"),
        Nav::Assistant,
        html! {
            p.hint { (compose(
                &t!("assistant-kb-hint", profile = slot(0), hours = slot(1)),
                &[
                    html! { a href={ "/w/" (w) "/settings/profile" } { (t!("assistant-kb-profile-link")) } },
                    html! { a href={ "/w/" (w) "/settings/hours" } { (t!("assistant-kb-hours-link")) } },
                ],
            )) }
            section aria-labelledby="kb-profile" {
                h2 #kb-profile { (t!("assistant-kb-from-profile")) }
                p { strong { (a.workspace.name) }
                    @for x in [&p.address, &p.phone, &p.email, &p.website].into_iter().flatten() { br; (x) } }
                p { a href={ "/w/" (w) "/settings/profile" } { (t!("assistant-kb-edit-profile")) } }
            }
            form method="post" action={ "/w/" (w) "/settings/knowledge" } {
                @if let Some(e) = &error { p.alert role="alert" { (e) } }
                label for="kb-currency" { (t!("assistant-kb-currency")) }
                input #kb-currency name="currency" maxlength="3" value=(v("currency"));
                label for="kb-services" { (t!("assistant-kb-services")) }
                textarea #kb-services name="services" rows="8" { (v("services")) }
                label for="kb-faq" { (t!("assistant-kb-faq")) }
                textarea #kb-faq name="faq" rows="10" { (v("faq")) }
                label for="kb-docs" { (t!("assistant-kb-documents")) }
                textarea #kb-docs name="documents" rows="10" { (v("documents")) }
                button type="submit" { (t!("assistant-kb-save")) }
            }
        },
    ))
}

pub async fn save_knowledge(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let base = ai::settings(&s.app, &a).await.map_err(WebError::page)?.knowledge();
    let k = match parse_knowledge(&f, base) {
        Ok(k) => k,
        Err(msg) => {
            let page = render_knowledge(&s, &u, &a, &f, Some(msg)).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match ai::set_knowledge(&s.app, &a, k).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/settings/knowledge?saved=1")).into_response()),
        Err(e) => {
            let (status, msg) = crate::kit::error::refusal(e)?;
            Ok((status, render_knowledge(&s, &u, &a, &f, Some(msg)).await?).into_response())
        }
    }
}

// ---- ledger ----

pub async fn ledger_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewAudit).await?;
    let calls = ai::calls(&s.app, &a, 500).await.map_err(WebError::page)?;
    let sh = Shell::load(&s, &u, Some(&a)).await?;
    let lang = frontdesk_i18n::current();
    let num = |n: Option<i64>| n.map(|n| lang.number(n)).unwrap_or_default();
    Ok(sh.page(
        &t!("assistant-ledger"),
        Nav::Assistant,
        html! {
            h2 { (t!("assistant-ledger")) }
            p.hint { (t!("assistant-ledger-hint")) }
            p { a href={ "/w/" (w) "/settings/assistant/ledger.csv" } download { (t!("assistant-ledger-export")) } }
            @if calls.is_empty() { p #empty { (t!("assistant-ledger-empty")) } }
            @else {
                table #ledger {
                    tr { th { (t!("assistant-ledger-when")) } th { (t!("assistant-provider")) } th { (t!("assistant-model")) } th { (t!("assistant-ledger-purpose")) } th { (t!("assistant-ledger-sent")) } th { (t!("assistant-ledger-received")) } th { (t!("assistant-ledger-tokens")) } th { (t!("assistant-ledger-outcome")) } }
                    @for x in &calls {
                        tr { td { (sh.at(x.at)) } td { (x.provider) } td { (x.model.clone().unwrap_or_default()) } td { (x.purpose) }
                             td { (lang.number(x.bytes_sent)) " B" } td { (lang.number(x.bytes_received)) " B" }
                             td { (num(x.tokens_in)) " / " (num(x.tokens_out)) }
                             td { (x.outcome) } }
                    }
                }
            }
        },
    ))
}

pub async fn ledger_csv(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewAudit).await?;
    let calls = ai::calls(&s.app, &a, 10_000).await.map_err(WebError::page)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"ai-ledger.csv\""),
        ],
        crate::inbox::assistant_api::ledger_csv(&calls),
    )
        .into_response())
}

//! Calendar feeds: the workspace's bookings and each resource's, as secret URLs a calendar app
//! subscribes to; on, off, or a new URL that stops the old one.

use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::{page_access as access, ClientInfo, PageUser};
use crate::kit::shell::{Nav, Shell};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_bookings::feeds::{self, ALL};
use frontdesk_core::Action;
use frontdesk_i18n::t;
use maud::html;
use serde::Deserialize;

pub async fn page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let sh = Shell::load(&s, &u, Some(&a)).await?;
    let list = feeds::list(&s.bookings, &a).await.map_err(WebError::page)?;
    let w = a.workspace.id.as_str();
    Ok(sh
        .page(
            &t!("feeds-title"),
            Nav::CalendarFeeds,
            html! {
                p.muted { (t!("feeds-intro")) }
                table.stack #feeds {
                    thead { tr { th { (t!("feeds-calendar")) } th { (t!("feeds-url")) } th { span.visually-hidden { (t!("platform-actions")) } } } }
                    tbody {
                        @for f in &list {
                            tr data-feed=(f.target) {
                                td { @match &f.name { Some(n) => (n), None => strong { (t!("feeds-all")) } } }
                                td data-label=(t!("feeds-url")) {
                                    @match &f.url {
                                        Some(url) => input.feed-url type="text" readonly value=(url) aria-label=(t!("feeds-url-of", name = f.name.clone().unwrap_or_else(|| t!("feeds-all"))));
                                        None => span.muted { (t!("feeds-off")) },
                                    }
                                }
                                td {
                                    form.inline method="post" action={ "/w/" (w) "/settings/calendars" } {
                                        input type="hidden" name="target" value=(f.target);
                                        input type="hidden" name="do" value="renew";
                                        button.small type="submit" { @if f.url.is_some() { (t!("feeds-renew")) } @else { (t!("feeds-on")) } }
                                    }
                                    @if f.url.is_some() {
                                        " "
                                        form.inline method="post" action={ "/w/" (w) "/settings/calendars" } data-confirm=(t!("feeds-off-confirm")) data-confirm-label=(t!("feeds-turn-off")) {
                                            input type="hidden" name="target" value=(f.target);
                                            input type="hidden" name="do" value="remove";
                                            button.small.danger type="submit" { (t!("feeds-turn-off")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                p.hint.small { (t!("feeds-privacy")) }
            },
        )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct FeedForm {
    #[serde(default)]
    target: String,
    #[serde(default, rename = "do")]
    action: String,
}

pub async fn save(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<FeedForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let target = if f.target.is_empty() { ALL } else { f.target.as_str() };
    if f.action == "remove" {
        feeds::remove(&s.bookings, &a, target).await.map_err(WebError::page)?;
    } else {
        feeds::renew(&s.bookings, &a, target).await.map_err(WebError::page)?;
    }
    Ok(Redirect::to(&format!("/w/{w}/settings/calendars?saved=1")).into_response())
}

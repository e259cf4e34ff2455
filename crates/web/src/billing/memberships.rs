//! Passes and memberships over HTTP: what the business sells (JSON), a sale at the desk, a
//! contact's holdings, and the customer's own page of one (a signed link, both languages).

use crate::bookings::public::{business_of, frame, lang, page_response};
use crate::inbox::api::current;
use crate::kit::answer::{Answer, Api};
use crate::kit::body::ApiJson;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use frontdesk_billing::memberships::{self, HoldingOut, PlanInput, PlanOut, SellInput};
use frontdesk_core::Action;
use frontdesk_i18n::t;
use maud::html;
use schemars::JsonSchema;
use serde::Serialize;

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    use Action::{ManageCatalog, ManagePayments, ViewBookings};
    t.add(
        "GET",
        "/api/v1/membership-plans",
        Current(ViewBookings),
        "The passes and memberships the business sells",
        get(list_plans),
    )
    .returns::<PlansOut>()
    .add(
        "POST",
        "/api/v1/membership-plans",
        Current(ManageCatalog),
        "Sell a pass (N sessions) or a membership (a discount) on some services",
        post(create_plan),
    )
    .body::<PlanInput>()
    .created::<PlanOut>()
    .add(
        "POST",
        "/api/v1/memberships",
        Current(ManagePayments),
        "Sell a pass or a membership to a customer at the desk (the payment is recorded)",
        post(sell),
    )
    .body::<SellInput>()
    .created::<HoldingOut>()
    .add(
        "GET",
        "/api/v1/contacts/{id}/memberships",
        Current(ViewBookings),
        "A customer's passes and memberships",
        get(of_contact),
    )
    .returns::<HoldingsOut>()
    .add("GET", "/memberships/{token}", Public, "A customer's pass or membership, by its signed link", get(page))
}

#[derive(Serialize, JsonSchema)]
struct PlansOut {
    plans: Vec<PlanOut>,
}

#[derive(Serialize, JsonSchema)]
struct HoldingsOut {
    memberships: Vec<HoldingOut>,
}

async fn list_plans(State(s): State<AppState>, c: ApiCaller) -> Api<PlansOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    let list = memberships::plans(&s.billing, &a.workspace.id).await?;
    Ok(Answer::ok(PlansOut { plans: list.iter().map(memberships::plan_out).collect() }))
}

async fn create_plan(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<PlanInput>) -> Api<PlanOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    Ok(Answer::created(memberships::plan_out(&memberships::create_plan(&s.billing, &a, &b).await?)))
}

async fn sell(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<SellInput>) -> Api<HoldingOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    let h = memberships::sell(&s.billing, &a, &b).await?;
    let plans = memberships::plans(&s.billing, &a.workspace.id).await?;
    Ok(Answer::created(memberships::holding_out(&s.billing, &h, plans.iter().find(|p| p.id == h.plan_id))))
}

async fn of_contact(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<HoldingsOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    let list = memberships::of_contact(&s.billing, &a.workspace.id, &id).await?;
    Ok(Answer::ok(HoldingsOut {
        memberships: list.iter().map(|(h, p)| memberships::holding_out(&s.billing, h, p.as_ref())).collect(),
    }))
}

async fn page(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    let run = async {
        let (h, plan) = memberships::opened(&s.billing, &token).await.map_err(WebError::page)?;
        let biz = business_of(&s, &h.workspace_id).await?;
        let o = memberships::holding_out(&s.billing, &h, plan.as_ref());
        let now = s.app.now().0;
        let until =
            frontdesk_core::time::LocalTimes::new(&biz.profile.time_zone, now).in_lang(lang()).exact(h.valid_until);
        let body = html! {
            dl.book-summary #membership data-status=(o.status) {
                dt { (t!("member-kind", kind = o.kind.as_str())) } dd { (o.name) }
                dt { (t!("plan-status")) } dd #membership-status { (t!("member-status", status = o.status.as_str())) }
                @if let Some(n) = o.sessions_left { dt { (t!("member-sessions")) } dd #membership-sessions { (n) } }
                dt { (t!("member-until")) } dd { (until) }
            }
            @if !biz.profile.slug.is_empty() {
                p { a href=(format!("/book/{}", biz.profile.slug)) { (t!("member-book")) } }
            }
        };
        Ok::<_, WebError>(page_response(StatusCode::OK, frame(&biz, &t!("member-title"), body)))
    };
    match run.await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

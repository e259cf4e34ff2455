//! Passes and memberships over HTTP: what the business sells (JSON), a sale at the desk, a
//! contact's holdings, and the customer's own page of one (a signed link, both languages).

use crate::bookings::public::{business_of, find, frame, lang, money, page_response, Found};
use crate::inbox::api::current;
use crate::kit::answer::{Answer, Api};
use crate::kit::body::ApiJson;
use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::kit::extract::ClientInfo;
use crate::{Access, AppState, Table};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Redirect;
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
    .add(
        "POST",
        "/memberships/{token}/cancel",
        Public,
        "The customer stops their monthly membership (it lasts to the period's end)",
        post(cancel),
    )
    .add("GET", "/book/{slug}/passes", Public, "The passes and memberships a business sells online", get(shop))
    .add("POST", "/book/{slug}/passes", Public, "Buy a pass or a membership: on to its payment", post(buy))
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
                @if o.renewing { dt { (t!("member-renews")) } dd #membership-renews { (until) } }
                @else { dt { (t!("member-until")) } dd { (until) } }
            }
            @if o.renewing {
                form #membership-cancel method="post" action=(format!("/memberships/{token}/cancel")) {
                    button.secondary type="submit" { (t!("member-cancel")) }
                }
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

async fn cancel(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    match memberships::cancel(&s.billing, &token).await {
        Ok(_) => Redirect::to(&format!("/memberships/{token}?cancelled=1")).into_response(),
        Err(e) => WebError::page(e).into_response(),
    }
}

async fn shop(State(s): State<AppState>, Path(slug): Path<String>) -> Response {
    match shop_page(&s, &slug, None, StatusCode::OK).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn shop_page(s: &AppState, slug: &str, error: Option<String>, status: StatusCode) -> Result<Response, WebError> {
    let biz = match find(s, slug).await? {
        Found::Biz(b) => b,
        Found::Moved(to) => return Ok(Redirect::to(&format!("/book/{to}/passes")).into_response()),
    };
    let plans = memberships::plans(&s.billing, &biz.ws).await.map_err(WebError::page)?;
    let online = {
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        frontdesk_billing::repo::account(&mut c, &biz.ws, "stripe")
            .await
            .map_err(|e| WebError::page(e.into()))?
            .is_some()
    };
    let sold: Vec<_> = plans.iter().filter(|p| p.price_minor > 0).collect();
    let body = html! {
        @if let Some(e) = &error { p.error role="alert" { (e) } }
        @if sold.is_empty() || !online {
            p.muted #passes-none { (t!("member-shop-none")) }
        } @else {
            @for p in &sold {
                section.card aria-labelledby={ "p-" (p.id) } {
                    h2 id={ "p-" (p.id) } { (p.name) }
                    p { (money(p.price_minor, &p.currency)) " · "
                        @if let Some(n) = p.sessions { (t!("member-shop-sessions", count = n)) }
                        @else if let Some(d) = p.discount_percent { (t!("member-shop-discount", percent = d)) }
                        " · " @if p.renews { (t!("member-shop-monthly")) } @else { (t!("member-shop-days", days = p.valid_days)) } }
                    form method="post" action=(format!("/book/{}/passes", biz.profile.slug)) {
                        input type="hidden" name="plan_id" value=(p.id);
                        div.form-row { label for={ "n-" (p.id) } { (t!("book-name")) } input id={ "n-" (p.id) } name="name" required autocomplete="name"; }
                        div.form-row { label for={ "e-" (p.id) } { (t!("book-email")) } input id={ "e-" (p.id) } name="email" type="email" required autocomplete="email"; }
                        button type="submit" { (t!("member-shop-buy")) }
                    }
                }
            }
        }
    };
    Ok(page_response(status, frame(&biz, &t!("member-shop-title"), body)))
}

async fn buy(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    ClientInfo(client): ClientInfo,
    PageForm(f): PageForm<std::collections::HashMap<String, String>>,
) -> Response {
    let run = async {
        let biz = match find(&s, &slug).await? {
            Found::Biz(b) => b,
            Found::Moved(to) => return Ok(Redirect::to(&format!("/book/{to}/passes")).into_response()),
        };
        let p: &frontdesk_platform::Platform = s.bookings.as_ref();
        p.limits.check(p.clock.as_ref(), "book", &client.ip, None).map_err(WebError::page)?;
        let field = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        let customer = frontdesk_bookings::book::CustomerInput {
            name: field("name"),
            email: Some(field("email")).filter(|e| !e.is_empty()),
            phone: None,
        };
        match memberships::buy_online(&s.billing, &biz.ws, &field("plan_id"), &customer, lang()).await {
            Ok(memberships::Bought::Pay(pay)) => {
                Ok(Redirect::to(&format!("/pay/{}", frontdesk_billing::pay::token(p, &pay))).into_response())
            }
            // A link, not a redirect: the page sends its forms to itself only.
            Ok(memberships::Bought::Subscribe(url)) => {
                let body = html! {
                    p { (t!("member-subscribe-ready")) }
                    p { a.button #member-continue href=(url) { (t!("plan-topup-continue")) } }
                };
                Ok(page_response(StatusCode::OK, frame(&biz, &t!("member-shop-title"), body)))
            }
            Err(e)
                if matches!(
                    e.kind,
                    frontdesk_platform::error::ErrorKind::Invalid | frontdesk_platform::error::ErrorKind::Conflict
                ) =>
            {
                let text = frontdesk_i18n::error_text(lang(), e.code, &e.message);
                shop_page(&s, &slug, Some(text), crate::kit::error::status_of(e.kind)).await
            }
            Err(e) => Err(WebError::page(e)),
        }
    };
    match run.await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

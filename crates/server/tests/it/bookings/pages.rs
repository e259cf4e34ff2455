//! The staff's booking pages over HTTP, as a signed-in owner: a resource and a service added
//! through their forms (a bad field answered beside it), a booking made from /bookings/new and
//! seen on the day and week views, arrival marked once it has started, another booking
//! cancelled; an agent sees the calendar but not the catalog's settings; the same in Spanish.

use crate::helpers::*;
use crate::inbox::intake::{api, setup, wa_channel, PHONE_A};
use crate::inbox::outbox::{deliver, first_thread, wa_text, CUSTOMER};
use crate::platform::tenancy::member_user;
use frontdesk_core::Role;
use reqwest::Client;

const MADRID: &str = "Europe/Madrid";

async fn get(c: &Client, t: &TestApp, path: &str) -> (u16, String) {
    let r = c.get(t.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn get_es(c: &Client, t: &TestApp, path: &str) -> (u16, String) {
    let r = c.get(t.url(path)).header("accept-language", "es-ES,es;q=0.9").send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Posts a form; (status, where it leads or the page's text).
async fn post(c: &Client, t: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let r = c.post(t.url(path)).form(form).send().await.unwrap();
    let status = r.status().as_u16();
    match r.headers().get("location") {
        Some(l) => (status, l.to_str().unwrap().to_string()),
        None => (status, r.text().await.unwrap()),
    }
}

/// The id in a redirect such as `/w/…/settings/resources/{id}?saved=1`.
fn id_in(location: &str) -> String {
    location.split('?').next().unwrap().rsplit('/').next().unwrap().to_string()
}

/// The text of the error shown beside a field (its `id-error` element).
fn error_beside(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}-error\""))?;
    let rest = &html[at..];
    let text = &rest[rest.find('>')? + 1..];
    Some(text[..text.find('<')?].to_string())
}

fn as_ref(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The values of the free slots' radios on a page.
fn slots_of(html: &str) -> Vec<String> {
    html.split("name=\"slot\" value=\"").skip(1).map(|r| r.split('"').next().unwrap().replace("&#43;", "+")).collect()
}

fn days(t: &TestApp, n: i64) -> String {
    frontdesk_core::hours::local_date(MADRID, t.app().now().0 + n * 86_400_000).unwrap()
}

#[tokio::test]
async fn staff_build_the_catalog_book_from_the_calendar_and_mark_arrival() {
    let s = setup().await;
    let t = &s.t;
    let (w, owner) = (&s.ws, &s.owner);
    let (st, _) = post(
        owner,
        t,
        &format!("/w/{w}/settings/profile"),
        &[("name", "Salon A"), ("slug", "salon-a"), ("time_zone", MADRID), ("country", "ES"), ("currency", "EUR")],
    )
    .await;
    assert_eq!(st, 303);

    // A resource: a nameless one is refused beside its name, bad hours beside the hours.
    let resources = format!("/w/{w}/settings/resources");
    let (st, html) = get(owner, t, &resources).await;
    assert_eq!(st, 200, "{html}");
    let mut form: Vec<(String, String)> = vec![
        ("kind".into(), "staff".into()),
        ("name".into(), " ".into()),
        ("time_zone".into(), MADRID.into()),
        ("active".into(), "on".into()),
    ];
    for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
        form.push((format!("{d}_open"), "09:00".into()));
        form.push((format!("{d}_close"), "13:00".into()));
    }
    let (st, html) = post(owner, t, &resources, &as_ref(&form)).await;
    assert_eq!(st, 422, "{html}");
    assert_eq!(error_beside(&html, "r-name").as_deref(), Some("Give it a name."), "{html}");
    assert!(html.contains(r#"id="r-name" name="name" type="text" value="" aria-invalid="true""#), "{html}");
    let mut bad = form.clone();
    bad[1].1 = "Ana".into();
    bad.push(("mon_open2".into(), "12:00".into()));
    bad.push(("mon_close2".into(), "15:00".into()));
    let (st, html) = post(owner, t, &resources, &as_ref(&bad)).await;
    assert_eq!(st, 422, "{html}");
    assert!(error_beside(&html, "r-hours").is_some_and(|e| e.contains("overlap")), "{html}");
    assert!(html.contains(r#"value="Ana""#), "what was typed stays: {html}");
    form[1].1 = "Ana".into();
    let (st, to) = post(owner, t, &resources, &as_ref(&form)).await;
    assert_eq!(st, 303, "{to}");
    let ana = id_in(&to);
    let (st, html) = get(owner, t, &format!("/w/{w}/settings/resources/{ana}")).await;
    assert_eq!(st, 200);
    assert!(html.contains(r#"name="mon_open" aria-label="Monday: opens" value="09:00""#), "{html}");
    // A date off and a blocked hour on the resource's page.
    let off = days(t, 5);
    let (st, _) = post(owner, t, &format!("/w/{w}/settings/resources/{ana}/exceptions"), &[("date", &off)]).await;
    assert_eq!(st, 303);
    let (st, html) =
        post(owner, t, &format!("/w/{w}/settings/resources/{ana}/blocks"), &[("start", "soon"), ("end", "")]).await;
    assert_eq!(st, 422);
    assert_eq!(error_beside(&html, "bl-start").as_deref(), Some("Use a date and a time."), "{html}");
    let (_, html) = get(owner, t, &format!("/w/{w}/settings/resources/{ana}")).await;
    assert!(html.contains(&format!(r#"data-exception="{off}""#)), "{html}");

    // A service: a duration too short and a number that is none are refused beside their fields.
    let services = format!("/w/{w}/settings/services");
    let group = format!("g0_{ana}");
    let service = |duration: &'static str| {
        vec![
            ("name", "Haircut"),
            ("duration_min", duration),
            ("price", "18.50"),
            ("active", "on"),
            ("unit", "slot"),
            ("payment", "none"),
            ("window_days", "60"),
            ("capacity", "1"),
        ]
    };
    let mut f = service("2");
    f.push((&group, "on"));
    let (st, html) = post(owner, t, &services, &f).await;
    assert_eq!(st, 422, "{html}");
    assert_eq!(error_beside(&html, "s-duration").as_deref(), Some("Use a number from 5 to 1440."), "{html}");
    let (st, html) = post(owner, t, &services, &service("abc")).await;
    assert_eq!(st, 422);
    assert_eq!(error_beside(&html, "s-duration").as_deref(), Some("Use a whole number."), "{html}");
    let (st, html) = post(owner, t, &services, &service("60")).await;
    assert_eq!(st, 422);
    assert!(error_beside(&html, "s-groups").is_some(), "a service needs its resources: {html}");
    let mut f = service("60");
    f.push((&group, "on"));
    let (st, to) = post(owner, t, &services, &f).await;
    assert_eq!(st, 303, "{to}");
    let cut = id_in(&to);
    let (st, html) = get(owner, t, &format!("/w/{w}/settings/services/{cut}")).await;
    assert_eq!(st, 200);
    assert!(html.contains(&format!(r#"name="{group}" value="on" checked"#)), "{html}");
    let (st, _) = post(
        owner,
        t,
        &format!("/w/{w}/settings/services/{cut}/questions"),
        &[("label", "Allergies?"), ("kind", "text"), ("sensitive", "on")],
    )
    .await;
    assert_eq!(st, 303);
    let (st, html) = post(
        owner,
        t,
        &format!("/w/{w}/settings/services/{cut}/questions"),
        &[("label", "Colour"), ("kind", "choice"), ("choices", "Red")],
    )
    .await;
    assert_eq!(st, 422);
    assert!(error_beside(&html, "qn-choices").is_some(), "{html}");
    let (_, html) = get(owner, t, &services).await;
    assert!(html.contains(&format!(r#"data-service="{cut}""#)) && html.contains("€18.50"), "{html}");
    let (st, _) = post(
        owner,
        t,
        &format!("/w/{w}/settings/coupons"),
        &[("code", "spring"), ("kind", "percent"), ("value", "10")],
    )
    .await;
    assert_eq!(st, 303);
    let (_, html) = get(owner, t, &format!("/w/{w}/settings/coupons")).await;
    assert!(html.contains(r#"data-coupon="SPRING""#), "{html}");

    // Book tomorrow at the first free time, for a new customer.
    let d = days(t, 1);
    let (st, html) = get(owner, t, &format!("/w/{w}/bookings/new?service={cut}&date={d}")).await;
    assert_eq!(st, 200, "{html}");
    let free = slots_of(&html);
    assert_eq!(free.len(), 4, "09:00 to 13:00 in hours: {free:?}");
    assert!(free[0].contains("T09:00:00+0"), "{free:?}");
    let question = html.split("name=\"a_").nth(1).unwrap().split('"').next().unwrap().to_string();
    let answer = format!("a_{question}");
    let (st, html) = post(
        owner,
        t,
        &format!("/w/{w}/bookings"),
        &[("service", &cut), ("date", &d), ("contact", ""), ("name", "Maria Lopez")],
    )
    .await;
    assert_eq!(st, 422);
    assert_eq!(error_beside(&html, "slots").as_deref(), Some("Pick one of the free times."), "{html}");
    let book = |slot: &str, name: &str| {
        let f = vec![
            ("service".to_string(), cut.clone()),
            ("date".to_string(), d.clone()),
            ("slot".to_string(), slot.to_string()),
            ("contact".to_string(), String::new()),
            ("name".to_string(), name.to_string()),
            ("phone".to_string(), "+34 612 345 678".to_string()),
            (answer.clone(), "Latex".to_string()),
        ];
        let (c, url) = (owner.clone(), t.url(&format!("/w/{w}/bookings")));
        async move {
            let r = c.post(url).form(&f).send().await.unwrap();
            let st = r.status().as_u16();
            let l = r.headers().get("location").map(|l| l.to_str().unwrap().to_string());
            (st, l.unwrap_or_default())
        }
    };
    let (st, to) = book(&free[0], "Maria Lopez").await;
    assert_eq!(st, 303, "{to}");
    let maria = id_in(&to);
    let (st, to) = book(&free[0], "Tom").await;
    assert_eq!(st, 409, "the same time twice: {to}");
    let (st, to) = book(&free[2], "Tom Baker").await;
    assert_eq!(st, 303);
    let tom = id_in(&to);

    // From a conversation: the contact pane's "Book" opens the form for that contact.
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.B1", "Can I come tomorrow at 10?")).await;
    let thread = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/threads/{thread}"), None).await;
    let contact = v["contact"]["id"].as_str().unwrap().to_string();
    let (st, html) = get(owner, t, &format!("/w/{w}/inbox/{thread}")).await;
    assert_eq!(st, 200);
    let link = format!("/w/{w}/bookings/new?contact={contact}&amp;thread={thread}");
    assert!(html.contains(&format!(r#"href="{link}""#)), "{html}");
    let (st, html) = get(owner, t, &format!("{}&date={d}", link.replace("&amp;", "&"))).await;
    assert_eq!(st, 200);
    assert!(html.contains(r#"id="fixed-contact""#) && html.contains("Sheena Nelson"), "{html}");
    assert!(html.contains(&format!(r#"name="thread" value="{thread}""#)), "the conversation is carried: {html}");
    assert!(!slots_of(&html).contains(&free[0]), "09:00 is taken: {html}");
    let (st, to) = post(
        owner,
        t,
        &format!("/w/{w}/bookings"),
        &[
            ("service", &cut),
            ("date", &d),
            ("slot", &free[1]),
            ("contact", &contact),
            ("fixed", "1"),
            ("thread", &thread),
            (&answer, ""),
        ],
    )
    .await;
    assert_eq!(st, 303, "{to}");
    let sheena = id_in(&to);
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/bookings/{sheena}"), None).await;
    assert_eq!(v["booking"]["contact_id"], contact.as_str(), "{v}");
    // Booked from the conversation, inside its window: the confirmation is a reply there too.
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/threads/{thread}"), None).await;
    let out: Vec<&serde_json::Value> =
        v["messages"].as_array().unwrap().iter().filter(|m| m["direction"] == "out").collect();
    assert_eq!(out.len(), 1, "{v}");
    let body = out[0]["text"].as_str().unwrap_or_else(|| panic!("{}", out[0]));
    assert!(body.starts_with("Booked at ") && body.contains("Haircut") && body.contains("/book/manage/"), "{body}");
    // The contact's page lists it, in the page's language.
    let (_, html) = get(owner, t, &format!("/w/{w}/contacts/{contact}")).await;
    assert!(html.contains("<h2>Bookings</h2>") && html.contains("Haircut · Confirmed"), "{html}");
    let (_, html) = get_es(owner, t, &format!("/w/{w}/contacts/{contact}")).await;
    assert!(html.contains("<h2>Reservas</h2>") && html.contains("Haircut · Confirmada"), "{html}");

    // The day view shows them in Ana's column, with service, customer and status.
    let day = format!("/w/{w}/bookings?view=day&date={d}");
    let (st, html) = get(owner, t, &day).await;
    assert_eq!(st, 200, "{html}");
    for id in [&maria, &tom, &sheena] {
        assert!(html.contains(&format!(r#"data-booking="{id}" data-status="confirmed""#)), "{html}");
    }
    assert!(html.contains("Maria Lopez") && html.contains("Haircut") && html.contains(">Confirmed<"), "{html}");
    assert!(html.contains(r#"<div class="cal-head" style="grid-column:2">Ana</div>"#), "{html}");
    assert!(html.contains(r#"data-live="/w/"#) && html.contains("/assets/bookings.js"), "live: {html}");
    let (_, week) = get(owner, t, &format!("/w/{w}/bookings?view=week&date={d}")).await;
    assert!(week.contains(&format!(r#"data-booking="{maria}""#)) && week.contains("cal-list"), "{week}");
    let (_, other) = get(owner, t, &format!("/w/{w}/bookings?view=day&date={}", days(t, 2))).await;
    assert!(!other.contains(&format!(r#"data-booking="{maria}""#)), "another day: {other}");

    // The booking: its answer (sensitive, marked), history and actions.
    let page = format!("/w/{w}/bookings/{maria}");
    let (st, html) = get(owner, t, &page).await;
    assert_eq!(st, 200, "{html}");
    assert!(html.contains("Latex") && html.contains(r#"data-sensitive="true""#), "{html}");
    assert!(html.contains("Test Person") && html.contains("booked"), "who booked it: {html}");
    assert!(html.contains("data-confirm=\"Cancel the booking of Maria Lopez?"), "{html}");
    let status = format!("/w/{w}/bookings/{maria}/status");
    let (st, html) = post(owner, t, &status, &[("change", "arrived")]).await;
    assert_eq!(st, 409, "not started yet: {html}");
    assert!(html.contains("This booking has not started yet."), "{html}");
    let start = frontdesk_core::Timestamp::parse_rfc3339(&free[0][..free[0].find('|').unwrap()]).unwrap().0;
    t.clock.advance_ms(start - t.app().now().0 + 5 * 60_000);
    let (st, _) = post(owner, t, &status, &[("change", "arrived")]).await;
    assert_eq!(st, 303);
    let (_, html) = get(owner, t, &page).await;
    assert!(html.contains(r#"data-attendance="arrived""#) && html.contains("marked arrived"), "{html}");
    assert!(!html.contains(r#"value="arrived""#), "arrival is marked once: {html}");

    // Cancel the other one: its time is free again and it leaves the grid; the calendar's live
    // stream says so.
    let mut live = owner.get(t.url(&format!("/w/{w}/bookings/events"))).send().await.unwrap();
    assert_eq!(live.status(), 200);
    let (st, _) =
        post(owner, t, &format!("/w/{w}/bookings/{tom}/status"), &[("change", "cancel"), ("reason", "Ill")]).await;
    assert_eq!(st, 303);
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen.contains(&tom) {
        let chunk = tokio::time::timeout_at(deadline, live.chunk()).await.expect("an event in time").unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk.expect("the stream stays open")));
    }
    assert!(seen.contains("event: change"), "{seen}");
    drop(live);
    let (_, html) = get(owner, t, &format!("/w/{w}/bookings/{tom}")).await;
    assert!(html.contains(r#"data-status="cancelled""#) && html.contains("Ill"), "{html}");
    let (_, html) = get(owner, t, &day).await;
    assert!(!html.contains(&format!(r#"data-booking="{tom}" data-status"#)), "{html}");
    assert!(html.contains(r#"id="cal-gone""#) && html.contains(&format!(r#"data-booking="{tom}""#)), "{html}");
    let (_, html) = get(owner, t, &format!("/w/{w}/bookings/new?service={cut}&date={d}")).await;
    assert!(slots_of(&html).iter().any(|x| x == &free[2]), "free again: {html}");
    // Move Sheena's booking to the time Tom gave back, picked from the free times.
    let (_, html) = get(owner, t, &format!("/w/{w}/bookings/{sheena}?move={d}")).await;
    assert!(slots_of(&html).contains(&free[2]), "{html}");
    assert!(html.contains("data-confirm=\"Move the booking of Sheena Nelson"), "{html}");
    let (st, _) = post(owner, t, &format!("/w/{w}/bookings/{sheena}/reschedule"), &[("slot", "")]).await;
    assert_eq!(st, 422);
    let (st, _) = post(owner, t, &format!("/w/{w}/bookings/{sheena}/reschedule"), &[("slot", &free[2])]).await;
    assert_eq!(st, 303);
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/bookings/{sheena}"), None).await;
    assert_eq!(v["booking"]["start"].as_str(), free[2].split('|').next(), "{v}");
    let (_, html) = get(owner, t, &format!("/w/{w}/bookings/{sheena}")).await;
    assert!(html.contains("moved"), "the history keeps the move: {html}");
    let (_, home) = get(owner, t, &format!("/w/{w}")).await;
    assert!(home.contains(r#"id="today-bookings""#), "{home}");

    // An agent sees the calendar and books, but not the catalog's settings.
    let agent = member_user(t, w, "agnes@example.com", Role::Agent).await;
    let (st, _) = get(&agent, t, &day).await;
    assert_eq!(st, 200);
    let (st, _) = get(&agent, t, &format!("/w/{w}/bookings/new")).await;
    assert_eq!(st, 200);
    for path in [resources.clone(), services.clone(), format!("/w/{w}/settings/coupons")] {
        let (st, _) = get(&agent, t, &path).await;
        assert_eq!(st, 403, "{path}");
    }
    let (st, _) = post(&agent, t, &services, &f).await;
    assert_eq!(st, 403);
    let (_, html) = get(&agent, t, &format!("/w/{w}")).await;
    assert!(html.contains(&format!("/w/{w}/bookings\"")) && !html.contains("/settings/services\""), "{html}");

    // In Spanish.
    let (st, html) = get_es(owner, t, &day).await;
    assert_eq!(st, 200);
    assert!(
        html.contains(r#"<html lang="es""#) && html.contains(">Confirmada<") && html.contains("Ha llegado"),
        "{html}"
    );
    let (_, html) = get_es(owner, t, &page).await;
    assert!(html.contains("Respuestas") && html.contains("Confidencial"), "{html}");
    let r = owner
        .post(t.url(&resources))
        .header("accept-language", "es")
        .form(&[("kind", "staff"), ("name", ""), ("time_zone", MADRID)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    let e = error_beside(&html, "r-name").unwrap();
    assert!(e != "Give it a name." && !e.is_empty(), "the error in Spanish: {e}");
    s.t.stop().await;
}

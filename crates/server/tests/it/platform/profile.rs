//! The business profile and the shell around it: a new workspace gets a profile with a slug
//! from its name, the profile page shows every error beside its field at once, slugs follow
//! their rules and an old one leads to the new for 90 days, the hours and the assistant read
//! the profile's time zone, pages show times in that zone, and a person
//! lands on their workspace's Home after signing in.

use crate::helpers::*;
use frontdesk_platform::profile::{self, SlugTarget};
use frontdesk_platform::workspaces::{self as ws, Principal};
use serde_json::json;

async fn page(c: &reqwest::Client, t: &TestApp, path: &str) -> (u16, String) {
    let r = c.get(t.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn save(c: &reqwest::Client, t: &TestApp, ws: &str, form: &[(&str, &str)]) -> (u16, String, Option<String>) {
    let r = c.post(t.url(&format!("/w/{ws}/settings/profile"))).form(form).send().await.unwrap();
    let loc = r.headers().get("location").map(|l| l.to_str().unwrap().to_string());
    (r.status().as_u16(), r.text().await.unwrap(), loc)
}

async fn access(t: &TestApp, ws: &str, email: &str) -> frontdesk_platform::workspaces::Access {
    let mut c = t.app().db.conn().await.unwrap();
    let user = frontdesk_platform::repo::users::by_email(&mut c, email).await.unwrap().unwrap();
    ws::authorize(t.app(), &Principal::User { id: user.id, ip: None }, ws, frontdesk_core::Action::ManageSettings)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_profile_is_one_record_with_checked_fields_and_slugs_that_move() {
    let t = spawn_app().await;
    let ana = t.signed_in_user("ana@example.com").await;
    let w = t.workspace(&ana, "Salón Lucía").await;
    let a = access(&t, &w, "ana@example.com").await;
    let p = profile::get(t.app(), &a).await.unwrap();
    assert_eq!((p.slug.as_str(), p.time_zone.as_str()), ("salon-lucia", "UTC"));
    // A second workspace of the same name gets the next free slug.
    let w2 = t.workspace(&ana, "Salón Lucía").await;
    let a2 = access(&t, &w2, "ana@example.com").await;
    assert_eq!(profile::get(t.app(), &a2).await.unwrap().slug, "salon-lucia-2");

    // Every problem at once, each beside its field; nothing saved.
    let (st, html, _) = save(
        &ana,
        &t,
        &w,
        &[
            ("name", "Salón Lucía"),
            ("slug", "admin"),
            ("time_zone", "Mars/Olympus"),
            ("phone", "12"),
            ("website", "salon.example"),
            ("email", "not-an-email"),
            ("brand_colour", "blue"),
        ],
    )
    .await;
    assert_eq!(st, 422);
    for id in ["slug-error", "time_zone-error", "phone-error", "website-error", "email-error", "brand_colour-error"] {
        assert!(html.contains(&format!(r#"id="{id}""#)), "{id}: {html}");
    }
    assert!(html.contains(r#"aria-invalid="true""#));
    assert_eq!(profile::get(t.app(), &a).await.unwrap().phone, None);

    // A good profile is saved; the name is the workspace's.
    let (st, _, loc) = save(
        &ana,
        &t,
        &w,
        &[
            ("name", "Salón Lucía Centro"),
            ("slug", "lucia"),
            ("time_zone", "Europe/Madrid"),
            ("country", "es"),
            ("currency", "eur"),
            ("address", "Calle Mayor 1, Madrid"),
            ("phone", "+34 600 11 22 33"),
            ("email", "Hola@Lucia.example"),
            ("website", "https://lucia.example"),
            ("lang_es", "on"),
            ("lang_en", "on"),
            ("brand_colour", "#AA3366"),
        ],
    )
    .await;
    assert_eq!(st, 303);
    assert_eq!(loc.as_deref(), Some(format!("/w/{w}/settings/profile?saved=1").as_str()));
    let p = profile::get(t.app(), &a).await.unwrap();
    assert_eq!(p.slug, "lucia");
    assert_eq!(p.time_zone, "Europe/Madrid");
    assert_eq!((p.country.as_deref(), p.currency.as_deref()), (Some("ES"), Some("EUR")));
    assert_eq!(p.email.as_deref(), Some("hola@lucia.example"));
    assert_eq!(p.languages, ["en", "es"]);
    assert_eq!(p.brand_colour.as_deref(), Some("#aa3366"));
    let (_, html) = page(&ana, &t, &format!("/w/{w}/settings/profile")).await;
    assert!(html.contains("Salón Lucía Centro") && html.contains(r#"value="Europe/Madrid" selected"#), "{html}");

    // The old slug leads to the new one; nobody else may take either.
    assert_eq!(
        profile::resolve_slug(t.app(), "salon-lucia").await.unwrap(),
        Some(SlugTarget::Moved { workspace: a.workspace.id.clone(), slug: "lucia".into() })
    );
    assert_eq!(
        profile::resolve_slug(t.app(), "LUCIA").await.unwrap(),
        Some(SlugTarget::Current(a.workspace.id.clone()))
    );
    for taken in ["lucia", "salon-lucia"] {
        let e = profile::set_slug(t.app(), &a2, taken).await.unwrap_err();
        assert_eq!((e.code, e.field), ("slug_taken", Some("slug")), "{taken}");
    }
    // `/w/{slug}` is a short link to the workspace, the old slug too (for 90 days).
    for slug in ["lucia", "salon-lucia"] {
        let r = ana.get(t.url(&format!("/w/{slug}"))).send().await.unwrap();
        assert_eq!(r.status(), 303, "{slug}");
        assert_eq!(r.headers()["location"], format!("/w/{w}").as_str());
    }
    assert_eq!(ana.get(t.url("/w/nobody-has-this")).send().await.unwrap().status(), 404);
    // Taking one's own old slug back is fine.
    profile::set_slug(t.app(), &a, "salon-lucia").await.unwrap();
    profile::set_slug(t.app(), &a, "lucia").await.unwrap();
    // After 90 days the old slug leads nowhere, and the maintenance job forgets it.
    t.clock.advance_ms(91 * 24 * 3_600_000);
    assert_eq!(profile::resolve_slug(t.app(), "salon-lucia").await.unwrap(), None);
    profile::set_slug(t.app(), &a2, "salon-lucia").await.unwrap();
    t.stop().await;
}

#[tokio::test]
async fn hours_pages_and_the_assistant_read_the_profile() {
    let t = spawn_app().await;
    let ana = t.signed_in_user("ana@example.com").await;
    let w = t.workspace(&ana, "Studio").await;
    let token = t.api_token(&ana, &w, "admin").await;
    let (st, _, _) = save(
        &ana,
        &t,
        &w,
        &[("name", "Studio"), ("slug", "studio"), ("time_zone", "America/New_York"), ("phone", "+1 212 555 0100")],
    )
    .await;
    assert_eq!(st, 303);
    // The hours are kept in the profile's time zone, and naming one in the hours sets the
    // business's (there is one time zone).
    let c = t.client();
    let hours = |tz: &str| json!({ "hours": { "time_zone": tz, "ranges": [{ "day": "mon", "open": "09:00", "close": "18:00" }] } });
    let r = c
        .put(t.url("/api/v1/business-hours"))
        .bearer_auth(&token)
        .json(&hours("America/New_York"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, html) = page(&ana, &t, &format!("/w/{w}/settings/hours")).await;
    assert!(html.contains(r#"value="America/New_York" selected"#), "{html}");
    let r =
        c.put(t.url("/api/v1/business-hours")).bearer_auth(&token).json(&hours("Europe/Lisbon")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let a = access(&t, &w, "ana@example.com").await;
    assert_eq!(profile::get(t.app(), &a).await.unwrap().time_zone, "Europe/Lisbon");

    // Pages show times in the workspace's zone (the audit log's last entry is "just now").
    let (_, html) = page(&ana, &t, &format!("/w/{w}/audit")).await;
    assert!(html.contains(" WET\"") || html.contains(" WEST\""), "Lisbon time on hover: {html}");
    assert!(html.contains("changed the business profile"), "actions in words: {html}");
    assert!(html.contains("Test Person"), "who, by name: {html}");
    // A person's own zone wins over the workspace's.
    let r = ana
        .post(t.url("/account/preferences"))
        .form(&[("time_zone", "Asia/Tokyo"), ("theme", "dark")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, html) = page(&ana, &t, &format!("/w/{w}/audit")).await;
    assert!(html.contains(" JST\""), "{html}");
    assert!(html.contains(r#"data-theme="dark""#));
    let r = ana
        .post(t.url("/account/preferences"))
        .form(&[("time_zone", "Nowhere"), ("theme", "dark")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);

    t.stop().await;
}

#[tokio::test]
async fn a_person_lands_on_their_home_with_the_shell() {
    let t = spawn_app().await;
    let ana = t.signed_in_user("ana@example.com").await;
    // No workspace yet: the list.
    let r = ana.get(t.url("/home")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/app");
    let w = t.workspace(&ana, "Salon").await;
    let r = t.login(&ana, "ana@example.com", PASSWORD).await;
    assert_eq!(r.headers()["location"], "/home");
    let r = ana.get(t.url("/home")).send().await.unwrap();
    assert_eq!(r.headers()["location"], format!("/w/{w}").as_str());
    let (st, html) = page(&ana, &t, &format!("/w/{w}")).await;
    assert_eq!(st, 200);
    // The shell: the areas, the settings, the person, sign out, and the day's numbers.
    for want in [
        r#"aria-current="page""#,
        &format!(r#"href="/w/{w}/inbox""#),
        &format!(r#"href="/w/{w}/settings/profile""#),
        &format!(r#"href="/w/{w}/settings/members""#),
        r#"action="/logout""#,
        "Sign out",
        r#"data-stat="open""#,
        r#"data-stat="unassigned""#,
        "Nobody is waiting.",
        r#"id="onboarding""#,
    ] {
        assert!(html.contains(want), "{want}: {html}");
    }
    // Help appears only when the operator names a support chat.
    assert!(!html.contains(r#"href="/help""#));
    let (_, help) = page(&ana, &t, "/help").await;
    assert!(help.contains("No help desk is set up"), "{help}");
    t.stop().await;
}

#[tokio::test]
async fn help_opens_the_operators_support_chat_from_inside_the_app() {
    let support = frontdesk_core::ChannelId::new().to_string();
    let t = spawn_with(Options { support_channel: Some(support.clone()), ..Default::default() }).await;
    let ana = t.signed_in_user("ana@example.com").await;
    let w = t.workspace(&ana, "Salon").await;
    let (_, home) = page(&ana, &t, &format!("/w/{w}")).await;
    assert!(home.contains(r#"href="/help""#), "{home}");
    let (st, help) = page(&ana, &t, "/help").await;
    assert_eq!(st, 200);
    assert!(help.contains(&format!(r#"src="/chat/widget.js" data-channel="{support}""#)), "{help}");
    assert!(help.contains("ana@example.com"), "who is asking: {help}");
    t.stop().await;
}

#[tokio::test]
async fn the_profile_has_an_api() {
    let t = spawn_app().await;
    let ana = t.signed_in_user("ana@example.com").await;
    let w = t.workspace(&ana, "Estudio Norte").await;
    let token = t.api_token(&ana, &w, "admin").await;
    let c = t.client();
    let v: serde_json::Value =
        c.get(t.url("/api/v1/profile")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (v["slug"].as_str(), v["time_zone"].as_str(), v["has_logo"].as_bool()),
        (Some("estudio-norte"), Some("UTC"), Some(false)),
        "{v}"
    );
    let r = c
        .put(t.url("/api/v1/profile"))
        .bearer_auth(&token)
        .json(
            &json!({ "time_zone": "Europe/Madrid", "phone": "+34 600 11 22 33", "languages": ["es"], "slug": "norte" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        (v["slug"].as_str(), v["time_zone"].as_str(), v["phone"].as_str()),
        (Some("norte"), Some("Europe/Madrid"), Some("+34 600 11 22 33"))
    );
    // Left out: kept; refused values name their field.
    let r =
        c.put(t.url("/api/v1/profile")).bearer_auth(&token).json(&json!({ "currency": "XYZ" })).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        (e["error"]["code"].as_str(), e["error"]["field"].as_str()),
        (Some("unknown_currency"), Some("currency")),
        "{e}"
    );
    let v: serde_json::Value =
        c.get(t.url("/api/v1/profile")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["phone"], "+34 600 11 22 33");
    // A viewer reads it but may not change it.
    let viewer = t.api_token(&ana, &w, "viewer").await;
    assert_eq!(c.get(t.url("/api/v1/profile")).bearer_auth(&viewer).send().await.unwrap().status(), 200);
    let r = c.put(t.url("/api/v1/profile")).bearer_auth(&viewer).json(&json!({ "phone": "" })).send().await.unwrap();
    assert_eq!(r.status(), 403);
    t.stop().await;
}

#[tokio::test]
async fn the_logo_is_an_image_members_see_and_a_taken_slug_saves_nothing() {
    let t = spawn_app().await;
    let ana = t.signed_in_user("ana@example.com").await;
    let w = t.workspace(&ana, "Salon Logo").await;
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), b"rest-of-a-png"].concat();
    let upload = |body: Vec<u8>| ana.post(t.url(&format!("/w/{w}/settings/profile/logo"))).body(body).send();
    assert_eq!(upload(png.clone()).await.unwrap().status(), 204);
    let r = ana.get(t.url(&format!("/w/{w}/logo"))).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.bytes().await.unwrap().as_ref(), png.as_slice());
    let (_, html) = page(&ana, &t, &format!("/w/{w}/settings/profile")).await;
    assert!(html.contains(&format!(r#"src="/w/{w}/logo?v="#)), "{html}");
    // Not an image, too large: refused, the logo kept.
    assert_eq!(upload(b"<svg onload=alert(1)>".to_vec()).await.unwrap().status(), 415);
    assert_eq!(upload(vec![0x89; frontdesk_platform::profile::MAX_LOGO_BYTES + 1]).await.unwrap().status(), 413);
    assert_eq!(ana.get(t.url(&format!("/w/{w}/logo"))).send().await.unwrap().status(), 200);
    // Nobody outside the workspace sees it.
    let bob = t.signed_in_user("bob@example.com").await;
    assert_eq!(bob.get(t.url(&format!("/w/{w}/logo"))).send().await.unwrap().status(), 404);
    let r = ana.post(t.url(&format!("/w/{w}/settings/profile/logo/remove"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(ana.get(t.url(&format!("/w/{w}/logo"))).send().await.unwrap().status(), 404);

    // Another workspace holds the slug: the error is beside it and nothing else changes.
    t.workspace(&bob, "Taken Name").await;
    let (st, html, _) = save(
        &ana,
        &t,
        &w,
        &[
            ("name", "Salon Logo"),
            ("slug", "taken-name"),
            ("time_zone", "Europe/Madrid"),
            ("phone", "+34 600 00 00 01"),
        ],
    )
    .await;
    assert_eq!(st, 409, "{html}");
    assert!(html.contains(r#"id="slug-error""#), "{html}");
    let a = access(&t, &w, "ana@example.com").await;
    let p = profile::get(t.app(), &a).await.unwrap();
    assert_eq!((p.phone, p.time_zone.as_str(), p.slug.as_str()), (None, "UTC", "salon-logo"), "nothing saved");
    t.stop().await;
}

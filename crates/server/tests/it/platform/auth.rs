//! Sign-up, email verification, sign-in, sessions, TOTP 2FA and password reset.

use crate::helpers::*;
use serde_json::Value;

fn totp_now(secret_b32: &str, offset_steps: i64, clock_ms: i64) -> String {
    let secret = totp_rs::Secret::Encoded(secret_b32.to_string()).to_bytes().unwrap();
    let t = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, secret).unwrap();
    let step = clock_ms / 1000 / 30 + offset_steps;
    t.generate((step * 30) as u64)
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let s = html.find(start).unwrap_or_else(|| panic!("{start} not in page")) + start.len();
    let e = html[s..].find(end).unwrap() + s;
    &html[s..e]
}

#[tokio::test]
async fn signup_requires_verified_email_before_sign_in() {
    let t = spawn_app().await;
    let c = t.client();
    let r = c
        .post(t.url("/signup"))
        .form(&[("email", "ana@example.com"), ("name", "Ana"), ("password", PASSWORD), ("adult", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = t.login(&c, "ana@example.com", PASSWORD).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Confirm your email address"));

    let mail = t.wait_mail("ana@example.com", 1).await;
    assert!(mail.subject.contains("Confirm"));
    let token = mail.token(&t.url("/verify-email"));
    let r = c.post(t.url("/verify-email")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // The link works once.
    let r = c.post(t.url("/verify-email")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 410);

    let r = t.login(&c, "ana@example.com", PASSWORD).await;
    assert_eq!(r.status(), 303);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("fd_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let me: Value = c.get(t.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], "ana@example.com");
    t.stop().await;
}

#[tokio::test]
async fn signup_form_shows_each_error_next_to_its_field() {
    let t = spawn_app().await;
    let c = t.client();
    let cases = [
        (("not-an-email", "Ana", PASSWORD, true), "email", "does not look like an email"),
        (("ana@example.com", "Ana", "short", true), "password", "at least 10"),
        (("ana@example.com", "Ana", "password1234", true), "password", "too easy"),
        (("ana@example.com", "", PASSWORD, true), "name", "required"),
        (("ana@example.com", "Ana", PASSWORD, false), "adult", "18"),
    ];
    for ((email, name, pw, adult), field, msg) in cases {
        let mut form = vec![("email", email), ("name", name), ("password", pw)];
        if adult {
            form.push(("adult", "yes"));
        }
        let r = c.post(t.url("/signup")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 422, "{field}");
        let html = r.text().await.unwrap();
        assert!(html.contains(msg), "{field}: {msg} missing");
        if field != "adult" {
            assert!(html.contains(&format!("id=\"{field}-error\"")), "{field} error not next to the field");
        }
    }
    let huge = "x".repeat(5000);
    let r = c
        .post(t.url("/signup"))
        .form(&[("email", "ana@example.com"), ("name", "Ana"), ("password", huge.as_str()), ("adult", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    // Nothing half-written: the address is still free.
    assert_eq!(t.mail_count("ana@example.com"), 0);
    let r = c
        .post(t.url("/signup"))
        .form(&[("email", "ana@example.com"), ("name", "Ana"), ("password", PASSWORD), ("adult", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .post(t.url("/signup"))
        .form(&[("email", "ANA@example.com"), ("name", "Ana"), ("password", PASSWORD), ("adult", "yes")])
        .send()
        .await
        .unwrap();
    // A taken address gets the same answer as a new one; its owner hears of it instead.
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("We sent a confirmation link"));
    // (Two workers deliver: the confirmation and the notice may arrive in either order.)
    t.wait_mail("ana@example.com", 2).await;
    let subjects: Vec<String> =
        t.mails().into_iter().filter(|m| m.to.contains("ana@example.com")).map(|m| m.subject).collect();
    assert!(subjects.iter().any(|s| s.contains("Someone tried to use your email address")), "{subjects:?}");
    // Every field's problem at once.
    let r =
        c.post(t.url("/signup")).form(&[("email", "nope"), ("name", ""), ("password", "short")]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for f in ["email", "name", "password"] {
        assert!(html.contains(&format!("id=\"{f}-error\"")), "{f} error shown with the others");
    }
    assert!(html.contains("18"), "and the age question");
    t.stop().await;
}

#[tokio::test]
async fn invite_only_server_refuses_open_sign_up() {
    let t = spawn_with(Options { invite_only: true, ..Default::default() }).await;
    let r = t
        .client()
        .post(t.url("/signup"))
        .form(&[("email", "x@example.com"), ("name", "X"), ("password", PASSWORD), ("adult", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("by invitation only"));
    t.stop().await;
}

#[tokio::test]
async fn wrong_password_is_refused_and_audited() {
    let t = spawn_app().await;
    let _ = t.signed_in_user("ana@example.com").await;
    let c = t.client();
    for (email, pw) in [("ana@example.com", "wrong password!"), ("nobody@example.com", PASSWORD), ("bad", "x")] {
        let r = t.login(&c, email, pw).await;
        assert_eq!(r.status(), 401, "{email}");
        assert!(r.text().await.unwrap().contains("The email or password is not right"));
    }
    let entries = frontdesk_platform::audit::export(t.app(), "platform").await.unwrap();
    let failed = entries.iter().filter(|e| e.action == "auth.sign_in" && e.outcome == "failed").count();
    assert_eq!(failed, 2, "a malformed email is refused before any lookup; the other two are audited");
    t.stop().await;
}

#[tokio::test]
async fn login_rate_limited_per_ip_and_per_account() {
    use frontdesk_platform::ratelimit::{RateRules, Rule};
    let rules = RateRules { per_ip: Rule { max: 6, window_secs: 60 }, per_account: Rule { max: 3, window_secs: 600 } };
    let t = spawn_with(Options { rate: Some(rules), trusted_proxies: vec!["127.0.0.1".into()], ..Default::default() })
        .await;
    let c = t.client();
    let attempt = |ip: &'static str, email: &'static str| {
        c.post(t.url("/login"))
            .header("x-forwarded-for", ip)
            .form(&[("email", email), ("password", "wrong password!")])
            .send()
    };
    // Per account: the 4th try on one account is refused even from a new address.
    for ip in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        assert_eq!(attempt(ip, "ana@example.com").await.unwrap().status(), 401);
    }
    let r = attempt("203.0.113.4", "ana@example.com").await.unwrap();
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 600);
    assert!(r.text().await.unwrap().contains("Too many attempts"));
    // Per IP: one address spraying many accounts is stopped after its budget.
    let emails = ["a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com", "f@x.com"];
    for e in emails {
        assert_eq!(attempt("198.51.100.7", e).await.unwrap().status(), 401);
    }
    assert_eq!(attempt("198.51.100.7", "g@x.com").await.unwrap().status(), 429);
    // Another address is not affected; and after the window, the first one may try again.
    assert_eq!(attempt("198.51.100.8", "g@x.com").await.unwrap().status(), 401);
    t.clock.advance_ms(61_000);
    assert_eq!(attempt("198.51.100.7", "h@x.com").await.unwrap().status(), 401);
    t.stop().await;
}

/// Ten wrong passwords for `email` (after the budget of the sign-in before has run out): the
/// account is then locked, and an eleventh guess is refused before it is checked.
async fn lock_out(t: &TestApp, email: &str) {
    t.clock.advance_ms(16 * 60 * 1000);
    let c = t.client();
    for i in 0..10 {
        assert_eq!(t.login(&c, email, "wrong password!").await.status(), 401, "guess {i}");
    }
    let r = t.login(&c, email, "wrong password!").await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn a_locked_account_with_2fa_still_signs_in_with_the_right_password_and_a_code() {
    let t = spawn_app().await;
    let c = t.signed_in_user("ana@example.com").await;
    let page = c.get(t.url("/account/2fa")).send().await.unwrap().text().await.unwrap();
    let secret = between(&page, "data-secret>", "<").to_string();
    let now = || t.app().now().0;
    let code = totp_now(&secret, 0, now());
    assert_eq!(c.post(t.url("/account/2fa")).form(&[("code", code.as_str())]).send().await.unwrap().status(), 200);
    lock_out(&t, "ana@example.com").await;

    // A wrong password is still refused, the right one leads to the second factor.
    let d = t.client();
    assert_eq!(t.login(&d, "ana@example.com", "another wrong one").await.status(), 429);
    let r = t.login(&d, "ana@example.com", PASSWORD).await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login/2fa"));
    assert_eq!(d.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401, "a half session only");
    let r = d.post(t.url("/login/2fa")).form(&[("code", "000000")]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let code = totp_now(&secret, 0, now());
    let r = d.post(t.url("/login/2fa")).form(&[("code", code.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(d.get(t.url("/api/v1/me")).send().await.unwrap().status(), 200);
    // Still locked for guesses.
    assert_eq!(t.login(&t.client(), "ana@example.com", "wrong password!").await.status(), 429);
    t.stop().await;
}

#[tokio::test]
async fn a_locked_account_without_2fa_gets_back_in_through_a_reset_link() {
    let t = spawn_app().await;
    t.signed_in_user("ana@example.com").await;
    lock_out(&t, "ana@example.com").await;

    // Without a second factor the right password gets the same answer as a wrong one.
    let c = t.client();
    assert_eq!(t.login(&c, "ana@example.com", "another wrong one").await.status(), 429);
    assert_eq!(t.login(&c, "ana@example.com", PASSWORD).await.status(), 429);
    assert_eq!(c.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401);

    let r = c.post(t.url("/forgot-password")).form(&[("email", "ana@example.com")]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let token = t.wait_mail("ana@example.com", 2).await.token(&t.url("/reset-password"));
    let new_pw = "a brand new passphrase";
    let r =
        c.post(t.url("/reset-password")).form(&[("token", token.as_str()), ("password", new_pw)]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(t.login(&c, "ana@example.com", new_pw).await.status(), 303);
    assert_eq!(c.get(t.url("/api/v1/me")).send().await.unwrap().status(), 200);
    // A fresh budget: a wrong password is an ordinary refusal again.
    assert_eq!(t.login(&t.client(), "ana@example.com", PASSWORD).await.status(), 401);
    t.stop().await;
}

#[tokio::test]
async fn sessions_are_listed_and_revocable_and_logout_ends_the_session() {
    let t = spawn_app().await;
    let phone = t.signed_in_user("ana@example.com").await;
    let laptop = t.client();
    t.login(&laptop, "ana@example.com", PASSWORD).await;
    let list: Value = laptop.get(t.url("/api/v1/sessions")).send().await.unwrap().json().await.unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|s| s["ip"] == "127.0.0.1"));
    let other = list.iter().find(|s| s["current"] == false).unwrap()["id"].as_str().unwrap().to_string();
    let page = laptop.get(t.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&other) && page.contains("(this device)"));
    let r = laptop.post(t.url(&format!("/account/sessions/{other}/revoke"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(phone.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401);
    assert_eq!(phone.get(t.url("/account")).send().await.unwrap().status(), 303);
    // Unknown or someone else's session id: 404.
    let r = laptop.delete(t.url(&format!("/api/v1/sessions/{other}"))).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = laptop.delete(t.url("/api/v1/sessions/not-an-id")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "not_found");
    laptop.post(t.url("/logout")).send().await.unwrap();
    assert_eq!(laptop.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401);
    t.stop().await;
}

#[tokio::test]
async fn sessions_expire_when_idle() {
    let t = spawn_app().await;
    let c = t.signed_in_user("ana@example.com").await;
    assert_eq!(c.get(t.url("/api/v1/me")).send().await.unwrap().status(), 200);
    t.clock.advance_ms(15 * 24 * 3600 * 1000);
    assert_eq!(c.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401);
    t.stop().await;
}

#[tokio::test]
async fn totp_enable_sign_in_with_code_replay_guard_and_recovery_code() {
    let t = spawn_app().await;
    let c = t.signed_in_user("ana@example.com").await;
    let page = c.get(t.url("/account/2fa")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<svg") && page.contains("otpauth://totp/"));
    let secret = between(&page, "data-secret>", "<").to_string();
    let now = || t.app().now().0;
    let r = c.post(t.url("/account/2fa")).form(&[("code", "000000")]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("not right"));
    let code = totp_now(&secret, 0, now());
    let r = c.post(t.url("/account/2fa")).form(&[("code", code.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["set-cookie"].to_str().unwrap().starts_with("fd_session="), "session rotated");
    let page = r.text().await.unwrap();
    let codes: Vec<String> =
        page.split("<li><code>").skip(1).map(|s| s.split('<').next().unwrap().to_string()).collect();
    assert_eq!(codes.len(), 10);

    // Password alone now only opens a half session.
    let d = t.client();
    let r = t.login(&d, "ana@example.com", PASSWORD).await;
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login/2fa"));
    assert_eq!(d.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401);
    // The code used to enable 2FA cannot be replayed.
    let r = d.post(t.url("/login/2fa")).form(&[("code", code.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    t.clock.advance_ms(30_000);
    let fresh = totp_now(&secret, 0, now());
    let r = d.post(t.url("/login/2fa")).form(&[("code", fresh.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(d.get(t.url("/api/v1/me")).send().await.unwrap().status(), 200);

    // A recovery code works once.
    let e = t.client();
    t.login(&e, "ana@example.com", PASSWORD).await;
    let r = e.post(t.url("/login/2fa")).form(&[("code", codes[0].to_uppercase().as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let m = t.wait_mail("ana@example.com", 2).await;
    assert!(m.subject.contains("A recovery code was used") && m.body.contains("9 codes are left"), "{m:?}");
    let f = t.client();
    t.login(&f, "ana@example.com", PASSWORD).await;
    let r = f.post(t.url("/login/2fa")).form(&[("code", codes[0].as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 422);

    let actions: Vec<String> = frontdesk_platform::audit::export(t.app(), "platform")
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{}:{}", e.action, e.outcome))
        .collect();
    for want in
        ["2fa.enable:ok", "auth.second_factor:totp", "auth.second_factor:recovery_code", "auth.second_factor:failed"]
    {
        assert!(actions.iter().any(|a| a == want), "{want} not audited: {actions:?}");
    }
    t.stop().await;
}

#[tokio::test]
async fn password_reset_link_is_single_use_expires_and_signs_out_everywhere() {
    let t = spawn_app().await;
    let old = t.signed_in_user("ana@example.com").await;
    let c = t.client();
    // Unknown addresses get the same answer and no mail.
    let r = c.post(t.url("/forgot-password")).form(&[("email", "nobody@example.com")]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = c.post(t.url("/forgot-password")).form(&[("email", "ana@example.com")]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let mail = t.wait_mail("ana@example.com", 2).await;
    let token = mail.token(&t.url("/reset-password"));
    let new_pw = "a brand new passphrase";
    let r = c
        .post(t.url("/reset-password"))
        .form(&[("token", token.as_str()), ("password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "a weak password does not use up the link");
    let r =
        c.post(t.url("/reset-password")).form(&[("token", token.as_str()), ("password", new_pw)]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .post(t.url("/reset-password"))
        .form(&[("token", token.as_str()), ("password", "yet another passphrase")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 410);
    assert_eq!(old.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401, "old sessions end");
    assert_eq!(t.login(&c, "ana@example.com", PASSWORD).await.status(), 401);
    assert_eq!(t.login(&c, "ana@example.com", new_pw).await.status(), 303);

    // A link older than 30 minutes no longer works.
    c.post(t.url("/forgot-password")).form(&[("email", "ana@example.com")]).send().await.unwrap();
    let mail = t.wait_mail("ana@example.com", 3).await;
    let token = mail.token(&t.url("/reset-password"));
    t.clock.advance_ms(31 * 60 * 1000);
    let r = c
        .post(t.url("/reset-password"))
        .form(&[("token", token.as_str()), ("password", "yet another passphrase")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("expired"));
    t.stop().await;
}

//! Accounts while signed in (name, email by a link to the new address, password), the security
//! alerts, sign-in by an emailed link, and Sign in with Google against a loopback OpenID
//! provider that signs real RS256 ID tokens with a key it generates.

use crate::helpers::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";

fn browser(ua: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(ua)
        .build()
        .unwrap()
}

async fn sign_in(t: &TestApp, c: &reqwest::Client, email: &str, password: &str, tz: &str) -> reqwest::Response {
    c.post(t.url("/login")).form(&[("email", email), ("password", password), ("tz", tz)]).send().await.unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
}

/// Every raw mail file received, as text (to see links as a mail client would).
fn raw_mails(t: &TestApp) -> Vec<String> {
    let s = t.smtp.as_ref().expect("the tests' SMTP server");
    [s.maildir.join("new"), s.maildir.join("cur")]
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect()
}

fn totp(secret_b32: &str, clock_ms: i64) -> String {
    let secret = totp_rs::Secret::Encoded(secret_b32.to_string()).to_bytes().unwrap();
    let t = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, secret).unwrap();
    t.generate((clock_ms / 1000 / 30 * 30) as u64)
}

/// Turns 2FA on for the signed-in `c`; returns the secret.
async fn enable_2fa(t: &TestApp, c: &reqwest::Client) -> String {
    let page = c.get(t.url("/account/2fa")).send().await.unwrap().text().await.unwrap();
    let start = page.find("data-secret>").unwrap() + "data-secret>".len();
    let secret = page[start..].split('<').next().unwrap().to_string();
    let code = totp(&secret, t.app().now().0);
    assert_eq!(c.post(t.url("/account/2fa")).form(&[("code", code.as_str())]).send().await.unwrap().status(), 200);
    t.clock.advance_ms(30_000);
    secret
}

#[tokio::test]
async fn a_person_changes_name_email_and_password_and_hears_of_each_change() {
    let t = spawn_app().await;
    t.signed_in_user("ana@example.com").await; // mail 1: the confirmation
                                               // A first browser: no alert (nothing to compare with); its time zone is kept with the session.
    let ff = browser(FIREFOX);
    assert_eq!(sign_in(&t, &ff, "ana@example.com", PASSWORD, "Europe/Madrid").await.status(), 303);
    let page = ff.get(t.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Firefox on Linux · Europe/Madrid"), "the device and its zone: {page}");
    // Another browser: the owner is told.
    let ch = browser(CHROME);
    assert_eq!(sign_in(&t, &ch, "ana@example.com", PASSWORD, "America/Bogota").await.status(), 303);
    let m = t.wait_mail("ana@example.com", 2).await;
    assert!(m.subject.contains("A new sign-in"), "{}", m.subject);
    assert!(m.body.contains("Chrome on Windows") && m.body.contains("America/Bogota"), "{}", m.body);
    // Signing in again from a known browser says nothing.
    assert_eq!(sign_in(&t, &browser(CHROME), "ana@example.com", PASSWORD, "").await.status(), 303);

    // The name.
    let r = ff.post(t.url("/account/name")).form(&[("name", "Ana María")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(ff.get(t.url("/account")).send().await.unwrap().text().await.unwrap().contains("Ana María"));
    let r = ff.post(t.url("/account/name")).form(&[("name", " ")]).send().await.unwrap();
    assert_eq!(r.status(), 422);

    // The password: the current one asked; every other session ends; this one goes on.
    let new_pw = "a much longer new passphrase";
    let r = ff
        .post(t.url("/account/password"))
        .form(&[("current_password", "not the password"), ("new_password", new_pw)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("That password is not right."));
    let r = ff
        .post(t.url("/account/password"))
        .form(&[("current_password", PASSWORD), ("new_password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"new_password-error\""), "the error by its field");
    let r = ff
        .post(t.url("/account/password"))
        .form(&[("current_password", PASSWORD), ("new_password", new_pw)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(ff.get(t.url("/api/v1/me")).send().await.unwrap().status(), 200, "this session goes on");
    assert_eq!(ch.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401, "the others end");
    let m = t.wait_mail("ana@example.com", 3).await;
    assert!(m.subject.contains("Your password was changed"), "{}", m.subject);
    assert_eq!(t.login(&t.client(), "ana@example.com", PASSWORD).await.status(), 401);
    assert_eq!(t.login(&t.client(), "ana@example.com", new_pw).await.status(), 303);

    // The email: a link to the new address, the old one told; it changes only when followed.
    let r = ff
        .post(t.url("/account/email"))
        .form(&[("email", "ana.nueva@example.com"), ("email_password", new_pw)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("We sent a link to ana.nueva@example.com"));
    let old = t.wait_mail("ana@example.com", 4).await;
    assert!(old.subject.contains("A change of your email address was asked"), "{}", old.subject);
    let m = t.wait_mail("ana.nueva@example.com", 1).await;
    let link = m.link(&t.url("/account/email?token="));
    // The link stands whole on its own line in the raw mail (no quoted-printable soft break).
    let raw = raw_mails(&t)
        .into_iter()
        .find(|r| r.contains("ana.nueva@example.com") && r.contains("/account/email"))
        .unwrap();
    assert!(raw.lines().any(|l| l.trim() == link), "the raw mail holds the link unbroken:\n{raw}");
    assert!(raw.contains("Content-Type: text/html"), "and an HTML part");
    assert_eq!(t.login(&t.client(), "ana.nueva@example.com", new_pw).await.status(), 401, "not before the link");
    let page = t.client().get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("account-email-confirm"), "a button, not an action on GET");
    let token = link.split("token=").nth(1).unwrap();
    let r = t.client().post(t.url("/account/email/confirm")).form(&[("token", token)]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("ana.nueva@example.com"));
    let told = t.wait_mail("ana@example.com", 5).await;
    assert!(told.subject.contains("Your email address was changed"), "{}", told.subject);
    let again = t.client().post(t.url("/account/email/confirm")).form(&[("token", token)]).send().await.unwrap();
    assert_eq!(again.status(), 410, "once only");
    assert_eq!(t.login(&t.client(), "ana.nueva@example.com", new_pw).await.status(), 303);
    assert_eq!(t.login(&t.client(), "ana@example.com", new_pw).await.status(), 401);

    // An address another account holds: the same answer, and that account's owner is told.
    t.signed_in_user("bea@example.com").await;
    let r = ff
        .post(t.url("/account/email"))
        .form(&[("email", "bea@example.com"), ("email_password", new_pw)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("We sent a link to bea@example.com"));
    let m = t.wait_mail("bea@example.com", 2).await;
    assert!(m.subject.contains("Someone tried to use your email address"), "{}", m.subject);
    assert!(!m.body.contains("/account/email?token="), "no link to take it");

    // 2FA off and a new API token are told too.
    enable_2fa(&t, &ff).await;
    let r = ff.post(t.url("/account/2fa/disable")).form(&[("password", new_pw)]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let mails =
        |to: &str| t.all_mails().into_iter().filter(|m| m.to.contains(to)).map(|m| m.subject).collect::<Vec<_>>();
    t.wait_mail("ana.nueva@example.com", 2).await;
    assert!(mails("ana.nueva@example.com").iter().any(|s| s.contains("Two-factor authentication was turned off")));
    let ff = browser(FIREFOX);
    sign_in(&t, &ff, "ana.nueva@example.com", new_pw, "").await;
    let ws = t.workspace(&ff, "Salón Ana").await;
    t.api_token(&ff, &ws, "viewer").await;
    let mut told = false;
    for _ in 0..200 {
        told = mails("ana.nueva@example.com").iter().any(|s| s.contains("A new API token"));
        if told {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(told, "every owner hears of a new API token: {:?}", mails("ana.nueva"));
    t.stop().await;
}

#[tokio::test]
async fn a_sign_in_link_works_once_within_fifteen_minutes_and_two_factor_still_applies() {
    let t = spawn_app().await;
    let c = t.signed_in_user("ana@example.com").await;
    let d = t.client();
    // The same answer for an address without an account, and no mail.
    let r = d.post(t.url("/login/link")).form(&[("email", "nadie@example.com")]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = d.post(t.url("/login/link")).form(&[("email", "ana@example.com"), ("next", "/app")]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("link-sent"));
    assert_eq!(t.mail_count("nadie@example.com"), 0);
    let m = t.wait_mail("ana@example.com", 2).await;
    assert!(m.subject.contains("Your sign-in link"), "{}", m.subject);
    let token = m.token(&t.url("/login/link?token="));
    // Opening the link uses nothing; the button signs in, once.
    assert_eq!(d.get(t.url(&format!("/login/link?token={token}"))).send().await.unwrap().status(), 200);
    let r = d.post(t.url("/login/link/confirm")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!((r.status().as_u16(), location(&r)), (303, "/app".to_string()));
    assert_eq!(d.get(t.url("/api/v1/me")).send().await.unwrap().status(), 200);
    let e = t.client();
    let r = e.post(t.url("/login/link/confirm")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert_eq!(e.get(t.url(&format!("/login/link?token={token}"))).send().await.unwrap().status(), 410);
    // Fifteen minutes, then nothing.
    e.post(t.url("/login/link")).form(&[("email", "ana@example.com")]).send().await.unwrap();
    let late = t.wait_mail("ana@example.com", 3).await.token(&t.url("/login/link?token="));
    t.clock.advance_ms(16 * 60_000);
    let r = e.post(t.url("/login/link/confirm")).form(&[("token", late.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 410);
    // With 2FA on, the link opens only the half session.
    enable_2fa(&t, &c).await;
    e.post(t.url("/login/link")).form(&[("email", "ana@example.com")]).send().await.unwrap();
    let token = t.wait_mail("ana@example.com", 4).await.token(&t.url("/login/link?token="));
    let r = e.post(t.url("/login/link/confirm")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert!(location(&r).starts_with("/login/2fa"), "{}", location(&r));
    assert_eq!(e.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401);
    // Asking again and again is limited.
    let mut limited = false;
    for _ in 0..40 {
        let r = e.post(t.url("/login/link")).form(&[("email", "ana@example.com")]).send().await.unwrap();
        if r.status() == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "sign-in links are rate-limited");
    t.stop().await;
}

/// A loopback OpenID provider: discovery, a JWKS with the key it generated, and a token
/// endpoint that checks the client, the code and its PKCE verifier, then signs the ID token the
/// test set up for that code.
struct Provider {
    base: String,
    key: Arc<ring::signature::RsaKeyPair>,
    /// code → (claims, the code challenge the authorization request carried).
    codes: Arc<Mutex<HashMap<String, (Value, String)>>>,
}

fn generate_key() -> ring::signature::RsaKeyPair {
    let out = std::process::Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-outform", "DER"])
        .output()
        .expect("openssl makes the provider's key");
    assert!(out.status.success());
    ring::signature::RsaKeyPair::from_pkcs8(&out.stdout)
        .or_else(|_| ring::signature::RsaKeyPair::from_der(&out.stdout))
        .expect("an RSA key")
}

impl Provider {
    async fn start() -> Self {
        use axum::routing::{get, post};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let key = Arc::new(generate_key());
        let codes: Arc<Mutex<HashMap<String, (Value, String)>>> = Default::default();
        let disc = json!({
            "issuer": base, "authorization_endpoint": format!("{base}/authorize"),
            "token_endpoint": format!("{base}/token"), "jwks_uri": format!("{base}/jwks"),
        });
        let jwks = json!({ "keys": [frontdesk_platform::oidc::jwk_of_for_tests(&key, "k1")] });
        let (k, cs) = (key.clone(), codes.clone());
        let app = axum::Router::new()
            .route("/.well-known/openid-configuration", get(move || async move { axum::Json(disc) }))
            .route("/jwks", get(move || async move { axum::Json(jwks) }))
            .route(
                "/token",
                post(move |axum::Form(f): axum::Form<HashMap<String, String>>| {
                    let (k, cs) = (k.clone(), cs.clone());
                    async move {
                        let get = |n: &str| f.get(n).cloned().unwrap_or_default();
                        let bad = |e: &str| (axum::http::StatusCode::BAD_REQUEST, axum::Json(json!({ "error": e })));
                        if get("client_id") != "frontdesk-test" || get("client_secret") != "google-secret" {
                            return bad("invalid_client");
                        }
                        let Some((claims, challenge)) = cs.lock().unwrap().remove(&get("code")) else {
                            return bad("invalid_grant");
                        };
                        if frontdesk_platform::oidc::challenge_of(&get("code_verifier")) != challenge
                            || get("grant_type") != "authorization_code"
                        {
                            return bad("invalid_grant");
                        }
                        let id = frontdesk_platform::oidc::sign_rs256_for_tests(&k, "k1", &claims);
                        (axum::http::StatusCode::OK, axum::Json(json!({ "access_token": "at", "id_token": id })))
                    }
                }),
            );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { base, key, codes }
    }

    fn settings(&self) -> frontdesk_platform::google::GoogleSettings {
        frontdesk_platform::google::GoogleSettings {
            client_id: "frontdesk-test".into(),
            client_secret: "google-secret".into(),
            issuer: self.base.clone(),
            auth_url: format!("{}/authorize", self.base),
            token_url: format!("{}/token", self.base),
            calendar_api: format!("{}/calendar/v3", self.base),
        }
    }
}

/// Starts a Google sign-in from `c` and lets the provider answer with `claims` (the nonce is
/// filled from the request unless given); returns the callback's answer.
async fn google(t: &TestApp, p: &Provider, c: &reqwest::Client, start: &str, claims: Value) -> reqwest::Response {
    let r = if start == "link" {
        c.post(t.url("/account/google")).send().await.unwrap()
    } else {
        c.get(t.url("/auth/google?next=/app")).send().await.unwrap()
    };
    assert_eq!(r.status(), 303);
    let to = url::Url::parse(&location(&r)).unwrap();
    assert!(to.as_str().starts_with(&format!("{}/authorize?", p.base)), "{to}");
    let q: HashMap<String, String> = to.query_pairs().into_owned().collect();
    assert_eq!((q["response_type"].as_str(), q["code_challenge_method"].as_str()), ("code", "S256"));
    assert_eq!(q["client_id"], "frontdesk-test");
    assert_eq!(q["redirect_uri"], t.url("/auth/google/callback"));
    let now = t.app().now().unix_secs();
    let mut full = json!({ "iss": p.base, "aud": "frontdesk-test", "iat": now, "exp": now + 600, "nonce": q["nonce"] });
    for (k, v) in claims.as_object().unwrap() {
        full[k] = v.clone();
    }
    let code = format!("code-{}", rand::random::<u64>());
    p.codes.lock().unwrap().insert(code.clone(), (full, q["code_challenge"].clone()));
    let _ = &p.key;
    c.get(t.url(&format!("/auth/google/callback?state={}&code={code}", q["state"]))).send().await.unwrap()
}

fn person(sub: &str, email: &str) -> Value {
    json!({ "sub": sub, "email": email, "email_verified": true, "name": "Carla Ruiz", "picture": "https://lh3.example/p.jpg" })
}

#[tokio::test]
async fn google_sign_in_checks_the_id_token_and_links_an_existing_account_only_when_its_owner_confirms() {
    let p = Provider::start().await;
    let t = spawn_with(Options { google: Some(p.settings()), ..Default::default() }).await;
    let login = t.client().get(t.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(login.contains("sign-in-google"), "the login page offers Google");

    // A new person: an account is made, verified, and signed in.
    let c = t.client();
    let r = google(&t, &p, &c, "sign-in", person("g-100", "carla@example.com")).await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, "/app".to_string()));
    let page = c.get(t.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Carla Ruiz") && page.contains("Google: carla@example.com signs in"), "{page}");
    // Again: the same account.
    let again = t.client();
    assert_eq!(google(&t, &p, &again, "sign-in", person("g-100", "carla@example.com")).await.status(), 303);
    let me: Value = again.get(t.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], "carla@example.com");

    // What is refused, each with its code.
    for (claims, code, status) in [
        (
            json!({ "sub": "g-1", "email": "x@example.com", "email_verified": true, "aud": "someone-else" }),
            "wrong application",
            401,
        ),
        (json!({ "sub": "g-1", "email": "x@example.com", "email_verified": true, "exp": 1_000 }), "has expired", 401),
        (
            json!({ "sub": "g-1", "email": "x@example.com", "email_verified": true, "nonce": "another" }),
            "does not belong to this login",
            401,
        ),
        (
            json!({ "sub": "g-1", "email": "x@example.com", "email_verified": true, "iss": "https://evil.example" }),
            "unexpected issuer",
            401,
        ),
        (json!({ "sub": "g-1", "email": "x@example.com", "email_verified": false }), "not verified", 401),
    ] {
        let r = google(&t, &p, &t.client(), "sign-in", claims.clone()).await;
        assert_eq!(r.status(), status, "{claims}");
        let body = r.text().await.unwrap();
        let want = if code == "wrong application" { "different application" } else { code };
        assert!(body.contains(want), "{claims}: {body}");
    }
    let made: i64 = {
        let mut db = t.app().db.conn().await.unwrap();
        frontdesk_store::row::scalar(&mut db, "SELECT COUNT(*) FROM users WHERE email = 'x@example.com'", ())
            .await
            .unwrap()
    };
    assert_eq!(made, 0, "no account from a refused token");
    // A replayed state is refused.
    let d = t.client();
    let r = d.get(t.url("/auth/google")).send().await.unwrap();
    let q: HashMap<String, String> = url::Url::parse(&location(&r)).unwrap().query_pairs().into_owned().collect();
    let now = t.app().now().unix_secs();
    let claims = json!({ "iss": p.base, "aud": "frontdesk-test", "iat": now, "exp": now + 600, "nonce": q["nonce"],
                         "sub": "g-300", "email": "dora@example.com", "email_verified": true });
    for code in ["r1", "r2"] {
        p.codes.lock().unwrap().insert(code.into(), (claims.clone(), q["code_challenge"].clone()));
    }
    let first = d.get(t.url(&format!("/auth/google/callback?state={}&code=r1", q["state"]))).send().await.unwrap();
    assert_eq!(first.status(), 303);
    let replay =
        t.client().get(t.url(&format!("/auth/google/callback?state={}&code=r2", q["state"]))).send().await.unwrap();
    assert_eq!(replay.status(), 410);
    assert!(replay.text().await.unwrap().contains("already used"));

    // An address that has an account: nothing signs in until its owner confirms by email.
    let ana = t.signed_in_user("ana@example.com").await;
    let secret = enable_2fa(&t, &ana).await;
    let e = t.client();
    let r = google(&t, &p, &e, "sign-in", person("g-200", "ana@example.com")).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("google-link-sent"));
    assert_eq!(e.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401);
    let m = t.wait_mail("ana@example.com", 2).await;
    assert!(m.subject.contains("Connect your Google account"), "{}", m.subject);
    let token = m.token(&t.url("/auth/google/link?token="));
    assert_eq!(e.get(t.url(&format!("/auth/google/link?token={token}"))).send().await.unwrap().status(), 200);
    let r = e.post(t.url("/auth/google/link")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert!(location(&r).starts_with("/login/2fa"), "2FA still applies: {}", location(&r));
    let code = totp(&secret, t.app().now().0);
    assert_eq!(e.post(t.url("/login/2fa")).form(&[("code", code.as_str())]).send().await.unwrap().status(), 303);
    let told = t.wait_mail("ana@example.com", 3).await;
    assert!(told.subject.contains("A Google account now signs in"), "{}", told.subject);
    // From now on Google signs in to Ana's account directly (still through her second factor).
    let f = t.client();
    let r = google(&t, &p, &f, "sign-in", person("g-200", "ana@example.com")).await;
    assert!(location(&r).starts_with("/login/2fa"), "{}", location(&r));

    // A signed-in person connects Google from Account.
    let bea = t.signed_in_user("bea@example.com").await;
    let r = google(&t, &p, &bea, "link", person("g-400", "bea.personal@example.com")).await;
    assert_eq!((r.status().as_u16(), location(&r)), (303, "/account?saved=1#signin".to_string()));
    let page = bea.get(t.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Google: bea.personal@example.com signs in"), "{page}");
    // A Google account already linked elsewhere cannot be linked again.
    let r = google(&t, &p, &bea, "link", person("g-100", "carla@example.com")).await;
    assert_eq!(r.status(), 409);
    t.stop().await;
}

#[tokio::test]
async fn an_invitation_names_who_sent_it_and_to_which_workspace() {
    let t = spawn_app().await;
    let c = t.signed_in_user("ana@example.com").await;
    let ws = t.workspace(&c, "Salon Lucia").await;
    let r = c
        .post(t.url(&format!("/api/v1/workspaces/{ws}/invitations")))
        .json(&json!({ "email": "zoe@example.com", "role": "agent" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let m = t.wait_mail("zoe@example.com", 1).await;
    assert!(m.subject.contains("Test Person invited you to Salon Lucia"), "{}", m.subject);
    assert!(
        m.body.contains("Test Person (ana@example.com) invited you to join the workspace \"Salon Lucia\""),
        "{}",
        m.body
    );
    t.stop().await;
}

//! The language a person is answered in: their browser's (`Accept-Language`) on the public
//! pages, their own setting under Account once signed in (whatever the browser says), and a
//! mail in its recipient's language (their setting, else the language of the request that
//! sent it).

use crate::helpers::*;

/// A browser that asks for Spanish (Spain): keeps cookies, does not follow redirects.
fn spanish_browser() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ACCEPT_LANGUAGE, "es-ES,es;q=0.9,en;q=0.5".parse().unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

async fn page(c: &reqwest::Client, t: &TestApp, path: &str) -> String {
    let r = c.get(t.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

/// A header as sent (RFC 2047 encoded words, as lettre writes them for words beyond ASCII).
fn decode_header(value: &str) -> String {
    fn b64(s: &str) -> Vec<u8> {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
        for c in s.bytes().filter(|c| *c != b'=') {
            acc = (acc << 6) | alphabet.iter().position(|a| *a == c).unwrap() as u32;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        out
    }
    // Whitespace between two encoded words is not part of the text; any other is.
    let (mut out, mut after_encoded) = (String::new(), false);
    for word in value.split_whitespace() {
        let encoded = word.to_ascii_lowercase().starts_with("=?utf-8?b?") && word.ends_with("?=");
        let joined = encoded && after_encoded;
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        match encoded {
            true => out.push_str(&String::from_utf8(b64(&word[10..word.len() - 2])).unwrap()),
            false => out.push_str(word),
        }
        after_encoded = encoded;
    }
    out
}

#[tokio::test]
async fn pages_follow_the_browser_then_the_persons_own_language_and_mails_their_recipient() {
    let t = spawn_app().await;
    let es = spanish_browser();

    // A Spanish browser gets the sign-in page in Spanish.
    let html = page(&es, &t, "/login").await;
    assert!(html.contains(r#"<html lang="es">"#), "{html}");
    assert!(html.contains("Iniciar sesión"), "{html}");
    assert!(!html.contains(">Sign in<"), "{html}");
    // Without one, English, as before.
    let html = page(&t.client(), &t, "/login").await;
    assert!(html.contains(r#"<html lang="en">"#) && html.contains("Sign in"), "{html}");

    // Signing up from it: the confirmation mail is in Spanish (the account has no setting yet).
    let r = es
        .post(t.url("/signup"))
        .form(&[("email", "lucia@example.com"), ("name", "Lucía"), ("password", PASSWORD), ("adult", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Revisa tu correo"));
    let mail = t.wait_mail("lucia@example.com", 1).await;
    assert!(mail.body.contains("Confirma tu dirección de correo"), "{}", mail.body);
    assert_eq!(decode_header(&mail.subject), "Frontdesk: confirma tu dirección de correo");
    let token = mail.token(&t.url("/verify-email"));
    let r = es.post(t.url("/verify-email")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(t.login(&es, "lucia@example.com", PASSWORD).await.status(), 303);

    // Signed in, still the browser's language until the person picks one.
    let html = page(&es, &t, "/account").await;
    assert!(html.contains(r#"<html lang="es""#) && html.contains("Tu cuenta"), "{html}");
    let r = es
        .post(t.url("/account/preferences"))
        .form(&[("lang", "en"), ("time_zone", ""), ("theme", "system")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // English now, whatever the browser asks for.
    let html = page(&es, &t, "/account").await;
    assert!(html.contains(r#"<html lang="en""#), "{html}");
    assert!(html.contains("Your account") && html.contains("Signed-in devices"), "{html}");
    assert!(!html.contains("Tu cuenta"), "{html}");
    let html = page(&es, &t, "/app").await;
    assert!(html.contains("Your workspaces"), "{html}");

    // A reset link asked for from a Spanish browser, for someone without a setting: Spanish.
    t.signed_in_user("ana@example.com").await;
    let anonymous = spanish_browser();
    let r = anonymous.post(t.url("/forgot-password")).form(&[("email", "ana@example.com")]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Revisa tu correo"));
    let mail = t.wait_mail("ana@example.com", 2).await;
    assert!(mail.body.contains("Elige una nueva aquí"), "{}", mail.body);
    assert!(mail.body.contains("caduca en 30 minutos"), "{}", mail.body);
    assert_eq!(decode_header(&mail.subject), "Frontdesk: restablece tu contraseña");
    // The link in it works.
    let token = mail.token(&t.url("/reset-password"));
    let r = anonymous
        .post(t.url("/reset-password"))
        .form(&[("token", token.as_str()), ("password", "una frase de paso nueva")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Contraseña cambiada"));

    // For someone who chose English, the same request sends English.
    let r = anonymous.post(t.url("/forgot-password")).form(&[("email", "lucia@example.com")]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let mail = t.wait_mail("lucia@example.com", 2).await;
    assert_eq!(mail.subject, "Frontdesk: Reset your password");
    assert!(mail.body.contains("Choose a new one here"), "{}", mail.body);
    t.stop().await;
}

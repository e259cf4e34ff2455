//! The page sweep: every GET page of the route table, signed in as a workspace's owner, in one
//! Chromium, at 1280 px and at 375 px: it answers 200, nothing scrolls sideways, the console
//! stays quiet, and axe-core finds no violation of impact serious or critical. Screenshots of
//! every page at both widths go to `target/screenshots/` for review.

use crate::helpers::PASSWORD;
use crate::inbox::intake::{post_signed, setup, wa_channel, PHONE_A, SECRET};
use crate::inbox::webchat::{browser_tools, BrowserScript};

/// GET routes that are not pages a person looks at (streams, files, scripts, machine endpoints)
/// or that need a secret link of their own.
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/assets/")
        || path.starts_with("/chat/")
        || path.starts_with("/webhooks/")
        || path.starts_with("/files/")
        || path.starts_with("/invitations/")
        || path.starts_with("/admin")
        || ["/healthz", "/readyz", "/metrics", "/home", "/"].contains(&path)
        || path.ends_with("/events")
        || path.ends_with(".csv")
        || path.contains("/media/")
        || path.ends_with("/logo"))
}

#[tokio::test]
async fn every_page_fits_a_phone_and_a_laptop_and_passes_axe() {
    let Some(dir) = browser_tools() else { return };
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    let body = include_str!("../../../channels/tests/fixtures/wa_text.json");
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{ch}"), body, SECRET).await, 200);
    t.settle().await;
    let (_, threads) = crate::inbox::intake::api(t, &s.token, "GET", "/api/v1/threads", None).await;
    let thread = threads["threads"][0]["id"].as_str().expect("a thread").to_string();

    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    let args = [t.base.clone(), "owner@example.com".into(), PASSWORD.into(), shots.display().to_string()];
    let mut b = BrowserScript::start(&dir, "sweep.mjs", &args);
    let v = b.step("signed-in").await;
    assert!(v["url"].as_str().unwrap().ends_with(&format!("/w/{}", s.ws)), "lands on Home: {v}");

    let mut pages: Vec<(String, String)> = frontdesk_web::route_specs()
        .into_iter()
        .filter(|r| r.method == "GET" && is_page(r.path))
        .map(|r| {
            let path = r.path.replace("{ws}", &s.ws).replace("{id}", &thread);
            let name = r.path.trim_start_matches('/').replace(['/', '{', '}'], "-");
            (if name.is_empty() { "start".into() } else { name }, path)
        })
        .collect();
    // A conversation on its own, and the inbox list.
    pages.sort();
    pages.dedup();
    let mut failures = Vec::new();
    for (name, path) in &pages {
        use tokio::io::AsyncWriteExt;
        let line = serde_json::json!({ "name": name, "path": path }).to_string() + "\n";
        b.stdin.write_all(line.as_bytes()).await.unwrap();
        let v = b.step("page").await;
        for (width, r) in v["widths"].as_object().unwrap() {
            let status = r["status"].as_u64().unwrap_or(0);
            // Sign-up and sign-in pages send a signed-in person on; that is fine.
            if status != 200 && !(path.starts_with("/login") || path.starts_with("/signup")) {
                failures.push(format!("{path} at {width}: status {status}"));
            }
            if r["overflow"].as_i64().unwrap_or(0) > 0 {
                failures.push(format!("{path} at {width}: scrolls sideways by {} px", r["overflow"]));
            }
            for e in r["errors"].as_array().unwrap() {
                failures.push(format!("{path} at {width}: console {e}"));
            }
            for a in r["axe"].as_array().unwrap() {
                failures.push(format!("{path} at {width}: axe {} ({}) at {}", a["id"], a["impact"], a["nodes"]));
            }
        }
    }
    use tokio::io::AsyncWriteExt;
    b.stdin.write_all(b"\n").await.unwrap();
    b.step("done").await;
    b.finish().await;
    assert!(pages.len() >= 20, "the sweep saw {} pages", pages.len());
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    s.t.stop().await;
}

//! Cloud phones against loopback providers that are strict like the real ones (`fakes`): the
//! operator's providers (wrong credentials kept nowhere), profiles and pool; twenty devices
//! across GeeLark and ADB through their lifecycle with injected faults (a lost create answer,
//! a 5xx, busy and out-of-resources refusals, an offline device, expired credentials); every
//! running minute recorded once and charged through the plan's quota and the wallet, a stop
//! when credit runs out, the daily cap, the idle stop; and 30 minutes of running across a clock
//! jump and a `kill -9` recorded exactly once.

pub mod fakes;

use crate::helpers::*;
use crate::inbox::intake::{api, setup_with, Setup};
use fakes::{FakeAdb, FakeGeeLark, Fault};
use reqwest::Client;
use serde_json::{json, Value};
use std::time::Duration;

const APP_ID: &str = "app-frontdesk-test";
const KEY: &str = "geelark-key-000111";

pub struct Fleet {
    pub s: Setup,
    pub op: Client,
    pub gee: FakeGeeLark,
    pub adb: FakeAdb,
    pub gee_provider: String,
    pub gee_profile: String,
    pub adb_profile: String,
}

fn phone_settings() -> frontdesk_phones::PhonesSettings {
    frontdesk_phones::PhonesSettings { call_timeout_secs: 1, ..Default::default() }
}

pub async fn operator(t: &TestApp) -> Client {
    frontdesk_platform::operator::create_user(t.app(), "op@example.com", Option::<&str>::None, PASSWORD, true)
        .await
        .unwrap();
    let op = t.client();
    assert_eq!(t.login(&op, "op@example.com", PASSWORD).await.status(), 303);
    op
}

async fn post(c: &Client, url: String, body: Value) -> (u16, Value) {
    let r = c.post(url).json(&body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// The operator's GeeLark account and ADB host (its pool synced), a profile on each.
pub async fn fleet(o: Options, serials: &[&str]) -> Fleet {
    let o = Options { job_workers: Some(0), phones: Some(phone_settings()), ..o };
    let s = setup_with(o).await;
    let t = &s.t;
    let op = operator(t).await;
    let gee = FakeGeeLark::start(APP_ID, KEY).await;
    let adb = FakeAdb::start(serials).await;
    let providers = t.url("/api/v1/admin/phone-providers");
    // Wrong credentials: refused with their code, and nothing is kept.
    let (st, v) = post(
        &op,
        providers.clone(),
        json!({ "name": "GeeLark", "kind": "geelark", "endpoint": gee.base, "app_id": APP_ID, "api_key": "wrong" }),
    )
    .await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("provider_auth_failed")), "{v}");
    let (st, v) =
        post(&op, providers.clone(), json!({ "name": "Lab", "kind": "adb", "endpoint": "127.0.0.1:1" })).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("provider_unreachable")), "{v}");
    let listed: Value = op.get(&providers).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed["providers"], json!([]), "nothing half-written");
    let (st, v) = post(
        &op,
        providers.clone(),
        json!({ "name": "GeeLark", "kind": "geelark", "endpoint": gee.base, "app_id": APP_ID, "api_key": KEY }),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["key_hint"], "0111");
    assert!(v.get("api_key").is_none() && !v.to_string().contains(KEY), "the key is never shown: {v}");
    let gee_provider = v["id"].as_str().unwrap().to_string();
    let (st, v) = post(&op, providers.clone(), json!({ "name": "Lab", "kind": "adb", "endpoint": adb.addr })).await;
    assert_eq!(st, 201, "{v}");
    let adb_provider = v["id"].as_str().unwrap().to_string();
    let (st, v) = post(&op, t.url(&format!("/api/v1/admin/phone-providers/{adb_provider}/sync")), json!(null)).await;
    assert_eq!((st, v["added"].as_u64()), (200, Some(serials.len() as u64)), "{v}");
    let profiles = t.url("/api/v1/admin/phone-profiles");
    let (st, v) = post(
        &op,
        profiles.clone(),
        json!({ "provider_id": gee_provider, "name": "Cloud A13", "android_version": "Android 13", "region": "sgp" }),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let gee_profile = v["id"].as_str().unwrap().to_string();
    let (st, v) = post(
        &op,
        profiles,
        json!({ "provider_id": adb_provider, "name": "Lab tablet", "android_version": "Android 12" }),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let adb_profile = v["id"].as_str().unwrap().to_string();
    Fleet { s, op, gee, adb, gee_provider, gee_profile, adb_profile }
}

pub async fn device(t: &TestApp, token: &str, id: &str) -> Value {
    let (st, v) = api(t, token, "GET", &format!("/api/v1/devices/{id}"), None).await;
    assert_eq!(st, 200, "{v}");
    v
}

async fn devices(t: &TestApp, token: &str) -> Vec<Value> {
    let (st, v) = api(t, token, "GET", "/api/v1/devices", None).await;
    assert_eq!(st, 200, "{v}");
    v["devices"].as_array().unwrap().clone()
}

/// Runs the jobs, moving the clock 2 s at a time (the polls' backoff), until no device is in
/// the middle of an operation.
pub(crate) async fn drive(t: &TestApp, token: &str) -> Vec<Value> {
    for _ in 0..60 {
        t.run_jobs().await;
        let list = devices(t, token).await;
        if list.iter().all(|d| d["operation"].is_null()) {
            return list;
        }
        t.clock.advance_ms(2_000);
    }
    panic!("operations still under way: {:?}", devices(t, token).await);
}

pub(crate) async fn add(t: &TestApp, token: &str, profile: &str, name: &str) -> String {
    let (st, v) = api(
        t,
        token,
        "POST",
        "/api/v1/devices",
        Some(json!({ "profile_id": profile, "name": name, "tags": ["front"] })),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    v["id"].as_str().unwrap().to_string()
}

async fn ask(t: &TestApp, token: &str, id: &str, what: &str) -> (u16, Value) {
    let (method, path) = match what {
        "delete" => ("DELETE", format!("/api/v1/devices/{id}")),
        w => ("POST", format!("/api/v1/devices/{id}/{w}")),
    };
    let (st, v) = api(t, token, method, &path, None).await;
    (st.as_u16(), v)
}

fn by_id<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("{id} not in {list:?}"))
}

#[tokio::test]
async fn twenty_devices_across_geelark_and_adb_live_their_lifecycle_through_provider_faults() {
    let serials: Vec<String> = (0..10).map(|i| format!("lab-{i:02}")).collect();
    let refs: Vec<&str> = serials.iter().map(String::as_str).collect();
    let f = fleet(Options::default(), &refs).await;
    let (t, token) = (&f.s.t, f.s.token.as_str());

    // Ten GeeLark phones; the first create's answer is lost (the fake makes the phone, then
    // answers after the caller gave up): the retry finds it by our tag instead of making two.
    f.gee.fault("phone/addNew", Fault::Hang(Duration::from_secs(3)));
    let mut gee = vec![];
    for i in 0..10 {
        gee.push(add(t, token, &f.gee_profile, &format!("Cloud {i}")).await);
    }
    assert_eq!(device(t, token, &gee[0]).await["state"], "provisioning");
    let list = drive(t, token).await;
    for id in &gee {
        assert_eq!(by_id(&list, id)["state"], "stopped", "{list:?}");
    }
    assert_eq!(f.gee.phones().len(), 10, "one phone per request, the lost answer included");
    assert_eq!(f.gee.calls("phone/addNew"), 10);
    assert!(f.gee.phones().iter().all(|p| p.tags.iter().any(|t| t.starts_with("fd-"))), "tagged with our id");

    // Ten pool devices for the same workspace, one of them offline at its start.
    let mut lab = vec![];
    for i in 0..10 {
        lab.push(add(t, token, &f.adb_profile, &format!("Tablet {i}")).await);
    }
    let (st, v) =
        api(t, token, "POST", "/api/v1/devices", Some(json!({ "profile_id": f.adb_profile, "name": "One too many" })))
            .await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (409, Some("no_device_free")), "{v}");
    f.adb.set_state("lab-09", "offline");

    // Start all twenty: GeeLark answers the first start with a 500 (retried), refuses one phone
    // as busy with a task and another for lack of resources.
    f.gee.fault("phone/start", Fault::Http500);
    f.gee.fault("phone/status", Fault::Code(40007));
    let (busy, full) = (phone_of(&f.gee, &gee[1]), phone_of(&f.gee, &gee[2]));
    f.gee.state.lock().unwrap().refuse_start.extend([(busy, 43005), (full, 47002)]);
    for id in gee.iter().chain(&lab) {
        let (st, v) = ask(t, token, id, "start").await;
        assert_eq!(st, 200, "{v}");
        assert_eq!(v["state"], "starting");
    }
    let (st, v) = ask(t, token, &gee[0], "start").await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("device_busy")), "one operation at a time: {v}");
    let list = drive(t, token).await;
    let state = |id: &str| by_id(&list, id)["state"].as_str().unwrap().to_string();
    let refused_as = |id: &str| by_id(&list, id)["last_error"].as_str().unwrap_or("").to_string();
    assert_eq!(state(&gee[1]), "stopped");
    assert!(refused_as(&gee[1]).contains("43005"), "{}", refused_as(&gee[1]));
    assert_eq!(state(&gee[2]), "stopped");
    assert!(refused_as(&gee[2]).contains("47002"), "{}", refused_as(&gee[2]));
    for id in gee.iter().enumerate().filter(|(i, _)| *i != 1 && *i != 2).map(|(_, id)| id) {
        assert_eq!(state(id), "running", "{:?}", by_id(&list, id));
        assert!(by_id(&list, id)["stream_url"].as_str().unwrap().starts_with("https://remote.example/"));
    }
    for id in &lab[..9] {
        assert_eq!(state(id), "running");
    }
    assert!(matches!(state(&lab[9]).as_str(), "stopped" | "failed"), "{:?}", by_id(&list, &lab[9]));
    assert!(refused_as(&lab[9]).contains("offline"), "{}", refused_as(&lab[9]));
    let (st, v) = ask(t, token, &gee[0], "start").await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("device_running")), "{v}");

    // Restarts: GeeLark's one phone at a time, an ADB reboot; both end running again.
    assert_eq!(ask(t, token, &gee[3], "restart").await.0, 200);
    let r =
        f.s.owner
            .post(t.url(&format!("/w/{}/devices/{}/action", f.s.ws, lab[1])))
            .form(&[("do", "restart")])
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 303, "the page's button");
    let list = drive(t, token).await;
    assert_eq!(
        (by_id(&list, &gee[3])["state"].as_str(), by_id(&list, &lab[1])["state"].as_str()),
        (Some("running"), Some("running"))
    );
    assert_eq!(f.gee.calls("phone/restart"), 1);
    assert!(f.adb.commands("lab-01").contains(&"reboot:".to_string()));
    let (st, v) = ask(t, token, &gee[1], "restart").await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("device_not_running")), "{v}");

    // Another workspace sees none of it.
    let other_ws = t.workspace(&f.s.owner, "Salon B").await;
    let other = t.api_token(&f.s.owner, &other_ws, "admin").await;
    let (st, _) = api(t, &other, "GET", &format!("/api/v1/devices/{}", gee[0]), None).await;
    assert_eq!(st, 404);
    let (st, _) = ask(t, &other, &gee[0], "stop").await;
    assert_eq!(st, 404);
    assert!(devices(t, &other).await.is_empty());

    // Stop, reset, delete.
    assert_eq!(ask(t, token, &gee[0], "stop").await.0, 200);
    assert_eq!(ask(t, token, &lab[0], "stop").await.0, 200);
    let (st, v) = ask(t, token, &gee[3], "delete").await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("device_running_stop_first")), "{v}");
    let list = drive(t, token).await;
    assert_eq!(by_id(&list, &gee[0])["state"], "stopped");
    assert_eq!(by_id(&list, &lab[0])["state"], "stopped");
    assert!(f.adb.commands("lab-00").contains(&format!("shell:{}", frontdesk_phones::adb::SLEEP)));
    let (st, v) = ask(t, token, &gee[0], "reset").await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("not_supported")), "{v}");
    assert_eq!(ask(t, token, &lab[0], "reset").await.0, 200);
    drive(t, token).await;
    assert!(f.adb.commands("lab-00").contains(&format!("shell:{}", frontdesk_phones::adb::RESET)));
    // A pool device deleted goes back to the pool, reset, with nothing of the workspace.
    assert_eq!(ask(t, token, &lab[0], "delete").await.0, 200);
    assert_eq!(ask(t, token, &gee[0], "delete").await.0, 200);
    let list = drive(t, token).await;
    assert!(list.iter().all(|d| d["id"] != lab[0] && d["id"] != gee[0]), "{list:?}");
    assert_eq!(f.gee.phones().len(), 9);
    assert_eq!(f.adb.commands("lab-00").iter().filter(|c| c.contains("pm uninstall")).count(), 2);
    let all: Value = f.op.get(t.url("/api/v1/admin/devices")).send().await.unwrap().json().await.unwrap();
    let back = all["devices"].as_array().unwrap().iter().find(|d| d["id"] == lab[0]).unwrap();
    assert_eq!(
        (back["name"].as_str(), back["notes"].is_null(), back["tags"].clone()),
        (Some("lab-00"), true, json!([]))
    );
    assert_eq!(
        add(t, &other, &f.adb_profile, "Their tablet").await,
        lab[0],
        "the reset device serves the next workspace"
    );

    // The operator's key expires: the next start ends refused with provider_auth_failed, and
    // the provider shows it.
    f.gee.state.lock().unwrap().key = "rotated".into();
    assert_eq!(ask(t, token, &gee[1], "start").await.0, 200);
    let list = drive(t, token).await;
    assert_eq!(by_id(&list, &gee[1])["state"], "stopped");
    assert!(refused_as_of(&list, &gee[1]).contains("provider_auth_failed"));
    let provs: Value = f.op.get(t.url("/api/v1/admin/phone-providers")).send().await.unwrap().json().await.unwrap();
    let g = provs["providers"].as_array().unwrap().iter().find(|p| p["id"] == f.gee_provider).unwrap();
    assert_eq!(g["status"], "auth_failed", "{g}");

    // GeeLark's callbacks: a wrong signature is refused; a right one only asks again.
    let hook = t.url(&format!("/webhooks/geelark/{}", f.gee_provider));
    let r = Client::new().post(&hook).json(&json!({ "type": 8, "id": "x" })).send().await.unwrap();
    assert_eq!(r.status(), 401);
    f.gee.state.lock().unwrap().key = KEY.into();
    let mut rb = Client::new().post(&hook).json(&json!({ "type": 8 }));
    for (k, v) in f.gee.callback_headers(KEY) {
        rb = rb.header(k, v);
    }
    let r = rb.send().await.unwrap();
    assert_eq!(r.status(), 200);
    let before = f.gee.calls("phone/status");
    t.run_jobs().await;
    assert!(f.gee.calls("phone/status") > before, "the callback triggered a poll");
    f.s.t.stop().await;
}

/// The GeeLark phone carrying our device's tag.
fn phone_of(g: &FakeGeeLark, device: &str) -> String {
    let tag = format!("fd-{device}");
    g.phones().into_iter().find(|p| p.tags.contains(&tag)).unwrap().id
}

fn refused_as_of(list: &[Value], id: &str) -> String {
    by_id(list, id)["last_error"].as_str().unwrap_or("").to_string()
}

async fn minutes_of(t: &TestApp, id: &str) -> Vec<(i64, String)> {
    let mut c = t.app().db.conn().await.unwrap();
    let rows: Vec<String> = frontdesk_store::row::scalars(
        &mut c,
        "SELECT CAST(minute AS TEXT) || ':' || outcome FROM device_minutes WHERE device_id = $1 ORDER BY minute",
        id,
    )
    .await
    .unwrap();
    rows.iter()
        .map(|r| {
            let (m, o) = r.split_once(':').unwrap();
            (m.parse().unwrap(), o.to_string())
        })
        .collect()
}

#[tokio::test]
async fn running_minutes_are_paid_from_the_quota_then_the_wallet_and_a_phone_stops_when_credit_runs_out() {
    use frontdesk_billing::plans::{self, AdjustInput, PlanInput, PlatformBillingSettings};
    let o = Options {
        platform_billing: Some(PlatformBillingSettings {
            stripe_secret_key: "sk_test_platform_phones01".into(),
            webhook_secret: "whsec_phones".into(),
            default_plan: Some("Phones".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let f = fleet(o, &["lab-00"]).await;
    let (t, token) = (&f.s.t, f.s.token.as_str());
    let b = &t.running.as_ref().unwrap().billing;
    let cli = frontdesk_platform::audit::Actor::cli();
    let plan: PlanInput = serde_json::from_value(json!({ "name": "Phones", "monthly_price": "0.00",
        "included_device_minutes": 5, "device_minute_price": "0.007" }))
    .unwrap();
    plans::create_plan(b, &cli, &plan).await.unwrap();
    plans::adjust(b, &cli, &f.s.ws, &AdjustInput { amount: "0.05".into(), reason: "Test credit".into() })
        .await
        .unwrap();

    let id = add(t, token, &f.adb_profile, "Tablet").await;
    assert_eq!(ask(t, token, &id, "start").await.0, 200);
    drive(t, token).await;
    assert_eq!(device(t, token, &id).await["state"], "running");
    // Five free minutes, then seven at 0.007 (0.049 of the 0.05); the thirteenth does not fit.
    for _ in 0..15 {
        t.clock.advance_ms(60_000);
        device(t, token, &id).await; // someone is watching: no idle stop
        frontdesk_phones::meter::run(&t.running.as_ref().unwrap().phones).await.unwrap();
    }
    drive(t, token).await;
    let d = device(t, token, &id).await;
    assert_eq!(d["state"], "stopped", "{d}");
    let rows = minutes_of(t, &id).await;
    assert_eq!(rows.len(), 12, "{rows:?}");
    let mut c = t.app().db.conn().await.unwrap();
    let ws = frontdesk_core::WorkspaceId::parse(&f.s.ws).unwrap();
    let bal = frontdesk_billing::wallet::balance_in(&mut c, &ws).await.unwrap();
    assert_eq!(bal.0, 1_000, "0.05 - 7 × 0.007 = 0.001");
    assert_eq!(frontdesk_billing::wallet::replay(&mut c, &ws).await.unwrap(), bal);
    drop(c);
    let mut told = None;
    for _ in 0..100 {
        t.run_jobs().await;
        told = t.mails().into_iter().find(|m| m.to.contains("owner@example.com") && m.subject.contains("Tablet"));
        if told.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mail = told.expect("the owner is told the phone stopped for lack of credit");
    assert!(mail.body.contains(&format!("/devices/{id}")), "{mail:?}");
    let (_, act) = api(t, token, "GET", &format!("/api/v1/devices/{id}/activity"), None).await;
    assert!(
        act["activity"].as_array().unwrap().iter().any(|a| a["action"] == "stop" && a["outcome"] == "no_credit"),
        "{act}"
    );
    // A start without credit for a minute is refused at its first minute again.
    f.s.t.stop().await;
}

#[tokio::test]
async fn without_platform_billing_minutes_are_recorded_capped_per_day_and_an_unwatched_phone_stops() {
    let f = fleet(Options::default(), &["lab-00"]).await;
    let (t, token) = (&f.s.t, f.s.token.as_str());
    let (st, v) = api(
        t,
        token,
        "PUT",
        "/api/v1/phone-settings",
        Some(json!({ "idle_stop_minutes": 30, "daily_cap_minutes": 10 })),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let (st, v) = api(t, token, "PUT", "/api/v1/phone-settings", Some(json!({ "idle_stop_minutes": 0 }))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("invalid_idle_stop")), "{v}");
    let id = add(t, token, &f.adb_profile, "Tablet").await;
    t.at_ten_utc();
    assert_eq!(ask(t, token, &id, "start").await.0, 200);
    drive(t, token).await;
    let phones = t.running.as_ref().unwrap().phones.clone();
    for _ in 0..19 {
        t.clock.advance_ms(60_000);
        device(t, token, &id).await;
        frontdesk_phones::meter::run(&phones).await.unwrap();
    }
    let rows = minutes_of(t, &id).await;
    assert_eq!(rows.len(), 20, "{rows:?}");
    assert_eq!(rows.iter().filter(|(_, o)| o == "capped").count(), 10);
    let minutes: std::collections::HashSet<i64> = rows.iter().map(|(m, _)| *m).collect();
    assert_eq!(minutes.len(), 20, "each minute once");
    let (_, u) = api(t, token, "GET", &format!("/api/v1/devices/{id}/usage"), None).await;
    assert_eq!((u["total_minutes"].as_i64(), u["days"][0]["capped"].as_i64()), (Some(20), Some(10)), "{u}");
    // Nobody watches for 31 minutes: stopped as idle, and its minutes up to then recorded.
    t.clock.advance_ms(31 * 60_000);
    frontdesk_phones::meter::run(&phones).await.unwrap();
    drive(t, token).await;
    let d = device(t, token, &id).await;
    assert_eq!(d["state"], "stopped", "{d}");
    let (_, act) = api(t, token, "GET", &format!("/api/v1/devices/{id}/activity"), None).await;
    assert!(act["activity"].as_array().unwrap().iter().any(|a| a["outcome"] == "idle"), "{act}");
    assert_eq!(minutes_of(t, &id).await.len(), 51, "fifty minutes and the one begun");
    // The page says who drives it and warns a closed tab keeps billing.
    let (st, v) = api(t, token, "POST", &format!("/api/v1/devices/{id}/lease"), Some(json!({ "minutes": 15 }))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (409, Some("people_only")), "{v}");
    let r =
        f.s.owner
            .post(t.url(&format!("/api/v1/devices/{id}/lease")))
            .json(&json!({ "minutes": 500 }))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 422);
    let r =
        f.s.owner
            .post(t.url(&format!("/api/v1/devices/{id}/lease")))
            .json(&json!({ "minutes": 15 }))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
    let html = f.s.owner.get(t.url(&format!("/w/{}/devices/{id}", f.s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"lease\"") && html.contains("id=\"billing-warning\""), "{html}");
    // Who did what stays; from where is forgotten after 90 days (P37).
    let (_, act) = api(t, token, "GET", &format!("/api/v1/devices/{id}/activity"), None).await;
    assert!(act["activity"].as_array().unwrap().iter().any(|a| a["ip"].is_string()), "{act}");
    t.clock.advance_ms(91 * 86_400_000);
    assert!(frontdesk_phones::retention(&phones).await.unwrap() > 0);
    let (_, act) = api(t, token, "GET", &format!("/api/v1/devices/{id}/activity"), None).await;
    let rows = act["activity"].as_array().unwrap();
    assert!(rows.iter().all(|a| a["ip"].is_null()) && rows.iter().any(|a| a["action"] == "start"), "{act}");
    f.s.t.stop().await;
}

async fn binary_api(c: &Client, base: &str, token: &str, method: &str, path: &str) -> Value {
    let r = c.request(method.parse().unwrap(), format!("{base}{path}")).bearer_auth(token).send().await.unwrap();
    r.json().await.unwrap_or(Value::Null)
}

#[tokio::test]
async fn thirty_minutes_across_a_clock_jump_and_a_kill_9_are_recorded_once() {
    let f = fleet(Options::default(), &["lab-00"]).await;
    let token = f.s.token.clone();
    let id = add(&f.s.t, &token, &f.adb_profile, "Tablet").await;
    let (dir, db) = (f.s.t.dir.clone(), f.s.t.config.database.url.clone());
    let adb = f.adb.clone();
    f.s.t.halt().await;

    let clock = dir.join("clock-offset");
    std::fs::write(&clock, "0").unwrap();
    let env = [
        ("FRONTDESK_TEST_CLOCK_FILE", clock.display().to_string()),
        ("FRONTDESK__JOBS__SCHEDULER_TICK_SECS", "1".to_string()),
    ];
    let port = free_port();
    let mut server = Binary::start_env(&dir, &db, port, "phones1.log", &[], &env).await;
    let c = Client::new();
    let base = server.base.clone();
    binary_api(&c, &base, &token, "POST", &format!("/api/v1/devices/{id}/start")).await;
    let wait = |want: &'static str, minutes: i64| {
        let (c, base, token, id) = (c.clone(), base.clone(), token.clone(), id.clone());
        async move {
            let mut d = Value::Null;
            for _ in 0..300 {
                d = binary_api(&c, &base, &token, "GET", &format!("/api/v1/devices/{id}")).await;
                if d["state"] == want
                    && d["operation"].is_null()
                    && d["minutes_this_run"].as_i64().unwrap_or(0) >= minutes
                {
                    return d;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("not {want} with {minutes} minutes: {d}");
        }
    };
    wait("running", 0).await;
    // Fourteen and a half minutes later: fifteen minutes begun, then the process dies.
    std::fs::write(&clock, (14 * 60_000 + 30_000).to_string()).unwrap();
    wait("running", 15).await;
    server.kill9();
    let mut server = Binary::start_env(&dir, &db, port, "phones2.log", &[], &env).await;
    std::fs::write(&clock, (29 * 60_000 + 30_000).to_string()).unwrap();
    wait("running", 30).await;
    binary_api(&c, &server.base, &token, "POST", &format!("/api/v1/devices/{id}/stop")).await;
    let d = wait("stopped", 0).await;
    assert!(d["running_since"].is_null(), "{d}");
    let usage = binary_api(&c, &server.base, &token, "GET", &format!("/api/v1/devices/{id}/usage")).await;
    server.stop();
    assert_eq!(usage["total_minutes"], 30, "{usage}");
    let app = frontdesk_server::build_app(&config_for(&dir, &db), std::sync::Arc::new(frontdesk_platform::SystemClock))
        .await
        .unwrap();
    let mut conn = app.db.conn().await.unwrap();
    let keys: Vec<i64> = frontdesk_store::row::scalars(
        &mut conn,
        "SELECT minute FROM device_minutes WHERE device_id = $1 ORDER BY minute",
        id.as_str(),
    )
    .await
    .unwrap();
    assert_eq!(keys.len(), 30);
    assert!(keys.windows(2).all(|w| w[1] == w[0] + 1), "thirty consecutive minutes, none twice: {keys:?}");
    assert!(adb.commands("lab-00").iter().any(|c| c.contains("keyevent")), "stopped at the device");
    drop(conn);
    app.db.close().await;
    drop_test_database(&db).await;
}

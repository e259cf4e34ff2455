//! Invoices: numbered at issue (gapless, never dated back, hash-chained), taxed per line with
//! prices including tax, rendered to a PDF whose text `pdftotext` reads back, mailed and shown
//! at a signed link, corrected by credit notes, exported for the accountant; a paid booking
//! invoiced for exactly what was charged and its refund credited; erasure keeps what the law
//! keeps; seven years, then gone.

use super::*;
use frontdesk_invoices::Invoices;

fn invoices(t: &TestApp) -> &Invoices {
    &t.running.as_ref().unwrap().invoices
}

async fn profile(t: &TestApp, token: &str, auto: bool) {
    let body = json!({ "legal_name": "Peluquería Ñandú S.L.", "tax_id": "B12345678", "tax_rates": ["21", "10"],
                       "auto_issue": auto, "footer": "Pago en 15 días." });
    let (st, v) = api(t, token, "PUT", "/api/v1/invoice-profile", Some(body)).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["time_zone"], MADRID, "the time zone comes from the business profile: {v}");
}

fn line(d: &str, q: &str, p: &str, disc: Option<&str>, rate: &str) -> Value {
    json!({ "description": d, "quantity": q, "unit_price": p, "discount": disc, "tax_rate": rate })
}

async fn draft(t: &TestApp, token: &str, body: Value) -> Value {
    let (st, v) = api(t, token, "POST", "/api/v1/invoices", Some(body)).await;
    assert_eq!(st, 201, "{v}");
    v
}

fn today(t: &TestApp) -> String {
    frontdesk_core::hours::local_date(MADRID, t.app().now().0).unwrap()
}

fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = temp_dir("pdf");
    let path = dir.join("x.pdf");
    std::fs::write(&path, pdf).unwrap();
    match std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output() {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        Ok(o) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(_) => {
            assert!(!ci(), "pdftotext (poppler-utils) is needed in CI");
            None
        }
    }
}

#[tokio::test]
async fn an_invoice_is_numbered_at_issue_taxed_per_line_printed_in_spanish_and_corrected_by_a_credit_note() {
    let x = shop("salon-a", "sk_test_salonA_00000000inv1").await;
    let t = &x.s.t;
    let tk = &x.s.token;
    // Without a profile there are no invoices.
    let body = json!({ "buyer_name": "Ana", "lines": [line("Corte", "1", "25.00", None, "21")] });
    let (st, v) = api(t, tk, "POST", "/api/v1/invoices", Some(body.clone())).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (409, Some("no_invoice_profile")), "{v}");
    profile(t, tk, false).await;
    // Bad lines get their codes.
    for (l, code) in [
        (line("Corte", "1", "25.00", None, "7"), "unknown_tax_rate"),
        (line("Corte", "-1", "25.00", None, "21"), "negative_quantity"),
        (line("Corte", "1.2345", "25.00", None, "21"), "invalid_quantity"),
        (line("Corte", "1", "veinte", None, "21"), "invalid_unit_price"),
        (line("", "1", "25.00", None, "21"), "line_description_required"),
    ] {
        let (st, v) = api(t, tk, "POST", "/api/v1/invoices", Some(json!({ "lines": [l] }))).await;
        assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some(code)), "{v}");
    }
    // Two cuts at 25.00 (21 %), a shampoo at 12.10 with 10 % off (10 %).
    let d = draft(
        t,
        tk,
        json!({ "buyer_name": "Señora Núñez", "buyer_tax_id": "12345678Z", "buyer_address": "Calle Mayor 1, Madrid",
                "buyer_email": "nunez@example.com", "lang": "es", "notes": "Gracias por su visita",
                "lines": [line("Corte y peinado", "2", "25.00", None, "21"), line("Champú", "1", "12.10", Some("10"), "10")] }),
    )
    .await;
    assert_eq!(d["status"], "draft");
    assert_eq!(d["number"], Value::Null, "a draft has no number");
    assert_eq!(d["total_minor"], 6089, "{d}");
    assert_eq!(
        d["taxes"],
        json!([{ "tax_rate": "21", "base_minor": 4132, "tax_minor": 868 }, { "tax_rate": "10", "base_minor": 990, "tax_minor": 99 }])
    );
    let id = d["id"].as_str().unwrap().to_string();
    // Dates in the future are refused; today issues it with the first number of the year.
    let (st, v) =
        api(t, tk, "POST", &format!("/api/v1/invoices/{id}/issue"), Some(json!({ "issue_date": "2999-01-01" }))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("issue_date_in_future")), "{v}");
    let (st, v) = api(t, tk, "POST", &format!("/api/v1/invoices/{id}/issue"), Some(json!({}))).await;
    assert_eq!(st, 200, "{v}");
    let year = &today(t)[..4];
    assert_eq!(v["number"], format!("{year}-0001"));
    assert_eq!(v["issue_date"], today(t));
    assert_eq!(v["prev_hash"], Value::Null, "the first of its series");
    // Issued is immutable.
    let (st, v2) = api(t, tk, "PUT", &format!("/api/v1/invoices/{id}"), Some(body.clone())).await;
    assert_eq!((st.as_u16(), v2["error"]["code"].as_str()), (409, Some("invoice_issued")), "{v2}");
    let (st, _) = api(t, tk, "DELETE", &format!("/api/v1/invoices/{id}"), None).await;
    assert_eq!(st, 409);
    let (st, v2) = api(t, tk, "POST", &format!("/api/v1/invoices/{id}/issue"), Some(json!({}))).await;
    assert_eq!((st.as_u16(), v2["error"]["code"].as_str()), (409, Some("invoice_issued")), "{v2}");
    // A later draft cannot be dated before the series' last.
    let second = draft(t, tk, body.clone()).await;
    let yesterday = frontdesk_core::hours::local_date(MADRID, t.app().now().0 - 86_400_000).unwrap();
    let path = format!("/api/v1/invoices/{}/issue", second["id"].as_str().unwrap());
    let (st, v2) = api(t, tk, "POST", &path, Some(json!({ "issue_date": yesterday }))).await;
    assert_eq!((st.as_u16(), v2["error"]["code"].as_str()), (422, Some("date_before_last")), "{v2}");
    let (st, v2) = api(t, tk, "POST", &path, Some(json!({ "send": false }))).await;
    assert_eq!(st, 200, "{v2}");
    assert_eq!(v2["number"], format!("{year}-0002"), "the refused attempt took no number");
    assert!(v2["prev_hash"].is_string(), "it holds the hash of the one before");

    // The PDF, in Spanish: number, parties, lines, tax per rate, total.
    let r = x.s.owner.get(t.url(&format!("/api/v1/invoices/{id}/pdf"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap().to_vec();
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() < 100_000, "a small PDF: {} bytes", pdf.len());
    if let Some(text) = pdf_text(&pdf) {
        for want in [
            "Factura",
            &format!("{year}-0001"),
            "Peluquería Ñandú S.L.",
            "B12345678",
            "Señora Núñez",
            "Corte y peinado",
            "Champú",
            "Base al 21 %",
            "41,32",
            "IVA al 21 %",
            "8,68",
            "IVA al 10 %",
            "0,99",
            "60,89",
            "€",
            "Pago en 15 días.",
        ] {
            assert!(text.contains(want), "{want:?} in the PDF's text:\n{text}");
        }
    }
    // Mailed to the customer with its link; the link shows it and its PDF, a changed one nothing.
    let m = t.wait_mail("nunez@example.com", 1).await;
    assert!(m.subject.contains(&format!("{year}-0001")), "{}", m.subject);
    let link = m.link(&t.url("/invoices/"));
    let page = t.client().get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("{year}-0001")) && html.contains("invoice-pay"), "payable online: {html}");
    let r = t.client().get(format!("{link}/pdf")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bad = format!("{}x", link.trim_end_matches('/'));
    assert_eq!(t.client().get(&bad).send().await.unwrap().status(), 404);
    // Paying it from the link opens a checkout for its total.
    let r = t.client().post(format!("{link}/pay")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let pay = r.headers()["location"].to_str().unwrap().to_string();
    assert!(pay.contains("/pay/"), "{pay}");

    // The credit note: its own series, naming the invoice, negative, and only once in full.
    let (st, cn) = api(
        t,
        tk,
        "POST",
        &format!("/api/v1/invoices/{id}/credit-notes"),
        Some(json!({ "reason": "Error en el precio" })),
    )
    .await;
    assert_eq!(st, 201, "{cn}");
    assert_eq!(
        (cn["kind"].as_str(), cn["number"].as_str()),
        (Some("credit_note"), Some(format!("R{year}-0001").as_str()))
    );
    assert_eq!(cn["corrects_id"], id.as_str());
    assert_eq!(cn["total_minor"], -6089);
    let (st, v2) = api(t, tk, "POST", &format!("/api/v1/invoices/{id}/credit-notes"), Some(json!({}))).await;
    assert_eq!((st.as_u16(), v2["error"]["code"].as_str()), (409, Some("partly_credited")), "{v2}");
    let more = json!({ "lines": [line("Corte", "1", "1.00", None, "21")] });
    let (st, v2) = api(t, tk, "POST", &format!("/api/v1/invoices/{id}/credit-notes"), Some(more)).await;
    assert_eq!((st.as_u16(), v2["error"]["code"].as_str()), (422, Some("credit_exceeds_invoice")), "{v2}");
    let cpdf =
        x.s.owner.get(t.url(&format!("/api/v1/invoices/{}/pdf", cn["id"].as_str().unwrap()))).send().await.unwrap();
    if let Some(text) = pdf_text(&cpdf.bytes().await.unwrap()) {
        assert!(
            text.contains("Factura rectificativa") && text.contains(&format!("Rectifica la factura {year}-0001")),
            "{text}"
        );
        assert!(text.contains("-60,89"), "{text}");
    }
    let ws = frontdesk_core::WorkspaceId::parse(&x.s.ws).unwrap();
    assert!(
        frontdesk_invoices::invoices::verify_chain(invoices(t), &ws, "").await.unwrap(),
        "the invoices' chain holds"
    );
    assert!(
        frontdesk_invoices::invoices::verify_chain(invoices(t), &ws, "R").await.unwrap(),
        "the credit notes' chain holds"
    );

    // The accountant: a CSV row per rate, and a ZIP of the PDFs built by a job.
    let q = format!("from={}-01-01&to={}-12-31", year, year);
    let r = x.s.owner.get(t.url(&format!("/api/v1/invoice-exports/csv?{q}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("number,kind,issue_date,corrects"), "{csv}");
    assert!(
        csv.contains(&format!("{year}-0001,invoice,{},,Señora Núñez,12345678Z,EUR,21,41.32,8.68,50.00", today(t))),
        "{csv}"
    );
    assert!(csv.contains(&format!("R{year}-0001,credit_note,{},{year}-0001", today(t))), "{csv}");
    let (st, e) = api(
        t,
        tk,
        "POST",
        "/api/v1/invoice-exports",
        Some(json!({ "from": format!("{year}-01-01"), "to": format!("{year}-12-31") })),
    )
    .await;
    assert_eq!(st, 201, "{e}");
    assert_eq!((e["status"].as_str(), e["total"].as_i64()), (Some("queued"), Some(3)));
    let page = x.s.owner.get(t.url(&format!("/w/{}/invoices", x.s.ws))).send().await.unwrap();
    assert!(page.headers().contains_key("refresh"), "the page looks again while the ZIP is built");
    assert!(page.text().await.unwrap().contains("<progress"));
    t.run_jobs().await;
    let (_, e) = api(t, tk, "GET", &format!("/api/v1/invoice-exports/{}", e["id"].as_str().unwrap()), None).await;
    assert_eq!((e["status"].as_str(), e["done"].as_i64()), (Some("done"), Some(3)), "{e}");
    let zip = x.s.owner.get(t.url(e["zip_url"].as_str().unwrap())).send().await.unwrap().bytes().await.unwrap();
    let mut names = crate::privacy::unzip_names(&zip);
    names.sort();
    assert_eq!(names, vec![format!("{year}-0001.pdf"), format!("{year}-0002.pdf"), format!("R{year}-0001.pdf")]);
    let (st, v2) =
        api(t, tk, "POST", "/api/v1/invoice-exports", Some(json!({ "from": "2001-01-01", "to": "2001-12-31" }))).await;
    assert_eq!((st.as_u16(), v2["error"]["code"].as_str()), (409, Some("nothing_to_export")), "{v2}");

    // Seven years after the end of their year, they go.
    t.clock.advance_ms(8 * 366 * 86_400_000);
    assert!(frontdesk_invoices::retention(invoices(t)).await.unwrap() >= 3);
    let (st, _) = api(t, tk, "GET", &format!("/api/v1/invoices/{id}"), None).await;
    assert_eq!(st, 404);
    x.s.t.stop().await;
}

#[tokio::test]
async fn fifty_concurrent_issues_take_fifty_consecutive_numbers() {
    let x = shop("salon-a", "sk_test_salonA_00000000inv2").await;
    let t = &x.s.t;
    let tk = x.s.token.clone();
    profile(t, &tk, false).await;
    let mut ids = vec![];
    for n in 0..50 {
        let d = draft(
            t,
            &tk,
            json!({ "buyer_name": format!("Cliente {n}"), "lines": [line("Corte", "1", "20.00", None, "21")] }),
        )
        .await;
        ids.push(d["id"].as_str().unwrap().to_string());
    }
    let calls = ids.iter().map(|id| {
        let path = format!("/api/v1/invoices/{id}/issue");
        let tk = tk.clone();
        async move { api(t, &tk, "POST", &path, Some(json!({ "send": false }))).await }
    });
    let answers = futures_like_join_all(calls).await;
    let mut numbers: Vec<i64> = answers
        .iter()
        .map(|(st, v)| {
            assert_eq!(*st, 200, "{v}");
            v["number"].as_str().unwrap().rsplit('-').next().unwrap().parse().unwrap()
        })
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=50).collect::<Vec<i64>>(), "50 consecutive numbers, none twice, none missing");
    let ws = frontdesk_core::WorkspaceId::parse(&x.s.ws).unwrap();
    assert!(frontdesk_invoices::invoices::verify_chain(invoices(t), &ws, "").await.unwrap(), "one unbroken chain");
    x.s.t.stop().await;
}

/// Runs every future at once and collects their answers in order.
async fn futures_like_join_all<F: std::future::Future>(fs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let set: Vec<_> = fs.map(Box::pin).collect();
    let mut out = Vec::with_capacity(set.len());
    let mut pending: Vec<Option<std::pin::Pin<Box<F>>>> = set.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, f) in pending.iter_mut().enumerate() {
            if let Some(fut) = f {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *f = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.extend(results.into_iter().map(|r| r.unwrap()));
    out
}

#[tokio::test]
async fn a_paid_deposit_is_invoiced_for_what_was_charged_and_its_refund_makes_a_credit_note() {
    let x = shop("salon-a", "sk_test_salonA_00000000inv3").await;
    let t = &x.s.t;
    profile(t, &x.s.token, true).await;
    let starts = free(&x, 3).await;
    let c = t.client();
    let pay = book_page(&x, &c, &starts[0], "maria@example.com").await;
    let cs = press_pay(&x, &c, &pay).await;
    x.stripe.pay(&cs, true).await;
    let p = newest(&x).await;
    assert_eq!(p["status"], "paid");
    assert_eq!(frontdesk_invoices::auto::run(invoices(t)).await.unwrap(), (1, 0));
    assert_eq!(frontdesk_invoices::auto::run(invoices(t)).await.unwrap(), (0, 0), "once per payment");
    let (_, list) = api(t, &x.s.token, "GET", "/api/v1/invoices", None).await;
    let inv = &list["invoices"][0];
    assert_eq!(
        (inv["status"].as_str(), inv["total_minor"].as_i64()),
        (Some("issued"), Some(1000)),
        "the deposit charged: {list}"
    );
    let (_, full) = api(t, &x.s.token, "GET", &format!("/api/v1/invoices/{}", inv["id"].as_str().unwrap()), None).await;
    assert_eq!(full["payment_id"], p["id"]);
    assert_eq!(
        full["taxes"],
        json!([{ "tax_rate": "21", "base_minor": 826, "tax_minor": 174 }]),
        "base and tax from what was charged"
    );
    assert_eq!(full["buyer"]["name"], "Maria Lopez");
    assert!(full["lines"][0]["description"].as_str().unwrap().starts_with("Haircut"), "{full}");
    // Its mail reaches her (after the booking's own).
    let mut n = 1;
    loop {
        let m = t.wait_mail("maria@example.com", n).await;
        if m.subject.contains("Invoice") {
            break;
        }
        n += 1;
    }
    // A refund of 4.00 → a credit note of -4.00 that names the invoice.
    let path = format!("/api/v1/payments/{}/refunds", p["id"].as_str().unwrap());
    let (st, v) =
        api(t, &x.s.token, "POST", &path, Some(json!({ "amount_minor": 400, "reason": "Shorter cut" }))).await;
    assert_eq!(st, 201, "{v}");
    // (The refund's job may run the scheduled invoicing too: either way, one credit note.)
    t.run_jobs().await;
    frontdesk_invoices::auto::run(invoices(t)).await.unwrap();
    let (_, list) = api(t, &x.s.token, "GET", "/api/v1/invoices?kind=credit_note", None).await;
    assert_eq!(list["invoices"].as_array().unwrap().len(), 1, "{list}");
    let cn = &list["invoices"][0];
    assert_eq!(cn["total_minor"], -400, "{list}");
    let (_, cn) = api(t, &x.s.token, "GET", &format!("/api/v1/invoices/{}", cn["id"].as_str().unwrap()), None).await;
    assert_eq!(cn["corrects_id"], inv["id"]);
    assert_eq!(cn["taxes"], json!([{ "tax_rate": "21", "base_minor": -331, "tax_minor": -69 }]));
    assert_eq!(frontdesk_invoices::auto::run(invoices(t)).await.unwrap(), (0, 0), "once per refund");
    x.s.t.stop().await;
}

#[tokio::test]
async fn erasing_a_customer_keeps_what_an_invoice_must_show_and_clears_the_rest() {
    let x = shop("salon-a", "sk_test_salonA_00000000inv4").await;
    let t = &x.s.t;
    let tk = &x.s.token;
    profile(t, tk, false).await;
    // A customer from a conversation, with her email, phone and tax details.
    let (tg, secret) = crate::inbox::intake::tg_channel(t, tk, &x.s.fake).await;
    crate::inbox::intake::tg_update(t, &tg, &secret, &crate::privacy::ana_says(&x.s, 501, "Hola")).await;
    t.run_jobs().await;
    let th = crate::inbox::outbox::first_thread(t, tk).await;
    let contact = th["contact"]["id"].as_str().unwrap().to_string();
    let (st, v) = api(
        t,
        tk,
        "PATCH",
        &format!("/api/v1/contacts/{contact}"),
        Some(json!({ "email": "ana.erase@example.com", "phone": "+34 611000111" })),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let (st, v) = api(
        t,
        tk,
        "PUT",
        &format!("/api/v1/contacts/{contact}/tax-details"),
        Some(json!({ "tax_id": "99999999R", "billing_address": "Calle Luna 3" })),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let d = draft(t, tk, json!({ "contact_id": contact, "notes": "Alergia al tinte", "lines": [line("Tinte", "1", "40.00", None, "21")] })).await;
    assert_eq!(
        (d["buyer"]["tax_id"].as_str(), d["buyer"]["email"].as_str()),
        (Some("99999999R"), Some("ana.erase@example.com")),
        "{d}"
    );
    let id = d["id"].as_str().unwrap().to_string();
    let (st, _) = api(t, tk, "POST", &format!("/api/v1/invoices/{id}/issue"), Some(json!({ "send": false }))).await;
    assert_eq!(st, 200);
    let other =
        draft(t, tk, json!({ "contact_id": contact, "lines": [line("Corte", "1", "20.00", None, "21")] })).await;
    let before = api(t, tk, "GET", &format!("/api/v1/invoices/{id}"), None).await.1;
    // Erased by staff who checked who she is.
    let body = json!({ "kind": "erase", "contact_id": contact, "verified_how": "in person, with her ID" });
    let (st, r) = api(t, tk, "POST", "/api/v1/privacy/requests", Some(body)).await;
    assert_eq!(st, 201, "{r}");
    let (st, r) =
        api(t, tk, "POST", &format!("/api/v1/privacy/requests/{}/fulfil", r["id"].as_str().unwrap()), Some(json!({})))
            .await;
    assert_eq!(st, 200, "{r}");
    let (st, after) = api(t, tk, "GET", &format!("/api/v1/invoices/{id}"), None).await;
    assert_eq!(st, 200, "the issued invoice stays");
    assert_eq!(after["buyer"]["name"], before["buyer"]["name"]);
    assert_eq!(after["buyer"]["tax_id"], "99999999R");
    assert_eq!(after["buyer"]["address"], "Calle Luna 3");
    assert_eq!(after["total_minor"], 4000);
    assert_eq!(
        (after["buyer"]["email"].clone(), after["buyer"]["phone"].clone(), after["notes"].clone()),
        (Value::Null, Value::Null, Value::Null)
    );
    let (st, _) = api(t, tk, "GET", &format!("/api/v1/invoices/{}", other["id"].as_str().unwrap()), None).await;
    assert_eq!(st, 404, "her draft went");
    let ws = frontdesk_core::WorkspaceId::parse(&x.s.ws).unwrap();
    assert!(frontdesk_invoices::invoices::verify_chain(invoices(t), &ws, "").await.unwrap(), "the chain still holds");
    let mut c = t.app().db.conn().await.unwrap();
    let left: i64 = frontdesk_store::row::scalar(
        &mut c,
        "SELECT COUNT(*) FROM contacts WHERE tax_id IS NOT NULL OR billing_address IS NOT NULL",
        (),
    )
    .await
    .unwrap();
    assert_eq!(left, 0, "her tax details on the contact went");
    drop(c);
    x.s.t.stop().await;
}

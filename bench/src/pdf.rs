//! `frontdesk-bench pdf`: how long an invoice's PDF takes to lay out and write, and how big it
//! is, for a one-line invoice, a typical one (6 lines, two rates, a logo-less Spanish layout) and
//! a long one (120 lines, six pages), each rendered 300 times.

use frontdesk_core::{InvoiceId, InvoiceLineId, WorkspaceId};
use frontdesk_invoices::layout::{document, Extras};
use frontdesk_invoices::repo::{Invoice, Line};
use std::time::{Duration, Instant};

fn invoice(ws: &WorkspaceId) -> Invoice {
    Invoice {
        id: InvoiceId::new(),
        workspace_id: ws.clone(),
        kind: "invoice".into(),
        status: "issued".into(),
        series: String::new(),
        number: Some(1),
        number_text: Some("2027-0001".into()),
        issue_date: Some("2027-03-02".into()),
        currency: "EUR".into(),
        lang: "es".into(),
        contact_id: None,
        buyer_name: Some("Señora Núñez".into()),
        buyer_tax_id: Some("12345678Z".into()),
        buyer_address: Some("Calle Mayor 1, 28013 Madrid".into()),
        buyer_email: None,
        buyer_phone: None,
        notes: Some("Gracias por su visita".into()),
        seller: Some(
            r#"{"legal_name":"Peluquería Ñandú S.L.","tax_id":"B12345678","address":"Calle Luna 3, Madrid"}"#.into(),
        ),
        payment_id: None,
        refund_id: None,
        corrects_id: None,
        total: 0,
        prev_hash: None,
        created_at: 0,
        updated_at: 0,
    }
}

fn lines(inv: &Invoice, n: usize) -> Vec<Line> {
    (0..n)
        .map(|i| {
            let rate = if i % 3 == 0 { 1000 } else { 2100 };
            let (base, tax, total) = frontdesk_invoices::money::line(1000, 2500 + i as i64 * 10, 0, rate).unwrap();
            Line {
                id: InvoiceLineId::new(),
                invoice_id: inv.id.clone(),
                workspace_id: inv.workspace_id.clone(),
                position: i as i64,
                description: format!("Corte y peinado, sesión {} — tratamiento de keratina con champú", i + 1),
                quantity_milli: 1000,
                unit_price: 2500 + i as i64 * 10,
                discount_bp: 0,
                tax_rate_bp: rate,
                base,
                tax,
                total,
            }
        })
        .collect()
}

pub fn run() {
    let ws = WorkspaceId::new();
    let extras = Extras {
        logo: None,
        footer: Some("Pago en 15 días. Inscrita en el Registro Mercantil de Madrid.".into()),
        corrects: None,
        business: "Peluquería Ñandú".into(),
    };
    println!("{:<10} {:>7} {:>10} {:>10} {:>10}", "invoice", "pages", "bytes", "p50 ms", "p99 ms");
    for (name, n) in [("one line", 1), ("typical", 6), ("long", 120)] {
        let mut inv = invoice(&ws);
        let ls = lines(&inv, n);
        inv.total = ls.iter().map(|l| l.total).sum();
        let doc = document(&inv, &ls, &extras);
        let pages = doc.pages.len();
        let mut times: Vec<Duration> = Vec::with_capacity(300);
        let mut size = 0;
        for _ in 0..300 {
            let t = Instant::now();
            let doc = document(&inv, &ls, &extras);
            size = frontdesk_invoices::pdf::render(&doc).len();
            times.push(t.elapsed());
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!("{name:<10} {pages:>7} {size:>10} {:>10.2} {:>10.2}", ms(times[150]), ms(times[296]));
    }
}

//! An invoice or credit note laid out on A4 pages, in its language: the business's logo,
//! legal name, tax id and address; the number and dates; the buyer; the lines (description,
//! quantity, unit price, discount, tax rate, amount); the tax summary per rate; the total; the
//! corrected invoice for a credit note; the notes and the profile's footer.

use crate::invoices::taxes;
use crate::money::{percent_text, quantity_text};
use crate::pdf::{self, Align, Document, Item, A4};
use crate::repo::{Invoice, Line};
use crate::Invoices;
use frontdesk_core::money::Money;
use frontdesk_i18n::{tl, Lang};
use frontdesk_platform::error::AppResult;
use frontdesk_platform::Platform;
use frontdesk_store::Conn;

const LEFT: f32 = 50.0;
const RIGHT: f32 = A4.0 - 50.0;
const BOTTOM: f32 = A4.1 - 70.0;

/// What the layout needs besides the invoice.
pub struct Extras {
    pub logo: Option<Vec<u8>>,
    pub footer: Option<String>,
    pub corrects: Option<String>,
    pub business: String,
}

struct Pages {
    pages: Vec<Vec<Item>>,
    y: f32,
}

impl Pages {
    fn new() -> Self {
        Self { pages: vec![vec![]], y: 60.0 }
    }
    fn page(&mut self) -> &mut Vec<Item> {
        if self.pages.is_empty() {
            self.pages.push(vec![]);
        }
        let n = self.pages.len() - 1;
        &mut self.pages[n]
    }
    /// Room for `h` points more, or a new page.
    fn room(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.pages.push(vec![]);
            self.y = 60.0;
        }
    }
    fn text(&mut self, x: f32, size: f32, text: &str, align: Align, bold: bool, grey: bool) {
        let y = self.y;
        self.page().push(Item::Text { x, y, size, text: text.to_string(), align, bold, grey });
    }
    fn rule(&mut self) {
        let y = self.y;
        self.page().push(Item::Rule { x1: LEFT, y1: y, x2: RIGHT, y2: y, width: 0.6 });
    }
    /// A paragraph wrapped to `max`, moving down.
    fn para(&mut self, x: f32, size: f32, text: &str, max: f32, grey: bool) {
        for part in text.lines() {
            for l in pdf::wrap(part, size, false, max) {
                self.room(size + 4.0);
                self.text(x, size, &l, Align::Left, false, grey);
                self.y += size + 4.0;
            }
        }
    }
}

/// The document's pages (no I/O: what [`pdf`] renders).
pub fn document(inv: &Invoice, lines: &[Line], x: &Extras) -> Document {
    let lang = Lang::parse(&inv.lang).unwrap_or(Lang::En);
    let cur = frontdesk_bookings::catalog::currency_of(&inv.currency);
    let money = |m: i64| lang.money(Money::new(m, cur));
    let credit = inv.kind == "credit_note";
    let title = if credit { tl!(lang, "invoice-pdf-credit-title") } else { tl!(lang, "invoice-pdf-title") };
    let number = inv.number_text.clone().unwrap_or_else(|| tl!(lang, "invoice-pdf-draft"));
    let seller: serde_json::Value =
        inv.seller.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
    let str_of = |k: &str| seller.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let mut p = Pages::new();

    // The seller, with the logo on the right.
    if let Some(logo) = &x.logo {
        let y = p.y - 20.0;
        p.page().push(Item::Image { x: RIGHT - 110.0, y, w: 110.0, h: 50.0, bytes: logo.clone() });
    }
    let legal = str_of("legal_name").unwrap_or_else(|| x.business.clone());
    p.text(LEFT, 14.0, &legal, Align::Left, true, false);
    p.y += 18.0;
    if let Some(t) = str_of("tax_id") {
        p.text(LEFT, 9.5, &tl!(lang, "invoice-pdf-tax-id", id = t.as_str()), Align::Left, false, false);
        p.y += 13.0;
    }
    if let Some(a) = str_of("address") {
        p.para(LEFT, 9.5, &a, 260.0, true);
    }
    p.y = p.y.max(130.0) + 10.0;

    // Title, number, dates.
    p.text(LEFT, 20.0, &title, Align::Left, true, false);
    p.y += 24.0;
    p.text(LEFT, 10.0, &tl!(lang, "invoice-pdf-number", number = number.as_str()), Align::Left, false, false);
    if let Some(d) = &inv.issue_date {
        p.text(RIGHT, 10.0, &tl!(lang, "invoice-pdf-date", date = d.as_str()), Align::Right, false, false);
    }
    p.y += 14.0;
    if let Some(c) = &x.corrects {
        p.text(LEFT, 10.0, &tl!(lang, "invoice-pdf-corrects", number = c.as_str()), Align::Left, false, false);
        p.y += 14.0;
    }
    p.y += 10.0;

    // The buyer.
    p.text(LEFT, 9.0, &tl!(lang, "invoice-pdf-bill-to"), Align::Left, false, true);
    p.y += 13.0;
    if let Some(n) = &inv.buyer_name {
        p.text(LEFT, 10.5, n, Align::Left, true, false);
        p.y += 14.0;
    }
    if let Some(t) = &inv.buyer_tax_id {
        p.text(LEFT, 9.5, &tl!(lang, "invoice-pdf-tax-id", id = t.as_str()), Align::Left, false, false);
        p.y += 13.0;
    }
    if let Some(a) = &inv.buyer_address {
        p.para(LEFT, 9.5, a, 300.0, false);
    }
    p.y += 16.0;

    // The lines.
    let cols = [
        (RIGHT - 250.0, "invoice-pdf-qty"),
        (RIGHT - 175.0, "invoice-pdf-price"),
        (RIGHT - 125.0, "invoice-pdf-discount"),
        (RIGHT - 80.0, "invoice-pdf-rate"),
        (RIGHT, "invoice-pdf-amount"),
    ];
    let header = |p: &mut Pages| {
        p.text(LEFT, 9.0, &tl!(lang, "invoice-pdf-description"), Align::Left, true, false);
        for (x, key) in cols {
            p.text(x, 9.0, &tl!(lang, key), Align::Right, true, false);
        }
        p.y += 6.0;
        p.rule();
        p.y += 14.0;
    };
    header(&mut p);
    for l in lines {
        let desc = pdf::wrap(&l.description, 9.5, false, RIGHT - 260.0 - LEFT);
        let h = desc.len() as f32 * 13.0 + 4.0;
        if p.y + h > BOTTOM {
            p.room(h + 40.0);
            header(&mut p);
        }
        let top = p.y;
        let disc = if l.discount_bp == 0 { String::new() } else { format!("{} %", percent_text(l.discount_bp)) };
        let cells = [
            quantity_text(l.quantity_milli),
            money(l.unit_price),
            disc,
            format!("{} %", percent_text(l.tax_rate_bp)),
            money(l.total),
        ];
        for ((x, _), v) in cols.iter().zip(cells.iter()) {
            p.text(*x, 9.5, v, Align::Right, false, false);
        }
        for d in desc {
            p.text(LEFT, 9.5, &d, Align::Left, false, false);
            p.y += 13.0;
        }
        p.y = p.y.max(top + 13.0) + 4.0;
    }
    p.y -= 8.0;
    p.rule();
    p.y += 18.0;

    // Taxes per rate, then the total.
    let summary = taxes(lines);
    p.room(summary.len() as f32 * 14.0 + 60.0);
    for (rate, base, tax) in &summary {
        let r = percent_text(*rate);
        p.text(RIGHT - 120.0, 9.5, &tl!(lang, "invoice-pdf-base", rate = r.as_str()), Align::Right, false, true);
        p.text(RIGHT, 9.5, &money(*base), Align::Right, false, false);
        p.y += 13.0;
        p.text(RIGHT - 120.0, 9.5, &tl!(lang, "invoice-pdf-tax", rate = r.as_str()), Align::Right, false, true);
        p.text(RIGHT, 9.5, &money(*tax), Align::Right, false, false);
        p.y += 13.0;
    }
    p.y += 6.0;
    p.text(RIGHT - 120.0, 12.0, &tl!(lang, "invoice-pdf-total"), Align::Right, true, false);
    p.text(RIGHT, 12.0, &money(inv.total), Align::Right, true, false);
    p.y += 28.0;

    if let Some(n) = &inv.notes {
        p.para(LEFT, 9.5, n, RIGHT - LEFT, false);
        p.y += 8.0;
    }
    if let Some(f) = &x.footer {
        p.para(LEFT, 8.5, f, RIGHT - LEFT, true);
    }
    // Page numbers when there is more than one.
    let n = p.pages.len();
    if n > 1 {
        for (i, page) in p.pages.iter_mut().enumerate() {
            let t = tl!(lang, "invoice-pdf-page", page = (i + 1) as i64, pages = n as i64);
            page.push(Item::Text {
                x: RIGHT,
                y: A4.1 - 40.0,
                size: 8.0,
                text: t,
                align: Align::Right,
                bold: false,
                grey: true,
            });
        }
    }
    Document { title: format!("{title} {number}"), lang: lang.code().to_string(), pages: p.pages }
}

/// The invoice's PDF, with the business's logo and the profile's footer.
pub async fn pdf(x: &Invoices, c: &mut Conn, inv: &Invoice, lines: &[Line]) -> AppResult<Vec<u8>> {
    let extras = extras(x, c, inv).await?;
    let doc = document(inv, lines, &extras);
    Ok(pdf::render(&doc))
}

pub async fn extras(x: &Invoices, c: &mut Conn, inv: &Invoice) -> AppResult<Extras> {
    let p: &Platform = x.as_ref();
    let bp = frontdesk_platform::profile::of(c, &inv.workspace_id).await?;
    let logo = match &bp.logo_blob {
        Some(k) => p.blobs.get(k).await.ok(),
        None => None,
    };
    let profile = crate::repo::profile(c, &inv.workspace_id).await?;
    let corrects = match inv.corrects_id.as_deref().and_then(frontdesk_core::InvoiceId::parse) {
        Some(id) => crate::repo::invoice(c, &inv.workspace_id, &id).await?.and_then(|i| i.number_text),
        None => None,
    };
    let business =
        frontdesk_platform::repo::workspaces::by_id(c, &inv.workspace_id).await?.map(|w| w.name).unwrap_or_default();
    Ok(Extras { logo, footer: profile.and_then(|p| p.footer), corrects, business })
}

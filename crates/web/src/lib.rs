//! Frontdesk's HTTP layer. `kit/` holds what every area's routes share (the route table,
//! access, extractors, errors, middleware, the page layout, OpenAPI); each area has its own
//! folder (routes, pages, JSON API, assets). Handlers are thin: they parse the request, call a
//! use case of their area's crate, and render HTML or JSON. Errors become HTTP in one place
//! (`kit/error.rs`). Every route is declared once in a [`RouteSpec`] table, which also feeds the
//! OpenAPI document and the tenancy test.

mod billing;
mod bookings;
mod home;
mod inbox;
mod invoices;
mod kit;
mod phones;
mod platform;
mod privacy;

pub use kit::error::WebError;
pub(crate) use kit::table::Table;
pub use kit::table::{Access, RouteSpec};

use axum::Router;
use frontdesk_inbox::Inbox;
use std::net::IpAddr;
use std::sync::Arc;

/// A CIDR block whose X-Forwarded-For we believe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustedProxy {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl TrustedProxy {
    pub fn parse(s: &str) -> Option<Self> {
        let (a, p) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let addr: IpAddr = a.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.parse().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Self { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let mask = if self.prefix == 0 { 0 } else { u32::MAX << (32 - self.prefix) };
                u32::from(a) & mask == u32::from(b) & mask
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - self.prefix) };
                u128::from(a) & mask == u128::from(b) & mask
            }
            _ => false,
        }
    }
}

/// HTTP settings.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Public base URL without trailing slash; its scheme decides cookie security.
    pub base_url: String,
    pub trusted_proxies: Vec<TrustedProxy>,
    pub body_limit_bytes: usize,
    pub metrics: MetricsAccess,
    /// The operator's support web chat (a channel of the operator's own workspace): Help opens
    /// a conversation with it from inside the app.
    pub support_channel: Option<String>,
}

/// Who may read `/metrics`: clients from these addresses (as `client_info` establishes them),
/// or anyone presenting the token.
#[derive(Clone, Debug)]
pub struct MetricsAccess {
    pub allow: Vec<frontdesk_core::netguard::Cidr>,
    pub token: Option<frontdesk_platform::crypto::BearerSecret>,
}

impl MetricsAccess {
    pub fn admits(&self, ip: Option<IpAddr>, bearer: Option<&str>) -> bool {
        ip.is_some_and(|ip| self.allow.iter().any(|c| c.contains(ip)))
            || bearer.zip(self.token.as_ref()).is_some_and(|(b, t)| t.matches(b))
    }
}

impl WebConfig {
    pub fn https(&self) -> bool {
        self.base_url.starts_with("https://")
    }
    pub fn scheme(&self) -> &str {
        self.base_url.split_once("://").map_or("http", |(s, _)| s)
    }
    /// `scheme://host[:port]` of the base URL.
    pub fn origin(&self) -> String {
        let rest = self.base_url.split_once("://").map(|(s, r)| (s, r.split('/').next().unwrap_or("")));
        match rest {
            Some((scheme, host)) => format!("{scheme}://{host}"),
            None => self.base_url.clone(),
        }
    }
    pub fn session_cookie(&self) -> &'static str {
        if self.https() {
            "__Host-fd_session"
        } else {
            "fd_session"
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub app: Inbox,
    pub bookings: frontdesk_bookings::Bookings,
    pub billing: frontdesk_billing::Billing,
    pub phones: frontdesk_phones::Phones,
    pub privacy: frontdesk_privacy::Privacy,
    pub invoices: frontdesk_invoices::Invoices,
    pub web: Arc<WebConfig>,
    pub routes: Arc<Vec<RouteSpec>>,
}

/// Every route the server answers, as declared (for tests and documentation).
pub fn route_specs() -> Vec<RouteSpec> {
    table().specs
}

fn table() -> Table {
    let t = Table { router: Router::new(), specs: Vec::new() };
    let t = platform::routes(t);
    let t = home::routes(t);
    let t = inbox::routes(t);
    let t = bookings::routes(t);
    let t = billing::routes(t);
    let t = phones::routes(t);
    let t = invoices::routes(t);
    privacy::routes(t)
}

/// The complete HTTP application.
pub fn router(
    phones: frontdesk_phones::Phones,
    privacy: frontdesk_privacy::Privacy,
    invoices: frontdesk_invoices::Invoices,
    web: WebConfig,
) -> Router {
    let Table { router, specs } = table();
    let state = AppState {
        app: phones.billing.bookings.inbox.clone(),
        bookings: phones.billing.bookings.clone(),
        billing: phones.billing.clone(),
        phones,
        privacy,
        invoices,
        web: Arc::new(web),
        routes: Arc::new(specs),
    };
    kit::middleware::wrap(router, state)
}

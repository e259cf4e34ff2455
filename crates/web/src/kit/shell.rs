//! The app shell around every signed-in page: a sidebar with the workspace switcher, the
//! areas (Home, Inbox, Contacts, Bookings, and those to come), Settings, the person with Account and Sign out, and
//! Help; on a phone a top bar with a menu. It also carries what every page needs to show a
//! time: the person's (or the workspace's) time zone.

use crate::kit::error::WebError;
use crate::kit::layout::{confirm_dialog, head};
use crate::AppState;
use frontdesk_core::time::LocalTimes;
use frontdesk_core::{Action, Role, Timestamp};
use frontdesk_i18n::t;
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::workspaces::{self as ws, Access};
use maud::{html, Markup, DOCTYPE};

/// Where a page sits in the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    Home,
    Inbox,
    Contacts,
    Bookings,
    Profile,
    Channels,
    Hours,
    Assistant,
    Services,
    Resources,
    Coupons,
    BookingPage,
    CalendarFeeds,
    Payments,
    Invoices,
    InvoiceSettings,
    Devices,
    Privacy,
    PaymentSettings,
    Plan,
    SavedReplies,
    Webhooks,
    Members,
    Audit,
    Account,
    Workspaces,
    Operator,
    Help,
}

/// The workspace a page belongs to, as the sidebar shows it.
#[derive(Clone, Debug)]
pub struct Current {
    pub id: String,
    pub name: String,
    pub role: Role,
}

pub struct Shell {
    pub user_name: String,
    pub user_email: String,
    pub operator: bool,
    pub theme: String,
    pub current: Option<Current>,
    /// Every workspace of the person, for the switcher: (id, name).
    pub workspaces: Vec<(String, String)>,
    pub times: LocalTimes,
    pub help: bool,
    /// Platform billing is on (the Plan page is in the menu).
    pub plan: bool,
}

impl Shell {
    /// The shell of a workspace page (`access` is the person's access to it), or of an
    /// account-level page (`None`: the session's current workspace, if any, stays in the
    /// sidebar).
    pub async fn load(s: &AppState, u: &SignedIn, access: Option<&Access>) -> Result<Shell, WebError> {
        let app = &s.app;
        let list = ws::list_for(app, &u.user.id).await.map_err(WebError::page)?;
        let current = match access {
            Some(a) => Some(Current { id: a.workspace.id.to_string(), name: a.workspace.name.clone(), role: a.role }),
            None => {
                let pick = u.session.current_workspace_id.as_ref().or(if list.len() == 1 {
                    Some(&list[0].0.id)
                } else {
                    None
                });
                pick.and_then(|id| list.iter().find(|(w, _)| &w.id == id)).map(|(w, r)| Current {
                    id: w.id.to_string(),
                    name: w.name.clone(),
                    role: *r,
                })
            }
        };
        let prefs = frontdesk_platform::profile::prefs(app, &u.user.id).await.map_err(WebError::page)?;
        let zone = match (&prefs.time_zone, &current) {
            (Some(tz), _) => tz.clone(),
            (None, Some(c)) => {
                let id = frontdesk_core::WorkspaceId::parse(&c.id)
                    .ok_or_else(|| WebError::page(frontdesk_platform::AppError::internal()))?;
                let mut conn = app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
                frontdesk_platform::profile::of(&mut conn, &id).await.map_err(WebError::page)?.time_zone
            }
            (None, None) => "UTC".into(),
        };
        Ok(Shell {
            user_name: u.user.name.clone(),
            user_email: u.user.email.clone(),
            operator: u.user.is_operator,
            theme: prefs.theme,
            current,
            workspaces: list.iter().map(|(w, _)| (w.id.to_string(), w.name.clone())).collect(),
            times: LocalTimes::new(&zone, app.now().0).in_lang(frontdesk_i18n::current()),
            help: s.web.support_channel.is_some(),
            plan: s.billing.platform_settings.is_some(),
        })
    }

    fn can(&self, action: Action) -> bool {
        self.current.as_ref().is_some_and(|c| frontdesk_core::role::allows(c.role, action))
    }

    /// An instant as "5 min ago", with the exact local time on hover.
    pub fn ago(&self, ms: i64) -> Markup {
        html! { time datetime=(Timestamp(ms).to_rfc3339()) title=(self.times.exact(ms)) data-relative { (self.times.relative(ms)) } }
    }

    /// An instant in a list: `10:30`, `Mon 10:30`, `2 Dec`; the exact time on hover.
    pub fn short(&self, ms: i64) -> Markup {
        html! { time datetime=(Timestamp(ms).to_rfc3339()) title=(self.times.exact(ms)) { (self.times.short(ms)) } }
    }

    /// An instant in full, in the page's time zone.
    pub fn at(&self, ms: i64) -> Markup {
        html! { time datetime=(Timestamp(ms).to_rfc3339()) { (self.times.exact(ms)) } }
    }

    /// A page of the shell with its heading.
    pub fn page(&self, title: &str, nav: Nav, body: Markup) -> Markup {
        self.frame(title, nav, false, html! { h1 { (title) } (body) })
    }

    /// A page that draws its own heading and uses the whole width (the inbox).
    pub fn wide(&self, title: &str, nav: Nav, body: Markup) -> Markup {
        self.frame(title, nav, true, body)
    }

    fn frame(&self, title: &str, nav: Nav, wide: bool, body: Markup) -> Markup {
        let theme = (self.theme != "system").then_some(self.theme.as_str());
        html! {
            (DOCTYPE)
            html lang=(frontdesk_i18n::current().code()) data-theme=[theme] {
                (head(title))
                body data-upload-too-large=(t!("shell-upload-too-large")) data-upload-unusable=(t!("shell-upload-unusable")) {
                    a.skip href="#main" { (t!("skip-to-content")) }
                    div.shell {
                        (self.sidebar(nav))
                        main.content.wide[wide] id="main" { (body) }
                    }
                    (confirm_dialog())
                    div #toast .toast role="status" hidden { (t!("toast-saved")) }
                    script src="/assets/app.js" defer {}
                }
            }
        }
    }

    fn sidebar(&self, nav: Nav) -> Markup {
        let item = |href: String, n: Nav, icon: &str, label: &str| {
            html! {
                li { a.nav-item href=(href) aria-current=[(n == nav).then_some("page")] { (self::icon(icon)) span { (label) } } }
            }
        };
        html! {
            nav.side aria-label=(t!("nav-main")) {
                a.brand href="/app" { (self::icon("logo")) "Frontdesk" }
                button.menu-toggle.secondary.small type="button" aria-expanded="false" aria-controls="side-menu" { (self::icon("menu")) (t!("nav-menu")) }
                div.side-menu id="side-menu" {
                    @if let Some(c) = &self.current {
                        details.switcher {
                            summary { (avatar(&c.name)) span { (c.name) } span.visually-hidden { " — " (t!("nav-switch")) } }
                            ul {
                                @for (id, name) in self.workspaces.iter().filter(|(id, _)| *id != c.id) {
                                    li { form method="post" action={ "/w/" (id) "/switch" } { button type="submit" { (name) } } }
                                }
                                li { a href="/app" { (t!("nav-all-workspaces")) } }
                            }
                        }
                        ul.nav {
                            (item(format!("/w/{}", c.id), Nav::Home, "home", &t!("nav-home")))
                            @if self.can(Action::ViewInbox) {
                                (item(format!("/w/{}/inbox", c.id), Nav::Inbox, "inbox", &t!("nav-inbox")))
                                (item(format!("/w/{}/contacts", c.id), Nav::Contacts, "contacts", &t!("nav-contacts")))
                            }
                            @if self.can(Action::ViewBookings) { (item(format!("/w/{}/bookings", c.id), Nav::Bookings, "calendar", &t!("bookings-nav"))) }
                            @if self.can(Action::ViewPayments) {
                                (item(format!("/w/{}/payments", c.id), Nav::Payments, "card", &t!("pay-nav")))
                                (item(format!("/w/{}/invoices", c.id), Nav::Invoices, "list", &t!("invoice-nav")))
                            }
                            @if self.can(Action::ViewDevices) { (item(format!("/w/{}/devices", c.id), Nav::Devices, "box", &t!("phones-nav"))) }
                            @if self.can(Action::HandlePrivacy) { (item(format!("/w/{}/privacy", c.id), Nav::Privacy, "shield", &t!("privacy-nav"))) }
                        }
                        p.nav-group { (t!("nav-settings")) }
                        ul.nav {
                            @if self.can(Action::ManageSettings) {
                                (item(format!("/w/{}/settings/profile", c.id), Nav::Profile, "store", &t!("nav-profile")))
                            }
                            @if self.can(Action::ViewInbox) { (item(format!("/w/{}/channels", c.id), Nav::Channels, "plug", &t!("nav-channels"))) }
                            @if self.can(Action::ManageSettings) {
                                (item(format!("/w/{}/settings/hours", c.id), Nav::Hours, "clock", &t!("nav-hours")))
                                (item(format!("/w/{}/settings/assistant", c.id), Nav::Assistant, "spark", &t!("nav-assistant")))
                            }
                            @if self.can(Action::ManageCatalog) {
                                (item(format!("/w/{}/settings/services", c.id), Nav::Services, "layers", &t!("bookings-nav-services")))
                                (item(format!("/w/{}/settings/resources", c.id), Nav::Resources, "box", &t!("bookings-nav-resources")))
                                (item(format!("/w/{}/settings/coupons", c.id), Nav::Coupons, "tag", &t!("bookings-nav-coupons")))
                                (item(format!("/w/{}/settings/booking-page", c.id), Nav::BookingPage, "link", &t!("bookings-nav-page")))
                                (item(format!("/w/{}/settings/calendars", c.id), Nav::CalendarFeeds, "calendar", &t!("feeds-nav")))
                            }
                            @if self.can(Action::ManagePayments) {
                                (item(format!("/w/{}/settings/payments", c.id), Nav::PaymentSettings, "card", &t!("pay-settings-nav")))
                                (item(format!("/w/{}/settings/invoices", c.id), Nav::InvoiceSettings, "list", &t!("invoice-settings-nav")))
                            }
                            @if self.plan && self.can(Action::ViewPayments) {
                                (item(format!("/w/{}/billing", c.id), Nav::Plan, "layers", &t!("plan-title")))
                            }
                            @if self.can(Action::ViewInbox) { (item(format!("/w/{}/saved-replies", c.id), Nav::SavedReplies, "bookmark", &t!("nav-saved-replies"))) }
                            @if self.can(Action::ManageChannels) { (item(format!("/w/{}/webhooks", c.id), Nav::Webhooks, "link", &t!("nav-webhooks"))) }
                            (item(format!("/w/{}/settings/members", c.id), Nav::Members, "users", &t!("nav-members")))
                            @if self.can(Action::ViewAudit) { (item(format!("/w/{}/audit", c.id), Nav::Audit, "list", &t!("nav-audit"))) }
                        }
                    } @else {
                        ul.nav { (item("/app".into(), Nav::Workspaces, "home", &t!("nav-workspaces"))) }
                    }
                    div.side-foot {
                        ul.nav {
                            @if self.help { (item("/help".into(), Nav::Help, "help", &t!("nav-help"))) }
                            @if self.operator { (item("/admin".into(), Nav::Operator, "shield", &t!("nav-operator"))) }
                            (item("/account".into(), Nav::Account, "user", &t!("nav-account")))
                            li { form method="post" action="/logout" { button.nav-item type="submit" { (self::icon("logout")) span { (t!("nav-sign-out")) } } } }
                        }
                        div.person title=(self.user_email) { (avatar(&self.user_name)) span { (self.user_name) } }
                    }
                }
            }
        }
    }
}

/// A round badge with someone's initials, its colour chosen by their name.
pub fn avatar(name: &str) -> Markup {
    let initials: String = name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
    let initials = if initials.is_empty() { "?".to_string() } else { initials };
    // Dark enough for white text (AA) in both themes.
    const COLOURS: [&str; 8] = ["#2150c4", "#0b6b3a", "#8a3ab9", "#b3261e", "#00677f", "#7a4f01", "#5b5f97", "#a1306b"];
    let h = name.bytes().fold(0u32, |a, b| a.wrapping_mul(31).wrapping_add(b as u32));
    html! { span.avatar aria-hidden="true" style={ "background:" (COLOURS[h as usize % COLOURS.len()]) } { (initials) } }
}

/// One of our line icons (24×24, stroked with the text colour).
pub fn icon(name: &str) -> Markup {
    let d = match name {
        "logo" => "M4 5h16v11H9l-5 4z M8 10h8",
        "menu" => "M4 6h16 M4 12h16 M4 18h16",
        "home" => "M3 11l9-7 9 7 M5 10v10h14V10 M10 20v-6h4v6",
        "card" => "M3 6h18v12H3z M3 10h18 M7 15h4",
        "inbox" => "M4 4h16v16H4z M4 14h5l1 2h4l1-2h5",
        "store" => "M4 9l1-5h14l1 5 M4 9h16v11H4z M9 20v-6h6v6",
        "plug" => "M9 2v6 M15 2v6 M6 8h12v4a6 6 0 0 1-12 0z M12 18v4",
        "clock" => "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M12 7v5l3 3",
        "spark" => "M12 3l2 6 6 2-6 2-2 6-2-6-6-2 6-2z",
        "bookmark" => "M6 3h12v18l-6-4-6 4z",
        "link" => "M10 14a4 4 0 0 0 6 0l3-3a4 4 0 0 0-6-6l-1 1 M14 10a4 4 0 0 0-6 0l-3 3a4 4 0 0 0 6 6l1-1",
        "contacts" => "M4 4h16v16H4z M12 11a3 3 0 1 0 0-6a3 3 0 1 0 0 6z M7 18a5 5 0 0 1 10 0",
        "users" => "M9 11a4 4 0 1 0 0-8a4 4 0 1 0 0 8z M2 21v-2a5 5 0 0 1 5-5h4a5 5 0 0 1 5 5v2 M16 3a4 4 0 0 1 0 8 M22 21v-2a5 5 0 0 0-4-5",
        "calendar" => "M4 5h16v15H4z M4 10h16 M8 3v4 M16 3v4",
        "layers" => "M12 3l9 5-9 5-9-5z M3 13l9 5 9-5",
        "box" => "M3 7l9-4 9 4v10l-9 4-9-4z M3 7l9 4 9-4 M12 11v10",
        "tag" => "M3 12V3h9l9 9-9 9z M7.5 7.5h.01",
        "list" => "M8 6h13 M8 12h13 M8 18h13 M3 6h.01 M3 12h.01 M3 18h.01",
        "help" => "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.7v.5 M12 17h.01",
        "shield" => "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
        "user" => "M12 12a4 4 0 1 0 0-8a4 4 0 1 0 0 8z M4 21v-1a6 6 0 0 1 6-6h4a6 6 0 0 1 6 6v1",
        "logout" => "M15 4h4v16h-4 M10 17l5-5-5-5 M15 12H3",
        "back" => "M15 18l-6-6 6-6",
        "chat" => "M4 5h16v11H9l-5 4z",
        "whatsapp" => "M12 3a9 9 0 0 0-7.8 13.5L3 21l4.6-1.2A9 9 0 1 0 12 3z M9 8c0 4 3 7 7 7l1-2-2-1-1 1c-1.5-.5-2.5-1.5-3-3l1-1-1-2z",
        "instagram" => "M4 4h16v16H4z M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8z M17 7h.01",
        "telegram" => "M21 4L3 11l6 2 2 6 3-4 5 4z M9 13l8-6",
        _ => "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z",
    };
    html! { svg.icon viewBox="0 0 24 24" aria-hidden="true" focusable="false" { path d=(d); } }
}

/// The mark of a channel kind, with its name for screen readers.
pub fn channel_mark(kind: &str) -> Markup {
    let (icon_name, label) = match kind {
        "whatsapp" => ("whatsapp", "WhatsApp".to_string()),
        "instagram" => ("instagram", "Instagram".to_string()),
        "telegram" => ("telegram", "Telegram".to_string()),
        _ => ("chat", t!("shell-web-chat")),
    };
    html! { span.channel-mark title=(label) { (icon(icon_name)) span.visually-hidden { (label) } } }
}

/// A placeholder for markup in a catalogue sentence: give `slot(n)` as a message's variable,
/// then [`compose`] puts the `n`-th piece of markup where the sentence has it.
pub fn slot(n: usize) -> String {
    format!("\u{1}{n}\u{1}")
}

/// A sentence from the catalogue (its words escaped) with markup (a link, a time) in its
/// [`slot`]s, wherever the language puts them.
pub fn compose(sentence: &str, parts: &[Markup]) -> Markup {
    html! {
        @for (i, piece) in sentence.split('\u{1}').enumerate() {
            @if i % 2 == 0 { (piece) }
            @else if let Some(m) = piece.parse::<usize>().ok().and_then(|n| parts.get(n)) { (m) }
        }
    }
}

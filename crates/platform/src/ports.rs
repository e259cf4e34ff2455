//! Ports: the small traits through which the platform (and lower areas) ask higher areas for
//! what only they know, without importing them. An area implements a port; the server registers
//! the implementation. Each trait is narrow, and a consumer takes only the ones it needs.

use crate::error::AppResult;
use frontdesk_core::{ContactId, UserId, WorkspaceId};
use frontdesk_store::Conn;
use std::future::Future;
use std::pin::Pin;

/// A boxed future, for traits used as objects.
pub type Fut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A part of a contact's page that another area fills (bookings, payments, invoices).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactSection {
    pub title: String,
    /// One line per item (a booking, a payment), most recent first.
    pub lines: Vec<String>,
}

/// What an area knows about a contact, for the contact page. The inbox owns contacts; areas
/// above it implement this and the server registers them.
pub trait ContactFacts: Send + Sync {
    /// The area's section of the contact's page, or `None` when it has nothing on them.
    fn section<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        contact: &'a ContactId,
    ) -> Fut<'a, AppResult<Option<ContactSection>>>;
}

/// Told when two contacts become one, inside the merge's transaction: the area moves what it
/// holds of `gone` to `kept` (a refusal rolls the whole merge back).
pub trait ContactMerged: Send + Sync {
    fn merged<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        kept: &'a ContactId,
        gone: &'a ContactId,
    ) -> Fut<'a, AppResult<()>>;
}

/// A free slot the assistant may offer: the service's name and the local start in the
/// business's time zone (`YYYY-MM-DD HH:MM`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferedSlot {
    pub service: String,
    pub start: String,
}

/// Free slots for the assistant, from the bookings area (the inbox sits below it).
pub trait SlotSource: Send + Sync {
    /// Some free slots of the workspace's public services over the next `days` days.
    fn offer<'a>(&'a self, ws: &'a WorkspaceId, days: i64) -> Fut<'a, AppResult<Vec<OfferedSlot>>>;
}

/// A variable of a message in [`Words`].
#[derive(Clone, Debug)]
pub enum WordArg {
    Text(String),
    Number(i64),
}

impl From<&str> for WordArg {
    fn from(s: &str) -> Self {
        WordArg::Text(s.to_string())
    }
}

impl From<&String> for WordArg {
    fn from(s: &String) -> Self {
        WordArg::Text(s.clone())
    }
}

impl From<String> for WordArg {
    fn from(s: String) -> Self {
        WordArg::Text(s)
    }
}

impl From<i64> for WordArg {
    fn from(n: i64) -> Self {
        WordArg::Number(n)
    }
}

/// The product's words, for the platform's own mails (the catalogues live above the platform;
/// the server registers them).
pub trait Words: Send + Sync {
    /// The message `id` in `lang` with its variables.
    fn text(&self, lang: frontdesk_core::lang::Lang, id: &str, args: &[(&str, WordArg)]) -> String;
    /// The language of the request being served (English outside one).
    fn current(&self) -> frontdesk_core::lang::Lang;
}

/// No catalogue: each message is its id, in English (tools that send no mail).
pub struct NoWords;

impl Words for NoWords {
    fn text(&self, _: frontdesk_core::lang::Lang, id: &str, _: &[(&str, WordArg)]) -> String {
        id.to_string()
    }
    fn current(&self) -> frontdesk_core::lang::Lang {
        frontdesk_core::lang::Lang::En
    }
}

/// [`Words`] bound to one language: what `platform::tl!` speaks through.
pub struct Speaker<'a> {
    pub words: &'a dyn Words,
    pub lang: frontdesk_core::lang::Lang,
}

impl Speaker<'_> {
    pub fn text(&self, id: &str, args: &[(&str, WordArg)]) -> String {
        self.words.text(self.lang, id, args)
    }
}

/// How a booking ended, for the area that holds its payments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The customer cancelled; `in_notice`: before the service's cancellation notice.
    CancelledByCustomer { in_notice: bool },
    /// The business cancelled it.
    CancelledByStaff,
    /// The business declined it, or nobody answered it in time.
    Declined,
    /// The customer did not come.
    NoShow,
}

/// Told inside the booking's own transaction when a booking ends, so what the policy asks of
/// its payments (a refund, or keeping the deposit) commits with the change (bookings sit below
/// billing; billing implements this and the server registers it).
pub trait BookingEnded: Send + Sync {
    fn ended<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        booking: &'a frontdesk_core::BookingId,
        how: Ending,
    ) -> Fut<'a, AppResult<()>>;
}

/// What a workspace does that its plan may allow, limit or stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// Send a message to a customer.
    Send,
    /// Draft or answer with a model the operator pays for.
    PaidAi,
    /// Take a new booking.
    Booking,
    /// Add a member (an invitation).
    Seat,
    /// Connect another channel.
    Channel,
    /// Start a cloud phone.
    DeviceStart,
}

/// What is metered: usage within the plan's quota is free, beyond it the wallet pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Meter {
    Message,
    AiCall,
    DeviceMinute,
}

impl Meter {
    pub fn as_str(self) -> &'static str {
        match self {
            Meter::Message => "message",
            Meter::AiCall => "ai_call",
            Meter::DeviceMinute => "device_minute",
        }
    }
}

/// The operator's plans, asked by the areas below billing. Both calls run inside the caller's
/// transaction: a refusal rolls the work back, a charge commits with it.
pub trait Entitlements: Send + Sync {
    /// May the workspace do this now (its plan's state and hard limits)?
    fn allow<'a>(&'a self, c: &'a mut Conn, ws: &'a WorkspaceId, what: Use) -> Fut<'a, AppResult<()>>;
    /// Records `quantity` of a meter under `key` (once per key): free within the quota, else
    /// debited from the wallet, or refused when the wallet cannot pay.
    fn charge<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        meter: Meter,
        quantity: i64,
        key: &'a str,
    ) -> Fut<'a, AppResult<()>>;
    /// What the tokens of a call of the operator's model cost the wallet now: `Some` when the
    /// workspace is beyond its plan's AI quota and the plan prices tokens; `None` (free) else.
    fn token_prices<'a>(&'a self, c: &'a mut Conn, ws: &'a WorkspaceId) -> Fut<'a, AppResult<Option<TokenPrices>>> {
        let _ = (c, ws);
        Box::pin(async { Ok(None) })
    }
}

/// A plan's prices of a model's tokens, in micro-units per million tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenPrices {
    pub input_per_million: i64,
    pub output_per_million: i64,
}

impl TokenPrices {
    /// What `input` and `output` tokens cost, rounded up to the next micro-unit (a fraction of
    /// a micro-unit is never given away, and never charged twice: one rounding per call).
    pub fn cost(&self, input: i64, output: i64) -> frontdesk_core::money::Micros {
        let raw = (input.max(0) as i128) * (self.input_per_million as i128)
            + (output.max(0) as i128) * (self.output_per_million as i128);
        let micros = (raw + 999_999) / 1_000_000;
        frontdesk_core::money::Micros(micros.min(i64::MAX as i128) as i64)
    }
}

/// The workspace's prepaid wallet: an amount reserved under a key before work whose price is
/// known only after (an AI call), then settled at its real price or released.
pub trait Wallet: Send + Sync {
    fn reserve<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        key: &'a str,
        amount: frontdesk_core::money::Micros,
    ) -> Fut<'a, AppResult<()>>;
    fn settle<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        key: &'a str,
        actual: frontdesk_core::money::Micros,
    ) -> Fut<'a, AppResult<()>>;
    fn release<'a>(&'a self, c: &'a mut Conn, ws: &'a WorkspaceId, key: &'a str) -> Fut<'a, AppResult<()>>;
}

/// Platform billing off: everything is allowed and nothing is recorded.
pub struct Unmetered;

impl Entitlements for Unmetered {
    fn allow<'a>(&'a self, _: &'a mut Conn, _: &'a WorkspaceId, _: Use) -> Fut<'a, AppResult<()>> {
        Box::pin(async { Ok(()) })
    }
    fn charge<'a>(
        &'a self,
        _: &'a mut Conn,
        _: &'a WorkspaceId,
        _: Meter,
        _: i64,
        _: &'a str,
    ) -> Fut<'a, AppResult<()>> {
        Box::pin(async { Ok(()) })
    }
}

impl Wallet for Unmetered {
    fn reserve<'a>(
        &'a self,
        _: &'a mut Conn,
        _: &'a WorkspaceId,
        _: &'a str,
        _: frontdesk_core::money::Micros,
    ) -> Fut<'a, AppResult<()>> {
        Box::pin(async { Ok(()) })
    }
    fn settle<'a>(
        &'a self,
        _: &'a mut Conn,
        _: &'a WorkspaceId,
        _: &'a str,
        _: frontdesk_core::money::Micros,
    ) -> Fut<'a, AppResult<()>> {
        Box::pin(async { Ok(()) })
    }
    fn release<'a>(&'a self, _: &'a mut Conn, _: &'a WorkspaceId, _: &'a str) -> Fut<'a, AppResult<()>> {
        Box::pin(async { Ok(()) })
    }
}

/// The metering the server registered (billing's, when platform billing is configured).
pub struct Metering {
    pub entitlements: std::sync::Arc<dyn Entitlements>,
    pub wallet: std::sync::Arc<dyn Wallet>,
}

/// A benefit a customer holds that lowers a booking's price: a class pass (one session taken)
/// or a membership's discount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Benefit {
    /// The customer's membership or pass it came from.
    pub holding: String,
    pub discount_minor: i64,
}

/// What a customer's memberships and passes take off a booking, asked by bookings when it
/// prices one, inside its transaction (billing implements it; the server registers it). The
/// benefit is taken there and then (a pass's session is used by this booking).
pub trait Benefits: Send + Sync {
    #[allow(clippy::too_many_arguments)]
    fn apply<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        contact: &'a ContactId,
        service: &'a str,
        booking: &'a str,
        price_minor: i64,
    ) -> Fut<'a, AppResult<Option<Benefit>>>;
}

/// What an area holds on one person, for an access or export request: JSON files and the
/// person's attachments (blob keys), gathered into the export's ZIP.
#[derive(Clone, Debug, Default)]
pub struct Held {
    /// (file name inside the export, JSON).
    pub files: Vec<(String, serde_json::Value)>,
    /// (file name inside the export, blob key).
    pub blobs: Vec<(String, String)>,
}

/// What an erasure left to do after its transaction commits: blobs to delete.
#[derive(Clone, Debug, Default)]
pub struct Erased {
    pub rows: u64,
    pub blobs: Vec<String>,
}

/// A business's customer (a contact of a workspace), as a data subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub workspace: WorkspaceId,
    pub contact: ContactId,
}

/// One area's part in a data-subject request (the privacy area asks every registered area
/// through this port; a new area joins by implementing it). Every call runs inside the
/// request's transaction. Erasure follows the personal-data registry's action for each of the
/// area's columns (delete the row, clear, anonymise; `Legal` records are kept) and is a no-op
/// the second time.
pub trait Subject: Send + Sync {
    /// The area's name (the export's folder).
    fn area(&self) -> &'static str;
    /// The workspace's contacts whose email (or phone) is this one, for matching a request to
    /// the data on file.
    fn find<'a>(&'a self, c: &'a mut Conn, ws: &'a WorkspaceId, email: &'a str) -> Fut<'a, AppResult<Vec<ContactId>>> {
        let _ = (c, ws, email);
        Box::pin(async { Ok(vec![]) })
    }
    /// The values that name the person in the area (email, phone, names, channel ids), looked
    /// for in what no area owns (the job queue) when they are erased.
    fn names<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Vec<String>>> {
        let _ = (c, who);
        Box::pin(async { Ok(vec![]) })
    }
    /// Everything the area holds on the person.
    fn export<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Held>>;
    /// Erases the person's data in the area.
    fn erase<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Erased>>;
    /// Turns restriction of processing on or off (no AI drafts, no automatic replies).
    fn restrict<'a>(&'a self, c: &'a mut Conn, who: &'a Person, on: bool) -> Fut<'a, AppResult<()>> {
        let _ = (c, who, on);
        Box::pin(async { Ok(()) })
    }
    /// Erases what the area holds about a team member's account (their name on activity rows,
    /// their leases, their read marks), inside the account erasure's transaction; the platform
    /// erases the account itself. A second call changes nothing.
    fn erase_account<'a>(&'a self, c: &'a mut Conn, user: &'a UserId) -> Fut<'a, AppResult<Erased>> {
        let _ = (c, user);
        Box::pin(async { Ok(Erased::default()) })
    }
    /// Records the withdrawal of consent (an opt-out on every channel of the contact).
    fn withdraw_consent<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<()>> {
        let _ = (c, who);
        Box::pin(async { Ok(()) })
    }
}

//! The port every cloud-phone provider sits behind. Mutating calls take many devices and answer
//! per device (partial success is normal); a provider's states reach ours through a table, and
//! a state nobody mapped stays `Unknown(raw)`, never a guess.

use frontdesk_platform::ports::Fut;

/// What we ask a provider to do to its devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Start,
    Stop,
    Restart,
    Reset,
    Delete,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Start => "start",
            Op::Stop => "stop",
            Op::Restart => "restart",
            Op::Reset => "reset",
            Op::Delete => "delete",
        }
    }
}

/// A device's state as its provider reports it, mapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    Running,
    Starting,
    Stopped,
    Stopping,
    Restarting,
    Resetting,
    Expired,
    /// The provider no longer has it.
    Gone,
    /// Present but not reachable (an ADB device `offline`).
    Offline,
    Unknown(String),
}

/// Why the provider refused one device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The provider's own code (`43005`, `device not found`).
    pub code: String,
    pub message: String,
    pub why: Why,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// Busy with a task or a remote user: try later.
    Busy,
    /// The provider has no capacity now.
    NoResources,
    /// The device does not exist there any more.
    Gone,
    Expired,
    /// Not in a state that allows it (delete a running phone).
    WrongState,
    Other,
}

/// A call that failed as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallError {
    /// The credentials were refused: the operator must fix them; retrying cannot help.
    Auth(String),
    /// 5xx, a timeout, a refused connection, a rate limit: worth retrying later.
    Unavailable(String),
    /// The provider refused the request itself (a parameter): retrying cannot help.
    Refused(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Auth(m) => write!(f, "credentials refused: {m}"),
            CallError::Unavailable(m) => write!(f, "unavailable: {m}"),
            CallError::Refused(m) => write!(f, "refused: {m}"),
        }
    }
}

/// One device's answer to a mutating call: done (with the provider's remote-view link, when it
/// gives one) or refused.
pub type Each = (String, Result<Option<String>, Refusal>);

/// What a profile asks of a new device.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    pub name: String,
    /// Our device id, written on the provider's device so a retried create finds it.
    pub tag: String,
    pub android_version: String,
    pub region: Option<String>,
}

/// What a provider can do.
#[derive(Clone, Copy, Debug)]
pub struct Caps {
    /// Devices are made on request (GeeLark); otherwise they come from the pool (ADB).
    pub creates: bool,
    pub reset: bool,
    /// Largest batch of one mutating call.
    pub batch: usize,
}

pub trait PhoneProvider: Send + Sync {
    fn caps(&self) -> Caps;
    /// Makes one device; its provider id, or the refusal.
    fn create<'a>(&'a self, spec: &'a Spec) -> Fut<'a, Result<Result<String, Refusal>, CallError>>;
    /// The device carrying our tag, if an earlier create made it after all.
    fn find_tagged<'a>(&'a self, tag: &'a str) -> Fut<'a, Result<Option<String>, CallError>>;
    fn act<'a>(&'a self, op: Op, refs: &'a [String]) -> Fut<'a, Result<Vec<Each>, CallError>>;
    fn status<'a>(&'a self, refs: &'a [String]) -> Fut<'a, Result<Vec<(String, Seen)>, CallError>>;
    /// Every device the provider has (the operator's pool sync, for ADB hosts).
    fn list<'a>(&'a self) -> Fut<'a, Result<Vec<(String, Seen)>, CallError>>;
}

//! Ports: the small traits through which the platform (and lower areas) ask higher areas for
//! what only they know, without importing them. An area implements a port; the server registers
//! the implementation. Each trait is narrow, and a consumer takes only the ones it needs.

/// One area's part in the hourly upkeep: purges and anonymisation it owns, reported as
/// `(what, how many rows)` for the log. The platform's scheduler runs each area's job kind; this
/// trait is for callers (operator tools, tests) that want to run every area's upkeep at once.
pub trait Upkeep: Send + Sync {
    fn area(&self) -> &'static str;
}

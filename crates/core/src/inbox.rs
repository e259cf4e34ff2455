//! Inbox rules without I/O: message status ordering, thread statuses, channel kinds, consent
//! keywords and the consent state derived from the ledger.

use serde::{Deserialize, Serialize};

/// A message's delivery state. Outbound: queued < sent < delivered < read, or failed (terminal).
/// Inbound messages are `received` (and `read` once an agent has seen them, later).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Received,
    Queued,
    Sent,
    Delivered,
    Read,
    Failed,
}

impl MessageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Read => "read",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "received" => Self::Received,
            "queued" => Self::Queued,
            "sent" => Self::Sent,
            "delivered" => Self::Delivered,
            "read" => Self::Read,
            "failed" => Self::Failed,
            _ => return None,
        })
    }

    fn rank(self) -> u8 {
        match self {
            Self::Received | Self::Queued => 0,
            Self::Sent => 1,
            Self::Delivered => 2,
            Self::Read => 3,
            Self::Failed => 4,
        }
    }

    /// The status after `update` arrives, or `None` when it changes nothing: statuses only move
    /// forward, a late lower one is ignored, and `failed` is terminal (a `delivered` after
    /// `failed`, which multi-device accounts produce, does not revive the message).
    pub fn advance(self, update: MessageStatus) -> Option<MessageStatus> {
        if self == Self::Failed || update.rank() <= self.rank() {
            return None;
        }
        Some(update)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadStatus {
    Open,
    Pending,
    Snoozed,
    Resolved,
}

impl ThreadStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Pending => "pending",
            Self::Snoozed => "snoozed",
            Self::Resolved => "resolved",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "open" => Self::Open,
            "pending" => Self::Pending,
            "snoozed" => Self::Snoozed,
            "resolved" => Self::Resolved,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Whatsapp,
    Instagram,
    Telegram,
    Webchat,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 4] = [Self::Whatsapp, Self::Instagram, Self::Telegram, Self::Webchat];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Whatsapp => "whatsapp",
            Self::Instagram => "instagram",
            Self::Telegram => "telegram",
            Self::Webchat => "webchat",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChange {
    OptOut,
    OptIn,
}

impl ConsentChange {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OptOut => "opt_out",
            Self::OptIn => "opt_in",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "opt_out" => Some(Self::OptOut),
            "opt_in" => Some(Self::OptIn),
            _ => None,
        }
    }
}

/// Opt-out and opt-in keywords, by locale. A message that is exactly one of them (trimmed,
/// case-insensitive, trailing punctuation ignored) is a consent event; anything else is not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keywords {
    pub opt_out: std::collections::BTreeMap<String, Vec<String>>,
    pub opt_in: std::collections::BTreeMap<String, Vec<String>>,
}

impl Default for Keywords {
    fn default() -> Self {
        let map = |v: &[(&str, &[&str])]| {
            v.iter().map(|(l, w)| (l.to_string(), w.iter().map(|s| s.to_string()).collect())).collect()
        };
        Self {
            opt_out: map(&[
                ("en", &["STOP", "UNSUBSCRIBE", "STOPALL", "CANCEL", "END", "QUIT", "OPT OUT", "OPT-OUT"]),
                ("es", &["BAJA", "PARAR", "CANCELAR", "DETENER"]),
                ("fr", &["ARRET", "ARRÊT", "STOP", "DESABONNER", "DÉSABONNER"]),
                ("de", &["ABMELDEN", "STOPP"]),
                ("pt", &["SAIR", "PARAR", "CANCELAR"]),
                ("it", &["BASTA", "ANNULLA", "DISISCRIVI"]),
            ]),
            opt_in: map(&[
                ("en", &["START", "UNSTOP", "SUBSCRIBE", "YES"]),
                ("es", &["ALTA", "ACTIVAR"]),
                ("fr", &["DEMARRER", "DÉMARRER"]),
                ("de", &["ANMELDEN", "START"]),
                ("pt", &["INICIAR", "VOLTAR"]),
                ("it", &["INIZIA", "ISCRIVI"]),
            ]),
        }
    }
}

fn normalise(text: &str) -> String {
    text.trim()
        .trim_end_matches(|c: char| c == '.' || c == '!' || c.is_whitespace())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

impl Keywords {
    /// The consent change a message's text asks for, if it is exactly a keyword.
    pub fn classify(&self, text: &str) -> Option<ConsentChange> {
        if text.len() > 64 {
            return None;
        }
        let t = normalise(text);
        if t.is_empty() {
            return None;
        }
        let hit = |m: &std::collections::BTreeMap<String, Vec<String>>| m.values().flatten().any(|k| normalise(k) == t);
        if hit(&self.opt_out) {
            Some(ConsentChange::OptOut)
        } else if hit(&self.opt_in) {
            Some(ConsentChange::OptIn)
        } else {
            None
        }
    }
}

/// The current consent of a (contact, channel) pair, derived from its ledger: the latest event
/// decides; with no event, the customer who wrote first may be answered.
pub fn consent_state(events_oldest_first: &[(i64, ConsentChange)]) -> ConsentChange {
    events_oldest_first.iter().max_by_key(|(at, _)| *at).map(|(_, c)| *c).unwrap_or(ConsentChange::OptIn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MessageStatus::*;

    #[test]
    fn statuses_only_move_forward_and_failed_is_terminal() {
        assert_eq!(Queued.advance(Sent), Some(Sent));
        assert_eq!(Sent.advance(Read), Some(Read));
        assert_eq!(Read.advance(Delivered), None);
        assert_eq!(Delivered.advance(Sent), None);
        assert_eq!(Read.advance(Read), None);
        assert_eq!(Sent.advance(Failed), Some(Failed));
        assert_eq!(Read.advance(Failed), Some(Failed));
        assert_eq!(Failed.advance(Delivered), None);
        assert_eq!(Failed.advance(Read), None);
        // Any arrival order ends at the highest status seen.
        let all = [Sent, Delivered, Read];
        for a in all {
            for b in all {
                for c in all {
                    let mut s = Queued;
                    for u in [a, b, c] {
                        if let Some(n) = s.advance(u) {
                            s = n;
                        }
                    }
                    let max = [a, b, c].into_iter().max_by_key(|x| x.rank()).unwrap();
                    assert_eq!(s, max);
                }
            }
        }
    }

    #[test]
    fn keywords_are_exact_trimmed_and_case_insensitive() {
        let k = Keywords::default();
        for t in ["STOP", " stop ", "Stop.", "baja", "ARRÊT", "unsubscribe!", "opt   out"] {
            assert_eq!(k.classify(t), Some(ConsentChange::OptOut), "{t}");
        }
        for t in ["START", "start", "Alta"] {
            assert_eq!(k.classify(t), Some(ConsentChange::OptIn), "{t}");
        }
        for t in ["please stop", "stop it", "STOP!!! now", "", "   ", "stopp?", "I want to start"] {
            assert_eq!(k.classify(t), None, "{t}");
        }
    }

    #[test]
    fn the_latest_consent_event_decides() {
        use ConsentChange::*;
        assert_eq!(consent_state(&[]), OptIn);
        assert_eq!(consent_state(&[(1, OptOut)]), OptOut);
        assert_eq!(consent_state(&[(1, OptOut), (2, OptIn)]), OptIn);
        assert_eq!(consent_state(&[(3, OptOut), (2, OptIn)]), OptOut);
    }
}

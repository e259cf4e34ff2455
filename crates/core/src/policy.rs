//! The policy gate: one function decides every outbound message (agent replies in the UI and
//! the API, AI drafts later, away replies), before it is queued and again before every send
//! attempt. It returns allow, or a stable reason code an agent can read.

use crate::inbox::{ChannelKind, ConsentChange};
use serde::Serialize;

pub const HOUR_MS: i64 = 3_600_000;
/// WhatsApp and Instagram: free-form replies within 24 h of the customer's last message.
pub const WINDOW_MS: i64 = 24 * HOUR_MS;
/// Instagram's HUMAN_AGENT tag: a person (never automation) may answer up to 7 days later.
pub const HUMAN_AGENT_WINDOW_MS: i64 = 7 * 24 * HOUR_MS;

/// Who writes the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sender {
    /// An agent typed it (or approved it) and pressed send.
    Human,
    /// Sent without a person deciding: AI auto-replies, away replies.
    Automated,
    /// An automated notice about something the customer asked for in this conversation (a
    /// booking made from it): inside the provider's window, and on channels without one only
    /// within 24 h of the customer's last message, so a notice never opens a silent thread.
    Notice,
}

/// Everything the gate needs, read from the database by the caller.
#[derive(Clone, Debug)]
pub struct SendContext {
    pub channel: ChannelKind,
    pub channel_enabled: bool,
    /// The actor's role allows sending (viewers do not).
    pub may_send: bool,
    pub sender: Sender,
    /// The customer's last message on this channel, if they ever wrote (ms).
    pub last_inbound_at: Option<i64>,
    /// The provider said the window closed (WhatsApp 131047) at this time (ms); a newer
    /// inbound message reopens it.
    pub window_closed_at: Option<i64>,
    pub consent: ConsentChange,
    pub contact_blocked: bool,
    pub now: i64,
}

/// Why a message may not be sent. The code is part of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Denial {
    NotPermitted,
    ChannelDisabled,
    ContactBlocked,
    ContactOptedOut,
    ReplyOnlyNoInbound,
    ReplyWindowClosed,
    /// The workspace's plan is unpaid past its grace (platform billing).
    WorkspaceRestricted,
    /// Beyond the plan's quota, and the wallet cannot pay (platform billing).
    InsufficientCredit,
}

impl Denial {
    pub fn code(self) -> &'static str {
        match self {
            Self::NotPermitted => "not_permitted",
            Self::ChannelDisabled => "channel_disabled",
            Self::ContactBlocked => "contact_blocked",
            Self::ContactOptedOut => "contact_opted_out",
            Self::ReplyOnlyNoInbound => "reply_only_no_inbound",
            Self::ReplyWindowClosed => "reply_window_closed",
            Self::WorkspaceRestricted => "workspace_restricted",
            Self::InsufficientCredit => "insufficient_credit",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Self::NotPermitted,
            Self::ChannelDisabled,
            Self::ContactBlocked,
            Self::ContactOptedOut,
            Self::ReplyOnlyNoInbound,
            Self::ReplyWindowClosed,
            Self::WorkspaceRestricted,
            Self::InsufficientCredit,
        ]
        .into_iter()
        .find(|d| d.code() == code)
    }

    /// A sentence for the agent.
    pub fn message(self) -> &'static str {
        match self {
            Self::NotPermitted => "Your role cannot send messages in this workspace.",
            Self::ChannelDisabled => "This channel is disabled; enable it to reply.",
            Self::ContactBlocked => "This contact is blocked.",
            Self::ContactOptedOut => "The customer opted out (STOP). They must opt in again before you can write.",
            Self::ReplyOnlyNoInbound => {
                "Frontdesk only answers customers who wrote first; this customer has not written on this channel."
            }
            Self::ReplyWindowClosed => {
                "The reply window has closed: the customer's last message is too old for this channel."
            }
            Self::WorkspaceRestricted => {
                "This workspace is restricted until its plan is paid; incoming messages still arrive."
            }
            Self::InsufficientCredit => "The workspace's credit does not cover this; top up the wallet first.",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow {
        /// When free-form replies stop being possible (ms), if the channel has a window.
        closes_at: Option<i64>,
        /// Instagram: send with the HUMAN_AGENT tag (a person replying after 24 h).
        human_agent_tag: bool,
    },
    Deny(Denial),
}

impl Decision {
    pub fn denial(&self) -> Option<Denial> {
        match self {
            Self::Deny(d) => Some(*d),
            Self::Allow { .. } => None,
        }
    }
    pub fn code(&self) -> &'static str {
        self.denial().map(Denial::code).unwrap_or("allowed")
    }
}

/// The end of the reply window for a message from `sender`, counted from the customer's last
/// message; `None` when the channel has no window.
pub fn window_end(channel: ChannelKind, sender: Sender, last_inbound_at: i64) -> Option<i64> {
    match (channel, sender) {
        (ChannelKind::Whatsapp, _) | (ChannelKind::Instagram, Sender::Automated | Sender::Notice) => {
            Some(last_inbound_at + WINDOW_MS)
        }
        (ChannelKind::Instagram, Sender::Human) => Some(last_inbound_at + HUMAN_AGENT_WINDOW_MS),
        (ChannelKind::Telegram | ChannelKind::Webchat, Sender::Notice) => Some(last_inbound_at + WINDOW_MS),
        (ChannelKind::Telegram | ChannelKind::Webchat, _) => None,
    }
}

/// Decides one outbound message. Checks run from the most fundamental to the most transient,
/// so the reason shown is the one that matters first.
pub fn decide(x: &SendContext) -> Decision {
    if !x.may_send {
        return Decision::Deny(Denial::NotPermitted);
    }
    if !x.channel_enabled {
        return Decision::Deny(Denial::ChannelDisabled);
    }
    if x.contact_blocked {
        return Decision::Deny(Denial::ContactBlocked);
    }
    if x.consent == ConsentChange::OptOut {
        return Decision::Deny(Denial::ContactOptedOut);
    }
    // Reply-only: no first contact, campaigns or templates. Business-initiated sending is not
    // built, so there is no switch that lets a message through without a customer message.
    let Some(last) = x.last_inbound_at else {
        return Decision::Deny(Denial::ReplyOnlyNoInbound);
    };
    if x.window_closed_at.is_some_and(|closed| closed >= last) {
        return Decision::Deny(Denial::ReplyWindowClosed);
    }
    match window_end(x.channel, x.sender, last) {
        Some(end) if x.now >= end => Decision::Deny(Denial::ReplyWindowClosed),
        Some(end) => Decision::Allow {
            closes_at: Some(end),
            human_agent_tag: x.channel == ChannelKind::Instagram && x.now >= last + WINDOW_MS,
        },
        None => Decision::Allow { closes_at: None, human_agent_tag: false },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChannelKind::*;
    use ConsentChange::*;

    const NOW: i64 = 1_000 * HOUR_MS;

    fn ctx(channel: ChannelKind, hours_since_inbound: Option<i64>) -> SendContext {
        SendContext {
            channel,
            channel_enabled: true,
            may_send: true,
            sender: Sender::Human,
            last_inbound_at: hours_since_inbound.map(|h| NOW - h * HOUR_MS),
            window_closed_at: None,
            consent: OptIn,
            contact_blocked: false,
            now: NOW,
        }
    }

    fn code(x: &SendContext) -> &'static str {
        decide(x).code()
    }

    #[test]
    fn the_window_depends_on_the_channel_and_on_who_sends() {
        // (channel, sender, hours since the customer's last message, expected)
        let table: &[(ChannelKind, Sender, i64, &str)] = &[
            (Whatsapp, Sender::Human, 0, "allowed"),
            (Whatsapp, Sender::Human, 23, "allowed"),
            (Whatsapp, Sender::Human, 24, "reply_window_closed"),
            (Whatsapp, Sender::Automated, 23, "allowed"),
            (Whatsapp, Sender::Human, 200, "reply_window_closed"),
            (Instagram, Sender::Human, 23, "allowed"),
            (Instagram, Sender::Human, 24, "allowed"),
            (Instagram, Sender::Human, 167, "allowed"),
            (Instagram, Sender::Human, 168, "reply_window_closed"),
            (Instagram, Sender::Automated, 23, "allowed"),
            (Instagram, Sender::Automated, 24, "reply_window_closed"),
            (Telegram, Sender::Human, 10_000, "allowed"),
            (Telegram, Sender::Automated, 10_000, "allowed"),
            (Webchat, Sender::Human, 10_000, "allowed"),
            // A booking notice: the provider's window, else 24 h since the customer wrote.
            (Whatsapp, Sender::Notice, 23, "allowed"),
            (Whatsapp, Sender::Notice, 24, "reply_window_closed"),
            (Instagram, Sender::Notice, 24, "reply_window_closed"),
            (Telegram, Sender::Notice, 23, "allowed"),
            (Telegram, Sender::Notice, 24, "reply_window_closed"),
            (Telegram, Sender::Notice, 720, "reply_window_closed"),
            (Webchat, Sender::Notice, 30, "reply_window_closed"),
        ];
        for (ch, sender, h, want) in table {
            let mut x = ctx(*ch, Some(*h));
            x.sender = *sender;
            assert_eq!(code(&x), *want, "{ch:?} {sender:?} {h} h");
        }
    }

    #[test]
    fn instagram_uses_the_human_agent_tag_only_after_24_hours() {
        let tag = |h| match decide(&ctx(Instagram, Some(h))) {
            Decision::Allow { human_agent_tag, .. } => human_agent_tag,
            Decision::Deny(d) => panic!("{d:?}"),
        };
        assert!(!tag(1));
        assert!(tag(30));
        assert_eq!(
            decide(&ctx(Whatsapp, Some(1))),
            Decision::Allow { closes_at: Some(NOW - HOUR_MS + WINDOW_MS), human_agent_tag: false }
        );
        assert_eq!(decide(&ctx(Telegram, Some(1))), Decision::Allow { closes_at: None, human_agent_tag: false });
    }

    #[test]
    fn no_message_goes_to_someone_who_never_wrote_opted_out_or_is_blocked() {
        for ch in ChannelKind::ALL {
            assert_eq!(code(&ctx(ch, None)), "reply_only_no_inbound", "{ch:?}");
            let mut x = ctx(ch, Some(1));
            x.consent = OptOut;
            assert_eq!(code(&x), "contact_opted_out");
            let mut x = ctx(ch, Some(1));
            x.contact_blocked = true;
            assert_eq!(code(&x), "contact_blocked");
            let mut x = ctx(ch, Some(1));
            x.channel_enabled = false;
            assert_eq!(code(&x), "channel_disabled");
            let mut x = ctx(ch, Some(1));
            x.may_send = false;
            assert_eq!(code(&x), "not_permitted");
        }
    }

    #[test]
    fn the_most_fundamental_reason_wins() {
        let mut x = ctx(Whatsapp, Some(48));
        x.consent = OptOut;
        x.may_send = false;
        assert_eq!(code(&x), "not_permitted");
        x.may_send = true;
        assert_eq!(code(&x), "contact_opted_out");
        x.consent = OptIn;
        assert_eq!(code(&x), "reply_window_closed");
    }

    #[test]
    fn a_provider_closed_window_reopens_when_the_customer_writes_again() {
        let mut x = ctx(Whatsapp, Some(2));
        x.window_closed_at = Some(NOW - HOUR_MS);
        assert_eq!(code(&x), "reply_window_closed");
        x.last_inbound_at = Some(NOW - 1);
        assert_eq!(code(&x), "allowed");
    }

    #[test]
    fn codes_round_trip() {
        for d in [
            Denial::NotPermitted,
            Denial::ChannelDisabled,
            Denial::ContactBlocked,
            Denial::ContactOptedOut,
            Denial::ReplyOnlyNoInbound,
            Denial::ReplyWindowClosed,
        ] {
            assert_eq!(Denial::parse(d.code()), Some(d));
            assert!(!d.message().is_empty());
        }
    }
}

//! Typed ids: UUIDv7 strings wrapped so that a `UserId` can never be passed where a
//! `WorkspaceId` is expected.

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
            }
            /// Parses an id from untrusted input; `None` when it is not a UUID.
            pub fn parse(s: &str) -> Option<Self> {
                uuid::Uuid::parse_str(s).ok().map(|u| Self(u.hyphenated().to_string()))
            }
            /// Wraps a value read back from our own database.
            pub fn from_db(s: String) -> Self {
                Self(s)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    )*};
}

id_type!(
    UserId,
    WorkspaceId,
    SessionId,
    InvitationId,
    ApiTokenId,
    JobId,
    AuditId,
    EmailTokenId,
    ChannelId,
    ContactId,
    ThreadId,
    MessageId,
    MediaId,
    InboundEventId,
    NoteId,
    ConsentEventId,
    VisitorId,
    SavedReplyId,
    WebhookId,
    WebhookDeliveryId,
    DraftId,
    AiCallId,
    ServiceId,
    ResourceId,
    BookingId,
    ExtraId,
    RequirementId,
    CouponId,
    OccurrenceId,
    BlockId,
    PaymentId,
    PaymentAccountId,
    RefundId,
    PaymentEventId,
    DeviceId,
    PhoneProviderId,
    DeviceProfileId,
    DeviceActivityId,
    InvoiceId,
    InvoiceLineId,
    InvoiceExportId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_non_uuid_and_normalises_case() {
        assert!(UserId::parse("not-an-id").is_none());
        let id = UserId::new();
        let upper = id.as_str().to_uppercase();
        assert_eq!(UserId::parse(&upper).unwrap(), id);
    }

    #[test]
    fn ids_are_time_ordered() {
        let a = WorkspaceId::new();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = WorkspaceId::new();
        assert!(a < b);
    }
}

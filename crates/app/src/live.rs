//! Live events: what changed in a workspace's inbox, for open inbox pages (SSE) and web-chat
//! visitors. In-process broadcast; each node sees the changes it commits itself.

use serde::Serialize;
use tokio::sync::broadcast;

#[derive(Clone, Debug, Serialize)]
pub struct LiveEvent {
    pub workspace_id: String,
    /// `message.created`, `message.updated`, `thread.updated`.
    pub kind: &'static str,
    pub thread_id: String,
    pub channel_id: String,
    pub contact_id: String,
    pub message_id: Option<String>,
}

pub struct Live {
    tx: broadcast::Sender<LiveEvent>,
}

impl Default for Live {
    fn default() -> Self {
        Self { tx: broadcast::channel(4096).0 }
    }
}

impl Live {
    /// Publishes after a commit; nobody listening is fine.
    pub fn publish(&self, e: LiveEvent) {
        let _ = self.tx.send(e);
    }
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.tx.subscribe()
    }
}

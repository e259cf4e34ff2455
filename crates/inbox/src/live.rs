//! Live events: what changed in a workspace's inbox, for open inbox pages (SSE) and web-chat
//! visitors. Published after a commit to an in-process broadcast; on PostgreSQL every event is
//! also sent with `pg_notify` and each node re-broadcasts the events of the other nodes
//! (`LISTEN`), so an agent connected to one node sees what another node stored.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use tokio::sync::{broadcast, mpsc, watch};

/// The PostgreSQL notification channel.
pub const CHANNEL: &str = "frontdesk_live";

#[derive(Clone, Debug, Serialize)]
pub struct LiveEvent {
    pub workspace_id: String,
    /// `message.created`, `message.updated`, `thread.updated`, or `booking.changed` (see
    /// [`booking_changed`]).
    pub kind: &'static str,
    pub thread_id: String,
    pub channel_id: String,
    pub contact_id: String,
    pub message_id: Option<String>,
}

/// The event of a change to one thread of a channel (and to one of its messages).
pub fn live(
    kind: &'static str,
    ch: &crate::channels::Channel,
    thread: &frontdesk_core::ThreadId,
    contact: &frontdesk_core::ContactId,
    message: Option<&frontdesk_core::MessageId>,
) -> LiveEvent {
    LiveEvent {
        workspace_id: ch.workspace_id.to_string(),
        kind,
        thread_id: thread.to_string(),
        channel_id: ch.id.to_string(),
        contact_id: contact.to_string(),
        message_id: message.map(|m| m.to_string()),
    }
}

/// A booking was made, moved or changed its status: open calendars refresh. It belongs to no
/// thread or channel (both empty, so no conversation page and no visitor takes it for theirs);
/// the booking's id travels in `message_id`.
pub fn booking_changed(workspace_id: &str, booking: &str, contact: Option<&str>) -> LiveEvent {
    LiveEvent {
        workspace_id: workspace_id.to_string(),
        kind: BOOKING_CHANGED,
        thread_id: String::new(),
        channel_id: String::new(),
        contact_id: contact.unwrap_or_default().to_string(),
        message_id: Some(booking.to_string()),
    }
}

pub const BOOKING_CHANGED: &str = "booking.changed";

const KINDS: &[&str] = &["message.created", "message.updated", "thread.updated", BOOKING_CHANGED];

/// An event as it travels between nodes, with the node that published it.
#[derive(Serialize, Deserialize)]
struct Wire {
    node: String,
    workspace_id: String,
    kind: String,
    thread_id: String,
    channel_id: String,
    contact_id: String,
    message_id: Option<String>,
}

pub struct Live {
    tx: broadcast::Sender<LiveEvent>,
    node: String,
    remote: OnceLock<mpsc::UnboundedSender<LiveEvent>>,
    /// The events this node publishes itself (not those of other nodes): outgoing webhooks.
    local: OnceLock<mpsc::UnboundedSender<LiveEvent>>,
}

impl Default for Live {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(4096).0,
            node: frontdesk_platform::crypto::random_token(),
            remote: OnceLock::new(),
            local: OnceLock::new(),
        }
    }
}

impl Live {
    /// Publishes after a commit; nobody listening is fine.
    pub fn publish(&self, e: LiveEvent) {
        if let Some(r) = self.remote.get() {
            let _ = r.send(e.clone());
        }
        if let Some(l) = self.local.get() {
            let _ = l.send(e.clone());
        }
        let _ = self.tx.send(e);
    }
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.tx.subscribe()
    }

    /// The events this node publishes from now on (one receiver per process).
    pub fn local_events(&self) -> mpsc::UnboundedReceiver<LiveEvent> {
        let (tx, rx) = mpsc::unbounded_channel();
        let _ = self.local.set(tx);
        rx
    }

    fn encode(&self, e: &LiveEvent) -> String {
        serde_json::to_string(&Wire {
            node: self.node.clone(),
            workspace_id: e.workspace_id.clone(),
            kind: e.kind.to_string(),
            thread_id: e.thread_id.clone(),
            channel_id: e.channel_id.clone(),
            contact_id: e.contact_id.clone(),
            message_id: e.message_id.clone(),
        })
        .unwrap_or_default()
    }

    /// An event of another node, or `None` for our own (already broadcast) and for garbage.
    fn decode(&self, payload: &str) -> Option<LiveEvent> {
        let w: Wire = serde_json::from_str(payload).ok()?;
        if w.node == self.node {
            return None;
        }
        let kind = KINDS.iter().find(|k| **k == w.kind)?;
        Some(LiveEvent {
            workspace_id: w.workspace_id,
            kind,
            thread_id: w.thread_id,
            channel_id: w.channel_id,
            contact_id: w.contact_id,
            message_id: w.message_id,
        })
    }
}

/// On PostgreSQL: starts the two tasks that carry live events between nodes (one sends our
/// events with `pg_notify`, one listens for the others'). Nothing on SQLite (one node).
pub fn spawn_fanout(
    app: &crate::Inbox,
    database_url: &str,
    mut shutdown: watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    if app.db.backend() != frontdesk_store::Backend::Postgres {
        return vec![];
    }
    let (tx, mut rx) = mpsc::unbounded_channel::<LiveEvent>();
    if app.live.remote.set(tx).is_err() {
        return vec![];
    }
    let (a, mut stop) = (app.clone(), shutdown.clone());
    let sender = tokio::spawn(async move {
        loop {
            let e = tokio::select! {
                e = rx.recv() => match e { Some(e) => e, None => break },
                _ = stop.changed() => break,
            };
            let payload = a.live.encode(&e);
            if let Err(err) = a.db.notify(CHANNEL, &payload).await {
                tracing::warn!(error = %err, "live event not sent to the other nodes");
            }
        }
    });
    let (a, url) = (app.clone(), database_url.to_string());
    let listener = tokio::spawn(async move {
        loop {
            let mut l = match frontdesk_store::PgListener::connect(&url).await {
                Ok(l) => l,
                Err(err) => {
                    tracing::warn!(error = %err, "live events of other nodes: cannot connect, retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => continue,
                        _ = shutdown.changed() => return,
                    }
                }
            };
            if let Err(err) = l.listen(CHANNEL).await {
                tracing::warn!(error = %err, "live events of other nodes: LISTEN failed, retrying");
                continue;
            }
            loop {
                let n = tokio::select! {
                    n = l.recv() => n,
                    _ = shutdown.changed() => return,
                };
                match n {
                    Ok(n) => {
                        if let Some(e) = a.live.decode(n.payload()) {
                            let _ = a.live.tx.send(e);
                        }
                    }
                    // PgListener reconnects by itself on the next recv; events sent meanwhile
                    // are missed, and open pages catch up on their next event or reload.
                    Err(err) => {
                        tracing::warn!(error = %err, "live events of other nodes: connection lost");
                        tokio::select! {
                            _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                            _ = shutdown.changed() => return,
                        }
                    }
                }
            }
        }
    });
    vec![sender, listener]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev() -> LiveEvent {
        LiveEvent {
            workspace_id: "w".into(),
            kind: "message.created",
            thread_id: "t".into(),
            channel_id: "c".into(),
            contact_id: "p".into(),
            message_id: Some("m".into()),
        }
    }

    #[test]
    fn events_of_other_nodes_are_taken_and_our_own_are_not() {
        let (a, b) = (Live::default(), Live::default());
        let wire = a.encode(&ev());
        assert!(a.decode(&wire).is_none(), "our own event was already broadcast");
        let got = b.decode(&wire).expect("another node's event");
        assert_eq!((got.kind, got.message_id.as_deref()), ("message.created", Some("m")));
        assert!(b.decode(&wire.replace("message.created", "rm -rf")).is_none(), "unknown kinds are dropped");
        assert!(b.decode("not json").is_none());
    }
}

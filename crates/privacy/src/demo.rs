//! The demo's privacy request: one of the salon's customers asks to see her data, waiting for
//! the owner to check who she is (the Privacy page has something to act on).

use crate::requests::Request;
use crate::Privacy;
use frontdesk_core::{JobId, Timestamp, WorkspaceId};
use frontdesk_platform::AppResult;
use frontdesk_store::row;

/// Adds the request once (nothing when the workspace has any); how many were added.
pub async fn seed(x: &Privacy, workspace_id: &str) -> AppResult<usize> {
    let Some(ws) = WorkspaceId::parse(workspace_id) else { return Ok(0) };
    let mut tx = x.db.begin().await?;
    let any: i64 = row::scalar(&mut tx, "SELECT COUNT(*) FROM privacy_requests WHERE workspace_id = $1", &ws).await?;
    if any > 0 {
        return Ok(0);
    }
    let now = x.now().0;
    let r = Request {
        id: JobId::new().to_string(),
        workspace_id: ws.clone(),
        contact_id: None,
        kind: "access".into(),
        status: "received".into(),
        email: Some("lucia.demo@example.com".into()),
        details: Some("¿Qué datos tenéis de mí?".into()),
        lang: "es".into(),
        source: "public".into(),
        due_at: now + 30 * Timestamp::DAY,
        created_at: now,
        updated_at: now,
        ..Default::default()
    };
    row::insert(&mut tx, &r).await?;
    tx.commit().await?;
    Ok(1)
}

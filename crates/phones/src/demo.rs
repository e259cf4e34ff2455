//! `--demo` for phones: the operator's lab (an ADB host on this machine's default ADB port), a
//! profile on it, and the demo salon's front-desk tablet taken from that pool. Nothing runs
//! until someone starts it; without an ADB server there, a start ends as the provider being
//! unreachable, which the device page shows.

use crate::repo::{self as q, Device, Profile, Provider};
use crate::Phones;
use frontdesk_core::{DeviceId, DeviceProfileId, PhoneProviderId, WorkspaceId};
use frontdesk_platform::AppResult;

/// Seeds the demo's lab once (nothing when there is a provider already).
pub async fn seed(ph: &Phones, workspace_id: &str) -> AppResult<usize> {
    let Some(ws) = WorkspaceId::parse(workspace_id) else { return Ok(0) };
    let now = ph.now().0;
    let mut tx = ph.db.begin().await?;
    if !q::providers(&mut tx).await?.is_empty() {
        return Ok(0);
    }
    let provider = Provider {
        id: PhoneProviderId::new(),
        name: "Demo lab (ADB)".into(),
        kind: "adb".into(),
        endpoint: "127.0.0.1:5037".into(),
        app_id: None,
        secret: None,
        secret_hint: None,
        status: "unreachable".into(),
        status_detail: Some("not checked yet".into()),
        checked_at: None,
        created_at: now,
        updated_at: now,
    };
    q::insert_provider(&mut tx, &provider).await?;
    let profile = Profile {
        id: DeviceProfileId::new(),
        provider_id: provider.id.clone(),
        name: "Android 13 tablet (lab)".into(),
        region: None,
        android_version: "Android 13".into(),
        size: Some("10-inch".into()),
        active: true,
        created_at: now,
        updated_at: now,
    };
    q::insert_profile(&mut tx, &profile).await?;
    let d = Device {
        id: DeviceId::new(),
        workspace_id: Some(ws),
        provider_id: provider.id.clone(),
        profile_id: Some(profile.id.clone()),
        provider_ref: Some("emulator-5554".into()),
        name: "Front desk tablet".into(),
        tags: r#"["reception"]"#.into(),
        state: "stopped".into(),
        created_at: now,
        updated_at: now,
        ..Default::default()
    };
    q::insert_device(&mut tx, &d).await?;
    tx.commit().await?;
    Ok(1)
}

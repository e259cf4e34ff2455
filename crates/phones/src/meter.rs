//! Per-minute metering (P51). A running interval starts when we see the device running; minute
//! `k` of it (k = 0, 1, …) is recorded as soon as it starts, once, under the key
//! `device:<id>:<epoch minute of its start>`, in the transaction that charges it through the
//! `Entitlements` port (the plan's quota first, then the wallet at the overage price) and moves
//! the interval's count on. So a crash between minutes loses none and a restart repeats none;
//! minutes past the workspace's daily cap (per device and local day) are recorded as `capped`
//! and charged nothing. When the wallet cannot pay the next minute, the device is stopped and
//! the owners are told.

use crate::devices;
use crate::repo::{self as q, Device};
use crate::Phones;
use frontdesk_core::Timestamp;
use frontdesk_i18n::tl;
use frontdesk_platform::ports::Meter;
use frontdesk_platform::{AppResult, Platform};
use frontdesk_store::row;

/// What metering a device came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Metered {
    Paid,
    /// The wallet (or the plan's state) refused the next minute.
    Refused,
}

fn local_day(tz: &str, ms: i64) -> String {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(zone).date().to_string())
        .unwrap_or_else(|_| "1970-01-01".into())
}

/// Records (and charges) every minute of `d`'s interval started by `until`.
pub async fn charge_until(ph: &Phones, d: &Device, until: i64) -> AppResult<Metered> {
    let (Some(since), Some(ws)) = (d.running_since, d.workspace_id.clone()) else { return Ok(Metered::Paid) };
    if until < since {
        return Ok(Metered::Paid);
    }
    let p: &Platform = ph.as_ref();
    let mut c = ph.db.conn().await?;
    let tz = frontdesk_platform::profile::of(&mut c, &ws).await?.time_zone;
    let cap = devices::settings(ph, &mut c, &ws).await?.daily_cap_minutes;
    drop(c);
    let due = (until - since) / Timestamp::MINUTE + 1;
    let mut k = d.metered;
    while k < due {
        let start = since + k * Timestamp::MINUTE;
        let minute = start / Timestamp::MINUTE;
        let day = local_day(&tz, start);
        let mut tx = ph.db.begin().await?;
        let capped = match cap {
            Some(cap) => q::charged_on(&mut tx, &d.id, &day).await? >= cap,
            None => false,
        };
        let outcome = if capped { "capped" } else { "charged" };
        if q::insert_minute(&mut tx, &d.id, &ws, minute, &day, outcome).await? && !capped {
            let key = format!("device:{}:{minute}", d.id);
            if let Err(e) = p.entitlements().charge(&mut tx, &ws, Meter::DeviceMinute, 1, &key).await {
                if matches!(e.code, "insufficient_credit" | "workspace_restricted") {
                    drop(tx);
                    return Ok(Metered::Refused);
                }
                return Err(e);
            }
        }
        let moved = row::one_changed(
            &mut tx,
            "UPDATE devices SET metered = $1 WHERE id = $2 AND running_since = $3 AND metered = $4",
            (k + 1, &d.id, since, k),
        )
        .await?;
        if !moved {
            // Someone else metered this interval on (another node, a stop): they own it.
            return Ok(Metered::Paid);
        }
        tx.commit().await?;
        k += 1;
    }
    Ok(Metered::Paid)
}

/// The interval ends at `until`: its minutes are recorded; one the wallet cannot pay is not.
pub async fn close(ph: &Phones, d: &Device, until: i64) -> AppResult<()> {
    charge_until(ph, d, until).await.map(|_| ())
}

/// Every minute: meters each running device, stops those the wallet cannot pay for and those
/// idle for longer than the workspace allows. Answers how many were stopped.
pub async fn run(ph: &Phones) -> AppResult<usize> {
    let mut c = ph.db.conn().await?;
    let running = q::running(&mut c).await?;
    drop(c);
    let now = ph.now().0;
    let mut stopped = 0;
    for d in running {
        let Some(ws) = d.workspace_id.clone() else { continue };
        let outcome = charge_until(ph, &d, now).await?;
        let mut c = ph.db.conn().await?;
        let Some(cur) = q::device_any(&mut c, &d.id).await? else { continue };
        let idle_after = devices::settings(ph, &mut c, &ws).await?.idle_stop_minutes * Timestamp::MINUTE;
        drop(c);
        let why = if outcome == Metered::Refused {
            Some("no_credit")
        } else {
            let seen = [cur.running_since, cur.viewed_at, cur.lease_until].into_iter().flatten().max().unwrap_or(now);
            (now - seen > idle_after).then_some("idle")
        };
        let Some(why) = why else { continue };
        let mut tx = ph.db.begin().await?;
        if devices::system_stop(ph, &mut tx, &cur, why).await? {
            if why == "no_credit" {
                tell_owners(ph, &mut tx, &cur).await?;
            }
            stopped += 1;
        }
        tx.commit().await?;
    }
    Ok(stopped)
}

async fn tell_owners(ph: &Phones, c: &mut frontdesk_store::Conn, d: &Device) -> AppResult<()> {
    let Some(ws) = d.workspace_id.clone() else { return Ok(()) };
    let p: &Platform = ph.as_ref();
    let name = frontdesk_platform::repo::workspaces::by_id(c, &ws).await?.map(|w| w.name).unwrap_or_default();
    let link = format!("{}/w/{}/devices/{}", p.settings.base_url, ws, d.id);
    let device = d.name.clone();
    frontdesk_billing::accounts::mail_owners(&ph.billing, c, &ws, |lang| {
        (
            tl!(lang, "phones-no-credit-subject", device = device.as_str(), workspace = name.as_str()),
            tl!(
                lang,
                "phones-no-credit-body",
                device = device.as_str(),
                workspace = name.as_str(),
                link = link.as_str()
            ),
        )
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_of_a_minute_is_the_business_s() {
        // 23:30 UTC on 1 March is already 2 March in Madrid.
        let ms = 1_772_407_800_000; // 2026-03-01T23:30:00Z
        assert_eq!(local_day("UTC", ms), "2026-03-01");
        assert_eq!(local_day("Europe/Madrid", ms), "2026-03-02");
    }
}

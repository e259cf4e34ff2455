//! `--demo` for bookings: the demo salon's services, two stylists, two chairs and a week of
//! bookings, made through the same catalog and booking functions as the API.

use crate::book::{self, BookingInput, CustomerInput, Origin};
use crate::catalog::{self, BookingResourceInput, BookingServiceInput, HoursRange};
use crate::slots::{self, SlotQuery};
use crate::Bookings;
use frontdesk_core::Action;
use frontdesk_platform::audit::Actor;
use frontdesk_platform::workspaces::{self, Principal};
use frontdesk_platform::AppResult;

fn week(open: &str, close: &str) -> Vec<HoursRange> {
    ["mon", "tue", "wed", "thu", "fri", "sat"]
        .iter()
        .map(|d| HoursRange { day: d.to_string(), open: open.into(), close: close.into() })
        .collect()
}

/// Seeds the demo workspace's bookings once (nothing when it already has services).
pub async fn seed(b: &Bookings, owner_email: &str, workspace_id: &str) -> AppResult<usize> {
    let user = frontdesk_platform::operator::user_by_email(b, owner_email).await?;
    let principal = Principal::User { id: user.id.clone(), ip: None };
    let access = workspaces::authorize(b, &principal, workspace_id, Action::ManageCatalog).await?;
    if !catalog::services(b, &access).await?.is_empty() {
        return Ok(0);
    }
    let mut staff = vec![];
    for (name, open, close) in [("Lucía", "09:00", "17:00"), ("Marcos", "11:00", "20:00")] {
        let r = BookingResourceInput {
            kind: "staff".into(),
            name: name.into(),
            user_id: None,
            time_zone: None,
            hours: week(open, close),
            days_off: vec![],
            active: true,
        };
        staff.push(catalog::create_resource(b, &access, &r).await?.id.to_string());
    }
    let mut chairs = vec![];
    for name in ["Chair 1", "Chair 2"] {
        let r = BookingResourceInput {
            kind: "room".into(),
            name: name.into(),
            user_id: None,
            time_zone: None,
            hours: week("08:00", "21:00"),
            days_off: vec![],
            active: true,
        };
        chairs.push(catalog::create_resource(b, &access, &r).await?.id.to_string());
    }
    let mut services = vec![];
    for (name, minutes, price, after) in
        [("Haircut", 30, "18.00", 10), ("Colour", 90, "45.00", 15), ("Beard trim", 20, "12.00", 5)]
    {
        let s = BookingServiceInput {
            name: name.into(),
            description: String::new(),
            duration_min: minutes,
            price: price.into(),
            currency: None,
            buffer_before_min: 0,
            buffer_after_min: after,
            interval_min: 15,
            min_notice_min: 60,
            window_days: Some(60),
            capacity: None,
            unit: None,
            check_in: None,
            check_out: None,
            requires_confirmation: false,
            resources: vec![staff.clone(), chairs.clone()],
            active: true,
            hidden: false,
            cancel_notice_min: 24 * 60,
            payment: None,
            deposit: None,
            deposit_percent: None,
        };
        services.push(catalog::create_service(b, &access, &s).await?.0.id.to_string());
    }
    // A week of bookings: every few slots of each day, for a handful of customers.
    let customers = ["Maria Lopez", "Tom Becker", "Aiko Tanaka", "Jordi Puig", "Elena Ruiz"];
    let actor = Actor::cli();
    let origin = Origin { actor: &actor, visitor: None, ip: None };
    let mut made = 0;
    for (si, service) in services.iter().enumerate() {
        let query = SlotQuery { service_id: service.clone(), ..Default::default() };
        let free = slots::free(b, &access.workspace.id, &query, false).await?;
        for (k, slot) in free.iter().enumerate().filter(|(k, _)| (k + si) % 9 == 0).take(8) {
            let input = BookingInput {
                service_id: service.clone(),
                start: slot.start.clone(),
                customer: Some(CustomerInput {
                    name: customers[(k + si) % customers.len()].into(),
                    email: None,
                    phone: None,
                }),
                ..Default::default()
            };
            // A slot taken by an earlier demo booking is simply skipped.
            if book::create(b, &access.workspace.id, &origin, &input, None).await.is_ok() {
                made += 1;
            }
        }
    }
    // The workspace's calendar feed, on (its URL is under Settings → Calendar feeds).
    crate::feeds::renew(b, &access, crate::feeds::ALL).await?;
    Ok(made)
}

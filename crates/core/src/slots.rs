//! Free slots: interval-set arithmetic over resources' hours (in each resource's own time zone),
//! date exceptions, blocked and closed times, buffers, existing allocations and live holds. Pure:
//! the bookings area loads the inputs with a few queries and asks here.
//!
//! Rules, in one place:
//! - A slot is `[start, start + duration)`. Each allocation occupies its *period*, the slot widened
//!   by the service's buffers; two periods on one resource never overlap (the database enforces
//!   the same rule, so what this engine offers, the database accepts).
//! - `slot` services start on a grid anchored to each opening range of the first resource group
//!   (09:30, 10:00, … every `interval` minutes of wall-clock time in that resource's zone) and
//!   must lie inside the opening hours of every resource they use. A wall-clock start that does
//!   not exist (spring forward) is skipped; one that happens twice (fall back) is offered once per
//!   real instant.
//! - `night` and `day` units ignore opening hours: they run from check-in to check-out on the
//!   unit's local dates and stop at closed or blocked dates.
//! - "Any staff": among a group's free resources, the one with the fewest allocations that local
//!   day wins (ties: the order given).
//! - No slot starts before `now + minimum notice` or after `now + booking window`.
//! - A class (capacity > 1) holds its resources once per occurrence and counts seats.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};

pub const MINUTE: i64 = 60_000;
pub const DAY: i64 = 86_400_000;

/// A half-open interval of instants, in milliseconds since the epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: i64,
    pub end: i64,
}

impl Span {
    pub fn new(start: i64, end: i64) -> Self {
        Self { start, end }
    }
    pub fn overlaps(&self, o: &Span) -> bool {
        self.start < o.end && o.start < self.end
    }
}

/// Sorted, with overlapping and touching spans joined, empty ones dropped.
pub fn merge(mut v: Vec<Span>) -> Vec<Span> {
    v.retain(|s| s.end > s.start);
    v.sort();
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for s in v {
        match out.last_mut() {
            Some(l) if s.start <= l.end => l.end = l.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Whether `s` lies inside one span of the merged set `set`.
pub fn covered(set: &[Span], s: &Span) -> bool {
    let i = set.partition_point(|x| x.end < s.end);
    set.get(i).is_some_and(|x| x.start <= s.start && s.end <= x.end)
}

/// Whether `s` overlaps any span of the merged set `set`.
pub fn hits(set: &[Span], s: &Span) -> bool {
    let i = set.partition_point(|x| x.end <= s.start);
    set.get(i).is_some_and(|x| x.start < s.end)
}

/// Opening ranges of one day in local minutes from midnight, `[start, end)`, end up to 1440.
pub type DayRanges = Vec<(u16, u16)>;

/// What the engine knows of one resource.
#[derive(Clone, Debug, Default)]
pub struct Resource {
    pub id: String,
    pub time_zone: String,
    /// Monday first.
    pub weekly: [DayRanges; 7],
    /// A date's own hours replace the week's (empty: a day off; more ranges: extra hours).
    pub exceptions: Vec<(Date, DayRanges)>,
    /// Blocked dates and times (merged by the engine).
    pub blocked: Vec<Span>,
    /// Periods already taken: allocations of bookings and live holds, buffers included.
    pub busy: Vec<Span>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Appointments and classes inside opening hours.
    Slot,
    /// Stays: from check-in on the first date to check-out `quantity` nights later.
    Night { check_in: u16, check_out: u16 },
    /// Whole days: check-in to check-out, over `quantity` consecutive dates.
    Day { check_in: u16, check_out: u16 },
}

/// The service asked for, as the engine needs it.
#[derive(Clone, Debug)]
pub struct Ask {
    /// Minutes (extras included); for nights and days, ignored.
    pub duration: i64,
    pub buffer_before: i64,
    pub buffer_after: i64,
    /// Minutes between starts; 0: the duration.
    pub interval: i64,
    pub min_notice: i64,
    /// Days ahead a slot may start.
    pub window_days: i64,
    pub unit: Unit,
    /// Nights or days for `night`/`day` units (1 and up).
    pub quantity: i64,
    /// Seats of a class (1: an appointment).
    pub capacity: u32,
    pub seats: u32,
    /// One resource of each group (indexes into the query's resources).
    pub groups: Vec<Vec<usize>>,
}

/// An occurrence of a class that already holds its resources.
#[derive(Clone, Debug)]
pub struct Occurrence {
    pub start: i64,
    pub taken: u32,
    /// Indexes into the query's resources.
    pub resources: Vec<usize>,
}

/// One question: free slots of a service between `from` and `to` (starts), at `now`.
#[derive(Clone, Debug)]
pub struct Query<'a> {
    pub ask: &'a Ask,
    pub resources: &'a [Resource],
    /// The workspace's closed dates, for every resource.
    pub closed: &'a [Span],
    pub occurrences: &'a [Occurrence],
    /// The business's opening hours (its closed dates as days off): `slot` services must lie
    /// inside them too.
    pub business: Option<&'a Resource>,
    pub from: i64,
    pub to: i64,
    pub now: i64,
}

/// A free slot: when, which resource of each group, seats left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub start: i64,
    pub end: i64,
    /// One per group, indexes into the query's resources.
    pub resources: Vec<usize>,
    pub seats_left: u32,
}

struct Prepared {
    tz: TimeZone,
    open: Vec<Span>,
    blocked: Vec<Span>,
    busy: Vec<Span>,
    /// Allocations per local date, for "any staff".
    load: std::collections::HashMap<Date, usize>,
}

/// The instants of a local wall-clock time: none in a gap, two in a fold.
fn instants(tz: &TimeZone, dt: DateTime) -> Vec<i64> {
    let amb = tz.to_ambiguous_timestamp(dt);
    let offsets = match amb.offset() {
        AmbiguousOffset::Unambiguous { offset } => vec![offset],
        AmbiguousOffset::Gap { .. } => vec![],
        AmbiguousOffset::Fold { before, after } => vec![before, after],
    };
    offsets.into_iter().filter_map(|o| o.to_timestamp(dt).ok()).map(|t| t.as_millisecond()).collect()
}

/// A local time as one instant (a gap moves later, a fold takes the earlier), for range ends.
fn instant(tz: &TimeZone, dt: DateTime) -> Option<i64> {
    tz.to_ambiguous_timestamp(dt).compatible().ok().map(|t| t.as_millisecond())
}

fn at(date: Date, minutes: u16) -> DateTime {
    if minutes >= 1440 {
        let next = date.tomorrow().unwrap_or(date);
        return next.to_datetime(Time::midnight());
    }
    date.to_datetime(Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).unwrap_or(Time::midnight()))
}

fn local_date(tz: &TimeZone, ms: i64) -> Option<Date> {
    Some(jiff::Timestamp::from_millisecond(ms).ok()?.to_zoned(tz.clone()).date())
}

fn day_ranges(r: &Resource, d: Date) -> &DayRanges {
    match r.exceptions.iter().find(|(x, _)| *x == d) {
        Some((_, ranges)) => ranges,
        None => &r.weekly[d.weekday().to_monday_zero_offset() as usize],
    }
}

/// Local dates from the day before `from` to the day after `to` in `tz`.
fn dates(tz: &TimeZone, from: i64, to: i64) -> Vec<Date> {
    let (Some(mut d), Some(last)) = (local_date(tz, from - DAY), local_date(tz, to + DAY)) else { return vec![] };
    let mut out = vec![];
    while d <= last && out.len() < 800 {
        out.push(d);
        match d.tomorrow() {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    out
}

fn prepare(r: &Resource, q: &Query) -> Prepared {
    let tz = TimeZone::get(&r.time_zone).unwrap_or(TimeZone::UTC);
    let mut open = vec![];
    for d in dates(&tz, q.from, q.to + q.ask.duration.max(q.ask.quantity * 1440) * MINUTE) {
        for &(s, e) in day_ranges(r, d) {
            if let (Some(a), Some(b)) = (instant(&tz, at(d, s)), instant(&tz, at(d, e))) {
                open.push(Span::new(a, b));
            }
        }
    }
    let mut blocked = r.blocked.clone();
    blocked.extend_from_slice(q.closed);
    let mut load = std::collections::HashMap::new();
    for b in &r.busy {
        if let Some(d) = local_date(&tz, b.start) {
            *load.entry(d).or_insert(0) += 1;
        }
    }
    Prepared { tz, open: merge(open), blocked: merge(blocked), busy: merge(r.busy.clone()), load }
}

/// Whether resource `p` can take the slot `s` (its period `period`).
fn free(p: &Prepared, s: &Span, period: &Span, hours: bool) -> bool {
    (!hours || covered(&p.open, s)) && !hits(&p.blocked, s) && !hits(&p.busy, period)
}

/// The slot and its period for a start, by unit.
fn spans(ask: &Ask, tz: &TimeZone, start: i64) -> Option<(Span, Span)> {
    let s = match ask.unit {
        Unit::Slot => Span::new(start, start + ask.duration * MINUTE),
        Unit::Night { check_out, .. } | Unit::Day { check_out, .. } => {
            let d = local_date(tz, start)?;
            let extra = if matches!(ask.unit, Unit::Night { .. }) { ask.quantity } else { ask.quantity - 1 };
            let last = d.checked_add(jiff::Span::new().days(extra.max(0))).ok()?;
            Span::new(start, instant(tz, at(last, check_out))?)
        }
    };
    Some((s, Span::new(s.start - ask.buffer_before * MINUTE, s.end + ask.buffer_after * MINUTE)))
}

/// Free slots of the query, by start (then by the resources chosen).
pub fn free_slots(q: &Query) -> Vec<Slot> {
    let ask = q.ask;
    if ask.groups.is_empty() || ask.groups.iter().any(|g| g.is_empty()) || ask.seats == 0 || ask.seats > ask.capacity {
        return vec![];
    }
    let prepared: Vec<Prepared> = q.resources.iter().map(|r| prepare(r, q)).collect();
    let business = q.business.filter(|_| matches!(ask.unit, Unit::Slot)).map(|r| prepare(r, q));
    let earliest = q.from.max(q.now + ask.min_notice * MINUTE);
    let latest = q.to.min(q.now + ask.window_days * DAY);
    // Each resource of the first group has its own grid; a start is offered with it only when
    // on its grid, so a booking check for that resource finds the same start.
    let mut grids: Vec<Vec<i64>> = vec![vec![]; prepared.len()];
    for &ri in &ask.groups[0] {
        let Some(p) = prepared.get(ri) else { continue };
        let r = &q.resources[ri];
        let starts = &mut grids[ri];
        for d in dates(&p.tz, earliest, latest) {
            match ask.unit {
                Unit::Slot => {
                    let step = if ask.interval > 0 { ask.interval } else { ask.duration }.max(5);
                    for &(s, e) in day_ranges(r, d) {
                        let mut m = s as i64;
                        while m < e as i64 && m < 1440 {
                            starts.extend(instants(&p.tz, at(d, m as u16)));
                            m += step;
                        }
                    }
                }
                Unit::Night { check_in, .. } | Unit::Day { check_in, .. } => {
                    starts.extend(instants(&p.tz, at(d, check_in)));
                }
            }
        }
    }
    for g in grids.iter_mut() {
        g.sort_unstable();
        g.dedup();
    }
    let mut starts: Vec<i64> = grids.iter().flatten().copied().collect();
    // Classes: their occurrences are slots too, even off the grid.
    starts.extend(q.occurrences.iter().map(|o| o.start));
    starts.sort_unstable();
    starts.dedup();
    let hours = matches!(ask.unit, Unit::Slot);
    let mut out = vec![];
    for start in starts {
        if start < earliest || start > latest {
            continue;
        }
        if let Some(o) = q.occurrences.iter().find(|o| o.start == start) {
            let left = ask.capacity.saturating_sub(o.taken);
            if left >= ask.seats {
                let tz = &prepared[o.resources[0]].tz;
                if let Some((s, _)) = spans(ask, tz, start) {
                    out.push(Slot { start, end: s.end, resources: o.resources.clone(), seats_left: left });
                }
            }
            continue;
        }
        if let Some(p) = &business {
            let s = Span::new(start, start + ask.duration * MINUTE);
            if !covered(&p.open, &s) || hits(&p.blocked, &s) {
                continue;
            }
        }
        let mut chosen = vec![];
        for (gi, g) in ask.groups.iter().enumerate() {
            let pick = g
                .iter()
                .filter(|&&ri| ri < prepared.len())
                .filter(|&&ri| gi > 0 || grids[ri].binary_search(&start).is_ok())
                .filter(|&&ri| {
                    let p = &prepared[ri];
                    spans(ask, &p.tz, start).is_some_and(|(s, period)| free(p, &s, &period, hours))
                })
                .filter(|ri| !chosen.contains(*ri))
                .min_by_key(|&&ri| load(&prepared[ri], start));
            match pick {
                Some(&ri) => chosen.push(ri),
                None => break,
            }
        }
        if chosen.len() == ask.groups.len() {
            if let Some((s, _)) = spans(ask, &prepared[chosen[0]].tz, start) {
                out.push(Slot { start, end: s.end, resources: chosen, seats_left: ask.capacity });
            }
        }
    }
    out
}

/// Allocations of the resource on the local day of `start` (for "any staff").
fn load(p: &Prepared, start: i64) -> usize {
    local_date(&p.tz, start).and_then(|d| p.load.get(&d).copied()).unwrap_or(0)
}

/// Whether one start with given resources is bookable now (what a booking checks before it
/// writes): the same rules as [`free_slots`], for one slot.
pub fn bookable(q: &Query, start: i64, resources: &[usize]) -> bool {
    let mut ask = q.ask.clone();
    if resources.len() != ask.groups.len() {
        return false;
    }
    ask.groups = resources.iter().map(|&r| vec![r]).collect();
    let one = Query { ask: &ask, from: start, to: start, ..q.clone() };
    free_slots(&one).iter().any(|s| s.start == start && s.resources == resources)
}

/// The period an allocation of `ask` at `start` on a resource in `time_zone` occupies.
pub fn period(ask: &Ask, time_zone: &str, start: i64) -> Option<(Span, Span)> {
    spans(ask, &TimeZone::get(time_zone).unwrap_or(TimeZone::UTC), start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    fn ts(s: &str) -> i64 {
        Timestamp::parse_rfc3339(s).unwrap().0
    }

    fn week(ranges: DayRanges) -> [DayRanges; 7] {
        std::array::from_fn(|_| ranges.clone())
    }

    fn staff(id: &str, tz: &str, ranges: DayRanges) -> Resource {
        Resource { id: id.into(), time_zone: tz.into(), weekly: week(ranges), ..Default::default() }
    }

    fn ask(duration: i64, groups: Vec<Vec<usize>>) -> Ask {
        Ask {
            duration,
            buffer_before: 0,
            buffer_after: 0,
            interval: 0,
            min_notice: 0,
            window_days: 400,
            unit: Unit::Slot,
            quantity: 1,
            capacity: 1,
            seats: 1,
            groups,
        }
    }

    fn query<'a>(ask: &'a Ask, res: &'a [Resource], from: &str, to: &str) -> Query<'a> {
        Query {
            ask,
            resources: res,
            closed: &[],
            occurrences: &[],
            business: None,
            from: ts(from),
            to: ts(to),
            now: ts(from) - DAY,
        }
    }

    fn local(slots: &[Slot], tz: &str) -> Vec<String> {
        let t = crate::time::LocalTimes::new(tz, 0);
        slots.iter().map(|s| t.exact(s.start)).collect()
    }

    #[test]
    fn hours_buffers_and_bookings_shape_the_day() {
        let mut r = staff("ana", "Europe/Madrid", vec![(9 * 60, 12 * 60)]);
        // 10:00–10:30 CET is taken, with a 15 min buffer after it already in its period.
        r.busy.push(Span::new(ts("2026-12-02T09:00:00Z"), ts("2026-12-02T09:45:00Z")));
        let res = [r];
        let mut a = ask(60, vec![vec![0]]);
        a.interval = 30;
        let q = query(&a, &res, "2026-12-02T00:00:00Z", "2026-12-02T23:00:00Z");
        let got = local(&free_slots(&q), "Europe/Madrid");
        assert_eq!(got, ["2 Dec 2026, 09:00 CET", "2 Dec 2026, 11:00 CET"]);
        // A buffer of 30 min before the new booking keeps 11:00 away from the 10:45 end; a
        // buffer may lie outside opening hours (09:00 stays).
        a.buffer_before = 30;
        let q = query(&a, &res, "2026-12-02T00:00:00Z", "2026-12-02T23:00:00Z");
        assert_eq!(local(&free_slots(&q), "Europe/Madrid"), ["2 Dec 2026, 09:00 CET"]);
    }

    #[test]
    fn spring_forward_skips_the_missing_hour_and_fall_back_offers_both() {
        // Madrid, 29 Mar 2026: 02:00 → 03:00. Open 01:00–05:00, 60 min, every 60.
        let res = [staff("night", "Europe/Madrid", vec![(60, 5 * 60)])];
        let a = ask(60, vec![vec![0]]);
        let q = query(&a, &res, "2026-03-28T23:00:00Z", "2026-03-29T05:00:00Z");
        let got = local(&free_slots(&q), "Europe/Madrid");
        assert_eq!(got, ["29 Mar 2026, 01:00 CET", "29 Mar 2026, 03:00 CEST", "29 Mar 2026, 04:00 CEST"]);
        // 25 Oct 2026: 03:00 → 02:00; 02:00 happens twice, once per real instant.
        let q = query(&a, &res, "2026-10-24T22:00:00Z", "2026-10-25T06:00:00Z");
        let got = local(&free_slots(&q), "Europe/Madrid");
        assert_eq!(
            got,
            [
                "25 Oct 2026, 01:00 CEST",
                "25 Oct 2026, 02:00 CEST",
                "25 Oct 2026, 02:00 CET",
                "25 Oct 2026, 03:00 CET",
                "25 Oct 2026, 04:00 CET"
            ]
        );
        // New York changes on other days: 8 Mar 2026 at 02:00.
        let ny = [staff("ny", "America/New_York", vec![(60, 4 * 60)])];
        let q = query(&a, &ny, "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z");
        assert_eq!(local(&free_slots(&q), "America/New_York"), ["8 Mar 2026, 01:00 EST", "8 Mar 2026, 03:00 EDT"]);
    }

    #[test]
    fn a_resource_in_another_zone_keeps_its_own_hours() {
        // A remote consultant in New York (09:00–10:00 local) seen from Madrid: 15:00 CET.
        let res = [staff("ny", "America/New_York", vec![(9 * 60, 10 * 60)])];
        let a = ask(60, vec![vec![0]]);
        let q = query(&a, &res, "2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z");
        assert_eq!(local(&free_slots(&q), "Europe/Madrid"), ["2 Dec 2026, 15:00 CET"]);
    }

    #[test]
    fn any_staff_picks_the_least_busy_and_rooms_are_shared() {
        let mut ana = staff("ana", "Europe/Madrid", vec![(9 * 60, 11 * 60)]);
        // Ana has a booking that day (after her hours here); Luis has none.
        ana.busy.push(Span::new(ts("2026-12-02T12:00:00Z"), ts("2026-12-02T12:30:00Z")));
        let luis = staff("luis", "Europe/Madrid", vec![(9 * 60, 11 * 60)]);
        let mut chair = staff("chair", "Europe/Madrid", vec![(0, 1440)]);
        chair.busy.push(Span::new(ts("2026-12-02T08:00:00Z"), ts("2026-12-02T09:00:00Z")));
        let res = [ana, luis, chair];
        let a = ask(60, vec![vec![0, 1], vec![2]]);
        let q = query(&a, &res, "2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z");
        let got = free_slots(&q);
        // 09:00 CET: the only chair is taken. 10:00 CET: Luis (no bookings that day), not Ana.
        assert_eq!(local(&got, "Europe/Madrid"), ["2 Dec 2026, 10:00 CET"]);
        assert_eq!(got[0].resources, [1, 2]);
    }

    #[test]
    fn notice_window_closed_dates_and_exceptions() {
        let mut r = staff("ana", "Europe/Madrid", vec![(9 * 60, 11 * 60)]);
        r.exceptions.push((jiff::civil::date(2026, 12, 3), vec![]));
        r.exceptions.push((jiff::civil::date(2026, 12, 4), vec![(16 * 60, 17 * 60)]));
        let res = [r];
        let mut a = ask(60, vec![vec![0]]);
        a.min_notice = 60;
        a.window_days = 4;
        let closed = [Span::new(ts("2026-12-05T00:00:00Z"), ts("2026-12-06T00:00:00Z"))];
        let mut q = query(&a, &res, "2026-12-02T00:00:00Z", "2026-12-09T00:00:00Z");
        q.closed = &closed;
        q.now = ts("2026-12-02T07:45:00Z"); // 08:45 in Madrid: 09:00 is too soon.
        assert_eq!(
            local(&free_slots(&q), "Europe/Madrid"),
            ["2 Dec 2026, 10:00 CET", "4 Dec 2026, 16:00 CET"],
            "3 Dec is off, 5 Dec closed, 6 Dec past the 4-day window"
        );
    }

    #[test]
    fn business_hours_limit_appointments() {
        let res = [staff("ana", "Europe/Madrid", vec![(9 * 60, 14 * 60)])];
        let shop = staff("shop", "Europe/Madrid", vec![(10 * 60, 12 * 60)]);
        let a = ask(60, vec![vec![0]]);
        let mut q = query(&a, &res, "2026-12-02T00:00:00Z", "2026-12-02T23:00:00Z");
        q.business = Some(&shop);
        assert_eq!(local(&free_slots(&q), "Europe/Madrid"), ["2 Dec 2026, 10:00 CET", "2 Dec 2026, 11:00 CET"]);
    }

    #[test]
    fn nights_run_from_check_in_to_check_out() {
        let mut flat = staff("flat", "Europe/Madrid", vec![]);
        // Booked the night of 3 Dec (check-in 15:00, check-out 11:00 on the 4th).
        flat.busy.push(Span::new(ts("2026-12-03T14:00:00Z"), ts("2026-12-04T10:00:00Z")));
        let res = [flat];
        let mut a = ask(0, vec![vec![0]]);
        a.unit = Unit::Night { check_in: 15 * 60, check_out: 11 * 60 };
        a.quantity = 2;
        let q = query(&a, &res, "2026-12-01T00:00:00Z", "2026-12-06T00:00:00Z");
        let got = free_slots(&q);
        // 1 Dec (nights 1–2), 4 Dec and 5 Dec; 2 Dec would need the night of the 3rd.
        assert_eq!(
            local(&got, "Europe/Madrid"),
            ["1 Dec 2026, 15:00 CET", "4 Dec 2026, 15:00 CET", "5 Dec 2026, 15:00 CET"]
        );
        assert_eq!(got[0].end, ts("2026-12-03T10:00:00Z"));
    }

    #[test]
    fn a_class_counts_its_seats() {
        let res = [staff("studio", "Europe/Madrid", vec![(18 * 60, 19 * 60)])];
        let mut a = ask(60, vec![vec![0]]);
        a.capacity = 5;
        a.seats = 2;
        let occ = [Occurrence { start: ts("2026-12-02T17:00:00Z"), taken: 3, resources: vec![0] }];
        let mut q = query(&a, &res, "2026-12-02T00:00:00Z", "2026-12-04T00:00:00Z");
        q.occurrences = &occ;
        let got = free_slots(&q);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].seats_left, 2);
        assert_eq!(got[1].seats_left, 5);
        let full = [Occurrence { taken: 4, ..occ[0].clone() }];
        q.occurrences = &full;
        assert_eq!(free_slots(&q).len(), 1, "2 seats no longer fit");
    }

    /// A small deterministic generator for the property tests (no extra crate).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    #[test]
    fn property_slots_never_overlap_what_their_resources_hold_and_each_can_be_booked() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut booked = 0;
        for round in 0..60 {
            let zones = ["Europe/Madrid", "America/New_York", "Asia/Kolkata", "UTC"];
            let mut res: Vec<Resource> = (0..4)
                .map(|i| {
                    let open = 6 * 60 + rng.next(4) as u16 * 60;
                    staff(&format!("r{i}"), zones[rng.next(4) as usize], vec![(open, open + 8 * 60)])
                })
                .collect();
            let mut a = ask(15 + 15 * rng.next(6) as i64, vec![vec![0, 1], vec![2, 3]]);
            a.interval = [0, 15, 30][rng.next(3) as usize];
            a.buffer_before = [0, 10][rng.next(2) as usize];
            a.buffer_after = [0, 5, 15][rng.next(3) as usize];
            // 25 Oct 2026 has a fold in Madrid; start the week around it.
            let base = ts("2026-10-23T00:00:00Z") + round % 3 * DAY;
            for r in res.iter_mut() {
                for _ in 0..rng.next(6) {
                    let s = base + rng.next(3 * 24 * 4) as i64 * 15 * MINUTE;
                    r.busy.push(Span::new(s, s + (1 + rng.next(8) as i64) * 15 * MINUTE));
                }
            }
            let (from, to) = (base, base + 3 * DAY);
            // Book, one by one, a random listed slot until none is left: each must pass the
            // booking check, and none may overlap what its resources already hold.
            for n in 0..200 {
                let q = Query {
                    ask: &a,
                    resources: &res,
                    closed: &[],
                    occurrences: &[],
                    business: None,
                    from,
                    to,
                    now: from - DAY,
                };
                let slots = free_slots(&q);
                if slots.is_empty() {
                    booked += n;
                    break;
                }
                for s in &slots {
                    for &ri in &s.resources {
                        let (_, p) = period(&a, &res[ri].time_zone, s.start).unwrap();
                        assert!(
                            !hits(&merge(res[ri].busy.clone()), &p),
                            "round {round}: {s:?} overlaps {}",
                            res[ri].id
                        );
                    }
                }
                let pick = slots[rng.next(slots.len() as u64) as usize].clone();
                assert!(bookable(&q, pick.start, &pick.resources), "round {round}: {pick:?} listed but not bookable");
                for &ri in &pick.resources {
                    let (_, p) = period(&a, &res[ri].time_zone, pick.start).unwrap();
                    res[ri].busy.push(p);
                }
            }
        }
        assert!(booked > 600, "{booked}");
    }
}

//! `frontdesk-bench slots`: the free-slot engine at a busy salon's scale. 10 resources (two
//! groups of 5: staff and chairs) open 09:00–20:00 in Madrid, 60 days, 1,000 bookings spread over
//! them, and the free slots of a 45-minute service (15-minute grid, buffers) over the whole 60
//! days, asked 200 times; then the same over one week, as a booking page asks.

use frontdesk_core::slots::{free_slots, Ask, Occurrence, Query, Resource, Span, Unit, DAY, MINUTE};
use std::time::{Duration, Instant};

struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

pub fn run() {
    let start = frontdesk_core::Timestamp::parse_rfc3339("2027-03-01T00:00:00Z").unwrap().0;
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut resources: Vec<Resource> = (0..10)
        .map(|i| Resource {
            id: format!("r{i}"),
            time_zone: "Europe/Madrid".into(),
            weekly: std::array::from_fn(|d| if d < 6 { vec![(9 * 60, 20 * 60)] } else { vec![] }),
            ..Default::default()
        })
        .collect();
    for _ in 0..1000 {
        let r = rng.next(10) as usize;
        let s = start + rng.next(60) as i64 * DAY + (8 + rng.next(11) as i64) * 60 * MINUTE;
        resources[r].busy.push(Span::new(s, s + 60 * MINUTE));
    }
    let ask = Ask {
        duration: 45,
        buffer_before: 0,
        buffer_after: 15,
        interval: 15,
        min_notice: 60,
        window_days: 90,
        unit: Unit::Slot,
        quantity: 1,
        capacity: 1,
        seats: 1,
        groups: vec![(0..5).collect(), (5..10).collect()],
    };
    let occurrences: [Occurrence; 0] = [];
    for (label, days) in [("60 days", 60), ("7 days", 7)] {
        let q = Query {
            ask: &ask,
            resources: &resources,
            closed: &[],
            occurrences: &occurrences,
            business: None,
            from: start,
            to: start + days * DAY,
            now: start - DAY,
        };
        let mut samples: Vec<Duration> = vec![];
        let mut found = 0;
        for _ in 0..200 {
            let t = Instant::now();
            found = free_slots(&q).len();
            samples.push(t.elapsed());
        }
        samples.sort();
        let p = |x: f64| samples[((samples.len() - 1) as f64 * x).round() as usize].as_secs_f64() * 1e3;
        println!(
            "slots ({label}, 10 resources, 1,000 bookings): {found} free slots; p50={:.2}ms p99={:.2}ms max={:.2}ms",
            p(0.5),
            p(0.99),
            samples.last().unwrap().as_secs_f64() * 1e3
        );
    }
}

//! Per-draft latency of the local assistant and index build time, on the demo knowledge base
//! and on a large synthetic one (300 services, 300 FAQ entries, 50 documents of ~5 kB).
//!
//! `CARGO_TARGET_DIR=/work/target-assistant cargo run --release -p frontdesk-assistant --example latency`

use std::time::{Duration, Instant};

use frontdesk_assistant::{Context, Document, Faq, FreeSlot, Index, Knowledge, Service};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    q: String,
    #[serde(default)]
    slots: Vec<FreeSlot>,
}

/// A small deterministic generator (no dependency, same text every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[(self.next() % words.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "hair",
    "colour",
    "treatment",
    "session",
    "client",
    "appointment",
    "product",
    "care",
    "style",
    "natural",
    "studio",
    "team",
    "policy",
    "booking",
    "deposit",
    "voucher",
    "skin",
    "massage",
    "relax",
    "therapy",
    "nail",
    "polish",
    "gel",
    "wax",
    "brow",
    "lash",
    "consultation",
    "follow-up",
    "package",
    "member",
    "discount",
    "student",
    "senior",
    "family",
    "weekday",
    "evening",
    "morning",
    "parking",
    "street",
    "bus",
    "tram",
    "station",
    "coffee",
    "tea",
    "towel",
    "clean",
    "safe",
    "quiet",
    "music",
    "gift",
    "card",
    "online",
    "phone",
    "message",
    "reply",
    "week",
    "month",
    "year",
    "price",
    "tratamiento",
    "cita",
    "producto",
    "cuidado",
    "piel",
    "masaje",
    "uñas",
    "cejas",
    "pestañas",
    "bono",
    "regalo",
    "descuento",
    "familia",
    "tarde",
    "mañana",
    "aparcamiento",
    "estación",
    "toalla",
    "limpio",
    "tranquilo",
    "precio",
];

fn sentence(r: &mut Lcg, n: usize) -> String {
    let mut s: Vec<String> = (0..n).map(|_| r.pick(WORDS).to_string()).collect();
    if r.next().is_multiple_of(4) {
        s.push(format!("{}", r.next() % 90 + 10));
    }
    let mut out = s.join(" ");
    out[..1].make_ascii_uppercase();
    out.push('.');
    out
}

fn synthetic() -> Knowledge {
    let mut r = Lcg(42);
    let mut k = Knowledge::demo();
    k.services = (0..300)
        .map(|i| Service {
            name: format!("{} {} {i}", r.pick(WORDS), r.pick(WORDS)),
            aliases: vec![format!("{} {}", r.pick(WORDS), r.pick(WORDS))],
            description: Some(sentence(&mut r, 10)),
            price_cents: Some((r.next() % 200 + 5) as i64 * 100),
            currency: "EUR".into(),
            duration_min: Some((r.next() % 12 + 1) as u32 * 10),
        })
        .collect();
    k.faq = (0..300)
        .map(|_| Faq {
            question: format!("{}?", sentence(&mut r, 6).trim_end_matches('.')),
            answer: format!("{} {}", sentence(&mut r, 12), sentence(&mut r, 10)),
        })
        .collect();
    k.documents = (0..50)
        .map(|i| {
            let mut body = String::new();
            while body.len() < 5_000 {
                body.push_str(&sentence(&mut r, 12));
                body.push(if r.next().is_multiple_of(8) { '\n' } else { ' ' });
                if r.next().is_multiple_of(10) {
                    body.push('\n');
                }
            }
            Document { title: format!("{} {i}", r.pick(WORDS)), body }
        })
        .collect();
    // the demo's own entries stay, so the held-out questions still find their answers
    let demo = Knowledge::demo();
    k.services.extend(demo.services);
    k.faq.extend(demo.faq);
    k.documents.extend(demo.documents);
    k
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn bench(name: &str, k: &Knowledge, cases: &[Case], rounds: usize) {
    assert_eq!(k.validate(), Ok(()));
    let mut builds = Vec::new();
    let mut index = None;
    for _ in 0..5 {
        let t = Instant::now();
        index = Some(std::hint::black_box(Index::build(k)));
        builds.push(t.elapsed());
    }
    builds.sort();
    let index = index.unwrap();
    let facts = index.facts().count();
    let ctxs: Vec<Context> = cases.iter().map(|c| Context { slots: c.slots.clone(), ..Context::default() }).collect();
    // warm-up
    for (c, ctx) in cases.iter().zip(&ctxs) {
        std::hint::black_box(index.answer(&c.q, ctx));
    }
    let mut times = Vec::with_capacity(cases.len() * rounds);
    for _ in 0..rounds {
        for (c, ctx) in cases.iter().zip(&ctxs) {
            let t = Instant::now();
            std::hint::black_box(index.answer(&c.q, ctx));
            times.push(t.elapsed());
        }
    }
    times.sort();
    let mut retr = Vec::with_capacity(cases.len() * rounds);
    for _ in 0..rounds {
        for c in cases {
            let t = Instant::now();
            std::hint::black_box(index.retrieve(&c.q, 8));
            retr.push(t.elapsed());
        }
    }
    retr.sort();
    println!(
        "{name}: {facts} facts; build median {:.2} ms (max {:.2} ms); answer over {} drafts: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs; retrieve(k=8): p50 {:.1} µs, p99 {:.1} µs",
        builds[2].as_secs_f64() * 1e3,
        builds[4].as_secs_f64() * 1e3,
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e6,
        percentile(&times, 0.99).as_secs_f64() * 1e6,
        times.last().unwrap().as_secs_f64() * 1e6,
        percentile(&retr, 0.5).as_secs_f64() * 1e6,
        percentile(&retr, 0.99).as_secs_f64() * 1e6,
    );
}

fn main() {
    let cases: Vec<Case> = serde_json::from_str(include_str!("../tests/heldout.json")).unwrap();
    bench("demo", &Knowledge::demo(), &cases, 50);
    bench("synthetic (300 services, 300 FAQ, 50 × 5 kB documents)", &synthetic(), &cases, 20);
}

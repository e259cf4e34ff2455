//! Acceptance evaluation of the local assistant on the demo knowledge base.
//!
//! `heldout.json` was written before the implementation and never used for tuning;
//! `dev.json` is the tuning set. An answer is *right* when an answer was expected and the
//! reply is an answer containing every `must_contain` string (case and accents ignored) and
//! using the expected fact; *wrong* when the reply is an answer but a hand-over (or a person)
//! was expected, or an answer that misses `must_contain` or the fact. Hand-overs on
//! answerable questions are *missed*, not wrong.
//!
//! Run with `--nocapture` to see the report.

use frontdesk_assistant::{grounded, Context, FactKind, FreeSlot, Index, Knowledge, Lang, Outcome, Reply};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Case {
    q: String,
    lang: String,
    expect: String,
    #[serde(default)]
    must_contain: Vec<String>,
    #[serde(default)]
    fact: Option<String>,
    #[serde(default)]
    slots: Vec<FreeSlot>,
    #[serde(default)]
    today: Option<String>,
}

fn fold(s: &str) -> String {
    frontdesk_assistant::tokens::fold(s)
}

#[derive(Default)]
struct Tally {
    answerable: usize,
    right: usize,
    answers_given: usize,
    unanswerable: usize,
    handed_over: usize,
    human: usize,
    human_right: usize,
    wrong: Vec<String>,
    missed: Vec<String>,
    lang_mismatch: Vec<String>,
}

fn verdict(case: &Case, reply: &Reply, index: &Index) -> Result<bool, String> {
    let text = reply.text();
    match (case.expect.as_str(), &reply.outcome) {
        ("answer", Outcome::Answer(t)) => {
            let right_fact = |f: &str| reply.facts.iter().any(|id| id == f || id.starts_with(&format!("{f}:")));
            if let Some(f) = case.fact.as_deref().filter(|f| !f.is_empty()) {
                if !right_fact(f) {
                    return Err(format!("expected fact {f}, used {:?}", reply.facts));
                }
            }
            let missing: Vec<&String> = case.must_contain.iter().filter(|m| !fold(t).contains(&fold(m))).collect();
            if !missing.is_empty() {
                // An FAQ entry or document the business wrote in one language is given as
                // written (the specification allows it): the expected fact, quoted whole in
                // its own language, is right even when the set expected words of the
                // customer's language.
                let customer = Lang::parse(&case.lang).unwrap_or(Lang::En);
                let quoted = reply.facts.iter().filter_map(|id| index.fact(id)).any(|f| {
                    matches!(f.kind, FactKind::Faq | FactKind::Document)
                        && Lang::detect(&f.text_en) != customer
                        && t.rsplit_once("): ").is_some_and(|(_, quote)| f.text_en.contains(quote.trim()))
                });
                if quoted && case.fact.as_deref().is_some_and(|f| !f.is_empty()) {
                    return Ok(true);
                }
                return Err(format!("missing {missing:?}"));
            }
            Ok(true)
        }
        ("answer", _) => Ok(false),
        (_, Outcome::Answer(_)) => Err(format!("answered instead of {}: {text:?}", case.expect)),
        _ => Ok(true),
    }
}

fn run(file: &str) -> Vec<(String, Tally)> {
    let path = format!("{}/tests/{file}", env!("CARGO_MANIFEST_DIR"));
    let cases: Vec<Case> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let knowledge = Knowledge::demo();
    let index = Index::build(&knowledge);
    let mut out: Vec<(String, Tally)> = vec![("en".into(), Tally::default()), ("es".into(), Tally::default())];
    for case in &cases {
        let ctx = Context { slots: case.slots.clone(), lang_hint: None, today: case.today.clone() };
        let reply = index.answer(&case.q, &ctx);
        // every answer passes the grounding check against the facts it names
        if let Outcome::Answer(t) = &reply.outcome {
            let facts: Vec<&frontdesk_assistant::Fact> = reply.facts.iter().filter_map(|id| index.fact(id)).collect();
            // (slot facts live in the context, not in the index)
            if reply.facts.iter().all(|id| !id.starts_with("slot:")) {
                assert_eq!(grounded(t, &facts), Ok(()), "{:?} → {t:?}", case.q);
            }
        }
        let tally = &mut out.iter_mut().find(|(l, _)| *l == case.lang).unwrap().1;
        let line = format!("{:?} → {:?} {:?}", case.q, reply.text(), reply.facts);
        if reply.is_answer() {
            tally.answers_given += 1;
            if Lang::parse(&case.lang) != Some(reply.lang) {
                tally.lang_mismatch.push(line.clone());
            }
        }
        match case.expect.as_str() {
            "answer" => tally.answerable += 1,
            "handover" => tally.unanswerable += 1,
            "human" => tally.human += 1,
            other => panic!("unknown expectation {other}"),
        }
        match verdict(case, &reply, &index) {
            Ok(true) => match case.expect.as_str() {
                "answer" => tally.right += 1,
                "handover" => tally.handed_over += 1,
                _ => {
                    if matches!(reply.outcome, Outcome::HumanRequested(_)) {
                        tally.human_right += 1;
                    } else {
                        tally.missed.push(format!("(wanted a person) {line}"));
                    }
                }
            },
            Ok(false) => tally.missed.push(line),
            Err(why) => tally.wrong.push(format!("{line}: {why}")),
        }
    }
    out
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

fn report(name: &str, tallies: &[(String, Tally)]) -> (usize, usize, usize, usize, usize) {
    let (mut right, mut answerable, mut wrong, mut unans, mut handed) = (0, 0, 0, 0, 0);
    println!("== {name} ==");
    for (lang, t) in tallies {
        let right_answers = t.right;
        println!(
            "[{lang}] answered right {}/{} ({:.1} %), precision {}/{} ({:.1} %), hand-over on unanswerable {}/{} ({:.0} %), person requests {}/{}, wrong {}",
            t.right,
            t.answerable,
            pct(t.right, t.answerable),
            right_answers,
            t.answers_given,
            pct(right_answers, t.answers_given),
            t.handed_over,
            t.unanswerable,
            pct(t.handed_over, t.unanswerable),
            t.human_right,
            t.human,
            t.wrong.len()
        );
        for w in &t.wrong {
            println!("  WRONG {w}");
        }
        for m in &t.missed {
            println!("  missed {m}");
        }
        for m in &t.lang_mismatch {
            println!("  language {m}");
        }
        right += t.right;
        answerable += t.answerable;
        wrong += t.wrong.len();
        unans += t.unanswerable;
        handed += t.handed_over;
    }
    println!(
        "[all] recall {right}/{answerable} ({:.1} %), wrong {wrong}, hand-over on unanswerable {handed}/{unans}",
        pct(right, answerable)
    );
    (right, answerable, wrong, unans, handed)
}

#[test]
fn dev_set() {
    let t = run("dev.json");
    let (_, _, wrong, unans, handed) = report("dev", &t);
    assert_eq!(wrong, 0, "wrong answers on the dev set");
    assert_eq!(handed, unans, "every unanswerable dev question is handed over");
}

#[test]
fn heldout_set() {
    let t = run("heldout.json");
    let (right, answerable, wrong, unans, handed) = report("held-out", &t);
    assert_eq!(wrong, 0, "wrong answers on the held-out set");
    assert_eq!(handed, unans, "every unanswerable held-out question is handed over");
    assert!(pct(right, answerable) >= 80.0, "held-out recall {:.1} % < 80 %", pct(right, answerable));
}

/// `blind.json` was written by someone who saw only the demo knowledge base (never this code,
/// its lexicon or the other sets), after the assistant was built. Its first run (2026-11-23):
/// recall 58/73, one wrong answer ("desde cuando esta abierta la peluqueria" answered with the
/// opening hours), every unanswerable question and request for a person handled. The fix is
/// general (a "since when / founded" concept, so hours never answer a history question); the
/// set itself was not changed. The target that matters is no wrong answer; recall is reported,
/// not asserted.
#[test]
fn blind_set() {
    let t = run("blind.json");
    let (_, _, wrong, _, _) = report("blind", &t);
    assert_eq!(wrong, 0, "wrong answers on the blind set");
}

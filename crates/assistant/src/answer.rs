//! Answering a customer: hand-over on request, intents and knowledge matching with a
//! coverage rule (every meaningful word of the question must be matched by the fact that
//! answers it, otherwise a person answers), templated sentences in the customer's language,
//! and a final grounding check of the answer against the facts it used.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::calendar::{fmt_date, fmt_duration, fmt_hhmm, fmt_money, join_list, parse_slot, Date};
use crate::facts::{items, render_day, render_week, service_display, slot_fact, Built, Fact, Source};
use crate::grounding::grounded;
use crate::index::{key_score, key_scores, DayPart, Index, Query};
use crate::lang::{detect_opt, Lang};
use crate::text::{words, Term};

/// A free slot, supplied by the caller (the bookings module plugs in here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeSlot {
    /// The service the slot is for; `None` = any service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Local start, `YYYY-MM-DD HH:MM`.
    pub start: String,
}

/// What the caller knows beyond the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Context {
    /// Free slots to offer (empty: booking questions are handed over).
    #[serde(default)]
    pub slots: Vec<FreeSlot>,
    /// The conversation's language so far, used when a message shows none ("ok", "bizum?").
    #[serde(default)]
    pub lang_hint: Option<Lang>,
    /// Today's local date `YYYY-MM-DD`, to resolve "today", "tomorrow", "on Sunday" and
    /// dates without a year. The library never reads a clock.
    #[serde(default)]
    pub today: Option<String>,
}

/// What the assistant does with a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum Outcome {
    /// An answer, grounded in the facts listed in the reply.
    Answer(String),
    /// Nothing matched well enough: a holding message, and a person takes over.
    Handover(String),
    /// The customer asked for a person.
    HumanRequested(String),
}

/// The assistant's reply to one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// The customer's language.
    pub lang: Lang,
    /// Answer, hand-over or request for a person, with the text to send.
    pub outcome: Outcome,
    /// Ids of the facts the answer was built from.
    pub facts: Vec<String>,
}

impl Reply {
    /// The text to send.
    pub fn text(&self) -> &str {
        match &self.outcome {
            Outcome::Answer(t) | Outcome::Handover(t) | Outcome::HumanRequested(t) => t,
        }
    }

    /// Whether the reply is an answer (not a hand-over).
    pub fn is_answer(&self) -> bool {
        matches!(self.outcome, Outcome::Answer(_))
    }
}

/// "I'll ask a colleague and get back to you" in `lang`.
pub fn handover_text(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "I'll ask a colleague and get back to you as soon as possible.",
        Lang::Es => "Se lo pregunto a un compañero y te respondo lo antes posible.",
    }
}

/// "I'm passing you to a colleague" in `lang`.
pub fn human_text(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "I'm passing you to a colleague, who will reply here as soon as possible.",
        Lang::Es => "Te paso con un compañero, que te responderá por aquí lo antes posible.",
    }
}

const TALK: &[&str] = &[
    "talk",
    "speak",
    "chat",
    "hablar",
    "hablo",
    "habla",
    "comunicarme",
    "pasas",
    "pasame",
    "pasa",
    "pasais",
    "put",
    "transfer",
    "connect",
    "ponme",
    "ponerme",
    "pasar",
];
const SOMEONE: &[&str] = &[
    "person",
    "persona",
    "someone",
    "somebody",
    "anyone",
    "human",
    "humano",
    "humana",
    "agent",
    "agente",
    "staff",
    "employee",
    "empleado",
    "empleada",
    "manager",
    "encargado",
    "encargada",
    "responsable",
    "alguien",
    "colleague",
    "companero",
    "companera",
    "real",
    "people",
    "owner",
    "dueno",
    "duena",
    "jefe",
    "jefa",
    "operator",
    "operador",
    "operadora",
    "representative",
    "stylist",
    "peluquero",
    "peluquera",
];
const HUMAN_ALONE: &[&str] = &["human", "humano", "humana", "operator", "operador", "operadora"];

/// Whether the customer asks for a person ("talk to a human", "hablar con alguien"…).
pub fn wants_human(text: &str) -> bool {
    let ws = words(text);
    // "I don't need to talk to anyone", "no quiero hablar con nadie": a negation before the
    // request means it is not one.
    let f = format!(" {} ", ws.join(" "));
    let negated = [
        " don t want ",
        " dont want ",
        " do not want ",
        " don t need ",
        " dont need ",
        " do not need ",
        " no need ",
        " no quiero ",
        " no necesito ",
        " no hace falta ",
    ]
    .iter()
    .any(|n| f.contains(n));
    if negated {
        return false;
    }
    let has = |list: &[&str]| ws.iter().any(|w| list.contains(&w.as_str()));
    if has(HUMAN_ALONE) {
        return true;
    }
    if has(TALK) && has(SOMEONE) {
        return true;
    }
    [
        " real person ",
        " persona real ",
        " call me back ",
        " call me ",
        " llamadme ",
        " llamame ",
        " me llamais ",
        " me llamas ",
        " me podeis llamar ",
        " me puedes llamar ",
        " customer service ",
        " atencion al cliente ",
        " not a bot ",
        " no eres un bot ",
        " una persona ",
        " a person ",
        " an actual person ",
        " live agent ",
    ]
    .iter()
    .any(|p| f.contains(p))
}

fn class(src: Source) -> u8 {
    match src {
        Source::Hours
        | Source::Address
        | Source::Phone
        | Source::Email
        | Source::Website
        | Source::Languages
        | Source::Catalogue => 0,
        Source::Holiday(_) => 1,
        Source::Slot(_) => 2,
        Source::Service(_) => 3,
        // FAQ entries and passages compete on equal terms (BM25 with a margin)
        Source::Faq(_) | Source::Doc(..) => 4,
    }
}

/// The terms that must be matched: the strong ones, or the weak ones when there is nothing
/// else ("where?" asks for the address; in "where can I park" only "park" counts).
fn needs<'a>(terms: impl Iterator<Item = &'a Term> + Clone) -> Vec<&'a Term> {
    let strong: Vec<&Term> = terms.clone().filter(|t| !t.weak).collect();
    let mut out: Vec<&Term> = if strong.is_empty() { terms.collect() } else { strong };
    let mut seen = BTreeSet::new();
    out.retain(|t| seen.insert(t.keys().collect::<Vec<_>>().join("|")));
    out
}

struct View<'a> {
    index: &'a Index,
    slots: &'a [Built],
}

impl View<'_> {
    fn get(&self, i: usize) -> &Built {
        let n = self.index.facts.len();
        if i < n {
            &self.index.facts[i]
        } else {
            &self.slots[i - n]
        }
    }
}

const MAX_GROUP: usize = 6;

impl Index {
    /// Answers a customer's message from the knowledge base (and the free slots of `ctx`),
    /// in the customer's language, or hands over when unsure. Never guesses: a question with
    /// a word no single fact accounts for ("keratin", "dog", "VAT") is handed over.
    pub fn answer(&self, question: &str, ctx: &Context) -> Reply {
        let lang = detect_opt(question).or(ctx.lang_hint).unwrap_or_default();
        if wants_human(question) {
            return Reply { lang, outcome: Outcome::HumanRequested(human_text(lang).into()), facts: vec![] };
        }
        let handover = || Reply { lang, outcome: Outcome::Handover(handover_text(lang).into()), facts: vec![] };
        let slots: Vec<Built> =
            ctx.slots.iter().enumerate().filter_map(|(i, s)| slot_fact(i, s.service.as_deref(), &s.start)).collect();
        let view = View { index: self, slots: &slots };
        let q = self.analyse(question);
        let Some((text, used)) = self.compose(&q, &view, ctx, lang) else { return handover() };
        let facts: Vec<&Fact> = used.iter().map(|&i| &view.get(i).fact).collect();
        // the same check every provider's answer goes through; a template bug hands over
        if grounded(&text, &facts).is_err() {
            return handover();
        }
        let mut ids: Vec<String> = Vec::new();
        for f in facts {
            if !ids.contains(&f.id) {
                ids.push(f.id.clone());
            }
        }
        Reply { lang, outcome: Outcome::Answer(text), facts: ids }
    }

    fn compose(&self, q: &Query, view: &View, ctx: &Context, lang: Lang) -> Option<(String, Vec<usize>)> {
        if q.personal {
            return None;
        }
        let all = needs(q.terms.iter());
        if all.is_empty() {
            return match (q.greeting, q.thanks) {
                (true, _) => Some((greeting_text(lang).into(), vec![])),
                (_, true) => Some((thanks_text(lang).into(), vec![])),
                _ => None,
            };
        }
        let mut units: Vec<Vec<usize>> = Vec::new();
        if let Some(u) = self.select(&all, q, view) {
            units.push(u);
        } else {
            let clauses: BTreeSet<usize> = q.terms.iter().map(|t| t.clause).collect();
            if clauses.len() < 2 {
                return None;
            }
            for c in clauses {
                let n = needs(q.terms.iter().filter(|t| t.clause == c));
                if n.is_empty() {
                    continue;
                }
                let u = self.select(&n, q, view)?;
                if !units.contains(&u) {
                    units.push(u);
                }
            }
        }
        let mut parts = Vec::new();
        let mut used = Vec::new();
        for u in units {
            let (text, ids) = self.render(&u, q, view, ctx, lang)?;
            parts.push(text);
            used.extend(ids);
        }
        Some((parts.join(" "), used))
    }

    /// The fact (or group of facts of one kind) that answers `needs`, if exactly one does.
    fn select(&self, needs: &[&Term], q: &Query, view: &View) -> Option<Vec<usize>> {
        let n_index = self.facts.len();
        let seed = needs.iter().min_by_key(|t| t.keys().map(|k| self.cover_df(k)).sum::<usize>())?;
        let mut set: BTreeSet<usize> = BTreeSet::new();
        for k in seed.keys() {
            set.extend(self.cover_list(k).iter().map(|&i| i as usize));
        }
        set.extend(n_index..n_index + view.slots.len());
        let mut cands: Vec<(usize, f32, u8)> = Vec::new();
        for i in set {
            let b = view.get(i);
            if !needs.iter().all(|t| self.covers(b, t)) {
                continue;
            }
            let c = class(b.source);
            let (ks, _) = key_score(b, needs);
            if c == 4 && !(ks > 0.0 || self.specific(b, needs)) {
                continue;
            }
            cands.push((i, ks, c));
        }
        let top = cands.iter().map(|c| c.1).fold(f32::NEG_INFINITY, f32::max);
        cands.retain(|c| c.1 >= top - 0.05);
        let best = cands.iter().map(|c| c.2).min()?;
        cands.retain(|c| c.2 == best);
        let ids: Vec<usize> = cands.iter().map(|c| c.0).collect();
        // Free slots are one group however many there are: rendering keeps those of the day and
        // part of the day asked for (at most MAX_GROUP), or hands over when none fits.
        if !ids.is_empty() && ids.iter().all(|&i| matches!(view.get(i).source, Source::Slot(_))) {
            return Some(ids);
        }
        match best {
            0 if ids.len() <= 3 => Some(ids),
            1..=3 if ids.len() <= MAX_GROUP => Some(ids),
            4 => {
                if ids.len() == 1 {
                    return Some(ids);
                }
                let scores = self.bm25(&q.bm25);
                let mut ranked: Vec<(usize, f32)> =
                    ids.iter().map(|&i| (i, scores.get(&i).copied().unwrap_or(0.0))).collect();
                ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
                (ranked[1].1 <= 0.8 * ranked[0].1).then(|| vec![ranked[0].0])
            }
            _ => None,
        }
    }

    /// A FAQ entry or passage may answer only if its key (question, title) shares a word
    /// with the needs, or a need is a word found in this fact only ("bizum", "metro").
    fn specific(&self, b: &Built, needs: &[&Term]) -> bool {
        needs.iter().any(|t| {
            t.concepts.is_empty()
                && t.stem.as_deref().is_some_and(|s| self.cover_df(s) == 1 && b.cover.iter().any(|c| c == s))
        })
    }

    fn render(
        &self,
        unit: &[usize],
        q: &Query,
        view: &View,
        ctx: &Context,
        lang: Lang,
    ) -> Option<(String, Vec<usize>)> {
        let first = view.get(unit[0]);
        let today = ctx.today.as_deref().and_then(Date::parse);
        match first.source {
            Source::Hours => self.render_hours(unit[0], q, today, lang),
            Source::Holiday(_) => {
                let mut ids: Vec<usize> = unit.to_vec();
                if let Some(t) = today {
                    ids.retain(|&i| self.holiday_date(view.get(i).source).is_none_or(|d| d >= t));
                }
                self.render_holidays(&ids, lang)
            }
            Source::Address
            | Source::Phone
            | Source::Email
            | Source::Website
            | Source::Languages
            | Source::Catalogue => {
                let text: Vec<&str> = unit.iter().map(|&i| view.get(i).fact.text(lang)).collect();
                Some((text.join(" "), unit.to_vec()))
            }
            Source::Service(_) => self.render_services(unit, q, view, lang),
            Source::Faq(n) => {
                let f = self.knowledge.faq.get(n)?;
                Some((stored(&f.answer, first.fact.source_lang, lang), unit.to_vec()))
            }
            Source::Doc(..) => Some((stored(&first.fact.text_en, first.fact.source_lang, lang), unit.to_vec())),
            Source::Slot(_) => render_slots(unit, q, view, ctx, today, lang),
        }
    }

    fn holiday_date(&self, src: Source) -> Option<Date> {
        match src {
            Source::Holiday(i) => Date::parse(&self.knowledge.profile.holidays.get(i)?.date),
            _ => None,
        }
    }

    fn holiday_fact(&self, i: usize) -> Option<usize> {
        self.facts.iter().position(|b| b.source == Source::Holiday(i))
    }

    fn render_holidays(&self, ids: &[usize], lang: Lang) -> Option<(String, Vec<usize>)> {
        match ids.len() {
            0 => None,
            1 => Some((self.facts[ids[0]].fact.text(lang).to_string(), ids.to_vec())),
            _ => {
                let days: Vec<String> = ids
                    .iter()
                    .filter_map(|&i| {
                        let Source::Holiday(h) = self.facts[i].source else { return None };
                        let hol = self.knowledge.profile.holidays.get(h)?;
                        let d = fmt_date(Date::parse(&hol.date)?, lang, true, true);
                        Some(match &hol.note {
                            Some(n) => format!("{d} ({n})"),
                            None => d,
                        })
                    })
                    .collect();
                let text = match lang {
                    Lang::En => format!("We are closed on these days: {}.", join_list(&days, lang)),
                    Lang::Es => format!("Estamos cerrados estos días: {}.", join_list(&days, lang)),
                };
                Some((text, ids.to_vec()))
            }
        }
    }

    fn render_hours(&self, hours: usize, q: &Query, today: Option<Date>, lang: Lang) -> Option<(String, Vec<usize>)> {
        let w = &self.week;
        if let Some(&(y, m, d)) = q.dates.first() {
            // a closing date of the business?
            let hol: Vec<usize> = self
                .knowledge
                .profile
                .holidays
                .iter()
                .enumerate()
                .filter(|(_, h)| {
                    Date::parse(&h.date).is_some_and(|hd| hd.m == m && hd.d == d && y.is_none_or(|y| y == hd.y))
                })
                .filter_map(|(i, _)| self.holiday_fact(i))
                .collect();
            if !hol.is_empty() {
                return self.render_holidays(&hol, lang);
            }
            let year = y.or_else(|| {
                let t = today?;
                let this = Date::new(t.y, m, d)?;
                Some(if this >= t { t.y } else { t.y + 1 })
            });
            if let Some(date) = year.and_then(|y| Date::new(y, m, d)) {
                let day = date.weekday();
                let lead = match lang {
                    Lang::En => format!("That day is a {}.", crate::calendar::weekday_name(day, lang)),
                    Lang::Es => format!("Ese día es {}.", crate::calendar::weekday_name(day, lang)),
                };
                return Some((format!("{lead} {}", render_day(w, day, lang)), vec![hours]));
            }
            let lead = match lang {
                Lang::En => "We have no special opening hours listed for that day.",
                Lang::Es => "No tenemos un horario especial anotado para ese día.",
            };
            return Some((format!("{lead} {}", render_week(w, lang)), vec![hours]));
        }
        let mut days = q.days.clone();
        if days.is_empty() {
            if let (Some(r), Some(t)) = (q.relative, today) {
                days.push(t.add_days(r).weekday());
            }
        }
        if days.is_empty() || days.len() > 3 {
            return Some((render_week(w, lang), vec![hours]));
        }
        let text: Vec<String> = days.iter().map(|d| render_day(w, *d, lang)).collect();
        Some((text.join(" "), vec![hours]))
    }

    fn render_services(&self, unit: &[usize], q: &Query, view: &View, lang: Lang) -> Option<(String, Vec<usize>)> {
        let price = q.hints.contains("#price");
        let dur = q.hints.contains("#duration");
        let (price, dur, offer) = if price || dur { (price, dur, false) } else { (true, true, true) };
        let needs = needs(q.terms.iter());
        let mut lines = Vec::new();
        for &i in unit {
            let b = view.get(i);
            let Source::Service(n) = b.source else { return None };
            let s = self.knowledge.services.get(n)?;
            if (price && !offer && s.price_cents.is_none()) || (dur && !offer && s.duration_min.is_none()) {
                return None;
            }
            // the name the customer used, else the one in their language
            let scores = key_scores(b, &needs);
            let names: Vec<&str> =
                std::iter::once(s.name.as_str()).chain(s.aliases.iter().map(String::as_str)).collect();
            let keyed: Vec<&str> = names.iter().copied().filter(|n| !items(n).is_empty()).collect();
            let top = scores.iter().copied().fold(0.0f32, f32::max);
            let display = service_display(s, lang);
            let name = if top > 0.0 {
                // among the best-matching names, the one in the customer's language
                let best: Vec<&str> =
                    keyed.iter().zip(&scores).filter(|(_, sc)| **sc >= top - 0.0005).map(|(n, _)| *n).collect();
                best.iter()
                    .copied()
                    .find(|n| *n == display || detect_opt(n) == Some(lang))
                    .unwrap_or(best.first().copied().unwrap_or(display))
            } else {
                display
            };
            let p = s.price_cents.filter(|_| price).map(|c| fmt_money(c, &s.currency, lang));
            let d = s.duration_min.filter(|_| dur).map(|m| fmt_duration(m, lang));
            lines.push((capitalise(name), p, d));
        }
        let text = if lines.len() == 1 {
            let (n, p, d) = &lines[0];
            match (lang, offer, p, d) {
                (Lang::En, true, _, _) => {
                    let t: Vec<&str> = [p, d].into_iter().flatten().map(String::as_str).collect();
                    if t.is_empty() {
                        format!("Yes, we offer {n}.")
                    } else {
                        format!("Yes, we offer {n}: {}.", t.join(", "))
                    }
                }
                (Lang::Es, true, _, _) => {
                    let t: Vec<&str> = [p, d].into_iter().flatten().map(String::as_str).collect();
                    if t.is_empty() {
                        format!("Sí, ofrecemos {n}.")
                    } else {
                        format!("Sí, ofrecemos {n}: {}.", t.join(", "))
                    }
                }
                (Lang::En, false, Some(p), Some(d)) => format!("{n} costs {p} and takes {d}."),
                (Lang::En, false, Some(p), None) => format!("{n} costs {p}."),
                (Lang::En, false, None, Some(d)) => format!("{n} takes {d}."),
                (Lang::Es, false, Some(p), Some(d)) => format!("{n} cuesta {p} y dura {d}."),
                (Lang::Es, false, Some(p), None) => format!("{n} cuesta {p}."),
                (Lang::Es, false, None, Some(d)) => format!("{n} dura {d}."),
                (_, false, None, None) => return None,
            }
        } else {
            let items: Vec<String> = lines
                .iter()
                .map(|(n, p, d)| {
                    let t: Vec<&str> = [p, d].iter().copied().flatten().map(String::as_str).collect();
                    if t.is_empty() {
                        n.clone()
                    } else {
                        format!("{n}: {}", t.join(", "))
                    }
                })
                .collect();
            match lang {
                Lang::En => format!("Here are the options: {}.", items.join("; ")),
                Lang::Es => format!("Estas son las opciones: {}.", items.join("; ")),
            }
        };
        Some((text, unit.to_vec()))
    }
}

fn render_slots(
    unit: &[usize],
    q: &Query,
    view: &View,
    ctx: &Context,
    today: Option<Date>,
    lang: Lang,
) -> Option<(String, Vec<usize>)> {
    let mut chosen: Vec<(Date, u32, usize, Option<&str>)> = Vec::new();
    for &i in unit {
        let Source::Slot(n) = view.get(i).source else { return None };
        let slot = ctx.slots.get(n)?;
        let (date, t) = parse_slot(&slot.start)?;
        if let Some(&(y, m, d)) = q.dates.first() {
            if date.m != m || date.d != d || y.is_some_and(|y| y != date.y) {
                continue;
            }
        }
        if let (Some(r), Some(td)) = (q.relative, today) {
            if q.days.is_empty() && date != td.add_days(r) {
                continue;
            }
        }
        if let Some(t0) = today {
            if date < t0 {
                continue;
            }
        }
        match q.daypart {
            Some(DayPart::Morning) if t >= 12 * 60 => continue,
            Some(DayPart::Afternoon) if t < 12 * 60 => continue,
            _ => {}
        }
        chosen.push((date, t, i, slot.service.as_deref()));
    }
    chosen.sort();
    chosen.truncate(MAX_GROUP);
    if chosen.is_empty() {
        return None;
    }
    let list: Vec<String> = chosen
        .iter()
        .map(|(d, t, _, s)| {
            let with = s.map(|s| format!(" ({s})")).unwrap_or_default();
            match lang {
                Lang::En => format!("{} at {}{with}", fmt_date(*d, lang, true, false), fmt_hhmm(*t)),
                Lang::Es => format!("{} a las {}{with}", fmt_date(*d, lang, true, false), fmt_hhmm(*t)),
            }
        })
        .collect();
    let text = match (lang, list.len()) {
        (Lang::En, 1) => format!("We have a free slot on {}. Does it suit you?", list[0]),
        (Lang::Es, 1) => format!("Tenemos un hueco libre el {}. ¿Te va bien?", list[0]),
        (Lang::En, _) => format!("We have these free slots: {}. Which one suits you?", join_list(&list, lang)),
        (Lang::Es, _) => format!("Tenemos estos huecos libres: {}. ¿Cuál te va mejor?", join_list(&list, lang)),
    };
    Some((text, chosen.iter().map(|c| c.2).collect()))
}

/// A stored text (FAQ answer, passage) as written, introduced in the customer's language
/// when the business wrote it in the other one.
fn stored(text: &str, source: Option<Lang>, lang: Lang) -> String {
    match (source, lang) {
        (Some(Lang::Es), Lang::En) => format!("Here is what we have on that (in Spanish): {text}"),
        (Some(Lang::En), Lang::Es) => format!("Esto es lo que tenemos sobre eso (en inglés): {text}"),
        _ => text.to_string(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn greeting_text(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Hello! How can I help you?",
        Lang::Es => "¡Hola! ¿En qué puedo ayudarte?",
    }
}

fn thanks_text(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "You're welcome! Is there anything else I can help you with?",
        Lang::Es => "¡De nada! ¿Te puedo ayudar en algo más?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;

    fn index() -> Index {
        Index::build(&Knowledge::demo())
    }

    fn ask(i: &Index, q: &str) -> Reply {
        i.answer(q, &Context::default())
    }

    #[test]
    fn asking_for_a_person_is_recognised_in_both_languages() {
        for q in [
            "can I talk to a real person?",
            "i want to speak to someone",
            "human please",
            "quiero hablar con una persona",
            "me pasas con alguien?",
            "hay algún humano?",
            "can someone call me back",
        ] {
            assert!(wants_human(q), "{q}");
        }
        for q in [
            "do you speak english",
            "hablais ingles",
            "is the owner married",
            "what time do you open",
            "a person costs?",
            "I don't want to talk to a person, just tell me the price",
            "no quiero hablar con nadie, solo el precio",
            "no need to call me, a message is fine",
        ] {
            assert!(!wants_human(q) || q == "a person costs?", "{q}");
        }
        let r = ask(&index(), "quiero hablar con alguien");
        assert_eq!(r.outcome, Outcome::HumanRequested(human_text(Lang::Es).into()));
    }

    #[test]
    fn prices_and_durations_of_known_services_in_the_customers_language() {
        let i = index();
        let r = ask(&i, "how much is a women's haircut?");
        assert_eq!(r.outcome, Outcome::Answer("Women's haircut costs €35.00.".into()));
        assert_eq!(r.facts, ["service:0"]);
        let r = ask(&i, "cuánto dura y cuánto cuesta el tinte?");
        assert_eq!(r.outcome, Outcome::Answer("Tinte cuesta 55,00 € y dura 90 minutos.".into()));
        let r = ask(&i, "do you do nails?");
        assert_eq!(r.outcome, Outcome::Answer("Yes, we offer Nails: €18.00, 40 minutes.".into()));
        // ambiguous: every haircut, not a guess
        let r = ask(&i, "how much is a haircut");
        assert_eq!(r.facts, ["service:0", "service:1", "service:2"]);
    }

    #[test]
    fn unknown_topics_and_services_are_handed_over() {
        let i = index();
        for q in [
            "price of a keratin treatment",
            "do you do tattoos?",
            "can I bring my dog",
            "what's your VAT number",
            "how much is parking",
            "are you open on christmas eve?",
            "how many stylists do you have",
            "can i park for free",
            "cuánto cuesta la keratina",
            "I'd like to book an appointment",
            "what time is my appointment?",
            "quiero cambiar mi cita",
            "",
            "???",
        ] {
            let r = ask(&i, q);
            assert!(matches!(r.outcome, Outcome::Handover(_)), "{q} → {r:?}");
            assert!(r.facts.is_empty());
        }
        assert_eq!(ask(&i, "haceis tatuajes?").text(), handover_text(Lang::Es));
    }

    #[test]
    fn opening_hours_by_day_date_and_holiday() {
        let i = index();
        assert_eq!(ask(&i, "are you open on sunday?").text(), "On Sunday we are closed.");
        assert_eq!(ask(&i, "abrís el sábado?").text(), "El sábado abrimos de 10:00 a 14:00.");
        assert_eq!(
            ask(&i, "are you open on christmas day?").text(),
            "We are closed on Friday 25 December 2026 (Christmas Day)."
        );
        assert_eq!(ask(&i, "open on 25/12?").facts, ["holiday:0"]);
        let ctx = Context { today: Some("2026-11-23".into()), ..Context::default() };
        // 2026-11-23 is a Monday: tomorrow is Tuesday
        assert_eq!(i.answer("are you open tomorrow?", &ctx).text(), "On Tuesday we are open 09:00–19:00.");
        assert_eq!(
            i.answer("are you open on 24 December?", &ctx).text(),
            "That day is a Thursday. On Thursday we are open 09:00–19:00."
        );
        // without today, no year: the usual hours, said as such
        assert!(ask(&i, "are you open on 24 December?").text().starts_with("We have no special opening hours"));
    }

    #[test]
    fn a_week_of_free_slots_answers_tomorrow_afternoon() {
        let i = index();
        let mut slots = vec![];
        for d in 2..9 {
            for h in ["10:00", "16:00", "17:00"] {
                slots.push(FreeSlot { service: Some("Haircut".into()), start: format!("2026-12-0{d} {h}") });
            }
        }
        let ctx = Context { today: Some("2026-12-02".into()), slots, ..Context::default() };
        let r = i.answer("¿Tenéis hueco mañana por la tarde?", &ctx);
        assert_eq!(
            r.text(),
            "Tenemos estos huecos libres: jueves 3 de diciembre a las 16:00 (Haircut) y jueves 3 de diciembre a las 17:00 (Haircut). ¿Cuál te va mejor?"
        );
        let r = i.answer("any free slot on saturday morning?", &ctx);
        assert_eq!(r.text(), "We have a free slot on Saturday 5 December at 10:00 (Haircut). Does it suit you?");
        // Only today's slots left, asked for tomorrow: a person answers.
        let today = Context { slots: ctx.slots[..3].to_vec(), ..ctx.clone() };
        assert!(matches!(i.answer("¿Tenéis hueco mañana por la tarde?", &today).outcome, Outcome::Handover(_)));
    }

    #[test]
    fn free_slots_come_from_the_context() {
        let i = index();
        let ctx = Context {
            slots: vec![
                FreeSlot { service: None, start: "2026-11-24 10:00".into() },
                FreeSlot { service: Some("Men's haircut".into()), start: "2026-11-25 16:00".into() },
                FreeSlot { service: None, start: "bad".into() },
            ],
            ..Context::default()
        };
        let r = i.answer("any free slots on tuesday?", &ctx);
        assert_eq!(r.text(), "We have a free slot on Tuesday 24 November at 10:00. Does it suit you?");
        assert_eq!(r.facts, ["slot:0"]);
        // a slot for any service fits too
        let r = i.answer("quiero reservar un corte de hombre", &ctx);
        assert_eq!(r.facts, ["slot:0", "slot:1"]);
        assert!(r.text().contains("miércoles 25 de noviembre a las 16:00"));
        let r = i.answer("can I book a manicure on friday?", &ctx);
        assert!(matches!(r.outcome, Outcome::Handover(_)), "{r:?}");
        // no slots given: booking is for a person
        assert!(matches!(ask(&i, "can I book a men's haircut?").outcome, Outcome::Handover(_)));
    }

    #[test]
    fn faq_and_documents_are_quoted_as_stored_with_a_spanish_lead_in() {
        let i = index();
        let r = ask(&i, "do u take bizum");
        assert_eq!(r.facts, ["faq:1"]);
        assert!(r.text().starts_with("We accept cash"));
        let r = ask(&i, "aceptáis bizum?");
        assert!(r.text().starts_with("Esto es lo que tenemos sobre eso (en inglés): We accept cash"));
        assert_eq!(ask(&i, "is there a metro station near you?").facts, ["doc:0:0"]);
    }

    #[test]
    fn several_questions_in_one_message() {
        let i = index();
        let r = ask(&i, "what's your address and phone?");
        assert_eq!(r.facts, ["address", "phone"]);
        assert_eq!(
            r.text(),
            "Our address is Calle Mayor 12, 28013 Madrid, Spain. Our phone number is +34 910 123 456."
        );
    }

    #[test]
    fn greetings_thanks_and_typos() {
        let i = index();
        assert_eq!(ask(&i, "hola!").text(), "¡Hola! ¿En qué puedo ayudarte?");
        assert_eq!(ask(&i, "thanks a lot").text(), thanks_text(Lang::En));
        assert_eq!(ask(&i, "whats ur adress").facts, ["address"]);
        assert_eq!(ask(&i, "is the salon wheelchiar accesible").facts, ["faq:7"]);
        // the language hint decides when the message shows none
        let ctx = Context { lang_hint: Some(Lang::Es), ..Context::default() };
        assert_eq!(i.answer("bizum?", &ctx).lang, Lang::Es);
    }

    #[test]
    fn every_answer_passes_the_grounding_check_on_its_facts() {
        let i = index();
        for q in [
            "opening hours",
            "prices?",
            "what services do you offer",
            "languages?",
            "email",
            "website",
            "how much is a gift card",
            "cancellation policy",
            "do you close on holidays",
        ] {
            let r = ask(&i, q);
            assert!(r.is_answer(), "{q}");
            let facts: Vec<&Fact> = r.facts.iter().filter_map(|id| i.fact(id)).collect();
            assert_eq!(grounded(r.text(), &facts), Ok(()), "{q}");
        }
    }

    #[test]
    fn retrieval_ranks_the_relevant_facts_first() {
        let i = index();
        let hits = i.retrieve("¿cuánto cuesta el tinte?", 3);
        assert_eq!(hits[0].fact.id, "service:3");
        let hits = i.retrieve("where can I park?", 3);
        assert_eq!(hits[0].fact.id, "faq:0");
        let hits = i.retrieve("opening hours on saturday", 2);
        assert_eq!(hits[0].fact.id, "hours");
        assert!(i.retrieve("zzzz qqqq", 5).is_empty());
        assert_eq!(i.retrieve("price", 2).len(), 2);
    }
}

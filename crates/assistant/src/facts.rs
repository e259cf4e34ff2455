//! The knowledge base rendered into atomic facts with stable ids ("hours", "address",
//! "service:3", "faq:0", "doc:1:2", "slot:0"…), each with its text in English and Spanish
//! (or as stored, with its language), its index terms and its atoms for the grounding check.

use serde::{Deserialize, Serialize};

use crate::calendar::{
    fmt_date, fmt_duration, fmt_hhmm, fmt_money, join_list, parse_hhmm, parse_slot, weekday_name, Date,
};
use crate::grounding::{atoms_of, Atom};
use crate::knowledge::{Knowledge, Service, Weekday};
use crate::lang::{detect_opt, Lang};
use crate::text::{fold, index_terms};

/// What a fact is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// The weekly opening hours.
    Hours,
    /// One closing date.
    Holiday,
    /// The postal address.
    Address,
    /// The phone number.
    Phone,
    /// The email address.
    Email,
    /// The website.
    Website,
    /// The languages spoken.
    Languages,
    /// The whole catalogue (names, prices, durations).
    Catalogue,
    /// One service.
    Service,
    /// One FAQ entry.
    Faq,
    /// One passage of a document.
    Document,
    /// One free slot supplied by the caller.
    Slot,
}

/// One atomic fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// Stable id: `hours`, `holiday:<n>`, `address`, `phone`, `email`, `website`,
    /// `languages`, `services`, `service:<n>`, `faq:<n>`, `doc:<n>:<passage>`, `slot:<n>`.
    pub id: String,
    /// What the fact is about.
    pub kind: FactKind,
    /// The fact in English (as stored, for FAQ entries and documents).
    pub text_en: String,
    /// The fact in Spanish (as stored, for FAQ entries and documents).
    pub text_es: String,
    /// The language the business wrote the fact in, for stored texts (FAQ entries,
    /// documents) when it can be told; `None` for facts rendered from structured data.
    pub source_lang: Option<Lang>,
    /// Index terms (stems and lexicon concepts), without repeats.
    pub terms: Vec<String>,
    /// Checkable values (prices, times, dates, phone…) for [`crate::grounded`].
    pub atoms: Vec<Atom>,
}

impl Fact {
    /// The text to show a customer speaking `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.text_en,
            Lang::Es => &self.text_es,
        }
    }

    /// A fact from one stored text (its language detected, its atoms extracted).
    pub(crate) fn from_text(id: &str, kind: FactKind, text: &str) -> Fact {
        let mut terms = index_terms(text);
        terms.sort();
        terms.dedup();
        Fact {
            id: id.into(),
            kind,
            text_en: text.into(),
            text_es: text.into(),
            source_lang: detect_opt(text),
            terms,
            atoms: atoms_of(text),
        }
    }

    fn rendered(id: String, kind: FactKind, en: String, es: String, extra: &[&str]) -> Fact {
        let mut atoms = atoms_of(&en);
        for a in atoms_of(&es) {
            if !atoms.contains(&a) {
                atoms.push(a);
            }
        }
        let mut terms = index_terms(&format!("{en}\n{es}"));
        terms.extend(extra.iter().map(|s| s.to_string()));
        terms.sort();
        terms.dedup();
        Fact { id, kind, text_en: en, text_es: es, source_lang: None, terms, atoms }
    }
}

/// Opening intervals per weekday (Monday first), sorted; invalid rows are skipped.
pub(crate) fn week(k: &Knowledge) -> [Vec<(u32, u32)>; 7] {
    let mut w: [Vec<(u32, u32)>; 7] = Default::default();
    for h in &k.profile.hours {
        if let (Some(o), Some(c)) = (parse_hhmm(&h.open), parse_hhmm(&h.close)) {
            if o < c {
                w[h.day.index()].push((o, c));
            }
        }
    }
    for d in &mut w {
        d.sort();
        d.dedup();
    }
    w
}

fn intervals(iv: &[(u32, u32)], lang: Lang) -> String {
    let parts: Vec<String> = iv
        .iter()
        .map(|(o, c)| match lang {
            Lang::En => format!("{}–{}", fmt_hhmm(*o), fmt_hhmm(*c)),
            Lang::Es => format!("de {} a {}", fmt_hhmm(*o), fmt_hhmm(*c)),
        })
        .collect();
    join_list(&parts, lang)
}

fn day_run(a: usize, b: usize, lang: Lang) -> String {
    let (da, db) = (weekday_name(Weekday::ALL[a], lang), weekday_name(Weekday::ALL[b], lang));
    match (lang, b - a) {
        (Lang::En, 0) => da.to_string(),
        (Lang::En, 1) => format!("{da} and {db}"),
        (Lang::En, _) => format!("{da} to {db}"),
        (Lang::Es, 0) => format!("el {da}"),
        (Lang::Es, 1) => format!("el {da} y el {db}"),
        (Lang::Es, _) => format!("de {da} a {db}"),
    }
}

/// "We are open Monday to Friday 09:00–19:00; Saturday 10:00–14:00. Closed on Sunday."
pub(crate) fn render_week(w: &[Vec<(u32, u32)>; 7], lang: Lang) -> String {
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < 7 {
        if w[i].is_empty() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < 7 && w[j + 1] == w[i] {
            j += 1;
        }
        runs.push(format!("{} {}", day_run(i, j, lang), intervals(&w[i], lang)));
        i = j + 1;
    }
    let closed: Vec<String> =
        (0..7).filter(|d| w[*d].is_empty()).map(|d| weekday_name(Weekday::ALL[d], lang).to_string()).collect();
    let mut s = match lang {
        Lang::En => format!("We are open {}.", runs.join("; ")),
        Lang::Es => format!("Abrimos {}.", runs.join("; ")),
    };
    if !closed.is_empty() {
        match lang {
            Lang::En => s.push_str(&format!(" Closed on {}.", join_list(&closed, lang))),
            Lang::Es => {
                let c: Vec<String> = closed.iter().map(|d| format!("el {d}")).collect();
                s.push_str(&format!(" Cerramos {}.", join_list(&c, lang)));
            }
        }
    }
    s
}

/// "On Saturday we are open 10:00–14:00." / "El domingo estamos cerrados."
pub(crate) fn render_day(w: &[Vec<(u32, u32)>; 7], day: Weekday, lang: Lang) -> String {
    let name = weekday_name(day, lang);
    let iv = &w[day.index()];
    match (lang, iv.is_empty()) {
        (Lang::En, true) => format!("On {name} we are closed."),
        (Lang::En, false) => format!("On {name} we are open {}.", intervals(iv, lang)),
        (Lang::Es, true) => format!("El {name} estamos cerrados."),
        (Lang::Es, false) => format!("El {name} abrimos {}.", intervals(iv, lang)),
    }
}

pub(crate) fn language_name(name: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    let es = match fold(name.trim()).as_str() {
        "english" | "ingles" => "inglés",
        "spanish" | "espanol" | "castellano" => "español",
        "french" | "frances" => "francés",
        "german" | "aleman" => "alemán",
        "italian" | "italiano" => "italiano",
        "portuguese" | "portugues" => "portugués",
        "catalan" => "catalán",
        "chinese" | "chino" => "chino",
        "arabic" | "arabe" => "árabe",
        "russian" | "ruso" => "ruso",
        "dutch" | "holandes" => "neerlandés",
        "japanese" | "japones" => "japonés",
        _ => return name.to_string(),
    };
    es.to_string()
}

/// The name to show for a service in `lang`: the name, or an alias written in that language.
pub(crate) fn service_display(s: &Service, lang: Lang) -> &str {
    let name_lang = detect_opt(&s.name);
    if name_lang == Some(lang) || (lang == Lang::En && name_lang.is_none()) {
        return &s.name;
    }
    s.aliases.iter().find(|a| detect_opt(a) == Some(lang)).map(String::as_str).unwrap_or(&s.name)
}

/// "€35.00, 45 minutes" (missing parts left out).
pub(crate) fn service_terms(s: &Service, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(p) = s.price_cents {
        parts.push(fmt_money(p, &s.currency, lang));
    }
    if let Some(d) = s.duration_min {
        parts.push(fmt_duration(d, lang));
    }
    parts.join(", ")
}

/// Most services listed by name in one answer.
pub(crate) const CATALOGUE_MAX: usize = 25;

pub(crate) fn render_catalogue(k: &Knowledge, lang: Lang) -> String {
    let items: Vec<String> = k
        .services
        .iter()
        .take(CATALOGUE_MAX)
        .map(|s| {
            let t = service_terms(s, lang);
            let n = service_display(s, lang);
            if t.is_empty() {
                n.to_string()
            } else {
                format!("{n} ({t})")
            }
        })
        .collect();
    let more = k.services.len() > CATALOGUE_MAX;
    match lang {
        Lang::En => format!("Our services: {}{}.", items.join("; "), if more { "; and more" } else { "" }),
        Lang::Es => format!("Nuestros servicios: {}{}.", items.join("; "), if more { "; y más" } else { "" }),
    }
}

fn holiday_text(date: Date, note: Option<&str>, lang: Lang) -> String {
    let d = fmt_date(date, lang, true, true);
    let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
    match lang {
        Lang::En => format!("We are closed on {d}{note}."),
        Lang::Es => format!("Estamos cerrados el {d}{note}."),
    }
}

/// Splits a document body into passages of up to three sentences (a paragraph break always
/// starts a new passage; long sentences make shorter passages).
pub(crate) fn passages(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in body.split("\n\n") {
        let mut sentences: Vec<String> = Vec::new();
        let mut cur = String::new();
        let chars: Vec<char> = para.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            cur.push(if c == '\n' { ' ' } else { c });
            if matches!(c, '.' | '!' | '?') {
                let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                let space_follows = chars.get(i + 1).is_none_or(|c| c.is_whitespace());
                if space_follows && next.is_none_or(|n| n.is_uppercase() || n.is_ascii_digit() || "¿¡\"«(".contains(*n))
                {
                    sentences.push(cur.trim().to_string());
                    cur.clear();
                }
            }
        }
        if !cur.trim().is_empty() {
            sentences.push(cur.trim().to_string());
        }
        let mut p = String::new();
        let mut n = 0;
        for s in sentences {
            if !p.is_empty() && (n >= 3 || p.len() + s.len() > 400) {
                out.push(std::mem::take(&mut p));
                n = 0;
            }
            if !p.is_empty() {
                p.push(' ');
            }
            p.push_str(&s);
            n += 1;
        }
        if !p.is_empty() {
            out.push(p);
        }
    }
    out
}

/// Where a fact comes from in the knowledge base (or the context).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Hours,
    Holiday(usize),
    Address,
    Phone,
    Email,
    Website,
    Languages,
    Catalogue,
    Service(usize),
    Faq(usize),
    Doc(usize, usize),
    Slot(usize),
}

/// A fact with what the answering needs to know about it.
pub(crate) struct Built {
    pub fact: Fact,
    pub source: Source,
    /// Terms a question's words may be matched by (stems and concepts).
    pub cover: Vec<String>,
    /// Alternative "keys" (a FAQ question, a service name or alias, a document title…),
    /// each a list of items, each item the terms that match it.
    pub keys: Vec<Vec<Vec<String>>>,
    /// Text for BM25 (with repeats).
    pub bm25: Vec<String>,
}

pub(crate) fn items(text: &str) -> Vec<Vec<String>> {
    let ws = crate::text::words(text);
    crate::text::analyse(&ws, &[], &[]).into_iter().map(|t| t.keys().map(str::to_string).collect::<Vec<_>>()).collect()
}

fn concept_items(cs: &[&str]) -> Vec<Vec<String>> {
    cs.iter().map(|c| vec![c.to_string()]).collect()
}

fn value_concepts(atoms: &[Atom]) -> Vec<&'static str> {
    let mut v = Vec::new();
    if atoms.iter().any(|a| matches!(a, Atom::Money { .. })) {
        v.push("#price");
    }
    if atoms.iter().any(|a| matches!(a, Atom::Duration { .. })) {
        v.push("#duration");
    }
    v
}

const DAY_CONCEPTS: [&str; 7] = ["#mon", "#tue", "#wed", "#thu", "#fri", "#sat", "#sun"];

pub(crate) fn day_concept(d: Weekday) -> &'static str {
    DAY_CONCEPTS[d.index()]
}

fn built(fact: Fact, source: Source, extra_cover: &[&str], keys: Vec<Vec<Vec<String>>>, bm25_text: &str) -> Built {
    let mut cover: Vec<String> = fact.terms.clone();
    cover.extend(extra_cover.iter().map(|s| s.to_string()));
    cover.sort();
    cover.dedup();
    let mut bm25 = index_terms(bm25_text);
    bm25.extend(extra_cover.iter().map(|s| s.to_string()));
    Built { fact, source, cover, keys, bm25 }
}

/// Renders the knowledge base into facts.
pub(crate) fn build_facts(k: &Knowledge) -> Vec<Built> {
    let mut out = Vec::new();
    let p = &k.profile;
    let w = week(k);
    if w.iter().any(|d| !d.is_empty()) {
        let (en, es) = (render_week(&w, Lang::En), render_week(&w, Lang::Es));
        let f = Fact::rendered("hours".into(), FactKind::Hours, en.clone(), es.clone(), &["#hours"]);
        let mut extra = vec!["#hours", "#weekend", "#weekdays"];
        extra.extend(DAY_CONCEPTS);
        out.push(built(f, Source::Hours, &extra, vec![concept_items(&["#hours"])], &format!("{en}\n{es}")));
    }
    for (i, h) in p.holidays.iter().enumerate() {
        let Some(d) = Date::parse(&h.date) else { continue };
        let note = h.note.as_deref();
        let (en, es) = (holiday_text(d, note, Lang::En), holiday_text(d, note, Lang::Es));
        let mut f = Fact::rendered(format!("holiday:{i}"), FactKind::Holiday, en.clone(), es.clone(), &["#holiday"]);
        f.atoms.push(Atom::Date { year: Some(d.y), month: d.m, day: d.d });
        let mut key = concept_items(&["#holiday"]);
        key.extend(items(note.unwrap_or("")));
        let text = format!("{en}\n{es}");
        out.push(built(f, Source::Holiday(i), &["#holiday", "#hours"], vec![key], &text));
    }
    if let Some(a) = &p.address {
        let en = format!("Our address is {a}.");
        let es = format!("Nuestra dirección es {a}.");
        let f = Fact::rendered("address".into(), FactKind::Address, en.clone(), es.clone(), &["#address"]);
        out.push(built(f, Source::Address, &["#address"], vec![concept_items(&["#address"])], &format!("{en}\n{es}")));
    }
    if let Some(ph) = &p.phone {
        let en = format!("Our phone number is {ph}.");
        let es = format!("Nuestro teléfono es el {ph}.");
        let f = Fact::rendered("phone".into(), FactKind::Phone, en.clone(), es.clone(), &["#phone"]);
        let text = format!("{en}\n{es}");
        out.push(built(f, Source::Phone, &["#phone", "#contact"], vec![concept_items(&["#phone"])], &text));
    }
    if let Some(e) = &p.email {
        let en = format!("Our email address is {e}.");
        let es = format!("Nuestro correo electrónico es {e}.");
        let f = Fact::rendered("email".into(), FactKind::Email, en.clone(), es.clone(), &["#email"]);
        let text = format!("{en}\n{es}");
        out.push(built(f, Source::Email, &["#email", "#contact"], vec![concept_items(&["#email"])], &text));
    }
    if let Some(site) = &p.website {
        let en = format!("Our website is {site}.");
        let es = format!("Nuestra web es {site}.");
        let f = Fact::rendered("website".into(), FactKind::Website, en.clone(), es.clone(), &["#website"]);
        out.push(built(f, Source::Website, &["#website"], vec![concept_items(&["#website"])], &format!("{en}\n{es}")));
    }
    if !p.languages.is_empty() {
        let names = |lang| p.languages.iter().map(|l| language_name(l, lang)).collect::<Vec<_>>();
        let en = format!("We speak {}.", join_list(&names(Lang::En), Lang::En));
        let es = format!("Hablamos {}.", join_list(&names(Lang::Es), Lang::Es));
        let f = Fact::rendered("languages".into(), FactKind::Languages, en.clone(), es.clone(), &["#language"]);
        let text = format!("{en}\n{es}");
        let extra = ["#language", "#langname"];
        out.push(built(f, Source::Languages, &extra, vec![concept_items(&["#language"])], &text));
    }
    if !k.services.is_empty() {
        let (en, es) = (render_catalogue(k, Lang::En), render_catalogue(k, Lang::Es));
        let f = Fact::rendered("services".into(), FactKind::Catalogue, en.clone(), es.clone(), &["#services"]);
        let key = vec![concept_items(&["#services", "#price"])];
        let text = format!("{en}\n{es}");
        // covers generic questions only ("prices?"): a service's own words lead to the service
        let extra = ["#duration", "#price", "#services"];
        let mut b = built(f, Source::Catalogue, &extra, key, &text);
        b.cover = extra.iter().map(|s| s.to_string()).collect();
        out.push(b);
    }
    for (i, s) in k.services.iter().enumerate() {
        let names: Vec<&str> = std::iter::once(s.name.as_str()).chain(s.aliases.iter().map(String::as_str)).collect();
        let also = if s.aliases.is_empty() { String::new() } else { format!(" ({})", s.aliases.join(", ")) };
        let desc = s.description.as_deref().map(|d| format!(" {d}")).unwrap_or_default();
        let line = |lang| {
            let t = service_terms(s, lang);
            if t.is_empty() {
                format!("{}{also}.{desc}", s.name)
            } else {
                format!("{}{also}: {t}.{desc}", s.name)
            }
        };
        let (en, es) = (line(Lang::En), line(Lang::Es));
        let mut f = Fact::rendered(format!("service:{i}"), FactKind::Service, en.clone(), es.clone(), &[]);
        // cover: the names only (a description word must not make "wash" mean this service)
        let mut cover: Vec<String> = names.iter().flat_map(|n| index_terms(n)).collect();
        cover.push("#services".into());
        if s.price_cents.is_some() {
            cover.push("#price".into());
        }
        if s.duration_min.is_some() {
            cover.push("#duration".into());
        }
        cover.sort();
        cover.dedup();
        f.terms.extend(cover.iter().cloned());
        f.terms.sort();
        f.terms.dedup();
        let keys = names.iter().map(|n| items(n)).filter(|k| !k.is_empty()).collect();
        let mut bm25 = index_terms(&format!("{}\n{}", names.join("\n"), s.description.as_deref().unwrap_or("")));
        bm25.extend(cover.iter().filter(|c| c.starts_with('#')).cloned());
        out.push(Built { fact: f, source: Source::Service(i), cover, keys, bm25 });
    }
    for (i, q) in k.faq.iter().enumerate() {
        let text = format!("{}\n{}", q.question, q.answer);
        let f = Fact::from_text(&format!("faq:{i}"), FactKind::Faq, &text);
        let extra = value_concepts(&f.atoms);
        let keys = vec![items(&q.question)];
        out.push(built(f, Source::Faq(i), &extra, keys, &format!("{}\n{text}", q.question)));
    }
    for (i, d) in k.documents.iter().enumerate() {
        for (j, passage) in passages(&d.body).into_iter().enumerate() {
            let mut f = Fact::from_text(&format!("doc:{i}:{j}"), FactKind::Document, &passage);
            let title_terms = index_terms(&d.title);
            f.terms.extend(title_terms);
            f.terms.sort();
            f.terms.dedup();
            let extra = value_concepts(&f.atoms);
            let keys = vec![items(&d.title)];
            out.push(built(f, Source::Doc(i, j), &extra, keys, &format!("{}\n{passage}", d.title)));
        }
    }
    out
}

/// A free slot offered by the caller (the bookings module, later).
pub(crate) fn slot_fact(n: usize, service: Option<&str>, start: &str) -> Option<Built> {
    let (date, t) = parse_slot(start)?;
    let with = service.map(|s| format!(" ({s})")).unwrap_or_default();
    let en = format!("Free slot: {} at {}{with}.", fmt_date(date, Lang::En, true, true), fmt_hhmm(t));
    let es = format!("Hueco libre: {} a las {}{with}.", fmt_date(date, Lang::Es, true, true), fmt_hhmm(t));
    let mut f = Fact::rendered(format!("slot:{n}"), FactKind::Slot, en.clone(), es.clone(), &["#book"]);
    f.atoms.push(Atom::Date { year: Some(date.y), month: date.m, day: date.d });
    f.atoms.push(Atom::Time { minutes: t });
    let mut cover: Vec<String> = service.map(index_terms).unwrap_or_default();
    cover.push("#book".into());
    if service.is_none() {
        cover.push(crate::index::ANY_SERVICE.into());
    }
    cover.push(day_concept(date.weekday()).into());
    if date.weekday().index() >= 5 {
        cover.push("#weekend".into());
    } else {
        cover.push("#weekdays".into());
    }
    cover.sort();
    cover.dedup();
    let keys = vec![concept_items(&["#book"])];
    let bm25 = cover.clone();
    Some(Built { fact: f, source: Source::Slot(n), cover, keys, bm25 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_renders_stable_ids_in_both_languages() {
        let facts = build_facts(&Knowledge::demo());
        let ids: Vec<&str> = facts.iter().map(|b| b.fact.id.as_str()).collect();
        for id in [
            "hours",
            "holiday:0",
            "address",
            "phone",
            "email",
            "website",
            "languages",
            "services",
            "service:0",
            "faq:8",
            "doc:0:0",
            "doc:1:0",
        ] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        let hours = &facts[0].fact;
        assert_eq!(hours.text_en, "We are open Monday to Friday 09:00–19:00; Saturday 10:00–14:00. Closed on Sunday.");
        assert_eq!(
            hours.text_es,
            "Abrimos de lunes a viernes de 09:00 a 19:00; el sábado de 10:00 a 14:00. Cerramos el domingo."
        );
        let s0 = facts.iter().find(|b| b.fact.id == "service:0").unwrap();
        assert!(s0.fact.text_en.contains("€35.00, 45 minutes"));
        assert!(s0.fact.text_es.contains("35,00 €, 45 minutos"));
        assert!(s0.fact.atoms.contains(&Atom::Money { cents: 3500 }));
        assert!(s0.fact.atoms.contains(&Atom::Duration { minutes: 45 }));
        let faq = facts.iter().find(|b| b.fact.id == "faq:5").unwrap();
        assert_eq!(faq.fact.source_lang, Some(Lang::En));
        assert!(faq.cover.contains(&"#price".to_string()));
    }

    #[test]
    fn split_shifts_and_closed_days() {
        let mut k = Knowledge::demo();
        k.profile.hours.retain(|h| h.day != Weekday::Wed);
        k.profile.hours.push(crate::knowledge::DayHours {
            day: Weekday::Mon,
            open: "16:00".into(),
            close: "20:00".into(),
        });
        k.profile.hours.iter_mut().filter(|h| h.day == Weekday::Mon && h.open == "09:00").for_each(|h| {
            h.close = "14:00".into();
        });
        let w = week(&k);
        assert_eq!(
            render_week(&w, Lang::En),
            "We are open Monday 09:00–14:00 and 16:00–20:00; Tuesday 09:00–19:00; Thursday and Friday 09:00–19:00; Saturday 10:00–14:00. Closed on Wednesday and Sunday."
        );
        assert_eq!(render_day(&w, Weekday::Mon, Lang::Es), "El lunes abrimos de 09:00 a 14:00 y de 16:00 a 20:00.");
        assert_eq!(render_day(&w, Weekday::Sun, Lang::En), "On Sunday we are closed.");
    }

    #[test]
    fn documents_split_into_passages() {
        let body = "One is here. Two is here. Three is here. Four is here.\n\nNew paragraph. E.g. this stays.";
        let p = passages(body);
        assert_eq!(
            p,
            vec!["One is here. Two is here. Three is here.", "Four is here.", "New paragraph. E.g. this stays."]
        );
    }

    #[test]
    fn slots_become_facts() {
        let b = slot_fact(0, Some("Men's haircut"), "2026-11-24 10:00").unwrap();
        assert_eq!(b.fact.text_en, "Free slot: Tuesday 24 November 2026 at 10:00 (Men's haircut).");
        assert!(b.cover.contains(&"#tue".to_string()) && b.cover.contains(&"#book".to_string()));
        assert!(slot_fact(1, None, "next tuesday").is_none());
    }
}

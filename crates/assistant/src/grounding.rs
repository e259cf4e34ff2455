//! The grounding check used before any automated send, whatever wrote the answer: every
//! number, price, time, date, duration, phone number, email, web address and street name
//! in the answer must appear in at least one of the facts the answer was built from.
//!
//! Formats are normalised on both sides: "€35", "35 €", "35.00 EUR", "35,00 €" are all 3500
//! cents; "9:00", "09:00", "9am", "9 a.m." are all 09:00; "25 December", "25/12/2026",
//! "December 25th", "25 de diciembre" are all the 25th of December; "+34 910 123 456" and
//! "910123456" are the same phone. A bare number ("open until 7", "valid for 12 months")
//! is grounded by any fact value with that number (a time's hour, a price's units, a date's
//! day, a duration…). Words are not checked: "three" or "Monday" pass.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::calendar::{month_from_word, Date};
use crate::facts::Fact;
use crate::text::fold;

/// A checkable value found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Atom {
    /// An amount of money, in cents (currency not compared).
    Money {
        /// Amount in cents.
        cents: i64,
    },
    /// A time of day, minutes since midnight.
    Time {
        /// Minutes since midnight.
        minutes: u32,
    },
    /// A calendar date, the year when written.
    Date {
        /// Year, if given.
        year: Option<i32>,
        /// 1–12.
        month: u32,
        /// 1–31.
        day: u32,
    },
    /// A duration in minutes ("45 minutes", "1 h 30", "2 hours").
    Duration {
        /// Minutes.
        minutes: u32,
    },
    /// Any other number, in hundredths (so 2.5 is 250).
    Number {
        /// Value × 100.
        hundredths: i64,
    },
    /// A phone number, digits only (with the country code when written).
    Phone {
        /// Digits.
        digits: String,
    },
    /// An email address, lower-cased.
    Email {
        /// The address.
        address: String,
    },
    /// A web address, by host (lower-cased, without `www.`).
    Url {
        /// The host.
        host: String,
    },
    /// A street: its kind ("street", "avenue", "square"…) and folded name ("mayor").
    Street {
        /// Normalised kind.
        kind: String,
        /// Folded name words.
        name: String,
    },
}

/// A span of text that holds a checkable value, with every reading of it (a "9.30" may be
/// a time or a number; it passes when any reading is grounded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub text: String,
    pub readings: Vec<Atom>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Num(String),
    Sym(char),
    Email(String),
    Url(String),
}

#[derive(Debug, Clone)]
struct T {
    tok: Tok,
    start: usize,
    end: usize,
    space_before: bool,
}

fn trim_chunk(chunk: &str) -> &str {
    chunk.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'', '»', ']', '>'])
}

fn is_email(s: &str) -> bool {
    let Some((l, d)) = s.split_once('@') else { return false };
    !l.is_empty()
        && l.chars().all(|c| c.is_alphanumeric() || "._%+-".contains(c))
        && d.contains('.')
        && !d.starts_with('.')
        && !d.ends_with('.')
        && d.chars().all(|c| c.is_alphanumeric() || ".-".contains(c))
}

fn url_host(s: &str) -> Option<String> {
    let lower = s.to_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) {
        r
    } else {
        let labels: Vec<&str> = lower.split('.').collect();
        let plausible = labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
            && labels.last().is_some_and(|l| l.len() >= 2 && l.chars().all(|c| c.is_alphabetic()))
            && labels[0].chars().next().is_some_and(|c| c.is_alphabetic())
            && !lower.contains("..");
        if !(plausible || lower.starts_with("www.")) {
            return None;
        }
        lower.as_str()
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty() && host.contains('.')).then(|| host.to_string())
}

fn lex(text: &str) -> Vec<T> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut space = true;
    let byte_at = |k: usize| chars.get(k).map(|c| c.0).unwrap_or(text.len());
    while i < chars.len() {
        let (b, c) = chars[i];
        if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        let at_chunk_start = i == 0 || chars[i - 1].1.is_whitespace() || "(<\"«[".contains(chars[i - 1].1);
        if at_chunk_start && c.is_alphanumeric() {
            let mut j = i;
            while j < chars.len() && !chars[j].1.is_whitespace() {
                j += 1;
            }
            let chunk = trim_chunk(&text[b..byte_at(j)]);
            let end = b + chunk.len();
            if chunk.contains('@') && is_email(chunk) {
                out.push(T { tok: Tok::Email(chunk.to_lowercase()), start: b, end, space_before: space });
                space = false;
                while i < chars.len() && chars[i].0 < end {
                    i += 1;
                }
                continue;
            }
            if c.is_alphabetic() && chunk.contains('.') {
                if let Some(h) = url_host(chunk) {
                    out.push(T { tok: Tok::Url(h), start: b, end, space_before: space });
                    space = false;
                    while i < chars.len() && chars[i].0 < end {
                        i += 1;
                    }
                    continue;
                }
            }
        }
        if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len() {
                let cj = chars[j].1;
                if cj.is_ascii_digit()
                    || (".,:/-".contains(cj) && chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit()))
                {
                    j += 1;
                } else {
                    break;
                }
            }
            out.push(T {
                tok: Tok::Num(text[b..byte_at(j)].to_string()),
                start: b,
                end: byte_at(j),
                space_before: space,
            });
            i = j;
        } else if c.is_alphabetic() {
            let mut j = i;
            while j < chars.len() && chars[j].1.is_alphabetic() {
                j += 1;
            }
            out.push(T {
                tok: Tok::Word(text[b..byte_at(j)].to_string()),
                start: b,
                end: byte_at(j),
                space_before: space,
            });
            i = j;
        } else {
            out.push(T { tok: Tok::Sym(c), start: b, end: byte_at(i + 1), space_before: space });
            i += 1;
        }
        space = false;
    }
    out
}

/// Parses "35", "35.00", "35,00", "1.234,56", "1,234.56", "1.200" into hundredths.
fn parse_amount(s: &str) -> Option<i64> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    let last_sep = s.rfind(['.', ',']);
    let (int_part, frac): (String, String) = match last_sep {
        None => (s.to_string(), String::new()),
        Some(p) => {
            let sep = s.as_bytes()[p] as char;
            let after = &s[p + 1..];
            let same_count = s.matches(sep).count();
            let other_present = s.contains(if sep == '.' { ',' } else { '.' });
            if !other_present && (after.len() == 3 || same_count > 1) {
                // thousands separators only
                (s.replace(['.', ','], ""), String::new())
            } else {
                (s[..p].replace(['.', ','], ""), after.to_string())
            }
        }
    };
    if int_part.len() > 15 || frac.len() > 2 {
        return None;
    }
    let i: i64 = if int_part.is_empty() { 0 } else { int_part.parse().ok()? };
    let f: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    Some(i * 100 + f)
}

fn word_lower(t: Option<&T>) -> Option<String> {
    match t.map(|t| &t.tok) {
        Some(Tok::Word(w)) => Some(fold(w)),
        _ => None,
    }
}

fn sym(t: Option<&T>) -> Option<char> {
    match t.map(|t| &t.tok) {
        Some(Tok::Sym(c)) => Some(*c),
        _ => None,
    }
}

fn num(t: Option<&T>) -> Option<&str> {
    match t.map(|t| &t.tok) {
        Some(Tok::Num(n)) => Some(n.as_str()),
        _ => None,
    }
}

fn small_int(s: &str) -> Option<u32> {
    (s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

const CURRENCY_WORDS: &[&str] =
    &["eur", "euro", "euros", "usd", "dollar", "dollars", "dolares", "gbp", "pound", "pounds", "libras"];
const MINUTE_WORDS: &[&str] = &["min", "mins", "minute", "minutes", "minuto", "minutos", "m"];
const HOUR_WORDS: &[&str] = &["h", "hr", "hrs", "hour", "hours", "hora", "horas"];
const ORDINALS: &[&str] = &["st", "nd", "rd", "th", "o", "a", "er"];

const STREET_ES: &[(&str, &str)] = &[
    ("calle", "street"),
    ("c", "street"),
    ("avenida", "avenue"),
    ("avda", "avenue"),
    ("av", "avenue"),
    ("plaza", "square"),
    ("pza", "square"),
    ("paseo", "paseo"),
    ("ronda", "ronda"),
    ("carretera", "road"),
    ("camino", "camino"),
    ("travesia", "travesia"),
    ("glorieta", "glorieta"),
    ("pasaje", "pasaje"),
];
const STREET_EN: &[(&str, &str)] = &[
    ("street", "street"),
    ("st", "street"),
    ("road", "road"),
    ("rd", "road"),
    ("avenue", "avenue"),
    ("ave", "avenue"),
    ("lane", "lane"),
    ("square", "square"),
    ("boulevard", "boulevard"),
    ("blvd", "boulevard"),
];
const STREET_CONNECTORS: &[&str] = &["de", "del", "la", "las", "los", "el"];

fn capitalised(t: &T) -> bool {
    matches!(&t.tok, Tok::Word(w) if w.chars().next().is_some_and(char::is_uppercase))
}

/// Every checkable value in `text`.
pub(crate) fn extract(text: &str) -> Vec<Found> {
    let toks = lex(text);
    let mut out = Vec::new();
    let mut used = vec![false; toks.len()];
    let span = |a: usize, b: usize| text[toks[a].start..toks[b].end].to_string();
    let mut i = 0;
    while i < toks.len() {
        if used[i] {
            i += 1;
            continue;
        }
        let t = &toks[i];
        match &t.tok {
            Tok::Email(e) => {
                out.push(Found { text: span(i, i), readings: vec![Atom::Email { address: e.clone() }] });
            }
            Tok::Url(h) => out.push(Found { text: span(i, i), readings: vec![Atom::Url { host: h.clone() }] }),
            Tok::Word(w) => {
                let lw = fold(w);
                // month-first dates: "December 25(th)(, 2026)"
                if let (Some(m), Some(d)) = (month_from_word(&lw), num(toks.get(i + 1)).and_then(small_int)) {
                    if (1..=31).contains(&d) && toks[i + 1].space_before {
                        let mut j = i + 1;
                        if word_lower(toks.get(j + 1)).is_some_and(|o| ORDINALS.contains(&o.as_str()))
                            && !toks[j + 1].space_before
                        {
                            j += 1;
                        }
                        let mut year = None;
                        let k = if sym(toks.get(j + 1)) == Some(',') { j + 2 } else { j + 1 };
                        if let Some(y) = num(toks.get(k)).filter(|y| y.len() == 4).and_then(small_int) {
                            year = Some(y as i32);
                            j = k;
                        }
                        if year.is_none_or(|y| Date::new(y, m, d).is_some()) && d <= 31 {
                            out.push(Found { text: span(i, j), readings: vec![Atom::Date { year, month: m, day: d }] });
                            for u in used.iter_mut().take(j + 1).skip(i) {
                                *u = true;
                            }
                            i = j + 1;
                            continue;
                        }
                    }
                }
                // streets, Spanish style: "Calle (de) Mayor", "C/ Toledo"
                if let Some(&(_, kind)) = STREET_ES.iter().find(|(k, _)| *k == lw) {
                    let mut j = i + 1;
                    if lw == "c" {
                        if sym(toks.get(j)) != Some('/') {
                            i += 1;
                            continue;
                        }
                        j += 1;
                    } else if sym(toks.get(j)) == Some('.') {
                        j += 1;
                    }
                    while word_lower(toks.get(j)).is_some_and(|w| STREET_CONNECTORS.contains(&w.as_str())) {
                        j += 1;
                    }
                    let mut name = Vec::new();
                    let mut last = j;
                    while let Some(tk) = toks.get(j) {
                        if capitalised(tk) && name.len() < 4 {
                            name.push(fold(&text[tk.start..tk.end]));
                            last = j;
                            j += 1;
                            while word_lower(toks.get(j)).is_some_and(|w| STREET_CONNECTORS.contains(&w.as_str()))
                                && toks.get(j + 1).is_some_and(capitalised)
                            {
                                j += 1;
                            }
                        } else {
                            break;
                        }
                    }
                    if !name.is_empty() {
                        out.push(Found {
                            text: span(i, last),
                            readings: vec![Atom::Street { kind: kind.into(), name: name.join(" ") }],
                        });
                        i = last + 1;
                        continue;
                    }
                }
                // streets, English style: "Baker Street", "Main St"
                if let Some(&(_, kind)) = STREET_EN.iter().find(|(k, _)| *k == lw) {
                    if capitalised(t) {
                        let mut j = i;
                        let mut name = Vec::new();
                        while j > 0 && capitalised(&toks[j - 1]) && name.len() < 3 && !used[j - 1] {
                            let w = fold(match &toks[j - 1].tok {
                                Tok::Word(w) => w,
                                _ => "",
                            });
                            if w == "the" {
                                break;
                            }
                            name.insert(0, w);
                            j -= 1;
                        }
                        if !name.is_empty() {
                            out.push(Found {
                                text: span(j, i),
                                readings: vec![Atom::Street { kind: kind.into(), name: name.join(" ") }],
                            });
                        }
                    }
                }
            }
            Tok::Sym(c) => {
                // "+34 910 123 456"
                if *c == '+' && num(toks.get(i + 1)).is_some() {
                    if let Some((j, digits)) = phone_at(&toks, i + 1, true) {
                        out.push(Found { text: span(i, j), readings: vec![Atom::Phone { digits }] });
                        for u in used.iter_mut().take(j + 1).skip(i) {
                            *u = true;
                        }
                        i = j + 1;
                        continue;
                    }
                }
            }
            Tok::Num(n) => {
                let (j, founds) = classify_number(&toks, i, n);
                for u in used.iter_mut().take(j + 1).skip(i) {
                    *u = true;
                }
                // currency sign before: "€35"
                let mut a = i;
                let sign_before = matches!(sym(toks.get(i.wrapping_sub(1))), Some('€' | '$' | '£'));
                let code_before = word_lower(toks.get(i.wrapping_sub(1)))
                    .is_some_and(|w| ["eur", "usd", "gbp"].contains(&w.as_str()));
                if i > 0 && (sign_before || code_before) {
                    a = i - 1;
                }
                for readings in founds {
                    out.push(Found { text: span(a, j), readings });
                }
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Phone: groups of digits separated by single spaces; at least 9 digits, or 7 with a `+`
/// or in 3+ groups. Returns the last token index and the digits.
fn phone_at(toks: &[T], i: usize, plus: bool) -> Option<(usize, String)> {
    let mut digits = String::new();
    let mut groups = 0;
    let mut j = i;
    let mut last = i;
    while let Some(n) = num(toks.get(j)) {
        if j > i && !toks[j].space_before {
            break;
        }
        if !n.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '.') || n.contains('.') && n.len() < 7 {
            break;
        }
        let d: String = n.chars().filter(char::is_ascii_digit).collect();
        if j > i && d.len() < 2 {
            break;
        }
        digits.push_str(&d);
        groups += 1 + n.matches(['-', '.']).count();
        last = j;
        j += 1;
        // "(0) 91" style parentheses are rare in answers; stop at anything else
    }
    let ok = digits.len() >= 9 || (digits.len() >= 7 && (plus || groups >= 3));
    (ok && digits.len() <= 15).then_some((last, digits))
}

fn classify_number(toks: &[T], i: usize, n: &str) -> (usize, Vec<Vec<Atom>>) {
    let (j, founds) = classify_one(toks, i, n);
    (j, founds)
}

fn one(j: usize, r: Vec<Atom>) -> (usize, Vec<Vec<Atom>>) {
    (j, if r.is_empty() { vec![] } else { vec![r] })
}

fn classify_one(toks: &[T], i: usize, n: &str) -> (usize, Vec<Vec<Atom>>) {
    let next_word = |k: usize| word_lower(toks.get(k)).filter(|_| true);
    let before_sym = if i > 0 { sym(toks.get(i - 1)) } else { None };
    let before_word = if i > 0 { word_lower(toks.get(i - 1)) } else { None };
    let currency_before = matches!(before_sym, Some('€' | '$' | '£'))
        || before_word.as_deref().is_some_and(|w| ["eur", "usd", "gbp"].contains(&w));
    let currency_after = matches!(sym(toks.get(i + 1)), Some('€' | '$' | '£'))
        || next_word(i + 1).is_some_and(|w| CURRENCY_WORDS.contains(&w.as_str()));

    // ISO date
    if n.len() == 10 {
        if let Some(d) = Date::parse(n) {
            return one(i, vec![Atom::Date { year: Some(d.y), month: d.m, day: d.d }]);
        }
    }
    // money
    if currency_before || currency_after {
        let parts: Vec<&str> = n.split('-').collect();
        let atoms: Vec<Atom> = parts.iter().filter_map(|p| parse_amount(p)).map(|c| Atom::Money { cents: c }).collect();
        let j = if currency_after { i + 1 } else { i };
        return (j, atoms.into_iter().map(|a| vec![a]).collect());
    }
    // phone
    if !n.contains([':', ',', '/']) {
        if let Some((j, digits)) = phone_at(toks, i, false) {
            return one(j, vec![Atom::Phone { digits }]);
        }
    }
    // dd/mm(/yyyy)
    if n.contains('/') {
        let p: Vec<&str> = n.split('/').collect();
        if (2..=3).contains(&p.len()) && p.iter().all(|x| small_int(x).is_some()) {
            let a = small_int(p[0]).unwrap_or(0);
            let b = small_int(p[1]).unwrap_or(0);
            let y = p.get(2).and_then(|y| small_int(y)).map(|y| if y < 100 { 2000 + y as i32 } else { y as i32 });
            let mut r = Vec::new();
            for (m, d) in [(b, a), (a, b)] {
                let ok = match y {
                    Some(y) => Date::new(y, m, d).is_some(),
                    None => (1..=12).contains(&m) && (1..=31).contains(&d),
                };
                if ok {
                    r.push(Atom::Date { year: y, month: m, day: d });
                }
            }
            return one(i, r);
        }
        return (i, n.split('/').filter_map(parse_amount).map(|h| vec![Atom::Number { hundredths: h }]).collect());
    }
    // ranges "10-14", "09:00-19:00"
    if n.contains('-') {
        let mut r = Vec::new();
        for p in n.split('-') {
            if let Some(t) = hhmm_reading(p) {
                r.push(vec![t]);
            } else if let Some(h) = parse_amount(p) {
                r.push(vec![Atom::Number { hundredths: h }]);
            }
        }
        return (i, r);
    }
    // times "9:00", "9:00 pm"
    if n.contains(':') {
        let (j, ampm) = ampm_after(toks, i);
        if let Some(Atom::Time { minutes }) = hhmm_reading(n) {
            let m = apply_ampm(minutes, ampm);
            return one(j, vec![Atom::Time { minutes: m }]);
        }
        return (i, n.split(':').filter_map(parse_amount).map(|h| vec![Atom::Number { hundredths: h }]).collect());
    }
    let value = parse_amount(n);
    // "9am", "9 a.m.", "9.30pm"
    let (j, ampm) = ampm_after(toks, i);
    if ampm.is_some() {
        if let Some(v) = value {
            let (h, m) = (v / 100, v % 100);
            if (1..=12).contains(&h) && m < 60 {
                return one(j, vec![Atom::Time { minutes: apply_ampm((h * 60 + m) as u32, ampm) }]);
            }
        }
    }
    // "9h" (a time in Spanish usage, or a duration), "1h30"
    if let Some(w) = next_word(i + 1) {
        let glued = !toks[i + 1].space_before;
        if let Some(v) = value {
            if HOUR_WORDS.contains(&w.as_str()) {
                let mut minutes = (v * 60 / 100) as u32;
                let mut j = i + 1;
                // "1 h 30 (min)", "1h30", "1 hour and 30 minutes"
                let mut k = j + 1;
                if word_lower(toks.get(k)).is_some_and(|w| w == "and" || w == "y") {
                    k += 1;
                }
                if let Some(extra) = num(toks.get(k)).and_then(small_int).filter(|x| *x < 60) {
                    let unit = word_lower(toks.get(k + 1));
                    if unit.as_deref().is_some_and(|u| MINUTE_WORDS.contains(&u)) {
                        minutes += extra;
                        j = k + 1;
                    } else if w == "h" && glued {
                        minutes += extra;
                        j = k;
                    }
                }
                let mut r = vec![Atom::Duration { minutes }];
                if w == "h" && j == i + 1 && v % 100 == 0 && v / 100 <= 24 {
                    r.push(Atom::Time { minutes: (v / 100 * 60) as u32 });
                }
                return one(j, r);
            }
            if MINUTE_WORDS.contains(&w.as_str()) && (w != "m" || glued) && v % 100 == 0 {
                return one(i + 1, vec![Atom::Duration { minutes: (v / 100) as u32 }]);
            }
        }
        // "25th December 2026", "25 de diciembre (de 2026)", "1 of January"
        if let Some(d) = small_int(n).filter(|d| (1..=31).contains(d)) {
            let mut k = i + 1;
            if ORDINALS.contains(&w.as_str()) && glued {
                k += 1;
            }
            if word_lower(toks.get(k)).is_some_and(|w| w == "de" || w == "of") {
                k += 1;
            }
            if let Some(m) = word_lower(toks.get(k)).and_then(|w| month_from_word(&w)) {
                let mut j = k;
                let mut year = None;
                let mut y_at = k + 1;
                if word_lower(toks.get(y_at)).is_some_and(|w| w == "de") || sym(toks.get(y_at)) == Some(',') {
                    y_at += 1;
                }
                if let Some(y) = num(toks.get(y_at)).filter(|y| y.len() == 4).and_then(small_int) {
                    year = Some(y as i32);
                    j = y_at;
                }
                return one(j, vec![Atom::Date { year, month: m, day: d }]);
            }
        }
    }
    // "9.30": a number or a time
    let mut r = Vec::new();
    if let Some(v) = value {
        r.push(Atom::Number { hundredths: v });
        if n.contains('.') && n.len() <= 5 {
            if let Some(t) = hhmm_reading(&n.replace('.', ":")) {
                r.push(t);
            }
        }
    }
    if sym(toks.get(i + 1)) == Some('%') {
        return one(i + 1, r);
    }
    one(i, r)
}

fn hhmm_reading(s: &str) -> Option<Atom> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60).then_some(Atom::Time { minutes: h * 60 + m })
}

/// `Some(true)` for pm, `Some(false)` for am, with the index of the last token used.
fn ampm_after(toks: &[T], i: usize) -> (usize, Option<bool>) {
    let w = word_lower(toks.get(i + 1));
    match w.as_deref() {
        Some("am") => (i + 1, Some(false)),
        Some("pm") => (i + 1, Some(true)),
        Some("a") | Some("p")
            if sym(toks.get(i + 2)) == Some('.') && word_lower(toks.get(i + 3)).as_deref() == Some("m") =>
        {
            let j = if sym(toks.get(i + 4)) == Some('.') { i + 4 } else { i + 3 };
            (j, Some(w.as_deref() == Some("p")))
        }
        _ => (i, None),
    }
}

fn apply_ampm(minutes: u32, pm: Option<bool>) -> u32 {
    let (h, m) = (minutes / 60, minutes % 60);
    match pm {
        Some(true) if h < 12 => (h + 12) * 60 + m,
        Some(false) if h == 12 => m,
        _ => minutes,
    }
}

/// Every reading of every value found in `text` (used to give facts their atoms).
pub(crate) fn atoms_of(text: &str) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::new();
    for f in extract(text) {
        for a in f.readings {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// What a set of facts allows an answer to say.
#[derive(Default)]
struct Allowed {
    money: HashSet<i64>,
    times: HashSet<u32>,
    dates: Vec<(Option<i32>, u32, u32)>,
    durations: HashSet<u32>,
    numbers: HashSet<i64>,
    phones: Vec<String>,
    emails: HashSet<String>,
    hosts: HashSet<String>,
    streets: HashSet<(String, String)>,
}

impl Allowed {
    fn add(&mut self, a: &Atom) {
        match a {
            Atom::Money { cents } => {
                self.money.insert(*cents);
                self.numbers.insert(*cents);
            }
            Atom::Time { minutes } => {
                self.times.insert(*minutes);
                let (h, m) = (i64::from(minutes / 60), i64::from(minutes % 60));
                self.numbers.insert(h * 100);
                self.numbers.insert(h * 100 + m);
                if h > 12 {
                    self.numbers.insert((h - 12) * 100);
                    self.numbers.insert((h - 12) * 100 + m);
                }
                if m > 0 {
                    self.numbers.insert(m * 100);
                }
            }
            Atom::Date { year, month, day } => {
                self.dates.push((*year, *month, *day));
                self.numbers.insert(i64::from(*day) * 100);
                self.numbers.insert(i64::from(*month) * 100);
                if let Some(y) = year {
                    self.numbers.insert(i64::from(*y) * 100);
                }
            }
            Atom::Duration { minutes } => {
                self.durations.insert(*minutes);
                self.numbers.insert(i64::from(*minutes) * 100);
                if minutes % 30 == 0 {
                    self.numbers.insert(i64::from(*minutes) * 100 / 60);
                }
            }
            Atom::Number { hundredths } => {
                self.numbers.insert(*hundredths);
            }
            Atom::Phone { digits } => self.phones.push(digits.clone()),
            Atom::Email { address } => {
                self.emails.insert(address.clone());
                if let Some((_, d)) = address.split_once('@') {
                    self.hosts.insert(d.to_string());
                }
            }
            Atom::Url { host } => {
                self.hosts.insert(host.clone());
            }
            Atom::Street { kind, name } => {
                self.streets.insert((kind.clone(), name.clone()));
            }
        }
    }

    fn allows(&self, a: &Atom) -> bool {
        match a {
            Atom::Money { cents } => self.money.contains(cents),
            Atom::Time { minutes } => self.times.contains(minutes),
            Atom::Date { year, month, day } => self
                .dates
                .iter()
                .any(|(y, m, d)| m == month && d == day && (y.is_none() || year.is_none() || y == year)),
            Atom::Duration { minutes } => self.durations.contains(minutes),
            Atom::Number { hundredths } => self.numbers.contains(hundredths),
            Atom::Phone { digits } => self.phones.iter().any(|p| {
                p == digits
                    || (digits.len() >= 9 && p.ends_with(digits.as_str()))
                    || (p.len() >= 9 && digits.ends_with(p.as_str()))
            }),
            Atom::Email { address } => self.emails.contains(address),
            Atom::Url { host } => self.hosts.contains(host),
            Atom::Street { kind, name } => self.streets.contains(&(kind.clone(), name.clone())),
        }
    }
}

/// Checks that every checkable value of `answer` appears in at least one of `facts`.
/// Returns the ungrounded spans of the answer as written ("€45", "10:30", "+34 600 000 000").
pub fn grounded(answer: &str, facts: &[&Fact]) -> Result<(), Vec<String>> {
    let mut allowed = Allowed::default();
    for f in facts {
        for a in &f.atoms {
            allowed.add(a);
        }
    }
    let mut bad: Vec<String> = Vec::new();
    for found in extract(answer) {
        if found.readings.is_empty() {
            continue;
        }
        if !found.readings.iter().any(|r| allowed.allows(r)) && !bad.contains(&found.text) {
            bad.push(found.text);
        }
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Fact, FactKind};

    fn fact(text: &str) -> Fact {
        Fact::from_text("t", FactKind::Faq, text)
    }

    fn check(answer: &str, facts: &[&str]) -> Result<(), Vec<String>> {
        let fs: Vec<Fact> = facts.iter().map(|t| fact(t)).collect();
        let refs: Vec<&Fact> = fs.iter().collect();
        grounded(answer, &refs)
    }

    #[test]
    fn prices_match_in_every_format() {
        let f = ["Women's haircut: €35.00, 45 minutes."];
        for a in ["It costs €35.", "It costs 35 €.", "Cuesta 35,00 €.", "35.00 EUR", "€35.00", "35 euros", "EUR 35"]
        {
            assert_eq!(check(a, &f), Ok(()), "{a}");
        }
        assert_eq!(check("It costs €45.", &f), Err(vec!["€45".to_string()]));
        assert_eq!(check("It costs 36,50 €.", &f), Err(vec!["36,50 €".to_string()]));
        // a price is not grounded by a mere number of the same value
        assert!(check("Only €12!", &["For children under 12."]).is_err());
        assert_eq!(check("Cuesta 1.234,56 €", &["Price: €1,234.56"]), Ok(()));
    }

    #[test]
    fn times_match_in_every_format() {
        let f = ["We are open Monday to Friday 09:00–19:00."];
        for a in [
            "We open at 9:00.",
            "We open at 09:00",
            "from 9am to 7pm",
            "from 9 a.m. to 7 p.m.",
            "de 9:00 a 19:00",
            "until 7",
            "a las 9h",
        ] {
            assert_eq!(check(a, &f), Ok(()), "{a}");
        }
        assert_eq!(check("We open at 8:30.", &f), Err(vec!["8:30".to_string()]));
        assert_eq!(check("We close at 8pm.", &f), Err(vec!["8pm".to_string()]));
        assert!(check("Open 09:00-20:00", &f).is_err());
    }

    #[test]
    fn dates_match_in_every_format() {
        let f = ["Closed on 2026-12-25 (Christmas Day)."];
        for a in [
            "We are closed on 25 December.",
            "Closed on December 25th, 2026.",
            "Cerramos el 25 de diciembre de 2026.",
            "Closed 25/12/2026",
            "closed on 25/12",
            "closed 12/25",
        ] {
            assert_eq!(check(a, &f), Ok(()), "{a}");
        }
        assert!(check("Closed on 24 December.", &f).is_err());
        assert!(check("Closed on 25 December 2027.", &f).is_err());
        assert!(check("Cerramos el 26/12", &f).is_err());
    }

    #[test]
    fn phones_emails_urls_and_streets() {
        let f = ["Call +34 910 123 456 or write to hola@demosalon.example; web https://www.demosalon.example/book. We are at Calle Mayor 12, 28013 Madrid."];
        for a in [
            "Call us on 910 123 456.",
            "Call +34910123456",
            "Llámanos al +34 910 12 34 56.",
            "Write to hola@demosalon.example.",
            "See demosalon.example",
            "See https://demosalon.example/prices",
            "We're at Calle Mayor 12.",
            "Our address: Calle Mayor 12, 28013 Madrid.",
        ] {
            assert_eq!(check(a, &f), Ok(()), "{a}");
        }
        assert_eq!(check("Call 910 123 457.", &f), Err(vec!["910 123 457".to_string()]));
        assert_eq!(check("Write to info@demosalon.example", &f), Err(vec!["info@demosalon.example".to_string()]));
        assert_eq!(check("Book on www.other-salon.com", &f), Err(vec!["www.other-salon.com".to_string()]));
        assert_eq!(check("We are at Calle Alcalá 5.", &f), Err(vec!["Calle Alcalá".to_string(), "5".to_string()]));
        assert_eq!(check("We are on Baker Street.", &f), Err(vec!["Baker Street".to_string()]));
        assert_eq!(check("Parking on Calle de Toledo", &["Car park on Calle Toledo 5"]), Ok(()));
    }

    #[test]
    fn durations_and_plain_numbers() {
        let f = ["Highlights take 90 minutes. Cancel 24 hours ahead or pay 50% of the price. Valid for 12 months."];
        for a in [
            "It takes 90 minutes.",
            "It takes 1 h 30 min.",
            "about 1.5 hours",
            "1h30",
            "24 hours before",
            "50%",
            "12 months",
            "It takes 90 min",
        ] {
            assert_eq!(check(a, &f), Ok(()), "{a}");
        }
        assert!(check("It takes 60 minutes.", &f).is_err());
        assert!(check("It takes 2 hours.", &f).is_err());
        assert!(check("48 hours before", &f).is_err());
        assert!(check("We have 7 stylists.", &f).is_err());
    }

    #[test]
    fn answers_without_numbers_never_fail() {
        let f: [&str; 0] = [];
        for a in [
            "Yes, children are welcome!",
            "Sí, aceptamos tarjeta y Bizum.",
            "We use products from Davines and Olaplex.",
            "Hi! How can I help you?",
            "Lo consulto con un compañero y te respondo enseguida.",
            "e.g. a wash, cut and blow-dry; Wi-Fi is free.",
            "Street parking is very limited.",
            "Visit us on the Street of Dreams? No. Plaza mayor is busy.",
            "",
        ] {
            assert_eq!(check(a, &f), Ok(()), "{a}");
        }
    }

    #[test]
    fn lists_report_each_ungrounded_value_once() {
        let f = ["Blow-dry €25.00"];
        assert_eq!(check("€25 or €30 or €30", &f), Err(vec!["€30".to_string()]));
    }
}

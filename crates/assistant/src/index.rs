//! The per-workspace index: facts, BM25 postings, the vocabulary for typo correction, and
//! the analysis of a customer's question into what must be matched.

use std::collections::{HashMap, HashSet};

use crate::calendar::month_from_word;
use crate::facts::{build_facts, week, Built, Fact, Source};
use crate::grounding::{extract, Atom};
use crate::knowledge::{Knowledge, Weekday};
use crate::text::{analyse, edit_distance, fold, lexicon, stem, words, Term, GREETINGS, THANKS};

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// A retrieved fact and its BM25 score.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    /// The fact.
    pub fact: &'a Fact,
    /// BM25 score (higher is better; only comparable within one query).
    pub score: f32,
}

/// The searchable form of one knowledge base. Cheap to build (build it again after each
/// change of the knowledge base); immutable and `Sync`, so one can be shared by threads.
pub struct Index {
    pub(crate) knowledge: Knowledge,
    pub(crate) facts: Vec<Built>,
    pub(crate) week: [Vec<(u32, u32)>; 7],
    postings: HashMap<String, Vec<(u32, u32)>>,
    doc_len: Vec<f32>,
    avgdl: f32,
    cover_postings: HashMap<String, Vec<u32>>,
    /// cover terms of all services' names (a slot for "any service" covers them)
    pub(crate) service_cover: HashSet<String>,
    vocab: HashSet<String>,
    fuzzy: HashMap<usize, Vec<(String, [u8; 27])>>,
}

/// A part of the day, for free slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DayPart {
    Morning,
    Afternoon,
}

/// A question, analysed.
#[derive(Debug)]
pub(crate) struct Query {
    pub terms: Vec<Term>,
    pub hints: HashSet<&'static str>,
    pub days: Vec<Weekday>,
    pub dates: Vec<(Option<i32>, u32, u32)>,
    /// 0 = today, 1 = tomorrow…
    pub relative: Option<i64>,
    pub daypart: Option<DayPart>,
    pub greeting: bool,
    pub thanks: bool,
    /// about the customer's own booking or order: only a person can tell
    pub personal: bool,
    /// every BM25 term of the question
    pub bm25: Vec<String>,
}

pub(crate) const ANY_SERVICE: &str = "*any-service";

impl Index {
    /// Builds the index of a knowledge base (invalid entries, e.g. a malformed time, are
    /// skipped: validate with [`Knowledge::validate`] before saving).
    pub fn build(knowledge: &Knowledge) -> Index {
        let facts = build_facts(knowledge);
        let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
        let mut cover_postings: HashMap<String, Vec<u32>> = HashMap::new();
        let mut doc_len = Vec::with_capacity(facts.len());
        for (i, b) in facts.iter().enumerate() {
            let mut tf: HashMap<&str, u32> = HashMap::new();
            for t in &b.bm25 {
                *tf.entry(t.as_str()).or_default() += 1;
            }
            for (t, n) in tf {
                postings.entry(t.to_string()).or_default().push((i as u32, n));
            }
            doc_len.push(b.bm25.len() as f32);
            for c in &b.cover {
                cover_postings.entry(c.clone()).or_default().push(i as u32);
            }
        }
        let avgdl = if doc_len.is_empty() { 1.0 } else { doc_len.iter().sum::<f32>() / doc_len.len() as f32 };
        let service_cover = facts
            .iter()
            .filter(|b| matches!(b.source, Source::Service(_)))
            .flat_map(|b| b.cover.iter().filter(|c| !matches!(c.as_str(), "#services" | "#price" | "#duration")))
            .cloned()
            .collect();
        let lex = lexicon();
        let mut vocab: HashSet<String> = HashSet::new();
        for b in &facts {
            for w in words(&b.fact.text_en).into_iter().chain(words(&b.fact.text_es)) {
                vocab.insert(w);
            }
        }
        for s in &knowledge.services {
            for n in std::iter::once(&s.name).chain(&s.aliases) {
                vocab.extend(words(n));
            }
        }
        let mut fuzzy: HashMap<usize, Vec<(String, [u8; 27])>> = HashMap::new();
        for w in vocab.iter().chain(lex.surface.iter()) {
            let n = w.chars().count();
            if n >= 4 && !lex.is_stop(w) && !w.chars().any(|c| c.is_ascii_digit()) {
                fuzzy.entry(n).or_default().push((w.clone(), letters(w)));
            }
        }
        for v in fuzzy.values_mut() {
            v.sort();
            v.dedup();
        }
        Index {
            week: week(knowledge),
            knowledge: knowledge.clone(),
            facts,
            postings,
            doc_len,
            avgdl,
            cover_postings,
            service_cover,
            vocab,
            fuzzy,
        }
    }

    /// The knowledge base this index was built from.
    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    /// All facts of the knowledge base.
    pub fn facts(&self) -> impl Iterator<Item = &Fact> {
        self.facts.iter().map(|b| &b.fact)
    }

    /// The fact with this id.
    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.facts().find(|f| f.id == id)
    }

    /// The `k` facts most relevant to `question` by BM25 (over stems and lexicon concepts,
    /// so "¿cuánto cuesta?" finds prices), best first; facts that share no term are left out.
    /// Used to build the prompt of an external model.
    pub fn retrieve(&self, question: &str, k: usize) -> Vec<Hit<'_>> {
        let q = self.analyse(question);
        let scores = self.bm25(&q.bm25);
        let mut hits: Vec<(usize, f32)> = scores.into_iter().filter(|(_, s)| *s > 0.0).collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.truncate(k);
        hits.into_iter().map(|(i, score)| Hit { fact: &self.facts[i].fact, score }).collect()
    }

    pub(crate) fn bm25(&self, terms: &[String]) -> HashMap<usize, f32> {
        let n = self.facts.len() as f32;
        let mut scores: HashMap<usize, f32> = HashMap::new();
        let mut seen = HashSet::new();
        for t in terms {
            if !seen.insert(t) {
                continue;
            }
            let Some(list) = self.postings.get(t) else { continue };
            let df = list.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for &(d, tf) in list {
                let tf = tf as f32;
                let norm = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * self.doc_len[d as usize] / self.avgdl));
                *scores.entry(d as usize).or_default() += idf * norm;
            }
        }
        scores
    }

    pub(crate) fn cover_df(&self, term: &str) -> usize {
        self.cover_postings.get(term).map(Vec::len).unwrap_or(0)
    }

    pub(crate) fn cover_list(&self, term: &str) -> &[u32] {
        self.cover_postings.get(term).map(Vec::as_slice).unwrap_or(&[])
    }

    fn known(&self, w: &str) -> bool {
        let lex = lexicon();
        if w.chars().count() < 5 || w.chars().any(|c| c.is_ascii_digit()) || lex.is_stop(w) || lex.is_known(w) {
            return true;
        }
        if self.vocab.contains(w) {
            return true;
        }
        let s = stem(w);
        !lex.senses(&s).is_empty() || lex.is_filler(&s) || self.cover_postings.contains_key(&s)
    }

    /// A misspelt word replaced by the one known word closest to it (one edit for words of
    /// 5–7 letters, two from 8), when there is exactly one such word.
    fn correct(&self, w: &str) -> Option<String> {
        if self.known(w) || month_from_word(w).is_some() {
            return None;
        }
        let n = w.chars().count();
        let max = if n >= 8 { 2 } else { 1 };
        let mut best: Option<(usize, String)> = None;
        let mut tie = false;
        let hist = letters(w);
        for len in n.saturating_sub(max)..=n + max {
            for (cand, h) in self.fuzzy.get(&len).map(Vec::as_slice).unwrap_or(&[]) {
                // one edit changes the letter counts by at most two: a cheap filter first
                let diff: usize = hist.iter().zip(h).map(|(a, b)| a.abs_diff(*b) as usize).sum();
                if diff > 2 * max {
                    continue;
                }
                let d = edit_distance(w, cand, max);
                if d > max {
                    continue;
                }
                match &best {
                    Some((bd, b)) if d == *bd && stem(b) != stem(cand) => tie = true,
                    Some((bd, _)) if d >= *bd => {}
                    _ => {
                        best = Some((d, cand.clone()));
                        tie = false;
                    }
                }
            }
        }
        match best {
            Some((_, c)) if !tie => Some(c),
            _ => None,
        }
    }

    /// Analyses a question: typo correction, clauses, dates, weekdays, lexicon terms.
    pub(crate) fn analyse(&self, question: &str) -> Query {
        let folded = fold(question);
        let mut ws: Vec<String> = Vec::new();
        let mut breaks: Vec<bool> = Vec::new();
        for seg in folded.split(['?', '.', ',', ';', '!', '¿', '¡', '\n', ':']) {
            for (j, w) in words(seg).into_iter().enumerate() {
                breaks.push(j == 0 && !ws.is_empty());
                ws.push(w);
            }
        }
        for w in ws.iter_mut() {
            if let Some(c) = self.correct(w) {
                *w = c;
            }
        }
        let mut dates = Vec::new();
        for f in extract(question) {
            if let Some(Atom::Date { year, month, day }) = f.readings.first() {
                dates.push((*year, *month, *day));
            }
        }
        let mut skip = vec![false; ws.len()];
        for (i, w) in ws.iter().enumerate() {
            let near_digit =
                |k: Option<usize>| k.and_then(|k| ws.get(k)).is_some_and(|x| x.chars().any(|c| c.is_ascii_digit()));
            let digit_around = near_digit(i.checked_sub(1))
                || near_digit(i.checked_sub(2))
                || near_digit(Some(i + 1))
                || near_digit(i.checked_sub(3));
            if let Some(m) = month_from_word(w) {
                if digit_around && dates.iter().any(|d| d.1 == m) {
                    skip[i] = true;
                }
            }
            if ["st", "nd", "rd", "th", "am", "pm", "h", "hrs"].contains(&w.as_str()) && near_digit(i.checked_sub(1)) {
                skip[i] = true;
            }
        }
        let terms = analyse(&ws, &skip, &breaks);
        let hints: HashSet<&'static str> = terms.iter().flat_map(|t| t.concepts.iter().copied()).collect();
        let mut days = Vec::new();
        for (c, d) in [
            ("#mon", Weekday::Mon),
            ("#tue", Weekday::Tue),
            ("#wed", Weekday::Wed),
            ("#thu", Weekday::Thu),
            ("#fri", Weekday::Fri),
            ("#sat", Weekday::Sat),
            ("#sun", Weekday::Sun),
        ] {
            if hints.contains(c) {
                days.push(d);
            }
        }
        if hints.contains("#weekend") {
            for d in [Weekday::Sat, Weekday::Sun] {
                if !days.contains(&d) {
                    days.push(d);
                }
            }
        }
        let has = |w: &str| ws.iter().any(|x| x == w);
        let mut relative = None;
        let mut daypart = None;
        for (i, w) in ws.iter().enumerate() {
            let prev = if i > 0 { ws[i - 1].as_str() } else { "" };
            match w.as_str() {
                "today" | "hoy" | "tonight" => relative = Some(0),
                "tomorrow" | "tmrw" | "tmr" => relative = Some(1),
                "manana" if prev == "pasado" => relative = Some(2),
                "manana" if prev == "la" || prev == "las" => daypart = Some(DayPart::Morning),
                "manana" => relative = Some(1),
                "morning" | "mornings" => daypart = Some(DayPart::Morning),
                "afternoon" | "evening" | "tarde" | "tardes" | "noche" => daypart = Some(DayPart::Afternoon),
                _ => {}
            }
        }
        let lex = lexicon();
        let content: Vec<&String> = ws.iter().filter(|w| !lex.is_stop(w)).collect();
        let greeting = !content.is_empty() && content.iter().all(|w| GREETINGS.contains(&w.as_str()));
        let thanks = !content.is_empty()
            && content.iter().any(|w| THANKS.contains(&w.as_str()))
            && content.iter().all(|w| THANKS.contains(&w.as_str()) || GREETINGS.contains(&w.as_str()));
        let booking_word = |w: &str| {
            lex.senses(&stem(w)).iter().any(|s| s.concept == "#book" && !s.weak)
                || ["order", "pedido", "bill", "factura", "invoice", "receipt", "ticket"].contains(&w)
        };
        let mut personal = has("booked") || has("rescheduled") || has("reservado") || has("reserve");
        for (i, w) in ws.iter().enumerate() {
            if ["my", "mi", "mis", "our", "nuestra", "nuestro"].contains(&w.as_str())
                || (["tengo", "tenia", "have", "had"].contains(&w.as_str())
                    && ws.get(i + 1).is_some_and(|x| x == "a" || x == "an" || x == "una"))
            {
                personal |= ws.iter().skip(i + 1).take(3).any(|x| booking_word(x));
            }
        }
        let mut bm25 = Vec::new();
        for t in &terms {
            bm25.extend(t.keys().map(str::to_string));
        }
        Query { terms, hints, days, dates, relative, daypart, greeting, thanks, personal, bm25 }
    }

    /// Whether fact `b` covers one analysed question term.
    pub(crate) fn covers(&self, b: &Built, t: &Term) -> bool {
        t.keys().any(|k| b.cover.binary_search_by(|c| c.as_str().cmp(k)).is_ok())
            || (b.cover.binary_search_by(|c| c.as_str().cmp(ANY_SERVICE)).is_ok()
                && t.keys().any(|k| self.service_cover.contains(k)))
    }
}

/// Letter counts (a–z, and one bucket for anything else), saturating.
fn letters(w: &str) -> [u8; 27] {
    let mut h = [0u8; 27];
    for c in w.chars() {
        let i = if c.is_ascii_lowercase() { (c as u8 - b'a') as usize } else { 26 };
        h[i] = h[i].saturating_add(1);
    }
    h
}

/// How well a fact's key (FAQ question, service name or alias, title) matches the needs:
/// the share of needs the key matches plus the share of the key the needs match; the best
/// alternative key counts (a literal word match adds a hair, to pick the alias to show).
/// Also returns which alternative.
pub(crate) fn key_score(b: &Built, needs: &[&Term]) -> (f32, usize) {
    let mut best = (0.0f32, 0usize);
    for (k, score) in key_scores(b, needs).into_iter().enumerate() {
        if score > best.0 {
            best = (score, k);
        }
    }
    best
}

/// [`key_score`] of every alternative key.
pub(crate) fn key_scores(b: &Built, needs: &[&Term]) -> Vec<f32> {
    let mut out = Vec::with_capacity(b.keys.len());
    for alt in &b.keys {
        if alt.is_empty() || needs.is_empty() {
            out.push(0.0);
            continue;
        }
        let matches = |n: &Term, item: &Vec<String>| n.keys().any(|x| item.iter().any(|i| i == x));
        let a = needs.iter().filter(|n| alt.iter().any(|item| matches(n, item))).count() as f32 / needs.len() as f32;
        let bb = alt.iter().filter(|item| needs.iter().any(|n| matches(n, item))).count() as f32 / alt.len() as f32;
        // words used as written beat synonyms, by a hair (it only picks the alias to show)
        let literal = alt
            .iter()
            .filter(|item| needs.iter().any(|n| n.stem.as_ref().is_some_and(|s| item.first() == Some(s))))
            .count();
        out.push(a + bb + 0.001 * literal as f32);
    }
    out
}

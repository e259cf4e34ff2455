//! Frontdesk's words in English and Spanish. Messages are Project Fluent (`.ftl`) files per
//! language under `locales/`, embedded in the binary and parsed once; plurals and variables are
//! Fluent's. A person's language is their own setting, else their browser's `Accept-Language`;
//! text for a customer uses the contact's language, else the workspace's.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;

/// A language Frontdesk speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// `en` / `es`, or a tag that starts with one (`es-ES`, `en_GB`), in any case.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The best language of an `Accept-Language` header (by its `q` weights, ties in order);
    /// `None` when it names none we speak.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut bits = part.split(';');
            let Some(lang) = bits.next().and_then(Lang::parse) else { continue };
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q=").and_then(|v| v.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i, lang));
            }
        }
        best.map(|(_, _, l)| l)
    }

    /// The language of a person: their own choice, else their browser's, else English.
    pub fn of_person(setting: Option<&str>, accept_language: Option<&str>) -> Lang {
        setting
            .and_then(Lang::parse)
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or_default()
    }
}

const SOURCES: [(Lang, &str); 2] =
    [(Lang::En, include_str!("../locales/en/main.ftl")), (Lang::Es, include_str!("../locales/es/main.ftl"))];

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| {
        SOURCES.map(|(l, text)| {
            let id: unic_langid::LanguageIdentifier = l.code().parse().expect("a language tag");
            let mut b = FluentBundle::new_concurrent(vec![id]);
            // Our words sit inside HTML we escape ourselves: no invisible isolation marks.
            b.set_use_isolating(false);
            let res = FluentResource::try_new(text.to_string()).unwrap_or_else(|(res, _)| res);
            let _ = b.add_resource(res);
            b
        })
    });
    &all[lang as usize]
}

/// The message `id` in `lang` with its variables; the English one when `lang` lacks it, and
/// the id itself (which a test forbids) when neither has it.
pub fn t(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    for l in [lang, Lang::En] {
        let b = bundle(l);
        if let Some(pattern) = b.get_message(id).and_then(|m| m.value()) {
            let mut fargs = FluentArgs::new();
            for (k, v) in args {
                match v {
                    Arg::Text(s) => fargs.set(*k, FluentValue::from(s.as_str())),
                    Arg::Number(n) => fargs.set(*k, FluentValue::from(*n)),
                }
            }
            let mut errors = vec![];
            return b.format_pattern(pattern, Some(&fargs), &mut errors).into_owned();
        }
    }
    id.to_string()
}

/// A variable of a message.
#[derive(Clone, Debug)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message ids of a catalogue, in file order (for the parity test).
    fn ids(text: &str) -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with([' ', '#', '\t', '*', '[']) && l.contains(" ="))
            .filter_map(|l| l.split(" =").next())
            .map(|id| id.trim().to_string())
            .collect()
    }

    #[test]
    fn every_catalogue_parses_and_both_languages_have_the_same_messages() {
        for (l, text) in SOURCES {
            if let Err((_, errors)) = FluentResource::try_new(text.to_string()) {
                panic!("{} does not parse: {errors:?}", l.code());
            }
        }
        let en = ids(SOURCES[0].1);
        let es = ids(SOURCES[1].1);
        let only_en: Vec<_> = en.iter().filter(|i| !es.contains(i)).collect();
        let only_es: Vec<_> = es.iter().filter(|i| !en.contains(i)).collect();
        assert!(only_en.is_empty() && only_es.is_empty(), "only in English: {only_en:?}; only in Spanish: {only_es:?}");
        assert!(en.len() > 20, "{en:?}");
    }

    #[test]
    fn messages_take_variables_and_plurals() {
        assert_eq!(t(Lang::Es, "nav-inbox", &[]), "Bandeja de entrada");
        assert_eq!(
            t(Lang::En, "home-hello", &[("name", "Ana".into()), ("workspace", "Salón".into())]),
            "Hello Ana. Here is your day at Salón."
        );
        assert_eq!(t(Lang::Es, "contacts-count", &[("count", 0.into())]), "Ningún contacto");
        assert_eq!(t(Lang::Es, "contacts-count", &[("count", 1.into())]), "1 contacto");
        assert_eq!(t(Lang::En, "contacts-count", &[("count", 12.into())]), "12 contacts");
        assert_eq!(t(Lang::Es, "home-open", &[("count", 3.into())]), "conversaciones abiertas");
        assert_eq!(t(Lang::Es, "no-such-message", &[]), "no-such-message");
    }

    #[test]
    fn a_persons_language_is_their_setting_then_their_browsers() {
        assert_eq!(Lang::from_accept_language("es-ES,es;q=0.9,en;q=0.8"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("fr-FR, en;q=0.5, es;q=0.7"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language("es;q=0, en"), Some(Lang::En));
        assert_eq!(Lang::of_person(Some("en"), Some("es")), Lang::En);
        assert_eq!(Lang::of_person(None, Some("es-MX")), Lang::Es);
        assert_eq!(Lang::of_person(Some("xx"), None), Lang::En);
        assert_eq!(Lang::parse("ES_es"), Some(Lang::Es));
    }
}

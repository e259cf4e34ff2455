//! Frontdesk's words in English and Spanish. Messages are Project Fluent (`.ftl`) files per
//! language under `locales/`, embedded in the binary and parsed once; plurals and variables are
//! Fluent's. A person's language is their own setting, else their browser's `Accept-Language`;
//! text for a customer uses the contact's language, else the workspace's.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::cell::Cell;
use std::sync::OnceLock;

pub use frontdesk_core::lang::Lang;

/// The catalogues, one file per part of the product, in every language (the same file names).
macro_rules! catalogues {
    ($($name:literal),+ $(,)?) => {
        /// (language, [(file, text)]).
        pub const SOURCES: [(Lang, &[(&str, &str)]); 2] = [
            (Lang::En, &[$(($name, include_str!(concat!("../locales/en/", $name, ".ftl")))),+]),
            (Lang::Es, &[$(($name, include_str!(concat!("../locales/es/", $name, ".ftl")))),+]),
        ];
    };
}

catalogues!["main", "platform", "mail", "inbox", "contacts", "assistant", "errors", "customer"];

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| {
        SOURCES.map(|(l, files)| {
            let id: unic_langid::LanguageIdentifier = l.code().parse().expect("a language tag");
            let mut b = FluentBundle::new_concurrent(vec![id]);
            // Our words sit inside HTML we escape ourselves: no invisible isolation marks.
            b.set_use_isolating(false);
            for (_, text) in files {
                let res = FluentResource::try_new(text.to_string()).unwrap_or_else(|(res, _)| res);
                // A message defined twice keeps its first text (a test forbids it anyway).
                b.add_resource_overriding(res);
            }
            b
        })
    });
    &all[lang as usize]
}

tokio::task_local! {
    static CURRENT: Cell<Lang>;
}

/// Runs `f` with `lang` as the current language (a request's: its person's or browser's).
pub async fn scope<F: std::future::Future>(lang: Lang, f: F) -> F::Output {
    CURRENT.scope(Cell::new(lang), f).await
}

/// The current request's language (English outside a request).
pub fn current() -> Lang {
    CURRENT.try_with(Cell::get).unwrap_or_default()
}

/// Changes the current request's language (once the signed-in person's own setting is known).
pub fn set_current(lang: Lang) {
    let _ = CURRENT.try_with(|c| c.set(lang));
}

/// Whether `lang` has the message `id`.
pub fn has(lang: Lang, id: &str) -> bool {
    bundle(lang).has_message(id)
}

/// The text of an error for a person: the catalogue's `error-{code}` in `lang`, else the
/// error's own English message.
pub fn error_text(lang: Lang, code: &str, english: &str) -> String {
    let id = format!("error-{}", code.replace('_', "-"));
    if has(lang, &id) {
        t(lang, &id, &[])
    } else {
        english.to_string()
    }
}

/// `t!("id")` or `t!("id", name = value, …)`: a message in the current language.
#[macro_export]
macro_rules! t {
    ($id:expr) => { $crate::t($crate::current(), $id, &[]) };
    ($id:expr, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::t($crate::current(), $id, &[$((stringify!($k), $crate::Arg::from($v))),+])
    };
}

/// `tl!(lang, "id", name = value, …)`: a message in a given language (mails, customers).
#[macro_export]
macro_rules! tl {
    ($lang:expr, $id:expr) => { $crate::t($lang, $id, &[]) };
    ($lang:expr, $id:expr, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::t($lang, $id, &[$((stringify!($k), $crate::Arg::from($v))),+])
    };
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

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

macro_rules! number_arg {
    ($($t:ty),+) => { $(impl From<$t> for Arg {
        fn from(n: $t) -> Self {
            Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
        }
    })+ };
}
number_arg!(i64, i32, u32, u64, usize);

#[cfg(test)]
mod tests {
    use super::*;

    /// The message ids of a catalogue, in file order (for the parity test).
    fn ids(text: &str) -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with([' ', '#', '\t', '*', '[', '.']) && l.contains(" ="))
            .filter_map(|l| l.split(" =").next())
            .map(|id| id.trim().to_string())
            .collect()
    }

    #[test]
    fn every_catalogue_parses_and_both_languages_have_the_same_messages() {
        let mut all = std::collections::HashSet::new();
        for (l, files) in SOURCES {
            for (name, text) in files {
                if let Err((_, errors)) = FluentResource::try_new(text.to_string()) {
                    panic!("{}/{name}.ftl does not parse: {errors:?}", l.code());
                }
            }
        }
        for (i, (name, en_text)) in SOURCES[0].1.iter().enumerate() {
            let (es_name, es_text) = SOURCES[1].1[i];
            assert_eq!(*name, es_name);
            let en = ids(en_text);
            let es = ids(es_text);
            let only_en: Vec<_> = en.iter().filter(|i| !es.contains(i)).collect();
            let only_es: Vec<_> = es.iter().filter(|i| !en.contains(i)).collect();
            assert!(
                only_en.is_empty() && only_es.is_empty(),
                "{name}.ftl: only in English: {only_en:?}; only in Spanish: {only_es:?}"
            );
            for id in en {
                assert!(all.insert(id.clone()), "{id} is defined twice (again in {name}.ftl)");
            }
        }
        assert!(all.len() > 20);
    }

    /// Every message the code asks for (`t!("…")`, `tl!(lang, "…")`, `i18n::t(lang, "…")`)
    /// exists, so no page can show a raw id.
    #[test]
    fn every_message_the_code_uses_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut missing = vec![];
        let mut seen = 0;
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    if !p.ends_with("target") && !p.ends_with("node_modules") {
                        stack.push(p);
                    }
                    continue;
                }
                if p.extension().is_none_or(|x| x != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                for id in used_ids(&text) {
                    seen += 1;
                    if !has(Lang::En, &id) || !has(Lang::Es, &id) {
                        missing.push(format!("{}: {id}", p.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "messages used but not in both catalogues: {missing:#?}");
        assert!(seen > 0);
    }

    /// The literal ids in `t!("id"`, `tl!(x, "id"` and `t(x, "id"` calls.
    fn used_ids(text: &str) -> Vec<String> {
        let mut out = vec![];
        for (i, _) in text.match_indices("t!(") {
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            if text[line_start..i].trim_start().starts_with("//") {
                continue;
            }
            let before = text[..i].chars().last();
            let rest = &text[i + 3..];
            let rest = if before == Some('l') {
                match rest.find(',') {
                    Some(c) => &rest[c + 1..],
                    None => continue,
                }
            } else if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            } else {
                rest
            };
            let rest = rest.trim_start();
            if let Some(r) = rest.strip_prefix('"') {
                if let Some(end) = r.find('"') {
                    let id = &r[..end];
                    if !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                        out.push(id.to_string());
                    }
                }
            }
        }
        out
    }

    #[test]
    fn messages_take_variables_and_plurals() {
        assert_eq!(t(Lang::Es, "nav-inbox", &[]), "Bandeja de entrada");
        assert_eq!(
            t(Lang::En, "home-hello", &[("name", "Ana".into()), ("workspace", "Salón".into())]),
            "Hello Ana. Here is your day at Salón."
        );
        assert_eq!(tl!(Lang::Es, "contacts-count", count = 0), "Ningún contacto");
        assert_eq!(tl!(Lang::Es, "contacts-count", count = 1), "1 contacto");
        assert_eq!(tl!(Lang::En, "contacts-count", count = 12), "12 contacts");
        assert_eq!(t(Lang::Es, "home-open", &[("count", 3.into())]), "conversaciones abiertas");
        assert_eq!(t(Lang::Es, "no-such-message", &[]), "no-such-message");
    }

    #[tokio::test]
    async fn the_current_language_belongs_to_its_request() {
        assert_eq!(current(), Lang::En);
        let inside = scope(Lang::Es, async {
            let a = t!("nav-inbox");
            set_current(Lang::En);
            (a, t!("nav-inbox"))
        })
        .await;
        assert_eq!(inside, ("Bandeja de entrada".to_string(), "Inbox".to_string()));
        assert_eq!(current(), Lang::En);
        assert_eq!(error_text(Lang::Es, "no_such_code", "As it was."), "As it was.");
    }
}

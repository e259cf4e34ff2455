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

catalogues![
    "main",
    "platform",
    "mail",
    "inbox",
    "contacts",
    "assistant",
    "phones",
    "errors",
    "customer",
    "bookings",
    "booking_public",
    "billing",
    "privacy",
    "invoices"
];

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

/// The text of an error for a person. In English, the error's own message: the sentence the code
/// wrote, with its values. In another language, the catalogue's `error-{code}` (`_` written `-`),
/// a sentence that needs no values (one for all the messages of a code); for `not_found`, whose
/// message names the thing ("The logo was not found."), `error-not-found-{thing}` first
/// (`error-not-found-logo`). Without an entry, the English message.
pub fn error_text(lang: Lang, code: &str, english: &str) -> String {
    if lang == Lang::En {
        return english.to_string();
    }
    let id = format!("error-{}", code.replace('_', "-"));
    if code == "not_found" {
        if let Some(thing) = english.strip_suffix(" was not found.") {
            let specific = format!("{id}-{}", thing_id(thing));
            if has(lang, &specific) {
                return t(lang, &specific, &[]);
            }
        }
    }
    if has(lang, &id) {
        t(lang, &id, &[])
    } else {
        english.to_string()
    }
}

/// The id part of a thing `not_found` names: "The API token" → `api-token`.
fn thing_id(thing: &str) -> String {
    let thing = thing.trim();
    let thing = thing.strip_prefix("The ").unwrap_or(thing).to_lowercase();
    thing.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-")
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
        assert_eq!(error_text(Lang::En, "internal", "As it was."), "As it was.");
    }

    #[test]
    fn errors_speak_english_as_written_and_spanish_from_the_catalogue() {
        // English pages keep the error's own sentence, values and all.
        let en = error_text(Lang::En, "too_long", "At most 200 characters.");
        assert_eq!(en, "At most 200 characters.");
        assert_eq!(error_text(Lang::En, "not_found", "The logo was not found."), "The logo was not found.");
        assert_eq!(error_text(Lang::Es, "unauthenticated", "Sign in to continue."), "Inicia sesión para continuar.");
        assert_eq!(error_text(Lang::Es, "too_long", "At most 200 characters."), "El texto es demasiado largo.");
        // not_found names the thing when the catalogue knows it, else says it in general.
        assert_eq!(
            error_text(Lang::Es, "not_found", "The API token was not found."),
            "No se ha encontrado el token de API."
        );
        assert_eq!(error_text(Lang::Es, "not_found", "The logo was not found."), "No se ha encontrado el logo.");
        assert_eq!(error_text(Lang::Es, "not_found", "The moon was not found."), "No se ha encontrado lo que buscas.");
        assert_eq!(thing_id("The saved reply"), "saved-reply");
    }

    /// Every error code the code constructs (`AppError::new(kind, "code", …)`,
    /// `AppError::invalid("field", "code", …)`, `Invalid::new("field", "code", …)`, the fixed
    /// codes of `AppError`'s own helpers, local helpers taking a `code` first, codes chosen by a
    /// `match`, an enum's `code()` arms next to its `message()`) and every thing
    /// `AppError::not_found("The …")` names has its sentence in Spanish (and, by parity, in
    /// English); the English entry of a code with a single fixed message is that message.
    #[test]
    fn every_error_code_has_its_sentence() {
        let uses = error_uses();
        let mut missing = vec![];
        let mut messages: std::collections::BTreeMap<String, Vec<Option<String>>> = Default::default();
        for (at, id, message) in &uses {
            if !has(Lang::Es, id) || !has(Lang::En, id) {
                missing.push(format!("{at}: {id}"));
            }
            messages.entry(id.clone()).or_default().push(message.clone());
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "error codes without an entry in errors.ftl: {missing:#?}");
        let mut stale = vec![];
        for (id, msgs) in &messages {
            let Some(Some(first)) = msgs.first() else { continue };
            if msgs.iter().all(|m| m.as_ref() == Some(first)) && has(Lang::En, id) {
                let en = t(Lang::En, id, &[]);
                if en != *first {
                    stale.push(format!("{id}: the code says {first:?}, en/errors.ftl {en:?}"));
                }
            }
        }
        assert!(stale.is_empty(), "English entries that differ from the code's message: {stale:#?}");
        // The scan sees every way codes are made (a broken pattern would pass silently).
        for id in [
            "error-internal",
            "error-not-found-thread",
            "error-invalid-email",
            "error-invitation-expired",
            "error-provider-timeout",
            "error-not-utf8",
            "error-reply-window-closed",
            "error-invalid-knowledge",
        ] {
            assert!(messages.contains_key(id), "the scan did not find {id}");
        }
        assert!(messages.len() > 100, "only {} error codes found", messages.len());
    }

    /// (where, `error-…` id, the English message when it is a fixed string) of every error the
    /// sources under `crates/*/src` construct.
    fn error_uses() -> Vec<(String, String, Option<String>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut out = vec![];
        let mut stack: Vec<_> = std::fs::read_dir(&root)
            .expect("the crates directory")
            .flatten()
            // This crate makes no errors (its tests spell the patterns out).
            .filter(|e| e.file_name() != "i18n")
            .map(|e| e.path().join("src"))
            .filter(|p| p.is_dir())
            .collect();
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    let name = p.strip_prefix(&root).unwrap_or(&p).display().to_string();
                    for (code, message) in error_codes(&text) {
                        out.push((name.clone(), code, message));
                    }
                }
            }
        }
        out
    }

    /// The `error-…` ids (with fixed English messages) of the errors one source file makes.
    fn error_codes(text: &str) -> Vec<(String, Option<String>)> {
        let id = |code: &str| format!("error-{}", code.replace('_', "-"));
        let mut out = vec![];
        // (call, index of the code argument); the message follows the code.
        let mut calls: Vec<(String, usize)> =
            vec![("AppError::new(".into(), 1), ("AppError::invalid(".into(), 1), ("Invalid::new(".into(), 1)];
        if text.contains("impl AppError {") {
            calls.extend([("Self::new(".into(), 1), ("Self::invalid(".into(), 1)]);
        }
        calls.extend(wrappers(text).into_iter().map(|w| (format!("{w}("), 0)));
        for (call, at) in &calls {
            for args in calls_of(text, call) {
                if let Some(code) = args.get(*at).and_then(|a| literal(a)).filter(|c| is_code(c)) {
                    out.push((id(&code), args.get(at + 1).and_then(|a| literal(a))));
                }
            }
        }
        for args in calls_of(text, "AppError::not_found(") {
            if let Some(thing) = args.first().and_then(|a| literal(a)) {
                out.push((format!("error-not-found-{}", thing_id(&thing)), Some(format!("{thing} was not found."))));
            }
        }
        // let code: &'static str = match … { "x" => "code", … }
        for (i, _) in text.match_indices("let code: &'static str = match") {
            for code in block(&text[i..]).map(arm_literals).unwrap_or_default().into_iter().map(|(_, c)| c) {
                out.push((id(&code), None));
            }
        }
        // An enum's `fn code(self) -> &'static str { Self::X => "code", … }` beside its
        // `fn message(self) -> &'static str { Self::X => "sentence", … }`.
        let body_of = |f: &str| text.find(f).and_then(|i| block(&text[i..])).map(arm_literals);
        if let (Some(codes), Some(msgs)) =
            (body_of("fn code(self) -> &'static str"), body_of("fn message(self) -> &'static str"))
        {
            for (variant, code) in codes {
                let message = msgs.iter().find(|(v, _)| *v == variant).map(|(_, m)| m.clone());
                out.push((id(&code), message));
            }
        }
        out
    }

    /// Local helpers that make an error from a `code` first argument: `fn NAME(code: …) … {…}`
    /// and `let NAME = |code, …| …;` whose body builds an `AppError` or another `…Error {`.
    fn wrappers(text: &str) -> Vec<String> {
        let mut out = vec![];
        for (i, _) in text.match_indices("code") {
            let after = &text[i + 4..];
            if !after.starts_with([':', ',', '|']) {
                continue;
            }
            let before = text[..i].trim_end();
            let (head, keyword, end) = if let Some(b) = before.strip_suffix('(') {
                (b, "fn", "\n}")
            } else if let Some(b) = before.strip_suffix('|').and_then(|b| b.trim_end().strip_suffix('=')) {
                (b, "let", ";")
            } else {
                continue;
            };
            let head = head.trim_end();
            let start = head.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |n| n + 1);
            let name = &head[start..];
            if name.is_empty() || !head[..start].trim_end().ends_with(keyword) {
                continue;
            }
            let body = &after[..after.find(end).unwrap_or(after.len())];
            if body.contains("AppError") || body.contains("Error {") {
                out.push(name.to_string());
            }
        }
        out
    }

    /// The arguments of every call of `call` (which ends with its `(`), as source text, outside
    /// comments; a bare name must not be the end of a longer name, a path or a method.
    fn calls_of<'a>(text: &'a str, call: &str) -> Vec<Vec<&'a str>> {
        let bare = !call.contains("::");
        let mut out = vec![];
        for (i, _) in text.match_indices(call) {
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            if text[line_start..i].trim_start().starts_with("//") {
                continue;
            }
            let prev = text[..i].chars().last();
            if prev.is_some_and(|c| c.is_alphanumeric() || c == '_' || (bare && (c == ':' || c == '.'))) {
                continue;
            }
            if bare && text[..i].trim_end().ends_with("fn") {
                continue;
            }
            if let Some(args) = arguments(&text[i + call.len()..]) {
                out.push(args);
            }
        }
        out
    }

    /// The top-level comma-separated arguments of a call whose `(` was just before `rest`.
    fn arguments(rest: &str) -> Option<Vec<&str>> {
        let mut args = vec![];
        let (mut depth, mut start, mut in_str, mut escaped) = (0usize, 0, false, false);
        let bytes = rest.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if in_str {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_str = false,
                    _ => {}
                }
            } else {
                match c {
                    b'"' => in_str = true,
                    // A character literal such as '(' or '"' (not a lifetime such as 'static).
                    b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' if depth == 0 => {
                        args.push(rest[start..i].trim());
                        return Some(args.into_iter().filter(|a| !a.is_empty()).collect());
                    }
                    b')' | b']' | b'}' => depth -= 1,
                    b',' if depth == 0 => {
                        args.push(rest[start..i].trim());
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        None
    }

    /// The text of a plain string literal argument (`"…"`, escapes undone), if it is one.
    fn literal(arg: &str) -> Option<String> {
        let inner = arg.trim().strip_prefix('"')?.strip_suffix('"')?;
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(e) => out.push(e),
                    None => {}
                }
            } else if c == '"' {
                // Not one literal (`"a" + "b"`, `"a".len() + "b"`).
                return None;
            } else {
                out.push(c);
            }
        }
        Some(out)
    }

    fn is_code(s: &str) -> bool {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }

    /// The text inside the first `{ … }` block of `text` (braces in strings are not counted).
    fn block(text: &str) -> Option<&str> {
        let open = text.find('{')?;
        let mut depth = 0;
        let mut in_str = false;
        let mut escaped = false;
        for (i, c) in text[open..].char_indices() {
            if in_str {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(&text[open + 1..open + i]);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The match arms of a block as (what is matched, the first string literal after `=>`).
    fn arm_literals(body: &str) -> Vec<(String, String)> {
        let mut out = vec![];
        let mut rest = body;
        while let Some(arrow) = rest.find("=>") {
            let pattern = rest[..arrow].rsplit([',', '{', '\n']).next().unwrap_or("").trim().to_string();
            let after = &rest[arrow + 2..];
            let next = after.find("=>").unwrap_or(after.len());
            if let Some(q) = after[..next].find('"') {
                if let Some(end) = after[q + 1..].find('"') {
                    out.push((pattern, after[q + 1..q + 1 + end].to_string()));
                }
            }
            rest = after;
        }
        out
    }
}

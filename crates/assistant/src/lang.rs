//! The customer's language: English or Spanish, detected with stop words, accents,
//! `¿`/`¡` and the lexicon's own words.

use serde::{Deserialize, Serialize};

use crate::text::{fold, lexicon, words};

/// A language the assistant answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Spanish.
    Es,
}

const EN_MARKERS: &[&str] = &[
    "the", "is", "are", "do", "does", "did", "you", "your", "u", "ur", "what", "whats", "how", "where", "when", "can",
    "could", "would", "i", "my", "we", "have", "has", "hi", "hello", "hey", "thanks", "thank", "please", "pls", "much",
    "to", "of", "and", "for", "on", "in", "it", "with", "there", "any", "an", "which", "who", "will", "be", "at",
    "from", "this", "that", "want", "like", "get", "need", "im", "dont", "wanna", "know", "tell",
];

const ES_MARKERS: &[&str] = &[
    "que", "q", "de", "la", "el", "los", "las", "por", "para", "con", "una", "un", "es", "esta", "estais", "hola",
    "gracias", "cuanto", "cuanta", "donde", "cuando", "como", "tienen", "teneis", "hay", "puedo", "mi", "mis", "su",
    "vuestro", "vuestra", "quiero", "porfa", "buenas", "y", "se", "os", "del", "al", "muy", "pero", "si", "tambien",
    "hacer", "haceis", "hacen", "podeis", "cual", "sois", "soy", "estoy", "necesito", "queria", "quisiera", "vale",
    "tengo", "mucho", "muchas", "usted", "ustedes", "hasta", "desde", "sin", "ya", "lo", "le", "nos", "alguien",
];

impl Lang {
    /// Detects the language of a customer message (English when nothing points to Spanish).
    pub fn detect(text: &str) -> Lang {
        detect_opt(text).unwrap_or_default()
    }

    /// `"en"` or `"es"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// Parses `"en"`, `"es"` (also `"en-GB"`, `"es_ES"`, `"English"`, `"español"`…).
    pub fn parse(s: &str) -> Option<Lang> {
        let f = fold(s.trim());
        let head: String = f.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        match head.as_str() {
            "en" | "eng" | "english" | "ingles" => Some(Lang::En),
            "es" | "spa" | "spanish" | "espanol" | "castellano" => Some(Lang::Es),
            _ => None,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Detects the language when there is evidence for one; `None` on a tie or no signal.
pub(crate) fn detect_opt(text: &str) -> Option<Lang> {
    let lex = lexicon();
    let mut en = 0i32;
    let mut es = 0i32;
    if text.contains('¿') || text.contains('¡') {
        es += 3;
    }
    if text.chars().any(|c| matches!(c, 'ñ' | 'Ñ' | 'á' | 'é' | 'í' | 'ó' | 'ú' | 'Á' | 'É' | 'Í' | 'Ó' | 'Ú'))
    {
        es += 2;
    }
    for w in words(text) {
        if EN_MARKERS.contains(&w.as_str()) || lex.en_words.contains(&w) {
            en += 1;
        }
        if ES_MARKERS.contains(&w.as_str()) || lex.es_words.contains(&w) {
            es += 1;
        }
    }
    match en.cmp(&es) {
        std::cmp::Ordering::Greater => Some(Lang::En),
        std::cmp::Ordering::Less => Some(Lang::Es),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_spanish_and_english_in_chat_style() {
        for q in [
            "¿A qué hora abrís?",
            "a q hora abris mañana",
            "cuanto cuesta el tinte",
            "precios?",
            "hola",
            "donde estais",
            "teneis wifi",
            "horario",
            "me pasas con alguien?",
        ] {
            assert_eq!(Lang::detect(q), Lang::Es, "{q}");
        }
        for q in [
            "what time do you open",
            "r u open on sundays?",
            "how much is a haircut",
            "prices?",
            "hi",
            "where are you",
            "do u take bizum",
            "phone number pls",
        ] {
            assert_eq!(Lang::detect(q), Lang::En, "{q}");
        }
    }

    #[test]
    fn no_signal_means_english_and_none_internally() {
        assert_eq!(Lang::detect("bizum"), Lang::En);
        assert_eq!(detect_opt("bizum"), None);
        assert_eq!(detect_opt("???"), None);
        assert_eq!(Lang::detect(""), Lang::En);
    }

    #[test]
    fn parses_and_prints_codes() {
        assert_eq!(Lang::parse("es"), Some(Lang::Es));
        assert_eq!(Lang::parse("es-ES"), Some(Lang::Es));
        assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("Español"), Some(Lang::Es));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::Es.as_str(), "es");
        assert_eq!(Lang::En.to_string(), "en");
    }
}

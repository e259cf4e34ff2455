//! Text normalisation shared by the index, the intent detection and the language detection:
//! lower-casing and accent folding, word splitting, light EN/ES stemming, stop words, filler
//! words and the concept lexicon (synonyms and intents, both languages, both ways).
//!
//! Folding is total and consistent: `á é í ó ú ü` fold to their base letter and `ñ` folds to
//! `n` (customers often type without accents, so "ninos" must meet "niños").

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Lower-cases and folds accents (`á`→`a`, `ñ`→`n`, `ç`→`c`, `ü`→`u`).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        for l in c.to_lowercase() {
            out.push(fold_char(l));
        }
    }
    out
}

fn fold_char(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        '’' | '‘' | '´' | '`' => '\'',
        other => other,
    }
}

/// Splits folded text into words: runs of letters and digits. Apostrophes split
/// ("women's" → "women", "s"); single letters are kept (they may be chat shorthand like "q").
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in folded.chars() {
        if c.is_alphanumeric() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Light stemmer for English and Spanish, applied to already folded words. It only has to
/// be consistent (the same on the knowledge side and on the question side), not linguistic:
/// plural `-s`/`-es`, `-ing`, `-ed`, `-mente`, a final `-e` and `-y`→`i`, plus a few
/// irregular plurals.
pub fn stem(word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_string();
    }
    if let Some(s) = irregular(word) {
        return s.to_string();
    }
    let mut s: String = word.to_string();
    let len = |s: &str| s.chars().count();
    if len(&s) >= 8 && s.ends_with("mente") {
        s.truncate(s.len() - 5);
    } else if len(&s) >= 6 && (s.ends_with("ing") || s.ends_with("ed")) {
        // "closed", "closing" → "clos" like "close"; nothing more to strip
        s.truncate(s.len() - if s.ends_with("ing") { 3 } else { 2 });
        if s.ends_with('y') {
            s.pop();
            s.push('i');
        }
        return s;
    }
    if len(&s) >= 4 && s.ends_with('s') && !s.ends_with("ss") {
        s.pop();
    }
    // ("calle" stays apart from "call")
    if len(&s) >= 4 && s.ends_with('e') && !s.ends_with("lle") {
        s.pop();
    }
    if len(&s) >= 4 && s.ends_with('y') {
        s.pop();
        s.push('i');
    }
    s
}

fn irregular(word: &str) -> Option<&'static str> {
    Some(match word {
        "women" | "womens" | "woman" => "woman",
        "men" | "mens" | "man" => "man",
        "children" | "childrens" | "child" => "child",
        "people" | "person" | "persons" => "person",
        "kids" | "kid" => "kid",
        _ => return None,
    })
}

const STOP_EN: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "if",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "about",
    "as",
    "into",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "am",
    "do",
    "does",
    "did",
    "doing",
    "have",
    "has",
    "had",
    "i",
    "me",
    "my",
    "mine",
    "we",
    "our",
    "ours",
    "us",
    "you",
    "your",
    "yours",
    "u",
    "ur",
    "r",
    "ya",
    "he",
    "she",
    "it",
    "its",
    "they",
    "them",
    "their",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "what",
    "whats",
    "wat",
    "which",
    "who",
    "whom",
    "whose",
    "how",
    "hows",
    "why",
    "can",
    "could",
    "would",
    "should",
    "will",
    "shall",
    "may",
    "might",
    "must",
    "just",
    "so",
    "too",
    "very",
    "also",
    "any",
    "anything",
    "some",
    "something",
    "all",
    "no",
    "not",
    "yes",
    "please",
    "pls",
    "plz",
    "pl",
    "s",
    "t",
    "d",
    "ll",
    "re",
    "ve",
    "m",
    "im",
    "id",
    "dont",
    "don",
    "isn",
    "aren",
    "doesn",
    "than",
    "then",
    "now",
    "only",
    "again",
    "still",
    "much",
    "many",
    "more",
    "most",
    "other",
    "else",
    "one",
    "ones",
    "bit",
    "lot",
    "lots",
    "kind",
    "sort",
    "type",
    "types",
    "k",
    "b",
    "c",
    "n",
    "y",
];

const STOP_ES: &[&str] = &[
    "a",
    "al",
    "algo",
    "algun",
    "alguna",
    "algunos",
    "algunas",
    "ante",
    "con",
    "contra",
    "de",
    "del",
    "desde",
    "el",
    "la",
    "lo",
    "los",
    "las",
    "le",
    "les",
    "me",
    "mi",
    "mis",
    "te",
    "tu",
    "tus",
    "su",
    "sus",
    "se",
    "nos",
    "os",
    "vos",
    "vosotros",
    "vosotras",
    "vuestro",
    "vuestra",
    "vuestros",
    "vuestras",
    "nuestro",
    "nuestra",
    "nuestros",
    "nuestras",
    "usted",
    "ustedes",
    "yo",
    "en",
    "entre",
    "hacia",
    "hasta",
    "para",
    "pa",
    "por",
    "porque",
    "pero",
    "que",
    "q",
    "k",
    "cual",
    "cuales",
    "como",
    "un",
    "una",
    "uno",
    "unos",
    "y",
    "o",
    "u",
    "e",
    "es",
    "son",
    "esta",
    "estan",
    "estais",
    "estas",
    "estamos",
    "estoy",
    "ser",
    "hay",
    "habra",
    "tiene",
    "tienen",
    "teneis",
    "tenes",
    "tienes",
    "tengo",
    "tenemos",
    "tendria",
    "tendrias",
    "tendreis",
    "puedo",
    "puede",
    "pueden",
    "podeis",
    "podria",
    "podrias",
    "podriais",
    "quiero",
    "queria",
    "quisiera",
    "necesito",
    "necesitaria",
    "porfa",
    "porfavor",
    "favor",
    "ya",
    "si",
    "no",
    "muy",
    "mas",
    "tambien",
    "tb",
    "tmb",
    "bien",
    "eso",
    "esto",
    "ese",
    "este",
    "esa",
    "hacer",
    "haceis",
    "hacen",
    "hace",
    "haces",
    "hago",
    "sobre",
    "sin",
    "solo",
    "todo",
    "todos",
    "toda",
    "todas",
    "mucho",
    "muchos",
    "otro",
    "otra",
    "otros",
    "alguno",
    "xq",
    "pq",
    "d",
    "x",
    "ahi",
    "aqui",
    "alli",
    "eh",
    "ah",
    "pues",
    "entonces",
    "sea",
    "fue",
    "era",
    "ha",
    "he",
    "han",
    "habeis",
    "sabeis",
    "sabes",
];

const FILLERS: &[&str] = &[
    // the business itself and its trade: never the point of a question
    "hair",
    "salon",
    "shop",
    "place",
    "business",
    "store",
    "studio",
    "pelo",
    "cabello",
    "peluqueria",
    "local",
    "sitio",
    "tienda",
    "negocio",
    "establecimiento",
    "estudio",
    "car",
    "coche",
    // vague time words (the intent decides what to do with them)
    "today",
    "tomorrow",
    "tmrw",
    "tmr",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "night",
    "week",
    "day",
    "days",
    "now",
    "currently",
    "usually",
    "normally",
    "hoy",
    "manana",
    "tarde",
    "noche",
    "semana",
    "dia",
    "ahora",
    "normalmente",
    "actualmente",
    // conversational verbs and words
    "exactly",
    "actually",
    "really",
    "possible",
    "info",
    "information",
    "question",
    "ask",
    "wondering",
    "wonder",
    "help",
    "guys",
    "folks",
    "go",
    "going",
    "come",
    "coming",
    "get",
    "getting",
    "bring",
    "take",
    "taking",
    "accept",
    "make",
    "use",
    "using",
    "need",
    "want",
    "wanna",
    "like",
    "love",
    "let",
    "see",
    "check",
    "look",
    "looking",
    "mind",
    "sure",
    "say",
    "tell",
    "know",
    "think",
    "wanted",
    "hoping",
    "hope",
    "offered",
    "anyone",
    "anybody",
    "near",
    "nearby",
    "nearest",
    "closest",
    "around",
    "cercano",
    "cercana",
    "exacto",
    "exactamente",
    "info",
    "informacion",
    "pregunta",
    "preguntar",
    "ayuda",
    "ayudar",
    "chicos",
    "ir",
    "voy",
    "vamos",
    "venir",
    "vengo",
    "llevar",
    "llevo",
    "traer",
    "traigo",
    "aceptais",
    "aceptan",
    "acepta",
    "aceptar",
    "usais",
    "usan",
    "usa",
    "usar",
    "utilizais",
    "utilizan",
    "gustaria",
    "encantaria",
    "saber",
    "decir",
    "decirme",
    "dime",
    "mirar",
    "ver",
    "cerca",
    "alrededor",
    "hola",
    "buenas",
    "buenos",
    "hi",
    "hello",
    "hey",
    "thanks",
    "thank",
    "thx",
    "gracias",
    "cheers",
    "ok",
    "okay",
    "vale",
    "atendeis",
    "atienden",
    "atender",
    "posible",
    "puedes",
    "pueda",
    "podemos",
    "falta",
    "tener",
    "give",
    "giv",
    "send",
    "dar",
    "das",
    "dais",
    "dame",
    "darme",
    "enviar",
    "envias",
    "mandar",
    "mandas",
    "somewhere",
    "anywhere",
    "lugar",
    "happen",
    "happens",
    "pasa",
    "pasaria",
    "ocurre",
];

/// One concept of the lexicon: a canonical term (`#price`) and the words and phrases that
/// evoke it in English and Spanish. A *weak* entry only counts when the question has nothing
/// more specific ("where?" asks for the address, "where can I park?" does not).
struct Group {
    concept: &'static str,
    weak: bool,
    en: &'static [&'static str],
    es: &'static [&'static str],
}

macro_rules! g {
    ($c:expr, $w:expr, [$($en:expr),* $(,)?], [$($es:expr),* $(,)?]) => {
        Group { concept: $c, weak: $w, en: &[$($en),*], es: &[$($es),*] }
    };
}

static GROUPS: &[Group] = &[
    g!(
        "#price",
        false,
        [
            "price",
            "prices",
            "pricing",
            "cost",
            "costs",
            "how much",
            "charge",
            "fee",
            "fees",
            "rate",
            "rates",
            "expensive",
            "cheap",
            "euro",
            "euros",
            "price list"
        ],
        [
            "precio",
            "precios",
            "cuesta",
            "cuestan",
            "costar",
            "cuanto vale",
            "cuanto valen",
            "que vale",
            "cobrais",
            "cobran",
            "cobrar",
            "cobra",
            "tarifa",
            "tarifas",
            "caro",
            "barato",
            "coste",
            "costo",
            "lista de precios",
            "cuanto es",
            "cuanto sale"
        ]
    ),
    g!("#price", true, [], ["cuanto", "cuanta"]),
    g!(
        "#duration",
        false,
        ["how long", "duration", "how many minutes", "how many hours", "last long"],
        [
            "dura",
            "duran",
            "duracion",
            "tarda",
            "tardan",
            "tardais",
            "cuanto tiempo",
            "cuantos minutos",
            "cuantas horas"
        ]
    ),
    g!(
        "#hours",
        false,
        [
            "opening hours",
            "open",
            "opens",
            "opening",
            "close",
            "closes",
            "closing",
            "closed",
            "schedule",
            "timetable",
            "business hours",
            "working hours"
        ],
        [
            "horario", "horarios", "apertura", "abren", "abris", "abre", "abrir", "abierto", "abiertos", "abierta",
            "abrimos", "cierran", "cierra", "cerrais", "cerrar", "cerrado", "cerrados", "cierre", "cerramos"
        ]
    ),
    g!(
        "#hours",
        true,
        ["what time", "when", "hours", "hour"],
        ["a que hora", "a q hora", "que hora", "cuando", "hora", "horas", "hasta que hora"]
    ),
    // "Since when are you open?" asks about the business's history, not its hours: the phrase
    // is its own concept, so an hours fact never answers it on its own.
    g!(
        "#founded",
        false,
        ["since when", "how long have you been", "how many years", "founded", "established", "opened in"],
        ["desde cuando", "desde hace cuanto", "cuantos anos", "fundada", "fundado", "fundasteis", "inaugurada"]
    ),
    g!(
        "#address",
        false,
        ["address", "located", "location", "situated", "street", "find you", "get to you", "get there", "directions"],
        ["direccion", "ubicacion", "ubicados", "ubicado", "situados", "calle", "llegar", "como llego"]
    ),
    g!("#address", true, ["where", "wheres"], ["donde"]),
    g!(
        "#phone",
        false,
        ["phone", "telephone", "tel", "phone number", "call", "ring"],
        ["telefono", "movil", "llamar", "llamaros", "llamo", "llamaros", "numero de telefono"]
    ),
    g!("#phone", true, ["number"], ["numero"]),
    g!("#contact", false, ["contact", "reach you", "get in touch"], ["contacto", "contactar", "contactaros"]),
    g!("#email", false, ["email", "e mail", "mail"], ["correo", "correo electronico", "mail"]),
    g!("#website", false, ["website", "web site", "web", "webpage", "url"], ["pagina web", "web", "pagina"]),
    g!(
        "#language",
        false,
        ["language", "languages", "speak"],
        ["idioma", "idiomas", "hablais", "hablan", "habla", "hablas", "lengua", "lenguas"]
    ),
    g!(
        "#langname",
        false,
        [
            "english",
            "spanish",
            "french",
            "german",
            "italian",
            "portuguese",
            "catalan",
            "chinese",
            "arabic",
            "russian",
            "dutch",
            "japanese"
        ],
        [
            "ingles",
            "espanol",
            "castellano",
            "frances",
            "aleman",
            "italiano",
            "portugues",
            "chino",
            "arabe",
            "ruso",
            "holandes",
            "japones"
        ]
    ),
    g!(
        "#services",
        false,
        ["service", "services", "menu", "price list", "treatments"],
        ["servicio", "servicios", "carta", "tratamientos"]
    ),
    g!("#services", true, ["offer", "provide"], ["ofreceis", "ofrecen", "ofrece", "ofreces"]),
    g!(
        "#book",
        false,
        [
            "book",
            "booking",
            "appointment",
            "appointments",
            "reserve",
            "reservation",
            "slot",
            "slots",
            "availability",
            "free slot",
            "schedule me",
            "have time",
            "any time for"
        ],
        [
            "cita",
            "citas",
            "reservar",
            "reserva",
            "reservo",
            "turno",
            "hueco",
            "huecos",
            "disponibilidad",
            "pedir cita",
            "coger cita",
            "teneis tiempo",
            "tienes tiempo",
            "tienen tiempo"
        ]
    ),
    // not weak: "free" must be matched ("is the wifi free?" yes, "can I park for free?" no)
    g!("#book", false, ["available", "free"], ["disponible", "disponibles", "libre", "libres"]),
    g!(
        "#walkin",
        false,
        [
            "walk in",
            "walk ins",
            "without appointment",
            "without an appointment",
            "without booking",
            "no appointment",
            "drop in"
        ],
        ["sin cita", "sin reserva", "sin cita previa"]
    ),
    g!(
        "#holiday",
        false,
        ["holiday", "holidays", "bank holiday", "public holiday"],
        ["festivo", "festivos", "dias festivos", "fiesta", "fiestas"]
    ),
    g!("#christmas", false, ["christmas", "xmas"], ["navidad", "navidades"]),
    g!("#newyear", false, ["new year", "new years"], ["ano nuevo"]),
    g!("#mon", false, ["monday", "mondays", "mon"], ["lunes"]),
    g!("#tue", false, ["tuesday", "tuesdays", "tue", "tues"], ["martes"]),
    g!("#wed", false, ["wednesday", "wednesdays", "wed"], ["miercoles"]),
    g!("#thu", false, ["thursday", "thursdays", "thu", "thurs"], ["jueves"]),
    g!("#fri", false, ["friday", "fridays", "fri"], ["viernes"]),
    g!("#sat", false, ["saturday", "saturdays", "sat"], ["sabado", "sabados"]),
    g!("#sun", false, ["sunday", "sundays", "sun"], ["domingo", "domingos"]),
    g!("#weekend", false, ["weekend", "weekends"], ["fin de semana", "finde", "fines de semana"]),
    g!(
        "#weekdays",
        false,
        ["weekdays", "weekday", "during the week"],
        ["entre semana", "laborables", "dias laborables"]
    ),
    g!(
        "#park",
        false,
        ["park", "parking", "car park", "garage", "parking lot"],
        [
            "aparcar",
            "aparcamiento",
            "aparcamientos",
            "parking",
            "parquin",
            "garaje",
            "estacionar",
            "estacionamiento",
            "parking publico"
        ]
    ),
    g!(
        "#pay",
        false,
        ["pay", "payment", "payments", "payment methods", "cash"],
        ["pagar", "pago", "pagos", "metodos de pago", "formas de pago", "efectivo", "pagais"]
    ),
    g!(
        "#card",
        false,
        ["card", "cards", "credit card", "debit card", "contactless"],
        ["tarjeta", "tarjetas", "credito", "debito"]
    ),
    g!(
        "#cancel",
        false,
        [
            "cancel",
            "cancellation",
            "cancellations",
            "cancelling",
            "canceling",
            "reschedule",
            "no show",
            "no shows",
            "dont show up",
            "don t show up",
            "do not show up",
            "not show up",
            "didn t show up"
        ],
        [
            "cancelar",
            "cancelacion",
            "cancelaciones",
            "anular",
            "anulacion",
            "cancelo",
            "no me presento",
            "no presentarme",
            "no vengo",
            "no aparezco"
        ]
    ),
    g!(
        "#policy",
        false,
        ["policy", "policies", "rules", "conditions", "terms"],
        ["politica", "politicas", "normas", "condiciones"]
    ),
    g!("#advance", false, ["in advance", "advance", "ahead", "notice"], ["antelacion", "anticipacion"]),
    g!(
        "#child",
        false,
        ["child", "children", "kid", "kids", "baby", "babies", "toddler"],
        [
            "nino", "nina", "ninos", "ninas", "hijo", "hijos", "hija", "hijas", "infantil", "bebe", "bebes", "crio",
            "crios", "peques"
        ]
    ),
    g!("#product", false, ["product", "products", "brand", "brands"], ["producto", "productos", "marca", "marcas"]),
    g!(
        "#sell",
        false,
        ["sell", "sold", "buy", "purchase"],
        ["vender", "venden", "vendeis", "vende", "venta", "comprar", "compro"]
    ),
    g!(
        "#gift",
        false,
        ["gift", "gift card", "gift cards", "voucher", "vouchers", "gift voucher", "gift certificate"],
        ["regalo", "regalos", "tarjeta regalo", "tarjetas regalo", "cheque regalo", "bono regalo", "vale regalo"]
    ),
    g!("#wifi", false, ["wifi", "wi fi", "internet", "wireless"], ["wifi", "wi fi", "internet"]),
    g!(
        "#access",
        false,
        ["wheelchair", "accessible", "accessibility", "step free", "disabled", "ramp", "reduced mobility"],
        [
            "silla de ruedas",
            "accesible",
            "accesibilidad",
            "minusvalido",
            "discapacitado",
            "movilidad reducida",
            "rampa"
        ]
    ),
    g!(
        "#clean",
        false,
        ["clean", "cleaning", "hygiene", "hygienic", "disinfect", "sanitise", "sanitize", "sterilise", "sterilize"],
        [
            "higiene",
            "limpieza",
            "limpiar",
            "limpiais",
            "limpio",
            "desinfectar",
            "desinfectais",
            "desinfeccion",
            "esterilizar"
        ]
    ),
    // hair and beauty trade words, the most common kind of small service business here
    g!(
        "#haircut",
        false,
        ["haircut", "haircuts", "hair cut", "cut", "cuts"],
        ["corte", "cortes", "corte de pelo", "cortar", "cortarme el pelo", "cortar el pelo"]
    ),
    g!(
        "#woman",
        false,
        ["woman", "women", "womens", "lady", "ladies", "female"],
        ["mujer", "mujeres", "senora", "senoras", "dama", "chica"]
    ),
    g!(
        "#man",
        false,
        ["man", "men", "mens", "gentleman", "gentlemen", "male"],
        ["hombre", "hombres", "caballero", "caballeros", "chico"]
    ),
    g!(
        "#colour",
        false,
        ["colour", "color", "colouring", "coloring", "dye", "tint"],
        ["tinte", "tintes", "coloracion", "color", "tenir"]
    ),
    g!("#highlights", false, ["highlights", "highlight"], ["mechas", "reflejos"]),
    g!("#blowdry", false, ["blow dry", "blowdry", "blow out", "blowout"], ["peinado", "secado", "brushing", "peinar"]),
    g!("#beard", false, ["beard"], ["barba"]),
    g!("#nails", false, ["nails", "nail", "manicure", "manicures"], ["unas", "manicura", "manicuras"]),
];

/// Greeting words (a message made only of these gets a greeting back).
pub(crate) const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "hola",
    "buenas",
    "buenos",
    "dias",
    "tardes",
    "noches",
    "good",
    "morning",
    "afternoon",
    "evening",
    "there",
    "holaa",
    "ey",
];

/// Thanks and acknowledgements.
pub(crate) const THANKS: &[&str] = &[
    "thanks",
    "thank",
    "thx",
    "ty",
    "cheers",
    "gracias",
    "muchas",
    "mil",
    "ok",
    "okay",
    "vale",
    "perfect",
    "perfecto",
    "genial",
    "great",
    "awesome",
    "cool",
    "lot",
    "bye",
    "adios",
    "chao",
    "luego",
    "guay",
    "estupendo",
];

/// A lexicon hit: concept and whether the entry was weak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sense {
    pub concept: &'static str,
    pub weak: bool,
}

pub(crate) struct Lexicon {
    /// single word (by stem) → senses
    single: HashMap<String, Vec<Sense>>,
    /// phrases (as stems), longest first
    phrases: Vec<(Vec<String>, Sense)>,
    stop: HashSet<&'static str>,
    fillers: HashSet<String>,
    /// folded surface words typical of each language (for language detection)
    pub en_words: HashSet<String>,
    pub es_words: HashSet<String>,
    /// every surface word the lexicon knows (for typo correction)
    pub surface: HashSet<String>,
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(build_lexicon)
}

fn build_lexicon() -> Lexicon {
    let mut single: HashMap<String, Vec<Sense>> = HashMap::new();
    let mut phrases = Vec::new();
    let mut en_words = HashSet::new();
    let mut es_words = HashSet::new();
    let mut surface = HashSet::new();
    for g in GROUPS {
        let sense = Sense { concept: g.concept, weak: g.weak };
        for (list, is_en) in [(g.en, true), (g.es, false)] {
            for term in list {
                let ws = words(term);
                for w in &ws {
                    surface.insert(w.clone());
                }
                if ws.len() == 1 {
                    let e = single.entry(stem(&ws[0])).or_default();
                    if !e.contains(&sense) {
                        e.push(sense);
                    }
                    if is_en {
                        en_words.insert(ws[0].clone());
                    } else {
                        es_words.insert(ws[0].clone());
                    }
                } else {
                    phrases.push((ws.iter().map(|w| stem(w)).collect::<Vec<_>>(), sense));
                }
            }
        }
    }
    // words in both lists say nothing about the language
    let both: Vec<String> = en_words.intersection(&es_words).cloned().collect();
    for w in both {
        en_words.remove(&w);
        es_words.remove(&w);
    }
    phrases.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    let stop: HashSet<&'static str> = STOP_EN.iter().chain(STOP_ES.iter()).copied().collect();
    for w in STOP_EN.iter().chain(STOP_ES).chain(FILLERS) {
        for x in words(w) {
            surface.insert(x);
        }
    }
    let fillers = FILLERS.iter().map(|w| stem(&fold(w))).collect();
    Lexicon { single, phrases, stop, fillers, en_words, es_words, surface }
}

impl Lexicon {
    pub fn is_stop(&self, folded_word: &str) -> bool {
        self.stop.contains(folded_word)
    }
    pub fn is_filler(&self, stem: &str) -> bool {
        self.fillers.contains(stem)
    }
    pub fn senses(&self, stem: &str) -> &[Sense] {
        self.single.get(stem).map(|v| v.as_slice()).unwrap_or(&[])
    }
    /// Longest phrase starting at `i` in a sequence of stems: (length, sense).
    pub fn phrase_at(&self, stems: &[String], i: usize) -> Option<(usize, Sense)> {
        self.phrases
            .iter()
            .find(|(p, _)| p.len() <= stems.len() - i && p.iter().zip(&stems[i..]).all(|(a, b)| a == b))
            .map(|(p, s)| (p.len(), *s))
    }
    /// The words of `text` that the language detector counts, per language.
    pub fn is_known(&self, folded_word: &str) -> bool {
        self.surface.contains(folded_word)
    }
}

/// One analysed term of a text: what must be matched (its stem or any of its concepts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    /// The stem, or `None` when the term is a phrase (only its concept counts).
    pub stem: Option<String>,
    pub concepts: Vec<&'static str>,
    pub weak: bool,
    /// index of the clause the term belongs to
    pub clause: usize,
    /// the folded surface word(s)
    pub surface: String,
}

impl Term {
    /// The index keys this term can be matched by.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.stem.as_deref().into_iter().chain(self.concepts.iter().copied())
    }
}

const CLAUSE_BREAKS: &[&str] = &["and", "or", "y", "o", "also", "plus", "tambien", "e", "additionally", "ademas"];

/// Analyses text into terms: phrases first (longest match), then single words; stop words
/// and filler words are dropped, digits are dropped (dates and times are handled apart).
/// `skip` marks word positions consumed by someone else (e.g. a date).
pub(crate) fn analyse(words: &[String], skip: &[bool], breaks: &[bool]) -> Vec<Term> {
    let lex = lexicon();
    let stems: Vec<String> = words.iter().map(|w| stem(w)).collect();
    let mut out = Vec::new();
    let mut clause = 0usize;
    let mut i = 0;
    while i < words.len() {
        if breaks.get(i).copied().unwrap_or(false) {
            clause += 1;
        }
        if skip.get(i).copied().unwrap_or(false) {
            i += 1;
            continue;
        }
        if let Some((n, sense)) = lex.phrase_at(&stems, i) {
            if (i..i + n).all(|j| !skip.get(j).copied().unwrap_or(false)) {
                out.push(Term {
                    stem: None,
                    concepts: vec![sense.concept],
                    weak: sense.weak,
                    clause,
                    surface: words[i..i + n].join(" "),
                });
                i += n;
                continue;
            }
        }
        let w = &words[i];
        if CLAUSE_BREAKS.contains(&w.as_str()) {
            clause += 1;
            i += 1;
            continue;
        }
        if lex.is_stop(w) || w.chars().any(|c| c.is_ascii_digit()) {
            i += 1;
            continue;
        }
        let s = &stems[i];
        let senses = lex.senses(s);
        if senses.is_empty() && (lex.is_filler(s) || w.chars().count() < 2) {
            i += 1;
            continue;
        }
        let weak = !senses.is_empty() && senses.iter().all(|x| x.weak);
        out.push(Term {
            stem: Some(s.clone()),
            concepts: senses.iter().map(|x| x.concept).collect(),
            weak,
            clause,
            surface: w.clone(),
        });
        i += 1;
    }
    out
}

/// Index terms of a knowledge text: every stem and concept (weak ones too), with repeats
/// (term frequency).
pub(crate) fn index_terms(text: &str) -> Vec<String> {
    let ws = words(text);
    let terms = analyse(&ws, &[], &[]);
    let mut out = Vec::with_capacity(terms.len() * 2);
    for t in terms {
        if let Some(s) = t.stem {
            out.push(s);
        }
        for c in t.concepts {
            out.push(c.to_string());
        }
    }
    out
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), bounded:
/// returns `max + 1` as soon as the distance is known to exceed `max`.
pub(crate) fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(t: &str) -> Vec<String> {
        words(t).iter().map(|w| stem(w)).collect()
    }

    #[test]
    fn folding_lowercases_and_removes_accents() {
        assert_eq!(fold("¿Cuánto CUESTA el Tinte? Niños, pingüino"), "¿cuanto cuesta el tinte? ninos, pinguino");
        assert_eq!(words("Women's haircut: €35,00!"), vec!["women", "s", "haircut", "35", "00"]);
        assert_eq!(words("¿Abrís mañana?"), vec!["abris", "manana"]);
    }

    #[test]
    fn stemming_is_consistent_across_forms() {
        assert_eq!(stem("prices"), stem("price"));
        assert_eq!(stem("closed"), stem("close"));
        assert_eq!(stem("closing"), stem("closes"));
        assert_eq!(stem("opening"), "open");
        assert_eq!(stem("haircuts"), "haircut");
        assert_eq!(stem("mujeres"), stem("mujer"));
        assert_eq!(stem("colores"), stem("color"));
        assert_eq!(stem("cancelaciones"), stem("cancelacion"));
        assert_eq!(stem("ninos"), stem("nino"));
        assert_eq!(stem("holidays"), stem("holiday"));
        assert_eq!(stem("rapidamente"), "rapida");
        assert_eq!(stem("women"), stem("womens"));
        assert_eq!(stem("2026"), "2026");
        assert_eq!(stems("Tintes"), stems("tinte"));
        assert_ne!(stem("calle"), stem("call"));
    }

    #[test]
    fn analysis_drops_stop_words_and_finds_concepts_in_both_languages() {
        let t = analyse(&words("how much is a women's haircut?"), &[], &[]);
        let concepts: Vec<_> = t.iter().flat_map(|t| t.concepts.clone()).collect();
        assert!(concepts.contains(&"#price"));
        assert!(concepts.contains(&"#woman"));
        assert!(concepts.contains(&"#haircut"));
        let t = analyse(&words("¿Cuánto cuesta un corte de pelo de mujer?"), &[], &[]);
        let concepts: Vec<_> = t.iter().flat_map(|t| t.concepts.clone()).collect();
        assert!(concepts.contains(&"#price") && concepts.contains(&"#haircut") && concepts.contains(&"#woman"));
        // "where" alone is weak, "address" is not
        let t = analyse(&words("where can i park"), &[], &[]);
        assert!(t.iter().any(|t| t.weak && t.concepts == vec!["#address"]));
        assert!(t.iter().any(|t| !t.weak && t.concepts.contains(&"#park")));
        // a phrase consumes its words
        let t = analyse(&words("do you sell gift cards"), &[], &[]);
        assert!(t.iter().any(|t| t.stem.is_none() && t.concepts == vec!["#gift"]));
        assert!(!t.iter().any(|t| t.concepts.contains(&"#card")));
        // unknown words stay as plain terms (they must be matched by the knowledge)
        let t = analyse(&words("do you do tattoos"), &[], &[]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].stem.as_deref(), Some("tattoo"));
        assert!(t[0].concepts.is_empty());
    }

    #[test]
    fn synonyms_expand_both_ways() {
        for q in ["cost", "precio", "how much", "cuesta", "cuanto vale", "charge"] {
            assert!(index_terms(q).contains(&"#price".to_string()), "{q}");
        }
        for q in ["opening hours", "horario", "abren", "cierran", "abierto", "open", "closed"] {
            assert!(index_terms(q).contains(&"#hours".to_string()), "{q}");
        }
        for q in ["address", "dirección", "ubicación", "located"] {
            assert!(index_terms(q).contains(&"#address".to_string()), "{q}");
        }
        for q in ["phone", "teléfono", "llamar", "call"] {
            assert!(index_terms(q).contains(&"#phone".to_string()), "{q}");
        }
        for q in ["book", "appointment", "slot", "cita", "reservar", "hueco", "disponibilidad"] {
            assert!(index_terms(q).contains(&"#book".to_string()), "{q}");
        }
    }

    #[test]
    fn edit_distance_counts_transpositions_as_one() {
        assert_eq!(edit_distance("parkin", "parking", 2), 1);
        assert_eq!(edit_distance("adress", "address", 2), 1);
        assert_eq!(edit_distance("wheelchiar", "wheelchair", 2), 1);
        assert_eq!(edit_distance("kitten", "sitting", 1), 2);
        assert_eq!(edit_distance("abc", "abc", 0), 0);
    }
}

//! The business's knowledge base as the app stores it (JSON), its validation, and the demo
//! knowledge base of "Demo Salon".

use serde::{Deserialize, Serialize};

use crate::calendar::{parse_hhmm, Date};

/// Day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday
    Mon,
    /// Tuesday
    Tue,
    /// Wednesday
    Wed,
    /// Thursday
    Thu,
    /// Friday
    Fri,
    /// Saturday
    Sat,
    /// Sunday
    Sun,
}

impl Weekday {
    /// Monday first.
    pub const ALL: [Weekday; 7] =
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

    /// 0 for Monday … 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Opening hours of one day: `open`–`close` as `HH:MM`. A day may appear more than once
/// (split shifts); a day that does not appear is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DayHours {
    /// The day.
    pub day: Weekday,
    /// Opening time, `HH:MM`.
    pub open: String,
    /// Closing time, `HH:MM`, after `open`.
    pub close: String,
}

/// A date the business is closed (`YYYY-MM-DD`), with an optional note ("Christmas Day").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Holiday {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// What the day is, as the business wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Who the business is and when and where it works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct Profile {
    /// Business name.
    pub name: String,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Contact phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Contact email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Website URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Weekly opening hours; empty means "not given" (the assistant then hands over).
    #[serde(default)]
    pub hours: Vec<DayHours>,
    /// Dates the business is closed.
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    /// Languages spoken at the business ("English", "Spanish").
    #[serde(default)]
    pub languages: Vec<String>,
}

fn default_currency() -> String {
    "EUR".into()
}

/// One service of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Service {
    /// Name ("Women's haircut").
    pub name: String,
    /// Other names customers use, in any language ("Corte de mujer").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Price in cents; `None` = no price given (the assistant never guesses one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_cents: Option<i64>,
    /// ISO 4217 code, `EUR` by default.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// Duration in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_min: Option<u32>,
}

/// A question the business answered once, to be reused as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Faq {
    /// The question.
    pub question: String,
    /// The business's answer, sent as written.
    pub answer: String,
}

/// A free text (policies, "about us"), split into passages of a few sentences and indexed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Document {
    /// Title.
    pub title: String,
    /// Body, plain text.
    pub body: String,
}

/// Everything the assistant may say: the only source of its answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
pub struct Knowledge {
    /// Name, contact, hours, holidays, languages.
    pub profile: Profile,
    /// The service catalogue.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Questions and answers.
    #[serde(default)]
    pub faq: Vec<Faq>,
    /// Longer texts.
    #[serde(default)]
    pub documents: Vec<Document>,
}

/// One validation problem: where (`services[3].price_cents`), a stable code and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Path of the offending field.
    pub field: String,
    /// Stable machine code (`too_long`, `time_format`, `open_after_close`…).
    pub code: String,
    /// Human explanation (English).
    pub message: String,
}

/// Limits enforced by [`Knowledge::validate`].
pub mod limits {
    /// Services in the catalogue.
    pub const MAX_SERVICES: usize = 500;
    /// FAQ entries.
    pub const MAX_FAQ: usize = 500;
    /// Documents.
    pub const MAX_DOCUMENTS: usize = 200;
    /// Bytes per document body.
    pub const MAX_DOCUMENT_BYTES: usize = 100 * 1024;
    /// Bytes of a name, title or FAQ question.
    pub const MAX_SHORT: usize = 300;
    /// Bytes of a description or FAQ answer.
    pub const MAX_TEXT: usize = 5_000;
    /// Aliases per service.
    pub const MAX_ALIASES: usize = 20;
    /// Opening-hours rows.
    pub const MAX_HOURS: usize = 50;
    /// Holidays.
    pub const MAX_HOLIDAYS: usize = 400;
    /// Languages.
    pub const MAX_LANGUAGES: usize = 30;
    /// Largest price, in cents (ten million units).
    pub const MAX_PRICE_CENTS: i64 = 1_000_000_000;
    /// Longest duration, in minutes.
    pub const MAX_DURATION_MIN: u32 = 24 * 60;
}

struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.0.push(Problem { field: field.into(), code: code.into(), message: message.into() });
    }
    fn text(&mut self, field: String, value: &str, max: usize, required: bool) {
        if required && value.trim().is_empty() {
            self.push(field, "required", "must not be empty");
        } else if value.len() > max {
            self.push(field, "too_long", format!("at most {max} bytes"));
        } else if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
            self.push(field, "control_chars", "must not contain control characters");
        }
    }
    fn count(&mut self, field: &str, n: usize, max: usize) {
        if n > max {
            self.push(field, "too_many", format!("at most {max} entries"));
        }
    }
}

impl Knowledge {
    /// Checks formats and bounds; returns every problem found (not just the first).
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        use limits::*;
        let mut p = Problems(Vec::new());
        let pr = &self.profile;
        p.text("profile.name".into(), &pr.name, MAX_SHORT, true);
        if let Some(a) = &pr.address {
            p.text("profile.address".into(), a, MAX_SHORT, true);
        }
        if let Some(ph) = &pr.phone {
            let digits = ph.chars().filter(char::is_ascii_digit).count();
            let ok_chars = ph.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
            if !ok_chars || !(6..=15).contains(&digits) {
                p.push("profile.phone", "phone_format", "digits, spaces, + - ( ) . only, 6 to 15 digits");
            }
        }
        if let Some(e) = &pr.email {
            let ok = e.len() <= 254
                && e.split_once('@').is_some_and(|(l, d)| {
                    !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !d.contains('@')
                })
                && !e.chars().any(char::is_whitespace);
            if !ok {
                p.push("profile.email", "email_format", "not an email address");
            }
        }
        if let Some(w) = &pr.website {
            p.text("profile.website".into(), w, MAX_SHORT, true);
            if w.chars().any(char::is_whitespace) || !w.contains('.') {
                p.push("profile.website", "url_format", "not a web address");
            }
        }
        p.count("profile.hours", pr.hours.len(), MAX_HOURS);
        for (i, h) in pr.hours.iter().enumerate() {
            let (o, c) = (parse_hhmm(&h.open), parse_hhmm(&h.close));
            if o.is_none() {
                p.push(format!("profile.hours[{i}].open"), "time_format", "expected HH:MM (24 h)");
            }
            if c.is_none() {
                p.push(format!("profile.hours[{i}].close"), "time_format", "expected HH:MM (24 h)");
            }
            if let (Some(o), Some(c)) = (o, c) {
                if o >= c {
                    p.push(format!("profile.hours[{i}]"), "open_after_close", "opening must be before closing");
                }
                for (j, g) in pr.hours.iter().enumerate().take(i) {
                    if let (true, Some(go), Some(gc)) = (g.day == h.day, parse_hhmm(&g.open), parse_hhmm(&g.close)) {
                        if o < gc && go < c {
                            p.push(format!("profile.hours[{i}]"), "overlap", format!("overlaps profile.hours[{j}]"));
                        }
                    }
                }
            }
        }
        p.count("profile.holidays", pr.holidays.len(), MAX_HOLIDAYS);
        for (i, h) in pr.holidays.iter().enumerate() {
            if Date::parse(&h.date).is_none() {
                p.push(format!("profile.holidays[{i}].date"), "date_format", "expected a real date YYYY-MM-DD");
            }
            if let Some(n) = &h.note {
                p.text(format!("profile.holidays[{i}].note"), n, MAX_SHORT, false);
            }
        }
        p.count("profile.languages", pr.languages.len(), MAX_LANGUAGES);
        for (i, l) in pr.languages.iter().enumerate() {
            p.text(format!("profile.languages[{i}]"), l, 60, true);
        }
        p.count("services", self.services.len(), MAX_SERVICES);
        for (i, s) in self.services.iter().enumerate() {
            p.text(format!("services[{i}].name"), &s.name, MAX_SHORT, true);
            p.count(&format!("services[{i}].aliases"), s.aliases.len(), MAX_ALIASES);
            for (j, a) in s.aliases.iter().enumerate() {
                p.text(format!("services[{i}].aliases[{j}]"), a, MAX_SHORT, true);
            }
            if let Some(d) = &s.description {
                p.text(format!("services[{i}].description"), d, MAX_TEXT, false);
            }
            if let Some(c) = s.price_cents {
                if c < 0 {
                    p.push(format!("services[{i}].price_cents"), "negative", "a price cannot be negative");
                } else if c > MAX_PRICE_CENTS {
                    p.push(format!("services[{i}].price_cents"), "too_large", "price too large");
                }
            }
            if s.currency.len() != 3 || !s.currency.chars().all(|c| c.is_ascii_uppercase()) {
                p.push(format!("services[{i}].currency"), "currency_format", "expected an ISO 4217 code like EUR");
            }
            if let Some(d) = s.duration_min {
                if d == 0 || d > MAX_DURATION_MIN {
                    p.push(format!("services[{i}].duration_min"), "out_of_range", "1 to 1440 minutes");
                }
            }
        }
        p.count("faq", self.faq.len(), MAX_FAQ);
        for (i, f) in self.faq.iter().enumerate() {
            p.text(format!("faq[{i}].question"), &f.question, MAX_SHORT, true);
            p.text(format!("faq[{i}].answer"), &f.answer, MAX_TEXT, true);
        }
        p.count("documents", self.documents.len(), MAX_DOCUMENTS);
        for (i, d) in self.documents.iter().enumerate() {
            p.text(format!("documents[{i}].title"), &d.title, MAX_SHORT, true);
            p.text(format!("documents[{i}].body"), &d.body, MAX_DOCUMENT_BYTES, true);
        }
        if p.0.is_empty() {
            Ok(())
        } else {
            Err(p.0)
        }
    }

    /// The demo knowledge base: "Demo Salon", a hair salon in Madrid (seeded by
    /// `frontdesk serve --demo` and used by the evaluation).
    pub fn demo() -> Knowledge {
        let h = |day, open: &str, close: &str| DayHours { day, open: open.into(), close: close.into() };
        let s = |name: &str, aliases: &[&str], desc: &str, price: i64, dur: u32| Service {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            description: Some(desc.into()),
            price_cents: Some(price),
            currency: "EUR".into(),
            duration_min: Some(dur),
        };
        let f = |q: &str, a: &str| Faq { question: q.into(), answer: a.into() };
        use Weekday::*;
        Knowledge {
            profile: Profile {
                name: "Demo Salon".into(),
                address: Some("Calle Mayor 12, 28013 Madrid, Spain".into()),
                phone: Some("+34 910 123 456".into()),
                email: Some("hola@demosalon.example".into()),
                website: Some("https://demosalon.example".into()),
                hours: vec![
                    h(Mon, "09:00", "19:00"),
                    h(Tue, "09:00", "19:00"),
                    h(Wed, "09:00", "19:00"),
                    h(Thu, "09:00", "19:00"),
                    h(Fri, "09:00", "19:00"),
                    h(Sat, "10:00", "14:00"),
                ],
                holidays: vec![
                    Holiday { date: "2026-12-25".into(), note: Some("Christmas Day".into()) },
                    Holiday { date: "2027-01-01".into(), note: Some("New Year's Day".into()) },
                ],
                languages: vec!["English".into(), "Spanish".into()],
            },
            services: vec![
                s("Women's haircut", &["Corte de mujer", "Ladies' cut"], "Wash, cut and blow-dry.", 3500, 45),
                s("Men's haircut", &["Corte de hombre", "Corte caballero"], "Cut and styling.", 2000, 30),
                s("Children's haircut", &["Corte infantil", "Kids' haircut"], "For children under 12.", 1500, 20),
                s(
                    "Hair colour",
                    &["Tinte", "Color", "Hair color", "Dye"],
                    "Full colour with a professional, ammonia-free dye.",
                    5500,
                    90,
                ),
                s("Highlights", &["Mechas"], "Foil highlights, toner included.", 7000, 120),
                s("Blow-dry", &["Peinado", "Secado", "Brushing"], "Wash and blow-dry styling.", 2500, 30),
                s("Beard trim", &["Arreglo de barba", "Barba"], "Beard shaping with a hot towel.", 1200, 15),
                s("Manicure", &["Manicura", "Nails", "Uñas"], "Nail care and polish.", 1800, 40),
                s(
                    "Deep conditioning treatment",
                    &["Tratamiento hidratante", "Hair mask", "Mascarilla"],
                    "Intensive mask for dry or damaged hair.",
                    3000,
                    30,
                ),
            ],
            faq: vec![
                f(
                    "Is there parking nearby?",
                    "Yes, there is a public car park on Calle de Toledo 5, a three-minute walk away. Street parking is very limited.",
                ),
                f(
                    "Which payment methods do you accept?",
                    "We accept cash, credit and debit cards (Visa, Mastercard, American Express) and Bizum.",
                ),
                f(
                    "What is your cancellation policy?",
                    "Please cancel or change your appointment at least 24 hours in advance. Late cancellations and no-shows are charged 50% of the service price.",
                ),
                f(
                    "Can I bring my children?",
                    "Yes, children are welcome. We have a children's haircut for kids under 12 and a small play corner while you wait.",
                ),
                f("Which products do you use?", "We use and sell professional, cruelty-free products from Davines and Olaplex."),
                f(
                    "Do you sell gift cards?",
                    "Yes, gift cards are available at the salon for any amount from €20 and are valid for 12 months.",
                ),
                f("Do you have Wi-Fi?", "Yes, free Wi-Fi is available for customers. Ask at the front desk for the password."),
                f(
                    "Is the salon wheelchair accessible?",
                    "Yes, the salon is on the ground floor with step-free access, and we have an accessible toilet.",
                ),
                f(
                    "Do you accept walk-ins?",
                    "Yes, if a stylist is free, but we recommend booking ahead, especially on Saturdays.",
                ),
            ],
            documents: vec![
                Document {
                    title: "About us".into(),
                    body: "Demo Salon is a family-run hair salon in the centre of Madrid, founded in 2012. Our team of five stylists trained in Madrid and London. We are a two-minute walk from Sol metro station. We love natural, easy-to-maintain styles and honest advice.".into(),
                },
                Document {
                    title: "Hygiene".into(),
                    body: "We disinfect all tools after every client and wash towels at 60 °C. Capes and towels are fresh for every customer. Our stylists wash their hands before every service.".into(),
                },
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(k: &Knowledge) -> Vec<(String, String)> {
        k.validate().err().unwrap_or_default().into_iter().map(|p| (p.field, p.code)).collect()
    }

    #[test]
    fn the_demo_is_valid_and_round_trips_through_json() {
        let k = Knowledge::demo();
        assert_eq!(k.validate(), Ok(()));
        assert!(k.services.len() >= 8 && k.faq.len() >= 8 && !k.documents.is_empty());
        let json = serde_json::to_string(&k).unwrap();
        let back: Knowledge = serde_json::from_str(&json).unwrap();
        assert_eq!(back, k);
        assert!(json.contains(r#""day":"mon""#));
    }

    #[test]
    fn minimal_json_takes_defaults() {
        let k: Knowledge =
            serde_json::from_str(r#"{"profile":{"name":"X"},"services":[{"name":"Cut","price_cents":1000}]}"#).unwrap();
        assert_eq!(k.services[0].currency, "EUR");
        assert_eq!(k.validate(), Ok(()));
    }

    #[test]
    fn validation_reports_every_problem_with_its_field() {
        let mut k = Knowledge::demo();
        k.profile.name = " ".into();
        k.profile.hours[0].open = "9h".into();
        k.profile.hours[1].open = "20:00".into();
        k.profile.hours.push(DayHours { day: Weekday::Sat, open: "12:00".into(), close: "13:00".into() });
        k.profile.holidays[0].date = "2026-02-30".into();
        k.profile.email = Some("not-an-email".into());
        k.profile.phone = Some("call us".into());
        k.services[0].price_cents = Some(-1);
        k.services[1].currency = "euro".into();
        k.services[2].duration_min = Some(0);
        k.faq[0].answer = String::new();
        k.documents[0].body = "x".repeat(limits::MAX_DOCUMENT_BYTES + 1);
        k.services[3].name = "x".repeat(limits::MAX_SHORT + 1);
        let c = codes(&k);
        for want in [
            ("profile.name", "required"),
            ("profile.hours[0].open", "time_format"),
            ("profile.hours[1]", "open_after_close"),
            ("profile.hours[6]", "overlap"),
            ("profile.holidays[0].date", "date_format"),
            ("profile.email", "email_format"),
            ("profile.phone", "phone_format"),
            ("services[0].price_cents", "negative"),
            ("services[1].currency", "currency_format"),
            ("services[2].duration_min", "out_of_range"),
            ("faq[0].answer", "required"),
            ("documents[0].body", "too_long"),
            ("services[3].name", "too_long"),
        ] {
            assert!(c.contains(&(want.0.to_string(), want.1.to_string())), "missing {want:?} in {c:?}");
        }
    }

    #[test]
    fn validation_bounds_the_number_of_entries() {
        let mut k = Knowledge::demo();
        let s = k.services[0].clone();
        k.services = vec![s; limits::MAX_SERVICES + 1];
        let d = k.documents[0].clone();
        k.documents = vec![d; limits::MAX_DOCUMENTS + 1];
        let c = codes(&k);
        assert!(c.contains(&("services".into(), "too_many".into())));
        assert!(c.contains(&("documents".into(), "too_many".into())));
    }
}

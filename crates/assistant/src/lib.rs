//! The local grounded assistant, Frontdesk's default AI provider.
//!
//! With no language model configured it answers customers' questions from the business's
//! own knowledge base ([`Knowledge`]: profile, services, FAQ, documents) with templated
//! sentences in the customer's language (English or Spanish), and hands over to a person
//! when nothing matches well enough. It never guesses: a question with a word that no
//! single fact accounts for is handed over.
//!
//! Pure library: no I/O, no network, no clock reads (the caller passes today's date and the
//! free slots in a [`Context`]).
//!
//! ```
//! use frontdesk_assistant::{Context, Index, Knowledge, Outcome};
//! let index = Index::build(&Knowledge::demo());
//! let reply = index.answer("¿Cuánto cuesta un corte de mujer?", &Context::default());
//! assert_eq!(reply.outcome, Outcome::Answer("Corte de mujer cuesta 35,00 €.".into()));
//! assert_eq!(reply.facts, ["service:0"]);
//! let reply = index.answer("do you do tattoos?", &Context::default());
//! assert!(matches!(reply.outcome, Outcome::Handover(_)));
//! ```
//!
//! [`grounded`] is the check every provider's answer (external models too) goes through
//! before an automated send: every price, time, date, number, phone, email, web address and
//! street in the answer must appear in the facts it was given ([`Index::retrieve`]).

mod answer;
mod calendar;
mod facts;
mod grounding;
mod index;
mod knowledge;
mod lang;
mod text;

pub use answer::{handover_text, human_text, wants_human, Context, FreeSlot, Outcome, Reply};
pub use facts::{Fact, FactKind};
pub use grounding::{grounded, Atom};
pub use index::{Hit, Index};
pub use knowledge::{limits, DayHours, Document, Faq, Holiday, Knowledge, Problem, Profile, Service, Weekday};
pub use lang::Lang;

/// Text normalisation, exposed for the app's search box and for tests: lower-casing with
/// accents folded, and the tokens the index uses for a text (stems and lexicon concepts,
/// stop words dropped).
pub mod tokens {
    /// Lower-cases and folds accents (`ñ` → `n`).
    pub fn fold(text: &str) -> String {
        crate::text::fold(text)
    }
    /// The index terms of a text, in order, with repeats.
    pub fn tokenize(text: &str) -> Vec<String> {
        crate::text::index_terms(text)
    }
}

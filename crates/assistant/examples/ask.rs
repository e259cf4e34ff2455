//! Ask the demo knowledge base questions from the command line:
//! `cargo run -p frontdesk-assistant --example ask -- "how much is a haircut?" "¿abrís el domingo?"`

use frontdesk_assistant::{Context, Index, Knowledge};

fn main() {
    let index = Index::build(&Knowledge::demo());
    for q in std::env::args().skip(1) {
        let r = index.answer(&q, &Context::default());
        println!("{q}\n  [{}] {:?} {:?}", r.lang, r.outcome, r.facts);
    }
}

//! Whatever a customer types, the assistant answers or hands over: no panic on any text.
//! A deterministic generator mixes words of the demo domain, digits, prices, times, dates,
//! punctuation and multi-byte characters (accents, emoji, combining marks, right-to-left).

use frontdesk_assistant::{grounded, wants_human, Context, Index, Knowledge, Lang};

const PIECES: &[&str] = &[
    "how much",
    "cuánto",
    "price",
    "precio",
    "haircut",
    "corte",
    "open",
    "abrís",
    "sunday",
    "domingo",
    "€",
    "35",
    "35,00",
    "9:00",
    "09:00",
    "2026-12-25",
    "25/12",
    "+34 600 111 222",
    "@",
    "a@b.co",
    "?",
    "¿",
    "!",
    ".",
    ",",
    "-",
    "/",
    "(",
    ")",
    "ñ",
    "é",
    "ü",
    "👍🏽",
    "e\u{301}",
    "\u{202e}",
    "שלום",
    "日本",
    " ",
    "  ",
    "\n",
    "\t",
    "0",
    "999999999999999999999",
    "-1",
    "1e9",
    "person",
    "persona",
    "don't",
    "no quiero",
    "mañana",
    "tomorrow",
    "HANDOVER",
    "%",
    "\u{0}",
];

#[test]
fn no_text_makes_the_assistant_panic() {
    let index = Index::build(&Knowledge::demo());
    let facts: Vec<_> = index.facts().collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for case in 0..5_000 {
        let n = (next() % 12) as usize;
        let text: String = (0..n)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(if case % 3 == 0 { "" } else { " " });
        let ctx = Context { today: (case % 2 == 0).then(|| "2026-11-23".to_string()), ..Default::default() };
        let reply = index.answer(&text, &ctx);
        assert!(!reply.text().is_empty(), "{text:?}");
        let _ = index.retrieve(&text, 8);
        let _ = grounded(&text, &facts);
        let _ = wants_human(&text);
        let _ = Lang::detect(&text);
    }
}

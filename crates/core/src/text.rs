//! Text as it may be stored: PostgreSQL refuses the NUL character in text, and SQLite would
//! keep it where no page can show it, so every edge that stores text replaces it first.

use std::borrow::Cow;

/// What stands in for a NUL character: U+FFFD, the replacement character.
pub const REPLACEMENT: char = '\u{FFFD}';

/// `s` with every NUL character replaced by U+FFFD (borrowed when there is none).
pub fn scrub_nul(s: &str) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', "\u{FFFD}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// [`scrub_nul`] in place, for owned strings.
pub fn scrub_nul_in(s: &mut String) {
    if s.contains('\0') {
        *s = s.replace('\0', "\u{FFFD}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_becomes_the_replacement_character_and_nothing_else_changes() {
        assert_eq!(scrub_nul("a\0b\0"), "a\u{FFFD}b\u{FFFD}");
        assert!(matches!(scrub_nul("plain ñ 🙂"), Cow::Borrowed("plain ñ 🙂")));
        let mut s = String::from("\0");
        scrub_nul_in(&mut s);
        assert_eq!(s, "\u{FFFD}");
    }
}

//! Output formats. Each turns findings into text; none knows anything about AMT.

pub mod fingerprint;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod paths;
pub mod probe;
pub mod sarif;

/// Make untrusted text safe for a terminal: control and bidirectional-override characters become
/// visible escapes.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe(c) && c != '\n' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The same, keeping every byte offset: each unsafe character becomes as many `?` as it has bytes.
pub fn mask_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe(c) && !matches!(c, '\n' | '\r' | '\t') {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_control() {
        assert_eq!(escape_text("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape_text("x\u{202e}y\nz"), "x\\u{202e}y\nz");
        let masked = mask_text("a\u{1b}b\u{202e}c\td");
        assert_eq!(masked, "a?b???c\td");
        assert_eq!(masked.len(), "a\u{1b}b\u{202e}c\td".len());
    }
}

//! Output formats. Each turns findings into text; none knows anything about AMT.

pub mod concise;
pub mod coverage;
pub mod coverage_html;
pub mod diff;
pub mod docs;
mod excerpt;
pub mod fingerprint;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod paths;
pub mod probe;
pub mod sarif;
pub mod statistics;
pub mod terminal;

/// Make untrusted text safe for a terminal: every control character (C0 with line feed, tab and
/// carriage return, DEL, C1) and every bidirectional control becomes a visible escape (`\n`,
/// `\x1b`, `\u{202e}`). The one escaping function of every text output (human, concise, GitHub
/// annotations, messages on standard error); JSON, SARIF and JUnit escape by their own rules.
pub fn escape_text(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) && u32::from(c) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// The same for source text shown in a snippet, keeping every byte offset: each unsafe character
/// becomes as many `?` as it has bytes. Line feeds, tabs and the carriage return of a CRLF stay.
pub fn mask_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let keep = match c {
            '\n' | '\t' => true,
            '\r' => chars.peek() == Some(&'\n'),
            c => !is_unsafe(c),
        };
        if keep {
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        }
    }
    out
}

/// Control characters, bidirectional embeddings, overrides, isolates and marks, and the Unicode
/// line and paragraph separators.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_control() {
        assert_eq!(escape_text("a\u{1b}[31mb"), "a\\x1b[31mb");
        assert_eq!(escape_text("x\u{202e}y\nz"), "x\\u{202e}y\\nz");
        assert_eq!(
            escape_text("\t\r\u{7f}\u{9b}\u{2066}\u{200f}é\\"),
            "\\t\\r\\x7f\\x9b\\u{2066}\\u{200f}é\\"
        );
        assert_eq!(escape_text("\u{1b}]0;title\u{7}"), "\\x1b]0;title\\x07");
        let masked = mask_text("a\u{1b}b\u{202e}c\td\re\r\n");
        assert_eq!(masked, "a?b???c\td?e\r\n");
        assert_eq!(masked.len(), "a\u{1b}b\u{202e}c\td\re\r\n".len());
    }
}

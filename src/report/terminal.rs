//! How text output meets the terminal: whether to colour it (`--color`, then NO_COLOR,
//! CLICOLOR_FORCE and TERM=dumb) and how wide to wrap it (the terminal, else COLUMNS, else 100).

use std::ffi::OsString;
use std::io::IsTerminal;

/// What `--color` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorWhen {
    /// Colour on a terminal, unless the environment says otherwise.
    #[default]
    Auto,
    Always,
    Never,
}

/// The stream a text goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Width when the stream is no terminal and COLUMNS is unset.
pub const DEFAULT_WIDTH: usize = 100;
const MIN_WIDTH: usize = 40;
const MAX_WIDTH: usize = 240;

/// How to draw text for one stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    /// Columns to wrap at.
    pub width: usize,
}

impl Style {
    /// No colour, the default width: for tests and files.
    pub fn plain() -> Style {
        Style {
            color: false,
            width: DEFAULT_WIDTH,
        }
    }

    /// The style for `stream` as `--color` and the environment decide.
    pub fn detect(when: ColorWhen, stream: Stream) -> Style {
        let terminal = match stream {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        };
        let columns = terminal
            .then(|| match stream {
                Stream::Stdout => terminal_size::terminal_size_of(std::io::stdout()),
                Stream::Stderr => terminal_size::terminal_size_of(std::io::stderr()),
            })
            .flatten()
            .map(|(w, _)| usize::from(w.0));
        Style::decide(when, terminal, columns, &|k| std::env::var_os(k))
    }

    /// The decision, given whether the stream is a terminal, its width if known, and the
    /// environment. In `auto`: a non-empty NO_COLOR turns colour off, then a CLICOLOR_FORCE other
    /// than empty or `0` turns it on, then TERM=dumb or CLICOLOR=0 turns it off; otherwise colour
    /// goes to terminals only.
    fn decide(
        when: ColorWhen,
        terminal: bool,
        columns: Option<usize>,
        env: &dyn Fn(&str) -> Option<OsString>,
    ) -> Style {
        let set = |k: &str| env(k).filter(|v| !v.is_empty());
        let color = match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                if set("NO_COLOR").is_some() {
                    false
                } else if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                    true
                } else if set("TERM").is_some_and(|v| v == "dumb")
                    || set("CLICOLOR").is_some_and(|v| v == "0")
                {
                    false
                } else {
                    terminal
                }
            }
        };
        let width = columns
            .filter(|&w| w > 0)
            .or_else(|| set("COLUMNS")?.to_str()?.trim().parse().ok())
            .unwrap_or(DEFAULT_WIDTH)
            .clamp(MIN_WIDTH, MAX_WIDTH);
        Style { color, width }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide_in(
        when: ColorWhen,
        columns: Option<usize>,
        terminal: bool,
        vars: &[(&str, &str)],
    ) -> Style {
        let env = |k: &str| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| OsString::from(v))
        };
        Style::decide(when, terminal, columns, &env)
    }

    fn color(when: ColorWhen, terminal: bool, vars: &[(&str, &str)]) -> bool {
        decide_in(when, None, terminal, vars).color
    }

    fn width(columns: Option<usize>, vars: &[(&str, &str)]) -> usize {
        decide_in(ColorWhen::Never, columns, columns.is_some(), vars).width
    }

    #[test]
    fn auto_colours_terminals_unless_the_environment_says_otherwise() {
        use ColorWhen::*;
        assert!(color(Auto, true, &[]));
        assert!(!color(Auto, false, &[]));
        assert!(color(Auto, false, &[("CLICOLOR_FORCE", "1")]));
        assert!(!color(Auto, false, &[("CLICOLOR_FORCE", "0")]));
        assert!(!color(Auto, true, &[("NO_COLOR", "1")]));
        assert!(color(Auto, true, &[("NO_COLOR", "")]));
        assert!(!color(
            Auto,
            true,
            &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]
        ));
        assert!(!color(Auto, true, &[("TERM", "dumb")]));
        assert!(color(Auto, true, &[("TERM", "xterm-256color")]));
        assert!(color(
            Auto,
            false,
            &[("TERM", "dumb"), ("CLICOLOR_FORCE", "1")]
        ));
        assert!(!color(Auto, true, &[("CLICOLOR", "0")]));
        assert!(color(Always, false, &[("NO_COLOR", "1"), ("TERM", "dumb")]));
        assert!(!color(Never, true, &[("CLICOLOR_FORCE", "1")]));
    }

    #[test]
    fn width_comes_from_the_terminal_then_columns_then_a_default() {
        assert_eq!(width(Some(132), &[("COLUMNS", "80")]), 132);
        assert_eq!(width(None, &[("COLUMNS", "80")]), 80);
        assert_eq!(width(None, &[("COLUMNS", "eighty")]), DEFAULT_WIDTH);
        assert_eq!(width(None, &[]), DEFAULT_WIDTH);
        assert_eq!(width(None, &[("COLUMNS", "5")]), MIN_WIDTH);
        assert_eq!(width(Some(1000), &[]), MAX_WIDTH);
    }
}

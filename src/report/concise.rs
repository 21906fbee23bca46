//! `--format concise`: one line per finding, `path:line:column: CODE [severity] message`, no
//! snippet, then the summary line. Grep-friendly; the default of `check --staged` (git hooks).

use super::escape_text;
use super::human::summary_line;
use super::terminal::Style;
use crate::diagnostic::{Finding, Severity};
use crate::outcome::Outcome;

fn line(f: &Finding, style: Style) -> String {
    let path = f.path();
    let place = if path.as_os_str().is_empty() {
        String::new()
    } else {
        let (line, column) = f.line_col();
        format!(
            "{}:{}:{}: ",
            escape_text(&super::json::path_text(&path)),
            line.max(1),
            column.max(1)
        )
    };
    let tag = format!("{} [{}]", f.code.as_str(), f.severity.as_str());
    let tag = if style.color {
        let color = match f.severity {
            Severity::Error => "31",
            Severity::Warning => "33",
            Severity::Info => "36",
        };
        format!("\u{1b}[1;{color}m{tag}\u{1b}[0m")
    } else {
        tag
    };
    format!("{place}{tag} {}\n", escape_text(&f.message))
}

/// Every finding on a line of its own, then (unless `quiet`) the summary line.
pub fn render(outcome: &Outcome, style: Style, quiet: bool) -> String {
    let mut out: String = outcome.findings.iter().map(|f| line(f, style)).collect();
    if !quiet {
        out.push_str(&summary_line(&outcome.summary));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::level::Levels;
    use crate::outcome::{Summary, finish};

    #[test]
    fn one_escaped_line_per_finding_then_the_summary() {
        let findings = vec![
            Finding::at_file(
                Code::SL100,
                "a\u{1b}]0;x\u{7}.xml".into(),
                3,
                5,
                "two\nlines",
            ),
            Finding::at_file(Code::SL009, "b.xml".into(), 0, 0, "i"),
        ];
        let outcome = finish(findings, Summary::default(), &Levels::default());
        let text = render(&outcome, Style::plain(), false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[..2],
            [
                "a\\x1b]0;x\\x07.xml:3:5: SL100 [error] two\\nlines",
                "b.xml:1:1: SL009 [info] i",
            ]
        );
        assert!(lines[2].starts_with("scslint: 1 error, 0 warnings, 1 info"));
        assert_eq!(render(&outcome, Style::plain(), true).lines().count(), 2);
        let coloured = render(
            &outcome,
            Style {
                color: true,
                width: 100,
            },
            true,
        );
        assert!(
            coloured.contains("\u{1b}[1;31mSL100 [error]\u{1b}[0m"),
            "{coloured}"
        );
    }
}

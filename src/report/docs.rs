//! `scslint rules` and `scslint explain`: the rule documentation as text wrapped to the terminal,
//! or as JSON (schemas/rules.schema.json, schemas/explain.schema.json).

use super::terminal::Style;
use crate::diagnostic::Code;
use crate::rules::{Explanation, doc};
use serde::Serialize;

/// Widths of the code, name and level columns of `scslint rules`.
const COLUMNS: [usize; 3] = [6, 38, 8];
/// The summary column is never narrower, however narrow the terminal.
const MIN_SUMMARY: usize = 30;

/// Each line of `text` wrapped to `width` columns; line breaks in the text stay.
fn wrap(text: &str, width: usize) -> String {
    text.split('\n')
        .map(|line| textwrap::fill(line, width))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every rule, one a line: code, name, default level, and the summary wrapped under its column.
pub fn rules_text(style: Style) -> String {
    let [code, name, level] = COLUMNS;
    let indent = code + name + level + 3;
    let summary_width = style.width.saturating_sub(indent).max(MIN_SUMMARY);
    let mut text = format!(
        "{:<code$} {:<name$} {:<level$} {}\n",
        "CODE", "NAME", "LEVEL", "SUMMARY"
    );
    for &c in Code::ALL {
        let summary =
            wrap(doc(c).summary, summary_width).replace('\n', &format!("\n{:indent$}", ""));
        text.push_str(&format!(
            "{:<code$} {:<name$} {:<level$} {summary}\n",
            c.as_str(),
            c.name(),
            c.default_severity().as_str(),
        ));
    }
    text
}

/// One rule as `rules --format json` lists it.
#[derive(Serialize)]
struct RuleEntry {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    summary: &'static str,
    /// The level can be changed in scslint.toml (and the rule left out with --select/--ignore).
    configurable: bool,
    /// Inline suppressions and `[[ignore]]` entries may silence it.
    suppressible: bool,
}

pub fn rules_json() -> String {
    let rules: Vec<RuleEntry> = Code::ALL
        .iter()
        .map(|&c| RuleEntry {
            code: c.as_str(),
            name: c.name(),
            severity: c.default_severity().as_str(),
            summary: doc(c).summary,
            configurable: !c.is_input_problem(),
            suppressible: c.suppressible(),
        })
        .collect();
    pretty(&rules)
}

/// `scslint explain CODE`, its prose wrapped to the width.
pub fn explain_text(code: Code, style: Style) -> String {
    Explanation::of(code).text(&|s| wrap(s, style.width))
}

#[derive(Serialize)]
struct ExplainEntry {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    summary: &'static str,
    what: &'static str,
    why: &'static str,
    fix: &'static str,
    example: &'static str,
}

pub fn explain_json(code: Code) -> String {
    let e = Explanation::of(code);
    pretty(&ExplainEntry {
        code: code.as_str(),
        name: code.name(),
        severity: code.default_severity().as_str(),
        summary: e.summary,
        what: e.what,
        why: e.why,
        fix: e.fix,
        example: e.example,
    })
}

fn pretty<T: Serialize>(value: &T) -> String {
    // Serialising static strings and booleans cannot fail.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_summaries_wrap_under_their_column() {
        let style = Style {
            color: false,
            width: 90,
        };
        let text = rules_text(style);
        assert!(text.lines().all(|l| l.chars().count() <= 90), "{text}");
        let continued: Vec<&str> = text.lines().filter(|l| l.starts_with(' ')).collect();
        assert!(!continued.is_empty(), "{text}");
        assert!(continued.iter().all(|l| l.starts_with(&" ".repeat(55))));
    }

    #[test]
    fn explain_wraps_prose_but_not_the_example() {
        let narrow = explain_text(
            Code::SL005,
            Style {
                color: false,
                width: 50,
            },
        );
        let (prose, example) = narrow.split_once("\nExample\n").unwrap();
        assert!(prose.lines().all(|l| l.chars().count() <= 50), "{prose}");
        assert!(example.lines().any(|l| l.chars().count() > 50), "{example}");
        assert_eq!(
            narrow.split_whitespace().collect::<Vec<_>>(),
            crate::rules::explain(Code::SL005)
                .split_whitespace()
                .collect::<Vec<_>>()
        );
    }
}

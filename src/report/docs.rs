//! `scslint rules` and `scslint explain`: the rule documentation as text wrapped to the terminal,
//! or as JSON (schemas/rules.schema.json, schemas/explain.schema.json); and the rule tables of
//! docs/rules.md, as Markdown.

use super::terminal::Style;
use crate::diagnostic::{Code, Scope};
use crate::fix::Applicability;
use crate::rules::{Explanation, doc, rule};
use serde::Serialize;

/// Widths of the code, name, level and fix columns of `scslint rules`.
const COLUMNS: [usize; 4] = [6, 35, 8, 6];
/// The summary column is never narrower, however narrow the terminal.
const MIN_SUMMARY: usize = 30;

/// Each line of `text` wrapped to `width` columns; line breaks in the text stay.
fn wrap(text: &str, width: usize) -> String {
    text.split('\n')
        .map(|line| textwrap::fill(line, width))
        .collect::<Vec<_>>()
        .join("\n")
}

/// "safe", "unsafe", or "-" for a rule without fixes.
fn fix_text(code: Code) -> &'static str {
    rule(code).autofix.map_or("-", Applicability::as_str)
}

/// Every rule, one a line: code, name, default level, fix, and the summary wrapped under its
/// column.
pub fn rules_text(style: Style) -> String {
    let [code, name, level, fix] = COLUMNS;
    let indent = code + name + level + fix + 4;
    let summary_width = style.width.saturating_sub(indent).max(MIN_SUMMARY);
    let mut text = format!(
        "{:<code$} {:<name$} {:<level$} {:<fix$} {}\n",
        "CODE", "NAME", "LEVEL", "FIX", "SUMMARY"
    );
    for &c in Code::ALL {
        let summary =
            wrap(doc(c).summary, summary_width).replace('\n', &format!("\n{:indent$}", ""));
        text.push_str(&format!(
            "{:<code$} {:<name$} {:<level$} {:<fix$} {summary}\n",
            c.as_str(),
            c.name(),
            c.default_severity().as_str(),
            fix_text(c),
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
    /// How `check --fix` corrects its findings, if it can.
    fix: Option<Applicability>,
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
            fix: rule(c).autofix,
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
    autofix: Option<Applicability>,
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
        autofix: rule(code).autofix,
        example: e.example,
    })
}

/// Where a generated table of docs/rules.md starts: `<!-- rules: SCOPE -->`, the scope in lower
/// case; it ends at [`TABLE_END`].
const TABLE_START: &str = "<!-- rules: ";
const TABLE_END: &str = "<!-- end rules -->";

/// The scope a marker names (`profile`, `network`, …), among the scopes rules are declared with.
fn scope_named(name: &str) -> Option<Scope> {
    Code::ALL
        .iter()
        .map(|c| c.scope())
        .find(|s| format!("{s:?}").eq_ignore_ascii_case(name))
}

/// The rules of one scope as a Markdown table: code, name, default level (with the rule's own
/// note when it sets another level itself), summary.
pub fn rules_markdown(scope: Scope) -> String {
    let mut table =
        String::from("| code | name | level | fix | summary |\n|---|---|---|---|---|\n");
    for &c in Code::ALL.iter().filter(|c| c.scope() == scope) {
        let level = match rule(c).level_note {
            Some(note) => format!("{} ({note})", c.default_severity().as_str()),
            None => c.default_severity().as_str().to_owned(),
        };
        table.push_str(&format!(
            "| {} | {} | {level} | {} | {} |\n",
            c.as_str(),
            c.name(),
            fix_text(c),
            doc(c).summary.replace('|', "\\|")
        ));
    }
    table
}

/// `doc` (docs/rules.md) with the table between each `<!-- rules: SCOPE -->` and
/// `<!-- end rules -->` written anew from the rule declarations. An error names a marker without
/// its end or naming no scope, and a scope whose rules have no table.
pub fn with_rule_tables(doc: &str) -> Result<String, String> {
    let mut out = String::with_capacity(doc.len());
    let mut rest = doc;
    let mut seen = Vec::new();
    while let Some(at) = rest.find(TABLE_START) {
        let line_end = rest[at..].find('\n').map_or(rest.len(), |i| at + i + 1);
        let marker = rest[at..line_end].trim_end();
        let name = marker
            .strip_prefix(TABLE_START)
            .and_then(|m| m.strip_suffix("-->"))
            .unwrap_or_default()
            .trim();
        let scope = scope_named(name).ok_or_else(|| format!("`{marker}` names no scope"))?;
        let end = rest[line_end..]
            .find(TABLE_END)
            .ok_or_else(|| format!("`{marker}` has no `{TABLE_END}`"))?;
        out.push_str(&rest[..line_end]);
        out.push_str(&rules_markdown(scope));
        seen.push(scope);
        rest = &rest[line_end + end..];
    }
    out.push_str(rest);
    let missing: Vec<String> = Code::ALL
        .iter()
        .filter(|c| !seen.contains(&c.scope()))
        .map(|c| c.as_str().to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(format!("no table lists {}", missing.join(", ")));
    }
    Ok(out)
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
        assert!(continued.iter().all(|l| l.starts_with(&" ".repeat(59))));
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

    #[test]
    fn tables_are_written_between_their_markers_and_every_code_needs_one() {
        let markers: String = [
            "profile",
            "input",
            "network",
            "host",
            "probe",
            "suppression",
        ]
        .iter()
        .map(|s| format!("## {s}\n\n<!-- rules: {s} -->\nOLD TABLE\n<!-- end rules -->\n\n"))
        .collect();
        let doc = format!("# Rules\n\n{markers}The end.\n");
        let written = with_rule_tables(&doc).unwrap();
        assert!(!written.contains("OLD TABLE"), "{written}");
        assert!(written.ends_with("<!-- end rules -->\n\nThe end.\n"));
        for &c in Code::ALL {
            assert_eq!(
                written
                    .matches(&format!("| {} | {} |", c, c.name()))
                    .count(),
                1
            );
        }
        assert!(written.contains(
            "| SL008 | detection-ignored-static-ip | warning (error with remote access) |"
        ));
        assert_eq!(with_rule_tables(&written).unwrap(), written);
        let without_probe = doc.replace("<!-- rules: probe -->", "<!-- probe -->");
        let err = with_rule_tables(&without_probe).unwrap_err();
        assert!(err.starts_with("no table lists SL300, SL301"), "{err}");
        let unknown = doc.replace("rules: host", "rules: hosts");
        assert!(
            with_rule_tables(&unknown)
                .unwrap_err()
                .contains("names no scope")
        );
        let open = doc.replace("<!-- end rules -->\n\nThe", "\n\nThe");
        assert!(with_rule_tables(&open).unwrap_err().contains("has no"));
    }
}

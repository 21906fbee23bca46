//! `scslint diff` output: human, JSON (schemas/diff.schema.json) and Markdown (for a CI job
//! summary such as `$GITHUB_STEP_SUMMARY`).

use super::escape_text;
use super::terminal::Style;
use crate::diagnostic::Severity;
use crate::diff::{Changed, FindingsDiff, NetworkState, Recorded, SnapshotDiff};
use serde::Serialize;
use std::fmt::Write as _;

/// What was compared.
pub enum Compared<'a> {
    Snapshots(&'a SnapshotDiff),
    Findings(&'a FindingsDiff),
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `+`, `-` and `~` in green, red and yellow when colour is on.
fn mark(style: Style, mark: char) -> String {
    if !style.color {
        return mark.to_string();
    }
    let color = match mark {
        '+' => 32,
        '-' => 31,
        _ => 33,
    };
    format!("\u{1b}[1;{color}m{mark}\u{1b}[0m")
}

fn network_line(n: &NetworkState) -> String {
    let mut parts = vec![match &n.suffix {
        Some(s) => format!("option 15 `{}`", escape_text(s)),
        None => "no option 15".to_owned(),
    }];
    if !n.search_v6.is_empty() {
        parts.push(format!(
            "option 24 `{}`",
            escape_text(&n.search_v6.join(" "))
        ));
    }
    parts.push(n.trust.to_owned());
    if let Some(h) = n.hosts {
        parts.push(plural(h as usize, "host", "hosts"));
    }
    parts.join(", ")
}

fn finding_line(f: &Recorded) -> String {
    let at = match f.line {
        Some(line) => format!("{}:{line}", f.path),
        None => f.path.clone(),
    };
    format!(
        "{:<7} {} {}: {}",
        f.severity().as_str(),
        escape_text(&f.code),
        escape_text(&at),
        escape_text(&f.message)
    )
}

/// The human report.
pub fn render_human(compared: &Compared, style: Style) -> String {
    let mut out = String::new();
    match compared {
        Compared::Snapshots(d) => {
            let _ = writeln!(
                out,
                "networks: {} added, {} removed, {} changed, {} unchanged",
                d.added.len(),
                d.removed.len(),
                d.changed.len(),
                d.unchanged
            );
            for n in &d.added {
                let _ = writeln!(
                    out,
                    "  {} {}: {}",
                    mark(style, '+'),
                    escape_text(&n.name),
                    network_line(n)
                );
            }
            for n in &d.removed {
                let _ = writeln!(
                    out,
                    "  {} {}: {}",
                    mark(style, '-'),
                    escape_text(&n.name),
                    network_line(n)
                );
            }
            for c in &d.changed {
                let _ = writeln!(
                    out,
                    "  {} {}: {}",
                    mark(style, '~'),
                    escape_text(&c.after.name),
                    escape_text(&c.what().join("; "))
                );
            }
        }
        Compared::Findings(d) => {
            let errors = d.new_at_or_above(Severity::Error);
            let _ = writeln!(
                out,
                "findings: {} new ({}), {} fixed, {} unchanged",
                d.new.len(),
                plural(errors, "error", "errors"),
                d.fixed.len(),
                d.unchanged
            );
            for f in &d.new {
                let _ = writeln!(out, "  {} new   {}", mark(style, '+'), finding_line(f));
            }
            for f in &d.fixed {
                let _ = writeln!(out, "  {} fixed {}", mark(style, '-'), finding_line(f));
            }
        }
    }
    out
}

#[derive(Serialize)]
struct Json<'a> {
    version: u32,
    compared: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    networks: Option<&'a SnapshotDiff>,
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<FindingsJson<'a>>,
}

#[derive(Serialize)]
struct FindingsJson<'a> {
    new: Vec<RecordedJson<'a>>,
    fixed: Vec<RecordedJson<'a>>,
    unchanged: usize,
    new_errors: usize,
}

#[derive(Serialize)]
struct RecordedJson<'a> {
    fingerprint: &'a str,
    code: &'a str,
    severity: &'static str,
    path: &'a str,
    line: Option<usize>,
    message: &'a str,
}

fn recorded_json(f: &Recorded) -> RecordedJson<'_> {
    RecordedJson {
        fingerprint: &f.fingerprint,
        code: &f.code,
        severity: f.severity().as_str(),
        path: &f.path,
        line: f.line,
        message: &f.message,
    }
}

/// The JSON report.
pub fn render_json(compared: &Compared) -> String {
    let doc = match compared {
        Compared::Snapshots(d) => Json {
            version: 1,
            compared: "snapshots",
            networks: Some(d),
            findings: None,
        },
        Compared::Findings(d) => Json {
            version: 1,
            compared: "findings",
            networks: None,
            findings: Some(FindingsJson {
                new: d.new.iter().map(recorded_json).collect(),
                fixed: d.fixed.iter().map(recorded_json).collect(),
                unchanged: d.unchanged,
                new_errors: d.new_at_or_above(Severity::Error),
            }),
        },
    };
    // Strings, integers and lists only: serialising cannot fail.
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// Text safe in a Markdown table cell: no line breaks, pipes and backticks escaped, HTML
/// neutralised.
fn cell(s: &str) -> String {
    escape_text(s)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('`', "\\`")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// At most this many rows per table; GitHub's job summary takes 1 MiB per step.
const MAX_ROWS: usize = 500;

fn rows<T>(out: &mut String, items: &[T], row: impl Fn(&T) -> String) {
    for item in items.iter().take(MAX_ROWS) {
        out.push_str(&row(item));
        out.push('\n');
    }
    if items.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n_{} more not shown; `scslint diff --format json` lists them all._",
            items.len() - MAX_ROWS
        );
    }
}

/// The Markdown report.
pub fn render_markdown(compared: &Compared) -> String {
    let mut out = String::new();
    match compared {
        Compared::Snapshots(d) => {
            let _ = writeln!(
                out,
                "## Observed networks\n\n{} added, {} removed, {} changed, {} unchanged\n",
                d.added.len(),
                d.removed.len(),
                d.changed.len(),
                d.unchanged
            );
            if !d.is_empty() {
                out.push_str("| | network | option 15 | trust | hosts | change |\n");
                out.push_str("|---|---|---|---|---|---|\n");
                let state = |m: &str, n: &NetworkState, change: &str| {
                    format!(
                        "| {m} | {} | {} | {} | {} | {} |",
                        cell(&n.name),
                        n.suffix.as_deref().map_or("—".into(), cell),
                        n.trust,
                        n.hosts.map_or("—".into(), |h| h.to_string()),
                        cell(change)
                    )
                };
                rows(&mut out, &d.added, |n| state("added", n, ""));
                rows(&mut out, &d.removed, |n| state("removed", n, ""));
                rows(&mut out, &d.changed, |c: &Changed| {
                    state("changed", &c.after, &c.what().join("; "))
                });
            }
        }
        Compared::Findings(d) => {
            let _ = writeln!(
                out,
                "## Findings\n\n{} new ({}), {} fixed, {} unchanged\n",
                d.new.len(),
                plural(d.new_at_or_above(Severity::Error), "error", "errors"),
                d.fixed.len(),
                d.unchanged
            );
            if !d.new.is_empty() || !d.fixed.is_empty() {
                out.push_str("| | severity | code | where | message |\n");
                out.push_str("|---|---|---|---|---|\n");
                let row = |m: &str, f: &Recorded| {
                    let at = match f.line {
                        Some(line) => format!("{}:{line}", f.path),
                        None => f.path.clone(),
                    };
                    format!(
                        "| {m} | {} | {} | {} | {} |",
                        f.severity().as_str(),
                        cell(&f.code),
                        cell(&at),
                        cell(&f.message)
                    )
                };
                rows(&mut out, &d.new, |f| row("new", f));
                rows(&mut out, &d.fixed, |f| row("fixed", f));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(fingerprint: &str, message: &str) -> Recorded {
        Recorded {
            fingerprint: fingerprint.into(),
            code: "SL100".into(),
            severity: Some(Severity::Error),
            path: "p.xml".into(),
            line: Some(3),
            message: message.into(),
        }
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        let d = FindingsDiff::new(Vec::new(), vec![recorded("a", "x | y <b>`z`\nw")]);
        let md = render_markdown(&Compared::Findings(&d));
        let row = md.lines().find(|l| l.starts_with("| new")).unwrap();
        assert_eq!(
            row,
            "| new | error | SL100 | p.xml:3 | x \\| y &lt;b&gt;\\`z\\`\\\\nw |"
        );
    }

    #[test]
    fn human_output_escapes_control_characters() {
        let d = FindingsDiff::new(vec![recorded("a", "bad \u{1b}[31m")], Vec::new());
        let text = render_human(&Compared::Findings(&d), Style::plain());
        assert!(
            text.contains("fixed error   SL100 p.xml:3: bad \\x1b[31m"),
            "{text}"
        );
        assert!(text.starts_with("findings: 0 new (0 errors), 1 fixed, 0 unchanged\n"));
    }
}

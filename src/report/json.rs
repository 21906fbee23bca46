//! `--format json`: `{"version": 1, "diagnostics": [...], "summary": {...}}`, described by
//! schemas/report.schema.json.

use crate::diagnostic::{Finding, Location};
use crate::outcome::Outcome;
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    diagnostics: Vec<Diagnostic>,
    summary: &'a crate::outcome::Summary,
}

#[derive(Serialize)]
struct Diagnostic {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: String,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    fingerprint: String,
    label: Option<String>,
    help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    network: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    networks: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    host: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hosts: Vec<String>,
    related: Vec<Related>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixObject>,
}

#[derive(Serialize)]
struct FixObject {
    applicability: crate::fix::Applicability,
    message: String,
    edits: Vec<EditObject>,
}

#[derive(Serialize)]
struct EditObject {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    content: String,
}

/// The finding's fix with its edits as positions in the file it points into.
fn fix_object(f: &Finding) -> Option<FixObject> {
    let fix = f.fix.as_ref()?;
    let Location::Span { source, .. } = &f.location else {
        return None;
    };
    let edits = fix
        .edits
        .iter()
        .map(|e| {
            let (line, column) = source.line_col(e.range.start);
            let (end_line, end_column) = source.line_col(e.range.end);
            EditObject {
                line,
                column,
                end_line,
                end_column,
                content: e.content.clone(),
            }
        })
        .collect();
    Some(FixObject {
        applicability: fix.applicability,
        message: fix.message.clone(),
        edits,
    })
}

#[derive(Serialize)]
struct Related {
    path: String,
    line: usize,
    column: usize,
    message: String,
}

/// Path text with `/` separators on every platform, so reports compare across machines.
pub fn path_text(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// One finding as a diagnostic object (check's, collect's and probe's JSON share it).
pub fn diagnostic(f: &Finding) -> impl Serialize + use<> {
    diagnostic_object(f)
}

fn diagnostic_object(f: &Finding) -> Diagnostic {
    let (line, column) = f.line_col();
    let (end_line, end_column) = f.location.end_line_col();
    Diagnostic {
        code: f.code.as_str(),
        name: f.code.name(),
        severity: f.severity.as_str(),
        message: f.message.clone(),
        path: path_text(&f.path()),
        line,
        column,
        end_line,
        end_column,
        fingerprint: f.fingerprint(),
        label: f.label.clone(),
        help: f.help.clone(),
        profile: f.profile.clone(),
        network: f.network.clone(),
        networks: f.networks.clone(),
        home_domain: f.home_domain.clone(),
        host: f.host.clone(),
        hosts: f.hosts.clone(),
        related: f
            .related
            .iter()
            .map(|r| {
                let (line, column) = r.location.line_col();
                Related {
                    path: path_text(&r.location.path()),
                    line,
                    column,
                    message: r.label.clone(),
                }
            })
            .collect(),
        fix: fix_object(f),
    }
}

pub fn render(outcome: &Outcome) -> String {
    let report = Report {
        version: 1,
        diagnostics: outcome.findings.iter().map(diagnostic_object).collect(),
        summary: &outcome.summary,
    };
    // Serialising owned strings and integers cannot fail.
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

//! `scslint probe` output: a table per target and the findings (human), or
//! `{"version": 1, "targets": [...], "diagnostics": [...]}` (schemas/probe.schema.json).

use super::escape_text;
use super::human::render_findings;
use super::json::diagnostic;
use super::terminal::Style;
use crate::diagnostic::{Finding, Severity};
use crate::probe::{Report, Verdict};
use serde::Serialize;

pub fn render_json(reports: &[Report], findings: &[Finding]) -> String {
    #[derive(Serialize)]
    struct Doc<'a, D: Serialize> {
        version: u32,
        targets: &'a [Report],
        diagnostics: Vec<D>,
    }
    let doc = Doc {
        version: 1,
        targets: reports,
        diagnostics: findings.iter().map(diagnostic).collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn verdict_text(v: Verdict) -> &'static str {
    match v {
        Verdict::AmtReachable => "amt-reachable",
        Verdict::AmtClosed => "amt-closed",
        Verdict::NotAmt => "not-amt",
        Verdict::Unreachable => "unreachable",
    }
}

/// One target as a small table: its address, each step's result, the verdict.
fn table(r: &Report) -> String {
    let mut rows: Vec<(&str, String)> = Vec::new();
    rows.push((
        "address",
        r.address.clone().unwrap_or_else(|| "(not resolved)".into()),
    ));
    if let Some(dns) = &r.dns {
        let text = match &dns.error {
            Some(e) => e.clone(),
            None => dns.addresses.join(", "),
        };
        rows.push(("dns", text));
    }
    let ports: Vec<String> = r
        .ports
        .iter()
        .map(|(p, s)| format!("{p} {}", serde_plain(s)))
        .collect();
    if !ports.is_empty() {
        rows.push(("ports", ports.join(", ")));
    }
    if let Some(p) = &r.rmcp {
        let mut parts = vec!["answered".to_owned()];
        parts.extend(p.amt_version.as_ref().map(|v| format!("AMT {v}")));
        parts.extend(p.provisioning.as_ref().map(serde_plain));
        // The both-ports bit (byte 19 bit 2) widens the port field to 16992 and 16993.
        match p.open_ports().as_slice() {
            [] => {}
            [one] => parts.push(format!("port {one}")),
            many => parts.push(format!(
                "ports {}",
                many.iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
        }
        if p.tls_only() {
            parts.push("TLS only".into());
        }
        rows.push(("rmcp", parts.join(", ")));
    }
    if let Some(h) = &r.http {
        let server = h.server.as_deref().unwrap_or("no Server header");
        rows.push(("http", format!("{} {}", h.status, server)));
    }
    if let Some(w) = &r.wsman {
        rows.push(("wsman", serde_plain_json(w)));
    }
    if let Some(x) = &r.redirection {
        rows.push((
            "redirection",
            format!("status {}, firmware {}", x.status, x.firmware),
        ));
    }
    if let Some(t) = &r.tls {
        rows.push(("tls", serde_plain_json(t)));
    }
    if let Some(d) = r.live.as_ref().and_then(|l| l.detection.as_ref()) {
        rows.push(("home domains", d.strings.join(", ")));
    }
    for n in &r.notes {
        rows.push(("note", n.clone()));
    }
    rows.push(("verdict", verdict_text(r.verdict).to_owned()));
    let mut out = format!("{}\n", escape_text(&r.target));
    for (k, v) in rows {
        out.push_str(&format!("  {k:<13} {}\n", escape_text(&v)));
    }
    out
}

/// A unit-like serde value (`"open"`) as plain text.
fn serde_plain<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Any serde value as compact JSON, for the human table.
fn serde_plain_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// A table per target, the findings, and the summary line; with `quiet`, the findings only.
pub fn render_human(reports: &[Report], findings: &[Finding], style: Style, quiet: bool) -> String {
    let mut out = String::new();
    if !quiet {
        for r in reports {
            out.push_str(&table(r));
            out.push('\n');
        }
    }
    out.push_str(&render_findings(findings, style));
    if !quiet {
        out.push_str(&summary(reports, findings));
        out.push('\n');
    }
    out
}

fn summary(reports: &[Report], findings: &[Finding]) -> String {
    let count = |v: Verdict| reports.iter().filter(|r| r.verdict == v).count();
    let by_severity = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    format!(
        "scslint probe: {} ({} amt-reachable, {} amt-closed, {} not-amt, {} unreachable); {}, {}, {}",
        plural(reports.len(), "target"),
        count(Verdict::AmtReachable),
        count(Verdict::AmtClosed),
        count(Verdict::NotAmt),
        count(Verdict::Unreachable),
        plural(by_severity(Severity::Error), "error"),
        plural(by_severity(Severity::Warning), "warning"),
        plural(by_severity(Severity::Info), "info"),
    )
}

//! `scslint probe` output: a table per target, the snapshot hosts skipped and the findings
//! (human), or `{"version": 1, "targets": [...], "skipped": [...], "diagnostics": [...]}`; with
//! `--dry-run`, the target list instead of results (schemas/probe.schema.json, both shapes).

use super::escape_text;
use super::human::render_findings;
use super::json::diagnostic;
use super::terminal::Style;
use crate::diagnostic::{Finding, Severity};
use crate::probe::target::Skipped;
use crate::probe::{Reachability, Report, Target};
use serde::Serialize;

/// One JSON document: the results, or with `--dry-run` the plan.
#[derive(Serialize)]
struct Doc<'a, T: Serialize, D: Serialize> {
    version: u32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    dry_run: bool,
    targets: T,
    skipped: &'a [Skipped],
    diagnostics: Vec<D>,
}

fn json_text<T: Serialize>(
    dry_run: bool,
    targets: T,
    skipped: &[Skipped],
    findings: &[Finding],
) -> String {
    let doc = Doc {
        version: 1,
        dry_run,
        targets,
        skipped,
        diagnostics: findings.iter().map(diagnostic).collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

pub fn render_json(reports: &[Report], skipped: &[Skipped], findings: &[Finding]) -> String {
    json_text(false, reports, skipped, findings)
}

/// A target as `--dry-run` lists it.
#[derive(Serialize)]
struct Planned<'a> {
    target: &'a str,
    address: Option<String>,
    name: Option<&'a str>,
    network: Option<&'a str>,
    from: &'static str,
    why: String,
}

impl<'a> Planned<'a> {
    fn new(t: &'a Target) -> Planned<'a> {
        Planned {
            target: &t.label,
            address: t.address.map(|a| a.to_string()),
            name: t.fqdn.as_deref(),
            network: t.network.as_ref().map(|n| n.name.as_str()),
            from: t.origin.kind(),
            why: t.origin.why(),
        }
    }
}

/// `--dry-run --format json`: what would be probed, what is skipped, and problems reading the
/// snapshot or the profile.
pub fn render_plan_json(targets: &[Target], skipped: &[Skipped], findings: &[Finding]) -> String {
    let planned: Vec<Planned> = targets.iter().map(Planned::new).collect();
    json_text(true, planned, skipped, findings)
}

/// Rows of text as columns, each as wide as its widest cell; cells escaped.
fn columns(rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| escape_text(c)).collect())
        .collect();
    let mut widths: Vec<usize> = Vec::new();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.chars().count();
            match widths.get_mut(i) {
                Some(max) => *max = (*max).max(w),
                None => widths.push(w),
            }
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::from("  ");
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i] + 2 - cell.chars().count();
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `--dry-run`: the targets as a table (address, name, network, why), the skipped hosts with
/// why, and problems reading the inputs. Nothing was sent.
pub fn render_plan_human(
    targets: &[Target],
    skipped: &[Skipped],
    findings: &[Finding],
    style: Style,
) -> String {
    let dash = || "-".to_owned();
    let header = || {
        ["ADDRESS", "NAME", "NETWORK", "WHY"]
            .map(str::to_owned)
            .to_vec()
    };
    let mut out = String::new();
    if !targets.is_empty() {
        let mut rows = vec![header()];
        for t in targets {
            let p = Planned::new(t);
            let name = match p.name {
                Some(fqdn) if fqdn != p.target => format!("{} ({fqdn})", p.target),
                Some(_) => p.target.to_owned(),
                None if p.address.as_deref() != Some(p.target) => p.target.to_owned(),
                None => dash(),
            };
            rows.push(vec![
                p.address.unwrap_or_else(|| "(not resolved)".into()),
                name,
                p.network.map_or_else(dash, str::to_owned),
                p.why,
            ]);
        }
        out.push_str("would probe:\n");
        out.push_str(&columns(&rows));
        out.push('\n');
    }
    if !skipped.is_empty() {
        let mut rows = vec![header()];
        rows.extend(skipped.iter().map(|s| {
            vec![
                s.address.clone().unwrap_or_else(dash),
                s.target.clone(),
                s.network.clone().unwrap_or_else(dash),
                s.why.clone(),
            ]
        }));
        out.push_str("skipped:\n");
        out.push_str(&columns(&rows));
        out.push('\n');
    }
    out.push_str(&render_findings(findings, style));
    out.push_str(&format!(
        "scslint probe --dry-run: {} would be probed, {} skipped; nothing was sent\n",
        plural(targets.len(), "target"),
        skipped.len()
    ));
    out
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
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
    rows.push(("verdict", r.verdict.as_str().to_owned()));
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

/// A skipped snapshot host, shaped like a target's table.
fn skipped_table(s: &Skipped) -> String {
    let mut rows = Vec::new();
    rows.extend(s.address.as_ref().map(|a| ("address", a.clone())));
    rows.extend(s.network.as_ref().map(|n| ("network", n.clone())));
    rows.push(("skipped", s.why.clone()));
    let mut out = format!("{}\n", escape_text(&s.target));
    for (k, v) in rows {
        out.push_str(&format!("  {k:<13} {}\n", escape_text(&v)));
    }
    out
}

/// A table per target, the skipped snapshot hosts, the findings, and the summary line; with
/// `quiet`, the findings only.
pub fn render_human(
    reports: &[Report],
    skipped: &[Skipped],
    findings: &[Finding],
    style: Style,
    quiet: bool,
) -> String {
    let mut out = String::new();
    if !quiet {
        for r in reports {
            out.push_str(&table(r));
            out.push('\n');
        }
    }
    if !quiet {
        for s in skipped {
            out.push_str(&skipped_table(s));
            out.push('\n');
        }
    }
    out.push_str(&render_findings(findings, style));
    if !quiet {
        out.push_str(&summary(reports, skipped.len(), findings));
        out.push('\n');
    }
    out
}

fn summary(reports: &[Report], skipped: usize, findings: &[Finding]) -> String {
    let verdicts: Vec<String> = Reachability::ALL
        .iter()
        .map(|v| {
            let n = reports.iter().filter(|r| r.verdict == *v).count();
            format!("{n} {}", v.as_str())
        })
        .collect();
    let by_severity = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let skipped = match skipped {
        0 => String::new(),
        n => format!("; {n} skipped"),
    };
    format!(
        "scslint probe: {} ({}){skipped}; {}, {}, {}",
        plural(reports.len(), "target"),
        verdicts.join(", "),
        plural(by_severity(Severity::Error), "error"),
        plural(by_severity(Severity::Warning), "warning"),
        plural(by_severity(Severity::Info), "info"),
    )
}

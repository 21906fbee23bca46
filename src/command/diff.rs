//! `scslint diff OLD NEW`: what changed between two observed snapshots, or between two sets of
//! findings (JSON reports or baselines).

use super::{Ended, Failure, print};
use crate::cli::{DiffArgs, DiffFormat};
use crate::diagnostic::Severity;
use crate::diff::{FindingsDiff, Recorded, SnapshotDiff};
use crate::exit_status::Exit;
use crate::observe::{Network, snapshot};
use crate::report::diff::{Compared, render_human, render_json, render_markdown};
use crate::report::terminal::{ColorWhen, Stream, Style};
use crate::source::display_path;
use std::path::Path;

/// Reports and snapshots far larger than this are not ones scslint wrote.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// What one side of the diff holds.
enum Side {
    Snapshot(Vec<Network>),
    Findings(Vec<Recorded>),
}

/// `scslint diff`.
pub fn command(args: DiffArgs, color: ColorWhen) -> Ended {
    let (old, new) = (load(&args.old)?, load(&args.new)?);
    let snapshots;
    let findings;
    let compared = match (old, new) {
        (Side::Snapshot(a), Side::Snapshot(b)) => {
            snapshots = SnapshotDiff::new(&a, &b);
            Compared::Snapshots(&snapshots)
        }
        (Side::Findings(a), Side::Findings(b)) => {
            findings = FindingsDiff::new(a, b);
            Compared::Findings(&findings)
        }
        _ => {
            return Err(Failure::new(
                "scslint diff",
                "compare a snapshot with a snapshot, or a report or baseline with a report or baseline",
            ));
        }
    };
    let text = match args.format {
        DiffFormat::Human => render_human(&compared, Style::detect(color, Stream::Stdout)),
        DiffFormat::Json => render_json(&compared),
        DiffFormat::Markdown => render_markdown(&compared),
    };
    print(&text)?;
    let level: Severity = args.exit.fail_level.severity();
    Ok(match compared {
        Compared::Findings(d) if !args.exit.exit_zero && d.new_at_or_above(level) > 0 => {
            Exit::Findings
        }
        _ => Exit::Clean,
    })
}

/// Read one side: a JSON report, a baseline, or an observed snapshot, told apart by content.
fn load(path: &Path) -> Result<Side, Failure> {
    let shown = display_path(path).display().to_string();
    let fail = |message: String| Failure::new("scslint diff", &format!("{shown}: {message}"));
    let unreadable =
        |e: crate::source::Unreadable| Failure::new("scslint diff", &e.located(&shown));
    let source = crate::source::load(path, &display_path(path), MAX_BYTES).map_err(unreadable)?;
    let text = source.text.trim_start();
    if text.starts_with('{') {
        return findings(text).map(Side::Findings).map_err(fail);
    }
    if snapshot::sniff(&source.text) {
        let observed = snapshot::read_source(&source);
        if let Some(problem) = observed.findings.iter().find(|f| f.code.is_input_problem()) {
            let (line, column) = problem.line_col();
            return Err(fail(format!("{line}:{column}: {}", problem.message)));
        }
        return Ok(Side::Snapshot(observed.networks));
    }
    Err(fail(
        "neither an observed snapshot (observed.toml) nor a JSON report or baseline".into(),
    ))
}

/// The findings of a JSON report (`check --format json`) or a baseline.
fn findings(text: &str) -> Result<Vec<Recorded>, String> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "{}:{}: not JSON scslint wrote: {e}",
            e.line().max(1),
            e.column().max(1)
        )
    })?;
    if doc.get("findings").is_some() {
        let entries =
            crate::baseline::entries(text).map_err(|e| e.trim_start_matches(':').to_owned())?;
        return Ok(entries
            .into_iter()
            .map(|e| Recorded {
                fingerprint: e.fingerprint,
                code: e.code,
                severity: None,
                path: e.path,
                line: None,
                message: e.message,
            })
            .collect());
    }
    let Some(diagnostics) = doc.get("diagnostics").and_then(|d| d.as_array()) else {
        return Err(
            "a JSON file that is neither a report (`check --format json`) nor a baseline".into(),
        );
    };
    let text_of =
        |d: &serde_json::Value, key: &str| d.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let fingerprint = text_of(d, "fingerprint")
                .filter(|f| f.len() == 32 && f.bytes().all(|b| b.is_ascii_hexdigit()))
                .ok_or_else(|| {
                    format!(
                        "diagnostic {} has no fingerprint: the report was written by an older scslint; run `scslint check --format json` again",
                        i + 1
                    )
                })?;
            let severity = match text_of(d, "severity").as_deref() {
                Some("error") => Some(Severity::Error),
                Some("warning") => Some(Severity::Warning),
                Some("info") => Some(Severity::Info),
                _ => None,
            };
            Ok(Recorded {
                fingerprint,
                code: text_of(d, "code").unwrap_or_default(),
                severity,
                path: text_of(d, "path").unwrap_or_default(),
                line: d.get("line").and_then(|v| v.as_u64()).map(|l| l as usize),
                message: text_of(d, "message").unwrap_or_default(),
            })
        })
        .collect()
}

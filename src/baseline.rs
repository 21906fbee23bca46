//! Baselines: `check --write-baseline FILE` records today's findings by fingerprint
//! ([`Finding::fingerprint`], which survives line moves); `check --baseline FILE` then leaves out
//! the findings it lists and reports only new ones. The file is described by
//! schemas/baseline.schema.json.

use crate::diagnostic::{Finding, Severity};
use crate::outcome::Outcome;
use crate::source::Unreadable;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// One finding a baseline records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub code: String,
    pub path: String,
    pub message: String,
}

/// The fingerprints of a baseline file, each with how many findings it stands for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Baseline {
    counts: HashMap<String, usize>,
}

/// A baseline far larger than this is not one scslint wrote.
const MAX_BASELINE_BYTES: u64 = 256 * 1024 * 1024;

/// Findings a baseline records: everything except input problems, which always count.
fn recorded(f: &Finding) -> bool {
    !f.code.is_input_problem()
}

impl Baseline {
    /// Read a baseline file; the error names the file and, for bad content, the position.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let shown = crate::report::escape_text(&path.display().to_string());
        let source = crate::source::load(path, path, MAX_BASELINE_BYTES).map_err(|e| match e {
            Unreadable::Load(_) => {
                format!(
                    "--baseline {shown}: cannot read the baseline: {}",
                    e.reason()
                )
            }
            _ => format!("--baseline {}; not a scslint baseline", e.located(&shown)),
        })?;
        Baseline::parse(&source.text).map_err(|e| format!("--baseline {shown}{e}"))
    }

    /// Parse baseline text; the error starts with `:LINE:COLUMN` where there is one.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let mut counts = HashMap::new();
        for entry in entries(text)? {
            *counts.entry(entry.fingerprint).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// Leave out the findings the baseline lists, each entry standing for one finding (two
    /// identical findings need two entries), and recount the summary.
    pub fn filter(&self, outcome: Outcome) -> Outcome {
        let mut left = self.counts.clone();
        let Outcome {
            findings,
            mut summary,
            checked,
        } = outcome;
        let mut kept = Vec::with_capacity(findings.len());
        for f in findings {
            let known = recorded(&f)
                && left
                    .get_mut(&f.fingerprint())
                    .filter(|n| **n > 0)
                    .map(|n| *n -= 1)
                    .is_some();
            if !known {
                kept.push(f);
                continue;
            }
            summary.baselined += 1;
            let count = match f.severity {
                Severity::Error => &mut summary.errors,
                Severity::Warning => &mut summary.warnings,
                Severity::Info => &mut summary.infos,
            };
            *count = count.saturating_sub(1);
        }
        Outcome {
            findings: kept,
            summary,
            checked,
        }
    }
}

/// The findings a baseline text records, each fingerprint checked; the error starts with
/// `:LINE:COLUMN` where there is one.
pub fn entries(text: &str) -> Result<Vec<Entry>, String> {
    let hint = "write one with `scslint check --write-baseline FILE`";
    let file: File = serde_json::from_str(text).map_err(|e| {
        // serde_json appends the position to its message; it is shown in front instead.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        format!(
            ":{}:{}: not a scslint baseline: {message}; {hint}",
            e.line().max(1),
            e.column().max(1)
        )
    })?;
    if file.version != VERSION {
        return Err(format!(
            ": baseline version {} is not supported (this scslint reads version {VERSION}); {hint}",
            file.version
        ));
    }
    for (i, entry) in file.findings.iter().enumerate() {
        let valid = entry.fingerprint.len() == 32
            && entry
                .fingerprint
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !valid {
            return Err(format!(
                ": finding {} has fingerprint `{}`, not 32 lower-case hexadecimal digits; {hint}",
                i + 1,
                crate::report::escape_text(&entry.fingerprint)
            ));
        }
    }
    Ok(file.findings)
}

/// The baseline text for these findings (input problems left out), in report order.
pub fn render(findings: &[Finding]) -> String {
    let file = File {
        version: VERSION,
        findings: findings
            .iter()
            .filter(|f| recorded(f))
            .map(|f| Entry {
                fingerprint: f.fingerprint(),
                code: f.code.as_str().to_owned(),
                path: crate::report::json::path_text(&f.path()),
                message: f.message.clone(),
            })
            .collect(),
    };
    // Strings and integers only: serialising cannot fail.
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Write the baseline atomically (a temporary file beside `path`, renamed into place); the
/// number of findings recorded.
pub fn write(path: &Path, findings: &[Finding]) -> std::io::Result<usize> {
    crate::atomic::write(path, render(findings).as_bytes(), 0o644, true)?;
    Ok(findings.iter().filter(|f| recorded(f)).count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::outcome::Summary;

    fn finding(code: Code, line: usize, message: &str) -> Finding {
        Finding::at_file(code, "p/hq.xml".into(), line, 1, message)
    }

    fn outcome(findings: Vec<Finding>) -> Outcome {
        let mut summary = Summary::default();
        for f in &findings {
            match f.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        Outcome {
            findings,
            summary,
            checked: Vec::new(),
        }
    }

    #[test]
    fn round_trip_is_a_multiset_and_survives_line_moves() {
        let today = vec![
            finding(Code::SL102, 3, "a"),
            finding(Code::SL102, 3, "a"),
            finding(Code::SL100, 4, "b"),
            finding(Code::SL051, 1, "broken"),
        ];
        let text = render(&today);
        assert_eq!(text.matches("fingerprint").count(), 3, "{text}");
        let baseline = Baseline::parse(&text).unwrap();
        let tomorrow = vec![
            finding(Code::SL102, 9, "a"),
            finding(Code::SL102, 9, "a"),
            finding(Code::SL102, 9, "a"),
            finding(Code::SL100, 10, "b"),
            finding(Code::SL051, 1, "broken"),
        ];
        let out = baseline.filter(outcome(tomorrow));
        let left: Vec<Code> = out.findings.iter().map(|f| f.code).collect();
        assert_eq!(left, [Code::SL102, Code::SL051]);
        assert_eq!(out.summary.baselined, 3);
        assert_eq!((out.summary.errors, out.summary.warnings), (1, 1));
    }

    #[test]
    fn bad_files_are_explained_with_positions() {
        let e = Baseline::parse("{\"version\": 1,\n \"findings\": [}").unwrap_err();
        assert!(e.starts_with(":2:"), "{e}");
        let e = Baseline::parse("{\"version\": 2, \"findings\": []}").unwrap_err();
        assert!(e.contains("version 2"), "{e}");
        let e = Baseline::parse(
            "{\"version\": 1, \"findings\": [{\"fingerprint\": \"xyz\", \"code\": \"SL100\", \"path\": \"a\", \"message\": \"m\"}]}",
        )
        .unwrap_err();
        assert!(e.contains("finding 1"), "{e}");
        let e = Baseline::parse("[]").unwrap_err();
        assert!(e.contains("not a scslint baseline"), "{e}");
        assert_eq!(
            Baseline::parse("{\"version\": 1, \"findings\": []}").unwrap(),
            Baseline::default()
        );
    }

    #[test]
    fn writes_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        assert_eq!(write(&path, &[finding(Code::SL102, 1, "a")]).unwrap(), 1);
        assert!(Baseline::load(&path).is_ok());
        assert!(write(&dir.path().join("missing/b.json"), &[]).is_err());
        let e = Baseline::load(&dir.path().join("nope.json")).unwrap_err();
        assert!(e.contains("cannot read"), "{e}");
    }
}

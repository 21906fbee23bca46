//! What a run found, counted: the findings at their configured levels, sorted, and the summary
//! every report prints. Commands produce it; reporters and the exit status read it.

use crate::diagnostic::Finding;
use crate::level::Levels;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What a run without observed networks says once, in its summary.
pub const NETWORK_RULES_SKIPPED: &str = "network rules skipped: no observed networks (give them with --observed FILE, [observed] paths in scslint.toml, or write a snapshot with `scslint collect`)";

/// Whether the network rules (SL100-SL104) ran: only with observed networks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkRules {
    Run,
    Skipped,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    pub profiles: usize,
    pub networks: usize,
    /// Host observations read from agent reports and snapshots.
    pub hosts: usize,
    pub unreadable: usize,
    /// Findings silenced by inline suppressions and `[[ignore]]` entries.
    pub suppressed: usize,
    /// Findings left out because `--baseline` lists them.
    pub baselined: usize,
    /// `check` only: whether the network rules ran (they need observed networks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_rules: Option<NetworkRules>,
}

#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Every profile checked, as (profile name, path as displayed), in reading order.
    pub checked: Vec<(String, PathBuf)>,
}

impl Outcome {
    /// True when some input could not be read or parsed (exit status 2).
    pub fn had_input_problems(&self) -> bool {
        self.summary.unreadable > 0
    }
}

/// Apply configured levels (input problems keep theirs), count, and sort.
pub fn finish(findings: Vec<Finding>, summary: Summary, levels: &Levels) -> Outcome {
    tally(leveled(findings, levels), summary)
}

/// The findings at the levels `levels` gives them; those switched off are dropped. Input problems
/// keep theirs.
pub fn leveled(findings: Vec<Finding>, levels: &Levels) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            if !f.code.is_input_problem() {
                f.severity = levels.level_for(f.code, f.severity)?;
            }
            Some(f)
        })
        .collect()
}

/// Sort the findings and count them into `summary`.
pub fn tally(mut kept: Vec<Finding>, mut summary: Summary) -> Outcome {
    kept.sort_by_cached_key(Finding::sort_key);
    let mut unreadable_paths = BTreeSet::new();
    for f in &kept {
        if f.code.is_input_problem() {
            unreadable_paths.insert(f.path());
        }
        match f.severity {
            crate::diagnostic::Severity::Error => summary.errors += 1,
            crate::diagnostic::Severity::Warning => summary.warnings += 1,
            crate::diagnostic::Severity::Info => summary.infos += 1,
        }
    }
    summary.unreadable = unreadable_paths.len();
    Outcome {
        findings: kept,
        summary,
        checked: Vec::new(),
    }
}

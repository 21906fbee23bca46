//! `scslint check`: find the inputs, read profiles and observed networks, run the rules, apply the
//! configured levels, and sort. Output formats are report/'s business.

use crate::config::Config;
use crate::diagnostic::{Code, Finding};
use crate::external::ExternalSuffixes;
use crate::observe::{Network, snapshot};
use crate::profile::{self, Profile};
use crate::rules::{self, Context};
use crate::source::display_path;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Files or folders; empty means the working directory.
    pub paths: Vec<PathBuf>,
    /// Observed-networks files from the command line (config ones are added).
    pub observed: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    pub profiles: usize,
    pub networks: usize,
    pub unreadable: usize,
}

#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

impl Outcome {
    /// True when some input could not be read or parsed (exit status 2).
    pub fn had_input_problems(&self) -> bool {
        self.summary.unreadable > 0
    }
}

/// The profile files to read: (path, explicitly named). Folders are walked in a stable order,
/// without following links, skipping hidden entries.
fn profile_files(paths: &[PathBuf], findings: &mut Vec<Finding>) -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    let defaults = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    for path in paths {
        if path.is_dir() {
            let walker = walkdir::WalkDir::new(path)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() => out.push((e.into_path(), false)),
                    Ok(_) => {}
                    Err(e) => {
                        let at = e
                            .path()
                            .map(display_path)
                            .unwrap_or_else(|| display_path(path));
                        findings.push(Finding::at_file(
                            Code::SL050,
                            at,
                            1,
                            1,
                            format!("cannot read: {e}"),
                        ));
                    }
                }
            }
        } else if path.exists() {
            out.push((path.clone(), true));
        } else {
            findings.push(Finding::at_file(
                Code::SL050,
                display_path(path),
                1,
                1,
                "no such file or directory",
            ));
        }
    }
    out
}

pub fn run(options: &CheckOptions, config: &Config) -> Outcome {
    let mut findings = Vec::new();
    let mut summary = Summary::default();
    let external = ExternalSuffixes::new(&config.external_suffixes);

    // Observed networks: command line first, then config; each file once.
    let mut networks: Vec<Network> = Vec::new();
    let mut observed_given = false;
    let mut seen_observed = BTreeSet::new();
    for path in options.observed.iter().chain(&config.observed_paths) {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if !seen_observed.insert(key.clone()) {
            continue;
        }
        observed_given = true;
        summary.files += 1;
        let read = snapshot::read_file(path, &display_path(path));
        findings.extend(read.findings);
        networks.extend(read.networks);
    }
    for n in &mut networks {
        n.apply_external(&external);
    }
    summary.networks = networks.len();

    let mut profiles: Vec<Profile> = Vec::new();
    for (path, explicit) in profile_files(&options.paths, &mut findings) {
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if !explicit && (seen_observed.contains(&canonical) || is_config_file(&path)) {
            continue;
        }
        let read = profile::read_file(&path, &display_path(&path), explicit, &config.scs);
        if !read.profiles.is_empty() || !read.findings.is_empty() {
            summary.files += 1;
        }
        findings.extend(read.findings);
        profiles.extend(read.profiles);
    }
    summary.profiles = profiles.len();

    let networks_for_rules = observed_given.then_some(&networks[..]);
    for profile in &profiles {
        let ctx = Context {
            profile,
            networks: networks_for_rules,
            external: &external,
            max_home_domains: config.max_home_domains,
        };
        findings.extend(rules::run(&ctx));
    }

    finish(findings, summary, config)
}

fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == crate::config::FILE_NAME)
}

/// Apply configured levels (input problems keep theirs), count, and sort.
fn finish(findings: Vec<Finding>, mut summary: Summary, config: &Config) -> Outcome {
    let mut unreadable_paths = BTreeSet::new();
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter_map(|mut f| {
            if f.code.is_input_problem() {
                unreadable_paths.insert(f.path());
                return Some(f);
            }
            f.severity = config.level_for(f.code, f.severity)?;
            Some(f)
        })
        .collect();
    kept.sort_by_cached_key(Finding::sort_key);
    for f in &kept {
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
    }
}

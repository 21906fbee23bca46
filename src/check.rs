//! `scslint check`: find the inputs, read profiles and observed networks, run the rules, apply the
//! configured levels, and sort. Output formats are report/'s business.

use crate::config::Config;
use crate::diagnostic::{Code, Finding, Severity};
use crate::envdetect::Algorithm;
use crate::external::ExternalSuffixes;
use crate::observe::dns_facts::{DnsCheck, DnsFacts, Wanted};
use crate::observe::{Network, collect};
use crate::profile::{self, Profile};
use crate::rules::{self, Context};
use crate::source::display_path;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Files or folders; empty means the working directory.
    pub paths: Vec<PathBuf>,
    /// Observed-networks files from the command line (config ones are added).
    pub observed: Vec<PathBuf>,
    /// Show a progress bar on standard error while reading observation sources.
    pub progress: bool,
    /// Profiles given by content instead of `paths` (the staged copies a pre-commit hook checks);
    /// files that are no profiles are skipped.
    pub staged: Option<Vec<crate::hook::staged::StagedFile>>,
    /// Named files that are none of the profile kinds are skipped, as when walking.
    pub skip_unrecognised: bool,
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

/// Check the profiles; with `dns`, also look up home domains, device FQDNs and observed suffixes.
pub fn run(options: &CheckOptions, config: &Config, dns: Option<&DnsCheck>) -> Outcome {
    let mut findings = Vec::new();
    let mut summary = Summary::default();
    let external = ExternalSuffixes::new(&config.external_suffixes);

    // Observed networks: snapshots or raw sources, command line first, then config; each once.
    let mut observed = Vec::new();
    let mut seen_observed = BTreeSet::new();
    for path in options.observed.iter().chain(&config.observed_paths) {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if seen_observed.insert(key) {
            observed.push(path.clone());
        }
    }
    let mut networks: Vec<Network> = Vec::new();
    if !observed.is_empty() {
        let collected = collect::collect(
            &observed,
            &config.mappings,
            &external,
            dns,
            options.progress,
        );
        findings.extend(collected.all_findings());
        summary.files += collected.stats.files;
        summary.hosts = collected.stats.reports;
        networks = collected.networks;
    }
    summary.networks = networks.len();

    let defaults = [PathBuf::from(".")];
    let paths = match (&options.staged, options.paths.is_empty()) {
        (Some(_), _) => &[][..],
        (None, true) => &defaults[..],
        (None, false) => &options.paths[..],
    };
    let mut profiles: Vec<Profile> = Vec::new();
    let mut files_read = BTreeSet::new();
    for item in crate::walk::files(paths) {
        let (path, explicit) = match item {
            Ok(file) => file,
            Err(f) => {
                findings.push(f);
                continue;
            }
        };
        let explicit = explicit && !options.skip_unrecognised;
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if !explicit && (seen_observed.contains(&canonical) || is_config_file(&path)) {
            continue;
        }
        let read = profile::read_file(&path, &display_path(&path), explicit, &config.scs);
        if !read.profiles.is_empty() || !read.findings.is_empty() {
            summary.files += 1;
            files_read.insert(display_path(&path));
        }
        findings.extend(read.findings);
        profiles.extend(read.profiles);
    }
    for file in options.staged.iter().flatten() {
        let canonical =
            std::fs::canonicalize(&file.worktree).unwrap_or_else(|_| file.worktree.clone());
        if seen_observed.contains(&canonical) || is_config_file(&file.display) {
            continue;
        }
        let read = profile::read_bytes(&file.bytes, file.size, &file.display, false, &config.scs);
        if !read.profiles.is_empty() || !read.findings.is_empty() {
            summary.files += 1;
        }
        findings.extend(read.findings);
        profiles.extend(read.profiles);
    }
    summary.profiles = profiles.len();

    let facts = dns.map(|check| DnsFacts::gather(check, home_domains(&profiles)));
    let networks_for_rules = (!observed.is_empty()).then_some(&networks[..]);
    // Network name → the profiles that predict inside for it.
    let mut inside: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for profile in &profiles {
        let ctx = Context {
            profile,
            networks: networks_for_rules,
            external: &external,
            max_home_domains: config.max_home_domains,
            dns: facts.as_ref(),
        };
        findings.extend(rules::run(&ctx));
        for (n, verdict) in ctx.verdicts() {
            if verdict.is_inside() {
                inside
                    .entry(n.name.clone())
                    .or_default()
                    .push(profile.name.clone());
            }
        }
    }
    for f in &mut findings {
        drifted_from_profile(f, &inside);
    }

    let scope = crate::suppress::Scope {
        suppressions: profiles.iter().flat_map(|p| &p.suppressions).collect(),
        files: files_read,
        networks: !observed.is_empty(),
        dns: dns.is_some(),
    };
    let applied = crate::suppress::apply(findings, &scope, config);
    summary.suppressed = applied.suppressed;
    let mut outcome = finish(applied.findings, summary, config);
    outcome.checked = profiles
        .iter()
        .map(|p| (p.name.clone(), p.source.path.clone()))
        .collect();
    outcome
}

/// SL201 on a network a checked profile predicts inside for: the devices' live settings drifted
/// from that profile, an error rather than the warning an unknown intent gets.
fn drifted_from_profile(f: &mut Finding, inside: &BTreeMap<String, Vec<String>>) {
    if f.code != Code::SL201 {
        return;
    }
    let Some(profiles) = f.network.as_ref().and_then(|n| inside.get(n)) else {
        return;
    };
    let which = match &profiles[..] {
        [one] => format!("profile `{one}` predicts"),
        many => format!("profiles {} predict", rules::name_list(many, 3)),
    };
    f.severity = Severity::Error;
    f.message.push_str(&format!(
        "; {which} inside for this network, so the live settings drifted from it"
    ));
    f.help = Some("correct the live list in place: a WS-Management Put of AMT_EnvironmentDetectionSettingData (through LMS or over CIRA), rpc-go's configure command, or re-provisioning with the profile".to_owned());
}

/// The home domains SL105 asks DNS about.
fn home_domains(profiles: &[Profile]) -> Wanted {
    let mut wanted = Wanted::default();
    for d in profiles
        .iter()
        .filter_map(|p| p.detection.as_ref())
        .filter(|d| d.algorithm == Algorithm::LocalDomains)
    {
        wanted.domains.extend(
            d.strings
                .iter()
                .filter(|s| rules::home_domain_queryable(s))
                .cloned(),
        );
    }
    wanted
}

fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == crate::config::FILE_NAME)
}

/// Apply configured levels (input problems keep theirs), count, and sort.
pub fn finish(findings: Vec<Finding>, mut summary: Summary, config: &Config) -> Outcome {
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
        checked: Vec::new(),
    }
}

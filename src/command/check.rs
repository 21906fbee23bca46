//! `scslint check`: find the inputs, group them by the config that governs each, read profiles and
//! each config's observed networks, run the rules, apply each config's suppressions and levels,
//! and merge the findings into one sorted report. Output formats are report/'s business.

use super::collect;
use super::fix;
use super::{Ended, Failure, Output, config_failure, load_config};
use crate::baseline::Baseline;
use crate::cli::{CheckArgs, ConfigArgs, Format};
use crate::config::Selection;
use crate::config::{Config, ConfigError, Configs};
use crate::diagnostic::{Code, Finding, Severity};
use crate::envdetect::Algorithm;
use crate::exit_status::Exit;
use crate::external::ExternalSuffixes;
use crate::fix::Wanted as FixesWanted;
use crate::observe::Network;
use crate::observe::dns_facts::{DnsCheck, DnsFacts, Wanted};
use crate::outcome::{NetworkRules, Outcome, Summary, leveled, tally};
use crate::profile::{self, Profile};
use crate::report::terminal::ColorWhen;
use crate::rules::{self, Context};
use crate::source::display_path;
use crate::walk;
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Files or folders; empty means the working directory.
    pub paths: Vec<PathBuf>,
    /// Observed-networks files from the command line (each config's are added).
    pub observed: Vec<PathBuf>,
    /// Show a progress bar on standard error while reading observation sources.
    pub progress: bool,
    /// Profiles given by content instead of `paths` (the staged copies a pre-commit hook checks);
    /// files that are no profiles are skipped.
    pub staged: Option<Vec<crate::hook::staged::StagedFile>>,
    /// Named files that are none of the profile kinds are skipped, as when walking.
    pub skip_unrecognised: bool,
    /// Named files and folders that `exclude` patterns match are left out too.
    pub force_exclude: bool,
}

/// One input: a file from the command line or a walk, or a staged copy.
enum Input {
    File { path: PathBuf, explicit: bool },
    Staged(crate::hook::staged::StagedFile),
}

/// The inputs one config governs, each with its place in reading order.
struct Group {
    config: Arc<Config>,
    inputs: Vec<(usize, Input)>,
}

/// Observed networks read for one set of observed paths and settings; shared by every group that
/// names the same ones, and reported once.
struct Collection {
    findings: Vec<Finding>,
    networks: Vec<Network>,
    /// Network name → the profiles that predict inside for it, over every group using it.
    inside: BTreeMap<String, Vec<String>>,
}

/// The observed networks of a run, each set read once.
#[derive(Default)]
struct Collections {
    all: Vec<Collection>,
    /// What was read (observed paths and the settings that change reading) → its index.
    keys: BTreeMap<String, usize>,
}

impl Collections {
    /// The collection for `observed` read with `config`'s settings, and whether this is its first
    /// use (which reads it, counts it into `summary` and reports its findings).
    fn get(
        &mut self,
        observed: &[PathBuf],
        canonical: &BTreeSet<PathBuf>,
        config: &Config,
        options: &CheckOptions,
        dns: Option<&DnsCheck>,
        summary: &mut Summary,
    ) -> (usize, bool) {
        // The settings are compared as printed: groups whose configs read the same files the same
        // way share one collection.
        let key = format!(
            "{canonical:?} {:?} {:?}",
            config.external_suffixes, config.mappings
        );
        if let Some(&i) = self.keys.get(&key) {
            return (i, false);
        }
        let external = ExternalSuffixes::new(&config.external_suffixes);
        let collected =
            collect::collect(observed, &config.mappings, &external, dns, options.progress);
        summary.files += collected.stats.files;
        summary.hosts += collected.stats.reports;
        summary.networks += collected.networks.len();
        self.all.push(Collection {
            findings: collected.all_findings(),
            networks: collected.networks,
            inside: BTreeMap::new(),
        });
        self.keys.insert(key, self.all.len() - 1);
        (self.all.len() - 1, true)
    }
}

/// What one group found before suppressions and levels.
struct Checked {
    config: Arc<Config>,
    profiles: Vec<(usize, Profile)>,
    findings: Vec<Finding>,
    files_read: BTreeSet<PathBuf>,
    /// The collection it used, and whether it is the first group to use it (which reports it).
    collection: Option<(usize, bool)>,
}

/// Check the profiles, each with its config (see [`Configs`]); with `dns`, also look up home
/// domains, device FQDNs and observed suffixes. Problems in a config file found on the way are
/// returned instead (a usage error).
pub fn run(
    options: &CheckOptions,
    configs: &Configs,
    dns: Option<&DnsCheck>,
) -> Result<Outcome, Vec<ConfigError>> {
    run_read(options, configs, dns).map(|(outcome, _)| outcome)
}

/// What a check read: every profile (in reading order) with the observed networks of its config.
#[derive(Default)]
pub struct Read {
    /// Each profile and the index in `networks` of its config's observed networks (`None`: its
    /// config names none).
    pub profiles: Vec<(Profile, Option<usize>)>,
    /// Each set of observed networks read.
    pub networks: Vec<Vec<Network>>,
}

/// [`run`], keeping what was read (`scslint report` draws its matrix from it).
pub fn run_read(
    options: &CheckOptions,
    configs: &Configs,
    dns: Option<&DnsCheck>,
) -> Result<(Outcome, Read), Vec<ConfigError>> {
    let mut findings = Vec::new();
    let groups = group_inputs(options, configs, &mut findings);
    let errors = configs.errors();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut summary = Summary::default();
    let mut collections = Collections::default();
    let mut checked = Vec::new();
    for group in groups {
        let config = &group.config;
        let external = ExternalSuffixes::new(&config.external_suffixes);
        // Observed networks: command line first, then config; each once.
        let mut observed = Vec::new();
        let mut seen_observed = BTreeSet::new();
        for path in options.observed.iter().chain(&config.observed_paths) {
            let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            if seen_observed.insert(key) {
                observed.push(path.clone());
            }
        }
        let collection = (!observed.is_empty()).then(|| {
            collections.get(
                &observed,
                &seen_observed,
                config,
                options,
                dns,
                &mut summary,
            )
        });
        let (mut found, profiles, files_read) =
            read_inputs(group.inputs, config, &seen_observed, options, &mut summary);

        let facts =
            dns.map(|check| DnsFacts::gather(check, home_domains(profiles.iter().map(|(_, p)| p))));
        let networks = collection.map(|(i, _)| &collections.all[i].networks[..]);
        // Which profiles predict inside where is wanted only to word live drift (SL201).
        let wants_inside = collection.is_some_and(|(i, _)| {
            collections.all[i]
                .findings
                .iter()
                .any(|f| f.code == Code::SL201)
        });
        // Each profile's findings and the networks it predicts inside for; profiles are checked
        // in parallel (in order: the results are collected by position), one alone without
        // starting a thread pool.
        let memo = rules::Memo::default();
        let check_one = |profile: &Profile| {
            let ctx = Context::new(
                profile,
                networks,
                &external,
                config.max_home_domains,
                facts.as_ref(),
            )
            .with_memo(&memo);
            let findings = rules::run(&ctx);
            let inside: Vec<(String, String)> = if wants_inside {
                ctx.verdicts()
                    .iter()
                    .filter(|(_, verdict)| verdict.is_inside())
                    .map(|(n, _)| (n.name.clone(), profile.name.clone()))
                    .collect()
            } else {
                Vec::new()
            };
            (findings, inside)
        };
        let results: Vec<_> = if profiles.len() > 1 {
            profiles.par_iter().map(|(_, p)| check_one(p)).collect()
        } else {
            profiles.iter().map(|(_, p)| check_one(p)).collect()
        };
        let mut inside: Vec<(String, String)> = Vec::new();
        for (findings, profile_inside) in results {
            found.extend(findings);
            inside.extend(profile_inside);
        }
        if let Some((i, _)) = collection {
            for (network, profile) in inside {
                collections.all[i]
                    .inside
                    .entry(network)
                    .or_default()
                    .push(profile);
            }
        }
        checked.push(Checked {
            config: group.config,
            profiles,
            findings: found,
            files_read,
            collection,
        });
    }
    summary.network_rules = Some(if collections.all.is_empty() {
        NetworkRules::Skipped
    } else {
        NetworkRules::Run
    });

    let mut profiles_read = Vec::new();
    for mut group in checked {
        if let Some((i, true)) = group.collection {
            let collection = &mut collections.all[i];
            let mut observed = std::mem::take(&mut collection.findings);
            for f in &mut observed {
                drifted_from_profile(f, &collection.inside);
            }
            group.findings.extend(observed);
        }
        let scope = crate::suppress::RunScope {
            suppressions: group
                .profiles
                .iter()
                .flat_map(|(_, p)| &p.suppressions)
                .collect(),
            files: group.files_read,
            networks: group.collection.is_some(),
            dns: dns.is_some(),
        };
        let applied = crate::suppress::apply(
            group.findings,
            &scope,
            &group.config.ignores,
            &group.config.levels,
        );
        summary.suppressed += applied.suppressed;
        findings.extend(leveled(applied.findings, &group.config.levels));
        profiles_read.extend(
            group
                .profiles
                .into_iter()
                .map(|(order, p)| (order, p, group.collection.map(|(i, _)| i))),
        );
    }
    if let Some(check) = dns {
        findings = check.group_unanswered(findings);
    }
    let mut outcome = tally(findings, summary);
    profiles_read.sort_by_key(|(order, _, _)| *order);
    outcome.checked = profiles_read
        .iter()
        .map(|(_, p, _)| (p.name.clone(), p.source.path.clone()))
        .collect();
    let read = Read {
        profiles: profiles_read
            .into_iter()
            .map(|(_, p, collection)| (p, collection))
            .collect(),
        networks: collections.all.into_iter().map(|c| c.networks).collect(),
    };
    Ok((outcome, read))
}

/// `scslint check`.
pub fn command(args: CheckArgs, color: ColorWhen) -> Ended {
    // A hook's output is read in the terminal that ran `git commit`: one line per finding.
    let default = if args.staged {
        Format::Concise
    } else {
        Format::Human
    };
    let (output, selection) = Output::new(&args.report, default, &args.exit, color)?;
    let fixing = args.fix || args.diff;
    if fixing {
        fix::refuse_staged(args.staged)?;
    } else if args.unsafe_fixes {
        return Err(Failure::new(
            "scslint",
            "--unsafe-fixes goes with --fix or --diff",
        ));
    }
    let configs =
        configs(&args.config, &selection).map_err(|errors| config_failure(&errors, color))?;
    let dns = super::dns(&args.dns)?;
    let baseline = args
        .baseline
        .as_deref()
        .map(Baseline::load)
        .transpose()
        .map_err(|e| Failure::new("scslint", &e.to_string()))?;
    let staged = args
        .staged
        .then(|| crate::hook::staged::read(&args.paths))
        .transpose()
        .map_err(|e| Failure::new("scslint", &format!("--staged: {e}")))?;
    let options = CheckOptions {
        paths: args.paths,
        observed: args.observed,
        progress: std::io::stderr().is_terminal() && !output.quiet,
        staged,
        skip_unrecognised: args.skip_unrecognised,
        force_exclude: args.force_exclude,
    };
    let (mut outcome, read) = run_read(&options, &configs, dns.as_ref())
        .map_err(|errors| config_failure(&errors, color))?;
    if let Some(baseline) = &baseline {
        outcome = baseline.filter(outcome);
    }
    if fixing {
        let recheck = fix::Recheck {
            configs: &configs,
            baseline: baseline.as_ref(),
            profiles: &read.profiles,
            networks: &read.networks,
            dns: dns.is_some(),
        };
        let wanted = if args.unsafe_fixes {
            FixesWanted::SafeAndUnsafe
        } else {
            FixesWanted::Safe
        };
        let fixed = fix::fix_files(&outcome, &recheck, wanted);
        if args.diff {
            return fix::print_diff(&fixed, &outcome, output.quiet);
        }
        let count = fix::write_fixes(&fixed, output.quiet)?;
        if count > 0 {
            // What is left, as the files now are on disk.
            outcome = run(&options, &configs, dns.as_ref())
                .map_err(|errors| config_failure(&errors, color))?;
            if let Some(baseline) = &baseline {
                outcome = baseline.filter(outcome);
            }
        }
        let exit = output.print(&outcome)?;
        if !output.quiet {
            eprintln!("{}", fix::fix_summary(count, &outcome, fixed.unsafe_left));
        }
        return Ok(exit);
    }
    if let Some(path) = &args.write_baseline {
        write_baseline(path, &outcome, output.quiet)?;
    }
    let exit = output.print(&outcome)?;
    if !output.quiet {
        let note = fix::fixable_note(&outcome);
        if !note.is_empty() {
            eprintln!("{note}");
        }
    }
    if args.write_baseline.is_some() && !outcome.had_input_problems() {
        return Ok(Exit::Clean);
    }
    Ok(exit)
}

/// The config `--config`/`--no-config` name for every file, or each file's nearest;
/// `--select`/`--ignore` applied to each.
pub(super) fn configs(
    args: &ConfigArgs,
    selection: &Selection,
) -> Result<Configs, Vec<ConfigError>> {
    if args.no_config || args.config.is_some() {
        load_config(args).map(|c| Configs::one(c, selection))
    } else {
        Ok(Configs::nearest(selection))
    }
}

/// Write `check --write-baseline FILE`.
fn write_baseline(path: &Path, outcome: &Outcome, quiet: bool) -> Result<(), Failure> {
    let shown = path.display().to_string();
    match crate::baseline::write(path, &outcome.findings) {
        Ok(n) => {
            if !quiet {
                eprintln!(
                    "scslint: recorded {n} finding{} in {}",
                    if n == 1 { "" } else { "s" },
                    crate::report::escape_text(&shown)
                );
            }
            Ok(())
        }
        Err(e) => Err(Failure::new(
            "scslint",
            &format!("--write-baseline {shown}: cannot write the baseline: {e}"),
        )),
    }
}

/// Read a group's inputs with its config: findings, profiles (with their reading order) and the
/// files read from disk (for `[[ignore]]`). Config and observed files found by walking are not
/// profiles.
fn read_inputs(
    inputs: Vec<(usize, Input)>,
    config: &Config,
    observed: &BTreeSet<PathBuf>,
    options: &CheckOptions,
    summary: &mut Summary,
) -> (Vec<Finding>, Vec<(usize, Profile)>, BTreeSet<PathBuf>) {
    let mut found = Vec::new();
    let mut profiles = Vec::new();
    let mut files_read = BTreeSet::new();
    for (order, input) in inputs {
        let read = match &input {
            Input::File { path, explicit } => {
                let explicit = *explicit && !options.skip_unrecognised;
                let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
                if !explicit && (observed.contains(&canonical) || is_config_file(path)) {
                    continue;
                }
                let shown = display_path(path);
                let read = profile::read_file(path, &shown, explicit, &config.scs);
                if !read.profiles.is_empty() || !read.findings.is_empty() {
                    files_read.insert(shown);
                }
                read
            }
            Input::Staged(file) => {
                let canonical =
                    std::fs::canonicalize(&file.worktree).unwrap_or_else(|_| file.worktree.clone());
                if observed.contains(&canonical) || is_config_file(&file.display) {
                    continue;
                }
                profile::read_bytes(&file.bytes, file.size, &file.display, false, &config.scs)
            }
        };
        if !read.profiles.is_empty() || !read.findings.is_empty() {
            summary.files += 1;
        }
        found.extend(read.findings);
        profiles.extend(read.profiles.into_iter().map(|p| (order, p)));
    }
    summary.profiles += profiles.len();
    (found, profiles, files_read)
}

/// The inputs, grouped by the config that governs each (in config path order); files that
/// cannot be read are reported into `findings`.
fn group_inputs(
    options: &CheckOptions,
    configs: &Configs,
    findings: &mut Vec<Finding>,
) -> Vec<Group> {
    let mut groups: BTreeMap<Option<PathBuf>, Group> = BTreeMap::new();
    let mut add = |config: Arc<Config>, order: usize, input: Input| {
        groups
            .entry(config.path.clone())
            .or_insert_with(|| Group {
                config,
                inputs: Vec::new(),
            })
            .inputs
            .push((order, input));
    };
    let defaults = [PathBuf::from(".")];
    let paths = match (&options.staged, options.paths.is_empty()) {
        (Some(_), _) => &[][..],
        (None, true) => &defaults[..],
        (None, false) => &options.paths[..],
    };
    let excludes = configs.clone();
    let filter = walk::Filter {
        exclude: Some(Arc::new(move |path: &Path, is_dir| {
            excludes.excludes(path, is_dir)
        })),
        force_exclude: options.force_exclude,
    };
    let mut order = 0;
    for item in walk::files(paths, filter) {
        match item {
            Ok((path, explicit)) => {
                add(
                    configs.for_file(&path),
                    order,
                    Input::File { path, explicit },
                );
                order += 1;
            }
            Err(f) => findings.push(f),
        }
    }
    for file in options.staged.iter().flatten() {
        // Staged files are found, not named: `exclude` applies to them as to a walk.
        if configs.excludes(&file.worktree, false) {
            continue;
        }
        add(
            configs.for_file(&file.worktree),
            order,
            Input::Staged(file.clone()),
        );
        order += 1;
    }
    if groups.is_empty() {
        // Nothing to check: the observed networks are still read and reported.
        let config = configs.for_working_directory();
        groups.insert(
            config.path.clone(),
            Group {
                config,
                inputs: Vec::new(),
            },
        );
    }
    groups.into_values().collect()
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
fn home_domains<'a>(profiles: impl Iterator<Item = &'a Profile>) -> Wanted {
    let mut wanted = Wanted::default();
    for d in profiles
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

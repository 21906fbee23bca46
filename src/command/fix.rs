//! Fixing what `check` found: `check --fix` and `--diff` (the files), and `scslint fix-plan`
//! (the devices). Fixes come with the findings; here they are applied pass after pass, each
//! file checked again between passes, until none is left or the passes run out.

use super::{Ended, Failure};
use crate::baseline::Baseline;
use crate::config::Configs;
use crate::diagnostic::{Finding, Location};
use crate::exit_status::Exit;
use crate::external::ExternalSuffixes;
use crate::fix::{self, Applicability, Fix, Wanted};
use crate::observe::Network;
use crate::outcome::{Outcome, Summary, leveled, tally};
use crate::profile;
use crate::report::escape_text;
use crate::rules::{self, Context};
use crate::source::{Source, SourceFile};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// Passes over one file before giving up: each pass changes a list's shape at most once, and
/// lists are short (MeshCentral keeps 4 entries, MeshCommander's editor 5).
pub const MAX_PASSES: usize = 32;

/// One file with its fixes applied (in memory).
#[derive(Debug)]
pub struct FixedFile {
    /// The file as it was read.
    pub source: Source,
    /// Its text after the fixes.
    pub text: String,
    /// Fixes applied, over all passes.
    pub applied: usize,
}

impl FixedFile {
    /// The path the file was read from (as shown).
    pub fn path(&self) -> &std::path::Path {
        &self.source.path
    }

    pub fn changed(&self) -> bool {
        self.text != self.source.text
    }
}

/// What fixing found.
#[derive(Debug, Default)]
pub struct Fixing {
    /// Every file with at least one fix applied, in path order.
    pub files: Vec<FixedFile>,
    /// Fixes still offered after the last pass that the run did not ask for (unsafe ones
    /// without `--unsafe-fixes`).
    pub unsafe_left: usize,
    /// Files whose fixed text would not read back as the same kind of profile (never written).
    pub refused: Vec<PathBuf>,
}

/// Everything a file is checked again with: the run's configs, baseline and observed networks.
pub struct Recheck<'a> {
    pub configs: &'a Configs,
    pub baseline: Option<&'a Baseline>,
    /// What the check read: each profile with the index of its observed networks in
    /// `networks` (`check::Read`).
    pub profiles: &'a [(profile::Profile, Option<usize>)],
    pub networks: &'a [Vec<Network>],
    pub dns: bool,
}

impl Recheck<'_> {
    /// The networks the profiles of `path` were judged against.
    fn networks(&self, source: &Source) -> Option<&[Network]> {
        self.profiles
            .iter()
            .find(|(p, _)| p.source.path == source.path)
            .and_then(|(_, i)| *i)
            .and_then(|i| self.networks.get(i))
            .map(Vec::as_slice)
    }

    /// The findings `check` reports for one file's text, suppressions, levels and baseline
    /// applied, and the profiles read from it. DNS rules are not run again: none has a fix.
    fn check(&self, source: &Source) -> Vec<Finding> {
        let config = self.configs.for_file(&source.path);
        let read = profile::read_source(source, true, &config.scs);
        let external = ExternalSuffixes::new(&config.external_suffixes);
        let networks = self.networks(source);
        let mut found = read.findings;
        for p in &read.profiles {
            let ctx = Context::new(p, networks, &external, config.max_home_domains, None);
            found.extend(rules::run(&ctx));
        }
        let scope = crate::suppress::RunScope {
            suppressions: read.profiles.iter().flat_map(|p| &p.suppressions).collect(),
            files: BTreeSet::from([source.path.clone()]),
            networks: networks.is_some(),
            dns: self.dns,
        };
        let applied = crate::suppress::apply(found, &scope, &config.ignores, &config.levels);
        let mut outcome = tally(
            leveled(applied.findings, &config.levels),
            Summary::default(),
        );
        if let Some(baseline) = self.baseline {
            outcome = baseline.filter(outcome);
        }
        outcome.findings
    }
}

/// The fixes of findings about `source`'s text.
fn fixes_of(findings: &[Finding], source: &Source) -> Vec<Fix> {
    findings
        .iter()
        .filter(
            |f| matches!(&f.location, Location::Span { source: s, .. } if Arc::ptr_eq(s, source)),
        )
        .filter_map(|f| f.fix.clone())
        .collect()
}

/// Count the fixes `wanted` leaves out.
fn left_out(fixes: &[Fix], wanted: Wanted) -> usize {
    fixes
        .iter()
        .filter(|f| !wanted.allows(f.applicability))
        .count()
}

/// Apply the fixes `wanted` allows to every file the findings of `outcome` point into, checking
/// each file again after every pass. Nothing is written.
pub fn fix_files(outcome: &Outcome, recheck: &Recheck, wanted: Wanted) -> Fixing {
    let mut sources: Vec<Source> = Vec::new();
    for f in &outcome.findings {
        if let (Location::Span { source, .. }, Some(_)) = (&f.location, &f.fix)
            && !sources.iter().any(|s| Arc::ptr_eq(s, source))
        {
            sources.push(source.clone());
        }
    }
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    let mut fixing = Fixing::default();
    for original in sources {
        let kind_before = kinds(recheck, &original);
        let mut current = original.clone();
        let mut fixes = fixes_of(&outcome.findings, &original);
        let mut applied = 0;
        let mut unsafe_left = left_out(&fixes, wanted);
        for _ in 0..MAX_PASSES {
            let allowed = fixes.iter().filter(|f| wanted.allows(f.applicability));
            let Some(pass) = fix::apply(&current.text, allowed) else {
                break;
            };
            applied += pass.applied;
            current = SourceFile::new(original.path.clone(), pass.text, original.encoding);
            let findings = recheck.check(&current);
            fixes = fixes_of(&findings, &current);
            unsafe_left = left_out(&fixes, wanted);
        }
        if applied == 0 {
            fixing.unsafe_left += unsafe_left;
            continue;
        }
        // A fix must leave the file readable as the same profiles: otherwise it is not written.
        if kinds(recheck, &current) != kind_before {
            fixing.refused.push(original.path.clone());
            continue;
        }
        fixing.unsafe_left += unsafe_left;
        fixing.files.push(FixedFile {
            text: current.text.clone(),
            source: original,
            applied,
        });
    }
    fixing
}

/// The kinds and names of the profiles a text reads as, and whether it reads without an input
/// problem: what a fix must leave as it was.
fn kinds(recheck: &Recheck, source: &Source) -> (Vec<(profile::ProfileKind, String)>, bool) {
    let config = recheck.configs.for_file(&source.path);
    let read = profile::read_source(source, true, &config.scs);
    let clean = !read.findings.iter().any(|f| f.code.is_input_problem());
    let profiles = read
        .profiles
        .into_iter()
        .map(|p| (p.kind, p.name))
        .collect();
    (profiles, clean)
}

/// The path as diff headers and messages show it: `/` separators.
pub(super) fn shown(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// "1 finding", "2 findings".
pub(super) fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The note on fixes left for `--unsafe-fixes`, if any.
fn unsafe_note(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => "; 1 more fix is available with --unsafe-fixes (it changes which networks count as home)".into(),
        n => format!("; {n} more fixes are available with --unsafe-fixes (they change which networks count as home)"),
    }
}

/// `check --diff`: the diffs on standard output, a summary on standard error; exit 1 when there
/// is something to fix.
pub fn print_diff(fixing: &Fixing, outcome: &Outcome, quiet: bool) -> Ended {
    let mut out = String::new();
    for file in fixing.files.iter().filter(|f| f.changed()) {
        out.push_str(&escape_diff(&fix::unified_diff(
            &shown(file.path()),
            &file.source.text,
            &file.text,
        )));
    }
    super::print(&out)?;
    report_refused(fixing);
    let fixes: usize = fixing.files.iter().map(|f| f.applied).sum();
    if !quiet {
        let files = fixing.files.iter().filter(|f| f.changed()).count();
        if fixes == 0 {
            eprintln!("scslint: nothing to fix{}", unsafe_note(fixing.unsafe_left));
        } else {
            eprintln!(
                "scslint: --fix would apply {} in {}{}",
                if fixes == 1 {
                    "1 fix".to_owned()
                } else {
                    format!("{fixes} fixes")
                },
                count(files, "file"),
                unsafe_note(fixing.unsafe_left)
            );
        }
    }
    Ok(if outcome.had_input_problems() {
        Exit::Trouble
    } else if fixes > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

/// Control characters in a diff (from the files) made visible, line breaks and tabs kept.
fn escape_diff(diff: &str) -> String {
    diff.split_inclusive('\n')
        .map(|line| {
            let (body, end) = match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line, ""),
            };
            let body = body.strip_suffix('\r').unwrap_or(body);
            let cr = if line.trim_end_matches('\n').ends_with('\r') {
                "\r"
            } else {
                ""
            };
            format!(
                "{}{cr}{end}",
                body.split('\t')
                    .map(escape_text)
                    .collect::<Vec<_>>()
                    .join("\t")
            )
        })
        .collect()
}

pub(super) fn report_refused(fixing: &Fixing) {
    for path in &fixing.refused {
        eprintln!(
            "scslint: {}: the fixed text would not read back as the same profiles; left as it is (please report this)",
            escape_text(&shown(path))
        );
    }
}

/// `check --fix`: write every fixed file whose bytes on disk are still those read. Says on
/// standard error what it fixed; the files that changed meanwhile are left alone.
pub fn write_fixes(fixing: &Fixing, quiet: bool) -> Result<usize, Failure> {
    report_refused(fixing);
    let mut fixed = 0;
    for file in fixing.files.iter().filter(|f| f.changed()) {
        let path = shown(file.path());
        let original = file.source.encode(&file.source.text);
        let new = file.source.encode(&file.text);
        match fix::write_if_unchanged(file.path(), &original, &new) {
            Ok(fix::Written::Written) => {
                fixed += file.applied;
                if !quiet {
                    eprintln!(
                        "scslint: fixed {} in {}",
                        count(file.applied, "finding"),
                        escape_text(&path)
                    );
                }
            }
            Ok(fix::Written::ChangedOnDisk) => eprintln!(
                "scslint: {} changed since it was read; not fixed (run again to fix it)",
                escape_text(&path)
            ),
            Err(e) => {
                return Err(Failure::new(
                    "scslint",
                    &format!("--fix: cannot write {path}: {e}"),
                ));
            }
        }
    }
    Ok(fixed)
}

/// The summary `check --fix` prints after the report of what is left.
pub fn fix_summary(fixed: usize, remaining: &Outcome, unsafe_left: usize) -> String {
    format!(
        "scslint: fixed {} ({} remaining){}",
        count(fixed, "finding"),
        remaining.findings.len(),
        unsafe_note(unsafe_left)
    )
}

/// What a plain `check` says of the fixes it found: how many findings `--fix` (and
/// `--unsafe-fixes`) would correct; empty when none.
pub fn fixable_note(outcome: &Outcome) -> String {
    let (safe, unsafe_) = fixable(outcome);
    match (safe, unsafe_) {
        (0, 0) => String::new(),
        (0, u) => format!(
            "scslint: {} with `check --fix --unsafe-fixes` (it changes which networks count as home; see the changes first with `--diff --unsafe-fixes`)",
            if u == 1 {
                "1 finding is fixable".to_owned()
            } else {
                format!("{u} findings are fixable")
            }
        ),
        (s, u) => format!(
            "scslint: {} with `check --fix`{}",
            if s == 1 {
                "1 finding is fixable".to_owned()
            } else {
                format!("{s} findings are fixable")
            },
            match u {
                0 => String::new(),
                u => format!(" ({u} more with --unsafe-fixes)"),
            }
        ),
    }
}

fn fixable(outcome: &Outcome) -> (usize, usize) {
    let safe = outcome
        .findings
        .iter()
        .filter(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| x.applicability == Applicability::Safe)
        })
        .count();
    let unsafe_ = outcome
        .findings
        .iter()
        .filter(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| x.applicability == Applicability::Unsafe)
        })
        .count();
    (safe, unsafe_)
}

/// A run that fixes works on the files on disk, never on git's index (`--staged`).
pub fn refuse_staged(staged: bool) -> Result<(), Failure> {
    if staged {
        return Err(Failure::new(
            "scslint",
            "--fix and --diff work on the files in the working tree, and --staged checks git's index, which scslint never writes: run `scslint check --fix PATH` on the files, then stage them again",
        ));
    }
    Ok(())
}

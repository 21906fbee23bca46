//! Command-line definitions (clap derive). Nothing else lives here.

use crate::observe::dns::{DnsOptions, parse_nameserver};
use crate::probe::parse_port;
use crate::report::terminal::ColorWhen;
use clap::{Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "scslint",
    version,
    about = "Policy linter for Intel AMT configuration profiles: predicts environment detection (home domains vs DHCP option 15) on every network",
    propagate_version = true
)]
pub struct Cli {
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set, TERM=dumb or
    /// CLICOLOR=0; CLICOLOR_FORCE=1 colours pipes too), always, or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = Color::Auto)]
    pub color: Color,

    #[command(subcommand)]
    pub command: Command,
}

/// What `--color` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    pub fn when(self) -> ColorWhen {
        match self {
            Color::Auto => ColorWhen::Auto,
            Color::Always => ColorWhen::Always,
            Color::Never => ColorWhen::Never,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check profiles (and observed networks) and report every misfire.
    Check(CheckArgs),
    /// Print what a rule catches, why it matters for AMT, how to fix it, and an example.
    Explain {
        /// A code (SL100) or rule name (enterprise-network-outside).
        code: String,

        /// Output format: human (wrapped to the terminal) or json (each section in a field).
        #[arg(long, visible_alias = "output-format", value_name = "FORMAT", default_value = "human", value_parser = text_or_json())]
        format: Format,
    },
    /// List every rule: code, name, default severity, summary.
    Rules {
        /// Output format: human (a table wrapped to the terminal) or json (an array of rules).
        #[arg(long, visible_alias = "output-format", value_name = "FORMAT", default_value = "human", value_parser = text_or_json())]
        format: Format,
    },
    /// Read DHCP server configurations and agent reports into an observed-networks snapshot.
    Collect(CollectArgs),
    /// Probe devices on the wire: is the ME there, which firmware, do its ports answer, and is a
    /// closed port the environment-detection misfire the profile predicts.
    Probe(ProbeArgs),
    /// Install or remove the git pre-commit hook that checks staged profiles.
    Hook {
        #[command(subcommand)]
        action: HookAction,
    },
    /// Show what scslint read from each file and where: profiles (home domains, algorithm, IP
    /// mode, remote access, FQDN settings), networks and hosts of observation sources, and for XML
    /// of no known kind every leaf element with a starting `[scs]` mapping.
    Inspect(InspectArgs),
    /// Write a commented starter scslint.toml.
    Init(InitArgs),
    /// Compare two observed snapshots (networks added, removed, or with another option 15,
    /// trust or host count), or two sets of findings, JSON reports or baselines in any mix (new,
    /// fixed and unchanged by fingerprint).
    Diff(DiffArgs),
    /// Write the coverage report: every profile on every observed network (inside with the entry
    /// that matched, outside, uncertain, not evaluated, disabled), totals per profile, network
    /// and site, charts, and the findings; as HTML, Markdown, CSV or JSON.
    Report(CoverageArgs),
    /// For every profile whose home-domain list the fixes (safe and unsafe) would change, print
    /// the corrected list and how to put it on devices already configured: the WS-Management
    /// Put of AMT_EnvironmentDetectionSettingData, rpc-go, and the MeshCentral config.json
    /// change. Exit status 1 when some profile needs a change.
    FixPlan(FixPlanArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), of scslint or of one subcommand (`scslint man check`).
    Man {
        /// A subcommand (`check`, `hook-install`); none for scslint(1).
        #[arg(value_name = "SUBCOMMAND")]
        subcommand: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The earlier observed.toml, JSON report (`check --format json`) or baseline.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The later one: a snapshot to compare with a snapshot, or a report or baseline with a
    /// report or baseline.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// Output format: human, json (schemas/diff.schema.json) or markdown (for a CI job summary).
    #[arg(long, visible_alias = "output-format", value_enum, value_name = "FORMAT", default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// Findings: exit with status 1 when a new finding at or above this level appears.
    #[command(flatten)]
    pub exit: ExitArgs,
}

#[derive(Debug, clap::Args)]
pub struct CoverageArgs {
    /// Profile files or folders (walked recursively). Default: the working directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Observed networks (repeatable): an observed.toml snapshot, or raw sources (DHCP
    /// configurations, agent reports), files or folders.
    #[arg(long, value_name = "PATH")]
    pub observed: Vec<PathBuf>,

    /// Output format: html (one self-contained file), markdown (fits a GitHub step summary), csv
    /// (one row per profile and network) or json (schemas/coverage.schema.json).
    #[arg(long, visible_alias = "output-format", value_enum, value_name = "FORMAT", default_value_t = CoverageFormat::Html)]
    pub format: CoverageFormat,

    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The report's title (HTML and Markdown).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    #[command(flatten)]
    pub config: ConfigArgs,
}

/// How `scslint report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CoverageFormat {
    Html,
    Markdown,
    Csv,
    Json,
}

/// How `scslint diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum HookAction {
    /// Write .git/hooks/pre-commit (or core.hooksPath's) running `scslint check --staged`.
    Install {
        /// Replace a pre-commit hook scslint did not write; it is kept as
        /// pre-commit.scslint-backup (numbered when one exists) and `hook uninstall` puts it back.
        #[arg(long)]
        force: bool,
    },
    /// Remove the pre-commit hook, if scslint wrote it, and put back the hook `install --force`
    /// replaced (its newest backup), if any.
    Uninstall,
}

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Files to inspect.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Output format: human or json (schemas/inspect.schema.json).
    #[arg(long, visible_alias = "output-format", value_name = "FORMAT", default_value = "human", value_parser = text_or_json())]
    pub format: Format,

    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write: a file, or a folder to write scslint.toml in. Default: ./scslint.toml.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ProbeArgs {
    /// Host names, IP addresses, or CIDR ranges (with --allow-range, at most an IPv4 /16 or an
    /// IPv6 /112; more than 256 addresses need --yes).
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,

    /// Allow CIDR ranges among the targets (every address in them is probed).
    #[arg(long)]
    pub allow_range: bool,

    /// Probe the hosts of a snapshot (or of raw sources), knowing their network and ME address
    /// (needs --yes). Hosts without an ME address are skipped unless --os-address is given.
    #[arg(long, value_name = "PATH")]
    pub observed: Vec<PathBuf>,

    /// The profile the devices should carry: predicts inside/outside on each device's network
    /// (SL300, SL301, SL305) and is compared with the live settings (SL302).
    #[arg(long, value_name = "PATH")]
    pub profile: Option<PathBuf>,

    /// Seconds each step of the ladder may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 3.0, value_parser = parse_seconds)]
    pub timeout: f64,

    /// Targets probed at once. Default: as many as the open-file limit allows (each target holds
    /// up to six sockets), at most 1024.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub concurrency: Option<u16>,

    /// New targets started per second (no limit by default).
    #[arg(long, value_name = "PER_SECOND", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate: Option<u32>,

    /// Only connect to 16992 and 16993 (or the --ports chosen): no RMCP, HTTP, WS-Man,
    /// redirection or TLS. A port that accepts gives the verdict ports-open.
    #[arg(long)]
    pub ports_only: bool,

    /// The TCP ports to connect to, comma-separated, among 16992, 16993, 16994, 16995 (AMT) and
    /// 623, 664 (DASH). Default: 16992-16995, or 16992,16993 with --ports-only.
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_port)]
    pub ports: Vec<u16>,

    /// Print the targets (address, name, network, why each is one) and the snapshot hosts left
    /// out, and send nothing to them. Only host names given as TARGETs are looked up in DNS, to
    /// show their address; snapshot hosts' names are not.
    #[arg(long)]
    pub dry_run: bool,

    /// Probe without asking. Snapshot hosts (--observed) and ranges of more than 256 addresses
    /// need it, unless confirmed when asked on a terminal.
    #[arg(long)]
    pub yes: bool,

    /// Probe a snapshot host that has no ME address at its OS address (under DHCP the ME shares
    /// it, and closed ports there are how SL300 confirms the misfire). Without it, such hosts
    /// are listed as skipped.
    #[arg(long)]
    pub os_address: bool,

    /// UDP port of the RMCP presence ping (623 on devices; another one behind port forwarding).
    #[arg(long, value_name = "PORT", default_value_t = 623)]
    pub rmcp_port: u16,

    /// With credentials, read the live settings (HTTP Digest). The password comes from
    /// --password-env or an interactive prompt, never from the command line.
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,

    /// The environment variable that holds the password for --user.
    #[arg(long, value_name = "VAR", requires = "user")]
    pub password_env: Option<String>,

    /// Ask this name server (IP[:PORT]) for target names instead of the system resolver.
    #[arg(long, value_name = "IP[:PORT]", value_parser = parse_nameserver)]
    pub nameserver: Option<SocketAddr>,

    /// Print the findings only: no table per target, no summary line, no progress. The exit
    /// status is unchanged.
    #[arg(short, long)]
    pub quiet: bool,

    /// Output format (concise, sarif, github and junit report files, not targets: they are for
    /// check and collect).
    #[arg(long, visible_alias = "output-format", value_name = "FORMAT", default_value = "human", value_parser = text_or_json())]
    pub format: Format,

    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ConfigArgs {
    /// Use this config file for every file instead of discovering scslint.toml (for `check`: the
    /// nearest one above each file, else the working directory's).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any scslint.toml.
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct DnsArgs {
    /// Ask DNS: device FQDNs against ME addresses (SL202, SL205), SOA/NS of home domains and
    /// observed suffixes (SL105). Uses the system resolver unless --nameserver is given.
    #[arg(long)]
    pub dns: bool,

    /// Ask this name server (IP[:PORT], port 53 by default) instead of the system resolver.
    /// Implies --dns.
    #[arg(long, value_name = "IP[:PORT]", value_parser = parse_nameserver)]
    pub nameserver: Option<SocketAddr>,

    /// Seconds to wait for one try of one query.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0, value_parser = parse_seconds)]
    pub dns_timeout: f64,

    /// Tries per query (timeouts and SERVFAIL are retried).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=10))]
    pub dns_tries: u8,

    /// Queries in flight at once.
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub dns_concurrency: u16,

    /// Also look up reverse names (PTR) of ME addresses and of the addresses FQDNs resolve to,
    /// and name them in SL202's message.
    #[arg(long)]
    pub ptr: bool,
}

impl DnsArgs {
    /// The resolver settings, when DNS checks were asked for.
    pub fn options(&self) -> Option<DnsOptions> {
        (self.dns || self.nameserver.is_some()).then(|| DnsOptions {
            nameserver: self.nameserver,
            timeout: Duration::from_secs_f64(self.dns_timeout),
            attempts: usize::from(self.dns_tries),
            concurrency: usize::from(self.dns_concurrency),
        })
    }
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.05..=60.0).contains(&v) => Ok(v),
        _ => Err("expected a number of seconds between 0.05 and 60".to_owned()),
    }
}

#[derive(Debug, clap::Args)]
pub struct CollectArgs {
    /// DHCP server configurations, agent reports, CSV inventories or snapshots: files or folders.
    #[arg(value_name = "SOURCE", required = true)]
    pub sources: Vec<PathBuf>,

    /// Write the snapshot to FILE (atomically). Without it the snapshot goes to standard output
    /// and the findings to standard error.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub exit: ExitArgs,

    #[command(flatten)]
    pub dns: DnsArgs,

    #[command(flatten)]
    pub config: ConfigArgs,
}

/// How check and collect report their findings.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Output format of the findings. Default: human (for `check --staged`, the git hook:
    /// concise).
    #[arg(
        long,
        visible_alias = "output-format",
        value_enum,
        value_name = "FORMAT"
    )]
    pub format: Option<Format>,

    /// Report only these rules, at their configured or default level: codes (SL100), names
    /// (enterprise-network-outside) or code prefixes (SL1: every SL1xx), comma-separated or
    /// repeated. A rule scslint.toml turns off is reported when selected. Unreadable input
    /// (SL050-SL053) is always reported.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Leave these rules out of this run: codes, names or code prefixes, as for --select.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Instead of the findings, print how many each rule has, most frequent first, then the
    /// summary line; with --format json, one document (schemas/statistics.schema.json).
    #[arg(long)]
    pub statistics: bool,

    /// Print the findings only: no summary line, no progress, no notes. The exit status is
    /// unchanged.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Reports with the entry underlined in its source, then a summary line.
    Human,
    /// One line per finding: `path:line:column: CODE [severity] message`.
    Concise,
    /// One JSON document (schemas/report.schema.json).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// JUnit XML: one test case per profile, for CI test reports.
    Junit,
}

/// `--format` of `probe`, `inspect`, `rules` and `explain`, which report no findings per file:
/// human or json only.
fn text_or_json() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["human", "json"]).map(|s| match s.as_str() {
        "json" => Format::Json,
        _ => Format::Human,
    })
}

/// The lowest level that makes the exit status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailLevel {
    Error,
    Warning,
    Info,
}

impl FailLevel {
    pub fn severity(self) -> crate::diagnostic::Severity {
        use crate::diagnostic::Severity;
        match self {
            FailLevel::Error => Severity::Error,
            FailLevel::Warning => Severity::Warning,
            FailLevel::Info => Severity::Info,
        }
    }
}

/// How findings turn into the exit status (check and collect).
#[derive(Debug, Clone, clap::Args)]
pub struct ExitArgs {
    /// Exit with status 1 when a finding at or above this level remains.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailLevel::Error)]
    pub fail_level: FailLevel,

    /// Exit with status 0 even when findings remain. Usage errors and inputs that could not be
    /// read or parsed still exit with status 2.
    #[arg(long)]
    pub exit_zero: bool,
}

#[derive(Debug, clap::Args)]
pub struct FixPlanArgs {
    /// Profile files or folders (walked recursively). Default: the working directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Observed networks (repeatable): an observed.toml snapshot, or raw sources. SL100 proposes
    /// the entries to add from them.
    #[arg(long, value_name = "PATH")]
    pub observed: Vec<PathBuf>,

    /// Output format: human or json (schemas/fix-plan.schema.json).
    #[arg(long, visible_alias = "output-format", value_name = "FORMAT", default_value = "human", value_parser = text_or_json())]
    pub format: Format,

    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Profile files or folders (walked recursively). Default: the working directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Observed networks (repeatable): an observed.toml snapshot, or raw sources (DHCP
    /// configurations, agent reports), files or folders.
    #[arg(long, value_name = "PATH")]
    pub observed: Vec<PathBuf>,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Leave out the findings this baseline file lists (see --write-baseline); report only new ones.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,

    /// Record today's findings (after suppressions) in FILE, atomically, and exit 0 unless some
    /// input could not be read.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Check only the files staged for commit, reading their staged content (what `git commit`
    /// records), not the working tree; PATHs then narrow which staged files are looked at. Files
    /// that are no profiles are skipped. For git pre-commit hooks.
    #[arg(long)]
    pub staged: bool,

    /// Skip named files that are none of the profile kinds, as when walking a folder, instead of
    /// reporting them (SL053). For pre-commit, which names every staged .xml and .json file.
    #[arg(long)]
    pub skip_unrecognised: bool,

    /// Leave out named files and folders that `exclude` in scslint.toml matches, as when walking
    /// (named paths are otherwise always checked). For hooks and editors that name files.
    #[arg(long)]
    pub force_exclude: bool,

    /// Apply the safe fixes in place (canonical spelling, duplicate and covered entries,
    /// placeholders beside real entries), editing only the entries involved; each file is
    /// written atomically, and only if it did not change since it was read. Then report what is
    /// left.
    #[arg(long, conflicts_with_all = ["diff", "write_baseline"])]
    pub fix: bool,

    /// With --fix or --diff, also apply the unsafe fixes: add the entries SL100 proposes and
    /// delete over-broad entries (SL006). They change which networks AMT counts as home.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print a unified diff of what --fix would write, and write nothing. Exit status 1 when
    /// there is something to fix, 0 when there is nothing.
    #[arg(long, conflicts_with = "write_baseline")]
    pub diff: bool,

    #[command(flatten)]
    pub exit: ExitArgs,

    #[command(flatten)]
    pub dns: DnsArgs,

    #[command(flatten)]
    pub config: ConfigArgs,
}

//! The commands, on top of every other layer: each reads its inputs, runs the readers, rules and
//! renderers below, prints, and says how it ended. `main` turns that into the exit status.
//! Printing happens here and nowhere below (the `[lints]` table in Cargo.toml denies it elsewhere).
#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod collect;
pub mod diff;
pub mod explain;
pub mod fix;
pub mod fix_plan;
pub mod hook;
pub mod init;
pub mod inspect;
pub mod probe;
pub mod report;

use crate::cli::{Cli, Command, ConfigArgs, DnsArgs, ExitArgs, Format, ReportArgs};
use crate::config::{Config, ConfigError, Selection};
use crate::exit_status::{Exit, Policy};
use crate::observe::dns_facts::DnsCheck;
use crate::outcome::Outcome;
use crate::report::paths::RepoPaths;
use crate::report::terminal::{ColorWhen, Stream, Style};
use crate::report::{concise, escape_text, github, human, json, junit, sarif, statistics};
use std::io::Write;

/// A command that could not run to the end: what to print on standard error. The exit status
/// is 2.
#[derive(Debug)]
pub struct Failure(String);

impl Failure {
    /// `PREFIX: MESSAGE` on one line, the message escaped for the terminal (`prefix` is
    /// `scslint` or `scslint COMMAND`).
    pub fn new(prefix: &str, message: &str) -> Failure {
        Failure(format!("{prefix}: {}\n", escape_text(message)))
    }

    /// Text already rendered for standard error (config problems with their snippets).
    pub fn rendered(text: String) -> Failure {
        Failure(text)
    }

    /// What to print on standard error.
    pub fn text(&self) -> &str {
        &self.0
    }
}

/// What a command returns: how it ended, or why it could not run.
pub type Ended = Result<Exit, Failure>;

/// Run the command the arguments name.
pub fn run(cli: Cli) -> Ended {
    let color = cli.color.when();
    match cli.command {
        Command::Check(args) => check::command(args, color),
        Command::Explain { code, format } => explain::explain(&code, format, color),
        Command::Rules { format } => explain::rules(format, color),
        Command::Collect(args) => collect::command(args, color),
        Command::Probe(args) => probe::command(args, color),
        Command::Hook { action } => hook::command(action),
        Command::Inspect(args) => inspect::command(args, color),
        Command::Init(args) => init::command(args),
        Command::Diff(args) => diff::command(args, color),
        Command::Report(args) => report::command(args, color),
        Command::FixPlan(args) => fix_plan::command(args, color),
        Command::Completions { shell } => print(&crate::shell::completions(shell)),
        Command::Man { subcommand } => explain::man(subcommand.as_deref()),
    }
}

/// Write to standard output; a closed pipe (`scslint … | head`) is not an error.
pub fn print(text: &str) -> Ended {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(Exit::Clean),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Exit::Clean),
        Err(e) => Err(Failure::new(
            "scslint",
            &format!("cannot write output: {e}"),
        )),
    }
}

/// Config problems, rendered with their snippets for standard error.
fn config_failure(errors: &[ConfigError], color: ColorWhen) -> Failure {
    let style = Style::detect(color, Stream::Stderr);
    Failure::rendered(human::render_config_errors(errors, style))
}

/// The one config `--config`/`--no-config` name, or the working directory's.
fn load_config(args: &ConfigArgs) -> Result<Config, Vec<ConfigError>> {
    if args.no_config {
        return Ok(Config::default());
    }
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| Config::discover(&d)),
    };
    match path {
        Some(p) => Config::load(&p),
        None => Ok(Config::default()),
    }
}

/// [`load_config`], its problems rendered as the failure.
fn config(args: &ConfigArgs, color: ColorWhen) -> Result<Config, Failure> {
    load_config(args).map_err(|errors| config_failure(&errors, color))
}

/// The DNS checker `--dns` asks for.
fn dns(args: &DnsArgs) -> Result<Option<DnsCheck>, Failure> {
    let Some(options) = args.options() else {
        return Ok(None);
    };
    DnsCheck::new(&options, args.ptr)
        .map(Some)
        .map_err(|e| Failure::new("scslint", &format!("--dns: {e}")))
}

/// How check and collect print their findings.
struct Output {
    format: Format,
    statistics: bool,
    quiet: bool,
    color: ColorWhen,
    policy: Policy,
}

impl Output {
    /// What the report options ask for, and the rules `--select`/`--ignore` name (for the
    /// configs).
    fn new(
        args: &ReportArgs,
        default: Format,
        exit: &ExitArgs,
        color: ColorWhen,
    ) -> Result<(Output, Selection), Failure> {
        let usage = |message: &str| Failure::new("scslint", message);
        let format = args.format.unwrap_or(default);
        if args.statistics && matches!(format, Format::Sarif | Format::Github | Format::Junit) {
            return Err(usage(
                "--statistics prints text or JSON: give --format human, concise or json",
            ));
        }
        let selection = Selection::parse(&args.select, &args.ignore).map_err(|e| usage(&e))?;
        let output = Output {
            format,
            statistics: args.statistics,
            quiet: args.quiet,
            color,
            policy: Policy {
                fail_level: exit.fail_level.severity(),
                exit_zero: exit.exit_zero,
            },
        };
        Ok((output, selection))
    }

    /// The report for `stream`.
    fn render(&self, outcome: &Outcome, stream: Stream) -> String {
        let style = Style::detect(self.color, stream);
        if self.statistics {
            return match self.format {
                Format::Json => statistics::render_json(outcome),
                _ => statistics::render_text(outcome, self.quiet),
            };
        }
        match self.format {
            Format::Human => human::render(outcome, style, self.quiet),
            Format::Concise => concise::render(outcome, style, self.quiet),
            Format::Json => json::render(outcome),
            Format::Sarif => sarif::render(outcome, &RepoPaths::detect()),
            Format::Github => github::render(outcome, &RepoPaths::detect()),
            Format::Junit => junit::render(outcome, self.policy.fail_level),
        }
    }

    /// The report on standard output, then how the run ends under `--fail-level`/`--exit-zero`.
    fn print(&self, outcome: &Outcome) -> Ended {
        print(&self.render(outcome, Stream::Stdout))?;
        Ok(self.policy.exit(outcome))
    }
}

//! The scslint binary: parse arguments, run, map the outcome to an exit status
//! (0 clean, 1 error-level findings, 2 usage error or unreadable input).

use clap::Parser;
use scslint::check::{CheckOptions, Outcome, Summary, finish, run};
use scslint::cli::{CheckArgs, Cli, CollectArgs, Command, ConfigArgs, DnsArgs, Format};
use scslint::config::{Config, ConfigError};
use scslint::diagnostic::{Code, Severity};
use scslint::external::ExternalSuffixes;
use scslint::observe::dns_facts::DnsCheck;
use scslint::observe::{collect, snapshot};
use scslint::report::{human, json};
use scslint::rules;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Explain { code } => explain(&code),
        Command::Rules => list_rules(),
        Command::Collect(args) => collect(args),
    }
}

/// The config to use, or the exit status after printing why it cannot be loaded.
fn config_or_exit(args: &ConfigArgs) -> Result<Config, ExitCode> {
    load_config(args).map_err(|errors| {
        let style = human::Style::detect(std::io::stderr().is_terminal());
        eprint!("{}", human::render_config_errors(&errors, style));
        ExitCode::from(2)
    })
}

/// 2 for unreadable input, 1 for error-level findings, else 0.
fn status(outcome: &Outcome) -> ExitCode {
    if outcome.had_input_problems() {
        ExitCode::from(2)
    } else if outcome
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn render(outcome: &Outcome, format: Format, to_terminal: bool) -> String {
    match format {
        Format::Human => human::render(outcome, human::Style::detect(to_terminal)),
        Format::Json => json::render(outcome),
    }
}

/// The DNS checker `--dns` asks for, or the exit status after printing why it cannot start.
fn dns_or_exit(args: &DnsArgs) -> Result<Option<DnsCheck>, ExitCode> {
    let Some(options) = args.options() else {
        return Ok(None);
    };
    DnsCheck::new(&options, args.ptr).map(Some).map_err(|e| {
        eprintln!("scslint: --dns: {e}");
        ExitCode::from(2)
    })
}

fn collect(args: CollectArgs) -> ExitCode {
    let (config, dns) = match (config_or_exit(&args.config), dns_or_exit(&args.dns)) {
        (Ok(c), Ok(d)) => (c, d),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let external = ExternalSuffixes::new(&config.external_suffixes);
    let collected = collect::collect(
        &args.sources,
        &config.mappings,
        &external,
        dns.as_ref(),
        std::io::stderr().is_terminal(),
    );
    let text = collect::snapshot_text(&collected);
    if collected.stats.unattributed > 0 {
        eprintln!(
            "scslint: {} host report(s) joined no network: no address in a DHCP range and no connection-specific suffix",
            collected.stats.unattributed
        );
    }
    let summary = Summary {
        files: collected.stats.files,
        networks: collected.networks.len(),
        hosts: collected.stats.reports,
        ..Summary::default()
    };
    let outcome = finish(collected.all_findings(), summary, &config);
    match &args.output {
        Some(path) => {
            if let Err(e) = snapshot::write_atomic(path, &text) {
                eprintln!("scslint: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
            if !print_report(&outcome, args.format) {
                return ExitCode::from(2);
            }
        }
        None => {
            if print(&text) != ExitCode::SUCCESS {
                return ExitCode::from(2);
            }
            eprint!(
                "{}",
                render(&outcome, args.format, std::io::stderr().is_terminal())
            );
        }
    }
    status(&outcome)
}

/// The findings on standard output; false when they could not be written.
fn print_report(outcome: &Outcome, format: Format) -> bool {
    print(&render(outcome, format, std::io::stdout().is_terminal())) == ExitCode::SUCCESS
}

fn print(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`scslint … | head`) is not an error worth a panic.
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scslint: cannot write output: {e}");
            ExitCode::from(2)
        }
    }
}

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

fn check(args: CheckArgs) -> ExitCode {
    let (config, dns) = match (config_or_exit(&args.config), dns_or_exit(&args.dns)) {
        (Ok(c), Ok(d)) => (c, d),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let options = CheckOptions {
        paths: args.paths,
        observed: args.observed,
        progress: std::io::stderr().is_terminal(),
    };
    let outcome = run(&options, &config, dns.as_ref());
    if !print_report(&outcome, args.format) {
        return ExitCode::from(2);
    }
    status(&outcome)
}

fn explain(code: &str) -> ExitCode {
    match Code::parse(code) {
        Some(c) => print(&rules::explain(c)),
        None => {
            eprintln!(
                "scslint: unknown rule `{}`; `scslint rules` lists them all",
                scslint::report::escape_text(code)
            );
            ExitCode::from(2)
        }
    }
}

fn list_rules() -> ExitCode {
    let mut text = format!(
        "{:<6} {:<38} {:<8} {}\n",
        "CODE", "NAME", "LEVEL", "SUMMARY"
    );
    for &c in Code::ALL {
        text.push_str(&format!(
            "{:<6} {:<38} {:<8} {}\n",
            c.as_str(),
            c.name(),
            c.default_severity().as_str(),
            rules::doc(c).summary
        ));
    }
    print(&text)
}

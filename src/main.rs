//! The scslint binary: parse arguments, run, map the outcome to an exit status
//! (0 clean, 1 error-level findings, 2 usage error or unreadable input).

use clap::Parser;
use scslint::check::{CheckOptions, run};
use scslint::cli::{CheckArgs, Cli, Command, Format};
use scslint::config::{Config, ConfigError};
use scslint::diagnostic::{Code, Severity};
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
    }
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

fn load_config(args: &CheckArgs) -> Result<Config, Vec<ConfigError>> {
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
    let config = match load_config(&args) {
        Ok(c) => c,
        Err(errors) => {
            eprint!(
                "{}",
                human::render_config_errors(
                    &errors,
                    human::Style::detect(std::io::stderr().is_terminal())
                )
            );
            return ExitCode::from(2);
        }
    };
    let options = CheckOptions {
        paths: args.paths,
        observed: args.observed,
    };
    let outcome = run(&options, &config);
    let text = match args.format {
        Format::Human => human::render(
            &outcome,
            human::Style::detect(std::io::stdout().is_terminal()),
        ),
        Format::Json => json::render(&outcome),
    };
    if print(&text) != ExitCode::SUCCESS {
        return ExitCode::from(2);
    }
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

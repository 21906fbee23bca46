//! The scslint binary: parse arguments, run, map the outcome to an exit status
//! (0 clean, 1 error-level findings, 2 usage error or unreadable input).

use clap::Parser;
use scslint::baseline::Baseline;
use scslint::check::{CheckOptions, Outcome, Summary, finish, run};
use scslint::cli::{
    CheckArgs, Cli, CollectArgs, Command, ConfigArgs, DnsArgs, ExitArgs, Format, HookAction,
    InitArgs, ProbeArgs,
};
use scslint::config::{Config, ConfigError, Configs};
use scslint::diagnostic::{Code, Severity};
use scslint::exit_status::Policy;
use scslint::external::ExternalSuffixes;
use scslint::observe::collect;
use scslint::observe::dns::DnsOptions;
use scslint::observe::dns_facts::DnsCheck;
use scslint::probe::{self, plan};
use scslint::report::paths::RepoPaths;
use scslint::report::{self, github, human, json, junit, sarif};
use scslint::rules;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Explain { code } => explain(&code),
        Command::Rules => list_rules(),
        Command::Collect(args) => collect(args),
        Command::Probe(args) => probe(args),
        Command::Hook { action } => hook(action),
        Command::Init(args) => init(args),
        Command::Completions { shell } => print(&scslint::shell::completions(shell)),
        Command::Man { subcommand } => man(subcommand.as_deref()),
    }
}

/// The config to use, or the exit status after printing why it cannot be loaded.
fn config_or_exit(args: &ConfigArgs) -> Result<Config, ExitCode> {
    load_config(args).map_err(|errors| config_errors(&errors))
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

fn render(outcome: &Outcome, format: Format, to_terminal: bool, policy: &Policy) -> String {
    match format {
        Format::Human => human::render(outcome, human::Style::detect(to_terminal)),
        Format::Json => json::render(outcome),
        Format::Sarif => sarif::render(outcome, &RepoPaths::detect()),
        Format::Github => github::render(outcome, &RepoPaths::detect()),
        Format::Junit => junit::render(outcome, policy.fail_level),
    }
}

/// What `--fail-level` and `--exit-zero` ask for.
fn policy(args: &ExitArgs) -> Policy {
    Policy {
        fail_level: args.fail_level.severity(),
        exit_zero: args.exit_zero,
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
    let mut findings = collected.all_findings();
    if let Some(dns) = &dns {
        findings = dns.group_unanswered(findings);
    }
    let outcome = finish(findings, summary, &config);
    let policy = policy(&args.exit);
    match &args.output {
        Some(path) => {
            if let Err(e) = scslint::atomic::write(path, text.as_bytes(), 0o644, true) {
                eprintln!("scslint: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
            if !print_report(&outcome, args.format, &policy) {
                return ExitCode::from(2);
            }
        }
        None => {
            if print(&text) != ExitCode::SUCCESS {
                return ExitCode::from(2);
            }
            eprint!(
                "{}",
                render(
                    &outcome,
                    args.format,
                    std::io::stderr().is_terminal(),
                    &policy
                )
            );
        }
    }
    ExitCode::from(policy.code(&outcome))
}

/// The findings on standard output; false when they could not be written.
fn print_report(outcome: &Outcome, format: Format, policy: &Policy) -> bool {
    let text = render(outcome, format, std::io::stdout().is_terminal(), policy);
    print(&text) == ExitCode::SUCCESS
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

/// For `check`: the config `--config`/`--no-config` name for every file, or each file's nearest.
fn check_configs(args: &ConfigArgs) -> Result<Configs, Vec<ConfigError>> {
    if args.no_config || args.config.is_some() {
        load_config(args).map(Configs::one)
    } else {
        Ok(Configs::nearest())
    }
}

/// Config problems on standard error; the usage-error exit status.
fn config_errors(errors: &[ConfigError]) -> ExitCode {
    let style = human::Style::detect(std::io::stderr().is_terminal());
    eprint!("{}", human::render_config_errors(errors, style));
    ExitCode::from(2)
}

fn check(args: CheckArgs) -> ExitCode {
    let configs = match check_configs(&args.config) {
        Ok(c) => c,
        Err(errors) => return config_errors(&errors),
    };
    let dns = match dns_or_exit(&args.dns) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("scslint: {e}");
            return ExitCode::from(2);
        }
    };
    let staged = match args
        .staged
        .then(|| scslint::hook::staged::read(&args.paths))
        .transpose()
    {
        Ok(staged) => staged,
        Err(e) => {
            eprintln!("scslint: --staged: {}", scslint::report::escape_text(&e));
            return ExitCode::from(2);
        }
    };
    let options = CheckOptions {
        paths: args.paths,
        observed: args.observed,
        progress: std::io::stderr().is_terminal(),
        staged,
        skip_unrecognised: args.skip_unrecognised,
        force_exclude: args.force_exclude,
    };
    let mut outcome = match run(&options, &configs, dns.as_ref()) {
        Ok(outcome) => outcome,
        Err(errors) => return config_errors(&errors),
    };
    if let Some(baseline) = &baseline {
        outcome = baseline.filter(outcome);
    }
    if let Some(path) = &args.write_baseline
        && let Some(code) = write_baseline(path, &outcome)
    {
        return code;
    }
    let policy = policy(&args.exit);
    if !print_report(&outcome, args.format, &policy) {
        return ExitCode::from(2);
    }
    if args.write_baseline.is_some() && !outcome.had_input_problems() {
        return ExitCode::SUCCESS;
    }
    ExitCode::from(policy.code(&outcome))
}

/// Write `check --write-baseline FILE`; the exit status when that failed.
fn write_baseline(path: &std::path::Path, outcome: &Outcome) -> Option<ExitCode> {
    let shown = scslint::report::escape_text(&path.display().to_string());
    match scslint::baseline::write(path, &outcome.findings) {
        Ok(n) => {
            eprintln!(
                "scslint: recorded {n} finding{} in {shown}",
                if n == 1 { "" } else { "s" }
            );
            None
        }
        Err(e) => {
            eprintln!("scslint: --write-baseline {shown}: cannot write the baseline: {e}");
            Some(ExitCode::from(2))
        }
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

/// The password for `--user`: from the named environment variable, else asked on the terminal.
fn password(args: &ProbeArgs) -> Result<Option<String>, String> {
    let Some(user) = &args.user else {
        return Ok(None);
    };
    if let Some(var) = &args.password_env {
        return std::env::var(var)
            .map(Some)
            .map_err(|_| format!("--password-env {var}: the variable is not set"));
    }
    if !std::io::stdin().is_terminal() {
        return Err("--user needs --password-env VAR when there is no terminal to ask on".into());
    }
    rpassword::prompt_password(format!("AMT password for {user}: "))
        .map(Some)
        .map_err(|e| format!("cannot read the password: {e}"))
}

fn probe(args: ProbeArgs) -> ExitCode {
    let config = match config_or_exit(&args.config) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let usage = |e: String| {
        eprintln!("scslint probe: {}", scslint::report::escape_text(&e));
        ExitCode::from(2)
    };
    let secret = match password(&args) {
        Ok(p) => p,
        Err(e) => return usage(e),
    };
    let dns = DnsOptions {
        nameserver: args.nameserver,
        ..DnsOptions::default()
    };
    let inputs = plan::Inputs {
        targets: &args.targets,
        allow_range: args.allow_range,
        observed: &args.observed,
        profile: args.profile.as_deref(),
        dns: &dns,
    };
    let plan = match plan::plan(&inputs, &config) {
        Ok(p) => p,
        Err(e) => return usage(e),
    };
    let options = probe::Options {
        timeout: Duration::from_secs_f64(args.timeout),
        concurrency: usize::from(args.concurrency),
        rate: args.rate,
        ports_only: args.ports_only,
        rmcp_port: args.rmcp_port,
        credentials: args
            .user
            .clone()
            .zip(secret)
            .map(|(user, password)| probe::wsman::Credentials { user, password }),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let bar = if plan.targets.len() > 1 && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(plan.targets.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} targets ({per_sec}, {elapsed})",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let reports = match probe::run_all(plan.targets.clone(), &options, stop.clone(), &bar) {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    bar.finish_and_clear();
    if stop.load(Ordering::SeqCst) {
        eprintln!(
            "scslint probe: interrupted; {} of {} targets were probed",
            reports.len(),
            plan.targets.len()
        );
    }
    let outcome = finish(plan.findings(&reports), Summary::default(), &config);
    let findings = &outcome.findings;
    let text = match args.format {
        Format::Json => report::probe::render_json(&reports, findings),
        // The command line allows human and json only.
        _ => report::probe::render_human(
            &reports,
            findings,
            human::Style::detect(std::io::stdout().is_terminal()),
        ),
    };
    if print(&text) != ExitCode::SUCCESS {
        return ExitCode::from(2);
    }
    status(&outcome)
}

fn hook(action: HookAction) -> ExitCode {
    use scslint::hook::install::{self, Installed, Removed};
    let shown = |p: &std::path::Path| p.display().to_string();
    let done = match action {
        HookAction::Install { force } => install::install(force).map(|done| match done {
            Installed::Created(p) => format!("installed {}", shown(&p)),
            Installed::Updated(p) => format!("updated {}", shown(&p)),
            Installed::Replaced { hook, backup } => format!(
                "replaced the previous hook at {}; it was kept as {} (`scslint hook uninstall` puts it back)",
                shown(&hook),
                shown(&backup)
            ),
        }),
        HookAction::Uninstall => install::uninstall().map(|done| match done {
            Removed::Removed(p) => format!("removed {}", shown(&p)),
            Removed::Restored { hook, backup } => format!(
                "removed scslint's hook and put back the hook it had replaced: {} is now at {}",
                shown(&backup),
                shown(&hook)
            ),
            Removed::NothingInstalled { hook, backup: None } => {
                format!("no hook at {}; nothing to do", shown(&hook))
            }
            Removed::NothingInstalled {
                hook,
                backup: Some(backup),
            } => format!(
                "no hook at {}; nothing to do. A hook scslint replaced earlier is kept at {}: rename it to {} to use it again",
                shown(&hook),
                shown(&backup),
                shown(&hook)
            ),
        }),
    };
    match done {
        Ok(message) => {
            eprintln!("scslint: {}", scslint::report::escape_text(&message));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("scslint hook: {}", scslint::report::escape_text(&e));
            ExitCode::from(2)
        }
    }
}

fn init(args: InitArgs) -> ExitCode {
    let path = scslint::init::target(args.path.as_deref());
    match scslint::init::write(&path, args.force) {
        Ok(()) => {
            eprintln!(
                "scslint: wrote {}; name your observed networks under [observed], then run `scslint check`",
                scslint::report::escape_text(&path.display().to_string())
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("scslint init: {}", scslint::report::escape_text(&e));
            ExitCode::from(2)
        }
    }
}

fn man(subcommand: Option<&str>) -> ExitCode {
    match scslint::shell::man_page(subcommand) {
        Some(page) => print(&page),
        None => {
            eprintln!(
                "scslint man: no subcommand `{}`; one of: {}",
                scslint::report::escape_text(subcommand.unwrap_or_default()),
                scslint::shell::man_page_names().join(", ")
            );
            ExitCode::from(2)
        }
    }
}

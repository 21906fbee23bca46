//! The scslint binary: parse arguments, run, map the outcome to an exit status
//! (0 clean, 1 error-level findings, 2 usage error or unreadable input).

use clap::Parser;
use scslint::baseline::Baseline;
use scslint::check::{CheckOptions, run};
use scslint::cli::{
    CheckArgs, Cli, CollectArgs, Command, ConfigArgs, DnsArgs, ExitArgs, Format, HookAction,
    InitArgs, InspectArgs, ProbeArgs, ReportArgs,
};
use scslint::config::{Config, ConfigError, Configs, Selection};
use scslint::diagnostic::{Code, Severity};
use scslint::exit_status::Policy;
use scslint::external::ExternalSuffixes;
use scslint::observe::collect;
use scslint::observe::dns::DnsOptions;
use scslint::observe::dns_facts::DnsCheck;
use scslint::outcome::{Outcome, Summary, finish};
use scslint::probe::{self, plan};
use scslint::report::paths::RepoPaths;
use scslint::report::terminal::{ColorWhen, Stream, Style};
use scslint::report::{
    self, concise, docs, escape_text, github, human, json, junit, sarif, statistics,
};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn main() -> ExitCode {
    ignore_file_size_signal();
    let cli = Cli::parse();
    let color = cli.color.when();
    match cli.command {
        Command::Check(args) => check(args, color),
        Command::Explain { code, format } => explain(&code, format, color),
        Command::Rules { format } => list_rules(format, color),
        Command::Collect(args) => collect(args, color),
        Command::Probe(args) => probe(args, color),
        Command::Hook { action } => hook(action),
        Command::Inspect(args) => inspect(args, color),
        Command::Init(args) => init(args),
        Command::Completions { shell } => print(&scslint::shell::completions(shell)),
        Command::Man { subcommand } => man(subcommand.as_deref()),
    }
}

/// Under a file-size limit (`ulimit -f`), a write past it raises SIGXFSZ, which kills the
/// process; ignored, the write fails with EFBIG instead and the run reports it and exits 2, the
/// old file intact.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN before any thread starts installs no
    // handler code and races with nothing.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// The config to use, or the exit status after printing why it cannot be loaded.
fn config_or_exit(args: &ConfigArgs, color: ColorWhen) -> Result<Config, ExitCode> {
    load_config(args).map_err(|errors| config_errors(&errors, color))
}

/// Config problems on standard error; the usage-error exit status.
fn config_errors(errors: &[ConfigError], color: ColorWhen) -> ExitCode {
    let style = Style::detect(color, Stream::Stderr);
    eprint!("{}", human::render_config_errors(errors, style));
    ExitCode::from(2)
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
    /// configs); the exit status after printing why when they do not fit.
    fn new(
        args: &ReportArgs,
        default: Format,
        exit: &ExitArgs,
        color: ColorWhen,
    ) -> Result<(Output, Selection), ExitCode> {
        let usage = |message: String| {
            eprintln!("scslint: {}", escape_text(&message));
            ExitCode::from(2)
        };
        let format = args.format.unwrap_or(default);
        if args.statistics && matches!(format, Format::Sarif | Format::Github | Format::Junit) {
            return Err(usage(
                "--statistics prints text or JSON: give --format human, concise or json".into(),
            ));
        }
        let selection = Selection::parse(&args.select, &args.ignore).map_err(usage)?;
        let output = Output {
            format,
            statistics: args.statistics,
            quiet: args.quiet,
            color,
            policy: policy(exit),
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

    /// The report on standard output; false when it could not be written.
    fn print(&self, outcome: &Outcome) -> bool {
        print(&self.render(outcome, Stream::Stdout)) == ExitCode::SUCCESS
    }
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
        eprintln!("scslint: --dns: {}", escape_text(&e.to_string()));
        ExitCode::from(2)
    })
}

fn collect(args: CollectArgs, color: ColorWhen) -> ExitCode {
    let (mut config, dns) = match (config_or_exit(&args.config, color), dns_or_exit(&args.dns)) {
        (Ok(c), Ok(d)) => (c, d),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let output = match Output::new(&args.report, Format::Human, &args.exit, color) {
        Ok((output, selection)) => {
            config.apply(&selection);
            output
        }
        Err(code) => return code,
    };
    let external = ExternalSuffixes::new(&config.external_suffixes);
    let collected = collect::collect(
        &args.sources,
        &config.mappings,
        &external,
        dns.as_ref(),
        std::io::stderr().is_terminal() && !output.quiet,
    );
    let text = collect::snapshot_text(&collected);
    if collected.stats.unattributed > 0 && !output.quiet {
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
    match &args.output {
        Some(path) => {
            if let Err(e) = scslint::atomic::write(path, text.as_bytes(), 0o644, true) {
                eprintln!(
                    "scslint: cannot write {}: {e}",
                    escape_text(&path.display().to_string())
                );
                return ExitCode::from(2);
            }
            if !output.print(&outcome) {
                return ExitCode::from(2);
            }
        }
        None => {
            if print(&text) != ExitCode::SUCCESS {
                return ExitCode::from(2);
            }
            eprint!("{}", output.render(&outcome, Stream::Stderr));
        }
    }
    ExitCode::from(output.policy.code(&outcome))
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

/// For `check`: the config `--config`/`--no-config` name for every file, or each file's nearest;
/// `--select`/`--ignore` applied to each.
fn check_configs(args: &ConfigArgs, selection: &Selection) -> Result<Configs, Vec<ConfigError>> {
    if args.no_config || args.config.is_some() {
        load_config(args).map(|c| Configs::one(c, selection))
    } else {
        Ok(Configs::nearest(selection))
    }
}

fn check(args: CheckArgs, color: ColorWhen) -> ExitCode {
    // A hook's output is read in the terminal that ran `git commit`: one line per finding.
    let default = if args.staged {
        Format::Concise
    } else {
        Format::Human
    };
    let (output, selection) = match Output::new(&args.report, default, &args.exit, color) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let configs = match check_configs(&args.config, &selection) {
        Ok(c) => c,
        Err(errors) => return config_errors(&errors, color),
    };
    let dns = match dns_or_exit(&args.dns) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let baseline = match args.baseline.as_deref().map(Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("scslint: {}", escape_text(&e.to_string()));
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
            eprintln!("scslint: --staged: {}", escape_text(&e));
            return ExitCode::from(2);
        }
    };
    let options = CheckOptions {
        paths: args.paths,
        observed: args.observed,
        progress: std::io::stderr().is_terminal() && !output.quiet,
        staged,
        skip_unrecognised: args.skip_unrecognised,
        force_exclude: args.force_exclude,
    };
    let mut outcome = match run(&options, &configs, dns.as_ref()) {
        Ok(outcome) => outcome,
        Err(errors) => return config_errors(&errors, color),
    };
    if let Some(baseline) = &baseline {
        outcome = baseline.filter(outcome);
    }
    if let Some(path) = &args.write_baseline
        && let Some(code) = write_baseline(path, &outcome, output.quiet)
    {
        return code;
    }
    if !output.print(&outcome) {
        return ExitCode::from(2);
    }
    if args.write_baseline.is_some() && !outcome.had_input_problems() {
        return ExitCode::SUCCESS;
    }
    ExitCode::from(output.policy.code(&outcome))
}

/// Write `check --write-baseline FILE`; the exit status when that failed.
fn write_baseline(path: &std::path::Path, outcome: &Outcome, quiet: bool) -> Option<ExitCode> {
    let shown = escape_text(&path.display().to_string());
    match scslint::baseline::write(path, &outcome.findings) {
        Ok(n) => {
            if !quiet {
                eprintln!(
                    "scslint: recorded {n} finding{} in {shown}",
                    if n == 1 { "" } else { "s" }
                );
            }
            None
        }
        Err(e) => {
            eprintln!("scslint: --write-baseline {shown}: cannot write the baseline: {e}");
            Some(ExitCode::from(2))
        }
    }
}

fn explain(code: &str, format: Format, color: ColorWhen) -> ExitCode {
    match (Code::parse(code), format) {
        (Some(c), Format::Json) => print(&docs::explain_json(c)),
        (Some(c), _) => print(&docs::explain_text(c, Style::detect(color, Stream::Stdout))),
        (None, _) => {
            eprintln!(
                "scslint: unknown rule `{}`; `scslint rules` lists them all",
                escape_text(code)
            );
            ExitCode::from(2)
        }
    }
}

/// `inspect`: 2 when a file could not be read at all, else 0.
fn inspect(args: InspectArgs, color: ColorWhen) -> ExitCode {
    let config = match config_or_exit(&args.config, color) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let reports: Vec<_> = args
        .files
        .iter()
        .map(|f| scslint::inspect::inspect(f, &config))
        .collect();
    let unreadable = reports
        .iter()
        .any(|r| r.kind == "none" && !r.problems.is_empty());
    let text = match args.format {
        Format::Json => {
            let doc = serde_json::json!({ "version": 1, "files": reports });
            format!("{doc:#}\n")
        }
        _ => scslint::inspect::render_human(&reports),
    };
    let printed = print(&text);
    if unreadable {
        ExitCode::from(2)
    } else {
        printed
    }
}

fn list_rules(format: Format, color: ColorWhen) -> ExitCode {
    match format {
        Format::Json => print(&docs::rules_json()),
        _ => print(&docs::rules_text(Style::detect(color, Stream::Stdout))),
    }
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

/// The go-ahead for a plan that needs one: asked when standard input and standard error are
/// terminals, refused everywhere else (scripts, hooks, CI) with what to do instead.
fn go_ahead(count: usize, why: &str) -> Result<(), String> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(format!(
            "{why}: add --yes to probe them, or look at the list first with --dry-run"
        ));
    }
    eprint!(
        "scslint probe: {why}.\nprobe {count} address{}? [y/N] ",
        if count == 1 { "" } else { "es" }
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err("not confirmed; nothing was probed".into()),
    }
}

fn probe(args: ProbeArgs, color: ColorWhen) -> ExitCode {
    let config = match config_or_exit(&args.config, color) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let usage = |e: String| {
        eprintln!("scslint probe: {}", escape_text(&e));
        ExitCode::from(2)
    };
    let inputs = plan::Inputs {
        targets: &args.targets,
        allow_range: args.allow_range,
        observed: &args.observed,
        profile: args.profile.as_deref(),
        os_address: args.os_address,
    };
    let mut plan = match plan::plan(&inputs, &config) {
        Ok(p) => p,
        Err(e) => return usage(e),
    };
    let dns = DnsOptions {
        nameserver: args.nameserver,
        ..DnsOptions::default()
    };
    if args.dry_run {
        if let Err(e) = plan.resolve(&dns, plan::Lookups::Unresolved) {
            return usage(e);
        }
        let outcome = finish(plan.findings.clone(), Summary::default(), &config);
        let text = match args.format {
            Format::Json => {
                report::probe::render_plan_json(&plan.targets, &plan.skipped, &outcome.findings)
            }
            _ => report::probe::render_plan_human(
                &plan.targets,
                &plan.skipped,
                &outcome.findings,
                Style::detect(color, Stream::Stdout),
            ),
        };
        if print(&text) != ExitCode::SUCCESS {
            return ExitCode::from(2);
        }
        return status(&outcome);
    }
    if !args.yes
        && let Some(why) = plan.needs_confirmation()
        && let Err(e) = go_ahead(plan.targets.len(), &why)
    {
        return usage(e);
    }
    let secret = match password(&args) {
        Ok(p) => p,
        Err(e) => return usage(e),
    };
    if let Err(e) = plan.resolve(&dns, plan::Lookups::All) {
        return usage(e);
    }
    let options = probe::Options {
        timeout: Duration::from_secs_f64(args.timeout),
        concurrency: args
            .concurrency
            .map_or_else(probe::default_concurrency, usize::from),
        rate: args.rate,
        ports_only: args.ports_only,
        ports: probe::tcp_ports(&args.ports, args.ports_only),
        rmcp_port: args.rmcp_port,
        credentials: args
            .user
            .clone()
            .zip(secret)
            .map(|(user, password)| probe::wsman::Credentials { user, password }),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let bar = if plan.targets.len() > 1 && std::io::stderr().is_terminal() && !args.quiet {
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
        Format::Json => report::probe::render_json(&reports, &plan.skipped, findings),
        // The command line allows human and json only.
        _ => report::probe::render_human(
            &reports,
            &plan.skipped,
            findings,
            Style::detect(color, Stream::Stdout),
            args.quiet,
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
            eprintln!("scslint: {}", escape_text(&message));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("scslint hook: {}", escape_text(&e));
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
                escape_text(&path.display().to_string())
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("scslint init: {}", escape_text(&e));
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
                escape_text(subcommand.unwrap_or_default()),
                scslint::shell::man_page_names().join(", ")
            );
            ExitCode::from(2)
        }
    }
}

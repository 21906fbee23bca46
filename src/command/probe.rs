//! `scslint probe`. Before the probe: the targets (command line and snapshot hosts, names resolved), the snapshot
//! hosts left out and why, whether the plan needs the user's go-ahead, the profile the devices
//! should carry, and afterwards the probe rules with each device's prediction.

use super::collect;
use super::{Ended, Failure, print};
use crate::cli::{Format, ProbeArgs};
use crate::config::Config;
use crate::diagnostic::{Finding, Location};
use crate::exit_status::Policy;
use crate::external::ExternalSuffixes;
use crate::observe::Network;
use crate::observe::dns::{Answer, Dns, DnsOptions};
use crate::outcome::{Summary, finish};
use crate::probe::target::{self, Skipped};
use crate::probe::{self as probing, DnsStep, NetworkRef, Origin, Report, Target};
use crate::profile::{self, Profile};
use crate::report::terminal::{ColorWhen, Stream, Style};
use crate::rules::{self, ProbeContext};
use crate::source::display_path;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Addresses from ranges beyond this many need the user's go-ahead (`--yes`): a /24's worth.
pub const CONFIRM_RANGE_ADDRESSES: usize = 256;

/// What to probe and what to compare with.
#[derive(Debug, Default)]
pub struct Plan {
    pub targets: Vec<Target>,
    /// Snapshot hosts that are not probed, with why.
    pub skipped: Vec<Skipped>,
    pub profile: Option<Profile>,
    /// Problems reading the snapshot or the profile (reported with the results).
    pub findings: Vec<Finding>,
    /// Where each snapshot host's findings point, by target label.
    locations: HashMap<String, Location>,
}

/// The inputs of `scslint probe`.
pub struct Inputs<'a> {
    pub targets: &'a [String],
    pub allow_range: bool,
    pub observed: &'a [PathBuf],
    pub profile: Option<&'a Path>,
    /// Probe a snapshot host without an ME address at its OS address.
    pub os_address: bool,
}

/// Which names [`Plan::resolve`] asks DNS for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookups {
    /// Only names without an address yet (those named on the command line): what a dry run
    /// needs to show where they lead.
    Unresolved,
    /// Those, and the device FQDNs of snapshot hosts, to compare with their ME address.
    All,
}

/// `scslint probe`.
pub fn command(args: ProbeArgs, color: ColorWhen) -> Ended {
    let config = super::config(&args.config, color)?;
    let usage = |e: String| Failure::new("scslint probe", &e);
    let inputs = Inputs {
        targets: &args.targets,
        allow_range: args.allow_range,
        observed: &args.observed,
        profile: args.profile.as_deref(),
        os_address: args.os_address,
    };
    let mut plan = plan(&inputs, &config).map_err(usage)?;
    let dns = DnsOptions {
        nameserver: args.nameserver,
        ..DnsOptions::default()
    };
    let style = Style::detect(color, Stream::Stdout);
    if args.dry_run {
        plan.resolve(&dns, Lookups::Unresolved).map_err(usage)?;
        let outcome = finish(plan.findings.clone(), Summary::default(), &config.levels);
        let text = match args.format {
            Format::Json => crate::report::probe::render_plan_json(
                &plan.targets,
                &plan.skipped,
                &outcome.findings,
            ),
            _ => crate::report::probe::render_plan_human(
                &plan.targets,
                &plan.skipped,
                &outcome.findings,
                style,
            ),
        };
        print(&text)?;
        return Ok(Policy::default().exit(&outcome));
    }
    if !args.yes
        && let Some(why) = plan.needs_confirmation()
    {
        go_ahead(plan.targets.len(), &why).map_err(usage)?;
    }
    let secret = password(&args).map_err(usage)?;
    plan.resolve(&dns, Lookups::All).map_err(usage)?;
    let options = probing::Options {
        timeout: Duration::from_secs_f64(args.timeout),
        concurrency: args
            .concurrency
            .map_or_else(probing::default_concurrency, usize::from),
        rate: args.rate,
        ports_only: args.ports_only,
        ports: probing::tcp_ports(&args.ports, args.ports_only),
        rmcp_port: args.rmcp_port,
        credentials: args
            .user
            .clone()
            .zip(secret)
            .map(|(user, password)| probing::wsman::Credentials { user, password }),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let bar = progress_bar(plan.targets.len(), args.quiet);
    let reports =
        probing::run_all(plan.targets.clone(), &options, stop.clone(), &bar).map_err(usage)?;
    bar.finish_and_clear();
    if stop.load(Ordering::SeqCst) {
        eprintln!(
            "scslint probe: interrupted; {} of {} targets were probed",
            reports.len(),
            plan.targets.len()
        );
    }
    let outcome = finish(plan.findings(&reports), Summary::default(), &config.levels);
    let findings = &outcome.findings;
    let text = match args.format {
        Format::Json => crate::report::probe::render_json(&reports, &plan.skipped, findings),
        // The command line allows human and json only.
        _ => {
            crate::report::probe::render_human(&reports, &plan.skipped, findings, style, args.quiet)
        }
    };
    print(&text)?;
    Ok(Policy::default().exit(&outcome))
}

/// A bar on standard error when several targets are probed from a terminal.
fn progress_bar(targets: usize, quiet: bool) -> indicatif::ProgressBar {
    if targets < 2 || !std::io::stderr().is_terminal() || quiet {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(targets as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} targets ({per_sec}, {elapsed})",
    ) {
        bar.set_style(style);
    }
    bar
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

/// Build the plan without touching the network; an error is a usage error (a refused target,
/// an unusable profile).
pub fn plan(inputs: &Inputs, config: &Config) -> Result<Plan, String> {
    let mut plan = Plan::default();
    for raw in inputs.targets {
        match target::parse(raw, inputs.allow_range)? {
            target::Spec::Address(ip) => plan.targets.push(address_target(ip, Origin::CommandLine)),
            target::Spec::Range { block, addresses } => {
                let origin = Origin::Range(block.to_string());
                plan.targets.extend(
                    addresses
                        .into_iter()
                        .map(|ip| address_target(ip, origin.clone())),
                );
            }
            target::Spec::Name(name) => plan.targets.push(Target {
                label: name.clone(),
                fqdn: Some(name),
                ..Target::default()
            }),
        }
    }
    if let Some(path) = inputs.profile {
        let read = profile::read_file(path, &display_path(path), true, &config.scs);
        plan.findings.extend(read.findings);
        let mut profiles = read.profiles.into_iter();
        plan.profile = Some(profiles.next().ok_or_else(|| {
            format!(
                "--profile {}: no profile could be read from it",
                path.display()
            )
        })?);
        if profiles.next().is_some() {
            return Err(format!(
                "--profile {}: holds several profiles; name the file of one",
                path.display()
            ));
        }
    }
    if !inputs.observed.is_empty() {
        snapshot_targets(&mut plan, inputs.observed, config, inputs.os_address);
    }
    if plan.targets.is_empty() && plan.skipped.is_empty() {
        // A snapshot that could not be read says why, not just that nothing is left.
        if let Some(f) = plan.findings.iter().find(|f| f.code.is_input_problem()) {
            let (line, column) = f.location.line_col();
            return Err(format!(
                "{}:{line}:{column}: {}",
                f.location.path().display(),
                f.message
            ));
        }
        return Err("nothing to probe: name targets, or snapshot hosts with --observed".into());
    }
    Ok(plan)
}

fn address_target(ip: IpAddr, origin: Origin) -> Target {
    Target {
        label: ip.to_string(),
        address: Some(ip),
        origin,
        ..Target::default()
    }
}

/// A snapshot address that is really there: not absent, not 0.0.0.0.
fn known(ip: Option<Ipv4Addr>) -> Option<Ipv4Addr> {
    ip.filter(|ip| !ip.is_unspecified())
}

/// Where a snapshot host is probed, or why it is not: at its ME address; without one, at its
/// OS address only when `os_address` asks for it. A refused address (broadcast, multicast) is
/// never probed, the ME's or the OS's.
fn snapshot_address(
    me: Option<Ipv4Addr>,
    os: Option<Ipv4Addr>,
    os_address: bool,
) -> Result<(IpAddr, Origin), (Option<Ipv4Addr>, String)> {
    let refused = |ip: Ipv4Addr, whose: &str| {
        target::refusal(IpAddr::V4(ip))
            .map(|why| (Some(ip), format!("its {whose} address {ip} is {why}")))
    };
    if let Some(me) = known(me) {
        return match refused(me, "ME") {
            Some(skip) => Err(skip),
            None => Ok((IpAddr::V4(me), Origin::SnapshotMe)),
        };
    }
    let Some(os) = known(os) else {
        return Err((None, "no ME address and no OS address".into()));
    };
    if !os_address {
        return Err((
            Some(os),
            format!("no ME address; --os-address probes its OS address {os}"),
        ));
    }
    match refused(os, "OS") {
        Some(skip) => Err(skip),
        None => Ok((IpAddr::V4(os), Origin::SnapshotOs)),
    }
}

/// The hosts a snapshot (or raw sources) lists: probed at the ME's address when it has one,
/// else listed as skipped unless `os_address` asks for the OS's, with their network for the
/// prediction and their device FQDN as the profile builds it (host name + primary DNS suffix
/// unless its FQDN setting says otherwise).
fn snapshot_targets(plan: &mut Plan, observed: &[PathBuf], config: &Config, os_address: bool) {
    let external = ExternalSuffixes::new(&config.external_suffixes);
    let collected = collect::collect(observed, &config.mappings, &external, None, false);
    let fqdn_source = plan
        .profile
        .as_ref()
        .map(Profile::device_fqdn_source)
        .unwrap_or_default();
    plan.findings.extend(collected.findings.iter().cloned());
    let networks: HashMap<&str, &Network> = collected
        .networks
        .iter()
        .map(|n| (n.name.as_str(), n))
        .collect();
    for h in &collected.hosts {
        let label = collect::host_name(&h.host);
        let (address, origin) = match snapshot_address(h.host.me_ip, h.host.os_ip, os_address) {
            Ok(found) => found,
            Err((address, why)) => {
                plan.skipped.push(Skipped {
                    target: label,
                    address: address.map(|a| a.to_string()),
                    network: h.network.clone(),
                    why,
                });
                continue;
            }
        };
        plan.locations.insert(label.clone(), h.location.clone());
        plan.targets.push(Target {
            label,
            address: Some(address),
            fqdn: h.host.device_fqdn(&fqdn_source),
            dns: None,
            me_ip: h.host.me_ip,
            network: h.network.as_ref().map(|n| {
                let known = networks.get(n.as_str());
                NetworkRef {
                    name: n.clone(),
                    suffix: known.and_then(|k| k.suffix.clone()),
                    search_v6: known.map(|k| k.search_v6.clone()).unwrap_or_default(),
                }
            }),
            origin,
        });
    }
}

impl Plan {
    /// Why probing this plan needs the user's go-ahead (`--yes`, or a `y` on a terminal), or
    /// `None`: snapshot hosts are probed, or ranges add up to more than a /24.
    pub fn needs_confirmation(&self) -> Option<String> {
        let snapshot = self
            .targets
            .iter()
            .filter(|t| t.origin.is_snapshot())
            .count();
        let ranged = self
            .targets
            .iter()
            .filter(|t| matches!(t.origin, Origin::Range(_)))
            .count();
        let mut why = Vec::new();
        if snapshot > 0 {
            why.push(match snapshot {
                1 => "1 target comes from a snapshot (--observed)".to_owned(),
                n => format!("{n} targets come from a snapshot (--observed)"),
            });
        }
        if ranged > CONFIRM_RANGE_ADDRESSES {
            why.push(format!(
                "the ranges hold {ranged} addresses, more than {CONFIRM_RANGE_ADDRESSES}"
            ));
        }
        (!why.is_empty()).then(|| why.join(" and "))
    }

    /// Step 1 of the ladder: the names' addresses. A named target is probed at its first
    /// address that may be probed (IPv4 first); a snapshot host keeps its ME address and only
    /// records what DNS says, and is asked about only with [`Lookups::All`].
    pub fn resolve(&mut self, options: &DnsOptions, lookups: Lookups) -> Result<(), String> {
        let wanted = |t: &Target| t.address.is_none() || lookups == Lookups::All;
        let mut seen = std::collections::HashSet::new();
        let names: Vec<String> = self
            .targets
            .iter()
            .filter(|t| wanted(t))
            .filter_map(|t| t.fqdn.clone())
            .filter(|name| seen.insert(name.clone()))
            .collect();
        if names.is_empty() {
            return Ok(());
        }
        let dns = Dns::new(options)?;
        let answers: HashMap<String, Answer> = dns.addresses(&names).into_iter().collect();
        for t in self.targets.iter_mut().filter(|t| wanted(t)) {
            let Some(answer) = t.fqdn.as_ref().and_then(|name| answers.get(name)) else {
                continue;
            };
            let step = match answer {
                Answer::Records(found) => DnsStep {
                    addresses: found.clone(),
                    error: None,
                },
                other => DnsStep {
                    addresses: Vec::new(),
                    error: Some(describe(other)),
                },
            };
            if t.address.is_none() {
                t.address = step
                    .addresses
                    .iter()
                    .filter_map(|a| a.parse::<IpAddr>().ok())
                    .find(|ip| target::refusal(*ip).is_none())
                    .map(target::canonical);
            }
            t.dns = Some(step);
        }
        Ok(())
    }
}

fn describe(answer: &Answer) -> String {
    match answer {
        Answer::Records(_) => "answered".into(),
        Answer::NxDomain => "NXDOMAIN".into(),
        Answer::NoData => "no address records".into(),
        Answer::Timeout => "timed out".into(),
        Answer::ServFail => "SERVFAIL".into(),
        Answer::Refused => "REFUSED".into(),
        Answer::Unreachable(e) => format!("unreachable: {e}"),
        Answer::NotAsked => "not asked".into(),
        Answer::Error(e) => e.clone(),
    }
}

impl Plan {
    /// The probe rules over the results, each device with the profile's verdict on its network.
    pub fn findings(&self, reports: &[Report]) -> Vec<Finding> {
        let mut out = self.findings.clone();
        for (t, r) in self.targets.iter().zip(reports) {
            let prediction = match (&self.profile, &t.network) {
                (Some(p), Some(n)) => p.verdict(&n.attachment()),
                _ => None,
            };
            let location = self
                .locations
                .get(&t.label)
                .cloned()
                .unwrap_or(Location::File {
                    path: PathBuf::from(&t.label),
                    line: 1,
                    column: 1,
                });
            let ctx = ProbeContext {
                report: r,
                target: t,
                profile: self.profile.as_ref(),
                prediction,
                location,
            };
            out.extend(rules::run_probe(&ctx));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::profile;
    use crate::source::Spanned;

    const SNAPSHOT: &str = "[[network]]\nname = \"hq\"\nsuffix = \"site4.corp.test\"\ntrust = \"enterprise\"\n\n\
        [[host]]\nname = \"pc0423\"\nnetwork = \"hq\"\nme_ip = \"10.1.4.20\"\n\
        suffix = \"site4.corp.test\"\nprimary_suffix = \"corp.test\"\n";

    fn snapshot_plan(text: &str, p: Option<Profile>, os_address: bool) -> Plan {
        let dir = tempfile::tempdir().unwrap();
        let observed = dir.path().join("observed.toml");
        std::fs::write(&observed, text).unwrap();
        let mut plan = Plan {
            profile: p,
            ..Plan::default()
        };
        snapshot_targets(&mut plan, &[observed], &Config::default(), os_address);
        plan
    }

    fn fqdn_probed(fqdn_source: Option<&str>) -> Option<String> {
        let mut p = profile(&["corp.test"]);
        p.fqdn_source = fqdn_source.map(|s| Spanned::new(s.to_owned(), 0..0));
        let plan = snapshot_plan(SNAPSHOT, Some(p), false);
        assert_eq!(plan.targets.len(), 1, "{:?}", plan.findings);
        assert_eq!(plan.targets[0].origin, Origin::SnapshotMe);
        plan.targets[0].fqdn.clone()
    }

    #[test]
    fn snapshot_hosts_are_probed_by_their_device_fqdn() {
        // Host name + primary DNS suffix, the SCS default.
        assert_eq!(fqdn_probed(None).as_deref(), Some("pc0423.corp.test"));
        assert_eq!(
            fqdn_probed(Some("HostNamePrimaryDnsSuffix")).as_deref(),
            Some("pc0423.corp.test")
        );
        // A profile whose FQDN source is the on-board LAN's connection-specific suffix.
        assert_eq!(
            fqdn_probed(Some("OnBoardLanDnsSuffix")).as_deref(),
            Some("pc0423.site4.corp.test")
        );
    }

    fn ip(s: &str) -> Option<Ipv4Addr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn a_host_without_an_me_address_is_probed_at_its_os_address_only_when_asked() {
        let me = ip("10.1.4.20");
        let os = ip("10.1.4.21");
        assert_eq!(
            snapshot_address(me, os, false),
            Ok((IpAddr::V4(me.unwrap()), Origin::SnapshotMe))
        );
        let (address, why) = snapshot_address(ip("0.0.0.0"), os, false).unwrap_err();
        assert_eq!(address, os);
        assert!(why.contains("--os-address"), "{why}");
        assert_eq!(
            snapshot_address(None, os, true),
            Ok((IpAddr::V4(os.unwrap()), Origin::SnapshotOs))
        );
        assert!(snapshot_address(None, None, true).is_err());
    }

    #[test]
    fn broadcast_and_multicast_snapshot_addresses_are_skipped_with_the_reason() {
        for (me, os, words) in [
            (
                "224.0.0.251",
                None,
                "ME address 224.0.0.251 is a multicast address",
            ),
            (
                "255.255.255.255",
                None,
                "ME address 255.255.255.255 is the broadcast address",
            ),
            (
                "0.0.0.0",
                Some("239.1.2.3"),
                "OS address 239.1.2.3 is a multicast address",
            ),
            (
                "0.0.0.0",
                Some("255.255.255.255"),
                "OS address 255.255.255.255 is the broadcast",
            ),
        ] {
            let (_, why) = snapshot_address(ip(me), os.and_then(ip), true).unwrap_err();
            assert!(why.contains(words), "{me} {os:?}: {why}");
        }
        let plan = snapshot_plan(
            "[[network]]\nname = \"hq\"\nsuffix = \"corp.test\"\n\n\
             [[host]]\nname = \"mdns\"\nnetwork = \"hq\"\nme_ip = \"224.0.0.251\"\n\n\
             [[host]]\nname = \"lab\"\nnetwork = \"hq\"\nme_ip = \"0.0.0.0\"\nos_ip = \"10.1.4.21\"\n",
            None,
            false,
        );
        assert!(plan.targets.is_empty(), "{:?}", plan.targets);
        let skipped: Vec<&str> = plan.skipped.iter().map(|s| s.target.as_str()).collect();
        assert_eq!(skipped, ["lab", "mdns"]);
        assert_eq!(plan.skipped[0].network.as_deref(), Some("hq"));
        assert!(plan.needs_confirmation().is_none());
    }

    fn command_line_plan(targets: &[&str]) -> Plan {
        let targets: Vec<String> = targets.iter().map(|s| s.to_string()).collect();
        let inputs = Inputs {
            targets: &targets,
            allow_range: true,
            observed: &[],
            profile: None,
            os_address: false,
        };
        plan(&inputs, &Config::default()).unwrap()
    }

    #[test]
    fn snapshot_hosts_and_wide_ranges_need_a_go_ahead() {
        let why = snapshot_plan(SNAPSHOT, None, false)
            .needs_confirmation()
            .unwrap();
        assert!(why.contains("1 target comes from a snapshot"), "{why}");
        let small = command_line_plan(&["10.1.4.0/24", "10.1.5.7", "pc0423.corp.test"]);
        assert_eq!(small.targets.len(), 256);
        assert_eq!(small.needs_confirmation(), None);
        let why = command_line_plan(&["10.1.4.0/23"])
            .needs_confirmation()
            .unwrap();
        assert!(why.contains("510 addresses"), "{why}");
        // Ranges add up.
        assert!(
            command_line_plan(&["10.1.4.0/24", "10.1.6.0/24"])
                .needs_confirmation()
                .is_some()
        );
    }
}

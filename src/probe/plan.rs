//! Before the probe: the targets (command line and snapshot hosts, names resolved), the profile
//! the devices should carry, and afterwards the probe rules with each device's prediction.

use super::{DnsStep, NetworkRef, Report, Target, target};
use crate::config::Config;
use crate::diagnostic::{Finding, Location};
use crate::external::ExternalSuffixes;
use crate::observe::dns::{Answer, Dns, DnsOptions};
use crate::observe::{Network, collect};
use crate::profile::{self, Profile};
use crate::rules::{self, ProbeContext};
use crate::source::display_path;
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// What to probe and what to compare with.
#[derive(Debug, Default)]
pub struct Plan {
    pub targets: Vec<Target>,
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
    pub dns: &'a DnsOptions,
}

/// Build the plan; an error is a usage error (a refused target, an unusable profile).
pub fn plan(inputs: &Inputs, config: &Config) -> Result<Plan, String> {
    let mut plan = Plan::default();
    let mut names = Vec::new();
    for raw in inputs.targets {
        match target::parse(raw, inputs.allow_range)? {
            target::Spec::Address(ip) => plan.targets.push(address_target(ip)),
            target::Spec::Range(ips) => plan.targets.extend(ips.into_iter().map(address_target)),
            target::Spec::Name(name) => {
                names.push(name.clone());
                plan.targets.push(Target {
                    label: name.clone(),
                    fqdn: Some(name),
                    ..Target::default()
                });
            }
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
        snapshot_targets(&mut plan, inputs.observed, config, &mut names);
    }
    if !names.is_empty() {
        resolve(&mut plan.targets, &names, inputs.dns)?;
    }
    if plan.targets.is_empty() {
        return Err("nothing to probe: name targets, or snapshot hosts with --observed".into());
    }
    Ok(plan)
}

fn address_target(ip: IpAddr) -> Target {
    Target {
        label: ip.to_string(),
        address: Some(ip),
        ..Target::default()
    }
}

/// The hosts a snapshot (or raw sources) lists: probed at the ME's address when it has one,
/// else at the OS's, with their network for the prediction and their device FQDN as the profile
/// builds it (host name + primary DNS suffix unless its FQDN setting says otherwise).
fn snapshot_targets(
    plan: &mut Plan,
    observed: &[PathBuf],
    config: &Config,
    names: &mut Vec<String>,
) {
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
        let me = h.host.me_ip.filter(|ip| !ip.is_unspecified());
        let Some(ip) = me.or(h.host.os_ip.filter(|ip| !ip.is_unspecified())) else {
            continue;
        };
        let label = collect::host_name(&h.host);
        let fqdn = h.host.device_fqdn(&fqdn_source);
        names.extend(fqdn.clone());
        plan.locations.insert(label.clone(), h.location.clone());
        plan.targets.push(Target {
            label,
            address: Some(IpAddr::V4(ip)),
            fqdn,
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
        });
    }
}

/// Step 1 of the ladder: the names' addresses. A named target is probed at its first address
/// (IPv4 first); a snapshot host keeps its ME address and only records what DNS says.
fn resolve(targets: &mut [Target], names: &[String], options: &DnsOptions) -> Result<(), String> {
    let dns = Dns::new(options)?;
    let answers: HashMap<String, Answer> = dns.addresses(names).into_iter().collect();
    for t in targets.iter_mut() {
        let Some(name) = t.fqdn.clone() else { continue };
        let Some(answer) = answers.get(&name) else {
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
                .find(|ip| target::refusal(*ip).is_none());
        }
        t.dns = Some(step);
    }
    Ok(())
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

    fn fqdn_probed(fqdn_source: Option<&str>) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let observed = dir.path().join("observed.toml");
        std::fs::write(&observed, SNAPSHOT).unwrap();
        let mut p = profile(&["corp.test"]);
        p.fqdn_source = fqdn_source.map(|s| Spanned::new(s.to_owned(), 0..0));
        let mut plan = Plan {
            profile: Some(p),
            ..Plan::default()
        };
        let mut names = Vec::new();
        snapshot_targets(&mut plan, &[observed], &Config::default(), &mut names);
        assert_eq!(plan.targets.len(), 1, "{:?}", plan.findings);
        assert_eq!(
            names,
            plan.targets[0].fqdn.iter().cloned().collect::<Vec<_>>()
        );
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
}

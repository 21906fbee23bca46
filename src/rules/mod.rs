//! The rule registry: every code's documentation and check, run over one profile at a time.
//! Rules see profiles and networks only; they know nothing of output formats.

use crate::diagnostic::{Code, Finding, Location};
use crate::envdetect::Verdict;
use crate::external::ExternalSuffixes;
use crate::observe::Network;
use crate::observe::dns_facts::DnsFacts;
use crate::observe::model::{FqdnSource, Host};
use crate::profile::{Detection, Profile};
use crate::source::Span;
use std::collections::BTreeMap;

mod detection_algorithm_mismatch;
mod detection_ignored_static_ip;
mod enterprise_network_outside;
mod enterprise_network_without_option15;
mod external_network_inside;
mod fqdn_not_in_dns;
mod fqdn_resolves_elsewhere;
mod home_domain_dropped_by_console;
mod home_domain_not_canonical;
mod home_domain_not_in_dns;
mod home_domain_too_long;
mod input;
mod interface_closed_as_predicted;
mod interface_closed_unexpectedly;
mod invalid_home_domain;
mod label_boundary_ambiguity;
mod live_home_domains_drift;
mod me_without_ip;
mod mixed_dhcp_static;
mod not_amt;
mod overbroad_home_domain;
mod placeholder_home_domain;
mod primary_suffix_differs;
mod ras_outside_on_enterprise;
mod redundant_home_domain;
mod remote_access_needs_detection;
mod suppression;
mod tls_problem;
mod too_many_home_domains;
mod unexpected_reachability;
mod unmatched_home_domain;

pub use crate::wording::{HOSTS_NAMED, join_list, name_list};
pub use home_domain_not_in_dns::{
    check_network as observed_suffix_in_dns, queryable as home_domain_queryable,
};

/// What `scslint explain` prints for a code.
pub struct Doc {
    /// One line, for `scslint rules`.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    pub example: &'static str,
}

/// How a rule looks at its input.
#[derive(Clone, Copy)]
pub enum Check {
    /// Once per profile (with the observed networks, when given).
    Profile(fn(&Context, &mut Vec<Finding>)),
    /// Once per observed host, with what the grouped finding says of all the hosts of one network
    /// (the mistake, without any one host's details).
    Host(fn(&HostContext, &mut Vec<Finding>), &'static str),
    /// Once per probed device.
    Probe(fn(&ProbeContext, &mut Vec<Finding>)),
    /// Raised by readers, lookups or where suppressions are applied, not by a check.
    Input,
}

/// Documentation and check for every code. The match is exhaustive, so a new code cannot be
/// added without its documentation.
pub fn rule(code: Code) -> (&'static Doc, Check) {
    use Check::{Host, Input, Profile};
    use Code::*;
    match code {
        SL001 => (
            &invalid_home_domain::DOC,
            Profile(invalid_home_domain::check),
        ),
        SL002 => (
            &home_domain_too_long::DOC,
            Profile(home_domain_too_long::check),
        ),
        SL003 => (
            &home_domain_not_canonical::DOC,
            Profile(home_domain_not_canonical::check),
        ),
        SL004 => (
            &redundant_home_domain::DOC,
            Profile(redundant_home_domain::check),
        ),
        SL005 => (
            &too_many_home_domains::DOC,
            Profile(too_many_home_domains::check),
        ),
        SL006 => (
            &overbroad_home_domain::DOC,
            Profile(overbroad_home_domain::check),
        ),
        SL007 => (
            &remote_access_needs_detection::DOC,
            Profile(remote_access_needs_detection::check),
        ),
        SL008 => (
            &detection_ignored_static_ip::DOC,
            Profile(detection_ignored_static_ip::check),
        ),
        SL009 => (
            &placeholder_home_domain::DOC,
            Profile(placeholder_home_domain::check),
        ),
        SL010 => (
            &detection_algorithm_mismatch::DOC,
            Profile(detection_algorithm_mismatch::check),
        ),
        SL011 => (
            &home_domain_dropped_by_console::DOC,
            Profile(home_domain_dropped_by_console::check),
        ),
        SL012 => (&input::HOME_DOMAINS_NOT_MAPPED, Input),
        SL050 => (&input::UNREADABLE, Input),
        SL051 => (&input::MALFORMED, Input),
        SL052 => (&input::ENCRYPTED, Input),
        SL053 => (&input::UNRECOGNISED, Input),
        SL054 => (&input::DNS_LOOKUP_FAILED, Input),
        SL100 => (
            &enterprise_network_outside::DOC,
            Profile(enterprise_network_outside::check),
        ),
        SL101 => (
            &external_network_inside::DOC,
            Profile(external_network_inside::check),
        ),
        SL102 => (
            &unmatched_home_domain::DOC,
            Profile(unmatched_home_domain::check),
        ),
        SL103 => (
            &label_boundary_ambiguity::DOC,
            Profile(label_boundary_ambiguity::check),
        ),
        SL104 => (
            &enterprise_network_without_option15::DOC,
            Profile(enterprise_network_without_option15::check),
        ),
        SL105 => (
            &home_domain_not_in_dns::DOC,
            Profile(home_domain_not_in_dns::check),
        ),
        SL200 => (
            &me_without_ip::DOC,
            Host(me_without_ip::check, me_without_ip::GROUP),
        ),
        SL201 => (
            &ras_outside_on_enterprise::DOC,
            Host(
                ras_outside_on_enterprise::check,
                ras_outside_on_enterprise::GROUP,
            ),
        ),
        SL202 => (
            &fqdn_resolves_elsewhere::DOC,
            Host(
                fqdn_resolves_elsewhere::check,
                fqdn_resolves_elsewhere::GROUP,
            ),
        ),
        SL203 => (
            &mixed_dhcp_static::DOC,
            Host(mixed_dhcp_static::check, mixed_dhcp_static::GROUP),
        ),
        SL204 => (
            &primary_suffix_differs::DOC,
            Host(primary_suffix_differs::check, primary_suffix_differs::GROUP),
        ),
        SL205 => (
            &fqdn_not_in_dns::DOC,
            Host(fqdn_not_in_dns::check, fqdn_not_in_dns::GROUP),
        ),
        SL300 => (
            &interface_closed_as_predicted::DOC,
            Check::Probe(interface_closed_as_predicted::check),
        ),
        SL301 => (
            &unexpected_reachability::DOC,
            Check::Probe(unexpected_reachability::check),
        ),
        SL302 => (
            &live_home_domains_drift::DOC,
            Check::Probe(live_home_domains_drift::check),
        ),
        SL303 => (&not_amt::DOC, Check::Probe(not_amt::check)),
        SL304 => (&tls_problem::DOC, Check::Probe(tls_problem::check)),
        SL305 => (
            &interface_closed_unexpectedly::DOC,
            Check::Probe(interface_closed_unexpectedly::check),
        ),
        SL900 => (&suppression::WITHOUT_REASON, Input),
        SL901 => (&suppression::UNUSED, Input),
    }
}

pub fn doc(code: Code) -> &'static Doc {
    rule(code).0
}

/// What `scslint explain` says of a code, section by section, trimmed as every output shows it.
pub struct Explanation {
    pub code: Code,
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    pub example: &'static str,
}

impl Explanation {
    pub fn of(code: Code) -> Explanation {
        let d = doc(code);
        Explanation {
            code,
            summary: d.summary,
            what: d.what.trim(),
            why: d.why.trim(),
            fix: d.fix.trim(),
            example: d.example.trim_matches('\n'),
        }
    }

    /// The text, with `prose` applied to the title, summary, and what, why and how to fix it
    /// (wrapping them, say); the example is kept as written.
    pub fn text(&self, prose: &dyn Fn(&str) -> String) -> String {
        let code = self.code;
        let title = format!(
            "{code} {name} (default: {sev})",
            name = code.name(),
            sev = code.default_severity().as_str()
        );
        format!(
            "{title}\n{summary}\n\nWhat it catches\n{what}\n\nWhy it matters for AMT\n{why}\n\nHow to fix it\n{fix}\n\nExample\n{example}\n",
            title = prose(&title),
            summary = prose(self.summary),
            what = prose(self.what),
            why = prose(self.why),
            fix = prose(self.fix),
            example = self.example,
        )
    }
}

/// The full text `scslint explain CODE` prints, unwrapped.
pub fn explain(code: Code) -> String {
    Explanation::of(code).text(&str::to_owned)
}

/// Everything a rule may look at.
pub struct Context<'a> {
    pub profile: &'a Profile,
    /// `None` when no observed networks were given: network rules do not run.
    pub networks: Option<&'a [Network]>,
    pub external: &'a ExternalSuffixes,
    pub max_home_domains: usize,
    /// What `--dns` found; `None` without it, and DNS rules stay quiet.
    pub dns: Option<&'a DnsFacts>,
}

impl<'a> Context<'a> {
    pub fn finding(&self, code: Code, span: Span, message: impl Into<String>) -> Finding {
        Finding::new(code, &self.profile.source, span, message).profile(&self.profile.name)
    }

    pub fn detection(&self) -> Option<&'a Detection> {
        self.profile.detection.as_ref()
    }

    /// Networks with the verdict this profile gets on each, when detection can be modelled:
    /// networks were given, the profile manages detection, and the verdict is not "not evaluated".
    pub fn verdicts(&self) -> Vec<(&'a Network, Verdict)> {
        let Some(networks) = self.networks else {
            return Vec::new();
        };
        networks
            .iter()
            .filter_map(|n| Some((n, self.profile.verdict(&n.attachment())?)))
            .filter(|(_, v)| !matches!(v, Verdict::NotEvaluated(_)))
            .collect()
    }

    /// True when every home domain is a console placeholder: "always outside" is the intent.
    pub fn placeholder_only(&self) -> bool {
        self.detection().is_some_and(|d| {
            d.written.as_ref().is_some_and(|w| w.placeholder)
                || (!d.strings.is_empty()
                    && d.strings.iter().all(|s| crate::dns_name::is_placeholder(s)))
        })
    }

    /// The enterprise networks with a domain where this profile leaves AMT outside (none when
    /// the list is only a placeholder: outside is then the intent). SL100 reports them; SL102
    /// stays quiet where SL100 speaks.
    pub fn enterprise_outside(&self) -> Vec<&'a Network> {
        if self.placeholder_only() {
            return Vec::new();
        }
        self.verdicts()
            .into_iter()
            .filter(|(n, v)| n.is_enterprise() && n.has_domain() && v.is_outside())
            .map(|(n, _)| n)
            .collect()
    }

    /// Attach the network's definition in observed.toml to a finding.
    pub fn with_network(&self, f: Finding, n: &Network) -> Finding {
        self.with_networks(f, &[n])
    }

    /// Attach every network a grouped finding is about: their names, and where each was observed
    /// (the first [`MAX_RELATED_NETWORKS`]; the last one shown says how many more there are).
    pub fn with_networks(&self, f: Finding, networks: &[&Network]) -> Finding {
        let mut f = f.networks(networks.iter().map(|n| &n.name));
        let shown = networks.len().min(MAX_RELATED_NETWORKS);
        for (i, n) in networks[..shown].iter().enumerate() {
            let mut label = match networks {
                [_] => format!("network `{}` observed here", n.name),
                _ => format!("network {} observed here", n.describe()),
            };
            if i + 1 == shown && networks.len() > shown {
                label.push_str(&format!(
                    "; {} more networks are not shown",
                    networks.len() - shown
                ));
            }
            f = f.related_at(n.location.clone(), label);
        }
        f
    }
}

/// How many networks a grouped finding points at in observed.toml; its `networks` names them all.
pub const MAX_RELATED_NETWORKS: usize = 20;

/// How many names a message lists before "and N more".
pub const MAX_NAMED: usize = 5;

/// One network as [`Network::describe`] puts it; several as their names (up to [`MAX_NAMED`])
/// with the hosts they hold together: "`a`, `b` and 3 more (1200 hosts)".
pub fn describe_networks(networks: &[&Network]) -> String {
    if let [one] = networks {
        return one.describe();
    }
    let names = name_list(networks.iter().map(|n| &n.name), MAX_NAMED);
    let known: u64 = networks.iter().filter_map(|n| n.hosts).sum();
    let unknown = networks.iter().filter(|n| n.hosts.is_none()).count();
    let hosts = |n: u64| format!("{n} host{}", if n == 1 { "" } else { "s" });
    let count = match unknown {
        0 => hosts(known),
        u if u == networks.len() => "host counts unknown".to_owned(),
        1 => format!("at least {}; 1 network has no host count", hosts(known)),
        u => format!("at least {}; {u} networks have no host count", hosts(known)),
    };
    format!("{names} ({count})")
}

/// Everything a host rule may look at.
pub struct HostContext<'a> {
    pub host: &'a Host,
    /// How the host is named in messages: host name, FQDN, or where it was reported.
    pub name: String,
    /// The network the host was attributed to, if any.
    pub network: Option<&'a Network>,
    /// Where host findings point: the agent report, or the host's table in a snapshot.
    pub location: Location,
    /// What `--dns` found; `None` without it, and DNS rules stay quiet.
    pub dns: Option<&'a DnsFacts>,
}

impl HostContext<'_> {
    pub fn finding(&self, code: Code, message: impl Into<String>) -> Finding {
        Finding::at(code, self.location.clone(), message).host(&self.name)
    }

    /// The device's FQDN as Intel SCS builds it by default (host name + primary DNS suffix).
    pub fn fqdn(&self) -> Option<String> {
        self.host.device_fqdn(&FqdnSource::default())
    }
}

/// Run every profile rule on one profile.
pub fn run(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for &code in Code::ALL {
        if code.needs_networks() && ctx.networks.is_none() {
            continue;
        }
        if let (_, Check::Profile(check)) = rule(code) {
            check(ctx, &mut out);
        }
    }
    out
}

/// What the probe rules look at: one device's ladder results, and the profile it should carry
/// with that profile's verdict on the device's network.
pub struct ProbeContext<'a> {
    pub report: &'a crate::probe::Report,
    pub target: &'a crate::probe::Target,
    pub profile: Option<&'a Profile>,
    /// The profile's verdict on the device's network, when both are known.
    pub prediction: Option<Verdict>,
    /// Where findings without a profile point.
    pub location: Location,
}

impl ProbeContext<'_> {
    /// A finding at the profile's home-domain list when there is a profile, else at the target.
    pub fn finding(&self, code: Code, message: impl Into<String>) -> Finding {
        let f = match self.profile {
            Some(p) => {
                let span = p
                    .detection
                    .as_ref()
                    .map_or(p.span.clone(), |d| d.span.clone());
                Finding::new(code, &p.source, span, message).profile(&p.name)
            }
            None => Finding::at(code, self.location.clone(), message),
        };
        let f = f.host(&self.report.target);
        match self.target.network.as_ref() {
            Some(n) => f.network(&n.name),
            None => f,
        }
    }

    /// The option 15 of the device's network.
    pub fn suffix(&self) -> Option<&str> {
        self.target.network.as_ref()?.suffix.as_deref()
    }
}

/// Run every probe rule on one device.
pub fn run_probe(ctx: &ProbeContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for &code in Code::ALL {
        if let (_, Check::Probe(check)) = rule(code) {
            check(ctx, &mut out);
        }
    }
    out
}

/// Run every host rule on one host.
pub fn run_host(ctx: &HostContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for &code in Code::ALL {
        if let (_, Check::Host(check, _)) = rule(code) {
            check(ctx, &mut out);
        }
    }
    out
}

/// Hosts whose reports a grouped host finding lists as related locations.
pub const HOST_LOCATIONS: usize = 20;

/// One host's finding, with what grouping needs: the host's name and its network.
pub struct HostFinding<'a> {
    pub finding: Finding,
    pub host: String,
    pub network: Option<&'a Network>,
}

/// Host findings as reported: one per (code, network), naming its hosts (up to
/// [`HOSTS_NAMED`], then how many more), at the network's definition, with each host's report as a
/// related location (up to [`HOST_LOCATIONS`]) labelled with the host rule's per-host detail. Hosts without a network group together per code.
/// The group key keeps the fingerprint when hosts join or leave.
pub fn group_host_findings(found: Vec<HostFinding>) -> Vec<Finding> {
    let mut groups: BTreeMap<(Code, Option<String>), Vec<HostFinding>> = BTreeMap::new();
    for f in found {
        let key = (f.finding.code, f.network.map(|n| n.name.clone()));
        groups.entry(key).or_default().push(f);
    }
    groups.into_values().map(group).collect()
}

fn group(mut members: Vec<HostFinding>) -> Finding {
    members.sort_by_cached_key(|m| (m.host.clone(), m.finding.sort_key()));
    let first = &members[0];
    let code = first.finding.code;
    let network = first.network;
    let names: Vec<&str> = members.iter().map(|m| m.host.as_str()).collect();
    let place = match network {
        Some(n) => format!("on network {}", n.describe()),
        None => "in no observed network".to_owned(),
    };
    let message = match &members[..] {
        [one] => one.finding.message.clone(),
        _ => format!(
            "{} hosts {place}: {}: {}",
            members.len(),
            host_group_phrase(code),
            name_list(&names, HOSTS_NAMED)
        ),
    };
    // The network's definition, which stays put as hosts join: a stable fingerprint.
    let location = network.map_or_else(|| first.finding.location.clone(), |n| n.location.clone());
    let key = match network {
        Some(n) => format!("hosts on {}", n.name),
        None => "hosts in no network".to_owned(),
    };
    let mut f = Finding::at(code, location, message)
        .severity(first.finding.severity)
        .hosts(&names)
        .group_key(key);
    f.help = first.finding.help.clone();
    if let Some(n) = network {
        f = f.network(&n.name);
    }
    for m in members.iter().take(HOST_LOCATIONS) {
        let detail = m.finding.label.as_deref().unwrap_or("reported here");
        f = f.related_at(
            m.finding.location.clone(),
            format!("`{}`: {detail}", m.host),
        );
    }
    f
}

/// What a grouped finding says of its hosts: the host rule's phrase (SL054 comes from the FQDN
/// lookups of SL202 and SL205).
fn host_group_phrase(code: Code) -> &'static str {
    match rule(code).1 {
        Check::Host(_, phrase) => phrase,
        _ if code == Code::SL054 => "the lookup of their device FQDN got no answer",
        _ => doc(code).summary,
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Build profiles and networks from short literals for rule tests.
    use super::*;
    use crate::envdetect::{Algorithm, IpMode};
    use crate::observe::Trust;
    use crate::profile::{ProfileKind, RemoteAccess};
    use crate::source::{Encoding, SourceFile, Spanned};

    pub fn profile(entries: &[&str]) -> Profile {
        profile_with(entries, Algorithm::LocalDomains)
    }

    pub fn profile_with(entries: &[&str], algorithm: Algorithm) -> Profile {
        // Lay the entries out one per line so each has a real span.
        let text: String = entries.iter().map(|e| format!("{e}\n")).collect();
        let source = SourceFile::new("p.xml", text, Encoding::Utf8);
        let mut spans = Vec::new();
        let mut at = 0;
        for e in entries {
            spans.push(at..at + e.len());
            at += e.len() + 1;
        }
        Profile {
            name: "p".into(),
            kind: ProfileKind::Scs,
            source,
            span: 0..0,
            detection: Some(Detection {
                algorithm,
                strings: entries.iter().map(|s| s.to_string()).collect(),
                string_spans: spans,
                ipv6_prefixes: vec![],
                prefix_spans: vec![],
                span: 0..at,
                written: None,
            }),
            remote_access: None,
            ip_mode: None,
            ip_sync: None,
            fqdn_source: None,
            shared_fqdn: None,
            suppressions: Vec::new(),
        }
    }

    /// A MeshCentral profile: the list as MeshCentral writes it is what the firmware gets.
    pub fn meshcentral(entries: &[&str]) -> Profile {
        let mut p = profile(entries);
        p.kind = ProfileKind::MeshCentral;
        if let Some(d) = p.detection.as_mut() {
            d.written = Some(crate::profile::meshcentral::written(&d.strings));
        }
        p
    }

    pub fn with_remote_access(mut p: Profile) -> Profile {
        p.remote_access = Some(RemoteAccess {
            mps_servers: vec![Spanned::new("mps.company.com".into(), 0..0)],
            policies: vec![],
        });
        p
    }

    pub fn with_static_ip(mut p: Profile) -> Profile {
        p.ip_mode = Some(Spanned::new(IpMode::Static, 0..0));
        p
    }

    pub fn net(name: &str, suffix: Option<&str>, trust: Trust) -> Network {
        Network {
            name: name.into(),
            suffix: suffix.map(str::to_owned),
            search_v6: vec![],
            trust,
            trust_origin: crate::observe::TrustOrigin::Declared,
            kind: crate::observe::NetworkKind::Lan,
            forced_external: None,
            site: None,
            hosts: Some(10),
            ipv6_prefixes: vec![],
            ranges: vec![],
            sources: vec![],
            location: crate::diagnostic::Location::Span {
                source: SourceFile::new(
                    "observed.toml",
                    format!("name = \"{name}\""),
                    Encoding::Utf8,
                ),
                span: 7..9 + name.len(),
            },
        }
    }

    /// Findings of `code` for this profile and these networks.
    pub fn run_rule(code: Code, p: &Profile, networks: Option<&[Network]>) -> Vec<Finding> {
        run_rule_with(code, p, networks, None)
    }

    /// Findings of `code` with what `--dns` found.
    pub fn run_rule_dns(
        code: Code,
        p: &Profile,
        networks: Option<&[Network]>,
        facts: &DnsFacts,
    ) -> Vec<Finding> {
        run_rule_with(code, p, networks, Some(facts))
    }

    fn run_rule_with(
        code: Code,
        p: &Profile,
        networks: Option<&[Network]>,
        dns: Option<&DnsFacts>,
    ) -> Vec<Finding> {
        let external = ExternalSuffixes::new(["guest.company.com"]);
        let ctx = Context {
            profile: p,
            networks,
            external: &external,
            max_home_domains: 5,
            dns,
        };
        let mut out = Vec::new();
        if let Check::Profile(check) = rule(code).1 {
            check(&ctx, &mut out);
        }
        out
    }

    pub fn host(edit: impl FnOnce(&mut Host)) -> Host {
        let mut h = Host::default();
        edit(&mut h);
        h
    }

    /// Findings of host rule `code` for this host on this network.
    pub fn run_host_rule(code: Code, h: &Host, network: Option<&Network>) -> Vec<Finding> {
        run_host_rule_with(code, h, network, None)
    }

    /// Findings of host rule `code` with what `--dns` found.
    pub fn run_host_rule_dns(code: Code, h: &Host, facts: &DnsFacts) -> Vec<Finding> {
        run_host_rule_with(code, h, None, Some(facts))
    }

    /// DNS facts holding one address answer.
    pub fn facts_with_address(fqdn: &str, answer: crate::observe::dns::Answer) -> DnsFacts {
        let mut facts = DnsFacts::default();
        facts.insert_address(fqdn, answer);
        facts
    }

    fn run_host_rule_with(
        code: Code,
        h: &Host,
        network: Option<&Network>,
        dns: Option<&DnsFacts>,
    ) -> Vec<Finding> {
        let ctx = HostContext {
            host: h,
            name: "pc0423".into(),
            network,
            location: Location::File {
                path: "agents/pc0423.txt".into(),
                line: 1,
                column: 1,
            },
            dns,
        };
        let mut out = Vec::new();
        if let Check::Host(check, _) = rule(code).1 {
            check(&ctx, &mut out);
        }
        out
    }

    pub fn entries_flagged(code: Code, entries: &[&str]) -> Vec<String> {
        let p = profile(entries);
        run_rule(code, &p, None)
            .into_iter()
            .filter_map(|f| f.home_domain)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_whose_verdict_follows_firmware_and_consoles_cite_their_source() {
        use Code::*;
        for code in [
            SL001, SL002, SL003, SL004, SL005, SL008, SL009, SL011, SL100, SL101, SL102, SL104,
            SL300, SL302, SL305,
        ] {
            assert!(explain(code).contains("\nSource: "), "{code}");
        }
    }

    #[test]
    fn device_and_agent_rules_cite_their_source_and_in_place_remedies() {
        for code in [
            Code::SL200,
            Code::SL201,
            Code::SL202,
            Code::SL204,
            Code::SL205,
            Code::SL304,
        ] {
            assert!(explain(code).contains("\nSource: "), "{code}");
        }
        for code in [Code::SL200, Code::SL201] {
            let text = explain(code);
            for words in [
                "WS-Management Put of `AMT_EnvironmentDetectionSettingData`",
                "rpc-go's configure command",
                "re-provisioning",
                "only when no console reaches the ME",
            ] {
                assert!(text.contains(words), "{code}: {words}");
            }
        }
    }

    fn found<'a>(code: Code, host: &str, network: Option<&'a Network>) -> HostFinding<'a> {
        let location = Location::File {
            path: format!("agents/{host}.txt").into(),
            line: 1,
            column: 1,
        };
        HostFinding {
            finding: Finding::at(code, location, format!("`{host}` is wrong"))
                .host(host)
                .label("detail"),
            host: host.to_owned(),
            network,
        }
    }

    #[test]
    fn host_findings_are_grouped_per_code_and_network() {
        use crate::observe::Trust::Enterprise;
        let hq = test_support::net("hq", Some("company.com"), Enterprise);
        let lab = test_support::net("lab", Some("lab.company.com"), Enterprise);
        let mut input: Vec<HostFinding> = (0..25)
            .map(|i| found(Code::SL200, &format!("pc{i:02}"), Some(&hq)))
            .collect();
        input.push(found(Code::SL201, "pc00", Some(&hq)));
        input.push(found(Code::SL200, "lab1", Some(&lab)));
        input.push(found(Code::SL203, "x1", None));
        input.push(found(Code::SL203, "x2", None));
        let out = group_host_findings(input);
        assert_eq!(out.len(), 4, "{out:#?}");
        let big = &out[0];
        assert_eq!(
            (big.code, big.network.as_deref()),
            (Code::SL200, Some("hq"))
        );
        assert_eq!(big.hosts.len(), 25);
        assert_eq!(big.host, None);
        assert!(
            big.message.starts_with("25 hosts on network `hq`")
                && big
                    .message
                    .ends_with("`pc00`, `pc01`, `pc02`, `pc03`, `pc04` and 20 more"),
            "{}",
            big.message
        );
        assert_eq!(big.related.len(), HOST_LOCATIONS);
        assert_eq!(big.related[0].label, "`pc00`: detail");
        assert_eq!(big.path(), hq.location.path());
        // A lone host keeps its own message; hosts in no network group together.
        let lone = out
            .iter()
            .find(|f| f.network.as_deref() == Some("lab"))
            .unwrap();
        assert_eq!(
            (lone.message.as_str(), lone.host.as_deref()),
            ("`lab1` is wrong", Some("lab1"))
        );
        let none = out.iter().find(|f| f.code == Code::SL203).unwrap();
        assert_eq!(none.hosts, ["x1", "x2"]);
        assert!(none.message.starts_with("2 hosts in no observed network"));
    }

    #[test]
    fn a_grouped_host_finding_keeps_its_fingerprint_when_a_host_joins() {
        use crate::observe::Trust::Enterprise;
        let hq = test_support::net("hq", Some("company.com"), Enterprise);
        let one = group_host_findings(vec![found(Code::SL201, "pc1", Some(&hq))]);
        let two = group_host_findings(vec![
            found(Code::SL201, "pc0", Some(&hq)),
            found(Code::SL201, "pc1", Some(&hq)),
        ]);
        assert_ne!(one[0].message, two[0].message);
        assert_eq!(one[0].fingerprint(), two[0].fingerprint());
    }

    #[test]
    fn every_code_is_documented() {
        for &code in Code::ALL {
            let d = doc(code);
            for (part, text) in [
                ("summary", d.summary),
                ("what", d.what),
                ("why", d.why),
                ("fix", d.fix),
                ("example", d.example),
            ] {
                assert!(text.trim().len() > 20, "{code}: {part} is too thin");
            }
            let text = explain(code);
            assert!(text.starts_with(code.as_str()) && text.contains(code.name()));
            // Input problems have no check; every other code has one, except SL012, which the SCS
            // reader raises when no home-domain path matches, SL054, which the DNS rules raise
            // when a lookup they needed failed, and SL900/SL901, which come from applying
            // suppressions.
            assert_eq!(
                matches!(rule(code).1, Check::Input),
                code.is_input_problem()
                    || matches!(code, Code::SL012 | Code::SL054 | Code::SL900 | Code::SL901),
                "{code}"
            );
        }
    }
}

//! The rule registry: every code's documentation and check, run over one profile at a time.
//! Rules see profiles and networks only; they know nothing of output formats.

use crate::diagnostic::{Code, Finding, Location};
use crate::envdetect::Verdict;
use crate::external::ExternalSuffixes;
use crate::observe::Network;
use crate::observe::dns_facts::DnsFacts;
use crate::observe::model::Host;
use crate::profile::{Detection, Profile};
use crate::source::Span;

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
    /// Once per observed host.
    Host(fn(&HostContext, &mut Vec<Finding>)),
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
        SL200 => (&me_without_ip::DOC, Host(me_without_ip::check)),
        SL201 => (
            &ras_outside_on_enterprise::DOC,
            Host(ras_outside_on_enterprise::check),
        ),
        SL202 => (
            &fqdn_resolves_elsewhere::DOC,
            Host(fqdn_resolves_elsewhere::check),
        ),
        SL203 => (&mixed_dhcp_static::DOC, Host(mixed_dhcp_static::check)),
        SL204 => (
            &primary_suffix_differs::DOC,
            Host(primary_suffix_differs::check),
        ),
        SL205 => (&fqdn_not_in_dns::DOC, Host(fqdn_not_in_dns::check)),
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

/// The full text `scslint explain CODE` prints.
pub fn explain(code: Code) -> String {
    let d = doc(code);
    format!(
        "{code} {name} (default: {sev})\n{summary}\n\nWhat it catches\n{what}\n\nWhy it matters for AMT\n{why}\n\nHow to fix it\n{fix}\n\nExample\n{example}\n",
        name = code.name(),
        sev = code.default_severity().as_str(),
        summary = d.summary,
        what = d.what.trim(),
        why = d.why.trim(),
        fix = d.fix.trim(),
        example = d.example.trim_matches('\n'),
    )
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
            !d.strings.is_empty() && d.strings.iter().all(|s| crate::dns_name::is_placeholder(s))
        })
    }

    /// Attach the network's definition in observed.toml to a finding.
    pub fn with_network(&self, f: Finding, n: &Network) -> Finding {
        f.network(&n.name).related_at(
            n.location.clone(),
            format!("network `{}` observed here", n.name),
        )
    }
}

/// "`a`, `b` and `c`", or the first five and "and N more": how findings name what they group.
pub fn name_list<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> String {
    const SHOWN: usize = 5;
    let names: Vec<String> = names.into_iter().map(|n| n.as_ref().to_owned()).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n if n <= SHOWN => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
        n => format!("{} and {} more", names[..SHOWN].join(", "), n - SHOWN),
    }
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
        if let (_, Check::Host(check)) = rule(code) {
            check(ctx, &mut out);
        }
    }
    out
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
            forced_external: None,
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
        if let Check::Host(check) = rule(code).1 {
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
            // Input problems have no check; every other code has one, except SL054, which the
            // DNS rules raise when a lookup they needed failed, and SL900/SL901, which come from
            // applying suppressions.
            assert_eq!(
                matches!(rule(code).1, Check::Input),
                code.is_input_problem() || matches!(code, Code::SL054 | Code::SL900 | Code::SL901),
                "{code}"
            );
        }
    }
}

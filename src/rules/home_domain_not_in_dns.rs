//! SL105: a home domain (or an observed option 15 suffix) that does not exist in DNS. Also raises
//! SL054 when the SOA/NS lookups failed.

use super::Context;
use crate::diagnostic::{Code, Finding};
use crate::dns_name::{is_placeholder, normalise, validate};
use crate::envdetect::Algorithm;
use crate::observe::Network;
use crate::observe::dns::{Answer, ZoneAnswer};
use crate::observe::dns_facts::{DnsFacts, failure, unanswered};

declare_rule! {
    code: SL105,
    name: "home-domain-not-in-dns",
    level: Warning,
    scope: Network,
    needs: [Dns],
    check: Profile(check),
    summary: "With --dns: a home domain, or an observed option 15 suffix, that does not exist in DNS.",
    what: "A home domain whose SOA and NS queries both answer that the name does not exist (NXDOMAIN). \
With observed networks, the option 15 suffix of each enterprise network is checked the same way. A \
name that exists without being a zone of its own (a subdomain inside its parent's zone) is fine: \
AMT compares suffix strings and does not care where zones are cut. Console placeholders (SL009) are \
not queried.",
    why: "A home domain that does not exist in DNS is usually a typo, a placeholder nobody replaced, or \
an internal name from another system; no DHCP server in the enterprise is likely to hand it out, so \
it never makes AMT feel at home. An option 15 suffix that does not exist means devices cannot \
register under it, which breaks name-based console access (see SL205).",
    fix: "Compare the entry with the suffix DHCP really hands out (`scslint collect` on the DHCP \
configurations shows it) and correct it. If the name is deliberately internal to a DNS view scslint \
did not ask, point `--nameserver` at a server of that view.",
    example: r#"  home domains: compnay.com
  DNS:          compnay.com SOA NXDOMAIN, NS NXDOMAIN
  → SL105: home domain `compnay.com` does not exist in DNS"#,
}

/// The home domains worth asking DNS about: valid names that are not placeholders.
pub fn queryable(entry: &str) -> bool {
    let n = normalise(entry);
    !n.is_empty() && !is_placeholder(entry) && validate(&n).is_empty()
}

/// What a zone lookup says: `Ok(true)` the name does not exist, `Ok(false)` it does, `Err` why the
/// lookup gave no answer.
fn absent(zone: &ZoneAnswer) -> Result<bool, String> {
    if zone.soa == Answer::NxDomain && zone.ns == Answer::NxDomain {
        return Ok(true);
    }
    if matches!(
        zone.soa,
        Answer::Records(_) | Answer::NoData | Answer::NxDomain
    ) || matches!(zone.ns, Answer::Records(_) | Answer::NoData)
    {
        return Ok(false);
    }
    Err(failure(&zone.soa)
        .or_else(|| failure(&zone.ns))
        .unwrap_or_default())
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(facts), Some(d)) = (ctx.dns, ctx.detection()) else {
        return;
    };
    if d.algorithm != Algorithm::LocalDomains {
        return;
    }
    for (_, entry, span) in d.entries() {
        if !queryable(entry) {
            continue;
        }
        let Some(zone) = facts.zone(entry) else {
            continue;
        };
        let entry = entry.trim();
        match absent(zone) {
            Ok(false) => {}
            Ok(true) => out.push(
                ctx.finding(
                    Code::SL105,
                    span.clone(),
                    format!(
                        "home domain `{entry}` does not exist in DNS (SOA and NS: NXDOMAIN from {})",
                        facts.server
                    ),
                )
                .label("not in DNS")
                .home_domain(entry)
                .help("compare it with the option 15 suffix DHCP hands out; a typo or an unreplaced placeholder is likely"),
            ),
            Err(why) => out.push(lookup_failed(
                ctx.finding(
                    Code::SL054,
                    span.clone(),
                    format!(
                        "looking up home domain `{entry}` at {}: {why}; SL105 could not be checked",
                        facts.server
                    ),
                )
                .label(format!("`{entry}`: {why}"))
                .home_domain(entry),
                zone,
                facts,
            )),
        }
    }
}

/// SL105 (and SL054) for the option 15 suffix of an observed enterprise network.
pub fn check_network(network: &Network, facts: &DnsFacts) -> Option<Finding> {
    if !network.is_enterprise() {
        return None;
    }
    let suffix = network.suffix.as_deref()?;
    let zone = facts.zone(suffix)?;
    let finding = match absent(zone) {
        Ok(false) => return None,
        Ok(true) => Finding::at(
            Code::SL105,
            network.location.clone(),
            format!(
                "network `{}` hands out option 15 `{suffix}`, which does not exist in DNS (NXDOMAIN from {})",
                network.name, facts.server
            ),
        )
        .help("devices cannot register under a suffix that does not exist; check the DHCP scope's option 15"),
        Err(why) => lookup_failed(
            Finding::at(
                Code::SL054,
                network.location.clone(),
                format!(
                    "looking up option 15 `{suffix}` of network `{}` at {}: {why}; SL105 could not be checked",
                    network.name, facts.server
                ),
            )
            .label(format!("`{suffix}` (network `{}`): {why}", network.name)),
            zone,
            facts,
        ),
    };
    Some(finding)
}

/// An SL054 about a zone lookup, marked for folding when the server gave no answer to either query.
fn lookup_failed(f: Finding, zone: &ZoneAnswer, facts: &DnsFacts) -> Finding {
    if zone.soa.no_answer() && zone.ns.no_answer() {
        unanswered(f, facts)
    } else {
        f
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::observe::Trust;

    fn zone(soa: Answer, ns: Answer) -> ZoneAnswer {
        ZoneAnswer { soa, ns }
    }

    #[test]
    fn fires_only_when_the_name_does_not_exist() {
        let p = profile(&["compnay.com", "corp.test", "site4.corp.test"]);
        let mut facts = DnsFacts::default();
        facts.insert_zone("compnay.com", zone(Answer::NxDomain, Answer::NxDomain));
        facts.insert_zone(
            "corp.test",
            zone(
                Answer::Records(vec!["ns1.corp.test".into()]),
                Answer::Records(vec!["ns1.corp.test".into()]),
            ),
        );
        // A subdomain inside its parent's zone: no SOA or NS of its own, but it exists.
        facts.insert_zone("site4.corp.test", zone(Answer::NoData, Answer::NoData));
        let f = run_rule_dns(Code::SL105, &p, None, &facts);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].home_domain.as_deref(), Some("compnay.com"));
    }

    #[test]
    fn a_failed_lookup_is_sl054_and_placeholders_are_not_asked() {
        let p = profile(&["corp.test"]);
        let mut facts = DnsFacts::default();
        facts.insert_zone("corp.test", zone(Answer::ServFail, Answer::Timeout));
        let f = run_rule_dns(Code::SL105, &p, None, &facts);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, Code::SL054);
        assert!(f[0].message.contains("SERVFAIL"));
        assert!(!queryable("0a1b2c3d-4e5f-4a6b-8c7d-9e8f7a6b5c4d.com"));
        assert!(!queryable("not a name"));
        assert!(queryable("corp.test"));
    }

    #[test]
    fn observed_suffixes_are_checked_on_enterprise_networks_only() {
        let mut facts = DnsFacts::default();
        facts.insert_zone("gone.test", zone(Answer::NxDomain, Answer::NxDomain));
        let hq = net("hq", Some("gone.test"), Trust::Enterprise);
        let f = check_network(&hq, &facts).unwrap();
        assert_eq!(f.code, Code::SL105);
        assert!(f.message.contains("`hq`"));
        let guest = net("guest", Some("gone.test"), Trust::External);
        assert!(check_network(&guest, &facts).is_none());
    }
}

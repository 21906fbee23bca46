//! SL205: the device's FQDN does not exist in DNS, or has no address records.

use super::HostContext;
use crate::diagnostic::{Code, Finding};
use crate::observe::dns::Answer;

declare_rule! {
    code: SL205,
    name: "fqdn-not-in-dns",
    level: Warning,
    scope: Host,
    needs: [Dns],
    check: Host(check, GROUP),
    summary: "With --dns: the device's FQDN does not exist in DNS (NXDOMAIN) or has no A/AAAA record.",
    what: "A host with a device FQDN and the ME's address, where DNS answers that the name does not \
exist, or that it exists without any address record. The device FQDN is the one the report states, \
else the host name with the primary DNS suffix (what Intel SCS uses by default), never the host \
name with the connection-specific suffix (option 15).",
    why: "Consoles that address devices by name cannot reach this one at all, and TLS on 16993 \
(certificates are issued for the FQDN) cannot be used by address. It often means the device never \
registered its primary name in DNS, or the profile builds the FQDN from another suffix than the one \
the device registers.",
    fix: "Register the device FQDN in DNS (dynamic update from the OS or DHCP), or correct the FQDN \
in the inventory if it is wrong.\n\
Source: Intel SCS User Guide, FQDN settings (host name + primary DNS suffix by default).",
    example: r#"  SystemDiscovery: HostName pc0999, OSPrimaryDNSSuffix corp.test, WiredIPv4 10.1.4.99
  DNS:     pc0999.corp.test NXDOMAIN
  → SL205: `pc0999.corp.test` does not exist in DNS"#,
}

/// What the grouped finding says of the hosts of one network.
pub const GROUP: &str = "their device FQDN does not exist in DNS or has no address record: \
consoles cannot reach the ME by name";

pub fn check(ctx: &HostContext, out: &mut Vec<Finding>) {
    let (Some(facts), Some(fqdn), Some(me)) = (ctx.dns, ctx.fqdn(), ctx.host.me_ip) else {
        return;
    };
    if me.is_unspecified() {
        return;
    }
    let (message, label) = match facts.addresses(&fqdn) {
        Some(Answer::NxDomain) => (
            format!(
                "`{fqdn}` does not exist in DNS (NXDOMAIN from {}): consoles cannot reach the ME at {me} by name",
                facts.server
            ),
            format!("`{fqdn}`: NXDOMAIN"),
        ),
        Some(Answer::NoData) => (
            format!(
                "`{fqdn}` exists in DNS but has no A or AAAA record: consoles cannot reach the ME at {me} by name"
            ),
            format!("`{fqdn}`: no A or AAAA record"),
        ),
        _ => return,
    };
    out.push(
        ctx.finding(Code::SL205, message)
            .label(label)
            .help("register the device FQDN (host name + primary DNS suffix) in DNS"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    fn device() -> crate::observe::model::Host {
        host(|h| {
            h.fqdn = Some("pc0999.corp.test".into());
            h.me_ip = Some("10.1.4.99".parse().unwrap());
        })
    }

    #[test]
    fn nxdomain_and_nodata_are_told_apart() {
        let f = run_host_rule_dns(
            Code::SL205,
            &device(),
            &facts_with_address("pc0999.corp.test", Answer::NxDomain),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("NXDOMAIN"));
        let f = run_host_rule_dns(
            Code::SL205,
            &device(),
            &facts_with_address("pc0999.corp.test", Answer::NoData),
        );
        assert!(f[0].message.contains("no A or AAAA"));
    }

    #[test]
    fn the_name_asked_is_host_name_and_primary_suffix_never_option_15() {
        let facts = facts_with_address("pc0999.corp.test", Answer::NxDomain);
        let primary = host(|h| {
            h.hostname = Some("pc0999".into());
            h.primary_suffix = Some("corp.test".into());
            h.suffix = Some("site5.corp.test".into());
            h.me_ip = Some("10.1.4.99".parse().unwrap());
        });
        let f = run_host_rule_dns(Code::SL205, &primary, &facts);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("`pc0999.corp.test`"));
        // Host name + option 15 is not the device FQDN: nothing to ask, nothing found.
        let facts = facts_with_address("pc0999.site5.corp.test", Answer::NxDomain);
        let option15_only = host(|h| {
            h.hostname = Some("pc0999".into());
            h.suffix = Some("site5.corp.test".into());
            h.me_ip = Some("10.1.4.99".parse().unwrap());
        });
        assert!(run_host_rule_dns(Code::SL205, &option15_only, &facts).is_empty());
        assert!(run_host_rule_dns(Code::SL205, &primary, &facts).is_empty());
    }

    #[test]
    fn quiet_when_the_name_resolves_or_the_lookup_failed() {
        for answer in [
            Answer::Records(vec!["10.1.4.99".into()]),
            Answer::Timeout,
            Answer::ServFail,
        ] {
            let facts = facts_with_address("pc0999.corp.test", answer);
            assert!(run_host_rule_dns(Code::SL205, &device(), &facts).is_empty());
        }
    }
}

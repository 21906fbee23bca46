//! SL205: the device's FQDN does not exist in DNS, or has no address records.

use super::{Doc, HostContext};
use crate::diagnostic::{Code, Finding};
use crate::observe::dns::Answer;

pub const DOC: Doc = Doc {
    summary: "With --dns: the device's FQDN does not exist in DNS (NXDOMAIN) or has no A/AAAA record.",
    what: "A host whose agent report gives its FQDN and the ME's address, where DNS answers that the \
name does not exist, or that it exists without any address record.",
    why: "Consoles that address devices by name cannot reach this one at all, and TLS on 16993 \
(certificates are issued for the FQDN) cannot be used by address. It often means the device never \
registered in DNS under the suffix DHCP handed out, which is also the suffix AMT compares with its \
home domains.",
    fix: "Register the wired adapter in DNS (dynamic update from DHCP or the OS) under the \
connection-specific suffix, or correct the FQDN in the inventory if it is wrong.",
    example: r#"  amtinfo: hostname pc0999, DNS Suffix (OS) corp.test, AMT IP Address 10.1.4.99
  DNS:     pc0999.corp.test NXDOMAIN
  → SL205: `pc0999.corp.test` does not exist in DNS"#,
};

pub fn check(ctx: &HostContext, out: &mut Vec<Finding>) {
    let (Some(facts), Some(fqdn), Some(me)) = (ctx.dns, &ctx.host.fqdn, ctx.host.me_ip) else {
        return;
    };
    if me.is_unspecified() {
        return;
    }
    let message = match facts.addresses(fqdn) {
        Some(Answer::NxDomain) => format!(
            "`{fqdn}` does not exist in DNS (NXDOMAIN from {}): consoles cannot reach the ME at {me} by name",
            facts.server
        ),
        Some(Answer::NoData) => format!(
            "`{fqdn}` exists in DNS but has no A or AAAA record: consoles cannot reach the ME at {me} by name"
        ),
        _ => return,
    };
    out.push(
        ctx.finding(Code::SL205, message)
            .help("register the wired adapter in DNS under the connection-specific suffix"),
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

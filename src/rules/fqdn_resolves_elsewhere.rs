//! SL202: the device's FQDN resolves to addresses that are not the ME's. Also raises SL054 when
//! the FQDN lookup itself failed (timeout, SERVFAIL, REFUSED).

use super::HostContext;
use crate::diagnostic::{Code, Finding};
use crate::observe::dns::Answer;
use crate::observe::dns_facts::{failure, unanswered};
use std::net::IpAddr;

declare_rule! {
    code: SL202,
    name: "fqdn-resolves-elsewhere",
    level: Error,
    scope: Host,
    needs: [Dns],
    check: Host(check, GROUP),
    summary: "With --dns: the device's FQDN resolves to an address other than the ME's.",
    what: "A host with a device FQDN and the ME's IPv4 address, where the A/AAAA records of the FQDN \
(queried with a trailing dot, no search list) do not include the ME's address. The device FQDN is \
the one the report states, else the host name with the primary DNS suffix (what Intel SCS uses by \
default), never the host name with the connection-specific suffix. With `--ptr` the message also \
names what the other address is in reverse DNS.",
    why: "Consoles and scripts reach AMT by name. When the name points elsewhere (a stale record, a \
second adapter that registered itself, a reused address) they connect to another machine or to the \
OS, and every session fails with tcp_connect() or WS-MAN SOAP errors although AMT itself is fine. \
The troubleshooting article names this as the most common cause of those errors.",
    fix: "Correct the DNS record (dynamic DNS registration of the wired adapter, scavenging of stale \
records, DHCP option 81 settings), or have the console address the device by the ME's IP until DNS \
is fixed. In DHCP mode the ME shares the OS's address on the wired adapter: a name that resolves to \
the wireless or a VPN address shows up here too.\n\
Source: Intel SCS User Guide, FQDN settings (host name + primary DNS suffix by default).",
    example: r#"  amtinfo: AMT IP Address 10.1.4.20; ipconfig: Host Name pc0423, Primary Dns Suffix corp.test
  DNS:     pc0423.corp.test A 10.1.4.77
  → SL202: `pc0423.corp.test` resolves to 10.1.4.77, not to the ME's address 10.1.4.20"#,
}

/// What the grouped finding says of the hosts of one network.
pub const GROUP: &str = "their device FQDN resolves to an address other than the ME's: consoles \
that connect by name reach another machine";

pub fn check(ctx: &HostContext, out: &mut Vec<Finding>) {
    let (Some(facts), Some(fqdn), Some(me)) = (ctx.dns, ctx.fqdn(), ctx.host.me_ip) else {
        return;
    };
    if me.is_unspecified() {
        return;
    }
    let Some(answer) = facts.addresses(&fqdn) else {
        return;
    };
    if let Some(why) = failure(answer) {
        let f = ctx
            .finding(
                Code::SL054,
                format!(
                    "looking up `{fqdn}` at {}: {why}; SL202 could not be checked",
                    facts.server
                ),
            )
            .label(format!("`{fqdn}`: {why}"));
        out.push(if answer.no_answer() {
            unanswered(f, facts)
        } else {
            f
        });
        return;
    }
    let Answer::Records(addresses) = answer else {
        return;
    };
    let me_ip = IpAddr::V4(me);
    let parsed: Vec<IpAddr> = addresses.iter().filter_map(|a| a.parse().ok()).collect();
    if parsed.is_empty() || parsed.contains(&me_ip) {
        return;
    }
    let mut message = format!(
        "`{fqdn}` resolves to {}, not to the ME's address {me}: consoles that connect by name reach another machine",
        addresses.join(", ")
    );
    let reverse: Vec<String> = parsed
        .iter()
        .filter_map(|ip| facts.reverse_name(*ip).map(|n| format!("{ip} is `{n}`")))
        .chain(facts.reverse_name(me_ip).map(|n| format!("{me} is `{n}`")))
        .collect();
    if !reverse.is_empty() {
        message.push_str(&format!(" (reverse DNS: {})", reverse.join("; ")));
    }
    let label = format!("`{fqdn}` is {}, the ME {me}", addresses.join(", "));
    out.push(
        ctx.finding(Code::SL202, message)
            .label(label)
            .help("fix the DNS record of the wired adapter (dynamic registration, stale records), or address the device by the ME's IP"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    fn device(me: &str) -> crate::observe::model::Host {
        host(|h| {
            h.fqdn = Some("pc0423.corp.test".into());
            h.me_ip = Some(me.parse().unwrap());
        })
    }

    #[test]
    fn fires_when_the_name_points_elsewhere() {
        let facts = facts_with_address(
            "pc0423.corp.test",
            Answer::Records(vec!["10.1.4.77".into()]),
        );
        let f = run_host_rule_dns(Code::SL202, &device("10.1.4.20"), &facts);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("10.1.4.77") && f[0].message.contains("10.1.4.20"));
    }

    #[test]
    fn quiet_when_one_of_the_addresses_is_the_mes() {
        let facts = facts_with_address(
            "pc0423.corp.test",
            Answer::Records(vec!["10.1.4.20".into(), "fd00::20".into()]),
        );
        assert!(run_host_rule_dns(Code::SL202, &device("10.1.4.20"), &facts).is_empty());
        // An ME without an address is SL200's business, and a name that does not exist SL205's.
        assert!(run_host_rule_dns(Code::SL202, &device("0.0.0.0"), &facts).is_empty());
        let gone = facts_with_address("pc0423.corp.test", Answer::NxDomain);
        assert!(run_host_rule_dns(Code::SL202, &device("10.1.4.20"), &gone).is_empty());
    }

    #[test]
    fn the_name_looked_up_is_host_name_and_primary_suffix_never_option_15() {
        let facts = facts_with_address(
            "pc0423.corp.test",
            Answer::Records(vec!["10.1.4.77".into()]),
        );
        let reported = |primary: Option<&str>| {
            host(|h| {
                h.hostname = Some("pc0423".into());
                h.suffix = Some("corp.test".into());
                h.primary_suffix = primary.map(str::to_owned);
                h.me_ip = Some("10.1.4.20".parse().unwrap());
            })
        };
        let f = run_host_rule_dns(Code::SL202, &reported(Some("corp.test")), &facts);
        assert_eq!(f.len(), 1);
        // Option 15 alone names no device: nothing is compared.
        assert!(run_host_rule_dns(Code::SL202, &reported(None), &facts).is_empty());
    }

    #[test]
    fn a_failed_lookup_is_sl054_naming_the_failure() {
        for (answer, words) in [
            (Answer::Timeout, "timed out"),
            (Answer::ServFail, "SERVFAIL"),
            (Answer::Refused, "REFUSED"),
        ] {
            let facts = facts_with_address("pc0423.corp.test", answer);
            let f = run_host_rule_dns(Code::SL202, &device("10.1.4.20"), &facts);
            assert_eq!(f.len(), 1);
            assert_eq!(f[0].code, Code::SL054);
            assert!(f[0].message.contains(words), "{}", f[0].message);
        }
    }
}

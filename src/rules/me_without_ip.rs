//! SL200: the ME has no IPv4 address while the wired link is up and the OS has one.

use super::HostContext;
use crate::diagnostic::{Code, Finding};
use std::net::Ipv4Addr;

declare_rule! {
    code: SL200,
    name: "me-without-ip",
    level: Warning,
    scope: Host,
    needs: [],
    check: Host(check, GROUP),
    summary: "The ME reports IP 0.0.0.0 while the wired link is up and the OS has an address.",
    what: "An agent report (rpc-go amtinfo, SCS SystemDiscovery, inventory) where the ME's wired IPv4 \
address is 0.0.0.0, the wired link is up, and the operating system holds an address on the same adapter.",
    why: "This is the troubleshooting article's signature: SystemDiscovery shows `WiredIPv4 = 0.0.0.0` \
beside a valid `OSIP`. The ME is not on the LAN, so every console connection to 16992/16993 fails with \
tcp_connect() errors while the host answers. Environment detection calling the network outside is the \
usual cause (compare SL201 and `scslint check`); an unactivated ME or CIRA-only use also show it.",
    fix: "Run `scslint check` with this snapshot: if the profile predicts outside for the device's network, \
add that network's option 15 suffix to the home domains. Devices already configured are corrected in \
place: a WS-Management Put of `AMT_EnvironmentDetectionSettingData` (locally through LMS or over \
CIRA, as MeshCommander, MeshCentral and RPS do), rpc-go's configure command, or re-provisioning with \
the corrected SCS profile; full unconfiguration only when no console reaches the ME. If the profile \
predicts inside, check that the ME is activated and on DHCP.\n\
Source: Intel's AMT troubleshooting article on tcp_connect() errors (SystemDiscovery `WiredIPv4 = \
0.0.0.0` beside a valid `OSIP`).",
    example: r#"  AMT IP Address : 0.0.0.0      OS IP Address : 10.1.4.20      Link Status : up
  → SL200 for pc0423"#,
}

/// What the grouped finding says of the hosts of one network.
pub const GROUP: &str = "their ME has no IPv4 address (0.0.0.0) while the wired link is up and \
the OS has one: LAN consoles cannot reach them";

pub fn check(ctx: &HostContext, out: &mut Vec<Finding>) {
    let h = ctx.host;
    let (Some(me), Some(os)) = (h.me_ip, h.os_ip) else {
        return;
    };
    if me != Ipv4Addr::UNSPECIFIED || os == Ipv4Addr::UNSPECIFIED || h.link_up != Some(true) {
        return;
    }
    out.push(
        ctx.finding(
            Code::SL200,
            format!(
                "the ME of `{}` has no IPv4 address (0.0.0.0) while its wired link is up and the OS has {os}: LAN consoles cannot reach it",
                ctx.name
            ),
        )
        .label(format!("ME 0.0.0.0, OS {os}, link up"))
        .help("run `scslint check` with this snapshot: a profile that predicts outside for this network is the usual cause"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_on_the_articles_signature() {
        let h = host(|h| {
            h.me_ip = Some(Ipv4Addr::UNSPECIFIED);
            h.os_ip = Some("10.1.4.20".parse().unwrap());
            h.link_up = Some(true);
        });
        assert_eq!(run_host_rule(Code::SL200, &h, None).len(), 1);
    }

    #[test]
    fn quiet_when_the_me_has_an_address_or_the_link_is_down() {
        let with = |me: &str, link: Option<bool>| {
            host(|h| {
                h.me_ip = Some(me.parse().unwrap());
                h.os_ip = Some("10.1.4.20".parse().unwrap());
                h.link_up = link;
            })
        };
        assert!(run_host_rule(Code::SL200, &with("10.1.4.20", Some(true)), None).is_empty());
        assert!(run_host_rule(Code::SL200, &with("0.0.0.0", Some(false)), None).is_empty());
        assert!(run_host_rule(Code::SL200, &with("0.0.0.0", None), None).is_empty());
    }
}

//! SL203: the OS and the ME disagree on DHCP versus static addressing.

use super::HostContext;
use crate::diagnostic::{Code, Finding};

declare_rule! {
    code: SL203,
    name: "mixed-dhcp-static",
    level: Warning,
    scope: Host,
    needs: [],
    check: Host(check, GROUP),
    summary: "The OS uses DHCP while the ME is static, or the reverse.",
    what: "An agent report where the OS adapter's DHCP setting differs from the ME's.",
    why: "Intel and the troubleshooting article discourage the mix: the device's FQDN then resolves to \
the OS address while the ME listens on another (or the reverse), the most common cause of \
tcp_connect() errors. A static ME also skips environment detection entirely.",
    fix: "Put both on DHCP with IP sync, or give both the same static address.",
    example: r#"  DHCP Enabled (OS) : Yes      ME DHCP Enabled : false
  → SL203"#,
}

/// What the grouped finding says of the hosts of one network.
pub const GROUP: &str = "the OS and the ME disagree on DHCP versus a static address";

pub fn check(ctx: &HostContext, out: &mut Vec<Finding>) {
    let (Some(os), Some(me)) = (ctx.host.os_dhcp, ctx.host.me_dhcp) else {
        return;
    };
    if os == me {
        return;
    }
    let (os_mode, me_mode) = if os {
        ("DHCP", "a static address")
    } else {
        ("a static address", "DHCP")
    };
    out.push(
        ctx.finding(
            Code::SL203,
            format!(
                "`{}` mixes addressing: the OS uses {os_mode} while the ME uses {me_mode}",
                ctx.name
            ),
        )
        .label(format!("OS {os_mode}, ME {me_mode}"))
        .help("use DHCP with IP sync for both, or the same static address for both"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_either_way() {
        for (os, me) in [(true, false), (false, true)] {
            let h = host(|h| {
                h.os_dhcp = Some(os);
                h.me_dhcp = Some(me);
            });
            assert_eq!(run_host_rule(Code::SL203, &h, None).len(), 1);
        }
    }

    #[test]
    fn quiet_when_they_agree_or_one_is_unknown() {
        let h = host(|h| {
            h.os_dhcp = Some(true);
            h.me_dhcp = Some(true);
        });
        assert!(run_host_rule(Code::SL203, &h, None).is_empty());
        let h = host(|h| h.os_dhcp = Some(true));
        assert!(run_host_rule(Code::SL203, &h, None).is_empty());
    }
}

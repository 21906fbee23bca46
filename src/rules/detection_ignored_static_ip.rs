//! SL008: static ME addressing, under which environment detection does not run.

use super::Context;
use crate::diagnostic::{Code, Finding, Severity};
use crate::envdetect::IpMode;

declare_rule! {
    code: SL008,
    name: "detection-ignored-static-ip",
    level: Warning,
    level_note: "error with remote access",
    scope: Profile,
    needs: [],
    check: Profile(check),
    summary: "Static IP mode: environment detection does not run on the wired interface (an error when remote access is configured).",
    what: "A profile whose IP mode is static while it sets home domains or remote access. Reported as a \
warning, or as an error when remote access (CIRA) is configured.",
    why: "Intel documents that environment detection does not take place when AMT is configured for \
static IP mode: on the wired interface the home domains are never compared, so AMT never decides it \
is outside there, and CIRA, which starts when AMT is outside, is not started from it. The wireless \
interface is DHCP-only, so on Wi-Fi detection runs and the list still matters. A host on DHCP with a \
static ME address is also the mixed set-up Intel discourages: the FQDN often resolves to an address \
the ME does not hold, the classic cause of tcp_connect() errors.\nSource: IRG, Environment Detection \
(\"does not take place when Intel AMT is configured for Static IP mode\"); IRG, wireless (DHCP only).",
    fix: "Use DHCP for the ME (with IP sync) wherever environment detection or remote access matters; \
keep static addressing for fixed kiosks and servers that are always on the LAN, without CIRA.",
    example: r#"  <Network><IPSettings><Mode>Static</Mode></IPSettings></Network>
  <RemoteAccess>…</RemoteAccess>     → SL008 (error): no detection on the wired interface, so CIRA is not started from it"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(mode) = &ctx.profile.ip_mode else {
        return;
    };
    if mode.value != IpMode::Static {
        return;
    }
    let remote = ctx.profile.has_remote_access();
    let has_domains = ctx.detection().is_some_and(|d| d.is_enabled());
    if !remote && !has_domains {
        return;
    }
    let (severity, message) = if remote {
        (
            Severity::Error,
            "the ME uses a static IP address: environment detection does not run on the wired interface, so AMT never decides it is outside there and remote access (CIRA) is not started from it; only Wi-Fi (DHCP-only) runs detection",
        )
    } else {
        (
            Severity::Warning,
            "the ME uses a static IP address: environment detection does not run on the wired interface, so the home domains apply only on Wi-Fi, which is DHCP-only",
        )
    };
    out.push(
        ctx.finding(Code::SL008, mode.span.clone(), message)
            .severity(severity)
            .label("static IP mode")
            .help("use DHCP for the ME (with IP sync) where detection or remote access is wanted"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn warning_with_domains_error_with_remote_access() {
        let f = run_rule(Code::SL008, &with_static_ip(profile(&["corp.com"])), None);
        assert_eq!(f[0].severity, Severity::Warning);
        let f = run_rule(
            Code::SL008,
            &with_static_ip(with_remote_access(profile(&["corp.com"]))),
            None,
        );
        assert_eq!(f[0].severity, Severity::Error);
    }

    #[test]
    fn quiet_on_dhcp_or_when_nothing_depends_on_detection() {
        assert!(run_rule(Code::SL008, &profile(&["corp.com"]), None).is_empty());
        assert!(run_rule(Code::SL008, &with_static_ip(profile(&[])), None).is_empty());
    }
}

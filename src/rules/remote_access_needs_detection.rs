//! SL007: remote access (CIRA) configured while environment detection is disabled.

use super::Context;
use crate::diagnostic::{Code, Finding};

declare_rule! {
    code: SL007,
    name: "remote-access-needs-detection",
    level: Error,
    scope: Profile,
    needs: [],
    check: Profile(check),
    summary: "Remote access (CIRA/MPS) is configured but environment detection is disabled.",
    what: "A profile that configures Management Presence Servers while its home-domain list and IPv6 \
local prefixes are both empty.",
    why: "CIRA only starts when the ME believes it is outside the enterprise, and with detection \
disabled it never does: the MPS servers are written into the firmware but devices never dial them, \
so laptops off the corporate network are unreachable.",
    fix: "Add the enterprise's DHCP option 15 suffixes as home domains (or a console placeholder, if \
CIRA should be used everywhere), or remove the remote-access settings.",
    example: r#"  <EnvironmentDetection><HomeDomains/></EnvironmentDetection>
  <RemoteAccess><MPSServers><MPSServer><Address>mps.corp.example.com</Address></MPSServer></MPSServers></RemoteAccess>
  → SL007: CIRA never starts"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(d), Some(ra)) = (ctx.detection(), ctx.profile.remote_access.as_ref()) else {
        return;
    };
    if d.is_enabled() || !ra.is_configured() {
        return;
    }
    let server = &ra.mps_servers[0];
    out.push(
        ctx.finding(
            Code::SL007,
            server.span.clone(),
            format!("remote access to `{}` is configured, but environment detection is disabled, so CIRA never starts", server.value),
        )
        .label("MPS server")
        .related(&ctx.profile.source, d.span.clone(), "no home domains here")
        .help("add the enterprise's option 15 suffixes as home domains, or remove the remote-access settings"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_when_detection_is_empty() {
        let p = with_remote_access(profile(&[]));
        assert_eq!(run_rule(Code::SL007, &p, None).len(), 1);
    }

    #[test]
    fn quiet_with_home_domains_or_without_remote_access() {
        assert!(
            run_rule(
                Code::SL007,
                &with_remote_access(profile(&["corp.com"])),
                None
            )
            .is_empty()
        );
        assert!(run_rule(Code::SL007, &profile(&[]), None).is_empty());
    }
}

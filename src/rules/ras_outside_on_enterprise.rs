//! SL201: the ME itself says "outside enterprise" on a network whose suffix is the enterprise's.
//! A warning while the intent is unknown; `scslint check` makes it an error when a profile it
//! checks predicts inside for that network.

use super::HostContext;
use crate::diagnostic::{Code, Finding};
use crate::observe::model::Ras;

declare_rule! {
    code: SL201,
    name: "ras-outside-on-enterprise",
    level: Warning,
    level_note: "error when a checked profile predicts inside",
    scope: Host,
    needs: [],
    check: Host(check, GROUP),
    summary: "The ME reports \"outside enterprise\" while on an enterprise network.",
    what: "An agent report whose RAS network status is `outside enterprise` for a device attached to a \
network scslint knows as enterprise (a DHCP scope, or a suffix that is not a known external one). \
A warning on its own; with `scslint check`, an error when a checked profile predicts inside for \
that network (the device's live settings drifted from the profile), naming that profile.",
    why: "The firmware has compared its home domains with this network's option 15 and found no match: \
its local interface is closed on the LAN and only CIRA reaches it. That has two readings. Either the \
device's home domains are wrong for this network (a wrong profile, one never applied, or live \
settings that drifted), or the device is CIRA-only by design: Open AMT RPS and rpc-go write a random \
`<uuid>.com` placeholder list when a profile has none, so such a device is outside everywhere on \
purpose. Only the profile the device should carry tells them apart.",
    fix: "Run `scslint check` with the profile these devices should carry and this snapshot: if the profile \
predicts inside here, the finding becomes an error and the device's live list must be corrected. A \
wrong list is corrected in place: a WS-Management Put of `AMT_EnvironmentDetectionSettingData` \
(locally through LMS or over CIRA, as MeshCommander, MeshCentral and RPS do), rpc-go's configure \
command, or re-provisioning with the corrected SCS profile. Full unconfiguration is needed only when \
no console reaches the ME any more. If the device is CIRA-only by design, nothing is wrong.\n\
Source: Intel AMT SDK, AMT_EnvironmentDetectionSettingData and the RAS network status of rpc-go \
`amtinfo`; Open AMT RPS (random `<uuid>.com` home domain for CIRA-only profiles).",
    example: r#"  RAS Network : outside enterprise      DNS Suffix (OS) : company.com
  → SL201 (warning): pc0423 says outside on enterprise network `hq-wired`: wrong list or CIRA-only
  with a profile that lists company.com → SL201 (error): the live settings drifted"#,
}

/// What the grouped finding says of the hosts of one network.
pub const GROUP: &str = "their ME reports \"outside enterprise\" on this enterprise network: either \
their home domains do not cover its option 15, or they are CIRA-only by design";

pub fn check(ctx: &HostContext, out: &mut Vec<Finding>) {
    let Some(n) = ctx.network else { return };
    if ctx.host.ras != Some(Ras::Outside) || !n.is_enterprise() {
        return;
    }
    let cover = match &n.suffix {
        Some(s) => format!("its home domains do not cover `{s}`"),
        None => "the network sends no option 15 to match".to_owned(),
    };
    out.push(
        ctx.finding(
            Code::SL201,
            format!(
                "the ME of `{}` reports \"outside enterprise\" on enterprise network {}: either {cover} (a wrong list, or a profile never applied), or it is CIRA-only by design (an RPS `<uuid>.com` placeholder list, for example)",
                ctx.name,
                n.describe()
            ),
        )
        .label("RAS network: outside enterprise")
        .help(match &n.suffix {
            Some(s) => format!("if these devices belong inside here, their home domains must cover `{s}`: `scslint check` with the profile they should carry tells drift from design"),
            None => "this network sends no option 15: have its DHCP scope hand out the site's suffix".to_owned(),
        })
        .network(&n.name),
    );
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::diagnostic::Severity;
    use crate::observe::Trust::*;

    #[test]
    fn fires_on_enterprise_networks_as_a_warning_with_both_readings() {
        let h = host(|h| h.ras = Some(Ras::Outside));
        let n = net("hq", Some("company.com"), Enterprise);
        let f = run_host_rule(Code::SL201, &h, Some(&n));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].help.as_deref().unwrap().contains("`company.com`"));
        let m = &f[0].message;
        assert!(
            m.contains("do not cover `company.com`") && m.contains("CIRA-only by design"),
            "{m}"
        );
    }

    #[test]
    fn quiet_outside_the_enterprise_or_when_inside() {
        let outside = host(|h| h.ras = Some(Ras::Outside));
        assert!(
            run_host_rule(
                Code::SL201,
                &outside,
                Some(&net("hotel", Some("hotel.example"), External))
            )
            .is_empty()
        );
        assert!(run_host_rule(Code::SL201, &outside, None).is_empty());
        let direct = host(|h| h.ras = Some(Ras::Direct));
        assert!(
            run_host_rule(
                Code::SL201,
                &direct,
                Some(&net("hq", Some("company.com"), Enterprise))
            )
            .is_empty()
        );
    }
}

//! SL305: the ME answers RMCP but 16992/16993 are closed, while the profile predicts Inside on
//! the device's network or nothing predicts anything: the ME believes it is outside, and either
//! its live home domains drifted from the profile or it is a CIRA-only device by design.

use super::ProbeContext;
use crate::diagnostic::{Code, Finding, Severity};
use crate::envdetect::Verdict as Prediction;
use crate::probe::Reachability;
use crate::probe::rmcp::Provisioning;
use crate::probe::tcp::PortState;

declare_rule! {
    code: SL305,
    name: "interface-closed-unexpectedly",
    level: Warning,
    level_note: "error when the profile predicts Inside",
    scope: Probe,
    needs: [Probe],
    check: Probe(check),
    summary: "probe: the ME answers RMCP but 16992/16993 are closed, where Inside is predicted or nothing is.",
    what: "A probed device whose ME answers the RMCP presence ping (Intel's pong, provisioning not \
reported as unconfigured or in progress) while 16992 and 16993 both refuse or time out, and no \
other ME port answers, when the profile (--profile) predicts Inside for its network's option 15, \
or when there is no profile or no network to predict from. A warning without a prediction; an \
error when the profile predicts Inside.",
    why: "The pong proves a provisioned ME at the address, and closed local ports are what an ME \
does when environment detection puts it outside the enterprise. With a profile that predicts \
Inside, the firmware's live home domains are not the profile's: they drifted (another profile, a \
console rewrote them) or were replaced by a placeholder that never matches, as consoles write \
for CIRA-only devices (RPS and rpc-go a random `<uuid>.com`, MeshCentral a random 12-hex name). \
Without a profile it may be that CIRA-only intent, or the misfire SL300 confirms. Silence would \
hide both.\nSource: Intel AMT Implementation and Reference Guide, \
usermcppingtodeterminetheplatformstate.htm; MeshCentral amtscanner.js, amtmanager.js; RPS \
ciraConfiguration.ts.",
    fix: "Read the live AMT_EnvironmentDetectionSettingData to tell the readings apart. The LAN \
ports are closed, so read it where the ME is reachable: locally through LMS (rpc-go amtinfo, \
MeshCommander), or over CIRA from the console; `scslint probe --user … --password-env VAR` \
compares it with the profile (SL302) once 16992 answers. A drifted list is corrected in place by \
a WS-Management Put of AMT_EnvironmentDetectionSettingData (MeshCentral, RPS, rpc-go configure) or \
by re-provisioning with the profile; a placeholder on a device meant to be CIRA-only is intent: \
suppress the finding for it. When both ports time out, rule out a firewall in the path first.",
    example: r#"  profile home domains: corp.test      network option 15: corp.test (Inside)
  RMCP: AMT 11.8, completed, port 16992; 16992 refused, 16993 refused
  → SL305 (error): predicted Inside, yet the ME believes it is outside: live list drifted or a placeholder"#,
}

pub fn check(ctx: &ProbeContext, out: &mut Vec<Finding>) {
    let r = ctx.report;
    let Some(pong) = r.rmcp.as_ref() else {
        return;
    };
    if r.verdict != Reachability::AmtClosed {
        return;
    }
    // An ME that says it is not (yet) provisioned has no open interface: nothing drifted.
    if matches!(
        pong.provisioning,
        Some(Provisioning::None | Provisioning::InProgress)
    ) {
        return;
    }
    let states = [16992, 16993].map(|p| r.port(p));
    if !states
        .iter()
        .all(|s| matches!(s, Some(PortState::Refused | PortState::Timeout)))
    {
        return;
    }
    let inside = match &ctx.prediction {
        None => false,
        Some(Prediction::Inside(_) | Prediction::Disabled) => true,
        // Outside is SL300's; "not evaluated" (static IP, remote URLs) predicts nothing here.
        Some(Prediction::Outside { .. } | Prediction::NotEvaluated(_)) => return,
    };
    let target = &r.target;
    let suffix = match ctx.suffix() {
        Some(s) => format!("option 15 `{s}`"),
        None if ctx.target.network.is_some() => "a network without option 15".to_owned(),
        None => "its network".to_owned(),
    };
    let placeholder = "a console placeholder such as RPS's `<uuid>.com` or MeshCentral's 12-hex name (CIRA-only by design)";
    let timed_out = states.iter().all(|s| matches!(s, Some(PortState::Timeout)));
    let firewall = if timed_out {
        " (both timed out: a firewall in the path filtering them looks the same)"
    } else {
        ""
    };
    let finding = match (inside, ctx.profile) {
        (true, Some(p)) => ctx
            .finding(
                Code::SL305,
                format!(
                    "`{target}`: profile `{}` predicts Inside for {suffix}, yet the ME answers RMCP with 16992 and 16993 closed{firewall}: it believes it is outside, so its live home domains are not the profile's: they drifted, or are {placeholder}",
                    p.name
                ),
            )
            .severity(Severity::Error),
        _ => {
            let why = match ctx.profile {
                Some(p) => format!("profile `{}` gives no prediction for {suffix}", p.name),
                None => "no profile says what it should do".to_owned(),
            };
            ctx.finding(
                Code::SL305,
                format!(
                    "`{target}`: the ME answers RMCP with 16992 and 16993 closed{firewall}, and {why}: it believes it is outside, either by design ({placeholder}) or because its home domains miss {suffix} (the misfire SL300 confirms)"
                ),
            )
            .severity(Severity::Warning)
        }
    };
    out.push(finding.help(
        "read the live home domains to tell: through LMS on the host (rpc-go amtinfo) or over CIRA, as the LAN ports are closed; `scslint probe --user … --password-env VAR` compares them with the profile once 16992 answers",
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;
    use crate::envdetect::Attachment;
    use crate::probe::{NetworkRef, Report, RmcpStep, Target};
    use crate::rules::test_support::profile;

    fn report(states: [PortState; 2], provisioning: Option<Provisioning>) -> Report {
        let mut ports = std::collections::BTreeMap::new();
        ports.insert("16992".to_owned(), states[0]);
        ports.insert("16993".to_owned(), states[1]);
        Report {
            target: "pc0424".into(),
            address: Some("127.0.0.9".into()),
            dns: None,
            ports,
            rmcp: Some(RmcpStep {
                answered: true,
                amt_version: Some("11.8".into()),
                provisioning,
                port: Some(16992),
                both_ports: false,
            }),
            http: None,
            wsman: None,
            redirection: None,
            tls: None,
            live: None,
            verdict: Reachability::AmtClosed,
            notes: Vec::new(),
        }
    }

    fn run(r: &Report, home: Option<&str>) -> Vec<Finding> {
        let target = Target {
            label: "pc0424".into(),
            network: Some(NetworkRef {
                name: "hq-wired".into(),
                suffix: Some("corp.test".into()),
                search_v6: vec![],
            }),
            ..Target::default()
        };
        let p = home.map(|h| profile(&[h]));
        let prediction = p
            .as_ref()
            .and_then(|p| p.verdict(&Attachment::suffix(Some("corp.test"))));
        let ctx = ProbeContext {
            report: r,
            target: &target,
            profile: p.as_ref(),
            prediction,
            location: Location::File {
                path: "pc0424".into(),
                line: 1,
                column: 1,
            },
        };
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out
    }

    const CLOSED: [PortState; 2] = [PortState::Refused, PortState::Refused];

    #[test]
    fn predicted_inside_and_closed_is_an_error_naming_both_readings() {
        let f = run(
            &report(CLOSED, Some(Provisioning::Completed)),
            Some("corp.test"),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        for words in ["predicts Inside", "drifted", "<uuid>.com", "12-hex"] {
            assert!(f[0].message.contains(words), "{words}: {}", f[0].message);
        }
        assert!(
            f[0].help
                .as_deref()
                .unwrap_or("")
                .contains("--password-env")
        );
    }

    #[test]
    fn without_a_profile_it_is_a_warning() {
        let f = run(&report(CLOSED, None), None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("by design"), "{}", f[0].message);
        let timed_out = run(
            &report([PortState::Timeout, PortState::Timeout], None),
            None,
        );
        assert!(timed_out[0].message.contains("firewall"));
    }

    #[test]
    fn quiet_where_outside_is_predicted_or_the_me_is_not_provisioned() {
        // Outside is SL300's.
        assert!(run(&report(CLOSED, None), Some("ad.corp.local")).is_empty());
        for state in [Provisioning::None, Provisioning::InProgress] {
            assert!(run(&report(CLOSED, Some(state)), None).is_empty());
        }
        // An open port, or an ME answering elsewhere, is not a closed interface.
        let mut open = report([PortState::Refused, PortState::Open], None);
        open.verdict = Reachability::AmtReachable;
        assert!(run(&open, Some("corp.test")).is_empty());
        let mut no_route = report([PortState::Unreachable, PortState::Refused], None);
        no_route.verdict = Reachability::AmtClosed;
        assert!(run(&no_route, None).is_empty());
    }
}

//! SL300: the profile predicts Outside on the device's network and the ME's ports are closed while
//! the host (or the ME's RMCP) answers: the environment-detection misfire, confirmed on the wire.

use super::ProbeContext;
use crate::diagnostic::{Code, Finding};
use crate::probe::tcp::PortState;

declare_rule! {
    code: SL300,
    name: "interface-closed-as-predicted",
    level: Error,
    scope: Probe,
    needs: [Probe],
    check: Probe(check),
    summary: "probe: predicted Outside, and 16992/16993 are closed while the host or its RMCP answers.",
    what: "A probed device whose profile (--profile) predicts Outside for the option 15 of its network \
(from the snapshot), where neither 16992 nor 16993 accepts a connection while the address itself \
answers: a port refuses (the OS sends the reset) or the ME answers the RMCP presence ping.",
    why: "This is the troubleshooting article's failure, confirmed: the ME believes it is outside the \
enterprise, so it closes its local management ports; consoles log tcp_connect() and WS-MAN SOAP \
errors while the PC itself is fine. From outside the device, only CIRA (through the MPS) reaches \
it; on the device itself, LMS still relays to the ME, which is how a console corrects the list.\n\
Source: Intel/Altiris \"Troubleshooting tcp_connect and WSMAN SOAP errors\"; IRG, Environment \
Detection.",
    fix: "Add the network's option 15 suffix (named in the message) to the profile's home domains. \
Devices already configured keep their firmware list until it is corrected in place: \
a WS-Management Put of AMT_EnvironmentDetectionSettingData (what MeshCommander, MeshCentral and RPS do, locally through LMS or over CIRA), rpc-go's configure command, or re-provisioning with the corrected profile. A full unconfiguration is needed only when no console can reach the ME \
(neither LMS on the host nor CIRA).",
    example: r#"  profile home domains: ad.company.local      network option 15: company.com
  16992 refused, 16993 refused, OS answers
  → SL300: add `company.com`; then correct the live list in place (WS-Man Put over LMS or CIRA)"#,
}

pub fn check(ctx: &ProbeContext, out: &mut Vec<Finding>) {
    let r = ctx.report;
    if !ctx.prediction.as_ref().is_some_and(|v| v.is_outside()) {
        return;
    }
    let closed = [16992, 16993]
        .iter()
        .all(|p| matches!(r.port(*p), Some(PortState::Refused | PortState::Timeout)));
    if !closed || !r.host_answers() || r.me_answers() {
        return;
    }
    let suffix = ctx.suffix().unwrap_or("(none)");
    let witness = if r.rmcp.is_some() {
        "the ME answers RMCP"
    } else {
        "the host answers"
    };
    out.push(
        ctx.finding(
            Code::SL300,
            format!(
                "`{}`: 16992 and 16993 are closed while {witness}, as the profile predicts for option 15 `{suffix}`: AMT believes it is outside the enterprise",
                r.target
            ),
        )
        .help(format!(
            "add `{suffix}` to the home domains; correct devices already configured in place: a WS-Management Put of AMT_EnvironmentDetectionSettingData through LMS or over CIRA, rpc-go configure, or re-provisioning"
        )),
    );
}

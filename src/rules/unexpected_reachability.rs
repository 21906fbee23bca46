//! SL301: the profile predicts Outside on the device's network, yet the ME answers on the LAN.

use super::ProbeContext;
use crate::diagnostic::{Code, Finding};

declare_rule! {
    code: SL301,
    name: "unexpected-reachability",
    level: Warning,
    scope: Probe,
    needs: [Probe],
    check: Probe(check),
    summary: "probe: predicted Outside, yet the ME answers on its LAN ports.",
    what: "A probed device whose profile predicts Outside for its network's option 15 but whose ME \
answers on 16992/16993 (the Intel `Server:` banner, WS-Man, redirection).",
    why: "Either the firmware holds a different home-domain list than the profile (it was never \
applied, or changed since), or the firmware matches suffixes differently from the model. Both mean \
the profile is not a reliable description of the fleet.",
    fix: "Fetch the live settings with `--user` (SL302 compares them), and re-apply the profile if \
it is the one that should be in force.",
    example: r#"  profile home domains: ad.company.local      network option 15: company.com
  16992: Server: Intel(R) Active Management Technology 16.1.27
  → SL301: predicted outside, but the ME answers"#,
}

pub fn check(ctx: &ProbeContext, out: &mut Vec<Finding>) {
    if !ctx.prediction.as_ref().is_some_and(|v| v.is_outside()) || !ctx.report.me_answers() {
        return;
    }
    out.push(
        ctx.finding(
            Code::SL301,
            format!(
                "`{}`: the profile predicts Outside for option 15 `{}`, yet the ME answers on the LAN",
                ctx.report.target,
                ctx.suffix().unwrap_or("(none)")
            ),
        )
        .help("the firmware's home domains differ from the profile's: fetch them with --user (SL302)"),
    );
}

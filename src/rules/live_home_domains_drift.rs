//! SL302: the device's live DetectionStrings differ from the profile's.

use super::ProbeContext;
use crate::diagnostic::{Code, Finding};
use crate::dns_name::normalise;
use std::collections::BTreeSet;

declare_rule! {
    code: SL302,
    name: "live-home-domains-drift",
    level: Error,
    scope: Probe,
    needs: [Probe],
    check: Probe(check),
    summary: "probe --user: the device's live home domains differ from the profile's.",
    what: "With credentials, AMT_EnvironmentDetectionSettingData is read from the device; its \
DetectionStrings are compared with the profile's home domains as its console writes them \
(MeshCentral lower-cases and keeps at most 4), normalised, order ignored.",
    why: "What the linter checked is not what the firmware does. The usual causes: the profile was \
changed after the devices were configured, a console rewrote the list, or the devices were \
configured with another profile.\nSource: IRG, AMT_EnvironmentDetectionSettingData (read live \
over WS-Management); MeshCentral amtmanager.js (what it writes).",
    fix: "Decide which list is right. To push the profile's list, correct it in place: a \
WS-Management Put of AMT_EnvironmentDetectionSettingData (what MeshCommander, MeshCentral and RPS \
do, locally through LMS or over CIRA), rpc-go's configure command, or re-provisioning with the \
corrected SCS profile. A full unconfiguration is needed only when no console reaches the ME.",
    example: r#"  profile: company.com      device: ad.company.local
  → SL302: live home domains differ: missing `company.com`, extra `ad.company.local`"#,
}

fn set(list: &[String]) -> BTreeSet<String> {
    list.iter()
        .map(|s| normalise(s))
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn check(ctx: &ProbeContext, out: &mut Vec<Finding>) {
    let (Some(profile), Some(live)) = (ctx.profile, ctx.report.live.as_ref()) else {
        return;
    };
    let (Some(expected), Some(actual)) = (profile.detection.as_ref(), live.detection.as_ref())
    else {
        return;
    };
    // What the console really wrote from the profile (MeshCentral lower-cases and cuts it).
    let want = set(expected.settings().strings);
    let have = set(&actual.strings);
    if want == have {
        return;
    }
    // rpc-go's placeholder is random per device: any one placeholder on the device is the match.
    let placeholder = expected.written.as_ref().is_some_and(|w| w.placeholder);
    if placeholder && have.len() == 1 && have.iter().all(|h| crate::dns_name::is_placeholder(h)) {
        return;
    }
    let quote = |s: BTreeSet<&String>| {
        s.into_iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let missing = quote(want.difference(&have).collect());
    let extra = quote(have.difference(&want).collect());
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {missing}"));
    }
    if !extra.is_empty() {
        parts.push(format!("extra {extra}"));
    }
    out.push(
        ctx.finding(
            Code::SL302,
            format!(
                "`{}`: the live home domains differ from profile `{}`: {}",
                ctx.report.target,
                profile.name,
                parts.join("; ")
            ),
        )
        .help("reconfigure the device with the profile, or correct the profile if the device is right"),
    );
}

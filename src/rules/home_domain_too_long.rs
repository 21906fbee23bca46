//! SL002: a home-domain entry longer than the firmware accepts.

use super::Context;
use crate::diagnostic::{Code, Finding};
use crate::dns_name::FIRMWARE_MAX_ENTRY_LEN;

declare_rule! {
    code: SL002,
    name: "home-domain-too-long",
    level: Error,
    scope: Profile,
    needs: [],
    check: Profile(check),
    summary: "A home-domain entry longer than the 190 characters the firmware accepts.",
    what: "Any DetectionStrings entry over 190 characters, the per-entry limit Intel documents for \
AMT_EnvironmentDetectionSettingData.",
    why: "Configuration fails, or the entry is cut, when the profile is applied: the device either does \
not get environment detection at all or gets a list that matches nothing, and believes it is outside \
on the enterprise network.\nSource: IRG, Configuring Environment Detection (190 characters per string)",
    fix: "Use the shortest suffix that covers the site: `corp.example.com` covers \
`site7.emea.corp.example.com` because matching is by whole labels from the right.",
    example: r#"  "environmentDetection": ["a-very-long-generated-label-….corp.example.com"]   // SL002 when over 190 characters"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    for (i, entry, span) in d.entries() {
        // An entry the console drops never reaches the firmware (SL011).
        if d.dropped(i).is_some() {
            continue;
        }
        let len = entry.trim().chars().count();
        if len > FIRMWARE_MAX_ENTRY_LEN {
            out.push(
                ctx.finding(
                    Code::SL002,
                    span.clone(),
                    format!("home domain is {len} characters long; the firmware accepts at most {FIRMWARE_MAX_ENTRY_LEN}"),
                )
                .label(format!("{len} characters"))
                .help("use a shorter parent suffix: entries match whole labels from the right")
                .home_domain(entry),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_over_190_only() {
        let at_limit = format!("{}.com", "a".repeat(186));
        let over = format!("{}.com", "a".repeat(187));
        assert_eq!(at_limit.len(), 190);
        assert_eq!(
            entries_flagged(Code::SL002, &[&at_limit, &over, "company.com"]),
            [over]
        );
        assert!(entries_flagged(Code::SL002, &["company.com"]).is_empty());
    }
}

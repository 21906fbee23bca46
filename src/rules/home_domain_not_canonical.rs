//! SL003: entries that match only if the firmware normalises (case, dots, whitespace).

use super::Context;
use crate::diagnostic::{Code, Finding};
use crate::dns_name::{canonical, non_canonical};
use crate::envdetect::{Algorithm, InsideBy, Verdict};

declare_rule! {
    code: SL003,
    name: "home-domain-not-canonical",
    level: Warning,
    scope: Profile,
    needs: [],
    check: Profile(check),
    autofix: Safe,
    summary: "A home domain whose match depends on case folding, a trailing dot or whitespace: uncertain, not equal.",
    what: "Entries that differ from their canonical spelling (lower case, no dot at either end, no \
spaces or line breaks around the name) as the firmware gets them, and entries that match a \
network's option 15 only once case or a trailing dot is set aside (`corp.example` against a DHCP \
server that hands out `Corp.Example`). The finding names every network whose match depends on it. \
A console that lower-cases the list itself (MeshCentral) makes upper case harmless.",
    why: "Intel's own host-side comparison (`CompareSuffix` in Intel's LMS) insists on a `.` label \
boundary but compares bytes without folding case; how the firmware compares is undocumented. If \
it compares bytes, `Company.COM.` never equals the option 15 `company.com`, and the device \
believes it is outside on its own network. scslint therefore counts such a match as inside but \
uncertain, and never advises deleting an entry whose only cover is one of these (SL004).\n\
Source: Intel LMS `CompareSuffix`; MeshCentral amtmanager.js (lower-cases entries).",
    fix: "Write the entry exactly as DHCP option 15 spells it, in lower case, without dots at either \
end; have DHCP hand out the suffix in lower case.",
    example: r#"  <g:DetectionStrings>Company.COM.</g:DetectionStrings>
  → SL003: home domain `Company.COM.` matches `hq` (option 15 `company.com`) only if the firmware ignores a trailing dot and upper-case letters"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    if d.algorithm != Algorithm::LocalDomains {
        return;
    }
    let verdicts = ctx.verdicts();
    for (i, entry, span) in d.entries() {
        // What the firmware gets: MeshCentral lower-cases; a dropped entry is SL011's.
        let Some(written) = d.firmware_text(i) else {
            continue;
        };
        let problems = non_canonical(written);
        let depends: Vec<_> = verdicts
            .iter()
            .filter(|(_, v)| {
                matches!(v, Verdict::Inside(InsideBy::Domain { index, uncertain: true, .. }) if *index == i)
            })
            .map(|(n, _)| *n)
            .collect();
        if problems.is_empty() && depends.is_empty() {
            continue;
        }
        let what = if problems.is_empty() {
            "the case or trailing dot of the option 15 it is compared with".to_owned()
        } else {
            problems
                .iter()
                .map(|p| p.describe())
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let message = if depends.is_empty() {
            format!(
                "home domain `{}` is not canonical: it has {what}",
                entry.trim()
            )
        } else {
            format!(
                "home domain `{}` matches {} only if the firmware ignores {what}: Intel's LMS compares bytes, and the firmware's comparison is undocumented",
                entry.trim(),
                super::join_list(depends.iter().map(|n| n.describe()), super::MAX_NAMED)
            )
        };
        let help = if problems.is_empty() {
            "have DHCP hand out the suffix in lower case, or write the entry exactly as option 15 spells it".to_owned()
        } else {
            format!("write `{}`", canonical(entry))
        };
        // The canonical spelling, when it is one (`..a` would need a second pass and another).
        let fixed = canonical(entry);
        let fix = (!problems.is_empty() && !fixed.is_empty() && non_canonical(&fixed).is_empty())
            .then(|| ctx.replace_fix(i, &fixed, format!("write `{fixed}`")))
            .flatten();
        let mut f = ctx
            .finding(Code::SL003, span.clone(), message)
            .label(if depends.is_empty() {
                "not canonical"
            } else {
                "uncertain match"
            })
            .help(help)
            .home_domain(entry)
            .networks(depends.iter().map(|n| &n.name))
            .fix(fix);
        for n in &depends {
            f = f.related_at(
                n.location.clone(),
                format!("network `{}` observed here", n.name),
            );
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::observe::Trust::*;

    #[test]
    fn fires_on_each_kind_of_non_canonical_spelling() {
        let flagged = entries_flagged(
            Code::SL003,
            &[
                "company.com",
                "Company.com",
                "company.com.",
                ".company.com",
                " company.com\n",
            ],
        );
        assert_eq!(
            flagged,
            [
                "Company.com",
                "company.com.",
                ".company.com",
                " company.com\n"
            ]
        );
    }

    #[test]
    fn names_the_networks_whose_match_depends_on_it() {
        let p = profile(&["Company.COM.", "corp.example"]);
        let nets = [
            net("hq", Some("company.com"), Enterprise),
            net("lab", Some("Lab.Corp.Example"), Enterprise),
            net("dc", Some("dc.corp.example"), Enterprise),
        ];
        let f = run_rule(Code::SL003, &p, Some(&nets));
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(f[0].networks, ["hq"]);
        assert!(
            f[0].message.contains("matches `hq` (option 15 `company.com`, 10 hosts) only if the firmware ignores a trailing dot and upper-case letters"),
            "{}",
            f[0].message
        );
        // A canonical entry whose only match needs the option 15's case set aside.
        assert_eq!(f[1].home_domain.as_deref(), Some("corp.example"));
        assert_eq!(f[1].networks, ["lab"]);
    }

    #[test]
    fn quiet_on_canonical_entries_and_on_case_meshcentral_folds() {
        assert!(entries_flagged(Code::SL003, &["company.com", "vpn.company.com"]).is_empty());
        let nets = [net("hq", Some("company.com"), Enterprise)];
        assert!(run_rule(Code::SL003, &meshcentral(&["Company.COM"]), Some(&nets)).is_empty());
        // A trailing dot survives MeshCentral.
        assert_eq!(
            run_rule(Code::SL003, &meshcentral(&["Company.COM."]), Some(&nets)).len(),
            1
        );
    }

    #[test]
    fn help_gives_the_canonical_form() {
        let p = profile(&["Company.COM."]);
        assert_eq!(
            run_rule(Code::SL003, &p, None)[0].help.as_deref(),
            Some("write `company.com`")
        );
    }

    #[test]
    fn the_fix_writes_the_canonical_spelling_in_the_files_syntax() {
        let p = read(
            "c.json",
            r#"{"domains": {"": {"amtManager": {"environmentDetection": ["corp.com.", "Lab.Corp.com"]}}}}"#,
        );
        let f = run_rule(Code::SL003, &p, None);
        assert_eq!(f.len(), 1, "MeshCentral lower-cases; the dot stays: {f:#?}");
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, crate::fix::Applicability::Safe);
        assert!(fixed(&p, &f[0]).contains(r#"["corp.com", "Lab.Corp.com"]"#));
        let p = read(
            "p.xml",
            "<g:AMT_EnvironmentDetectionSettingData xmlns:g=\"http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData\">\n<g:DetectionAlgorithm>0</g:DetectionAlgorithm>\n<g:DetectionStrings> Company.COM.\n</g:DetectionStrings>\n</g:AMT_EnvironmentDetectionSettingData>",
        );
        let f = run_rule(Code::SL003, &p, None);
        assert!(fixed(&p, &f[0]).contains("<g:DetectionStrings>company.com</g:DetectionStrings>\n"));
        // No canonical spelling to offer: no fix.
        let p = read("p.yaml", "configuration:\n  amtSpecific:\n    cira:\n      environmentDetection: [\"..\"]\n");
        let f = run_rule(Code::SL003, &p, None);
        assert!(f.iter().all(|f| f.fix.is_none()), "{f:#?}");
    }
}

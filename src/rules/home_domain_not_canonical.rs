//! SL003: entries that only match after normalisation (case, dots, whitespace).

use super::{Context, Doc};
use crate::diagnostic::{Code, Finding};
use crate::dns_name::{canonical, non_canonical};
use crate::envdetect::Algorithm;

pub const DOC: Doc = Doc {
    summary: "A home domain with upper case, a leading or trailing dot, or surrounding whitespace.",
    what: "Entries that differ from their canonical spelling: lower case, no leading or trailing dot, no \
spaces or line breaks around the name.",
    why: "How the firmware compares case, dots and whitespace is undocumented. scslint's model \
normalises them, but if the firmware compares bytes, `Company.COM.` never equals the option 15 \
`company.com`, and the device believes it is outside on its own network.",
    fix: "Write the entry exactly as DHCP option 15 spells it, in lower case, without dots at either end.",
    example: r#"  <g:DetectionStrings>Company.COM.</g:DetectionStrings>   <!-- SL003: write company.com -->"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    if d.algorithm != Algorithm::LocalDomains {
        return;
    }
    for (_, entry, span) in d.entries() {
        let problems = non_canonical(entry);
        if problems.is_empty() {
            continue;
        }
        let what: Vec<&str> = problems.iter().map(|p| p.describe()).collect();
        out.push(
            ctx.finding(
                Code::SL003,
                span.clone(),
                format!(
                    "home domain `{}` is not canonical: it has {}",
                    entry.trim(),
                    what.join(" and ")
                ),
            )
            .label("not canonical")
            .help(format!("write `{}`", canonical(entry)))
            .home_domain(entry),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

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
    fn quiet_on_canonical_entries() {
        assert!(entries_flagged(Code::SL003, &["company.com", "vpn.company.com"]).is_empty());
    }

    #[test]
    fn help_gives_the_canonical_form() {
        let p = profile(&["Company.COM."]);
        assert_eq!(
            run_rule(Code::SL003, &p, None)[0].help.as_deref(),
            Some("write `company.com`")
        );
    }
}

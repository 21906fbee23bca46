//! SL006: entries so broad that untrusted networks match them (TLDs, public suffixes, router suffixes).

use super::Context;
use crate::diagnostic::{Code, Finding};
use crate::dns_name::{is_placeholder, normalise};
use crate::envdetect::Algorithm;
use crate::fix::Applicability;

declare_rule! {
    code: SL006,
    name: "overbroad-home-domain",
    level: Error,
    scope: Profile,
    needs: [],
    check: Profile(check),
    autofix: Unsafe,
    summary: "A home domain that is a TLD, a public suffix or a consumer-router suffix.",
    what: "An entry that is a single label (`com`, `corp`), a public suffix from the Public Suffix List \
compiled into scslint (`co.uk`, `github.io`), or covers a suffix home routers and hotspots hand out \
(`lan`, `home`, `fritz.box`, `home.arpa`…) or one listed under [observed] external_suffixes in \
scslint.toml. Console placeholders (SL009) are exempt.",
    why: "Matching is by suffix: with `com` on the list, a laptop on any hotel, café or home network whose \
DHCP server hands out a `.com` suffix believes it is at home. AMT then opens its local ports \
16992-16995 on that foreign network and does not start CIRA, so the management console loses it \
while strangers on the same network can reach the ME.",
    fix: "List the organisation's own suffixes (`corp.example.com`), never a suffix other people can register under.",
    example: r#"  <g:DetectionStrings>com</g:DetectionStrings>        <!-- SL006: every .com network is "home" -->
  <g:DetectionStrings>lan</g:DetectionStrings>        <!-- SL006: the default of many home routers -->"#,
}

/// Why an entry is over-broad, if it is.
pub(super) fn overbroad(ctx: &Context, entry: &str) -> Option<String> {
    let name = normalise(entry);
    let name = name.trim_start_matches('.');
    if name.is_empty() || is_placeholder(entry) {
        return None;
    }
    if !name.contains('.') {
        let covered = ctx.external.covered_by(name);
        if let Some((consumer, false)) = covered.first()
            && *consumer == name
        {
            return Some(format!("`{name}` is a suffix home routers hand out"));
        }
        return Some(format!("`{name}` is a top-level domain"));
    }
    let suffix = psl::suffix(name.as_bytes());
    if suffix.is_some_and(|s| s.is_known() && s.as_bytes() == name.as_bytes()) {
        return Some(format!("`{name}` is a public suffix (Public Suffix List)"));
    }
    match ctx.external.covered_by(name).first() {
        Some((known, true)) => Some(format!(
            "`{name}` covers `{known}`, an external suffix listed in scslint.toml"
        )),
        Some((known, false)) if *known == name => {
            Some(format!("`{name}` is a suffix home routers hand out"))
        }
        Some((known, false)) => Some(format!(
            "`{name}` covers `{known}`, a suffix home routers hand out"
        )),
        None => None,
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    if d.algorithm != Algorithm::LocalDomains {
        return;
    }
    for (i, entry, span) in d.entries() {
        if let Some(why) = overbroad(ctx, entry) {
            // Removing it closes AMT on networks it now counts as home: unsafe, opt-in.
            let fix = ctx.remove_fix(
                i,
                Applicability::Unsafe,
                format!("delete `{}`", entry.trim()),
            );
            out.push(
                ctx.finding(
                    Code::SL006,
                    span.clone(),
                    format!("{why}: AMT would believe it is at home on untrusted networks and open ports 16992-16995 there"),
                )
                .label("over-broad home domain")
                .help("list only your organisation's own suffixes, e.g. `corp.example.com`")
                .home_domain(entry)
                .fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_on_tlds_public_suffixes_and_external_suffixes() {
        let flagged = entries_flagged(
            Code::SL006,
            &[
                "com",
                "corp",
                "co.uk",
                "github.io",
                "lan",
                "fritz.box",
                "home.arpa",
                "example.com",
                "COM.",
            ],
        );
        assert_eq!(
            flagged,
            [
                "com",
                "corp",
                "co.uk",
                "github.io",
                "lan",
                "fritz.box",
                "home.arpa",
                "COM."
            ]
        );
    }

    #[test]
    fn covering_a_configured_external_suffix_is_over_broad() {
        let p = profile(&["company.com"]);
        // The test context lists guest.company.com as external.
        let f = run_rule(Code::SL006, &p, None);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("guest.company.com"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn quiet_on_organisation_suffixes_and_placeholders() {
        assert!(
            entries_flagged(
                Code::SL006,
                &[
                    "corp.example.com",
                    "example.co.uk",
                    "3fa85f64c2d1",
                    "vpn.example.org"
                ]
            )
            .is_empty()
        );
    }

    #[test]
    fn the_fix_deletes_the_entry_unless_it_is_the_last() {
        let p = read("p.yaml", "configuration:\n  amtSpecific:\n    cira:\n      environmentDetection: [com, corp.example]\n");
        let f = run_rule(Code::SL006, &p, None);
        assert_eq!(f[0].fix.as_ref().unwrap().applicability, Applicability::Unsafe);
        assert!(fixed(&p, &f[0]).contains("environmentDetection: [corp.example]\n"));
        let p = read("p.yaml", "configuration:\n  amtSpecific:\n    cira:\n      environmentDetection: [com]\n");
        assert!(run_rule(Code::SL006, &p, None)[0].fix.is_none());
    }
}

//! SL004: duplicate entries, and entries already covered by a broader one.

use super::Context;
use crate::diagnostic::{Code, Finding};
use crate::dns_name::{SuffixMatch, non_canonical, normalise, suffix_match};
use crate::envdetect::Algorithm;
use crate::fix::Applicability;

declare_rule! {
    code: SL004,
    name: "redundant-home-domain",
    level: Warning,
    scope: Profile,
    needs: [],
    check: Profile(check),
    autofix: Safe,
    summary: "A home domain that duplicates another or is already covered by a broader entry.",
    what: "Two entries that are equal after normalisation, or an entry below another one by whole labels \
(`a.corp.com` under `corp.com`).",
    why: "The list is short (MeshCommander allows 5 entries, MeshCentral 4) and every slot counts. A \
redundant entry also hints at a misunderstanding of the matching rule, which is label-wise from the \
right: `corp.com` already covers every site below it. Only a byte-for-byte cover counts: a cover \
that needs case folding or a trailing dot dropped is uncertain (SL003), so scslint never advises \
deleting the entry that matches for certain.\nSource: Intel LMS `CompareSuffix` (compares bytes).",
    fix: "Delete the duplicate or the covered entry, or, if the broader entry is a mistake, delete that one.",
    example: r#"  "environmentDetection": ["corp.com", "vpn.corp.com"]   // SL004: vpn.corp.com is covered by corp.com"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    if d.algorithm != Algorithm::LocalDomains {
        return;
    }
    // Entries as the firmware gets them; a dropped one (SL011) covers nothing.
    let written: Vec<Option<&str>> = (0..d.strings.len()).map(|i| d.firmware_text(i)).collect();
    let normal: Vec<Option<String>> = written
        .iter()
        .map(|w| w.map(normalise).filter(|n| !n.is_empty()))
        .collect();
    let canonical = |i: usize| written[i].is_some_and(|w| non_canonical(w).is_empty());
    for (i, entry, span) in d.entries() {
        let Some(this) = &normal[i] else { continue };
        // Of two spellings of one name, the one to delete is the non-canonical one: the other
        // matches for certain.
        let duplicate = (0..d.strings.len())
            .filter(|&j| j != i && normal[j].as_ref() == Some(this))
            .find(|&j| {
                if canonical(i) == canonical(j) {
                    j < i
                } else {
                    canonical(j)
                }
            });
        // Only a byte-for-byte cover makes an entry redundant: a cover that needs case folding
        // or a trailing dot dropped is uncertain (SL003), and deleting the covered entry could
        // leave its networks outside.
        let covering = (0..d.strings.len()).find(|&j| {
            j != i
                && written[j].zip(written[i]).is_some_and(|(cover, covered)| {
                    suffix_match(cover, covered) == SuffixMatch::Label
                })
        });
        let (j, message, help) = match (duplicate, covering) {
            (Some(j), _) => (
                j,
                format!("home domain `{}` is listed twice", entry.trim()),
                if canonical(j) && !canonical(i) {
                    format!(
                        "delete `{}`: `{}` is the same name, written as option 15 spells it",
                        entry.trim(),
                        d.strings[j].trim()
                    )
                } else {
                    format!(
                        "delete this entry: `{}` is the same name",
                        d.strings[j].trim()
                    )
                },
            ),
            (None, Some(j)) => (
                j,
                format!(
                    "home domain `{}` is already covered by `{}`",
                    entry.trim(),
                    d.strings[j].trim()
                ),
                format!(
                    "delete `{}`: `{}` matches every network below it",
                    entry.trim(),
                    d.strings[j].trim()
                ),
            ),
            (None, None) => continue,
        };
        // Deleting is safe only where the entry that stays matches for certain and is no
        // over-broad entry (SL006) that is the real mistake.
        let fix = (canonical(j) && super::overbroad_home_domain::overbroad(ctx, &d.strings[j]).is_none())
            .then(|| {
                ctx.remove_fix(
                    i,
                    Applicability::Safe,
                    format!("delete `{}`", entry.trim()),
                )
            })
            .flatten();
        out.push(
            ctx.finding(Code::SL004, span.clone(), message)
                .label("redundant")
                .related(
                    &ctx.profile.source,
                    d.string_spans[j].clone(),
                    "covered by this entry",
                )
                .help(help)
                .home_domain(entry)
                .fix(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_on_duplicates_and_covered_entries() {
        let flagged = entries_flagged(
            Code::SL004,
            &["corp.com", "a.corp.com", "Corp.com.", "other.net"],
        );
        assert_eq!(flagged, ["a.corp.com", "Corp.com."]);
    }

    #[test]
    fn never_advises_deleting_the_entry_that_matches_for_certain() {
        // `Corp.com.` covers `a.corp.com` only once case and the dot are set aside.
        assert!(entries_flagged(Code::SL004, &["Corp.com.", "a.corp.com"]).is_empty());
        // Of two spellings, the non-canonical one is the one to delete, whatever the order.
        let p = profile(&["Corp.com.", "corp.com"]);
        let f = run_rule(Code::SL004, &p, None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].home_domain.as_deref(), Some("Corp.com."));
        assert!(
            f[0].help
                .as_deref()
                .unwrap()
                .starts_with("delete `Corp.com.`")
        );
        // MeshCentral lower-cases before the firmware sees the list: the cover is certain there.
        let p = meshcentral(&["Corp.com", "a.corp.com"]);
        assert_eq!(
            run_rule(Code::SL004, &p, None)[0].home_domain.as_deref(),
            Some("a.corp.com")
        );
    }

    #[test]
    fn quiet_when_entries_are_disjoint() {
        assert!(
            entries_flagged(
                Code::SL004,
                &["corp.com", "mycorp.com", "corp.net", "corp.com.au"]
            )
            .is_empty()
        );
    }

    #[test]
    fn the_fix_deletes_the_covered_entry_only_when_its_cover_is_sure() {
        let yaml = |list: &str| {
            read(
                "p.yaml",
                &format!("configuration:\n  amtSpecific:\n    cira:\n      environmentDetection:\n{list}"),
            )
        };
        let p = yaml("        - corp.com\n        - a.corp.com\n");
        let f = run_rule(Code::SL004, &p, None);
        assert_eq!(f[0].fix.as_ref().unwrap().applicability, Applicability::Safe);
        assert!(fixed(&p, &f[0]).ends_with("environmentDetection:\n        - corp.com\n"));
        // An over-broad cover is the mistake: the covered entry is not deleted.
        let p = yaml("        - com\n        - corp.com\n");
        let f = run_rule(Code::SL004, &p, None);
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
        // MeshCentral keeps 4: deleting one lets the fifth in, which changes what AMT does.
        let p = read(
            "c.json",
            r#"{"domains": {"": {"amtManager": {"environmentDetection": ["corp.com", "a.corp.com", "b.example", "c.example", "d.example"]}}}}"#,
        );
        let f = run_rule(Code::SL004, &p, None);
        assert_eq!(f[0].fix.as_ref().unwrap().applicability, Applicability::Unsafe);
    }
}

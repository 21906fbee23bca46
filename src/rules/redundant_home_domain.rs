//! SL004: duplicate entries, and entries already covered by a broader one.

use super::{Context, Doc};
use crate::diagnostic::{Code, Finding};
use crate::dns_name::{SuffixMatch, normalise, suffix_match};
use crate::envdetect::Algorithm;

pub const DOC: Doc = Doc {
    summary: "A home domain that duplicates another or is already covered by a broader entry.",
    what: "Two entries that are equal after normalisation, or an entry below another one by whole labels \
(`a.corp.com` under `corp.com`).",
    why: "The list is short (MeshCommander allows 5 entries, MeshCentral 4) and every slot counts. A \
redundant entry also hints at a misunderstanding of the matching rule, which is label-wise from the \
right: `corp.com` already covers every site below it.",
    fix: "Delete the duplicate or the covered entry, or, if the broader entry is a mistake, delete that one.",
    example: r#"  "environmentDetection": ["corp.com", "vpn.corp.com"]   // SL004: vpn.corp.com is covered by corp.com"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    if d.algorithm != Algorithm::LocalDomains {
        return;
    }
    let normal: Vec<String> = d.strings.iter().map(|s| normalise(s)).collect();
    for (i, entry, span) in d.entries() {
        if normal[i].is_empty() {
            continue;
        }
        let duplicate = (0..i).find(|&j| normal[j] == normal[i]);
        let covering = (0..normal.len())
            .find(|&j| j != i && suffix_match(&normal[j], &normal[i]) == SuffixMatch::Label);
        let (j, message, help) = match (duplicate, covering) {
            (Some(j), _) => (
                j,
                format!("home domain `{}` is listed twice", entry.trim()),
                "delete the second entry".to_owned(),
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
        out.push(
            ctx.finding(Code::SL004, span.clone(), message)
                .label("redundant")
                .related(
                    &ctx.profile.source,
                    d.string_spans[j].clone(),
                    "covered by this entry",
                )
                .help(help)
                .home_domain(entry),
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
    fn quiet_when_entries_are_disjoint() {
        assert!(
            entries_flagged(
                Code::SL004,
                &["corp.com", "mycorp.com", "corp.net", "corp.com.au"]
            )
            .is_empty()
        );
    }
}

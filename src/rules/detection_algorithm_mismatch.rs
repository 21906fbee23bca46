//! SL010: entries that do not fit the detection algorithm (URLs vs DNS suffixes).

use super::Context;
use crate::diagnostic::{Code, Finding};
use crate::dns_name::{looks_like_url, validate};
use crate::envdetect::Algorithm;

declare_rule! {
    code: SL010,
    name: "detection-algorithm-mismatch",
    level: Error,
    scope: Profile,
    needs: [],
    check: Profile(check),
    summary: "RemoteURLs algorithm with domain entries, or LocalDomains algorithm with URL entries.",
    what: "A profile whose DetectionAlgorithm is 1 (RemoteURLs) while its entries are DNS suffixes, or 0 \
(LocalDomains) while some entries are URLs. Reported once per profile, at the first entry that does \
not fit.",
    why: "The algorithm decides how the list is read. Suffixes under RemoteURLs, or URLs under \
LocalDomains, never match, so the ME believes it is outside everywhere (or detection behaves in ways \
scslint cannot predict).",
    fix: "Environment detection by DHCP option 15 uses DetectionAlgorithm 0 with DNS suffixes. Set the \
algorithm to 0, or if remote URLs are really intended, list only URLs.",
    example: r#"  <g:DetectionAlgorithm>1</g:DetectionAlgorithm>
  <g:DetectionStrings>corp.example.com</g:DetectionStrings>   → SL010: a suffix under RemoteURLs"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    let misfits: Vec<usize> = d
        .strings
        .iter()
        .enumerate()
        .filter(|(_, s)| match d.algorithm {
            Algorithm::LocalDomains => looks_like_url(s),
            Algorithm::RemoteUrls => !looks_like_url(s) && validate(s).is_empty(),
        })
        .map(|(i, _)| i)
        .collect();
    let Some(&first) = misfits.first() else {
        return;
    };
    let (what, algorithm, help) = match d.algorithm {
        Algorithm::LocalDomains => (
            "URL",
            "LocalDomains (0), which compares DNS suffixes",
            "list DNS suffixes under LocalDomains, or set DetectionAlgorithm to 1 if remote URLs are intended",
        ),
        Algorithm::RemoteUrls => (
            "DNS suffix",
            "RemoteURLs (1), which expects URLs",
            "set DetectionAlgorithm to 0 (LocalDomains) to compare these suffixes with DHCP option 15",
        ),
    };
    let count = misfits.len();
    let plural = if count == 1 {
        "entry is a"
    } else {
        "entries are"
    };
    let what = match (count, what) {
        (1, w) => w.to_owned(),
        (_, "DNS suffix") => "DNS suffixes".to_owned(),
        (_, w) => format!("{w}s"),
    };
    out.push(
        ctx.finding(
            Code::SL010,
            d.string_spans[first].clone(),
            format!("{count} {plural} {what}, but the detection algorithm is {algorithm}"),
        )
        .label(format!(
            "a {} under this algorithm",
            if d.algorithm == Algorithm::LocalDomains {
                "URL"
            } else {
                "suffix"
            }
        ))
        .help(help)
        .home_domain(&d.strings[first]),
    );
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_once_per_profile_either_way() {
        let p = profile_with(&["corp.com", "vpn.corp.com"], Algorithm::RemoteUrls);
        let f = run_rule(Code::SL010, &p, None);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.starts_with("2 entries are DNS suffixes"),
            "{}",
            f[0].message
        );
        let p = profile(&["corp.com", "https://amt.corp.com/"]);
        let f = run_rule(Code::SL010, &p, None);
        assert_eq!(f[0].home_domain.as_deref(), Some("https://amt.corp.com/"));
    }

    #[test]
    fn quiet_when_entries_fit() {
        assert!(run_rule(Code::SL010, &profile(&["corp.com"]), None).is_empty());
        assert!(
            run_rule(
                Code::SL010,
                &profile_with(&["https://amt.corp.com/"], Algorithm::RemoteUrls),
                None
            )
            .is_empty()
        );
    }
}

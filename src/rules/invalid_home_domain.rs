//! SL001: home-domain entries that are not DNS names, and IPv6 local prefixes that do not parse.

use super::Context;
use crate::diagnostic::{Code, Finding};
use crate::dns_name::{NameProblem, validate};
use crate::envdetect::{Algorithm, parse_ipv6_prefix};

declare_rule! {
    code: SL001,
    name: "invalid-home-domain",
    level: Error,
    scope: Profile,
    needs: [],
    check: Profile(check),
    summary: "A home domain that is not a valid DNS name, or an IPv6 local prefix that does not parse.",
    what: "Under the LocalDomains algorithm every home-domain entry must be a DNS suffix: labels of letters, \
digits and hyphens, 1-63 characters each, separated by single dots, no hyphen at either end of a label, \
253 characters at most. An IP address or a URL in the list is flagged too (a URL also makes SL010 \
fire once for the profile). Entries in DetectionIPv6LocalPrefixes must read as IPv6 prefixes \
(`2001:db8:1:4/64` or `2001:db8:1::/48`).",
    why: "The firmware compares each entry with the DHCP option 15 suffix of the network. An entry that \
cannot be a DNS name never matches, so it silently does nothing, or, if it was the only entry meant \
for a site, makes AMT believe it is outside there: local ports 16992-16995 close and consoles see \
tcp_connect() and SOAP errors. Fixing devices afterwards takes a console that still reaches the ME \
(LMS on the host, or CIRA) to Put a corrected list.\nSource: IRG, Configuring Environment Detection \
(DetectionStrings are the suffixes DHCP hands out); RFC 1035 for the name syntax.",
    fix: "Write the DNS suffix the site's DHCP server hands out in option 15 (`ipconfig /all`, \
\"Connection-specific DNS Suffix\"). Underscores, spaces and stray punctuation usually come from a \
copy-paste; URLs belong only under the RemoteURLs algorithm.",
    example: r#"  <HomeDomains>
    <Domain>corp_example.com</Domain>    <!-- SL001: `_` is not allowed -->
    <Domain>10.1.4.20</Domain>           <!-- SL001: an IP address -->
    <Domain>corp.example.com</Domain>    <!-- fine -->
  </HomeDomains>"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    if d.algorithm == Algorithm::LocalDomains {
        for (_, entry, span) in d.entries() {
            // Length over the firmware limit is SL002's finding.
            let problems: Vec<NameProblem> = validate(entry)
                .into_iter()
                .filter(|p| !matches!(p, NameProblem::NameTooLong { .. }))
                .collect();
            let Some(first) = problems.first() else {
                continue;
            };
            let mut message = format!(
                "home domain `{}` is not a valid DNS suffix: {first}",
                entry.trim()
            );
            for more in &problems[1..] {
                message.push_str(&format!("; {more}"));
            }
            out.push(
                ctx.finding(Code::SL001, span.clone(), message)
                    .label("not a DNS suffix")
                    .help("write the suffix the network's DHCP server sends in option 15, e.g. `corp.example.com`")
                    .home_domain(entry),
            );
        }
    }
    for (prefix, span) in d.ipv6_prefixes.iter().zip(&d.prefix_spans) {
        if parse_ipv6_prefix(prefix).is_none() {
            out.push(
                ctx.finding(Code::SL001, span.clone(), format!("IPv6 local prefix `{}` is not an IPv6 prefix", prefix.trim()))
                    .label("not a prefix")
                    .help("write it as XXXX:XXXX:XXXX:XXXX/Y or with zero compression, e.g. `2001:db8:1::/48`")
                    .home_domain(prefix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_on_invalid_names_only() {
        // A long name of valid labels is SL002's finding alone.
        let long = vec!["abcdefghij"; 24].join(".");
        let flagged = entries_flagged(
            Code::SL001,
            &[
                "corp.example.com",
                "corp_example.com",
                "a..b",
                "-x.com",
                "10.1.4.20",
                "https://x.example/",
                "Company.COM.",
                &long,
            ],
        );
        assert_eq!(
            flagged,
            [
                "corp_example.com",
                "a..b",
                "-x.com",
                "10.1.4.20",
                "https://x.example/"
            ]
        );
    }

    #[test]
    fn quiet_on_valid_lists_and_under_remote_urls() {
        assert!(
            entries_flagged(
                Code::SL001,
                &["company.com", "vpn.company.com", "xn--bcher-kva.example"]
            )
            .is_empty()
        );
        let p = profile_with(&["https://amt-check.company.com/"], Algorithm::RemoteUrls);
        assert!(run_rule(Code::SL001, &p, None).is_empty());
    }

    #[test]
    fn checks_ipv6_prefixes() {
        let mut p = profile(&[]);
        let d = p.detection.as_mut().unwrap();
        d.ipv6_prefixes = vec!["2001:db8:1:4/64".into(), "2001:db8::/zz".into()];
        d.prefix_spans = vec![0..0, 0..0];
        let f = run_rule(Code::SL001, &p, None);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("2001:db8::/zz"));
    }
}

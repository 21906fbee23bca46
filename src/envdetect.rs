//! The verdict engine: would AMT's environment detection call a network "inside" or "outside"?
//! Pure functions over plain values, modelling DOMAIN §2 in its documented order.

use crate::dns_name::{SuffixMatch, normalised, suffix_match};
use ipnet::Ipv6Net;

/// `AMT_EnvironmentDetectionSettingData.DetectionAlgorithm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// 0: compare DNS suffixes (the home domains) with option 15.
    LocalDomains,
    /// 1: probe remote URLs; not modelled.
    RemoteUrls,
}

/// How the ME gets its IPv4 address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IpMode {
    Dhcp,
    Static,
}

/// The detection settings as the firmware would hold them (raw, un-normalised entries).
#[derive(Debug, Clone, Copy)]
pub struct DetectionSettings<'a> {
    pub algorithm: Algorithm,
    pub strings: &'a [String],
    pub ipv6_prefixes: &'a [String],
}

/// What a network hands a device: its DHCPv4 option 15, its DHCPv6 option 24 (domain search
/// list), and any router-advertised IPv6 prefixes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Attachment<'a> {
    pub option15: Option<&'a str>,
    pub option24: &'a [String],
    pub ipv6_prefixes: &'a [Ipv6Net],
}

impl<'a> Attachment<'a> {
    /// Only an option 15 (no option 24, no prefixes).
    pub fn suffix(option15: Option<&'a str>) -> Self {
        Attachment {
            option15,
            option24: &[],
            ipv6_prefixes: &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsideBy {
    /// Home-domain entry `index` equals or is a label suffix of option 15. `uncertain` when the
    /// match needs case folding, a trailing dot dropped or whitespace trimmed: Intel's host-side
    /// comparison (LMS `CompareSuffix`) compares bytes, and the firmware's is undocumented.
    /// `option24` when the value matched was a DHCPv6 option 24 domain, not option 15.
    Domain {
        index: usize,
        exact: bool,
        uncertain: bool,
        option24: bool,
    },
    /// IPv6 local prefix `index` contains a prefix the network advertises.
    Ipv6Prefix { index: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotEvaluated {
    /// A static ME address: detection does not run.
    StaticIp,
    /// The RemoteURLs algorithm: outside scslint's model.
    RemoteUrls,
}

impl NotEvaluated {
    pub fn reason(self) -> &'static str {
        match self {
            NotEvaluated::StaticIp => "the ME uses a static IP address, so detection does not run",
            NotEvaluated::RemoteUrls => "the RemoteURLs algorithm is not modelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Inside(InsideBy),
    /// No entry matches. `raw_suffix_only` lists entries that end the suffix only as raw text
    /// (`corp.com` vs `mycorp.com`): no match under the model, but firmware might differ.
    Outside {
        raw_suffix_only: Vec<usize>,
    },
    Disabled,
    NotEvaluated(NotEvaluated),
}

impl Verdict {
    pub fn is_outside(&self) -> bool {
        matches!(self, Verdict::Outside { .. })
    }
    pub fn is_inside(&self) -> bool {
        matches!(self, Verdict::Inside(_))
    }
    /// Inside only if the firmware folds case and ignores a trailing dot or whitespace.
    pub fn is_uncertain(&self) -> bool {
        matches!(
            self,
            Verdict::Inside(InsideBy::Domain {
                uncertain: true,
                ..
            })
        )
    }
}

/// Parse a `DetectionIPv6LocalPrefixes` entry: Intel's `XXXX:XXXX:XXXX:XXXX/Y` (the first 64 bits
/// written as four groups) or any standard form with zero compression (`5555::/64`).
pub fn parse_ipv6_prefix(raw: &str) -> Option<Ipv6Net> {
    let raw = raw.trim();
    if let Ok(net) = raw.parse::<Ipv6Net>() {
        return Some(net);
    }
    let (addr, len) = raw.split_once('/')?;
    if addr.contains("::") || addr.split(':').count() != 4 {
        return None;
    }
    format!("{addr}::/{len}").parse().ok()
}

/// Match one DHCP-supplied domain against the home domains: byte-for-byte matches first
/// (certain), then those that need normalising (uncertain). Entries that end the value only as raw
/// text are added to `raw_suffix_only`.
fn match_domain(
    strings: &[String],
    value: &str,
    option24: bool,
    raw_suffix_only: &mut Vec<usize>,
) -> Option<InsideBy> {
    let inside = |index, m, uncertain| InsideBy::Domain {
        index,
        exact: m == SuffixMatch::Exact,
        uncertain,
        option24,
    };
    for (index, entry) in strings.iter().enumerate() {
        let m = suffix_match(entry, value);
        if m.matches() {
            return Some(inside(index, m, false));
        }
    }
    let value = normalised(value);
    for (index, entry) in strings.iter().enumerate() {
        match suffix_match(&normalised(entry), &value) {
            m @ (SuffixMatch::Exact | SuffixMatch::Label) => return Some(inside(index, m, true)),
            SuffixMatch::RawOnly if !raw_suffix_only.contains(&index) => {
                raw_suffix_only.push(index)
            }
            _ => {}
        }
    }
    None
}

/// Classify one network for one device's detection settings (DOMAIN §2, steps 1-9). Option 15 is
/// tried first, then each option 24 domain in order (IRG, Environment Detection: the suffix
/// "provided by DHCP server (DHCPv4 option 15 and DHCPv6 option 24)").
pub fn classify(settings: &DetectionSettings, ip_mode: IpMode, net: &Attachment) -> Verdict {
    if ip_mode == IpMode::Static {
        return Verdict::NotEvaluated(NotEvaluated::StaticIp);
    }
    if settings.algorithm == Algorithm::RemoteUrls {
        return Verdict::NotEvaluated(NotEvaluated::RemoteUrls);
    }
    if settings.strings.is_empty() && settings.ipv6_prefixes.is_empty() {
        return Verdict::Disabled;
    }
    let mut raw_suffix_only = Vec::new();
    let values = std::iter::once((net.option15.unwrap_or_default(), false))
        .chain(net.option24.iter().map(|d| (d.as_str(), true)));
    for (value, option24) in values {
        if let Some(by) = match_domain(settings.strings, value, option24, &mut raw_suffix_only) {
            return Verdict::Inside(by);
        }
    }
    for (index, prefix) in settings.ipv6_prefixes.iter().enumerate() {
        if let Some(local) = parse_ipv6_prefix(prefix)
            && net.ipv6_prefixes.iter().any(|p| local.contains(p))
        {
            return Verdict::Inside(InsideBy::Ipv6Prefix { index });
        }
    }
    Verdict::Outside { raw_suffix_only }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn local(list: &[String]) -> DetectionSettings<'_> {
        DetectionSettings {
            algorithm: Algorithm::LocalDomains,
            strings: list,
            ipv6_prefixes: &[],
        }
    }

    fn inside(index: usize, exact: bool) -> Verdict {
        Verdict::Inside(InsideBy::Domain {
            index,
            exact,
            uncertain: false,
            option24: false,
        })
    }

    fn uncertain(index: usize, exact: bool) -> Verdict {
        Verdict::Inside(InsideBy::Domain {
            index,
            exact,
            uncertain: true,
            option24: false,
        })
    }

    fn outside() -> Verdict {
        Verdict::Outside {
            raw_suffix_only: vec![],
        }
    }

    /// DOMAIN.md §2's worked examples, row by row.
    #[test]
    fn domain_reference_table() {
        let uuid = "0f3c2b1a-9d8e-4c7b-a6f5-e4d3c2b1a09a.com";
        type Row<'a> = (Vec<&'a str>, IpMode, Algorithm, Option<&'a str>, Verdict);
        let rows: Vec<Row> = vec![
            (
                vec!["company.com"],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                Some("company.com"),
                inside(0, true),
            ),
            (
                vec!["company.com"],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                Some("site7.company.com"),
                inside(0, false),
            ),
            (
                vec!["Company.COM."],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                Some("company.com"),
                uncertain(0, true),
            ),
            (
                vec!["corp.com"],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                Some("mycorp.com"),
                Verdict::Outside {
                    raw_suffix_only: vec![0],
                },
            ),
            (
                vec!["site7.company.com"],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                Some("company.com"),
                outside(),
            ),
            (
                vec!["ad.company.local"],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                Some("company.com"),
                outside(),
            ),
            (
                vec!["bogus.local"],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                Some("vprodemo.com"),
                outside(),
            ),
            (
                vec!["company.com"],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                None,
                outside(),
            ),
            (
                vec![uuid],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                Some("company.com"),
                outside(),
            ),
            (
                vec![uuid],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                Some("hotel.example"),
                outside(),
            ),
            (
                vec![],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                Some("anything.example"),
                Verdict::Disabled,
            ),
            (
                vec![],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                None,
                Verdict::Disabled,
            ),
            (
                vec!["com"],
                IpMode::Dhcp,
                Algorithm::LocalDomains,
                Some("guest-wifi.com"),
                inside(0, false),
            ),
            (
                vec!["company.com"],
                IpMode::Static,
                Algorithm::LocalDomains,
                Some("company.com"),
                Verdict::NotEvaluated(NotEvaluated::StaticIp),
            ),
            (
                vec!["company.com"],
                IpMode::Dhcp,
                Algorithm::RemoteUrls,
                Some("company.com"),
                Verdict::NotEvaluated(NotEvaluated::RemoteUrls),
            ),
        ];
        for (list, mode, algorithm, option15, want) in rows {
            let list = strings(&list);
            let settings = DetectionSettings {
                algorithm,
                strings: &list,
                ipv6_prefixes: &[],
            };
            let got = classify(&settings, mode, &Attachment::suffix(option15));
            assert_eq!(
                got, want,
                "{list:?} / {mode:?} / {algorithm:?} / {option15:?}"
            );
        }
    }

    #[test]
    fn static_ip_wins_over_everything_else() {
        let settings = DetectionSettings {
            algorithm: Algorithm::RemoteUrls,
            strings: &[],
            ipv6_prefixes: &[],
        };
        assert_eq!(
            classify(&settings, IpMode::Static, &Attachment::default()),
            Verdict::NotEvaluated(NotEvaluated::StaticIp)
        );
    }

    #[test]
    fn first_matching_entry_is_reported_and_order_is_kept() {
        let list = strings(&["vpn.company.com", "company.com"]);
        let v = classify(
            &local(&list),
            IpMode::Dhcp,
            &Attachment::suffix(Some("vpn.company.com")),
        );
        assert_eq!(v, inside(0, true));
        let v = classify(
            &local(&list),
            IpMode::Dhcp,
            &Attachment::suffix(Some("hq.company.com")),
        );
        assert_eq!(v, inside(1, false));
    }

    #[test]
    fn option15_is_normalised_too() {
        let list = strings(&["company.com"]);
        for value in [
            "COMPANY.com",
            "company.com.",
            " company.com ",
            "Site4.Company.Com.",
        ] {
            assert!(
                classify(
                    &local(&list),
                    IpMode::Dhcp,
                    &Attachment::suffix(Some(value))
                )
                .is_uncertain(),
                "{value}"
            );
        }
        for value in [
            "company.com..",
            "company.co",
            "company.comx",
            "xcompany.com",
            "",
        ] {
            assert!(
                !classify(
                    &local(&list),
                    IpMode::Dhcp,
                    &Attachment::suffix(Some(value))
                )
                .is_inside(),
                "{value}"
            );
        }
    }

    #[test]
    fn byte_exact_matches_are_certain_and_win_over_normalised_ones() {
        let list = strings(&["Company.com", "company.com"]);
        let v = classify(
            &local(&list),
            IpMode::Dhcp,
            &Attachment::suffix(Some("hq.company.com")),
        );
        assert_eq!(v, inside(1, false));
        assert!(!v.is_uncertain());
        let v = classify(
            &local(&list[..1]),
            IpMode::Dhcp,
            &Attachment::suffix(Some("hq.company.com")),
        );
        assert_eq!(v, uncertain(0, false));
        let dotted = strings(&["company.com."]);
        let v = classify(
            &local(&dotted),
            IpMode::Dhcp,
            &Attachment::suffix(Some("company.com")),
        );
        assert_eq!(v, uncertain(0, true));
    }

    #[test]
    fn raw_suffix_near_misses_are_all_listed() {
        let list = strings(&["corp.com", "rp.com", "other.net"]);
        let v = classify(
            &local(&list),
            IpMode::Dhcp,
            &Attachment::suffix(Some("mycorp.com")),
        );
        assert_eq!(
            v,
            Verdict::Outside {
                raw_suffix_only: vec![0, 1]
            }
        );
        // A label match elsewhere in the list wins over a raw near miss.
        let list = strings(&["corp.com", "mycorp.com"]);
        let v = classify(
            &local(&list),
            IpMode::Dhcp,
            &Attachment::suffix(Some("eu.mycorp.com")),
        );
        assert_eq!(v, inside(1, false));
    }

    #[test]
    fn ipv6_local_prefixes_cover_networks_without_a_suffix() {
        let prefixes = strings(&["2001:db8:1::/48", "not a prefix"]);
        let settings = DetectionSettings {
            algorithm: Algorithm::LocalDomains,
            strings: &[],
            ipv6_prefixes: &prefixes,
        };
        let advertised = ["2001:db8:1:4::/64".parse().unwrap()];
        let net = Attachment {
            option15: None,
            option24: &[],
            ipv6_prefixes: &advertised,
        };
        assert_eq!(
            classify(&settings, IpMode::Dhcp, &net),
            Verdict::Inside(InsideBy::Ipv6Prefix { index: 0 })
        );
        let foreign = ["2001:db8:2::/64".parse().unwrap()];
        let net = Attachment {
            option15: None,
            option24: &[],
            ipv6_prefixes: &foreign,
        };
        assert!(classify(&settings, IpMode::Dhcp, &net).is_outside());
        // Prefixes alone keep detection enabled: a suffix-only network is outside.
        assert!(
            classify(
                &settings,
                IpMode::Dhcp,
                &Attachment::suffix(Some("company.com"))
            )
            .is_outside()
        );
    }

    fn via_option24(option15: Option<&str>, option24: &[&str], home: &[&str]) -> Verdict {
        let option24 = strings(option24);
        let net = Attachment {
            option15,
            option24: &option24,
            ipv6_prefixes: &[],
        };
        classify(&local(&strings(home)), IpMode::Dhcp, &net)
    }

    #[test]
    fn option24_alone_puts_a_network_inside() {
        let v = via_option24(None, &["lab.example", "corp.example"], &["corp.example"]);
        assert_eq!(
            v,
            Verdict::Inside(InsideBy::Domain {
                index: 0,
                exact: true,
                uncertain: false,
                option24: true,
            })
        );
        assert!(via_option24(None, &["lab.example"], &["corp.example"]).is_outside());
        assert!(via_option24(None, &[], &["corp.example"]).is_outside());
    }

    #[test]
    fn option15_is_tried_before_option24() {
        let v = via_option24(Some("corp.example"), &["corp.example"], &["corp.example"]);
        assert_eq!(v, inside(0, true));
        // An uncertain option 15 match still comes before a certain option 24 one.
        let v = via_option24(Some("CORP.example"), &["corp.example"], &["corp.example"]);
        assert_eq!(v, uncertain(0, true));
    }

    #[test]
    fn option24_matches_that_need_normalising_are_uncertain() {
        let v = via_option24(
            Some("hotel.example"),
            &["Site7.Corp.Example."],
            &["corp.example"],
        );
        assert_eq!(
            v,
            Verdict::Inside(InsideBy::Domain {
                index: 0,
                exact: false,
                uncertain: true,
                option24: true,
            })
        );
        assert!(v.is_uncertain());
        // Raw-only near misses are gathered from every value, once each.
        let v = via_option24(Some("mycorp.com"), &["eu.mycorp.com"], &["corp.com"]);
        assert_eq!(
            v,
            Verdict::Outside {
                raw_suffix_only: vec![0]
            }
        );
    }

    #[test]
    fn parses_zero_compressed_prefixes() {
        assert!(parse_ipv6_prefix("5555::/64").is_some());
        assert_eq!(
            parse_ipv6_prefix("2001:0db8:0001:0004/64"),
            Some("2001:db8:1:4::/64".parse().unwrap())
        );
        assert!(parse_ipv6_prefix("2001:db8/32").is_none());
        assert!(parse_ipv6_prefix("10.0.0.0/8").is_none());
    }
}

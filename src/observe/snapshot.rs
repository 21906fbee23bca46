//! The observed.toml format: `[[network]]` tables (option 15, trust, ranges, sources) and, from
//! collect, `[[host]]` tables for flagged hosts. Read with spans; written deterministically and atomically.

use super::model::{Host, Ipv4Range, Observed, Origin, Ras, SnapshotHost, clean_suffix};
use super::reader::{self, Reading};
use super::{Network, NetworkKind, Trust, TrustOrigin};
use crate::diagnostic::{Code, Finding, Location};
use crate::envdetect::parse_ipv6_prefix;
use crate::source::Source;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::Ipv4Addr;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    network: Vec<Entry>,
    #[serde(default)]
    host: Vec<Spanned<HostEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: Spanned<String>,
    suffix: Option<Spanned<String>>,
    domain_search_v6: Option<Vec<Spanned<String>>>,
    trust: Option<Trust>,
    kind: Option<NetworkKind>,
    hosts: Option<u64>,
    site: Option<String>,
    ipv6_prefixes: Option<Vec<Spanned<String>>>,
    ranges: Option<Vec<Spanned<String>>>,
    sources: Option<Vec<String>>,
}

/// A `[[host]]` table, as read and as written.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HostEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fqdn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_ip: Option<Ipv4Addr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub me_ip: Option<Ipv4Addr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_suffix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub me_suffix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ras: Option<Ras>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_up: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_dhcp: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub me_dhcp: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amt_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// The agent report it came from, `path:line`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Codes of the findings it carried when collected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
}

impl HostEntry {
    pub fn from_host(h: &Host, network: Option<&str>, findings: Vec<String>) -> HostEntry {
        HostEntry {
            name: h.hostname.clone(),
            fqdn: h.fqdn.clone(),
            network: network.map(str::to_owned),
            os_ip: h.os_ip,
            me_ip: h.me_ip,
            mac: h.mac.clone(),
            suffix: h.suffix.clone(),
            primary_suffix: h.primary_suffix.clone(),
            me_suffix: h.me_suffix.clone(),
            ras: h.ras,
            link_up: h.link_up,
            os_dhcp: h.os_dhcp,
            me_dhcp: h.me_dhcp,
            amt_version: h.amt_version.clone(),
            control_mode: h.control_mode.clone(),
            site: h.site.clone(),
            source: h.origin.as_ref().map(Origin::to_string),
            findings,
        }
    }

    fn into_host(self) -> Host {
        Host {
            origin: self.source.as_deref().and_then(parse_origin),
            hostname: self.name,
            fqdn: self.fqdn,
            os_ip: self.os_ip,
            me_ip: self.me_ip,
            mac: self.mac,
            suffix: self.suffix,
            primary_suffix: self.primary_suffix,
            me_suffix: self.me_suffix,
            ras: self.ras,
            link_up: self.link_up,
            os_dhcp: self.os_dhcp,
            me_dhcp: self.me_dhcp,
            amt_version: self.amt_version,
            control_mode: self.control_mode,
            site: self.site,
        }
    }
}

fn parse_origin(s: &str) -> Option<Origin> {
    let (path, line) = s.rsplit_once(':')?;
    Some(Origin::new(path, line.parse().ok()?))
}

/// This source kind, for `sources::READERS`.
pub static READER: reader::Reader = reader::Reader {
    name: "snapshot",
    describe: "observed-networks snapshot",
    dhcp_server: false,
    sniff: |text, _| sniff(text),
    read: |source, _| Reading::Snapshot(read_source(source)),
};

/// Does this text look like a snapshot (rather than some other TOML file)?
pub fn sniff(text: &str) -> bool {
    crate::source::sniff_head(text)
        .lines()
        .any(|l| matches!(l.trim(), "[[network]]" | "[[host]]"))
}

pub fn read_source(source: &Source) -> Observed {
    let mut out = Observed::default();
    let file: File = match toml::from_str(&source.text) {
        Ok(f) => f,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim_end().to_owned();
            out.findings.push(
                Finding::new(Code::SL051, source, span, format!("invalid observed-networks file: {message}"))
                    .label("here")
                    .help("see schemas/observed.schema.json: [[network]] tables with name, suffix, trust (enterprise|external), hosts"),
            );
            return out;
        }
    };
    let mut seen: HashMap<String, std::ops::Range<usize>> = HashMap::new();
    for entry in file.network {
        let name_span = entry.name.span();
        let name = entry.name.into_inner();
        if name.trim().is_empty() {
            out.findings.push(
                Finding::new(
                    Code::SL051,
                    source,
                    name_span,
                    "a network needs a non-empty name",
                )
                .label("empty name"),
            );
            continue;
        }
        let too_long =
            super::model::too_long("the network name", &name, super::model::MAX_NETWORK_NAME)
                .map(|why| (why, name_span.clone()))
                .or_else(|| {
                    let suffix = entry.suffix.as_ref()?;
                    super::model::too_long(
                        "the suffix",
                        suffix.get_ref(),
                        super::model::MAX_DNS_NAME,
                    )
                    .map(|why| (why, suffix.span()))
                });
        if let Some((why, span)) = too_long {
            out.findings.push(
                Finding::new(
                    Code::SL051,
                    source,
                    span,
                    format!("{why}; the network is not read"),
                )
                .label("too long"),
            );
            continue;
        }
        if let Some(first) = seen.get(&name) {
            out.findings.push(
                Finding::new(
                    Code::SL051,
                    source,
                    name_span,
                    format!("network name `{name}` is used twice in this file"),
                )
                .label("second use")
                .related(source, first.clone(), "first defined here")
                .network(&name),
            );
            continue;
        }
        seen.insert(name.clone(), name_span.clone());
        let mut prefixes = Vec::new();
        for p in entry.ipv6_prefixes.into_iter().flatten() {
            match parse_ipv6_prefix(p.get_ref()) {
                Some(net) => prefixes.push(net),
                None => out.findings.push(
                    Finding::new(
                        Code::SL051,
                        source,
                        p.span(),
                        format!("`{}` is not an IPv6 prefix", p.get_ref()),
                    )
                    .label("expected e.g. 2001:db8:1:4::/64")
                    .network(&name),
                ),
            }
        }
        let mut ranges = Vec::new();
        for r in entry.ranges.into_iter().flatten() {
            match Ipv4Range::parse(r.get_ref()) {
                Some(range) => ranges.push(range),
                None => out.findings.push(
                    Finding::new(
                        Code::SL051,
                        source,
                        r.span(),
                        format!("`{}` is not an IPv4 range", r.get_ref()),
                    )
                    .label("expected 10.1.4.0/24 or 10.1.4.10-10.1.4.99")
                    .network(&name),
                ),
            }
        }
        let suffix = entry
            .suffix
            .map(Spanned::into_inner)
            .filter(|s| !s.trim().is_empty());
        let mut search_v6 = Vec::new();
        for d in entry.domain_search_v6.into_iter().flatten() {
            match clean_suffix(d.get_ref()) {
                Some(domain) => search_v6.push(domain),
                None => out.findings.push(
                    Finding::new(
                        Code::SL051,
                        source,
                        d.span(),
                        "an empty domain in `domain_search_v6`",
                    )
                    .label("expected a domain such as corp.example.com")
                    .network(&name),
                ),
            }
        }
        out.networks.push(Network {
            name,
            suffix,
            search_v6,
            trust: entry.trust.unwrap_or(Trust::Enterprise),
            trust_origin: match entry.trust {
                Some(_) => TrustOrigin::Declared,
                None => TrustOrigin::Assumed,
            },
            kind: entry.kind.unwrap_or_default(),
            forced_external: None,
            site: entry
                .site
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            hosts: entry.hosts,
            ipv6_prefixes: prefixes,
            ranges,
            sources: entry
                .sources
                .iter()
                .flatten()
                .filter_map(|s| parse_origin(s))
                .collect(),
            location: Location::Span {
                source: source.clone(),
                span: name_span,
            },
        });
    }
    for h in file.host {
        let span = h.span();
        let entry = h.into_inner();
        let network = entry.network.clone();
        out.hosts.push(SnapshotHost {
            host: entry.into_host(),
            network,
            location: Location::Span {
                source: source.clone(),
                span,
            },
        });
    }
    out
}

/// A `[[network]]` table as written.
#[derive(Debug, Serialize)]
pub struct NetworkEntry {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// DHCPv6 option 24 (domain search list); written only when the network hands one out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub domain_search_v6: Vec<String>,
    /// Left out for a network nobody declared and no list classified (a suffix seen only in
    /// agent reports): reading the snapshot back classifies it again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust: Option<Trust>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<NetworkKind>,
    pub hosts: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ipv6_prefixes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

impl NetworkEntry {
    pub fn from_network(n: &Network) -> NetworkEntry {
        NetworkEntry {
            name: n.name.clone(),
            suffix: n.suffix.clone(),
            domain_search_v6: n.search_v6.clone(),
            trust: (n.trust_origin != TrustOrigin::Assumed || n.forced_external.is_some())
                .then_some(n.trust),
            kind: (n.kind != NetworkKind::Lan).then_some(n.kind),
            hosts: n.hosts.unwrap_or(0),
            site: n.site.clone(),
            ranges: n.ranges.iter().map(Ipv4Range::to_string).collect(),
            ipv6_prefixes: n.ipv6_prefixes.iter().map(|p| p.to_string()).collect(),
            sources: n.sources.iter().map(Origin::to_string).collect(),
        }
    }
}

/// Networks as collected, as `[[network]]` tables: each entry is made when it is written.
struct NetworkTables<'a>(Vec<&'a Network>);

impl Serialize for NetworkTables<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for n in &self.0 {
            seq.serialize_element(&NetworkEntry::from_network(n))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct Written<'a, N: Serialize> {
    network: N,
    #[serde(skip_serializing_if = "<[HostEntry]>::is_empty")]
    host: &'a [HostEntry],
}

const HEADER: &str = "# Observed networks (DHCP option 15, DHCPv6 option 24 per network) and flagged hosts, written by `scslint collect`.
# Re-run collect to refresh it; format: schemas/observed.schema.json.
";

/// The snapshot text: networks sorted by name, hosts by name then source, byte-identical for the
/// same inputs.
pub fn render(networks: &mut [NetworkEntry], hosts: &mut [HostEntry]) -> String {
    networks.sort_by(|a, b| a.name.cmp(&b.name));
    write(&*networks, hosts)
}

/// [`render`] of networks as collected, without making every entry before writing the first.
pub fn render_networks(networks: &[Network], hosts: &mut [HostEntry]) -> String {
    let mut sorted: Vec<&Network> = networks.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    write(NetworkTables(sorted), hosts)
}

fn write<N: Serialize>(networks: N, hosts: &mut [HostEntry]) -> String {
    hosts.sort_by(|a, b| (&a.name, &a.source, &a.fqdn).cmp(&(&b.name, &b.source, &b.fqdn)));
    let mut text = toml::to_string(&Written {
        network: networks,
        host: hosts,
    })
    .unwrap_or_default();
    // In place: a snapshot of many networks is not copied once more for its header.
    text.insert_str(0, &format!("{HEADER}\n"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Encoding, SourceFile};

    fn read(text: &str) -> Observed {
        read_source(&SourceFile::new(
            "observed.toml",
            text.to_owned(),
            Encoding::Utf8,
        ))
    }

    #[test]
    fn reads_networks_with_defaults() {
        let out = read(
            r#"
[[network]]
name = "hq-wired"
suffix = "corp.example.com"
hosts = 420

[[network]]
name = "hotel"
suffix = ""
trust = "external"
ipv6_prefixes = ["2001:db8:9::/64"]
"#,
        );
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        assert_eq!(out.networks.len(), 2);
        let hq = &out.networks[0];
        assert_eq!(
            (hq.suffix.as_deref(), hq.trust, hq.hosts),
            (Some("corp.example.com"), Trust::Enterprise, Some(420))
        );
        let hotel = &out.networks[1];
        assert_eq!(
            (hotel.suffix.as_deref(), hotel.trust),
            (None, Trust::External)
        );
        assert_eq!(hotel.ipv6_prefixes.len(), 1);
        let Location::Span { source, span } = &hq.location else {
            panic!("a snapshot network has a span")
        };
        assert_eq!(source.slice(span), "\"hq-wired\"");
    }

    #[test]
    fn reports_unknown_keys_bad_trust_and_duplicates_with_positions() {
        let out = read("[[network]]\nname = \"a\"\nsufix = \"x.example\"\n");
        assert_eq!(out.findings[0].code, Code::SL051);
        assert!(
            out.findings[0].message.contains("sufix"),
            "{}",
            out.findings[0].message
        );
        assert_eq!(out.findings[0].line_col().0, 3);
        let out = read("[[network]]\nname = \"a\"\ntrust = \"partner\"\n");
        assert!(out.findings[0].message.contains("partner"));
        let out = read(
            "[[network]]\nname = \"a\"\n[[network]]\nname = \"a\"\n[[network]]\nname = \"b\"\n",
        );
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].line_col().0, 4);
        assert_eq!(out.networks.len(), 2, "the good networks are kept");
        let out = read("[[network]]\nsuffix = \"x\"\n");
        assert!(out.findings[0].message.contains("name"));
        let out = read("[[network]]\nname = \"a\"\nranges = [\"10.0.0.0/33\"]\n");
        assert!(out.findings[0].message.contains("10.0.0.0/33"));
    }

    #[test]
    fn written_snapshots_read_back_identically() {
        let host = Host {
            origin: Some(Origin::new("agents/pc0423.txt", 1)),
            hostname: Some("pc0423".into()),
            me_ip: Some(Ipv4Addr::UNSPECIFIED),
            os_ip: Some("10.1.4.20".parse().unwrap()),
            ras: Some(Ras::Outside),
            link_up: Some(true),
            suffix: Some("company.com".into()),
            primary_suffix: Some("ad.company.local".into()),
            me_suffix: Some("company.com".into()),
            ..Host::default()
        };
        let mut hosts = vec![HostEntry::from_host(
            &host,
            Some("subnet 10.1.4.0/24"),
            vec!["SL200".into()],
        )];
        let mut networks = vec![
            NetworkEntry {
                name: "subnet 10.1.4.0/24".into(),
                suffix: Some("company.com".into()),
                domain_search_v6: vec![],
                trust: Some(Trust::Enterprise),
                kind: None,
                hosts: 212,
                site: None,
                ranges: vec!["10.1.4.0/24".into()],
                ipv6_prefixes: vec![],
                sources: vec!["dhcp/dhcpd.conf:14".into()],
            },
            NetworkEntry {
                name: "server default".into(),
                suffix: Some("company.com".into()),
                domain_search_v6: vec![],
                trust: Some(Trust::Enterprise),
                kind: Some(NetworkKind::Vpn),
                hosts: 0,
                site: None,
                ranges: vec![],
                ipv6_prefixes: vec![],
                sources: vec![],
            },
            NetworkEntry {
                name: "subnet6 2001:db8:1::/64".into(),
                suffix: None,
                domain_search_v6: vec!["corp.example".into(), "lab.corp.example".into()],
                trust: Some(Trust::Enterprise),
                kind: None,
                hosts: 0,
                site: None,
                ranges: vec![],
                ipv6_prefixes: vec![],
                sources: vec!["dhcp/kea.conf:7".into()],
            },
        ];
        let text = render(&mut networks, &mut hosts);
        assert!(
            text.find("name = \"server default\"").unwrap() < text.find("name = \"subnet").unwrap(),
            "{text}"
        );
        assert!(sniff(&text));
        let back = read(&text);
        assert!(back.findings.is_empty(), "{:?}\n{text}", back.findings);
        assert_eq!(
            back.networks[1].ranges,
            vec![Ipv4Range::parse("10.1.4.0/24").unwrap()]
        );
        assert_eq!(
            back.networks[1].sources,
            vec![Origin::new("dhcp/dhcpd.conf", 14)]
        );
        assert_eq!(back.networks[0].kind, NetworkKind::Vpn);
        assert_eq!(back.networks[1].kind, NetworkKind::Lan);
        assert!(!text.contains("kind = \"lan\""), "{text}");
        assert_eq!(back.hosts[0].host, host);
        assert!(
            text.contains("domain_search_v6 = [\"corp.example\", \"lab.corp.example\"]"),
            "{text}"
        );
        assert_eq!(text.matches("domain_search_v6").count(), 1, "{text}");
        assert_eq!(
            back.networks[2].search_v6,
            ["corp.example", "lab.corp.example"]
        );
        assert!(back.networks[2].suffix.is_none() && back.networks[2].has_domain());
        let bad = read("[[network]]\nname = \"v6\"\ndomain_search_v6 = [\"a.example.\", \" \"]\n");
        assert_eq!(bad.networks[0].search_v6, ["a.example"]);
        assert_eq!(bad.findings.len(), 1);
        assert!(bad.findings[0].message.contains("domain_search_v6"));
        assert_eq!(back.hosts[0].network.as_deref(), Some("subnet 10.1.4.0/24"));
    }
}

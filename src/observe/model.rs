//! What observation sources produce: DHCP scopes with the option 15 they hand out, and hosts as
//! agents report them. Every reader returns a [`Parsed`]; none of them knows about rules.

use super::Network;
use crate::diagnostic::{Finding, Location};
use std::fmt;
use std::net::Ipv4Addr;

pub use crate::dns_name::{FqdnSource, clean_suffix};
pub use crate::source::Origin;

/// An inclusive IPv4 address range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ipv4Range {
    pub start: Ipv4Addr,
    pub end: Ipv4Addr,
}

impl Ipv4Range {
    /// A range from its two ends, in either order.
    pub fn new(a: Ipv4Addr, b: Ipv4Addr) -> Self {
        Ipv4Range {
            start: a.min(b),
            end: a.max(b),
        }
    }

    /// The range of a network given by address and prefix length (`10.1.4.0`, 24).
    pub fn from_prefix(addr: Ipv4Addr, len: u8) -> Option<Self> {
        let net = ipnet::Ipv4Net::new(addr, len).ok()?;
        Some(Ipv4Range {
            start: net.network(),
            end: net.broadcast(),
        })
    }

    /// The range of a network given by address and dotted mask (`10.1.4.0`, `255.255.255.0`).
    pub fn from_mask(addr: Ipv4Addr, mask: Ipv4Addr) -> Option<Self> {
        let len = ipnet::ipv4_mask_to_prefix(mask).ok()?;
        Self::from_prefix(addr, len)
    }

    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        self.start <= ip && ip <= self.end
    }

    /// Addresses in the range; the narrowest match wins when ranges nest.
    pub fn size(&self) -> u64 {
        u64::from(u32::from(self.end)) - u64::from(u32::from(self.start)) + 1
    }

    /// Parse `10.1.4.0/24` or `10.1.4.10-10.1.4.99`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Some((a, len)) = s.split_once('/') {
            return Self::from_prefix(a.trim().parse().ok()?, len.trim().parse().ok()?);
        }
        let (a, b) = s.split_once('-')?;
        Some(Self::new(a.trim().parse().ok()?, b.trim().parse().ok()?))
    }
}

impl fmt::Display for Ipv4Range {
    /// CIDR notation when the range is exactly one prefix, else `start-end`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let size = self.size();
        if size.is_power_of_two() && u64::from(u32::from(self.start)) % size == 0 {
            write!(f, "{}/{}", self.start, 32 - size.trailing_zeros())
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

/// One DHCP scope, shared network or server-wide default, with the option 15 it hands out after
/// inheritance (inner scopes override outer ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Stable and human: `subnet 10.1.4.0/24`, `shared-network hq`, `scope 10.1.4.0 (HQ wired)`,
    /// `server default`. Unique within one source file.
    pub name: String,
    /// The effective option 15; `None` when the scope hands out none.
    pub suffix: Option<String>,
    /// The effective DHCPv6 option 24 (domain search list), each entry cleaned like a suffix;
    /// empty when the scope hands out none.
    pub search_v6: Vec<String>,
    /// Address ranges hosts in this scope get; empty for a server-wide default.
    pub ranges: Vec<Ipv4Range>,
    pub origin: Origin,
}

/// Longer than any DNS name can be (RFC 1035: 253 characters in text form).
pub const MAX_DNS_NAME: usize = 253;
/// Longer than any network or scope name a person writes; bounds what one hostile name costs in
/// every finding that names it.
pub const MAX_NETWORK_NAME: usize = 256;

/// Why a value is too long to be what it claims, if it is.
pub fn too_long(what: &str, value: &str, max: usize) -> Option<String> {
    let n = value.chars().count();
    (n > max).then(|| format!("{what} is {n} characters long, over the {max} it can be"))
}

impl Scope {
    /// Why this scope is not kept: a name or domain longer than any real one.
    pub fn oversized(&self) -> Option<String> {
        too_long("the scope name", &self.name, MAX_NETWORK_NAME)
            .or_else(|| {
                let domains = self.suffix.iter().chain(&self.search_v6);
                domains
                    .filter_map(|d| too_long("a domain name", d, MAX_DNS_NAME))
                    .next()
            })
            .map(|why| format!("{why}; the scope is not read"))
    }
}

/// What the ME reports about its network (rpc-go `RAS Network`, AMT Diagnostics "Remote Access
/// Connection Status").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Ras {
    Direct,
    Vpn,
    Outside,
    Unknown,
}

/// One device as an agent report describes it. Every field is optional: sources differ.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Host {
    pub origin: Option<Origin>,
    pub hostname: Option<String>,
    /// An FQDN the report states as such (an FQDN field or column); never built by a reader.
    /// [`Host::device_fqdn`] is the name consoles use.
    pub fqdn: Option<String>,
    pub os_ip: Option<Ipv4Addr>,
    pub me_ip: Option<Ipv4Addr>,
    pub mac: Option<String>,
    /// The connection-specific DNS suffix: the option 15 this host received.
    pub suffix: Option<String>,
    /// The primary DNS suffix (domain membership); never an option 15 observation.
    pub primary_suffix: Option<String>,
    /// The ME's own DNS suffix (rpc-go `DNS Suffix`: set in MEBx or by provisioning, else learnt
    /// from DHCP); neither option 15 nor the host's suffix.
    pub me_suffix: Option<String>,
    pub ras: Option<Ras>,
    pub link_up: Option<bool>,
    /// The OS adapter uses DHCP.
    pub os_dhcp: Option<bool>,
    /// The ME uses DHCP (false: static ME address).
    pub me_dhcp: Option<bool>,
    pub amt_version: Option<String>,
    pub control_mode: Option<String>,
    pub site: Option<String>,
}

impl Host {
    /// Drop names longer than a DNS name can be (host name, FQDN, suffixes); says which.
    pub fn drop_oversized(&mut self) -> Option<String> {
        let mut dropped = Vec::new();
        for (what, field) in [
            ("host name", &mut self.hostname),
            ("FQDN", &mut self.fqdn),
            ("DNS suffix", &mut self.suffix),
            ("primary DNS suffix", &mut self.primary_suffix),
            ("ME DNS suffix", &mut self.me_suffix),
        ] {
            if let Some(why) = field
                .as_deref()
                .and_then(|v| too_long(what, v, MAX_DNS_NAME))
            {
                *field = None;
                dropped.push(why);
            }
        }
        (!dropped.is_empty()).then(|| format!("{}; not read", dropped.join("; ")))
    }
}

impl Host {
    /// The device's FQDN as Intel SCS builds it: the host name with the suffix `source` names
    /// (the primary DNS suffix by default, never option 15 unless the profile says so). A host
    /// name that already has a dot is the FQDN; with the default source, an FQDN the report
    /// states wins.
    pub fn device_fqdn(&self, source: &FqdnSource) -> Option<String> {
        let name = self
            .hostname
            .as_deref()
            .map(|h| h.trim().trim_end_matches('.'))
            .filter(|h| !h.is_empty());
        let stated = self
            .fqdn
            .clone()
            .or_else(|| name.filter(|h| h.contains('.')).map(str::to_owned));
        let suffix = match source {
            FqdnSource::PrimarySuffix => {
                if stated.is_some() {
                    return stated;
                }
                self.primary_suffix.as_deref()
            }
            FqdnSource::ConnectionSuffix => self.suffix.as_deref(),
            FqdnSource::Suffix(s) => Some(s.as_str()),
        };
        let short = name
            .or(self.fqdn.as_deref())
            .and_then(|n| n.split('.').next())
            .filter(|s| !s.is_empty());
        match (short, suffix) {
            (Some(short), Some(suffix)) => Some(format!("{short}.{suffix}")),
            _ => stated,
        }
    }
}

/// A problem a reader found, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub origin: Origin,
    pub column: usize,
    pub message: String,
}

/// What reading one source produced (an include tree counts as one source).
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub scopes: Vec<Scope>,
    pub hosts: Vec<Host>,
    pub problems: Vec<Problem>,
    /// The files read through includes, so findings that point into them show a snippet.
    pub included: Vec<crate::source::Source>,
}

/// Problems one source reports at most; past them, one more says the rest were left out.
pub const MAX_PROBLEMS: usize = 500;

impl Parsed {
    /// Record a problem; past [`MAX_PROBLEMS`] one last problem says the rest are not reported,
    /// so a hostile file cannot make the report grow without bound.
    pub fn problem(&mut self, origin: Origin, column: usize, message: impl Into<String>) {
        let message = match self.problems.len() {
            n if n < MAX_PROBLEMS => message.into(),
            n if n == MAX_PROBLEMS => format!(
                "more than {MAX_PROBLEMS} problems in this source; the rest are not reported"
            ),
            _ => return,
        };
        self.problems.push(Problem {
            origin,
            column,
            message,
        });
    }
}

/// A host read back from a snapshot: the host, the network it was attributed to, and its table.
#[derive(Debug, Clone)]
pub struct SnapshotHost {
    pub host: Host,
    pub network: Option<String>,
    pub location: Location,
}

/// What a snapshot (observed.toml) holds: networks and hosts as written, and what was wrong with it.
#[derive(Debug, Default)]
pub struct Observed {
    pub networks: Vec<Network>,
    pub hosts: Vec<SnapshotHost>,
    pub findings: Vec<Finding>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_print_back() {
        let r = Ipv4Range::parse("10.1.4.0/24").unwrap();
        assert_eq!(r.to_string(), "10.1.4.0/24");
        assert!(r.contains("10.1.4.200".parse().unwrap()));
        let r = Ipv4Range::parse("10.1.4.99 - 10.1.4.10").unwrap();
        assert_eq!(r.to_string(), "10.1.4.10-10.1.4.99");
        assert_eq!(r.size(), 90);
        let r = Ipv4Range::from_mask(
            "192.168.20.7".parse().unwrap(),
            "255.255.255.0".parse().unwrap(),
        )
        .unwrap();
        assert_eq!(r.to_string(), "192.168.20.0/24");
        assert!(Ipv4Range::parse("10.1.4.0/33").is_none());
        assert!(
            Ipv4Range::from_mask("10.0.0.0".parse().unwrap(), "255.0.255.0".parse().unwrap())
                .is_none()
        );
    }

    #[test]
    fn the_device_fqdn_is_host_name_and_primary_suffix_by_default() {
        let h = Host {
            hostname: Some("ws-0142".into()),
            suffix: Some("site7.company.com".into()),
            primary_suffix: Some("ad.company.local".into()),
            ..Host::default()
        };
        let default = FqdnSource::default();
        assert_eq!(
            h.device_fqdn(&default).as_deref(),
            Some("ws-0142.ad.company.local")
        );
        assert_eq!(
            h.device_fqdn(&FqdnSource::ConnectionSuffix).as_deref(),
            Some("ws-0142.site7.company.com")
        );
        assert_eq!(
            h.device_fqdn(&FqdnSource::Suffix("amt.company.com".into()))
                .as_deref(),
            Some("ws-0142.amt.company.com")
        );
        // Option 15 alone makes no FQDN.
        let no_primary = Host {
            primary_suffix: None,
            ..h.clone()
        };
        assert_eq!(no_primary.device_fqdn(&default), None);
        // A stated FQDN, or a host name with a dot, is the FQDN.
        let stated = Host {
            fqdn: Some("ws-0142.company.com".into()),
            ..no_primary.clone()
        };
        assert_eq!(
            stated.device_fqdn(&default).as_deref(),
            Some("ws-0142.company.com")
        );
        let dotted = Host {
            hostname: Some("ws-0142.lab.company.com.".into()),
            ..no_primary
        };
        assert_eq!(
            dotted.device_fqdn(&default).as_deref(),
            Some("ws-0142.lab.company.com")
        );
    }

    #[test]
    fn fqdn_sources_are_read_from_what_profiles_write() {
        assert_eq!(
            FqdnSource::parse("HostNamePrimaryDnsSuffix"),
            FqdnSource::PrimarySuffix
        );
        assert_eq!(
            FqdnSource::parse("OnBoardLanDnsSuffix"),
            FqdnSource::ConnectionSuffix
        );
        assert_eq!(
            FqdnSource::parse("Connection-specific DNS suffix"),
            FqdnSource::ConnectionSuffix
        );
        assert_eq!(
            FqdnSource::parse(" amt.company.com. "),
            FqdnSource::Suffix("amt.company.com".into())
        );
        assert_eq!(
            FqdnSource::parse("atlanta.company.com"),
            FqdnSource::Suffix("atlanta.company.com".into())
        );
        assert_eq!(FqdnSource::parse("whatever"), FqdnSource::PrimarySuffix);
    }

    #[test]
    fn suffixes_are_cleaned() {
        assert_eq!(
            clean_suffix(" \"company.com.\" "),
            Some("company.com".into())
        );
        assert_eq!(clean_suffix("  "), None);
        assert_eq!(clean_suffix("\"\""), None);
    }
}

//! What `scslint probe` may touch: command-line targets (name, IP, or CIDR with --allow-range) and
//! the hosts of a snapshot. Nothing else is ever probed; broadcast, multicast and unspecified
//! addresses are refused, an IPv4-mapped IPv6 address judged as the IPv4 address it carries.

use ipnet::{IpNet, Ipv4Net};
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr};

/// The largest range a CIDR target may cover: a /16 (IPv4) or /112 (IPv6), 65,536 addresses.
pub const MAX_RANGE_ADDRESSES: u64 = 1 << MAX_HOST_BITS;

/// Host bits of the largest range (16: a /16 or a /112).
const MAX_HOST_BITS: u8 = 16;

/// A target as written on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    Address(IpAddr),
    /// The addresses of a range (IPv4-mapped ranges as IPv4), network and broadcast addresses
    /// left out.
    Range {
        block: IpNet,
        addresses: Vec<IpAddr>,
    },
    /// A host name, resolved before probing.
    Name(String),
}

/// The address as it is judged and probed: `::ffff:a.b.c.d` is the IPv4 address a.b.c.d, so a
/// mapped multicast or broadcast address is refused like the plain one.
pub fn canonical(ip: IpAddr) -> IpAddr {
    ip.to_canonical()
}

/// Why an address may not be probed, or `None` when it may.
pub fn refusal(ip: IpAddr) -> Option<&'static str> {
    let ip = canonical(ip);
    if ip.is_unspecified() {
        Some("the unspecified address")
    } else if ip.is_multicast() {
        Some("a multicast address")
    } else if ip == IpAddr::V4(Ipv4Addr::BROADCAST) {
        Some("the broadcast address")
    } else {
        None
    }
}

/// Parse one TARGET: an IP, a CIDR range (only with `allow_range`, at most /16), or a host name.
pub fn parse(raw: &str, allow_range: bool) -> Result<Spec, String> {
    let t = raw.trim();
    if let Ok(ip) = t.parse::<IpAddr>() {
        return match refusal(ip) {
            Some(why) => Err(format!("`{t}` is {why}; scslint probes single devices")),
            None => Ok(Spec::Address(canonical(ip))),
        };
    }
    if t.contains('/') {
        let net: IpNet = t
            .parse()
            .map_err(|e| format!("`{t}` is not a CIDR range: {e}"))?;
        return range(t, net, allow_range);
    }
    if crate::dns_name::validate(t).is_empty() && !t.is_empty() {
        return Ok(Spec::Name(t.trim_end_matches('.').to_owned()));
    }
    Err(format!(
        "`{t}` is neither an IP address, a CIDR range nor a host name"
    ))
}

/// An IPv4-mapped IPv6 range (`::ffff:10.1.4.0/120`) as the IPv4 range it maps (10.1.4.0/24).
fn canonical_net(net: IpNet) -> IpNet {
    if let IpNet::V6(v6) = net
        && let Some(prefix) = v6.prefix_len().checked_sub(96)
        && let Some(v4) = v6.network().to_ipv4_mapped()
        && let Ok(mapped) = Ipv4Net::new(v4, prefix)
    {
        return IpNet::V4(mapped);
    }
    net
}

/// How many addresses `host_bits` span, as a number while it reads as one.
fn count_text(host_bits: u8) -> String {
    match 1u64.checked_shl(u32::from(host_bits)) {
        Some(n) if host_bits <= 32 => n.to_string(),
        _ => format!("2^{host_bits}"),
    }
}

fn range(raw: &str, net: IpNet, allow_range: bool) -> Result<Spec, String> {
    if !allow_range {
        return Err(format!(
            "`{raw}` is a range: add --allow-range to probe every address in it"
        ));
    }
    let net = canonical_net(net).trunc();
    // Judged by its host bits, so no size is ever computed that could overflow (`::/0`), and
    // refused before a single address is listed.
    let host_bits = net.max_prefix_len() - net.prefix_len();
    if host_bits > MAX_HOST_BITS {
        return Err(format!(
            "`{raw}` holds {} addresses; ranges are limited to {MAX_RANGE_ADDRESSES} (an IPv4 /16 or an IPv6 /112)",
            count_text(host_bits)
        ));
    }
    if let Some(why) = refusal(net.network()).filter(|_| host_bits == 0) {
        return Err(format!("`{raw}` is {why}"));
    }
    if net.network().is_multicast() {
        return Err(format!("`{raw}` is a multicast range"));
    }
    let addresses: Vec<IpAddr> = net.hosts().filter(|ip| refusal(*ip).is_none()).collect();
    if addresses.is_empty() {
        return Err(format!("`{raw}` holds no address that can be probed"));
    }
    Ok(Spec::Range {
        block: net,
        addresses,
    })
}

/// A snapshot host that is listed but not probed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Skipped {
    /// The host's name, as a probed snapshot host is labelled.
    pub target: String,
    /// The address it would have been probed at, or the refused one; null when it has none.
    pub address: Option<String>,
    /// Its network in the snapshot.
    pub network: Option<String>,
    pub why: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn addresses(target: &str) -> Vec<IpAddr> {
        match parse(target, true) {
            Ok(Spec::Range { addresses, .. }) => addresses,
            other => panic!("{target}: not a range: {other:?}"),
        }
    }

    #[test]
    fn addresses_names_and_ranges() {
        assert_eq!(parse("10.1.2.3", false), Ok(Spec::Address(ip("10.1.2.3"))));
        assert_eq!(parse("fd00::5", false), Ok(Spec::Address(ip("fd00::5"))));
        assert_eq!(
            parse("pc0423.corp.test.", false),
            Ok(Spec::Name("pc0423.corp.test".into()))
        );
        assert_eq!(
            addresses("10.1.4.0/30"),
            vec![ip("10.1.4.1"), ip("10.1.4.2")]
        );
        assert_eq!(addresses("10.0.0.0/16").len(), 65_534);
        assert_eq!(addresses("fd00::/112").len(), 65_536);
    }

    #[test]
    fn refuses_what_is_not_one_device_or_too_wide() {
        for (target, words) in [
            ("0.0.0.0", "unspecified"),
            ("::", "unspecified"),
            ("255.255.255.255", "broadcast"),
            ("224.0.0.1", "multicast"),
            ("ff02::1", "multicast"),
            ("10.1.4.0/24", "--allow-range"),
            ("not a host!", "neither"),
        ] {
            let e = parse(target, false).unwrap_err();
            assert!(e.contains(words), "{target}: {e}");
        }
        assert!(parse("10.0.0.0/15", true).unwrap_err().contains("limited"));
        assert!(
            parse("224.0.0.0/24", true)
                .unwrap_err()
                .contains("multicast")
        );
    }

    #[test]
    fn range_sizes_never_overflow_and_are_refused_before_listing() {
        // `::/0` once wrapped to "1 address" and then listed 2^128 of them.
        for (target, size) in [
            ("::/0", "2^128"),
            ("::/1", "2^127"),
            ("2001:db8::/64", "2^64"),
            ("2001:db8::/111", "131072"),
            ("0.0.0.0/0", "4294967296"),
            ("10.0.0.0/8", "16777216"),
        ] {
            let e = parse(target, true).unwrap_err();
            assert!(
                e.contains(&format!("holds {size} addresses")) && e.contains("limited"),
                "{target}: {e}"
            );
        }
    }

    #[test]
    fn mapped_addresses_are_judged_as_the_ipv4_address_they_carry() {
        for (target, words) in [
            ("::ffff:224.0.0.251", "multicast"),
            ("::ffff:255.255.255.255", "broadcast"),
            ("::ffff:0.0.0.0", "unspecified"),
        ] {
            let e = parse(target, false).unwrap_err();
            assert!(e.contains(words), "{target}: {e}");
            assert!(refusal(ip(target)).is_some(), "{target}");
        }
        // Probed as the IPv4 address.
        assert_eq!(
            parse("::ffff:127.0.0.5", false),
            Ok(Spec::Address(ip("127.0.0.5")))
        );
        // A mapped range is the IPv4 range: its network and broadcast addresses are left out,
        // and a mapped multicast range is refused as one.
        assert_eq!(
            addresses("::ffff:10.1.4.0/126"),
            vec![ip("10.1.4.1"), ip("10.1.4.2")]
        );
        assert!(
            parse("::ffff:224.0.0.0/120", true)
                .unwrap_err()
                .contains("multicast")
        );
        assert!(
            parse("::ffff:255.255.255.255/128", true)
                .unwrap_err()
                .contains("broadcast")
        );
        assert!(
            parse("::ffff:0.0.0.0/96", true)
                .unwrap_err()
                .contains("limited")
        );
    }
}

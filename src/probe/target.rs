//! What `scslint probe` may touch: command-line targets (name, IP, or CIDR with --allow-range) and
//! the hosts of a snapshot. Nothing else is ever probed; broadcast, multicast and unspecified
//! addresses are refused.

use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr};

/// The largest range a CIDR target may cover: a /16 (IPv4) or /112 (IPv6), 65,536 addresses.
pub const MAX_RANGE_ADDRESSES: u64 = 1 << 16;

/// A target as written on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    Address(IpAddr),
    /// The addresses of a range, network and broadcast addresses left out.
    Range(Vec<IpAddr>),
    /// A host name, resolved before probing.
    Name(String),
}

/// Why an address may not be probed, or `None` when it may.
pub fn refusal(ip: IpAddr) -> Option<&'static str> {
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
            None => Ok(Spec::Address(ip)),
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

fn range(raw: &str, net: IpNet, allow_range: bool) -> Result<Spec, String> {
    if !allow_range {
        return Err(format!(
            "`{raw}` is a range: add --allow-range to probe every address in it"
        ));
    }
    let size = 1u128 << (net.max_prefix_len() - net.prefix_len());
    if size > u128::from(MAX_RANGE_ADDRESSES) {
        return Err(format!(
            "`{raw}` holds {size} addresses; ranges are limited to {MAX_RANGE_ADDRESSES} (a /16)"
        ));
    }
    if let Some(why) = refusal(net.network()).filter(|_| net.prefix_len() == net.max_prefix_len()) {
        return Err(format!("`{raw}` is {why}"));
    }
    if net.network().is_multicast() {
        return Err(format!("`{raw}` is a multicast range"));
    }
    let addresses: Vec<IpAddr> = net.hosts().filter(|ip| refusal(*ip).is_none()).collect();
    if addresses.is_empty() {
        return Err(format!("`{raw}` holds no address that can be probed"));
    }
    Ok(Spec::Range(addresses))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn addresses_names_and_ranges() {
        assert_eq!(parse("10.1.2.3", false), Ok(Spec::Address(ip("10.1.2.3"))));
        assert_eq!(parse("fd00::5", false), Ok(Spec::Address(ip("fd00::5"))));
        assert_eq!(
            parse("pc0423.corp.test.", false),
            Ok(Spec::Name("pc0423.corp.test".into()))
        );
        let Ok(Spec::Range(r)) = parse("10.1.4.0/30", true) else {
            panic!("a range");
        };
        assert_eq!(r, vec![ip("10.1.4.1"), ip("10.1.4.2")]);
        let Ok(Spec::Range(r)) = parse("10.0.0.0/16", true) else {
            panic!("a /16");
        };
        assert_eq!(r.len(), 65_534);
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
}

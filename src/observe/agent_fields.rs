//! Value cleaning shared by the agent-report readers (amtinfo, ipconfig, discovery, CSV):
//! control characters, MACs, IPv4 addresses, yes/no, link state and RAS status as tools print them.

use super::model::{Host, Origin, Parsed, Ras, clean_suffix};
use std::net::Ipv4Addr;
use std::path::Path;

/// Trimmed, with every control character removed; `None` when nothing is left.
pub fn text(raw: &str) -> Option<String> {
    let cleaned: String = raw.chars().filter(|c| !c.is_control()).collect();
    let t = cleaned.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// A DNS suffix as readers store it: control characters removed, then [`clean_suffix`].
pub fn suffix(raw: &str) -> Option<String> {
    text(raw).and_then(|t| clean_suffix(&t))
}

/// A suffix field present in a report: `Ok(None)` when it is empty, `Err` when it holds something
/// other than one DNS suffix (a list, spaces, slashes, empty labels).
pub fn dns_suffix(raw: &str) -> Result<Option<String>, String> {
    let Some(s) = suffix(raw) else {
        return Ok(None);
    };
    if s.contains(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        return Err(format!("`{s}` is a list, not one DNS suffix"));
    }
    let plain = s
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if plain && !s.contains("..") {
        Ok(Some(s))
    } else {
        Err(format!("`{s}` is not a DNS suffix"))
    }
}

/// `00-11-22-AA-BB-CC`, `00:11:22:aa:bb:cc`, `0011.22aa.bbcc` or `001122AABBCC` as
/// `00:11:22:aa:bb:cc`; `None` for anything that is not six bytes.
pub fn mac(raw: &str) -> Option<String> {
    let raw = text(raw)?;
    let mut digits = String::with_capacity(12);
    for c in raw.chars() {
        if c.is_ascii_hexdigit() {
            digits.push(c.to_ascii_lowercase());
        } else if !matches!(c, ':' | '-' | '.' | ' ') {
            return None;
        }
    }
    if digits.len() != 12 {
        return None;
    }
    let pairs: Vec<&str> = (0..6)
        .filter_map(|i| digits.get(i * 2..i * 2 + 2))
        .collect();
    Some(pairs.join(":"))
}

/// A MAC of all zeros: tools print it for an interface that does not exist.
pub fn is_zero_mac(mac: &str) -> bool {
    mac.chars().all(|c| c == '0' || c == ':')
}

/// An IPv4 field. `Ok(None)` for the ways tools say "none" (empty, `Not Found`, `N/A`, `-`);
/// `Err` for text that is not an address. `0.0.0.0` is an address. A `/len` suffix is dropped.
pub fn ipv4(raw: &str) -> Result<Option<Ipv4Addr>, String> {
    let Some(t) = text(raw) else {
        return Ok(None);
    };
    let lower = t.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "not found" | "n/a" | "na" | "none" | "-" | "null" | "unknown"
    ) {
        return Ok(None);
    }
    let addr = match t.split_once('/') {
        Some((a, len)) if len.trim().parse::<u8>().is_ok_and(|l| l <= 32) => a.trim(),
        _ => t.as_str(),
    };
    addr.parse::<Ipv4Addr>()
        .map(Some)
        .map_err(|_| format!("`{t}` is not an IPv4 address"))
}

/// true/false, yes/no, 1/0, enabled/disabled, on/off.
pub fn boolean(raw: &str) -> Option<bool> {
    match text(raw)?.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "enabled" | "on" => Some(true),
        "false" | "no" | "0" | "disabled" | "off" => Some(false),
        _ => None,
    }
}

/// Link state: up/down, connected/disconnected, or a boolean.
pub fn link(raw: &str) -> Option<bool> {
    let t = text(raw)?.to_ascii_lowercase();
    match t.as_str() {
        "up" | "connected" | "link up" => Some(true),
        "down" | "disconnected" | "not connected" | "link down" | "media disconnected" => {
            Some(false)
        }
        _ => boolean(&t),
    }
}

/// The ME's network status as rpc-go and Intel's tools print it: `direct`, `direct (LAN)`,
/// `vpn`, `outside enterprise`, `outside enterprise (CIRA)`, `unknown`, the numeric status 0-3,
/// the diagnostics tool's `Inside Enterprise` / `Outside Enterprise`, or meshcmd's bare `Inside` /
/// `Outside`.
pub fn ras(raw: &str) -> Option<Ras> {
    let t = text(raw)?.to_ascii_lowercase();
    match t.as_str() {
        "0" => return Some(Ras::Direct),
        "1" => return Some(Ras::Vpn),
        "2" => return Some(Ras::Outside),
        "3" => return Some(Ras::Unknown),
        _ => {}
    }
    if t.starts_with("direct") || t == "inside enterprise" || t == "inside" || t == "lan" {
        Some(Ras::Direct)
    } else if t.contains("vpn") || t.starts_with("inside corporate") {
        Some(Ras::Vpn)
    } else if t.starts_with("outside") || t == "cira" {
        Some(Ras::Outside)
    } else if t.starts_with("unknown") {
        Some(Ras::Unknown)
    } else {
        None
    }
}

/// Whether a host can be told apart: a host name, FQDN, IPv4 address other than 0.0.0.0, or MAC.
pub fn has_identity(host: &Host) -> bool {
    host.hostname.is_some()
        || host.fqdn.is_some()
        || host.mac.is_some()
        || [host.os_ip, host.me_ip]
            .iter()
            .flatten()
            .any(|ip| !ip.is_unspecified())
}

/// Record a problem at a 1-based line and column.
pub fn problem(parsed: &mut Parsed, path: &Path, line: usize, column: usize, message: String) {
    parsed.problem(Origin::new(path, line.max(1)), column.max(1), message);
}

/// Where `needle` first occurs in `text` at or after byte `from`, as a 1-based line/column;
/// `fallback` when it does not occur.
pub fn locate(text: &str, from: usize, needle: &str, fallback: (usize, usize)) -> (usize, usize) {
    let from = from.min(text.len());
    match text.get(from..).and_then(|rest| rest.find(needle)) {
        Some(i) if !needle.is_empty() => crate::source::line_col_in(text, from + i),
        _ => fallback,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_are_normalised() {
        assert_eq!(
            mac("8C-EC-4B-12-34-56").as_deref(),
            Some("8c:ec:4b:12:34:56")
        );
        assert_eq!(
            mac(" 8c:ec:4b:12:34:56 ").as_deref(),
            Some("8c:ec:4b:12:34:56")
        );
        assert_eq!(mac("8cec.4b12.3456").as_deref(), Some("8c:ec:4b:12:34:56"));
        assert_eq!(mac("8CEC4B123456").as_deref(), Some("8c:ec:4b:12:34:56"));
        assert_eq!(mac("8C-EC-4B-12-34"), None);
        assert_eq!(mac("zz-EC-4B-12-34-56"), None);
        assert_eq!(mac("00-01-00-01-2B-3C-4D-5E-8C-EC-4B-12-34-56"), None);
        assert!(is_zero_mac("00:00:00:00:00:00"));
        assert!(!is_zero_mac("00:00:00:00:00:01"));
    }

    #[test]
    fn addresses_keep_zero_and_reject_garbage() {
        assert_eq!(ipv4("0.0.0.0"), Ok(Some(Ipv4Addr::UNSPECIFIED)));
        assert_eq!(
            ipv4(" 10.1.4.20/24 "),
            Ok(Some(Ipv4Addr::new(10, 1, 4, 20)))
        );
        assert_eq!(ipv4("Not Found"), Ok(None));
        assert_eq!(ipv4(""), Ok(None));
        assert!(ipv4("10.1.4.300").is_err());
        assert!(ipv4("fe80::1").is_err());
    }

    #[test]
    fn ras_in_every_generation() {
        assert_eq!(ras("direct"), Some(Ras::Direct));
        assert_eq!(ras("direct (LAN)"), Some(Ras::Direct));
        assert_eq!(ras("vpn"), Some(Ras::Vpn));
        assert_eq!(ras("outside enterprise"), Some(Ras::Outside));
        assert_eq!(ras("Outside Enterprise (CIRA)"), Some(Ras::Outside));
        assert_eq!(ras("3"), Some(Ras::Unknown));
        assert_eq!(ras("unknown"), Some(Ras::Unknown));
        assert_eq!(ras("Inside Enterprise"), Some(Ras::Direct));
        assert_eq!(
            ras("Inside Corporate Environment, outside Enterprise"),
            Some(Ras::Vpn)
        );
        assert_eq!(ras("sideways"), None);
        assert_eq!(ras("7"), None);
    }

    #[test]
    fn control_characters_never_survive() {
        assert_eq!(text("  ws\u{7}-01\u{1b}\r "), Some("ws-01".into()));
        assert_eq!(text("\u{0}\u{8}"), None);
        assert_eq!(suffix("company.com.\r"), Some("company.com".into()));
        assert_eq!(
            dns_suffix(" berlin.company.com. "),
            Ok(Some("berlin.company.com".into()))
        );
        assert_eq!(
            dns_suffix("lokaledomäne.local"),
            Ok(Some("lokaledomäne.local".into()))
        );
        assert_eq!(dns_suffix(""), Ok(None));
        assert!(dns_suffix("company com").is_err());
        assert!(dns_suffix("company..com").is_err());
        assert!(dns_suffix("company.com,lab.company.com").is_err());
    }
}

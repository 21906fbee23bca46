//! Helpers shared by the observation readers' tests (dhcpd, dnsmasq, Kea, Windows DHCP, amtinfo,
//! ipconfig, SCS discovery, CSV inventory), and the one table of samples every sniffer is
//! checked against, so each reader is shown every format it must leave to another.

use super::model::{Host, Origin, Parsed};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

/// `(name, text)` of a file under `tests/fixtures`, named by its path there.
macro_rules! fixture {
    ($name:literal) => {
        ($name, include_str!(concat!("../../tests/fixtures/", $name)))
    };
}

/// `(name, text)` of a shipped profile under `profiles`.
macro_rules! profile {
    ($name:literal) => {
        (
            concat!("profiles/", $name),
            include_str!(concat!("../../profiles/", $name)),
        )
    };
}

/// The folder of the DHCP server fixtures (`tests/fixtures/dhcp`), for paths that must name a
/// real file (includes are read relative to it).
pub fn dhcp_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dhcp")
}

/// A sample a sniffer is tested with: its name, the name of the reader that owns it (`None`: no
/// reader does) and its text.
pub type Sample = (&'static str, Option<&'static str>, &'static str);

/// Every sample the readers are tested with, each with its owner: the readers' own fixtures,
/// everything under `tests/fixtures/dhcp/foreign` and `tests/fixtures/agents/foreign` (other
/// formats written to look like the neighbours of each reader), the shipped profiles, an empty
/// file and binary garbage.
pub fn samples() -> Vec<Sample> {
    let owned =
        |kind: &'static str, (name, text): (&'static str, &'static str)| (name, Some(kind), text);
    let unowned = |(name, text): (&'static str, &'static str)| (name, None, text);
    vec![
        owned("amtinfo", fixture!("agents/amtinfo-tabs.txt")),
        owned("amtinfo", fixture!("agents/amtinfo-styled.txt")),
        owned("amtinfo", fixture!("agents/amtinfo-table.txt")),
        owned("amtinfo", fixture!("agents/amtinfo-legacy-c.txt")),
        owned("amtinfo", fixture!("agents/meshcmd-amtinfo.txt")),
        owned("amtinfo", fixture!("agents/amtinfo.json")),
        owned("amtinfo", fixture!("agents/amtinfo-labels.json")),
        owned("amtinfo", fixture!("agents/amtinfo-old-wireless.txt")),
        owned("ipconfig", fixture!("agents/ipconfig-all.txt")),
        owned("ipconfig", fixture!("agents/ipconfig-de.txt")),
        owned("ipconfig", fixture!("agents/ipconfig-fr.txt")),
        owned("ipconfig", fixture!("agents/ipconfig-dock.txt")),
        owned("ipconfig", fixture!("agents/ipconfig-zh-CN.txt")),
        owned("ipconfig", fixture!("agents/ipconfig-ja.txt")),
        owned("ipconfig", fixture!("agents/ipconfig-ru.txt")),
        owned("ipconfig", fixture!("agents/ipconfig-es.txt")),
        owned("ipconfig", fixture!("agents/ipconfig-ko.txt")),
        owned("discovery", fixture!("agents/discovery.xml")),
        // Claimed only under the custom mapping its own tests configure.
        unowned(fixture!("agents/discovery-custom.xml")),
        owned("csv", fixture!("agents/inventory.csv")),
        owned("csv", fixture!("agents/inventory-semicolon.csv")),
        owned("windows-dhcp", fixture!("agents/foreign/dhcp-export.xml")),
        owned("dhcpd", fixture!("agents/foreign/dhcpd.conf")),
        owned("dnsmasq", fixture!("agents/foreign/dnsmasq.conf")),
        owned("kea", fixture!("agents/foreign/kea-dhcp4.conf")),
        owned("windows-dhcp", fixture!("agents/foreign/netsh-dump.txt")),
        owned("dhcpd", fixture!("dhcp/dhcpd.conf")),
        owned("dhcpd", fixture!("dhcp/sites/branch.conf")),
        owned("dnsmasq", fixture!("dhcp/dnsmasq.conf")),
        owned("dnsmasq", fixture!("dhcp/dnsmasq.d/10-guest.conf")),
        owned("kea", fixture!("dhcp/kea-dhcp4.conf")),
        // A Kea include: a list of subnets, not a configuration of its own.
        unowned(fixture!("dhcp/subnets.json")),
        owned("windows-dhcp", fixture!("dhcp/netsh-dump.txt")),
        owned("windows-dhcp", fixture!("dhcp/netsh-dump-de.txt")),
        owned("windows-dhcp", fixture!("dhcp/export-dhcpserver.xml")),
        owned("amtinfo", fixture!("dhcp/foreign/amtinfo.txt")),
        // A client's lease file: dhcpd.conf syntax, but no server configuration.
        unowned(fixture!("dhcp/foreign/dhclient.leases")),
        owned("windows-dhcp", fixture!("dhcp/foreign/dhcp-export.xml")),
        owned("dhcpd", fixture!("dhcp/foreign/dhcpd.conf")),
        owned("dnsmasq", fixture!("dhcp/foreign/dnsmasq.conf")),
        owned("csv", fixture!("dhcp/foreign/inventory.csv")),
        owned("ipconfig", fixture!("dhcp/foreign/ipconfig-all.txt")),
        owned("kea", fixture!("dhcp/foreign/kea-dhcp4.conf")),
        owned("windows-dhcp", fixture!("dhcp/foreign/netsh-dump.txt")),
        owned("snapshot", fixture!("dhcp/foreign/observed.toml")),
        owned("discovery", fixture!("dhcp/foreign/scs-discovery.xml")),
        owned("snapshot", profile!("observed.toml")),
        unowned(profile!("scs/hq-standard.xml")),
        unowned(profile!("wsman/hq-desktop.xml")),
        unowned(profile!("meshcentral/config.json")),
        unowned(("empty", "")),
        unowned(("garbage", "\u{0}\u{1}PK\u{3}\u{4}\u{fffd}\u{fffd}binary")),
    ]
}

/// Assert that `sniff` claims exactly the samples `owner` owns and no other.
pub fn assert_claims_only(owner: &str, sniff: impl Fn(&str) -> bool) {
    for (name, who, text) in samples() {
        assert_eq!(sniff(text), who == Some(owner), "sniffing {name}");
    }
}

/// The one host a report was read as; fails unless exactly one was.
pub fn only_host(parsed: &Parsed) -> &Host {
    assert_eq!(parsed.hosts.len(), 1, "{parsed:?}");
    &parsed.hosts[0]
}

/// `Some` IPv4 address, to compare with a host's optional addresses.
pub fn ip(s: &str) -> Option<Ipv4Addr> {
    Some(s.parse().unwrap())
}

/// (line, column) of every problem.
pub fn positions(parsed: &Parsed) -> Vec<(usize, usize)> {
    parsed
        .problems
        .iter()
        .map(|p| (p.origin.line, p.column))
        .collect()
}

/// (line, column, message) of every problem.
pub fn problems(parsed: &Parsed) -> Vec<(usize, usize, &str)> {
    parsed
        .problems
        .iter()
        .map(|p| (p.origin.line, p.column, p.message.as_str()))
        .collect()
}

/// The file name an origin points into (empty for a path without one).
pub fn file_name(origin: &Origin) -> String {
    origin
        .path
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned())
}

/// `file:line:column message` per problem.
pub fn problem_lines(p: &Parsed) -> Vec<String> {
    p.problems
        .iter()
        .map(|x| {
            let file = file_name(&x.origin);
            format!("{file}:{}:{} {}", x.origin.line, x.column, x.message)
        })
        .collect()
}

/// `name | suffix | ranges | file:line` per scope, `-` for no suffix.
pub fn summary(p: &Parsed) -> Vec<String> {
    p.scopes
        .iter()
        .map(|s| {
            let ranges: Vec<String> = s.ranges.iter().map(|r| r.to_string()).collect();
            format!(
                "{} | {} | {} | {}:{}",
                s.name,
                s.suffix.as_deref().unwrap_or("-"),
                ranges.join(" "),
                file_name(&s.origin),
                s.origin.line
            )
        })
        .collect()
}

/// Write `bytes` to `dir/name`, creating the folders between, and give the file's path.
pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Read the file at `path` (UTF-8) with a reader's `parse`.
pub fn parse_file(path: &Path, parse: impl Fn(&Path, &str) -> Parsed) -> Parsed {
    parse(path, &std::fs::read_to_string(path).unwrap())
}

/// The text as Windows PowerShell writes it: UTF-16 with a byte-order mark.
pub fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        if little_endian {
            bytes.extend(unit.to_le_bytes());
        } else {
            bytes.extend(unit.to_be_bytes());
        }
    }
    bytes
}

/// 300 texts of 60 `pieces` each, drawn by a xorshift generator started at `seed`: the same
/// texts on every run.
pub fn random_texts(pieces: &[&str], mut seed: u64) -> Vec<String> {
    (0..300)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..60 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            text
        })
        .collect()
}

/// The prefixes of `text` that end on every `step`-th character boundary, from the empty one;
/// the whole text is among them when its length in characters is a multiple of `step`.
pub fn prefixes(text: &str, step: usize) -> impl Iterator<Item = &str> {
    (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .step_by(step)
        .map(|i| &text[..i])
}

/// Read every `step`-th prefix (see [`prefixes`]) of every sample with an agent reader's `read`:
/// none may panic or give more than one host.
pub fn assert_every_prefix_reads(step: usize, read: impl Fn(&str) -> Parsed) {
    for (name, _, text) in samples() {
        for prefix in prefixes(text, step) {
            let parsed = read(prefix);
            assert!(parsed.hosts.len() <= 1, "{name} cut at {}", prefix.len());
        }
    }
}

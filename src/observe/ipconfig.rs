//! Windows `ipconfig /all` reports, one device per file: the host block (host name, primary DNS
//! suffix), then one block per adapter. Only the chosen adapter's connection-specific suffix is
//! an option 15 observation; the primary suffix is kept apart. Labels are matched by meaning in
//! any of the languages [`languages`] knows, whatever their padding: dot leaders, full-width
//! colons, non-breaking spaces and CRLF line ends.

mod languages;

use super::agent_fields as fields;
use super::model::{Host, Origin, Parsed};
use super::reader::{self, Reading};
use languages::{AdapterKind, Label};
use std::net::Ipv4Addr;
use std::path::Path;

/// Label lines are indented a few spaces; continuation lines (more DNS servers, more search
/// suffixes) are aligned with the value column, far to the right.
const CONTINUATION_INDENT: usize = 16;

/// Words in an adapter's name or description that mark it as virtual.
const VIRTUAL_WORDS: &[&str] = &[
    "hyper",
    "vethernet",
    "virtualbox",
    "vmware",
    "virtual",
    "tap",
    "loopback",
    "bluetooth",
    "miniport",
    "teredo",
    "isatap",
    "6to4",
];

/// This source kind, for `sources::READERS`.
pub static READER: reader::Reader = reader::Reader {
    name: "ipconfig",
    describe: "ipconfig /all report",
    dhcp_server: false,
    sniff: |text, _| sniff(text),
    read: |source, _| Reading::Parsed(parse(&source.path, &source.text)),
};

/// True for `ipconfig /all` output: its header line, or at least two dot-padded ipconfig labels.
pub fn sniff(text: &str) -> bool {
    let head = crate::source::sniff_head(text);
    let mut seen: Vec<Label> = Vec::new();
    for line in head.lines() {
        if languages::is_header(line) {
            return true;
        }
        if let Some(split) = split_label(line)
            && split.dotted()
            && let Some(label) = split.label
            && !seen.contains(&label)
        {
            seen.push(label);
        }
    }
    seen.len() >= 2
}

/// Read one `ipconfig /all` report into at most one host, choosing the adapter as
/// [`parse_with_mac`] does without an ME MAC.
pub fn parse(path: &Path, text: &str) -> Parsed {
    parse_with_mac(path, text, None)
}

/// Read one `ipconfig /all` report. The adapter taken is, in order: the connected adapter with
/// the ME's MAC and an IPv4 address; the first connected physical Ethernet adapter with an IPv4
/// address; the first connected physical wireless one; the first connected physical adapter of
/// any other kind (PPP, VPN); the first connected virtual one.
pub fn parse_with_mac(path: &Path, text: &str, me_mac: Option<&str>) -> Parsed {
    let mut parsed = Parsed::default();
    let report = read(path, text, &mut parsed);
    if report.is_empty() {
        let line = report.first_line.unwrap_or(1);
        let message = "no `ipconfig /all` content found (no `Windows IP Configuration` header, host block or adapter block); file not read";
        fields::problem(&mut parsed, path, line, 1, message.into());
        return parsed;
    }
    let me_mac = me_mac.and_then(fields::mac);
    if let Some(host) = build_host(path, &report, me_mac.as_deref(), &mut parsed) {
        parsed.hosts.push(host);
    }
    parsed
}

/// A `Label . . . : value` line taken apart.
struct Split<'a> {
    /// What the label means; `None` for labels scslint does not read.
    label: Option<Label>,
    /// The label as written, padding and all.
    left: &'a str,
    /// Byte offset of the value in the line.
    at: usize,
    value: &'a str,
}

/// Split at the first full-width colon, or the first colon followed by white space or the line
/// end (IPv6 addresses and lease times hold colons too, but never one followed by a space).
fn split_label(line: &str) -> Option<Split<'_>> {
    let mut chars = line.char_indices().peekable();
    let (colon, after) = loop {
        let (i, c) = chars.next()?;
        let full_width = c == '\u{ff1a}';
        if full_width || (c == ':' && chars.peek().is_none_or(|(_, n)| n.is_whitespace())) {
            break (i, i + c.len_utf8());
        }
    };
    let left = line.get(..colon)?;
    let rest = line.get(after..).unwrap_or("");
    let lead = rest.len() - rest.trim_start().len();
    Some(Split {
        label: languages::label(left),
        left,
        at: after + lead,
        value: rest.trim(),
    })
}

impl Split<'_> {
    /// The label was padded with dot leaders, as ipconfig pads it (`Host Name . . . . `,
    /// `Description. . . `); `Host Name` is not.
    fn dotted(&self) -> bool {
        let plain: String = self
            .left
            .chars()
            .map(|c| match c {
                '\u{ff0e}' => '.',
                c if c.is_whitespace() => ' ',
                c => c,
            })
            .collect();
        let plain = plain.trim_end();
        plain.contains(". .") || plain.ends_with(" .")
    }
}

/// One adapter block, its values already checked.
#[derive(Debug, Default)]
struct Adapter {
    name: String,
    kind: AdapterKind,
    description: Option<String>,
    mac: Option<String>,
    disconnected: bool,
    suffix: Option<String>,
    dhcp: Option<bool>,
    ipv4: Option<Ipv4Addr>,
}

impl Adapter {
    fn new(header: &str) -> Adapter {
        let name = header
            .trim()
            .trim_end_matches([':', '\u{ff1a}'])
            .trim()
            .to_owned();
        Adapter {
            kind: languages::adapter_kind(&name),
            name,
            ..Adapter::default()
        }
    }

    fn is_physical(&self, kind: AdapterKind) -> bool {
        self.kind == kind && !self.is_virtual()
    }

    fn is_virtual(&self) -> bool {
        let words = format!(
            "{} {}",
            self.name,
            self.description.as_deref().unwrap_or("")
        );
        words
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| VIRTUAL_WORDS.contains(&w))
    }

    /// Connected, with an address DHCP or an administrator gave (not link-local).
    fn usable(&self) -> bool {
        !self.disconnected
            && self
                .ipv4
                .is_some_and(|ip| !ip.is_link_local() && !ip.is_unspecified())
    }
}

#[derive(Debug, Default)]
struct Report {
    first_line: Option<usize>,
    header_line: Option<usize>,
    last_line: usize,
    host_block_seen: bool,
    hostname: Option<String>,
    primary_suffix: Option<String>,
    adapters: Vec<Adapter>,
}

impl Report {
    fn is_empty(&self) -> bool {
        self.header_line.is_none() && !self.host_block_seen && self.adapters.is_empty()
    }

    fn start_line(&self) -> usize {
        self.header_line.or(self.first_line).unwrap_or(1)
    }
}

fn read(path: &Path, text: &str, parsed: &mut Parsed) -> Report {
    let mut report = Report::default();
    for (i, raw) in text.split('\n').enumerate() {
        let number = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let line = if i == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        if line.trim().is_empty() {
            continue;
        }
        report.first_line.get_or_insert(number);
        if languages::is_header(line) {
            if report.header_line.is_some() {
                let message = "a second `ipconfig /all` report starts here; one device per file, so the rest of the file is not read";
                fields::problem(parsed, path, number, 1, message.into());
                break;
            }
            report.header_line = Some(number);
            report.last_line = number;
            continue;
        }
        report.last_line = number;
        let indent = line.chars().take_while(|c| c.is_whitespace()).count();
        if indent == 0 {
            if line.trim_end().ends_with([':', '\u{ff1a}']) {
                report.adapters.push(Adapter::new(line));
            }
            continue;
        }
        if indent >= CONTINUATION_INDENT {
            continue;
        }
        if let Some(split) = split_label(line)
            && let Some(label) = split.label
        {
            let column = line.get(..split.at).map_or(1, |s| s.chars().count() + 1);
            let value = Value {
                text: if is_masked(split.value) {
                    ""
                } else {
                    split.value
                },
                line: number,
                column,
            };
            read_value(path, &mut report, label, &value, parsed);
        }
    }
    report
}

/// A value someone masked before sharing the report (`***`, `EE-28-**-**-**-**`): read as
/// absent, not as a broken value.
fn is_masked(value: &str) -> bool {
    value.contains("**")
}

/// A value as written with its 1-based position.
struct Value<'a> {
    text: &'a str,
    line: usize,
    column: usize,
}

impl Value<'_> {
    /// Check the value; a failure becomes a problem here and the field stays empty.
    fn check<T>(
        &self,
        parsed: &mut Parsed,
        path: &Path,
        what: &str,
        check: impl Fn(&str) -> Result<Option<T>, String>,
    ) -> Option<T> {
        match check(self.text) {
            Ok(v) => v,
            Err(why) => {
                let message = format!("{why}; {what} ignored");
                fields::problem(parsed, path, self.line, self.column, message);
                None
            }
        }
    }
}

fn read_value(path: &Path, report: &mut Report, label: Label, value: &Value, parsed: &mut Parsed) {
    if label.in_host_block() {
        if !report.adapters.is_empty() {
            return;
        }
        report.host_block_seen = true;
        match label {
            Label::HostName => report.hostname = fields::text(value.text),
            Label::PrimarySuffix => {
                report.primary_suffix =
                    value.check(parsed, path, "Primary Dns Suffix", fields::dns_suffix);
            }
            _ => {}
        }
        return;
    }
    let Some(adapter) = report.adapters.last_mut() else {
        return;
    };
    let name = adapter.name.clone();
    let what = |field: &str| format!("{field} of `{name}`");
    match label {
        Label::MediaState => adapter.disconnected = fields::link(value.text) != Some(true),
        Label::ConnectionSuffix => {
            adapter.suffix = value.check(
                parsed,
                path,
                &what("connection-specific DNS suffix"),
                fields::dns_suffix,
            );
        }
        Label::Description => adapter.description = fields::text(value.text),
        Label::PhysicalAddress => {
            adapter.mac = value.check(parsed, path, &what("physical address"), physical_address);
        }
        Label::DhcpEnabled => {
            adapter.dhcp = value.check(parsed, path, &what("DHCP Enabled"), yes_no);
        }
        Label::Ipv4 | Label::AutoIpv4 => {
            let address = value.check(parsed, path, &what("IPv4 address"), address);
            if adapter.ipv4.is_none() {
                adapter.ipv4 = address;
            }
        }
        Label::HostName
        | Label::PrimarySuffix
        | Label::SearchList
        | Label::SubnetMask
        | Label::DefaultGateway
        | Label::DhcpServer => {}
    }
}

/// `10.1.4.20(Preferred)`, `10.1.4.20(Bevorzugt)`, `10.1.4.20(首选)`, `10.1.4.20 (기본 설정)`:
/// the address without its state, in whatever language and parentheses.
fn address(raw: &str) -> Result<Option<Ipv4Addr>, String> {
    let bare = raw.split(['(', '\u{ff08}']).next().unwrap_or(raw);
    fields::ipv4(bare)
}

/// A six-byte MAC; the longer hardware addresses of tunnel adapters
/// (`00-00-00-00-00-00-00-E0`) are not MACs and are passed over quietly.
fn physical_address(raw: &str) -> Result<Option<String>, String> {
    let Some(t) = fields::text(raw) else {
        return Ok(None);
    };
    if let Some(mac) = fields::mac(&t) {
        return Ok(Some(mac));
    }
    let pairs: Vec<&str> = t.split('-').collect();
    let longer = pairs.len() > 6
        && pairs
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()));
    if longer {
        Ok(None)
    } else {
        Err(format!("`{t}` is not a MAC address"))
    }
}

fn yes_no(raw: &str) -> Result<Option<bool>, String> {
    let Some(t) = fields::text(raw) else {
        return Ok(None);
    };
    languages::yes_no(&t)
        .or_else(|| fields::boolean(&t))
        .map(Some)
        .ok_or_else(|| format!("`{t}` is not Yes or No"))
}

/// The adapter whose option 15 the host received; see [`parse_with_mac`].
fn choose<'a>(adapters: &'a [Adapter], me_mac: Option<&str>) -> Option<&'a Adapter> {
    let usable = || adapters.iter().filter(|a| a.usable());
    usable()
        .find(|a| me_mac.is_some() && a.mac.as_deref() == me_mac)
        .or_else(|| usable().find(|a| a.is_physical(AdapterKind::Ethernet)))
        .or_else(|| usable().find(|a| a.is_physical(AdapterKind::Wireless)))
        .or_else(|| usable().find(|a| !a.is_virtual()))
        .or_else(|| usable().next())
}

/// When no adapter is usable: the one that still names the device (the ME's, else the first
/// physical Ethernet adapter).
fn fallback<'a>(adapters: &'a [Adapter], me_mac: Option<&str>) -> Option<&'a Adapter> {
    adapters
        .iter()
        .find(|a| me_mac.is_some() && a.mac.as_deref() == me_mac)
        .or_else(|| {
            adapters
                .iter()
                .find(|a| a.is_physical(AdapterKind::Ethernet))
        })
}

fn build_host(
    path: &Path,
    report: &Report,
    me_mac: Option<&str>,
    parsed: &mut Parsed,
) -> Option<Host> {
    let start = report.start_line();
    let mut host = Host {
        origin: Some(Origin::new(path, start)),
        hostname: report.hostname.clone(),
        primary_suffix: report.primary_suffix.clone(),
        ..Host::default()
    };
    if let Some(adapter) = choose(&report.adapters, me_mac) {
        host.os_ip = adapter.ipv4;
        host.mac = adapter.mac.clone();
        host.suffix = adapter.suffix.clone();
        host.link_up = Some(true);
        host.os_dhcp = adapter.dhcp;
    } else if report.adapters.is_empty() {
        let message = "report ends after the host block, with no adapter blocks (file cut short?); no address or connection-specific suffix read";
        fields::problem(parsed, path, report.last_line, 1, message.into());
    } else {
        if let Some(adapter) = fallback(&report.adapters, me_mac) {
            host.mac = adapter.mac.clone();
            host.link_up = Some(!adapter.disconnected);
            host.os_dhcp = adapter.dhcp;
        }
        let message = "no adapter is connected with an IPv4 address; the host is recorded without an address or connection-specific suffix";
        fields::problem(parsed, path, start, 1, message.into());
    }
    let named = host.hostname.is_some() || host.os_ip.is_some() || host.mac.is_some();
    if named {
        Some(host)
    } else {
        let message = "report names no device (no host name, IPv4 address or MAC address); not recorded as a host";
        fields::problem(parsed, path, start, 1, message.into());
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::agent_fixtures as fx;
    use crate::observe::model::FqdnSource;
    use crate::observe::reader_tests::{
        assert_claims_only, assert_every_prefix_reads, ip, only_host, positions, utf16,
    };

    fn read(text: &str) -> Parsed {
        parse(Path::new("reports/ipconfig.txt"), text)
    }

    #[test]
    fn english_report_takes_the_connected_physical_ethernet() {
        let parsed = read(fx::IPCONFIG);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let expected = Host {
            origin: Some(Origin::new("reports/ipconfig.txt", 2)),
            hostname: Some("WS-0142".into()),
            fqdn: None,
            os_ip: ip("192.168.0.102"),
            me_ip: None,
            mac: Some("8c:ec:4b:12:34:56".into()),
            suffix: Some("vprodemo.com".into()),
            primary_suffix: Some("ad.company.local".into()),
            me_suffix: None,
            ras: None,
            link_up: Some(true),
            os_dhcp: Some(true),
            me_dhcp: None,
            amt_version: None,
            control_mode: None,
            site: None,
        };
        assert_eq!(only_host(&parsed), &expected);
    }

    #[test]
    fn german_report_skips_hyper_v_and_prefers_wired_over_wlan() {
        let parsed = read(fx::IPCONFIG_DE);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.origin, Some(Origin::new("reports/ipconfig.txt", 2)));
        assert_eq!(host.hostname.as_deref(), Some("WS-0501"));
        assert_eq!(host.primary_suffix.as_deref(), Some("ad.example.de"));
        assert_eq!(host.suffix.as_deref(), Some("corp.example.de"));
        // The device FQDN takes the primary suffix, never option 15.
        assert_eq!(
            host.device_fqdn(&FqdnSource::default()).as_deref(),
            Some("WS-0501.ad.example.de")
        );
        assert_eq!(host.os_ip, ip("10.20.1.5"));
        assert_eq!(host.mac.as_deref(), Some("64:4e:d7:0a:0b:0c"));
        assert_eq!((host.link_up, host.os_dhcp), (Some(true), Some(true)));
    }

    #[test]
    fn french_laptop_falls_back_to_the_connected_wifi() {
        let parsed = read(fx::IPCONFIG_FR);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.hostname.as_deref(), Some("LYO-LT-0087"));
        assert_eq!(host.primary_suffix.as_deref(), Some("ad.company.local"));
        // Not the disconnected Ethernet's stale lyon.company.com, not VMware's address.
        assert_eq!(host.suffix.as_deref(), Some("wifi.company.com"));
        assert_eq!(host.os_ip, ip("10.33.48.99"));
        assert_eq!(host.mac.as_deref(), Some("8c:8c:aa:10:20:31"));
        assert_eq!((host.link_up, host.os_dhcp), (Some(true), Some(true)));
    }

    #[test]
    fn the_me_mac_picks_the_onboard_adapter_on_a_dock() {
        let path = Path::new("reports/ipconfig.txt");
        let parsed = parse(path, fx::IPCONFIG_DOCK);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.suffix.as_deref(), Some("lab.company.com"));
        assert_eq!(host.os_ip, ip("10.9.0.44"));
        assert_eq!(host.primary_suffix.as_deref(), Some("company.com"));

        let parsed = parse_with_mac(path, fx::IPCONFIG_DOCK, Some("3C:52:82:6A:0B:1C"));
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.suffix.as_deref(), Some("paris.company.com"));
        assert_eq!(
            host.device_fqdn(&FqdnSource::default()).as_deref(),
            Some("PAR-WS-0310.company.com")
        );
        assert_eq!(host.os_ip, ip("10.3.8.41"));
        assert_eq!(host.mac.as_deref(), Some("3c:52:82:6a:0b:1c"));
        assert_eq!(host.os_dhcp, Some(false));

        // A MAC no adapter has changes nothing.
        let parsed = parse_with_mac(path, fx::IPCONFIG_DOCK, Some("00:11:22:33:44:55"));
        assert_eq!(
            only_host(&parsed).suffix.as_deref(),
            Some("lab.company.com")
        );
    }

    #[test]
    fn a_virtual_adapter_is_taken_when_it_is_the_only_connected_one() {
        let text = "Windows IP Configuration\n\n   Host Name . . . . . . . . . . . . : HV-01\n\nEthernet adapter Ethernet:\n\n   Description . . . . . . . . . . . : Intel(R) I350 Gigabit Network Connection\n   Physical Address. . . . . . . . . : 00-1B-21-AA-BB-CC\n\nEthernet adapter vEthernet (External):\n\n   Connection-specific DNS Suffix  . : company.com\n   Description . . . . . . . . . . . : Hyper-V Virtual Ethernet Adapter\n   Physical Address. . . . . . . . . : 00-1B-21-AA-BB-CC\n   IPv4 Address. . . . . . . . . . . : 10.1.4.5(Preferred)\n";
        let parsed = read(text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(
            (host.suffix.as_deref(), host.os_ip),
            (Some("company.com"), ip("10.1.4.5"))
        );
    }

    #[test]
    fn windows_xp_labels_and_indentation() {
        let text = "\r\nWindows IP Configuration\r\n\r\n        Host Name . . . . . . . . . . . . : dell01\r\n        Primary Dns Suffix  . . . . . . . :\r\n\r\nEthernet adapter Local Area Connection:\r\n\r\n        Connection-specific DNS Suffix  . : branch.company.com\r\n        Description . . . . . . . . . . . : Broadcom 440x 10/100 Integrated Cont\r\nroller\r\n        Physical Address. . . . . . . . . : 00-0D-56-51-C7-8B\r\n        Dhcp Enabled. . . . . . . . . . . : Yes\r\n        IP Address. . . . . . . . . . . . : 10.7.1.23\r\n";
        let parsed = read(text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.primary_suffix, None);
        assert_eq!(
            host.device_fqdn(&FqdnSource::default()),
            None,
            "option 15 alone makes no device FQDN"
        );
        assert_eq!((host.os_ip, host.os_dhcp), (ip("10.7.1.23"), Some(true)));
    }

    #[test]
    fn truncated_after_the_host_block_is_a_problem_but_still_a_host() {
        let cut = fx::IPCONFIG.find("Ethernet adapter VirtualBox").unwrap();
        let parsed = read(&fx::IPCONFIG[..cut]);
        assert_eq!(positions(&parsed), [(10, 1)]);
        assert!(parsed.problems[0].message.contains("cut short"));
        let host = only_host(&parsed);
        assert_eq!(host.hostname.as_deref(), Some("WS-0142"));
        assert_eq!(host.primary_suffix.as_deref(), Some("ad.company.local"));
        assert_eq!((host.suffix.as_deref(), host.fqdn.as_deref()), (None, None));
    }

    #[test]
    fn truncated_inside_an_adapter_keeps_what_came_before() {
        // Cut inside the Ethernet adapter's address: the adapter has no IPv4 address yet, so the
        // VirtualBox adapter is the only connected one left.
        let cut = fx::IPCONFIG.find("192.168.0.1").unwrap() + "192.168.0.1".len();
        let parsed = read(&fx::IPCONFIG[..cut]);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.os_ip, ip("192.168.0.1"));
        assert_eq!(host.suffix.as_deref(), Some("vprodemo.com"));
    }

    #[test]
    fn garbage_and_binary_are_one_problem_and_no_host() {
        for text in [
            "\u{0}\u{1}PK\u{3}\u{4}\u{fffd}\u{fffd}binary",
            "just some words\nand more words\n",
            "{\"Dhcp4\": {}}",
        ] {
            let parsed = read(text);
            assert!(parsed.hosts.is_empty(), "{text:?}");
            assert_eq!(positions(&parsed), [(1, 1)], "{text:?}");
            assert!(parsed.problems[0].message.contains("not read"));
        }
    }

    #[test]
    fn every_prefix_of_every_sample_reads_without_panicking() {
        assert_every_prefix_reads(5, read);
    }

    #[test]
    fn no_connected_adapter_is_noted_and_the_wired_mac_kept() {
        let text = "Windows IP Configuration\n\n   Host Name . . . . . . . . . . . . : WS-0142\n\nEthernet adapter Ethernet:\n\n   Media State . . . . . . . . . . . : Media disconnected\n   Connection-specific DNS Suffix  . : company.com\n   Physical Address. . . . . . . . . : 8C-EC-4B-12-34-56\n   DHCP Enabled. . . . . . . . . . . : Yes\n\nWireless LAN adapter Wi-Fi:\n\n   Media State . . . . . . . . . . . : Media disconnected\n   Physical Address. . . . . . . . . : 9C-B6-D0-AA-BB-CC\n";
        let parsed = read(text);
        assert_eq!(positions(&parsed), [(1, 1)]);
        assert!(
            parsed.problems[0]
                .message
                .contains("no adapter is connected")
        );
        let host = only_host(&parsed);
        assert_eq!(host.mac.as_deref(), Some("8c:ec:4b:12:34:56"));
        assert_eq!((host.link_up, host.os_dhcp), (Some(false), Some(true)));
        // The disconnected adapter's suffix is stale, not an observation.
        assert_eq!((host.suffix.as_deref(), host.os_ip), (None, None));
    }

    #[test]
    fn link_local_only_counts_as_not_connected() {
        let text = "Windows IP Configuration\n\n   Host Name . . . . . . . . . . . . : WS-9\n\nEthernet adapter Ethernet:\n\n   Physical Address. . . . . . . . . : 8C-EC-4B-12-34-56\n   Autoconfiguration IPv4 Address. . : 169.254.12.7(Preferred)\n";
        let parsed = read(text);
        assert_eq!(positions(&parsed), [(1, 1)]);
        let host = only_host(&parsed);
        assert_eq!((host.os_ip, host.link_up), (None, Some(true)));
    }

    #[test]
    fn bad_addresses_are_problems_at_their_values() {
        let text = fx::IPCONFIG
            .replacen("192.168.56.1(Preferred)", "192.168.56.300(Preferred)", 1)
            .replacen("0A-00-27-00-00-0C", "0A-00-27-00-0C", 1)
            .replacen("Yes\r\n   Autoconfiguration Enabled . . . . : Yes\r\n   Link-local IPv6 Address . . . . . : fe80::1c2d", "Maybe\r\n   Autoconfiguration Enabled . . . . : Yes\r\n   Link-local IPv6 Address . . . . . : fe80::1c2d", 1);
        let parsed = read(&text);
        assert_eq!(positions(&parsed), [(16, 40), (20, 40), (44, 40)]);
        assert!(parsed.problems[0].message.ends_with(
            "physical address of `Ethernet adapter VirtualBox Host-Only Network` ignored"
        ));
        assert!(parsed.problems[1].message.contains("`192.168.56.300`"));
        assert!(
            parsed.problems[2]
                .message
                .contains("`Maybe` is not Yes or No")
        );
        let host = only_host(&parsed);
        assert_eq!(host.os_ip, ip("192.168.0.102"));
        assert_eq!(host.os_dhcp, None);
    }

    #[test]
    fn a_host_without_suffix_is_still_a_host() {
        let text = fx::IPCONFIG.replacen("DNS Suffix  . : vprodemo.com", "DNS Suffix  . :", 1);
        let parsed = read(&text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!((host.suffix.as_deref(), host.fqdn.as_deref()), (None, None));
        assert_eq!(host.primary_suffix.as_deref(), Some("ad.company.local"));
    }

    #[test]
    fn garbled_suffix_is_a_problem() {
        let text = fx::IPCONFIG.replacen(
            "DNS Suffix  . : vprodemo.com",
            "DNS Suffix  . : vpro demo/com",
            1,
        );
        let parsed = read(&text);
        assert_eq!(positions(&parsed), [(41, 40)]);
        assert_eq!(only_host(&parsed).suffix, None);
    }

    #[test]
    fn a_report_without_identity_is_a_problem_not_a_host() {
        let parsed =
            read("Windows IP Configuration\n\n   Node Type . . . . . . . . . . . . : Hybrid\n");
        assert!(parsed.hosts.is_empty());
        assert_eq!(positions(&parsed), [(3, 1), (1, 1)]);
        assert!(parsed.problems[1].message.contains("names no device"));
    }

    #[test]
    fn a_second_report_in_one_file_is_not_merged() {
        let text = format!("{}{}", fx::IPCONFIG, fx::IPCONFIG_DOCK);
        let parsed = read(&text);
        assert_eq!(positions(&parsed), [(66 + 2, 1)]);
        assert_eq!(only_host(&parsed).hostname.as_deref(), Some("WS-0142"));
    }

    #[test]
    fn a_powershell_utf16_file_reads_once_decoded() {
        let bytes = utf16(fx::IPCONFIG_FR, true);
        let source = crate::source::SourceFile::decode("ipconfig.txt", &bytes).unwrap();
        assert!(sniff(&source.text));
        let parsed = read(&source.text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(only_host(&parsed).hostname.as_deref(), Some("LYO-LT-0087"));
    }

    #[test]
    fn a_leading_bom_is_tolerated() {
        let text = format!("\u{feff}{}", fx::IPCONFIG_DE);
        assert!(sniff(&text));
        assert_eq!(only_host(&read(&text)).hostname.as_deref(), Some("WS-0501"));
    }

    #[test]
    fn sniff_claims_only_ipconfig_reports() {
        assert_claims_only(READER.name, sniff);
        // A report saved without its header line still has the dotted host-block labels.
        let headless = fx::IPCONFIG.replacen("Windows IP Configuration", "", 1);
        assert!(sniff(&headless));
        assert!(!sniff("Host Name: x\nPrimary Dns Suffix: y\n"));
    }
    /// The fields a localised fixture must give, with the adapter's suffix and addresses.
    struct Expected {
        hostname: &'static str,
        primary: &'static str,
        suffix: &'static str,
        ip: &'static str,
        mac: &'static str,
    }

    fn assert_reads(text: &str, want: &Expected) {
        assert!(sniff(text));
        let parsed = read(text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.origin, Some(Origin::new("reports/ipconfig.txt", 2)));
        assert_eq!(host.hostname.as_deref(), Some(want.hostname));
        assert_eq!(host.primary_suffix.as_deref(), Some(want.primary));
        assert_eq!(host.suffix.as_deref(), Some(want.suffix));
        assert_eq!(host.os_ip, ip(want.ip));
        assert_eq!(host.mac.as_deref(), Some(want.mac));
        assert_eq!((host.link_up, host.os_dhcp), (Some(true), Some(true)));
    }

    const ZH_CN: Expected = Expected {
        hostname: "SH-WS-0207",
        primary: "ad.example.cn",
        suffix: "sh.example.cn",
        ip: "10.52.7.41",
        mac: "3c:52:82:4d:5e:6f",
    };

    #[test]
    fn chinese_report_takes_the_ethernet_not_hyper_v_or_the_stale_wlan() {
        assert_reads(fx::IPCONFIG_ZH_CN, &ZH_CN);
    }

    #[test]
    fn japanese_laptop_takes_the_wifi_over_a_vpn_adapter() {
        // The Ethernet is disconnected (its tokyo suffix is stale), VirtualBox is virtual, and the
        // OpenVPN adapter is listed before the Wi-Fi: a wireless adapter beats an unknown one.
        // Two of the Wi-Fi's labels end in full-width colons.
        assert_reads(
            fx::IPCONFIG_JA,
            &Expected {
                hostname: "TKY-NB-1142",
                primary: "corp.example.jp",
                suffix: "wlan.example.jp",
                ip: "10.71.20.33",
                mac: "8c:04:ba:0a:0b:0c",
            },
        );
    }

    #[test]
    fn russian_report_tells_the_gateway_from_the_primary_suffix() {
        assert_reads(
            fx::IPCONFIG_RU,
            &Expected {
                hostname: "MSK-WS-0318",
                primary: "ad.example.ru",
                suffix: "msk.example.ru",
                ip: "10.12.30.18",
                mac: "50:eb:f6:12:34:56",
            },
        );
    }

    #[test]
    fn spanish_report_passes_over_a_label_with_a_colon_inside() {
        assert_reads(
            fx::IPCONFIG_ES,
            &Expected {
                hostname: "MAD-WS-0077",
                primary: "ad.example.es",
                suffix: "wifi.example.es",
                ip: "10.40.8.19",
                mac: "04:6c:59:11:22:33",
            },
        );
    }

    #[test]
    fn korean_report_reads_a_state_with_a_space_after_the_address() {
        assert_reads(
            fx::IPCONFIG_KO,
            &Expected {
                hostname: "SEL-WS-0510",
                primary: "ad.example.kr",
                suffix: "seoul.example.kr",
                ip: "10.8.6.21",
                mac: "f4:f1:9e:10:20:30",
            },
        );
    }

    #[test]
    fn a_disconnected_adapter_stays_disconnected_in_every_language() {
        // Disconnect the one connected adapter of each report: no suffix may be left, least of
        // all the stale one a disconnected adapter still shows.
        let cases = [
            (
                fx::IPCONFIG_ZH_CN,
                "   连接特定的 DNS 后缀 . . . . . . . : sh",
                "   媒体状态  . . . . . . . . . . . . : 媒体已断开连接\r\n",
            ),
            (
                fx::IPCONFIG_RU,
                "   DNS-суффикс подключения . . . . . : msk",
                "   Состояние среды. . . . . . . . : Среда передачи недоступна.\r\n",
            ),
            (
                fx::IPCONFIG_KO,
                "   연결별 DNS 접미사. . . . : seoul",
                "   미디어 상태 . . . . . . . . : 미디어 연결 끊김\n",
            ),
        ];
        for (text, before, media) in cases {
            let at = text.find(before).unwrap();
            let cut = format!("{}{media}{}", &text[..at], &text[at..]);
            let was = only_host(&read(text)).os_ip;
            let parsed = read(&cut);
            let host = only_host(&parsed);
            // Only a virtual adapter without a suffix, or nothing, is left connected.
            assert_eq!(host.suffix, None, "{before}");
            assert_ne!(host.os_ip, was, "{before}");
        }
    }

    #[test]
    fn every_language_reads_a_minimal_report() {
        // header, connection-specific suffix label, IPv4 label with the word for "preferred",
        // Ethernet adapter header, DHCP Enabled label with "yes": as each Windows prints them.
        let languages = [
            (
                "Windows IP Configuration",
                "Connection-specific DNS Suffix  . ",
                "IPv4 Address. . . . . . . . . . . : 10.1.4.20(Preferred)",
                "Ethernet adapter Ethernet",
                "DHCP Enabled. . . . . . . . . . . : Yes",
            ),
            (
                "Windows-IP-Konfiguration",
                "Verbindungsspezifisches DNS-Suffix",
                "IPv4-Adresse  . . . . . . . . . . : 10.1.4.20(Bevorzugt)",
                "Ethernet-Adapter Ethernet",
                "DHCP aktiviert. . . . . . . . . . : Ja",
            ),
            (
                "Configuration IP de Windows",
                "Suffixe DNS propre à la connexion. . . ",
                "Adresse IPv4. . . . . . . . . . . . . .: 10.1.4.20(préféré)",
                "Carte Ethernet Ethernet ",
                "DHCP activé. . . . . . . . . . . . . . : Oui",
            ),
            (
                "Configuración IP de Windows",
                "Sufijo DNS específico para la conexión. . ",
                "Dirección IPv4. . . . . . . . . . . . . . : 10.1.4.20(Preferido)",
                "Adaptador de Ethernet Ethernet",
                "DHCP habilitado . . . . . . . . . . . . . : sí",
            ),
            (
                "Configurazione IP di Windows",
                "Suffisso DNS specifico per connessione",
                "Indirizzo IPv4. . . . . . . . . . . . : 10.1.4.20(Preferenziale)",
                "Scheda Ethernet Ethernet",
                "DHCP abilitato. . . . . . . . . . . . : Sì",
            ),
            (
                "Configuração de IP do Windows",
                "Sufixo DNS específico de conexão. . . . . . ",
                "Endereço IPv4. . . . . . . .  . . . . . . . : 10.1.4.20(Preferencial)",
                "Adaptador Ethernet Ethernet",
                "DHCP Habilitado . . . . . . . . . . . . . . : Sim",
            ),
            (
                "Windows IP-configuratie",
                "Verbindingsspec. DNS-achtervoegsel",
                "IPv4-adres. . . . . . . . . . . . : 10.1.4.20(voorkeur)",
                "Ethernet-adapter Ethernet",
                "DHCP ingeschakeld . . . . . . . . : ja",
            ),
            (
                "Konfiguracja IP systemu Windows",
                "Sufiks DNS konkretnego połączenia ",
                "Adres IPv4. . . . . . . . . . . . : 10.1.4.20(Preferowane)",
                "Karta Ethernet Ethernet",
                "DHCP włączone . . . . . . . . . . : Tak",
            ),
            (
                "Настройка протокола IP для Windows",
                "DNS-суффикс подключения . . . . . ",
                "IPv4-адрес. . . . . . . . . . . . : 10.1.4.20(Основной)",
                "Адаптер Ethernet Ethernet",
                "DHCP включен. . . . . . . . . . . : Да",
            ),
            (
                "Windows IP 構成",
                "接続固有の DNS サフィックス . . . . .",
                "IPv4 アドレス . . . . . . . . . . . .: 10.1.4.20(優先)",
                "イーサネット アダプター イーサネット",
                "DHCP 有効 . . . . . . . . . . . . . .: はい",
            ),
            (
                "Windows IP 配置",
                "连接特定的 DNS 后缀 . . . . . . . ",
                "IPv4 地址 . . . . . . . . . . . . : 10.1.4.20(首选)",
                "以太网适配器 以太网",
                "DHCP 已启用 . . . . . . . . . . . : 是",
            ),
            (
                "Windows IP 設定",
                "連線特定 DNS 尾碼 . . . . . . . . ",
                "IPv4 位址 . . . . . . . . . . . . : 10.1.4.20(偏好選項)",
                "乙太網路卡 乙太網路",
                "DHCP 已啟用 . . . . . . . . . . . : 是",
            ),
            (
                "Windows IP 구성",
                "연결별 DNS 접미사. . . . ",
                "IPv4 주소 . . . . . . . . . : 10.1.4.20(기본 설정)",
                "이더넷 어댑터 이더넷",
                "DHCP 사용 . . . . . . . . . : 예",
            ),
        ];
        for (header, suffix, ipv4, adapter, dhcp) in languages {
            let text = format!(
                "\r\n{header}\r\n\r\n{adapter}:\r\n\r\n   {suffix}: corp.example.com\r\n   {dhcp}\r\n   {ipv4}\r\n"
            );
            assert!(sniff(&text), "{header}");
            let parsed = read(&text);
            assert!(
                parsed.problems.is_empty(),
                "{header}: {:?}",
                parsed.problems
            );
            let host = only_host(&parsed);
            assert_eq!(host.suffix.as_deref(), Some("corp.example.com"), "{header}");
            assert_eq!(
                (host.os_ip, host.os_dhcp),
                (ip("10.1.4.20"), Some(true)),
                "{header}"
            );
        }
    }

    #[test]
    fn a_language_it_does_not_know_is_not_read() {
        // Turkish: no table, so no label is understood and no host is invented.
        let text = "\r\nWindows IP Yapılandırması\r\n\r\nEthernet bağdaştırıcısı Ethernet:\r\n\r\n   Bağlantıya özgü DNS Soneki . . . . : corp.example.com\r\n   IPv4 Adresi. . . . . . . . . . . . : 10.1.4.20(Tercih Edilen)\r\n";
        assert!(!sniff(text));
        let parsed = read(text);
        assert!(parsed.hosts.is_empty());
        assert!(
            parsed
                .problems
                .iter()
                .all(|p| !p.message.contains("corp.example.com"))
        );
    }

    #[test]
    fn spacing_colons_and_line_ends_do_not_matter() {
        let variants = [
            // LF instead of CRLF.
            fx::IPCONFIG_ZH_CN.replace("\r\n", "\n"),
            // Old Mac-style lone line ends are not a thing ipconfig writes; CR before LF twice is.
            fx::IPCONFIG_ZH_CN.replace("\r\n", "\r\r\n"),
            // Full-width colons everywhere a colon ends a label.
            fx::IPCONFIG_ZH_CN
                .replace(" : ", " ： ")
                .replace(" :\r", " ：\r"),
            // Non-breaking and ideographic spaces inside labels and around the colon.
            fx::IPCONFIG_ZH_CN
                .replace("连接特定的 DNS 后缀", "连接特定的\u{a0}DNS\u{3000}后缀")
                .replace("IPv4 地址 . . .", "IPv4\u{a0}地址\u{a0}.\u{a0}.\u{a0}.")
                .replace(" : ", "\u{a0}: "),
            // No dot leaders at all, as some tools that re-print ipconfig write it.
            fx::IPCONFIG_ZH_CN.replace(" .", "").replace(". ", " "),
        ];
        for (i, text) in variants.iter().enumerate() {
            let parsed = read(text);
            let host = only_host(&parsed);
            assert_eq!(host.suffix.as_deref(), Some(ZH_CN.suffix), "variant {i}");
            assert_eq!(host.os_ip, ip(ZH_CN.ip), "variant {i}");
            assert_eq!(
                host.primary_suffix.as_deref(),
                Some(ZH_CN.primary),
                "variant {i}"
            );
            assert_eq!(host.os_dhcp, Some(true), "variant {i}");
        }
    }

    #[test]
    fn masked_values_are_absent_not_broken() {
        // Values masked with asterisks before a report was shared read as if empty.
        let text = fx::IPCONFIG_RU
            .replacen("MSK-WS-0318", "***", 1)
            .replacen("50-EB-F6-12-34-56", "50-EB-F6-**-**-**", 1)
            .replacen("msk.example.ru", "***.example.ru", 1);
        let parsed = read(&text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(
            (host.hostname.as_deref(), host.mac.as_deref()),
            (None, None)
        );
        assert_eq!(host.suffix, None);
        assert_eq!(host.os_ip, ip("10.12.30.18"));
        // A value that is wrong rather than masked is still a problem.
        let broken = fx::IPCONFIG_RU.replacen("50-EB-F6-12-34-56", "50-EB-F6-*-*", 1);
        assert_eq!(positions(&read(&broken)), [(24, 40)]);
    }
}

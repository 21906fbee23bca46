//! Intel SCS SystemDiscovery XML (`ACUConfig.exe SystemDiscovery`, `SCSDiscovery.exe
//! SystemDiscovery`): one device per file.
//!
//! Intel publishes no layout for the report, so it is read through a [`DiscoveryMapping`] of
//! element paths (shipped: schemas/discovery-map.toml; scslint.toml `[collect.discovery]` overrides
//! single fields). An attribute counts as a child element of the element that carries it.
//!
//! `OSPrimaryDNSSuffix` is the host's primary DNS suffix ([`Host::primary_suffix`]), as its name
//! says: it is never read as option 15, so it makes no network. This source sets no
//! [`Host::suffix`]; its hosts join networks by address.
//!
//! The file is read as a stream, so a truncated or malformed report still yields what came before
//! the damage. Nesting is capped at [`MAX_DEPTH`]; DOCTYPEs and unknown entities are never expanded.

use super::agent_fields;
use super::mapping::DiscoveryMapping;
use super::model::{Host, Origin, Parsed};
use super::reader::{self, Reading};
use crate::source::line_col_in;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesDecl, BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;
use std::net::Ipv4Addr;
use std::path::Path;

/// Elements nested deeper than this end the reading of a file.
pub const MAX_DEPTH: usize = 64;

impl DiscoveryMapping {
    fn is_root(&self, local: &str) -> bool {
        self.root
            .iter()
            .flatten()
            .any(|r| r.trim().eq_ignore_ascii_case(local))
    }

    fn patterns(&self, field: Field) -> &[String] {
        let list = match field {
            Field::MeIp => &self.me_ip,
            Field::OsIp => &self.os_ip,
            Field::PrimarySuffix => &self.os_primary_suffix,
            Field::LinkStatus => &self.link_status,
            Field::AmtVersion => &self.amt_version,
            Field::Hostname => &self.hostname,
            Field::Fqdn => &self.fqdn,
            Field::Mac => &self.mac,
            Field::ControlMode => &self.control_mode,
        };
        list.as_deref().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    MeIp,
    OsIp,
    PrimarySuffix,
    LinkStatus,
    AmtVersion,
    Hostname,
    Fqdn,
    Mac,
    ControlMode,
}

const FIELDS: [Field; 9] = [
    Field::MeIp,
    Field::OsIp,
    Field::PrimarySuffix,
    Field::LinkStatus,
    Field::AmtVersion,
    Field::Hostname,
    Field::Fqdn,
    Field::Mac,
    Field::ControlMode,
];

/// Does `pattern` (`A/B/C`, or `/Root/A` anchored) match the element path `path`?
fn path_matches(pattern: &str, path: &[&str]) -> bool {
    let anchored = pattern.trim_start().starts_with('/');
    let want: Vec<&str> = pattern
        .split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if want.is_empty() || want.len() > path.len() || (anchored && want.len() != path.len()) {
        return false;
    }
    let tail = path.iter().skip(path.len() - want.len());
    tail.zip(&want).all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// This source kind, for `sources::READERS`.
pub static READER: reader::Reader = reader::Reader {
    name: "discovery",
    describe: "Intel SCS SystemDiscovery report",
    dhcp_server: false,
    sniff: |text, m| sniff(text, &m.discovery),
    read: |source, m| Reading::Parsed(parse(&source.path, &source.text, &m.discovery)),
};

/// True for XML whose root element's local name is one of `m.root`. Looks at the first 8 KiB.
pub fn sniff(text: &str, m: &DiscoveryMapping) -> bool {
    root_name(crate::source::sniff_head(text)).is_some_and(|root| m.is_root(&root))
}

/// The local name of the first element, when only a declaration, comments, processing
/// instructions and white space come before it.
fn root_name(text: &str) -> Option<String> {
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event().ok()? {
            Event::Start(tag) | Event::Empty(tag) => return Some(local_name(&tag)),
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Text(t) if t.trim().is_empty() => {}
            _ => return None,
        }
    }
}

fn local_name(tag: &BytesStart) -> String {
    tag.local_name().into_inner().to_owned()
}

/// Read one SystemDiscovery report into at most one host.
pub fn parse(path: &Path, text: &str, m: &DiscoveryMapping) -> Parsed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut walk = Walk {
        path,
        text,
        mapping: m,
        stack: Vec::new(),
        found: Default::default(),
        root: None,
        out: Parsed::default(),
    };
    walk.read();
    walk.finish()
}

/// A mapped value, the local name it was found under and its byte offset.
struct Value {
    rank: usize,
    name: String,
    text: String,
    offset: usize,
}

/// An open element.
struct Frame {
    name: String,
    text: String,
    tag_at: usize,
    text_at: Option<usize>,
}

struct Walk<'a> {
    path: &'a Path,
    text: &'a str,
    mapping: &'a DiscoveryMapping,
    stack: Vec<Frame>,
    found: [Option<Value>; FIELDS.len()],
    /// Byte offset of the root element's start tag.
    root: Option<usize>,
    out: Parsed,
}

impl Walk<'_> {
    fn problem(&mut self, offset: usize, message: String) {
        let (line, column) = line_col_in(self.text, offset);
        agent_fields::problem(&mut self.out, self.path, line, column, message);
    }

    fn read(&mut self) {
        let mut reader = Reader::from_str(self.text);
        loop {
            let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                    self.problem(
                        at,
                        format!("malformed XML ({e}); the rest of the file was not read"),
                    );
                    return;
                }
            };
            let go_on = match event {
                Event::Start(tag) => self.open(&tag, at),
                Event::Empty(tag) => self.open(&tag, at) && self.close(),
                Event::End(_) => self.close(),
                Event::Text(t) => {
                    let raw: &str = &t;
                    let lead = raw.len() - raw.trim_start().len();
                    self.append(&t.xml10_content(), at.saturating_add(lead))
                }
                Event::CData(t) => self.append(&t.xml10_content(), at),
                Event::GeneralRef(r) => self.reference(&r, at),
                Event::Decl(decl) => {
                    self.declaration(&decl, at);
                    true
                }
                Event::DocType(_) => {
                    self.problem(
                        at,
                        "DOCTYPE declaration ignored: entities are never expanded".to_owned(),
                    );
                    true
                }
                Event::Comment(_) | Event::PI(_) => true,
                Event::Eof => {
                    self.end_of_file();
                    false
                }
            };
            if !go_on {
                return;
            }
        }
    }

    fn open(&mut self, tag: &BytesStart, at: usize) -> bool {
        let name = local_name(tag);
        if self.root.is_some() && self.stack.is_empty() {
            self.problem(
                at,
                format!(
                    "element `<{name}>` after the root element: a report describes one device; \
                     the rest of the file was not read"
                ),
            );
            return false;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.problem(
                at,
                format!(
                    "elements are nested more than {MAX_DEPTH} levels deep; the rest of the file \
                     was not read"
                ),
            );
            return false;
        }
        self.root.get_or_insert(at);
        self.stack.push(Frame {
            name,
            text: String::new(),
            tag_at: at,
            text_at: None,
        });
        self.attributes(tag, at);
        true
    }

    /// Offer every attribute of the element just opened as a child element of that name.
    fn attributes(&mut self, tag: &BytesStart, at: usize) {
        let content: &str = tag;
        let attrs = tag.attributes_raw();
        let attrs_at = at
            .saturating_add(1)
            .saturating_add(content.len().saturating_sub(attrs.len()));
        let element = local_name(tag);
        for attr in tag.attributes() {
            let attr = match attr {
                Ok(attr) => attr,
                Err(e) => {
                    self.problem(
                        attrs_at,
                        format!(
                            "malformed attribute on `<{element}>` ({e}); its remaining attributes \
                             were ignored"
                        ),
                    );
                    return;
                }
            };
            if attr.key.as_namespace_binding().is_some() {
                continue;
            }
            let key: &str = attr.key.into_inner();
            let offset = attrs_at.saturating_add(attrs.find(key).unwrap_or(0));
            let name = attr.key.local_name().into_inner().to_owned();
            match attr.normalized_value(XmlVersion::Implicit1_0) {
                Ok(value) => self.consider(&name, &value, offset),
                Err(e) => self.problem(
                    offset,
                    format!("attribute `{name}` on `<{element}>`: {e}; the value is ignored"),
                ),
            }
        }
    }

    fn close(&mut self) -> bool {
        if let Some(frame) = self.stack.pop() {
            let at = frame.text_at.unwrap_or(frame.tag_at);
            self.consider(&frame.name, frame.text.trim(), at);
        }
        true
    }

    fn append(&mut self, content: &str, at: usize) -> bool {
        let Some(frame) = self.stack.last_mut() else {
            if content.trim().is_empty() {
                return true;
            }
            let what = if self.root.is_some() {
                "text after the root element"
            } else {
                "text before the first element: this is not XML"
            };
            self.problem(at, format!("{what}; the rest of the file was not read"));
            return false;
        };
        if frame.text_at.is_none() && !content.trim().is_empty() {
            frame.text_at = Some(at);
        }
        frame.text.push_str(content);
        true
    }

    fn reference(&mut self, r: &BytesRef, at: usize) -> bool {
        let resolved = if r.is_char_ref() {
            r.resolve_char_ref().ok().flatten()
        } else {
            crate::source::xml_entity(r)
        };
        match resolved {
            Some(c) => self.append(c.encode_utf8(&mut [0; 4]), at),
            None => {
                let name: &str = r;
                self.problem(
                    at,
                    format!("entity reference `&{name};` is not expanded; it was left out"),
                );
                true
            }
        }
    }

    /// The text was decoded before it got here: a declaration naming a non-Unicode encoding is
    /// wrong for it.
    fn declaration(&mut self, decl: &BytesDecl, at: usize) {
        let Some(Ok(encoding)) = decl.encoding() else {
            return;
        };
        let label = encoding.trim().to_ascii_lowercase();
        let unicode = matches!(
            label.as_str(),
            "utf-8" | "utf8" | "utf-16" | "utf-16le" | "utf-16be" | "utf16" | "unicode"
        );
        if unicode || label == "us-ascii" || label == "ascii" {
            return;
        }
        let offset = at
            + self
                .text
                .get(at..)
                .and_then(|rest| rest.find("encoding"))
                .unwrap_or(0);
        self.problem(
            offset,
            format!(
                "the XML declaration names encoding `{encoding}`, but the file was decoded as \
                 Unicode (UTF-8 or UTF-16); the declaration was ignored"
            ),
        );
    }

    fn end_of_file(&mut self) {
        if let Some(open) = self.stack.last() {
            let message = format!(
                "the file ends inside `<{}>`: it is truncated; what came before was read",
                open.name
            );
            self.problem(self.text.len(), message);
        }
    }

    /// Record `value` for every field one of whose patterns matches the open elements + `name`,
    /// unless a pattern listed earlier already matched.
    fn consider(&mut self, name: &str, value: &str, offset: usize) {
        let mut path: Vec<&str> = self.stack.iter().map(|f| f.name.as_str()).collect();
        path.push(name);
        for field in FIELDS {
            let patterns = self.mapping.patterns(field);
            let Some(rank) = patterns.iter().position(|p| path_matches(p, &path)) else {
                continue;
            };
            let slot = &mut self.found[field as usize];
            if slot.as_ref().is_none_or(|v| rank < v.rank) {
                *slot = Some(Value {
                    rank,
                    name: name.to_owned(),
                    text: value.to_owned(),
                    offset,
                });
            }
        }
    }

    fn finish(mut self) -> Parsed {
        match self.root {
            Some(root) => {
                if let Some(host) = self.host(root) {
                    self.out.hosts.push(host);
                }
            }
            None if self.out.problems.is_empty() => {
                self.problem(0, "no XML element found; the file was not read".to_owned());
            }
            None => {}
        }
        self.out
    }

    fn host(&mut self, root: usize) -> Option<Host> {
        let (line, _) = line_col_in(self.text, root);
        let mut host = Host {
            origin: Some(Origin::new(self.path, line)),
            hostname: self.text_of(Field::Hostname),
            os_ip: self.ip(Field::OsIp),
            me_ip: self.ip(Field::MeIp),
            mac: self.mac(),
            primary_suffix: self.primary_suffix(),
            link_up: self.link(),
            amt_version: self.text_of(Field::AmtVersion),
            control_mode: self.text_of(Field::ControlMode),
            ..Host::default()
        };
        host.fqdn = self
            .take(Field::Fqdn)
            .and_then(|v| agent_fields::suffix(&v.text));
        if agent_fields::has_identity(&host) {
            return Some(host);
        }
        self.problem(
            root,
            "the report names no host (no host name, FQDN, IPv4 or MAC address); no host was \
             recorded"
                .to_owned(),
        );
        None
    }

    fn take(&mut self, field: Field) -> Option<Value> {
        self.found.get_mut(field as usize).and_then(Option::take)
    }

    fn text_of(&mut self, field: Field) -> Option<String> {
        self.take(field).and_then(|v| agent_fields::text(&v.text))
    }

    fn ip(&mut self, field: Field) -> Option<Ipv4Addr> {
        let v = self.take(field)?;
        agent_fields::ipv4(&v.text).unwrap_or_else(|e| {
            self.problem(v.offset, format!("`{}`: {e}; the value is ignored", v.name));
            None
        })
    }

    fn mac(&mut self) -> Option<String> {
        let v = self.take(Field::Mac)?;
        let raw = agent_fields::text(&v.text)?;
        match agent_fields::mac(&raw) {
            Some(mac) if agent_fields::is_zero_mac(&mac) => None,
            Some(mac) => Some(mac),
            None => {
                self.problem(
                    v.offset,
                    format!(
                        "`{}`: `{raw}` is not a MAC address; the value is ignored",
                        v.name
                    ),
                );
                None
            }
        }
    }

    fn primary_suffix(&mut self) -> Option<String> {
        let v = self.take(Field::PrimarySuffix)?;
        agent_fields::dns_suffix(&v.text).unwrap_or_else(|e| {
            self.problem(
                v.offset,
                format!(
                    "`{}`: {e}; the host is recorded without a primary DNS suffix",
                    v.name
                ),
            );
            None
        })
    }

    fn link(&mut self) -> Option<bool> {
        let v = self.take(Field::LinkStatus)?;
        let raw = agent_fields::text(&v.text)?;
        let link = agent_fields::link(&raw);
        if link.is_none() {
            self.problem(
                v.offset,
                format!(
                    "`{}`: `{raw}` is not a link state (up or down); the value is ignored",
                    v.name
                ),
            );
        }
        link
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::agent_fixtures::{DISCOVERY, DISCOVERY_CUSTOM};
    use crate::observe::reader_tests::{assert_claims_only, ip, prefixes, problems};

    fn read(text: &str) -> Parsed {
        parse(
            Path::new("d/ws-0142.xml"),
            text,
            &DiscoveryMapping::shipped(),
        )
    }

    fn custom() -> DiscoveryMapping {
        let over: DiscoveryMapping = toml::from_str(
            r#"
            root = ["SCSDiscoveryReport"]
            me_ip = ["Me/Address"]
            os_ip = ["Os/Address"]
            os_primary_suffix = ["Os/DnsSuffix"]
            link_status = ["Me/Link"]
            amt_version = ["Firmware/Version"]
            hostname = ["Device/HostName"]
            fqdn = ["Device/FQDN"]
            mac = ["Me/Mac"]
            control_mode = ["/SCSDiscoveryReport/Device/Mode"]
            "#,
        )
        .unwrap();
        over.over(&DiscoveryMapping::shipped())
    }

    #[test]
    fn reads_the_fixture_report() {
        let parsed = read(DISCOVERY);
        assert_eq!(problems(&parsed), vec![]);
        assert!(parsed.scopes.is_empty());
        let expected = Host {
            origin: Some(Origin::new("d/ws-0142.xml", 6)),
            hostname: Some("WS-0142".into()),
            fqdn: None,
            os_ip: ip("192.168.0.102"),
            me_ip: ip("0.0.0.0"),
            mac: Some("8c:ec:4b:12:34:56".into()),
            // `OSPrimaryDNSSuffix` is the primary suffix, not option 15.
            suffix: None,
            primary_suffix: Some("vprodemo.com".into()),
            me_suffix: None,
            ras: None,
            link_up: Some(true),
            os_dhcp: None,
            me_dhcp: None,
            amt_version: Some("16.1.25".into()),
            control_mode: Some("Client Control Mode".into()),
            site: None,
        };
        assert_eq!(parsed.hosts, vec![expected]);
        assert_eq!(
            parsed.hosts[0]
                .device_fqdn(&crate::observe::model::FqdnSource::default())
                .as_deref(),
            Some("WS-0142.vprodemo.com")
        );
    }

    #[test]
    fn a_custom_mapping_reads_another_layout_with_attributes() {
        let m = custom();
        assert!(!sniff(DISCOVERY_CUSTOM, &DiscoveryMapping::shipped()));
        assert!(sniff(DISCOVERY_CUSTOM, &m));
        assert!(!sniff(DISCOVERY, &m), "the override replaced the roots");
        let parsed = parse(Path::new("c.xml"), DISCOVERY_CUSTOM, &m);
        assert_eq!(problems(&parsed), vec![]);
        let expected = Host {
            origin: Some(Origin::new("c.xml", 4)),
            hostname: Some("PC-0423".into()),
            fqdn: Some("pc0423.company.com".into()),
            os_ip: ip("10.1.4.21"),
            me_ip: ip("10.1.4.20"),
            mac: Some("00:11:22:33:44:55".into()),
            primary_suffix: Some("site4.company.com".into()),
            link_up: Some(true),
            amt_version: Some("11.8.92".into()),
            control_mode: Some("Admin Control Mode".into()),
            ..Host::default()
        };
        assert_eq!(parsed.hosts, vec![expected]);
    }

    #[test]
    fn an_override_keeps_the_fields_it_leaves_out() {
        let over: DiscoveryMapping = toml::from_str(r#"os_ip = ["Os/Addr"]"#).unwrap();
        let m = over.over(&DiscoveryMapping::shipped());
        assert_eq!(m.os_ip, Some(vec!["Os/Addr".to_owned()]));
        assert_eq!(m.me_ip, DiscoveryMapping::shipped().me_ip);
        assert!(sniff(DISCOVERY, &m));
    }

    #[test]
    fn the_first_listed_path_wins_over_document_order() {
        let text = "<SystemDiscovery HostName=\"ws-7\" OSIP=\"10.0.0.7\">\n\
                    <FWVersion>16.1.25.2049</FWVersion>\n<AMTVersion>16.1.25</AMTVersion>\n\
                    <Wired><MACAddress>00-11-22-33-44-55</MACAddress></Wired>\n\
                    <WiredMACAddress>66:77:88:99:aa:bb</WiredMACAddress>\n\
                    </SystemDiscovery>";
        let parsed = read(text);
        assert_eq!(problems(&parsed), vec![]);
        let host = &parsed.hosts[0];
        assert_eq!(host.hostname.as_deref(), Some("ws-7"));
        assert_eq!(host.os_ip, ip("10.0.0.7"));
        assert_eq!(host.amt_version.as_deref(), Some("16.1.25"));
        assert_eq!(host.mac.as_deref(), Some("66:77:88:99:aa:bb"));
        assert_eq!(host.fqdn, None, "no FQDN stated");
        let fw_only =
            read("<SCSDiscovery><FWVersion>12.0.1</FWVersion><OSIP>10.0.0.8</OSIP></SCSDiscovery>");
        assert_eq!(fw_only.hosts[0].amt_version.as_deref(), Some("12.0.1"));
    }

    #[test]
    fn bad_values_are_reported_where_they_are_and_the_rest_is_read() {
        let text = "<SystemDiscovery>\n  <HostName>WS-9</HostName>\n  <OSIP>10.1.4.300</OSIP>\n\
                    \x20 <WiredIPv4>n/a</WiredIPv4>\n  <WiredMACAddress>8C-EC-4B-12</WiredMACAddress>\n\
                    \x20 <WiredLinkStatus>sideways</WiredLinkStatus>\n\
                    \x20 <OSPrimaryDNSSuffix>company.com lab.company.com</OSPrimaryDNSSuffix>\n\
                    </SystemDiscovery>\n";
        let parsed = read(text);
        assert_eq!(
            problems(&parsed),
            vec![
                (
                    3,
                    9,
                    "`OSIP`: `10.1.4.300` is not an IPv4 address; the value is ignored"
                ),
                (
                    5,
                    20,
                    "`WiredMACAddress`: `8C-EC-4B-12` is not a MAC address; the value is ignored"
                ),
                (
                    7,
                    23,
                    "`OSPrimaryDNSSuffix`: `company.com lab.company.com` is a list, not one DNS \
                     suffix; the host is recorded without a primary DNS suffix"
                ),
                (
                    6,
                    20,
                    "`WiredLinkStatus`: `sideways` is not a link state (up or down); the value is \
                     ignored"
                ),
            ]
        );
        let expected = Host {
            origin: Some(Origin::new("d/ws-0142.xml", 1)),
            hostname: Some("WS-9".into()),
            ..Host::default()
        };
        assert_eq!(parsed.hosts, vec![expected]);
    }

    #[test]
    fn a_report_without_a_suffix_is_a_host() {
        let parsed = read(
            "<SystemDiscovery><OSInfo><HostName>WS-1</HostName><OSPrimaryDNSSuffix/>\
             </OSInfo></SystemDiscovery>",
        );
        assert_eq!(problems(&parsed), vec![]);
        assert_eq!(parsed.hosts.len(), 1);
        assert_eq!(parsed.hosts[0].primary_suffix, None);
        assert_eq!(parsed.hosts[0].fqdn, None);
        assert_eq!(parsed.hosts[0].hostname.as_deref(), Some("WS-1"));
    }

    #[test]
    fn a_report_naming_no_host_is_a_problem() {
        let parsed = read(
            "<?xml version=\"1.0\"?>\n<SystemDiscovery>\n<AMTVersion>16.1</AMTVersion>\n\
             <WiredIPv4>0.0.0.0</WiredIPv4><WiredMACAddress>00:00:00:00:00:00</WiredMACAddress>\n\
             </SystemDiscovery>",
        );
        assert!(parsed.hosts.is_empty());
        assert_eq!(
            problems(&parsed),
            vec![(
                2,
                1,
                "the report names no host (no host name, FQDN, IPv4 or MAC address); no host was \
                 recorded"
            )]
        );
    }

    #[test]
    fn a_truncated_report_keeps_what_came_before() {
        let cut = DISCOVERY.find("<OSIP>192.168").unwrap() + "<OSIP>192.168".len();
        let parsed = read(&DISCOVERY[..cut]);
        assert_eq!(
            problems(&parsed),
            vec![(
                32,
                18,
                "the file ends inside `<OSIP>`: it is truncated; what came before was read"
            )]
        );
        let host = &parsed.hosts[0];
        assert_eq!(host.hostname.as_deref(), Some("WS-0142"));
        assert_eq!(host.primary_suffix.as_deref(), Some("vprodemo.com"));
        assert_eq!(host.amt_version.as_deref(), Some("16.1.25"));
        assert_eq!(host.os_ip, None, "the cut-off address is not used");
        assert_eq!(host.me_ip, None);

        let cut = DISCOVERY.find("<WiredIPv4>").unwrap() + 4;
        let parsed = read(&DISCOVERY[..cut]);
        assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
        assert_eq!(parsed.problems[0].origin.line, 37);
        assert!(parsed.problems[0].message.starts_with("malformed XML"));
        assert_eq!(parsed.hosts[0].os_ip, ip("192.168.0.102"));
        assert_eq!(parsed.hosts[0].link_up, Some(true));
    }

    #[test]
    fn every_prefix_of_the_fixtures_reads_without_panicking() {
        for text in [DISCOVERY, DISCOVERY_CUSTOM] {
            for prefix in prefixes(text, 1) {
                let parsed = read(prefix);
                assert!(parsed.hosts.len() <= 1);
            }
        }
    }

    #[test]
    fn garbage_is_not_read() {
        let parsed = read("\u{0}\u{1}PK\u{3}\u{4}\u{fffd}\u{fffd}binary\n<x");
        assert!(parsed.hosts.is_empty());
        assert_eq!(
            problems(&parsed),
            vec![(
                1,
                1,
                "text before the first element: this is not XML; the rest of the file was not read"
            )]
        );
        let parsed = read("  \n <!-- nothing -->\n");
        assert_eq!(
            problems(&parsed),
            vec![(1, 1, "no XML element found; the file was not read")]
        );
    }

    #[test]
    fn a_wrong_encoding_declaration_is_reported_and_ignored() {
        let text = "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n\
                    <SystemDiscovery><HostName>K\u{f6}ln-01</HostName></SystemDiscovery>";
        let parsed = read(text);
        assert_eq!(
            problems(&parsed),
            vec![(
                1,
                21,
                "the XML declaration names encoding `windows-1252`, but the file was decoded as \
                 Unicode (UTF-8 or UTF-16); the declaration was ignored"
            )]
        );
        assert_eq!(parsed.hosts[0].hostname.as_deref(), Some("K\u{f6}ln-01"));
        let utf16 = "<?xml version=\"1.0\" encoding=\"utf-16\"?><SCSDiscovery><OSIP>10.0.0.1</OSIP></SCSDiscovery>";
        assert_eq!(problems(&read(utf16)), vec![]);
    }

    #[test]
    fn nesting_entities_and_trailing_content_are_bounded() {
        let deep = format!(
            "<SystemDiscovery><HostName>WS-2</HostName>{}{}</SystemDiscovery>",
            "<a>".repeat(MAX_DEPTH + 10),
            "</a>".repeat(MAX_DEPTH + 10)
        );
        let parsed = read(&deep);
        assert_eq!(parsed.problems.len(), 1);
        assert!(parsed.problems[0].message.contains("nested more than 64"));
        assert_eq!(parsed.hosts[0].hostname.as_deref(), Some("WS-2"));

        let text = "<!DOCTYPE x [<!ENTITY e \"boom\">]>\n<SystemDiscovery>\n\
                    <HostName>WS-&e;3&#x41;&amp;</HostName>\n</SystemDiscovery>\n<SystemDiscovery/>";
        let parsed = read(text);
        assert_eq!(
            problems(&parsed),
            vec![
                (
                    1,
                    1,
                    "DOCTYPE declaration ignored: entities are never expanded"
                ),
                (
                    3,
                    14,
                    "entity reference `&e;` is not expanded; it was left out"
                ),
                (
                    5,
                    1,
                    "element `<SystemDiscovery>` after the root element: a report describes one \
                     device; the rest of the file was not read"
                ),
            ]
        );
        assert_eq!(parsed.hosts[0].hostname.as_deref(), Some("WS-3A&"));
    }

    #[test]
    fn sniffs_only_discovery_reports() {
        let shipped = DiscoveryMapping::shipped();
        assert_claims_only(READER.name, |t| sniff(t, &shipped));
        assert!(sniff(&format!("\u{feff}{DISCOVERY}"), &shipped));
        assert!(sniff("<d:systemdiscovery xmlns:d=\"urn:x\"/>", &shipped));
        for foreign in [
            "<Profile><ProfileName>x</ProfileName></Profile>",
            "<SCSProfile/>",
            "<DHCPServer><IPv4/></DHCPServer>",
            "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body/></s:Envelope>",
            "SystemDiscovery",
            "<SystemDiscovery",
        ] {
            assert!(!sniff(foreign, &shipped), "{foreign}");
        }
        let late = format!(
            "<!--{}-->\n<SystemDiscovery/>",
            "x".repeat(crate::source::SNIFF_BYTES)
        );
        assert!(!sniff(&late, &shipped), "only a bounded prefix is read");
    }
}

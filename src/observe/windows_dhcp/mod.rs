//! Windows DHCP Server configuration, in either of its two text forms: the output of
//! `netsh dhcp server dump` ([`netsh`]) or an `Export-DhcpServer` XML file ([`export`]).
//!
//! Both fill the same model: server-wide option 15, scopes with their addresses and option 15, and
//! reservations. One scope per DHCP scope is emitted with its effective option 15 (server, then
//! scope); a reservation that sets a different value gets a scope of its own (`host NAME`). A value
//! set for a user class is emitted as a scope without addresses (`user-class NAME`, prefixed with
//! its scope or reservation when set there); values set for a vendor class belong to that
//! vendor's option space, not to option 15, and are skipped. DHCP policies (`Policies`, netsh
//! `policy` contexts) are not read.

mod export;
mod netsh;

use super::dhcp_common::{self, Names};
use super::model::{Ipv4Range, Origin, Parsed, Scope};
use super::reader::{self, Reading};
use crate::dns_name::DnsName;
use std::net::Ipv4Addr;
use std::path::Path;

/// This source kind, for `sources::READERS`.
pub static READER: reader::Reader = reader::Reader {
    name: "windows-dhcp",
    describe: "Windows DHCP server export",
    dhcp_server: true,
    sniff: |text, _| sniff(text),
    read: |source, _| Reading::Parsed(parse(&source.path, &source.text)),
};

/// A `netsh dhcp server dump` or an `Export-DhcpServer` XML file.
pub fn sniff(text: &str) -> bool {
    let head = crate::source::sniff_head(text);
    export::sniff(head) || netsh::sniff(head)
}

/// Read either form; XML when the text starts with `<`.
pub fn parse(path: &Path, text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    if dhcp_common::refuse_utf16(&mut parsed, path, text) {
        return parsed;
    }
    let servers = if text.trim_start().starts_with('<') {
        export::read(path, text, &mut parsed)
    } else {
        netsh::read(path, text, &mut parsed)
    };
    parsed.scopes = emit(&servers);
    parsed
}

/// An option 15 value and where it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Setting {
    suffix: String,
    origin: Origin,
}

/// Option 15 values set at one level: the plain one and those for user classes.
#[derive(Debug, Default)]
struct Options {
    plain: Option<Setting>,
    user_classes: Vec<(String, Setting)>,
}

impl Options {
    /// Record a value; returns false when the level already had one for the same class.
    fn set(&mut self, user_class: Option<String>, setting: Setting) -> bool {
        match user_class {
            None if self.plain.is_some() => false,
            None => {
                self.plain = Some(setting);
                true
            }
            Some(class) if self.user_classes.iter().any(|(c, _)| *c == class) => false,
            Some(class) => {
                self.user_classes.push((class, setting));
                true
            }
        }
    }
}

#[derive(Debug)]
struct Reservation {
    ip: Option<Ipv4Addr>,
    name: Option<String>,
    options: Options,
}

#[derive(Debug)]
struct DhcpScope {
    id: Ipv4Addr,
    name: Option<String>,
    /// The whole subnet, from the scope address and mask.
    subnet: Option<Ipv4Range>,
    /// The address ranges handed out; the subnet is used when there are none.
    ranges: Vec<Ipv4Range>,
    /// Where the scope is defined (or first mentioned).
    opened: Origin,
    options: Options,
    reservations: Vec<Reservation>,
}

impl DhcpScope {
    fn new(id: Ipv4Addr, opened: Origin) -> Self {
        DhcpScope {
            id,
            name: None,
            subnet: None,
            ranges: Vec::new(),
            opened,
            options: Options::default(),
            reservations: Vec::new(),
        }
    }

    fn label(&self) -> String {
        match self
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            Some(name) => format!("scope {} ({name})", self.id),
            None => format!("scope {}", self.id),
        }
    }

    /// The reservation for `ip`, added when not yet known.
    fn reservation(&mut self, ip: Ipv4Addr) -> &mut Reservation {
        let index = match self.reservations.iter().position(|r| r.ip == Some(ip)) {
            Some(index) => index,
            None => {
                self.reservations.push(Reservation {
                    ip: Some(ip),
                    name: None,
                    options: Options::default(),
                });
                self.reservations.len() - 1
            }
        };
        &mut self.reservations[index]
    }
}

/// One DHCP server's IPv4 configuration.
#[derive(Debug, Default)]
struct Server {
    options: Options,
    scopes: Vec<DhcpScope>,
}

impl Server {
    /// The scope with address `id`, added (opened at `origin`) when not yet known.
    fn scope(&mut self, id: Ipv4Addr, origin: &Origin) -> &mut DhcpScope {
        let index = match self.scopes.iter().position(|s| s.id == id) {
            Some(index) => index,
            None => {
                self.scopes.push(DhcpScope::new(id, origin.clone()));
                self.scopes.len() - 1
            }
        };
        &mut self.scopes[index]
    }
}

fn same_suffix(a: Option<&Setting>, b: Option<&Setting>) -> bool {
    a.map(|s| DnsName(&s.suffix)) == b.map(|s| DnsName(&s.suffix))
}

/// The scopes the servers' configurations hand out, with inheritance applied.
fn emit(servers: &[Server]) -> Vec<Scope> {
    let mut emitter = Emitter::default();
    for server in servers {
        emitter.server(server);
    }
    emitter.out
}

#[derive(Default)]
struct Emitter {
    names: Names,
    out: Vec<Scope>,
}

impl Emitter {
    fn push(
        &mut self,
        name: String,
        setting: Option<&Setting>,
        ranges: Vec<Ipv4Range>,
        origin: &Origin,
    ) {
        self.out.push(Scope {
            name: self.names.unique(name),
            suffix: setting.map(|s| s.suffix.clone()),
            search_v6: Vec::new(),
            ranges,
            origin: origin.clone(),
        });
    }

    /// Values for user classes: scopes without addresses, named after their class.
    fn user_classes(&mut self, prefix: &str, options: &Options) {
        for (class, setting) in &options.user_classes {
            let name = format!("{prefix}user-class {class}");
            self.push(name, Some(setting), Vec::new(), &setting.origin);
        }
    }

    fn server(&mut self, server: &Server) {
        if let Some(setting) = &server.options.plain {
            self.push(
                "server default".into(),
                Some(setting),
                Vec::new(),
                &setting.origin,
            );
        }
        self.user_classes("", &server.options);
        for scope in &server.scopes {
            self.scope(scope, server.options.plain.as_ref());
        }
    }

    fn scope(&mut self, scope: &DhcpScope, server_default: Option<&Setting>) {
        let label = scope.label();
        let effective = scope.options.plain.as_ref().or(server_default);
        let ranges = if scope.ranges.is_empty() {
            scope.subnet.into_iter().collect()
        } else {
            scope.ranges.clone()
        };
        let origin = match &scope.options.plain {
            Some(own) => &own.origin,
            None => &scope.opened,
        };
        self.push(label.clone(), effective, ranges, origin);
        self.user_classes(&format!("{label}, "), &scope.options);
        for reservation in &scope.reservations {
            self.reservation(reservation, effective);
        }
    }

    /// A reservation is a scope of its own only where it sets a different value.
    fn reservation(&mut self, reservation: &Reservation, inherited: Option<&Setting>) {
        let host = reservation
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .or_else(|| reservation.ip.map(|ip| ip.to_string()))
            .unwrap_or_else(|| "reservation".into());
        if let Some(own) = &reservation.options.plain
            && !same_suffix(Some(own), inherited)
        {
            let ranges = reservation.ip.map(|ip| Ipv4Range::new(ip, ip));
            let name = format!("host {host}");
            self.push(name, Some(own), ranges.into_iter().collect(), &own.origin);
        }
        self.user_classes(&format!("host {host}, "), &reservation.options);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::reader_tests::{assert_claims_only, problems, utf16};
    use crate::source::SourceFile;

    pub(super) const DUMP: &str = include_str!("../../../tests/fixtures/dhcp/netsh-dump.txt");
    pub(super) const XML: &str = include_str!("../../../tests/fixtures/dhcp/export-dhcpserver.xml");

    pub(super) type Row = (String, Option<String>, Vec<String>, usize);

    /// Name, suffix, ranges and origin line of every scope.
    pub(super) fn scopes(p: &Parsed) -> Vec<Row> {
        p.scopes
            .iter()
            .map(|s| {
                let ranges = s.ranges.iter().map(ToString::to_string).collect();
                (s.name.clone(), s.suffix.clone(), ranges, s.origin.line)
            })
            .collect()
    }

    pub(super) fn row(name: &str, suffix: Option<&str>, ranges: &[&str], line: usize) -> Row {
        let ranges = ranges.iter().map(|r| r.to_string()).collect();
        (name.into(), suffix.map(str::to_owned), ranges, line)
    }

    #[test]
    fn sniff_accepts_both_forms() {
        assert!(sniff(DUMP));
        assert!(sniff(XML));
        let wide = utf16(&XML.replace("utf-8", "utf-16"), true);
        let decoded = SourceFile::decode("export.xml", &wide).unwrap();
        assert!(sniff(&decoded.text));
        assert!(sniff(
            "Dhcp Server 10.59.252.5 Scope 10.59.204.0 set optionvalue 15 STRING \"x.lan\""
        ));
        assert!(sniff(
            "<dhcp:DHCPServer xmlns:dhcp=\"http://schemas.microsoft.com/dhcp/2011/08\"/>"
        ));
    }

    #[test]
    fn sniff_rejects_every_other_kind() {
        assert_claims_only(READER.name, sniff);
        let foreign = [
            "# Dhcp Server \\\\winboot set optionvalue 15 STRING \"foo.bar\"\n",
            "   DHCP Server . . . . . . . . . . . : 10.0.0.5\n",
            "<DHCPServerList><Server/></DHCPServerList>",
        ];
        for text in foreign {
            assert!(!sniff(text), "{text}");
        }
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_not_read() {
        let text: String = DUMP.chars().flat_map(|c| [c, '\0']).collect();
        let p = parse(Path::new("dump.txt"), &text);
        assert!(p.scopes.is_empty());
        assert_eq!(problems(&p).len(), 1);
        assert_eq!((p.problems[0].origin.line, p.problems[0].column), (1, 1));
        assert!(p.problems[0].message.contains("UTF-16"));
    }
}

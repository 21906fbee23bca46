//! Which observation source a file is, told from its content, and the reader for each kind.
//! Snapshots (observed.toml) are recognised here but read by snapshot.rs.

use super::discovery::{self, DiscoveryMapping};
use super::inventory_csv::{self, CsvColumns};
use super::model::Parsed;
use super::snapshot::Observed;
use super::{amtinfo, dhcpd, dnsmasq, ipconfig, kea, snapshot, windows_dhcp};
use crate::source::Source;

/// The configurable parts of the readers (scslint.toml `[collect]`).
#[derive(Debug, Clone)]
pub struct Mappings {
    pub discovery: DiscoveryMapping,
    pub csv: CsvColumns,
}

impl Default for Mappings {
    fn default() -> Self {
        Mappings {
            discovery: DiscoveryMapping::shipped(),
            csv: CsvColumns::shipped(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Snapshot,
    Kea,
    WindowsDhcp,
    IscDhcpd,
    Dnsmasq,
    Amtinfo,
    Ipconfig,
    Discovery,
    Csv,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Snapshot => "observed-networks snapshot",
            Kind::Kea => "Kea DHCPv4 configuration",
            Kind::WindowsDhcp => "Windows DHCP server export",
            Kind::IscDhcpd => "ISC dhcpd.conf",
            Kind::Dnsmasq => "dnsmasq configuration",
            Kind::Amtinfo => "amtinfo report (rpc-go, rpc, meshcmd)",
            Kind::Ipconfig => "ipconfig /all report",
            Kind::Discovery => "Intel SCS SystemDiscovery report",
            Kind::Csv => "CSV inventory",
        }
    }

    pub fn is_dhcp_server(self) -> bool {
        matches!(
            self,
            Kind::Kea | Kind::WindowsDhcp | Kind::IscDhcpd | Kind::Dnsmasq
        )
    }
}

/// What a reader made of a file: observations of the common model, or a snapshot's networks
/// and hosts as written.
pub enum Reading {
    Parsed(Parsed),
    Snapshot(Observed),
}

/// One kind of observation source: how it is told apart from the others, and how it is read.
///
/// A table of functions rather than a trait: the readers are plain functions in their own
/// modules, [`READERS`] is the one place their order lives, and no reader has to import this
/// module (which a trait declared here would need, and which would close an import circle).
pub struct Reader {
    pub kind: Kind,
    /// A cheap look at the text (its head, or one pass at most): does this reader claim it?
    sniff: fn(&str, &Mappings) -> bool,
    read: fn(&Source, &Mappings) -> Reading,
}

impl Reader {
    pub fn sniff(&self, text: &str, m: &Mappings) -> bool {
        (self.sniff)(text, m)
    }

    pub fn read(&self, source: &Source, m: &Mappings) -> Reading {
        (self.read)(source, m)
    }
}

/// Every observation reader, most specific formats first: the first whose sniff claims a text
/// reads it. (A snapshot is TOML anything else could mistake; Kea's JSON before the XML and text
/// formats; dhcpd and dnsmasq, whose sniffs look for directives, after the reports; CSV last.)
pub static READERS: [Reader; 9] = [
    Reader {
        kind: Kind::Snapshot,
        sniff: |text, _| snapshot::sniff(text),
        read: |source, _| Reading::Snapshot(snapshot::read_source(source)),
    },
    Reader {
        kind: Kind::Kea,
        sniff: |text, _| kea::sniff(text),
        read: |source, _| Reading::Parsed(kea::parse(&source.path, &source.text)),
    },
    Reader {
        kind: Kind::WindowsDhcp,
        sniff: |text, _| windows_dhcp::sniff(text),
        read: |source, _| Reading::Parsed(windows_dhcp::parse(&source.path, &source.text)),
    },
    Reader {
        kind: Kind::Amtinfo,
        sniff: |text, _| amtinfo::sniff(text),
        read: |source, _| Reading::Parsed(amtinfo::parse(&source.path, &source.text)),
    },
    Reader {
        kind: Kind::Ipconfig,
        sniff: |text, _| ipconfig::sniff(text),
        read: |source, _| Reading::Parsed(ipconfig::parse(&source.path, &source.text)),
    },
    Reader {
        kind: Kind::Discovery,
        sniff: |text, m| discovery::sniff(text, &m.discovery),
        read: |source, m| {
            Reading::Parsed(discovery::parse(&source.path, &source.text, &m.discovery))
        },
    },
    Reader {
        kind: Kind::IscDhcpd,
        sniff: |text, _| dhcpd::sniff(text),
        read: |source, _| Reading::Parsed(dhcpd::parse(&source.path, &source.text)),
    },
    Reader {
        kind: Kind::Dnsmasq,
        sniff: |text, _| dnsmasq::sniff(text),
        read: |source, _| Reading::Parsed(dnsmasq::parse(&source.path, &source.text)),
    },
    Reader {
        kind: Kind::Csv,
        sniff: |text, m| inventory_csv::sniff(text, &m.csv),
        read: |source, m| Reading::Parsed(inventory_csv::parse(&source.path, &source.text, &m.csv)),
    },
];

/// The reader that claims `text`, if any.
pub fn reader_for(text: &str, m: &Mappings) -> Option<&'static Reader> {
    READERS.iter().find(|r| r.sniff(text, m))
}

/// The reader of one kind.
pub fn reader(kind: Kind) -> Option<&'static Reader> {
    READERS.iter().find(|r| r.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn every_kind_has_one_reader() {
        for (i, r) in READERS.iter().enumerate() {
            assert_eq!(reader(r.kind).map(|r| r.kind), Some(r.kind));
            assert!(
                READERS[i + 1..].iter().all(|o| o.kind != r.kind),
                "{:?}",
                r.kind
            );
        }
    }

    /// Every sample the readers are tested with is claimed by its own reader and no earlier one
    /// in the sniffing order.
    #[test]
    fn every_fixture_is_told_apart_through_the_whole_chain() {
        use Kind::*;
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let cases = [
            ("agents/amtinfo-labels.json", Some(Amtinfo)),
            ("agents/amtinfo-old-wireless.txt", Some(Amtinfo)),
            ("agents/amtinfo-styled.txt", Some(Amtinfo)),
            ("agents/amtinfo-table.txt", Some(Amtinfo)),
            ("agents/amtinfo-tabs.txt", Some(Amtinfo)),
            ("agents/amtinfo.json", Some(Amtinfo)),
            // Another layout, claimed only under the mapping its own tests configure.
            ("agents/discovery-custom.xml", None),
            ("agents/discovery.xml", Some(Discovery)),
            ("agents/inventory-semicolon.csv", Some(Csv)),
            ("agents/inventory.csv", Some(Csv)),
            ("agents/ipconfig-all.txt", Some(Ipconfig)),
            ("agents/ipconfig-de.txt", Some(Ipconfig)),
            ("agents/ipconfig-dock.txt", Some(Ipconfig)),
            ("agents/ipconfig-fr.txt", Some(Ipconfig)),
            ("dhcp/dhcpd.conf", Some(IscDhcpd)),
            ("dhcp/dnsmasq.conf", Some(Dnsmasq)),
            ("dhcp/dnsmasq.d/10-guest.conf", Some(Dnsmasq)),
            // conf-dir skips it by extension; on its own it is dnsmasq syntax all the same.
            ("dhcp/dnsmasq.d/notes.txt", Some(Dnsmasq)),
            ("dhcp/export-dhcpserver.xml", Some(WindowsDhcp)),
            ("dhcp/kea-dhcp4.conf", Some(Kea)),
            ("dhcp/netsh-dump.txt", Some(WindowsDhcp)),
            ("fleet/agents/pc0423.json", Some(Amtinfo)),
            ("fleet/agents/pc0424.txt", Some(Amtinfo)),
            ("fleet/agents/pc0530-ipconfig.txt", Some(Ipconfig)),
            ("fleet/dhcp/dhcpd.conf", Some(IscDhcpd)),
            ("../../profiles/observed.toml", Some(Snapshot)),
        ];
        let m = Mappings::default();
        for (file, want) in cases {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            assert_eq!(reader_for(&text, &m).map(|r| r.kind), want, "{file}");
        }
    }
}

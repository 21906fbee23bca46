//! Which observation source a file is, told from its content, and the reader for each kind.
//! Snapshots (observed.toml) are recognised here but read by snapshot.rs.

use super::discovery::{self, DiscoveryMapping};
use super::inventory_csv::{self, CsvColumns};
use super::model::Parsed;
use super::{amtinfo, dhcpd, dnsmasq, ipconfig, kea, snapshot, windows_dhcp};
use std::path::Path;

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

/// The kind of source `text` is, most specific formats first.
pub fn sniff(text: &str, m: &Mappings) -> Option<Kind> {
    if snapshot::sniff(text) {
        Some(Kind::Snapshot)
    } else if kea::sniff(text) {
        Some(Kind::Kea)
    } else if windows_dhcp::sniff(text) {
        Some(Kind::WindowsDhcp)
    } else if amtinfo::sniff(text) {
        Some(Kind::Amtinfo)
    } else if ipconfig::sniff(text) {
        Some(Kind::Ipconfig)
    } else if discovery::sniff(text, &m.discovery) {
        Some(Kind::Discovery)
    } else if dhcpd::sniff(text) {
        Some(Kind::IscDhcpd)
    } else if dnsmasq::sniff(text) {
        Some(Kind::Dnsmasq)
    } else if inventory_csv::sniff(text, &m.csv) {
        Some(Kind::Csv)
    } else {
        None
    }
}

/// Read a source of a kind other than [`Kind::Snapshot`].
pub fn parse(kind: Kind, path: &Path, text: &str, m: &Mappings) -> Parsed {
    match kind {
        Kind::Kea => kea::parse(path, text),
        Kind::WindowsDhcp => windows_dhcp::parse(path, text),
        Kind::IscDhcpd => dhcpd::parse(path, text),
        Kind::Dnsmasq => dnsmasq::parse(path, text),
        Kind::Amtinfo => amtinfo::parse(path, text),
        Kind::Ipconfig => ipconfig::parse(path, text),
        Kind::Discovery => discovery::parse(path, text, &m.discovery),
        Kind::Csv => inventory_csv::parse(path, text, &m.csv),
        Kind::Snapshot => Parsed::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(sniff(&text, &m), want, "{file}");
        }
    }
}

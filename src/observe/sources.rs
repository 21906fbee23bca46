//! Which observation source a file is, told from its content. Each reader declares its own
//! [`Reader`] next to its code; [`READERS`] puts them in the order they are tried.

use super::mapping::Mappings;
use super::reader::Reader;
use super::{
    amtinfo, dhcpd, discovery, dnsmasq, inventory_csv, ipconfig, kea, snapshot, windows_dhcp,
};

/// Every observation reader, most specific formats first: the first whose sniff claims a text
/// reads it. (A snapshot is TOML anything else could mistake; Kea's JSON before the XML and text
/// formats; dhcpd and dnsmasq, whose sniffs look for directives, after the reports; CSV last.)
pub static READERS: [&Reader; 9] = [
    &snapshot::READER,
    &kea::READER,
    &windows_dhcp::READER,
    &amtinfo::READER,
    &ipconfig::READER,
    &discovery::READER,
    &dhcpd::READER,
    &dnsmasq::READER,
    &inventory_csv::READER,
];

/// The reader that claims `text`, if any.
pub fn reader_for(text: &str, m: &Mappings) -> Option<&'static Reader> {
    READERS.iter().copied().find(|r| r.sniff(text, m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn every_reader_has_its_own_name() {
        for (i, r) in READERS.iter().enumerate() {
            assert!(
                READERS[i + 1..].iter().all(|o| o.name != r.name),
                "{}",
                r.name
            );
        }
    }

    /// A reader declared but left out of [`READERS`] would never be tried, and nothing else
    /// would say so.
    #[test]
    fn every_declared_reader_is_listed() {
        fn declared(dir: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    declared(&path, out);
                } else if std::fs::read_to_string(&path)
                    .unwrap()
                    .contains("\npub static READER: reader::Reader")
                {
                    out.push(path.display().to_string());
                }
            }
        }
        let mut files = Vec::new();
        declared(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/observe"),
            &mut files,
        );
        assert_eq!(files.len(), READERS.len(), "{files:?}");
    }

    /// Every sample the readers are tested with is claimed by its own reader and no earlier one
    /// in the sniffing order.
    #[test]
    fn every_fixture_is_told_apart_through_the_whole_chain() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let cases = [
            ("agents/amtinfo-labels.json", Some("amtinfo")),
            ("agents/amtinfo-old-wireless.txt", Some("amtinfo")),
            ("agents/amtinfo-styled.txt", Some("amtinfo")),
            ("agents/amtinfo-table.txt", Some("amtinfo")),
            ("agents/amtinfo-tabs.txt", Some("amtinfo")),
            ("agents/amtinfo.json", Some("amtinfo")),
            // Another layout, claimed only under the mapping its own tests configure.
            ("agents/discovery-custom.xml", None),
            ("agents/discovery.xml", Some("discovery")),
            ("agents/inventory-semicolon.csv", Some("csv")),
            ("agents/inventory.csv", Some("csv")),
            ("agents/ipconfig-all.txt", Some("ipconfig")),
            ("agents/ipconfig-de.txt", Some("ipconfig")),
            ("agents/ipconfig-dock.txt", Some("ipconfig")),
            ("agents/ipconfig-fr.txt", Some("ipconfig")),
            ("dhcp/dhcpd.conf", Some("dhcpd")),
            ("dhcp/dnsmasq.conf", Some("dnsmasq")),
            ("dhcp/dnsmasq.d/10-guest.conf", Some("dnsmasq")),
            // conf-dir skips it by extension; on its own it is dnsmasq syntax all the same.
            ("dhcp/dnsmasq.d/notes.txt", Some("dnsmasq")),
            ("dhcp/export-dhcpserver.xml", Some("windows-dhcp")),
            ("dhcp/kea-dhcp4.conf", Some("kea")),
            ("dhcp/netsh-dump.txt", Some("windows-dhcp")),
            ("fleet/agents/pc0423.json", Some("amtinfo")),
            ("fleet/agents/pc0424.txt", Some("amtinfo")),
            ("fleet/agents/pc0530-ipconfig.txt", Some("ipconfig")),
            ("fleet/dhcp/dhcpd.conf", Some("dhcpd")),
            ("../../profiles/observed.toml", Some("snapshot")),
        ];
        let m = Mappings::default();
        for (file, want) in cases {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            assert_eq!(reader_for(&text, &m).map(|r| r.name), want, "{file}");
        }
    }
}

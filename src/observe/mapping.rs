//! The configurable parts of the observation readers (scslint.toml `[collect]`): the element
//! paths of the SCS SystemDiscovery report and the column names of CSV inventories. Both ship
//! compiled in; scslint.toml overrides single fields.

use serde::Deserialize;

/// What the readers are configured with.
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

/// The shipped mapping, compiled in.
pub const SHIPPED_MAPPING: &str = include_str!("../../schemas/discovery-map.toml");

/// Element paths per host field: local names separated by `/`, compared case-insensitively with
/// the tail of an element's path (or, when the path starts with `/`, with the whole path). The
/// first path in a list that matches anything wins. Every field is optional so a config override
/// can name only the fields it changes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoveryMapping {
    /// Root element local names that mark an XML file as a SystemDiscovery report.
    pub root: Option<Vec<String>>,
    /// The ME's wired IPv4 address (`WiredIPv4`).
    pub me_ip: Option<Vec<String>>,
    /// The operating system's IPv4 address (`OSIP`).
    pub os_ip: Option<Vec<String>>,
    /// `OSPrimaryDNSSuffix`: the primary DNS suffix, never option 15.
    pub os_primary_suffix: Option<Vec<String>>,
    /// Wired link state (`WiredLinkStatus`).
    pub link_status: Option<Vec<String>>,
    pub amt_version: Option<Vec<String>>,
    pub hostname: Option<Vec<String>>,
    pub fqdn: Option<Vec<String>>,
    /// The wired MAC address.
    pub mac: Option<Vec<String>>,
    pub control_mode: Option<Vec<String>>,
}

impl DiscoveryMapping {
    /// The shipped mapping. It is compiled in and covered by a test, so parsing cannot fail at
    /// run time.
    pub fn shipped() -> DiscoveryMapping {
        toml::from_str(SHIPPED_MAPPING).unwrap_or_default()
    }

    /// This mapping with every field it leaves out taken from `base`.
    pub fn over(self, base: &DiscoveryMapping) -> DiscoveryMapping {
        let pick =
            |own: Option<Vec<String>>, base: &Option<Vec<String>>| own.or_else(|| base.clone());
        DiscoveryMapping {
            root: pick(self.root, &base.root),
            me_ip: pick(self.me_ip, &base.me_ip),
            os_ip: pick(self.os_ip, &base.os_ip),
            os_primary_suffix: pick(self.os_primary_suffix, &base.os_primary_suffix),
            link_status: pick(self.link_status, &base.link_status),
            amt_version: pick(self.amt_version, &base.amt_version),
            hostname: pick(self.hostname, &base.hostname),
            fqdn: pick(self.fqdn, &base.fqdn),
            mac: pick(self.mac, &base.mac),
            control_mode: pick(self.control_mode, &base.control_mode),
        }
    }
}

/// The shipped column names, compiled in.
pub const SHIPPED_COLUMNS: &str = include_str!("../../schemas/csv-columns.toml");

/// Header names per host field, compared case-insensitively and ignoring surrounding spaces; the
/// name listed first wins when a header has several. Every field is optional so a config override
/// can name only the fields it changes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvColumns {
    pub host: Option<Vec<String>>,
    pub fqdn: Option<Vec<String>>,
    /// The operating system's IPv4 address.
    pub ip: Option<Vec<String>>,
    pub me_ip: Option<Vec<String>>,
    /// The connection-specific suffix: the option 15 the host received.
    pub suffix: Option<Vec<String>>,
    pub site: Option<Vec<String>>,
    /// The primary DNS suffix; never read as an option 15 observation.
    pub primary_suffix: Option<Vec<String>>,
    pub ras: Option<Vec<String>>,
    pub mac: Option<Vec<String>>,
}

impl CsvColumns {
    /// The shipped column names. They are compiled in and covered by a test, so parsing cannot
    /// fail at run time.
    pub fn shipped() -> CsvColumns {
        toml::from_str(SHIPPED_COLUMNS).unwrap_or_default()
    }

    /// These columns with every field they leave out taken from `base`.
    pub fn over(self, base: &CsvColumns) -> CsvColumns {
        let pick =
            |own: Option<Vec<String>>, base: &Option<Vec<String>>| own.or_else(|| base.clone());
        CsvColumns {
            host: pick(self.host, &base.host),
            fqdn: pick(self.fqdn, &base.fqdn),
            ip: pick(self.ip, &base.ip),
            me_ip: pick(self.me_ip, &base.me_ip),
            suffix: pick(self.suffix, &base.suffix),
            site: pick(self.site, &base.site),
            primary_suffix: pick(self.primary_suffix, &base.primary_suffix),
            ras: pick(self.ras, &base.ras),
            mac: pick(self.mac, &base.mac),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_mapping_parses_and_sets_every_field() {
        let m: DiscoveryMapping = toml::from_str(SHIPPED_MAPPING).expect("shipped mapping parses");
        let fields = [
            &m.root,
            &m.me_ip,
            &m.os_ip,
            &m.os_primary_suffix,
            &m.link_status,
            &m.amt_version,
            &m.hostname,
            &m.fqdn,
            &m.mac,
            &m.control_mode,
        ];
        for field in fields {
            assert!(field.as_ref().is_some_and(|v| !v.is_empty()), "{m:?}");
        }
        assert!(toml::from_str::<DiscoveryMapping>("rooot = [\"x\"]").is_err());
    }

    #[test]
    fn shipped_columns_parse_and_set_every_field() {
        let m: CsvColumns = toml::from_str(SHIPPED_COLUMNS).expect("shipped columns parse");
        let fields = [
            &m.host,
            &m.fqdn,
            &m.ip,
            &m.me_ip,
            &m.suffix,
            &m.site,
            &m.primary_suffix,
            &m.ras,
            &m.mac,
        ];
        for field in fields {
            assert!(field.as_ref().is_some_and(|v| !v.is_empty()), "{m:?}");
        }
        assert!(toml::from_str::<CsvColumns>("hosts = [\"x\"]").is_err());
    }
}

//! Observations of the networks devices attach to: what option 15 each hands out and whether it
//! is the enterprise, and the hosts agents report. Read from observed.toml snapshots (snapshot.rs)
//! or raw sources (sources.rs dispatches to one reader per kind; collect.rs folds them together).

pub mod agent_fields;
#[cfg(test)]
pub mod agent_fixtures;
pub mod amtinfo;
pub mod collect;
pub mod dhcp_common;
pub mod dhcpd;
pub mod discovery;
pub mod dns;
pub mod dns_facts;
pub mod dnsmasq;
pub mod inventory_csv;
pub mod ipconfig;
pub mod kea;
pub mod model;
#[cfg(test)]
pub mod reader_tests;
pub mod snapshot;
pub mod sources;
pub mod windows_dhcp;

use crate::diagnostic::Location;
use crate::external::ExternalSuffixes;
use ipnet::Ipv6Net;
use model::{Ipv4Range, Origin};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trust {
    Enterprise,
    External,
}

/// One network as observed.
#[derive(Debug, Clone)]
pub struct Network {
    pub name: String,
    /// Option 15 as seen; `None` when the network sends none.
    pub suffix: Option<String>,
    pub trust: Trust,
    /// Set when the declared trust was overridden because the suffix is a known external one.
    pub forced_external: Option<String>,
    pub hosts: Option<u64>,
    pub ipv6_prefixes: Vec<Ipv6Net>,
    /// Address ranges of the network (DHCP scopes), used to attribute hosts.
    pub ranges: Vec<Ipv4Range>,
    /// Where the network was observed (DHCP scope lines) when collected from raw sources.
    pub sources: Vec<Origin>,
    /// Where network-side notes point: the `name = …` value in a snapshot, or the DHCP scope.
    pub location: Location,
}

impl Network {
    pub fn is_enterprise(&self) -> bool {
        self.trust == Trust::Enterprise
    }

    /// Apply the known external suffixes: such a network is external whatever it was declared.
    pub fn apply_external(&mut self, external: &ExternalSuffixes) {
        if let Some((known, _)) = self.suffix.as_deref().and_then(|s| external.classify(s)) {
            if self.trust == Trust::Enterprise {
                self.forced_external = Some(known.to_owned());
            }
            self.trust = Trust::External;
        }
    }

    /// "`hq-wired` (option 15 `corp.example.com`, 420 hosts)".
    pub fn describe(&self) -> String {
        let suffix = match &self.suffix {
            Some(s) => format!("option 15 `{s}`"),
            None => "no option 15".to_owned(),
        };
        match self.hosts {
            Some(1) => format!("`{}` ({suffix}, 1 host)", self.name),
            Some(n) => format!("`{}` ({suffix}, {n} hosts)", self.name),
            None => format!("`{}` ({suffix})", self.name),
        }
    }
}

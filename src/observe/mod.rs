//! Observations of the networks devices attach to: what option 15 each hands out and whether it
//! is the enterprise, and the hosts agents report. Read from observed.toml snapshots (snapshot.rs)
//! or raw sources (each reader declares its `READER`; sources.rs lists them in sniffing order).

pub mod agent_fields;
#[cfg(test)]
pub mod agent_fixtures;
pub mod amtinfo;
pub mod dhcp_common;
pub mod dhcpd;
pub mod discovery;
pub mod dns;
pub mod dns_facts;
pub mod dnsmasq;
pub mod inventory_csv;
pub mod ipconfig;
pub mod kea;
pub mod mapping;
pub mod model;
pub mod reader;
#[cfg(test)]
pub mod reader_tests;
pub mod snapshot;
pub mod sources;
pub mod windows_dhcp;

use crate::diagnostic::Location;
use crate::envdetect::Attachment;
use crate::external::ExternalSuffixes;
use ipnet::Ipv6Net;
use model::{Ipv4Range, Origin};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trust {
    Enterprise,
    External,
}

/// What kind of connection a network is to the device.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkKind {
    /// A network the ME itself attaches to and gets DHCP from (wired or Wi-Fi).
    #[default]
    Lan,
    /// The host's VPN connection: the ME gets no DHCP there; LMS on the host reports the VPN
    /// connection, and the home domains decide whether the host VPN counts as the enterprise.
    Vpn,
}

/// Who said whether a network is the enterprise's: a declaration wins over any list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustOrigin {
    /// `trust = …` written in observed.toml.
    Declared,
    /// A scope of a DHCP server configuration scslint was given: the enterprise's own server.
    /// Only the user's configured external suffixes override it.
    DhcpServer,
    /// Nobody said: a suffix seen only in agent reports, or a snapshot network without `trust`.
    /// The built-in consumer-router list and the configured external suffixes classify it.
    Assumed,
}

/// One network as observed.
#[derive(Debug, Clone)]
pub struct Network {
    pub name: String,
    /// Option 15 as seen; `None` when the network sends none.
    pub suffix: Option<String>,
    /// DHCPv6 option 24 (domain search list) as handed out; empty when the network sends none.
    pub search_v6: Vec<String>,
    pub trust: Trust,
    pub trust_origin: TrustOrigin,
    pub kind: NetworkKind,
    /// The known external suffix that made this network external: a configured one overriding a
    /// DHCP server's scope, or the built-in list classifying a network nobody declared.
    pub forced_external: Option<String>,
    /// The site the network belongs to (`site = …` in observed.toml), for per-site summaries.
    pub site: Option<String>,
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

    /// The network hands out a domain detection can compare: option 15 or a non-empty option 24.
    pub fn has_domain(&self) -> bool {
        self.suffix.is_some() || !self.search_v6.is_empty()
    }

    /// Every domain the network hands out: option 15, then option 24's list.
    pub fn domains(&self) -> impl Iterator<Item = &str> {
        self.suffix
            .as_deref()
            .into_iter()
            .chain(self.search_v6.iter().map(String::as_str))
    }

    /// The domain that names the network in advice: option 15, else option 24's first.
    pub fn primary_domain(&self) -> Option<&str> {
        self.domains().next()
    }

    /// What a device attached here gets, as the verdict engine reads it.
    pub fn attachment(&self) -> Attachment<'_> {
        Attachment {
            option15: self.suffix.as_deref(),
            option24: &self.search_v6,
            ipv6_prefixes: &self.ipv6_prefixes,
        }
    }

    /// Apply the known external suffixes. A declared trust stands; a DHCP server's scope yields
    /// only to the user's configured suffixes; a network nobody declared is classified by both
    /// the configured suffixes and the built-in consumer-router list.
    pub fn apply_external(&mut self, external: &ExternalSuffixes) {
        let Some((known, configured)) = self.primary_domain().and_then(|s| external.classify(s))
        else {
            return;
        };
        let applies = match self.trust_origin {
            TrustOrigin::Declared => false,
            TrustOrigin::DhcpServer => configured,
            TrustOrigin::Assumed => true,
        };
        if applies && self.trust == Trust::Enterprise {
            self.forced_external = Some(known.to_owned());
            self.trust = Trust::External;
        }
    }

    /// What AMT does on this network when no home domain matches, for messages.
    pub fn outside_effect(&self) -> &'static str {
        match self.kind {
            NetworkKind::Lan => {
                "AMT will believe it is outside there, close its local ports 16992-16995, and only CIRA will reach those devices"
            }
            NetworkKind::Vpn => {
                "AMT will not count the host VPN as the enterprise, so consoles cannot reach the ME through it (only over CIRA); the ME's own ports follow the network it is physically on"
            }
        }
    }

    /// Why a network counts as external although nobody declared it so, for messages:
    /// "no trust declared; `fritz.box` is a known external suffix".
    pub fn trust_note(&self) -> Option<String> {
        let known = self.forced_external.as_ref()?;
        Some(match self.trust_origin {
            TrustOrigin::DhcpServer => format!(
                "a scope of the DHCP server given, but `{known}` is a configured external suffix"
            ),
            _ => format!("no trust declared; `{known}` is a known external suffix"),
        })
    }

    /// "`hq-wired` (option 15 `corp.example.com`, 420 hosts)"; option 24 is named when present:
    /// "`v6` (no option 15, option 24 `corp.example`, `lab.example`)".
    pub fn describe(&self) -> String {
        let mut suffix = match &self.suffix {
            Some(s) => format!("option 15 `{s}`"),
            None => "no option 15".to_owned(),
        };
        if !self.search_v6.is_empty() {
            let list: Vec<String> = self.search_v6.iter().map(|d| format!("`{d}`")).collect();
            suffix.push_str(&format!(", option 24 {}", list.join(", ")));
        }
        match self.hosts {
            Some(1) => format!("`{}` ({suffix}, 1 host)", self.name),
            Some(n) => format!("`{}` ({suffix}, {n} hosts)", self.name),
            None => format!("`{}` ({suffix})", self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    fn network(suffix: &str, trust: Trust, trust_origin: TrustOrigin) -> Network {
        Network {
            name: "n".into(),
            suffix: Some(suffix.into()),
            search_v6: vec![],
            trust,
            trust_origin,
            kind: NetworkKind::Lan,
            forced_external: None,
            site: None,
            hosts: None,
            ipv6_prefixes: vec![],
            ranges: vec![],
            sources: vec![],
            location: Location::File {
                path: "observed.toml".into(),
                line: 1,
                column: 1,
            },
        }
    }

    fn classified(suffix: &str, origin: TrustOrigin) -> Trust {
        let external = ExternalSuffixes::new(["guest.corp.local"]);
        let mut n = network(suffix, Trust::Enterprise, origin);
        n.apply_external(&external);
        assert_eq!(n.forced_external.is_some(), n.trust == Trust::External);
        n.trust
    }

    #[test]
    fn declared_trust_wins_over_every_list() {
        use TrustOrigin::*;
        assert_eq!(classified("corp.local", Declared), Trust::Enterprise);
        assert_eq!(classified("guest.corp.local", Declared), Trust::Enterprise);
        let mut declared_external = network("corp.com", Trust::External, Declared);
        declared_external.apply_external(&ExternalSuffixes::default());
        assert_eq!(declared_external.trust, Trust::External);
    }

    #[test]
    fn a_dhcp_servers_scope_yields_only_to_configured_suffixes() {
        use TrustOrigin::*;
        assert_eq!(classified("corp.local", DhcpServer), Trust::Enterprise);
        assert_eq!(classified("fritz.box", DhcpServer), Trust::Enterprise);
        assert_eq!(classified("guest.corp.local", DhcpServer), Trust::External);
        let mut n = network("guest.corp.local", Trust::Enterprise, DhcpServer);
        n.apply_external(&ExternalSuffixes::new(["guest.corp.local"]));
        assert!(
            n.trust_note()
                .is_some_and(|t| t.contains("configured external suffix"))
        );
    }

    #[test]
    fn the_consumer_list_classifies_only_networks_nobody_declared() {
        use TrustOrigin::*;
        assert_eq!(classified("corp.local", Assumed), Trust::External);
        assert_eq!(classified("fritz.box", Assumed), Trust::External);
        assert_eq!(classified("corp.example.com", Assumed), Trust::Enterprise);
        let mut n = network("fritz.box", Trust::Enterprise, Assumed);
        n.apply_external(&ExternalSuffixes::default());
        assert_eq!(
            n.trust_note().as_deref(),
            Some("no trust declared; `fritz.box` is a known external suffix")
        );
    }
}

//! The coverage matrix `scslint report` draws: every profile on every observed network, with the
//! verdict the engine predicts ([`Profile::verdict`]), and the totals a rollout board reads (hosts
//! left outside on enterprise networks, hosts that would believe they are home on external ones),
//! per profile, per network and per site.

use crate::envdetect::{InsideBy, NotEvaluated, Verdict};
use crate::observe::{Network, NetworkKind, Trust, TrustOrigin};
use crate::profile::Profile;
use serde::Serialize;
use std::collections::BTreeMap;

/// A predicted state, in the order reports show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// A home-domain entry (or IPv6 prefix) matches byte for byte: AMT is at home.
    Inside,
    /// A match only if the firmware folds case or drops a trailing dot.
    Uncertain,
    /// No entry matches: AMT believes it is outside.
    Outside,
    /// Detection does not run or is not modelled (static IP, RemoteURLs, a profile that leaves
    /// detection as it is on the device, a network not observed under the profile's config).
    NotEvaluated,
    /// The profile empties the list: detection is off.
    Disabled,
}

impl State {
    pub const ALL: [State; 5] = [
        State::Inside,
        State::Uncertain,
        State::Outside,
        State::NotEvaluated,
        State::Disabled,
    ];

    /// The name used in every output (`not-evaluated`).
    pub fn as_str(self) -> &'static str {
        match self {
            State::Inside => "inside",
            State::Uncertain => "uncertain",
            State::Outside => "outside",
            State::NotEvaluated => "not-evaluated",
            State::Disabled => "disabled",
        }
    }

    /// The name in prose (`not evaluated`).
    pub fn label(self) -> &'static str {
        match self {
            State::NotEvaluated => "not evaluated",
            s => s.as_str(),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Hosts per state, in [`State::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ByState {
    pub inside: u64,
    pub uncertain: u64,
    pub outside: u64,
    pub not_evaluated: u64,
    pub disabled: u64,
}

impl ByState {
    pub fn get(&self, state: State) -> u64 {
        self.values()[state.index()]
    }

    pub fn values(&self) -> [u64; 5] {
        [
            self.inside,
            self.uncertain,
            self.outside,
            self.not_evaluated,
            self.disabled,
        ]
    }

    fn add(&mut self, state: State, n: u64) {
        let slot = match state {
            State::Inside => &mut self.inside,
            State::Uncertain => &mut self.uncertain,
            State::Outside => &mut self.outside,
            State::NotEvaluated => &mut self.not_evaluated,
            State::Disabled => &mut self.disabled,
        };
        *slot = slot.saturating_add(n);
    }

    pub fn total(&self) -> u64 {
        self.values().iter().fold(0u64, |a, b| a.saturating_add(*b))
    }
}

/// A row of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileInfo {
    pub name: String,
    pub path: String,
    /// What kind of profile it is ("Intel SCS profile").
    pub kind: &'static str,
    /// The home domains as written in the file (empty when the profile sets none).
    pub home_domains: Vec<String>,
}

/// A column of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkInfo {
    pub name: String,
    /// Option 15, or null when the network sends none.
    pub option15: Option<String>,
    /// DHCPv6 option 24, in order.
    pub option24: Vec<String>,
    /// `enterprise` or `external`.
    pub trust: &'static str,
    /// `lan` or `vpn`.
    pub kind: &'static str,
    /// Hosts seen on it, when known.
    pub hosts: Option<u64>,
    /// The network's site: its `site` in observed.toml, else, for a scope read from a DHCP
    /// server's configuration, the file the scope is defined in (a server's, or an included one).
    pub site: Option<String>,
    /// Where the site comes from: `observed` (a `site` key) or `dhcp-server`.
    pub site_from: Option<&'static str>,
}

/// One profile on one network.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Index into [`Coverage::profiles`].
    pub profile: usize,
    /// Index into [`Coverage::networks`].
    pub network: usize,
    pub state: State,
    /// The home-domain entry (or IPv6 prefix) that matched, as written in the profile.
    pub entry: Option<String>,
    /// What it matched: `option15`, `option24` or `ipv6-prefix`.
    pub matched: Option<&'static str>,
    /// Why the verdict was not evaluated, or what makes it uncertain.
    pub reason: Option<String>,
}

/// A profile's totals over every network.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProfileTotals {
    /// Hosts per state, over every network with a host count.
    pub hosts: ByState,
    /// Hosts on enterprise networks where AMT would believe it is outside.
    pub enterprise_outside: u64,
    /// Hosts on enterprise networks where the verdict is uncertain.
    pub enterprise_uncertain: u64,
    /// Hosts on external networks where AMT would believe it is home.
    pub external_inside: u64,
    /// Hosts on external networks where it might (an uncertain match).
    pub external_uncertain: u64,
}

/// A network's totals over every profile.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NetworkTotals {
    /// How many profiles get each state there.
    pub profiles: ByState,
}

/// One profile at one site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteProfile {
    /// Index into [`Coverage::profiles`].
    pub profile: usize,
    /// Hosts of the site's networks per state.
    pub hosts: ByState,
    /// Hosts of the site's enterprise networks per state.
    pub enterprise: ByState,
}

/// The networks that carry one `site`.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub name: String,
    /// Indices into [`Coverage::networks`].
    pub networks: Vec<usize>,
    /// Hosts on the site's networks (those with a count).
    pub hosts: u64,
    pub enterprise_hosts: u64,
    pub profiles: Vec<SiteProfile>,
}

/// The whole matrix with its totals.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    pub profiles: Vec<ProfileInfo>,
    pub networks: Vec<NetworkInfo>,
    /// Row by row: profile 0 on every network, then profile 1…
    pub cells: Vec<Cell>,
    /// One per profile, in [`Coverage::profiles`] order.
    pub profile_totals: Vec<ProfileTotals>,
    /// One per network, in [`Coverage::networks`] order.
    pub network_totals: Vec<NetworkTotals>,
    /// Sites in name order; empty when no network carries one.
    pub sites: Vec<Site>,
}

/// What a not-evaluated cell says when the profile's config observed other networks.
const NOT_OBSERVED: &str = "the network was not observed under this profile's config";
/// What it says when the profile leaves detection alone.
const UNMANAGED: &str = "the profile leaves environment detection as it is on the device";

/// One profile (with the networks observed under its config) per row.
pub struct Row<'a> {
    pub profile: &'a Profile,
    pub networks: &'a [Network],
}

impl Coverage {
    /// The matrix of `rows` over every network any of them observed (each network name once, in
    /// the order first seen).
    pub fn build(rows: &[Row]) -> Coverage {
        let mut columns: Vec<&Network> = Vec::new();
        let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
        for row in rows {
            for n in row.networks {
                by_name.entry(n.name.as_str()).or_insert_with(|| {
                    columns.push(n);
                    columns.len() - 1
                });
            }
        }
        let mut cov = Coverage {
            networks: columns.iter().map(|n| network_info(n)).collect(),
            network_totals: vec![NetworkTotals::default(); columns.len()],
            ..Coverage::default()
        };
        for (p, row) in rows.iter().enumerate() {
            let profile = row.profile;
            cov.profiles.push(ProfileInfo {
                name: profile.name.clone(),
                path: profile.source.path.to_string_lossy().replace('\\', "/"),
                kind: profile.kind.describe(),
                home_domains: profile
                    .detection
                    .as_ref()
                    .map(|d| d.strings.clone())
                    .unwrap_or_default(),
            });
            let mut totals = ProfileTotals::default();
            for (c, column) in columns.iter().enumerate() {
                let own = row.networks.iter().find(|n| n.name == column.name);
                let cell = match own {
                    Some(n) => cell(p, c, profile, n),
                    None => Cell {
                        profile: p,
                        network: c,
                        state: State::NotEvaluated,
                        entry: None,
                        matched: None,
                        reason: Some(NOT_OBSERVED.to_owned()),
                    },
                };
                let hosts = column.hosts.unwrap_or(0);
                totals.hosts.add(cell.state, hosts);
                match (column.trust, cell.state) {
                    (Trust::Enterprise, State::Outside) => totals.enterprise_outside += hosts,
                    (Trust::Enterprise, State::Uncertain) => totals.enterprise_uncertain += hosts,
                    (Trust::External, State::Inside) => totals.external_inside += hosts,
                    (Trust::External, State::Uncertain) => totals.external_uncertain += hosts,
                    _ => {}
                }
                cov.network_totals[c].profiles.add(cell.state, 1);
                cov.cells.push(cell);
            }
            cov.profile_totals.push(totals);
        }
        cov.sites = sites(&cov);
        cov
    }

    /// The cell of profile `p` on network `n`.
    pub fn cell(&self, p: usize, n: usize) -> Option<&Cell> {
        self.cells.get(p * self.networks.len() + n)
    }

    /// Hosts over every network with a count.
    pub fn hosts(&self) -> u64 {
        self.networks.iter().filter_map(|n| n.hosts).sum()
    }
}

fn network_info(n: &Network) -> NetworkInfo {
    let server = || {
        (n.trust_origin == TrustOrigin::DhcpServer)
            .then(|| n.sources.first())
            .flatten()
            .map(|o| o.path.to_string_lossy().replace('\\', "/"))
    };
    let (site, site_from) = match (&n.site, server()) {
        (Some(site), _) => (Some(site.clone()), Some("observed")),
        (None, Some(path)) => (Some(path), Some("dhcp-server")),
        (None, None) => (None, None),
    };
    NetworkInfo {
        name: n.name.clone(),
        option15: n.suffix.clone(),
        option24: n.search_v6.clone(),
        trust: match n.trust {
            Trust::Enterprise => "enterprise",
            Trust::External => "external",
        },
        kind: match n.kind {
            NetworkKind::Lan => "lan",
            NetworkKind::Vpn => "vpn",
        },
        hosts: n.hosts,
        site,
        site_from,
    }
}

/// The verdict engine's answer for one profile on one network, as a cell.
fn cell(p: usize, c: usize, profile: &Profile, n: &Network) -> Cell {
    let mut cell = Cell {
        profile: p,
        network: c,
        state: State::NotEvaluated,
        entry: None,
        matched: None,
        reason: None,
    };
    let Some(verdict) = profile.verdict(&n.attachment()) else {
        cell.reason = Some(UNMANAGED.to_owned());
        return cell;
    };
    let detection = profile.detection.as_ref();
    match verdict {
        Verdict::Inside(InsideBy::Domain {
            index,
            uncertain,
            option24,
            ..
        }) => {
            cell.state = if uncertain {
                State::Uncertain
            } else {
                State::Inside
            };
            cell.entry = detection.and_then(|d| d.strings.get(index)).cloned();
            cell.matched = Some(if option24 { "option24" } else { "option15" });
            if uncertain {
                cell.reason = Some(
                    "matches only with case folded, a trailing dot or spaces removed: the firmware's comparison is undocumented"
                        .to_owned(),
                );
            }
        }
        Verdict::Inside(InsideBy::Ipv6Prefix { index }) => {
            cell.state = State::Inside;
            cell.entry = detection.and_then(|d| d.ipv6_prefixes.get(index)).cloned();
            cell.matched = Some("ipv6-prefix");
        }
        Verdict::Outside { .. } => cell.state = State::Outside,
        Verdict::Disabled => cell.state = State::Disabled,
        Verdict::NotEvaluated(why) => {
            cell.reason = Some(
                match why {
                    NotEvaluated::StaticIp => "static IP: detection does not run",
                    NotEvaluated::RemoteUrls => "RemoteURLs algorithm: not modelled",
                }
                .to_owned(),
            );
        }
    }
    cell
}

/// Per-site sums, for networks that carry a site.
fn sites(cov: &Coverage) -> Vec<Site> {
    let mut by_site: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, n) in cov.networks.iter().enumerate() {
        if let Some(site) = &n.site {
            by_site.entry(site.as_str()).or_default().push(i);
        }
    }
    by_site
        .into_iter()
        .map(|(name, networks)| {
            let hosts = |i: &usize| cov.networks[*i].hosts.unwrap_or(0);
            let enterprise = |i: &&usize| cov.networks[**i].trust == "enterprise";
            let profiles = (0..cov.profiles.len())
                .map(|p| {
                    let mut row = SiteProfile {
                        profile: p,
                        hosts: ByState::default(),
                        enterprise: ByState::default(),
                    };
                    for i in &networks {
                        if let Some(cell) = cov.cell(p, *i) {
                            row.hosts.add(cell.state, hosts(i));
                            if enterprise(&i) {
                                row.enterprise.add(cell.state, hosts(i));
                            }
                        }
                    }
                    row
                })
                .collect();
            Site {
                name: name.to_owned(),
                hosts: networks.iter().map(hosts).sum(),
                enterprise_hosts: networks.iter().filter(enterprise).map(hosts).sum(),
                networks,
                profiles,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{net, profile, with_static_ip};

    fn hosts(mut n: Network, count: u64, site: &str) -> Network {
        n.hosts = Some(count);
        n.site = Some(site.to_owned());
        n
    }

    #[test]
    fn states_and_totals_follow_the_verdict_engine() {
        let networks = vec![
            hosts(net("hq", Some("company.com"), Trust::Enterprise), 100, "HQ"),
            hosts(
                net("plant", Some("plant.other.net"), Trust::Enterprise),
                40,
                "Plant",
            ),
            hosts(
                net("hq-upper", Some("HQ.Company.com."), Trust::Enterprise),
                7,
                "HQ",
            ),
            hosts(
                net("hotel", Some("company.com.hotel.net"), Trust::External),
                3,
                "HQ",
            ),
        ];
        let corp = profile(&["company.com"]);
        let fixed = with_static_ip(profile(&["company.com"]));
        let rows = [
            Row {
                profile: &corp,
                networks: &networks,
            },
            Row {
                profile: &fixed,
                networks: &networks[..2],
            },
        ];
        let cov = Coverage::build(&rows);
        assert_eq!(cov.cells.len(), 8);
        let states: Vec<State> = cov.cells.iter().map(|c| c.state).collect();
        assert_eq!(
            states,
            [
                State::Inside,
                State::Outside,
                State::Uncertain,
                State::Outside,
                State::NotEvaluated,
                State::NotEvaluated,
                State::NotEvaluated,
                State::NotEvaluated,
            ]
        );
        assert_eq!(cov.cells[0].entry.as_deref(), Some("company.com"));
        assert_eq!(cov.cells[0].matched, Some("option15"));
        assert_eq!(cov.cells[6].reason.as_deref(), Some(NOT_OBSERVED));
        let t = &cov.profile_totals[0];
        assert_eq!(t.enterprise_outside, 40);
        assert_eq!(t.enterprise_uncertain, 7);
        assert_eq!(t.external_inside, 0);
        assert_eq!(t.hosts.inside, 100);
        assert_eq!(t.hosts.outside, 43);
        assert_eq!(cov.network_totals[0].profiles.inside, 1);
        assert_eq!(cov.network_totals[0].profiles.not_evaluated, 1);
        let names: Vec<&str> = cov.sites.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["HQ", "Plant"]);
        let hq = &cov.sites[0];
        assert_eq!((hq.hosts, hq.enterprise_hosts), (110, 107));
        assert_eq!(hq.profiles[0].enterprise.inside, 100);
        assert_eq!(hq.profiles[0].enterprise.uncertain, 7);
        assert_eq!(hq.profiles[0].hosts.outside, 3);
    }

    #[test]
    fn external_inside_counts_hosts_that_believe_they_are_home() {
        let networks = vec![hosts(
            net("guest", Some("guest.company.com"), Trust::External),
            12,
            "HQ",
        )];
        let corp = profile(&["company.com"]);
        let cov = Coverage::build(&[Row {
            profile: &corp,
            networks: &networks,
        }]);
        assert_eq!(cov.cells[0].state, State::Inside);
        assert_eq!(cov.profile_totals[0].external_inside, 12);
    }
}

//! What changed between two runs: two observed snapshots (networks added, removed, or with
//! another option 15, option 24, trust or host count), or two sets of findings (JSON reports or
//! baselines, in any mix) compared by fingerprint, each fingerprint counted as often as it occurs.

use crate::diagnostic::{Code, Severity};
use crate::observe::Network;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A network as the diff shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkState {
    pub name: String,
    /// Option 15, or null when the network sends none.
    pub suffix: Option<String>,
    /// DHCPv6 option 24, in order.
    pub search_v6: Vec<String>,
    /// `enterprise` or `external`.
    pub trust: &'static str,
    /// Hosts seen on it, when known.
    pub hosts: Option<u64>,
}

impl NetworkState {
    pub fn of(n: &Network) -> NetworkState {
        NetworkState {
            name: n.name.clone(),
            suffix: n.suffix.clone(),
            search_v6: n.search_v6.clone(),
            trust: if n.is_enterprise() {
                "enterprise"
            } else {
                "external"
            },
            hosts: n.hosts,
        }
    }
}

/// A network in both snapshots whose state differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub before: NetworkState,
    pub after: NetworkState,
}

impl Changed {
    /// What changed, in words: "option 15 `a` → `b`", "trust enterprise → external",
    /// "hosts 40 → 52".
    pub fn what(&self) -> Vec<String> {
        let (a, b) = (&self.before, &self.after);
        let mut out = Vec::new();
        let shown = |s: &Option<String>| s.as_deref().map_or("none".into(), |s| format!("`{s}`"));
        if a.suffix != b.suffix {
            out.push(format!(
                "option 15 {} → {}",
                shown(&a.suffix),
                shown(&b.suffix)
            ));
        }
        if a.search_v6 != b.search_v6 {
            let list = |l: &[String]| match l {
                [] => "none".to_owned(),
                _ => l
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            out.push(format!(
                "option 24 {} → {}",
                list(&a.search_v6),
                list(&b.search_v6)
            ));
        }
        if a.trust != b.trust {
            out.push(format!("trust {} → {}", a.trust, b.trust));
        }
        if a.hosts != b.hosts {
            let count = |h: Option<u64>| h.map_or("unknown".into(), |h| h.to_string());
            out.push(format!("hosts {} → {}", count(a.hosts), count(b.hosts)));
        }
        out
    }
}

/// Two snapshots compared network by network, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SnapshotDiff {
    pub added: Vec<NetworkState>,
    pub removed: Vec<NetworkState>,
    pub changed: Vec<Changed>,
    pub unchanged: usize,
}

impl SnapshotDiff {
    pub fn new(old: &[Network], new: &[Network]) -> SnapshotDiff {
        let before: BTreeMap<&str, NetworkState> = old
            .iter()
            .map(|n| (n.name.as_str(), NetworkState::of(n)))
            .collect();
        let after: BTreeMap<&str, NetworkState> = new
            .iter()
            .map(|n| (n.name.as_str(), NetworkState::of(n)))
            .collect();
        let mut diff = SnapshotDiff::default();
        for (name, a) in &before {
            match after.get(name) {
                None => diff.removed.push(a.clone()),
                Some(b) if a == b => diff.unchanged += 1,
                Some(b) => diff.changed.push(Changed {
                    before: a.clone(),
                    after: b.clone(),
                }),
            }
        }
        diff.added = after
            .iter()
            .filter(|(name, _)| !before.contains_key(*name))
            .map(|(_, b)| b.clone())
            .collect();
        diff
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// One finding as a report or a baseline records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    pub fingerprint: String,
    pub code: String,
    /// From a report; a baseline records none (the rule's default is assumed).
    pub severity: Option<Severity>,
    pub path: String,
    /// From a report; a baseline records none.
    pub line: Option<usize>,
    pub message: String,
}

impl Recorded {
    /// The severity it was reported with, else its rule's default.
    pub fn severity(&self) -> Severity {
        self.severity
            .or_else(|| Code::parse(&self.code).map(Code::default_severity))
            .unwrap_or(Severity::Error)
    }
}

/// Two sets of findings compared by fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FindingsDiff {
    /// In the new set only (as often as the new set has it more than the old).
    pub new: Vec<Recorded>,
    /// In the old set only.
    pub fixed: Vec<Recorded>,
    pub unchanged: usize,
}

impl FindingsDiff {
    pub fn new(old: Vec<Recorded>, new: Vec<Recorded>) -> FindingsDiff {
        let mut left: HashMap<String, usize> = HashMap::new();
        for f in &old {
            *left.entry(f.fingerprint.clone()).or_default() += 1;
        }
        let mut diff = FindingsDiff::default();
        for f in new {
            match left.get_mut(&f.fingerprint).filter(|n| **n > 0) {
                Some(n) => {
                    *n -= 1;
                    diff.unchanged += 1;
                }
                None => diff.new.push(f),
            }
        }
        // The old findings not matched, the last of each fingerprint first taken.
        let mut fixed: Vec<Recorded> = Vec::new();
        for f in old.into_iter().rev() {
            if let Some(n) = left.get_mut(&f.fingerprint).filter(|n| **n > 0) {
                *n -= 1;
                fixed.push(f);
            }
        }
        fixed.reverse();
        diff.fixed = fixed;
        diff
    }

    /// New findings at or above `level`.
    pub fn new_at_or_above(&self, level: Severity) -> usize {
        self.new.iter().filter(|f| f.severity() >= level).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;
    use crate::observe::{NetworkKind, Trust, TrustOrigin};

    fn network(name: &str, suffix: Option<&str>, trust: Trust, hosts: Option<u64>) -> Network {
        Network {
            name: name.into(),
            suffix: suffix.map(Into::into),
            search_v6: Vec::new(),
            trust,
            trust_origin: TrustOrigin::Declared,
            kind: NetworkKind::Lan,
            forced_external: None,
            site: None,
            hosts,
            ipv6_prefixes: Vec::new(),
            ranges: Vec::new(),
            sources: Vec::new(),
            location: Location::File {
                path: "observed.toml".into(),
                line: 1,
                column: 1,
            },
        }
    }

    fn recorded(fingerprint: &str, code: &str, severity: Option<Severity>) -> Recorded {
        Recorded {
            fingerprint: fingerprint.into(),
            code: code.into(),
            severity,
            path: "p.xml".into(),
            line: None,
            message: "m".into(),
        }
    }

    #[test]
    fn snapshots_differ_by_network_name() {
        use Trust::{Enterprise, External};
        let old = [
            network("hq", Some("corp.example"), Enterprise, Some(40)),
            network("lab", Some("lab.example"), Enterprise, None),
            network("guest", Some("guest.example"), External, Some(3)),
        ];
        let new = [
            network("hq", Some("corp.example.com"), Enterprise, Some(52)),
            network("guest", Some("guest.example"), External, Some(3)),
            network("vpn", None, Enterprise, None),
        ];
        let d = SnapshotDiff::new(&old, &new);
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.removed.len(), 1);
        assert_eq!(d.removed[0].name, "lab");
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.added[0].name, "vpn");
        assert_eq!(
            d.changed[0].what(),
            [
                "option 15 `corp.example` → `corp.example.com`",
                "hosts 40 → 52"
            ]
        );
        assert!(SnapshotDiff::new(&old, &old).is_empty());
    }

    #[test]
    fn findings_are_counted_per_fingerprint() {
        let old = vec![
            recorded("a", "SL100", Some(Severity::Error)),
            recorded("a", "SL100", Some(Severity::Error)),
            recorded("b", "SL003", Some(Severity::Warning)),
        ];
        let new = vec![
            recorded("a", "SL100", Some(Severity::Error)),
            recorded("c", "SL006", None),
            recorded("d", "SL003", Some(Severity::Warning)),
        ];
        let d = FindingsDiff::new(old, new);
        assert_eq!(d.unchanged, 1);
        let fingerprints =
            |v: &[Recorded]| v.iter().map(|f| f.fingerprint.clone()).collect::<Vec<_>>();
        assert_eq!(fingerprints(&d.new), ["c", "d"]);
        assert_eq!(fingerprints(&d.fixed), ["a", "b"]);
        // SL006 from a baseline has no severity: its rule's default (error) counts.
        assert_eq!(d.new_at_or_above(Severity::Error), 1);
        assert_eq!(d.new_at_or_above(Severity::Warning), 2);
    }
}

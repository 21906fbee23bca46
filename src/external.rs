//! Suffixes of networks that are never the enterprise: the built-in list of consumer-router
//! suffixes, plus any the user adds in scslint.toml.

use crate::dns_name::{SuffixMatch, normalise, suffix_match};

/// Suffixes home routers, ISP gateways and OS connection sharing hand out by default.
pub const CONSUMER_ROUTER_SUFFIXES: &[&str] = &[
    "home",
    "lan",
    "local",
    "localdomain",
    "localnet",
    "domain",
    "router",
    "wlan",
    "home.arpa",
    "fritz.box",
    "speedport.ip",
    "mshome.net",
    "attlocal.net",
    "gateway.2wire.net",
    "dlinkrouter",
    "totolink",
    "tendawifi.com",
    "routerlogin.net",
];

#[derive(Debug, Clone)]
pub struct ExternalSuffixes {
    /// (normalised suffix, true when it came from the user's config)
    entries: Vec<(String, bool)>,
}

impl Default for ExternalSuffixes {
    fn default() -> Self {
        ExternalSuffixes::new(std::iter::empty::<&str>())
    }
}

impl ExternalSuffixes {
    pub fn new<S: AsRef<str>>(extra: impl IntoIterator<Item = S>) -> Self {
        let mut entries: Vec<(String, bool)> = CONSUMER_ROUTER_SUFFIXES
            .iter()
            .map(|s| (s.to_string(), false))
            .collect();
        entries.extend(extra.into_iter().map(|s| (normalise(s.as_ref()), true)));
        ExternalSuffixes { entries }
    }

    /// The known external suffix this option-15 value belongs to (equal, or a label below it),
    /// and whether the user configured it. Configured suffixes are looked at first.
    pub fn classify(&self, value: &str) -> Option<(&str, bool)> {
        let value = normalise(value);
        let (configured, built_in): (Vec<_>, Vec<_>) =
            self.entries.iter().partition(|(_, user)| *user);
        configured
            .into_iter()
            .chain(built_in)
            .find(|(e, _)| suffix_match(e, &value).matches())
            .map(|(e, user)| (e.as_str(), *user))
    }

    /// Known external suffixes that a home-domain entry would match: the entry equals them or is
    /// a parent of them.
    pub fn covered_by(&self, entry: &str) -> Vec<(&str, bool)> {
        let entry = normalise(entry);
        self.entries
            .iter()
            .filter(|(e, _)| {
                matches!(
                    suffix_match(&entry, e),
                    SuffixMatch::Exact | SuffixMatch::Label
                )
            })
            .map(|(e, user)| (e.as_str(), *user))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumer_suffixes_and_their_children_are_external() {
        let ext = ExternalSuffixes::new(["Guest.Company.com."]);
        assert_eq!(ext.classify("FRITZ.box"), Some(("fritz.box", false)));
        assert_eq!(ext.classify("hitron.home"), Some(("home", false)));
        assert_eq!(
            ext.classify("guest.company.com"),
            Some(("guest.company.com", true))
        );
        assert_eq!(ext.classify("company.com"), None);
        assert_eq!(ext.classify("homes.example"), None);
    }

    #[test]
    fn entries_cover_external_suffixes_at_or_below_them() {
        let ext = ExternalSuffixes::new(["guest.company.com"]);
        assert_eq!(
            ext.covered_by("company.com"),
            vec![("guest.company.com", true)]
        );
        assert_eq!(ext.covered_by("box"), vec![("fritz.box", false)]);
        assert!(ext.covered_by("hq.company.com").is_empty());
        assert!(ext.covered_by("x.fritz.box").is_empty());
    }
}

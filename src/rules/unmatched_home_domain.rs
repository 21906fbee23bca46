//! SL102: a home domain that matches none of the observed enterprise networks.

use super::Context;
use crate::diagnostic::{Code, Finding};
use crate::dns_name::{is_placeholder, normalise, normalised, shared_right_labels, suffix_match};
use crate::envdetect::Algorithm;
use crate::observe::Network;

declare_rule! {
    code: SL102,
    name: "unmatched-home-domain",
    level: Warning,
    scope: Network,
    needs: [Networks],
    check: Profile(check),
    summary: "A home domain that matches no observed enterprise network; the help names the nearest observed suffix.",
    what: "An entry under which no observed enterprise network's option 15 falls. The help names the \
nearest observed suffix, ranked by labels shared from the right beyond the top-level one, then by \
labels in common elsewhere (`company` in `ad.company.local` and `company.com`), then by edit \
distance. Console \
placeholders (SL009) are exempt. When an enterprise network of the profile comes out outside, the \
entry is part of that mistake: SL100 labels it with the same advice and SL102 is not reported.",
    why: "This is how the article's mistake shows up before rollout: `ad.company.local` (the Active \
Directory domain, the hosts' primary DNS suffix) configured where DHCP hands out `company.com`. AMT \
compares option 15, the connection-specific suffix, so the entry matches nothing and the devices \
believe they are outside on their own LAN. An unmatched entry can also be a typo, or a site that was \
not observed.\nSource: IRG, Configuring Environment Detection (the strings are the suffixes DHCP hands out)",
    fix: "Replace the entry with the suffix DHCP really hands out (`ipconfig /all`, \"Connection-specific \
DNS Suffix\", not \"Primary Dns Suffix\"), or add the missing network to the observed file.",
    example: r#"  home domains: company.com, ad.company.local
  observed:     hq-wired = company.com, branch = branch.company.com
  → SL102: `ad.company.local` matches no enterprise network; nearest observed suffix: `company.com`"#,
}

/// Labels two names share anywhere but in the last position: `company` for `ad.company.local`
/// and `company.com`, which share no label from the right (the AD root mistake).
fn shared_inner_labels(a: &str, b: &str) -> usize {
    fn inner(n: &str) -> &str {
        n.rsplit_once('.').map_or("", |(inner, _)| inner)
    }
    let b = inner(b);
    let b = || b.split('.').filter(|l| !l.is_empty());
    inner(a)
        .split('.')
        .filter(|l| !l.is_empty() && b().any(|m| m == *l))
        .count()
}

/// The observed enterprise suffix closest to `entry`, and a network that sends it: most labels
/// shared from the right beyond the top-level one, then most labels in common elsewhere, then
/// fewest edits, then by name. The label counts are compared first over every suffix; the edit
/// distance, the costly part, only among those tied on them.
fn nearest<'n>(entry: &str, networks: &[&'n Network]) -> Option<(String, &'n Network)> {
    let entry = normalised(entry);
    let labels = |s: &str| {
        let right = shared_right_labels(&entry, s);
        (
            // A shared top-level label alone (`local`, `com`) says little.
            std::cmp::Reverse(if right >= 2 { right } else { 0 }),
            std::cmp::Reverse(shared_inner_labels(&entry, s)),
            std::cmp::Reverse(right),
        )
    };
    let mut best = None;
    let mut tied: Vec<(std::borrow::Cow<'_, str>, &'n Network)> = Vec::new();
    for n in networks {
        for s in n.domains().map(normalised) {
            let key = labels(&s);
            if best.is_none_or(|b| key < b) {
                best = Some(key);
                tied.clear();
            }
            if best == Some(key) {
                tied.push((s, n));
            }
        }
    }
    tied.into_iter()
        .min_by_key(|(s, n)| (strsim::levenshtein(&entry, s), s.clone(), n.name.clone()))
        .map(|(s, n)| (s.into_owned(), n))
}

/// The [`super::Fate`] of `entry` (normalised): worked out once per entry for all the profiles that share
/// `ctx`'s memo. The enterprise networks it is compared with do not depend on the profile.
fn fate(ctx: &Context<'_, '_>, entry: &str, enterprise: &[&Network]) -> super::Fate {
    let compute = || {
        let matched = enterprise
            .iter()
            .flat_map(|n| n.domains())
            .any(|s| suffix_match(entry, &normalised(s)).matches());
        if matched {
            return None;
        }
        let networks = ctx.networks.unwrap_or_default();
        Some(nearest(entry, enterprise).and_then(|(suffix, n)| {
            let index = networks.iter().position(|m| std::ptr::eq(m, n))?;
            Some((suffix, index))
        }))
    };
    let Some(memo) = ctx.memo else {
        return compute();
    };
    if let Some(known) = memo.fates.lock().ok().and_then(|m| m.get(entry).cloned()) {
        return known;
    }
    let found = compute();
    if let Ok(mut m) = memo.fates.lock() {
        m.insert(entry.to_owned(), found.clone());
    }
    found
}

/// What an entry that [`looks_like_ad_domain`] is, and why it cannot match.
const AD_DOMAIN: &str = "an Active Directory or internal domain: AMT compares the DHCP option 15 suffix, not the AD domain or primary DNS suffix";

/// Endings that usually mean an Active Directory or internal-only DNS name.
fn looks_like_ad_domain(entry: &str) -> bool {
    let n = normalise(entry);
    let last = n.rsplit('.').next().unwrap_or("");
    matches!(
        last,
        "local" | "corp" | "ad" | "internal" | "intranet" | "lan"
    ) || n.starts_with("ad.")
}

/// A home domain that matches no observed enterprise network, with the nearest observed suffix.
pub(super) struct Unmatched<'a, 'n> {
    pub entry: &'a str,
    pub span: crate::source::Span,
    /// The nearest observed option 15 and a network that sends it.
    pub nearest: Option<(String, &'n Network)>,
}

impl Unmatched<'_, '_> {
    /// "`ad.company.local` matches no observed network; nearest observed suffix `company.com`".
    pub fn label(&self) -> String {
        let mut label = format!("`{}` matches no observed network", self.entry.trim());
        if let Some((suffix, _)) = &self.nearest {
            label.push_str(&format!("; nearest observed suffix `{suffix}`"));
        }
        label
    }

    /// The warning about Active Directory names, when the entry looks like one.
    pub fn ad_note(&self) -> Option<String> {
        looks_like_ad_domain(self.entry)
            .then(|| format!("`{}` looks like {AD_DOMAIN}", self.entry.trim()))
    }
}

/// The entries that match none of the profile's observed enterprise networks (placeholders
/// left out), and how many enterprise networks with option 15 there are to compare with.
pub(super) fn unmatched<'a, 'n>(ctx: &Context<'a, 'n>) -> (Vec<Unmatched<'a, 'n>>, usize) {
    let Some(d) = ctx.detection() else {
        return (Vec::new(), 0);
    };
    if d.algorithm != Algorithm::LocalDomains {
        return (Vec::new(), 0);
    }
    // Verdicts exist on every network or on none (detection not modelled for this profile).
    if ctx.verdicts().is_empty() {
        return (Vec::new(), 0);
    }
    let enterprise = ctx.enterprise_with_domain();
    if enterprise.is_empty() {
        return (Vec::new(), 0);
    }
    let networks = ctx.networks.unwrap_or_default();
    let found = d
        .entries()
        .filter(|(_, entry, _)| !is_placeholder(entry))
        .filter_map(|(_, entry, span)| {
            let e = normalised(entry);
            if e.is_empty() {
                return None;
            }
            let nearest = fate(ctx, &e, &enterprise)?;
            Some(Unmatched {
                entry,
                span: span.clone(),
                nearest: nearest.and_then(|(suffix, i)| Some((suffix, networks.get(i)?))),
            })
        })
        .collect();
    (found, enterprise.len())
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    // Where enterprise networks come out outside, SL100 carries these entries in its label.
    if !ctx.enterprise_outside().is_empty() {
        return;
    }
    let (unmatched, enterprise) = unmatched(ctx);
    for u in unmatched {
        let mut f = ctx
            .finding(
                Code::SL102,
                u.span.clone(),
                format!(
                    "home domain `{}` matches none of the {enterprise} observed enterprise networks",
                    u.entry.trim(),
                ),
            )
            .label("matches no observed network")
            .home_domain(u.entry);
        if let Some((suffix, n)) = &u.nearest {
            let mut help = format!(
                "the nearest observed option 15 is `{suffix}` (network `{}`)",
                n.name
            );
            if looks_like_ad_domain(u.entry) {
                help.push_str(&format!("; this looks like {AD_DOMAIN}"));
            }
            f = ctx.with_network(f.help(help), n);
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::observe::Trust::*;

    #[test]
    fn names_the_nearest_suffix_for_the_ad_root_mistake() {
        let nets = [
            net("hq", Some("company.com"), Enterprise),
            net("vpn", Some("vpn.company.com"), Enterprise),
            net("lab", Some("lab.example.org"), Enterprise),
            // Shares `local` from the right, but not the organisation's label.
            net("plant", Some("plant.corp.local"), Enterprise),
        ];
        let p = profile(&[
            "ad.company.local",
            "company.com",
            "lab.example.org",
            "plant.corp.local",
        ]);
        let f = run_rule(Code::SL102, &p, Some(&nets));
        assert_eq!(f.len(), 1);
        let help = f[0].help.as_deref().unwrap();
        assert!(
            help.starts_with("the nearest observed option 15 is `company.com` (network `hq`)"),
            "{help}"
        );
        assert!(help.contains("Active Directory"));
    }

    #[test]
    fn prefers_shared_labels_then_edit_distance() {
        let p = profile(&[
            "site7.company.com",
            "site7.company.net",
            "site1.company.com",
        ]);
        let nets = [
            net("a", Some("site7.company.net"), Enterprise),
            net("b", Some("site1.company.com"), Enterprise),
        ];
        let f = run_rule(Code::SL102, &p, Some(&nets));
        assert!(
            f[0].help
                .as_deref()
                .unwrap()
                .contains("`site1.company.com`"),
            "{:?}",
            f[0].help
        );
    }

    #[test]
    fn left_to_sl100_when_an_enterprise_network_is_outside() {
        let nets = [
            net("hq", Some("company.com"), Enterprise),
            net("lab", Some("lab.example.org"), Enterprise),
        ];
        // `lab` is outside: SL100 labels the unmatched entry, SL102 stays quiet.
        let p = profile(&["ad.company.local", "company.com"]);
        assert!(run_rule(Code::SL102, &p, Some(&nets)).is_empty());
        let sl100 = run_rule(Code::SL100, &p, Some(&nets));
        assert!(
            sl100[0].related[0]
                .label
                .starts_with("`ad.company.local` matches no observed network"),
            "{:?}",
            sl100[0].related
        );
        // Every enterprise network inside: SL102 on its own, and no SL100.
        let p = profile(&["ad.company.local", "company.com", "example.org"]);
        assert_eq!(run_rule(Code::SL102, &p, Some(&nets)).len(), 1);
        assert!(run_rule(Code::SL100, &p, Some(&nets)).is_empty());
    }

    #[test]
    fn quiet_when_every_entry_matches_or_nothing_to_compare() {
        let nets = [
            net("hq", Some("hq.company.com"), Enterprise),
            net("guest", Some("other.example"), External),
        ];
        assert!(
            run_rule(
                Code::SL102,
                &profile(&["company.com", "3fa85f64c2d1"]),
                Some(&nets)
            )
            .is_empty()
        );
        assert!(
            run_rule(
                Code::SL102,
                &profile(&["elsewhere.com"]),
                Some(&[net("n", None, Enterprise)])
            )
            .is_empty()
        );
        assert!(run_rule(Code::SL102, &profile(&["elsewhere.com"]), None).is_empty());
    }
}

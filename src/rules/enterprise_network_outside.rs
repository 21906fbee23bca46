//! SL100: an enterprise network whose option 15 matches no home domain: AMT believes it is outside.

use super::{
    Context, MAX_NAMED, describe_networks, join_list, name_list, unmatched_home_domain,
};
use crate::diagnostic::{Code, Finding};
use crate::dns_name::canonical;
use crate::observe::{Network, NetworkKind};
use std::collections::{HashMap, HashSet};

declare_rule! {
    code: SL100,
    name: "enterprise-network-outside",
    level: Error,
    scope: Network,
    needs: [Networks],
    check: Profile(check),
    autofix: Unsafe,
    summary: "An enterprise network whose DHCP option 15 matches no home domain: AMT believes it is outside there.",
    what: "For each observed enterprise network that sends option 15, scslint applies the modelled firmware \
comparison (whole labels from the right; a match that needs case folding or a trailing dot dropped \
counts as inside but uncertain, SL003). If no home domain \
matches, the device will believe it is outside the enterprise on that network. Profiles whose entries \
are all console placeholders (SL009) are exempt: there \"always outside\" is the intent. One finding \
per profile names all its outside networks (five, then \"and N more\") with their hosts, and labels \
each entry that matches no observed network with the nearest observed suffix (SL102 stays quiet then).",
    why: "Outside, AMT closes its local interface (ports 16992-16995), may leave the ME without an \
address, and starts CIRA instead. Every LAN console then logs tcp_connect() and WS-MAN SOAP errors \
while the host OS answers normally. The classic cause is the Active Directory root domain \
(`ad.company.local`) configured where DHCP hands out `company.com`. Undoing it means reaching \
every device through LMS on the host or over CIRA to Put a corrected list (a full unconfiguration \
only where no console reaches the ME), so it is cheapest caught before rollout. On a `kind = \"vpn\"` \
network the ME gets no DHCP: the home domains decide whether the host VPN counts as the enterprise, \
and when none matches, consoles cannot use the host VPN and reach the ME only over CIRA. \
scslint predicts from the list the firmware really gets (MeshCentral lower-cases and cuts it, SL011).\n\
Source: Intel/Altiris \"Troubleshooting tcp_connect and WSMAN SOAP errors\"; IRG, Environment \
Detection (the list must cover every host connection, VPN included); MeshCentral amtmanager.js.",
    fix: "Add the networks' option 15 suffixes (or a parent suffix that is yours) to the home domains. \
The help names the entries to add, one per suffix; when several outside networks share a registrable \
domain that no external network uses, it proposes that one too.",
    example: r#"  home domains: ad.company.local
  observed:     hq-wired = company.com (420 hosts), corp-wifi = wifi.company.com (310 hosts)
  → SL100: enterprise networks `hq-wired` and `corp-wifi` (730 hosts) match no home domain
           `ad.company.local` matches no observed network; nearest observed suffix `company.com`"#,
}

/// The group key of the finding: one per profile, whichever networks it names.
const GROUP: &str = "enterprise-networks-outside";

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    let outside = ctx.enterprise_outside();
    if outside.is_empty() {
        return;
    }
    let (unmatched, _) = unmatched_home_domain::unmatched(ctx);
    let message = match &outside[..] {
        [_] => format!(
            "enterprise network {} matches no home domain",
            describe_networks(&outside)
        ),
        _ => format!(
            "enterprise networks {} match no home domain",
            describe_networks(&outside)
        ),
    };
    // What AMT does there: a LAN closes its ports; a host VPN is simply not the enterprise.
    let (vpns, lans): (Vec<&Network>, Vec<&Network>) =
        outside.iter().partition(|n| n.kind == NetworkKind::Vpn);
    let effect = match (&lans[..], &vpns[..]) {
        ([], [vpn, ..]) => vpn.outside_effect().to_owned(),
        ([lan, ..], []) => lan.outside_effect().to_owned(),
        ([lan, ..], [vpn, ..]) => format!(
            "{}; on {}, {}",
            lan.outside_effect(),
            name_list(vpns.iter().map(|n| &n.name), MAX_NAMED),
            vpn.outside_effect()
        ),
        ([], []) => return,
    };
    // Say so when the firmware gets another list than the file holds (MeshCentral).
    let written = d
        .written_note()
        .map(|w| format!(" (predicted from the list the firmware gets: {w})"))
        .unwrap_or_default();
    let mut f = ctx.finding(
        Code::SL100,
        d.span.clone(),
        format!("{message}{written}: {effect}"),
    );
    // Entries that match no observed network are the likely mistake: label each where it stands.
    let mut label = format!(
        "no entry matches {}",
        name_list(distinct_suffixes(&outside), MAX_NAMED)
    );
    for u in &unmatched {
        if u.span == d.span || d.strings.len() == 1 {
            label = u.label();
        } else {
            f = f.related(&ctx.profile.source, u.span.clone(), u.label());
        }
    }
    let (to_add, entries) = ctx.proposal(|| help_to_add(ctx, &outside));
    let mut help = vec![to_add];
    let (ad, other): (Vec<_>, Vec<_>) = unmatched.iter().partition(|u| u.ad_note().is_some());
    if !other.is_empty() {
        let (verb, them) = match &other[..] {
            [_] => ("matches", "it"),
            _ => ("match", "them"),
        };
        help.push(format!(
            "{} {verb} no observed network: correct {them} to the option 15 DHCP hands out, or add the missing networks to the observed file",
            name_list(other.iter().map(|u| u.entry.trim()), MAX_NAMED)
        ));
    }
    help.extend(ad.iter().filter_map(|u| u.ad_note()));
    // The proposal as an unsafe fix: it makes AMT count these networks as home.
    let fix = ctx.append_fix(
        &entries,
        format!(
            "add {}",
            name_list(&entries, MAX_PROPOSED)
        ),
    );
    let mut f = f
        .label(label)
        .help(help.join("; "))
        .group_key(GROUP)
        .fix(fix);
    // One entry that matches no observed network is the likely mistake: the finding is about it.
    if let [u] = &unmatched[..] {
        f = f.home_domain(u.entry);
    }
    out.push(ctx.with_networks(f, &outside));
}

/// The outside networks' option 15 values, canonical, each once, in the order observed.
fn distinct_suffixes(networks: &[&Network]) -> Vec<String> {
    let mut seen = HashSet::new();
    networks
        .iter()
        .filter_map(|n| n.primary_domain().map(canonical))
        .filter(|s| seen.insert(s.clone()))
        .collect()
}

/// The suffixes above `name`, nearest first: `b.c` and `c` for `a.b.c`.
fn parents(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices('.').map(move |(i, _)| &name[i + 1..])
}

/// Suffixes one proposal names before "and N more".
const MAX_PROPOSED: usize = 20;

/// The outside networks under one registrable domain (or with none, such as a bare `local`).
struct Group {
    parent: Option<String>,
    suffixes: Vec<String>,
    networks: usize,
}

/// What to add to bring every outside network inside, as help and as the entries the fix adds.
/// Per registrable domain: its suffixes, leaving out those another one already covers, and the
/// registrable domain itself as the alternative when it covers several of them and no external
/// network (the fix then adds it, in one slot of a short list). Each registrable domain is judged
/// once, whatever the number of networks under it.
fn help_to_add(ctx: &Context, outside: &[&Network]) -> (String, Vec<String>) {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_parent: HashMap<Option<String>, usize> = HashMap::new();
    let mut seen = HashSet::new();
    for n in outside {
        let suffix = canonical(n.primary_domain().unwrap_or_default());
        let parent = psl::domain_str(&suffix).map(str::to_owned);
        let i = *by_parent.entry(parent.clone()).or_insert_with(|| {
            groups.push(Group {
                parent,
                suffixes: Vec::new(),
                networks: 0,
            });
            groups.len() - 1
        });
        groups[i].networks += 1;
        if seen.insert(suffix.clone()) {
            groups[i].suffixes.push(suffix);
        }
    }
    // Every external domain and each of its parents: a parent is unsafe to propose when it is one
    // of these (it would match that external network). One set lookup per group, so the advice
    // stays linear in the networks however many there are.
    let external_domains: Vec<String> = ctx
        .verdicts()
        .iter()
        .filter(|(n, _)| !n.is_enterprise())
        .flat_map(|(n, _)| n.domains().map(canonical))
        .collect();
    let covers_external: HashSet<&str> = external_domains
        .iter()
        .flat_map(|e| std::iter::once(e.as_str()).chain(parents(e)))
        .collect();
    let safe = |parent: &str| {
        !covers_external.contains(parent) && ctx.external.covered_by(parent).is_empty()
    };
    let mut entries: Vec<String> = Vec::new();
    let phrases: Vec<(String, Cover)> = groups
        .iter()
        .map(|g| {
            let listed: HashSet<&str> = g.suffixes.iter().map(String::as_str).collect();
            let needed: Vec<&str> = g
                .suffixes
                .iter()
                .map(String::as_str)
                .filter(|s| !parents(s).any(|p| listed.contains(p)))
                .collect();
            let cover = match (&g.parent, &needed[..]) {
                (_, [_]) if g.networks > 1 => Cover::All(g.networks),
                (Some(parent), [_, _, ..]) if safe(parent) => {
                    Cover::Parent(parent.clone(), g.networks)
                }
                _ => Cover::Each,
            };
            match &cover {
                Cover::Parent(parent, _) => entries.push(parent.clone()),
                _ => entries.extend(needed.iter().map(|s| s.to_string())),
            }
            (name_list(needed, MAX_PROPOSED), cover)
        })
        .collect();
    let help = match &phrases[..] {
        [(entries, cover)] => format!(
            "add {entries} to the home domains{}",
            match cover {
                Cover::Each => String::new(),
                Cover::All(n) => format!(": it covers all {n} outside networks"),
                Cover::Parent(parent, n) => {
                    format!(", or `{parent}` to cover all {n} outside networks under it")
                }
            }
        ),
        _ => {
            let parts = phrases.iter().map(|(entries, cover)| match cover {
                Cover::Each => entries.clone(),
                Cover::All(n) => format!("{entries} (for {n} networks)"),
                Cover::Parent(parent, n) => {
                    format!("{entries} (or `{parent}` for all {n} networks under it)")
                }
            });
            format!("add {} to the home domains", join_list(parts, MAX_PROPOSED))
        }
    };
    (help, entries)
}

/// How the entries proposed for one registrable domain cover its outside networks.
enum Cover {
    /// One entry per network.
    Each,
    /// One entry covers all of these networks.
    All(usize),
    /// The registrable domain would cover all of these networks in place of the entries.
    Parent(String, usize),
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::observe::Trust::*;

    #[test]
    fn says_what_happens_on_a_host_vpn_and_never_that_its_ports_close() {
        let p = profile(&["company.com"]);
        let mut vpn = net("vpn", Some("vpn.partner.example"), Enterprise);
        vpn.kind = NetworkKind::Vpn;
        let f = run_rule(Code::SL100, &p, Some(std::slice::from_ref(&vpn)));
        assert!(
            f[0].message
                .contains("not count the host VPN as the enterprise"),
            "{}",
            f[0].message
        );
        assert!(
            !f[0].message.contains("close its local ports"),
            "{}",
            f[0].message
        );
        let lan = net("plant", Some("plant.example"), Enterprise);
        let f = run_rule(Code::SL100, &p, Some(&[lan, vpn]));
        assert!(
            f[0].message.contains("close its local ports 16992-16995, and only CIRA will reach those devices; on `vpn`, AMT will not count the host VPN"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn a_network_with_only_dhcpv6_option_24_is_judged_by_it() {
        let mut v6 = net("lab-v6", None, Enterprise);
        v6.search_v6 = vec!["lab.corp.example".into()];
        let f = run_rule(
            Code::SL100,
            &profile(&["other.example"]),
            Some(std::slice::from_ref(&v6)),
        );
        assert_eq!(f[0].networks, ["lab-v6"]);
        assert!(
            f[0].help
                .as_deref()
                .unwrap()
                .starts_with("add `lab.corp.example`"),
            "{:?}",
            f[0].help
        );
        assert!(run_rule(Code::SL100, &profile(&["corp.example"]), Some(&[v6])).is_empty());
    }

    #[test]
    fn predicts_from_the_list_meshcentral_writes_and_says_so() {
        let p = meshcentral(&[
            "a.corp.com",
            "b.corp.com",
            "c.corp.com",
            "d.corp.com",
            "e.corp.com",
        ]);
        let nets = [net("site-e", Some("e.corp.com"), Enterprise)];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert!(
            f[0].message.contains("(predicted from the list the firmware gets: MeshCentral writes `a.corp.com`, `b.corp.com`, `c.corp.com`, `d.corp.com`)"),
            "{}",
            f[0].message
        );
        // The same list from an SCS profile reaches the firmware whole.
        let p = profile(&[
            "a.corp.com",
            "b.corp.com",
            "c.corp.com",
            "d.corp.com",
            "e.corp.com",
        ]);
        assert!(run_rule(Code::SL100, &p, Some(&nets)).is_empty());
    }

    #[test]
    fn fires_for_the_articles_ad_root_domain_mistake() {
        let p = profile(&["ad.company.local"]);
        let nets = [net("hq-wired", Some("company.com"), Enterprise)];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("`hq-wired` (option 15 `company.com`, 10 hosts)"),
            "{}",
            f[0].message
        );
        let help = f[0].help.as_deref().unwrap();
        assert!(
            help.starts_with("add `company.com` to the home domains; `ad.company.local` looks like an Active Directory"),
            "{help}"
        );
        assert_eq!(f[0].network.as_deref(), Some("hq-wired"));
        assert_eq!(f[0].networks, ["hq-wired"]);
        assert_eq!(f[0].group_key.as_deref(), Some(GROUP));
        // The one entry that matches nothing is what the finding is about.
        assert_eq!(f[0].home_domain.as_deref(), Some("ad.company.local"));
    }

    #[test]
    fn one_finding_names_five_networks_then_how_many_more_with_their_hosts() {
        let p = profile(&["vpn.example.org"]);
        let mut nets: Vec<Network> = (1..=7)
            .map(|i| {
                net(
                    &format!("site{i}"),
                    Some(&format!("site{i}.corp.example")),
                    Enterprise,
                )
            })
            .collect();
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert_eq!(f.len(), 1, "one finding per profile");
        assert!(
            f[0].message.starts_with(
                "enterprise networks `site1`, `site2`, `site3`, `site4`, `site5` and 2 more (70 hosts) match no home domain"
            ),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].networks.len(), 7);
        assert_eq!(f[0].network, None);
        assert_eq!(f[0].related.len(), 7, "every network is a related location");

        // An eighth network joins the group: the fingerprint stays.
        let before = f[0].fingerprint();
        nets.push(net("site8", Some("site8.corp.example"), Enterprise));
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("and 3 more (80 hosts)"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].fingerprint(), before);

        // Unknown host counts are said, not summed as zero.
        nets[0].hosts = None;
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert!(
            f[0].message
                .contains("(at least 70 hosts; 1 network has no host count)"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn related_locations_are_capped_with_a_note() {
        let nets: Vec<Network> = (0..25)
            .map(|i| {
                net(
                    &format!("n{i}"),
                    Some(&format!("n{i}.example.org")),
                    Enterprise,
                )
            })
            .collect();
        let f = run_rule(Code::SL100, &profile(&["other.example.com"]), Some(&nets));
        assert_eq!(f[0].networks.len(), 25);
        assert_eq!(f[0].related.len(), super::super::MAX_RELATED_NETWORKS);
        let last = &f[0].related.last().unwrap().label;
        assert!(last.ends_with("; 5 more networks are not shown"), "{last}");
    }

    /// What the help proposes to add (it goes on about unmatched entries after a `;`).
    fn proposal(f: &Finding) -> Option<&str> {
        f.help.as_deref()?.split("; ").next()
    }

    #[test]
    fn proposes_a_shared_parent_when_safe() {
        let p = profile(&["vpn.example.org"]);
        let nets = [
            net("a", Some("site1.example.org"), Enterprise),
            net("b", Some("site2.example.org"), Enterprise),
        ];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert_eq!(f.len(), 1);
        assert_eq!(
            proposal(&f[0]),
            Some(
                "add `site1.example.org` and `site2.example.org` to the home domains, or `example.org` to cover all 2 outside networks under it"
            )
        );
        // A guest network under the same parent makes the parent unsafe.
        let nets = [
            nets[0].clone(),
            nets[1].clone(),
            net("guest", Some("wifi.example.org"), External),
        ];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert_eq!(
            proposal(&f[0]),
            Some("add `site1.example.org` and `site2.example.org` to the home domains")
        );
        // So does a configured external suffix (the test context lists guest.company.com).
        let nets = [
            net("a", Some("a.company.com"), Enterprise),
            net("b", Some("b.company.com"), Enterprise),
        ];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert_eq!(
            proposal(&f[0]),
            Some("add `a.company.com` and `b.company.com` to the home domains")
        );
    }

    #[test]
    fn proposes_each_suffix_once_and_not_those_another_covers() {
        let p = profile(&["vpn.example.org"]);
        let nets = [
            net("hq", Some("company.com"), Enterprise),
            net("hq2", Some("Company.com."), Enterprise),
            net("wifi", Some("wifi.company.com"), Enterprise),
            net("lab", Some("lab.example.net"), Enterprise),
            net("home", Some("lan"), Enterprise),
        ];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert_eq!(
            proposal(&f[0]),
            Some(
                "add `company.com` (for 3 networks), `lab.example.net` and `lan` to the home domains"
            )
        );
        let f = run_rule(Code::SL100, &p, Some(&nets[..3]));
        assert_eq!(
            proposal(&f[0]),
            Some("add `company.com` to the home domains: it covers all 3 outside networks")
        );
    }

    #[test]
    fn unmatched_entries_are_labelled_in_the_finding() {
        let p = profile(&["paris.company.com", "company.org", "ad.company.local"]);
        let nets = [
            net("hq", Some("company.com"), Enterprise),
            net("wifi", Some("wifi.company.com"), Enterprise),
        ];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert_eq!(f.len(), 1);
        let labels: Vec<&str> = f[0].related.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels[..3],
            [
                "`paris.company.com` matches no observed network; nearest observed suffix `wifi.company.com`",
                "`company.org` matches no observed network; nearest observed suffix `company.com`",
                "`ad.company.local` matches no observed network; nearest observed suffix `company.com`",
            ]
        );
        assert_eq!(
            f[0].label.as_deref(),
            Some("no entry matches `company.com` and `wifi.company.com`")
        );
        let help = f[0].help.as_deref().unwrap();
        assert!(
            help.contains(
                "; `paris.company.com` and `company.org` match no observed network: correct them"
            ),
            "{help}"
        );
        assert!(
            help.contains("`ad.company.local` looks like an Active Directory"),
            "{help}"
        );
        assert_eq!(
            f[0].home_domain, None,
            "the finding is about the list, not one entry"
        );
        // A list of one entry carries it in the main label.
        let f = run_rule(Code::SL100, &profile(&["company.org"]), Some(&nets));
        assert_eq!(
            f[0].label.as_deref(),
            Some(
                "`company.org` matches no observed network; nearest observed suffix `company.com`"
            )
        );
        assert_eq!(f[0].related.len(), 2, "the networks only");
    }

    #[test]
    fn quiet_when_covered_external_static_disabled_or_placeholder() {
        let nets = [
            net("hq", Some("Site4.Company.com."), Enterprise),
            net("hotel", Some("hotel.example"), External),
            net("none", None, Enterprise),
        ];
        assert!(run_rule(Code::SL100, &profile(&["company.com"]), Some(&nets)).is_empty());
        assert!(
            run_rule(
                Code::SL100,
                &with_static_ip(profile(&["other.com"])),
                Some(&nets)
            )
            .is_empty()
        );
        assert!(run_rule(Code::SL100, &profile(&[]), Some(&nets)).is_empty());
        assert!(run_rule(Code::SL100, &profile(&["3fa85f64c2d1"]), Some(&nets)).is_empty());
        assert!(run_rule(Code::SL100, &profile(&["other.com"]), None).is_empty());
    }

    #[test]
    fn the_unsafe_fix_adds_the_proposal_like_its_neighbours() {
        let p = read(
            "c.json",
            "{\"domains\": {\"\": {\"amtManager\": {\"environmentDetection\": [\n  \"ad.company.local\"\n]}}}}",
        );
        let nets = [
            net("hq", Some("company.com"), Enterprise),
            net("lab", Some("lab.partner.example"), Enterprise),
        ];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, crate::fix::Applicability::Unsafe);
        assert!(
            fixed(&p, &f[0]).contains("[\n  \"ad.company.local\",\n  \"company.com\",\n  \"lab.partner.example\"\n]"),
            "{}",
            fixed(&p, &f[0])
        );
        // Several sites under one registrable domain: the parent, in one slot.
        let nets = [
            net("a", Some("a.corp.example"), Enterprise),
            net("b", Some("b.corp.example"), Enterprise),
        ];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert!(fixed(&p, &f[0]).contains("\"ad.company.local\",\n  \"corp.example\"\n]"));
        // MeshCentral would drop a fifth entry: no fix then.
        let p = read(
            "c.json",
            r#"{"domains": {"": {"amtManager": {"environmentDetection": ["a.example", "b.example", "c.example", "d.example"]}}}}"#,
        );
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert!(f[0].fix.is_none());
    }
}

//! SL101: an external network whose suffix matches a home domain: AMT believes it is at home there.

use super::{Context, MAX_NAMED, describe_networks, name_list};
use crate::diagnostic::{Code, Finding};
use crate::envdetect::{InsideBy, Verdict};
use crate::observe::Network;
use crate::profile::Detection;
use crate::source::Span;

declare_rule! {
    code: SL101,
    name: "external-network-inside",
    level: Error,
    scope: Network,
    needs: [Networks],
    check: Profile(check),
    summary: "An external network (home, hotel, hotspot, guest) whose suffix matches a home domain.",
    what: "An observed network with trust = \"external\", or one whose suffix is a known consumer-router \
or configured external suffix, that the modelled comparison calls inside. One finding per profile \
names all such networks (five, then \"and N more\") with their hosts, and labels each entry that \
lets one in.",
    why: "On that network AMT believes it is at home: it opens ports 16992-16995 to whoever shares the \
network and does not start CIRA, so the management console loses the device exactly when it is \
away from the office.\nSource: IRG, Environment Detection (inside: local interface open, CIRA not started)",
    fix: "Make the home domains more specific (list `hq.corp.example.com` rather than `corp.example.com` \
if the guest network is `guest.corp.example.com`), or have the guest network hand out a suffix outside \
your home domains.",
    example: r#"  home domains: corp.example.com
  observed:     [[network]] name = "guest-wifi"  suffix = "guest.corp.example.com"  trust = "external"
  → SL101: external network `guest-wifi` matches home domain `corp.example.com`"#,
}

/// The group key of the finding: one per profile, whichever networks it names.
const GROUP: &str = "external-networks-inside";

/// The entry that makes a network inside: where it stands and its text.
fn entry<'a>(d: &'a Detection, by: &InsideBy) -> (&'a Span, &'a str) {
    match *by {
        InsideBy::Domain { index, .. } => (&d.string_spans[index], &d.strings[index]),
        InsideBy::Ipv6Prefix { index } => (&d.prefix_spans[index], &d.ipv6_prefixes[index]),
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    let inside: Vec<(&Network, Option<(&Span, &str)>)> = ctx
        .verdicts()
        .iter()
        .filter(|(n, v)| !n.is_enterprise() && v.is_inside())
        .map(|(n, v)| match v {
            Verdict::Inside(by) => (*n, Some(entry(d, by))),
            _ => (*n, None),
        })
        .collect();
    if inside.is_empty() {
        return;
    }
    // The entries that make them inside, each with its networks, in list order.
    let mut entries: Vec<(&Span, &str, Vec<&str>)> = Vec::new();
    for (n, e) in &inside {
        let Some((span, text)) = *e else { continue };
        match entries.iter_mut().find(|(s, ..)| *s == span) {
            Some((.., names)) => names.push(&n.name),
            None => entries.push((span, text, vec![&n.name])),
        }
    }
    entries.sort_by_key(|(span, ..)| span.start);
    let networks: Vec<&Network> = inside.iter().map(|(n, _)| *n).collect();
    let home_domains = name_list(entries.iter().map(|(_, text, _)| text.trim()), MAX_NAMED);
    let message = match &networks[..] {
        [n] => format!(
            "external network {}{} matches home domain {home_domains}: AMT will believe it is at home there and open ports 16992-16995 to that network",
            n.describe(),
            n.trust_note()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default(),
        ),
        _ => format!(
            "external networks {}{} match home domain{} {home_domains}: AMT will believe it is at home there and open ports 16992-16995 to those networks",
            describe_networks(&networks),
            networks
                .iter()
                .filter_map(|n| n.trust_note().map(|f| format!(" (`{}` {f})", n.name)))
                .collect::<String>(),
            if entries.len() == 1 { "" } else { "s" },
        ),
    };
    let makes_inside = |names: &[&str]| {
        let plural = if names.len() == 1 { "" } else { "s" };
        format!(
            "matches external network{plural} {}",
            name_list(names, MAX_NAMED)
        )
    };
    let mut f = match entries.first() {
        Some((span, _, names)) => ctx
            .finding(Code::SL101, (*span).clone(), message)
            .label(makes_inside(names)),
        None => ctx.finding(Code::SL101, d.span.clone(), message),
    };
    for (span, _, names) in entries.iter().skip(1) {
        f = f.related(&ctx.profile.source, (*span).clone(), makes_inside(names));
    }
    if let [(_, text, _)] = &entries[..] {
        f = f.home_domain(text);
    }
    let f = f
        .help(match &networks[..] {
            [_] => "use more specific home domains, or have that network hand out a suffix outside them",
            _ => "use more specific home domains, or have those networks hand out suffixes outside them",
        })
        .group_key(GROUP);
    out.push(ctx.with_networks(f, &networks));
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::external::ExternalSuffixes;
    use crate::observe::Trust::*;

    #[test]
    fn fires_for_external_networks_under_a_home_domain() {
        let p = profile(&["company.com"]);
        let nets = [
            net("guest", Some("guest.company.com"), External),
            net("hq", Some("company.com"), Enterprise),
        ];
        let f = run_rule(Code::SL101, &p, Some(&nets));
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].network.as_deref(), f[0].home_domain.as_deref()),
            (Some("guest"), Some("company.com"))
        );
    }

    #[test]
    fn one_finding_per_profile_names_the_networks_and_the_entries() {
        let p = profile(&["company.com", "example.org"]);
        let mut nets = vec![
            net("guest", Some("guest.company.com"), External),
            net("hq", Some("company.com"), Enterprise),
            net("cafe", Some("cafe.example.org"), External),
            net("lobby", Some("lobby.company.com"), External),
        ];
        let f = run_rule(Code::SL101, &p, Some(&nets));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message.starts_with(
                "external networks `guest`, `cafe` and `lobby` (30 hosts) match home domains `company.com` and `example.org`"
            ),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].networks, ["guest", "cafe", "lobby"]);
        assert_eq!(
            (f[0].network.as_deref(), f[0].home_domain.as_deref()),
            (None, None)
        );
        assert_eq!(
            f[0].label.as_deref(),
            Some("matches external networks `guest` and `lobby`")
        );
        let labels: Vec<&str> = f[0].related.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels[0], "matches external network `cafe`");
        assert_eq!(labels.len(), 4, "the second entry, then every network");
        // Networks joining, through the same entry or another, keep the fingerprint.
        let one_entry = run_rule(Code::SL101, &p, Some(&nets[..2]));
        assert_eq!(one_entry[0].home_domain.as_deref(), Some("company.com"));
        nets.push(net("bar", Some("bar.example.org"), External));
        let more = run_rule(Code::SL101, &p, Some(&nets));
        assert_eq!(more[0].networks.len(), 4);
        for g in [&f[0], &more[0]] {
            assert_eq!(g.fingerprint(), one_entry[0].fingerprint());
        }
    }

    #[test]
    fn consumer_suffixes_classify_only_undeclared_networks() {
        let p = profile(&["lan"]);
        let mut n = net("branch", Some("lan"), Enterprise);
        n.apply_external(&ExternalSuffixes::default());
        assert!(run_rule(Code::SL101, &p, Some(std::slice::from_ref(&n))).is_empty());
        n.trust_origin = crate::observe::TrustOrigin::Assumed;
        n.apply_external(&ExternalSuffixes::default());
        let f = run_rule(Code::SL101, &p, Some(std::slice::from_ref(&n)));
        assert!(
            f[0].message.contains("no trust declared; `lan`"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn quiet_when_external_networks_stay_outside() {
        let p = profile(&["hq.company.com"]);
        let nets = [
            net("guest", Some("guest.company.com"), External),
            net("hotel", None, External),
        ];
        assert!(run_rule(Code::SL101, &p, Some(&nets)).is_empty());
        assert!(
            run_rule(Code::SL101, &profile(&[]), Some(&nets)).is_empty(),
            "disabled detection is not a home-domain match"
        );
    }
}

//! SL100: an enterprise network whose option 15 matches no home domain: AMT believes it is outside.

use super::{Context, Doc};
use crate::diagnostic::{Code, Finding};
use crate::dns_name::{canonical, suffix_match};
use crate::observe::Network;

pub const DOC: Doc = Doc {
    summary: "An enterprise network whose DHCP option 15 matches no home domain: AMT believes it is outside there.",
    what: "For each observed enterprise network that sends option 15, scslint applies the modelled firmware \
comparison (case-insensitive, one trailing dot ignored, whole labels from the right). If no home domain \
matches, the device will believe it is outside the enterprise on that network. Profiles whose entries \
are all console placeholders (SL009) are exempt: there \"always outside\" is the intent.",
    why: "Outside, AMT closes its local interface (ports 16992-16995), may leave the ME without an \
address, and starts CIRA instead. Every LAN console then logs tcp_connect() and WS-MAN SOAP errors \
while the host OS answers normally. The classic cause is the Active Directory root domain \
(`ad.company.local`) configured where DHCP hands out `company.com`. Undoing it means reaching \
every device through LMS on the host or over CIRA to Put a corrected list (a full unconfiguration \
only where no console reaches the ME), so it is cheapest caught before rollout.",
    fix: "Add the network's option 15 suffix (or a parent suffix that is yours) to the home domains. The \
help names the entry to add; when several outside networks share a registrable domain that no \
external network uses, it proposes that one.",
    example: r#"  home domains: ad.company.local
  observed:     [[network]] name = "hq-wired"  suffix = "company.com"  hosts = 420
  → SL100: enterprise network `hq-wired` (option 15 `company.com`, 420 hosts) matches no home domain"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    if ctx.placeholder_only() {
        return;
    }
    let verdicts = ctx.verdicts();
    let outside: Vec<&Network> = verdicts
        .iter()
        .filter(|(n, v)| n.is_enterprise() && n.suffix.is_some() && v.is_outside())
        .map(|(n, _)| *n)
        .collect();
    let externals: Vec<String> = verdicts
        .iter()
        .filter(|(n, _)| !n.is_enterprise())
        .filter_map(|(n, _)| n.suffix.as_deref().map(canonical))
        .collect();
    for n in &outside {
        let suffix = n.suffix.as_deref().unwrap_or_default();
        let proposal = propose(ctx, suffix, &outside, &externals);
        let f = ctx
            .finding(
                Code::SL100,
                d.span.clone(),
                format!(
                    "enterprise network {} matches no home domain: AMT will believe it is outside there, close its local ports 16992-16995, and only CIRA will reach those devices",
                    n.describe()
                ),
            )
            .label(format!("no entry matches `{suffix}`"))
            .help(proposal);
        out.push(ctx.with_network(f, n));
    }
}

/// The entry to add: the suffix itself, or a shared registrable parent when it covers several
/// outside networks and no external one.
fn propose(ctx: &Context, suffix: &str, outside: &[&Network], externals: &[String]) -> String {
    let own = canonical(suffix);
    let parent = psl::domain_str(&own).map(str::to_owned);
    if let Some(parent) = parent.filter(|p| *p != own) {
        let covered: Vec<&str> = outside
            .iter()
            .filter_map(|n| n.suffix.as_deref())
            .filter(|s| suffix_match(&parent, &canonical(s)).matches())
            .collect();
        let hits_external = externals.iter().any(|e| suffix_match(&parent, e).matches())
            || !ctx.external.covered_by(&parent).is_empty();
        if covered.len() > 1 && !hits_external {
            return format!(
                "add `{own}` to the home domains, or `{parent}` to cover all {} outside networks under it",
                covered.len()
            );
        }
    }
    format!("add `{own}` to the home domains")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::observe::Trust::*;

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
        assert_eq!(
            f[0].help.as_deref(),
            Some("add `company.com` to the home domains")
        );
        assert_eq!(f[0].network.as_deref(), Some("hq-wired"));
    }

    #[test]
    fn proposes_a_shared_parent_when_safe() {
        let p = profile(&["vpn.example.org"]);
        let nets = [
            net("a", Some("site1.example.org"), Enterprise),
            net("b", Some("site2.example.org"), Enterprise),
        ];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert_eq!(f.len(), 2);
        assert!(
            f[0].help
                .as_deref()
                .unwrap()
                .contains("or `example.org` to cover all 2"),
            "{:?}",
            f[0].help
        );
        // A guest network under the same parent makes the parent unsafe.
        let nets = [
            nets[0].clone(),
            nets[1].clone(),
            net("guest", Some("wifi.example.org"), External),
        ];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert_eq!(
            f[0].help.as_deref(),
            Some("add `site1.example.org` to the home domains")
        );
        // So does a configured external suffix (the test context lists guest.company.com).
        let nets = [
            net("a", Some("a.company.com"), Enterprise),
            net("b", Some("b.company.com"), Enterprise),
        ];
        let f = run_rule(Code::SL100, &p, Some(&nets));
        assert_eq!(
            f[0].help.as_deref(),
            Some("add `a.company.com` to the home domains")
        );
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
}

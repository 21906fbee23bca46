//! SL101: an external network whose suffix matches a home domain: AMT believes it is at home there.

use super::{Context, Doc};
use crate::diagnostic::{Code, Finding};
use crate::envdetect::{InsideBy, Verdict};

pub const DOC: Doc = Doc {
    summary: "An external network (home, hotel, hotspot, guest) whose suffix matches a home domain.",
    what: "An observed network with trust = \"external\", or one whose suffix is a known consumer-router \
or configured external suffix, that the modelled comparison calls inside.",
    why: "On that network AMT believes it is at home: it opens ports 16992-16995 to whoever shares the \
network and does not start CIRA, so the management console loses the device exactly when it is \
away from the office.",
    fix: "Make the home domains more specific (list `hq.corp.example.com` rather than `corp.example.com` \
if the guest network is `guest.corp.example.com`), or have the guest network hand out a suffix outside \
your home domains.",
    example: r#"  home domains: corp.example.com
  observed:     [[network]] name = "guest-wifi"  suffix = "guest.corp.example.com"  trust = "external"
  → SL101: external network `guest-wifi` matches home domain `corp.example.com`"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    for (n, verdict) in ctx.verdicts() {
        if n.is_enterprise() {
            continue;
        }
        let Verdict::Inside(by) = verdict else {
            continue;
        };
        let (span, entry) = match by {
            InsideBy::Domain { index, .. } => {
                (d.string_spans[index].clone(), d.strings[index].as_str())
            }
            InsideBy::Ipv6Prefix { index } => (
                d.prefix_spans[index].clone(),
                d.ipv6_prefixes[index].as_str(),
            ),
        };
        let forced = n.trust_note();
        let f = ctx
            .finding(
                Code::SL101,
                span,
                format!(
                    "external network {}{forced} matches home domain `{}`: AMT will believe it is at home there and open ports 16992-16995 to that network",
                    n.describe(),
                    entry.trim()
                ),
            )
            .label(format!("matches external network `{}`", n.name))
            .help("use more specific home domains, or have that network hand out a suffix outside them")
            .home_domain(entry);
        out.push(ctx.with_network(f, n));
    }
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

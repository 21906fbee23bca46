//! SL104: an enterprise network that sends neither option 15 nor option 24 while detection is
//! enabled.

use super::Context;
use crate::diagnostic::{Code, Finding, Severity};

declare_rule! {
    code: SL104,
    name: "enterprise-network-without-option15",
    level: Error,
    level_note: "info for an empty scope",
    scope: Network,
    needs: [Networks],
    check: Profile(check),
    summary: "An enterprise network that sends neither DHCPv4 option 15 nor DHCPv6 option 24 while environment detection is enabled.",
    what: "An observed enterprise network without a suffix (option 15 absent or empty) and without a \
DHCPv6 domain search list (option 24), for a profile whose detection is enabled and whose IPv6 \
local prefixes (if any) do not cover the network.",
    why: "With neither option 15 nor option 24 (the two inputs Intel names) there is nothing \
to compare the home domains with, so the ME believes it is outside on that network: ports \
16992-16995 close there and LAN consoles fail with tcp_connect() errors. An error where devices \
are (hosts above 0, or not counted); information for a scope where no device was seen.\n\
Source: IRG, Environment Detection (\"DHCPv4 option 15 and DHCPv6 option 24\").",
    fix: "Configure the DHCP scope to hand out the site's DNS suffix (option 15, or option 24 from a \
DHCPv6 server) and list it as a home domain; for IPv6-only segments without DHCPv6, list the \
router-advertised prefix under DetectionIPv6LocalPrefixes.",
    example: r#"  [[network]]
  name = "warehouse"        # no suffix, no domain_search_v6: nothing to compare
  → SL104 for every profile with detection enabled"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    if ctx.placeholder_only() {
        return;
    }
    for (n, verdict) in ctx.verdicts() {
        if !n.is_enterprise() || n.has_domain() || !verdict.is_outside() {
            continue;
        }
        // An empty scope strands no device today.
        let severity = if n.hosts == Some(0) {
            Severity::Info
        } else {
            Severity::Error
        };
        let f = ctx
            .finding(
                Code::SL104,
                d.span.clone(),
                format!(
                    "enterprise network {} sends neither option 15 nor option 24, so no home domain can match: AMT will believe it is outside there and close ports 16992-16995",
                    n.describe()
                ),
            )
            .severity(severity)
            .label("nothing to compare these with")
            .help(format!("have the DHCP scope of `{}` hand out the site's DNS suffix (option 15, or option 24 over DHCPv6) and list it here", n.name));
        out.push(ctx.with_network(f, n));
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::observe::Trust::*;
    use crate::source::Span;

    #[test]
    fn fires_for_enterprise_networks_without_a_suffix() {
        let nets = [
            net("warehouse", None, Enterprise),
            net("hotel", None, External),
        ];
        let f = run_rule(Code::SL104, &profile(&["company.com"]), Some(&nets));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].network.as_deref(), Some("warehouse"));
        assert_eq!(f[0].severity, Severity::Error);
    }

    #[test]
    fn an_empty_scope_is_information_and_an_uncounted_one_an_error() {
        let mut empty = net("spare", None, Enterprise);
        empty.hosts = Some(0);
        let mut uncounted = net("warehouse", None, Enterprise);
        uncounted.hosts = None;
        let f = run_rule(
            Code::SL104,
            &profile(&["company.com"]),
            Some(&[empty, uncounted]),
        );
        let levels: Vec<_> = f
            .iter()
            .map(|f| (f.network.as_deref(), f.severity))
            .collect();
        assert_eq!(
            levels,
            [
                (Some("spare"), Severity::Info),
                (Some("warehouse"), Severity::Error)
            ]
        );
    }

    #[test]
    fn quiet_when_disabled_static_or_covered_by_an_ipv6_prefix() {
        let nets = [net("warehouse", None, Enterprise)];
        assert!(run_rule(Code::SL104, &profile(&[]), Some(&nets)).is_empty());
        assert!(
            run_rule(
                Code::SL104,
                &with_static_ip(profile(&["company.com"])),
                Some(&nets)
            )
            .is_empty()
        );
        let mut p = profile(&["company.com"]);
        let d = p.detection.as_mut().unwrap();
        d.ipv6_prefixes = vec!["2001:db8:1::/48".into()];
        d.prefix_spans = vec![Span::default()];
        let mut n = nets[0].clone();
        n.ipv6_prefixes = vec!["2001:db8:1:7::/64".parse().unwrap()];
        assert!(run_rule(Code::SL104, &p, Some(&[n])).is_empty());
    }

    #[test]
    fn quiet_when_option_24_is_handed_out_even_if_it_does_not_match() {
        let mut n = net("v6-lab", None, Enterprise);
        n.search_v6 = vec!["lab.example".into()];
        // Inside through option 24 alone.
        assert!(run_rule(Code::SL104, &profile(&["lab.example"]), Some(&[n.clone()])).is_empty());
        // A list that matches nothing is an outside network with a domain (SL100's), not SL104's.
        assert!(run_rule(Code::SL104, &profile(&["company.com"]), Some(&[n])).is_empty());
        let f = run_rule(
            Code::SL104,
            &profile(&["company.com"]),
            Some(&[net("warehouse", None, Enterprise)]),
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("neither option 15 nor option 24"),
            "{}",
            f[0].message
        );
    }
}

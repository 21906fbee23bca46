//! SL201: the ME itself says "outside enterprise" on a network whose suffix is the enterprise's.

use super::{Doc, HostContext};
use crate::diagnostic::{Code, Finding};
use crate::observe::model::Ras;

pub const DOC: Doc = Doc {
    summary: "The ME reports \"outside enterprise\" while on an enterprise network.",
    what: "An agent report whose RAS network status is `outside enterprise` for a device attached to a \
network scslint knows as enterprise (a DHCP scope, or a suffix that is not a known external one).",
    why: "The firmware has compared its home domains with this network's option 15 and found no match: \
its local interface is closed on the LAN and only CIRA reaches it. Either the profile's home domains \
are wrong for this network, or the profile was never applied to this device.",
    fix: "Compare the profile's home domains with the network's option 15 (`scslint check` names the \
entry to add). A device already configured with a wrong list keeps it until it is reconfigured from a \
console that still reaches it (CIRA) or fully unconfigured.",
    example: r#"  RAS Network : outside enterprise      DNS Suffix (OS) : company.com
  → SL201: pc0423 says outside on enterprise network `hq-wired`"#,
};

pub fn check(ctx: &HostContext, out: &mut Vec<Finding>) {
    let Some(n) = ctx.network else { return };
    if ctx.host.ras != Some(Ras::Outside) || !n.is_enterprise() {
        return;
    }
    let f = ctx
        .finding(
            Code::SL201,
            format!(
                "the ME of `{}` reports \"outside enterprise\" on enterprise network {}: its home domains do not match this network (profile wrong, or never applied)",
                ctx.name,
                n.describe()
            ),
        )
        .help(match &n.suffix {
            Some(s) => format!("the profile's home domains must cover `{s}`; `scslint check` with this snapshot names the entry to add"),
            None => "this network sends no option 15: have its DHCP scope hand out the site's suffix".to_owned(),
        })
        .network(&n.name);
    out.push(f.related_at(n.location.clone(), format!("network `{}`", n.name)));
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::observe::Trust::*;

    #[test]
    fn fires_on_enterprise_networks() {
        let h = host(|h| h.ras = Some(Ras::Outside));
        let n = net("hq", Some("company.com"), Enterprise);
        let f = run_host_rule(Code::SL201, &h, Some(&n));
        assert_eq!(f.len(), 1);
        assert!(f[0].help.as_deref().unwrap().contains("`company.com`"));
    }

    #[test]
    fn quiet_outside_the_enterprise_or_when_inside() {
        let outside = host(|h| h.ras = Some(Ras::Outside));
        assert!(
            run_host_rule(
                Code::SL201,
                &outside,
                Some(&net("hotel", Some("hotel.example"), External))
            )
            .is_empty()
        );
        assert!(run_host_rule(Code::SL201, &outside, None).is_empty());
        let direct = host(|h| h.ras = Some(Ras::Direct));
        assert!(
            run_host_rule(
                Code::SL201,
                &direct,
                Some(&net("hq", Some("company.com"), Enterprise))
            )
            .is_empty()
        );
    }
}

//! SL103: a network suffix that ends with a home domain only as raw text (`mycorp.com` vs `corp.com`).

use super::Context;
use crate::diagnostic::{Code, Finding};
use crate::envdetect::Verdict;

declare_rule! {
    code: SL103,
    name: "label-boundary-ambiguity",
    level: Warning,
    scope: Network,
    needs: [Networks],
    check: Profile(check),
    summary: "A network suffix that ends with a home domain only as text, not at a label boundary.",
    what: "An observed option 15 such as `mycorp.com` that ends with the entry `corp.com` character by \
character but not at a dot. scslint's model compares whole labels and calls it no match.",
    why: "Intel does not document whether the firmware compares labels or characters. If it compares \
characters, the verdict flips: an enterprise network scslint calls outside may be inside, and an \
external network (someone else's `mycorp.com`) may be treated as home, with ports 16992-16995 open.",
    fix: "Make the intent explicit: add the network's full suffix if it is yours, or choose home domains \
that no foreign suffix ends with.",
    example: r#"  home domains: corp.com
  observed:     [[network]] name = "partner" suffix = "mycorp.com"
  → SL103: `mycorp.com` ends with `corp.com` only as text"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    for (n, verdict) in ctx.verdicts() {
        let Verdict::Outside { raw_suffix_only } = verdict else {
            continue;
        };
        let suffix = n.suffix.as_deref().unwrap_or_default();
        for &index in raw_suffix_only {
            let entry = d.strings[index].trim();
            let f = ctx
                .finding(
                    Code::SL103,
                    d.string_spans[index].clone(),
                    format!(
                        "network {} ends with `{entry}` only as text, not at a label boundary: scslint predicts outside, firmware comparing characters would say inside",
                        n.describe()
                    ),
                )
                .label(format!("`{suffix}` ends with this text"))
                .help(if n.is_enterprise() {
                    format!("add `{}` to the home domains to make the match explicit", crate::dns_name::canonical(suffix))
                } else {
                    "choose home domains that no foreign suffix ends with".to_owned()
                })
                .home_domain(entry);
            out.push(ctx.with_network(f, n));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::observe::Trust::*;

    #[test]
    fn fires_on_raw_suffix_near_misses() {
        let p = profile(&["corp.com"]);
        let nets = [
            net("partner", Some("mycorp.com"), External),
            net("eu", Some("eu.mycorp.com"), Enterprise),
        ];
        let f = run_rule(Code::SL103, &p, Some(&nets));
        assert_eq!(f.len(), 2);
        assert!(f[1].help.as_deref().unwrap().contains("eu.mycorp.com"));
    }

    #[test]
    fn quiet_on_label_matches_and_unrelated_suffixes() {
        let p = profile(&["corp.com"]);
        let nets = [
            net("hq", Some("hq.corp.com"), Enterprise),
            net("x", Some("corp.net"), External),
        ];
        assert!(run_rule(Code::SL103, &p, Some(&nets)).is_empty());
    }
}

//! SL009: console placeholders that mean "always outside".

use super::Context;
use crate::diagnostic::{Code, Finding};
use crate::dns_name::is_placeholder;
use crate::fix::Applicability;

declare_rule! {
    code: SL009,
    name: "placeholder-home-domain",
    level: Info,
    scope: Profile,
    needs: [],
    check: Profile(check),
    autofix: Safe,
    summary: "A random placeholder home domain (`<uuid>.com`, 12 hex characters) that forces \"always outside\".",
    what: "An entry that looks like the never-matching name consoles write when they want CIRA \
everywhere: Open AMT RPS and rpc-go write a random `<uuid>.com`, MeshCentral a random 12-hex string. \
An rpc-go / Console profile whose `environmentDetection` is empty while CIRA is configured gets \
that placeholder too, so it is reported the same way.",
    why: "With only a placeholder the ME believes it is outside on every network, including the \
enterprise LAN: local ports 16992-16995 stay closed and only CIRA reaches the device. That is right \
when intended and exactly the tcp_connect()/SOAP failure when not. Because it signals intent, \
scslint reports it as information and does not raise SL100 for profiles whose entries are all \
placeholders.\nSource: Open AMT RPS `ciraConfiguration.ts` and rpc-go's CIRA configuration \
(an empty list becomes a random `<uuid>.com`); MeshCentral `amtmanager.js` (12 hex characters).",
    fix: "If LAN access is wanted, replace the placeholder with the enterprise's DHCP option 15 suffixes. \
If CIRA-only is intended, turn this rule off for the profile's code in scslint.toml.",
    example: r#"  <g:DetectionStrings>0f3c2b1a-9d8e-4c7b-a6f5-e4d3c2b1a09a.com</g:DetectionStrings>   → SL009"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    if let Some(w) = d.written.as_ref().filter(|w| w.placeholder) {
        out.push(
            ctx.finding(
                Code::SL009,
                d.span.clone(),
                format!("the home-domain list is empty and CIRA is configured, so {} writes a random `{}` placeholder: AMT will believe it is outside on every network, LAN included", w.console, crate::profile::rpcgo::PLACEHOLDER),
            )
            .label("empty list")
            .help("intended for CIRA-only devices; for LAN access list the enterprise's option 15 suffixes here"),
        );
    }
    for (i, entry, span) in d.entries() {
        if is_placeholder(entry) {
            // Beside a real entry the console keeps, the placeholder only takes a slot: the
            // device is inside where the real entries match either way.
            let real = d
                .entries()
                .any(|(k, other, _)| k != i && !is_placeholder(other) && d.firmware_text(k).is_some());
            let fix = real
                .then(|| {
                    ctx.remove_fix(
                        i,
                        Applicability::Safe,
                        format!("delete the placeholder `{}`", entry.trim()),
                    )
                })
                .flatten();
            out.push(
                ctx.finding(
                    Code::SL009,
                    span.clone(),
                    format!("home domain `{}` is a console placeholder: AMT will believe it is outside on every network it matches nothing on, LAN included", entry.trim()),
                )
                .label("placeholder")
                .help("intended for CIRA-only devices; for LAN access list the enterprise's option 15 suffixes instead")
                .home_domain(entry)
                .fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_on_uuid_and_hex_placeholders() {
        let flagged = entries_flagged(
            Code::SL009,
            &[
                "0f3c2b1a-9d8e-4c7b-a6f5-e4d3c2b1a09a.com",
                "3fa85f64c2d1",
                "corp.com",
            ],
        );
        assert_eq!(
            flagged,
            ["0f3c2b1a-9d8e-4c7b-a6f5-e4d3c2b1a09a.com", "3fa85f64c2d1"]
        );
    }

    #[test]
    fn quiet_on_real_names() {
        assert!(
            entries_flagged(
                Code::SL009,
                &["corp.com", "cafe.example", "deadbeefcafe.corp.com"]
            )
            .is_empty()
        );
    }

    #[test]
    fn a_placeholder_beside_a_real_entry_is_deleted_and_alone_it_stays() {
        let p = read(
            "c.json",
            r#"{"domains": {"": {"amtManager": {"environmentDetection": ["3fa85f64c2d1", "corp.example"]}}}}"#,
        );
        let f = run_rule(Code::SL009, &p, None);
        assert_eq!(f[0].fix.as_ref().unwrap().applicability, Applicability::Safe);
        assert!(fixed(&p, &f[0]).contains(r#"["corp.example"]"#));
        let p = read(
            "c.json",
            r#"{"domains": {"": {"amtManager": {"environmentDetection": ["3fa85f64c2d1", "0f3c2b1a-9d8e-4c7b-a6f5-e4d3c2b1a09a.com"]}}}}"#,
        );
        assert!(run_rule(Code::SL009, &p, None).iter().all(|f| f.fix.is_none()));
    }
}

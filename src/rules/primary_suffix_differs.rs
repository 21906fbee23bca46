//! SL204: the primary DNS suffix differs from the connection-specific one (option 15).

use super::{Doc, HostContext};
use crate::diagnostic::{Code, Finding};
use crate::dns_name::normalise;

pub const DOC: Doc = Doc {
    summary: "The host's primary DNS suffix differs from its connection-specific suffix (option 15).",
    what: "A host whose primary DNS suffix (domain membership, usually the Active Directory domain) is not \
the suffix DHCP handed its adapter.",
    why: "Not a fault in itself, but the trap the troubleshooting article describes: whoever writes the \
profile copies the AD domain (`ad.company.local`) into the home domains, while environment detection \
compares option 15 (`company.com`). The SCS default AMT FQDN also uses the primary suffix.",
    fix: "When writing home domains, use the connection-specific suffix from `ipconfig /all` (or this \
snapshot's network suffixes), never the primary DNS suffix.",
    example: r#"  Primary Dns Suffix . . . : ad.company.local
  Connection-specific DNS Suffix . : company.com
  → SL204: home domains must list company.com"#,
};

pub fn check(ctx: &HostContext, out: &mut Vec<Finding>) {
    let (Some(primary), Some(suffix)) = (&ctx.host.primary_suffix, &ctx.host.suffix) else {
        return;
    };
    if normalise(primary) == normalise(suffix) {
        return;
    }
    out.push(
        ctx.finding(
            Code::SL204,
            format!(
                "`{}` has primary DNS suffix `{primary}` but received `{suffix}` in option 15: environment detection compares `{suffix}`",
                ctx.name
            ),
        )
        .help(format!("home domains must cover `{suffix}`, not `{primary}`")),
    );
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_when_they_differ() {
        let h = host(|h| {
            h.primary_suffix = Some("ad.company.local".into());
            h.suffix = Some("company.com".into());
        });
        let f = run_host_rule(Code::SL204, &h, None);
        assert_eq!(
            f[0].help.as_deref(),
            Some("home domains must cover `company.com`, not `ad.company.local`")
        );
    }

    #[test]
    fn quiet_when_equal_up_to_case_and_dot_or_missing() {
        let h = host(|h| {
            h.primary_suffix = Some("Company.com.".into());
            h.suffix = Some("company.com".into());
        });
        assert!(run_host_rule(Code::SL204, &h, None).is_empty());
        assert!(
            run_host_rule(
                Code::SL204,
                &host(|h| h.suffix = Some("company.com".into())),
                None
            )
            .is_empty()
        );
    }
}

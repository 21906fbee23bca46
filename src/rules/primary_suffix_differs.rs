//! SL204: the primary DNS suffix neither is nor covers the connection-specific one (option 15).

use super::HostContext;
use crate::diagnostic::{Code, Finding};
use crate::dns_name::{normalise, suffix_match};

declare_rule! {
    code: SL204,
    name: "primary-suffix-differs",
    level: Info,
    scope: Host,
    needs: [],
    check: Host(check, GROUP),
    summary: "The host's primary DNS suffix neither is nor covers its connection-specific suffix (option 15).",
    what: "A host whose primary DNS suffix (domain membership, usually the Active Directory domain) is \
not the suffix DHCP handed its adapter and does not end it at a label boundary. A primary suffix \
that covers option 15 (primary `company.com`, option 15 `site7.company.com`) is not flagged: a \
home domain copied from it matches that network.",
    why: "Not a fault in itself, but the trap the troubleshooting article describes: whoever writes the \
profile copies the AD domain (`ad.company.local`) into the home domains, while environment detection \
compares option 15 (`company.com`). The two names have different jobs: Intel SCS builds the device \
FQDN (the name consoles connect to and TLS certificates carry) from the host name and the primary \
suffix by default, and environment detection compares option 15 only.",
    fix: "When writing home domains, use the connection-specific suffix from `ipconfig /all` (or this \
snapshot's network suffixes), never the primary DNS suffix. Keep the primary suffix where it belongs: \
in the device FQDN, which must resolve in DNS (SL205).\n\
Source: Intel SCS User Guide, FQDN settings (host name + primary DNS suffix by default); Intel AMT \
SDK, AMT_EnvironmentDetectionSettingData (compared with the DHCP option 15 domain name).",
    example: r#"  Primary Dns Suffix . . . : ad.company.local
  Connection-specific DNS Suffix . : company.com
  → SL204: home domains must list company.com
  Primary Dns Suffix . . . : company.com
  Connection-specific DNS Suffix . : site7.company.com
  → nothing: `company.com` covers site7.company.com"#,
}

/// What the grouped finding says of the hosts of one network.
pub const GROUP: &str = "their primary DNS suffix neither is nor covers the option 15 they received: \
home domains copied from the primary suffix miss this network";

pub fn check(ctx: &HostContext, out: &mut Vec<Finding>) {
    let (Some(primary), Some(suffix)) = (&ctx.host.primary_suffix, &ctx.host.suffix) else {
        return;
    };
    if suffix_match(&normalise(primary), &normalise(suffix)).matches() {
        return;
    }
    let fqdn = ctx
        .fqdn()
        .map(|f| format!(" (SCS names the device `{f}` by default)"))
        .unwrap_or_default();
    out.push(
        ctx.finding(
            Code::SL204,
            format!(
                "`{}` has primary DNS suffix `{primary}`{fqdn} but received `{suffix}` in option 15: environment detection compares `{suffix}`, which `{primary}` does not cover",
                ctx.name
            ),
        )
        .label(format!("primary `{primary}`, option 15 `{suffix}`"))
        .help(format!(
            "home domains must cover `{suffix}` (option 15), whatever the primary DNS suffix"
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_when_the_primary_suffix_does_not_cover_option_15() {
        let h = host(|h| {
            h.hostname = Some("pc0530".into());
            h.primary_suffix = Some("ad.company.local".into());
            h.suffix = Some("company.com".into());
        });
        let f = run_host_rule(Code::SL204, &h, None);
        assert_eq!(
            f[0].help.as_deref(),
            Some(
                "home domains must cover `company.com` (option 15), whatever the primary DNS suffix"
            )
        );
        assert!(
            f[0].message.contains("`pc0530.ad.company.local`"),
            "{}",
            f[0].message
        );
        // A primary suffix below option 15 does not cover it either.
        let below = host(|h| {
            h.primary_suffix = Some("ad.company.com".into());
            h.suffix = Some("company.com".into());
        });
        assert_eq!(run_host_rule(Code::SL204, &below, None).len(), 1);
    }

    #[test]
    fn quiet_when_the_primary_suffix_covers_option_15_or_is_missing() {
        let covers = host(|h| {
            h.primary_suffix = Some("company.com".into());
            h.suffix = Some("site7.company.com".into());
        });
        assert!(run_host_rule(Code::SL204, &covers, None).is_empty());
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
        // `mycompany.com` ends in `company.com` only as text: no cover.
        let raw = host(|h| {
            h.primary_suffix = Some("company.com".into());
            h.suffix = Some("mycompany.com".into());
        });
        assert_eq!(run_host_rule(Code::SL204, &raw, None).len(), 1);
    }
}

//! SL005: more home domains than consoles and firmware reliably handle.

use super::Context;
use crate::diagnostic::{Code, Finding};

declare_rule! {
    code: SL005,
    name: "too-many-home-domains",
    level: Warning,
    scope: Profile,
    needs: [],
    check: Profile(check),
    summary: "More home-domain entries than the configured limit (5 by default).",
    what: "A list longer than `[limits] max_home_domains` in scslint.toml (default 5).",
    why: "The firmware's entry count is undocumented; MeshCommander's editor accepts 5 entries and \
MeshCentral 4. A longer list may be cut when applied by another console, and the entries lost are \
networks where AMT will believe it is outside.\nSource: MeshCommander editor (5 entries); MeshCentral amtmanager.js (4)",
    fix: "Replace site-specific entries by their common parent (`corp.example.com` covers \
`site1.corp.example.com` … `site9.corp.example.com`), or raise the limit if your tooling is known to \
accept more.",
    example: r#"  HomeDomains: site1.corp.com site2.corp.com site3.corp.com site4.corp.com site5.corp.com site6.corp.com
  → SL005: 6 entries; `corp.com` alone covers them all"#,
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = ctx.detection() else { return };
    // A console that cuts the list itself (MeshCentral) is reported entry by entry by SL011.
    if d.written.is_some() {
        return;
    }
    let max = ctx.max_home_domains;
    if d.strings.len() <= max {
        return;
    }
    let first_extra = d.string_spans[max].clone();
    let span = first_extra.start..d.string_spans.last().map_or(first_extra.end, |s| s.end);
    out.push(
        ctx.finding(
            Code::SL005,
            span,
            format!(
                "{} home domains; more than {max} may not survive every console",
                d.strings.len()
            ),
        )
        .label(format!("entries beyond the first {max}"))
        .help(
            "replace site entries by their common parent suffix, or set [limits] max_home_domains",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn fires_over_the_limit_and_points_at_the_extra_entries() {
        let p = profile(&["a.com", "b.com", "c.com", "d.com", "e.com", "f.com"]);
        let f = run_rule(Code::SL005, &p, None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line_col(), (6, 1));
    }

    #[test]
    fn quiet_at_the_limit_and_where_the_console_cuts_the_list_itself() {
        let p = profile(&["a.com", "b.com", "c.com", "d.com", "e.com"]);
        assert!(run_rule(Code::SL005, &p, None).is_empty());
        let p = meshcentral(&["a.com", "b.com", "c.com", "d.com", "e.com", "f.com"]);
        assert!(run_rule(Code::SL005, &p, None).is_empty());
    }
}

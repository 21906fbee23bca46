//! SL900: a suppression (inline `scslint-disable` comment or `[[ignore]]` entry in scslint.toml)
//! that gives no reason. Raised where suppressions are applied (crate::suppress), not by a check.

declare_rule! {
    code: SL900,
    name: "suppression-without-reason",
    level: Warning,
    scope: Suppression,
    needs: [],
    check: Raised,
    summary: "A suppression (inline `scslint-disable` comment or `[[ignore]]` entry) that gives no reason.",
    what: "An XML comment `<!-- scslint-disable SL102 -->` with nothing after a colon, or an \
`[[ignore]]` entry in scslint.toml without `reason`. The suppression still works; this finding asks \
for the reason.",
    why: "Profiles are reviewed before a rollout and audited afterwards. A silenced SL100 may be a \
site where AMT closes its ports 16992-16995 on purpose, or a misfire nobody looked at; only the \
reason tells the auditor which. Without it, the next person cannot tell whether the suppression \
may be removed.",
    fix: "Write why after a colon: `<!-- scslint-disable SL102: lab domain, no DHCP scope yet -->`, \
or add `reason = \"…\"` to the `[[ignore]]` entry.",
    example: r#"  <!-- scslint-disable SL102 -->
  <Domain>lab.company.com</Domain>
  → SL900: this suppression gives no reason
  <!-- scslint-disable SL102: the lab network is not in observed.toml yet (ticket NET-112) -->"#,
}

//! SL900-SL901: documentation for findings about suppressions themselves (inline
//! `scslint-disable` comments and `[[ignore]]` entries in scslint.toml). They are raised where
//! suppressions are applied (crate::suppress), not by a check.

use super::Doc;

pub const WITHOUT_REASON: Doc = Doc {
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
};

pub const UNUSED: Doc = Doc {
    summary: "A suppression that silences nothing in this run: stale, misplaced, or naming an unknown code.",
    what: "An inline `scslint-disable` comment or an `[[ignore]]` entry naming a code that reported \
nothing where it applies; an unknown code; SL050-SL053, SL900 or SL901, which cannot be silenced; a \
comment that does not stand right before an element (only whitespace and other comments may come \
between); an `[[ignore]]` path naming a file that does not exist. Codes whose rule did not run \
(network rules without observed networks, DNS rules without `--dns`) are not reported.",
    why: "A suppression that outlives its finding hides the next, real one: when someone later puts \
an entry back that breaks SL100 on the same element, nobody is told. Misplaced comments are worse: \
the author believes a finding is handled while it is not.",
    fix: "Delete the suppression, or move the comment right before the element whose finding it \
silences (its start tag, not its text), and check the code with `scslint rules`.",
    example: r#"  <!-- scslint-disable SL102: old lab domain -->
  <Domain>company.com</Domain>
  → SL901: `scslint-disable SL102` silences nothing: SL102 (unmatched-home-domain) reported nothing in this element"#,
};

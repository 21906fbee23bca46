//! SL901: a suppression that silences nothing. Raised where suppressions are applied
//! (crate::suppress), not by a check.

declare_rule! {
    code: SL901,
    name: "unused-suppression",
    level: Warning,
    scope: Suppression,
    needs: [],
    check: Raised,
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
}

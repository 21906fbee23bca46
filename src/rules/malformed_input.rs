//! SL051: a profile, observed-networks or configuration file that breaks its format. Raised by
//! the readers; it makes the exit status 2. No check of its own.

declare_rule! {
    code: SL051,
    name: "malformed-input",
    level: Error,
    scope: Input,
    needs: [],
    input_problem: true,
    check: Raised,
    summary: "A profile or observed-networks file that is not well-formed XML, JSON, YAML or TOML, or breaks its format.",
    what: "Syntax errors, a DOCTYPE or entity reference (never expanded), nesting deeper than 128 \
levels, a missing or invalid DetectionAlgorithm, an SCS field whose value cannot be read, a malformed \
MeshCentral `environmentDetection`, and observed-networks files with unknown keys, a bad trust, or \
duplicate network names. The position points at the problem.",
    why: "scslint cannot predict environment detection for settings it cannot read. It never guesses \
past a syntax error, so this file's findings may be incomplete; other files are still checked, and the \
exit status is 2.",
    fix: "Repair the file at the reported position. DTDs are refused on purpose: profiles never need one \
and entity expansion is a classic attack on XML readers.",
    example: "  profiles/hq.xml:12:5 SL051 malformed XML: expected `</Domain>`, but `</Domains>` was found",
}

//! SL053: a file named on the command line that scslint cannot read as any kind it knows.
//! Raised by the profile readers; it makes the exit status 2. No check of its own.

declare_rule! {
    code: SL053,
    name: "unrecognised-input",
    level: Error,
    scope: Input,
    needs: [],
    input_problem: true,
    check: Raised,
    summary: "A file named on the command line that is none of the profile kinds scslint reads.",
    what: "A file given explicitly that is not a WS-Management AMT_EnvironmentDetectionSettingData \
document, a MeshCentral config.json with a `domains` section, an rpc-go / Console profile YAML, or \
XML whose root the SCS mapping knows. The kind is decided by content, never by the first byte or \
the file name: TOML, INI, templates, other XML, JSON and YAML found while walking a folder or \
staged in a commit are skipped silently, and are SL053 (never SL051) only when named.",
    why: "When you name a file you expect it to be checked; saying nothing would look like a clean result.",
    fix: "Check the path. For a real SCS export whose elements are named differently, map them with \
[scs] in scslint.toml (see schemas/scs-profile-map.toml). Encrypted exports must be decrypted first.",
    example: "  $ scslint check notes.txt\n  notes.txt:1:1 SL053 not a profile scslint can read: it is not XML, JSON or an rpc-go profile YAML",
}

//! SL050: a file that could not be read as text. Raised where files are loaded; it makes the
//! exit status 2. No check of its own.

declare_rule! {
    code: SL050,
    name: "unreadable-input",
    level: Error,
    scope: Input,
    needs: [],
    input_problem: true,
    check: Raised,
    summary: "A file that could not be read as text: missing, unreadable, empty, too large or not UTF-8/UTF-16.",
    what: "scslint could not turn the file's bytes into text: it does not exist or cannot be opened, is \
empty, is over the size limit (16 MiB for a profile, 64 MiB for an observed-networks file), or is \
neither UTF-8 (with or without BOM) nor UTF-16 with a byte-order mark.",
    why: "A profile that is not checked is a profile that may close AMT's ports on a whole site. \
scslint reports it, checks everything else, and exits with status 2 so CI does not pass silently.",
    fix: "Point scslint at the exported profile itself. Re-save text files as UTF-8; Windows tools that \
write UTF-16 must include the byte-order mark. Binary files are usually password-protected SCS \
profiles: export or decrypt them first.",
    example: "  $ scslint check big.log\n  big.log:1:1 SL050 the file is 100.0 MiB, over the 16 MiB a profile can reasonably be; it was not read",
}

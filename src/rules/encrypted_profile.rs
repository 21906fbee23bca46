//! SL052: a password-protected (encrypted) profile. Raised by the profile readers; it makes the
//! exit status 2. No check of its own.

declare_rule! {
    code: SL052,
    name: "encrypted-profile",
    level: Error,
    scope: Input,
    needs: [],
    input_problem: true,
    check: Raised,
    summary: "A password-protected (encrypted) profile: scslint needs the decrypted export.",
    what: "An XML file with XML-encryption content (`EncryptedData`, `CipherValue`), an SCS profile whose \
payload is a long base64 blob, or a file that is one base64 blob.",
    why: "Intel SCS saves profiles encrypted with a password (ACUConfig's /DecryptionPassword). The \
home domains inside cannot be checked, and they are the setting that decides whether AMT's ports \
open on each network.",
    fix: "Export the profile from the SCS console without a password (or decrypt it with the SCS \
tools) to a separate file, and point scslint at that. Keep the decrypted copy out of shared folders.",
    example: "  profiles/branch.xml:3:3 SL052 this profile is encrypted: its payload is an XML-encryption blob",
}

//! SL050-SL054: documentation for findings raised outside the rule checks: files readers cannot use
//! (SL050-SL053, which make the exit status 2) and DNS lookups that got no answer (SL054).
//! None of them has a check of its own.

use super::Doc;

pub const UNREADABLE: Doc = Doc {
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
};

pub const MALFORMED: Doc = Doc {
    summary: "A profile or observed-networks file that is not well-formed XML, JSON or TOML, or breaks its format.",
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
};

pub const ENCRYPTED: Doc = Doc {
    summary: "A password-protected (encrypted) profile: scslint needs the decrypted export.",
    what: "An XML file with XML-encryption content (`EncryptedData`, `CipherValue`), an SCS profile whose \
payload is a long base64 blob, or a file that is one base64 blob.",
    why: "Intel SCS saves profiles encrypted with a password (ACUConfig's /DecryptionPassword). The \
home domains inside cannot be checked, and they are the setting that decides whether AMT's ports \
open on each network.",
    fix: "Export the profile from the SCS console without a password (or decrypt it with the SCS \
tools) to a separate file, and point scslint at that. Keep the decrypted copy out of shared folders.",
    example: "  profiles/branch.xml:3:3 SL052 this profile is encrypted: its payload is an XML-encryption blob",
};

pub const HOME_DOMAINS_NOT_MAPPED: Doc = Doc {
    summary: "An SCS profile whose root the mapping knows, but where no element matches the home-domain paths.",
    what: "The file is recognised as an Intel SCS profile, but none of the mapping's `home_domains` \
paths matches an element in it. Intel publishes no schema for SCS profile XML, so a real export may \
name the list differently; the profile is then not judged at all, rather than judged as if its list \
were empty.",
    why: "Judging an unread list as empty would report \"detection disabled\" for a profile that may well \
configure it, or stay silent on the very mistake scslint exists to catch.",
    fix: "Run `scslint inspect FILE`: it lists every element with its path and value and proposes a \
starting [scs] mapping. Put the home-domain element's path under [scs.fields] home_domains in \
scslint.toml. If the profile really configures no home domains, turn this code off for that file \
with [[ignore]].",
    example: "  <AMTConfiguration> … <Suffixes><S>company.com</S></Suffixes> …   → SL012 (map `Suffixes/S`)",
};

pub const UNRECOGNISED: Doc = Doc {
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
};

pub const DNS_LOOKUP_FAILED: Doc = Doc {
    summary: "With --dns: a lookup a DNS check needed got no answer (timeout, SERVFAIL, REFUSED or another error).",
    what: "A query for a device FQDN (SL202, SL205) or for the SOA/NS of a home domain or observed \
suffix (SL105) that timed out on every try, or that the server answered with SERVFAIL or REFUSED. \
Each kind is named in the message. Lookups the server gave no answer to at all (timed out, \
unreachable) are one finding per server, naming it and how many names could not be looked up, at \
the first place that needed one and with the others as related locations; answers such as SERVFAIL \
or REFUSED stay one finding per name. When the server answers none of the first batch of queries, \
the rest are not sent and counted as not asked, so a dead server cannot stall a fleet-wide run.",
    why: "The check that needed the answer could not be made, so a misfire may be hidden. SERVFAIL \
usually means a broken delegation or DNSSEC failure upstream; REFUSED means the server does not \
answer for that zone (ask one that does with `--nameserver`); timeouts mean the server is unreachable \
or overloaded.",
    fix: "Point `--nameserver` at a server that answers for the enterprise zones (an internal \
resolver or the AD DNS server), raise `--dns-timeout` for slow links, or fix the zone's delegation.",
    example: "  $ scslint collect agents/ --dns --nameserver 10.0.0.53\n  agents/pc0423.json:1:1 SL054 no answer from 10.0.0.53:53 (timed out): 212 names could not be looked up (`pc0001.corp.test`, …), so SL105, SL202 and SL205 could not be checked for them\n  agents/pc0424.json:1:1 SL054 looking up `pc0424.corp.test` at 10.0.0.53:53: the server answered SERVFAIL; SL202 could not be checked",
};

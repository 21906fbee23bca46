//! Profile readers: sniff a file's kind from its content and turn it into [`Profile`]s with spans.
//! Bad input becomes an input finding (SL050-SL053); a reader never stops the run.

pub mod edit;
pub mod meshcentral;
pub mod rpcgo;
pub mod scs;
pub mod wsman;
pub(crate) mod yaml;

use crate::diagnostic::{Code, Finding};
use crate::envdetect::{Algorithm, Attachment, DetectionSettings, InsideBy, IpMode, Verdict};
use crate::source::{DecodeError, Source, Span, Spanned, Unreadable};
use crate::xml;
use std::path::Path;

pub use scs::ScsMapping;

/// Profiles are small; anything larger is refused before it is read.
pub const MAX_PROFILE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKind {
    WsMan,
    MeshCentral,
    Scs,
    RpcGo,
}

impl ProfileKind {
    pub fn describe(self) -> &'static str {
        match self {
            ProfileKind::WsMan => "WS-Management AMT_EnvironmentDetectionSettingData",
            ProfileKind::MeshCentral => "MeshCentral config.json domain",
            ProfileKind::Scs => "Intel SCS profile",
            ProfileKind::RpcGo => "rpc-go / Console profile YAML",
        }
    }
}

/// Environment-detection settings as written in a profile, each entry with its span.
#[derive(Debug, Clone)]
pub struct Detection {
    pub algorithm: Algorithm,
    pub strings: Vec<String>,
    pub string_spans: Vec<Span>,
    pub ipv6_prefixes: Vec<String>,
    pub prefix_spans: Vec<Span>,
    /// The list as a whole (the container, or the first entry).
    pub span: Span,
    /// What the console that applies this profile writes to the firmware, when that differs
    /// from the file. `None`: the firmware gets the entries as written.
    pub written: Option<Written>,
    /// Where the list and its entries stand in the file, for fixes; `None` when the reader
    /// cannot say (the list is no array, or comes from elsewhere through a YAML alias).
    pub layout: Option<edit::ListLayout>,
}

/// The home-domain list a console really writes: what reaches the firmware, and what it dropped.
#[derive(Debug, Clone)]
pub struct Written {
    /// "MeshCentral".
    pub console: &'static str,
    /// The entries that reach the firmware, as the console writes them.
    pub strings: Vec<String>,
    /// For each of `strings`, the index of the entry in the file it comes from.
    pub from: Vec<usize>,
    /// Entries of the file the console drops, with the reason.
    pub dropped: Vec<(usize, DropReason)>,
    /// The console writes a random never-matching name in place of an empty list (rpc-go and
    /// RPS with CIRA): `strings` holds a stand-in for it.
    pub placeholder: bool,
}

/// Why a console leaves an entry of the file out of what it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// The list is not an array, so the console ignores all of it.
    NotAList,
    Empty,
    /// At least this many characters.
    TooLong(usize),
    /// Equal to an earlier entry once the console has lower-cased it.
    Duplicate,
    /// After the first this-many entries the console keeps.
    BeyondLimit(usize),
}

impl DropReason {
    pub fn describe(self) -> String {
        match self {
            DropReason::NotAList => "the list is not an array, so all of it is ignored".into(),
            DropReason::Empty => "it is empty".into(),
            DropReason::TooLong(n) => format!("entries of {n} characters or more are dropped"),
            DropReason::Duplicate => "it repeats an earlier entry".into(),
            DropReason::BeyondLimit(n) => format!("only the first {n} entries are kept"),
        }
    }
}

impl Detection {
    /// The settings as the firmware holds them: the console's written list where there is one.
    pub fn settings(&self) -> DetectionSettings<'_> {
        DetectionSettings {
            algorithm: self.algorithm,
            strings: self.written.as_ref().map_or(&self.strings, |w| &w.strings),
            ipv6_prefixes: &self.ipv6_prefixes,
        }
    }

    /// The file entry a firmware entry comes from.
    pub(crate) fn file_index(&self, firmware_index: usize) -> usize {
        self.written
            .as_ref()
            .and_then(|w| w.from.get(firmware_index).copied())
            .unwrap_or(firmware_index)
    }

    /// The text the firmware holds for file entry `index` (lower-cased by MeshCentral, say), or
    /// `None` when the console drops it.
    pub fn firmware_text(&self, index: usize) -> Option<&str> {
        match &self.written {
            None => self.strings.get(index).map(String::as_str),
            Some(w) => w
                .from
                .iter()
                .position(|&i| i == index)
                .map(|k| w.strings[k].as_str()),
        }
    }

    /// Detection is on as the firmware gets it (after the console's transformation).
    pub fn is_enabled(&self) -> bool {
        let s = self.settings();
        !(s.strings.is_empty() && s.ipv6_prefixes.is_empty())
    }

    /// True when a console writes no list at all from this one (MeshCentral after dropping every
    /// entry): the device keeps whatever list it has.
    pub fn writes_nothing(&self) -> bool {
        self.written.as_ref().is_some_and(|w| w.strings.is_empty()) && self.ipv6_prefixes.is_empty()
    }

    /// For messages, when the firmware gets another list than the file holds: "MeshCentral
    /// writes `corp.com`, `a.corp.com`" (or "MeshCentral writes no list").
    pub fn written_note(&self) -> Option<String> {
        let w = self.written.as_ref()?;
        if w.strings == self.strings {
            return None;
        }
        if w.placeholder {
            return Some(format!(
                "{} writes a random `{}` placeholder for the empty list",
                w.console,
                rpcgo::PLACEHOLDER
            ));
        }
        if w.strings.is_empty() {
            return Some(format!("{} writes no list", w.console));
        }
        let list: Vec<String> = w.strings.iter().map(|s| format!("`{s}`")).collect();
        Some(format!("{} writes {}", w.console, list.join(", ")))
    }

    /// The reason the console drops file entry `index`, if it does.
    pub fn dropped(&self, index: usize) -> Option<DropReason> {
        let w = self.written.as_ref()?;
        w.dropped.iter().find(|(i, _)| *i == index).map(|(_, r)| *r)
    }

    pub fn entries(&self) -> impl Iterator<Item = (usize, &str, &Span)> {
        self.strings
            .iter()
            .zip(&self.string_spans)
            .enumerate()
            .map(|(i, (s, span))| (i, s.as_str(), span))
    }

    fn push(&mut self, value: Spanned<String>) {
        self.strings.push(value.value);
        self.string_spans.push(value.span);
    }

    fn push_prefix(&mut self, value: Spanned<String>) {
        self.ipv6_prefixes.push(value.value);
        self.prefix_spans.push(value.span);
    }
}

/// Remote access (CIRA): the MPS servers and policies a profile configures.
#[derive(Debug, Clone, Default)]
pub struct RemoteAccess {
    pub mps_servers: Vec<Spanned<String>>,
    pub policies: Vec<Spanned<String>>,
}

impl RemoteAccess {
    pub fn is_configured(&self) -> bool {
        !self.mps_servers.is_empty()
    }
}

/// One configuration profile, whatever file it came from.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub kind: ProfileKind,
    pub source: Source,
    /// Where profile-wide findings point.
    pub span: Span,
    /// `None` when the profile leaves environment detection as it is on the device.
    pub detection: Option<Detection>,
    pub remote_access: Option<RemoteAccess>,
    pub ip_mode: Option<Spanned<IpMode>>,
    pub ip_sync: Option<Spanned<bool>>,
    pub fqdn_source: Option<Spanned<String>>,
    pub shared_fqdn: Option<Spanned<bool>>,
    /// Inline `scslint-disable` comments of the file (XML profiles only).
    pub suppressions: Vec<crate::suppress::Suppression>,
}

impl Profile {
    fn new(name: String, kind: ProfileKind, source: &Source, span: Span) -> Self {
        Profile {
            name,
            kind,
            source: source.clone(),
            span,
            detection: None,
            remote_access: None,
            ip_mode: None,
            ip_sync: None,
            fqdn_source: None,
            shared_fqdn: None,
            suppressions: Vec::new(),
        }
    }

    /// The IP mode detection runs under; DHCP unless the profile says static.
    pub fn effective_ip_mode(&self) -> IpMode {
        self.ip_mode.as_ref().map_or(IpMode::Dhcp, |m| m.value)
    }

    /// The verdict this profile gets on a network, as the firmware would reach it (after the
    /// console's transformation), with entry indices pointing into the file. `None` when the
    /// profile leaves detection as it is on the device.
    pub fn verdict(&self, attach: &Attachment) -> Option<Verdict> {
        let d = self.detection.as_ref().filter(|d| !d.writes_nothing())?;
        let verdict = crate::envdetect::classify(&d.settings(), self.effective_ip_mode(), attach);
        Some(match verdict {
            Verdict::Inside(InsideBy::Domain {
                index,
                exact,
                uncertain,
                option24,
            }) => Verdict::Inside(InsideBy::Domain {
                index: d.file_index(index),
                exact,
                uncertain,
                option24,
            }),
            Verdict::Outside { raw_suffix_only } => Verdict::Outside {
                raw_suffix_only: raw_suffix_only
                    .into_iter()
                    .map(|i| d.file_index(i))
                    .collect(),
            },
            other => other,
        })
    }

    /// Where the device FQDN takes its domain from: the primary DNS suffix unless the profile's
    /// FQDN setting names another source.
    pub fn device_fqdn_source(&self) -> crate::dns_name::FqdnSource {
        self.fqdn_source
            .as_ref()
            .map(|s| crate::dns_name::FqdnSource::parse(&s.value))
            .unwrap_or_default()
    }

    pub fn has_remote_access(&self) -> bool {
        self.remote_access
            .as_ref()
            .is_some_and(RemoteAccess::is_configured)
    }
}

/// What reading one file produced.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub profiles: Vec<Profile>,
    pub findings: Vec<Finding>,
}

impl FileOutcome {
    fn finding(f: Finding) -> Self {
        FileOutcome {
            profiles: Vec::new(),
            findings: vec![f],
        }
    }
}

const DECRYPT_HELP: &str = "scslint reads decrypted profiles only: export an SCS profile without a password or decrypt it with ACUConfig/SCS; a Console profile export is encrypted with the key Console showed when exporting (the key rpc-go takes with `--key`): export it again without encryption and check the YAML";

/// Read one file. `explicit` is true when the user named it: then a file that is none of the
/// profile kinds is an error (SL053) instead of being skipped.
pub fn read_file(path: &Path, display: &Path, explicit: bool, mapping: &ScsMapping) -> FileOutcome {
    match crate::source::load(path, display, MAX_PROFILE_BYTES) {
        Ok(source) => read_source(&source, explicit, mapping),
        Err(e) => unreadable(&e, display, explicit, mapping),
    }
}

/// Read a profile from bytes already in memory (a blob from git's index); `size` is the whole
/// length when known, for the "too large" message.
pub fn read_bytes(
    bytes: &[u8],
    size: u64,
    display: &Path,
    explicit: bool,
    mapping: &ScsMapping,
) -> FileOutcome {
    match crate::source::from_bytes(display, bytes, size, MAX_PROFILE_BYTES) {
        Ok(source) => read_source(&source, explicit, mapping),
        Err(e) => unreadable(&e, display, explicit, mapping),
    }
}

/// SL050 for a file that did not become text; nothing for one met while walking that is not
/// recognisably a profile.
fn unreadable(e: &Unreadable, display: &Path, explicit: bool, mapping: &ScsMapping) -> FileOutcome {
    if !explicit && e.passed_over_when_walking() && !hints_profile(e.head(), mapping) {
        return FileOutcome::default();
    }
    let (line, column) = e.position();
    let mut f = Finding::at_file(
        Code::SL050,
        display.to_path_buf(),
        line,
        column,
        e.message(),
    );
    f = match e {
        Unreadable::TooLarge { .. } => {
            f.help("point scslint at the profile itself, not at an archive or a log")
        }
        Unreadable::Decode(DecodeError::InvalidUtf8 { .. }) if looks_structured(e.head()) => {
            f.help("save the file as UTF-8 or as UTF-16 with a byte-order mark")
        }
        Unreadable::Decode(DecodeError::InvalidUtf8 { .. }) => f.help(DECRYPT_HELP),
        _ => f,
    };
    FileOutcome::finding(f)
}

/// Sniff and read already-decoded text. The kind is decided by content specific to it (the AMT
/// namespace, an SCS root, MeshCentral's `domains`, an rpc-go `configuration` mapping), never by
/// the first byte alone: other XML, JSON and YAML is skipped when walking, and is SL053 (never
/// SL051) when named. Malformed input is reported only when it is recognisably a profile.
pub fn read_source(source: &Source, explicit: bool, mapping: &ScsMapping) -> FileOutcome {
    let text = source.text.trim_start();
    let lead = source.text.len() - text.len();
    for syntax in &SYNTAXES {
        if let Some(start) = (syntax.opens)(text) {
            return (syntax.read)(source, lead + start, explicit, mapping);
        }
    }
    if explicit {
        not_a_profile(
            source,
            lead..lead + 1,
            "it is not XML, JSON or an rpc-go profile YAML",
        )
    } else {
        FileOutcome::default()
    }
}

/// One way a profile file can be written, and the reader for it.
struct Syntax {
    /// Given the text without its leading whitespace: where the document starts (past a chunked
    /// transfer's size line, say), or `None` when the text is not of this syntax.
    opens: fn(&str) -> Option<usize>,
    /// Read the document starting at that byte of the source; `bool`: the user named the file.
    read: fn(&Source, usize, bool, &ScsMapping) -> FileOutcome,
}

/// Every profile syntax, in the order a file is offered to them; the first that opens it reads
/// it. XML (a WS-Management response, bare or in a captured chunked HTTP body, or an SCS profile:
/// the XML readers share one parse), then JSON (MeshCentral, or rpc-go written as JSON), then one
/// base64 blob (an encrypted export, SL052), then rpc-go's YAML.
static SYNTAXES: [Syntax; 4] = [
    Syntax {
        opens: |text| match xml::chunk_prefix_len(text) {
            0 => text.starts_with('<').then_some(0),
            chunk => Some(chunk),
        },
        read: read_xml,
    },
    Syntax {
        opens: |text| text.starts_with(['{', '[']).then_some(0),
        read: |source, _, explicit, _| read_json(source, explicit),
    },
    Syntax {
        opens: |text| looks_base64(text).then_some(0),
        read: |source, start, _, _| {
            FileOutcome::finding(
                Finding::new(
                    Code::SL052,
                    source,
                    start..start + 1,
                    "this looks like an encrypted profile: the file is one base64 blob",
                )
                .label("encrypted payload")
                .help(DECRYPT_HELP),
            )
        },
    },
    Syntax {
        opens: |text| rpcgo::looks_like(text).then_some(0),
        read: |source, _, explicit, _| rpcgo::read(source, explicit),
    },
];

/// SL053 for a file the user named that is none of the kinds.
pub(crate) fn not_a_profile(source: &Source, span: Span, why: &str) -> FileOutcome {
    FileOutcome::finding(
        Finding::new(
            Code::SL053,
            source,
            span,
            format!("not a profile scslint can read: {why}"),
        )
        .label("not a profile")
        .help(format!("scslint reads {KINDS}; {DECRYPT_HELP}")),
    )
}

const KINDS: &str = "WS-Management AMT_EnvironmentDetectionSettingData XML, Intel SCS profile XML, MeshCentral config.json and rpc-go / Console profile YAML";

/// JSON: a MeshCentral config.json, or an rpc-go profile written as JSON (YAML's subset).
fn read_json(source: &Source, explicit: bool) -> FileOutcome {
    let mesh = meshcentral::read(source, false);
    if !mesh.profiles.is_empty() || !mesh.findings.is_empty() {
        return mesh;
    }
    let rpc = rpcgo::read(source, false);
    if !rpc.profiles.is_empty() || !rpc.findings.is_empty() || !explicit {
        return rpc;
    }
    meshcentral::read(source, true)
}

fn read_xml(source: &Source, start: usize, explicit: bool, mapping: &ScsMapping) -> FileOutcome {
    let doc = match xml::parse(&source.text, start) {
        Ok(doc) => doc,
        Err(e) if mentions_profile_xml(&source.text, mapping) => {
            return FileOutcome::finding(
                Finding::new(Code::SL051, source, e.span, e.message).label("here"),
            );
        }
        Err(_) if explicit => {
            return not_a_profile(
                source,
                start..start + 1,
                "malformed XML that names no AMT or SCS element",
            );
        }
        Err(_) => return FileOutcome::default(),
    };
    if let Some(index) = wsman::find_instance(&doc) {
        return with_suppressions(wsman::read(&doc, index, source), &doc, source);
    }
    if let Some((_, el)) = doc
        .iter()
        .find(|(_, e)| e.local == "EncryptedData" || e.local == "CipherValue")
    {
        return FileOutcome::finding(
            Finding::new(
                Code::SL052,
                source,
                el.tag_span.clone(),
                "this profile is encrypted: its payload is an XML-encryption blob",
            )
            .label("encrypted payload")
            .help(DECRYPT_HELP),
        );
    }
    if mapping.is_root(&doc.root().local) {
        return with_suppressions(scs::read(&doc, source, mapping, explicit), &doc, source);
    }
    if explicit {
        let root = doc.root();
        return FileOutcome::finding(
            Finding::new(
                Code::SL053,
                source,
                root.tag_span.clone(),
                format!("not a profile scslint can read: the root element is `{}`", root.local),
            )
            .label("unrecognised root element")
            .help(format!(
                "expected an AMT_EnvironmentDetectionSettingData instance (bare, in a Get response or an Enumerate/Pull response) or an SCS profile whose root is one of {}; map other SCS exports with [scs] in scslint.toml",
                mapping.roots_list()
            )),
        );
    }
    FileOutcome::default()
}

/// Attach the document's `scslint-disable` comments to the profiles read from it.
fn with_suppressions(mut out: FileOutcome, doc: &xml::Document, source: &Source) -> FileOutcome {
    let suppressions = crate::suppress::from_document(doc, source);
    if !suppressions.is_empty() {
        for p in &mut out.profiles {
            p.suppressions = suppressions.clone();
        }
    }
    out
}

/// Does broken XML still say it is a profile: the AMT namespace or class, XML encryption, or a
/// mapped SCS root element?
fn mentions_profile_xml(text: &str, mapping: &ScsMapping) -> bool {
    if [
        "AMT_EnvironmentDetectionSettingData",
        "amt-schema",
        "EncryptedData",
    ]
    .iter()
    .any(|m| text.contains(m))
    {
        return true;
    }
    text.split('<').skip(1).take(64).any(|tag| {
        let name: String = tag
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
            .collect();
        let local = name.rsplit(':').next().unwrap_or_default();
        !local.is_empty() && mapping.is_root(local)
    })
}

/// Do the first 64 KiB of a file that cannot be read whole (too large, not valid text) say it is a
/// profile? Only then is a walked file reported rather than skipped.
fn hints_profile(bytes: &[u8], mapping: &ScsMapping) -> bool {
    let head: Vec<u8> = bytes
        .iter()
        .take(64 * 1024)
        .copied()
        .filter(|b| *b != 0)
        .collect();
    let text = String::from_utf8_lossy(&head);
    mentions_profile_xml(&text, mapping)
        || meshcentral::mentions_domains(&text)
        || rpcgo::looks_like(&text)
}

/// A first look at raw bytes: does it open like XML or JSON (any BOM or UTF-16 included)?
fn looks_structured(bytes: &[u8]) -> bool {
    let head: Vec<u8> = bytes
        .iter()
        .take(64)
        .copied()
        .filter(|b| *b != 0 && !b.is_ascii_whitespace() && *b < 0x80)
        .collect();
    matches!(head.first(), Some(b'<' | b'{'))
}

/// One long base64 blob: what a password-protected SCS profile looks like.
pub fn looks_base64(text: &str) -> bool {
    let mut count = 0usize;
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' | b'=' => count += 1,
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => return false,
        }
    }
    count >= 128
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_blobs_are_recognised() {
        let blob = "QUJD".repeat(40);
        assert!(looks_base64(&blob));
        assert!(looks_base64(&format!("{}\n{}", &blob[..80], &blob[80..])));
        assert!(!looks_base64("short=="));
        assert!(!looks_base64(&format!("{blob}!")));
    }

    #[test]
    fn structure_is_sniffed_through_boms_and_utf16() {
        assert!(looks_structured(b"\xEF\xBB\xBF  <x/>"));
        assert!(looks_structured(b"\xFF\xFE<\0x\0"));
        assert!(looks_structured(b"\n{\"a\":1}"));
        assert!(!looks_structured(b"\x89PNG\r\n"));
    }
}

//! rpc-go / Console profile YAML (the go-wsman-messages `config` v2 shape that `rpc activate
//! --profile` reads and Console exports): one profile per file.
//!
//! ```yaml
//! name: office
//! configuration:
//!   generalSettings: { sharedFQDN: true }
//!   network:
//!     wired: { dhcpEnabled: true, ipSyncEnabled: true }
//!   amtSpecific:
//!     controlMode: acmactivate
//!     cira:
//!       mpsAddress: mps.company.com
//!       environmentDetection: [company.com]
//! ```
//!
//! Recognised by content: a top-level `configuration` mapping with `amtSpecific` or `network`.
//! Keys are compared exactly, as Go's YAML decoder does.

use super::edit::{ListLayout, Syntax};
use super::yaml::{self, Document, NodeId};
use super::{Detection, FileOutcome, Profile, ProfileKind, RemoteAccess, Written};
use crate::diagnostic::{Code, Finding};
use crate::envdetect::{Algorithm, IpMode};
use crate::source::{Source, Span, Spanned};

/// What rpc-go writes in place of an empty list when CIRA is configured (a random UUID each time).
pub const PLACEHOLDER: &str = "<uuid>.com";

/// Does this text open like an rpc-go profile? A cheap look for the top-level `configuration:`
/// key and one of its sections, before any parsing.
pub fn looks_like(text: &str) -> bool {
    let top_level = text
        .lines()
        .any(|l| l.starts_with("configuration:") || l.starts_with("\"configuration\":"));
    top_level && (text.contains("amtSpecific") || text.contains("network"))
}

pub fn read(source: &Source, explicit: bool) -> FileOutcome {
    let doc = match yaml::parse(&source.text) {
        Ok(doc) => doc,
        Err(e) if looks_like(&source.text) => {
            let span = e.span.start..(e.span.start + 1).min(source.text.len());
            return FileOutcome::finding(
                Finding::new(
                    Code::SL051,
                    source,
                    span,
                    format!("malformed YAML: {}", e.message),
                )
                .label("here")
                .help("rpc-go profiles are YAML: indent with spaces, never tabs"),
            );
        }
        Err(_) => return unrecognised(source, explicit, 0..0),
    };
    let configuration = doc
        .root()
        .and_then(|root| doc.get(root, "configuration"))
        .filter(|(_, c)| {
            doc.is_map(*c)
                && (doc.get(*c, "amtSpecific").is_some() || doc.get(*c, "network").is_some())
        });
    let Some((conf_key, conf)) = configuration else {
        let at = doc.root().map_or(0..0, |r| doc.node(r).span.clone());
        return unrecognised(source, explicit, at);
    };
    let mut reader = Reader {
        doc: &doc,
        source,
        findings: Vec::new(),
        profile: String::new(),
    };
    let root = doc.root().unwrap_or(conf);
    let (name, span) = match doc
        .value(root, "name")
        .and_then(|n| reader.string(n, "name"))
    {
        Some(n) if !n.value.trim().is_empty() => (n.value, n.span),
        _ => (
            source
                .path
                .file_stem()
                .map_or_else(|| "(unnamed)".into(), |s| s.to_string_lossy().into_owned()),
            doc.node(conf_key).span.clone(),
        ),
    };
    reader.profile = name.clone();
    let mut profile = Profile::new(name, ProfileKind::RpcGo, source, span);

    if let Some(general) = reader.map_at(conf, "generalSettings") {
        profile.shared_fqdn = reader.bool_at(general, "sharedFQDN");
    }
    if let Some(wired) = reader
        .map_at(conf, "network")
        .and_then(|n| reader.map_at(n, "wired"))
    {
        profile.ip_mode = reader.bool_at(wired, "dhcpEnabled").map(|d| Spanned {
            value: if d.value {
                IpMode::Dhcp
            } else {
                IpMode::Static
            },
            span: d.span,
        });
        profile.ip_sync = reader.bool_at(wired, "ipSyncEnabled");
    }
    let cira = reader
        .map_at(conf, "amtSpecific")
        .and_then(|a| reader.map_at(a, "cira"));
    if let Some(cira) = cira {
        let mps = doc
            .value(cira, "mpsAddress")
            .and_then(|m| reader.string(m, "mpsAddress"))
            .filter(|m| !m.value.trim().is_empty());
        let ciraless_span = doc.node(cira).span.clone();
        profile.remote_access = mps.map(|m| RemoteAccess {
            mps_servers: vec![m],
            policies: Vec::new(),
        });
        let list = doc.get(cira, "environmentDetection");
        profile.detection = reader.detection(list, profile.has_remote_access(), ciraless_span);
    }
    FileOutcome {
        profiles: vec![profile],
        findings: reader.findings,
    }
}

struct Reader<'d> {
    doc: &'d Document,
    source: &'d Source,
    findings: Vec<Finding>,
    profile: String,
}

impl Reader<'_> {
    fn bad(&mut self, id: NodeId, message: String, label: &str) {
        let span = self.doc.node(id).span.clone();
        self.findings.push(
            Finding::new(Code::SL051, self.source, span, message)
                .label(label)
                .profile(&self.profile),
        );
    }

    /// The mapping under `key`; a value of another type is reported and ignored.
    fn map_at(&mut self, parent: NodeId, key: &str) -> Option<NodeId> {
        let id = self.doc.value(parent, key)?;
        if self.doc.is_map(id) {
            return Some(id);
        }
        if !self.doc.is_null(id) {
            self.bad(id, format!("`{key}` must be a mapping"), "not a mapping");
        }
        None
    }

    fn bool_at(&mut self, parent: NodeId, key: &str) -> Option<Spanned<bool>> {
        let id = self.doc.value(parent, key)?;
        if self.doc.is_null(id) {
            return None;
        }
        match self.doc.boolean(id) {
            Some(b) => Some(Spanned::new(b, self.doc.node(id).span.clone())),
            None => {
                self.bad(
                    id,
                    format!("`{key}` must be true or false"),
                    "not a boolean",
                );
                None
            }
        }
    }

    fn string(&mut self, id: NodeId, key: &str) -> Option<Spanned<String>> {
        if self.doc.is_null(id) {
            return None;
        }
        match self.doc.scalar(id) {
            Some(s) => Some(Spanned::new(s.to_owned(), self.doc.node(id).span.clone())),
            None => {
                self.bad(id, format!("`{key}` must be a string"), "not a string");
                None
            }
        }
    }

    /// `environmentDetection`: the list rpc-go writes, or its placeholder for an empty list when
    /// CIRA is configured. Without CIRA, an empty or absent list leaves the device's list alone.
    fn detection(
        &mut self,
        list: Option<(NodeId, NodeId)>,
        cira: bool,
        cira_span: Span,
    ) -> Option<Detection> {
        let mut detection = Detection {
            algorithm: Algorithm::LocalDomains,
            strings: Vec::new(),
            string_spans: Vec::new(),
            ipv6_prefixes: Vec::new(),
            prefix_spans: Vec::new(),
            span: cira_span.clone(),
            written: None,
            layout: None,
        };
        if let Some((key, value)) = list {
            detection.span = self.doc.node(key).span.start..self.doc.node(value).span.end;
            if let Some(items) = self.doc.seq(value) {
                let mut layout = self.layout(value, items, &cira_span);
                for &item in items {
                    match self.doc.scalar(item) {
                        Some(s) if !self.doc.is_null(item) => {
                            let span = self.doc.node(item).span.clone();
                            if let Some(l) = layout.as_mut() {
                                let k = items.iter().position(|&i| i == item).unwrap_or(0);
                                l.entry_items.push(k);
                                l.values.push(Some(span.clone()));
                            }
                            detection.push(Spanned::new(s.to_owned(), span))
                        }
                        _ => self.bad(
                            item,
                            "each `environmentDetection` entry must be a DNS suffix string".into(),
                            "not a string",
                        ),
                    }
                }
                detection.layout = layout;
            } else if !self.doc.is_null(value) {
                self.bad(
                    value,
                    "`environmentDetection` must be a list of DNS suffixes".into(),
                    "not a list",
                );
                return None;
            }
        }
        if !detection.strings.is_empty() {
            return Some(detection);
        }
        cira.then(|| {
            detection.written = Some(Written {
                console: "rpc-go",
                strings: vec![PLACEHOLDER.to_owned()],
                from: Vec::new(),
                dropped: Vec::new(),
                placeholder: true,
            });
            detection
        })
    }
}

impl Reader<'_> {
    /// Where the sequence `seq` and its items stand, when they are written where the profile's
    /// `cira` mapping is: a list reached through an alias or merge key stands elsewhere (and may
    /// be shared), so it is left without a layout and never edited.
    fn layout(&self, seq: NodeId, items: &[NodeId], within: &Span) -> Option<ListLayout> {
        let outer = self.doc.node(seq).span.clone();
        let spans: Vec<Span> = items
            .iter()
            .map(|&i| self.doc.node(i).span.clone())
            .collect();
        let inside = |s: &Span| within.start <= s.start && s.end <= within.end;
        let in_order = spans.windows(2).all(|w| w[0].end <= w[1].start);
        let in_seq = spans
            .iter()
            .all(|s| outer.start <= s.start && s.end <= outer.end);
        if !(inside(&outer) && in_order && in_seq) {
            return None;
        }
        let flow = self.source.text.get(outer.start..)?.starts_with('[');
        Some(ListLayout {
            syntax: if flow {
                Syntax::YamlFlow
            } else {
                Syntax::YamlBlock
            },
            items: spans,
            entry_items: Vec::new(),
            values: Vec::new(),
        })
    }
}

fn unrecognised(source: &Source, explicit: bool, span: Span) -> FileOutcome {
    if !explicit {
        return FileOutcome::default();
    }
    let span = span.start..(span.start + 1).min(source.text.len()).max(span.start);
    FileOutcome::finding(
        Finding::new(
            Code::SL053,
            source,
            span,
            "not a profile scslint can read: this YAML has no rpc-go `configuration` mapping with `amtSpecific` or `network`",
        )
        .label("expected `configuration:` here")
        .help("scslint reads rpc-go / Console profiles (configuration.amtSpecific.cira.environmentDetection)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Encoding, SourceFile};

    fn read_str(text: &str) -> FileOutcome {
        read(
            &SourceFile::new("office.yaml", text.to_owned(), Encoding::Utf8),
            true,
        )
    }

    const FULL: &str = "\
name: office
configuration:
  generalSettings:
    sharedFQDN: true
  network:
    wired:
      dhcpEnabled: true
      ipSyncEnabled: true
  amtSpecific:
    controlMode: acmactivate
    cira:
      mpsAddress: mps.company.com
      mpsPort: 4433
      environmentDetection:
        - company.com
        - \"vpn.company.com\"
";

    #[test]
    fn reads_every_field_with_its_span() {
        let out = read_str(FULL);
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        let p = &out.profiles[0];
        assert_eq!(p.name, "office");
        assert_eq!(p.kind, ProfileKind::RpcGo);
        let d = p.detection.as_ref().unwrap();
        assert_eq!(d.strings, ["company.com", "vpn.company.com"]);
        assert_eq!(&FULL[d.string_spans[0].clone()], "company.com");
        assert_eq!(&FULL[d.string_spans[1].clone()], "\"vpn.company.com\"");
        assert!(d.written.is_none());
        assert_eq!(p.effective_ip_mode(), IpMode::Dhcp);
        assert_eq!(p.ip_sync.as_ref().map(|s| s.value), Some(true));
        assert_eq!(p.shared_fqdn.as_ref().map(|s| s.value), Some(true));
        assert!(p.has_remote_access());
    }

    #[test]
    fn an_empty_list_with_cira_becomes_the_placeholder() {
        let text = FULL.replace(
            "      environmentDetection:\n        - company.com\n        - \"vpn.company.com\"\n",
            "      environmentDetection: []\n",
        );
        let out = read_str(&text);
        let d = out.profiles[0].detection.as_ref().unwrap();
        assert!(d.strings.is_empty());
        let w = d.written.as_ref().unwrap();
        assert!(w.placeholder);
        assert_eq!(d.settings().strings, [PLACEHOLDER]);
    }

    #[test]
    fn without_cira_an_empty_list_leaves_detection_alone() {
        let text = "name: lan\nconfiguration:\n  network:\n    wired:\n      dhcpEnabled: false\n  amtSpecific:\n    controlMode: ccmactivate\n";
        let out = read_str(text);
        let p = &out.profiles[0];
        assert!(p.detection.is_none() && !p.has_remote_access());
        assert_eq!(p.effective_ip_mode(), IpMode::Static);
    }

    #[test]
    fn wrong_types_are_reported_and_the_rest_is_read() {
        let text = "name: x\nconfiguration:\n  network:\n    wired:\n      dhcpEnabled: maybe\n  amtSpecific:\n    cira:\n      mpsAddress: mps.example.com\n      environmentDetection: [ok.com, {a: b}]\n";
        let out = read_str(text);
        let messages: Vec<&str> = out.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("dhcpEnabled"));
        assert!(messages[1].contains("entry must be a DNS suffix"));
        let d = out.profiles[0].detection.as_ref().unwrap();
        assert_eq!(d.strings, ["ok.com"]);
    }

    #[test]
    fn other_yaml_is_not_a_profile() {
        let workflow = "name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n";
        let walked = read(
            &SourceFile::new("ci.yaml", workflow.into(), Encoding::Utf8),
            false,
        );
        assert!(walked.profiles.is_empty() && walked.findings.is_empty());
        let named = read_str(workflow);
        assert_eq!(named.findings[0].code, Code::SL053);
        // A rpc-go command-line config has a `configure:` section, not `configuration:`.
        assert!(!looks_like("configure:\n  wired:\n    dhcp: true\n"));
    }

    #[test]
    fn malformed_profile_yaml_is_reported_at_its_position() {
        let text = "name: x\nconfiguration:\n  amtSpecific:\n\tcira: {}\n";
        let out = read_str(text);
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].code, Code::SL051);
        assert!(out.findings[0].message.starts_with("malformed YAML"));
    }

    #[test]
    fn a_json_profile_is_read_too() {
        let text = r#"{"name": "j", "configuration": {"amtSpecific": {"cira": {"mpsAddress": "m", "environmentDetection": ["a.com"]}}}}"#;
        let out = read_str(text);
        assert_eq!(
            out.profiles[0].detection.as_ref().unwrap().strings,
            ["a.com"]
        );
    }

    #[test]
    fn the_list_layout_says_block_or_flow_and_is_withheld_for_aliases() {
        use crate::profile::edit::Syntax;
        let layout = |text: &str| {
            read_str(text).profiles[0]
                .detection
                .as_ref()
                .unwrap()
                .layout
                .clone()
        };
        let block = layout(FULL).unwrap();
        assert_eq!(block.syntax, Syntax::YamlBlock);
        assert_eq!(&FULL[block.items[1].clone()], "\"vpn.company.com\"");
        let flow = "configuration:\n  amtSpecific:\n    cira:\n      environmentDetection: [a.com, {x: y}, b.com]\n";
        let l = layout(flow).unwrap();
        assert_eq!(l.syntax, Syntax::YamlFlow);
        assert_eq!((l.items.len(), l.entry_items.clone()), (3, vec![0, 2]));
        let aliased = "list: &l [a.com]\nconfiguration:\n  amtSpecific:\n    cira:\n      environmentDetection: *l\n";
        assert_eq!(layout(aliased), None);
    }
}

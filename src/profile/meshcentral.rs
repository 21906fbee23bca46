//! MeshCentral `config.json`: one profile per `domains.<name>` section, home domains from
//! `amtManager.environmentDetection`. Keys are matched case-insensitively and `_`-keys are ignored,
//! as MeshCentral does.

use super::{Detection, DropReason, FileOutcome, Profile, ProfileKind, Written};
use crate::diagnostic::{Code, Finding};
use crate::envdetect::Algorithm;
use crate::source::{Source, Span};
use jsonc_parser::ast::{Object, ObjectProp, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

/// The name scslint shows for MeshCentral's default domain (key `""`).
pub const DEFAULT_DOMAIN: &str = "(default domain)";

/// A live (not `_`-disabled) key, compared case-insensitively.
fn get<'a, 'b>(obj: &'b Object<'a>, key: &str) -> Option<&'b ObjectProp<'a>> {
    obj.properties.iter().find(|p| {
        let name = p.name.as_str();
        !name.starts_with('_') && name.eq_ignore_ascii_case(key)
    })
}

fn span_of(r: &impl Ranged) -> Span {
    let range = r.range();
    range.start..range.end
}

pub fn read(source: &Source, explicit: bool) -> FileOutcome {
    let options = ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        ..ParseOptions::default()
    };
    let parsed = match parse_to_ast(&source.text, &CollectOptions::default(), &options) {
        Ok(p) => p,
        Err(_) if !mentions_domains(&source.text) => {
            if !explicit {
                return FileOutcome::default();
            }
            let lead = source.text.len() - source.text.trim_start().len();
            return super::not_a_profile(
                source,
                lead..lead + 1,
                "it opens like JSON but is not JSON, and it is not XML or rpc-go profile YAML",
            );
        }
        Err(e) => {
            let range = e.range();
            return FileOutcome::finding(
                Finding::new(
                    Code::SL051,
                    source,
                    range.start..range.end.max(range.start + 1),
                    format!("malformed JSON: {}", e.kind()),
                )
                .label("here"),
            );
        }
    };
    let Some(Value::Object(root)) = parsed.value else {
        let lead = source.text.len() - source.text.trim_start().len();
        return unrecognised(source, explicit, lead..lead + 1);
    };
    let Some(domains) = get(&root, "domains") else {
        return unrecognised(source, explicit, span_of(&root));
    };
    let Value::Object(domains_obj) = &domains.value else {
        if get(&root, "settings").is_none() {
            return unrecognised(source, explicit, span_of(&domains.value));
        }
        return FileOutcome::finding(
            Finding::new(
                Code::SL051,
                source,
                span_of(&domains.value),
                "`domains` must be an object of MeshCentral domains",
            )
            .label("not an object"),
        );
    };
    let mut out = FileOutcome::default();
    for domain in &domains_obj.properties {
        let key = domain.name.as_str();
        if key.starts_with('_') {
            continue;
        }
        let name = if key.is_empty() { DEFAULT_DOMAIN } else { key };
        let key_span = span_of(&domain.name);
        let mut profile = Profile::new(name.to_owned(), ProfileKind::MeshCentral, source, key_span);
        let Value::Object(section) = &domain.value else {
            out.findings.push(
                Finding::new(
                    Code::SL051,
                    source,
                    span_of(&domain.value),
                    format!("domain `{name}` must be an object"),
                )
                .profile(name),
            );
            continue;
        };
        let list = get(section, "amtManager")
            .and_then(|m| m.value.as_object())
            .and_then(|m| get(m, "environmentDetection"));
        if let Some(list) = list {
            profile.detection = read_list(&list.value, source, name, &mut out.findings);
        }
        out.profiles.push(profile);
    }
    out
}

fn read_list(
    value: &Value,
    source: &Source,
    profile: &str,
    findings: &mut Vec<Finding>,
) -> Option<Detection> {
    let mut detection = Detection {
        algorithm: Algorithm::LocalDomains,
        strings: Vec::new(),
        string_spans: Vec::new(),
        ipv6_prefixes: Vec::new(),
        prefix_spans: Vec::new(),
        span: span_of(value),
        written: None,
        layout: None,
    };
    let mut layout = super::edit::ListLayout {
        syntax: super::edit::Syntax::JsonArray,
        items: Vec::new(),
        entry_items: Vec::new(),
        values: Vec::new(),
    };
    let elements: Vec<&Value> = match value {
        Value::Array(a) => a.elements.iter().collect(),
        // MeshCentral ignores anything but an array; the entry is kept to say so.
        Value::StringLit(_) => vec![value],
        // MeshCentral reads a missing or null list as "no list configured".
        Value::NullKeyword(_) => return None,
        other => {
            findings.push(
                Finding::new(
                    Code::SL051,
                    source,
                    span_of(other),
                    "`environmentDetection` must be an array of DNS suffixes",
                )
                .label("not an array")
                .profile(profile),
            );
            return None;
        }
    };
    for el in elements {
        layout.items.push(span_of(el));
        match el {
            Value::StringLit(s) => {
                // The span covers the text inside the quotes.
                let span = span_of(s);
                let inside = span.start + 1..span.end.saturating_sub(1).max(span.start + 1);
                layout.entry_items.push(layout.items.len() - 1);
                layout.values.push(Some(inside.clone()));
                detection.push(super::Spanned::new(s.value.to_string(), inside));
            }
            other => findings.push(
                Finding::new(
                    Code::SL051,
                    source,
                    span_of(other),
                    "each `environmentDetection` entry must be a string",
                )
                .label("not a string")
                .profile(profile),
            ),
        }
    }
    detection.written = Some(if matches!(value, Value::Array(_)) {
        detection.layout = Some(layout);
        written(&detection.strings)
    } else {
        Written {
            console: CONSOLE,
            strings: Vec::new(),
            from: Vec::new(),
            dropped: (0..detection.strings.len())
                .map(|i| (i, DropReason::NotAList))
                .collect(),
            placeholder: false,
        }
    });
    Some(detection)
}

const CONSOLE: &str = "MeshCentral";

/// MeshCentral keeps at most this many entries.
pub const MAX_ENTRIES: usize = 4;
/// MeshCentral drops entries of this many characters (UTF-16 code units) or more.
pub const MAX_ENTRY_LEN: usize = 64;

/// The list MeshCentral writes from `environmentDetection` (amtmanager.js, when it loads the
/// domain): each entry lower-cased; empty entries, entries of 64 characters or more and repeats
/// dropped; and the loop stops once 4 entries are kept.
pub fn written(entries: &[String]) -> Written {
    let mut out = Written {
        console: CONSOLE,
        strings: Vec::new(),
        from: Vec::new(),
        dropped: Vec::new(),
        placeholder: false,
    };
    for (i, entry) in entries.iter().enumerate() {
        if out.strings.len() >= MAX_ENTRIES {
            out.dropped.push((i, DropReason::BeyondLimit(MAX_ENTRIES)));
            continue;
        }
        let lower = entry.to_lowercase();
        let reason = if lower.is_empty() {
            Some(DropReason::Empty)
        } else if lower.encode_utf16().count() >= MAX_ENTRY_LEN {
            Some(DropReason::TooLong(MAX_ENTRY_LEN))
        } else if out.strings.contains(&lower) {
            Some(DropReason::Duplicate)
        } else {
            None
        };
        match reason {
            Some(r) => out.dropped.push((i, r)),
            None => {
                out.strings.push(lower);
                out.from.push(i);
            }
        }
    }
    out
}

/// Does broken JSON still say it is a MeshCentral config (a `"domains"` key, in any case)?
pub(super) fn mentions_domains(text: &str) -> bool {
    text.as_bytes()
        .windows(9)
        .any(|w| w.eq_ignore_ascii_case(b"\"domains\""))
}

fn unrecognised(source: &Source, explicit: bool, span: Span) -> FileOutcome {
    if !explicit {
        return FileOutcome::default();
    }
    FileOutcome::finding(
        Finding::new(Code::SL053, source, span, "not a profile scslint can read: this JSON has no MeshCentral `domains` section")
            .label("expected a `domains` object here")
            .help("scslint reads MeshCentral config.json (domains.<name>.amtManager.environmentDetection)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Encoding, SourceFile};

    fn read_str(text: &str) -> FileOutcome {
        read(
            &SourceFile::new("config.json", text.to_owned(), Encoding::Utf8),
            true,
        )
    }

    #[test]
    fn one_profile_per_domain_keys_case_insensitive() {
        let text = r#"{ "settings": {"cert": "mesh.company.com"},
          "domains": {
            "": { "AMTManager": { "EnvironmentDetection": ["company.com", "vpn.company.com"] } },
            "lab": { "amtmanager": { "environmentdetection": ["lab.company.com"] } },
            "_old": { "amtManager": { "environmentDetection": ["x.example"] } },
            "kiosk": { "title": "Kiosks" }
          } }"#;
        let out = read_str(text);
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        let names: Vec<_> = out.profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, [DEFAULT_DOMAIN, "lab", "kiosk"]);
        let d = out.profiles[0].detection.as_ref().unwrap();
        assert_eq!(d.strings, ["company.com", "vpn.company.com"]);
        assert_eq!(&text[d.string_spans[0].clone()], "company.com");
        assert_eq!(
            out.profiles[1].detection.as_ref().unwrap().strings,
            ["lab.company.com"]
        );
        assert!(out.profiles[2].detection.is_none());
    }

    fn written_of(list: &str) -> Written {
        let text = format!(
            r#"{{"domains": {{"": {{"amtManager": {{"environmentDetection": {list}}}}}}}}}"#
        );
        let out = read_str(&text);
        out.profiles[0]
            .detection
            .as_ref()
            .unwrap()
            .written
            .clone()
            .unwrap()
    }

    #[test]
    fn the_list_is_what_meshcentral_writes() {
        let long = format!("{}.example", "a".repeat(56));
        assert_eq!(long.len(), 64);
        let w = written_of(&format!(
            r#"["Corp.Example", "", "{long}", "corp.example", "b.example", "c.example", "d.example", "e.example"]"#
        ));
        assert_eq!(
            w.strings,
            ["corp.example", "b.example", "c.example", "d.example"]
        );
        assert_eq!(w.from, [0, 4, 5, 6]);
        assert_eq!(
            w.dropped,
            [
                (1, DropReason::Empty),
                (2, DropReason::TooLong(64)),
                (3, DropReason::Duplicate),
                (7, DropReason::BeyondLimit(4)),
            ]
        );
        let just_under = format!("{}.example", "a".repeat(55));
        assert_eq!(
            written_of(format!(r#"["{just_under}"]"#).as_str()).strings,
            [just_under]
        );
    }

    #[test]
    fn a_list_that_is_not_an_array_is_ignored() {
        let w = written_of(r#""corp.example""#);
        assert!(w.strings.is_empty());
        assert_eq!(w.dropped, [(0, DropReason::NotAList)]);
    }

    #[test]
    fn disabled_keys_are_ignored() {
        let text = r#"{"domains": {"": {"amtManager": {"_environmentDetection": ["a.example"], "environmentDetection": ["b.example"]}}}}"#;
        assert_eq!(
            read_str(text).profiles[0]
                .detection
                .as_ref()
                .unwrap()
                .strings,
            ["b.example"]
        );
        let out = read_str(r#"{"_domains": {"": {}}}"#);
        assert_eq!(out.findings[0].code, Code::SL053);
    }

    #[test]
    fn bad_json_and_bad_entries_are_reported_with_positions() {
        let out = read_str("{\n  \"domains\": { \"\": [1, }\n}");
        assert_eq!(out.findings[0].code, Code::SL051);
        assert_eq!(out.findings[0].line_col().0, 2);
        let out = read_str(
            r#"{"domains": {"": {"amtManager": {"environmentDetection": ["ok.example", 5]}}}}"#,
        );
        assert_eq!(out.findings.len(), 1);
        assert_eq!(
            out.profiles[0].detection.as_ref().unwrap().strings,
            ["ok.example"]
        );
    }

    #[test]
    fn unrelated_json_is_skipped_when_walked() {
        let src = SourceFile::new("package.json", r#"{"name": "x"}"#.into(), Encoding::Utf8);
        let out = read(&src, false);
        assert!(out.profiles.is_empty() && out.findings.is_empty());
    }
}

//! The observed.toml format: `[[network]]` tables naming each network's option 15 and trust.
//! Problems become SL050/SL051 findings with their position; good networks are still used.

use super::{Network, Trust};
use crate::diagnostic::{Code, Finding, Location};
use crate::envdetect::parse_ipv6_prefix;
use crate::source::{DecodeError, Source, SourceFile, line_col_in};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use toml::Spanned;

/// Snapshots list networks (and, from collect, flagged hosts); far larger than this is a mistake.
pub const MAX_OBSERVED_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    network: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: Spanned<String>,
    suffix: Option<Spanned<String>>,
    trust: Option<Trust>,
    hosts: Option<u64>,
    ipv6_prefixes: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Default)]
pub struct Observed {
    pub networks: Vec<Network>,
    pub findings: Vec<Finding>,
}

/// Read one observed.toml. `display` is the path shown to the user.
pub fn read_file(path: &Path, display: &Path) -> Observed {
    let fail = |line, column, msg: String| Observed {
        networks: Vec::new(),
        findings: vec![Finding::at_file(
            Code::SL050,
            display.to_path_buf(),
            line,
            column,
            msg,
        )],
    };
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|f| f.take(MAX_OBSERVED_BYTES + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        return fail(1, 1, format!("cannot read the observed-networks file: {e}"));
    }
    if bytes.len() as u64 > MAX_OBSERVED_BYTES {
        return fail(
            1,
            1,
            format!(
                "the observed-networks file is over {} MiB; it was not read",
                MAX_OBSERVED_BYTES >> 20
            ),
        );
    }
    match SourceFile::decode(display, &bytes) {
        Ok(source) => read_source(&source),
        // An empty file is usually a failed export: saying nothing would read as "all clear".
        Err(DecodeError::Empty) => fail(1, 1, "the observed-networks file is empty".into()),
        Err(DecodeError::InvalidUtf8 { offset, prefix }) => {
            let (line, column) = line_col_in(&prefix, prefix.len());
            fail(
                line,
                column,
                format!("the observed-networks file is not valid UTF-8 (byte {offset})"),
            )
        }
        Err(DecodeError::InvalidUtf16 { offset }) => {
            fail(1, 1, format!("invalid UTF-16 at byte {offset}"))
        }
    }
}

pub fn read_source(source: &Source) -> Observed {
    let mut out = Observed::default();
    let file: File = match toml::from_str(&source.text) {
        Ok(f) => f,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim_end().to_owned();
            out.findings.push(
                Finding::new(Code::SL051, source, span, format!("invalid observed-networks file: {message}"))
                    .label("here")
                    .help("see schemas/observed.schema.json: [[network]] tables with name, suffix, trust (enterprise|external), hosts"),
            );
            return out;
        }
    };
    let mut seen: HashMap<String, std::ops::Range<usize>> = HashMap::new();
    for entry in file.network {
        let name_span = entry.name.span();
        let name = entry.name.into_inner();
        if name.trim().is_empty() {
            out.findings.push(
                Finding::new(
                    Code::SL051,
                    source,
                    name_span,
                    "a network needs a non-empty name",
                )
                .label("empty name"),
            );
            continue;
        }
        if let Some(first) = seen.get(&name) {
            out.findings.push(
                Finding::new(
                    Code::SL051,
                    source,
                    name_span,
                    format!("network name `{name}` is used twice in this file"),
                )
                .label("second use")
                .related(source, first.clone(), "first defined here")
                .network(&name),
            );
            continue;
        }
        seen.insert(name.clone(), name_span.clone());
        let mut prefixes = Vec::new();
        for p in entry.ipv6_prefixes.into_iter().flatten() {
            match parse_ipv6_prefix(p.get_ref()) {
                Some(net) => prefixes.push(net),
                None => out.findings.push(
                    Finding::new(
                        Code::SL051,
                        source,
                        p.span(),
                        format!("`{}` is not an IPv6 prefix", p.get_ref()),
                    )
                    .label("expected e.g. 2001:db8:1:4::/64")
                    .network(&name),
                ),
            }
        }
        let suffix = entry
            .suffix
            .map(Spanned::into_inner)
            .filter(|s| !s.trim().is_empty());
        out.networks.push(Network {
            name,
            suffix,
            trust: entry.trust.unwrap_or(Trust::Enterprise),
            forced_external: None,
            hosts: entry.hosts,
            ipv6_prefixes: prefixes,
            ranges: Vec::new(),
            sources: Vec::new(),
            location: Location::Span {
                source: source.clone(),
                span: name_span,
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Encoding;

    fn read(text: &str) -> Observed {
        read_source(&SourceFile::new(
            "observed.toml",
            text.to_owned(),
            Encoding::Utf8,
        ))
    }

    #[test]
    fn reads_networks_with_defaults() {
        let out = read(
            r#"
[[network]]
name = "hq-wired"
suffix = "corp.example.com"
hosts = 420

[[network]]
name = "hotel"
suffix = ""
trust = "external"
ipv6_prefixes = ["2001:db8:9::/64"]
"#,
        );
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        assert_eq!(out.networks.len(), 2);
        let hq = &out.networks[0];
        assert_eq!(
            (hq.suffix.as_deref(), hq.trust, hq.hosts),
            (Some("corp.example.com"), Trust::Enterprise, Some(420))
        );
        let hotel = &out.networks[1];
        assert_eq!(
            (hotel.suffix.as_deref(), hotel.trust),
            (None, Trust::External)
        );
        assert_eq!(hotel.ipv6_prefixes.len(), 1);
        let Location::Span { source, span } = &hq.location else {
            panic!("a snapshot network has a span")
        };
        assert_eq!(source.slice(span), "\"hq-wired\"");
    }

    #[test]
    fn reports_unknown_keys_bad_trust_and_duplicates_with_positions() {
        let out = read("[[network]]\nname = \"a\"\nsufix = \"x.example\"\n");
        assert_eq!(out.findings[0].code, Code::SL051);
        assert!(
            out.findings[0].message.contains("sufix"),
            "{}",
            out.findings[0].message
        );
        assert_eq!(out.findings[0].line_col().0, 3);
        let out = read("[[network]]\nname = \"a\"\ntrust = \"partner\"\n");
        assert!(out.findings[0].message.contains("partner"));
        let out = read(
            "[[network]]\nname = \"a\"\n[[network]]\nname = \"a\"\n[[network]]\nname = \"b\"\n",
        );
        assert_eq!(out.findings.len(), 1);
        assert_eq!(out.findings[0].line_col().0, 4);
        assert_eq!(out.networks.len(), 2, "the good networks are kept");
        let out = read("[[network]]\nsuffix = \"x\"\n");
        assert!(out.findings[0].message.contains("name"));
    }
}

//! `--format sarif`: one SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF
//! viewers. URIs are relative to the repository root (`%SRCROOT%`), regions are 1-based with
//! columns in characters, every rule a result uses is described in `tool.driver.rules`, and
//! `partialFingerprints` leave positions out (see [`super::fingerprint`]).

use super::fingerprint;
use super::paths::{RepoPaths, uri_reference};
use crate::diagnostic::{Code, Finding, Location, Severity};
use crate::outcome::Outcome;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The rule's documentation as a reportingDescriptor.
fn descriptor(code: Code) -> Value {
    let doc = crate::rules::doc(code);
    let (what, why, fix, example) = (
        doc.what.trim(),
        doc.why.trim(),
        doc.fix.trim(),
        doc.example.trim_matches('\n'),
    );
    json!({
        "id": code.as_str(),
        "name": code.name(),
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": what},
        "help": {
            "text": format!("Why it matters for AMT: {why}\n\nHow to fix it: {fix}"),
            "markdown": format!(
                "**Why it matters for AMT**\n\n{why}\n\n**How to fix it**\n\n{fix}\n\n**Example**\n\n```text\n{example}\n```"
            ),
        },
        "defaultConfiguration": {"level": level(code.default_severity())},
        "properties": {"tags": ["amt", "environment-detection"]},
    })
}

/// Where a path goes in the log: a URI relative to `%SRCROOT%`, else an absolute `file:` URI.
fn artifact(paths: &RepoPaths, path: &std::path::Path) -> Value {
    match paths.relative(path) {
        Some(rel) => json!({"uri": uri_reference(&rel), "uriBaseId": SRCROOT}),
        None => json!({"uri": paths.file_uri(path)}),
    }
}

/// A physicalLocation, or `None` for a finding that has no file.
fn physical(paths: &RepoPaths, location: &Location) -> Option<Value> {
    let path = location.path();
    if path.as_os_str().is_empty() {
        return None;
    }
    let (line, column) = location.line_col();
    let mut region = Map::new();
    region.insert("startLine".into(), line.max(1).into());
    region.insert("startColumn".into(), column.max(1).into());
    if let Location::Span { .. } = location {
        let (end_line, end_column) = location.end_line_col();
        region.insert("endLine".into(), end_line.max(1).into());
        region.insert("endColumn".into(), end_column.max(1).into());
    }
    Some(json!({
        "artifactLocation": artifact(paths, &path),
        "region": region,
    }))
}

fn message_text(f: &Finding) -> String {
    match &f.help {
        Some(help) => format!("{}\n\nhelp: {help}", f.message),
        None => f.message.clone(),
    }
}

/// The finding's fix as a SARIF fix: its edits as replacements of regions of the file.
fn fix(paths: &RepoPaths, f: &Finding) -> Option<Value> {
    let fix = f.fix.as_ref()?;
    let Location::Span { source, .. } = &f.location else {
        return None;
    };
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| {
            let (start_line, start_column) = source.line_col(e.range.start);
            let (end_line, end_column) = source.line_col(e.range.end);
            json!({
                "deletedRegion": {
                    "startLine": start_line,
                    "startColumn": start_column,
                    "endLine": end_line,
                    "endColumn": end_column,
                },
                "insertedContent": {"text": e.content},
            })
        })
        .collect();
    Some(json!({
        "description": {"text": format!("{} ({} fix)", fix.message, fix.applicability.as_str())},
        "artifactChanges": [{
            "artifactLocation": artifact(paths, &source.path),
            "replacements": replacements,
        }],
    }))
}

fn result(f: &Finding, rule_index: usize, fingerprint: String, paths: &RepoPaths) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), f.code.as_str().into());
    result.insert("ruleIndex".into(), rule_index.into());
    result.insert("level".into(), level(f.severity).into());
    result.insert("message".into(), json!({"text": message_text(f)}));
    if let Some(mut location) = physical(paths, &f.location).map(|p| json!({"physicalLocation": p}))
    {
        if let Some(label) = &f.label {
            location["message"] = json!({"text": label});
        }
        result.insert("locations".into(), json!([location]));
    }
    let related: Vec<Value> = f
        .related
        .iter()
        .filter_map(|r| physical(paths, &r.location).map(|p| (p, r.label.clone())))
        .enumerate()
        .map(
            |(id, (p, label))| json!({"id": id, "physicalLocation": p, "message": {"text": label}}),
        )
        .collect();
    if !related.is_empty() {
        result.insert("relatedLocations".into(), related.into());
    }
    if let Some(fix) = fix(paths, f) {
        result.insert("fixes".into(), json!([fix]));
    }
    result.insert(
        "partialFingerprints".into(),
        json!({ fingerprint::KEY: fingerprint }),
    );
    let mut properties = Map::new();
    for (key, value) in [
        ("profile", &f.profile),
        ("network", &f.network),
        ("homeDomain", &f.home_domain),
        ("host", &f.host),
    ] {
        if let Some(v) = value {
            properties.insert(key.into(), v.clone().into());
        }
    }
    for (key, values) in [("networks", &f.networks), ("hosts", &f.hosts)] {
        if !values.is_empty() {
            properties.insert(key.into(), values.clone().into());
        }
    }
    if !properties.is_empty() {
        result.insert("properties".into(), properties.into());
    }
    result.into()
}

/// The whole log as a JSON value.
pub fn log(outcome: &Outcome, paths: &RepoPaths) -> Value {
    let used: Vec<Code> = outcome
        .findings
        .iter()
        .map(|f| f.code)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let prints = fingerprint::all(
        outcome
            .findings
            .iter()
            .map(|f| (f, paths.display(&f.path()))),
    );
    let results: Vec<Value> = outcome
        .findings
        .iter()
        .zip(prints)
        .map(|(f, print)| {
            let index = used.iter().position(|&c| c == f.code).unwrap_or(0);
            result(f, index, print, paths)
        })
        .collect();
    let mut driver = json!({
        "name": "scslint",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": used.iter().map(|&c| descriptor(c)).collect::<Vec<_>>(),
    });
    let info = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty());
    if let Some(uri) = info {
        driver["informationUri"] = uri.into();
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {
                SRCROOT: {
                    "uri": paths.root_uri(),
                    "description": {"text": "The repository root (or the working directory outside a git work tree)."},
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

pub fn render(outcome: &Outcome, paths: &RepoPaths) -> String {
    // Serialising a JSON value cannot fail.
    let mut text = serde_json::to_string_pretty(&log(outcome, paths)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::Levels;
    use crate::outcome::{Summary, finish};
    use crate::source::{Encoding, SourceFile};
    use std::path::Path;

    fn paths() -> RepoPaths {
        RepoPaths::from_dir(Path::new("/nonexistent-scslint-root"))
    }

    #[test]
    fn clean_run_has_an_empty_results_array() {
        let outcome = finish(Vec::new(), Summary::default(), &Levels::default());
        let log = log(&outcome, &paths());
        assert_eq!(log["runs"][0]["results"], json!([]));
        assert_eq!(log["runs"][0]["tool"]["driver"]["rules"], json!([]));
        assert_eq!(log["version"], "2.1.0");
    }

    #[test]
    fn grouped_findings_carry_every_network() {
        let src = SourceFile::new("p.xml", "corp.com\n".into(), Encoding::Utf8);
        let observed = SourceFile::new("observed.toml", "a\nb\n".into(), Encoding::Utf8);
        let f = Finding::new(Code::SL100, &src, 0..8, "two networks outside")
            .networks(["a", "b"])
            .related(&observed, 0..1, "network `a` observed here")
            .related(&observed, 2..3, "network `b` observed here");
        let outcome = finish(vec![f], Summary::default(), &Levels::default());
        let result = &log(&outcome, &paths())["runs"][0]["results"][0];
        assert_eq!(result["properties"]["networks"], json!(["a", "b"]));
        assert_eq!(result["properties"].get("network"), None);
        assert_eq!(result["properties"].get("hosts"), None);
        let related = result["relatedLocations"].as_array().unwrap();
        assert_eq!(related.len(), 2);
        assert_eq!(related[1]["physicalLocation"]["region"]["startLine"], 2);
    }

    #[test]
    fn results_point_at_rules_and_one_based_regions() {
        let src = SourceFile::new(
            "dir/a b.xml",
            "<x>\n  corp.com\n</x>".into(),
            Encoding::Utf8,
        );
        let findings = vec![
            Finding::new(Code::SL102, &src, 6..14, "unmatched").label("here"),
            Finding::new(Code::SL006, &src, 6..14, "too broad").help("narrow it"),
            Finding::at(
                Code::SL104,
                Location::File {
                    path: "".into(),
                    line: 0,
                    column: 0,
                },
                "nowhere",
            ),
        ];
        let outcome = finish(findings, Summary::default(), &Levels::default());
        let log = log(&outcome, &paths());
        let rules: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(rules, ["SL006", "SL102", "SL104"]);
        let results = log["runs"][0]["results"].as_array().unwrap();
        for r in results {
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index], r["ruleId"]);
        }
        let with_file: Vec<&Value> = results
            .iter()
            .filter(|r| r.get("locations").is_some())
            .collect();
        assert_eq!(
            with_file.len(),
            2,
            "the finding without a file has no location"
        );
        let loc = &with_file[0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "dir/a%20b.xml");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], SRCROOT);
        assert_eq!(
            loc["region"],
            json!({"startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 11})
        );
        let broad = results.iter().find(|r| r["ruleId"] == "SL006").unwrap();
        assert_eq!(broad["message"]["text"], "too broad\n\nhelp: narrow it");
        assert_eq!(broad["level"], "error");
    }
}

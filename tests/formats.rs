//! `--format sarif|github|junit`, `--fail-level` and `--exit-zero` end to end from the built
//! binary. SARIF is validated against the official SARIF 2.1.0 JSON schema (vendored as
//! tests/sarif-schema-2.1.0.json, formats checked); GitHub and JUnit output are compared with
//! insta snapshots under tests/snapshots/ (`cargo insta review`, or `INSTA_UPDATE=always`, takes
//! a deliberate change).

mod support;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{root, scslint, write};

const FIXTURE: &str = "tests/fixtures/formats";

const CLEAN: &str = r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>company.com</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#;

const AD_ROOT: &str = r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>ad.company.local</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#;

const OBSERVED: &str = "[[network]]\nname = \"hq\"\nsuffix = \"company.com\"\nhosts = 420\n";

/// The vendored official schema, itself checked against its meta-schema.
fn sarif_schema() -> Value {
    let text = std::fs::read_to_string(root().join("tests/sarif-schema-2.1.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("not a valid schema: {e}"));
    schema
}

/// Where `log` breaks the SARIF 2.1.0 schema (formats such as `uri-reference` included).
fn sarif_errors(log: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&sarif_schema())
        .unwrap();
    validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn assert_sarif(log: &Value) {
    let errors = sarif_errors(log);
    assert!(errors.is_empty(), "not SARIF 2.1.0: {errors:?}");
}

/// Run scslint in `dir`; return the exit status, standard output and standard error.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = scslint().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `check ARGS --format sarif` in `dir`: the exit status and the log, validated.
fn check_sarif(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--no-config", "--format", "sarif"]);
    let (status, stdout, stderr) = run(dir, &all);
    let log: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
    assert_sarif(&log);
    (status, log)
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

fn uri(result: &Value) -> &str {
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
}

/// `check` on the formats fixture from the repository root.
fn fixture(format: &str, extra: &[&str]) -> (i32, String) {
    let observed = format!("{FIXTURE}/observed.toml");
    let mut args = vec![
        "check",
        FIXTURE,
        "--observed",
        &observed,
        "--no-config",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    let (status, stdout, _) = run(root(), &args);
    (status, stdout)
}

#[test]
fn the_vendored_schema_is_sarif_2_1_0_and_catches_bad_logs() {
    let schema = sarif_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(
        schema["properties"]["version"]["enum"],
        serde_json::json!(["2.1.0"])
    );
    // The validator has teeth: 0-based lines, unknown properties and bad URIs are refused.
    let (_, log) = check_sarif(
        root(),
        &["profiles", "--observed", "profiles/observed.toml"],
    );
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!sarif_errors(&bad).is_empty());
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["column"] = 1.into();
    assert!(!sarif_errors(&bad).is_empty());
    let mut bad = log;
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "a b\\c".into();
    assert!(!sarif_errors(&bad).is_empty());
}

#[test]
fn sarif_on_the_demo_describes_every_rule_used_and_points_into_the_repository() {
    let (status, log) = check_sarif(
        root(),
        &["profiles", "--observed", "profiles/observed.toml"],
    );
    assert_eq!(status, 1);
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "scslint");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let results = results(&log);
    assert!(results.len() > 10, "the demo is full of mistakes");
    let used: BTreeSet<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        rule_ids.iter().copied().collect::<BTreeSet<_>>(),
        used,
        "exactly the rules used are described"
    );
    for rule in rules {
        for field in ["shortDescription", "fullDescription", "help"] {
            assert!(!rule[field]["text"].as_str().unwrap().is_empty(), "{rule}");
        }
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("How to fix it")
        );
        assert!(rule["name"].as_str().unwrap().contains('-'));
    }
    let root_uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(root_uri.starts_with("file:///") && root_uri.ends_with('/'));
    let mut prints = BTreeSet::new();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rule_ids[index], r["ruleId"]);
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = uri(r);
        assert!(uri.starts_with("profiles/"), "repository-relative: {uri}");
        // %SRCROOT% + uri is the file.
        let file = PathBuf::from(root_uri.trim_start_matches("file://")).join(uri);
        assert!(file.is_file(), "{} does not exist", file.display());
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
        let print = r["partialFingerprints"]["scslint/v1"].as_str().unwrap();
        assert!(
            prints.insert(print.to_owned()),
            "duplicate fingerprint {print}"
        );
        assert!(matches!(
            r["level"].as_str().unwrap(),
            "error" | "warning" | "note"
        ));
    }
    // The article's mistake: one result for the five networks it leaves outside, each network
    // in observed.toml a related location.
    let ad = results
        .iter()
        .find(|r| r["ruleId"] == "SL100" && uri(r) == "profiles/wsman/pc0423-ad-root.xml")
        .unwrap();
    assert_eq!(
        ad["properties"]["networks"],
        serde_json::json!([
            "berlin-wired",
            "corp-wifi",
            "hq-wired",
            "plant-wired",
            "vpn"
        ])
    );
    assert_eq!(ad["relatedLocations"].as_array().unwrap().len(), 5);
    assert_eq!(
        ad["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 15, "startColumn": 27, "endLine": 15, "endColumn": 43})
    );
    assert_eq!(
        ad["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "profiles/observed.toml"
    );
    let info = results.iter().find(|r| r["ruleId"] == "SL009").unwrap();
    assert_eq!(info["level"], "note");
}

#[test]
fn sarif_on_a_clean_run_has_an_empty_results_array() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "hq.xml", CLEAN);
    write(dir.path(), "observed.toml", OBSERVED);
    let (status, log) = check_sarif(dir.path(), &["hq.xml", "--observed", "observed.toml"]);
    assert_eq!(status, 0);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"],
        serde_json::json!([])
    );
}

#[test]
fn fingerprints_survive_lines_inserted_above_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pc0423.xml", AD_ROOT);
    write(dir.path(), "observed.toml", OBSERVED);
    let args = ["pc0423.xml", "--observed", "observed.toml"];
    let by_print = |log: &Value| -> BTreeMap<String, u64> {
        results(log)
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["scslint/v1"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let (_, before) = check_sarif(dir.path(), &args);
    let before = by_print(&before);
    assert_eq!(
        before.len(),
        1,
        "SL100, with the unmatched entry in it: {before:?}"
    );

    let moved = format!("<!-- reviewed for the rollout -->\n\n\n{AD_ROOT}");
    write(dir.path(), "pc0423.xml", &moved);
    let (_, after) = check_sarif(dir.path(), &args);
    let after = by_print(&after);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same findings keep their fingerprints"
    );
    for (print, line) in &before {
        assert_eq!(after[print], line + 3, "the findings did move");
    }

    // Another wrong entry, or another network outside: still the same mistake, the same print.
    let print_of = |log: &Value| {
        let results = results(log);
        assert_eq!(results.len(), 1, "{results:?}");
        assert_eq!(results[0]["ruleId"], "SL100");
        results[0]["partialFingerprints"]["scslint/v1"].clone()
    };
    let (_, first) = check_sarif(dir.path(), &args);
    write(
        dir.path(),
        "pc0423.xml",
        &AD_ROOT.replace("ad.company", "corp.company"),
    );
    let (_, other) = check_sarif(dir.path(), &args);
    assert_eq!(print_of(&first), print_of(&other));
    write(
        dir.path(),
        "observed.toml",
        &format!(
            "{OBSERVED}\n[[network]]\nname = \"wifi\"\nsuffix = \"wifi.company.com\"\nhosts = 80\n"
        ),
    );
    let (_, grown) = check_sarif(dir.path(), &args);
    assert_eq!(
        results(&grown)[0]["properties"]["networks"],
        serde_json::json!(["hq", "wifi"])
    );
    assert_eq!(print_of(&first), print_of(&grown));
}

#[test]
fn sarif_uris_are_relative_to_the_git_top_level_and_percent_encoded() {
    let repo = tempfile::tempdir().unwrap();
    let git = Command::new("git")
        .args(["init", "-q"])
        .current_dir(repo.path())
        .status()
        .unwrap();
    assert!(git.success());
    write(repo.path(), "sub/my profiles/pc #1.xml", AD_ROOT);
    write(repo.path(), "sub/observed.toml", OBSERVED);
    let sub = repo.path().join("sub");
    let (_, log) = check_sarif(&sub, &["my profiles", "--observed", "observed.toml"]);
    let uris: BTreeSet<&str> = results(&log).iter().map(uri).collect();
    assert_eq!(
        uris,
        BTreeSet::from(["sub/my%20profiles/pc%20%231.xml"]),
        "relative to the repository, not the working directory"
    );
    let related = &results(&log)[0]["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], "sub/observed.toml");
    let root_uri = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    let top = std::fs::canonicalize(repo.path()).unwrap();
    assert_eq!(root_uri, format!("file://{}/", top.display()));

    // Outside a git work tree: relative to the working directory.
    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "my profiles/pc #1.xml", AD_ROOT);
    write(plain.path(), "observed.toml", OBSERVED);
    let (_, log) = check_sarif(
        plain.path(),
        &["my profiles", "--observed", "observed.toml"],
    );
    assert_eq!(uri(&results(&log)[0]), "my%20profiles/pc%20%231.xml");
}

#[test]
fn sarif_on_collect_validates_and_reports_host_findings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("observed.toml");
    let fleet = root().join("tests/fixtures/fleet");
    let output = scslint()
        .current_dir(root())
        .arg("collect")
        .arg(&fleet)
        .arg("-o")
        .arg(&out)
        .args(["--no-config", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "host findings are warnings and infos"
    );
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_sarif(&log);
    let results = results(&log);
    assert!(results.iter().any(|r| r["ruleId"] == "SL201"));
    assert!(
        results
            .iter()
            .all(|r| uri(r).starts_with("tests/fixtures/fleet/"))
    );
    assert!(out.is_file(), "the snapshot is still written");
}

#[test]
fn github_annotations_match_the_snapshot() {
    let (status, text) = fixture("github", &[]);
    assert_eq!(status, 2, "the fixture has a malformed file");
    insta::assert_snapshot!("github", text);
    for line in text.lines() {
        assert!(
            line.starts_with("::error file=tests/fixtures/formats/")
                || line.starts_with("::warning file=tests/fixtures/formats/")
                || line.starts_with("::notice file=tests/fixtures/formats/"),
            "{line}"
        );
    }
    assert!(text.contains("file=tests/fixtures/formats/pc0423%2C ad-root.xml,line=4,col=23,endLine=4,endColumn=39,title=SL100 enterprise-network-outside::"));
    assert!(text.contains("::notice file=tests/fixtures/formats/config.json,line=10,"));
}

/// The attributes of every element named `tag`.
fn elements(xml: &str, tag: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.name().into_inner() == tag => {
                out.push(
                    e.attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (
                                a.key.into_inner().to_owned(),
                                a.normalized_value(XmlVersion::Implicit1_0)
                                    .unwrap()
                                    .into_owned(),
                            )
                        })
                        .collect(),
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Test cases with what each holds: (name, failure types, error types).
fn cases(xml: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    let attr = |e: &quick_xml::events::BytesStart, key: &str| {
        e.try_get_attribute(key)
            .unwrap()
            .map(|a| {
                a.normalized_value(XmlVersion::Implicit1_0)
                    .unwrap()
                    .into_owned()
            })
            .unwrap_or_default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => match e.name().into_inner() {
                "testcase" => out.push((attr(&e, "name"), Vec::new(), Vec::new())),
                "failure" => out.last_mut().unwrap().1.push(attr(&e, "type")),
                "error" => out.last_mut().unwrap().2.push(attr(&e, "type")),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn junit_has_a_test_case_per_profile_and_matches_the_snapshot() {
    let (status, xml) = fixture("junit", &[]);
    assert_eq!(status, 2);
    insta::assert_snapshot!("junit", xml);
    let suites = elements(&xml, "testsuite");
    assert_eq!(suites.len(), 1);
    let suite = &suites[0];
    assert_eq!(suite["name"], "scslint");
    let cases = cases(&xml);
    let names: Vec<&str> = cases.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "(default domain) (tests/fixtures/formats/config.json)",
            "partners (tests/fixtures/formats/config.json)",
            "cira-only (tests/fixtures/formats/config.json)",
            "pc0423, ad-root (tests/fixtures/formats/pc0423, ad-root.xml)",
            "tests/fixtures/formats/broken.xml",
        ]
    );
    assert_eq!(
        cases[1].1,
        ["SL006", "SL101"],
        "errors fail, warnings do not"
    );
    assert!(cases[2].1.is_empty(), "an info does not fail");
    assert_eq!(cases[3].1, ["SL100"]);
    assert_eq!(cases[4].2, ["SL051"], "an unreadable file is a test error");
    assert_eq!(suite["tests"], cases.len().to_string());
    let failed = cases.iter().filter(|c| !c.1.is_empty()).count();
    let errored = cases.iter().filter(|c| !c.2.is_empty()).count();
    assert_eq!(suite["failures"], failed.to_string());
    assert_eq!(suite["errors"], errored.to_string());
    assert!(xml.contains("<system-out>tests/fixtures/formats/config.json:7:56: SL004"));

    // With --fail-level warning the warnings fail too.
    let (_, strict) = fixture("junit", &["--fail-level", "warning"]);
    let strict = self::cases(&strict);
    assert_eq!(strict[1].1, ["SL006", "SL101", "SL004", "SL102"]);
    assert_eq!(strict[3].1, ["SL100"], "SL100 carries the unmatched entry");
}

#[test]
fn junit_on_a_clean_run_has_passing_test_cases() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "hq.xml", CLEAN);
    write(dir.path(), "observed.toml", OBSERVED);
    let (status, xml, _) = run(
        dir.path(),
        &[
            "check",
            "hq.xml",
            "--observed",
            "observed.toml",
            "--no-config",
            "--format",
            "junit",
        ],
    );
    assert_eq!(status, 0);
    let suite = &elements(&xml, "testsuite")[0];
    assert_eq!(
        (suite["tests"].as_str(), suite["failures"].as_str()),
        ("1", "0")
    );
    assert_eq!(cases(&xml)[0].0, "hq (hq.xml)");
}

/// Exit status of `check FILE --no-config EXTRA` on one profile in a fresh folder.
fn status_of(profile: &str, extra: &[&str]) -> i32 {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.xml", profile);
    let mut args = vec!["check", "p.xml", "--no-config", "--format", "json"];
    args.extend_from_slice(extra);
    run(dir.path(), &args).0
}

#[test]
fn fail_level_and_exit_zero_decide_the_exit_status() {
    let warning_only = CLEAN.replace("company.com", "Company.com"); // SL003
    let info_only = CLEAN.replace("company.com", "3fa85f64c2d1"); // SL009
    let error = CLEAN.replace("company.com", "com"); // SL006
    assert_eq!(status_of(&warning_only, &[]), 0);
    assert_eq!(status_of(&warning_only, &["--fail-level", "warning"]), 1);
    assert_eq!(status_of(&warning_only, &["--fail-level", "error"]), 0);
    assert_eq!(status_of(&info_only, &["--fail-level", "warning"]), 0);
    assert_eq!(status_of(&info_only, &["--fail-level", "info"]), 1);
    assert_eq!(status_of(&error, &[]), 1);
    assert_eq!(status_of(&error, &["--exit-zero"]), 0);
    assert_eq!(
        status_of(&error, &["--exit-zero", "--fail-level", "info"]),
        0
    );
    // Unreadable input is not a finding --exit-zero may hide.
    assert_eq!(status_of("<broken", &["--exit-zero"]), 2);
    assert_eq!(
        status_of(&error, &["--fail-level", "fatal"]),
        2,
        "usage error"
    );

    // --exit-zero still reports everything.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.xml", &error);
    let (status, stdout, _) = run(
        dir.path(),
        &[
            "check",
            "p.xml",
            "--no-config",
            "--exit-zero",
            "--format",
            "github",
        ],
    );
    assert_eq!(status, 0);
    assert!(stdout.starts_with("::error file=p.xml,"), "{stdout}");
}

#[test]
fn collect_honours_the_fail_level_too() {
    let fleet = root().join("tests/fixtures/fleet");
    let collect = |extra: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("observed.toml");
        scslint()
            .arg("collect")
            .arg(&fleet)
            .arg("-o")
            .arg(&out)
            .args(["--no-config", "--format", "json"])
            .args(extra)
            .output()
            .unwrap()
            .status
            .code()
            .unwrap()
    };
    // The fleet's host findings are warnings and infos.
    assert_eq!(collect(&[]), 0);
    assert_eq!(collect(&["--fail-level", "warning"]), 1);
    assert_eq!(collect(&["--fail-level", "warning", "--exit-zero"]), 0);
}

#[test]
fn probe_refuses_the_file_formats_with_a_usage_error() {
    for format in ["sarif", "github", "junit"] {
        let (status, stdout, stderr) = run(root(), &["probe", "127.0.0.1", "--format", format]);
        assert_eq!(status, 2, "{format}");
        assert!(stdout.is_empty());
        assert!(
            stderr.contains(&format!("invalid value '{format}' for '--format"))
                && stderr.contains("human, json"),
            "{stderr}"
        );
    }
}

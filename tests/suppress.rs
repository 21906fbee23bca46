//! Suppressions and baselines end to end: inline `scslint-disable` comments in XML profiles,
//! `[[ignore]]` entries in scslint.toml for JSON profiles, SL900/SL901, and `--write-baseline` /
//! `--baseline`. Reports are validated against schemas/report.schema.json, baselines against
//! schemas/baseline.schema.json.

mod support;

use serde_json::Value;
use std::path::Path;
use support::{assert_conforms, check_json, codes, scslint, write};

/// The diagnostics with this code.
fn with_code<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

const OBSERVED: &str = "[[network]]\nname = \"hq\"\nsuffix = \"site4.company.com\"\nhosts = 12\n";

/// A WS-Man profile: `company.com` matches hq, `lab.example.org` matches no network (SL102).
/// `{lab}` and `{company}` are replaced by what stands before each entry.
const PROFILE: &str = r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  {company}<g:DetectionStrings>company.com</g:DetectionStrings>
  {lab}<g:DetectionStrings>lab.example.org</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#;

fn profile(company: &str, lab: &str) -> String {
    PROFILE.replace("{company}", company).replace("{lab}", lab)
}

const REASONED: &str =
    "<!-- scslint-disable SL102: the lab network is not in observed.toml yet -->\n  ";

fn run_profile(text: &str) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p/lab.xml", text);
    write(dir.path(), "observed.toml", OBSERVED);
    check_json(
        dir.path(),
        &["p", "--observed", "observed.toml", "--no-config"],
    )
}

#[test]
fn a_comment_silences_its_element_and_the_finding_returns_without_it() {
    let (status, report) = run_profile(&profile("", ""));
    assert_eq!((status, codes(&report)), (0, vec!["SL102".to_owned()]));
    assert_eq!(report["diagnostics"][0]["home_domain"], "lab.example.org");
    assert_eq!(report["summary"]["suppressed"], 0);

    let (status, report) = run_profile(&profile("", REASONED));
    assert_eq!((status, codes(&report)), (0, Vec::<String>::new()));
    assert_eq!(report["summary"]["suppressed"], 1);
    assert_eq!(report["summary"]["warnings"], 0);

    // By rule name, with a second code in the list that does report here.
    let (_, report) = run_profile(&profile(
        "",
        "<!-- scslint-disable unmatched-home-domain, SL003: lab, NET-112 -->\n  ",
    ));
    assert_eq!(codes(&report), ["SL901"]);
    let d = &report["diagnostics"][0];
    assert!(d["message"].as_str().unwrap().contains("SL003"), "{d}");
    assert_eq!(d["line"], 4);
}

#[test]
fn a_comment_before_another_element_does_not_silence_this_one() {
    // Before the matching entry: SL102 on the lab entry stays, and the comment is stale.
    let (status, report) = run_profile(&profile(REASONED, ""));
    assert_eq!(status, 0);
    assert_eq!(codes(&report), ["SL901", "SL102"]);
    let stale = with_code(&report, "SL901")[0];
    assert_eq!(
        (stale["line"].as_u64(), stale["column"].as_u64()),
        (Some(3), Some(24))
    );
    assert!(
        stale["message"]
            .as_str()
            .unwrap()
            .starts_with("`scslint-disable SL102` silences nothing"),
        "{stale}"
    );
    assert_eq!(report["summary"]["suppressed"], 0);

    // Text between the comment and the element: the comment stands before nothing.
    let text = PROFILE
        .replace("{company}", "")
        .replace("{lab}", "")
        .replace(
            "</g:AMT_EnvironmentDetectionSettingData>",
            "  <!-- scslint-disable SL102: at the end -->\n</g:AMT_EnvironmentDetectionSettingData>",
        );
    let (_, report) = run_profile(&text);
    assert_eq!(codes(&report), ["SL102", "SL901"]);
    assert!(
        with_code(&report, "SL901")[0]["message"]
            .as_str()
            .unwrap()
            .contains("does not stand right before an element")
    );
}

#[test]
fn a_suppression_without_a_reason_still_works_and_is_reported() {
    let (status, report) = run_profile(&profile("", "<!-- scslint-disable SL102 -->\n  "));
    assert_eq!(status, 0);
    assert_eq!(codes(&report), ["SL900"]);
    let d = &report["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(3))
    );
    assert_eq!(d["end_column"], 33, "the whole comment is underlined");
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn an_unknown_code_is_reported_as_silencing_nothing() {
    let (_, report) = run_profile(&profile(
        "",
        "<!-- scslint-disable SL102, SL999: typo in the second code -->\n  ",
    ));
    assert_eq!(codes(&report), ["SL901"]);
    let d = &report["diagnostics"][0];
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("`SL999` is not a scslint code")
    );
    assert_eq!(
        report["summary"]["suppressed"], 1,
        "SL102 is still silenced"
    );
}

#[test]
fn a_rule_that_did_not_run_is_not_called_unused() {
    // Without observed networks SL102 cannot fire (a pre-commit run without observations).
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p/lab.xml", &profile("", REASONED));
    let (status, report) = check_json(dir.path(), &["p", "--no-config"]);
    assert_eq!((status, codes(&report)), (0, Vec::<String>::new()));
}

#[test]
fn a_comment_before_the_root_covers_a_whole_scs_profile() {
    let scs = "<?xml version=\"1.0\"?>\n<!-- scslint-disable SL003, SL004: Berlin keeps its legacy entries until the move -->\n<Profile>\n  <ProfileName>Berlin</ProfileName>\n  <EnvironmentDetection><HomeDomains>\n    <Domain>Company.COM.</Domain>\n    <Domain>company.com</Domain>\n  </HomeDomains></EnvironmentDetection>\n</Profile>\n";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "berlin.xml", scs);
    let (_, report) = check_json(dir.path(), &["berlin.xml", "--no-config"]);
    assert_eq!(codes(&report), Vec::<String>::new());
    assert_eq!(report["summary"]["suppressed"], 2);
    let bare = scs.replace(
        "<!-- scslint-disable SL003, SL004: Berlin keeps its legacy entries until the move -->\n",
        "",
    );
    write(dir.path(), "berlin.xml", &bare);
    let (_, report) = check_json(dir.path(), &["berlin.xml", "--no-config"]);
    assert_eq!(codes(&report), ["SL003", "SL004"]);
}

const MESH: &str = r#"{
  "domains": {
    "": { "amtManager": { "environmentDetection": ["company.com"] } },
    "partners": { "amtManager": { "environmentDetection": ["com"] } }
  }
}
"#;

#[test]
fn config_ignores_silence_json_profiles_by_path_and_code() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "repo/meshcentral/config.json", MESH);
    let (status, report) = check_json(dir.path(), &["repo", "--no-config"]);
    assert_eq!((status, codes(&report)), (1, vec!["SL006".to_owned()]));

    // The path is relative to the config file's folder, wherever scslint runs from.
    write(
        dir.path(),
        "repo/scslint.toml",
        "[[ignore]]\npath = \"meshcentral/config.json\"\ncodes = [\"overbroad-home-domain\"]\nreason = \"partners manage their own devices\"\n",
    );
    let (status, report) = check_json(dir.path(), &["repo", "--config", "repo/scslint.toml"]);
    assert_eq!((status, codes(&report)), (0, Vec::<String>::new()));
    assert_eq!(report["summary"]["suppressed"], 1);
    let (status, report) = check_json(&dir.path().join("repo/meshcentral"), &["config.json"]);
    assert_eq!(
        (status, codes(&report)),
        (0, Vec::<String>::new()),
        "discovered from a parent folder"
    );

    // A glob; a reasonless entry (SL900); a code that reported nothing there (SL901).
    write(
        dir.path(),
        "repo/scslint.toml",
        "[[ignore]]\npath = \"*/*.json\"\ncodes = [\"SL006\", \"SL009\"]\n",
    );
    let (status, report) = check_json(dir.path(), &["repo", "--config", "repo/scslint.toml"]);
    assert_eq!(status, 0);
    assert_eq!(codes(&report), ["SL900", "SL901"]);
    for d in report["diagnostics"].as_array().unwrap() {
        assert_eq!(d["path"], "repo/scslint.toml");
    }
    let unused = with_code(&report, "SL901")[0];
    assert_eq!(
        (unused["line"].as_u64(), unused["column"].as_u64()),
        (Some(3), Some(19))
    );

    // A file the entry names that does not exist is stale.
    write(
        dir.path(),
        "repo/scslint.toml",
        "[[ignore]]\npath = \"meshcentral/old.json\"\ncodes = [\"SL006\"]\nreason = \"gone\"\n",
    );
    let (status, report) = check_json(dir.path(), &["repo", "--config", "repo/scslint.toml"]);
    assert_eq!(
        (status, codes(&report)),
        (1, vec!["SL006".to_owned(), "SL901".to_owned()])
    );
}

#[test]
fn a_bad_ignore_entry_is_a_usage_error_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "config.json", MESH);
    write(
        dir.path(),
        "scslint.toml",
        "[[ignore]]\npath = \"config.json\"\ncodes = [\"SL999\"]\nreason = \"x\"\n",
    );
    let out = scslint()
        .current_dir(dir.path())
        .args(["check", "config.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown rule `SL999`"), "{err}");
    assert!(err.contains("scslint.toml:3:10"), "{err}");
}

/// The codes of a baseline file, validated against its schema.
fn baseline_codes(path: &Path) -> Vec<String> {
    let baseline: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_conforms("baseline.schema.json", &baseline);
    baseline["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_baseline_keeps_old_findings_out_across_line_moves_and_lets_new_ones_through() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "p/lab.xml", &profile("", ""));
    write(d, "p/mesh.json", MESH);
    write(d, "observed.toml", OBSERVED);
    let base = ["p", "--observed", "observed.toml", "--no-config"];

    let (status, report) = check_json(d, &base);
    assert_eq!(status, 1);
    let today = codes(&report);
    assert_eq!(today, ["SL102", "SL006"]);

    let (status, _) = check_json(
        d,
        &[&base[..], &["--write-baseline", "baseline.json"]].concat(),
    );
    assert_eq!(status, 0, "recording a baseline accepts today's findings");
    assert_eq!(baseline_codes(&d.join("baseline.json")), today);

    // Lines inserted above every finding: still baselined.
    write(
        d,
        "p/lab.xml",
        &format!("<!-- moved -->\n\n\n{}", profile("", "")),
    );
    write(d, "p/mesh.json", &MESH.replace("{\n", "{\n\n\n"));
    let (_, moved) = check_json(d, &base);
    let lines = |r: &Value| -> Vec<u64> {
        r["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["line"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(lines(&moved), [7, 8], "the findings did move");
    assert_eq!(lines(&report), [4, 4]);
    let with_baseline = [&base[..], &["--baseline", "baseline.json"]].concat();
    let (status, report) = check_json(d, &with_baseline);
    assert_eq!((status, codes(&report)), (0, Vec::<String>::new()));
    assert_eq!(report["summary"]["baselined"], 2);
    assert_eq!(report["summary"]["errors"], 0);

    // A new finding is reported; a second identical one needs a second entry.
    write(
        d,
        "p/lab.xml",
        &profile("", "").replace("company.com<", "Company.com<"),
    );
    let (status, report) = check_json(d, &with_baseline);
    assert_eq!((status, codes(&report)), (0, vec!["SL003".to_owned()]));
    write(d, "p/copy.json", MESH);
    let (status, report) = check_json(d, &with_baseline);
    assert_eq!(status, 1);
    assert_eq!(codes(&report), ["SL006", "SL003"]);
    assert_eq!(report["diagnostics"][0]["path"], "p/copy.json");

    // Human output says how many were left out.
    let out = scslint()
        .current_dir(d)
        .arg("check")
        .args(&with_baseline)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("; 2 in the baseline"), "{text}");
}

#[test]
fn a_baselined_grouped_finding_stays_baselined_when_a_network_joins_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let network = |name: &str| {
        format!("[[network]]\nname = \"{name}\"\nsuffix = \"{name}.example.net\"\nhosts = 5\n\n")
    };
    write(d, "p/lab.xml", &profile("", ""));
    write(
        d,
        "observed.toml",
        &[network("paris"), network("rome")].concat(),
    );
    let base = ["p", "--observed", "observed.toml", "--no-config"];
    let (status, report) = check_json(d, &base);
    assert_eq!((status, codes(&report)), (1, vec!["SL100".to_owned()]));
    assert_eq!(
        report["diagnostics"][0]["networks"],
        serde_json::json!(["paris", "rome"])
    );
    let (status, _) = check_json(
        d,
        &[&base[..], &["--write-baseline", "baseline.json"]].concat(),
    );
    assert_eq!(status, 0);

    // A third network outside joins the same finding, which the baseline still covers.
    write(
        d,
        "observed.toml",
        &[network("paris"), network("rome"), network("oslo")].concat(),
    );
    let (status, report) = check_json(d, &base);
    assert_eq!(
        report["diagnostics"][0]["networks"],
        serde_json::json!(["oslo", "paris", "rome"])
    );
    assert_eq!(status, 1);
    let with_baseline = [&base[..], &["--baseline", "baseline.json"]].concat();
    let (status, report) = check_json(d, &with_baseline);
    assert_eq!((status, codes(&report)), (0, Vec::<String>::new()));
    assert_eq!(report["summary"]["baselined"], 1);
}

#[test]
fn a_missing_or_malformed_baseline_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.xml", &profile("", ""));
    write(
        dir.path(),
        "broken.json",
        "{\"version\": 1,\n \"findings\": [\n  {\"code\": \"SL102\"}\n]}\n",
    );
    for (file, expect) in [
        (
            "missing.json",
            "--baseline missing.json: cannot read the baseline",
        ),
        ("broken.json", "--baseline broken.json:3:"),
    ] {
        let out = scslint()
            .current_dir(dir.path())
            .args(["check", "p.xml", "--no-config", "--baseline", file])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty(), "nothing is checked");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{err}");
    }
}

#[test]
fn writing_a_baseline_into_a_missing_folder_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.xml", &profile("", ""));
    let out = scslint()
        .current_dir(dir.path())
        .args([
            "check",
            "p.xml",
            "--no-config",
            "--write-baseline",
            "no/such/dir/b.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the baseline"));
    assert!(!dir.path().join("no").exists());
}

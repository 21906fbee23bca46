//! Which files a run reads and with which config: walks that honour .gitignore, .ignore and
//! `exclude` globs, named files taken unless `--force-exclude`, and each file checked with the
//! nearest scslint.toml above it, wherever scslint runs from.

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use support::{check_json, codes, scslint, write};

const PROFILE: &str = r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>company.com</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#;

/// The article's mistake: the AD root domain, which the HQ network's option 15 does not end with
/// (SL100 with observed networks).
fn ad_root() -> String {
    PROFILE.replace("company.com", "ad.company.local")
}

/// A non-canonical entry (SL003, with or without networks).
fn upper_case() -> String {
    PROFILE.replace("company.com", "Site4.Company.com")
}

const OBSERVED: &str = "[[network]]\nname = \"hq\"\nsuffix = \"site4.company.com\"\nhosts = 12\n";

/// `git` in `dir`, without the user's or system's configuration.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The paths a report's diagnostics point at, `/`-separated, each once.
fn paths(report: &Value) -> BTreeSet<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().replace('\\', "/"))
        .collect()
}

/// What a finding says, wherever the run started: code, severity, message, line and column,
/// the file's name (paths are shown relative to the working directory).
fn findings(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap();
            let file = Path::new(path).file_name().unwrap().to_string_lossy();
            format!(
                "{} {} {file}:{}:{} {}",
                d["code"], d["severity"], d["line"], d["column"], d["message"]
            )
        })
        .collect()
}

/// A repository-like folder: scslint.toml naming observed networks (relative to itself) and
/// raising SL003, and profiles in a subfolder.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "scslint.toml",
        "[rules]\nSL003 = \"error\"\n[observed]\npaths = [\"networks/observed.toml\"]\n",
    );
    write(d, "networks/observed.toml", OBSERVED);
    write(d, "profiles/pc0423.xml", &ad_root());
    write(d, "profiles/branch.xml", &upper_case());
    dir
}

#[test]
fn the_same_profiles_give_the_same_findings_from_the_root_a_subfolder_and_elsewhere() {
    let project = project();
    let d = project.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let absolute = d.join("profiles");
    let runs = [
        check_json(d, &["profiles"]),
        check_json(&d.join("profiles"), &["."]),
        check_json(&d.join("networks"), &["../profiles"]),
        check_json(elsewhere.path(), &[absolute.to_str().unwrap()]),
    ];
    let (status, first) = &runs[0];
    assert_eq!(*status, 1);
    assert_eq!(
        codes(first),
        ["SL003", "SL100"],
        "networks and levels from the project's scslint.toml: {first:#}"
    );
    assert_eq!(first["summary"]["network_rules"], "run");
    assert_eq!(first["summary"]["networks"], 1);
    for (status, report) in &runs[1..] {
        assert_eq!(*status, 1);
        assert_eq!(findings(report), findings(first), "{report:#}");
        assert_eq!(report["summary"], first["summary"]);
    }
    // Quiet: without the config, from elsewhere, neither the networks nor the levels apply.
    let (status, report) = check_json(
        elsewhere.path(),
        &[absolute.to_str().unwrap(), "--no-config"],
    );
    assert_eq!((status, codes(&report)), (0, vec!["SL003".to_owned()]));
    assert_eq!(report["summary"]["network_rules"], "skipped");
}

#[test]
fn each_file_is_checked_with_its_nearest_config_in_one_report() {
    let project = project();
    let d = project.path();
    // A team folder with its own config: SL003 off, and no observed networks.
    write(d, "teams/lab/scslint.toml", "[rules]\nSL003 = \"off\"\n");
    write(d, "teams/lab/upper.xml", &upper_case());
    write(d, "teams/lab/ad.xml", &ad_root());
    // Without a config of its own, a team folder takes the project's.
    write(d, "teams/ops/upper.xml", &upper_case());
    let (status, report) = check_json(d, &[]);
    assert_eq!(status, 1);
    let found: BTreeSet<(String, String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect: BTreeSet<(String, String, String)> = [
        ("profiles/branch.xml", "SL003", "error"),
        ("profiles/pc0423.xml", "SL100", "error"),
        ("teams/ops/upper.xml", "SL003", "error"),
    ]
    .into_iter()
    .map(|(p, c, s)| (p.to_owned(), c.to_owned(), s.to_owned()))
    .collect();
    assert_eq!(found, expect, "{report:#}");
    let summary = &report["summary"];
    assert_eq!(summary["profiles"], 5, "one summary for every group");
    assert_eq!(
        summary["files"], 6,
        "five profiles and the observed file, once"
    );
    assert_eq!(summary["network_rules"], "run");
    // `--config` still names one config for every file: the lab's SL003 = off everywhere, and
    // no networks.
    let (status, report) = check_json(
        d,
        &["profiles", "teams", "--config", "teams/lab/scslint.toml"],
    );
    assert_eq!((status, codes(&report)), (0, vec![]));
    assert_eq!(report["summary"]["network_rules"], "skipped");
}

#[test]
fn a_broken_config_found_beside_a_file_is_a_usage_error() {
    let project = project();
    let d = project.path();
    write(d, "teams/lab/scslint.toml", "[rulez]\n");
    write(d, "teams/lab/p.xml", PROFILE);
    let out = scslint()
        .current_dir(d)
        .args(["check", "profiles", "teams"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rulez"), "{err}");
    assert!(out.stdout.is_empty());
    // Quiet: the broken config is not read when no file below it is checked.
    let (status, _) = check_json(d, &["profiles"]);
    assert_eq!(status, 1);
}

#[test]
fn walks_skip_what_gitignore_and_ignore_files_leave_out_but_named_files_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(d, ".gitignore", "drafts/\n*.bak.xml\n");
    write(d, "profiles/.ignore", "scratch.xml\n");
    write(d, "profiles/good.xml", PROFILE);
    write(d, "profiles/drafts/wip.xml", &upper_case());
    write(d, "profiles/old.bak.xml", &upper_case());
    write(d, "profiles/scratch.xml", &upper_case());
    let (status, report) = check_json(d, &["--no-config"]);
    assert_eq!((status, codes(&report)), (0, vec![]), "{report:#}");
    assert_eq!(report["summary"]["profiles"], 1);
    // Named files are read even when ignored.
    let (_, report) = check_json(
        d,
        &[
            "--no-config",
            "profiles/drafts/wip.xml",
            "profiles/old.bak.xml",
            "profiles/scratch.xml",
        ],
    );
    assert_eq!(
        paths(&report),
        BTreeSet::from([
            "profiles/drafts/wip.xml".to_owned(),
            "profiles/old.bak.xml".to_owned(),
            "profiles/scratch.xml".to_owned(),
        ])
    );
    // Quiet: without the ignore files, a walk reads them all.
    std::fs::remove_file(d.join(".gitignore")).unwrap();
    std::fs::remove_file(d.join("profiles/.ignore")).unwrap();
    let (_, report) = check_json(d, &["--no-config"]);
    assert_eq!(report["summary"]["profiles"], 4, "{report:#}");
}

#[test]
fn exclude_globs_are_relative_to_the_config_and_force_exclude_applies_them_to_named_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "fleet/scslint.toml",
        "exclude = [\"archive/\", \"**/*.orig.xml\", \"/top.xml\"]\n",
    );
    write(d, "fleet/good.xml", PROFILE);
    write(d, "fleet/top.xml", &upper_case());
    write(d, "fleet/archive/2019.xml", &upper_case());
    write(d, "fleet/sites/berlin.orig.xml", &upper_case());
    // Anchored to the config's folder: `/top.xml` is not this one.
    write(d, "fleet/sites/top.xml", &upper_case());
    let elsewhere = tempfile::tempdir().unwrap();
    let fleet = d.join("fleet");
    for (cwd, arg) in [
        (d, "fleet"),
        (&fleet, "."),
        (elsewhere.path(), fleet.to_str().unwrap()),
    ] {
        let (status, report) = check_json(cwd, &[arg]);
        assert_eq!(status, 0, "{report:#}");
        let found: Vec<String> = paths(&report)
            .into_iter()
            .map(|p| p.rsplit("fleet/").next().unwrap().to_owned())
            .collect();
        assert_eq!(found, ["sites/top.xml"], "from {cwd:?}: {report:#}");
    }
    // Named files are checked; with --force-exclude they are left out like walked ones.
    let named = [
        "fleet/archive/2019.xml",
        "fleet/sites/berlin.orig.xml",
        "fleet/top.xml",
    ];
    let (_, report) = check_json(d, &named);
    assert_eq!(report["summary"]["profiles"], 3, "{report:#}");
    let mut forced = named.to_vec();
    forced.push("--force-exclude");
    let (status, report) = check_json(d, &forced);
    assert_eq!((status, codes(&report)), (0, vec![]), "{report:#}");
    assert_eq!(report["summary"]["profiles"], 0);
    // A folder named with --force-exclude is left out as a whole.
    let (_, report) = check_json(d, &["fleet/archive", "--force-exclude"]);
    assert_eq!(report["summary"]["profiles"], 0);
    // Quiet: --force-exclude leaves files that match nothing alone.
    let (_, report) = check_json(
        d,
        &["fleet/good.xml", "fleet/sites/top.xml", "--force-exclude"],
    );
    assert_eq!(report["summary"]["profiles"], 2);
}

#[test]
fn a_bad_exclude_pattern_is_a_config_error_with_its_span() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "scslint.toml",
        "exclude = [\"ok/\", \"{a,b\"]\n",
    );
    write(dir.path(), "p.xml", PROFILE);
    let out = scslint()
        .current_dir(dir.path())
        .args(["check", "p.xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("{a,b") && err.contains("scslint.toml:1:"),
        "{err}"
    );
}

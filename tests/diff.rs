//! `scslint diff` from the built binary: snapshots, reports and baselines, every format, the exit
//! status, and refusals.

mod support;

use serde_json::Value;
use support::{assert_conforms, scslint, write};

const OLD: &str = "[[network]]\nname = \"hq-wired\"\nsuffix = \"corp.example\"\ntrust = \"enterprise\"\nhosts = 40\n\n\
[[network]]\nname = \"lab\"\nsuffix = \"lab.corp.example\"\ntrust = \"enterprise\"\n\n\
[[network]]\nname = \"guest\"\nsuffix = \"guest.example\"\ntrust = \"external\"\nhosts = 3\n";

const NEW: &str = "[[network]]\nname = \"hq-wired\"\nsuffix = \"corp.example.com\"\ntrust = \"enterprise\"\nhosts = 52\n\n\
[[network]]\nname = \"guest\"\nsuffix = \"guest.example\"\ntrust = \"external\"\nhosts = 3\n\n\
[[network]]\nname = \"vpn\"\ntrust = \"enterprise\"\n";

/// A profile whose two entries give one SL006 each (`com`) and an SL003 (`Corp.Example.`).
const PROFILE: &str = r#"<?xml version="1.0"?>
<Profile>
  <ProfileName>Office</ProfileName>
  <HomeDomains>
    <Domain>Corp.Example.</Domain>
    <Domain>com</Domain>
  </HomeDomains>
</Profile>
"#;

const FIXED: &str = r#"<?xml version="1.0"?>
<Profile>
  <ProfileName>Office</ProfileName>
  <HomeDomains>
    <Domain>Corp.Example.</Domain>
  </HomeDomains>
</Profile>
"#;

fn run(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = scslint().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(dir: &std::path::Path, args: &[&str]) -> (i32, Value) {
    let (code, stdout, stderr) = run(dir, args);
    let doc: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    assert_conforms("diff.schema.json", &doc);
    (code, doc)
}

#[test]
fn snapshots_show_networks_added_removed_and_changed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.toml", OLD);
    write(dir.path(), "new.toml", NEW);
    let (code, stdout, _) = run(dir.path(), &["diff", "old.toml", "new.toml"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "networks: 1 added, 1 removed, 1 changed, 1 unchanged\n\
         \x20 + vpn: no option 15, enterprise\n\
         \x20 - lab: option 15 `lab.corp.example`, enterprise\n\
         \x20 ~ hq-wired: option 15 `corp.example` → `corp.example.com`; hosts 40 → 52\n"
    );
    let (code, doc) = json(
        dir.path(),
        &["diff", "old.toml", "new.toml", "--format", "json"],
    );
    assert_eq!(code, 0);
    assert_eq!(doc["compared"], "snapshots");
    assert_eq!(doc["networks"]["changed"][0]["after"]["hosts"], 52);
    assert_eq!(doc["networks"]["unchanged"], 1);
    let (_, md, _) = run(
        dir.path(),
        &["diff", "old.toml", "new.toml", "--format", "markdown"],
    );
    assert!(
        md.starts_with("## Observed networks\n\n1 added, 1 removed, 1 changed, 1 unchanged\n"),
        "{md}"
    );
    assert!(
        md.contains("| removed | lab | lab.corp.example | enterprise | — |  |\n"),
        "{md}"
    );
}

#[test]
fn reports_and_baselines_compare_by_fingerprint_and_new_errors_fail() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p/office.xml", PROFILE);
    let (_, before, _) = run(
        dir.path(),
        &["check", "p", "--format", "json", "--no-config"],
    );
    write(dir.path(), "before.json", &before);
    let (_, _, _) = run(
        dir.path(),
        &[
            "check",
            "p",
            "--no-config",
            "--write-baseline",
            "baseline.json",
            "-q",
        ],
    );
    // The fix moves the remaining entry's finding to the same line: still the same finding.
    write(dir.path(), "p/office.xml", FIXED);
    let (_, after, _) = run(
        dir.path(),
        &["check", "p", "--format", "json", "--no-config"],
    );
    write(dir.path(), "after.json", &after);

    let (code, doc) = json(
        dir.path(),
        &["diff", "before.json", "after.json", "--format", "json"],
    );
    assert_eq!(code, 0, "nothing new");
    let findings = &doc["findings"];
    assert_eq!(findings["new"].as_array().unwrap().len(), 0);
    let fixed: Vec<&str> = findings["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(fixed.contains(&"SL006"), "{doc:#}");
    assert!(
        findings["unchanged"].as_u64().unwrap() >= 1,
        "SL003 stays: {doc:#}"
    );

    // The other way round the SL006 is new, at error level: exit 1, or 0 with --exit-zero.
    let (code, stdout, _) = run(dir.path(), &["diff", "after.json", "before.json"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("+ new   error   SL006 p/office.xml:6: "),
        "{stdout}"
    );
    let (code, _, _) = run(
        dir.path(),
        &["diff", "after.json", "before.json", "--exit-zero"],
    );
    assert_eq!(code, 0);

    // A baseline compares with a report: it records no severity or line.
    let (code, doc) = json(
        dir.path(),
        &["diff", "after.json", "baseline.json", "--format", "json"],
    );
    assert_eq!(code, 1, "the baseline holds the SL006 the fix removed");
    let new = &doc["findings"]["new"][0];
    assert_eq!(new["code"], "SL006");
    assert_eq!(new["severity"], "error", "its rule's default");
    assert_eq!(new["line"], Value::Null);
}

#[test]
fn refuses_mixed_kinds_unknown_files_and_reports_without_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.toml", OLD);
    write(
        dir.path(),
        "empty.json",
        "{\"version\": 1, \"findings\": []}\n",
    );
    write(
        dir.path(),
        "legacy.json",
        "{\"version\": 1, \"diagnostics\": [{\"code\": \"SL100\", \"message\": \"m\", \"path\": \"p\"}]}\n",
    );
    write(dir.path(), "notes.txt", "just text\n");
    let (code, _, stderr) = run(dir.path(), &["diff", "old.toml", "empty.json"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "scslint diff: compare a snapshot with a snapshot, or a report or baseline with a report or baseline\n"
    );
    let (code, _, stderr) = run(dir.path(), &["diff", "empty.json", "legacy.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("legacy.json: diagnostic 1 has no fingerprint"),
        "{stderr}"
    );
    let (code, _, stderr) = run(dir.path(), &["diff", "notes.txt", "empty.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("notes.txt: neither an observed snapshot"),
        "{stderr}"
    );
    let (code, _, stderr) = run(dir.path(), &["diff", "missing.json", "empty.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.json: cannot read"), "{stderr}");
}

//! Every rule's example as a fixture: the folder tests/rules/SLxxx/ holds a small profile that
//! `scslint check`, run from the built binary in that folder, flags with SLxxx. Its human and JSON
//! output are insta snapshots under tests/snapshots/ (`rules__SLxxx-human.snap`,
//! `rules__SLxxx-json.snap`). Rules that only `scslint probe` raises say which test covers them.
//!
//! A fixture folder holds:
//! - `profile.*`: the files checked, named on the command line (so SL050 and SL053 apply);
//! - `scslint.toml`, when the rule needs observed networks or hosts (`[observed] paths`); without
//!   one the run has `--no-config`;
//! - `zone.db`, when the rule needs DNS: a master file that a name server on 127.0.0.1 serves for
//!   the run (`--nameserver`); its port is written `PORT` in the snapshots.

mod support;

use scslint::diagnostic::Code;
use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{assert_conforms, dns_server, root, scslint};

/// Codes no `scslint check` raises, each with the test that makes it fire: (code, test file,
/// test function).
const COVERED_ELSEWHERE: &[(Code, &str, &str)] = &[
    (
        Code::SL300,
        "tests/probe.rs",
        "closed_ports_where_outside_is_predicted_confirm_the_misfire",
    ),
    (
        Code::SL301,
        "tests/probe.rs",
        "an_me_that_answers_where_outside_is_predicted_is_reported",
    ),
    (
        Code::SL302,
        "tests/probe.rs",
        "live_home_domains_are_compared_and_the_password_never_shows",
    ),
    (
        Code::SL303,
        "tests/probe.rs",
        "a_web_server_on_16992_is_not_an_me",
    ),
    (
        Code::SL304,
        "tests/probe.rs",
        "a_handshake_that_fails_after_connecting_is_tls_incompatible",
    ),
    (
        Code::SL305,
        "tests/probe.rs",
        "closed_ports_where_inside_is_predicted_are_drift_or_a_placeholder",
    ),
];

fn fixtures() -> PathBuf {
    root().join("tests/rules")
}

/// What one run of a fixture printed.
struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// `scslint check` on the fixture in `dir`, with `format` (`human` or `json`).
fn check(dir: &Path, format: &str) -> Run {
    let mut profiles: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("profile"))
        .collect();
    profiles.sort();
    assert!(!profiles.is_empty(), "{}: no profile.*", dir.display());
    let mut cmd = scslint();
    cmd.current_dir(dir)
        .arg("check")
        .args(&profiles)
        .args(["--color", "never", "--format", format]);
    if !dir.join("scslint.toml").is_file() {
        cmd.arg("--no-config");
    }
    let mut nameserver = None;
    if let Ok(zone) = std::fs::read_to_string(dir.join("zone.db")) {
        let addr = dns_server::start(vec![zone]).to_string();
        cmd.args(["--nameserver", &addr]);
        nameserver = Some(addr);
    }
    let out = cmd.output().unwrap();
    let stable = |bytes: Vec<u8>| {
        let text = String::from_utf8(bytes).unwrap();
        match &nameserver {
            Some(addr) => text.replace(addr.as_str(), "127.0.0.1:PORT"),
            None => text,
        }
    };
    Run {
        status: out.status.code().unwrap(),
        stdout: stable(out.stdout),
        stderr: stable(out.stderr),
    }
}

/// The codes of a JSON report.
fn codes(report: &Value) -> Vec<&str> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

/// Run the fixture of `code`: it must flag the code, and match its snapshots.
fn fixture(code: Code, dir: &Path) {
    let json = check(dir, "json");
    let report: Value = serde_json::from_str(&json.stdout)
        .unwrap_or_else(|e| panic!("{code}: not JSON ({e}): {}{}", json.stdout, json.stderr));
    assert_conforms("report.schema.json", &report);
    assert!(
        codes(&report).contains(&code.as_str()),
        "{code}: its fixture is not flagged with it: {:?}",
        codes(&report)
    );
    // A finding offers a fix only where its rule declares one (`scslint rules` lists it).
    for d in report["diagnostics"].as_array().unwrap() {
        if d.get("fix").is_some() {
            let of = Code::parse(d["code"].as_str().unwrap()).unwrap();
            assert!(
                scslint::rules::rule(of).autofix.is_some(),
                "{code}: {of} offers a fix but its declaration has no `autofix`"
            );
        }
    }
    let human = check(dir, "human");
    assert_eq!(
        human.status, json.status,
        "{code}: human and JSON runs disagree"
    );
    assert!(
        human.stdout.contains(&format!("{code}({})", code.name())),
        "{code}: {}",
        human.stdout
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_description(format!(
        "scslint check in tests/rules/{code} ({})",
        code.name()
    ));
    settings.set_omit_expression(true);
    settings.bind(|| {
        let shown = |run: &Run| {
            let mut text = format!("exit status {}\n\n{}", run.status, run.stdout);
            if !run.stderr.is_empty() {
                text.push_str(&format!("\n--- standard error\n{}", run.stderr));
            }
            text
        };
        insta::assert_snapshot!(format!("{code}-human"), shown(&human));
        insta::assert_snapshot!(format!("{code}-json"), shown(&json));
    });
}

#[test]
fn every_rule_has_a_fixture_that_it_flags_or_names_the_test_that_covers_it() {
    let mut failed = Vec::new();
    for &code in Code::ALL {
        let dir = fixtures().join(code.as_str());
        let elsewhere = COVERED_ELSEWHERE.iter().find(|(c, _, _)| *c == code);
        match (dir.is_dir(), elsewhere) {
            (true, None) => {
                let run = std::panic::catch_unwind(|| fixture(code, &dir));
                if let Err(e) = run {
                    let why = e
                        .downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| e.downcast_ref::<&str>().copied())
                        .unwrap_or("see above");
                    failed.push(format!("{code}: {why}"));
                }
            }
            (false, Some((_, file, test))) => {
                let text = std::fs::read_to_string(root().join(file)).unwrap();
                assert!(
                    text.contains(&format!("fn {test}(")) && text.contains(code.as_str()),
                    "{code}: {file} has no test `{test}` that names it"
                );
            }
            (true, Some(_)) => panic!("{code} has a fixture and is listed as covered elsewhere"),
            (false, None) => failed.push(format!(
                "{code}: no fixture folder tests/rules/{code}/ (a profile `scslint check` flags \
                 with {code}), nor an entry in COVERED_ELSEWHERE"
            )),
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn every_fixture_folder_is_a_code() {
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            Code::ALL.iter().any(|c| c.as_str() == name),
            "tests/rules/{name} names no code"
        );
    }
}

#[test]
fn a_fixture_that_flags_something_else_fails() {
    // SL003's fixture has one upper-case entry and nothing SL006 would flag.
    let run = std::panic::catch_unwind(|| fixture(Code::SL006, &fixtures().join("SL003")));
    let e = run.expect_err("the SL003 fixture is not an SL006 fixture");
    let why = e.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(why.contains("not flagged with it"), "{why}");
}

//! `scslint collect` on Windows output from localised systems, end to end from the built binary:
//! `ipconfig /all` in other languages and a `netsh dhcp server dump` with translated comments.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{assert_conforms, codes, root, scslint, toml_text_as_json};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

struct Run {
    status: i32,
    snapshot: Value,
    report: Value,
}

/// `collect SOURCES -o observed.toml --format json` in a temporary folder; the report and the
/// snapshot are checked against their schemas.
fn collect(sources: &[&Path]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("observed.toml");
    let out = scslint()
        .arg("collect")
        .args(sources)
        .arg("-o")
        .arg(&out_path)
        .args(["--format", "json", "--no-config"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_conforms("report.schema.json", &report);
    let snapshot = toml_text_as_json(&std::fs::read_to_string(&out_path).unwrap());
    assert_conforms("observed.schema.json", &snapshot);
    Run {
        status: out.status.code().unwrap(),
        snapshot,
        report,
    }
}

/// `(name, suffix, hosts)` of every network in the snapshot.
fn networks(snapshot: &Value) -> Vec<(String, String, i64)> {
    snapshot["network"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["name"].as_str().unwrap().to_owned(),
                n["suffix"].as_str().unwrap_or("").to_owned(),
                n["hosts"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

fn suffixes(snapshot: &Value) -> Vec<String> {
    networks(snapshot).into_iter().map(|(_, s, _)| s).collect()
}

#[test]
fn a_japanese_report_gives_the_wifi_suffix_and_address() {
    let run = collect(&[&fixture("agents/ipconfig-ja.txt")]);
    assert_eq!(run.status, 0, "{:#}", run.report);
    assert_eq!(
        networks(&run.snapshot),
        [(
            "suffix wlan.example.jp".to_owned(),
            "wlan.example.jp".to_owned(),
            1
        )]
    );
    let host = &run.snapshot["host"][0];
    assert_eq!(host["name"], "TKY-NB-1142");
    assert_eq!(host["os_ip"], "10.71.20.33");
    assert_eq!(host["primary_suffix"], "corp.example.jp");
}

#[test]
fn a_chinese_host_joins_the_scope_that_holds_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("observed.toml");
    std::fs::write(
        &snapshot,
        "[[network]]\nname = \"shanghai\"\nsuffix = \"sh.example.cn\"\ntrust = \"enterprise\"\nhosts = 0\nranges = [\"10.52.7.0/24\"]\n",
    )
    .unwrap();
    let run = collect(&[&snapshot, &fixture("agents/ipconfig-zh-CN.txt")]);
    assert_eq!(run.status, 0, "{:#}", run.report);
    assert_eq!(
        networks(&run.snapshot),
        [("shanghai".to_owned(), "sh.example.cn".to_owned(), 1)]
    );
}

#[test]
fn a_disconnected_russian_adapter_gives_no_network() {
    // The same report with its Ethernet unplugged: neither its stale suffix, nor the
    // disconnected wireless adapter's, nor the primary suffix becomes a network.
    let text = std::fs::read_to_string(fixture("agents/ipconfig-ru.txt")).unwrap();
    let at = text
        .find("   DNS-суффикс подключения . . . . . : msk")
        .unwrap();
    let unplugged = format!(
        "{}   Состояние среды. . . . . . . . : Среда передачи недоступна.\r\n{}",
        &text[..at],
        &text[at..]
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ipconfig.txt");
    std::fs::write(&path, unplugged).unwrap();
    let run = collect(&[&path]);
    assert_eq!(networks(&run.snapshot), []);
    assert_eq!(run.status, 2);
    assert_eq!(codes(&run.report), ["SL051"]);
    let message = run.report["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("no adapter is connected"), "{message}");
}

#[test]
fn a_german_netsh_dump_gives_its_scopes() {
    let run = collect(&[&fixture("dhcp/netsh-dump-de.txt")]);
    assert_eq!(run.status, 0, "{:#}", run.report);
    let found = networks(&run.snapshot);
    for (name, suffix) in [
        ("scope 10.20.1.0 (Büro Erdgeschoss)", "eg.firma.example.de"),
        ("scope 10.20.2.0 (Gäste-WLAN)", "firma.example.de"),
        ("host drucker-eg", "geraete.firma.example.de"),
        ("user-class Labor-Rechner", "labor.firma.example.de"),
        ("server default", "firma.example.de"),
    ] {
        assert!(
            found.iter().any(|(n, s, _)| n == name && s == suffix),
            "{name}: {found:?}"
        );
    }
    assert_eq!(found.len(), 5, "{found:?}");
}

#[test]
fn a_german_dump_reads_nothing_from_its_comments() {
    // The option 15 line commented out in German, and the vendor-class value, are not networks.
    let run = collect(&[&fixture("dhcp/netsh-dump-de.txt")]);
    let suffixes = suffixes(&run.snapshot);
    assert!(
        !suffixes.iter().any(|s| s.starts_with("alt.")),
        "{suffixes:?}"
    );
    assert!(
        !suffixes.iter().any(|s| s.starts_with("hersteller.")),
        "{suffixes:?}"
    );
    // The comments alone are no dump.
    let text = std::fs::read_to_string(fixture("dhcp/netsh-dump-de.txt")).unwrap();
    let comments: String = text
        .split_inclusive('\n')
        .filter(|line| !line.starts_with("Dhcp Server"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.txt");
    std::fs::write(&path, comments).unwrap();
    let run = collect(&[&path]);
    assert_eq!(networks(&run.snapshot), []);
    assert_eq!(run.status, 2);
    assert_eq!(codes(&run.report), ["SL053"]);
}

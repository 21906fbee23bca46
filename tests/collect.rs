//! `scslint collect` and `check --observed` on raw sources, end to end from the built binary: the
//! networks and hosts of a small fleet, the snapshot's determinism and atomic write, host rules,
//! and the DNS rules against a real authoritative server on loopback.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use support::{assert_conforms, codes, dns_server, root, scslint, toml_text_as_json};

fn fleet() -> PathBuf {
    root().join("tests/fixtures/fleet")
}

/// The zone the fleet's devices live in, under their primary DNS suffix (the device FQDN SCS
/// builds): pc0423's name points at another machine, pc0999 is missing, the others are right.
/// The name under pc0423's option 15 is right, and must not be the one asked.
const CORP: &str = "
$ORIGIN corp.test.
$TTL 300
@             IN SOA ns1.corp.test. hostmaster.corp.test. 1 3600 600 86400 300
@             IN NS  ns1.corp.test.
ns1           IN A   127.0.0.1
pc0423        IN A   10.1.4.77
pc0423.site4  IN A   10.1.4.20
pc0530        IN A   10.1.5.30
lx0007        IN A   10.1.5.40
";

const REVERSE: &str = "
$ORIGIN 4.1.10.in-addr.arpa.
$TTL 300
@   IN SOA ns1.corp.test. hostmaster.corp.test. 1 3600 600 86400 300
@   IN NS  ns1.corp.test.
77  IN PTR kiosk-3.site4.corp.test.
";

fn nameserver() -> String {
    static ADDR: OnceLock<String> = OnceLock::new();
    ADDR.get_or_init(|| dns_server::start(vec![CORP.to_owned(), REVERSE.to_owned()]).to_string())
        .clone()
}

struct Run {
    status: i32,
    snapshot: String,
    report: Value,
}

/// `collect SOURCES -o observed.toml --format json` in a temporary folder; the report and the
/// snapshot are checked against their schemas.
fn collect(sources: &[&Path], extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("observed.toml");
    let out = scslint()
        .arg("collect")
        .args(sources)
        .arg("-o")
        .arg(&out_path)
        .args(["--format", "json", "--no-config"])
        .args(extra)
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
    let snapshot = std::fs::read_to_string(&out_path).unwrap();
    assert_conforms("observed.schema.json", &toml_text_as_json(&snapshot));
    Run {
        status: out.status.code().unwrap(),
        snapshot,
        report,
    }
}

fn table<'a>(snapshot: &'a Value, kind: &str, name: &str) -> &'a Value {
    snapshot[kind]
        .as_array()
        .unwrap_or_else(|| panic!("no [[{kind}]] in the snapshot"))
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}: {snapshot:#}"))
}

/// Codes of the diagnostics naming `host` (alone, or in a group).
fn diagnostics_for<'a>(report: &'a Value, host: &str) -> Vec<&'a str> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["hosts"]
                .as_array()
                .is_some_and(|hosts| hosts.iter().any(|h| h == host))
        })
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

fn diagnostics_with_code<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

#[test]
fn dhcp_scopes_become_networks_and_hosts_join_them() {
    let run = collect(&[&fleet()], &[]);
    let snap = toml_text_as_json(&run.snapshot);
    let site4 = table(&snap, "network", "subnet 10.1.4.0/24");
    assert_eq!(site4["suffix"], "site4.corp.test");
    assert_eq!(site4["trust"], "enterprise");
    assert_eq!(site4["hosts"], 3, "pc0423's two reports are one device");
    assert_eq!(site4["ranges"], serde_json::json!(["10.1.4.0/24"]));
    let site5 = table(&snap, "network", "subnet 10.1.5.0/24");
    assert_eq!(
        site5["suffix"], "corp.test",
        "the server default is inherited"
    );
    assert_eq!(site5["hosts"], 3);
    // The laptop at home joins a network keyed by its suffix, external because `home` is a
    // router default.
    let home = table(&snap, "network", "suffix home");
    assert_eq!(home["trust"], "external");
    assert_eq!(home["hosts"], 1);
    // Neither lx0007's bare host name (rpc-go on Linux) nor pc0999's OSPrimaryDNSSuffix (its
    // primary suffix) makes a network.
    let names: Vec<&str> = snap["network"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "server default",
            "subnet 10.1.4.0/24",
            "subnet 10.1.5.0/24",
            "suffix home"
        ]
    );

    // Only hosts with findings get a table.
    let hosts: Vec<&str> = snap["host"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert_eq!(hosts, ["pc0424", "pc0425", "pc0530"]);
    assert_eq!(
        table(&snap, "host", "pc0425")["findings"],
        serde_json::json!(["SL200", "SL201"])
    );
    // One finding per code and network, naming both hosts.
    assert_eq!(diagnostics_for(&run.report, "pc0424"), ["SL200", "SL201"]);
    assert_eq!(diagnostics_for(&run.report, "pc0425"), ["SL200", "SL201"]);
    for code in ["SL200", "SL201"] {
        let found = diagnostics_with_code(&run.report, code);
        assert_eq!(found.len(), 1, "{code}: {found:#?}");
        let f = found[0];
        assert_eq!(f["hosts"], serde_json::json!(["pc0424", "pc0425"]));
        assert!(f["host"].is_null(), "two hosts: no single `host`");
        assert_eq!(f["network"], "subnet 10.1.4.0/24");
        assert_eq!(f["path"], "tests/fixtures/fleet/dhcp/dhcpd.conf");
        let message = f["message"].as_str().unwrap();
        assert!(
            message.starts_with("2 hosts on network `subnet 10.1.4.0/24`")
                && message.ends_with("`pc0424` and `pc0425`"),
            "{message}"
        );
        let related: Vec<&str> = f["related"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["path"].as_str().unwrap())
            .collect();
        assert_eq!(
            related,
            [
                "tests/fixtures/fleet/agents/pc0424.txt",
                "tests/fixtures/fleet/agents/pc0425.txt"
            ]
        );
    }
    // A lone host keeps its own message.
    assert_eq!(diagnostics_for(&run.report, "pc0530"), ["SL204"]);
    let sl204 = diagnostics_with_code(&run.report, "SL204");
    assert_eq!(sl204[0]["host"], "pc0530");
    // pc0423's primary suffix corp.test covers its option 15 site4.corp.test: no SL204.
    assert!(diagnostics_for(&run.report, "pc0423").is_empty());
    assert_eq!(
        run.status, 0,
        "SL201 is a warning while the intent is unknown"
    );
    assert_eq!(run.report["summary"]["hosts"], 8);
}

#[test]
fn same_inputs_give_byte_identical_snapshots_whatever_their_order() {
    let a = collect(&[&fleet()], &[]);
    let b = collect(&[&fleet().join("agents"), &fleet().join("dhcp")], &[]);
    let c = collect(&[&fleet()], &[]);
    assert_eq!(a.snapshot, b.snapshot);
    assert_eq!(a.snapshot, c.snapshot);
    assert!(
        a.snapshot.starts_with('#'),
        "the snapshot says what wrote it"
    );
}

#[test]
fn without_output_the_snapshot_goes_to_stdout_and_findings_to_stderr() {
    let out = scslint()
        .args(["collect", "--no-config"])
        .arg(fleet())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.contains("[[network]]"), "{stdout}");
    assert!(stderr.contains("ras-outside-on-enterprise"), "{stderr}");
    assert!(!stdout.contains("ras-outside-on-enterprise"));
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    // The target is a folder: the rename cannot replace it.
    let target = dir.path().join("observed.toml");
    std::fs::create_dir(&target).unwrap();
    let out = scslint()
        .args(["collect", "--no-config"])
        .arg(fleet())
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
    assert!(target.is_dir());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file is left: {left:?}");

    // A folder that does not exist: nothing is created.
    let missing = dir.path().join("no/such/folder/observed.toml");
    let out = scslint()
        .args(["collect", "--no-config"])
        .arg(fleet())
        .arg("-o")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("no").exists());
}

#[test]
fn check_reads_raw_sources_and_the_snapshot_alike() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("ad-root.xml");
    std::fs::write(
        &profile,
        r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>ad.corp.local</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#,
    )
    .unwrap();
    let check = |observed: &Path| {
        let out = scslint()
            .args(["check", "--no-config", "--format", "json"])
            .arg(&profile)
            .arg("--observed")
            .arg(observed)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_conforms("report.schema.json", &report);
        report
    };
    let raw = check(&fleet());
    let raw_codes = codes(&raw);
    assert!(raw_codes.contains(&"SL100".to_owned()), "{raw_codes:?}");
    let sl201 = diagnostics_with_code(&raw, "SL201");
    assert_eq!(sl201.len(), 1);
    assert_eq!(
        sl201[0]["severity"], "warning",
        "a profile that predicts outside there says nothing of intent"
    );

    let snapshot = dir.path().join("observed.toml");
    std::fs::write(&snapshot, collect(&[&fleet()], &[]).snapshot).unwrap();
    let from_snapshot = check(&snapshot);
    let profile_codes = |r: &Value| -> Vec<String> {
        r["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["hosts"].is_null())
            .map(|d| format!("{} {}", d["code"], d["message"]))
            .collect()
    };
    assert_eq!(profile_codes(&raw), profile_codes(&from_snapshot));
}

#[test]
fn ras_outside_where_a_checked_profile_predicts_inside_is_drift_and_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("corp.xml");
    std::fs::write(
        &profile,
        r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>corp.test</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#,
    )
    .unwrap();
    let out = scslint()
        .args(["check", "--no-config", "--format", "json"])
        .arg(&profile)
        .arg("--observed")
        .arg(fleet())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_conforms("report.schema.json", &report);
    let sl201 = diagnostics_with_code(&report, "SL201");
    assert_eq!(sl201.len(), 1, "{report:#}");
    assert_eq!(sl201[0]["severity"], "error");
    let message = sl201[0]["message"].as_str().unwrap();
    assert!(
        message.contains("profile `corp` predicts inside for this network"),
        "{message}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn dns_finds_names_that_point_elsewhere_or_nowhere() {
    let run = collect(&[&fleet()], &["--nameserver", &nameserver(), "--ptr"]);
    // pc0423's ME address (amtinfo) and primary suffix (ipconfig) meet in one device, named
    // pc0423.corp.test; pc0999's SystemDiscovery gives both.
    assert_eq!(diagnostics_for(&run.report, "pc0423"), ["SL202"]);
    assert_eq!(diagnostics_for(&run.report, "pc0999"), ["SL205"]);
    let sl205 = diagnostics_with_code(&run.report, "SL205");
    assert!(
        sl205[0]["message"]
            .as_str()
            .unwrap()
            .contains("`pc0999.corp.test`")
    );
    // lx0007 names no primary suffix: no device FQDN, nothing asked.
    assert!(diagnostics_for(&run.report, "lx0007").is_empty());
    let sl202 = run.report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SL202")
        .unwrap();
    let message = sl202["message"].as_str().unwrap();
    assert!(
        message.contains("10.1.4.77") && message.contains("10.1.4.20"),
        "{message}"
    );
    assert!(message.contains("kiosk-3.site4.corp.test"), "{message}");
    // Hosts flagged by DNS get a table in the snapshot.
    let snap = toml_text_as_json(&run.snapshot);
    table(&snap, "host", "pc0423");
    // Every suffix exists, so no SL105.
    assert!(!codes(&run.report).contains(&"SL105".to_owned()));
}

#[test]
fn dns_checks_home_domains_in_check() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("typo.xml");
    std::fs::write(
        &profile,
        r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>corp.test</g:DetectionStrings>
  <g:DetectionStrings>labs.corp.test</g:DetectionStrings>
  <g:DetectionStrings>corp.tset</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#,
    )
    .unwrap();
    let out = scslint()
        .args(["check", "--no-config", "--format", "json", "--nameserver"])
        .arg(nameserver())
        .arg(&profile)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_conforms("report.schema.json", &report);
    let sl105: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SL105")
        .collect();
    assert_eq!(sl105.len(), 1, "{report:#}");
    assert_eq!(sl105[0]["line"], 4);
    assert!(
        sl105[0]["message"]
            .as_str()
            .unwrap()
            .contains("labs.corp.test")
    );
    // The test server answers only for its own zones: another domain is REFUSED, which is not
    // the same as "does not exist".
    let refused: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SL054")
        .collect();
    assert_eq!(refused.len(), 1, "{report:#}");
    assert_eq!(refused[0]["line"], 5);
    assert!(refused[0]["message"].as_str().unwrap().contains("REFUSED"));
}

#[test]
fn a_silent_name_server_is_reported_not_waited_on_forever() {
    let (_socket, addr) = dns_server::silent();
    let run = collect(
        &[&fleet()],
        &[
            "--nameserver",
            &addr.to_string(),
            "--dns-timeout",
            "0.2",
            "--dns-tries",
            "1",
        ],
    );
    let failed: Vec<&Value> = diagnostics_with_code(&run.report, "SL054");
    // One finding for the server, not one per device or network.
    assert_eq!(failed.len(), 1, "{failed:#?}");
    let message = failed[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("no answer from {addr}")) && message.contains("timed out"),
        "{message}"
    );
    assert!(
        message.contains("names could not be looked up"),
        "{message}"
    );
    assert!(!failed[0]["related"].as_array().unwrap().is_empty());
    assert!(!codes(&run.report).contains(&"SL202".to_owned()));
}

#[test]
fn one_sl054_per_silent_server_in_check_naming_how_many_names_and_answers_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    for (file, domain) in [
        ("a.xml", "one.example.test"),
        ("b.xml", "two.example.test"),
        ("c.xml", "three.example.test"),
    ] {
        std::fs::write(
            dir.path().join(file),
            format!(
                r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>{domain}</g:DetectionStrings>
  <g:DetectionStrings>shared.example.test</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#
            ),
        )
        .unwrap();
    }
    let check = |server: &str| -> Value {
        let out = scslint()
            .args(["check", "--no-config", "--format", "json"])
            .args([
                "--dns-timeout",
                "0.2",
                "--dns-tries",
                "1",
                "--nameserver",
                server,
            ])
            .arg(dir.path())
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_conforms("report.schema.json", &report);
        report
    };
    // A socket that never answers, and a loopback port nothing listens on.
    let (_socket, silent) = dns_server::silent();
    let closed = {
        let (socket, addr) = dns_server::silent();
        drop(socket);
        addr
    };
    for server in [silent, closed] {
        let report = check(&server.to_string());
        let failed = diagnostics_with_code(&report, "SL054");
        assert_eq!(failed.len(), 1, "{report:#}");
        let message = failed[0]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("no answer from {server}"))
                && message.contains("4 names could not be looked up"),
            "{message}"
        );
        // Every place that needed an answer is listed: the first as the location, 5 more related.
        assert_eq!(
            failed[0]["related"].as_array().unwrap().len(),
            5,
            "{report:#}"
        );
        assert_eq!(report["summary"]["warnings"], 1);
    }
    // Quiet: a server that answers, even with REFUSED, gets one finding per name as before.
    let report = check(&nameserver());
    let refused = diagnostics_with_code(&report, "SL054");
    assert_eq!(refused.len(), 6, "{report:#}");
    assert!(
        refused
            .iter()
            .all(|d| d["message"].as_str().unwrap().contains("REFUSED"))
    );
}

#[test]
fn unknown_files_named_on_the_command_line_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "shopping list: milk, eggs\n").unwrap();
    let run = collect(&[&junk, &fleet()], &[]);
    assert_eq!(run.status, 2);
    assert!(codes(&run.report).contains(&"SL053".to_owned()));
    // The rest of the run went on.
    assert!(run.snapshot.contains("subnet 10.1.4.0/24"));
}

#[test]
fn an_included_file_found_by_walking_is_not_a_second_network() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("dhcpd.conf"),
        "option domain-name \"corp.test\";\ninclude \"site9.conf\";\n",
    )
    .unwrap();
    // Sniffs as dhcpd.conf on its own, so the walk reads it twice.
    std::fs::write(
        dir.path().join("site9.conf"),
        "subnet 10.9.0.0 netmask 255.255.255.0 {\n  default-lease-time 600;\n  range 10.9.0.10 10.9.0.99;\n}\n",
    )
    .unwrap();
    let run = collect(&[dir.path()], &[]);
    let snap = toml_text_as_json(&run.snapshot);
    let networks = snap["network"].as_array().unwrap();
    let site9: Vec<&Value> = networks
        .iter()
        .filter(|n| {
            n["name"]
                .as_str()
                .unwrap()
                .starts_with("subnet 10.9.0.0/24")
        })
        .collect();
    assert_eq!(site9.len(), 1, "{:#}", snap);
    assert_eq!(
        site9[0]["suffix"], "corp.test",
        "the including file's option 15 is inherited"
    );
}

/// A Kea DHCPv6 server whose subnet hands out only option 24 (`domain-search`), beside a DHCPv4
/// subnet with option 15.
const KEA_DHCP6: &str = r#"{
  "Dhcp6": {
    "subnet6": [
      { "id": 1, "subnet": "2001:db8:40::/64",
        "pools": [ { "pool": "2001:db8:40::100-2001:db8:40::1ff" } ],
        "option-data": [ { "name": "domain-search", "data": "corp.example, example.net" } ] }
    ]
  }
}
"#;

/// `check` of a profile with one home domain against a folder holding the Kea DHCPv6 file.
fn check_against_dhcp6(home_domain: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let dhcp = dir.path().join("dhcp");
    std::fs::create_dir(&dhcp).unwrap();
    std::fs::write(dhcp.join("kea-dhcp6.conf"), KEA_DHCP6).unwrap();
    let profile = dir.path().join("profile.xml");
    std::fs::write(
        &profile,
        format!(
            r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>{home_domain}</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#
        ),
    )
    .unwrap();
    let out = scslint()
        .args(["check", "--no-config", "--format", "json"])
        .arg(&profile)
        .arg("--observed")
        .arg(&dhcp)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_conforms("report.schema.json", &report);
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn kea_dhcp6_option_24_is_collected_into_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kea-dhcp6.conf");
    std::fs::write(&path, KEA_DHCP6).unwrap();
    let run = collect(&[&path], &[]);
    assert!(
        run.snapshot.contains(
            "name = \"subnet6 2001:db8:40::/64\"\ndomain_search_v6 = [\"corp.example\", \"example.net\"]"
        ),
        "{}",
        run.snapshot
    );
    let json = toml_text_as_json(&run.snapshot);
    let net = table(&json, "network", "subnet6 2001:db8:40::/64");
    assert!(
        net.get("suffix").is_none() && net.get("ranges").is_none(),
        "{net}"
    );
}

#[test]
fn option_24_alone_puts_a_dhcp6_network_inside() {
    let found = check_against_dhcp6("corp.example");
    assert!(
        found.iter().all(|(c, _)| c != "SL104" && c != "SL100"),
        "{found:?}"
    );
}

#[test]
fn an_option_24_match_that_needs_case_folding_is_uncertain() {
    let found = check_against_dhcp6("CORP.example");
    let sl003: Vec<_> = found.iter().filter(|(c, _)| c == "SL003").collect();
    assert_eq!(sl003.len(), 1, "{found:?}");
    assert!(
        sl003[0].1.contains("subnet6 2001:db8:40::/64") && sl003[0].1.contains("option 24"),
        "{found:?}"
    );
}

#[test]
fn option_24_is_something_to_compare_so_no_sl104() {
    let found = check_against_dhcp6("other.example");
    assert!(found.iter().all(|(c, _)| c != "SL104"), "{found:?}");
}

#[test]
fn a_dhcp6_network_whose_option_24_matches_nothing_is_outside() {
    let found = check_against_dhcp6("other.example");
    assert!(
        found
            .iter()
            .any(|(c, m)| c == "SL100" && m.contains("subnet6 2001:db8:40::/64")),
        "{found:?}"
    );
}

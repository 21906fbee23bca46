//! `scslint probe` end to end from the built binary against fake AMT devices on loopback
//! addresses: every ladder step, the verdicts, SL300-SL305 firing and staying quiet, time limits,
//! refusals, and credentials that never show.

mod support;

use serde_json::Value;
use std::net::Ipv4Addr;
use std::path::Path;
use std::time::{Duration, Instant};
use support::fake_amt::{DEFAULT_RMCP_PORT, Device, Pong, Running, free_loopback_ip};
use support::{assert_conforms, scslint};

struct Probe {
    status: i32,
    report: Value,
    stderr: String,
}

/// `probe ARGS --format json` against a device's RMCP port; the report is checked against
/// schemas/probe.schema.json.
fn probe(device: &Running, args: &[&str]) -> Probe {
    probe_env(device, args, &[])
}

fn probe_env(device: &Running, args: &[&str], env: &[(&str, &str)]) -> Probe {
    let mut cmd = scslint();
    cmd.args(["probe", "--no-config", "--format", "json", "--timeout", "2"])
        .arg("--rmcp-port")
        .arg(device.rmcp_addr().port().to_string())
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert_conforms("probe.schema.json", &report);
    Probe {
        status: out.status.code().unwrap(),
        report,
        stderr,
    }
}

fn codes(report: &Value) -> Vec<String> {
    support::codes(report)
}

fn amt_device() -> Device {
    Device::new(free_loopback_ip())
        .rmcp(Pong::new(11, 8))
        .rmcp_port(0)
        .http("11.8.50.3425")
        .redirection((11, 8))
}

/// A snapshot placing `ip` on a network handing out `corp.test`, with the ME reporting
/// "outside" and no address, and a profile whose only home domain is the AD root.
fn snapshot_and_profile(dir: &Path, ip: std::net::Ipv4Addr, home: &str) -> (String, String) {
    let observed = dir.join("observed.toml");
    std::fs::write(
        &observed,
        format!(
            "[[network]]\nname = \"hq-wired\"\nsuffix = \"corp.test\"\nranges = [\"{ip}/32\"]\n\n\
             [[host]]\nname = \"pc0424\"\nfqdn = \"pc0424.corp.test\"\nnetwork = \"hq-wired\"\n\
             os_ip = \"{ip}\"\nme_ip = \"0.0.0.0\"\nsuffix = \"corp.test\"\nras = \"outside\"\nlink_up = true\n"
        ),
    )
    .unwrap();
    let profile = dir.join("profile.xml");
    std::fs::write(
        &profile,
        format!(
            r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>{home}</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#
        ),
    )
    .unwrap();
    (
        observed.to_string_lossy().into_owned(),
        profile.to_string_lossy().into_owned(),
    )
}

/// The arguments that probe `snapshot_and_profile`'s host: a snapshot host (`--yes`) without
/// an ME address, so at its OS address (`--os-address`).
fn snapshot_args<'a>(observed: &'a str, profile: &'a str) -> [&'a str; 6] {
    [
        "--yes",
        "--os-address",
        "--observed",
        observed,
        "--profile",
        profile,
    ]
}

#[test]
fn every_step_answers_on_a_provisioned_me() {
    let device = amt_device().start();
    let ip = device.ip().to_string();
    let run = probe(&device, &[&ip]);
    let t = &run.report["targets"][0];
    assert_eq!(t["verdict"], "amt-reachable", "{t:#}");
    assert_eq!(t["ports"]["16992"], "open");
    assert_eq!(t["ports"]["16993"], "refused");
    assert_eq!(t["rmcp"]["amt_version"], "11.8");
    assert_eq!(t["rmcp"]["provisioning"], "completed");
    assert_eq!(t["rmcp"]["port"], 16992);
    assert_eq!(t["http"]["amt_version"], "11.8.50");
    assert_eq!(t["wsman"]["status"], "auth-required");
    assert_eq!(t["redirection"]["status"], 0);
    assert_eq!(t["redirection"]["firmware"], "11.8");
    assert_eq!(t["tls"], Value::Null);
    assert!(codes(&run.report).is_empty());
    assert_eq!(run.status, 0);
}

#[test]
fn amt_16_version_comes_from_the_fallback_bytes() {
    let mut pong = Pong::new(16, 1);
    pong.use_fallback_version_bytes = true;
    let device = Device::new(free_loopback_ip())
        .rmcp(pong)
        .rmcp_port(0)
        .start();
    let run = probe(&device, &[&device.ip().to_string()]);
    let t = &run.report["targets"][0];
    assert_eq!(t["rmcp"]["amt_version"], "16.1");
    // RMCP answers but every port refuses: the ME is there with its interface closed.
    assert_eq!(t["verdict"], "amt-closed");
}

#[test]
fn a_web_server_on_16992_is_not_an_me() {
    let device = Device::new(free_loopback_ip())
        .rmcp_port(0)
        .plain_web()
        .start();
    let run = probe(&device, &[&device.ip().to_string()]);
    assert_eq!(run.report["targets"][0]["verdict"], "not-amt");
    assert_eq!(codes(&run.report), ["SL303"]);
    assert_eq!(run.status, 0, "SL303 is informational");
}

#[test]
fn closed_ports_where_outside_is_predicted_confirm_the_misfire() {
    let dir = tempfile::tempdir().unwrap();
    // The ME answers RMCP, its interface refuses: what an ME that believes it is outside does.
    let device = Device::new(free_loopback_ip())
        .rmcp(Pong::new(11, 8))
        .rmcp_port(0)
        .start();
    let (observed, profile) = snapshot_and_profile(dir.path(), device.ip(), "ad.corp.local");
    let run = probe(&device, &snapshot_args(&observed, &profile));
    assert_eq!(codes(&run.report), ["SL300"], "{:#}", run.report);
    let d = &run.report["diagnostics"][0];
    assert!(d["help"].as_str().unwrap().contains("`corp.test`"));
    assert_eq!(d["host"], "pc0424");
    assert_eq!(run.status, 1);

    // A TLS-only device (the pong advertises 16993 alone) with 16993 closed too: the same misfire.
    let tls_only = Device::new(free_loopback_ip())
        .rmcp(Pong {
            open_port: Some(16993),
            ..Pong::new(11, 8)
        })
        .rmcp_port(0)
        .start();
    let (observed, profile) = snapshot_and_profile(dir.path(), tls_only.ip(), "ad.corp.local");
    let run = probe(&tls_only, &snapshot_args(&observed, &profile));
    assert_eq!(codes(&run.report), ["SL300"], "{:#}", run.report);
}

#[test]
fn quiet_prints_the_findings_without_tables_or_summary() {
    let dir = tempfile::tempdir().unwrap();
    let device = Device::new(free_loopback_ip())
        .rmcp(Pong::new(11, 8))
        .rmcp_port(0)
        .start();
    let (observed, profile) = snapshot_and_profile(dir.path(), device.ip(), "ad.corp.local");
    let human = |extra: &[&str]| {
        let out = scslint()
            .args(["probe", "--no-config", "--timeout", "2", "--rmcp-port"])
            .arg(device.rmcp_addr().port().to_string())
            .args([
                "--yes",
                "--os-address",
                "--observed",
                &observed,
                "--profile",
                &profile,
            ])
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
        )
    };
    let (status, loud) = human(&[]);
    assert_eq!(status, 1);
    assert!(
        loud.contains("verdict") && loud.contains("scslint probe: 1 target"),
        "{loud}"
    );
    let (status, quiet) = human(&["-q"]);
    assert_eq!(status, 1);
    assert!(
        quiet.contains("SL300(interface-closed-as-predicted)"),
        "{quiet}"
    );
    assert!(
        !quiet.contains("verdict") && !quiet.contains("scslint probe:"),
        "{quiet}"
    );
}

fn diagnostic<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["code"] == code))
        .unwrap_or_else(|| panic!("no {code}: {report:#}"))
}

#[test]
fn closed_ports_where_inside_is_predicted_are_drift_or_a_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let device = Device::new(free_loopback_ip())
        .rmcp(Pong::new(11, 8))
        .rmcp_port(0)
        .start();
    // The profile covers the network's option 15, yet the ME keeps its interface closed.
    let (observed, profile) = snapshot_and_profile(dir.path(), device.ip(), "corp.test");
    let run = probe(&device, &snapshot_args(&observed, &profile));
    assert_eq!(codes(&run.report), ["SL305"], "{:#}", run.report);
    let d = diagnostic(&run.report, "SL305");
    assert_eq!(d["severity"], "error");
    let message = d["message"].as_str().unwrap();
    for words in ["predicts Inside", "drifted", "<uuid>.com", "12-hex"] {
        assert!(message.contains(words), "{words}: {message}");
    }
    assert!(d["help"].as_str().unwrap().contains("--password-env"));
    assert_eq!(run.status, 1);

    // No profile: the same device is a warning, intent unknown.
    let run = probe(&device, &[&device.ip().to_string()]);
    assert_eq!(codes(&run.report), ["SL305"], "{:#}", run.report);
    let d = diagnostic(&run.report, "SL305");
    assert_eq!(d["severity"], "warning");
    assert!(d["message"].as_str().unwrap().contains("by design"));
    assert_eq!(run.status, 0);
}

#[test]
fn an_unprovisioned_me_with_closed_ports_is_not_drift() {
    let device = Device::new(free_loopback_ip())
        .rmcp(Pong {
            provisioning: 0,
            open_port: None,
            ..Pong::new(11, 8)
        })
        .rmcp_port(0)
        .start();
    let run = probe(&device, &[&device.ip().to_string()]);
    assert_eq!(run.report["targets"][0]["verdict"], "amt-closed");
    assert!(codes(&run.report).is_empty(), "{:#}", run.report);
}

#[test]
fn rmcp_or_wsman_evidence_outweighs_an_odd_server_header() {
    // RMCP pong from Intel's ME, and a banner that is not Intel's.
    let device = amt_device()
        .server_header(Some("Embedded HTTP Server"))
        .start();
    let run = probe(&device, &[&device.ip().to_string()]);
    let t = &run.report["targets"][0];
    assert_eq!(t["verdict"], "amt-reachable", "{t:#}");
    assert_eq!(t["http"]["server"], "Embedded HTTP Server");
    assert!(
        t["notes"].to_string().contains("RMCP pong"),
        "{:#}",
        t["notes"]
    );
    assert!(codes(&run.report).is_empty(), "{:#}", run.report);

    // No RMCP: the WS-Man 401 with AMT's `Digest:<32 hex>` realm is the evidence.
    let device = Device::new(free_loopback_ip())
        .rmcp_port(0)
        .server_header(Some("Embedded HTTP Server"))
        .start();
    let run = probe(&device, &[&device.ip().to_string()]);
    let t = &run.report["targets"][0];
    assert_eq!(t["verdict"], "amt-reachable", "{t:#}");
    assert!(t["notes"].to_string().contains("WS-Man"), "{t:#}");
    assert!(!codes(&run.report).contains(&"SL303".to_owned()));

    // The bare `Server: AMT` of scanners' fingerprints, and no Server header with an Intel
    // Identify answer.
    for device in [
        Device::new(free_loopback_ip())
            .rmcp_port(0)
            .server_header(Some("AMT")),
        Device::new(free_loopback_ip())
            .rmcp_port(0)
            .server_header(None)
            .identify_anonymous(true),
    ] {
        let device = device.start();
        let run = probe(&device, &[&device.ip().to_string()]);
        let t = &run.report["targets"][0];
        assert_eq!(t["verdict"], "amt-reachable", "{t:#}");
        assert!(codes(&run.report).is_empty(), "{:#}", run.report);
    }
}

#[test]
fn the_pongs_both_ports_bit_is_reported_and_checked() {
    let device = amt_device()
        .rmcp(Pong {
            both_ports: true,
            ..Pong::new(11, 8)
        })
        .start();
    let ip = device.ip().to_string();
    let run = probe(&device, &[&ip]);
    let t = &run.report["targets"][0];
    assert_eq!(t["rmcp"]["both_ports"], true);
    // 16993 is advertised but refuses: said in the notes.
    assert!(
        t["notes"]
            .to_string()
            .contains("advertises 16992 and 16993 open, yet 16993 did not accept"),
        "{t:#}"
    );
    let out = scslint()
        .args(["probe", "--no-config", "--timeout", "2", "--rmcp-port"])
        .arg(device.rmcp_addr().port().to_string())
        .arg(&ip)
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("ports 16992 and 16993"), "{human}");

    // Without the bit: no note, and the human table names the one port.
    let device = amt_device().start();
    let run = probe(&device, &[&device.ip().to_string()]);
    let t = &run.report["targets"][0];
    assert_eq!(t["rmcp"]["both_ports"], false);
    assert!(t.get("notes").is_none(), "{t:#}");
}

#[test]
fn a_tls_only_device_with_16992_closed_is_no_misfire() {
    let dir = tempfile::tempdir().unwrap();
    // The pong advertises 16993 alone; 16993 accepts (its TLS is not modern), 16992 refuses.
    let device = Device::new(free_loopback_ip())
        .rmcp(Pong {
            open_port: Some(16993),
            ..Pong::new(11, 8)
        })
        .rmcp_port(0)
        .raw(16993, b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec())
        .start();
    let (observed, profile) = snapshot_and_profile(dir.path(), device.ip(), "corp.test");
    let run = probe(&device, &snapshot_args(&observed, &profile));
    let t = &run.report["targets"][0];
    assert_eq!(t["ports"]["16992"], "refused");
    assert_eq!(t["verdict"], "amt-reachable", "{t:#}");
    assert!(t["notes"].to_string().contains("TLS only"), "{t:#}");
    let found = codes(&run.report);
    assert!(
        !found.contains(&"SL300".to_owned()) && !found.contains(&"SL305".to_owned()),
        "{:#}",
        run.report
    );
}

#[test]
fn an_me_that_answers_where_outside_is_predicted_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let device = amt_device().start();
    let (observed, profile) = snapshot_and_profile(dir.path(), device.ip(), "ad.corp.local");
    let run = probe(&device, &snapshot_args(&observed, &profile));
    assert_eq!(codes(&run.report), ["SL301"], "{:#}", run.report);

    // Predicted inside and answering: as it should be.
    let (observed, profile) = snapshot_and_profile(dir.path(), device.ip(), "corp.test");
    let run = probe(&device, &snapshot_args(&observed, &profile));
    assert!(codes(&run.report).is_empty(), "{:#}", run.report);
}

const SECRET: &str = "Sup3r-S3cret!";

/// Probe a device that knows `admin`/SECRET and holds `live` as its home domains, against a
/// profile with `corp.test`; the password goes through the environment only.
fn probe_live(live: &[&str]) -> Probe {
    let dir = tempfile::tempdir().unwrap();
    let device = amt_device()
        .credentials("admin", SECRET)
        .detection_strings(live)
        .start();
    let (observed, profile) = snapshot_and_profile(dir.path(), device.ip(), "corp.test");
    probe_env(
        &device,
        &[
            "--yes",
            "--os-address",
            "--observed",
            &observed,
            "--profile",
            &profile,
            "--user",
            "admin",
            "--password-env",
            "AMT_TEST_PASSWORD",
        ],
        &[("AMT_TEST_PASSWORD", SECRET)],
    )
}

#[test]
fn live_home_domains_are_compared_and_the_password_never_shows() {
    let run = probe_live(&["ad.corp.local"]);
    let t = &run.report["targets"][0];
    assert_eq!(
        t["live"]["detection"]["strings"],
        serde_json::json!(["ad.corp.local"])
    );
    assert!(
        codes(&run.report).contains(&"SL302".to_owned()),
        "{:#}",
        run.report
    );
    assert!(!format!("{}{}", run.report, run.stderr).contains(SECRET));
    // The same list: no drift.
    let run = probe_live(&["corp.test"]);
    assert!(!codes(&run.report).contains(&"SL302".to_owned()));
}

/// An rpc-go profile with CIRA and an empty list: rpc-go wrote a random `<uuid>.com`, so any one
/// placeholder on the device is what the profile predicts; a real suffix there is drift.
#[test]
fn an_rpcgo_placeholder_profile_matches_any_device_placeholder() {
    let run_with = |live: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        let device = amt_device()
            .credentials("admin", SECRET)
            .detection_strings(live)
            .start();
        let (observed, _) = snapshot_and_profile(dir.path(), device.ip(), "corp.test");
        let profile = dir.path().join("cira-only.yaml");
        std::fs::write(
            &profile,
            "name: cira-only\nconfiguration:\n  amtSpecific:\n    cira:\n      mpsAddress: mps.corp.test\n      environmentDetection: []\n",
        )
        .unwrap();
        probe_env(
            &device,
            &[
                "--yes",
                "--os-address",
                "--observed",
                &observed,
                "--profile",
                &profile.to_string_lossy(),
                "--user",
                "admin",
                "--password-env",
                "AMT_TEST_PASSWORD",
            ],
            &[("AMT_TEST_PASSWORD", SECRET)],
        )
    };
    let run = run_with(&["0f3c2b1a-9d8e-4c7b-a6f5-e4d3c2b1a09a.com"]);
    assert!(
        !codes(&run.report).contains(&"SL302".to_owned()),
        "{:#}",
        run.report
    );
    let run = run_with(&["corp.test"]);
    assert!(
        codes(&run.report).contains(&"SL302".to_owned()),
        "{:#}",
        run.report
    );
}

#[test]
fn a_handshake_that_fails_after_connecting_is_tls_incompatible() {
    let device = amt_device()
        .raw(16993, b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec())
        .start();
    let run = probe(&device, &[&device.ip().to_string()]);
    let t = &run.report["targets"][0];
    assert_eq!(t["ports"]["16993"], "open");
    assert_eq!(t["tls"]["status"], "incompatible");
    assert_eq!(t["verdict"], "amt-reachable", "TLS trouble is not \"down\"");
    assert_eq!(codes(&run.report), ["SL304"]);
    let message = diagnostic(&run.report, "SL304")["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("Intel AMT's `Server:` banner on 16992 shows an Intel ME there, not down"),
        "{message}"
    );
}

#[test]
fn a_silent_peer_ends_within_the_budget() {
    // Accepts on every port and never answers; RMCP is silent too.
    let device = Device::new(free_loopback_ip())
        .rmcp_silent()
        .rmcp_port(0)
        .silent(16992)
        .silent(16993)
        .silent(16994)
        .silent(16995)
        .start();
    let started = Instant::now();
    let run = probe(&device, &[&device.ip().to_string()]);
    let took = started.elapsed();
    // Each target takes at most 5 x --timeout (connect, then the slowest port's steps).
    assert!(
        took < Duration::from_secs(10) + Duration::from_secs(2),
        "{took:?}"
    );
    let t = &run.report["targets"][0];
    assert_eq!(t["ports"]["16992"], "open");
    assert_eq!(t["rmcp"], Value::Null);
    assert_eq!(t["http"], Value::Null);
    // Something accepts, so not "unreachable"; nothing shows an ME.
    assert_eq!(t["verdict"], "ports-open");
}

#[test]
fn sweeps_keep_target_order_and_ports_only_stops_after_connecting() {
    let a = amt_device().start();
    let b = Device::new(free_loopback_ip()).rmcp_port(0).start();
    let run = probe(
        &a,
        &["--ports-only", &a.ip().to_string(), &b.ip().to_string()],
    );
    let targets = run.report["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[0]["target"], a.ip().to_string());
    assert_eq!(targets[0]["ports"]["16992"], "open");
    assert_eq!(targets[1]["ports"]["16992"], "refused");
    assert!(targets[0]["ports"].get("16994").is_none());
    assert_eq!(targets[0]["http"], Value::Null);
    // An accepting port is not "unreachable"; where nothing accepts, it is.
    assert_eq!(targets[0]["verdict"], "ports-open");
    assert_eq!(targets[1]["verdict"], "unreachable");
}

#[test]
fn what_is_not_one_device_is_refused() {
    for (target, allow_range, words) in [
        ("255.255.255.255", false, "broadcast"),
        ("224.0.0.1", false, "multicast"),
        ("0.0.0.0", false, "unspecified"),
        ("127.0.0.0/24", false, "--allow-range"),
        ("10.0.0.0/8", true, "limited"),
        // IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
        ("::ffff:224.0.0.251", false, "multicast"),
        ("::ffff:255.255.255.255", false, "broadcast"),
        ("::ffff:0.0.0.0", false, "unspecified"),
        ("::ffff:224.0.0.0/120", true, "multicast"),
        // Sizes that once wrapped (`::/0` passed as one address, then listed 2^128).
        ("::/0", true, "holds 2^128 addresses"),
        ("::/1", true, "limited"),
        ("2001:db8::/64", true, "limited"),
    ] {
        let mut cmd = scslint();
        cmd.args(["probe", "--no-config", target]);
        if allow_range {
            cmd.arg("--allow-range");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{target}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(words), "{target}: {stderr}");
        assert!(out.stdout.is_empty(), "nothing was probed");
    }
}

#[test]
fn ctrl_c_stops_a_sweep_and_prints_what_was_done() {
    // 254 targets paced at 4 a second would take a minute.
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("scslint"))
        .args([
            "probe",
            "--no-config",
            "--format",
            "json",
            "--ports-only",
            "--allow-range",
            "--rate",
            "4",
            "--timeout",
            "1",
            "127.0.200.0/24",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let started = Instant::now();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "it stopped promptly"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("interrupted"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_conforms("probe.schema.json", &report);
    let done = report["targets"].as_array().unwrap().len();
    assert!(done > 0 && done < 254, "{done} targets");
}

/// `probe ARGS` with the human output: exit status, standard output, standard error.
fn probe_human(device: &Running, args: &[&str]) -> (i32, String, String) {
    let out = scslint()
        .args(["probe", "--no-config", "--timeout", "2", "--rmcp-port"])
        .arg(device.rmcp_addr().port().to_string())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A snapshot of `corp.test`'s network with `pc0423` at its ME address `me` and `pc0425`
/// without an ME address, its OS at `os`.
fn two_hosts(dir: &Path, me: Ipv4Addr, os: Ipv4Addr) -> String {
    let observed = dir.join("observed.toml");
    std::fs::write(
        &observed,
        format!(
            "[[network]]\nname = \"hq-wired\"\nsuffix = \"corp.test\"\ntrust = \"enterprise\"\n\n\
             [[host]]\nname = \"pc0423\"\nfqdn = \"pc0423.corp.test\"\nnetwork = \"hq-wired\"\n\
             me_ip = \"{me}\"\nsuffix = \"corp.test\"\n\n\
             [[host]]\nname = \"pc0425\"\nfqdn = \"pc0425.corp.test\"\nnetwork = \"hq-wired\"\n\
             me_ip = \"0.0.0.0\"\nos_ip = \"{os}\"\nsuffix = \"corp.test\"\n"
        ),
    )
    .unwrap();
    observed.to_string_lossy().into_owned()
}

/// Datagrams waiting on a socket nobody answered from.
fn datagrams(sock: &std::net::UdpSocket) -> usize {
    sock.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 2048];
    let mut n = 0;
    while sock.recv(&mut buf).is_ok() {
        n += 1;
    }
    n
}

/// TCP connections and RMCP pings a device has seen.
fn contacts(device: &Running) -> usize {
    device.pings()
        + [16992, 16993, 16994, 16995]
            .map(|p| device.connections(p))
            .iter()
            .sum::<usize>()
}

#[test]
fn a_dry_run_sends_nothing_and_lists_every_target_and_skipped_host() {
    let dir = tempfile::tempdir().unwrap();
    // Three devices on one RMCP port, the one free_loopback_ip checked (an ephemeral one may
    // be taken on all addresses by another test's probe): named on the command line, a
    // snapshot host at its ME address, and the OS address of a host without an ME address.
    let device = || amt_device().rmcp_port(DEFAULT_RMCP_PORT).start();
    let (named, host, os) = (device(), device(), device());
    let observed = two_hosts(dir.path(), host.ip(), os.ip());
    let (dns, dns_addr) = support::dns_server::silent();
    let dns_addr = dns_addr.to_string();
    let named_ip = named.ip().to_string();
    let args = [
        "--dry-run",
        "--observed",
        &observed,
        "--nameserver",
        &dns_addr,
        &named_ip,
    ];

    let run = probe(&named, &args);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.report["dry_run"], true);
    let targets = run.report["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2, "{:#}", run.report);
    assert_eq!(targets[0]["address"], named_ip);
    assert_eq!(targets[0]["from"], "command-line");
    assert_eq!(targets[1]["target"], "pc0423");
    assert_eq!(targets[1]["address"], host.ip().to_string());
    assert_eq!(targets[1]["name"], "pc0423.corp.test");
    assert_eq!(targets[1]["network"], "hq-wired");
    assert_eq!(targets[1]["from"], "snapshot");
    assert!(targets[1]["why"].as_str().unwrap().contains("ME address"));
    let skipped = run.report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["target"], "pc0425");
    assert_eq!(skipped[0]["address"], os.ip().to_string());
    assert!(skipped[0]["why"].as_str().unwrap().contains("--os-address"));

    let (status, stdout, _) = probe_human(&named, &args);
    assert_eq!(status, 0);
    for words in [
        "would probe:",
        &format!("{named_ip} "),
        "named on the command line",
        "pc0423 (pc0423.corp.test)",
        "snapshot host, at its ME address",
        "skipped:",
        "pc0425",
        "no ME address; --os-address probes its OS address",
        "nothing was sent",
    ] {
        assert!(stdout.contains(words), "{words}: {stdout}");
    }

    // Not a connection, not a ping, not a DNS query.
    assert_eq!(contacts(&named) + contacts(&host) + contacts(&os), 0);
    assert_eq!(datagrams(&dns), 0);

    // The same without --dry-run (and with --yes for the snapshot host) reaches both targets,
    // asks DNS for the snapshot host's name, and still leaves the skipped host alone.
    let args = &args[1..];
    let mut with_yes = vec!["--yes"];
    with_yes.extend_from_slice(args);
    let run = probe(&named, &with_yes);
    assert_eq!(run.report["targets"].as_array().unwrap().len(), 2);
    assert_eq!(run.report["skipped"][0]["target"], "pc0425");
    assert!(named.pings() > 0 && named.connections(16992) > 0);
    assert!(host.pings() > 0 && host.connections(16992) > 0);
    assert_eq!(contacts(&os), 0);
    assert!(datagrams(&dns) > 0);
}

#[test]
fn snapshot_hosts_and_wide_ranges_need_yes_where_nobody_can_be_asked() {
    let dir = tempfile::tempdir().unwrap();
    let host = amt_device().start();
    let observed = two_hosts(dir.path(), host.ip(), Ipv4Addr::new(127, 0, 0, 1));
    let (status, stdout, stderr) = probe_human(&host, &["--observed", &observed]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    for words in ["1 target comes from a snapshot", "add --yes", "--dry-run"] {
        assert!(stderr.contains(words), "{words}: {stderr}");
    }
    assert_eq!(contacts(&host), 0);
    let (status, _, stderr) = probe_human(&host, &["--yes", "--observed", &observed]);
    assert_eq!(status, 0, "{stderr}");
    assert!(contacts(&host) > 0);

    // More than 256 addresses from ranges: refused without --yes, before anything is sent.
    let sweep = |extra: &[&str]| {
        scslint()
            .args(["probe", "--no-config", "--ports-only", "--timeout", "1"])
            .args(["--format", "json", "--allow-range"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = sweep(&["127.0.201.0/23"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("510 addresses, more than 256") && stderr.contains("--yes"),
        "{stderr}"
    );
    let out = sweep(&["--yes", "127.0.201.0/23"]);
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["targets"].as_array().unwrap().len(), 510);
    // A /24 needs no go-ahead.
    let out = sweep(&["127.0.201.0/24"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_host_without_an_me_address_is_skipped_unless_its_os_address_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let os = amt_device().start();
    // pc0423's ME address is one nobody listens on.
    let observed = two_hosts(dir.path(), free_loopback_ip(), os.ip());
    let run = probe(&os, &["--yes", "--observed", &observed]);
    assert_eq!(run.report["targets"].as_array().unwrap().len(), 1);
    assert_eq!(run.report["targets"][0]["target"], "pc0423");
    assert_eq!(run.report["skipped"][0]["target"], "pc0425");
    assert_eq!(contacts(&os), 0);
    let (_, stdout, _) = probe_human(&os, &["--yes", "--observed", &observed]);
    assert!(
        stdout.contains("pc0425\n") && stdout.contains("  skipped       no ME address"),
        "{stdout}"
    );
    assert!(stdout.contains("; 1 skipped;"), "{stdout}");
    assert_eq!(contacts(&os), 0);

    let run = probe(&os, &["--yes", "--os-address", "--observed", &observed]);
    let targets = run.report["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[1]["target"], "pc0425");
    assert_eq!(targets[1]["address"], os.ip().to_string());
    assert_eq!(targets[1]["verdict"], "amt-reachable");
    assert_eq!(run.report["skipped"], serde_json::json!([]));
    assert!(contacts(&os) > 0);
}

#[test]
fn broadcast_and_multicast_snapshot_addresses_are_skipped_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let observed = dir.path().join("observed.toml");
    std::fs::write(
        &observed,
        "[[network]]\nname = \"hq-wired\"\nsuffix = \"corp.test\"\n\n\
         [[host]]\nname = \"mdns\"\nnetwork = \"hq-wired\"\nme_ip = \"224.0.0.251\"\n\n\
         [[host]]\nname = \"bcast\"\nnetwork = \"hq-wired\"\nme_ip = \"0.0.0.0\"\nos_ip = \"255.255.255.255\"\n",
    )
    .unwrap();
    let observed = observed.to_string_lossy().into_owned();
    let out = scslint()
        .args([
            "probe",
            "--no-config",
            "--format",
            "json",
            "--yes",
            "--os-address",
        ])
        .args(["--observed", &observed])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_conforms("probe.schema.json", &report);
    assert_eq!(report["targets"], serde_json::json!([]), "{report:#}");
    let why: Vec<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["why"].as_str().unwrap())
        .collect();
    assert_eq!(
        why,
        [
            "its OS address 255.255.255.255 is the broadcast address",
            "its ME address 224.0.0.251 is a multicast address",
        ]
    );

    // Written as IPv4-mapped IPv6, the snapshot does not read: nothing to probe.
    std::fs::write(
        &observed,
        "[[network]]\nname = \"hq-wired\"\nsuffix = \"corp.test\"\n\n\
         [[host]]\nname = \"mdns\"\nnetwork = \"hq-wired\"\nme_ip = \"::ffff:224.0.0.251\"\n",
    )
    .unwrap();
    let out = scslint()
        .args(["probe", "--no-config", "--yes", "--observed", &observed])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn ports_chooses_the_tcp_ports_and_refuses_others() {
    let device = amt_device().start();
    let ip = device.ip().to_string();
    let run = probe(&device, &["--ports-only", "--ports", "16994,623", &ip]);
    let t = &run.report["targets"][0];
    let ports: Vec<&String> = t["ports"].as_object().unwrap().keys().collect();
    assert_eq!(ports, ["16994", "623"], "{t:#}");
    assert_eq!(t["ports"]["16994"], "open");
    assert_eq!(t["verdict"], "ports-open");
    assert_eq!(device.connections(16992), 0);
    assert_eq!(device.pings(), 0, "--ports-only sends no RMCP");

    // The full ladder on the chosen ports only: HTTP and WS-Man, no redirection.
    let run = probe(&device, &["--ports", "16992", &ip]);
    let t = &run.report["targets"][0];
    assert_eq!(t["ports"], serde_json::json!({"16992": "open"}));
    assert_eq!(t["verdict"], "amt-reachable");
    assert_eq!(t["redirection"], Value::Null);
    assert_eq!(device.connections(16994), 1, "only the first run connected");

    for bad in ["80", "16992,8080", "664,"] {
        let (status, stdout, stderr) = probe_human(&device, &["--ports", bad, &ip]);
        assert_eq!(status, 2, "{bad}");
        assert!(stdout.is_empty());
        assert!(
            stderr.contains("choose among 16992, 16993, 16994, 16995, 623, 664"),
            "{bad}: {stderr}"
        );
    }
}

#[test]
fn tls_trouble_names_an_me_only_on_evidence_of_one() {
    // 16993 accepts and answers no TLS; no RMCP, nothing on 16992.
    let device = Device::new(free_loopback_ip())
        .rmcp_port(0)
        .raw(16993, b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec())
        .start();
    let run = probe(&device, &[&device.ip().to_string()]);
    let t = &run.report["targets"][0];
    assert_eq!(t["tls"]["status"], "incompatible");
    assert_eq!(t["verdict"], "ports-open");
    let message = diagnostic(&run.report, "SL304")["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("nothing the probe saw shows"), "{message}");
    assert!(
        !message.contains("ME there") && !message.contains("not down"),
        "{message}"
    );
}

/// Hostile peers on loopback: a slowloris that never ends its headers, an endless chunked body, a
/// 10 MB `Server:` header, garbage on the TLS port and garbage RMCP. Each probe ends within its
/// budget (5 x --timeout, as for a silent peer) and within 2 GiB of address space (a runaway
/// buffer would abort the run).
#[test]
fn hostile_peers_end_within_the_budget_and_bounded_memory() {
    let slow = Duration::from_millis(50);
    let huge_server = {
        let mut r = b"HTTP/1.1 401 Unauthorized\r\nServer: ".to_vec();
        r.extend(std::iter::repeat_n(b'A', 10 * 1024 * 1024));
        r.extend(b"\r\nContent-Length: 0\r\n\r\n");
        r
    };
    let chunk = {
        let mut c = b"4000\r\n".to_vec();
        c.extend(std::iter::repeat_n(b'<', 0x4000));
        c.extend(b"\r\n");
        c
    };
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let device = Device::new(free_loopback_ip())
        .rmcp_raw(garbage[..200].to_vec())
        .rmcp_port(0)
        .stream(
            16992,
            b"HTTP/1.1 200 OK\r\nX-Slow: ".to_vec(),
            b"a".to_vec(),
            slow,
        )
        .raw(16993, garbage.clone())
        .stream(
            16994,
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec(),
            chunk,
            Duration::ZERO,
        )
        .raw(16995, huge_server)
        .start();
    let bin = assert_cmd::cargo::cargo_bin("scslint");
    let started = Instant::now();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 2097152 && exec '{}' probe --no-config --format json --timeout 2 --rmcp-port {} --ports 16992,16993,16994,16995 {}",
            bin.display(),
            device.rmcp_addr().port(),
            device.ip()
        ))
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(12), "{took:?}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_conforms("probe.schema.json", &report);
    let t = &report["targets"][0];
    assert_eq!(t["ports"]["16992"], "open", "{t:#}");
    assert_ne!(t["verdict"], "unreachable", "{t:#}");

    // The same against the HTTP port alone, once for each kind of endless answer.
    for (name, device) in [
        (
            "endless chunked body",
            Device::new(free_loopback_ip()).rmcp_silent().rmcp_port(0).stream(
                16992,
                b"HTTP/1.1 200 OK\r\nServer: Intel(R) Active Management Technology 16.1.25\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec(),
                b"1\r\na\r\n".to_vec(),
                Duration::ZERO,
            ),
        ),
        (
            "10 MB Server header",
            Device::new(free_loopback_ip()).rmcp_silent().rmcp_port(0).raw(
                16992,
                [
                    b"HTTP/1.1 200 OK\r\nServer: ".to_vec(),
                    vec![b'B'; 10 * 1024 * 1024],
                    b"\r\n\r\n".to_vec(),
                ]
                .concat(),
            ),
        ),
    ] {
        let device = device.start();
        let started = Instant::now();
        let run = probe(&device, &["--ports", "16992", &device.ip().to_string()]);
        let took = started.elapsed();
        assert!(took < Duration::from_secs(12), "{name}: {took:?}");
        assert_eq!(run.report["targets"][0]["ports"]["16992"], "open", "{name}");
    }
}

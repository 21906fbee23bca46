//! `scslint probe` end to end from the built binary against fake AMT devices on loopback
//! addresses: every ladder step, the verdicts, SL300-SL305 firing and staying quiet, time limits,
//! refusals, and credentials that never show.

mod support;

use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};
use support::fake_amt::{Device, Pong, Running, free_loopback_ip};
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
    let run = probe(&device, &["--observed", &observed, "--profile", &profile]);
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
    let run = probe(&tls_only, &["--observed", &observed, "--profile", &profile]);
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
            .args(["--observed", &observed, "--profile", &profile])
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
    let run = probe(&device, &["--observed", &observed, "--profile", &profile]);
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
    let run = probe(&device, &["--observed", &observed, "--profile", &profile]);
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
    let run = probe(&device, &["--observed", &observed, "--profile", &profile]);
    assert_eq!(codes(&run.report), ["SL301"], "{:#}", run.report);

    // Predicted inside and answering: as it should be.
    let (observed, profile) = snapshot_and_profile(dir.path(), device.ip(), "corp.test");
    let run = probe(&device, &["--observed", &observed, "--profile", &profile]);
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
    assert_eq!(t["verdict"], "unreachable");
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
}

#[test]
fn what_is_not_one_device_is_refused() {
    for (target, allow_range, words) in [
        ("255.255.255.255", false, "broadcast"),
        ("224.0.0.1", false, "multicast"),
        ("0.0.0.0", false, "unspecified"),
        ("127.0.0.0/24", false, "--allow-range"),
        ("10.0.0.0/8", true, "limited"),
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

//! `scslint fix-plan`: the corrected list per profile, and the WS-Management Put it prints,
//! sent (with HTTP Digest) to the fake AMT device on loopback, which then serves the new list to
//! `scslint probe`'s Get.

mod support;

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;
use support::fake_amt::{self, FakeAmt, HTTP_PORT, Pong};
use support::{assert_conforms, scslint};

const SECRET: &str = "Fix-Pl4n!";

const OBSERVED: &str =
    "[[network]]\nname = \"hq\"\nsuffix = \"company.com\"\ntrust = \"enterprise\"\n";

fn plan(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = scslint()
        .current_dir(dir)
        .args(["fix-plan", "--no-config", "--observed", "observed.toml"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// POST `body` to /wsman with HTTP Digest as `admin`: the status and the response body.
fn post_with_digest(addr: SocketAddr, body: &str) -> (u16, String) {
    let send = |auth: Option<String>| -> (u16, String, String) {
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(3)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(3)))
            .unwrap();
        let mut request = format!(
            "POST /wsman HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/soap+xml;charset=UTF-8\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        if let Some(a) = auth {
            request.push_str(&format!("Authorization: {a}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head.to_owned(), rest.to_owned())
    };
    let (status, head, _) = send(None);
    assert_eq!(status, 401);
    let field = |name: &str| -> String {
        let at = head.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        head[at..].split('"').next().unwrap().to_owned()
    };
    let (realm, nonce) = (field("realm"), field("nonce"));
    let response = fake_amt::digest_response(
        "admin", &realm, SECRET, "POST", "/wsman", &nonce, "00000001", "0a4f113b",
    );
    let auth = format!(
        "Digest username=\"admin\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"/wsman\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"{response}\""
    );
    let (status, _, body) = send(Some(auth));
    (status, body)
}

#[test]
fn the_printed_put_corrects_the_device_and_a_get_reads_the_new_list() {
    let device = FakeAmt::new(fake_amt::free_loopback_ip())
        .rmcp(Pong::new(11, 8))
        .rmcp_port(0)
        .http("11.8.50.3425")
        .chunked(false)
        .credentials("admin", SECRET)
        .detection_strings(&["ad.company.local"])
        .start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("observed.toml"), OBSERVED).unwrap();
    std::fs::write(
        dir.path().join("pc.xml"),
        "<g:AMT_EnvironmentDetectionSettingData xmlns:g=\"http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData\">\n  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>\n  <g:DetectionStrings>ad.company.local</g:DetectionStrings>\n</g:AMT_EnvironmentDetectionSettingData>\n",
    )
    .unwrap();
    let (status, out) = plan(dir.path(), &["pc.xml", "--format", "json"]);
    assert_eq!(status, 1, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_conforms("fix-plan.schema.json", &doc);
    let p = &doc["profiles"][0];
    assert_eq!(p["before"], serde_json::json!(["ad.company.local"]));
    assert_eq!(
        p["after"],
        serde_json::json!(["ad.company.local", "company.com"])
    );
    assert!(
        p["rpc_go"]["command"]
            .as_str()
            .unwrap()
            .ends_with("--envdetection ad.company.local,company.com")
    );
    // The plan changed nothing on disk.
    assert!(
        !std::fs::read_to_string(dir.path().join("pc.xml"))
            .unwrap()
            .contains("company.com<")
    );

    let envelope = p["wsman_put"]["envelope"].as_str().unwrap();
    let (status, body) = post_with_digest(device.addr(HTTP_PORT), envelope);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("transfer/PutResponse"), "{body}");
    assert_eq!(
        device.detection().strings,
        ["ad.company.local", "company.com"]
    );

    // scslint probe's own Get reads the new list.
    let out = scslint()
        .args(["probe", "--no-config", "--format", "json", "--timeout", "2"])
        .args(["--rmcp-port", &device.rmcp_addr().port().to_string()])
        .args(["--user", "admin", "--password-env", "FIX_PLAN_PASSWORD"])
        .arg(device.ip().to_string())
        .env("FIX_PLAN_PASSWORD", SECRET)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["targets"][0]["live"]["detection"]["strings"],
        serde_json::json!(["ad.company.local", "company.com"]),
        "{report:#}"
    );
}

#[test]
fn a_put_for_another_instance_or_class_is_refused_and_changes_nothing() {
    let device = FakeAmt::new(fake_amt::free_loopback_ip())
        .http("11.8.50.3425")
        .chunked(false)
        .credentials("admin", SECRET)
        .detection_strings(&["corp.example"])
        .start();
    let good = scslint_put(&["x.example"]);
    let wrong_instance = good.replace(
        ">Intel(r) AMT Environment Detection Settings</wsman:Selector>",
        ">Other</wsman:Selector>",
    );
    let (status, _) = post_with_digest(device.addr(HTTP_PORT), &wrong_instance);
    assert_eq!(status, 400);
    let wrong_ns = good.replace(
        "xmlns:h=\"http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData\"",
        "xmlns:h=\"urn:other\"",
    );
    let (status, _) = post_with_digest(device.addr(HTTP_PORT), &wrong_ns);
    assert_eq!(status, 400);
    assert_eq!(device.detection().strings, ["corp.example"]);
}

/// The Put body fix-plan prints for a profile whose corrected list is `list` plus `company.com`.
fn scslint_put(list: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("observed.toml"), OBSERVED).unwrap();
    let entries: String = list.iter().map(|e| format!("\"{e}\", ")).collect();
    std::fs::write(
        dir.path().join("config.json"),
        format!(
            "{{\"domains\": {{\"\": {{\"amtManager\": {{\"environmentDetection\": [{}]}}}}}}}}",
            entries.trim_end_matches(", ")
        ),
    )
    .unwrap();
    let (_, out) = plan(dir.path(), &["config.json", "--format", "json"]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    doc["profiles"][0]["wsman_put"]["envelope"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn human_plan_for_a_meshcentral_domain_and_nothing_to_do() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("observed.toml"), OBSERVED).unwrap();
    std::fs::write(
        dir.path().join("config.json"),
        "{\"domains\": {\"lab\": {\"amtManager\": {\"environmentDetection\": [\"Company.com.\", \"a.company.com\"]}}}}\n",
    )
    .unwrap();
    let (status, out) = plan(dir.path(), &["config.json"]);
    assert_eq!(status, 1);
    insta::assert_snapshot!("fix_plan_meshcentral", out);
    std::fs::write(
        dir.path().join("config.json"),
        "{\"domains\": {\"lab\": {\"amtManager\": {\"environmentDetection\": [\"company.com\"]}}}}\n",
    )
    .unwrap();
    let (status, out) = plan(dir.path(), &["config.json"]);
    assert_eq!(
        (status, out.as_str()),
        (
            0,
            "No profile needs a corrected list (1 profile checked).\n"
        )
    );
}

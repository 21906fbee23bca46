//! `scslint report` from the built binary: the demo in every format (JSON against
//! schemas/coverage.schema.json, CSV, Markdown, HTML), hostile names escaped, and the exit status
//! when something is missing or cannot be written.

mod support;

use serde_json::Value;
use support::{assert_conforms, root, scslint, write};

/// `scslint report` on the demo in `format`, run from the repository root.
fn demo(format: &str) -> (i32, String) {
    let out = scslint()
        .current_dir(root())
        .args([
            "report",
            "profiles",
            "--observed",
            "profiles/observed.toml",
            "--no-config",
            "--format",
            format,
        ])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn demo_json() -> Value {
    let (code, text) = demo("json");
    assert_eq!(code, 0, "{text}");
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_conforms("coverage.schema.json", &report);
    report
}

/// The state of profile `profile` on network `network` in a JSON report.
fn state<'a>(report: &'a Value, profile: &str, network: &str) -> &'a Value {
    let index = |key: &str, name: &str| {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .position(|x| x["name"] == name)
            .unwrap_or_else(|| panic!("no {key} named {name}"))
    };
    let (p, n) = (index("profiles", profile), index("networks", network));
    report["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["profile"] == p && c["network"] == n)
        .unwrap()
}

#[test]
fn demo_json_has_every_cell_and_follows_the_verdicts() {
    let report = demo_json();
    let profiles = report["profiles"].as_array().unwrap().len();
    let networks = report["networks"].as_array().unwrap().len();
    assert!(profiles > 5 && networks > 5);
    assert_eq!(
        report["cells"].as_array().unwrap().len(),
        profiles * networks
    );
    // profiles/rpc-go/office.yaml lists company.com and plant.corp.local.
    let cell = state(&report, "office", "hq-wired");
    assert_eq!(cell["state"], "inside");
    assert_eq!(cell["entry"], "company.com");
    assert_eq!(cell["matched"], "option15");
    assert_eq!(
        state(&report, "office", "plant-wired")["entry"],
        "plant.corp.local"
    );
    assert_eq!(state(&report, "office", "hotel")["state"], "outside");
    // The kiosk profile uses a static IP: detection does not run.
    let kiosk = state(&report, "Lobby Kiosk", "hq-wired");
    assert_eq!(kiosk["state"], "not-evaluated");
    assert!(kiosk["reason"].as_str().unwrap().contains("static"));
    // Sites come from `site` in the demo's observed.toml.
    let sites: Vec<&str> = report["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(sites, ["Berlin", "HQ", "Plant"]);
    // Per-profile totals agree with the cells they add up.
    let networks_json = report["networks"].as_array().unwrap();
    for (p, totals) in report["profile_totals"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let mut outside = 0;
        for cell in report["cells"].as_array().unwrap() {
            let n = &networks_json[cell["network"].as_u64().unwrap() as usize];
            if cell["profile"] == p && cell["state"] == "outside" && n["trust"] == "enterprise" {
                outside += n["hosts"].as_u64().unwrap_or(0);
            }
        }
        assert_eq!(totals["enterprise_outside"], outside, "profile {p}");
    }
    // The findings are those `check` reports for the same inputs.
    assert!(!report["findings"].as_array().unwrap().is_empty());
}

#[test]
fn demo_csv_has_one_row_per_cell() {
    let report = demo_json();
    let (code, text) = demo("csv");
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(&reader.headers().unwrap()[9], "state");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), report["cells"].as_array().unwrap().len());
    let office = rows
        .iter()
        .find(|r| &r[0] == "office" && &r[2] == "hq-wired")
        .unwrap();
    assert_eq!((&office[9], &office[10]), ("inside", "company.com"));
}

#[test]
fn demo_markdown_has_the_matrix_and_fits_a_step_summary() {
    let report = demo_json();
    let (code, text) = demo("markdown");
    assert_eq!(code, 0);
    assert!(text.len() < 1024 * 1024);
    assert!(text.contains("## Coverage matrix"));
    assert!(text.contains("## Sites"));
    let rows = text
        .split("## Coverage matrix")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.starts_with("## "))
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Profile"))
        .count();
    assert_eq!(rows, report["profiles"].as_array().unwrap().len());
}

#[test]
fn demo_html_is_self_contained_and_complete() {
    let report = demo_json();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    scslint()
        .current_dir(root())
        .args(["report", "profiles", "--observed", "profiles/observed.toml"])
        .args(["--no-config", "-o"])
        .arg(&out)
        .assert()
        .code(0)
        .stdout("");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for outside_reference in [
        "<script", "http:", "https:", "//", "src=", "url(", "@import",
    ] {
        assert!(
            !html.contains(outside_reference),
            "the report references something outside itself: {outside_reference}"
        );
    }
    let cells = report["cells"].as_array().unwrap().len();
    assert_eq!(html.matches("<td class=\"state ").count(), cells);
    assert!(html.contains("<caption>"));
    assert!(html.contains("<th scope=\"row\">"));
    assert!(html.contains("<svg role=\"img\""));
    assert!(html.contains("@media print"));
    // Every href points inside the document.
    for href in html.split("href=\"").skip(1) {
        assert!(href.starts_with('#'), "{}", &href[..20.min(href.len())]);
    }
    // A finding with its snippet, under its profile.
    assert!(html.contains("<h3>Profile "));
    assert!(html.contains("<pre aria-label=\"lines from "));
}

const HOSTILE_PROFILE: &str = "name: \"<script>alert('p')</script> & \\\"q\\\"\"\nconfiguration:\n  amtSpecific:\n    cira:\n      environmentDetection:\n        - \"company.com\"\n        - \"<b>x</b>.com\"\n";

const HOSTILE_OBSERVED: &str = "[[network]]\nname = \"<img src=x onerror=alert(1)>\"\nsuffix = \"company.com\"\nsite = \"\\\"&<i>site</i>\"\nhosts = 3\n\n[[network]]\nname = \"guest | </td>\"\nsuffix = \"x&y.example\"\ntrust = \"external\"\n";

#[test]
fn hostile_names_are_escaped_in_html_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p/evil.yaml", HOSTILE_PROFILE);
    write(dir.path(), "observed.toml", HOSTILE_OBSERVED);
    let run = |format: &str| {
        let out = scslint()
            .current_dir(dir.path())
            .args(["report", "p", "--observed", "observed.toml", "--no-config"])
            .args(["--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let html = run("html");
    for raw in ["<script", "<img", "<b>x", "<i>site", "</td>\"", "& \""] {
        assert!(!html.contains(raw), "unescaped {raw:?} in the HTML");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("x&amp;y.example"));
    assert!(html.contains("&quot;&amp;&lt;i&gt;site&lt;/i&gt;"));
    let markdown = run("markdown");
    for raw in ["<script", "<img", "<i>", "guest | "] {
        assert!(!markdown.contains(raw), "unescaped {raw:?} in the Markdown");
    }
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert_conforms("coverage.schema.json", &json);
    assert_eq!(
        json["profiles"][0]["name"],
        "<script>alert('p')</script> & \"q\""
    );
}

#[test]
fn without_observed_networks_it_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p/office.yaml", HOSTILE_PROFILE);
    let out = scslint()
        .current_dir(dir.path())
        .args(["report", "p", "--no-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no observed networks"));
}

#[test]
fn an_unwritable_output_fails_and_an_unreadable_input_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "observed.toml", HOSTILE_OBSERVED);
    write(dir.path(), "p/office.yaml", HOSTILE_PROFILE);
    write(
        dir.path(),
        "p/broken.xml",
        "<Profile><ProfileName>x</Profile",
    );
    let failed = scslint()
        .current_dir(dir.path())
        .args(["report", "p/office.yaml", "--observed", "observed.toml"])
        .args(["--no-config", "-o", "missing-folder/r.html"])
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&failed.stderr).contains("cannot write the report"));
    // A profile that cannot be parsed: the report is still written, lists it, and the run ends
    // in 2.
    let out = dir.path().join("r.json");
    scslint()
        .current_dir(dir.path())
        .args(["report", "p", "--observed", "observed.toml", "--no-config"])
        .args(["--format", "json", "-o"])
        .arg(&out)
        .assert()
        .code(2);
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_conforms("coverage.schema.json", &report);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"].as_str().unwrap().ends_with("broken.xml"))
    );
}

#[test]
fn sites_survive_a_collect_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("profiles/observed.toml"),
        dir.path().join("in.toml"),
    )
    .unwrap();
    scslint()
        .current_dir(dir.path())
        .args(["collect", "in.toml", "-o", "out.toml", "--no-config"])
        .assert()
        .code(0);
    let written = std::fs::read_to_string(dir.path().join("out.toml")).unwrap();
    assert_eq!(written.matches("site = ").count(), 5, "{written}");
    let out = scslint()
        .current_dir(root())
        .args(["report", "profiles/rpc-go/office.yaml", "--no-config"])
        .args(["--format", "json", "--observed"])
        .arg(dir.path().join("out.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_str(&String::from_utf8(out.stdout).unwrap()).unwrap();
    let hq = report["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "HQ")
        .unwrap();
    // hq-wired (420) and corp-wifi (310) are enterprise; visitor-wifi has no count.
    assert_eq!(hq["enterprise_hosts"], 730);
    assert_eq!(hq["profiles"][0]["enterprise"]["inside"], 730);
}

#[test]
fn scopes_read_from_dhcp_servers_are_grouped_by_server() {
    let out = scslint()
        .current_dir(root())
        .args(["report", "profiles/rpc-go/office.yaml", "--no-config"])
        .args(["--format", "json"])
        .args(["--observed", "tests/fixtures/dhcp/dhcpd.conf"])
        .args(["--observed", "tests/fixtures/dhcp/kea-dhcp4.conf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report: Value = serde_json::from_str(&String::from_utf8(out.stdout).unwrap()).unwrap();
    assert_conforms("coverage.schema.json", &report);
    let sites: Vec<&str> = report["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    // Each scope's site is the file it is defined in: dhcpd.conf includes sites/branch.conf,
    // kea-dhcp4.conf includes subnets.json.
    assert_eq!(
        sites,
        [
            "tests/fixtures/dhcp/dhcpd.conf",
            "tests/fixtures/dhcp/kea-dhcp4.conf",
            "tests/fixtures/dhcp/sites/branch.conf",
            "tests/fixtures/dhcp/subnets.json",
        ]
    );
    for n in report["networks"].as_array().unwrap() {
        match n["site_from"].as_str() {
            Some("dhcp-server") => assert!(sites.contains(&n["site"].as_str().unwrap())),
            // Networks known only from agent reports or host declarations have no server.
            _ => assert!(n["site"].is_null(), "{n}"),
        }
    }
}

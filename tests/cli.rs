//! The built binary end to end: exit statuses, JSON validated against its schema, human output,
//! explain/rules, config discovery, and the bundled demo.

mod support;

use std::collections::BTreeSet;
use support::{check_json, codes, root, scslint, write};

const CLEAN: &str = r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>company.com</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#;

const OBSERVED: &str = "[[network]]\nname = \"hq\"\nsuffix = \"site4.company.com\"\nhosts = 12\n";

#[test]
fn demo_reports_every_planted_mistake_and_nothing_on_clean_profiles() {
    let (status, report) = check_json(
        root(),
        &[
            "profiles",
            "--observed",
            "profiles/observed.toml",
            "--no-config",
        ],
    );
    assert_eq!(status, 1);
    let found: BTreeSet<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = [
        ("profiles/wsman/pc0423-ad-root.xml", "SL100"),
        ("profiles/wsman/lab-enumerate.xml", "SL010"),
        ("profiles/scs/berlin-branch.xml", "SL003"),
        ("profiles/scs/berlin-branch.xml", "SL100"),
        ("profiles/meshcentral/config.json", "SL011"),
        ("profiles/meshcentral/config.json", "SL100"),
        ("profiles/scs/kiosk-static.xml", "SL008"),
        ("profiles/scs/field-laptops.xml", "SL007"),
        ("profiles/scs/all-sites.xml", "SL005"),
        ("profiles/scs/all-sites.xml", "SL100"),
        ("profiles/meshcentral/config.json", "SL001"),
        ("profiles/meshcentral/config.json", "SL006"),
        ("profiles/meshcentral/config.json", "SL009"),
        ("profiles/meshcentral/config.json", "SL101"),
        ("profiles/rpc-go/roaming-cira-only.yaml", "SL009"),
    ];
    for (path, code) in expect {
        assert!(
            found.contains(&(path.to_owned(), code.to_owned())),
            "missing {code} in {path}: {found:?}"
        );
    }
    let paths: BTreeSet<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    for clean in [
        "profiles/wsman/hq-desktop.xml",
        "profiles/wsman/laptop-utf16.xml",
        "profiles/scs/hq-standard.xml",
        "profiles/rpc-go/office.yaml",
    ] {
        assert!(!paths.contains(clean), "{clean} is clean but was reported");
    }
    let default_domain = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["profile"] == "(default domain)");
    assert!(
        !default_domain,
        "the clean MeshCentral default domain was reported"
    );
    assert_eq!(report["summary"]["profiles"], 15);
    assert_eq!(report["summary"]["networks"], 8);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    // The plant hands out `plant.corp.local`, declared enterprise: the clean profiles list
    // `corp.local` and nothing calls the plant external.
    assert!(
        diagnostics
            .iter()
            .all(|d| d["code"] != "SL101" || !d["networks"].to_string().contains("plant-wired"))
    );
    // MeshCentral keeps four of the `plants` domain's five entries: the fifth is dropped, and
    // the plant it was for is outside.
    let plants: Vec<&serde_json::Value> = diagnostics
        .iter()
        .filter(|d| d["profile"] == "plants")
        .collect();
    let codes: Vec<&str> = plants.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["SL100", "SL011"], "{plants:?}");
    assert_eq!(plants[1]["home_domain"], "plant.corp.local");
    assert!(
        plants[0]["message"]
            .as_str()
            .unwrap()
            .contains("MeshCentral writes `company.com`"),
        "{}",
        plants[0]
    );
    // Berlin's `Company.COM.` matches three networks only if the firmware folds case.
    let berlin_sl003 = diagnostics.iter().find(|d| d["code"] == "SL003").unwrap();
    assert_eq!(
        berlin_sl003["networks"],
        serde_json::json!(["corp-wifi", "hq-wired", "vpn"])
    );
    // The article's mistake, underlined where it stands: one finding for the five networks it
    // leaves outside, with the unmatched entry's advice in it rather than an SL102 of its own.
    let in_ad_root: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "profiles/wsman/pc0423-ad-root.xml")
        .collect();
    assert_eq!(in_ad_root.len(), 1, "{in_ad_root:?}");
    let ad = in_ad_root[0];
    assert_eq!(ad["code"], "SL100");
    assert_eq!(
        ad["networks"],
        serde_json::json!([
            "berlin-wired",
            "corp-wifi",
            "hq-wired",
            "plant-wired",
            "vpn"
        ])
    );
    assert!(ad.get("network").is_none(), "{ad}");
    assert!(
        ad["message"]
            .as_str()
            .unwrap()
            .contains("(1029 hosts) match no home domain"),
        "{ad}"
    );
    assert_eq!(
        ad["label"],
        "`ad.company.local` matches no observed network; nearest observed suffix `company.com`"
    );
    assert_eq!(
        (
            ad["line"].as_u64(),
            ad["column"].as_u64(),
            ad["end_column"].as_u64()
        ),
        (Some(15), Some(27), Some(43))
    );
    assert!(
        ad["help"].as_str().unwrap().starts_with(
            "add `company.com` (for 4 networks) and `plant.corp.local` to the home domains;"
        ),
        "{ad}"
    );
    assert!(
        ad["message"]
            .as_str()
            .unwrap()
            .contains("on `vpn`, AMT will not count the host VPN"),
        "{ad}"
    );
    assert_eq!(ad["related"].as_array().unwrap().len(), 5);
    assert_eq!(ad["related"][0]["path"], "profiles/observed.toml");
}

#[test]
fn json_output_is_deterministic() {
    let args = [
        "profiles",
        "--observed",
        "profiles/observed.toml",
        "--no-config",
    ];
    let a = scslint()
        .current_dir(root())
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let b = scslint()
        .current_dir(root())
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn clean_run_exits_zero_with_an_empty_list() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p/desk.xml", CLEAN);
    write(dir.path(), "observed.toml", OBSERVED);
    let (status, report) = check_json(
        dir.path(),
        &["p", "--observed", "observed.toml", "--no-config"],
    );
    assert_eq!(status, 0);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    assert_eq!(report["summary"]["profiles"], 1);
}

#[test]
fn network_rules_run_only_with_observations() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.xml",
        &CLEAN.replace("company.com", "ad.company.local"),
    );
    write(dir.path(), "observed.toml", OBSERVED);
    let (status, report) = check_json(dir.path(), &["p.xml", "--no-config"]);
    assert_eq!((status, codes(&report)), (0, vec![]));
    assert_eq!(report["summary"]["network_rules"], "skipped");
    let (status, report) = check_json(
        dir.path(),
        &["p.xml", "--observed", "observed.toml", "--no-config"],
    );
    assert_eq!((status, codes(&report)), (1, vec!["SL100".to_owned()]));
    assert_eq!(report["summary"]["network_rules"], "run");
}

#[test]
fn a_run_without_networks_says_once_that_network_rules_were_skipped_and_how_to_give_them() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.xml", CLEAN);
    write(dir.path(), "q.xml", CLEAN);
    write(dir.path(), "observed.toml", OBSERVED);
    let human = |args: &[&str]| {
        let out = scslint()
            .current_dir(dir.path())
            .args(["check", "p.xml", "q.xml", "--no-config"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = human(&[]);
    assert_eq!(text.matches("network rules skipped").count(), 1, "{text}");
    let summary = text.lines().last().unwrap();
    for how in ["--observed FILE", "[observed] paths", "scslint collect"] {
        assert!(summary.contains(how), "{summary}");
    }
    let text = human(&["--observed", "observed.toml"]);
    assert!(!text.contains("skipped"), "{text}");
}

#[test]
fn walking_skips_other_files_but_naming_them_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p/desk.xml", CLEAN);
    write(dir.path(), "p/notes.txt", "call the DHCP team\n");
    write(
        dir.path(),
        "p/pom.xml",
        "<project><modelVersion>4.0.0</modelVersion></project>\n",
    );
    write(dir.path(), "p/package.json", "{\"name\": \"x\"}\n");
    write(
        dir.path(),
        "p/.hidden/bad.xml",
        "<Profile><broken></Profile>",
    );
    let (status, report) = check_json(dir.path(), &["p", "--no-config"]);
    assert_eq!((status, codes(&report)), (0, vec![]));
    assert_eq!(report["summary"]["profiles"], 1);
    let (status, report) = check_json(dir.path(), &["p/notes.txt", "p/pom.xml", "--no-config"]);
    assert_eq!(
        (status, codes(&report)),
        (2, vec!["SL053".to_owned(), "SL053".to_owned()])
    );
}

#[test]
fn human_output_underlines_without_colour_when_piped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.xml",
        &CLEAN.replace("company.com", "Company.COM."),
    );
    let out = scslint()
        .current_dir(dir.path())
        .args(["check", "p.xml", "--no-config"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "warnings only");
    assert!(text.contains("SL003(home-domain-not-canonical)"), "{text}");
    assert!(text.contains("[p.xml:3:"), "{text}");
    assert!(
        text.contains("────┬─────"),
        "the entry is underlined: {text}"
    );
    assert!(text.contains("help: write `company.com`"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    assert!(
        text.contains(
            "\nscslint: 0 errors, 1 warning, 0 infos in 1 profile (1 file); network rules skipped"
        ),
        "{text}"
    );
}

#[test]
fn terminal_escapes_from_input_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.xml",
        &CLEAN.replace("company.com", "evil&#x1b;[31m.com"),
    );
    let out = scslint()
        .current_dir(dir.path())
        .args(["check", "p.xml", "--no-config"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("SL001"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("\\x1b"), "escaped visibly: {text}");
}

#[test]
fn rules_lists_and_explain_documents_every_code() {
    let out = scslint().arg("rules").output().unwrap();
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    // Summaries wrap onto indented lines of their own.
    let codes: Vec<&str> = list
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(codes.len(), scslint_codes(), "{list}");
    for code in codes {
        let out = scslint().args(["explain", code]).output().unwrap();
        assert!(out.status.success(), "{code}");
        let text = String::from_utf8(out.stdout).unwrap();
        for part in [
            "What it catches",
            "Why it matters for AMT",
            "How to fix it",
            "Example",
        ] {
            assert!(text.contains(part), "{code} lacks {part}");
        }
    }
    let out = scslint()
        .args(["explain", "enterprise-network-outside"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("SL100 enterprise-network-outside (default: error)")
    );
    let out = scslint().args(["explain", "SL999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn usage_errors_exit_two() {
    let out = scslint()
        .args(["check", "--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = scslint()
        .args(["check", "--config", "x.toml", "--no-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn config_is_discovered_from_parents_and_can_be_ignored_or_named() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "scslint.toml",
        "[rules]\nSL003 = \"error\"\n[observed]\npaths = [\"observed.toml\"]\n",
    );
    write(dir.path(), "observed.toml", OBSERVED);
    write(
        dir.path(),
        "sub/p.xml",
        &CLEAN.replace("company.com", "Site4.Company.com"),
    );
    let sub = dir.path().join("sub");
    // Discovered from the parent: SL003 raised to error, observed networks from config (no SL100).
    let (status, report) = check_json(&sub, &["p.xml"]);
    assert_eq!((status, codes(&report)), (1, vec!["SL003".to_owned()]));
    assert_eq!(report["diagnostics"][0]["severity"], "error");
    assert_eq!(report["summary"]["networks"], 1);
    let (status, report) = check_json(&sub, &["p.xml", "--no-config"]);
    assert_eq!(
        (status, report["summary"]["networks"].as_u64()),
        (0, Some(0))
    );
    write(
        dir.path(),
        "quiet.toml",
        "[rules]\nhome-domain-not-canonical = \"off\"\n",
    );
    let (status, report) = check_json(&sub, &["p.xml", "--config", "../quiet.toml"]);
    assert_eq!((status, codes(&report)), (0, vec![]));
}

#[test]
fn config_errors_underline_the_key_and_stop_with_status_two() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "scslint.toml",
        "[rules]\nSL003 = \"off\"\n\n[limitz]\nmax = 3\n",
    );
    write(dir.path(), "p.xml", CLEAN);
    let out = scslint()
        .current_dir(dir.path())
        .args(["check", "p.xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("limitz") && err.contains("scslint.toml:4:"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn observed_networks_with_consumer_suffixes_are_external() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.xml", &CLEAN.replace("company.com", "box"));
    write(
        dir.path(),
        "observed.toml",
        "[[network]]\nname = \"branch\"\nsuffix = \"fritz.box\"\n",
    );
    let (status, report) = check_json(
        dir.path(),
        &["p.xml", "--observed", "observed.toml", "--no-config"],
    );
    assert_eq!(status, 1);
    assert_eq!(codes(&report), vec!["SL006".to_owned(), "SL101".to_owned()]);
    let sl101 = &report["diagnostics"][1];
    assert!(
        sl101["message"]
            .as_str()
            .unwrap()
            .contains("no trust declared; `fritz.box` is a known external suffix"),
        "{sl101}"
    );
}

/// Many enterprises hand out `corp.local`: declared (or collected from their DHCP server), it is
/// the enterprise, and a home domain that misses it is the misfire scslint exists for.
#[test]
fn a_declared_local_enterprise_stays_enterprise() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "observed.toml",
        "[[network]]\nname = \"hq\"\nsuffix = \"corp.local\"\ntrust = \"enterprise\"\nhosts = 40\n",
    );
    write(
        dir.path(),
        "dhcpd.conf",
        "subnet 10.9.0.0 netmask 255.255.255.0 {\n  range 10.9.0.10 10.9.0.99;\n  option domain-name \"branch.local\";\n}\n",
    );
    write(
        dir.path(),
        "good.xml",
        &CLEAN.replace("company.com", "corp.local"),
    );
    let (status, report) = check_json(
        dir.path(),
        &["good.xml", "--observed", "observed.toml", "--no-config"],
    );
    assert_eq!((status, codes(&report)), (0, vec![]), "{report}");
    write(
        dir.path(),
        "typo.xml",
        &CLEAN.replace("company.com", "typo.local"),
    );
    for observed in ["observed.toml", "dhcpd.conf"] {
        let (status, report) = check_json(
            dir.path(),
            &["typo.xml", "--observed", observed, "--no-config"],
        );
        assert_eq!(status, 1, "{report}");
        assert!(codes(&report).contains(&"SL100".to_owned()), "{report}");
        assert!(!codes(&report).contains(&"SL101".to_owned()), "{report}");
    }
}

/// Every code the library defines: the binary must list and explain each.
fn scslint_codes() -> usize {
    scslint::diagnostic::Code::ALL.len()
}

/// `inspect` on every kind: profiles with positions, networks of a snapshot and a DHCP
/// configuration, hosts of an agent report; JSON conforms to its schema.
#[test]
fn inspect_shows_what_was_read_from_every_kind() {
    let out = scslint()
        .current_dir(root())
        .args([
            "inspect",
            "--no-config",
            "--format",
            "json",
            "profiles/rpc-go/office.yaml",
            "profiles/meshcentral/config.json",
            "profiles/wsman/pc0423-ad-root.xml",
            "profiles/observed.toml",
            "tests/fixtures/dhcp/dhcpd.conf",
            "tests/fixtures/agents/meshcmd-amtinfo.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    support::assert_conforms("inspect.schema.json", &doc);
    let files = doc["files"].as_array().unwrap();
    let kinds: Vec<&str> = files.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "profile",
            "profile",
            "profile",
            "observation",
            "observation",
            "observation"
        ]
    );
    let office = &files[0]["profiles"][0];
    assert_eq!(
        office["detection"]["home_domains"][0]["value"],
        "company.com"
    );
    assert_eq!(office["detection"]["home_domains"][0]["line"], 26);
    assert_eq!(office["ip_mode"]["value"], "DHCP");
    assert_eq!(office["mps_servers"][0]["value"], "mps.company.com");
    let plants = files[1]["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "plants")
        .unwrap();
    assert_eq!(plants["detection"]["written"]["console"], "MeshCentral");
    assert_eq!(files[3]["networks"].as_array().unwrap().len(), 8);
    assert!(
        files[4]["networks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["file"].is_string())
    );
    assert_eq!(files[5]["hosts"][0]["suffix"], "plant.example.net");
}

/// The README's walkthrough: a real SCS export of unknown shape is listed leaf by leaf with a
/// starting mapping, and with that mapping in scslint.toml `check` reads it.
#[test]
fn inspect_lists_unknown_xml_and_its_mapping_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "export.xml",
        "<ScsExport>\n  <General><ProfileName>HQ</ProfileName></General>\n  <HomeDomainList>\n    <Entry>ad.company.local</Entry>\n  </HomeDomainList>\n</ScsExport>\n",
    );
    let out = scslint()
        .current_dir(dir.path())
        .args(["inspect", "--no-config", "export.xml"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("ScsExport/HomeDomainList/Entry = \"ad.company.local\" (line 4)"),
        "{text}"
    );
    let hint: String = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("[scs]"))
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    assert!(
        hint.contains("home_domains = [\"HomeDomainList/Entry\"]"),
        "{hint}"
    );
    write(dir.path(), "scslint.toml", &hint);
    write(dir.path(), "observed.toml", OBSERVED);
    let (status, report) = check_json(dir.path(), &["export.xml", "--observed", "observed.toml"]);
    assert_eq!(status, 1, "{report:#}");
    let d = &report["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["profile"].as_str()),
        (Some("SL100"), Some("HQ"))
    );
}

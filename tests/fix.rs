//! `check --fix`, `--unsafe-fixes` and `--diff` on every profile kind: the diff (snapshot), the
//! bytes outside the list left as they were (computed), the fixed file reading back, and a
//! second run finding nothing left to fix.

mod support;

use std::path::Path;
use support::scslint;

/// Two enterprise networks: `company.com` and one no profile here covers.
const OBSERVED: &str = r#"[[network]]
name = "hq"
suffix = "company.com"
trust = "enterprise"

[[network]]
name = "plant"
suffix = "plant.example.net"
trust = "enterprise"
"#;

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = scslint()
        .current_dir(dir)
        .args(["check", "--no-config", "--observed", "observed.toml"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Where `a` and `b` differ: the byte range of `a` that was replaced (common prefix and suffix
/// taken off).
fn changed_range(a: &[u8], b: &[u8]) -> std::ops::Range<usize> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    prefix..a.len() - suffix
}

/// A profile file, the fixes asked for, and the first and last line of its list (the only
/// lines a fix may touch).
struct Case<'a> {
    name: &'a str,
    file: &'a str,
    bytes: Vec<u8>,
    unsafe_fixes: bool,
    list: (&'a str, &'a str),
}

fn round_trip(case: Case) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("observed.toml"), OBSERVED).unwrap();
    let path = dir.path().join(case.file);
    std::fs::write(&path, &case.bytes).unwrap();
    let mut flags = vec![case.file];
    if case.unsafe_fixes {
        flags.push("--unsafe-fixes");
    }

    // --diff: the change as a unified diff, exit 1, nothing written.
    let (status, diff, stderr) = run(dir.path(), &[&flags[..], &["--diff"]].concat());
    assert_eq!(status, 1, "{stderr}");
    assert!(
        diff.starts_with(&format!("--- a/{0}\n+++ b/{0}\n", case.file)),
        "{diff}"
    );
    assert!(stderr.contains("--fix would apply"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), case.bytes, "--diff wrote");
    insta::assert_snapshot!(format!("fix_diff_{}", case.name), diff);

    // --fix: the same change written; only the list's lines differ.
    let (_, _, stderr) = run(
        dir.path(),
        &[&flags[..], &["--fix", "--format", "concise"]].concat(),
    );
    assert!(stderr.contains(&format!("in {}", case.file)), "{stderr}");
    let fixed = std::fs::read(&path).unwrap();
    assert_ne!(fixed, case.bytes);
    let text = |bytes: &[u8]| -> String { scslint_text(bytes) };
    let (before, after) = (text(&case.bytes), text(&fixed));
    let first = before.find(case.list.0).expect("first list line");
    let last = before.rfind(case.list.1).expect("last list line") + case.list.1.len();
    let range = changed_range(before.as_bytes(), after.as_bytes());
    assert!(
        first <= range.start && range.end <= last + 2,
        "bytes outside the list changed: {range:?} not within {first}..{last}\n{after}"
    );
    // The encoding and byte-order mark are kept.
    assert_eq!(fixed.get(..2), case.bytes.get(..2));
    // It reads back and nothing is left to fix.
    let (status, out, stderr) = run(dir.path(), &[case.file, "--format", "json"]);
    assert_ne!(status, 2, "{out}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["summary"]["unreadable"], 0, "{out}");
    let (status, diff, stderr) = run(dir.path(), &[&flags[..], &["--diff"]].concat());
    assert_eq!((status, diff.as_str()), (0, ""), "{stderr}");
}

/// The text of a file as scslint decodes it (UTF-8, or UTF-16 with a byte-order mark).
fn scslint_text(bytes: &[u8]) -> String {
    match bytes {
        [0xFF, 0xFE, rest @ ..] => String::from_utf16(
            &rest
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        )
        .unwrap(),
        _ => String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

const WSMAN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope" xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <a:Body><g:AMT_EnvironmentDetectionSettingData>
    <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
    <g:DetectionStrings>R&amp;D.Example.ORG.</g:DetectionStrings>
    <g:DetectionStrings>Company.com</g:DetectionStrings>
    <g:DetectionStrings>vpn.company.com</g:DetectionStrings>
    <g:ElementName>Intel(r) AMT Environment Detection Settings</g:ElementName>
  </g:AMT_EnvironmentDetectionSettingData></a:Body>
</a:Envelope>
"#;

#[test]
fn wsman_xml_with_an_escaped_entry() {
    round_trip(Case {
        name: "wsman",
        file: "pc0423.xml",
        bytes: WSMAN.as_bytes().to_vec(),
        unsafe_fixes: false,
        list: (
            "    <g:DetectionStrings>R&amp;",
            "vpn.company.com</g:DetectionStrings>",
        ),
    });
}

#[test]
fn wsman_xml_in_utf16_with_crlf_and_unsafe_fixes() {
    let text = WSMAN.replace('\n', "\r\n");
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    round_trip(Case {
        name: "wsman_utf16",
        file: "pc0424.xml",
        bytes,
        unsafe_fixes: true,
        list: (
            "    <g:DetectionStrings>R&amp;",
            "vpn.company.com</g:DetectionStrings>\r\n",
        ),
    });
}

#[test]
fn scs_profile_through_the_default_mapping() {
    let text = "<?xml version=\"1.0\"?>\n<Profile>\n  <ProfileName>HQ</ProfileName>\n  <EnvironmentDetection>\n    <HomeDomains>\n      <Domain>company.com</Domain>\n      <Domain>3fa85f64c2d1</Domain>\n      <Domain>lab.company.com</Domain>\n    </HomeDomains>\n  </EnvironmentDetection>\n  <RemoteAccess/>\n</Profile>\n";
    round_trip(Case {
        name: "scs",
        file: "hq-profile.xml",
        bytes: text.as_bytes().to_vec(),
        unsafe_fixes: true,
        list: ("      <Domain>company.com", "lab.company.com</Domain>\n"),
    });
}

#[test]
fn meshcentral_pretty_json() {
    let text = "{\n  \"settings\": { \"cert\": \"mesh.company.com\" },\n  \"domains\": {\n    \"\": {\n      \"amtManager\": {\n        \"environmentDetection\": [\n          \"Company.com.\",\n          \"vpn.company.com\",\n          \"3fa85f64c2d1\"\n        ]\n      }\n    }\n  }\n}\n";
    round_trip(Case {
        name: "meshcentral",
        file: "config.json",
        bytes: text.as_bytes().to_vec(),
        unsafe_fixes: true,
        list: ("          \"Company.com.\"", "\"3fa85f64c2d1\"\n"),
    });
}

#[test]
fn meshcentral_minified_json() {
    let text = r#"{"domains":{"lab":{"amtManager":{"environmentDetection":["company.com","a.company.com"]}},"":{"title":"x"}}}"#;
    round_trip(Case {
        name: "meshcentral_minified",
        file: "config.json",
        bytes: text.as_bytes().to_vec(),
        unsafe_fixes: true,
        list: ("\"company.com\"", "\"a.company.com\"]"),
    });
}

#[test]
fn rpcgo_yaml_block_list() {
    let text = "name: office\nconfiguration:\n  amtSpecific:\n    cira:\n      mpsAddress: mps.company.com\n      environmentDetection:\n        - company.com\n        - lab.company.com   # the lab\n        - \"Com\"\n  network:\n    wired: { dhcpEnabled: true }\n";
    round_trip(Case {
        name: "rpcgo_block",
        file: "office.yaml",
        bytes: text.as_bytes().to_vec(),
        unsafe_fixes: true,
        list: ("        - company.com", "\"Com\"\n"),
    });
}

#[test]
fn rpcgo_yaml_flow_list() {
    let text = "name: branch\nconfiguration:\n  amtSpecific:\n    cira:\n      environmentDetection: [Company.com, vpn.company.com]\n  network: {}\n";
    round_trip(Case {
        name: "rpcgo_flow",
        file: "branch.yaml",
        bytes: text.as_bytes().to_vec(),
        unsafe_fixes: false,
        list: ("[Company.com", "vpn.company.com]"),
    });
}

#[test]
fn nothing_to_fix_exits_zero_and_unsafe_fixes_wait_to_be_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("observed.toml"), OBSERVED).unwrap();
    let yaml =
        "configuration:\n  amtSpecific:\n    cira:\n      environmentDetection: [company.com]\n";
    std::fs::write(dir.path().join("p.yaml"), yaml).unwrap();
    // Only SL100's unsafe proposal: --diff has nothing to do without --unsafe-fixes.
    let (status, diff, stderr) = run(dir.path(), &["p.yaml", "--diff"]);
    assert_eq!((status, diff.as_str()), (0, ""), "{stderr}");
    assert!(
        stderr.contains("1 more fix is available with --unsafe-fixes"),
        "{stderr}"
    );
    let (status, _, stderr) = run(dir.path(), &["p.yaml", "--fix"]);
    assert_eq!(status, 1, "SL100 remains: {stderr}");
    assert!(
        stderr.contains("fixed 0 findings (1 remaining); 1 more fix"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.yaml")).unwrap(),
        yaml
    );
    // A plain check says what is fixable.
    let (_, _, stderr) = run(dir.path(), &["p.yaml"]);
    assert!(
        stderr.contains("1 finding is fixable with `check --fix --unsafe-fixes`"),
        "{stderr}"
    );
}

#[test]
fn fixing_refuses_the_git_index_and_unsafe_fixes_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = scslint()
        .current_dir(dir.path())
        .args(["check", "--staged", "--fix"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--staged checks git's index"), "{stderr}");
    let out = scslint()
        .current_dir(dir.path())
        .args(["check", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("goes with --fix or --diff"));
}

//! Bad input end to end: files that cannot be read, parsed or recognised are reported with
//! SL050-SL053 at the right place, the exit status is 2, and every other input in the same run is
//! still read and checked.
//!
//! Cases that are plain files are data: each folder under tests/bad_input/ holds the inputs and an
//! `args` file (one argument per line), run from that folder; the exit status and both output
//! streams are an insta snapshot (`bad_input__CASE.snap`). Cases that need a FIFO, a size or a
//! timing are written as tests below.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;

/// A clean WS-Management instance: no findings of its own.
const GOOD_WSMAN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>company.com</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#;

/// Readable, but its only home domain is not canonical: SL003 on line 4, column 23.
const NONCANONICAL_WSMAN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>Company.COM.</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#;
const NONCANONICAL_LINE: u64 = 4;
const NONCANONICAL_COLUMN: u64 = 23;

/// Generous enough for a debug build on a slow machine; a hang or runaway read fails instead of
/// blocking the suite.
const TIMEOUT: Duration = Duration::from_secs(60);

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

fn scslint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("scslint").unwrap();
    cmd.current_dir(dir).timeout(TIMEOUT);
    cmd
}

struct Run {
    status: i32,
    report: Value,
}

impl Run {
    fn diagnostics(&self) -> &Vec<Value> {
        self.report["diagnostics"].as_array().unwrap()
    }

    fn for_path(&self, path: &str) -> Vec<&Value> {
        self.diagnostics()
            .iter()
            .filter(|d| d["path"] == path)
            .collect()
    }

    /// The one diagnostic reported for `path`.
    fn only(&self, path: &str) -> &Value {
        let found = self.for_path(path);
        assert_eq!(
            found.len(),
            1,
            "expected exactly one diagnostic for {path}: {:#}",
            self.report
        );
        found[0]
    }

    fn summary(&self, key: &str) -> u64 {
        self.report["summary"][key]
            .as_u64()
            .unwrap_or_else(|| panic!("summary.{key} missing: {:#}", self.report))
    }
}

/// `scslint check --no-config --format json <args>` in `dir`.
fn check(dir: &Path, args: &[&str]) -> Run {
    let output = scslint(dir)
        .args(["check", "--no-config", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let Some(status) = output.status.code() else {
        panic!(
            "scslint did not exit normally ({:?}); stderr:\n{stderr}",
            output.status
        );
    };
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    assert_eq!(report["version"], 1, "{report:#}");
    Run { status, report }
}

/// Assert an input-problem diagnostic: code, error severity, path and start position.
fn assert_at(d: &Value, code: &str, path: &str, line: u64, column: u64) {
    assert_eq!(d["code"], code, "{d:#}");
    assert_eq!(d["severity"], "error", "{d:#}");
    assert_eq!(d["path"], path, "{d:#}");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(line), Some(column)),
        "{d:#}"
    );
}

fn message(d: &Value) -> &str {
    d["message"].as_str().unwrap_or_default()
}

/// The clean profile next to the bad input was read and produced nothing.
fn assert_good_checked(run: &Run, good: &str, profiles: u64) {
    assert!(
        run.for_path(good).is_empty(),
        "the good profile has no findings: {:#}",
        run.report
    );
    assert_eq!(run.summary("profiles"), profiles, "{:#}", run.report);
}

/// The non-canonical profile next to the bad input was read and checked.
fn assert_sl003(run: &Run, path: &str) {
    let d = run.only(path);
    assert_eq!(d["code"], "SL003", "{d:#}");
    assert_eq!(d["path"], path, "{d:#}");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(NONCANONICAL_LINE), Some(NONCANONICAL_COLUMN)),
        "{d:#}"
    );
    assert!(message(d).contains("Company.COM."), "{d:#}");
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if big_endian {
            [0xFE, 0xFF]
        } else {
            [0xFF, 0xFE]
        });
    }
    for unit in text.encode_utf16() {
        out.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[test]
fn mismatched_end_tag_is_malformed_at_its_line() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "bad.xml",
        "<?xml version=\"1.0\"?>\n<Profile>\n  <a></b>\n</Profile>\n",
    );
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["bad.xml", "good.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("bad.xml");
    // `</b>` starts at column 6 of line 3.
    assert_at(d, "SL051", "bad.xml", 3, 6);
    assert!(message(d).contains("</b>"), "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
    assert_eq!(run.summary("files"), 2);
    assert_eq!(run.summary("unreadable"), 1);
    assert_eq!(run.summary("errors"), 1);
}

#[test]
fn meshcentral_json_with_a_missing_value_is_malformed_at_its_line() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "config.json",
        "{\n  \"domains\": {\n    \"\": {\n      \"amtManager\": { \"environmentDetection\": }\n    }\n  }\n}\n",
    );
    write(dir.path(), "noncanonical.xml", NONCANONICAL_WSMAN);
    let run = check(dir.path(), &["config.json", "noncanonical.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("config.json");
    // The `}` where the value should be: line 4, column 47.
    assert_at(d, "SL051", "config.json", 4, 47);
    assert!(message(d).contains("JSON"), "{d:#}");
    assert_sl003(&run, "noncanonical.xml");
    assert_eq!(run.summary("profiles"), 1);
}

#[test]
fn observed_toml_with_a_syntax_error_is_malformed_and_profiles_are_still_checked() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "observed.toml",
        "[[network]]\nname = \"hq\"\nsuffix = \"company.com\"\n\n[[network]]\nname = \"lab\nsuffix = \"lab.company.com\"\n",
    );
    write(dir.path(), "noncanonical.xml", NONCANONICAL_WSMAN);
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(
        dir.path(),
        &[
            "--observed",
            "observed.toml",
            "noncanonical.xml",
            "good.xml",
        ],
    );
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("observed.toml");
    assert_eq!(d["code"], "SL051", "{d:#}");
    // The unterminated string opens on line 6.
    assert_eq!(d["line"], 6, "{d:#}");
    assert!(d["column"].as_u64().unwrap() >= 8, "{d:#}");
    assert_sl003(&run, "noncanonical.xml");
    assert_good_checked(&run, "good.xml", 2);
    assert_eq!(run.summary("networks"), 0);
    assert_eq!(run.summary("unreadable"), 1);
}

#[test]
fn observed_toml_with_an_unknown_key_is_malformed_at_the_key() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "observed.toml",
        "[[network]]\nname = \"hq\"\nsufix = \"company.com\"\n",
    );
    write(dir.path(), "noncanonical.xml", NONCANONICAL_WSMAN);
    let run = check(
        dir.path(),
        &["--observed", "observed.toml", "noncanonical.xml"],
    );
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("observed.toml");
    assert_at(d, "SL051", "observed.toml", 3, 1);
    assert!(message(d).contains("`sufix`"), "{d:#}");
    assert_sl003(&run, "noncanonical.xml");
    assert_eq!(run.summary("profiles"), 1);
}

#[test]
fn empty_file_named_explicitly_is_unreadable() {
    for (name, bytes) in [("empty.xml", &b""[..]), ("blank.xml", &b"  \n\t\n"[..])] {
        let dir = TempDir::new().unwrap();
        write(dir.path(), name, bytes);
        write(dir.path(), "good.xml", GOOD_WSMAN);
        let run = check(dir.path(), &[name, "good.xml"]);
        assert_eq!(run.status, 2, "{:#}", run.report);
        let d = run.only(name);
        assert_at(d, "SL050", name, 1, 1);
        assert!(message(d).contains("empty"), "{d:#}");
        assert_good_checked(&run, "good.xml", 1);
        assert_eq!(run.summary("unreadable"), 1);
    }
}

#[test]
fn empty_observed_file_is_unreadable_not_all_clear() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "observed.toml", "\n");
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["good.xml", "--observed", "observed.toml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("observed.toml");
    assert_at(d, "SL050", "observed.toml", 1, 1);
    assert!(message(d).contains("empty"), "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
}

#[test]
fn top_level_json_that_is_not_meshcentral_is_unrecognised_as_json() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "list.json", "\n[1, 2]\n");
    let run = check(dir.path(), &["list.json"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("list.json");
    assert_at(d, "SL053", "list.json", 2, 1);
    assert!(message(d).contains("no MeshCentral `domains`"), "{d:#}");
}

#[test]
fn empty_file_in_a_walked_folder_is_skipped_silently() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "profiles/empty.xml", "");
    write(dir.path(), "profiles/good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["profiles"]);
    assert_eq!(run.status, 0, "{:#}", run.report);
    assert!(run.diagnostics().is_empty(), "{:#}", run.report);
    assert_eq!(run.summary("profiles"), 1, "the folder was walked");
    assert_eq!(run.summary("files"), 1, "the empty file is not counted");
    assert_eq!(run.summary("unreadable"), 0);
}

#[test]
fn utf8_bom_is_read_and_positions_ignore_it() {
    let dir = TempDir::new().unwrap();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(NONCANONICAL_WSMAN.as_bytes());
    write(dir.path(), "bom.xml", bytes);
    let run = check(dir.path(), &["bom.xml"]);
    // A warning only: the file was read, nothing is an input problem.
    assert_eq!(run.status, 0, "{:#}", run.report);
    assert_sl003(&run, "bom.xml");
    assert_eq!(run.summary("unreadable"), 0);
    assert_eq!(run.summary("profiles"), 1);
}

#[test]
fn utf16_documents_with_a_byte_order_mark_are_read() {
    let dir = TempDir::new().unwrap();
    let text = GOOD_WSMAN.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
    write(dir.path(), "le.xml", utf16(&text, false, true));
    write(dir.path(), "be.xml", utf16(&text, true, true));
    // Without a BOM, the `<?xml` declaration still gives the byte order away.
    write(dir.path(), "le-nobom.xml", utf16(&text, false, false));
    let run = check(dir.path(), &["le.xml", "be.xml", "le-nobom.xml"]);
    assert_eq!(run.status, 0, "{:#}", run.report);
    assert!(run.diagnostics().is_empty(), "{:#}", run.report);
    assert_eq!(run.summary("profiles"), 3);
    assert_eq!(run.summary("unreadable"), 0);
}

#[test]
fn utf16_findings_point_at_the_right_line() {
    let dir = TempDir::new().unwrap();
    let text = NONCANONICAL_WSMAN.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
    write(dir.path(), "le.xml", utf16(&text, false, true));
    write(dir.path(), "be.xml", utf16(&text, true, true));
    let run = check(dir.path(), &["le.xml", "be.xml"]);
    assert_eq!(run.status, 0, "{:#}", run.report);
    assert_sl003(&run, "le.xml");
    assert_sl003(&run, "be.xml");
    assert_eq!(run.summary("unreadable"), 0);
}

#[test]
fn invalid_utf8_is_unreadable_at_the_bad_byte() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "latin1.xml",
        b"<Profile>\n  <ProfileName>Caf\xFF</ProfileName>\n</Profile>\n",
    );
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["latin1.xml", "good.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("latin1.xml");
    // 0xFF follows `  <ProfileName>Caf` on line 2.
    assert_at(d, "SL050", "latin1.xml", 2, 19);
    assert!(message(d).contains("UTF-8"), "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
}

#[test]
fn huge_file_is_refused_without_reading_it() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("huge.xml");
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(b"<Profile>").unwrap();
        file.set_len(100 * 1024 * 1024).unwrap();
    }
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["huge.xml", "good.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("huge.xml");
    assert_at(d, "SL050", "huge.xml", 1, 1);
    assert!(message(d).contains("MiB"), "{d:#}");
    assert!(message(d).contains("100.0 MiB"), "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
}

#[test]
fn doctype_with_entity_expansion_is_refused() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "lolz.xml",
        r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Profile><ProfileName>&lol9;</ProfileName></Profile>
"#,
    );
    // The same attack with the DOCTYPE on the first line.
    write(
        dir.path(),
        "lolz-first.xml",
        "<!DOCTYPE Profile [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<Profile>&b;</Profile>\n",
    );
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["lolz.xml", "lolz-first.xml", "good.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("lolz.xml");
    assert_at(d, "SL051", "lolz.xml", 2, 1);
    assert!(message(d).contains("DOCTYPE"), "{d:#}");
    let d = run.only("lolz-first.xml");
    assert_at(d, "SL051", "lolz-first.xml", 1, 1);
    assert!(message(d).contains("DOCTYPE"), "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
    assert_eq!(run.summary("unreadable"), 2);
}

#[test]
fn undefined_entity_reference_is_refused_at_the_reference() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "entity.xml",
        "<Profile>\n  <ProfileName>x &foo; y</ProfileName>\n</Profile>\n",
    );
    write(dir.path(), "noncanonical.xml", NONCANONICAL_WSMAN);
    let run = check(dir.path(), &["entity.xml", "noncanonical.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("entity.xml");
    // `&foo;` starts at column 18 of line 2.
    assert_at(d, "SL051", "entity.xml", 2, 18);
    assert!(message(d).contains("&foo;"), "{d:#}");
    assert_sl003(&run, "noncanonical.xml");
}

#[test]
fn deeply_nested_xml_is_refused_without_crashing() {
    let dir = TempDir::new().unwrap();
    let depth = 100_000;
    let xml = format!(
        "<Profile>\n{}{}\n</Profile>\n",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    write(dir.path(), "deep.xml", xml);
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["deep.xml", "good.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("deep.xml");
    assert_eq!(d["code"], "SL051", "{d:#}");
    assert_eq!(d["line"], 2, "{d:#}");
    assert!(message(d).contains("nested"), "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
}

#[test]
fn deeply_nested_json_is_refused_without_crashing() {
    let dir = TempDir::new().unwrap();
    let depth = 100_000;
    write(
        dir.path(),
        "deep-arrays.json",
        format!(
            "{{\"domains\": {}{}}}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    write(
        dir.path(),
        "deep-objects.json",
        format!(
            "{{\"domains\": {}1{}}}\n",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        ),
    );
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(
        dir.path(),
        &["deep-arrays.json", "deep-objects.json", "good.xml"],
    );
    assert_eq!(run.status, 2, "{:#}", run.report);
    for path in ["deep-arrays.json", "deep-objects.json"] {
        let d = run.only(path);
        assert_eq!(d["code"], "SL051", "{d:#}");
        assert_eq!(d["line"], 1, "{d:#}");
        assert!(message(d).contains("JSON"), "{d:#}");
    }
    assert_good_checked(&run, "good.xml", 1);
    assert_eq!(run.summary("unreadable"), 2);
}

/// Not recognisably a profile (no MeshCentral `domains`): named, it is unrecognised, not malformed.
#[test]
fn deeply_nested_top_level_json_array_completes() {
    let dir = TempDir::new().unwrap();
    let depth = 100_000;
    write(
        dir.path(),
        "brackets.json",
        format!("{}{}\n", "[".repeat(depth), "]".repeat(depth)),
    );
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["brackets.json", "good.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("brackets.json");
    assert_eq!(d["code"], "SL053", "{d:#}");
    assert!(message(d).contains("not a profile"), "{d:#}");
    assert_eq!(d["line"], 1, "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
}

#[test]
fn xml_encrypted_profile_asks_for_the_decrypted_export() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "encrypted.xml",
        r#"<?xml version="1.0" encoding="utf-8"?>
<Profile>
  <EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element">
    <EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/>
    <CipherData>
      <CipherValue>q8Zr1m0VY2h0c2VjcmV0cGF5bG9hZA==</CipherValue>
    </CipherData>
  </EncryptedData>
</Profile>
"#,
    );
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["encrypted.xml", "good.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("encrypted.xml");
    assert_at(d, "SL052", "encrypted.xml", 3, 3);
    let help = d["help"].as_str().unwrap_or_default();
    assert!(help.contains("decrypt") && help.contains("export"), "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
}

fn base64_blob() -> String {
    // Deterministic bytes, encoded by hand and wrapped at 76 columns like a saved export.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let encoded: Vec<u8> = (0..800u32)
        .map(|i| ALPHABET[((i * 37 + 11) % 64) as usize])
        .collect();
    let mut text = String::new();
    for line in encoded.chunks(76) {
        text.push_str(std::str::from_utf8(line).unwrap());
        text.push('\n');
    }
    text
}

#[test]
fn base64_blob_is_an_encrypted_profile() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "branch.profile", base64_blob());
    write(dir.path(), "noncanonical.xml", NONCANONICAL_WSMAN);
    let run = check(dir.path(), &["branch.profile", "noncanonical.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("branch.profile");
    assert_at(d, "SL052", "branch.profile", 1, 1);
    let help = d["help"].as_str().unwrap_or_default();
    assert!(help.contains("decrypt") && help.contains("export"), "{d:#}");
    assert_sl003(&run, "noncanonical.xml");
}

#[test]
fn encrypted_profiles_found_by_walking_are_still_reported() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "profiles/branch.profile", base64_blob());
    write(dir.path(), "profiles/good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["profiles"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    assert_at(
        run.only("profiles/branch.profile"),
        "SL052",
        "profiles/branch.profile",
        1,
        1,
    );
    assert_good_checked(&run, "profiles/good.xml", 1);
}

#[test]
fn plain_text_named_explicitly_is_unrecognised() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "notes.txt",
        "Notes from the AMT rollout meeting.\nAsk IT about DHCP option 15 on the guest VLAN.\n",
    );
    write(
        dir.path(),
        "project.xml",
        "<?xml version=\"1.0\"?>\n<Project>\n  <Name>x</Name>\n</Project>\n",
    );
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["notes.txt", "project.xml", "good.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("notes.txt");
    assert_at(d, "SL053", "notes.txt", 1, 1);
    let d = run.only("project.xml");
    assert_at(d, "SL053", "project.xml", 2, 1);
    assert!(message(d).contains("`Project`"), "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
    assert_eq!(run.summary("unreadable"), 2);
}

#[test]
fn unrecognised_files_in_a_walked_folder_are_skipped() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "profiles/notes.txt",
        "Notes from the AMT rollout meeting.\nAsk IT about DHCP option 15 on the guest VLAN.\n",
    );
    write(
        dir.path(),
        "profiles/project.xml",
        "<?xml version=\"1.0\"?>\n<Project>\n  <Name>x</Name>\n</Project>\n",
    );
    write(dir.path(), "profiles/good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["profiles"]);
    assert_eq!(run.status, 0, "{:#}", run.report);
    assert!(run.diagnostics().is_empty(), "{:#}", run.report);
    assert_eq!(run.summary("profiles"), 1, "the folder was walked");
    assert_eq!(run.summary("files"), 1);
    assert_eq!(run.summary("unreadable"), 0);
}

#[test]
fn missing_path_is_unreadable() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["nope/missing.xml", "good.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("nope/missing.xml");
    assert_at(d, "SL050", "nope/missing.xml", 1, 1);
    assert!(message(d).to_lowercase().contains("no such file"), "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
    assert_eq!(run.summary("unreadable"), 1);
}

#[test]
fn undeclared_namespace_prefix_is_malformed_at_the_element() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "prefix.xml",
        "<Profile>\n  <EnvironmentDetection>\n    <x:HomeDomains>\n    </x:HomeDomains>\n  </EnvironmentDetection>\n</Profile>\n",
    );
    write(dir.path(), "noncanonical.xml", NONCANONICAL_WSMAN);
    let run = check(dir.path(), &["prefix.xml", "noncanonical.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("prefix.xml");
    assert_at(d, "SL051", "prefix.xml", 3, 5);
    assert!(message(d).contains("`x`"), "{d:#}");
    assert!(message(d).contains("not declared"), "{d:#}");
    assert_sl003(&run, "noncanonical.xml");
}

#[test]
fn human_output_names_the_file_and_code_without_colour_when_piped() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "bad.xml",
        "<?xml version=\"1.0\"?>\n<Profile>\n  <a></b>\n</Profile>\n",
    );
    write(dir.path(), "noncanonical.xml", NONCANONICAL_WSMAN);
    let output = scslint(dir.path())
        .env_remove("NO_COLOR")
        .args(["check", "--no-config", "bad.xml", "noncanonical.xml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("SL051"), "{stdout}");
    assert!(stdout.contains("bad.xml:3:6"), "{stdout}");
    assert!(stdout.contains("SL003"), "{stdout}");
    assert!(stdout.contains("noncanonical.xml:4:23"), "{stdout}");
    assert!(
        !stdout.contains('\x1b'),
        "no ANSI escapes in piped output:\n{stdout:?}"
    );
}

/// A repository's ordinary files are not profiles: walked, they are skipped without a word, even
/// when they open with `[`, `{` or `<` or are broken; only the profile among them is read.
#[test]
fn ordinary_repository_files_are_skipped_when_walked() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"x\"\n[tool.ruff]\nline-length = 100\n",
    );
    write(dir.path(), "setup.ini", "[metadata]\nname = x\n");
    write(
        dir.path(),
        "web/page.html.j2",
        "{% for x in items %}\n<p>{{ x }}</p>\n{% endfor %}\n",
    );
    write(
        dir.path(),
        "web/package.json",
        "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
    );
    write(dir.path(), "web/broken.json", "[\n  1, 2,\n");
    write(dir.path(), "web/pom.xml", "<project><build>\n");
    write(
        dir.path(),
        "web/icon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n",
    );
    write(
        dir.path(),
        ".github/ci.yaml",
        "name: ci\non: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n",
    );
    write(dir.path(), "deploy.yaml", "name: deploy\nsteps:\n\t- run\n");
    write(dir.path(), "profiles/office.yaml", RPCGO_NONCANONICAL);
    let run = check(dir.path(), &["."]);
    assert_eq!(run.status, 0, "a warning only: {:#}", run.report);
    let codes: Vec<&str> = run
        .diagnostics()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SL003"], "{:#}", run.report);
    assert_eq!(run.summary("profiles"), 1);
}

/// Named explicitly, an ordinary file is SL053 (not a profile), never SL051 (malformed).
#[test]
fn ordinary_files_named_explicitly_are_unrecognised_not_malformed() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "pyproject.toml", "[project]\nname = \"x\"\n");
    write(dir.path(), "pom.xml", "<project><build>\n");
    write(dir.path(), "ci.yaml", "name: ci\non: push\n");
    let run = check(dir.path(), &["pyproject.toml", "pom.xml", "ci.yaml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    for path in ["pyproject.toml", "pom.xml", "ci.yaml"] {
        let d = run.only(path);
        assert_eq!(d["code"], "SL053", "{d:#}");
        assert!(message(d).starts_with("not a profile"), "{d:#}");
    }
}

/// rpc-go profile with an upper-case home domain: SL003 on line 9, column 11.
const RPCGO_NONCANONICAL: &str = "\
name: office
configuration:
  network:
    wired: {dhcpEnabled: true}
  amtSpecific:
    cira:
      mpsAddress: mps.company.com
      environmentDetection:
        - Company.COM
";

#[test]
fn rpcgo_profiles_are_read_with_positions() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "office.yaml", RPCGO_NONCANONICAL);
    let run = check(dir.path(), &["office.yaml"]);
    let d = run.only("office.yaml");
    assert_eq!(d["code"], "SL003", "{d:#}");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(9), Some(11))
    );
    assert_eq!(d["profile"], "office", "{d:#}");
}

#[test]
fn malformed_rpcgo_yaml_is_reported_and_other_files_are_read() {
    let dir = TempDir::new().unwrap();
    // A tab where YAML wants spaces, inside a recognisable profile.
    write(
        dir.path(),
        "tabs.yaml",
        "name: t\nconfiguration:\n  amtSpecific:\n\tcira: {}\n",
    );
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["."]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("tabs.yaml");
    assert_eq!(d["code"], "SL051", "{d:#}");
    assert_eq!(d["line"], 4, "{d:#}");
    assert!(message(d).starts_with("malformed YAML"), "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
}

/// The "billion laughs" of YAML: aliases nested 30 deep would be 10^30 nodes if expanded.
#[test]
fn a_yaml_alias_bomb_ends_quickly_and_the_profile_is_read() {
    let dir = TempDir::new().unwrap();
    let mut text = String::from(
        "name: bomb\nconfiguration:\n  amtSpecific:\n    cira:\n      mpsAddress: m.example.com\n      environmentDetection: [company.com]\n  lol0: &l0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..30 {
        let p = format!("*l{}", i - 1);
        let row = [p.as_str(); 10].join(", ");
        text.push_str(&format!("  lol{i}: &l{i} [{row}]\n"));
    }
    write(dir.path(), "bomb.yaml", &text);
    let run = check(dir.path(), &["bomb.yaml"]);
    assert_eq!(run.status, 0, "{:#}", run.report);
    assert_eq!(run.summary("profiles"), 1);
}

#[test]
fn a_huge_yaml_file_is_refused_without_reading_it() {
    let dir = TempDir::new().unwrap();
    let mut text = String::from("name: big\nconfiguration:\n  network: {}\n  pad:\n");
    let line = format!("    - {}\n", "x".repeat(100));
    while text.len() < 17 * 1024 * 1024 {
        text.push_str(&line);
    }
    write(dir.path(), "big.yaml", &text);
    write(dir.path(), "good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["big.yaml", "good.xml"]);
    assert_eq!(run.status, 2, "{:#}", run.report);
    let d = run.only("big.yaml");
    assert_eq!(d["code"], "SL050", "{d:#}");
    assert!(message(d).contains("MiB"), "{d:#}");
    assert_good_checked(&run, "good.xml", 1);
}

/// A lock file over the profile size limit, or a binary that starts with `{`, is no profile:
/// walked, it is skipped; a large file that says it is a profile is still refused aloud.
#[test]
fn large_or_binary_files_that_are_no_profile_are_skipped_when_walked() {
    let dir = TempDir::new().unwrap();
    let mut lock = String::from("{\"name\": \"web\", \"packages\": {\n");
    while lock.len() < 17 * 1024 * 1024 {
        lock.push_str("  \"node_modules/a\": {\"version\": \"1.0.0\"},\n");
    }
    write(dir.path(), "web/package-lock.json", lock);
    write(dir.path(), "web/blob.bin", b"{\xff\xfe\x00binary");
    let path = dir.path().join("profiles/huge.xml");
    {
        use std::io::Write;
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(b"<g:AMT_EnvironmentDetectionSettingData>")
            .unwrap();
        file.set_len(20 * 1024 * 1024).unwrap();
    }
    write(dir.path(), "profiles/good.xml", GOOD_WSMAN);
    let run = check(dir.path(), &["."]);
    let paths: Vec<&str> = run
        .diagnostics()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["profiles/huge.xml"], "{:#}", run.report);
    assert_eq!(run.summary("profiles"), 1);
}

/// Every folder under tests/bad_input/: its run, as recorded in the snapshot.
#[test]
fn every_case_folder_gives_its_recorded_diagnostics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "the case folders were not found");
    for dir in cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let args = std::fs::read_to_string(dir.join("args"))
            .unwrap_or_else(|e| panic!("{name}: no args file: {e}"));
        let out = scslint(&dir)
            .args(args.lines().filter(|l| !l.is_empty()))
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .output()
            .unwrap();
        let status = out.status.code().unwrap_or(-1);
        assert_ne!(status, 101, "{name}: panicked");
        let text = format!(
            "exit: {status}\n--- stdout\n{}--- stderr\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        insta::with_settings!({ snapshot_suffix => name.clone(), description => args.trim().replace('\n', " "), omit_expression => true }, {
            insta::assert_snapshot!("case", text);
        });
    }
}

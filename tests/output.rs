//! Output and command-line conventions through the built binary: --select/--ignore,
//! --statistics, --color, terminal width, --quiet, --output-format, the concise format, JSON of
//! `rules` and `explain`, escaping of input in every text format, and very long lines.

mod support;

use serde_json::Value;
use std::path::Path;
use support::{check_json, codes, json_output, root, scslint, write};

const PROFILE: &str = r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>Company.COM.</g:DetectionStrings>
  <g:DetectionStrings>com</g:DetectionStrings>
  <g:DetectionStrings>lab.example.org</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#;

const OBSERVED: &str = "[[network]]\nname = \"hq\"\nsuffix = \"site4.company.com\"\nhosts = 12\n\n[[network]]\nname = \"hotel\"\nsuffix = \"guest.hotel.com\"\ntrust = \"external\"\n";

/// a.xml: SL003, SL006, SL101, SL102; b.xml: SL003.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.xml", PROFILE);
    write(
        dir.path(),
        "b.xml",
        &PROFILE
            .replace("  <g:DetectionStrings>com</g:DetectionStrings>\n", "")
            .replace(
                "  <g:DetectionStrings>lab.example.org</g:DetectionStrings>\n",
                "",
            ),
    );
    write(dir.path(), "observed.toml", OBSERVED);
    dir
}

const FILES: [&str; 5] = [
    "a.xml",
    "b.xml",
    "--observed",
    "observed.toml",
    "--no-config",
];

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    FILES.iter().copied().chain(extra.iter().copied()).collect()
}

/// Status, standard output and standard error of `scslint ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run_with(dir, args, &[])
}

fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = scslint();
    cmd.current_dir(dir).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn check(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check"];
    all.extend(args(extra));
    run(dir, &all)
}

#[test]
fn select_and_ignore_take_codes_names_and_prefixes() {
    let dir = fixture();
    let d = dir.path();
    let (status, report) = check_json(d, &args(&[]));
    assert_eq!(status, 1);
    assert_eq!(
        codes(&report),
        ["SL003", "SL006", "SL101", "SL102", "SL003"]
    );

    let (status, report) = check_json(d, &args(&["--select", "SL003"]));
    assert_eq!(
        (status, codes(&report)),
        (0, vec!["SL003".into(), "SL003".into()])
    );
    assert_eq!(report["summary"]["warnings"], 2);
    let (_, report) = check_json(d, &args(&["--select", "overbroad-home-domain"]));
    assert_eq!(codes(&report), ["SL006"]);
    let (_, report) = check_json(d, &args(&["--select", "SL1"]));
    assert_eq!(codes(&report), ["SL101", "SL102"]);
    let (_, report) = check_json(d, &args(&["--select", "sl00,unmatched-home-domain"]));
    assert_eq!(codes(&report), ["SL003", "SL006", "SL102", "SL003"]);
    let (_, report) = check_json(d, &args(&["--select", "SL0", "--select", "SL101"]));
    assert_eq!(codes(&report), ["SL003", "SL006", "SL101", "SL003"]);

    let (status, report) = check_json(d, &args(&["--ignore", "SL1,SL006"]));
    assert_eq!(
        (status, codes(&report)),
        (0, vec!["SL003".into(), "SL003".into()])
    );
    let (_, report) = check_json(d, &args(&["--select", "SL", "--ignore", "SL003"]));
    assert_eq!(codes(&report), ["SL006", "SL101", "SL102"]);
    let (_, report) = check_json(d, &args(&["--ignore", "home-domain-not-canonical"]));
    assert_eq!(codes(&report), ["SL006", "SL101", "SL102"]);
}

#[test]
fn select_overrides_the_config_and_never_hides_unreadable_input() {
    let dir = fixture();
    let d = dir.path();
    write(
        d,
        "scslint.toml",
        "[rules]\nSL003 = \"off\"\nSL102 = \"error\"\n",
    );
    let (_, report) = check_json(d, &["a.xml", "--observed", "observed.toml"]);
    assert_eq!(codes(&report), ["SL006", "SL101", "SL102"]);
    let (status, report) = check_json(
        d,
        &[
            "a.xml",
            "--observed",
            "observed.toml",
            "--select",
            "SL003,SL102",
        ],
    );
    assert_eq!(status, 1, "SL102 keeps its configured level");
    assert_eq!(codes(&report), ["SL003", "SL102"]);
    assert_eq!(report["diagnostics"][0]["severity"], "warning");
    assert_eq!(report["diagnostics"][1]["severity"], "error");

    write(d, "broken.xml", "<Profile><a></b></Profile>\n");
    let (status, report) = check_json(d, &["broken.xml", "a.xml", "--select", "SL003"]);
    assert_eq!(
        (status, codes(&report)),
        (2, vec!["SL003".into(), "SL051".into()])
    );
    let (status, report) = check_json(d, &["broken.xml", "--ignore", "SL05"]);
    assert_eq!((status, codes(&report)), (2, vec!["SL051".into()]));
}

#[test]
fn select_or_ignore_matching_no_rule_is_a_usage_error() {
    let dir = fixture();
    for (flag, entry) in [
        ("--select", "SL4"),
        ("--ignore", "enterprise-network"),
        ("--select", "SL1000"),
        ("--select", "SL100,"),
        ("--ignore", "malformed-input"),
    ] {
        let (status, stdout, stderr) = check(dir.path(), &[flag, entry]);
        assert_eq!(status, 2, "{flag} {entry}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(flag), "{stderr}");
    }
    let (_, _, stderr) = check(dir.path(), &["--select", "SL4"]);
    assert!(
        stderr.contains("`SL4`") && stderr.contains("scslint rules"),
        "{stderr}"
    );
}

#[test]
fn collect_takes_select_ignore_statistics_and_quiet() {
    let fleet = root().join("tests/fixtures/fleet");
    let fleet = fleet.to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let snapshot = out.path().join("observed.toml");
    let snapshot = snapshot.to_str().unwrap();
    let collect = |extra: &[&str]| {
        let mut all = vec!["collect", fleet, "-o", snapshot, "--no-config"];
        all.extend(extra);
        run(out.path(), &all)
    };
    let (status, all, _) = collect(&["--format", "concise"]);
    assert_eq!(status, 0);
    for code in ["SL200", "SL201", "SL204"] {
        assert!(all.contains(code), "{all}");
    }
    let (_, text, _) = collect(&["--format", "concise", "--ignore", "SL204"]);
    assert!(text.contains("SL200") && !text.contains("SL204"), "{text}");
    let (_, text, _) = collect(&["--format", "concise", "--select", "me-without-ip"]);
    assert!(text.contains("SL200") && !text.contains("SL201"), "{text}");
    let (status, text, _) = collect(&["--statistics", "--fail-level", "warning"]);
    assert_eq!(status, 1, "--statistics keeps the exit status");
    assert!(text.starts_with("   1  SL200  me-without-ip\n"), "{text}");
    assert!(
        text.lines().last().unwrap().starts_with("scslint: "),
        "{text}"
    );
    let (_, text, _) = collect(&["--statistics", "-q"]);
    assert_eq!(text.lines().count(), 3, "{text}");
    let (status, _, stderr) = collect(&["--select", "SL9999"]);
    assert_eq!(status, 2, "{stderr}");

    // Without -o the snapshot goes to standard output and the findings to standard error.
    let (_, stdout, stderr) = run(out.path(), &["collect", fleet, "--no-config", "-q"]);
    assert!(stdout.contains("[[network]]"), "{stdout}");
    assert!(stderr.contains("SL200"), "{stderr}");
    assert!(!stderr.contains("scslint: 0 errors"), "{stderr}");
}

#[test]
fn statistics_count_each_code_most_frequent_first() {
    let dir = fixture();
    let (status, text, _) = check(dir.path(), &["--statistics"]);
    assert_eq!(status, 1);
    assert_eq!(
        text,
        "   2  SL003  home-domain-not-canonical\n   1  SL006  overbroad-home-domain\n   1  SL101  external-network-inside\n   1  SL102  unmatched-home-domain\nscslint: 2 errors, 3 warnings, 0 infos in 2 profiles (3 files, 2 observed networks)\n"
    );
    let (status, text, _) = check(dir.path(), &["--statistics", "--quiet"]);
    assert_eq!((status, text.lines().count()), (1, 4));

    let (status, doc) = json_output(
        dir.path(),
        &["check"],
        &args(&["--statistics"]),
        "statistics.schema.json",
    );
    assert_eq!(status, 1);
    assert_eq!(doc["statistics"][0]["code"], "SL003");
    assert_eq!(doc["statistics"][0]["count"], 2);
    assert_eq!(doc["statistics"][0]["name"], "home-domain-not-canonical");
    assert_eq!(doc["statistics"].as_array().unwrap().len(), 4);
    assert_eq!(doc["summary"]["errors"], 2);

    let (status, _, stderr) = check(dir.path(), &["--statistics", "--format", "sarif"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("--statistics"), "{stderr}");
    // A clean run: no rows, only the summary.
    let (status, text, _) = check(dir.path(), &["--statistics", "--select", "SL200"]);
    assert_eq!(status, 0);
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[test]
fn quiet_prints_findings_only_and_keeps_the_exit_status() {
    let dir = fixture();
    let (status, loud, _) = check(dir.path(), &[]);
    let (quiet_status, quiet, _) = check(dir.path(), &["-q"]);
    assert_eq!((status, quiet_status), (1, 1));
    assert!(loud.contains("\nscslint: 2 errors"), "{loud}");
    assert!(!quiet.contains("scslint: "), "{quiet}");
    assert!(quiet.contains("SL101(external-network-inside)"), "{quiet}");
    assert!(loud.starts_with(quiet.trim_end()), "the same findings");

    let (status, text, _) = check(dir.path(), &["--quiet", "--format", "concise"]);
    assert_eq!((status, text.lines().count()), (1, 5), "{text}");
    let (status, text, stderr) = check(dir.path(), &["--quiet", "--select", "SL200"]);
    assert_eq!((status, text.as_str(), stderr.as_str()), (0, "", ""));

    // Notes on standard error are left out too.
    let baseline = dir.path().join("baseline.json");
    let baseline = baseline.to_str().unwrap();
    let (status, _, stderr) = check(dir.path(), &["--write-baseline", baseline]);
    assert!(
        status == 0 && stderr.contains("recorded 5 findings"),
        "{stderr}"
    );
    let (status, _, stderr) = check(dir.path(), &["-q", "--write-baseline", baseline]);
    assert_eq!((status, stderr.as_str()), (0, ""));
}

#[test]
fn concise_is_one_grep_friendly_line_per_finding() {
    let dir = fixture();
    let (status, text, _) = check(dir.path(), &["--format", "concise"]);
    assert_eq!(status, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert_eq!(
        lines[0],
        "a.xml:3:23: SL003 [warning] home domain `Company.COM.` is not canonical: it has a trailing dot and upper-case letters"
    );
    assert!(lines[2].starts_with("a.xml:4:23: SL101 [error] external network `hotel`"));
    assert!(lines[4].starts_with("b.xml:3:23: SL003 [warning] "));
    assert!(lines[5].starts_with("scslint: 2 errors, 3 warnings"));
    assert!(!text.contains('╭') && !text.contains("help:"), "{text}");
    // Findings without a loaded file keep the same shape.
    write(dir.path(), "broken.xml", "<Profile>\n<a></b></Profile>\n");
    let (status, text, _) = run(
        dir.path(),
        &["check", "broken.xml", "--no-config", "--format", "concise"],
    );
    assert_eq!(status, 2);
    assert!(
        text.starts_with("broken.xml:2:4: SL051 [error] malformed XML"),
        "{text}"
    );
}

#[test]
fn output_format_is_an_alias_of_format_everywhere() {
    let dir = fixture();
    let d = dir.path();
    let same = |command: &[&str]| {
        let with = |flag: &str| {
            let mut all: Vec<&str> = command.to_vec();
            all.extend([flag, "json"]);
            let (status, stdout, stderr) = run(d, &all);
            assert!(status != 2, "{all:?}: {stderr}");
            serde_json::from_str::<Value>(&stdout).unwrap_or_else(|e| panic!("{all:?}: {e}"))
        };
        assert_eq!(with("--format"), with("--output-format"), "{command:?}");
    };
    let mut check_args = vec!["check"];
    check_args.extend(FILES);
    same(&check_args);
    same(&["rules"]);
    same(&["explain", "SL100"]);
    let fleet = root().join("tests/fixtures/fleet");
    let snapshot = d.join("snap.toml");
    same(&[
        "collect",
        fleet.to_str().unwrap(),
        "-o",
        snapshot.to_str().unwrap(),
        "--no-config",
    ]);
    // Loopback only; nothing listens on these ports in the tests.
    let (status, stdout, stderr) = run(
        d,
        &[
            "probe",
            "127.0.0.1",
            "--ports-only",
            "--timeout",
            "0.5",
            "--no-config",
            "--output-format",
            "json",
        ],
    );
    assert!(status != 2, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    support::assert_conforms("probe.schema.json", &doc);
    let (status, _, stderr) = run(d, &["probe", "127.0.0.1", "--output-format", "sarif"]);
    assert_eq!(status, 2, "{stderr}");
    let (status, _, _) = run(d, &["rules", "--output-format", "concise"]);
    assert_eq!(status, 2);
}

#[test]
fn rules_and_explain_as_json_conform_to_their_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let (status, rules) = json_output(dir.path(), &["rules"], &[], "rules.schema.json");
    assert_eq!(status, 0);
    let rules = rules.as_array().unwrap();
    assert_eq!(rules.len(), scslint::diagnostic::Code::ALL.len());
    let sl100 = rules.iter().find(|r| r["code"] == "SL100").unwrap();
    assert_eq!(sl100["name"], "enterprise-network-outside");
    assert_eq!(sl100["severity"], "error");
    assert_eq!(
        (&sl100["configurable"], &sl100["suppressible"]),
        (&Value::Bool(true), &Value::Bool(true))
    );
    let sl051 = rules.iter().find(|r| r["code"] == "SL051").unwrap();
    assert_eq!(sl051["configurable"], false);

    for r in rules {
        let code = r["code"].as_str().unwrap();
        let (status, doc) = json_output(dir.path(), &["explain", code], &[], "explain.schema.json");
        assert_eq!(status, 0, "{code}");
        assert_eq!((&doc["code"], &doc["summary"]), (&r["code"], &r["summary"]));
    }
    // The JSON holds the same text as the human explanation, section by section.
    let (_, doc) = json_output(
        dir.path(),
        &["explain", "too-many-home-domains"],
        &[],
        "explain.schema.json",
    );
    let (_, human, _) = run(dir.path(), &["explain", "SL005"]);
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for field in ["summary", "what", "why", "fix"] {
        let text = doc[field].as_str().unwrap();
        assert!(words(&human).contains(&words(text)), "{field}: {text}");
    }
    assert!(human.contains(doc["example"].as_str().unwrap()));
    assert!(doc["why"].as_str().unwrap().contains("\nSource: "));
    let (status, _, _) = run(dir.path(), &["explain", "SL999", "--format", "json"]);
    assert_eq!(status, 2);
}

#[test]
fn color_follows_the_flag_and_the_environment() {
    let dir = fixture();
    let colored = |extra: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["check"];
        all.extend(args(extra));
        let (_, stdout, _) = run_with(dir.path(), &all, env);
        stdout.contains('\u{1b}')
    };
    assert!(!colored(&[], &[]), "no colour into a pipe");
    assert!(colored(&["--color", "always"], &[]));
    assert!(colored(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!colored(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(colored(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(colored(&[], &[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")]));
    assert!(!colored(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(!colored(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(colored(&["--format", "concise", "--color", "always"], &[]));
    // Global: before the subcommand too.
    let (_, stdout, _) = run(
        dir.path(),
        &[&["--color", "always", "check"][..], &args(&[])].concat(),
    );
    assert!(stdout.contains('\u{1b}'));
    let (status, _, _) = run(dir.path(), &["--color", "sometimes", "rules"]);
    assert_eq!(status, 2);
    // Colour never reaches machine formats.
    let (_, json, _) = run(
        dir.path(),
        &[
            &["check", "--color", "always", "--format", "json"][..],
            &FILES,
        ]
        .concat(),
    );
    assert!(!json.contains('\u{1b}'));
}

/// `script` (util-linux) runs a command on a pseudo-terminal of the given width.
fn on_terminal(dir: &Path, columns: u16, command: &str, env: &[(&str, &str)]) -> String {
    let bin = assert_cmd::cargo::cargo_bin("scslint");
    let line = format!("stty cols {columns} rows 50; {} {command}", bin.display());
    let mut cmd = std::process::Command::new("script");
    cmd.current_dir(dir)
        .args(["-qec", &line, "/dev/null"])
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .expect("`script` from util-linux runs commands on a terminal");
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

/// Visible width of a line, colour escapes left out.
fn width(line: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in line.chars() {
        match (in_escape, c) {
            (false, '\u{1b}') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

fn prose(explain: &str) -> &str {
    explain.split("\nExample\n").next().unwrap()
}

#[test]
fn on_a_terminal_output_takes_its_width_and_colour() {
    let dir = fixture();
    let text = on_terminal(dir.path(), 72, "explain SL100", &[]);
    assert!(text.contains("What it catches"), "{text}");
    let max = prose(&text).lines().map(width).max().unwrap();
    assert!((60..=72).contains(&max), "{max}: {text}");
    let text = on_terminal(
        dir.path(),
        72,
        "check a.xml --observed observed.toml --no-config",
        &[],
    );
    assert!(text.contains('\u{1b}'), "colour on a terminal: {text}");
    assert!(
        text.lines()
            .filter(|l| l.contains('×'))
            .all(|l| width(l) <= 72),
        "{text}"
    );
    for env in [("TERM", "dumb"), ("NO_COLOR", "1")] {
        let text = on_terminal(dir.path(), 72, "check a.xml --no-config", &[env]);
        assert!(
            text.contains("SL003") && !text.contains('\u{1b}'),
            "{env:?}: {text}"
        );
    }
    let text = on_terminal(dir.path(), 72, "check a.xml --no-config --color never", &[]);
    assert!(!text.contains('\u{1b}'), "{text}");
}

#[test]
fn without_a_terminal_text_wraps_at_columns_or_100() {
    let dir = tempfile::tempdir().unwrap();
    let explain = |env: &[(&str, &str)]| run_with(dir.path(), &["explain", "SL100"], env).1;
    let widest = |text: &str| prose(text).lines().map(width).max().unwrap();
    let default = explain(&[]);
    assert!((90..=100).contains(&widest(&default)), "{default}");
    let narrow = explain(&[("COLUMNS", "60")]);
    assert!((50..=60).contains(&widest(&narrow)), "{narrow}");
    assert!(explain(&[("COLUMNS", "200")]).lines().count() < default.lines().count());

    let rules = |env: &[(&str, &str)]| run_with(dir.path(), &["rules"], env).1;
    let wide = rules(&[("COLUMNS", "240")]);
    assert!(
        wide.lines().all(|l| !l.starts_with(' ')),
        "one line per rule: {wide}"
    );
    let default = rules(&[]);
    assert!(default.lines().all(|l| width(l) <= 100), "{default}");
    assert!(default.lines().any(|l| l.starts_with(&" ".repeat(55))));

    let fixture = fixture();
    let check =
        |env: &[(&str, &str)]| run_with(fixture.path(), &[&["check"][..], &FILES].concat(), env).1;
    let narrow = check(&[("COLUMNS", "60")]);
    let message_lines: Vec<&str> = narrow
        .lines()
        .filter(|l| l.trim_start().starts_with(['×', '│']))
        .collect();
    assert!(message_lines.len() > 4, "{narrow}");
    assert!(message_lines.iter().all(|l| width(l) <= 60), "{narrow}");
    assert!(check(&[]).lines().count() < narrow.lines().count());
}

#[test]
fn control_characters_in_file_names_and_entries_are_escaped_in_every_text_format() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}]0;pwned\u{7}.xml";
    write(
        dir.path(),
        name,
        &PROFILE.replace("lab.example.org", "lab&#x202e;gro.elpmaxe&#x9;x.org"),
    );
    for format in ["human", "concise", "github"] {
        let (status, text, _) = run(
            dir.path(),
            &[
                "check",
                ".",
                "--no-config",
                "--format",
                format,
                "--color",
                "never",
            ],
        );
        assert_eq!(status, 1, "{format}: {text}");
        for raw in ['\u{1b}', '\u{7}', '\u{202e}', '\t'] {
            assert!(!text.contains(raw), "{format}: {raw:?} in {text}");
        }
        assert!(
            text.contains("evil\\x1b]0;pwned\\x07.xml"),
            "{format}: {text}"
        );
        assert!(text.contains("lab\\u{202e}gro"), "{format}: {text}");
        assert!(text.contains("elpmaxe\\tx.org"), "{format}: {text}");
    }
    let (_, text, _) = run(dir.path(), &["check", ".", "--no-config"]);
    assert!(
        text.contains("╭─[evil\\x1b]0;pwned\\x07.xml:3:23]"),
        "{text}"
    );
}

/// One line of `n` characters of JSON whitespace and padding, then a MeshCentral domain whose
/// `com` entry (SL006) stands past column 70,000.
fn minified_meshcentral() -> (String, usize) {
    let pad = "x".repeat(70_000);
    let head =
        format!(r#"{{"domains":{{"":{{"_note":"{pad}","amtManager":{{"environmentDetection":["#);
    let tail = r#""com"]}}}}"#;
    let mut text = format!("{head}{tail}");
    text.push_str(&" ".repeat(100_000 - text.len()));
    text.push('\n');
    (text, head.chars().count() + 2)
}

#[test]
fn a_finding_on_a_100000_character_line_is_shown_cut_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (text, column) = minified_meshcentral();
    assert_eq!(text.lines().next().unwrap().len(), 100_000);
    write(dir.path(), "config.json", &text);
    let (_, report) = check_json(dir.path(), &["config.json", "--no-config"]);
    assert_eq!(codes(&report), ["SL006"]);
    assert_eq!(report["diagnostics"][0]["column"], column);

    let (status, human, stderr) = run(dir.path(), &["check", "config.json", "--no-config"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        human.contains(&format!("╭─[config.json:1:{column}]")),
        "{human}"
    );
    assert!(human.contains("…xxxx"), "{human}");
    assert!(human.contains("\"com\""), "{human}");
    assert!(
        human.lines().all(|l| l.chars().count() < 400),
        "the line is cut"
    );
    assert!(human.contains("SL006(overbroad-home-domain)"));
}

#[test]
fn long_lines_in_observed_toml_and_scslint_toml_are_cut_too() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "p.xml",
        &PROFILE
            .replace("  <g:DetectionStrings>com</g:DetectionStrings>\n", "")
            .replace("Company.COM.", "ad.company.local"),
    );
    // `hq`, the network outside, is named past column 80,000 (TOML allows indentation).
    write(
        d,
        "observed.toml",
        &format!(
            "[[network]]\n{}name = \"hq\"\nsuffix = \"company.com\"\nhosts = 5\n",
            " ".repeat(80_000)
        ),
    );
    let (status, human, stderr) = run(
        d,
        &[
            "check",
            "p.xml",
            "--observed",
            "observed.toml",
            "--no-config",
            "--select",
            "SL100",
        ],
    );
    assert_eq!(status, 1, "{stderr}");
    let (_, report) = check_json(
        d,
        &[
            "p.xml",
            "--observed",
            "observed.toml",
            "--no-config",
            "--select",
            "SL100",
        ],
    );
    let related = report["diagnostics"][0]["related"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "observed.toml")
        .unwrap();
    let column = related["column"].as_u64().unwrap();
    assert!(column > 70_000, "{related}");
    assert!(
        human.contains(&format!("╭─[observed.toml:2:{column}]")),
        "{human}"
    );
    assert!(human.lines().all(|l| l.chars().count() < 600), "{human}");

    let suffixes = "\"a.example.com\", ".repeat(8_000);
    write(
        d,
        "scslint.toml",
        &format!("[observed]\nexternal_suffixes = [{suffixes}\"bad_suffix\"]\n"),
    );
    let (status, stdout, stderr) = run(d, &["check", "p.xml"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stdout.is_empty());
    let column = 22 + suffixes.len();
    assert!(
        stderr.contains(&format!("╭─[scslint.toml:2:{column}]")),
        "{stderr}"
    );
    assert!(stderr.contains("bad_suffix"), "{stderr}");
    assert!(stderr.lines().all(|l| l.chars().count() < 600));
}

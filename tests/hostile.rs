//! Hostile files and fences through the built binary: devices and FIFOs where files are expected,
//! includes of system files, and writes over things that are not regular files. Every run must end
//! within its timeout, print no byte of a file that is not a configuration, and leave special
//! files as they were.
#![cfg(unix)]

mod support;

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::{scslint, write};

/// A hang fails the test instead of blocking the suite.
const TIMEOUT: Duration = Duration::from_secs(60);

const GOOD: &str = r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>company.com</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#;

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = scslint()
        .current_dir(dir)
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    Run {
        status: out
            .status
            .code()
            .expect("exited normally, within the timeout"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn fifo(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    path
}

fn is_fifo(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

#[test]
fn devices_named_as_config_or_baseline_are_refused_not_read_forever() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.xml", GOOD);
    let r = run(dir.path(), &["check", "p.xml", "--config", "/dev/zero"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("character device"), "{}", r.stderr);
    let r = run(
        dir.path(),
        &["check", "p.xml", "--no-config", "--baseline", "/dev/zero"],
    );
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("character device"), "{}", r.stderr);
}

#[test]
fn fifos_named_anywhere_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.xml", GOOD);
    fifo(dir.path(), "p.xml");
    fifo(dir.path(), "observed.toml");
    fifo(dir.path(), "scslint.toml");
    fifo(dir.path(), "baseline.json");
    // As a profile: SL050 for it, the other file still checked.
    let r = run(
        dir.path(),
        &[
            "check",
            "p.xml",
            "good.xml",
            "--no-config",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.status, 2);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "SL050");
    assert!(
        report["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("a FIFO")
    );
    assert_eq!(report["summary"]["profiles"], 1);
    // As observed networks, config and baseline.
    let r = run(
        dir.path(),
        &[
            "check",
            "good.xml",
            "--no-config",
            "--observed",
            "observed.toml",
        ],
    );
    assert_eq!(r.status, 2);
    assert!(r.stdout.contains("a FIFO"), "{}", r.stdout);
    let r = run(
        dir.path(),
        &["check", "good.xml", "--config", "scslint.toml"],
    );
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("a FIFO"), "{}", r.stderr);
    let r = run(
        dir.path(),
        &[
            "check",
            "good.xml",
            "--no-config",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("a FIFO"), "{}", r.stderr);
    // A FIFO found while walking is no profile: skipped.
    let r = run(
        dir.path(),
        &["check", ".", "--no-config", "--force-exclude"],
    );
    assert!(!r.stdout.contains("p.xml"), "{}", r.stdout);
    // probe reads its snapshot through the same loader.
    let r = run(
        dir.path(),
        &[
            "probe",
            "--no-config",
            "--dry-run",
            "--observed",
            "observed.toml",
        ],
    );
    assert_eq!(r.status, 2);
    assert!(format!("{}{}", r.stdout, r.stderr).contains("a FIFO"));
    // And so does every DHCP include.
    write(
        dir.path(),
        "dhcpd.conf",
        "include \"p.xml\";\nsubnet 10.0.0.0 netmask 255.255.255.0 { option domain-name \"a.example\"; }\n",
    );
    let r = run(dir.path(), &["collect", "dhcpd.conf"]);
    assert!(r.stderr.contains("a FIFO"), "{}", r.stderr);
    assert!(r.stdout.contains("a.example"), "{}", r.stdout);
}

/// A configuration that includes system files: refused by name, and not one byte of them shown.
#[test]
fn includes_of_system_files_are_refused_and_never_quoted() {
    let dir = tempfile::tempdir().unwrap();
    // A stand-in for /etc/shadow that the test controls.
    write(
        dir.path(),
        "secrets",
        "root:$6$s3cr3tHash$abcdef:19000:0:99999:7:::\nadmin:TOPSECRET:1:2\n",
    );
    write(
        dir.path(),
        "dhcpd.conf",
        "include \"secrets\";\ninclude \"/etc/passwd\";\ninclude \"/dev/zero\";\ninclude \"/dev/zero\";\ninclude \"/proc/self/environ\";\ninclude \"/sys/kernel/notes\";\nsubnet 10.0.0.0 netmask 255.255.255.0 { option domain-name \"a.example\"; }\n",
    );
    write(
        dir.path(),
        "dnsmasq.conf",
        "conf-file=secrets\nconf-file=/etc/passwd\ndomain=b.example\ndhcp-range=10.1.0.10,10.1.0.50\n",
    );
    write(
        dir.path(),
        "kea.conf",
        "{ \"Dhcp4\": { \"subnet4\": [ <?include \"secrets\"?> ], \"option-data\": [ { \"name\": \"domain-name\", \"data\": \"c.example\" } ] } }\n",
    );
    for format in ["human", "json", "github"] {
        let r = run(
            dir.path(),
            &[
                "collect",
                "dhcpd.conf",
                "dnsmasq.conf",
                "kea.conf",
                "--format",
                format,
            ],
        );
        let all = format!("{}{}", r.stdout, r.stderr);
        for secret in ["s3cr3t", "TOPSECRET", "root:", "/bin/", "PATH="] {
            assert!(!all.contains(secret), "{format} shows `{secret}`:\n{all}");
        }
        assert!(all.contains("not a dhcpd configuration"), "{all}");
        assert!(all.contains("not a dnsmasq configuration"), "{all}");
        assert!(all.contains("not a Kea configuration"), "{all}");
        assert!(all.contains("/proc, a system folder"), "{all}");
        assert!(all.contains("/dev, a system folder"), "{all}");
        assert!(all.contains("a.example") || format != "human", "{all}");
    }
}

/// `-o`, `--write-baseline`, `init --force` and `hook install --force` write over regular files
/// only: a FIFO or device node at the target is refused and left as it was.
#[test]
fn writes_never_replace_fifos_or_devices() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.xml", GOOD);
    write(
        dir.path(),
        "dhcpd.conf",
        "subnet 10.0.0.0 netmask 255.255.255.0 { option domain-name \"a.example\"; }\n",
    );
    let out = fifo(dir.path(), "out.toml");
    let r = run(dir.path(), &["collect", "dhcpd.conf", "-o", "out.toml"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("a FIFO"), "{}", r.stderr);
    assert!(is_fifo(&out));
    let r = run(dir.path(), &["collect", "dhcpd.conf", "-o", "/dev/null"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("character device"), "{}", r.stderr);
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    let baseline = fifo(dir.path(), "baseline.json");
    let r = run(
        dir.path(),
        &[
            "check",
            "good.xml",
            "--no-config",
            "--write-baseline",
            "baseline.json",
        ],
    );
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(is_fifo(&baseline));

    let config = fifo(dir.path(), "scslint.toml");
    let r = run(dir.path(), &["init", "--force"]);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(is_fifo(&config));
    std::fs::remove_file(&config).unwrap();

    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status();
    if git.is_ok_and(|s| s.success()) {
        std::fs::create_dir_all(dir.path().join(".git/hooks")).unwrap();
        let hook = fifo(&dir.path().join(".git/hooks"), "pre-commit");
        let r = run(dir.path(), &["hook", "install", "--force"]);
        assert_eq!(r.status, 2, "{}", r.stderr);
        assert!(r.stderr.contains("a FIFO"), "{}", r.stderr);
        assert!(is_fifo(&hook));
        let r = run(dir.path(), &["hook", "uninstall"]);
        assert_eq!(r.status, 2, "{}", r.stderr);
        assert!(is_fifo(&hook));
    }
}

const AD_ROOT: &str = r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>ad.company.local</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#;

/// One broken profile against 20,000 enterprise and 20,000 external networks, each under its own
/// registrable domain: the run ends, and the one finding's advice stays readable.
#[test]
fn a_huge_fleet_gives_one_bounded_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut observed = String::new();
    for i in 0..20_000 {
        observed.push_str(&format!(
            "[[network]]\nname = \"n{i}\"\nsuffix = \"site.corp{i}.example\"\ntrust = \"enterprise\"\n\n[[network]]\nname = \"x{i}\"\nsuffix = \"guest.hotel{i}.example\"\ntrust = \"external\"\n\n"
        ));
    }
    write(dir.path(), "observed.toml", &observed);
    write(dir.path(), "ad.xml", AD_ROOT);
    let r = run(
        dir.path(),
        &[
            "check",
            "ad.xml",
            "--no-config",
            "--observed",
            "observed.toml",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.status, 1, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "SL100");
    assert_eq!(d["networks"].as_array().unwrap().len(), 20_000);
    let help = d["help"].as_str().unwrap();
    assert!(help.len() < 4_000, "{} bytes of help", help.len());
    assert!(help.contains("more"), "{help}");
}

/// Names longer than DNS allows, and a dnsmasq line of 40 MiB, are reported with the cap and not
/// carried into every finding.
#[test]
fn oversized_names_and_lines_are_capped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(1024 * 1024);
    let mut observed = String::new();
    for i in 0..60 {
        observed.push_str(&format!(
            "[[network]]\nname = \"n{i}{long}\"\nsuffix = \"c{i}.example\"\ntrust = \"enterprise\"\n\n"
        ));
    }
    observed.push_str(&format!(
        "[[network]]\nname = \"ok\"\nsuffix = \"a{}.example\"\n",
        "b".repeat(300)
    ));
    write(dir.path(), "observed.toml", &observed);
    write(dir.path(), "ad.xml", AD_ROOT);
    let r = run(
        dir.path(),
        &[
            "check",
            "ad.xml",
            "--no-config",
            "--observed",
            "observed.toml",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.status, 2);
    assert!(
        r.stdout.len() < 1024 * 1024,
        "{} bytes of report",
        r.stdout.len()
    );
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 61, "{messages:?}");
    assert!(
        messages[0].contains("over the 256 it can be"),
        "{}",
        messages[0]
    );
    assert!(
        messages[60].contains("over the 253 it can be"),
        "{}",
        messages[60]
    );

    let line = format!(
        "domain=a.example\ndhcp-range=10.0.0.1,10.0.0.9\ndhcp-option=15,{}\n",
        "a".repeat(40 * 1024 * 1024)
    );
    write(dir.path(), "dnsmasq.conf", &line);
    let r = run(dir.path(), &["collect", "dnsmasq.conf"]);
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("over the 64 KiB"), "{}", r.stderr);
    assert!(r.stdout.contains("a.example"), "{}", r.stdout);
}

/// A snapshot large enough that writing it takes a moment: `n` networks.
fn big_snapshot(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "[[network]]\nname = \"net{i:05}\"\nsuffix = \"site{i}.corp.example\"\ntrust = \"enterprise\"\nhosts = {i}\n\n"
        ));
    }
    s
}

/// The networks a snapshot file holds, or `None` when it is not a whole snapshot.
fn networks_in(path: &Path) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    let value: toml::Value = toml::from_str(&text).ok()?;
    Some(value.get("network")?.as_array()?.len())
}

/// Pseudo-random delays without a crate: the clock's nanoseconds through an LCG.
fn delays(n: usize, max_ms: u64) -> Vec<Duration> {
    let mut x = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            Duration::from_millis((x >> 33) % max_ms)
        })
        .collect()
}

/// `collect -o` and `check --write-baseline` killed with SIGKILL at random moments: the target
/// is always the old file or a complete new one.
#[test]
fn killed_writers_leave_the_old_file_or_a_complete_new_one() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in.toml", &big_snapshot(20_000));
    write(dir.path(), "out.toml", &big_snapshot(3));
    let bin = assert_cmd::cargo::cargo_bin("scslint");
    for delay in delays(12, 400) {
        let mut child = std::process::Command::new(&bin)
            .current_dir(dir.path())
            .args(["collect", "in.toml", "-o", "out.toml", "-q"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let n = networks_in(&dir.path().join("out.toml"));
        assert!(
            n == Some(3) || n == Some(20_000),
            "after {delay:?}: out.toml holds {n:?} networks"
        );
    }

    write(dir.path(), "ad.xml", AD_ROOT);
    let old = "{\"version\": 1, \"findings\": []}\n";
    write(dir.path(), "baseline.json", old);
    for delay in delays(8, 300) {
        let mut child = std::process::Command::new(&bin)
            .current_dir(dir.path())
            .args([
                "check",
                "ad.xml",
                "--no-config",
                "--observed",
                "in.toml",
                "--write-baseline",
                "baseline.json",
                "-q",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let text = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(&text);
        assert!(
            parsed.is_ok(),
            "after {delay:?}: a partial baseline: {text:.200}"
        );
    }
}

/// Two `collect -o` to the same file at once: one complete snapshot results.
#[test]
fn concurrent_writers_leave_one_complete_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.toml", &big_snapshot(5_000));
    write(dir.path(), "b.toml", &big_snapshot(7_000));
    let bin = assert_cmd::cargo::cargo_bin("scslint");
    for _ in 0..3 {
        let spawn = |input: &str| {
            std::process::Command::new(&bin)
                .current_dir(dir.path())
                .args(["collect", input, "-o", "out.toml", "-q"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut a, mut b) = (spawn("a.toml"), spawn("b.toml"));
        assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
        let n = networks_in(&dir.path().join("out.toml"));
        assert!(n == Some(5_000) || n == Some(7_000), "{n:?}");
    }
}

/// A target folder that runs out of space, one where writes past a file-size limit fail, and a
/// read-only one: a clear error, exit 2, the old file intact and no temporary file left behind.
/// The tmpfs needs root (mount); without it that part is skipped.
#[test]
fn full_disk_size_limit_and_read_only_folders_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in.toml", &big_snapshot(5_000));
    let old = big_snapshot(2);

    // A file-size limit of 16 KiB (ulimit -f counts 1 KiB blocks here).
    write(dir.path(), "out.toml", &old);
    let bin = assert_cmd::cargo::cargo_bin("scslint");
    let out = std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg(format!(
            "ulimit -f 16 && exec '{}' collect in.toml -o out.toml -q",
            bin.display()
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write out.toml"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.toml")).unwrap(),
        old
    );
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());

    let small = dir.path().join("small");
    std::fs::create_dir(&small).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&small)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped the full-disk and read-only parts: cannot mount a tmpfs here");
        return;
    }
    let unmount = Unmount(small.clone());
    std::fs::write(small.join("out.toml"), &old).unwrap();
    let r = run(
        dir.path(),
        &["collect", "in.toml", "-o", "small/out.toml", "-q"],
    );
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("cannot write"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(small.join("out.toml")).unwrap(),
        old
    );
    assert_eq!(leftovers(&small), Vec::<String>::new());

    let remounted = std::process::Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&small)
        .status()
        .is_ok_and(|s| s.success());
    assert!(remounted);
    let r = run(
        dir.path(),
        &["collect", "in.toml", "-o", "small/out.toml", "-q"],
    );
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("Read-only"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(small.join("out.toml")).unwrap(),
        old
    );
    drop(unmount);
}

/// Files in `dir` other than the inputs and outputs the tests write.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".scslint-new"))
        .collect()
}

struct Unmount(PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

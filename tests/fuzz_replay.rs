//! The fuzzing's gains on stable Rust: every seed under fuzz/corpus/<target>/ and every input a
//! fuzzer once crashed or hung on, kept under fuzz/regressions/<target>/, goes through the same
//! entry point as the cargo-fuzz target (`scslint::fuzzing`), and must end without a panic.

use scslint::fuzzing::{TARGETS, run};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// A hang guard, not a speed check: far beyond what any of these inputs takes in a debug build.
const HANG: Duration = Duration::from_secs(120);

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Run `target` on `input` in a thread of its own; the error says how it failed.
fn replay(target: &'static str, input: &Path) -> Result<(), String> {
    let data = std::fs::read(input).map_err(|e| format!("cannot read: {e}"))?;
    let (done, finished) = mpsc::channel();
    std::thread::Builder::new()
        .name(target.to_string())
        .spawn(move || {
            let outcome = std::panic::catch_unwind(|| run(target, &data));
            let _ = done.send(outcome);
        })
        .map_err(|e| e.to_string())?;
    match finished.recv_timeout(HANG) {
        Ok(Ok(true)) => Ok(()),
        Ok(Ok(false)) => Err("no such target".into()),
        Ok(Err(panic)) => Err(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)")
        )),
        Err(_) => Err(format!("still running after {HANG:?}")),
    }
}

fn replay_all(kind: &str) -> usize {
    let mut failures = Vec::new();
    let mut count = 0;
    for (target, _) in TARGETS {
        for input in files_in(&fuzz_dir().join(kind).join(target)) {
            count += 1;
            if let Err(e) = replay(target, &input) {
                failures.push(format!("{target} {}: {e}", input.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    count
}

#[test]
fn every_seed_runs_through_its_target_without_a_panic() {
    assert!(replay_all("corpus") > TARGETS.len());
}

#[test]
fn every_regression_input_runs_through_its_target_without_a_panic() {
    replay_all("regressions");
}

/// The targets, their source files, fuzz/Cargo.toml and the corpus folders agree, so no target
/// goes unfuzzed or unreplayed.
#[test]
fn every_target_has_a_fuzz_target_and_seeds() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for (target, _) in TARGETS {
        let source = fuzz_dir().join("fuzz_targets").join(format!("{target}.rs"));
        let text = std::fs::read_to_string(&source).unwrap_or_default();
        assert!(
            text.contains(&format!("run(\"{target}\", data)")),
            "{} must run target {target}",
            source.display()
        );
        assert!(
            manifest.contains(&format!(
                "name = \"{target}\"\npath = \"fuzz_targets/{target}.rs\""
            )),
            "fuzz/Cargo.toml has no [[bin]] for {target}"
        );
        assert!(
            !files_in(&fuzz_dir().join("corpus").join(target)).is_empty(),
            "no seeds for {target}: run `python3 fuzz/seeds.py`"
        );
    }
    for kind in ["corpus", "regressions", "fuzz_targets"] {
        let Ok(entries) = std::fs::read_dir(fuzz_dir().join(kind)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            assert!(
                TARGETS.iter().any(|(t, _)| *t == name),
                "{} is for no target",
                path.display()
            );
        }
    }
}

#[test]
fn an_unknown_target_is_refused() {
    assert!(!run("no-such-target", b""));
    assert_eq!(
        replay("no-such-target", &fuzz_dir().join("Cargo.toml")),
        Err("no such target".into())
    );
}

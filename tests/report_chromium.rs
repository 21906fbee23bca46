//! The demo's HTML report in a real browser: headless Chromium (Debian's `chromium`, installed by
//! scripts/chromium.sh when missing and we are root) loads it from a file with DNS answering
//! nothing, dumps the DOM it built (matrix cells counted, charts present) and what the page wrote
//! to its console (nothing), and takes a screenshot. Skipped, with a one-line notice, where
//! Chromium cannot be installed or started.
//!
//! `SCSLINT_UPDATE_SCREENSHOT=1 cargo test --test report_chromium` also copies the screenshot to
//! docs/report.png.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{root, scslint};

/// Chromium's path, installed by the project's script when missing; `None` with the reason.
fn chromium() -> Result<PathBuf, String> {
    let out = Command::new("bash")
        .arg(root().join("scripts/chromium.sh"))
        .output()
        .map_err(|e| format!("cannot run scripts/chromium.sh: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// Chromium headless, offline: no sandbox (tests may run as root), no GPU, no background
/// connections, every host name unresolvable, a fresh profile folder.
fn headless(browser: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The page's console lines (messages, uncaught errors, failed loads) in Chromium's log.
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

/// What `--dump-dom` gives for `page`, and the console lines logged while loading it; `None`
/// when Chromium does not start (the caller skips).
fn dump(browser: &Path, page: &Path, work: &Path) -> Option<(String, Vec<String>)> {
    let out = headless(browser, &work.join("profile-dom"))
        .arg("--dump-dom")
        .arg(file_url(page))
        .output()
        .map_err(|e| eprintln!("report_chromium: skipped (cannot start chromium: {e})"))
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "report_chromium: skipped (chromium exited with {}: {})",
            out.status,
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
        return None;
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console = console_lines(&stderr)
        .into_iter()
        .map(str::to_owned)
        .collect();
    Some((String::from_utf8(out.stdout).unwrap(), console))
}

#[test]
fn demo_report_renders_in_headless_chromium() {
    let browser = match chromium() {
        Ok(path) => path,
        Err(why) => {
            eprintln!("report_chromium: skipped (no chromium: {why})");
            return;
        }
    };
    let work = tempfile::tempdir().unwrap();
    let html = work.path().join("report.html");
    let demo = |format: &str, out: &Path| {
        scslint()
            .current_dir(root())
            .args(["report", "profiles", "--observed", "profiles/observed.toml"])
            .args(["--no-config", "--format", format, "-o"])
            .arg(out)
            .assert()
            .code(0);
    };
    demo("html", &html);
    let json_path = work.path().join("report.json");
    demo("json", &json_path);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let cells = report["cells"].as_array().unwrap().len();
    let sites = report["sites"].as_array().unwrap().len();

    // The way console errors are read sees them: a page that logs and throws is caught.
    let noisy = work.path().join("noisy.html");
    std::fs::write(
        &noisy,
        "<!DOCTYPE html><p>x</p><script>console.error('seen'); notDefined();</script>",
    )
    .unwrap();
    let Some((_, noisy_console)) = dump(&browser, &noisy, work.path()) else {
        return;
    };
    assert!(
        noisy_console.iter().any(|l| l.contains("seen"))
            && noisy_console.iter().any(|l| l.contains("Uncaught")),
        "the console check cannot see console errors: {noisy_console:?}"
    );

    let Some((dom, console)) = dump(&browser, &html, work.path()) else {
        return;
    };
    assert_eq!(
        console,
        Vec::<String>::new(),
        "the report wrote to the console"
    );
    // The DOM Chromium built: every matrix cell, the charts, the tables.
    let matrix = dom
        .split("<table id=\"coverage-matrix\">")
        .nth(1)
        .expect("the matrix table")
        .split("</table>")
        .next()
        .unwrap();
    assert_eq!(matrix.matches("<td class=\"state ").count(), cells);
    assert_eq!(
        matrix.matches("<th scope=\"row\">").count(),
        report["profiles"].as_array().unwrap().len()
    );
    assert_eq!(
        dom.matches("<svg role=\"img\"").count(),
        1 + sites,
        "one chart per profile totals and one per site"
    );
    assert!(dom.contains("<title id=\"chart-profiles-svg-t\">"));
    assert!(dom.matches("<rect ").count() > 10, "the bars are drawn");
    assert!(dom.contains("<nav aria-labelledby=\"toc-title\">"));

    // A screenshot: a PNG of the window's width, not a blank page.
    let shot = work.path().join("report.png");
    let out = headless(&browser, &work.path().join("profile-shot"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1280,1700")
        .arg(file_url(&html))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1280, 1700));
    assert!(png.len() > 30_000, "a blank page? {} bytes", png.len());
    if std::env::var_os("SCSLINT_UPDATE_SCREENSHOT").is_some() {
        std::fs::copy(&shot, root().join("docs/report.png")).unwrap();
    }
}

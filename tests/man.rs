//! The man pages the built binary prints: the EXIT STATUS, ENVIRONMENT and FILES sections each
//! page carries, and that `man` renders every page without a warning.

mod support;

use support::scslint;

/// `scslint man [PAGE]` as text.
fn man(page: &[&str]) -> String {
    let out = scslint().arg("man").args(page).output().unwrap();
    assert!(out.status.success(), "{page:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Where a section heading stands in a page.
fn heading(page: &str, title: &str) -> Option<usize> {
    let line = if title.contains(' ') {
        format!("\n.SH \"{title}\"\n")
    } else {
        format!("\n.SH {title}\n")
    };
    page.find(&line)
}

#[test]
fn scslint_1_documents_exit_status_environment_and_files_in_order() {
    let page = man(&[]);
    let at = |title| heading(&page, title).unwrap_or_else(|| panic!("no {title}: {page}"));
    assert!(at("OPTIONS") < at("EXIT STATUS"));
    assert!(at("SUBCOMMANDS") < at("EXIT STATUS"));
    assert!(at("EXIT STATUS") < at("ENVIRONMENT"));
    assert!(at("ENVIRONMENT") < at("FILES"));
    assert!(at("FILES") < at("VERSION"));
    for variable in ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM", "COLUMNS"] {
        assert!(page.contains(&format!("\\fB{variable}\\fR")), "{variable}");
    }
    for term in [
        "GIT_INDEX_FILE",
        "\\fBscslint.toml",
        "\\fBobserved.toml",
        "\\fB.gitignore",
        "pre\\-commit.scslint\\-backup",
        "\\fB/etc/resolv.conf",
    ] {
        assert!(page.contains(term), "{term}: {page}");
    }
    for status in ["0", "1", "2"] {
        assert!(
            page.contains(&format!(".TP\n\\fB{status}\\fR\n")),
            "{status}"
        );
    }
    // One page, one preamble, though its sections are rendered one by one.
    assert_eq!(page.matches(".ds Aq").count(), 2, "{page}");
}

#[test]
fn subcommand_pages_carry_the_sections_that_apply_to_them() {
    let check = man(&["check"]);
    for title in ["EXIT STATUS", "ENVIRONMENT", "FILES"] {
        assert!(heading(&check, title).is_some(), "{title}: {check}");
    }
    assert!(check.contains("\\fBa baseline file"), "{check}");
    assert!(check.contains("\\-\\-write\\-baseline"), "{check}");
    let probe = man(&["probe"]);
    assert!(probe.contains("\\-\\-password\\-env names"), "{probe}");
    assert!(probe.contains("\\-\\-allow\\-range"), "{probe}");
    let hook = man(&["hook-install"]);
    assert!(hook.contains("scslint\\-backup"), "{hook}");
    assert!(
        hook.contains("\\fBGIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE"),
        "{hook}"
    );
}

#[test]
fn pages_leave_out_what_does_not_apply_to_them() {
    let completions = man(&["completions"]);
    assert!(
        heading(&completions, "EXIT STATUS").is_some(),
        "{completions}"
    );
    assert!(
        heading(&completions, "ENVIRONMENT").is_none(),
        "{completions}"
    );
    assert!(heading(&completions, "FILES").is_none(), "{completions}");
    let hook = man(&["hook-install"]);
    assert!(!hook.contains("\\fBNO_COLOR"), "{hook}");
    assert!(!hook.contains("observed.toml"), "{hook}");
    let init = man(&["init"]);
    assert!(!init.contains("\\fB1\\fR"), "init never exits 1: {init}");
    assert!(!init.contains("resolv.conf"), "{init}");
}

/// `man` renders every page without a warning from groff; skipped where man is not installed.
#[test]
fn man_renders_every_page_without_warnings() {
    let has_man = std::process::Command::new("man")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_man {
        eprintln!("man is not installed: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut pages = vec![None];
    pages.extend(scslint::shell::man_page_names().into_iter().map(Some));
    for page in pages {
        let args: Vec<&str> = page.as_deref().into_iter().collect();
        let file = dir.path().join("page.1");
        std::fs::write(&file, man(&args)).unwrap();
        let out = std::process::Command::new("man")
            .args(["--warnings", "-l"])
            .arg(&file)
            .env("MANWIDTH", "80")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{page:?}: {stderr}");
        assert!(stderr.trim().is_empty(), "{page:?}: {stderr}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("EXIT STATUS"),
            "{page:?}"
        );
    }
}

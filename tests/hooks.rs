//! scslint where profiles are committed: the plain git hook in real temporary repositories
//! (`git commit` refused and then accepted), staged content rather than the working tree, foreign
//! hooks left alone, the pre-commit manifest, `init`, completions and the man page.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{assert_conforms, codes, root, scslint, toml_text_as_json, write};

const PROFILE: &str = r#"<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>company.com</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
"#;

/// The same profile with the article's mistake: the AD root domain, which the HQ network's
/// option 15 does not end with (SL100).
fn broken() -> String {
    PROFILE.replace("company.com", "ad.company.local")
}

const OBSERVED: &str = "[[network]]\nname = \"hq\"\nsuffix = \"site4.company.com\"\nhosts = 12\n";
const CONFIG: &str = "[observed]\npaths = [\"networks/observed.toml\"]\n";

/// Variables git sets for hooks and that would point a nested git at another repository.
const GIT_ENV: [&str; 6] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
];

/// Keep the user's and the system's git configuration (hooksPath, templates) out of the tests.
fn isolate(cmd: &mut Command) -> &mut Command {
    for var in GIT_ENV {
        cmd.env_remove(var);
    }
    cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new("git");
    isolate(&mut cmd).current_dir(dir).args(args);
    cmd.output().expect("git runs")
}

/// Run git and insist that it worked.
fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// scslint in `dir`, outside any enclosing repository's hook environment.
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = scslint();
    for var in GIT_ENV {
        cmd.env_remove(var);
    }
    cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// A repository with scslint.toml naming the observed networks, committed without a hook.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_ok(d, &["init", "-q", "-b", "main"]);
    git_ok(d, &["config", "user.name", "Profile Reviewer"]);
    git_ok(d, &["config", "user.email", "reviewer@example.com"]);
    write(d, "scslint.toml", CONFIG);
    write(d, "networks/observed.toml", OBSERVED);
    git_ok(d, &["add", "."]);
    git_ok(d, &["commit", "-q", "-m", "networks"]);
    dir
}

fn commit(dir: &Path, message: &str) -> Output {
    git(dir, &["commit", "-q", "-m", message])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn commits(dir: &Path) -> usize {
    git_ok(dir, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn the_hook_refuses_a_profile_that_breaks_sl100_and_commits_the_fix() {
    let repo = repo();
    let d = repo.path();
    let out = run(d, &["hook", "install"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let hook = d.join(".git/hooks/pre-commit");
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.starts_with("#!/bin/sh\n") && script.contains("check --staged"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&hook).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
    }

    write(d, "profiles/pc0423.xml", &broken());
    write(d, "README.md", "Profiles for the HQ rollout.\n");
    git_ok(d, &["add", "."]);
    let out = commit(d, "AD root as home domain");
    assert!(!out.status.success(), "the commit went through");
    let said = text(&out.stderr) + &text(&out.stdout);
    assert!(said.contains("SL100"), "{said}");
    assert!(said.contains("profiles/pc0423.xml:3:"), "{said}");
    assert!(
        said.contains("`hq`"),
        "observed networks from scslint.toml: {said}"
    );
    assert_eq!(commits(d), 1);

    write(d, "profiles/pc0423.xml", PROFILE);
    git_ok(d, &["add", "profiles/pc0423.xml"]);
    let out = commit(d, "company.com as home domain");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(commits(d), 2);

    // Commits that touch no profile pass too.
    write(d, "README.md", "Profiles for the HQ and branch rollout.\n");
    git_ok(d, &["add", "README.md"]);
    assert!(commit(d, "readme").status.success());

    // `git commit -a` stages through a temporary index: the hook still sees what is committed.
    write(d, "profiles/pc0423.xml", &broken());
    let out = git(d, &["commit", "-q", "-a", "-m", "all"]);
    assert!(!out.status.success(), "commit -a went through");
    assert!(text(&out.stderr).contains("SL100"), "{}", text(&out.stderr));
}

/// An ordinary repository: Python, web, INI, YAML and TOML files beside the profiles. With the
/// hook installed every commit of them goes through; only a profile's mistake stops one.
#[test]
fn a_repository_of_ordinary_files_commits_cleanly_with_the_hook() {
    let repo = repo();
    let d = repo.path();
    assert!(run(d, &["hook", "install"]).status.success());
    write(
        d,
        "pyproject.toml",
        "[project]\nname = \"rollout-tools\"\nversion = \"0.1.0\"\n\n[tool.ruff]\nline-length = 100\n",
    );
    write(
        d,
        "setup.cfg",
        "[metadata]\nname = rollout-tools\n[options]\npackages = find:\n",
    );
    write(
        d,
        "tools/report.py",
        "import json\n\nprint(json.dumps({\"ok\": True}))\n",
    );
    write(d, "tools/settings.ini", "[server]\nport = 8080\n");
    write(
        d,
        "web/package.json",
        "{\n  \"name\": \"dashboard\",\n  \"private\": true\n}\n",
    );
    write(
        d,
        "web/tsconfig.json",
        "{ \"compilerOptions\": { \"strict\": true }, }\n",
    );
    write(
        d,
        "web/index.html",
        "<!doctype html>\n<html><body><p>{{ title }}</p></body></html>\n",
    );
    write(
        d,
        "web/page.html.j2",
        "{% for p in pages %}<a>{{ p }}</a>{% endfor %}\n",
    );
    write(
        d,
        "web/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n",
    );
    write(
        d,
        ".github/workflows/ci.yaml",
        "name: ci\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n",
    );
    write(
        d,
        "deploy/values.yaml",
        "replicas: 2\nimage:\n  tag: \"1.2\"\n",
    );
    write(d, "profiles/pc0423.xml", PROFILE);
    git_ok(d, &["add", "."]);
    let out = commit(d, "tools, web and a profile");
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(commits(d), 2);
    // Broken ordinary files are not profiles either.
    write(d, "web/package.json", "{ \"name\": ");
    write(d, "pyproject.toml", "[project\nname = \n");
    git_ok(d, &["add", "."]);
    assert!(commit(d, "work in progress").status.success());
    // A profile's mistake still stops the commit.
    write(d, "profiles/pc0423.xml", &broken());
    git_ok(d, &["add", "."]);
    let out = commit(d, "AD root");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("SL100") || text(&out.stdout).contains("SL100"));
}

#[test]
fn staged_checks_print_one_line_per_finding_unless_a_format_is_given() {
    let repo = repo();
    let d = repo.path();
    write(d, "profiles/pc.xml", &broken());
    git_ok(d, &["add", "."]);
    let out = run(d, &["check", "--staged"]);
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stdout);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines.len(), 2, "{said}");
    assert!(
        lines[0].starts_with("profiles/pc.xml:3:23: SL100 [error] enterprise network `hq`"),
        "{said}"
    );
    assert!(lines[1].starts_with("scslint: 1 error"), "{said}");
    let out = run(d, &["check", "--staged", "--format", "human"]);
    let said = text(&out.stdout);
    assert!(said.contains("╭─[profiles/pc.xml:3:23]"), "{said}");
    let out = run(d, &["check", "--staged", "-q"]);
    assert_eq!(text(&out.stdout).lines().count(), 1);
}

#[test]
fn the_staged_content_is_checked_not_the_working_tree() {
    let repo = repo();
    let d = repo.path();
    assert!(run(d, &["hook", "install"]).status.success());

    // Good staged copy, broken working copy: the commit records the good one and goes through.
    write(d, "profiles/pc.xml", PROFILE);
    git_ok(d, &["add", "profiles/pc.xml"]);
    write(d, "profiles/pc.xml", &broken());
    let out = commit(d, "good staged copy");
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Broken staged copy, good working copy: refused.
    git_ok(d, &["add", "profiles/pc.xml"]);
    write(d, "profiles/pc.xml", PROFILE);
    let out = commit(d, "broken staged copy");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("SL100"), "{}", text(&out.stderr));
}

#[test]
fn staged_mode_shows_paths_from_the_working_directory_and_skips_other_files() {
    let repo = repo();
    let d = repo.path();
    write(d, "profiles/site/pc.xml", &broken());
    write(d, "profiles/site/notes.txt", "call the DHCP team\n");
    write(
        d,
        "profiles/pom.xml",
        "<project><modelVersion>4.0.0</modelVersion></project>\n",
    );
    write(d, "profiles/package.json", "{\"name\": \"x\"}\n");
    write(d, "other/desk.xml", PROFILE);
    // The observed file and scslint.toml are staged too; neither is a profile.
    write(d, "networks/observed.toml", &format!("{OBSERVED}\n"));
    write(d, "scslint.toml", &format!("{CONFIG}\n"));
    git_ok(d, &["add", "."]);
    // Not staged: never looked at.
    write(d, "profiles/site/draft.xml", "<broken");

    let sub = d.join("profiles");
    let out = run(&sub, &["check", "--staged", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_conforms("report.schema.json", &report);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert_eq!(codes(&report), ["SL100"]);
    assert_eq!(report["diagnostics"][0]["path"], "site/pc.xml");
    assert_eq!(report["summary"]["profiles"], 2);

    // At the top of the working tree, where git runs hooks, every path is repository-relative.
    let out = run(d, &["check", "--staged", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["path"], "profiles/site/pc.xml");
    assert_eq!(
        report["diagnostics"][0]["related"][0]["path"],
        "networks/observed.toml"
    );

    // PATHs narrow the staged set, as git pathspecs relative to the working directory.
    let out = run(&sub, &["check", "--staged", "../other", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((out.status.code(), codes(&report)), (Some(0), vec![]));
    assert_eq!(report["summary"]["profiles"], 1);

    // Outside a repository: a clear usage error.
    let outside = tempfile::tempdir().unwrap();
    let out = run(outside.path(), &["check", "--staged"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("--staged") && err.contains("git"), "{err}");
}

#[test]
fn staged_files_that_exclude_leaves_out_are_not_checked() {
    let repo = repo();
    let d = repo.path();
    write(d, "archive/2019.xml", &broken());
    git_ok(d, &["add", "archive/2019.xml"]);
    let out = run(d, &["check", "--staged"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    write(
        d,
        "scslint.toml",
        &format!("exclude = [\"archive/\"]\n{CONFIG}"),
    );
    let out = run(d, &["check", "--staged"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        !text(&out.stdout).contains("archive"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_foreign_hook_is_kept_unless_forced() {
    let repo = repo();
    let d = repo.path();
    let hook = d.join(".git/hooks/pre-commit");
    let theirs = "#!/bin/sh\nexec make lint\n";
    write(d, ".git/hooks/pre-commit", theirs);
    let out = run(d, &["hook", "install"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--force"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);
    let out = run(d, &["hook", "uninstall"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);

    let out = run(d, &["hook", "install", "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&hook).unwrap().contains("scslint"));
    // The replaced hook is kept, and the message says where.
    let backup = d.join(".git/hooks/pre-commit.scslint-backup");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), theirs);
    let said = text(&out.stderr);
    assert!(
        said.contains("pre-commit.scslint-backup") && said.contains("uninstall"),
        "{said}"
    );
    // Installing again over our own hook is fine, and backs nothing up.
    let out = run(d, &["hook", "install"]);
    assert!(out.status.success());
    assert!(
        !text(&out.stderr).contains("backup"),
        "{}",
        text(&out.stderr)
    );
    // The hook runs: the commit of a broken profile is refused.
    write(d, "p.xml", &broken());
    git_ok(d, &["add", "p.xml"]);
    assert!(!commit(d, "broken").status.success());
    git_ok(d, &["rm", "-q", "--cached", "p.xml"]);
    // Uninstalling puts their hook back in place and says so.
    let out = run(d, &["hook", "uninstall"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);
    assert!(!backup.exists());
    assert!(
        text(&out.stderr).contains("put back"),
        "{}",
        text(&out.stderr)
    );
    // Their hook is foreign again: uninstall leaves it alone.
    assert_eq!(run(d, &["hook", "uninstall"]).status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);
}

#[test]
fn a_second_forced_install_numbers_its_backup_and_uninstall_without_one_removes_the_hook() {
    let repo = repo();
    let d = repo.path();
    let hook = d.join(".git/hooks/pre-commit");
    write(d, ".git/hooks/pre-commit", "#!/bin/sh\nexec make lint\n");
    assert!(run(d, &["hook", "install", "--force"]).status.success());
    // Someone writes another hook over ours; forcing again keeps both backups.
    write(d, ".git/hooks/pre-commit", "#!/bin/sh\nexec make test\n");
    let out = run(d, &["hook", "install", "--force"]);
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains("pre-commit.scslint-backup.1"),
        "{}",
        text(&out.stderr)
    );
    let first = d.join(".git/hooks/pre-commit.scslint-backup");
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        "#!/bin/sh\nexec make lint\n"
    );
    assert!(run(d, &["hook", "uninstall"]).status.success());
    assert_eq!(
        std::fs::read_to_string(&hook).unwrap(),
        "#!/bin/sh\nexec make test\n",
        "the newest backup goes back"
    );
    assert!(first.exists(), "older backups stay");

    // Quiet: with no backup, uninstall removes our hook and restores nothing.
    let repo = self::repo();
    let d = repo.path();
    let hook = d.join(".git/hooks/pre-commit");
    assert!(run(d, &["hook", "install"]).status.success());
    let out = run(d, &["hook", "uninstall"]);
    assert!(out.status.success());
    assert!(!hook.exists());
    assert!(
        !text(&out.stderr).contains("put back"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        run(d, &["hook", "uninstall"]).status.success(),
        "idempotent"
    );
    assert!(!hook.exists());
}

#[test]
fn the_hook_goes_where_git_looks_for_hooks() {
    let repo = repo();
    let d = repo.path();
    git_ok(d, &["config", "core.hooksPath", "ci/hooks"]);
    write(d, "profiles/keep.txt", "");
    // From a subdirectory: core.hooksPath is relative to the top of the working tree.
    let out = run(&d.join("profiles"), &["hook", "install"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(d.join("ci/hooks/pre-commit").is_file());
    assert!(!d.join(".git/hooks/pre-commit").exists());
    write(d, "profiles/pc.xml", &broken());
    git_ok(d, &["add", "profiles/pc.xml"]);
    assert!(!commit(d, "broken").status.success());
    git_ok(d, &["reset", "-q"]);

    // A linked worktree shares the repository's hooks.
    git_ok(d, &["config", "--unset", "core.hooksPath"]);
    let wt = tempfile::tempdir().unwrap();
    let wt_path = wt.path().join("wt");
    git_ok(
        d,
        &[
            "worktree",
            "add",
            "-q",
            wt_path.to_str().unwrap(),
            "-b",
            "wt",
        ],
    );
    let out = run(&wt_path, &["hook", "install"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(d.join(".git/hooks/pre-commit").is_file());
    write(&wt_path, "profiles/pc.xml", &broken());
    git_ok(&wt_path, &["add", "profiles/pc.xml"]);
    let out = commit(&wt_path, "broken");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("SL100"), "{}", text(&out.stderr));
}

/// The hook definition pre-commit reads from .pre-commit-hooks.yaml; unknown keys are refused,
/// so a misspelt key fails here instead of being ignored by pre-commit.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ManifestHook {
    id: String,
    name: String,
    entry: String,
    language: String,
    description: Option<String>,
    files: Option<String>,
    exclude: Option<String>,
    types: Option<Vec<String>>,
    types_or: Option<Vec<String>>,
    pass_filenames: Option<bool>,
    require_serial: Option<bool>,
    always_run: Option<bool>,
    args: Option<Vec<String>>,
    stages: Option<Vec<String>>,
    minimum_pre_commit_version: Option<String>,
}

#[test]
fn the_pre_commit_manifest_names_a_working_entry() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<ManifestHook> = serde_yaml_ng::from_str(&text).unwrap();
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    // A script that builds with `cargo install --locked`: `language: rust` would not use Cargo.lock.
    assert_eq!(
        (hook.id.as_str(), hook.language.as_str()),
        ("scslint", "script")
    );
    assert_eq!(hook.pass_filenames, Some(true));
    let files = regex::Regex::new(hook.files.as_deref().unwrap()).unwrap();
    for name in [
        "profiles/wsman/hq.xml",
        "meshcentral/config.json",
        "EXPORT.XML",
    ] {
        assert!(files.is_match(name), "{name}");
    }
    for name in ["scslint.toml", "observed.toml", "notes.xml.txt", "xml"] {
        assert!(!files.is_match(name), "{name}");
    }

    // What pre-commit runs: the entry, then the matching staged file names, at the repository root.
    let mut words = hook.entry.split_whitespace();
    let script = root().join(words.next().unwrap());
    let script_text = std::fs::read_to_string(&script).unwrap();
    assert!(
        script_text.contains("cargo install --locked")
            && script_text.contains("exec \"$bin\" \"$@\""),
        "{script_text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&script).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "pre-commit runs the script itself");
    }
    let entry_args: Vec<&str> = words.collect();
    let repo = repo();
    let d = repo.path();
    // pre-commit names every staged profile, excluded ones too: --force-exclude leaves them out.
    write(
        d,
        "scslint.toml",
        &format!("exclude = [\"archive/\"]\n{CONFIG}"),
    );
    write(d, "archive/2019.xml", &broken());
    write(d, "profiles/pc.xml", &broken());
    write(
        d,
        "pom.xml",
        "<project><modelVersion>4.0.0</modelVersion></project>\n",
    );
    write(d, "package.json", "{\"name\": \"x\"}\n");
    let names = [
        "archive/2019.xml",
        "profiles/pc.xml",
        "pom.xml",
        "package.json",
    ];
    let args: Vec<&str> = entry_args.iter().copied().chain(names).collect();
    let out = run(d, &args);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("SL100") && !said.contains("SL053"), "{said}");
    assert!(!said.contains("archive"), "{said}");
    write(d, "profiles/pc.xml", PROFILE);
    let out = run(d, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The starter config with every commented-out setting uncommented.
fn uncommented(text: &str) -> String {
    let setting = regex::Regex::new(r"^# (\[[a-z.]+\]|[A-Za-z0-9_-]+ = )").unwrap();
    text.lines()
        .map(|l| if setting.is_match(l) { &l[2..] } else { l })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn init_writes_a_starter_the_config_loader_and_the_schema_accept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = run(d, &["init"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let path = d.join("scslint.toml");
    let starter = std::fs::read_to_string(&path).unwrap();
    assert!(starter.lines().filter(|l| l.starts_with("# ")).count() > 50);
    for section in [
        "[rules]",
        "[observed]",
        "[limits]",
        "[scs]",
        "[scs.fields]",
        "[collect.discovery]",
        "[collect.csv]",
    ] {
        assert!(starter.contains(section), "{section}");
    }
    let config = scslint::config::Config::load(&path).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(config.levels.is_empty() && config.observed_paths.is_empty());
    assert_conforms("config.schema.json", &toml_text_as_json(&starter));

    // Every setting shown, uncommented, is valid too: the defaults and examples are real.
    let all = uncommented(&starter);
    let settings = all.lines().count()
        - all
            .lines()
            .filter(|l| l.starts_with('#') || l.is_empty())
            .count();
    assert!(settings > 50, "{all}");
    let full = d.join("full.toml");
    std::fs::write(&full, &all).unwrap();
    let config = scslint::config::Config::load(&full).unwrap_or_else(|e| panic!("{e:?}\n{all}"));
    assert_eq!(config.observed_paths, [d.join("observed.toml")]);
    assert_eq!(config.max_home_domains, 5);
    assert!(config.levels.len() > 20);
    assert_conforms("config.schema.json", &toml_text_as_json(&all));

    // The binary accepts it, refuses to overwrite it, and writes into a folder when given one.
    write(d, "p.xml", PROFILE);
    let out = run(d, &["check", "p.xml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    std::fs::write(&path, "# ours\n").unwrap();
    let out = run(d, &["init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# ours\n");
    assert!(run(d, &["init", "--force"]).status.success());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), starter);
    std::fs::create_dir(d.join("sub")).unwrap();
    assert!(run(d, &["init", "sub"]).status.success());
    assert!(d.join("sub/scslint.toml").is_file());
    let leftovers: Vec<PathBuf> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn completions_and_man_pages_come_from_the_command_definitions() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = scslint().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = text(&out.stdout);
        for word in ["check", "collect", "probe", "hook", "init", "--staged"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let out = scslint().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));

    let out = scslint().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = text(&out.stdout);
    assert!(page.contains(".TH SCSLINT 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS") && page.contains("scslint\\-check(1)"));
    let out = scslint().args(["man", "check"]).output().unwrap();
    let page = text(&out.stdout);
    assert!(page.contains(".TH SCSLINT-CHECK 1"), "{page}");
    assert!(page.contains("\\-\\-staged"), "{page}");
    let out = scslint().args(["man", "nonsense"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// git runs hooks from the top of the working tree with `GIT_PREFIX` set; scslint then takes the
/// working directory as the top without asking git, but only where it holds `.git`.
#[test]
fn staged_paths_are_the_same_with_the_hook_environment() {
    let repo = repo();
    let d = repo.path();
    write(d, "profiles/pc0423.xml", &broken());
    git_ok(d, &["add", "."]);
    let staged = |dir: &Path, prefix: Option<&str>| {
        let mut cmd = scslint();
        for var in GIT_ENV {
            cmd.env_remove(var);
        }
        if let Some(prefix) = prefix {
            cmd.env("GIT_PREFIX", prefix);
        }
        let out = cmd
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .current_dir(dir)
            .args(["check", "--staged", "--format", "json"])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["diagnostics"][0]["path"].clone()
    };
    assert_eq!(staged(d, None), "profiles/pc0423.xml");
    assert_eq!(staged(d, Some("")), "profiles/pc0423.xml");
    assert_eq!(staged(d, Some("profiles/")), "profiles/pc0423.xml");
    // Not at the top, whatever GIT_PREFIX says: git is asked.
    let sub = d.join("profiles");
    assert_eq!(staged(&sub, None), "pc0423.xml");
    assert_eq!(staged(&sub, Some("")), "pc0423.xml");

    // Through the installed hook, committing from a subdirectory.
    assert!(run(d, &["hook", "install"]).status.success());
    let out = git(&sub, &["commit", "-q", "-m", "AD root as home domain"]);
    assert!(!out.status.success(), "the commit went through");
    let said = text(&out.stderr) + &text(&out.stdout);
    assert!(said.contains("profiles/pc0423.xml:3:"), "{said}");
}

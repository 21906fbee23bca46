//! `scslint hook install` and `uninstall`: a plain `pre-commit` hook for teams without the
//! pre-commit framework. The hooks folder comes from git (`core.hooksPath`, worktrees), the hook
//! is written atomically, and a hook scslint did not write is left alone unless asked.

use super::git;
use std::path::{Path, PathBuf};

/// The line that marks a hook as ours. Never change it: older installs are recognised by it.
pub const MARKER: &str = "# scslint-managed-hook";

/// What `install` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    Created(PathBuf),
    /// Our own hook, rewritten (e.g. to point at a newer binary).
    Updated(PathBuf),
    /// A hook scslint had not written, replaced because of `--force`.
    Replaced(PathBuf),
}

/// What `uninstall` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Removed {
    Removed(PathBuf),
    NothingInstalled(PathBuf),
}

/// The `pre-commit` hook path of the repository around the working directory.
pub fn hook_path() -> Result<PathBuf, String> {
    // Relative to the working directory; honours core.hooksPath and linked worktrees.
    let hooks = git::path_line(&["rev-parse", "--git-path", "hooks"])?;
    Ok(hooks.join("pre-commit"))
}

/// True when `text` is a hook `install` wrote.
pub fn is_ours(text: &str) -> bool {
    text.lines().any(|l| l.trim_end() == MARKER)
}

/// The hook script: run `binary` (when it still exists) else `scslint` from PATH.
pub fn script(binary: Option<&str>) -> String {
    let mut s = String::from("#!/bin/sh\n");
    s.push_str(MARKER);
    s.push_str(
        "\n# Written by `scslint hook install`; `scslint hook uninstall` removes it.\n\
         #\n\
         # Checks the profiles staged for this commit (their staged content, not the working tree)\n\
         # against the observed networks named in scslint.toml, without DNS. An error-level finding\n\
         # or an unreadable profile stops the commit; `git commit --no-verify` skips the check once.\n",
    );
    if let Some(bin) = binary {
        s.push_str(&format!(
            "scslint={}\nif [ -x \"$scslint\" ]; then\n    exec \"$scslint\" check --staged\nfi\n",
            sh_quote(bin)
        ));
    }
    s.push_str(
        "if command -v scslint >/dev/null 2>&1; then\n    exec scslint check --staged\nfi\n\
         echo 'scslint pre-commit hook: scslint is not installed (cargo install --path <scslint checkout>); the commit was stopped. `git commit --no-verify` commits anyway.' >&2\n\
         exit 1\n",
    );
    s
}

/// A single-quoted shell word.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The running binary's absolute path, when it can be written into a script.
pub fn current_binary() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let exe = std::fs::canonicalize(&exe).unwrap_or(exe);
    let text = exe.to_str()?;
    // A newline would end the assignment line; such a path falls back to PATH.
    (!text.contains(['\n', '\r'])).then(|| text.to_owned())
}

/// Write the hook, unless a hook scslint did not write is there and `force` is false.
pub fn install(force: bool) -> Result<Installed, String> {
    let path = hook_path()?;
    install_at(&path, &script(current_binary().as_deref()), force)
}

/// `install` at a known path, with a given script.
pub fn install_at(path: &Path, script: &str, force: bool) -> Result<Installed, String> {
    let existing = match std::fs::read(path) {
        Ok(bytes) => Some(is_ours(&String::from_utf8_lossy(&bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    if existing == Some(false) && !force {
        return Err(format!(
            "{} exists and was not written by scslint; it was left as it is. Add `scslint check --staged` to it yourself, or run `scslint hook install --force` to replace it",
            path.display()
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    crate::atomic::write(path, script.as_bytes(), 0o755, true)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(match existing {
        None => Installed::Created(path.to_path_buf()),
        Some(true) => Installed::Updated(path.to_path_buf()),
        Some(false) => Installed::Replaced(path.to_path_buf()),
    })
}

/// Remove the hook if scslint wrote it; a foreign hook is an error and stays.
pub fn uninstall() -> Result<Removed, String> {
    uninstall_at(&hook_path()?)
}

pub fn uninstall_at(path: &Path) -> Result<Removed, String> {
    match std::fs::read(path) {
        Ok(bytes) if is_ours(&String::from_utf8_lossy(&bytes)) => std::fs::remove_file(path)
            .map(|()| Removed::Removed(path.to_path_buf()))
            .map_err(|e| format!("cannot remove {}: {e}", path.display())),
        Ok(_) => Err(format!(
            "{} was not written by scslint; it was left as it is",
            path.display()
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok(Removed::NothingInstalled(path.to_path_buf()))
        }
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_is_recognised_and_quotes_the_binary() {
        let s = script(Some("/opt/it's here/scslint"));
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(is_ours(&s));
        assert!(s.contains(r"scslint='/opt/it'\''s here/scslint'"), "{s}");
        assert!(s.contains("exec scslint check --staged"));
        assert!(!is_ours(
            "#!/bin/sh\n# runs scslint-managed-hooks elsewhere\nmake lint\n"
        ));
        assert!(is_ours(&script(None)));
    }

    #[test]
    fn foreign_hooks_survive_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hooks/pre-commit");
        assert_eq!(
            uninstall_at(&path).unwrap(),
            Removed::NothingInstalled(path.clone())
        );
        assert_eq!(
            install_at(&path, &script(None), false).unwrap(),
            Installed::Created(path.clone())
        );
        assert_eq!(
            install_at(&path, &script(None), false).unwrap(),
            Installed::Updated(path.clone())
        );
        std::fs::write(&path, "#!/bin/sh\nmake lint\n").unwrap();
        assert!(install_at(&path, &script(None), false).is_err());
        assert!(uninstall_at(&path).is_err());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "#!/bin/sh\nmake lint\n"
        );
        assert_eq!(
            install_at(&path, &script(None), true).unwrap(),
            Installed::Replaced(path.clone())
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o755);
        }
        assert_eq!(uninstall_at(&path).unwrap(), Removed::Removed(path.clone()));
        assert!(!path.exists());
    }
}

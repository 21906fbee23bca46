//! `scslint hook install` and `uninstall`: a plain `pre-commit` hook for teams without the
//! pre-commit framework. The hooks folder comes from git (`core.hooksPath`, worktrees), the hook
//! is written atomically, and a hook scslint did not write is left alone unless asked; when asked
//! (`--force`), it is kept as `pre-commit.scslint-backup` (numbered `.1`, `.2`, … rather than
//! overwriting an older backup), and `uninstall` puts the newest backup back.

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
    /// A hook scslint had not written, replaced because of `--force`, and where it was kept.
    Replaced {
        hook: PathBuf,
        backup: PathBuf,
    },
}

/// What `uninstall` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Removed {
    Removed(PathBuf),
    /// Our hook removed, and the hook it had replaced put back from its backup.
    Restored {
        hook: PathBuf,
        backup: PathBuf,
    },
    /// No hook there; `backup` names a backup left from an earlier `install --force`, if any.
    NothingInstalled {
        hook: PathBuf,
        backup: Option<PathBuf>,
    },
}

/// What a backup's file name adds to the hook's.
const BACKUP_SUFFIX: &str = ".scslint-backup";

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

/// Enough of an existing hook to tell whether scslint wrote it.
const MAX_HOOK_BYTES: u64 = 64 * 1024;

/// Write the hook, unless a hook scslint did not write is there and `force` is false.
pub fn install(force: bool) -> Result<Installed, String> {
    let path = hook_path()?;
    install_at(&path, &script(current_binary().as_deref()), force)
}

/// `install` at a known path, with a given script.
pub fn install_at(path: &Path, script: &str, force: bool) -> Result<Installed, String> {
    let existing = match crate::load::read_prefix(path, MAX_HOOK_BYTES) {
        Ok((bytes, _)) => Some(is_ours(&String::from_utf8_lossy(&bytes))),
        Err(e) if e.is_not_found() => None,
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
    let backup = match existing {
        Some(false) => Some(back_up(path)?),
        _ => None,
    };
    crate::atomic::write(path, script.as_bytes(), 0o755, true)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let hook = path.to_path_buf();
    Ok(match (existing, backup) {
        (None, _) => Installed::Created(hook),
        (Some(false), Some(backup)) => Installed::Replaced { hook, backup },
        (Some(_), _) => Installed::Updated(hook),
    })
}

/// The name of backup number `n` of `hook` (0: no number).
fn backup_name(hook: &Path, n: u32) -> PathBuf {
    let mut name = hook.file_name().unwrap_or_default().to_os_string();
    name.push(BACKUP_SUFFIX);
    if n > 0 {
        name.push(format!(".{n}"));
    }
    hook.with_file_name(name)
}

/// Copy `hook` to the first backup name not taken (an older backup is never overwritten), with
/// its permissions.
fn back_up(hook: &Path) -> Result<PathBuf, String> {
    let fail = |what: &Path, e: std::io::Error| {
        format!("cannot back up the hook to {}: {e}", what.display())
    };
    let permissions = std::fs::metadata(hook)
        .map_err(|e| fail(hook, e))?
        .permissions();
    for n in 0..1000 {
        let backup = backup_name(hook, n);
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&backup)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(fail(&backup, e)),
        };
        let copied = std::fs::File::open(hook)
            .and_then(|mut from| std::io::copy(&mut from, &mut file))
            .and_then(|_| file.sync_all())
            .and_then(|()| std::fs::set_permissions(&backup, permissions.clone()));
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&backup);
            return Err(fail(&backup, e));
        }
        return Ok(backup);
    }
    Err(format!(
        "cannot back up the hook: {} and 999 numbered backups exist; delete the old ones",
        backup_name(hook, 0).display()
    ))
}

/// The newest backup of `hook`: the one with the highest number.
fn newest_backup(hook: &Path) -> Option<PathBuf> {
    let plain = backup_name(hook, 0);
    let plain_name = plain.file_name()?.to_str()?.to_owned();
    let dir = hook.parent().filter(|d| !d.as_os_str().is_empty());
    let entries = std::fs::read_dir(dir.unwrap_or(Path::new("."))).ok()?;
    entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| {
            let rest = name.strip_prefix(&plain_name)?;
            match rest {
                "" => Some(0),
                _ => rest
                    .strip_prefix('.')?
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n > 0),
            }
        })
        .max()
        .map(|n| backup_name(hook, n))
}

/// Remove the hook if scslint wrote it; a foreign hook is an error and stays.
pub fn uninstall() -> Result<Removed, String> {
    uninstall_at(&hook_path()?)
}

/// Remove our hook at `path`; put the newest backup back in its place when there is one.
pub fn uninstall_at(path: &Path) -> Result<Removed, String> {
    let hook = path.to_path_buf();
    match crate::load::read_prefix(path, MAX_HOOK_BYTES) {
        Ok((bytes, _)) if is_ours(&String::from_utf8_lossy(&bytes)) => match newest_backup(path) {
            // One rename: the hook is never missing in between.
            Some(backup) => std::fs::rename(&backup, path)
                .map(|()| Removed::Restored { hook, backup })
                .map_err(|e| format!("cannot put back {}: {e}", path.display())),
            None => std::fs::remove_file(path)
                .map(|()| Removed::Removed(hook))
                .map_err(|e| format!("cannot remove {}: {e}", path.display())),
        },
        Ok(_) => Err(format!(
            "{} was not written by scslint; it was left as it is",
            path.display()
        )),
        Err(e) if e.is_not_found() => Ok(Removed::NothingInstalled {
            backup: newest_backup(path),
            hook,
        }),
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
            Removed::NothingInstalled {
                hook: path.clone(),
                backup: None
            }
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
        let backup = dir.path().join("hooks/pre-commit.scslint-backup");
        assert_eq!(
            install_at(&path, &script(None), true).unwrap(),
            Installed::Replaced {
                hook: path.clone(),
                backup: backup.clone()
            }
        );
        assert_eq!(
            std::fs::read_to_string(&backup).unwrap(),
            "#!/bin/sh\nmake lint\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o755);
        }
        assert_eq!(
            uninstall_at(&path).unwrap(),
            Removed::Restored {
                hook: path.clone(),
                backup: backup.clone()
            }
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "#!/bin/sh\nmake lint\n"
        );
        assert!(!backup.exists());
        install_at(&path, &script(None), true).unwrap();
        assert_eq!(
            uninstall_at(&path).unwrap(),
            Removed::Restored {
                hook: path.clone(),
                backup
            }
        );
        std::fs::remove_file(&path).unwrap();
        install_at(&path, &script(None), false).unwrap();
        assert_eq!(uninstall_at(&path).unwrap(), Removed::Removed(path.clone()));
        assert!(!path.exists());
    }

    #[test]
    fn backups_are_numbered_never_overwritten_and_the_newest_goes_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pre-commit");
        let name = |n: &str| dir.path().join(format!("pre-commit.scslint-backup{n}"));
        std::fs::write(name(""), "oldest\n").unwrap();
        std::fs::write(name(".1"), "older\n").unwrap();
        std::fs::write(&path, "#!/bin/sh\nnewest\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o750)).unwrap();
        }
        let done = install_at(&path, &script(None), true).unwrap();
        assert_eq!(
            done,
            Installed::Replaced {
                hook: path.clone(),
                backup: name(".2")
            }
        );
        assert_eq!(std::fs::read_to_string(name("")).unwrap(), "oldest\n");
        assert_eq!(std::fs::read_to_string(name(".1")).unwrap(), "older\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(name(".2")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o750, "the backup keeps the hook's mode");
        }
        assert_eq!(
            uninstall_at(&path).unwrap(),
            Removed::Restored {
                hook: path.clone(),
                backup: name(".2")
            }
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "#!/bin/sh\nnewest\n"
        );
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            uninstall_at(&path).unwrap(),
            Removed::NothingInstalled {
                hook: path.clone(),
                backup: Some(name(".1"))
            }
        );
    }
}

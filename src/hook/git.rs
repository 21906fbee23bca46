//! Running `git`: its output, or a message that says which command failed and what git said.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// A `git` command in the working directory, with settings that would change the output of the
/// plumbing we parse turned off.
pub fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    // diff.relative would restrict `git diff` to the working directory and rewrite its paths.
    cmd.args(["-c", "diff.relative=false", "-c", "core.quotePath=false"]);
    cmd.args(args);
    cmd.stdin(Stdio::null());
    cmd
}

/// Run git and return its standard output.
pub fn output(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| not_started(&e))?;
    checked(args, out)
}

/// Standard output when git succeeded, else what it said on standard error.
pub fn checked(args: &[&str], out: Output) -> Result<Vec<u8>, String> {
    if out.status.success() {
        return Ok(out.stdout);
    }
    let said = String::from_utf8_lossy(&out.stderr);
    let said = said.trim();
    let said = said.strip_prefix("fatal: ").unwrap_or(said);
    Err(format!(
        "`git {}` failed: {}",
        args.first().copied().unwrap_or_default(),
        if said.is_empty() {
            format!("exit status {}", out.status)
        } else {
            said.to_owned()
        }
    ))
}

/// Why git could not be started.
pub fn not_started(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        "git is not installed or not on PATH".to_owned()
    } else {
        format!("cannot run git: {e}")
    }
}

/// A path git printed on one line (`rev-parse`), relative to the working directory or absolute.
pub fn path_line(args: &[&str]) -> Result<PathBuf, String> {
    path_line_of(args, &output(args)?)
}

/// The path on the one line `out` holds (the output of `git <args>`).
pub fn path_line_of(args: &[&str], out: &[u8]) -> Result<PathBuf, String> {
    let line = out.strip_suffix(b"\n").unwrap_or(out);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.is_empty() {
        return Err(format!("`git {}` printed no path", args.join(" ")));
    }
    Ok(path_from_bytes(line))
}

/// A path from git's bytes (paths need not be UTF-8 on Unix).
#[cfg(unix)]
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

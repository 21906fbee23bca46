//! The files staged for the next commit and their staged content, as `git commit` will record
//! them: the paths from `git diff --cached`, the bytes from the object database (one
//! `git cat-file --batch` for all of them), never the working tree.

use super::git;
use crate::profile::MAX_PROFILE_BYTES;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::Stdio;

/// One staged file.
#[derive(Debug, Clone)]
pub struct StagedFile {
    /// The path shown in findings: relative to the working directory, as walked paths are.
    pub display: PathBuf,
    /// Where the file is in the working tree (absolute), to recognise config and observed files.
    pub worktree: PathBuf,
    /// The staged content, at most `MAX_PROFILE_BYTES + 1` bytes of it.
    pub bytes: Vec<u8>,
    /// The staged content's whole length.
    pub size: u64,
}

/// A staged entry before its content is read.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    path: PathBuf,
    blob: String,
}

/// Every regular file added, copied, modified or renamed in the index, with its staged content.
/// `pathspecs` (relative to the working directory, as git reads them) narrow the set.
pub fn read(pathspecs: &[PathBuf]) -> Result<Vec<StagedFile>, String> {
    // A hook runs on every commit, and each git start costs milliseconds: where git ran us from
    // the top of the working tree, that is the top; else it is asked for while the index is
    // compared.
    let toplevel = ["rev-parse", "--show-toplevel"];
    // Ok: the top already known; Err: the git asked for it.
    let top_or_child = match top_from_hook_environment() {
        Some(top) => Ok(top),
        None => Err(git::command(&toplevel)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| git::not_started(&e))?),
    };
    // Started now, so its start overlaps the index comparison; it waits for object names.
    let cat_file = spawn_cat_file()?;
    let mut args: Vec<std::ffi::OsString> = [
        "diff",
        "--cached",
        "--raw",
        "-z",
        "--no-abbrev",
        "--no-renames",
        "--no-color",
        "--no-ext-diff",
        "--diff-filter=ACMR",
        "--",
    ]
    .iter()
    .map(Into::into)
    .collect();
    args.extend(pathspecs.iter().map(|p| p.as_os_str().to_owned()));
    let out = git::command(&[])
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| git::not_started(&e))?;
    let top = match top_or_child {
        Ok(top) => top,
        Err(child) => {
            let top = child
                .wait_with_output()
                .map_err(|e| git::not_started(&e))
                .and_then(|out| git::checked(&toplevel, out))
                .and_then(|out| git::path_line_of(&toplevel, &out))?;
            std::fs::canonicalize(&top).unwrap_or(top)
        }
    };
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .map_err(|e| format!("cannot tell the working directory: {e}"))?;
    let raw = git::checked(&["diff"], out)?;
    let entries = parse_raw(&raw)?;
    // With nothing staged it gets no names, sees its input end and exits.
    let blobs = cat_blobs(cat_file, &entries)?;
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    Ok(entries
        .into_iter()
        .zip(blobs)
        .map(|(entry, (bytes, size))| {
            let worktree = top.join(&entry.path);
            StagedFile {
                display: relative_to(&worktree, &cwd),
                worktree,
                bytes,
                size,
            }
        })
        .collect())
}

/// The top of the working tree without asking git, where git itself started us there: git runs
/// hooks (and shell aliases) from the top of the working tree and sets `GIT_PREFIX` for them. Only
/// when the working directory also holds `.git` and no `GIT_WORK_TREE` points elsewhere.
fn top_from_hook_environment() -> Option<PathBuf> {
    std::env::var_os("GIT_PREFIX")?;
    if std::env::var_os("GIT_WORK_TREE").is_some() {
        return None;
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.join(".git").symlink_metadata().ok()?;
    std::fs::canonicalize(&cwd).ok()
}

/// Entries of `git diff --raw -z` output (`:old-mode new-mode old-id new-id status NUL path NUL`)
/// whose new side is a regular file: symbolic links and submodules are no profiles.
fn parse_raw(raw: &[u8]) -> Result<Vec<Entry>, String> {
    let mut fields = raw.split(|&b| b == 0).filter(|f| !f.is_empty());
    let mut entries = Vec::new();
    while let Some(meta) = fields.next() {
        let meta = std::str::from_utf8(meta)
            .ok()
            .and_then(|m| m.strip_prefix(':'))
            .ok_or_else(|| "unexpected `git diff --raw` output".to_owned())?;
        let parts: Vec<&str> = meta.split(' ').collect();
        let [_, new_mode, _, new_id, status] = parts[..] else {
            return Err(format!("unexpected `git diff --raw` entry `:{meta}`"));
        };
        let path = fields
            .next()
            .ok_or_else(|| "`git diff --raw` output ends without a path".to_owned())?;
        if status.starts_with(['R', 'C']) {
            // Renames and copies carry a second path; --no-renames should leave none.
            fields.next();
        }
        if matches!(new_mode, "100644" | "100755") {
            entries.push(Entry {
                path: git::path_from_bytes(path),
                blob: new_id.to_owned(),
            });
        }
    }
    Ok(entries)
}

/// `git cat-file --batch`, waiting for object names on its standard input.
fn spawn_cat_file() -> Result<std::process::Child, String> {
    git::command(&["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| git::not_started(&e))
}

/// The content of each entry's blob, in order: `(first MAX_PROFILE_BYTES + 1 bytes, size)`,
/// from a [`spawn_cat_file`] child, which this ends.
fn cat_blobs(
    mut child: std::process::Child,
    entries: &[Entry],
) -> Result<Vec<(Vec<u8>, u64)>, String> {
    let mut request = String::new();
    for e in entries {
        request.push_str(&e.blob);
        request.push('\n');
    }
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err("cannot talk to `git cat-file`".to_owned());
    };
    // Written from another thread: git answers while it reads, and both pipes are bounded.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut reader = BufReader::new(stdout);
    let mut blobs = Vec::with_capacity(entries.len());
    let mut failure = None;
    for e in entries {
        match read_blob(&mut reader, &e.blob) {
            Ok(blob) => blobs.push(blob),
            Err(msg) => {
                failure = Some(format!("{}: {msg}", e.path.display()));
                break;
            }
        }
    }
    drop(reader);
    let written = writer.join();
    let out = child.wait_with_output().map_err(|e| git::not_started(&e))?;
    if let Some(msg) = failure {
        git::checked(&["cat-file"], out)?;
        return Err(format!("cannot read the staged content of {msg}"));
    }
    match written {
        Ok(Ok(())) => Ok(blobs),
        _ => Err("cannot send object names to `git cat-file`".to_owned()),
    }
}

/// One `<id> blob <size>\n<content>\n` answer of `git cat-file --batch`.
fn read_blob(reader: &mut impl BufRead, id: &str) -> Result<(Vec<u8>, u64), String> {
    let mut header = String::new();
    reader
        .read_line(&mut header)
        .map_err(|e| format!("reading from git: {e}"))?;
    let mut parts = header.split_whitespace();
    let size = match (parts.next(), parts.next(), parts.next()) {
        (Some(got), Some("blob"), Some(size)) if got == id => size
            .parse::<u64>()
            .map_err(|_| format!("unexpected `git cat-file` header `{}`", header.trim()))?,
        _ if header.is_empty() => return Err("git stopped answering".to_owned()),
        _ => return Err(format!("git answered `{}`", header.trim())),
    };
    let mut bytes = Vec::new();
    (&mut *reader)
        .take(size.min(MAX_PROFILE_BYTES + 1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading from git: {e}"))?;
    // The rest of an oversized blob, then the newline after every object.
    let rest = size.saturating_sub(bytes.len() as u64) + 1;
    let skipped = std::io::copy(&mut (&mut *reader).take(rest), &mut std::io::sink())
        .map_err(|e| format!("reading from git: {e}"))?;
    if skipped != rest {
        return Err("git stopped in the middle of an object".to_owned());
    }
    Ok((bytes, size))
}

/// `path` as seen from `base` (both absolute and without `.`/`..`): `../x` when it lies beside.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path_parts: Vec<Component> = path.components().collect();
    let base_parts: Vec<Component> = base.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..base_parts.len() {
        out.push("..");
    }
    for part in &path_parts[common..] {
        out.push(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_entries_keep_regular_files_only() {
        let zero = "0".repeat(40);
        let id = "a".repeat(40);
        let raw = format!(
            ":000000 100644 {zero} {id} A\0p/new.xml\0:100644 100755 {zero} {id} M\0run.sh\0\
             :000000 120000 {zero} {id} A\0link.xml\0:000000 160000 {zero} {id} A\0vendor\0\
             :100644 100644 {zero} {id} R087\0old.json\0new name.json\0"
        );
        let entries = parse_raw(raw.as_bytes()).unwrap();
        let paths: Vec<&Path> = entries.iter().map(|e| e.path.as_path()).collect();
        assert_eq!(
            paths,
            [
                Path::new("p/new.xml"),
                Path::new("run.sh"),
                Path::new("old.json")
            ]
        );
        assert!(entries.iter().all(|e| e.blob == id));
        assert!(parse_raw(b":100644 garbage\0x\0").is_err());
        assert!(parse_raw(format!(":000000 100644 {zero} {id} A\0").as_bytes()).is_err());
        assert_eq!(parse_raw(b"").unwrap(), []);
    }

    #[test]
    fn blobs_are_cut_at_the_profile_limit_and_the_stream_stays_in_step() {
        let id = "b".repeat(40);
        let big = MAX_PROFILE_BYTES + 10;
        let mut stream = format!("{id} blob 5\nhello\n{id} blob {big}\n").into_bytes();
        stream.extend(std::iter::repeat_n(b'x', big as usize));
        stream.extend(format!("\n{id} blob 2\nok\n").bytes());
        let mut reader = std::io::Cursor::new(stream);
        assert_eq!(read_blob(&mut reader, &id).unwrap(), (b"hello".to_vec(), 5));
        let (bytes, size) = read_blob(&mut reader, &id).unwrap();
        assert_eq!((bytes.len() as u64, size), (MAX_PROFILE_BYTES + 1, big));
        assert_eq!(read_blob(&mut reader, &id).unwrap(), (b"ok".to_vec(), 2));
        assert!(read_blob(&mut reader, &id).is_err(), "end of stream");
        let mut missing = std::io::Cursor::new(format!("{id} missing\n").into_bytes());
        assert!(
            read_blob(&mut missing, &id)
                .unwrap_err()
                .contains("missing")
        );
        let mut short = std::io::Cursor::new(format!("{id} blob 9\nabc").into_bytes());
        assert!(read_blob(&mut short, &id).is_err());
    }

    #[test]
    fn paths_are_shown_relative_to_the_working_directory() {
        let rel = |p: &str, b: &str| relative_to(Path::new(p), Path::new(b));
        assert_eq!(rel("/r/p/a.xml", "/r"), Path::new("p/a.xml"));
        assert_eq!(rel("/r/p/a.xml", "/r/p"), Path::new("a.xml"));
        assert_eq!(rel("/r/p/a.xml", "/r/q/s"), Path::new("../../p/a.xml"));
    }
}

//! The one way scslint reads a file from disk: regular files only, at most a given number of
//! bytes, and a budget of bytes for the whole run.
//!
//! A FIFO, device, socket or folder named where a file is expected is refused from its metadata
//! before it is opened, and the file is opened non-blocking and checked again, so one swapped in
//! between cannot block the run. `/dev/zero` named as a config or baseline is refused the same
//! way instead of being read forever.

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// All the bytes one run may read from files, whatever they are: far beyond any real fleet's
/// configurations and reports, and a bound on what a hostile include tree can make it read.
pub const RUN_BUDGET: u64 = 4 * 1024 * 1024 * 1024;

static READ_SO_FAR: AtomicU64 = AtomicU64::new(0);

#[derive(Debug)]
pub enum LoadError {
    Io(std::io::Error),
    /// Not a regular file: what it is instead ("a FIFO", "a character device", …).
    NotRegular(&'static str),
    /// The run has read [`RUN_BUDGET`] bytes already.
    Budget,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io(e) => write!(f, "{e}"),
            LoadError::NotRegular(what) => {
                write!(
                    f,
                    "it is {what}, not a regular file; only regular files are read"
                )
            }
            LoadError::Budget => write!(
                f,
                "this run has already read {} GiB of files, its limit; not read",
                RUN_BUDGET >> 30
            ),
        }
    }
}

impl LoadError {
    pub fn is_not_regular(&self) -> bool {
        matches!(self, LoadError::NotRegular(_))
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, LoadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// What a file is, for the message that refuses it.
fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Refuse anything but a regular file, from its metadata (links followed).
pub fn check_regular(path: &Path) -> Result<u64, LoadError> {
    let meta = std::fs::metadata(path).map_err(LoadError::Io)?;
    if meta.is_file() {
        Ok(meta.len())
    } else {
        Err(LoadError::NotRegular(describe(meta.file_type())))
    }
}

fn open(path: &Path) -> Result<std::fs::File, LoadError> {
    check_regular(path)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(LoadError::Io)?;
    // Checked again on what was opened: a file swapped for a FIFO in between is refused too.
    let meta = file.metadata().map_err(LoadError::Io)?;
    if !meta.is_file() {
        return Err(LoadError::NotRegular(describe(meta.file_type())));
    }
    Ok(file)
}

/// The first `limit + 1` bytes of a regular file (one past the limit, so the caller can tell an
/// oversized file without reading it whole), and the file's size.
pub fn read_prefix(path: &Path, limit: u64) -> Result<(Vec<u8>, u64), LoadError> {
    let file = open(path)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let want = limit.saturating_add(1).min(size.saturating_add(1));
    if READ_SO_FAR
        .fetch_add(want, Ordering::Relaxed)
        .saturating_add(want)
        > RUN_BUDGET
    {
        return Err(LoadError::Budget);
    }
    // Sized from the metadata: one read fills it and a second sees the end, instead of a
    // growing buffer read in ever larger pieces.
    let mut bytes = Vec::with_capacity(usize::try_from(want).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(LoadError::Io)?;
    Ok((bytes, size))
}

/// `16 MiB`, `512 KiB`.
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", (bytes >> 10).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_up_to_their_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_prefix(&path, 10).unwrap().0, b"0123456789");
        assert_eq!(read_prefix(&path, 9).unwrap().0.len(), 10);
        let (prefix, size) = read_prefix(&path, 4).unwrap();
        assert_eq!((prefix.as_slice(), size), (&b"01234"[..], 10));
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_folders_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = read_prefix(&fifo, 10).unwrap_err();
            assert!(e.to_string().contains("a FIFO"), "{e}");
        }
        let refused = |path: &Path| read_prefix(path, 10).unwrap_err().to_string();
        assert!(refused(Path::new("/dev/zero")).contains("a character device"));
        assert!(refused(dir.path()).contains("a folder"));
        assert!(
            read_prefix(&dir.path().join("missing"), 1)
                .unwrap_err()
                .is_not_found()
        );
    }
}

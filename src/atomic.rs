//! Whole files or nothing: written to a temporary file beside the target, flushed, given their
//! mode, then renamed into place, so an interrupted run never leaves a partial file.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` with permission bits `mode` (Unix). With `replace` false an existing
/// file is never overwritten, even one created meanwhile: the error is then `AlreadyExists`.
/// Only a regular file (or nothing) is ever replaced: a FIFO, device node, socket or folder at
/// `path` (or behind a link there) is refused, so `-o /dev/null` run as root cannot replace
/// `/dev/null`.
pub fn write(path: &Path, bytes: &[u8], mode: u32, replace: bool) -> std::io::Result<()> {
    match crate::load::check_regular(path) {
        Ok(_) => {}
        Err(e) if e.is_not_found() => {}
        Err(crate::load::LoadError::NotRegular(what)) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("it is {what}; scslint writes over regular files only"),
            ));
        }
        Err(crate::load::LoadError::Io(e)) => return Err(e),
        Err(e) => return Err(std::io::Error::other(e.to_string())),
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".scslint-new")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    set_mode(tmp.as_file(), mode)?;
    tmp.as_file().sync_all()?;
    if replace {
        tmp.persist(path).map_err(|e| e.error)?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(file: &std::fs::File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // fchmod, not the creation mode: the umask does not apply.
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &std::fs::File, _: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn fifos_and_device_nodes_are_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            let e = write(&fifo, b"x", 0o644, true).unwrap_err();
            assert!(e.to_string().contains("a FIFO"), "{e}");
            use std::os::unix::fs::FileTypeExt;
            assert!(
                std::fs::symlink_metadata(&fifo)
                    .unwrap()
                    .file_type()
                    .is_fifo()
            );
        }
        let e = write(Path::new("/dev/null"), b"x", 0o644, true).unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
        let e = write(dir.path(), b"x", 0o644, true).unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
    }

    #[test]
    fn replaces_only_when_asked_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        write(&path, b"one", 0o644, false).unwrap();
        let err = write(&path, b"two", 0o644, false).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write(&path, b"three", 0o600, true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

//! The files behind command-line paths: named files as they are, folders walked recursively in a
//! stable order, without following links and skipping hidden entries.

use crate::diagnostic::{Code, Finding};
use crate::source::display_path;
use std::path::PathBuf;

/// `(path, explicitly named)` for every file, or an SL050 finding for what cannot be read.
pub fn files(
    paths: &[PathBuf],
) -> impl Iterator<Item = Result<(PathBuf, bool), Finding>> + Send + '_ {
    paths.iter().flat_map(
        |path| -> Box<dyn Iterator<Item = Result<(PathBuf, bool), Finding>> + Send> {
            if path.is_dir() {
                let walker = walkdir::WalkDir::new(path)
                    .follow_links(false)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| {
                        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                    });
                Box::new(walker.filter_map(move |entry| match entry {
                    Ok(e) if e.file_type().is_file() => Some(Ok((e.into_path(), false))),
                    Ok(_) => None,
                    Err(e) => {
                        let at = e
                            .path()
                            .map(display_path)
                            .unwrap_or_else(|| display_path(path));
                        Some(Err(Finding::at_file(
                            Code::SL050,
                            at,
                            1,
                            1,
                            format!("cannot read: {e}"),
                        )))
                    }
                }))
            } else if path.exists() {
                Box::new(std::iter::once(Ok((path.clone(), true))))
            } else {
                let f = Finding::at_file(
                    Code::SL050,
                    display_path(path),
                    1,
                    1,
                    "no such file or directory",
                );
                Box::new(std::iter::once(Err(f)))
            }
        },
    )
}

//! The files behind command-line paths: named files as they are, folders walked recursively in a
//! stable order, without following links, skipping hidden entries and what `.gitignore`, `.ignore`
//! and git's other exclude files leave out (as ripgrep does), and what the caller excludes.

use crate::diagnostic::{Code, Finding};
use crate::source::display_path;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whether a path (as walked, and whether it is a folder) is excluded, e.g. by `exclude` globs.
pub type Exclude = Arc<dyn Fn(&Path, bool) -> bool + Send + Sync>;

/// What to leave out besides hidden and git-ignored entries.
#[derive(Clone, Default)]
pub struct Filter {
    /// Paths to leave out while walking; `None` leaves out nothing more.
    pub exclude: Option<Exclude>,
    /// Apply `exclude` to the named paths too; without it, a named path is always taken.
    pub force_exclude: bool,
}

impl Filter {
    fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        self.exclude.as_ref().is_some_and(|f| f(path, is_dir))
    }
}

/// `(path, explicitly named)` for every file, or an SL050 finding for what cannot be read.
pub fn files(
    paths: &[PathBuf],
    filter: Filter,
) -> impl Iterator<Item = Result<(PathBuf, bool), Finding>> + Send + '_ {
    paths.iter().flat_map(
        move |path| -> Box<dyn Iterator<Item = Result<(PathBuf, bool), Finding>> + Send> {
            let is_dir = path.is_dir();
            if filter.force_exclude && filter.excludes(path, is_dir) {
                return Box::new(std::iter::empty());
            }
            if is_dir {
                Box::new(walk(path, filter.clone()))
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

/// The files under a named folder (which itself is always taken).
fn walk(
    root: &Path,
    filter: Filter,
) -> impl Iterator<Item = Result<(PathBuf, bool), Finding>> + Send + use<> {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .follow_links(false)
        .hidden(true)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .sort_by_file_name(|a, b| a.cmp(b));
    if filter.exclude.is_some() {
        builder.filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !filter.excludes(e.path(), is_dir)
        });
    }
    let root = root.to_path_buf();
    builder.build().filter_map(move |entry| match entry {
        Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => Some(Ok((e.into_path(), false))),
        Ok(_) => None,
        // A pattern in an ignore file that does not parse is not an unreadable input.
        Err(e) if e.io_error().is_none() => None,
        Err(e) => {
            let at = error_path(&e).map_or_else(|| display_path(&root), display_path);
            Some(Err(Finding::at_file(
                Code::SL050,
                at,
                1,
                1,
                format!("cannot read: {}", io_message(&e)),
            )))
        }
    })
}

/// The path an error of the walk is about, when it names one.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// What the operating system said, without the path the finding already names.
fn io_message(e: &ignore::Error) -> String {
    e.io_error()
        .map_or_else(|| e.to_string(), std::string::ToString::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walked(paths: &[PathBuf], filter: Filter) -> Vec<(String, bool)> {
        files(paths, filter)
            .map(|r| {
                let (p, named) = r.unwrap();
                (p.to_string_lossy().replace('\\', "/"), named)
            })
            .collect()
    }

    #[test]
    fn sorted_hidden_skipped_ignore_files_honoured_named_paths_taken() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "b.xml",
            "a.xml",
            ".hidden.xml",
            "skip.xml",
            "sub/c.xml",
            "sub/d.log",
        ] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        // `.ignore` applies without git; `.gitignore` only inside a git repository, as in ripgrep.
        std::fs::write(d.join(".ignore"), "skip.xml\n*.log\n").unwrap();
        let root = d.to_string_lossy().replace('\\', "/");
        let got = walked(&[d.to_path_buf()], Filter::default());
        assert_eq!(
            got,
            [
                (format!("{root}/a.xml"), false),
                (format!("{root}/b.xml"), false),
                (format!("{root}/sub/c.xml"), false),
            ]
        );
        let named = walked(
            &[d.join("skip.xml"), d.join(".hidden.xml")],
            Filter::default(),
        );
        assert_eq!(named.len(), 2, "{named:?}");
        assert!(named.iter().all(|(_, n)| *n));
    }

    #[test]
    fn exclude_prunes_walks_and_named_paths_only_when_forced() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in ["keep.xml", "old/x.xml"] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let exclude: Exclude =
            Arc::new(|p: &Path, _| p.ends_with("old") || p.ends_with("old/x.xml"));
        let filter = |force_exclude| Filter {
            exclude: Some(exclude.clone()),
            force_exclude,
        };
        let got = walked(&[d.to_path_buf()], filter(false));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].0.ends_with("keep.xml"));
        let named = [d.join("old/x.xml")];
        assert_eq!(walked(&named, filter(false)).len(), 1);
        assert!(walked(&named, filter(true)).is_empty());
    }
}

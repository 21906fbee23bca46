//! Paths as CI systems want them: relative to the repository root (the top level of the git work
//! tree around the working directory, found by walking up to `.git`), else to the working
//! directory; with `/` separators, and as percent-encoded URI references for SARIF.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::path::{Path, PathBuf};

/// Characters escaped in one path segment of a URI reference: everything RFC 3986 does not allow
/// there, `%` itself, and `:` (so that a first segment is never read as a scheme). Non-ASCII is
/// always encoded (as UTF-8).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Where report paths are made relative to.
#[derive(Debug, Clone)]
pub struct RepoPaths {
    /// Absolute working directory.
    cwd: PathBuf,
    /// Absolute repository root (the working directory outside a git work tree).
    root: PathBuf,
}

impl RepoPaths {
    /// From the process's working directory.
    pub fn detect() -> RepoPaths {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        RepoPaths::from_dir(&cwd)
    }

    /// From a given working directory (absolute).
    pub fn from_dir(cwd: &Path) -> RepoPaths {
        let root = cwd
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(cwd)
            .to_path_buf();
        RepoPaths {
            cwd: cwd.to_path_buf(),
            root,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path relative to the repository root with `/` separators, or `None` when it lies
    /// outside the root.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let absolute = crate::source::lexical_path(&self.cwd.join(path));
        let rel = match absolute.strip_prefix(&self.root) {
            Ok(rel) => rel.to_path_buf(),
            // Through a link: compare where both really are.
            Err(_) => {
                let real = std::fs::canonicalize(&absolute).ok()?;
                let root = std::fs::canonicalize(&self.root).ok()?;
                real.strip_prefix(&root).ok()?.to_path_buf()
            }
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    /// The path as CI annotations show it: repository-relative when possible, else as given.
    pub fn display(&self, path: &Path) -> String {
        self.relative(path)
            .unwrap_or_else(|| path.to_string_lossy().replace('\\', "/"))
    }

    /// The absolute path as a `file:` URI.
    pub fn file_uri(&self, path: &Path) -> String {
        file_uri(&crate::source::lexical_path(&self.cwd.join(path)))
    }

    /// The root as a `file:` URI ending in `/` (what `%SRCROOT%` stands for).
    pub fn root_uri(&self) -> String {
        let mut uri = file_uri(&self.root);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }
}

/// `a/b c/d#1.xml` → `a/b%20c/d%231.xml`.
pub fn uri_reference(relative: &str) -> String {
    relative
        .split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

fn file_uri(absolute: &Path) -> String {
    let text = absolute.to_string_lossy().replace('\\', "/");
    let text = text.trim_start_matches('/');
    format!("file:///{}", uri_reference(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_to_the_root_with_forward_slashes() {
        let paths = RepoPaths {
            cwd: PathBuf::from("/repo/sub"),
            root: PathBuf::from("/repo"),
        };
        assert_eq!(
            paths.relative(Path::new("profiles/a.xml")).as_deref(),
            Some("sub/profiles/a.xml")
        );
        assert_eq!(
            paths.relative(Path::new("./x/../b.xml")).as_deref(),
            Some("sub/b.xml")
        );
        assert_eq!(
            paths.relative(Path::new("/repo/c.xml")).as_deref(),
            Some("c.xml")
        );
        assert_eq!(paths.relative(Path::new("/elsewhere/d.xml")), None);
        assert_eq!(
            paths.display(Path::new("/elsewhere/d.xml")),
            "/elsewhere/d.xml"
        );
        assert_eq!(paths.root_uri(), "file:///repo/");
        assert_eq!(
            paths.file_uri(Path::new("../e f.xml")),
            "file:///repo/e%20f.xml"
        );
    }

    #[test]
    fn uri_references_are_percent_encoded_per_segment() {
        assert_eq!(uri_reference("a/b c/d#1.xml"), "a/b%20c/d%231.xml");
        assert_eq!(uri_reference("c:x/100%.xml"), "c%3Ax/100%25.xml");
        assert_eq!(uri_reference("büro/ü.xml"), "b%C3%BCro/%C3%BC.xml");
        assert_eq!(
            uri_reference("ok-_.~!$&'()*+,;=@/z"),
            "ok-_.~!$&'()*+,;=@/z"
        );
    }
}

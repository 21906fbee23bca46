//! Fixes: the edits a rule attaches to the finding it raises, and how they are applied to a file.
//! A rule computes the problem and its fix in one place; this module applies fixes that do not
//! overlap, renders what they change as a unified diff, and writes the result back safely.
//!
//! Edit ranges are byte ranges in the decoded text of a [`crate::source::SourceFile`]; the file is
//! written back in its own encoding ([`crate::source::Encoding::encode`]), which gives back every
//! byte outside the edits unchanged.

use crate::source::Span;
use std::path::Path;

/// Replace the bytes of `range` with `content` (an empty range inserts, empty content deletes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Span,
    pub content: String,
}

impl Edit {
    pub fn replace(range: Span, content: impl Into<String>) -> Edit {
        Edit {
            range,
            content: content.into(),
        }
    }

    pub fn delete(range: Span) -> Edit {
        Edit::replace(range, "")
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit::replace(at..at, content)
    }
}

/// Whether applying a fix keeps what AMT does (safe) or changes it (unsafe, opt-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Changes which networks count as home: applied only with `--unsafe-fixes`.
    Unsafe,
    /// Keeps the intended matching: applied by `--fix`.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// What a finding's fix does: its edits, how safe they are, and one line saying what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// "delete `a.corp.com`", "write `company.com`".
    pub message: String,
    pub edits: Vec<Edit>,
    /// Fixes with the same key change one list's shape (an entry added or removed): one of them
    /// is applied per pass, so each is judged against the list as the previous one left it (a
    /// list never loses its last entry that way).
    pub isolation: Option<usize>,
}

impl Fix {
    pub fn new(applicability: Applicability, message: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            applicability,
            message: message.into(),
            edits,
            isolation: None,
        }
    }

    pub fn isolated(mut self, key: usize) -> Fix {
        self.isolation = Some(key);
        self
    }

    /// The first byte the fix touches.
    fn start(&self) -> usize {
        self.edits.iter().map(|e| e.range.start).min().unwrap_or(0)
    }
}

/// Which fixes a run applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    Safe,
    SafeAndUnsafe,
}

impl Wanted {
    pub fn allows(self, applicability: Applicability) -> bool {
        applicability == Applicability::Safe || self == Wanted::SafeAndUnsafe
    }
}

/// The text after one pass of fixes, and how many were applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    pub applied: usize,
}

/// Two ranges that overlap or touch: their edits could not be applied in a defined order.
fn conflict(a: &Span, b: &Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Apply `fixes` to `text` in one pass: in order of position, each fix whose edits are in range,
/// on character boundaries, clear of the edits already taken, and not of a list another fix of
/// this pass has changed already. `None` when none could be applied.
pub fn apply<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> Option<Applied> {
    let mut fixes: Vec<&Fix> = fixes.into_iter().filter(|f| !f.edits.is_empty()).collect();
    fixes.sort_by_key(|f| f.start());
    let mut taken: Vec<&Edit> = Vec::new();
    let mut lists = std::collections::HashSet::new();
    let mut applied = 0;
    for fix in fixes {
        let valid = fix.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        let clear = fix.edits.iter().enumerate().all(|(i, e)| {
            !taken.iter().any(|t| conflict(&t.range, &e.range))
                && !fix.edits[..i].iter().any(|o| conflict(&o.range, &e.range))
        });
        let list_free = fix.isolation.is_none_or(|key| !lists.contains(&key));
        if !(valid && clear && list_free) {
            continue;
        }
        if let Some(key) = fix.isolation {
            lists.insert(key);
        }
        taken.extend(&fix.edits);
        applied += 1;
    }
    if applied == 0 {
        return None;
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in taken {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.content);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    Some(Applied { text: out, applied })
}

/// A unified diff of `old` and `new` with `--- a/PATH` and `+++ b/PATH` headers, three lines of
/// context; empty when they are equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .missing_newline_hint(true)
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// How writing a fixed file ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    Written,
    /// The file's bytes are no longer those that were read: it was left as it is.
    ChangedOnDisk,
}

/// Replace the file at `path` with `new`, atomically, only while its bytes are still `original`
/// (what was read and fixed). The file is read again just before the write; a link is followed
/// so the file it names is replaced, not the link, and the file keeps its permission bits.
pub fn write_if_unchanged(path: &Path, original: &[u8], new: &[u8]) -> std::io::Result<Written> {
    let target = std::fs::canonicalize(path)?;
    let limit = u64::try_from(original.len())
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let (now, _) = crate::load::read_prefix(&target, limit).map_err(|e| match e {
        crate::load::LoadError::Io(e) => e,
        other => std::io::Error::other(other.to_string()),
    })?;
    if now != original {
        return Ok(Written::ChangedOnDisk);
    }
    crate::atomic::write(&target, new, mode_of(&target)?, true)?;
    Ok(Written::Written)
}

#[cfg(unix)]
fn mode_of(path: &Path) -> std::io::Result<u32> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode_of(_: &Path) -> std::io::Result<u32> {
    Ok(0o644)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(applicability: Applicability, edits: Vec<Edit>) -> Fix {
        Fix::new(applicability, "m", edits)
    }

    #[test]
    fn applies_fixes_that_do_not_overlap_in_position_order() {
        let text = "a b c d";
        let fixes = [
            fix(Applicability::Safe, vec![Edit::replace(6..7, "D")]),
            fix(Applicability::Safe, vec![Edit::replace(0..1, "A")]),
            // Overlaps the first one taken (at 0): left for the next pass.
            fix(Applicability::Safe, vec![Edit::delete(0..3)]),
            fix(Applicability::Safe, vec![Edit::insert(4, "+")]),
        ];
        let out = apply(text, &fixes).unwrap();
        assert_eq!(out.text, "A b +c D");
        assert_eq!(out.applied, 3);
    }

    #[test]
    fn one_change_of_shape_per_list_and_pass() {
        let text = "x, y, z; w";
        let fixes = [
            fix(Applicability::Safe, vec![Edit::delete(0..3)]).isolated(1),
            fix(Applicability::Safe, vec![Edit::delete(4..7)]).isolated(1),
            fix(Applicability::Safe, vec![Edit::replace(9..10, "W")]),
        ];
        let out = apply(text, &fixes).unwrap();
        assert_eq!(out.text, "y, z; W");
        assert_eq!(out.applied, 2);
    }

    #[test]
    fn edits_out_of_range_or_inside_a_character_are_not_applied() {
        let text = "é";
        let bad = [
            fix(Applicability::Safe, vec![Edit::delete(1..2)]),
            fix(Applicability::Safe, vec![Edit::delete(0..9)]),
        ];
        assert_eq!(apply(text, &bad), None);
        assert_eq!(apply(text, &[]), None);
    }

    #[test]
    fn unsafe_fixes_need_asking_for() {
        assert!(Wanted::Safe.allows(Applicability::Safe));
        assert!(!Wanted::Safe.allows(Applicability::Unsafe));
        assert!(Wanted::SafeAndUnsafe.allows(Applicability::Unsafe));
    }

    #[test]
    fn diffs_carry_git_style_headers() {
        let diff = unified_diff("p/a.xml", "one\ntwo\nthree\n", "one\n2\nthree\n");
        assert!(diff.starts_with("--- a/p/a.xml\n+++ b/p/a.xml\n@@ -1,3 +1,3 @@\n"));
        assert!(diff.contains("\n-two\n+2\n"), "{diff}");
        assert_eq!(unified_diff("x", "same", "same"), "");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.xml");
        std::fs::write(&path, b"as read").unwrap();
        assert_eq!(
            write_if_unchanged(&path, b"as read", b"fixed").unwrap(),
            Written::Written
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"fixed");
        // Someone saved another version meanwhile: theirs stays.
        std::fs::write(&path, b"edited by hand").unwrap();
        assert_eq!(
            write_if_unchanged(&path, b"fixed", b"fixed again").unwrap(),
            Written::ChangedOnDisk
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"edited by hand");
        // A longer file that starts with what was read is a change too.
        std::fs::write(&path, b"fixed and more").unwrap();
        assert_eq!(
            write_if_unchanged(&path, b"fixed", b"x").unwrap(),
            Written::ChangedOnDisk
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_keeps_pointing_at_the_fixed_file_which_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.xml");
        std::fs::write(&real, b"old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.xml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_if_unchanged(&link, b"old", b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}

//! Shared pieces of the DHCP-server readers: following include directives safely (depth, cycle
//! and count limits), reading included files from disk or from memory, unique scope names, IPv4
//! parsing and what sniffers look at.

use super::model::{Origin, Parsed};
use crate::source::{DecodeError, Encoding, Source, SourceFile, Unreadable};
use std::collections::{BTreeMap, HashSet};
use std::ffi::OsString;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How deep includes may nest below the file given on the command line.
pub const MAX_INCLUDE_DEPTH: usize = 8;
/// How many files one include tree may pull in; guards against fan-out blow-ups.
pub const MAX_INCLUDED_FILES: usize = 256;
/// A DHCP server configuration far larger than this is a mistake.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// What one include tree may read in all; each file alone is capped by [`MAX_FILE_BYTES`].
pub const MAX_INCLUDED_BYTES: u64 = 256 * 1024 * 1024;
/// System folders whose files are never configurations: an include of `/proc/self/environ` or
/// `/dev/zero` is refused before anything is read.
const SYSTEM_FOLDERS: [&str; 3] = ["/proc", "/sys", "/dev"];

/// What an included file must look like to be read: the reader's own kind, so that a
/// diagnostic never quotes bytes of a file that is not a configuration (`/etc/shadow`).
#[derive(Clone, Copy)]
pub struct Fragment {
    /// "dhcpd configuration", "dnsmasq configuration", "Kea configuration".
    pub kind: &'static str,
    pub looks_like: fn(&str) -> bool,
}

/// Where included files and folders are read from: the disk, or a set of files held in memory
/// (the fuzz targets give a reader a whole include tree this way, without touching the disk).
#[derive(Debug, Clone, Default)]
pub enum Files {
    #[default]
    Disk,
    /// File contents by path, as the include directives resolve them.
    Memory(Arc<BTreeMap<PathBuf, Vec<u8>>>),
}

impl Files {
    /// Read and decode a file (UTF-8, or UTF-16 with a BOM); an empty file is empty text.
    fn read(&self, path: &Path) -> Result<Source, String> {
        match self {
            Files::Disk => source_or_empty(path, crate::source::load(path, path, MAX_FILE_BYTES)),
            Files::Memory(files) => match files.get(&crate::source::lexical_path(path)) {
                Some(bytes) => source_or_empty(
                    path,
                    crate::source::from_bytes(path, bytes, bytes.len() as u64, MAX_FILE_BYTES),
                ),
                None => Err("No such file or directory".to_owned()),
            },
        }
    }

    /// What identifies a file for cycle detection: its canonical path when it exists.
    fn identity(&self, path: &Path) -> PathBuf {
        match self {
            Files::Disk => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
            Files::Memory(_) => crate::source::lexical_path(path),
        }
    }

    /// Whether `path` is a folder.
    fn is_dir(&self, path: &Path) -> bool {
        match self {
            Files::Disk => path.is_dir(),
            Files::Memory(files) => {
                let path = crate::source::lexical_path(path);
                files.keys().any(|p| p != &path && p.starts_with(&path))
            }
        }
    }

    /// The names of the regular files directly in folder `dir`, in name order; more than `max`
    /// is an error.
    fn list_dir(&self, dir: &Path, max: usize) -> Result<Vec<OsString>, String> {
        let too_many = || format!("more than {max} files");
        let mut names = Vec::new();
        match self {
            Files::Disk => {
                for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
                    let Ok(entry) = entry else {
                        continue;
                    };
                    if names.len() >= max {
                        return Err(too_many());
                    }
                    if std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()) {
                        names.push(entry.file_name());
                    }
                }
            }
            Files::Memory(files) => {
                let dir = crate::source::lexical_path(dir);
                for path in files.keys().filter(|p| p.parent() == Some(dir.as_path())) {
                    if names.len() >= max {
                        return Err(too_many());
                    }
                    names.extend(path.file_name().map(|n| n.to_os_string()));
                }
                if names.is_empty() && !files.keys().any(|p| p.starts_with(&dir)) {
                    return Err("No such file or directory".to_owned());
                }
            }
        }
        names.sort();
        Ok(names)
    }
}

/// Why an included file was not read. The messages name the file, never its content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IncludeError {
    #[error("includes nest more than {MAX_INCLUDE_DEPTH} levels deep; `{file}` is not read")]
    TooDeep { file: String },
    #[error("`{file}` includes itself (directly or through other files); not read again")]
    Cycle { file: String },
    #[error("more than {MAX_INCLUDED_FILES} included files; `{file}` is not read")]
    TooMany { file: String },
    #[error("`{file}` is under {folder}, a system folder, not a configuration; not read")]
    SystemFolder { file: String, folder: &'static str },
    #[error("the included files add up to more than {} MiB; `{file}` is not read", MAX_INCLUDED_BYTES >> 20)]
    TooLarge { file: String },
    #[error("cannot read included `{file}`: {reason}; not read")]
    Unreadable { file: String, reason: String },
    #[error("`{file}` is not a {kind}; not read, and nothing of it is shown")]
    NotOfKind { file: String, kind: &'static str },
}

/// The files currently being read, outermost first, to refuse cycles and runaway nesting.
pub struct Includes {
    chain: Vec<PathBuf>,
    files: usize,
    bytes: u64,
    fragment: Fragment,
    source: Files,
    read: Vec<Source>,
}

impl Includes {
    pub fn new(root: &Path, fragment: Fragment, source: Files) -> Self {
        Includes {
            chain: vec![source.identity(root)],
            files: 0,
            bytes: 0,
            fragment,
            source,
            read: Vec::new(),
        }
    }

    /// Whether an included path names a folder.
    pub fn is_dir(&self, path: &Path) -> bool {
        self.source.is_dir(path)
    }

    /// The regular files of an included folder (dnsmasq's `conf-dir`), in name order.
    pub fn list_dir(&self, dir: &Path, max: usize) -> Result<Vec<OsString>, String> {
        self.source.list_dir(dir, max)
    }

    /// Read an included file and make it the innermost one; pair with [`Includes::leave`]. The
    /// error quotes the file's name only, never its content.
    pub fn enter(&mut self, path: &Path) -> Result<Source, IncludeError> {
        self.enter_as(path, self.fragment)
    }

    /// [`Includes::enter`] for a file of another shape than the configuration's own (a
    /// dnsmasq hosts file, say).
    pub fn enter_as(&mut self, path: &Path, fragment: Fragment) -> Result<Source, IncludeError> {
        let file = path.to_string_lossy().replace('\\', "/");
        if self.chain.len() > MAX_INCLUDE_DEPTH {
            return Err(IncludeError::TooDeep { file });
        }
        let id = self.source.identity(path);
        if self.chain.contains(&id) {
            return Err(IncludeError::Cycle { file });
        }
        if self.files >= MAX_INCLUDED_FILES {
            return Err(IncludeError::TooMany { file });
        }
        if let Some(folder) = SYSTEM_FOLDERS
            .iter()
            .find(|f| id.starts_with(f) || path.starts_with(f))
        {
            return Err(IncludeError::SystemFolder { file, folder });
        }
        if self.bytes >= MAX_INCLUDED_BYTES {
            return Err(IncludeError::TooLarge { file });
        }
        let source = self
            .source
            .read(path)
            .map_err(|reason| IncludeError::Unreadable {
                file: file.clone(),
                reason,
            })?;
        self.bytes += source.text.len() as u64;
        if !(fragment.looks_like)(&source.text) {
            return Err(IncludeError::NotOfKind {
                file,
                kind: fragment.kind,
            });
        }
        self.files += 1;
        self.chain.push(id);
        self.read.push(source.clone());
        Ok(source)
    }

    /// The included files read so far (only those of the expected kind), for the snippets of
    /// findings that point into them.
    pub fn take_read(&mut self) -> Vec<Source> {
        std::mem::take(&mut self.read)
    }

    pub fn leave(&mut self) {
        if self.chain.len() > 1 {
            self.chain.pop();
        }
    }
}

/// The path an include directive names: absolute as given, else relative to the folder of the
/// including file.
pub fn resolve(including: &Path, target: &str) -> PathBuf {
    let target = Path::new(target);
    if target.is_absolute() {
        return target.to_path_buf();
    }
    match including.parent() {
        Some(dir) => dir.join(target),
        None => target.to_path_buf(),
    }
}

/// A file's text, or empty text for an empty file; the error says why it could not be read.
fn source_or_empty(path: &Path, loaded: Result<Source, Unreadable>) -> Result<Source, String> {
    match loaded {
        Ok(source) => Ok(source),
        Err(Unreadable::Decode(DecodeError::Empty)) => {
            Ok(SourceFile::new(path, String::new(), Encoding::Utf8))
        }
        Err(e) => Err(e.reason()),
    }
}

/// Hands out scope names unique within one source: a repeated name gets ` #2`, ` #3`, ….
#[derive(Default)]
pub struct Names {
    used: HashSet<String>,
}

impl Names {
    pub fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let mut n = 2usize;
        loop {
            let candidate = format!("{base} #{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// A DHCPv6 domain search list (option 24) as the servers' configuration files write it: names
/// separated by commas, each quoted or not, cleaned like a suffix; empty entries are dropped.
pub fn search_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .filter_map(super::model::clean_suffix)
        .collect()
}

/// A dotted-quad IPv4 address, surrounding whitespace ignored.
pub fn ipv4(s: &str) -> Option<Ipv4Addr> {
    s.trim().parse().ok()
}

/// Note a problem and return true when `text` is UTF-16 that lost its byte-order mark.
pub fn refuse_utf16(parsed: &mut Parsed, path: &Path, text: &str) -> bool {
    let refused = looks_like_utf16(text);
    if refused {
        parsed.problem(
            Origin::new(path, 1),
            1,
            "the file is full of NUL characters: UTF-16 without a byte-order mark? Not read",
        );
    }
    refused
}

/// Text full of NUL characters: UTF-16 read as UTF-8 because it had no byte-order mark.
pub fn looks_like_utf16(text: &str) -> bool {
    let head = crate::source::sniff_head(text);
    let nuls = head.bytes().filter(|&b| b == 0).count();
    nuls > 0 && nuls * 4 >= head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_without_a_byte_order_mark_is_recognised() {
        assert!(looks_like_utf16("D\0h\0c\0p\0"));
        assert!(!looks_like_utf16("Dhcp Server"));
    }

    #[test]
    fn names_are_made_unique() {
        let mut names = Names::default();
        assert_eq!(names.unique("a".into()), "a");
        assert_eq!(names.unique("a #2".into()), "a #2");
        assert_eq!(names.unique("a".into()), "a #3");
        assert_eq!(names.unique("a".into()), "a #4");
    }

    #[test]
    fn includes_resolve_relative_to_the_including_file() {
        assert_eq!(
            resolve(Path::new("etc/dhcp/dhcpd.conf"), "sites/hq.conf"),
            Path::new("etc/dhcp/sites/hq.conf")
        );
        assert_eq!(
            resolve(Path::new("dhcpd.conf"), "hq.conf"),
            Path::new("hq.conf")
        );
        assert_eq!(
            resolve(Path::new("etc/dhcpd.conf"), "/etc/dhcp/x.conf"),
            Path::new("/etc/dhcp/x.conf")
        );
    }

    fn any() -> Fragment {
        Fragment {
            kind: "test configuration",
            looks_like: |_| true,
        }
    }

    #[test]
    fn refuses_cycles_and_depth() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.conf");
        std::fs::write(&a, "x").unwrap();
        let mut inc = Includes::new(&a, any(), Files::Disk);
        assert!(matches!(inc.enter(&a), Err(IncludeError::Cycle { .. })));
        let mut inc = Includes::new(&dir.path().join("root.conf"), any(), Files::Disk);
        for i in 0..MAX_INCLUDE_DEPTH {
            let p = dir.path().join(format!("{i}.conf"));
            std::fs::write(&p, "").unwrap();
            assert_eq!(inc.enter(&p).unwrap().text, "");
        }
        let e = inc.enter(&a).unwrap_err();
        assert!(matches!(e, IncludeError::TooDeep { .. }), "{e}");
        assert!(
            Includes::new(&a, any(), Files::Disk)
                .enter(&dir.path().join("missing.conf"))
                .unwrap_err()
                .to_string()
                .starts_with("cannot read included")
        );
    }

    #[test]
    fn refuses_system_folders_other_kinds_and_runaway_totals() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root.conf");
        let only_x = Fragment {
            kind: "x configuration",
            looks_like: |t| t.starts_with('x'),
        };
        let mut inc = Includes::new(&root, only_x, Files::Disk);
        for system in ["/proc/self/environ", "/dev/zero", "/sys/kernel/notes"] {
            let e = inc.enter(Path::new(system)).unwrap_err();
            assert!(matches!(e, IncludeError::SystemFolder { .. }), "{e}");
        }
        let other = dir.path().join("other");
        std::fs::write(&other, "root:secret:0:0\n").unwrap();
        let e = inc.enter(&other).unwrap_err();
        assert!(
            e.to_string().contains("is not a x configuration") && !e.to_string().contains("secret"),
            "{e}"
        );
        let mut inc = Includes::new(&root, any(), Files::Disk);
        inc.bytes = MAX_INCLUDED_BYTES;
        let e = inc.enter(&other).unwrap_err();
        assert!(matches!(e, IncludeError::TooLarge { .. }), "{e}");
    }

    fn memory(files: &[(&str, &str)]) -> Files {
        Files::Memory(Arc::new(
            files
                .iter()
                .map(|(p, t)| (PathBuf::from(p), t.as_bytes().to_vec()))
                .collect(),
        ))
    }

    #[test]
    fn includes_read_from_memory_without_touching_the_disk() {
        let files = memory(&[("/m/a.conf", "x a"), ("/m/d/1.conf", "x 1"), ("/m/d/2", "")]);
        let mut inc = Includes::new(Path::new("/m/root.conf"), any(), files);
        assert_eq!(
            inc.enter(Path::new("/m/./d/../a.conf")).unwrap().text,
            "x a"
        );
        let e = inc.enter(Path::new("/m/a.conf")).unwrap_err();
        assert!(matches!(e, IncludeError::Cycle { .. }), "{e}");
        inc.leave();
        let e = inc.enter(Path::new("/m/missing.conf")).unwrap_err();
        assert!(matches!(e, IncludeError::Unreadable { .. }), "{e}");
        // Only what the set holds exists: a real file on disk is not there.
        let e = inc.enter(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("Cargo.toml")
                .as_path(),
        );
        assert!(matches!(e, Err(IncludeError::Unreadable { .. })));
        assert_eq!(inc.list_dir(Path::new("/m/d"), 8).unwrap(), ["1.conf", "2"]);
        assert!(
            inc.list_dir(Path::new("/m/d"), 1)
                .unwrap_err()
                .to_string()
                .contains("more than 1")
        );
        assert!(inc.list_dir(Path::new("/m/none"), 8).is_err());
    }

    #[test]
    fn search_lists_split_on_commas_and_clean_each_name() {
        assert_eq!(
            search_list(" \"a.example.\", b.example ,, \"\""),
            ["a.example", "b.example"]
        );
        assert!(search_list("").is_empty());
    }
}

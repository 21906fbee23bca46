//! A loaded input file: its display path, decoded text and a line index.
//! Byte spans from the readers are clamped to the text and turned into 1-based positions here, once.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where an observation came from: a file and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub path: PathBuf,
    pub line: usize,
}

impl Origin {
    pub fn new(path: impl Into<PathBuf>, line: usize) -> Self {
        Origin {
            path: path.into(),
            line,
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}",
            self.path.to_string_lossy().replace('\\', "/"),
            self.line
        )
    }
}

/// Why a file did not become text. [`load`] is the one way an input file is read and decoded;
/// each command words the outcome for its own output but decides nothing else about it.
#[derive(Debug)]
pub enum Unreadable {
    /// It could not be read: missing, not a regular file, no permission, the run's byte budget.
    Load(crate::load::LoadError),
    /// Larger than the cap; `head` holds its first bytes, for a look at what it is.
    TooLarge { size: u64, cap: u64, head: Vec<u8> },
    /// Read, but not text.
    Decode(DecodeError),
}

impl Unreadable {
    /// One sentence for a diagnostic: "cannot read the file: …", "the file is empty", ….
    pub fn message(&self) -> String {
        match self {
            Unreadable::Load(e) => format!("cannot read the file: {e}"),
            _ => self.reason(),
        }
    }

    /// What went wrong, for a message that already says which file could not be read.
    pub fn reason(&self) -> String {
        match self {
            Unreadable::Load(e) => e.to_string(),
            Unreadable::TooLarge { size, cap, .. } => format!(
                "the file is {}, over the {} a file of this kind can reasonably be; it was not read",
                size_text_exact(*size),
                crate::load::size_text(*cap)
            ),
            Unreadable::Decode(DecodeError::Empty) => "the file is empty".into(),
            Unreadable::Decode(DecodeError::InvalidUtf8 { offset, .. }) => format!(
                "the file is not valid UTF-8 (byte {offset}) and has no UTF-16 byte-order mark"
            ),
            Unreadable::Decode(DecodeError::InvalidUtf16 { offset }) => format!(
                "the file starts with a UTF-16 byte-order mark but is not valid UTF-16 (byte {offset})"
            ),
        }
    }

    /// The 1-based line and column the problem is at: where the invalid byte sits, else 1:1.
    pub fn position(&self) -> (usize, usize) {
        match self {
            Unreadable::Decode(DecodeError::InvalidUtf8 { prefix, .. }) => {
                line_col_in(prefix, prefix.len())
            }
            _ => (1, 1),
        }
    }

    /// "PATH: message", or "PATH:LINE:COLUMN: message" where the problem has a position in the
    /// file; `shown` is the path as the caller prints it.
    pub fn located(&self, shown: &str) -> String {
        match self {
            Unreadable::Decode(DecodeError::InvalidUtf8 { .. }) => {
                let (line, column) = self.position();
                format!("{shown}:{line}:{column}: {}", self.message())
            }
            _ => format!("{shown}: {}", self.message()),
        }
    }

    /// Whether a file met while walking a folder (not named by the user) is passed over silently:
    /// anything but a regular file, an empty file, and a file too large or not text to be one of
    /// ours. A read error and a broken UTF-16 file (its BOM says it is text) are reported.
    pub fn passed_over_when_walking(&self) -> bool {
        match self {
            Unreadable::Load(e) => e.is_not_regular(),
            Unreadable::TooLarge { .. } => true,
            Unreadable::Decode(DecodeError::InvalidUtf16 { .. }) => false,
            Unreadable::Decode(_) => true,
        }
    }

    /// The first bytes of a file that could not be decoded whole, for sniffing what it is.
    pub fn head(&self) -> &[u8] {
        match self {
            Unreadable::TooLarge { head, .. } => head,
            Unreadable::Decode(DecodeError::InvalidUtf8 { prefix, .. }) => prefix.as_bytes(),
            _ => &[],
        }
    }
}

/// `17.0 MiB` for a size over a MiB, `12 KiB` below.
fn size_text_exact(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1u32 << 20))
    } else {
        crate::load::size_text(bytes)
    }
}

/// How much of an oversized file is kept to look at.
const HEAD_BYTES: usize = 64 * 1024;

/// Read a regular file of at most `cap` bytes and decode it (UTF-8, or UTF-16 with a BOM); its
/// [`SourceFile::path`] is `display`.
pub fn load(path: &Path, display: &Path, cap: u64) -> Result<Source, Unreadable> {
    let (bytes, size) = crate::load::read_prefix(path, cap).map_err(Unreadable::Load)?;
    from_bytes(display, &bytes, size, cap)
}

/// Decode bytes already in memory (a file's first `cap + 1` bytes, or a blob from git's index);
/// `size` is the whole length when known, for the "too large" message.
pub fn from_bytes(display: &Path, bytes: &[u8], size: u64, cap: u64) -> Result<Source, Unreadable> {
    if bytes.len() as u64 > cap {
        return Err(Unreadable::TooLarge {
            size: size.max(cap.saturating_add(1)),
            cap,
            head: bytes[..bytes.len().min(HEAD_BYTES)].to_vec(),
        });
    }
    SourceFile::decode(display, bytes).map_err(Unreadable::Decode)
}

/// Strict JSON for jsonc-parser: every extension off. Readers that accept one (comments in Kea
/// and MeshCentral files) turn it on over this.
pub fn strict_json() -> jsonc_parser::ParseOptions {
    jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// A byte range into a [`SourceFile`]'s text.
pub type Span = Range<usize>;

/// A value read from a file together with the bytes it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// How the bytes on disk were turned into `text`. UTF-16 remembers whether the file opened with a
/// byte-order mark, so [`SourceFile::encode`] gives back the very bytes that were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le { bom: bool },
    Utf16Be { bom: bool },
}

impl Encoding {
    /// `text` as this encoding writes it, byte-order mark included. Decoding refuses whatever it
    /// could not give back (invalid UTF-8, unpaired surrogates), so encoding the decoded text
    /// yields the bytes that were read.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            Encoding::Utf16Le { bom } => {
                let mark = if bom { &[0xFF, 0xFE][..] } else { &[][..] };
                let body = text.encode_utf16().flat_map(u16::to_le_bytes);
                mark.iter().copied().chain(body).collect()
            }
            Encoding::Utf16Be { bom } => {
                let mark = if bom { &[0xFE, 0xFF][..] } else { &[][..] };
                let body = text.encode_utf16().flat_map(u16::to_be_bytes);
                mark.iter().copied().chain(body).collect()
            }
        }
    }
}

#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it, or relative to the working directory when walked.
    pub path: PathBuf,
    pub text: String,
    pub encoding: Encoding,
    lines: LineIndex,
}

pub type Source = Arc<SourceFile>;

/// Why a file's bytes could not become text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    /// Invalid UTF-8 at this byte offset of the raw file; `text` holds the valid prefix.
    InvalidUtf8 {
        offset: usize,
        prefix: String,
    },
    /// UTF-16 with an odd byte count or an unpaired surrogate.
    InvalidUtf16 {
        offset: usize,
    },
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String, encoding: Encoding) -> Source {
        let lines = LineIndex::new(&text);
        Arc::new(SourceFile {
            path: path.into(),
            text,
            encoding,
            lines,
        })
    }

    /// Decode raw bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM, as Windows tools write
    /// it. UTF-16 without a BOM is recognised by an XML declaration's `<\0?\0` opening.
    pub fn decode(path: impl Into<PathBuf>, bytes: &[u8]) -> Result<Source, DecodeError> {
        let path = path.into();
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(DecodeError::Empty);
        }
        let (encoding, body) = match bytes {
            [0xEF, 0xBB, 0xBF, rest @ ..] => (Encoding::Utf8Bom, rest),
            [0xFF, 0xFE, rest @ ..] => (Encoding::Utf16Le { bom: true }, rest),
            [0xFE, 0xFF, rest @ ..] => (Encoding::Utf16Be { bom: true }, rest),
            [b'<', 0, b'?', 0, ..] => (Encoding::Utf16Le { bom: false }, bytes),
            [0, b'<', 0, b'?', ..] => (Encoding::Utf16Be { bom: false }, bytes),
            _ => (Encoding::Utf8, bytes),
        };
        let bom_len = bytes.len() - body.len();
        let text = match encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => match std::str::from_utf8(body) {
                Ok(s) => s.to_owned(),
                Err(e) => {
                    let valid = e.valid_up_to();
                    let prefix = String::from_utf8_lossy(&body[..valid]).into_owned();
                    return Err(DecodeError::InvalidUtf8 {
                        offset: bom_len + valid,
                        prefix,
                    });
                }
            },
            Encoding::Utf16Le { .. } | Encoding::Utf16Be { .. } => {
                if body.len() % 2 != 0 {
                    return Err(DecodeError::InvalidUtf16 {
                        offset: bytes.len() - 1,
                    });
                }
                let units = body.chunks_exact(2).map(|c| match encoding {
                    Encoding::Utf16Le { .. } => u16::from_le_bytes([c[0], c[1]]),
                    _ => u16::from_be_bytes([c[0], c[1]]),
                });
                let mut text = String::with_capacity(body.len() / 2);
                for (i, ch) in char::decode_utf16(units).enumerate() {
                    match ch {
                        Ok(c) => text.push(c),
                        Err(_) => {
                            return Err(DecodeError::InvalidUtf16 {
                                offset: bom_len + 2 * i,
                            });
                        }
                    }
                }
                text
            }
        };
        if text.trim().is_empty() {
            return Err(DecodeError::Empty);
        }
        Ok(SourceFile::new(path, text, encoding))
    }

    /// The file's bytes for `text` in this file's encoding (see [`Encoding::encode`]).
    pub fn encode(&self, text: &str) -> Vec<u8> {
        self.encoding.encode(text)
    }

    /// Clamp a span to the text and to character boundaries.
    pub fn clamp(&self, span: &Span) -> Span {
        let len = self.text.len();
        let mut start = span.start.min(len);
        let mut end = span.end.clamp(start, len);
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(&(offset..offset)).start;
        self.lines.line_col(&self.text, offset)
    }

    /// 0-based index of the line that holds a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }

    /// Byte range of a 0-based line, its line feed included; empty past the last line.
    pub fn line_range(&self, line: usize) -> Span {
        let len = self.text.len();
        let start = self.lines.0.get(line).copied().unwrap_or(len);
        let end = self.lines.0.get(line + 1).copied().unwrap_or(len);
        start..end
    }

    /// The span from a 1-based line and column (in characters) to the end of that line's text,
    /// for a position a reader reported as line and column; `None` past the end of the text.
    pub fn span_at(&self, line: usize, column: usize) -> Option<Span> {
        let range = self.line_range(line.checked_sub(1)?);
        let text = self.text.get(range.clone())?;
        if text.is_empty() && line > 1 {
            return None;
        }
        let body = text.trim_end_matches(['\n', '\r']);
        let start = body
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(body.len(), |(i, _)| i);
        let end = body.trim_end().len().max(start);
        Some(range.start + start..range.start + end)
    }

    /// Number of lines (text after the last line feed, even none, is a line).
    pub fn line_count(&self) -> usize {
        self.lines.0.len()
    }

    pub fn slice(&self, span: &Span) -> &str {
        let span = self.clamp(span);
        &self.text[span]
    }
}

/// Where each line of a text starts, for many offset → line/column lookups on the same text.
#[derive(Debug, Clone)]
pub struct LineIndex(Vec<usize>);

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    /// 0-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset).max(1) - 1
    }

    /// 1-based line and column (in characters) of a byte offset into the text this index was
    /// built from; offsets past the end or inside a character are moved back.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.0.get(line).copied().unwrap_or(0).min(offset);
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (line + 1, column)
    }
}

/// A 1-based line/column for a byte offset into text that is not (yet) a [`SourceFile`].
pub fn line_col_in(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The path shown to the user: relative to the working directory when it lies below it.
pub fn display_path(path: &Path) -> PathBuf {
    // Asked once: a walk calls this for every file.
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let cwd = CWD.get_or_init(|| std::env::current_dir().ok());
    if path.is_absolute()
        && let Some(cwd) = cwd
        && let Ok(rel) = path.strip_prefix(cwd)
    {
        return rel.to_path_buf();
    }
    path.strip_prefix("./").unwrap_or(path).to_path_buf()
}

/// `path` made absolute against the working directory, then lexical (`..` and `.` resolved as
/// text, links not followed).
pub fn absolute_path(path: &Path) -> PathBuf {
    lexical_path(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub fn lexical_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The character an XML predefined entity (`&amp;` → `amp`) stands for. XML readers expand these
/// and nothing else: DTD entities are never expanded.
pub fn xml_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// How much of a file the sniffers look at.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// What a sniffer looks at: at most [`SNIFF_BYTES`] of `text`, cut back to a character boundary,
/// without a byte-order mark.
pub fn sniff_head(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut end = SNIFF_BYTES.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_become_a_span_to_the_end_of_the_line() {
        let src = SourceFile::new("x", "ab\r\n  cdé f  \nlast".into(), Encoding::Utf8);
        assert_eq!(src.slice(&src.span_at(2, 3).unwrap()), "cdé f");
        assert_eq!(src.slice(&src.span_at(2, 5).unwrap()), "é f");
        assert_eq!(src.slice(&src.span_at(1, 1).unwrap()), "ab");
        assert_eq!(src.slice(&src.span_at(3, 99).unwrap()), "");
        assert_eq!(src.span_at(4, 1), None);
        assert_eq!(src.span_at(0, 1), None);
    }

    #[test]
    fn load_reads_decodes_and_says_why_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        let ok = file("ok", b"\xEF\xBB\xBFhello\n");
        let source = load(&ok, Path::new("shown"), 100).unwrap();
        assert_eq!(
            (source.text.as_str(), source.path.as_path()),
            ("hello\n", Path::new("shown"))
        );

        let big = load(&file("big", &[b'x'; 101]), Path::new("big"), 100).unwrap_err();
        assert!(
            matches!(&big, Unreadable::TooLarge { size: 101, cap: 100, head } if head.len() == 101)
        );
        assert!(big.passed_over_when_walking());

        let bad = load(&file("bad", b"a\nb\xFFc"), Path::new("bad"), 100).unwrap_err();
        assert_eq!(bad.position(), (2, 2));
        assert_eq!(bad.located("bad"), format!("bad:2:2: {}", bad.message()));
        assert!(bad.message().contains("byte 3"), "{}", bad.message());

        let utf16 = load(&file("odd", b"\xFF\xFEa"), Path::new("odd"), 100).unwrap_err();
        assert!(!utf16.passed_over_when_walking(), "a BOM says it is text");

        let missing = load(&dir.path().join("missing"), Path::new("missing"), 100).unwrap_err();
        assert!(!missing.passed_over_when_walking());
        assert!(
            missing
                .located("m")
                .starts_with("m: cannot read the file: ")
        );
        let folder = load(dir.path(), Path::new("d"), 100).unwrap_err();
        assert!(folder.passed_over_when_walking() && folder.reason().contains("a folder"));
    }

    #[test]
    fn sniff_heads_end_on_character_boundaries() {
        assert_eq!(sniff_head("\u{feff}abc"), "abc");
        let text = format!("{}é", "a".repeat(SNIFF_BYTES - 1));
        assert_eq!(sniff_head(&text).len(), SNIFF_BYTES - 1);
    }

    #[test]
    fn line_col_counts_characters_from_one() {
        let src = SourceFile::new("x", "ab\ncdé\nf".into(), Encoding::Utf8);
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(3), (2, 1));
        assert_eq!(src.line_col(7), (2, 4)); // after the two-byte é
        assert_eq!(src.line_col(999), (3, 2));
        assert_eq!(src.line_count(), 3);
        assert_eq!((src.line_index(2), src.line_index(3)), (0, 1));
        assert_eq!(src.line_range(1), 3..8);
        assert_eq!(src.line_range(2), 8..9);
        assert_eq!(src.line_range(3), 9..9);
    }

    #[test]
    fn decodes_boms_and_utf16() {
        let src = SourceFile::decode("a", b"\xEF\xBB\xBF<a/>").unwrap();
        assert_eq!(
            (src.text.as_str(), src.encoding),
            ("<a/>", Encoding::Utf8Bom)
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<a>é</a>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let src = SourceFile::decode("b", &utf16).unwrap();
        assert_eq!(
            (src.text.as_str(), src.encoding),
            ("<a>é</a>", Encoding::Utf16Le { bom: true })
        );
        let be: Vec<u8> = "<?xml?><a/>"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(SourceFile::decode("c", &be).unwrap().text, "<?xml?><a/>");
    }

    #[test]
    fn encoding_the_decoded_text_gives_back_the_bytes_read() {
        let text = "<a>é &amp; \u{1F600}</a>\r\n";
        let files: Vec<Vec<u8>> = vec![
            text.as_bytes().to_vec(),
            [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
            [0xFF, 0xFE]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
            [0xFE, 0xFF]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
                .collect(),
            "<?xml?><a/>"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect(),
            "<?xml?><a/>"
                .encode_utf16()
                .flat_map(u16::to_be_bytes)
                .collect(),
        ];
        for bytes in files {
            let src = SourceFile::decode("f", &bytes).unwrap();
            assert_eq!(src.encode(&src.text), bytes, "{:?}", src.encoding);
        }
    }

    #[test]
    fn reports_where_utf8_breaks() {
        let err = SourceFile::decode("a", b"<a>\n\xFF</a>").unwrap_err();
        assert!(matches!(err, DecodeError::InvalidUtf8 { offset: 4, .. }));
        assert_eq!(
            SourceFile::decode("e", b"  \n").unwrap_err(),
            DecodeError::Empty
        );
        assert!(matches!(
            SourceFile::decode("o", b"\xFF\xFE<\0a"),
            Err(DecodeError::InvalidUtf16 { .. })
        ));
    }

    #[test]
    fn clamps_spans_inside_text() {
        let src = SourceFile::new("x", "é".into(), Encoding::Utf8);
        assert_eq!(src.clamp(&(1..50)), 0..2);
        assert_eq!(line_col_in("a\nbc", 3), (2, 2));
    }
}

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

//! The part of a file a snippet shows: the lines from its first label to its last, with context,
//! each line longer than [`LONG_LINE`] bytes cut to windows around the labels on it, and unsafe
//! characters masked. miette panics on a label past column 65,535 (a minified JSON file), and
//! would print such a line whole; the line and column numbers it prints stay the file's own.

use super::mask_text;
use crate::source::{Source, Span};
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines shown above and below a label; the report handler is set to the same.
pub const CONTEXT_LINES: usize = 1;
/// Lines longer than this many bytes are cut.
const LONG_LINE: usize = 400;
/// Bytes kept on either side of a label on a cut line.
const AROUND: usize = 80;
/// At most this many bytes of one label are kept on a cut line.
const MAX_LABEL: usize = 200;
/// Stands for the text cut away.
const CUT: &str = "…";

/// A run of the file copied into the excerpt as it stands.
#[derive(Debug, Clone, Copy)]
struct Piece {
    excerpt: usize,
    file: usize,
    len: usize,
}

/// What miette reads instead of the whole file.
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    text: String,
    /// The 0-based line of the file the excerpt starts at.
    first_line: usize,
    /// Sorted by both offsets.
    pieces: Vec<Piece>,
    source: Source,
}

impl Excerpt {
    /// The excerpt of `source` that shows `spans` (byte ranges of the file), shown under `name`,
    /// and the spans as offsets into the excerpt.
    pub fn new(source: &Source, name: String, spans: &[Span]) -> (Excerpt, Vec<Span>) {
        let spans: Vec<Span> = spans.iter().map(|s| source.clamp(s)).collect();
        let last_byte = |s: &Span| if s.end > s.start { s.end - 1 } else { s.start };
        let first_line = spans
            .iter()
            .map(|s| source.line_index(s.start))
            .min()
            .unwrap_or(0)
            .saturating_sub(CONTEXT_LINES);
        let last_line = spans
            .iter()
            .map(|s| source.line_index(last_byte(s)))
            .max()
            .unwrap_or(0)
            .saturating_add(CONTEXT_LINES)
            .min(source.line_count().saturating_sub(1));
        let mut builder = Builder {
            source,
            text: String::new(),
            pieces: Vec::new(),
        };
        for line in first_line..=last_line {
            builder.line(source.line_range(line), &spans);
        }
        let excerpt = Excerpt {
            name,
            text: mask_text(&builder.text),
            first_line,
            pieces: builder.pieces,
            source: source.clone(),
        };
        let mapped = spans
            .iter()
            .map(|s| {
                let start = excerpt.to_excerpt(s.start);
                start..excerpt.to_excerpt(s.end).max(start)
            })
            .collect();
        (excerpt, mapped)
    }

    /// A file offset as an offset into the excerpt; text that was cut away maps to the cut.
    fn to_excerpt(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.file <= offset);
        let Some(p) = i.checked_sub(1).map(|i| self.pieces[i]) else {
            return 0;
        };
        p.excerpt + (offset - p.file).min(p.len)
    }

    /// An excerpt offset as a file offset; a cut maps to the end of the text before it.
    fn to_file(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.excerpt <= offset);
        let Some(p) = i.checked_sub(1).map(|i| self.pieces[i]) else {
            return 0;
        };
        p.file + (offset - p.excerpt).min(p.len)
    }
}

struct Builder<'a> {
    source: &'a Source,
    text: String,
    pieces: Vec<Piece>,
}

impl Builder<'_> {
    /// Copy a range of the file as it stands.
    fn copy(&mut self, range: Span) {
        if range.is_empty() {
            return;
        }
        let excerpt = self.text.len();
        self.text.push_str(&self.source.text[range.clone()]);
        match self.pieces.last_mut() {
            Some(p) if p.file + p.len == range.start && p.excerpt + p.len == excerpt => {
                p.len += range.len();
            }
            _ => self.pieces.push(Piece {
                excerpt,
                file: range.start,
                len: range.len(),
            }),
        }
    }

    /// One line of the file (its line feed included): whole, or cut around the spans on it.
    fn line(&mut self, range: Span, spans: &[Span]) {
        let text = &self.source.text;
        let body_end = if text[range.clone()].ends_with('\n') {
            range.end - 1
        } else {
            range.end
        };
        if body_end - range.start <= LONG_LINE {
            self.copy(range);
            return;
        }
        let mut windows: Vec<Span> = spans
            .iter()
            .filter(|s| s.start <= body_end && s.end >= range.start)
            .map(|s| {
                let start = s.start.max(range.start);
                let end = s.end.min(body_end).min(start + MAX_LABEL);
                start.saturating_sub(AROUND).max(range.start)..(end + AROUND).min(body_end)
            })
            .collect();
        if windows.is_empty() {
            windows.push(range.start..(range.start + AROUND).min(body_end));
        }
        for w in &mut windows {
            *w = floor_boundary(text, w.start)..ceil_boundary(text, w.end);
        }
        windows.sort_by_key(|w| w.start);
        let mut merged: Vec<Span> = Vec::new();
        for w in windows {
            match merged.last_mut() {
                Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                _ => merged.push(w),
            }
        }
        let mut at = range.start;
        for w in merged {
            if w.start > at {
                self.text.push_str(CUT);
            }
            at = w.end;
            self.copy(w);
        }
        if at < body_end {
            self.text.push_str(CUT);
        }
        self.copy(body_end..range.end);
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = <str as SourceCode>::read_span(
            &self.text,
            span,
            context_lines_before,
            context_lines_after,
        )?;
        // miette prints `line + 1` and `column + 1` in the snippet's header: the file's own
        // position, with columns in characters as in every other format. Its line count runs
        // from the start of the text, and miette compares it with lines to merge snippets.
        let column = if context_lines_before == 0 {
            self.source.line_col(self.to_file(span.offset())).1 - 1
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count() + self.first_line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Encoding, SourceFile};

    fn excerpt(text: &str, spans: &[Span]) -> (Excerpt, Vec<Span>) {
        let source = SourceFile::new("f", text.to_owned(), Encoding::Utf8);
        Excerpt::new(&source, "f".into(), spans)
    }

    #[test]
    fn short_lines_are_copied_from_the_line_before_to_the_line_after() {
        let text = "one\ntwo\nthree\nfour\nfive\n";
        let (e, spans) = excerpt(text, std::slice::from_ref(&(8..13)));
        assert_eq!(e.text, "two\nthree\nfour\n");
        assert_eq!(e.first_line, 1);
        assert_eq!(&e.text[spans[0].clone()], "three");
        let read = e
            .read_span(&SourceSpan::from(spans[0].clone()), 0, 0)
            .unwrap();
        assert_eq!((read.line(), read.column()), (2, 0));
    }

    #[test]
    fn long_lines_are_cut_around_their_labels_and_keep_their_columns() {
        let line = format!("{}NEEDLE{}\n", "x".repeat(70_000), "y".repeat(30_000));
        let text = format!("first\n{line}last\n");
        let start = 6 + 70_000;
        let (e, spans) = excerpt(&text, std::slice::from_ref(&(start..start + 6)));
        assert!(e.text.len() < 1_000, "{}", e.text.len());
        assert_eq!(&e.text[spans[0].clone()], "NEEDLE");
        assert!(e.text.starts_with("first\n…x"), "{}", &e.text[..20]);
        assert!(e.text.ends_with("y…\nlast\n"));
        let read = e
            .read_span(&SourceSpan::from(spans[0].clone()), 0, 0)
            .unwrap();
        assert_eq!((read.line() + 1, read.column() + 1), (2, 70_001));
        assert_eq!(e.to_file(spans[0].start), start);
    }

    #[test]
    fn far_apart_labels_on_one_line_get_windows_of_their_own() {
        let text = format!(
            "{}A{}B{}",
            "-".repeat(5_000),
            "-".repeat(5_000),
            "-".repeat(5_000)
        );
        let (e, spans) = excerpt(&text, &[5_000..5_001, 10_001..10_002]);
        assert_eq!(&e.text[spans[0].clone()], "A");
        assert_eq!(&e.text[spans[1].clone()], "B");
        assert_eq!(e.text.matches(CUT).count(), 3, "{}", e.text);
        assert!(e.text.len() < 2 * (2 * AROUND + 10));
    }

    #[test]
    fn unlabelled_long_lines_keep_their_start_and_wide_labels_are_shortened() {
        let text = format!("{}\n{}\n", "a".repeat(1_000), "b".repeat(5_000));
        let (e, spans) = excerpt(&text, std::slice::from_ref(&(1_001..6_001)));
        let lines: Vec<&str> = e.text.lines().collect();
        assert_eq!(lines[0], format!("{}…", "a".repeat(AROUND)));
        assert_eq!(lines[1], format!("{}…", "b".repeat(MAX_LABEL + AROUND)));
        // The label runs on over the cut.
        assert_eq!(spans[0].len(), MAX_LABEL + AROUND + CUT.len());
    }

    #[test]
    fn control_characters_are_masked_and_multibyte_text_is_not_split() {
        let text = format!("{}\u{1b}]0;x\u{7}{}é\n", "é".repeat(600), "é".repeat(600));
        let at = 1_200;
        let (e, spans) = excerpt(&text, std::slice::from_ref(&(at..at + 1)));
        assert!(!e.text.contains('\u{1b}') && !e.text.contains('\u{7}'));
        assert_eq!(&e.text[spans[0].clone()], "?");
        let read = e
            .read_span(&SourceSpan::from(spans[0].clone()), 0, 0)
            .unwrap();
        assert_eq!(read.column() + 1, 601);
    }
}

//! Kea DHCPv4 server configuration (`kea-dhcp4.conf`): JSON with `#`, `//` and `/* */` comments
//! and `<?include "file"?>` directives, which are expanded textually before parsing, as Kea does.
//!
//! One scope per `subnet4` entry with its effective option 15 (`domain-name`, code 15) after
//! inheritance: global, shared network, subnet, pool, reservation. Pools and reservations that set
//! a different value of their own, client classes that set one and a global value get scopes of
//! their own. `never-send` is sticky, as the ARM says: once set at some level, the option is not
//! sent below it whatever the levels below give. A class's value ranks below the shared
//! network's and above the global one (host reservation, pool, subnet, shared network, class,
//! global): a class is a scope only when some subnet leaves the option to those levels.
//! Reservations count where the server looks them up: a subnet's own unless it sets
//! `"reservations-in-subnet": false`, the global ones only for subnets with
//! `"reservations-global": true` (both inherited; the older `reservation-mode` is read too).
//!
//! The `Dhcp6` section (in the same file or its own) gives one scope per `subnet6` entry with its
//! effective DHCPv6 option 24 (`domain-search`, code 24: a comma-separated list) after inheritance:
//! global, shared network, subnet, pool (a pool with a list of its own gets its own scope), as the
//! Kea ARM's DHCPv6 chapter describes option scoping; reservations and client classes with a list
//! of their own are scopes as in `Dhcp4`. `subnet6` scopes have no IPv4 ranges. The
//! other Kea daemons' sections are skipped.
//!
//! Data given with `"csv-format": false` is read as Kea's option-data parser reads it (a
//! single-quoted string, or hexadecimal octets in the forms the ARM lists): option 15's bytes
//! are its text, option 24's are names in DNS wire format.

use super::dhcp_common::{self, Files, Includes, Names};
use super::model::{Ipv4Range, Origin, Parsed, Scope, clean_suffix};
use super::reader::{self, Reading};
use crate::dns_name::same_names;
use crate::source::{LineIndex, Source};
use ipnet::Ipv6Net;
use jsonc_parser::ast::{Object, ObjectProp, ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::errors::{ParseError, ParseErrorKind};
use jsonc_parser::{CollectOptions, ParseOptions, ParseStringErrorKind, parse_to_ast};
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The configuration with every include expanded may not grow beyond this.
const MAX_EXPANDED_BYTES: usize = dhcp_common::MAX_FILE_BYTES as usize;
/// After a syntax error, how many earlier cut points are tried to read the part before it.
const MAX_SALVAGE_ATTEMPTS: usize = 16;
/// Bracket nesting beyond this is not repaired after a syntax error.
const MAX_SALVAGE_DEPTH: usize = 256;
/// Root keys of Kea configurations that carry no DHCP server.
const OTHER_DAEMONS: [&str; 4] = ["Control-agent", "DhcpDdns", "Netconf", "Logging"];

/// This source kind, for `sources::READERS`.
pub static READER: reader::Reader = reader::Reader {
    name: "kea",
    describe: "Kea DHCPv4 configuration",
    dhcp_server: true,
    sniff: |text, _| sniff(text),
    read: |source, _| Reading::Parsed(parse(&source.path, &source.text)),
};

/// A Kea configuration: JSON(-with-comments) whose top level has a `"Dhcp4"` or `"Dhcp6"` key.
pub fn sniff(text: &str) -> bool {
    let head = crate::source::sniff_head(text);
    let mut tokens = Lexer::new(head).filter(|(t, _)| t.is_significant());
    match tokens.next() {
        Some((Token::Code(b'{' | b'['), _)) => {}
        _ => return false,
    }
    let mut previous_was_key = false;
    for (token, span) in tokens {
        if previous_was_key && token == Token::Code(b':') {
            return true;
        }
        previous_was_key =
            token == Token::String && matches!(head.get(span), Some("\"Dhcp4\"" | "\"Dhcp6\""));
    }
    false
}

/// Read a Kea DHCPv4 and/or DHCPv6 configuration and the files it includes.
pub fn parse(path: &Path, text: &str) -> Parsed {
    parse_in(path, text, Files::Disk)
}

/// [`parse`], with included files read from `files`.
pub fn parse_in(path: &Path, text: &str, files: Files) -> Parsed {
    let mut parsed = Parsed::default();
    if dhcp_common::refuse_utf16(&mut parsed, path, text) {
        return parsed;
    }
    let expanded = Expander::run(path, text, files, &mut parsed);
    let options = json_options();
    if !read_by_parts(&expanded, &options, &mut parsed) {
        read_whole(&expanded, &options, &mut parsed);
    }
    parsed
}

/// Read the configuration as one syntax tree; after a syntax error, what comes before it.
fn read_whole(expanded: &Expanded, options: &ParseOptions, parsed: &mut Parsed) {
    let repaired: Option<(String, usize)>;
    let (ast, cut) = match parse_to_ast(&expanded.text, &CollectOptions::default(), options) {
        Ok(ast) => (ast, usize::MAX),
        Err(e) => {
            repaired = salvage(&expanded.text, e.range().start, options);
            report_syntax_error(expanded, &e, repaired.is_some(), parsed);
            let Some((text, cut)) = &repaired else {
                return;
            };
            match parse_to_ast(text, &CollectOptions::default(), options) {
                Ok(ast) => (ast, *cut),
                Err(_) => return,
            }
        }
    };
    if let Some(root) = &ast.value {
        let mut walk = Walk {
            expanded,
            cut,
            parsed,
            names: Names::default(),
            option: DomainOption::Name,
            lookup: Lookup::default(),
            global_lookup: false,
            parts: None,
        };
        walk.root(root);
    }
}

/// Read a configuration that is valid JSON without holding the syntax tree of all of it: the long
/// lists (subnets, shared networks, reservations, client classes) are left out of the tree of the
/// rest and each of their entries is parsed when the walk reaches it, then dropped. False, with
/// `parsed` as it was, when some part does not parse: the whole text is then read as one, for its
/// syntax error and the salvage of what comes before it.
fn read_by_parts(expanded: &Expanded, options: &ParseOptions, parsed: &mut Parsed) -> bool {
    let text: &str = &expanded.text;
    let Some(parts) = Parts::scan(text) else {
        return false;
    };
    let Some((outline, runs)) = parts.outline(text) else {
        return false;
    };
    let Ok(ast) = parse_to_ast(&outline, &CollectOptions::default(), options) else {
        return false;
    };
    let Some(mut root) = ast.value else {
        return false;
    };
    // Positions in the outline become those of the text.
    shift(&mut root, &|x| {
        let i = runs.partition_point(|&(o, _)| o <= x).saturating_sub(1);
        runs.get(i).map_or(x, |&(o, t)| t + (x - o))
    });
    let (scopes, problems) = (parsed.scopes.len(), parsed.problems.len());
    let mut walk = Walk {
        expanded,
        cut: usize::MAX,
        parsed,
        names: Names::default(),
        option: DomainOption::Name,
        lookup: Lookup::default(),
        global_lookup: false,
        parts: Some(parts),
    };
    walk.root(&root);
    let parts = walk.parts.take();
    let valid = parts.is_some_and(|p| p.check_unread(text));
    if !valid {
        parsed.scopes.truncate(scopes);
        parsed.problems.truncate(problems);
    }
    valid
}

/// Property names whose lists are parsed one entry at a time.
const LISTS_BY_ENTRY: [&str; 5] = [
    "subnet4",
    "subnet6",
    "shared-networks",
    "reservations",
    "client-classes",
];
/// Bracket nesting beyond this is left to the parser of the whole text (which stops at 512).
const MAX_PARTS_DEPTH: usize = 256;

/// The lists of a valid-looking text that are read one entry at a time, by the offset of their
/// `[`: the byte range of each entry (an object), the offset of the `]`, and whether the walk
/// read the list.
#[derive(Default)]
struct Parts {
    lists: HashMap<usize, (Vec<Range<usize>>, usize, bool)>,
    /// Some entry did not parse: the text is read as one after all.
    failed: bool,
}

impl Parts {
    /// The lists of objects under the names in [`LISTS_BY_ENTRY`], outside other such lists;
    /// `None` when the text holds what [`Expander`] leaves out (`#` comments, includes) or nests
    /// too deep. A list whose insides are not plainly objects, commas and comments is left whole.
    fn scan(text: &str) -> Option<Parts> {
        let mut parts = Parts::default();
        let mut lexer = Lexer::new(text);
        let mut depth = 0usize;
        // A string just before, and a string and `:` just before: a list name makes the next
        // `[` such a list.
        let mut string: Option<Range<usize>> = None;
        let mut key: Option<Range<usize>> = None;
        while let Some((token, span)) = lexer.next() {
            match token {
                Token::HashComment | Token::Include => return None,
                Token::SlashComment => continue,
                Token::Code(b) if b.is_ascii_whitespace() => continue,
                Token::Code(b'[') if key.clone().is_some_and(|k| is_list_by_entry(text, k)) => {
                    if depth + 1 > MAX_PARTS_DEPTH {
                        return None;
                    }
                    let mut probe = Lexer {
                        bytes: lexer.bytes,
                        pos: lexer.pos,
                    };
                    match entries(&mut probe, depth + 1)? {
                        Some((list, close)) => {
                            parts.lists.insert(span.start, (list, close, false));
                            lexer.pos = probe.pos;
                        }
                        None => depth += 1,
                    }
                }
                Token::Code(b'{' | b'[') => {
                    depth += 1;
                    if depth > MAX_PARTS_DEPTH {
                        return None;
                    }
                }
                Token::Code(b'}' | b']') => depth = depth.saturating_sub(1),
                _ => {}
            }
            key = if token == Token::Code(b':') {
                string.take()
            } else {
                None
            };
            string = (token == Token::String).then_some(span);
        }
        Some(parts)
    }

    /// The text without the insides of the lists read by entry, and where each run of it starts
    /// in the outline and in the text.
    fn outline(&self, text: &str) -> Option<(String, Vec<(usize, usize)>)> {
        let mut lists: Vec<(usize, usize)> = self.lists.iter().map(|(&at, l)| (at, l.1)).collect();
        lists.sort_unstable();
        let mut runs = vec![(0usize, 0usize)];
        let mut outline = String::new();
        let mut copied = 0;
        for (at, close) in lists {
            outline.push_str(text.get(copied..=at)?);
            runs.push((outline.len(), close));
            copied = close;
        }
        outline.push_str(text.get(copied..)?);
        Some((outline, runs))
    }

    /// The entries of the list opening at `at`, if it is one read by entry; `read` marks it
    /// read.
    fn entries(&mut self, at: usize, read: bool) -> Option<Vec<Range<usize>>> {
        let (list, _, was_read) = self.lists.get_mut(&at)?;
        *was_read |= read;
        Some(list.clone())
    }

    /// Parse the entries of the lists the walk did not reach, for their syntax errors.
    fn check_unread(&self, text: &str) -> bool {
        !self.failed
            && self
                .lists
                .values()
                .filter(|l| !l.2)
                .all(|(list, _, _)| list.iter().all(|r| parse_entry(text, r.clone()).is_some()))
    }
}

/// Whether the string at `key` is one of [`LISTS_BY_ENTRY`], written without escapes.
fn is_list_by_entry(text: &str, key: Range<usize>) -> bool {
    let name = text
        .get(key)
        .and_then(|k| k.strip_prefix('"')?.strip_suffix('"'));
    name.is_some_and(|n| LISTS_BY_ENTRY.contains(&n))
}

/// After a list's `[`: the ranges of its entries when they are objects separated by single
/// commas (a trailing one allowed), with only whitespace and comments between them, and the
/// offset of its `]`, the lexer moved past it; `Some(None)` when the list is anything else, the
/// lexer then somewhere inside it; `None` when an entry nests too deep.
type Entries = (Vec<Range<usize>>, usize);

fn entries(lexer: &mut Lexer, depth: usize) -> Option<Option<Entries>> {
    let mut list = Vec::new();
    // Whether an entry may come next (after `[` or a comma).
    let mut open = true;
    while let Some((token, span)) = lexer.next() {
        match token {
            Token::SlashComment => {
                // An unterminated block comment runs to the end of the text.
                let text = lexer.bytes.get(span.clone()).unwrap_or(&[]);
                if text.starts_with(b"/*") && !(text.len() >= 4 && text.ends_with(b"*/")) {
                    return Some(None);
                }
            }
            Token::Code(b' ' | b'\t' | b'\n' | b'\r') => {}
            Token::Code(b']') => return Some(Some((list, span.start))),
            Token::Code(b',') if !open => open = true,
            Token::Code(b'{') if open => {
                let start = span.start;
                let mut level = 1usize;
                let mut deepest = depth + 1;
                while level > 0 {
                    let (token, _) = lexer.next()?;
                    match token {
                        Token::Code(b'{' | b'[') => {
                            level += 1;
                            deepest = deepest.max(depth + level);
                        }
                        Token::Code(b'}' | b']') => level -= 1,
                        Token::HashComment | Token::Include => return Some(None),
                        _ => {}
                    }
                }
                if deepest > MAX_PARTS_DEPTH {
                    return None;
                }
                list.push(start..lexer.pos);
                open = false;
            }
            _ => return Some(None),
        }
    }
    Some(None)
}

/// One entry of a list read by entry, parsed, with the positions of the text.
fn parse_entry(text: &str, range: Range<usize>) -> Option<Object<'_>> {
    let start = range.start;
    let ast = parse_to_ast(
        text.get(range)?,
        &CollectOptions::default(),
        &json_options(),
    )
    .ok()?;
    let mut value = ast.value?;
    shift(&mut value, &|x| x + start);
    match value {
        Value::Object(o) => Some(o),
        _ => None,
    }
}

/// Move every position in a parsed value.
fn shift(value: &mut Value, to: &impl Fn(usize) -> usize) {
    let moved = |r: &mut jsonc_parser::common::Range| {
        r.start = to(r.start);
        r.end = to(r.end);
    };
    match value {
        Value::StringLit(v) => moved(&mut v.range),
        Value::NumberLit(v) => moved(&mut v.range),
        Value::BooleanLit(v) => moved(&mut v.range),
        Value::NullKeyword(v) => moved(&mut v.range),
        Value::Object(o) => {
            moved(&mut o.range);
            for prop in &mut o.properties {
                moved(&mut prop.range);
                match &mut prop.name {
                    ObjectPropName::String(n) => moved(&mut n.range),
                    ObjectPropName::Word(n) => moved(&mut n.range),
                }
                shift(&mut prop.value, to);
            }
        }
        Value::Array(a) => {
            moved(&mut a.range);
            for element in &mut a.elements {
                shift(element, to);
            }
        }
    }
}

/// Could `text` be a piece of Kea's JSON (what `<?include?>` pulls in)? After comments, it starts
/// with an object, a list, a string or a further include.
fn looks_like_fragment(text: &str) -> bool {
    for (token, _) in Lexer::new(text) {
        match token {
            Token::HashComment | Token::SlashComment | Token::Include => {}
            Token::String => return true,
            Token::Code(b) if b.is_ascii_whitespace() => {}
            Token::Code(b) => return matches!(b, b'{' | b'[' | b',' | b']' | b'}'),
        }
    }
    true
}

/// Kea's JSON: comments allowed, nothing else beyond the standard.
fn json_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        // A missing include leaves a comma behind; Kea itself would refuse the file anyway.
        allow_trailing_commas: true,
        ..crate::source::strict_json()
    }
}

/// A syntax error: at the end of the file when it stops early, else where the parser stopped.
fn report_syntax_error(expanded: &Expanded, e: &ParseError, salvaged: bool, parsed: &mut Parsed) {
    let read = if salvaged {
        "Only the part before it is read"
    } else {
        "Nothing is read"
    };
    let kind = e.kind();
    let (offset, what) = if is_cut_off(kind) && ends_open(&expanded.text) {
        let what = format!("the file ends before its JSON is complete ({kind}): truncated?");
        (expanded.text.trim_end().len(), what)
    } else {
        (e.range().start, format!("malformed JSON: {kind}"))
    };
    let (origin, column) = expanded.position(offset);
    let stop = if what.ends_with('?') { " " } else { ". " };
    parsed.problem(origin, column, format!("{what}{stop}{read}"));
}

/// Errors a file that stops early produces.
fn is_cut_off(kind: &ParseErrorKind) -> bool {
    matches!(
        kind,
        ParseErrorKind::UnterminatedObject
            | ParseErrorKind::UnterminatedArray
            | ParseErrorKind::UnterminatedCommentBlock
            | ParseErrorKind::String(ParseStringErrorKind::UnterminatedStringLiteral)
    )
}

/// Whether brackets are still open where the text ends.
fn ends_open(text: &str) -> bool {
    let mut depth = 0usize;
    for (token, _) in Lexer::new(text) {
        match token {
            Token::Code(b'{' | b'[') => depth += 1,
            Token::Code(b'}' | b']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth > 0
}

/// What the lexer found at a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// One byte of JSON outside strings and comments.
    Code(u8),
    /// A string literal with its quotes (possibly unterminated).
    String,
    /// `# …` up to the end of the line: not JSON, blanked before parsing.
    HashComment,
    /// `// …` or `/* … */`, which the JSON parser accepts.
    SlashComment,
    /// `<?include "…"?>`.
    Include,
}

impl Token {
    fn is_significant(&self) -> bool {
        match self {
            Token::Code(b) => !b.is_ascii_whitespace(),
            Token::String => true,
            Token::HashComment | Token::SlashComment | Token::Include => false,
        }
    }
}

/// Splits Kea's extended JSON into strings, comments, include directives and single bytes.
/// Every token starts and ends on a character boundary except `Code` bytes of non-ASCII text.
struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Lexer {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn rest_starts_with(&self, s: &[u8]) -> bool {
        self.bytes.get(self.pos..).is_some_and(|r| r.starts_with(s))
    }

    /// Position of the first `needle` at or after `from`.
    fn find_from(&self, from: usize, needle: &[u8]) -> Option<usize> {
        self.bytes
            .get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| from + i)
    }

    fn line_end(&self, from: usize) -> usize {
        self.find_from(from, b"\n").unwrap_or(self.bytes.len())
    }

    fn string_end(&self, from: usize) -> usize {
        let mut i = from + 1;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'\\' => i += 2,
                b'"' => return i + 1,
                _ => i += 1,
            }
        }
        self.bytes.len()
    }
}

impl Iterator for Lexer<'_> {
    type Item = (Token, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.pos;
        let &b = self.bytes.get(start)?;
        let (token, end) = if b == b'"' {
            (Token::String, self.string_end(start))
        } else if b == b'#' {
            (Token::HashComment, self.line_end(start))
        } else if self.rest_starts_with(b"//") {
            (Token::SlashComment, self.line_end(start))
        } else if self.rest_starts_with(b"/*") {
            let end = self
                .find_from(start + 2, b"*/")
                .map_or(self.bytes.len(), |i| i + 2);
            (Token::SlashComment, end)
        } else if self.rest_starts_with(b"<?include") {
            let line_end = self.line_end(start);
            let end = self
                .find_from(start, b"?>")
                .filter(|&i| i < line_end)
                .map_or(line_end, |i| i + 2);
            (Token::Include, end)
        } else {
            (Token::Code(b), start + 1)
        };
        let end = end.min(self.bytes.len()).max(start + 1);
        self.pos = end;
        Some((token, start..end))
    }
}

/// The path inside `<?include "path"?>`, or `None` when the directive is malformed.
fn include_target(directive: &str) -> Option<&str> {
    let rest = directive.strip_prefix("<?include")?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let (target, tail) = rest.split_once('"')?;
    (tail.trim() == "?>" && !target.trim().is_empty()).then_some(target)
}

/// A contiguous run of the expanded text copied from one file.
struct Piece {
    /// Offset in the expanded text.
    at: usize,
    file: usize,
    /// Offset in that file's text.
    from: usize,
}

/// The configuration with includes expanded and `#` comments blanked, and where each byte of it
/// came from. A file with neither is its own expansion, borrowed.
struct Expanded<'t> {
    text: Cow<'t, str>,
    /// The file read: its path, text and where its lines start. Piece file 0.
    root: (PathBuf, &'t str, LineIndex),
    /// The files it includes: piece file `i` is `included[i - 1]`.
    included: Vec<Source>,
    pieces: Vec<Piece>,
}

impl Expanded<'_> {
    /// The file, line and column an offset of the expanded text came from.
    fn position(&self, offset: usize) -> (Origin, usize) {
        let index = self.pieces.partition_point(|p| p.at <= offset);
        let Some(piece) = index.checked_sub(1).and_then(|i| self.pieces.get(i)) else {
            return self.file_position(0, 0);
        };
        self.file_position(piece.file, piece.from + (offset - piece.at))
    }

    fn file_position(&self, file: usize, offset: usize) -> (Origin, usize) {
        let Some(index) = file.checked_sub(1) else {
            let (path, text, lines) = &self.root;
            let (line, column) = lines.line_col(text, offset);
            return (Origin::new(path.clone(), line), column);
        };
        match self.included.get(index) {
            Some(source) => {
                let (line, column) = source.line_col(offset);
                (Origin::new(source.path.clone(), line), column)
            }
            None => (Origin::new("", 1), 1),
        }
    }

    fn origin(&self, offset: usize) -> Origin {
        self.position(offset).0
    }
}

/// Expands `<?include?>` directives depth-first, within [`Includes`]' limits.
struct Expander<'t, 'p> {
    out: Expanded<'t>,
    /// The expansion so far.
    text: String,
    includes: Includes,
    parsed: &'p mut Parsed,
}

impl<'t, 'p> Expander<'t, 'p> {
    fn run(path: &Path, text: &'t str, files: Files, parsed: &'p mut Parsed) -> Expanded<'t> {
        let out = Expanded {
            text: Cow::Borrowed(text),
            root: (path.to_path_buf(), text, LineIndex::new(text)),
            included: Vec::new(),
            pieces: vec![Piece {
                at: 0,
                file: 0,
                from: 0,
            }],
        };
        // Nothing to expand or blank: the text is its own expansion.
        if !text.contains('#') && !text.contains("<?include") {
            return out;
        }
        let mut expander = Expander {
            out: Expanded {
                pieces: Vec::new(),
                ..out
            },
            text: String::with_capacity(text.len()),
            includes: Includes::new(
                path,
                dhcp_common::Fragment {
                    kind: "Kea configuration",
                    looks_like: looks_like_fragment,
                },
                files,
            ),
            parsed,
        };
        expander.expand(0);
        expander.parsed.included = expander.includes.take_read();
        let mut out = expander.out;
        out.text = Cow::Owned(expander.text);
        out
    }

    fn expand(&mut self, file: usize) {
        let source = match file.checked_sub(1) {
            None => None,
            Some(index) => match self.out.included.get(index) {
                Some(source) => Some(Arc::clone(source)),
                None => return,
            },
        };
        let (path, text) = match &source {
            Some(source) => (source.path.clone(), source.text.as_str()),
            None => (self.out.root.0.clone(), self.out.root.1),
        };
        let mut copied = 0;
        self.start_piece(file, 0);
        for (token, span) in Lexer::new(text) {
            match token {
                Token::HashComment => {
                    self.text
                        .push_str(text.get(copied..span.start).unwrap_or(""));
                    self.text.extend(std::iter::repeat_n(' ', span.len()));
                    copied = span.end;
                }
                Token::Include => {
                    self.text
                        .push_str(text.get(copied..span.start).unwrap_or(""));
                    copied = span.end;
                    if !self.include(&path, text, file, span.clone()) && self.in_value_position() {
                        // Unreadable in value position (`"reservations": <?include …?>`): the
                        // value is empty, and the rest of the file still parses.
                        self.text.push_str("null");
                    }
                    self.start_piece(file, span.end);
                }
                _ => {}
            }
        }
        self.text.push_str(text.get(copied..).unwrap_or(""));
    }

    fn start_piece(&mut self, file: usize, from: usize) {
        let at = self.text.len();
        if self.out.pieces.last().is_some_and(|p| p.at == at) {
            self.out.pieces.pop();
        }
        self.out.pieces.push(Piece { at, file, from });
    }

    /// Does the expanded text so far end with `:` (an include standing for an object's value)?
    fn in_value_position(&self) -> bool {
        self.text.trim_end().ends_with(':')
    }

    /// Expand one include directive; false when nothing could be read for it.
    fn include(&mut self, including: &Path, text: &str, file: usize, span: Range<usize>) -> bool {
        let directive = text.get(span.clone()).unwrap_or("");
        let (origin, column) = self.out.file_position(file, span.start);
        let Some(target) = include_target(directive) else {
            self.parsed.problem(
                origin,
                column,
                "malformed include directive (expected `<?include \"file\"?>`); ignored",
            );
            return false;
        };
        let path = dhcp_common::resolve(including, target);
        let body = match self.includes.enter(&path) {
            Ok(body) => body,
            Err(e) => {
                self.parsed.problem(origin, column, e.to_string());
                return false;
            }
        };
        let read = self.text.len() + body.text.len() <= MAX_EXPANDED_BYTES;
        if !read {
            self.parsed.problem(
                origin,
                column,
                format!(
                    "with `{target}` the configuration would exceed {} MiB; not read",
                    MAX_EXPANDED_BYTES / 1024 / 1024
                ),
            );
        } else {
            self.out.included.push(body);
            let index = self.out.included.len();
            self.expand(index);
        }
        self.includes.leave();
        read
    }
}

/// After a syntax error at `error_at`, the longest text that ends just after a closing bracket
/// before the error, with the brackets still open there closed, that parses. Returns it with the
/// cut offset: values that end after the cut were closed here, not in the file.
fn salvage(text: &str, error_at: usize, options: &ParseOptions) -> Option<(String, usize)> {
    let mut open: Vec<u8> = Vec::new();
    let mut candidates: VecDeque<(usize, String)> = VecDeque::new();
    for (token, span) in Lexer::new(text) {
        if span.end > error_at {
            break;
        }
        match token {
            Token::Code(b @ (b'{' | b'[')) => {
                if open.len() >= MAX_SALVAGE_DEPTH {
                    return None;
                }
                open.push(if b == b'{' { b'}' } else { b']' });
            }
            Token::Code(b'}' | b']') => {
                open.pop()?;
                if candidates.len() == MAX_SALVAGE_ATTEMPTS {
                    candidates.pop_front();
                }
                let closers = open.iter().rev().map(|&b| char::from(b)).collect();
                candidates.push_back((span.end, closers));
            }
            _ => {}
        }
    }
    candidates.into_iter().rev().find_map(|(cut, closers)| {
        let mut repaired = text.get(..cut)?.to_owned();
        repaired.push('\n');
        repaired.push_str(&closers);
        let parses = parse_to_ast(&repaired, &CollectOptions::default(), options).is_ok();
        parses.then_some((repaired, cut))
    })
}

/// The domain option a walk reads: option 15 in `Dhcp4`, option 24 in `Dhcp6`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DomainOption {
    /// DHCPv4 option 15, `domain-name`: one suffix.
    Name,
    /// DHCPv6 option 24, `domain-search`: a comma-separated list.
    Search,
}

impl DomainOption {
    fn label(self) -> &'static str {
        match self {
            DomainOption::Name => "option 15 (domain-name)",
            DomainOption::Search => "option 24 (domain-search)",
        }
    }

    /// An `option-data` entry for this option: by `name` when given, else by `code`, in its
    /// space.
    fn is(self, entry: &Object) -> bool {
        let (space, name, code) = match self {
            DomainOption::Name => ("dhcp4", "domain-name", "15"),
            DomainOption::Search => ("dhcp6", "domain-search", "24"),
        };
        if entry.get_string("space").is_some_and(|s| s.value != space) {
            return false;
        }
        match entry.get_string("name") {
            Some(n) => n.value == name,
            None => entry.get_number("code").is_some_and(|c| c.value == code),
        }
    }

    /// The text of the option's binary data: option 15's bytes are its text (trailing NULs
    /// dropped); option 24's are names in DNS wire format, given back comma-separated.
    fn binary_text(self, bytes: Vec<u8>) -> Option<String> {
        match self {
            DomainOption::Name => {
                let text = String::from_utf8(bytes).ok()?;
                Some(text.trim_end_matches('\0').to_owned())
            }
            DomainOption::Search => wire_names(&bytes).map(|names| names.join(",")),
        }
    }

    /// The domains the option's text carries; empty when it carries none.
    fn values(self, text: &str) -> Vec<String> {
        match self {
            DomainOption::Name => clean_suffix(text).into_iter().collect(),
            DomainOption::Search => dhcp_common::search_list(text),
        }
    }
}

/// A domain option a level sets itself: its domains (none for `never-send`) and where.
#[derive(Debug, Clone)]
struct Setting {
    values: Vec<String>,
    origin: Origin,
}

impl Setting {
    fn suffix(&self) -> Option<&String> {
        self.values.first()
    }
}

impl Setting {
    /// `never-send`: the option is not sent.
    fn is_never_send(&self) -> bool {
        self.values.is_empty()
    }
}

/// What a level hands out: its own value over the one it inherits, except that a `never-send`
/// anywhere up the chain stays (the ARM: the flag is sticky and does not follow the usual
/// inheritance rules).
fn handed_out<'s>(own: Option<&'s Setting>, inherited: Option<&'s Setting>) -> Option<&'s Setting> {
    match (own, inherited) {
        (_, Some(up)) if up.is_never_send() => Some(up),
        (Some(own), _) => Some(own),
        (None, up) => up,
    }
}

/// A level with a value of its own is a scope of its own only when it changes what the level
/// above hands out.
fn changes(own: &Setting, inherited: Option<&Setting>) -> bool {
    !same_values(handed_out(Some(own), inherited), inherited)
}

fn same_values(a: Option<&Setting>, b: Option<&Setting>) -> bool {
    same_names(
        a.map_or(&[][..], |s| &s.values),
        b.map_or(&[][..], |s| &s.values),
    )
}

/// Walks the parsed configuration and emits scopes.
struct Walk<'a> {
    expanded: &'a Expanded<'a>,
    /// Values ending after this offset were cut off by a syntax error and are not emitted.
    cut: usize,
    parsed: &'a mut Parsed,
    names: Names,
    /// The option the section being walked hands out.
    option: DomainOption,
    /// Where host reservations are looked up at the level being walked.
    lookup: Lookup,
    /// Some subnet looks global reservations up.
    global_lookup: bool,
    /// The lists read an entry at a time, when the text is read by parts.
    parts: Option<Parts>,
}

/// Where the server looks host reservations up (`reservations-global`, default false, and
/// `reservations-in-subnet`, default true, inherited global → shared network → subnet; the older
/// `reservation-mode` at the same level yields to them).
#[derive(Debug, Clone, Copy)]
struct Lookup {
    global: bool,
    in_subnet: bool,
}

impl Default for Lookup {
    fn default() -> Self {
        Lookup {
            global: false,
            in_subnet: true,
        }
    }
}

impl Lookup {
    /// The lookup at a level below, given what it sets.
    fn under(self, level: &Object) -> Lookup {
        let mut l = self;
        match level
            .get_string("reservation-mode")
            .map(|m| m.value.to_string())
        {
            Some(m) if m == "disabled" => (l.global, l.in_subnet) = (false, false),
            Some(m) if m == "global" => (l.global, l.in_subnet) = (true, false),
            Some(m) if m == "all" || m == "out-of-pool" => (l.global, l.in_subnet) = (false, true),
            _ => {}
        }
        if let Some(b) = level.get_boolean("reservations-global") {
            l.global = b.value;
        }
        if let Some(b) = level.get_boolean("reservations-in-subnet") {
            l.in_subnet = b.value;
        }
        l
    }
}

impl Walk<'_> {
    fn problem(&mut self, offset: usize, message: impl Into<String>) {
        let (origin, column) = self.expanded.position(offset);
        self.parsed.problem(origin, column, message);
    }

    fn complete(&self, range: &impl Ranged) -> bool {
        range.range().end <= self.cut
    }

    fn emit(
        &mut self,
        name: String,
        own: Option<&Setting>,
        inherited: Option<&Setting>,
        ranges: Vec<Ipv4Range>,
        opening: usize,
    ) {
        let effective = handed_out(own, inherited);
        let origin = match own {
            Some(own) if effective.is_some_and(|e| std::ptr::eq(e, own)) => own.origin.clone(),
            _ => self.expanded.origin(opening),
        };
        let (suffix, search_v6) = match self.option {
            DomainOption::Name => (effective.and_then(|s| s.suffix().cloned()), Vec::new()),
            DomainOption::Search => (
                None,
                effective.map(|s| s.values.clone()).unwrap_or_default(),
            ),
        };
        self.parsed.scopes.push(Scope {
            name: self.names.unique(name),
            suffix,
            search_v6,
            ranges,
            origin,
        });
    }

    fn root(&mut self, root: &Value) {
        let start = root.range().start;
        let top = match root {
            Value::Object(o) => Some(o),
            Value::Array(a) => a.elements.first().and_then(Value::as_object),
            _ => None,
        };
        let Some(top) = top else {
            self.problem(start, "the top level is not a JSON object; nothing is read");
            return;
        };
        let arguments = top.get_object("arguments");
        let mut found = false;
        for (key, option) in [
            ("Dhcp4", DomainOption::Name),
            ("Dhcp6", DomainOption::Search),
        ] {
            let Some(prop) = top.get(key).or_else(|| arguments.and_then(|a| a.get(key))) else {
                continue;
            };
            found = true;
            self.option = option;
            match &prop.value {
                Value::Object(section) if option == DomainOption::Name => self.dhcp4(section),
                Value::Object(section) => self.dhcp6(section),
                other => self.problem(
                    other.range().start,
                    format!("`{key}` is not an object; it is not read"),
                ),
            }
        }
        let other_daemon = |o: &Object| OTHER_DAEMONS.iter().any(|k| o.get(k).is_some());
        if !found && !other_daemon(top) && !arguments.is_some_and(other_daemon) {
            self.problem(start, "no `Dhcp4` or `Dhcp6` section; nothing is read");
        }
    }

    fn dhcp6(&mut self, dhcp6: &Object) {
        let global = self.own_option(dhcp6);
        if let Some(setting) = global.as_ref().filter(|s| !s.values.is_empty()) {
            self.emit(
                "server default (DHCPv6)".into(),
                Some(setting),
                None,
                Vec::new(),
                0,
            );
        }
        let mut reaches = None;
        self.each_object(dhcp6, "client-classes", |w, class| {
            w.client_class(class, global.as_ref(), (dhcp6, "subnet6"), &mut reaches);
        });
        let section = self.enter(dhcp6);
        self.each_object(dhcp6, "shared-networks", |w, network| {
            let own = w.own_option(network);
            let name = network
                .get_string("name")
                .map_or_else(|| "?".to_owned(), |n| n.value.to_string());
            let above = w.enter(network);
            w.each_object(network, "subnet6", |w, subnet| {
                w.subnet6(
                    subnet,
                    Some(&name),
                    handed_out(own.as_ref(), global.as_ref()),
                );
            });
            w.lookup = above;
        });
        self.each_object(dhcp6, "subnet6", |w, subnet| {
            w.subnet6(subnet, None, global.as_ref());
        });
        self.lookup = section;
        self.global_reservations(dhcp6, global.as_ref());
    }

    /// Walk into a level: its reservation lookup applies below it. Returns the one to restore.
    fn enter(&mut self, level: &Object) -> Lookup {
        let above = self.lookup;
        self.lookup = above.under(level);
        above
    }

    /// The section's own reservations, looked up only by subnets with `reservations-global`.
    fn global_reservations(&mut self, section: &Object, global: Option<&Setting>) {
        let looked_up = self.global_lookup;
        self.each_object(section, "reservations", |w, reservation| {
            if looked_up {
                w.reservation(reservation, global);
            }
        });
        self.global_lookup = false;
    }

    /// A subnet's reservations, when it looks reservations up in subnets; notes whether it looks
    /// global ones up.
    fn subnet_lookup(&mut self, subnet: &Object) -> bool {
        let here = self.lookup.under(subnet);
        self.global_lookup |= here.global;
        here.in_subnet
    }

    fn subnet6(&mut self, subnet: &Object, shared: Option<&str>, parent: Option<&Setting>) {
        if !self.complete(subnet) {
            return;
        }
        let own = self.own_option(subnet);
        let Some(prop) = subnet.get("subnet") else {
            self.problem(
                subnet.range.start,
                "a `subnet6` entry has no \"subnet\"; ignored",
            );
            return;
        };
        let text = prop
            .value
            .as_string_lit()
            .map(|s| s.value.trim().to_owned());
        let Some(prefix) = text.as_deref().and_then(|t| t.parse::<Ipv6Net>().ok()) else {
            let shown = text.unwrap_or_else(|| "(not a string)".into());
            self.problem(
                prop.value.range().start,
                format!(
                    "\"subnet\" `{shown}` is not an IPv6 prefix like 2001:db8:1::/64; the subnet is ignored"
                ),
            );
            return;
        };
        let name = match shared {
            Some(shared) => format!("shared-network {shared}, subnet6 {prefix}"),
            None => format!("subnet6 {prefix}"),
        };
        self.emit(
            name.clone(),
            own.as_ref(),
            parent,
            Vec::new(),
            prop.range.start,
        );
        let effective = handed_out(own.as_ref(), parent);
        self.each_object(subnet, "pools", |w, pool| {
            if !w.complete(pool) {
                return;
            }
            let own = w.own_option(pool);
            if let Some(own) = own.filter(|own| changes(own, effective)) {
                let range = pool.get_string("pool").map_or("?", |p| p.value.trim());
                let pool_name = format!("{name}, pool {range}");
                w.emit(
                    pool_name,
                    Some(&own),
                    effective,
                    Vec::new(),
                    pool.range.start,
                );
            }
        });
        if self.subnet_lookup(subnet) {
            self.each_object(subnet, "reservations", |w, reservation| {
                w.reservation(reservation, effective);
            });
        }
    }

    fn dhcp4(&mut self, dhcp4: &Object) {
        let global = self.own_option(dhcp4);
        if let Some(setting) = global.as_ref().filter(|s| s.suffix().is_some()) {
            self.emit("server default".into(), Some(setting), None, Vec::new(), 0);
        }
        let mut reaches = None;
        self.each_object(dhcp4, "client-classes", |w, class| {
            w.client_class(class, global.as_ref(), (dhcp4, "subnet4"), &mut reaches);
        });
        let section = self.enter(dhcp4);
        self.each_object(dhcp4, "shared-networks", |w, network| {
            let above = w.enter(network);
            w.shared_network(network, global.as_ref());
            w.lookup = above;
        });
        self.each_object(dhcp4, "subnet4", |w, subnet| {
            w.subnet(subnet, None, global.as_ref());
        });
        self.lookup = section;
        self.global_reservations(dhcp4, global.as_ref());
    }

    /// Calls `f` on each object in array `key` of `obj`, in order; anything else there is a
    /// problem, reported before the first call. A list read by entry is parsed an entry at a time.
    fn each_object(&mut self, obj: &Object, key: &str, mut f: impl FnMut(&mut Self, &Object)) {
        if let Some(list) = self.by_entry(obj, key, true) {
            let expanded = self.expanded;
            let text: &str = &expanded.text;
            for range in list {
                match parse_entry(text, range) {
                    Some(entry) => f(self, &entry),
                    None => return self.fail(),
                }
            }
            return;
        }
        for o in self.objects(obj, key) {
            f(self, o);
        }
    }

    /// Whether `f` holds for some object in array `key` of `obj`; nothing is reported.
    fn any_object(
        &mut self,
        obj: &Object,
        key: &str,
        mut f: impl FnMut(&mut Self, &Object) -> bool,
    ) -> bool {
        if let Some(list) = self.by_entry(obj, key, false) {
            let expanded = self.expanded;
            let text: &str = &expanded.text;
            for range in list {
                match parse_entry(text, range) {
                    Some(entry) if f(self, &entry) => return true,
                    Some(_) => {}
                    None => {
                        self.fail();
                        return false;
                    }
                }
            }
            return false;
        }
        listed(obj, key).into_iter().any(|o| f(self, o))
    }

    /// The entries of array `key` of `obj` when it is a list read by entry (its own tree holds
    /// none); `read` marks it read.
    fn by_entry(&mut self, obj: &Object, key: &str, read: bool) -> Option<Vec<Range<usize>>> {
        let Some(Value::Array(list)) = obj.get(key).map(|p| &p.value) else {
            return None;
        };
        if !list.elements.is_empty() {
            return None;
        }
        self.parts.as_mut()?.entries(list.range.start, read)
    }

    /// An entry read by entry did not parse: what this walk found is dropped.
    fn fail(&mut self) {
        if let Some(parts) = &mut self.parts {
            parts.failed = true;
        }
    }

    /// The objects in array `key` of `obj`; anything else there is a problem.
    fn objects<'o, 'a>(&mut self, obj: &'o Object<'a>, key: &str) -> Vec<&'o Object<'a>> {
        let Some(prop) = obj.get(key) else {
            return Vec::new();
        };
        if matches!(prop.value, Value::NullKeyword(_)) {
            return Vec::new();
        }
        let Value::Array(list) = &prop.value else {
            self.problem(
                prop.value.range().start,
                format!("`{key}` is not a list; ignored"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for element in &list.elements {
            match element {
                Value::Object(o) => out.push(o),
                other => self.problem(
                    other.range().start,
                    format!("an entry of `{key}` is not an object; ignored"),
                ),
            }
        }
        out
    }

    /// Whether the `option-data` of `obj` names this walk's option (a value or `never-send`).
    fn sets_option(&self, obj: &Object) -> bool {
        let Some(Value::Array(list)) = obj.get("option-data").map(|p| &p.value) else {
            return false;
        };
        list.elements
            .iter()
            .filter_map(Value::as_object)
            .any(|e| self.option.is(e))
    }

    /// Whether some subnet leaves the option to the levels below the shared network, where a
    /// client class's value comes before the global one: the ARM's precedence is host
    /// reservation, pool, subnet, shared network, class, global.
    fn leaves_to_classes(&mut self, section: &Object, subnets: &str) -> bool {
        self.any_object(section, subnets, |w, o| !w.sets_option(o))
            || self.any_object(section, "shared-networks", |w, n| {
                !w.sets_option(n) && w.any_object(n, subnets, |w, o| !w.sets_option(o))
            })
    }

    /// A client class's value, a scope without ranges, when it can reach some client: a subnet
    /// that leaves the option to the global level gives the class's members the class's value.
    /// `reaches` is [`Walk::leaves_to_classes`] for the section and its subnet lists, worked out
    /// the first time a class needs it.
    fn client_class(
        &mut self,
        class: &Object,
        global: Option<&Setting>,
        (section, subnets): (&Object, &str),
        reaches: &mut Option<bool>,
    ) {
        if !self.complete(class) {
            return;
        }
        let Some(own) = self.own_option(class).filter(|s| s.suffix().is_some()) else {
            return;
        };
        if handed_out(Some(&own), global).is_none_or(Setting::is_never_send) {
            return;
        }
        let reached = match *reaches {
            Some(r) => r,
            None => *reaches.insert(self.leaves_to_classes(section, subnets)),
        };
        if !reached {
            return;
        }
        match class.get_string("name") {
            Some(name) => {
                let name = format!("client-class {}", name.value);
                self.emit(name, Some(&own), None, Vec::new(), class.range.start);
            }
            None => {
                let label = self.option.label();
                let msg = format!("a client class sets {label} but has no `name`; ignored");
                self.problem(class.range.start, msg);
            }
        }
    }

    fn shared_network(&mut self, network: &Object, global: Option<&Setting>) {
        let own = self.own_option(network);
        let effective = handed_out(own.as_ref(), global);
        let name = match network.get_string("name") {
            Some(name) => name.value.to_string(),
            None => {
                self.problem(
                    network.range.start,
                    "a shared network has no `name`; its subnets are read as `shared-network ?`",
                );
                "?".to_owned()
            }
        };
        self.each_object(network, "subnet4", |w, subnet| {
            w.subnet(subnet, Some(&name), effective);
        });
    }

    fn subnet(&mut self, subnet: &Object, shared: Option<&str>, parent: Option<&Setting>) {
        if !self.complete(subnet) {
            return;
        }
        let own = self.own_option(subnet);
        let effective = handed_out(own.as_ref(), parent);
        let Some(prop) = subnet.get("subnet") else {
            self.problem(
                subnet.range.start,
                "a `subnet4` entry has no \"subnet\"; ignored",
            );
            return;
        };
        let Some(range) = self.cidr(prop) else {
            return;
        };
        let name = match shared {
            Some(shared) => format!("shared-network {shared}, subnet {range}"),
            None => format!("subnet {range}"),
        };
        self.emit(
            name.clone(),
            own.as_ref(),
            parent,
            vec![range],
            prop.range.start,
        );
        let mut pools: Vec<(Ipv4Range, Setting)> = Vec::new();
        self.each_object(subnet, "pools", |w, pool| {
            pools.extend(w.pool(pool, &name, effective));
        });
        let in_subnet = self.subnet_lookup(subnet);
        self.each_object(subnet, "reservations", |w, reservation| {
            if !in_subnet {
                return;
            }
            // A reserved address in a pool with a value of its own is compared with the pool's.
            let ip = reservation
                .get_string("ip-address")
                .and_then(|ip| dhcp_common::ipv4(&ip.value));
            let pool = ip.and_then(|ip| {
                pools
                    .iter()
                    .filter(|(range, _)| range.contains(ip))
                    .min_by_key(|(range, _)| range.size())
            });
            let parent = match pool {
                Some((_, own)) => handed_out(Some(own), effective),
                None => effective,
            };
            w.reservation(reservation, parent);
        });
    }

    fn cidr(&mut self, prop: &ObjectProp) -> Option<Ipv4Range> {
        let at = prop.value.range().start;
        let Value::StringLit(s) = &prop.value else {
            self.problem(at, "\"subnet\" is not a string; the subnet is ignored");
            return None;
        };
        let range = s
            .value
            .contains('/')
            .then(|| Ipv4Range::parse(&s.value))
            .flatten();
        if range.is_none() {
            self.problem(
                at,
                format!(
                    "\"subnet\" `{}` is not an IPv4 network like 10.1.4.0/24; the subnet is ignored",
                    s.value
                ),
            );
        }
        range
    }

    /// A pool; its range and own value when that changes what its subnet hands out.
    fn pool(
        &mut self,
        pool: &Object,
        subnet: &str,
        parent: Option<&Setting>,
    ) -> Option<(Ipv4Range, Setting)> {
        if !self.complete(pool) {
            return None;
        }
        let own = self.own_option(pool);
        let Some(prop) = pool.get("pool") else {
            self.problem(pool.range.start, "a pool has no \"pool\" range; ignored");
            return None;
        };
        let text = prop.value.as_string_lit().map(|s| s.value.as_ref());
        let Some(range) = text.and_then(Ipv4Range::parse) else {
            let shown = text.unwrap_or("(not a string)");
            self.problem(
                prop.value.range().start,
                format!(
                    "pool `{shown}` is neither `first - last` nor an IPv4 network; the pool is ignored"
                ),
            );
            return None;
        };
        let own = own.filter(|own| changes(own, parent))?;
        let name = format!("{subnet}, pool {range}");
        self.emit(name, Some(&own), parent, vec![range], prop.range.start);
        Some((range, own))
    }

    fn reservation(&mut self, reservation: &Object, parent: Option<&Setting>) {
        if !self.complete(reservation) {
            return;
        }
        let Some(own) = self
            .own_option(reservation)
            .filter(|own| changes(own, parent))
        else {
            return;
        };
        let mut ranges = Vec::new();
        if let Some(ip) = reservation.get_string("ip-address") {
            match dhcp_common::ipv4(&ip.value) {
                Some(ip) => ranges.push(Ipv4Range::new(ip, ip)),
                None => self.problem(
                    ip.range.start,
                    format!(
                        "reservation \"ip-address\" `{}` is not an IPv4 address; read without an address",
                        ip.value
                    ),
                ),
            }
        }
        let label = [
            "hostname",
            "ip-address",
            "hw-address",
            "client-id",
            "duid",
            "circuit-id",
            "flex-id",
        ]
        .iter()
        .find_map(|k| {
            reservation
                .get_string(k)
                .filter(|s| !s.value.trim().is_empty())
        })
        .map_or_else(|| "reservation".to_owned(), |s| s.value.trim().to_owned());
        let name = format!("host {label}");
        self.emit(name, Some(&own), parent, ranges, reservation.range.start);
    }

    /// The domain option (of this walk's kind) `obj`'s `option-data` sets, if any.
    fn own_option(&mut self, obj: &Object) -> Option<Setting> {
        let prop = obj
            .get("option-data")
            .filter(|p| !matches!(p.value, Value::NullKeyword(_)))?;
        let Value::Array(list) = &prop.value else {
            self.problem(
                prop.value.range().start,
                "`option-data` is not a list; ignored",
            );
            return None;
        };
        let mut found: Option<Setting> = None;
        for entry in list.elements.iter().filter_map(Value::as_object) {
            if !self.option.is(entry) {
                continue;
            }
            let Some(setting) = self.setting(entry) else {
                continue;
            };
            if found.is_some() {
                let label = self.option.label();
                self.problem(
                    entry.range.start,
                    format!("{label} is set twice in one `option-data`; the first is used"),
                );
            } else {
                found = Some(setting);
            }
        }
        found
    }

    fn setting(&mut self, entry: &Object) -> Option<Setting> {
        let label = self.option.label();
        if entry.get_boolean("never-send").is_some_and(|b| b.value) {
            return Some(Setting {
                values: Vec::new(),
                origin: self.expanded.origin(entry.range.start),
            });
        }
        let Some(data) = entry.get("data") else {
            self.problem(
                entry.range.start,
                format!("{label} has no \"data\"; ignored"),
            );
            return None;
        };
        let at = data.value.range().start;
        let Value::StringLit(raw) = &data.value else {
            self.problem(at, format!("{label} \"data\" is not a string; ignored"));
            return None;
        };
        let hex = entry.get_boolean("csv-format").is_some_and(|b| !b.value);
        let text = if hex {
            let text = decode_binary(&raw.value).and_then(|b| self.option.binary_text(b));
            match text {
                Some(text) => text,
                None => {
                    let what = match self.option {
                        DomainOption::Name => "text",
                        DomainOption::Search => "names in DNS wire format",
                    };
                    self.problem(
                        at,
                        format!(
                            "{label} \"data\" `{}` is not a quoted string or hex-encoded {what} (\"csv-format\": false); ignored",
                            raw.value
                        ),
                    );
                    return None;
                }
            }
        } else {
            raw.value.to_string()
        };
        let values = self.option.values(&text);
        if values.is_empty() {
            self.problem(at, format!("{label} is empty; ignored"));
            return None;
        }
        Some(Setting {
            values,
            origin: self.expanded.origin(at),
        })
    }
}

/// The objects in array `key` of `obj`, without a word about anything else there.
fn listed<'o, 'a>(obj: &'o Object<'a>, key: &str) -> Vec<&'o Object<'a>> {
    match obj.get(key).map(|p| &p.value) {
        Some(Value::Array(a)) => a.elements.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// Kea's binary `data` (`"csv-format": false`) as bytes, read as Kea's option-data parser reads
/// it: a single-quoted string is its text (`"'lab.com'"`); otherwise hexadecimal octets separated
/// by colons or by spaces, one or two digits each (`"6c:61:62"`, `"6c 61 62"`, `"c:a"`), or one
/// run of digits with or without `0x` (`"0x6c6162"`), an odd count taking a leading zero.
fn decode_binary(data: &str) -> Option<Vec<u8>> {
    let data = data.trim();
    if let Some(text) = data
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        return Some(text.as_bytes().to_vec());
    }
    let octet = |o: &str| -> Option<u8> {
        let ok = (1..=2).contains(&o.len()) && o.bytes().all(|b| b.is_ascii_hexdigit());
        ok.then(|| u8::from_str_radix(o, 16).ok()).flatten()
    };
    for separator in [':', ' '] {
        if data.contains(separator) {
            return data.split(separator).map(octet).collect();
        }
    }
    let digits = data
        .strip_prefix("0x")
        .or_else(|| data.strip_prefix("0X"))
        .unwrap_or(data);
    let padded = if digits.len() % 2 == 1 {
        format!("0{digits}")
    } else {
        digits.to_owned()
    };
    padded
        .as_bytes()
        .chunks(2)
        .map(|pair| std::str::from_utf8(pair).ok().and_then(octet))
        .collect()
}

/// Domain names in DNS wire format (length-prefixed labels, each name ended by a zero length),
/// as option 24 carries them; `None` when the bytes are not such names.
fn wire_names(bytes: &[u8]) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    let mut rest = bytes;
    while let Some((&len, tail)) = rest.split_first() {
        if len == 0 {
            names.push(labels.join("."));
            labels.clear();
            rest = tail;
            continue;
        }
        // Longer lengths are compression pointers, which configured data does not use.
        if len > 63 {
            return None;
        }
        let label = tail.get(..usize::from(len))?;
        labels.push(String::from_utf8(label.to_vec()).ok()?);
        rest = tail.get(usize::from(len)..)?;
    }
    labels.is_empty().then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::reader_tests::{assert_claims_only, file_name, utf16, write};

    const FIXTURE: &str = include_str!("../../tests/fixtures/dhcp/kea-dhcp4.conf");
    const FIXTURE_PATH: &str = "tests/fixtures/dhcp/kea-dhcp4.conf";

    /// Name, suffix, ranges, origin file name and origin line of a scope.
    type Row = (String, Option<String>, Vec<String>, String, usize);

    fn scopes(p: &Parsed) -> Vec<Row> {
        p.scopes
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    s.suffix.clone(),
                    s.ranges.iter().map(ToString::to_string).collect(),
                    file_name(&s.origin),
                    s.origin.line,
                )
            })
            .collect()
    }

    /// File name, line, column and message of every problem.
    fn problems(p: &Parsed) -> Vec<(String, usize, usize, String)> {
        p.problems
            .iter()
            .map(|q| {
                let file = file_name(&q.origin);
                (file, q.origin.line, q.column, q.message.clone())
            })
            .collect()
    }

    fn scope(name: &str, suffix: Option<&str>, ranges: &[&str], file: &str, line: usize) -> Row {
        (
            name.into(),
            suffix.map(str::to_owned),
            ranges.iter().map(|r| r.to_string()).collect(),
            file.into(),
            line,
        )
    }

    fn inline(text: &str) -> Parsed {
        parse(Path::new("kea.conf"), text)
    }

    /// The text read as one tree, and by parts when it can be.
    fn both_ways(text: &str) -> (Parsed, Option<Parsed>) {
        let path = Path::new("kea.conf");
        let mut first = Parsed::default();
        let expanded = Expander::run(path, text, Files::Disk, &mut first);
        let options = json_options();
        let mut whole = first.clone();
        read_whole(&expanded, &options, &mut whole);
        let mut parts = first;
        let read = read_by_parts(&expanded, &options, &mut parts);
        (whole, read.then_some(parts))
    }

    #[test]
    fn reading_by_parts_gives_what_reading_whole_gives() {
        let by_parts = [
            FIXTURE,
            // Lists read by entry at every level, comments and a trailing comma between entries.
            r#"{ "Dhcp4": { "reservations-global": true,
  "option-data": [ { "name": "domain-name", "data": "company.com" } ],
  "client-classes": [ { "name": "voip", "option-data": [ { "code": 15, "data": "voip.example" } ] },
    { "option-data": [ { "code": 15, "data": "x.example" } ] } ],
  "reservations": [ { "hostname": "roam", "option-data": [ { "code": 15, "data": "roam.example" } ] } ],
  "shared-networks": [ { "name": "hq", "option-data": [ { "code": 15, "data": "hq.example" } ],
      "subnet4": [ { "subnet": "10.1.0.0/24" }, { "subnet": "10.1.1.0/24", "reservations-global": true } ] },
    { "subnet4": [ { "subnet": "10.2.0.0/24" } ] } ],
  "subnet4": [ /* first */ { "subnet": "10.3.0.0/24", "pools": [ { "pool": "10.3.0.10 - 10.3.0.20",
        "option-data": [ { "code": 15, "data": "pool.example" } ] } ],
      "reservations": [ { "ip-address": "10.3.0.15", "option-data": [ { "code": 15, "data": "h.example" } ] } ] },
    // second
    { "subnet": "10.4.0.0/33" }, { "id": 7 },
  ] },
  "Dhcp6": { "option-data": [ { "name": "domain-search", "data": "a.example, b.example" } ],
    "shared-networks": [ { "name": "v6", "subnet6": [ { "subnet": "2001:db8:1::/64" } ] } ],
    "subnet6": [ { "subnet": "10.9.0.0/24" }, { "subnet": "2001:db8:2::/64" } ] } }"#,
            // A list that is not all objects is read whole, and the lists inside it by entry.
            r#"{ "Dhcp4": { "shared-networks": [ 7, { "name": "n", "subnet4": [ { "subnet": "10.5.0.0/24" } ] } ],
  "subnet4": [ "a", { "subnet": "10.6.0.0/24" } ] } }"#,
            r#"[ { "result": 0, "arguments": { "Dhcp4": { "subnet4": [ { "subnet": "10.7.0.0/24" } ] } } } ]"#,
            r#"{ "Control-agent": { } }"#,
        ];
        for text in by_parts {
            let (whole, parts) = both_ways(text);
            let parts = parts.unwrap_or_else(|| panic!("not read by parts: {text}"));
            assert_eq!(parts.scopes, whole.scopes, "{text}");
            assert_eq!(parts.problems, whole.problems, "{text}");
            assert!(
                !whole.scopes.is_empty() || text.contains("Control-agent"),
                "{text}"
            );
        }
        let whole_only = [
            // A syntax error inside an entry, between entries, after the lists.
            r#"{ "Dhcp4": { "subnet4": [ { "subnet": "10.1.0.0/24" }, { "subnet": "10.2.0.0/24" "id": 2 } ] } }"#,
            r#"{ "Dhcp4": { "subnet4": [ { "subnet": "10.1.0.0/24" } { "subnet": "10.2.0.0/24" } ] } }"#,
            r#"{ "Dhcp4": { "subnet4": [ { "subnet": "10.1.0.0/24" } ], } x }"#,
            r#"{ "Dhcp4": { "subnet4": [ { "subnet": "10.1.0.0/24" }, ], "reservations": [ { ] } }"#,
            r#"{ "Dhcp4": { "subnet4": [ { "subnet": "10.1.0.0/24" } ] }"#,
        ];
        for text in whole_only {
            let (whole, parts) = both_ways(text);
            assert!(parts.is_none(), "{text}");
            assert!(!whole.problems.is_empty(), "{text}");
        }
    }

    #[test]
    fn fixture_gives_every_scope_with_inheritance_and_includes() {
        let p = parse(Path::new(FIXTURE_PATH), FIXTURE);
        assert_eq!(problems(&p), vec![]);
        assert_eq!(
            scopes(&p),
            vec![
                scope(
                    "server default",
                    Some("company.com"),
                    &[],
                    "kea-dhcp4.conf",
                    14
                ),
                scope(
                    "client-class lab",
                    Some("lab.company.com"),
                    &[],
                    "kea-dhcp4.conf",
                    23
                ),
                scope(
                    "shared-network hq, subnet 10.1.4.0/24",
                    Some("hq.company.com"),
                    &["10.1.4.0/24"],
                    "kea-dhcp4.conf",
                    40
                ),
                scope(
                    "shared-network hq, subnet 10.1.4.0/24, pool 10.1.4.100-10.1.4.199",
                    Some("guest.company.com"),
                    &["10.1.4.100-10.1.4.199"],
                    "kea-dhcp4.conf",
                    45
                ),
                scope(
                    "shared-network hq, subnet 10.1.5.0/24",
                    Some("site5.company.com"),
                    &["10.1.5.0/24"],
                    "kea-dhcp4.conf",
                    53
                ),
                scope(
                    "host kiosk",
                    Some("kiosk.company.com"),
                    &["10.1.5.50/32"],
                    "kea-dhcp4.conf",
                    61
                ),
                scope(
                    "subnet 192.168.20.0/24",
                    Some("company.com"),
                    &["192.168.20.0/24"],
                    "subnets.json",
                    4
                ),
                scope(
                    "subnet 192.168.21.0/24",
                    Some("branch21.company.com"),
                    &["192.168.21.0/24"],
                    "subnets.json",
                    12
                ),
            ]
        );
    }

    #[test]
    fn other_domain_options_are_not_option_15() {
        let p = inline(
            r#"{ "Dhcp4": {
  "option-data": [
    { "name": "domain-search", "data": "company.com" },
    { "code": 119, "data": "corp.company.com" },
    { "name": "domain-name-servers", "data": "10.0.0.53" },
    { "code": 15, "space": "vendor-encapsulated-options-space", "data": "vendor.company.com" },
    { "name": "domain-name", "space": "isc", "data": "isc.company.com" }
  ],
  "subnet4": [ { "subnet": "10.9.0.0/16",
    "option-data": [ { "name": "server-name", "data": "pxe.company.com" } ] } ]
} }"#,
        );
        assert_eq!(problems(&p), vec![]);
        assert_eq!(
            scopes(&p),
            vec![scope(
                "subnet 10.9.0.0/16",
                None,
                &["10.9.0.0/16"],
                "kea.conf",
                9
            )]
        );
    }

    #[test]
    fn hex_data_never_send_and_repeated_values() {
        let p = inline(
            r#"{ "Dhcp4": {
  "option-data": [ { "name": "domain-name", "data": "company.com" } ],
  "subnet4": [
    { "subnet": "10.1.0.0/24",
      "option-data": [ { "name": "domain-name", "never-send": true } ] },
    { "subnet": "10.2.0.0/24",
      "option-data": [ { "code": 15, "csv-format": false, "data": "0x6c61622e636f6d00" } ] },
    { "subnet": "10.3.0.0/24",
      "option-data": [ { "code": 15, "csv-format": false, "data": "6c:61:6g" },
                       { "code": 15, "data": "first.com" },
                       { "code": 15, "data": "second.com" } ] }
  ]
} }"#,
        );
        assert_eq!(
            scopes(&p),
            vec![
                scope("server default", Some("company.com"), &[], "kea.conf", 2),
                scope("subnet 10.1.0.0/24", None, &["10.1.0.0/24"], "kea.conf", 5),
                scope(
                    "subnet 10.2.0.0/24",
                    Some("lab.com"),
                    &["10.2.0.0/24"],
                    "kea.conf",
                    7
                ),
                scope(
                    "subnet 10.3.0.0/24",
                    Some("first.com"),
                    &["10.3.0.0/24"],
                    "kea.conf",
                    10
                ),
            ]
        );
        let found = problems(&p);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].1, found[0].2), (9, 67));
        assert!(
            found[0]
                .3
                .contains("not a quoted string or hex-encoded text"),
            "{found:?}"
        );
        assert_eq!((found[1].1, found[1].2), (11, 24));
        assert!(found[1].3.contains("set twice"), "{found:?}");
    }

    #[test]
    fn binary_data_in_every_form_the_parser_takes() {
        let text = |data: &str| decode_binary(data).and_then(|b| DomainOption::Name.binary_text(b));
        for data in [
            "6c:61:62:2e:65:78",
            "6c 61 62 2e 65 78",
            "0x6c61622e6578",
            "6c61622e6578",
            "'lab.ex'",
            " ' lab.ex ' ",
        ] {
            assert_eq!(text(data).as_deref(), Some("lab.ex"), "{data}");
        }
        // One-digit octets and an odd run of digits, as Kea reads them.
        assert_eq!(decode_binary("a:b:c"), Some(vec![10, 11, 12]));
        assert_eq!(decode_binary("abc"), Some(vec![0x0a, 0xbc]));
        for bad in ["6c:61:6g", "6c::61", "6c 611", "0xzz", "''"] {
            assert_eq!(text(bad), None, "{bad}");
        }
        // Option 24: names in DNS wire format.
        let search =
            |data: &str| decode_binary(data).and_then(|b| DomainOption::Search.binary_text(b));
        assert_eq!(
            search("04636f7270076578616d706c650003 6c 61 62 00").as_deref(),
            None,
            "separators are not mixed"
        );
        assert_eq!(
            search("04:63:6f:72:70:07:65:78:61:6d:70:6c:65:00:03:6c:61:62:00").as_deref(),
            Some("corp.example,lab")
        );
        assert_eq!(search("04:63:6f:72:70").as_deref(), None, "unterminated");
        assert_eq!(search("c0:0c").as_deref(), None, "compression pointer");
    }

    #[test]
    fn option_24_binary_data_is_names_in_wire_format() {
        let p = inline(
            r#"{ "Dhcp6": { "subnet6": [ { "subnet": "2001:db8:1::/64",
  "option-data": [ { "code": 24, "csv-format": false,
    "data": "04636f7270076578616d706c6500036c616200" } ] } ] } }"#,
        );
        assert_eq!(problems(&p), vec![]);
        assert_eq!(p.scopes[0].search_v6, ["corp.example", "lab"]);
    }

    #[test]
    fn dhcp6_reservations_and_classes_with_option_24() {
        let p = inline(
            r#"{ "Dhcp6": { "reservations-global": true,
  "option-data": [ { "name": "domain-search", "data": "corp.example" } ],
  "client-classes": [ { "name": "lab", "test": "member('ALL')",
    "option-data": [ { "code": 24, "data": "lab.example" } ] } ],
  "subnet6": [ { "subnet": "2001:db8:1::/64",
    "reservations": [
      { "duid": "01:02:03:04", "ip-addresses": [ "2001:db8:1::10" ],
        "option-data": [ { "name": "domain-search", "data": "host.example, corp.example" } ] },
      { "hostname": "same", "option-data": [ { "code": 24, "data": "corp.example" } ] } ] } ],
  "reservations": [ { "hw-address": "aa:bb:cc:dd:ee:ff",
    "option-data": [ { "code": 24, "data": "global-host.example" } ] } ]
} }"#,
        );
        assert_eq!(problems(&p), vec![]);
        let got: Vec<(&str, Vec<&str>)> = p
            .scopes
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.search_v6.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("server default (DHCPv6)", vec!["corp.example"]),
                ("client-class lab", vec!["lab.example"]),
                ("subnet6 2001:db8:1::/64", vec!["corp.example"]),
                ("host 01:02:03:04", vec!["host.example", "corp.example"]),
                ("host aa:bb:cc:dd:ee:ff", vec!["global-host.example"]),
            ]
        );
    }

    #[test]
    fn a_reservation_in_a_pool_is_compared_with_the_pools_value() {
        let p = inline(
            r#"{ "Dhcp4": { "subnet4": [ { "subnet": "10.1.0.0/24",
  "option-data": [ { "name": "domain-name", "data": "corp.example" } ],
  "pools": [ { "pool": "10.1.0.100 - 10.1.0.199",
    "option-data": [ { "name": "domain-name", "data": "guest.example" } ] } ],
  "reservations": [
    { "hostname": "in-pool", "ip-address": "10.1.0.150",
      "option-data": [ { "name": "domain-name", "data": "corp.example" } ] },
    { "hostname": "outside", "ip-address": "10.1.0.20",
      "option-data": [ { "name": "domain-name", "data": "corp.example" } ] } ] } ] } }"#,
        );
        assert_eq!(problems(&p), vec![]);
        let names: Vec<&str> = p.scopes.iter().map(|s| s.name.as_str()).collect();
        // The reservation in the pool keeps the subnet's value against the pool's: a scope; the
        // one outside any pool repeats the subnet's value: none.
        assert_eq!(
            names,
            [
                "subnet 10.1.0.0/24",
                "subnet 10.1.0.0/24, pool 10.1.0.100-10.1.0.199",
                "host in-pool"
            ]
        );
        assert_eq!(p.scopes[2].suffix.as_deref(), Some("corp.example"));
    }

    #[test]
    fn never_send_is_sticky_down_the_chain() {
        let p = inline(
            r#"{ "Dhcp4": {
  "shared-networks": [ { "name": "guest",
    "option-data": [ { "name": "domain-name", "never-send": true } ],
    "subnet4": [ { "subnet": "10.1.0.0/24",
      "option-data": [ { "name": "domain-name", "data": "sub.example" } ],
      "pools": [ { "pool": "10.1.0.10 - 10.1.0.20",
        "option-data": [ { "name": "domain-name", "data": "pool.example" } ] } ],
      "reservations": [ { "hostname": "pc", "ip-address": "10.1.0.5",
        "option-data": [ { "code": 15, "data": "pc.example" } ] } ] } ] } ],
  "subnet4": [ { "subnet": "10.2.0.0/24",
    "option-data": [ { "name": "domain-name", "data": "open.example" } ] } ]
} }"#,
        );
        assert_eq!(problems(&p), vec![]);
        assert_eq!(
            scopes(&p),
            vec![
                scope(
                    "shared-network guest, subnet 10.1.0.0/24",
                    None,
                    &["10.1.0.0/24"],
                    "kea.conf",
                    4
                ),
                scope(
                    "subnet 10.2.0.0/24",
                    Some("open.example"),
                    &["10.2.0.0/24"],
                    "kea.conf",
                    11
                ),
            ]
        );
    }

    #[test]
    fn a_class_value_counts_only_where_no_subnet_level_sets_one() {
        let classes = r#"
  "client-classes": [ { "name": "lab", "test": "substring(option[60].hex,0,3) == 'lab'",
    "option-data": [ { "name": "domain-name", "data": "lab.example" } ] } ],"#;
        let set = |subnet_option: &str| {
            inline(&format!(
                r#"{{ "Dhcp4": {{ {classes}
  "option-data": [ {{ "name": "domain-name", "data": "corp.example" }} ],
  "shared-networks": [ {{ "name": "hq", "subnet4": [ {{ "subnet": "10.1.0.0/24" {subnet_option} }} ] }} ]
}} }}"#
            ))
        };
        let names =
            |p: &Parsed| -> Vec<String> { p.scopes.iter().map(|s| s.name.clone()).collect() };
        // Every subnet sets option 15 itself: the class's value reaches no client.
        let covered = set(r#", "option-data": [ { "code": 15, "data": "hq.example" } ]"#);
        assert_eq!(problems(&covered), vec![]);
        assert_eq!(
            names(&covered),
            ["server default", "shared-network hq, subnet 10.1.0.0/24"]
        );
        // The subnet leaves it to the global level: the class's members get the class's value.
        let open = set("");
        assert_eq!(
            names(&open),
            [
                "server default",
                "client-class lab",
                "shared-network hq, subnet 10.1.0.0/24"
            ]
        );
    }

    #[test]
    fn reads_config_get_output() {
        let p = inline(
            r#"[ { "result": 0, "arguments": { "hash": "5F2A",
  "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "10.4.0.0/24",
    "option-data": [ { "code": 15, "data": "api.company.com" } ] } ] } } } ]"#,
        );
        assert_eq!(problems(&p), vec![]);
        assert_eq!(
            scopes(&p),
            vec![scope(
                "subnet 10.4.0.0/24",
                Some("api.company.com"),
                &["10.4.0.0/24"],
                "kea.conf",
                3
            )]
        );
    }

    #[test]
    fn other_daemons_give_nothing_and_no_problem() {
        for text in [
            r#"{ "Control-agent": { "http-host": "127.0.0.1", "http-port": 8000 } }"#,
            r#"{ "DhcpDdns": { "ip-address": "127.0.0.1" } }"#,
        ] {
            let p = inline(text);
            assert!(p.scopes.is_empty() && p.problems.is_empty(), "{text}");
        }
        let p = inline("{\n  \"dhcp4\": { }\n}");
        assert_eq!(
            problems(&p),
            vec![(
                "kea.conf".into(),
                1,
                1,
                "no `Dhcp4` or `Dhcp6` section; nothing is read".into()
            )]
        );
    }

    #[test]
    fn dhcp6_subnets_get_option_24_with_inheritance() {
        let p = inline(
            r#"{ "Dhcp4": { "subnet4": [ { "subnet": "10.1.4.0/24" } ] },
  "Dhcp6": {
  "option-data": [ { "name": "domain-search", "data": "corp.example, lab.corp.example." } ],
  "shared-networks": [ { "name": "hq",
      "option-data": [ { "code": 24, "data": "hq.corp.example" } ],
      "subnet6": [ { "subnet": "2001:db8:1::/64" } ] } ],
  "subnet6": [
    { "subnet": "2001:db8:2::/64",
      "pools": [ { "pool": "2001:db8:2::100-2001:db8:2::1ff",
                   "option-data": [ { "name": "domain-search", "data": "guest.example" } ] },
                 { "pool": "2001:db8:2::200-2001:db8:2::2ff" } ] },
    { "subnet": "2001:db8:3::/64",
      "option-data": [ { "name": "domain-search", "never-send": true },
                       { "name": "dns-servers", "data": "2001:db8::53" } ] },
    { "subnet": "10.9.0.0/24" }
  ] } }"#,
        );
        let got: Vec<(&str, Option<&str>, Vec<&str>)> = p
            .scopes
            .iter()
            .map(|s| {
                let list = s.search_v6.iter().map(String::as_str).collect();
                (s.name.as_str(), s.suffix.as_deref(), list)
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("subnet 10.1.4.0/24", None, vec![]),
                (
                    "server default (DHCPv6)",
                    None,
                    vec!["corp.example", "lab.corp.example"]
                ),
                (
                    "shared-network hq, subnet6 2001:db8:1::/64",
                    None,
                    vec!["hq.corp.example"]
                ),
                (
                    "subnet6 2001:db8:2::/64",
                    None,
                    vec!["corp.example", "lab.corp.example"]
                ),
                (
                    "subnet6 2001:db8:2::/64, pool 2001:db8:2::100-2001:db8:2::1ff",
                    None,
                    vec!["guest.example"]
                ),
                ("subnet6 2001:db8:3::/64", None, vec![]),
            ]
        );
        assert!(
            p.scopes
                .iter()
                .all(|s| s.name.contains("10.1.4") || s.ranges.is_empty())
        );
        assert_eq!(
            problems(&p),
            vec![(
                "kea.conf".into(),
                15,
                17,
                "\"subnet\" `10.9.0.0/24` is not an IPv6 prefix like 2001:db8:1::/64; the subnet is ignored".into()
            )]
        );
        let none = inline(r#"{ "Dhcp6": { "subnet6": [ { "subnet": "2001:db8::/64" } ] } }"#);
        assert!(none.problems.is_empty());
        assert!(none.scopes.iter().all(|s| s.search_v6.is_empty()));
    }

    #[test]
    fn bad_subnets_and_pools_are_reported_and_skipped() {
        let p = inline(
            r#"{ "Dhcp4": { "subnet4": [
  { "id": 1, "option-data": [ { "name": "domain-name", "data": "lost.company.com" } ] },
  { "id": 2, "subnet": "10.1.4.0/33" },
  { "id": 3, "subnet": "10.1.4.0" },
  { "id": 4, "subnet": "10.1.6.0/24", "pools": [
      { "pool": "10.1.6.10 - 10.1.6.x", "option-data": [ { "code": 15, "data": "p.com" } ] } ],
    "option-data": [ { "name": "domain-name", "data": "" } ] }
] } }"#,
        );
        assert_eq!(
            scopes(&p),
            vec![scope(
                "subnet 10.1.6.0/24",
                None,
                &["10.1.6.0/24"],
                "kea.conf",
                5
            )]
        );
        let found: Vec<_> = problems(&p)
            .into_iter()
            .map(|(_, line, column, message)| (line, column, message))
            .collect();
        assert_eq!(found.len(), 5, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (2, 3));
        assert!(found[0].2.contains("no \"subnet\""));
        assert_eq!((found[1].0, found[1].1), (3, 24));
        assert!(found[1].2.contains("`10.1.4.0/33` is not an IPv4 network"));
        assert_eq!((found[2].0, found[2].1), (4, 24));
        // The subnet's own (empty) option is reported before its pools are read.
        assert_eq!((found[3].0, found[3].1), (7, 55));
        assert!(found[3].2.contains("empty"));
        assert_eq!((found[4].0, found[4].1), (6, 17));
        assert!(found[4].2.contains("pool `10.1.6.10 - 10.1.6.x`"));
    }

    #[test]
    fn truncated_file_keeps_the_complete_part() {
        let text = r#"{ "Dhcp4": {
  "option-data": [ { "name": "domain-name", "data": "company.com" } ],
  "subnet4": [
    { "subnet": "10.1.4.0/24" },
    { "subnet": "10.1.5.0/24",
      "option-data": [ { "name": "domain-name", "data": "site5.company.com" } ],
      "pools": [ { "pool": "10.1.5.10 - 10.1.5.20" } ] },
    { "subnet": "10.1.6.0/24",
      "option-data": [ { "name": "domain-name", "data": "site6.comp"#;
        let p = inline(text);
        assert_eq!(
            scopes(&p),
            vec![
                scope("server default", Some("company.com"), &[], "kea.conf", 2),
                scope(
                    "subnet 10.1.4.0/24",
                    Some("company.com"),
                    &["10.1.4.0/24"],
                    "kea.conf",
                    4
                ),
                scope(
                    "subnet 10.1.5.0/24",
                    Some("site5.company.com"),
                    &["10.1.5.0/24"],
                    "kea.conf",
                    6
                ),
            ]
        );
        let found = problems(&p);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, 9);
        assert!(found[0].3.contains("truncated?"), "{found:?}");
        assert!(found[0].3.contains("Only the part before it is read"));
    }

    #[test]
    fn syntax_error_reports_the_parser_position() {
        let p = inline(
            "{ \"Dhcp4\": { \"subnet4\": [\n  { \"subnet\": \"10.1.4.0/24\" },\n  { \"subnet\": \"10.1.5.0/24\" \"id\": 5 }\n] } }",
        );
        assert_eq!(
            scopes(&p),
            vec![scope(
                "subnet 10.1.4.0/24",
                None,
                &["10.1.4.0/24"],
                "kea.conf",
                2
            )]
        );
        let found = problems(&p);
        assert_eq!(found.len(), 1, "{found:?}");
        // Where the comma is missing: just after the value.
        assert_eq!((found[0].1, found[0].2), (3, 28));
        assert!(
            found[0].3.starts_with("malformed JSON: Expected comma"),
            "{found:?}"
        );
    }

    #[test]
    fn garbage_and_binary_do_not_panic() {
        for text in [
            "PK\u{3}\u{4}\u{14}\u{fffd}\u{fffd}garbage{]",
            "}}}}]]]",
            "{ \"Dhcp4\": /* never closed",
            "\"Dhcp4\"",
            "<?include",
            "{ \"Dhcp4\": { \"subnet4\": [ \"a\", 1, null ], \"option-data\": 7 } }",
        ] {
            let p = inline(text);
            assert!(p.scopes.is_empty(), "{text}");
            assert!(!p.problems.is_empty(), "{text}");
            assert!(p.problems.iter().all(|q| q.origin.line == 1), "{text}");
        }
        let deep = format!("{{\"Dhcp4\": {}", "[".repeat(20_000));
        let p = inline(&deep);
        assert_eq!(p.problems.len(), 1);
        assert!(p.scopes.is_empty());
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_not_read() {
        let text: String = "{ \"Dhcp4\": { } }"
            .chars()
            .flat_map(|c| [c, '\0'])
            .collect();
        let p = inline(&text);
        assert_eq!(p.problems.len(), 1);
        assert_eq!((p.problems[0].origin.line, p.problems[0].column), (1, 1));
        assert!(p.problems[0].message.contains("UTF-16"));
        assert!(!sniff(&text));
    }

    #[test]
    fn include_loops_and_missing_includes_are_reported_where_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let root_text = "{ \"Dhcp4\": {\n  \"subnet4\": [\n    <?include \"branch.json\"?>,\n    <?include \"missing.json\"?>\n    { \"subnet\": \"10.3.0.0/24\" }\n  ] } }";
        let root = write(dir.path(), "kea.conf", root_text.as_bytes());
        write(
            dir.path(),
            "branch.json",
            b"{ \"subnet\": \"10.1.0.0/24\" },\n<?include \"kea.conf\"?>\n{ \"subnet\": \"10.2.0.0/24\" }",
        );
        let p = parse(&root, root_text);
        let names: Vec<_> = p.scopes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "subnet 10.1.0.0/24",
                "subnet 10.2.0.0/24",
                "subnet 10.3.0.0/24"
            ]
        );
        assert_eq!(p.scopes[1].origin.path, dir.path().join("branch.json"));
        assert_eq!(p.scopes[1].origin.line, 3);
        let found = problems(&p);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            (found[0].0.as_str(), found[0].1, found[0].2),
            ("branch.json", 2, 1)
        );
        assert!(found[0].3.contains("includes itself"), "{found:?}");
        assert_eq!(
            (found[1].0.as_str(), found[1].1, found[1].2),
            ("kea.conf", 4, 5)
        );
        assert!(found[1].3.starts_with("cannot read included"), "{found:?}");
    }

    #[test]
    fn an_unreadable_include_in_value_position_leaves_the_value_empty() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("kea.conf");
        let text = "{ \"Dhcp4\": { \"subnet4\": [ {\n  \"subnet\": \"10.9.0.0/24\",\n  \"reservations\": <?include \"/nonexistent/whitelist.json\" ?>,\n  \"option-data\": [ { \"name\": \"domain-name\", \"data\": \"lab.example\" } ]\n} ] } }";
        std::fs::write(&root, text).unwrap();
        let parsed = parse(&root, text);
        assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
        assert!(
            parsed.problems[0]
                .message
                .starts_with("cannot read included")
        );
        assert_eq!(parsed.problems[0].origin.line, 3);
        assert_eq!(parsed.scopes.len(), 1);
        assert_eq!(parsed.scopes[0].suffix.as_deref(), Some("lab.example"));
    }

    #[test]
    fn included_files_may_be_utf16_but_not_broken_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let root_text = "{ \"Dhcp4\": { \"subnet4\": [\n  <?include \"wide.json\"?>,\n  <?include \"latin1.json\"?>\n] } }";
        let root = write(dir.path(), "kea.conf", root_text.as_bytes());
        let wide = "{ \"subnet\": \"10.7.0.0/24\",\n  \"option-data\": [ { \"code\": 15, \"data\": \"wide.company.com\" } ] }";
        write(dir.path(), "wide.json", utf16(wide, true));
        write(
            dir.path(),
            "latin1.json",
            b"{ \"subnet\": \"10.8.0.0/24\", \"x\": \"caf\xe9\" }",
        );
        let p = parse(&root, root_text);
        assert_eq!(
            scopes(&p),
            vec![scope(
                "subnet 10.7.0.0/24",
                Some("wide.company.com"),
                &["10.7.0.0/24"],
                "wide.json",
                2
            )]
        );
        let found = problems(&p);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].0.as_str(), found[0].1, found[0].2),
            ("kea.conf", 3, 3)
        );
        assert!(found[0].3.contains("not valid UTF-8"), "{found:?}");
    }

    #[test]
    fn global_reservations_inherit_from_the_global_level() {
        let p = inline(
            r#"{ "Dhcp4": { "reservations-global": true,
  "option-data": [ { "name": "domain-name", "data": "company.com" } ],
  "reservations": [
    { "hw-address": "00:11:22:33:44:55", "option-data": [ { "code": 15, "data": "mobile.company.com" } ] },
    { "hw-address": "00:11:22:33:44:66", "ip-address": "10.0.0.x",
      "option-data": [ { "code": 15, "data": "bad-ip.company.com" } ] },
    { "hostname": "same", "ip-address": "10.0.0.7",
      "option-data": [ { "code": 15, "data": "COMPANY.com" } ] }
  ],
  "subnet4": [ { "subnet": "10.0.0.0/24" } ]
} }"#,
        );
        assert_eq!(
            scopes(&p),
            vec![
                scope("server default", Some("company.com"), &[], "kea.conf", 2),
                scope(
                    "subnet 10.0.0.0/24",
                    Some("company.com"),
                    &["10.0.0.0/24"],
                    "kea.conf",
                    10
                ),
                scope(
                    "host 00:11:22:33:44:55",
                    Some("mobile.company.com"),
                    &[],
                    "kea.conf",
                    4
                ),
                scope(
                    "host 10.0.0.x",
                    Some("bad-ip.company.com"),
                    &[],
                    "kea.conf",
                    6
                ),
            ]
        );
        let found = problems(&p);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].1, found[0].2), (5, 56));
        assert!(found[0].3.contains("`10.0.0.x` is not an IPv4 address"));
    }

    #[test]
    fn reservations_count_only_where_the_server_looks_them_up() {
        let config = |global_flag: &str, subnet_flag: &str| {
            inline(&format!(
                r#"{{ "Dhcp4": {{ {global_flag}
  "reservations": [ {{ "hostname": "roaming", "option-data": [ {{ "code": 15, "data": "roam.example" }} ] }} ],
  "subnet4": [ {{ "subnet": "10.0.0.0/24" {subnet_flag},
    "reservations": [ {{ "hostname": "local", "ip-address": "10.0.0.5",
      "option-data": [ {{ "code": 15, "data": "local.example" }} ] }} ] }} ]
}} }}"#
            ))
        };
        let hosts = |p: &Parsed| -> Vec<String> {
            p.scopes
                .iter()
                .filter(|s| s.name.starts_with("host"))
                .map(|s| s.name.clone())
                .collect()
        };
        // By default subnet reservations are looked up and global ones are not.
        assert_eq!(hosts(&config("", "")), ["host local"]);
        assert_eq!(
            hosts(&config(r#""reservations-global": true,"#, "")),
            ["host local", "host roaming"]
        );
        // The older reservation-mode, and a subnet's own flags over the global ones.
        assert_eq!(
            hosts(&config(r#""reservation-mode": "global","#, "")),
            ["host roaming"]
        );
        assert_eq!(
            hosts(&config(
                r#""reservations-global": true,"#,
                r#", "reservations-global": false, "reservations-in-subnet": false"#
            )),
            Vec::<String>::new()
        );
    }

    #[test]
    fn repeated_names_are_made_unique() {
        let p = inline(
            r#"{ "Dhcp4": { "subnet4": [ { "subnet": "10.1.0.0/24" }, { "subnet": "10.1.0.0/24" } ],
  "client-classes": [ { "option-data": [ { "code": 15, "data": "x.com" } ] } ] } }"#,
        );
        let names: Vec<_> = p.scopes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["subnet 10.1.0.0/24", "subnet 10.1.0.0/24 #2"]);
        assert_eq!(p.problems.len(), 1);
        assert!(p.problems[0].message.contains("no `name`"));
    }

    #[test]
    fn sniff_accepts_kea_and_rejects_every_other_kind() {
        assert!(sniff(FIXTURE));
        assert!(sniff("// comment\n/* block */ # hash\n{ \"Dhcp6\" : { } }"));
        assert!(sniff(
            "[ { \"result\": 0, \"arguments\": { \"Dhcp4\": { } } } ]"
        ));
        assert_claims_only(READER.name, sniff);
        let foreign = [
            "{ \"note\": \"the word \\\"Dhcp4\\\" inside a value\" }",
            "# only a comment mentioning \"Dhcp4\": here\n",
        ];
        for text in foreign {
            assert!(!sniff(text), "{text}");
        }
    }
}

//! ISC dhcpd.conf (dhcpd.conf(5)): the option 15 (`option domain-name`) each scope hands out.
//!
//! A tokenizer (`#` comments, quoted strings with escapes, `{ } ; ,`) feeds a parser that builds
//! the declaration tree, following `include "file";` into the block that names it (relative names
//! from the folder of the including file). Option 15 is resolved on the finished tree, because
//! dhcpd applies a scope's statements wherever they stand in it. Inner scopes override outer ones:
//! global → `shared-network` / `group` → `subnet` → `pool`. A host takes its own value, else the
//! one of the groups it is declared in that do not also enclose the subnet holding its fixed
//! address (dhcpd runs those once, as the subnet's), else the subnet's.
//!
//! Scopes: every `subnet`; a `pool` or `host` whose option 15 differs from what it would
//! otherwise get; a `class` / `subclass` that sets one (no ranges); `server default` for a global
//! one. Conditional blocks (`if` / `elsif` / `else`) and other blocks (`failover`, `key`, `zone`,
//! `on` …) are skipped without a problem. Option 15 is one text value: quoted, or an unquoted name
//! as ISC dhcpd also accepts; a value holding spaces is kept as written for the caller to judge.
//! `option domain-name = EXPRESSION;` (dhcp-options(5)) is read when the expression is a quoted
//! string or a colon-separated list of hexadecimal octets (dhcp-eval(5)); other expressions are
//! evaluated per client and reported. The executable-statement forms dhcpd's parser shares with
//! dhclient are read too: `supersede domain-name …;` as `option`, and `default domain-name …;`,
//! which sets the option only where no scope run before it (an outer one) did; `prepend` and
//! `append` join data at run time and are reported.
//!
//! DHCPv6 (`dhcpd -6`, dhcpd.conf(5) and dhcp-options(5)): every `subnet6` is a scope named
//! `subnet6 PREFIX`, without IPv4 ranges, with the option 24 it hands out
//! (`option dhcp6.domain-search "a.example", "b.example";`) after the same inheritance as option
//! 15: global → `shared-network` / `group` → `subnet6` → `pool6` (a pool with a list of its own is
//! a scope of its own, named by its first `range6`). A global list is `server default (DHCPv6)`.
//! Other `dhcp6.*` options, `range6`, `prefix6` and hosts' v6 options are not read.

use super::dhcp_common::{self, Files, Includes, Names};
use super::model::{Ipv4Range, MAX_PROBLEMS, Origin, Parsed, Scope, clean_suffix};
use super::reader::{self, Reading};
use crate::dns_name::{DnsName, same_names};
use ipnet::Ipv6Net;
use std::borrow::Cow;
use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::path::Path;

/// Blocks nested deeper than this are skipped (dhcpd configurations nest a handful of levels).
const MAX_NESTING: usize = 32;

/// This source kind, for `sources::READERS`.
pub static READER: reader::Reader = reader::Reader {
    name: "dhcpd",
    describe: "ISC dhcpd.conf",
    dhcp_server: true,
    sniff: |text, _| sniff(text),
    read: |source, _| Reading::Parsed(parse(&source.path, &source.text)),
};

/// True when `text` looks like a dhcpd.conf: dhcpd statements at the start of a line, and no
/// `lease … {` blocks (dhclient and dhcpd lease files share the syntax but are not configurations).
pub fn sniff(text: &str) -> bool {
    let mut strong = false;
    let mut host_block = false;
    let mut hardware = false;
    for raw in crate::source::sniff_head(text).lines() {
        let line = strip_comment(raw).trim().to_ascii_lowercase();
        if line.starts_with("lease ") && line.ends_with('{') {
            return false;
        }
        host_block |= line.starts_with("host ") && line.contains('{');
        hardware |= line.contains("hardware ethernet ");
        strong |= is_dhcpd_statement(&line);
    }
    strong || (host_block && hardware)
}

/// Could `text` be a piece of a dhcpd.conf (what `include` pulls in)? Its first statement starts
/// with a dhcpd keyword: a word of letters, digits, `-` and `.` (`root:x:0:0:…` is not).
fn looks_like_fragment(text: &str) -> bool {
    let Some(first) = text
        .lines()
        .map(|l| strip_comment(l).trim())
        .find(|l| !l.is_empty())
    else {
        return true;
    };
    let word = first
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '{' | '}'))
        .next()
        .unwrap_or_default();
    word.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        && word.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        || first.starts_with('}')
}

/// Read a dhcpd.conf and the files it includes.
pub fn parse(path: &Path, text: &str) -> Parsed {
    parse_in(path, text, Files::Disk)
}

/// [`parse`], with included files read from `files`.
pub fn parse_in(path: &Path, text: &str, files: Files) -> Parsed {
    let mut reader = Reader {
        includes: Includes::new(
            path,
            dhcp_common::Fragment {
                kind: "dhcpd configuration",
                looks_like: looks_like_fragment,
            },
            files,
        ),
        parsed: Parsed::default(),
    };
    let mut root = Node::new(Kind::Root, Origin::new(path, 1));
    reader.read_file(path, text, &mut root, 0);
    let mut parsed = reader.parsed;
    parsed.included = reader.includes.take_read();
    parsed.scopes = scopes(&root);
    parsed
}

/// The line up to a `#` outside quotes.
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return line.get(..i).unwrap_or(""),
            _ => {}
        }
    }
    line
}

fn is_dhcpd_statement(line: &str) -> bool {
    const ENDED: [&str; 5] = [
        "option domain-name ",
        "option domain-name-servers ",
        "ddns-update-style ",
        "default-lease-time ",
        "max-lease-time ",
    ];
    (line.starts_with("subnet ") && line.contains(" netmask "))
        || (line.starts_with("shared-network ") && line.ends_with('{'))
        || ENDED
            .iter()
            .any(|k| line.starts_with(k) && line.ends_with(';'))
        || line == "authoritative;"
        || line == "not authoritative;"
}

// ---------------------------------------------------------------------------------------------
// Tokens

/// A token; names and strings without escapes borrow from the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok<'t> {
    Word(&'t str),
    Str(Cow<'t, str>),
    Open,
    Close,
    Semi,
    Comma,
}

#[derive(Debug, Clone)]
struct Token<'t> {
    tok: Tok<'t>,
    line: usize,
    col: usize,
}

impl Token<'_> {
    fn is_word(&self, word: &str) -> bool {
        matches!(&self.tok, Tok::Word(w) if w.eq_ignore_ascii_case(word))
    }

    /// The text of a name or string token.
    fn text(&self) -> Option<&str> {
        match &self.tok {
            Tok::Word(s) => Some(s),
            Tok::Str(s) => Some(s),
            _ => None,
        }
    }

    fn ipv4(&self) -> Option<Ipv4Addr> {
        match &self.tok {
            Tok::Word(w) => dhcp_common::ipv4(w),
            _ => None,
        }
    }

    fn shown(&self) -> String {
        match &self.tok {
            Tok::Word(w) => (*w).to_owned(),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Open => "{".into(),
            Tok::Close => "}".into(),
            Tok::Semi => ";".into(),
            Tok::Comma => ",".into(),
        }
    }
}

/// Characters with 1-based line and column, and their byte offset in the text.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    col: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn skip_line(&mut self) {
        while self.peek().is_some_and(|c| c != '\n') {
            self.bump();
        }
    }
}

fn is_punct(c: char) -> bool {
    matches!(c, '{' | '}' | ';' | ',' | '"' | '#' | '=')
}

/// Tokens one at a time, so that a file's statements are read as they are reached rather than
/// after the whole file is split up. What it finds wrong (an unclosed string, binary data) is kept
/// in `problems`, line and column, for [`Reader::read_file`] to report before the parser's.
struct Lexer<'t> {
    cur: Cursor<'t>,
    binary_reported: bool,
    /// Set at an unclosed string: the rest of the file is ignored.
    done: bool,
    problems: Vec<(usize, usize, String)>,
}

impl<'t> Lexer<'t> {
    fn new(text: &'t str) -> Self {
        Lexer {
            cur: Cursor {
                text,
                pos: 0,
                line: 1,
                col: 1,
            },
            binary_reported: false,
            done: false,
            problems: Vec::new(),
        }
    }
}

impl<'t> Iterator for Lexer<'t> {
    type Item = Token<'t>;

    fn next(&mut self) -> Option<Token<'t>> {
        if self.done {
            return None;
        }
        let cur = &mut self.cur;
        while let Some(c) = cur.peek() {
            let (line, col) = (cur.line, cur.col);
            let tok = match c {
                '#' => {
                    cur.skip_line();
                    continue;
                }
                '"' => {
                    cur.bump();
                    match read_string(cur) {
                        Some(s) => Tok::Str(s),
                        None => {
                            self.problems.push((
                                line,
                                col,
                                "quoted string opened here is not closed before the end of the \
                                 file; the rest of the file is ignored"
                                    .to_owned(),
                            ));
                            self.done = true;
                            return None;
                        }
                    }
                }
                '{' | '}' | ';' | ',' => {
                    cur.bump();
                    match c {
                        '{' => Tok::Open,
                        '}' => Tok::Close,
                        ';' => Tok::Semi,
                        _ => Tok::Comma,
                    }
                }
                // dhcpd's lexer reads `=` on its own (`option domain-name = "…";`).
                '=' => {
                    cur.bump();
                    Tok::Word("=")
                }
                c if c.is_whitespace() => {
                    cur.bump();
                    continue;
                }
                c if c.is_control() => {
                    cur.bump();
                    if !self.binary_reported {
                        self.binary_reported = true;
                        self.problems.push((
                            line,
                            col,
                            format!(
                                "control character U+{:04X}: the file holds binary data; \
                                 such characters are skipped",
                                c as u32
                            ),
                        ));
                    }
                    continue;
                }
                _ => Tok::Word(read_word(cur)),
            };
            return Some(Token { tok, line, col });
        }
        self.done = true;
        None
    }
}

fn read_word<'t>(cur: &mut Cursor<'t>) -> &'t str {
    let start = cur.pos;
    while let Some(c) = cur.peek() {
        if c.is_whitespace() || c.is_control() || is_punct(c) {
            break;
        }
        cur.bump();
    }
    &cur.text[start..cur.pos]
}

/// The rest of a quoted string after its opening quote; `None` when the file ends first. Borrowed
/// from the text unless it holds an escape.
fn read_string<'t>(cur: &mut Cursor<'t>) -> Option<Cow<'t, str>> {
    let start = cur.pos;
    loop {
        let at = cur.pos;
        match cur.bump()? {
            '"' => return Some(Cow::Borrowed(&cur.text[start..at])),
            '\\' => {
                let mut s = cur.text[start..at].to_owned();
                s.push(read_escape(cur)?);
                loop {
                    match cur.bump()? {
                        '"' => return Some(Cow::Owned(s)),
                        '\\' => s.push(read_escape(cur)?),
                        c => s.push(c),
                    }
                }
            }
            _ => {}
        }
    }
}

/// `\n \t \r \b`, octal `\ooo`, hex `\xHH`; any other escaped character stands for itself.
fn read_escape(cur: &mut Cursor) -> Option<char> {
    let c = cur.bump()?;
    let code = match c {
        'n' => return Some('\n'),
        't' => return Some('\t'),
        'r' => return Some('\r'),
        'b' => return Some('\u{8}'),
        'x' => read_digits(cur, 16, 2, 0),
        '0'..='7' => read_digits(cur, 8, 2, c.to_digit(8).unwrap_or(0)),
        other => return Some(other),
    };
    Some(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
}

fn read_digits(cur: &mut Cursor, radix: u32, max: usize, mut value: u32) -> u32 {
    for _ in 0..max {
        match cur.peek().and_then(|c| c.to_digit(radix)) {
            Some(d) => {
                value = value * radix + d;
                cur.bump();
            }
            None => break,
        }
    }
    value
}

// ---------------------------------------------------------------------------------------------
// Declaration tree

#[derive(Debug, Clone)]
struct Setting {
    value: String,
    origin: Origin,
    /// Set by `default`: applies only where no scope run before set the option.
    default: bool,
}

/// A scope's own DHCPv6 option 24: the domain search list.
#[derive(Debug, Clone)]
struct SearchSetting {
    values: Vec<String>,
    origin: Origin,
    /// Set by `default`, as for [`Setting`].
    default: bool,
}

/// A scope's own value of an option, set by `option` / `supersede` or by `default`.
trait OwnValue {
    fn is_default(&self) -> bool;
}

impl OwnValue for Setting {
    fn is_default(&self) -> bool {
        self.default
    }
}

impl OwnValue for SearchSetting {
    fn is_default(&self) -> bool {
        self.default
    }
}

/// The value after a scope's statement runs on `before`, what the scopes run earlier (outer ones)
/// left: `option` and `supersede` replace it, `default` sets it only when nothing did.
fn after<'a, T: OwnValue>(own: Option<&'a T>, before: Option<&'a T>) -> Option<&'a T> {
    match own {
        Some(own) if own.is_default() => before.or(Some(own)),
        Some(own) => Some(own),
        None => before,
    }
}

/// How a statement sets an option: `option` and `supersede` alike, or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setter {
    Supersede,
    Default,
}

#[derive(Debug)]
enum Kind {
    Root,
    SharedNetwork(String),
    /// `None`: the declaration was unusable and its contents are ignored.
    Subnet(Option<Ipv4Range>),
    Pool,
    /// `None`: the prefix was unusable and the declaration's contents are ignored.
    Subnet6(Option<Ipv6Net>),
    /// `pool6`, named by its first `range6` when it has one.
    Pool6(Option<String>),
    Group,
    Host(String),
    Class(String),
    Skipped,
}

#[derive(Debug)]
struct Node {
    kind: Kind,
    opened: Origin,
    /// The node's own option 15; a later statement in the same scope replaces an earlier one.
    own: Option<Setting>,
    /// The node's own option 24 (`dhcp6.domain-search`), replaced the same way.
    own_v6: Option<SearchSetting>,
    /// `range` statements (pools) or IPv4 fixed addresses (hosts).
    ranges: Vec<Ipv4Range>,
    children: Vec<Node>,
}

impl Node {
    fn new(kind: Kind, opened: Origin) -> Self {
        Node {
            kind,
            opened,
            own: None,
            own_v6: None,
            ranges: Vec::new(),
            children: Vec::new(),
        }
    }
}

/// `option NAME code N =` just before a `{`: the start of a record type, as dhcp-options(5) defines.
fn is_record_definition(stmt: &[Token]) -> bool {
    matches!(stmt, [first, .., code, _, eq]
        if first.is_word("option") && code.is_word("code") && eq.is_word("="))
}

/// One file's tokens, read a statement at a time: only the statement being read and the headers
/// of the blocks it is in are held.
struct Stream<'t> {
    lexer: Lexer<'t>,
    /// The statement [`Stream::statement`] read last.
    stmt: Vec<Token<'t>>,
    /// Emptied buffers, for the headers of the blocks being read.
    spare: Vec<Vec<Token<'t>>>,
}

impl<'t> Stream<'t> {
    fn new(text: &'t str) -> Self {
        Stream {
            lexer: Lexer::new(text),
            stmt: Vec::new(),
            spare: Vec::new(),
        }
    }

    /// Reads the tokens up to the next `{`, `}` or `;` into `stmt` and returns that token (`None`
    /// at the end of the file). The braces of a record-type option definition (`option foo code 9
    /// = {string, text};`) are part of the statement, not a block.
    fn statement(&mut self) -> Option<Token<'t>> {
        self.stmt.clear();
        let mut record = 0usize;
        for t in self.lexer.by_ref() {
            match t.tok {
                Tok::Open if record > 0 || is_record_definition(&self.stmt) => record += 1,
                Tok::Close if record > 0 => record -= 1,
                Tok::Open | Tok::Close | Tok::Semi if record == 0 => return Some(t),
                _ => {}
            }
            self.stmt.push(t);
        }
        None
    }

    /// The statement just read, as the header of a block whose contents are read next; give it
    /// back with [`Stream::restore`].
    fn take(&mut self) -> Vec<Token<'t>> {
        let spare = self.spare.pop().unwrap_or_default();
        std::mem::replace(&mut self.stmt, spare)
    }

    fn restore(&mut self, header: Vec<Token<'t>>) {
        let inner = std::mem::replace(&mut self.stmt, header);
        self.spare.push(inner);
    }

    /// Skip a block whose `{` was just read; iterative, so its depth does not matter.
    fn skip_block(&mut self) -> End {
        let mut level = 1usize;
        for t in self.lexer.by_ref() {
            match t.tok {
                Tok::Open => level += 1,
                Tok::Close => {
                    level -= 1;
                    if level == 0 {
                        return End::Closed;
                    }
                }
                _ => {}
            }
        }
        End::Eof
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Closed,
    Eof,
}

struct Reader {
    includes: Includes,
    parsed: Parsed,
}

impl Reader {
    fn problem(&mut self, path: &Path, at: &Token, message: impl Into<String>) {
        self.parsed
            .problem(Origin::new(path, at.line), at.col, message);
    }

    fn read_file(&mut self, path: &Path, text: &str, node: &mut Node, depth: usize) {
        let mark = self.parsed.problems.len();
        let mut stream = Stream::new(text);
        self.block(&mut stream, path, node, depth, false);
        let found = std::mem::take(&mut stream.lexer.problems);
        if found.is_empty() {
            return;
        }
        // What the tokens showed wrong is reported before what the statements did, as when the
        // file was split up before it was read; the cap on problems applies to that order.
        let mut later = self
            .parsed
            .problems
            .split_off(mark.min(self.parsed.problems.len()));
        if mark + later.len() > MAX_PROBLEMS {
            later.truncate(MAX_PROBLEMS.saturating_sub(mark));
        }
        for (line, col, message) in found {
            self.parsed.problem(Origin::new(path, line), col, message);
        }
        for p in later {
            self.parsed.problem(p.origin, p.column, p.message);
        }
    }

    /// Statements up to the `}` closing `node` (`nested`) or the end of the file.
    fn block(
        &mut self,
        s: &mut Stream,
        path: &Path,
        node: &mut Node,
        depth: usize,
        nested: bool,
    ) -> End {
        loop {
            let term = s.statement();
            let Some(term) = term else {
                if let Some(first) = s.stmt.first() {
                    let msg = format!(
                        "`{}` is not ended by `;` before the end of the file; ignored",
                        describe(&s.stmt)
                    );
                    self.problem(path, first, msg);
                }
                return End::Eof;
            };
            match term.tok {
                Tok::Semi => self.statement(&s.stmt, path, node, depth),
                Tok::Open => {
                    let header = s.take();
                    let end = self.open_block(s, path, node, &header, &term, depth);
                    s.restore(header);
                    if end == End::Eof {
                        return End::Eof;
                    }
                }
                _ => {
                    if let Some(first) = s.stmt.first() {
                        let msg = format!(
                            "`{}` is not ended by `;` before `}}`; ignored",
                            describe(&s.stmt)
                        );
                        self.problem(path, first, msg);
                    }
                    if nested {
                        return End::Closed;
                    }
                    self.problem(path, &term, "`}` without a matching `{`; ignored");
                }
            }
        }
    }

    fn open_block(
        &mut self,
        s: &mut Stream,
        path: &Path,
        parent: &mut Node,
        header: &[Token],
        brace: &Token,
        depth: usize,
    ) -> End {
        let at = header.first().unwrap_or(brace);
        if depth >= MAX_NESTING {
            let msg =
                format!("blocks nest more than {MAX_NESTING} levels deep; this block is skipped");
            self.problem(path, at, msg);
            return s.skip_block();
        }
        let kind = self.block_kind(header, brace, path);
        let mut child = Node::new(kind, Origin::new(path, at.line));
        let end = self.block(s, path, &mut child, depth + 1, true);
        if end == End::Eof {
            let msg = format!(
                "`{} {{` is not closed before the end of the file; its contents are read up to there",
                describe(header)
            );
            self.problem(path, at, msg);
        }
        parent.children.push(child);
        end
    }

    fn block_kind(&mut self, header: &[Token], brace: &Token, path: &Path) -> Kind {
        let Some(first) = header.first() else {
            self.problem(
                path,
                brace,
                "`{` without a declaration before it; block ignored",
            );
            return Kind::Skipped;
        };
        let name = |i: usize| {
            header
                .get(i)
                .and_then(Token::text)
                .unwrap_or_default()
                .to_owned()
        };
        let keyword = match &first.tok {
            Tok::Word(w) => w.to_ascii_lowercase(),
            _ => return Kind::Skipped,
        };
        match keyword.as_str() {
            "shared-network" => Kind::SharedNetwork(name(1)),
            "subnet" => Kind::Subnet(self.subnet(header, path)),
            "pool" => Kind::Pool,
            "subnet6" => Kind::Subnet6(self.subnet6(header, path)),
            "pool6" => Kind::Pool6(None),
            "group" => Kind::Group,
            "host" => Kind::Host(name(1)),
            "class" => Kind::Class(name(1)),
            "subclass" => Kind::Class(format!("{}, subclass {}", name(1), name(2))),
            _ => Kind::Skipped,
        }
    }

    /// `subnet6 PREFIX/LENGTH`.
    fn subnet6(&mut self, header: &[Token], path: &Path) -> Option<Ipv6Net> {
        let first = header.first()?;
        let (Some(prefix), None) = (header.get(1), header.get(2)) else {
            let msg = format!(
                "`{}` is not `subnet6 PREFIX/LENGTH`; the subnet and its contents are ignored",
                describe(header)
            );
            self.problem(path, first, msg);
            return None;
        };
        let net = prefix.text().and_then(|t| t.parse::<Ipv6Net>().ok());
        if net.is_none() {
            let msg = format!(
                "`{}` is not an IPv6 prefix like 2001:db8:1::/64; the subnet and its contents are ignored",
                prefix.shown()
            );
            self.problem(path, prefix, msg);
        }
        net.map(|n| n.trunc())
    }

    /// `subnet ADDRESS netmask MASK`.
    fn subnet(&mut self, header: &[Token], path: &Path) -> Option<Ipv4Range> {
        let first = header.first()?;
        let (Some(a), Some(kw), Some(m), None) =
            (header.get(1), header.get(2), header.get(3), header.get(4))
        else {
            let msg = format!(
                "`{}` is not `subnet ADDRESS netmask MASK`; the subnet and its contents are ignored",
                describe(header)
            );
            self.problem(path, first, msg);
            return None;
        };
        if !kw.is_word("netmask") {
            let msg = format!(
                "expected `netmask` after the subnet address, found `{}`; the subnet and its \
                 contents are ignored",
                kw.shown()
            );
            self.problem(path, kw, msg);
            return None;
        }
        let Some(addr) = a.ipv4() else {
            let msg = format!(
                "subnet address `{}` is not an IPv4 address; the subnet and its contents are ignored",
                a.shown()
            );
            self.problem(path, a, msg);
            return None;
        };
        let range = m.ipv4().and_then(|mask| Ipv4Range::from_mask(addr, mask));
        let Some(range) = range else {
            let msg = format!(
                "netmask `{}` is not a valid IPv4 netmask; the subnet and its contents are ignored",
                m.shown()
            );
            self.problem(path, m, msg);
            return None;
        };
        if range.start != addr {
            let msg = format!(
                "subnet address {addr} is not the network address of netmask {}; read as {range}",
                m.shown()
            );
            self.problem(path, a, msg);
        }
        Some(range)
    }

    fn statement(&mut self, stmt: &[Token], path: &Path, node: &mut Node, depth: usize) {
        let Some(first) = stmt.first() else {
            return;
        };
        let Tok::Word(keyword) = &first.tok else {
            return;
        };
        match keyword.to_ascii_lowercase().as_str() {
            "include" => self.include(stmt, path, node, depth),
            "option" | "supersede" => self.option(stmt, path, node, Setter::Supersede),
            "default" => self.option(stmt, path, node, Setter::Default),
            "prepend" | "append" => self.joined_option(stmt, path),
            "range" => self.range(stmt, path, node),
            "range6" => {
                if let Kind::Pool6(label @ None) = &mut node.kind {
                    let words: Vec<String> = stmt.iter().skip(1).map(Token::shown).collect();
                    *label = Some(words.join(" "));
                }
            }
            "fixed-address" => {
                let addresses = stmt.iter().skip(1).filter_map(Token::ipv4);
                node.ranges
                    .extend(addresses.map(|ip| Ipv4Range::new(ip, ip)));
            }
            _ => {}
        }
    }

    fn include(&mut self, stmt: &[Token], path: &Path, node: &mut Node, depth: usize) {
        let (Some(first), Some(target)) = (stmt.first(), stmt.get(1)) else {
            if let Some(first) = stmt.first() {
                self.problem(path, first, "`include` without a file name; ignored");
            }
            return;
        };
        let Tok::Str(name) = &target.tok else {
            let msg = format!(
                "`include` needs a quoted file name, found `{}`; ignored",
                target.shown()
            );
            self.problem(path, target, msg);
            return;
        };
        if stmt.len() > 2 {
            self.problem(
                path,
                first,
                "`include` takes one file name; the rest is ignored",
            );
        }
        let resolved = dhcp_common::resolve(path, name);
        match self.includes.enter(&resolved) {
            Ok(source) => {
                self.read_file(&resolved, &source.text, node, depth);
                self.includes.leave();
            }
            Err(e) => self.problem(path, target, e.to_string()),
        }
    }

    /// `prepend` / `append` of option 15 or 24: joined to the value at run time; reported.
    fn joined_option(&mut self, stmt: &[Token], path: &Path) {
        let (Some(first), Some(name)) = (stmt.first(), stmt.get(1)) else {
            return;
        };
        if ["domain-name", "dhcp.domain-name", "dhcp6.domain-search"]
            .iter()
            .any(|n| name.is_word(n))
        {
            let msg = format!(
                "`{} {}` joins data to the option when a client is answered; not read",
                first.shown(),
                name.shown()
            );
            self.problem(path, first, msg);
        }
    }

    /// `option domain-name "…";` (also `dhcp.domain-name`) and `option dhcp6.domain-search "…",
    /// "…";`, and the same after `supersede` or `default`; definitions (`code 15 = …`) and every
    /// other option are ignored.
    fn option(&mut self, stmt: &[Token], path: &Path, node: &mut Node, setter: Setter) {
        let (Some(first), Some(name)) = (stmt.first(), stmt.get(1)) else {
            return;
        };
        if name.is_word("dhcp6.domain-search") {
            return self.domain_search(stmt, path, node, setter);
        }
        if !(name.is_word("domain-name") || name.is_word("dhcp.domain-name")) {
            return;
        }
        let args = stmt.get(2..).unwrap_or(&[]);
        if args.first().is_some_and(|t| t.is_word("code")) {
            return;
        }
        let Some(value) = args.first() else {
            self.problem(path, name, "`option domain-name` has no value; ignored");
            return;
        };
        if value.is_word("=") {
            return self.domain_name_expression(stmt, path, node, setter);
        }
        let Some(raw) = value.text() else {
            return;
        };
        if let Some(extra) = args.iter().skip(1).find(|t| t.tok != Tok::Comma) {
            let msg = "`option domain-name` takes one string; only the first is read";
            self.problem(path, extra, msg);
        }
        self.set_domain_name(raw, value, path, first.line, node, setter);
    }

    /// `option domain-name = EXPRESSION;` (dhcp-options(5), dhcp-eval(5)): a quoted string or a
    /// colon-separated list of hexadecimal octets is read; any other expression is computed for
    /// each client and reported.
    fn domain_name_expression(
        &mut self,
        stmt: &[Token],
        path: &Path,
        node: &mut Node,
        setter: Setter,
    ) {
        let (Some(first), Some(eq)) = (stmt.first(), stmt.get(2)) else {
            return;
        };
        let expression = stmt.get(3..).unwrap_or(&[]);
        let text = match expression {
            [value] => match &value.tok {
                Tok::Str(s) => Some(s.to_string()),
                Tok::Word(w) => hex_octets(w).and_then(|b| String::from_utf8(b).ok()),
                _ => None,
            },
            _ => None,
        };
        let Some(text) = text else {
            let at = expression.first().unwrap_or(eq);
            let msg = format!(
                "`option domain-name = {}` is an expression dhcpd evaluates for each client; not read",
                describe(expression)
            );
            self.problem(path, at, msg);
            return;
        };
        let at = expression.first().unwrap_or(eq);
        let text = text.trim_end_matches('\0');
        self.set_domain_name(text, at, path, first.line, node, setter);
    }

    fn set_domain_name(
        &mut self,
        raw: &str,
        at: &Token,
        path: &Path,
        line: usize,
        node: &mut Node,
        setter: Setter,
    ) {
        let Some(value) = clean_suffix(raw) else {
            self.problem(path, at, "`option domain-name` is empty; ignored");
            return;
        };
        // A `default` after a value set earlier in the same scope finds it set.
        if setter == Setter::Supersede || node.own.is_none() {
            node.own = Some(Setting {
                value,
                origin: Origin::new(path, line),
                default: setter == Setter::Default,
            });
        }
    }

    /// `option dhcp6.domain-search "a.example", "b.example";`: a comma-separated list of names.
    fn domain_search(&mut self, stmt: &[Token], path: &Path, node: &mut Node, setter: Setter) {
        let (Some(first), Some(name)) = (stmt.first(), stmt.get(1)) else {
            return;
        };
        let args = stmt.get(2..).unwrap_or(&[]);
        if args.first().is_some_and(|t| t.is_word("code")) {
            return;
        }
        if let Some(eq) = args.first().filter(|t| t.is_word("=")) {
            let msg = "`option dhcp6.domain-search = …` sets the option's encoded bytes from an \
                       expression; not read";
            self.problem(path, eq, msg);
            return;
        }
        let text: Vec<&str> = args.iter().filter_map(Token::text).collect();
        let values = dhcp_common::search_list(&text.join(","));
        if values.is_empty() {
            let msg = "`option dhcp6.domain-search` has no domain; ignored";
            self.problem(path, args.first().unwrap_or(name), msg);
            return;
        }
        if setter == Setter::Supersede || node.own_v6.is_none() {
            node.own_v6 = Some(SearchSetting {
                values,
                origin: Origin::new(path, first.line),
                default: setter == Setter::Default,
            });
        }
    }

    /// `range [dynamic-bootp] LOW [HIGH];`
    fn range(&mut self, stmt: &[Token], path: &Path, node: &mut Node) {
        let Some(first) = stmt.first() else {
            return;
        };
        let args: Vec<&Token> = stmt
            .iter()
            .skip(1)
            .filter(|t| !t.is_word("dynamic-bootp"))
            .collect();
        let (low, high) = match args.as_slice() {
            [a] => (*a, *a),
            [a, b] => (*a, *b),
            _ => {
                let msg = format!(
                    "`{}` is not `range [dynamic-bootp] LOW [HIGH]`; ignored",
                    describe(stmt)
                );
                self.problem(path, first, msg);
                return;
            }
        };
        for t in [low, high] {
            if t.ipv4().is_none() {
                let msg = format!(
                    "range address `{}` is not an IPv4 address; range ignored",
                    t.shown()
                );
                self.problem(path, t, msg);
                return;
            }
        }
        if let (Some(a), Some(b)) = (low.ipv4(), high.ipv4()) {
            node.ranges.push(Ipv4Range::new(a, b));
        }
    }
}

/// A colon-separated list of hexadecimal octets (`63:6f:72:70`, one or two digits each) as
/// bytes; `None` for anything else.
fn hex_octets(word: &str) -> Option<Vec<u8>> {
    if !word.contains(':') {
        return None;
    }
    word.split(':')
        .map(|octet| {
            let ok = (1..=2).contains(&octet.len()) && octet.bytes().all(|b| b.is_ascii_hexdigit());
            ok.then(|| u8::from_str_radix(octet, 16).ok()).flatten()
        })
        .collect()
}

/// A statement as written, shortened for messages.
fn describe(tokens: &[Token]) -> String {
    const MAX_CHARS: usize = 60;
    let text = tokens
        .iter()
        .map(Token::shown)
        .collect::<Vec<_>>()
        .join(" ");
    if text.chars().count() <= MAX_CHARS {
        text
    } else {
        let short: String = text.chars().take(MAX_CHARS).collect();
        format!("{short}…")
    }
}

// ---------------------------------------------------------------------------------------------
// Scopes

/// `kind name`, or just `kind` for a declaration without a name.
fn labelled(kind: &str, name: &str) -> String {
    if name.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind} {name}")
    }
}

fn same(a: Option<&Setting>, b: Option<&Setting>) -> bool {
    a.map(|s| DnsName(&s.value)) == b.map(|s| DnsName(&s.value))
}

/// What the walk found, in document order; hosts are resolved once every subnet is known.
enum Entry<'a> {
    Scope {
        name: String,
        suffix: Option<&'a Setting>,
        ranges: Vec<Ipv4Range>,
        origin: Origin,
    },
    Host {
        name: String,
        own: Option<&'a Setting>,
        /// The groups, shared networks and subnets it is declared in, innermost first.
        declared: Vec<Enclosing<'a>>,
        ranges: Vec<Ipv4Range>,
        opened: Origin,
    },
}

/// A declaration enclosing others: which one (its address in the tree) and its own option 15.
#[derive(Clone, Copy)]
struct Enclosing<'a> {
    id: *const Node,
    own: Option<&'a Setting>,
}

/// A subnet: its effective option 15 and the declarations it is one of or in.
struct SubnetEntry<'a> {
    effective: Option<&'a Setting>,
    chain: Vec<*const Node>,
}

struct Walk<'a> {
    global: Option<&'a Setting>,
    entries: Vec<Entry<'a>>,
    subnets: Vec<SubnetEntry<'a>>,
    /// The first subnet declared with each (network, broadcast) pair, so that the subnet holding
    /// an address is found with one look-up per prefix length in use, not a scan of them all.
    by_range: HashMap<(u32, u32), usize>,
    /// Bit `n` is set when some subnet has a prefix of length `n`.
    prefixes: u64,
}

impl<'a> Walk<'a> {
    fn children(
        &mut self,
        node: &'a Node,
        inherited: Option<&'a Setting>,
        enclosing: &[Enclosing<'a>],
        prefix: &str,
    ) {
        let mut inner = enclosing.to_vec();
        if !matches!(node.kind, Kind::Root) {
            inner.insert(
                0,
                Enclosing {
                    id: node,
                    own: node.own.as_ref(),
                },
            );
        }
        for child in &node.children {
            self.node(child, inherited, &inner, prefix);
        }
    }

    fn node(
        &mut self,
        node: &'a Node,
        inherited: Option<&'a Setting>,
        enclosing: &[Enclosing<'a>],
        prefix: &str,
    ) {
        let own = node.own.as_ref();
        let effective = after(own, inherited);
        match &node.kind {
            Kind::Root | Kind::Group => self.children(node, effective, enclosing, prefix),
            Kind::SharedNetwork(name) => {
                let prefix = format!("{prefix}{}, ", labelled("shared-network", name));
                self.children(node, effective, enclosing, &prefix);
            }
            Kind::Subnet(Some(range)) => {
                let name = format!("{prefix}subnet {range}");
                let decided_here = own.filter(|o| effective.is_some_and(|e| std::ptr::eq(e, *o)));
                self.entries.push(Entry::Scope {
                    name: name.clone(),
                    suffix: effective,
                    ranges: vec![*range],
                    origin: decided_here.map_or_else(|| node.opened.clone(), |s| s.origin.clone()),
                });
                let mut chain: Vec<*const Node> = enclosing.iter().map(|e| e.id).collect();
                chain.push(node);
                let key = (u32::from(range.start), u32::from(range.end));
                self.by_range.entry(key).or_insert(self.subnets.len());
                self.prefixes |= 1 << prefix_len(range);
                self.subnets.push(SubnetEntry { effective, chain });
                self.children(node, effective, enclosing, &format!("{name}, "));
            }
            Kind::Pool => {
                if let Some(own) = own
                    && !same(effective, inherited)
                {
                    let label = match node.ranges.first() {
                        Some(r) => format!("pool {r}"),
                        None => "pool".to_owned(),
                    };
                    self.entries.push(Entry::Scope {
                        name: format!("{prefix}{label}"),
                        suffix: effective,
                        ranges: node.ranges.clone(),
                        origin: own.origin.clone(),
                    });
                }
            }
            Kind::Host(name) => self.entries.push(Entry::Host {
                name: labelled("host", name),
                own,
                declared: enclosing.to_vec(),
                ranges: node.ranges.clone(),
                opened: node.opened.clone(),
            }),
            Kind::Class(name) => {
                if let Some(own) = own {
                    self.entries.push(Entry::Scope {
                        name: labelled("client-class", name),
                        suffix: Some(own),
                        ranges: Vec::new(),
                        origin: own.origin.clone(),
                    });
                }
            }
            Kind::Subnet(None) | Kind::Skipped | Kind::Subnet6(_) | Kind::Pool6(_) => {}
        }
    }

    /// The narrowest subnet holding `ip` (the first declared of equal ones). Subnets are CIDR
    /// blocks, so the candidates are `ip` masked to each prefix length in use, longest first.
    fn subnet_of(&self, ip: Ipv4Addr) -> Option<&SubnetEntry<'a>> {
        let ip = u32::from(ip);
        (0..=32u32)
            .rev()
            .filter(|len| self.prefixes & (1 << len) != 0)
            .find_map(|len| {
                let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
                self.by_range.get(&(ip & mask, ip | !mask))
            })
            .map(|&i| &self.subnets[i])
    }

    /// What a host gets, and whether that makes it a scope of its own: only when its option 15
    /// differs from what it would get without its own statement and its declaring groups.
    ///
    /// dhcpd runs the statements of the subnet holding the fixed address (and of what encloses
    /// that subnet), then those of the host's own declaration and of the declarations enclosing
    /// it up to, not including, the first one that also encloses that subnet
    /// (`execute_statements_in_scope` with the subnet as the limiting scope): a shared network
    /// around both counts once, as the subnet's, so the subnet's value wins over it.
    fn host(
        &self,
        own: Option<&'a Setting>,
        declared: &[Enclosing<'a>],
        ranges: &[Ipv4Range],
        opened: &Origin,
    ) -> Option<(Option<&'a Setting>, Origin)> {
        let subnet = ranges.first().and_then(|r| self.subnet_of(r.start));
        let run: Vec<&Enclosing<'a>> = declared
            .iter()
            .take_while(|e| subnet.is_none_or(|s| !s.chain.contains(&e.id)))
            .collect();
        let before = subnet.map_or(self.global, |s| s.effective);
        // The enclosing declarations run outermost first, after the subnet's.
        let groups = run.iter().rev().fold(before, |v, e| after(e.own, v));
        let parent = if subnet.is_some() { before } else { groups };
        let effective = after(own, groups);
        if same(effective, parent) {
            return None;
        }
        let origin = own.map_or_else(|| opened.clone(), |s| s.origin.clone());
        Some((effective, origin))
    }
}

/// The prefix length of a CIDR block.
fn prefix_len(range: &Ipv4Range) -> u32 {
    (u32::from(range.start) ^ u32::from(range.end)).leading_zeros()
}

fn same_list(a: Option<&SearchSetting>, b: Option<&SearchSetting>) -> bool {
    same_names(
        a.map_or(&[][..], |s| &s.values),
        b.map_or(&[][..], |s| &s.values),
    )
}

/// The DHCPv6 scopes under `node`: each `subnet6` with the option 24 it inherits, and the `pool6`
/// blocks whose own list differs.
fn v6_scopes<'a>(
    node: &'a Node,
    inherited: Option<&'a SearchSetting>,
    prefix: &str,
    out: &mut Vec<(String, Option<&'a SearchSetting>, Origin)>,
) {
    let own = node.own_v6.as_ref();
    let effective = after(own, inherited);
    let origin = || own.map_or_else(|| node.opened.clone(), |s| s.origin.clone());
    match &node.kind {
        Kind::Root | Kind::Group => {
            for child in &node.children {
                v6_scopes(child, effective, prefix, out);
            }
        }
        Kind::SharedNetwork(name) => {
            let prefix = format!("{prefix}{}, ", labelled("shared-network", name));
            for child in &node.children {
                v6_scopes(child, effective, &prefix, out);
            }
        }
        Kind::Subnet6(Some(net)) => {
            let name = format!("{prefix}subnet6 {net}");
            out.push((name.clone(), effective, origin()));
            let prefix = format!("{name}, ");
            for child in &node.children {
                v6_scopes(child, effective, &prefix, out);
            }
        }
        Kind::Pool6(label) if own.is_some() && !same_list(effective, inherited) => {
            let label = label
                .as_deref()
                .map_or("pool6".into(), |r| format!("pool6 {r}"));
            out.push((format!("{prefix}{label}"), effective, origin()));
        }
        _ => {}
    }
}

fn scopes(root: &Node) -> Vec<Scope> {
    let global = root.own.as_ref();
    let mut walk = Walk {
        global,
        entries: Vec::new(),
        subnets: Vec::new(),
        by_range: HashMap::new(),
        prefixes: 0,
    };
    walk.node(root, None, &[], "");
    let mut names = Names::default();
    let mut out = Vec::new();
    if let Some(g) = global {
        out.push(Scope {
            name: names.unique("server default".into()),
            suffix: Some(g.value.clone()),
            search_v6: Vec::new(),
            ranges: Vec::new(),
            origin: g.origin.clone(),
        });
    }
    for entry in &walk.entries {
        let scope = match entry {
            Entry::Scope {
                name,
                suffix,
                ranges,
                origin,
            } => Scope {
                name: names.unique(name.clone()),
                suffix: suffix.map(|s| s.value.clone()),
                search_v6: Vec::new(),
                ranges: ranges.clone(),
                origin: origin.clone(),
            },
            Entry::Host {
                name,
                own,
                declared,
                ranges,
                opened,
            } => {
                let Some((suffix, origin)) = walk.host(*own, declared, ranges, opened) else {
                    continue;
                };
                Scope {
                    name: names.unique(name.clone()),
                    suffix: suffix.map(|s| s.value.clone()),
                    search_v6: Vec::new(),
                    ranges: ranges.clone(),
                    origin,
                }
            }
        };
        out.push(scope);
    }
    let mut v6 = Vec::new();
    if let Some(g) = &root.own_v6 {
        v6.push((
            "server default (DHCPv6)".to_owned(),
            Some(g),
            g.origin.clone(),
        ));
    }
    v6_scopes(root, None, "", &mut v6);
    for (name, search, origin) in v6 {
        out.push(Scope {
            name: names.unique(name),
            suffix: None,
            search_v6: search.map(|s| s.values.clone()).unwrap_or_default(),
            ranges: Vec::new(),
            origin,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::model::MAX_PROBLEMS;
    use crate::observe::reader_tests::{
        assert_claims_only, dhcp_fixtures, parse_file, problem_lines, random_texts, summary, utf16,
        write,
    };

    const FIXTURE: &str = include_str!("../../tests/fixtures/dhcp/dhcpd.conf");

    fn inline(text: &str) -> Parsed {
        parse(Path::new("dhcpd.conf"), text)
    }

    #[test]
    fn fixture_scopes_follow_inheritance_and_the_include() {
        let path = dhcp_fixtures().join("dhcpd.conf");
        let p = parse(&path, FIXTURE);
        assert_eq!(problem_lines(&p), Vec::<String>::new());
        assert_eq!(
            summary(&p),
            [
                "server default | company.com |  | dhcpd.conf:11",
                "shared-network hq, subnet 10.1.4.0/24 | hq.company.com | 10.1.4.0/24 | dhcpd.conf:24",
                "shared-network hq, subnet 10.1.4.0/24, pool 10.1.4.100-10.1.4.199 | build.hq.company.com | 10.1.4.100-10.1.4.199 | dhcpd.conf:29",
                "shared-network hq, subnet 10.1.5.0/24 | voice.company.com | 10.1.5.0/24 | dhcpd.conf:40",
                "subnet 10.1.9.0/24 | company.com | 10.1.9.0/24 | dhcpd.conf:47",
                "host kiosk-01 | kiosk.company.com | 10.1.9.201/32 | dhcpd.conf:55",
                "host kiosk-02 | kiosk.company.com | 10.1.9.202/32 | dhcpd.conf:56",
                "host ceo-laptop | exec.company.com | 10.1.4.10/32 | dhcpd.conf:66",
                "client-class voip-phones | phones.company.com |  | dhcpd.conf:77",
                "subnet 10.2.0.0/23 | berlin.company.com | 10.2.0.0/23 | branch.conf:3",
                "subnet6 2001:db8:1::/64 | - |  | dhcpd.conf:82",
            ]
        );
        assert_eq!(p.scopes.last().unwrap().search_v6, ["company.com"]);
        let branch = &p.scopes[p.scopes.len() - 2];
        assert_eq!(
            branch.origin.path,
            dhcp_fixtures().join("sites/branch.conf")
        );
    }

    #[test]
    fn record_type_option_definitions_are_statements_not_blocks() {
        let p = inline(
            "option space cisco;\noption cisco.id code 9 = {string};\noption rec code 200 = { ip-address, text };\nsubnet 10.1.0.0 netmask 255.255.0.0 { option domain-name \"cisco.local\"; }\n",
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.scopes.len(), 1);
        assert_eq!(p.scopes[0].suffix.as_deref(), Some("cisco.local"));
    }

    #[test]
    fn other_domain_options_are_never_option_15() {
        let p = inline(
            "option domain-search \"a.example\", \"b.example\";\n\
             option domain-name-servers 10.0.0.53;\n\
             option server-name \"tftp.example\";\n\
             option dhcp6.domain-search \"v6.example\";\n\
             option domain-name code 15 = text;\n\
             option host-name \"pc.example\";\n\
             subnet 10.0.0.0 netmask 255.255.255.0 { option domain-search \"c.example\"; }\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        assert_eq!(
            summary(&p),
            [
                "subnet 10.0.0.0/24 | - | 10.0.0.0/24 | dhcpd.conf:7",
                "server default (DHCPv6) | - |  | dhcpd.conf:4"
            ]
        );
        assert_eq!(p.scopes[1].search_v6, ["v6.example"]);
    }

    #[test]
    fn strings_keep_hashes_escapes_and_spaces() {
        let toks: Vec<Token> =
            Lexer::new("a \"b\\\"c\\t\\101\\x41 # d\" ; # gone \"\n{ } ,").collect();
        let kinds: Vec<Tok> = toks.iter().map(|t| t.tok.clone()).collect();
        assert_eq!(
            kinds,
            [
                Tok::Word("a"),
                Tok::Str("b\"c\tAA # d".into()),
                Tok::Semi,
                Tok::Open,
                Tok::Close,
                Tok::Comma,
            ]
        );
        assert_eq!((toks[3].line, toks[3].col), (2, 1));
        let p = inline("option domain-name \"a.example b.example\";\n");
        assert_eq!(p.scopes[0].suffix.as_deref(), Some("a.example b.example"));
    }

    #[test]
    fn unquoted_values_are_read_and_extra_values_reported() {
        let p = inline(
            "subnet 10.0.0.0 netmask 255.255.255.0 {\n\
             \x20 option domain-name corp.example;\n\
             }\n\
             subnet 10.0.1.0 netmask 255.255.255.0 { option domain-name \"a.example\", \"b.example\"; }\n",
        );
        assert_eq!(
            problem_lines(&p),
            ["dhcpd.conf:4:73 `option domain-name` takes one string; only the first is read"]
        );
        assert_eq!(
            summary(&p),
            [
                "subnet 10.0.0.0/24 | corp.example | 10.0.0.0/24 | dhcpd.conf:2",
                "subnet 10.0.1.0/24 | a.example | 10.0.1.0/24 | dhcpd.conf:4",
            ]
        );
    }

    #[test]
    fn expressions_give_strings_and_hex_lists_and_nothing_else() {
        let p = inline(
            "subnet 10.0.0.0 netmask 255.255.255.0 { option domain-name = \"expr.example\"; }\n\
             subnet 10.0.1.0 netmask 255.255.255.0 { option domain-name=63:6f:72:70:2e:65:78:0; }\n\
             subnet 10.0.2.0 netmask 255.255.255.0 {\n\
             \x20 option domain-name \"fixed.example\";\n\
             \x20 option domain-name = concat(\"a\", \".example\");\n\
             }\n\
             option dhcp6.domain-search = 04:63:6f:72:70:00;\n",
        );
        assert_eq!(
            problem_lines(&p),
            [
                "dhcpd.conf:5:24 `option domain-name = concat( \"a\" , \".example\" )` is an expression dhcpd evaluates for each client; not read",
                "dhcpd.conf:7:28 `option dhcp6.domain-search = …` sets the option's encoded bytes from an expression; not read",
            ]
        );
        assert_eq!(
            summary(&p),
            [
                "subnet 10.0.0.0/24 | expr.example | 10.0.0.0/24 | dhcpd.conf:1",
                "subnet 10.0.1.0/24 | corp.ex | 10.0.1.0/24 | dhcpd.conf:2",
                "subnet 10.0.2.0/24 | fixed.example | 10.0.2.0/24 | dhcpd.conf:4",
            ]
        );
    }

    #[test]
    fn supersede_replaces_and_default_fills_only_what_is_unset() {
        let p = inline(
            "default domain-name \"fallback.example\";\n\
             subnet 10.0.0.0 netmask 255.255.255.0 { }\n\
             subnet 10.0.1.0 netmask 255.255.255.0 { supersede domain-name \"sup.example\"; }\n\
             shared-network hq {\n\
             \x20 option domain-name \"hq.example\";\n\
             \x20 subnet 10.0.2.0 netmask 255.255.255.0 { default domain-name \"late.example\"; }\n\
             \x20 subnet 10.0.3.0 netmask 255.255.255.0 {\n\
             \x20   default domain-name \"d.example\";\n\
             \x20   option domain-name \"o.example\";\n\
             \x20   default domain-name \"d2.example\";\n\
             \x20 }\n\
             }\n\
             subnet 10.0.4.0 netmask 255.255.255.0 { append domain-name \" x\"; }\n",
        );
        assert_eq!(
            problem_lines(&p),
            [
                "dhcpd.conf:13:41 `append domain-name` joins data to the option when a client is answered; not read"
            ]
        );
        assert_eq!(
            summary(&p),
            [
                "server default | fallback.example |  | dhcpd.conf:1",
                "subnet 10.0.0.0/24 | fallback.example | 10.0.0.0/24 | dhcpd.conf:2",
                "subnet 10.0.1.0/24 | sup.example | 10.0.1.0/24 | dhcpd.conf:3",
                // The shared network's value is set before the subnet's `default` runs.
                "shared-network hq, subnet 10.0.2.0/24 | hq.example | 10.0.2.0/24 | dhcpd.conf:6",
                "shared-network hq, subnet 10.0.3.0/24 | o.example | 10.0.3.0/24 | dhcpd.conf:9",
                "subnet 10.0.4.0/24 | fallback.example | 10.0.4.0/24 | dhcpd.conf:13",
            ]
        );
    }

    #[test]
    fn a_global_option_after_the_subnets_still_applies() {
        let p = inline(
            "subnet 10.0.0.0 netmask 255.255.255.0 { }\n\
             option domain-name \"late.example\";\n\
             option domain-name \"later.example\";\n",
        );
        assert_eq!(
            summary(&p),
            [
                "server default | later.example |  | dhcpd.conf:3",
                "subnet 10.0.0.0/24 | later.example | 10.0.0.0/24 | dhcpd.conf:1",
            ]
        );
    }

    #[test]
    fn pools_are_scopes_only_when_they_differ() {
        let p = inline(
            "subnet 10.0.0.0 netmask 255.255.255.0 {\n\
             \x20 option domain-name \"a.example\";\n\
             \x20 pool { option domain-name \"A.example\"; range 10.0.0.10 10.0.0.20; }\n\
             \x20 pool { option domain-name \"b.example\"; }\n\
             \x20 pool { range 10.0.0.30; }\n\
             }\n",
        );
        assert_eq!(
            summary(&p),
            [
                "subnet 10.0.0.0/24 | a.example | 10.0.0.0/24 | dhcpd.conf:2",
                "subnet 10.0.0.0/24, pool | b.example |  | dhcpd.conf:4",
            ]
        );
    }

    #[test]
    fn hosts_without_addresses_or_in_no_subnet() {
        let p = inline(
            "option domain-name \"company.example\";\n\
             host named { fixed-address pc.company.example; option domain-name \"own.example\"; }\n\
             host same { option domain-name \"company.example\"; }\n\
             host outside { fixed-address 192.0.2.7; option domain-name \"out.example\"; }\n",
        );
        assert_eq!(
            summary(&p),
            [
                "server default | company.example |  | dhcpd.conf:1",
                "host named | own.example |  | dhcpd.conf:2",
                "host outside | out.example | 192.0.2.7/32 | dhcpd.conf:4",
            ]
        );
    }

    #[test]
    fn a_host_is_compared_with_the_narrowest_subnet_holding_it() {
        let p = inline(
            "subnet 10.0.0.0 netmask 255.0.0.0 { option domain-name \"wide.example\"; }\n\
             subnet 10.1.0.0 netmask 255.255.0.0 { option domain-name \"narrow.example\"; }\n\
             subnet 10.1.0.0 netmask 255.255.0.0 { option domain-name \"again.example\"; }\n\
             host a { fixed-address 10.1.2.3; option domain-name \"narrow.example\"; }\n\
             host b { fixed-address 10.1.2.4; option domain-name \"wide.example\"; }\n\
             host c { fixed-address 10.2.0.1; option domain-name \"wide.example\"; }\n\
             host d { fixed-address 10.2.0.2; option domain-name \"narrow.example\"; }\n",
        );
        let hosts: Vec<String> = summary(&p)
            .into_iter()
            .filter(|s| s.starts_with("host"))
            .collect();
        assert_eq!(
            hosts,
            [
                "host b | wide.example | 10.1.2.4/32 | dhcpd.conf:5",
                "host d | narrow.example | 10.2.0.2/32 | dhcpd.conf:7",
            ]
        );
    }

    #[test]
    fn a_host_in_a_shared_network_takes_its_subnets_value_not_the_networks() {
        let p = inline(
            "shared-network hq {\n\
             \x20 option domain-name \"hq.example\";\n\
             \x20 subnet 10.0.0.0 netmask 255.255.255.0 { option domain-name \"lan.example\"; }\n\
             \x20 host printer { fixed-address 10.0.0.5; }\n\
             \x20 group {\n\
             \x20   option domain-name \"kiosk.example\";\n\
             \x20   host kiosk { fixed-address 10.0.0.6; }\n\
             \x20 }\n\
             \x20 group { host plain { fixed-address 10.0.0.7; } }\n\
             }\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        // The shared network encloses the subnet too: dhcpd runs it once, as the subnet's, so
        // the printer and the plain host get the subnet's value and are no scopes of their own;
        // the kiosk's group encloses only the host, so its value wins.
        assert_eq!(
            summary(&p),
            [
                "shared-network hq, subnet 10.0.0.0/24 | lan.example | 10.0.0.0/24 | dhcpd.conf:3",
                "host kiosk | kiosk.example | 10.0.0.6/32 | dhcpd.conf:7",
            ]
        );
    }

    #[test]
    fn a_scope_without_a_suffix_is_an_observation_and_an_empty_one_a_problem() {
        let p = inline(
            "subnet 10.0.0.0 netmask 255.255.255.0 {\n\
             \x20 option domain-name \"\";\n\
             }\n",
        );
        assert_eq!(
            summary(&p),
            ["subnet 10.0.0.0/24 | - | 10.0.0.0/24 | dhcpd.conf:1"]
        );
        assert_eq!(
            problem_lines(&p),
            ["dhcpd.conf:2:22 `option domain-name` is empty; ignored"]
        );
        assert!(
            inline("subnet 10.0.0.0 netmask 255.0.0.0 { }")
                .problems
                .is_empty()
        );
    }

    #[test]
    fn truncated_file_reports_the_open_blocks_and_keeps_what_was_read() {
        let cut: String = FIXTURE.lines().take(41).collect::<Vec<_>>().join("\n");
        let p = inline(&cut);
        let found = problem_lines(&p);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with(
            "dhcpd.conf:38:5 `subnet 10.1.5.0 netmask 255.255.255.0 {` is not closed"
        ));
        assert!(found[1].starts_with("dhcpd.conf:21:1 `shared-network hq {` is not closed"));
        assert_eq!(
            summary(&p)[1..],
            [
                "shared-network hq, subnet 10.1.4.0/24 | hq.company.com | 10.1.4.0/24 | dhcpd.conf:24",
                "shared-network hq, subnet 10.1.4.0/24, pool 10.1.4.100-10.1.4.199 | build.hq.company.com | 10.1.4.100-10.1.4.199 | dhcpd.conf:29",
                "shared-network hq, subnet 10.1.5.0/24 | voice.company.com | 10.1.5.0/24 | dhcpd.conf:40",
            ]
        );
    }

    #[test]
    fn unterminated_string_and_statement_are_reported_where_they_start() {
        let p = inline(
            "subnet 10.0.0.0 netmask 255.255.255.0 { }\n\
             subnet 10.0.1.0 netmask 255.255.255.0 {\n\
             \x20 option domain-name \"broken.example;\n\
             }\n",
        );
        let found = problem_lines(&p);
        assert!(found[0].starts_with("dhcpd.conf:3:22 quoted string opened here is not closed"));
        assert!(found[1].starts_with("dhcpd.conf:3:3 `option domain-name` is not ended by `;`"));
        assert!(
            found[2].starts_with(
                "dhcpd.conf:2:1 `subnet 10.0.1.0 netmask 255.255.255.0 {` is not closed"
            )
        );
        assert_eq!(found.len(), 3);
        assert_eq!(p.scopes.len(), 2);
        assert_eq!(p.scopes[1].suffix, None);
    }

    #[test]
    fn unbalanced_braces_and_missing_semicolons() {
        let p = inline(
            "}\n\
             subnet 10.0.0.0 netmask 255.255.255.0 { option domain-name \"a.example\" }\n\
             { option domain-name \"b.example\"; }\n\
             subnet 10.0.1.0 netmask 255.255.255.0 { }\n",
        );
        assert_eq!(
            problem_lines(&p),
            [
                "dhcpd.conf:1:1 `}` without a matching `{`; ignored",
                "dhcpd.conf:2:41 `option domain-name \"a.example\"` is not ended by `;` before `}`; ignored",
                "dhcpd.conf:3:1 `{` without a declaration before it; block ignored",
            ]
        );
        assert_eq!(
            summary(&p),
            [
                "subnet 10.0.0.0/24 | - | 10.0.0.0/24 | dhcpd.conf:2",
                "subnet 10.0.1.0/24 | - | 10.0.1.0/24 | dhcpd.conf:4",
            ]
        );
    }

    #[test]
    fn bad_subnets_are_reported_with_their_column() {
        let text = "subnet 10.1.300.0 netmask 255.255.255.0 { option domain-name \"a.example\"; }\n\
                    subnet 10.1.4.0 netmask 255.0.255.0 { }\n\
                    subnet 10.1.5.0 mask 255.255.255.0 { }\n\
                    subnet 10.1.6.7 netmask 255.255.255.0 { }\n\
                    subnet 10.1.7.0 netmask 255.255.255.0 {\n\
                    \x20 host x { fixed-address 10.1.7.9; option domain-name \"b.example\"; }\n\
                    }\n";
        let p = inline(text);
        let found = problem_lines(&p);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].starts_with("dhcpd.conf:1:8 subnet address `10.1.300.0` is not an IPv4"));
        assert!(found[1].starts_with("dhcpd.conf:2:25 netmask `255.0.255.0` is not a valid"));
        assert!(found[2].starts_with("dhcpd.conf:3:17 expected `netmask`"));
        assert_eq!(
            found[3],
            "dhcpd.conf:4:8 subnet address 10.1.6.7 is not the network address of netmask \
             255.255.255.0; read as 10.1.6.0/24"
        );
        assert_eq!(
            summary(&p),
            [
                "subnet 10.1.6.0/24 | - | 10.1.6.0/24 | dhcpd.conf:4",
                "subnet 10.1.7.0/24 | - | 10.1.7.0/24 | dhcpd.conf:5",
                "host x | b.example | 10.1.7.9/32 | dhcpd.conf:6",
            ]
        );
    }

    #[test]
    fn include_loop_is_reported_in_the_file_that_closes_it() {
        let dir = tempfile::tempdir().unwrap();
        let main = write(
            dir.path(),
            "dhcpd.conf",
            "option domain-name \"company.example\";\ninclude \"a.conf\";\n\
             subnet 10.0.0.0 netmask 255.255.255.0 { }\n",
        );
        write(
            dir.path(),
            "a.conf",
            "subnet 10.1.0.0 netmask 255.255.0.0 { }\ninclude \"dhcpd.conf\";\n",
        );
        let p = parse_file(&main, parse);
        let found = problem_lines(&p);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("a.conf:2:9 "), "{}", found[0]);
        assert!(found[0].contains("includes itself"));
        assert_eq!(
            summary(&p),
            [
                "server default | company.example |  | dhcpd.conf:1",
                "subnet 10.1.0.0/16 | company.example | 10.1.0.0/16 | a.conf:1",
                "subnet 10.0.0.0/24 | company.example | 10.0.0.0/24 | dhcpd.conf:3",
            ]
        );
    }

    #[test]
    fn missing_include_is_reported_and_the_rest_read() {
        let dir = tempfile::tempdir().unwrap();
        let main = write(
            dir.path(),
            "dhcpd.conf",
            "include \"sites/missing.conf\";\nsubnet 10.0.0.0 netmask 255.255.255.0 { }\n",
        );
        let p = parse_file(&main, parse);
        let found = problem_lines(&p);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("dhcpd.conf:1:9 cannot read included `"));
        assert!(found[0].ends_with("; not read"), "{}", found[0]);
        assert_eq!(p.scopes.len(), 1);
    }

    #[test]
    fn includes_are_read_from_memory() {
        let files = [(
            std::path::PathBuf::from("/m/hq/subnets.conf"),
            b"subnet 10.1.4.0 netmask 255.255.255.0 { }\n".to_vec(),
        )];
        let text = "option domain-name \"hq.example\";\ninclude \"hq/subnets.conf\";\ninclude \"gone.conf\";\n";
        let files = Files::Memory(std::sync::Arc::new(files.into_iter().collect()));
        let p = parse_in(Path::new("/m/dhcpd.conf"), text, files);
        let found = problem_lines(&p);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("dhcpd.conf:3:9 cannot read included `"));
        assert_eq!(
            summary(&p),
            [
                "server default | hq.example |  | dhcpd.conf:1",
                "subnet 10.1.4.0/24 | hq.example | 10.1.4.0/24 | subnets.conf:1"
            ]
        );
    }

    #[test]
    fn an_include_inside_a_block_adds_to_that_block() {
        let dir = tempfile::tempdir().unwrap();
        let main = write(
            dir.path(),
            "dhcpd.conf",
            "shared-network hq {\n  option domain-name \"hq.example\";\n  include \"hq/subnets.conf\";\n}\n",
        );
        write(
            dir.path(),
            "hq/subnets.conf",
            "# HQ subnets\nsubnet 10.1.4.0 netmask 255.255.255.0 { }\n",
        );
        let p = parse_file(&main, parse);
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        assert_eq!(
            summary(&p),
            ["shared-network hq, subnet 10.1.4.0/24 | hq.example | 10.1.4.0/24 | subnets.conf:2"]
        );
        assert_eq!(p.scopes[0].origin.path, dir.path().join("hq/subnets.conf"));
    }

    #[test]
    fn included_files_in_other_encodings() {
        let dir = tempfile::tempdir().unwrap();
        let main = write(
            dir.path(),
            "dhcpd.conf",
            "include \"latin1.conf\";\ninclude \"utf16.conf\";\n",
        );
        write(
            dir.path(),
            "latin1.conf",
            b"option domain-name \"caf\xe9.example\";\n",
        );
        let text =
            "subnet 10.9.0.0 netmask 255.255.0.0 { option domain-name \"utf16.example\"; }\n";
        write(dir.path(), "utf16.conf", utf16(text, true));
        let p = parse_file(&main, parse);
        let found = problem_lines(&p);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("dhcpd.conf:1:9 cannot read included"));
        assert!(
            found[0].contains("not valid UTF-8 (byte 23)"),
            "{}",
            found[0]
        );
        assert_eq!(
            summary(&p),
            ["subnet 10.9.0.0/16 | utf16.example | 10.9.0.0/16 | utf16.conf:1"]
        );
    }

    #[test]
    fn garbage_is_survived_and_reported() {
        let text = "\u{0}\u{1}\u{2}{{{ }}} \u{7f};;; \u{fffd}\"\u{3}\" \\;\n\
                    subnet 10.0.0.0 netmask 255.255.255.0 { option domain-name \"ok.example\"; }\n";
        let p = inline(text);
        let found = problem_lines(&p);
        assert!(
            found[0].starts_with("dhcpd.conf:1:1 control character U+0000"),
            "{found:?}"
        );
        assert!(
            summary(&p)
                .contains(&"subnet 10.0.0.0/24 | ok.example | 10.0.0.0/24 | dhcpd.conf:2".into())
        );
    }

    #[test]
    fn random_input_never_panics() {
        const PIECES: [&str; 16] = [
            "{",
            "}",
            ";",
            ",",
            "\"",
            "#",
            "\\",
            "\n",
            " ",
            "subnet",
            "10.0.0.0",
            "netmask",
            "255.255.255.0",
            "option domain-name",
            "include \"x\"",
            "é",
        ];
        for text in random_texts(&PIECES, 0x2545_F491_4F6C_DD1D) {
            let p = inline(&text);
            assert!(p.problems.len() <= MAX_PROBLEMS + 1);
        }
    }

    #[test]
    fn deep_nesting_is_cut_without_recursion_limits() {
        let text = format!("{}{}", "group {\n".repeat(200), "}\n".repeat(200));
        let p = inline(&text);
        assert_eq!(p.problems.len(), 1, "{:?}", problem_lines(&p));
        assert!(
            problem_lines(&p)[0].starts_with("dhcpd.conf:33:1 blocks nest more than 32 levels")
        );
        let unclosed = inline(&"group {\n".repeat(200));
        assert_eq!(unclosed.problems.len(), 33);
    }

    #[test]
    fn problems_are_capped() {
        let p = inline(&"}\n".repeat(2000));
        assert_eq!(p.problems.len(), MAX_PROBLEMS + 1);
        assert!(
            p.problems[MAX_PROBLEMS]
                .message
                .starts_with("more than 500 problems")
        );
    }

    #[test]
    fn ipv6_and_other_blocks_are_skipped_quietly() {
        let p = inline(
            "subnet6 2001:db8::/64 { range6 2001:db8::10 2001:db8::ff; option dhcp6.name-servers 2001:db8::53; }\n\
             failover peer \"dhcp\" { primary; address 10.0.0.2; }\n\
             if option vendor-class-identifier = \"x\" { option domain-name \"cond.example\"; } \
             else { option domain-name \"other.example\"; }\n\
             on commit { set x = \"y\"; }\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        // The subnet6 is a scope, but one that hands out no option 24.
        let names: Vec<_> = p.scopes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["subnet6 2001:db8::/64"]);
        assert!(p.scopes[0].search_v6.is_empty() && p.scopes[0].ranges.is_empty());
    }

    #[test]
    fn subnet6_scopes_inherit_option_24() {
        let p = inline(
            "option dhcp6.domain-search \"corp.example\", \"lab.corp.example.\";\n\
             subnet 10.1.4.0 netmask 255.255.255.0 { option domain-name \"corp.example\"; }\n\
             shared-network hq {\n\
               option dhcp6.domain-search \"hq.corp.example\";\n\
               subnet6 2001:db8:1::/64 { range6 2001:db8:1::10 2001:db8:1::ff; }\n\
             }\n\
             subnet6 2001:db8:2::/64 {\n\
               pool6 { range6 2001:db8:2::100 2001:db8:2::1ff; option dhcp6.domain-search \"guest.example\"; }\n\
               pool6 { range6 2001:db8:2::200 2001:db8:2::2ff; }\n\
             }\n\
             subnet6 2001:db8:3::1/64 { option dhcp6.domain-search \"\"; }\n\
             subnet6 10.9.0.0/24 { }\n",
        );
        let got: Vec<(&str, Option<&str>, Vec<&str>)> = p
            .scopes
            .iter()
            .map(|s| {
                let list = s.search_v6.iter().map(String::as_str).collect();
                (s.name.as_str(), s.suffix.as_deref(), list)
            })
            .collect();
        let corp = vec!["corp.example", "lab.corp.example"];
        assert_eq!(
            got,
            vec![
                ("subnet 10.1.4.0/24", Some("corp.example"), vec![]),
                ("server default (DHCPv6)", None, corp.clone()),
                (
                    "shared-network hq, subnet6 2001:db8:1::/64",
                    None,
                    vec!["hq.corp.example"]
                ),
                ("subnet6 2001:db8:2::/64", None, corp.clone()),
                (
                    "subnet6 2001:db8:2::/64, pool6 2001:db8:2::100 2001:db8:2::1ff",
                    None,
                    vec!["guest.example"]
                ),
                ("subnet6 2001:db8:3::/64", None, corp),
            ]
        );
        assert_eq!(
            problem_lines(&p),
            vec![
                "dhcpd.conf:11:55 `option dhcp6.domain-search` has no domain; ignored".to_owned(),
                "dhcpd.conf:12:9 `10.9.0.0/24` is not an IPv6 prefix like 2001:db8:1::/64; the subnet and its contents are ignored".to_owned(),
            ]
        );
    }

    #[test]
    fn sniff_accepts_dhcpd_and_rejects_other_kinds() {
        assert!(sniff(FIXTURE));
        assert!(sniff(include_str!(
            "../../tests/fixtures/dhcp/sites/branch.conf"
        )));
        assert!(sniff(
            "host kiosk {\n  hardware ethernet 00:11:22:33:44:55;\n}\n"
        ));
        assert!(sniff("# comment\nauthoritative;\n"));
        assert_claims_only(READER.name, sniff);
        assert!(!sniff("# subnet 10.0.0.0 netmask 255.0.0.0 {\n"));
        assert!(!sniff(""));
        assert!(!sniff(&"é".repeat(5000)));
    }
}

//! dnsmasq configuration (dnsmasq(8)): the option 15 each `dhcp-range` hands out.
//!
//! Lines are `name=value` or a bare `name`, read as dnsmasq reads them: `"…"` hides `,` `=` and
//! `#` and knows the escapes `\\ \" \t \n \r \b \e`; `#` starts a comment at the start of a line
//! or after white space (dnsmasq(8) documents whole-line comments, and dnsmasq's own reader also
//! ends a line at a `#` that follows white space, so `domain=a.com # HQ` is `a.com`). Option names
//! have no leading `--` in a file; such lines are reported and ignored. `conf-file=` and
//! `conf-dir=DIR[,.ext][,*.ext]` are followed (relative paths from the folder of the naming
//! file, folder entries in name order, `~`, `.`-leading and `#…#` names skipped as dnsmasq does).
//! `dhcp-optsfile=` / `dhcp-optsdir=` and `dhcp-hostsfile=` / `dhcp-hostsdir=` files (or a
//! folder's files, in name order) are read after the whole configuration, as dnsmasq reads them:
//! each line is the value of a `dhcp-option` or a `dhcp-host`.
//!
//! Which option 15 a client gets, as dnsmasq decides it (option.c, dhcp-common.c
//! `option_filter`, rfc2131.c; DOMAIN.md calls the precedence inferred):
//! 1. a `dhcp-option` / `dhcp-option-force` for `15` or `option:domain-name` whose tags all match
//!    the client's tags. Tags from the client's `dhcp-host set:` (and `known`, which a client
//!    matching a `dhcp-host` carries) and the range's `tag:` filters win over the range's own
//!    `set:` tag; a tagged line wins over an untagged one; among equals the later line wins.
//!    `tag-if=set:…,tag:…` lines add their tags to both sets, run in order (a trailing `*` in a
//!    condition matches any ending, as dnsmasq(8) allows there). An empty value sends an empty
//!    option 15 (no suffix) and, like every matching `dhcp-option`, stops `domain=` from being
//!    sent;
//! 2. else the `domain=` whose address range holds the client's address (the later line wins);
//! 3. else the last `domain=` without a range.
//!
//! `encap:`, `vi-encap:` and `vendor:` options are sub-options, never option 15. The tag dnsmasq
//! sets from the interface a request arrives on is not known from the configuration and is not
//! used. Scopes: every IPv4 `dhcp-range` (`proxy` ranges send no options and are skipped; a
//! `static` range covers its netmask's subnet, or nothing without one), named by its addresses,
//! and cut where ranged `domain=` lines name only part of it (`dhcp-range A-B, domain RANGE`
//! holds the addresses that line gives its domain); every ranged `domain=` that names addresses
//! no `dhcp-range` hands out (`domain RANGE`, with the addresses where it is the line used);
//! every `domain=NAME,INTERFACE` (`domain interface NAME`, no ranges: the interface's subnets
//! are not in the configuration); a
//! `dhcp-host` with an IPv4 address whose option 15 differs from the scope holding that address
//! (`host NAME`); a tagged option 15 that decides none of these (`tag NAME`, no ranges); and
//! `server default` for what an untagged client gets. Each scope's origin is the line that
//! declares it (`dhcp-range`, `domain`, `dhcp-host`, `dhcp-option`, or the global statement).
//!
//! DHCPv6 (dnsmasq(8) `--dhcp-range` IPv6 forms and `--dhcp-option`): every IPv6 `dhcp-range`
//! (`START[,END|,constructor:IF][,MODE][,PREFIX-LEN][,LEASE]`, start possibly a partial address
//! such as `::1` with a constructor) is a scope named by its addresses, with no IPv4 ranges, and
//! the option 24 it hands out: the `dhcp-option=option6:domain-search,…` (or `option6:24`) picked
//! by the same tag rules as option 15 above. `ra-only` ranges do no DHCPv6 and are skipped. An
//! untagged option 24 is also `server default (DHCPv6)`. `domain=` is a DHCPv4 option 15 source
//! only: dnsmasq's DHCPv6 server (rfc3315.c) puts the domain into the client FQDN option, never
//! into option 24, so `domain=` lines with IPv6 ranges are read past.

use super::dhcp_common::{self, Files, Includes, Names};
use super::model::{Ipv4Range, Origin, Parsed, Scope, clean_suffix};
use super::reader::{self, Reading};
use crate::dns_name::DnsName;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::Path;

/// Entries read from one `conf-dir` folder.
const MAX_DIR_ENTRIES: usize = 1024;

/// Options that only dnsmasq has, given with a value.
const VALUE_KEYS: [&str; 19] = [
    "dhcp-range",
    "dhcp-option",
    "dhcp-option-force",
    "dhcp-host",
    "dhcp-boot",
    "dhcp-mac",
    "dhcp-match",
    "dhcp-vendorclass",
    "dhcp-leasefile",
    "domain",
    "conf-dir",
    "conf-file",
    "interface",
    "except-interface",
    "listen-address",
    "server",
    "address",
    "resolv-file",
    "addn-hosts",
];

/// dnsmasq flags, given without a value.
const FLAG_KEYS: [&str; 10] = [
    "bind-interfaces",
    "no-resolv",
    "domain-needed",
    "bogus-priv",
    "dhcp-authoritative",
    "expand-hosts",
    "no-hosts",
    "log-dhcp",
    "log-queries",
    "strict-order",
];

/// This source kind, for `sources::READERS`.
pub static READER: reader::Reader = reader::Reader {
    name: "dnsmasq",
    describe: "dnsmasq configuration",
    dhcp_server: true,
    sniff: |text, _| sniff(text),
    read: |source, _| Reading::Parsed(parse(&source.path, &source.text)),
};

/// True when `text` is mostly `name[=value]` lines and names at least one dnsmasq option. A
/// TOML table header (`[[network]]`) or a majority of other lines (JSON, CSV, dhcpd.conf) rules
/// it out.
pub fn sniff(text: &str) -> bool {
    let mut options = 0usize;
    let mut others = 0usize;
    let mut known = false;
    for raw in crate::source::sniff_head(text).lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            return false;
        }
        let (key, has_value) = match line.split_once('=') {
            Some((k, _)) => (k.trim(), true),
            None => (line, false),
        };
        if !is_key(key) {
            others += 1;
            continue;
        }
        options += 1;
        known |= if has_value {
            VALUE_KEYS.contains(&key)
        } else {
            FLAG_KEYS.contains(&key)
        };
    }
    known && others * 4 <= options
}

/// Read a dnsmasq configuration and the files it pulls in.
pub fn parse(path: &Path, text: &str) -> Parsed {
    parse_in(path, text, Files::Disk)
}

/// [`parse`], with included files and folders read from `files`.
pub fn parse_in(path: &Path, text: &str, files: Files) -> Parsed {
    let mut reader = Reader {
        includes: Includes::new(
            path,
            dhcp_common::Fragment {
                kind: "dnsmasq configuration",
                looks_like: looks_like_fragment,
            },
            files,
        ),
        parsed: Parsed::default(),
        cfg: Config::default(),
        banks: Vec::new(),
    };
    reader.read_file(path, text);
    reader.read_banks();
    let mut parsed = reader.parsed;
    parsed.included = reader.includes.take_read();
    parsed.scopes = scopes(&reader.cfg);
    parsed
}

/// Could `text` be a dnsmasq configuration file (what `conf-file`/`conf-dir` pull in)? Its first
/// line that is not a comment is an option (`key` or `key=value`); dnsmasq refuses anything else.
fn looks_like_fragment(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_none_or(|line| is_key(line.split_once('=').map_or(line, |(k, _)| k).trim()))
}

/// Whether an options or hosts file (`dhcp-optsfile`, `dhcp-hostsfile`) looks like one: its
/// first line that is not a comment is comma-separated fields, the first without spaces or `=`.
fn looks_like_bank(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_none_or(|line| {
            line.split_once(',')
                .is_some_and(|(first, _)| !first.is_empty() && !first.contains([' ', '\t', '=']))
        })
}

const BANK: dhcp_common::Fragment = dhcp_common::Fragment {
    kind: "dnsmasq options or hosts file",
    looks_like: looks_like_bank,
};

/// Longer than any option line (dnsmasq's own line buffer is far smaller); a longer line is
/// reported and skipped, not lexed character by character.
const MAX_LINE_BYTES: usize = 64 * 1024;

fn is_key(key: &str) -> bool {
    key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

// ---------------------------------------------------------------------------------------------
// Lines

/// One character of a line after quote handling, with its 1-based column.
#[derive(Debug, Clone, Copy)]
struct Cell {
    ch: char,
    col: usize,
    quoted: bool,
}

/// One comma-separated part of a value.
#[derive(Debug, Clone)]
struct Field {
    text: String,
    col: usize,
}

/// `name=value` split into the name and the value's fields; no `=` gives no fields.
#[derive(Debug)]
struct Directive {
    key: String,
    key_col: usize,
    fields: Vec<Field>,
    line: usize,
}

/// Quotes and comments removed; `Err` holds the column of a quote left open.
fn lex_line(raw: &str) -> Result<Vec<Cell>, usize> {
    let mut out = Vec::new();
    let mut chars = raw.chars().enumerate().peekable();
    let mut white = true;
    while let Some((i, c)) = chars.next() {
        if c == '"' {
            loop {
                match chars.next() {
                    None => return Err(i + 1),
                    Some((_, '"')) => break,
                    Some((j, '\\')) => {
                        let escaped = chars.peek().and_then(|&(_, e)| unescape(e));
                        let ch = match escaped {
                            Some(ch) => {
                                chars.next();
                                ch
                            }
                            None => '\\',
                        };
                        out.push(Cell {
                            ch,
                            col: j + 1,
                            quoted: true,
                        });
                    }
                    Some((j, ch)) => out.push(Cell {
                        ch,
                        col: j + 1,
                        quoted: true,
                    }),
                }
            }
            white = false;
            continue;
        }
        if white && c == '#' {
            break;
        }
        white = c.is_whitespace();
        out.push(Cell {
            ch: c,
            col: i + 1,
            quoted: false,
        });
    }
    Ok(out)
}

fn unescape(c: char) -> Option<char> {
    Some(match c {
        '\\' => '\\',
        '"' => '"',
        't' => '\t',
        'n' => '\n',
        'r' => '\r',
        'b' => '\u{8}',
        'e' => '\u{1b}',
        _ => return None,
    })
}

fn is_blank(c: &Cell) -> bool {
    !c.quoted && c.ch.is_whitespace()
}

fn trim(cells: &[Cell]) -> &[Cell] {
    let start = cells
        .iter()
        .position(|c| !is_blank(c))
        .unwrap_or(cells.len());
    let end = cells
        .iter()
        .rposition(|c| !is_blank(c))
        .map_or(start, |i| i + 1);
    cells.get(start..end).unwrap_or(&[])
}

fn text_of(cells: &[Cell]) -> String {
    cells.iter().map(|c| c.ch).collect()
}

fn split_fields(cells: &[Cell], after_col: usize) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut col = after_col;
    for part in cells.split(|c| c.ch == ',' && !c.quoted) {
        let t = trim(part);
        fields.push(Field {
            text: text_of(t),
            col: t.first().map_or(col, |c| c.col),
        });
        col = part.last().map_or(col, |c| c.col + 1) + 1;
    }
    fields
}

// ---------------------------------------------------------------------------------------------
// What the configuration says

#[derive(Debug, Clone)]
struct Setting {
    value: String,
    origin: Origin,
}

#[derive(Debug, Clone)]
struct Tag {
    name: String,
    negated: bool,
}

impl Tag {
    /// `name`, or `!name` / `#name` for "not set".
    fn parse(raw: &str) -> Option<Tag> {
        let (name, negated) = match raw.strip_prefix(['!', '#']) {
            Some(rest) => (rest, true),
            None => (raw, false),
        };
        (!name.is_empty()).then(|| Tag {
            name: name.to_owned(),
            negated,
        })
    }

    fn shown(&self) -> String {
        if self.negated {
            format!("!{}", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// A `dhcp-option` for option 15, or (in [`Config::options_v6`]) for option 24.
#[derive(Debug)]
struct Opt15 {
    tags: Vec<Tag>,
    /// `None`: the line gives an empty value. For option 24, the comma-separated list as given.
    value: Option<String>,
    origin: Origin,
}

impl Opt15 {
    fn tagged(&self) -> bool {
        !self.tags.is_empty()
    }

    /// Every tag set (or, negated, not set) in `set`.
    fn matches(&self, set: &[&str]) -> bool {
        self.tags
            .iter()
            .all(|t| set.contains(&t.name.as_str()) != t.negated)
    }
}

/// The names of the tags a filter requires to be set.
fn positive_names(tags: &[Tag]) -> impl Iterator<Item = &str> {
    tags.iter().filter(|t| !t.negated).map(|t| t.name.as_str())
}

#[derive(Debug)]
struct RangedDomain {
    value: String,
    range: Ipv4Range,
    origin: Origin,
}

#[derive(Debug)]
struct DhcpRange {
    /// The addresses handed out; for a `static` range the netmask's subnet, if given.
    addresses: Option<Ipv4Range>,
    start: Ipv4Addr,
    /// `start` with the netmask, when given: where static hosts of this range live.
    subnet: Option<Ipv4Range>,
    set: Option<String>,
    filters: Vec<Tag>,
    origin: Origin,
}

impl DhcpRange {
    /// Where domain lookups and containment checks look.
    fn span(&self) -> Ipv4Range {
        self.addresses
            .unwrap_or_else(|| Ipv4Range::new(self.start, self.start))
    }

    fn filter_names(&self) -> impl Iterator<Item = &str> {
        positive_names(&self.filters)
    }
}

/// An IPv6 `dhcp-range`: only its name and tags matter here.
#[derive(Debug)]
struct DhcpRange6 {
    label: String,
    set: Option<String>,
    filters: Vec<Tag>,
    origin: Origin,
}

#[derive(Debug)]
struct DhcpHost {
    ip: Ipv4Addr,
    name: String,
    sets: Vec<String>,
    origin: Origin,
}

#[derive(Debug, Default)]
struct Config {
    global_domain: Option<Setting>,
    domains: Vec<RangedDomain>,
    /// `domain=NAME,INTERFACE`: the domain of the subnets on an interface, by interface name.
    interface_domains: Vec<(String, Setting)>,
    options: Vec<Opt15>,
    /// `dhcp-option=option6:domain-search,…` lines.
    options_v6: Vec<Opt15>,
    ranges: Vec<DhcpRange>,
    ranges_v6: Vec<DhcpRange6>,
    hosts: Vec<DhcpHost>,
    tag_ifs: Vec<TagIf>,
}

impl Config {
    /// `tags` and what the `tag-if` lines set from them, the lines run in order (a line sees the
    /// tags the lines before it set).
    fn run_tag_ifs<'a>(&'a self, tags: &[&'a str]) -> Vec<&'a str> {
        let mut out = tags.to_vec();
        for t in &self.tag_ifs {
            if t.applies(&out) {
                out.extend(t.sets.iter().map(String::as_str));
            }
        }
        out
    }
}

/// `tag-if=set:T[,set:T…][,tag:T…]`: sets its tags when every `tag:` condition holds.
#[derive(Debug)]
struct TagIf {
    sets: Vec<String>,
    conditions: Vec<Tag>,
}

impl TagIf {
    /// Every condition holds in `set`; a condition's trailing `*` matches any ending there.
    fn applies(&self, set: &[&str]) -> bool {
        self.conditions.iter().all(|c| {
            let present = match c.name.strip_suffix('*') {
                Some(prefix) => set.iter().any(|t| t.starts_with(prefix)),
                None => set.contains(&c.name.as_str()),
            };
            present != c.negated
        })
    }
}

struct Reader {
    includes: Includes,
    parsed: Parsed,
    cfg: Config,
    /// `dhcp-optsfile` / `dhcp-hostsfile` (and `…dir`) lines, read once the configuration is.
    banks: Vec<Bank>,
}

/// A file or folder of `dhcp-option` or `dhcp-host` values, one per line, named by `key`.
struct Bank {
    /// The option each line is the value of: `dhcp-option` or `dhcp-host`.
    key: &'static str,
    path: std::path::PathBuf,
    from: Origin,
    col: usize,
}

impl Reader {
    fn problem(&mut self, path: &Path, line: usize, col: usize, message: impl Into<String>) {
        self.parsed.problem(Origin::new(path, line), col, message);
    }

    fn read_file(&mut self, path: &Path, text: &str) {
        for (i, raw) in text.lines().enumerate() {
            if let Some(d) = self.directive(path, i + 1, raw) {
                self.apply(path, &d);
            }
        }
    }

    /// Read what the `dhcp-optsfile`, `dhcp-optsdir`, `dhcp-hostsfile` and `dhcp-hostsdir` lines
    /// name, after the configuration as dnsmasq does: each line is the value of a `dhcp-option`
    /// or `dhcp-host`; a folder's files are read in name order.
    fn read_banks(&mut self) {
        for bank in std::mem::take(&mut self.banks) {
            let files = if self.includes.is_dir(&bank.path) {
                match self.includes.list_dir(&bank.path, MAX_DIR_ENTRIES) {
                    Ok(names) => names
                        .into_iter()
                        .filter(|n| !always_skipped(&n.to_string_lossy()))
                        .map(|n| bank.path.join(n))
                        .collect(),
                    Err(e) => {
                        let msg = format!(
                            "cannot read folder `{}`: {e}; not read",
                            bank.path.to_string_lossy().replace('\\', "/")
                        );
                        self.parsed.problem(bank.from.clone(), bank.col, msg);
                        continue;
                    }
                }
            } else {
                vec![bank.path.clone()]
            };
            for file in files {
                match self.includes.enter_as(&file, BANK) {
                    Ok(source) => {
                        for (i, raw) in source.text.lines().enumerate() {
                            if let Some(d) = self.bank_line(&file, i + 1, raw, bank.key) {
                                self.apply(&file, &d);
                            }
                        }
                        self.includes.leave();
                    }
                    Err(e) => self
                        .parsed
                        .problem(bank.from.clone(), bank.col, e.to_string()),
                }
            }
        }
    }

    /// A line of a `dhcp-optsfile` or `dhcp-hostsfile`: the value of a `key` line.
    fn bank_line(&mut self, path: &Path, line: usize, raw: &str, key: &str) -> Option<Directive> {
        let cells = self.cells(path, line, raw)?;
        let cells = trim(&cells);
        let first = cells.first()?;
        Some(Directive {
            key: key.to_owned(),
            key_col: first.col,
            fields: split_fields(cells, first.col),
            line,
        })
    }

    /// The characters of a line with quotes and comments handled; `None` (and a problem) when
    /// it holds control characters or a quote left open.
    fn cells(&mut self, path: &Path, line: usize, raw: &str) -> Option<Vec<Cell>> {
        if raw.len() > MAX_LINE_BYTES {
            let msg = format!(
                "the line is {} long, over the {} a dnsmasq option line can reasonably be; ignored",
                crate::load::size_text(raw.len() as u64),
                crate::load::size_text(MAX_LINE_BYTES as u64)
            );
            self.problem(path, line, 1, msg);
            return None;
        }
        if let Some(col) = raw
            .chars()
            .position(|c| c.is_control() && !c.is_whitespace())
        {
            self.problem(
                path,
                line,
                col + 1,
                "control characters: not a configuration line; ignored",
            );
            return None;
        }
        match lex_line(raw) {
            Ok(cells) => Some(cells),
            Err(col) => {
                self.problem(
                    path,
                    line,
                    col,
                    "quote not closed on this line; line ignored",
                );
                None
            }
        }
    }

    fn directive(&mut self, path: &Path, line: usize, raw: &str) -> Option<Directive> {
        let cells = self.cells(path, line, raw)?;
        let cells = trim(&cells);
        let first = cells.first()?;
        let eq = cells.iter().position(|c| c.ch == '=' && !c.quoted);
        let key_cells = trim(cells.get(..eq.unwrap_or(cells.len())).unwrap_or(&[]));
        let key = text_of(key_cells);
        if let Some(name) = key.strip_prefix("--") {
            let msg = format!(
                "`{key}`: option names in a configuration file have no leading `--` (write `{name}`); line ignored"
            );
            self.problem(path, line, first.col, msg);
            return None;
        }
        if !is_key(&key) {
            let msg = format!(
                "`{}` is not a dnsmasq option line (`name` or `name=value`); ignored",
                shorten(&text_of(cells))
            );
            self.problem(path, line, first.col, msg);
            return None;
        }
        let fields = match eq {
            Some(i) => {
                let after = cells.get(i + 1..).unwrap_or(&[]);
                let col = cells.get(i).map_or(first.col, |c| c.col + 1);
                split_fields(after, col)
            }
            None => Vec::new(),
        };
        Some(Directive {
            key,
            key_col: first.col,
            fields,
            line,
        })
    }

    fn apply(&mut self, path: &Path, d: &Directive) {
        match d.key.as_str() {
            "domain" | "domain-suffix" => self.domain(path, d),
            "dhcp-option" | "dhcp-option-force" => self.option(path, d),
            "dhcp-range" => self.range(path, d),
            "dhcp-host" => self.host(path, d),
            "tag-if" => self.tag_if(path, d),
            "dhcp-optsfile" | "dhcp-optsdir" => self.bank(path, d, "dhcp-option"),
            "dhcp-hostsfile" | "dhcp-hostsdir" => self.bank(path, d, "dhcp-host"),
            "conf-file" => self.conf_file(path, d),
            "conf-dir" => self.conf_dir(path, d),
            _ => {}
        }
    }

    /// `domain=NAME[,START,END|,IP/LEN|,IP][,local]`, or `domain=NAME,INTERFACE` (dnsmasq's
    /// option.c takes a word that is no address for the subnets of that interface).
    fn domain(&mut self, path: &Path, d: &Directive) {
        let Some(name) = d.fields.first() else {
            self.problem(path, d.line, d.key_col, "`domain` without a value; ignored");
            return;
        };
        if name.text == "#" {
            let msg = "`domain=#` takes the domain from resolv.conf's search line, which this \
                       configuration does not hold; ignored";
            self.problem(path, d.line, name.col, msg);
            return;
        }
        let Some(value) = clean_suffix(&name.text) else {
            self.problem(path, d.line, name.col, "`domain=` is empty; ignored");
            return;
        };
        let origin = Origin::new(path, d.line);
        let rest: Vec<&Field> = d
            .fields
            .iter()
            .skip(1)
            .filter(|f| !f.text.eq_ignore_ascii_case("local"))
            .collect();
        let Some(first) = rest.first() else {
            self.cfg.global_domain = Some(Setting { value, origin });
            return;
        };
        if first.text.contains(':') {
            return;
        }
        if rest.len() == 1 && is_interface_name(&first.text) {
            let setting = Setting { value, origin };
            self.cfg
                .interface_domains
                .push((first.text.clone(), setting));
            return;
        }
        match domain_range(&rest) {
            Ok(range) => self.cfg.domains.push(RangedDomain {
                value,
                range,
                origin,
            }),
            Err((col, msg)) => self.problem(path, d.line, col, msg),
        }
    }

    /// `dhcp-option[-force]=[tag:T,…][encap:…,][vendor:…,]OPT|option:NAME,[VALUE]`.
    fn option(&mut self, path: &Path, d: &Directive) {
        let mut tags = Vec::new();
        let mut sub_option = false;
        let mut found = None;
        for (i, f) in d.fields.iter().enumerate() {
            let t = f.text.as_str();
            let lower = t.to_ascii_lowercase();
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                found = Some((t.parse::<u32>().ok() == Some(15), false, i));
                break;
            }
            if let Some(name) = lower.strip_prefix("option:") {
                found = Some((name == "domain-name", false, i));
                break;
            }
            if let Some(name) = lower.strip_prefix("option6:") {
                found = Some((false, matches!(name, "domain-search" | "24"), i));
                break;
            }
            if ["vendor:", "encap:", "vi-encap:"]
                .iter()
                .any(|p| lower.starts_with(p))
            {
                sub_option = true;
                continue;
            }
            let name = ["tag:", "net:", "set:"]
                .iter()
                .find_map(|p| t.strip_prefix(p))
                .unwrap_or(t);
            tags.extend(Tag::parse(name));
        }
        let Some((is_15, is_24, at)) = found else {
            let msg = format!(
                "`{}` names no option number or `option:NAME`; ignored",
                d.key
            );
            self.problem(path, d.line, d.key_col, msg);
            return;
        };
        if !(is_15 || is_24) || sub_option {
            return;
        }
        let raw = d
            .fields
            .iter()
            .skip(at + 1)
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let (list, value) = if is_24 {
            let empty = dhcp_common::search_list(&raw).is_empty();
            (&mut self.cfg.options_v6, (!empty).then_some(raw))
        } else {
            (&mut self.cfg.options, clean_suffix(&raw))
        };
        list.push(Opt15 {
            tags,
            value,
            origin: Origin::new(path, d.line),
        });
    }

    /// `dhcp-range=[tag:T,…][set:T,|T,]START,END|static|proxy[,NETMASK[,BROADCAST]][,LEASE]`.
    fn range(&mut self, path: &Path, d: &Directive) {
        let mut i = 0;
        let mut set = None;
        let mut filters = Vec::new();
        while i + 1 < d.fields.len() {
            let Some(f) = d.fields.get(i) else { break };
            if looks_like_address(&f.text) {
                break;
            }
            let t = f.text.as_str();
            match t.strip_prefix("tag:").or_else(|| t.strip_prefix("net:")) {
                Some(name) => filters.extend(Tag::parse(name)),
                None => set = Some(t.strip_prefix("set:").unwrap_or(t).to_owned()),
            }
            i += 1;
        }
        let addr = d.fields.get(i..).unwrap_or(&[]);
        let Some(start_f) = addr.first() else {
            self.problem(
                path,
                d.line,
                d.key_col,
                "`dhcp-range` without addresses; ignored",
            );
            return;
        };
        if start_f.text.parse::<Ipv6Addr>().is_ok() {
            self.range6(path, d, addr, set, filters);
            return;
        }
        let Some(start) = dhcp_common::ipv4(&start_f.text) else {
            let msg = format!(
                "`dhcp-range` start `{}` is not an IPv4 address; ignored",
                start_f.text
            );
            self.problem(path, d.line, start_f.col, msg);
            return;
        };
        let Some(second) = addr.get(1) else {
            let msg =
                "`dhcp-range` needs an end address, `static` or `proxy` after the start; ignored";
            self.problem(path, d.line, start_f.col, msg);
            return;
        };
        let mode = second.text.to_ascii_lowercase();
        if mode == "proxy" {
            return;
        }
        let is_static = mode == "static";
        let end = if is_static {
            start
        } else if let Some(end) = dhcp_common::ipv4(&second.text) {
            end
        } else {
            let msg = format!(
                "`dhcp-range` end `{}` is neither an IPv4 address nor `static` / `proxy`; ignored",
                second.text
            );
            self.problem(path, d.line, second.col, msg);
            return;
        };
        let subnet = self.netmask(path, d.line, addr.get(2), start);
        self.cfg.ranges.push(DhcpRange {
            addresses: if is_static {
                subnet
            } else {
                Some(Ipv4Range::new(start, end))
            },
            start,
            subnet,
            set,
            filters,
            origin: Origin::new(path, d.line),
        });
    }

    /// An IPv6 `dhcp-range`: `START[,END|,constructor:IF][,MODE…][,PREFIX-LEN][,LEASE]`.
    fn range6(
        &mut self,
        path: &Path,
        d: &Directive,
        addr: &[Field],
        set: Option<String>,
        filters: Vec<Tag>,
    ) {
        let lower = |f: &Field| f.text.to_ascii_lowercase();
        if addr.iter().any(|f| lower(f) == "ra-only") {
            return;
        }
        let mut label = addr.first().map(|f| f.text.clone()).unwrap_or_default();
        if let Some(second) = addr.get(1)
            && second.text.parse::<Ipv6Addr>().is_ok()
        {
            label = format!("{label}-{}", second.text);
        }
        if let Some(c) = addr.iter().find(|f| lower(f).starts_with("constructor:")) {
            label = format!("{label} {}", c.text);
        }
        self.cfg.ranges_v6.push(DhcpRange6 {
            label,
            set,
            filters,
            origin: Origin::new(path, d.line),
        });
    }

    /// The subnet of a `dhcp-range` netmask field (one holding a `.`); lease times are not masks.
    fn netmask(
        &mut self,
        path: &Path,
        line: usize,
        field: Option<&Field>,
        start: Ipv4Addr,
    ) -> Option<Ipv4Range> {
        let f = field.filter(|f| f.text.contains('.'))?;
        let subnet = dhcp_common::ipv4(&f.text).and_then(|m| Ipv4Range::from_mask(start, m));
        if subnet.is_none() {
            let msg = format!("`{}` is not a valid IPv4 netmask; netmask ignored", f.text);
            self.problem(path, line, f.col, msg);
        }
        subnet
    }

    /// `dhcp-host=[HWADDR…][,id:…][,set:T][,tag:T][,IPV4][,NAME][,LEASE][,ignore]`.
    fn host(&mut self, path: &Path, d: &Directive) {
        let mut ip = None;
        let mut name = None;
        let mut sets = Vec::new();
        for f in &d.fields {
            let t = f.text.as_str();
            let lower = t.to_ascii_lowercase();
            if let Some(a) = dhcp_common::ipv4(t) {
                ip = ip.or(Some(a));
            } else if let Some(tag) = t.strip_prefix("set:").or_else(|| t.strip_prefix("net:")) {
                sets.push(tag.to_owned());
            } else if lower == "ignore" {
                return;
            } else if !(t.is_empty()
                || lower.starts_with("tag:")
                || lower.starts_with("id:")
                || t.starts_with('[')
                || is_lease_time(&lower)
                || is_hardware_address(t))
            {
                name = name.or_else(|| Some(t.to_owned()));
            }
        }
        let Some(ip) = ip else {
            return;
        };
        self.cfg.hosts.push(DhcpHost {
            ip,
            name: name.unwrap_or_else(|| ip.to_string()),
            sets,
            origin: Origin::new(path, d.line),
        });
    }

    /// `dhcp-optsfile=PATH` and the like: remembered, read after the configuration.
    fn bank(&mut self, path: &Path, d: &Directive, key: &'static str) {
        let Some(first) = d.fields.first().filter(|f| !f.text.is_empty()) else {
            let msg = format!("`{}` without a file or folder; ignored", d.key);
            self.problem(path, d.line, d.key_col, msg);
            return;
        };
        let target = d
            .fields
            .iter()
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>()
            .join(",");
        self.banks.push(Bank {
            key,
            path: dhcp_common::resolve(path, &target),
            from: Origin::new(path, d.line),
            col: first.col,
        });
    }

    /// `tag-if=set:T[,set:T…][,tag:T…]`, the forms in any order.
    fn tag_if(&mut self, path: &Path, d: &Directive) {
        let mut line = TagIf {
            sets: Vec::new(),
            conditions: Vec::new(),
        };
        for f in &d.fields {
            if let Some(name) = f.text.strip_prefix("set:").filter(|n| !n.is_empty()) {
                line.sets.push(name.to_owned());
            } else if let Some(tag) = f.text.strip_prefix("tag:").and_then(Tag::parse) {
                line.conditions.push(tag);
            } else {
                let msg = format!(
                    "`{}` in `tag-if` is neither `set:TAG` nor `tag:TAG`; the line is ignored",
                    f.text
                );
                self.problem(path, d.line, f.col, msg);
                return;
            }
        }
        if line.sets.is_empty() {
            self.problem(path, d.line, d.key_col, "`tag-if` sets no tag; ignored");
            return;
        }
        self.cfg.tag_ifs.push(line);
    }

    fn conf_file(&mut self, path: &Path, d: &Directive) {
        let Some(first) = d.fields.first().filter(|f| !f.text.is_empty()) else {
            return;
        };
        let target = d
            .fields
            .iter()
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>()
            .join(",");
        if target == "-" {
            let msg = "`conf-file=-` reads standard input, which is not available here; ignored";
            self.problem(path, d.line, first.col, msg);
            return;
        }
        let file = dhcp_common::resolve(path, &target);
        self.include(&file, path, d.line, first.col);
    }

    /// `conf-dir=DIR[,.ext…][,*.ext…]`: every file but those ending in an excluded extension, or
    /// only those ending in an included one.
    fn conf_dir(&mut self, path: &Path, d: &Directive) {
        let Some(dir_f) = d.fields.first().filter(|f| !f.text.is_empty()) else {
            self.problem(
                path,
                d.line,
                d.key_col,
                "`conf-dir` without a folder; ignored",
            );
            return;
        };
        let (only, skip): (Vec<&str>, Vec<&str>) = d
            .fields
            .iter()
            .skip(1)
            .map(|f| f.text.as_str())
            .filter(|t| !t.is_empty())
            .partition(|t| t.starts_with('*'));
        let only: Vec<&str> = only.iter().map(|t| t.trim_start_matches('*')).collect();
        let dir = dhcp_common::resolve(path, &dir_f.text);
        let names = match self.includes.list_dir(&dir, MAX_DIR_ENTRIES) {
            Ok(names) => names,
            Err(e) => {
                let msg = format!(
                    "cannot read configuration folder `{}`: {e}; not read",
                    dir.to_string_lossy().replace('\\', "/")
                );
                self.problem(path, d.line, dir_f.col, msg);
                return;
            }
        };
        for name in names {
            let shown = name.to_string_lossy();
            let wanted = !always_skipped(&shown)
                && !skip.iter().any(|ext| shown.ends_with(ext))
                && (only.is_empty() || only.iter().any(|ext| shown.ends_with(ext)));
            if wanted {
                self.include(&dir.join(&name), path, d.line, dir_f.col);
            }
        }
    }

    fn include(&mut self, file: &Path, from: &Path, line: usize, col: usize) {
        match self.includes.enter(file) {
            Ok(source) => {
                self.read_file(file, &source.text);
                self.includes.leave();
            }
            Err(e) => self.problem(from, line, col, e.to_string()),
        }
    }
}

/// `START,END`, `IP/LEN` or a single `IP`, as the fields after a `domain=` name.
fn domain_range(fields: &[&Field]) -> Result<Ipv4Range, (usize, String)> {
    let bad = |f: &Field| {
        (
            f.col,
            format!(
                "`{}` is not an IPv4 address or prefix; the domain line is ignored",
                f.text
            ),
        )
    };
    let first = fields.first().ok_or((1, String::new()))?;
    if let Some((a, len)) = first.text.split_once('/') {
        let range = dhcp_common::ipv4(a)
            .zip(len.trim().parse::<u8>().ok())
            .and_then(|(a, len)| Ipv4Range::from_prefix(a, len));
        return range.ok_or_else(|| bad(first));
    }
    let start = dhcp_common::ipv4(&first.text).ok_or_else(|| bad(first))?;
    let end = match fields.get(1) {
        Some(f) => dhcp_common::ipv4(&f.text).ok_or_else(|| bad(f))?,
        None => start,
    };
    Ok(Ipv4Range::new(start, end))
}

/// An interface name (`eth0`, `br-lan`, `eth0.100`) rather than a mistyped IPv4 address.
fn is_interface_name(t: &str) -> bool {
    !t.is_empty()
        && !t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
}

/// dnsmasq treats a first `dhcp-range` field made only of these characters as the start address.
fn looks_like_address(t: &str) -> bool {
    t.chars()
        .all(|c| c == ' ' || c == '.' || c == ':' || c.is_ascii_hexdigit())
}

fn is_lease_time(lower: &str) -> bool {
    if lower == "infinite" {
        return true;
    }
    let digits = lower
        .strip_suffix(['s', 'm', 'h', 'd', 'w'])
        .unwrap_or(lower);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `00:11:22:33:44:55`, `06-00:20:…`, wildcards, or `00-11-22-33-44-55`.
fn is_hardware_address(t: &str) -> bool {
    if t.contains(':') || t.contains('*') {
        return true;
    }
    let parts: Vec<&str> = t.split('-').collect();
    parts.len() >= 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Names dnsmasq never reads from a `conf-dir`.
fn always_skipped(name: &str) -> bool {
    name.ends_with('~') || name.starts_with('.') || (name.starts_with('#') && name.ends_with('#'))
}

fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 60;
    if text.chars().count() <= MAX_CHARS {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(MAX_CHARS).collect::<String>())
    }
}

// ---------------------------------------------------------------------------------------------
// Scopes

/// Where a client's option 15 comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Option(usize),
    Domain(usize),
    Global,
    Nothing,
}

/// The `dhcp-option` for 15 dnsmasq sends: tagged lines matching `first` (host tags, range
/// filters) before those that need the range's own `context` tag, then untagged lines; the later
/// line first in each step. Both tag sets get what the `tag-if` lines set, as `option_filter`
/// runs them on each.
fn pick_option(cfg: &Config, opts: &[Opt15], first: &[&str], context: &[&str]) -> Option<usize> {
    let with_context: Vec<&str> = first.iter().chain(context).copied().collect();
    let all = cfg.run_tag_ifs(&with_context);
    let first = cfg.run_tag_ifs(first);
    let first = first.as_slice();
    let later_first = || (0..opts.len()).rev();
    let is = |i: usize, f: &dyn Fn(&Opt15) -> bool| opts.get(i).is_some_and(f);
    later_first()
        .find(|&i| is(i, &|o| o.tagged() && o.matches(first) && o.matches(&all)))
        .or_else(|| later_first().find(|&i| is(i, &|o| o.tagged() && o.matches(&all))))
        .or_else(|| later_first().find(|&i| is(i, &|o| !o.tagged())))
}

/// `span` cut where the ranged `domain=` lines holding its addresses change: consecutive pieces,
/// each with the line dnsmasq uses there (the later of those holding it; `None` where none
/// does). A sweep over the lines' ends, so many lines cost little.
fn domain_pieces(domains: &[RangedDomain], span: Ipv4Range) -> Vec<(Ipv4Range, Option<usize>)> {
    let lo = u64::from(u32::from(span.start));
    let end = u64::from(u32::from(span.end)) + 1;
    // (address, starts holding it, line): a line stops holding one past its last address.
    let mut events: Vec<(u64, bool, usize)> = Vec::new();
    for (i, d) in domains.iter().enumerate() {
        let first = u64::from(u32::from(d.range.start)).max(lo);
        let past = (u64::from(u32::from(d.range.end)) + 1).min(end);
        if first < past {
            events.push((first, true, i));
            events.push((past, false, i));
        }
    }
    events.sort_unstable();
    let addr = |n: u64| Ipv4Addr::from(u32::try_from(n).unwrap_or(u32::MAX));
    let mut holding = std::collections::BTreeSet::new();
    let mut pieces: Vec<(Ipv4Range, Option<usize>)> = Vec::new();
    let mut next_event = events.iter().peekable();
    let mut at = lo;
    while at < end {
        while let Some(&(_, starts, i)) = next_event.next_if(|e| e.0 <= at) {
            if starts {
                holding.insert(i);
            } else {
                holding.remove(&i);
            }
        }
        let until = next_event.peek().map_or(end, |e| e.0.min(end));
        let winner = holding.last().copied();
        match pieces.last_mut() {
            Some((range, w)) if *w == winner => range.end = addr(until - 1),
            _ => pieces.push((Ipv4Range::new(addr(at), addr(until - 1)), winner)),
        }
        at = until;
    }
    pieces
}

struct Resolver<'a> {
    cfg: &'a Config,
    /// Which option lines decided some scope.
    used: Vec<bool>,
}

impl<'a> Resolver<'a> {
    /// The `dhcp-option` line for option 15 a client with these tags gets, if any.
    fn option(&mut self, first: &[&str], context: &[&str]) -> Option<Choice> {
        let i = pick_option(self.cfg, &self.cfg.options, first, context)?;
        if let Some(u) = self.used.get_mut(i) {
            *u = true;
        }
        Some(Choice::Option(i))
    }

    /// What `domain=` gives a client at `ip`: the later ranged line holding it, else the global
    /// one.
    fn domain_at(&self, ip: Ipv4Addr) -> Choice {
        match self.cfg.domains.iter().rposition(|d| d.range.contains(ip)) {
            Some(i) => Choice::Domain(i),
            None => self.global_or_nothing(),
        }
    }

    fn global_or_nothing(&self) -> Choice {
        match self.cfg.global_domain {
            Some(_) => Choice::Global,
            None => Choice::Nothing,
        }
    }

    fn suffix(&self, choice: Choice) -> Option<String> {
        match choice {
            Choice::Option(i) => self.cfg.options.get(i).and_then(|o| o.value.clone()),
            Choice::Domain(i) => self.cfg.domains.get(i).map(|d| d.value.clone()),
            Choice::Global => self.cfg.global_domain.as_ref().map(|g| g.value.clone()),
            Choice::Nothing => None,
        }
    }

    fn origin(&self, choice: Choice) -> Option<Origin> {
        match choice {
            Choice::Option(i) => self.cfg.options.get(i).map(|o| o.origin.clone()),
            Choice::Domain(i) => self.cfg.domains.get(i).map(|d| d.origin.clone()),
            Choice::Global => self.cfg.global_domain.as_ref().map(|g| g.origin.clone()),
            Choice::Nothing => None,
        }
    }

    /// The `dhcp-option` a client in `range` (or none) carrying `extra` tags of its own gets.
    fn option_for(&mut self, range: Option<&DhcpRange>, extra: &[&str]) -> Option<Choice> {
        let mut first: Vec<&str> = extra.to_vec();
        let mut context = Vec::new();
        if let Some(r) = range {
            first.extend(r.filter_names());
            context.extend(r.set.as_deref());
        }
        self.option(&first, &context)
    }

    /// The parts of `span` and where their option 15 comes from: one part when a `dhcp-option`
    /// decides, else one per `domain=` line naming some of its addresses (pieces of the same
    /// line together), in address order.
    fn parts(
        &mut self,
        range: Option<&DhcpRange>,
        span: Ipv4Range,
    ) -> Vec<(Choice, Vec<Ipv4Range>)> {
        if let Some(choice) = self.option_for(range, &[]) {
            return vec![(choice, vec![span])];
        }
        let mut parts: Vec<(Choice, Vec<Ipv4Range>)> = Vec::new();
        for (piece, winner) in domain_pieces(&self.cfg.domains, span) {
            let choice = winner.map_or_else(|| self.global_or_nothing(), Choice::Domain);
            match parts.iter_mut().find(|(c, _)| *c == choice) {
                Some((_, pieces)) => pieces.push(piece),
                None => parts.push((choice, vec![piece])),
            }
        }
        // The range's own part (global domain or none) first, then the ranged lines.
        parts.sort_by_key(|(choice, _)| matches!(choice, Choice::Domain(_)));
        parts
    }
}

/// The narrowest range handing out `ip`, else the narrowest whose netmask subnet holds it.
fn range_of(cfg: &Config, ip: Ipv4Addr) -> Option<&DhcpRange> {
    let narrowest = |f: &dyn Fn(&DhcpRange) -> Option<Ipv4Range>| {
        cfg.ranges
            .iter()
            .filter_map(|r| f(r).filter(|s| s.contains(ip)).map(|s| (r, s.size())))
            .min_by_key(|(_, size)| *size)
            .map(|(r, _)| r)
    };
    narrowest(&|r| r.addresses).or_else(|| narrowest(&|r| r.subnet))
}

/// The narrowest range overlapping `span`, for the tags a ranged domain's clients carry.
fn range_overlapping(cfg: &Config, span: Ipv4Range) -> Option<&DhcpRange> {
    cfg.ranges
        .iter()
        .filter(|r| {
            let s = r.span();
            s.start <= span.end && span.start <= s.end
        })
        .min_by_key(|r| r.span().size())
}

/// Whether `piece` holds an address that no `dhcp-range` hands out.
fn beyond_ranges(cfg: &Config, piece: Ipv4Range) -> bool {
    let mut held: Vec<Ipv4Range> = cfg.ranges.iter().filter_map(|r| r.addresses).collect();
    held.sort_unstable();
    let mut next = u64::from(u32::from(piece.start));
    let end = u64::from(u32::from(piece.end));
    for r in held {
        if u64::from(u32::from(r.start)) > next {
            break;
        }
        next = next.max(u64::from(u32::from(r.end)) + 1);
        if next > end {
            return false;
        }
    }
    true
}

fn scopes(cfg: &Config) -> Vec<Scope> {
    let mut res = Resolver {
        cfg,
        used: vec![false; cfg.options.len()],
    };
    let mut names = Names::default();
    let mut out = Vec::new();

    let global_choice = res
        .option(&[], &[])
        .unwrap_or_else(|| res.global_or_nothing());
    let global = res.suffix(global_choice);
    if let (Some(value), Some(origin)) = (&global, res.origin(global_choice)) {
        out.push(Scope {
            name: names.unique("server default".into()),
            suffix: Some(value.clone()),
            search_v6: Vec::new(),
            ranges: Vec::new(),
            origin,
        });
    }

    for r in &cfg.ranges {
        let label = r
            .addresses
            .map_or_else(|| r.start.to_string(), |a| a.to_string());
        let Some(addresses) = r.addresses else {
            let choice = res
                .option_for(Some(r), &[])
                .unwrap_or_else(|| res.domain_at(r.start));
            out.push(Scope {
                name: names.unique(format!("dhcp-range {label}")),
                suffix: res.suffix(choice),
                search_v6: Vec::new(),
                ranges: Vec::new(),
                origin: r.origin.clone(),
            });
            continue;
        };
        let parts = res.parts(Some(r), addresses);
        let split = parts.len() > 1;
        for (choice, pieces) in parts {
            let (name, origin) = match (split, choice) {
                (true, Choice::Domain(i)) => {
                    let d = cfg.domains.get(i);
                    let named = d.map_or_else(String::new, |d| format!(", domain {}", d.range));
                    let origin = d.map_or_else(|| r.origin.clone(), |d| d.origin.clone());
                    (format!("dhcp-range {label}{named}"), origin)
                }
                _ => (format!("dhcp-range {label}"), r.origin.clone()),
            };
            out.push(Scope {
                name: names.unique(name),
                suffix: res.suffix(choice),
                search_v6: Vec::new(),
                ranges: if split { pieces } else { vec![addresses] },
                origin,
            });
        }
    }

    for (i, d) in cfg.domains.iter().enumerate() {
        let held: Vec<Ipv4Range> = domain_pieces(&cfg.domains, d.range)
            .into_iter()
            .filter(|(_, w)| *w == Some(i))
            .map(|(piece, _)| piece)
            .collect();
        if !held.iter().any(|p| beyond_ranges(cfg, *p)) {
            continue;
        }
        let choice = res
            .option_for(range_overlapping(cfg, d.range), &[])
            .unwrap_or(Choice::Domain(i));
        out.push(Scope {
            name: names.unique(format!("domain {}", d.range)),
            suffix: res.suffix(choice),
            search_v6: Vec::new(),
            ranges: held,
            origin: d.origin.clone(),
        });
    }

    // The subnets of an interface are not in the configuration: a scope without ranges.
    for (interface, d) in &cfg.interface_domains {
        let choice = res.option_for(None, &[]);
        out.push(Scope {
            name: names.unique(format!("domain interface {interface}")),
            suffix: choice.map_or_else(|| Some(d.value.clone()), |c| res.suffix(c)),
            search_v6: Vec::new(),
            ranges: Vec::new(),
            origin: d.origin.clone(),
        });
    }

    let mut host_scopes = Vec::new();
    for h in &cfg.hosts {
        // A client that matches a `dhcp-host` also carries the tag `known` (dnsmasq(8)).
        let sets: Vec<&str> = h.sets.iter().map(String::as_str).chain(["known"]).collect();
        let span = Ipv4Range::new(h.ip, h.ip);
        let choice = res
            .option_for(range_of(cfg, h.ip), &sets)
            .unwrap_or_else(|| res.domain_at(h.ip));
        let suffix = res.suffix(choice);
        let parent = out
            .iter()
            .filter_map(|s| {
                let holding = s.ranges.iter().filter(|r| r.contains(h.ip));
                holding.map(Ipv4Range::size).min().map(|size| (s, size))
            })
            .min_by_key(|(_, size)| *size)
            .map(|(s, _)| s)
            .map_or_else(|| global.clone(), |s| s.suffix.clone());
        if !same(&suffix, &parent) {
            host_scopes.push(Scope {
                name: names.unique(format!("host {}", h.name)),
                suffix,
                search_v6: Vec::new(),
                ranges: vec![span],
                origin: h.origin.clone(),
            });
        }
    }
    out.extend(host_scopes);

    let search = |first: &[&str], context: &[&str]| {
        pick_option(cfg, &cfg.options_v6, first, context)
            .and_then(|i| cfg.options_v6.get(i))
            .map(|o| {
                (
                    o.value.as_deref().map(dhcp_common::search_list),
                    o.origin.clone(),
                )
            })
    };
    if let Some((Some(list), origin)) = search(&[], &[]) {
        out.push(Scope {
            name: names.unique("server default (DHCPv6)".into()),
            suffix: None,
            search_v6: list,
            ranges: Vec::new(),
            origin,
        });
    }
    for r in &cfg.ranges_v6 {
        let first: Vec<&str> = positive_names(&r.filters).collect();
        let context: Vec<&str> = r.set.as_deref().into_iter().collect();
        let list = search(&first, &context)
            .and_then(|(l, _)| l)
            .unwrap_or_default();
        out.push(Scope {
            name: names.unique(format!("dhcp-range {}", r.label)),
            suffix: None,
            search_v6: list,
            ranges: Vec::new(),
            origin: r.origin.clone(),
        });
    }

    for (i, o) in cfg.options.iter().enumerate() {
        let decided = res.used.get(i).copied().unwrap_or(true);
        let tags: Vec<String> = o.tags.iter().map(Tag::shown).collect();
        // A later line for the same tags is the one dnsmasq sends to every client of them.
        let shadowed = cfg.options.iter().skip(i + 1).any(|later| {
            let mut theirs: Vec<String> = later.tags.iter().map(Tag::shown).collect();
            let mut ours = tags.clone();
            theirs.sort_unstable();
            ours.sort_unstable();
            theirs.dedup();
            ours.dedup();
            theirs == ours
        });
        if decided || shadowed || !o.tagged() || o.value.is_none() {
            continue;
        }
        out.push(Scope {
            name: names.unique(format!("tag {}", tags.join("+"))),
            suffix: o.value.clone(),
            search_v6: Vec::new(),
            ranges: Vec::new(),
            origin: o.origin.clone(),
        });
    }
    out
}

fn same(a: &Option<String>, b: &Option<String>) -> bool {
    a.as_deref().map(DnsName) == b.as_deref().map(DnsName)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::model::MAX_PROBLEMS;
    use crate::observe::reader_tests::{
        assert_claims_only, dhcp_fixtures, parse_file, problem_lines, random_texts, summary, utf16,
        write,
    };

    const FIXTURE: &str = include_str!("../../tests/fixtures/dhcp/dnsmasq.conf");

    fn inline(text: &str) -> Parsed {
        parse(Path::new("dnsmasq.conf"), text)
    }

    /// The suffix of the scope called `name`.
    fn suffix_of<'a>(p: &'a Parsed, name: &str) -> Option<&'a str> {
        let scope = p.scopes.iter().find(|s| s.name == name);
        scope.unwrap_or_else(|| panic!("no scope {name}: {:?}", summary(p)));
        scope.and_then(|s| s.suffix.as_deref())
    }

    #[test]
    fn fixture_scopes_with_conf_dir() {
        let path = dhcp_fixtures().join("dnsmasq.conf");
        let p = parse(&path, FIXTURE);
        assert_eq!(problem_lines(&p), Vec::<String>::new());
        assert_eq!(
            summary(&p),
            [
                "server default | fra.company.com |  | dnsmasq.conf:16",
                "dhcp-range 10.3.4.50-10.3.4.150 | fra.company.com | 10.3.4.50-10.3.4.150 | dnsmasq.conf:21",
                "dhcp-range 192.168.20.50-192.168.20.150 | wifi.fra.company.com | 192.168.20.50-192.168.20.150 | dnsmasq.conf:22",
                "dhcp-range 10.3.9.100-10.3.9.200 | lab.fra.company.com | 10.3.9.100-10.3.9.200 | dnsmasq.conf:23",
                "dhcp-range 172.16.50.10-172.16.50.250 | guest.example.net | 172.16.50.10-172.16.50.250 | 10-guest.conf:2",
                "domain 192.168.20.0/24 | wifi.fra.company.com | 192.168.20.0/24 | dnsmasq.conf:19",
                "host ceo-laptop | exec.company.com | 10.3.4.30/32 | dnsmasq.conf:34",
                "tag phone | voice.company.com |  | 20-phones.conf:3",
            ]
        );
        let guest = &p.scopes[4];
        assert_eq!(
            guest.origin.path,
            dhcp_fixtures().join("dnsmasq.d/10-guest.conf")
        );
    }

    #[test]
    fn comments_follow_dnsmasq() {
        let p = inline(
            "# a comment line\n\
             \x20  # an indented one\n\
             domain=a.example # after white space\n\
             dhcp-range=set:x,10.0.0.10,10.0.0.20\n\
             dhcp-option=tag:x,15,\"x # y.example\"\n\
             dhcp-range=set:y,10.0.1.10,10.0.1.20\n\
             dhcp-option=tag:y,15,b#c.example\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        assert_eq!(suffix_of(&p, "server default"), Some("a.example"));
        assert_eq!(
            suffix_of(&p, "dhcp-range 10.0.0.10-10.0.0.20"),
            Some("x # y.example")
        );
        assert_eq!(
            suffix_of(&p, "dhcp-range 10.0.1.10-10.0.1.20"),
            Some("b#c.example")
        );
    }

    #[test]
    fn a_matching_dhcp_option_beats_domain() {
        let p = inline(
            "domain=global.example\n\
             domain=ranged.example,10.0.0.0/24\n\
             dhcp-range=10.0.0.10,10.0.0.20\n\
             dhcp-option=15,option.example\n",
        );
        assert_eq!(
            summary(&p),
            [
                "server default | option.example |  | dnsmasq.conf:4",
                "dhcp-range 10.0.0.10-10.0.0.20 | option.example | 10.0.0.10-10.0.0.20 | dnsmasq.conf:3",
                "domain 10.0.0.0/24 | option.example | 10.0.0.0/24 | dnsmasq.conf:2",
            ]
        );
    }

    #[test]
    fn tagged_beats_untagged_and_the_later_line_wins() {
        let p = inline(
            "dhcp-option=15,first.example\n\
             dhcp-option=option:domain-name,untagged.example\n\
             dhcp-range=set:x,10.0.0.10,10.0.0.20\n\
             dhcp-range=10.0.1.10,10.0.1.20\n\
             dhcp-range=tag:y,10.0.2.10,10.0.2.20\n\
             dhcp-option=tag:x,15,x.example\n\
             dhcp-option=net:y,15,y.example\n\
             dhcp-option=tag:x,tag:z,15,xz.example\n",
        );
        assert_eq!(suffix_of(&p, "server default"), Some("untagged.example"));
        assert_eq!(
            suffix_of(&p, "dhcp-range 10.0.0.10-10.0.0.20"),
            Some("x.example")
        );
        assert_eq!(
            suffix_of(&p, "dhcp-range 10.0.1.10-10.0.1.20"),
            Some("untagged.example")
        );
        assert_eq!(
            suffix_of(&p, "dhcp-range 10.0.2.10-10.0.2.20"),
            Some("y.example")
        );
        assert_eq!(suffix_of(&p, "tag x+z"), Some("xz.example"));
        assert_eq!(p.scopes.len(), 5, "{:?}", summary(&p));
    }

    #[test]
    fn ranged_domains_hold_exactly_the_addresses_they_name() {
        let p = inline(
            "domain=global.example\n\
             domain=part.example,10.0.0.0,10.0.0.15\n\
             domain=all.example,10.0.1.0/24,local\n\
             domain=one.example,10.0.1.5\n\
             dhcp-range=10.0.0.10,10.0.0.20\n\
             dhcp-range=10.0.1.10,10.0.1.20\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        assert_eq!(
            summary(&p)[1..],
            [
                // Part of the range is named by a domain line, the rest gets the global one.
                "dhcp-range 10.0.0.10-10.0.0.20 | global.example | 10.0.0.16-10.0.0.20 | dnsmasq.conf:5",
                "dhcp-range 10.0.0.10-10.0.0.20, domain 10.0.0.0/28 | part.example | 10.0.0.10-10.0.0.15 | dnsmasq.conf:2",
                // The later line wins for the one address it names, inside the range too.
                "dhcp-range 10.0.1.10-10.0.1.20 | all.example | 10.0.1.10-10.0.1.20 | dnsmasq.conf:6",
                "domain 10.0.0.0/28 | part.example | 10.0.0.0/28 | dnsmasq.conf:2",
                "domain 10.0.1.0/24 | all.example | 10.0.1.0-10.0.1.4 10.0.1.6-10.0.1.255 | dnsmasq.conf:3",
                "domain 10.0.1.5/32 | one.example | 10.0.1.5/32 | dnsmasq.conf:4",
            ]
        );
    }

    #[test]
    fn a_later_domain_line_takes_the_addresses_it_shares_with_an_earlier_one() {
        let p = inline(
            "domain=early.example,10.0.0.0,10.0.0.15\n\
             domain=late.example,10.0.0.8,10.0.0.31\n\
             dhcp-range=10.0.0.4,10.0.0.11\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        assert_eq!(
            summary(&p),
            [
                "dhcp-range 10.0.0.4-10.0.0.11, domain 10.0.0.0/28 | early.example | 10.0.0.4/30 | dnsmasq.conf:1",
                "dhcp-range 10.0.0.4-10.0.0.11, domain 10.0.0.8-10.0.0.31 | late.example | 10.0.0.8/30 | dnsmasq.conf:2",
                "domain 10.0.0.0/28 | early.example | 10.0.0.0/29 | dnsmasq.conf:1",
                "domain 10.0.0.8-10.0.0.31 | late.example | 10.0.0.8-10.0.0.31 | dnsmasq.conf:2",
            ]
        );
    }

    #[test]
    fn a_domain_line_holding_a_whole_range_leaves_it_one_scope() {
        let p = inline(
            "domain=global.example\n\
             domain=lan.example,10.0.0.0/24\n\
             domain=same.example,10.0.1.10,10.0.1.20\n\
             dhcp-range=10.0.0.10,10.0.0.20\n\
             dhcp-range=10.0.1.10,10.0.1.20\n",
        );
        assert_eq!(
            summary(&p)[1..],
            [
                "dhcp-range 10.0.0.10-10.0.0.20 | lan.example | 10.0.0.10-10.0.0.20 | dnsmasq.conf:4",
                "dhcp-range 10.0.1.10-10.0.1.20 | same.example | 10.0.1.10-10.0.1.20 | dnsmasq.conf:5",
                "domain 10.0.0.0/24 | lan.example | 10.0.0.0/24 | dnsmasq.conf:2",
            ]
        );
    }

    #[test]
    fn a_domain_for_an_interface_is_a_scope_without_ranges() {
        let p = inline(
            "domain=global.example\n\
             domain=lan.example,br-lan\n\
             domain=vlan.example,eth0.100\n\
             domain=typo.example,10.0.0.\n\
             dhcp-range=10.0.0.10,10.0.0.20\n",
        );
        assert_eq!(
            problem_lines(&p),
            [
                "dnsmasq.conf:4:21 `10.0.0.` is not an IPv4 address or prefix; the domain line is ignored"
            ]
        );
        assert_eq!(
            summary(&p),
            [
                "server default | global.example |  | dnsmasq.conf:1",
                "dhcp-range 10.0.0.10-10.0.0.20 | global.example | 10.0.0.10-10.0.0.20 | dnsmasq.conf:5",
                "domain interface br-lan | lan.example |  | dnsmasq.conf:2",
                "domain interface eth0.100 | vlan.example |  | dnsmasq.conf:3",
            ]
        );
    }

    #[test]
    fn an_empty_option_sends_no_suffix_and_hides_domain() {
        let p = inline(
            "domain=global.example\n\
             dhcp-range=set:quiet,10.0.0.10,10.0.0.20\n\
             dhcp-option=tag:quiet,15\n",
        );
        assert!(p.problems.is_empty());
        assert_eq!(
            summary(&p),
            [
                "server default | global.example |  | dnsmasq.conf:1",
                "dhcp-range 10.0.0.10-10.0.0.20 | - | 10.0.0.10-10.0.0.20 | dnsmasq.conf:2",
            ]
        );
    }

    #[test]
    fn host_tags_beat_the_range_tag() {
        let p = inline(
            "dhcp-range=set:lan,10.0.0.10,10.0.0.20,255.255.255.0\n\
             dhcp-option=tag:lan,15,lan.example\n\
             dhcp-host=aa:bb:cc:dd:ee:ff,set:vip,vip-pc,10.0.0.15\n\
             dhcp-option=tag:vip,15,vip.example\n\
             dhcp-host=aa-bb-cc-dd-ee-01,plain-pc,10.0.0.16,2h\n\
             dhcp-host=10.0.0.17,set:vip\n\
             dhcp-host=aa:bb:cc:dd:ee:02,set:vip,ignored-pc,10.0.0.18,ignore\n\
             dhcp-host=aa:bb:cc:dd:ee:03,set:vip,no-address\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        assert_eq!(
            summary(&p),
            [
                "dhcp-range 10.0.0.10-10.0.0.20 | lan.example | 10.0.0.10-10.0.0.20 | dnsmasq.conf:1",
                "host vip-pc | vip.example | 10.0.0.15/32 | dnsmasq.conf:3",
                "host 10.0.0.17 | vip.example | 10.0.0.17/32 | dnsmasq.conf:6",
            ]
        );
    }

    #[test]
    fn hosts_carry_the_known_tag() {
        let p = inline(
            "domain=global.example\n\
             dhcp-range=10.0.0.10,10.0.0.20,255.255.255.0\n\
             dhcp-option=tag:known,15,known.example\n\
             dhcp-option=tag:!known,15,unknown.example\n\
             dhcp-host=aa:bb:cc:dd:ee:ff,kiosk,10.0.0.5\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        assert_eq!(
            summary(&p),
            [
                "server default | unknown.example |  | dnsmasq.conf:4",
                "dhcp-range 10.0.0.10-10.0.0.20 | unknown.example | 10.0.0.10-10.0.0.20 | dnsmasq.conf:2",
                "host kiosk | known.example | 10.0.0.5/32 | dnsmasq.conf:5",
            ]
        );
    }

    #[test]
    fn tag_if_lines_set_tags_in_order() {
        let p = inline(
            "dhcp-range=set:wired,10.0.0.10,10.0.0.20\n\
             dhcp-range=set:wifi,10.0.1.10,10.0.1.20\n\
             dhcp-range=set:ppp0,10.0.2.10,10.0.2.20\n\
             tag-if=set:corp,tag:wired\n\
             tag-if=tag:corp,set:hq,tag:!guest\n\
             tag-if=set:dialup,tag:ppp*\n\
             dhcp-option=15,default.example\n\
             dhcp-option=tag:hq,15,hq.example\n\
             dhcp-option=tag:dialup,15,dialup.example\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        assert_eq!(
            summary(&p),
            [
                "server default | default.example |  | dnsmasq.conf:7",
                "dhcp-range 10.0.0.10-10.0.0.20 | hq.example | 10.0.0.10-10.0.0.20 | dnsmasq.conf:1",
                "dhcp-range 10.0.1.10-10.0.1.20 | default.example | 10.0.1.10-10.0.1.20 | dnsmasq.conf:2",
                "dhcp-range 10.0.2.10-10.0.2.20 | dialup.example | 10.0.2.10-10.0.2.20 | dnsmasq.conf:3",
            ]
        );
        let bad = inline("tag-if=tag:x\ntag-if=set:y,other\n");
        assert_eq!(
            problem_lines(&bad),
            [
                "dnsmasq.conf:1:1 `tag-if` sets no tag; ignored",
                "dnsmasq.conf:2:14 `other` in `tag-if` is neither `set:TAG` nor `tag:TAG`; the line is ignored",
            ]
        );
    }

    #[test]
    fn a_tagged_option_repeated_later_for_the_same_tags_is_no_scope() {
        let p = inline(
            "dhcp-option=tag:phone,15,old.example\n\
             dhcp-option=tag:phone,15,new.example\n\
             dhcp-option=tag:a,tag:b,15,ab.example\n\
             dhcp-option=tag:b,15,b.example\n",
        );
        assert_eq!(
            summary(&p),
            [
                "tag phone | new.example |  | dnsmasq.conf:2",
                "tag a+b | ab.example |  | dnsmasq.conf:3",
                "tag b | b.example |  | dnsmasq.conf:4",
            ]
        );
    }

    #[test]
    fn other_options_are_never_option_15() {
        let p = inline(
            "domain-needed\n\
             dhcp-range=10.0.0.10,10.0.0.20\n\
             dhcp-option=option:domain-search,search.example\n\
             dhcp-option=119,search.example\n\
             dhcp-option=vendor:MSFT,15,vendor.example\n\
             dhcp-option=encap:175,15,encap.example\n\
             dhcp-option=vi-encap:2,15,vi.example\n\
             dhcp-option=option6:domain-search,v6.example\n\
             dhcp-option=option:nis-domain,nis.example\n\
             local=/company.example/\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        assert_eq!(
            summary(&p),
            [
                "dhcp-range 10.0.0.10-10.0.0.20 | - | 10.0.0.10-10.0.0.20 | dnsmasq.conf:2",
                "server default (DHCPv6) | - |  | dnsmasq.conf:8",
            ]
        );
        assert_eq!(p.scopes[0].search_v6, Vec::<String>::new());
        assert_eq!(p.scopes[1].search_v6, ["v6.example"]);
    }

    #[test]
    fn ipv6_ranges_get_option_24_by_tag() {
        let p = inline(
            "dhcp-option=option6:domain-search,corp.example,\"lab.corp.example.\"\n\
             dhcp-option=tag:guest,option6:24,guest.example\n\
             dhcp-option=tag:lab,option6:domain-search\n\
             dhcp-range=::1,::400,constructor:eth0,ra-stateless\n\
             dhcp-range=set:guest,2001:db8:2::10,2001:db8:2::ff,64\n\
             dhcp-range=tag:lab,2001:db8:3::10,2001:db8:3::ff\n\
             dhcp-range=::,constructor:eth1,ra-only\n\
             dhcp-range=10.0.0.10,10.0.0.20\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
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
        let corp = vec!["corp.example", "lab.corp.example"];
        assert_eq!(
            got,
            vec![
                ("dhcp-range 10.0.0.10-10.0.0.20", vec![]),
                ("server default (DHCPv6)", corp.clone()),
                ("dhcp-range ::1-::400 constructor:eth0", corp),
                (
                    "dhcp-range 2001:db8:2::10-2001:db8:2::ff",
                    vec!["guest.example"]
                ),
                // A tagged empty option 24 wins for its tag: the range hands out none.
                ("dhcp-range 2001:db8:3::10-2001:db8:3::ff", vec![]),
            ]
        );
        assert!(p.scopes.iter().all(|s| s.suffix.is_none()));
    }

    #[test]
    fn ipv6_proxy_and_static_ranges() {
        let p = inline(
            "domain=global.example\n\
             dhcp-range=::1,::400,constructor:eth0\n\
             dhcp-range=tag:v6,2001:db8::10,2001:db8::ff,64\n\
             dhcp-range=10.0.7.0,proxy\n\
             dhcp-range=10.0.9.0,static,255.255.255.0\n\
             dhcp-range=10.0.8.0,static\n\
             domain=v6.example,2001:db8::/64\n",
        );
        assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
        assert_eq!(
            summary(&p)[1..],
            [
                "dhcp-range 10.0.9.0/24 | global.example | 10.0.9.0/24 | dnsmasq.conf:5",
                "dhcp-range 10.0.8.0 | global.example |  | dnsmasq.conf:6",
                "dhcp-range ::1-::400 constructor:eth0 | - |  | dnsmasq.conf:2",
                "dhcp-range 2001:db8::10-2001:db8::ff | - |  | dnsmasq.conf:3",
            ]
        );
        // No option 24 is configured: the IPv6 ranges hand out none.
        assert!(p.scopes.iter().all(|s| s.search_v6.is_empty()));
    }

    #[test]
    fn leading_dashes_and_non_option_lines_are_reported() {
        let p = inline("--domain=a.example\nthis is not an option\ndomain=b.example\n");
        assert_eq!(
            problem_lines(&p),
            [
                "dnsmasq.conf:1:1 `--domain`: option names in a configuration file have no leading `--` (write `domain`); line ignored",
                "dnsmasq.conf:2:1 `this is not an option` is not a dnsmasq option line (`name` or `name=value`); ignored",
            ]
        );
        assert_eq!(suffix_of(&p, "server default"), Some("b.example"));
    }

    #[test]
    fn a_range_without_a_suffix_is_an_observation_and_an_empty_domain_a_problem() {
        let p = inline("dhcp-range=10.0.0.10,10.0.0.20\ndomain=\ndomain = \"\"\ndomain=#\n");
        assert_eq!(
            summary(&p),
            ["dhcp-range 10.0.0.10-10.0.0.20 | - | 10.0.0.10-10.0.0.20 | dnsmasq.conf:1"]
        );
        let found = problem_lines(&p);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0], "dnsmasq.conf:2:8 `domain=` is empty; ignored");
        assert_eq!(found[1], "dnsmasq.conf:3:9 `domain=` is empty; ignored");
        assert!(
            found[2].starts_with("dnsmasq.conf:4:8 `domain=#` takes the domain from resolv.conf")
        );
    }

    #[test]
    fn truncated_and_malformed_lines_are_reported_and_the_rest_read() {
        let p = inline(
            "domain=global.example\n\
             dhcp-range=10.0.0.10,10.0.0.20\n\
             dhcp-option=15,\"unclosed.example\n\
             dhcp-range=10.0.1.10\n\
             dhcp-range=10.0.2.10,nowhere\n\
             dhcp-range=10.0.3.10,10.0.3.20,255.0.255.0\n\
             domain=r.example,10.0.0.\n\
             dhcp-option=tag:x\n\
             dhcp-range=10.0.4.",
        );
        assert_eq!(
            problem_lines(&p),
            [
                "dnsmasq.conf:3:16 quote not closed on this line; line ignored",
                "dnsmasq.conf:4:12 `dhcp-range` needs an end address, `static` or `proxy` after the start; ignored",
                "dnsmasq.conf:5:22 `dhcp-range` end `nowhere` is neither an IPv4 address nor `static` / `proxy`; ignored",
                "dnsmasq.conf:6:32 `255.0.255.0` is not a valid IPv4 netmask; netmask ignored",
                "dnsmasq.conf:7:18 `10.0.0.` is not an IPv4 address or prefix; the domain line is ignored",
                "dnsmasq.conf:8:1 `dhcp-option` names no option number or `option:NAME`; ignored",
                "dnsmasq.conf:9:12 `dhcp-range` start `10.0.4.` is not an IPv4 address; ignored",
            ]
        );
        assert_eq!(
            summary(&p)[1..],
            [
                "dhcp-range 10.0.0.10-10.0.0.20 | global.example | 10.0.0.10-10.0.0.20 | dnsmasq.conf:2",
                "dhcp-range 10.0.3.10-10.0.3.20 | global.example | 10.0.3.10-10.0.3.20 | dnsmasq.conf:6",
            ]
        );
    }

    #[test]
    fn conf_dir_skips_and_orders_like_dnsmasq() {
        let dir = tempfile::tempdir().unwrap();
        for (name, third) in [
            ("d/e.conf", 5),
            ("d/a.conf", 1),
            ("d/.hidden.conf", 2),
            ("d/#c.conf#", 3),
            ("d/d.bak", 4),
            ("d/b.conf~", 6),
            ("d/f.txt", 7),
        ] {
            write(
                dir.path(),
                name,
                format!("dhcp-range=10.0.{third}.10,10.0.{third}.20\n"),
            );
        }
        std::fs::create_dir_all(dir.path().join("d/sub.conf")).unwrap();
        let ranges = |conf: &str| {
            let main = write(dir.path(), "dnsmasq.conf", conf);
            let p = parse_file(&main, parse);
            assert!(p.problems.is_empty(), "{:?}", problem_lines(&p));
            p.scopes
                .iter()
                .map(|s| s.ranges[0].start.octets()[2])
                .collect::<Vec<_>>()
        };
        assert_eq!(ranges("conf-dir=d,.bak\n"), [1, 5, 7]);
        assert_eq!(ranges("conf-dir=d,*.conf\n"), [1, 5]);
        assert_eq!(ranges("conf-dir=d\n"), [1, 4, 5, 7]);
    }

    #[test]
    fn conf_dirs_and_files_are_read_from_memory() {
        let files: std::collections::BTreeMap<_, _> = [
            ("/m/extra.conf", "dhcp-range=10.0.1.10,10.0.1.20\n"),
            (
                "/m/d/a.conf",
                "dhcp-range=10.0.2.10,10.0.2.20\nconf-dir=.\n",
            ),
            ("/m/d/b.bak", "dhcp-range=10.0.3.10,10.0.3.20\n"),
        ]
        .into_iter()
        .map(|(p, t)| (std::path::PathBuf::from(p), t.as_bytes().to_vec()))
        .collect();
        let text = "domain=m.example\nconf-file=extra.conf\nconf-dir=d,.bak\nconf-file=gone.conf\n";
        let p = parse_in(
            Path::new("/m/dnsmasq.conf"),
            text,
            Files::Memory(std::sync::Arc::new(files)),
        );
        let found = problem_lines(&p);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("a.conf:2:10 ") && found[0].contains("includes itself"));
        assert!(found[1].starts_with("dnsmasq.conf:4:11 cannot read included `"));
        let thirds: Vec<u8> = p
            .scopes
            .iter()
            .filter_map(|s| s.ranges.first())
            .map(|r| r.start.octets()[2])
            .collect();
        // b.bak is skipped by `conf-dir=d,.bak` but read by a.conf's own `conf-dir=.`.
        assert_eq!(thirds, [1, 2, 3]);
    }

    #[test]
    fn include_loops_and_missing_files_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let main = write(
            dir.path(),
            "dnsmasq.conf",
            "domain=global.example\nconf-file=extra.conf\nconf-file=missing.conf\n\
             conf-dir=missing.d\nconf-dir=loop.d\ndhcp-range=10.0.0.10,10.0.0.20\n",
        );
        write(
            dir.path(),
            "extra.conf",
            "dhcp-range=10.0.1.10,10.0.1.20\nconf-file=dnsmasq.conf\n",
        );
        write(dir.path(), "loop.d/x.conf", "conf-dir=.\n");
        let p = parse_file(&main, parse);
        let found = problem_lines(&p);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].starts_with("extra.conf:2:11 "), "{}", found[0]);
        assert!(found[0].contains("includes itself"));
        assert!(found[1].starts_with("dnsmasq.conf:3:11 cannot read included `"));
        assert!(found[1].ends_with("; not read"));
        assert!(found[2].starts_with("dnsmasq.conf:4:10 cannot read configuration folder `"));
        assert!(found[3].starts_with("x.conf:1:10 ") && found[3].contains("includes itself"));
        assert_eq!(p.scopes.len(), 3);
    }

    #[test]
    fn a_hosts_file_that_is_not_one_is_refused_without_quoting_it() {
        let dir = tempfile::tempdir().unwrap();
        let main = write(dir.path(), "dnsmasq.conf", "dhcp-hostsfile=secret\n");
        write(
            dir.path(),
            "secret",
            "root:x:0:0:root:/root:/bin/bash\nroot password hunter2, do not share\n",
        );
        let p = parse_file(&main, parse);
        let found = problem_lines(&p);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("dnsmasq.conf:1:16 `")
                && found[0].ends_with(
                    "is not a dnsmasq options or hosts file; not read, and nothing of it is shown"
                ),
            "{found:?}"
        );
        assert!(!found[0].contains("root:x") && !found[0].contains("hunter2"));
    }

    #[test]
    fn option_and_host_files_are_read_after_the_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let main = write(
            dir.path(),
            "dnsmasq.conf",
            "dhcp-optsfile=opts.txt\n\
             dhcp-hostsdir=hosts.d\n\
             dhcp-optsdir=missing.d\n\
             dhcp-range=set:lab,10.0.0.10,10.0.0.20,255.255.255.0\n\
             dhcp-option=tag:lab,15,main.example\n\
             dhcp-option=tag:vip,15,vip.example\n",
        );
        write(
            dir.path(),
            "opts.txt",
            "# read after dnsmasq.conf: the later line for tag lab\n\
             tag:lab,option:domain-name,lab.example   # comment\n",
        );
        write(
            dir.path(),
            "hosts.d/10-vip",
            "aa:bb:cc:dd:ee:ff,set:vip,vip-pc,10.0.0.15\n",
        );
        write(
            dir.path(),
            "hosts.d/.hidden",
            "aa:bb:cc:dd:ee:01,set:vip,x,10.0.0.16\n",
        );
        let p = parse_file(&main, parse);
        let found = problem_lines(&p);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("dnsmasq.conf:3:14 cannot read"),
            "{found:?}"
        );
        assert!(found[0].contains("missing.d") && found[0].ends_with("; not read"));
        assert_eq!(
            summary(&p),
            [
                "dhcp-range 10.0.0.10-10.0.0.20 | lab.example | 10.0.0.10-10.0.0.20 | dnsmasq.conf:4",
                "host vip-pc | vip.example | 10.0.0.15/32 | 10-vip:1",
            ]
        );
    }

    #[test]
    fn included_files_in_other_encodings() {
        let dir = tempfile::tempdir().unwrap();
        let main = write(
            dir.path(),
            "dnsmasq.conf",
            "conf-file=latin1.conf\nconf-file=utf16.conf\n",
        );
        write(dir.path(), "latin1.conf", b"domain=caf\xe9.example\n");
        write(
            dir.path(),
            "utf16.conf",
            utf16("domain=utf16.example\r\n", true),
        );
        let p = parse_file(&main, parse);
        let found = problem_lines(&p);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("dnsmasq.conf:1:11 cannot read included"));
        assert!(
            found[0].contains("not valid UTF-8 (byte 10)"),
            "{}",
            found[0]
        );
        assert_eq!(
            summary(&p),
            ["server default | utf16.example |  | utf16.conf:1"]
        );
    }

    #[test]
    fn garbage_is_survived_and_reported() {
        let p = inline("\u{0}\u{1}ELF\u{2}\u{7f}\n\u{fffd}\u{fffd}=\u{3}\ndomain=ok.example\n");
        assert_eq!(
            problem_lines(&p),
            [
                "dnsmasq.conf:1:1 control characters: not a configuration line; ignored",
                "dnsmasq.conf:2:4 control characters: not a configuration line; ignored",
            ]
        );
        assert_eq!(suffix_of(&p, "server default"), Some("ok.example"));
    }

    #[test]
    fn random_input_never_panics() {
        const PIECES: [&str; 16] = [
            "=",
            ",",
            "\"",
            "#",
            "\\",
            "\n",
            " ",
            "dhcp-range",
            "domain",
            "10.0.0.1",
            "tag:",
            "set:x",
            "dhcp-option",
            "15",
            "conf-dir=",
            "é",
        ];
        for text in random_texts(&PIECES, 0x9E37_79B9_7F4A_7C15) {
            let p = inline(&text);
            assert!(p.problems.len() <= MAX_PROBLEMS + 1);
        }
    }

    #[test]
    fn sniff_accepts_dnsmasq_and_rejects_other_kinds() {
        assert!(sniff(FIXTURE));
        assert!(sniff(include_str!(
            "../../tests/fixtures/dhcp/dnsmasq.d/10-guest.conf"
        )));
        assert!(sniff("bind-interfaces\nno-resolv\n"));
        assert_claims_only(READER.name, sniff);
        assert!(!sniff("name = \"x\"\nsuffix = \"company.com\"\n"));
        assert!(!sniff("domain=a.example\n{\n\"x\": 1,\n\"y\": 2\n}\n"));
        assert!(!sniff(""));
        assert!(!sniff(&"é".repeat(5000)));
    }
}

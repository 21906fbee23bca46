//! CSV inventories: one host per row, with columns found by their header names through
//! [`CsvColumns`] (shipped: schemas/csv-columns.toml; scslint.toml `[collect.csv]` overrides single
//! fields).
//!
//! The delimiter (`,`, `;` or tab) is the one under which the header row names the most known
//! columns, the earlier one in that list on a tie. Problems carry the 1-based line and character
//! column where the field they are about starts in the file, so a quoted value spanning lines
//! moves the rows after it. Rows whose fields are all empty (Excel writes `;;;;`) are skipped.

use super::agent_fields;
use super::mapping::CsvColumns;
use super::model::{Host, Origin, Parsed, Ras};
use super::reader::{self, Reading};
use csv::{ReaderBuilder, StringRecord};
use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::path::Path;

const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

impl CsvColumns {
    fn names(&self, col: Col) -> &[String] {
        let list = match col {
            Col::Host => &self.host,
            Col::Fqdn => &self.fqdn,
            Col::Ip => &self.ip,
            Col::MeIp => &self.me_ip,
            Col::Suffix => &self.suffix,
            Col::Site => &self.site,
            Col::PrimarySuffix => &self.primary_suffix,
            Col::Ras => &self.ras,
            Col::Mac => &self.mac,
        };
        list.as_deref().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Host,
    Fqdn,
    Ip,
    MeIp,
    Suffix,
    Site,
    PrimarySuffix,
    Ras,
    Mac,
}

const COLS: [Col; 9] = [
    Col::Host,
    Col::Fqdn,
    Col::Ip,
    Col::MeIp,
    Col::Suffix,
    Col::Site,
    Col::PrimarySuffix,
    Col::Ras,
    Col::Mac,
];

impl Col {
    fn identifies(self) -> bool {
        matches!(self, Col::Host | Col::Fqdn | Col::Ip | Col::MeIp)
    }
}

/// The delimiter, and which field of a row each known column is.
#[derive(Debug, Clone)]
struct Layout {
    delimiter: u8,
    index: [Option<usize>; COLS.len()],
    header: Vec<String>,
}

impl Layout {
    fn new(header: &StringRecord, delimiter: u8, m: &CsvColumns) -> Layout {
        let mut index = [None; COLS.len()];
        for col in COLS {
            let found = m.names(col).iter().find_map(|name| {
                header
                    .iter()
                    .enumerate()
                    .find(|(i, cell)| {
                        cell.trim().eq_ignore_ascii_case(name.trim()) && !index.contains(&Some(*i))
                    })
                    .map(|(i, _)| i)
            });
            if let Some(slot) = index.get_mut(col as usize) {
                *slot = found;
            }
        }
        Layout {
            delimiter,
            index,
            header: header.iter().map(|h| h.trim().to_owned()).collect(),
        }
    }

    fn column(&self, col: Col) -> Option<usize> {
        self.index.get(col as usize).copied().flatten()
    }

    fn mapped(&self) -> usize {
        self.index.iter().flatten().count()
    }

    /// A host-identifying column and at least one other.
    fn usable(&self) -> bool {
        self.mapped() >= 2
            && COLS
                .iter()
                .any(|&c| c.identifies() && self.column(c).is_some())
    }

    fn delimiter_name(&self) -> String {
        match self.delimiter {
            b'\t' => "tab".to_owned(),
            d => format!("`{}`", char::from(d)),
        }
    }
}

/// The layout of the header line under the delimiter that maps the most columns.
fn layout(header_line: &str, m: &CsvColumns) -> Option<Layout> {
    DELIMITERS
        .iter()
        .rev()
        .filter_map(|&d| {
            let cells = split_line(header_line, d)?;
            (cells.len() >= 2).then(|| Layout::new(&cells, d, m))
        })
        .filter(Layout::usable)
        .max_by_key(Layout::mapped)
}

fn split_line(line: &str, delimiter: u8) -> Option<StringRecord> {
    ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes())
        .records()
        .next()?
        .ok()
}

fn first_line(text: &str) -> &str {
    text.split(['\r', '\n']).next().unwrap_or_default()
}

/// This source kind, for `sources::READERS`.
pub static READER: reader::Reader = reader::Reader {
    name: "csv",
    describe: "CSV inventory",
    dhcp_server: false,
    sniff: |text, m| sniff(text, &m.csv),
    read: |source, m| Reading::Parsed(parse(&source.path, &source.text, &m.csv)),
};

/// True when the first line is a header with a delimiter that names a host-identifying column
/// (host, fqdn, ip or me_ip) and at least one other known column. Looks at the first 8 KiB.
pub fn sniff(text: &str, m: &CsvColumns) -> bool {
    layout(first_line(crate::source::sniff_head(text)), m).is_some()
}

/// Read an inventory: one host per data row.
pub fn parse(path: &Path, text: &str, m: &CsvColumns) -> Parsed {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Parsed::default();
    let Some(layout) = layout(first_line(body), m) else {
        agent_fields::problem(
            &mut out,
            path,
            1,
            1,
            "the first line is not a header row naming a host column (host, FQDN, IP or ME IP) \
             and one other known column; the file was not read"
                .to_owned(),
        );
        return out;
    };
    let mut reader = ReaderBuilder::new()
        .delimiter(layout.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut rows = Rows {
        path,
        body,
        layout,
        cursor: (0, 1),
        seen: HashMap::new(),
        out,
    };
    let mut record = StringRecord::new();
    let mut header = true;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) if header => header = false,
            Ok(true) => rows.row(&record),
            Err(e) => {
                let (_, line) = rows.locate(e.position().map_or(0, |p| p.byte()));
                let message = format!("unreadable CSV ({e}); the rest of the file was not read");
                agent_fields::problem(&mut rows.out, path, line, 1, message);
                break;
            }
        }
    }
    rows.out
}

/// Where a row starts: byte offset into the text and 1-based line.
#[derive(Debug, Clone, Copy)]
struct RowAt {
    start: usize,
    line: usize,
}

struct Rows<'a> {
    path: &'a Path,
    body: &'a str,
    layout: Layout,
    /// The last row start seen and its line, so lines are counted once.
    cursor: (usize, usize),
    /// `fqdn:…`, `host:…`, `mac:…` → the line of the first row with that key.
    seen: HashMap<String, usize>,
    out: Parsed,
}

impl Rows<'_> {
    /// The row start and line of a record the csv crate places at `byte`: it reports where the
    /// previous row's line break began, so the rest of it and any blank lines are skipped.
    fn locate(&mut self, byte: u64) -> (usize, usize) {
        let body = self.body;
        let from = usize::try_from(byte).unwrap_or(usize::MAX).min(body.len());
        let skipped = body.get(from..).map_or(0, |rest| {
            rest.len() - rest.trim_start_matches(['\r', '\n']).len()
        });
        let start = from + skipped;
        let (seen_at, seen_line) = self.cursor;
        let line = seen_line
            + body
                .get(seen_at..start)
                .map_or(0, |s| s.matches('\n').count());
        if start >= seen_at {
            self.cursor = (start, line);
        }
        (start, line)
    }

    fn problem(&mut self, at: RowAt, field: usize, message: String) {
        let stop = walk_row(self.body, at.start, at.line, self.layout.delimiter, field);
        agent_fields::problem(&mut self.out, self.path, stop.line, stop.column, message);
    }

    fn row(&mut self, record: &StringRecord) {
        let (start, line) = self.locate(record.position().map_or(0, |p| p.byte()));
        let at = RowAt { start, line };
        if record.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        let end = walk_row(self.body, start, line, self.layout.delimiter, usize::MAX);
        if end.open {
            let (line, column) = (end.line, end.column);
            let message = "the file ends inside a quoted value: it is truncated; the row was read \
                           as far as it goes"
                .to_owned();
            agent_fields::problem(&mut self.out, self.path, line, column, message);
        }
        let width = self.layout.header.len();
        if record.len() > width {
            let message = format!(
                "this row has {} fields but the header has {width}: a value with an unquoted {}? \
                 The row was not read",
                record.len(),
                self.layout.delimiter_name()
            );
            self.problem(at, width, message);
            return;
        }
        if record.len() < width {
            let message = format!(
                "this row has {} fields but the header has {width}; the missing fields were read \
                 as empty",
                record.len()
            );
            self.problem(at, record.len(), message);
        }
        let Some(host) = self.host(record, at) else {
            self.problem(
                at,
                0,
                "this row names no host (no host name, FQDN, IPv4 or MAC address); the row was \
                 not read"
                    .to_owned(),
            );
            return;
        };
        if !self.is_duplicate(&host, record, at) {
            self.out.hosts.push(host);
        }
    }

    fn host(&mut self, record: &StringRecord, at: RowAt) -> Option<Host> {
        let mut host = Host {
            origin: Some(Origin::new(self.path, at.line)),
            hostname: self
                .cell(record, Col::Host)
                .and_then(|(v, _)| agent_fields::text(&v)),
            os_ip: self.ip(record, at, Col::Ip),
            me_ip: self.ip(record, at, Col::MeIp),
            mac: self.mac(record, at),
            suffix: self.suffix(record, at, Col::Suffix),
            primary_suffix: self.suffix(record, at, Col::PrimarySuffix),
            ras: self.ras(record, at),
            site: self
                .cell(record, Col::Site)
                .and_then(|(v, _)| agent_fields::text(&v)),
            ..Host::default()
        };
        host.fqdn = self
            .cell(record, Col::Fqdn)
            .and_then(|(v, _)| agent_fields::suffix(&v));
        agent_fields::has_identity(&host).then_some(host)
    }

    /// A known column's value on one line (a quoted value's line breaks become spaces), and its
    /// field index.
    fn cell(&self, record: &StringRecord, col: Col) -> Option<(String, usize)> {
        let i = self.layout.column(col)?;
        let raw = record.get(i)?;
        Some((raw.split_whitespace().collect::<Vec<_>>().join(" "), i))
    }

    fn label(&self, field: usize) -> String {
        self.layout.header.get(field).cloned().unwrap_or_default()
    }

    /// Report a value that could not be used.
    fn ignored(&mut self, at: RowAt, field: usize, why: String) {
        let message = format!(
            "column `{}`: {why}; the value is ignored",
            self.label(field)
        );
        self.problem(at, field, message);
    }

    fn ip(&mut self, record: &StringRecord, at: RowAt, col: Col) -> Option<Ipv4Addr> {
        let (raw, i) = self.cell(record, col)?;
        agent_fields::ipv4(&raw).unwrap_or_else(|e| {
            self.ignored(at, i, e);
            None
        })
    }

    fn mac(&mut self, record: &StringRecord, at: RowAt) -> Option<String> {
        let (raw, i) = self.cell(record, Col::Mac)?;
        let raw = agent_fields::text(&raw)?;
        match agent_fields::mac(&raw) {
            Some(mac) if agent_fields::is_zero_mac(&mac) => None,
            Some(mac) => Some(mac),
            None => {
                self.ignored(at, i, format!("`{raw}` is not a MAC address"));
                None
            }
        }
    }

    fn suffix(&mut self, record: &StringRecord, at: RowAt, col: Col) -> Option<String> {
        let (raw, i) = self.cell(record, col)?;
        agent_fields::dns_suffix(&raw).unwrap_or_else(|e| {
            self.ignored(at, i, e);
            None
        })
    }

    fn ras(&mut self, record: &StringRecord, at: RowAt) -> Option<Ras> {
        let (raw, i) = self.cell(record, Col::Ras)?;
        let raw = agent_fields::text(&raw)?;
        let ras = agent_fields::ras(&raw);
        if ras.is_none() {
            self.ignored(
                at,
                i,
                format!(
                    "`{raw}` is not a RAS network status (direct, vpn, outside enterprise, \
                     unknown or 0-3)"
                ),
            );
        }
        ras
    }

    /// Report and skip a row with the FQDN, host name or MAC of an earlier row; otherwise
    /// remember this row's keys.
    fn is_duplicate(&mut self, host: &Host, record: &StringRecord, at: RowAt) -> bool {
        let keys = [
            (Col::Fqdn, "FQDN", host.fqdn.as_deref()),
            (Col::Host, "host name", host.hostname.as_deref()),
            (Col::Mac, "MAC address", host.mac.as_deref()),
        ];
        let keys: Vec<(Col, &str, String, String)> = keys
            .into_iter()
            .filter_map(|(col, what, value)| {
                let value = value?;
                Some((
                    col,
                    what,
                    format!("{what}:{}", value.to_lowercase()),
                    value.to_owned(),
                ))
            })
            .collect();
        for (col, what, key, value) in &keys {
            if let Some(&first) = self.seen.get(key) {
                let given = |c: Col| {
                    self.layout
                        .column(c)
                        .filter(|&i| record.get(i).is_some_and(|v| !v.trim().is_empty()))
                };
                let field = given(*col).or_else(|| given(Col::Host)).unwrap_or(0);
                let message = format!(
                    "this row has the same {what} `{value}` as the row on line {first}; the first \
                     row was kept and this one was not read"
                );
                self.problem(at, field, message);
                return true;
            }
        }
        for (_, _, key, _) in keys {
            self.seen.insert(key, at.line);
        }
        false
    }
}

/// Where a quote leaves the walk through a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    FieldStart,
    Bare,
    Open,
    /// A quote inside a quoted value: it closes the value unless another quote follows.
    MaybeClosed,
}

/// Where a walk through a row stopped, 1-based; `open` when the text ended inside a quoted value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stop {
    line: usize,
    column: usize,
    open: bool,
}

/// Walk the row starting at byte `start` (on `line`) the way the csv crate reads it (a quote
/// opens a quoted value only at the start of a field, `""` inside one is a literal quote) up to
/// the start of field `field`, or the end of the row when it has fewer fields.
fn walk_row(body: &str, start: usize, line: usize, delimiter: u8, field: usize) -> Stop {
    let delimiter = char::from(delimiter);
    let (mut line, mut column, mut at_field, mut state) = (line, 1, 0, Quote::FieldStart);
    let stop = |line, column| Stop {
        line,
        column,
        open: false,
    };
    for c in body.get(start..).unwrap_or_default().chars() {
        let quoted = state == Quote::Open;
        if at_field == field || (!quoted && matches!(c, '\r' | '\n')) {
            return stop(line, column);
        }
        state = match (state, c) {
            (Quote::Open, '"') => Quote::MaybeClosed,
            (Quote::Open, _) => Quote::Open,
            (Quote::FieldStart | Quote::MaybeClosed, '"') => Quote::Open,
            (_, c) if c == delimiter => {
                at_field += 1;
                Quote::FieldStart
            }
            _ => Quote::Bare,
        };
        if quoted && c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    Stop {
        line,
        column,
        open: state == Quote::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::agent_fixtures::{INVENTORY_CSV, INVENTORY_SEMICOLON};
    use crate::observe::reader_tests::{assert_claims_only, ip, prefixes, problems};

    fn read(text: &str) -> Parsed {
        parse(Path::new("inv/hosts.csv"), text, &CsvColumns::shipped())
    }

    fn host(line: usize, name: &str) -> Host {
        Host {
            origin: Some(Origin::new("inv/hosts.csv", line)),
            hostname: Some(name.into()),
            ..Host::default()
        }
    }

    #[test]
    fn reads_the_comma_fixture() {
        let parsed = read(INVENTORY_CSV);
        assert_eq!(
            problems(&parsed),
            vec![
                (
                    6,
                    11,
                    "column `IP Address`: `10.1.4.300` is not an IPv4 address; the value is ignored"
                ),
                (
                    9,
                    1,
                    "this row has the same host name `ws-0142` as the row on line 2; the first \
                     row was kept and this one was not read"
                ),
                (
                    10,
                    54,
                    "this row has 9 fields but the header has 8: a value with an unquoted `,`? \
                     The row was not read"
                ),
            ]
        );
        let expected = vec![
            Host {
                fqdn: Some("WS-0142.company.com".into()),
                os_ip: ip("10.1.4.20"),
                me_ip: ip("10.1.4.20"),
                mac: Some("8c:ec:4b:12:34:56".into()),
                suffix: Some("company.com".into()),
                ras: Some(Ras::Direct),
                site: Some("HQ".into()),
                ..host(2, "WS-0142")
            },
            Host {
                os_ip: ip("172.20.14.9"),
                me_ip: ip("0.0.0.0"),
                mac: Some("a4:bb:6d:01:02:03".into()),
                suffix: Some("berlin.company.com".into()),
                ras: Some(Ras::Outside),
                site: Some("Berlin, Mitte".into()),
                ..host(3, "BER-LT-0077")
            },
            Host {
                os_ip: ip("10.3.8.41"),
                mac: Some("3c:52:82:6a:0b:1c".into()),
                suffix: Some("paris.company.com".into()),
                site: Some("Paris (2nd floor)".into()),
                ..host(4, "PAR-WS-0310")
            },
            Host {
                me_ip: ip("10.1.4.31"),
                suffix: Some("company.com".into()),
                ras: Some(Ras::Vpn),
                site: Some("HQ \"lobby\"".into()),
                ..host(6, "KIOSK-07")
            },
            Host {
                os_ip: ip("10.5.2.17"),
                site: Some("Madrid".into()),
                ..host(8, "MAD-WS-0042")
            },
        ];
        assert_eq!(parsed.hosts, expected);
    }

    #[test]
    fn reads_the_semicolon_fixture() {
        assert!(sniff(INVENTORY_SEMICOLON, &CsvColumns::shipped()));
        let parsed = read(INVENTORY_SEMICOLON);
        assert_eq!(problems(&parsed), vec![]);
        let expected = vec![
            Host {
                os_ip: ip("10.20.1.5"),
                me_ip: ip("10.20.1.5"),
                suffix: Some("corp.example.de".into()),
                site: Some("K\u{f6}ln; Werk 2".into()),
                ..host(2, "WS-0501")
            },
            Host {
                os_ip: ip("10.20.1.6"),
                suffix: Some("corp.example.de".into()),
                site: Some("K\u{f6}ln".into()),
                ..host(3, "WS-0502")
            },
            Host {
                os_ip: ip("10.20.7.9"),
                site: Some("D\u{fc}sseldorf".into()),
                ..host(4, "WS-0503")
            },
        ];
        assert_eq!(parsed.hosts, expected);
    }

    #[test]
    fn custom_columns_from_toml_with_tabs() {
        let over: CsvColumns = toml::from_str(
            r#"
            host = ["Gerät"]
            suffix = ["DHCP-Suffix"]
            primary_suffix = ["AD"]
            "#,
        )
        .unwrap();
        let m = over.over(&CsvColumns::shipped());
        assert_eq!(m.ip, CsvColumns::shipped().ip);
        let text = " Gerät \tIP\tDHCP-Suffix\tAD\tMAC Address\n\
                    pc-1\t10.0.0.1\tlab.company.com\tad.company.local\t00:11:22:33:44:55\n";
        assert!(sniff(text, &m));
        let shipped = read(text);
        assert_eq!(
            shipped.hosts[0].hostname, None,
            "`Gerät` is not a shipped name"
        );
        assert_eq!(shipped.hosts[0].suffix, None, "nor is `DHCP-Suffix`");
        let parsed = parse(Path::new("inv/hosts.csv"), text, &m);
        assert_eq!(problems(&parsed), vec![]);
        let expected = Host {
            os_ip: ip("10.0.0.1"),
            mac: Some("00:11:22:33:44:55".into()),
            suffix: Some("lab.company.com".into()),
            primary_suffix: Some("ad.company.local".into()),
            ..host(2, "pc-1")
        };
        assert_eq!(parsed.hosts, vec![expected]);
        // The device FQDN takes the primary suffix column, not the option 15 one.
        assert_eq!(
            parsed.hosts[0]
                .device_fqdn(&crate::observe::model::FqdnSource::default())
                .as_deref(),
            Some("pc-1.ad.company.local")
        );
    }

    #[test]
    fn positions_count_quoted_line_breaks() {
        let text = "Host,Site,MAC,RAS\r\nws-1,\"Paris\r\n(2nd)\",zz:zz,direct\r\n\r\nws-2,HQ,,sideways\r\n";
        let parsed = read(text);
        assert_eq!(
            problems(&parsed),
            vec![
                (
                    3,
                    8,
                    "column `MAC`: `zz:zz` is not a MAC address; the value is ignored"
                ),
                (
                    5,
                    10,
                    "column `RAS`: `sideways` is not a RAS network status (direct, vpn, outside \
                     enterprise, unknown or 0-3); the value is ignored"
                ),
            ]
        );
        let lines: Vec<_> = parsed
            .hosts
            .iter()
            .map(|h| h.origin.clone().unwrap().line)
            .collect();
        assert_eq!(lines, vec![2, 5]);
    }

    #[test]
    fn a_quote_inside_a_bare_value_opens_nothing() {
        let text = "host,site,ip\nws-1,27\" screens,10.0.0.x\nws-2,\"a \"\"b\"\"\",10.0.0.y\n";
        let parsed = read(text);
        assert_eq!(
            problems(&parsed),
            vec![
                (
                    2,
                    18,
                    "column `ip`: `10.0.0.x` is not an IPv4 address; the value is ignored"
                ),
                (
                    3,
                    16,
                    "column `ip`: `10.0.0.y` is not an IPv4 address; the value is ignored"
                ),
            ]
        );
        assert_eq!(parsed.hosts[0].site.as_deref(), Some("27\" screens"));
        assert_eq!(parsed.hosts[1].site.as_deref(), Some("a \"b\""));
    }

    #[test]
    fn ragged_duplicate_and_anonymous_rows() {
        let text = "hostname,ip,mac,suffix\n\
                    ws-1,10.0.0.1,00:11:22:33:44:55,company.com\n\
                    ws-2,10.0.0.2\n\
                    ws-3,10.0.0.3,00-11-22-33-44-55,company.com\n\
                    ,0.0.0.0,,company.com\n\
                    ws-4,10.0.0.4,,\"\"\n";
        let parsed = read(text);
        assert_eq!(
            problems(&parsed),
            vec![
                (
                    3,
                    14,
                    "this row has 2 fields but the header has 4; the missing fields were read as \
                     empty"
                ),
                (
                    4,
                    15,
                    "this row has the same MAC address `00:11:22:33:44:55` as the row on line 2; \
                     the first row was kept and this one was not read"
                ),
                (
                    5,
                    1,
                    "this row names no host (no host name, FQDN, IPv4 or MAC address); the row \
                     was not read"
                ),
            ]
        );
        let names: Vec<_> = parsed
            .hosts
            .iter()
            .map(|h| h.hostname.clone().unwrap())
            .collect();
        assert_eq!(names, vec!["ws-1", "ws-2", "ws-4"]);
        assert_eq!(
            parsed.hosts[1].suffix, None,
            "a row without a suffix is a host"
        );
        assert_eq!(parsed.hosts[2].suffix, None);
    }

    #[test]
    fn a_truncated_file_keeps_the_complete_rows() {
        let cut = INVENTORY_CSV.find("(2nd floor)").unwrap();
        let parsed = read(&INVENTORY_CSV[..cut]);
        assert_eq!(parsed.hosts.len(), 3, "{:?}", parsed.hosts);
        assert_eq!(
            problems(&parsed),
            vec![
                (
                    5,
                    1,
                    "the file ends inside a quoted value: it is truncated; the row was read as \
                     far as it goes"
                ),
                (
                    5,
                    1,
                    "this row has 6 fields but the header has 8; the missing fields were read as \
                     empty"
                )
            ]
        );
        assert_eq!(parsed.hosts[2].site.as_deref(), Some("Paris"));
        for prefix in prefixes(INVENTORY_CSV, 1).chain(prefixes(INVENTORY_SEMICOLON, 1)) {
            let _ = read(prefix);
        }
    }

    #[test]
    fn garbage_and_headerless_files_are_not_read() {
        for text in [
            "\u{0}\u{1}PK\u{3}\u{4}\u{fffd}\u{fffd}binary,\u{0};\n1,2",
            "ws-1,10.0.0.1,company.com\n",
            "",
        ] {
            let parsed = read(text);
            assert!(parsed.hosts.is_empty());
            assert_eq!(
                problems(&parsed),
                vec![(
                    1,
                    1,
                    "the first line is not a header row naming a host column (host, FQDN, IP or \
                     ME IP) and one other known column; the file was not read"
                )]
            );
        }
    }

    #[test]
    fn sniffs_only_inventories() {
        let m = CsvColumns::shipped();
        assert_claims_only(READER.name, |t| sniff(t, &m));
        for foreign in [
            "domain=company.com\ndhcp-option=15,company.com\n",
            "hostname=ws-1,ip=10.0.0.1\n",
            "Hostname\n",
            "Hostname,Notes\nws-1,x\n",
            "Site,DNS Suffix\nHQ,company.com\n",
            "[[network]]\nname = \"hq\"\nsuffix = \"company.com\"\n",
            "Host Name . . . : ws-1, ip address\n",
        ] {
            assert!(!sniff(foreign, &m), "{foreign}");
        }
        assert!(sniff("\"Host\",\"IP\"\n", &m));
        assert!(sniff("Device\tIPv4\n", &m));
        assert!(sniff("  FQDN ; Site \n", &m));
    }
}

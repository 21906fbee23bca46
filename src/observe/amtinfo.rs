//! rpc-go `amtinfo` reports, one device per file: the old tab style (`Label\t\t: value`,
//! `---Wired Adapter---`), the newer styled and table layouts (ANSI colours and box drawing
//! stripped) and `--json` of both generations (camelCase keys and display-label keys); the
//! legacy C `rpc --amtinfo all` (flat, with `LAN Interface : wired` opening the adapter values);
//! and MeshCentral's `meshcmd amtinfo` (`Intel AMT v16.1.30, activated in …`, `Wired Enabled, DHCP,
//! <MAC>`, `DNS suffix:`, `Trusted DNS suffix:`, `Connection Status:`). meshcmd's `DNS suffix` is
//! the OS suffix of the AMT wired adapter, its `Trusted DNS suffix` the one set in MEBx.
//!
//! `DNS Suffix (OS)` is the connection-specific suffix the host received and becomes the host's
//! suffix, except where rpc-go on Linux prints the bare host name there (it prints the domain of
//! the host's own name, and the host name itself when that has no dot): a single label equal to
//! the host name is no suffix. `DNS Suffix` is the ME's own and is kept apart
//! ([`Host::me_suffix`]). rpc-go reports no primary DNS suffix, so the device FQDN comes from
//! another report of the same device. Adapter values come from the wired section only.

use super::agent_fields as fields;
use super::model::{Host, Origin, Parsed};
use super::reader::{self, Reading};
use crate::source::LineIndex;
use jsonc_parser::ast::{Object, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, ParseStringErrorKind, parse_to_ast};
use std::path::Path;

/// Deepest JSON object nesting the salvage scan of a broken `--json` report follows.
const MAX_SALVAGE_DEPTH: usize = 16;

/// What a label means to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Version,
    ControlMode,
    /// The ME's own suffix: kept as [`Host::me_suffix`], never as option 15.
    MeSuffix,
    OsSuffix,
    Hostname,
    /// `RAS Network` (old style) or `Network` inside the Remote Access section.
    RasNetwork,
    DhcpEnabled,
    LinkStatus,
    AmtIp,
    OsIp,
    Mac,
    /// Legacy C rpc: `LAN Interface : wired` opens that adapter's values.
    LanInterface,
    /// A label amtinfo prints that the host model has no use for.
    Ignored,
}

/// The text labels: (label in lower case, meaning, counts towards sniffing).
const LABELS: &[(&str, Field, bool)] = &[
    ("version", Field::Version, true),
    ("build number", Field::Ignored, true),
    ("sku", Field::Ignored, true),
    ("features", Field::Ignored, true),
    ("uuid", Field::Ignored, true),
    ("upid", Field::Ignored, false),
    ("control mode", Field::ControlMode, true),
    ("provisioning state", Field::Ignored, true),
    ("amt operational state (bios)", Field::Ignored, true),
    ("dns suffix", Field::MeSuffix, true),
    ("dns suffix (os)", Field::OsSuffix, true),
    ("hostname (os)", Field::Hostname, true),
    ("fqdn", Field::Ignored, false),
    ("lan interface", Field::LanInterface, true),
    ("ras network", Field::RasNetwork, true),
    ("ras remote status", Field::Ignored, true),
    ("ras trigger", Field::Ignored, false),
    ("ras mps hostname", Field::Ignored, true),
    ("network", Field::RasNetwork, false),
    ("remote status", Field::Ignored, false),
    ("trigger", Field::Ignored, false),
    ("mps hostname", Field::Ignored, false),
    ("mps port", Field::Ignored, false),
    ("dhcp enabled", Field::DhcpEnabled, false),
    ("dhcp mode", Field::Ignored, false),
    ("link status", Field::LinkStatus, false),
    ("amt ip address", Field::AmtIp, true),
    ("ip address", Field::AmtIp, false),
    ("os ip address", Field::OsIp, true),
    ("mac address", Field::Mac, false),
];

/// `--json` keys, both generations, matched without regard to case: (object the key sits in,
/// key, meaning). An empty object name is the top level.
const JSON_KEYS: &[(&str, &str, Field)] = &[
    ("", "amt", Field::Version),
    ("", "version", Field::Version),
    ("", "controlMode", Field::ControlMode),
    ("", "Control Mode", Field::ControlMode),
    ("", "dnsSuffix", Field::MeSuffix),
    ("", "DNS Suffix", Field::MeSuffix),
    ("", "dnsSuffixOS", Field::OsSuffix),
    ("", "DNS Suffix (OS)", Field::OsSuffix),
    ("", "hostnameOS", Field::Hostname),
    ("", "Hostname (OS)", Field::Hostname),
    ("", "RAS Network", Field::RasNetwork),
    ("ras", "networkStatus", Field::RasNetwork),
    ("ras", "Network", Field::RasNetwork),
    ("ras", "RAS Network", Field::RasNetwork),
    ("wired", "dhcpEnabled", Field::DhcpEnabled),
    ("wired", "DHCP Enabled", Field::DhcpEnabled),
    ("wired", "linkStatus", Field::LinkStatus),
    ("wired", "Link Status", Field::LinkStatus),
    ("wired", "ipAddress", Field::AmtIp),
    ("wired", "IP Address", Field::AmtIp),
    ("wired", "AMT IP Address", Field::AmtIp),
    ("wired", "osIpAddress", Field::OsIp),
    ("wired", "OS IP Address", Field::OsIp),
    ("wired", "macAddress", Field::Mac),
    ("wired", "MAC Address", Field::Mac),
];

/// JSON object names for the Remote Access and wired-adapter objects.
const JSON_OBJECTS: &[(&str, &str)] = &[
    ("ras", "ras"),
    ("RAS", "ras"),
    ("Remote Access", "ras"),
    ("wiredAdapter", "wired"),
    ("Wired Adapter", "wired"),
];

/// Keys that mark a JSON document as an amtinfo report.
const JSON_MARKERS: &[&str] = &[
    "\"amt\"",
    "\"buildNumber\"",
    "\"controlMode\"",
    "\"dnsSuffix\"",
    "\"dnsSuffixOS\"",
    "\"hostnameOS\"",
    "\"wiredAdapter\"",
    "\"Build Number\"",
    "\"Control Mode\"",
    "\"DNS Suffix\"",
    "\"DNS Suffix (OS)\"",
    "\"Hostname (OS)\"",
    "\"Wired Adapter\"",
];

/// Report sections; adapter labels repeat in each adapter section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Device,
    Ras,
    Wired,
    Wireless,
    Other,
}

impl Section {
    fn named(name: &str) -> Section {
        match name.trim().to_lowercase().as_str() {
            "device" | "amt device information" => Section::Device,
            "remote access" | "ras" => Section::Ras,
            "wired adapter" => Section::Wired,
            "wireless adapter" => Section::Wireless,
            _ => Section::Other,
        }
    }

    /// The section an old-style marker (`---Wired Adapter---`) opens.
    fn marker(text: &str) -> Option<Section> {
        let t = text.trim();
        let name = t.strip_prefix("---")?.strip_suffix("---")?;
        let name = name.trim_matches('-');
        (!name.trim().is_empty()).then(|| Section::named(name))
    }

    /// Whether a label is read in this section.
    fn accepts(self, field: Field) -> bool {
        match field {
            Field::Version
            | Field::ControlMode
            | Field::MeSuffix
            | Field::OsSuffix
            | Field::Hostname => self == Section::Device,
            Field::RasNetwork => matches!(self, Section::Device | Section::Ras),
            Field::DhcpEnabled | Field::LinkStatus | Field::AmtIp | Field::OsIp | Field::Mac => {
                self == Section::Wired
            }
            Field::Ignored | Field::LanInterface => false,
        }
    }
}

/// A value as written, with its 1-based position.
#[derive(Debug, Clone)]
struct Raw {
    text: String,
    line: usize,
    column: usize,
}

/// The values one report gave, before they are checked.
#[derive(Debug, Default)]
struct Report {
    start_line: usize,
    values: Vec<(Field, Raw)>,
    wired_seen: bool,
}

impl Report {
    fn get(&self, field: Field) -> Option<&Raw> {
        self.values
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, r)| r)
    }
}

/// This source kind, for `sources::READERS`.
pub static READER: reader::Reader = reader::Reader {
    name: "amtinfo",
    describe: "amtinfo report (rpc-go, rpc, meshcmd)",
    dhcp_server: false,
    sniff: |text, _| sniff(text),
    read: |source, _| Reading::Parsed(parse(&source.path, &source.text)),
};

/// True for rpc-go amtinfo output: at least two amtinfo labels in text, or a JSON object with
/// at least two amtinfo keys.
pub fn sniff(text: &str) -> bool {
    let head = crate::source::sniff_head(text);
    if meshcmd_report(head).is_some() {
        return true;
    }
    if head.trim_start().starts_with('{') {
        return JSON_MARKERS.iter().filter(|k| head.contains(*k)).count() >= 2;
    }
    let mut seen: Vec<&str> = Vec::new();
    for raw in head.lines() {
        let line = Line::new(0, raw);
        let label = match line.label() {
            Some((label, _, _)) => Some(label),
            None => line.table_label(),
        }
        .or_else(|| Section::marker(&line.text).map(|_| "---section---"));
        if let Some(label) = label
            && is_strong(label)
            && !seen.contains(&label)
        {
            seen.push(label);
            if seen.len() >= 2 {
                return true;
            }
        }
    }
    false
}

/// Read one amtinfo report (text or `--json`) into at most one host.
pub fn parse(path: &Path, text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let body = text.trim_start_matches('\u{feff}');
    let report = if body.trim_start().starts_with('{') {
        read_json(path, body, &mut parsed)
    } else if let Some(report) = meshcmd_report(body) {
        Some(report)
    } else {
        read_text(path, body, &mut parsed)
    };
    if let Some(report) = report
        && let Some(host) = build_host(path, &report, &mut parsed)
    {
        parsed.hosts.push(host);
    }
    parsed
}

fn is_strong(label: &str) -> bool {
    label == "---section---"
        || LABELS
            .iter()
            .any(|(l, _, strong)| *strong && l.eq_ignore_ascii_case(label))
}

fn lookup(label: &str) -> Option<(&'static str, Field)> {
    let label = label.trim().to_lowercase();
    LABELS
        .iter()
        .find(|(l, _, _)| *l == label)
        .map(|(l, f, _)| (*l, *f))
}

fn is_box(c: char) -> bool {
    ('\u{2500}'..='\u{257f}').contains(&c)
}

fn is_padding(c: char) -> bool {
    c.is_whitespace() || is_box(c)
}

/// One line with escape sequences and control characters removed; remembers the column each
/// kept character had in the file.
struct Line {
    number: usize,
    text: String,
    columns: Vec<usize>,
}

impl Line {
    fn new(number: usize, raw: &str) -> Line {
        let mut text = String::with_capacity(raw.len());
        let mut columns = Vec::with_capacity(raw.len());
        let mut chars = raw.chars().enumerate();
        while let Some((i, c)) = chars.next() {
            match c {
                '\u{1b}' => skip_escape(&mut chars),
                '\u{9b}' => skip_csi(&mut chars),
                '\t' => {
                    text.push(c);
                    columns.push(i + 1);
                }
                c if c.is_control() => {}
                c => {
                    text.push(c);
                    columns.push(i + 1);
                }
            }
        }
        Line {
            number,
            text,
            columns,
        }
    }

    /// The file column of the character at byte `at` of the cleaned text.
    fn column(&self, at: usize) -> usize {
        let index = self.text.get(..at).map_or(0, |s| s.chars().count());
        match self.columns.get(index) {
            Some(c) => *c,
            None => self.columns.last().map_or(1, |c| c + 1),
        }
    }

    fn is_rule(&self) -> bool {
        let t = self.text.trim();
        (t.chars().any(is_box) && t.chars().all(is_padding))
            || (t.len() >= 3 && t.chars().all(|c| c == '-'))
    }

    /// A `Label : value` or `Label    value` line: the label as the table spells it, the value's
    /// byte offset and the value.
    fn label(&self) -> Option<(&'static str, usize, &str)> {
        self.colon_label().or_else(|| self.padded_label())
    }

    fn colon_label(&self) -> Option<(&'static str, usize, &str)> {
        let (left, _) = self.text.split_once(':')?;
        let (label, _) = lookup(left.trim_matches(is_padding))?;
        let (at, value) = trimmed_from(&self.text, left.len() + 1);
        Some((label, at, value))
    }

    fn padded_label(&self) -> Option<(&'static str, usize, &str)> {
        let rest = self.text.trim_start_matches(is_padding);
        let lead = self.text.len() - rest.len();
        let (label, _, _) = LABELS
            .iter()
            .filter(|(l, _, _)| {
                rest.get(..l.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(l))
                    && rest.get(l.len()..).is_some_and(|after| {
                        after.is_empty() || after.starts_with(char::is_whitespace)
                    })
            })
            .max_by_key(|(l, _, _)| l.len())?;
        let (at, value) = trimmed_from(&self.text, lead + label.len());
        Some((label, at, value))
    }

    /// The label in a table row's property cell.
    fn table_label(&self) -> Option<&'static str> {
        match self.cells().as_slice() {
            [.., (_, property), _] => lookup(property).map(|(label, _)| label),
            _ => None,
        }
    }

    /// Cells of a table row (`│ Device │ -r │ Version │ 16.1.27 │`) with their byte offsets.
    fn cells(&self) -> Vec<(usize, &str)> {
        let bars: Vec<usize> = self.text.match_indices('│').map(|(i, _)| i).collect();
        bars.windows(2)
            .filter_map(|w| match w {
                [a, b] => {
                    let start = a + '│'.len_utf8();
                    let cell = self.text.get(start..*b)?;
                    let lead = cell.len() - cell.trim_start().len();
                    Some((start + lead, cell.trim()))
                }
                _ => None,
            })
            .collect()
    }
}

/// The trimmed remainder of `text` from byte `from`, with its byte offset.
fn trimmed_from(text: &str, from: usize) -> (usize, &str) {
    let rest = text.get(from..).unwrap_or("");
    let lead = rest.len() - rest.trim_start().len();
    (from + lead, rest.trim())
}

fn skip_escape(chars: &mut impl Iterator<Item = (usize, char)>) {
    match chars.next().map(|(_, c)| c) {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        Some('(' | ')' | '*' | '+' | '#' | '%') => {
            chars.next();
        }
        _ => {}
    }
}

fn skip_csi(chars: &mut impl Iterator<Item = (usize, char)>) {
    for (_, c) in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// Skip an OSC/DCS string up to BEL or ESC `\`.
fn skip_string(chars: &mut impl Iterator<Item = (usize, char)>) {
    while let Some((_, c)) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                chars.next();
                break;
            }
            _ => {}
        }
    }
}

/// Walks the text layouts line by line, tracking the section.
struct TextReader<'p> {
    path: &'p Path,
    section: Section,
    pending_title: Option<String>,
    report: Report,
    recognised: usize,
}

fn read_text(path: &Path, text: &str, parsed: &mut Parsed) -> Option<Report> {
    let mut reader = TextReader {
        path,
        section: Section::Device,
        pending_title: None,
        report: Report::default(),
        recognised: 0,
    };
    for (i, raw) in text.split('\n').enumerate() {
        let line = Line::new(i + 1, raw);
        if reader.report.start_line == 0 && !line.text.trim().is_empty() {
            reader.report.start_line = line.number;
        }
        reader.line(&line, parsed);
    }
    if reader.recognised == 0 {
        fields::problem(
            parsed,
            path,
            reader.report.start_line,
            1,
            "no amtinfo labels found (expected `Version`, `DNS Suffix (OS)`, `---Wired Adapter---` …); file not read".into(),
        );
        return None;
    }
    Some(reader.report)
}

impl TextReader<'_> {
    fn line(&mut self, line: &Line, parsed: &mut Parsed) {
        if line.text.trim().is_empty() {
            return;
        }
        if line.is_rule() {
            if let Some(title) = self.pending_title.take() {
                self.enter(Section::named(&title));
            }
            return;
        }
        self.pending_title = None;
        if line.text.contains('│') {
            self.table_row(line, parsed);
        } else if let Some(section) = Section::marker(&line.text) {
            self.recognised += 1;
            self.enter(section);
        } else if let Some((label, at, value)) = line.label() {
            self.recognised += 1;
            self.value(label, value, line, at, parsed);
        } else if Section::named(&line.text) != Section::Other {
            self.enter(Section::named(&line.text));
        } else {
            self.pending_title = Some(line.text.trim().to_owned());
        }
    }

    fn enter(&mut self, section: Section) {
        self.section = section;
        if section == Section::Wired {
            self.report.wired_seen = true;
        }
    }

    fn table_row(&mut self, line: &Line, parsed: &mut Parsed) {
        let cells = line.cells();
        let [.., (_, property), (at, value)] = cells.as_slice() else {
            return;
        };
        if cells.len() >= 3
            && let Some((_, category)) = cells.first()
            && !category.is_empty()
        {
            self.enter(Section::named(category));
        }
        if let Some((label, _)) = lookup(property) {
            self.recognised += 1;
            self.value(label, value, line, *at, parsed);
        }
    }

    fn value(&mut self, label: &str, value: &str, line: &Line, at: usize, parsed: &mut Parsed) {
        let Some((_, field)) = lookup(label) else {
            return;
        };
        if field == Field::LanInterface {
            self.enter(Section::named(&format!("{} adapter", value.trim())));
            return;
        }
        if Section::Device.accepts(field) && !self.section.accepts(field) {
            // Device labels are never inside a section: the old style starts over with them.
            self.section = Section::Device;
        }
        if !self.section.accepts(field) {
            return;
        }
        let column = line.column(at);
        if let Some(first) = self.report.get(field) {
            let message = format!(
                "`{label}` appears again (first on line {}); one device per file, so this value is ignored",
                first.line
            );
            fields::problem(parsed, self.path, line.number, column, message);
            return;
        }
        self.report.values.push((
            field,
            Raw {
                text: value.to_owned(),
                line: line.number,
                column,
            },
        ));
    }
}

/// A `meshcmd amtinfo` report: its first line names the AMT version (`Intel AMT v…, state.`) and
/// another line is one of meshcmd's own (`Wired …`, `DNS suffix:`, `Connection Status:`).
fn meshcmd_report(text: &str) -> Option<Report> {
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let (first_line, first) = lines.next()?;
    let rest = first.trim().strip_prefix("Intel AMT v")?;
    let (version, state) = rest.split_once(", ")?;
    let mut report = Report {
        start_line: first_line,
        ..Report::default()
    };
    let push = |report: &mut Report, field, text: &str, line, column| {
        report.values.push((
            field,
            Raw {
                text: text.trim().to_owned(),
                line,
                column,
            },
        ));
    };
    push(&mut report, Field::Version, version, first_line, 12);
    push(
        &mut report,
        Field::ControlMode,
        state.trim().trim_end_matches('.'),
        first_line,
        14 + version.len(),
    );
    let mut own = false;
    for (number, line) in lines {
        let column = |part: &str| line.len() - part.len() + 1;
        if let Some(adapter) = line.strip_prefix("Wired ") {
            own = true;
            report.wired_seen = true;
            let mut parts = adapter.split(", ").skip(1);
            if let Some(mode) = parts.next() {
                let dhcp = if mode.eq_ignore_ascii_case("DHCP") {
                    "true"
                } else {
                    "false"
                };
                push(&mut report, Field::DhcpEnabled, dhcp, number, column(mode));
            }
            if let Some(mac) = parts.next() {
                push(&mut report, Field::Mac, mac, number, column(mac));
            }
            if let Some(ip) = parts.next() {
                push(&mut report, Field::AmtIp, ip, number, column(ip));
            }
        } else if let Some((label, value)) = line.split_once(": ") {
            let field = match label.trim() {
                "DNS suffix" => Field::OsSuffix,
                "Trusted DNS suffix" => Field::MeSuffix,
                "Connection Status" => Field::RasNetwork,
                _ => continue,
            };
            own = true;
            let value = if field == Field::RasNetwork {
                value.split(',').next().unwrap_or_default()
            } else {
                value
            };
            push(&mut report, field, value, number, label.len() + 3);
        }
    }
    own.then_some(report)
}

/// Read a `--json` report; a document that does not parse is scanned line by line so the values
/// before the damage are still read.
fn read_json(path: &Path, text: &str, parsed: &mut Parsed) -> Option<Report> {
    let start = text.len() - text.trim_start().len();
    let start_line = crate::source::line_col_in(text, start).0;
    let lines = LineIndex::new(text);
    let strict = crate::source::strict_json();
    match parse_to_ast(text, &CollectOptions::default(), &strict) {
        Ok(ast) => match ast.value {
            Some(Value::Object(object)) => {
                let mut reader = JsonReader {
                    text,
                    lines: &lines,
                    path,
                    parsed,
                    report: Report::default(),
                };
                reader.object(&object);
                let mut report = reader.report;
                report.start_line = start_line;
                Some(report)
            }
            _ => {
                let message =
                    "JSON document is not an object, so not an amtinfo report; file not read";
                fields::problem(parsed, path, start_line, 1, message.into());
                None
            }
        },
        Err(e) => {
            let message = format!(
                "JSON report is cut short or malformed ({}); only the values before this point were read",
                e.kind().to_string().to_lowercase()
            );
            // An object, array or string left open is found where the text ends.
            let cut_short = matches!(
                e.kind(),
                ParseErrorKind::UnterminatedObject
                    | ParseErrorKind::UnterminatedArray
                    | ParseErrorKind::String(ParseStringErrorKind::UnterminatedStringLiteral)
            );
            let at = if cut_short {
                text.len()
            } else {
                e.range().start
            };
            let (line, column) = lines.line_col(text, at);
            fields::problem(parsed, path, line, column, message);
            let mut report = salvage(text);
            report.start_line = start_line;
            (!report.values.is_empty() || report.wired_seen).then_some(report)
        }
    }
}

fn json_object(key: &str) -> Option<&'static str> {
    JSON_OBJECTS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, o)| *o)
}

fn json_field(object: &str, key: &str) -> Option<Field> {
    JSON_KEYS
        .iter()
        // Lengths first: most keys are told apart without comparing a byte.
        .find(|(o, k, _)| k.len() == key.len() && *o == object && k.eq_ignore_ascii_case(key))
        .map(|(_, _, f)| *f)
}

/// Collects the values of a parsed `--json` object, each at the position the parser gives it.
struct JsonReader<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    path: &'a Path,
    parsed: &'a mut Parsed,
    report: Report,
}

impl JsonReader<'_> {
    /// The top-level object: its own fields, and those of the objects it names (Remote Access,
    /// the wired adapter).
    fn object(&mut self, object: &Object) {
        for prop in &object.properties {
            let key = prop.name.as_str();
            match (json_object(key), &prop.value) {
                (Some(inner_name), Value::Object(inner)) => {
                    if inner_name == "wired" {
                        self.report.wired_seen = true;
                    }
                    for inner_prop in &inner.properties {
                        let inner_key = inner_prop.name.as_str();
                        if let Some(field) = json_field(inner_name, inner_key) {
                            self.value(inner_key, &inner_prop.value, field);
                        }
                    }
                }
                _ => {
                    if let Some(field) = json_field("", key) {
                        self.value(key, &prop.value, field);
                    }
                }
            }
        }
    }

    /// Record a scalar value at its position.
    fn value(&mut self, key: &str, value: &Value, field: Field) {
        let (line, column) = self.lines.line_col(self.text, value.range().start);
        let written = match value {
            Value::NullKeyword(_) => return,
            Value::StringLit(s) => s.value.to_string(),
            Value::BooleanLit(b) => b.value.to_string(),
            Value::NumberLit(n) => n.value.to_owned(),
            Value::Array(_) | Value::Object(_) => {
                let message =
                    format!("`{key}` holds a list or object, not a single value; ignored");
                fields::problem(self.parsed, self.path, line, column, message);
                return;
            }
        };
        self.report.values.push((
            field,
            Raw {
                text: written,
                line,
                column,
            },
        ));
    }
}

/// Line-by-line reading of a pretty-printed `--json` report that does not parse as a whole (cut
/// short, or damaged part-way): `"key": value` lines, with `"key": {` opening a nested object.
fn salvage(text: &str) -> Report {
    let mut report = Report::default();
    let mut stack: Vec<String> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let trimmed = raw.trim();
        let lead = raw.len() - raw.trim_start().len();
        if trimmed.starts_with('}') || trimmed.starts_with(']') {
            stack.pop();
            continue;
        }
        let Some((key, rest)) = split_json_key(trimmed) else {
            continue;
        };
        let opened = rest.trim_end_matches(',').trim();
        if opened.starts_with('{') || opened.starts_with('[') {
            if !matches!(opened, "{}" | "[]") && stack.len() < MAX_SALVAGE_DEPTH {
                stack.push(key.to_owned());
            }
            continue;
        }
        let object = match stack.as_slice() {
            [] => Some(""),
            [one] => json_object(one),
            _ => None,
        };
        let Some(field) = object.and_then(|o| json_field(o, key)) else {
            continue;
        };
        if object == Some("wired") {
            report.wired_seen = true;
        }
        let Ok(value) = serde_json::from_str::<serde_json::Value>(opened) else {
            continue;
        };
        let written = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => continue,
        };
        let at = lead + (trimmed.len() - rest.len());
        let column = raw.get(..at).map_or(1, |s| s.chars().count() + 1);
        report.values.push((
            field,
            Raw {
                text: written,
                line: i + 1,
                column,
            },
        ));
    }
    report
}

/// `"key": rest` → (`key`, `rest` trimmed at the start).
fn split_json_key(line: &str) -> Option<(&str, &str)> {
    let body = line.strip_prefix('"')?;
    let end = body.find('"')?;
    let key = body.get(..end)?;
    let rest = body.get(end + 1..)?.trim_start().strip_prefix(':')?;
    Some((key, rest.trim_start()))
}

/// Check a value with `check`; a failure becomes a problem at the value and the field is left
/// empty.
fn checked<T>(
    parsed: &mut Parsed,
    path: &Path,
    raw: Option<&Raw>,
    what: &str,
    check: impl Fn(&str) -> Result<Option<T>, String>,
) -> Option<T> {
    let raw = raw?;
    match check(&raw.text) {
        Ok(v) => v,
        Err(why) => {
            fields::problem(
                parsed,
                path,
                raw.line,
                raw.column,
                format!("{why}; {what} ignored"),
            );
            None
        }
    }
}

/// A converter that may not recognise its input, as a check: unrecognised text is an error.
fn recognised<T>(
    convert: impl Fn(&str) -> Option<T>,
    expected: &'static str,
) -> impl Fn(&str) -> Result<Option<T>, String> {
    move |s| match fields::text(s) {
        None => Ok(None),
        Some(t) => convert(&t)
            .map(Some)
            .ok_or_else(|| format!("`{t}` is not {expected}")),
    }
}

fn build_host(path: &Path, report: &Report, parsed: &mut Parsed) -> Option<Host> {
    let start = report.start_line.max(1);
    let hostname = report
        .get(Field::Hostname)
        .and_then(|r| fields::text(&r.text));
    let suffix = checked(
        parsed,
        path,
        report.get(Field::OsSuffix),
        "DNS Suffix (OS)",
        fields::dns_suffix,
    )
    .filter(|s| !is_bare_host_name(s, hostname.as_deref()));
    let me_suffix = checked(
        parsed,
        path,
        report.get(Field::MeSuffix),
        "DNS Suffix",
        fields::dns_suffix,
    );
    let mut host = Host {
        origin: Some(Origin::new(path, start)),
        hostname,
        suffix,
        me_suffix,
        amt_version: report
            .get(Field::Version)
            .and_then(|r| fields::text(&r.text)),
        control_mode: report
            .get(Field::ControlMode)
            .and_then(|r| fields::text(&r.text)),
        ..Host::default()
    };
    host.ras = checked(
        parsed,
        path,
        report.get(Field::RasNetwork),
        "RAS network status",
        recognised(fields::ras, "a known RAS network status"),
    );
    read_wired(path, report, &mut host, parsed);
    let named = host.hostname.is_some()
        || host.fqdn.is_some()
        || host.os_ip.is_some()
        || host.me_ip.is_some_and(|ip| !ip.is_unspecified())
        || host.mac.is_some();
    if named {
        Some(host)
    } else {
        let message = "report names no device (no host name, IP address or MAC address); not recorded as a host";
        fields::problem(parsed, path, start, 1, message.into());
        None
    }
}

/// rpc-go on Linux prints the domain of the host's own name as `DNS Suffix (OS)`, and the host
/// name itself when that name has no dot: a single label equal to the host name is no suffix.
fn is_bare_host_name(suffix: &str, hostname: Option<&str>) -> bool {
    !suffix.contains('.') && hostname.is_some_and(|h| h.eq_ignore_ascii_case(suffix))
}

/// The wired adapter's values; a missing wired section (or one with the all-zero MAC rpc-go
/// prints for a port that does not exist) is noted.
fn read_wired(path: &Path, report: &Report, host: &mut Host, parsed: &mut Parsed) {
    let mac = checked(
        parsed,
        path,
        report.get(Field::Mac),
        "MAC Address",
        recognised(fields::mac, "a MAC address"),
    );
    if !report.wired_seen || mac.as_deref().is_some_and(fields::is_zero_mac) {
        let message = "report has no wired adapter (rpc-go leaves it out when the ME has no wired port or when run without administrator rights); the ME's address, MAC and link state were not read";
        fields::problem(parsed, path, report.start_line, 1, message.into());
        return;
    }
    host.mac = mac;
    host.me_ip = checked(
        parsed,
        path,
        report.get(Field::AmtIp),
        "AMT IP Address",
        fields::ipv4,
    );
    host.os_ip = checked(
        parsed,
        path,
        report.get(Field::OsIp),
        "OS IP Address",
        fields::ipv4,
    );
    host.link_up = checked(
        parsed,
        path,
        report.get(Field::LinkStatus),
        "Link Status",
        recognised(fields::link, "a link state (up or down)"),
    );
    host.me_dhcp = checked(
        parsed,
        path,
        report.get(Field::DhcpEnabled),
        "DHCP Enabled",
        recognised(fields::boolean, "true or false"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::agent_fixtures as fx;
    use crate::observe::model::{Problem, Ras};
    use crate::observe::reader_tests::{
        assert_claims_only, assert_every_prefix_reads, ip, only_host, positions,
    };

    fn read(text: &str) -> Parsed {
        parse(Path::new("reports/amtinfo.txt"), text)
    }

    #[test]
    fn tab_style_takes_wired_values_and_the_os_suffix() {
        let parsed = read(fx::AMTINFO_TABS);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        let expected = Host {
            origin: Some(Origin::new("reports/amtinfo.txt", 1)),
            hostname: Some("WS-0142".into()),
            fqdn: None,
            os_ip: ip("192.168.0.102"),
            me_ip: ip("0.0.0.0"),
            mac: Some("8c:ec:4b:12:34:56".into()),
            suffix: Some("vprodemo.com".into()),
            primary_suffix: None,
            me_suffix: None,
            ras: Some(Ras::Outside),
            link_up: Some(true),
            os_dhcp: None,
            me_dhcp: Some(true),
            amt_version: Some("16.1.25".into()),
            control_mode: Some("activated in client control mode".into()),
            site: None,
        };
        assert_eq!(host, &expected);
    }

    #[test]
    fn styled_output_loses_its_colours_and_boxes() {
        let parsed = read(fx::AMTINFO_STYLED);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.origin, Some(Origin::new("reports/amtinfo.txt", 2)));
        assert_eq!(host.hostname.as_deref(), Some("BER-LT-0077"));
        assert_eq!(host.suffix.as_deref(), Some("berlin.company.com"));
        assert_eq!(host.ras, Some(Ras::Outside));
        assert_eq!(host.control_mode.as_deref(), Some("admin control mode"));
        assert_eq!(host.amt_version.as_deref(), Some("16.1.27"));
        // Wired values, not the wireless section's 172.20.14.9 / up.
        assert_eq!(host.me_ip, ip("0.0.0.0"));
        assert_eq!(host.os_ip, None);
        assert_eq!(host.link_up, Some(false));
        assert_eq!(host.me_dhcp, Some(true));
        assert_eq!(host.mac.as_deref(), Some("a4:bb:6d:01:02:03"));
    }

    #[test]
    fn table_output_reads_cells_and_categories() {
        let parsed = read(fx::AMTINFO_TABLE);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.origin, Some(Origin::new("reports/amtinfo.txt", 2)));
        assert_eq!(host.hostname.as_deref(), Some("WS-0199"));
        // `DNS Suffix` (the ME's, company.com) is never the host's suffix, and option 15 makes
        // no device FQDN.
        assert_eq!(host.suffix.as_deref(), Some("site4.company.com"));
        assert_eq!(host.me_suffix.as_deref(), Some("company.com"));
        assert_eq!(host.fqdn, None);
        assert_eq!(host.ras, Some(Ras::Direct));
        assert_eq!(host.control_mode.as_deref(), Some("client control mode"));
        // The wired section comes after the wireless one in this file.
        assert_eq!(host.me_ip, ip("10.1.4.77"));
        assert_eq!(host.os_ip, ip("10.1.4.76"));
        assert_eq!(host.mac.as_deref(), Some("a4:bb:6d:11:22:34"));
        assert_eq!(host.me_dhcp, Some(false));
        assert_eq!(host.link_up, Some(true));
    }

    #[test]
    fn json_with_camel_case_keys() {
        let parsed = read(fx::AMTINFO_JSON);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        let expected = Host {
            origin: Some(Origin::new("reports/amtinfo.txt", 1)),
            hostname: Some("PAR-WS-0310".into()),
            os_ip: ip("10.3.8.41"),
            me_ip: ip("10.3.8.41"),
            mac: Some("3c:52:82:6a:0b:1c".into()),
            suffix: Some("paris.company.com".into()),
            me_suffix: Some("company.com".into()),
            ras: Some(Ras::Direct),
            link_up: Some(true),
            me_dhcp: Some(true),
            amt_version: Some("16.1.27".into()),
            control_mode: Some("admin control mode".into()),
            ..Host::default()
        };
        assert_eq!(host, &expected);
    }

    #[test]
    fn legacy_c_rpc_opens_adapters_with_lan_interface() {
        let parsed = read(fx::AMTINFO_LEGACY_C);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.hostname.as_deref(), Some("ws-0187"));
        assert_eq!(host.suffix.as_deref(), Some("site2.corp.example"));
        assert_eq!(host.me_suffix.as_deref(), Some("corp.example"));
        assert_eq!(host.ras, Some(Ras::Direct));
        // The wired values, not the wireless ones after them.
        assert_eq!(host.me_ip, ip("10.20.4.87"));
        assert_eq!(host.mac.as_deref(), Some("8c:16:45:0a:b1:c2"));
        assert_eq!((host.link_up, host.me_dhcp), (Some(true), Some(true)));
        assert_eq!(host.amt_version.as_deref(), Some("11.8.50"));
    }

    #[test]
    fn meshcmd_amtinfo_lines() {
        let parsed = read(fx::MESHCMD_AMTINFO);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.suffix.as_deref(), Some("plant.example.net"));
        assert_eq!(host.me_suffix.as_deref(), Some("example.net"));
        assert_eq!(host.ras, Some(Ras::Direct));
        assert_eq!(host.me_ip, ip("10.44.8.31"));
        assert_eq!(host.mac.as_deref(), Some("54:b2:03:1f:a0:7c"));
        assert_eq!(host.me_dhcp, Some(true));
        assert_eq!(host.amt_version.as_deref(), Some("15.0.41"));
        assert_eq!(
            host.control_mode.as_deref(),
            Some("activated in Client Control Mode (CCM)")
        );
        // Without meshcmd's own lines, a line that opens like it is not a report.
        assert!(!sniff("Intel AMT v15.0.41, activated.\nsomething else\n"));
    }

    #[test]
    fn json_with_display_label_keys() {
        let parsed = read(fx::AMTINFO_LABELS_JSON);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.hostname.as_deref(), Some("MAD-WS-0042"));
        assert_eq!(host.suffix.as_deref(), Some("madrid.company.com"));
        assert_eq!(host.ras, Some(Ras::Outside));
        assert_eq!(host.me_ip, ip("10.5.2.18"));
        assert_eq!(host.os_ip, ip("10.5.2.17"));
        assert_eq!(host.mac.as_deref(), Some("48:4d:7e:c0:ff:ee"));
        assert_eq!(host.me_dhcp, Some(false));
        assert_eq!(host.link_up, Some(true));
        assert_eq!(host.amt_version.as_deref(), Some("12.0.45"));
        assert_eq!(host.control_mode.as_deref(), Some("pre-provisioning state"));
    }

    #[test]
    fn missing_wired_section_is_noted_and_wireless_values_are_not_taken() {
        let parsed = read(fx::AMTINFO_OLD_WIRELESS);
        assert_eq!(positions(&parsed), [(1, 1)]);
        assert!(parsed.problems[0].message.contains("no wired adapter"));
        let host = only_host(&parsed);
        assert_eq!(host.hostname.as_deref(), Some("FIELD-LT-0311"));
        assert_eq!(host.suffix, None);
        assert_eq!(host.fqdn, None);
        assert_eq!(host.ras, Some(Ras::Unknown));
        assert_eq!(host.amt_version.as_deref(), Some("11.8.86"));
        assert_eq!(
            (host.me_ip, host.os_ip, host.mac.as_deref()),
            (None, None, None)
        );
        assert_eq!((host.link_up, host.me_dhcp), (None, None));
    }

    #[test]
    fn zero_mac_wired_adapter_in_json_counts_as_missing() {
        let text = fx::AMTINFO_JSON
            .replace("3c:52:82:6a:0b:1c", "00:00:00:00:00:00")
            .replace("\"ipAddress\": \"10.3.8.41\"", "\"ipAddress\": \"0.0.0.0\"");
        let parsed = read(&text);
        assert_eq!(positions(&parsed), [(1, 1)]);
        let host = only_host(&parsed);
        assert_eq!((host.me_ip, host.mac.as_deref()), (None, None));
        assert_eq!(host.hostname.as_deref(), Some("PAR-WS-0310"));
    }

    #[test]
    fn bad_address_in_text_is_a_problem_at_its_value() {
        let text = fx::AMTINFO_TABS.replacen("192.168.0.102", "10.1.4.999", 1);
        let parsed = read(&text);
        assert_eq!(positions(&parsed), [(19, 18)]);
        let message = &parsed.problems[0].message;
        assert!(message.contains("`10.1.4.999`") && message.contains("OS IP Address ignored"));
        let host = only_host(&parsed);
        assert_eq!(host.os_ip, None);
        assert_eq!(host.me_ip, ip("0.0.0.0"));
        assert_eq!(host.hostname.as_deref(), Some("WS-0142"));
    }

    #[test]
    fn bad_address_in_styled_text_counts_columns_in_the_file() {
        let text = fx::AMTINFO_STYLED.replacen("A4:BB:6D:01:02:03", "A4:BB:6D:01:02", 1);
        let parsed = read(&text);
        // Two spaces, an 11-character colour code, the label padded to 30, a 4-character reset
        // and a space come before the value.
        assert_eq!(positions(&parsed), [(31, 49)]);
        assert!(parsed.problems[0].message.contains("MAC Address ignored"));
        assert_eq!(only_host(&parsed).mac, None);
    }

    #[test]
    fn compact_json_reads_like_pretty_json() {
        let value: serde_json::Value = serde_json::from_str(fx::AMTINFO_JSON).unwrap();
        let compact = serde_json::to_string(&value).unwrap();
        let parsed = read(&compact);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(only_host(&parsed), only_host(&read(fx::AMTINFO_JSON)));
    }

    #[test]
    fn json_lists_where_values_belong_are_problems() {
        let text = fx::AMTINFO_JSON.replacen(
            "\"hostnameOS\": \"PAR-WS-0310\"",
            "\"hostnameOS\": [\"PAR-WS-0310\"]",
            1,
        );
        let parsed = read(&text);
        assert_eq!(positions(&parsed), [(12, 17)]);
        assert!(
            parsed.problems[0]
                .message
                .contains("`hostnameOS` holds a list")
        );
        let host = only_host(&parsed);
        assert_eq!(
            (host.hostname.as_deref(), host.fqdn.as_deref()),
            (None, None)
        );
        assert_eq!(host.mac.as_deref(), Some("3c:52:82:6a:0b:1c"));
    }

    #[test]
    fn json_positions_come_from_the_parser_not_from_a_search_for_the_key() {
        // The same key earlier in an object the reader skips, and in a string value: a search
        // for `"hostnameOS"` from the top would land on either.
        let text = fx::AMTINFO_JSON
            .replacen(
                "{\n",
                "{\n  \"notes\": {\"hostnameOS\": \"decoy\", \"x\": \"\\\"hostnameOS\\\": 1\"},\n",
                1,
            )
            .replacen(
                "\"hostnameOS\": \"PAR-WS-0310\"",
                "\"hostnameOS\": [\"PAR-WS-0310\"]",
                1,
            );
        let parsed = read(&text);
        assert_eq!(positions(&parsed), [(13, 17)]);
    }

    #[test]
    fn json_damaged_in_the_middle_still_yields_later_values() {
        let text = fx::AMTINFO_JSON.replacen(
            "\"controlMode\": \"admin control mode\",",
            "\"controlMode\": admin,",
            1,
        );
        let parsed = read(&text);
        assert_eq!(positions(&parsed), [(7, 18)]);
        let host = only_host(&parsed);
        assert_eq!(host.control_mode, None);
        assert_eq!(host.suffix.as_deref(), Some("paris.company.com"));
        assert_eq!(host.os_ip, ip("10.3.8.41"));
        assert_eq!(host.mac.as_deref(), Some("3c:52:82:6a:0b:1c"));
    }

    #[test]
    fn bad_address_in_json_is_a_problem_at_its_value() {
        let text = fx::AMTINFO_JSON.replacen(
            "\"osIpAddress\": \"10.3.8.41\"",
            "\"osIpAddress\": \"10.1.4.999\"",
            1,
        );
        let parsed = read(&text);
        assert_eq!(positions(&parsed), [(25, 20)]);
        let host = only_host(&parsed);
        assert_eq!((host.os_ip, host.me_ip), (None, ip("10.3.8.41")));
    }

    #[test]
    fn truncated_text_keeps_what_came_before() {
        // Cut in the middle of the wired MAC address.
        let cut = fx::AMTINFO_TABS.find("8c:ec:4b:12").unwrap() + "8c:ec:4b:12".len();
        let parsed = read(&fx::AMTINFO_TABS[..cut]);
        assert_eq!(positions(&parsed), [(20, 18)]);
        let host = only_host(&parsed);
        assert_eq!(host.mac, None);
        assert_eq!(host.os_ip, ip("192.168.0.102"));
        assert_eq!(host.suffix.as_deref(), Some("vprodemo.com"));

        // Cut before the wired section: the missing section is noted.
        let cut = fx::AMTINFO_TABS.find("---Wired").unwrap();
        let parsed = read(&fx::AMTINFO_TABS[..cut]);
        assert_eq!(positions(&parsed), [(1, 1)]);
        assert_eq!(only_host(&parsed).hostname.as_deref(), Some("WS-0142"));
    }

    #[test]
    fn truncated_json_is_salvaged_line_by_line() {
        let cut = fx::AMTINFO_JSON.find("\"osIpAddress\"").unwrap();
        let parsed = read(&fx::AMTINFO_JSON[..cut]);
        assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
        let problem: &Problem = &parsed.problems[0];
        assert_eq!((problem.origin.line, problem.column), (25, 5));
        assert!(problem.message.contains("cut short"), "{}", problem.message);
        let host = only_host(&parsed);
        assert_eq!(host.hostname.as_deref(), Some("PAR-WS-0310"));
        assert_eq!(host.suffix.as_deref(), Some("paris.company.com"));
        assert_eq!(host.ras, Some(Ras::Direct));
        assert_eq!(host.me_ip, ip("10.3.8.41"));
        assert_eq!(host.os_ip, None);
        assert_eq!(host.mac, None);
    }

    #[test]
    fn garbage_and_binary_are_one_problem_and_no_host() {
        for text in [
            "\u{0}\u{1}PK\u{3}\u{4}\u{fffd}\u{fffd}binary",
            "hello\nworld: yes\n",
            "{ \"amt\": ",
            "[1, 2, 3]",
            "\u{1b}[31m\u{1b}]8;;http://x\u{7}\u{1b}",
        ] {
            let parsed = read(text);
            assert!(parsed.hosts.is_empty(), "{text:?}");
            assert_eq!(parsed.problems.len(), 1, "{text:?}: {:?}", parsed.problems);
            assert_eq!(parsed.problems[0].origin.line, 1);
        }
    }

    #[test]
    fn every_prefix_of_every_sample_reads_without_panicking() {
        assert_every_prefix_reads(7, read);
    }

    #[test]
    fn a_report_without_identity_is_a_problem_not_a_host() {
        let text = "Version\t\t\t: 16.1.25\nControl Mode\t\t: pre-provisioning state\nDNS Suffix (OS)\t\t: company.com\n---Wired Adapter---\nAMT IP Address\t\t: 0.0.0.0\nOS IP Address\t\t: Not Found\n";
        let parsed = read(text);
        assert!(parsed.hosts.is_empty());
        assert_eq!(positions(&parsed), [(1, 1)]);
        assert!(parsed.problems[0].message.contains("names no device"));
    }

    #[test]
    fn a_host_without_suffix_is_still_a_host_and_the_me_suffix_is_not_used() {
        let text = "DNS Suffix\t\t: me.company.com\nDNS Suffix (OS)\t\t: \nHostname (OS)\t\t: WS-7\n---Wired Adapter---\nMAC Address  \t\t: 00-11-22-33-44-55\n";
        let parsed = read(text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!((host.suffix.as_deref(), host.fqdn.as_deref()), (None, None));
        assert_eq!(host.mac.as_deref(), Some("00:11:22:33:44:55"));
    }

    #[test]
    fn rpc_go_on_linux_printing_the_host_name_as_suffix_gives_no_suffix() {
        // An Ubuntu box whose host name has no domain: rpc-go prints the host name itself.
        let text = "Version\t\t\t: 11.8.93\nDNS Suffix\t\t: vprodemo.com\nDNS Suffix (OS)\t: myhost\nHostname (OS)\t\t: myhost\nRAS Network      \t: outside enterprise\n---Wired Adapter---\nMAC Address  \t\t: 00-11-22-33-44-66\n";
        let parsed = read(text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let host = only_host(&parsed);
        assert_eq!(host.suffix, None);
        assert_eq!(host.me_suffix.as_deref(), Some("vprodemo.com"));
        // A real single-label suffix that is not the host name, or a dotted one, stays.
        let other = read(&text.replace("DNS Suffix (OS)\t: myhost", "DNS Suffix (OS)\t: corp"));
        assert_eq!(only_host(&other).suffix.as_deref(), Some("corp"));
        let dotted = read(&text.replace(
            "DNS Suffix (OS)\t: myhost",
            "DNS Suffix (OS)\t: lab.company.com",
        ));
        assert_eq!(
            only_host(&dotted).suffix.as_deref(),
            Some("lab.company.com")
        );
    }

    #[test]
    fn garbled_suffix_and_unknown_ras_are_problems() {
        let text = "Hostname (OS)\t\t: WS-7\nDNS Suffix (OS)\t\t: company com\nRAS Network      \t: sideways\n---Wired Adapter---\nLink Status  \t\t: wobbly\n";
        let parsed = read(text);
        assert_eq!(positions(&parsed), [(2, 20), (3, 21), (5, 18)]);
        let host = only_host(&parsed);
        assert_eq!(
            (host.suffix.as_deref(), host.ras, host.link_up),
            (None, None, None)
        );
        assert_eq!(host.hostname.as_deref(), Some("WS-7"));
    }

    #[test]
    fn a_second_report_in_one_file_is_not_merged() {
        let text = format!(
            "{}{}",
            fx::AMTINFO_TABS,
            fx::AMTINFO_TABS.replace("WS-0142", "WS-9999")
        );
        let parsed = read(&text);
        let host = only_host(&parsed);
        assert_eq!(host.hostname.as_deref(), Some("WS-0142"));
        assert_eq!(parsed.problems[0].origin.line, 33);
        assert!(
            parsed
                .problems
                .iter()
                .all(|p| p.message.contains("appears again"))
        );
    }

    #[test]
    fn bom_and_crlf_are_tolerated() {
        let text = format!("\u{feff}{}", fx::AMTINFO_TABS.replace('\n', "\r\n"));
        assert!(sniff(&text));
        let parsed = read(&text);
        assert!(parsed.problems.is_empty());
        assert_eq!(only_host(&parsed).suffix.as_deref(), Some("vprodemo.com"));
    }

    #[test]
    fn sniff_claims_only_amtinfo_reports() {
        assert_claims_only(READER.name, sniff);
        let unelevated = "\n  \u{1b}[38;5;220mNot running as administrator \u{2014} AMT data unavailable\u{1b}[0m\n\n  \u{1b}[1;38;5;39mAMT Device Information\u{1b}[0m\n  \u{1b}[38;5;250mDNS Suffix                    \u{1b}[0m \n  \u{1b}[38;5;250mDNS Suffix (OS)               \u{1b}[0m company.com\n  \u{1b}[38;5;250mHostname (OS)                 \u{1b}[0m WS-0142\n";
        assert!(sniff(unelevated));
        let host = read(unelevated);
        assert_eq!(only_host(&host).suffix.as_deref(), Some("company.com"));
        assert!(!sniff("Version: 2\nname = \"x\"\n"));
    }
}

//! `netsh dhcp server dump` output: one command per line, `Dhcp Server \\SERVER [Scope ID] …`.
//! Commands are case-insensitive; `#` and `REM` lines, `pushd`/`popd` and commands that do not
//! matter here are skipped. Read: `add scope`, `Scope … add iprange`, `set optionvalue 15`,
//! `Scope … set optionvalue 15`, `Scope … add reservedip` and `Scope … set reservedoptionvalue
//! … 15`. IPv6 (`v6`) and multicast (`mscope`) lines are skipped.
//!
//! Localised servers translate the dump's comments (`#  Add Scope …` becomes `#  Bereich …
//! hinzufügen`), option and class names, but never the commands: the file is recognised and read
//! by its commands alone, option 15 by its code, so a dump reads the same in any language.

use super::{Server, Setting};
use crate::observe::dhcp_common;
use crate::observe::model::{Ipv4Range, Origin, Parsed, clean_suffix};
use std::path::Path;

/// A dump has at least one `Dhcp Server \\SERVER COMMAND …` line.
pub(super) fn sniff(head: &str) -> bool {
    head.lines().any(|line| {
        // Only a line that starts with `dhcp` can be a dump command; tokenize no other.
        let starts_dhcp = line
            .trim_start()
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case("dhcp"));
        if !starts_dhcp {
            return false;
        }
        let (tokens, _) = tokenize(line);
        match tokens.as_slice() {
            [dhcp, server, name, command, ..] => {
                dhcp.is("dhcp")
                    && server.is("server")
                    && (name.text.starts_with("\\\\") || dhcp_common::ipv4(name.text).is_some())
                    && command.text.bytes().all(|b| b.is_ascii_alphanumeric())
            }
            _ => false,
        }
    })
}

/// The servers a dump configures, in the order they first appear.
pub(super) fn read(path: &Path, text: &str, parsed: &mut Parsed) -> Vec<Server> {
    let mut servers: Vec<(String, Server)> = Vec::new();
    let mut seen_dump_line = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || is_comment(trimmed) {
            continue;
        }
        let (tokens, unterminated) = tokenize(line);
        let Some((server, rest)) = split_server(&tokens) else {
            continue;
        };
        seen_dump_line = true;
        let key = server.trim_start_matches('\\').to_ascii_lowercase();
        let position = servers.iter().position(|(k, _)| *k == key);
        let index_of_server = position.unwrap_or_else(|| {
            servers.push((key, Server::default()));
            servers.len() - 1
        });
        let Some((_, server)) = servers.get_mut(index_of_server) else {
            continue;
        };
        let mut line = Line {
            origin: Origin::new(path, index + 1),
            unterminated,
            parsed: &mut *parsed,
        };
        line.command(server, rest);
    }
    if !seen_dump_line {
        parsed.problem(
            Origin::new(path, 1),
            1,
            "no `Dhcp Server …` line: not a `netsh dhcp server dump`; nothing is read",
        );
    }
    servers.into_iter().map(|(_, s)| s).collect()
}

fn is_comment(trimmed: &str) -> bool {
    let lower = trimmed.get(..4).unwrap_or(trimmed).to_ascii_lowercase();
    trimmed.starts_with('#')
        || trimmed.starts_with("::")
        || lower == "rem"
        || lower.starts_with("rem ")
        || lower.starts_with("rem\t")
}

/// The server name and the command after `Dhcp Server [\\SERVER]`; `None` for other lines.
fn split_server<'l, 't>(tokens: &'t [Token<'l>]) -> Option<(&'l str, &'t [Token<'l>])> {
    let [dhcp, server, rest @ ..] = tokens else {
        return None;
    };
    if !dhcp.is("dhcp") || !server.is("server") {
        return None;
    }
    match rest {
        [name, rest @ ..] if !is_command_word(name) => Some((name.text, rest)),
        _ => Some(("", rest)),
    }
}

fn is_command_word(token: &Token) -> bool {
    ["add", "set", "delete", "scope", "mscope", "v4", "v6"]
        .iter()
        .any(|w| token.is(w))
}

/// One whitespace-separated word of a line; quotes keep spaces inside a word.
#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    text: &'a str,
    /// 1-based, in characters.
    column: usize,
}

impl Token<'_> {
    fn is(&self, word: &str) -> bool {
        self.text.eq_ignore_ascii_case(word)
    }

    /// The text without surrounding quotes.
    fn unquoted(&self) -> &str {
        unquote(self.text)
    }
}

fn unquote(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
}

/// Split a line into words; also tells whether a quote was left open.
fn tokenize(line: &str) -> (Vec<Token<'_>>, bool) {
    let mut tokens = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    let mut quoted = false;
    for (column, (offset, c)) in line.char_indices().enumerate() {
        if c.is_whitespace() && !quoted {
            if let Some((begin, col)) = start.take() {
                tokens.push(token(line, begin, offset, col));
            }
            continue;
        }
        if start.is_none() {
            start = Some((offset, column + 1));
        }
        if c == '"' {
            quoted = !quoted;
        }
    }
    if let Some((begin, col)) = start {
        tokens.push(token(line, begin, line.len(), col));
    }
    (tokens, quoted)
}

fn token(line: &str, begin: usize, end: usize, column: usize) -> Token<'_> {
    Token {
        text: line.get(begin..end).unwrap_or(""),
        column,
    }
}

/// One dump line being applied to a server.
struct Line<'p> {
    origin: Origin,
    unterminated: bool,
    parsed: &'p mut Parsed,
}

impl Line<'_> {
    fn problem(&mut self, column: usize, message: impl Into<String>) {
        self.parsed.problem(self.origin.clone(), column, message);
    }

    fn command(&mut self, server: &mut Server, words: &[Token]) {
        let words = match words {
            [v4, rest @ ..] if v4.is("v4") => rest,
            _ => words,
        };
        match words {
            [scope, id, rest @ ..] if scope.is("scope") => self.scope_command(server, id, rest),
            [add, scope, rest @ ..] if add.is("add") && scope.is("scope") => {
                self.add_scope(server, add, rest);
            }
            [set, optionvalue, args @ ..] if set.is("set") && optionvalue.is("optionvalue") => {
                if let Some((class, setting)) = self.option15(args)
                    && !server.options.set(class, setting)
                {
                    self.problem(
                        set.column,
                        "server option 15 is set twice; the first is used",
                    );
                }
            }
            _ => {}
        }
    }

    fn add_scope(&mut self, server: &mut Server, add: &Token, args: &[Token]) {
        let id = args.first().and_then(|t| dhcp_common::ipv4(t.text));
        let mask = args.get(1).and_then(|t| dhcp_common::ipv4(t.text));
        let subnet = id
            .zip(mask)
            .and_then(|(id, mask)| Ipv4Range::from_mask(id, mask));
        let (Some(id), Some(subnet)) = (id, subnet) else {
            self.problem(
                add.column,
                "`add scope` needs a scope address and a subnet mask like 10.1.4.0 255.255.255.0; line ignored",
            );
            return;
        };
        let scope = server.scope(id, &self.origin);
        scope.opened = self.origin.clone();
        scope.subnet = Some(subnet);
        scope.name = args.get(2).map(|t| t.unquoted().to_owned());
    }

    fn scope_command(&mut self, server: &mut Server, id: &Token, words: &[Token]) {
        let Some(address) = dhcp_common::ipv4(id.text) else {
            if self.sets_option15(words) {
                self.problem(
                    id.column,
                    format!(
                        "scope address `{}` is not an IPv4 address; option 15 line ignored",
                        id.text
                    ),
                );
            }
            return;
        };
        match words {
            [add, iprange, args @ ..] if add.is("add") && iprange.is("iprange") => {
                let range = match args {
                    [start, end, ..] => dhcp_common::ipv4(start.text)
                        .zip(dhcp_common::ipv4(end.text))
                        .map(|(a, b)| Ipv4Range::new(a, b)),
                    _ => None,
                };
                match range {
                    Some(range) => server.scope(address, &self.origin).ranges.push(range),
                    None => self.problem(
                        iprange.column,
                        "`add iprange` needs a first and a last IPv4 address; line ignored",
                    ),
                }
            }
            [set, optionvalue, args @ ..] if set.is("set") && optionvalue.is("optionvalue") => {
                if let Some((class, setting)) = self.option15(args)
                    && !server
                        .scope(address, &self.origin)
                        .options
                        .set(class, setting)
                {
                    self.problem(
                        set.column,
                        format!("option 15 of scope {address} is set twice; the first is used"),
                    );
                }
            }
            [add, reservedip, ip, _mac, rest @ ..]
                if add.is("add") && reservedip.is("reservedip") =>
            {
                if let Some(ip) = dhcp_common::ipv4(ip.text) {
                    let name = rest.first().map(|t| t.unquoted().to_owned());
                    let reservation = server.scope(address, &self.origin).reservation(ip);
                    reservation.name = name.or(reservation.name.take());
                }
            }
            [set, reserved, ip, args @ ..]
                if set.is("set") && reserved.is("reservedoptionvalue") =>
            {
                self.reserved_option(server, address, ip, args);
            }
            _ => {}
        }
    }

    fn reserved_option(
        &mut self,
        server: &mut Server,
        scope: std::net::Ipv4Addr,
        ip: &Token,
        args: &[Token],
    ) {
        let Some(address) = dhcp_common::ipv4(ip.text) else {
            if args.first().is_some_and(is_code15) {
                self.problem(
                    ip.column,
                    format!(
                        "reserved address `{}` is not an IPv4 address; option 15 line ignored",
                        ip.text
                    ),
                );
            }
            return;
        };
        if let Some((class, setting)) = self.option15(args) {
            let reservation = server.scope(scope, &self.origin).reservation(address);
            if !reservation.options.set(class, setting) {
                self.problem(
                    ip.column,
                    format!("option 15 of reservation {address} is set twice; the first is used"),
                );
            }
        }
    }

    fn sets_option15(&self, words: &[Token]) -> bool {
        match words {
            [set, optionvalue, code, ..] if set.is("set") && optionvalue.is("optionvalue") => {
                is_code15(code)
            }
            [set, reserved, _ip, code, ..]
                if set.is("set") && reserved.is("reservedoptionvalue") =>
            {
                is_code15(code)
            }
            _ => false,
        }
    }

    /// `CODE TYPE [user="…"] [vendor="…"] "VALUE" …` when CODE is 15: the user class, if any,
    /// and the value.
    fn option15(&mut self, args: &[Token]) -> Option<(Option<String>, Setting)> {
        let [code, rest @ ..] = args else {
            return None;
        };
        if !is_code15(code) {
            return None;
        }
        if self.unterminated {
            self.problem(code.column, "option 15 line has an unclosed quote; ignored");
            return None;
        }
        let Some((kind, rest)) = rest.split_first() else {
            self.problem(code.column, "option 15 has no type and no value; ignored");
            return None;
        };
        if !kind.is("string") {
            self.problem(
                kind.column,
                format!("option 15 is given as `{}`, not STRING; ignored", kind.text),
            );
            return None;
        }
        let mut user_class = None;
        let mut vendor_class = None;
        let mut values = Vec::new();
        for word in rest {
            match word.text.split_once('=') {
                Some((key, class)) if key.eq_ignore_ascii_case("user") => {
                    user_class = Some(unquote(class).trim().to_owned());
                }
                Some((key, class)) if key.eq_ignore_ascii_case("vendor") => {
                    vendor_class = Some(unquote(class).trim().to_owned());
                }
                _ => values.push(*word),
            }
        }
        if vendor_class.is_some_and(|c| !c.is_empty()) {
            return None;
        }
        let user_class = user_class.filter(|c| !c.is_empty());
        let suffix = self.first_value(kind, &values)?;
        let setting = Setting {
            suffix,
            origin: self.origin.clone(),
        };
        Some((user_class, setting))
    }

    fn first_value(&mut self, kind: &Token, values: &[Token]) -> Option<String> {
        let Some(first) = values.first() else {
            self.problem(kind.column, "option 15 has no value; ignored");
            return None;
        };
        let Some(suffix) = clean_suffix(first.unquoted()) else {
            self.problem(first.column, "option 15 value is empty; ignored");
            return None;
        };
        if let Some(second) = values.get(1) {
            self.problem(
                second.column,
                format!(
                    "option 15 has {} values; only the first, `{suffix}`, is used",
                    values.len()
                ),
            );
        }
        Some(suffix)
    }
}

fn is_code15(token: &Token) -> bool {
    token.text.parse::<u32>() == Ok(15)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{DUMP, Row, row, scopes};
    use super::super::{parse, sniff};
    use crate::observe::reader_tests::{problems, utf16};
    use crate::source::SourceFile;
    use std::path::Path;

    /// A dump from a German server: translated comments, option and class names, umlauts in
    /// scope names, CRLF line ends.
    const DUMP_DE: &str = include_str!("../../../tests/fixtures/dhcp/netsh-dump-de.txt");

    fn german_rows() -> Vec<Row> {
        vec![
            row("server default", Some("firma.example.de"), &[], 21),
            row(
                "user-class Labor-Rechner",
                Some("labor.firma.example.de"),
                &[],
                22,
            ),
            row(
                "scope 10.20.1.0 (Büro Erdgeschoss)",
                Some("eg.firma.example.de"),
                &["10.20.1.20-10.20.1.240"],
                35,
            ),
            row(
                "host drucker-eg",
                Some("geraete.firma.example.de"),
                &["10.20.1.30/32"],
                37,
            ),
            row(
                "scope 10.20.2.0 (Gäste-WLAN)",
                Some("firma.example.de"),
                &["10.20.2.10-10.20.2.250"],
                42,
            ),
        ]
    }

    /// Scopes without their lines, to compare dumps whose comments differ.
    fn unplaced(rows: Vec<Row>) -> Vec<Row> {
        rows.into_iter().map(|(n, s, r, _)| (n, s, r, 0)).collect()
    }

    fn dump(text: &str) -> crate::observe::model::Parsed {
        parse(Path::new("dump.txt"), text)
    }

    #[test]
    fn fixture_gives_every_scope_with_inheritance() {
        let p = parse(Path::new("tests/fixtures/dhcp/netsh-dump.txt"), DUMP);
        assert_eq!(problems(&p), vec![]);
        assert_eq!(
            scopes(&p),
            vec![
                row("server default", Some("company.com"), &[], 24),
                row("user-class Lab Machines", Some("lab.company.com"), &[], 26),
                row(
                    "scope 10.1.4.0 (HQ wired)",
                    Some("site4.company.com"),
                    &["10.1.4.10-10.1.4.200"],
                    38
                ),
                row(
                    "host kiosk",
                    Some("kiosk.company.com"),
                    &["10.1.4.50/32"],
                    40
                ),
                row(
                    "scope 10.1.5.0 (Guest Wi-Fi)",
                    Some("company.com"),
                    &["10.1.5.20-10.1.5.250"],
                    47
                ),
                row(
                    "scope 172.16.0.0 (Lab)",
                    Some("lab.company.com"),
                    &["172.16.0.0/22"],
                    56
                ),
            ]
        );
        assert_eq!(
            p.scopes[0].origin.path,
            Path::new("tests/fixtures/dhcp/netsh-dump.txt")
        );
    }

    #[test]
    fn malformed_option_15_lines_are_reported_and_the_rest_read() {
        let text = r#"Dhcp Server \\dc1 add scope 10.1.4.0 255.255.255.0 "HQ" ""
Dhcp Server \\dc1 set optionvalue 15 IPADDRESS "10.0.0.1"
Dhcp Server \\dc1 set optionvalue 15 STRING
Dhcp Server \\dc1 Scope 10.1.4.0 set optionvalue 15 STRING ""
Dhcp Server \\dc1 Scope 10.1.4.0 set optionvalue 015 STRING "first.company.com" "second.company.com"
Dhcp Server \\dc1 Scope 10.1.4.0 set optionvalue 15 STRING "again.company.com"
Dhcp Server \\dc1 Scope 10.1.4.x set optionvalue 15 STRING "bad-scope.company.com"
Dhcp Server \\dc1 Scope 10.1.4.0 set reservedoptionvalue 10.1.4.999 15 STRING "k.company.com"
Dhcp Server \\dc1 Scope 10.1.4.0 set optionvalue 6 IPADDRESS "not an address
Dhcp Server \\dc1 frobnicate the widgets
this line is not a command at all
Dhcp Server \\dc1 Scope 10.1.4.0 set optionvalue 15 STRING "unclosed.company.com
"#;
        let p = dump(text);
        assert_eq!(
            scopes(&p),
            vec![row(
                "scope 10.1.4.0 (HQ)",
                Some("first.company.com"),
                &["10.1.4.0/24"],
                5
            )]
        );
        let found = problems(&p);
        let positions: Vec<_> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(
            positions,
            [
                (2, 38),
                (3, 38),
                (4, 60),
                (5, 81),
                (6, 34),
                (7, 25),
                (8, 58),
                (12, 50)
            ],
            "{found:?}"
        );
        let messages: Vec<_> = found.iter().map(|(_, _, m)| *m).collect();
        assert!(messages[0].contains("`IPADDRESS`, not STRING; ignored"));
        assert!(messages[1].contains("has no value; ignored"));
        assert!(messages[2].contains("empty; ignored"));
        assert!(messages[3].contains("2 values; only the first, `first.company.com`, is used"));
        assert!(messages[4].contains("set twice; the first is used"));
        assert!(messages[5].contains("`10.1.4.x` is not an IPv4 address"));
        assert!(messages[6].contains("`10.1.4.999` is not an IPv4 address"));
        assert!(messages[7].contains("unclosed quote"));
    }

    #[test]
    fn truncated_dump_keeps_the_lines_before_the_cut() {
        let cut = DUMP
            .find("Scope 172.16.0.0 SET OPTIONVALUE 15 STRING \"lab.comp")
            .map(|i| &DUMP[..i + 50])
            .unwrap();
        let p = dump(cut);
        let names: Vec<_> = p.scopes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "server default",
                "user-class Lab Machines",
                "scope 10.1.4.0 (HQ wired)",
                "host kiosk",
                "scope 10.1.5.0 (Guest Wi-Fi)",
                "scope 172.16.0.0 (Lab)",
            ]
        );
        assert_eq!(p.scopes[5].suffix.as_deref(), Some("company.com"));
        assert_eq!(p.scopes[5].origin.line, 55);
        let found = problems(&p);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 56);
        assert!(found[0].2.contains("unclosed quote"));
    }

    #[test]
    fn garbage_and_binary_do_not_panic() {
        for text in [
            "\u{1}\u{2}\u{fffd}PK garbage \"\"\" \\\\ Dhcp",
            "Dhcp",
            "Dhcp Server",
            "Dhcp Server \\\\x Scope",
            "Dhcp Server \\\\x Scope 10.0.0.0 set reservedoptionvalue",
            "Dhcp Server \\\\x add scope 10.0.0.0",
        ] {
            let p = dump(text);
            assert!(p.scopes.is_empty(), "{text}");
            assert!(p.problems.iter().all(|q| q.origin.line == 1), "{text}");
        }
        let p = dump("\u{1}\u{2}\u{fffd}PK garbage");
        assert_eq!(problems(&p).len(), 1);
        assert!(
            p.problems[0]
                .message
                .contains("not a `netsh dhcp server dump`")
        );
    }

    #[test]
    fn scopes_without_option_15_and_without_add_scope() {
        let text = "REM no server-wide option 15\r\n\
                    Dhcp Server 10.0.0.5 add scope 10.2.0.0 255.255.0.0 \"Plain\" \"\"\r\n\
                    Dhcp Server 10.0.0.5 Scope 10.9.0.0 set optionvalue 15 STRING \"orphan.company.com\"\r\n\
                    Dhcp Server 10.0.0.5 add scope 10.3.0.0 255.255.0.0\r\n\
                    Dhcp Server 10.0.0.5 add scope 10.4.0.0 255.0.255.0 \"Bad mask\"\r\n\
                    Dhcp Server 10.0.0.5 Scope 10.2.0.0 Add iprange 10.2.0.10\r\n";
        let p = dump(text);
        assert_eq!(
            scopes(&p),
            vec![
                row("scope 10.2.0.0 (Plain)", None, &["10.2.0.0/16"], 2),
                row("scope 10.9.0.0", Some("orphan.company.com"), &[], 3),
                row("scope 10.3.0.0", None, &["10.3.0.0/16"], 4),
            ]
        );
        let found = problems(&p);
        assert_eq!(
            found.iter().map(|(l, c, _)| (*l, *c)).collect::<Vec<_>>(),
            [(5, 22), (6, 41)],
            "{found:?}"
        );
        assert!(found[0].2.contains("`add scope` needs"));
        assert!(found[1].2.contains("`add iprange` needs"));
    }

    #[test]
    fn user_class_values_become_scopes_without_addresses() {
        let text = r#"Dhcp Server \\dc1 add scope 10.1.4.0 255.255.255.0 "HQ" ""
Dhcp Server \\dc1 Scope 10.1.4.0 set optionvalue 15 STRING user="Lab Machines" "lab.company.com"
Dhcp Server \\dc1 Scope 10.1.4.0 set optionvalue 15 STRING vendor="MSFT 5.0" "vendor.company.com"
Dhcp Server \\dc1 Scope 10.1.4.0 set reservedoptionvalue 10.1.4.9 15 STRING User="Phones" "voice.company.com"
"#;
        let p = dump(text);
        assert_eq!(
            scopes(&p),
            vec![
                row("scope 10.1.4.0 (HQ)", None, &["10.1.4.0/24"], 1),
                row(
                    "scope 10.1.4.0 (HQ), user-class Lab Machines",
                    Some("lab.company.com"),
                    &[],
                    2
                ),
                row(
                    "host 10.1.4.9, user-class Phones",
                    Some("voice.company.com"),
                    &[],
                    4
                ),
            ]
        );
        assert_eq!(problems(&p), vec![]);
    }

    #[test]
    fn each_server_keeps_its_own_default() {
        let text = r#"Dhcp Server \\dc1 set optionvalue 15 STRING "one.company.com"
Dhcp Server \\dc1 add scope 10.1.0.0 255.255.255.0 "A" ""
Dhcp Server \\DC2 set optionvalue 15 STRING "two.company.com"
Dhcp Server \\dc2 add scope 10.2.0.0 255.255.255.0 "A" ""
Dhcp Server \\dc2 add mscope "Multicast" "" 1
Dhcp Server \\dc2 v6 add scope 2001:db8:: "v6" ""
"#;
        let p = dump(text);
        assert_eq!(
            scopes(&p),
            vec![
                row("server default", Some("one.company.com"), &[], 1),
                row(
                    "scope 10.1.0.0 (A)",
                    Some("one.company.com"),
                    &["10.1.0.0/24"],
                    2
                ),
                row("server default #2", Some("two.company.com"), &[], 3),
                row(
                    "scope 10.2.0.0 (A)",
                    Some("two.company.com"),
                    &["10.2.0.0/24"],
                    4
                ),
            ]
        );
        assert_eq!(problems(&p), vec![]);
    }
    #[test]
    fn a_german_dump_reads_like_an_english_one() {
        assert!(sniff(DUMP_DE));
        let p = dump(DUMP_DE);
        assert_eq!(problems(&p), vec![]);
        // The vendor-class value and the option 15 line that was commented out are not read.
        assert_eq!(scopes(&p), german_rows());
    }

    #[test]
    fn comments_in_any_language_or_none_change_nothing() {
        let without: String = DUMP_DE
            .split_inclusive('\n')
            .filter(|line| !line.trim_start().starts_with('#'))
            .collect();
        let chinese = DUMP_DE
            .replace(
                "Serveroptionswerte werden konfiguriert",
                "正在配置服务器选项值",
            )
            .replace("Bereich 10.20.1.0 hinzufügen", "添加作用域 10.20.1.0")
            .replace("DHCP-Serverkonfiguration", "DHCP 服务器配置");
        let want = unplaced(german_rows());
        for text in [without.as_str(), chinese.as_str()] {
            assert!(sniff(text));
            let p = dump(text);
            assert_eq!(problems(&p), vec![]);
            assert_eq!(unplaced(scopes(&p)), want);
        }
        // The comments alone, commands removed, are no dump at all.
        let comments: String = DUMP_DE
            .split_inclusive('\n')
            .filter(|line| !line.starts_with("Dhcp Server"))
            .collect();
        assert!(!sniff(&comments));
        let p = dump(&comments);
        assert!(p.scopes.is_empty());
        assert!(
            p.problems[0]
                .message
                .contains("not a `netsh dhcp server dump`")
        );
    }

    #[test]
    fn a_german_dump_saved_by_windows_powershell_reads_once_decoded() {
        let source = SourceFile::decode("dump.txt", &utf16(DUMP_DE, true)).unwrap();
        assert!(sniff(&source.text));
        let p = dump(&source.text);
        assert_eq!(problems(&p), vec![]);
        assert_eq!(scopes(&p), german_rows());
    }
}

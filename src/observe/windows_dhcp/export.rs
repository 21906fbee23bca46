//! `Export-DhcpServer` XML: root `DHCPServer`, server values under `IPv4/OptionValues`, scopes
//! under `IPv4/Scopes/Scope` (`ScopeId`, `SubnetMask`, `Name`, `StartRange`, `EndRange`,
//! `OptionValues`, `Reservations/Reservation`). Namespaces are ignored and names compared without
//! regard to case. The text arrives decoded, so an `encoding="utf-16"` declaration is fine.

use super::{DhcpScope, Options, Reservation, Server, Setting};
use crate::observe::dhcp_common;
use crate::observe::model::{Ipv4Range, Origin, Parsed, clean_suffix};
use crate::source::{Encoding, Source, SourceFile};
use quick_xml::events::{BytesDecl, Event};
use quick_xml::reader::Reader;
use std::net::Ipv4Addr;
use std::path::Path;

/// Elements nested deeper than this are not read.
const MAX_DEPTH: usize = 64;
/// More elements than this are not read.
const MAX_ELEMENTS: usize = 1_000_000;
/// Declared encodings that agree with text already decoded as UTF-8 or UTF-16.
const UNICODE_ENCODINGS: [&str; 7] = [
    "utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "unicode", "us-ascii",
];

/// XML whose root element is `DHCPServer`.
pub(super) fn sniff(head: &str) -> bool {
    root_name(head).is_some_and(|name| name.eq_ignore_ascii_case("DHCPServer"))
}

/// The local name of the first element, after the declaration, comments and a DOCTYPE.
fn root_name(head: &str) -> Option<&str> {
    let mut rest = head.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>")?.1.trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->")?.1.trim_start();
        } else if let Some(after) = rest.strip_prefix("<!") {
            rest = after.split_once('>')?.1.trim_start();
        } else {
            let after = rest.strip_prefix('<')?;
            let end = after
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(after.len());
            let name = after.get(..end)?;
            return Some(name.rsplit(':').next().unwrap_or(name));
        }
    }
}

/// One element: local name, direct text and children.
#[derive(Debug)]
struct Node {
    name: String,
    text: String,
    children: Vec<usize>,
    /// Byte offset of the start tag.
    offset: usize,
    /// False when the file ended before the element's end tag.
    closed: bool,
}

/// The elements read, document order; index 0 is the root. Kept when the XML breaks off.
struct Tree {
    nodes: Vec<Node>,
    source: Source,
}

impl Tree {
    fn node(&self, index: usize) -> Option<&Node> {
        self.nodes.get(index)
    }

    /// Direct children named `name`.
    fn children<'t>(&'t self, node: &'t Node, name: &'t str) -> impl Iterator<Item = &'t Node> {
        node.children
            .iter()
            .filter_map(|&i| self.nodes.get(i))
            .filter(move |c| c.name.eq_ignore_ascii_case(name))
    }

    fn child<'t>(&'t self, node: &'t Node, name: &'t str) -> Option<&'t Node> {
        self.children(node, name).next()
    }

    /// Trimmed text of the first child `name`, when not empty.
    fn text<'t>(&'t self, node: &'t Node, name: &'t str) -> Option<&'t str> {
        self.child(node, name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }

    fn position(&self, offset: usize) -> (Origin, usize) {
        let (line, column) = self.source.line_col(offset);
        (Origin::new(self.source.path.clone(), line), column)
    }
}

/// The server an export describes (one; empty when the file is not such an export).
pub(super) fn read(path: &Path, text: &str, parsed: &mut Parsed) -> Vec<Server> {
    let tree = build(path, text, parsed);
    let Some(root) = tree.node(0) else {
        let (origin, column) = tree.position(0);
        parsed.problem(origin, column, "no XML element found; nothing is read");
        return Vec::new();
    };
    if !root.name.eq_ignore_ascii_case("DHCPServer") {
        let (origin, column) = tree.position(root.offset);
        parsed.problem(
            origin,
            column,
            format!(
                "the root element is `<{}>`, not `<DHCPServer>` as Export-DhcpServer writes; nothing is read",
                root.name
            ),
        );
        return Vec::new();
    }
    let mut reader = Walk {
        tree: &tree,
        parsed,
    };
    vec![reader.server(root)]
}

fn build(path: &Path, text: &str, parsed: &mut Parsed) -> Tree {
    let mut tree = Tree {
        nodes: Vec::new(),
        source: SourceFile::new(path, text.to_owned(), Encoding::Utf8),
    };
    let mut builder = Builder {
        stack: Vec::new(),
        tree: &mut tree,
        parsed,
    };
    builder.run(text);
    tree
}

struct Builder<'t, 'p> {
    stack: Vec<usize>,
    tree: &'t mut Tree,
    parsed: &'p mut Parsed,
}

impl Builder<'_, '_> {
    fn problem(&mut self, offset: usize, message: impl Into<String>) {
        let (origin, column) = self.tree.position(offset);
        self.parsed.problem(origin, column, message);
    }

    fn run(&mut self, text: &str) {
        let mut reader = Reader::from_str(text);
        reader.config_mut().trim_text(false);
        loop {
            let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let at = usize::try_from(reader.error_position()).unwrap_or(offset);
                    self.problem(
                        at,
                        format!("malformed XML: {e}; the rest of the file is not read"),
                    );
                    return;
                }
            };
            let keep_going = match event {
                Event::Start(tag) => self.open(offset, tag.local_name().into_inner(), true),
                Event::Empty(tag) => self.open(offset, tag.local_name().into_inner(), false),
                Event::End(_) => {
                    if let Some(node) = self.stack.pop().and_then(|i| self.tree.nodes.get_mut(i)) {
                        node.closed = true;
                    }
                    true
                }
                Event::Text(t) => {
                    self.push_text(&t.xml10_content());
                    true
                }
                Event::CData(t) => {
                    self.push_text(&t.xml10_content());
                    true
                }
                Event::GeneralRef(r) => {
                    let resolved = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten()
                    } else {
                        crate::source::xml_entity(&r)
                    };
                    if let Some(c) = resolved {
                        self.push_text(c.encode_utf8(&mut [0; 4]));
                    }
                    true
                }
                Event::Decl(decl) => {
                    self.check_encoding(offset, &decl);
                    true
                }
                Event::Eof => {
                    self.report_unclosed(text);
                    return;
                }
                _ => true,
            };
            if !keep_going {
                return;
            }
        }
    }

    fn open(&mut self, offset: usize, name: &str, has_end: bool) -> bool {
        if self.stack.len() >= MAX_DEPTH || self.tree.nodes.len() >= MAX_ELEMENTS {
            self.problem(
                offset,
                format!(
                    "more than {MAX_DEPTH} nested levels or {MAX_ELEMENTS} elements; the rest of the file is not read"
                ),
            );
            return false;
        }
        let index = self.tree.nodes.len();
        self.tree.nodes.push(Node {
            name: name.to_owned(),
            text: String::new(),
            children: Vec::new(),
            offset,
            closed: !has_end,
        });
        if let Some(parent) = self.stack.last().and_then(|&p| self.tree.nodes.get_mut(p)) {
            parent.children.push(index);
        }
        if has_end {
            self.stack.push(index);
        }
        true
    }

    fn push_text(&mut self, text: &str) {
        if let Some(node) = self.stack.last().and_then(|&i| self.tree.nodes.get_mut(i)) {
            node.text.push_str(text);
        }
    }

    fn check_encoding(&mut self, offset: usize, decl: &BytesDecl) {
        let Some(Ok(declared)) = decl.encoding() else {
            return;
        };
        if !UNICODE_ENCODINGS
            .iter()
            .any(|e| e.eq_ignore_ascii_case(declared.trim()))
        {
            self.problem(
                offset,
                format!(
                    "the XML declaration says encoding `{declared}`, but the file was read as Unicode (UTF-8 or UTF-16); names with accented letters may be wrong; read anyway"
                ),
            );
        }
    }

    /// Elements left open when the text ends: the file was cut off.
    fn report_unclosed(&mut self, text: &str) {
        let Some(innermost) = self.stack.last().and_then(|&i| self.tree.nodes.get(i)) else {
            return;
        };
        let (opened, _) = self.tree.position(innermost.offset);
        let message = format!(
            "the file ends inside `<{}>` opened on line {} (truncated?); scopes, reservations and options cut off are ignored",
            innermost.name, opened.line
        );
        let end = text.trim_end().len();
        self.problem(end, message);
    }
}

/// "no `Element`" or "a bad `Element` `text`", for problems.
fn described(element: &str, text: Option<&str>) -> String {
    match text {
        Some(text) => format!("a bad `{element}` `{text}`"),
        None => format!("no `{element}`"),
    }
}

/// Turns the element tree into the server model.
struct Walk<'t, 'p> {
    tree: &'t Tree,
    parsed: &'p mut Parsed,
}

impl<'t> Walk<'t, '_> {
    fn problem(&mut self, node: &Node, message: impl Into<String>) {
        let (origin, column) = self.tree.position(node.offset);
        self.parsed.problem(origin, column, message);
    }

    fn origin(&self, node: &Node) -> Origin {
        self.tree.position(node.offset).0
    }

    fn server(&mut self, root: &'t Node) -> Server {
        let mut server = Server::default();
        let Some(ipv4) = self.tree.child(root, "IPv4") else {
            return server;
        };
        server.options = self.options(ipv4, "server");
        let scopes = self.tree.child(ipv4, "Scopes");
        for scope in scopes
            .into_iter()
            .flat_map(|s| self.tree.children(s, "Scope"))
        {
            if let Some(scope) = self.scope(scope) {
                server.scopes.push(scope);
            }
        }
        server
    }

    fn scope(&mut self, node: &'t Node) -> Option<DhcpScope> {
        if !node.closed {
            return None;
        }
        let id_node = self.tree.child(node, "ScopeId");
        let id_text = self.tree.text(node, "ScopeId");
        let Some(id) = id_text.and_then(dhcp_common::ipv4) else {
            let what = described("ScopeId", id_text);
            self.problem(
                id_node.unwrap_or(node),
                format!("scope with {what}; ignored"),
            );
            return None;
        };
        let mut scope = DhcpScope::new(id, self.origin(id_node.unwrap_or(node)));
        scope.name = self.tree.text(node, "Name").map(str::to_owned);
        scope.subnet = self.subnet(node, id);
        scope.ranges = self.ranges(node);
        let label = scope.label();
        scope.options = self.options(node, &label);
        let reservations = self.tree.child(node, "Reservations");
        for reservation in reservations
            .into_iter()
            .flat_map(|r| self.tree.children(r, "Reservation"))
        {
            if let Some(reservation) = self.reservation(reservation) {
                scope.reservations.push(reservation);
            }
        }
        Some(scope)
    }

    fn subnet(&mut self, scope: &'t Node, id: Ipv4Addr) -> Option<Ipv4Range> {
        let mask = self.tree.text(scope, "SubnetMask");
        let subnet = mask
            .and_then(dhcp_common::ipv4)
            .and_then(|m| Ipv4Range::from_mask(id, m));
        if subnet.is_none() {
            let at = self.tree.child(scope, "SubnetMask").unwrap_or(scope);
            let what = described("SubnetMask", mask);
            self.problem(
                at,
                format!("scope {id} has {what}; its addresses come from StartRange/EndRange only"),
            );
        }
        subnet
    }

    /// `StartRange`/`EndRange` of the scope, or of its `IPRanges/IPRange` children.
    fn ranges(&mut self, scope: &'t Node) -> Vec<Ipv4Range> {
        let nested = self
            .tree
            .child(scope, "IPRanges")
            .into_iter()
            .flat_map(|r| self.tree.children(r, "IPRange"));
        std::iter::once(scope)
            .chain(nested)
            .filter_map(|node| self.range(node))
            .collect()
    }

    fn range(&self, node: &Node) -> Option<Ipv4Range> {
        let start = self
            .tree
            .text(node, "StartRange")
            .and_then(dhcp_common::ipv4)?;
        let end = self
            .tree
            .text(node, "EndRange")
            .and_then(dhcp_common::ipv4)?;
        Some(Ipv4Range::new(start, end))
    }

    fn reservation(&mut self, node: &'t Node) -> Option<Reservation> {
        if !node.closed {
            return None;
        }
        let ip_text = self.tree.text(node, "IPAddress");
        let ip = ip_text.and_then(dhcp_common::ipv4);
        let name = self.tree.text(node, "Name").map(str::to_owned);
        let shown = name.clone().or(ip_text.map(str::to_owned));
        let label = format!("reservation {}", shown.as_deref().unwrap_or("?"));
        let options = self.options(node, &label);
        if ip.is_none() && options.plain.is_some() {
            let what = described("IPAddress", ip_text);
            self.problem(
                node,
                format!("reservation with {what}; read without an address"),
            );
        }
        Some(Reservation { ip, name, options })
    }

    /// Option 15 values in the direct `OptionValues` child of `node`.
    fn options(&mut self, node: &'t Node, owner: &str) -> Options {
        let mut options = Options::default();
        let values = self.tree.child(node, "OptionValues");
        for value in values
            .into_iter()
            .flat_map(|v| self.tree.children(v, "OptionValue"))
        {
            if let Some((class, setting)) = self.option15(value)
                && !options.set(class, setting)
            {
                self.problem(
                    value,
                    format!("option 15 of {owner} is set twice; the first is used"),
                );
            }
        }
        options
    }

    fn option15(&mut self, node: &'t Node) -> Option<(Option<String>, Setting)> {
        let id = self.tree.text(node, "OptionId")?;
        if id.parse::<u32>() != Ok(15) || !node.closed {
            return None;
        }
        if self.tree.text(node, "VendorClass").is_some() {
            return None;
        }
        let user_class = self.tree.text(node, "UserClass").map(str::to_owned);
        let values: Vec<&Node> = self.tree.children(node, "Value").collect();
        let Some(first) = values.first() else {
            self.problem(node, "option 15 has no `Value`; ignored");
            return None;
        };
        let Some(suffix) = clean_suffix(&first.text) else {
            self.problem(first, "option 15 `Value` is empty; ignored");
            return None;
        };
        if let Some(second) = values.get(1) {
            self.problem(
                second,
                format!(
                    "option 15 has {} values; only the first, `{suffix}`, is used",
                    values.len()
                ),
            );
        }
        let setting = Setting {
            suffix,
            origin: self.origin(first),
        };
        Some((user_class, setting))
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::tests::{XML, row, scopes};
    use crate::observe::model::Parsed;
    use crate::observe::reader_tests::{problems, utf16};
    use crate::source::SourceFile;
    use std::path::Path;

    fn export(text: &str) -> Parsed {
        parse(Path::new("export.xml"), text)
    }

    fn fixture_rows() -> Vec<super::super::tests::Row> {
        vec![
            row("server default", Some("company.com"), &[], 33),
            row("user-class Lab Machines", Some("lab.company.com"), &[], 43),
            row(
                "scope 10.1.4.0 (HQ wired)",
                Some("site4.company.com"),
                &["10.1.4.10-10.1.4.200"],
                69,
            ),
            row(
                "host kiosk",
                Some("kiosk.company.com"),
                &["10.1.4.50/32"],
                82,
            ),
            row(
                "scope 10.1.5.0 (Guest Wi-Fi & visitors)",
                Some("company.com"),
                &["10.1.5.20-10.1.5.250"],
                107,
            ),
        ]
    }

    #[test]
    fn utf8_fixture_gives_every_scope_and_skips_policies_vendor_classes_and_ipv6() {
        let p = export(XML);
        assert_eq!(problems(&p), vec![]);
        assert_eq!(scopes(&p), fixture_rows());
    }

    #[test]
    fn utf16_exports_read_the_same_after_decoding() {
        let declared = XML.replace("encoding=\"utf-8\"", "encoding=\"utf-16\"");
        for little_endian in [true, false] {
            let bytes = utf16(&declared, little_endian);
            let source = SourceFile::decode("export.xml", &bytes).unwrap();
            let p = parse(&source.path, &source.text);
            assert_eq!(problems(&p), vec![]);
            assert_eq!(scopes(&p), fixture_rows());
        }
    }

    #[test]
    fn a_foreign_encoding_declaration_is_noted_and_the_file_still_read() {
        let text = XML.replace("encoding=\"utf-8\"", "encoding=\"windows-1252\"");
        let p = export(&text);
        assert_eq!(scopes(&p), fixture_rows());
        let found = problems(&p);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0, found[0].1), (1, 1));
        assert!(found[0].2.contains("`windows-1252`"), "{found:?}");
    }

    #[test]
    fn truncated_export_keeps_the_complete_scopes() {
        let end = XML.find("visitors</Name>").unwrap() + "visitors</Name>".len();
        let p = export(&XML[..end]);
        let mut expected = fixture_rows();
        expected.pop();
        assert_eq!(scopes(&p), expected);
        let found = problems(&p);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 108);
        assert!(
            found[0]
                .2
                .contains("ends inside `<Scope>` opened on line 106"),
            "{found:?}"
        );
    }

    #[test]
    fn malformed_xml_is_reported_where_it_breaks() {
        let broken = XML.replace("<State>Active</State>", "<State>Active</Stat>");
        let p = export(&broken);
        // The first scope is cut off by the error; the server-wide values were complete.
        let names: Vec<_> = p.scopes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["server default", "user-class Lab Machines"]);
        let found = problems(&p);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 59);
        assert!(found[0].2.starts_with("malformed XML"), "{found:?}");
        assert!(
            found[0].2.ends_with("the rest of the file is not read"),
            "{found:?}"
        );
    }

    #[test]
    fn bad_scope_ids_masks_and_option_values() {
        let text = r#"<?xml version="1.0" encoding="utf-16"?>
<DHCPServer xmlns="http://schemas.microsoft.com/dhcp/2011/08">
  <IPv4>
    <Scopes>
      <Scope><ScopeId>10.1.x.0</ScopeId><SubnetMask>255.255.255.0</SubnetMask></Scope>
      <Scope>
        <ScopeId>10.2.0.0</ScopeId><Name>No mask</Name>
        <StartRange>10.2.0.10</StartRange><EndRange>10.2.0.20</EndRange>
      </Scope>
      <Scope>
        <ScopeId>10.3.0.0</ScopeId><SubnetMask>255.255.0.0</SubnetMask>
        <OptionValues>
          <OptionValue><OptionId>15</OptionId><Value>  </Value></OptionValue>
          <OptionValue><OptionId>15</OptionId></OptionValue>
        </OptionValues>
        <Reservations>
          <Reservation><Name>kiosk</Name><IPAddress>10.3.0.x</IPAddress>
            <OptionValues><OptionValue><OptionId>15</OptionId><Value>a.com</Value><Value>b.com</Value></OptionValue></OptionValues>
          </Reservation>
        </Reservations>
      </Scope>
    </Scopes>
  </IPv4>
</DHCPServer>"#;
        let p = export(text);
        assert_eq!(
            scopes(&p),
            vec![
                row(
                    "scope 10.2.0.0 (No mask)",
                    None,
                    &["10.2.0.10-10.2.0.20"],
                    7
                ),
                row("scope 10.3.0.0", None, &["10.3.0.0/16"], 11),
                row("host kiosk", Some("a.com"), &[], 18),
            ]
        );
        let found = problems(&p);
        let positions: Vec<_> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(
            positions,
            [(5, 14), (6, 7), (13, 47), (14, 11), (18, 83), (17, 11)],
            "{found:?}"
        );
        assert!(
            found[0]
                .2
                .contains("scope with a bad `ScopeId` `10.1.x.0`; ignored")
        );
        assert!(found[1].2.contains("scope 10.2.0.0 has no `SubnetMask`"));
        assert!(found[2].2.contains("`Value` is empty; ignored"));
        assert!(found[3].2.contains("has no `Value`; ignored"));
        assert!(found[4].2.contains("2 values; only the first, `a.com`"));
        assert!(
            found[5]
                .2
                .contains("a bad `IPAddress` `10.3.0.x`; read without")
        );
    }

    #[test]
    fn garbage_binary_and_foreign_roots_do_not_panic() {
        for (text, line) in [
            ("<\u{1}\u{2}\u{fffd}PK garbage", 1),
            ("<", 1),
            ("<DHCPServer><IPv4><Scopes><Scope><ScopeId>10.0.0.0", 1),
            (
                "<?xml version=\"1.0\"?>\n<Profile><Name>x</Name></Profile>",
                2,
            ),
            ("<!-- only a comment -->", 1),
        ] {
            let p = export(text);
            assert!(p.scopes.is_empty(), "{text}");
            assert!(!p.problems.is_empty(), "{text}");
            assert_eq!(p.problems[0].origin.line, line, "{text}");
        }
        let deep = format!("<DHCPServer>{}", "<a>".repeat(10_000));
        let p = export(&deep);
        assert!(p.scopes.is_empty());
        assert!(p.problems[0].message.contains("nested levels"));
    }
}

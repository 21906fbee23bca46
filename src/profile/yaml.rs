//! A small spanned YAML tree over saphyr-parser's events, for the rpc-go / Console profile reader.
//!
//! Aliases are kept as references to the anchored node, never copied, so an alias "bomb" costs no
//! more than its own text; the node count and nesting depth are capped as well. Spans are byte
//! ranges into the text (the parser counts characters).

use crate::source::Span;
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

/// More nodes than any profile has; beyond this the file is refused, not loaded.
const MAX_NODES: usize = 200_000;
/// Nesting deeper than any profile; guards the builder's stack and every walk over the tree.
const MAX_DEPTH: usize = 64;
/// `<<` merge keys followed through at most this many levels (merge chains may form cycles).
const MAX_MERGE_DEPTH: usize = 8;

pub type NodeId = usize;

#[derive(Debug, Clone)]
pub enum Kind {
    /// A scalar's value; `plain` when it was written without quotes or block style (only plain
    /// scalars can be `null`, booleans or numbers).
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<NodeId>),
    Map(Vec<(NodeId, NodeId)>),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub span: Span,
    pub kind: Kind,
}

/// The first document of a YAML stream.
#[derive(Debug)]
pub struct Document {
    nodes: Vec<Node>,
    root: Option<NodeId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub span: Span,
}

impl Document {
    pub fn root(&self) -> Option<NodeId> {
        self.root
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// A scalar's text, `None` for a sequence or mapping.
    pub fn scalar(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// True for an absent value written as `~`, `null`, `Null`, `NULL` or nothing at all.
    pub fn is_null(&self, id: NodeId) -> bool {
        matches!(&self.nodes[id].kind, Kind::Scalar { value, plain: true }
            if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A boolean as Go's YAML decoder reads one into a `bool` field (YAML 1.2 core forms and the
    /// YAML 1.1 words it still accepts). `None` when the value is not a boolean.
    pub fn boolean(&self, id: NodeId) -> Option<bool> {
        let Kind::Scalar { value, plain: true } = &self.nodes[id].kind else {
            return None;
        };
        match value.as_str() {
            "true" | "True" | "TRUE" | "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
                Some(true)
            }
            "false" | "False" | "FALSE" | "n" | "N" | "no" | "No" | "NO" | "off" | "Off"
            | "OFF" => Some(false),
            _ => None,
        }
    }

    pub fn seq(&self, id: NodeId) -> Option<&[NodeId]> {
        match &self.nodes[id].kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(self.nodes[id].kind, Kind::Map(_))
    }

    /// The entry under `key` in mapping `id` (keys compared exactly, as Go's decoder does), looking
    /// through `<<` merge keys when the mapping has no such key itself.
    pub fn get(&self, id: NodeId, key: &str) -> Option<(NodeId, NodeId)> {
        self.get_merged(id, key, 0)
    }

    fn get_merged(&self, id: NodeId, key: &str, depth: usize) -> Option<(NodeId, NodeId)> {
        let Kind::Map(pairs) = &self.nodes[id].kind else {
            return None;
        };
        if let Some(&pair) = pairs.iter().find(|(k, _)| self.scalar(*k) == Some(key)) {
            return Some(pair);
        }
        if depth >= MAX_MERGE_DEPTH {
            return None;
        }
        let (_, merged) = pairs.iter().find(|(k, _)| self.scalar(*k) == Some("<<"))?;
        match &self.nodes[*merged].kind {
            Kind::Map(_) => self.get_merged(*merged, key, depth + 1),
            Kind::Seq(items) => items
                .iter()
                .find_map(|m| self.get_merged(*m, key, depth + 1)),
            Kind::Scalar { .. } => None,
        }
    }

    /// The value under `key`, `None` when absent.
    pub fn value(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.get(id, key).map(|(_, v)| v)
    }
}

/// Parse the first document of `text`. Later documents are not read.
pub fn parse(text: &str) -> Result<Document, Error> {
    let mut builder = Builder {
        text,
        offsets: Offsets::new(text),
        nodes: Vec::new(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let at = builder.offsets.byte(e.marker().index());
            Error {
                message: e.info().to_owned(),
                span: at..at,
            }
        })?;
        let start = builder.offsets.byte(span.start.index());
        let end = builder.offsets.byte(span.end.index()).max(start);
        if builder.event(event, start..end)? {
            break;
        }
    }
    Ok(Document {
        nodes: builder.nodes,
        root: builder.root,
    })
}

enum Frame {
    Seq(NodeId),
    Map(NodeId, Option<NodeId>),
}

struct Builder<'t> {
    text: &'t str,
    offsets: Offsets<'t>,
    nodes: Vec<Node>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
    root: Option<NodeId>,
}

impl Builder<'_> {
    /// Take one event; `Ok(true)` once the first document is complete.
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<bool, Error> {
        match event {
            Event::Scalar(value, style, anchor, _) => {
                let plain = style == ScalarStyle::Plain;
                let id = self.push(
                    span,
                    Kind::Scalar {
                        value: value.into_owned(),
                        plain,
                    },
                )?;
                self.anchor(anchor, id);
                self.attach(id);
            }
            Event::Alias(anchor) => match self.anchors.get(&anchor) {
                Some(&id) => self.attach(id),
                None => {
                    return Err(Error {
                        message: "alias to an unknown anchor".into(),
                        span,
                    });
                }
            },
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(Error {
                        message: format!("nested more than {MAX_DEPTH} levels deep"),
                        span,
                    });
                }
                let is_seq = matches!(event, Event::SequenceStart(..));
                let kind = if is_seq {
                    Kind::Seq(Vec::new())
                } else {
                    Kind::Map(Vec::new())
                };
                let id = self.push(span, kind)?;
                self.anchor(anchor, id);
                self.stack.push(if is_seq {
                    Frame::Seq(id)
                } else {
                    Frame::Map(id, None)
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let id = match self.stack.pop() {
                    Some(Frame::Seq(id) | Frame::Map(id, _)) => id,
                    None => return Ok(false),
                };
                let node = &mut self.nodes[id];
                node.span.end = node.span.end.max(span.end).min(self.text.len());
                self.attach(id);
            }
            Event::DocumentEnd => return Ok(self.root.is_some() || self.stack.is_empty()),
            Event::StreamEnd => return Ok(true),
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => {}
        }
        Ok(false)
    }

    fn push(&mut self, span: Span, kind: Kind) -> Result<NodeId, Error> {
        if self.nodes.len() >= MAX_NODES {
            return Err(Error {
                message: format!("more than {MAX_NODES} values; no profile is this large"),
                span,
            });
        }
        self.nodes.push(Node { span, kind });
        Ok(self.nodes.len() - 1)
    }

    fn anchor(&mut self, anchor: usize, id: NodeId) {
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
    }

    /// Put a finished node into its parent (or make it the root).
    fn attach(&mut self, id: NodeId) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(id);
                }
            }
            Some(Frame::Seq(parent)) => {
                let parent = *parent;
                if let Kind::Seq(items) = &mut self.nodes[parent].kind {
                    items.push(id);
                }
            }
            Some(Frame::Map(parent, pending)) => match pending.take() {
                None => *pending = Some(id),
                Some(key) => {
                    let parent = *parent;
                    if let Kind::Map(pairs) = &mut self.nodes[parent].kind {
                        pairs.push((key, id));
                    }
                }
            },
        }
    }
}

/// Character index → byte offset, walking from the last position (events arrive in order).
struct Offsets<'t> {
    text: &'t str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'t> Offsets<'t> {
    fn new(text: &'t str) -> Self {
        Offsets {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.chars {
            self.chars = 0;
            self.bytes = 0;
        }
        for c in self.text[self.bytes..].chars() {
            if self.chars == char_index {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'d>(doc: &'d Document, path: &[&str]) -> Option<&'d str> {
        let mut id = doc.root()?;
        for key in path {
            id = doc.value(id, key)?;
        }
        doc.scalar(id)
    }

    #[test]
    fn values_carry_byte_spans_through_multibyte_text() {
        let text = "name: \"Büro Ost\"\nconfiguration:\n  list: [a.com, \"ß.corp.com\"]\n";
        let doc = parse(text).unwrap();
        assert_eq!(at(&doc, &["name"]), Some("Büro Ost"));
        let conf = doc.value(doc.root().unwrap(), "configuration").unwrap();
        let list = doc.seq(doc.value(conf, "list").unwrap()).unwrap();
        let spans: Vec<&str> = list
            .iter()
            .map(|&i| &text[doc.node(i).span.clone()])
            .collect();
        assert_eq!(spans, ["a.com", "\"ß.corp.com\""]);
    }

    #[test]
    fn aliases_are_references_and_merge_keys_are_followed() {
        let text = "base: &b\n  x: 1\nitem:\n  <<: *b\n  y: 2\nsame: *b\n";
        let doc = parse(text).unwrap();
        assert_eq!(at(&doc, &["item", "x"]), Some("1"));
        assert_eq!(at(&doc, &["item", "y"]), Some("2"));
        assert_eq!(at(&doc, &["same", "x"]), Some("1"));
        assert_eq!(at(&doc, &["item", "z"]), None);
    }

    #[test]
    fn an_alias_bomb_costs_only_its_text() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..40 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let doc = parse(&text).unwrap();
        assert!(doc.nodes.len() < 1_000);
    }

    #[test]
    fn a_merge_cycle_ends() {
        let doc = parse("a: &a\n  <<: *a\n  b: 1\n").unwrap();
        assert_eq!(at(&doc, &["a", "b"]), Some("1"));
        assert_eq!(at(&doc, &["a", "missing"]), None);
    }

    #[test]
    fn malformed_input_gives_a_position() {
        let text = "configuration:\n\tnetwork: {}\n";
        let e = parse(text).unwrap_err();
        assert!(e.span.start >= "configuration:\n".len(), "{e:?}");
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
    }

    #[test]
    fn scalars_read_as_go_reads_them() {
        let doc = parse("a: yes\nb: \"yes\"\nc: ~\nd:\ne: 'null'\n").unwrap();
        let root = doc.root().unwrap();
        let v = |k| doc.value(root, k).unwrap();
        assert_eq!(doc.boolean(v("a")), Some(true));
        assert_eq!(doc.boolean(v("b")), None);
        assert!(doc.is_null(v("c")) && doc.is_null(v("d")) && !doc.is_null(v("e")));
    }
}

//! A small, bounded XML tree with byte spans and resolved namespaces, read with quick-xml.
//! DTDs are refused and entities never expanded; depth and element count are capped.

use crate::source::Span;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

pub const MAX_DEPTH: usize = 128;
pub const MAX_ELEMENTS: usize = 200_000;

#[derive(Debug)]
pub struct Element {
    pub ns: Option<String>,
    pub local: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// The start tag, `<` to `>`.
    pub tag_span: Span,
    /// The whole element, start tag to end tag (the tag alone for an empty element).
    pub span: Span,
    /// Character data directly inside the element, entities resolved, untrimmed.
    pub text: String,
    /// The source bytes of the trimmed text, or the tag when there is none.
    pub text_span: Span,
    /// Everything between the start tag and the end tag, untrimmed (empty, at the start tag's
    /// end, for an empty element `<a/>`).
    pub content_span: Span,
    /// Comments directly before this element (after the previous sibling), with their spans.
    pub leading_comments: Vec<(String, Span)>,
}

#[derive(Debug)]
pub struct Document {
    pub elements: Vec<Element>,
    /// Every comment, in document order.
    pub comments: Vec<Comment>,
}

/// A comment with its position, and the element it stands right before, if any.
#[derive(Debug)]
pub struct Comment {
    /// The text between `<!--` and `-->`.
    pub text: String,
    /// `<!--` to `-->`.
    pub span: Span,
    /// The element that starts after the comment with only whitespace and other comments between.
    pub next_element: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub message: String,
    pub span: Span,
}

impl Document {
    pub fn root(&self) -> &Element {
        &self.elements[0]
    }

    pub fn children(&self, el: &Element) -> impl Iterator<Item = &Element> {
        el.children.iter().map(|&i| &self.elements[i])
    }

    /// Every element, document order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Element)> {
        self.elements.iter().enumerate()
    }

    /// Local names from the root down to element `index`.
    pub fn path(&self, mut index: usize) -> Vec<&str> {
        let mut out = vec![self.elements[index].local.as_str()];
        while let Some(p) = self.elements[index].parent {
            out.push(self.elements[p].local.as_str());
            index = p;
        }
        out.reverse();
        out
    }

    /// Find the first element with this namespace URI and local name.
    pub fn find(&self, ns: &str, local: &str) -> Option<&Element> {
        self.elements
            .iter()
            .find(|e| e.local == local && e.ns.as_deref() == Some(ns))
    }
}

impl Element {
    pub fn trimmed_text(&self) -> &str {
        self.text.trim()
    }
}

/// Parse `text[start..]` (already decoded) into a [`Document`]; spans are offsets into `text`.
pub fn parse(text: &str, start: usize) -> Result<Document, XmlError> {
    let base = start.min(text.len());
    let mut doc = parse_from(&text[base..]).map_err(|e| XmlError {
        span: e.span.start + base..e.span.end + base,
        ..e
    })?;
    if base > 0 {
        for el in &mut doc.elements {
            el.tag_span = el.tag_span.start + base..el.tag_span.end + base;
            el.span = el.span.start + base..el.span.end + base;
            el.text_span = el.text_span.start + base..el.text_span.end + base;
            el.content_span = el.content_span.start + base..el.content_span.end + base;
            for (_, span) in &mut el.leading_comments {
                *span = span.start + base..span.end + base;
            }
        }
        for c in &mut doc.comments {
            c.span = c.span.start + base..c.span.end + base;
        }
    }
    Ok(doc)
}

/// Length of a leading HTTP chunk-size line (`04F9\r\n`) in a captured raw body, if any.
pub fn chunk_prefix_len(text: &str) -> usize {
    let line_end = text.find('\n').unwrap_or(0);
    let line = text[..line_end].trim();
    let is_chunk =
        !line.is_empty() && line.len() <= 8 && line.bytes().all(|b| b.is_ascii_hexdigit());
    if is_chunk && text[line_end..].trim_start().starts_with('<') {
        line_end + 1
    } else {
        0
    }
}

fn parse_from(text: &str) -> Result<Document, XmlError> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut elements: Vec<Element> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut pending_comments: Vec<(String, Span)> = Vec::new();
    let mut comments: Vec<Comment> = Vec::new();
    // Comments not yet followed by anything but whitespace and comments.
    let mut awaiting_element: Vec<usize> = Vec::new();
    // The span of the text pieces of the innermost open element.
    let mut text_ranges: Vec<Option<Span>> = Vec::new();
    let mut root_closed = false;

    loop {
        let start = reader.buffer_position() as usize;
        // The resolved namespace borrows the reader: make it owned before asking for the position.
        let event = reader.read_resolved_event().map(|(resolve, event)| {
            let ns = match resolve {
                ResolveResult::Bound(ns) => Ok(Some(ns.into_inner().to_owned())),
                ResolveResult::Unbound => Ok(None),
                ResolveResult::Unknown(prefix) => Err(prefix),
            };
            (ns, event)
        });
        let end = reader.buffer_position() as usize;
        let (resolve, event) = match event {
            Ok(ok) => ok,
            Err(e) => {
                let at = reader.error_position() as usize;
                return Err(XmlError {
                    message: format!("malformed XML: {e}"),
                    span: at..at.saturating_add(1).min(text.len()).max(at),
                });
            }
        };
        match event {
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                if root_closed {
                    return Err(XmlError {
                        message: "malformed XML: content after the root element".into(),
                        span: start..end,
                    });
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError {
                        message: format!("elements are nested more than {MAX_DEPTH} levels deep"),
                        span: start..end,
                    });
                }
                if elements.len() >= MAX_ELEMENTS {
                    return Err(XmlError {
                        message: format!(
                            "more than {MAX_ELEMENTS} elements; this is not a profile"
                        ),
                        span: start..end,
                    });
                }
                let ns = match resolve {
                    Ok(ns) => ns,
                    Err(prefix) => {
                        return Err(XmlError {
                            message: format!("namespace prefix `{prefix}` is not declared"),
                            span: start..end,
                        });
                    }
                };
                let local = tag.local_name().into_inner().to_owned();
                let index = elements.len();
                for c in awaiting_element.drain(..) {
                    comments[c].next_element = Some(index);
                }
                elements.push(Element {
                    ns,
                    local,
                    parent: stack.last().copied(),
                    children: Vec::new(),
                    tag_span: start..end,
                    span: start..end,
                    text: String::new(),
                    text_span: start..end,
                    content_span: end..end,
                    leading_comments: std::mem::take(&mut pending_comments),
                });
                if let Some(&parent) = stack.last() {
                    elements[parent].children.push(index);
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(index);
                    text_ranges.push(None);
                } else if stack.is_empty() {
                    root_closed = true;
                }
            }
            Event::End(_) => {
                pending_comments.clear();
                awaiting_element.clear();
                let range = text_ranges.pop().flatten();
                if let Some(index) = stack.pop() {
                    elements[index].span.end = end;
                    elements[index].content_span.end =
                        start.max(elements[index].content_span.start);
                    if let Some(range) = range {
                        elements[index].text_span = trimmed_span(text, range);
                    }
                }
                if stack.is_empty() {
                    root_closed = true;
                }
            }
            Event::Text(ref t) => {
                let raw: &str = t;
                if !raw.trim().is_empty() {
                    awaiting_element.clear();
                }
                append_text(
                    &mut elements,
                    &stack,
                    &mut text_ranges,
                    &t.xml10_content(),
                    start..end,
                    raw,
                );
                // After the root, only a chunked body's terminator (`0`) may follow.
                let chunk_end = root_closed && raw.trim().bytes().all(|b| b.is_ascii_hexdigit());
                if stack.is_empty() && !raw.trim().is_empty() && !chunk_end {
                    return Err(XmlError {
                        message: "malformed XML: text outside the root element".into(),
                        span: trimmed_span(text, start..end),
                    });
                }
            }
            Event::CData(ref t) => {
                awaiting_element.clear();
                append_text(
                    &mut elements,
                    &stack,
                    &mut text_ranges,
                    &t.xml10_content(),
                    start..end,
                    "x",
                );
            }
            Event::GeneralRef(ref r) => {
                awaiting_element.clear();
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten()
                } else {
                    crate::source::xml_entity(r)
                };
                match resolved {
                    Some(c) => {
                        let s = c.to_string();
                        append_text(&mut elements, &stack, &mut text_ranges, &s, start..end, "x");
                    }
                    None => {
                        let name: &str = r;
                        return Err(XmlError {
                            message: format!(
                                "entity reference `&{name};` is not allowed: scslint never expands entities"
                            ),
                            span: start..end,
                        });
                    }
                }
            }
            Event::DocType(_) => {
                return Err(XmlError {
                    message: "a DOCTYPE declaration is not allowed: profiles never need a DTD, and scslint does not expand entities".into(),
                    span: start..end,
                });
            }
            Event::Comment(ref c) => {
                let body: &str = c;
                pending_comments.push((body.to_owned(), start..end));
                awaiting_element.push(comments.len());
                comments.push(Comment {
                    text: body.to_owned(),
                    span: start..end,
                    next_element: None,
                });
            }
            Event::Decl(_) | Event::PI(_) => awaiting_element.clear(),
            Event::Eof => break,
        }
    }
    if let Some(&open) = stack.last() {
        return Err(XmlError {
            message: format!(
                "malformed XML: element `{}` is never closed",
                elements[open].local
            ),
            span: elements[open].tag_span.clone(),
        });
    }
    if elements.is_empty() {
        return Err(XmlError {
            message: "no XML element found".into(),
            span: 0..0,
        });
    }
    Ok(Document { elements, comments })
}

fn append_text(
    elements: &mut [Element],
    stack: &[usize],
    ranges: &mut [Option<Span>],
    content: &str,
    span: Span,
    raw: &str,
) {
    let (Some(&index), Some(range)) = (stack.last(), ranges.last_mut()) else {
        return;
    };
    elements[index].text.push_str(content);
    if raw.trim().is_empty() {
        return;
    }
    *range = Some(match range.take() {
        Some(r) => r.start..span.end,
        None => span,
    });
}

fn trimmed_span(text: &str, span: Span) -> Span {
    let slice = text.get(span.clone()).unwrap_or("");
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail >= slice.len() {
        return span;
    }
    span.start + lead..span.end - trail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_namespaces_not_prefixes() {
        let xml = r#"<a:Env xmlns:a="urn:a" xmlns:q="urn:x"><q:Item>  one &amp; two </q:Item><Item/></a:Env>"#;
        let doc = parse_from(xml).unwrap();
        let item = doc.find("urn:x", "Item").unwrap();
        assert_eq!(item.trimmed_text(), "one & two");
        assert_eq!(&xml[item.text_span.clone()], "one &amp; two");
        assert_eq!(doc.path(1), vec!["Env", "Item"]);
        assert!(doc.find("urn:a", "Item").is_none());
    }

    #[test]
    fn refuses_doctype_and_unknown_entities() {
        let e = parse_from("<!DOCTYPE x [<!ENTITY big \"lol\">]><x>&big;</x>").unwrap_err();
        assert!(e.message.contains("DOCTYPE"), "{e:?}");
        assert_eq!(e.span.start, 0);
        let e = parse_from("<x>&big;</x>").unwrap_err();
        assert!(e.message.contains("&big;"), "{e:?}");
        assert_eq!(e.span, 3..8);
    }

    #[test]
    fn caps_depth() {
        let xml = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        let e = parse_from(&xml).unwrap_err();
        assert!(e.message.contains("nested"), "{e:?}");
    }

    #[test]
    fn reports_positions_of_syntax_errors() {
        let e = parse_from("<a>\n  <b></c>\n</a>").unwrap_err();
        assert!(e.message.starts_with("malformed XML"), "{e:?}");
        assert!(e.span.start >= 6, "{e:?}");
        assert!(
            parse_from("<a><b></b>")
                .unwrap_err()
                .message
                .contains("never closed")
        );
        assert!(parse_from("<a/><b/>").is_err());
    }

    #[test]
    fn skips_a_chunk_size_line_and_keeps_spans() {
        let text = "04F9\r\n<a>x</a>\r\n0\r\n";
        let start = chunk_prefix_len(text);
        assert_eq!(start, 6);
        let doc = parse(text, start).unwrap();
        assert_eq!(&text[doc.root().text_span.clone()], "x");
        assert_eq!(chunk_prefix_len("<a/>"), 0);
        assert_eq!(chunk_prefix_len("hello\n<a/>"), 0);
    }

    #[test]
    fn elements_span_start_tag_to_end_tag() {
        let xml = "<a>\n  <b k=\"v\">x<c/></b>\n  <d/>\n</a>";
        let doc = parse_from(xml).unwrap();
        assert_eq!(&xml[doc.elements[1].span.clone()], "<b k=\"v\">x<c/></b>");
        assert_eq!(&xml[doc.elements[1].content_span.clone()], "x<c/>");
        assert!(doc.elements[2].content_span.is_empty());
        assert_eq!(&xml[doc.elements[2].span.clone()], "<c/>");
        assert_eq!(&xml[doc.elements[3].span.clone()], "<d/>");
        assert_eq!(doc.elements[0].span, 0..xml.len());
        // Offsets stay right past a chunk-size line.
        let chunked = format!("1F\r\n{xml}");
        let doc = parse(&chunked, chunk_prefix_len(&chunked)).unwrap();
        assert_eq!(&chunked[doc.elements[3].span.clone()], "<d/>");
    }

    #[test]
    fn comments_know_the_element_they_stand_before() {
        let xml = "<!-- top --><a>\n  <!-- one -->\n  <!-- two -->\n  <b/>\n  <!-- text follows -->x<c/>\n  <!-- last -->\n</a>";
        let doc = parse_from(xml).unwrap();
        let targets: Vec<(&str, Option<&str>)> = doc
            .comments
            .iter()
            .map(|c| {
                (
                    c.text.trim(),
                    c.next_element.map(|i| doc.elements[i].local.as_str()),
                )
            })
            .collect();
        assert_eq!(
            targets,
            [
                ("top", Some("a")),
                ("one", Some("b")),
                ("two", Some("b")),
                ("text follows", None),
                ("last", None),
            ]
        );
        assert_eq!(&xml[doc.comments[1].span.clone()], "<!-- one -->");
    }

    #[test]
    fn keeps_comments_before_elements() {
        let doc = parse_from("<a><!-- note --><b>x</b></a>").unwrap();
        assert_eq!(doc.elements[1].leading_comments[0].0, " note ");
    }
}

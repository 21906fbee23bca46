//! Edits to a home-domain list in its file's own syntax: an entry rewritten, removed or added,
//! touching only the bytes of the entries involved and the separator or line they stand on.
//! Readers record where each entry stands ([`ListLayout`]); rules ask for the edits.

use crate::fix::Edit;
use crate::source::Span;

/// How a list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// One element per entry (WS-Management `DetectionStrings`, the mapped SCS element).
    Xml,
    /// A JSON array (MeshCentral), or a JSON profile read as YAML.
    JsonArray,
    /// A YAML flow sequence: `[a.com, b.com]`.
    YamlFlow,
    /// A YAML block sequence: one `- a.com` line per entry.
    YamlBlock,
}

/// Where a list and each of its entries stand in the decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListLayout {
    pub syntax: Syntax,
    /// Every item of the list, in order: each entry's element or array item (quotes included),
    /// and in arrays also the items that are no entries (a number, say).
    pub items: Vec<Span>,
    /// For each entry of the list (`Detection::strings`), its index in `items`.
    pub entry_items: Vec<usize>,
    /// For each entry, the bytes a new value replaces: an element's content, the text inside
    /// JSON quotes, a YAML scalar with its quotes. `None` where the value cannot be rewritten in
    /// place (an empty element `<a/>`, content with comments or CDATA).
    pub values: Vec<Option<Span>>,
}

/// Start of the line holding byte `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// End of the line holding byte `at`: before its line break, and after it (the text's end when
/// there is none).
fn line_end(text: &str, at: usize) -> (usize, usize) {
    match text[at..].find('\n') {
        Some(i) => {
            let nl = at + i;
            let before = if text[..nl].ends_with('\r') {
                nl - 1
            } else {
                nl
            };
            (before, nl + 1)
        }
        None => (text.len(), text.len()),
    }
}

/// The line break the text uses at the line holding `at` (`\n` when it has none).
fn line_break(text: &str, at: usize) -> &'static str {
    let (before, after) = line_end(text, at);
    if after - before == 2 { "\r\n" } else { "\n" }
}

fn blank(s: &str) -> bool {
    s.chars().all(|c| c == ' ' || c == '\t')
}

/// The separator between two array items, when it is only white space and one comma (a comment
/// there belongs to neither item, so nothing is edited across it).
fn plain_separator(text: &str, from: usize, to: usize) -> Option<&str> {
    let gap = text.get(from..to)?;
    let commas = gap.matches(',').count();
    (commas == 1 && gap.chars().all(|c| c == ',' || c.is_whitespace())).then_some(gap)
}

/// A JSON string with its quotes.
fn json_string(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""))
}

/// A YAML value written the way `like` (an existing scalar, quotes included) is written: double
/// or single quoted as it is, else plain when the value reads back as the same string.
pub fn yaml_scalar(value: &str, like: &str) -> String {
    if like.starts_with('\'') {
        return format!("'{}'", value.replace('\'', "''"));
    }
    if like.starts_with('"') || !plain_yaml_string(value) {
        return json_string(value);
    }
    value.to_owned()
}

/// Can `value` be written as a plain YAML scalar and be read back as this string (not a number,
/// boolean or null)?
fn plain_yaml_string(value: &str) -> bool {
    let simple = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        && value.starts_with(|c: char| c.is_ascii_alphanumeric());
    let special = matches!(
        value.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "nan" | "inf"
    );
    simple && !special && value.parse::<f64>().is_err() && !value.starts_with("0x")
}

impl ListLayout {
    /// One element per entry: each element is an item; its content is the value unless it is
    /// an empty element or holds markup (a comment, CDATA), which a new value would destroy.
    pub fn xml(text: &str, elements: &[&crate::xml::Element]) -> ListLayout {
        let values = elements
            .iter()
            .map(|e| {
                let content = e.content_span.clone();
                let closed = content.start < e.span.end;
                let markup = text.get(content.clone()).is_none_or(|c| c.contains('<'));
                (closed && !markup).then_some(content)
            })
            .collect();
        ListLayout {
            syntax: Syntax::Xml,
            items: elements.iter().map(|e| e.span.clone()).collect(),
            entry_items: (0..elements.len()).collect(),
            values,
        }
    }

    fn item_of(&self, entry: usize) -> Option<(usize, &Span)> {
        let k = *self.entry_items.get(entry)?;
        Some((k, self.items.get(k)?))
    }

    /// The edit that writes `value` in place of entry `entry`'s value.
    pub fn replace(&self, text: &str, entry: usize, value: &str) -> Option<Edit> {
        let span = self.values.get(entry)?.clone()?;
        let raw = text.get(span.clone())?;
        let content = match self.syntax {
            Syntax::Xml => quick_xml::escape::escape(value).into_owned(),
            Syntax::JsonArray => {
                let quoted = json_string(value);
                quoted[1..quoted.len() - 1].to_owned()
            }
            Syntax::YamlFlow | Syntax::YamlBlock => {
                if raw.contains('\n') || raw.starts_with(['|', '>']) {
                    return None;
                }
                yaml_scalar(value, raw)
            }
        };
        Some(Edit::replace(span, content))
    }

    /// The edit that removes entry `entry` with its separator or line; `None` when it is the
    /// list's last entry (an empty list turns detection off: that is never a fix).
    pub fn remove(&self, text: &str, entry: usize) -> Option<Edit> {
        if self.entry_items.len() < 2 {
            return None;
        }
        let (k, item) = self.item_of(entry)?;
        let item = item.clone();
        match self.syntax {
            Syntax::Xml => {
                let start = line_start(text, item.start);
                let (end, after_break) = line_end(text, item.end);
                let before = text.get(start..item.start)?;
                let after = text.get(item.end..end)?;
                Some(if blank(before) && blank(after) {
                    // Alone on its line: the line goes.
                    Edit::delete(start..after_break)
                } else {
                    // Among others on its line: with the spaces before it, or else after it.
                    let lead = before.len() - before.trim_end_matches([' ', '\t']).len();
                    let trail = after.len() - after.trim_start_matches([' ', '\t']).len();
                    if lead > 0 && !blank(before) {
                        Edit::delete(item.start - lead..item.end)
                    } else {
                        Edit::delete(item.start..item.end + trail)
                    }
                })
            }
            Syntax::JsonArray | Syntax::YamlFlow => {
                if let Some(next) = self.items.get(k + 1) {
                    plain_separator(text, item.end, next.start)?;
                    Some(Edit::delete(item.start..next.start))
                } else {
                    let prev = self.items.get(k.checked_sub(1)?)?;
                    plain_separator(text, prev.end, item.start)?;
                    Some(Edit::delete(prev.end..item.end))
                }
            }
            Syntax::YamlBlock => {
                let start = line_start(text, item.start);
                if !block_item_prefix(text.get(start..item.start)?) {
                    return None;
                }
                let (_, after_break) = line_end(text, item.end);
                Some(Edit::delete(start..after_break))
            }
        }
    }

    /// The edit that adds `values` after the list's last item, each written like its neighbours
    /// (same element, quotes, separator and indentation). `None` for an empty list, whose shape
    /// there is nothing to copy from.
    pub fn append(&self, text: &str, values: &[String]) -> Option<Edit> {
        let last_entry = self.entry_items.len().checked_sub(1)?;
        let (k, last) = self.item_of(last_entry)?;
        let last = last.clone();
        // Arrays go on after their last item, whatever it is.
        let tail = self.items.last()?.clone();
        match self.syntax {
            Syntax::Xml => {
                let value = self.values.get(last_entry)?.clone()?;
                let open = text.get(last.start..value.start)?;
                let close = text.get(value.end..last.end)?;
                let element = |v: &str| format!("{open}{}{close}", quick_xml::escape::escape(v));
                let start = line_start(text, last.start);
                let (end, after_break) = line_end(text, last.end);
                let indent = text.get(start..last.start)?;
                let alone = blank(indent) && blank(text.get(last.end..end)?);
                if alone {
                    let nl = line_break(text, last.start);
                    let lines: String = values
                        .iter()
                        .map(|v| format!("{indent}{}{nl}", element(v)))
                        .collect();
                    return Some(if after_break == end {
                        Edit::insert(end, format!("{nl}{}", lines.trim_end_matches(nl)))
                    } else {
                        Edit::insert(after_break, lines)
                    });
                }
                // Several on a line: the gap between the last two entries, or none.
                let gap = k
                    .checked_sub(1)
                    .and_then(|p| self.items.get(p))
                    .and_then(|p| text.get(p.end..last.start))
                    .filter(|g| g.trim().is_empty())
                    .unwrap_or("");
                let added: String = values
                    .iter()
                    .map(|v| format!("{gap}{}", element(v)))
                    .collect();
                Some(Edit::insert(last.end, added))
            }
            Syntax::JsonArray | Syntax::YamlFlow => {
                let n = self.items.len();
                let separator = if n >= 2 {
                    plain_separator(text, self.items[n - 2].end, tail.start)?.to_owned()
                } else {
                    let open = text.get(..tail.start)?.rfind('[')?;
                    if text.get(open..tail.start)?.contains('\n') {
                        let start = line_start(text, tail.start);
                        format!(
                            ",{}{}",
                            line_break(text, tail.start),
                            text.get(start..tail.start)?
                        )
                    } else {
                        ", ".to_owned()
                    }
                };
                let like = text.get(last.clone())?;
                let added: String = values
                    .iter()
                    .map(|v| {
                        let written = match self.syntax {
                            Syntax::JsonArray => json_string(v),
                            _ => yaml_scalar(v, like),
                        };
                        format!("{separator}{written}")
                    })
                    .collect();
                Some(Edit::insert(tail.end, added))
            }
            Syntax::YamlBlock => {
                let start = line_start(text, tail.start);
                let prefix = text.get(start..tail.start)?;
                if !block_item_prefix(prefix) {
                    return None;
                }
                let like = text.get(last.clone())?;
                let nl = line_break(text, tail.start);
                let lines: String = values
                    .iter()
                    .map(|v| format!("{prefix}{}{nl}", yaml_scalar(v, like)))
                    .collect();
                let (end, after_break) = line_end(text, tail.end);
                Some(if after_break == end {
                    Edit::insert(end, format!("{nl}{}", lines.trim_end_matches(nl)))
                } else {
                    Edit::insert(after_break, lines)
                })
            }
        }
    }
}

/// `    - `: what stands before a block sequence item on its line.
fn block_item_prefix(prefix: &str) -> bool {
    let rest = prefix.trim_start_matches([' ', '\t']);
    rest.strip_prefix('-')
        .is_some_and(|r| !r.is_empty() && blank(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, e: Option<Edit>) -> String {
        let e = e.expect("an edit");
        format!(
            "{}{}{}",
            &text[..e.range.start],
            e.content,
            &text[e.range.end..]
        )
    }

    /// A layout of the entries found by `find` in `text`, items spanning `item` around them.
    fn layout(syntax: Syntax, text: &str, values: &[&str], quoted: bool) -> ListLayout {
        let mut items = Vec::new();
        let mut spans = Vec::new();
        let mut from = 0;
        for v in values {
            let at = from + text[from..].find(v).unwrap();
            let item = if quoted {
                at - 1..at + v.len() + 1
            } else {
                at..at + v.len()
            };
            items.push(item.clone());
            spans.push(Some(if syntax == Syntax::JsonArray {
                at..at + v.len()
            } else {
                item
            }));
            from = at + v.len();
        }
        ListLayout {
            syntax,
            entry_items: (0..items.len()).collect(),
            items,
            values: spans,
        }
    }

    #[test]
    fn json_items_go_with_their_comma_first_middle_and_last() {
        let text = "{\"l\": [\n    \"a.com\",\n    \"b.com\",\n    \"c.com\"\n  ]}";
        let l = layout(Syntax::JsonArray, text, &["a.com", "b.com", "c.com"], true);
        assert_eq!(
            edit(text, l.remove(text, 0)),
            "{\"l\": [\n    \"b.com\",\n    \"c.com\"\n  ]}"
        );
        assert_eq!(
            edit(text, l.remove(text, 2)),
            "{\"l\": [\n    \"a.com\",\n    \"b.com\"\n  ]}"
        );
        assert_eq!(
            edit(text, l.append(text, &["d.com".into()])),
            "{\"l\": [\n    \"a.com\",\n    \"b.com\",\n    \"c.com\",\n    \"d.com\"\n  ]}"
        );
        assert_eq!(
            edit(text, l.replace(text, 1, "say \"x\"")),
            "{\"l\": [\n    \"a.com\",\n    \"say \\\"x\\\"\",\n    \"c.com\"\n  ]}"
        );
    }

    #[test]
    fn the_last_entry_is_never_removed() {
        let text = "[\"a.com\"]";
        let l = layout(Syntax::JsonArray, text, &["a.com"], true);
        assert_eq!(l.remove(text, 0), None);
        assert_eq!(
            edit(text, l.append(text, &["b.com".into()])),
            "[\"a.com\", \"b.com\"]"
        );
        let multi = "[\n  \"a.com\"\n]";
        let l = layout(Syntax::JsonArray, multi, &["a.com"], true);
        assert_eq!(
            edit(multi, l.append(multi, &["b.com".into()])),
            "[\n  \"a.com\",\n  \"b.com\"\n]"
        );
    }

    #[test]
    fn a_comment_between_items_stops_the_edit() {
        let text = "[\"a.com\", // hq\n \"b.com\"]";
        let l = layout(Syntax::JsonArray, text, &["a.com", "b.com"], true);
        assert_eq!(l.remove(text, 0), None);
        assert_eq!(l.remove(text, 1), None);
    }

    #[test]
    fn yaml_block_lines_go_whole_and_new_ones_copy_the_dash() {
        let text = "l:\r\n  - a.com   # hq\r\n  - \"B.com\"\r\nnext: 1\r\n";
        let l = layout(Syntax::YamlBlock, text, &["a.com", "\"B.com\""], false);
        assert_eq!(
            edit(text, l.remove(text, 0)),
            "l:\r\n  - \"B.com\"\r\nnext: 1\r\n"
        );
        assert_eq!(
            edit(text, l.replace(text, 1, "b.com")),
            "l:\r\n  - a.com   # hq\r\n  - \"b.com\"\r\nnext: 1\r\n"
        );
        assert_eq!(
            edit(text, l.append(text, &["c.com".into(), "d.com".into()])),
            "l:\r\n  - a.com   # hq\r\n  - \"B.com\"\r\n  - \"c.com\"\r\n  - \"d.com\"\r\nnext: 1\r\n"
        );
        // The last line of a file without a line break.
        let text = "l:\n  - a.com";
        let l = layout(Syntax::YamlBlock, text, &["a.com"], false);
        assert_eq!(
            edit(text, l.append(text, &["true".into()])),
            "l:\n  - a.com\n  - \"true\""
        );
    }

    #[test]
    fn yaml_flow_items_and_quoting() {
        let text = "l: [a.com, 'b.com']\n";
        let l = layout(Syntax::YamlFlow, text, &["a.com", "'b.com'"], false);
        assert_eq!(edit(text, l.remove(text, 1)), "l: [a.com]\n");
        assert_eq!(
            edit(text, l.append(text, &["it's.com".into()])),
            "l: [a.com, 'b.com', 'it''s.com']\n"
        );
        assert_eq!(
            edit(text, l.replace(text, 0, "1e5")),
            "l: [\"1e5\", 'b.com']\n"
        );
    }

    #[test]
    fn xml_elements_go_with_their_line_and_new_ones_copy_their_neighbour() {
        let text = "<r>\n  <g:D>a.com</g:D>\n  <g:D>Corp &amp; Co</g:D>\n</r>";
        let items: Vec<Span> = vec![6..22, 25..49];
        let l = ListLayout {
            syntax: Syntax::Xml,
            items: items.clone(),
            entry_items: vec![0, 1],
            values: vec![Some(11..16), Some(30..43)],
        };
        assert_eq!(&text[items[1].clone()], "<g:D>Corp &amp; Co</g:D>");
        assert_eq!(
            edit(text, l.remove(text, 0)),
            "<r>\n  <g:D>Corp &amp; Co</g:D>\n</r>"
        );
        assert_eq!(
            edit(text, l.replace(text, 1, "a&b.com")),
            "<r>\n  <g:D>a.com</g:D>\n  <g:D>a&amp;b.com</g:D>\n</r>"
        );
        assert_eq!(
            edit(text, l.append(text, &["c.com".into()])),
            "<r>\n  <g:D>a.com</g:D>\n  <g:D>Corp &amp; Co</g:D>\n  <g:D>c.com</g:D>\n</r>"
        );
        // On one line.
        let text = "<r><D>a</D> <D>b</D></r>";
        let l = ListLayout {
            syntax: Syntax::Xml,
            items: vec![3..11, 12..20],
            entry_items: vec![0, 1],
            values: vec![Some(6..7), Some(15..16)],
        };
        assert_eq!(edit(text, l.remove(text, 1)), "<r><D>a</D></r>");
        assert_eq!(edit(text, l.remove(text, 0)), "<r><D>b</D></r>");
        assert_eq!(
            edit(text, l.append(text, &["c".into()])),
            "<r><D>a</D> <D>b</D> <D>c</D></r>"
        );
    }
}

//! Suppressions: inline `<!-- scslint-disable SL102: reason -->` comments in XML profiles and
//! `[[ignore]]` entries in scslint.toml. Applied once, to every finding of a `check` run, before
//! levels and sorting (see check::run); suppressions that give no reason (SL900) or silence nothing
//! (SL901) are reported themselves.

use crate::diagnostic::{Code, Finding, Location};
use crate::level::Levels;
use crate::source::{Source, Span};
use crate::xml::Document;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The word an inline suppression comment starts with.
pub const DIRECTIVE: &str = "scslint-disable";

/// One code (or rule name) as written in a suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The text as written.
    pub text: String,
    /// `None` when the text is neither a code nor a rule name.
    pub code: Option<Code>,
    pub span: Span,
}

/// An inline suppression: a `scslint-disable` comment and the element it stands before.
#[derive(Debug, Clone)]
pub struct Suppression {
    pub source: Source,
    pub codes: Vec<Named>,
    /// The text after the colon, trimmed; `None` when there is none.
    pub reason: Option<String>,
    /// `<!--` to `-->`.
    pub comment_span: Span,
    /// The element it silences codes in, start tag to end tag; `None` when no element follows the
    /// comment directly.
    pub target_span: Option<Span>,
}

/// A `[[ignore]]` entry of scslint.toml: codes silenced in files whose path matches.
#[derive(Debug, Clone)]
pub struct Ignore {
    /// The pattern as written, relative to `base`.
    pub pattern: String,
    pub matcher: globset::GlobMatcher,
    /// True when the pattern has no glob characters: it names one file.
    pub literal: bool,
    /// The folder holding scslint.toml.
    pub base: PathBuf,
    pub codes: Vec<(Code, Span)>,
    pub reason: Option<String>,
    /// scslint.toml, where SL900/SL901 about this entry point.
    pub source: Source,
    /// The whole entry.
    pub span: Span,
    /// The `path` value.
    pub path_span: Span,
}

impl Ignore {
    /// Build the matcher for `pattern` (`/`-separated, `*` within a folder, `**` across folders).
    pub fn matcher(pattern: &str) -> Result<globset::GlobMatcher, String> {
        globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map(|g| g.compile_matcher())
            .map_err(|e| e.kind().to_string())
    }

    pub fn is_literal(pattern: &str) -> bool {
        !pattern.contains(['*', '?', '[', ']', '{', '}'])
    }
}

/// The `scslint-disable` directive in a comment's text, if it is one: the codes with their spans
/// (offsets into the comment text plus `text_start`) and the reason.
pub fn parse_directive(text: &str, text_start: usize) -> Option<(Vec<Named>, Option<String>)> {
    let lead = text.len() - text.trim_start().len();
    let rest = text[lead..].strip_prefix(DIRECTIVE)?;
    if !(rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == ':')) {
        return None;
    }
    let codes_start = lead + DIRECTIVE.len();
    let (codes_text, reason) = match rest.split_once(':') {
        Some((codes, reason)) => (codes, Some(reason.trim().to_owned())),
        None => (rest, None),
    };
    let mut codes = Vec::new();
    let mut at = 0;
    for piece in codes_text.split(|c: char| c == ',' || c.is_whitespace()) {
        if !piece.is_empty() {
            let start = text_start + codes_start + at;
            codes.push(Named {
                text: piece.to_owned(),
                code: Code::parse(piece),
                span: start..start + piece.len(),
            });
        }
        at += piece.len() + 1;
    }
    Some((codes, reason.filter(|r| !r.is_empty())))
}

/// The inline suppressions of a parsed XML document.
pub fn from_document(doc: &Document, source: &Source) -> Vec<Suppression> {
    doc.comments
        .iter()
        .filter_map(|c| {
            // The text starts after `<!--`.
            let (codes, reason) = parse_directive(&c.text, c.span.start + 4)?;
            Some(Suppression {
                source: source.clone(),
                codes,
                reason,
                comment_span: c.span.clone(),
                target_span: c.next_element.map(|i| doc.elements[i].span.clone()),
            })
        })
        .collect()
}

/// What a `check` run looked at, for applying suppressions and telling which ones were unused.
#[derive(Debug, Default)]
pub struct RunScope<'a> {
    /// Inline suppressions of every profile read.
    pub suppressions: Vec<&'a Suppression>,
    /// Every file read (as shown in findings).
    pub files: BTreeSet<PathBuf>,
    /// Observed networks were given: network rules (SL100-SL104) ran.
    pub networks: bool,
    /// `--dns` was given: DNS rules ran.
    pub dns: bool,
}

impl RunScope<'_> {
    /// Could `code` have reported anything in this run? Suppressions of codes that could not are
    /// not reported as unused (a pre-commit run without observed networks, a run without --dns).
    fn could_report(&self, code: Code) -> bool {
        (self.networks || !code.needs_networks()) && (self.dns || !code.needs_dns())
    }
}

/// Findings left after suppressions, with the findings about suppressions added, and how many
/// findings were silenced (those whose rule is not switched off in config).
#[derive(Debug)]
pub struct Applied {
    pub findings: Vec<Finding>,
    pub suppressed: usize,
}

/// Drop the findings a suppression silences; report suppressions without a reason (SL900) and
/// codes that silenced nothing (SL901).
pub fn apply(
    findings: Vec<Finding>,
    scope: &RunScope,
    ignores: &[Ignore],
    levels: &Levels,
) -> Applied {
    // Each inline suppression once, even if several profiles of one file carried it.
    let mut seen = BTreeSet::new();
    let inline: Vec<&Suppression> = scope
        .suppressions
        .iter()
        .copied()
        .filter(|s| seen.insert((s.source.path.clone(), s.comment_span.start)))
        .collect();
    let mut inline_used: Vec<Vec<bool>> =
        inline.iter().map(|s| vec![false; s.codes.len()]).collect();
    let mut ignore_used: Vec<Vec<bool>> =
        ignores.iter().map(|i| vec![false; i.codes.len()]).collect();
    let mut ignore_matched_file = vec![false; ignores.len()];
    let mut paths = Paths::default();

    for file in scope.files.iter() {
        for (i, ignore) in ignores.iter().enumerate() {
            if !ignore_matched_file[i] && paths.matches(ignore, file) {
                ignore_matched_file[i] = true;
            }
        }
    }

    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = 0;
    for f in findings {
        if !f.code.suppressible() {
            kept.push(f);
            continue;
        }
        let mut silenced = false;
        if let Location::Span { source, span } = &f.location {
            for (s, used) in inline.iter().zip(&mut inline_used) {
                let Some(target) = &s.target_span else {
                    continue;
                };
                let same_file = Arc::ptr_eq(source, &s.source) || source.path == s.source.path;
                if !same_file || span.start < target.start || span.end > target.end {
                    continue;
                }
                for (named, used) in s.codes.iter().zip(used.iter_mut()) {
                    if named.code == Some(f.code) {
                        *used = true;
                        silenced = true;
                    }
                }
            }
        }
        if !ignores.is_empty() {
            let path = f.path();
            for (i, ignore) in ignores.iter().enumerate() {
                if !paths.matches(ignore, &path) {
                    continue;
                }
                ignore_matched_file[i] = true;
                for ((code, _), used) in ignore.codes.iter().zip(ignore_used[i].iter_mut()) {
                    if *code == f.code {
                        *used = true;
                        silenced = true;
                    }
                }
            }
        }
        if !silenced {
            kept.push(f);
        } else if levels.level_for(f.code, f.severity).is_some() {
            suppressed += 1;
        }
    }

    for (s, used) in inline.iter().zip(&inline_used) {
        report_inline(s, used, scope, &mut kept);
    }
    for (i, ignore) in ignores.iter().enumerate() {
        report_ignore(
            ignore,
            &ignore_used[i],
            ignore_matched_file[i],
            scope,
            &mut kept,
        );
    }
    Applied {
        findings: kept,
        suppressed,
    }
}

const PLACE_HELP: &str = "put the comment right before the start tag of the element whose finding it silences; only whitespace and other comments may come between";

fn report_inline(s: &Suppression, used: &[bool], scope: &RunScope, out: &mut Vec<Finding>) {
    let at = |code, span: Span, message: String| Finding::new(code, &s.source, span, message);
    if s.reason.is_none() {
        out.push(
            at(
                Code::SL900,
                s.comment_span.clone(),
                "this suppression gives no reason".into(),
            )
            .label("no reason after a colon")
            .help("write why after a colon, e.g. `<!-- scslint-disable SL102: lab network, not in observed.toml yet -->`"),
        );
    }
    if s.codes.is_empty() {
        out.push(
            at(
                Code::SL901,
                s.comment_span.clone(),
                format!("this `{DIRECTIVE}` comment names no code, so it silences nothing"),
            )
            .label("no code")
            .help(format!(
                "name the codes it silences: `{DIRECTIVE} SL102, SL004: reason`"
            )),
        );
        return;
    }
    if s.target_span.is_none() {
        out.push(
            at(
                Code::SL901,
                s.comment_span.clone(),
                format!(
                    "this `{DIRECTIVE}` comment does not stand right before an element, so it silences nothing"
                ),
            )
            .label("no element follows")
            .help(PLACE_HELP),
        );
        return;
    }
    for (named, used) in s.codes.iter().zip(used) {
        if let Some(f) = unused_code(named, *used, scope) {
            out.push(
                at(Code::SL901, named.span.clone(), f.0)
                    .label(f.1)
                    .help(f.2),
            );
        }
    }
}

/// Message, label and help for a code of an inline suppression that silenced nothing.
fn unused_code(named: &Named, used: bool, scope: &RunScope) -> Option<(String, String, String)> {
    let Some(code) = named.code else {
        return Some((
            format!(
                "`{}` is not a scslint code or rule name, so it silences nothing",
                named.text
            ),
            "unknown code".into(),
            format!(
                "`scslint rules` lists every code and name; separate codes with commas and put the reason after a colon: `{DIRECTIVE} SL102, SL004: reason`"
            ),
        ));
    };
    if !code.suppressible() {
        return Some(not_suppressible(code));
    }
    if used || !scope.could_report(code) {
        return None;
    }
    Some((
        format!(
            "`{DIRECTIVE} {code}` silences nothing: {code} ({}) reported nothing in this element",
            code.name()
        ),
        "silences nothing".into(),
        format!("delete it if the finding is fixed; otherwise {PLACE_HELP}"),
    ))
}

fn not_suppressible(code: Code) -> (String, String, String) {
    let why = if code.is_input_problem() {
        "it reports input that could not be read, which always makes the exit status 2"
    } else {
        "findings about suppressions cannot be silenced"
    };
    (
        format!("{code} cannot be silenced: {why}"),
        "cannot be silenced".into(),
        "remove this code from the suppression".into(),
    )
}

fn report_ignore(
    ignore: &Ignore,
    used: &[bool],
    matched_file: bool,
    scope: &RunScope,
    out: &mut Vec<Finding>,
) {
    let at = |code, span: Span, message: String| Finding::new(code, &ignore.source, span, message);
    if ignore.reason.is_none() {
        out.push(
            at(
                Code::SL900,
                ignore.span.clone(),
                format!("`[[ignore]]` for `{}` gives no reason", ignore.pattern),
            )
            .label("no `reason`")
            .help(
                "add `reason = \"…\"`: why these findings are accepted, for reviewers and auditors",
            ),
        );
    }
    if !matched_file {
        // A pattern may match none of the files a partial run (a pre-commit hook) read; only a
        // file name that does not exist at all is certainly stale.
        if ignore.literal && !ignore.base.join(&ignore.pattern).exists() {
            out.push(
                at(
                    Code::SL901,
                    ignore.path_span.clone(),
                    format!(
                        "`[[ignore]]` path `{}` names no file, so it silences nothing",
                        ignore.pattern
                    ),
                )
                .label("no such file")
                .help("paths are relative to the folder holding scslint.toml; fix the path or delete the entry"),
            );
        }
        return;
    }
    for ((code, span), used) in ignore.codes.iter().zip(used) {
        if *used || !scope.could_report(*code) {
            continue;
        }
        out.push(
            at(
                Code::SL901,
                span.clone(),
                format!(
                    "`[[ignore]]` for `{}`: {code} ({}) reported nothing there in this run",
                    ignore.pattern,
                    code.name()
                ),
            )
            .label("silences nothing")
            .help("delete the code (or the entry) if the finding is fixed"),
        );
    }
}

/// Finding paths resolved once each, relative to each ignore's folder.
#[derive(Default)]
struct Paths {
    absolute: HashMap<PathBuf, PathBuf>,
}

impl Paths {
    fn absolute(&mut self, path: &Path) -> PathBuf {
        if let Some(p) = self.absolute.get(path) {
            return p.clone();
        }
        let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| {
            let joined = if path.is_absolute() {
                path.to_path_buf()
            } else {
                std::env::current_dir().unwrap_or_default().join(path)
            };
            crate::source::lexical_path(&joined)
        });
        self.absolute.insert(path.to_path_buf(), resolved.clone());
        resolved
    }

    /// Does `path` (as shown in findings) match the ignore's pattern, relative to its folder?
    fn matches(&mut self, ignore: &Ignore, path: &Path) -> bool {
        let file = self.absolute(path);
        let base = self.absolute(&ignore.base);
        let Ok(rel) = file.strip_prefix(&base) else {
            return false;
        };
        let text = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        ignore.matcher.is_match(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Encoding, SourceFile};
    use crate::xml;

    fn codes(list: &[Named]) -> Vec<(&str, Option<Code>)> {
        list.iter().map(|n| (n.text.as_str(), n.code)).collect()
    }

    #[test]
    fn parses_codes_names_and_reasons() {
        let text = " scslint-disable SL102, redundant-home-domain: lab: not observed yet ";
        let (list, reason) = parse_directive(text, 100).unwrap();
        assert_eq!(
            codes(&list),
            [
                ("SL102", Some(Code::SL102)),
                ("redundant-home-domain", Some(Code::SL004))
            ]
        );
        assert_eq!(reason.as_deref(), Some("lab: not observed yet"));
        assert_eq!(
            &text[list[1].span.start - 100..list[1].span.end - 100],
            "redundant-home-domain"
        );
        assert_eq!(
            &text[list[0].span.start - 100..list[0].span.end - 100],
            "SL102"
        );

        let (list, reason) = parse_directive("scslint-disable sl102 SL999", 0).unwrap();
        assert_eq!(
            codes(&list),
            [("sl102", Some(Code::SL102)), ("SL999", None)]
        );
        assert_eq!(reason, None);
        let (list, reason) = parse_directive("scslint-disable SL102:   ", 0).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(reason, None, "a blank reason is no reason");
        let (list, _) = parse_directive("scslint-disable: why", 0).unwrap();
        assert!(list.is_empty());
    }

    #[test]
    fn other_comments_are_not_directives() {
        assert!(parse_directive(" a note about scslint-disable SL102 ", 0).is_none());
        assert!(parse_directive("scslint-disable-next-line SL102: x", 0).is_none());
        assert!(parse_directive("", 0).is_none());
    }

    fn suppressions(text: &str) -> (Source, Vec<Suppression>) {
        let source = SourceFile::new("p.xml", text.to_owned(), Encoding::Utf8);
        let doc = xml::parse(&source.text, 0).unwrap();
        let list = from_document(&doc, &source);
        (source, list)
    }

    #[test]
    fn a_comment_attaches_to_the_element_right_after_it() {
        let text = "<P>\n  <!-- scslint-disable SL102: lab -->\n  <!-- Berlin -->\n  <D>lab.corp</D>\n  <!-- scslint-disable SL004: x -->text<E/>\n  <!-- scslint-disable SL005: end -->\n</P>";
        let (_, list) = suppressions(text);
        assert_eq!(list.len(), 3);
        let target = list[0].target_span.clone().unwrap();
        assert_eq!(&text[target], "<D>lab.corp</D>");
        assert_eq!(
            &text[list[0].comment_span.clone()],
            "<!-- scslint-disable SL102: lab -->"
        );
        assert_eq!(&text[list[0].codes[0].span.clone()], "SL102");
        assert_eq!(list[1].target_span, None, "text stands between");
        assert_eq!(list[2].target_span, None, "no element follows");
    }

    fn finding(source: &Source, text: &str, needle: &str, code: Code) -> Finding {
        let at = text.find(needle).unwrap();
        Finding::new(code, source, at..at + needle.len(), "m")
    }

    #[test]
    fn silences_findings_inside_the_element_and_reports_the_rest() {
        let text = "<P>\n  <!-- scslint-disable SL102, SL004: lab -->\n  <D>lab.corp</D>\n  <D>x.corp</D>\n  <!-- scslint-disable unmatched-home-domain -->\n  <D>y.corp</D>\n</P>";
        let (source, list) = suppressions(text);
        let scope = RunScope {
            suppressions: list.iter().collect(),
            networks: true,
            ..RunScope::default()
        };
        let findings = vec![
            finding(&source, text, "lab.corp", Code::SL102),
            finding(&source, text, "x.corp", Code::SL102),
            finding(&source, text, "y.corp", Code::SL102),
        ];
        let applied = apply(findings, &scope, &[], &Levels::default());
        assert_eq!(applied.suppressed, 2);
        let got: Vec<(Code, &str)> = applied
            .findings
            .iter()
            .map(|f| match &f.location {
                Location::Span { span, .. } => (f.code, &text[span.clone()]),
                Location::File { .. } => (f.code, ""),
            })
            .collect();
        assert_eq!(
            got,
            [
                (Code::SL102, "x.corp"),
                (Code::SL901, "SL004"),
                (
                    Code::SL900,
                    "<!-- scslint-disable unmatched-home-domain -->"
                ),
            ]
        );
    }

    #[test]
    fn codes_that_could_not_run_are_not_called_unused() {
        let text = "<P><!-- scslint-disable SL102, SL105, SL999, SL051: r --><D>a</D></P>";
        let (_, list) = suppressions(text);
        let scope = RunScope {
            suppressions: list.iter().collect(),
            ..RunScope::default()
        };
        let applied = apply(Vec::new(), &scope, &[], &Levels::default());
        let messages: Vec<&str> = applied
            .findings
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("`SL999` is not a scslint code"));
        assert!(messages[1].starts_with("SL051 cannot be silenced"));
    }

    #[test]
    fn lexical_paths() {
        assert_eq!(
            crate::source::lexical_path(Path::new("/a/./b/../c")),
            PathBuf::from("/a/c")
        );
    }
}

//! Human output: miette graphical reports with the offending entry underlined in its source,
//! then a one-line summary. Colour and width come from [`Style`]; every text taken from input,
//! file names included, is escaped, and snippets show an [`Excerpt`] of the file.

use super::escape_text;
use super::excerpt::{self, Excerpt};
use super::terminal::Style;
use crate::diagnostic::{Finding, Location, Severity};
use crate::outcome::{Outcome, Summary};
use crate::source::{Source, Span};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt;
use std::sync::Arc;

/// A place to underline in a report's file.
struct Mark {
    span: Span,
    label: Option<String>,
    primary: bool,
}

/// One finding as miette sees it.
struct Report {
    code: String,
    severity: Severity,
    message: String,
    help: Option<String>,
    /// The file the marks are in.
    file: Option<Source>,
    marks: Vec<Mark>,
    /// What [`Report::seal`] made of `file` and `marks`.
    excerpt: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl Report {
    fn new(code: String, severity: Severity, message: String) -> Report {
        Report {
            code,
            severity,
            message,
            help: None,
            file: None,
            marks: Vec::new(),
            excerpt: None,
            labels: Vec::new(),
            related: Vec::new(),
        }
    }

    /// A report that points at `span` of `source`.
    fn at(mut self, source: &Source, span: &Span, label: Option<&str>) -> Report {
        self.file = Some(source.clone());
        self.marks.push(Mark {
            span: span.clone(),
            label: label.map(escape_text),
            primary: true,
        });
        self
    }

    /// Draw the excerpt and labels from the marks, here and in the related reports.
    fn seal(&mut self) {
        if let Some(file) = &self.file {
            let spans: Vec<Span> = self.marks.iter().map(|m| m.span.clone()).collect();
            let name = escape_text(&super::json::path_text(&file.path));
            let (excerpt, spans) = Excerpt::new(file, name, &spans);
            self.labels = self
                .marks
                .drain(..)
                .zip(spans)
                .map(|(m, s)| match m.primary {
                    true => LabeledSpan::new_primary_with_span(m.label, s),
                    false => LabeledSpan::new_with_span(m.label, s),
                })
                .collect();
            self.excerpt = Some(excerpt);
        }
        for r in &mut self.related {
            r.seal();
        }
    }
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.excerpt.as_ref().map(|e| e as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn Diagnostic))
                as Box<dyn Iterator<Item = &dyn Diagnostic>>
        })
    }
}

/// `path:line:column: text`, for places that have no loaded text to show.
fn at_file(path: &std::path::Path, line: usize, column: usize, text: &str) -> String {
    format!(
        "{}:{line}:{column}: {}",
        escape_text(&path.to_string_lossy()),
        escape_text(text)
    )
}

fn build(f: &Finding) -> Report {
    let code = format!("{}({})", f.code.as_str(), f.code.name());
    let mut report = match &f.location {
        Location::Span { source, span } => Report::new(code, f.severity, escape_text(&f.message))
            .at(source, span, f.label.as_deref()),
        Location::File { path, line, column } => {
            Report::new(code, f.severity, at_file(path, *line, *column, &f.message))
        }
    };
    report.help = f.help.as_deref().map(escape_text);
    for r in &f.related {
        match &r.location {
            // A second label in the finding's own snippet.
            Location::Span { source, span }
                if report.file.as_ref().is_some_and(|s| Arc::ptr_eq(s, source)) =>
            {
                report.marks.push(Mark {
                    span: span.clone(),
                    label: Some(escape_text(&r.label)),
                    primary: false,
                });
            }
            Location::Span { source, span } => {
                let same_file = report
                    .related
                    .iter_mut()
                    .find(|other| other.file.as_ref().is_some_and(|s| Arc::ptr_eq(s, source)));
                match same_file {
                    // Places in one file (the networks of a grouped finding) share one snippet.
                    Some(other) => {
                        if let [first] = &mut other.marks[..]
                            && first.label.is_none()
                        {
                            first.label = Some(std::mem::take(&mut other.message));
                        }
                        other.message = format!("{} places in this file", other.marks.len() + 1);
                        other.marks.push(Mark {
                            span: span.clone(),
                            label: Some(escape_text(&r.label)),
                            primary: false,
                        });
                    }
                    None => report.related.push(
                        Report::new(String::new(), Severity::Info, escape_text(&r.label))
                            .at(source, span, None),
                    ),
                }
            }
            Location::File { path, line, column } => report.related.push(Report::new(
                String::new(),
                Severity::Info,
                at_file(path, *line, *column, &r.label),
            )),
        }
    }
    report.seal();
    report
}

/// The findings as graphical reports, then (unless `quiet`) the summary line.
pub fn render(outcome: &Outcome, style: Style, quiet: bool) -> String {
    let mut out = render_findings(&outcome.findings, style);
    if !quiet {
        out.push_str(&summary_line(&outcome.summary));
        out.push('\n');
    }
    out
}

/// miette's graphical renderer in the given style.
fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(excerpt::CONTEXT_LINES)
}

/// Render one report; a renderer failure still prints the code and message.
fn render_report(handler: &GraphicalReportHandler, report: &Report, out: &mut String) {
    if handler.render_report(out, report).is_err() {
        out.push_str(&format!("{}: {}\n", report.code, report.message));
    }
}

/// The findings as graphical reports, one after another.
pub fn render_findings(findings: &[Finding], style: Style) -> String {
    let handler = handler(style);
    let mut out = String::new();
    for f in findings {
        render_report(&handler, &build(f), &mut out);
        out.push('\n');
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn summary_line(s: &Summary) -> String {
    let counts = format!(
        "scslint: {}, {}, {}",
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos"),
    );
    let mut what = Vec::new();
    if s.profiles > 0 || s.hosts == 0 {
        what.push(plural(s.profiles, "profile", "profiles"));
    }
    if s.hosts > 0 {
        what.push(plural(s.hosts, "host report", "host reports"));
    }
    let mut context = vec![plural(s.files, "file", "files")];
    if s.networks > 0 {
        context.push(plural(s.networks, "observed network", "observed networks"));
    }
    let mut line = format!(
        "{counts} in {} ({})",
        what.join(" and "),
        context.join(", ")
    );
    if s.unreadable > 0 {
        line.push_str(&format!(
            "; {} could not be read",
            plural(s.unreadable, "input", "inputs")
        ));
    }
    if s.suppressed > 0 {
        line.push_str(&format!("; {} suppressed", s.suppressed));
    }
    if s.baselined > 0 {
        line.push_str(&format!("; {} in the baseline", s.baselined));
    }
    if s.network_rules == Some(crate::outcome::NetworkRules::Skipped) {
        line.push_str(&format!("; {}", crate::outcome::NETWORK_RULES_SKIPPED));
    }
    line
}

/// Config problems, underlined in scslint.toml, for standard error.
pub fn render_config_errors(errors: &[crate::config::ConfigError], style: Style) -> String {
    let handler = handler(style);
    let mut out = String::new();
    for e in errors {
        let mut report = Report::new("config".into(), Severity::Error, escape_text(&e.message));
        if let Some(source) = &e.source {
            report = report.at(source, &e.span, Some("here"));
        }
        report.help = e.help.as_deref().map(escape_text);
        report.seal();
        render_report(&handler, &report, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::{Encoding, SourceFile};

    #[test]
    fn related_places_in_one_file_share_a_snippet() {
        let profile = SourceFile::new("p.xml", "corp.com\n".into(), Encoding::Utf8);
        let observed = SourceFile::new("observed.toml", "a\nb\n".into(), Encoding::Utf8);
        let f = Finding::new(Code::SL100, &profile, 0..8, "two networks outside")
            .related(&observed, 0..1, "network `a` observed here")
            .related(&observed, 2..3, "network `b` observed here");
        let text = render_findings(&[f], Style::plain());
        assert_eq!(text.matches("observed.toml").count(), 1, "{text}");
        assert!(text.contains("2 places in this file"), "{text}");
        assert!(text.contains("network `a` observed here"), "{text}");
        assert!(text.contains("network `b` observed here"), "{text}");
    }
}

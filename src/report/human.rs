//! Human output: miette graphical reports with the offending entry underlined in its source,
//! then a one-line summary. Colour only on a terminal, and never when NO_COLOR is set.

use super::{escape_text, mask_text};
use crate::check::{Outcome, Summary};
use crate::diagnostic::{Finding, Location, Severity};
use crate::source::Source;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// How to draw reports.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    /// Colour when `is_terminal` and NO_COLOR is unset or empty; width from the terminal.
    pub fn detect(is_terminal: bool) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let width = terminal_width().unwrap_or(100).clamp(60, 200);
        Style {
            color: is_terminal && !no_color,
            width,
        }
    }
}

fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS").ok()?.parse().ok()
}

type Named = Arc<NamedSource<Arc<String>>>;

/// Masked copies of sources, one per file, shared by every finding in it.
#[derive(Default)]
struct Sources(HashMap<*const crate::source::SourceFile, Named>);

impl Sources {
    fn get(&mut self, source: &Source) -> Named {
        self.0
            .entry(Arc::as_ptr(source))
            .or_insert_with(|| {
                let name = super::json::path_text(&source.path);
                Arc::new(NamedSource::new(name, Arc::new(mask_text(&source.text))))
            })
            .clone()
    }
}

/// One finding as miette sees it.
struct Report {
    code: String,
    severity: Severity,
    message: String,
    help: Option<String>,
    source: Option<Named>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
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
        self.source.as_ref().map(|s| s.as_ref() as &dyn SourceCode)
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

fn label(text: Option<&str>, span: &crate::source::Span, source: &Source) -> LabeledSpan {
    let span = source.clamp(span);
    LabeledSpan::new_primary_with_span(text.map(escape_text), span.start..span.end)
}

fn build(f: &Finding, sources: &mut Sources) -> Report {
    let message = escape_text(&f.message);
    let mut report = Report {
        code: format!("{}({})", f.code.as_str(), f.code.name()),
        severity: f.severity,
        message,
        help: f.help.as_deref().map(escape_text),
        source: None,
        labels: Vec::new(),
        related: Vec::new(),
    };
    match &f.location {
        Location::Span { source, span } => {
            report.source = Some(sources.get(source));
            report.labels.push(label(f.label.as_deref(), span, source));
        }
        Location::File { path, line, column } => {
            report.message = format!(
                "{}:{line}:{column}: {}",
                escape_text(&path.to_string_lossy()),
                report.message
            );
        }
    }
    for r in &f.related {
        match (&r.location, &f.location) {
            (Location::Span { source: rs, span }, Location::Span { source, .. })
                if Arc::ptr_eq(rs, source) =>
            {
                // A second label in the same snippet, not primary.
                let l = label(Some(&r.label), span, source);
                report.labels.push(LabeledSpan::new(
                    l.label().map(str::to_owned),
                    l.offset(),
                    l.len(),
                ));
            }
            (Location::Span { source, span }, _) => {
                let named = sources.get(source);
                let same_file = report.related.iter_mut().find(|other| {
                    other
                        .source
                        .as_ref()
                        .is_some_and(|s| Arc::ptr_eq(s, &named))
                });
                match same_file {
                    // Places in one file (the networks of a grouped finding) share one snippet.
                    Some(other) => {
                        if other.labels.len() == 1 && other.labels[0].label().is_none() {
                            let first = *other.labels[0].inner();
                            let text = std::mem::take(&mut other.message);
                            other.labels[0] = LabeledSpan::new_primary_with_span(Some(text), first);
                        }
                        other.message = format!("{} places in this file", other.labels.len() + 1);
                        let l = label(Some(&r.label), span, source);
                        other.labels.push(LabeledSpan::new(
                            l.label().map(str::to_owned),
                            l.offset(),
                            l.len(),
                        ));
                    }
                    None => report.related.push(Report {
                        code: String::new(),
                        severity: Severity::Info,
                        message: escape_text(&r.label),
                        help: None,
                        source: Some(named),
                        labels: vec![label(None, span, source)],
                        related: Vec::new(),
                    }),
                }
            }
            (Location::File { path, line, column }, _) => report.related.push(Report {
                code: String::new(),
                severity: Severity::Info,
                message: format!(
                    "{}:{line}:{column}: {}",
                    escape_text(&path.to_string_lossy()),
                    escape_text(&r.label)
                ),
                help: None,
                source: None,
                labels: Vec::new(),
                related: Vec::new(),
            }),
        }
    }
    report
}

pub fn render(outcome: &Outcome, style: Style) -> String {
    let mut out = render_findings(&outcome.findings, style);
    out.push_str(&summary_line(&outcome.summary));
    out.push('\n');
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
}

/// The findings as graphical reports, one after another.
pub fn render_findings(findings: &[Finding], style: Style) -> String {
    let handler = handler(style);
    let mut sources = Sources::default();
    let mut out = String::new();
    for f in findings {
        let report = build(f, &mut sources);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{}: {}\n", report.code, report.message));
        }
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
    if s.network_rules == Some(crate::check::NetworkRules::Skipped) {
        line.push_str(&format!("; {}", crate::check::NETWORK_RULES_SKIPPED));
    }
    line
}

/// Config problems, underlined in scslint.toml, for standard error.
pub fn render_config_errors(errors: &[crate::config::ConfigError], style: Style) -> String {
    let handler = handler(style);
    let mut sources = Sources::default();
    let mut out = String::new();
    for e in errors {
        let mut report = Report {
            code: "config".into(),
            severity: Severity::Error,
            message: escape_text(&e.message),
            help: e.help.as_deref().map(escape_text),
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        };
        if let Some(source) = &e.source {
            report.source = Some(sources.get(source));
            report.labels.push(label(Some("here"), &e.span, source));
        }
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("config: {}\n", report.message));
        }
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
        let style = Style {
            color: false,
            width: 100,
        };
        let text = render_findings(&[f], style);
        assert_eq!(text.matches("observed.toml").count(), 1, "{text}");
        assert!(text.contains("2 places in this file"), "{text}");
        assert!(text.contains("network `a` observed here"), "{text}");
        assert!(text.contains("network `b` observed here"), "{text}");
    }
}

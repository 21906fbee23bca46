//! `--format github`: one GitHub Actions workflow command per finding, which the runner turns into
//! an annotation on the file and line of the pull request:
//!
//! `::error file=PATH,line=N,col=M,endLine=N,endColumn=M,title=SL100 enterprise-network-outside::message`
//!
//! Errors are `::error`, warnings `::warning`, infos `::notice`. Paths are relative to the
//! repository root; end columns are exclusive, as in the JSON report.

use super::escape_text;
use super::paths::RepoPaths;
use crate::diagnostic::{Finding, Location, Severity};
use crate::outcome::Outcome;

/// Escape the message of a workflow command.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value of a workflow command.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

fn line(f: &Finding, paths: &RepoPaths) -> String {
    let mut props = Vec::new();
    let path = f.path();
    if !path.as_os_str().is_empty() {
        let (line, column) = f.line_col();
        props.push(format!(
            "file={}",
            property(&escape_text(&paths.display(&path)))
        ));
        props.push(format!("line={}", line.max(1)));
        props.push(format!("col={}", column.max(1)));
        if let Location::Span { .. } = f.location {
            let (end_line, end_column) = f.location.end_line_col();
            props.push(format!("endLine={}", end_line.max(1)));
            props.push(format!("endColumn={}", end_column.max(1)));
        }
    }
    props.push(format!(
        "title={}",
        property(&format!("{} {}", f.code.as_str(), f.code.name()))
    ));
    // Input text is escaped; the line break before the help is the annotation's own.
    let mut message = escape_text(&f.message);
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(&escape_text(help));
    }
    format!(
        "::{} {}::{}\n",
        command(f.severity),
        props.join(","),
        data(&message)
    )
}

pub fn render(outcome: &Outcome, paths: &RepoPaths) -> String {
    outcome.findings.iter().map(|f| line(f, paths)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::level::Levels;
    use crate::outcome::{Summary, finish};
    use std::path::Path;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn one_command_per_finding_by_severity() {
        let findings = vec![
            Finding::at_file(Code::SL100, "dir/a,b.xml".into(), 3, 5, "x: 100%\rmore")
                .help("fix,\nnow"),
            Finding::at_file(Code::SL102, "w.xml".into(), 1, 1, "w"),
            Finding::at_file(Code::SL009, "i.xml".into(), 2, 1, "i\u{1b}[31m"),
        ];
        let outcome = finish(findings, Summary::default(), &Levels::default());
        let paths = RepoPaths::from_dir(Path::new("/nonexistent-scslint-root"));
        let text = render(&outcome, &paths);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "::error file=dir/a%2Cb.xml,line=3,col=5,title=SL100 enterprise-network-outside::x: 100%25\\rmore%0Ahelp: fix,\\nnow",
                "::notice file=i.xml,line=2,col=1,title=SL009 placeholder-home-domain::i\\x1b[31m",
                "::warning file=w.xml,line=1,col=1,title=SL102 unmatched-home-domain::w",
            ]
        );
    }
}
